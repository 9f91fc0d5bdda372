package allocate

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"runtime"

	"github.com/gstplan/gst"

	"github.com/gstplan/gst/allocate/internal/capfl"
	"github.com/gstplan/gst/allocate/internal/pmedian"
	"github.com/gstplan/gst/internal/lp"
)

// capflFits reports whether the capacitated facility location engine
// handles the problem: one service, capacities binding, the p-median or
// fixed-charge objective, no budget, change limit or coverage rule, and no
// closing cost on a site that may close (the engine takes no negative
// fixed cost).
func (in *inst) capflFits() (bool, string) {
	switch {
	case !in.capacitated:
		return false, "capacities do not bind"
	case in.obj != PMedian && in.obj != FixedCharge:
		return false, "the objective is " + in.obj.String()
	case len(in.svcs) != 1:
		return false, "several services share the sites"
	case in.hasSideRules():
		return false, "the problem has a budget, a change limit or coverage rules"
	case in.p.AllowUnserved:
		return false, "demand may stay unserved"
	}
	if in.obj == FixedCharge {
		for j := range in.sites {
			if st := &in.sites[j]; st.fix == 0 && st.today && st.cost > 0 {
				return false, "a site that may close has a closing cost"
			}
		}
	}
	return true, ""
}

// tryCapflEngine solves the problem with the capfl engine when it fits.
// ok is false when the problem is left to the MIP.
func (r *runner) tryCapflEngine() (st *stage, ok bool, err error) {
	in := r.in
	fits, why := in.capflFits()
	if r.opt.Method == MIP {
		return nil, false, nil
	}
	if !fits {
		if r.opt.Method == Engine {
			return nil, false, fmt.Errorf("allocate: %w: Method Engine: the capacitated engine does not handle this problem: %s", gst.ErrInvalid, why)
		}
		return nil, false, nil
	}
	m, n := len(in.sites), len(in.cls)
	if err := r.checkSize("capacitated engine", int64(n+m), int64(m*n+m), int64(2*m*n)); err != nil {
		return nil, true, err
	}
	scale := 1.0
	if in.obj == FixedCharge {
		scale = in.p.TravelCost
	}
	total := in.svcs[0].total
	cp := &capfl.Problem{
		Capacity:     make([]float64, m),
		Demand:       make([]float64, n),
		Cost:         make([][]float64, m),
		SingleSource: in.p.Capacity == SingleSource,
	}
	backing := make([]float64, m*n)
	for j := 0; j < m; j++ {
		c := in.sites[j].cap[0]
		if math.IsInf(c, 1) {
			c = total
		}
		cp.Capacity[j] = c
		cp.Cost[j] = backing[j*n : (j+1)*n]
		for k := range cp.Cost[j] {
			cp.Cost[j][k] = math.Inf(1)
		}
		switch in.sites[j].fix {
		case 1:
			cp.Open = append(cp.Open, j)
		case -1:
			cp.Closed = append(cp.Closed, j)
		}
	}
	constant := 0.0
	if in.obj == FixedCharge {
		cp.FixedCost = make([]float64, m)
		for j := range in.sites {
			st := &in.sites[j]
			switch {
			case !st.today:
				cp.FixedCost[j] = st.cost
			case st.fix < 0:
				constant += st.cost
			}
		}
	}
	for k := range in.cls {
		c := &in.cls[k]
		cp.Demand[k] = c.vol
		for _, j := range c.cands {
			cp.Cost[j][k] = c.w * in.d(k, j) * scale
		}
	}
	count, P := in.countRule()
	if count != 0 {
		cp.MaxOpen = P
		if in.obj.needsP() {
			cp.MinOpen = P
		}
	}
	o := &capfl.Options{GapTolerance: r.opt.GapTolerance}
	r.engineProgress = true
	o.Progress = r.engineHook(constant)
	r.engineProgress = false
	var today []int
	for j := range in.sites {
		if in.sites[j].today {
			today = append(today, j)
		}
	}
	o.InitialOpen = today
	r.record(int64(n+m), int64(m+m*n), int64(2*m*n), m)
	sol, err := capfl.Solve(r.ctx, cp, o)
	if err != nil {
		if errors.Is(err, gst.ErrNoSolution) {
			return nil, true, &noPlanError{status: r.stopped()}
		}
		return nil, true, fmt.Errorf("allocate: capacitated engine: %w", err)
	}
	r.stats.Nodes += int64(sol.Nodes)
	r.stats.Iterations += int64(sol.Iterations)
	r.capflRun = &capflCall{p: cp, constant: constant}
	s := fromCapfl(sol, m, n)
	st = &stage{sol: s, value: in.value(s), bound: sol.Bound + constant, status: sol.Status, method: "capacitated engine (Lagrangian relaxation and branch and bound)"}
	if st.status == gst.StatusTimeLimit || st.status == gst.StatusCanceled {
		st.status = r.stopped()
	}
	r.settle(st)
	return st, true, nil
}

// capflCall is the capacitated engine's problem as tryCapflEngine built
// it: the engine's objective plus constant is the plan's value.
type capflCall struct {
	p        *capfl.Problem
	constant float64
}

// fromCapfl turns the engine's solution into a plan of m sites and n
// clients.
func fromCapfl(sol *capfl.Solution, m, n int) *solution {
	s := &solution{open: make([]bool, m), assign: make([][]share, n)}
	for _, j := range sol.Open {
		s.open[j] = true
	}
	for k, sh := range sol.Assign {
		for _, x := range sh {
			if x.Fraction > 0 {
				s.assign[k] = append(s.assign[k], share{int32(x.Site), x.Fraction})
			}
		}
		sort.Slice(s.assign[k], func(a, b int) bool { return s.assign[k][a].site < s.assign[k][b].site })
	}
	return s
}

// parsimonyNodeLimit bounds the branch-and-bound nodes of the capacitated
// engine on each site set the parsimony pass checks.
const parsimonyNodeLimit = 1000

// reassignEngine serves the clients from a fixed set of open sites with
// the capacitated engine, under single sourcing: the assignment of least
// value if it is at most most, nil otherwise. The engine stops as soon as
// its bound proves that no assignment is worth at most most (most often at
// its root), or after parsimonyNodeLimit nodes (nil; undecided is set).
func (r *runner) reassignEngine(open []bool, most float64) (s *solution, undecided bool) {
	e := r.capflRun
	q := *e.p
	q.Open, q.Closed = nil, nil
	q.MinOpen, q.MaxOpen = 0, 0
	for j, o := range open {
		if o {
			q.Open = append(q.Open, j)
		} else {
			q.Closed = append(q.Closed, j)
		}
	}
	o := &capfl.Options{GapTolerance: r.opt.GapTolerance, NodeLimit: parsimonyNodeLimit}
	if c := most - e.constant; c > 0 {
		o.Cutoff = c
	}
	m, n := len(q.Capacity), len(q.Demand)
	r.record(int64(n+m), int64(m+m*n), int64(2*m*n), m)
	sol, err := capfl.Solve(r.ctx, &q, o)
	var ce *capfl.CutoffError
	switch {
	case errors.As(err, &ce):
		r.stats.Nodes += int64(ce.Nodes)
		return nil, false
	case errors.Is(err, gst.ErrInfeasible):
		return nil, false
	case err != nil:
		return nil, true
	}
	r.stats.Nodes += int64(sol.Nodes)
	r.stats.Iterations += int64(sol.Iterations)
	return fromCapfl(sol, m, n), false
}

// pmedianFits reports whether the p-median engine handles the problem:
// capacities do not bind, the objective is p-median or fixed charge, and
// there is no budget and no coverage rule (the engine takes kept and
// excluded sites, the maximum travel as forbidden pairs, and the change
// limit).
func (in *inst) pmedianFits() (bool, string) {
	switch {
	case in.capacitated:
		return false, "capacities bind"
	case in.obj != PMedian && in.obj != FixedCharge:
		return false, "the objective is " + in.obj.String()
	case in.p.Budget > 0:
		return false, "the problem has a budget"
	case len(in.coverageGroups()) > 0:
		return false, "the problem has coverage rules"
	}
	return true, ""
}

// autoPMedianEngine routes p-median and fixed-charge problems to the
// p-median engine under Method Auto.
var autoPMedianEngine = true

// pmedianMaxPairs is the number of client–site pairs above which the
// p-median engine gets truncated candidate lists (each client's nearest
// sites, with the travel to the first one left out as a valid floor for
// the others, so the bound stays valid).
const pmedianMaxPairs = 8 << 20

// tryPMedianEngine solves the problem with the p-median engine when it
// fits. ok is false when the problem is left to the MIP.
func (r *runner) tryPMedianEngine() (st *stage, ok bool, err error) {
	in := r.in
	if r.opt.Method == MIP || (r.opt.Method == Auto && !autoPMedianEngine) {
		return nil, false, nil
	}
	fits, why := in.pmedianFits()
	if !fits {
		if r.opt.Method == Engine {
			return nil, false, fmt.Errorf("allocate: %w: Method Engine: the p-median engine does not handle this problem: %s", gst.ErrInvalid, why)
		}
		return nil, false, nil
	}
	count, P := in.countRule()
	r.engineProgress = true
	res, err := r.pmedianEngine(nil, count, P, in.obj == FixedCharge)
	r.engineProgress = false
	if err != nil {
		return nil, true, err
	}
	st = &stage{sol: res.sol, value: in.value(res.sol), bound: res.bound, status: res.status, method: res.method}
	r.settle(st)
	r.flip = res.flip
	if st.status != gst.StatusOptimal {
		// A Lagrangian flip bound of +Inf proves a flip no better only
		// when the plan is optimal.
		for j, f := range r.flip {
			if math.IsInf(f, 1) {
				r.flip[j] = math.NaN()
			}
		}
	}
	for j, f := range r.flip {
		if math.IsInf(f, 1) {
			r.flip[j] = st.value
		}
	}
	return st, true, nil
}

// engineResult is what a run of the p-median engine gives.
type engineResult struct {
	sol    *solution
	bound  float64
	status gst.Status
	method string
	flip   []float64
}

// canRefineWithEngine reports whether a second stage (least weighted
// travel with candidate lists cut at a limit and a number of sites) can use
// the p-median engine.
func (r *runner) canRefineWithEngine() bool {
	in := r.in
	return r.opt.Method != MIP && autoPMedianEngine && !in.capacitated && in.p.Budget == 0 && len(in.coverageGroups()) == 0
}

// pmedianEngine runs the p-median engine on the instance: least weighted
// travel (scaled by TravelCost and with site costs when fc), candidate
// lists cut at limit(k) when limit is not nil, and the count rule.
func (r *runner) pmedianEngine(limit func(k int) float64, count lp.Sense, P int, fc bool) (*engineResult, error) {
	in := r.in
	n, m := len(in.cls), len(in.sites)
	lists, pairs, err := in.pmedianLists(limit)
	if err != nil {
		return nil, err
	}
	keep := math.MaxInt
	if pairs > pmedianMaxPairs {
		keep = max(32, pmedianMaxPairs/n)
	}
	pp, truncated := in.pmedianProblem(lists, keep, fc)
	constant := in.pmedianSiteRules(pp, count, P, fc)
	o := &pmedian.Options{RelGap: r.opt.GapTolerance, Workers: runtime.GOMAXPROCS(0), Progress: r.engineHook(constant)}
	for j := range in.sites {
		if in.sites[j].today && in.sites[j].fix >= 0 {
			o.Initial = append(o.Initial, j)
		}
	}
	used := pairs
	if keep < math.MaxInt {
		used = min(pairs, n*keep)
	}
	if err := r.checkSize("p-median engine", int64(n), int64(m), int64(used)); err != nil {
		return nil, err
	}
	r.record(int64(n), int64(m), int64(pairs), m)
	res, err := pmedian.Solve(r.ctx, pp, o)
	if err != nil {
		if errors.Is(err, gst.ErrNoSolution) {
			return nil, &noPlanError{status: r.stopped()}
		}
		return nil, fmt.Errorf("allocate: p-median engine: %w", err)
	}
	r.stats.Nodes += int64(res.Nodes)
	r.stats.Iterations += int64(res.Iterations)
	return r.pmedianResult(res, keep, truncated, constant), nil
}

// pmedianLists returns each client's candidate sites, cut at limit(k)
// when limit is not nil, and their count.
func (in *inst) pmedianLists(limit func(k int) float64) ([][]int32, int, error) {
	lists := make([][]int32, len(in.cls))
	pairs := 0
	for k := range in.cls {
		l := in.cls[k].cands
		if limit != nil {
			lim := limit(k)
			e := len(l)
			for e > 0 && in.d(k, l[e-1]) > lim {
				e--
			}
			l = l[:e]
		}
		if len(l) == 0 {
			return nil, 0, &gst.InfeasibleError{Op: op, Rule: "reach", Reason: "an area has no eligible site within reach"}
		}
		lists[k] = l
		pairs += len(l)
	}
	return lists, pairs, nil
}

// pmedianProblem builds the engine's problem from the candidate lists,
// keeping at most keep sites per client (cut between two distinct travels,
// the rest priced by Far); it reports whether a list was cut.
func (in *inst) pmedianProblem(lists [][]int32, keep int, fc bool) (*pmedian.Problem, bool) {
	n, m := len(in.cls), len(in.sites)
	scale := 1.0
	if fc {
		scale = in.p.TravelCost
	}
	pp := &pmedian.Problem{Clients: n, Sites: m, Weight: make([]float64, n), Lists: make([][]pmedian.Candidate, n),
		Rule: make([]pmedian.Rule, m)}
	if in.p.MaxChanges > 0 {
		pp.Current, pp.MaxChanges = in.today(), in.p.MaxChanges
	}
	truncated := false
	for k := range in.cls {
		c := &in.cls[k]
		pp.Weight[k] = c.w * scale
		l := lists[k]
		if len(l) > keep {
			// Cut between two distinct travels so that Beyond is a floor.
			cut := keep
			for cut < len(l) && in.d(k, l[cut]) == in.d(k, l[cut-1]) {
				cut++
			}
			if cut < len(l) {
				if pp.Beyond == nil {
					pp.Beyond = make([]float64, n)
					for i := range pp.Beyond {
						pp.Beyond[i] = math.Inf(1)
					}
				}
				pp.Beyond[k] = in.d(k, l[cut])
				l = l[:cut]
				truncated = true
			}
		}
		pp.Lists[k] = make([]pmedian.Candidate, len(l))
		for i, j := range l {
			pp.Lists[k][i] = pmedian.Candidate{Site: int(j), Cost: in.d(k, j)}
		}
	}
	if truncated {
		pp.Far = in.farCost(pp, lists)
	}
	return pp, truncated
}

// farCost prices the pairs cut from the lists: the client's own travel
// when the site is among its candidates (never below Beyond, the lists
// being sorted), +Inf when the site may not serve it.
func (in *inst) farCost(pp *pmedian.Problem, lists [][]int32) func(client, site int) float64 {
	allowed := make([]map[int32]bool, len(in.cls))
	for k := range in.cls {
		if !math.IsInf(pp.Beyond[k], 1) {
			allowed[k] = make(map[int32]bool, len(lists[k]))
			for _, j := range lists[k] {
				allowed[k][j] = true
			}
		}
	}
	return func(client, site int) float64 {
		if allowed[client] == nil || !allowed[client][int32(site)] {
			return math.Inf(1)
		}
		return in.d(client, int32(site))
	}
}

// pmedianSiteRules sets the sites' costs (with fc: closing a site open
// today saves its cost, opening one costs its cost), the sites fixed open
// or closed and the count rule; it returns the constant the costs leave
// out of the engine's objective.
func (in *inst) pmedianSiteRules(pp *pmedian.Problem, count lp.Sense, P int, fc bool) float64 {
	constant := 0.0
	if fc {
		pp.FixedCost = make([]float64, len(in.sites))
		for j := range in.sites {
			if in.sites[j].today {
				pp.FixedCost[j] = -in.sites[j].cost
				constant += in.sites[j].cost
			} else {
				pp.FixedCost[j] = in.sites[j].cost
			}
		}
	}
	for j := range in.sites {
		switch in.sites[j].fix {
		case 1:
			pp.Rule[j] = pmedian.Open
		case -1:
			pp.Rule[j] = pmedian.Closed
		}
	}
	switch {
	case count == lp.EQ:
		pp.P = P
	case count == lp.LE:
		pp.MaxOpen = P
	}
	return constant
}

// pmedianResult turns the engine's answer into a plan: each area to its
// nearest open site (what the engine's assignment costs; ties go to the
// site of lower ID), with the bound and the bounds on each site's opposite
// decision.
func (r *runner) pmedianResult(res *pmedian.Result, keep int, truncated bool, constant float64) *engineResult {
	in := r.in
	m := len(in.sites)
	open := make([]bool, m)
	for _, j := range res.Open {
		open[j] = true
	}
	s := in.nearest(open)
	method := "p-median engine (Lagrangian bound, vertex substitution, branch and bound)"
	if truncated {
		method += fmt.Sprintf(", %d nearest sites per area", keep)
	}
	out := &engineResult{sol: s, bound: res.Bound + constant, status: res.Status, method: method, flip: make([]float64, m)}
	if out.status == gst.StatusTimeLimit || out.status == gst.StatusCanceled {
		out.status = r.stopped()
	}
	for j := range out.flip {
		out.flip[j] = math.NaN()
		if j < len(res.FlipBound) && in.sites[j].fix == 0 && !math.IsNaN(res.FlipBound[j]) && !math.IsInf(res.FlipBound[j], -1) {
			out.flip[j] = res.FlipBound[j] + constant
		}
	}
	return out
}
