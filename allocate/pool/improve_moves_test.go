package pool

import (
	"context"
	"math"
	"math/rand"
	"testing"

	"github.com/gstplan/gst"
)

// The local search over moves, with the search over moves stopped at its
// root, against enumeration: every plan keeps every rule (the reference
// recomputes its cost with the fixed costs), is never below the optimum,
// and the local search never makes the plan worse. (The root's plan is
// optimal on almost all of these tiny problems; TestPoolMoveLocalSearch
// shows the search's gains on larger ones.)
func TestPoolMoveLocalSearchAgainstBruteForce(t *testing.T) {
	defer func(w, iw int64) { moveMaxWork, improveMaxWork = w, iw }(moveMaxWork, improveMaxWork)
	const value = 400.0
	tried := 0
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
		solve := func(improve int64) *Plan {
			moveMaxWork, improveMaxWork = 0, improve
			plan, err := Solve(context.Background(), p, &wopt)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			poolNewRef(t, p, &wopt).check(t, plan)
			if plan.Objective < weighted-1e-6*math.Max(1, weighted) || plan.Bound > weighted+1e-6*math.Max(1, weighted) {
				t.Fatalf("seed %d: plan %g, bound %g, optimum %g", seed, plan.Objective, plan.Bound, weighted)
			}
			return plan
		}
		without := solve(0)
		with := solve(1 << 40)
		tol := 1e-9 * math.Max(1, without.Objective)
		if with.Objective > without.Objective+tol {
			t.Fatalf("seed %d: the local search worsens the plan from %g to %g", seed, without.Objective, with.Objective)
		}
		if t.Failed() {
			t.Fatalf("seed %d", seed)
		}
	}
	if tried < 150 {
		t.Fatalf("%d problems", tried)
	}
}

// The local search on problems of a few dozen establishments, in both
// granularities and for both objectives, with the search over moves
// stopped at its root: every plan keeps every rule and stays above its
// bound, the local search never makes the plan worse, and it makes at
// least a quarter of them better (half of them today).
func TestPoolMoveLocalSearch(t *testing.T) {
	defer func(w, iw int64) { moveMaxWork, improveMaxWork = w, iw }(moveMaxWork, improveMaxWork)
	tried, better := 0, 0
	for _, n := range []int{30, 45, 60, 90} {
		p := poolNational(t, n, 4, false)
		p.Rules.PerMoveMAD = 250
		p.Rules.MinMoveSessions = 2
		for _, g := range []Granularity{Continuous, Sessions} {
			for _, v := range []float64{0, 2000} {
				opt := &Options{Granularity: g, UnmetValueMAD: v}
				solve := func(improve int64) *Plan {
					moveMaxWork, improveMaxWork = 0, improve
					plan, err := Solve(context.Background(), p, opt)
					if err != nil {
						t.Fatal(err)
					}
					poolNewRef(t, p, opt).check(t, plan)
					if plan.Bound > plan.Objective+1e-9*math.Max(1, plan.Objective) {
						t.Fatalf("n %d %v %g: bound %g above the plan %g", n, g, v, plan.Bound, plan.Objective)
					}
					return plan
				}
				tried++
				without := solve(0)
				with := solve(1 << 40)
				w := [2]float64{with.WeightedUnmet, with.CostMADPerWeek}
				o := [2]float64{without.WeightedUnmet, without.CostMADPerWeek}
				if v > 0 {
					w, o = [2]float64{with.Objective}, [2]float64{without.Objective}
				}
				if lexBelow(o, w) {
					t.Fatalf("n %d %v %g: the local search worsens the plan from %v to %v", n, g, v, o, w)
				} else if lexBelow(w, o) {
					better++
				}
			}
		}
	}
	t.Logf("%d problems; the local search improves the root's plan in %d", tried, better)
	if better < tried/4 {
		t.Fatalf("%d problems, %d improved", tried, better)
	}
}

// lexBelow reports whether a is lexicographically below b by more than
// rounding.
func lexBelow(a, b [2]float64) bool {
	tol := func(x float64) float64 { return 1e-9 * math.Max(1, math.Abs(x)) }
	if a[0] < b[0]-tol(b[0]) {
		return true
	}
	return a[0] <= b[0]+tol(b[0]) && a[1] < b[1]-tol(b[1])
}

// On a national-like instance, where the search over moves stops at its
// root, the local search lowers the plan's cost; the bound stays below
// the plan.
func TestPoolMoveLocalSearchNational(t *testing.T) {
	if testing.Short() {
		t.Skip("national-like instance")
	}
	defer func(w int64) { improveMaxWork = w }(improveMaxWork)
	p := poolNational(t, 1200, 2, false)
	p.Rules.PerMoveMAD = 200
	p.Rules.MinMoveSessions = 1
	opt := &Options{UnmetValueMAD: 100000.0 / 52, SolveOptions: gst.SolveOptions{GapTolerance: 0.01}}
	solve := func(work int64) *Plan {
		improveMaxWork = work
		plan, err := Solve(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Bound > plan.Objective {
			t.Fatalf("bound %g above the plan %g", plan.Bound, plan.Objective)
		}
		for _, m := range plan.Moves {
			if m.SessionsPerWeek < 1-1e-9 {
				t.Fatalf("move %+v below the smallest move", m)
			}
		}
		return plan
	}
	work := improveMaxWork
	before := solve(0)
	after := solve(work)
	t.Logf("plan without the local search %.1f (gap %.3f%%, %d moves), with %.1f (gap %.3f%%, %d moves)",
		before.Objective, 100*before.Gap, len(before.Moves), after.Objective, 100*after.Gap, len(after.Moves))
	if after.Objective >= before.Objective {
		t.Errorf("the local search leaves the plan at %g (before %g)", after.Objective, before.Objective)
	}
}
