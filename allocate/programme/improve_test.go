package programme

import (
	"context"
	"math"
	"testing"
)

// TestImproveUndoesModule gives the local search a programme with one
// module too many at a site that has room for it and checks that it
// takes the module back: the programme it ends with is never dearer than
// the one relax-and-fix found, and strictly cheaper than the one given.
func TestImproveUndoesModule(t *testing.T) {
	tried := 0
	for seed := uint64(1); seed <= 30; seed++ {
		p := randomProblem(seed, 4)
		r, cancel, err := newRun(context.Background(), p, &Options{Method: Benders, NoWhy: true})
		if err != nil {
			t.Fatal(err)
		}
		md := build(r.in, buildOpts{last: len(r.in.per) - 1})
		rx := r.relaxationOf(md)
		s := &search{r: r, md: md, rx: rx, rel: rx.root(), incV: math.Inf(1), pruned: math.Inf(1)}
		s.prio = mapPriorities(md.branchPriorities(), rx, s.rel.NumVars())
		root, err := rx.solve(s.rel)
		if err != nil {
			cancel()
			continue
		}
		fixed, err := r.solveFixFrom(md, rx, cloneModel(s.rel), root.X, roundNearest)
		if err != nil {
			cancel()
			continue
		}
		good, err := rx.complete(fixed)
		if err != nil {
			t.Fatal(err)
		}
		goodV := md.m.ObjValue(good)
		worse, worseV, ok := s.withOneMore(md.networkOf(good))
		if !ok || worseV <= goodV*(1+1e-9) {
			cancel()
			continue
		}
		tried++
		s.inc, s.incV = worse, worseV
		s.improve(root.X)
		if s.incV >= worseV || s.incV > goodV*(1+1e-9) {
			t.Errorf("seed %d: improve ends at %.2f from %.2f; relax-and-fix found %.2f", seed, s.incV, worseV, goodV)
		}
		cancel()
	}
	t.Logf("%d programmes given a module more", tried)
	if tried < 5 {
		t.Fatalf("only %d programmes had room for a module more", tried)
	}
}

// withOneMore returns w's programme with one module more of the first
// type at the first offer that has room for it in every period.
func (s *search) withOneMore(w network) ([]float64, float64, bool) {
	for o := range w.n {
		if s.md.in.svc[s.md.in.offers[o].svc].rule.MayClose {
			continue
		}
		for k := range w.n[o] {
			v := w.clone()
			for p := range v.n[o][k] {
				v.n[o][k][p]++
				v.y[o][p] = 1
			}
			fix, ok := s.fixAll(s.md.withSites(v))
			if !ok {
				continue
			}
			sol, err := s.solveNode(&bnbNode{fix: fix})
			if err != nil || s.branchColumn(sol.X) >= 0 {
				continue
			}
			x, err := s.rx.complete(sol.X)
			if err != nil {
				continue
			}
			return x, s.md.m.ObjValue(x), true
		}
	}
	return nil, 0, false
}
