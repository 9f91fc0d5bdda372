package allocate

import (
	"context"
	"errors"
	"fmt"

	"github.com/gstplan/gst"
)

// SweepStep is the best plan of a problem with at most MaxChanges
// changes.
type SweepStep struct {
	// MaxChanges is the step's limit on the sites opened plus closed: 0
	// for none (the plan of today's sites, Problem.MaxChanges NoChanges).
	MaxChanges int `json:"max_changes"`
	// Plan is the best plan within the limit; nil when Err is set. It may
	// make fewer changes than the limit: Locate makes a change only when
	// it strictly improves the objective.
	Plan *Plan `json:"plan,omitempty"`
	// Err says why the step has no plan: no plan satisfies the rules
	// within the limit (errors.Is(Err, gst.ErrInfeasible)), the solve
	// found none in time (gst.ErrNoSolution), or its model is too large
	// (gst.ErrTooLarge).
	Err error `json:"-"`
}

// Sweep solves the problem for every limit on changes from none to
// p.MaxChanges: step k is the best plan with at most k sites opened plus
// closed. The steps show the diminishing returns of each change (where the
// gains stop) and, with each plan's ChangeCost, what a unit of the
// objective costs, so that a committee can put a price on it.
//
// p.MaxChanges must be at least 1; each step solves a copy of the problem
// with MaxChanges set to its limit (NoChanges for step 0), with the same
// options. Invalid input is an error, as Locate reports it; a step that
// has no plan (infeasible within its limit, no plan found in time, a model
// too large) carries its error in SweepStep.Err and the sweep goes on. A
// cancelled context stops the sweep with an error wrapping
// gst.ErrNoSolution.
func Sweep(ctx context.Context, p *Problem, opt *Options) ([]SweepStep, error) {
	if p == nil {
		return nil, &gst.ValidationError{Where: "problem", Err: errors.New("nil problem")}
	}
	if p.MaxChanges < 1 {
		return nil, &gst.ValidationError{Where: "problem", Field: "max changes", Err: fmt.Errorf("a sweep needs a limit of at least 1 change, got %d", p.MaxChanges)}
	}
	steps := make([]SweepStep, 0, p.MaxChanges+1)
	for k := 0; k <= p.MaxChanges; k++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("allocate: %w: sweep stopped after %d steps: %w", gst.ErrNoSolution, k, err)
		}
		q := *p
		q.MaxChanges = k
		if k == 0 {
			q.MaxChanges = NoChanges
		}
		plan, err := Locate(ctx, &q, opt)
		switch {
		case err == nil:
			steps = append(steps, SweepStep{MaxChanges: k, Plan: plan})
		case errors.Is(err, gst.ErrInfeasible) || errors.Is(err, gst.ErrNoSolution) || errors.Is(err, gst.ErrTooLarge):
			if ctx.Err() != nil {
				return nil, fmt.Errorf("allocate: %w: sweep stopped at step %d: %w", gst.ErrNoSolution, k, ctx.Err())
			}
			steps = append(steps, SweepStep{MaxChanges: k, Err: err})
		default:
			return nil, err
		}
	}
	return steps, nil
}
