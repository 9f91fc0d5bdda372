package reliability

import (
	"context"
	"errors"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/allocate/pool"
	"github.com/gstplan/gst/allocate/transfer"
)

// twoProvinces is a region of two provinces an hour and a half apart: the
// north has six villages around a hospital of ample capacity, the south four
// villages around a small hospital, and a candidate site between them.
func twoProvinces(t *testing.T, southCapacity float64) (*gst.Region, *gst.DemandTable) {
	r := &gst.Region{ID: "T", Name: "two provinces",
		Provinces:  []gst.Province{{ID: "N", Name: "north"}, {ID: "S", Name: "south"}},
		Services:   []gst.Service{{ID: "delivery", StandardMinutes: 30}},
		Categories: []gst.Category{{ID: "midwife", HoursPerYear: 1600}, {ID: "obgyn", HoursPerYear: 1600}, {ID: "anaesthetist", HoursPerYear: 1600}}}
	var rows []gst.Demand
	add := func(id gst.AreaID, prov gst.ProvinceID, lat, lon, pop float64) {
		r.Areas = append(r.Areas, gst.Area{ID: id, Province: prov, Lat: lat, Lon: lon, Population: pop})
		rows = append(rows, gst.Demand{Area: id, Service: "delivery", Volume: pop / 50})
	}
	for i, d := range []float64{0, 0.02, 0.04, 0.06, 0.3, 0.35} {
		add(gst.AreaID("N"+string(rune('1'+i))), "N", 35.5+d, -5.8, 10000)
	}
	for i, d := range []float64{0, 0.02, 0.25, 0.3} {
		add(gst.AreaID("S"+string(rune('1'+i))), "S", 34.5-d, -5.8, 5000)
	}
	r.Establishments = []gst.Establishment{
		{ID: "HN", Level: gst.ProvincialHospital, Province: "N", Area: "N1", Lat: 35.5, Lon: -5.8, Beds: 100,
			Offers: []gst.Offer{{Service: "delivery", Capacity: 5000}},
			Staff:  []gst.Staffing{{Category: "midwife", FTE: 10}, {Category: "obgyn", FTE: 3}, {Category: "anaesthetist", FTE: 2}}},
		{ID: "HS", Level: gst.LocalHospital, Province: "S", Area: "S1", Lat: 34.5, Lon: -5.8, Beds: 20,
			Offers: []gst.Offer{{Service: "delivery", Capacity: southCapacity}},
			Staff:  []gst.Staffing{{Category: "midwife", FTE: 2}}},
		{ID: "C", Level: gst.LocalHospital, Province: "S", Lat: 35, Lon: -5.8, Candidate: true, OpenCost: 5e7,
			Offers: []gst.Offer{{Service: "delivery", Capacity: 600}}},
	}
	d, err := gst.NewDemandTable(rows)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	return r, d
}

// beyondStandard lists, independently of allocate, the areas whose nearest
// site among ids is farther than limit minutes by the default estimator.
func beyondStandard(t *testing.T, r *gst.Region, ids []gst.EstablishmentID, limit float64) []gst.AreaID {
	var out []gst.AreaID
	var est gst.Estimator
	for _, a := range r.Areas {
		best := math.Inf(1)
		for _, id := range ids {
			e, _ := r.Establishment(id)
			l, err := est.Leg(gst.Point{ID: string(a.ID), Lat: a.Lat, Lon: a.Lon, Urban: a.Urban}, gst.Point{ID: string(e.ID), Lat: e.Lat, Lon: e.Lon})
			if err != nil {
				t.Fatal(err)
			}
			best = math.Min(best, l.Minutes)
		}
		if best > limit {
			out = append(out, a.ID)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// TestImpossibleProblemsExplained builds problems that no plan can solve
// and checks that the error says which rule cannot hold and where: the
// areas beyond reach, the province whose demand its hospitals cannot take,
// the site count that leaves too little capacity or costs more than the
// budget, the staffing rules that clash. The messages are logged.
func TestImpossibleProblemsExplained(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r, d := twoProvinces(t, 400)
	sites := []gst.EstablishmentID{"HN", "HS", "C"}
	explain := func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, gst.ErrInfeasible) {
			t.Fatalf("want an error wrapping gst.ErrInfeasible, got %v", err)
		}
		t.Logf("→ %v", err)
	}
	infeasible := func(t *testing.T, err error, rule string) *gst.InfeasibleError {
		t.Helper()
		explain(t, err)
		for _, e := range leaves(err) {
			var ie *gst.InfeasibleError
			if errors.As(e, &ie) && ie.Rule == rule {
				return ie
			}
		}
		t.Fatalf("no *gst.InfeasibleError for the rule %q in %v", rule, err)
		return nil
	}

	t.Run("Locate: areas beyond the standard of every site", func(t *testing.T) {
		_, err := allocate.Locate(ctx, &allocate.Problem{Region: r, Demand: d, Objective: allocate.SetCovering, Greenfield: true}, nil)
		ie := infeasible(t, err, "standard")
		want := beyondStandard(t, r, sites, 30)
		if len(want) == 0 {
			t.Fatal("the region has no area beyond the standard")
		}
		if diff := cmp.Diff(want, ie.Areas); diff != "" || ie.Service != "delivery" {
			t.Errorf("service %q, areas (-independent +error):\n%s", ie.Service, diff)
		}
		for _, a := range want {
			if !strings.Contains(err.Error(), string(a)) {
				t.Errorf("the message does not name area %s", a)
			}
		}
	})
	t.Run("Locate: areas beyond the maximum travel", func(t *testing.T) {
		_, err := allocate.Locate(ctx, &allocate.Problem{Region: r, Demand: d, Objective: allocate.PMedian, P: 2, MaxTravel: 25,
			Services: []allocate.ServiceRule{{Service: "delivery", Sites: []gst.EstablishmentID{"HN", "HS"}}}}, nil)
		ie := infeasible(t, err, "max travel")
		if diff := cmp.Diff(beyondStandard(t, r, sites[:2], 25), ie.Areas); diff != "" {
			t.Errorf("areas (-independent +error):\n%s", diff)
		}
	})
	t.Run("Locate: a province that cannot reach the coverage it must have", func(t *testing.T) {
		_, err := allocate.Locate(ctx, &allocate.Problem{Region: r, Demand: d, Objective: allocate.PMedian, P: 2,
			MinCoverage: []allocate.CoverageRule{{Province: "S", MinShare: 0.95}, {Province: "N", MinShare: 0.5}}}, nil)
		ie := infeasible(t, err, "coverage")
		if ie.Province != "S" || ie.Service != "delivery" || !strings.Contains(err.Error(), `province "S"`) {
			t.Errorf("rule for province %q, service %q", ie.Province, ie.Service)
		}
		for _, e := range leaves(err) {
			var other *gst.InfeasibleError
			if errors.As(e, &other) && other.Province == "N" {
				t.Errorf("the north, which can meet its rule, is blamed: %v", other)
			}
		}
	})
	t.Run("Locate: too little capacity in the P sites of largest capacity", func(t *testing.T) {
		// 1,600 deliveries a year; the three sites can take 1,000 + 400
		// + 600 = 2,000 together, but one site at most 1,000.
		small := r.Clone()
		small.Establishments[0].Offers[0].Capacity = 1000
		_, err := allocate.Locate(ctx, &allocate.Problem{Region: small, Demand: d, Objective: allocate.PMedian, P: 1, Greenfield: true,
			Capacity: allocate.SplitDemand}, nil)
		ie := infeasible(t, err, "capacity")
		for _, s := range []string{"with 1 open sites", "at most 1000", "demand of 1600"} {
			if !strings.Contains(ie.Reason, s) || ie.Service != "delivery" {
				t.Errorf("service %q, reason %q does not say %q", ie.Service, ie.Reason, s)
			}
		}
		if _, err := allocate.Locate(ctx, &allocate.Problem{Region: small, Demand: d, Objective: allocate.PMedian, P: 2, Greenfield: true,
			Capacity: allocate.SplitDemand}, nil); err != nil {
			t.Errorf("two sites can take the demand: %v", err)
		}
	})
	t.Run("Locate: reaching P sites costs more than the budget", func(t *testing.T) {
		_, err := allocate.Locate(ctx, &allocate.Problem{Region: r, Demand: d, Objective: allocate.PMedian, P: 3, Budget: 1e7}, nil)
		ie := infeasible(t, err, "budget")
		for _, s := range []string{"opening at least 1", "50,000,000 MAD", "budget of 10,000,000 MAD"} {
			if !strings.Contains(ie.Reason, s) {
				t.Errorf("reason %q does not say %q", ie.Reason, s)
			}
		}
	})
	t.Run("Transfer: a province whose hospitals cannot take its demand", func(t *testing.T) {
		r, d := twoProvinces(t, 250)
		_, err := transfer.Solve(ctx, &transfer.Problem{Region: r, Demand: d,
			Services: []transfer.Service{{Service: "delivery", MaxMinutes: 70}}}, nil)
		explain(t, err)
		ie := gst.InfeasibleCauses(err)
		// The south's 400 deliveries (4 × 100) can reach only its own
		// hospital within 70 minutes, which takes 250: 150 short.
		if len(ie) != 1 {
			t.Fatalf("conflicts %+v, want one", ie)
		}
		c := ie[0]
		if c.Rule != "capacity" || c.Establishment != "HS" || c.Service != "delivery" || math.Abs(c.Amount-150) > 1e-6 {
			t.Errorf("conflict %+v, want the capacity of HS, 150 short", c)
		}
	})
	t.Run("Transfer: an area no provider reaches", func(t *testing.T) {
		_, err := transfer.Solve(ctx, &transfer.Problem{Region: r, Demand: d,
			Services: []transfer.Service{{Service: "delivery", MaxMinutes: 60}}}, nil)
		explain(t, err)
		ie := gst.InfeasibleCauses(err)
		if len(ie) != 1 {
			t.Fatalf("want one conflict, got %v", err)
		}
		c := ie[0]
		if c.Rule != "max travel" || !cmp.Equal(c.Areas, []gst.AreaID{"N6"}) || c.Amount != 200 || !strings.Contains(c.Reason, "HN, 61 min away") {
			t.Errorf("conflict %+v, want N6's 200 cases, 61 min from HN", c)
		}
	})
	t.Run("Pool: a required team no one within the commute can staff", func(t *testing.T) {
		_, err := pool.Solve(ctx, &pool.Problem{Region: r,
			Teams: []pool.Team{{Establishment: "HS", Service: "delivery", Required: true,
				Roles: []pool.Role{{Category: "midwife", FTE: 2}, {Category: "obgyn", FTE: 1}, {Category: "anaesthetist", FTE: 1}}}}}, nil)
		explain(t, err)
		ie := gst.InfeasibleCauses(err)
		if len(ie) == 0 {
			t.Fatalf("no *gst.InfeasibleError: %T", err)
		}
		got := map[gst.CategoryID]float64{}
		for _, c := range ie {
			if c.Establishment != "HS" {
				t.Errorf("conflict at %q: %+v", c.Establishment, c)
			}
			got[c.Category] += c.Amount
		}
		// The south has no obstetrician or anaesthetist, and the north's
		// are beyond the default hour's commute.
		if got["obgyn"] != 1 || got["anaesthetist"] != 1 || got["midwife"] != 0 {
			t.Errorf("missing FTE by category %v, want obgyn 1 and anaesthetist 1", got)
		}
	})
	t.Run("Pool: a minimum staff that safe staffing at the origin forbids", func(t *testing.T) {
		_, err := pool.Solve(ctx, &pool.Problem{Region: r,
			Need:  []pool.Need{{Establishment: "HS", Category: "midwife", FTE: 6, MinFTE: 6}},
			Rules: pool.Rules{MaxCommuteMinutes: 240, MinStayFTE: 8}}, nil)
		explain(t, err)
		ie := gst.InfeasibleCauses(err)
		if len(ie) == 0 {
			t.Fatalf("no *gst.InfeasibleError: %T", err)
		}
		rules := map[string]bool{}
		for _, c := range ie {
			rules[c.Rule] = true
		}
		if !rules["minimum staff"] {
			t.Errorf("conflicts %+v do not name the minimum staff at HS", ie)
		}
	})
	t.Run("Pool: a cap on the staff moved that the minimum staff needs to break", func(t *testing.T) {
		_, err := pool.Solve(ctx, &pool.Problem{Region: r,
			Need:  []pool.Need{{Establishment: "HS", Category: "midwife", FTE: 5, MinFTE: 5}},
			Rules: pool.Rules{MaxCommuteMinutes: 240, MaxMovedFTE: 1}}, nil)
		explain(t, err)
		ie := gst.InfeasibleCauses(err)
		if len(ie) == 0 || !ie[0].Elastic {
			t.Fatalf("want the conflicts of an elastic solve, got %v", err)
		}
		got := map[string]float64{}
		for _, c := range ie {
			got[c.Rule] += c.Amount
		}
		// HS has 2 midwives and must have 5: 3 must come, 1 may.
		if math.Abs(got["moved FTE cap"]-2) > 1e-6 {
			t.Errorf("conflicts %+v, want the moved FTE cap to give 2 FTE", ie)
		}
	})
}
