package allocate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
	"github.com/gstplan/gst/internal/msgtext"
)

// hasSideRules reports whether the problem has rules beyond the number of
// sites, kept and excluded sites and the maximum travel: a budget, a limit
// on changes or coverage rules.
func (in *inst) hasSideRules() bool {
	p := in.p
	return p.Budget > 0 || p.MaxChanges > 0 || len(in.coverageGroups()) > 0
}

// countRule returns the sense and right-hand side of the count row: none
// when P is 0 (the number of sites is free).
func (in *inst) countRule() (lp.Sense, int) {
	switch {
	case in.p.P == 0:
		return 0, 0
	case in.obj.needsP():
		return lp.EQ, in.p.P
	}
	return lp.LE, in.p.P
}

// travel is the cost of the travel objectives per unit of weight.
func travel(_ int, d float64) float64 { return d }

// solveNear builds and solves a radius model.
func (r *runner) solveNear(name string, sp *nearSpec, o *lp.Options) (*lp.Solution, *nearModel, error) {
	if r.ctx.Err() != nil {
		return nil, nil, &noPlanError{status: r.stopped()}
	}
	nm := newNear(r.in, sp)
	if nm.infeas {
		return nil, nm, &gst.InfeasibleError{Op: op, Rule: "reach", Reason: "an area has no eligible site within reach"}
	}
	if err := r.checkSize("radius formulation", nm.rows, nm.cols, nm.nonzeros); err != nil {
		return nil, nm, err
	}
	nm.build(name)
	sol, err := r.solveModel(nm.m, o)
	return sol, nm, err
}

// solveAssign builds and solves an assignment model.
func (r *runner) solveAssign(name string, sp *assignSpec, o *lp.Options) (*lp.Solution, *assignModel, error) {
	if r.ctx.Err() != nil {
		return nil, nil, &noPlanError{status: r.stopped()}
	}
	am := newAssign(r.in, sp)
	if am.infeas {
		return nil, am, &gst.InfeasibleError{Op: op, Rule: "reach", Reason: "an area has no eligible site within reach"}
	}
	if err := r.checkSize("assignment formulation", am.rows, am.cols, am.nonzeros); err != nil {
		return nil, am, err
	}
	am.build(name)
	sol, err := r.solveModel(am.m, o)
	return sol, am, err
}

// solved turns a plan into a stage with the solver's bound.
func (r *runner) solved(sol *lp.Solution, s *solution, method string, toValue func(float64) float64) *stage {
	st := &stage{sol: s, value: r.in.value(s), method: method}
	return r.finish(st, sol, toValue)
}

func identity(v float64) float64 { return v }

// minTravel solves PMedian and FixedCharge.
func (r *runner) minTravel() (*stage, error) {
	in := r.in
	count, P := in.countRule()
	fc := in.obj == FixedCharge
	if !in.capacitated {
		if st, ok, err := r.tryPMedianEngine(); ok || err != nil {
			return st, err
		}
		sp := &nearSpec{cost: travel, count: count, countP: P, siteCosts: fc, rules: true}
		if fc {
			sp.scale = in.p.TravelCost
		}
		r.main = &mainSpec{near: sp, toValue: identity}
		sol, nm, err := r.solveNear("pmedian", sp, r.lpOptions())
		if err != nil {
			return nil, err
		}
		return r.solved(sol, in.nearest(openFrom(in, nm.ycol, sol.X)), "mip: radius formulation", identity), nil
	}
	sp := &assignSpec{cost: travel, count: count, countP: P, siteCosts: fc, rules: true}
	if fc {
		sp.scale = in.p.TravelCost
	}
	r.main = &mainSpec{assign: sp, toValue: identity}
	if st, ok, err := r.tryCapflEngine(); ok || err != nil {
		return st, err
	}
	if in.p.AllowUnserved {
		return r.shortfall(sp)
	}
	if in.p.Capacity == SingleSource {
		return r.singleSource(sp)
	}
	sol, am, err := r.solveAssign("cpmedian", sp, r.assignOptions())
	if err != nil {
		return nil, err
	}
	return r.solved(sol, am.solution(sol.X), "mip: assignment formulation", identity), nil
}

// shortfall solves a capacitated travel problem whose demand may exceed
// what the sites can take (Problem.AllowUnserved) in two stages: the most
// demand served under every rule, then the least objective that serves
// that much. The plan's bound is the second stage's.
func (r *runner) shortfall(sp *assignSpec) (*stage, error) {
	in := r.in
	perVolume := func(k int, _ float64) float64 {
		if in.cls[k].w == 0 {
			return 0 // a client of weight 0 counts for nothing
		}
		return in.cls[k].vol / in.cls[k].w
	}
	first := *sp
	first.cost, first.siteCosts, first.scale, first.optional = func(k int, d float64) float64 { return -perVolume(k, d) }, false, 0, true
	sol1, am1, err := r.solveAssign("served", &first, r.assignOptions())
	if err != nil {
		return nil, err
	}
	served := in.servedVolume(am1.solution(sol1.X))
	if sol1.Status != gst.StatusOptimal {
		r.note("the first stage (the most demand served) stopped at %s; the plan serves at least %s", sol1.Status, msgtext.Number(served))
	}
	second := *sp
	second.optional = true
	second.bounds = []assignBound{{cost: perVolume, sense: lp.GE, rhs: served - r.slack(served)}}
	r.main = &mainSpec{assign: &second, toValue: identity}
	sol2, am2, err := r.solveAssign("cpmedian", &second, r.assignOptions())
	if err != nil {
		return nil, err
	}
	st := r.solved(sol2, am2.solution(sol2.X), "mip: assignment formulation, most demand served first", identity)
	if sol1.Status != gst.StatusOptimal && st.status == gst.StatusOptimal {
		st.status = sol1.Status
	}
	if total := in.totalVolume(); served < total*(1-1e-9) {
		r.note("the sites can serve %s of the demand of %s within their capacities and the rules; the rest stays unserved", msgtext.Number(served), msgtext.Number(total))
	}
	return st, nil
}

// servedVolume returns the demand volume a solution serves.
func (in *inst) servedVolume(s *solution) float64 {
	v := 0.0
	for k, sh := range s.assign {
		for _, x := range sh {
			v += in.cls[k].vol * x.frac
		}
	}
	return v
}

// totalVolume returns the demand volume of every client.
func (in *inst) totalVolume() float64 {
	v := 0.0
	for k := range in.cls {
		v += in.cls[k].vol
	}
	return v
}

// singleSource solves a single-source assignment model in three steps, so
// that a deadline still finds a good plan and a strong bound: the
// split-demand problem (fast; its optimum bounds the single-source one from
// below), the single-source assignment to the sites it opens (a
// generalised assignment problem, for a first plan), then the whole model
// for the rest of the time.
func (r *runner) singleSource(sp *assignSpec) (*stage, error) {
	in := r.in
	split := *sp
	split.split = true
	sol1, am1, err := r.solveAssign("split", &split, r.assignOptions())
	if err != nil {
		return nil, err
	}
	lb := sol1.Bound
	var heur *solution
	open := openFrom(in, am1.ycol, sol1.X)
	gsp := *sp
	gsp.fixed = open
	saved := r.ctx
	limit := 30 * time.Second
	if dl, ok := saved.Deadline(); ok {
		limit = min(limit, time.Until(dl)/4)
	}
	ctx, cancel := context.WithTimeout(saved, limit)
	r.ctx = ctx
	sol2, am2, err := r.solveAssign("gap", &gsp, r.assignOptions())
	cancel()
	r.ctx = saved
	if err == nil {
		heur = am2.solution(sol2.X)
		if in.feasible(heur, 1e-6) != "" {
			heur = nil
		}
	}
	sol3, am3, err := r.solveAssign("cpmedian", sp, r.assignOptions())
	if err != nil {
		if isNoSolution(err) && heur != nil {
			st := &stage{sol: heur, value: in.value(heur), bound: lb, status: r.stopped(), method: "mip: assignment formulation (split-demand bound, assignment to its sites)"}
			r.settle(st)
			return st, nil
		}
		return nil, err
	}
	st := r.solved(sol3, am3.solution(sol3.X), "mip: assignment formulation", identity)
	if st.status != gst.StatusOptimal {
		if heur != nil {
			if v := in.value(heur); v < st.value {
				st.sol, st.value = heur, v
			}
		}
		st.bound = math.Max(st.bound, lb)
		r.settle(st)
	}
	return st, nil
}

// assignOptions are the solver options of the assignment models: branching
// on the floor first with pseudo-cost node selection and reduced-cost
// fixing, which explores far fewer nodes on these models than lp_solve's
// defaults.
func (r *runner) assignOptions() *lp.Options {
	const (
		nodePseudoNonIntSelect = 5
		nodeGreedyMode         = 32
		nodeRCostFixing        = 16384
	)
	return &lp.Options{Branch: lp.BranchFloor, NodeRule: nodePseudoNonIntSelect + nodeGreedyMode + nodeRCostFixing}
}

// totalWeight is Σ_k w_k.
func (in *inst) totalWeight() float64 {
	t := 0.0
	for k := range in.cls {
		t += in.cls[k].w
	}
	return t
}

// maxCoverage solves MaxCoverage, then picks the plan of least travel among
// those with the same coverage.
func (r *runner) maxCoverage() (*stage, error) {
	in := r.in
	W := in.totalWeight()
	uncovered := func(k int, d float64) float64 { return 1 - in.credit(k, d) }
	one := func(int) float64 { return 1 }
	toCovered := func(u float64) float64 { return W - u }
	var st *stage
	if !in.capacitated {
		count, P := in.countRule()
		sp := &nearSpec{cost: uncovered, fallback: one, count: count, countP: P, rules: true}
		r.main = &mainSpec{near: sp, toValue: toCovered}
		sol, nm, err := r.solveNear("mclp", sp, r.lpOptions())
		if err != nil {
			return nil, err
		}
		st = r.solved(sol, in.nearest(openFrom(in, nm.ycol, sol.X)), "mip: radius formulation", toCovered)
	} else {
		count, P := in.countRule()
		sp := &assignSpec{cost: func(k int, d float64) float64 { return -in.credit(k, d) }, keep: func(k int, d float64) bool { return in.credit(k, d) > 0 },
			optional: true, constant: W, count: count, countP: P, rules: true}
		r.main = &mainSpec{assign: sp, toValue: toCovered}
		sol, am, err := r.solveAssign("cmclp", sp, r.assignOptions())
		if err != nil {
			return nil, err
		}
		st = r.solved(sol, am.solution(sol.X), "mip: assignment formulation", toCovered)
	}
	if r.opt.NoRefine || st.sol == nil {
		return st, nil
	}
	// Second stage: least travel with at least the coverage found.
	need := st.value - r.slack(st.value)
	var s2 *solution
	restore := r.secondStage()
	defer restore()
	if !in.capacitated {
		farthest := func(int) float64 { return in.maxDist }
		count, P := in.countRule()
		sp := &nearSpec{cost: travel, fallback: farthest, count: count, countP: P, rules: true,
			bounds: []nearBound{{cost: uncovered, fallback: one, sense: lp.LE, rhs: W - need}}}
		first := r.stats.Rows
		if nm := newNear(in, sp); nm.rows > max(refineMaxRows, 10*first) {
			r.note("the second stage (least travel among equally good plans) was skipped: its model would have %d rows against %d for the first", nm.rows, first)
			return st, nil
		}
		sol, nm, err := r.solveNear("mclp-refine", sp, r.lpOptions())
		if err == nil {
			s2 = in.nearest(openFrom(in, nm.ycol, sol.X))
		} else if !isNoSolution(err) && !errors.Is(err, gst.ErrInfeasible) {
			return nil, err
		}
	} else {
		count, P := in.countRule()
		sp := &assignSpec{cost: travel, keep: func(k int, d float64) bool { return in.credit(k, d) > 0 }, optional: true,
			count: count, countP: P, rules: true,
			bounds: []assignBound{{cost: func(k int, d float64) float64 { return in.credit(k, d) }, sense: lp.GE, rhs: need}}}
		sol, am, err := r.solveAssign("cmclp-refine", sp, r.assignOptions())
		if err == nil {
			s2 = am.solution(sol.X)
		} else if !isNoSolution(err) && !errors.Is(err, gst.ErrInfeasible) {
			return nil, err
		}
	}
	r.adoptRefined(st, s2)
	return st, nil
}

// secondStage gives a second stage at most twice the time spent so far
// (at least secondStageMin), within the overall deadline, and returns the
// function that restores the runner's context.
func (r *runner) secondStage() func() {
	saved := r.ctx
	ctx, cancel := context.WithTimeout(saved, max(secondStageMin, 2*time.Since(r.start)))
	r.ctx = ctx
	return func() {
		cancel()
		r.ctx = saved
	}
}

// refineMaxRows is the size up to which a second stage may have more than
// ten times the rows of the first.
const refineMaxRows = 100_000

// secondStageMin is the least time a second stage gets.
const secondStageMin = 5 * time.Second

// adoptRefined replaces the plan of a stage by its refinement when the
// refinement is as good for the objective and travels less.
func (r *runner) adoptRefined(st *stage, s2 *solution) {
	in := r.in
	if s2 == nil {
		r.note("the second stage (least travel among equally good plans) found no plan in time; the plan is the first stage's")
		return
	}
	if in.feasible(s2, 1e-6) != "" {
		r.note("the second stage's plan broke a rule by rounding; the plan is the first stage's")
		return
	}
	v := in.value(s2)
	better := v >= st.value-r.slack(st.value)
	if !in.obj.maximises() {
		better = v <= st.value+r.slack(st.value)
	}
	if better && in.weightedTravel(s2) <= in.weightedTravel(st.sol) {
		st.sol, st.value = s2, v
		r.settle(st)
		r.stats.Refined = true
	}
}

// slack is how much of its objective a second stage may give up to
// rounding: a tenth of the gap tolerance.
func (r *runner) slack(v float64) float64 {
	return r.opt.GapTolerance / 10 * math.Max(1, math.Abs(v))
}

// setCovering solves SetCovering, then picks the plan of least travel among
// those with the fewest sites.
func (r *runner) setCovering() (*stage, error) {
	in := r.in
	std := func(k int) float64 { return in.svcs[in.cls[k].svc].std }
	count, P := in.countRule()
	var st *stage
	if !in.capacitated {
		sp := &nearSpec{limit: std, minSites: true, count: count, countP: P, rules: true}
		r.main = &mainSpec{near: sp, toValue: identity}
		sol, nm, err := r.solveNear("cover", sp, r.lpOptions())
		if err != nil {
			return nil, err
		}
		st = r.solved(sol, in.nearest(openFrom(in, nm.ycol, sol.X)), "mip: covering formulation", identity)
	} else {
		sp := &assignSpec{limit: std, minSites: true, count: count, countP: P, rules: true}
		r.main = &mainSpec{assign: sp, toValue: identity}
		sol, am, err := r.solveAssign("ccover", sp, r.assignOptions())
		if err != nil {
			return nil, err
		}
		st = r.solved(sol, am.solution(sol.X), "mip: covering assignment formulation", identity)
	}
	if r.opt.NoRefine {
		return st, nil
	}
	q := int(math.Round(st.value))
	var s2 *solution
	restore := r.secondStage()
	defer restore()
	if r.canRefineWithEngine() {
		res, err := r.pmedianEngine(std, lp.EQ, q, false)
		if err == nil {
			s2 = res.sol
		} else if !isNoSolution(err) && !errors.Is(err, gst.ErrInfeasible) {
			return nil, err
		}
	} else if !in.capacitated {
		sp := &nearSpec{limit: std, cost: travel, count: lp.EQ, countP: q, rules: true}
		sol, nm, err := r.solveNear("cover-refine", sp, r.lpOptions())
		if err == nil {
			s2 = in.nearest(openFrom(in, nm.ycol, sol.X))
		} else if !isNoSolution(err) && !errors.Is(err, gst.ErrInfeasible) {
			return nil, err
		}
	} else {
		sp := &assignSpec{limit: std, cost: travel, count: lp.EQ, countP: q, rules: true}
		sol, am, err := r.solveAssign("ccover-refine", sp, r.assignOptions())
		if err == nil {
			s2 = am.solution(sol.X)
		} else if !isNoSolution(err) && !errors.Is(err, gst.ErrInfeasible) {
			return nil, err
		}
	}
	r.adoptRefined(st, s2)
	return st, nil
}

// backupCoverage solves BackupCoverage in two stages: the most demand
// covered once, then the most covered twice without losing any of it.
func (r *runner) backupCoverage() (*stage, error) {
	in := r.in
	m1, cols1 := r.backupModel(false, 0)
	if err := r.checkSize("backup coverage formulation", int64(m1.NumRows()), int64(m1.NumVars()), int64(m1.NumNonzeros())); err != nil {
		return nil, err
	}
	sol1, err := r.solveModel(m1, r.lpOptions())
	if err != nil {
		return nil, err
	}
	s1 := in.nearest(openFrom(in, cols1, sol1.X))
	once := in.coveredOnce(s1)
	if sol1.Status != gst.StatusOptimal {
		r.note("the first stage (demand covered once) stopped at %s; the plan keeps its coverage of %s", sol1.Status, msgtext.Number(once))
	}
	m2, cols2 := r.backupModel(true, once-r.slack(once))
	sol2, err := r.solveModel(m2, r.lpOptions())
	if err != nil {
		if isNoSolution(err) {
			// Keep the first stage's plan; its backup coverage has no
			// bound better than the total weight.
			st := &stage{sol: s1, value: in.value(s1), bound: in.totalWeight(), status: r.stopStatus(err), method: "mip: backup coverage formulation"}
			if st.status == gst.StatusFeasible {
				r.note("the second stage (demand covered twice) failed numerically with every scaling; the plan is the first stage's, and its bound the total weight (%v)", err)
			}
			r.settle(st)
			return st, nil
		}
		return nil, err
	}
	s2 := in.nearest(openFrom(in, cols2, sol2.X))
	st := r.solved(sol2, s2, "mip: backup coverage formulation", func(v float64) float64 { return -v })
	if sol1.Status != gst.StatusOptimal && st.status == gst.StatusOptimal {
		st.status = sol1.Status
	}
	return st, nil
}

// coveredOnce returns the weighted demand with an open site within the
// standard.
func (in *inst) coveredOnce(s *solution) float64 {
	v := 0.0
	for k := range in.cls {
		if in.coverCount(k, s.open) >= 1 {
			v += in.cls[k].w
		}
	}
	return v
}

// backupModel builds the backup coverage model: u1_k (covered once) and
// u2_k (covered twice) with u1 + u2 ≤ Σ_{j within the standard} y_j and
// u2 ≤ u1. The first stage maximises Σ w·u1; the second maximises Σ w·u2
// with Σ w·u1 ≥ once. Both are written as minimisations.
func (r *runner) backupModel(second bool, once float64) (*lp.Model, []int) {
	in := r.in
	m := lp.NewModel("backup")
	ycol := make([]int, len(in.sites))
	for j := range in.sites {
		ycol[j] = -1
		if in.sites[j].fix == 0 {
			ycol[j] = m.AddVar(fmt.Sprintf("y%d", j), 0, 1, 0, lp.Binary)
		}
	}
	var oc []int
	var ov []float64
	groups := in.coverageGroups()
	inGroup := map[int][]int{}
	for g := range groups {
		for _, k := range groups[g].clients {
			inGroup[k] = append(inGroup[k], g)
		}
	}
	gc := make([][]int, len(groups))
	gv := make([][]float64, len(groups))
	grhs := make([]float64, len(groups))
	for g := range groups {
		grhs[g] = groups[g].share * groups[g].total
	}
	for k := range in.cls {
		c := &in.cls[k]
		std := in.svcs[c.svc].std
		fixed := 0.0
		var cols []int
		var coefs []float64
		for _, j := range c.cands {
			if in.d(k, j) > std {
				break
			}
			if ycol[j] >= 0 {
				cols = append(cols, ycol[j])
				coefs = append(coefs, -1)
			} else {
				fixed++
			}
		}
		if len(cols) == 0 && fixed == 0 {
			continue
		}
		o1, o2 := 0.0, -c.w
		if !second {
			o1, o2 = -c.w, 0
		}
		u1 := m.AddVar(fmt.Sprintf("u%d_1", k), 0, 1, o1, lp.Continuous)
		u2 := m.AddVar(fmt.Sprintf("u%d_2", k), 0, 1, o2, lp.Continuous)
		m.AddRow(fmt.Sprintf("b%d", k), append(cols, u1, u2), append(coefs, 1, 1), lp.LE, fixed)
		m.AddRow(fmt.Sprintf("o%d", k), []int{u2, u1}, []float64{1, -1}, lp.LE, 0)
		oc = append(oc, u1)
		ov = append(ov, c.w)
		for _, g := range inGroup[k] {
			gc[g] = append(gc[g], u1)
			gv[g] = append(gv[g], c.vol)
		}
	}
	if second && len(oc) > 0 {
		m.AddRow("once", oc, ov, lp.GE, once)
	}
	for g := range groups {
		if len(gc[g]) == 0 {
			ensureColumn(m)
			gc[g], gv[g] = []int{0}, []float64{0}
		}
		m.AddRow(fmt.Sprintf("cover%d", g), gc[g], gv[g], lp.GE, grhs[g])
	}
	count, P := in.countRule()
	addSiteRows(m, in, ycol, count, P, true)
	if m.NumVars() == 0 {
		m.AddVar("empty", 0, 0, 0, lp.Continuous)
	}
	return m, ycol
}
