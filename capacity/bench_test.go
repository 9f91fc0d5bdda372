package capacity

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/gstplan/gst"
)

// nationalRegion builds a synthetic region at national scale: nAreas areas
// (about 80 % with a coverage breakdown), nEst establishments offering a
// random subset of nSvc services, with staff of nCat categories. The
// random generator is seeded, so the region is the same on every run.
func nationalRegion(nAreas, nEst, nSvc, nCat int) (*gst.Region, []Rate, []CategoryStandards) {
	rng := rand.New(rand.NewSource(1))
	r := &gst.Region{ID: "MA", Name: "synthetic national"}
	for p := 0; p < 75; p++ {
		r.Provinces = append(r.Provinces, gst.Province{ID: gst.ProvinceID(fmt.Sprintf("P%02d", p))})
	}
	for s := 0; s < nSvc; s++ {
		r.Services = append(r.Services, gst.Service{ID: gst.ServiceID(fmt.Sprintf("S%02d", s))})
	}
	for c := 0; c < nCat; c++ {
		r.Categories = append(r.Categories, gst.Category{ID: gst.CategoryID(fmt.Sprintf("K%02d", c)), HoursPerYear: 1600, AnnualCost: 100000 + 10000*float64(c)})
	}
	for i := 0; i < nAreas; i++ {
		pop := 2000 + rng.Float64()*60000
		a := gst.Area{ID: gst.AreaID(fmt.Sprintf("A%04d", i)), Province: r.Provinces[i%75].ID,
			Lat: 28 + rng.Float64()*8, Lon: -13 + rng.Float64()*11, Population: pop, Year: 2024,
			PastPopulation: pop * (0.8 + rng.Float64()*0.4), PastYear: 2014, Urban: rng.Intn(3) == 0}
		if rng.Intn(5) != 0 {
			amo := 0.4 + rng.Float64()*0.2
			tad := 0.2 + rng.Float64()*0.15
			a.Segments = []gst.Segment{
				{Name: "coverage/amo", Population: pop * amo},
				{Name: "coverage/tadamon", Population: pop * tad},
				{Name: "coverage/uninsured", Population: pop * (1 - amo - tad) * 0.9},
			}
		}
		r.Areas = append(r.Areas, a)
	}
	for i := 0; i < nEst; i++ {
		a := &r.Areas[rng.Intn(nAreas)]
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("E%04d", i)), Level: gst.Levels[rng.Intn(len(gst.Levels))],
			Province: a.Province, Area: a.ID, Lat: a.Lat, Lon: a.Lon, Beds: float64(rng.Intn(200))}
		for s := 0; s < nSvc; s++ {
			if s == 0 || rng.Intn(4) == 0 {
				e.Offers = append(e.Offers, gst.Offer{Service: r.Services[s].ID})
			}
		}
		for c := 0; c < nCat; c++ {
			if rng.Intn(2) == 0 {
				e.Staff = append(e.Staff, gst.Staffing{Category: r.Categories[c].ID, FTE: float64(1 + rng.Intn(30))})
			}
		}
		r.Establishments = append(r.Establishments, e)
	}
	var rates []Rate
	for s := 0; s < nSvc; s++ {
		id := r.Services[s].ID
		rates = append(rates, Rate{Service: id, Setting: UrbanOnly, PerThousand: 50 + rng.Float64()*500},
			Rate{Service: id, Setting: RuralOnly, PerThousand: 30 + rng.Float64()*400})
		if s%2 == 0 {
			rates = append(rates, Rate{Service: id, Segment: "coverage/amo", PerThousand: 60 + rng.Float64()*600},
				Rate{Service: id, Segment: "coverage/tadamon", PerThousand: 40 + rng.Float64()*400})
		}
	}
	wt := WorkingTime{WorkingDays: 260, PublicHolidays: 13, AnnualLeave: 22, SickLeave: 10, OtherLeave: 5, HoursPerDay: 8}
	var stds []CategoryStandards
	for c := 0; c < nCat; c++ {
		cs := CategoryStandards{Category: r.Categories[c].ID, Time: wt,
			Allowances: []CategoryAllowance{{Activity: "meetings", Hours: 2, Per: PerWeek}, {Activity: "records", Percent: 5}},
			Individual: []IndividualAllowance{{Activity: "supervision", Staff: 1, Hours: 4, Per: PerWeek}}}
		for k := 0; k < 3; k++ {
			s := r.Services[(c*3+k)%nSvc].ID
			cs.Services = append(cs.Services, ServiceStandard{Activity: fmt.Sprintf("act%d", k), Service: s, MinutesPerUnit: 10 + float64(rng.Intn(50))})
		}
		stds = append(stds, cs)
	}
	return r, rates, stds
}

// BenchmarkNational computes demand, attributes it through an assignment,
// runs WISN for every establishment and category and builds the gap
// tables, at the scale of Morocco: 1,500 areas, 3,000 establishments, 30
// services, 20 categories. The region, rates, standards and the nearest
// assignment are built outside the timed loop. Besides wall time it
// reports cpu-ms/op, the process CPU time per operation (garbage
// collection included), which a busy shared machine distorts less.
func BenchmarkNational(b *testing.B) {
	const nAreas, nEst, nSvc, nCat = 1500, 3000, 30, 20
	r, rates, stds := nationalRegion(nAreas, nEst, nSvc, nCat)
	svcs := make([]gst.ServiceID, nSvc)
	for i := range svcs {
		svcs[i] = r.Services[i].ID
	}
	ctx := context.Background()
	asg, err := NearestAssignment(ctx, r, svcs, nil)
	if err != nil {
		b.Fatal(err)
	}
	dem0, err := Demand(r, rates, nil)
	if err != nil {
		b.Fatal(err)
	}
	at0, err := Attribute(ctx, r, dem0.Table, asg, nil)
	if err != nil {
		b.Fatal(err)
	}
	w0, err := WISN(r, &WISNInput{Standards: stds, Volumes: at0.Volumes}, nil)
	if err != nil {
		b.Fatal(err)
	}
	need0 := w0.Need()
	check := func(b *testing.B, dem *DemandResult, at *Attribution, w *WISNResult, g *Gaps) {
		if dem != nil && dem.Table.Len() != nAreas*nSvc {
			b.Fatalf("%d demand rows, want %d", dem.Table.Len(), nAreas*nSvc)
		}
		if at != nil && (at.Served <= 0 || at.Served > at.Total*(1+1e-9) || at.Volumes.Len() == 0) {
			b.Fatalf("served %v of %v", at.Served, at.Total)
		}
		if w != nil && (len(w.Rows) == 0 || w.Required <= 0) {
			b.Fatalf("%d WISN rows requiring %v FTE", len(w.Rows), w.Required)
		}
		if g != nil {
			if len(g.Region) != nCat {
				b.Fatalf("%d region gap rows, want %d", len(g.Region), nCat)
			}
			var need float64
			for _, row := range g.Region {
				need += row.Need
			}
			if d := need - w0.Required; d > 1e-6*w0.Required || d < -1e-6*w0.Required {
				b.Fatalf("region need %v != WISN total %v", need, w0.Required)
			}
		}
	}
	run := func(name string, f func(b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			c0, ok := cpuTime()
			b.ResetTimer()
			f(b)
			b.StopTimer()
			if c1, ok2 := cpuTime(); ok && ok2 {
				b.ReportMetric(float64((c1-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}
		})
	}
	run("demand", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dem, err := Demand(r, rates, nil)
			if err != nil {
				b.Fatal(err)
			}
			check(b, dem, nil, nil, nil)
		}
	})
	run("attribute", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			at, err := Attribute(ctx, r, dem0.Table, asg, nil)
			if err != nil {
				b.Fatal(err)
			}
			check(b, nil, at, nil, nil)
		}
	})
	run("wisn", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			w, err := WISN(r, &WISNInput{Standards: stds, Volumes: at0.Volumes}, nil)
			if err != nil {
				b.Fatal(err)
			}
			check(b, nil, nil, w, nil)
		}
	})
	run("gaps", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			g, err := ComputeGaps(r, need0, nil)
			if err != nil {
				b.Fatal(err)
			}
			check(b, nil, nil, nil, g)
		}
	})
	run("steps", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dem, err := Demand(r, rates, nil)
			if err != nil {
				b.Fatal(err)
			}
			at, err := Attribute(ctx, r, dem.Table, asg, nil)
			if err != nil {
				b.Fatal(err)
			}
			w, err := WISN(r, &WISNInput{Standards: stds, Volumes: at.Volumes}, nil)
			if err != nil {
				b.Fatal(err)
			}
			g, err := ComputeGaps(r, w.Need(), nil)
			if err != nil {
				b.Fatal(err)
			}
			check(b, dem, at, w, g)
		}
	})
	run("assess", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			a, err := Assess(ctx, r, &AssessInput{Rates: rates, Standards: stds, Assignment: asg}, nil)
			if err != nil {
				b.Fatal(err)
			}
			check(b, a.Demand, a.Attribution, a.WISN, a.Gaps)
		}
	})
	run("validate", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := r.Validate(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkNearestAssignment builds the default nearest-establishment
// assignment at national scale (travel estimated from coordinates).
func BenchmarkNearestAssignment(b *testing.B) {
	r, _, _ := nationalRegion(1500, 3000, 30, 20)
	svcs := make([]gst.ServiceID, len(r.Services))
	for i := range svcs {
		svcs[i] = r.Services[i].ID
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := NearestAssignment(context.Background(), r, svcs, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(a.Rows()) != 1500*30 {
			b.Fatalf("%d allocations, want %d", len(a.Rows()), 1500*30)
		}
	}
}
