package allocate

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"testing"

	"github.com/gstplan/gst"
)

// Pool against enumeration of every plan in whole posts, on tiny random
// problems with and without teams: the same optimum for both objectives
// (lexicographic), and for the weighted sum; every rule holds in every
// answer; the heuristic's bound and the continuous plan sit below the
// integer optimum.
func TestPoolAgainstBruteForce(t *testing.T) {
	tried, infeasible := 0, 0
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
		posts := &PoolOptions{Granularity: PoolPosts}
		plan, err := Pool(context.Background(), p, posts)
		if !ok {
			infeasible++
			var ie *PoolInfeasibleError
			if !errors.As(err, &ie) || !errors.Is(err, gst.ErrInfeasible) || len(ie.Conflicts) == 0 {
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

		// The weighted sum.
		wopt := &PoolOptions{Granularity: PoolPosts, UnmetValueMAD: value}
		wplan, err := Pool(context.Background(), p, wopt)
		if err != nil {
			t.Fatalf("seed %d: weighted: %v", seed, err)
		}
		poolNewRef(t, p, wopt).check(t, wplan)
		if math.Abs(wplan.Objective-weighted) > 1e-6*math.Max(1, weighted) {
			t.Fatalf("seed %d: weighted objective %g, enumeration %g", seed, wplan.Objective, weighted)
		}

		// Continuous moves relax whole posts.
		cplan, err := Pool(context.Background(), p, nil)
		if err != nil {
			t.Fatalf("seed %d: continuous: %v", seed, err)
		}
		poolNewRef(t, p, nil).check(t, cplan)
		if cplan.WeightedUnmet > best[0]+1e-6 {
			t.Fatalf("seed %d: continuous %g above whole posts %g", seed, cplan.WeightedUnmet, best[0])
		}

		// The team heuristic: a valid plan, and a bound below the optimum.
		if teams {
			hopt := &PoolOptions{Granularity: PoolPosts, Method: PoolHeuristic}
			hplan, err := Pool(context.Background(), p, hopt)
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
	t.Logf("%d problems, %d infeasible", tried, infeasible)
	if tried < 100 {
		t.Fatalf("only %d problems small enough to enumerate", tried)
	}
}
