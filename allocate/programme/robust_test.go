package programme

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// TestRobustSolveStalls makes every solve from scratch stall at its
// iteration limit: robustSolve still returns each programme's optimum
// (its last try has no limit), and a brief solve gives up.
func TestRobustSolveStalls(t *testing.T) {
	saved := coldIterations
	defer func() { coldIterations = saved }()
	coldIterations = func(*lp.Model) int64 { return 1 }
	rng := rand.New(rand.NewPCG(3, 5))
	for trial := 0; trial < 20; trial++ {
		m := randomCovering(rng, 12, 30)
		want, err := lp.Solve(context.Background(), m, &lp.Options{KeepBasis: true})
		if err != nil {
			t.Fatal(err)
		}
		got, err := robustSolve(context.Background(), m, &lp.Options{})
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if math.Abs(got.Objective-want.Objective) > 1e-6*(1+math.Abs(want.Objective)) {
			t.Fatalf("trial %d: %g, want %g", trial, got.Objective, want.Objective)
		}
		if got.Iterations < 2 {
			t.Fatalf("trial %d: solved in %d iterations: the limit did not stop the first tries", trial, got.Iterations)
		}
		// Brief: one retry, then no solution.
		if _, err := solveWith(context.Background(), m, &lp.Options{}, brief); !errors.Is(err, gst.ErrNoSolution) || !errors.Is(err, lp.ErrIterationLimit) {
			t.Fatalf("trial %d: brief: err %v, want the iteration limit", trial, err)
		}
	}
}

// TestRetriesAfterStall checks the order of the settings tried: after a
// stall, factors rounded to powers of 2 first, then no scaling; after
// another failure, the primal simplex first.
func TestRetriesAfterStall(t *testing.T) {
	cold := &lp.Options{MaxIterations: 7}
	first := func(stalled bool) *lp.Options { return retries(cold, cold, stalled)[0] }
	if o := first(true); o.Scaling != lp.ScalingGeometricPower2 || o.MaxIterations != 7 {
		t.Errorf("after a stall: first try %+v", o)
	}
	if o := retries(cold, cold, true)[1]; o.Scaling != lp.ScalingNone {
		t.Errorf("after a stall: second try scaling %v, want none", o.Scaling)
	}
	if o := first(false); o.Simplex != lp.SimplexPrimal || o.Scaling != lp.ScalingDefault {
		t.Errorf("after a failure: first try %+v", o)
	}
	warm := &lp.Options{Start: &lp.Basis{}}
	if o := retries(warm, cold, true)[0]; o.Start != nil || o.Scaling != lp.ScalingDefault {
		t.Errorf("from a basis: first try %+v, want the same settings from scratch", o)
	}
}

// randomCovering is min c·x subject to random covering rows A x ≥ b,
// 0 ≤ x ≤ 10: feasible, bounded, and not solved in one iteration.
func randomCovering(rng *rand.Rand, rows, cols int) *lp.Model {
	m := lp.NewModel("covering")
	for j := 0; j < cols; j++ {
		m.AddVar("", 0, 10, 1+rng.Float64()*9, lp.Continuous)
	}
	for i := 0; i < rows; i++ {
		var idx []int
		var val []float64
		for j := 0; j < cols; j++ {
			if rng.IntN(3) == 0 {
				idx, val = append(idx, j), append(val, 1+rng.Float64()*4)
			}
		}
		if len(idx) == 0 {
			idx, val = append(idx, i%cols), append(val, 1)
		}
		m.AddRow("", idx, val, lp.GE, 5+rng.Float64()*10)
	}
	return m
}

// TestUnboundedFixKeepsSearching makes every linear programme of
// relax-and-fix fail as lp_solve does when it calls a master unbounded
// numerically: the search still returns a programme, never below
// lp_solve's optimum, with a bound never above it.
func TestUnboundedFixKeepsSearching(t *testing.T) {
	defer func() { failFixWith = nil }()
	solved := 0
	for seed := uint64(700); seed < 706; seed++ {
		p := randomProblem(seed, 6)
		ref, errM := Solve(context.Background(), p, &Options{Method: MIP, NoWhy: true})
		if errM != nil {
			continue
		}
		failFixWith = fmt.Errorf("programme: lp: %w (test)", gst.ErrUnbounded)
		got, err := Solve(context.Background(), p, &Options{NoWhy: true})
		failFixWith = nil
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		tol := 1e-6 * math.Max(1, math.Abs(ref.Value))
		if got.Value < ref.Value-tol || got.Bound > ref.Value+tol {
			t.Errorf("seed %d: value %.6f bound %.6f, lp_solve's optimum %.6f", seed, got.Value, got.Bound, ref.Value)
		}
		solved++
	}
	if solved == 0 {
		t.Fatal("no programme to compare")
	}
}
