package transfer

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/gstplan/gst"
)

// xferNational builds a deterministic synthetic instance: nArea areas and
// nEst establishments round 40 towns, one establishment in twenty a public
// hospital offering nSvc−1 hospital services with capacities, one in fifty a
// private clinic under contract for the first of them, every other one a
// health centre offering primary care ("pc", capitated). Areas are split
// between three payers; travel is estimated; hospital services reach
// maxMin minutes, primary care 60.
func xferNational(tb testing.TB, nArea, nEst, nSvc int, maxMin float64) *Problem {
	tb.Helper()
	rng := rand.New(rand.NewSource(77))
	r := &gst.Region{ID: "MA"}
	type town struct{ lat, lon, spread float64 }
	var towns []town
	for i := 0; i < 40; i++ {
		towns = append(towns, town{28 + rng.Float64()*7.5, -12.5 + rng.Float64()*11, 0.05 + rng.Float64()*0.3})
	}
	at := func() (float64, float64) {
		tw := towns[rng.Intn(len(towns))]
		return math.Max(27.6, math.Min(35.9, tw.lat+rng.NormFloat64()*tw.spread)), math.Max(-13.1, math.Min(-1.1, tw.lon+rng.NormFloat64()*tw.spread))
	}
	svcs := []gst.ServiceID{"pc"}
	for s := 1; s < nSvc; s++ {
		svcs = append(svcs, gst.ServiceID(fmt.Sprintf("h%02d", s)))
	}
	for _, s := range svcs {
		r.Services = append(r.Services, gst.Service{ID: s})
	}
	for i := 0; i < nArea; i++ {
		lat, lon := at()
		pop := float64(2000 + rng.Intn(40000))
		amo := math.Floor(pop * (0.2 + 0.4*rng.Float64()))
		tad := math.Floor((pop - amo) * rng.Float64())
		r.Areas = append(r.Areas, gst.Area{ID: gst.AreaID(fmt.Sprintf("A%04d", i)), Lat: lat, Lon: lon, Population: pop,
			Segments: []gst.Segment{{Name: "coverage/amo", Population: amo}, {Name: "coverage/tadamon", Population: tad}}})
	}
	p := &Problem{Region: r,
		Payers:         []Payer{{ID: "amo", Segment: "coverage/amo"}, {ID: "tadamon", Segment: "coverage/tadamon"}, {ID: "state"}},
		MinuteValueMAD: 2,
		Services:       []Service{{Service: "pc", MaxMinutes: 60}},
		Tariffs:        []Tariff{{Service: "pc", PerCaseMAD: 0}},
		Capitations:    []Capitation{{Service: "pc", PerPersonMAD: 150}, {Service: "pc", Payer: "amo", PerPersonMAD: 220}},
	}
	for _, s := range svcs[1:] {
		p.Services = append(p.Services, Service{Service: s, MaxMinutes: maxMin})
		p.Tariffs = append(p.Tariffs, Tariff{Service: s, PerCaseMAD: float64(2000 + rng.Intn(8000))},
			Tariff{Service: s, Payer: "amo", PerCaseMAD: float64(4000 + rng.Intn(8000))})
	}
	var demand []gst.Demand
	totals := make([]float64, len(svcs))
	for _, a := range r.Areas {
		for si, s := range svcs {
			rate := 2.0
			if si > 0 {
				rate = 0.01 + 0.04*rng.Float64()
			}
			v := math.Round(a.Population * rate)
			demand = append(demand, gst.Demand{Area: a.ID, Service: s, Volume: v})
			totals[si] += v
		}
	}
	nHosp := nEst / 20
	for j := 0; j < nEst; j++ {
		lat, lon := at()
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("E%04d", j)), Level: gst.HealthCentre, Lat: lat, Lon: lon}
		switch {
		case j%20 == 0:
			e.Level = gst.ProvincialHospital
			e.Beds = float64(50 + rng.Intn(300))
			for si, s := range svcs[1:] {
				e.Offers = append(e.Offers, gst.Offer{Service: s, Capacity: math.Round(totals[si+1] / float64(nHosp) * (0.6 + 0.8*rng.Float64()))})
			}
		case j%50 == 1:
			e.Level = gst.ProvincialHospital
			e.Ownership = gst.Private
			p.Contracts = append(p.Contracts, Contract{Establishment: e.ID, Service: svcs[len(svcs)-1],
				MaxVolume: math.Round(totals[len(svcs)-1] / float64(nHosp) * 0.5), TariffMAD: float64(6000 + rng.Intn(6000))})
		default:
			e.Offers = []gst.Offer{{Service: "pc"}}
		}
		r.Establishments = append(r.Establishments, e)
	}
	d, err := gst.NewDemandTable(demand)
	if err != nil {
		tb.Fatal(err)
	}
	p.Demand = d
	p.AllowUnserved = true
	if err := r.Validate(); err != nil {
		tb.Fatal(err)
	}
	return p
}

// The national instance: 1,500 areas, 3,000 establishments, four services
// (primary care within an hour, three hospital services within two), three
// payers: one exact transportation problem per service.
func BenchmarkTransferNational(b *testing.B) {
	p := xferNational(b, 1500, 3000, 4, 120)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plan, err := Solve(context.Background(), p, nil)
		if err != nil {
			b.Fatal(err)
		}
		if plan.Status != gst.StatusOptimal || plan.After.PatientMinutes >= plan.Before.PatientMinutes+plan.Before.OverCapacity*1e9 ||
			len(plan.Flows) == 0 || plan.After.OverCapacity != 0 {
			b.Fatalf("status %v, %d flows, after %+v", plan.Status, len(plan.Flows), plan.After)
		}
		if i == 0 {
			b.ReportMetric(float64(plan.Model.Arcs), "arcs")
			b.ReportMetric(plan.Unserved, "unserved")
		}
	}
}

// A region (200 areas, 300 establishments) with beds shared by the
// hospital services: one linear programme.
func BenchmarkTransferRegionBeds(b *testing.B) {
	p := xferNational(b, 200, 300, 4, 120)
	for _, s := range []gst.ServiceID{"h01", "h02", "h03"} {
		p.Uses = append(p.Uses, Use{Service: s, Resource: "beds", PerCase: 0.01})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plan, err := Solve(context.Background(), p, nil)
		if err != nil {
			b.Fatal(err)
		}
		if plan.Status != gst.StatusOptimal || len(plan.Flows) == 0 {
			b.Fatalf("status %v, %d flows", plan.Status, len(plan.Flows))
		}
		if i == 0 {
			b.ReportMetric(float64(plan.Model.LPCols), "columns")
			b.ReportMetric(float64(plan.Model.LPRows), "rows")
		}
	}
}
