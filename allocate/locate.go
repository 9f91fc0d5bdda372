package allocate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gstplan/gst"
)

// Locate finds the plan that optimises the problem's objective under its
// rules.
//
// It validates the problem and the options first and reports every problem
// at once: invalid input as *gst.ValidationError values (errors.Is(err,
// gst.ErrInvalid)), and rules no plan can satisfy as *gst.InfeasibleError
// values (errors.Is(err, gst.ErrInfeasible)) naming the service, province
// and areas at fault, for example the areas that no eligible site reaches
// within a maximum travel rule. It then estimates the size of the model
// and refuses, before building it, one above Options.MaxModelBytes with a
// *gst.TooLargeError (errors.Is(err, gst.ErrTooLarge)) that suggests another
// method or an aggregation.
//
// When the deadline (the context's or Options.TimeLimit) passes or the
// context is cancelled during the solve, Locate returns the best plan
// found with its bound and the status gst.StatusTimeLimit or
// gst.StatusCanceled, not an error; it returns an error wrapping
// gst.ErrNoSolution only when no plan was found at all, and one wrapping
// gst.ErrInfeasible when the solver proves that the rules together admit
// no plan.
func Locate(ctx context.Context, p *Problem, opt *Options) (*Plan, error) {
	start := time.Now()
	o, oerr := resolveOptions(opt)
	run, cancel := ctx, context.CancelFunc(func() {})
	if oerr == nil {
		run, cancel = o.WithTimeLimit(ctx)
	}
	defer cancel()
	in, perr := compile(run, p)
	if oerr == nil && perr != nil && !errors.Is(perr, gst.ErrInvalid) && !errors.Is(perr, gst.ErrInfeasible) {
		return nil, perr // travel could not be computed
	}
	if oerr != nil || perr != nil {
		var ps gst.Problems
		ps.AddErr(oerr)
		ps.AddErr(perr)
		return nil, withNames(ps.Err(), p)
	}
	r := &runner{ctx: run, user: ctx, opt: o, in: in, start: start}
	r.prog = o.NewProgressReporter(in.obj.maximises(), start)
	defer r.prog.Close()
	st, err := r.primary()
	if err != nil {
		return nil, withNames(err, p)
	}
	r.parsimony(st)
	r.prog.Report(st.value, st.bound)
	if why := in.feasible(st.sol, 1e-6); why != "" {
		return nil, fmt.Errorf("allocate: internal error: the plan found breaks a rule (%s); please report it", why)
	}
	plan, err := r.newPlan(st)
	if err != nil {
		return nil, err
	}
	if !o.NoWhy {
		r.why(plan, st)
	}
	if o.SiteCosts {
		r.resolveSites(plan, st)
	}
	plan.Model = r.stats
	plan.Notes = r.notes
	plan.Elapsed = time.Since(start)
	return plan, nil
}

// resolveOptions checks the options and fills in the defaults.
func resolveOptions(opt *Options) (Options, error) {
	var o Options
	if opt != nil {
		o = *opt
	}
	var ps gst.Problems
	o.SolveOptions = o.SolveOptions.Resolve(&ps, "options")
	if o.Method < Auto || o.Method > Engine {
		ps.Addf("options", "method", "unknown method %d", int(o.Method))
	}
	if o.SiteCostLimit < 0 {
		ps.Addf("options", "site cost limit", "must be >= 0, got %d", o.SiteCostLimit)
	}
	if o.SiteCostLimit == 0 {
		o.SiteCostLimit = DefaultSiteCostLimit
	}
	return o, ps.Err()
}

// primary solves the problem's objective.
func (r *runner) primary() (*stage, error) {
	in := r.in
	if r.opt.Method == Engine && !(in.obj == PMedian || in.obj == FixedCharge) {
		return nil, fmt.Errorf("allocate: %w: Method Engine solves the p-median and fixed charge objectives only, not %s", gst.ErrInvalid, in.obj)
	}
	var st *stage
	var err error
	switch in.obj {
	case PMedian, FixedCharge:
		st, err = r.minTravel()
	case PCenter, WeightedPCenter:
		st, err = r.pcenter()
	case SetCovering:
		st, err = r.setCovering()
	case MaxCoverage:
		st, err = r.maxCoverage()
	case BackupCoverage:
		st, err = r.backupCoverage()
	}
	if err != nil {
		var ie *gst.InfeasibleError
		if errors.Is(err, gst.ErrInfeasible) && !errors.As(err, &ie) {
			err = &gst.InfeasibleError{Op: op, Rule: "rules", Reason: "no plan satisfies the rules together (number of sites, kept and excluded sites, budget, change limit, coverage, capacities); the solver proved it"}
		}
		return nil, err
	}
	return st, nil
}

// withNames names the places of the infeasibility causes of err by the
// region's names as well as their codes.
func withNames(err error, p *Problem) error {
	if p == nil {
		return err
	}
	for _, c := range gst.InfeasibleCauses(err) {
		c.WithNames(p.Region)
	}
	return err
}
