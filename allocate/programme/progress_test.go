package programme_test

import (
	"context"
	"math"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/programme"
)

// Solve reports the main search's progress: programmes that only improve,
// bounds that only tighten and never pass the programme found, and a last
// report that is the plan's value and bound; a lexicographic first stage
// (another objective) reports nothing.
func TestProgress(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  programme.Options
		lexi bool
	}{
		{"benders", programme.Options{Method: programme.Benders, NoWhy: true}, false},
		{"compact with the sequential plan", programme.Options{Method: programme.Compact, Sequential: true, NoWhy: true}, false},
		{"mip", programme.Options{Method: programme.MIP, NoWhy: true}, false},
		{"lexicographic", programme.Options{Method: programme.Compact, NoWhy: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := valley()
			p.Objective.Lexicographic = tc.lexi
			var got []gst.Progress
			opt := tc.opt
			opt.Progress = func(pr gst.Progress) { got = append(got, pr) }
			plan, err := programme.Solve(context.Background(), p, &opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatal("no progress reported")
			}
			tol := func(v float64) float64 { return 1e-6 * math.Max(1, math.Abs(v)) }
			for i, pr := range got {
				if !math.IsNaN(pr.Value) && !math.IsNaN(pr.Bound) && pr.Bound > pr.Value+tol(pr.Value) {
					t.Errorf("report %d: bound %v above the programme found %v", i, pr.Bound, pr.Value)
				}
				if i == 0 {
					continue
				}
				a := got[i-1]
				if pr.Value > a.Value || pr.Bound < a.Bound || pr.Elapsed < a.Elapsed {
					t.Errorf("report %d %+v after %+v", i, pr, a)
				}
			}
			last := got[len(got)-1]
			if math.Abs(last.Value-plan.Value) > tol(plan.Value) || math.Abs(last.Bound-plan.Bound) > tol(plan.Bound) ||
				math.Abs(last.Gap-plan.Gap) > 1e-9 {
				t.Errorf("last report %+v, plan value %v bound %v gap %v", last, plan.Value, plan.Bound, plan.Gap)
			}
			t.Logf("%d reports, last %+v", len(got), last)
		})
	}
}

// A solve without a hook reports nothing and returns the same programme.
func TestProgressSameProgramme(t *testing.T) {
	a, err := programme.Solve(context.Background(), valley(), &programme.Options{NoWhy: true})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	opt := &programme.Options{NoWhy: true}
	opt.Progress = func(gst.Progress) { n++ }
	b, err := programme.Solve(context.Background(), valley(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if a.Value != b.Value || a.Bound != b.Bound || a.Status != b.Status || n == 0 {
		t.Errorf("without the hook %v (bound %v, %s), with it %v (bound %v, %s), %d reports", a.Value, a.Bound, a.Status, b.Value, b.Bound, b.Status, n)
	}
}
