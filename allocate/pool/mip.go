package pool

import (
	"errors"
	"fmt"
	"math"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/stop"
	"github.com/gstplan/gst/internal/lp"
)

// mipModel is the integer programme of a coupled part:
//
//	x(a) ≥ 0          staff moved along candidate move a (in units), ≤ spare
//	y(j) ∈ [0, need]  need of cell j covered (in units)
//	z(t) ∈ {0, 1}     team t delivered (1 for a required team)
//	m(a) ∈ {0, 1}     move a used (with a move count or move rules)
//
//	out(j):  Σ_{a from j} x(a) ≤ spare(j)
//	use(j):  y(j) + Σ_t role(t, j) z(t) + Σ_{a from j} x(a) − Σ_{a to j} x(a) ≤ roll(j)
//	min(j):  Σ_{a to j} x(a) − Σ_{a from j} x(a) ≥ minFTE(j) − roll(j)
//	cap(c):  Σ_{a of c} x(a) ≤ cap(c);  moved: Σ x(a) ≤ MaxMovedFTE
//	count:   Σ m(a) ≤ MaxMoves, x(a) ≤ spare × m(a)
//	rules:   low(a) m(a) ≤ x(a) ≤ spare × m(a), with move rules
//
// The first objective is Σ w(j)/scale × (need(j) − y(j)) + Σ w(t) fte(t) (1 −
// z(t)); the second Σ cost(a) x(a) + Σ fixed(a) m(a).
type mipModel struct {
	m        *lp.Model
	xCol     []int
	arcFrom  []int32 // cells
	arcTo    []int32
	arcPair  []int32
	arcCat   []int32
	mCol     []int // by arc: the move's binary, -1 for none
	yCol     map[int32]int
	zCol     map[int32]int
	useRow   map[int32]int
	minRow   map[int32]int
	constant float64 // constant of the first objective
	first    []float64
	firstIx  []int
	// theta1 and theta2 are continuous copies of the two objectives,
	// tied to them by equality rows: the model's objective only ever
	// names them (see lpOptions).
	theta1, theta2 int
}

// lpOptions are the solver options of the integer programmes.
//
// lp_solve 5.5 estimates the smallest step by which a MIP's objective can
// improve from the objective's coefficients (MIP_stepOF in lp_lib.c) and
// prunes nodes that cannot improve by that step. On models whose objective
// names integer and continuous columns its estimate can be too large: it
// returned plans 0.5 worse than the optimum as "optimal" on six-column test
// problems, with either branching direction, which the brute-force tests
// caught. The objectives are therefore continuous copies (theta1, theta2)
// tied to their expressions by equality rows, and the objective names only
// them; lp_solve then uses no step.
var lpOptions = &lp.Options{Branch: lp.BranchCeiling}

// mipArcs lists the candidate moves of a part.
func (in *inst) mipArcs(pt *part, visit func(h, k int32, pair int32, cat int32)) {
	inPart := make([]bool, len(in.cats))
	for _, c := range pt.cats {
		inPart[c] = true
	}
	for pi, pr := range in.pairs {
		for _, c := range pt.cats {
			ct := &in.cats[c]
			if ct.fixed || pr.Minutes > ct.commute {
				continue
			}
			ch, ck := in.cell(pr.H, c), in.cell(pr.K, c)
			if ch >= 0 && ck >= 0 && in.cells[ch].spare > 0 && in.cells[ck].canShort {
				visit(ch, ck, int32(pi), c)
			}
		}
	}
}

// mipSize estimates the rows, columns and nonzeros of a part's programme.
func (in *inst) mipSize(pt *part) (rows, cols, nz int64) {
	cols = pt.arcs + pt.cells + int64(len(pt.teams))
	rows = 3*pt.cells + int64(len(pt.cats)) + 2
	nz = 4*pt.arcs + 2*pt.cells
	for _, ti := range pt.teams {
		nz += 2 * int64(len(in.teams[ti].roles))
	}
	if in.maxMoves > 0 || pt.charged {
		cols += pt.arcs
		rows += 2 * pt.arcs
		nz += 5 * pt.arcs
	}
	return rows, cols, nz
}

// buildMIP builds the programme of a part. fixed, when not nil, fixes the
// team decisions and makes the moves continuous (the programme whose duals
// give marginal values).
func (in *inst) buildMIP(pt *part, fixed map[int32]bool) *mipModel {
	pm := &mipModel{m: lp.NewModel("pool"), yCol: map[int32]int{}, zCol: map[int32]int{},
		useRow: map[int32]int{}, minRow: map[int32]int{}}
	outOf, into := in.mipMoves(pm, pt, fixed)
	in.mipNeed(pm, pt)
	in.mipTeams(pm, pt, fixed)
	in.mipCellRows(pm, pt, outOf, into)
	in.mipMoveVars(pm, fixed)
	in.mipObjectives(pm)
	in.mipCaps(pm, pt)
	return pm
}

// mipMoveVars adds the binary m of each move that a move count or move
// rules need, linked to the move's staff: x ≤ spare × m, and x ≥ the
// smallest size × m. The programme whose duals give marginal values
// (teams fixed) has none.
func (in *inst) mipMoveVars(pm *mipModel, fixed map[int32]bool) {
	m := pm.m
	pm.mCol = make([]int, len(pm.xCol))
	for i, col := range pm.xCol {
		pm.mCol[i] = -1
		_, low, charged := in.moveRules(pm.arcCat[i])
		if fixed != nil || in.maxMoves <= 0 && !charged {
			continue
		}
		mv := m.AddVar(fmt.Sprintf("m_%d", i), 0, 1, 0, lp.Binary)
		pm.mCol[i] = mv
		_, hi := m.Bounds(col)
		m.AddRow(fmt.Sprintf("link_%d", i), []int{col, mv}, []float64{1, -hi}, lp.LE, 0)
		if low > 0 {
			m.AddRow(fmt.Sprintf("low_%d", i), []int{col, mv}, []float64{1, -low}, lp.GE, 0)
		}
	}
}

// mipMoves adds the columns x of the candidate moves (integer in whole
// units unless the teams are fixed) and returns the columns out of and
// into each cell.
func (in *inst) mipMoves(pm *mipModel, pt *part, fixed map[int32]bool) (outOf, into map[int32][]int) {
	kind := lp.Continuous
	if in.integral && fixed == nil {
		kind = lp.Integer
	}
	outOf, into = map[int32][]int{}, map[int32][]int{}
	in.mipArcs(pt, func(h, k, pair, cat int32) {
		cl := &in.cells[h]
		col := pm.m.AddVar(fmt.Sprintf("x_%d_%d_%d", cl.site, in.cells[k].site, cat),
			0, cl.spare*in.scale, 0, kind)
		pm.xCol = append(pm.xCol, col)
		pm.arcFrom = append(pm.arcFrom, h)
		pm.arcTo = append(pm.arcTo, k)
		pm.arcPair = append(pm.arcPair, pair)
		pm.arcCat = append(pm.arcCat, cat)
		outOf[h] = append(outOf[h], col)
		into[k] = append(into[k], col)
	})
	return outOf, into
}

// mipNeed adds the columns y of the need covered at each cell.
func (in *inst) mipNeed(pm *mipModel, pt *part) {
	for _, c := range pt.cats {
		for _, ci := range in.catCells[c] {
			cl := &in.cells[ci]
			if cl.need > 0 {
				w := cl.weight / in.scale
				pm.yCol[ci] = pm.m.AddVar(fmt.Sprintf("y_%d", ci), 0, cl.need*in.scale, 0, lp.Continuous)
				pm.first = append(pm.first, -w)
				pm.firstIx = append(pm.firstIx, pm.yCol[ci])
				pm.constant += cl.weight * cl.need
			}
		}
	}
}

// mipTeams adds the columns z of the team decisions: binary, 1 for a
// required team, or fixed to the given decisions.
func (in *inst) mipTeams(pm *mipModel, pt *part, fixed map[int32]bool) {
	for _, ti := range pt.teams {
		t := &in.teams[ti]
		lo, hi := 0.0, 1.0
		if t.required {
			lo = 1
		}
		k := lp.Binary
		if fixed != nil {
			k = lp.Continuous
			if fixed[ti] {
				lo, hi = 1, 1
			} else {
				lo, hi = 0, 0
			}
		}
		pm.zCol[ti] = pm.m.AddVar(fmt.Sprintf("z_%d", ti), lo, hi, 0, k)
		pm.first = append(pm.first, -t.weight*t.fte)
		pm.firstIx = append(pm.firstIx, pm.zCol[ti])
		pm.constant += t.weight * t.fte
	}
}

// mipCellRows adds the rows of each cell: what it sends within its spare
// staff (out), the staff present for its uses (use) and its minimum
// staff (min).
func (in *inst) mipCellRows(pm *mipModel, pt *part, outOf, into map[int32][]int) {
	m, scale := pm.m, in.scale
	roleAt := map[int32][][2]float64{} // cell → (z column, units)
	for _, ti := range pt.teams {
		for _, r := range in.teams[ti].roles {
			roleAt[r.cell] = append(roleAt[r.cell], [2]float64{float64(pm.zCol[ti]), r.fte * scale})
		}
	}
	for _, c := range pt.cats {
		for _, ci := range in.catCells[c] {
			cl := &in.cells[ci]
			if outs := outOf[ci]; len(outs) > 1 {
				m.AddRow(fmt.Sprintf("out_%d", ci), outs, ones(len(outs)), lp.LE, cl.spare*scale)
			}
			var cols []int
			var coefs []float64
			for _, col := range outOf[ci] {
				cols = append(cols, col)
				coefs = append(coefs, 1)
			}
			for _, col := range into[ci] {
				cols = append(cols, col)
				coefs = append(coefs, -1)
			}
			flowCols, flowCoefs := append([]int(nil), cols...), append([]float64(nil), coefs...)
			if y, ok := pm.yCol[ci]; ok {
				cols = append(cols, y)
				coefs = append(coefs, 1)
			}
			for _, zr := range roleAt[ci] {
				cols = append(cols, int(zr[0]))
				coefs = append(coefs, zr[1])
			}
			if len(cols) > len(flowCols) {
				pm.useRow[ci] = m.AddRow(fmt.Sprintf("use_%d", ci), cols, coefs, lp.LE, cl.roll*scale)
			}
			if cl.minFTE > 0 {
				neg := make([]float64, len(flowCoefs))
				for i, v := range flowCoefs {
					neg[i] = -v
				}
				pm.minRow[ci] = m.AddRow(fmt.Sprintf("min_%d", ci), flowCols, neg, lp.GE, (cl.minFTE-cl.roll)*scale)
			}
		}
	}
}

// mipObjectives adds the continuous copies of the two objectives, tied to
// their expressions by equality rows (see lpOptions).
func (in *inst) mipObjectives(pm *mipModel) {
	m := pm.m
	pm.theta1 = m.AddVar("first_objective", math.Inf(-1), math.Inf(1), 0, lp.Continuous)
	cols := append([]int{pm.theta1}, pm.firstIx...)
	coefs := []float64{1}
	for _, v := range pm.first {
		coefs = append(coefs, -v)
	}
	m.AddRow("first_objective", cols, coefs, lp.EQ, 0)
	pm.theta2 = m.AddVar("second_objective", math.Inf(-1), math.Inf(1), 0, lp.Continuous)
	cols = []int{pm.theta2}
	coefs = []float64{1}
	sessionsPerUnit := in.opt.SessionsPerFTE / in.scale
	for i, col := range pm.xCol {
		cols = append(cols, col)
		coefs = append(coefs, -in.sessionCost(pm.arcCat[i], &in.pairs[pm.arcPair[i]])*sessionsPerUnit)
		if f := in.cats[pm.arcCat[i]].perMove; f > 0 && pm.mCol[i] >= 0 {
			cols = append(cols, pm.mCol[i])
			coefs = append(coefs, -f)
		}
	}
	m.AddRow("second_objective", cols, coefs, lp.EQ, 0)
}

// mipCaps adds the caps on the FTE moved, by category and in all, and the
// count of moves.
func (in *inst) mipCaps(pm *mipModel, pt *part) {
	m, scale := pm.m, in.scale
	byCat := map[int32][]int{}
	for i, col := range pm.xCol {
		byCat[pm.arcCat[i]] = append(byCat[pm.arcCat[i]], col)
	}
	for _, c := range pt.cats {
		if cp := in.cats[c].capFTE; cp > 0 && len(byCat[c]) > 0 {
			m.AddRow(fmt.Sprintf("cap_%d", c), byCat[c], ones(len(byCat[c])), lp.LE, cp*scale)
		}
	}
	if in.globalCap > 0 && len(pm.xCol) > 0 {
		m.AddRow("moved", pm.xCol, ones(len(pm.xCol)), lp.LE, in.globalCap*scale)
	}
	if in.maxMoves > 0 && len(pm.xCol) > 0 {
		var mc []int
		for _, mv := range pm.mCol {
			if mv >= 0 {
				mc = append(mc, mv)
			}
		}
		if len(mc) > 0 {
			m.AddRow("moves", mc, ones(len(mc)), lp.LE, float64(in.maxMoves))
		}
	}
}

// ones returns n ones.
func ones(n int) []float64 {
	o := make([]float64, n)
	for i := range o {
		o[i] = 1
	}
	return o
}

// setObjective makes f × the first objective + g × the second the model's
// objective.
func (in *inst) setObjective(pm *mipModel, f, g float64) {
	pm.m.SetObj(pm.theta1, f)
	pm.m.SetObj(pm.theta2, g)
	pm.m.SetObjConstant(f * pm.constant)
}

// solveMIPPart solves a coupled part with lp_solve: in two stages for the
// lexicographic objective, in one for the weighted sum.
func (s *solver) solveMIPPart(pt *part) error {
	in := s.in
	pm := in.buildMIP(pt, nil)
	s.mu.Lock()
	s.stats.MIPs++
	s.stats.MIPRows = max(s.stats.MIPRows, pm.m.NumRows())
	s.stats.MIPColumns = max(s.stats.MIPColumns, pm.m.NumVars())
	s.stats.Arcs += len(pm.xCol)
	s.mu.Unlock()
	lexi := s.lexi()
	if lexi {
		in.setObjective(pm, 1, 0)
	} else {
		in.setObjective(pm, in.opt.UnmetValueMAD, 1)
	}
	sol, err := lp.Solve(s.ctx, pm.m, lpOptions)
	if err != nil {
		switch {
		case errors.Is(err, gst.ErrInfeasible):
			pt.short = append(pt.short, &gst.InfeasibleError{Op: op, Rule: "hard rules", Reason: "the hard rules clash"})
			return nil
		case errors.Is(err, gst.ErrNoSolution) && stop.ByContext(s.ctx, err):
			s.stop(pt)
			return nil
		}
		return fmt.Errorf("allocate: pool: integer programme: %w", err)
	}
	pt.lb = sol.Bound
	pt.exact = sol.Status == gst.StatusOptimal
	x := sol.X
	if lexi && pt.exact {
		// Second stage: keep the first objective at its optimum.
		opt1 := sol.Objective
		tol := in.opt.GapTolerance * math.Max(1, math.Abs(opt1))
		pm.m.SetBounds(pm.theta1, math.Inf(-1), opt1-pm.constant+tol)
		in.setObjective(pm, 0, 1)
		sol2, err := lp.Solve(s.ctx, pm.m, lpOptions)
		switch {
		case err == nil:
			x = sol2.X
			pt.costExact = sol2.Status == gst.StatusOptimal
			pt.costKnown = true
			pt.costLB = sol2.Bound
			if sol2.Status != gst.StatusOptimal {
				s.mu.Lock()
				s.notesAdd(fmt.Sprintf("the second stage (travel cost) of a coupled part stopped before optimality (%v)", sol2.Status))
				s.mu.Unlock()
				if sol2.Status == gst.StatusTimeLimit || sol2.Status == gst.StatusCanceled {
					s.mu.Lock()
					if s.stopped == nil {
						s.stopped = stop.Cause(s.ctx, sol2.Status)
					}
					s.mu.Unlock()
				}
			}
		case stop.ByContext(s.ctx, err):
			s.mu.Lock()
			s.notesAdd("the second stage (travel cost) of a coupled part was stopped; the moves minimise unmet need only")
			if s.stopped == nil {
				s.stopped = stop.Cause(s.ctx, gst.StatusTimeLimit)
			}
			s.mu.Unlock()
		default:
			return fmt.Errorf("allocate: pool: integer programme, second stage: %w", err)
		}
	} else if !pt.exact && (sol.Status == gst.StatusTimeLimit || sol.Status == gst.StatusCanceled) {
		s.mu.Lock()
		if s.stopped == nil {
			s.stopped = stop.Cause(s.ctx, sol.Status)
		}
		s.mu.Unlock()
	}
	pt.moves = pt.moves[:0]
	for i, col := range pm.xCol {
		v := x[col]
		if in.integral {
			v = math.Round(v)
		} else {
			v = math.Round(v*1e7) / 1e7 // lp_solve's noise
		}
		if v > 1e-9 {
			pt.moves = append(pt.moves, moveFlow{from: pm.arcFrom[i], to: pm.arcTo[i], pair: pm.arcPair[i], fte: v / in.scale})
		}
	}
	pt.deliver = map[int32]bool{}
	for ti, col := range pm.zCol {
		pt.deliver[ti] = x[col] > 0.5
	}
	return nil
}

// mipMarginal returns the marginal values of a capped part's cells from the
// duals of its linear programme with the team decisions fixed.
func (s *solver) mipMarginal(pt *part, deliver map[int32]bool) (map[int32]float64, error) {
	in := s.in
	pm := in.buildMIP(pt, deliver)
	in.setObjective(pm, 1, 0)
	sol, err := lp.Solve(s.ctx, pm.m, &lp.Options{Duals: true})
	if err != nil {
		return nil, err
	}
	out := map[int32]float64{}
	if sol.Duals == nil {
		return out, nil
	}
	for _, c := range pt.cats {
		for _, ci := range in.catCells[c] {
			v := 0.0
			if r, ok := pm.useRow[ci]; ok {
				v -= sol.Duals[r]
			}
			if r, ok := pm.minRow[ci]; ok {
				v += sol.Duals[r]
			}
			v *= in.scale
			if math.Abs(v) < 1e-9 {
				v = 0
			}
			out[ci] = v
		}
	}
	return out, nil
}
