package lp

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/draffensperger/golp"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gstplan/gst"
)

// approx compares floats within an absolute or relative tolerance of 1e-7.
var approx = cmp.Comparer(func(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 1e-7*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
})

// ignoreStats leaves out the fields that depend on timing or on the path
// lp_solve took.
var ignoreStats = cmpopts.IgnoreFields(Solution{}, "Time", "Iterations", "Nodes", "Violation", "SolverCode")

func TestLPPtr(t *testing.T) {
	for _, n := range []int{0, 1, 7} {
		l := golp.NewLP(2, n)
		if got, want := ncolumnsVia(l), l.NumCols(); got != want || got != n {
			t.Errorf("get_Ncolumns through the golp pointer = %d; golp NumCols = %d, want %d", got, want, n)
		}
	}
}

// handLP is
//
//	min −3x − 2y  s.t.  c1: x + y ≤ 4,  c2: x + 3y ≤ 6,  0 ≤ x ≤ 3,  y ≥ 0
//
// (or its mirror max 3x + 2y). Optimum x = 3, y = 1. Raising c2's rhs by 1
// moves y by 1/3 and the objective by −2/3 (min) or +2/3 (max); c1 has
// slack 0 but a zero dual (degenerate vertex with x at its bound: raising
// c1 alone changes nothing, since y is held by c2). x's reduced cost is
// −3 − (−2/3) = −7/3 for min, 3 − 2/3 = 7/3 for max.
func handLP(maximize bool) *Model {
	s := 1.0
	if !maximize {
		s = -1
	}
	m := NewModel("hand")
	x := m.AddVar("x", 0, 3, 3*s, Continuous)
	y := m.AddVar("y", 0, inf, 2*s, Continuous)
	m.AddRow("c1", []int{x, y}, []float64{1, 1}, LE, 4)
	m.AddRow("c2", []int{x, y}, []float64{1, 3}, LE, 6)
	m.SetMaximize(maximize)
	return m
}

// handLP2 is
//
//	min 2x + 3y + 10  s.t.  g: x + y ≥ 4,  e: x − y = 1,  x, y ≥ 0
//
// Optimum x = 2.5, y = 1.5, objective 19.5. With g's rhs b and e's rhs d,
// x = (b+d)/2 and y = (b−d)/2, so the objective is 2.5b − 0.5d + 10: the
// duals are 2.5 for g and −0.5 for e; both columns are basic (reduced cost
// 0).
func handLP2() *Model {
	m := NewModel("hand2")
	x := m.AddVar("x", 0, inf, 2, Continuous)
	y := m.AddVar("y", 0, inf, 3, Continuous)
	m.AddRow("g", []int{x, y}, []float64{1, 1}, GE, 4)
	m.AddRow("e", []int{x, y}, []float64{1, -1}, EQ, 1)
	m.SetObjConstant(10)
	return m
}

func TestDualsHandSolved(t *testing.T) {
	tests := []struct {
		name string
		m    *Model
		want *Solution
	}{
		{"min", handLP(false), &Solution{Status: gst.StatusOptimal, Objective: -11, Bound: -11,
			X: []float64{3, 1}, Duals: []float64{0, -2.0 / 3}, ReducedCosts: []float64{-7.0 / 3, 0}}},
		{"max", handLP(true), &Solution{Status: gst.StatusOptimal, Maximize: true, Objective: 11, Bound: 11,
			X: []float64{3, 1}, Duals: []float64{0, 2.0 / 3}, ReducedCosts: []float64{7.0 / 3, 0}}},
		{"ge and eq", handLP2(), &Solution{Status: gst.StatusOptimal, Objective: 19.5, Bound: 19.5,
			X: []float64{2.5, 1.5}, Duals: []float64{2.5, -0.5}, ReducedCosts: []float64{0, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Solve(context.Background(), tt.m, &Options{Duals: true})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, approx, ignoreStats); diff != "" {
				t.Errorf("Solve (-want +got):\n%s", diff)
			}
			// Without Duals, no duals.
			got, err = Solve(context.Background(), tt.m, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got.Duals != nil || got.ReducedCosts != nil {
				t.Errorf("duals without Options.Duals: %v, %v", got.Duals, got.ReducedCosts)
			}
		})
	}
}

func TestTrivialModels(t *testing.T) {
	tests := []struct {
		name    string
		build   func(m *Model)
		want    *Solution
		wantErr error
	}{
		{"empty", func(m *Model) { m.SetObjConstant(4) },
			&Solution{Status: gst.StatusOptimal, Objective: 4, Bound: 4, X: []float64{}, Duals: []float64{}, ReducedCosts: []float64{}}, nil},
		{"no columns, rows that hold", func(m *Model) {
			m.AddRow("a", nil, nil, LE, 1)
			m.AddRow("b", nil, nil, GE, -1)
			m.AddRow("c", nil, nil, EQ, 1e-12)
		}, &Solution{Status: gst.StatusOptimal, Objective: 0, Bound: 0, X: []float64{}, Duals: []float64{0, 0, 0}, ReducedCosts: []float64{}}, nil},
		{"no columns, a row that fails", func(m *Model) {
			m.AddRow("a", nil, nil, LE, 1)
			m.AddRow("b", nil, nil, GE, 1)
		}, &Solution{Status: gst.StatusInfeasible, Objective: math.NaN(), Bound: math.Inf(-1)}, gst.ErrInfeasible},
		{"a row of zeros that fails, with columns", func(m *Model) {
			x := m.AddVar("x", 0, 1, 1, Continuous)
			m.AddRow("ok", []int{x}, []float64{1}, LE, 1)
			m.AddRow("zeros", []int{x}, []float64{0}, EQ, 2)
		}, &Solution{Status: gst.StatusInfeasible, Objective: math.NaN(), Bound: math.Inf(-1)}, gst.ErrInfeasible},
		{"columns, no rows, min", func(m *Model) {
			m.AddVar("x", 1, 3, 1, Continuous)
			m.AddVar("y", -2, 5, 2, Continuous)
			m.AddVar("z", 2, 5, 0, Continuous)
			m.AddVar("w", -5, -1, 0, Continuous)
			m.AddVar("v", math.Inf(-1), inf, 0, Continuous)
			m.AddVar("i", 0.5, 4.5, 1, Integer)
			m.AddRow("empty", nil, nil, LE, 0)
		}, &Solution{Status: gst.StatusOptimal, Objective: -2, Bound: -2, X: []float64{1, -2, 2, -1, 0, 1},
			Duals: []float64{0}, ReducedCosts: []float64{1, 2, 0, 0, 0, 1}}, nil},
		{"columns, no rows, max", func(m *Model) {
			m.AddVar("x", 1, 3, 1, Continuous)
			m.AddVar("i", 0.5, 4.5, 1, Integer)
			m.SetMaximize(true)
			m.SetObjConstant(1)
		}, &Solution{Status: gst.StatusOptimal, Maximize: true, Objective: 8, Bound: 8, X: []float64{3, 4}, Duals: []float64{}, ReducedCosts: []float64{1, 1}}, nil},
		{"columns, no rows, unbounded", func(m *Model) {
			m.AddVar("x", 0, inf, -1, Continuous)
		}, &Solution{Status: gst.StatusUnbounded, Objective: math.NaN(), Bound: math.Inf(-1)}, gst.ErrUnbounded},
		{"columns, no rows, no integer in bounds", func(m *Model) {
			m.AddVar("x", 0.2, 0.8, 1, Integer)
		}, &Solution{Status: gst.StatusInfeasible, Objective: math.NaN(), Bound: math.Inf(-1)}, gst.ErrInfeasible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewModel("t")
			tt.build(m)
			got, err := Solve(context.Background(), m, &Options{Duals: true})
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, approx, ignoreStats); diff != "" {
				t.Errorf("Solve (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEmptyRowInfeasibleNamesRow(t *testing.T) {
	m := NewModel("t")
	m.AddRow("staff_min", nil, nil, GE, 3)
	_, err := Solve(context.Background(), m, nil)
	if err == nil || !strings.Contains(err.Error(), `"staff_min"`) {
		t.Errorf("error = %v, want one naming staff_min", err)
	}
}

func TestEmptyRowKeepsZeroDual(t *testing.T) {
	m := handLP(false)
	m.AddRow("nothing", nil, nil, LE, 5)
	m.AddRow("c3", []int{0, 1}, []float64{1, 1}, LE, 100) // slack
	got, err := Solve(context.Background(), m, &Options{Duals: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, -2.0 / 3, 0, 0}
	if diff := cmp.Diff(want, got.Duals, approx); diff != "" {
		t.Errorf("Duals (-want +got):\n%s", diff)
	}
}

func TestInfeasibleAndUnbounded(t *testing.T) {
	tests := []struct {
		name       string
		build      func(m *Model)
		wantStatus gst.Status
		wantErr    error
	}{
		{"infeasible LP", func(m *Model) {
			x := m.AddVar("x", 0, inf, 1, Continuous)
			y := m.AddVar("y", 0, inf, 1, Continuous)
			m.AddRow("a", []int{x, y}, []float64{1, 1}, LE, 1)
			m.AddRow("b", []int{x, y}, []float64{1, 1}, GE, 2)
		}, gst.StatusInfeasible, gst.ErrInfeasible},
		{"infeasible MIP", func(m *Model) {
			x := m.AddVar("x", 0, 10, 1, Integer)
			m.AddRow("a", []int{x}, []float64{2}, EQ, 1)
		}, gst.StatusInfeasible, gst.ErrInfeasible},
		{"integer bounds without an integer", func(m *Model) {
			// lp_solve itself would loop forever on this one.
			x := m.AddVar("x", 12, inf, 12, Continuous)
			y := m.AddVar("y", 12.25, 12.5, 1, Integer)
			m.AddRow("a", []int{x, y}, []float64{12, 1}, GE, 0)
		}, gst.StatusInfeasible, gst.ErrInfeasible},
		{"unbounded LP", func(m *Model) {
			x := m.AddVar("x", 0, inf, 1, Continuous)
			y := m.AddVar("y", 0, inf, 0, Continuous)
			m.AddRow("a", []int{x, y}, []float64{1, -1}, LE, 1)
			m.SetMaximize(true)
		}, gst.StatusUnbounded, gst.ErrUnbounded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewModel("t")
			tt.build(m)
			got, err := Solve(context.Background(), m, nil)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if got == nil || got.Status != tt.wantStatus || got.X != nil || !math.IsNaN(got.Objective) {
				t.Errorf("Solution = %+v, want status %v without values", got, tt.wantStatus)
			}
		})
	}
}

func TestObjectiveConstantAndBoundWithConstant(t *testing.T) {
	m := handLP(true)
	m.SetObjConstant(100)
	got, err := Solve(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]float64{111, 111}, []float64{got.Objective, got.Bound}, approx); diff != "" {
		t.Errorf("objective, bound (-want +got):\n%s", diff)
	}
}

func TestInvalidInput(t *testing.T) {
	bad := NewModel("t")
	bad.AddVar("x", 1, 0, 0, Continuous)
	ok := handLP(false)
	tests := []struct {
		name string
		m    *Model
		opt  *Options
	}{
		{"nil model", nil, nil},
		{"invalid model", bad, nil},
		{"negative time limit", ok, &Options{TimeLimit: -1}},
		{"NaN gap", ok, &Options{MIPGapRel: math.NaN()}},
		{"negative gap", ok, &Options{MIPGapAbs: -1}},
		{"EpsInt too large", ok, &Options{EpsInt: 0.5}},
		{"unknown scaling", ok, &Options{Scaling: 9}},
		{"unknown branch", ok, &Options{Branch: -1}},
		{"NodeRule out of range", ok, &Options{NodeRule: -3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sol, err := Solve(context.Background(), tt.m, tt.opt)
			if !errors.Is(err, gst.ErrInvalid) || sol != nil {
				t.Errorf("Solve = %v, %v; want nil, ErrInvalid", sol, err)
			}
		})
	}
}

func TestOptionsAccepted(t *testing.T) {
	opts := []*Options{
		{Scaling: ScalingNone}, {Scaling: ScalingGeometric}, {Scaling: ScalingCurtisReid}, {Scaling: ScalingGeometricPower2},
		{Branch: BranchCeiling}, {Branch: BranchFloor}, {Branch: BranchAuto},
		{NodeRule: 0}, {EpsInt: 1e-6}, {MIPGapAbs: 1e-3, MIPGapRel: 1e-3}, {Presolve: true},
		{Presolve: true, Duals: true}, {TimeLimit: time.Hour},
	}
	want, err := Solve(context.Background(), knapsack(12, 3), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range opts {
		got, err := Solve(context.Background(), knapsack(12, 3), opt)
		if err != nil {
			t.Fatalf("%+v: %v", opt, err)
		}
		// Loosened gaps make an optimum "feasible" unless the root bound
		// proves it.
		if !got.Status.HasSolution() || math.Abs(got.Objective-want.Objective) > 1e-6 {
			t.Errorf("%+v: status %v objective %v; want %v", opt, got.Status, got.Objective, want.Objective)
		}
	}
}

func TestPresolveReportsEveryColumn(t *testing.T) {
	// A fixed column and singleton rows that presolve removes.
	m := NewModel("p")
	x := m.AddVar("x", 2, 2, 1, Continuous)
	y := m.AddVar("y", 0, inf, -1, Continuous)
	z := m.AddVar("z", 0, inf, 2, Continuous)
	w := m.AddVar("w", 0, inf, 1, Continuous)
	m.AddRow("r1", []int{x, y}, []float64{1, 1}, LE, 5)
	m.AddRow("r2", []int{y, z}, []float64{1, 1}, GE, 1)
	m.AddRow("r3", []int{z}, []float64{1}, LE, 10)
	m.AddRow("r4", []int{y, z, w}, []float64{1, -1, 1}, GE, 4)
	m.AddRow("r5", []int{y, w}, []float64{2, 2}, GE, 8)
	for _, opt := range []*Options{{}, {Presolve: true}, {Presolve: true, Duals: true}} {
		got, err := Solve(context.Background(), m, opt)
		if err != nil {
			t.Fatal(err)
		}
		want := &Solution{Status: gst.StatusOptimal, Objective: 0, Bound: 0, X: []float64{2, 3, 0, 1}}
		if opt.Duals {
			// r1: y = 5 − x rises, w falls by as much: −1 − 1 = −2.
			// r4: w rises by 1: +1. x: 1 − (−2) = 3; z: 2 − (r4: −1·1) = 3.
			want.Duals = []float64{-2, 0, 0, 1, 0}
			want.ReducedCosts = []float64{3, 0, 3, 0}
		}
		if diff := cmp.Diff(want, got, approx, ignoreStats); diff != "" {
			t.Errorf("%+v: Solve (-want +got):\n%s", opt, diff)
		}
	}
}

func TestSolveIsDeterministic(t *testing.T) {
	m := facilityModel(newFacility(rand.New(rand.NewPCG(5, 5)), 5, 12))
	a, err := Solve(context.Background(), m, &Options{Duals: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Solve(context.Background(), m, &Options{Duals: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b, cmpopts.IgnoreFields(Solution{}, "Time")); diff != "" {
		t.Errorf("two solves differ (-first +second):\n%s", diff)
	}
}

func TestContextDoneBeforeSolve(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	tests := []struct {
		name       string
		ctx        context.Context
		wantStatus gst.Status
		wantCtxErr error
	}{
		{"canceled", canceled, gst.StatusCanceled, context.Canceled},
		{"deadline passed", expired, gst.StatusTimeLimit, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			got, err := Solve(tt.ctx, hardMIP(100, 10, 1), nil)
			if !errors.Is(err, gst.ErrNoSolution) || !errors.Is(err, tt.wantCtxErr) {
				t.Errorf("error = %v, want ErrNoSolution and %v", err, tt.wantCtxErr)
			}
			if got == nil || got.Status != tt.wantStatus || got.X != nil || got.Iterations != 0 {
				t.Errorf("Solution = %+v, want status %v, no values, no iterations", got, tt.wantStatus)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// hardMIP is a multi-dimensional 0-1 knapsack (n items, k capacity rows,
// weights in 1..1000, capacities half the total weight) that lp_solve needs
// minutes for at n = 100, k = 10; its LP relaxation is solved in
// milliseconds and an incumbent is found within a few more.
func hardMIP(n, k int, seed uint64) *Model {
	r := rand.New(rand.NewPCG(seed, 1))
	m := NewModel("mkp")
	cols := make([]int, n)
	w := make([][]float64, k)
	for i := range w {
		w[i] = make([]float64, n)
	}
	for j := range n {
		val := 0.0
		for i := range k {
			w[i][j] = float64(1 + r.IntN(1000))
			val += w[i][j]
		}
		cols[j] = m.AddVar("", 0, 1, math.Round(val/float64(k))+float64(r.IntN(500)), Binary)
	}
	for i := range k {
		s := 0.0
		for _, v := range w[i] {
			s += v
		}
		m.AddRow("", cols, w[i], LE, math.Floor(s/2))
	}
	m.SetMaximize(true)
	return m
}

func relaxation(m *Model) *Model {
	r := *m
	r.cols = append([]column(nil), m.cols...)
	for j := range r.cols {
		r.cols[j].kind = Continuous
	}
	return &r
}

func TestDeadlineOnHardMIP(t *testing.T) {
	if testing.Short() {
		t.Skip("takes seconds")
	}
	m := hardMIP(100, 10, 1)
	relax, err := Solve(context.Background(), relaxation(m), nil)
	if err != nil {
		t.Fatal(err)
	}
	type stop struct {
		name       string
		run        func() (*Solution, error)
		wantStatus gst.Status
	}
	stops := []stop{
		{"context deadline", func() (*Solution, error) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			return Solve(ctx, m, nil)
		}, gst.StatusTimeLimit},
		{"TimeLimit option", func() (*Solution, error) {
			return Solve(context.Background(), m, &Options{TimeLimit: time.Second})
		}, gst.StatusTimeLimit},
		{"cancel mid-solve", func() (*Solution, error) {
			ctx, cancel := context.WithCancel(context.Background())
			timer := time.AfterFunc(time.Second, cancel)
			defer timer.Stop()
			return Solve(ctx, m, nil)
		}, gst.StatusCanceled},
	}
	for _, s := range stops {
		t.Run(s.name, func(t *testing.T) {
			start := time.Now()
			got, err := s.run()
			elapsed := time.Since(start)
			if elapsed > 20*time.Second {
				t.Errorf("returned after %v for a 1 s limit", elapsed)
			}
			if got == nil || got.Status != s.wantStatus {
				t.Fatalf("Solution = %+v, %v; want status %v", got, err, s.wantStatus)
			}
			t.Logf("%v: stopped after %v, %d nodes, objective %v, bound %v, gap %.3g",
				s.name, elapsed, got.Nodes, got.Objective, got.Bound, got.Gap())
			if err != nil {
				// No incumbent in time (a very slow machine): the error
				// says so and there are no values.
				if !errors.Is(err, gst.ErrNoSolution) || got.X != nil {
					t.Errorf("error = %v with X = %v; want ErrNoSolution and no X", err, got.X)
				}
				return
			}
			if got.Violation > 1e-6 {
				t.Errorf("incumbent violates the model by %g", got.Violation)
			}
			// The bound is the root relaxation, above the incumbent.
			if math.Abs(got.Bound-relax.Objective) > 1e-6*relax.Objective || got.Bound < got.Objective {
				t.Errorf("bound %v, want the relaxation %v ≥ objective %v", got.Bound, relax.Objective, got.Objective)
			}
			if g := got.Gap(); !(g > 0 && g < 1) {
				t.Errorf("gap = %v, want in (0, 1)", g)
			}
		})
	}
}

func TestBreakAtFirst(t *testing.T) {
	got, err := Solve(context.Background(), hardMIP(100, 10, 1), &Options{BreakAtFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != gst.StatusFeasible || got.Violation > 1e-6 || !(got.Bound > got.Objective) {
		t.Errorf("Solution = %+v, want a feasible incumbent below its bound", got)
	}
}

func TestTinyTimeLimitWithoutIncumbent(t *testing.T) {
	// A time limit so short that the root LP is not done: no incumbent.
	got, err := Solve(context.Background(), hardMIP(100, 10, 1), &Options{TimeLimit: time.Nanosecond})
	if !errors.Is(err, gst.ErrNoSolution) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want ErrNoSolution and DeadlineExceeded", err)
	}
	if got.Status != gst.StatusTimeLimit || got.X != nil || !math.IsInf(got.Bound, 1) {
		t.Errorf("Solution = %+v, want time limit, no values, bound +Inf", got)
	}
}

func TestLoosenedGapBound(t *testing.T) {
	m := knapsack(30, 11)
	exact, err := Solve(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Solve(context.Background(), m, &Options{MIPGapAbs: 5, MIPGapRel: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	// A maximisation: the bound is above the true optimum, which is at
	// least the incumbent. lp_solve stops at a worse incumbent here, so
	// the status says feasible, not optimal.
	if got.Status != gst.StatusFeasible || got.Bound < exact.Objective-1e-9 || got.Objective > exact.Objective+1e-9 {
		t.Errorf("with gaps: %v objective %v bound %v; exact optimum %v", got.Status, got.Objective, got.Bound, exact.Objective)
	}
	if relax, err := Solve(context.Background(), relaxation(m), nil); err != nil || math.Abs(relax.Objective-got.Bound) > 1e-9 {
		t.Errorf("bound %v, want the relaxation %v (%v)", got.Bound, relax.Objective, err)
	}
}

func TestParallelSolves(t *testing.T) {
	const workers = 8
	models := make([]*Model, workers)
	for i := range models {
		r := rand.New(rand.NewPCG(uint64(i), 99))
		if i%2 == 0 {
			models[i] = knapsack(40, uint64(i))
		} else {
			models[i] = feasibleLP(r, 80, 60)
		}
	}
	want := make([]*Solution, workers)
	for i, m := range models {
		s, err := Solve(context.Background(), m, &Options{Duals: true})
		if err != nil {
			t.Fatalf("model %d: %v", i, err)
		}
		want[i] = s
	}
	got := make([]*Solution, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range models {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				got[i], errs[i] = Solve(context.Background(), models[i], &Options{Duals: true})
				if errs[i] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := range models {
		if errs[i] != nil {
			t.Fatalf("model %d: %v", i, errs[i])
		}
		if diff := cmp.Diff(want[i], got[i], cmpopts.IgnoreFields(Solution{}, "Time")); diff != "" {
			t.Errorf("model %d: parallel differs from sequential (-want +got):\n%s", i, diff)
		}
	}
}

// TestDualProperties checks, on random feasible LPs, that the reduced
// costs are obj − Aᵀ·duals, that duals and reduced costs have the signs
// of the stated convention, and that duals vanish on rows with slack.
func TestDualProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for k := range 100 {
		m := feasibleLP(r, 2+r.IntN(8), 1+r.IntN(8))
		sol, err := Solve(context.Background(), m, &Options{Duals: true})
		if err != nil {
			t.Fatalf("case %d: %v", k, err)
		}
		sign := 1.0 // min: binding ≤ rows have duals ≤ 0
		if m.maximize {
			sign = -1
		}
		rc := make([]float64, m.NumVars())
		for j := range rc {
			rc[j] = m.Obj(j)
		}
		for i := range m.NumRows() {
			cols, coefs, sense, rhs := m.Row(i)
			y := sol.Duals[i]
			for q, j := range cols {
				rc[j] -= y * coefs[q]
			}
			slack := math.Abs(m.RowActivity(i, sol.X) - rhs)
			if slack > 1e-6 && math.Abs(y) > 1e-7 {
				t.Errorf("case %d row %d: slack %g but dual %g", k, i, slack, y)
			}
			if (sense == LE && sign*y > 1e-7) || (sense == GE && sign*y < -1e-7) {
				t.Errorf("case %d row %d (%v): dual %g has the wrong sign", k, i, sense, y)
			}
		}
		for j, d := range sol.ReducedCosts {
			// min: a column at its lower bound has d ≥ 0, at its upper
			// bound d ≤ 0, strictly between d = 0; max: the mirror.
			lo, hi := m.Bounds(j)
			atLo, atHi := math.Abs(sol.X[j]-lo) < 1e-9, math.Abs(sol.X[j]-hi) < 1e-9
			if (!atHi && sign*d < -1e-7) || (!atLo && sign*d > 1e-7) {
				t.Errorf("case %d column %d: x = %v in [%v, %v] with reduced cost %v", k, j, sol.X[j], lo, hi, d)
			}
		}
		if diff := cmp.Diff(rc, sol.ReducedCosts, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-6 })); diff != "" {
			t.Errorf("case %d: reduced costs ≠ obj − Aᵀy (-computed +got):\n%s", k, diff)
		}
	}
}

func TestNilContextMeansBackground(t *testing.T) {
	var ctx context.Context // a nil context is treated as context.Background()
	got, err := Solve(ctx, handLP(false), nil)
	if err != nil || got.Status != gst.StatusOptimal {
		t.Errorf("Solve(nil ctx) = %+v, %v", got, err)
	}
}

func TestGap(t *testing.T) {
	tests := []struct {
		name string
		s    Solution
		want float64
	}{
		{"optimum", Solution{Objective: 5, Bound: 5}, 0},
		{"min with bound below", Solution{Objective: 10, Bound: 8}, 0.2},
		// Relative to the larger of the two (gst.Gap): 2/12.
		{"max with bound above", Solution{Maximize: true, Objective: 10, Bound: 12}, 2.0 / 12},
		{"no bound", Solution{Objective: 10, Bound: math.Inf(-1)}, math.Inf(1)},
		{"no answer", Solution{Maximize: true, Objective: math.NaN(), Bound: math.Inf(1)}, math.Inf(1)},
	}
	for _, tt := range tests {
		if got := tt.s.Gap(); got != tt.want {
			t.Errorf("%s: Gap = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestDeadlineOnLargeModel checks that a deadline is honoured on a model
// large enough that loading it and its first simplex take longer than the
// deadline. (lp_solve's row-by-row loading once took tens of seconds here,
// during which no deadline was checked.)
func TestDeadlineOnLargeModel(t *testing.T) {
	if testing.Short() {
		t.Skip("large model; skipped in -short mode")
	}
	rng := rand.New(rand.NewPCG(7, 7))
	m := NewModel("large")
	const nc, nr = 150000, 430000
	for j := 0; j < nc; j++ {
		m.AddVar("", 0, 1, -rng.Float64(), Continuous)
	}
	for i := 0; i < nr; i++ {
		m.AddRow("", []int{rng.IntN(nc), rng.IntN(nc)}, []float64{1, 1}, LE, 1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	sol, err := Solve(ctx, m, nil)
	elapsed := time.Since(start)
	if !errors.Is(err, gst.ErrNoSolution) || sol == nil || sol.Status != gst.StatusTimeLimit {
		t.Fatalf("Solve = %v, %v; want a time limit without a solution", sol, err)
	}
	// Generous: the machine may be loaded; before the fix this took 13–35 s.
	if elapsed > 10*time.Second {
		t.Errorf("a 1 s deadline returned after %v", elapsed)
	}
}

// TestSolvesFreeLPSolveCopy checks that lp_solve's copy of a model is freed
// when Solve returns, whatever the outcome, and when a Resolver is
// closed, not left to the garbage collector (which does not see
// lp_solve's memory).
func TestSolvesFreeLPSolveCopy(t *testing.T) {
	infeasible := NewModel("infeasible")
	x := infeasible.AddVar("x", 0, 1, 1, Continuous)
	infeasible.AddRow("r", []int{x}, []float64{1}, GE, 2)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		m    *Model
		opt  *Options
	}{
		{"linear", context.Background(), handLP2(), &Options{Duals: true, KeepBasis: true}},
		{"integer", context.Background(), knapsack(12, 3), nil},
		{"infeasible", context.Background(), infeasible, nil},
		{"cancelled", cancelled, knapsack(12, 4), nil},
		{"iteration limit", context.Background(), knapsack(30, 5), &Options{MaxIterations: 1}},
	}
	before := liveLPs.Load()
	for _, c := range cases {
		_, _ = Solve(c.ctx, c.m, c.opt)
		if n := liveLPs.Load() - before; n != 0 {
			t.Errorf("%s: %d lp_solve copies still held after Solve returned", c.name, n)
		}
	}
	r, err := NewResolver(handLP2())
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := r.Solve(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := liveLPs.Load() - before; n != 1 {
		t.Errorf("a Resolver between solves holds %d lp_solve copies, want 1", n)
	}
	r.Close()
	if n := liveLPs.Load() - before; n != 0 {
		t.Errorf("%d lp_solve copies still held after the Resolver was closed", n)
	}
}
