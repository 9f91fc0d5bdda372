package allocate

import (
	"errors"
	"math"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// SiteCost is what a plan would lose by changing its decision on one site:
// forbidding it when the plan opens it, forcing it open when the plan keeps
// it closed. Sites the rules fix (kept or excluded) have none.
type SiteCost struct {
	Site gst.EstablishmentID `json:"site"`
	// Open says whether the plan opens the site; the change priced is the
	// opposite decision.
	Open bool `json:"open"`
	// Bound is a proven bound on the objective of the best plan with the
	// change: a lower bound for a minimised objective, an upper bound for
	// MaxCoverage and BackupCoverage. BoundMethod says where it comes
	// from:
	//   - "lp reduced cost": the linear relaxation's optimum plus the
	//     reduced cost of the site's column (valid because the relaxation's
	//     dual solution stays feasible when the column's bound moves; it is
	//     weak when the relaxation is fractional);
	//   - "lagrangian": the p-median engine's Lagrangian bound with the
	//     site's state flipped;
	//   - "re-solve": the bound of the re-solve below.
	Bound       float64 `json:"bound"`
	BoundMethod string  `json:"bound_method"`
	// Resolved is true when the problem was solved again with the change
	// (Options.SiteCosts). Value is then the objective of the best plan
	// found, Status its status, and Delta = Value − Plan.Value (positive
	// when the change makes a minimised objective worse). Infeasible is
	// true when no plan satisfies the rules with the change.
	Resolved   bool       `json:"resolved,omitempty"`
	Value      float64    `json:"value,omitempty"`
	Status     gst.Status `json:"status,omitempty"`
	Delta      float64    `json:"delta,omitempty"`
	Infeasible bool       `json:"infeasible,omitempty"`
}

// CapacityValue is the marginal value of capacity at one open site for one
// service: how much the plan's objective would improve per extra unit of
// capacity a year, the open sites staying as they are.
type CapacityValue struct {
	Site    gst.EstablishmentID `json:"site"`
	Service gst.ServiceID       `json:"service"`
	// Capacity and Load are the site's capacity and the volume the plan
	// sends to it.
	Capacity float64 `json:"capacity"`
	Load     float64 `json:"load"`
	// Value is minus the dual value of the site's capacity row in the
	// transportation problem of the plan (the assignment of demand to the
	// plan's open sites, demand splittable): the weighted travel saved per
	// extra unit of capacity (dirhams for FixedCharge, weighted demand
	// newly covered for MaxCoverage). It is exact for a small change under
	// SplitDemand; under SingleSource it is the value for the relaxation
	// that may split demand, an estimate. Zero when the capacity does not
	// bind.
	Value float64 `json:"value"`
}

// whyMaxNonzeros bounds the size of the relaxations solved for the
// explanations; larger ones are skipped with a note.
const whyMaxNonzeros = 400_000

// mainSpec records the single-model formulation of the primary objective,
// when it has one, so that its relaxation can explain the plan.
type mainSpec struct {
	near    *nearSpec
	assign  *assignSpec
	toValue func(float64) float64
}

// why fills the reduced-cost bounds of the sites and the marginal values of
// capacity.
func (r *runner) why(pl *Plan, st *stage) {
	if r.ctx.Err() != nil {
		r.note("no explanation: the deadline passed before the relaxations could be solved")
		return
	}
	if r.in.capacitated {
		r.capacityValues(pl, st)
	}
	if r.flip != nil {
		for j := range r.in.sites {
			if !math.IsNaN(r.flip[j]) {
				pl.SiteCosts = append(pl.SiteCosts, SiteCost{Site: r.in.sites[j].id, Open: st.sol.open[j],
					Bound: r.flip[j], BoundMethod: "lagrangian"})
			}
		}
		return
	}
	r.reducedCostBounds(pl, st)
}

// reducedCostBounds solves the linear relaxation of the primary model and
// bounds the objective of each site's opposite decision.
func (r *runner) reducedCostBounds(pl *Plan, st *stage) {
	in := r.in
	ms := r.main
	if ms == nil || (ms.near == nil && ms.assign == nil) {
		if in.obj.center() {
			r.note("site bounds: the p-center is solved as a sequence of covering problems, which gives no reduced costs; use Options.SiteCosts to re-solve with each site changed")
		}
		return
	}
	var m *lp.Model
	var ycol []int
	if ms.near != nil {
		sp := *ms.near
		sp.relax = true
		nm := newNear(in, &sp)
		if nm.nonzeros > whyMaxNonzeros {
			r.note("site bounds: skipped, the relaxation has %d nonzeros (limit %d)", nm.nonzeros, whyMaxNonzeros)
			return
		}
		nm.build("relaxation")
		m, ycol = nm.m, nm.ycol
	} else {
		sp := *ms.assign
		sp.relax = true
		am := newAssign(in, &sp)
		if am.nonzeros > whyMaxNonzeros {
			r.note("site bounds: skipped, the relaxation has %d nonzeros (limit %d)", am.nonzeros, whyMaxNonzeros)
			return
		}
		am.build("relaxation")
		m, ycol = am.m, am.ycol
	}
	sol, err := lp.Solve(r.ctx, m, &lp.Options{Duals: true})
	if err != nil || sol.Status != gst.StatusOptimal {
		r.note("site bounds: the linear relaxation was not solved to optimality")
		return
	}
	for j := range in.sites {
		if ycol[j] < 0 {
			continue
		}
		y, rc := sol.X[ycol[j]], sol.ReducedCosts[ycol[j]]
		target := 1.0
		if st.sol.open[j] {
			target = 0
		}
		lb := sol.Objective + math.Max(0, rc*(target-y))
		pl.SiteCosts = append(pl.SiteCosts, SiteCost{Site: in.sites[j].id, Open: st.sol.open[j],
			Bound: ms.toValue(lb), BoundMethod: "lp reduced cost"})
	}
}

// capacityValues solves the transportation problem of the plan and reads
// the duals of its capacity rows.
func (r *runner) capacityValues(pl *Plan, st *stage) {
	in := r.in
	sp := &assignSpec{cost: travel, fixed: st.sol.open, relax: true}
	if in.p.AllowUnserved && r.main != nil && r.main.assign != nil {
		// The second stage: as much demand served, at least travel.
		c := *r.main.assign
		c.fixed, c.relax, c.count, c.countP = st.sol.open, true, 0, 0
		sp = &c
	}
	switch in.obj {
	case FixedCharge:
		sp.scale = in.p.TravelCost
	case MaxCoverage:
		sp.cost = func(k int, d float64) float64 { return -in.credit(k, d) }
		sp.keep = func(k int, d float64) bool { return in.credit(k, d) > 0 }
		sp.optional = true
	case SetCovering:
		sp.limit = func(k int) float64 { return in.svcs[in.cls[k].svc].std }
	case PCenter, WeightedPCenter:
		sp.limit = in.radiusLimit(st.value)
	}
	am := newAssign(in, sp)
	if am.infeas {
		return
	}
	if am.nonzeros > whyMaxNonzeros {
		r.note("capacity values: skipped, the transportation problem has %d nonzeros (limit %d)", am.nonzeros, whyMaxNonzeros)
		return
	}
	am.build("transport")
	sol, err := lp.Solve(r.ctx, am.m, &lp.Options{Duals: true})
	if err != nil || sol.Status != gst.StatusOptimal {
		r.note("capacity values: the transportation problem of the plan was not solved to optimality")
		return
	}
	load := map[[2]int32]float64{}
	for k, sh := range st.sol.assign {
		for _, x := range sh {
			load[[2]int32{x.site, in.cls[k].svc}] += in.cls[k].vol * x.frac
		}
	}
	keys := make([][2]int32, 0, len(am.caprow))
	for key := range am.caprow {
		keys = append(keys, key)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a][0] != keys[b][0] {
			return keys[a][0] < keys[b][0]
		}
		return keys[a][1] < keys[b][1]
	})
	for _, key := range keys {
		v := -sol.Duals[am.caprow[key]]
		if math.Abs(v) < 1e-9 {
			v = 0
		}
		pl.CapacityValues = append(pl.CapacityValues, CapacityValue{Site: in.sites[key[0]].id, Service: in.svcs[key[1]].id,
			Capacity: in.sites[key[0]].cap[key[1]], Load: load[key], Value: v})
	}
}

// resolveSites solves the problem again with each site's decision flipped,
// the open sites first, then the closed ones with the weakest bound (the
// likeliest alternatives), up to Options.SiteCostLimit.
func (r *runner) resolveSites(pl *Plan, st *stage) {
	in := r.in
	bounds := map[gst.EstablishmentID]SiteCost{}
	for _, sc := range pl.SiteCosts {
		bounds[sc.Site] = sc
	}
	var order []int
	for j := range in.sites {
		if in.sites[j].fix == 0 {
			order = append(order, j)
		}
	}
	maxim := in.obj.maximises()
	sort.SliceStable(order, func(a, b int) bool {
		ja, jb := order[a], order[b]
		if st.sol.open[ja] != st.sol.open[jb] {
			return st.sol.open[ja]
		}
		ba, oka := bounds[in.sites[ja].id]
		bb, okb := bounds[in.sites[jb].id]
		if oka && okb && ba.Bound != bb.Bound {
			if maxim {
				return ba.Bound > bb.Bound
			}
			return ba.Bound < bb.Bound
		}
		return ja < jb
	})
	if len(order) > r.opt.SiteCostLimit {
		r.note("site costs: re-solved %d of the %d sites the plan decides (Options.SiteCostLimit)", r.opt.SiteCostLimit, len(order))
		order = order[:r.opt.SiteCostLimit]
	}
	out := map[gst.EstablishmentID]SiteCost{}
	for _, j := range order {
		if r.ctx.Err() != nil {
			r.note("site costs: the deadline passed after %d re-solves", len(out))
			break
		}
		sc := bounds[in.sites[j].id]
		sc.Site, sc.Open = in.sites[j].id, st.sol.open[j]
		fix := int8(1)
		if st.sol.open[j] {
			fix = -1
		}
		sub := &runner{ctx: r.ctx, user: r.user, opt: r.opt, in: in.withFix(int32(j), fix), start: r.start}
		sub.opt.NoRefine = true
		s2, err := sub.primary()
		sc.Resolved = true
		switch {
		case err == nil:
			sc.Value, sc.Status = s2.value, s2.status
			sc.Delta = s2.value - st.value
			if sc.BoundMethod == "" || (maxim && s2.bound < sc.Bound) || (!maxim && s2.bound > sc.Bound) {
				sc.Bound, sc.BoundMethod = s2.bound, "re-solve"
			}
		case errors.Is(err, gst.ErrInfeasible):
			sc.Infeasible, sc.Status = true, gst.StatusInfeasible
		default:
			sc.Resolved = false
			r.note("site costs: %s: %v", in.sites[j].id, err)
		}
		out[sc.Site] = sc
	}
	merged := pl.SiteCosts[:0:0]
	for j := range in.sites {
		id := in.sites[j].id
		if sc, ok := out[id]; ok {
			merged = append(merged, sc)
		} else if sc, ok := bounds[id]; ok {
			merged = append(merged, sc)
		}
	}
	pl.SiteCosts = merged
}

// withFix returns a copy of the instance with one more site kept (fix = 1)
// or excluded (fix = −1).
func (in *inst) withFix(j int32, fix int8) *inst {
	c := *in
	c.sites = append([]site(nil), in.sites...)
	c.sites[j].fix = fix
	if fix > 0 {
		c.fixedOpen++
		c.free--
		if !c.sites[j].today {
			c.forcedCost += c.sites[j].cost
			c.forcedChanges++
		}
		return &c
	}
	c.free--
	c.usable--
	if c.sites[j].today {
		c.forcedCost += c.sites[j].cost
		c.forcedChanges++
	}
	c.cls = make([]client, len(in.cls))
	for k := range in.cls {
		c.cls[k] = in.cls[k]
		for i, s := range in.cls[k].cands {
			if s == j {
				l := make([]int32, 0, len(in.cls[k].cands)-1)
				l = append(l, in.cls[k].cands[:i]...)
				c.cls[k].cands = append(l, in.cls[k].cands[i+1:]...)
				break
			}
		}
	}
	return &c
}
