package transfer

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/fuzzgen"
)

// FuzzTransfer builds small problems from the fuzzer's bytes (see
// allocate/internal/fuzzgen) and checks that Solve never panics, returns
// only typed errors, and returns plans that keep every load within its
// capacity.
func FuzzTransfer(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{4, 3, 1, 1, 2, 2, 1, 0, 1, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25})
	f.Add([]byte("activity transfer with payers, contracts, beds and budgets"))
	f.Fuzz(func(t *testing.T, b []byte) {
		in := fuzzgen.NewInput(b)
		r, d := fuzzgen.Region(in)
		for i := range r.Areas {
			if in.Bool() {
				r.Areas[i].Segments = []gst.Segment{{Name: "coverage/amo", Population: in.Pick(fuzzgen.Pops...)}}
			}
		}
		p := &Problem{Region: r, Demand: d, TravelSource: gst.TravelSource{Travel: fuzzgen.Matrix(in, r), NoEstimate: in.Intn(4) == 0},
			AllowUnserved: in.Bool(), MinuteValueMAD: in.Pick(0, 1, -1), Budget: in.Pick(0, 0, 1e4, 1e9),
			Objective: Objective(in.Intn(2))}
		if in.Bool() {
			p.Payers = []Payer{{ID: "amo", Segment: "coverage/amo"}, {ID: "state"}}
		}
		if in.Bool() {
			p.Services = []Service{{Service: "s0", MaxMinutes: in.Pick(fuzzgen.Mins...), TripsPerCase: in.Pick(0, 2, -1)}}
		}
		for k := in.Intn(3); k > 0; k-- {
			e := r.Establishments[in.Intn(len(r.Establishments))]
			switch in.Intn(4) {
			case 0:
				p.Contracts = append(p.Contracts, Contract{Establishment: e.ID, Service: "s0", MaxVolume: in.Pick(fuzzgen.Caps...),
					MinVolume: in.Pick(0, 0, 50, 1e6), TariffMAD: in.Pick(fuzzgen.Costs...)})
			case 1:
				p.Capacities = append(p.Capacities, Capacity{Establishment: e.ID, Service: "s0", Volume: in.Pick(fuzzgen.Caps...)})
			case 2:
				p.Tariffs = append(p.Tariffs, Tariff{Service: "s0", Establishment: e.ID, PerCaseMAD: in.Pick(fuzzgen.Costs...)})
			default:
				p.Resources = append(p.Resources, Resource{Establishment: e.ID, Resource: "beds", Available: in.Pick(fuzzgen.Caps...)})
			}
		}
		if in.Bool() {
			p.Uses = []Use{{Service: "s0", Resource: "beds", PerCase: in.Pick(0.01, 0, -1)}}
		}
		if in.Intn(4) == 0 {
			p.Referrals = []Referral{{From: r.Establishments[0].ID, Service: "s1", Volume: in.Pick(10, 0, -1)}}
		}
		plan, err := Solve(context.Background(), p, &Options{SolveOptions: gst.SolveOptions{TimeLimit: 2 * time.Second}, ForceLP: in.Intn(4) == 0})
		if err != nil {
			fuzzgen.TypedErr(t, err)
			return
		}
		if !plan.Status.HasSolution() || math.IsNaN(plan.Value) || math.IsNaN(plan.Bound) || !(plan.Gap >= 0) || plan.Unserved < -1e-9 {
			t.Fatalf("plan status %v value %v bound %v gap %v unserved %v", plan.Status, plan.Value, plan.Bound, plan.Gap, plan.Unserved)
		}
		for _, fl := range plan.Flows {
			if !(fl.Volume >= 0) {
				t.Fatalf("flow %+v", fl)
			}
		}
		for _, l := range plan.Loads {
			if l.Capacity != nil && l.Volume > *l.Capacity*(1+1e-6)+1e-6 {
				t.Fatalf("load %+v above its capacity", l)
			}
		}
		if _, err := json.Marshal(plan); err != nil {
			t.Fatal(err)
		}
	})
}
