package planar_test

import (
	"context"
	"fmt"

	"github.com/gstplan/gst/allocate/planar"
)

// Two villages of three houses each, 10 km apart: two sites, one in each
// village, serve every house within 1 km.
func ExampleSolve() {
	p := &planar.Problem{
		X: []float64{0, 1, 0, 10, 11, 10},
		Y: []float64{0, 0, 1, 0, 0, 1},
		P: 2,
	}
	res, err := planar.Solve(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("open:", res.Open, "assign:", res.Assign)
	fmt.Printf("total distance %.0f, bound %.0f, %v\n", res.Objective, res.Bound, res.Status)
	// Output:
	// open: [0 3] assign: [0 0 0 3 3 3]
	// total distance 4, bound 4, optimal
}

// The same villages when a site has room for two houses only: with four
// sites, two in each village, each village's third house travels 1 km.
func ExampleSolve_capacitated() {
	p := &planar.Problem{
		X:        []float64{0, 1, 0, 10, 11, 10},
		Y:        []float64{0, 0, 1, 0, 0, 1},
		P:        4,
		Capacity: []float64{2, 2, 2, 2, 2, 2},
	}
	res, err := planar.Solve(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d sites open, total distance %.0f, %v\n", len(res.Open), res.Objective, res.Status)
	// Output:
	// 4 sites open, total distance 2, optimal
}
