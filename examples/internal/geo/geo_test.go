package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConvexHull(t *testing.T) {
	tests := []struct {
		name string
		in   []XY
		want []XY
	}{
		{"square with inner and collinear points",
			[]XY{{0, 0}, {2, 0}, {1, 0}, {2, 2}, {0, 2}, {1, 1}, {0, 1}},
			[]XY{{0, 0}, {2, 0}, {2, 2}, {0, 2}}},
		{"two points", []XY{{1, 1}, {0, 0}, {1, 1}}, []XY{{0, 0}, {1, 1}}},
		{"empty", nil, []XY{}},
	}
	for _, tt := range tests {
		got := ConvexHull(tt.in)
		if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b []XY) bool {
			if len(a) != len(b) {
				return false
			}
			for i := range a {
				if a[i] != b[i] {
					return false
				}
			}
			return true
		})); diff != "" {
			t.Errorf("%s: hull (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestProjectionKeepsDistances(t *testing.T) {
	// Fès and Meknès, about 51 km apart (great circle, haversine).
	lats, lons := []float64{34.033, 33.895}, []float64{-5.0, -5.554}
	p := NewProjection(lats, lons)
	a, b := p.Project(lats[0], lons[0]), p.Project(lats[1], lons[1])
	got := b.Sub(a).Norm()
	// Haversine with R = 6371.0088 km.
	const r = 6371.0088
	rad := math.Pi / 180
	dlat, dlon := (lats[1]-lats[0])*rad, (lons[1]-lons[0])*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lats[0]*rad)*math.Cos(lats[1]*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	want := 2 * r * math.Asin(math.Sqrt(h))
	if math.Abs(got-want)/want > 0.01 {
		t.Errorf("projected distance %.2f km, great circle %.2f km", got, want)
	}
}

// TestVoronoiProperties checks, on random points, that the cells tile the
// clipping polygon, that each cell holds its own point, and that every point
// of a cell is nearer to its generator than to any other point.
func TestVoronoiProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		n := 2 + rng.IntN(60)
		pts := make([]XY, n)
		for i := range pts {
			pts[i] = XY{rng.Float64() * 100, rng.Float64() * 60}
		}
		clip := BufferedHull(pts, 5)
		cells := Voronoi(pts, clip, nil)
		total := 0.0
		for i, c := range cells {
			if len(c.Vertices) < 3 {
				t.Fatalf("trial %d: cell %d is empty", trial, i)
			}
			a := Area(c.Vertices)
			if a <= 0 {
				t.Fatalf("trial %d: cell %d has area %g (not counter-clockwise)", trial, i, a)
			}
			total += a
			if !insideConvex(c.Vertices, pts[i]) {
				t.Errorf("trial %d: cell %d does not hold its point", trial, i)
			}
			for k, v := range c.Vertices {
				di := v.Sub(pts[i]).Norm()
				for j := range pts {
					if dj := v.Sub(pts[j]).Norm(); dj < di-1e-7 {
						t.Errorf("trial %d: vertex %d of cell %d is nearer point %d (%g < %g)", trial, k, i, j, dj, di)
					}
				}
				if e := c.Edges[k]; e >= 0 {
					// An edge on the bisector with e: both ends equidistant.
					w := c.Vertices[(k+1)%len(c.Vertices)]
					for _, x := range []XY{v, w} {
						if d := math.Abs(x.Sub(pts[i]).Norm() - x.Sub(pts[e]).Norm()); d > 1e-6 {
							t.Errorf("trial %d: edge %d of cell %d labelled %d is not on the bisector (%g)", trial, k, i, e, d)
						}
					}
				}
			}
		}
		if want := Area(clip); math.Abs(total-want) > 1e-6*want {
			t.Errorf("trial %d: cells cover %g km², clip polygon %g km²", trial, total, want)
		}
	}
}

func TestVoronoiDiscClip(t *testing.T) {
	pts := []XY{{0, 0}, {100, 0}}
	cells := Voronoi(pts, BufferedHull(pts, 50), []float64{10, 0})
	for _, v := range cells[0].Vertices {
		if d := v.Norm(); d > 10+1e-9 {
			t.Errorf("vertex %v of the disc-clipped cell is %g km from its point", v, d)
		}
	}
	hasDisc := false
	for _, e := range cells[0].Edges {
		hasDisc = hasDisc || e == EdgeDisc
	}
	if !hasDisc {
		t.Error("disc-clipped cell has no disc edge")
	}
	// The second cell reaches the bisector x = 50.
	minX := math.Inf(1)
	for _, v := range cells[1].Vertices {
		minX = math.Min(minX, v.X)
	}
	if math.Abs(minX-50) > 1e-9 {
		t.Errorf("second cell starts at x = %g, want 50", minX)
	}
}

func insideConvex(poly []XY, p XY) bool {
	for i := range poly {
		if cross(poly[i], poly[(i+1)%len(poly)], p) < 0 {
			return false
		}
	}
	return true
}
