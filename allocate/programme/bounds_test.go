package programme

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/gstplan/gst"
)

// TestProgressBoundsNeverPassOptimum checks that no bound reported while
// the root is solved passes the optimum: the rounds of relax-and-fix,
// whose columns are fixed, bound nothing and are not reported.
func TestProgressBoundsNeverPassOptimum(t *testing.T) {
	checked := 0
	for seed := uint64(1); seed <= 40; seed++ {
		p := randomProblem(seed, 4)
		var bounds []float64
		opt := &Options{Method: Benders, NoWhy: true}
		opt.Progress = func(pr gst.Progress) { bounds = append(bounds, pr.Bound) }
		plan, err := Solve(context.Background(), p, opt)
		if errors.Is(err, gst.ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if plan.Status != gst.StatusOptimal {
			continue
		}
		checked++
		tol := 1e-6 * math.Max(1, math.Abs(plan.Value))
		for i, b := range bounds {
			if b > plan.Value+tol {
				t.Errorf("seed %d: report %d bound %.2f above the optimum %.2f", seed, i, b, plan.Value)
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d optimal programmes", checked)
	}
}
