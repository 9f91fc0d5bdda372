package lp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
	"unsafe"

	"github.com/draffensperger/golp"

	"github.com/gstplan/gst"
)

// Simplex selects the simplex variants lp_solve uses in its two phases.
type Simplex int

// The simplex variants.
const (
	// SimplexDefault keeps lp_solve's default: the dual simplex in
	// phase 1, the primal in phase 2.
	SimplexDefault Simplex = iota
	// SimplexPrimal uses the primal simplex in both phases. On some
	// small, degenerate infeasible models lp_solve's dual simplex fails
	// with an accuracy error where the primal proves infeasibility.
	SimplexPrimal
)

// Scaling selects how lp_solve scales the model before the simplex.
type Scaling int

// The scaling modes.
const (
	// ScalingDefault keeps lp_solve's default (geometric mean scaling with
	// equilibration, integer columns included: SCALE_GEOMETRIC +
	// SCALE_EQUILIBRATE + SCALE_INTEGERS, 196).
	ScalingDefault Scaling = iota
	// ScalingNone turns scaling off.
	ScalingNone
	// ScalingGeometric is geometric mean scaling with equilibration,
	// integer columns included.
	ScalingGeometric
	// ScalingCurtisReid is Curtis–Reid scaling with equilibration, integer
	// columns included.
	ScalingCurtisReid
	// ScalingGeometricPower2 is ScalingGeometric with every factor rounded
	// to a power of 2 (SCALE_POWER2), so that scaling the coefficients
	// and unscaling the answer lose no precision.
	ScalingGeometricPower2
)

// Branch selects which branch of a fractional integer column
// branch and bound explores first.
type Branch int

// The branching directions.
const (
	// BranchDefault keeps lp_solve's default, BranchCeiling.
	BranchDefault Branch = iota
	// BranchCeiling explores the branch x ≥ ⌈v⌉ first.
	BranchCeiling
	// BranchFloor explores the branch x ≤ ⌊v⌋ first.
	BranchFloor
	// BranchAuto lets lp_solve choose from the fractional part.
	BranchAuto
)

// ErrIterationLimit is wrapped by the error of a solve that
// Options.MaxIterations stopped before it found an answer.
var ErrIterationLimit = errors.New("lp: stopped at the iteration limit")

// Options tune Solve. A nil *Options means the defaults given in each
// field's comment.
type Options struct {
	// TimeLimit bounds the wall time of the solve; 0 (the default) means no
	// limit besides the context's deadline. The earlier of the two applies.
	TimeLimit time.Duration
	// MIPGapRel and MIPGapAbs loosen lp_solve's pruning rules
	// (set_mip_gap, relative and absolute): branch and bound drops nodes
	// that cannot beat the incumbent by more than the gap, and ends
	// sooner. 0 (the default) keeps lp_solve's defaults, 1e-9 and 1e-11,
	// under which OPTIMAL is a proof. With a loosened gap lp_solve's
	// pruning guarantees nothing (an absolute gap of 0.5 on a knapsack
	// with integer values returned a solution 2.4% below the optimum), so
	// the result then has Status StatusFeasible and the root relaxation as
	// Bound, unless that bound proves the incumbent optimal.
	MIPGapRel float64
	MIPGapAbs float64
	// Duals asks for the dual value of every row and the reduced cost of
	// every column (Solution.Duals, Solution.ReducedCosts). Default false:
	// sensitivity analysis costs time.
	Duals bool
	// Presolve lets lp_solve remove rows and columns before the simplex
	// (PRESOLVE_ROWS, PRESOLVE_COLS and PRESOLVE_LINDEP). Default false.
	// X is reported for every column either way. Presolve is ignored when
	// Duals is set, because lp_solve 5.5 gives no duals for the rows and
	// columns it removed.
	Presolve bool
	// Scaling selects the scaling mode. Default ScalingDefault.
	Scaling Scaling
	// Simplex selects the simplex variants of the two phases. Default
	// SimplexDefault.
	Simplex Simplex
	// Branch selects the branching direction. Default BranchDefault
	// (ceiling first).
	Branch Branch
	// NodeRule is passed to lp_solve's set_bb_rule: a NODE_* selection
	// rule plus mode flags (lp_lib.h). 0 (the default) is
	// NODE_FIRSTSELECT, lp_solve's default: the lowest indexed
	// non-integer column.
	NodeRule int
	// BreakAtFirst stops branch and bound at the first integer solution;
	// the result then has Status StatusFeasible. Default false.
	BreakAtFirst bool
	// EpsInt is the tolerance within which a value counts as integer. 0
	// (the default) keeps lp_solve's default, 1e-7.
	EpsInt float64
	// Verbose lets lp_solve print its progress (lp_solve's NORMAL level)
	// on standard error. Default false: nothing is printed.
	Verbose bool
	// Start, when not nil, is the basis an earlier Solve returned
	// (Solution.Basis) for a model with the same columns and the same rows,
	// or the same rows followed by rows added since (cuts; they start with
	// their slacks basic); bounds, right-hand sides and the objective may
	// differ. The simplex starts from it, which after small changes takes
	// a few iterations instead of a solve from scratch. A basis of another
	// shape is ignored. Only linear programmes (no integer columns) use
	// it. Default nil.
	Start *Basis
	// MaxIterations stops the simplex after this many iterations (0, the
	// default: no limit). A solve stopped by it returns an error wrapping
	// ErrIterationLimit and gst.ErrNoSolution, with StatusFailed. It is a
	// limit of work, the same on every machine, where a time limit is not:
	// a caller that starts from a basis can use it to give up on a warm
	// start that stalls and solve again from scratch.
	MaxIterations int64
	// KeepBasis asks for the final basis of a linear programme
	// (Solution.Basis), to start a later Solve from. Default false.
	KeepBasis bool
	// DirectObjective hands a MIP's objective to lp_solve as it is. By
	// default (false) a MIP's objective is moved onto a continuous copy,
	// as a guard: lp_solve 5.5 estimates the smallest step by which a
	// MIP's objective can improve from its coefficients (MIP_stepOF in
	// lp_lib.c) and prunes every node that cannot improve by that step,
	// and users of lp_solve have reported estimates too large on
	// objectives with fractional coefficients or mixed integer and
	// continuous columns, with a worse solution called OPTIMAL. (The
	// project's brute-force tests have not caught it with lp_solve
	// 5.5.2.5; the guard stays because a wrong proof is worse than a slow
	// one.) With the objective on a free continuous column θ tied to it
	// by an equality row that also holds a column fixed at zero, lp_solve
	// derives no step and prunes only what its bounds prove. The copy
	// costs one dense row (up to about 40% more time on large
	// assignment-type MIPs); X, Duals and ReducedCosts are those of the
	// model as built. Pure LPs are never changed.
	DirectObjective bool
}

func (o *Options) validate() error {
	var errs []error
	check := func(name string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			errs = append(errs, fmt.Errorf("%w: lp: option %s = %v, want a finite number ≥ 0", gst.ErrInvalid, name, v))
		}
	}
	if o.TimeLimit < 0 {
		errs = append(errs, fmt.Errorf("%w: lp: option TimeLimit = %v is negative", gst.ErrInvalid, o.TimeLimit))
	}
	check("MIPGapRel", o.MIPGapRel)
	check("MIPGapAbs", o.MIPGapAbs)
	check("EpsInt", o.EpsInt)
	if o.EpsInt >= 0.5 {
		errs = append(errs, fmt.Errorf("%w: lp: option EpsInt = %v, want < 0.5", gst.ErrInvalid, o.EpsInt))
	}
	if o.Scaling < ScalingDefault || o.Scaling > ScalingGeometricPower2 {
		errs = append(errs, fmt.Errorf("%w: lp: unknown Scaling %d", gst.ErrInvalid, int(o.Scaling)))
	}
	if o.Simplex < SimplexDefault || o.Simplex > SimplexPrimal {
		errs = append(errs, fmt.Errorf("%w: lp: unknown Simplex %d", gst.ErrInvalid, int(o.Simplex)))
	}
	if o.Branch < BranchDefault || o.Branch > BranchAuto {
		errs = append(errs, fmt.Errorf("%w: lp: unknown Branch %d", gst.ErrInvalid, int(o.Branch)))
	}
	if o.NodeRule < 0 || o.NodeRule >= 1<<16 {
		errs = append(errs, fmt.Errorf("%w: lp: NodeRule %d out of range", gst.ErrInvalid, o.NodeRule))
	}
	return errors.Join(errs...)
}

// Solution is the result of Solve.
//
// Values are in the model's own terms: Objective includes the objective
// constant and is a maximum for a maximisation. When Status has no
// solution (see gst.Status.HasSolution), X, Duals and ReducedCosts are nil
// and Objective is NaN.
type Solution struct {
	// Status says how good the answer is.
	Status gst.Status
	// Maximize is copied from the model: it says which way Objective and
	// Bound point.
	Maximize bool
	// Objective is Σ obj_j·X_j + constant, computed from X; NaN when
	// there is no answer.
	Objective float64
	// Bound is a proven bound on the optimal objective: a lower bound for
	// a minimisation, an upper bound for a maximisation. For a model
	// solved to optimality it equals Objective. For a MIP stopped early
	// (time limit, cancellation, BreakAtFirst, loosened gaps) it is the
	// objective of the root LP relaxation, which lp_solve solves anyway:
	// lp_solve 5.5 keeps no bound over the open nodes of its depth-first
	// search, so the bound does not improve as the search goes on. When
	// nothing is known it is -Inf for a minimisation and +Inf for a
	// maximisation, so that gst.Gap reports +Inf.
	Bound float64
	// X holds the value of every column.
	X []float64
	// Duals holds, when Options.Duals is set, the dual value of every row:
	// the rate of change of the optimal Objective per unit increase of the
	// row's right-hand side, in the model's own sense (for a
	// maximisation, the marginal gain). So a binding ≤ row of a
	// minimisation has a dual ≤ 0, a binding ≥ row a dual ≥ 0, and the
	// signs flip for a maximisation. Rows without coefficients have dual 0.
	// For a MIP these are the duals of the LP at the branch-and-bound node
	// that gave X, with that node's branching bounds: indicative only.
	// Duals and ReducedCosts stay nil when lp_solve has no sensitivity
	// data for the returned point.
	Duals []float64
	// ReducedCosts holds, when Options.Duals is set, the reduced cost of
	// every column: obj_j − Σ_i Duals_i·a_ij, the rate of change of
	// Objective per unit increase of a non-basic column's value (0 for a
	// basic column).
	ReducedCosts []float64
	// Violation is the largest violation by X of a row, a bound or
	// integrality (absolute, not scaled); 0 when there is no answer.
	Violation float64
	// Iterations is the number of simplex iterations, over all
	// branch-and-bound nodes.
	Iterations int64
	// Nodes is the number of branch-and-bound nodes explored.
	Nodes int64
	// Time is the wall time of Solve.
	Time time.Duration
	// SolverCode is lp_solve's solve() return code, for diagnostics; -100
	// when the model was solved without lp_solve (no columns, or no row
	// with a coefficient) or not at all.
	SolverCode int
	// Basis is the final basis of an optimal linear programme when
	// Options.KeepBasis asked for it; nil otherwise.
	Basis *Basis
}

// Basis is a simplex basis of a solved linear programme, to start a later
// solve of a model of the same shape from (Options.Start). It is opaque
// and read-only; one Basis may start any number of solves, in parallel.
type Basis struct {
	live []int   // the rows lp_solve saw
	cols int     // the columns
	b    []int32 // lp_solve's basis: 1 + rows + columns entries
}

// startFor returns lp_solve's starting basis for a model with cols
// columns whose rows passed to lp_solve are live: the basis itself when it
// was taken from a model of that shape, the basis extended with the new
// rows' slacks basic when that model had the same columns and its rows
// were the first of live (rows added since, such as cuts), nil otherwise.
func (b *Basis) startFor(live []int, cols int) []int32 {
	if b == nil || b.cols != cols || len(b.live) > len(live) {
		return nil
	}
	for i := range b.live {
		if b.live[i] != live[i] {
			return nil
		}
	}
	r, r2 := len(b.live), len(live)
	if r == r2 {
		return b.b
	}
	// lp_solve numbers the rows' slacks 1..rows and the columns after
	// them; a negative entry is a variable at its lower bound.
	remap := func(v int32) int32 {
		k, neg := v, v < 0
		if neg {
			k = -k
		}
		if int(k) > r {
			k += int32(r2 - r)
		}
		if neg {
			return -k
		}
		return k
	}
	out := make([]int32, 1+r2+cols)
	for i := 1; i <= r; i++ {
		out[i] = remap(b.b[i])
	}
	for i := r + 1; i <= r2; i++ {
		out[i] = -int32(i)
	}
	for i := 1; i <= cols; i++ {
		out[r2+i] = remap(b.b[r+i])
	}
	return out
}

// Gap returns the relative gap between Objective and Bound, as gst.Gap
// computes it (with the signs flipped for a maximisation): 0 for a proven
// optimum, +Inf when there is no answer or no bound.
func (s *Solution) Gap() float64 {
	if s.Maximize {
		return gst.Gap(-s.Objective, -s.Bound)
	}
	return gst.Gap(s.Objective, s.Bound)
}

const (
	noSolverCode = -100
	emptyRowTol  = 1e-9
)

// Solve solves the model with lp_solve and returns its solution.
//
// The model is validated first (see Validate); an invalid model returns a
// nil Solution and an error wrapping gst.ErrInvalid, as do invalid
// options. Then:
//
//   - A context already done returns at once with Status StatusCanceled
//     or StatusTimeLimit and an error wrapping gst.ErrNoSolution and the
//     context's error.
//   - A row without coefficients is checked against its right-hand side
//     here and not passed to lp_solve; one that cannot hold makes the model
//     infeasible. A model without columns, or without any row with a
//     coefficient, is solved here without lp_solve.
//   - Otherwise lp_solve solves it. The context's deadline and TimeLimit
//     stop the solve (checked at every simplex iteration and node, so
//     the stop comes within a few milliseconds on typical models); so does
//     cancelling the context. lp_solve's own whole-second time limit is
//     also set, rounded up, as a backstop.
//
// Status and error:
//
//	lp_solve result                      Status            error
//	OPTIMAL, PRESOLVED                   StatusOptimal     nil
//	SUBOPTIMAL (time or context stop)    StatusTimeLimit   nil
//	                                     or StatusCanceled
//	SUBOPTIMAL (BreakAtFirst), PROCBREAK StatusFeasible    nil
//	INFEASIBLE                           StatusInfeasible  gst.ErrInfeasible
//	UNBOUNDED                            StatusUnbounded   gst.ErrUnbounded
//	TIMEOUT, USERABORT (no incumbent)    StatusTimeLimit   gst.ErrNoSolution
//	                                     or StatusCanceled
//	USERABORT at Options.MaxIterations,  StatusFailed      ErrIterationLimit
//	or SUBOPTIMAL there for a linear                       and gst.ErrNoSolution
//	programme
//	NOMEMORY, DEGENERATE, NUMFAILURE,    StatusFailed      gst.ErrNoSolution
//	other codes
//
// StatusCanceled is used when the caller's context was cancelled,
// StatusTimeLimit for a deadline or TimeLimit. With an error, the returned
// Solution (non-nil once the model is valid) carries the status and
// statistics but no values; with a nil error it carries values.
//
// Solve keeps no state between calls; separate goroutines may solve
// separate models, or the same unmodified model, at the same time.
func Solve(ctx context.Context, m *Model, opt *Options) (*Solution, error) {
	start := time.Now()
	ctx, opt, err := prepare(ctx, m, opt)
	if err != nil {
		return nil, err
	}
	sol := m.newSolution()
	finish := func(err error) (*Solution, error) {
		sol.Time = time.Since(start)
		return sol, err
	}
	if err := notStarted(ctx, sol); err != nil {
		return finish(err)
	}

	live, err := m.liveRows(sol)
	if err != nil {
		return finish(err)
	}
	if len(m.cols) == 0 || len(live) == 0 {
		err := m.solveTrivial(sol, opt)
		return finish(err)
	}
	err = m.solveLPSolve(ctx, sol, opt, live, start)
	return finish(err)
}

// liveRows returns the rows lp_solve sees (those with a nonzero
// coefficient). It reports infeasibility, with the status in sol, when a
// row without one cannot hold or an integer column's bounds hold no
// integer.
func (m *Model) liveRows(sol *Solution) ([]int, error) {
	live := make([]int, 0, len(m.rows))
	for i := range m.rows {
		if m.rowHasCoef(i) {
			live = append(live, i)
		}
	}
	if err := m.emptyRowsHold(sol, live); err != nil {
		return nil, err
	}
	// An integer column whose bounds hold no integer makes lp_solve 5.5.2
	// loop forever in branch and bound; settle it here. Integer bounds are
	// rounded inwards before lp_solve sees them.
	for j, c := range m.cols {
		if c.kind.IsInteger() {
			if lo, hi := intBounds(c.lo, c.hi); lo > hi {
				sol.Status = gst.StatusInfeasible
				return nil, fmt.Errorf("lp: %w: integer column %d %q has no integer value in [%s, %s]",
					gst.ErrInfeasible, j, m.VarName(j), fmtNum(c.lo), fmtNum(c.hi))
			}
		}
	}
	return live, nil
}

// rowHasCoef reports whether row i has a nonzero coefficient.
func (m *Model) rowHasCoef(i int) bool {
	for p := m.start[i]; p < m.start[i+1]; p++ {
		if m.val[p] != 0 {
			return true
		}
	}
	return false
}

// emptyRowsHold reports infeasibility, with the status in sol, when a row
// outside live (so without a coefficient) cannot hold: 0 (sense) rhs.
func (m *Model) emptyRowsHold(sol *Solution, live []int) error {
	var violated []int
	k := 0
	for i := range m.rows {
		if k < len(live) && live[k] == i {
			k++
			continue
		}
		if !emptyRowHolds(m.rows[i].sense, m.rows[i].rhs) {
			violated = append(violated, i)
		}
	}
	if len(violated) == 0 {
		return nil
	}
	sol.Status = gst.StatusInfeasible
	r := m.rows[violated[0]]
	msg := fmt.Sprintf("row %d %q has no coefficients and 0 %s %s cannot hold", violated[0], m.RowName(violated[0]), r.sense, fmtNum(r.rhs))
	if len(violated) > 1 {
		msg += fmt.Sprintf(" (and %d more such rows)", len(violated)-1)
	}
	return fmt.Errorf("lp: %w: %s", gst.ErrInfeasible, msg)
}

// prepare returns the context and options of a solve of m (the
// background context and the default options for nil), and the error of
// invalid options or an invalid model.
func prepare(ctx context.Context, m *Model, opt *Options) (context.Context, *Options, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if opt == nil {
		opt = &Options{}
	}
	if m == nil {
		return nil, nil, fmt.Errorf("%w: lp: nil model", gst.ErrInvalid)
	}
	if err := opt.validate(); err != nil {
		return nil, nil, err
	}
	return ctx, opt, m.Validate()
}

// newSolution is the answer of a solve of m before it has one: no value,
// the bound that proves nothing.
func (m *Model) newSolution() *Solution {
	return &Solution{Maximize: m.maximize, Objective: math.NaN(), Bound: m.trivialBound(), SolverCode: noSolverCode}
}

// notStarted reports, with the status in sol, a context that ended before
// the solve started.
func notStarted(ctx context.Context, sol *Solution) error {
	if err := ctx.Err(); err != nil {
		sol.Status = ctxStatus(ctx)
		return fmt.Errorf("lp: solve not started: %w (%w)", gst.ErrNoSolution, err)
	}
	return nil
}

func ctxStatus(ctx context.Context) gst.Status {
	if errors.Is(ctx.Err(), context.Canceled) {
		return gst.StatusCanceled
	}
	return gst.StatusTimeLimit
}

func emptyRowHolds(s Sense, rhs float64) bool {
	switch s {
	case LE:
		return 0 <= rhs+emptyRowTol
	case GE:
		return 0 >= rhs-emptyRowTol
	}
	return math.Abs(rhs) <= emptyRowTol
}

// intBounds rounds the bounds of an integer column inwards, to the
// integers they hold (within 1e-9).
func intBounds(lo, hi float64) (float64, float64) {
	return math.Ceil(lo - 1e-9), math.Floor(hi + 1e-9)
}

// trivialBound is the bound that proves nothing: -Inf for a minimisation.
func (m *Model) trivialBound() float64 {
	if m.maximize {
		return math.Inf(1)
	}
	return math.Inf(-1)
}

// solveTrivial solves a model whose rows all lack coefficients: every
// column goes to its best bound independently.
func (m *Model) solveTrivial(sol *Solution, opt *Options) error {
	x := make([]float64, len(m.cols))
	var unbounded []int
	for j, c := range m.cols {
		lo, hi := c.lo, c.hi
		if c.kind.IsInteger() {
			lo, hi = intBounds(lo, hi) // lo ≤ hi: checked by Solve
		}
		cost := c.obj
		if m.maximize {
			cost = -cost
		}
		switch {
		case cost > 0:
			if math.IsInf(lo, -1) {
				unbounded = append(unbounded, j)
			}
			x[j] = lo
		case cost < 0:
			if math.IsInf(hi, 1) {
				unbounded = append(unbounded, j)
			}
			x[j] = hi
		default:
			x[j] = math.Min(math.Max(0, lo), hi)
		}
	}
	switch {
	case len(unbounded) > 0:
		sol.Status = gst.StatusUnbounded
		j := unbounded[0]
		return fmt.Errorf("lp: %w: column %d %q improves the objective without limit", gst.ErrUnbounded, j, m.VarName(j))
	}
	sol.Status = gst.StatusOptimal
	sol.X = x
	sol.Objective = m.ObjValue(x)
	sol.Bound = sol.Objective
	sol.Violation = m.violation(x)
	if opt.Duals {
		sol.Duals = make([]float64, len(m.rows))
		sol.ReducedCosts = make([]float64, len(m.cols))
		for j, c := range m.cols {
			sol.ReducedCosts[j] = c.obj
		}
	}
	return nil
}

// lp_solve's solve() return codes (lp_lib.h); golp names most of them.
const (
	codePresolved     = 9
	codeAccuracyError = 25
)

func (m *Model) solveLPSolve(ctx context.Context, sol *Solution, opt *Options, live []int, start time.Time) error {
	copyObj := m.needsObjectiveCopy(opt)
	nRows := len(live)
	if copyObj {
		nRows++
	}
	l := newLP(nRows)
	defer freeLP(l)
	p := lpPtr(l)
	if p == nil {
		sol.Status = gst.StatusFailed
		return fmt.Errorf("lp: %w: unsupported golp layout", gst.ErrNoSolution)
	}
	solveCtx, cancel := solveContext(ctx, opt)
	defer cancel()
	// Settings first, so that nothing is printed while building.
	st := solverSettings(opt)
	st.setTimeout(solveCtx)
	applySettings(p, &st)

	g, err := newAbortGuard(solveCtx)
	if err != nil {
		sol.Status = gst.StatusFailed
		return err
	}
	defer g.flag.free()
	cm := m.columnMatrix(live, copyObj)
	if err := g.load(p, cm, ctx, solveCtx, sol); err != nil {
		return err
	}
	if m.maximize {
		l.SetMaximize()
	}
	var basis []int32
	if !copyObj && m.NumIntegers() == 0 {
		basis = opt.Start.startFor(live, len(m.cols))
	}
	return m.runLoaded(loaded{l: l, p: p, live: live, cm: cm, nRows: nRows, copyObj: copyObj},
		solveRun{ctx: ctx, solveCtx: solveCtx, g: g, st: st, opt: opt, sol: sol, start: start, basis: basis})
}

// solveContext returns the context of a solve: ctx, ended also by
// opt.TimeLimit.
func solveContext(ctx context.Context, opt *Options) (context.Context, context.CancelFunc) {
	if opt.TimeLimit > 0 {
		return context.WithTimeout(ctx, opt.TimeLimit)
	}
	return ctx, func() {}
}

// setTimeout sets lp_solve's whole-second time limit, a backstop to the
// abort flag, to what is left of solveCtx's time; lp_solve counts it from
// solve().
func (st *settings) setTimeout(solveCtx context.Context) {
	if dl, ok := solveCtx.Deadline(); ok {
		st.timeoutSec = max(int64(math.Ceil(time.Until(dl).Seconds())), 1)
	}
}

// loaded is a model as lp_solve holds it: the lprec, the rows it sees
// (live), the matrix handed to it and its row count (with the objective
// copy row when copyObj).
type loaded struct {
	l       *golp.LP
	p       unsafe.Pointer
	live    []int
	cm      *columnMatrix
	nRows   int
	copyObj bool
}

// solveRun is one solve of a loaded model: its contexts, abort guard,
// settings and options, the solution it fills, when it started and the
// basis to start from (nil: lp_solve's own).
type solveRun struct {
	ctx, solveCtx context.Context
	g             *abortGuard
	st            settings
	opt           *Options
	sol           *Solution
	start         time.Time
	basis         []int32
}

// runLoaded solves the loaded model and fills the solution: status,
// statistics, values, bound, duals and basis as asked.
func (m *Model) runLoaded(ld loaded, r solveRun) error {
	p, sol, opt := ld.p, r.sol, r.opt
	r.st.setTimeout(r.solveCtx)
	applySettings(p, &r.st)
	r.g.flag.setMaxIterations(opt.MaxIterations)
	r.g.flag.install(p)
	setBasis(p, r.basis)

	code := int(ld.l.Solve())

	r.g.waitStop()
	raised := r.g.flag.raised()
	abortFlag{}.install(p)
	stats := getStats(p)
	sol.SolverCode = code
	sol.Iterations = stats.iter
	sol.Nodes = stats.nodes
	early := stopReason{ctx: r.ctx, solveCtx: r.solveCtx, raised: raised, iterations: r.g.flag.hitIterations() && !raised,
		linear: m.NumIntegers() == 0, timeoutSec: r.st.timeoutSec, start: r.start}
	if err := solveStatus(sol, code, raised, early); err != nil {
		return err
	}
	if err := m.primal(p, sol, stats, opt, code); err != nil {
		return err
	}
	m.bound(sol, stats, opt)
	if opt.Duals {
		m.duals(p, sol, stats, ld.live, ld.cm, ld.nRows)
	}
	if opt.KeepBasis && !ld.copyObj && m.NumIntegers() == 0 && sol.Status == gst.StatusOptimal {
		if b := getBasis(p, ld.nRows, len(m.cols)); b != nil {
			sol.Basis = &Basis{live: append([]int(nil), ld.live...), cols: len(m.cols), b: b}
		}
	}
	return nil
}

// needsObjectiveCopy reports whether a MIP's objective moves onto a
// continuous copy (see Options.DirectObjective): one more row, and two
// more columns θ (free, objective 1) and ψ (fixed at 0).
func (m *Model) needsObjectiveCopy(opt *Options) bool {
	if opt.DirectObjective || m.NumIntegers() == 0 {
		return false
	}
	for _, c := range m.cols {
		if c.obj != 0 {
			return true
		}
	}
	return false
}

// solverSettings translates the options into lp_solve's settings.
func solverSettings(opt *Options) settings {
	st := settings{verbose: int(golp.NEUTRAL), gapAbs: -1, gapRel: -1, scaling: -1, floorFirst: -1, bbRule: opt.NodeRule}
	if opt.Verbose {
		st.verbose = int(golp.NORMAL)
	}
	if opt.MIPGapAbs > 0 {
		st.gapAbs = opt.MIPGapAbs
	}
	if opt.MIPGapRel > 0 {
		st.gapRel = opt.MIPGapRel
	}
	st.epsInt = opt.EpsInt
	switch opt.Scaling {
	case ScalingNone:
		st.scaling = 0
	case ScalingGeometric:
		st.scaling = 4 + 64 + 128 // SCALE_GEOMETRIC + SCALE_EQUILIBRATE + SCALE_INTEGERS
	case ScalingCurtisReid:
		st.scaling = 7 + 64 + 128 // SCALE_CURTISREID + SCALE_EQUILIBRATE + SCALE_INTEGERS
	case ScalingGeometricPower2:
		st.scaling = 4 + 32 + 64 + 128 // SCALE_GEOMETRIC + SCALE_POWER2 + SCALE_EQUILIBRATE + SCALE_INTEGERS
	}
	switch opt.Branch {
	case BranchCeiling:
		st.floorFirst = 0
	case BranchFloor:
		st.floorFirst = 1
	case BranchAuto:
		st.floorFirst = 2
	}
	// lp_solve 5.5 reports no duals for what presolve removed, so Duals
	// wins over Presolve.
	if opt.Duals {
		st.presolve = presolveSensDuals
	} else if opt.Presolve {
		st.presolve = presolveRows | presolveCols | presolveLindep
	}
	st.breakAtFirst = opt.BreakAtFirst
	if opt.Simplex == SimplexPrimal {
		st.simplex = 5 // SIMPLEX_PRIMAL_PRIMAL
	}
	return st
}

// abortGuard is a flag lp_solve polls, raised when the solve's context is
// done. It is set up before the model is loaded, which for large models
// takes a while, so that loading too stops at the deadline.
type abortGuard struct {
	flag abortFlag
	stop func() bool
	done chan struct{}
}

func newAbortGuard(solveCtx context.Context) (*abortGuard, error) {
	g := &abortGuard{flag: newAbortFlag(), done: make(chan struct{})}
	if g.flag.p == nil {
		return nil, fmt.Errorf("lp: %w: out of memory", gst.ErrNoSolution)
	}
	g.stop = context.AfterFunc(solveCtx, func() {
		g.flag.raise()
		close(g.done)
	})
	if solveCtx.Err() != nil {
		g.flag.raise()
	}
	return g, nil
}

// waitStop returns once the context callback can no longer touch the flag,
// so that it may be freed.
func (g *abortGuard) waitStop() {
	if !g.stop() {
		<-g.done
	}
}

// load hands the matrix to lp_solve, which the flag may stop.
func (g *abortGuard) load(p unsafe.Pointer, cm *columnMatrix, ctx, solveCtx context.Context, sol *Solution) error {
	switch loadColumns(p, cm.rowType, cm.rhs, cm.colStart, cm.rowNo, cm.val, cm.lo, cm.hi, cm.isInt, g.flag) {
	case -1:
		g.waitStop()
		sol.Status = gst.StatusTimeLimit
		reason := "time limit"
		if errors.Is(ctx.Err(), context.Canceled) {
			sol.Status, reason = gst.StatusCanceled, "context cancelled"
		}
		return fmt.Errorf("lp: %w: stopped (%s) while loading the model into lp_solve: %w", gst.ErrNoSolution, reason, contextErr(solveCtx))
	case 0:
		g.waitStop()
		sol.Status = gst.StatusFailed
		return fmt.Errorf("lp: %w: lp_solve could not store the model (out of memory?)", gst.ErrNoSolution)
	}
	return nil
}

// columnMatrix is the model as lp_solve loads it: compressed sparse
// columns built from the live rows (row 0 is the objective), with the row
// types, right-hand sides and column bounds.
type columnMatrix struct {
	nc       int // columns handed to lp_solve
	rowType  []int32
	rhs      []float64
	colStart []int32
	rowNo    []int32
	val      []float64
	lo, hi   []float64
	isInt    []byte
	used     []bool // whether a column has an entry in some row
}

// columnMatrix builds the matrix of the live rows; with copyObj the
// objective coefficients go into the copy row Σ c_j x_j − θ + ψ = 0.
func (m *Model) columnMatrix(live []int, copyObj bool) *columnMatrix {
	n := len(m.cols)
	nRows := len(live)
	cm := &columnMatrix{nc: n}
	objRow := int32(0) // where the objective coefficients go
	if copyObj {
		nRows++
		cm.nc += 2
		objRow = int32(len(live) + 1)
	}
	nc := cm.nc
	cm.rowType = make([]int32, nRows)
	cm.rhs = make([]float64, nRows)
	if copyObj {
		cm.rowType[len(live)] = int32(golp.EQ)
	}
	colCount := m.columnCounts(live, copyObj, cm)
	cm.colStart = make([]int32, nc+1)
	for j := 1; j <= nc; j++ {
		colCount[j] += colCount[j-1]
		cm.colStart[j] = int32(colCount[j])
	}
	nnz := colCount[nc]
	cm.rowNo = make([]int32, nnz)
	cm.val = make([]float64, nnz)
	next := colCount[:nc] // next free slot of each column
	cm.used = make([]bool, n)
	for j, c := range m.cols {
		if c.obj != 0 {
			cm.rowNo[next[j]], cm.val[next[j]] = objRow, c.obj
			next[j]++
		}
	}
	if copyObj {
		cm.rowNo[next[n]], cm.val[next[n]] = 0, 1
		cm.rowNo[next[n]+1], cm.val[next[n]+1] = objRow, -1
		cm.rowNo[next[n+1]], cm.val[next[n+1]] = objRow, 1
	}
	for k, i := range live {
		for q := m.start[i]; q < m.start[i+1]; q++ {
			if v := m.val[q]; v != 0 {
				j := m.ind[q]
				cm.rowNo[next[j]], cm.val[next[j]] = int32(k+1), v
				next[j]++
				cm.used[j] = true
			}
		}
	}
	m.columnBounds(cm, copyObj)
	return cm
}

// columnCounts sets the row types and right-hand sides and returns the
// entries of each column, shifted by one (the start of a prefix sum).
func (m *Model) columnCounts(live []int, copyObj bool, cm *columnMatrix) []int {
	n := len(m.cols)
	colCount := make([]int, cm.nc+1)
	for j, c := range m.cols {
		if c.obj != 0 {
			colCount[j+1]++
		}
	}
	if copyObj {
		colCount[n+1] = 2 // θ: objective 1, copy row −1
		colCount[n+2] = 1 // ψ: copy row 1
	}
	for k, i := range live {
		switch m.rows[i].sense {
		case LE:
			cm.rowType[k] = int32(golp.LE)
		case GE:
			cm.rowType[k] = int32(golp.GE)
		default:
			cm.rowType[k] = int32(golp.EQ)
		}
		cm.rhs[k] = m.rows[i].rhs
		for q := m.start[i]; q < m.start[i+1]; q++ {
			if m.val[q] != 0 {
				colCount[m.ind[q]+1]++
			}
		}
	}
	return colCount
}

// columnBounds sets the columns' bounds (integer ones rounded inwards,
// infinite ones at lp_solve's infinity) and integrality; θ is free and ψ
// fixed at 0.
func (m *Model) columnBounds(cm *columnMatrix, copyObj bool) {
	n := len(m.cols)
	cm.lo = make([]float64, cm.nc)
	cm.hi = make([]float64, cm.nc)
	cm.isInt = make([]byte, cm.nc)
	if copyObj {
		cm.lo[n], cm.hi[n] = -lpInfinity, lpInfinity
	}
	for j, c := range m.cols {
		l, h := c.lo, c.hi
		if c.kind.IsInteger() {
			l, h = intBounds(l, h)
			cm.isInt[j] = 1
		}
		cm.lo[j], cm.hi[j] = math.Max(l, -lpInfinity), math.Min(h, lpInfinity)
	}
}

// stopReason tells a solve that stopped early why.
type stopReason struct {
	ctx, solveCtx context.Context
	raised        bool
	iterations    bool // stopped at Options.MaxIterations
	linear        bool // no integer column
	timeoutSec    int64
	start         time.Time
}

// status returns the status of a solve that stopped early, 0 when it was
// not stopped by the context or the time limit.
func (r stopReason) status() gst.Status {
	if r.raised || r.solveCtx.Err() != nil {
		if errors.Is(r.ctx.Err(), context.Canceled) {
			return gst.StatusCanceled
		}
		return gst.StatusTimeLimit
	}
	if r.timeoutSec > 0 && time.Since(r.start) >= time.Duration(r.timeoutSec)*time.Second {
		return gst.StatusTimeLimit
	}
	return 0
}

// solveStatus sets the status from lp_solve's return code, and returns the
// error of a solve without a usable answer.
func solveStatus(sol *Solution, code int, raised bool, early stopReason) error {
	if (raised || early.iterations) && (code == int(golp.INFEASIBLE) || code == int(golp.UNBOUNDED)) {
		// A verdict reached while the abort flag was up may come from a
		// search cut short; report no answer rather than a false proof.
		code = int(golp.USERABORT)
	}
	if early.iterations && early.linear && code == int(golp.SUBOPTIMAL) {
		// A linear programme stopped at its iteration limit may return
		// SUBOPTIMAL: its point is not an optimum, and nothing it gives
		// is a bound.
		code = int(golp.USERABORT)
	}
	switch golp.SolutionType(code) {
	case golp.OPTIMAL, codePresolved:
		sol.Status = gst.StatusOptimal
	case golp.SUBOPTIMAL, golp.PROCBREAK, golp.FEASFOUND:
		sol.Status = early.status()
		if sol.Status == 0 {
			sol.Status = gst.StatusFeasible
		}
	case golp.INFEASIBLE:
		sol.Status = gst.StatusInfeasible
		return fmt.Errorf("lp: %w (lp_solve: INFEASIBLE)", gst.ErrInfeasible)
	case golp.UNBOUNDED:
		sol.Status = gst.StatusUnbounded
		return fmt.Errorf("lp: %w (lp_solve: UNBOUNDED)", gst.ErrUnbounded)
	case golp.TIMEOUT, golp.USERABORT:
		if early.iterations {
			sol.Status = gst.StatusFailed
			return fmt.Errorf("lp: %w: %w (%d)", gst.ErrNoSolution, ErrIterationLimit, sol.Iterations)
		}
		sol.Status = early.status()
		if sol.Status == 0 {
			sol.Status = gst.StatusTimeLimit
		}
		reason := "time limit"
		if sol.Status == gst.StatusCanceled {
			reason = "context cancelled"
		}
		return fmt.Errorf("lp: %w: stopped (%s) before any solution was found: %w", gst.ErrNoSolution, reason, contextErr(early.solveCtx))
	default:
		sol.Status = gst.StatusFailed
		return fmt.Errorf("lp: %w: lp_solve failed (%s)", gst.ErrNoSolution, codeName(code))
	}
	return nil
}

// primal reads the solution, snaps the integer columns lp_solve left
// within its integrality tolerance (so that callers can compare them
// exactly), and computes its objective and violation.
func (m *Model) primal(p unsafe.Pointer, sol *Solution, stats stats, opt *Options, code int) error {
	x := make([]float64, len(m.cols))
	getPrimal(p, stats.nrows, x)
	for _, v := range x {
		if !finiteSmall(v) {
			sol.Status = gst.StatusFailed
			return fmt.Errorf("lp: %w: lp_solve returned %s with a non-finite value", gst.ErrNoSolution, codeName(code))
		}
	}
	if m.NumIntegers() > 0 {
		snapTol := math.Max(1e-6, opt.EpsInt)
		for j, c := range m.cols {
			if c.kind.IsInteger() {
				if r := math.Round(x[j]); math.Abs(r-x[j]) <= snapTol && r >= c.lo && r <= c.hi {
					x[j] = r
				}
			}
		}
	}
	sol.X = x
	sol.Objective = m.ObjValue(x)
	sol.Violation = m.violation(x)
	return nil
}

// bound sets the proven bound: the objective of an optimal LP, and for a
// MIP the root relaxation, which lp_solve solves anyway (it keeps no bound
// over its open nodes).
func (m *Model) bound(sol *Solution, stats stats, opt *Options) {
	isMIP := m.NumIntegers() > 0
	switch {
	case !isMIP && sol.Status == gst.StatusOptimal:
		sol.Bound = sol.Objective
	case isMIP:
		root := m.trivialBound()
		if finiteSmall(stats.relaxed) {
			root = m.better(stats.relaxed+m.objConst, sol.Objective)
		}
		sol.Bound = root
		if sol.Status == gst.StatusOptimal {
			if opt.MIPGapAbs == 0 && opt.MIPGapRel == 0 {
				sol.Bound = sol.Objective
			} else if math.Abs(root-sol.Objective) > 1e-9*(1+math.Abs(sol.Objective)) {
				// With loosened gaps lp_solve's OPTIMAL proves nothing
				// (its pruning then can drop far better solutions).
				sol.Status = gst.StatusFeasible
			}
		}
	}
}

// duals reads the duals of the live rows and the reduced costs of the
// columns (without θ and ψ).
func (m *Model) duals(p unsafe.Pointer, sol *Solution, stats stats, live []int, cm *columnMatrix, nRows int) {
	duals := make([]float64, stats.nrows)
	rc := make([]float64, stats.ncols)
	if stats.nrows != nRows || stats.ncols != cm.nc || !getDuals(p, duals, rc) {
		return
	}
	rc = rc[:len(m.cols)]
	sol.Duals = make([]float64, len(m.rows))
	for k, i := range live {
		sol.Duals[i] = cleanZero(duals[k])
	}
	for j := range rc {
		rc[j] = cleanZero(rc[j])
		if !cm.used[j] {
			// lp_solve reports 0 for a column without entries; its
			// reduced cost is its objective coefficient.
			rc[j] = m.cols[j].obj
		}
	}
	sol.ReducedCosts = rc
}

// better returns whichever of a and b is the better objective value for
// the model's sense (the smaller for a minimisation).
func (m *Model) better(a, b float64) float64 {
	if m.maximize == (a > b) {
		return a
	}
	return b
}

func cleanZero(v float64) float64 {
	if v == 0 || !finiteSmall(v) {
		return 0
	}
	return v
}

func contextErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return context.DeadlineExceeded
}

func codeName(code int) string {
	switch code {
	case codePresolved:
		return "PRESOLVED"
	case codeAccuracyError:
		return "ACCURACYERROR"
	case -5:
		return "UNKNOWNERROR"
	case -4:
		return "DATAIGNORED"
	case -3:
		return "NOBFP"
	}
	s := golp.SolutionType(code).String()
	if s == "SolutionType("+strconv.Itoa(code)+")" {
		return "code " + strconv.Itoa(code)
	}
	return s
}

// violation returns the largest violation by x of a row, a bound or
// integrality.
func (m *Model) violation(x []float64) float64 {
	v := 0.0
	for j, c := range m.cols {
		v = math.Max(v, c.lo-x[j])
		v = math.Max(v, x[j]-c.hi)
		if c.kind.IsInteger() {
			v = math.Max(v, math.Abs(x[j]-math.Round(x[j])))
		}
	}
	for i, r := range m.rows {
		a := m.RowActivity(i, x)
		switch r.sense {
		case LE:
			v = math.Max(v, a-r.rhs)
		case GE:
			v = math.Max(v, r.rhs-a)
		default:
			v = math.Max(v, math.Abs(a-r.rhs))
		}
	}
	return v
}
