package programme

import (
	"context"
	"errors"
	"math"
	"sort"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// addExtras adds what the plan explains besides the programme: the
// marginal values, the cost of reversing decisions and the budget
// frontier, each as time allows.
func (r *run) addExtras(plan *Plan, best *result) {
	if r.opt.DecisionCosts && r.ctx.Err() == nil {
		costs, revs, better := r.decisionCosts(best)
		if better != nil {
			// A reversed decision gave a better programme than the
			// search had: it is the programme, with the search's bound.
			adopted := *better
			adopted.bound = best.bound
			adopted.status = best.status
			if gst.Gap(adopted.value, adopted.bound) <= r.opt.GapTolerance {
				adopted.status = gst.StatusOptimal
			}
			seq, seqValue := plan.Sequential, plan.SequentialValue
			today := plan.Today
			*plan = *r.plan(&adopted)
			plan.Sequential, plan.SequentialValue, plan.Today = seq, seqValue, today
			*best = adopted
			r.note("solving again with a decision reversed found a better programme than the search had; it is the one reported, with the costs of reversing the decisions it shares with the programme first found")
			costs = r.sharedDecisions(best, costs, revs)
		}
		for i := range costs {
			priceRange(&costs[i], plan)
		}
		plan.DecisionCosts = costs
	}
	if !r.opt.NoWhy && r.ctx.Err() == nil {
		r.marginalValues(plan, best)
	}
	if len(r.opt.Frontier) > 0 && r.ctx.Err() == nil {
		plan.Frontier = r.frontier(best)
	}
	r.closeStaffing()
	if r.ctx.Err() != nil && (r.opt.DecisionCosts || len(r.opt.Frontier) > 0) {
		r.note("the deadline passed before every explanation was computed")
	}
}

// today solves the first year with the modules installed today.
func (r *run) today() ([]Figures, error) {
	md := build(r.in, buildOpts{last: 0, today: true, noStaff: true})
	res, err := r.solveModel(md)
	if err != nil {
		return nil, err
	}
	return md.figures(res.x, 0, 0), nil
}

// marginalValues gives the value of one more MAD of each year's budgets
// and of one more recruit of each category: the duals of the linear
// programme where the sites and services are those of the programme and
// modules may be added in fractions at them (the rate at which money or
// staff buys capacity where the programme builds; the frontier shows what
// larger budgets buy in whole decisions).
func (r *run) marginalValues(plan *Plan, best *result) {
	md := best.md
	rx := best.rx
	if rx == nil {
		rx = &compactRelaxation{r: r, md: md}
	}
	dual, err := rx.duals(func(m *lp.Model, col func(int) int) {
		fix := func(j int) {
			if j < 0 {
				return
			}
			if c := col(j); c >= 0 {
				v := math.Round(best.x[j])
				m.SetBounds(c, v, v)
			}
		}
		for p := 0; p < md.np; p++ {
			for s := range md.z {
				fix(md.z[s][p])
			}
			for o := range md.y {
				fix(md.y[o][p])
			}
		}
	})
	if err != nil {
		r.note("marginal values not computed: %v", err)
		return
	}
	in := r.in
	value := func(row int) float64 {
		if row < 0 {
			return 0
		}
		return -dual(row) // objective and budget rows share the unit
	}
	for t := range in.years {
		bv := BudgetValue{Year: in.years[t]}
		for b := range md.budRow {
			v := 0.0
			for s := t; s < len(in.years); s++ {
				if s == t || in.p.CarryOver {
					v += value(md.budRow[b][s])
				}
			}
			v += value(md.totalRow)
			if b == capital {
				bv.Capital = clean(math.Max(0, v))
			} else {
				bv.Running = clean(math.Max(0, v))
			}
		}
		plan.BudgetValues = append(plan.BudgetValues, bv)
	}
	for c := range in.cats {
		for p := range in.per {
			if row := md.recRow[c][p]; row >= 0 {
				plan.RecruitValues = append(plan.RecruitValues, RecruitValue{Category: in.cats[c].id, Year: in.per[p].start, MAD: clean(math.Max(0, value(row)/moneyScale))})
			}
		}
	}
}

// decisionCosts re-solves the programme with decisions reversed: each
// service the programme opens forbidden, then the services it leaves
// closed nearest to demand forced open from the first period.
func (r *run) decisionCosts(best *result) ([]DecisionCost, []reversal, *result) {
	cands := r.reversals(best)
	var out []DecisionCost
	var better *result
	for i, c := range cands {
		if i == r.opt.DecisionCostLimit || r.ctx.Err() != nil {
			cands = cands[:i]
			break
		}
		dc, res := r.reverse(best, c.o, c.force)
		out = append(out, dc)
		if res != nil && res.value < best.value-1e-9*math.Max(1, math.Abs(best.value)) && (better == nil || res.value < better.value) {
			better = res
		}
	}
	return out, cands[:len(out)], better
}

// sharedDecisions keeps the costs of the reversals whose decision the
// programme adopted (best, after a reversal found it) takes too, priced
// against it: a service it opens as well, or leaves closed as well. The
// others (the reversal that found it among them) price a decision the
// plan does not report.
func (r *run) sharedDecisions(best *result, costs []DecisionCost, revs []reversal) []DecisionCost {
	var out []DecisionCost
	for i, c := range costs {
		if r.opens(best, revs[i].o) == revs[i].force {
			continue
		}
		if !c.Unsolved && !c.Infeasible {
			c.Delta = clean(c.Value - best.value)
		}
		out = append(out, c)
	}
	return out
}

// opens reports whether the programme res offers o in its last period.
func (r *run) opens(res *result, o int) bool {
	return res.md.intAt(res.x, res.md.y[o][len(r.in.per)-1]) == 1
}

// priceRange sets the proven range of a decision's cost (see
// DecisionCost) from the plan's value and bound.
func priceRange(c *DecisionCost, plan *Plan) {
	if c.Unsolved || c.Infeasible {
		return
	}
	c.DeltaLow = clean(c.Bound - plan.Value)
	c.DeltaHigh = clean(c.Value - plan.Bound)
}

type reversal struct {
	o     int
	force bool
	score float64
}

// reversals lists the decisions to price: openings first (by
// establishment), then closed offers by the demand that has them nearest.
func (r *run) reversals(best *result) []reversal {
	in := r.in
	var opened, closed []reversal
	for o := range in.offers {
		off := &in.offers[o]
		if off.openToday || off.forceFrom >= 0 || off.forbid {
			continue
		}
		if r.opens(best, o) {
			opened = append(opened, reversal{o: o})
		} else {
			closed = append(closed, reversal{o: o, force: true, score: r.nearDemand(o)})
		}
	}
	sort.SliceStable(closed, func(i, j int) bool { return closed[i].score > closed[j].score })
	return append(opened, closed...)
}

// nearDemand sums the first year's demand of the areas whose nearest
// reachable site is the offer's.
func (r *run) nearDemand(o int) float64 {
	in := r.in
	s := in.offers[o].svc
	var v float64
	for a := range in.areas {
		if len(in.reach[s][a]) > 0 && in.reach[s][a][0].off == o {
			v += in.dem[s][a][0]
		}
	}
	return v
}

// reverse solves the programme with one decision reversed; it returns the
// programme found too (nil when none).
func (r *run) reverse(best *result, o int, force bool) (DecisionCost, *result) {
	in := r.in
	off := &in.offers[o]
	dc := DecisionCost{Establishment: in.sites[off.site].id, Service: in.svc[off.svc].id, Reverse: "forbid"}
	md := build(in, best.md.o)
	for p := 0; p < md.np; p++ {
		if force {
			md.m.SetBounds(md.y[o][p], 1, 1)
			dc.Reverse = "force"
		} else {
			md.m.SetBounds(md.y[o][p], 0, 0)
		}
	}
	ctx, cancel := r.share(1.0 / float64(r.opt.DecisionCostLimit))
	defer cancel()
	saved := r.ctx
	r.ctx = ctx
	res, err := r.solveModel(md)
	r.ctx = saved
	switch {
	case errors.Is(err, gst.ErrInfeasible):
		dc.Infeasible, dc.Status = true, gst.StatusInfeasible
	case err != nil:
		dc.Status, dc.Unsolved = r.stopped(), true
	default:
		dc.Value, dc.Bound, dc.Status = clean(res.value), clean(res.bound), res.status
		dc.Delta = clean(res.value - best.value)
		return dc, res
	}
	return dc, nil
}

// share returns a context whose deadline is the given share of the time
// left (the run's context when it has no deadline).
func (r *run) share(f float64) (context.Context, context.CancelFunc) {
	d, ok := r.ctx.Deadline()
	if !ok {
		return r.ctx, func() {}
	}
	left := time.Until(d)
	return context.WithTimeout(r.ctx, time.Duration(f*float64(left)))
}

// frontier solves the programme at each budget level, nearest to the
// main programme's budgets first (levelOrder), so that each level starts
// from the programmes of the levels next to it: every programme of a
// lower level, and the main one from level 1 on, fits the budgets of a
// higher level and is its first incumbent; the programme of the nearest
// level above a lower one is repaired into its budgets (see repair).
func (r *run) frontier(best *result) []FrontierPoint {
	levels := append([]float64(nil), r.opt.Frontier...)
	sort.Float64s(levels)
	out := make([]FrontierPoint, len(levels))
	seeds := []*result{best}
	done := 0
	for _, i := range levelOrder(levels) {
		l := levels[i]
		if r.ctx.Err() != nil {
			// The deadline passed: the levels not reached have no
			// programme.
			out[i] = FrontierPoint{Level: l, Status: r.stopped(), Unsolved: true}
			continue
		}
		ctx, cancel := r.share(1.0 / float64(len(levels)-done))
		saved := r.ctx
		r.ctx = ctx
		r.seeds, r.warm = seeds, r.tree
		t0 := time.Now()
		res, err := r.solveLevel(best, l)
		took := time.Since(t0)
		r.seeds, r.warm = nil, nil
		r.ctx = saved
		cancel()
		done++
		if err == nil {
			seeds = append(seeds, res)
		}
		fp := FrontierPoint{Level: l}
		switch {
		case errors.Is(err, gst.ErrInfeasible):
			fp.Infeasible, fp.Status = true, gst.StatusInfeasible
		case err != nil:
			fp.Status, fp.Unsolved = r.stopped(), true
		default:
			fp = r.frontierPoint(l, res)
		}
		fp.Elapsed = took
		out[i] = fp
	}
	return out
}

// levelOrder returns the indices of the sorted levels in the order they
// are solved: by their distance to the main programme's budgets (level
// 1) as a ratio, the lower first among equals.
func levelOrder(levels []float64) []int {
	idx := make([]int, len(levels))
	for i := range idx {
		idx[i] = i
	}
	dist := func(l float64) float64 { return math.Abs(math.Log(l)) }
	sort.SliceStable(idx, func(a, b int) bool { return dist(levels[idx[a]]) < dist(levels[idx[b]])-1e-12 })
	return idx
}

func (r *run) frontierPoint(level float64, res *result) FrontierPoint {
	pl := r.plan(res)
	fp := FrontierPoint{Level: level, Status: pl.Status, Value: pl.Value, Bound: pl.Bound, Gap: pl.Gap, Unserved: make([]float64, len(r.in.svc))}
	for _, y := range pl.Years {
		fp.CapitalMAD += y.CapitalMAD
		fp.RunningMAD += y.RunningMAD
		fp.Openings += len(y.Openings)
		for s, f := range y.Figures {
			fp.Unserved[s] += f.Unserved
		}
	}
	fp.CapitalMAD, fp.RunningMAD = clean(fp.CapitalMAD), clean(fp.RunningMAD)
	for s := range fp.Unserved {
		fp.Unserved[s] = clean(fp.Unserved[s])
	}
	fp.LastYear = pl.Years[len(pl.Years)-1].Figures
	return fp
}
