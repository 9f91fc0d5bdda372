package gst

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGreatCircleKm(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want, tol              float64
	}{
		{"same point", 34, -5, 34, -5, 0, 1e-9},
		// One degree of latitude on a sphere of radius 6371.0088 km.
		{"one degree north", 0, 0, 1, 0, 2 * math.Pi * EarthRadiusKm / 360, 1e-9},
		// Quarter of a great circle.
		{"equator to pole", 0, 0, 90, 0, math.Pi * EarthRadiusKm / 2, 1e-6},
		// Antipodes.
		{"antipodes", 0, 0, 0, 180, math.Pi * EarthRadiusKm, 1e-6},
		// Fès (CHU Hassan II) to Meknès (Hôpital Mohammed V): about 52 km
		// as the crow flies.
		{"Fès to Meknès", 34.0036766, -4.9637961, 33.9038637, -5.5403708, 54.1, 1.0},
	}
	for _, tc := range tests {
		if got := GreatCircleKm(tc.lat1, tc.lon1, tc.lat2, tc.lon2); math.Abs(got-tc.want) > tc.tol {
			t.Errorf("%s: got %v km, want %v ± %v", tc.name, got, tc.want, tc.tol)
		}
	}
}

func TestEstimatorLeg(t *testing.T) {
	a := Point{ID: "a", Lat: 0, Lon: 0, Urban: true}
	b := Point{ID: "b", Lat: 1, Lon: 0}
	gc := GreatCircleKm(0, 0, 1, 0)
	e := &Estimator{Circuity: 1.5, RuralKmh: 60, UrbanKmh: 20}
	got, err := e.Leg(a, b)
	if err != nil {
		t.Fatal(err)
	}
	km := gc * 1.5
	want := Leg{Km: km, Minutes: (km/2)/20*60 + (km/2)/60*60}
	if math.Abs(got.Km-want.Km) > 1e-9 || math.Abs(got.Minutes-want.Minutes) > 1e-9 {
		t.Errorf("Leg = %+v, want %+v", got, want)
	}
	// Defaults.
	var def *Estimator
	got, _ = def.Leg(b, Point{ID: "c", Lat: 0, Lon: 0})
	km = gc * DefaultCircuity
	if math.Abs(got.Minutes-km/DefaultRuralKmh*60) > 1e-9 {
		t.Errorf("default rural leg = %+v", got)
	}
	// Bad parameters and points.
	if _, err := (&Estimator{Circuity: 0.5}).Leg(a, b); !errors.Is(err, ErrInvalid) {
		t.Errorf("circuity 0.5: %v", err)
	}
	if _, err := (&Estimator{RuralKmh: math.NaN()}).Leg(a, b); !errors.Is(err, ErrInvalid) {
		t.Errorf("NaN speed: %v", err)
	}
	if _, err := e.Leg(a, Point{ID: "x", Lat: 100}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad point: %v", err)
	}
}

func TestEstimatorMatrix(t *testing.T) {
	from := []Point{{ID: "a1", Lat: 34, Lon: -5}, {ID: "a2", Lat: 34.5, Lon: -5}}
	to := []Point{{ID: "h1", Lat: 34, Lon: -5}, {ID: "h2", Lat: 35, Lon: -5}}
	m, err := (*Estimator)(nil).Matrix(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	if m.Reachable() != 4 || len(m.Unreachable()) != 0 {
		t.Errorf("reachable %d, unreachable %v", m.Reachable(), m.Unreachable())
	}
	for i, f := range from {
		for j, d := range to {
			got, ok := m.At(i, j)
			want, _ := (*Estimator)(nil).Leg(f, d)
			if !ok || got != want {
				t.Errorf("At(%d,%d) = %v %v, want %v", i, j, got, ok, want)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (*Estimator)(nil).Matrix(ctx, from, to); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := (*Estimator)(nil).Matrix(context.Background(), []Point{{ID: "a"}, {ID: "a"}}, to); !errors.Is(err, ErrInvalid) {
		t.Errorf("duplicate origins: %v", err)
	}
}

func TestMatrix(t *testing.T) {
	m, err := NewMatrix([]string{"a", "b"}, []string{"x", "y", "z"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Set(0, 1, Leg{Minutes: 3, Km: 2}); err != nil {
		t.Fatal(err)
	}
	if err := m.Set(1, 2, Leg{Minutes: math.Inf(1)}); !errors.Is(err, ErrInvalid) {
		t.Errorf("infinite leg accepted: %v", err)
	}
	if err := m.Set(2, 0, Leg{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("out of range accepted: %v", err)
	}
	if err := m.SetID("b", "q", Leg{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown destination accepted: %v", err)
	}
	if _, ok := m.At(-1, 0); ok {
		t.Error("At(-1, 0) reachable")
	}
	want := []Pair{{"a", "x"}, {"a", "z"}, {"b", "x"}, {"b", "y"}, {"b", "z"}}
	if diff := cmp.Diff(want, m.Unreachable()); diff != "" {
		t.Errorf("Unreachable (-want +got):\n%s", diff)
	}
	m.Unset(0, 1)
	if m.Reachable() != 0 {
		t.Errorf("Reachable after Unset = %d", m.Reachable())
	}
	if _, err := NewMatrix([]string{"a", ""}, []string{"x", "x"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad IDs: %v", err)
	} else if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != 2 {
		t.Errorf("got %d errors, want 2: %v", n, err)
	}
}

func TestTravelBetween(t *testing.T) {
	r := smallRegion()
	m, _ := NewMatrix([]string{"A1"}, []string{"H1"})
	_ = m.SetID("A1", "H1", Leg{Minutes: 99, Km: 1})
	r.Travel = m
	got, err := r.TravelBetween(context.Background(), []string{"A1", "A2"}, []string{"H1", "C1"}, &Estimator{})
	if err != nil {
		t.Fatal(err)
	}
	if l, _ := got.Lookup("A1", "H1"); l.Minutes != 99 {
		t.Errorf("measured leg not used: %v", l)
	}
	est, _ := (&Estimator{}).Leg(Point{Lat: 33.5, Lon: -5.2}, Point{Lat: 33.5, Lon: -5.2})
	if l, ok := got.Lookup("A2", "C1"); !ok || l != est {
		t.Errorf("estimated leg = %v, %v; want %v", l, ok, est)
	}
	// Without an estimator only measured legs are reachable.
	got, err = r.TravelBetween(context.Background(), []string{"A1", "A2"}, []string{"H1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Pair{{"A2", "H1"}}, got.Unreachable()); diff != "" {
		t.Errorf("unreachable (-want +got):\n%s", diff)
	}
	if _, err := r.TravelBetween(context.Background(), []string{"A9"}, []string{"H1"}, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown origin: %v", err)
	}
}

func TestDemandTable(t *testing.T) {
	d, err := NewDemandTable([]Demand{{"a2", "s", 5}, {"a1", "t", 1}, {"a1", "s", 2}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Demand{{"a1", "s", 2}, {"a1", "t", 1}, {"a2", "s", 5}}
	if diff := cmp.Diff(want, d.Rows()); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if d.Volume("a2", "s") != 5 || d.Volume("a2", "t") != 0 || d.Total("s") != 7 {
		t.Error("Volume/Total wrong")
	}
	if diff := cmp.Diff([]ServiceID{"s", "t"}, d.Services()); diff != "" {
		t.Error(diff)
	}
	_, err = NewDemandTable([]Demand{{"a", "s", -1}, {"", "s", 1}, {"b", "s", math.NaN()}, {"c", "s", 1}, {"c", "s", 2}})
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != 4 || !errors.Is(err, ErrInvalid) {
		t.Errorf("got %d errors, want 4: %v", n, err)
	}
	b, _ := d.MarshalJSON()
	var back DemandTable
	if err := back.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d.Rows(), back.Rows()); diff != "" {
		t.Error(diff)
	}
}

func TestAssignment(t *testing.T) {
	a, err := NewAssignment([]Allocation{
		{"A1", "delivery", "N1", 0.25}, {"A1", "delivery", "H1", 0.75}, {"A2", "consult", "C1", 0.5},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Allocation{{"A1", "delivery", "H1", 0.75}, {"A1", "delivery", "N1", 0.25}}
	if diff := cmp.Diff(want, a.For("A1", "delivery")); diff != "" {
		t.Errorf("For (-want +got):\n%s", diff)
	}
	if a.Served("A2", "consult") != 0.5 || a.Served("A2", "delivery") != 0 {
		t.Error("Served wrong")
	}
	if err := a.Validate(smallRegion()); err != nil {
		t.Errorf("Validate: %v", err)
	}
	bad, _ := NewAssignment([]Allocation{{"A1", "delivery", "C1", 1}, {"A9", "consult", "C1", 1}})
	if err := bad.Validate(smallRegion()); err == nil || len(err.(interface{ Unwrap() []error }).Unwrap()) != 2 {
		t.Errorf("Validate of bad assignment: %v", err)
	}
	_, err = NewAssignment([]Allocation{{"A1", "s", "e", 0.7}, {"A1", "s", "f", 0.7}, {"A2", "s", "e", 0}, {"A3", "s", "e", 0.1}, {"A3", "s", "e", 0.1}})
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != 3 {
		t.Errorf("got %d errors, want 3: %v", n, err)
	}
}

func TestLevelText(t *testing.T) {
	for _, l := range Levels {
		b, err := l.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Level
		if err := back.UnmarshalText(b); err != nil || back != l {
			t.Errorf("%v round trip = %v, %v", l, back, err)
		}
	}
	if _, err := Level(9).MarshalText(); !errors.Is(err, ErrInvalid) {
		t.Error("Level(9) marshalled")
	}
	if l, err := ParseLevel(" CHR "); err != nil || l != RegionalHospital {
		t.Errorf("ParseLevel(CHR) = %v, %v", l, err)
	}
	if s := Status(42).String(); s != "Status(42)" {
		t.Errorf("Status(42) = %q", s)
	}
	var st Status
	if err := st.UnmarshalText([]byte("time limit")); err != nil || st != StatusTimeLimit {
		t.Errorf("status text: %v %v", st, err)
	}
}

func TestGap(t *testing.T) {
	if g := Gap(100, 99); math.Abs(g-0.01) > 1e-12 {
		t.Errorf("Gap(100, 99) = %v", g)
	}
	if g := Gap(100, 101); g != 0 {
		t.Errorf("Gap(100, 101) = %v", g)
	}
	if g := Gap(100, math.Inf(-1)); !math.IsInf(g, 1) {
		t.Errorf("Gap without bound = %v", g)
	}
}

func TestGapOfZeroObjective(t *testing.T) {
	// A maximisation that covers nothing against a bound of 5, mirrored
	// into a minimisation, reads 100%, not 1e15.
	if g := Gap(0, -5); g != 1 {
		t.Errorf("Gap(0, -5) = %v, want 1", g)
	}
	if g := Gap(-0, 0); g != 0 {
		t.Errorf("Gap(0, 0) = %v", g)
	}
}
