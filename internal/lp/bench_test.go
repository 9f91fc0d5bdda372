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

// BenchmarkResolve solves a 60 × 600 transportation problem again after
// each change of one demand, as a subproblem valued at many points is:
// by Solve from the last optimal basis (the model loaded and scaled each
// time), and by a Resolver (the model kept loaded in lp_solve), each
// after one solve from scratch that is not timed. Both check the optimum
// against the same value.
//
//	go test ./internal/lp -run '^$' -bench Resolve -count 5
func BenchmarkResolve(b *testing.B) {
	tr := newTransport(60, 600, 2)
	ctx := context.Background()
	// The demands visited, in turn, and each one's optimum.
	const steps = 16
	demand := func(k int) (int, float64) {
		j := (k * 37) % len(tr.demand)
		return 60 + j, tr.demand[j] * (1 + 0.1*float64(k%5))
	}
	want := make([]float64, steps)
	for k := range steps {
		m := tr.model()
		i, v := demand(k)
		m.SetRHS(i, v)
		sol, err := Solve(ctx, m, nil)
		if err != nil {
			b.Fatal(err)
		}
		want[k] = sol.Objective
	}
	check := func(k int, sol *Solution, err error) {
		if err != nil {
			b.Fatal(err)
		}
		if math.Abs(sol.Objective-want[k%steps]) > 1e-6*math.Abs(want[k%steps]) {
			b.Fatalf("step %d: %g, want %g", k, sol.Objective, want[k%steps])
		}
	}
	reset := func(m *Model) {
		for i := range tr.demand {
			m.SetRHS(60+i, tr.demand[i])
		}
	}
	b.Run("solve-from-basis", func(b *testing.B) {
		m := tr.model()
		first, err := Solve(ctx, m, &Options{KeepBasis: true})
		if err != nil {
			b.Fatal(err)
		}
		basis := first.Basis
		k := 0
		for b.Loop() {
			reset(m)
			i, v := demand(k % steps)
			m.SetRHS(i, v)
			sol, err := Solve(ctx, m, &Options{Start: basis, KeepBasis: true})
			check(k, sol, err)
			basis = sol.Basis
			k++
		}
	})
	b.Run("resolver", func(b *testing.B) {
		m := tr.model()
		rs, err := NewResolver(m)
		if err != nil {
			b.Fatal(err)
		}
		defer rs.Close()
		if _, err := rs.Solve(ctx, nil); err != nil {
			b.Fatal(err)
		}
		k := 0
		for b.Loop() {
			reset(m)
			i, v := demand(k % steps)
			m.SetRHS(i, v)
			sol, err := rs.Solve(ctx, nil)
			check(k, sol, err)
			k++
		}
	})
}
