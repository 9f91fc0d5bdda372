package pool

import (
	"context"
	"math"
	"math/rand"
	"testing"

	"github.com/gstplan/gst"
)

// The root's bound, lifted by the pieces, against enumeration: with the
// search over moves stopped at its root, the plan's bound is the lifted
// root bound; it never exceeds the optimum, whether the clusters are kept
// whole or split into groups of two cells (every cluster split, the moves
// between groups counted half in each), and it is never below the
// relaxation's bound without the pieces.
func TestPoolMoveBoundAgainstBruteForce(t *testing.T) {
	defer func(w int64, c, sc int) { moveMaxWork, clusterWholeCells, clusterSplitCells = w, c, sc }(moveMaxWork, clusterWholeCells, clusterSplitCells)
	defer func(w int64) { clusterMaxWork = w }(clusterMaxWork)
	const value = 400.0
	tried, lifted, split := 0, 0, 0
	for seed := int64(0); seed < 3000 && tried < 200; seed++ {
		rng := rand.New(rand.NewSource(seed))
		p := poolRandom(rng, false)
		opt := poolMoveRules(rng, p)
		_, weighted, ok := poolBruteOpt(t, p, opt, 30000, value)
		if !ok {
			continue
		}
		tried++
		wopt := *opt
		wopt.UnmetValueMAD = value
		bound := func(work int64, whole int) float64 {
			moveMaxWork, clusterMaxWork, clusterWholeCells, clusterSplitCells = 0, work, whole, 2
			plan, err := Solve(context.Background(), p, &wopt)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			poolNewRef(t, p, &wopt).check(t, plan)
			if plan.Objective < weighted-1e-6*math.Max(1, weighted) {
				t.Fatalf("seed %d: plan %g below the optimum %g", seed, plan.Objective, weighted)
			}
			return plan.Bound
		}
		root := bound(0, 1<<30)
		whole := bound(1<<40, 1<<30)
		pairs := bound(1<<40, 1)
		tol := 1e-6 * math.Max(1, weighted)
		for _, b := range []float64{root, whole, pairs} {
			if b > weighted+tol {
				t.Fatalf("seed %d: bounds (root %g, whole clusters %g, split %g) above the optimum %g", seed, root, whole, pairs, weighted)
			}
		}
		if whole < root-tol || pairs < root-tol {
			t.Fatalf("seed %d: lifted bounds (whole %g, split %g) below the root's %g", seed, whole, pairs, root)
		}
		if whole > root+tol {
			lifted++
		}
		if pairs > root+tol {
			split++
		}
	}
	t.Logf("%d problems; the pieces lift the root's bound in %d kept whole, %d split", tried, lifted, split)
	if tried < 150 || lifted < 5 || split < 5 {
		t.Fatalf("%d problems, %d lifted, %d lifted when split", tried, lifted, split)
	}
}

// On a national-like instance whose largest clusters the pieces cannot
// solve whole, splitting them gives a stronger proven bound than keeping
// them whole (the rule before, with its piece sizes and budget), and both
// stay below the plan.
func TestPoolMoveBoundSplitStronger(t *testing.T) {
	if testing.Short() {
		t.Skip("national-like instance")
	}
	defer func(c, sc int, w int64, r float64) {
		clusterWholeCells, clusterSplitCells, clusterMaxWork, clusterRoomFixed = c, sc, w, r
	}(clusterWholeCells, clusterSplitCells, clusterMaxWork, clusterRoomFixed)
	p := poolNational(t, 1200, 2, false)
	p.Rules.PerMoveMAD = 200
	p.Rules.MinMoveSessions = 1
	opt := &Options{UnmetValueMAD: 100000.0 / 52, SolveOptions: gst.SolveOptions{GapTolerance: 0.01}}
	solve := func(whole, split int, work int64, room float64) *Plan {
		clusterWholeCells, clusterSplitCells, clusterMaxWork, clusterRoomFixed = whole, split, work, room
		plan, err := Solve(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Bound > plan.Objective {
			t.Fatalf("bound %g above the plan %g", plan.Bound, plan.Objective)
		}
		return plan
	}
	// Before: every cluster whole, pieces with moves up to three fixed
	// costs, and a smaller budget.
	whole, split, work, room := clusterWholeCells, clusterSplitCells, clusterMaxWork, clusterRoomFixed
	before := solve(1<<30, 0, 400_000, 3)
	after := solve(whole, split, work, room)
	t.Logf("bound kept whole %.1f (gap %.3f%%), split %.1f (gap %.3f%%)", before.Bound, 100*before.Gap, after.Bound, 100*after.Gap)
	if after.Bound < before.Bound {
		t.Errorf("split bound %g below the whole clusters' %g", after.Bound, before.Bound)
	}
}
