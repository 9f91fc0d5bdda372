package programme

import (
	"container/heap"
	"math"
	"sort"

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
		_, _, _, rhs := rel.Row(i)
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
// comes from the programmes of the levels solved before (levelStart).
func (s *search) warmStart(w *tree) (float64, error) {
	from := w.o.budgetScale
	to := s.md.o.budgetScale
	q, cold := w.warmQueue(from, to)
	var first *lp.Solution
	if len(cold) > 0 || !s.closes(q) {
		root, err := s.levelRoot()
		if err != nil {
			return 0, err
		}
		for _, n := range q {
			n.bound = math.Max(n.bound, root.Objective)
		}
		for _, l := range cold {
			q = append(q, &bnbNode{fix: l.fix, bound: root.Objective, id: len(q) + 1})
		}
		if err := s.levelStart(root); err != nil {
			return 0, err
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
// level's budgets): the bound of every round holds.
func (s *search) levelRoot() (*lp.Solution, error) {
	if br, ok := s.rx.(*bendersRelaxation); ok {
		tol := s.r.opt.GapTolerance
		br.closedAt = func(b float64) bool { return s.closedBy(b, tol) }
		defer func() { br.closedAt = nil }()
	}
	root, err := s.solveRoot()
	if err != nil {
		return nil, err
	}
	s.levelBound = root.Objective
	return root, nil
}

// levelStart finds a level's first programmes, cheapest first, until one
// closes the gap to the root's bound: the programme of the nearest level
// above repaired into this level's budgets when no programme fits them
// yet (repair), the local search from the incumbent, then the roundings
// of the root (roundRoot).
func (s *search) levelStart(root *lp.Solution) error {
	tol := s.r.opt.GapTolerance
	if s.closedBy(root.Objective, tol) {
		return nil
	}
	s.repair(root.X)
	if s.inc != nil && s.evaluator() != nil && !s.closedBy(root.Objective, tol) {
		s.evalLimit = maxLevelEvals
		s.improve(root.X)
		s.evalLimit = 0
		s.improvedV = s.incV
	}
	return s.roundRoot(root)
}

// maxLevelEvals bounds the networks the local search values from a
// level's first programme, a limit of work: on the pilots' regions the
// local search closes the gap to the level's bound within 3 to 91 of
// them (25 ms each), where a pass of relax-and-fix (0.3 s) and the local
// search from its programme often do not.
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
	md := s.md
	w := md.networkOf(seed.x)
	rel := s.relaxedModules(root)
	for evals := 0; evals < maxRepairEvals && s.r.ctx.Err() == nil; {
		if md.networkFits(ev, w, seed.x) {
			evals++
			x, _, ok, err := ev.value(s.r, w, math.Inf(1))
			if err != nil {
				return
			}
			if ok {
				s.offer(x)
				return
			}
		}
		next, ok := md.takeBack(w, rel)
		if !ok {
			return
		}
		w = next
	}
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
