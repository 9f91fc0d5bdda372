package transfer_test

import (
	"context"
	"fmt"
	"log"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/transfer"
)

// xferExampleRegion is a province with three communes (two of them
// split by health coverage), a regional hospital R1, a provincial hospital
// H1 and a private clinic K1, with the travel between them.
func xferExampleRegion() *gst.Region {
	r := &gst.Region{ID: "X",
		Areas: []gst.Area{
			{ID: "A1", Lat: 34.0, Lon: -5.0, Population: 10000, Segments: []gst.Segment{{Name: "coverage/amo", Population: 6000}, {Name: "coverage/tadamon", Population: 3000}}},
			{ID: "A2", Lat: 34.2, Lon: -5.1, Population: 5000, Segments: []gst.Segment{{Name: "coverage/amo", Population: 1000}, {Name: "coverage/tadamon", Population: 4000}}},
			{ID: "A3", Lat: 34.4, Lon: -5.4, Population: 2000},
		},
		Services: []gst.Service{{ID: "surgery", Unit: "admission"}},
		Establishments: []gst.Establishment{
			{ID: "R1", Level: gst.RegionalHospital, Lat: 34.0, Lon: -5.0, Beds: 8, Offers: []gst.Offer{{Service: "surgery", Capacity: 400}}},
			{ID: "H1", Level: gst.ProvincialHospital, Lat: 34.2, Lon: -5.1, Beds: 2, Offers: []gst.Offer{{Service: "surgery", Capacity: 100}}},
			{ID: "K1", Level: gst.ProvincialHospital, Ownership: gst.Private, Lat: 34.3, Lon: -5.2, Beds: 3},
		},
	}
	var legs []gst.MatrixEntry
	for k, m := range map[[2]string]float64{
		{"A1", "R1"}: 5, {"A1", "H1"}: 30, {"A1", "K1"}: 40,
		{"A2", "R1"}: 30, {"A2", "H1"}: 5, {"A2", "K1"}: 15,
		{"A3", "R1"}: 80, {"A3", "H1"}: 50, {"A3", "K1"}: 25,
	} {
		legs = append(legs, gst.MatrixEntry{From: k[0], To: k[1], Minutes: m, Km: m})
	}
	r.Travel, _ = gst.MatrixFromEntries(legs)
	return r
}

func xferExampleProblem() *transfer.Problem {
	demand, err := gst.NewDemandTable([]gst.Demand{
		{Area: "A1", Service: "surgery", Volume: 300}, {Area: "A2", Service: "surgery", Volume: 200}, {Area: "A3", Service: "surgery", Volume: 100},
	})
	if err != nil {
		log.Fatal(err)
	}
	return &transfer.Problem{
		Region:   xferExampleRegion(),
		Demand:   demand,
		Services: []transfer.Service{{Service: "surgery", MaxMinutes: 60}},
		Payers:   []transfer.Payer{{ID: "amo", Segment: "coverage/amo"}, {ID: "tadamon", Segment: "coverage/tadamon"}, {ID: "state"}},
		// The clinic takes up to 150 cases a year at 9,000 MAD a case.
		Contracts: []transfer.Contract{{Establishment: "K1", Service: "surgery", MaxVolume: 150, TariffMAD: 9000}},
		Tariffs: []transfer.Tariff{
			{Service: "surgery", PerCaseMAD: 6000},
			{Service: "surgery", Payer: "amo", PerCaseMAD: 8000},
		},
		MinuteValueMAD: 5, // a patient minute is worth 5 MAD
	}
}

// 600 operations a year, 500 of public capacity: where does each commune
// go, who pays what, and what would one more case of capacity be worth?
func ExampleSolve() {
	plan, err := transfer.Solve(context.Background(), xferExampleProblem(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(plan.Status, "by", plan.Method)
	for _, l := range plan.Loads {
		fmt.Printf("%s: %.0f cases, %.0f%% of capacity; one more case of capacity saves %.0f MAD\n",
			l.Establishment, l.Volume, 100**l.Utilisation, l.ValuePerUnit)
	}
	for _, row := range plan.Assignment.Rows() {
		fmt.Printf("%s → %s: %.2f\n", row.Area, row.Establishment, row.Share)
	}
	for _, p := range plan.Payers {
		fmt.Printf("%s pays %.0f MAD for %.0f cases\n", p.Payer, p.TotalMAD, p.Cases)
	}
	fmt.Printf("today: %.0f cases over capacity, mean trip %.1f min; plan: %.0f over, mean trip %.1f min\n",
		plan.Before.OverCapacity, plan.Before.MeanMinutes, plan.After.OverCapacity, plan.After.MeanMinutes)
	// AMO pays public hospitals 8,000 MAD a case, close to the clinic's
	// 9,000: its members are the ones sent to the clinic.

	// Output:
	// optimal by network simplex (1 services)
	// H1: 100 cases, 100% of capacity; one more case of capacity saves 1600 MAD
	// K1: 100 cases, 67% of capacity; one more case of capacity saves 0 MAD
	// R1: 400 cases, 100% of capacity; one more case of capacity saves 1350 MAD
	// A1 → K1: 0.20
	// A1 → R1: 0.80
	// A2 → K1: 0.20
	// A2 → R1: 0.80
	// A3 → H1: 1.00
	// amo pays 1860000 MAD for 220 cases
	// state pays 780000 MAD for 130 cases
	// tadamon pays 1500000 MAD for 250 cases
	// today: 200 cases over capacity, mean trip 12.5 min; plan: 0 over, mean trip 23.3 min
}

// Beds shared by services make one linear programme; the worth of a bed
// comes from its dual.
func ExampleSolve_beds() {
	p := xferExampleProblem()
	// A surgical case occupies 1/60 of a bed over the year (5 days at
	// 83% occupancy); R1 has 8 beds of which 6 are for surgery (360
	// cases), H1 2 (120), K1 3 (180).
	p.Uses = []transfer.Use{{Service: "surgery", Resource: "beds", PerCase: 1.0 / 60}}
	p.Resources = []transfer.Resource{{Establishment: "R1", Resource: "beds", Available: 6}}
	plan, err := transfer.Solve(context.Background(), p, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(plan.Method)
	for _, r := range plan.Resources {
		fmt.Printf("%s %s: %.1f of %.0f used; one more saves %.0f MAD a year\n", r.Establishment, r.Resource, r.Used, r.Available, r.ValuePerUnit)
	}
	// A bed at R1 is 60 cases a year that would not go to the clinic.

	// Output:
	// linear programme (shared resources)
	// H1 beds: 1.7 of 2 used; one more saves 0 MAD a year
	// K1 beds: 2.3 of 3 used; one more saves 0 MAD a year
	// R1 beds: 6.0 of 6 used; one more saves 81000 MAD a year
}

// When the rules leave demand without a provider, the error says which
// demand and why.
func ExampleSolve_infeasible() {
	p := xferExampleProblem()
	p.Services[0].MaxMinutes = 20
	_, err := transfer.Solve(context.Background(), p, nil)
	for _, c := range gst.InfeasibleCauses(err) {
		fmt.Printf("%s: %s\n", c.Rule, c.Reason)
	}
	// With AllowUnserved the plan serves what it can.
	p.AllowUnserved = true
	plan, err := transfer.Solve(context.Background(), p, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("unserved: %.0f cases\n", plan.Unserved)
	// Output:
	// max travel: 100 cases a year of "surgery" from A3 have no provider within reach (20 min): the nearest to A3 is K1, 25 min away
	// unserved: 100 cases
}

// Without equal treatment the payer decides: AMO's members of A1 and A2
// go to the clinic, the others stay public, and the plan says so. With
// Problem.EqualTreatment every payer's patients of a commune go to the same
// providers in the same shares.
func ExampleSolve_equalTreatment() {
	p := xferExampleProblem()
	plan, err := transfer.Solve(context.Background(), p, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range plan.PayerSplits {
		fmt.Printf("%s, %s: payers' shares differ by up to %.2f:", s.Origin, s.Service, s.Difference)
		for _, sh := range s.Shares {
			fmt.Printf(" %s→%s %.2f", sh.Payer, sh.Establishment, sh.Share)
		}
		fmt.Println()
	}
	fmt.Printf("cost %.0f MAD a year\n", plan.CostMAD)

	p.EqualTreatment = true
	plan, err = transfer.Solve(context.Background(), p, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("equal treatment: %d communes where the payer decides; cost %.0f MAD a year\n", len(plan.PayerSplits), plan.CostMAD)
	for _, row := range plan.Assignment.Rows() {
		fmt.Printf("%s → %s: %.2f\n", row.Area, row.Establishment, row.Share)
	}
	// Output:
	// A1, surgery: payers' shares differ by up to 0.33: amo→K1 0.33 amo→R1 0.67 state→R1 1.00 tadamon→R1 1.00
	// A2, surgery: payers' shares differ by up to 1.00: amo→K1 1.00 tadamon→R1 1.00
	// cost 4140000 MAD a year
	// equal treatment: 0 communes where the payer decides; cost 4220000 MAD a year
	// A1 → K1: 0.33
	// A1 → R1: 0.67
	// A2 → R1: 1.00
	// A3 → H1: 1.00
}
