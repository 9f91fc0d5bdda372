package programme

import (
	"math"
	"testing"
)

// TestStaffParts values random networks of random programmes with the
// staffing programme split into its parts and whole: the two agree on
// which networks have a programme and on its value. Both ways of the
// split are taken: networks answered by the parts (which each category
// is in these programmes), and networks whose parts' optima together
// break a budget, solved whole.
func TestStaffParts(t *testing.T) {
	defer func() { splitStaff = true }()
	split, misses, nets := 0, 0, 0
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
			before := parts.partMisses
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
	t.Logf("%d networks with a programme, %d answered by the parts; %d networks solved whole after the parts broke a budget", nets, split, misses)
	if split < nets/4 || misses == 0 {
		t.Fatalf("the split answered %d of %d networks and missed %d: both ways must be taken", split, nets, misses)
	}
}
