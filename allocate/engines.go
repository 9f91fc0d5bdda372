package allocate

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/capfl"
)

// capflFits reports whether the capacitated facility location engine
// handles the problem: one service, capacities binding, the p-median or
// fixed-charge objective, no budget, change limit or coverage rule, and no
// closing cost on a site that may close (the engine takes no negative
// fixed cost).
func (in *inst) capflFits() (bool, string) {
	switch {
	case !in.capacitated:
		return false, "capacities do not bind"
	case in.obj != PMedian && in.obj != FixedCharge:
		return false, "the objective is " + in.obj.String()
	case len(in.svcs) != 1:
		return false, "several services share the sites"
	case in.hasSideRules():
		return false, "the problem has a budget, a change limit or coverage rules"
	}
	if in.obj == FixedCharge {
		for j := range in.sites {
			if st := &in.sites[j]; st.fix == 0 && st.today && st.cost > 0 {
				return false, "a site that may close has a closing cost"
			}
		}
	}
	return true, ""
}

// tryCapflEngine solves the problem with the capfl engine when it fits.
// ok is false when the problem is left to the MIP.
func (r *runner) tryCapflEngine() (st *stage, ok bool, err error) {
	in := r.in
	fits, why := in.capflFits()
	if r.opt.Method == MIP {
		return nil, false, nil
	}
	if !fits {
		if r.opt.Method == Engine {
			return nil, false, fmt.Errorf("allocate: %w: Method Engine: the capacitated engine does not handle this problem: %s", gst.ErrInvalid, why)
		}
		return nil, false, nil
	}
	m, n := len(in.sites), len(in.cls)
	scale := 1.0
	if in.obj == FixedCharge {
		scale = in.p.TravelCost
	}
	total := in.svcs[0].total
	cp := &capfl.Problem{
		Capacity:     make([]float64, m),
		Demand:       make([]float64, n),
		Cost:         make([][]float64, m),
		SingleSource: in.p.Capacity == SingleSource,
	}
	backing := make([]float64, m*n)
	for j := 0; j < m; j++ {
		c := in.sites[j].cap[0]
		if math.IsInf(c, 1) {
			c = total
		}
		cp.Capacity[j] = c
		cp.Cost[j] = backing[j*n : (j+1)*n]
		for k := range cp.Cost[j] {
			cp.Cost[j][k] = math.Inf(1)
		}
		switch in.sites[j].fix {
		case 1:
			cp.Open = append(cp.Open, j)
		case -1:
			cp.Closed = append(cp.Closed, j)
		}
	}
	constant := 0.0
	if in.obj == FixedCharge {
		cp.FixedCost = make([]float64, m)
		for j := range in.sites {
			st := &in.sites[j]
			switch {
			case !st.today:
				cp.FixedCost[j] = st.cost
			case st.fix < 0:
				constant += st.cost
			}
		}
	}
	for k := range in.cls {
		c := &in.cls[k]
		cp.Demand[k] = c.vol
		for _, j := range c.cands {
			cp.Cost[j][k] = c.w * in.d(k, j) * scale
		}
	}
	count, P := in.countRule()
	if count != 0 {
		cp.MaxOpen = P
		if in.obj.needsP() {
			cp.MinOpen = P
		}
	}
	o := &capfl.Options{GapTolerance: r.opt.GapTolerance}
	var today []int
	for j := range in.sites {
		if in.sites[j].today {
			today = append(today, j)
		}
	}
	o.InitialOpen = today
	r.record(int64(n+m), int64(m+m*n), int64(2*m*n), m)
	sol, err := capfl.Solve(r.ctx, cp, o)
	if err != nil {
		if errors.Is(err, gst.ErrNoSolution) {
			return nil, true, &noPlanError{status: r.stopped()}
		}
		return nil, true, fmt.Errorf("allocate: capacitated engine: %w", err)
	}
	r.stats.Nodes += int64(sol.Nodes)
	r.stats.Iterations += int64(sol.Iterations)
	s := &solution{open: make([]bool, m), assign: make([][]share, n)}
	for _, j := range sol.Open {
		s.open[j] = true
	}
	for k, sh := range sol.Assign {
		for _, x := range sh {
			if x.Fraction > 0 {
				s.assign[k] = append(s.assign[k], share{int32(x.Site), x.Fraction})
			}
		}
		sort.Slice(s.assign[k], func(a, b int) bool { return s.assign[k][a].site < s.assign[k][b].site })
	}
	st = &stage{sol: s, value: in.value(s), bound: sol.Bound + constant, status: sol.Status, method: "capacitated engine (Lagrangian relaxation and branch and bound)"}
	if st.status == gst.StatusTimeLimit || st.status == gst.StatusCanceled {
		st.status = r.stopped()
	}
	r.settle(st)
	return st, true, nil
}

// tryPMedianEngine solves the problem with the p-median engine when it
// fits. ok is false when the problem is left to the MIP.
func (r *runner) tryPMedianEngine() (st *stage, ok bool, err error) {
	return nil, false, nil
}
