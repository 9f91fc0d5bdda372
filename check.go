package gst

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/gstplan/gst/internal/msgtext"
)

// CheckKind says what a plausibility Warning is about.
type CheckKind int

// The kinds of warning Region.Check gives.
const (
	// FarOutside is a place far from every area of the region.
	FarOutside CheckKind = iota + 1
	// SwappedLatLon is a place whose latitude and longitude look swapped:
	// far from the region as given, within it once swapped.
	SwappedLatLon
	// ScatteredProvince is a place far from the other areas of its
	// province.
	ScatteredProvince
	// OutsideBoundary is an area's point far outside its own outline.
	OutsideBoundary
	// ImplausibleTravel is a travel row faster than roads allow, or with
	// a road shorter than the straight line.
	ImplausibleTravel
)

var checkKindNames = [...]string{"", "far outside", "swapped lat/lon", "scattered province", "outside boundary", "implausible travel"}

// String returns "far outside", "swapped lat/lon", "scattered province",
// "outside boundary" or "implausible travel".
func (k CheckKind) String() string {
	if k > 0 && int(k) < len(checkKindNames) {
		return checkKindNames[k]
	}
	return fmt.Sprintf("CheckKind(%d)", int(k))
}

// MarshalText encodes the kind as its String form.
func (k CheckKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Warning is a record that is valid but implausible, located like a
// ValidationError: the file, line and column it was read from (when it
// was), the record, the field, and what looks wrong.
type Warning struct {
	File    string    `json:"file,omitempty"`
	Line    int       `json:"line,omitempty"`
	Column  int       `json:"column,omitempty"`
	Where   string    `json:"where"`
	Field   string    `json:"field,omitempty"`
	Kind    CheckKind `json:"kind"`
	Message string    `json:"message"`
}

// String returns "file:line:column: where: field: message", leaving out
// what is unknown, as ValidationError.Error does.
func (w Warning) String() string {
	ve := ValidationError{File: w.File, Line: w.Line, Column: w.Column, Where: w.Where, Field: w.Field, Err: fmt.Errorf("%s", w.Message)}
	return ve.Error()
}

// The thresholds of Check.
const (
	// CheckMinReachKm is the least distance from the nearest area at which
	// a place counts as far outside the region.
	CheckMinReachKm = 50
	// CheckProvinceMinKm is the least distance from its province's centre
	// at which a place counts as scattered.
	CheckProvinceMinKm = 30
	// CheckBoundaryKm is how far outside the bounding box of its own
	// outline an area's point may lie.
	CheckBoundaryKm = 25
	// CheckWarnKmh and CheckMaxKmh are straight-line speeds of a travel
	// row: above the first roads rarely go (a warning), above the second
	// no road goes (an error).
	CheckWarnKmh = 130
	CheckMaxKmh  = 250
)

// Check looks for what Validate cannot call wrong but is most likely a
// mistake in the places of a region, and returns warnings for the
// implausible and an error for the impossible; never silence. It first
// validates the region (an invalid one returns Validate's error and no
// warning).
//
// Warnings, sorted by file, line and record:
//   - FarOutside: an area or establishment farther than the region's reach
//     from every other area. The reach is 3 × the 90th percentile of the
//     distance from each area to its nearest neighbour, at least
//     CheckMinReachKm (about 60 km for a region of communes, several
//     hundred in the Sahara). A referral hospital of the next region is
//     legitimate; a hospital in Paris keeping its province is not.
//   - SwappedLatLon: such a place that, latitude and longitude swapped,
//     would lie within the region's reach.
//   - ScatteredProvince: a place farther from its province's centre (the
//     median latitude and longitude of its areas; provinces of three areas
//     or more) than 3 × the 90th percentile of its areas' distances to it,
//     and at least CheckProvinceMinKm.
//   - OutsideBoundary: an area whose point lies more than CheckBoundaryKm
//     outside the bounding box of its own outline (areas.geojson), or
//     whose point swapped lies inside it.
//   - ImplausibleTravel: a travel row between places at least 5 km apart
//     whose straight-line speed exceeds CheckWarnKmh, or whose road is
//     shorter than the straight line by more than max(5 km, 20%).
//
// Errors (each a *ValidationError, joined; errors.Is(err, ErrInvalid)):
// a travel row whose straight-line speed exceeds CheckMaxKmh (or takes no
// time) or whose road is shorter than half the straight line less 5 km,
// between places at least 5 km apart: no road does that.
//
// Places are named by code and name. Check does not change the region; it
// is safe to call from several goroutines, and deterministic.
func (r *Region) Check() ([]Warning, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c := &checker{r: r, src: r.src}
	if c.src != nil && !c.src.matches(r) {
		c.src = nil
	}
	c.reach()
	c.places()
	c.provinces()
	c.boundaries()
	c.travel()
	sort.SliceStable(c.warnings, func(i, j int) bool {
		a, b := c.warnings[i], c.warnings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Where < b.Where
	})
	return c.warnings, c.errs.Err()
}

// checker carries one Check.
type checker struct {
	r        *Region
	src      *sourceMap
	reachKm  float64
	far      map[string]bool // places reported far outside, by kind and ID
	warnings []Warning
	errs     Problems
}

// reach computes the region's reach from the areas' nearest neighbours.
func (c *checker) reach() {
	as := c.r.Areas
	nn := make([]float64, 0, len(as))
	for i := range as {
		best := math.Inf(1)
		for j := range as {
			if i != j {
				best = math.Min(best, GreatCircleKm(as[i].Lat, as[i].Lon, as[j].Lat, as[j].Lon))
			}
		}
		if !math.IsInf(best, 1) {
			nn = append(nn, best)
		}
	}
	c.reachKm = CheckMinReachKm
	if len(nn) > 0 {
		sort.Float64s(nn)
		c.reachKm = math.Max(c.reachKm, 3*nn[int(0.9*float64(len(nn)-1))])
	}
	c.far = map[string]bool{}
}

// nearestArea returns the distance from a point to the nearest area other
// than skip (-1: none skipped), and that area.
func (c *checker) nearestArea(lat, lon float64, skip int) (float64, int) {
	best, at := math.Inf(1), -1
	for j := range c.r.Areas {
		if j == skip {
			continue
		}
		a := &c.r.Areas[j]
		if d := GreatCircleKm(lat, lon, a.Lat, a.Lon); d < best {
			best, at = d, j
		}
	}
	return best, at
}

// named names a record by code and name.
func named(kind, id, name string) string {
	if name == "" {
		return fmt.Sprintf("%s %q", kind, id)
	}
	return fmt.Sprintf("%s %q (%s)", kind, id, name)
}

// warn records a warning on a record of a file.
func (c *checker) warn(file string, i int, where, field string, kind CheckKind, format string, args ...any) {
	w := Warning{Where: where, Field: field, Kind: kind, Message: fmt.Sprintf(format, args...)}
	if c.src != nil {
		if loc := c.src.locator(file, i); loc != nil {
			w.File, w.Line, w.Column = loc(field)
		}
	}
	c.warnings = append(c.warnings, w)
}

// places finds areas and establishments far outside the region.
func (c *checker) places() {
	r := c.r
	if len(r.Areas) < 2 {
		return
	}
	km := msgtext.Number
	look := func(file string, i int, kind, id, name string, lat, lon float64, self int) {
		d, _ := c.nearestArea(lat, lon, self)
		if d <= c.reachKm {
			return
		}
		c.far[kind+"\x00"+id] = true
		where := named(kind, id, name)
		if sd, sa := c.nearestArea(lon, lat, self); sd <= c.reachKm && validLatLon(lon, lat) {
			c.warn(file, i, where, "lat", SwappedLatLon, "latitude and longitude look swapped: (lat %s, lon %s) lies %s km from the nearest area of the region; swapped, it would be %s km from area %s",
				strconv.FormatFloat(lat, 'f', -1, 64), strconv.FormatFloat(lon, 'f', -1, 64), km(d), km(sd), namedPlace(string(r.Areas[sa].ID), r.Areas[sa].Name))
			return
		}
		c.warn(file, i, where, "lat", FarOutside, "lies %s km from the nearest area of the region (its reach is %s km): check its coordinates", km(d), km(c.reachKm))
	}
	for i := range r.Areas {
		a := &r.Areas[i]
		look(fileAreas, i, "area", string(a.ID), a.Name, a.Lat, a.Lon, i)
	}
	for i := range r.Establishments {
		e := &r.Establishments[i]
		look(fileEstablishments, i, "establishment", string(e.ID), e.Name, e.Lat, e.Lon, -1)
	}
}

func validLatLon(lat, lon float64) bool { return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 }

// provinces finds places far from the other areas of their province.
func (c *checker) provinces() {
	r := c.r
	type prov struct {
		lat, lon, radius float64
		ok               bool
	}
	members := map[ProvinceID][]int{}
	for i := range r.Areas {
		if p := r.Areas[i].Province; p != "" {
			members[p] = append(members[p], i)
		}
	}
	centre := map[ProvinceID]prov{}
	for p, idx := range members {
		if len(idx) < 3 {
			continue
		}
		lats, lons := make([]float64, len(idx)), make([]float64, len(idx))
		for k, i := range idx {
			lats[k], lons[k] = r.Areas[i].Lat, r.Areas[i].Lon
		}
		pc := prov{lat: median(lats), lon: median(lons), ok: true}
		ds := make([]float64, len(idx))
		for k, i := range idx {
			ds[k] = GreatCircleKm(pc.lat, pc.lon, r.Areas[i].Lat, r.Areas[i].Lon)
		}
		sort.Float64s(ds)
		pc.radius = math.Max(CheckProvinceMinKm, 3*ds[int(0.9*float64(len(ds)-1))])
		centre[p] = pc
	}
	name := func(p ProvinceID) string {
		if pv, ok := r.Province(p); ok && pv.Name != "" {
			return fmt.Sprintf("%q (%s)", p, pv.Name)
		}
		return fmt.Sprintf("%q", p)
	}
	look := func(file string, i int, kind, id, nm string, p ProvinceID, lat, lon float64) {
		pc, ok := centre[p]
		if !ok || c.far[kind+"\x00"+id] {
			return
		}
		if d := GreatCircleKm(pc.lat, pc.lon, lat, lon); d > pc.radius {
			c.warn(file, i, named(kind, id, nm), "province", ScatteredProvince, "lies %s km from the centre of its province %s, whose areas lie within %s km of it: check its province or its coordinates",
				msgtext.Number(d), name(p), msgtext.Number(pc.radius/3))
		}
	}
	for i := range r.Areas {
		a := &r.Areas[i]
		look(fileAreas, i, "area", string(a.ID), a.Name, a.Province, a.Lat, a.Lon)
	}
	for i := range r.Establishments {
		e := &r.Establishments[i]
		look(fileEstablishments, i, "establishment", string(e.ID), e.Name, e.Province, e.Lat, e.Lon)
	}
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// boundaries finds area points far outside their own outline.
func (c *checker) boundaries() {
	r := c.r
	for i := range r.Areas {
		a := &r.Areas[i]
		if len(a.Boundary) == 0 || c.far["area\x00"+string(a.ID)] {
			continue
		}
		b := a.Boundary.Bound()
		d := boxKm(b.Min[1], b.Min[0], b.Max[1], b.Max[0], a.Lat, a.Lon)
		if d <= CheckBoundaryKm {
			continue
		}
		if boxKm(b.Min[1], b.Min[0], b.Max[1], b.Max[0], a.Lon, a.Lat) == 0 {
			c.warn(fileAreas, i, named("area", string(a.ID), a.Name), "lat", SwappedLatLon, "latitude and longitude look swapped: the point lies %s km outside the area's outline, and inside it once swapped", msgtext.Number(d))
			continue
		}
		c.warn(fileAreas, i, named("area", string(a.ID), a.Name), "lat", OutsideBoundary, "the point lies %s km outside the area's own outline (areas.geojson): check its coordinates or its outline", msgtext.Number(d))
	}
}

// boxKm returns how far a point lies outside a latitude–longitude box, in
// kilometres (0 inside).
func boxKm(minLat, minLon, maxLat, maxLon, lat, lon float64) float64 {
	cl := math.Max(minLat, math.Min(maxLat, lat))
	cn := math.Max(minLon, math.Min(maxLon, lon))
	if cl == lat && cn == lon {
		return 0
	}
	return GreatCircleKm(lat, lon, cl, cn)
}

// travel checks every row of the region's travel matrix against the
// straight line between its places.
func (c *checker) travel() {
	r := c.r
	m := r.Travel
	if m == nil {
		return
	}
	type place struct {
		lat, lon float64
		name     string
	}
	at := func(id string) (place, bool) {
		if a, ok := r.Area(AreaID(id)); ok {
			return place{a.Lat, a.Lon, a.Name}, true
		}
		if e, ok := r.Establishment(EstablishmentID(id)); ok {
			return place{e.Lat, e.Lon, e.Name}, true
		}
		return place{}, false
	}
	file := fileTravel
	if c.src != nil {
		file = c.src.path(fileTravel)
	}
	for _, e := range m.Entries() {
		a, okA := at(e.From)
		b, okB := at(e.To)
		if !okA || !okB {
			continue
		}
		d := GreatCircleKm(a.lat, a.lon, b.lat, b.lon)
		if d < 5 {
			continue
		}
		where := fmt.Sprintf("travel %s → %s", namedPlace(e.From, a.name), namedPlace(e.To, b.name))
		line := 0
		if c.src != nil {
			line = c.src.pairs[Pair{e.From, e.To}]
		}
		speed := math.Inf(1)
		if e.Minutes > 0 {
			speed = d / (e.Minutes / 60)
		}
		switch {
		case speed > CheckMaxKmh:
			c.errs.AddErr(&ValidationError{File: file, Line: line, Where: where, Field: "minutes",
				Err: fmt.Errorf("%s minutes between places %s km apart in a straight line is %s km/h or more: no road is that fast", msgtext.Number(e.Minutes), msgtext.Number(d), msgtext.Number(math.Min(speed, 1e6)))})
		case speed > CheckWarnKmh:
			c.warnings = append(c.warnings, Warning{File: file, Line: line, Where: where, Field: "minutes", Kind: ImplausibleTravel,
				Message: fmt.Sprintf("%s minutes between places %s km apart in a straight line is %s km/h or more: check the row", msgtext.Number(e.Minutes), msgtext.Number(d), msgtext.Number(speed))})
		}
		switch {
		case e.Km < d/2-5:
			c.errs.AddErr(&ValidationError{File: file, Line: line, Where: where, Field: "km",
				Err: fmt.Errorf("%s km of road between places %s km apart in a straight line: no road is shorter than the straight line", msgtext.Number(e.Km), msgtext.Number(d))})
		case e.Km < d-math.Max(5, 0.2*d):
			c.warnings = append(c.warnings, Warning{File: file, Line: line, Where: where, Field: "km", Kind: ImplausibleTravel,
				Message: fmt.Sprintf("%s km of road between places %s km apart in a straight line: check the row", msgtext.Number(e.Km), msgtext.Number(d))})
		}
	}
}

func namedPlace(id, name string) string {
	if name == "" {
		return fmt.Sprintf("%q", id)
	}
	return fmt.Sprintf("%q (%s)", id, name)
}
