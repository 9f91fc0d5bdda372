package lp

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	gonumlp "gonum.org/v1/gonum/optimize/convex/lp"

	"github.com/gstplan/gst"
)

// lpCase is a random LP together with its general form for gonum:
// minimise c·x subject to G·x ≤ h, x free.
type lpCase struct {
	m          *Model
	infeasible bool
	c          []float64
	g          [][]float64
	h          []float64
}

// randomLP builds a random LP with n columns and k rows (plus two when it
// is made infeasible) that is feasible and bounded by construction: rows
// are built around a point x0 inside the bounds, and every column without
// an upper bound has a lower bound and a cost that pushes it down.
// Coefficients are multiples of 0.5, so the LPs are well conditioned.
func randomLP(r *rand.Rand, n, k int) lpCase {
	m := NewModel("random")
	maximize := r.IntN(2) == 0
	m.SetMaximize(maximize)
	dir := 1.0 // cost sign that keeps a column with no upper bound bounded
	if maximize {
		dir = -1
	}
	half := func(lo, hi int) float64 { return float64(lo+r.IntN(hi-lo+1)) / 2 }
	x0 := make([]float64, n)
	for j := range n {
		var lo, hi, obj float64
		switch r.IntN(3) {
		case 0: // [0, U]
			lo, hi, obj = 0, half(1, 20), half(-10, 10)
		case 1: // [−L, U]
			lo, hi, obj = -half(1, 20), half(1, 20), half(-10, 10)
		default: // [0, ∞) with a cost pushing down
			lo, hi, obj = 0, inf, dir*half(0, 10)
		}
		m.AddVar("", lo, hi, obj, Continuous)
		top := hi
		if math.IsInf(hi, 1) {
			top = 10
		}
		x0[j] = lo + (top-lo)*float64(r.IntN(5))/4
	}
	for range k {
		var cols []int
		var coefs []float64
		for j := range n {
			if r.IntN(10) < 6 || (j == n-1 && len(cols) == 0) {
				v := half(-10, 10)
				if v == 0 {
					v = 1
				}
				cols = append(cols, j)
				coefs = append(coefs, v)
			}
		}
		act := 0.0
		for q, j := range cols {
			act += coefs[q] * x0[j]
		}
		slack := 0.0
		if r.IntN(3) > 0 {
			slack = half(0, 6)
		}
		switch r.IntN(5) {
		case 0:
			m.AddRow("", cols, coefs, EQ, act)
		case 1, 2:
			m.AddRow("", cols, coefs, LE, act+slack)
		default:
			m.AddRow("", cols, coefs, GE, act-slack)
		}
	}
	c := lpCase{m: m}
	if r.IntN(8) == 0 {
		// a·x ≤ t and a·x ≥ t+1.
		cols := []int{0, n - 1}
		coefs := []float64{1, 1}
		if n == 1 {
			cols, coefs = cols[:1], coefs[:1]
		}
		t := half(-10, 10)
		m.AddRow("", cols, coefs, LE, t)
		m.AddRow("", cols, coefs, GE, t+1)
		c.infeasible = true
	}

	// General form for gonum.
	c.c = make([]float64, n)
	for j := range n {
		c.c[j] = m.Obj(j)
		if maximize {
			c.c[j] = -c.c[j]
		}
	}
	addG := func(a []float64, b float64) {
		c.g = append(c.g, a)
		c.h = append(c.h, b)
	}
	for i := range m.NumRows() {
		cols, coefs, sense, rhs := m.Row(i)
		a := make([]float64, n)
		for q, j := range cols {
			a[j] = coefs[q]
		}
		neg := make([]float64, n)
		for j := range a {
			neg[j] = -a[j]
		}
		if sense != GE {
			addG(a, rhs)
		}
		if sense != LE {
			addG(neg, -rhs)
		}
	}
	for j := range n {
		lo, hi := m.Bounds(j)
		if !math.IsInf(hi, 1) {
			a := make([]float64, n)
			a[j] = 1
			addG(a, hi)
		}
		if !math.IsInf(lo, -1) {
			a := make([]float64, n)
			a[j] = -1
			addG(a, -lo)
		}
	}
	return c
}

// feasibleLP returns a random LP that is feasible and bounded.
func feasibleLP(r *rand.Rand, n, k int) *Model {
	for {
		if c := randomLP(r, n, k); !c.infeasible {
			return c.m
		}
	}
}

// gonumSolve returns the optimum in the model's sense, or an error.
func (c lpCase) gonumSolve() (float64, error) {
	n := len(c.c)
	g := mat.NewDense(len(c.g), n, nil)
	for i, row := range c.g {
		g.SetRow(i, row)
	}
	cs, a, b := gonumlp.Convert(c.c, g, c.h, nil, nil)
	opt, _, err := gonumlp.Simplex(cs, a, b, 1e-10, nil)
	if err != nil {
		return 0, err
	}
	if c.m.Maximize() {
		opt = -opt
	}
	return opt, nil
}

func TestAgainstGonumSimplex(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 1))
	const cases = 300
	var compared, infeasible, skipped int
	for k := range cases {
		c := randomLP(r, 1+r.IntN(8), 1+r.IntN(8))
		want, gerr := c.gonumSolve()
		got, err := Solve(context.Background(), c.m, nil)
		switch {
		case errors.Is(gerr, gonumlp.ErrInfeasible) && c.infeasible:
			if !errors.Is(err, gst.ErrInfeasible) {
				t.Errorf("case %d: gonum infeasible, Solve = %+v, %v", k, got, err)
			}
			infeasible++
		case gerr != nil:
			// gonum's textbook simplex gives up on some degenerate LPs,
			// and sometimes calls a feasible one infeasible.
			skipped++
			if c.infeasible {
				if !errors.Is(err, gst.ErrInfeasible) {
					t.Errorf("case %d: infeasible by construction, Solve = %+v, %v", k, got, err)
				}
			} else if err != nil || got.Violation > 1e-7 {
				t.Errorf("case %d: feasible by construction, Solve = %+v, %v", k, got, err)
			}
		default:
			if err != nil {
				t.Errorf("case %d: gonum optimum %v, Solve error %v", k, want, err)
				continue
			}
			if math.Abs(got.Objective-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("case %d: objective %v, gonum %v", k, got.Objective, want)
			}
			if got.Violation > 1e-7 || got.Status != gst.StatusOptimal || got.Bound != got.Objective {
				t.Errorf("case %d: status %v violation %g bound %v objective %v", k, got.Status, got.Violation, got.Bound, got.Objective)
			}
			compared++
		}
	}
	t.Logf("%d optima compared, %d infeasible verdicts agreed, %d skipped (gonum failed)", compared, infeasible, skipped)
	if skipped > cases/20 || infeasible == 0 {
		t.Errorf("too few comparisons: %d skipped, %d infeasible", skipped, infeasible)
	}
}
