package programme

import (
	"errors"
	"math"
	"slices"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// evaluator values a network (every site, service and module decision
// fixed) exactly and fast. With the network fixed the programme splits in
// two: the assignment of each service's demand in each year (the
// decomposition's assignment blocks: transportation problems, solved by
// the network simplex) and the staffing (recruits and pooling within the
// staff, recruitment and budget rules), one linear programme of the
// compact model's rows that hold no assignment column, with the network's
// columns moved to the right-hand side. Neither part depends on the
// other, so the sum of their optima is the optimum of the compact model
// with the network fixed; the point assembled is checked against every
// row of the compact model before it is offered.
type evaluator struct {
	md *model
	d  *decomposition
	// assign marks the compact model's assignment columns (x and u).
	assign []bool
	// network lists the compact model's integer columns.
	network []int
	// staff is the staffing programme; scol maps a compact column to its
	// column (-1 for the network's and the assignment's), srow lists the
	// compact row of each of its rows and snet that row's network part
	// (moved to the right-hand side), and fixedOnly the rows that hold
	// network columns alone (checked directly).
	staff     *lp.Model
	scol      []int
	srow      []int
	snet      []rowPart
	fixedOnly []int
	// blocks are the decomposition's assignment blocks.
	blocks []*dblock
	// memo keeps the last answers of each assignment block (see
	// assignment).
	memo [][]*assigned
	// rs keeps the staffing programme loaded in lp_solve between
	// evaluations (nil until the first).
	rs *lp.Resolver
	// parts are the staffing programme's parts (see staffPart), none
	// when it has one; staffCoupling lists its rows that join them (the
	// budgets), checked at the parts' optima; partMisses counts the
	// networks whose parts' optima broke one of them, overspends those of
	// them that the parts proved to have no staffing (see overspent).
	parts         []*staffPart
	staffCoupling []int
	partMisses    int
	overspends    int
	// staffFloor is the least the staffing can cost: each column at the
	// bound of least cost (its lower bound where its cost is positive);
	// -Inf when unbounded.
	staffFloor float64
	// staffFirst solves the staffing before the assignment (see
	// levelEvaluator); a network whose staffing has a solution is then
	// valued in full, whatever the cutoff.
	staffFirst bool
}

// rowPart is part of a row: compact columns and their coefficients.
type rowPart struct {
	cols  []int
	coefs []float64
}

// newEvaluator returns the evaluator of md with the decomposition d, or
// nil when a block mixes assignment and staffing columns (never in the
// models built today; the local search then solves the relaxation with
// the network fixed instead).
func newEvaluator(md *model, d *decomposition) *evaluator {
	m := md.m
	e := &evaluator{md: md, d: d, assign: make([]bool, m.NumVars())}
	for s := range md.x {
		for a := range md.x[s] {
			for k := range md.x[s][a] {
				for _, j := range md.x[s][a][k] {
					if j >= 0 {
						e.assign[j] = true
					}
				}
			}
			for _, j := range md.u[s][a] {
				if j >= 0 {
					e.assign[j] = true
				}
			}
		}
	}
	for _, b := range d.blocks {
		n := 0
		for _, j := range b.cols {
			if e.assign[j] {
				n++
			}
		}
		switch n {
		case 0:
		case len(b.cols):
			e.blocks = append(e.blocks, b)
		default:
			return nil
		}
	}
	coupling := e.buildStaff()
	if splitStaff {
		e.buildStaffParts(coupling)
	}
	if v, ok := trivialBound(e.staff); ok {
		e.staffFloor = v
	} else {
		e.staffFloor = math.Inf(-1)
	}
	return e
}

// buildStaff builds the staffing programme: the columns that are neither
// the network's nor the assignment's, and the rows without an assignment
// column that hold one of them, but the lazy rows (roundings that every
// whole network keeps). It returns which of its rows are budgets.
func (e *evaluator) buildStaff() (budget []bool) {
	m := e.md.m
	isBudget := map[int]bool{e.md.totalRow: true}
	for _, rows := range e.md.budRow {
		for _, i := range rows {
			isBudget[i] = true
		}
	}
	delete(isBudget, -1)
	e.staff = lp.NewModel("programme-staffing")
	e.scol = make([]int, m.NumVars())
	for j := range e.scol {
		e.scol[j] = -1
		switch {
		case m.VarKind(j).IsInteger():
			e.network = append(e.network, j)
		case !e.assign[j]:
			lo, hi := m.Bounds(j)
			e.scol[j] = e.staff.AddVar("", lo, hi, m.Obj(j), lp.Continuous)
		}
	}
rows:
	for i := 0; i < m.NumRows(); i++ {
		if e.md.lazy[i] {
			continue
		}
		cols, coefs, sense, rhs := m.Row(i)
		var sc []int
		var sv []float64
		var net rowPart
		for k, j := range cols {
			if e.assign[j] {
				continue rows
			}
			if c := e.scol[j]; c >= 0 {
				sc, sv = append(sc, c), append(sv, coefs[k])
			} else {
				net.cols, net.coefs = append(net.cols, j), append(net.coefs, coefs[k])
			}
		}
		if len(sc) == 0 {
			e.fixedOnly = append(e.fixedOnly, i)
			continue
		}
		e.staff.AddRow("", sc, sv, sense, rhs)
		e.srow = append(e.srow, i)
		e.snet = append(e.snet, net)
		budget = append(budget, isBudget[i])
	}
	return budget
}

// value returns the compact model's point of the network w and its
// objective; false when no programme has that network (a rule broken, the
// staff or the money short) or, without solving the staffing, when the
// network's own cost and the assignment's already reach cutoff (the
// staffing costs at least its columns' least cost, staffFloor; not with
// staffFirst). With staffFirst the staffing's parts (see staffByParts)
// are answered before the assignment is solved.
func (e *evaluator) value(r *run, w network, cutoff float64) ([]float64, float64, bool, error) {
	t0 := time.Now()
	defer func() { r.stats.Evaluations++; r.stats.EvaluationTime += time.Since(t0) }()
	md := e.md
	x := make([]float64, md.m.NumVars())
	if !e.setNetwork(w, x) {
		return nil, 0, false, nil
	}
	for _, i := range e.fixedOnly {
		if !rowHolds(md.m, i, x) {
			return nil, 0, false, nil
		}
	}
	e.setStaffRHS(x)
	var sp staffed
	var err error
	if e.staffFirst {
		if sp, err = e.staffByParts(r); err != nil || (sp.known && !sp.feasible) {
			return nil, 0, false, err
		}
	}
	if ok, err := e.solveAssignment(r, x); !ok || err != nil {
		return nil, 0, false, err
	}
	if !e.staffFirst {
		if md.m.ObjValue(x)+e.staffFloor >= cutoff {
			return nil, 0, false, nil
		}
		if sp, err = e.staffByParts(r); err != nil || (sp.known && !sp.feasible) {
			return nil, 0, false, err
		}
	}
	if sp.known {
		e.writeStaff(x, sp.xs)
	} else if ok, err := e.solveWhole(r, x); !ok || err != nil {
		return nil, 0, false, err
	}
	if violation(md.m, x) > 1e-6 {
		return nil, 0, false, nil
	}
	return x, md.m.ObjValue(x), true, nil
}

// setNetwork writes w into x; false when w breaks a column's bounds.
func (e *evaluator) setNetwork(w network, x []float64) bool {
	md := e.md
	set := func(j int, v float64) bool {
		if j < 0 {
			return true
		}
		lo, hi := md.m.Bounds(j)
		x[j] = v
		return v >= lo-1e-9 && v <= hi+1e-9
	}
	for s := range md.z {
		for p, j := range md.z[s] {
			if !set(j, w.z[s][p]) {
				return false
			}
		}
	}
	for o := range md.y {
		for p, j := range md.y[o] {
			if !set(j, w.y[o][p]) {
				return false
			}
		}
		for k := range md.n[o] {
			for p, j := range md.n[o][k] {
				if !set(j, w.n[o][k][p]) {
					return false
				}
			}
		}
	}
	return true
}

// rowHolds reports whether x keeps row i of m.
func rowHolds(m *lp.Model, i int, x []float64) bool {
	a := m.RowActivity(i, x)
	sense, rhs := m.RowSense(i), m.RHS(i)
	tol := 1e-9 * math.Max(1, math.Abs(rhs))
	switch sense {
	case lp.LE:
		return a <= rhs+tol
	case lp.GE:
		return a >= rhs-tol
	default:
		return math.Abs(a-rhs) <= tol
	}
}

// solveStaff solves the staffing programme with the network of x and
// writes its columns into x; false when it is infeasible.
func (e *evaluator) solveStaff(r *run, x []float64) (bool, error) {
	e.setStaffRHS(x)
	sp, err := e.staffByParts(r)
	switch {
	case err != nil:
		return false, err
	case sp.known:
		if sp.feasible {
			e.writeStaff(x, sp.xs)
		}
		return sp.feasible, nil
	}
	return e.solveWhole(r, x)
}

// setStaffRHS sets the staffing programme's right-hand sides at the
// network of x (its part of each row moved there).
func (e *evaluator) setStaffRHS(x []float64) {
	m := e.md.m
	for k, i := range e.srow {
		rhs := m.RHS(i)
		net := &e.snet[k]
		for c, j := range net.cols {
			rhs -= net.coefs[c] * x[j]
		}
		e.staff.SetRHS(k, rhs)
	}
}

// staffed is what the staffing programme's parts (see staffPart) tell of
// a network's staffing: known when they answer it, infeasible, or
// feasible with the point xs.
type staffed struct {
	known, feasible bool
	xs              []float64
}

// staffByParts answers the staffing programme, at the right-hand sides
// set, from its parts when they can: their optima together when these
// keep the budget rows (see solveParts), infeasible when a part is or
// when the least the parts can spend breaks a budget (see overspent).
func (e *evaluator) staffByParts(r *run) (staffed, error) {
	var sp staffed
	if len(e.parts) == 0 {
		return sp, nil
	}
	xs := make([]float64, e.staff.NumVars())
	ok, feasible, err := e.solveParts(r, xs)
	switch {
	case err != nil:
		return sp, err
	case ok:
		sp.known, sp.feasible = true, feasible
		if feasible {
			sp.xs = xs
		}
	default:
		over, err := e.overspent(r, xs)
		if err != nil {
			return sp, err
		}
		if over {
			e.overspends++
			sp.known = true
		}
	}
	return sp, nil
}

// solveWhole solves the staffing programme whole, at the right-hand sides
// set, and writes its columns into x; false when it is infeasible.
func (e *evaluator) solveWhole(r *run, x []float64) (bool, error) {
	r.record(e.staff)
	sol, err := warmSolve(r.ctx, &e.rs, e.staff, lp.Options{})
	if sol != nil {
		r.stats.Iterations += sol.Iterations
	}
	if errors.Is(err, gst.ErrInfeasible) {
		return false, nil
	}
	if err != nil {
		return false, stopErr(r, err)
	}
	e.writeStaff(x, sol.X)
	return true, nil
}

// writeStaff writes the staffing programme's point xs into the compact
// point x.
func (e *evaluator) writeStaff(x, xs []float64) {
	for j, c := range e.scol {
		if c >= 0 {
			x[j] = xs[c]
		}
	}
}

// close frees the staffing programme's copy in lp_solve.
func (e *evaluator) close() {
	if e.rs != nil {
		e.rs.Close()
	}
	e.closeParts()
}

// solveAssignment solves every assignment block at the network of x and
// writes its columns into x; false when one has no solution.
func (e *evaluator) solveAssignment(r *run, x []float64) (bool, error) {
	d := e.d
	xm := make([]float64, d.master.NumVars())
	for _, j := range e.network {
		if c := d.mcol[j]; c >= 0 {
			xm[c] = x[j]
		}
	}
	if e.memo == nil {
		e.memo = make([][]*assigned, len(e.blocks))
	}
	for i, b := range e.blocks {
		bx, ok, err := e.assignment(r, i, b, xm)
		if err != nil {
			return false, stopErr(r, err)
		}
		if !ok {
			return false, nil
		}
		for k, j := range b.cols {
			x[j] = bx[k]
		}
	}
	return true, nil
}

// assigned is an assignment block's answer at some right-hand sides.
type assigned struct {
	rhs      []float64
	x        []float64
	feasible bool
}

// memoSize is how many answers of each assignment block the evaluator
// keeps: the local search values the variants of one network, each of
// which changes the capacity of a few sites in a few years, so most of
// a variant's blocks are the network's own, kept here, or the variant
// before's.
const memoSize = 3

// assignment returns the answer of assignment block i, b, at the master
// point xm: from the answers kept when one has its right-hand sides
// (the block's answer depends on the point only through them), else
// solved and kept, the most recent first.
func (e *evaluator) assignment(r *run, i int, b *dblock, xm []float64) ([]float64, bool, error) {
	rhs := make([]float64, len(b.rows))
	for k := range b.rows {
		rhs[k] = e.d.rhsOf(b, k, xm)
	}
	memo := e.memo[i]
	for k, a := range memo {
		if slices.Equal(a.rhs, rhs) {
			copy(memo[1:k+1], memo[:k])
			memo[0] = a
			return a.x, a.feasible, nil
		}
	}
	_, bx, _, ok, err := e.d.evaluate(r.ctx, b, xm)
	if err != nil {
		return nil, false, err
	}
	a := &assigned{rhs: rhs, x: bx, feasible: ok}
	if len(memo) < memoSize {
		memo = append(memo, nil)
	}
	copy(memo[1:], memo[:len(memo)-1])
	memo[0] = a
	e.memo[i] = memo
	return bx, ok, nil
}
