package pmedian

import (
	"errors"
	"math"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// The residual programme. Reduced-cost fixing at the root often leaves few
// free sites and short client lists, while the Lagrangian tree still needs
// many nodes: at large p the optimum usually lies a few units above the
// linear-programming bound, and a node's subgradient must come within one
// unit of its LP value to prune it (on rl1304 with p = 300 the LP bound is
// 177318, the optimum 177326, and depth-first dives reach depth 60 with the
// node LP still at 177318). A linear-programming branch and bound reads the
// LP values exactly and closes such regions quickly, so when the tree has
// not closed the gap within residualAfterNodes nodes and the region left
// after the root's fixing is small, the engine hands that region to
// lp_solve as the strong formulation
//
//	min Σ_ik c_ik x_ik + Σ_i u_i f_i + Σ_j g_j y_j
//	Σ_k x_ik + f_i = 1 (client i),  x_ik ≤ y_j(k) (free site),
//	lo ≤ Σ_j y_j ≤ hi,  changes ≤ MaxChanges,  y binary,
//
// over the reduced lists (sites fixed closed dropped, each list cut at the
// client's cheapest site fixed open, whose y is 1). f_i is the client's
// assignment beyond its truncated list, at its cap u_i = Weight·Beyond (no
// f_i when the list is complete): every plan of the region costs at least
// the programme's value, so its optimum is a lower bound on the region, and
// its sites form a plan whose true cost the engine recomputes.
//
// lp_solve's proof holds within its tolerances (relative MIP gap 1e-9,
// feasibility 1e-9), so the route is taken only when every cost is an
// integer: the optimum is then an integer and the value less a margin of
// 1e-8 of its size, rounded up, is the bound. It runs within a budget of
// simplex iterations (the same on every machine) proportional to the
// programme's size; a programme that does not finish within it, or within
// the deadline, leaves the tree to run as before.

// residualAfterNodes is the number of nodes the tree runs (with at least
// as many subgradient iterations as the root) before the residual
// programme, so that regions the tree closes quickly never pay for one. A
// variable so that the tests can hand every region to the programme.
var residualAfterNodes = 100

// Limits of the residual route: the free sites and the list entries left.
const (
	residualMaxFree  = 1000
	residualMaxPairs = 20000
	// residualIterPerColumn sets the simplex budget per column of the
	// programme.
	residualIterPerColumn = 100
)

// residual runs residualMIP on the region left after the root's fixing,
// from the tree, and returns the open nodes left: none when the programme
// closes the gap, else the nodes with its bound (every node lies in the
// region).
func (e *engine) residual(res *Result, rootStatus []Rule, stack []*node) []*node {
	b, ok := e.residualMIP(rootStatus)
	if !ok {
		return stack
	}
	res.ResidualMIP = true
	if e.lbRound(b) >= e.ub-e.tol() {
		e.pruned = min(e.pruned, b)
		return nil
	}
	for _, nd := range stack {
		nd.bound = max(nd.bound, b)
	}
	return stack
}

// residualMIP solves the region of status (the root after fixing) as a
// mixed-integer programme when it is small enough, offers the plan found
// and returns a lower bound on the region (already rounded) and true; it
// returns false when the route does not apply or does not finish.
func (e *engine) residualMIP(status []Rule) (float64, bool) {
	in := e.in
	if !e.orig.integral || e.opt.NoResidualMIP {
		return 0, false
	}
	free := 0
	for _, r := range status {
		if r == Free {
			free++
		}
	}
	if free == 0 || free > residualMaxFree || len(in.site) > residualMaxPairs {
		return 0, false
	}
	m, ycol := e.residualModel(status)
	if m == nil {
		// A client without any site allowed: no plan in the region.
		return math.Inf(1), true
	}
	sol, err := lp.Solve(e.ctx, m, &lp.Options{MaxIterations: int64(residualIterPerColumn * m.NumVars())})
	if err != nil {
		if errors.Is(err, gst.ErrInfeasible) {
			// No plan in the region: every plan lies in the regions
			// the fixing cut off.
			e.logf("residual programme: infeasible")
			return math.Inf(1), true
		}
		e.logf("residual programme: %d sites free, %d columns, not solved: %v", free, m.NumVars(), err)
		return 0, false
	}
	if sol.Status != gst.StatusOptimal {
		e.logf("residual programme: %v", sol.Status)
		return 0, false
	}
	open := make([]int32, 0, in.hi)
	mask := make([]bool, in.m)
	for j, r := range status {
		if r == Open || r == Free && sol.X[ycol[j]] > 0.5 {
			open = append(open, int32(j))
			mask[j] = true
		}
	}
	if len(open) >= e.orig.lo && len(open) <= e.orig.hi && e.changesOK(mask) {
		if obj, ok := e.orig.evaluate(open, mask, nil); ok {
			e.offer(open, obj)
		}
	}
	bound := e.lbRound(sol.Objective - 1e-8*math.Abs(sol.Objective) - 1e-6)
	e.logf("residual programme: %d sites free, %d columns, %d iterations, value %.10g, bound %.10g", free, m.NumVars(), sol.Iterations, sol.Objective, bound)
	return bound, true
}

// residualModel builds the programme of residualMIP and returns it with
// the column of y_j for every free site j (−1 for the others); nil when a
// client has no site allowed in the region.
func (e *engine) residualModel(status []Rule) (*lp.Model, []int) {
	in := e.in
	m := lp.NewModel("pmedian_residual")
	ycol := make([]int, in.m)
	var cols []int
	f1, c0 := 0, 0 // sites forced open; changes among the decided sites
	constant := 0.0
	for j, r := range status {
		ycol[j] = -1
		switch r {
		case Free:
			ycol[j] = m.AddVar("", 0, 1, in.fixed[j], lp.Binary)
			cols = append(cols, ycol[j])
		case Open:
			f1++
			constant += in.fixed[j]
			if !in.current[j] {
				c0++
			}
		default:
			if in.current[j] {
				c0++
			}
		}
	}
	m.SetObjConstant(constant)
	m.AddRow("open_min", cols, ones(len(cols)), lp.GE, float64(in.lo-f1))
	m.AddRow("open_max", cols, ones(len(cols)), lp.LE, float64(in.hi-f1))
	if in.maxCh <= in.m {
		// Σ_{current} (1 − y) + Σ_{other} y ≤ MaxChanges − c0.
		var cc []int
		var cv []float64
		rhs := float64(in.maxCh - c0)
		for j, r := range status {
			if r != Free {
				continue
			}
			cc = append(cc, ycol[j])
			if in.current[j] {
				cv = append(cv, -1)
				rhs--
			} else {
				cv = append(cv, 1)
			}
		}
		m.AddRow("changes", cc, cv, lp.LE, rhs)
	}
	for i := 0; i < in.n; i++ {
		var xs []int
		for k := in.start[i]; k < in.start[i+1]; k++ {
			j := in.site[k]
			x := m.AddVar("", 0, 1, in.cost[k], lp.Continuous)
			xs = append(xs, x)
			if status[j] == Free {
				m.AddRow("", []int{x, ycol[j]}, []float64{1, -1}, lp.LE, 0)
			}
		}
		if !math.IsInf(in.capL[i], 1) {
			xs = append(xs, m.AddVar("", 0, 1, in.capL[i], lp.Continuous))
		}
		if len(xs) == 0 {
			return nil, nil
		}
		m.AddRow("", xs, ones(len(xs)), lp.EQ, 1)
	}
	return m, ycol
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for k := range v {
		v[k] = 1
	}
	return v
}
