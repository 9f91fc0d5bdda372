package programme

import (
	"context"
	"math"
	"testing"
)

// TestRoundedNetworkKeepsRules rounds the root relaxation of random
// programmes at every threshold the searches use and checks that each
// rounded network keeps every rule of the model's network alone (the
// rows of services, modules and sites; budgets may give way to
// rounding): a service that may close and stays open keeps the modules
// it had, today's before the first period. Rounding the modules of such
// a service from the relaxation, where it is partly open, gave fewer
// modules than today's, and the evaluator rejected every rounding of the
// national root's point.
func TestRoundedNetworkKeepsRules(t *testing.T) {
	modes := []roundMode{roundNearest, 0.3, 0.7, 0.15}
	checked, kept := 0, 0
	for seed := uint64(1); seed <= 120; seed++ {
		p := randomProblem(seed, 6)
		for i := range p.Services {
			p.Services[i].MayClose = seed%4 != 0
		}
		// Several modules today at the first hospital, dear to run, so
		// that the relaxation keeps its service partly open.
		count := 2 + int(seed%4)
		for i := range p.Modules {
			if p.Modules[i].Service == "s1" {
				p.Modules[i].MaxPerSite = max(p.Modules[i].MaxPerSite, count+1)
				p.Modules[i].RunningMAD *= 1 + float64(seed%3)
			}
		}
		p.Installed = []Installed{{Establishment: "e1", Module: "s1-m1", Count: count}}
		r, cancel, err := newRun(context.Background(), p, &Options{Method: Benders, NoWhy: true})
		if err != nil {
			t.Fatal(err)
		}
		md := build(r.in, buildOpts{last: len(r.in.per) - 1})
		br, ok := r.relaxationOf(md).(*bendersRelaxation)
		if !ok {
			cancel()
			continue
		}
		s := &search{r: r, md: md, rx: br, rel: br.root(), incV: math.Inf(1), pruned: math.Inf(1)}
		root, err := br.solve(s.rel)
		if err != nil {
			cancel()
			continue
		}
		tagged := map[int]bool{}
		for _, tg := range md.tags {
			tagged[tg.row] = true
		}
		ev := s.evaluator()
		for _, mode := range modes {
			w := md.roundedNetwork(s.relaxedModules(root.X), s.relaxedOffers(root.X), mode)
			x := make([]float64, md.m.NumVars())
			if !ev.setNetwork(w, x) {
				t.Errorf("seed %d, mode %v: the rounded network breaks a column's bounds", seed, mode)
				continue
			}
			checked++
			for _, i := range ev.fixedOnly {
				if !tagged[i] && !rowHolds(md.m, i, x) {
					t.Errorf("seed %d, mode %v: the rounded network breaks row %d (activity %g)", seed, mode, i, md.m.RowActivity(i, x))
				}
			}
			kept += keptToday(md, w)
		}
		cancel()
	}
	t.Logf("%d rounded networks; %d times an offer that may close kept today's modules", checked, kept)
	if checked < 300 || kept < 60 {
		t.Fatalf("too few cases: %d networks, %d offers that may close open with today's modules", checked, kept)
	}
}

// keptToday counts the offers of w whose service may close, open today
// with modules and open in the first period.
func keptToday(md *model, w network) int {
	n := 0
	for o := range md.in.offers {
		off := &md.in.offers[o]
		if !md.in.svc[off.svc].rule.MayClose || !off.openToday || w.y[o][0] < 0.5 {
			continue
		}
		for k := range off.installed {
			if off.installed[k] > 0 {
				n++
				break
			}
		}
	}
	return n
}
