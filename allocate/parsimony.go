package allocate

import (
	"math"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// parsimonyMaxSolves bounds the transportation problems the parsimony pass
// solves when capacities bind (each undone change needs one); without
// capacities it only reassigns areas to their nearest site.
const parsimonyMaxSolves = 60

// parsimony undoes every change of a stage's plan that does not strictly
// improve the objective: a site opened or closed by the plan (not by Keep,
// Exclude or the closable flags) returns to its state today, alone or,
// when the number of sites is exact, together with an opposite change,
// whenever the plan stays within the rules and its objective gets no worse
// than the stage's (within the slack of a second stage). Changes are tried
// in site order, so the result is deterministic; what stays is a plan in
// which undoing any one change (or swap) makes the objective worse.
func (r *runner) parsimony(st *stage) {
	in := r.in
	if st.sol == nil {
		return
	}
	count, _ := in.countRule()
	base, slack := st.value, r.slack(st.value)
	once, served := 0.0, 0.0
	switch {
	case in.obj == BackupCoverage:
		once = in.coveredOnce(st.sol) // the first level of the lexicographic objective
	case in.p.AllowUnserved:
		served = in.servedVolume(st.sol) // likewise
	}
	notWorse := func(s2 *solution, v float64) bool {
		switch {
		case in.obj == BackupCoverage && in.coveredOnce(s2) < once-r.slack(once):
			return false
		case in.p.AllowUnserved && in.servedVolume(s2) < served-r.slack(served):
			return false
		case in.obj.maximises():
			return v >= base-slack
		}
		return v <= base+slack
	}
	solves, undone, undecided := 0, 0, 0
	for r.ctx.Err() == nil {
		opened, closed, changed := in.planChanges(st.sol.open)
		var trials [][]int32
		if count != lp.EQ {
			for _, j := range changed {
				trials = append(trials, []int32{j})
			}
		}
		for _, j := range opened {
			for _, i := range closed {
				trials = append(trials, []int32{j, i})
			}
		}
		found := false
		for _, t := range trials {
			if in.capacitated && solves >= parsimonyMaxSolves {
				r.note("the plan's changes were checked with %d transportation problems; some that may not pay for themselves were left unchecked", solves)
				break
			}
			open := append([]bool(nil), st.sol.open...)
			for _, j := range t {
				open[j] = !open[j]
			}
			if in.capacitated {
				solves++
			}
			s2, und := r.reassign(open, base)
			if und {
				undecided++
			}
			if s2 == nil || in.feasible(s2, 1e-6) != "" {
				continue
			}
			if v := in.value(s2); notWorse(s2, v) {
				st.sol, st.value = s2, v
				for _, j := range t {
					if r.flip != nil {
						r.flip[j] = math.NaN() // the engine's bound was on the other state
					}
				}
				undone += len(t)
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	if undecided > 0 {
		r.note("%d of the plan's changes were left as they are: the capacitated engine did not settle within %d nodes whether undoing them costs nothing", undecided, parsimonyNodeLimit)
	}
	if undone > 0 {
		r.stats.Undone = undone
		r.settle(st)
	}
}

// planChanges lists the sites a plan opens and closes that the rules leave
// free, each in site order, and both together in site order.
func (in *inst) planChanges(open []bool) (opened, closed, changed []int32) {
	for j := range in.sites {
		s := &in.sites[j]
		if s.fix != 0 || open[j] == s.today {
			continue
		}
		if s.today {
			closed = append(closed, int32(j))
		} else {
			opened = append(opened, int32(j))
		}
		changed = append(changed, int32(j))
	}
	return opened, closed, changed
}

// reassign returns the plan that opens the given sites and serves the
// demand as the primary formulation would: each area to its nearest open
// site without capacities; with them, the transportation problem of the
// primary model, or for a p-center the least travel within the radius of
// value (nil when there is no such model, or when it is not solved to
// optimality). When the capacitated engine solved a single-source primary
// objective, it solves the assignment too, and returns nil as soon as its
// bound proves the assignment worse than value (beyond the slack of a
// second stage); undecided is then true when it stopped without settling
// that.
func (r *runner) reassign(open []bool, value float64) (s *solution, undecided bool) {
	in := r.in
	if !in.capacitated {
		return in.nearest(open), false
	}
	if r.capflRun != nil && r.capflRun.p.SingleSource {
		return r.reassignEngine(open, value+r.slack(value))
	}
	var sp assignSpec
	switch {
	case in.obj.center():
		sp = assignSpec{limit: in.radiusLimit(value), cost: travel}
	case r.main != nil && r.main.assign != nil:
		sp = *r.main.assign
		sp.count, sp.countP = 0, 0
		if !in.p.AllowUnserved {
			sp.bounds = nil // with AllowUnserved the bound keeps the demand served
		}
	default:
		return nil, false
	}
	sp.fixed = open
	sol, am, err := r.solveAssign("reassign", &sp, r.assignOptions())
	if err != nil || sol.Status != gst.StatusOptimal {
		return nil, false
	}
	return am.solution(sol.X), false
}
