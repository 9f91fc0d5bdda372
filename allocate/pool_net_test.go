package allocate

import (
	"context"
	"math"
	"math/rand"
	"testing"

	"github.com/gstplan/gst/internal/lp"
)

// poolRandomNet builds a random feasible network: node 0 is a sink that
// every node can reach through a costly arc, so that every supply finds a way.
func poolRandomNet(rng *rand.Rand, n, m int, integral bool) *poolNet {
	g := poolNewNet(n, m)
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
		g.addArc(v, 0, math.Inf(1), 50, val(0, 3))
		g.addArc(0, v, math.Inf(1), 60, val(0, 3))
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
		g.addArc(u, v, c, p, val(0, 9))
	}
	return g
}

// poolNetLP solves the same network lexicographically with lp_solve: the
// primary cost first, then the secondary with the primary fixed.
func poolNetLP(t *testing.T, g *poolNet) (float64, float64) {
	t.Helper()
	m := lp.NewModel("net")
	cols := make([]int, g.arcs())
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

func poolCheckFlow(t *testing.T, g *poolNet) {
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

func TestPoolNetAgainstLP(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for trial := 0; trial < 60; trial++ {
		n := 3 + rng.Intn(12)
		g := poolRandomNet(rng, n, rng.Intn(4*n), trial%2 == 0)
		if err := g.solve(context.Background()); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		poolCheckFlow(t, g)
		p, s := g.objective()
		wp, ws := poolNetLP(t, g)
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
func TestPoolNetResidualDistances(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for trial := 0; trial < 30; trial++ {
		n := 3 + rng.Intn(8)
		g := poolRandomNet(rng, n, rng.Intn(3*n), false)
		if err := g.solve(context.Background()); err != nil {
			t.Fatal(err)
		}
		p0, s0 := g.objective()
		dp, ds := g.residualDistances(0, true, nil)
		const eps = 1e-4
		for x := 1; x < n; x++ {
			h := poolNewNet(n, g.arcs())
			copy(h.supply, g.supply)
			h.supply[x] += eps
			h.supply[0] -= eps
			for e := 0; e < g.arcs(); e++ {
				h.addArc(int(g.src[e]), int(g.dst[e]), g.cap[e], g.cp[e], g.cs[e])
			}
			if err := h.solve(context.Background()); err != nil {
				t.Fatal(err)
			}
			p1, s1 := h.objective()
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
