package pathway

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	gst "github.com/gstplan/gst"
)

// largeCase builds a synthetic region of nAreas areas and nEst
// establishments (80% health centres, then local, provincial, regional and
// university hospitals), each offering the default services its level
// allows, five default pathways, the estimated travel matrix from every
// area to every establishment, and an assignment sending each area to its
// nearest establishments for each service (deliveries split 70/30 between
// the two nearest). Everything is seeded.
func largeCase(tb testing.TB, nAreas, nEst int) (*gst.Region, *Set, Plan) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(2024, 6))
	r := &gst.Region{Services: DefaultServices()}
	for i := 0; i < nAreas; i++ {
		r.Areas = append(r.Areas, gst.Area{ID: gst.AreaID(fmt.Sprintf("area-%04d", i)),
			Province: gst.ProvinceID(fmt.Sprintf("prov-%d", i%9)),
			Lat:      33 + 1.5*rng.Float64(), Lon: -6 + 2*rng.Float64(),
			Population: float64(500 + rng.IntN(20000)), Urban: rng.IntN(4) == 0})
	}
	for j := 0; j < nEst; j++ {
		lv := gst.HealthCentre
		switch x := rng.Float64(); {
		case x > 0.995:
			lv = gst.UniversityHospital
		case x > 0.97:
			lv = gst.RegionalHospital
		case x > 0.92:
			lv = gst.ProvincialHospital
		case x > 0.80:
			lv = gst.LocalHospital
		}
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("est-%04d", j)), Level: lv,
			Lat: 33 + 1.5*rng.Float64(), Lon: -6 + 2*rng.Float64()}
		for _, s := range r.Services {
			if s.MinLevel <= lv {
				e.Offers = append(e.Offers, gst.Offer{Service: s.ID})
			}
		}
		r.Establishments = append(r.Establishments, e)
	}
	set, err := Defaults().Select(Maternal, Emergency, Diabetes, Dialysis, Cancer)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := (&gst.Estimator{}).Matrix(context.Background(), r.AreaPoints(), r.EstablishmentPoints())
	if err != nil {
		tb.Fatal(err)
	}
	var rows []gst.Allocation
	offering := map[gst.ServiceID][]int{}
	for _, s := range set.Services() {
		for j := range r.Establishments {
			if r.Establishments[j].OffersService(s) {
				offering[s] = append(offering[s], j)
			}
		}
	}
	for i, a := range r.Areas {
		for _, s := range set.Services() {
			// The two nearest offering establishments, ties by index.
			best, second := -1, -1
			var bm, sm float64
			for _, j := range offering[s] {
				l, _ := m.At(i, j)
				switch {
				case best < 0 || l.Minutes < bm:
					second, sm = best, bm
					best, bm = j, l.Minutes
				case second < 0 || l.Minutes < sm:
					second, sm = j, l.Minutes
				}
			}
			if s == ServiceDelivery && second >= 0 {
				rows = append(rows,
					gst.Allocation{Area: a.ID, Service: s, Establishment: r.Establishments[best].ID, Share: 0.7},
					gst.Allocation{Area: a.ID, Service: s, Establishment: r.Establishments[second].ID, Share: 0.3})
				continue
			}
			rows = append(rows, gst.Allocation{Area: a.ID, Service: s, Establishment: r.Establishments[best].ID, Share: 1})
		}
	}
	asg, err := gst.NewAssignment(rows)
	if err != nil {
		tb.Fatal(err)
	}
	return r, set, Plan{Name: "nearest", Assignment: asg, Travel: m}
}

// BenchmarkEvaluate evaluates five default pathways (12 steps) over 1,500
// areas and 3,000 establishments with a precomputed travel matrix, and
// with travel estimated inside the call. Inputs are built outside the
// timed loop; each result is checked against WeightedTravel.
func BenchmarkEvaluate(b *testing.B) {
	r, set, plan := largeCase(b, 1500, 3000)
	w, err := Weights(r, set, nil)
	if err != nil {
		b.Fatal(err)
	}
	want, err := WeightedTravel(w, plan.Assignment, plan.Travel)
	if err != nil {
		b.Fatal(err)
	}
	check := func(ev *Evaluation) {
		if !ev.Total.Complete || !near(ev.Objective, want.Minutes) || len(ev.Areas) != 1500 || len(ev.Steps) != 12 {
			b.Fatalf("objective %v, want %v; complete %v; %d areas, %d steps", ev.Objective, want.Minutes, ev.Total.Complete, len(ev.Areas), len(ev.Steps))
		}
	}
	ctx := context.Background()
	b.Run("areas=1500/establishments=3000/pathways=5/matrix", func(b *testing.B) {
		for b.Loop() {
			ev, err := Evaluate(ctx, r, set, plan, nil)
			if err != nil {
				b.Fatal(err)
			}
			check(ev)
		}
	})
	b.Run("areas=1500/establishments=3000/pathways=5/estimated", func(b *testing.B) {
		p := Plan{Name: plan.Name, Assignment: plan.Assignment}
		for b.Loop() {
			ev, err := Evaluate(ctx, r, set, p, nil)
			if err != nil {
				b.Fatal(err)
			}
			check(ev)
		}
	})
}

// BenchmarkComputeFlows computes the flows of the five pathways over
// 1,500 areas.
func BenchmarkComputeFlows(b *testing.B) {
	r, set, _ := largeCase(b, 1500, 3000)
	for b.Loop() {
		f, err := ComputeFlows(r, set, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Rows) != 1500*12 || f.Weights.Len() != 1500*12 {
			b.Fatalf("%d rows, %d weights", len(f.Rows), f.Weights.Len())
		}
	}
}

func TestLargeCaseEvaluationIsComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 150 × 300 region")
	}
	r, set, plan := largeCase(t, 150, 300)
	ev, err := Evaluate(context.Background(), r, set, plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !ev.Total.Complete || len(ev.Unserved) != 0 || len(ev.Unreachable) != 0 {
		t.Fatalf("nearest assignment should be complete: %+v", ev.Total)
	}
	// Nearest assignment: no other plan of single sites has less travel for
	// any area and step, so moving one area's service elsewhere never
	// lowers the objective.
	obj0 := ev.Objective
	rows := append([]gst.Allocation(nil), plan.Assignment.Rows()...)
	for k := range rows {
		if rows[k].Share != 1 {
			continue
		}
		alt := rows
		alt = append([]gst.Allocation(nil), alt...)
		for _, e := range r.Offering(rows[k].Service) {
			if e.ID != rows[k].Establishment {
				alt[k].Establishment = e.ID
				break
			}
		}
		a, err := gst.NewAssignment(alt)
		if err != nil {
			t.Fatal(err)
		}
		ev2, err := Evaluate(context.Background(), r, set, Plan{Assignment: a, Travel: plan.Travel}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ev2.Objective < obj0-1e-6 {
			t.Fatalf("moving %+v lowered the objective %v → %v", rows[k], obj0, ev2.Objective)
		}
		if k > 40 {
			break
		}
	}
}
