package allocate

import (
	"context"
	"errors"
	"testing"

	"github.com/gstplan/gst"
)

// changesRegion has one hospital H1 that serves four communes, a
// candidate N0 beside it that would change nothing, and two candidates N1
// and N2 nearer to the communes of the east, N1 the better.
func changesRegion(t *testing.T) (*gst.Region, *gst.DemandTable) {
	t.Helper()
	r := &gst.Region{ID: "C", Services: []gst.Service{{ID: "s", StandardMinutes: 60}}}
	for i, id := range []gst.AreaID{"a1", "a2", "a3", "a4"} {
		r.Areas = append(r.Areas, gst.Area{ID: id, Lat: 33, Lon: -5 + 0.1*float64(i), Population: 1000})
	}
	offer := []gst.Offer{{Service: "s", Capacity: 200}}
	r.Establishments = []gst.Establishment{
		{ID: "H1", Level: gst.LocalHospital, Lat: 33, Lon: -5, Offers: offer},
		{ID: "N0", Level: gst.LocalHospital, Lat: 33, Lon: -5, Candidate: true, OpenCost: 10, Offers: offer},
		{ID: "N1", Level: gst.LocalHospital, Lat: 33, Lon: -4.7, Candidate: true, OpenCost: 30, Offers: offer},
		{ID: "N2", Level: gst.LocalHospital, Lat: 33, Lon: -4.8, Candidate: true, OpenCost: 20, Offers: offer},
	}
	minutes := map[gst.EstablishmentID][]float64{"H1": {5, 20, 40, 60}, "N0": {5, 20, 40, 60}, "N1": {60, 40, 20, 5}, "N2": {50, 30, 15, 25}}
	var entries []gst.MatrixEntry
	for _, e := range r.Establishments {
		for i, a := range r.Areas {
			entries = append(entries, gst.MatrixEntry{From: string(a.ID), To: string(e.ID), Minutes: minutes[e.ID][i], Km: minutes[e.ID][i]})
		}
	}
	m, err := gst.MatrixFromEntries(entries)
	if err != nil {
		t.Fatal(err)
	}
	r.Travel = m
	d, err := gst.NewDemandTable([]gst.Demand{{Area: "a1", Service: "s", Volume: 100}, {Area: "a2", Service: "s", Volume: 100},
		{Area: "a3", Service: "s", Volume: 100}, {Area: "a4", Service: "s", Volume: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return r, d
}

func opened(p *Plan) []gst.EstablishmentID {
	var out []gst.EstablishmentID
	for _, s := range p.Sites {
		if s.Change == Opens {
			out = append(out, s.Site)
		}
	}
	return out
}

// TestAtMostChanges pins "at most N changes": with P left free, a limit of
// three changes opens only what lowers the objective, none opens nothing,
// and a budget for one opening opens one.
func TestAtMostChanges(t *testing.T) {
	r, d := changesRegion(t)
	for _, tt := range []struct {
		name   string
		p      Problem
		want   []gst.EstablishmentID
		undone bool
	}{
		// N0 changes nothing and N2 adds nothing once N1 is open... except
		// a3 (15 against 20): N2 pays for itself, N0 does not.
		{"at most 3", Problem{MaxChanges: 3}, []gst.EstablishmentID{"N1", "N2"}, true},
		{"at most 1", Problem{MaxChanges: 1}, []gst.EstablishmentID{"N1"}, false},
		{"none", Problem{MaxChanges: NoChanges}, nil, false},
		{"budget for one", Problem{MaxChanges: 2, Budget: 35}, []gst.EstablishmentID{"N1"}, false},
		{"no limit", Problem{}, []gst.EstablishmentID{"N1", "N2"}, true},
		// An exact P forces the openings, useful or not.
		{"exact P", Problem{P: 4}, []gst.EstablishmentID{"N0", "N1", "N2"}, false},
	} {
		for _, m := range []Method{Auto, MIP} {
			p := tt.p
			p.Region, p.Demand, p.Objective = r, d, PMedian
			plan, err := Locate(context.Background(), &p, &Options{Method: m})
			if err != nil {
				t.Fatalf("%s/%s: %v", tt.name, m, err)
			}
			got := opened(plan)
			if len(got) != len(tt.want) {
				t.Errorf("%s/%s: opens %v, want %v", tt.name, m, got, tt.want)
				continue
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%s/%s: opens %v, want %v", tt.name, m, got, tt.want)
				}
			}
			if plan.Status != gst.StatusOptimal {
				t.Errorf("%s/%s: status %v", tt.name, m, plan.Status)
			}
		}
	}
}

// TestNoChangesIsToday checks that NoChanges gives today's plan and that a
// kept candidate clashes with it.
func TestNoChangesIsToday(t *testing.T) {
	r, d := changesRegion(t)
	p := &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: NoChanges}
	plan, err := Locate(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Changes != 0 || plan.Value != plan.BeforeValue {
		t.Errorf("changes %d, value %v against %v today", plan.Changes, plan.Value, plan.BeforeValue)
	}
	for _, s := range plan.Sites {
		want := "unchanged"
		if s.Site == "H1" {
			want = "kept" // not closable
		}
		if s.Rule != want {
			t.Errorf("site %s: rule %q, want %q", s.Site, s.Rule, want)
		}
	}
	p.Keep = []gst.EstablishmentID{"N1"}
	if _, err := Locate(context.Background(), p, nil); !errors.Is(err, gst.ErrInfeasible) {
		t.Errorf("keeping a candidate with no change allowed: %v, want infeasible", err)
	}
	p.Keep, p.MaxChanges = nil, -2
	if _, err := Locate(context.Background(), p, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("MaxChanges -2: %v, want invalid", err)
	}
}

// TestSweep checks the diminishing returns: each step at least as good as
// the one before, within its limit, step 0 today's plan.
func TestSweep(t *testing.T) {
	r, d := changesRegion(t)
	steps, err := Sweep(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 4 {
		t.Fatalf("%d steps, want 4", len(steps))
	}
	wantOpen := [][]gst.EstablishmentID{nil, {"N1"}, {"N1", "N2"}, {"N1", "N2"}}
	for k, s := range steps {
		if s.Err != nil || s.MaxChanges != k {
			t.Fatalf("step %d: %+v", k, s)
		}
		if got := opened(s.Plan); len(got) != len(wantOpen[k]) {
			t.Errorf("step %d opens %v, want %v", k, got, wantOpen[k])
		}
		if k > 0 && s.Plan.Value > steps[k-1].Plan.Value {
			t.Errorf("step %d: value %v above step %d's %v", k, s.Plan.Value, k-1, steps[k-1].Plan.Value)
		}
	}
	if steps[0].Plan.Value != steps[0].Plan.BeforeValue {
		t.Errorf("step 0 is not today's plan: %v against %v", steps[0].Plan.Value, steps[0].Plan.BeforeValue)
	}
	// A kept candidate makes step 0 infeasible; the sweep goes on.
	steps, err = Sweep(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: 1, Keep: []gst.EstablishmentID{"N2"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(steps[0].Err, gst.ErrInfeasible) || steps[1].Plan == nil {
		t.Errorf("steps %+v", steps)
	}
	if _, err := Sweep(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian}, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("sweep without a limit: %v", err)
	}
}
