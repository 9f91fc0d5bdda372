// Package geo draws plane shapes for the maps of the example programs: a
// local projection from WGS84 degrees to kilometres, convex hulls, and
// Voronoi cells of demand points clipped to a buffered hull and to a disc
// around each point.
//
// The pilot regions come with commune centroids but no commune boundaries,
// so the maps shade the Voronoi cell of each centroid: the part of the
// region nearer to that centroid than to any other. A cell is not the
// commune's boundary, and the maps say so.
//
// Every function is deterministic: the same points in the same order give
// the same cells, vertex for vertex.
package geo

import (
	"math"
	"sort"
)

// KmPerDegreeLat is the length of one degree of latitude, in km (mean
// meridian degree of the WGS84 ellipsoid, about 110.95 km at 35° N; 111.0 is
// close enough for a map).
const KmPerDegreeLat = 111.0

// XY is a point in kilometres east (X) and north (Y) of a projection's origin.
type XY struct{ X, Y float64 }

// Sub returns p − q.
func (p XY) Sub(q XY) XY { return XY{p.X - q.X, p.Y - q.Y} }

// Add returns p + q.
func (p XY) Add(q XY) XY { return XY{p.X + q.X, p.Y + q.Y} }

// Scale returns p × f.
func (p XY) Scale(f float64) XY { return XY{p.X * f, p.Y * f} }

// Dot returns the dot product of p and q.
func (p XY) Dot(q XY) float64 { return p.X*q.X + p.Y*q.Y }

// Norm returns the length of p.
func (p XY) Norm() float64 { return math.Hypot(p.X, p.Y) }

// Projection is an equirectangular projection centred on a latitude and
// longitude: x = (lon − lon0) × cos(lat0) × KmPerDegreeLat, y = (lat − lat0) ×
// KmPerDegreeLat. Over a region a few hundred kilometres across it keeps
// distances within about 1 %, which is what a map's scale bar needs.
type Projection struct {
	Lat0, Lon0 float64
	cos        float64
}

// NewProjection returns a projection centred on the mid-point of the
// bounding box of the given coordinates (lats[i], lons[i]).
func NewProjection(lats, lons []float64) Projection {
	if len(lats) == 0 {
		return Projection{cos: 1}
	}
	minLat, maxLat := lats[0], lats[0]
	minLon, maxLon := lons[0], lons[0]
	for i := range lats {
		minLat, maxLat = math.Min(minLat, lats[i]), math.Max(maxLat, lats[i])
		minLon, maxLon = math.Min(minLon, lons[i]), math.Max(maxLon, lons[i])
	}
	lat0 := (minLat + maxLat) / 2
	return Projection{Lat0: lat0, Lon0: (minLon + maxLon) / 2, cos: math.Cos(lat0 * math.Pi / 180)}
}

// Project returns the plane position of a point, in km.
func (p Projection) Project(lat, lon float64) XY {
	c := p.cos
	if c == 0 {
		c = math.Cos(p.Lat0 * math.Pi / 180)
	}
	return XY{(lon - p.Lon0) * c * KmPerDegreeLat, (lat - p.Lat0) * KmPerDegreeLat}
}

// Bounds is an axis-aligned rectangle in km.
type Bounds struct{ Min, Max XY }

// Width returns the east–west size of the rectangle.
func (b Bounds) Width() float64 { return b.Max.X - b.Min.X }

// Height returns the north–south size of the rectangle.
func (b Bounds) Height() float64 { return b.Max.Y - b.Min.Y }

// BoundsOf returns the bounding rectangle of the points of the polygons.
func BoundsOf(polys ...[]XY) Bounds {
	b := Bounds{Min: XY{math.Inf(1), math.Inf(1)}, Max: XY{math.Inf(-1), math.Inf(-1)}}
	for _, poly := range polys {
		for _, p := range poly {
			b.Min.X, b.Min.Y = math.Min(b.Min.X, p.X), math.Min(b.Min.Y, p.Y)
			b.Max.X, b.Max.Y = math.Max(b.Max.X, p.X), math.Max(b.Max.Y, p.Y)
		}
	}
	return b
}

// cross returns the z component of (a − o) × (b − o).
func cross(o, a, b XY) float64 { return (a.X-o.X)*(b.Y-o.Y) - (a.Y-o.Y)*(b.X-o.X) }

// ConvexHull returns the convex hull of the points, counter-clockwise,
// without repeated or collinear points (Andrew's monotone chain). Fewer than
// three distinct points give them back, sorted.
func ConvexHull(pts []XY) []XY {
	ps := append([]XY(nil), pts...)
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].X != ps[j].X {
			return ps[i].X < ps[j].X
		}
		return ps[i].Y < ps[j].Y
	})
	uniq := ps[:0]
	for i, p := range ps {
		if i == 0 || p != ps[i-1] {
			uniq = append(uniq, p)
		}
	}
	ps = uniq
	if len(ps) < 3 {
		return ps
	}
	hull := make([]XY, 0, 2*len(ps))
	for _, p := range ps {
		for len(hull) >= 2 && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	lower := len(hull) + 1
	for i := len(ps) - 2; i >= 0; i-- {
		p := ps[i]
		for len(hull) >= lower && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	return hull[:len(hull)-1]
}

// Circle returns a regular polygon of n vertices inscribed in the circle of
// the given centre and radius, counter-clockwise from the east.
func Circle(c XY, radius float64, n int) []XY {
	out := make([]XY, n)
	for i := range out {
		a := 2 * math.Pi * float64(i) / float64(n)
		out[i] = XY{c.X + radius*math.Cos(a), c.Y + radius*math.Sin(a)}
	}
	return out
}

// BufferedHull returns the convex hull of the points grown outwards by
// buffer km (the hull of discs of that radius around the points, each disc
// drawn as a 24-gon).
func BufferedHull(pts []XY, buffer float64) []XY {
	hull := ConvexHull(pts)
	if buffer <= 0 {
		return hull
	}
	var ring []XY
	for _, p := range hull {
		ring = append(ring, Circle(p, buffer, 24)...)
	}
	return ConvexHull(ring)
}

// Area returns the signed area of a polygon (positive when
// counter-clockwise), in km².
func Area(poly []XY) float64 {
	s := 0.0
	for i := range poly {
		j := (i + 1) % len(poly)
		s += poly[i].X*poly[j].Y - poly[j].X*poly[i].Y
	}
	return s / 2
}
