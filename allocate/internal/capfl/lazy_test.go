package capfl

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomNodeState draws the state of a search node: a few sites fixed open
// or closed, a few pairs forbidden and a few customers fixed to a site
// (kept only when the node stays consistent).
func randomNodeState(rng *rand.Rand, s *solver) *state {
	in := s.in
	nd := &bbNode{}
	for k := rng.IntN(4); k > 0; k-- {
		v := int8(1)
		if rng.IntN(2) == 0 {
			v = -1
		}
		nd.fixes = append(nd.fixes, fixing{kind: fixY, v: v, i: int32(rng.IntN(in.m))})
	}
	for k := rng.IntN(6); k > 0; k-- {
		nd.fixes = append(nd.fixes, fixing{kind: fixX, v: 0, i: int32(rng.IntN(in.m)), j: int32(rng.IntN(in.n))})
	}
	for k := rng.IntN(3); k > 0; k-- {
		nd.fixes = append(nd.fixes, fixing{kind: fixX, v: 1, i: int32(rng.IntN(in.m)), j: int32(rng.IntN(in.n))})
	}
	st, ok := s.buildState(nd)
	if !ok {
		st, _ = s.buildState(&bbNode{})
	}
	return st
}

// TestLazyEval checks that the Lagrangian value with knapsacks solved only
// for the sites the y-part may select equals the value with every knapsack
// solved, and that its selection holds only solved sites, fits their
// capacities and is worth L(u), on random capacitated p-median and
// single-source instances, random node states and random multipliers.
func TestLazyEval(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 3))
	checked, skipped := 0, 0
	for trial := 0; trial < 300; trial++ {
		var p *Problem
		if trial%2 == 0 {
			p = randomPMedCap(rng, 10+rng.IntN(30), 2+rng.IntN(5), 1.02+0.3*rng.Float64())
		} else {
			p = randomProblem(rng, 3+rng.IntN(8), 5+rng.IntN(25), true)
		}
		in := newInst(p)
		if in.check() != nil {
			continue
		}
		o, _ := resolveOptions(nil, in.m)
		s := newSolver(t.Context(), in, o)
		st := randomNodeState(rng, s)
		u := s.initialMultipliers()
		for step := 0; step < 12; step++ {
			for j := range u {
				u[j] *= 0.6 + 0.8*rng.Float64()
			}
			full, okF := s.lg.eval(st, u)
			exactFull := s.lg.exact
			selFull := append([]bool(nil), s.lg.ysel...)
			lazy, okL := s.lg.evalLazy(st, u)
			if okF != okL {
				t.Fatalf("trial %d step %d: feasibility %v with every knapsack, %v lazily", trial, step, okF, okL)
			}
			if !okF {
				skipped++
				break
			}
			if !exactFull || !s.lg.exact {
				skipped++
				continue
			}
			// Both sum the y-part in the order of the sites: the
			// values agree to the bit, so the search does not depend
			// on which knapsacks were solved.
			if full != lazy {
				t.Fatalf("trial %d step %d: L(u) = %v with every knapsack, %v lazily", trial, step, full, lazy)
			}
			for i := range selFull {
				if selFull[i] != s.lg.ysel[i] {
					t.Fatalf("trial %d step %d: site %d selected %v with every knapsack, %v lazily", trial, step, i, selFull[i], s.lg.ysel[i])
				}
			}
			// the lazy selection is a Lagrangian solution of value L(u)
			v := 0.0
			for _, j := range st.free {
				v += u[j]
			}
			for i := 0; i < in.m; i++ {
				if !s.lg.ysel[i] {
					continue
				}
				if !s.lg.solved[i] {
					t.Fatalf("trial %d step %d: site %d selected without its knapsack solved", trial, step, i)
				}
				v += in.fc[i] + st.fixAdd[i]
				load := 0.0
				for k := s.lg.selOff[i]; k < s.lg.selOff[i+1]; k++ {
					j := int(s.lg.selJ[k])
					v += s.lg.selF[k] * (st.cc[i*in.n+j] - u[j])
					load += s.lg.selF[k] * in.dem[j]
				}
				if load > st.capRes[i]+1e-9 {
					t.Fatalf("trial %d step %d: site %d loaded %v beyond %v", trial, step, i, load, st.capRes[i])
				}
			}
			if math.Abs(v-lazy) > 1e-9*math.Max(1, math.Abs(lazy)) {
				t.Fatalf("trial %d step %d: the lazy selection is worth %v, L(u) = %v", trial, step, v, lazy)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d evaluations compared (%d skipped)", checked, skipped)
	}
	t.Logf("%d evaluations compared, %d skipped", checked, skipped)
}

// TestLazyEvalBelowOptimum checks on small single-source instances that
// the lazily evaluated Lagrangian value never exceeds the optimum found by
// enumerating every assignment, at random multipliers (some far above the
// costs, where the knapsacks are full and the bounds on them loosest).
func TestLazyEvalBelowOptimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 4))
	checked := 0
	for c := 0; c < 150; c++ {
		p := randomProblem(rng, 2+rng.IntN(4), 3+rng.IntN(5), true)
		opt, found := bruteSingle(p)
		if !found {
			continue
		}
		in := newInst(p)
		if in.check() != nil {
			continue
		}
		o, _ := resolveOptions(nil, in.m)
		s := newSolver(t.Context(), in, o)
		st, _ := s.buildState(&bbNode{})
		base := s.initialMultipliers()
		u := make([]float64, len(base))
		for k := 0; k < 20; k++ {
			scale := 3 * rng.Float64()
			for j := range u {
				u[j] = base[j] * scale * (0.5 + rng.Float64())
			}
			L, ok := s.lg.evalLazy(st, u)
			if !ok {
				t.Fatalf("case %d: the y-part is infeasible, yet an assignment exists", c)
			}
			if L > opt+1e-9*math.Max(1, math.Abs(opt)) {
				t.Fatalf("case %d: L(u) = %v above the optimum %v", c, L, opt)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d evaluations checked", checked)
	}
}

// TestDeflect checks the Camerini–Fratta–Maffioli direction: the
// subgradient itself without a previous direction or when the two agree,
// g + γ·|g·d|/‖d‖²·d when they point apart, and customers that are not
// free left alone.
func TestDeflect(t *testing.T) {
	free := []int32{0, 2, 3}
	g := []float64{1, 9, -2, 0.5}
	d := []float64{0, 7, 0, 0}
	if norm := deflect(free, g, d); norm != 1+4+0.25 || d[0] != 1 || d[2] != -2 || d[3] != 0.5 || d[1] != 7 {
		t.Fatalf("from no direction: d = %v, ‖d‖² = %v", d, norm)
	}
	// g·d = 1·1 + (−1)(−2) + 0 = 3 > 0: no deflection
	g = []float64{1, 9, -1, 0}
	deflect(free, g, d)
	if d[0] != 1 || d[2] != -1 || d[3] != 0 {
		t.Fatalf("directions that agree: d = %v, want g", d)
	}
	// g·d = −1 −1 = −2, ‖d‖² = 2: β = γ
	g = []float64{-1, 9, 1, 3}
	norm := deflect(free, g, d)
	want := []float64{-1 + deflection, 7, 1 - deflection, 3}
	wn := 0.0
	for _, j := range free {
		if math.Abs(d[j]-want[j]) > 1e-12 {
			t.Fatalf("directions apart: d = %v, want %v", d, want)
		}
		wn += want[j] * want[j]
	}
	if math.Abs(norm-wn) > 1e-12 {
		t.Fatalf("‖d‖² = %v, want %v", norm, wn)
	}
}
