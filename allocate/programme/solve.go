package programme

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// run carries one call of Solve.
type run struct {
	ctx   context.Context // carries the deadline of Options.TimeLimit
	user  context.Context // the caller's context, to tell cancellation from the deadline
	opt   Options
	in    *inst
	stats ModelStats
	notes []string
	// seeds are programmes of the model solved next, each offered as its
	// first incumbent when it keeps the model's rules.
	seeds []*result
	// pools keeps the cuts of each shape of Benders master for the next
	// search of that shape.
	pools map[poolKey][]*poolCut
	// masters are the roots of the Benders searches so far: where the
	// frontier's next level starts its master (see startMaster).
	masters []*rootMaster
	// staffing is the evaluator of the last frontier level, whose
	// staffing programme the next level's takes over (see lendStaffing).
	staffing *evaluator
	// keepTree asks the next search to keep its tree in tree; warm, when
	// set, is the tree of an earlier search that the next search of the
	// same model at other budgets starts from.
	keepTree   bool
	tree, warm *tree
	// prog relays the main search's improvements to
	// SolveOptions.Progress; nil outside the main search.
	prog *gst.ProgressReporter
	// main is set during the main search (not the sequential plan's
	// solves, nor the frontier's): its root's rounds may end at their
	// share of the time (see solveRoot).
	main bool
	// parts, when set, is what solving the programme part by part gave
	// the main search (see solveParts).
	parts *partsResult
	// effort is how long the masters' retries go on after a stall:
	// brief during relax-and-fix (see solveFixFrom).
	effort effort
}

// result is one solved model: its values, objective, bound and status.
type result struct {
	md     *model
	rx     relaxation // the relaxation searched; nil for lp_solve's own search
	x      []float64
	value  float64
	bound  float64
	status gst.Status
}

// Solve plans the programme: which services open or grow where, with how
// many modules, staffed by whom, in which year, within the budgets. It
// validates the problem and the options first and reports every problem at
// once (*gst.ValidationError values joined). A programme that no plan can
// satisfy returns an error wrapping gst.ErrInfeasible that names the rules
// at fault, with the place, the year and the amounts. When the deadline
// passes or the context is cancelled, Solve returns the best programme
// found with its bound.
func Solve(ctx context.Context, p *Problem, opt *Options) (*Plan, error) {
	start := time.Now()
	r, cancel, err := newRun(ctx, p, opt)
	if err != nil {
		return nil, err
	}
	defer cancel()
	today, err := r.today()
	if err != nil {
		return nil, err
	}
	seq, err := r.sequentialSeed()
	if err != nil {
		return nil, err
	}
	var best *result
	t0 := time.Now()
	prog := r.opt.NewProgressReporter(false, start)
	defer prog.Close()
	err = r.phase(r.mainShare(), func() error {
		r.prog, r.main = prog, true
		best, err = r.solveMain(seq)
		r.prog, r.main = nil, false
		return err
	})
	if err != nil {
		return nil, err
	}
	mainElapsed := time.Since(t0)
	plan := r.plan(best)
	plan.Today = today
	if seq != nil {
		plan.Sequential = r.plan(seq)
		plan.Sequential.Method = sequentialMethod
		v := plan.Sequential.Value
		plan.SequentialValue = &v
	}
	r.addExtras(plan, best)
	plan.MainElapsed = mainElapsed
	plan.Model = r.stats
	plan.Notes = append(plan.Notes, r.notes...)
	plan.Elapsed = time.Since(start)
	prog.Report(plan.Value, plan.Bound)
	return plan, nil
}

// newRun validates and indexes the problem and resolves the options.
func newRun(ctx context.Context, p *Problem, opt *Options) (*run, context.CancelFunc, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := validate(p, opt); err != nil {
		return nil, nil, err
	}
	o := Options{}
	if opt != nil {
		o = *opt
	}
	o.SolveOptions = o.SolveOptions.Resolve(&gst.Problems{}, "options")
	if o.DecisionCostLimit == 0 {
		o.DecisionCostLimit = DefaultDecisionCostLimit
	}
	in, err := index(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	if err := in.check(); err != nil {
		return nil, nil, err
	}
	rctx, cancel := o.WithTimeLimit(ctx)
	return &run{ctx: rctx, user: ctx, opt: o, in: in}, cancel, nil
}

// phase runs f with a deadline at the given share of the time left (the
// run's deadline when it has none or the share is 1).
func (r *run) phase(share float64, f func() error) error {
	saved := r.ctx
	ctx, cancel := r.share(share)
	defer cancel()
	r.ctx = ctx
	err := f()
	r.ctx = saved
	return err
}

// mainShare is the share of the time left that the main solve gets: all
// of it, unless decision costs or a frontier are asked for.
func (r *run) mainShare() float64 {
	if r.opt.DecisionCosts || len(r.opt.Frontier) > 0 {
		return 0.6
	}
	return 1
}

// sequentialSeed plans the old way when the options ask for it, within a
// fifth of the time; nil when they do not or it finds no programme.
func (r *run) sequentialSeed() (*result, error) {
	if !r.opt.Sequential {
		return nil, nil
	}
	var seq *result
	err := r.phase(0.2, func() error {
		var err error
		seq, err = r.sequential()
		return err
	})
	if errors.Is(err, gst.ErrInfeasible) || errors.Is(err, gst.ErrNoSolution) {
		r.note("the sequential plan (location, then staffing) found no programme: %v", err)
		return nil, nil
	}
	return seq, err
}

// solveMain solves the programme as asked: weighted, or lexicographic in
// two stages. A programme planned the old way, when given, is the first
// incumbent of the weighted search, and is kept when the search ends
// with a worse one.
func (r *run) solveMain(seed *result) (*result, error) {
	last := len(r.in.per) - 1
	if !r.in.obj.Lexicographic {
		if seed != nil {
			r.seeds = []*result{seed}
		}
		parts, err := r.solveParts()
		if err != nil {
			return nil, err
		}
		r.keepTree, r.parts = true, parts
		res, err := r.solveOrExplain(buildOpts{last: last})
		r.seeds, r.keepTree, r.parts = nil, false, nil
		if err != nil {
			return nil, err
		}
		return r.keepBetter(res, seed), nil
	}
	first, err := r.solveOrExplain(buildOpts{last: last, stage: unservedOnly})
	if err != nil {
		return nil, err
	}
	if !first.status.HasSolution() || first.status != gst.StatusOptimal {
		r.note("the first stage (unserved demand) stopped with status %s; the second stage keeps its value as a cap", first.status)
	}
	capv := first.value + math.Max(r.opt.GapTolerance, 1e-8)*math.Max(1, math.Abs(first.value))
	second, err := r.solveOrExplain(buildOpts{last: last, unservedCap: capv})
	if err != nil {
		return nil, err
	}
	second.md.o.unservedCap = first.value
	return second, nil
}

// solveOrExplain solves a model and, when it is infeasible, explains why.
func (r *run) solveOrExplain(o buildOpts) (*result, error) {
	res, err := r.solve(o)
	if errors.Is(err, gst.ErrInfeasible) {
		return nil, r.diagnose(o)
	}
	return res, err
}

// solve builds and solves one model.
func (r *run) solve(o buildOpts) (*result, error) {
	if err := r.checkSize(o); err != nil {
		return nil, err
	}
	md := build(r.in, o)
	return r.solveModel(md)
}

// solveModel solves a built model by the method of the options.
func (r *run) solveModel(md *model) (*result, error) {
	if r.opt.Method == MIP {
		return r.solveMIP(md)
	}
	return r.solveBnB(md)
}

// solveMIP solves a built model as one integer programme with lp_solve.
func (r *run) solveMIP(md *model) (*result, error) {
	r.record(md.m)
	lo := &lp.Options{}
	if r.opt.GapTolerance > gst.DefaultGapTolerance {
		lo.MIPGapRel = r.opt.GapTolerance
	}
	sol, err := lp.Solve(r.ctx, md.m, lo)
	if sol != nil {
		r.stats.Nodes += sol.Nodes
		r.stats.Iterations += sol.Iterations
	}
	if err != nil {
		if sol != nil && (sol.Status == gst.StatusTimeLimit || sol.Status == gst.StatusCanceled) {
			return nil, fmt.Errorf("programme: %w: stopped (%s) before any programme was found", gst.ErrNoSolution, r.stopped())
		}
		return nil, fmt.Errorf("programme: %w", err)
	}
	res := &result{md: md, x: sol.X, value: sol.Objective / moneyScale, bound: sol.Bound / moneyScale, status: sol.Status}
	if res.status == gst.StatusTimeLimit || res.status == gst.StatusCanceled {
		res.status = r.stopped()
	}
	if res.status == gst.StatusOptimal {
		res.bound = res.value
	}
	return res, nil
}

// keepBetter returns res, or seed when seed is a better programme of the
// same objective (the search stopped before it found one as good), with
// the bound res proved.
func (r *run) keepBetter(res, seed *result) *result {
	if seed == nil || seed.value >= res.value-1e-9*math.Max(1, math.Abs(res.value)) {
		return res
	}
	out := *seed
	out.bound = math.Min(res.bound, seed.value)
	out.status = res.status
	if gst.Gap(out.value, out.bound) <= r.opt.GapTolerance {
		out.status = gst.StatusOptimal
	}
	r.note("the best programme found is the one planned the old way: the search stopped before it found a better one")
	return &out
}

// stopped returns the status a solve stopped by the context has.
func (r *run) stopped() gst.Status {
	if errors.Is(r.user.Err(), context.Canceled) {
		return gst.StatusCanceled
	}
	return gst.StatusTimeLimit
}

func (r *run) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

// record adds a model's size to the statistics.
func (r *run) record(m *lp.Model) {
	r.stats.Solves++
	r.stats.Rows = max(r.stats.Rows, m.NumRows())
	r.stats.Columns = max(r.stats.Columns, m.NumVars())
	r.stats.Nonzeros = max(r.stats.Nonzeros, m.NumNonzeros())
	r.stats.Integers = max(r.stats.Integers, m.NumIntegers())
}

// checkSize estimates the model's size before it is built and refuses one
// above Options.MaxModelBytes.
func (r *run) checkSize(o buildOpts) error {
	in := r.in
	np := int64(o.last + 1)
	var cols, nz int64
	ny := int64(in.per[o.last].y0 + in.per[o.last].years)
	for s := range in.svc {
		for a := range in.areas {
			k := int64(len(in.reach[s][a]))
			cols += (k + 1) * ny
			nz += (4*k + 1) * ny
		}
	}
	for o := range in.offers {
		k := int64(len(in.offers[o].installed))
		cols += (2*k + 3) * np
		nz += (8*k + 6) * np
	}
	if !o.noStaff {
		cols += int64(len(in.arcs)) * np
		nz += 6 * int64(len(in.arcs)) * np
		cols += int64(len(in.staff)*len(in.cats)) * np
	}
	rows := cols
	b := 16*cols + 24*rows + 12*nz
	r.stats.EstimatedBytes = max(r.stats.EstimatedBytes, b)
	if b <= r.opt.MaxModelBytes {
		return nil
	}
	return &gst.TooLargeError{Op: "programme", Model: "mip", Rows: rows, Columns: cols, Nonzeros: nz, Bytes: b, Limit: r.opt.MaxModelBytes,
		Suggestion: "lower ServiceRule.Reach or the maximum travel, group years into longer periods, list fewer eligible sites, or raise MaxModelBytes"}
}
