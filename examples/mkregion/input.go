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
)

// The input files, as described in the README of the input directory.
const (
	fileRegions     = "regions.csv"
	fileProvinces   = "provinces.csv"
	fileCommunes    = "communes.csv"
	fileCommuneGeo  = "commune_geo.csv"
	fileProvinceGeo = "province_geo.csv"
	fileFacilities  = "health_facilities_osm.csv"
)

// inputFiles lists the files the builder reads, in reading order.
var inputFiles = []string{fileRegions, fileProvinces, fileCommunes, fileCommuneGeo, fileProvinceGeo, fileFacilities}

// maxCommunePop bounds a commune's population: Morocco has fewer than 40
// million people, and a larger figure is an error that would make the
// builder generate an absurd number of health centres.
const maxCommunePop = 50e6

// regionRow is one row of regions.csv.
type regionRow struct {
	Code    string
	Name    string
	Pop2024 float64
	Pop2014 float64
}

// provinceRow is one row of provinces.csv joined with province_geo.csv.
type provinceRow struct {
	Code    string
	Name    string
	Type    string // prefecture or province
	Region  string
	Pop2024 float64
	Pop2014 float64
	// LatPW and LonPW are the population-weighted (2024) centroid.
	LatPW, LonPW float64
	hasGeo       bool
}

// communeRow is one row of communes.csv joined with commune_geo.csv.
type communeRow struct {
	Code     string
	Name     string
	Urban    bool
	Region   string
	Province string
	Pop2024  float64
	Pop2014  float64
	// Lat and Lon are the geometric centroid of the commune boundary.
	Lat, Lon float64
	AreaKm2  float64
	hasGeo   bool
}

// facilityRow is one row of health_facilities_osm.csv.
type facilityRow struct {
	OSMType  string // node, way or relation
	OSMID    string
	Name     string
	Type     string // hospital, clinic or doctor
	Region   string
	Province string
	Commune  string // nearest commune centroid
	Lat, Lon float64
	Operator string
	Beds     string
	Line     int
}

// Key returns the OSM element as "type/id", for example "way/871505068".
func (f facilityRow) Key() string { return f.OSMType + "/" + f.OSMID }

// input is everything the builder reads.
type input struct {
	Regions    []regionRow
	Provinces  []provinceRow
	Communes   []communeRow
	Facilities []facilityRow
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

// readInput reads and checks the input directory. Every problem is
// reported at once; errors wrap gst.ErrInvalid.
func readInput(dir string) (*input, error) {
	files := map[string][]byte{}
	var p gst.Problems
	for _, f := range inputFiles {
		b, err := os.ReadFile(filepath.Join(dir, f))
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
// commune with a centroid, every reference resolving.
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

	if t := parseTable(fileRegions, "region", "code", files[fileRegions], []string{"code", "name_fr", "population_2024", "population_2014"}, &p); parsed(t) {
		for i := range t.rows {
			in.Regions = append(in.Regions, regionRow{
				Code: t.cell(i, "code"), Name: t.cell(i, "name_fr"),
				Pop2024: t.num(i, "population_2024", &p), Pop2014: t.num(i, "population_2014", &p),
			})
		}
	}

	geo := map[string][2]float64{}
	if t := parseTable(fileProvinceGeo, "province", "code", files[fileProvinceGeo], []string{"code", "lat_popweighted_2024", "lng_popweighted_2024"}, &p); parsed(t) {
		for i := range t.rows {
			lat, lon := t.num(i, "lat_popweighted_2024", &p), t.num(i, "lng_popweighted_2024", &p)
			t.latLon(i, "lat_popweighted_2024", "lng_popweighted_2024", lat, lon, &p)
			geo[t.cell(i, "code")] = [2]float64{lat, lon}
		}
	}
	if t := parseTable(fileProvinces, "province", "code", files[fileProvinces], []string{"code", "name_fr", "type", "region_code", "population_2024", "population_2014"}, &p); parsed(t) {
		for i := range t.rows {
			pr := provinceRow{
				Code: t.cell(i, "code"), Name: t.cell(i, "name_fr"), Type: t.cell(i, "type"), Region: t.cell(i, "region_code"),
				Pop2024: t.num(i, "population_2024", &p), Pop2014: t.num(i, "population_2014", &p),
			}
			if g, ok := geo[pr.Code]; ok {
				pr.LatPW, pr.LonPW, pr.hasGeo = g[0], g[1], true
			} else {
				t.bad(i, "code", fmt.Errorf("province %s has no row in %s", pr.Code, fileProvinceGeo), &p)
			}
			in.Provinces = append(in.Provinces, pr)
		}
	}

	type cgeo struct{ lat, lon, area float64 }
	cg := map[string]cgeo{}
	if t := parseTable(fileCommuneGeo, "commune", "code", files[fileCommuneGeo], []string{"code", "lat", "lng", "area_km2"}, &p); parsed(t) {
		for i := range t.rows {
			g := cgeo{t.num(i, "lat", &p), t.num(i, "lng", &p), t.num(i, "area_km2", &p)}
			t.latLon(i, "lat", "lng", g.lat, g.lon, &p)
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
				Pop2024: t.num(i, "population_2024", &p), Pop2014: t.num(i, "population_2014", &p),
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
			if g, ok := cg[c.Code]; ok {
				c.Lat, c.Lon, c.AreaKm2, c.hasGeo = g.lat, g.lon, g.area, true
			} else {
				t.bad(i, "code", fmt.Errorf("commune %s has no row in %s", c.Code, fileCommuneGeo), &p)
			}
			in.Communes = append(in.Communes, c)
		}
	}

	if t := parseTable(fileFacilities, "OSM element", "osm_id", files[fileFacilities], []string{"osm_type", "osm_id", "name", "facility_type", "region_code", "province_code", "nearest_commune_code", "lat", "lng"}, &p); parsed(t) {
		for i := range t.rows {
			f := facilityRow{
				OSMType: t.cell(i, "osm_type"), OSMID: t.cell(i, "osm_id"), Name: t.cell(i, "name"), Type: t.cell(i, "facility_type"),
				Region: t.cell(i, "region_code"), Province: t.cell(i, "province_code"), Commune: t.cell(i, "nearest_commune_code"),
				Lat: t.num(i, "lat", &p), Lon: t.num(i, "lng", &p), Operator: t.cell(i, "operator"), Beds: t.cell(i, "beds"),
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

	// References, checked only between tables that were read.
	if ok[fileRegions] && ok[fileProvinces] {
		regions := map[string]bool{}
		for _, r := range in.Regions {
			if regions[r.Code] {
				p.AddErr(&gst.ValidationError{File: fileRegions, Where: fmt.Sprintf("region %q", r.Code), Field: "code", Err: errors.New("duplicate region")})
			}
			regions[r.Code] = true
		}
		for i, pr := range in.Provinces {
			if !regions[pr.Region] {
				p.AddErr(&gst.ValidationError{File: fileProvinces, Line: lines[fileProvinces][i], Where: fmt.Sprintf("province %q", pr.Code), Field: "region_code", Err: fmt.Errorf("unknown region %q", pr.Region)})
			}
		}
	}
	provinces := map[string]string{}
	for i, pr := range in.Provinces {
		if _, dup := provinces[pr.Code]; dup {
			p.AddErr(&gst.ValidationError{File: fileProvinces, Line: lines[fileProvinces][i], Where: fmt.Sprintf("province %q", pr.Code), Field: "code", Err: errors.New("duplicate province")})
		}
		provinces[pr.Code] = pr.Region
	}
	communes := map[string]*communeRow{}
	perProvince := map[string]int{}
	for i := range in.Communes {
		c := &in.Communes[i]
		w := &gst.ValidationError{File: fileCommunes, Line: lines[fileCommunes][i], Where: fmt.Sprintf("commune %q", c.Code)}
		if communes[c.Code] != nil {
			w.Field, w.Err = "code", errors.New("duplicate commune")
			p.AddErr(w)
		}
		communes[c.Code] = c
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
				p.AddErr(&gst.ValidationError{File: fileProvinces, Line: lines[fileProvinces][i], Where: fmt.Sprintf("province %q", pr.Code), Field: "code", Err: errors.New("no commune in communes.csv")})
			}
		}
	}
	seen := map[string]bool{}
	for _, f := range in.Facilities {
		w := fmt.Sprintf("OSM element %q", f.Key())
		if seen[f.Key()] {
			p.AddErr(&gst.ValidationError{File: fileFacilities, Line: f.Line, Where: w, Field: "osm_id", Err: errors.New("duplicate OSM element")})
		}
		seen[f.Key()] = true
		if c := communes[f.Commune]; ok[fileCommunes] && c == nil {
			p.AddErr(&gst.ValidationError{File: fileFacilities, Line: f.Line, Where: w, Field: "nearest_commune_code", Err: fmt.Errorf("unknown commune %q", f.Commune)})
		} else if c != nil && (c.Province != f.Province || c.Region != f.Region) {
			p.AddErr(&gst.ValidationError{File: fileFacilities, Line: f.Line, Where: w, Field: "nearest_commune_code",
				Err: fmt.Errorf("commune %s is in province %s, region %s, but the row says province %s, region %s", c.Code, c.Province, c.Region, f.Province, f.Region)})
		}
		if _, found := provinces[f.Province]; ok[fileProvinces] && !found {
			p.AddErr(&gst.ValidationError{File: fileFacilities, Line: f.Line, Where: w, Field: "province_code", Err: fmt.Errorf("unknown province %q", f.Province)})
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(in.Communes, func(i, j int) bool { return in.Communes[i].Code < in.Communes[j].Code })
	sort.SliceStable(in.Provinces, func(i, j int) bool { return in.Provinces[i].Code < in.Provinces[j].Code })
	sort.SliceStable(in.Regions, func(i, j int) bool { return in.Regions[i].Code < in.Regions[j].Code })
	sort.SliceStable(in.Facilities, func(i, j int) bool { return in.Facilities[i].Key() < in.Facilities[j].Key() })
	return in, nil
}
