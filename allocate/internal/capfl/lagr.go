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
	}
	return lg
}

// eval computes L(u) for the state. ok is false when the y-part has no
// feasible selection (the node is infeasible).
func (lg *lagrange) eval(st *state, u []float64) (L float64, ok bool) {
	in := lg.in
	n := in.n
	sumU := 0.0
	// Gather the pairs of negative reduced cost customer by customer:
	// each customer's sites are sorted by cost, so the scan stops at the
	// first site that costs at least u_j.
	bufs := lg.bufs
	for i := range bufs {
		bufs[i] = bufs[i][:0]
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
		}
	}
	lg.selJ = lg.selJ[:0]
	lg.selF = lg.selF[:0]
	lg.exact = true
	ks := lg.ks
	for i := 0; i < in.m; i++ {
		lg.selOff[i] = int32(len(lg.selJ))
		if st.yfix[i] < 0 {
			lg.w[i] = math.Inf(1)
			continue
		}
		ks.items = bufs[i]
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
		bufs[i] = ks.items[:0]
		lg.w[i] = in.fc[i] + st.fixAdd[i] - prof
		for k, it := range ks.items {
			if f := ks.take[k]; f > 0 {
				lg.selJ = append(lg.selJ, it.id)
				lg.selF = append(lg.selF, f)
			}
		}
	}
	ks.items = nil
	lg.selOff[in.m] = int32(len(lg.selJ))
	yv, ok, exact := lg.ys.solve(lg.w, in.cap, st.yfix, in.totalDem, in.minOpen, in.maxOpen)
	if !ok {
		return math.Inf(1), false
	}
	if !exact {
		lg.exact = false
	}
	copy(lg.ysel, lg.ys.sel[:in.m])
	return sumU + yv, true
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
