package lp_test

import (
	"context"
	"fmt"
	"math"
	"os"

	"github.com/gstplan/gst/internal/lp"
)

// Ten nurses from a shared pool go to two health centres. A nurse at
// centre A covers 40 consultations a week, at centre B 30; A has rooms for
// six nurses. How many nurses go where?
func ExampleSolve() {
	m := lp.NewModel("nurses")
	a := m.AddVar("nurses_A", 0, math.Inf(1), 40, lp.Integer)
	b := m.AddVar("nurses_B", 0, math.Inf(1), 30, lp.Integer)
	m.AddRow("pool", []int{a, b}, []float64{1, 1}, lp.LE, 10)
	m.AddRow("rooms_A", []int{a}, []float64{1}, lp.LE, 6)
	m.SetMaximize(true)

	sol, err := lp.Solve(context.Background(), m, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sol.Status, sol.Objective, sol.X)
	// Output:
	// optimal 360 [6 4]
}

// The nurses' question asked for several pool sizes, with the programme
// kept loaded in lp_solve: each solve starts from the last one's basis.
func ExampleResolver() {
	m := lp.NewModel("nurses")
	a := m.AddVar("nurses_A", 0, math.Inf(1), 40, lp.Continuous)
	b := m.AddVar("nurses_B", 0, math.Inf(1), 30, lp.Continuous)
	pool := m.AddRow("pool", []int{a, b}, []float64{1, 1}, lp.LE, 10)
	m.AddRow("rooms_A", []int{a}, []float64{1}, lp.LE, 6)
	m.SetMaximize(true)

	rs, err := lp.NewResolver(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rs.Close()
	for _, nurses := range []float64{4, 10, 12} {
		m.SetRHS(pool, nurses)
		sol, err := rs.Solve(context.Background(), nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%g nurses: %.6g consultations, A %.6g, B %.6g\n", nurses, sol.Objective, sol.X[a], sol.X[b])
	}
	// Output:
	// 4 nurses: 160 consultations, A 4, B 0
	// 10 nurses: 360 consultations, A 6, B 4
	// 12 nurses: 420 consultations, A 6, B 6
}

// The same question as a linear programme, with the duals: one more nurse
// in the pool is worth 30 consultations (she goes to B), one more room at
// A is worth 10 (a nurse moves from B to A).
func ExampleSolve_duals() {
	m := lp.NewModel("nurses")
	a := m.AddVar("nurses_A", 0, math.Inf(1), 40, lp.Continuous)
	b := m.AddVar("nurses_B", 0, math.Inf(1), 30, lp.Continuous)
	m.AddRow("pool", []int{a, b}, []float64{1, 1}, lp.LE, 10)
	m.AddRow("rooms_A", []int{a}, []float64{1}, lp.LE, 6)
	m.SetMaximize(true)

	sol, err := lp.Solve(context.Background(), m, &lp.Options{Duals: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range m.NumRows() {
		fmt.Printf("%s: dual %.4g\n", m.RowName(i), sol.Duals[i])
	}
	// Output:
	// pool: dual 30
	// rooms_A: dual 10
}

func ExampleModel_Validate() {
	m := lp.NewModel("broken")
	x := m.AddVar("x", 5, 1, 1, lp.Continuous)
	m.AddRow("demand", []int{x, 7}, []float64{math.NaN(), 1}, lp.GE, 1)
	fmt.Println(m.Validate())
	// Output:
	// lp: column 0 "x": hi: 1 is below lo 5
	// lp: row 0 "demand": coef of column 0: NaN
	// lp: row 0 "demand": col: column index 7 out of range [0, 1)
}

func ExampleModel_WriteMPS() {
	m := lp.NewModel("nurses")
	a := m.AddVar("nurses_A", 0, math.Inf(1), 40, lp.Integer)
	b := m.AddVar("nurses_B", 0, 8, 30, lp.Continuous)
	m.AddRow("pool", []int{a, b}, []float64{1, 1}, lp.LE, 10)
	m.SetMaximize(true)
	if err := m.WriteMPS(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// NAME nurses FREE
	// * objective negated: the model maximises
	// ROWS
	//  N OBJ
	//  L pool
	// COLUMNS
	//  MARKER 'MARKER' 'INTORG'
	//  nurses_A OBJ -40
	//  nurses_A pool 1
	//  MARKER 'MARKER' 'INTEND'
	//  nurses_B OBJ -30
	//  nurses_B pool 1
	// RHS
	//  RHS pool 10
	// BOUNDS
	//  PL BND nurses_A
	//  UP BND nurses_B 8
	// ENDATA
}
