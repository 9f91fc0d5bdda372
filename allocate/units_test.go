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
