package capfl

import (
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
	doneF        []bool
	eps          float64

	// stop, when set, says that time is up: solve then gives up and
	// reports no flow.
	stop func() bool
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
	}
	t.predF, t.doneF = t.predF[:k], t.doneF[:k]
	t.predC = t.predC[:n]
	if cap(t.flows) < n {
		t.flows = make([][]tflow, n)
	}
	t.flows = t.flows[:n]
	if cap(t.byFac) < k {
		t.byFac = make([][]int32, k)
	}
	t.byFac = t.byFac[:k]
	capSum := 0.0
	for q := range t.byFac {
		t.byFac[q] = t.byFac[q][:0]
		t.load[q] = 0
		t.piF[q] = 0
		capSum += in.cap[open[q]]
	}
	if capSum < in.totalDem*(1-1e-12) {
		return 0, false
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
		if t.stop != nil && t.stop() {
			return 0, false
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
// nearest site with slack and pushes flow along the path. Customers are
// pass-through nodes: a customer's label is relaxed into the sites as soon
// as it improves, so only the few site labels need a priority order (a
// linear scan) and every Dijkstra costs O(n·k).
func (t *transport) augment() bool {
	in := t.in
	n, k := in.n, t.k
	inf := math.Inf(1)
	for q := 0; q < k; q++ {
		t.distF[q] = inf
		t.doneF[q] = false
		t.predF[q] = -1
		if t.load[q] > in.cap[t.open[q]]+t.eps {
			t.distF[q] = 0
		}
	}
	for j := 0; j < n; j++ {
		t.distC[j] = inf
		t.predC[j] = -1
	}
	target := -1
	var dT float64
	for {
		q, dq := -1, inf
		for x := 0; x < k; x++ {
			if !t.doneF[x] && t.distF[x] < dq {
				q, dq = x, t.distF[x]
			}
		}
		if q < 0 {
			break
		}
		t.doneF[q] = true
		if t.load[q] < in.cap[t.open[q]]-t.eps {
			target, dT = q, dq
			break
		}
		list := t.byFac[q]
		w := 0
		for _, j32 := range list {
			j := int(j32)
			if t.flow(j, int32(q)) <= t.eps {
				continue // stale entry
			}
			list[w] = j32
			w++
			rc := -t.a[j*k+q] + t.piF[q] - t.piC[j]
			if rc < 0 {
				rc = 0
			}
			nd := dq + rc
			if nd >= t.distC[j] {
				continue
			}
			t.distC[j] = nd
			t.predC[j] = int32(q)
			row := t.a[j*k : (j+1)*k]
			pc := t.piC[j]
			for q2 := 0; q2 < k; q2++ {
				if t.doneF[q2] {
					continue
				}
				a := row[q2]
				if math.IsInf(a, 1) {
					continue
				}
				rc2 := a + pc - t.piF[q2]
				if rc2 < 0 {
					rc2 = 0
				}
				if nd2 := nd + rc2; nd2 < t.distF[q2] {
					t.distF[q2] = nd2
					t.predF[q2] = j32
				}
			}
		}
		t.byFac[q] = list[:w]
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

// capacityValues returns, for every open site of the last solve (by
// position in the open list), the decrease of the optimal transportation
// cost per extra unit of the site's capacity: the dual value of its
// capacity row, read as minus the cost of the cheapest residual path that
// brings one more unit into the site from any open site. Sites with slack
// get zero. It runs a multi-source Dijkstra on the optimal residual
// network, whose reduced costs (with the final potentials) are
// non-negative.
func (t *transport) capacityValues() []float64 {
	in := t.in
	n, k := in.n, t.k
	inf := math.Inf(1)
	label := make([]float64, k) // reduced distance from the best source
	done := make([]bool, k)
	distC := make([]float64, n)
	for j := range distC {
		distC[j] = inf
	}
	for q := 0; q < k; q++ {
		label[q] = -t.piF[q]
	}
	for {
		q, dq := -1, inf
		for x := 0; x < k; x++ {
			if !done[x] && label[x] < dq {
				q, dq = x, label[x]
			}
		}
		if q < 0 {
			break
		}
		done[q] = true
		for _, j32 := range t.byFac[q] {
			j := int(j32)
			if t.flow(j, int32(q)) <= t.eps {
				continue
			}
			rc := -t.a[j*k+q] + t.piF[q] - t.piC[j]
			if rc < 0 {
				rc = 0
			}
			nd := dq + rc
			if nd >= distC[j] {
				continue
			}
			distC[j] = nd
			row := t.a[j*k : (j+1)*k]
			for q2 := 0; q2 < k; q2++ {
				if done[q2] || math.IsInf(row[q2], 1) {
					continue
				}
				rc2 := row[q2] + t.piC[j] - t.piF[q2]
				if rc2 < 0 {
					rc2 = 0
				}
				if nd2 := nd + rc2; nd2 < label[q2] {
					label[q2] = nd2
				}
			}
		}
	}
	out := make([]float64, k)
	for q := 0; q < k; q++ {
		if t.load[q] < in.cap[t.open[q]]-t.eps {
			continue
		}
		// actual cheapest path cost into q = label + π_q (≤ 0)
		if v := -(label[q] + t.piF[q]); v > 0 {
			out[q] = v
		}
	}
	return out
}
