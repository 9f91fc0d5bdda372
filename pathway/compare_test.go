package pathway

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	gst "github.com/gstplan/gst"
)

// betterAssignment sends A2's caesareans wholly to the CHU and A3's
// delivery and caesarean to reachable places.
func betterAssignment(t testing.TB) *gst.Assignment {
	a, err := gst.NewAssignment([]gst.Allocation{
		{Area: "A1", Service: "antenatal", Establishment: "HC1", Share: 1},
		{Area: "A1", Service: "delivery", Establishment: "HC1", Share: 1},
		{Area: "A1", Service: "caesarean", Establishment: "H1", Share: 1},
		{Area: "A2", Service: "antenatal", Establishment: "HC2", Share: 1},
		{Area: "A2", Service: "delivery", Establishment: "HC1", Share: 1},
		{Area: "A2", Service: "caesarean", Establishment: "CHU", Share: 1},
		{Area: "A3", Service: "antenatal", Establishment: "HC2", Share: 1},
		{Area: "A3", Service: "delivery", Establishment: "HC1", Share: 1},
		{Area: "A3", Service: "caesarean", Establishment: "CHU", Share: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCompare(t *testing.T) {
	r, set, m := toyRegion(), toySet(), toyMatrix(t)
	before := Plan{Name: "current", Assignment: toyAssignment(t), Travel: m}
	after := Plan{Name: "proposal", Assignment: betterAssignment(t), Travel: m}
	c, err := Compare(context.Background(), r, set, before, after, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Evaluate(context.Background(), r, set, before, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Evaluate(context.Background(), r, set, after, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(b.Total, c.Total.Before); d != "" {
		t.Errorf("before differs from its evaluation:\n%s", d)
	}
	if d := cmp.Diff(a.Total, c.Total.After); d != "" {
		t.Errorf("after differs from its evaluation:\n%s", d)
	}
	// After, by hand: A1 delivery 200×2×10 = 4,000 (was 6,000); A2
	// delivery 100×2×50 = 10,000 (was 14,000), caesarean 20×2×130 = 5,200
	// (was 2,600 for half); A3 delivery 40×2×35 = 2,800, caesarean
	// 8×2×200 = 3,200 (both were unreachable).
	wantAfter := 66200 - 6000 + 4000 - 14000 + 10000 - 2600 + 5200 + 2800 + 3200.0
	if !near(c.ObjectiveAfter, wantAfter) || !near(c.ObjectiveBefore, 66200) || !near(c.ObjectiveDelta, wantAfter-66200) {
		t.Errorf("objectives %v → %v (Δ %v), want 66200 → %v", c.ObjectiveBefore, c.ObjectiveAfter, c.ObjectiveDelta, wantAfter)
	}
	if !c.Total.After.Complete || c.Total.Before.Complete || c.Total.Delta.Complete {
		t.Errorf("completeness: before %v after %v delta %v", c.Total.Before.Complete, c.Total.After.Complete, c.Total.Delta.Complete)
	}
	if !near(c.Total.Delta.UnservedVisits, -10) || !near(c.Total.Delta.UnreachableVisits, -48) {
		t.Errorf("delta unserved %v unreachable %v", c.Total.Delta.UnservedVisits, c.Total.Delta.UnreachableVisits)
	}
	for _, g := range c.Areas {
		ba, _ := b.Area(gst.AreaID(g.Key))
		aa, _ := a.Area(gst.AreaID(g.Key))
		if !near(g.Total.Delta.TravelMinutes, aa.Total.TravelMinutes-ba.Total.TravelMinutes) {
			t.Errorf("area %s delta %v", g.Key, g.Total.Delta.TravelMinutes)
		}
	}
	if len(c.Steps) != 3 || c.Steps[2].Step != "caesarean" || !near(c.Steps[2].Delta.TravelMinutes, 5200+3200-2600-1600+1600) {
		t.Errorf("caesarean step change: %+v", c.Steps)
	}
	if len(c.UnservedBefore) != 1 || len(c.UnservedAfter) != 0 || len(c.UnreachableBefore) != 2 || len(c.UnreachableAfter) != 0 {
		t.Errorf("lists: %+v %+v %+v %+v", c.UnservedBefore, c.UnservedAfter, c.UnreachableBefore, c.UnreachableAfter)
	}
	// Comparing a plan with itself changes nothing.
	same, err := Compare(context.Background(), r, set, before, before, nil)
	if err != nil {
		t.Fatal(err)
	}
	if same.Total.Delta != (Figures{}) || same.ObjectiveDelta != 0 {
		t.Errorf("self comparison: %+v", same.Total.Delta)
	}
	// Both plans are validated at once.
	_, err = Compare(context.Background(), r, set, Plan{Name: "x"}, Plan{Name: "y"}, nil)
	if got := problems(t, err); len(got) != 2 {
		t.Errorf("want both plans reported: %v", got)
	}
}

func TestDiffMissingKeys(t *testing.T) {
	b := &Evaluation{Plan: "b", Levels: []Group{{Key: "essp", Total: Figures{TravelMinutes: 5, Complete: true}}}}
	a := &Evaluation{Plan: "a", Levels: []Group{{Key: "chu", Total: Figures{TravelMinutes: 7, Complete: true}}}}
	c, err := Diff(b, a)
	if err != nil {
		t.Fatal(err)
	}
	want := []GroupChange{
		{Key: "essp", Total: Change{Before: Figures{TravelMinutes: 5, Complete: true}, After: none, Delta: Figures{TravelMinutes: -5, Complete: true}}},
		{Key: "chu", Total: Change{Before: none, After: Figures{TravelMinutes: 7, Complete: true}, Delta: Figures{TravelMinutes: 7, Complete: true}}},
	}
	if d := cmp.Diff(want, c.Levels, cmp.Comparer(func(x, y []PathwayChange) bool { return len(x) == len(y) })); d != "" {
		t.Errorf("levels (-want +got):\n%s", d)
	}
	if _, err := Diff(nil, a); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("nil evaluation: %v", err)
	}
}

func TestWhatIfTelemedicine(t *testing.T) {
	r, set := toyRegion(), toySet()
	plan := Plan{Assignment: toyAssignment(t), Travel: toyMatrix(t)}
	res, err := WhatIfTelemedicine(context.Background(), r, set, plan,
		[]TelemedicineChange{{Pathway: "maternal", Step: "anc", Share: 0.5}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Antenatal travel 42,000 min for 1,020 in-person visits at a quarter
	// remote; at half remote 680 visits remain: 42,000 × 680/1,020.
	e := res.Effects[0]
	if e.FromShare != 0.25 || e.ToShare != 0.5 || !near(e.VisitsMovedOnline, 340) ||
		!near(e.MinutesSaved, 42000-28000) || !near(e.KmSaved, 28800-19200) {
		t.Errorf("effect: %+v", e)
	}
	if !near(res.MinutesSaved, e.MinutesSaved) || !near(res.Comparison.ObjectiveDelta, -e.MinutesSaved) {
		t.Errorf("totals: saved %v, objective delta %v", res.MinutesSaved, res.Comparison.ObjectiveDelta)
	}
	// Visits are unchanged: remote visits still count in the service.
	if res.Comparison.Total.Delta.Visits != 0 {
		t.Errorf("visits changed by %v", res.Comparison.Total.Delta.Visits)
	}
	if s := set.Pathways[0].Steps[0].TelemedicineShare; s != 0.25 {
		t.Errorf("the set was modified: share %v", s)
	}
	// Fully remote: no travel, and no episode checked against the standard.
	res, err = WhatIfTelemedicine(context.Background(), r, set, plan,
		[]TelemedicineChange{{Pathway: "maternal", Step: "anc", Share: 1}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Effects[0].Change.After; a.TravelMinutes != 0 || a.CheckedEpisodes != 0 || a.BeyondStandardEpisodes != 0 {
		t.Errorf("fully remote step: %+v", a)
	}
	// Bad changes are all reported.
	_, err = WhatIfTelemedicine(context.Background(), r, set, plan, []TelemedicineChange{
		{Pathway: "maternal", Step: "anc", Share: 1.5},
		{Pathway: "maternal", Step: "anc", Share: 0.5},
		{Pathway: "nope", Step: "anc", Share: 0.5},
		{Pathway: "maternal", Step: "nope", Share: 0.5},
	}, nil)
	if got := problems(t, err); len(got) != 4 {
		t.Errorf("want 4 problems, got %v", got)
	}
}

func TestObjectiveAndWeightedTravel(t *testing.T) {
	r, set := toyRegion(), toySet()
	plan := Plan{Assignment: toyAssignment(t), Travel: toyMatrix(t)}
	obj, err := Objective(r, set, plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Weights: antenatal 2,040, delivery 680, caesarean 136 = 2,856.
	// Unserved: half of A2's caesarean weight 40 → 20. Unreachable: A3's
	// delivery 80 and caesarean 16.
	want := &WeightedTravelResult{Minutes: 66200, Km: 48400, Weight: 2856, AssessedWeight: 2856 - 20 - 96,
		UnservedWeight: 20, UnreachableWeight: 96}
	if d := cmp.Diff(want, obj, approx); d != "" {
		t.Errorf("objective (-want +got):\n%s", d)
	}
	_, err = WeightedTravel(nil, nil, nil)
	if got := problems(t, err); len(got) != 3 {
		t.Errorf("nil inputs: %v", got)
	}
	// Without a matrix the objective uses the estimated travel, as
	// Evaluate does.
	obj2, err := Objective(r, set, Plan{Assignment: plan.Assignment}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Evaluate(context.Background(), r, set, Plan{Assignment: plan.Assignment}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !near(obj2.Minutes, ev.Objective) {
		t.Errorf("estimated objective %v, evaluation %v", obj2.Minutes, ev.Objective)
	}
}
