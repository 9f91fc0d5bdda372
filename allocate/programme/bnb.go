package programme

import (
	"container/heap"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// bnbNode is a node of the branch and bound: bound changes on integer
// columns, and the objective of its parent's relaxation (a bound on the
// node's).
type bnbNode struct {
	fix   []colBound
	bound float64
	// start is the basis its parent's relaxation ended with, which its
	// own starts from (nil: the last solve's).
	start *lp.Basis
	// slack says that the relaxation that gave the bound left every
	// budget row slack (see tree).
	slack bool
	id    int
}

type colBound struct {
	col    int
	lo, hi float64
}

type nodeQueue []*bnbNode

func (q nodeQueue) Len() int { return len(q) }
func (q nodeQueue) Less(i, j int) bool {
	if q[i].bound != q[j].bound {
		return q[i].bound < q[j].bound
	}
	return q[i].id < q[j].id
}
func (q nodeQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *nodeQueue) Push(x any)   { *q = append(*q, x.(*bnbNode)) }
func (q *nodeQueue) Pop() any {
	old := *q
	n := old[len(old)-1]
	*q = old[:len(old)-1]
	return n
}

// search is one branch and bound over a relaxation's integer columns.
type search struct {
	r     *run
	md    *model
	rx    relaxation
	rel   *lp.Model // the relaxation with the root's bounds (and cuts)
	prio  []int     // branching priority of each integer column of rel (lower first)
	inc   []float64 // best programme found, as a point of the compact model
	incV  float64
	nodes int
	// pruned is the least bound of the nodes pruned because they could
	// not improve the incumbent by more than the tolerance: what the
	// search proves is no more than it.
	pruned float64
	// prog reports the incumbent and the bound of the main search (not
	// of a lexicographic first stage, whose objective is another); nil:
	// no report.
	prog *gst.ProgressReporter
	// budRows are the budget rows of rel; leaves records the nodes the
	// search closed or left open (see tree).
	budRows []int
	leaves  []leaf
	// eval values networks for the local search (see evaluator); built
	// on first use.
	eval *evaluator
	// rootCut says that the root's rounds ended at their share of the
	// time (see solveRoot).
	rootCut bool
	// levelBound is, once the root is solved (in the main search and in
	// a level of the frontier), the root's bound: the local search stops
	// as soon as the incumbent is within the gap tolerance of it (-Inf
	// before).
	levelBound float64
	// improvedV is the incumbent's value when the local search last
	// ended from it (NaN before): improve from the same incumbent finds
	// nothing new.
	improvedV float64
	// evalLimit, when positive, bounds the networks the local search
	// values instead of maxImproveSolves (see descend).
	evalLimit int
	// towardOnly limits the local search's moves to those toward the
	// relaxation (see levelSearch).
	towardOnly bool
	// borrowed says that the master starts from the basis of another
	// level's root (see startMaster).
	borrowed bool
}

// solveBnB solves a model exactly by an LP-based branch and bound: the
// relaxation of every node gives its bound; relax-and-fix from the root
// gives a first programme; nodes are explored best bound first, branching
// on sites, then services, then modules, earliest period first. It stops
// when the gap closes within the tolerance or the deadline passes, and
// returns the best programme with the least bound over the open nodes.
// The relaxation is the compact model's, or the Benders master's when the
// model decomposes (see decompose).
func (r *run) solveBnB(md *model) (*result, error) {
	s := r.newSearch(md)
	defer s.releaseEvaluator()
	rx := s.rx
	var bound float64
	pb := r.partsBound(md)
	if s.offerParts(pb) {
		// The parts' programmes together are within the tolerance of
		// their bounds: the whole model's root is not needed.
		s.leaves = append(s.leaves, leaf{bound: pb})
		bound = pb
	} else if w := r.warm; w != nil && w.sameModel(md.o, s.rel.NumVars()) {
		s.startMaster()
		b, err := s.warmStart(w)
		if err != nil {
			return nil, err
		}
		bound = b
	} else {
		root, err := s.rootStart()
		switch {
		case err == nil:
			q := &nodeQueue{{bound: root.Objective, slack: budgetSlack(s.rel, s.budRows, root.X), id: 0}}
			bound = s.explore(q, root)
		case s.stoppedWithProgramme():
			// The deadline passed within the root's rounds of cuts: the
			// programme given keeps the bound the rounds proved.
			bound, _ = rx.partial()
			s.leaves = append(s.leaves, leaf{bound: bound})
		default:
			return nil, err
		}
	}
	bound = math.Max(bound, pb)
	r.keepCuts(rx, md.o)
	if r.keepTree {
		r.tree = &tree{o: md.o, columns: s.rel.NumVars(), leaves: s.leaves}
	}
	if br, ok := rx.(*bendersRelaxation); ok {
		br.addStats(&r.stats)
		if br.failures > 0 {
			r.note("lp_solve failed numerically on %d master linear programmes; each time the search went on from the round before, without that round's cuts (its bounds hold, and may be weaker)", br.failures)
		}
		if br.blockFailures > 0 {
			r.note("lp_solve failed numerically on a block's linear programme in %d rounds of cuts; each time the round took its cuts at the master's point, or the rounds ended with the master's bound (it holds, and may be weaker)", br.blockFailures)
		}
	}
	return s.result(bound)
}

// newSearch sets up the search of md over the relaxation the options ask
// for, with the seeds that keep md's rules as its first incumbent.
func (r *run) newSearch(md *model) *search {
	rx := r.relaxationOf(md)
	s := &search{r: r, md: md, rx: rx, rel: rx.root(), incV: math.Inf(1), pruned: math.Inf(1), levelBound: math.Inf(-1), improvedV: math.NaN()}
	if md.o.stage != unservedOnly {
		s.prog = r.prog
	}
	s.prio = mapPriorities(md.branchPriorities(), rx, s.rel.NumVars())
	s.budRows = budgetRows(md, rx)
	for _, seed := range r.seeds {
		if len(seed.x) == md.m.NumVars() && violation(md.m, seed.x) <= 1e-6 {
			s.offer(seed.x)
		}
	}
	return s
}

// stoppedWithProgramme reports whether the run was stopped while the
// search holds a programme and its relaxation a partial bound.
func (s *search) stoppedWithProgramme() bool {
	_, ok := s.rx.partial()
	return ok && s.inc != nil && (s.r.ctx.Err() != nil || s.rootCut)
}

// closes reports whether the incumbent prunes every node of q.
func (s *search) closes(q nodeQueue) bool {
	if s.inc == nil {
		return false
	}
	tol := s.r.opt.GapTolerance
	for _, n := range q {
		if n.bound < s.incV-tol*math.Max(1e-9, math.Abs(s.incV)) {
			return false
		}
	}
	return true
}

// rootStart solves the root's relaxation and offers the programmes that
// relax-and-fix finds from it (see roundRoot), unless the root already
// closes the gap.
//
// A decomposition's root is solved first without the lazy rows (the
// staff roundings), whose rounds of cuts take longer, and its point is
// rounded by the first of fixModes and the local search; then, unless a
// programme already closes the gap, solved again with them, from the
// cuts it holds, for the bound the search goes on from, and that root is
// rounded by the other fixModes and the local search from its point. The
// first programmes come sooner, and the heuristics round the relaxation
// of the rules as written first; the tighter root, nearer a programme,
// then gives the local search other starts.
func (s *search) rootStart() (*lp.Solution, error) {
	br, benders := s.rx.(*bendersRelaxation)
	tighten := benders && br.d.hasLazy()
	br.setLazyOff(tighten)
	root, err := s.solveRoot()
	br.setLazyOff(false)
	if err != nil {
		return nil, err
	}
	s.levelBound = root.Objective
	s.r.keepRoot(s.rx, s.md.o)
	modes := fixModes
	if tighten {
		if err := s.roundRoot(root, modes[:1]); err != nil {
			return nil, err
		}
		if s.closedBy(root.Objective, s.r.opt.GapTolerance) {
			return root, nil
		}
		if root, err = s.tightenRoot(br, root); err != nil {
			return nil, err
		}
		modes = modes[1:]
	}
	return root, s.roundRoot(root, modes)
}

// tightenRoot solves the root's relaxation again with the lazy rows and
// returns it, or root when the deadline ends its rounds first. Its rounds
// end as soon as their bound closes the gap to the programme held.
func (s *search) tightenRoot(br *bendersRelaxation, root *lp.Solution) (*lp.Solution, error) {
	if s.prog != nil {
		br.report = func(b float64) { s.prog.Report(math.NaN(), math.Max(b, root.Objective)/moneyScale) }
		defer func() { br.report = nil }()
	}
	tol := s.r.opt.GapTolerance
	br.closedAt = func(b float64) bool { return s.closedBy(b, tol) }
	defer func() { br.closedAt = nil }()
	tight, err := s.rx.solve(s.rel)
	if err != nil {
		if s.r.ctx.Err() != nil {
			return root, nil
		}
		return nil, err
	}
	if tight.Objective < root.Objective {
		return root, nil // the rows lift nothing here; keep the point rounded
	}
	s.levelBound = tight.Objective
	s.r.keepRoot(s.rx, s.md.o)
	return tight, nil
}

// roundRoot offers the programmes that relax-and-fix finds from the
// root's point with each of modes, then those improve finds from the
// best, until the incumbent closes the gap to the root's bound.
func (s *search) roundRoot(root *lp.Solution, modes []roundMode) error {
	if s.branchColumn(root.X) < 0 {
		// An integral root is a programme, and the search ends there.
		if x, err := s.rx.complete(root.X); err == nil {
			s.offer(x)
		}
	}
	if s.closedBy(root.Objective, s.r.opt.GapTolerance) {
		return nil
	}
	if s.evaluator() != nil {
		// The point rounded at once, valued by the evaluator: a programme
		// within seconds, which the deadline returns should relax-and-fix
		// not end before it (on the region, its passes of rounds of cuts
		// take minutes).
		// It is not the local search's start: that stays relax-and-fix's
		// programme (marked by improvedV).
		if x, _ := s.bestRounding(root.X); x != nil {
			s.offer(x)
			s.improvedV = s.incV
		}
	}
	for i, mode := range modes {
		if s.closedBy(root.Objective, s.r.opt.GapTolerance) {
			break
		}
		var fx []float64 // relax-and-fix's programme
		fixed, err := s.r.solveFixFrom(s.md, s.rx, cloneModel(s.rel), root.X, mode)
		if err == nil {
			if x, err := s.rx.complete(fixed); err == nil {
				s.offer(x)
				fx = x
			}
		} else if !errors.Is(err, gst.ErrInfeasible) && !errors.Is(err, gst.ErrNoSolution) && !errors.Is(err, gst.ErrUnbounded) {
			return err
		}
		// A pass that fails ends without a programme. Relax-and-fix
		// only fixes columns of the root's relaxation, which has an
		// optimum: a master it calls unbounded is lp_solve failing
		// numerically (seen on the region after 65,429 iterations).
		if i == 0 && s.evaluator() != nil && !s.closedBy(root.Objective, s.r.opt.GapTolerance) {
			// The evaluator makes the local search cheap next to a pass
			// of relax-and-fix: it runs on the first programme before
			// the other roundings (on relax-and-fix's when the local
			// search has already ended at the incumbent), pausing for
			// the other starts when it stops finding moves.
			d := s.firstDescent(fx, root.X)
			s.descendFromRoot(root.X, root.Objective)
			s.descendFromServices(root.X, root.Objective)
			s.resume(d, root.X, root.Objective)
			s.improvedV = s.incV
		}
	}
	if !s.closedBy(root.Objective, s.r.opt.GapTolerance) && s.incV != s.improvedV {
		s.improve(root.X)
	}
	return nil
}

// fixModes are the roundings relax-and-fix starts from at the root, each
// giving a programme: to the nearest, and opening only what the relaxation
// has more open (a rounding at a half opens, on the pilots' regions,
// programmes 0.5–1% dearer than one of the others, and which one wins
// varies).
var fixModes = []roundMode{roundNearest, 0.6, 0.7}

// nodeFixEvery is how often (in nodes) the search runs relax-and-fix from
// the node it has just solved: deeper in the tree the relaxation is closer
// to a programme, and rounding it finds programmes the root's do not.
const nodeFixEvery = 25

// fixFromNode offers the programme relax-and-fix finds from node n's
// relaxation, whose point is sol.
func (s *search) fixFromNode(n *bnbNode, sol *lp.Solution) {
	m := cloneModel(s.rel)
	for _, f := range n.fix {
		m.SetBounds(f.col, f.lo, f.hi)
	}
	fixed, err := s.r.solveFixFrom(s.md, s.rx, m, sol.X, roundNearest)
	if err != nil {
		return
	}
	if x, err := s.rx.complete(fixed); err == nil {
		s.offer(x)
	}
}

// solveRoot solves the root's relaxation. Every round of the root's cuts
// bounds the programme: each is reported while the first rounds run long
// (the rounds of relax-and-fix, with columns fixed, bound nothing).
//
// When the run has a deadline, the rounds get rootShare of the time
// left; a root that has not converged by then is rounded and valued with
// the evaluator (partialStart), and the search ends with the best
// programme held and the bound of the last round.
func (s *search) solveRoot() (*lp.Solution, error) {
	br, benders := s.rx.(*bendersRelaxation)
	if benders && s.prog != nil {
		br.report = func(b float64) { s.prog.Report(math.NaN(), b/moneyScale) }
		defer func() { br.report = nil }()
	}
	if !benders || !s.mayCutRoot() {
		return s.rx.solve(s.rel)
	}
	saved := s.r.ctx
	ctx, cancel := s.r.share(rootShare)
	s.r.ctx, br.cutAt, br.stallAt = ctx, testCutRootAt, testStallRootAt
	sol, err := s.rx.solve(s.rel)
	s.r.ctx, br.cutAt, br.stallAt = saved, nil, nil
	cancel()
	cut := errors.Is(err, errRootCut) || (err != nil && ctx.Err() != nil)
	if !cut || saved.Err() != nil || !br.lastOK {
		return sol, err
	}
	s.rootCut = true
	s.partialStart(br.lastX, roundsDone(br))
	return nil, err
}

// roundsDone says how many rounds of cuts br ran and, when the end of
// their time interrupted a master that had run a second or more, how long
// that master had run: on the national programme lp_solve fails on the
// 41st round's master from the 40th's basis and is still solving it from
// scratch minutes later, and the bound is then lp_solve's limit rather
// than the problem's.
func roundsDone(br *bendersRelaxation) string {
	n := fmt.Sprintf("%d rounds", br.rounds)
	if br.rounds == 1 {
		n = "1 round"
	}
	if br.stopped < time.Second {
		return n
	}
	return fmt.Sprintf("%s; the next round's master had run for %.0f s without an answer from lp_solve when the time ended", n, br.stopped.Seconds())
}

// rootShare is the share of the time left that the root's rounds of cuts
// get (see solveRoot): the region's root converges well within it, the
// national root's does not.
const rootShare = 0.8

// testCutRootAt, when set (by the tests), ends the root's rounds after
// the rounds it says, as the end of the root's share of the time does.
var testCutRootAt func(round int) bool

// testStallRootAt, when set (by the tests), holds the root's master at the
// rounds it says until the root's share of the time ends.
var testStallRootAt func(round int) bool

// mayCutRoot reports whether the root's rounds may end before they
// converge: in the main search, when the relaxation has an evaluator and
// the run a deadline (or a test ends the rounds); not in a warm-started
// search, whose leaves need their root.
func (s *search) mayCutRoot() bool {
	if !s.r.main || s.r.warm != nil || s.evaluator() == nil {
		return false
	}
	_, ok := s.r.ctx.Deadline()
	return ok || testCutRootAt != nil
}

// mapPriorities carries the compact model's branching priorities to the
// relaxation's columns.
func mapPriorities(compact []int, rx relaxation, n int) []int {
	out := make([]int, n)
	for j := range out {
		out[j] = -1
	}
	for j, p := range compact {
		if c := rx.col(j); c >= 0 && p >= 0 {
			out[c] = p
		}
	}
	return out
}

// explore runs the search and returns the least bound over what is left.
func (s *search) explore(q *nodeQueue, root *lp.Solution) float64 {
	r := s.r
	tol := r.opt.GapTolerance
	first := root
	for q.Len() > 0 {
		if r.ctx.Err() != nil || (r.opt.MaxNodes > 0 && s.nodes >= r.opt.MaxNodes) {
			break
		}
		n := heap.Pop(q).(*bnbNode)
		// Best bound first: no open node has a lower bound than n's.
		s.prog.Report(math.NaN(), math.Min(n.bound, s.pruned)/moneyScale)
		if s.prune(n.bound, tol) {
			s.leaves = append(s.leaves, leaf{fix: n.fix, bound: n.bound, slack: n.slack})
			continue
		}
		sol := first
		first = nil
		var start *lp.Basis
		if sol == nil {
			var err error
			if n.start != nil {
				s.rx.startFrom(n.start)
			}
			sol, err = s.solveNode(n)
			if err != nil {
				if errors.Is(err, gst.ErrInfeasible) {
					s.leaves = append(s.leaves, leaf{fix: n.fix, infeasible: true})
					continue
				}
				heap.Push(q, n) // stopped: keep its bound
				break
			}
			start = s.rx.lastBasis()
		}
		s.nodes++
		slack := budgetSlack(s.rel, s.budRows, sol.X)
		if s.prune(sol.Objective, tol) {
			s.leaves = append(s.leaves, leaf{fix: n.fix, bound: sol.Objective, slack: slack})
			continue
		}
		col := s.branchColumn(sol.X)
		if col < 0 {
			if x, err := s.rx.complete(sol.X); err == nil {
				s.offer(x)
			}
			s.leaves = append(s.leaves, leaf{fix: n.fix, bound: sol.Objective, slack: slack})
			continue
		}
		if s.nodes%nodeFixEvery == 0 {
			s.fixFromNode(n, sol)
		}
		v := sol.X[col]
		lo, hi := s.boundsAt(n, col)
		down := append(append([]colBound(nil), n.fix...), colBound{col, lo, math.Floor(v)})
		up := append(append([]colBound(nil), n.fix...), colBound{col, math.Ceil(v), hi})
		heap.Push(q, &bnbNode{fix: down, bound: sol.Objective, start: start, slack: slack, id: 2*s.nodes + 1})
		heap.Push(q, &bnbNode{fix: up, bound: sol.Objective, start: start, slack: slack, id: 2*s.nodes + 2})
	}
	bound := math.Min(s.incV, s.pruned)
	for _, n := range *q {
		bound = math.Min(bound, n.bound)
		s.leaves = append(s.leaves, leaf{fix: n.fix, bound: n.bound, slack: n.slack})
	}
	return bound
}

// prune reports whether a node whose bound is b cannot improve the
// incumbent by more than the tolerance.
func (s *search) prune(b, tol float64) bool {
	if !s.closedBy(b, tol) {
		return false
	}
	s.pruned = math.Min(s.pruned, b)
	return true
}

// closedBy reports whether the incumbent is within tol of the bound b.
func (s *search) closedBy(b, tol float64) bool {
	return !math.IsInf(s.incV, 1) && b >= s.incV-tol*math.Max(1e-9, math.Abs(s.incV))
}

// boundsAt returns a column's bounds at a node.
func (s *search) boundsAt(n *bnbNode, col int) (float64, float64) {
	lo, hi := s.rel.Bounds(col)
	for _, f := range n.fix {
		if f.col == col {
			lo, hi = f.lo, f.hi
		}
	}
	return lo, hi
}

// solveNode solves a node's relaxation.
func (s *search) solveNode(n *bnbNode) (*lp.Solution, error) {
	m := cloneModel(s.rel)
	for _, f := range n.fix {
		m.SetBounds(f.col, f.lo, f.hi)
	}
	if e, ok := s.rx.(roundsEnder); ok {
		// A round's bound holds for the node: once it closes the gap to
		// the incumbent the node is pruned, and its rounds need not go on.
		tol := s.r.opt.GapTolerance
		e.endRoundsAt(func(b float64) bool { return s.closedBy(b, tol) })
		defer e.endRoundsAt(nil)
	}
	return s.rx.solve(m)
}

// offer keeps x, a point of the compact model, as the incumbent when it
// is better.
func (s *search) offer(x []float64) {
	v := s.md.m.ObjValue(x)
	if v < s.incV {
		s.inc, s.incV = append([]float64(nil), x...), v
		s.prog.Report(v/moneyScale, math.NaN())
	}
}

// branchColumn returns the fractional integer column of least priority
// (most fractional among equals), or -1 when the point is integral.
func (s *search) branchColumn(x []float64) int {
	best, bestP, bestF := -1, math.MaxInt, 0.0
	for j, p := range s.prio {
		if p < 0 {
			continue
		}
		f := x[j] - math.Floor(x[j])
		frac := math.Min(f, 1-f)
		if frac <= 1e-6 {
			continue
		}
		if p < bestP || (p == bestP && frac > bestF+1e-12) {
			best, bestP, bestF = j, p, frac
		}
	}
	return best
}

func (s *search) result(bound float64) (*result, error) {
	r := s.r
	r.stats.Nodes += int64(s.nodes)
	if s.inc == nil {
		if r.ctx.Err() != nil {
			return nil, errNoProgramme(r)
		}
		if !math.IsInf(bound, 1) {
			return nil, fmt.Errorf("programme: %w: the node limit (%d) was reached before any programme was found", gst.ErrNoSolution, r.opt.MaxNodes)
		}
		return nil, gst.ErrInfeasible
	}
	res := &result{md: s.md, rx: s.rx, x: s.inc, value: s.incV / moneyScale, bound: math.Min(bound, s.incV) / moneyScale, status: gst.StatusOptimal}
	if gst.Gap(res.value, res.bound) > r.opt.GapTolerance {
		res.status = gst.StatusFeasible
		if r.ctx.Err() != nil || s.rootCut {
			res.status = r.stopped()
		}
	}
	return res, nil
}

// branchPriorities ranks the integer columns for branching: sites, then
// services, then modules, then single-source assignments, earlier periods
// first; -1 for continuous columns.
func (md *model) branchPriorities() []int {
	prio := make([]int, md.m.NumVars())
	for j := range prio {
		prio[j] = -1
	}
	for p := 0; p < md.np; p++ {
		md.eachInt(p, func(col, class int) {
			if col >= 0 {
				prio[col] = class*1000 + p
			}
		})
	}
	return prio
}

// violation is the largest violation by x of a row or a bound of m.
func violation(m *lp.Model, x []float64) float64 {
	var v float64
	for j := 0; j < m.NumVars(); j++ {
		lo, hi := m.Bounds(j)
		v = math.Max(v, math.Max(lo-x[j], x[j]-hi))
	}
	for i := 0; i < m.NumRows(); i++ {
		a := m.RowActivity(i, x)
		sense, rhs := m.RowSense(i), m.RHS(i)
		scale := math.Max(1, math.Abs(rhs))
		switch sense {
		case lp.LE:
			v = math.Max(v, (a-rhs)/scale)
		case lp.GE:
			v = math.Max(v, (rhs-a)/scale)
		case lp.EQ:
			v = math.Max(v, math.Abs(a-rhs)/scale)
		}
	}
	return v
}
