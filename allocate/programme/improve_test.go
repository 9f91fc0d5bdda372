package programme

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/gstplan/gst/internal/lp"
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

// TestShiftVariants checks the local search's shifts on relax-and-fix's
// programmes of random problems: each moves exactly one module by one
// period (one module count changes by one, nothing else), keeps every
// rule of the network alone (the rows of services, modules and sites),
// and the shifts a period earlier and later both occur.
func TestShiftVariants(t *testing.T) {
	earlier, later := 0, 0
	for seed := uint64(1); seed <= 60; seed++ {
		s, _, fixed, cancel := fixedSearch(t, roomyProblem(seed))
		if s == nil {
			continue
		}
		md := s.md
		w := md.networkOf(fixed)
		tagged := map[int]bool{}
		for _, tg := range md.tags {
			tagged[tg.row] = true
		}
		ev := s.evaluator()
		for _, vf := range md.shiftVariants(w) {
			v := vf()
			d, where := networkDiff(w, v)
			if len(where) != 1 || math.Abs(d) != 1 {
				t.Fatalf("seed %d: a shift changes %v by %v", seed, where, d)
			}
			if d > 0 {
				earlier++
			} else {
				later++
			}
			x := make([]float64, md.m.NumVars())
			if !ev.setNetwork(v, x) {
				t.Fatalf("seed %d: a shift breaks a column's bounds", seed)
			}
			for _, i := range ev.fixedOnly {
				if !tagged[i] && !rowHolds(md.m, i, x) {
					t.Fatalf("seed %d: a shift breaks row %d", seed, i)
				}
			}
		}
		cancel()
	}
	t.Logf("%d shifts a period earlier, %d later", earlier, later)
	if earlier < 8 || later < 30 {
		t.Fatalf("too few shifts: %d earlier, %d later", earlier, later)
	}
}

// TestImproveShiftsModule runs the local search from relax-and-fix's
// programme of random problems and checks that it ends where no shift of
// a module by a period makes the programme cheaper (its moves include
// them); relax-and-fix's programmes themselves often have such a shift.
func TestImproveShiftsModule(t *testing.T) {
	tried, before := 0, 0
	for seed := uint64(1); seed <= 80; seed++ {
		s, root, good, cancel := fixedProgramme(t, roomyProblem(seed))
		if s == nil {
			continue
		}
		md := s.md
		goodV := md.m.ObjValue(good)
		if _, ok := s.betterShift(good, goodV); ok {
			before++
		}
		s.inc, s.incV = good, goodV
		s.improve(root.X)
		tried++
		if v, ok := s.betterShift(s.inc, s.incV); ok {
			t.Errorf("seed %d: the local search ends at %.4f where a shift gives %.4f", seed, s.incV, v)
		}
		cancel()
	}
	t.Logf("%d programmes; %d of relax-and-fix's had a shift that made them cheaper", tried, before)
	if tried < 30 || before < 5 {
		t.Fatalf("too few cases: %d programmes, %d with a better shift", tried, before)
	}
}

// betterShift returns the value of the first shift of x's network that
// is cheaper than v.
func (s *search) betterShift(x []float64, v float64) (float64, bool) {
	for _, vf := range s.md.shiftVariants(s.md.networkOf(x)) {
		_, sv, ok, err := s.evaluator().value(s.r, vf(), v*(1-1e-9))
		if err == nil && ok && sv < v*(1-1e-9) {
			return sv, true
		}
	}
	return 0, false
}

// roomyProblem is a random problem whose sites have room for three
// modules of each type, so that programmes add modules over the periods.
// fixedProgramme returns the search of p with its root, as fixedSearch
// does, and relax-and-fix's programme as a point of the compact model.
func fixedProgramme(t *testing.T, p *Problem) (*search, *lp.Solution, []float64, context.CancelFunc) {
	t.Helper()
	s, root, fixed, cancel := fixedSearch(t, p)
	if s == nil {
		return nil, nil, nil, nil
	}
	x, err := s.rx.complete(fixed)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	return s, root, x, cancel
}

func roomyProblem(seed uint64) *Problem {
	p := randomProblem(seed, 6)
	for i := range p.Modules {
		p.Modules[i].MaxPerSite = 3
	}
	return p
}

// rootSearch sets up the main search of p under the decomposition and
// solves its root, without the lazy rows as the search first does (see
// rootStart); nil when p does not decompose or its root fails.
func rootSearch(t *testing.T, p *Problem) (*search, *lp.Solution, context.CancelFunc) {
	t.Helper()
	r, cancel, err := newRun(context.Background(), p, &Options{Method: Benders, NoWhy: true})
	if err != nil {
		t.Fatal(err)
	}
	r.main = true
	md := build(r.in, buildOpts{last: len(r.in.per) - 1})
	br, ok := r.relaxationOf(md).(*bendersRelaxation)
	if !ok {
		cancel()
		return nil, nil, nil
	}
	s := &search{r: r, md: md, rx: br, rel: br.root(), incV: math.Inf(1), pruned: math.Inf(1)}
	s.prio = mapPriorities(md.branchPriorities(), br, s.rel.NumVars())
	br.setLazyOff(true) // as the search's root is rounded (rootStart)
	root, err := br.solve(s.rel)
	if err != nil {
		cancel()
		return nil, nil, nil
	}
	return s, root, cancel
}

// fixedSearch is rootSearch followed by relax-and-fix from the root (at
// one half): the search, its root and relax-and-fix's point; nil when
// either fails.
func fixedSearch(t *testing.T, p *Problem) (*search, *lp.Solution, []float64, context.CancelFunc) {
	t.Helper()
	s, root, cancel := rootSearch(t, p)
	if s == nil {
		return nil, nil, nil, nil
	}
	fixed, err := s.r.solveFixFrom(s.md, s.rx, cloneModel(s.rel), root.X, roundNearest)
	if err != nil {
		cancel()
		return nil, nil, nil, nil
	}
	return s, root, fixed, cancel
}

// networkDiff returns the module counts in which v differs from w (as
// offer, type, period) and the sum of the differences; it fails the
// comparison (a nil list) when a site or service decision differs.
func networkDiff(w, v network) (float64, [][3]int) {
	var where [][3]int
	d := 0.0
	for o := range w.n {
		for p := range w.y[o] {
			if w.y[o][p] != v.y[o][p] {
				return 0, nil
			}
		}
		for k := range w.n[o] {
			for p := range w.n[o][k] {
				if e := v.n[o][k][p] - w.n[o][k][p]; e != 0 {
					where = append(where, [3]int{o, k, p})
					d += e
				}
			}
		}
	}
	for s := range w.z {
		for p := range w.z[s] {
			if w.z[s][p] != v.z[s][p] {
				return 0, nil
			}
		}
	}
	return d, where
}

// TestRoundRootFirst takes relax-and-fix away (as a deadline during its
// passes does) and checks that the root's rounding still leaves the search
// a programme, never below lp_solve's optimum of the whole programme.
func TestRoundRootFirst(t *testing.T) {
	saved := fixModes
	defer func() { fixModes = saved }()
	fixModes = nil
	n := 30
	if testing.Short() {
		n = 10
	}
	held := 0
	for seed := uint64(900); seed < uint64(900+n); seed++ {
		p := randomProblem(seed, 6)
		s, root, cancel := rootSearch(t, p)
		if s == nil {
			continue
		}
		if s.branchColumn(root.X) < 0 {
			cancel()
			continue // an integral root is a programme as it is
		}
		if err := s.roundRoot(root, fixModes); err != nil {
			cancel()
			t.Fatalf("seed %d: %v", seed, err)
		}
		cancel()
		if s.inc == nil {
			continue
		}
		held++
		ref, err := Solve(context.Background(), p, &Options{Method: MIP, NoWhy: true})
		if err != nil {
			t.Fatalf("seed %d: the search holds a programme, lp_solve: %v", seed, err)
		}
		if v := s.incV / moneyScale; v < ref.Value-1e-6*max(1, math.Abs(ref.Value)) {
			t.Fatalf("seed %d: programme %.6f below lp_solve's optimum %.6f", seed, v, ref.Value)
		}
	}
	if held == 0 {
		t.Fatal("no fractional root's rounding gave a programme")
	}
	t.Logf("%d of %d searches from a fractional root held a programme without relax-and-fix", held, n)
}

// TestDescendFromServices checks that the local search from one
// service's decisions rounded from the relaxation never leaves the
// incumbent dearer nor breaks a rule, that it lowers some of the
// programmes at which the local search ended, and that withService
// changes the decisions of that service's offers only.
func TestDescendFromServices(t *testing.T) {
	tried, lowered := 0, 0
	for seed := uint64(1); seed <= 240; seed++ {
		s, root, good, cancel := fixedProgramme(t, roomyProblem(seed))
		if s == nil {
			continue
		}
		md := s.md
		s.inc, s.incV = good, md.m.ObjValue(good)
		s.improve(root.X)
		checkWithService(t, s, root.X)
		ended := s.incV
		s.descendFromServices(root.X, math.Inf(-1))
		cancel()
		tried++
		if s.incV > ended {
			t.Errorf("seed %d: the incumbent rose from %.6f to %.6f", seed, ended, s.incV)
		}
		if v := violation(md.m, s.inc); v > 1e-6 {
			t.Errorf("seed %d: the programme breaks a row by %.3g", seed, v)
		}
		if s.incV < ended*(1-1e-9) {
			lowered++
		}
	}
	t.Logf("%d programmes at the local search's end; %d lowered by a service rounded", tried, lowered)
	if tried < 100 || lowered < 3 {
		t.Fatalf("too few cases: %d programmes, %d lowered", tried, lowered)
	}
}

// checkWithService checks that withService takes from the rounded network
// the decisions of one service's offers, and only those (with the sites
// they build).
func checkWithService(t *testing.T, s *search, root []float64) {
	t.Helper()
	md := s.md
	r := md.roundedNetwork(s.relaxedModules(root), s.relaxedOffers(root), roundNearest)
	for sv := range md.in.svc {
		w := md.networkOf(s.inc)
		v, changed := md.withService(md.networkOf(s.inc), r, sv)
		differs := false
		for o := range md.in.offers {
			want := w
			if md.in.offers[o].svc == sv {
				want = r
			}
			if !slices.Equal(v.y[o], want.y[o]) {
				t.Fatalf("service %d, offer %d: y %v, want %v", sv, o, v.y[o], want.y[o])
			}
			for k := range v.n[o] {
				if !slices.Equal(v.n[o][k], want.n[o][k]) {
					t.Fatalf("service %d, offer %d, module %d: n %v, want %v", sv, o, k, v.n[o][k], want.n[o][k])
				}
			}
			if md.in.offers[o].svc == sv && (!slices.Equal(w.y[o], r.y[o]) || !equalRows(w.n[o], r.n[o])) {
				differs = true
			}
		}
		if changed != differs {
			t.Fatalf("service %d: changed %v, but the offers differ: %v", sv, changed, differs)
		}
		if !equalRows(v.z, md.withSites(v.clone()).z) {
			t.Fatalf("service %d: the sites built are not those the services open", sv)
		}
	}
}

// equalRows reports whether a and b hold the same rows.
func equalRows(a, b [][]float64) bool {
	return slices.EqualFunc(a, b, func(p, q []float64) bool { return slices.Equal(p, q) })
}

// TestDescentPauses checks that a descent paused by firstDescent's rule
// (here after 3 variants in a row without a move) and then resumed ends
// where the same descent run through ends, after valuing the same
// networks: the pause stops the scan and changes nothing else.
func TestDescentPauses(t *testing.T) {
	tried, paused := 0, 0
	for seed := uint64(1); seed <= 60; seed++ {
		s, root, good, cancel := fixedProgramme(t, roomyProblem(seed))
		if s == nil {
			continue
		}
		v := s.md.m.ObjValue(good)
		run := func(pause int) (*descent, bool) {
			s.inc, s.incV = good, v
			d := s.newDescent(good, v)
			d.pause = pause
			for s.step(d, root.X) {
			}
			stopped := !d.stalled
			if stopped {
				if d.tried < pause {
					t.Errorf("seed %d: the descent stopped after %d variants without a move, before its pause at %d", seed, d.tried, pause)
				}
				d.pause = 0
				for s.step(d, root.X) {
				}
			}
			return d, stopped
		}
		whole, _ := run(0)
		split, stopped := run(3)
		cancel()
		tried++
		if stopped {
			paused++
		}
		if !whole.stalled || !split.stalled {
			t.Errorf("seed %d: a descent did not stall (whole %v, paused %v)", seed, whole.stalled, split.stalled)
		}
		if math.Abs(whole.curV-split.curV) > 1e-9*math.Abs(whole.curV) || whole.solves != split.solves {
			t.Errorf("seed %d: run through, the descent ends at %.6f after %d networks; paused, at %.6f after %d", seed, whole.curV, whole.solves, split.curV, split.solves)
		}
	}
	t.Logf("%d descents, %d of them paused", tried, paused)
	if tried < 30 || paused < 10 {
		t.Fatalf("too few cases: %d descents, %d paused", tried, paused)
	}
}
