package gst

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestWeightedQuantile(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		v, w    []float64
		q       float64
		want    float64
		wantNaN bool
	}{
		{"the lower weighted percentile", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 100}, []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 0.9, 9, false},
		{"weights move it", []float64{10, 20, 30}, []float64{1, 1, 8}, 0.5, 30, false},
		{"input order does not matter", []float64{30, 10, 20}, []float64{8, 1, 1}, 0.1, 10, false},
		{"exactly on a boundary", []float64{0.1, 0.2, 0.3}, []float64{0.3, 0.6, 0.1}, 0.9, 0.2, false},
		{"zero weights are ignored", []float64{1, 50, 60}, []float64{0, 1, 1}, 0, 50, false},
		{"q = 1 is the largest", []float64{5, 1, 9}, []float64{1, 1, 1}, 1, 9, false},
		{"nothing weighed", []float64{1}, []float64{0}, 0.5, 0, true},
		{"lengths differ", []float64{1, 2}, []float64{1}, 0.5, 0, true},
		{"q out of range", []float64{1}, []float64{1}, 1.5, 0, true},
		{"negative weight", []float64{1, 2}, []float64{1, -1}, 0.5, 0, true},
		{"NaN value", []float64{1, nan}, []float64{1, 1}, 0.5, 0, true},
	} {
		got := WeightedQuantile(tc.v, tc.w, tc.q)
		if tc.wantNaN != math.IsNaN(got) || !tc.wantNaN && got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	// Against the definition: the smallest value whose cumulative weight
	// reaches q × the total.
	rng := rand.New(rand.NewSource(1))
	for k := 0; k < 200; k++ {
		n := 1 + rng.Intn(30)
		v, w := make([]float64, n), make([]float64, n)
		for i := range v {
			v[i], w[i] = float64(rng.Intn(20)), float64(rng.Intn(5))
		}
		q := float64(rng.Intn(11)) / 10
		got := WeightedQuantile(v, w, q)
		vals := append([]float64(nil), v...)
		sort.Float64s(vals)
		total := 0.0
		for _, x := range w {
			total += x
		}
		want := math.NaN()
		for _, c := range vals {
			cum := 0.0
			for i := range v {
				if v[i] <= c {
					cum += w[i]
				}
			}
			if total > 0 && cum >= q*total && cum > 0 {
				want = c
				break
			}
		}
		if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("case %d: values %v weights %v q %v: got %v, want %v", k, v, w, q, got, want)
		}
	}
}

func TestMostDeprived(t *testing.T) {
	d := func(v float64) *float64 { return &v }
	areas := []Area{
		{ID: "e", Population: 100, Deprivation: d(0.5)},
		{ID: "a", Population: 300, Deprivation: d(0.9)},
		{ID: "u", Population: 1000},
		{ID: "c", Population: 200, Deprivation: d(0.9)},
		{ID: "b", Population: 400, Deprivation: d(0.1)},
	}
	if d := cmp.Diff([]int{1, 3, 0, 4}, ByDeprivation(areas)); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
	// Scored people: 1,000, taken a (300), c (200), e (100), b (400). The
	// 20% (200) is two thirds of a; 31% is a and a twentieth of c.
	for _, tc := range []struct {
		share float64
		want  []float64
	}{
		{0.2, []float64{0, 2.0 / 3, 0, 0, 0}},
		{0.31, []float64{0, 1, 0, 0.05, 0}},
		{0.5, []float64{0, 1, 0, 1, 0}},
		{0.51, []float64{0.1, 1, 0, 1, 0}},
		{0, []float64{0, 0, 0, 0, 0}},
		{1, []float64{1, 1, 0, 1, 1}},
	} {
		got, err := MostDeprived(areas, tc.share)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(tc.want, got, cmpopts.EquateApprox(0, 1e-12)); d != "" {
			t.Errorf("share %v (-want +got):\n%s", tc.share, d)
		}
		// Exactly the share of the scored people.
		sum := 0.0
		for i, f := range got {
			sum += f * areas[i].Population
		}
		if math.Abs(sum-tc.share*1000) > 1e-9 {
			t.Errorf("share %v: the group holds %v people, want %v", tc.share, sum, tc.share*1000)
		}
	}
	for _, s := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err := MostDeprived(areas, s); !errors.Is(err, ErrInvalid) {
			t.Errorf("share %v: %v", s, err)
		}
	}
}

func TestAssignNearest(t *testing.T) {
	r := &Region{ID: "R",
		Areas: []Area{{ID: "a1", Lat: 34, Lon: -5}, {ID: "a2", Lat: 34.5, Lon: -5}, {ID: "a3", Lat: 34.5, Lon: -5}},
		Establishments: []Establishment{
			{ID: "e1", Level: HealthCentre, Lat: 34.01, Lon: -5, Offers: []Offer{{Service: "s"}}},
			{ID: "e2", Level: LocalHospital, Lat: 34.49, Lon: -5, Offers: []Offer{{Service: "s"}}, Ownership: Private},
			{ID: "e3", Level: LocalHospital, Lat: 34.3, Lon: -5, Offers: []Offer{{Service: "s"}, {Service: "t"}}},
			{ID: "e0", Level: LocalHospital, Lat: 34.3, Lon: -5, Offers: []Offer{{Service: "t"}}, Candidate: true},
		},
		Services: []Service{{ID: "s"}, {ID: "t"}},
	}
	m, err := MatrixFromEntries([]MatrixEntry{
		{From: "a1", To: "e1", Minutes: 5, Km: 2}, {From: "a1", To: "e3", Minutes: 5, Km: 1},
		{From: "a2", To: "e2", Minutes: 3, Km: 1}, {From: "a2", To: "e3", Minutes: 20, Km: 15},
		{From: "a1", To: "e0", Minutes: 1, Km: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	public := func(e *Establishment, s ServiceID) bool {
		return e.Ownership == Public && !e.Candidate && e.OffersService(s)
	}
	asg, err := AssignNearest(context.Background(), r, m, []ServiceID{"t", "s"}, public)
	if err != nil {
		t.Fatal(err)
	}
	// a1: e1 and e3 tie on minutes, e3 is shorter; a2 skips the private
	// e2; a3 is not in the matrix; the candidate e0 is not eligible.
	want := []Allocation{{Area: "a1", Service: "s", Establishment: "e3", Share: 1}, {Area: "a1", Service: "t", Establishment: "e3", Share: 1},
		{Area: "a2", Service: "s", Establishment: "e3", Share: 1}, {Area: "a2", Service: "t", Establishment: "e3", Share: 1}}
	if d := cmp.Diff(want, asg.Rows()); d != "" {
		t.Errorf("nearest public (-want +got):\n%s", d)
	}
	// The default eligibility is the public network: neither the private
	// e2 (nearer to a2) nor candidates.
	asg, err = AssignNearest(context.Background(), r, m, []ServiceID{"s"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := asg.For("a2", "s"); len(got) != 1 || got[0].Establishment != "e3" {
		t.Errorf("a2 goes to %+v, want the public e3", got)
	}
	// Everything that exists, when eligible says so.
	asg, err = AssignNearest(context.Background(), r, m, []ServiceID{"s"}, func(e *Establishment, s ServiceID) bool { return !e.Candidate && e.OffersService(s) })
	if err != nil {
		t.Fatal(err)
	}
	if got := asg.For("a2", "s"); len(got) != 1 || got[0].Establishment != "e2" {
		t.Errorf("a2 goes to %+v, want e2", got)
	}
	if _, err := AssignNearest(context.Background(), r, nil, []ServiceID{"x"}, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad input: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := AssignNearest(ctx, r, m, []ServiceID{"s"}, nil); !errors.Is(err, ErrNoSolution) {
		t.Errorf("cancelled: %v", err)
	}
}
