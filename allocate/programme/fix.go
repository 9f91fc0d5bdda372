package programme

import (
	"errors"
	"fmt"
	"math"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// solveFixFrom is relax-and-fix: from a point x of the relaxation rel,
// period by period, the integer decisions of the period are rounded from
// the relaxation's values (up from the fraction mode) and fixed, and the
// relaxation of the rest is solved again (its rounds of cuts loosened),
// until every integer decision is fixed; the last linear programme gives
// the programme.
func (r *run) solveFixFrom(md *model, rx relaxation, rel *lp.Model, x []float64, mode roundMode) ([]float64, error) {
	var err error
	defer rx.loosen(false)
	r.effort = brief
	defer func() { r.effort = patient }()
	for p := 0; p < md.np; p++ {
		// The periods before the last are solved only to be rounded; the
		// last gives the programme's continuous decisions (recruits).
		rx.loosen(p < md.np-1)
		x, err = r.fixPeriod(md, rx, rel, x, p, mode)
		if err != nil {
			return nil, err
		}
	}
	return x, nil
}

func errNoProgramme(r *run) error {
	return fmt.Errorf("programme: %w: stopped (%s) before any programme was found", gst.ErrNoSolution, r.stopped())
}

// lpFrom solves a linear programme within the run's deadline, starting
// from a basis when it fits, and keeps the final basis.
func (r *run) lpFrom(m *lp.Model, start *lp.Basis) (*lp.Solution, error) {
	r.record(m)
	sol, err := solveWith(r.ctx, m, &lp.Options{Start: start, KeepBasis: true}, r.effort)
	if sol != nil {
		r.stats.Iterations += sol.Iterations
	}

	if err != nil {
		if sol != nil && (sol.Status == gst.StatusTimeLimit || sol.Status == gst.StatusCanceled) {
			return nil, errNoProgramme(r)
		}
		return nil, fmt.Errorf("programme: %w", err)
	}
	return sol, nil
}

// fixPeriod rounds and fixes the integer columns of period p in rel and
// solves it again. When the rounded values make the rest infeasible it
// tries again rounding down, which never needs more capacity, staff or
// money.
func (r *run) fixPeriod(md *model, rx relaxation, rel *lp.Model, x []float64, p int, first roundMode) ([]float64, error) {
	for _, mode := range []roundMode{first, roundDown} {
		saved := md.boundsOf(rel, rx, p)
		md.round(rel, rx, x, p, mode)
		sol, err := rx.solve(rel)
		if err == nil && failFixWith != nil {
			sol, err = nil, failFixWith
		}
		if err == nil {
			return sol.X, nil
		}
		if !errors.Is(err, gst.ErrInfeasible) {
			return nil, err
		}
		md.restore(rel, saved)
	}
	return nil, fmt.Errorf("programme: %w: no whole number of modules in %d keeps the rules (the relaxation holds with fractional modules)", gst.ErrInfeasible, md.in.per[p].start)
}

// failFixWith, when set (by the tests), is the error of every linear
// programme relax-and-fix solves.
var failFixWith error

// roundMode is the fraction at or above which rounding takes a value up:
// one half rounds to the nearest, one rounds down.
type roundMode float64

const (
	roundNearest roundMode = 0.5
	roundDown    roundMode = 1
)

// up rounds v with the mode.
func (m roundMode) up(v float64) float64 { return math.Floor(v + 1 - float64(m) + 1e-6) }

// eachInt calls f with every integer column of period p and its class:
// 0 sites, 1 services, 2 modules, 3 single-source assignments.
func (md *model) eachInt(p int, f func(col, class int)) {
	for s := range md.z {
		if md.z[s][p] >= 0 {
			f(md.z[s][p], 0)
		}
	}
	for o := range md.y {
		f(md.y[o][p], 1)
		for k := range md.n[o] {
			f(md.n[o][k][p], 2)
		}
	}
	per := md.in.per[p]
	for s := range md.x {
		if !md.in.svc[s].rule.SingleSource {
			continue
		}
		for a := range md.x[s] {
			for t := per.y0; t < per.y0+per.years; t++ {
				for k := range md.x[s][a] {
					if md.x[s][a][k][t] >= 0 {
						f(md.x[s][a][k][t], 3)
					}
				}
				if md.u[s][a][t] >= 0 {
					f(md.u[s][a][t], 3)
				}
			}
		}
	}
}

// intCols lists the integer columns of period p: sites, services, modules,
// and single-source assignments.
func (md *model) intCols(p int) []int {
	var out []int
	md.eachInt(p, func(col, _ int) { out = append(out, col) })
	return out
}

type savedBounds struct {
	cols   []int
	lo, hi []float64
}

func (md *model) boundsOf(m *lp.Model, rx relaxation, p int) savedBounds {
	var s savedBounds
	for _, j := range md.intCols(p) {
		c := rx.col(j)
		if c < 0 {
			continue
		}
		lo, hi := m.Bounds(c)
		s.cols, s.lo, s.hi = append(s.cols, c), append(s.lo, lo), append(s.hi, hi)
	}
	return s
}

func (md *model) restore(m *lp.Model, s savedBounds) {
	for i, c := range s.cols {
		m.SetBounds(c, s.lo[i], s.hi[i])
	}
}

// round fixes the integer columns of period p from x: module counts
// rounded (and kept within their bounds and at least last period's when
// they may not fall), a service open when it has a module, a site built
// when it offers a service, single-source areas sent to their largest
// share.
func (md *model) round(m *lp.Model, rx relaxation, x []float64, p int, mode roundMode) {
	in := md.in
	col := rx.col
	fix := func(j int, v float64) {
		c := col(j)
		lo, hi := m.Bounds(c)
		v = math.Min(math.Max(v, math.Ceil(lo-1e-9)), math.Floor(hi+1e-9))
		m.SetBounds(c, v, v)
	}
	at := func(j int) float64 { return x[col(j)] }
	bounds := func(j int) (float64, float64) { return m.Bounds(col(j)) }
	built := make([]bool, len(in.sites))
	for o := range in.offers {
		off := &in.offers[o]
		counts := make([]float64, len(off.installed))
		prev := make([]float64, len(off.installed))
		total := 0.0
		for k := range off.installed {
			v := mode.up(at(md.n[o][k][p]))
			prev[k] = float64(off.installed[k])
			if p > 0 {
				prev[k], _ = bounds(md.n[o][k][p-1])
			}
			lo, hi := bounds(md.n[o][k][p])
			counts[k] = math.Min(math.Max(v, lo), hi)
			total += counts[k]
		}
		// The service is open when the relaxation has it open (at least
		// half open rounding to the nearest, wholly open rounding down).
		ylo, yhi := bounds(md.y[o][p])
		yv := at(md.y[o][p])
		open := yv >= float64(mode)-1e-6
		open = (open || ylo >= 1) && yhi >= 1
		_ = total
		for k := range counts {
			switch {
			case !open:
				counts[k] = 0
			default:
				// An open service keeps the modules it had: they fall
				// only by closing.
				_, hi := bounds(md.n[o][k][p])
				counts[k] = math.Min(math.Max(counts[k], prev[k]), hi)
			}
		}
		if open && sum(counts) < 1 {
			counts[0] = 1
		}
		for k := range counts {
			fix(md.n[o][k][p], counts[k])
		}
		fix(md.y[o][p], b2f(open))
		built[off.site] = built[off.site] || open
	}
	for s := range in.sites {
		if md.z[s][p] >= 0 {
			fix(md.z[s][p], b2f(built[s]))
		}
	}
	if rx.compact() {
		md.roundSingleSource(m, x, p, fix)
	}
}

func (md *model) roundSingleSource(m *lp.Model, x []float64, p int, fix func(int, float64)) {
	per := md.in.per[p]
	for s := range md.x {
		if !md.in.svc[s].rule.SingleSource {
			continue
		}
		for a := range md.x[s] {
			for t := per.y0; t < per.y0+per.years; t++ {
				if md.u[s][a][t] < 0 {
					continue
				}
				best, bv := -1, x[md.u[s][a][t]]
				for k := range md.x[s][a] {
					c := md.x[s][a][k][t]
					_, hi := m.Bounds(md.y[md.in.reach[s][a][k].off][p])
					if x[c] > bv && hi >= 1 {
						best, bv = k, x[c]
					}
				}
				for k := range md.x[s][a] {
					fix(md.x[s][a][k][t], b2f(k == best))
				}
				fix(md.u[s][a][t], b2f(best < 0))
			}
		}
	}
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
