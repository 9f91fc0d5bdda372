package capfl

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// randomProblem draws a small instance: sites and customers in the unit
// square, cost = demand × distance (or distance alone for p-median
// style), some forbidden pairs, and optionally cardinality rules and
// forced or closed sites.
func randomProblem(rng *rand.Rand, m, n int, single bool) *Problem {
	type pt struct{ x, y float64 }
	sites := make([]pt, m)
	for i := range sites {
		sites[i] = pt{rng.Float64(), rng.Float64()}
	}
	p := &Problem{
		Capacity:     make([]float64, m),
		Demand:       make([]float64, n),
		Cost:         make([][]float64, m),
		SingleSource: single,
	}
	total := 0.0
	for j := range p.Demand {
		p.Demand[j] = float64(1 + rng.IntN(9))
		if rng.IntN(10) == 0 {
			p.Demand[j] = 0
		}
		total += p.Demand[j]
	}
	if rng.IntN(3) > 0 {
		p.FixedCost = make([]float64, m)
		for i := range p.FixedCost {
			p.FixedCost[i] = math.Round(rng.Float64() * 20)
		}
	}
	for i := range p.Capacity {
		p.Capacity[i] = math.Round(total * (0.25 + 0.6*rng.Float64()))
	}
	for i := range p.Cost {
		p.Cost[i] = make([]float64, n)
		for j := range p.Cost[i] {
			cx, cy := rng.Float64(), rng.Float64()
			d := math.Hypot(cx-sites[i].x, cy-sites[i].y) * 10
			if rng.IntN(2) == 0 {
				d = math.Round(d)
			} else {
				d *= math.Max(1, p.Demand[j])
			}
			if rng.IntN(12) == 0 {
				d = math.Inf(1)
			}
			p.Cost[i][j] = d
		}
	}
	switch rng.IntN(4) {
	case 0:
		k := 1 + rng.IntN(m)
		p.MinOpen, p.MaxOpen = k, k
	case 1:
		p.MaxOpen = 1 + rng.IntN(m)
	case 2:
		p.MinOpen = rng.IntN(m)
	}
	if rng.IntN(4) == 0 {
		p.Open = []int{rng.IntN(m)}
	}
	if rng.IntN(4) == 0 {
		c := rng.IntN(m)
		if len(p.Open) == 0 || p.Open[0] != c {
			p.Closed = []int{c}
		}
	}
	return p
}

// bruteSingle enumerates every single-source assignment.
func bruteSingle(p *Problem) (best float64, found bool) {
	m, n := len(p.Capacity), len(p.Demand)
	asg := make([]int, n)
	best = math.Inf(1)
	var rec func(j int)
	rec = func(j int) {
		if j == n {
			open := make([]bool, m)
			load := make([]float64, m)
			cost := 0.0
			for jj, i := range asg {
				open[i] = true
				load[i] += p.Demand[jj]
				cost += p.Cost[i][jj]
			}
			// sites that must open are open; extra empty sites may open
			// to reach MinOpen (cheapest fixed costs first).
			for _, i := range p.Open {
				open[i] = true
			}
			for _, i := range p.Closed {
				if open[i] {
					return
				}
			}
			count := 0
			for i := 0; i < m; i++ {
				if open[i] {
					count++
					if p.FixedCost != nil {
						cost += p.FixedCost[i]
					}
					if load[i] > p.Capacity[i]+1e-9 {
						return
					}
				}
			}
			maxOpen := p.MaxOpen
			if maxOpen == 0 {
				maxOpen = m
			}
			if count > maxOpen {
				return
			}
			if count < p.MinOpen {
				var extra []float64
				closed := map[int]bool{}
				for _, i := range p.Closed {
					closed[i] = true
				}
				for i := 0; i < m; i++ {
					if !open[i] && !closed[i] {
						f := 0.0
						if p.FixedCost != nil {
							f = p.FixedCost[i]
						}
						extra = append(extra, f)
					}
				}
				if len(extra) < p.MinOpen-count {
					return
				}
				sortFloats(extra)
				for k := 0; k < p.MinOpen-count; k++ {
					cost += extra[k]
				}
			}
			if cost < best {
				best = cost
				found = true
			}
			return
		}
		for i := 0; i < m; i++ {
			if !math.IsInf(p.Cost[i][j], 1) {
				asg[j] = i
				rec(j + 1)
			}
		}
	}
	rec(0)
	return best, found
}

func sortFloats(a []float64) {
	for i := 1; i < len(a); i++ {
		for k := i; k > 0 && a[k] < a[k-1]; k-- {
			a[k], a[k-1] = a[k-1], a[k]
		}
	}
}

// transportLP solves the transportation problem of an open set with
// lp_solve, independently of the package's own solver.
func transportLP(p *Problem, open []int) (float64, bool) {
	n := len(p.Demand)
	md := lp.NewModel("transport")
	x := make([][]int, len(open))
	for k, i := range open {
		x[k] = make([]int, n)
		for j := 0; j < n; j++ {
			x[k][j] = -1
			if !math.IsInf(p.Cost[i][j], 1) {
				x[k][j] = md.AddVar("", 0, 1, p.Cost[i][j], lp.Continuous)
			}
		}
	}
	for j := 0; j < n; j++ {
		var cols []int
		var co []float64
		for k := range open {
			if x[k][j] >= 0 {
				cols = append(cols, x[k][j])
				co = append(co, 1)
			}
		}
		if len(cols) == 0 {
			return 0, false
		}
		md.AddRow("", cols, co, lp.EQ, 1)
	}
	for k, i := range open {
		var cols []int
		var co []float64
		for j := 0; j < n; j++ {
			if x[k][j] >= 0 && p.Demand[j] > 0 {
				cols = append(cols, x[k][j])
				co = append(co, p.Demand[j])
			}
		}
		if len(cols) > 0 {
			md.AddRow("", cols, co, lp.LE, p.Capacity[i])
		}
	}
	if md.NumVars() == 0 {
		return 0, n == 0
	}
	sol, err := lp.Solve(context.Background(), md, nil)
	if err != nil {
		return 0, false
	}
	return sol.Objective, true
}

// bruteMulti enumerates the open sets and solves each transportation
// problem with lp_solve.
func bruteMulti(p *Problem) (best float64, found bool) {
	m := len(p.Capacity)
	best = math.Inf(1)
	maxOpen := p.MaxOpen
	if maxOpen == 0 {
		maxOpen = m
	}
	for mask := 1; mask < 1<<m; mask++ {
		var open []int
		ok := true
		for i := 0; i < m; i++ {
			if mask&(1<<i) != 0 {
				open = append(open, i)
			}
		}
		for _, i := range p.Open {
			if mask&(1<<i) == 0 {
				ok = false
			}
		}
		for _, i := range p.Closed {
			if mask&(1<<i) != 0 {
				ok = false
			}
		}
		if !ok || len(open) < p.MinOpen || len(open) > maxOpen {
			continue
		}
		c, ok := transportLP(p, open)
		if !ok {
			continue
		}
		for _, i := range open {
			if p.FixedCost != nil {
				c += p.FixedCost[i]
			}
		}
		if c < best {
			best, found = c, true
		}
	}
	return best, found
}

// TestBruteForce compares Solve with exhaustive enumeration on small
// random instances of both kinds, including infeasible ones.
func TestBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(bruteSeed, 11))
	cases := bruteCases
	if testing.Short() {
		cases = 60
	}
	for c := 0; c < cases; c++ {
		single := c%2 == 0
		m := 2 + rng.IntN(4)
		n := 3 + rng.IntN(5)
		if !single {
			n = 3 + rng.IntN(10)
		}
		p := randomProblem(rng, m, n, single)
		name := fmt.Sprintf("case %d (m=%d n=%d single=%v)", c, m, n, single)
		var want float64
		var found bool
		if single {
			want, found = bruteSingle(p)
		} else {
			want, found = bruteMulti(p)
		}
		sol, err := Solve(context.Background(), p, nil)
		if !found {
			if err == nil {
				t.Errorf("%s: brute force finds no solution, Solve returns %v", name, sol.Objective)
			} else if !errors.Is(err, gst.ErrInfeasible) {
				t.Errorf("%s: error %v does not wrap ErrInfeasible", name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v (brute force: %v)", name, err, want)
			continue
		}
		tol := 1e-6 * math.Max(1, math.Abs(want))
		if sol.Status != gst.StatusOptimal {
			t.Errorf("%s: status %v", name, sol.Status)
		}
		if math.Abs(sol.Objective-want) > tol {
			t.Errorf("%s: objective %v, brute force %v", name, sol.Objective, want)
		}
		if sol.Bound > want+tol {
			t.Errorf("%s: bound %v above the optimum %v", name, sol.Bound, want)
		}
		fixed, acost, err := p.Evaluate(sol.Open, sol.Assign)
		if err != nil {
			t.Errorf("%s: solution does not check: %v", name, err)
		} else if math.Abs(fixed+acost-sol.Objective) > tol {
			t.Errorf("%s: recomputed objective %v, reported %v", name, fixed+acost, sol.Objective)
		}
	}
}

var bruteSeed uint64 = 7

var bruteCases = 300
