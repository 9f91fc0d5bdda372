package allocate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// runner carries one call of Locate: the instance, the options and the
// statistics of the models solved.
type runner struct {
	ctx   context.Context // carries the deadline of Options.TimeLimit
	user  context.Context // the caller's context, to tell cancellation from the deadline
	opt   Options
	in    *inst
	stats ModelStats
	notes []string
	// main is the formulation of the primary objective, for the
	// explanations; nil when it has none.
	main *mainSpec
	// flip holds the p-median engine's Lagrangian bounds on each site's
	// opposite decision (NaN when it gives none).
	flip  []float64
	start time.Time
	// prog relays the primary objective's progress to
	// Options.Progress; engineProgress is set while an engine solves the
	// primary objective, whose improvements it reports.
	prog           *gst.ProgressReporter
	engineProgress bool
	// capflRun is the capacitated engine's problem when the engine
	// solved the primary objective, for the parsimony pass.
	capflRun *capflCall
}

// engineHook returns the progress hook of an engine whose objective plus
// constant is the plan's value; nil outside the primary solve.
func (r *runner) engineHook(constant float64) func(objective, bound float64) {
	if r.prog == nil || !r.engineProgress {
		return nil
	}
	return func(objective, bound float64) { r.prog.Report(objective+constant, bound+constant) }
}

// stage is the result of one solve: a plan in instance terms, its value in
// the problem's terms, a proven bound and a status.
type stage struct {
	sol    *solution
	value  float64
	bound  float64
	status gst.Status
	method string
}

// note records a remark for Plan.Notes.
func (r *runner) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

// lpSolve is the solver solveModel calls (a variable so that tests can
// make it fail).
var lpSolve = lp.Solve

// solverFailure reports a solve that failed numerically (or ran out of
// memory) with every scaling tried: no plan, and not for lack of time.
type solverFailure struct{ err error }

func (e *solverFailure) Error() string {
	return "allocate: the solver failed numerically: " + e.err.Error()
}

func (e *solverFailure) Unwrap() error { return e.err }

// stopStatus returns the status of a plan whose solve stopped with err
// before improving it: the time limit or cancellation when the context
// stopped it, StatusFeasible (a plan that satisfies the rules, with the
// bound it has) when the solver failed.
func (r *runner) stopStatus(err error) gst.Status {
	var f *solverFailure
	if errors.As(err, &f) {
		return gst.StatusFeasible
	}
	return r.stopped()
}

// stopped returns the status a solve stopped by the context has.
func (r *runner) stopped() gst.Status {
	if errors.Is(r.user.Err(), context.Canceled) {
		return gst.StatusCanceled
	}
	return gst.StatusTimeLimit
}

// record adds a model's size to the statistics.
func (r *runner) record(rows, cols, nonzeros int64, ints int) {
	r.stats.Models++
	r.stats.Rows = max(r.stats.Rows, rows)
	r.stats.Columns = max(r.stats.Columns, cols)
	r.stats.Nonzeros = max(r.stats.Nonzeros, nonzeros)
	r.stats.Integers = max(r.stats.Integers, int64(ints))
}

// checkSize refuses a model above the memory limit.
func (r *runner) checkSize(method string, rows, cols, nonzeros int64) error {
	b := estimateBytes(rows, cols, nonzeros)
	if b <= r.opt.MaxModelBytes {
		return nil
	}
	sug := "aggregate areas into larger zones (for example communes instead of villages), restrict each service's eligible sites, or raise Options.MaxModelBytes"
	if method != "p-median engine" && !r.in.capacitated && (r.in.obj == PMedian || r.in.obj == FixedCharge) && !r.in.hasSideRules() {
		sug = "use Options.Method = Engine (Lagrangian bounds with local search, which keeps no model in memory), or " + sug
	}
	return &gst.TooLargeError{Op: op, Model: method, Rows: rows, Columns: cols, Nonzeros: nonzeros, Bytes: b, Limit: r.opt.MaxModelBytes, Suggestion: sug}
}

// lpOptions returns the solver options of a MIP solve. lp_solve keeps its
// default gaps (1e-11 absolute, 1e-9 relative): looser gaps make its
// pruning unsafe (internal/lp reports such answers as merely feasible), so
// the integrality of an objective is used only to round bounds up.
func (r *runner) lpOptions() *lp.Options {
	return &lp.Options{}
}

// solveModel solves an lp model. It returns the solution when there is
// one; an infeasible model returns a nil solution and an error wrapping
// gst.ErrInfeasible; a stop without a solution returns nil and an error
// wrapping gst.ErrNoSolution. When lp_solve fails numerically the model is
// solved again with other scalings; if they fail too, the error is a
// *solverFailure (which wraps gst.ErrNoSolution), never a time limit.
func (r *runner) solveModel(m *lp.Model, o *lp.Options) (*lp.Solution, error) {
	r.record(int64(m.NumRows()), int64(m.NumVars()), int64(m.NumNonzeros()), m.NumIntegers())
	sol, err := lpSolve(r.ctx, m, o)
	for _, sc := range []lp.Scaling{lp.ScalingCurtisReid, lp.ScalingNone} {
		if err == nil || sol == nil || sol.Status != gst.StatusFailed || r.ctx.Err() != nil || o.Scaling == sc {
			break
		}
		o2 := *o
		o2.Scaling = sc
		sol, err = lpSolve(r.ctx, m, &o2)
	}
	if sol != nil {
		r.stats.Nodes += sol.Nodes
		r.stats.Iterations += sol.Iterations
	}
	if err != nil {
		if sol != nil && (sol.Status == gst.StatusTimeLimit || sol.Status == gst.StatusCanceled) {
			return nil, fmt.Errorf("allocate: %w: %s before a first plan", gst.ErrNoSolution, r.stopped())
		}
		if sol != nil && sol.Status == gst.StatusFailed {
			return nil, &solverFailure{err: err}
		}
		return nil, err
	}
	if sol.Status == gst.StatusTimeLimit || sol.Status == gst.StatusCanceled {
		sol.Status = r.stopped()
	}
	return sol, nil
}

// finish turns an lp solution of a minimisation into a stage: the value is
// recomputed from the plan, the bound is the solver's (rounded up when the
// objective is integral), and the status is optimal only when the gap is
// within tolerance.
func (r *runner) finish(st *stage, sol *lp.Solution, toValue func(float64) float64) *stage {
	lb := sol.Bound
	if !math.IsInf(lb, 0) && r.integralObjective() {
		lb = math.Ceil(lb - 1e-6)
	}
	st.bound = toValue(lb)
	st.status = sol.Status
	r.settle(st)
	return st
}

// integralObjective reports whether the objective of the primary model
// takes integer values only, so that its bounds may be rounded up.
func (r *runner) integralObjective() bool {
	in := r.in
	if in.p.Capacity == SplitDemand {
		return false
	}
	switch in.obj {
	case PMedian:
		return in.integral
	case MaxCoverage:
		return in.intWeights && in.p.Decay == nil
	case BackupCoverage:
		return in.intWeights
	case SetCovering:
		return true
	}
	return false
}

// settle clamps the bound to the value and sets the status from the gap.
func (r *runner) settle(st *stage) {
	maxim := r.in.obj.maximises()
	if maxim {
		if st.bound < st.value {
			st.bound = st.value
		}
	} else if st.bound > st.value {
		st.bound = st.value
	}
	g := gapOf(st.value, st.bound, maxim)
	switch {
	case g <= r.opt.GapTolerance:
		// Optimal within the tolerance; the bound stays as proven, so a
		// loose tolerance never hides the gap. A gap within the solvers'
		// own tolerance (1e-9, lp_solve's default relative MIP gap) is
		// rounding noise and is cleared.
		st.status = gst.StatusOptimal
		if g <= gst.DefaultGapTolerance {
			st.bound = st.value
		}
	case st.status == gst.StatusOptimal:
		// The solver's tolerance is looser than ours.
		st.status = gst.StatusFeasible
	}
}

// gapOf is gst.Gap for a minimisation and its mirror for a maximisation.
func gapOf(value, bound float64, maxim bool) float64 {
	if math.IsNaN(value) {
		return math.Inf(1)
	}
	if maxim {
		if math.IsInf(bound, 1) || math.IsNaN(bound) {
			return math.Inf(1)
		}
		// The mirror of gst.Gap: a maximisation's value is below its
		// bound.
		return gst.Gap(-value, -bound)
	}
	return gst.Gap(value, bound)
}

// isNoSolution reports whether err says a solve stopped without a plan.
func isNoSolution(err error) bool { return errors.Is(err, gst.ErrNoSolution) }
