package programme

import (
	"math"
	"testing"
)

// TestStaffParts values random networks of random programmes with the
// staffing programme split into its parts and whole: the two agree on
// which networks have a programme and on its value. Every way of the
// split is taken: networks answered by the parts (which each category
// is in these programmes); networks whose parts' optima together break a
// budget, proved to have no staffing by the least the parts can spend on
// it (see overspent), never one that the whole programme staffs. In these
// programmes every network whose parts broke a budget is proved so; the
// pilots' frontier levels are the same (see overspent).
func TestStaffParts(t *testing.T) {
	defer func() { splitStaff = true }()
	split, misses, nets, overspent := 0, 0, 0, 0
	for seed := uint64(1); seed <= 30; seed++ {
		p := randomProblem(seed, 5)
		if seed%2 == 0 {
			// A tight running budget makes the categories compete.
			p.RunningBudget = nil
			last := p.Periods[len(p.Periods)-1]
			for y := p.Periods[0].Start; y < last.Start+max(last.Years, 1); y++ {
				p.RunningBudget = append(p.RunningBudget, YearMAD{Year: y, MAD: float64(seed) * 2e4})
			}
		}
		r, md, d, cancel := decomposed(t, p)
		if d == nil {
			cancel()
			continue
		}
		splitStaff = false
		whole := newEvaluator(md, d)
		splitStaff = true
		parts := newEvaluator(md, d)
		if whole == nil || parts == nil {
			t.Fatalf("seed %d: no evaluator", seed)
		}
		if len(whole.parts) != 0 {
			t.Fatalf("seed %d: %d parts with the split off", seed, len(whole.parts))
		}
		for _, net := range networksOf(md, seed, 40) {
			w := networkFromSlots(md, net)
			_, want, okW, err := whole.value(r, w, math.Inf(1))
			if err != nil {
				t.Fatal(err)
			}
			before, overBefore := parts.partMisses, parts.overspends
			x, got, ok, err := parts.value(r, w, math.Inf(1))
			if err != nil {
				t.Fatal(err)
			}
			if ok != okW {
				t.Fatalf("seed %d network %v: feasible %v split, %v whole", seed, net, ok, okW)
			}
			if parts.partMisses > before {
				misses++
			}
			if parts.overspends > overBefore {
				overspent++
				if okW {
					t.Fatalf("seed %d network %v: proved overspent, staffed whole", seed, net)
				}
			}
			if !ok {
				continue
			}
			nets++
			if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Fatalf("seed %d network %v: %.6f split, %.6f whole", seed, net, got, want)
			}
			if v := violation(md.m, x); v > 1e-6 {
				t.Fatalf("seed %d: the point breaks a row by %g", seed, v)
			}
			if len(parts.parts) > 0 && parts.partMisses == before {
				split++
			}
		}
		whole.close()
		parts.close()
		cancel()
	}
	t.Logf("%d networks with a programme, %d answered by the parts; %d networks whose parts broke a budget, %d of them proved overspent", nets, split, misses, overspent)
	if split < nets/4 || overspent == 0 {
		t.Fatalf("the split answered %d of %d networks and proved %d overspent: both must be taken", split, nets, overspent)
	}
}
