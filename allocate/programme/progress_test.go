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
				// A bound reported before any programme may pass the
				// programme found next by the relaxation's tolerance; the
				// reporter then reads the bound as the value.
				if pr.Value > a.Value || pr.Bound < a.Bound-1e-9*math.Max(1, math.Abs(a.Bound)) || pr.Elapsed < a.Elapsed {
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

// A solve stopped within the root's rounds of cuts returns the programme
// it holds (here the sequential plan) with the bound the rounds proved,
// rather than no programme.
func TestStoppedInRootKeepsProgramme(t *testing.T) {
	p := valley()
	best, err := programme.Solve(context.Background(), p, &programme.Options{NoWhy: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := &programme.Options{Method: programme.Benders, Sequential: true, NoWhy: true}
	stoppedAt := math.NaN()
	opt.Progress = func(pr gst.Progress) {
		if !math.IsNaN(pr.Value) && !math.IsNaN(pr.Bound) && math.IsNaN(stoppedAt) {
			stoppedAt = pr.Bound
			cancel()
		}
	}
	plan, err := programme.Solve(ctx, p, opt)
	if err != nil {
		t.Fatalf("stopped in the root: %v", err)
	}
	if math.IsNaN(stoppedAt) {
		t.Fatal("no report had a programme and a bound")
	}
	tol := 1e-6 * math.Max(1, math.Abs(best.Value))
	if plan.Value < best.Value-tol || plan.Bound > best.Value+tol || plan.Bound < stoppedAt-tol || math.IsInf(plan.Bound, 0) {
		t.Errorf("value %v bound %v (stopped at bound %v); the optimum is %v", plan.Value, plan.Bound, stoppedAt, best.Value)
	}
	if plan.Status == gst.StatusOptimal && plan.Gap > opt.GapTolerance+1e-9 {
		t.Errorf("status %v with gap %v", plan.Status, plan.Gap)
	}
	t.Logf("value %v bound %v status %v (optimum %v)", plan.Value, plan.Bound, plan.Status, best.Value)
}
