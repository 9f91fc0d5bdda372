package capfl

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/orlib"
)

// TestKnownOptima solves a fast subset of the OR-Library families (data in
// testdata/) and checks the published optima.
func TestKnownOptima(t *testing.T) {
	cases := []struct {
		name string
		load func(testing.TB) *Problem
	}{
		{"cap41", func(tb testing.TB) *Problem { return capProblem(tb, "cap41", 0) }},
		{"cap71", func(tb testing.TB) *Problem { return capProblem(tb, "cap71", 0) }},
		{"cap131", func(tb testing.TB) *Problem { return capProblem(tb, "cap131", 0) }},
		{"pmedcap1_01", func(tb testing.TB) *Problem { return pmedcapProblem(tb, "pmedcap1_01") }},
		{"pmedcap1_02", func(tb testing.TB) *Problem { return pmedcapProblem(tb, "pmedcap1_02") }},
		{"pmedcap1_03", func(tb testing.TB) *Problem { return pmedcapProblem(tb, "pmedcap1_03") }},
		{"pmedcap1_04", func(tb testing.TB) *Problem { return pmedcapProblem(tb, "pmedcap1_04") }},
		{"pmedcap1_05", func(tb testing.TB) *Problem { return pmedcapProblem(tb, "pmedcap1_05") }},
		{"SJC1", func(tb testing.TB) *Problem { return sjcProblem(tb, "SJC1") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && c.name == "SJC1" {
				t.Skip("SJC1 takes about a second")
			}
			known, ok := orlib.LookupKnown(c.name, 0)
			if !ok {
				t.Fatalf("no known value for %s", c.name)
			}
			p := c.load(t)
			sol, err := Solve(context.Background(), p, nil)
			if err != nil {
				t.Fatal(err)
			}
			// capopt prints three decimals; SJC values two.
			tol := math.Max(1e-6*known.Value, 1e-3)
			if c.name == "SJC1" {
				tol = 0.01
			}
			if sol.Status != gst.StatusOptimal {
				t.Errorf("status %v, gap %v", sol.Status, sol.Gap)
			}
			if math.Abs(sol.Objective-known.Value) > tol {
				t.Errorf("objective %v, known optimum %v", sol.Objective, known.Value)
			}
			if sol.Bound > known.Value+tol || sol.Bound > sol.Objective {
				t.Errorf("bound %v above optimum %v or objective %v", sol.Bound, known.Value, sol.Objective)
			}
			checkSolution(t, p, sol)
		})
	}
}

// checkSolution verifies a solution against the problem: it is feasible,
// its figures are consistent and its bound is not above its objective.
func checkSolution(t *testing.T, p *Problem, sol *Solution) {
	t.Helper()
	fixed, acost, err := p.Evaluate(sol.Open, sol.Assign)
	if err != nil {
		t.Fatalf("solution does not check: %v", err)
	}
	tol := 1e-9 * math.Max(1, math.Abs(sol.Objective))
	if math.Abs(fixed-sol.FixedCost) > tol || math.Abs(acost-sol.AssignmentCost) > tol || math.Abs(fixed+acost-sol.Objective) > tol {
		t.Errorf("figures %v + %v = %v, recomputed %v + %v", sol.FixedCost, sol.AssignmentCost, sol.Objective, fixed, acost)
	}
	if sol.Bound > sol.Objective+tol {
		t.Errorf("bound %v above objective %v", sol.Bound, sol.Objective)
	}
	if g := gst.Gap(sol.Objective, sol.Bound); g != sol.Gap {
		t.Errorf("gap %v, want %v", sol.Gap, g)
	}
	load := make([]float64, len(p.Capacity))
	for j, sh := range sol.Assign {
		for _, s := range sh {
			load[s.Site] += s.Fraction * p.Demand[j]
		}
	}
	for i := range load {
		if math.Abs(load[i]-sol.Load[i]) > 1e-9*math.Max(1, load[i]) {
			t.Errorf("site %d: load %v, recomputed %v", i, sol.Load[i], load[i])
		}
	}
	if !sort.IntsAreSorted(sol.Open) {
		t.Errorf("open sites not sorted: %v", sol.Open)
	}
}

// problemErrors lists "where: field" of the validation errors of err.
func problemErrors(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var ve *gst.ValidationError
		if errors.As(e, &ve) {
			out = append(out, ve.Where+": "+ve.Field)
		}
	}
	walk(err)
	return out
}

func smallProblem() *Problem {
	return &Problem{
		Capacity:  []float64{60, 50},
		FixedCost: []float64{100, 80},
		Demand:    []float64{30, 20, 40},
		Cost: [][]float64{
			{30, 60, 80},
			{90, 20, 40},
		},
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		modify func(p *Problem)
		want   []string
	}{
		{"valid", func(p *Problem) {}, nil},
		{"no sites", func(p *Problem) { p.Capacity = nil; p.FixedCost = nil; p.Cost = nil }, []string{"problem: capacity"}},
		{"bad numbers", func(p *Problem) {
			p.Capacity[1] = math.NaN()
			p.FixedCost[0] = -1
			p.Demand[2] = math.Inf(1)
			p.Cost[0][1] = -3
			p.Cost[1][2] = math.NaN()
		}, []string{"site 1: capacity", "site 0: fixed cost", "customer 2: demand", "site 0 customer 1: cost", "site 1 customer 2: cost"}},
		{"shapes", func(p *Problem) {
			p.FixedCost = []float64{1}
			p.Cost = [][]float64{{1, 2, 3}, {1, 2}, {4, 5, 6}}
		}, []string{"problem: fixed cost", "problem: cost", "site 1: cost"}},
		{"open rules", func(p *Problem) {
			p.MinOpen = -1
			p.MaxOpen = 3
			p.Open = []int{0, 0, 5}
			p.Closed = []int{0, -1}
		}, []string{"problem: min open", "problem: max open", "open[1]: site", "open[2]: site", "closed[0]: site", "closed[1]: site"}},
		{"min above max", func(p *Problem) { p.MinOpen, p.MaxOpen = 2, 1 }, []string{"problem: min open"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := smallProblem()
			c.modify(p)
			err := p.Validate()
			if diff := cmp.Diff(c.want, problemErrors(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", diff, err)
			}
			if c.want != nil {
				if !errors.Is(err, gst.ErrInvalid) {
					t.Errorf("%v does not wrap ErrInvalid", err)
				}
				if _, err := Solve(context.Background(), p, nil); !errors.Is(err, gst.ErrInvalid) {
					t.Errorf("Solve: %v, want ErrInvalid", err)
				}
			}
		})
	}
	var nilp *Problem
	if err := nilp.Validate(); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("nil problem: %v", err)
	}
}

func TestInvalidOptions(t *testing.T) {
	p := smallProblem()
	for _, o := range []*Options{
		{GapTolerance: -1},
		{GapTolerance: math.NaN()},
		{TimeLimit: -time.Second},
		{NodeLimit: -2},
		{IterationLimit: -1},
		{InitialOpen: []int{2}},
		{MaxPairs: -1},
		{Cutoff: -1},
		{Cutoff: math.NaN()},
		{Cutoff: math.Inf(1)},
	} {
		if _, err := Solve(context.Background(), p, o); !errors.Is(err, gst.ErrInvalid) {
			t.Errorf("options %+v: %v, want ErrInvalid", o, err)
		}
	}
}

func TestTooLarge(t *testing.T) {
	_, err := Solve(context.Background(), smallProblem(), &Options{MaxPairs: 5})
	if !errors.Is(err, gst.ErrTooLarge) {
		t.Errorf("%v, want ErrTooLarge", err)
	}
	if _, err := Solve(context.Background(), smallProblem(), &Options{MaxPairs: 6}); err != nil {
		t.Errorf("6 pairs within a limit of 6: %v", err)
	}
}

func TestInfeasible(t *testing.T) {
	cases := []struct {
		name   string
		modify func(p *Problem)
	}{
		{"capacity below demand", func(p *Problem) { p.Capacity = []float64{40, 40} }},
		{"customer without site", func(p *Problem) { p.Cost[0][2], p.Cost[1][2] = math.Inf(1), math.Inf(1) }},
		{"closed sites", func(p *Problem) { p.Closed = []int{0} }},
		{"max open", func(p *Problem) { p.MaxOpen = 1 }},
		{"forced above max open", func(p *Problem) { p.Open = []int{0, 1}; p.MaxOpen = 1 }},
		{"min open above sites left", func(p *Problem) { p.Closed = []int{1}; p.MinOpen = 2; p.Capacity[0] = 200 }},
		{"single source demand above capacity", func(p *Problem) { p.SingleSource = true; p.Demand[2] = 65; p.Capacity = []float64{60, 60} }},
		{"single source packing", func(p *Problem) {
			// 3 × 35 into two sites of 60: total capacity suffices, no
			// packing does.
			p.SingleSource = true
			p.Demand = []float64{35, 35, 35}
			p.Capacity = []float64{60, 60}
		}},
		{"forbidden pairs", func(p *Problem) {
			// customers 0 and 2 may only use site 0, which cannot carry both.
			p.Cost[1][0], p.Cost[1][2] = math.Inf(1), math.Inf(1)
			p.Capacity = []float64{60, 200}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := smallProblem()
			c.modify(p)
			sol, err := Solve(context.Background(), p, nil)
			if err == nil {
				t.Fatalf("solved: %+v", sol)
			}
			var ie *InfeasibleError
			if !errors.Is(err, gst.ErrInfeasible) || !errors.As(err, &ie) || ie.Reason == "" {
				t.Errorf("%v: want an *InfeasibleError wrapping ErrInfeasible", err)
			}
		})
	}
}

func TestSmallByHand(t *testing.T) {
	// Opening both sites costs 180 and lets every customer use its cheaper
	// site: 30 + 20 + 40 = 90, total 270. Site 0 alone cannot hold 90
	// units, site 1 alone neither.
	p := smallProblem()
	sol, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Solution{
		Status:         gst.StatusOptimal,
		Objective:      270,
		FixedCost:      180,
		AssignmentCost: 90,
		Bound:          270,
		Open:           []int{0, 1},
		Assign:         [][]Share{{{0, 1}}, {{1, 1}}, {{1, 1}}},
		Load:           []float64{30, 60},
	}
	// site 1 holds customers 1 and 2 (60 units) above its capacity 50:
	// the optimum splits customer 2.
	want.Assign = [][]Share{{{0, 1}}, {{1, 1}}, {{0, 0.25}, {1, 0.75}}}
	want.AssignmentCost = 30 + 20 + 0.25*80 + 0.75*40
	want.Objective = 180 + want.AssignmentCost
	want.Bound = want.Objective
	want.Load = []float64{40, 50}
	got := *sol
	got.CapacityValue, got.FlipBound, got.Nodes, got.Iterations, got.RootBound, got.Gap = nil, nil, 0, 0, 0, 0
	if diff := cmp.Diff(want, &got); diff != "" {
		t.Errorf("solution (-want +got):\n%s", diff)
	}
	// One more unit at site 1 moves one unit of customer 2 from site 0
	// (80/40 per unit) to site 1 (40/40 per unit): value 1.
	if diff := cmp.Diff([]float64{0, 1}, sol.CapacityValue); diff != "" {
		t.Errorf("capacity values (-want +got):\n%s", diff)
	}
	checkSolution(t, p, sol)
}

func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	compared := 0
	for k := 0; k < 4; k++ {
		p := randomProblem(rng, 12, 40, k%2 == 0)
		p.MinOpen, p.MaxOpen, p.Open, p.Closed = 0, 0, nil, nil
		a, errA := Solve(context.Background(), p, nil)
		b, errB := Solve(context.Background(), p, nil)
		if (errA == nil) != (errB == nil) {
			t.Fatalf("errors differ: %v, %v", errA, errB)
		}
		if errA != nil {
			continue
		}
		compared++
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("case %d: two solves differ (-first +second):\n%s", k, diff)
		}
	}
	if compared < 3 {
		t.Errorf("only %d of 4 random problems solved", compared)
	}
}

// TestPermutation checks that reordering sites and customers does not
// change the optimal objective.
func TestPermutation(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	compared := 0
	for k := 0; k < 6; k++ {
		p := randomProblem(rng, 8, 25, k%2 == 0)
		p.Open, p.Closed = nil, nil
		a, err := Solve(context.Background(), p, nil)
		if err != nil {
			continue
		}
		compared++
		m, n := len(p.Capacity), len(p.Demand)
		ps, pc := rng.Perm(m), rng.Perm(n)
		q := &Problem{SingleSource: p.SingleSource, MinOpen: p.MinOpen, MaxOpen: p.MaxOpen,
			Capacity: make([]float64, m), Demand: make([]float64, n), Cost: make([][]float64, m)}
		if p.FixedCost != nil {
			q.FixedCost = make([]float64, m)
		}
		for i := 0; i < m; i++ {
			q.Capacity[i] = p.Capacity[ps[i]]
			if p.FixedCost != nil {
				q.FixedCost[i] = p.FixedCost[ps[i]]
			}
			q.Cost[i] = make([]float64, n)
			for j := 0; j < n; j++ {
				q.Cost[i][j] = p.Cost[ps[i]][pc[j]]
			}
		}
		for j := 0; j < n; j++ {
			q.Demand[j] = p.Demand[pc[j]]
		}
		b, err := Solve(context.Background(), q, nil)
		if err != nil {
			t.Fatalf("case %d: permuted problem fails: %v", k, err)
		}
		if math.Abs(a.Objective-b.Objective) > 1e-6*math.Max(1, a.Objective) {
			t.Errorf("case %d: objective %v, permuted %v", k, a.Objective, b.Objective)
		}
		checkSolution(t, q, b)
	}
	if compared < 4 {
		t.Errorf("only %d of 6 random problems solved", compared)
	}
}

func TestStops(t *testing.T) {
	p := pmedcapProblem(t, "pmedcap1_01")
	t.Run("cancelled without incumbent", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Solve(ctx, p, nil)
		if !errors.Is(err, gst.ErrNoSolution) {
			t.Errorf("%v, want ErrNoSolution", err)
		}
	})
	start := []int{0, 10, 20, 30, 40}
	t.Run("cancelled with initial sites", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		sol, err := Solve(ctx, p, &Options{InitialOpen: start})
		if err != nil {
			t.Fatal(err)
		}
		if sol.Status != gst.StatusCanceled || cmp.Diff(start, sol.Open) != "" {
			t.Errorf("status %v open %v", sol.Status, sol.Open)
		}
		checkSolution(t, p, sol)
	})
	t.Run("deadline passed", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		sol, err := Solve(ctx, p, &Options{InitialOpen: start})
		if err != nil {
			t.Fatal(err)
		}
		if sol.Status != gst.StatusTimeLimit || !math.IsInf(sol.Gap, 1) {
			t.Errorf("status %v gap %v", sol.Status, sol.Gap)
		}
	})
	t.Run("node limit", func(t *testing.T) {
		q := pmedcapProblem(t, "pmedcap1_01") // its root leaves a gap
		sol, err := Solve(context.Background(), q, &Options{NodeLimit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if sol.Status != gst.StatusFeasible || sol.Gap <= 0 || sol.Nodes != 1 {
			t.Errorf("status %v gap %v nodes %d", sol.Status, sol.Gap, sol.Nodes)
		}
		checkSolution(t, q, sol)
	})
	t.Run("root only", func(t *testing.T) {
		sol, err := Solve(context.Background(), p, &Options{RootOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if sol.Nodes != 1 || sol.Bound != sol.RootBound || sol.Status == gst.StatusTimeLimit {
			t.Errorf("nodes %d bound %v root %v status %v", sol.Nodes, sol.Bound, sol.RootBound, sol.Status)
		}
	})
}

// TestCutoff pins Options.Cutoff on pmedcap1_01 (optimum 713): a cutoff
// below the optimum ends with a *CutoffError whose bound is at least the
// cutoff, after no more nodes than the search without it; a cutoff at or
// above the optimum gives the same solution as none. With the sites fixed
// to a set whose assignment costs more (the check of a plan's change), the
// cutoff settles the question at the root node.
func TestCutoff(t *testing.T) {
	p := pmedcapProblem(t, "pmedcap1_01")
	ref, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Status != gst.StatusOptimal || ref.Objective != 713 {
		t.Fatalf("without cutoff: status %v objective %v, want optimal 713", ref.Status, ref.Objective)
	}
	_, err = Solve(context.Background(), p, &Options{Cutoff: 712})
	var ce *CutoffError
	if !errors.As(err, &ce) || !errors.Is(err, gst.ErrNoSolution) {
		t.Fatalf("cutoff 712: %v, want a *CutoffError wrapping ErrNoSolution", err)
	}
	if ce.Cutoff != 712 || ce.Bound < 712 || ce.Bound > 713 || ce.Nodes < 1 || ce.Nodes > ref.Nodes {
		t.Errorf("cutoff 712: %+v; want a bound in [712, 713] within %d nodes", ce, ref.Nodes)
	}
	for _, c := range []float64{713, 1e6} {
		sol, err := Solve(context.Background(), p, &Options{Cutoff: c})
		if err != nil {
			t.Fatalf("cutoff %v: %v", c, err)
		}
		if sol.Status != gst.StatusOptimal || sol.Objective != 713 || cmp.Diff(ref.Open, sol.Open) != "" {
			t.Errorf("cutoff %v: status %v objective %v open %v; want optimal 713 on %v", c, sol.Status, sol.Objective, sol.Open, ref.Open)
		}
		checkSolution(t, p, sol)
	}
	// The optimal sites but one, the one swapped for the next site not
	// open: every assignment costs more than 713.
	q := *p
	q.Open = append([]int(nil), ref.Open...)
	for i := 0; i < len(p.Capacity); i++ {
		if !slices.Contains(ref.Open, i) {
			q.Open[0] = i
			break
		}
	}
	for i := range p.Capacity {
		if !slices.Contains(q.Open, i) {
			q.Closed = append(q.Closed, i)
		}
	}
	_, err = Solve(context.Background(), &q, &Options{Cutoff: 713})
	if !errors.As(err, &ce) || ce.Nodes != 1 || ce.Bound <= 713 {
		t.Errorf("fixed sites %v, cutoff 713: %v; want a *CutoffError at the root with a bound above 713", q.Open, err)
	}
}

// TestFlipBound checks that the flip bounds are valid lower bounds of the
// flipped problems, solved by brute force.
func TestFlipBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	checked := 0
	for c := 0; c < 60; c++ {
		single := c%2 == 0
		p := randomProblem(rng, 2+rng.IntN(3), 3+rng.IntN(4), single)
		sol, err := Solve(context.Background(), p, nil)
		if err != nil {
			continue
		}
		open := map[int]bool{}
		for _, i := range sol.Open {
			open[i] = true
		}
		for i, fb := range sol.FlipBound {
			q := *p
			q.Open = append([]int(nil), p.Open...)
			q.Closed = append([]int(nil), p.Closed...)
			conflict := false
			for _, x := range append(append([]int(nil), p.Open...), p.Closed...) {
				if x == i {
					conflict = true
				}
			}
			if open[i] {
				q.Closed = append(q.Closed, i)
			} else {
				q.Open = append(q.Open, i)
			}
			var opt float64
			var found bool
			if !conflict {
				if single {
					opt, found = bruteSingle(&q)
				} else {
					opt, found = bruteMulti(&q)
				}
			}
			if !found {
				continue // any bound is valid for an infeasible flip
			}
			checked++
			if fb > opt+1e-6*math.Max(1, opt) {
				t.Errorf("case %d site %d: flip bound %v above the flipped optimum %v", c, i, fb, opt)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no flip checked")
	}
}

// TestNearIntegerCosts gives single-source costs that are integers only up
// to rounding (demand × (cost / demand), as allocate builds them): the
// bound is still rounded up, so the search is the one of the exact integer
// costs, node for node, and closes with the bound below the objective.
func TestNearIntegerCosts(t *testing.T) {
	build := func(near bool) (*Problem, int) {
		r := rand.New(rand.NewPCG(47, 1))
		m, n := 10, 60
		p := &Problem{Capacity: make([]float64, m), FixedCost: make([]float64, m), Demand: make([]float64, n), Cost: make([][]float64, m), SingleSource: true}
		for j := range p.Demand {
			p.Demand[j] = float64(3 + r.IntN(11))
		}
		off := 0
		for i := range p.Cost {
			p.Capacity[i] = 90
			p.FixedCost[i] = float64(100 + r.IntN(200))
			p.Cost[i] = make([]float64, n)
			for j := range p.Cost[i] {
				c := float64(5 + r.IntN(90))
				p.Cost[i][j] = c
				if near {
					p.Cost[i][j] = p.Demand[j] * (c / p.Demand[j])
				}
				if p.Cost[i][j] != c {
					off++
				}
			}
		}
		return p, off
	}
	exact, _ := build(false)
	near, off := build(true)
	if off == 0 {
		t.Fatal("no cost is off its integer: the test tests nothing")
	}
	a, err := Solve(context.Background(), exact, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Solve(context.Background(), near, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Status != gst.StatusOptimal || b.Bound > b.Objective || b.Nodes != a.Nodes || math.Abs(a.Objective-b.Objective) > 1e-9 {
		t.Errorf("%d costs off their integers: objective %v bound %v status %v nodes %d; exact integers: objective %v nodes %d",
			off, b.Objective, b.Bound, b.Status, b.Nodes, a.Objective, a.Nodes)
	}
}

// TestIterationLimit pins Options.IterationLimit on pmedcap1_01: the
// search stops within the limit with status StatusFeasible, a solution
// and a proven bound; the answer is the same, bit for bit, when the solve
// is slowed down (a Progress callback that sleeps), since the limit
// counts work; and a limit above the search's iterations changes nothing.
func TestIterationLimit(t *testing.T) {
	p := pmedcapProblem(t, "pmedcap1_01")
	ref, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	limit := ref.Iterations / 2
	a, err := Solve(context.Background(), p, &Options{IterationLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != gst.StatusFeasible || a.Iterations > limit || a.Bound > ref.Objective || a.Objective < ref.Objective {
		t.Errorf("limit %d: status %v, %d iterations, objective %v bound %v (optimum %v)", limit, a.Status, a.Iterations, a.Objective, a.Bound, ref.Objective)
	}
	checkSolution(t, p, a)
	slow := &Options{IterationLimit: limit, Progress: func(float64, float64) { time.Sleep(time.Millisecond) }}
	b, err := Solve(context.Background(), p, slow)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("the slowed solve differs (-normal +slowed):\n%s", diff)
	}
	// Stopped before any solution within a cutoff below the optimum, the
	// error says why.
	_, err = Solve(context.Background(), p, &Options{IterationLimit: 1, Cutoff: ref.Objective - 1})
	var ce *CutoffError
	if !errors.Is(err, gst.ErrNoSolution) || errors.As(err, &ce) || !strings.Contains(err.Error(), "stopped (iteration limit)") {
		t.Errorf("one iteration below the optimum: %v", err)
	}
	c, err := Solve(context.Background(), p, &Options{IterationLimit: 10 * ref.Iterations})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ref, c); diff != "" {
		t.Errorf("a limit above the search's iterations changes the answer (-none +limit):\n%s", diff)
	}
}
