package allocate_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
)

// applyRegion: two areas, an existing maternity at H1 (closable) and a
// candidate at N1 that could offer delivery.
func applyRegion() *gst.Region {
	return &gst.Region{
		Areas: []gst.Area{
			{ID: "A1", Lat: 34.0, Lon: -5.0, Population: 1000},
			{ID: "A2", Lat: 34.5, Lon: -5.0, Population: 3000},
		},
		Establishments: []gst.Establishment{
			{ID: "H1", Level: gst.LocalHospital, Lat: 34.0, Lon: -5.0, Closable: true,
				Offers: []gst.Offer{{Service: "delivery", Capacity: 500}, {Service: "consult", Capacity: 9000}}},
			{ID: "N1", Level: gst.LocalHospital, Lat: 34.5, Lon: -5.0, Candidate: true,
				Offers: []gst.Offer{{Service: "delivery"}}},
		},
		Services: []gst.Service{{ID: "delivery"}, {ID: "consult"}},
	}
}

func TestPlanApply(t *testing.T) {
	r := applyRegion()
	demand, _ := gst.NewDemandTable([]gst.Demand{{Area: "A1", Service: "delivery", Volume: 10}, {Area: "A2", Service: "delivery", Volume: 30}})
	plan, err := allocate.Locate(context.Background(), &allocate.Problem{
		Region: r, Demand: demand, Services: []allocate.ServiceRule{{Service: "delivery"}},
		Objective: allocate.PMedian, P: 1, Greenfield: true,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, err := plan.Apply(r, map[gst.ServiceID]float64{"delivery": 1200})
	if err != nil {
		t.Fatal(err)
	}
	h1, _ := after.Establishment("H1")
	n1, _ := after.Establishment("N1")
	// The plan moves delivery to N1 (nearer the larger area).
	if h1.OffersService("delivery") || !h1.OffersService("consult") {
		t.Errorf("H1 offers %v, want consult only", h1.Offers)
	}
	if n1.Candidate || !n1.OffersService("delivery") {
		t.Errorf("N1 = %+v, want an existing establishment offering delivery", n1)
	}
	// The region given is untouched, and the plan's assignment fits the new one.
	if h, _ := r.Establishment("H1"); !h.OffersService("delivery") {
		t.Error("Apply changed the region it was given")
	}
	if err := plan.Assignment.Validate(after); err != nil {
		t.Errorf("assignment against the applied region: %v", err)
	}
	if _, err := plan.Apply(r, map[gst.ServiceID]float64{"delivery": -1}); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("negative capacity: %v", err)
	}
	other := applyRegion()
	other.Establishments = other.Establishments[:1]
	if _, err := plan.Apply(other, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("site missing from the region: %v", err)
	}
}

// A plan that opens a candidate and closes a site: Apply gives the region
// as it would be, which the capacity and pathway packages accept with the
// plan's assignment.
func ExamplePlan_Apply() {
	r := applyRegion()
	demand, _ := gst.NewDemandTable([]gst.Demand{{Area: "A1", Service: "delivery", Volume: 10}, {Area: "A2", Service: "delivery", Volume: 30}})
	plan, err := allocate.Locate(context.Background(), &allocate.Problem{
		Region: r, Demand: demand, Services: []allocate.ServiceRule{{Service: "delivery"}},
		Objective: allocate.PMedian, P: 1, Greenfield: true,
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// N1 already lists delivery among what it could offer, so its offer
	// is kept as it is; capacity applies to services a site did not list.
	after, err := plan.Apply(r, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range after.Establishments {
		fmt.Println(e.ID, "candidate:", e.Candidate, "offers:", e.Offers)
	}
	// Output:
	// H1 candidate: false offers: [{consult 9000}]
	// N1 candidate: false offers: [{delivery 0}]
}
