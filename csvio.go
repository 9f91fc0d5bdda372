package gst

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
)

// DefaultMaxFileBytes is the largest file the readers accept when
// ReadOptions.MaxFileBytes is zero: 256 MiB.
const DefaultMaxFileBytes = 256 << 20

// ReadOptions tune the readers. A nil *ReadOptions uses the defaults.
type ReadOptions struct {
	// MaxFileBytes is the size above which a file is refused with an error
	// wrapping ErrTooLarge instead of being read. Default
	// DefaultMaxFileBytes (256 MiB).
	MaxFileBytes int64
}

func (o *ReadOptions) maxBytes() int64 {
	if o == nil || o.MaxFileBytes <= 0 {
		return DefaultMaxFileBytes
	}
	return o.MaxFileBytes
}

// readLimited reads a whole file, refusing one above max bytes.
func readLimited(rd io.Reader, name string, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(rd, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(b)) > max {
		return nil, &ValidationError{File: name, Where: "file", Err: fmt.Errorf("%w: larger than the limit of %d bytes", ErrTooLarge, max)}
	}
	return b, nil
}

func readFSFile(fsys fs.FS, name, label string, max int64) ([]byte, error) {
	if st, err := fs.Stat(fsys, name); err == nil && st.Size() > max {
		return nil, &ValidationError{File: label, Where: "file", Err: fmt.Errorf("%w: %d bytes, larger than the limit of %d bytes", ErrTooLarge, st.Size(), max)}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, label, max)
}

// column describes one column of a CSV file.
type column struct {
	name     string
	required bool
}

// csvTable reads one CSV file with a header row. It handles a UTF-8 byte
// order mark, CRLF line ends, quoted fields and any column order; unknown,
// duplicate and missing required columns are errors.
type csvTable struct {
	file   string // as named in errors
	base   string // file name without directory, for column lookup
	r      *csv.Reader
	cols   map[string]int // column name → 0-based position
	header []string
	rec    []string
	line   int
	p      *Problems
	src    *sourceMap
}

func openTable(data []byte, label, base string, spec []column, p *Problems, src *sourceMap) (*csvTable, bool) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	t := &csvTable{file: label, base: base, r: r, cols: map[string]int{}, p: p, src: src}
	header, err := r.Read()
	if err == io.EOF {
		p.AddErr(&ValidationError{File: label, Line: 1, Where: "header", Err: errors.New("file is empty: a header row is required")})
		return nil, false
	}
	if err != nil {
		p.AddErr(csvErr(label, err))
		return nil, false
	}
	known := map[string]bool{}
	for _, c := range spec {
		known[c.name] = true
	}
	if semicolons(header) {
		p.AddErr(&ValidationError{File: label, Line: 1, Where: "header", Err: fmt.Errorf("the columns are separated by semicolons (%q), as a spreadsheet set to a French locale saves CSV: "+
			"save the file as CSV with commas between columns and points as decimal marks (for example \"CSV UTF-8 (comma delimited)\"; in LibreOffice, field delimiter \",\")", strings.Join(header, ","))})
		return nil, false
	}
	ok := true
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		header[i] = h
		switch {
		case h == "":
			p.AddErr(&ValidationError{File: label, Line: 1, Column: i + 1, Where: "header", Err: errors.New("empty column name")})
			ok = false
		case !known[h]:
			p.AddErr(&ValidationError{File: label, Line: 1, Column: i + 1, Where: "header", Field: h, Err: fmt.Errorf("unknown column %q (known: %s)", h, specNames(spec))})
			ok = false
		default:
			if _, dup := t.cols[h]; dup {
				p.AddErr(&ValidationError{File: label, Line: 1, Column: i + 1, Where: "header", Field: h, Err: errors.New("column given twice")})
				ok = false
			}
			t.cols[h] = i
		}
	}
	for _, c := range spec {
		if _, has := t.cols[c.name]; c.required && !has {
			p.AddErr(&ValidationError{File: label, Line: 1, Where: "header", Field: c.name, Err: fmt.Errorf("missing required column %q", c.name)})
			ok = false
		}
	}
	t.header = header
	if src != nil {
		m := map[string]int{}
		for name, i := range t.cols {
			m[name] = i + 1
		}
		src.columns[base] = m
	}
	return t, ok
}

// semicolons reports whether a header was written with semicolons between
// its columns: one field holding a semicolon.
func semicolons(header []string) bool {
	for _, h := range header {
		if strings.Contains(h, ";") {
			return true
		}
	}
	return false
}

func specNames(spec []column) string {
	names := make([]string, len(spec))
	for i, c := range spec {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

func csvErr(label string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ValidationError{File: label, Line: pe.Line, Column: pe.Column, Where: "csv", Err: pe.Err}
	}
	return &ValidationError{File: label, Where: "csv", Err: err}
}

// next reads the next record; it returns false at the end of the file or
// after a syntax error (which it records).
func (t *csvTable) next() bool {
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return false
		}
		if err != nil {
			t.p.AddErr(csvErr(t.file, err))
			return false
		}
		t.line, _ = t.r.FieldPos(0)
		if len(rec) != len(t.header) {
			t.p.AddErr(&ValidationError{File: t.file, Line: t.line, Where: "row", Err: fmt.Errorf("has %d fields, the header has %d", len(rec), len(t.header))})
			continue
		}
		t.rec = rec
		return true
	}
}

func (t *csvTable) where(where, field string, err error) {
	col := 0
	if i, ok := t.cols[field]; ok {
		col = i + 1
	}
	t.p.AddErr(&ValidationError{File: t.file, Line: t.line, Column: col, Where: where, Field: field, Err: err})
}

func (t *csvTable) str(name string) string {
	if i, ok := t.cols[name]; ok {
		return strings.TrimSpace(t.rec[i])
	}
	return ""
}

// float parses a number; an empty cell gives def.
func (t *csvTable) float(where, name string, def float64) float64 {
	s := t.str(name)
	if s == "" {
		return def
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		t.where(where, name, fmt.Errorf("must be a finite number, got %q", s))
		return def
	}
	return v
}

// optFloat parses an optional number: nil for an empty cell.
func (t *csvTable) optFloat(where, name string) *float64 {
	if t.str(name) == "" {
		return nil
	}
	v := t.float(where, name, math.NaN())
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func (t *csvTable) integer(where, name string) int {
	s := t.str(name)
	if s == "" {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		t.where(where, name, fmt.Errorf("must be a whole number, got %q", s))
		return 0
	}
	return v
}

func (t *csvTable) boolean(where, name string) bool {
	switch strings.ToLower(t.str(name)) {
	case "", "0", "false", "no", "n", "f":
		return false
	case "1", "true", "yes", "y", "t":
		return true
	}
	t.where(where, name, fmt.Errorf("must be true or false, got %q", t.str(name)))
	return false
}

func (t *csvTable) level(where, name string) Level {
	s := t.str(name)
	if s == "" {
		return 0
	}
	l, err := ParseLevel(s)
	if err != nil {
		t.where(where, name, fmt.Errorf("unknown level %q (want essp, local, provincial, regional or chu)", s))
		return 0
	}
	return l
}

// Column specifications of the region directory. See ReadDir.
var (
	regionColumns    = []column{{"field", true}, {"value", true}}
	provinceColumns  = []column{{"id", true}, {"name", false}}
	areaColumns      = []column{{"id", true}, {"name", false}, {"province", false}, {"lat", true}, {"lon", true}, {"population", true}, {"year", false}, {"past_population", false}, {"past_year", false}, {"urban", false}, {"deprivation", false}}
	segmentColumns   = []column{{"area", true}, {"segment", true}, {"population", true}}
	estColumns       = []column{{"id", true}, {"name", false}, {"level", true}, {"ownership", false}, {"province", false}, {"area", false}, {"lat", true}, {"lon", true}, {"beds", false}, {"closable", false}, {"candidate", false}, {"open_cost", false}, {"close_cost", false}, {"source", false}}
	offerColumns     = []column{{"establishment", true}, {"service", true}, {"capacity", false}}
	staffColumns     = []column{{"establishment", true}, {"category", true}, {"fte", true}}
	serviceColumns   = []column{{"id", true}, {"name", false}, {"unit", false}, {"min_level", false}, {"standard_minutes", false}}
	categoryColumns  = []column{{"id", true}, {"name", false}, {"hours_per_year", true}, {"annual_cost", false}}
	travelColumns    = []column{{"from", true}, {"to", true}, {"minutes", true}, {"km", true}}
	requiredRegionFi = []string{fileAreas}
)

// ReadDir reads a region from the directory dir of fsys ("." for its
// root). The directory holds these UTF-8 CSV files, each with a header row
// naming its columns in any order (a byte order mark, CRLF line ends and
// quoted fields are accepted; an unknown or repeated column is an error):
//
//	region.csv          field,value                 rows: id, name, attribution (repeatable)
//	provinces.csv       id,name
//	areas.csv           id,name,province,lat,lon,population,year,past_population,past_year,urban,deprivation
//	segments.csv        area,segment,population
//	establishments.csv  id,name,level,ownership,province,area,lat,lon,beds,closable,candidate,open_cost,close_cost,source
//	offers.csv          establishment,service,capacity
//	staff.csv           establishment,category,fte
//	services.csv        id,name,unit,min_level,standard_minutes
//	categories.csv      id,name,hours_per_year,annual_cost
//	travel.csv          from,to,minutes,km
//	areas.geojson       area outlines: a GeoJSON FeatureCollection of Polygons or MultiPolygons with property id
//
// Only areas.csv is required; a missing file is an empty table. Required
// columns: areas id, lat, lon, population; establishments id, level, lat,
// lon; offers establishment, service; staff establishment, category, fte;
// services id; categories id, hours_per_year; segments and travel every
// column. Levels are essp, local, provincial, regional, chu; ownership
// public or private; booleans true/false (also 1/0, yes/no); empty
// numeric cells are zero (deprivation: unknown). Coordinates are WGS84
// degrees, travel in minutes and kilometres, capacities in the service's
// unit per year, costs in dirhams. areas.geojson (RFC 7946, [longitude,
// latitude]) gives areas their Boundary; each feature's property "id"
// names an area of areas.csv, and areas without a feature have no outline
// (see DecodeBoundaries).
//
// Every problem is reported at once, each as a *ValidationError naming the
// file, line and column (errors.Is(err, ErrInvalid) holds; a file larger
// than ReadOptions.MaxFileBytes gives ErrTooLarge). The region read is
// validated (see Region.Validate) before it is returned, with its records
// in the order of their IDs whatever the order of the rows (provinces,
// areas, establishments, services and categories by ID; segments by name,
// offers by service, staff by category; attribution lines sorted), so
// that the same data always gives the same region and the same outputs.
// Region.Check looks further, for places that are implausible.
func ReadDir(fsys fs.FS, dir string, opt *ReadOptions) (*Region, error) {
	return readDir(fsys, dir, dir, opt)
}

func readDir(fsys fs.FS, dir, label string, opt *ReadOptions) (*Region, error) {
	d := &dirReader{fsys: fsys, dir: dir, max: opt.maxBytes(), src: newSourceMap(label), r: &Region{}}
	d.readRegionFields()
	d.readProvinces()
	// When areas.csv could not be read, references to areas from other
	// files are not checked: they would only repeat the first problem.
	areasFailed := d.readAreas()
	d.readServices()
	d.readCategories()
	// offers.csv and staff.csv refer to establishments: they are not read
	// when establishments.csv could not be.
	estsFailed := d.readEstablishments()
	d.readOffersAndStaff(!estsFailed)
	d.readSegments(!areasFailed)
	d.readBoundaries(areasFailed)
	travelLines := d.readTravel()
	if d.p.Len() > 0 {
		return nil, d.p.Err()
	}
	r, src := d.r, d.src
	src.lens, _ = r.fingerprint()
	r.src = src
	if err := r.Validate(); err != nil {
		return nil, locateTravel(err, r.Travel, src.path(fileTravel), travelLines)
	}
	r.canonical(src)
	return r, nil
}

// dirReader reads the files of a region directory into a region,
// recording every problem with its file, line and column.
type dirReader struct {
	fsys fs.FS
	dir  string
	max  int64
	src  *sourceMap
	p    Problems
	r    *Region
}

// load reads a file; a missing file is a problem when it is required.
func (d *dirReader) load(file string) ([]byte, bool) {
	src := d.src
	data, err := readFSFile(d.fsys, path.Join(d.dir, file), src.path(file), d.max)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			for _, req := range requiredRegionFi {
				if req == file {
					d.p.AddErr(&ValidationError{File: src.path(file), Where: "file", Err: errors.New("required file is missing")})
				}
			}
			return nil, false
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			err = &ValidationError{File: src.path(file), Where: "file", Err: err}
		}
		d.p.AddErr(err)
		return nil, false
	}
	return data, true
}

// table opens a CSV file with its columns; nil when it cannot be read.
func (d *dirReader) table(file string, spec []column) *csvTable {
	data, ok := d.load(file)
	if !ok {
		return nil
	}
	t, ok := openTable(data, d.src.path(file), file, spec, &d.p, d.src)
	if !ok {
		return nil
	}
	return t
}

func (d *dirReader) readRegionFields() {
	r := d.r
	if t := d.table(fileRegion, regionColumns); t != nil {
		seen := map[string]int{}
		for t.next() {
			f := strings.ToLower(t.str("field"))
			if l, dup := seen[f]; dup && f != "attribution" {
				t.where("region", "field", fmt.Errorf("%q given twice (first on line %d): a region has one %s", f, l, f))
				continue
			}
			seen[f] = t.line
			switch f {
			case "id":
				r.ID = t.str("value")
			case "name":
				r.Name = t.str("value")
			case "attribution":
				r.Attribution = append(r.Attribution, t.str("value"))
			default:
				t.where("region", "field", fmt.Errorf("unknown field %q (want id, name or attribution)", f))
			}
		}
	}
}

func (d *dirReader) readProvinces() {
	if t := d.table(fileProvinces, provinceColumns); t != nil {
		for t.next() {
			d.r.Provinces = append(d.r.Provinces, Province{ID: ProvinceID(t.str("id")), Name: t.str("name")})
			d.src.lines[fileProvinces] = append(d.src.lines[fileProvinces], t.line)
		}
	}
}

// readAreas reads areas.csv and reports whether it failed (or has no
// rows).
func (d *dirReader) readAreas() bool {
	r, src := d.r, d.src
	before := d.p.Len()
	if t := d.table(fileAreas, areaColumns); t != nil {
		for t.next() {
			id := t.str("id")
			w := whereNamed("area", len(r.Areas), id)
			a := Area{
				ID: AreaID(id), Name: t.str("name"), Province: ProvinceID(t.str("province")),
				Lat: t.float(w, "lat", math.NaN()), Lon: t.float(w, "lon", math.NaN()),
				Population:     t.float(w, "population", math.NaN()),
				Year:           t.integer(w, "year"),
				PastPopulation: t.float(w, "past_population", 0),
				PastYear:       t.integer(w, "past_year"),
				Urban:          t.boolean(w, "urban"),
				Deprivation:    t.optFloat(w, "deprivation"),
			}
			if t.str("population") == "" {
				t.where(w, "population", errors.New("is required"))
			}
			r.Areas = append(r.Areas, a)
			src.lines[fileAreas] = append(src.lines[fileAreas], t.line)
		}
	}
	failed := d.p.Len() > before
	if !failed && len(r.Areas) == 0 {
		d.p.AddErr(&ValidationError{File: src.path(fileAreas), Where: "file", Err: errors.New("has no rows: a region needs at least one area")})
		failed = true
	}
	return failed
}

func (d *dirReader) readServices() {
	r := d.r
	if t := d.table(fileServices, serviceColumns); t != nil {
		for t.next() {
			id := t.str("id")
			w := whereNamed("service", len(r.Services), id)
			r.Services = append(r.Services, Service{
				ID: ServiceID(id), Name: t.str("name"), Unit: t.str("unit"),
				MinLevel:        t.level(w, "min_level"),
				StandardMinutes: t.float(w, "standard_minutes", 0),
			})
			d.src.lines[fileServices] = append(d.src.lines[fileServices], t.line)
		}
	}
}

func (d *dirReader) readCategories() {
	r := d.r
	if t := d.table(fileCategories, categoryColumns); t != nil {
		for t.next() {
			id := t.str("id")
			w := whereNamed("category", len(r.Categories), id)
			r.Categories = append(r.Categories, Category{
				ID: CategoryID(id), Name: t.str("name"),
				HoursPerYear: t.float(w, "hours_per_year", 0),
				AnnualCost:   t.float(w, "annual_cost", 0),
			})
			d.src.lines[fileCategories] = append(d.src.lines[fileCategories], t.line)
		}
	}
}

// readEstablishments reads establishments.csv and reports whether it
// failed.
func (d *dirReader) readEstablishments() bool {
	r := d.r
	before := d.p.Len()
	if t := d.table(fileEstablishments, estColumns); t != nil {
		for t.next() {
			id := t.str("id")
			w := whereNamed("establishment", len(r.Establishments), id)
			e := Establishment{
				ID: EstablishmentID(id), Name: t.str("name"),
				Level:    t.level(w, "level"),
				Province: ProvinceID(t.str("province")), Area: AreaID(t.str("area")),
				Lat: t.float(w, "lat", math.NaN()), Lon: t.float(w, "lon", math.NaN()),
				Beds:      t.float(w, "beds", 0),
				Closable:  t.boolean(w, "closable"),
				Candidate: t.boolean(w, "candidate"),
				OpenCost:  t.float(w, "open_cost", 0),
				CloseCost: t.float(w, "close_cost", 0),
				Source:    t.str("source"),
			}
			if t.str("level") == "" {
				t.where(w, "level", errors.New("is required (essp, local, provincial, regional or chu)"))
			}
			o, err := ParseOwnership(t.str("ownership"))
			if err != nil {
				t.where(w, "ownership", fmt.Errorf("unknown ownership %q (want public or private)", t.str("ownership")))
			}
			e.Ownership = o
			r.Establishments = append(r.Establishments, e)
			d.src.lines[fileEstablishments] = append(d.src.lines[fileEstablishments], t.line)
		}
	}
	return d.p.Len() > before
}

// readOffersAndStaff reads offers.csv and staff.csv when read is set.
func (d *dirReader) readOffersAndStaff(read bool) {
	r, src := d.r, d.src
	estIx := make(map[EstablishmentID]int, len(r.Establishments))
	for i, e := range r.Establishments {
		if _, dup := estIx[e.ID]; !dup {
			estIx[e.ID] = i
		}
	}
	src.nested[fileOffers] = make([][]int, len(r.Establishments))
	src.nested[fileStaff] = make([][]int, len(r.Establishments))
	if !read {
		return
	}
	if t := d.table(fileOffers, offerColumns); t != nil {
		for t.next() {
			eid := EstablishmentID(t.str("establishment"))
			w := fmt.Sprintf("offer (establishment %q, service %q)", eid, t.str("service"))
			i, ok := estIx[eid]
			if !ok {
				t.where(w, "establishment", fmt.Errorf("unknown establishment %q", eid))
				continue
			}
			r.Establishments[i].Offers = append(r.Establishments[i].Offers, Offer{
				Service: ServiceID(t.str("service")), Capacity: t.float(w, "capacity", 0),
			})
			src.nested[fileOffers][i] = append(src.nested[fileOffers][i], t.line)
		}
	}
	if t := d.table(fileStaff, staffColumns); t != nil {
		for t.next() {
			eid := EstablishmentID(t.str("establishment"))
			w := fmt.Sprintf("staff (establishment %q, category %q)", eid, t.str("category"))
			i, ok := estIx[eid]
			if !ok {
				t.where(w, "establishment", fmt.Errorf("unknown establishment %q", eid))
				continue
			}
			if t.str("fte") == "" {
				t.where(w, "fte", errors.New("is required"))
			}
			r.Establishments[i].Staff = append(r.Establishments[i].Staff, Staffing{
				Category: CategoryID(t.str("category")), FTE: t.float(w, "fte", 0),
			})
			src.nested[fileStaff][i] = append(src.nested[fileStaff][i], t.line)
		}
	}
}

// readSegments reads segments.csv when read is set.
func (d *dirReader) readSegments(read bool) {
	r, src := d.r, d.src
	areaIx := make(map[AreaID]int, len(r.Areas))
	for i, a := range r.Areas {
		if _, dup := areaIx[a.ID]; !dup {
			areaIx[a.ID] = i
		}
	}
	src.nested[fileSegments] = make([][]int, len(r.Areas))
	if !read {
		return
	}
	if t := d.table(fileSegments, segmentColumns); t != nil {
		for t.next() {
			aid := AreaID(t.str("area"))
			w := fmt.Sprintf("segment (area %q, segment %q)", aid, t.str("segment"))
			i, ok := areaIx[aid]
			if !ok {
				t.where(w, "area", fmt.Errorf("unknown area %q", aid))
				continue
			}
			if t.str("population") == "" {
				t.where(w, "population", errors.New("is required"))
			}
			r.Areas[i].Segments = append(r.Areas[i].Segments, Segment{Name: t.str("segment"), Population: t.float(w, "population", 0)})
			src.nested[fileSegments][i] = append(src.nested[fileSegments][i], t.line)
		}
	}
}

// readBoundaries reads areas.geojson when there is one and the areas were
// read.
func (d *dirReader) readBoundaries(areasFailed bool) {
	areaIx := make(map[AreaID]int, len(d.r.Areas))
	for i, a := range d.r.Areas {
		areaIx[a.ID] = i
	}
	readBoundariesInto(d.r, d.load, d.src, areaIx, areasFailed, &d.p)
}

// readTravel reads travel.csv when there is one, and returns the line of
// each of its legs.
func (d *dirReader) readTravel() map[string]int {
	data, ok := d.load(fileTravel)
	if !ok {
		return nil
	}
	m, lines, err := readMatrixLines(data, d.src.path(fileTravel), &d.p)
	if err != nil {
		return nil
	}
	d.r.Travel = m
	d.src.pairs = make(map[Pair]int, len(lines))
	for k, l := range lines {
		if strings.HasPrefix(k, "pair:") {
			if f, t, ok := strings.Cut(k[len("pair:"):], "\x00"); ok {
				d.src.pairs[Pair{f, t}] = l
			}
		}
	}
	return lines
}

// locateTravel names the travel file, and the first line that names the
// place at fault, in the problems Validate finds in a travel matrix read
// from it (Validate knows the matrix, not the file).
func locateTravel(err error, m *Matrix, file string, lines map[string]int) error {
	if m == nil {
		return err
	}
	at := map[string]int{}
	for i, id := range m.From() {
		at[whereNamed("travel matrix origin", i, id)] = lines["from:"+id]
	}
	for j, id := range m.To() {
		at[whereNamed("travel matrix destination", j, id)] = lines["to:"+id]
	}
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var ve *ValidationError
		if !errors.As(e, &ve) || ve.File != "" {
			return
		}
		if l, ok := at[ve.Where]; ok {
			ve.File, ve.Line = file, l
		} else if ve.Where == "travel matrix" {
			ve.File = file
		}
	}
	walk(err)
	return err
}

// ReadMatrixCSV reads a sparse origin–destination matrix from CSV with the
// columns from, to, minutes and km (any order; a byte order mark, CRLF and
// quoted fields are accepted). Pairs not listed are unreachable. Origins
// and destinations are sorted so that row order does not matter. Every
// problem is reported at once with its line and column; name labels the
// input in errors.
func ReadMatrixCSV(rd io.Reader, name string, opt *ReadOptions) (*Matrix, error) {
	data, err := readLimited(rd, name, opt.maxBytes())
	if err != nil {
		return nil, err
	}
	var p Problems
	m, _ := readMatrixCSV(data, name, &p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

func readMatrixCSV(data []byte, label string, p *Problems) (*Matrix, error) {
	m, _, err := readMatrixLines(data, label, p)
	return m, err
}

// readMatrixLines reads a matrix as readMatrixCSV does, and returns the
// first line on which each origin ("from:" + ID) and each destination
// ("to:" + ID) appears.
func readMatrixLines(data []byte, label string, p *Problems) (*Matrix, map[string]int, error) {
	before := p.Len()
	t, ok := openTable(data, label, fileTravel, travelColumns, p, nil)
	if !ok {
		return nil, nil, errors.New("bad header")
	}
	var entries []MatrixEntry
	var lines []int
	for t.next() {
		f, to := t.str("from"), t.str("to")
		w := fmt.Sprintf("travel %q → %q", f, to)
		if f == "" {
			t.where(w, "from", errors.New("must not be empty"))
		}
		if to == "" {
			t.where(w, "to", errors.New("must not be empty"))
		}
		for _, c := range []string{"minutes", "km"} {
			if t.str(c) == "" {
				t.where(w, c, errors.New("is required"))
			}
		}
		e := MatrixEntry{From: f, To: to, Minutes: t.float(w, "minutes", 0), Km: t.float(w, "km", 0)}
		if e.Minutes < 0 {
			t.where(w, "minutes", fmt.Errorf("must be >= 0, got %v", e.Minutes))
		}
		if e.Km < 0 {
			t.where(w, "km", fmt.Errorf("must be >= 0, got %v", e.Km))
		}
		entries = append(entries, e)
		lines = append(lines, t.line)
	}
	if p.Len() > before {
		return nil, nil, errors.New("bad rows")
	}
	// Duplicate pairs, reported with both lines.
	first := make(map[Pair]int, len(entries))
	for i, e := range entries {
		k := Pair{e.From, e.To}
		if l, dup := first[k]; dup {
			p.AddErr(&ValidationError{File: label, Line: lines[i], Where: fmt.Sprintf("travel %q → %q", e.From, e.To), Err: fmt.Errorf("pair given twice (first on line %d)", l)})
			continue
		}
		first[k] = lines[i]
	}
	if p.Len() > before {
		return nil, nil, errors.New("duplicate pairs")
	}
	m, err := MatrixFromEntries(entries)
	if err != nil {
		p.AddErr(err)
		return nil, nil, err
	}
	at := make(map[string]int, 3*len(entries))
	for i, e := range entries {
		for _, k := range []string{"from:" + e.From, "to:" + e.To, "pair:" + e.From + "\x00" + e.To} {
			if _, ok := at[k]; !ok {
				at[k] = lines[i]
			}
		}
	}
	return m, at, nil
}
