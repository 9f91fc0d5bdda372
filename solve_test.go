package gst

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSolveOptionsResolve(t *testing.T) {
	var p Problems
	o := SolveOptions{}.Resolve(&p, "options")
	if p.Err() != nil || o.GapTolerance != DefaultGapTolerance || o.MaxModelBytes != DefaultMaxModelBytes || o.TimeLimit != 0 {
		t.Errorf("defaults: %+v, %v", o, p.Err())
	}
	o = SolveOptions{TimeLimit: time.Second, GapTolerance: 0.01, MaxModelBytes: 5}.Resolve(&p, "options")
	if p.Err() != nil || o.GapTolerance != 0.01 || o.MaxModelBytes != 5 || o.TimeLimit != time.Second {
		t.Errorf("set values: %+v, %v", o, p.Err())
	}
	for _, g := range []float64{-0.1, 1, 2, math.NaN(), math.Inf(1)} {
		var p Problems
		SolveOptions{GapTolerance: g}.Resolve(&p, "pool options")
		if err := p.Err(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "pool options: gap tolerance: must be in [0, 1)") {
			t.Errorf("gap tolerance %v: %v", g, err)
		}
	}
	p = Problems{}
	SolveOptions{TimeLimit: -1, MaxModelBytes: -1}.Resolve(&p, "options")
	msg := fmt.Sprint(p.Err())
	for _, s := range []string{"options: time limit: must be >= 0", "options: max model bytes: must be >= 0"} {
		if !strings.Contains(msg, s) {
			t.Errorf("error %q does not say %q", msg, s)
		}
	}
}

func TestWithTimeLimit(t *testing.T) {
	ctx, cancel := SolveOptions{}.WithTimeLimit(context.Background())
	if _, ok := ctx.Deadline(); ok {
		t.Error("no limit sets a deadline")
	}
	cancel()
	ctx, cancel = SolveOptions{TimeLimit: time.Hour}.WithTimeLimit(context.Background())
	defer cancel()
	if d, ok := ctx.Deadline(); !ok || time.Until(d) > time.Hour {
		t.Errorf("deadline %v %v", d, ok)
	}
}

func TestSizeText(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {512, "512 B"}, {1536, "1.5 KiB"}, {300 << 10, "300 KiB"},
		{5 << 20, "5.0 MiB"}, {2 << 30, "2.0 GiB"}, {123 << 30, "123 GiB"},
	} {
		if got := sizeText(tc.n); got != tc.want {
			t.Errorf("sizeText(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestTooLargeError(t *testing.T) {
	err := error(&TooLargeError{Op: "allocate: pool", Model: "flow", Rows: 3, Columns: 4, Nonzeros: 8, Bytes: 3 << 30, Limit: 2 << 30,
		Suggestion: "plan region by region"})
	want := "allocate: pool: too large: the flow model would have about 3 rows, 4 columns and 8 nonzeros (3.0 GiB, limit 2.0 GiB); plan region by region"
	if err.Error() != want || !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %q", err)
	}
}

func TestInfeasibleError(t *testing.T) {
	areas := make([]AreaID, 12)
	for i := range areas {
		areas[i] = AreaID(fmt.Sprintf("a%02d", i))
	}
	a := &InfeasibleError{Op: "allocate", Rule: "max travel", Service: "caesarean", Areas: areas, Reason: "no eligible site is within 60 minutes"}
	b := &InfeasibleError{Op: "allocate: pool", Rule: "required team", Service: "caesarean", Establishment: "H2", Category: "midwife",
		Amount: 1, Unit: "FTE", Reason: "1 FTE missing"}
	c := &InfeasibleError{Op: "allocate: transfer", Rule: "demand", Areas: []AreaID{"A1"}, Referrers: []EstablishmentID{"C1"}, Reason: "no provider"}
	for _, tc := range []struct {
		err  *InfeasibleError
		want string
	}{
		{a, `allocate: infeasible: max travel: service "caesarean": no eligible site is within 60 minutes: areas a00, a01, a02, a03, a04, a05, a06, a07, a08, a09 (and 2 more)`},
		{b, `allocate: pool: infeasible: required team: service "caesarean": establishment "H2": category "midwife": 1 FTE missing`},
		{c, `allocate: transfer: infeasible: demand: no provider: areas A1: referrers C1`},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
		if !errors.Is(tc.err, ErrInfeasible) {
			t.Errorf("%v does not wrap ErrInfeasible", tc.err)
		}
	}
	// The causes come back in order from joined and wrapped errors, and
	// nothing else is taken for one.
	joined := errors.Join(a, fmt.Errorf("solving: %w", errors.Join(b, errors.New("other"))), c)
	if d := cmp.Diff([]*InfeasibleError{a, b, c}, InfeasibleCauses(joined)); d != "" {
		t.Errorf("causes (-want +got):\n%s", d)
	}
	if InfeasibleCauses(errors.New("x")) != nil || InfeasibleCauses(nil) != nil {
		t.Error("causes of an error without any")
	}
	if d := cmp.Diff([]*InfeasibleError{b, c}, InfeasibleCauses(JoinInfeasible([]*InfeasibleError{b, c}))); d != "" {
		t.Errorf("JoinInfeasible (-want +got):\n%s", d)
	}
	if JoinInfeasible(nil) != nil {
		t.Error("JoinInfeasible(nil) is not nil")
	}
}

func TestTravelSource(t *testing.T) {
	r := smallRegion()
	var err error
	r.Travel, err = MatrixFromEntries([]MatrixEntry{{From: "A1", To: "H1", Minutes: 10, Km: 8}, {From: "A2", To: "H1", Minutes: 50, Km: 40}})
	if err != nil {
		t.Fatal(err)
	}
	over, err := MatrixFromEntries([]MatrixEntry{{From: "A2", To: "H1", Minutes: 45, Km: 41}})
	if err != nil {
		t.Fatal(err)
	}
	from, to := []string{"A1", "A2"}, []string{"H1", "C1"}
	est := &Estimator{}
	pts := map[string]Point{}
	for _, p := range append(r.AreaPoints(), r.EstablishmentPoints()...) {
		pts[p.ID] = p
	}
	estimated := func(f, t string) Leg {
		l, err := est.Leg(pts[f], pts[t])
		if err != nil {
			panic(err)
		}
		return l
	}
	for _, tc := range []struct {
		name string
		src  TravelSource
		want map[[2]string]Leg // missing pairs are unreachable
	}{
		{"override, region, estimate", TravelSource{Travel: over},
			map[[2]string]Leg{{"A1", "H1"}: {10, 8}, {"A2", "H1"}: {45, 41}, {"A1", "C1"}: estimated("A1", "C1"), {"A2", "C1"}: estimated("A2", "C1")}},
		{"region only", TravelSource{NoEstimate: true},
			map[[2]string]Leg{{"A1", "H1"}: {10, 8}, {"A2", "H1"}: {50, 40}}},
	} {
		m, err := tc.src.Matrix(context.Background(), r, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range from {
			for _, to := range to {
				want, reach := tc.want[[2]string{f, to}]
				got, ok := m.Lookup(f, to)
				if ok != reach || got != want {
					t.Errorf("%s: Matrix %s→%s = %v %v, want %v %v", tc.name, f, to, got, ok, want, reach)
				}
				if got, ok := tc.src.Leg(r, pts[f], pts[to]); ok != reach || got != want {
					t.Errorf("%s: Leg %s→%s = %v %v, want %v %v", tc.name, f, to, got, ok, want, reach)
				}
			}
		}
	}
	if _, err := (TravelSource{}).Matrix(context.Background(), r, []string{"ghost"}, to); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown origin: %v", err)
	}
	zero, _ := MatrixFromEntries([]MatrixEntry{{From: "A1", To: "H1"}, {From: "A2", To: "H1"}})
	var p Problems
	TravelSource{Travel: zero, Estimator: &Estimator{Circuity: 0.5}}.Check(&p, "problem")
	msg := fmt.Sprint(p.Err())
	if p.Len() != 2 || !strings.Contains(msg, "problem: estimator") || !strings.Contains(msg, "problem: travel") {
		t.Errorf("Check: %v", msg)
	}
	if (TravelSource{NoEstimate: true, Estimator: est}).LegEstimator() != nil || (TravelSource{Estimator: est}).LegEstimator() != est ||
		(TravelSource{}).LegEstimator() == nil {
		t.Error("LegEstimator")
	}
}
