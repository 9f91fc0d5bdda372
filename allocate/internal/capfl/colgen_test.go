package capfl

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// colGenBound is the bound of the set-partitioning formulation of a
// single-source capacitated p-median problem with integer demands and
// capacities: min Σ_k c_k z_k over clusters k (a site and customers that
// fit its capacity), Σ_k a_jk z_k = 1 for every customer, Σ_k z_k = p,
// z ≥ 0, solved by column generation with lp_solve and a dynamic
// programme over capacity for pricing (independent of the engine's
// knapsack code). ok is false when the master stays infeasible.
func colGenBound(t *testing.T, p *Problem, pm int) (bound float64, ok bool) {
	t.Helper()
	m, n := len(p.Capacity), len(p.Demand)
	type column struct {
		cust []int
		cost float64
	}
	var cols []column
	const bigM = 1e6
	for iter := 0; iter < 1000; iter++ {
		md := lp.NewModel("cg")
		rows := make([][]int, n)
		for _, c := range cols {
			v := md.AddVar("", 0, math.Inf(1), c.cost, lp.Continuous)
			for _, j := range c.cust {
				rows[j] = append(rows[j], v)
			}
		}
		all := make([]int, len(cols))
		ones := make([]float64, len(cols))
		for k := range all {
			all[k], ones[k] = k, 1
		}
		for j := 0; j < n; j++ {
			a := md.AddVar("", 0, math.Inf(1), bigM, lp.Continuous) // artificial
			idx := append(rows[j], a)
			co := make([]float64, len(idx))
			for k := range co {
				co[k] = 1
			}
			md.AddRow("", idx, co, lp.EQ, 1)
		}
		a := md.AddVar("", 0, math.Inf(1), bigM, lp.Continuous) // artificial
		md.AddRow("", append(all, a), append(ones, 1), lp.EQ, float64(pm))
		sol, err := lp.Solve(context.Background(), md, &lp.Options{Duals: true})
		if err != nil || sol.Status != gst.StatusOptimal {
			t.Fatalf("master LP: %v %v", err, sol)
		}
		pi, mu := sol.Duals[:n], sol.Duals[n]
		added := 0
		for i := 0; i < m; i++ {
			cust, cost, red := priceDP(p, i, pi)
			if red-mu < -1e-7 {
				cols = append(cols, column{cust, cost})
				added++
			}
		}
		if added == 0 {
			return sol.Objective, sol.Objective < bigM/2
		}
	}
	t.Fatal("column generation did not converge in 1000 rounds")
	return 0, false
}

// priceDP returns the cluster of site i of least reduced cost Σ_j (c_ij −
// π_j) over customers that fit the capacity, by dynamic programming over
// integer capacity.
func priceDP(p *Problem, i int, pi []float64) (cust []int, cost, red float64) {
	n := len(p.Demand)
	c := int(p.Capacity[i])
	best := make([]float64, c+1) // best[w]: least reduced cost within weight w
	take := make([][]bool, n)
	for j := 0; j < n; j++ {
		take[j] = make([]bool, c+1)
		r := p.Cost[i][j] - pi[j]
		d := int(p.Demand[j])
		if r >= 0 || d > c {
			continue
		}
		for w := c; w >= d; w-- {
			if v := best[w-d] + r; v < best[w]-1e-12 {
				best[w] = v
				take[j][w] = true
			}
		}
	}
	w := c
	for j := n - 1; j >= 0; j-- {
		if take[j][w] {
			cust = append(cust, j)
			cost += p.Cost[i][j]
			w -= int(p.Demand[j])
		}
	}
	return cust, cost, best[c]
}

// TestRootReachesColumnGeneration checks the root bound of single-source
// capacitated p-median instances against the column-generation bound of
// the set-partitioning formulation, which the Lagrangian dual cannot
// exceed: never above it (rounded up, costs being integers); and the
// column-generation bound itself never above lp_solve's optimum. It logs
// how far below it the root stops (subgradient optimisation converges
// only approximately).
func TestRootReachesColumnGeneration(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 5))
	checked := 0
	for c := 0; c < 8; c++ {
		n, pm := 12, 4
		p := randomPMedCap(rng, n, pm, 1.03)
		cg, ok := colGenBound(t, p, pm)
		if !ok {
			continue
		}
		in := newInst(p)
		if err := in.check(); err != nil {
			continue
		}
		o, _ := resolveOptions(&Options{RootOnly: true}, n)
		s := newSolver(context.Background(), in, o)
		if err := s.run(); err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		opt, st := mipSolve(t, p)
		if st != gst.StatusOptimal {
			t.Fatalf("case %d: lp_solve status %v", c, st)
		}
		name := fmt.Sprintf("case %d", c)
		t.Logf("%s: root %v, column generation %.4f, optimum %v", name, s.rootBound, cg, opt)
		if cg > opt+1e-6 {
			t.Errorf("%s: column-generation bound %v above the optimum %v", name, cg, opt)
		}
		if s.rootBound > math.Ceil(cg-1e-6) {
			t.Errorf("%s: root bound %v above the column-generation bound %v", name, s.rootBound, cg)
		}
		checked++
	}
	if checked < 4 {
		t.Fatalf("only %d instances checked", checked)
	}
}

// randomPMedCap draws a capacitated p-median instance on n points of the
// plane (floored Euclidean distances, integer demands 1–20, every
// capacity slack × total demand / p, rounded up).
func randomPMedCap(rng *rand.Rand, n, pm int, slack float64) *Problem {
	x := make([]float64, n)
	y := make([]float64, n)
	dem := make([]float64, n)
	tot := 0.0
	for j := range x {
		x[j], y[j] = rng.Float64()*100, rng.Float64()*100
		dem[j] = float64(1 + rng.IntN(20))
		tot += dem[j]
	}
	dist := make([][]float64, n)
	for i := range dist {
		dist[i] = make([]float64, n)
		for j := range dist[i] {
			dist[i][j] = math.Floor(math.Hypot(x[i]-x[j], y[i]-y[j]))
		}
	}
	caps := make([]float64, n)
	for i := range caps {
		caps[i] = math.Ceil(slack * tot / float64(pm))
	}
	return NewPMedian(dist, dem, caps, pm)
}
