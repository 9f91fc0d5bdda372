package capfl

import (
	"container/heap"
	"math"
)

// transport solves the transportation problem of a fixed set of open
// sites exactly: min Σ c_ij·x_ij s.t. Σ_i x_ij = 1, Σ_j d_j·x_ij ≤ s_i,
// x ≥ 0, by successive shortest paths with potentials. It starts from
// every customer at its cheapest open site and moves demand out of
// overloaded sites along shortest residual paths.
type transport struct {
	in *inst
	// per call
	open  []int
	k     int
	a     []float64 // a[j*k+q]: unit cost from open site q to customer j
	load  []float64
	piF   []float64
	piC   []float64
	flows [][]tflow // per customer
	byFac [][]int32 // customers with flow per open site (may hold stale entries)
	// dijkstra
	distF, distC []float64
	predF        []int32 // customer preceding a site on the path
	predC        []int32 // site preceding a customer on the path
	doneF, doneC []bool
	pq           tHeap
	eps          float64
}

type tflow struct {
	q int32 // open-site position
	v float64
}

func newTransport(in *inst) *transport {
	return &transport{in: in}
}

// solve returns the optimal cost and whether a feasible flow exists; the
// flows are read with shares.
func (t *transport) solve(open []int) (float64, bool) {
	in := t.in
	n := in.n
	k := len(open)
	t.open = append(t.open[:0], open...)
	t.k = k
	if k == 0 {
		return 0, n == 0
	}
	t.a = grow(t.a, n*k)
	t.load = grow(t.load, k)
	t.piF = grow(t.piF, k)
	t.piC = grow(t.piC, n)
	t.distF = grow(t.distF, k)
	t.distC = grow(t.distC, n)
	if cap(t.predF) < k {
		t.predF = make([]int32, k)
		t.doneF = make([]bool, k)
	}
	if cap(t.predC) < n {
		t.predC = make([]int32, n)
		t.doneC = make([]bool, n)
	}
	t.predF, t.doneF = t.predF[:k], t.doneF[:k]
	t.predC, t.doneC = t.predC[:n], t.doneC[:n]
	if cap(t.flows) < n {
		t.flows = make([][]tflow, n)
	}
	t.flows = t.flows[:n]
	if cap(t.byFac) < k {
		t.byFac = make([][]int32, k)
	}
	t.byFac = t.byFac[:k]
	for q := range t.byFac {
		t.byFac[q] = t.byFac[q][:0]
		t.load[q] = 0
		t.piF[q] = 0
	}
	maxD := 0.0
	for j := 0; j < n; j++ {
		if in.dem[j] > maxD {
			maxD = in.dem[j]
		}
	}
	t.eps = 1e-11 * math.Max(1, maxD)
	for j := 0; j < n; j++ {
		d := in.dem[j]
		best, bq := math.Inf(1), -1
		for q, i := range open {
			c := in.c[i*n+j]
			var a float64
			if d > 0 {
				a = c / d
			} else {
				a = c
			}
			t.a[j*k+q] = a
			if a < best {
				best, bq = a, q
			}
		}
		t.flows[j] = t.flows[j][:0]
		if bq < 0 {
			return 0, false
		}
		t.piC[j] = -best
		if d == 0 {
			t.flows[j] = append(t.flows[j], tflow{int32(bq), 0})
			continue
		}
		t.flows[j] = append(t.flows[j], tflow{int32(bq), d})
		t.byFac[bq] = append(t.byFac[bq], int32(j))
		t.load[bq] += d
	}
	for {
		excess := false
		for q := 0; q < k; q++ {
			if t.load[q] > in.cap[open[q]]+t.eps {
				excess = true
				break
			}
		}
		if !excess {
			break
		}
		if !t.augment() {
			return 0, false
		}
	}
	cost := 0.0
	for j := 0; j < n; j++ {
		d := in.dem[j]
		for _, f := range t.flows[j] {
			if d == 0 {
				cost += t.a[j*k+int(f.q)]
			} else if f.v > 0 {
				cost += t.a[j*k+int(f.q)] * f.v
			}
		}
	}
	return cost, true
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func (t *transport) flow(j int, q int32) float64 {
	for _, f := range t.flows[j] {
		if f.q == q {
			return f.v
		}
	}
	return 0
}

func (t *transport) addFlow(j int, q int32, v float64) {
	fl := t.flows[j]
	for x := range fl {
		if fl[x].q == q {
			fl[x].v += v
			if fl[x].v <= t.eps {
				// drop
				fl[x] = fl[len(fl)-1]
				t.flows[j] = fl[:len(fl)-1]
			}
			return
		}
	}
	if v > t.eps {
		t.flows[j] = append(fl, tflow{q, v})
		t.byFac[q] = append(t.byFac[q], int32(j))
	}
}

// augment runs one multi-source Dijkstra from the overloaded sites to the
// nearest site with slack and pushes flow along the path.
func (t *transport) augment() bool {
	in := t.in
	n, k := in.n, t.k
	inf := math.Inf(1)
	for q := 0; q < k; q++ {
		t.distF[q] = inf
		t.doneF[q] = false
		t.predF[q] = -1
	}
	for j := 0; j < n; j++ {
		t.distC[j] = inf
		t.doneC[j] = false
		t.predC[j] = -1
	}
	t.pq = t.pq[:0]
	for q := 0; q < k; q++ {
		if t.load[q] > in.cap[t.open[q]]+t.eps {
			t.distF[q] = 0
			heap.Push(&t.pq, tItem{0, int32(q), true})
		}
	}
	target := -1
	var dT float64
	for t.pq.Len() > 0 {
		it := heap.Pop(&t.pq).(tItem)
		if it.fac {
			q := int(it.id)
			if t.doneF[q] || it.d > t.distF[q] {
				continue
			}
			t.doneF[q] = true
			if t.load[q] < in.cap[t.open[q]]-t.eps {
				target, dT = q, it.d
				break
			}
			// backward arcs to customers with flow from q
			list := t.byFac[q]
			w := 0
			for _, j32 := range list {
				j := int(j32)
				fv := t.flow(j, int32(q))
				if fv <= t.eps {
					continue // stale entry
				}
				list[w] = j32
				w++
				if t.doneC[j] {
					continue
				}
				rc := -t.a[j*k+q] + t.piF[q] - t.piC[j]
				if rc < 0 {
					rc = 0
				}
				nd := it.d + rc
				if nd < t.distC[j] {
					t.distC[j] = nd
					t.predC[j] = int32(q)
					heap.Push(&t.pq, tItem{nd, j32, false})
				}
			}
			// drop stale entries
			t.byFac[q] = list[:w]
		} else {
			j := int(it.id)
			if t.doneC[j] || it.d > t.distC[j] {
				continue
			}
			t.doneC[j] = true
			row := t.a[j*k : (j+1)*k]
			for q := 0; q < k; q++ {
				if t.doneF[q] {
					continue
				}
				a := row[q]
				if math.IsInf(a, 1) {
					continue
				}
				rc := a + t.piC[j] - t.piF[q]
				if rc < 0 {
					rc = 0
				}
				nd := it.d + rc
				if nd < t.distF[q] {
					t.distF[q] = nd
					t.predF[q] = int32(j)
					heap.Push(&t.pq, tItem{nd, int32(q), true})
				}
			}
		}
	}
	if target < 0 {
		return false
	}
	// Update potentials.
	for q := 0; q < k; q++ {
		if t.distF[q] < dT {
			t.piF[q] += t.distF[q]
		} else {
			t.piF[q] += dT
		}
	}
	for j := 0; j < n; j++ {
		if t.distC[j] < dT {
			t.piC[j] += t.distC[j]
		} else {
			t.piC[j] += dT
		}
	}
	// Find the bottleneck.
	delta := in.cap[t.open[target]] - t.load[target]
	q := target
	var src int
	for {
		j := int(t.predF[q])
		if j < 0 {
			src = q
			break
		}
		p := int(t.predC[j])
		if fv := t.flow(j, int32(p)); fv < delta {
			delta = fv
		}
		q = p
	}
	if ex := t.load[src] - t.in.cap[t.open[src]]; ex < delta {
		delta = ex
	}
	// Push.
	q = target
	for {
		j := int(t.predF[q])
		if j < 0 {
			break
		}
		p := int(t.predC[j])
		t.addFlow(j, int32(q), delta)
		t.addFlow(j, int32(p), -delta)
		t.load[q] += delta
		t.load[p] -= delta
		q = p
	}
	return true
}

// shares returns the assignment of the last solve: for every customer, the
// open sites serving it with their fractions, by increasing site.
func (t *transport) shares() [][]Share {
	in := t.in
	out := make([][]Share, in.n)
	for j := 0; j < in.n; j++ {
		d := in.dem[j]
		var sh []Share
		for _, f := range t.flows[j] {
			if d == 0 {
				sh = append(sh, Share{Site: t.open[f.q], Fraction: 1})
				continue
			}
			if f.v > t.eps {
				sh = append(sh, Share{Site: t.open[f.q], Fraction: f.v / d})
			}
		}
		sortShares(sh)
		out[j] = sh
	}
	return out
}

type tItem struct {
	d   float64
	id  int32
	fac bool
}

type tHeap []tItem

func (h tHeap) Len() int { return len(h) }
func (h tHeap) Less(a, b int) bool {
	if h[a].d != h[b].d {
		return h[a].d < h[b].d
	}
	if h[a].fac != h[b].fac {
		return h[a].fac
	}
	return h[a].id < h[b].id
}
func (h tHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *tHeap) Push(x any)   { *h = append(*h, x.(tItem)) }
func (h *tHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
