package netflow

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/gstplan/gst/internal/lp"
)

// randomNet builds a random feasible network: node 0 is a sink that
// every node can reach through a costly arc, so that every supply finds a way.
func randomNet(rng *rand.Rand, n, m int, integral bool) *Network {
	g := New(n, m)
	val := func(lo, hi float64) float64 {
		v := lo + rng.Float64()*(hi-lo)
		if integral {
			v = math.Round(v)
		}
		return v
	}
	total := 0.0
	for v := 1; v < n; v++ {
		b := val(-5, 8)
		g.supply[v] = b
		total += b
	}
	g.supply[0] = -total
	for v := 1; v < n; v++ {
		g.AddArc(v, 0, math.Inf(1), 50, val(0, 3))
		g.AddArc(0, v, math.Inf(1), 60, val(0, 3))
	}
	for k := 0; k < m; k++ {
		u, v := rng.Intn(n), rng.Intn(n)
		if u == v {
			continue
		}
		c := math.Inf(1)
		if rng.Intn(3) > 0 {
			c = val(0, 6)
		}
		p := float64(rng.Intn(5))
		if rng.Intn(4) == 0 && !math.IsInf(c, 1) {
			p = -p
		}
		g.AddArc(u, v, c, p, val(0, 9))
	}
	return g
}

// lexLP solves the same network lexicographically with lp_solve: the
// primary cost first, then the secondary with the primary fixed.
func lexLP(t *testing.T, g *Network) (float64, float64) {
	t.Helper()
	m := lp.NewModel("net")
	cols := make([]int, g.Arcs())
	for e := range cols {
		cols[e] = m.AddVar("", 0, g.cap[e], g.cp[e], lp.Continuous)
	}
	rows := make([][]int, g.n)
	coefs := make([][]float64, g.n)
	for e := range cols {
		rows[g.src[e]] = append(rows[g.src[e]], cols[e])
		coefs[g.src[e]] = append(coefs[g.src[e]], 1)
		rows[g.dst[e]] = append(rows[g.dst[e]], cols[e])
		coefs[g.dst[e]] = append(coefs[g.dst[e]], -1)
	}
	for v := 0; v < g.n; v++ {
		m.AddRow("", rows[v], coefs[v], lp.EQ, g.supply[v])
	}
	sol, err := lp.Solve(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := sol.Objective
	m.AddRow("fix", cols, g.cp, lp.LE, p+1e-9)
	for e := range cols {
		m.SetObj(cols[e], g.cs[e])
	}
	sol, err = lp.Solve(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p, sol.Objective
}

func checkFlow(t *testing.T, g *Network) {
	t.Helper()
	bal := make([]float64, g.n)
	for e, f := range g.flow {
		if f < -1e-9 || f > g.cap[e]+1e-9 {
			t.Fatalf("arc %d: flow %g outside [0, %g]", e, f, g.cap[e])
		}
		bal[g.src[e]] += f
		bal[g.dst[e]] -= f
	}
	for v := range bal {
		if math.Abs(bal[v]-g.supply[v]) > 1e-7 {
			t.Fatalf("node %d: balance %g, supply %g", v, bal[v], g.supply[v])
		}
	}
}

func TestAgainstLP(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for trial := 0; trial < 60; trial++ {
		n := 3 + rng.Intn(12)
		g := randomNet(rng, n, rng.Intn(4*n), trial%2 == 0)
		if err := g.Solve(context.Background()); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		checkFlow(t, g)
		p, s := g.Objective()
		wp, ws := lexLP(t, g)
		if math.Abs(p-wp) > 1e-6*math.Max(1, math.Abs(wp)) || math.Abs(s-ws) > 1e-5*math.Max(1, math.Abs(ws)) {
			t.Fatalf("trial %d: network simplex (%g, %g), lp_solve (%g, %g)", trial, p, s, wp, ws)
		}
		if trial%2 == 0 {
			for e, f := range g.flow {
				if f != math.Round(f) {
					t.Fatalf("trial %d: integral data, fractional flow %g on arc %d", trial, f, e)
				}
			}
		}
	}
}

// The residual distances are the right derivatives of the optimal cost:
// shipping a little more from x to the sink costs d(x) per unit.
func TestResidualDistances(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for trial := 0; trial < 30; trial++ {
		n := 3 + rng.Intn(8)
		g := randomNet(rng, n, rng.Intn(3*n), false)
		if err := g.Solve(context.Background()); err != nil {
			t.Fatal(err)
		}
		p0, s0 := g.Objective()
		dp, ds := g.ResidualDistances(0, true, nil)
		const eps = 1e-4
		for x := 1; x < n; x++ {
			h := New(n, g.Arcs())
			copy(h.supply, g.supply)
			h.supply[x] += eps
			h.supply[0] -= eps
			for e := 0; e < g.Arcs(); e++ {
				h.AddArc(int(g.src[e]), int(g.dst[e]), g.cap[e], g.cp[e], g.cs[e])
			}
			if err := h.Solve(context.Background()); err != nil {
				t.Fatal(err)
			}
			p1, s1 := h.Objective()
			gp := (p1 - p0) / eps
			if math.Abs(gp-dp[x]) > 1e-4*math.Max(1, math.Abs(dp[x])) {
				t.Fatalf("trial %d node %d: primary derivative %g, distance %g", trial, x, gp, dp[x])
			}
			gs := (s1 - s0) / eps
			if math.Abs(gs-ds[x]) > 1e-3*math.Max(1, math.Abs(ds[x])) {
				t.Fatalf("trial %d node %d: secondary derivative %g, distance %g", trial, x, gs, ds[x])
			}
		}
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	// Supply with no way to the demand.
	g := New(2, 1)
	g.SetSupply(0, 1)
	g.SetSupply(1, -1)
	g.AddArc(1, 0, math.Inf(1), 1, 0)
	if err := g.Solve(ctx); err != ErrInfeasible {
		t.Errorf("infeasible: %v", err)
	}
	// A cycle of negative cost and no capacity.
	g = New(2, 2)
	g.AddArc(0, 1, math.Inf(1), -1, 0)
	g.AddArc(1, 0, math.Inf(1), 0, 0)
	if err := g.Solve(ctx); err != ErrUnbounded {
		t.Errorf("unbounded: %v", err)
	}
	g = New(2, 1)
	g.AddArc(0, 1, math.NaN(), 1, 0)
	if err := g.Solve(ctx); err != errInvalidArc {
		t.Errorf("NaN capacity: %v", err)
	}
	g = New(2, 1)
	g.AddArc(0, 1, 1, 1, 0)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := g.Solve(cctx); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
}

// A valid starting tree gives the same optimum as the artificial one, and
// an invalid one is ignored.
func TestStartTree(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for trial := 0; trial < 40; trial++ {
		n := 3 + rng.Intn(10)
		g := randomNet(rng, n, rng.Intn(3*n), trial%2 == 0)
		if err := g.Solve(context.Background()); err != nil {
			t.Fatal(err)
		}
		p0, s0 := g.Objective()
		// Every node hangs from the sink 0 by its arc v → 0 (arc 2(v−1)),
		// which carries its supply when that supply is not negative.
		up := make([]int32, n)
		up[0] = -1
		for v := 1; v < n; v++ {
			up[v] = -1
			if g.supply[v] > 0 {
				up[v] = int32(2 * (v - 1))
			}
		}
		for _, start := range [][]int32{up, {1, 2}} {
			h := New(n, g.Arcs())
			copy(h.supply, g.supply)
			for e := 0; e < g.Arcs(); e++ {
				h.AddArc(int(g.src[e]), int(g.dst[e]), g.cap[e], g.cp[e], g.cs[e])
			}
			h.SetStart(0, start)
			if err := h.Solve(context.Background()); err != nil {
				t.Fatal(err)
			}
			checkFlow(t, h)
			if p, s := h.Objective(); math.Abs(p-p0) > 1e-6*math.Max(1, math.Abs(p0)) || math.Abs(s-s0) > 1e-6*math.Max(1, math.Abs(s0)) {
				t.Fatalf("trial %d: started (%g, %g), artificial (%g, %g)", trial, p, s, p0, s0)
			}
		}
	}
}

// Resolve after changed costs, from the kept tree, finds the optimum a
// fresh solve finds, again and again.
func TestResolve(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for trial := 0; trial < 60; trial++ {
		g := solvedKept(t, rng, trial%2 == 0)
		for round := 0; round < 4; round++ {
			for e := 0; e < g.Arcs(); e++ {
				if rng.Intn(3) == 0 {
					p, _ := g.Cost(e)
					if round == 3 {
						p += float64(rng.Intn(3)) // primary changes too
					}
					g.SetCost(e, p, float64(rng.Intn(12)))
				}
			}
			if err := g.Resolve(context.Background()); err != nil {
				t.Fatal(err)
			}
			checkAgainstFresh(t, g, fmt.Sprintf("trial %d round %d: resolved", trial, round))
		}
	}
}

// solvedKept returns a random network of 3 to 14 nodes, solved, its tree
// kept.
func solvedKept(t *testing.T, rng *rand.Rand, integral bool) *Network {
	t.Helper()
	n := 3 + rng.Intn(12)
	g := randomNet(rng, n, rng.Intn(4*n), integral)
	g.KeepBasis()
	if err := g.Solve(context.Background()); err != nil {
		t.Fatal(err)
	}
	return g
}

// checkAgainstFresh checks a re-solved network's flow, and its objective
// against a fresh solve of the same network.
func checkAgainstFresh(t *testing.T, g *Network, what string) {
	t.Helper()
	checkFlow(t, g)
	h := New(g.n, g.Arcs())
	copy(h.supply, g.supply)
	for e := 0; e < g.Arcs(); e++ {
		h.AddArc(int(g.src[e]), int(g.dst[e]), g.cap[e], g.cp[e], g.cs[e])
	}
	if err := h.Solve(context.Background()); err != nil {
		t.Fatal(err)
	}
	p0, s0 := h.Objective()
	if p, s := g.Objective(); math.Abs(p-p0) > 1e-6*math.Max(1, math.Abs(p0)) || math.Abs(s-s0) > 1e-6*math.Max(1, math.Abs(s0)) {
		t.Fatalf("%s (%g, %g), fresh (%g, %g)", what, p, s, p0, s0)
	}
}

// A search over cost changes that starts each re-solve from a saved tree:
// every re-solve is an optimum (the same objective as a fresh solve), a
// tree reloaded under the costs it was saved with needs no pivot, and a
// network with nothing to reuse refuses the tree.
func TestLoadBasis(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	if New(2, 0).LoadBasis(&Basis{}) {
		t.Fatal("a network never solved took a tree")
	}
	for trial := 0; trial < 60; trial++ {
		g := solvedKept(t, rng, trial%2 == 0)
		type saved struct {
			b      *Basis
			cp, cs []float64
		}
		trees := []saved{{g.SaveBasis(), slices.Clone(g.cp), slices.Clone(g.cs)}}
		for round := 0; round < 8; round++ {
			from := trees[rng.Intn(len(trees))]
			if !g.LoadBasis(from.b) {
				t.Fatalf("trial %d round %d: tree refused", trial, round)
			}
			if round%3 == 2 {
				// Under its own costs, the tree is optimal already.
				copy(g.cp, from.cp)
				copy(g.cs, from.cs)
				if err := g.Resolve(context.Background()); err != nil {
					t.Fatal(err)
				}
				if g.Pivots() != 0 {
					t.Fatalf("trial %d round %d: %d pivots from an optimal tree", trial, round, g.Pivots())
				}
				continue
			}
			for e := 0; e < g.Arcs(); e++ {
				if rng.Intn(3) == 0 {
					g.SetCost(e, float64(rng.Intn(3)), float64(rng.Intn(12)))
				}
			}
			if err := g.Resolve(context.Background()); err != nil {
				t.Fatal(err)
			}
			checkAgainstFresh(t, g, fmt.Sprintf("trial %d round %d: from a saved tree", trial, round))
			trees = append(trees, saved{g.SaveBasis(), slices.Clone(g.cp), slices.Clone(g.cs)})
		}
	}
}

func ExampleNetwork() {
	g := New(3, 3)
	g.SetSupply(0, 5)
	g.SetSupply(2, -5)
	cheap := g.AddArc(0, 1, math.Inf(1), 1, 0)
	g.AddArc(1, 2, 3, 1, 0)
	direct := g.AddArc(0, 2, math.Inf(1), 3, 1)
	if err := g.Solve(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	p, s := g.Objective()
	fmt.Printf("via 1: %g, direct: %g, cost (%g, %g)\n", g.Flow(cheap), g.Flow(direct), p, s)
	// Output:
	// via 1: 3, direct: 2, cost (12, 2)
}

// TestDualsAreSubgradients checks the potentials against the definition of
// a dual: raising a saturated arc's capacity by δ lowers the cost by
// −min(0, reduced cost)·δ, as long as the basis stays the same.
func TestDualsAreSubgradients(t *testing.T) {
	build := func(c float64) *Network {
		g := New(4, 5)
		g.SetSupply(0, 10)
		g.SetSupply(3, -10)
		g.AddArc(0, 1, c, 1, 0)   // cheap route, capacity c
		g.AddArc(1, 3, 100, 1, 0) // then to the sink
		g.AddArc(0, 2, 100, 5, 0) // dear route
		g.AddArc(2, 3, 100, 1, 0)
		return g
	}
	g := build(4)
	if err := g.Solve(context.Background()); err != nil {
		t.Fatal(err)
	}
	p0, _ := g.Objective()
	if g.Flow(0) != 4 {
		t.Fatalf("cheap arc carries %v, want 4", g.Flow(0))
	}
	rc0, _ := g.Reduced(0)
	slope := math.Min(0, rc0)
	h := build(5)
	if err := h.Solve(context.Background()); err != nil {
		t.Fatal(err)
	}
	p1, _ := h.Objective()
	if got := p1 - p0; math.Abs(got-slope) > 1e-9 {
		t.Errorf("one more unit of capacity changes the cost by %v; the reduced cost says %v", got, slope)
	}
	for a := 0; a < g.Arcs(); a++ {
		rc, _ := g.Reduced(a)
		switch {
		case g.Flow(a) > 0 && g.Flow(a) < 100 && a != 0 && math.Abs(rc) > 1e-9:
			t.Errorf("arc %d strictly between its bounds has reduced cost %v", a, rc)
		case g.Flow(a) == 0 && rc < -1e-9:
			t.Errorf("arc %d at zero has negative reduced cost %v", a, rc)
		}
	}
}
