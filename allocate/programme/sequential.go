package programme

import (
	"context"
	"math"
	"time"

	"github.com/gstplan/gst"
)

// decisions are the values of a model's decision columns by period: what
// is built, offered, installed, recruited and pooled. Absent columns are
// NaN.
type decisions struct {
	z    [][]float64   // [site][p]
	y    [][]float64   // [offer][p]
	n    [][][]float64 // [offer][k][p]
	hire [][][]float64 // [staff site][cat][p]
	pool [][]float64   // [arc][p]
}

func read2(cols [][]int, x []float64) [][]float64 {
	out := make([][]float64, len(cols))
	for i := range cols {
		out[i] = make([]float64, len(cols[i]))
		for p, c := range cols[i] {
			out[i][p] = math.NaN()
			if c >= 0 {
				out[i][p] = x[c]
			}
		}
	}
	return out
}

// readDecisions reads the decision columns of a solved model, rounding
// the integer ones.
func (md *model) readDecisions(x []float64) *decisions {
	d := &decisions{z: read2(md.z, x), y: read2(md.y, x), pool: read2(md.pool, x)}
	d.n = make([][][]float64, len(md.n))
	for o := range md.n {
		d.n[o] = read2(md.n[o], x)
	}
	if md.hire != nil {
		d.hire = make([][][]float64, len(md.hire))
		for i := range md.hire {
			d.hire[i] = read2(md.hire[i], x)
		}
	}
	for _, g := range [][][]float64{d.z, d.y} {
		roundAll(g)
	}
	for _, g := range d.n {
		roundAll(g)
	}
	return d
}

func roundAll(g [][]float64) {
	for i := range g {
		for p := range g[i] {
			g[i][p] = math.Round(g[i][p])
		}
	}
}

// fixTo fixes the decision columns of periods [0, upto] to d's values.
// When capOnly is set for period upto, the network columns of that period
// get d's values as upper bounds instead (staffing may drop modules), and
// its staffing columns stay free.
func (md *model) fixTo(d *decisions, upto int, capOnly bool) {
	set := func(col int, v float64, p int, network bool) {
		if col < 0 || math.IsNaN(v) {
			return
		}
		if p == upto && capOnly {
			if network {
				lo, _ := md.m.Bounds(col)
				md.m.SetBounds(col, math.Min(lo, v), v)
			}
			return
		}
		md.m.SetBounds(col, v, v)
	}
	for p := 0; p <= upto && p < md.np; p++ {
		for s := range md.z {
			set(md.z[s][p], at(d.z, s, p), p, true)
		}
		for o := range md.y {
			set(md.y[o][p], at(d.y, o, p), p, true)
			for k := range md.n[o] {
				set(md.n[o][k][p], at(d.n[o], k, p), p, true)
			}
		}
		for k := range md.pool {
			set(md.pool[k][p], at(d.pool, k, p), p, false)
		}
		for i := range md.hire {
			if i >= len(d.hire) {
				break
			}
			for c := range md.hire[i] {
				set(md.hire[i][c][p], at(d.hire[i], c, p), p, false)
			}
		}
	}
}

func at(g [][]float64, i, p int) float64 {
	if g == nil || i >= len(g) || p >= len(g[i]) {
		return math.NaN()
	}
	return g[i][p]
}

// merge copies period p of src into dst.
func (d *decisions) merge(src *decisions, p int) {
	cp := func(dst, src [][]float64) {
		for i := range dst {
			if i < len(src) && p < len(src[i]) && p < len(dst[i]) && !math.IsNaN(src[i][p]) {
				dst[i][p] = src[i][p]
			}
		}
	}
	cp(d.z, src.z)
	cp(d.y, src.y)
	cp(d.pool, src.pool)
	for o := range d.n {
		cp(d.n[o], src.n[o])
	}
	for i := range d.hire {
		if i < len(src.hire) {
			cp(d.hire[i], src.hire[i])
		}
	}
}

// Sequential plans the programme the old way, period by period, and scores
// it by the programme's objective, so that the gain of deciding jointly
// can be measured. For each period in turn, with the decisions of earlier
// periods fixed:
//
//  1. Location, as Locate decides it: the sites, services and modules of
//     the period that minimise the objective of the periods so far (money,
//     travel and unserved demand, under the same budgets, equity rules and
//     penalties), with staff left out: no requirement, recruitment or
//     pooling, and no salaries.
//  2. Staffing, as Pool then decides it: the same model with staff, the
//     period's network capped at what step 1 chose (a module that cannot
//     be staffed within the rules and budgets is not opened), choosing the
//     recruitment and pooling of the period.
//
// Each step is solved exactly. The decisions of every period together are
// then scored as one programme (the assignment of demand re-optimised over
// the fixed network), which is the Plan returned. It is never better than
// Solve's optimum; Solve with Options.Sequential reports both.
func Sequential(ctx context.Context, p *Problem, opt *Options) (*Plan, error) {
	start := time.Now()
	r, cancel, err := newRun(ctx, p, opt)
	if err != nil {
		return nil, err
	}
	defer cancel()
	res, err := r.sequential()
	if err != nil {
		return nil, err
	}
	plan := r.plan(res)
	plan.Method = sequentialMethod
	plan.Model = r.stats
	plan.Notes = append(plan.Notes, r.notes...)
	plan.Elapsed = time.Since(start)
	return plan, nil
}

const sequentialMethod = "sequential: location then staffing, period by period"

// sequential runs the two steps for each period, then scores the whole.
func (r *run) sequential() (*result, error) {
	last := len(r.in.per) - 1
	var dec *decisions
	for p := 0; p <= last; p++ {
		loc := build(r.in, buildOpts{last: p, noStaff: true})
		if dec != nil {
			loc.fixTo(dec, p-1, false)
		}
		a, err := r.solveModel(loc)
		if err != nil {
			return nil, err
		}
		locDec := loc.readDecisions(a.x)
		st := build(r.in, buildOpts{last: p})
		if dec != nil {
			st.fixTo(dec, p-1, false)
		}
		st.fixTo(locDec, p, true)
		b, err := r.solveModel(st)
		if err != nil {
			return nil, err
		}
		if dec == nil {
			dec = build(r.in, buildOpts{last: last}).emptyDecisions()
		}
		dec.merge(st.readDecisions(b.x), p)
	}
	whole := build(r.in, buildOpts{last: last})
	whole.fixTo(dec, last, false)
	res, err := r.solveModel(whole)
	if err != nil {
		return nil, err
	}
	if res.status == gst.StatusOptimal {
		res.bound = res.value
	}
	return res, nil
}

// emptyDecisions returns decisions shaped like the model's, all NaN.
func (md *model) emptyDecisions() *decisions {
	nan := make([]float64, md.m.NumVars())
	for i := range nan {
		nan[i] = math.NaN()
	}
	d := &decisions{z: read2(md.z, nan), y: read2(md.y, nan), pool: read2(md.pool, nan)}
	d.n = make([][][]float64, len(md.n))
	for o := range md.n {
		d.n[o] = read2(md.n[o], nan)
	}
	d.hire = make([][][]float64, len(md.hire))
	for i := range md.hire {
		d.hire[i] = read2(md.hire[i], nan)
	}
	return d
}
