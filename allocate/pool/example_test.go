package pool_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/pool"
	"github.com/gstplan/gst/capacity"
)

// poolExampleRegion is a province with a provincial hospital (H1), a local
// hospital (H2) and two health centres, with the travel between them.
func poolExampleRegion() *gst.Region {
	r := &gst.Region{ID: "X", Name: "Example province",
		Areas:      []gst.Area{{ID: "A1", Lat: 34.0, Lon: -5.0, Population: 60000}},
		Services:   []gst.Service{{ID: "caesarean"}, {ID: "delivery"}},
		Categories: []gst.Category{{ID: "anaesthetist", HoursPerYear: 1600, AnnualCost: 480000}, {ID: "midwife", HoursPerYear: 1600, AnnualCost: 144000}},
		Establishments: []gst.Establishment{
			{ID: "H1", Level: gst.ProvincialHospital, Lat: 34.00, Lon: -5.00,
				Staff: []gst.Staffing{{Category: "anaesthetist", FTE: 3}, {Category: "midwife", FTE: 9}}},
			{ID: "H2", Level: gst.LocalHospital, Lat: 34.20, Lon: -5.10,
				Staff: []gst.Staffing{{Category: "midwife", FTE: 2}}},
			{ID: "C1", Level: gst.HealthCentre, Lat: 34.05, Lon: -5.02, Staff: []gst.Staffing{{Category: "midwife", FTE: 1}}},
			{ID: "C2", Level: gst.HealthCentre, Lat: 34.25, Lon: -5.15},
		},
	}
	var legs []gst.MatrixEntry
	for _, l := range []gst.MatrixEntry{
		{From: "H1", To: "H2", Minutes: 35, Km: 28}, {From: "H1", To: "C1", Minutes: 10, Km: 7},
		{From: "H1", To: "C2", Minutes: 45, Km: 36}, {From: "H2", To: "C1", Minutes: 30, Km: 24},
		{From: "H2", To: "C2", Minutes: 12, Km: 9}, {From: "C1", To: "C2", Minutes: 40, Km: 32},
	} {
		legs = append(legs, l, gst.MatrixEntry{From: l.To, To: l.From, Minutes: l.Minutes, Km: l.Km})
	}
	r.Travel, _ = gst.MatrixFromEntries(legs)
	return r
}

// H1 has an anaesthetist and two midwives to spare; H2 wants to offer
// caesarean sections, which need an anaesthetist and a midwife on site,
// and the centre C2 has no midwife.
func ExampleSolve() {
	r := poolExampleRegion()
	p := &pool.Problem{
		Region: r,
		Need: []pool.Need{
			{Establishment: "H1", Category: "anaesthetist", FTE: 2},
			{Establishment: "H1", Category: "midwife", FTE: 7},
			{Establishment: "H2", Category: "midwife", FTE: 2},
			{Establishment: "C1", Category: "midwife", FTE: 1},
			{Establishment: "C2", Category: "midwife", FTE: 1},
		},
		Teams: []pool.Team{{Establishment: "H2", Service: "caesarean", Priority: 2,
			Roles: []pool.Role{{Category: "anaesthetist", FTE: 1}, {Category: "midwife", FTE: 1}}}},
		Rules: pool.Rules{MaxCommuteMinutes: 60, MaxAwayShare: 0.5, PerKmMAD: 2},
	}
	plan, err := pool.Solve(context.Background(), p, &pool.Options{Granularity: pool.Sessions})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(plan.Status, "by", plan.Method)
	for _, m := range plan.Moves {
		fmt.Printf("%s: %s → %s, %.0f sessions a week, %.0f min each way, %.0f MAD a week\n",
			m.Category, m.From, m.To, m.SessionsPerWeek, m.Minutes, m.CostMADPerWeek)
	}
	for _, t := range plan.Teams {
		fmt.Printf("%s at %s: delivered %v (before %v)\n", t.Service, t.Establishment, t.Delivered, t.Before)
	}
	fmt.Printf("weighted unmet need: %.1f before, %.1f after\n", plan.Before.WeightedUnmet, plan.WeightedUnmet)
	for _, s := range plan.Sites {
		if s.Need > 0 && *s.RatioBefore < 1 {
			fmt.Printf("%s %s: WISN ratio %.2f → %.2f\n", s.Establishment, s.Category, *s.RatioBefore, *s.RatioAfter)
		}
	}
	// Output:
	// optimal by branch and bound over team decisions with exact flows (1 coupled parts, 2 categories)
	// anaesthetist: H1 → H2, 10 sessions a week, 35 min each way, 4620 MAD a week
	// midwife: H1 → C2, 10 sessions a week, 45 min each way, 2790 MAD a week
	// midwife: H1 → H2, 10 sessions a week, 35 min each way, 2170 MAD a week
	// caesarean at H2: delivered true (before false)
	// weighted unmet need: 5.0 before, 0.0 after
	// C2 midwife: WISN ratio 0.00 → 1.00
	// H2 anaesthetist: WISN ratio 0.00 → 1.00
	// H2 midwife: WISN ratio 0.67 → 1.00
}

// Rules a manager can run: without them, H1's spare midwives go in scraps
// to every centre short of one; with a fixed cost of 300 MAD a week per move,
// moves of at least two sessions, and an unmet FTE of need valued at 2,800
// MAD a week (the weekly cost of a midwife), each move must pay for itself.
func ExampleSolve_moveRules() {
	r := poolExampleRegion()
	p := &pool.Problem{
		Region: r,
		Need: []pool.Need{
			{Establishment: "H1", Category: "midwife", FTE: 7},
			{Establishment: "H2", Category: "midwife", FTE: 2.6},
			{Establishment: "C1", Category: "midwife", FTE: 1.1},
			{Establishment: "C2", Category: "midwife", FTE: 0.7},
		},
		Rules: pool.Rules{MaxCommuteMinutes: 60, MaxAwayShare: 0.5, PerKmMAD: 2},
	}
	show := func(title string, plan *pool.Plan) {
		fmt.Printf("%s: %v, gap %.1f%%\n", title, plan.Status, 100*plan.Gap)
		for _, m := range plan.Moves {
			fmt.Printf("  %s → %s, %.0f sessions a week, %.0f MAD a week\n", m.From, m.To, m.SessionsPerWeek, m.CostMADPerWeek)
		}
		fmt.Printf("  %d moves, %.1f FTE, %.1f hours of travel a week; unmet need %.1f FTE\n",
			plan.After.Moves, plan.After.MovedFTE, plan.After.TravelHoursPerWeek, plan.After.Unmet)
	}
	opt := &pool.Options{Granularity: pool.Sessions}
	plan, err := pool.Solve(context.Background(), p, opt)
	if err != nil {
		log.Fatal(err)
	}
	show("no move rules", plan)

	p.Rules.PerMoveMAD = 300
	p.Rules.MinMoveSessions = 2
	opt.UnmetValueMAD = 2800
	plan, err = pool.Solve(context.Background(), p, opt)
	if err != nil {
		log.Fatal(err)
	}
	show("move rules", plan)
	// The trip to C2 (45 minutes each way) and the one session for C1 cost
	// more than the need they cover is worth: they are left out.

	// Output:
	// no move rules: optimal, gap 0.0%
	//   H1 → C1, 1 sessions a week, 58 MAD a week
	//   H1 → C2, 7 sessions a week, 1953 MAD a week
	//   H1 → H2, 6 sessions a week, 1302 MAD a week
	//   3 moves, 1.4 FTE, 17.8 hours of travel a week; unmet need 0.0 FTE
	// move rules: optimal, gap 0.0%
	//   H1 → H2, 6 sessions a week, 1602 MAD a week
	//   1 moves, 0.6 FTE, 7.0 hours of travel a week; unmet need 0.8 FTE
}

// The need can come from capacity's WISN calculation: its required staff
// by establishment and category is a PoolNeed each.
func ExampleSolve_wisn() {
	r := poolExampleRegion()
	wt := capacity.WorkingTime{WorkingDays: 260, PublicHolidays: 13, AnnualLeave: 22, SickLeave: 10, HoursPerDay: 8}
	res, err := capacity.WISN(r, &capacity.WISNInput{
		Standards: []capacity.CategoryStandards{{Category: "midwife", Time: wt,
			Services: []capacity.ServiceStandard{{Activity: "delivery", MinutesPerUnit: 180}}}},
		Workloads: []capacity.Workload{
			{Establishment: "H1", Category: "midwife", Activity: "delivery", Volume: 3000},
			{Establishment: "H2", Category: "midwife", Activity: "delivery", Volume: 1500},
			{Establishment: "C2", Category: "midwife", Activity: "delivery", Volume: 300},
		},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	var need []pool.Need
	for _, row := range res.Rows {
		fmt.Printf("WISN: %s needs %.2f midwives, has %.0f\n", row.Establishment, row.Required, row.Actual)
		need = append(need, pool.Need{Establishment: row.Establishment, Category: row.Category, FTE: row.Required})
	}
	plan, err := pool.Solve(context.Background(), &pool.Problem{Region: r, Need: need,
		Rules: pool.Rules{MaxCommuteMinutes: 60}}, &pool.Options{Granularity: pool.Sessions})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range plan.Moves {
		fmt.Printf("%s → %s: %.0f sessions/week\n", m.From, m.To, m.SessionsPerWeek)
	}
	for _, s := range plan.Sites {
		if s.Need > 0 {
			fmt.Printf("%s: unmet %.2f → %.2f FTE, WISN ratio %.2f → %.2f\n", s.Establishment, s.UnmetBefore, s.Unmet, *s.RatioBefore, *s.RatioAfter)
		}
	}
	// Output:
	// WISN: C1 needs 0.00 midwives, has 1
	// WISN: C2 needs 0.52 midwives, has 0
	// WISN: H1 needs 5.23 midwives, has 9
	// WISN: H2 needs 2.62 midwives, has 2
	// C1 → C2: 5 sessions/week
	// H1 → C2: 1 sessions/week
	// H1 → H2: 7 sessions/week
	// C2: unmet 0.52 → 0.00 FTE, WISN ratio 0.00 → 1.15
	// H1: unmet 0.00 → 0.00 FTE, WISN ratio 1.72 → 1.57
	// H2: unmet 0.62 → 0.00 FTE, WISN ratio 0.76 → 1.03
}

// When the rules clash, the error says which and where.
func ExampleSolve_infeasible() {
	r := poolExampleRegion()
	p := &pool.Problem{
		Region: r,
		Teams: []pool.Team{{Establishment: "H2", Service: "caesarean", Required: true,
			Roles: []pool.Role{{Category: "anaesthetist", FTE: 1}}}},
		// H1 must keep its three anaesthetists.
		Floors: []pool.FTE{{Establishment: "H1", Category: "anaesthetist", FTE: 3}},
	}
	_, err := pool.Solve(context.Background(), p, nil)
	for _, c := range gst.InfeasibleCauses(err) {
		fmt.Printf("%s at %s (%s): %s\n", c.Rule, c.Establishment, c.Category, c.Reason)
	}
	fmt.Println(errors.Is(err, gst.ErrInfeasible))
	// Output:
	// required team at H2 (anaesthetist): required team "caesarean" at H2 needs 1 FTE of anaesthetist, but at most 0 FTE can be there: it has 0 on roll; H1 (35 min) has 3 FTE, all held by its safe staffing of 3 FTE
	// true
}
