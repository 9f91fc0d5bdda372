package programme

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/gstplan/gst"
)

// scaledBudgets returns a copy of p with every budget multiplied by f.
func scaledBudgets(p *Problem, f float64) *Problem {
	q := *p
	scale := func(in []YearMAD) []YearMAD {
		out := make([]YearMAD, len(in))
		for i, y := range in {
			out[i] = YearMAD{Year: y.Year, MAD: y.MAD * f}
		}
		return out
	}
	q.CapitalBudget, q.RunningBudget = scale(p.CapitalBudget), scale(p.RunningBudget)
	q.TotalBudgetMAD = p.TotalBudgetMAD * f
	return &q
}

// TestWarmFrontier checks the frontier, whose levels start from the main
// search's leaves, against cold solves of the problem with its budgets
// scaled: the same value (or the same infeasibility) at every level, and
// a bound that holds.
func TestWarmFrontier(t *testing.T) {
	n := 24
	if testing.Short() {
		n = 6
	}
	levels := []float64{0.4, 0.7, 0.9, 1.2, 2}
	binding, looser := 0, 0
	for seed := uint64(500); seed < uint64(500+n); seed++ {
		p := randomProblem(seed, 6)
		plan, err := Solve(context.Background(), p, &Options{NoWhy: true, Frontier: levels})
		if errors.Is(err, gst.ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if len(plan.Frontier) != len(levels) {
			t.Fatalf("seed %d: %d frontier points, want %d", seed, len(plan.Frontier), len(levels))
		}
		for i, l := range levels {
			fp := plan.Frontier[i]
			cold, err := Solve(context.Background(), scaledBudgets(p, l), &Options{NoWhy: true})
			if errors.Is(err, gst.ErrInfeasible) {
				if !fp.Infeasible {
					t.Errorf("seed %d level %v: warm %v (%v), cold infeasible", seed, l, fp.Value, fp.Status)
				}
				binding++
				continue
			}
			if err != nil {
				t.Fatalf("seed %d level %v: cold: %v", seed, l, err)
			}
			if fp.Infeasible || fp.Unsolved {
				t.Errorf("seed %d level %v: warm found no programme, cold %v", seed, l, cold.Value)
				continue
			}
			if !near(fp.Value, cold.Value) {
				t.Errorf("seed %d level %v: warm %.6f, cold %.6f", seed, l, fp.Value, cold.Value)
			}
			if fp.Status != gst.StatusOptimal || fp.Bound > cold.Value+1e-6*(1+cold.Value) {
				t.Errorf("seed %d level %v: status %v bound %.6f above the optimum %.6f", seed, l, fp.Status, fp.Bound, cold.Value)
			}
			if !near(cold.Value, plan.Value) {
				binding++
				if l > 1 {
					looser++
				}
			}
		}
	}
	if binding == 0 || looser == 0 {
		t.Errorf("%d levels changed the programme, %d of them looser: the test does not exercise the budgets", binding, looser)
	}
	t.Logf("%d levels of %d changed the programme, %d of them looser", binding, n*len(levels), looser)
}

// TestWarmQueue checks which leaves keep their bound at another budget
// level: with budgets scaled down, all but the infeasible ones (dropped);
// with budgets scaled up, those proved with every budget slack, the
// others searched again (cold).
func TestWarmQueue(t *testing.T) {
	tr := &tree{leaves: []leaf{
		{bound: 10, slack: true},
		{bound: 11, slack: false},
		{infeasible: true},
	}}
	bounds := func(q nodeQueue) []float64 {
		var out []float64
		for _, n := range q {
			out = append(out, n.bound)
		}
		return out
	}
	q, cold := tr.warmQueue(1, 0.5)
	if got := bounds(q); len(got) != 2 || got[0] != 10 || got[1] != 11 || len(cold) != 0 {
		t.Errorf("tighter: queue %v, %d cold; want [10 11] and none cold", got, len(cold))
	}
	q, cold = tr.warmQueue(1, 2)
	if got := bounds(q); len(got) != 1 || got[0] != 10 || len(cold) != 2 || cold[0].bound != 11 || !cold[1].infeasible {
		t.Errorf("looser: queue %v, cold %+v; want [10] and the binding and infeasible leaves cold", got, cold)
	}
}

// TestFrontierToleranceAgainstMIP solves the frontier with gap
// tolerances of 1% and 5%, at which a level may close at its root on a
// programme repaired from the level above or improved by the local
// search, and compares each level with lp_solve's whole integer programme
// at those budgets: the level's bound is at most the optimum, its
// programme's value at least the optimum (a programme below it would
// break a rule) and within the tolerance of its bound.
func TestFrontierToleranceAgainstMIP(t *testing.T) {
	n := 24
	if testing.Short() {
		n = 6
	}
	levels := []float64{0.5, 0.8, 1.25, 2}
	checked, above := 0, 0
	for _, tol := range []float64{0.01, 0.05} {
		for seed := uint64(700); seed < uint64(700+n); seed++ {
			p := randomProblem(seed, 6)
			plan, err := Solve(context.Background(), p, &Options{SolveOptions: gst.SolveOptions{GapTolerance: tol}, NoWhy: true, Frontier: levels})
			if errors.Is(err, gst.ErrInfeasible) {
				continue
			}
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			for i, l := range levels {
				ref, err := Solve(context.Background(), scaledBudgets(p, l), &Options{Method: MIP, NoWhy: true})
				if errors.Is(err, gst.ErrInfeasible) {
					if !plan.Frontier[i].Infeasible {
						t.Errorf("seed %d level %v: frontier %v, lp_solve infeasible", seed, l, plan.Frontier[i].Value)
					}
					continue
				}
				if err != nil {
					t.Fatalf("seed %d level %v: lp_solve: %v", seed, l, err)
				}
				where := fmt.Sprintf("tolerance %v seed %d level %v", tol, seed, l)
				checkLevel(t, where, plan.Frontier[i], ref.Value, tol)
				checked++
				if !near(plan.Frontier[i].Value, ref.Value) {
					above++
				}
			}
		}
	}
	if checked == 0 || (above == 0 && !testing.Short()) {
		t.Fatalf("%d levels compared, %d of them above the optimum: the test does not exercise the tolerance", checked, above)
	}
	t.Logf("%d levels compared, %d of them above the optimum within the tolerance", checked, above)
}

// checkLevel checks a frontier level against the optimum opt of its
// budgets.
func checkLevel(t *testing.T, where string, fp FrontierPoint, opt, tol float64) {
	t.Helper()
	if fp.Infeasible || fp.Unsolved {
		t.Errorf("%s: no programme, lp_solve %v", where, opt)
		return
	}
	slack := 1e-6 * (1 + math.Abs(opt))
	if fp.Bound > opt+slack {
		t.Errorf("%s: bound %.6f above the optimum %.6f", where, fp.Bound, opt)
	}
	if fp.Value < opt-slack {
		t.Errorf("%s: value %.6f below the optimum %.6f", where, fp.Value, opt)
	}
	if fp.Status != gst.StatusOptimal || gst.Gap(fp.Value, fp.Bound) > tol+1e-9 {
		t.Errorf("%s: status %v, gap %v", where, fp.Status, gst.Gap(fp.Value, fp.Bound))
	}
}

// TestRepairFitsLevel repairs the main programme into lower budgets and
// checks the programme repair offers against every rule of the level's
// model, and its value against lp_solve's optimum at that level.
func TestRepairFitsLevel(t *testing.T) {
	n := 40
	if testing.Short() {
		n = 10
	}
	repaired, refused := 0, 0
	for seed := uint64(800); seed < uint64(800+n); seed++ {
		p := randomProblem(seed, 6)
		r, cancel, err := newRun(context.Background(), p, &Options{NoWhy: true})
		if err != nil {
			t.Fatal(err)
		}
		best, err := r.solveMain(nil)
		cancel()
		if errors.Is(err, gst.ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for _, l := range []float64{0.5, 0.8} {
			switch checkRepair(t, fmt.Sprintf("seed %d level %v", seed, l), r, best, scaledBudgets(p, l), l) {
			case 1:
				repaired++
			case 0:
				refused++
			}
		}
	}
	if repaired == 0 {
		t.Errorf("no programme was repaired (%d not repairable): the test does not exercise repair", refused)
	}
	t.Logf("%d programmes repaired, %d not", repaired, refused)
}

// checkRepair repairs best into the budgets of level l (those of scaled)
// and checks the programme repair offers; it returns 1 when repair
// offered one, 0 when it did not, -1 when repair had nothing to do (no
// evaluator, best fits as it is, or the level is infeasible).
func checkRepair(t *testing.T, where string, r *run, best *result, scaled *Problem, l float64) int {
	t.Helper()
	r.seeds = []*result{best}
	defer func() { r.seeds = nil }()
	md := build(r.in, buildOpts{last: len(r.in.per) - 1, budgetScale: l})
	s := r.newSearch(md)
	defer s.closeEvaluator()
	if s.evaluator() == nil || s.inc != nil {
		return -1
	}
	root, err := s.solveRoot()
	if errors.Is(err, gst.ErrInfeasible) {
		return -1
	}
	if err != nil {
		t.Fatalf("%s: root: %v", where, err)
	}
	s.repair(root.X)
	if s.inc == nil {
		return 0
	}
	if v := violation(md.m, s.inc); v > 1e-6 {
		t.Errorf("%s: the repaired programme breaks a row by %g", where, v)
	}
	ref, err := Solve(context.Background(), scaled, &Options{Method: MIP, NoWhy: true})
	if err != nil {
		t.Fatalf("%s: lp_solve: %v", where, err)
	}
	if v := s.incV / moneyScale; v < ref.Value-1e-6*(1+math.Abs(ref.Value)) {
		t.Errorf("%s: repaired %.6f below the optimum %.6f", where, v, ref.Value)
	}
	return 1
}

// TestLevelOrder checks the order in which the levels are solved: nearest
// to the main budgets first, as a ratio, the lower first among equals.
func TestLevelOrder(t *testing.T) {
	levels := []float64{0.25, 0.5, 0.8, 1.2, 2, 4}
	got := levelOrder(levels)
	want := []int{3, 2, 1, 4, 0, 5} // 1.2, 0.8, 0.5, 2, 0.25, 4
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}
