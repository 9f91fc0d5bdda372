package pathway

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	gst "github.com/gstplan/gst"
)

var approx = cmpopts.EquateApprox(1e-12, 1e-9)

func TestComputeFlowsHandComputed(t *testing.T) {
	f, err := ComputeFlows(toyRegion(), toySet(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Episodes: A1 10,000 × 20/1,000 = 200; A2 100; A3 40. Antenatal: 4
	// visits, a quarter remote. Caesarean: 20% of deliveries.
	wantRows := []FlowRow{
		{Area: "A1", Pathway: "maternal", Step: "anc", Service: "antenatal", Level: gst.HealthCentre, Episodes: 200, Visits: 800, InPersonVisits: 600, TelemedicineVisits: 200, Weight: 1200},
		{Area: "A1", Pathway: "maternal", Step: "delivery", Service: "delivery", Level: gst.HealthCentre, Episodes: 200, Visits: 200, InPersonVisits: 200, Weight: 400},
		{Area: "A1", Pathway: "maternal", Step: "caesarean", Service: "caesarean", Level: gst.ProvincialHospital, Episodes: 40, Visits: 40, InPersonVisits: 40, Weight: 80},
		{Area: "A2", Pathway: "maternal", Step: "anc", Service: "antenatal", Level: gst.HealthCentre, Episodes: 100, Visits: 400, InPersonVisits: 300, TelemedicineVisits: 100, Weight: 600},
		{Area: "A2", Pathway: "maternal", Step: "delivery", Service: "delivery", Level: gst.HealthCentre, Episodes: 100, Visits: 100, InPersonVisits: 100, Weight: 200},
		{Area: "A2", Pathway: "maternal", Step: "caesarean", Service: "caesarean", Level: gst.ProvincialHospital, Episodes: 20, Visits: 20, InPersonVisits: 20, Weight: 40},
		{Area: "A3", Pathway: "maternal", Step: "anc", Service: "antenatal", Level: gst.HealthCentre, Episodes: 40, Visits: 160, InPersonVisits: 120, TelemedicineVisits: 40, Weight: 240},
		{Area: "A3", Pathway: "maternal", Step: "delivery", Service: "delivery", Level: gst.HealthCentre, Episodes: 40, Visits: 40, InPersonVisits: 40, Weight: 80},
		{Area: "A3", Pathway: "maternal", Step: "caesarean", Service: "caesarean", Level: gst.ProvincialHospital, Episodes: 8, Visits: 8, InPersonVisits: 8, Weight: 16},
	}
	if d := cmp.Diff(wantRows, f.Rows, approx); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	wantSteps := []StepFlow{
		{Pathway: "maternal", Step: "anc", Service: "antenatal", Level: gst.HealthCentre, Reach: 1, Episodes: 340, Visits: 1360, InPersonVisits: 1020, TelemedicineVisits: 340, Weight: 2040},
		{Pathway: "maternal", Step: "delivery", Service: "delivery", Level: gst.HealthCentre, Reach: 1, Episodes: 340, Visits: 340, InPersonVisits: 340, Weight: 680},
		{Pathway: "maternal", Step: "caesarean", Service: "caesarean", Level: gst.ProvincialHospital, Reach: 0.2, Episodes: 68, Visits: 68, InPersonVisits: 68, Weight: 136},
	}
	if d := cmp.Diff(wantSteps, f.Steps, approx); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
	wantLevels := []LevelFlow{
		{Level: gst.HealthCentre, Episodes: 680, Visits: 1700, InPersonVisits: 1360, TelemedicineVisits: 340},
		{Level: gst.LocalHospital},
		{Level: gst.ProvincialHospital, Episodes: 68, Visits: 68, InPersonVisits: 68},
		{Level: gst.RegionalHospital},
		{Level: gst.UniversityHospital},
	}
	if d := cmp.Diff(wantLevels, f.Levels, approx); d != "" {
		t.Errorf("levels (-want +got):\n%s", d)
	}
	wantPathways := []PathwayFlow{{Pathway: "maternal", AtRisk: 17000, Episodes: 340, Visits: 1768, InPersonVisits: 1428, TelemedicineVisits: 340}}
	if d := cmp.Diff(wantPathways, f.Pathways, approx); d != "" {
		t.Errorf("pathways (-want +got):\n%s", d)
	}
	wantDemand := []gst.Demand{
		{Area: "A1", Service: "antenatal", Volume: 800}, {Area: "A1", Service: "caesarean", Volume: 40}, {Area: "A1", Service: "delivery", Volume: 200},
		{Area: "A2", Service: "antenatal", Volume: 400}, {Area: "A2", Service: "caesarean", Volume: 20}, {Area: "A2", Service: "delivery", Volume: 100},
		{Area: "A3", Service: "antenatal", Volume: 160}, {Area: "A3", Service: "caesarean", Volume: 8}, {Area: "A3", Service: "delivery", Volume: 40},
	}
	if d := cmp.Diff(wantDemand, f.Demand.Rows(), approx); d != "" {
		t.Errorf("demand (-want +got):\n%s", d)
	}
	if got, want := f.Weights.Volume("A2", "antenatal"), 600.0; !near(got, want) {
		t.Errorf("weight A2 antenatal = %v, want %v", got, want)
	}
	// The weights are trips, the demand cases: allocate compares only
	// cases with capacities.
	if f.Weights.Unit() != gst.Trips || f.Demand.Unit() != gst.Cases {
		t.Errorf("units: weights %v, demand %v", f.Weights.Unit(), f.Demand.Unit())
	}
	if err := f.Demand.Validate(toyRegion()); err != nil {
		t.Errorf("demand table does not fit the region: %v", err)
	}
}

func TestFlowsSegmentAndFallback(t *testing.T) {
	r := toyRegion()
	set := &Set{Pathways: []Pathway{{
		ID: "amo", IncidencePer1000: 100, Segment: "coverage/amo", FallbackShare: 0.5,
		Steps: []Step{{ID: "anc", Service: "antenatal", Probability: 0.5, VisitsPerEpisode: 2}},
	}}}
	f, err := ComputeFlows(r, set, &Options{OneWay: true})
	if err != nil {
		t.Fatal(err)
	}
	// A1: 10,000 × 0.5 fallback = 5,000 at risk → 500 episodes → 250 at
	// the step → 500 visits. A2: 2,500 → 250 → 125 → 250. A3: segment
	// 1,200 → 120 → 60 → 120. One way: weight = visits.
	want := map[gst.AreaID]float64{"A1": 500, "A2": 250, "A3": 120}
	for a, v := range want {
		if got := f.Demand.Volume(a, "antenatal"); !near(got, v) {
			t.Errorf("%s: visits %v, want %v", a, got, v)
		}
		if got := f.Weights.Volume(a, "antenatal"); !near(got, v) {
			t.Errorf("%s: one-way weight %v, want %v", a, got, v)
		}
	}
	if got := f.Pathways[0].AtRisk; !near(got, 8700) {
		t.Errorf("at risk %v, want 8700", got)
	}
	// Without a fallback the areas lacking the segment are errors.
	set.Pathways[0].FallbackShare = 0
	_, err = ComputeFlows(r, set, nil)
	if !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("want ErrInvalid, got %v", err)
	}
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != 2 {
		t.Errorf("want 2 problems (A1, A2), got %d: %v", n, err)
	}
}

func TestFlowsDoublingPopulationDoublesVolumes(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		c := newRandomCase(t, seed)
		f1, err := ComputeFlows(c.r, c.set, c.opt)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		r2 := c.r.Clone()
		for i := range r2.Areas {
			r2.Areas[i].Population *= 2
			for k := range r2.Areas[i].Segments {
				r2.Areas[i].Segments[k].Population *= 2
			}
		}
		f2, err := ComputeFlows(r2, c.set, c.opt)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if len(f1.Rows) != len(f2.Rows) {
			t.Fatalf("seed %d: %d rows then %d", seed, len(f1.Rows), len(f2.Rows))
		}
		for i := range f1.Rows {
			a, b := f1.Rows[i], f2.Rows[i]
			if !near(2*a.Episodes, b.Episodes) || !near(2*a.Visits, b.Visits) || !near(2*a.Weight, b.Weight) {
				t.Fatalf("seed %d row %d: %+v then %+v", seed, i, a, b)
			}
		}
		for i, d := range f1.Demand.Rows() {
			if e := f2.Demand.Rows()[i]; e.Area != d.Area || e.Service != d.Service || !near(2*d.Volume, e.Volume) {
				t.Fatalf("seed %d demand %d: %+v then %+v", seed, i, d, e)
			}
		}
	}
}

func TestFlowsShuffleInvariant(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		c := newRandomCase(t, seed)
		f1, err := ComputeFlows(c.r, c.set, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		r2 := c.r.Clone()
		rng := rand.New(rand.NewPCG(seed, 7))
		rng.Shuffle(len(r2.Areas), func(i, j int) { r2.Areas[i], r2.Areas[j] = r2.Areas[j], r2.Areas[i] })
		rng.Shuffle(len(r2.Establishments), func(i, j int) {
			r2.Establishments[i], r2.Establishments[j] = r2.Establishments[j], r2.Establishments[i]
		})
		r2.Reindex()
		f2, err := ComputeFlows(r2, c.set, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(mustJSON(t, f1), mustJSON(t, f2)); d != "" {
			t.Fatalf("seed %d: shuffling changed the flows:\n%s", seed, d)
		}
	}
}

func TestReach(t *testing.T) {
	pw := Pathway{Steps: []Step{
		{ID: "a", Probability: 0.5},
		{ID: "b", Parent: "a", Probability: 0.4},
		{ID: "c", Parent: "b", Probability: 0.25},
		{ID: "x", Parent: "y", Probability: 1},
		{ID: "y", Parent: "x", Probability: 1},
	}}
	for _, tc := range []struct {
		id   StepID
		want float64
		ok   bool
	}{{"a", 0.5, true}, {"b", 0.2, true}, {"c", 0.05, true}, {"x", 0, false}, {"nope", 0, false}} {
		got, ok := pw.Reach(tc.id)
		if ok != tc.ok || !near(got, tc.want) {
			t.Errorf("Reach(%q) = %v, %v; want %v, %v", tc.id, got, ok, tc.want, tc.ok)
		}
	}
}
