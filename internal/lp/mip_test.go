package lp

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gstplan/gst"
)

type knapsackData struct {
	w, v []float64
	cap  float64
}

func newKnapsack(n int, seed uint64) knapsackData {
	r := rand.New(rand.NewPCG(seed, 17))
	d := knapsackData{w: make([]float64, n), v: make([]float64, n)}
	total := 0.0
	for i := range n {
		d.w[i] = float64(1 + r.IntN(50))
		d.v[i] = float64(1 + r.IntN(60))
		total += d.w[i]
	}
	d.cap = math.Floor(total / 3)
	return d
}

func (d knapsackData) model() *Model {
	m := NewModel("knapsack")
	cols := make([]int, len(d.w))
	for i := range d.w {
		cols[i] = m.AddVar("", 0, 1, d.v[i], Binary)
	}
	m.AddRow("cap", cols, d.w, LE, d.cap)
	m.SetMaximize(true)
	return m
}

func knapsack(n int, seed uint64) *Model { return newKnapsack(n, seed).model() }

// bruteForce returns the best value over all subsets.
func (d knapsackData) bruteForce() float64 {
	best := 0.0
	n := len(d.w)
	for s := 0; s < 1<<n; s++ {
		w, v := 0.0, 0.0
		for i := range n {
			if s&(1<<i) != 0 {
				w += d.w[i]
				v += d.v[i]
			}
		}
		if w <= d.cap && v > best {
			best = v
		}
	}
	return best
}

func TestKnapsackBruteForce(t *testing.T) {
	for seed := range uint64(20) {
		d := newKnapsack(14, seed)
		want := d.bruteForce()
		got, err := Solve(context.Background(), d.model(), nil)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if got.Status != gst.StatusOptimal || got.Objective != want || got.Bound != want || got.Violation != 0 {
			t.Errorf("seed %d: %v objective %v bound %v violation %g; want optimal %v",
				seed, got.Status, got.Objective, got.Bound, got.Violation, want)
		}
		for j, x := range got.X {
			if x != 0 && x != 1 {
				t.Errorf("seed %d: x[%d] = %v, not 0 or 1", seed, j, x)
			}
		}
	}
}

func TestAssignmentBruteForce(t *testing.T) {
	const n = 6
	r := rand.New(rand.NewPCG(3, 3))
	for trial := range 5 {
		cost := make([][]float64, n)
		for i := range cost {
			cost[i] = make([]float64, n)
			for j := range cost[i] {
				cost[i][j] = float64(r.IntN(100))
			}
		}
		m := NewModel("assign")
		x := make([][]int, n)
		for i := range n {
			x[i] = make([]int, n)
			for j := range n {
				x[i][j] = m.AddVar("", 0, 1, cost[i][j], Binary)
			}
		}
		ones := make([]float64, n)
		for k := range ones {
			ones[k] = 1
		}
		for i := range n {
			m.AddRow("", x[i], ones, EQ, 1)
			col := make([]int, n)
			for k := range n {
				col[k] = x[k][i]
			}
			m.AddRow("", col, ones, EQ, 1)
		}
		want := math.Inf(1)
		permute(n, func(p []int) {
			s := 0.0
			for i, j := range p {
				s += cost[i][j]
			}
			want = math.Min(want, s)
		})
		got, err := Solve(context.Background(), m, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != gst.StatusOptimal || got.Objective != want {
			t.Errorf("trial %d: %v %v, want optimal %v", trial, got.Status, got.Objective, want)
		}
	}
}

// permute calls f with every permutation of 0..n-1 (Heap's algorithm).
func permute(n int, f func([]int)) {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	var gen func(k int)
	gen = func(k int) {
		if k == 1 {
			f(p)
			return
		}
		for i := 0; i < k-1; i++ {
			gen(k - 1)
			if k%2 == 0 {
				p[i], p[k-1] = p[k-1], p[i]
			} else {
				p[0], p[k-1] = p[k-1], p[0]
			}
		}
		gen(k - 1)
	}
	gen(n)
}

type facilityData struct {
	open   []float64   // fixed cost of each facility
	assign [][]float64 // assign[i][c]: cost of serving customer c from i
}

func newFacility(r *rand.Rand, nf, nc int) facilityData {
	d := facilityData{open: make([]float64, nf), assign: make([][]float64, nf)}
	type pt struct{ x, y float64 }
	cust := make([]pt, nc)
	for c := range cust {
		cust[c] = pt{r.Float64() * 100, r.Float64() * 100}
	}
	for i := range nf {
		d.open[i] = float64(50 + r.IntN(150))
		f := pt{r.Float64() * 100, r.Float64() * 100}
		d.assign[i] = make([]float64, nc)
		for c, p := range cust {
			d.assign[i][c] = math.Round(math.Hypot(f.x-p.x, f.y-p.y))
		}
	}
	return d
}

// facilityModel is the strong formulation of uncapacitated facility
// location: x[i][c] ≤ y[i], Σ_i x[i][c] = 1.
func facilityModel(d facilityData) *Model {
	m := NewModel("ufl")
	nf, nc := len(d.open), len(d.assign[0])
	y := make([]int, nf)
	for i := range nf {
		y[i] = m.AddVar("open_"+strconv.Itoa(i), 0, 1, d.open[i], Binary)
	}
	x := make([][]int, nf)
	for i := range nf {
		x[i] = make([]int, nc)
		for c := range nc {
			x[i][c] = m.AddVar("serve_"+strconv.Itoa(i)+"_"+strconv.Itoa(c), 0, 1, d.assign[i][c], Continuous)
			m.AddRow("", []int{x[i][c], y[i]}, []float64{1, -1}, LE, 0)
		}
	}
	for c := range nc {
		cols := make([]int, nf)
		ones := make([]float64, nf)
		for i := range nf {
			cols[i], ones[i] = x[i][c], 1
		}
		m.AddRow("demand_"+strconv.Itoa(c), cols, ones, EQ, 1)
	}
	return m
}

// bruteForce returns the cheapest cost over all non-empty sets of open
// facilities, each customer served by its cheapest open facility.
func (d facilityData) bruteForce() float64 {
	nf, nc := len(d.open), len(d.assign[0])
	best := math.Inf(1)
	for s := 1; s < 1<<nf; s++ {
		cost := 0.0
		for i := range nf {
			if s&(1<<i) != 0 {
				cost += d.open[i]
			}
		}
		for c := range nc {
			cheapest := math.Inf(1)
			for i := range nf {
				if s&(1<<i) != 0 {
					cheapest = math.Min(cheapest, d.assign[i][c])
				}
			}
			cost += cheapest
		}
		best = math.Min(best, cost)
	}
	return best
}

func TestFacilityLocationBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	for trial := range 8 {
		d := newFacility(r, 6, 15)
		want := d.bruteForce()
		m := facilityModel(d)
		got, err := Solve(context.Background(), m, nil)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]float64{want, want}, []float64{got.Objective, got.Bound}, approx); diff != "" || got.Status != gst.StatusOptimal {
			t.Errorf("trial %d: status %v; objective, bound (-want +got):\n%s", trial, got.Status, diff)
		}
		if got.Violation > 1e-9 {
			t.Errorf("trial %d: violation %g", trial, got.Violation)
		}
		// The recomputed objective is the reported one.
		if obj := m.ObjValue(got.X); obj != got.Objective {
			t.Errorf("trial %d: ObjValue(X) = %v, Objective = %v", trial, obj, got.Objective)
		}
	}
}

// TestObjectiveCopy checks the guard of Options.DirectObjective: a MIP
// solved with its objective on a continuous copy gives the same optimum,
// a feasible X of the model as built, and duals and reduced costs of the
// model's own rows and columns.
func TestObjectiveCopy(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	coefs := []float64{-1, -2, -0.5, -0.3, -1.7, 2.2, 0.4}
	for trial := 0; trial < 60; trial++ {
		m := NewModel("copy")
		const ni, nc = 6, 3
		for j := 0; j < ni; j++ {
			m.AddVar("", 0, 2, coefs[rng.IntN(len(coefs))], Integer)
		}
		for j := 0; j < nc; j++ {
			m.AddVar("", 0, 4, coefs[rng.IntN(len(coefs))], Continuous)
		}
		for i := 0; i < 4; i++ {
			cols := make([]int, ni+nc)
			a := make([]float64, ni+nc)
			for j := range cols {
				cols[j], a[j] = j, float64(rng.IntN(5))
			}
			m.AddRow("", cols, a, LE, float64(5+rng.IntN(10)))
		}
		direct, err1 := Solve(context.Background(), m, &Options{DirectObjective: true, Duals: true})
		copied, err2 := Solve(context.Background(), m, &Options{Duals: true})
		if err1 != nil || err2 != nil {
			t.Fatalf("trial %d: %v / %v", trial, err1, err2)
		}
		if math.Abs(direct.Objective-copied.Objective) > 1e-7 || copied.Status != gst.StatusOptimal {
			t.Errorf("trial %d: direct %v, copy %v (%v)", trial, direct.Objective, copied.Objective, copied.Status)
		}
		if len(copied.X) != m.NumVars() || copied.Violation > 1e-7 {
			t.Errorf("trial %d: X has %d values, violation %v", trial, len(copied.X), copied.Violation)
		}
		if len(copied.Duals) != m.NumRows() || len(copied.ReducedCosts) != m.NumVars() {
			t.Fatalf("trial %d: %d duals, %d reduced costs", trial, len(copied.Duals), len(copied.ReducedCosts))
		}
		// The duals belong to the LP of the node that produced X, whose
		// bounds differ between the two runs; what must hold with the copy
		// is the reduced-cost identity rc_j = c_j − Σ_i y_i·a_ij over the
		// model's own rows (θ's row carries the objective with dual 1).
		want := make([]float64, m.NumVars())
		for j := range want {
			want[j] = m.Obj(j)
		}
		for i := 0; i < m.NumRows(); i++ {
			cols, a, _, _ := m.Row(i)
			for k, j := range cols {
				want[j] -= copied.Duals[i] * a[k]
			}
		}
		if diff := cmp.Diff(want, copied.ReducedCosts, cmpopts.EquateApprox(0, 1e-7)); diff != "" {
			t.Errorf("trial %d: reduced costs with the copy (-identity +got):\n%s", trial, diff)
		}
	}
}
