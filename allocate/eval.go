package allocate

import (
	"math"
)

// share is part of a client's demand served by a site.
type share struct {
	site int32
	frac float64
}

// solution is a plan in instance terms: the open sites and the shares of
// every client.
type solution struct {
	open   []bool
	assign [][]share
}

// nearest returns the solution that opens the given sites and sends every
// client to its nearest open candidate (ties to the lower site index).
// A client without an open candidate is left unserved.
func (in *inst) nearest(open []bool) *solution {
	s := &solution{open: open, assign: make([][]share, len(in.cls))}
	for k := range in.cls {
		for _, j := range in.cls[k].cands {
			if open[j] {
				s.assign[k] = []share{{j, 1}}
				break
			}
		}
	}
	return s
}

// credit is the coverage credit of a client at travel d: 1 within the
// standard, then the decay ramp, then 0.
func (in *inst) credit(k int, d float64) float64 {
	sv := &in.svcs[in.cls[k].svc]
	if d <= sv.std {
		return 1
	}
	if dc := in.p.Decay; dc != nil && in.obj == MaxCoverage && d < dc.Outer {
		return (dc.Outer - d) / (dc.Outer - sv.std)
	}
	return 0
}

// siteCost returns the opening and closing costs of a set of open sites and
// the number of changes from today.
func (in *inst) siteCost(open []bool) (cost float64, changes int) {
	for j := range in.sites {
		if open[j] != in.sites[j].today {
			cost += in.sites[j].cost
			changes++
		}
	}
	return cost, changes
}

// weightedTravel returns Σ weight × volume × travel × share.
func (in *inst) weightedTravel(s *solution) float64 {
	t := 0.0
	for k, sh := range s.assign {
		for _, x := range sh {
			t += in.cls[k].w * x.frac * in.d(k, x.site)
		}
	}
	return t
}

// value returns the objective of a solution in the problem's terms.
func (in *inst) value(s *solution) float64 {
	switch in.obj {
	case PMedian:
		return in.weightedTravel(s)
	case FixedCharge:
		c, _ := in.siteCost(s.open)
		return c + in.p.TravelCost*in.weightedTravel(s)
	case PCenter, WeightedPCenter:
		worst := 0.0
		for k, sh := range s.assign {
			for _, x := range sh {
				worst = math.Max(worst, in.eff(k, in.d(k, x.site)))
			}
		}
		return worst
	case SetCovering:
		n := 0
		for _, o := range s.open {
			if o {
				n++
			}
		}
		return float64(n)
	case MaxCoverage:
		v := 0.0
		for k, sh := range s.assign {
			for _, x := range sh {
				v += in.cls[k].w * x.frac * in.credit(k, in.d(k, x.site))
			}
		}
		return v
	case BackupCoverage:
		v := 0.0
		for k := range in.cls {
			if in.coverCount(k, s.open) >= 2 {
				v += in.cls[k].w
			}
		}
		return v
	}
	return math.NaN()
}

// coverCount returns the number of open candidates of a client within its
// service's standard.
func (in *inst) coverCount(k int, open []bool) int {
	std := in.svcs[in.cls[k].svc].std
	n := 0
	for _, j := range in.cls[k].cands {
		if in.d(k, j) > std {
			break
		}
		if open[j] {
			n++
		}
	}
	return n
}

// eff is the travel a p-center objective measures: travel, or weight ×
// travel for the weighted p-center.
func (in *inst) eff(k int, d float64) float64 {
	if in.obj == WeightedPCenter {
		return in.cls[k].w * d
	}
	return d
}

// feasible checks a solution against every rule of the problem and returns
// the first violation found, or "" when it satisfies them all. tol is a
// relative tolerance on capacities and shares.
func (in *inst) feasible(s *solution, tol float64) string {
	p := in.p
	nOpen := 0
	for j, o := range s.open {
		if o {
			nOpen++
		}
		if in.sites[j].fix > 0 && !o {
			return "a kept site is closed: " + string(in.sites[j].id)
		}
		if in.sites[j].fix < 0 && o {
			return "an excluded site is open: " + string(in.sites[j].id)
		}
	}
	if p.P > 0 {
		if in.obj.needsP() && nOpen != p.P {
			return "the number of open sites differs from P"
		}
		if !in.obj.needsP() && nOpen > p.P {
			return "more open sites than P"
		}
	}
	cost, changes := in.siteCost(s.open)
	if p.Budget > 0 && cost > p.Budget*(1+tol) {
		return "the budget is exceeded"
	}
	if limit, ok := in.changeLimit(); ok && changes > limit {
		return "too many changes"
	}
	load := make([]float64, len(in.sites)*len(in.svcs))
	for k, sh := range s.assign {
		c := &in.cls[k]
		sum := 0.0
		for _, x := range sh {
			if !s.open[x.site] {
				return "demand sent to a closed site"
			}
			if !in.sites[x.site].elig[c.svc] {
				return "demand sent to a site not eligible for its service"
			}
			if in.d(k, x.site) > in.svcs[c.svc].maxTravel*(1+tol) {
				return "a maximum travel rule is broken"
			}
			sum += x.frac
			load[int(x.site)*len(in.svcs)+int(c.svc)] += c.vol * x.frac
		}
		if sum > 1+tol {
			return "shares sum above 1"
		}
		if in.mandatory() && sum < 1-tol {
			return "demand left unserved"
		}
		if in.obj == SetCovering {
			for _, x := range sh {
				if in.d(k, x.site) > in.svcs[c.svc].std*(1+tol) {
					return "an area is served beyond its standard"
				}
			}
		}
		if p.Capacity == SingleSource && len(sh) > 1 {
			return "demand split under single sourcing"
		}
	}
	if in.capacitated {
		for j := range in.sites {
			for sv := range in.svcs {
				if l := load[j*len(in.svcs)+sv]; l > in.sites[j].cap[sv]*(1+tol)+tol {
					return "a capacity is exceeded at " + string(in.sites[j].id)
				}
			}
		}
	}
	for _, g := range in.coverageGroups() {
		cov := 0.0
		for _, k := range g.clients {
			for _, x := range s.assign[k] {
				if in.d(k, x.site) <= in.svcs[in.cls[k].svc].std {
					cov += in.cls[k].vol * x.frac
				}
			}
		}
		if cov < g.share*g.total*(1-tol)-tol {
			return "a coverage rule is broken in province " + string(g.province)
		}
	}
	return ""
}
