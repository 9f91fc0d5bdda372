package programme

import (
	"container/heap"
	"errors"
	"math"
	"slices"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// A search leaves behind its tree: every node it closed (pruned by its
// bound, integral, or infeasible) or left open, with the bound it proved
// and whether a budget bound there. A search of the same model at other
// budgets (the frontier) starts from those leaves instead of the root:
//
//   - with every budget scaled down, the feasible set of every leaf
//     shrinks, so each bound still holds and an infeasible leaf stays
//     infeasible;
//   - with every budget scaled up, a leaf whose relaxation left every
//     budget row slack keeps its optimum (a linear programme's optimum
//     stays optimal when a constraint that does not bind there is
//     loosened), so its bound still holds; the other leaves are searched
//     again from the new root's bound.
//
// A leaf whose bound cannot improve the incumbent is closed at once, so
// a level at which the budgets do not bind costs no relaxation at all.

// leaf is a node of a finished search.
type leaf struct {
	fix   []colBound
	bound float64
	// slack says that every budget row was slack at the relaxation that
	// proved the bound.
	slack      bool
	infeasible bool
}

// tree is a finished search: its model's options and relaxation shape,
// and its leaves.
type tree struct {
	o       buildOpts
	columns int
	leaves  []leaf
}

// sameModel reports whether a model built with o differs from the tree's
// only in its budgets.
func (t *tree) sameModel(o buildOpts, columns int) bool {
	a, b := t.o, o
	a.budgetScale, b.budgetScale = 1, 1
	return a == b && t.columns == columns
}

// budgetRows lists the budget rows of md in the relaxation's rows.
func budgetRows(md *model, rx relaxation) []int {
	var out []int
	add := func(i int) {
		if i >= 0 {
			if r := rx.row(i); r >= 0 {
				out = append(out, r)
			}
		}
	}
	for b := range md.budRow {
		for _, i := range md.budRow[b] {
			add(i)
		}
	}
	add(md.totalRow)
	return out
}

// budgetSlack reports whether every budget row of the relaxation rel is
// slack at x.
func budgetSlack(rel *lp.Model, rows []int, x []float64) bool {
	for _, i := range rows {
		rhs := rel.RHS(i)
		if rhs-rel.RowActivity(i, x) <= 1e-7*math.Max(1, math.Abs(rhs)) {
			return false
		}
	}
	return true
}

// warmQueue turns the leaves of t, searched at budget scale from, into
// the first nodes of a search at budget scale to. Leaves whose bound
// still holds keep it; the others are returned apart (cold), to be
// searched from the new root's bound. Infeasible leaves are dropped when
// the budgets shrink.
func (t *tree) warmQueue(from, to float64) (q nodeQueue, cold []leaf) {
	for _, l := range t.leaves {
		switch {
		case l.infeasible && to <= from:
			continue
		case l.infeasible, to > from && !l.slack:
			cold = append(cold, l)
		default:
			q = append(q, &bnbNode{fix: l.fix, bound: l.bound, slack: l.slack, id: len(q) + 1})
		}
	}
	return q, cold
}

// warmStart searches a level of the frontier from the leaves of an
// earlier search of the same model at other budgets (see tree) and
// returns the least bound over what is left. When the leaves and the
// programmes known do not close the gap, the level's root is solved
// (levelRoot), which bounds every leaf, and the level's first programme
// comes from the programmes of the levels solved before and the
// roundings of the root (levelStart).
func (s *search) warmStart(w *tree) (float64, error) {
	from := w.o.budgetScale
	to := s.md.o.budgetScale
	q, cold := w.warmQueue(from, to)
	var first *lp.Solution
	if len(cold) > 0 || !s.closes(q) {
		root, err := s.levelRoot(true)
		if err != nil {
			if s.stoppedWithProgramme() {
				// The deadline passed within the level's rounds of cuts:
				// the programme held (a lower level's) keeps the bound
				// the rounds proved.
				bound, _ := s.rx.partial()
				return bound, nil
			}
			return 0, err
		}
		if root, err = s.levelStart(root); err != nil {
			return 0, err
		}
		for _, n := range q {
			n.bound = math.Max(n.bound, root.Objective)
		}
		for _, l := range cold {
			q = append(q, &bnbNode{fix: l.fix, bound: root.Objective, id: len(q) + 1})
		}
		if len(q) == 1 && len(q[0].fix) == 0 {
			first = root
		}
	}
	heap.Init(&q)
	return s.explore(&q, first), nil
}

// levelRoot solves a level's root. Its rounds of cuts end as soon as
// their bound closes the gap to the programme held (a seed that fits the
// level's budgets), and, loose, once the blocks' values exceed the
// master's estimates by less than the gap tolerance rather than a tenth
// of it: the bound of every round holds, and the last rounds of a root
// started from the cuts of the levels before move it by hundredths of a
// percent (levelStart tightens it when the programmes found do not close
// the gap to it). A master that lp_solve calls infeasible from the basis
// of another level's root is solved again from scratch.
func (s *search) levelRoot(loose bool) (*lp.Solution, error) {
	br, benders := s.rx.(*bendersRelaxation)
	if benders {
		tol := s.r.opt.GapTolerance
		br.closedAt = func(b float64) bool { return s.closedBy(b, tol) }
		br.loosen(loose)
		defer func() { br.closedAt = nil; br.loosen(false) }()
	}
	root, err := s.solveRoot()
	if s.borrowed && errors.Is(err, gst.ErrInfeasible) && s.r.ctx.Err() == nil {
		br.basis = nil
		root, err = s.solveRoot()
	}
	s.borrowed = false
	if err != nil {
		return nil, err
	}
	s.r.keepRoot(s.rx, s.md.o)
	s.levelBound = root.Objective
	return root, nil
}

// levelStart finds a level's first programmes, cheapest first, until one
// closes the gap to the root's bound: the programme of the nearest level
// above repaired into this level's budgets when no programme fits them
// yet (repair), the local search from the programmes held and the
// root's roundings (levelSearch); then the root's rounds of cuts to
// the end (when they stopped loose); then relax-and-fix from the root
// (roundRoot). It returns the root it ends with.
func (s *search) levelStart(root *lp.Solution) (*lp.Solution, error) {
	tol := s.r.opt.GapTolerance
	if s.closedBy(root.Objective, tol) {
		return root, nil
	}
	s.repair(root.X)
	if s.evaluator() != nil && !s.closedBy(root.Objective, tol) {
		s.levelSearch(root.X)
		s.improvedV = s.incV
	}
	if s.closedBy(root.Objective, tol) {
		return root, nil
	}
	if _, ok := s.rx.(*bendersRelaxation); ok {
		tight, err := s.levelRoot(false)
		if err != nil && s.inc != nil && s.r.ctx.Err() != nil {
			// Stopped: the loose root's bound holds.
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		root = tight
	}
	return root, s.roundRoot(root, fixModes)
}

// levelSearch runs the local search of a level from its starting
// programmes: first with the moves toward the level's relaxation alone
// (a dozen networks a pass, where the whole neighbourhood has a hundred
// and more; on the pilots' regions they find most of what the level
// gains), then with every move from the best programme found, until the
// incumbent is within the gap tolerance of the root's bound or
// maxLevelEvals networks are valued in all. The starts take turns: each
// descends firstProbe networks in its first turn and twice as many in
// each turn after, and leaves once a whole pass of its moves finds none.
// Which start's descent closes the gap is not known beforehand, and one
// that closes it within its turn is not kept waiting behind another's
// creeping descent: on Fès-Meknès, level 1.2 is closed by the descent from
// the root rounded at 0.7 in 5 networks after the one from the rounding
// to the nearest had crept through 25, and level 0.6 by the one from the
// rounding at 0.3 in 2 after the one from the programme held had crept
// through 28 (the levels value 17 and 13 networks instead of 34 and 33).
// A descent whose turn lowered its programme by at least what is still
// left to close the gap (see onPace) has another turn at once: on
// Fès-Meknès, level 0.6's descent from the programme held went from
// 4,627.4 to 4,612.0 million MAD in its first 8 networks, the three
// roundings of the root then valued 24 networks without closing the gap,
// and the held descent's next turn closed it (4,604.7) in 6; on pace it
// values 14 networks instead of 42, for the same programme.
// The programme held goes first, and the roundings of the level's root
// (levelStarts) are valued only when its first turns do not close the
// gap: a lower level's programme, or a higher one's repaired, is near this
// level's optimum when the budgets are near. The main search's programme
// goes last instead: its local search has already tried every move from
// it, and those toward the level's relaxation seldom pay.
func (s *search) levelSearch(root []float64) {
	tol := s.r.opt.GapTolerance
	first := s.r.stats.Evaluations
	defer func() { s.evalLimit, s.towardOnly = 0, false }()
	left := func() int { return maxLevelEvals - int(s.r.stats.Evaluations-first) }
	over := func() bool { return left() <= 0 || s.closedBy(s.levelBound, tol) || s.r.ctx.Err() != nil }
	s.towardOnly = true
	var live []*descent
	heldFirst := s.inc != nil && !s.heldIsMain()
	probe := firstProbe
	run := func(d *descent) {
		for {
			from := d.curV
			d.limit = d.solves + min(probe, left())
			for s.step(d, root) {
			}
			if d.stalled || over() || !s.onPace(from, d.curV) {
				return
			}
		}
	}
	if heldFirst {
		d := s.newDescent(s.inc, s.incV)
		if run(d); !d.stalled {
			live = append(live, d)
		}
	}
	if over() {
		return
	}
	for _, st := range s.levelStarts(root, !heldFirst) {
		d := s.newDescent(st.x, st.v)
		if run(d); !d.stalled {
			live = append(live, d)
		}
		if over() {
			return
		}
	}
	for len(live) > 0 && !over() {
		probe *= 2
		k := 0
		for _, d := range live {
			if run(d); !d.stalled {
				live[k] = d
				k++
			}
			if over() {
				return
			}
		}
		live = live[:k]
	}
	s.towardOnly = false
	if s.inc != nil && !over() {
		s.evalLimit = left()
		s.descend(s.inc, s.incV, root)
	}
}

// onPace reports whether a descent's turn, which lowered its programme
// from from to to, is on pace to close the gap to the level's bound in
// one more turn like it: the turn gained at least what is still left
// between to and the least value the gap tolerance accepts.
func (s *search) onPace(from, to float64) bool {
	gain := from - to
	left := to - s.levelBound - s.r.opt.GapTolerance*math.Abs(to)
	return gain > 0 && gain >= left
}

// firstProbe is how many networks the descent from each of a level's
// starting programmes may value in its first turn (see levelSearch); each
// turn after doubles it. On the pilots' regions a descent that closes a
// level's gap does so within 8.
const firstProbe = 8

// scanFrom returns the variant the local search's next scan starts from
// after the variant i paid: i, except in a frontier level trying every
// move, whose scan starts again from the variants toward the relaxation,
// few and the ones that pay most often. With the moves toward the
// relaxation alone the scan goes on from i, as the main search's does:
// the variants before it did not pay from the programme before and
// seldom pay from the new one (on Fès-Meknès the levels' search values a
// quarter fewer networks so, for the same programmes).
func (s *search) scanFrom(i int) int {
	if s.r.warm != nil && !s.towardOnly {
		return 0
	}
	return i
}

// levelStarts returns the programmes a level's local search starts from
// after the programme held: the level's root rounded at each of
// levelModes, fitted into the budgets (see fit), best first, then, with
// held, the programme held (the main search's, see levelSearch), without
// repeats.
func (s *search) levelStarts(root []float64, held bool) []start {
	var out []start
	n, y := s.relaxedModules(root), s.relaxedOffers(root)
	ref := s.inc
	if ref == nil {
		ref = make([]float64, s.md.m.NumVars())
		if seed := s.nearestAbove(); seed != nil {
			ref = seed.x
		}
	}
	inc, incV := s.inc, s.incV
	for _, mode := range levelModes {
		if st, ok := s.fit(s.md.roundedNetwork(n, y, mode), ref, n); ok {
			out = append(out, st)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].v < out[b].v })
	if held && inc != nil {
		out = append(out, start{inc, incV})
	}
	k := 0
	for _, st := range out {
		if !slices.ContainsFunc(out[:k], func(o start) bool { return o.v == st.v }) {
			out[k] = st
			k++
		}
	}
	return out[:k]
}

// heldIsMain reports whether the programme held is the main search's
// (the first seed of a frontier level).
func (s *search) heldIsMain() bool {
	return s.inc != nil && len(s.r.seeds) > 0 && slices.Equal(s.inc, s.r.seeds[0].x)
}

// levelModes are the thresholds at which a level's root is rounded into
// the networks its local search may start from: to the nearest, then
// opening less and more.
var levelModes = []roundMode{roundNearest, 0.7, 0.3}

// maxLevelEvals bounds the networks a level's local search values in
// all, its starting programmes' included (see levelSearch), a limit of
// work: on the pilots' regions a level values 0 to 21 networks (5 to
// 20 ms each) before its programme is within the gap tolerance of its
// bound, where a pass of relax-and-fix (0.3 s) and the local search from
// its programme often do not get there; at a full region's size a
// network takes 0.3 s and more.
const maxLevelEvals = 100

// maxRepairEvals bounds the networks repair values: a limit of work, the
// same on every machine.
const maxRepairEvals = 8

// repair offers, when no programme fits the level's budgets yet, the
// programme of the nearest level above with modules taken back one at a
// time until it fits: each time the module the level's relaxation (the
// root's point, root) wants least beside the network, from the first
// period it wants fewer. A network is valued with the evaluator only once
// its own spend (the staffing's left out) fits every budget.
func (s *search) repair(root []float64) {
	ev := s.evaluator()
	if ev == nil || s.inc != nil {
		return
	}
	seed := s.nearestAbove()
	if seed == nil {
		return
	}
	s.fit(s.md.networkOf(seed.x), seed.x, s.relaxedModules(root))
}

// fit offers the network w, with modules taken back one at a time until
// it fits the budgets (see repair): x is a programme whose staffing
// estimates the network's, rel the level's relaxed module counts.
func (s *search) fit(w network, x []float64, rel [][][]float64) (start, bool) {
	ev := s.evaluator()
	md := s.md
	for evals := 0; evals < maxRepairEvals && s.r.ctx.Err() == nil; {
		if md.networkFits(ev, w, x) {
			evals++
			px, v, ok, err := ev.value(s.r, w, math.Inf(1))
			if err != nil {
				return start{}, false
			}
			if ok {
				s.offer(px)
				return start{px, v}, true
			}
		}
		next, ok := md.takeBack(w, rel)
		if !ok {
			return start{}, false
		}
		w = next
	}
	return start{}, false
}

// start is a programme a local search may start from, with its value.
type start struct {
	x []float64
	v float64
}

// nearestAbove returns the seed of the least budget level above the
// search's, nil when none.
func (s *search) nearestAbove() *result {
	var best *result
	to := s.md.o.budgetScale
	for _, seed := range s.r.seeds {
		l := seed.md.o.budgetScale
		if l > to && len(seed.x) == s.md.m.NumVars() && (best == nil || l < best.md.o.budgetScale) {
			best = seed
		}
	}
	return best
}

// networkFits reports whether the network w with the staffing of the
// programme x (its recruits and pooling: an estimate, the evaluator
// staffs the network exactly afterwards) keeps every budget row.
func (md *model) networkFits(ev *evaluator, w network, x []float64) bool {
	x = append([]float64(nil), x...)
	if !ev.setNetwork(w, x) {
		return false
	}
	holds := func(i int) bool { return i < 0 || rowHolds(md.m, i, x) }
	for b := range md.budRow {
		for _, i := range md.budRow[b] {
			if !holds(i) {
				return false
			}
		}
	}
	return holds(md.totalRow)
}

// takeBack returns w with one module fewer (a service opened closes with
// its last one) of the type the relaxation's counts rel exceed least, or
// fall short of most, from the first period w adds to what is installed
// there; false when w adds nothing that may be taken back.
func (md *model) takeBack(w network, rel [][][]float64) (network, bool) {
	type cand struct {
		o, k, p int
		d       float64
	}
	var cs []cand
	for o := range md.in.offers {
		off := &md.in.offers[o]
		for k := range w.n[o] {
			for p := 0; p < md.np; p++ {
				if w.n[o][k][p] >= float64(off.installed[k])+0.5 {
					cs = append(cs, cand{o, k, p, rel[o][k][p] - w.n[o][k][p]})
					break
				}
			}
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].d < cs[b].d })
	for _, c := range cs {
		if v, ok := md.toward(w, c.o, c.k, c.p, -1); ok {
			return v, true
		}
	}
	return network{}, false
}

// rootMaster is the master of a search's root as its last round left it:
// the cuts of that round's linear programme, in order, and its optimal
// basis.
type rootMaster struct {
	key   poolKey
	scale float64 // the budget scale of its model
	cuts  []*poolCut
	basis *lp.Basis
}

// keepRoot remembers, when the options ask for a frontier, the master
// of a Benders search's root, solved just now (see startMaster); one per
// budget level, the last. At the end of a node's rounds the pool holds
// exactly the cuts of the last round's programme, in its order.
func (r *run) keepRoot(rx relaxation, o buildOpts) {
	b, ok := rx.(*bendersRelaxation)
	if !ok || b.basis == nil || len(r.opt.Frontier) == 0 {
		return
	}
	rm := &rootMaster{key: keyOf(o, b.d.master.NumVars()), scale: o.budgetScale, cuts: append([]*poolCut(nil), b.pool...), basis: b.basis}
	for i, old := range r.masters {
		if old.key == rm.key && old.scale == rm.scale {
			r.masters[i] = rm
			return
		}
	}
	r.masters = append(r.masters, rm)
}

// startMaster starts the master of a frontier level from the root of the
// search whose budgets are nearest (see nearestRoot), when the masters
// have one shape: the level's pool holds that root's cuts first, in
// their order, then the other cuts kept, and its first master starts
// from that root's optimal basis. The budgets change only right-hand
// sides, so the basis is dual feasible at the level: from a neighbour's
// root the first master takes 75 to 400 pivots on the pilots' regions
// where a solve from scratch with the cuts kept takes two thousand (as
// many from the basis of the last programme the search before solved,
// with its decisions fixed). A basis only starts the simplex: the
// master's optimum, and the bound, are the same from any.
func (s *search) startMaster() {
	b, ok := s.rx.(*bendersRelaxation)
	if !ok {
		return
	}
	o := s.md.o
	rm := s.r.nearestRoot(keyOf(o, b.d.master.NumVars()), o.budgetScale)
	if rm == nil {
		return
	}
	first := make(map[*int]bool, len(rm.cuts))
	pool := make([]*poolCut, 0, len(rm.cuts))
	for _, pc := range rm.cuts {
		pool = append(pool, &poolCut{c: pc.c})
		first[cutID(pc.c)] = true
	}
	for _, pc := range b.pool {
		if id := cutID(pc.c); id == nil || !first[id] {
			pool = append(pool, pc)
		}
	}
	b.pool, b.basis = pool, rm.basis
	s.borrowed = true
}

// maxBorrowRatio is the largest ratio of budgets between a level and the
// root whose basis it starts from. With the blocks split into their
// parts, level 0.6 from level 0.8's root (a ratio of 4/3) solves its
// first master in a fifth of the time a solve from scratch takes on both
// pilots' regions (0.04 s against 0.2 s on Fès-Meknès); with the blocks
// whole it took more pivots, and the ratio was 1.25.
const maxBorrowRatio = 1.4

// cutID names a cut by its first column's storage, which the copies of
// the cut that the pools pass from search to search share; nil for a
// cut without columns.
func cutID(c cut) *int {
	if len(c.cols) == 0 {
		return nil
	}
	return &c.cols[0]
}

// nearestRoot returns the root kept of the shape key whose budget scale
// is nearest to scale as a ratio, within maxBorrowRatio (the lower among
// equals, the earlier among the same), nil when none.
func (r *run) nearestRoot(key poolKey, scale float64) *rootMaster {
	var best *rootMaster
	dist := func(rm *rootMaster) float64 { return math.Abs(math.Log(rm.scale / scale)) }
	for _, rm := range r.masters {
		if rm.key != key || dist(rm) > math.Log(maxBorrowRatio)+1e-12 {
			continue
		}
		if best == nil || dist(rm) < dist(best)-1e-12 || (math.Abs(dist(rm)-dist(best)) <= 1e-12 && rm.scale < best.scale) {
			best = rm
		}
	}
	return best
}

// levelEvaluator returns a new evaluator of a frontier level's model md,
// whose decomposition is d, with the staffing programme of the level
// before (lendStaffing), which answers a network's staffing from its parts
// before its assignment (staffFirst): a third of the networks a level
// values on the pilots' regions cannot be staffed (their parts' least
// spend breaks a budget, see overspent), and their transportation
// problems then need no solving.
func (r *run) levelEvaluator(md *model, d *decomposition) *evaluator {
	e := newEvaluator(md, d)
	if e != nil {
		r.lendStaffing(e)
		e.staffFirst = true
	}
	return e
}

// releaseEvaluator frees what the search's evaluator holds in lp_solve,
// or, in a frontier level and in the main search of a run that asks for
// a frontier, keeps its staffing programme loaded for the next level (see
// lendStaffing; on the pilots' regions the first level's staffing then
// takes a third fewer pivots on Tanger-Tétouan-Al Hoceïma, a tenth on
// Fès-Meknès, counted over the whole frontier). The run frees the last
// one kept once the frontier is solved or skipped.
func (s *search) releaseEvaluator() {
	if s.eval == nil {
		return
	}
	if s.r.warm == nil && !(s.r.main && len(s.r.opt.Frontier) > 0) {
		s.closeEvaluator()
		return
	}
	s.r.closeStaffing()
	s.r.staffing = s.eval
}

// closeStaffing frees the staffing programme the last level kept.
func (r *run) closeStaffing() {
	if r.staffing != nil {
		r.staffing.close()
		r.staffing = nil
	}
}

// lendStaffing gives the evaluator e of a frontier level the staffing
// programme of the level before, loaded in lp_solve with its last basis,
// when it is e's own: the budgets enter it only through right-hand
// sides, which every valuation sets; and its parts, with their answers. Loading, scaling and solving it
// from scratch costs a level 0.03 to 0.1 s on the pilots' regions,
// several valuations' worth.
func (r *run) lendStaffing(e *evaluator) {
	k := r.staffing
	if k == nil {
		return
	}
	if k.rs != nil && sameColumnsAndRows(k.staff, e.staff) {
		e.staff, e.rs = k.staff, k.rs
		k.rs = nil
	}
	e.takeParts(k)
	r.closeStaffing()
}

// sameColumnsAndRows reports whether a and b have the same columns
// (bounds, costs, kinds) and rows (coefficients and senses), whatever
// their right-hand sides.
func sameColumnsAndRows(a, b *lp.Model) bool {
	if a.NumVars() != b.NumVars() || a.NumRows() != b.NumRows() || a.NumNonzeros() != b.NumNonzeros() {
		return false
	}
	for j := 0; j < a.NumVars(); j++ {
		alo, ahi := a.Bounds(j)
		blo, bhi := b.Bounds(j)
		if alo != blo || ahi != bhi || a.Obj(j) != b.Obj(j) || a.VarKind(j) != b.VarKind(j) {
			return false
		}
	}
	for i := 0; i < a.NumRows(); i++ {
		ac, av, as, _ := a.Row(i)
		bc, bv, bs, _ := b.Row(i)
		if as != bs || !slices.Equal(ac, bc) || !slices.Equal(av, bv) {
			return false
		}
	}
	return true
}
