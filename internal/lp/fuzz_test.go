package lp

import (
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

// byteSource turns fuzz bytes into model data; past the end it yields
// zeros.
type byteSource struct {
	b []byte
	i int
}

func (s *byteSource) next() byte {
	if s.i >= len(s.b) {
		return 0
	}
	s.i++
	return s.b[s.i-1]
}

var specialFloats = []float64{0, 1, -1, 1e6, -1e6, 1e29, 1e30, -1e31, math.NaN(), math.Inf(1), math.Inf(-1), 1e-300, 5e-324, math.Copysign(0, -1)}

// float returns mostly small multiples of 1/4 and sometimes a special
// value (NaN, ±Inf, huge, tiny).
func (s *byteSource) float() float64 {
	if c := s.next(); c >= 240 {
		return specialFloats[int(c-240)%len(specialFloats)]
	}
	return float64(int8(s.next())) / 4
}

func (s *byteSource) name() string {
	if c := s.next(); c >= 192 {
		return fuzzNames[int(c)%len(fuzzNames)]
	}
	return ""
}

var fuzzNames = []string{"x", "x", "with space", "C1", "R1", "OBJ", "é*", "y"}

// modelFromBytes builds a model, valid or not, from arbitrary bytes. Most
// choices are valid, so that many models reach the solver.
func modelFromBytes(b []byte) *Model {
	s := &byteSource{b: b}
	m := NewModel(s.name())
	nv, nr := int(s.next()%9), int(s.next()%9)
	for range nv {
		lo, obj := s.float(), s.float()
		hi := lo + math.Abs(s.float())
		switch s.next() % 16 {
		case 0:
			hi = math.Inf(1)
		case 1:
			lo = math.Inf(-1)
		case 2:
			lo, hi = hi, lo // often lo > hi
		}
		var kind Kind
		switch k := s.next() % 16; {
		case k < 10:
			kind = Continuous
		case k < 13:
			kind = Integer
		case k < 15:
			kind, lo, hi = Binary, 0, 1
		default:
			kind = Binary // with any bounds
			if s.next()%2 == 0 {
				kind = Kind(3) // not a kind
			}
		}
		m.AddVar(s.name(), lo, hi, obj, kind)
	}
	for range nr {
		n := int(s.next() % 6)
		cols := make([]int, n)
		coefs := make([]float64, n)
		for k := range n {
			if c := s.next(); c < 240 || nv == 0 {
				cols[k] = int(c) % max(nv, 1)
			} else {
				cols[k] = int(int8(s.next())) // often out of range
			}
			coefs[k] = s.float()
		}
		if n > 0 && s.next() == 255 {
			coefs = coefs[1:]
		}
		sense := Sense(1 + s.next()%3)
		if s.next() == 255 {
			sense = 0
		}
		m.AddRow(s.name(), cols, coefs, sense, s.float())
	}
	m.SetMaximize(s.next()%2 == 1)
	if s.next()%4 == 0 {
		m.SetObjConstant(s.float())
	}
	return m
}

// checkModel validates, writes and solves m, and checks the promises that
// hold for any input.
func checkModel(t *testing.T, m *Model, duals bool) {
	t.Helper()
	verr := m.Validate()
	if verr != nil && !errors.Is(verr, gst.ErrInvalid) {
		t.Fatalf("Validate error does not wrap ErrInvalid: %v", verr)
	}
	if err := m.WriteMPS(io.Discard); (err == nil) != (verr == nil) {
		t.Fatalf("WriteMPS = %v, Validate = %v", err, verr)
	}
	sol, err := Solve(context.Background(), m, &Options{TimeLimit: 2 * time.Second, Duals: duals})
	if verr != nil {
		if !errors.Is(err, gst.ErrInvalid) || sol != nil {
			t.Fatalf("invalid model: Solve = %v, %v", sol, err)
		}
		return
	}
	if sol == nil {
		t.Fatalf("valid model: nil Solution with %v", err)
	}
	if err != nil {
		if !errors.Is(err, gst.ErrInfeasible) && !errors.Is(err, gst.ErrUnbounded) && !errors.Is(err, gst.ErrNoSolution) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if sol.X != nil || !math.IsNaN(sol.Objective) {
			t.Fatalf("error %v with a solution %+v", err, sol)
		}
		return
	}
	if !sol.Status.HasSolution() || len(sol.X) != m.NumVars() {
		t.Fatalf("no error but Solution %+v", sol)
	}
	// Values from lp_solve stay below its infinity, 1e30; the objective is
	// computed from them and only needs to be finite.
	for _, v := range append(append([]float64{}, sol.X...), append(sol.Duals, sol.ReducedCosts...)...) {
		if math.IsNaN(v) || math.Abs(v) >= 1e30 {
			t.Fatalf("non-finite or 1e30 value in %+v", sol)
		}
	}
	if math.IsNaN(sol.Objective) || math.IsInf(sol.Objective, 0) || math.IsNaN(sol.Violation) {
		t.Fatalf("objective or violation not finite in %+v", sol)
	}
	if math.IsNaN(sol.Bound) {
		t.Fatalf("NaN bound in %+v", sol)
	}
}

func FuzzModel(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 2, 2, 0, 8, 4, 0, 0, 1, 1, 0, 3, 2, 1, 0, 4, 1, 2, 3, 1, 0, 1, 5, 2, 0, 1, 1, 1})
	f.Add([]byte{0, 4, 4, 200, 1, 2, 0, 0, 2, 3, 3, 3, 3, 1, 200, 200, 1, 1, 9, 9, 9, 1, 0, 0})
	f.Add([]byte{1, 8, 8, 137, 1, 136, 1, 1, 1, 1, 0, 0, 2, 129, 130, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	r := rand.New(rand.NewPCG(1, 1))
	for range 20 {
		b := make([]byte, 64)
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkModel(t, modelFromBytes(b), len(b)%2 == 0)
	})
}

// TestGarbageModels feeds many random byte strings through the fuzz
// target's checks: every model, valid or not, gets an error or a solution,
// never a panic.
func TestGarbageModels(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 42))
	valid := 0
	for k := range 2000 {
		b := make([]byte, 16+r.IntN(120))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		m := modelFromBytes(b)
		if m.Validate() == nil {
			valid++
		}
		checkModel(t, m, k%2 == 0)
	}
	t.Logf("%d of 2000 random models were valid", valid)
	if valid < 500 {
		t.Errorf("only %d valid models: the generator explores too little of Solve", valid)
	}
}
