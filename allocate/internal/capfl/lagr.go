package capfl

import (
	"math"
)

// fixing is one branching or reduction decision.
type fixing struct {
	kind uint8 // fixY: y_i = v; fixX: x_ij = v
	v    int8
	i, j int32
}

const (
	fixY uint8 = iota
	fixX
)

// state is the subproblem of a node: the root problem with the fixings of
// the node and its ancestors applied.
type state struct {
	yfix   []int8    // +1 open, -1 closed, 0 free
	cc     []float64 // costs with forbidden pairs at +Inf
	asg    []int32   // site a customer is fixed to, or -1
	capRes []float64 // capacity left after fixed assignments
	fixAdd []float64 // cost of the fixed assignments of each site
	free   []int32   // customers not fixed
	freeIn []bool    // free[j]
}

// lagrange evaluates the Lagrangian relaxation of the assignment
// constraints Σ_i x_ij ≥ 1 with multipliers u ≥ 0:
//
//	L(u) = Σ_j u_j + min_{y ∈ Y} Σ_i y_i·(f_i + K_i(u))
//
// where K_i(u) is a knapsack over the customers with negative reduced
// cost c_ij − u_j (continuous under multi-sourcing, 0-1 under single
// sourcing) and Y holds the cardinality rules, the fixings and the
// aggregate capacity cut Σ_i s_i·y_i ≥ Σ_j d_j.
type lagrange struct {
	in *inst
	ks *knapsack
	ys *ysolver
	// outputs of eval
	w      []float64 // f_i + fixed cost + K_i
	selOff []int32   // selection of site i: selJ/selF[selOff[i]:selOff[i+1]]
	selJ   []int32
	selF   []float64
	ysel   []bool // sites open in the y-part
	g      []float64
	exact  bool // false when a knapsack or the y-part was solved inexactly
	// scratch for penalties
	fixTmp []int8
	// bufs[i] collects the knapsack items of site i
	bufs [][]knapItem
	// solved[i]: the knapsack of site i was solved in the last eval
	// (its selection is in siteJ[i], siteF[i])
	solved []bool
	level  []int8    // 0: w_i from the total profit, 1: from the continuous knapsack
	sumP   []float64 // total profit of the items of each site
	sumW   []float64 // total weight of the items of each site
	siteJ  [][]int32
	siteF  [][]float64
	heap   []int // lazyCardinality's heap of sites
}

func newLagrange(in *inst) *lagrange {
	lg := &lagrange{
		in:     in,
		ks:     newKnapsack(),
		ys:     newYSolver(in.m),
		w:      make([]float64, in.m),
		selOff: make([]int32, in.m+1),
		ysel:   make([]bool, in.m),
		g:      make([]float64, in.n),
		fixTmp: make([]int8, in.m),
		bufs:   make([][]knapItem, in.m),
		solved: make([]bool, in.m),
		level:  make([]int8, in.m),
		sumP:   make([]float64, in.m),
		sumW:   make([]float64, in.m),
		siteJ:  make([][]int32, in.m),
		siteF:  make([][]float64, in.m),
	}
	return lg
}

// eval computes L(u) for the state, with every site's knapsack solved.
// ok is false when the y-part has no feasible selection (the node is
// infeasible).
func (lg *lagrange) eval(st *state, u []float64) (L float64, ok bool) {
	return lg.evalMode(st, u, false)
}

// evalLazy computes the same L(u) as eval, solving the 0-1 knapsacks of
// only the sites the y-part may select (see evalMode). Sites left unsolved
// have an empty selection and a lower bound in w.
func (lg *lagrange) evalLazy(st *state, u []float64) (L float64, ok bool) {
	return lg.evalMode(st, u, lg.in.single)
}

// evalMode is eval; with lazy, the 0-1 knapsack of a site is solved only
// when the y-part selects it. A site whose items do not all fit first
// gets the lower bound f_i + fixed cost − (total profit of its items) on
// w_i. The y-part is solved on the values at hand; a site it selects with
// that bound gets the tighter one of the continuous knapsack, a site it
// selects with the continuous bound is solved exactly; and again until it
// selects only solved sites. The y-part's value is monotone in w, so its
// value on the mixed weights is at most its value on the exact ones, and
// it is reached by a selection of exactly valued sites: the two are equal,
// and L(u) is the same as eval's (summed in site order, to the bit).
func (lg *lagrange) evalMode(st *state, u []float64, lazy bool) (L float64, ok bool) {
	in := lg.in
	sumU := lg.gather(st, u)
	lg.exact = true
	for i := 0; i < in.m; i++ {
		lg.solved[i] = false
		lg.siteJ[i] = lg.siteJ[i][:0]
		lg.siteF[i] = lg.siteF[i][:0]
		switch {
		case st.yfix[i] < 0:
			lg.w[i] = math.Inf(1)
			lg.solved[i] = true
		case lazy && lg.sumW[i] > st.capRes[i]:
			// the items do not all fit: their total profit bounds
			// the knapsack's
			lg.level[i] = 0
			lg.w[i] = in.fc[i] + st.fixAdd[i] - upperSlack(lg.sumP[i])
		default:
			lg.solveSite(st, i)
		}
	}
	var yv float64
	if lazy {
		if lo, hi, R, tol, ok := lg.ys.prepare(in.cap, st.yfix, in.totalDem, in.minOpen, in.maxOpen); !ok {
			return math.Inf(1), false
		} else if R <= tol {
			yv = lg.lazyCardinality(st, lo, hi)
			lg.finish()
			return sumU + yv, true
		}
	}
	for {
		var exact bool
		yv, ok, exact = lg.ys.solve(lg.w, in.cap, st.yfix, in.totalDem, in.minOpen, in.maxOpen)
		if !ok {
			return math.Inf(1), false
		}
		more := false
		for i := 0; i < in.m; i++ {
			if lg.ys.sel[i] && !lg.solved[i] {
				if lg.level[i] == 0 {
					lg.bufLower(st, i)
					lg.level[i] = 1
				} else {
					lg.solveSite(st, i)
				}
				more = true
			}
		}
		if !more {
			if !exact {
				lg.exact = false
			} else {
				// the same value, summed in the order of the sites
				// (the y-part's order depends on which sites were
				// solved)
				yv = 0
				for i := 0; i < in.m; i++ {
					if lg.ys.sel[i] {
						yv += lg.w[i]
					}
				}
			}
			break
		}
	}
	lg.finish()
	return sumU + yv, true
}

// finish gathers the selections of the sites after an evaluation.
func (lg *lagrange) finish() {
	in := lg.in
	for i := range lg.bufs {
		lg.bufs[i] = lg.bufs[i][:0]
	}
	lg.selJ = lg.selJ[:0]
	lg.selF = lg.selF[:0]
	for i := 0; i < in.m; i++ {
		lg.selOff[i] = int32(len(lg.selJ))
		lg.selJ = append(lg.selJ, lg.siteJ[i]...)
		lg.selF = append(lg.selF, lg.siteF[i]...)
	}
	lg.selOff[in.m] = int32(len(lg.selJ))
	copy(lg.ysel, lg.ys.sel[:in.m])
}

// lazyCardinality is the lazy evaluation's y-part when it is a pure
// cardinality rule (after ysolver.prepare: at least lo and at most hi of
// the free sites, the negative values first): a heap of the free sites
// by value (ties by index) whose top is tightened (continuous bound, then
// the exact knapsack) until it is exact, then taken while the rule asks
// for it. The values only rise as they tighten, so the sites taken are
// those the y-part selects on the exact values, as in evalMode's loop;
// the value is summed in site order.
func (lg *lagrange) lazyCardinality(st *state, lo, hi int) float64 {
	w := lg.w
	for i, f := range st.yfix {
		if f > 0 && !lg.solved[i] {
			// open by the rules: always selected
			lg.solveSite(st, i)
		}
	}
	h := append(lg.heap[:0], lg.ys.free...)
	lg.heap = h
	less := func(a, b int) bool {
		if w[a] != w[b] {
			return w[a] < w[b]
		}
		return a < b
	}
	down := func(k int) {
		n := len(h)
		for {
			c := 2*k + 1
			if c >= n {
				return
			}
			if c+1 < n && less(h[c+1], h[c]) {
				c++
			}
			if !less(h[c], h[k]) {
				return
			}
			h[k], h[c] = h[c], h[k]
			k = c
		}
	}
	for k := len(h)/2 - 1; k >= 0; k-- {
		down(k)
	}
	sel := lg.ys.sel
	for count := 0; count < hi && len(h) > 0; {
		i := h[0]
		if !lg.solved[i] {
			if lg.level[i] == 0 {
				lg.bufLower(st, i)
				lg.level[i] = 1
			} else {
				lg.solveSite(st, i)
			}
			down(0)
			continue
		}
		if count >= lo && !(w[i] < 0) {
			break
		}
		sel[i] = true
		count++
		h[0] = h[len(h)-1]
		h = h[:len(h)-1]
		down(0)
	}
	yv := 0.0
	for i := 0; i < lg.in.m; i++ {
		if sel[i] {
			yv += w[i]
		}
	}
	return yv
}

// gather collects, site by site in lg.bufs, the customers of negative
// reduced cost c_ij − u_j, and returns Σ_j u_j over the free customers.
// Each customer's sites are sorted by cost, so the scan stops at the first
// site that costs at least u_j.
func (lg *lagrange) gather(st *state, u []float64) float64 {
	in := lg.in
	n := in.n
	sumU := 0.0
	bufs := lg.bufs
	for i := range bufs {
		bufs[i] = bufs[i][:0]
		lg.sumP[i], lg.sumW[i] = 0, 0
	}
	for _, j32 := range st.free {
		j := int(j32)
		uj := u[j]
		sumU += uj
		costs := in.costByCust[j]
		d := in.dem[j]
		for k, i32 := range in.byCost[j] {
			if costs[k] >= uj {
				break
			}
			i := int(i32)
			if st.yfix[i] < 0 {
				continue
			}
			c := st.cc[i*n+j]
			if c >= uj {
				continue
			}
			p := uj - c
			r := math.Inf(1)
			if d > 0 {
				r = p / d
			}
			bufs[i] = append(bufs[i], knapItem{id: j32, profit: p, weight: d, ratio: r})
			lg.sumP[i] += p
			lg.sumW[i] += d
		}
	}
	return sumU
}

// bufLower sets w_i to a lower bound from the continuous knapsack of site
// i (an upper bound on its 0-1 profit), leaving the site unsolved. It
// sorts the site's items by ratio in place, which the exact solve, if it
// follows, then finds done.
func (lg *lagrange) bufLower(st *state, i int) {
	items := lg.bufs[i]
	sortItems(items)
	prof, left := 0.0, st.capRes[i]
	for _, it := range items {
		if it.weight <= left {
			left -= it.weight
			prof += it.profit
			continue
		}
		if left > 0 {
			prof += left * it.ratio
		}
		break
	}
	lg.w[i] = lg.in.fc[i] + st.fixAdd[i] - upperSlack(prof)
}

// upperSlack raises an upper bound on a knapsack's profit by a relative
// 10⁻⁹, so that its rounding cannot put it below the profit the exact
// solve computes in another order: the lazy evaluation then selects the
// same sites as with every knapsack solved.
func upperSlack(p float64) float64 {
	return p + 1e-9*math.Max(1, math.Abs(p))
}

// solveSite solves the knapsack of site i (0-1 under single sourcing,
// continuous otherwise), sets w_i and records its selection.
func (lg *lagrange) solveSite(st *state, i int) {
	in := lg.in
	ks := lg.ks
	ks.items = lg.bufs[i]
	var prof float64
	if in.single {
		var exact bool
		prof, exact = ks.binary(st.capRes[i])
		if !exact {
			lg.exact = false
		}
	} else {
		prof = ks.continuous(in.cap[i])
	}
	lg.w[i] = in.fc[i] + st.fixAdd[i] - prof
	for k, it := range ks.items {
		if f := ks.take[k]; f > 0 {
			lg.siteJ[i] = append(lg.siteJ[i], it.id)
			lg.siteF[i] = append(lg.siteF[i], f)
		}
	}
	lg.bufs[i] = ks.items[:0]
	ks.items = nil
	lg.solved[i] = true
}

// subgradient fills lg.g with 1 − Σ_i y_i·x_ij for the free customers
// (projected for multipliers at zero) and returns its squared norm.
func (lg *lagrange) subgradient(st *state, u []float64) float64 {
	g := lg.g
	for _, j := range st.free {
		g[j] = 1
	}
	for i := 0; i < lg.in.m; i++ {
		if !lg.ysel[i] {
			continue
		}
		for k := lg.selOff[i]; k < lg.selOff[i+1]; k++ {
			g[lg.selJ[k]] -= lg.selF[k]
		}
	}
	norm := 0.0
	for _, j := range st.free {
		if u[j] <= 0 && g[j] < 0 {
			g[j] = 0
		}
		norm += g[j] * g[j]
	}
	return norm
}

// yPenalties returns, for every free site, the increase of the y-part
// value when the site is forced to the opposite of its current selection
// (+Inf when that makes the y-part infeasible). It must follow eval.
func (lg *lagrange) yPenalties(st *state, base float64, pen []float64) {
	in := lg.in
	fix := lg.fixTmp
	copy(fix, st.yfix)
	ysel := append([]bool(nil), lg.ysel...)
	for i := 0; i < in.m; i++ {
		pen[i] = 0
		if st.yfix[i] != 0 {
			continue
		}
		if ysel[i] {
			fix[i] = -1
		} else {
			fix[i] = 1
		}
		v, ok, _ := lg.ys.solve(lg.w, in.cap, fix, in.totalDem, in.minOpen, in.maxOpen)
		fix[i] = 0
		if !ok {
			pen[i] = math.Inf(1)
			continue
		}
		pen[i] = v - base
		if pen[i] < 0 {
			pen[i] = 0
		}
	}
	// restore the selection of the base solve
	copy(lg.ysel, ysel)
}
