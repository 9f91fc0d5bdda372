package gst

import (
	"context"
	"fmt"
	"math"
)

// EarthRadiusKm is the mean Earth radius (IUGG, 6371.0088 km) used for
// great-circle distances.
const EarthRadiusKm = 6371.0088

// GreatCircleKm returns the great-circle (haversine) distance in
// kilometres between two WGS84 points given in degrees.
func GreatCircleKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	φ1, φ2 := lat1*rad, lat2*rad
	dφ := (lat2 - lat1) * rad
	dλ := (lon2 - lon1) * rad
	s := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	if s > 1 {
		s = 1
	}
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(s))
}

// Point is a place travel is measured from or to: an area's demand point
// or an establishment.
type Point struct {
	ID       string
	Lat, Lon float64
	// Urban selects the urban speed for the half of a leg nearest this point.
	Urban bool
}

// Default travel-estimate parameters.
const (
	// DefaultCircuity is the ratio of road to great-circle distance.
	// Ballou, Rahardja and Sakai (2002, Transportation Research Part A 36)
	// measured ratios between about 1.12 and 1.65 across countries; 1.3 is
	// a common middle value. Mountain provinces (Rif, Middle Atlas) are
	// above it: pass a larger factor for them.
	DefaultCircuity = 1.3
	// DefaultRuralKmh is the average road speed in rural areas, km/h.
	DefaultRuralKmh = 50.0
	// DefaultUrbanKmh is the average road speed in urban areas, km/h.
	DefaultUrbanKmh = 25.0
)

// Estimator estimates travel from coordinates: road distance is the
// great-circle distance times Circuity, and time is that distance at the
// speed of the setting. Each half of a leg is driven at the speed of the
// end it is nearest: urban to urban uses UrbanKmh throughout, rural to
// rural RuralKmh, and a mixed leg half and half. The zero value and nil use
// the defaults.
type Estimator struct {
	// Circuity multiplies great-circle distance into road distance.
	// Default DefaultCircuity (1.3); must be >= 1 when set.
	Circuity float64
	// RuralKmh is the rural speed in km/h. Default DefaultRuralKmh (50).
	RuralKmh float64
	// UrbanKmh is the urban speed in km/h. Default DefaultUrbanKmh (25).
	UrbanKmh float64
}

func (e *Estimator) params() (circ, rural, urban float64, err error) {
	circ, rural, urban = DefaultCircuity, DefaultRuralKmh, DefaultUrbanKmh
	if e == nil {
		return circ, rural, urban, nil
	}
	var p Problems
	if e.Circuity != 0 {
		if math.IsNaN(e.Circuity) || math.IsInf(e.Circuity, 0) || e.Circuity < 1 {
			p.Addf("estimator", "circuity", "must be a finite number >= 1, got %v", e.Circuity)
		}
		circ = e.Circuity
	}
	if e.RuralKmh != 0 {
		p.CheckPositive("estimator", "rural_kmh", e.RuralKmh)
		rural = e.RuralKmh
	}
	if e.UrbanKmh != 0 {
		p.CheckPositive("estimator", "urban_kmh", e.UrbanKmh)
		urban = e.UrbanKmh
	}
	return circ, rural, urban, p.Err()
}

// Validate reports invalid parameters.
func (e *Estimator) Validate() error {
	_, _, _, err := e.params()
	return err
}

func legFor(a, b Point, circ, rural, urban float64) Leg {
	km := GreatCircleKm(a.Lat, a.Lon, b.Lat, b.Lon) * circ
	speed := func(u bool) float64 {
		if u {
			return urban
		}
		return rural
	}
	minutes := (km/2)/speed(a.Urban)*60 + (km/2)/speed(b.Urban)*60
	return Leg{Minutes: minutes, Km: km}
}

// Leg estimates the travel between two points.
func (e *Estimator) Leg(a, b Point) (Leg, error) {
	circ, rural, urban, err := e.params()
	if err != nil {
		return Leg{}, err
	}
	var p Problems
	p.CheckLatLon(whereNamed("point", 0, a.ID), a.Lat, a.Lon)
	p.CheckLatLon(whereNamed("point", 1, b.ID), b.Lat, b.Lon)
	if err := p.Err(); err != nil {
		return Leg{}, err
	}
	return legFor(a, b, circ, rural, urban), nil
}

// Matrix estimates every leg from the origins to the destinations. It
// checks the context between rows.
func (e *Estimator) Matrix(ctx context.Context, from, to []Point) (*Matrix, error) {
	circ, rural, urban, err := e.params()
	if err != nil {
		return nil, err
	}
	var p Problems
	fids := make([]string, len(from))
	for i, pt := range from {
		fids[i] = pt.ID
		p.CheckLatLon(whereNamed("origin", i, pt.ID), pt.Lat, pt.Lon)
	}
	tids := make([]string, len(to))
	for j, pt := range to {
		tids[j] = pt.ID
		p.CheckLatLon(whereNamed("destination", j, pt.ID), pt.Lat, pt.Lon)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	m, err := NewMatrix(fids, tids)
	if err != nil {
		return nil, err
	}
	for i, a := range from {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("estimating travel: %w", err)
			}
		}
		row := i * len(to)
		for j, b := range to {
			l := legFor(a, b, circ, rural, urban)
			m.minutes[row+j], m.km[row+j] = l.Minutes, l.Km
		}
	}
	m.reachableLegs = len(from) * len(to)
	return m, nil
}

// AreaPoints returns the demand points of the region's areas, in order.
func (r *Region) AreaPoints() []Point {
	out := make([]Point, len(r.Areas))
	for i, a := range r.Areas {
		out[i] = Point{ID: string(a.ID), Lat: a.Lat, Lon: a.Lon, Urban: a.Urban}
	}
	return out
}

// EstablishmentPoints returns the points of the region's establishments,
// in order. An establishment is urban when the area it stands in is.
func (r *Region) EstablishmentPoints() []Point {
	out := make([]Point, len(r.Establishments))
	for i, e := range r.Establishments {
		urban := false
		if a, ok := r.Area(e.Area); ok {
			urban = a.Urban
		}
		out[i] = Point{ID: string(e.ID), Lat: e.Lat, Lon: e.Lon, Urban: urban}
	}
	return out
}

// TravelBetween returns a matrix from the given origins to the given
// destinations (area or establishment IDs of the region). Legs come from
// the region's Travel matrix where it has them; the other pairs are
// estimated with est when est is not nil, and left unreachable when it is
// nil. Unknown IDs are an error.
func (r *Region) TravelBetween(ctx context.Context, from, to []string, est *Estimator) (*Matrix, error) {
	pt := func(kind string, i int, id string, p *Problems) Point {
		if a, ok := r.Area(AreaID(id)); ok {
			return Point{ID: id, Lat: a.Lat, Lon: a.Lon, Urban: a.Urban}
		}
		if e, ok := r.Establishment(EstablishmentID(id)); ok {
			urban := false
			if a, ok := r.Area(e.Area); ok {
				urban = a.Urban
			}
			return Point{ID: id, Lat: e.Lat, Lon: e.Lon, Urban: urban}
		}
		p.Addf(whereNamed(kind, i, id), "id", "not an area or establishment of the region")
		return Point{}
	}
	var p Problems
	fp := make([]Point, len(from))
	for i, id := range from {
		fp[i] = pt("origin", i, id, &p)
	}
	tp := make([]Point, len(to))
	for j, id := range to {
		tp[j] = pt("destination", j, id, &p)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var m *Matrix
	var err error
	if est != nil {
		m, err = est.Matrix(ctx, fp, tp)
	} else {
		m, err = NewMatrix(from, to)
	}
	if err != nil {
		return nil, err
	}
	if err := m.overlay(r.Travel); err != nil {
		return nil, err
	}
	return m, nil
}

// overlay copies into m the legs src has for pairs of m; a nil src copies
// nothing.
func (m *Matrix) overlay(src *Matrix) error {
	if src == nil {
		return nil
	}
	for i, f := range m.from {
		ti, ok := src.fromIx[f]
		if !ok {
			continue
		}
		for j, t := range m.to {
			if tj, ok := src.toIx[t]; ok {
				if l, ok := src.At(ti, tj); ok {
					if err := m.Set(i, j, l); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// AreaIDs returns the IDs of the region's areas, in order, as strings.
func (r *Region) AreaIDs() []string {
	out := make([]string, len(r.Areas))
	for i, a := range r.Areas {
		out[i] = string(a.ID)
	}
	return out
}

// EstablishmentIDs returns the IDs of the region's establishments, in
// order, as strings.
func (r *Region) EstablishmentIDs() []string {
	out := make([]string, len(r.Establishments))
	for i, e := range r.Establishments {
		out[i] = string(e.ID)
	}
	return out
}
