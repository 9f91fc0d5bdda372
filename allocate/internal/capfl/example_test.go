package capfl_test

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/capfl"
)

// Two candidate sites with opening costs serve three customers; a
// customer's demand may be split.
func ExampleSolve() {
	p := &capfl.Problem{
		Capacity:  []float64{60, 50},
		FixedCost: []float64{100, 80},
		Demand:    []float64{30, 20, 40},
		Cost: [][]float64{ // cost of serving all of customer j from site i
			{30, 60, 80},
			{90, 20, 40},
		},
	}
	sol, err := capfl.Solve(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("status:", sol.Status)
	fmt.Println("open:", sol.Open)
	fmt.Printf("objective %.1f = fixed %.1f + assignment %.1f, bound %.1f\n",
		sol.Objective, sol.FixedCost, sol.AssignmentCost, sol.Bound)
	for j, sh := range sol.Assign {
		fmt.Printf("customer %d:", j)
		for _, s := range sh {
			fmt.Printf(" site %d (%.0f%%)", s.Site, 100*s.Fraction)
		}
		fmt.Println()
	}
	fmt.Println("value of one more unit of capacity:", sol.CapacityValue)
	// Output:
	// status: optimal
	// open: [0 1]
	// objective 280.0 = fixed 180.0 + assignment 100.0, bound 280.0
	// customer 0: site 0 (100%)
	// customer 1: site 1 (100%)
	// customer 2: site 0 (25%) site 1 (75%)
	// value of one more unit of capacity: [0 1]
}

// A capacitated p-median: five points on a line, two medians of capacity
// 3, unit demands; the cost is the distance.
func ExampleNewPMedian() {
	x := []float64{0, 1, 2, 10, 11}
	dist := make([][]float64, len(x))
	for i := range x {
		dist[i] = make([]float64, len(x))
		for j := range x {
			dist[i][j] = math.Abs(x[i] - x[j])
		}
	}
	demand := []float64{1, 1, 1, 1, 1}
	capacity := []float64{3, 3, 3, 3, 3}
	sol, err := capfl.Solve(context.Background(), capfl.NewPMedian(dist, demand, capacity, 2), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sol.Status, sol.Objective, sol.Open)
	for j, sh := range sol.Assign {
		fmt.Printf("point %d -> median %d\n", j, sh[0].Site)
	}
	// Output:
	// optimal 3 [1 3]
	// point 0 -> median 1
	// point 1 -> median 1
	// point 2 -> median 1
	// point 3 -> median 3
	// point 4 -> median 3
}

// Validate reports every malformed field at once.
func ExampleProblem_Validate() {
	p := &capfl.Problem{
		Capacity: []float64{10, -1},
		Demand:   []float64{5, math.NaN()},
		Cost:     [][]float64{{1, 2}, {3}},
		MaxOpen:  3,
	}
	err := p.Validate()
	fmt.Println(errors.Is(err, gst.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true
	// site 1: capacity: must be a finite number >= 0, got -1
	// customer 1: demand: must be a finite number >= 0, got NaN
	// site 1: cost: has 1 entries for 2 customers
	// problem: max open: 3 exceeds the 2 sites
}

// Evaluate costs and checks a plan of one's own, for comparison with the
// optimum.
func ExampleProblem_Evaluate() {
	p := &capfl.Problem{
		Capacity:  []float64{60, 50},
		FixedCost: []float64{100, 80},
		Demand:    []float64{30, 20, 40},
		Cost:      [][]float64{{30, 60, 80}, {90, 20, 40}},
	}
	// Everyone to site 0: 90 units exceed its capacity of 60.
	all0 := [][]capfl.Share{{{Site: 0, Fraction: 1}}, {{Site: 0, Fraction: 1}}, {{Site: 0, Fraction: 1}}}
	_, _, err := p.Evaluate([]int{0}, all0)
	fmt.Println(err)
	// Each customer to its cheaper site.
	plan := [][]capfl.Share{{{Site: 0, Fraction: 1}}, {{Site: 1, Fraction: 1}}, {{Site: 1, Fraction: 1}}}
	_, _, err = p.Evaluate([]int{0, 1}, plan)
	fmt.Println(err)
	plan[2] = []capfl.Share{{Site: 0, Fraction: 0.25}, {Site: 1, Fraction: 0.75}}
	fixed, assignment, err := p.Evaluate([]int{0, 1}, plan)
	fmt.Println(fixed, assignment, err)
	// Output:
	// site 0: load: 90 exceeds capacity 60
	// site 1: load: 60 exceeds capacity 50
	// 180 100 <nil>
}

// Rules that clash are reported as infeasible, with the reason.
func ExampleInfeasibleError() {
	p := &capfl.Problem{
		Capacity: []float64{40, 40},
		Demand:   []float64{30, 20, 40},
		Cost:     [][]float64{{1, 1, 1}, {1, 1, 1}},
	}
	_, err := capfl.Solve(context.Background(), p, nil)
	var ie *capfl.InfeasibleError
	fmt.Println(errors.Is(err, gst.ErrInfeasible), errors.As(err, &ie))
	fmt.Println(ie.Reason)
	// Output:
	// true true
	// total demand 90 exceeds the total capacity 80 of the sites that may open
}
