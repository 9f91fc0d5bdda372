package gst

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// ValidationError is one problem found in a record: where it is, which
// field, and what is wrong. errors.Is(err, ErrInvalid) holds for every
// ValidationError.
type ValidationError struct {
	// File, Line and Column locate the problem in a file when the record
	// was read from one (Line and Column count from 1; Column is the
	// field's position in the CSV record). They are empty or zero when the
	// position is unknown.
	File   string
	Line   int
	Column int
	// Where names the record, for example `area "03.231.01.03"` or
	// `establishment "H12" offer "maternity"`.
	Where string
	// Field is the field at fault, as named in files (for example
	// "population"); empty when the whole record is at fault.
	Field string
	// Err says what is wrong.
	Err error
}

// Error returns "file:line:column: where: field: problem", leaving out
// what is unknown.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Column > 0 {
				fmt.Fprintf(&b, ":%d", e.Column)
			}
		}
		b.WriteString(": ")
	}
	parts := 0
	if e.Where != "" {
		b.WriteString(e.Where)
		parts++
	}
	if e.Field != "" {
		if parts > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Field)
		parts++
	}
	if parts > 0 {
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("invalid")
	}
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *ValidationError) Unwrap() error { return e.Err }

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// MaxAreaPopulation is the largest population Validate accepts for one
// area: two billion people, more than the largest country. A larger figure
// is a unit or export mistake, and left in it would swamp every sum.
const MaxAreaPopulation = 2e9

// MaxReportedProblems is how many problems Validate lists one by one; the
// rest are counted in a final error so that a huge broken input does not
// produce a huge error.
const MaxReportedProblems = 1000

// Problems collects validation problems and joins them into one error.
// The zero value is ready to use. Packages that validate their own inputs
// use it so that every entry point reports every problem at once.
type Problems struct {
	list  []error
	extra int
	// loc, when set, locates the current record's field in its file.
	loc func(field string) (file string, line, col int)
}

// Add records a problem.
func (p *Problems) Add(where, field string, err error) {
	if len(p.list) >= MaxReportedProblems {
		p.extra++
		return
	}
	ve := &ValidationError{Where: where, Field: field, Err: err}
	if p.loc != nil {
		ve.File, ve.Line, ve.Column = p.loc(field)
	}
	p.list = append(p.list, ve)
}

// Addf records a problem described by a format.
func (p *Problems) Addf(where, field, format string, args ...any) {
	if len(p.list) >= MaxReportedProblems {
		p.extra++
		return
	}
	p.Add(where, field, fmt.Errorf(format, args...))
}

// AddErr records an error that already says where it is (for example a
// *ValidationError or a *ParseError). A nil err is ignored; joined errors
// are flattened.
func (p *Problems) AddErr(err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			p.AddErr(e)
		}
		return
	}
	if len(p.list) >= MaxReportedProblems {
		p.extra++
		return
	}
	p.list = append(p.list, err)
}

// Len returns how many problems were recorded.
func (p *Problems) Len() int { return len(p.list) + p.extra }

// Err returns nil when no problem was recorded, and otherwise errors.Join
// of the problems (with a final count of those not listed).
func (p *Problems) Err() error {
	if len(p.list) == 0 && p.extra == 0 {
		return nil
	}
	list := p.list
	if p.extra > 0 {
		list = append(list[:len(list):len(list)], fmt.Errorf("%w: %d more problems not listed", ErrInvalid, p.extra))
	}
	return errors.Join(list...)
}

func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 1) }

// CheckNonNegative records a problem unless v is finite and >= 0.
func (p *Problems) CheckNonNegative(where, field string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		p.Addf(where, field, "must be a finite number >= 0, got %v", v)
	}
}

// CheckPositive records a problem unless v is finite and > 0.
func (p *Problems) CheckPositive(where, field string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		p.Addf(where, field, "must be a finite number > 0, got %v", v)
	}
}

// CheckFinite records a problem unless v is finite.
func (p *Problems) CheckFinite(where, field string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		p.Addf(where, field, "must be a finite number, got %v", v)
	}
}

// CheckFraction records a problem unless v is in [0, 1].
func (p *Problems) CheckFraction(where, field string, v float64) {
	if math.IsNaN(v) || v < 0 || v > 1 {
		p.Addf(where, field, "must be in [0, 1], got %v", v)
	}
}

// CheckLatLon records problems for coordinates out of range.
func (p *Problems) CheckLatLon(where string, lat, lon float64) {
	if math.IsNaN(lat) || lat < -90 || lat > 90 {
		p.Addf(where, "lat", "must be a latitude in [-90, 90] degrees, got %v", lat)
	}
	if math.IsNaN(lon) || lon < -180 || lon > 180 {
		p.Addf(where, "lon", "must be a longitude in [-180, 180] degrees, got %v", lon)
	}
}

func checkID(p *Problems, where string, id string) {
	if strings.TrimSpace(id) == "" {
		p.Add(where, "id", errors.New("must not be empty"))
	} else if strings.TrimSpace(id) != id {
		p.Addf(where, "id", "must not start or end with spaces: %q", id)
	}
}

// Where-labels for records, shared by Validate and the readers.
func whereArea(i int, id AreaID) string {
	if id == "" {
		return fmt.Sprintf("area #%d", i+1)
	}
	return fmt.Sprintf("area %q", id)
}

func whereEst(i int, id EstablishmentID) string {
	if id == "" {
		return fmt.Sprintf("establishment #%d", i+1)
	}
	return fmt.Sprintf("establishment %q", id)
}

func whereNamed(kind string, i int, id string) string {
	if id == "" {
		return fmt.Sprintf("%s #%d", kind, i+1)
	}
	return fmt.Sprintf("%s %q", kind, id)
}

// Validate checks the whole region and reports every problem at once, as
// errors.Join of *ValidationError values (errors.Is(err, ErrInvalid)
// holds). It checks that:
//   - there is at least one area;
//   - IDs are non-empty and unique within their kind, and area and
//     establishment IDs do not collide (they share one namespace in
//     travel matrices);
//   - every reference resolves: provinces (when Provinces is not empty),
//     the area an establishment stands in, offered services, staff
//     categories, travel matrix origins and destinations;
//   - numbers are finite and non-negative (population, beds, capacities,
//     FTE, costs, travel), hours per year are positive;
//   - coordinates are in range;
//   - segments have names, are unique per area, and within one dimension
//     sum to at most the area's population;
//   - levels and ownerships are valid and a candidate is not also closable.
func (r *Region) Validate() error {
	var p Problems
	r.validateInto(&p)
	r.validateBoundaries(&p)
	return p.Err()
}

func (r *Region) validateInto(p *Problems) {
	if r == nil {
		p.Add("region", "", errors.New("is nil"))
		return
	}
	src := r.src
	if src != nil && !src.matches(r) {
		src = nil
	}
	defer func() { p.loc = nil }()
	if len(r.Areas) == 0 {
		p.Add("region", "areas", errors.New("a region needs at least one area"))
	}
	c := &regionCheck{r: r, p: p, src: src}
	c.provinces()
	c.services()
	c.categories()
	c.areas()
	c.establishments()
	p.loc = nil
	if r.Travel != nil {
		r.Travel.validateAgainst(p, func(id string) bool {
			return c.areaIDs[AreaID(id)] || c.estIDs[EstablishmentID(id)]
		})
	}
}

// regionCheck checks the records of a region in order, keeping the IDs
// seen for the references of later records.
type regionCheck struct {
	r   *Region
	p   *Problems
	src *sourceMap

	provinceIDs map[ProvinceID]bool
	serviceIDs  map[ServiceID]bool
	categoryIDs map[CategoryID]bool
	areaIDs     map[AreaID]bool
	estIDs      map[EstablishmentID]bool
}

func (c *regionCheck) provinces() {
	c.provinceIDs = make(map[ProvinceID]bool, len(c.r.Provinces))
	for i, pr := range c.r.Provinces {
		w := whereNamed("province", i, string(pr.ID))
		c.p.loc = c.src.locator(fileProvinces, i)
		checkID(c.p, w, string(pr.ID))
		if c.provinceIDs[pr.ID] && pr.ID != "" {
			c.p.Add(w, "id", errors.New("duplicate province ID"))
		}
		c.provinceIDs[pr.ID] = true
	}
}

// checkProvince records an unknown province, when the region lists its
// provinces.
func (c *regionCheck) checkProvince(where string, id ProvinceID) {
	if id != "" && len(c.r.Provinces) > 0 && !c.provinceIDs[id] {
		c.p.Addf(where, "province", "unknown province %q", id)
	}
}

func (c *regionCheck) services() {
	p := c.p
	c.serviceIDs = make(map[ServiceID]bool, len(c.r.Services))
	for i, s := range c.r.Services {
		w := whereNamed("service", i, string(s.ID))
		p.loc = c.src.locator(fileServices, i)
		checkID(p, w, string(s.ID))
		if c.serviceIDs[s.ID] && s.ID != "" {
			p.Add(w, "id", errors.New("duplicate service ID"))
		}
		c.serviceIDs[s.ID] = true
		if s.MinLevel != 0 && !s.MinLevel.Valid() {
			p.Addf(w, "min_level", "invalid level %d", int(s.MinLevel))
		}
		p.CheckNonNegative(w, "standard_minutes", s.StandardMinutes)
	}
}

func (c *regionCheck) categories() {
	p := c.p
	c.categoryIDs = make(map[CategoryID]bool, len(c.r.Categories))
	for i, cat := range c.r.Categories {
		w := whereNamed("category", i, string(cat.ID))
		p.loc = c.src.locator(fileCategories, i)
		checkID(p, w, string(cat.ID))
		if c.categoryIDs[cat.ID] && cat.ID != "" {
			p.Add(w, "id", errors.New("duplicate category ID"))
		}
		c.categoryIDs[cat.ID] = true
		p.CheckPositive(w, "hours_per_year", cat.HoursPerYear)
		p.CheckNonNegative(w, "annual_cost", cat.AnnualCost)
	}
}

func (c *regionCheck) areas() {
	p := c.p
	c.areaIDs = make(map[AreaID]bool, len(c.r.Areas))
	for i := range c.r.Areas {
		a := &c.r.Areas[i]
		w := whereArea(i, a.ID)
		p.loc = c.src.locator(fileAreas, i)
		checkID(p, w, string(a.ID))
		if c.areaIDs[a.ID] && a.ID != "" {
			p.Add(w, "id", errors.New("duplicate area ID"))
		}
		c.areaIDs[a.ID] = true
		c.checkProvince(w, a.Province)
		p.CheckLatLon(w, a.Lat, a.Lon)
		checkAreaFigures(p, w, a)
		validateSegments(p, w, a, c.src, i)
	}
}

// checkAreaFigures checks an area's population, census years and
// deprivation.
func checkAreaFigures(p *Problems, w string, a *Area) {
	p.CheckNonNegative(w, "population", a.Population)
	p.CheckNonNegative(w, "past_population", a.PastPopulation)
	if a.Population > MaxAreaPopulation && !math.IsInf(a.Population, 1) {
		p.Addf(w, "population", "%v is more than any catchment holds (limit %v); check the units", a.Population, float64(MaxAreaPopulation))
	}
	if a.PastPopulation > MaxAreaPopulation && !math.IsInf(a.PastPopulation, 1) {
		p.Addf(w, "past_population", "%v is more than any catchment holds (limit %v); check the units", a.PastPopulation, float64(MaxAreaPopulation))
	}
	if a.Year < 0 {
		p.Addf(w, "year", "must not be negative, got %d", a.Year)
	}
	if a.PastYear < 0 {
		p.Addf(w, "past_year", "must not be negative, got %d", a.PastYear)
	}
	if a.PastYear != 0 && a.Year != 0 && a.PastYear >= a.Year {
		p.Addf(w, "past_year", "must be before year %d, got %d", a.Year, a.PastYear)
	}
	if a.PastPopulation > 0 && a.PastYear == 0 {
		p.Add(w, "past_year", errors.New("is required when past_population is given"))
	}
	if a.PastYear != 0 && a.Year == 0 {
		p.Add(w, "year", errors.New("is required when past_year is given"))
	}
	if a.Deprivation != nil {
		p.CheckFinite(w, "deprivation", *a.Deprivation)
	}
}

func (c *regionCheck) establishments() {
	p := c.p
	c.estIDs = make(map[EstablishmentID]bool, len(c.r.Establishments))
	for i := range c.r.Establishments {
		e := &c.r.Establishments[i]
		w := whereEst(i, e.ID)
		p.loc = c.src.locator(fileEstablishments, i)
		checkID(p, w, string(e.ID))
		if c.estIDs[e.ID] && e.ID != "" {
			p.Add(w, "id", errors.New("duplicate establishment ID"))
		}
		c.estIDs[e.ID] = true
		if c.areaIDs[AreaID(e.ID)] && e.ID != "" {
			p.Addf(w, "id", "%q is also an area ID; area and establishment IDs share one namespace", e.ID)
		}
		if !e.Level.Valid() {
			p.Addf(w, "level", "invalid level %d (want essp, local, provincial, regional or chu)", int(e.Level))
		}
		if e.Ownership != Public && e.Ownership != Private {
			p.Addf(w, "ownership", "invalid ownership %d", int(e.Ownership))
		}
		c.checkProvince(w, e.Province)
		if e.Area != "" && !c.areaIDs[e.Area] {
			p.Addf(w, "area", "unknown area %q", e.Area)
		}
		p.CheckLatLon(w, e.Lat, e.Lon)
		p.CheckNonNegative(w, "beds", e.Beds)
		p.CheckNonNegative(w, "open_cost", e.OpenCost)
		p.CheckNonNegative(w, "close_cost", e.CloseCost)
		if e.Candidate && e.Closable {
			p.Add(w, "closable", errors.New("a candidate site does not exist yet and cannot be closable"))
		}
		c.offers(i, e, w)
		c.staff(i, e, w)
	}
}

// offers checks an establishment's offers: known services, once each,
// capacities finite and not negative.
func (c *regionCheck) offers(i int, e *Establishment, w string) {
	p := c.p
	seen := make(map[ServiceID]bool, len(e.Offers))
	for j, o := range e.Offers {
		dup := seen[o.Service]
		seen[o.Service] = true
		if o.Service != "" && c.serviceIDs[o.Service] && !dup && finiteNonNeg(o.Capacity) {
			continue // the common case: nothing to report, no labels to build
		}
		wo := fmt.Sprintf("%s offer %q", w, o.Service)
		p.loc = c.src.nestedLocator(fileOffers, i, j)
		if o.Service == "" {
			wo = fmt.Sprintf("%s offer #%d", w, j+1)
			p.Add(wo, "service", errors.New("must not be empty"))
		} else if !c.serviceIDs[o.Service] {
			p.Addf(wo, "service", "unknown service %q", o.Service)
		}
		if dup && o.Service != "" {
			p.Add(wo, "service", errors.New("offered twice"))
		}
		p.CheckNonNegative(wo, "capacity", o.Capacity)
	}
}

// staff checks an establishment's staff: known categories, once each,
// FTE finite and not negative.
func (c *regionCheck) staff(i int, e *Establishment, w string) {
	p := c.p
	seenC := make(map[CategoryID]bool, len(e.Staff))
	for j, s := range e.Staff {
		dup := seenC[s.Category]
		seenC[s.Category] = true
		if s.Category != "" && c.categoryIDs[s.Category] && !dup && finiteNonNeg(s.FTE) {
			continue
		}
		ws := fmt.Sprintf("%s staff %q", w, s.Category)
		p.loc = c.src.nestedLocator(fileStaff, i, j)
		if s.Category == "" {
			ws = fmt.Sprintf("%s staff #%d", w, j+1)
			p.Add(ws, "category", errors.New("must not be empty"))
		} else if !c.categoryIDs[s.Category] {
			p.Addf(ws, "category", "unknown category %q", s.Category)
		}
		if dup && s.Category != "" {
			p.Add(ws, "category", errors.New("listed twice"))
		}
		p.CheckNonNegative(ws, "fte", s.FTE)
	}
}

func validateSegments(p *Problems, where string, a *Area, src *sourceMap, ai int) {
	if len(a.Segments) == 0 {
		return
	}
	popOK := !math.IsNaN(a.Population) && !math.IsInf(a.Population, 0) && a.Population >= 0
	areaLoc := p.loc
	defer func() { p.loc = areaLoc }()
	seen := make(map[string]bool, len(a.Segments))
	sums := make(map[string]float64)
	for j, s := range a.Segments {
		dup := seen[s.Name]
		if !math.IsNaN(s.Population) {
			sums[SegmentDimension(s.Name)] += s.Population
		}
		if strings.TrimSpace(s.Name) != "" && !dup && finiteNonNeg(s.Population) {
			seen[s.Name] = true
			continue
		}
		ws := fmt.Sprintf("%s segment %q", where, s.Name)
		p.loc = src.nestedLocator(fileSegments, ai, j)
		if strings.TrimSpace(s.Name) == "" {
			ws = fmt.Sprintf("%s segment #%d", where, j+1)
			p.Add(ws, "name", errors.New("must not be empty"))
		}
		if dup && s.Name != "" {
			p.Add(ws, "name", errors.New("listed twice"))
		}
		seen[s.Name] = true
		p.CheckNonNegative(ws, "population", s.Population)
	}
	dims := make([]string, 0, len(sums))
	for d := range sums {
		dims = append(dims, d)
	}
	sort.Strings(dims)
	p.loc = areaLoc
	for _, d := range dims {
		if popOK && sums[d] > a.Population*(1+1e-9)+1e-9 {
			p.Addf(where, "segments", "segments of dimension %q sum to %v, more than the population %v", d, sums[d], a.Population)
		}
	}
}

// SegmentDimension returns the dimension of a segment name: the part
// before the first slash, or "" when there is none.
func SegmentDimension(name string) string {
	if i := strings.IndexByte(name, '/'); i >= 0 {
		return name[:i]
	}
	return ""
}
