package gst_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gstplan/gst"
)

// The 90th percentile of travel, weighted by the people of each area: the
// time within which at least 90% of them travel.
func ExampleWeightedQuantile() {
	minutes := []float64{12, 45, 30, 95}
	people := []float64{5000, 2000, 2500, 500}
	fmt.Println(gst.WeightedQuantile(minutes, people, 0.5), gst.WeightedQuantile(minutes, people, 0.9))
	// Output:
	// 12 45
}

// The most-deprived 20% of the people: all of the douar, and 500 of the
// 1,000 people of the oued, 2,000 in all.
func ExampleMostDeprived() {
	score := func(v float64) *float64 { return &v }
	areas := []gst.Area{
		{ID: "ville", Population: 6000, Deprivation: score(0.2)},
		{ID: "douar", Population: 1500, Deprivation: score(0.9)},
		{ID: "oued", Population: 1000, Deprivation: score(0.7)},
		{ID: "plateau", Population: 1500, Deprivation: score(0.4)},
	}
	deprived, err := gst.MostDeprived(areas, 0.2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, a := range areas {
		if deprived[i] > 0 {
			fmt.Printf("%s: %.0f people\n", a.ID, deprived[i]*a.Population)
		}
	}
	// Output:
	// douar: 1500 people
	// oued: 500 people
}

// Today's catchments: every area goes to the public establishment quickest
// to reach that offers the service.
func ExampleAssignNearest() {
	r := &gst.Region{ID: "R",
		Areas: []gst.Area{{ID: "azrou", Lat: 33.44, Lon: -5.22, Population: 1}, {ID: "timahdite", Lat: 33.27, Lon: -5.03, Population: 1}},
		Establishments: []gst.Establishment{
			{ID: "hp-azrou", Level: gst.ProvincialHospital, Lat: 33.44, Lon: -5.21, Offers: []gst.Offer{{Service: "delivery"}}},
			{ID: "cs-timahdite", Level: gst.HealthCentre, Lat: 33.27, Lon: -5.04, Offers: []gst.Offer{{Service: "delivery"}}},
		},
		Services: []gst.Service{{ID: "delivery"}},
	}
	m, err := gst.TravelSource{}.Matrix(context.Background(), r, r.AreaIDs(), r.EstablishmentIDs())
	if err != nil {
		fmt.Println(err)
		return
	}
	asg, err := gst.AssignNearest(context.Background(), r, m, []gst.ServiceID{"delivery"}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range asg.Rows() {
		fmt.Println(a.Area, "→", a.Establishment)
	}
	// Output:
	// azrou → hp-azrou
	// timahdite → cs-timahdite
}

// A decision that finds several reasons why its rules cannot hold returns
// them all; InfeasibleCauses lists them.
func ExampleInfeasibleCauses() {
	err := errors.Join(
		&gst.InfeasibleError{Op: "allocate: pool", Rule: "required team", Establishment: "H2", Category: "anaesthetist",
			Amount: 1, Unit: "FTE", Reason: "no anaesthetist within the commute"},
		&gst.InfeasibleError{Op: "allocate: pool", Rule: "minimum staff", Establishment: "C3", Category: "midwife",
			Amount: 0.5, Unit: "FTE", Reason: "C3 is over an hour from everyone"})
	fmt.Println(errors.Is(err, gst.ErrInfeasible))
	for _, c := range gst.InfeasibleCauses(err) {
		fmt.Printf("%s at %s: %g %s of %s\n", c.Rule, c.Establishment, c.Amount, c.Unit, c.Category)
	}
	// Output:
	// true
	// required team at H2: 1 FTE of anaesthetist
	// minimum staff at C3: 0.5 FTE of midwife
}

// Check finds places that are valid but implausible: here a hospital whose
// latitude and longitude were swapped.
func ExampleRegion_Check() {
	r := &gst.Region{ID: "R",
		Areas: []gst.Area{{ID: "azrou", Lat: 33.44, Lon: -5.22, Population: 1}, {ID: "ifrane", Lat: 33.53, Lon: -5.11, Population: 1},
			{ID: "timahdite", Lat: 33.27, Lon: -5.03, Population: 1}},
		Establishments: []gst.Establishment{{ID: "h1", Name: "Hôpital 20 Août", Level: gst.ProvincialHospital, Lat: -5.21, Lon: 33.44}},
	}
	warnings, err := r.Check()
	fmt.Println(err)
	for _, w := range warnings {
		fmt.Println(w.Kind, "|", w)
	}
	// Output:
	// <nil>
	// swapped lat/lon | establishment "h1" (Hôpital 20 Août): lat: latitude and longitude look swapped: (lat -5.21, lon 33.44) lies 5891 km from the nearest area of the region; swapped, it would be 0.928 km from area "azrou"
}

// A table of travel weights counts trips, not cases: allocate refuses to
// compare it with capacities.
func ExampleDemandTable_WithUnit() {
	d, _ := gst.NewDemandTable([]gst.Demand{{Area: "a1", Service: "caesarean", Volume: 300}})
	trips, _ := d.WithUnit(gst.Trips)
	fmt.Println(d.Unit(), trips.Unit(), trips.Volume("a1", "caesarean"))
	// Output: cases trips 300
}
