package pool

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"testing"

	"github.com/gstplan/gst"
)

// poolMoveRules draws move rules for a random problem: a fixed weekly
// cost and a smallest move, in the options' granularity (two sessions a
// week per FTE, so that spare staff stay few units and enumeration stays
// small).
func poolMoveRules(rng *rand.Rand, p *Problem) *Options {
	p.Rules.PerMoveMAD = []float64{0, 40, 300, 2500}[rng.Intn(4)]
	p.Rules.MinMoveSessions = rng.Intn(4)
	if p.Rules.PerMoveMAD == 0 && p.Rules.MinMoveSessions < 2 {
		p.Rules.PerMoveMAD = 300
	}
	if rng.Intn(3) == 0 && len(p.Region.Categories) > 1 {
		p.Categories = append(p.Categories, CategoryRule{Category: p.Region.Categories[0].ID, PerMoveMAD: 900, MinMoveSessions: 3})
	}
	return &Options{Granularity: []Granularity{Posts, Sessions}[rng.Intn(2)], SessionsPerFTE: 2}
}

// Pool with move rules (a fixed cost and a smallest size per move)
// against enumeration of every plan in whole units: the same optimum for
// both objectives and for the weighted sum, proven (gaps of zero); every
// move at least the smallest size and its cost recomputed with the fixed
// cost; the integer programme agrees.
func TestPoolMovesAgainstBruteForce(t *testing.T) {
	tried, searched, changed := 0, 0, 0
	const value = 400.0
	for seed := int64(0); seed < 1200 && tried < 240; seed++ {
		rng := rand.New(rand.NewSource(seed))
		p := poolRandom(rng, seed%4 == 3)
		opt := poolMoveRules(rng, p)
		best, weighted, ok := poolBruteOpt(t, p, opt, 30000, value)
		if !ok && !math.IsInf(best[0], 1) {
			continue // too large to enumerate
		}
		tried++
		plan, err := Solve(context.Background(), p, opt)
		if !ok {
			if !errors.Is(err, gst.ErrInfeasible) {
				t.Fatalf("seed %d: enumeration finds no plan; Pool says %v", seed, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		poolNewRef(t, p, opt).check(t, plan)
		if math.Abs(plan.WeightedUnmet-best[0]) > 1e-6 || math.Abs(plan.CostMADPerWeek-best[1]) > 1e-6*math.Max(1, best[1]) {
			t.Fatalf("seed %d: Pool (%g, %g), enumeration (%g, %g); method %s", seed, plan.WeightedUnmet, plan.CostMADPerWeek, best[0], best[1], plan.Method)
		}
		if plan.Status != gst.StatusOptimal || plan.Gap != 0 || plan.CostGap != 0 {
			t.Fatalf("seed %d: status %v gap %g cost gap %g (bound %g, cost %g)", seed, plan.Status, plan.Gap, plan.CostGap, plan.CostBound, plan.CostMADPerWeek)
		}
		if plan.Model.MoveNodes > 0 {
			searched++
		}
		// Without the rules the plan differs (when the rules bind).
		q := *p
		q.Rules.PerMoveMAD, q.Rules.MinMoveSessions, q.Categories = 0, 0, nil
		free, err := Solve(context.Background(), &q, opt)
		bind := err == nil && !sameMoves(free.Moves, plan.Moves)

		wopt := *opt
		wopt.UnmetValueMAD = value
		wplan, err := Solve(context.Background(), p, &wopt)
		if err != nil {
			t.Fatalf("seed %d: weighted: %v", seed, err)
		}
		poolNewRef(t, p, &wopt).check(t, wplan)
		if math.Abs(wplan.Objective-weighted) > 1e-6*math.Max(1, weighted) || wplan.Status != gst.StatusOptimal || wplan.Gap != 0 {
			t.Fatalf("seed %d: weighted objective %g (%v, gap %g), enumeration %g", seed, wplan.Objective, wplan.Status, wplan.Gap, weighted)
		}
		if wfree, err := Solve(context.Background(), &q, &wopt); err == nil && !sameMoves(wfree.Moves, wplan.Moves) {
			bind = true
		}
		if bind {
			changed++
		}

		mopt := *opt
		mopt.Method = MIP
		mplan, err := Solve(context.Background(), p, &mopt)
		if err != nil {
			t.Fatalf("seed %d: integer programme: %v", seed, err)
		}
		if math.Abs(mplan.WeightedUnmet-best[0]) > 1e-6 || math.Abs(mplan.CostMADPerWeek-best[1]) > 1e-6*math.Max(1, best[1]) {
			t.Fatalf("seed %d: integer programme (%g, %g), enumeration (%g, %g)", seed, mplan.WeightedUnmet, mplan.CostMADPerWeek, best[0], best[1])
		}
		if t.Failed() {
			t.Fatalf("seed %d", seed)
		}
	}
	t.Logf("%d problems, %d through the search over moves, %d whose plan the rules change", tried, searched, changed)
	if tried < 200 || searched < 100 || changed < 40 {
		t.Fatalf("%d problems, %d searched, %d changed", tried, searched, changed)
	}
}

// sameMoves reports whether two plans move the same staff.
func sameMoves(a, b []Move) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Category != b[i].Category || a[i].From != b[i].From || a[i].To != b[i].To || math.Abs(a[i].FTE-b[i].FTE) > 1e-9 {
			return false
		}
	}
	return true
}
