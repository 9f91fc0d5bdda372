package planar

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

// clustered returns n points around k centres.
func clustered(seed uint64, n, k int) (x, y []float64) {
	r := rand.New(rand.NewPCG(seed, 7))
	cx, cy := make([]float64, k), make([]float64, k)
	for c := range cx {
		cx[c], cy[c] = r.Float64()*1000, r.Float64()*1000
	}
	for i := 0; i < n; i++ {
		c := r.IntN(k)
		x = append(x, cx[c]+r.NormFloat64()*40)
		y = append(y, cy[c]+r.NormFloat64()*40)
	}
	return x, y
}

// bruteForce returns the least objective over every set of p sites
// (uncapacitated: each client to its nearest open site).
func bruteForce(pt *points, p int) float64 {
	best := math.Inf(1)
	set := make([]int, p)
	var rec func(k, from int)
	rec = func(k, from int) {
		if k == p {
			s := 0.0
			for i := 0; i < pt.n; i++ {
				d := math.Inf(1)
				for _, j := range set {
					d = min(d, pt.dist(i, j))
				}
				s += pt.weight[i] * d
			}
			best = min(best, s)
			return
		}
		for j := from; j < pt.m; j++ {
			set[k] = j
			rec(k+1, j+1)
		}
	}
	rec(0, 0)
	return best
}

func TestUncapacitatedMatchesBruteForce(t *testing.T) {
	for _, tc := range []struct {
		seed       uint64
		n, sites   int
		p          int
		metric     Metric
		candidates int
	}{
		{1, 40, 0, 3, FloorEuclidean, 0},
		{2, 40, 0, 4, Euclidean, 2}, // short lists: they must grow
		{3, 60, 12, 3, Euclidean, 3},
		{4, 50, 10, 2, FloorEuclidean, 1},
	} {
		x, y := clustered(tc.seed, tc.n, 4)
		p := &Problem{X: x, Y: y, P: tc.p, Metric: tc.metric}
		if tc.sites > 0 {
			p.SiteX, p.SiteY = clustered(tc.seed+100, tc.sites, 3)
			r := rand.New(rand.NewPCG(tc.seed, 1))
			p.Weight = make([]float64, tc.n)
			for i := range p.Weight {
				p.Weight[i] = float64(1 + r.IntN(5))
			}
		}
		res, err := Solve(context.Background(), p, &Options{Candidates: tc.candidates})
		if err != nil {
			t.Fatal(err)
		}
		want := bruteForce(newPoints(p), tc.p)
		if res.Status != gst.StatusOptimal || math.Abs(res.Objective-want) > 1e-9*want || res.Bound > res.Objective {
			t.Errorf("case %d: objective %v bound %v status %v, want %v", tc.seed, res.Objective, res.Bound, res.Status, want)
		}
		if got := newPoints(p).objective(res.Assign); got != res.Objective || len(res.Open) != tc.p {
			t.Errorf("case %d: recomputed %v, %d open", tc.seed, got, len(res.Open))
		}
		if tc.candidates > 0 && tc.candidates < 3 && res.Rounds < 2 {
			t.Errorf("case %d: %d rounds; the short lists should have grown", tc.seed, res.Rounds)
		}
	}
}

// bruteCapacitated enumerates single-source assignments of a tiny problem.
func bruteCapacitated(pt *points, p int, capacity, demand []float64) float64 {
	best := math.Inf(1)
	assign := make([]int, pt.n)
	load := make([]float64, pt.m)
	var rec func(i int, cost float64)
	rec = func(i int, cost float64) {
		if cost >= best {
			return
		}
		if i == pt.n {
			open := 0
			for _, l := range load {
				if l > 0 {
					open++
				}
			}
			if open <= p { // sites without clients may open at no cost
				best = cost
			}
			return
		}
		for j := 0; j < pt.m; j++ {
			if load[j]+demand[i] <= capacity[j] {
				load[j] += demand[i]
				assign[i] = j
				rec(i+1, cost+pt.weight[i]*pt.dist(i, j))
				load[j] -= demand[i]
			}
		}
	}
	rec(0, 0)
	return best
}

func TestCapacitatedMatchesBruteForce(t *testing.T) {
	x, y := clustered(5, 9, 3)
	p := &Problem{X: x, Y: y, P: 3, Capacity: []float64{5, 5, 5, 5, 5, 5, 5, 5, 5}, Demand: []float64{1, 2, 1, 2, 1, 2, 1, 2, 1}}
	res, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := bruteCapacitated(newPoints(p), 3, p.Capacity, p.Demand)
	if res.Status != gst.StatusOptimal || math.Abs(res.Objective-want) > 1e-9*want || len(res.Open) != 3 {
		t.Errorf("objective %v status %v open %v, want %v", res.Objective, res.Status, res.Open, want)
	}
	load := make([]float64, len(x))
	for i, j := range res.Assign {
		load[j] += p.Demand[i]
	}
	for j, l := range load {
		if l > p.Capacity[j] {
			t.Errorf("site %d carries %v > %v", j, l, p.Capacity[j])
		}
	}
}

func TestDeterministic(t *testing.T) {
	x, y := clustered(9, 300, 6)
	p := &Problem{X: x, Y: y, P: 7, Metric: FloorEuclidean}
	a, err := Solve(context.Background(), p, &Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Solve(context.Background(), p, &Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	a.Duration, b.Duration = 0, 0
	if a.Objective != b.Objective || a.Bound != b.Bound || len(a.Open) != len(b.Open) {
		t.Fatalf("workers change the answer: %+v vs %+v", a, b)
	}
	for k := range a.Open {
		if a.Open[k] != b.Open[k] {
			t.Fatalf("open sites differ: %v vs %v", a.Open, b.Open)
		}
	}
}

func TestValidation(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		p    *Problem
		want string
	}{
		{nil, "is nil"},
		{&Problem{}, "no client"},
		{&Problem{X: []float64{0, 1}, Y: []float64{0}, P: 1}, "want len(X) = 2"},
		{&Problem{X: []float64{0, nan}, Y: []float64{0, 1}, P: 1}, "client 1"},
		{&Problem{X: []float64{0, 1}, Y: []float64{0, 1}, P: 3}, "P"},
		{&Problem{X: []float64{0, 1}, Y: []float64{0, 1}, P: 1, Weight: []float64{1, -1}}, "Weight"},
		{&Problem{X: []float64{0, 1}, Y: []float64{0, 1}, P: 1, Capacity: []float64{1, 0}}, "Capacity"},
		{&Problem{X: []float64{0, 1}, Y: []float64{0, 1}, P: 1, Demand: []float64{1, 1}}, "only with Capacity"},
		{&Problem{X: []float64{0, 1}, Y: []float64{0, 1}, P: 1, SiteX: []float64{0}}, "SiteY"},
		{&Problem{X: []float64{0, 1}, Y: []float64{0, 1}, P: 1, Metric: 7}, "unknown metric"},
	}
	for _, c := range cases {
		_, err := Solve(context.Background(), c.p, nil)
		if !errors.Is(err, gst.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want ErrInvalid containing %q", c.p, err, c.want)
		}
	}
	x, y := clustered(1, 30, 2)
	_, err := Solve(context.Background(), &Problem{X: x, Y: y, P: 2, Capacity: make30(10)}, &Options{MaxPairs: 100})
	if !errors.Is(err, gst.ErrTooLarge) {
		t.Errorf("MaxPairs: error %v, want ErrTooLarge", err)
	}
}

func make30(v float64) []float64 {
	c := make([]float64, 30)
	for i := range c {
		c[i] = v
	}
	return c
}

func TestNearestMatchesSort(t *testing.T) {
	x, y := clustered(3, 500, 5)
	g := newGrid(x, y)
	r := rand.New(rand.NewPCG(1, 2))
	for q := 0; q < 50; q++ {
		qx, qy := r.Float64()*1400-200, r.Float64()*1400-200
		k := 1 + r.IntN(60)
		got := g.nearest(qx, qy, k, nil)
		all := make([]near, len(x))
		for j := range x {
			dx, dy := qx-x[j], qy-y[j]
			all[j] = near{math.Sqrt(dx*dx + dy*dy), int32(j)}
		}
		sortNear(all)
		if len(got) != k+1 {
			t.Fatalf("query %d: %d results, want %d", q, len(got), k+1)
		}
		for t2 := range got {
			if got[t2] != all[t2] {
				t.Fatalf("query %d: rank %d: %v, want %v", q, t2, got[t2], all[t2])
			}
		}
	}
}

// TestCapacitatedListsBoundValid runs the candidate-list method on small
// problems solved exactly by the dense engine: its bound must not pass
// the optimum, its plan must respect the capacities and cost no less, and
// its end says why it ended; checkBinaryBound checks its 0-1 phase.
func TestCapacitatedListsBoundValid(t *testing.T) {
	defer func(v int) { denseCapPairs = v }(denseCapPairs)
	for seed := uint64(1); seed <= 4; seed++ {
		x, y := clustered(seed, 40, 4)
		r := rand.New(rand.NewPCG(seed, 3))
		w := make([]float64, len(x))
		total := 0.0
		for i := range w {
			w[i] = float64(1 + r.IntN(9))
			total += w[i]
		}
		p := &Problem{X: x, Y: y, Weight: w, Demand: w, P: 5, Capacity: make([]float64, len(x))}
		for j := range p.Capacity {
			p.Capacity[j] = math.Round(1.3 * total / 5)
		}
		denseCapPairs = math.MaxInt
		exact, err := Solve(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		denseCapPairs = 0
		res, err := Solve(context.Background(), p, &Options{TimeLimit: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		opt := exact.Objective
		if exact.Status != gst.StatusOptimal || res.Bound > opt*(1+1e-9) || res.Objective < opt*(1-1e-9) {
			t.Errorf("seed %d: optimum %v (%v); lists: objective %v bound %v", seed, opt, exact.Status, res.Objective, res.Bound)
		}
		checkBinaryBound(t, seed, p, opt)
		load := make([]float64, len(x))
		for i, j := range res.Assign {
			load[j] += w[i]
		}
		for j, l := range load {
			if l > p.Capacity[j] || l > 0 && !slices.Contains(res.Open, j) {
				t.Errorf("seed %d: site %d carries %v (capacity %v, open %v)", seed, j, l, p.Capacity[j], slices.Contains(res.Open, j))
			}
		}
		if got := newPoints(p).objective(res.Assign); got != res.Objective || len(res.Open) != 5 {
			t.Errorf("seed %d: recomputed %v vs %v, %d open", seed, got, res.Objective, len(res.Open))
		}
		want := map[gst.Status][]string{gst.StatusOptimal: {EndedGap}, gst.StatusTimeLimit: {EndedTime},
			gst.StatusFeasible: {EndedTolerance, EndedConverged}}[res.Status]
		if !slices.Contains(want, res.Ended) {
			t.Errorf("seed %d: status %v ended %q, want one of %q", seed, res.Status, res.Ended, want)
		}
		t.Logf("seed %d: optimum %.1f; lists: objective %.1f bound %.1f gap %.3f%%, %v (%s)", seed, opt, res.Objective, res.Bound, 100*res.Gap, res.Status, res.Ended)
	}
}

// checkBinaryBound pins the 0-1 phase of the candidate-list relaxation on
// a problem of optimum opt: from the multipliers where the continuous
// knapsacks' subgradient converged, 0-1 knapsacks give a bound at least as
// high at the same multipliers, strictly higher after their own
// subgradient (the capacities bind on these instances), and never above
// the optimum.
func checkBinaryBound(t *testing.T, seed uint64, p *Problem, opt float64) {
	t.Helper()
	pt := newPoints(p)
	do := (&Options{Workers: 1}).withDefaults()
	o := &do
	c := newCapLists(pt, newGrid(pt.sx, pt.sy), 16, 1)
	out := &Result{Objective: opt, Bound: math.Inf(-1)}
	lam := c.initialMultipliers()
	try := func([]int, [][]item) {}
	c.subgradient(context.Background(), o, out, lam, 2, false, try)
	cont := out.Bound
	items := make([][]item, pt.m)
	lc, _ := c.relax(lam, p.P, items, 1, false)
	lb, _ := c.relax(lam, p.P, items, 1, true)
	if lb < lc-1e-9*math.Abs(lc) {
		t.Errorf("seed %d: at the same multipliers 0-1 knapsacks give %v < continuous %v", seed, lb, lc)
	}
	c.subgradient(context.Background(), o, out, lam, 0.5, true, try)
	if !(out.Bound > cont) || out.Bound > opt*(1+1e-9) {
		t.Errorf("seed %d: continuous bound %v, 0-1 bound %v, optimum %v", seed, cont, out.Bound, opt)
	}
	t.Logf("seed %d: continuous %.2f, 0-1 %.2f, optimum %.2f", seed, cont, out.Bound, opt)
}
