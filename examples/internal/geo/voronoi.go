package geo

import (
	"math"
	"sort"
)

// Edge labels of a Cell other than a neighbour's index.
const (
	// EdgeHull marks an edge on the clipping polygon (the region's outline).
	EdgeHull = -1
	// EdgeDisc marks an edge on the disc that bounds a cell around its point.
	EdgeDisc = -2
)

// Cell is the Voronoi cell of one point: a convex polygon, counter-clockwise.
// Edges[i] labels the edge from Vertices[i] to Vertices[i+1] (the last one
// closes the polygon): the index of the neighbouring point whose bisector it
// lies on, or EdgeHull or EdgeDisc. An empty cell has no vertices.
type Cell struct {
	Vertices []XY
	Edges    []int
}

// Voronoi returns the Voronoi cell of every point, clipped to the convex
// polygon clip (counter-clockwise, as ConvexHull returns it) and, when
// maxRadius is not nil and maxRadius[i] > 0, to the disc of that radius
// around point i (drawn as a 48-gon). Points that coincide share the same
// cell.
//
// Each cell starts as the clip polygon and is cut by the bisector with
// every other point, nearest first, stopping once the next point is more
// than twice as far as the cell's farthest vertex (no later bisector can cut
// it). The work is O(n log n) for evenly spread points.
func Voronoi(pts []XY, clip []XY, maxRadius []float64) []Cell {
	cells := make([]Cell, len(pts))
	order := make([]int, 0, len(pts))
	for i, p := range pts {
		poly := labelled(clip, EdgeHull)
		if maxRadius != nil && maxRadius[i] > 0 {
			disc := Circle(p, maxRadius[i], 48)
			for k := range disc {
				a, b := disc[k], disc[(k+1)%len(disc)]
				// Keep the left side of a→b: n·x <= n·a with n the
				// outward normal (b − a rotated clockwise).
				n := XY{b.Y - a.Y, -(b.X - a.X)}
				poly = clipHalf(poly, n, n.Dot(a), EdgeDisc)
			}
		}
		order = order[:0]
		for j := range pts {
			if j != i {
				order = append(order, j)
			}
		}
		sort.SliceStable(order, func(a, b int) bool {
			da, db := pts[order[a]].Sub(p).Norm(), pts[order[b]].Sub(p).Norm()
			if da != db {
				return da < db
			}
			return order[a] < order[b]
		})
		for _, j := range order {
			if len(poly.v) == 0 {
				break
			}
			d := pts[j].Sub(p)
			dist := d.Norm()
			if dist == 0 {
				continue
			}
			far := 0.0
			for _, v := range poly.v {
				far = math.Max(far, v.Sub(p).Norm())
			}
			if dist > 2*far {
				break
			}
			// Points nearer to p than to pts[j]: d·x <= (|pj|² − |p|²)/2.
			poly = clipHalf(poly, d, (pts[j].Dot(pts[j])-p.Dot(p))/2, j)
		}
		cells[i] = Cell{Vertices: poly.v, Edges: poly.e}
	}
	return cells
}

type lpoly struct {
	v []XY
	e []int
}

func labelled(v []XY, label int) lpoly {
	p := lpoly{v: append([]XY(nil), v...), e: make([]int, len(v))}
	for i := range p.e {
		p.e[i] = label
	}
	return p
}

// clipHalf keeps the part of a convex polygon where n·x <= c (one step of
// Sutherland–Hodgman), labelling the new edge along the line with label.
func clipHalf(p lpoly, n XY, c float64, label int) lpoly {
	if len(p.v) == 0 {
		return p
	}
	const eps = 1e-12
	inside := func(x XY) bool { return n.Dot(x) <= c+eps*math.Max(1, math.Abs(c)) }
	var out lpoly
	for i, a := range p.v {
		b := p.v[(i+1)%len(p.v)]
		la := p.e[i]
		ina, inb := inside(a), inside(b)
		switch {
		case ina && inb:
			out.v = append(out.v, a)
			out.e = append(out.e, la)
		case ina && !inb:
			out.v = append(out.v, a, intersect(a, b, n, c))
			out.e = append(out.e, la, label)
		case !ina && inb:
			out.v = append(out.v, intersect(a, b, n, c))
			out.e = append(out.e, la)
		}
	}
	if len(out.v) < 3 {
		return lpoly{}
	}
	return out
}

// intersect returns where the segment a→b crosses the line n·x = c.
func intersect(a, b, n XY, c float64) XY {
	da, db := n.Dot(a)-c, n.Dot(b)-c
	t := da / (da - db)
	return XY{a.X + t*(b.X-a.X), a.Y + t*(b.Y-a.Y)}
}

// NearestNeighbourKm returns, for each point, the distance to its k-th
// nearest other point (k from 1), or 0 when there are not k others.
func NearestNeighbourKm(pts []XY, k int) []float64 {
	out := make([]float64, len(pts))
	ds := make([]float64, 0, len(pts))
	for i, p := range pts {
		ds = ds[:0]
		for j, q := range pts {
			if j != i {
				ds = append(ds, q.Sub(p).Norm())
			}
		}
		if len(ds) < k || k < 1 {
			continue
		}
		sort.Float64s(ds)
		out[i] = ds[k-1]
	}
	return out
}
