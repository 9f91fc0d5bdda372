package capfl

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/gstplan/gst"
)

// problemFromBytes decodes a tiny problem (at most 3 sites and 5
// customers) from fuzz input, including values that break the rules
// (negative, NaN, infinite).
func problemFromBytes(b []byte) *Problem {
	next := func() byte {
		if len(b) == 0 {
			return 0
		}
		v := b[0]
		b = b[1:]
		return v
	}
	val := func() float64 {
		v := next()
		switch v {
		case 255:
			return math.Inf(1)
		case 254:
			return math.NaN()
		case 253:
			return -1
		}
		return float64(v % 64)
	}
	m := 1 + int(next()%3)
	n := 1 + int(next()%5)
	flags := next()
	p := &Problem{SingleSource: flags&1 != 0}
	p.Capacity = make([]float64, m)
	for i := range p.Capacity {
		p.Capacity[i] = val()
	}
	if flags&2 != 0 {
		p.FixedCost = make([]float64, m)
		for i := range p.FixedCost {
			p.FixedCost[i] = val()
		}
	}
	p.Demand = make([]float64, n)
	for j := range p.Demand {
		p.Demand[j] = val()
	}
	p.Cost = make([][]float64, m)
	for i := range p.Cost {
		p.Cost[i] = make([]float64, n)
		for j := range p.Cost[i] {
			p.Cost[i][j] = val()
		}
	}
	if flags&4 != 0 {
		p.MinOpen = int(next()%4) - 1
	}
	if flags&8 != 0 {
		p.MaxOpen = int(next()%5) - 1
	}
	if flags&16 != 0 {
		p.Open = []int{int(next()%5) - 1}
	}
	if flags&32 != 0 {
		p.Closed = []int{int(next()%5) - 1}
	}
	return p
}

// FuzzSolve checks on arbitrary tiny inputs that Solve never panics, that
// its errors wrap a sentinel, and that its answers are valid and optimal
// (against enumeration) when the input is well formed.
func FuzzSolve(f *testing.F) {
	f.Add([]byte{1, 2, 0, 10, 20, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{2, 4, 3, 30, 30, 5, 5, 10, 10, 10, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{0, 0, 255, 254, 253})
	f.Add([]byte{2, 3, 63, 20, 20, 20, 5, 5, 5, 5, 5, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		p := problemFromBytes(b)
		sol, err := Solve(context.Background(), p, nil)
		if err != nil {
			if !errors.Is(err, gst.ErrInvalid) && !errors.Is(err, gst.ErrInfeasible) {
				t.Fatalf("error %v wraps no expected sentinel", err)
			}
			if errors.Is(err, gst.ErrInfeasible) && p.SingleSource {
				if _, found := bruteSingle(p); found {
					t.Fatalf("infeasible %v, but enumeration finds a solution", err)
				}
			}
			return
		}
		fixed, acost, err := p.Evaluate(sol.Open, sol.Assign)
		if err != nil {
			t.Fatalf("solution does not check: %v", err)
		}
		if math.Abs(fixed+acost-sol.Objective) > 1e-9*math.Max(1, sol.Objective) || sol.Bound > sol.Objective+1e-9 {
			t.Fatalf("objective %v recomputed %v bound %v", sol.Objective, fixed+acost, sol.Bound)
		}
		if p.SingleSource {
			want, found := bruteSingle(p)
			if !found || math.Abs(want-sol.Objective) > 1e-6*math.Max(1, want) {
				t.Fatalf("objective %v, enumeration %v (found %v)", sol.Objective, want, found)
			}
		}
	})
}
