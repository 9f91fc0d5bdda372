package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gstplan/gst"
	"github.com/paulmach/orb"
)

// The input files, relative to the input directory, as described in its
// README (section 4: national files, boundaries and indicators).
const (
	fileRegions    = "national/regions.csv"
	fileProvinces  = "national/provinces.csv"
	fileCommunes   = "national/communes.csv"
	fileCommuneGeo = "national/commune_geo.csv"
	fileFacilities = "national/health_facilities_osm.csv"
	fileIndicators = "indicators/households_2024.csv"
)

// boundaryFiles are the commune polygons of the regions that have them.
var boundaryFiles = map[string]string{"01": "boundaries/communes_01.geojson", "03": "boundaries/communes_03.geojson"}

// inputFiles lists the files the builder reads, in reading order.
func inputFiles() []string {
	fs := []string{fileRegions, fileProvinces, fileCommunes, fileCommuneGeo, fileFacilities, fileIndicators}
	for _, code := range sortedKeys(boundaryFiles) {
		fs = append(fs, boundaryFiles[code])
	}
	return fs
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// maxCommunePop bounds a commune's population: Morocco has fewer than 40
// million people, and a larger figure is an error that would make the
// builder generate an absurd number of health centres.
const maxCommunePop = 50e6

// regionRow is one row of regions.csv; Pop2014 is the sum of its communes.
type regionRow struct {
	Code    string
	Name    string
	Pop2024 float64
	Pop2014 float64
}

// provinceRow is one row of provinces.csv, with the sums and centroid of
// its communes.
type provinceRow struct {
	Code    string
	Name    string
	Type    string // prefecture or province
	Region  string
	Pop2024 float64
	Pop2014 float64
	// LatPW and LonPW are the population-weighted (2024) mean of the
	// centroids of its communes.
	LatPW, LonPW float64
}

// communeRow is one row of communes.csv joined with commune_geo.csv and
// the household indicators.
type communeRow struct {
	Code     string
	Name     string
	Urban    bool
	Region   string
	Province string
	Pop2024  float64
	Pop2014  float64 // 0 when HCP publishes none
	// Lat and Lon are the geometric centroid of the commune boundary.
	Lat, Lon float64
	AreaKm2  float64
	// GeoRule says how a missing centroid or area was filled; empty when
	// both are observed.
	GeoRule string
	// Boundary is the commune's outline where the input has one.
	Boundary orb.MultiPolygon
}

// facilityRow is one row of health_facilities_osm.csv, with the commune
// the builder places it in.
type facilityRow struct {
	OSMType  string // node, way or relation
	OSMID    string
	Name     string
	Type     string // hospital, clinic or doctor
	Sector   string // public, private or unknown
	Lat, Lon float64
	Operator string
	Beds     string
	Line     int
	// Region, Province and Commune are where the point was placed (see
	// placeFacilities); Placed says how; all empty when it was not.
	Region, Province, Commune string
	Placed                    string
	Km                        float64 // to the centroid of the nearest commune, when placed by it
}

// Key returns the OSM element as "type/id", for example "way/871505068".
func (f facilityRow) Key() string { return f.OSMType + "/" + f.OSMID }

// input is everything the builder reads.
type input struct {
	Regions    []regionRow
	Provinces  []provinceRow
	Communes   []communeRow
	Facilities []facilityRow
	// Indicators holds the household indicators by unit code and area
	// ("total", "urban", "rural").
	Indicators map[indicatorKey]indicatorRow
}

// table reads one CSV file whose header names its columns.
type table struct {
	file   string
	kind   string // what a row is, for messages: "commune"
	key    string // the column that names a row
	header map[string]int
	rows   [][]string
	lines  []int
}

func parseTable(file, kind, key string, data []byte, want []string, p *gst.Problems) *table {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	t := &table{file: file, kind: kind, key: key, header: map[string]int{}}
	head, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("empty file")
		}
		p.AddErr(&gst.ValidationError{File: file, Line: 1, Where: "header", Err: err})
		return nil
	}
	for i, h := range head {
		t.header[strings.TrimSpace(h)] = i
	}
	missing := false
	for _, w := range want {
		if _, ok := t.header[w]; !ok {
			p.AddErr(&gst.ValidationError{File: file, Line: 1, Where: "header", Field: w, Err: errors.New("required column is missing")})
			missing = true
		}
	}
	if missing {
		return nil
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			p.AddErr(&gst.ValidationError{File: file, Line: line, Where: "record", Err: err})
			return nil
		}
		line, _ := r.FieldPos(0)
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t
}

// cell returns the trimmed value of a column in row i.
func (t *table) cell(i int, col string) string {
	j, ok := t.header[col]
	if !ok || j >= len(t.rows[i]) {
		return ""
	}
	return strings.TrimSpace(t.rows[i][j])
}

// where names row i for messages.
func (t *table) where(i int) string {
	if t.file == fileFacilities {
		return fmt.Sprintf("%s %q", t.kind, t.cell(i, "osm_type")+"/"+t.cell(i, "osm_id"))
	}
	return fmt.Sprintf("%s %q", t.kind, t.cell(i, t.key))
}

// num parses a column of row i as a finite number and records a problem
// when it is not one (it then returns NaN).
func (t *table) num(i int, col string, p *gst.Problems) float64 {
	s := t.cell(i, col)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		t.bad(i, col, fmt.Errorf("not a finite number: %q", s), p)
		return math.NaN()
	}
	return v
}

// bad records a problem with a field of row i.
func (t *table) bad(i int, col string, err error, p *gst.Problems) {
	c := 0
	if j, ok := t.header[col]; ok {
		c = j + 1
	}
	p.AddErr(&gst.ValidationError{File: t.file, Line: t.lines[i], Column: c, Where: t.where(i), Field: col, Err: err})
}

// latLon records a problem when a coordinate pair of row i is out of range.
func (t *table) latLon(i int, latCol, lonCol string, lat, lon float64, p *gst.Problems) {
	if !math.IsNaN(lat) && (lat < -90 || lat > 90) {
		t.bad(i, latCol, fmt.Errorf("latitude %v out of [-90, 90]", lat), p)
	}
	if !math.IsNaN(lon) && (lon < -180 || lon > 180) {
		t.bad(i, lonCol, fmt.Errorf("longitude %v out of [-180, 180]", lon), p)
	}
}

// optNum parses an optional number: NaN for an empty cell, and a
// recorded problem for one that does not parse.
func (t *table) optNum(i int, col string, p *gst.Problems) float64 {
	if t.cell(i, col) == "" {
		return math.NaN()
	}
	return t.num(i, col, p)
}

// readInput reads and checks the input directory. Every problem is
// reported at once; errors wrap gst.ErrInvalid.
func readInput(dir string) (*input, error) {
	files := map[string][]byte{}
	var p gst.Problems
	for _, f := range inputFiles() {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			p.AddErr(&gst.ValidationError{File: f, Err: err})
			continue
		}
		files[f] = b
	}
	if err := p.Err(); err != nil {
		return nil, fmt.Errorf("reading input directory %s: %w", dir, err)
	}
	return parseInput(files)
}

// parseInput parses the input files given by name and checks them: every
// number finite, populations positive, coordinates in range, every
// reference resolving. It then fills the documented gaps (a commune
// without a centroid, provinces' sums and centroids) and places every
// OpenStreetMap point in a commune.
func parseInput(files map[string][]byte) (*input, error) {
	var p gst.Problems
	in := &input{}
	ok := map[string]bool{}     // tables read without a structural problem
	lines := map[string][]int{} // line of each row, by file
	parsed := func(t *table) bool {
		if t == nil {
			return false
		}
		ok[t.file] = true
		lines[t.file] = t.lines
		return true
	}

	if t := parseTable(fileRegions, "region", "code", files[fileRegions], []string{"code", "name_fr", "population_2024"}, &p); parsed(t) {
		for i := range t.rows {
			in.Regions = append(in.Regions, regionRow{Code: t.cell(i, "code"), Name: t.cell(i, "name_fr"), Pop2024: t.num(i, "population_2024", &p)})
		}
	}
	if t := parseTable(fileProvinces, "province", "code", files[fileProvinces], []string{"code", "name_fr", "type", "region_code", "population_2024"}, &p); parsed(t) {
		for i := range t.rows {
			in.Provinces = append(in.Provinces, provinceRow{
				Code: t.cell(i, "code"), Name: t.cell(i, "name_fr"), Type: t.cell(i, "type"), Region: t.cell(i, "region_code"),
				Pop2024: t.num(i, "population_2024", &p),
			})
		}
	}
	type cgeo struct{ lat, lon, area float64 }
	cg := map[string]cgeo{}
	if t := parseTable(fileCommuneGeo, "commune", "code", files[fileCommuneGeo], []string{"code", "lat", "lng", "area_km2"}, &p); parsed(t) {
		for i := range t.rows {
			g := cgeo{t.optNum(i, "lat", &p), t.optNum(i, "lng", &p), t.optNum(i, "area_km2", &p)}
			t.latLon(i, "lat", "lng", g.lat, g.lon, &p)
			if math.IsNaN(g.lat) != math.IsNaN(g.lon) {
				t.bad(i, "lat", errors.New("lat and lng must be both given or both empty"), &p)
			}
			if g.area <= 0 {
				t.bad(i, "area_km2", errors.New("must be positive"), &p)
			}
			cg[t.cell(i, "code")] = g
		}
	}
	if t := parseTable(fileCommunes, "commune", "code", files[fileCommunes], []string{"code", "name_fr", "type", "region_code", "province_code", "population_2024", "population_2014"}, &p); parsed(t) {
		for i := range t.rows {
			c := communeRow{
				Code: t.cell(i, "code"), Name: t.cell(i, "name_fr"), Region: t.cell(i, "region_code"), Province: t.cell(i, "province_code"),
				Pop2024: t.num(i, "population_2024", &p), Pop2014: t.optNum(i, "population_2014", &p),
			}
			if math.IsNaN(c.Pop2014) {
				c.Pop2014 = 0 // not published ("pm"): no past population
			}
			switch t.cell(i, "type") {
			case "urban":
				c.Urban = true
			case "rural":
			default:
				t.bad(i, "type", fmt.Errorf("want urban or rural, got %q", t.cell(i, "type")), &p)
			}
			if c.Pop2024 <= 0 || c.Pop2014 < 0 || c.Pop2024 > maxCommunePop || c.Pop2014 > maxCommunePop {
				t.bad(i, "population_2024", fmt.Errorf("must be positive and population_2014 non-negative, both at most %.0f", float64(maxCommunePop)), &p)
			}
			if g, found := cg[c.Code]; found {
				c.Lat, c.Lon, c.AreaKm2 = g.lat, g.lon, g.area
			} else if ok[fileCommuneGeo] {
				t.bad(i, "code", fmt.Errorf("commune %s has no row in %s", c.Code, fileCommuneGeo), &p)
			}
			in.Communes = append(in.Communes, c)
		}
	}
	if t := parseTable(fileFacilities, "OSM element", "osm_id", files[fileFacilities], []string{"osm_type", "osm_id", "name", "facility_type", "sector", "lat", "lng"}, &p); parsed(t) {
		for i := range t.rows {
			f := facilityRow{
				OSMType: t.cell(i, "osm_type"), OSMID: t.cell(i, "osm_id"), Name: t.cell(i, "name"), Type: t.cell(i, "facility_type"),
				Sector: t.cell(i, "sector"), Lat: t.num(i, "lat", &p), Lon: t.num(i, "lng", &p), Operator: t.cell(i, "operator"), Beds: t.cell(i, "beds"),
				Line: t.lines[i],
			}
			t.latLon(i, "lat", "lng", f.Lat, f.Lon, &p)
			switch f.OSMType {
			case "node", "way", "relation":
			default:
				t.bad(i, "osm_type", fmt.Errorf("want node, way or relation, got %q", f.OSMType), &p)
			}
			if _, err := strconv.ParseUint(f.OSMID, 10, 64); err != nil {
				t.bad(i, "osm_id", fmt.Errorf("not an OSM id: %q", f.OSMID), &p)
			}
			switch f.Type {
			case "hospital", "clinic", "doctor":
			default:
				t.bad(i, "facility_type", fmt.Errorf("want hospital, clinic or doctor, got %q", f.Type), &p)
			}
			in.Facilities = append(in.Facilities, f)
		}
	}
	in.Indicators = parseIndicators(files[fileIndicators], &p)
	bounds := parseBoundaries(files, &p)

	checkReferences(in, ok, lines, &p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(in.Communes, func(i, j int) bool { return in.Communes[i].Code < in.Communes[j].Code })
	sort.SliceStable(in.Provinces, func(i, j int) bool { return in.Provinces[i].Code < in.Provinces[j].Code })
	sort.SliceStable(in.Regions, func(i, j int) bool { return in.Regions[i].Code < in.Regions[j].Code })
	sort.SliceStable(in.Facilities, func(i, j int) bool { return in.Facilities[i].Key() < in.Facilities[j].Key() })
	known := map[string]bool{}
	for _, c := range in.Communes {
		known[c.Code] = true
	}
	for _, code := range sortedKeys(bounds) {
		if !known[code] {
			p.AddErr(&gst.ValidationError{File: "boundaries", Where: fmt.Sprintf("commune %q", code), Field: "code", Err: fmt.Errorf("not in %s", fileCommunes)})
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	simple := simplifyShared(bounds)
	for i := range in.Communes {
		in.Communes[i].Boundary = simple[in.Communes[i].Code]
	}
	fillGaps(in)
	placeFacilities(in, bounds)
	return in, nil
}

// checkReferences checks the joins between the tables that were read:
// unique codes, provinces in known regions, communes in known provinces of
// their region, every province with a commune, unique OSM elements, and
// every commune with a centroid or a province to take one from.
func checkReferences(in *input, ok map[string]bool, lines map[string][]int, p *gst.Problems) {
	regions := map[string]bool{}
	for i, r := range in.Regions {
		if regions[r.Code] {
			p.AddErr(&gst.ValidationError{File: fileRegions, Line: lines[fileRegions][i], Where: fmt.Sprintf("region %q", r.Code), Field: "code", Err: errors.New("duplicate region")})
		}
		regions[r.Code] = true
	}
	provinces := map[string]string{}
	for i, pr := range in.Provinces {
		w := &gst.ValidationError{File: fileProvinces, Line: lines[fileProvinces][i], Where: fmt.Sprintf("province %q", pr.Code)}
		if _, dup := provinces[pr.Code]; dup {
			w.Field, w.Err = "code", errors.New("duplicate province")
			p.AddErr(w)
		} else if ok[fileRegions] && !regions[pr.Region] {
			w.Field, w.Err = "region_code", fmt.Errorf("unknown region %q", pr.Region)
			p.AddErr(w)
		}
		provinces[pr.Code] = pr.Region
	}
	communes := map[string]bool{}
	perProvince := map[string]int{}
	for i := range in.Communes {
		c := &in.Communes[i]
		w := &gst.ValidationError{File: fileCommunes, Line: lines[fileCommunes][i], Where: fmt.Sprintf("commune %q", c.Code)}
		if communes[c.Code] {
			w.Field, w.Err = "code", errors.New("duplicate commune")
			p.AddErr(w)
		}
		communes[c.Code] = true
		perProvince[c.Province]++
		if !ok[fileProvinces] {
			continue
		}
		if reg, found := provinces[c.Province]; !found {
			p.AddErr(&gst.ValidationError{File: w.File, Line: w.Line, Where: w.Where, Field: "province_code", Err: fmt.Errorf("unknown province %q", c.Province)})
		} else if reg != c.Region {
			p.AddErr(&gst.ValidationError{File: w.File, Line: w.Line, Where: w.Where, Field: "region_code", Err: fmt.Errorf("region %q, but its province %s is in region %q", c.Region, c.Province, reg)})
		}
	}
	if ok[fileCommunes] {
		for i, pr := range in.Provinces {
			if perProvince[pr.Code] == 0 {
				p.AddErr(&gst.ValidationError{File: fileProvinces, Line: lines[fileProvinces][i], Where: fmt.Sprintf("province %q", pr.Code), Field: "code", Err: errors.New("no commune in " + fileCommunes)})
			}
		}
		// A commune without a centroid takes one from the others of its
		// province: at least one of them must have one.
		located := map[string]bool{}
		for _, c := range in.Communes {
			if !math.IsNaN(c.Lat) {
				located[c.Province] = true
			}
		}
		for i, c := range in.Communes {
			if math.IsNaN(c.Lat) && !located[c.Province] {
				p.AddErr(&gst.ValidationError{File: fileCommuneGeo, Where: fmt.Sprintf("commune %q", c.Code), Field: "lat",
					Err: fmt.Errorf("no centroid, and no other commune of province %s has one (communes.csv line %d)", c.Province, lines[fileCommunes][i])})
			}
		}
	}
	seen := map[string]bool{}
	for _, f := range in.Facilities {
		if seen[f.Key()] {
			p.AddErr(&gst.ValidationError{File: fileFacilities, Line: f.Line, Where: fmt.Sprintf("OSM element %q", f.Key()), Field: "osm_id", Err: errors.New("duplicate OSM element")})
		}
		seen[f.Key()] = true
	}
}

// fillGaps applies the documented rules for what the input lacks: a
// commune without a centroid stands at the population-weighted mean of the
// centroids of its province's other communes, with the median area of
// those communes; provinces and regions get their 2014 population as the
// sum of their communes, and provinces a population-weighted centroid.
func fillGaps(in *input) {
	type acc struct{ lat, lon, w float64 }
	byProv := map[string]*acc{}
	areas := map[string][]float64{}
	for _, c := range in.Communes {
		if math.IsNaN(c.Lat) {
			continue
		}
		a := byProv[c.Province]
		if a == nil {
			a = &acc{}
			byProv[c.Province] = a
		}
		a.lat += c.Pop2024 * c.Lat
		a.lon += c.Pop2024 * c.Lon
		a.w += c.Pop2024
		if !math.IsNaN(c.AreaKm2) {
			areas[c.Province] = append(areas[c.Province], c.AreaKm2)
		}
	}
	for i := range in.Communes {
		c := &in.Communes[i]
		if math.IsNaN(c.Lat) {
			a := byProv[c.Province]
			c.Lat, c.Lon = a.lat/a.w, a.lon/a.w
			c.GeoRule = "no centroid in the input: placed at the population-weighted mean of the centroids of the other communes of its province"
		}
		if math.IsNaN(c.AreaKm2) {
			ar := append([]float64(nil), areas[c.Province]...)
			sort.Float64s(ar)
			c.AreaKm2 = 100
			if len(ar) > 0 {
				c.AreaKm2 = ar[len(ar)/2]
			}
			c.GeoRule += fmt.Sprintf("; no area: the median area of its province's communes, %.0f km²", c.AreaKm2)
		}
	}
	prov := map[string]*provinceRow{}
	for i := range in.Provinces {
		prov[in.Provinces[i].Code] = &in.Provinces[i]
	}
	reg := map[string]*regionRow{}
	for i := range in.Regions {
		reg[in.Regions[i].Code] = &in.Regions[i]
	}
	for _, c := range in.Communes {
		pr := prov[c.Province]
		pr.Pop2014 += c.Pop2014
		pr.LatPW += c.Pop2024 * c.Lat
		pr.LonPW += c.Pop2024 * c.Lon
		if r := reg[c.Region]; r != nil {
			r.Pop2014 += c.Pop2014
		}
	}
	for i := range in.Provinces {
		pr := &in.Provinces[i]
		var w float64
		for _, c := range in.Communes {
			if c.Province == pr.Code {
				w += c.Pop2024
			}
		}
		pr.LatPW, pr.LonPW = pr.LatPW/w, pr.LonPW/w
	}
}

// maxPlaceKm is the farthest an OpenStreetMap point may lie from the
// centroid of the commune it is placed in by distance; farther points are
// offshore or misplaced and are left out.
const maxPlaceKm = 40

// placeFacilities places every OpenStreetMap point in a commune: the
// commune whose boundary (as observed, before simplification) holds it,
// where the input has boundaries, else
// the commune with the nearest centroid (great circle, ties by code), when
// that centroid is at most maxPlaceKm away.
func placeFacilities(in *input, bounds map[string]orb.MultiPolygon) {
	var withBounds gst.Region
	for _, code := range sortedKeys(bounds) {
		withBounds.Areas = append(withBounds.Areas, gst.Area{ID: gst.AreaID(code), Boundary: bounds[code]})
	}
	byCode := map[string]*communeRow{}
	for i := range in.Communes {
		byCode[in.Communes[i].Code] = &in.Communes[i]
	}
	for i := range in.Facilities {
		f := &in.Facilities[i]
		var c *communeRow
		if id, ok := withBounds.AreaAt(f.Lat, f.Lon); ok {
			c, f.Placed = byCode[string(id)], "boundary"
		} else {
			best, km := nearestCentroid(f.Lat, f.Lon, in.Communes)
			if best == nil || km > maxPlaceKm {
				f.Placed = fmt.Sprintf("not placed: %.0f km from the nearest commune centroid", km)
				continue
			}
			c, f.Placed, f.Km = best, "nearest centroid", km
		}
		f.Region, f.Province, f.Commune = c.Region, c.Province, c.Code
	}
}

// nearestCentroid returns the commune whose centroid is nearest to a
// point, and the distance in km (ties by code: communes are sorted).
func nearestCentroid(lat, lon float64, communes []communeRow) (*communeRow, float64) {
	var best *communeRow
	bestKm := math.Inf(1)
	for i := range communes {
		if km := gst.GreatCircleKm(lat, lon, communes[i].Lat, communes[i].Lon); km < bestKm {
			best, bestKm = &communes[i], km
		}
	}
	return best, bestKm
}
