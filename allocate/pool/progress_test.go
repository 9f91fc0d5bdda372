package pool

import (
	"context"
	"math"
	"testing"

	"github.com/gstplan/gst"
)

// Solve reports its progress as its parts are solved: answers that only
// improve, bounds that only tighten, and last the plan's objective and
// bound.
func TestPoolProgress(t *testing.T) {
	r := poolTestRegion(t)
	for _, tc := range []struct {
		name string
		p    *Problem
		m    Method
	}{
		{"flows", poolMidwives(r), Auto},
		{"team search", poolCaesarean(r, false), Auto},
		{"team mip", poolCaesarean(r, false), MIP},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []gst.Progress
			opt := &Options{Method: tc.m, SolveOptions: gst.SolveOptions{Progress: func(p gst.Progress) { got = append(got, p) }}}
			plan, err := Solve(context.Background(), tc.p, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatal("no progress reported")
			}
			for i := 1; i < len(got); i++ {
				a, b := got[i-1], got[i]
				if b.Value > a.Value || b.Bound < a.Bound || b.Elapsed < a.Elapsed {
					t.Errorf("report %d %+v after %+v", i, b, a)
				}
			}
			last := got[len(got)-1]
			if math.Abs(last.Value-plan.Objective) > 1e-9 || math.Abs(last.Bound-plan.Bound) > 1e-9 || last.Gap != plan.Gap {
				t.Errorf("last report %+v, plan objective %v bound %v gap %v", last, plan.Objective, plan.Bound, plan.Gap)
			}
			t.Logf("%d reports: %+v", len(got), got)
		})
	}
}
