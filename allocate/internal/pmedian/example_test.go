package pmedian_test

import (
	"context"
	"fmt"
	"math"

	"github.com/gstplan/gst/allocate/internal/pmedian"
)

// Five villages on a road, at kilometres 0, 1, 2, 10 and 11; each may host
// a health centre. Two centres, weighted by population.
func ExampleSolve() {
	km := []float64{0, 1, 2, 10, 11}
	cost := make([][]float64, len(km))
	for i := range cost {
		cost[i] = make([]float64, len(km))
		for j := range cost[i] {
			cost[i][j] = math.Abs(km[i] - km[j])
		}
	}
	p := &pmedian.Problem{
		Clients: 5, Sites: 5, Cost: cost, P: 2,
		Weight: []float64{100, 300, 100, 50, 200},
	}
	res, err := pmedian.Solve(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("open:", res.Open, "assign:", res.Assign)
	fmt.Println("objective:", res.Objective, "bound:", res.Bound, "status:", res.Status)
	// Output:
	// open: [1 4] assign: [1 1 1 4 4]
	// objective: 250 bound: 250 status: optimal
}

// Fixed-charge location with today's sites: site 0 is open today and may
// close at a cost of 30 (modelled as a fixed cost of −30 plus the constant
// 30), sites 1 and 2 may open at 40 each, and at most one change is
// allowed, so the plan cannot both close site 0 and open another.
func ExampleSolve_fixedCharge() {
	cost := [][]float64{
		{1, 9, 9},
		{9, 1, 9},
		{9, 1, 9},
		{9, 9, 1},
	}
	p := &pmedian.Problem{
		Clients: 4, Sites: 3, Cost: cost,
		Weight:    []float64{10, 10, 10, 10},
		FixedCost: []float64{-30, 40, 40},
		Current:   []bool{true, false, false}, MaxChanges: 1,
	}
	res, err := pmedian.Solve(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("open:", res.Open, "cost:", res.Objective+30, "status:", res.Status)
	// Output:
	// open: [0 1] cost: 160 status: optimal
}

// Candidate lists for large problems: each client lists its nearest sites;
// Beyond bounds the cost of the others and Far prices them exactly. Here
// each client lists only its nearest site; the clients at 5 and 6 are
// served from an unlisted site, priced by Far.
func ExampleSolve_lists() {
	x := []float64{0, 1, 5, 6, 20}     // clients
	sites := []float64{0.5, 5.5, 19.5} // candidate sites
	far := func(i, j int) float64 { return math.Abs(x[i] - sites[j]) }
	p := &pmedian.Problem{Clients: len(x), Sites: len(sites), P: 2, Far: far}
	for i := range x {
		// The nearest site only; the next one is the lower bound.
		best, next := -1, -1
		for j := range sites {
			if best < 0 || far(i, j) < far(i, best) {
				best, next = j, best
			} else if next < 0 || far(i, j) < far(i, next) {
				next = j
			}
		}
		p.Lists = append(p.Lists, []pmedian.Candidate{{Site: best, Cost: far(i, best)}})
		p.Beyond = append(p.Beyond, far(i, next))
	}
	res, err := pmedian.Solve(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("open:", res.Open, "assign:", res.Assign, "objective:", res.Objective, "status:", res.Status)
	// Output:
	// open: [0 2] assign: [0 0 0 0 2] objective: 11.5 status: optimal
}
