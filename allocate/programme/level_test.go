package programme

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/gstplan/gst"
)

// levelSetup solves the main programme of p under the decomposition at a
// gap tolerance of 1%, with a frontier of the level l, and sets up the
// search of that level as the frontier does (the main programme as a seed, the main search's
// tree and roots kept); nil when p has no programme or does not
// decompose.
func levelSetup(t *testing.T, p *Problem, l float64) (*search, func()) {
	t.Helper()
	r, cancel, err := newRun(context.Background(), p, &Options{Method: Benders, NoWhy: true, SolveOptions: gst.SolveOptions{GapTolerance: 0.01}, Frontier: []float64{l}})
	if err != nil {
		t.Fatal(err)
	}
	best, err := r.solveMain(nil)
	if errors.Is(err, gst.ErrInfeasible) {
		cancel()
		return nil, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	r.seeds, r.warm = []*result{best}, r.tree
	s := r.newSearch(build(r.in, buildOpts{last: len(r.in.per) - 1, budgetScale: l}))
	if _, ok := s.rx.(*bendersRelaxation); !ok || s.evaluator() == nil {
		s.closeEvaluator()
		cancel()
		return nil, nil
	}
	return s, func() { s.closeEvaluator(); cancel() }
}

// forLevels calls f with the search of the frontier level l (see
// levelSetup) of each of n random problems from seed first (short of
// them with -short) that has one, and frees the search after.
func forLevels(t *testing.T, first uint64, n, short int, l float64, f func(seed uint64, p *Problem, s *search)) {
	t.Helper()
	if testing.Short() {
		n = short
	}
	for seed := first; seed < first+uint64(n); seed++ {
		p := randomProblem(seed, 6)
		s, done := levelSetup(t, p, l)
		if s == nil {
			continue
		}
		f(seed, p, s)
		done()
	}
}

// TestNearestRoot checks which root a level's master starts from: the
// nearest as a ratio of budgets, the lower among equals, of the level's
// shape, and none beyond maxBorrowRatio.
func TestNearestRoot(t *testing.T) {
	k, other := poolKey{last: 2, columns: 10}, poolKey{last: 1, columns: 10}
	r := &run{masters: []*rootMaster{{key: k, scale: 1}, {key: k, scale: 1.2}, {key: k, scale: 0.8}, {key: other, scale: 0.6}}}
	for _, c := range []struct{ scale, want float64 }{
		{1.4, 1.2}, {1.1, 1.2}, {0.9, 1}, {1, 1}, {0.8, 0.8}, {0.7, 0.8}, {0.6, 0.8}, {0.55, 0}, {2, 0},
	} {
		got := 0.0
		if rm := r.nearestRoot(k, c.scale); rm != nil {
			got = rm.scale
		}
		if got != c.want {
			t.Errorf("level %v: root %v, want %v (0: none)", c.scale, got, c.want)
		}
	}
	tie := &run{masters: []*rootMaster{{key: k, scale: 1.25}, {key: k, scale: 0.8}}}
	if rm := tie.nearestRoot(k, 1); rm == nil || rm.scale != 0.8 {
		t.Errorf("level 1 between 0.8 and 1.25: %+v, want the lower", rm)
	}
}

// TestLevelMasterFromRoot checks that a level's master starts from the
// main search's root: that root's cuts first in their order, then the
// other cuts kept, and its basis; and that the level's root solved from
// there bounds lp_solve's optimum at the level's budgets.
func TestLevelMasterFromRoot(t *testing.T) {
	started := 0
	forLevels(t, 900, 12, 4, 1.2, func(seed uint64, p *Problem, s *search) {
		where := fmt.Sprintf("seed %d", seed)
		br := s.rx.(*bendersRelaxation)
		kept := len(br.pool)
		rm := s.r.nearestRoot(keyOf(s.md.o, br.d.master.NumVars()), 1.2)
		s.startMaster()
		if rm == nil {
			return
		}
		started++
		if !s.borrowed || br.basis != rm.basis {
			t.Errorf("%s: the master does not start from the root's basis", where)
		}
		if len(br.pool) < len(rm.cuts) || len(br.pool) > len(rm.cuts)+kept {
			t.Errorf("%s: %d cuts in the pool, want the root's %d and at most the %d kept", where, len(br.pool), len(rm.cuts), kept)
		}
		for i, pc := range rm.cuts {
			if i < len(br.pool) && cutID(br.pool[i].c) != cutID(pc.c) {
				t.Errorf("%s: cut %d of the pool is not the root's", where, i)
				break
			}
		}
		root, err := s.levelRoot(false)
		if errors.Is(err, gst.ErrInfeasible) {
			return
		}
		if err != nil {
			t.Fatalf("%s: level root: %v", where, err)
		}
		if b, opt := root.Objective/moneyScale, optimumAt(t, where, p, 1.2); b > opt+1e-6*(1+math.Abs(opt)) {
			t.Errorf("%s: level root bound %.6f above the optimum %.6f", where, b, opt)
		}
	})
	if started == 0 {
		t.Fatal("no level started from a root: the test does not exercise startMaster")
	}
}

// TestLevelRootLoose checks a level's root stopped at the gap tolerance,
// from no cuts: its bound holds (at most that of the rounds run to the
// end), and it takes no more rounds than they do, fewer on some
// problems.
func TestLevelRootLoose(t *testing.T) {
	n := 16
	if testing.Short() {
		n = 6
	}
	fewer := 0
	for seed := uint64(920); seed < uint64(920+n); seed++ {
		p := randomProblem(seed, 6)
		var bounds [2]float64
		var rounds [2]int
		ok := true
		for i, loose := range []bool{true, false} {
			s, done := levelSetup(t, p, 0.7)
			if s == nil {
				ok = false
				break
			}
			s.inc, s.incV = nil, math.Inf(1) // rounds until the blocks agree
			s.rx.(*bendersRelaxation).pool = nil
			root, err := s.levelRoot(loose)
			rounds[i] = s.rx.(*bendersRelaxation).rounds
			done()
			if err != nil {
				ok = false
				break
			}
			bounds[i] = root.Objective
		}
		if !ok {
			continue
		}
		if bounds[0] > bounds[1]+1e-9*(1+math.Abs(bounds[1])) {
			t.Errorf("seed %d: loose bound %.6f above the full rounds' %.6f", seed, bounds[0], bounds[1])
		}
		if rounds[0] > rounds[1] {
			t.Errorf("seed %d: %d loose rounds, %d to the end", seed, rounds[0], rounds[1])
		}
		if rounds[0] < rounds[1] {
			fewer++
		}
	}
	if fewer == 0 {
		t.Fatal("the loose rounds never stopped earlier: the test does not exercise them")
	}
}

// TestLevelStarts checks the programmes a level's local search starts
// from after the programme held: the roundings best first, then, when
// asked, the programme held, without repeats, each keeping every rule of
// the level's model at its value; on some problems the roundings of the
// level's root add programmes to the one repaired from the level above,
// and some are better than it (and still come before it only when asked
// to put it last).
func TestLevelStarts(t *testing.T) {
	added, checked, beaten := 0, 0, 0
	forLevels(t, 940, 16, 6, 0.7, func(seed uint64, p *Problem, s *search) {
		root, err := s.levelRoot(false)
		if err != nil {
			return
		}
		s.repair(root.X)
		held := s.incV
		starts := s.levelStarts(root.X, true)
		where := fmt.Sprintf("seed %d", seed)
		rounded := starts
		if held < math.Inf(1) {
			if k := slices.IndexFunc(starts, func(st start) bool { return st.v == held }); k < 0 {
				t.Errorf("%s: the programme held (%.6f) is not a start", where, held)
			} else if k == len(starts)-1 {
				rounded = starts[:k]
			}
		}
		for i, st := range starts {
			if st.v < held {
				beaten++
			}
			if i > 0 && i < len(rounded) && st.v <= starts[i-1].v {
				t.Errorf("%s: start %d (%.6f) not after start %d (%.6f)", where, i, st.v, i-1, starts[i-1].v)
			}
			if v := violation(s.md.m, st.x); v > 1e-6 {
				t.Errorf("%s: start %d breaks a row by %g", where, i, v)
			}
			if v := s.md.m.ObjValue(st.x); math.Abs(v-st.v) > 1e-9*(1+math.Abs(v)) {
				t.Errorf("%s: start %d valued %.6f, its point %.6f", where, i, st.v, v)
			}
		}
		if len(starts) > 0 {
			checked++
			if len(starts) > 1 || starts[0].v != held {
				added++
			}
		}
	})
	if checked == 0 || added == 0 {
		t.Fatalf("%d levels with starts, %d where the roundings of the root added one: the test does not exercise them", checked, added)
	}
	if beaten == 0 {
		t.Error("no rounding better than the programme held: the test does not check that it comes last")
	}
	t.Logf("%d levels with starts, %d where the roundings of the root added one, %d better than the programme held", checked, added, beaten)
}

// TestHeldIsMain checks which programme held a level's search calls the
// main search's: at a level above the main budgets, the main programme
// it starts with; another programme, not.
func TestHeldIsMain(t *testing.T) {
	n := 0
	forLevels(t, 990, 8, 3, 1.2, func(seed uint64, p *Problem, s *search) {
		if s.inc == nil {
			return
		}
		if !s.heldIsMain() {
			t.Errorf("seed %d: the main programme held is not called the main search's", seed)
		}
		s.inc = append([]float64(nil), s.inc...)
		s.inc[0] = math.Nextafter(s.inc[0], math.Inf(1))
		if s.heldIsMain() {
			t.Errorf("seed %d: another programme is called the main search's", seed)
		}
		n++
	})
	if n == 0 {
		t.Fatal("no level held a programme")
	}
}

// TestEvaluatorMemo values a network, a neighbour and the network again:
// the third valuation solves no assignment block (each is one of the
// answers kept) and gives the first's assignment and value (the staffing
// programme, degenerate, may answer with another optimal point).
func TestEvaluatorMemo(t *testing.T) {
	n := 12
	if testing.Short() {
		n = 4
	}
	checked := 0
	for seed := uint64(960); seed < uint64(960+n); seed++ {
		s, root, cancel := rootSearch(t, randomProblem(seed, 6))
		if s == nil {
			continue
		}
		ev := s.evaluator()
		if ev == nil {
			s.closeEvaluator()
			cancel()
			continue
		}
		w := s.md.roundedNetwork(s.relaxedModules(root.X), s.relaxedOffers(root.X), roundNearest)
		x1, v1, ok1, err1 := ev.value(s.r, w, math.Inf(1))
		vs := s.md.dropVariants(w)
		if err1 != nil || !ok1 || len(vs) == 0 {
			s.closeEvaluator()
			cancel()
			continue
		}
		if _, _, _, err := ev.value(s.r, vs[0](), math.Inf(1)); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		solved := func() int {
			k := 0
			for _, b := range ev.blocks {
				k += b.evals
			}
			return k
		}
		before := solved()
		x3, v3, ok3, err3 := ev.value(s.r, w, math.Inf(1))
		s.closeEvaluator()
		cancel()
		if err3 != nil || !ok3 {
			t.Fatalf("seed %d: the network valued again: ok %v, %v", seed, ok3, err3)
		}
		if k := solved() - before; k != 0 {
			t.Errorf("seed %d: %d assignment blocks solved again", seed, k)
		}
		for j, a := range ev.assign {
			if a && x1[j] != x3[j] {
				t.Errorf("seed %d: the network valued again assigns column %d %v, first %v", seed, j, x3[j], x1[j])
				break
			}
		}
		if math.Abs(v1-v3) > 1e-9*(1+math.Abs(v1)) {
			t.Errorf("seed %d: the network valued again is worth %.9g, first %.9g", seed, v3, v1)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no network valued: the test does not exercise the evaluator")
	}
}

// TestLevelStopsWithProgramme stops a level before its first round of
// cuts: the level keeps the programme held (the main one, which fits
// larger budgets) with the bound of the master's columns, and that bound
// holds.
func TestLevelStopsWithProgramme(t *testing.T) {
	stopped := 0
	forLevels(t, 980, 8, 3, 1.2, func(seed uint64, p *Problem, s *search) {
		if s.inc == nil {
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		saved := s.r.ctx
		s.r.ctx = ctx
		bound, err := s.warmStart(s.r.tree)
		s.r.ctx = saved
		where := fmt.Sprintf("seed %d", seed)
		if err != nil {
			t.Fatalf("%s: stopped level: %v", where, err)
		}
		v, b, opt := s.incV/moneyScale, bound/moneyScale, optimumAt(t, where, p, 1.2)
		slack := 1e-6 * (1 + math.Abs(opt))
		if b > opt+slack || v < opt-slack {
			t.Errorf("%s: programme %.6f and bound %.6f around the optimum %.6f", where, v, b, opt)
		}
		if b < v-slack {
			stopped++ // the leaves did not close the level: its rounds were stopped
		}
	})
	if stopped == 0 {
		t.Fatal("no level stopped within its rounds with a programme: the test does not exercise it")
	}
}

// TestLevelTakesStaffing values networks at one level, then at the next:
// the next level's evaluator takes over the staffing programme loaded in
// lp_solve, and values each network as an evaluator of its own does.
func TestLevelTakesStaffing(t *testing.T) {
	taken := 0
	forLevels(t, 990, 8, 3, 1.2, func(seed uint64, p *Problem, s *search) {
		r := s.r
		w := s.md.networkOf(s.inc)
		if _, _, _, err := s.evaluator().value(r, w, math.Inf(1)); err != nil {
			t.Fatal(err)
		}
		s.releaseEvaluator()
		next := r.newSearch(build(r.in, buildOpts{last: len(r.in.per) - 1, budgetScale: 1.4}))
		defer next.closeEvaluator()
		ev := next.evaluator()
		if ev == nil || !staffingLoaded(ev) {
			t.Errorf("seed %d: the next level's staffing programme is not the one loaded", seed)
			return
		}
		_, v, ok, err := ev.value(r, w, math.Inf(1))
		own := newEvaluator(next.md, next.rx.(*bendersRelaxation).d)
		_, v2, ok2, err2 := own.value(r, w, math.Inf(1))
		own.close()
		if err != nil || err2 != nil || ok != ok2 || (ok && math.Abs(v-v2) > 1e-7*(1+math.Abs(v2))) {
			t.Errorf("seed %d: taken over %v %.9g (%v), own %v %.9g (%v)", seed, ok, v, err, ok2, v2, err2)
		}
		taken++
	})
	if taken == 0 {
		t.Fatal("no staffing programme taken over: the test does not exercise it")
	}
}

// staffingLoaded reports whether e's staffing programme is loaded in
// lp_solve: whole, or every part of it.
func staffingLoaded(e *evaluator) bool {
	if e.rs != nil && e.rs.Loaded() {
		return true
	}
	for _, p := range e.parts {
		if p.rs == nil || !p.rs.Loaded() {
			return false
		}
	}
	return len(e.parts) > 0
}

// optimumAt is lp_solve's optimum of p with its budgets scaled by l, in
// MAD.
func optimumAt(t *testing.T, where string, p *Problem, l float64) float64 {
	t.Helper()
	ref, err := Solve(context.Background(), scaledBudgets(p, l), &Options{Method: MIP, NoWhy: true})
	if err != nil {
		t.Fatalf("%s: lp_solve: %v", where, err)
	}
	return ref.Value
}

// TestLevelValuesStaffingFirst checks that a frontier level's evaluator
// solves a network's staffing before its assignment: a network that
// cannot be staffed (modules added to an offer of the main programme
// until the staff runs short) is called infeasible without solving any
// assignment block, and every network gets the same answer either way.
func TestLevelValuesStaffingFirst(t *testing.T) {
	unstaffed := 0
	forLevels(t, 1, 16, 6, 1.2, func(seed uint64, p *Problem, s *search) {
		ev := s.evaluator()
		if !ev.staffFirst {
			t.Fatalf("seed %d: a level's evaluator solves the assignment first", seed)
		}
		if s.inc == nil {
			return
		}
		solved := func() int {
			k := 0
			for _, b := range ev.blocks {
				k += b.evals
			}
			return k
		}
		w := s.md.networkOf(s.inc)
		for o := range w.n {
			for k := range w.n[o] {
				v := w
				for step := 0; step < 6; step++ {
					next, ok := s.md.toward(v, o, k, 0, 1)
					if !ok {
						break
					}
					v = next
					where := fmt.Sprintf("seed %d, offer %d, type %d, +%d", seed, o, k, step+1)
					before := solved()
					_, v1, ok1, err1 := ev.value(s.r, v, math.Inf(1))
					after := solved()
					ev.staffFirst = false
					_, v0, ok0, err0 := ev.value(s.r, v, math.Inf(1))
					ev.staffFirst = true
					if err0 != nil || err1 != nil || ok0 != ok1 || (ok0 && math.Abs(v0-v1) > 1e-9*math.Abs(v0)) {
						t.Fatalf("%s: assignment first %v %v %v, staffing first %v %v %v", where, ok0, v0, err0, ok1, v1, err1)
					}
					if staffable(t, ev, s, v) {
						continue
					}
					unstaffed++
					if k := after - before; k != 0 {
						t.Errorf("%s: the network cannot be staffed, yet %d assignment blocks were solved", where, k)
					}
				}
			}
		}
	})
	if unstaffed == 0 {
		t.Fatal("no network that cannot be staffed: the test does not exercise the order")
	}
}

// staffable reports whether the staffing programme of the network w has
// a solution (true when a rule of the network alone already fails, as
// the evaluator then solves nothing).
func staffable(t *testing.T, ev *evaluator, s *search, w network) bool {
	t.Helper()
	x := make([]float64, s.md.m.NumVars())
	if !ev.setNetwork(w, x) {
		return true
	}
	for _, i := range ev.fixedOnly {
		if !rowHolds(s.md.m, i, x) {
			return true
		}
	}
	ok, err := ev.solveStaff(s.r, x)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestScanFrom checks where the local search's scan goes on after a move:
// from the move in the main search and in a frontier level moving toward
// the relaxation alone, from the first variant in a level trying every
// move.
func TestScanFrom(t *testing.T) {
	level := &search{r: &run{warm: &tree{}}}
	main := &search{r: &run{}}
	for _, c := range []struct {
		s      *search
		toward bool
		want   int
	}{{main, false, 5}, {main, true, 5}, {level, true, 5}, {level, false, 0}} {
		c.s.towardOnly = c.toward
		if got := c.s.scanFrom(5); got != c.want {
			t.Errorf("warm %v, toward only %v: scan from %d, want %d", c.s.r.warm != nil, c.toward, got, c.want)
		}
	}
}

// TestFirstLevelTakesMainStaffing checks that the main search of a run
// that asks for a frontier keeps its staffing programme (and its parts)
// loaded, and that the first level's evaluator takes it over.
func TestFirstLevelTakesMainStaffing(t *testing.T) {
	taken := 0
	for seed := uint64(990); seed < 1010 && taken < 2; seed++ {
		r, cancel, err := newRun(context.Background(), randomProblem(seed, 6), &Options{Method: Benders, NoWhy: true, SolveOptions: gst.SolveOptions{GapTolerance: 0.01}, Frontier: []float64{1.2}})
		if err != nil {
			t.Fatal(err)
		}
		r.main = true
		best, err := r.solveMain(nil)
		r.main = false
		kept := r.staffing
		if err != nil || kept == nil || (kept.rs == nil && len(kept.parts) == 0) {
			r.closeStaffing()
			cancel()
			continue
		}
		rs, parts := kept.rs, append([]*staffPart(nil), kept.parts...)
		r.seeds, r.warm = []*result{best}, r.tree
		s := r.newSearch(build(r.in, buildOpts{last: len(r.in.per) - 1, budgetScale: 1.2}))
		ev := s.evaluator()
		if ev == nil || (rs != nil && ev.rs != rs) || !slices.Equal(ev.parts, parts) {
			t.Errorf("seed %d: the first level does not take the main search's staffing programme", seed)
		}
		s.closeEvaluator()
		r.closeStaffing()
		cancel()
		taken++
	}
	if taken == 0 {
		t.Fatal("no main search kept its staffing programme")
	}
}

// TestLevelSearchStopsAfterHeld checks that a level's local search whose
// descent from the programme held (a higher level's, repaired) closes the
// gap within its first turn (firstProbe networks) values nothing more: no
// rounding of the root, no other start. The level's bound is set so that
// the gap closes where the descent alone ends (its last move), and the
// search is compared with that descent.
func TestLevelSearchStopsAfterHeld(t *testing.T) {
	n := 24
	if testing.Short() {
		n = 8
	}
	stopped := 0
	for seed := uint64(940); seed < uint64(940+n); seed++ {
		p := randomProblem(seed, 6)
		// setup returns the level's search with the programme held
		// repaired, and its root; nil when the case does not apply.
		setup := func() (*search, []float64, func()) {
			s, done := levelSetup(t, p, 0.6)
			if s == nil {
				return nil, nil, nil
			}
			root, err := s.levelRoot(true)
			if err == nil {
				s.repair(root.X)
			}
			if err != nil || s.inc == nil || s.heldIsMain() || s.closedBy(s.levelBound, s.r.opt.GapTolerance) {
				done()
				return nil, nil, nil
			}
			return s, root.X, done
		}
		descent := func(s *search, root []float64) int {
			before := s.r.stats.Evaluations
			s.towardOnly, s.evalLimit = true, maxLevelEvals
			s.descend(s.inc, s.incV, root)
			s.towardOnly, s.evalLimit = false, 0
			return int(s.r.stats.Evaluations - before)
		}
		a, root, done := setup()
		if a == nil {
			continue
		}
		held := a.incV
		descent(a, root)
		end, tol := a.incV, a.r.opt.GapTolerance
		done()
		if end >= held {
			continue // the descent makes no move
		}
		bound := end - tol*math.Abs(end)
		c, root, done := setup()
		c.levelBound = bound
		want := descent(c, root)
		done()
		b, root, done := setup()
		b.levelBound = bound
		before := b.r.stats.Evaluations
		b.levelSearch(root)
		got := int(b.r.stats.Evaluations - before)
		done()
		if want > firstProbe {
			continue // the other starts have their turn first
		}
		if got != want {
			t.Errorf("seed %d: the descent from the programme held closes the gap in %d networks, the level's search values %d", seed, want, got)
		}
		stopped++
	}
	if stopped == 0 {
		t.Fatal("no descent from the programme held moved: the test does not exercise it")
	}
}

// TestDescentInTurns checks that a local search given its limit of work in
// turns (as a level's starts are, see levelSearch) goes where it goes in
// one: each turn's scan goes on from the variant the last one stopped at,
// so the same networks are valued, in the same order, to the same
// programme. Both a level's moves toward its relaxation and every move are
// taken.
func TestDescentInTurns(t *testing.T) {
	n := 16
	if testing.Short() {
		n = 6
	}
	compared, resumed := 0, 0
	for seed := uint64(940); seed < uint64(940+n); seed++ {
		p := randomProblem(seed, 6)
		for _, toward := range []bool{true, false} {
			// run descends from the level's repaired programme with the
			// limit handed out turn networks at a time (all at once when
			// turn is 0), and returns the values it moved through and
			// the networks valued.
			run := func(turn int) ([]float64, int, int, bool) {
				s, done := levelSetup(t, p, 0.6)
				if s == nil {
					return nil, 0, 0, false
				}
				defer done()
				root, err := s.levelRoot(true)
				if err == nil {
					s.repair(root.X)
				}
				if err != nil || s.inc == nil {
					return nil, 0, 0, false
				}
				s.levelBound = math.Inf(-1)
				s.towardOnly = toward
				before := s.r.stats.Evaluations
				d := s.newDescent(s.inc, s.incV)
				path := []float64{d.curV}
				const limit = 40
				turns := 0
				for !d.stalled && d.solves < limit {
					d.limit = limit
					if turn > 0 {
						d.limit = min(limit, d.solves+turn)
					}
					turns++
					for s.step(d, root.X) {
						path = append(path, d.curV)
					}
				}
				return path, int(s.r.stats.Evaluations - before), turns, true
			}
			whole, wn, _, ok := run(0)
			if !ok {
				continue
			}
			inTurns, tn, turns, _ := run(2)
			if !slices.Equal(whole, inTurns) || wn != tn {
				t.Errorf("seed %d toward %v: in one turn %v (%d networks), in turns of 2 %v (%d networks)", seed, toward, whole, wn, inTurns, tn)
			}
			compared++
			if turns > 1 && len(whole) > 1 {
				resumed++
			}
		}
	}
	if compared == 0 || resumed == 0 {
		t.Fatalf("%d descents compared, %d moved across turns: the test does not exercise the turns", compared, resumed)
	}
	t.Logf("%d descents compared, %d moved across turns", compared, resumed)
}

// TestOnPace checks the rule that gives a level's descent another turn at
// once: its turn gained at least what is left to close the gap. The cases
// are Fès-Meknès's level 0.6 (bound 4,559.30 million MAD, gap tolerance
// 1%): from the programme held, 4,627.36, its first turn reached 4,612.04
// and its next closed the gap at 4,604.68.
func TestOnPace(t *testing.T) {
	r := &run{opt: Options{SolveOptions: gst.SolveOptions{GapTolerance: 0.01}}}
	s := &search{r: r, levelBound: 4559.30}
	for _, c := range []struct {
		from, to float64
		want     bool
	}{
		{4627.36, 4612.04, true},  // gained 15.32, 6.62 left
		{4627.36, 4620.00, false}, // gained 7.36, 14.50 left
		{4612.04, 4612.04, false}, // no move
		{4612.04, 4608.00, true},  // gained 4.04, 2.62 left
		{4700.00, 4680.00, false}, // gained 20, 73.9 left
	} {
		if got := s.onPace(c.from, c.to); got != c.want {
			t.Errorf("from %.2f to %.2f: on pace %v, want %v", c.from, c.to, got, c.want)
		}
	}
}
