package capfl

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// mipSolve solves the problem as a mixed-integer programme with lp_solve
// (the strong formulation: x_ij ≤ y_i and the capacity rows), as an
// independent oracle for instances too large to enumerate.
func mipSolve(t *testing.T, p *Problem) (float64, gst.Status) {
	t.Helper()
	m, n := len(p.Capacity), len(p.Demand)
	md := lp.NewModel("cfl")
	y := make([]int, m)
	for i := 0; i < m; i++ {
		f := 0.0
		if p.FixedCost != nil {
			f = p.FixedCost[i]
		}
		y[i] = md.AddVar("", 0, 1, f, lp.Binary)
	}
	kind := lp.Continuous
	if p.SingleSource {
		kind = lp.Binary
	}
	x := make([]int, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			x[i*n+j] = -1
			if !math.IsInf(p.Cost[i][j], 1) {
				x[i*n+j] = md.AddVar("", 0, 1, p.Cost[i][j], kind)
			}
		}
	}
	for j := 0; j < n; j++ {
		var cols []int
		var co []float64
		for i := 0; i < m; i++ {
			if x[i*n+j] >= 0 {
				cols = append(cols, x[i*n+j])
				co = append(co, 1)
			}
		}
		md.AddRow("", cols, co, lp.EQ, 1)
	}
	var cy []int
	var ones []float64
	for i := 0; i < m; i++ {
		cols := []int{y[i]}
		co := []float64{-p.Capacity[i]}
		for j := 0; j < n; j++ {
			if x[i*n+j] < 0 {
				continue
			}
			md.AddRow("", []int{x[i*n+j], y[i]}, []float64{1, -1}, lp.LE, 0)
			if p.Demand[j] > 0 {
				cols = append(cols, x[i*n+j])
				co = append(co, p.Demand[j])
			}
		}
		md.AddRow("", cols, co, lp.LE, 0)
		cy = append(cy, y[i])
		ones = append(ones, 1)
	}
	if p.MinOpen > 0 {
		md.AddRow("", cy, ones, lp.GE, float64(p.MinOpen))
	}
	if p.MaxOpen > 0 {
		md.AddRow("", cy, ones, lp.LE, float64(p.MaxOpen))
	}
	for _, i := range p.Open {
		md.AddRow("", []int{y[i]}, []float64{1}, lp.EQ, 1)
	}
	for _, i := range p.Closed {
		md.AddRow("", []int{y[i]}, []float64{1}, lp.EQ, 0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sol, err := lp.Solve(ctx, md, nil)
	if err != nil {
		return math.NaN(), sol.Status
	}
	return sol.Objective, sol.Status
}

// TestAgainstMIP compares Solve with lp_solve's branch and bound on
// generated instances beyond enumeration: single- and multi-source, with
// fixed costs, cardinality rules and forbidden pairs.
func TestAgainstMIP(t *testing.T) {
	if testing.Short() {
		t.Skip("lp_solve takes a few seconds")
	}
	rng := rand.New(rand.NewPCG(61, 62))
	compared := 0
	for c := 0; c < 10; c++ {
		single := c%2 == 0
		p := randomProblem(rng, 10, 30, single)
		switch {
		case c >= 8:
			// tight capacitated p-median: 30 points, 4 medians,
			// demand at 90% of the total capacity
			single = true
			p = tightPMedian(rng, 30, 4, 0.9)
		case c >= 4:
			p = syntheticProblem(10, 40, single, uint64(c))
		}
		want, st := mipSolve(t, p)
		sol, err := Solve(context.Background(), p, nil)
		if st == gst.StatusInfeasible {
			if err == nil {
				t.Errorf("case %d: lp_solve finds it infeasible, Solve returns %v", c, sol.Objective)
			}
			continue
		}
		if st != gst.StatusOptimal {
			t.Logf("case %d: lp_solve status %v, skipped", c, st)
			continue
		}
		if err != nil {
			t.Errorf("case %d: %v (lp_solve: %v)", c, err, want)
			continue
		}
		compared++
		t.Logf("case %d (single %v): %v, lp_solve %v, nodes %d", c, single, sol.Objective, want, sol.Nodes)
		if math.Abs(sol.Objective-want) > 1e-6*math.Max(1, want) || sol.Status != gst.StatusOptimal {
			t.Errorf("case %d (single %v): objective %v status %v, lp_solve %v", c, single, sol.Objective, sol.Status, want)
		}
		checkSolution(t, p, sol)
	}
	if compared < 8 {
		t.Errorf("only %d of 10 instances compared", compared)
	}
}

// tightPMedian draws n points in a 100×100 square with demands 1–20 and p
// medians whose common capacity leaves the total demand at ratio of it.
func tightPMedian(rng *rand.Rand, n, p int, ratio float64) *Problem {
	x, y, d := make([]float64, n), make([]float64, n), make([]float64, n)
	total := 0.0
	for j := range x {
		x[j], y[j] = rng.Float64()*100, rng.Float64()*100
		d[j] = float64(1 + rng.IntN(20))
		total += d[j]
	}
	q := math.Ceil(total / ratio / float64(p))
	dist := make([][]float64, n)
	caps := make([]float64, n)
	for i := range dist {
		caps[i] = q
		dist[i] = make([]float64, n)
		for j := range dist[i] {
			dist[i][j] = math.Floor(math.Hypot(x[i]-x[j], y[i]-y[j]))
		}
	}
	return NewPMedian(dist, d, caps, p)
}
