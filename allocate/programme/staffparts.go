package programme

import (
	"errors"
	"math"
	"slices"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// staffPart is a part of the evaluator's staffing programme that no row
// joins to another but the budgets: in the models built today, one staff
// category (its pooling, its recruits, its staffing and recruitment
// rows). A network changes the staff that a few categories need, so most
// parts are answered from what they kept, and the others are small
// programmes, each kept loaded in lp_solve.
type staffPart struct {
	m    *lp.Model
	cols []int // the staffing programme's columns, in the part's order
	rows []int // the staffing programme's rows, in the part's order
	rs   *lp.Resolver
	memo []*staffAnswer
	// spent keeps the last answers of leastSpend.
	spent []spendAnswer
}

// spendAnswer is the least a part spends on a budget row at some
// right-hand sides; ok false when the part's programme has no least.
type spendAnswer struct {
	row   int
	rhs   []float64
	least float64
	ok    bool
}

// staffAnswer is a part's answer at some right-hand sides.
type staffAnswer struct {
	rhs      []float64
	x        []float64
	obj      float64
	feasible bool
}

// splitStaff switches the staffing programme's parts (a variable for the
// tests, which compare the two ways).
var splitStaff = true

// buildStaffParts splits the staffing programme into the parts that its
// rows join when the budget rows (coupling, listed in coupling by the
// staffing programme's row) are left out; nothing when there is one part.
func (e *evaluator) buildStaffParts(coupling []bool) {
	st := e.staff
	uf := newUnionFind(st.NumVars())
	for i := 0; i < st.NumRows(); i++ {
		if coupling[i] {
			continue
		}
		cols, _, _, _ := st.Row(i)
		for _, j := range cols[min(1, len(cols)):] {
			uf.union(cols[0], j)
		}
	}
	part := map[int]int{}
	var parts []*staffPart
	of := make([]int, st.NumVars())
	for j := range of {
		r := uf.find(j)
		k, ok := part[r]
		if !ok {
			k = len(parts)
			part[r] = k
			parts = append(parts, &staffPart{m: lp.NewModel("programme-staffing-part")})
		}
		of[j] = k
		p := parts[k]
		lo, hi := st.Bounds(j)
		p.m.AddVar("", lo, hi, st.Obj(j), lp.Continuous)
		p.cols = append(p.cols, j)
	}
	if len(parts) < 2 {
		return
	}
	local := make([]int, st.NumVars())
	for _, p := range parts {
		for k, j := range p.cols {
			local[j] = k
		}
	}
	for i := 0; i < st.NumRows(); i++ {
		if coupling[i] {
			e.staffCoupling = append(e.staffCoupling, i)
			continue
		}
		cols, coefs, sense, rhs := st.Row(i)
		p := parts[of[cols[0]]]
		lc := make([]int, len(cols))
		for k, j := range cols {
			lc[k] = local[j]
		}
		p.m.AddRow("", lc, coefs, sense, rhs)
		p.rows = append(p.rows, i)
	}
	e.parts = parts
}

// solveParts solves the staffing programme part by part, at the
// right-hand sides set in e.staff, and writes its point into xs. It
// reports whether the answer is the programme's: every part feasible and
// the budget rows kept by the parts' optima together (the optimum of a
// relaxation that keeps the rows left out is the optimum). When a part
// is infeasible the programme is (ok true, feasible false).
func (e *evaluator) solveParts(r *run, xs []float64) (ok, feasible bool, err error) {
	for _, p := range e.parts {
		a, err := p.solve(r, e.staff)
		if err != nil {
			return false, false, err
		}
		if !a.feasible {
			return true, false, nil
		}
		for k, j := range p.cols {
			xs[j] = a.x[k]
		}
	}
	for _, i := range e.staffCoupling {
		if !rowHolds(e.staff, i, xs) {
			e.partMisses++
			return false, false, nil
		}
	}
	return true, true, nil
}

// solve answers the part at the staffing programme's right-hand sides:
// from the answers kept when one has them, else solved (from the part's
// last basis) and kept, the most recent first.
func (p *staffPart) solve(r *run, st *lp.Model) (*staffAnswer, error) {
	rhs := p.rhsIn(st)
	for k, a := range p.memo {
		if slices.Equal(a.rhs, rhs) {
			copy(p.memo[1:k+1], p.memo[:k])
			p.memo[0] = a
			return a, nil
		}
	}
	sol, err := solveAt(r, p.m, &p.rs, rhs)
	a := &staffAnswer{rhs: rhs}
	switch {
	case errors.Is(err, gst.ErrInfeasible):
	case err != nil:
		return nil, stopErr(r, err)
	default:
		a.x, a.obj, a.feasible = sol.X, sol.Objective, true
	}
	if len(p.memo) < memoSize {
		p.memo = append(p.memo, nil)
	}
	copy(p.memo[1:], p.memo[:len(p.memo)-1])
	p.memo[0] = a
	return a, nil
}

// rhsIn returns the part's right-hand sides in the staffing programme st.
func (p *staffPart) rhsIn(st *lp.Model) []float64 {
	rhs := make([]float64, len(p.rows))
	for k, i := range p.rows {
		rhs[k] = st.RHS(i)
	}
	return rhs
}

// solveAt solves m, kept loaded in lp_solve by *rs, at the right-hand
// sides rhs.
func solveAt(r *run, m *lp.Model, rs **lp.Resolver, rhs []float64) (*lp.Solution, error) {
	for k := range rhs {
		m.SetRHS(k, rhs[k])
	}
	r.record(m)
	sol, err := warmSolve(r.ctx, rs, m, lp.Options{})
	if sol != nil {
		r.stats.Iterations += sol.Iterations
	}
	return sol, err
}

// takeParts takes over the parts of k, the evaluator of the frontier's
// level before, that are e's own: loaded in lp_solve, with the answers
// they keep (a part holds no budget, so its answers hold at every
// level). k keeps e's parts in exchange, for its close.
func (e *evaluator) takeParts(k *evaluator) {
	if len(k.parts) != len(e.parts) {
		return
	}
	for i, p := range e.parts {
		q := k.parts[i]
		if slices.Equal(p.cols, q.cols) && slices.Equal(p.rows, q.rows) && sameColumnsAndRows(p.m, q.m) {
			e.parts[i], k.parts[i] = q, p
		}
	}
}

// closeParts frees the parts' copies in lp_solve.
func (e *evaluator) closeParts() {
	for _, p := range e.parts {
		if p.rs != nil {
			p.rs.Close()
		}
	}
}

// overspent reports whether a budget row that the parts' optima xs break
// cannot be kept by any staffing: the least each part can spend on it,
// summed over the parts, is more than the row allows (each part's least
// is a linear programme's optimum over that part's rows, so every staffing
// spends at least the sum). The staffing programme is then infeasible
// without being solved whole: on the pilots' frontier levels a network
// whose parts' optima break a budget is one that no staffing fits, and
// solving the whole programme to learn it costs 5 to 100 ms, the part's
// programmes a few pivots each.
func (e *evaluator) overspent(r *run, xs []float64) (bool, error) {
	st := e.staff
	for _, i := range e.staffCoupling {
		if st.RowSense(i) != lp.LE || rowHolds(st, i, xs) {
			continue
		}
		cols, coefs, _, _ := st.Row(i)
		cost := make([]float64, st.NumVars())
		for k, j := range cols {
			cost[j] = coefs[k]
		}
		least := 0.0
		for _, p := range e.parts {
			v, ok, err := p.leastSpend(r, st, i, cost)
			if err != nil || !ok {
				return false, err
			}
			least += v
		}
		rhs := st.RHS(i)
		if least > rhs+1e-7*math.Max(1, math.Abs(rhs)) {
			return true, nil
		}
	}
	return false, nil
}

// leastSpend returns the least the part spends on row i of the staffing
// programme st, whose coefficients by st's column are cost, at st's
// right-hand sides: its programme with those costs (its own, the costs
// put back after: one copy in lp_solve, whose last basis is feasible for
// both), solved or answered from what it kept; 0 when the row holds none
// of its columns, false when the programme has no least (infeasible or
// unbounded).
func (p *staffPart) leastSpend(r *run, st *lp.Model, i int, cost []float64) (float64, bool, error) {
	touched := false
	for _, j := range p.cols {
		if cost[j] != 0 {
			touched = true
			break
		}
	}
	if !touched {
		return 0, true, nil
	}
	rhs := p.rhsIn(st)
	for _, a := range p.spent {
		if a.row == i && slices.Equal(a.rhs, rhs) {
			return a.least, a.ok, nil
		}
	}
	own := make([]float64, len(p.cols))
	for k, j := range p.cols {
		own[k] = p.m.Obj(k)
		p.m.SetObj(k, cost[j])
	}
	sol, err := solveAt(r, p.m, &p.rs, rhs)
	var least float64
	if err == nil {
		for k, j := range p.cols {
			least += cost[j] * sol.X[k]
		}
	}
	for k, c := range own {
		p.m.SetObj(k, c)
	}
	a := spendAnswer{row: i, rhs: rhs}
	switch {
	case err == nil:
		a.least, a.ok = least, true
	case errors.Is(err, gst.ErrInfeasible), errors.Is(err, gst.ErrUnbounded):
	default:
		return 0, false, stopErr(r, err)
	}
	if len(p.spent) == maxSpent {
		copy(p.spent, p.spent[1:])
		p.spent = p.spent[:maxSpent-1]
	}
	p.spent = append(p.spent, a)
	return a.least, a.ok, nil
}

// maxSpent is how many answers of leastSpend a part keeps.
const maxSpent = 8
