package programme

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// The decomposition (Benders) splits a compact model by its columns: the
// master keeps the integer decisions (sites, services, modules) and the
// recruits; each block is a linear programme that the master's decisions
// parametrise: the assignment of one service's demand in one period, the
// pooling of one category in one period. The master carries one column θ
// per block, bounded below by cuts from the blocks' duals, so that the
// master's optimum equals the compact model's. Rows that couple blocks
// (the running budgets hold the cost of pooling) are rewritten with θ when
// a block's part of the row is proportional to its objective, and the
// blocks merged otherwise.

// dblock is one block of a decomposition.
type dblock struct {
	evals   int
	elapsed time.Duration
	flow    *flowBlock  // the block as a transportation problem, when it is one
	cols    []int       // compact columns, in order
	rows    []dblockRow // block rows, the lazy ones last
	theta   int         // the master's column θ
	lb      float64     // lower bound of θ
	last    *blockEval  // the last evaluation, by its right-hand sides
	// all is the block's linear programme with every row; kept, when
	// the block has lazy rows, is the same without them, solved while
	// they are off (see lazyOff): its rows are all's first.
	all, kept *blockLP
}

// blockLP is a block's linear programme with its phase one and the last
// optimal basis it was solved to.
type blockLP struct {
	m      *lp.Model
	phase1 *lp.Model // the same rows with slacks, to measure infeasibility
	basis  *lp.Basis
}

// lpOf returns the linear programme of block b the relaxation solves now:
// without the lazy rows while they are off. Its rows are the first of
// b.rows.
func (d *decomposition) lpOf(b *dblock) *blockLP {
	if d.lazyOff && b.kept != nil {
		return b.kept
	}
	return b.all
}

// blockEval is an evaluation of a block: the right-hand sides it was
// solved with (and whether without the lazy rows), and its answer. The
// block's value and cut depend on the master point only through the
// right-hand sides, so an evaluation with the same ones gives the same
// answer.
type blockEval struct {
	rhs      []float64
	lazyOff  bool
	value    float64
	x        []float64
	c        cut
	feasible bool
}

// dblockRow is a compact row of a block: block part (sense) rhs − master
// part, the master part written in master columns.
type dblockRow struct {
	row    int
	sense  lp.Sense
	rhs    float64
	mcols  []int // master columns
	mcoefs []float64
	lazy   bool // a lazy row of the model
}

// decomposition is a compact model split into a master and blocks.
type decomposition struct {
	md       *model
	colBlock []int // compact column → block, -1 for the master
	mcol     []int // compact column → master column, -1 in a block
	mrow     []int // compact row → master row, -1 in a block
	local    []int // compact column → index in its block's sub
	blocks   []*dblock
	master   *lp.Model
	cuts     int
	// lazy are the model's lazy rows with only master columns, as cuts
	// (≥), which the master takes when its point violates them.
	lazy []cut
	// lazyOff, while set, leaves the lazy rows out: the master takes
	// none, and the blocks are solved without theirs. The relaxation is
	// then the model's without them (weaker, so its cuts hold with them
	// too).
	lazyOff bool
}

// rhsOf returns the right-hand side of block b's row i at the master
// point xm: 0 for a lazy row while they are off (it is not solved then,
// see lpOf).
func (d *decomposition) rhsOf(b *dblock, i int, xm []float64) float64 {
	if r := &b.rows[i]; r.lazy && d.lazyOff {
		return 0
	}
	return b.rows[i].rhsAt(xm)
}

// hasLazy reports whether the model has lazy rows.
func (d *decomposition) hasLazy() bool {
	if len(d.lazy) > 0 {
		return true
	}
	for _, b := range d.blocks {
		for _, r := range b.rows {
			if r.lazy {
				return true
			}
		}
	}
	return false
}

// decompose splits md. It returns nil when the model has no block (every
// column in the master).
func decompose(md *model) *decomposition {
	d := &decomposition{md: md}
	n := md.m.NumVars()
	d.colBlock = make([]int, n)
	for j := range d.colBlock {
		d.colBlock[j] = -1
	}
	d.assignBlocks()
	if splitBlocks {
		d.splitConnected()
	}
	d.mergeCoupled()
	if len(d.blocks) == 0 {
		return nil
	}
	d.buildMaster()
	for _, b := range d.blocks {
		d.buildSub(b)
		b.flow = d.flowBlockOf(b)
	}
	return d
}

// assignBlocks gives the assignment columns of each (service, year) and
// the pooling columns of each (category, period) a block.
func (d *decomposition) assignBlocks() {
	md := d.md
	next := 0
	for s := range md.x {
		for t := 0; t < md.years(); t++ {
			used := false
			for a := range md.x[s] {
				for k := range md.x[s][a] {
					if c := md.x[s][a][k][t]; c >= 0 {
						d.colBlock[c], used = next, true
					}
				}
				if c := md.u[s][a][t]; c >= 0 {
					d.colBlock[c], used = next, true
				}
			}
			if used {
				next++
			}
		}
	}
	if md.pool == nil {
		return
	}
	small := int(smallBlockShare * float64(d.masterColumns()-md.poolColumns()))
	for c := range md.in.cats {
		for p := 0; p < md.np; p++ {
			var cols []int
			for k, a := range md.in.arcs {
				if a.cat == c && md.pool[k][p] >= 0 {
					cols = append(cols, md.pool[k][p])
				}
			}
			if len(cols) <= small {
				continue
			}
			for _, j := range cols {
				d.colBlock[j] = next
			}
			next++
		}
	}
}

// smallBlockShare is the size, as a share of the master's columns, up to
// which a category's pooling in a period stays in the master rather than
// becoming a block. A block's feasible set is known to the master only
// through the feasibility cuts it sends, one set of short sites at a time:
// a specialty with few staff and lenders (one nephrologist per dialysis
// unit) made its blocks infeasible at nearly every round of the region's
// root (681 of 900 feasibility cuts in 5 minutes were the nephrologists').
// In the master the same rows cost little and no round. (A variable for
// the tests.)
var smallBlockShare = 0.02

// poolColumns counts the pooling columns.
func (md *model) poolColumns() int {
	n := 0
	for k := range md.pool {
		for _, j := range md.pool[k] {
			if j >= 0 {
				n++
			}
		}
	}
	return n
}

// masterColumns counts the columns that no block holds so far.
func (d *decomposition) masterColumns() int {
	n := 0
	for _, b := range d.colBlock {
		if b < 0 {
			n++
		}
	}
	return n
}

// splitBlocks switches splitConnected on (a variable for the tests).
var splitBlocks = true

// splitConnected splits every block into the parts that no row joins: two
// columns of a block are in one part when a row holds both, or holds
// columns of parts that are. Each part is a block of its own, with its own
// θ and cuts (a block of the nation's pooling of a category is one part
// per region or less, each infeasible or short on its own: one cut of the
// whole block sums them and the master learns about one region at a time).
func (d *decomposition) splitConnected() {
	m := d.md.m
	uf := newUnionFind(len(d.colBlock))
	first := map[int]int{} // block → first column met in the row
	oc := d.objColumns()
	for i := 0; i < m.NumRows(); i++ {
		cols, coefs, _, _ := m.Row(i)
		if bs := d.rowBlocks(cols); len(bs) > 1 {
			if _, ok := d.proportional(cols, coefs, bs, oc); ok {
				// A row rewritten with θ (a budget, the objective's
				// total) stays one for the parts.
				continue
			}
		}
		clear(first)
		for _, c := range cols {
			b := d.colBlock[c]
			if b < 0 {
				continue
			}
			f, ok := first[b]
			if !ok {
				first[b] = c
				continue
			}
			uf.union(f, c)
		}
	}
	for j, b := range d.colBlock {
		if b >= 0 {
			d.colBlock[j] = uf.find(j)
		}
	}
}

// mergeCoupled merges the blocks that a row couples without a
// proportional rewrite, until every coupling row can be rewritten with θ.
func (d *decomposition) mergeCoupled() {
	m := d.md.m
	for {
		merged := false
		oc := d.objColumns()
		for i := 0; i < m.NumRows(); i++ {
			cols, coefs, _, _ := m.Row(i)
			bs := d.rowBlocks(cols)
			if len(bs) < 2 {
				continue
			}
			if _, ok := d.proportional(cols, coefs, bs, oc); ok {
				continue
			}
			d.merge(bs)
			oc = d.objColumns()
			merged = true
		}
		if !merged {
			break
		}
	}
	d.renumber()
}

// rowBlocks lists the blocks of a row's columns, sorted, without repeats.
func (d *decomposition) rowBlocks(cols []int) []int {
	var out []int
	for _, c := range cols {
		if b := d.colBlock[c]; b >= 0 && !containsInt(out, b) {
			out = append(out, b)
		}
	}
	return out
}

func containsInt(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// objColumns counts the columns with an objective coefficient in each
// block.
func (d *decomposition) objColumns() map[int]int {
	n := map[int]int{}
	for c, b := range d.colBlock {
		if b >= 0 && d.md.m.Obj(c) != 0 {
			n[b]++
		}
	}
	return n
}

// proportional reports whether, for every block of a row, the row's part
// on the block is one factor times the block's whole objective (every
// column of the block with an objective coefficient is in the row, at that
// factor times its coefficient, and the others are not), and returns the
// factor of each block. objCols counts each block's columns with an
// objective coefficient.
func (d *decomposition) proportional(cols []int, coefs []float64, bs []int, objCols map[int]int) (map[int]float64, bool) {
	m := d.md.m
	f := map[int]float64{}
	seen := map[int]int{}
	for k, c := range cols {
		b := d.colBlock[c]
		if b < 0 {
			continue
		}
		obj := m.Obj(c)
		if obj == 0 {
			if coefs[k] != 0 {
				return nil, false
			}
			continue
		}
		r := coefs[k] / obj
		if old, ok := f[b]; ok && math.Abs(old-r) > 1e-9*math.Max(math.Abs(old), math.Abs(r)) {
			return nil, false
		}
		f[b] = r
		seen[b]++
	}
	for b, r := range f {
		if r != 0 && seen[b] != objCols[b] {
			return nil, false // the row leaves out part of the block's objective
		}
	}
	// A block's zero-objective columns must have zero coefficients too.
	for _, b := range bs {
		if _, ok := f[b]; !ok {
			f[b] = 0
		}
	}
	return f, true
}

// merge gives the blocks bs the first one's index.
func (d *decomposition) merge(bs []int) {
	for j, b := range d.colBlock {
		if containsInt(bs[1:], b) {
			d.colBlock[j] = bs[0]
		}
	}
}

// renumber numbers the blocks 0, 1, … in order of their first column and
// creates them.
func (d *decomposition) renumber() {
	id := map[int]int{}
	for j, b := range d.colBlock {
		if b < 0 {
			continue
		}
		nb, ok := id[b]
		if !ok {
			nb = len(d.blocks)
			id[b] = nb
			d.blocks = append(d.blocks, &dblock{})
		}
		d.colBlock[j] = nb
		d.blocks[nb].cols = append(d.blocks[nb].cols, j)
	}
}

// buildMaster creates the master: the master columns, one θ per block
// (bounded below by the least the block's objective can be), the rows
// that have only master columns, and the coupling rows rewritten with θ.
func (d *decomposition) buildMaster() {
	m := d.md.m
	d.master = lp.NewModel("programme-master")
	d.mcol = make([]int, m.NumVars())
	d.local = make([]int, m.NumVars())
	for j := range d.mcol {
		d.mcol[j] = -1
		if d.colBlock[j] < 0 {
			lo, hi := m.Bounds(j)
			d.mcol[j] = d.master.AddVar("", lo, hi, m.Obj(j), m.VarKind(j))
		}
	}
	for _, b := range d.blocks {
		b.lb = d.blockLowerBound(b)
		b.theta = d.master.AddVar("", b.lb, math.Inf(1), 1, lp.Continuous)
	}
	d.master.SetObjConstant(m.ObjConstant())
	d.mrow = make([]int, m.NumRows())
	oc := d.objColumns()
	for i := 0; i < m.NumRows(); i++ {
		cols, coefs, sense, rhs := m.Row(i)
		bs := d.rowBlocks(cols)
		d.mrow[i] = -1
		switch {
		case len(bs) == 0 && d.md.lazy[i]:
			d.lazy = append(d.lazy, lazyCut(d.toMaster(cols), coefs, sense, rhs))
		case len(bs) == 0:
			d.mrow[i] = d.master.AddRow("", d.toMaster(cols), coefs, sense, rhs)
		case len(bs) == 1:
			d.addBlockRow(d.blocks[bs[0]], i, cols, coefs, sense, rhs)
		default:
			f, _ := d.proportional(cols, coefs, bs, oc)
			d.mrow[i] = d.addCouplingRow(cols, coefs, sense, rhs, f)
		}
	}
}

// lazyCut writes a row (≤ or ≥) as a cut (≥).
func lazyCut(cols []int, coefs []float64, sense lp.Sense, rhs float64) cut {
	c := cut{cols: cols, coefs: append([]float64(nil), coefs...), rhs: rhs}
	if sense == lp.LE {
		for k := range c.coefs {
			c.coefs[k] = -c.coefs[k]
		}
		c.rhs = -rhs
	}
	return c
}

// blockLowerBound is the least value of the block's objective over its
// columns' bounds.
func (d *decomposition) blockLowerBound(b *dblock) float64 {
	m := d.md.m
	var lb float64
	for _, j := range b.cols {
		lo, hi := m.Bounds(j)
		if c := m.Obj(j); c >= 0 {
			lb += c * lo
		} else {
			lb += c * hi
		}
	}
	if math.IsInf(lb, 0) || math.IsNaN(lb) {
		return math.Inf(-1)
	}
	return lb
}

func (d *decomposition) toMaster(cols []int) []int {
	out := make([]int, len(cols))
	for k, c := range cols {
		out[k] = d.mcol[c]
	}
	return out
}

func (d *decomposition) addBlockRow(b *dblock, i int, cols []int, coefs []float64, sense lp.Sense, rhs float64) {
	r := dblockRow{row: i, sense: sense, rhs: rhs, lazy: d.md.lazy[i]}
	for k, c := range cols {
		if d.colBlock[c] < 0 {
			r.mcols = append(r.mcols, d.mcol[c])
			r.mcoefs = append(r.mcoefs, coefs[k])
		}
	}
	b.rows = append(b.rows, r)
}

// addCouplingRow writes a row that several blocks share into the master,
// each block's part replaced by its factor × θ.
func (d *decomposition) addCouplingRow(cols []int, coefs []float64, sense lp.Sense, rhs float64, f map[int]float64) int {
	var mc []int
	var mv []float64
	for k, c := range cols {
		if d.colBlock[c] < 0 {
			mc, mv = append(mc, d.mcol[c]), append(mv, coefs[k])
		}
	}
	for b := range d.blocks {
		if v, ok := f[b]; ok && v != 0 {
			mc, mv = append(mc, d.blocks[b].theta), append(mv, v)
		}
	}
	return d.master.AddRow("", mc, mv, sense, rhs)
}

// buildSub creates a block's linear programme: its columns with their
// bounds and objective, its rows with the right-hand side set later, the
// lazy ones last (b.rows is ordered so); and, when it has lazy rows, the
// same programme without them.
func (d *decomposition) buildSub(b *dblock) {
	m := d.md.m
	slices.SortStableFunc(b.rows, func(p, q dblockRow) int {
		switch {
		case p.lazy == q.lazy:
			return 0
		case q.lazy:
			return -1
		}
		return 1
	})
	sub := lp.NewModel("programme-block")
	for k, j := range b.cols {
		lo, hi := m.Bounds(j)
		d.local[j] = k
		sub.AddVar("", lo, hi, m.Obj(j), lp.Continuous)
	}
	for _, r := range b.rows {
		if r.lazy && b.kept == nil {
			b.kept = &blockLP{m: sub.Clone()}
			b.kept.m.SetName("programme-block-kept")
		}
		cols, coefs, _, _ := m.Row(r.row)
		var lc []int
		var lv []float64
		for k, c := range cols {
			if d.colBlock[c] >= 0 {
				lc, lv = append(lc, d.local[c]), append(lv, coefs[k])
			}
		}
		sub.AddRow("", lc, lv, r.sense, r.rhs)
	}
	b.all = &blockLP{m: sub}
}

// blockRHS sets the block's right-hand sides for the master point xm.
func (r *dblockRow) rhsAt(xm []float64) float64 {
	v := r.rhs
	for k, c := range r.mcols {
		v -= r.mcoefs[k] * xm[c]
	}
	return v
}

// cut is a Benders cut: Σ coefs·master ≥ rhs (θ included).
type cut struct {
	cols  []int
	coefs []float64
	rhs   float64
}

// at returns the cut's left-hand side at the master point xm.
func (c cut) at(xm []float64) float64 {
	var v float64
	for k, j := range c.cols {
		v += c.coefs[k] * xm[j]
	}
	return v
}

// evaluate solves block b at the master point xm and returns its value
// and the cut it gives: an optimality cut on θ, or a feasibility cut when
// the block has no solution there (feasible false).
func (d *decomposition) evaluate(ctx context.Context, b *dblock, xm []float64) (value float64, x []float64, c cut, feasible bool, err error) {
	t0 := time.Now()
	defer func() { b.evals++; b.elapsed += time.Since(t0) }()
	rhs := make([]float64, len(b.rows))
	for i := range b.rows {
		rhs[i] = d.rhsOf(b, i, xm)
	}
	if e := b.last; e != nil && e.lazyOff == d.lazyOff && slices.Equal(e.rhs, rhs) {
		return e.value, e.x, e.c, e.feasible, nil
	}
	value, x, c, feasible, err = d.solveBlock(ctx, b, xm, rhs)
	if err == nil {
		b.last = &blockEval{rhs: rhs, lazyOff: d.lazyOff, value: value, x: x, c: c, feasible: feasible}
	}
	return value, x, c, feasible, err
}

// solveBlock solves block b with the right-hand sides rhs, those of the
// master point xm.
func (d *decomposition) solveBlock(ctx context.Context, b *dblock, xm, rhs []float64) (value float64, x []float64, c cut, feasible bool, err error) {
	bl := d.lpOf(b)
	for i := 0; i < bl.m.NumRows(); i++ {
		bl.m.SetRHS(i, rhs[i])
	}
	if b.flow != nil {
		v, x, duals, err := b.flow.solveFlow(ctx, b, rhs)
		if err != nil {
			return 0, nil, cut{}, false, err
		}
		return v, x, d.optimalityCut(b, xm, v, duals), true, nil
	}
	start := bl.basis
	if start == nil && bl == b.all && b.kept != nil {
		// The rows left out while the lazy rows were off are the first:
		// their basis starts this one, the lazy rows' slacks basic.
		start = b.kept.basis
	}
	sol, err := robustSolve(ctx, bl.m, &lp.Options{Duals: true, Start: start, KeepBasis: true})
	if errors.Is(err, gst.ErrInfeasible) {
		c, err = d.feasibilityCut(ctx, b, xm)
		return 0, nil, c, false, err
	}
	if err != nil {
		return 0, nil, cut{}, false, err
	}
	if sol.Duals == nil {
		return 0, nil, cut{}, false, fmt.Errorf("programme: %w: no duals for a block", gst.ErrNoSolution)
	}
	bl.basis = sol.Basis
	return sol.Objective, sol.X, d.optimalityCut(b, xm, sol.Objective, sol.Duals), true, nil
}

// optimalityCut is θ ≥ V + Σ_r u_r (rhs_r(xm') − rhs_r(xm)), with
// rhs_r(xm') = rhs_r − m_r·xm': θ + Σ_r u_r m_r·xm' ≥ V + Σ_r u_r m_r·xm.
// duals has one entry per row solved (see lpOf).
func (d *decomposition) optimalityCut(b *dblock, xm []float64, v float64, duals []float64) cut {
	c := cut{cols: []int{b.theta}, coefs: []float64{1}, rhs: v}
	for i, u := range duals {
		r := &b.rows[i]
		if u == 0 {
			continue
		}
		for k, mc := range r.mcols {
			c.cols = append(c.cols, mc)
			c.coefs = append(c.coefs, u*r.mcoefs[k])
			c.rhs += u * r.mcoefs[k] * xm[mc]
		}
	}
	return c
}

// feasibilityCut measures the block's infeasibility at xm with slacks
// (phase 1) and returns 0 ≥ φ + Σ_r u_r (rhs_r(xm') − rhs_r(xm)), φ the
// least total slack: Σ_r u_r m_r·xm' ≥ φ + Σ_r u_r m_r·xm.
func (d *decomposition) feasibilityCut(ctx context.Context, b *dblock, xm []float64) (cut, error) {
	bl := d.lpOf(b)
	if bl.phase1 == nil {
		bl.phase1 = phaseOne(bl.m)
	}
	for i := 0; i < bl.m.NumRows(); i++ {
		bl.phase1.SetRHS(i, d.rhsOf(b, i, xm))
	}
	sol, err := robustSolve(ctx, bl.phase1, &lp.Options{Duals: true})
	if err != nil {
		return cut{}, err
	}
	if sol.Duals == nil || sol.Objective <= 0 {
		return cut{}, fmt.Errorf("programme: %w: a block is infeasible but its slacks say otherwise", gst.ErrNoSolution)
	}
	c := cut{rhs: sol.Objective}
	for i, u := range sol.Duals {
		r := &b.rows[i]
		if u == 0 {
			continue
		}
		for k, mc := range r.mcols {
			c.cols = append(c.cols, mc)
			c.coefs = append(c.coefs, u*r.mcoefs[k])
			c.rhs += u * r.mcoefs[k] * xm[mc]
		}
	}
	return c, nil
}

// phaseOne returns a copy of a block's programme whose objective is the
// total slack needed to hold its rows: one slack per ≤ or ≥ row, two per
// equality.
func phaseOne(sub *lp.Model) *lp.Model {
	m := lp.NewModel("programme-phase1")
	for j := 0; j < sub.NumVars(); j++ {
		lo, hi := sub.Bounds(j)
		m.AddVar("", lo, hi, 0, lp.Continuous)
	}
	for i := 0; i < sub.NumRows(); i++ {
		cols, coefs, sense, rhs := sub.Row(i)
		if sense != lp.GE {
			cols, coefs = append(cols, m.AddVar("", 0, math.Inf(1), 1, lp.Continuous)), append(coefs, -1)
		}
		if sense != lp.LE {
			cols, coefs = append(cols, m.AddVar("", 0, math.Inf(1), 1, lp.Continuous)), append(coefs, 1)
		}
		m.AddRow("", cols, coefs, sense, rhs)
	}
	return m
}

// robustSolve solves a linear programme and, when lp_solve fails
// numerically, calls it unbounded from a starting basis or stalls from
// it, solves it again from scratch: with the same settings when it
// had started from a basis, with the primal simplex (lp_solve's dual
// simplex fails on some degenerate infeasible blocks the primal proves
// infeasible), then with other scalings. A solve from scratch that
// stalls (see coldIterations) is tried with other scalings first (see
// retries), and when every retry stalls too, once more with the first
// of them and no limit.
func robustSolve(ctx context.Context, m *lp.Model, opt *lp.Options) (*lp.Solution, error) {
	return solveWith(ctx, m, opt, patient)
}

// effort says how long robustSolve's retries go on after a stall.
type effort int

const (
	// patient tries every setting, then the first retry's without a
	// limit: for the programmes the search cannot do without.
	patient effort = iota
	// brief tries factors rounded to powers of 2 once, then gives up
	// (gst.ErrNoSolution): for relax-and-fix, a heuristic whose pass
	// can end without a programme (on the region one of its masters
	// stalled in every setting, and the last try without a limit took
	// 65,429 iterations, 230 s, to call it unbounded).
	brief
)

func solveWith(ctx context.Context, m *lp.Model, opt *lp.Options, e effort) (*lp.Solution, error) {
	limit := opt.MaxIterations
	cold := *opt
	cold.Start = nil
	if limit == 0 {
		cold.MaxIterations = coldIterations(m)
	}
	if opt.Start == nil {
		opt = &cold
	} else if limit == 0 {
		o := *opt
		o.MaxIterations = warmIterations(m)
		opt = &o
	}
	sol, err := lp.Solve(ctx, m, opt)
	if opt.Start != nil && (errors.Is(err, gst.ErrUnbounded) || errors.Is(err, lp.ErrIterationLimit)) && ctx.Err() == nil {
		// From a starting basis lp_solve may call "unbounded" a master
		// that a cold start solves (seen at the pilots' nodes, where
		// every block's estimate has a finite lower bound), or stall
		// (seen at the region's root: 65 s warm, then a numerical
		// failure, where a cold start takes 6 s): the verdict is checked
		// cold, and a warm start that takes more iterations than a cold
		// solve would is given up.
		opt = &cold
		sol, err = lp.Solve(ctx, m, opt)
	}
	if err == nil || sol == nil || sol.Status != gst.StatusFailed || ctx.Err() != nil {
		return optimal(sol, err)
	}
	stalled := errors.Is(err, lp.ErrIterationLimit)
	base := cold
	if limit == 0 {
		// Retries have twice the room: the settings that blow up are
		// given up early, those that do not may need more than half
		// the rows.
		base.MaxIterations *= 2
	}
	tries := retries(opt, &base, stalled)
	if e == brief && stalled {
		tries = tries[:1]
	}
	for _, o := range tries {
		sol, err = lp.Solve(ctx, m, o)
		if err == nil || sol == nil || sol.Status != gst.StatusFailed || ctx.Err() != nil {
			return optimal(sol, err)
		}
		stalled = stalled && errors.Is(err, lp.ErrIterationLimit)
	}
	if stalled && limit == 0 && e == patient {
		// Every setting stalled within its limit: the first retry's,
		// without one.
		o := *tries[0]
		o.MaxIterations = 0
		return optimal(lp.Solve(ctx, m, &o))
	}
	return sol, err
}

// retries returns the settings robustSolve tries after a failure of the
// settings opt, each from scratch with the limit of base: the same
// settings when opt started from a basis, the primal simplex, Curtis–Reid
// scaling, no scaling. When opt stalled, geometric scaling with factors
// rounded to powers of 2 comes first, then no scaling: lp_solve's
// default scaling blows up on some of the region's masters (the
// objective at 1e23 and more after tens of thousands of iterations, not
// finished in 150 s) that it solves with factors rounded to powers of 2
// in 8,620 iterations (11 s) and without scaling in 13,002 (23 s).
func retries(opt, base *lp.Options, stalled bool) []*lp.Options {
	with := func(sc lp.Scaling, sx lp.Simplex) *lp.Options {
		o := *base
		o.Scaling, o.Simplex = sc, sx
		return &o
	}
	out := []*lp.Options{with(opt.Scaling, lp.SimplexPrimal), with(lp.ScalingCurtisReid, opt.Simplex), with(lp.ScalingNone, opt.Simplex)}
	if stalled {
		out = []*lp.Options{with(lp.ScalingGeometricPower2, opt.Simplex), with(lp.ScalingNone, opt.Simplex), out[0], out[1]}
	}
	if opt.Start != nil {
		out = append([]*lp.Options{with(opt.Scaling, opt.Simplex)}, out...)
	}
	return out
}

// coldIterations is the iteration limit of a solve from scratch that its
// caller left without one: half as many as the programme has rows, at
// least 5,000. A master of the region's root takes 0.44 iterations a row
// (7,296 for 16,628 rows); the masters on which lp_solve's default
// scaling blows up had run 57,870 and 93,879 iterations (150 s and 480 s)
// unfinished. A solve that reaches the limit is tried with other
// settings (see retries), and without a limit when all of them do. It
// counts iterations, not time, so that the same input takes the same
// path on every machine. It is a variable so that the tests can make
// every solve stall.
var coldIterations = func(m *lp.Model) int64 {
	return max(5000, int64(m.NumRows())/2)
}

// warmSolve solves m through the Resolver *rs (made on first use), which
// keeps m loaded in lp_solve and starts from the last solve's basis: m
// changes only in its right-hand sides from one solve to the next, and a
// few dozen pivots then solve it, where loading and scaling it again cost
// more. A solve from the last basis that fails, or takes more pivots than
// a cold solve would, is done again from scratch by robustSolve.
func warmSolve(ctx context.Context, rs **lp.Resolver, m *lp.Model, opt lp.Options) (*lp.Solution, error) {
	if *rs == nil {
		r, err := lp.NewResolver(m)
		if err != nil {
			return nil, err
		}
		*rs = r
	}
	o := opt
	if (*rs).Loaded() {
		o.MaxIterations = warmIterations(m)
	}
	sol, err := (*rs).Solve(ctx, &o)
	if err == nil || errors.Is(err, gst.ErrInfeasible) || ctx.Err() != nil {
		return sol, err
	}
	return robustSolve(ctx, m, &opt)
}

// optimal turns an answer that is not an optimum into an error: lp_solve
// may return the point it had at a deadline without one, and that point's
// value and duals bound nothing.
func optimal(sol *lp.Solution, err error) (*lp.Solution, error) {
	if err == nil && sol.Status != gst.StatusOptimal {
		return sol, fmt.Errorf("programme: %w: a linear programme stopped (%s) before its optimum", gst.ErrNoSolution, sol.Status)
	}
	return sol, err
}

// warmIterations is the iteration limit of a solve started from a basis:
// a quarter of the rows, at least 1,000. A warm start after a few cuts or
// bounds takes tens to hundreds of iterations; one that takes more than a
// cold solve of the same programme would (about half the rows on the
// region's master) has stalled. The limit counts iterations, not time, so
// that the same input takes the same path on every machine.
func warmIterations(m *lp.Model) int64 {
	return max(1000, int64(m.NumRows())/4)
}
