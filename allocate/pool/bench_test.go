package pool

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/gstplan/gst"
)

// poolNational builds a deterministic synthetic national instance: nEst
// establishments clustered round 40 towns over Morocco's extent (one in
// twenty a hospital), nCat staff categories (the first half generalists
// working everywhere, the others specialists working in hospitals), staff on
// roll and need drawn round each other. Travel is estimated from the
// coordinates. With teams, every hospital has a caesarean team of an
// obstetrician, an anaesthetist and a midwife.
func poolNational(tb testing.TB, nEst, nCat int, teams bool) *Problem {
	tb.Helper()
	rng := rand.New(rand.NewSource(2024))
	r := &gst.Region{ID: "MA", Name: "synthetic national"}
	type town struct{ lat, lon, spread float64 }
	var towns []town
	for i := 0; i < 40; i++ {
		towns = append(towns, town{lat: 28 + rng.Float64()*7.5, lon: -12.5 + rng.Float64()*11, spread: 0.03 + rng.Float64()*0.3})
	}
	for i := 0; i < 200; i++ {
		r.Areas = append(r.Areas, gst.Area{ID: gst.AreaID(fmt.Sprintf("A%03d", i)), Lat: 28 + rng.Float64()*7.5,
			Lon: -12.5 + rng.Float64()*11, Population: 10000})
	}
	cats := make([]gst.CategoryID, nCat)
	for c := range cats {
		cats[c] = gst.CategoryID(fmt.Sprintf("cat%02d", c))
		r.Categories = append(r.Categories, gst.Category{ID: cats[c], HoursPerYear: 1600, AnnualCost: float64(100000 + 20000*c)})
	}
	if teams {
		cats[nCat/2], cats[nCat/2+1] = "obstetrician", "anaesthetist"
		r.Categories[nCat/2].ID, r.Categories[nCat/2+1].ID = "obstetrician", "anaesthetist"
		cats[0] = "midwife"
		r.Categories[0].ID = "midwife"
		r.Services = []gst.Service{{ID: "caesarean"}}
	}
	p := &Problem{Region: r, Rules: Rules{MaxCommuteMinutes: 90, MaxAwayShare: 0.4, MinStayFTE: 1, PerKmMAD: 2}}
	for i := 0; i < nEst; i++ {
		tw := towns[rng.Intn(len(towns))]
		lat := tw.lat + rng.NormFloat64()*tw.spread
		lon := tw.lon + rng.NormFloat64()*tw.spread
		lat = math.Max(27.6, math.Min(35.9, lat))
		lon = math.Max(-13.1, math.Min(-1.1, lon))
		hosp := i%20 == 0
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("E%04d", i)), Level: gst.HealthCentre, Lat: lat, Lon: lon}
		if hosp {
			e.Level = gst.ProvincialHospital
		}
		for c, cat := range cats {
			if c >= nCat/2 && !hosp {
				continue
			}
			base := 1 + rng.Intn(4)
			if hosp {
				base += 4
			}
			roll := float64(rng.Intn(2 * base))
			e.Staff = append(e.Staff, gst.Staffing{Category: cat, FTE: roll})
			need := math.Round(float64(base)*(0.5+rng.Float64())*10) / 10
			p.Need = append(p.Need, Need{Establishment: e.ID, Category: cat, FTE: need, Priority: float64(1 + rng.Intn(3))})
		}
		r.Establishments = append(r.Establishments, e)
		if teams && hosp {
			p.Teams = append(p.Teams, Team{Establishment: e.ID, Service: "caesarean", Priority: 3,
				Roles: []Role{{Category: "obstetrician", FTE: 1}, {Category: "anaesthetist", FTE: 1}, {Category: "midwife", FTE: 2}}})
		}
	}
	return p
}

// The national instance: 3,000 establishments, 20 categories, moves within
// 90 minutes. Independent categories (no teams): one exact flow each.
func BenchmarkPoolNational(b *testing.B) {
	p := poolNational(b, 3000, 20, false)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plan, err := Solve(context.Background(), p, nil)
		if err != nil {
			b.Fatal(err)
		}
		if plan.Status != gst.StatusOptimal || plan.WeightedUnmet >= plan.Before.WeightedUnmet || len(plan.Moves) == 0 {
			b.Fatalf("status %v, weighted unmet %g (before %g), %d moves", plan.Status, plan.WeightedUnmet, plan.Before.WeightedUnmet, len(plan.Moves))
		}
		if i == 0 {
			b.ReportMetric(float64(plan.Model.Arcs), "arcs")
			b.ReportMetric(float64(len(plan.Moves)), "moves")
			b.ReportMetric(float64(plan.Model.Pivots), "pivots")
			b.ReportMetric(plan.Before.WeightedUnmet-plan.WeightedUnmet, "unmet-reduction")
		}
	}
}

// The national instance side by side without and with move rules: a
// fixed cost of 200 MAD a week per move and moves of at least one session
// a week, with one weighted FTE of unmet need valued at the weekly cost of
// the cheapest cadre (100,000 MAD a year / 52), so that a move is made only
// where it pays (as the pilots do). The rules make every category a
// fixed-charge problem; the benchmark reports the gap to the proven bound.
func BenchmarkPoolNationalMoveRules(b *testing.B) {
	free := poolNational(b, 3000, 20, false)
	rules := poolNational(b, 3000, 20, false)
	rules.Rules.PerMoveMAD = 200
	rules.Rules.MinMoveSessions = 1
	opt := &Options{UnmetValueMAD: 100000.0 / 52, SolveOptions: gst.SolveOptions{GapTolerance: 0.01}}
	for _, c := range []struct {
		name string
		p    *Problem
	}{{"free", free}, {"rules", rules}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				plan, err := Solve(context.Background(), c.p, opt)
				if err != nil {
					b.Fatal(err)
				}
				if !plan.Status.HasSolution() || plan.WeightedUnmet >= plan.Before.WeightedUnmet || len(plan.Moves) == 0 || plan.Bound > plan.Objective {
					b.Fatalf("status %v, weighted unmet %g (before %g), %d moves, bound %g, objective %g", plan.Status, plan.WeightedUnmet,
						plan.Before.WeightedUnmet, len(plan.Moves), plan.Bound, plan.Objective)
				}
				for _, m := range plan.Moves {
					if c.p.Rules.MinMoveSessions > 0 && m.SessionsPerWeek < float64(c.p.Rules.MinMoveSessions)-1e-9 {
						b.Fatalf("move %+v below the smallest move", m)
					}
				}
				if i == 0 {
					b.ReportMetric(100*plan.Gap, "gap-%")
					b.ReportMetric(float64(len(plan.Moves)), "moves")
					b.ReportMetric(plan.After.MovedFTE, "FTE-moved")
					b.ReportMetric(plan.After.TravelHoursPerWeek, "travel-h/week")
					b.ReportMetric(plan.Objective, "objective")
				}
			}
		})
	}
}

// The national instance with a caesarean team at each of its 150
// hospitals, which couples three categories.
func BenchmarkPoolNationalTeams(b *testing.B) {
	p := poolNational(b, 3000, 20, true)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plan, err := Solve(context.Background(), p, nil)
		if err != nil {
			b.Fatal(err)
		}
		if !plan.Status.HasSolution() || plan.WeightedUnmet >= plan.Before.WeightedUnmet || plan.After.TeamsDelivered < plan.Before.TeamsDelivered {
			b.Fatalf("status %v, weighted unmet %g (before %g), teams %d (before %d)", plan.Status, plan.WeightedUnmet,
				plan.Before.WeightedUnmet, plan.After.TeamsDelivered, plan.Before.TeamsDelivered)
		}
		if i == 0 {
			b.ReportMetric(plan.Gap, "gap")
			b.ReportMetric(float64(plan.After.TeamsDelivered), "teams")
			b.ReportMetric(float64(plan.Model.SearchNodes), "nodes")
		}
	}
}

// A large region (1,200 establishments, 12 categories) with a caesarean
// team at each of its 60 hospitals, the coupled part (three categories)
// solved by the search over team decisions (auto) and, side by side, by the
// integer programme.
func BenchmarkPoolRegionTeams(b *testing.B) {
	p := poolNational(b, 1200, 12, true)
	for _, m := range []Method{Auto, MIP} {
		b.Run(m.String(), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				plan, err := Solve(context.Background(), p, &Options{Method: m})
				if err != nil {
					b.Fatal(err)
				}
				if plan.Status != gst.StatusOptimal || plan.WeightedUnmet >= plan.Before.WeightedUnmet {
					b.Fatalf("status %v, weighted unmet %g (before %g)", plan.Status, plan.WeightedUnmet, plan.Before.WeightedUnmet)
				}
				if m == Auto && plan.Model.SearchNodes == 0 || m == MIP && plan.Model.MIPs != 1 {
					b.Fatalf("%v: method %s", m, plan.Method)
				}
				if i == 0 {
					b.ReportMetric(float64(plan.Model.SearchNodes), "nodes")
					b.ReportMetric(plan.Gap, "gap")
					b.ReportMetric(plan.WeightedUnmet, "weighted-unmet")
					b.ReportMetric(plan.CostMADPerWeek, "cost-MAD/week")
				}
			}
		})
	}
}
