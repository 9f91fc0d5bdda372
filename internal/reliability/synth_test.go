package reliability

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gstplan/gst"
)

// synthSpec describes a random region in the north of Morocco: areas and
// establishments scattered around towns, one service "s" offered by every
// establishment with a capacity, and one staff category "c".
type synthSpec struct {
	seed      uint64
	areas     int
	ests      int
	towns     int
	capacity  float64 // capacity of each offer (cases a year); 0: none
	candidate bool    // every establishment is a candidate site
}

// synth builds the region and a demand table of 10 cases per 1,000 people.
func synth(t testing.TB, sp synthSpec) (*gst.Region, *gst.DemandTable) {
	t.Helper()
	rng := rand.New(rand.NewPCG(sp.seed, 17))
	if sp.towns == 0 {
		sp.towns = 30
	}
	type town struct{ lat, lon, spread float64 }
	towns := make([]town, sp.towns)
	for i := range towns {
		towns[i] = town{33.5 + 2*rng.Float64(), -7 + 5*rng.Float64(), 0.03 + 0.2*rng.Float64()}
	}
	at := func() (float64, float64) {
		tw := towns[rng.IntN(len(towns))]
		return tw.lat + rng.NormFloat64()*tw.spread, tw.lon + rng.NormFloat64()*tw.spread
	}
	r := &gst.Region{ID: "S", Name: "synthetic",
		Provinces:  []gst.Province{{ID: "W", Name: "west"}, {ID: "E", Name: "east"}},
		Services:   []gst.Service{{ID: "s", Name: "service", StandardMinutes: 60}},
		Categories: []gst.Category{{ID: "c", Name: "cadre", HoursPerYear: 1600, AnnualCost: 150000}}}
	prov := func(lon float64) gst.ProvinceID {
		if lon < -4.5 {
			return "W"
		}
		return "E"
	}
	var rows []gst.Demand
	for i := 0; i < sp.areas; i++ {
		lat, lon := at()
		id := gst.AreaID(fmt.Sprintf("a%05d", i))
		pop := float64(500 + rng.IntN(20000))
		r.Areas = append(r.Areas, gst.Area{ID: id, Province: prov(lon), Lat: lat, Lon: lon, Population: pop, Urban: rng.IntN(3) == 0})
		rows = append(rows, gst.Demand{Area: id, Service: "s", Volume: math.Round(pop / 100)})
	}
	for j := 0; j < sp.ests; j++ {
		lat, lon := at()
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("e%05d", j)), Level: gst.LocalHospital, Province: prov(lon),
			Lat: lat, Lon: lon, Beds: float64(10 + rng.IntN(60)), Candidate: sp.candidate, Closable: !sp.candidate,
			OpenCost: float64(1 + rng.IntN(9)), Offers: []gst.Offer{{Service: "s", Capacity: sp.capacity}}}
		if sp.candidate {
			e.CloseCost = 0
		} else {
			e.OpenCost = 0
			e.Staff = []gst.Staffing{{Category: "c", FTE: float64(rng.IntN(6))}}
		}
		r.Establishments = append(r.Establishments, e)
	}
	d, err := gst.NewDemandTable(rows)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	return r, d
}
