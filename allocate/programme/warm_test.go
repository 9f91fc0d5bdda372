package programme

import (
	"context"
	"errors"
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
