package capfl

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/orlib"
)

// benchFamily solves every instance of an OR-Library family (read from
// ../shared beside the repository; skipped when absent) under a time limit
// and checks the answer against the known value: a bound never above a
// known optimum, an objective never below it, and the gap reported.
//
//	go test ./allocate/internal/capfl -run XXX -bench 'Family/cap$' -benchtime 1x
func benchFamily(b *testing.B, fam string, limit time.Duration, maxGap float64) {
	for _, c := range familyCases(fam) {
		b.Run(fmt.Sprintf("%s/%g", c.name, c.capacity), func(b *testing.B) {
			p := c.load(b)
			known, ok := orlib.LookupKnown(c.name, c.capacity)
			if !ok {
				b.Fatalf("no known value for %s", c.name)
			}
			tol := math.Max(1e-6*known.Value, 1e-3)
			if fam == "sjc" {
				tol = 0.01
			}
			var sol *Solution
			for i := 0; i < b.N; i++ {
				ctx, cancel := context.WithTimeout(context.Background(), limit)
				var err error
				sol, err = Solve(ctx, p, nil)
				cancel()
				if err != nil {
					b.Fatal(err)
				}
			}
			if known.Optimal && sol.Bound > known.Value+tol {
				b.Errorf("bound %v above the optimum %v", sol.Bound, known.Value)
			}
			if known.Optimal && sol.Objective < known.Value-tol {
				b.Errorf("objective %v below the optimum %v", sol.Objective, known.Value)
			}
			if sol.Gap > maxGap {
				b.Errorf("gap %v above %v (status %v)", sol.Gap, maxGap, sol.Status)
			}
			b.ReportMetric(sol.Gap, "gap")
			b.ReportMetric(float64(sol.Nodes), "nodes")
			b.ReportMetric((sol.Objective-known.Value)/known.Value, "excess")
		})
	}
}

// BenchmarkFamily runs the OR-Library families: cap41–cap134 (floor: all
// optimal), capa/capb/capc at their four capacities (floor: gap ≤ 0.1%
// within 60 s each), the 20 Osman–Christofides problems and the six
// Lorena–Senne ones (60 s each; their gap is reported, not checked).
func BenchmarkFamily(b *testing.B) {
	needOrlib(b)
	b.Run("cap", func(b *testing.B) { benchFamily(b, "cap", 60*time.Second, DefaultGapTolerance) })
	b.Run("capabc", func(b *testing.B) { benchFamily(b, "capabc", 60*time.Second, 1e-3) })
	b.Run("pmedcap", func(b *testing.B) { benchFamily(b, "pmedcap", 60*time.Second, 1) })
	b.Run("sjc", func(b *testing.B) { benchFamily(b, "sjc", 60*time.Second, 1) })
}

// syntheticProblem draws sites and customers in a 100 km square: demand
// 1–100 per customer, cost = demand × distance, capacities about
// capFactor times the mean load of a site, fixed costs that open about
// one site in four.
func syntheticProblem(m, n int, single bool, seed uint64) *Problem {
	rng := rand.New(rand.NewPCG(seed, 99))
	sx, sy := make([]float64, m), make([]float64, m)
	for i := range sx {
		sx[i], sy[i] = rng.Float64()*100, rng.Float64()*100
	}
	p := &Problem{
		Capacity:     make([]float64, m),
		FixedCost:    make([]float64, m),
		Demand:       make([]float64, n),
		Cost:         make([][]float64, m),
		SingleSource: single,
	}
	total := 0.0
	cx, cy := make([]float64, n), make([]float64, n)
	for j := range p.Demand {
		p.Demand[j] = float64(1 + rng.IntN(100))
		total += p.Demand[j]
		cx[j], cy[j] = rng.Float64()*100, rng.Float64()*100
	}
	for i := range p.Cost {
		p.Capacity[i] = math.Round(total / float64(m) * (3 + 2*rng.Float64()))
		p.FixedCost[i] = math.Round(total * (5 + 5*rng.Float64()) / float64(m) * 10)
		p.Cost[i] = make([]float64, n)
		for j := range p.Cost[i] {
			p.Cost[i][j] = p.Demand[j] * math.Hypot(sx[i]-cx[j], sy[i]-cy[j])
		}
	}
	return p
}

// BenchmarkSynthetic solves generated instances of growing size (60 s
// limit each) and reports the gap, nodes and sizes.
//
//	go test ./allocate/internal/capfl -run XXX -bench Synthetic -benchtime 1x
func BenchmarkSynthetic(b *testing.B) {
	for _, c := range []struct {
		m, n   int
		single bool
	}{
		{20, 100, false}, {50, 500, false}, {100, 1000, false}, {200, 2000, false},
		{20, 100, true}, {50, 300, true},
	} {
		name := fmt.Sprintf("m%d_n%d_single%v", c.m, c.n, c.single)
		b.Run(name, func(b *testing.B) {
			p := syntheticProblem(c.m, c.n, c.single, 1)
			var sol *Solution
			for i := 0; i < b.N; i++ {
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				var err error
				sol, err = Solve(ctx, p, nil)
				cancel()
				if err != nil {
					b.Fatal(err)
				}
			}
			if _, _, err := p.Evaluate(sol.Open, sol.Assign); err != nil {
				b.Fatal(err)
			}
			if sol.Bound > sol.Objective || (sol.Status != gst.StatusOptimal && sol.Status != gst.StatusTimeLimit) {
				b.Fatalf("status %v bound %v objective %v", sol.Status, sol.Bound, sol.Objective)
			}
			b.ReportMetric(sol.Gap, "gap")
			b.ReportMetric(float64(sol.Nodes), "nodes")
			b.ReportMetric(float64(c.m*c.n), "pairs")
		})
	}
}
