package planar

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// grid is a uniform bucket grid over the sites, for nearest-site queries.
type grid struct {
	x0, y0, cell float64
	nx, ny       int
	start        []int32 // sites of cell c: idx[start[c]:start[c+1]]
	idx          []int32
	sx, sy       []float64
}

// newGrid buckets the sites into about m/2 square cells.
func newGrid(sx, sy []float64) *grid {
	m := len(sx)
	x0, x1 := slices.Min(sx), slices.Max(sx)
	y0, y1 := slices.Min(sy), slices.Max(sy)
	w, h := x1-x0, y1-y0
	area := max(w*h, max(w, h, 1e-300)*max(w, h, 1e-300)/float64(max(m, 1)))
	cell := math.Sqrt(2 * area / float64(m))
	if !(cell > 0) || math.IsInf(cell, 0) {
		cell = 1
	}
	g := &grid{x0: x0, y0: y0, cell: cell, sx: sx, sy: sy}
	g.nx = min(int(w/cell)+1, 1<<15)
	g.ny = min(int(h/cell)+1, 1<<15)
	cells := g.nx * g.ny
	g.start = make([]int32, cells+1)
	where := make([]int32, m)
	for j := range sx {
		c := g.cellOf(sx[j], sy[j])
		where[j] = int32(c)
		g.start[c+1]++
	}
	for c := 0; c < cells; c++ {
		g.start[c+1] += g.start[c]
	}
	g.idx = make([]int32, m)
	fill := slices.Clone(g.start[:cells])
	for j, c := range where {
		g.idx[fill[c]] = int32(j)
		fill[c]++
	}
	return g
}

func (g *grid) cx(x float64) int {
	return min(max(int(math.Floor((x-g.x0)/g.cell)), 0), g.nx-1)
}

func (g *grid) cy(y float64) int {
	return min(max(int(math.Floor((y-g.y0)/g.cell)), 0), g.ny-1)
}

func (g *grid) cellOf(x, y float64) int { return g.cy(y)*g.nx + g.cx(x) }

// near is a site with its real Euclidean distance.
type near struct {
	d float64
	j int32
}

func byDist(a, b near) int {
	if c := cmp.Compare(a.d, b.d); c != 0 {
		return c
	}
	return cmp.Compare(a.j, b.j)
}

// nearest returns the k nearest sites of (x, y) by increasing distance
// (ties by index) in buf, followed by the (k+1)-th when there is one, so
// that the result has min(k+1, m) entries.
func (g *grid) nearest(x, y float64, k int, buf []near) []near {
	buf = buf[:0]
	m := len(g.sx)
	want := min(k+1, m)
	cx, cy := g.cx(x), g.cy(y)
	for r := 0; ; r++ {
		x0, x1, y0, y1 := cx-r, cx+r, cy-r, cy+r
		for yy := max(y0, 0); yy <= min(y1, g.ny-1); yy++ {
			for xx := max(x0, 0); xx <= min(x1, g.nx-1); xx++ {
				if yy != y0 && yy != y1 && xx != x0 && xx != x1 {
					continue // inside the ring: seen before
				}
				c := yy*g.nx + xx
				for _, j := range g.idx[g.start[c]:g.start[c+1]] {
					dx, dy := x-g.sx[j], y-g.sy[j]
					buf = append(buf, near{math.Sqrt(dx*dx + dy*dy), j})
				}
			}
		}
		all := x0 <= 0 && y0 <= 0 && x1 >= g.nx-1 && y1 >= g.ny-1
		if len(buf) < want && !all {
			continue
		}
		// Every site not seen lies beyond the box of the rings seen.
		b := math.Inf(1)
		if x0 > 0 {
			b = min(b, x-(g.x0+float64(x0)*g.cell))
		}
		if x1 < g.nx-1 {
			b = min(b, g.x0+float64(x1+1)*g.cell-x)
		}
		if y0 > 0 {
			b = min(b, y-(g.y0+float64(y0)*g.cell))
		}
		if y1 < g.ny-1 {
			b = min(b, g.y0+float64(y1+1)*g.cell-y)
		}
		sortNear(buf)
		if all || buf[want-1].d <= b {
			return buf[:want]
		}
	}
}

// parallel runs f(i) for i in [0, n) on w goroutines, each on an
// interleaved share of the indices, with its own scratch buffer.
func parallel(n, w int, f func(i int, buf []near) []near) {
	w = max(1, min(w, n/256+1))
	var wg sync.WaitGroup
	for k := 0; k < w; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			var buf []near
			for i := k; i < n; i += w {
				buf = f(i, buf)
			}
		}(k)
	}
	wg.Wait()
}

func sortNear(a []near) { slices.SortFunc(a, byDist) }
