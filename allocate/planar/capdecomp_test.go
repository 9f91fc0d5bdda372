package planar

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/capfl"
)

// scattered draws n clients and m candidate sites uniformly in a square,
// client demands of 1 to 10, and every capacity 1.2 times the mean load
// of P sites.
func scattered(seed uint64, n, m, p int) *Problem {
	r := rand.New(rand.NewPCG(seed, 5))
	pr := &Problem{P: p}
	total := 0.0
	for i := 0; i < n; i++ {
		pr.X = append(pr.X, 100*r.Float64())
		pr.Y = append(pr.Y, 100*r.Float64())
		pr.Demand = append(pr.Demand, float64(1+r.IntN(10)))
		total += pr.Demand[i]
	}
	for j := 0; j < m; j++ {
		pr.SiteX = append(pr.SiteX, 100*r.Float64())
		pr.SiteY = append(pr.SiteY, 100*r.Float64())
		pr.Capacity = append(pr.Capacity, math.Round(1.2*total/float64(p)))
	}
	return pr
}

// spreadPlan is the start of decompose on scattered(seed, 200, 80, 15):
// the spread sites of the uncapacitated answer and their assignment
// within the capacities.
func spreadPlan(t *testing.T, seed uint64) (pt *points, c *capLists, open, asg []int) {
	t.Helper()
	pt = newPoints(scattered(seed, 200, 80, 15))
	o := (&Options{}).withDefaults()
	u, err := solveUncapacitated(context.Background(), pt, &o, true)
	if err != nil {
		t.Fatal(err)
	}
	c = newCapLists(pt, newGrid(pt.sx, pt.sy), 20, 1)
	open = c.spreadSites(context.Background(), u.Open)
	if asg = c.assign(open); asg == nil {
		t.Fatalf("seed %d: no assignment", seed)
	}
	return pt, c, open, asg
}

// TestDecomposeImproves re-solves crowded regions' plans region by region:
// from the spread sites' assignment within the capacities, decompose ends
// with a plan within the capacities, with P open sites and its cost
// recomputed, below its start, and the same plan with one worker as with
// two.
func TestDecomposeImproves(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		pt, c, open, a := spreadPlan(t, seed)
		start := pt.objective(a)
		var ends []*Result
		for _, workers := range []int{1, 2} {
			o := (&Options{Workers: workers}).withDefaults()
			res := &Result{Open: slices.Clone(open), Assign: slices.Clone(a), Objective: start}
			c.decompose(context.Background(), &o, res, 4)
			if got := pt.objective(res.Assign); got != res.Objective {
				t.Fatalf("seed %d: objective %v, recomputed %v", seed, res.Objective, got)
			}
			checkPlan(t, "after the decomposition", c.newSwapper(res.Open, res.Assign))
			if res.Objective >= start {
				t.Fatalf("seed %d, %d workers: decomposition from %v ends at %v", seed, workers, start, res.Objective)
			}
			ends = append(ends, res)
		}
		if !slices.Equal(ends[0].Assign, ends[1].Assign) || !slices.Equal(ends[0].Open, ends[1].Open) {
			t.Fatalf("seed %d: one worker ends at %v, two at %v", seed, ends[0].Objective, ends[1].Objective)
		}
		t.Logf("seed %d: %.1f → %.1f", seed, start, ends[0].Objective)
	}
}

// TestRegionIgnoresSpeed solves subproblems of decompose as it does, and
// again slowed down by more than a second (a Progress callback that
// sleeps), and finds the same answers, bit for bit: the limits of a
// subproblem count work, not time, so that the plan does not depend on the
// machine's speed or load.
func TestRegionIgnoresSpeed(t *testing.T) {
	pt, c, open, a := spreadPlan(t, 1)
	pl := &plan{asg: a, isOpen: make([]bool, pt.m), members: make([][]int32, pt.m)}
	for _, j := range open {
		pl.isOpen[j] = true
	}
	for i, j := range a {
		pl.members[j] = append(pl.members[j], int32(i))
	}
	// The first region whose search branches (so that it reports
	// progress, where the slowed solve sleeps).
	for _, r := range open {
		rp := c.regionProblem(pl, nearestOpen(pt, pl.isOpen, r, 8))
		if rp == nil {
			continue
		}
		fast, err := capfl.Solve(context.Background(), rp.problem, rp.options)
		if err != nil || fast.Nodes < 2 {
			continue
		}
		slow := *rp.options
		slept := false
		slow.Progress = func(float64, float64) {
			if !slept {
				slept = true
				time.Sleep(1200 * time.Millisecond)
			}
		}
		got, err := capfl.Solve(context.Background(), rp.problem, &slow)
		if err != nil {
			t.Fatalf("region of site %d: %v", r, err)
		}
		if !slept {
			t.Fatalf("region of site %d: the solve reported no progress", r)
		}
		if got.Status != fast.Status || got.Objective != fast.Objective || got.Bound != fast.Bound ||
			got.Iterations != fast.Iterations || !slices.Equal(got.Open, fast.Open) {
			t.Fatalf("region of site %d: %v %v (bound %v, %d iterations), slowed %v %v (bound %v, %d iterations)", r,
				fast.Status, fast.Objective, fast.Bound, fast.Iterations, got.Status, got.Objective, got.Bound, got.Iterations)
		}
		return
	}
	t.Fatal("no region branched")
}

// TestUncapacitatedRootOnly: on scattered(5, …) the uncapacitated
// engine branches to prove its plan; as the capacitated method's start
// (rootOnly) it ends after the root of each round, with the root's bound
// (not above the proof's) and a plan no better.
func TestUncapacitatedRootOnly(t *testing.T) {
	pt := newPoints(scattered(5, 200, 80, 15))
	o := (&Options{}).withDefaults()
	full, err := solveUncapacitated(context.Background(), pt, &o, false)
	if err != nil {
		t.Fatal(err)
	}
	root, err := solveUncapacitated(context.Background(), pt, &o, true)
	if err != nil {
		t.Fatal(err)
	}
	if full.Nodes <= full.Rounds {
		t.Fatalf("the full solve did not branch (%d nodes, %d rounds): the test proves nothing", full.Nodes, full.Rounds)
	}
	if root.Nodes != root.Rounds || root.Status != gst.StatusFeasible || root.Bound > full.Bound || root.Objective < full.Objective {
		t.Errorf("root only: %d nodes in %d rounds, %v, objective %v, bound %v; full solve: objective %v, bound %v",
			root.Nodes, root.Rounds, root.Status, root.Objective, root.Bound, full.Objective, full.Bound)
	}
}
