package pool

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"
	"time"

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

// The catalogue of bad move rules: each is refused before any solve with
// a *gst.ValidationError that names the rule and the field.
func TestPoolMoveRulesValidation(t *testing.T) {
	r := poolTestRegion(t)
	tests := []struct {
		name         string
		set          func(p *Problem)
		where, field string
		says         string
	}{
		{"negative fixed cost", func(p *Problem) { p.Rules.PerMoveMAD = -50 }, "pool rules", "PerMoveMAD", "-50"},
		{"NaN fixed cost", func(p *Problem) { p.Rules.PerMoveMAD = math.NaN() }, "pool rules", "PerMoveMAD", "NaN"},
		{"infinite fixed cost", func(p *Problem) { p.Rules.PerMoveMAD = math.Inf(1) }, "pool rules", "PerMoveMAD", "+Inf"},
		{"negative smallest move", func(p *Problem) { p.Rules.MinMoveSessions = -1 }, "pool rules", "MinMoveSessions", "-1 sessions"},
		{"smallest move beyond any week", func(p *Problem) { p.Rules.MinMoveSessions = 5000 }, "pool rules", "MinMoveSessions", "5000 sessions"},
		{"negative fixed cost of a category", func(p *Problem) {
			p.Categories = []CategoryRule{{Category: "midwife", PerMoveMAD: -1}}
		}, `pool category rule 0 (category "midwife")`, "PerMoveMAD", "-1"},
		{"negative smallest move of a category", func(p *Problem) {
			p.Categories = []CategoryRule{{Category: "midwife", MinMoveSessions: -3}}
		}, `pool category rule 0 (category "midwife")`, "MinMoveSessions", "-3 sessions"},
	}
	for _, tt := range tests {
		p := poolMidwives(r)
		tt.set(p)
		_, err := Solve(context.Background(), p, nil)
		if !errors.Is(err, gst.ErrInvalid) {
			t.Errorf("%s: want ErrInvalid, got %v", tt.name, err)
			continue
		}
		var ve *gst.ValidationError
		if !errors.As(err, &ve) || ve.Where != tt.where || ve.Field != tt.field {
			t.Errorf("%s: validation error %+v, want where %q field %q", tt.name, ve, tt.where, tt.field)
		}
		if !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: %q does not say %q", tt.name, err, tt.says)
		}
	}
}

// Every move of a plan with move rules carries at least the smallest
// size, whatever the granularity, on the national-like instance too; the
// figures and costs recompute, and the bound is below the objective.
func TestPoolMoveRulesProperties(t *testing.T) {
	p := poolNational(t, 200, 6, false)
	p.Rules.PerMoveMAD = 150
	p.Rules.MinMoveSessions = 3
	for _, g := range []Granularity{Continuous, Sessions, Posts} {
		for _, v := range []float64{0, 1500} {
			opt := &Options{Granularity: g, UnmetValueMAD: v}
			plan, err := Solve(context.Background(), p, opt)
			if err != nil {
				t.Fatal(err)
			}
			poolNewRef(t, p, opt).check(t, plan)
			if !plan.Status.HasSolution() || plan.Model.MoveNodes == 0 || len(plan.Moves) == 0 {
				t.Errorf("%v %g: status %v, %d move nodes, %d moves", g, v, plan.Status, plan.Model.MoveNodes, len(plan.Moves))
			}
			// The cost bound is proven once the weighted unmet need is.
			if plan.Gap > 0.05 || v == 0 && plan.Gap == 0 && plan.CostGap > 0.05 || plan.Gap > 0 && plan.CostBound != 0 {
				t.Errorf("%v %g: gap %g, cost gap %g", g, v, plan.Gap, plan.CostGap)
			}
		}
	}
}

// On problems too large to enumerate, the search over moves and lp_solve's
// integer programme agree: each plan is no better than the other's bound,
// and where both are proven optimal their objectives are equal.
func TestPoolMovesAgainstMIP(t *testing.T) {
	proven := 0
	for _, n := range []int{25, 35, 45} {
		p := poolNational(t, n, 4, false)
		p.Rules.PerMoveMAD = 250
		p.Rules.MinMoveSessions = 2
		for _, g := range []Granularity{Continuous, Sessions} {
			for _, v := range []float64{0, 2000} {
				opt := &Options{Granularity: g, UnmetValueMAD: v}
				a, err := Solve(context.Background(), p, opt)
				if err != nil {
					t.Fatal(err)
				}
				mopt := *opt
				mopt.Method = MIP
				mopt.TimeLimit = 10 * time.Second
				b, err := Solve(context.Background(), p, &mopt)
				if err != nil {
					t.Fatal(err)
				}
				poolNewRef(t, p, opt).check(t, a)
				poolNewRef(t, p, &mopt).check(t, b)
				tol := 1e-6 * math.Max(1, a.Objective)
				if a.Objective < b.Bound-tol || b.Objective < a.Bound-tol {
					t.Errorf("n %d %v %g: search %g (bound %g), programme %g (bound %g)", n, g, v, a.Objective, a.Bound, b.Objective, b.Bound)
				}
				ctol := 1e-6 * math.Max(1, a.CostMADPerWeek)
				if v == 0 && a.Gap == 0 && b.Gap == 0 && (a.CostMADPerWeek < b.CostBound-ctol || b.CostMADPerWeek < a.CostBound-ctol) {
					t.Errorf("n %d %v: cost %g (bound %g), programme %g (bound %g)", n, g, a.CostMADPerWeek, a.CostBound, b.CostMADPerWeek, b.CostBound)
				}
				if a.Status == gst.StatusOptimal && b.Status == gst.StatusOptimal {
					proven++
					if math.Abs(a.Objective-b.Objective) > tol || math.Abs(a.CostMADPerWeek-b.CostMADPerWeek) > 1e-6*math.Max(1, a.CostMADPerWeek) {
						t.Errorf("n %d %v %g: both optimal, search (%g, %g), programme (%g, %g)", n, g, v, a.Objective, a.CostMADPerWeek, b.Objective, b.CostMADPerWeek)
					}
				}
			}
		}
	}
	t.Logf("%d of 12 problems proven optimal by both", proven)
	if proven < 6 {
		t.Errorf("only %d problems proven by both", proven)
	}
}

// A category's search over moves aims at a tenth of the gap tolerance:
// where its work allows, the plan's gap ends within that tenth, and the
// search stops short of it when it aims at the whole tolerance.
func TestPoolMoveAim(t *testing.T) {
	defer func(v float64) { moveAim = v }(moveAim)
	const tol = 0.02
	wider := 0
	for _, n := range []int{25, 35, 45, 60} {
		p := poolNational(t, n, 4, false)
		p.Rules.PerMoveMAD = 250
		p.Rules.MinMoveSessions = 2
		opt := &Options{UnmetValueMAD: 2000, SolveOptions: gst.SolveOptions{GapTolerance: tol}}
		gaps := map[float64]float64{}
		for _, aim := range []float64{1, 0.1} {
			moveAim = aim
			plan, err := Solve(context.Background(), p, opt)
			if err != nil {
				t.Fatal(err)
			}
			poolNewRef(t, p, opt).check(t, plan)
			gaps[aim] = plan.Gap
		}
		t.Logf("n %d: gap %.4f%% aiming at the tolerance, %.4f%% at a tenth", n, 100*gaps[1], 100*gaps[0.1])
		if gaps[0.1] > tol/10+1e-9 {
			t.Errorf("n %d: gap %g above a tenth of the tolerance", n, gaps[0.1])
		}
		if gaps[1] > tol/10+1e-9 {
			wider++
		}
	}
	if wider < 2 {
		t.Errorf("%d searches stopped short of a tenth of the tolerance when aiming at the whole", wider)
	}
}
