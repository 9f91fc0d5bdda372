package allocate

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

// TestDemandUnitAgainstCapacity pins that capacities, which count cases,
// are never compared with trips or people, and that the error says which
// conversion to use.
func TestDemandUnitAgainstCapacity(t *testing.T) {
	r, d := changesRegion(t)
	for _, tt := range []struct {
		unit gst.DemandUnit
		want string
	}{
		{gst.Trips, "Flows.Demand"},
		{gst.People, "capacity.Demand"},
	} {
		du, err := d.WithUnit(tt.unit)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []Capacity{SplitDemand, SingleSource} {
			_, err := Locate(context.Background(), &Problem{Region: r, Demand: du, Objective: PMedian, MaxChanges: 1, Capacity: c}, nil)
			if !errors.Is(err, gst.ErrInvalid) || !strings.Contains(err.Error(), "is in "+tt.unit.String()) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s demand, %s: %v", tt.unit, c, err)
			}
		}
		// Without capacities any unit weighs travel.
		if _, err := Locate(context.Background(), &Problem{Region: r, Demand: du, Objective: PMedian, MaxChanges: 1}, nil); err != nil {
			t.Errorf("%s demand, uncapacitated: %v", tt.unit, err)
		}
	}
}

// TestTodayWithinCapacity pins that today's figures honour capacities when
// the plan's do: H1 alone can take 200 of the 400 cases, so today serves
// half the demand (not all of it at H1, 2.5 times its capacity).
func TestTodayWithinCapacity(t *testing.T) {
	r, d := changesRegion(t)
	plan, err := Locate(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: 1, Capacity: SplitDemand}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := plan.Before[0]
	if math.Abs(b.Served-200) > 1e-6 || math.Abs(plan.BeforeServed-0.5) > 1e-9 {
		t.Errorf("today serves %v (share %v), want 200 (0.5)", b.Served, plan.BeforeServed)
	}
	for _, sl := range b.Sites {
		if sl.Utilisation > 1+1e-9 {
			t.Errorf("today's %s runs at %v of its capacity", sl.Site, sl.Utilisation)
		}
	}
	// The nearest 200 cases: a1 and a2 (5 and 20 minutes).
	if got := plan.Today.Served("a1", "s") + plan.Today.Served("a2", "s"); math.Abs(got-2) > 1e-9 || plan.Today.Served("a4", "s") != 0 {
		t.Errorf("today serves a1 %v, a2 %v, a4 %v", plan.Today.Served("a1", "s"), plan.Today.Served("a2", "s"), plan.Today.Served("a4", "s"))
	}
	if plan.After[0].Served != 400 {
		t.Errorf("the plan serves %v, want 400", plan.After[0].Served)
	}
	// Without capacities today is the nearest site.
	plan, err = Locate(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan.BeforeServed != 1 || plan.Before[0].Sites[0].Utilisation != 2 {
		t.Errorf("uncapacitated today: served %v, H1 at %v", plan.BeforeServed, plan.Before[0].Sites[0].Utilisation)
	}
}

// TestNoSiteToday pins the figures of a region where no site is open
// today: nothing served, not "0 minutes".
func TestNoSiteToday(t *testing.T) {
	r, d := changesRegion(t)
	r.Establishments[0].Candidate = true
	r.Reindex()
	plan, err := Locate(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan.BeforeServed != 0 || plan.Before[0].Served != 0 || plan.Today.Len() != 0 {
		t.Errorf("no site today: served share %v, volume %v, %d rows", plan.BeforeServed, plan.Before[0].Served, plan.Today.Len())
	}
	if plan.BeforeServed == 1 {
		t.Error("BeforeValue would read as comparable")
	}
}

// TestMessagesReadable pins finding 11 in allocate: the figures of a
// message are plain decimals with their unit, never scientific notation
// nor float noise.
func TestMessagesReadable(t *testing.T) {
	r, _ := changesRegion(t)
	d, err := gst.NewDemandTable([]gst.Demand{{Area: "a1", Service: "s", Volume: 23658.668356508566}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Locate(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: 1, Capacity: SplitDemand}, nil)
	if err == nil || !strings.Contains(err.Error(), "can serve 800 a year in all, below the demand of 23,659 cases") {
		t.Errorf("capacity: %v", err)
	}
	_, err = Locate(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian, P: 3, Budget: 1e8 / 1e7, Keep: []gst.EstablishmentID{"N1"}}, nil)
	if err == nil || strings.Contains(err.Error(), "e+") || !strings.Contains(err.Error(), "30 MAD") {
		t.Errorf("budget: %v", err)
	}
}

// TestNewCapacity pins the capacity of a hospital that adds a service it
// does not offer: NewCapacity, not unlimited.
func TestNewCapacity(t *testing.T) {
	r, d := changesRegion(t)
	r.Establishments = append(r.Establishments, gst.Establishment{ID: "X", Level: gst.LocalHospital, Lat: 33, Lon: -4.7})
	r.Reindex()
	var entries []gst.MatrixEntry
	for _, a := range r.Areas {
		for _, e := range r.Establishments {
			l, ok := r.Travel.Lookup(string(a.ID), string(e.ID))
			if e.ID == "X" {
				l, ok = gst.Leg{Minutes: 1, Km: 1}, true
			}
			if ok {
				entries = append(entries, gst.MatrixEntry{From: string(a.ID), To: string(e.ID), Minutes: l.Minutes, Km: l.Km})
			}
		}
	}
	m, err := gst.MatrixFromEntries(entries)
	if err != nil {
		t.Fatal(err)
	}
	r.Travel = m
	p := &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: 1, Capacity: SplitDemand,
		Services: []ServiceRule{{Service: "s", Sites: []gst.EstablishmentID{"H1", "X", "N1"}, NewCapacity: 150}}}
	plan, err := Locate(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, sl := range plan.After[0].Sites {
		if sl.Site == "X" && (sl.Capacity != 150 || sl.Load > 150+1e-9) {
			t.Errorf("X: load %v, capacity %v", sl.Load, sl.Capacity)
		}
	}
	// X (a minute from everyone) cannot take the 200 cases H1 cannot:
	// N1 opens. Without NewCapacity X would have no limit and open.
	if got := opened(plan); len(got) != 1 || got[0] != "N1" {
		t.Errorf("opens %v, want N1", got)
	}
	p.Services[0].NewCapacity = 0
	plan, err = Locate(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := opened(plan); len(got) != 1 || got[0] != "X" {
		t.Errorf("without a capacity stated, opens %v, want X", got)
	}
}

// TestCapacityShortfall pins what a capacity shortfall gives: without
// AllowUnserved an error that says how many new sites the demand needs;
// with it, the plan that serves the most demand, then travels least, the
// rest reported unserved.
func TestCapacityShortfall(t *testing.T) {
	r, d := changesRegion(t)
	p := &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: NoChanges, Capacity: SplitDemand}
	_, err := Locate(context.Background(), p, nil)
	if !errors.Is(err, gst.ErrInfeasible) || !strings.Contains(err.Error(), "can serve 200 a year in all, below the demand of 400 cases") {
		t.Errorf("shortfall without change: %v", err)
	}
	var rows []gst.Demand
	for _, x := range d.Rows() {
		x.Volume *= 1.5
		rows = append(rows, x)
	}
	more, _ := gst.NewDemandTable(rows)
	_, err = Locate(context.Background(), &Problem{Region: r, Demand: more, Objective: PMedian, MaxChanges: 1, Capacity: SplitDemand}, nil)
	if !errors.Is(err, gst.ErrInfeasible) || !strings.Contains(err.Error(), "with at most 1 changes the eligible sites can serve at most 400 a year") ||
		!strings.Contains(err.Error(), "needs at least 2 new sites") {
		t.Errorf("shortfall within the change limit: %v", err)
	}
	p.AllowUnserved = true
	plan, err := Locate(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := plan.After[0]; math.Abs(f.Served-200) > 1e-6 || plan.Changes != 0 || plan.Status != gst.StatusOptimal {
		t.Errorf("no change allowed: serves %v, %d changes, %v", f.Served, plan.Changes, plan.Status)
	}
	// The nearest 200: a1 and a2.
	if plan.Assignment.Served("a1", "s")+plan.Assignment.Served("a2", "s") < 2-1e-9 {
		t.Errorf("serves a1 %v, a2 %v", plan.Assignment.Served("a1", "s"), plan.Assignment.Served("a2", "s"))
	}
	p.MaxChanges = 2
	plan, err = Locate(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	// N1 to serve everyone, N2 because it shortens a3's trip.
	if f := plan.After[0]; math.Abs(f.Served-400) > 1e-6 || plan.Changes != 2 {
		t.Errorf("two changes allowed: serves %v with %d changes, want 400 with 2", f.Served, plan.Changes)
	}
	p.Capacity = Uncapacitated
	if _, err := Locate(context.Background(), p, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("AllowUnserved without capacities: %v", err)
	}
}
