package planar

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkPlan fails when a plan puts a client at a closed site, loads a
// site beyond its capacity, or disagrees with the swapper's loads,
// members and costs.
func checkPlan(t *testing.T, what string, sw *swapper) {
	t.Helper()
	c, st, pt := sw.c, sw.st, sw.c.pt
	load := make([]float64, pt.m)
	count := make([]int, pt.m)
	for i, j := range st.asg {
		if !st.isOpen[j] {
			t.Fatalf("%s: client %d at closed site %d", what, i, j)
		}
		load[j] += c.demand[i]
		count[j]++
		if want := pt.weight[i] * pt.dist(i, int(j)); st.cur[i] != want {
			t.Fatalf("%s: client %d costs %v, recorded %v", what, i, want, st.cur[i])
		}
	}
	for j := range load {
		if load[j] > c.capty[j] || math.Abs(load[j]-st.load[j]) > 1e-9*(1+load[j]) || count[j] != len(st.members[j]) {
			t.Fatalf("%s: site %d carries %v of %v (recorded %v), %d clients (recorded %d)", what, j, load[j], c.capty[j], st.load[j], count[j], len(st.members[j]))
		}
	}
	if n := len(slices.Compact(sortedCopy(st.open))); n != pt.p.P {
		t.Fatalf("%s: %d distinct open sites, want %d", what, n, pt.p.P)
	}
}

// TestSwapMovesExact checks the exchanges of the swap search on crowded
// regions: from the spread sites' assignment within the capacities, random
// exchanges built by eval keep every load within its capacity and change
// the objective by exactly the change they announce; the swap search ends
// with a plan within the capacities that costs no more than its start.
func TestSwapMovesExact(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		cr := crowdedLists(t, seed)
		pt, u, c, g, o := cr.pt, cr.u, cr.c, cr.g, cr.o
		open := c.spreadSites(context.Background(), u.Open)
		a := c.assign(open)
		if a == nil {
			t.Fatalf("seed %d: no assignment", seed)
		}
		sw := c.newSwapper(open, a)
		checkPlan(t, "start", sw)
		r := rand.New(rand.NewPCG(seed, 9))
		var mv swapMove
		made := 0
		for trial := 0; trial < 300; trial++ {
			out := sw.st.open[r.IntN(len(sw.st.open))]
			in := r.IntN(pt.m)
			if sw.st.isOpen[in] || !sw.eval(out, in, &mv) {
				continue
			}
			before := pt.objective(swapAssign(sw))
			sw.apply(&mv)
			made++
			after := pt.objective(swapAssign(sw))
			if math.Abs(after-before-mv.delta) > 1e-9*before {
				t.Fatalf("seed %d: exchange %d → %d announced %v, changed the cost by %v", seed, out, in, mv.delta, after-before)
			}
			checkPlan(t, "after an exchange", sw)
		}
		if made < 50 {
			t.Fatalf("seed %d: only %d exchanges could be built", seed, made)
		}
		res := &Result{Open: open, Assign: a, Objective: pt.objective(a)}
		start := res.Objective
		c.swapSearch(context.Background(), g, &o, res, swapNearest)
		if res.Objective > start || pt.objective(res.Assign) != res.Objective {
			t.Fatalf("seed %d: swap search from %v ends at %v (recomputed %v)", seed, start, res.Objective, pt.objective(res.Assign))
		}
		fin := c.newSwapper(res.Open, res.Assign)
		checkPlan(t, "after the swap search", fin)
		t.Logf("seed %d: %d random exchanges checked; swap search %.1f → %.1f", seed, made, start, res.Objective)
	}
}

// TestShortListsBoundValid runs the continuous and 0-1 relaxations with
// the deflected subgradient on lists of three sites (most pairs left out,
// so the multipliers' caps matter) on crowded regions solved exactly by
// the dense engine, aiming at ten times the optimum: the multipliers stay
// within [0, their caps], where the short lists' Lagrangian value is that
// of complete lists, and the bound does not pass the optimum.
func TestShortListsBoundValid(t *testing.T) {
	defer func(v int) { denseCapPairs = v }(denseCapPairs)
	denseCapPairs = math.MaxInt
	for seed := uint64(1); seed <= 3; seed++ {
		pr := crowded(seed, 25, 35, 30, 4, 1.3)
		exact, err := Solve(context.Background(), pr, nil)
		if err != nil {
			t.Fatal(err)
		}
		pt := newPoints(pr)
		o := (&Options{Workers: 2}).withDefaults()
		g := newGrid(pt.sx, pt.sy)
		c, full := newCapLists(pt, g, 3, 2), newCapLists(pt, g, pt.m, 2)
		items := make([][]item, pt.m)
		for _, binary := range []bool{false, true} {
			out := &Result{Objective: 10 * exact.Objective, Bound: math.Inf(-1)}
			lam := c.initialMultipliers()
			c.subgradient(context.Background(), &o, out, lam, 2, binary, func([]int, [][]item) {})
			for i, v := range lam {
				if v < 0 || v > c.capL[i] {
					t.Fatalf("seed %d: multiplier %d = %v outside [0, %v]", seed, i, v, c.capL[i])
				}
			}
			short, _ := c.relax(lam, pr.P, items, 2, binary)
			whole, _ := full.relax(lam, pr.P, items, 2, binary)
			if math.Abs(short-whole) > 1e-9*math.Abs(whole) {
				t.Errorf("seed %d (0-1 knapsacks %v): short lists give %v, complete lists %v", seed, binary, short, whole)
			}
			if out.Bound > exact.Objective*(1+1e-9) || math.IsNaN(out.Bound) {
				t.Errorf("seed %d (0-1 knapsacks %v): bound %v above the optimum %v", seed, binary, out.Bound, exact.Objective)
			}
			t.Logf("seed %d (0-1 knapsacks %v): bound %.1f, optimum %.1f", seed, binary, out.Bound, exact.Objective)
		}
	}
}
