package allocate

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/fuzzgen"
)

// FuzzLocate builds small problems from the fuzzer's bytes (see
// internal/fuzzgen) and checks that Locate never panics, returns only
// typed errors, and returns plans that hold their own rules.

func FuzzLocate(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{5, 4, 30, 0, 0, 1, 1, 1, 2, 2, 3, 3, 1, 0, 1, 2, 0, 1, 1, 1, 1, 2, 2, 0, 1, 1, 0, 2, 3, 1, 0, 0, 1, 2})
	f.Add([]byte("location-allocation under every objective, capacity and rule"))
	for k := byte(0); k < 7; k++ {
		f.Add([]byte{3, 3, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, k, 2, k, 0})
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in := fuzzgen.NewInput(b)
		r, d := fuzzgen.Region(in)
		p := &Problem{Region: r, Demand: d, Objective: Objective(1 + in.Intn(7)), P: in.Intn(6),
			Capacity: Capacity(in.Intn(3)), Greenfield: in.Bool(), MaxTravel: in.Pick(fuzzgen.Mins...),
			Budget: in.Pick(fuzzgen.Costs...), MaxChanges: in.Intn(3), TravelCost: in.Pick(1, 0, 0.5),
			Keep: fuzzgen.Sites(in, r), Exclude: fuzzgen.Sites(in, r), TravelSource: gst.TravelSource{Travel: fuzzgen.Matrix(in, r), NoEstimate: in.Intn(4) == 0}}
		if in.Bool() {
			p.Services = []ServiceRule{{Service: "s0", Weight: in.Pick(1, 0, 2, -1), Standard: in.Pick(fuzzgen.Mins...), MaxTravel: in.Pick(fuzzgen.Mins...), Sites: fuzzgen.Sites(in, r)}}
		}
		if in.Intn(3) == 0 {
			p.MinCoverage = []CoverageRule{{Province: gst.ProvinceID(fmt.Sprintf("P%d", 1+in.Intn(2))), MinShare: in.Frac()}}
		}
		if in.Intn(4) == 0 {
			p.Decay = &Decay{Outer: in.Pick(fuzzgen.Mins...)}
		}
		opt := &Options{SolveOptions: gst.SolveOptions{TimeLimit: 2 * time.Second}, NoWhy: in.Bool(), Method: Method(in.Intn(3))}
		plan, err := Locate(context.Background(), p, opt)
		if err != nil {
			fuzzgen.TypedErr(t, err)
			return
		}
		if !plan.Status.HasSolution() || plan.Assignment == nil || math.IsNaN(plan.Value) || math.IsNaN(plan.Bound) || !(plan.Gap >= 0) {
			t.Fatalf("plan status %v value %v bound %v gap %v", plan.Status, plan.Value, plan.Bound, plan.Gap)
		}
		// Every allocation goes to a known area and service, at a site the
		// plan has open for the service (which it may open at an
		// establishment that does not offer it today).
		open := 0
		openFor := map[gst.EstablishmentID]map[gst.ServiceID]bool{}
		for _, s := range plan.Sites {
			if s.Open {
				open++
				openFor[s.Site] = map[gst.ServiceID]bool{}
				for _, sv := range s.Services {
					openFor[s.Site][sv] = true
				}
			}
		}
		for _, a := range plan.Assignment.Rows() {
			_, okA := r.Area(a.Area)
			_, okS := r.Service(a.Service)
			if !okA || !okS || !openFor[a.Establishment][a.Service] {
				t.Fatalf("allocation %+v: not to a site open for the service", a)
			}
		}
		if p.Objective.needsP() && p.P > 0 && open != p.P {
			t.Fatalf("%v: %d sites open, P = %d", p.Objective, open, p.P)
		}
		if _, err := json.Marshal(plan); err != nil {
			t.Fatal(err)
		}
		for _, l := range []GeoLayer{GeoSites, GeoAreas, GeoAssignment} {
			if _, err := plan.GeoJSON(l); err != nil {
				t.Fatal(err)
			}
		}
	})
}
