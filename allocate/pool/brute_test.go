package pool

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

// Pool against enumeration of every plan in whole posts, on tiny random
// problems with and without teams: the same optimum for both objectives
// (lexicographic), and for the weighted sum; every rule holds in every
// answer; the heuristic's bound and the continuous plan sit below the
// integer optimum.
func TestPoolAgainstBruteForce(t *testing.T) {
	tried, infeasible, searched := 0, 0, 0
	const value = 500.0
	for seed := int64(0); seed < 400 && tried < 150; seed++ {
		rng := rand.New(rand.NewSource(seed))
		teams := seed%2 == 1
		p := poolRandom(rng, teams)
		best, weighted, ok := poolBruteWeighted(t, p, 20000, value)
		if !ok && !math.IsInf(best[0], 1) {
			continue // too large to enumerate
		}
		tried++
		posts := &Options{Granularity: Posts}
		plan, err := Solve(context.Background(), p, posts)
		if !ok {
			infeasible++
			if !errors.Is(err, gst.ErrInfeasible) || len(gst.InfeasibleCauses(err)) == 0 {
				t.Fatalf("seed %d: enumeration finds no plan; Pool says %v", seed, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		poolNewRef(t, p, posts).check(t, plan)
		if math.Abs(plan.WeightedUnmet-best[0]) > 1e-6 || math.Abs(plan.CostMADPerWeek-best[1]) > 1e-6*math.Max(1, best[1]) {
			t.Fatalf("seed %d: Pool (%g, %g), enumeration (%g, %g); method %s", seed, plan.WeightedUnmet, plan.CostMADPerWeek, best[0], best[1], plan.Method)
		}
		if plan.Status != gst.StatusOptimal || plan.Gap != 0 {
			t.Fatalf("seed %d: status %v gap %g", seed, plan.Status, plan.Gap)
		}
		if plan.Model.SearchNodes > 0 {
			searched++
			// The integer programme agrees with the search.
			mopt := &Options{Granularity: Posts, Method: MIP}
			mplan, err := Solve(context.Background(), p, mopt)
			if err != nil {
				t.Fatalf("seed %d: integer programme: %v", seed, err)
			}
			if math.Abs(mplan.WeightedUnmet-plan.WeightedUnmet) > 1e-6 || math.Abs(mplan.CostMADPerWeek-plan.CostMADPerWeek) > 1e-6*math.Max(1, plan.CostMADPerWeek) {
				t.Fatalf("seed %d: search (%g, %g), integer programme (%g, %g)", seed, plan.WeightedUnmet, plan.CostMADPerWeek, mplan.WeightedUnmet, mplan.CostMADPerWeek)
			}
		}

		// The weighted sum.
		wopt := &Options{Granularity: Posts, UnmetValueMAD: value}
		wplan, err := Solve(context.Background(), p, wopt)
		if err != nil {
			t.Fatalf("seed %d: weighted: %v", seed, err)
		}
		poolNewRef(t, p, wopt).check(t, wplan)
		if math.Abs(wplan.Objective-weighted) > 1e-6*math.Max(1, weighted) {
			t.Fatalf("seed %d: weighted objective %g, enumeration %g", seed, wplan.Objective, weighted)
		}

		// Continuous moves relax whole posts.
		cplan, err := Solve(context.Background(), p, nil)
		if err != nil {
			t.Fatalf("seed %d: continuous: %v", seed, err)
		}
		poolNewRef(t, p, nil).check(t, cplan)
		if cplan.WeightedUnmet > best[0]+1e-6 {
			t.Fatalf("seed %d: continuous %g above whole posts %g", seed, cplan.WeightedUnmet, best[0])
		}

		// The team heuristic: a valid plan, and a bound below the optimum.
		if teams {
			hopt := &Options{Granularity: Posts, Method: Heuristic}
			hplan, err := Solve(context.Background(), p, hopt)
			if err != nil {
				t.Fatalf("seed %d: heuristic: %v", seed, err)
			}
			poolNewRef(t, p, hopt).check(t, hplan)
			if hplan.WeightedUnmet < best[0]-1e-6 || hplan.Bound > best[0]+1e-6 {
				t.Fatalf("seed %d: heuristic %g with bound %g, optimum %g", seed, hplan.WeightedUnmet, hplan.Bound, best[0])
			}
		}
		if t.Failed() {
			t.Fatalf("seed %d", seed)
		}
	}
	t.Logf("%d problems, %d infeasible, %d solved by the search over team decisions", tried, infeasible, searched)
	if tried < 100 {
		t.Fatalf("only %d problems small enough to enumerate", tried)
	}
	if searched < 20 {
		t.Fatalf("only %d problems went through the search over team decisions", searched)
	}
}

// A search over team decisions cut short by its limits: with room for the
// integer programme it gives way to it (the same optimum); without, its
// best plan keeps every rule, with a bound below the optimum and a status
// that says whether the plan is proven.
func TestPoolSearchLimits(t *testing.T) {
	nodes, work := searchMaxNodes, searchMaxWork
	t.Cleanup(func() { searchMaxNodes, searchMaxWork = nodes, work })
	searchMaxNodes = 1
	tried, kept := 0, 0
	for seed := int64(1); seed < 400 && tried < 40; seed += 2 {
		p := poolRandom(rand.New(rand.NewSource(seed)), true)
		best, _, ok := poolBruteWeighted(t, p, 20000, 500)
		if !ok {
			continue
		}
		tried++
		mip := &Options{Granularity: Posts}
		plan, err := Solve(context.Background(), p, mip)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		poolNewRef(t, p, mip).check(t, plan)
		if math.Abs(plan.WeightedUnmet-best[0]) > 1e-6 || math.Abs(plan.CostMADPerWeek-best[1]) > 1e-6*math.Max(1, best[1]) {
			t.Fatalf("seed %d: (%g, %g) by %s, enumeration (%g, %g)", seed, plan.WeightedUnmet, plan.CostMADPerWeek, plan.Method, best[0], best[1])
		}

		big := &Options{Granularity: Posts, MaxMIPColumns: 1}
		hplan, err := Solve(context.Background(), p, big)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		poolNewRef(t, p, big).check(t, hplan)
		if hplan.WeightedUnmet < best[0]-1e-6 || hplan.Bound > best[0]+1e-6 {
			t.Fatalf("seed %d: %g with bound %g by %s, optimum %g", seed, hplan.WeightedUnmet, hplan.Bound, hplan.Method, best[0])
		}
		if hplan.Status == gst.StatusOptimal && math.Abs(hplan.WeightedUnmet-best[0]) > 1e-6 {
			t.Fatalf("seed %d: %g proven optimal by %s, optimum %g", seed, hplan.WeightedUnmet, hplan.Method, best[0])
		}
		for _, n := range hplan.Notes {
			if strings.Contains(n, "reached its limit") {
				kept++
			}
		}
	}
	t.Logf("%d problems, %d kept the search's best plan", tried, kept)
	if tried < 20 || kept == 0 {
		t.Fatalf("%d problems, %d kept the search's best plan", tried, kept)
	}
}
