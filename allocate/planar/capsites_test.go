package planar

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

// crowded draws a region whose uncapacitated plan crowds its sites: a
// dense, heavy town of nTown clients and light villages around it, with
// separate candidate sites (two thirds near clients, a third anywhere),
// and every site's capacity cap times the mean load of P sites.
func crowded(seed uint64, nTown, nVillage, m, p int, capFactor float64) *Problem {
	r := rand.New(rand.NewPCG(seed, 11))
	pr := &Problem{P: p}
	for i := 0; i < nTown+nVillage; i++ {
		if i < nTown {
			pr.X = append(pr.X, 500+r.NormFloat64()*20)
			pr.Y = append(pr.Y, 500+r.NormFloat64()*20)
			pr.Weight = append(pr.Weight, float64(20+r.IntN(20)))
		} else {
			pr.X = append(pr.X, r.Float64()*1000)
			pr.Y = append(pr.Y, r.Float64()*1000)
			pr.Weight = append(pr.Weight, float64(1+r.IntN(5)))
		}
	}
	for j := 0; j < m; j++ {
		if j%3 == 2 {
			pr.SiteX = append(pr.SiteX, r.Float64()*1000)
			pr.SiteY = append(pr.SiteY, r.Float64()*1000)
			continue
		}
		i := r.IntN(len(pr.X))
		pr.SiteX = append(pr.SiteX, pr.X[i]+r.NormFloat64()*5)
		pr.SiteY = append(pr.SiteY, pr.Y[i]+r.NormFloat64()*5)
	}
	total := 0.0
	for _, w := range pr.Weight {
		total += w
	}
	pr.Demand = pr.Weight
	pr.Capacity = make([]float64, m)
	for j := range pr.Capacity {
		pr.Capacity[j] = math.Round(capFactor * total / float64(p))
	}
	return pr
}

// crowdedCase is the crowded region of a seed (150 towns, 250 villages,
// 120 sites, p = 8, capacities 1.3 times the mean load) with what the
// capacitated tests start from: its points, the default options, the
// uncapacitated plan, the grid and the capacitated lists (40 a client).
type crowdedCase struct {
	pr *Problem
	pt *points
	o  Options
	u  *Result
	g  *grid
	c  *capLists
}

func crowdedLists(t *testing.T, seed uint64) crowdedCase {
	t.Helper()
	cr := crowdedCase{pr: crowded(seed, 150, 250, 120, 8, 1.3)}
	cr.pt = newPoints(cr.pr)
	cr.o = (&Options{}).withDefaults()
	u, err := solveUncapacitated(context.Background(), cr.pt, &cr.o, true)
	if err != nil {
		t.Fatal(err)
	}
	cr.u = u
	cr.g = newGrid(cr.pt.sx, cr.pt.sy)
	cr.c = newCapLists(cr.pt, cr.g, 40, 1)
	return cr
}

// overflow is Σ max(0, load − capacity) of the nearest-site loads.
func overflow(c *capLists, nl *nearLoads) float64 {
	s := 0.0
	for j, o := range nl.isOpen {
		if o {
			s += max(0, nl.load[j]-c.capty[j])
		}
	}
	return s
}

func nearestCost(nl *nearLoads) float64 {
	s := 0.0
	for _, v := range nl.nearCost {
		s += v
	}
	return s
}

// TestSpreadAndMoves checks the site heuristics of the candidate-list
// method on crowded regions: the spread sites are P distinct sites whose
// nearest-site loads overflow the capacities less than the uncapacitated
// plan's; the moves do not raise the overflow, nor the cost when the
// overflow stays; and sites whose loads fit are assigned at the
// nearest-site cost.
func TestSpreadAndMoves(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		cr := crowdedLists(t, seed)
		pr, pt, u, c, g := cr.pr, cr.pt, cr.u, cr.c, cr.g
		ov0 := overflow(c, c.newNearLoads(u.Open))
		if ov0 == 0 {
			t.Fatalf("seed %d: the uncapacitated plan already fits; the test needs a crowded region", seed)
		}
		sp := c.spreadSites(context.Background(), u.Open)
		nl := c.newNearLoads(sp)
		if len(sp) != pr.P || !slices.IsSorted(sp) || len(slices.Compact(slices.Clone(sp))) != pr.P {
			t.Fatalf("seed %d: spread sites %v, want %d distinct sorted sites", seed, sp, pr.P)
		}
		if ov := overflow(c, nl); ov >= ov0 {
			t.Errorf("seed %d: spread sites overflow by %v, the uncapacitated ones by %v", seed, ov, ov0)
		}
		vs := c.voronoiSearch(context.Background(), g, sp)
		nv := c.newNearLoads(vs)
		if len(vs) != pr.P || !slices.IsSorted(vs) || len(slices.Compact(slices.Clone(vs))) != pr.P {
			t.Fatalf("seed %d: moved sites %v", seed, vs)
		}
		ov1, ov2 := overflow(c, nl), overflow(c, nv)
		if ov2 > ov1 || ov2 == ov1 && nearestCost(nv) > nearestCost(nl)*(1+1e-12) {
			t.Errorf("seed %d: moves: overflow %v → %v, cost %v → %v", seed, ov1, ov2, nearestCost(nl), nearestCost(nv))
		}
		a := c.assign(vs)
		if a == nil {
			t.Fatalf("seed %d: no assignment", seed)
		}
		if ov2 == 0 && math.Abs(pt.objective(a)-nearestCost(nv)) > 1e-9*nearestCost(nv) {
			t.Errorf("seed %d: assignment of fitting sites costs %v, nearest-site cost %v", seed, pt.objective(a), nearestCost(nv))
		}
		t.Logf("seed %d: uncapacitated sites assigned within the capacities %.1f (overflow %.0f); spread %.1f (%.0f); moved %.1f (%.0f), assigned %.1f",
			seed, pt.objective(c.assign(u.Open)), ov0, nearestCost(nl), ov1, nearestCost(nv), ov2, pt.objective(a))
	}
}

// TestCapacitatedListsSeparateSites compares the candidate-list method
// with the dense engine on crowded regions with separate candidate sites:
// the bound must not pass the optimum, the plan must respect the
// capacities and cost no less than the optimum.
func TestCapacitatedListsSeparateSites(t *testing.T) {
	defer func(v int) { denseCapPairs = v }(denseCapPairs)
	for seed := uint64(1); seed <= 3; seed++ {
		pr := crowded(seed, 25, 35, 30, 4, 1.3)
		denseCapPairs = math.MaxInt
		exact, err := Solve(context.Background(), pr, nil)
		if err != nil {
			t.Fatal(err)
		}
		denseCapPairs = 0
		res, err := Solve(context.Background(), pr, &Options{TimeLimit: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		opt := exact.Objective
		if exact.Status != gst.StatusOptimal || res.Bound > opt*(1+1e-9) || res.Objective < opt*(1-1e-9) {
			t.Errorf("seed %d: optimum %v (%v); lists: objective %v bound %v", seed, opt, exact.Status, res.Objective, res.Bound)
		}
		load := make([]float64, len(pr.SiteX))
		for i, j := range res.Assign {
			load[j] += pr.Demand[i]
		}
		for j, l := range load {
			if l > pr.Capacity[j] || l > 0 && !slices.Contains(res.Open, j) {
				t.Errorf("seed %d: site %d carries %v (capacity %v)", seed, j, l, pr.Capacity[j])
			}
		}
		if got := newPoints(pr).objective(res.Assign); got != res.Objective || len(res.Open) != pr.P {
			t.Errorf("seed %d: recomputed %v vs %v, %d open", seed, got, res.Objective, len(res.Open))
		}
		t.Logf("seed %d: optimum %.1f; lists: objective %.1f bound %.1f gap %.3f%%", seed, opt, res.Objective, res.Bound, 100*res.Gap)
	}
}
