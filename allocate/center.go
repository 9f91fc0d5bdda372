package allocate

import (
	"errors"
	"math"
	"sort"

	"github.com/gstplan/gst"
)

// The p-center problems are solved as a sequence of covering problems
// (Minieka 1970; Daskin 2000; Calik and Tansel 2013): the optimal radius is
// one of the travels between a client and a candidate, and for a radius r
// the question "can P sites reach every client within r?" is a covering
// problem with one row per client, which is small and has a tight linear
// relaxation. A binary search over the sorted candidate radii, started
// between a lower bound (every client needs its nearest candidate) and the
// radius of a greedy plan (or the radius that any P sites guarantee), needs
// about log2(#radii) covering problems. Each answer is a proof: a radius
// shown infeasible is a lower bound, a plan found is an upper bound, so a
// search stopped by the deadline still returns a plan and a valid bound.

// pcenter solves PCenter and WeightedPCenter.
func (r *runner) pcenter() (*stage, error) {
	in := r.in
	radii, lo, hi := in.centerRadii()
	if len(radii) == 0 {
		return nil, &gst.InfeasibleError{Op: op, Rule: "reach", Reason: "no area has a candidate site"}
	}
	var best *solution
	bestIdx := len(radii) // index of the radius of best
	adopt := func(s *solution) {
		v := in.value(s)
		i := sort.SearchFloat64s(radii, v)
		if i < bestIdx {
			best, bestIdx = s, i
		}
	}
	if !in.capacitated && !in.hasSideRules() {
		if s := in.greedyCenter(); s != nil {
			adopt(s)
		}
	}
	if bestIdx < hi {
		hi = bestIdx
	}
	// Binary search: radii[:lo] are proven infeasible; radii[hi] is the
	// smallest radius not yet known to be infeasible that may be feasible
	// without a plan (bestIdx == hi means a plan is known there).
	var stop error // why the search stopped early
	for lo < bestIdx && stop == nil {
		mid := lo + (min(hi, bestIdx-1)-lo)/2
		s, err := r.centerDecision(radii[mid])
		switch {
		case err == nil:
			adopt(s)
		case errors.Is(err, gst.ErrInfeasible):
			lo = mid + 1
		case isNoSolution(err):
			stop = err
		default:
			return nil, err
		}
	}
	if best == nil {
		if stop != nil {
			return nil, stop
		}
		return nil, &gst.InfeasibleError{Op: op, Rule: "sites", Reason: "no plan with P sites satisfies every rule at any radius"}
	}
	st := &stage{sol: best, value: in.value(best), bound: radii[min(lo, len(radii)-1)], method: "covering sequence (binary search over radii)"}
	st.status = gst.StatusOptimal
	if stop != nil {
		st.status = r.stopStatus(stop)
		if st.status == gst.StatusFeasible {
			r.note("the search over radii stopped: a covering problem failed numerically with every scaling (%v)", stop)
		}
	}
	r.settle(st)
	if r.opt.NoRefine {
		return st, nil
	}
	// Second stage: least weighted travel within the optimal radius.
	radius := st.value
	limit := in.radiusLimit(radius)
	count, P := in.countRule()
	var s2 *solution
	restore := r.secondStage()
	defer restore()
	if r.canRefineWithEngine() {
		res, err := r.pmedianEngine(limit, count, P, false)
		if err == nil {
			s2 = res.sol
		} else if !isNoSolution(err) && !errors.Is(err, gst.ErrInfeasible) {
			return nil, err
		}
	} else if !in.capacitated {
		sp := &nearSpec{limit: limit, cost: travel, count: count, countP: P, rules: true}
		sol, nm, err := r.solveNear("center-refine", sp, r.lpOptions())
		if err == nil {
			s2 = in.nearest(openFrom(in, nm.ycol, sol.X))
		} else if !isNoSolution(err) && !errors.Is(err, gst.ErrInfeasible) {
			return nil, err
		}
	} else {
		sp := &assignSpec{limit: limit, cost: travel, count: count, countP: P, rules: true}
		sol, am, err := r.solveAssign("ccenter-refine", sp, r.assignOptions())
		if err == nil {
			s2 = am.solution(sol.X)
		} else if !isNoSolution(err) && !errors.Is(err, gst.ErrInfeasible) {
			return nil, err
		}
	}
	r.adoptRefined(st, s2)
	return st, nil
}

// noPlanError reports a solve stopped before any plan.
type noPlanError struct{ status gst.Status }

func (e *noPlanError) Error() string {
	return "allocate: no solution found: " + e.status.String() + " before a first plan"
}

func (e *noPlanError) Unwrap() error { return gst.ErrNoSolution }

// radiusLimit returns, for each client, the travel its radius allows.
func (in *inst) radiusLimit(radius float64) func(k int) float64 {
	tol := radius * 1e-12
	if in.obj == WeightedPCenter {
		return func(k int) float64 { return (radius + tol) / in.cls[k].w }
	}
	return func(int) float64 { return radius + tol }
}

// centerDecision looks for a plan that serves every client within the
// radius. It returns an error wrapping gst.ErrInfeasible when none exists.
func (r *runner) centerDecision(radius float64) (*solution, error) {
	in := r.in
	count, P := in.countRule()
	limit := in.radiusLimit(radius)
	o := r.lpOptions()
	o.BreakAtFirst = true
	if !in.capacitated {
		sp := &nearSpec{limit: limit, count: count, countP: P, rules: true}
		sol, nm, err := r.solveNear("center", sp, o)
		if err != nil {
			return nil, err
		}
		return in.nearest(openFrom(in, nm.ycol, sol.X)), nil
	}
	sp := &assignSpec{limit: limit, count: count, countP: P, rules: true}
	o = r.assignOptions()
	o.BreakAtFirst = true
	sol, am, err := r.solveAssign("ccenter", sp, o)
	if err != nil {
		return nil, err
	}
	return am.solution(sol.X), nil
}

// centerRadii returns the sorted distinct radii a p-center plan can have,
// the index of the least radius every client needs (lo) and the index of
// the radius any P sites guarantee when exactly P open (hi).
func (in *inst) centerRadii() (radii []float64, lo, hi int) {
	need, sure := 0.0, 0.0
	for k := range in.cls {
		c := &in.cls[k]
		if len(c.cands) == 0 {
			continue
		}
		need = math.Max(need, in.eff(k, in.d(k, c.cands[0])))
		s := math.Inf(1)
		for i, j := range c.cands {
			e := in.eff(k, in.d(k, j))
			radii = append(radii, e)
			// Without capacities no client goes past its nearest kept
			// site, nor past the ball that holds an open site whatever
			// the plan; with them it may.
			if !in.capacitated && (in.sites[j].fix > 0 || in.usable-(i+1) < in.p.P) {
				s = e
				break
			}
		}
		sure = math.Max(sure, s)
	}
	sort.Float64s(radii)
	out := radii[:0]
	for i, v := range radii {
		if i == 0 || v != radii[i-1] {
			out = append(out, v)
		}
	}
	radii = out
	lo = sort.SearchFloat64s(radii, need)
	hi = len(radii) - 1
	if !math.IsInf(sure, 1) && !in.capacitated && !in.hasSideRules() {
		hi = sort.SearchFloat64s(radii, sure)
	}
	return radii, lo, hi
}

// greedyCenter builds a plan for the p-center without side rules: the kept
// sites, then repeatedly the free site nearest to the worst-served client
// (farthest-first, Gonzalez 1985). It returns nil when it cannot open P
// sites.
func (in *inst) greedyCenter() *solution {
	open := make([]bool, len(in.sites))
	n := 0
	for j := range in.sites {
		if in.sites[j].fix > 0 {
			open[j] = true
			n++
		}
	}
	cur := make([]float64, len(in.cls))
	update := func() {
		for k := range in.cls {
			cur[k] = math.Inf(1)
			for _, j := range in.cls[k].cands {
				if open[j] {
					cur[k] = in.eff(k, in.d(k, j))
					break
				}
			}
		}
	}
	update()
	for n < in.p.P {
		worst := -1
		for k := range in.cls {
			if len(in.cls[k].cands) > 0 && (worst < 0 || cur[k] > cur[worst]) {
				worst = k
			}
		}
		pick := int32(-1)
		if worst >= 0 {
			for _, j := range in.cls[worst].cands {
				if !open[j] && in.sites[j].fix == 0 {
					pick = j
					break
				}
			}
		}
		if pick < 0 {
			for j := range in.sites {
				if !open[j] && in.sites[j].fix == 0 {
					pick = int32(j)
					break
				}
			}
		}
		if pick < 0 {
			return nil
		}
		open[pick] = true
		n++
		update()
	}
	s := in.nearest(open)
	for k := range s.assign {
		if len(s.assign[k]) == 0 {
			return nil
		}
	}
	return s
}
