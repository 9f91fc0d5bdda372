package pmedian

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestResidualRegions checks the residual programme on random regions of
// random integral instances (some sites fixed open or closed, as the
// root's fixing leaves them) against brute force over the region: its
// bound never exceeds the region's optimum, equals it when the lists are
// complete, and the plan it offers is that optimum.
func TestResidualRegions(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 2))
	checked, exact, infeasible := 0, 0, 0
	for trial := 0; checked < *randomTrials/6; trial++ {
		p, full := randomSized(r, 30, 12)
		in, err := compile(p)
		if err != nil || !in.integral {
			continue
		}
		status := slices.Clone(in.rule)
		for j := range status {
			if status[j] == Free && r.IntN(3) == 0 {
				status[j] = Rule(1 + r.IntN(2))
			}
		}
		if !slices.Contains(status, Free) {
			continue
		}
		q := *p
		q.Rule = status
		want := bruteForce(&q, full)
		o := (&Options{}).withDefaults()
		e := newEngine(context.Background(), in, &o)
		e.in = reduce(in, status)
		b, ok := e.residualMIP(status)
		if !ok {
			t.Fatalf("trial %d: the residual programme did not decide a region of %d sites", trial, p.Sites)
		}
		checked++
		if math.IsInf(want, 1) {
			infeasible++
			continue
		}
		if b > want+1e-9*max(1, math.Abs(want)) {
			t.Fatalf("trial %d: residual bound %v above the region's optimum %v\n%+v\nregion %v", trial, b, want, p, status)
		}
		if p.Beyond != nil && slices.ContainsFunc(p.Beyond, func(v float64) bool { return !math.IsInf(v, 1) }) {
			continue // truncated lists: the bound may lie below
		}
		exact++
		if b != want || e.ub != want {
			t.Fatalf("trial %d: complete lists: residual bound %v, plan %v, region's optimum %v\n%+v\nregion %v", trial, b, e.ub, want, p, status)
		}
	}
	t.Logf("%d regions, %d with complete lists, %d infeasible", checked, exact, infeasible)
}
