package programme

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestEvaluatorAgainstLP values random networks of small random
// programmes with the evaluator and with the compact model's relaxation
// with the network fixed (lp_solve): the two agree on which networks have
// a programme and on its value, the evaluator's point keeps every row,
// and a cutoff above the value does not reject it.
func TestEvaluatorAgainstLP(t *testing.T) {
	nets, feasible := 0, 0
	for seed := uint64(1); seed <= 12; seed++ {
		r, md, d, cancel := decomposed(t, randomProblem(seed, 5))
		if d == nil {
			cancel()
			continue
		}
		ev := newEvaluator(md, d)
		if ev == nil {
			t.Fatalf("seed %d: no evaluator", seed)
		}
		base := relax(md.m)
		for _, net := range networksOf(md, seed, 60) {
			nets++
			want, okLP := evalNetwork(t, md, base, net)
			x, got, ok, err := ev.value(r, networkFromSlots(md, net), math.Inf(1))
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			if ok != okLP {
				t.Fatalf("seed %d network %v: evaluator feasible %v, lp_solve %v", seed, net, ok, okLP)
			}
			if !ok {
				continue
			}
			feasible++
			got /= moneyScale
			if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Fatalf("seed %d network %v: evaluator %.6f, lp_solve %.6f", seed, net, got, want)
			}
			if v := violation(md.m, x); v > 1e-6 {
				t.Fatalf("seed %d: the evaluator's point breaks a row by %g", seed, v)
			}
			// A cutoff just above the value never rejects the network.
			if _, _, ok, _ := ev.value(r, networkFromSlots(md, net), want*moneyScale+1e-6); !ok {
				t.Fatalf("seed %d network %v: rejected below its cutoff", seed, net)
			}
		}
		cancel()
	}
	t.Logf("%d networks, %d with a programme", nets, feasible)
	if feasible < 100 {
		t.Fatalf("only %d networks with a programme", feasible)
	}
}

// decomposed is a run of p under Benders with its whole model and the
// model's decomposition (nil when it has no block).
func decomposed(t *testing.T, p *Problem) (*run, *model, *decomposition, context.CancelFunc) {
	t.Helper()
	r, cancel, err := newRun(context.Background(), p, &Options{Method: Benders, NoWhy: true})
	if err != nil {
		t.Fatal(err)
	}
	md := build(r.in, buildOpts{last: len(r.in.per) - 1})
	return r, md, decompose(md), cancel
}

// networksOf draws n networks of md at random: the module counts of
// every offer in every period, within their bounds, growing where
// services may not close.
func networksOf(md *model, seed uint64, n int) [][]netSlot {
	in := md.in
	rng := rand.New(rand.NewPCG(seed, 7))
	var out [][]netSlot
	for len(out) < n {
		var net []netSlot
		for o := range in.offers {
			for k := range in.offers[o].installed {
				prev := -1
				for p := 0; p < md.np; p++ {
					lo, hi := md.m.Bounds(md.n[o][k][p])
					if prev >= 0 && !in.svc[in.offers[o].svc].rule.MayClose {
						lo = math.Max(lo, float64(prev))
					}
					v := int(lo) + rng.IntN(int(hi-lo)+1)
					net = append(net, netSlot{o, k, p, v})
					prev = v
				}
			}
		}
		out = append(out, net)
	}
	return out
}

// networkFromSlots is the network of net: its modules, a service open
// where it has one, a site built from the period its first service opens.
func networkFromSlots(md *model, net []netSlot) network {
	w := md.networkOf(make([]float64, md.m.NumVars()))
	for _, s := range net {
		w.n[s.o][s.k][s.p] = float64(s.v)
	}
	for o := range w.y {
		for p := range w.y[o] {
			total := 0.0
			for k := range w.n[o] {
				total += w.n[o][k][p]
			}
			w.y[o][p] = b2f(total > 0)
		}
	}
	return md.withSites(w)
}
