package lp

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gstplan/gst"
)

// transportModel is a transportation problem: s sources with supplies, d
// sinks with demands, every arc with a cost.
func transportModel(rng *rand.Rand, s, d int) *Model {
	m := NewModel("transport")
	x := make([][]int, s)
	for i := range x {
		x[i] = make([]int, d)
		for j := range x[i] {
			x[i][j] = m.AddVar("", 0, math.Inf(1), 1+rng.Float64()*9, Continuous)
		}
	}
	for i := range x {
		coefs := make([]float64, d)
		for j := range coefs {
			coefs[j] = 1
		}
		m.AddRow("", x[i], coefs, LE, 10+rng.Float64()*10)
	}
	for j := 0; j < d; j++ {
		cols := make([]int, s)
		coefs := make([]float64, s)
		for i := range cols {
			cols[i], coefs[i] = x[i][j], 1
		}
		m.AddRow("", cols, coefs, GE, 2+rng.Float64()*5)
	}
	return m
}

func TestWarmStart(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 5))
	for trial := 0; trial < 20; trial++ {
		m := transportModel(rng, 15, 25)
		first, err := Solve(ctx, m, &Options{KeepBasis: true})
		if err != nil {
			t.Fatal(err)
		}
		if first.Basis == nil {
			t.Fatal("no basis kept")
		}
		// Tighten a few bounds and change a right-hand side, as a branch
		// and bound or a cut loop would.
		for k := 0; k < 3; k++ {
			j := rng.IntN(m.NumVars())
			m.SetBounds(j, 0, math.Floor(first.X[j]))
		}
		m.SetRHS(0, m.RHS(0)*0.9)
		cold, errC := Solve(ctx, m, nil)
		warm, errW := Solve(ctx, m, &Options{Start: first.Basis})
		if (errC == nil) != (errW == nil) {
			t.Fatalf("trial %d: cold err %v, warm err %v", trial, errC, errW)
		}
		if errC != nil {
			continue
		}
		if math.Abs(cold.Objective-warm.Objective) > 1e-7*math.Max(1, math.Abs(cold.Objective)) {
			t.Errorf("trial %d: warm start gives %.9f, cold %.9f", trial, warm.Objective, cold.Objective)
		}
		if warm.Iterations > cold.Iterations {
			t.Errorf("trial %d: warm start took %d iterations, cold %d", trial, warm.Iterations, cold.Iterations)
		}
	}
}

func TestWarmStartOtherShape(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(6, 6))
	a := transportModel(rng, 5, 6)
	sa, err := Solve(ctx, a, &Options{KeepBasis: true})
	if err != nil {
		t.Fatal(err)
	}
	b := transportModel(rng, 6, 6)
	cold, err := Solve(ctx, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Solve(ctx, b, &Options{Start: sa.Basis})
	if err != nil {
		t.Fatal(err)
	}
	if got.Objective != cold.Objective {
		t.Errorf("a basis of another shape changed the answer: %v, want %v", got.Objective, cold.Objective)
	}
}

func TestWarmStartAddedRows(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 20; trial++ {
		m := transportModel(rng, 10, 12)
		first, err := Solve(ctx, m, &Options{KeepBasis: true})
		if err != nil {
			t.Fatal(err)
		}
		// A cut: the total shipped on a few arcs is at most what it is now,
		// less a little.
		var cols []int
		var coefs []float64
		var act float64
		for k := 0; k < 5; k++ {
			j := rng.IntN(m.NumVars())
			cols, coefs = append(cols, j), append(coefs, 1)
			act += first.X[j]
		}
		m.AddRow("cut", cols, coefs, LE, act*0.8)
		cold, errC := Solve(ctx, m, nil)
		warm, errW := Solve(ctx, m, &Options{Start: first.Basis, KeepBasis: true})
		if (errC == nil) != (errW == nil) {
			t.Fatalf("trial %d: cold err %v, warm err %v", trial, errC, errW)
		}
		if errC != nil {
			continue
		}
		if math.Abs(cold.Objective-warm.Objective) > 1e-7*math.Max(1, math.Abs(cold.Objective)) {
			t.Errorf("trial %d: warm start gives %.9f, cold %.9f", trial, warm.Objective, cold.Objective)
		}
		if warm.Iterations > cold.Iterations {
			t.Errorf("trial %d: warm start took %d iterations, cold %d", trial, warm.Iterations, cold.Iterations)
		}
	}
}

// TestMaxIterations stops a solve at its iteration limit with
// ErrIterationLimit, and lets one within the limit finish with the answer
// of an unlimited solve; the limit counts from the start, warm or cold.
func TestMaxIterations(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 10; trial++ {
		m := transportModel(rng, 20, 30)
		free, err := Solve(ctx, m, &Options{KeepBasis: true})
		if err != nil {
			t.Fatal(err)
		}
		if free.Iterations < 4 {
			t.Fatalf("trial %d: %d iterations, too few to test a limit", trial, free.Iterations)
		}
		// Stopped in the first phase or the second (where lp_solve may
		// call the point SUBOPTIMAL), a linear programme has no answer.
		for _, limit := range []int64{1, free.Iterations / 4, free.Iterations / 2, free.Iterations * 3 / 4, free.Iterations - 1} {
			stopped, err := Solve(ctx, m, &Options{MaxIterations: max(limit, 1)})
			if !errors.Is(err, ErrIterationLimit) || !errors.Is(err, gst.ErrNoSolution) {
				t.Fatalf("trial %d: limit %d of %d iterations: error %v, want ErrIterationLimit", trial, limit, free.Iterations, err)
			}
			if stopped == nil || stopped.Status != gst.StatusFailed {
				t.Fatalf("trial %d: limit %d: stopped solve %+v, want StatusFailed", trial, limit, stopped)
			}
		}
		within, err := Solve(ctx, m, &Options{MaxIterations: 10 * free.Iterations})
		if err != nil || math.Abs(within.Objective-free.Objective) > 1e-9*math.Max(1, math.Abs(free.Objective)) {
			t.Fatalf("trial %d: within the limit: %v, objective %v, want %v", trial, err, within, free.Objective)
		}
		// With another objective the old basis stays primal feasible,
		// and a warm start stopped in the primal simplex gets SUBOPTIMAL
		// from lp_solve: still no answer.
		changed := cloneForTest(m)
		for j := 0; j < changed.NumVars(); j++ {
			changed.SetObj(j, 1+rng.Float64()*9)
		}
		again, err := Solve(ctx, changed, &Options{Start: free.Basis})
		if err != nil {
			t.Fatal(err)
		}
		if again.Iterations >= 2 {
			s, err := Solve(ctx, changed, &Options{Start: free.Basis, MaxIterations: again.Iterations / 2})
			if !errors.Is(err, ErrIterationLimit) || s == nil || s.Status != gst.StatusFailed {
				t.Fatalf("trial %d: warm start stopped at %d of %d iterations: error %v, status %v", trial, again.Iterations/2, again.Iterations, err, s.Status)
			}
		}
		// From the optimal basis the solve needs no iteration: a limit of
		// one does not stop it.
		warm, err := Solve(ctx, m, &Options{Start: free.Basis, MaxIterations: 1})
		if err != nil || math.Abs(warm.Objective-free.Objective) > 1e-9*math.Max(1, math.Abs(free.Objective)) {
			t.Fatalf("trial %d: warm from the optimum with a limit of 1: %v, %v", trial, err, warm)
		}
	}
}

// cloneForTest copies m's columns and rows into a new model.
func cloneForTest(m *Model) *Model {
	c := NewModel("copy")
	for j := 0; j < m.NumVars(); j++ {
		lo, hi := m.Bounds(j)
		c.AddVar("", lo, hi, m.Obj(j), m.VarKind(j))
	}
	for i := 0; i < m.NumRows(); i++ {
		cols, coefs, sense, rhs := m.Row(i)
		c.AddRow("", cols, coefs, sense, rhs)
	}
	return c
}
