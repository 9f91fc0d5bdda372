package programme

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gstplan/gst"
)

// checkPlan checks what every programme must respect, from the plan and
// the problem alone: staffing complete, nobody counted twice, lenders
// keeping their share, budgets and recruitment caps held, capacity enough
// for what is served, and the objective equal to the sum of its terms as
// the figures give them.
func checkPlan(t *testing.T, name string, p *Problem, pl *Plan) {
	t.Helper()
	checkStaffingComplete(t, name, pl)
	checkNobodyTwice(t, name, p, pl)
	checkMoney(t, name, p, pl)
	checkRecruitCaps(t, name, p, pl)
	for _, y := range pl.Years {
		for _, f := range y.Figures {
			if f.Served > f.Capacity*(1+1e-9)+1e-6 {
				t.Errorf("%s %d %s: serves %.9g with a capacity of %.9g", name, y.Year, f.Service, f.Served, f.Capacity)
			}
		}
	}
	sum := pl.Terms.Capital + pl.Terms.Running + pl.Terms.Travel + pl.Terms.Unserved
	if !near(sum, pl.Value) {
		t.Errorf("%s: terms add up to %.6f, value %.6f", name, sum, pl.Value)
	}
	if p.Objective.DeprivationWeight == 0 {
		if v := recomputeValue(p, pl); !near(v, pl.Value) {
			t.Errorf("%s: value recomputed from the years %.6f, reported %.6f", name, v, pl.Value)
		}
	}
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func checkStaffingComplete(t *testing.T, name string, pl *Plan) {
	t.Helper()
	for _, y := range pl.Years {
		for _, s := range y.Staffing {
			var got float64
			for _, a := range s.Assigned {
				got += a.FTE
			}
			if math.Abs(got-s.RequiredFTE) > 1e-5 {
				t.Errorf("%s %d: %s %s %s: %.6f FTE assigned for %.6f required", name, y.Year, s.Establishment, s.Service, s.Category, got, s.RequiredFTE)
			}
		}
	}
}

// stockAt is the recruits of a category at an establishment still on roll
// in a year, from the plan's recruitment and the category's lead time and
// attrition.
func stockAt(p *Problem, pl *Plan, e gst.EstablishmentID, c gst.CategoryID, year int) float64 {
	rule := categoryRule(p, c)
	var s float64
	for _, y := range pl.Years {
		for _, rec := range y.Recruited {
			if rec.Category != c {
				continue
			}
			arrive := arrivalYear(p, y.Year, rule.LeadTimeYears)
			for _, site := range rec.Sites {
				if site.Establishment == e && arrive > 0 && arrive <= year {
					s += site.FTE * math.Pow(1-rule.AttritionRate, float64(year-arrive))
				}
			}
		}
	}
	return s
}

func categoryRule(p *Problem, c gst.CategoryID) CategoryRule {
	for _, r := range p.Categories {
		if r.Category == c {
			return r
		}
	}
	return CategoryRule{Category: c}
}

// arrivalYear is the first period start at least lead years after year (0
// when beyond the horizon).
func arrivalYear(p *Problem, year, lead int) int {
	for _, per := range p.Periods {
		if per.Start >= year+lead {
			return per.Start
		}
	}
	return 0
}

func checkNobodyTwice(t *testing.T, name string, p *Problem, pl *Plan) {
	t.Helper()
	type key struct {
		e gst.EstablishmentID
		c gst.CategoryID
	}
	base := p.BaseYear
	if base == 0 {
		base = p.Periods[0].Start
	}
	for _, y := range pl.Years {
		used := map[key]float64{}
		lent := map[key]float64{}
		for _, s := range y.Staffing {
			for _, a := range s.Assigned {
				switch a.Source {
				case SourcePooled:
					used[key{a.From, s.Category}] += a.FTE
					lent[key{a.From, s.Category}] += a.FTE
				default:
					used[key{s.Establishment, s.Category}] += a.FTE
				}
			}
		}
		for k, u := range used {
			e, _ := p.Region.Establishment(k.e)
			rule := categoryRule(p, k.c)
			onroll := e.StaffFTE(k.c) * math.Pow(1-rule.AttritionRate, float64(y.Year-base))
			stock := stockAt(p, pl, k.e, k.c, y.Year)
			if u > onroll+stock+1e-5 {
				t.Errorf("%s %d: %s %s: %.4f FTE at work or lent, only %.4f on roll and %.4f recruited", name, y.Year, k.e, k.c, u, onroll, stock)
			}
			share := p.Pooling.MaxAwayShare
			if share == 0 {
				share = DefaultAwayShare
			}
			if l := lent[k]; l > share*(onroll+stock)+1e-5 {
				t.Errorf("%s %d: %s %s lends %.4f FTE, more than %.0f%% of %.4f", name, y.Year, k.e, k.c, l, 100*share, onroll+stock)
			}
		}
	}
}

func checkMoney(t *testing.T, name string, p *Problem, pl *Plan) {
	t.Helper()
	var total float64
	for _, y := range pl.Years {
		if y.CapitalBudgetMAD != nil && y.CapitalMAD > *y.CapitalBudgetMAD+1e-3 {
			t.Errorf("%s %d: capital %.2f over its budget %.2f", name, y.Year, y.CapitalMAD, *y.CapitalBudgetMAD)
		}
		if y.RunningBudgetMAD != nil && y.RunningMAD > *y.RunningBudgetMAD+1e-3 {
			t.Errorf("%s %d: running %.2f over its budget %.2f", name, y.Year, y.RunningMAD, *y.RunningBudgetMAD)
		}
		s := y.Spend
		if c := s.Sites + s.Setup + s.Modules + s.Closing; !near(c, y.CapitalMAD) {
			t.Errorf("%s %d: capital items add up to %.2f, capital %.2f", name, y.Year, c, y.CapitalMAD)
		}
		if r := s.ModuleRun + s.Salaries + s.Recruitment + s.Pooling; !near(r, y.RunningMAD) {
			t.Errorf("%s %d: running items add up to %.2f, running %.2f", name, y.Year, r, y.RunningMAD)
		}
		total += y.CapitalMAD + y.RunningMAD
	}
	if p.TotalBudgetMAD > 0 && total > p.TotalBudgetMAD+1e-3 {
		t.Errorf("%s: spends %.2f over the horizon, total budget %.2f", name, total, p.TotalBudgetMAD)
	}
}

func checkRecruitCaps(t *testing.T, name string, p *Problem, pl *Plan) {
	t.Helper()
	for _, y := range pl.Years {
		years := 1
		for _, per := range p.Periods {
			if per.Start == y.Year {
				years = max(per.Years, 1)
			}
		}
		for _, rec := range y.Recruited {
			limit := categoryRule(p, rec.Category).RecruitPerYear * float64(years)
			if rec.FTE > limit+1e-6 {
				t.Errorf("%s %d: recruits %.4f FTE of %s, cap %.4f", name, y.Year, rec.FTE, rec.Category, limit)
			}
		}
	}
}

// recomputeValue values the plan's years by the objective: discounted
// spend, travel from the served volume and its mean travel, unserved
// demand at its cost.
func recomputeValue(p *Problem, pl *Plan) float64 {
	vot := p.Objective.TravelMADPerHour
	if vot == 0 {
		vot = DefaultTravelMADPerHour
	}
	var v float64
	for i, y := range pl.Years {
		d := math.Pow(1+p.Objective.DiscountRate, -float64(i))
		v += d * (y.CapitalMAD + y.RunningMAD)
		for k, f := range y.Figures {
			rule := p.Services[k]
			trips := rule.TripsPerUnit
			if trips == 0 {
				trips = DefaultTripsPerUnit
			}
			v += d * vot / 60 * trips * f.Served * f.MeanMinutes
			v += d * rule.UnservedMAD * f.Unserved
		}
	}
	return v
}

func TestProperties(t *testing.T) {
	n := 30
	if testing.Short() {
		n = 8
	}
	solved := 0
	for seed := uint64(100); seed < uint64(100+n); seed++ {
		p := randomProblem(seed, 6)
		pl, err := Solve(context.Background(), p, nil)
		if errors.Is(err, gst.ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		solved++
		checkPlan(t, "seed "+itoa(seed), p, pl)
		if pl.Status != gst.StatusOptimal || pl.Gap > 1e-9 {
			t.Errorf("seed %d: status %s gap %g without a time limit", seed, pl.Status, pl.Gap)
		}
	}
	if solved < n/2 {
		t.Errorf("only %d of %d random programmes were feasible", solved, n)
	}
}

func itoa(u uint64) string {
	b, _ := json.Marshal(u)
	return string(b)
}

// TestExactAgainstMIP compares the branch and bound with lp_solve's on
// programmes too large to enumerate.
func TestExactAgainstMIP(t *testing.T) {
	n := 20
	if testing.Short() {
		n = 5
	}
	for seed := uint64(200); seed < uint64(200+n); seed++ {
		p := randomProblem(seed, 6)
		a, errA := Solve(context.Background(), p, &Options{NoWhy: true})
		m, errM := Solve(context.Background(), p, &Options{Method: MIP, NoWhy: true})
		if (errA == nil) != (errM == nil) {
			t.Fatalf("seed %d: branch and bound err %v, lp_solve err %v", seed, errA, errM)
		}
		if errA != nil {
			continue
		}
		if !near(a.Value, m.Value) {
			t.Errorf("seed %d: branch and bound %.6f, lp_solve %.6f", seed, a.Value, m.Value)
		}
	}
}

func TestShuffledInput(t *testing.T) {
	for seed := uint64(300); seed < 306; seed++ {
		p := randomProblem(seed, 6)
		want, err := Solve(context.Background(), p, &Options{Sequential: true})
		if errors.Is(err, gst.ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		q := *p
		q.Region = shuffledRegion(p.Region, seed)
		got, err := Solve(context.Background(), &q, &Options{Sequential: true})
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(got)
		if string(a) != string(b) {
			t.Errorf("seed %d: shuffled region gives another plan:\n%s", seed, cmp.Diff(string(a), string(b)))
		}
	}
}
