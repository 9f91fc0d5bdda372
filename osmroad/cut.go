package osmroad

import (
	"fmt"
	"math"

	"github.com/gstplan/gst"
)

// Bounds is a box of WGS84 coordinates, in degrees. It does not cross the
// antimeridian.
type Bounds struct {
	MinLat, MinLon, MaxLat, MaxLon float64
}

func (b *Bounds) contains(lat, lon float64) bool {
	return lat >= b.MinLat && lat <= b.MaxLat && lon >= b.MinLon && lon <= b.MaxLon
}

func (b *Bounds) check(p *gst.Problems) {
	const w = "osmroad options"
	p.CheckLatLon(w+" Bounds min", b.MinLat, b.MinLon)
	p.CheckLatLon(w+" Bounds max", b.MaxLat, b.MaxLon)
	if b.MinLat > b.MaxLat || b.MinLon > b.MaxLon {
		p.Addf(w, "Bounds", "the minimum (%v, %v) exceeds the maximum (%v, %v)", b.MinLat, b.MinLon, b.MaxLat, b.MaxLon)
	}
}

// LatLon is a WGS84 point, in degrees.
type LatLon struct{ Lat, Lon float64 }

// Polygon is one or more closed rings of points (the last point joins the
// first; repeating the first point at the end is allowed). A point is
// inside when a ray from it crosses the rings an odd number of times, so
// the rings of a multipolygon and its holes may be given in any order and
// orientation. It does not cross the antimeridian.
type Polygon [][]LatLon

func (pg Polygon) check(p *gst.Problems) {
	const w = "osmroad options"
	if len(pg) == 0 {
		p.Addf(w, "Polygon", "has no ring")
	}
	for i, ring := range pg {
		if len(ring) < 3 {
			p.Addf(w, "Polygon", "ring %d has %d points; a ring needs at least 3", i+1, len(ring))
		}
		for k, pt := range ring {
			p.CheckLatLon(fmt.Sprintf("%s Polygon ring %d point %d", w, i+1, k+1), pt.Lat, pt.Lon)
		}
	}
}

// bounds returns the box around the polygon.
func (pg Polygon) bounds() Bounds {
	b := Bounds{MinLat: math.Inf(1), MinLon: math.Inf(1), MaxLat: math.Inf(-1), MaxLon: math.Inf(-1)}
	for _, ring := range pg {
		for _, pt := range ring {
			b.MinLat, b.MaxLat = min(b.MinLat, pt.Lat), max(b.MaxLat, pt.Lat)
			b.MinLon, b.MaxLon = min(b.MinLon, pt.Lon), max(b.MaxLon, pt.Lon)
		}
	}
	return b
}

// contains applies the even-odd rule (a ray towards increasing longitude).
func (pg Polygon) contains(lat, lon float64) bool {
	in := false
	for _, ring := range pg {
		n := len(ring)
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			a, b := ring[i], ring[j]
			if (a.Lat > lat) != (b.Lat > lat) &&
				lon < (b.Lon-a.Lon)*(lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
				in = !in
			}
		}
	}
	return in
}

// RegionBounds returns the box around the region's areas and
// establishments, widened by marginKm on every side (roads that leave the
// region and come back, and establishments just across its border, stay
// in the network). marginKm must be finite and >= 0.
func RegionBounds(r *gst.Region, marginKm float64) (Bounds, error) {
	var p gst.Problems
	if r == nil || len(r.Areas)+len(r.Establishments) == 0 {
		p.Addf("region", "areas", "no area or establishment to put a box around")
	}
	p.CheckNonNegative("RegionBounds", "marginKm", marginKm)
	if err := p.Err(); err != nil {
		return Bounds{}, err
	}
	b := Bounds{MinLat: 90, MinLon: 180, MaxLat: -90, MaxLon: -180}
	add := func(lat, lon float64) {
		b.MinLat, b.MaxLat = min(b.MinLat, lat), max(b.MaxLat, lat)
		b.MinLon, b.MaxLon = min(b.MinLon, lon), max(b.MaxLon, lon)
	}
	for _, a := range r.Areas {
		add(a.Lat, a.Lon)
	}
	for _, e := range r.Establishments {
		add(e.Lat, e.Lon)
	}
	dLat := marginKm / (gst.EarthRadiusKm * math.Pi / 180)
	cos := math.Cos(max(math.Abs(b.MinLat), math.Abs(b.MaxLat)) * math.Pi / 180)
	dLon := 180.0
	if cos > 1e-9 {
		dLon = min(180, dLat/cos)
	}
	b.MinLat, b.MaxLat = max(-90, b.MinLat-dLat), min(90, b.MaxLat+dLat)
	b.MinLon, b.MaxLon = max(-180, b.MinLon-dLon), min(180, b.MaxLon+dLon)
	return b, nil
}
