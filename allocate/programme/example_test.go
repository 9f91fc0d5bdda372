package programme_test

import (
	"context"
	"fmt"
	"log"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/programme"
	"github.com/gstplan/gst/internal/synth"
)

// valley is a small region: four villages along a valley, a provincial
// hospital with a caesarean unit, a local hospital, a health centre and a
// candidate site.
func valley() *programme.Problem {
	dep := func(v float64) *float64 { return &v }
	r := &gst.Region{
		ID: "V", Name: "Valley",
		Areas: []gst.Area{
			{ID: "a1", Name: "Ait One", Lat: 33.00, Lon: -5.00, Population: 20000, Deprivation: dep(0.2)},
			{ID: "a2", Name: "Ait Two", Lat: 33.10, Lon: -5.20, Population: 15000, Deprivation: dep(0.5)},
			{ID: "a3", Name: "Ait Three", Lat: 33.30, Lon: -5.50, Population: 12000, Deprivation: dep(0.9)},
			{ID: "a4", Name: "Ait Four", Lat: 33.45, Lon: -5.75, Population: 8000, Deprivation: dep(0.7)},
		},
		Establishments: []gst.Establishment{
			{ID: "h1", Name: "Hôpital provincial", Level: gst.ProvincialHospital, Ownership: gst.Public, Area: "a1", Lat: 33.00, Lon: -5.01,
				Offers: []gst.Offer{{Service: "cs", Capacity: 300}},
				Staff:  []gst.Staffing{{Category: "obgyn", FTE: 3}, {Category: "midwife", FTE: 8}}},
			{ID: "h2", Name: "Hôpital local", Level: gst.LocalHospital, Ownership: gst.Public, Area: "a3", Lat: 33.30, Lon: -5.49,
				Staff: []gst.Staffing{{Category: "obgyn", FTE: 1}, {Category: "midwife", FTE: 4}}},
			{ID: "c1", Name: "Centre de santé", Level: gst.HealthCentre, Ownership: gst.Public, Area: "a2", Lat: 33.10, Lon: -5.21,
				Staff: []gst.Staffing{{Category: "midwife", FTE: 2}}},
			{ID: "k1", Name: "Site candidat", Level: gst.LocalHospital, Ownership: gst.Public, Area: "a4", Lat: 33.45, Lon: -5.74,
				Candidate: true, OpenCost: 20e6, Offers: []gst.Offer{{Service: "cs"}}},
		},
		Services:   []gst.Service{{ID: "cs", Name: "Caesarean section", Unit: "case", MinLevel: gst.LocalHospital, StandardMinutes: 45}},
		Categories: []gst.Category{{ID: "obgyn", Name: "Obstetrician", HoursPerYear: 1600, AnnualCost: 300000}, {ID: "midwife", Name: "Midwife", HoursPerYear: 1600, AnnualCost: 150000}},
	}
	var demand []programme.YearDemand
	for y, grow := 2026, 1.0; y <= 2029; y, grow = y+1, grow*1.05 {
		t, err := gst.NewDemandTable([]gst.Demand{
			{Area: "a1", Service: "cs", Volume: 180 * grow}, {Area: "a2", Service: "cs", Volume: 140 * grow},
			{Area: "a3", Service: "cs", Volume: 130 * grow}, {Area: "a4", Service: "cs", Volume: 90 * grow},
		})
		if err != nil {
			log.Fatal(err)
		}
		demand = append(demand, programme.YearDemand{Year: y, Table: t})
	}
	return &programme.Problem{
		Region:   r,
		Periods:  []programme.Period{{Start: 2026, Years: 2}, {Start: 2028, Years: 2}},
		Demand:   demand,
		Services: []programme.ServiceRule{{Service: "cs", UnservedMAD: 40000, SetupMAD: 2e6}},
		Modules: []programme.Module{{ID: "cs-unit", Service: "cs", Capacity: 150, CapitalMAD: 8e6, RunningMAD: 1e6, MaxPerSite: 3,
			Staff: []programme.Requirement{{Category: "obgyn", FTE: 1}, {Category: "midwife", FTE: 3}}}},
		Categories: []programme.CategoryRule{
			{Category: "obgyn", AttritionRate: 0.05, RecruitPerYear: 1, RecruitMAD: 50000},
			{Category: "midwife", AttritionRate: 0.03, RecruitPerYear: 4, RecruitMAD: 20000},
		},
		Pooling:       programme.PoolingRules{PerKmMAD: 2},
		CapitalBudget: []programme.YearMAD{{Year: 2026, MAD: 30e6}, {Year: 2028, MAD: 30e6}},
		CarryOver:     true,
	}
}

// A two-period caesarean programme: where to add theatre capacity, who
// staffs it, and what deciding jointly gains over locating first and
// staffing afterwards.
func ExampleSolve() {
	plan, err := programme.Solve(context.Background(), valley(), &programme.Options{Sequential: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s, value %.1f M MAD (sequential plan %.1f M MAD)\n", plan.Status, plan.Value/1e6, *plan.SequentialValue/1e6)
	for _, y := range plan.Years {
		for _, o := range y.Openings {
			fmt.Printf("%d: %s %s at %s, %d module(s)\n", y.Year, o.Action, o.Service, o.Name, o.Modules)
		}
	}
	y := plan.Years[0]
	for _, s := range y.Staffing {
		fmt.Printf("%d %s %s: %.2f FTE:", y.Year, s.Name, s.Category, s.RequiredFTE)
		for _, a := range s.Assigned {
			fmt.Printf(" %.2f %s", a.FTE, a.Source)
			if a.From != "" {
				fmt.Printf(" from %s", a.From)
			}
		}
		fmt.Println()
	}
	f := plan.Years[len(plan.Years)-1].Figures[0]
	today := plan.Today[0]
	fmt.Printf("2029: %.0f%% of caesareans served, with a mean travel of %.1f min\n", 100*(1-f.UnservedShare), f.MeanMinutes)
	fmt.Printf("today: %.0f%% served, with a mean travel of %.1f min\n", 100*(1-today.UnservedShare), today.MeanMinutes)
	// Output:
	// optimal, value 28.2 M MAD (sequential plan 34.2 M MAD)
	// 2026: enlarge cs at Hôpital provincial, 1 module(s)
	// 2026: open cs at Hôpital local, 1 module(s)
	// 2026 Hôpital provincial midwife: 9.00 FTE: 7.76 on_roll 0.27 recruited 0.97 pooled from c1
	// 2026 Hôpital provincial obgyn: 3.00 FTE: 2.85 on_roll 0.15 recruited
	// 2026 Hôpital local midwife: 3.00 FTE: 3.00 on_roll
	// 2026 Hôpital local obgyn: 1.00 FTE: 0.95 on_roll 0.05 recruited
	// 2029: 96% of caesareans served, with a mean travel of 27.2 min
	// today: 56% served, with a mean travel of 13.9 min
}

// The programme at other budget levels: what more money buys.
func ExampleOptions_frontier() {
	plan, err := programme.Solve(context.Background(), valley(), &programme.Options{Frontier: []float64{0.25, 0.5, 2}})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range plan.Frontier {
		fmt.Printf("budgets × %.2f: %.1f M MAD of capital, %.0f caesareans unserved over the horizon\n", f.Level, f.CapitalMAD/1e6, f.Unserved[0])
	}
	// Output:
	// budgets × 0.25: 8.0 M MAD of capital, 827 caesareans unserved over the horizon
	// budgets × 0.50: 18.0 M MAD of capital, 232 caesareans unserved over the horizon
	// budgets × 2.00: 18.0 M MAD of capital, 25 caesareans unserved over the horizon
}

// A programme that cannot keep today's services staffed says where, when
// and by how much.
func Example_infeasible() {
	p := valley()
	p.Categories[0].AttritionRate = 0.5 // obstetricians leave, none can be recruited
	p.Categories[0].RecruitPerYear = 0
	p.Pooling.None = true
	_, err := programme.Solve(context.Background(), p, nil)
	fmt.Println(err)
	// Output:
	// programme: infeasible: staffing: establishment "h1": category "obgyn": 2029: Hôpital provincial: the modules that must run need 1.62 FTE more than the free staff on roll (0.38 FTE), the recruits the caps allow and the staff other establishments can lend; raise recruitment, allow pooling further, or let the service close (ServiceRule.MayClose)
	// programme: infeasible: staffing: establishment "h1": category "obgyn": 2027: Hôpital provincial: the modules that must run need 0.5 FTE more than the free staff on roll (1.5 FTE), the recruits the caps allow and the staff other establishments can lend; raise recruitment, allow pooling further, or let the service close (ServiceRule.MayClose)
}

// Two regions too far apart for any area to be served in the other, or
// any staff to commute, are joined only by the budgets and recruitment
// limits: Solve plans each on its own with the whole budgets (a
// relaxation, whose bounds add up to the programme's), and their
// programmes together are the programme. The instance is generated (the
// project's synthetic regions, as progbench's).
func Example_regionsApart() {
	p, err := synth.Programme(synth.Spec{Regions: 2, Areas: 30, Hospitals: 4, Centres: 20, Candidates: 2, Services: 2, Years: 3, Categories: 4, Seed: 5, Apart: 6})
	if err != nil {
		log.Fatal(err)
	}
	plan, err := programme.Solve(context.Background(), p, &programme.Options{SolveOptions: gst.SolveOptions{GapTolerance: 0.01}, NoWhy: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(plan.Status, plan.Gap <= 0.01)
	for _, n := range plan.Notes {
		fmt.Println(n)
	}
	// Output:
	// optimal true
	// the programme splits into 2 parts that only the budgets and limits join: each was solved on its own with the whole budgets and limits (a relaxation, whose bounds add up to a bound of the programme), and their programmes together keep the budgets and limits
}
