package programme

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// relaxation is what the branch and bound searches: a linear relaxation of
// the programme, in its own columns.
type relaxation interface {
	// root returns the relaxation to clone for the nodes.
	root() *lp.Model
	// solve returns a node's bound and point.
	solve(m *lp.Model) (*lp.Solution, error)
	// complete returns the compact model's point of an integral point of
	// the relaxation: the integer columns rounded, the rest optimal.
	complete(x []float64) ([]float64, error)
	// col maps a compact column to the relaxation's (-1 when absent).
	col(j int) int
	// row maps a compact row to the relaxation's (-1 when absent).
	row(i int) int
	// compact reports whether the relaxation is the compact model's.
	compact() bool
	// partial returns a bound of the last relaxation whose solve was
	// stopped before it finished: the last round's, or the columns'
	// bounds' when no round finished.
	partial() (float64, bool)
	// duals solves the relaxation with the bounds fix sets (on the
	// relaxation's columns, col mapping the compact model's) and returns
	// the dual of each of the compact model's rows that it keeps (0 for
	// the others).
	duals(fix func(m *lp.Model, col func(int) int)) (func(row int) float64, error)
	// loosen, while on, lets solve stop its rounds of cuts at the gap
	// tolerance rather than a tenth of it: for the points that the
	// heuristics round, whose programmes are valued again exactly.
	loosen(on bool)
	// lastBasis returns the basis the last solve ended with (nil when
	// none), and startFrom makes the next solve start from b: a node's
	// children start from its basis (see explore).
	lastBasis() *lp.Basis
	startFrom(b *lp.Basis)
}

// relaxationOf returns the relaxation the options ask for: the Benders
// master when the method is Auto or Benders and the model decomposes, the
// compact model otherwise.
func (r *run) relaxationOf(md *model) relaxation {
	if r.opt.Method == Auto || r.opt.Method == Benders {
		if !md.singleSource() {
			if d := md.decomposition(); d != nil {
				b := &bendersRelaxation{r: r, d: d}
				b.pool = r.cutsFor(md.o, d.master.NumVars())
				return b
			}
		}
	}
	return &compactRelaxation{r: r, md: md}
}

// poolKey names the shape of a model's master: models of one shape (the
// same periods and parts, whatever the budgets or bounds) share their
// columns, and Benders cuts are valid in all of them.
type poolKey struct {
	last            int
	noStaff, today  bool
	stage           stage
	elastic, lexCap bool
	columns         int
}

func keyOf(o buildOpts, columns int) poolKey {
	return poolKey{last: o.last, noStaff: o.noStaff, today: o.today, stage: o.stage, elastic: o.elastic, lexCap: o.unservedCap > 0, columns: columns}
}

// cutsFor returns a copy of the cuts an earlier search of a master of the
// same shape kept: a warm start for related solves (the frontier, the
// decisions reversed).
func (r *run) cutsFor(o buildOpts, columns int) []*poolCut {
	var out []*poolCut
	for _, pc := range r.pools[keyOf(o, columns)] {
		out = append(out, &poolCut{c: pc.c})
	}
	return out
}

// keepCuts remembers a search's cuts for later searches of the same shape.
func (r *run) keepCuts(rx relaxation, o buildOpts) {
	b, ok := rx.(*bendersRelaxation)
	if !ok {
		return
	}
	if r.pools == nil {
		r.pools = map[poolKey][]*poolCut{}
	}
	r.pools[keyOf(o, b.d.master.NumVars())] = append([]*poolCut(nil), b.pool...)
}

func (md *model) singleSource() bool {
	for s := range md.in.svc {
		if md.in.svc[s].rule.SingleSource {
			return true
		}
	}
	return false
}

// compactRelaxation is the compact model's linear relaxation.
type compactRelaxation struct {
	r     *run
	md    *model
	basis *lp.Basis
}

func (c *compactRelaxation) root() *lp.Model { return relax(c.md.m) }
func (c *compactRelaxation) col(j int) int   { return j }
func (c *compactRelaxation) row(i int) int   { return i }
func (c *compactRelaxation) compact() bool   { return true }
func (c *compactRelaxation) loosen(bool)     {}

func (c *compactRelaxation) lastBasis() *lp.Basis  { return c.basis }
func (c *compactRelaxation) startFrom(b *lp.Basis) { c.basis = b }

func (c *compactRelaxation) partial() (float64, bool) { return trivialBound(c.md.m) }

// trivialBound is the least value of m's objective over its columns'
// bounds alone: the bound of a relaxation stopped before it could prove
// a better one. ok is false when it is not finite.
func trivialBound(m *lp.Model) (float64, bool) {
	v := m.ObjConstant()
	for j := 0; j < m.NumVars(); j++ {
		lo, hi := m.Bounds(j)
		if c := m.Obj(j); c > 0 {
			v += c * lo
		} else if c < 0 {
			v += c * hi
		}
	}
	return v, !math.IsInf(v, 0) && !math.IsNaN(v)
}

func (c *compactRelaxation) solve(m *lp.Model) (*lp.Solution, error) {
	sol, err := c.r.lpFrom(m, c.basis)
	if err == nil && sol.Basis != nil {
		c.basis = sol.Basis
	}
	return sol, err
}

func (c *compactRelaxation) duals(fix func(m *lp.Model, col func(int) int)) (func(int) float64, error) {
	m := relax(c.md.m)
	fix(m, c.col)
	sol, err := lp.Solve(c.r.ctx, m, &lp.Options{Duals: true})
	if err != nil {
		return nil, err
	}
	if sol.Duals == nil {
		return nil, fmt.Errorf("programme: %w: no duals", gst.ErrNoSolution)
	}
	return func(row int) float64 { return sol.Duals[row] }, nil
}

// complete solves the relaxation with the integer columns fixed at their
// rounded values, so that the continuous part agrees with whole decisions.
func (c *compactRelaxation) complete(x []float64) ([]float64, error) {
	m := relax(c.md.m)
	for j := 0; j < m.NumVars(); j++ {
		if c.md.m.VarKind(j).IsInteger() {
			v := math.Round(x[j])
			m.SetBounds(j, v, v)
		}
	}
	sol, err := c.solve(m)
	if err != nil {
		return nil, err
	}
	return sol.X, nil
}

// bendersRelaxation is the Benders master's linear relaxation: each node's
// relaxation is solved with cuts from the blocks until none is violated.
type bendersRelaxation struct {
	r     *run
	d     *decomposition
	rel   *lp.Model // the master's relaxation, without cuts
	basis *lp.Basis
	pool  []*poolCut

	rounds                int
	masterTime, blockTime time.Duration
	// last is the master's objective at the last round of the current
	// node (a bound on it: the master with fewer cuts is a relaxation);
	// lastOK says a round finished.
	last   float64
	lastOK bool
	// lastX is the master's point at the last round that finished (of
	// any node).
	lastX []float64
	// report, when set, receives the bound of every round (the root's:
	// a bound of the whole programme).
	report func(bound float64)
	// loose, set by loosen, stops the rounds at the gap tolerance.
	loose bool
	// failures counts the masters lp_solve failed on (see solveCuts).
	failures int
	// blockFailures counts the rounds in which lp_solve failed on a
	// block (see solveCuts and separate).
	blockFailures int
	// between counts the rounds whose cuts came from the blocks solved
	// between the master's point and the stability centre (see separate).
	between int
	// stopped is how long the master that the end of the rounds' time
	// interrupted had run, 0 when the time did not end in a master.
	stopped time.Duration
	// cutAt, when set (by the tests, at the root), ends the rounds after
	// the rounds it says, as the root's share of the time does.
	cutAt func(round int) bool
	// stallAt, when set (by the tests, at the root), holds the master's
	// solve at the rounds it says until the rounds' time ends, as a
	// master that lp_solve does not finish does.
	stallAt func(round int) bool
	// closedAt, when set, ends the rounds at the first whose bound it
	// accepts (a frontier level's root, once its bound closes the gap
	// to the programme held): the bound holds, the point is not the
	// relaxation's optimum.
	closedAt func(bound float64) bool
}

// errRootCut ends the root's rounds of cuts before they converge (see
// solveRoot).
var errRootCut = fmt.Errorf("programme: %w: the root's rounds of cuts were ended before they converged", gst.ErrNoSolution)

func (b *bendersRelaxation) partial() (float64, bool) {
	if b.lastOK {
		return b.last, true
	}
	b.root() // sets b.rel; the bound needs no copy of it
	return trivialBound(b.rel)
}

func (b *bendersRelaxation) root() *lp.Model {
	if b.rel == nil {
		b.rel = relax(b.d.master)
	}
	return cloneModel(b.rel)
}

// addStats adds the decomposition's figures to st.
func (b *bendersRelaxation) addStats(st *ModelStats) {
	st.Blocks = max(st.Blocks, len(b.d.blocks))
	st.CutRounds += b.rounds
	st.Cuts += b.d.cuts
	st.MasterTime += b.masterTime
	st.BlockTime += b.blockTime
}

// setLazyOff leaves the lazy rows out of the relaxation while on (see
// decomposition.lazyOff); b may be nil.
func (b *bendersRelaxation) setLazyOff(on bool) {
	if b != nil {
		b.d.lazyOff = on
	}
}

func (b *bendersRelaxation) col(j int) int  { return b.d.mcol[j] }
func (b *bendersRelaxation) row(i int) int  { return b.d.mrow[i] }
func (b *bendersRelaxation) compact() bool  { return false }
func (b *bendersRelaxation) loosen(on bool) { b.loose = on }

// roundsEnder is a relaxation whose rounds of cuts may end at the first
// round whose bound a test accepts (see bendersRelaxation.closedAt).
type roundsEnder interface {
	endRoundsAt(closed func(bound float64) bool)
}

func (b *bendersRelaxation) endRoundsAt(closed func(float64) bool) { b.closedAt = closed }

func (b *bendersRelaxation) lastBasis() *lp.Basis  { return b.basis }
func (b *bendersRelaxation) startFrom(s *lp.Basis) { b.basis = s }

// cutTolerance is the relative shortfall of θ below a block's value at
// which a cut is added.
const cutTolerance = 1e-7

// maxCutRounds bounds the rounds of cuts at one node.
const maxCutRounds = 400

// poolCut is a cut of the pool with the rounds since it last bound.
type poolCut struct {
	c   cut
	age int
}

// maxCutAge is how many rounds a cut may stay slack before it leaves the
// pool (it is valid everywhere, so dropping it only weakens the bound
// until it is found again).
const maxCutAge = 8

// maxPool is the size of the cut pool above which slack cuts leave it:
// 600 cuts, or half the master's rows when that is more. A pool too small
// for the model drops cuts that bind again a few rounds later, and the
// root then cycles (the region's root lost bound from round 40 to round
// 144 with 600).
func (b *bendersRelaxation) maxPool() int {
	return max(600, b.rel.NumRows()/2)
}

// solve solves a node's master relaxation with the pool's cuts, adds the
// cuts its point violates to the pool, and solves again until the blocks'
// values exceed the master's estimates by less than a tenth of the gap
// tolerance in all (the relaxation is then as good as solved for the
// search), or maxCutRounds rounds. The bound is valid at every round; the
// point is the last round's. The node's model is not changed.
func (b *bendersRelaxation) solve(node *lp.Model) (*lp.Solution, error) {
	sol, _, err := b.solveCuts(node)
	return sol, err
}

func (b *bendersRelaxation) solveCuts(node *lp.Model) (*lp.Solution, *lp.Model, error) {
	b.root()
	m := cloneModel(node)
	base := m.NumRows()
	if len(b.pool) > b.maxPool() {
		// Dropping cuts changes the rows, and the next solve starts cold:
		// only when the pool has grown large.
		kept := b.pool[:0]
		for _, pc := range b.pool {
			if pc.age <= maxCutAge {
				kept = append(kept, pc)
			}
		}
		b.pool = kept
	}
	active := append([]*poolCut(nil), b.pool...)
	for _, pc := range active {
		m.AddRow("", pc.c.cols, pc.c.coefs, lp.GE, pc.c.rhs)
	}
	var sol, prev *lp.Solution
	var centre []float64 // the stability centre (see separate)
	added := 0
	b.lastOK, b.stopped = false, 0
	for round := 0; round < maxCutRounds; round++ {
		var err error
		t0 := time.Now()
		if b.stallAt != nil && b.stallAt(round) {
			<-b.r.ctx.Done()
		}
		sol, err = b.r.lpFrom(m, b.basis)
		if err == nil && failMasterAt != nil && failMasterAt(round) {
			err = fmt.Errorf("programme: %w: a master failed (test)", gst.ErrNoSolution)
		}
		took := time.Since(t0)
		b.masterTime += took
		if err != nil && b.r.ctx.Err() != nil {
			b.stopped = took
		}
		if err != nil {
			if prev == nil || !errors.Is(err, gst.ErrNoSolution) || b.r.ctx.Err() != nil {
				return nil, nil, err
			}
			// lp_solve failed numerically on the master with the last
			// round's cuts (seen as ACCURACYERROR, after every retry):
			// the round before is a relaxation of the node, its bound
			// valid, and the search goes on from it without those cuts.
			return prev, b.dropLast(node, &active, added), nil
		}
		b.last, b.lastOK, b.lastX = sol.Objective, true, sol.X
		if b.report != nil {
			b.report(sol.Objective)
		}
		if sol.Basis != nil {
			b.basis = sol.Basis
		}
		if b.closedAt != nil && b.closedAt(sol.Objective) {
			return sol, m, nil
		}
		ageCuts(m, base, active, sol.X)
		t0 = time.Now()
		var cuts []cut
		var short float64
		cuts, short, centre, err = b.separate(sol.X, sol.Objective, centre)
		b.blockTime += time.Since(t0)
		b.rounds++
		if err != nil && errors.Is(err, gst.ErrNoSolution) && b.r.ctx.Err() == nil {
			// lp_solve failed numerically on a block at the master's
			// point, after every retry (seen once, on the region): the
			// master's bound holds, and the rounds end with it.
			b.blockFailures++
			return sol, m, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if len(cuts) == 0 || short <= b.enough()*math.Max(1e-9, math.Abs(sol.Objective)) {
			return sol, m, nil
		}
		if b.cutAt != nil && b.cutAt(round) {
			return nil, nil, errRootCut
		}
		for _, c := range cuts {
			pc := &poolCut{c: c}
			b.pool = append(b.pool, pc)
			active = append(active, pc)
			m.AddRow("", c.cols, c.coefs, lp.GE, c.rhs)
			b.d.cuts++
		}
		prev, added = sol, len(cuts)
	}
	return sol, m, nil
}

// failMasterAt, when set (by the tests), fails the master's solve at the
// rounds it says.
var failMasterAt func(round int) bool

// failBlocksAt, when set (by the tests), fails the blocks' solves of the
// rounds it says (the relaxation's count of rounds), at the point between
// the master's and the stability centre (between) or at the master's.
var failBlocksAt func(round int, between bool) bool

// dropLast takes the last n cuts out of the pool and the active list and
// returns the node's model with the cuts left.
func (b *bendersRelaxation) dropLast(node *lp.Model, active *[]*poolCut, n int) *lp.Model {
	b.pool = b.pool[:len(b.pool)-n]
	*active = (*active)[:len(*active)-n]
	m := cloneModel(node)
	for _, pc := range *active {
		m.AddRow("", pc.c.cols, pc.c.coefs, lp.GE, pc.c.rhs)
	}
	b.failures++
	return m
}

// enough is the share of the master's objective by which the blocks'
// values may exceed its estimates when the rounds stop: a tenth of the gap
// tolerance, the gap tolerance when loosened.
func (b *bendersRelaxation) enough() float64 {
	if b.loose {
		return b.r.opt.GapTolerance
	}
	return 0.1 * b.r.opt.GapTolerance
}

// ageCuts counts a round for every active cut that does not bind at x.
func ageCuts(m *lp.Model, base int, active []*poolCut, x []float64) {
	for k, pc := range active {
		slack := m.RowActivity(base+k, x) - pc.c.rhs
		if slack > 1e-9*(1+math.Abs(pc.c.rhs)) {
			pc.age++
		} else {
			pc.age = 0
		}
	}
}

// duals solves the master's relaxation with the bounds fix sets, with cuts
// until none is violated, and returns the duals of the master's rows by
// the compact rows they come from.
func (b *bendersRelaxation) duals(fix func(m *lp.Model, col func(int) int)) (func(int) float64, error) {
	node := b.root()
	fix(node, b.col)
	_, m, err := b.solveCuts(node)
	if err != nil {
		return nil, err
	}
	sol, err := lp.Solve(b.r.ctx, m, &lp.Options{Duals: true})
	if err != nil {
		return nil, err
	}
	if sol.Duals == nil {
		return nil, fmt.Errorf("programme: %w: no duals", gst.ErrNoSolution)
	}
	return func(row int) float64 {
		if i := b.d.mrow[row]; i >= 0 {
			return sol.Duals[i]
		}
		return 0
	}, nil
}

// blockResult is the evaluation of one block at a master point.
type blockResult struct {
	value    float64
	x        []float64
	c        cut
	feasible bool
	err      error
}

// evaluateAll solves every block at the master point xm, in parallel; the
// results are in block order.
func (b *bendersRelaxation) evaluateAll(xm []float64) []blockResult {
	d := b.d
	out := make([]blockResult, len(d.blocks))
	workers := min(runtime.GOMAXPROCS(0), len(d.blocks))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				v, x, c, ok, err := d.evaluate(b.r.ctx, d.blocks[i], xm)
				out[i] = blockResult{value: v, x: x, c: c, feasible: ok, err: err}
			}
		}()
	}
	for i := range d.blocks {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// stabilization is the weight of the master's point in the point where
// a round's blocks are solved (in-out stabilization, Ben-Ameur and Neto
// 2007): between the master's point and the stability centre, the point
// the round before solved them at. The master's points of a degenerate
// master jump from one vertex to another far away, and the cuts found at
// each are tight there only; those found nearer the centre cut off the
// master's point as well and stay useful longer. On the synthetic region
// (`progbench -spec region -gap 0.01`) the search's rounds of cuts went
// from 197 to 113 and its masters' time from 137 s to 38 s, the half
// region's from 39 to 21, and the nation's bound at 10 minutes from 1,051
// to 1,160 million MAD; Fès-Meknès's search takes 27 rounds instead of
// 25, Tanger's 20 instead of 22. At 1 the blocks are solved at the
// master's point (Kelley's rounds); it is a variable so that the tests
// can compare the two.
var stabilization = 0.7

// separate returns the cuts of a round at the master's point x, of
// objective obj, with the stability centre centre (nil at a node's first
// round): the cuts of the blocks solved between centre and x that x
// violates, when they fall short of x by more than the rounds' stopping
// test allows (see enough); else those of the blocks solved at x (see
// violated). It also returns by how much the blocks' values exceed the
// master's estimates at x (+Inf when the cuts come from the point
// between, which measures nothing at x) and the next round's centre.
func (b *bendersRelaxation) separate(x []float64, obj float64, centre []float64) ([]cut, float64, []float64, error) {
	if centre == nil || stabilization >= 1 {
		cuts, short, err := b.violated(x)
		return cuts, short, slices.Clone(x), err
	}
	sep := make([]float64, len(x))
	for j := range x {
		sep[j] = stabilization*x[j] + (1-stabilization)*centre[j]
	}
	cuts, short, err := b.cutsAt(sep, x)
	if err != nil && (!errors.Is(err, gst.ErrNoSolution) || b.r.ctx.Err() != nil) {
		return nil, 0, nil, err
	}
	if err != nil {
		// lp_solve failed on a block at the point between: the round
		// solves the blocks at the master's point instead.
		b.blockFailures++
		cuts = nil
	}
	if len(cuts) > 0 && short > b.enough()*math.Max(1e-9, math.Abs(obj)) {
		b.between++
		return cuts, math.Inf(1), sep, nil
	}
	cuts, short, err = b.violated(x)
	return cuts, short, sep, err
}

// cutsAt returns the cuts of the blocks (and the lazy rows) at the point
// sep that the master's point x violates, and by how much they fall short
// at x in all.
func (b *bendersRelaxation) cutsAt(sep, x []float64) ([]cut, float64, error) {
	if failBlocksAt != nil && failBlocksAt(b.rounds, true) {
		return nil, 0, fmt.Errorf("programme: %w: a block failed (test)", gst.ErrNoSolution)
	}
	all := b.d.violatedLazy(sep)
	for _, res := range b.evaluateAll(sep) {
		if res.err != nil {
			return nil, 0, stopErr(b.r, res.err)
		}
		all = append(all, res.c)
	}
	var out []cut
	var short float64
	for _, c := range all {
		if v := c.at(x); v < c.rhs-cutTolerance*math.Max(1, math.Abs(c.rhs)) {
			out = append(out, c)
			short += c.rhs - v
		}
	}
	return out, short, nil
}

// violated returns the cuts that the master point xm violates and by how
// much the blocks' values exceed the master's estimates in all (+Inf when
// a block is infeasible, or when xm violates a lazy row).
func (b *bendersRelaxation) violated(xm []float64) ([]cut, float64, error) {
	if failBlocksAt != nil && failBlocksAt(b.rounds, false) {
		return nil, 0, fmt.Errorf("programme: %w: a block failed (test)", gst.ErrNoSolution)
	}
	cuts := b.d.violatedLazy(xm)
	var short float64
	if len(cuts) > 0 {
		short = math.Inf(1)
	}
	for i, res := range b.evaluateAll(xm) {
		if res.err != nil {
			return nil, 0, stopErr(b.r, res.err)
		}
		blk := b.d.blocks[i]
		switch {
		case !res.feasible:
			cuts = append(cuts, res.c)
			short = math.Inf(1)
		case xm[blk.theta] < res.value-cutTolerance*math.Max(1, math.Abs(res.value)):
			cuts = append(cuts, res.c)
			short += res.value - xm[blk.theta]
		}
	}
	return cuts, short, nil
}

// lazyTolerance is the violation, relative to its right-hand side, by
// which a lazy row is added to the master.
const lazyTolerance = 1e-6

// violatedLazy returns the lazy rows that xm violates.
func (d *decomposition) violatedLazy(xm []float64) []cut {
	if d.lazyOff {
		return nil
	}
	var out []cut
	for _, c := range d.lazy {
		if c.at(xm) < c.rhs-lazyTolerance*(1+math.Abs(c.rhs)) {
			out = append(out, c)
		}
	}
	return out
}

// stopErr turns a block's error into the run's: a stop of the run
// becomes gst.ErrNoSolution with the run's status; any other failure is
// returned as it is, never reported as a time limit.
func stopErr(r *run, err error) error {
	if r.ctx.Err() != nil {
		return errNoProgramme(r)
	}
	return err
}

// complete evaluates the blocks at the integral master point xm (integer
// columns rounded) and assembles the compact model's point.
func (b *bendersRelaxation) complete(xm []float64) ([]float64, error) {
	d := b.d
	xm = append([]float64(nil), xm...)
	for j := 0; j < d.master.NumVars(); j++ {
		if d.master.VarKind(j).IsInteger() {
			xm[j] = math.Round(xm[j])
		}
	}
	x := make([]float64, d.md.m.NumVars())
	for j, c := range d.mcol {
		if c >= 0 {
			x[j] = xm[c]
		}
	}
	for i, res := range b.evaluateAll(xm) {
		if res.err != nil {
			return nil, stopErr(b.r, res.err)
		}
		if !res.feasible {
			return nil, gst.ErrInfeasible
		}
		for k, j := range d.blocks[i].cols {
			x[j] = res.x[k]
		}
	}
	return x, nil
}
