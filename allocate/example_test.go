package allocate_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
)

// exampleRegion is a small mountain province: eight communes, a provincial
// hospital that stays, two health centres that may close, and two
// candidate sites. Travel is given in minutes (and km) by a matrix.
func exampleRegion() (*gst.Region, *gst.DemandTable) {
	r := &gst.Region{
		ID: "X", Name: "example province",
		Provinces: []gst.Province{{ID: "north"}, {ID: "south"}},
		Services: []gst.Service{
			{ID: "delivery", Unit: "delivery", StandardMinutes: 60},
			{ID: "caesarean", Unit: "delivery", MinLevel: gst.LocalHospital, StandardMinutes: 120},
		},
	}
	type a struct {
		id       string
		province string
		lat, lon float64
		pop      float64
	}
	areas := []a{
		{"a1", "north", 33.50, -5.20, 60000}, {"a2", "north", 33.55, -5.05, 14000}, {"a3", "north", 33.62, -4.98, 12000},
		{"a4", "north", 33.45, -5.40, 9000}, {"a5", "south", 33.27, -5.35, 9000}, {"a6", "south", 33.11, -5.16, 16000},
		{"a7", "south", 32.97, -5.18, 10000}, {"a8", "south", 33.27, -5.03, 11500},
	}
	for _, x := range areas {
		r.Areas = append(r.Areas, gst.Area{ID: gst.AreaID(x.id), Province: gst.ProvinceID(x.province), Lat: x.lat, Lon: x.lon, Population: x.pop})
	}
	r.Establishments = []gst.Establishment{
		{ID: "H1", Name: "Provincial hospital", Level: gst.ProvincialHospital, Province: "north", Lat: 33.44, Lon: -5.21,
			Offers: []gst.Offer{{Service: "delivery", Capacity: 3000}, {Service: "caesarean", Capacity: 800}}},
		{ID: "C1", Name: "Health centre Ain", Level: gst.HealthCentre, Province: "south", Lat: 33.27, Lon: -5.36, Closable: true, CloseCost: 2e6,
			Offers: []gst.Offer{{Service: "delivery", Capacity: 400}}},
		{ID: "C2", Name: "Health centre Tim", Level: gst.HealthCentre, Province: "south", Lat: 33.27, Lon: -5.03, Closable: true, CloseCost: 1e6,
			Offers: []gst.Offer{{Service: "delivery", Capacity: 300}}},
		{ID: "N1", Name: "Candidate local hospital", Level: gst.LocalHospital, Province: "south", Lat: 33.11, Lon: -5.16, Candidate: true, OpenCost: 30e6,
			Offers: []gst.Offer{{Service: "delivery", Capacity: 1500}, {Service: "caesarean", Capacity: 400}}},
		{ID: "N2", Name: "Candidate centre", Level: gst.HealthCentre, Province: "north", Lat: 33.60, Lon: -5.00, Candidate: true, OpenCost: 8e6,
			Offers: []gst.Offer{{Service: "delivery", Capacity: 300}}},
	}
	// Minutes from each area to H1, C1, C2, N1, N2.
	minutes := [][]float64{
		{8, 35, 40, 45, 30}, {25, 55, 50, 60, 12}, {75, 90, 85, 95, 5}, {30, 15, 60, 55, 45},
		{40, 5, 45, 35, 70}, {45, 35, 25, 5, 65}, {80, 75, 70, 20, 95}, {45, 50, 5, 25, 60},
	}
	var entries []gst.MatrixEntry
	for i, row := range minutes {
		for j, m := range row {
			entries = append(entries, gst.MatrixEntry{From: string(r.Areas[i].ID), To: string(r.Establishments[j].ID), Minutes: m, Km: m * 0.8})
		}
	}
	r.Travel, _ = gst.MatrixFromEntries(entries)
	var rows []gst.Demand
	for _, x := range r.Areas {
		rows = append(rows,
			gst.Demand{Area: x.ID, Service: "delivery", Volume: 0.017 * x.Population},
			gst.Demand{Area: x.ID, Service: "caesarean", Volume: 0.003 * x.Population})
	}
	d, _ := gst.NewDemandTable(rows)
	return r, d
}

// summary prints the key lines of a plan.
func summary(pl *allocate.Plan) {
	fmt.Printf("%s by %s: %s, value %.6g, gap %.2g\n", pl.Objective, pl.Method, pl.Status, pl.Value, pl.Gap)
	var open []string
	for _, s := range pl.Sites {
		if s.Open {
			open = append(open, fmt.Sprintf("%s (%s)", s.Site, s.Change))
		}
	}
	fmt.Println("open:", strings.Join(open, ", "))
}

// A GST locates deliveries: the provincial hospital stays, the two health
// centres may close, two candidate sites may open, and the plan has three
// sites. Each area goes to its nearest open site.
func ExampleLocate() {
	r, d := exampleRegion()
	p := &allocate.Problem{
		Region:    r,
		Demand:    d,
		Services:  []allocate.ServiceRule{{Service: "delivery"}},
		Objective: allocate.PMedian,
		P:         3,
	}
	pl, err := allocate.Locate(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	summary(pl)
	fmt.Printf("changes %d, cost %.0f MAD\n", pl.Changes, pl.ChangeCost)
	b, a := pl.Before[0], pl.After[0]
	fmt.Printf("mean travel %.1f → %.1f min, 90th percentile %.0f → %.0f, worst %.0f → %.0f\n",
		b.MeanTravel, a.MeanTravel, b.P90Travel, a.P90Travel, b.MaxTravel, a.MaxTravel)
	fmt.Printf("people beyond 60 min %.0f → %.0f\n", b.PeopleBeyond, a.PeopleBeyond)
	for _, row := range pl.Assignment.Rows() {
		fmt.Printf("%s→%s ", row.Area, row.Establishment)
	}
	fmt.Println()
	// Output:
	// p-median by p-median engine (Lagrangian bound, vertex substitution, branch and bound): optimal, value 31628.5, gap 0
	// open: H1 (stays), N1 (opens), N2 (opens)
	// changes 4, cost 41000000 MAD
	// mean travel 21.7 → 13.1 min, 90th percentile 70 → 30, worst 75 → 35
	// people beyond 60 min 22000 → 0
	// a1→H1 a2→N2 a3→N2 a4→H1 a5→N1 a6→N1 a7→N1 a8→N1
}

// The p-center objective minimises the longest travel; the second stage
// then picks, among plans with that longest travel, the one of least
// total travel.
func Example_pCenter() {
	r, d := exampleRegion()
	p := &allocate.Problem{Region: r, Demand: d, Services: []allocate.ServiceRule{{Service: "delivery"}},
		Objective: allocate.PCenter, P: 3, Greenfield: true}
	pl, err := allocate.Locate(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	summary(pl)
	fmt.Printf("longest travel %.0f min, bound %.0f\n", pl.After[0].MaxTravel, pl.Bound)
	// Output:
	// p-center by covering sequence (binary search over radii): optimal, value 30, gap 0
	// open: C1 (stays), N1 (opens), N2 (opens)
	// longest travel 30 min, bound 30
}

// Set covering: the fewest sites such that every commune is within the
// one-hour standard of deliveries.
func Example_setCovering() {
	r, d := exampleRegion()
	p := &allocate.Problem{Region: r, Demand: d, Services: []allocate.ServiceRule{{Service: "delivery"}},
		Objective: allocate.SetCovering, Greenfield: true}
	pl, err := allocate.Locate(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	summary(pl)
	fmt.Printf("covered %.0f%%\n", 100*pl.After[0].Covered)
	// Output:
	// set covering by mip: covering formulation: optimal, value 2, gap 0
	// open: N1 (opens), N2 (opens)
	// covered 100%
}

// Maximal coverage with two sites and a standard of 30 minutes, first
// strict, then with coverage fading linearly to nothing at 60 minutes.
func Example_maxCoverage() {
	r, d := exampleRegion()
	for _, decay := range []*allocate.Decay{nil, {Outer: 60}} {
		p := &allocate.Problem{Region: r, Demand: d,
			Services:  []allocate.ServiceRule{{Service: "delivery", Standard: 30}},
			Objective: allocate.MaxCoverage, P: 2, Greenfield: true, Decay: decay}
		pl, err := allocate.Locate(context.Background(), p, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		summary(pl)
		fmt.Printf("covered %.1f of %.1f deliveries\n", pl.Value, pl.After[0].Demand)
	}
	// Output:
	// maximal coverage by mip: radius formulation: optimal, value 2099.5, gap 0
	// open: N1 (opens), N2 (opens)
	// covered 2099.5 of 2405.5 deliveries
	// maximal coverage by mip: radius formulation: optimal, value 2303.5, gap 0
	// open: N1 (opens), N2 (opens)
	// covered 2303.5 of 2405.5 deliveries
}

// Backup coverage: among the plans with three sites that cover the most
// deliveries within 45 minutes, the one that covers the most twice.
func Example_backupCoverage() {
	r, d := exampleRegion()
	p := &allocate.Problem{Region: r, Demand: d,
		Services:  []allocate.ServiceRule{{Service: "delivery", Standard: 45}},
		Objective: allocate.BackupCoverage, P: 3, Greenfield: true}
	pl, err := allocate.Locate(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	summary(pl)
	// Output:
	// backup coverage by mip: backup coverage formulation: optimal, value 2031.5, gap 0
	// open: H1 (stays), N1 (opens), N2 (opens)
}

// Capacities bind and each commune goes to one site: the plan respects
// the annual capacity of each site, and the marginal value of capacity
// says where one more delivery a year would save the most travel.
func Example_capacities() {
	r, d := exampleRegion()
	p := &allocate.Problem{Region: r, Demand: d, Services: []allocate.ServiceRule{{Service: "delivery"}},
		Objective: allocate.PMedian, P: 3, Capacity: allocate.SingleSource}
	pl, err := allocate.Locate(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	summary(pl)
	for _, s := range pl.After[0].Sites {
		fmt.Printf("%s load %.0f of %.0f (%.0f%%)\n", s.Site, s.Load, s.Capacity, 100*s.Utilisation)
	}
	for _, v := range pl.CapacityValues {
		fmt.Printf("%s: %.1f minutes saved per extra delivery\n", v.Site, v.Value)
	}
	// Output:
	// p-median by capacitated engine (Lagrangian relaxation and branch and bound): optimal, value 34722.5, gap 0
	// open: H1 (stays), N1 (opens), N2 (opens)
	// H1 load 1411 of 3000 (47%)
	// N1 load 790 of 1500 (53%)
	// N2 load 204 of 300 (68%)
	// H1: 0.0 minutes saved per extra delivery
	// N1: 0.0 minutes saved per extra delivery
	// N2: 13.0 minutes saved per extra delivery
}

// Fixed charge: opening and closing costs against the value of travel
// (here 1,000 MAD per delivery-minute a year, over the life of the sites),
// within a budget of 10 million dirhams.
func Example_fixedCharge() {
	r, d := exampleRegion()
	p := &allocate.Problem{Region: r, Demand: d, Services: []allocate.ServiceRule{{Service: "delivery"}},
		Objective: allocate.FixedCharge, TravelCost: 1000, Budget: 10e6}
	pl, err := allocate.Locate(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	summary(pl)
	fmt.Printf("spent %.0f MAD; travel %.0f delivery-minutes a year\n", pl.ChangeCost, pl.WeightedTravel)
	// Output:
	// fixed charge by mip: radius formulation: optimal, value 4.27735e+07, gap 0
	// open: C1 (stays), C2 (stays), H1 (stays), N2 (opens)
	// spent 8000000 MAD; travel 34774 delivery-minutes a year
}

// Equity rules: every commune within 45 minutes of its site, and in each
// province at least 90% of the deliveries within 30 minutes. Deliveries
// and caesareans are located together: a site chosen serves both, and
// caesareans weigh three times as much per trip.
func Example_equity() {
	r, d := exampleRegion()
	p := &allocate.Problem{Region: r, Demand: d,
		Services: []allocate.ServiceRule{
			{Service: "delivery", Standard: 30, MaxTravel: 45},
			{Service: "caesarean", Weight: 3},
		},
		Objective:   allocate.PMedian,
		P:           3,
		Greenfield:  true,
		MinCoverage: []allocate.CoverageRule{{Service: "delivery", MinShare: 0.9}},
	}
	pl, err := allocate.Locate(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	summary(pl)
	for _, f := range pl.After {
		fmt.Printf("%s: worst %.0f min;", f.Service, f.MaxTravel)
		for _, pf := range f.Provinces {
			fmt.Printf(" %s %.0f%%", pf.Province, 100*pf.Covered)
		}
		fmt.Println()
	}
	// Output:
	// p-median by mip: radius formulation: optimal, value 101701, gap 0
	// open: C1 (stays), N1 (opens), N2 (opens)
	// caesarean: worst 95 min; north 100% south 100%
	// delivery: worst 30 min; north 100% south 100%
}

// Invalid input and rules no plan can satisfy are all reported before
// anything is solved.
func ExampleLocate_infeasible() {
	r, d := exampleRegion()
	p := &allocate.Problem{Region: r, Demand: d, Services: []allocate.ServiceRule{{Service: "caesarean"}},
		Objective: allocate.PMedian, P: 2, MaxTravel: 20, Exclude: []gst.EstablishmentID{"H1"}}
	_, err := allocate.Locate(context.Background(), p, nil)
	fmt.Println(errors.Is(err, gst.ErrInvalid), errors.Is(err, gst.ErrInfeasible))
	fmt.Println(err)
	p.Exclude = nil
	_, err = allocate.Locate(context.Background(), p, nil)
	for _, ie := range gst.InfeasibleCauses(err) {
		fmt.Println(ie.Rule, ie.Service, ie.Areas)
	}
	// Output:
	// true false
	// exclude[0]: site: establishment "H1" is open today and not closable; it cannot be excluded (mark it closable or set Greenfield)
	// max travel caesarean [a2 a3 a4 a5 a8]
}

// The plan as GeoJSON for a GIS: the sites as points, with their state
// today and in the plan, one line each.
func ExamplePlan_WriteGeoJSON() {
	r, d := exampleRegion()
	p := &allocate.Problem{Region: r, Demand: d, Services: []allocate.ServiceRule{{Service: "delivery"}},
		Objective: allocate.PMedian, P: 2, Greenfield: true}
	pl, err := allocate.Locate(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	if err := pl.WriteGeoJSON(&b, allocate.GeoSites); err != nil {
		fmt.Println(err)
		return
	}
	lines := strings.Split(b.String(), "\n")
	fmt.Println(strings.Join(lines[:3], "\n"))
	_ = os.Stdout
	// Output:
	// {"type":"FeatureCollection","features":[
	// {"type":"Feature","geometry":{"type":"Point","coordinates":[-5.36,33.27]},"properties":{"candidate":false,"change":"closes","cost_mad":2000000,"name":"Health centre Ain","open":false,"province":"south","rule":"","services":"delivery","site":"C1","today":true}},
	// {"type":"Feature","geometry":{"type":"Point","coordinates":[-5.03,33.27]},"properties":{"candidate":false,"change":"closes","cost_mad":1000000,"name":"Health centre Tim","open":false,"province":"south","rule":"","services":"delivery","site":"C2","today":true}},
}

// Why: what forcing or forbidding each site would cost, re-solved.
func ExamplePlan_siteCosts() {
	r, d := exampleRegion()
	p := &allocate.Problem{Region: r, Demand: d, Services: []allocate.ServiceRule{{Service: "delivery"}},
		Objective: allocate.PMedian, P: 3}
	pl, err := allocate.Locate(context.Background(), p, &allocate.Options{SiteCosts: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("plan %.1f\n", pl.Value)
	for _, c := range pl.SiteCosts {
		change := "forcing open"
		if c.Open {
			change = "forbidding"
		}
		fmt.Printf("%s %s: %+.1f (bound %.1f from %s)\n", change, c.Site, c.Delta, c.Bound, c.BoundMethod)
	}
	// Output:
	// plan 31628.5
	// forcing open C1: +10489.0 (bound 42117.5 from re-solve)
	// forcing open C2: +10795.0 (bound 42423.5 from re-solve)
	// forbidding N1: +10795.0 (bound 42423.5 from re-solve)
	// forbidding N2: +10489.0 (bound 42117.5 from re-solve)
}

// "At most two changes, each only if it pays": the number of sites is left
// free, and Sweep shows what each change gains and costs, so that a
// committee sees where the gains stop.
func ExampleSweep() {
	r, d := exampleRegion()
	p := &allocate.Problem{Region: r, Demand: d, Services: []allocate.ServiceRule{{Service: "delivery"}},
		Objective: allocate.PMedian, MaxChanges: 2}
	steps, err := allocate.Sweep(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range steps {
		var open []string
		for _, site := range s.Plan.Sites {
			if site.Change == allocate.Opens {
				open = append(open, string(site.Site))
			}
		}
		fmt.Printf("at most %d: open %v, %.0f MAD, %.1f weighted minutes\n", s.MaxChanges, open, s.Plan.ChangeCost, s.Plan.Value)
	}
	// Output:
	// at most 0: open [], 0 MAD, 52147.5 weighted minutes
	// at most 1: open [N2], 8000000 MAD, 34773.5 weighted minutes
	// at most 2: open [N1 N2], 38000000 MAD, 20833.5 weighted minutes
}
