package gst

import (
	"math"
	"sync"
	"time"
)

// Progress is one report of a solve under way (see SolveOptions.Progress):
// the best answer found so far, the best proven bound, the gap between
// them and the time spent.
type Progress struct {
	// Value is the objective value of the best answer found so far (the
	// incumbent), in the decision's own unit (the unit its plan's Value
	// has); NaN before the first answer.
	Value float64
	// Bound is the best proven bound on the optimum, in the same unit: a
	// lower bound when the decision minimises, an upper bound when it
	// maximises; NaN before the first bound.
	Bound float64
	// Gap is the relative gap between Value and Bound, as Gap computes it
	// (the two swapped for a maximisation); +Inf while either is missing.
	Gap float64
	// Elapsed is the wall time since the solve started.
	Elapsed time.Duration
}

// ProgressReporter relays a solve's improvements to a SolveOptions.Progress
// hook, the one definition the decisions share. It keeps the best value and
// the best bound reported, computes the gap, and calls the hook only when
// one of them improves, under a lock: solvers may report from several
// goroutines and the hook is never called from two at once. After Close it
// calls the hook no more. A nil *ProgressReporter accepts every call and
// does nothing, so a solve without a hook pays one nil check a report.
type ProgressReporter struct {
	mu       sync.Mutex
	hook     func(Progress)
	maximise bool
	start    time.Time
	value    float64
	bound    float64
	closed   bool
}

// NewProgressReporter returns a reporter for the hook o.Progress of a solve
// that started at start and minimises (maximise false) or maximises its
// objective; nil when o has no hook.
func (o SolveOptions) NewProgressReporter(maximise bool, start time.Time) *ProgressReporter {
	if o.Progress == nil {
		return nil
	}
	return &ProgressReporter{hook: o.Progress, maximise: maximise, start: start, value: math.NaN(), bound: math.NaN()}
}

// Report records an answer of objective value and a proven bound (NaN for
// either when the report has none) and calls the hook when the value or
// the bound is better than the best so far. Non-finite values and bounds
// are ignored, as are bounds beyond the best value (a bound never reads
// better than an answer found).
func (r *ProgressReporter) Report(value, bound float64) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	better := func(a, b float64) bool { // a improves on the answer b
		if r.maximise {
			return a > b
		}
		return a < b
	}
	changed := false
	if isFinite(value) && (math.IsNaN(r.value) || better(value, r.value)) {
		r.value, changed = value, true
	}
	if isFinite(bound) && (math.IsNaN(r.bound) || better(r.bound, bound)) {
		r.bound, changed = bound, true
	}
	if !math.IsNaN(r.value) && !math.IsNaN(r.bound) && better(r.value, r.bound) {
		r.bound = r.value // the answer proves the bound was loose
	}
	if !changed {
		return
	}
	p := Progress{Value: r.value, Bound: r.bound, Elapsed: time.Since(r.start)}
	if r.maximise {
		p.Gap = Gap(-p.Value, -p.Bound)
	} else {
		p.Gap = Gap(p.Value, p.Bound)
	}
	r.hook(p)
}

// Close stops the reports: the hook is not called after Close returns. A
// solve closes its reporter before it returns.
func (r *ProgressReporter) Close() {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
