package capacity_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/capacity"
)

// exampleRegion is a small synthetic region: a town (A1) with a provincial
// hospital and two rural communes (A2, A3) with health centres.
func exampleRegion() *gst.Region {
	return &gst.Region{
		ID: "X", Name: "Example",
		Provinces: []gst.Province{{ID: "P1", Name: "North"}, {ID: "P2", Name: "South"}},
		Areas: []gst.Area{
			{ID: "A1", Province: "P1", Lat: 34.00, Lon: -5.00, Population: 10000, Year: 2024, PastPopulation: 8000, PastYear: 2014, Urban: true,
				Segments: []gst.Segment{{Name: "coverage/amo", Population: 6000}, {Name: "coverage/tadamon", Population: 3000}}},
			{ID: "A2", Province: "P1", Lat: 34.10, Lon: -5.20, Population: 5000, Year: 2024, PastPopulation: 5000, PastYear: 2014},
			{ID: "A3", Province: "P2", Lat: 34.50, Lon: -4.50, Population: 2000, Year: 2024, PastPopulation: 2500, PastYear: 2014,
				Segments: []gst.Segment{{Name: "coverage/amo", Population: 500}, {Name: "coverage/uninsured", Population: 1500}}},
		},
		Services: []gst.Service{{ID: "pc", Unit: "visit"}, {ID: "del", Unit: "delivery"}, {ID: "med", Unit: "admission"}},
		Categories: []gst.Category{
			{ID: "doc", HoursPerYear: 1600, AnnualCost: 300000},
			{ID: "nur", HoursPerYear: 1600, AnnualCost: 150000},
			{ID: "mid", HoursPerYear: 1600, AnnualCost: 160000},
		},
		Establishments: []gst.Establishment{
			{ID: "H1", Level: gst.ProvincialHospital, Province: "P1", Area: "A1", Lat: 34.00, Lon: -5.00, Beds: 40,
				Offers: []gst.Offer{{Service: "pc"}, {Service: "del"}, {Service: "med"}},
				Staff:  []gst.Staffing{{Category: "doc", FTE: 5}, {Category: "nur", FTE: 20}, {Category: "mid", FTE: 6}}},
			{ID: "C1", Level: gst.HealthCentre, Province: "P1", Area: "A2", Lat: 34.10, Lon: -5.20,
				Offers: []gst.Offer{{Service: "pc"}}, Staff: []gst.Staffing{{Category: "nur", FTE: 3}}},
			{ID: "C2", Level: gst.HealthCentre, Province: "P2", Area: "A3", Lat: 34.50, Lon: -4.50,
				Offers: []gst.Offer{{Service: "pc"}, {Service: "del"}}, Staff: []gst.Staffing{{Category: "nur", FTE: 2}, {Category: "mid", FTE: 1}}},
		},
	}
}

func exampleRates() []capacity.Rate {
	return []capacity.Rate{
		{Service: "pc", PerThousand: 2000},                                                           // 2 visits a year
		{Service: "pc", Segment: "coverage/amo", PerThousand: 2500},                                  // AMO members use more
		{Service: "pc", Segment: "coverage/tadamon", Setting: capacity.UrbanOnly, PerThousand: 1800}, // Tadamon, in towns
		{Service: "del", PerThousand: 25},
		{Service: "med", Setting: capacity.UrbanOnly, PerThousand: 80},
		{Service: "med", Setting: capacity.RuralOnly, PerThousand: 60},
	}
}

func ExampleDemand() {
	res, err := capacity.Demand(exampleRegion(), exampleRates(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range res.Table.Rows() {
		fmt.Printf("%s %-3s %8.0f\n", d.Area, d.Service, d.Volume)
	}
	for _, f := range res.Fallbacks {
		fmt.Printf("%s has no %q breakdown: %s for %s\n", f.Area, f.Dimension, f.Rule, f.Service)
	}
	// Output:
	// A1 del      250
	// A1 med      800
	// A1 pc     22400
	// A2 del      125
	// A2 med      300
	// A2 pc     10000
	// A3 del       50
	// A3 med      120
	// A3 pc      4250
	// A2 has no "coverage" breakdown: base-rate for pc
}

func ExampleProject() {
	_, rep, err := capacity.Project(exampleRegion(), &capacity.Projection{TargetYear: 2030})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range rep.Areas {
		fmt.Printf("%s %5.0f → %5.0f (%+.2f %%/year)\n", a.Area, a.BasePopulation, a.Population, 100*a.AnnualRate)
	}
	// Output:
	// A1 10000 → 11433 (+2.26 %/year)
	// A2  5000 →  5000 (+0.00 %/year)
	// A3  2000 →  1749 (-2.21 %/year)
}

func ExampleCalculate() {
	// Midwives of one maternity: WISN steps 2 to 7.
	std := &capacity.CategoryStandards{
		Category: "mid",
		Time:     capacity.WorkingTime{WorkingDays: 260, PublicHolidays: 10, AnnualLeave: 22, SickLeave: 8, OtherLeave: 5, HoursPerDay: 8},
		Services: []capacity.ServiceStandard{
			{Activity: "delivery", MinutesPerUnit: 60},
			{Activity: "antenatal", UnitsPerHour: 4},
		},
		Allowances: []capacity.CategoryAllowance{
			{Activity: "staff meeting", Hours: 2, Per: capacity.PerWeek},
			{Activity: "records", Hours: 0.5, Per: capacity.PerDay},
			{Activity: "training", Percent: 2},
		},
		Individual: []capacity.IndividualAllowance{{Activity: "supervision", Staff: 1, Hours: 4, Per: capacity.PerWeek}},
	}
	c, err := capacity.Calculate(std, []capacity.ActivityWorkload{{Activity: "delivery", Volume: 1200}, {Activity: "antenatal", Volume: 5160}}, nil, 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("AWT %.0f h\n", c.AvailableHours)
	for _, a := range c.Activities {
		fmt.Printf("%-9s workload %5.0f / standard %5.0f = %.3f staff\n", a.Activity, a.Workload, a.StandardWorkload, a.Staff)
	}
	fmt.Printf("CAS %.2f %%, CAF %.4f, IAF %.4f\n", c.CASPercent, c.CAF, c.IAF)
	fmt.Printf("required %.2f, actual %.0f, difference %+.2f, ratio %.2f\n", c.Required, c.Actual, c.Difference, *c.Ratio)
	// Output:
	// AWT 1720 h
	// delivery  workload  1200 / standard  1720 = 0.698 staff
	// antenatal workload  5160 / standard  6880 = 0.750 staff
	// CAS 13.25 %, CAF 1.1527, IAF 0.1000
	// required 1.77, actual 2, difference +0.23, ratio 1.13
}

func exampleStandards() []capacity.CategoryStandards {
	wt := capacity.WorkingTime{WorkingDays: 260, PublicHolidays: 13, AnnualLeave: 22, SickLeave: 10, HoursPerDay: 8}
	return []capacity.CategoryStandards{
		{Category: "mid", Time: wt,
			Services: []capacity.ServiceStandard{
				{Activity: "delivery", Service: "del", MinutesPerUnit: 120},
				{Activity: "antenatal", Service: "del", UnitsPerService: 4, MinutesPerUnit: 20},
			},
			Allowances: []capacity.CategoryAllowance{{Activity: "meetings", Percent: 10}}},
		{Category: "nur", Time: wt,
			Services: []capacity.ServiceStandard{
				{Activity: "consultation", Service: "pc", MinutesPerUnit: 15},
				{Activity: "ward care", Service: "med", MinutesPerUnit: 600},
			},
			Allowances: []capacity.CategoryAllowance{{Activity: "records", Hours: 1, Per: capacity.PerDay}}},
	}
}

func ExampleWISN() {
	r := exampleRegion()
	dem, err := capacity.Demand(r, exampleRates(), nil)
	if err != nil {
		log.Fatal(err)
	}
	// Send each area's demand to the nearest establishment offering the
	// service, then size the staff for the workload each one receives.
	at, err := capacity.Attribute(context.Background(), r, dem.Table, nil, nil)
	if err != nil {
		log.Fatal(err)
	}
	res, err := capacity.WISN(r, &capacity.WISNInput{Standards: exampleStandards(), Volumes: at.Volumes}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range res.Rows {
		fmt.Printf("%s %s required %5.2f actual %2.0f difference %+6.2f ratio %.2f\n", w.Establishment, w.Category, w.Required, w.Actual, w.Difference, *w.Ratio)
	}
	// Output:
	// C1 nur required  1.66 actual  3 difference  +1.34 ratio 1.81
	// C2 mid required  0.11 actual  1 difference  +0.89 ratio 9.29
	// C2 nur required  0.71 actual  2 difference  +1.29 ratio 2.83
	// H1 mid required  0.81 actual  6 difference  +5.19 ratio 7.43
	// H1 nur required 11.83 actual 20 difference  +8.17 ratio 1.69
}

func ExampleBedsNeeded() {
	// 3,650 admissions a year staying 4 days on average, at 80 % occupancy.
	b, err := capacity.BedsNeeded(3650, 4, 0.8)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(b, "beds")
	_, err = capacity.BedsNeeded(3650, 4, 1.2)
	fmt.Println(err)
	// Output:
	// 50 beds
	// beds: occupancy: must be in (0, 1], got 1.2
}

func ExampleBeds() {
	r := exampleRegion()
	vols, err := capacity.NewVolumes([]capacity.Volume{
		{Establishment: "H1", Service: "med", Volume: 1220},
		{Establishment: "H1", Service: "del", Volume: 375},
	})
	if err != nil {
		log.Fatal(err)
	}
	res, err := capacity.Beds(r, vols, []capacity.Stay{{Service: "med", ALOSDays: 5}, {Service: "del", ALOSDays: 2, Occupancy: 0.7}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range res.Rows {
		fmt.Printf("%s %s: %.0f admissions × %.0f days / (365 × %.2f) = %.1f beds\n", b.Establishment, b.Service, b.Admissions, b.ALOSDays, b.Occupancy, b.Beds)
	}
	for _, g := range res.Establishments {
		fmt.Printf("%s needs %.0f beds, has %.0f\n", g.Establishment, g.Rounded, g.Available)
	}
	// Output:
	// H1 del: 375 admissions × 2 days / (365 × 0.70) = 2.9 beds
	// H1 med: 1220 admissions × 5 days / (365 × 0.85) = 19.7 beds
	// H1 needs 23 beds, has 40
}

func ExampleComputeGaps() {
	r := exampleRegion()
	need := []capacity.StaffFTE{
		{Establishment: "H1", Category: "nur", FTE: 25},
		{Establishment: "C1", Category: "nur", FTE: 2},
		{Establishment: "C2", Category: "nur", FTE: 2.5},
	}
	g, err := capacity.ComputeGaps(r, need, nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := capacity.WriteGapsCSV(os.Stdout, append(g.Provinces, g.Region...)); err != nil {
		log.Fatal(err)
	}
	// Output:
	// level,id,name,province,category,population,need_fte,available_fte,difference_fte,ratio,need_per_1000,available_per_1000
	// province,P1,North,,nur,15000,27,23,-4,0.8518518518518519,1.8,1.5333333333333334
	// province,P2,South,,nur,2000,2.5,2,-0.5,0.8,1.25,1
	// region,X,Example,,nur,17000,29.5,25,-4.5,0.847457627118644,1.7352941176470589,1.4705882352941178
}

func ExampleDensity() {
	r := exampleRegion()
	norm := capacity.Norm{Name: "WHO SDG threshold", Categories: []gst.CategoryID{"doc", "nur", "mid"}, PerThousand: capacity.WHOSDGThreshold}
	d, err := capacity.Density(r, norm, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range append(d.Provinces, d.Region) {
		fmt.Printf("%-6s %s: %.2f per 1,000 against %.2f; %+.1f FTE\n", p.Level, p.ID, *p.PerThousand, norm.PerThousand, p.Difference)
	}
	// Output:
	// province P1: 2.27 per 1,000 against 4.45; -32.8 FTE
	// province P2: 1.50 per 1,000 against 4.45; -5.9 FTE
	// region X: 2.18 per 1,000 against 4.45; -38.7 FTE
}

func ExampleStaffCost() {
	r := exampleRegion()
	res, err := capacity.StaffCost(r, capacity.OnRoll(r), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range res.ByCategory {
		fmt.Printf("%s %4.0f FTE %10.0f MAD\n", c.ID, c.FTE, c.CostMAD)
	}
	fmt.Printf("all %4.0f FTE %10.0f MAD\n", res.FTE, res.CostMAD)
	// Output:
	// doc    5 FTE    1500000 MAD
	// mid    7 FTE    1120000 MAD
	// nur   25 FTE    3750000 MAD
	// all   37 FTE    6370000 MAD
}

func ExampleBudget() {
	r := exampleRegion()
	dem, err := capacity.Demand(r, exampleRates(), nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	a, err := capacity.NearestAssignment(ctx, r, dem.Table.Services(), nil)
	if err != nil {
		log.Fatal(err)
	}
	f := &capacity.Financing{
		Payers: []capacity.Payer{
			{ID: "amo", Segment: "coverage/amo"},
			{ID: "tadamon", Segment: "coverage/tadamon"},
			{ID: "uninsured", Segment: "coverage/uninsured"},
			{ID: "state"}, // people whose coverage is unknown
		},
		PrimaryService: "pc",
		Capitation:     []capacity.Capitation{{Payer: "amo", PerPersonMAD: 300}, {Payer: "tadamon", PerPersonMAD: 200}, {Payer: "state", PerPersonMAD: 150}},
		Tariffs:        []capacity.Tariff{{Service: "del", PerCaseMAD: 3000}, {Service: "med", PerCaseMAD: 5000}},
	}
	b, err := capacity.Budget(r, dem, a, f)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range b.ByEstablishment {
		fmt.Printf("%s capitation %8.0f + fees %8.0f = %8.0f MAD\n", t.ID, t.CapitationMAD, t.FeeForServiceMAD, t.TotalMAD)
	}
	for _, t := range b.ByPayer {
		fmt.Printf("%-9s %8.0f MAD\n", t.ID, t.TotalMAD)
	}
	// Output:
	// C1 capitation   750000 + fees        0 =   750000 MAD
	// C2 capitation   150000 + fees   150000 =   300000 MAD
	// H1 capitation  2550000 + fees  7225000 =  9775000 MAD
	// amo        4987500 MAD
	// state      3250000 MAD
	// tadamon    2025000 MAD
	// uninsured   562500 MAD
}

func ExampleNearestAssignment() {
	r := exampleRegion()
	a, err := capacity.NearestAssignment(context.Background(), r, []gst.ServiceID{"del"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, al := range a.Rows() {
		fmt.Println(al.Area, "→", al.Establishment)
	}
	// Output:
	// A1 → H1
	// A2 → H1
	// A3 → C2
}

func ExampleCatchmentPopulation() {
	r := exampleRegion()
	a, err := capacity.NearestAssignment(context.Background(), r, []gst.ServiceID{"del"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	pop := capacity.CatchmentPopulation(r, a, "del")
	fmt.Println(pop["H1"], pop["C2"])
	// Output:
	// 15000 2000
}

func ExampleAssess() {
	r := exampleRegion()
	a, err := capacity.Assess(context.Background(), r, &capacity.AssessInput{Rates: exampleRates(), Standards: exampleStandards()},
		&capacity.AssessOptions{Demand: &capacity.DemandOptions{Projection: &capacity.Projection{TargetYear: 2030}}, CatchmentService: "pc"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("figures for", a.Year)
	for _, g := range a.Gaps.Establishments {
		fmt.Printf("%s %s need %5.2f have %2.0f per 1,000: need %.2f have %.2f\n", g.ID, g.Category, g.Need, g.Available, *g.NeedPerThousand, *g.AvailablePerThousand)
	}
	// Output:
	// figures for 2030
	// C1 nur need  1.66 have  3 per 1,000: need 0.33 have 0.60
	// C2 mid need  0.09 have  1 per 1,000: need 0.05 have 0.57
	// C2 nur need  0.62 have  2 per 1,000: need 0.35 have 1.14
	// H1 mid need  0.88 have  6 per 1,000: need 0.08 have 0.52
	// H1 nur need 13.02 have 20 per 1,000: need 1.14 have 1.75
}

func ExampleAttribute() {
	r := exampleRegion()
	dem, err := capacity.Demand(r, exampleRates(), nil)
	if err != nil {
		log.Fatal(err)
	}
	// Half of A3's deliveries go to C2; the rest is not assigned.
	a, err := gst.NewAssignment([]gst.Allocation{
		{Area: "A1", Service: "del", Establishment: "H1", Share: 1},
		{Area: "A2", Service: "del", Establishment: "H1", Share: 1},
		{Area: "A3", Service: "del", Establishment: "C2", Share: 0.5},
	})
	if err != nil {
		log.Fatal(err)
	}
	at, err := capacity.Attribute(context.Background(), r, dem.Table, a, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range at.Volumes.Rows() {
		fmt.Printf("%s %s %.0f\n", v.Establishment, v.Service, v.Volume)
	}
	fmt.Printf("served %.0f of %.0f; %d rows unserved\n", at.Served, at.Total, len(at.Unserved))
	// Output:
	// C2 del 25
	// H1 del 375
	// served 400 of 38295; 7 rows unserved
}
