package lp

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"time"

	"github.com/gstplan/gst"
)

// Resolver solves one linear programme many times, with other right-hand
// sides, column bounds or costs each time, keeping it loaded in lp_solve
// between solves. Solve hands lp_solve only what changed in the Model since
// the last solve and starts from lp_solve's last basis, so the model is
// not copied, loaded or scaled again: for a programme of tens of thousands
// of rows that a change moves by a few dozen pivots, the loading and
// scaling are most of the time of Solve.
//
// The Model stays the caller's: change it between solves with SetRHS,
// SetBounds, SetObj and SetMaximize; rows or columns added since the last
// solve make the next one load the model again. A Resolver is for linear
// programmes only. It is not safe for concurrent use, and the Model must
// not change while Solve runs.
//
// Results are those of Solve on the same Model and options, except that
// among several optimal points the one returned may differ (it depends on
// the starting basis, which here is the last solve's). The same sequence
// of models and options gives the same solutions, value for value.
type Resolver struct {
	m  *Model
	ld *loaded // nil: nothing loaded
	// What lp_solve holds: the shape loaded, the scaling it was loaded
	// with, each live row's right-hand side, each column's bounds and
	// cost as handed over, and the sense.
	rows, cols int
	scaling    Scaling
	rhs        []float64
	lo, hi     []float64
	obj        []float64
	maximize   bool
}

// NewResolver returns a Resolver of m, which must be a linear programme
// (no integer column). Nothing is loaded until the first Solve.
func NewResolver(m *Model) (*Resolver, error) {
	if m == nil {
		return nil, fmt.Errorf("%w: lp: nil model", gst.ErrInvalid)
	}
	if err := resolvable(m); err != nil {
		return nil, err
	}
	return &Resolver{m: m}, nil
}

// resolvable reports why m cannot be solved by a Resolver.
func resolvable(m *Model) error {
	if n := m.NumIntegers(); n > 0 {
		return fmt.Errorf("%w: lp: a Resolver solves linear programmes; the model has %d integer columns", gst.ErrInvalid, n)
	}
	return nil
}

// Loaded reports whether lp_solve holds the model: the next Solve then
// starts from the last one's basis.
func (r *Resolver) Loaded() bool { return r.ld != nil }

// Close frees lp_solve's copy of the model. The Resolver may still be
// used: the next Solve loads the model again.
func (r *Resolver) Close() {
	if r.ld != nil {
		freeLP(r.ld.l)
		r.ld = nil
	}
}

// Solve solves the Model as it is now, as Solve would, from lp_solve's
// last basis (or from opt.Start when given). Options.Presolve is refused
// (lp_solve's presolve changes the model it holds). A solve that fails or
// is stopped (time limit, cancellation, iteration limit) drops lp_solve's
// copy, so that the next one starts afresh.
func (r *Resolver) Solve(ctx context.Context, opt *Options) (*Solution, error) {
	start := time.Now()
	m := r.m
	ctx, opt, err := prepare(ctx, m, opt)
	if err != nil {
		return nil, err
	}
	if opt.Presolve {
		return nil, fmt.Errorf("%w: lp: option Presolve cannot be used with a Resolver", gst.ErrInvalid)
	}
	if err := resolvable(m); err != nil {
		return nil, err
	}
	sol := m.newSolution()
	finish := func(err error) (*Solution, error) {
		sol.Time = time.Since(start)
		if err != nil && sol.Status != gst.StatusInfeasible && sol.Status != gst.StatusUnbounded {
			r.Close()
		}
		return sol, err
	}
	if err := notStarted(ctx, sol); err != nil {
		return finish(err)
	}
	return finish(r.solve(ctx, sol, opt, start))
}

// solve loads the model or hands lp_solve its changes, then solves it.
func (r *Resolver) solve(ctx context.Context, sol *Solution, opt *Options, start time.Time) error {
	m := r.m
	if r.ld != nil && (r.rows != len(m.rows) || r.cols != len(m.cols) || r.scaling != opt.Scaling) {
		r.Close()
	}
	var live []int
	if r.ld != nil {
		live = r.ld.live
		if err := m.emptyRowsHold(sol, live); err != nil {
			return err
		}
	} else {
		var err error
		if live, err = m.liveRows(sol); err != nil {
			return err
		}
	}
	if len(m.cols) == 0 || len(live) == 0 {
		return m.solveTrivial(sol, opt)
	}
	solveCtx, cancel := solveContext(ctx, opt)
	defer cancel()
	st := solverSettings(opt)
	g, err := newAbortGuard(solveCtx)
	if err != nil {
		sol.Status = gst.StatusFailed
		return err
	}
	defer g.flag.free()
	if r.ld == nil {
		if err := r.load(ctx, solveCtx, g, &st, sol, live, opt.Scaling); err != nil {
			return err
		}
	} else if err := r.update(sol); err != nil {
		return err
	}
	var basis []int32
	if opt.Start != nil {
		basis = opt.Start.startFor(live, len(m.cols))
	}
	defer runtime.KeepAlive(r.ld.l)
	return m.runLoaded(*r.ld, solveRun{ctx: ctx, solveCtx: solveCtx, g: g, st: st, opt: opt, sol: sol, start: start, basis: basis})
}

// load hands the whole model to a new lprec and records what it holds.
func (r *Resolver) load(ctx, solveCtx context.Context, g *abortGuard, st *settings, sol *Solution, live []int, scaling Scaling) error {
	m := r.m
	l := newLP(len(live))
	p := lpPtr(l)
	if p == nil {
		freeLP(l)
		sol.Status = gst.StatusFailed
		return fmt.Errorf("lp: %w: unsupported golp layout", gst.ErrNoSolution)
	}
	st.setTimeout(solveCtx)
	applySettings(p, st)
	cm := m.columnMatrix(live, false)
	if err := g.load(p, cm, ctx, solveCtx, sol); err != nil {
		freeLP(l)
		return err
	}
	setSense(p, m.maximize)
	r.ld = &loaded{l: l, p: p, live: live, cm: cm, nRows: len(live)}
	r.rows, r.cols, r.scaling, r.maximize = len(m.rows), len(m.cols), scaling, m.maximize
	r.rhs = append(r.rhs[:0], cm.rhs...)
	r.lo = append(r.lo[:0], cm.lo...)
	r.hi = append(r.hi[:0], cm.hi...)
	r.obj = r.obj[:0]
	for _, c := range m.cols {
		r.obj = append(r.obj, c.obj)
	}
	return nil
}

// update hands lp_solve the right-hand sides, bounds, costs and sense
// that changed since the last solve.
func (r *Resolver) update(sol *Solution) error {
	m, p := r.m, r.ld.p
	refused := func(what string, k int) error {
		sol.Status = gst.StatusFailed
		return fmt.Errorf("lp: %w: lp_solve refused the change of %s %d", gst.ErrNoSolution, what, k)
	}
	for k, i := range r.ld.live {
		if v := m.rows[i].rhs; v != r.rhs[k] {
			if !setRHS(p, k+1, v) {
				return refused("the right-hand side of row", i)
			}
			r.rhs[k] = v
		}
	}
	for j, c := range m.cols {
		lo, hi := math.Max(c.lo, -lpInfinity), math.Min(c.hi, lpInfinity)
		if lo != r.lo[j] || hi != r.hi[j] {
			if !setColBounds(p, j+1, lo, hi) {
				return refused("the bounds of column", j)
			}
			r.lo[j], r.hi[j] = lo, hi
		}
		if c.obj != r.obj[j] {
			if !setObj(p, j+1, c.obj) {
				return refused("the cost of column", j)
			}
			r.obj[j] = c.obj
		}
	}
	if m.maximize != r.maximize {
		setSense(p, m.maximize)
		r.maximize = m.maximize
	}
	return nil
}
