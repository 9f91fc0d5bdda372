package allocate

import (
	"context"
	"math"
	"testing"

	"github.com/gstplan/gst"
)

// Locate reports the primary objective's progress: answers that only
// improve, bounds that only tighten, and a last report that is the plan's
// value and bound.
func TestLocateProgress(t *testing.T) {
	r, dt := synth(t, synthSpec{seed: 7, areas: 60, sites: 14, candidates: 0.3, closable: 0.5, intTravel: true})
	rc, dtc := synth(t, synthSpec{seed: 8, areas: 40, sites: 10, capacity: true, intTravel: true})
	for _, tc := range []struct {
		name   string
		p      *Problem
		method string
	}{
		{"p-median engine", &Problem{Region: r, Demand: dt, Objective: PMedian, P: 4, Greenfield: true}, "p-median engine"},
		{"capacitated engine", &Problem{Region: rc, Demand: dtc, Objective: PMedian, P: 4, Capacity: SplitDemand, Greenfield: true}, "capacitated engine"},
		{"mip", &Problem{Region: r, Demand: dt, Objective: PMedian, P: 4, Budget: 8, Greenfield: true}, "mip"},
		{"max coverage", &Problem{Region: r, Demand: dt, Objective: MaxCoverage, P: 3, Greenfield: true}, "mip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []gst.Progress
			o := &Options{SolveOptions: gst.SolveOptions{Progress: func(p gst.Progress) { got = append(got, p) }}}
			plan, err := Locate(context.Background(), tc.p, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Method) < len(tc.method) || plan.Method[:len(tc.method)] != tc.method {
				t.Fatalf("method %q, want %q", plan.Method, tc.method)
			}
			if len(got) == 0 {
				t.Fatal("no progress reported")
			}
			maxim := tc.p.Objective == MaxCoverage
			for i := 1; i < len(got); i++ {
				a, b := got[i-1], got[i]
				worse := b.Value > a.Value
				looser := b.Bound < a.Bound
				if maxim {
					worse, looser = b.Value < a.Value, b.Bound > a.Bound
				}
				if worse || looser || b.Elapsed < a.Elapsed {
					t.Errorf("report %d %+v after %+v", i, b, a)
				}
			}
			last := got[len(got)-1]
			if math.Abs(last.Value-plan.Value) > 1e-9*math.Max(1, math.Abs(plan.Value)) || math.Abs(last.Bound-plan.Bound) > 1e-6*math.Max(1, math.Abs(plan.Bound)) {
				t.Errorf("last report %+v, plan value %v bound %v", last, plan.Value, plan.Bound)
			}
			t.Logf("%d reports, last %+v", len(got), last)
		})
	}
}
