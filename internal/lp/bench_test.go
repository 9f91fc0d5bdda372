package lp

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gstplan/gst"
)

// transport is a balanced-plus-slack transportation problem: supply[i]
// at sources, demand[j] at sinks, unit costs cost[i][j].
type transport struct {
	supply, demand []float64
	cost           [][]float64
}

func newTransport(ns, nd int, seed uint64) transport {
	r := rand.New(rand.NewPCG(seed, 3))
	t := transport{supply: make([]float64, ns), demand: make([]float64, nd), cost: make([][]float64, ns)}
	total := 0.0
	for j := range t.demand {
		t.demand[j] = float64(10 + r.IntN(90))
		total += t.demand[j]
	}
	for i := range t.supply {
		t.supply[i] = math.Ceil(1.2 * total / float64(ns))
		t.cost[i] = make([]float64, nd)
		for j := range t.cost[i] {
			t.cost[i][j] = float64(1 + r.IntN(100))
		}
	}
	return t
}

func (t transport) model() *Model {
	ns, nd := len(t.supply), len(t.demand)
	m := NewModel("transport")
	x := make([][]int, ns)
	for i := range ns {
		x[i] = make([]int, nd)
		for j := range nd {
			x[i][j] = m.AddVar("", 0, math.Inf(1), t.cost[i][j], Continuous)
		}
	}
	ones := make([]float64, max(ns, nd))
	for k := range ones {
		ones[k] = 1
	}
	for i := range ns {
		m.AddRow("", x[i], ones[:nd], LE, t.supply[i])
	}
	col := make([]int, ns)
	for j := range nd {
		for i := range ns {
			col[i] = x[i][j]
		}
		m.AddRow("", col, ones[:ns], GE, t.demand[j])
	}
	return m
}

// checkTransport checks feasibility and strong duality: the dual
// objective Σ supply·u + Σ demand·v equals the primal objective, so the
// solution is optimal.
func (t transport) check(sol *Solution) error {
	if sol.Status != gst.StatusOptimal || sol.Violation > 1e-6 {
		return fmt.Errorf("status %v, violation %g", sol.Status, sol.Violation)
	}
	dual := 0.0
	for i, s := range t.supply {
		dual += s * sol.Duals[i]
	}
	for j, d := range t.demand {
		dual += d * sol.Duals[len(t.supply)+j]
	}
	if math.Abs(dual-sol.Objective) > 1e-6*math.Abs(sol.Objective) {
		return fmt.Errorf("dual objective %v ≠ primal %v", dual, sol.Objective)
	}
	return nil
}

func TestTransportStrongDuality(t *testing.T) {
	tr := newTransport(10, 40, 1)
	sol, err := Solve(context.Background(), tr.model(), &Options{Duals: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.check(sol); err != nil {
		t.Error(err)
	}
}

func BenchmarkTransport(b *testing.B) {
	for _, size := range []struct{ ns, nd int }{{10, 40}, {50, 200}} {
		tr := newTransport(size.ns, size.nd, 1)
		b.Run(fmt.Sprintf("%dx%d", size.ns, size.nd), func(b *testing.B) {
			for b.Loop() {
				sol, err := Solve(context.Background(), tr.model(), &Options{Duals: true})
				if err != nil {
					b.Fatal(err)
				}
				if err := tr.check(sol); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBuildModel(b *testing.B) {
	tr := newTransport(50, 200, 1)
	for b.Loop() {
		if m := tr.model(); m.NumNonzeros() != 2*50*200 {
			b.Fatal("wrong size")
		}
	}
}

func BenchmarkWriteMPS(b *testing.B) {
	m := newTransport(50, 200, 1).model()
	var w countWriter
	for b.Loop() {
		w = 0
		if err := m.WriteMPS(&w); err != nil || w == 0 {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(w))
}

type countWriter int

func (w *countWriter) Write(p []byte) (int, error) {
	*w += countWriter(len(p))
	return len(p), nil
}
