package allocate

import (
	"fmt"

	"github.com/gstplan/gst/internal/lp"
)

// The radius (nearest-site) formulation, for problems whose capacities do
// not bind, so that every area goes to its nearest open site.
//
// Each client k (an area's demand for one service) sees its candidate sites
// by increasing travel, grouped into levels of equal cost D¹ < D² < … < Dᴸ.
// A continuous column z_k^l ≥ 0 stands for "no site of levels 1..l is open".
// The chained rows
//
//	z_k^1 + Σ_{j ∈ level 1} y_j ≥ 1
//	z_k^{l−1} − z_k^l − Σ_{j ∈ level l} y_j ≤ 0      l = 2..L
//
// imply z_k^l ≥ 1 − Σ_{j within level l} y_j, and the client costs
// g(D¹) + Σ_l (g(D^{l+1}) − g(D^l))·z_k^l, where D^{L+1} is the client's
// fallback (the cost of staying unserved; z_k^L is left out, so some site
// must open, when serving is mandatory). This is the formulation of
// Elloumi (2010) with the cover inequalities of each client chained, which
// gives the same linear bound as the classical assignment formulation with
// O(sites + levels) nonzeros per client instead of O(sites²) or
// O(sites·levels), and it is as tight as the strong assignment formulation
// (Cornuéjols, Nemhauser and Wolsey 1980).
//
// Reductions: a client's list stops at its nearest site kept open; when
// exactly P sites open, it stops at the first ball holding all but P−1 of
// the usable sites (one of them is open whatever the plan); levels whose
// cost does not change are merged; candidates beyond a limit (a p-center
// radius, a covering standard) are dropped.

// nearSpec describes one radius model.
type nearSpec struct {
	// cost is the objective per unit of client weight at travel d, non
	// decreasing in d; nil means zero.
	cost func(k int, d float64) float64
	// fallback is the cost per unit of weight of a client with no open
	// candidate; nil makes serving every client mandatory.
	fallback func(k int) float64
	// limit drops the candidates of client k farther than limit(k).
	limit func(k int) float64
	// count is the sense of Σ y = countP (0: no count row).
	count  lp.Sense
	countP int
	// siteCosts adds the opening and closing costs to the objective.
	siteCosts bool
	// scale multiplies the client costs in the objective (the fixed
	// charge objective's TravelCost); 0 means 1.
	scale float64
	// minSites makes the objective the number of open sites.
	minSites bool
	// rules adds the budget, changes and coverage rows.
	rules bool
	// bounds adds rows bounding other costs of the same kind.
	bounds []nearBound
	// relax makes the site columns continuous (the linear relaxation).
	relax bool
}

// nearBound is a row Σ_k w_k·cost_k (sense) rhs over the radius columns.
type nearBound struct {
	cost     func(k int, d float64) float64
	fallback func(k int) float64
	sense    lp.Sense
	rhs      float64
}

// clientLevels is the level structure of one client.
type clientLevels struct {
	n    int32   // candidates used: cands[:n]
	ends []int32 // exclusive end of each level in cands[:n]
	sure bool    // a site of cands[:n] is open in every plan
}

// nearModel is a built radius model and the map back to the instance.
type nearModel struct {
	in       *inst
	spec     *nearSpec
	lv       []clientLevels
	m        *lp.Model
	ycol     []int   // column of each free site, −1 for fixed sites
	zcol     [][]int // per client, column of each level (−1: none)
	infeas   bool    // a mandatory client has no candidate: no plan exists
	rows     int64
	cols     int64
	nonzeros int64
}

// levels computes the level structure of every client.
func (nm *nearModel) levels() {
	in, sp := nm.in, nm.spec
	nm.lv = make([]clientLevels, len(in.cls))
	covSplit := sp.rules && len(in.p.MinCoverage) > 0
	for k := range in.cls {
		c := &in.cls[k]
		n := len(c.cands)
		if sp.limit != nil {
			lim := sp.limit(k)
			for n > 0 && in.d(k, c.cands[n-1]) > lim {
				n--
			}
		}
		sure := false
		for i := 0; i < n; i++ {
			j := c.cands[i]
			if in.sites[j].fix > 0 || (sp.count == lp.EQ && in.usable-(i+1) < sp.countP) {
				// Stop at the end of this distance group.
				d := in.d(k, j)
				for i+1 < n && in.d(k, c.cands[i+1]) == d {
					i++
				}
				n, sure = i+1, true
				break
			}
		}
		lv := clientLevels{n: int32(n), sure: sure}
		std := in.svcs[c.svc].std
		for i := 0; i < n; {
			d := in.d(k, c.cands[i])
			e := i + 1
			for e < n {
				d2 := in.d(k, c.cands[e])
				if d2 != d && !nm.sameCost(k, d, d2, covSplit && in.svcs[c.svc].hasStd, std) {
					break
				}
				e++
			}
			lv.ends = append(lv.ends, int32(e))
			i = e
		}
		if n == 0 && sp.fallback == nil {
			nm.infeas = true
		}
		nm.lv[k] = lv
	}
}

// sameCost reports whether every cost of the model is the same at travel d
// and d2 (d < d2) for client k, so that they may share a level.
func (nm *nearModel) sameCost(k int, d, d2 float64, split bool, std float64) bool {
	if split && d <= std && d2 > std {
		return false
	}
	sp := nm.spec
	if sp.cost != nil && sp.cost(k, d) != sp.cost(k, d2) {
		return false
	}
	for _, b := range sp.bounds {
		if b.cost(k, d) != b.cost(k, d2) {
			return false
		}
	}
	return true
}

// hasLastZ reports whether client k has a column for its last level.
func (nm *nearModel) hasLastZ(k int) bool {
	return nm.spec.fallback != nil && !nm.lv[k].sure
}

// size counts the rows, columns and nonzeros of the model.
func (nm *nearModel) size() {
	in := nm.in
	nm.cols = int64(in.free)
	nm.rows = 0
	nm.nonzeros = 0
	for k := range in.cls {
		lv := &nm.lv[k]
		L := len(lv.ends)
		if L == 0 {
			continue
		}
		z := L - 1
		if nm.hasLastZ(k) {
			z = L
		}
		rows := L
		if lv.sure {
			rows = L - 1 // the last row always holds
		}
		nm.cols += int64(z)
		nm.rows += int64(rows)
		nm.nonzeros += int64(lv.n) + 2*int64(z)
	}
	nm.rows += 4 + int64(len(nm.spec.bounds))
	nm.nonzeros += 3 * int64(in.free)
	if nm.spec.rules {
		for _, g := range in.coverageGroups() {
			nm.rows++
			nm.nonzeros += int64(len(g.clients))
		}
	}
	for range nm.spec.bounds {
		nm.nonzeros += nm.cols
	}
}

// addSiteVars adds a column of the given kind for each site that is not
// fixed (none when free is false) and returns the columns, -1 for the
// sites without one, and the objective's constant: the count of sites
// fixed open when minSites counts sites, and the cost of closing today's
// sites when siteCosts prices them (a column for a site of today costs
// -cost, so that closing it adds cost).
func addSiteVars(m *lp.Model, in *inst, free, minSites, siteCosts bool, kind lp.Kind) ([]int, float64) {
	ycol := make([]int, len(in.sites))
	constant := 0.0
	for j := range in.sites {
		st := &in.sites[j]
		ycol[j] = -1
		if st.fix != 0 || !free {
			continue
		}
		obj := 0.0
		if minSites {
			obj = 1
		}
		if siteCosts {
			if st.today {
				obj -= st.cost
				constant += st.cost
			} else {
				obj += st.cost
			}
		}
		ycol[j] = m.AddVar(fmt.Sprintf("y%d", j), 0, 1, obj, kind)
	}
	if minSites {
		constant += float64(in.fixedOpen)
	}
	return ycol, constant
}

// bytes estimates the memory of the model and its solve (see
// lp.Model.EstimateBytes).
func estimateBytes(rows, cols, nonzeros int64) int64 {
	return 64<<10 + nonzeros*40 + cols*264 + rows*248
}

// newNear computes the levels and the size of a radius model without
// building it.
func newNear(in *inst, sp *nearSpec) *nearModel {
	nm := &nearModel{in: in, spec: sp}
	nm.levels()
	nm.size()
	return nm
}

// build builds the lp model.
func (nm *nearModel) build(name string) {
	in, sp := nm.in, nm.spec
	m := lp.NewModel(name)
	nm.m = m
	kind := lp.Binary
	if sp.relax {
		kind = lp.Continuous
	}
	var constant float64
	nm.ycol, constant = addSiteVars(m, in, true, sp.minSites, sp.siteCosts, kind)
	if sp.siteCosts {
		constant += in.forcedCost
	}
	// Bound rows are collected while the client columns are made.
	type acc struct {
		cols  []int
		coefs []float64
		rhs   float64
	}
	bacc := make([]acc, len(sp.bounds))
	for b := range sp.bounds {
		bacc[b].rhs = sp.bounds[b].rhs
	}
	nm.zcol = make([][]int, len(in.cls))
	var cols []int
	var coefs []float64
	for k := range in.cls {
		c := &in.cls[k]
		lv := &nm.lv[k]
		L := len(lv.ends)
		if L == 0 {
			// No candidate: the client costs its fallback (mandatory
			// clients without candidates were caught before).
			if sp.fallback != nil {
				constant += c.w * sp.fallback(k) * costScale(sp)
				for b := range sp.bounds {
					bacc[b].rhs -= c.w * sp.bounds[b].fallback(k)
				}
			}
			continue
		}
		dAt := func(l int) float64 { // travel of level l (0-based)
			start := int32(0)
			if l > 0 {
				start = lv.ends[l-1]
			}
			return in.d(k, c.cands[start])
		}
		costAt := func(f func(int, float64) float64, fb func(int) float64, l int) float64 {
			if l == L {
				if fb == nil {
					return 0
				}
				return fb(k)
			}
			if f == nil {
				return 0
			}
			return f(k, dAt(l))
		}
		zs := make([]int, L)
		for l := range zs {
			zs[l] = -1
		}
		nz := L - 1
		if nm.hasLastZ(k) {
			nz = L
		}
		for l := 0; l < nz; l++ {
			obj := 0.0
			if !sp.minSites {
				obj = c.w * (costAt(sp.cost, sp.fallback, l+1) - costAt(sp.cost, sp.fallback, l)) * costScale(sp)
			}
			zs[l] = m.AddVar(fmt.Sprintf("z%d_%d", k, l), 0, 1, obj, lp.Continuous)
			for b, bd := range sp.bounds {
				if v := c.w * (costAt(bd.cost, bd.fallback, l+1) - costAt(bd.cost, bd.fallback, l)); v != 0 {
					bacc[b].cols = append(bacc[b].cols, zs[l])
					bacc[b].coefs = append(bacc[b].coefs, v)
				}
			}
		}
		if !sp.minSites {
			constant += c.w * costAt(sp.cost, sp.fallback, 0) * costScale(sp)
		}
		for b, bd := range sp.bounds {
			bacc[b].rhs -= c.w * costAt(bd.cost, bd.fallback, 0)
		}
		nm.zcol[k] = zs
		start := int32(0)
		for l := 0; l < L; l++ {
			end := lv.ends[l]
			if l == L-1 && lv.sure {
				break
			}
			cols, coefs = cols[:0], coefs[:0]
			rhs := 0.0
			for _, j := range c.cands[start:end] {
				if y := nm.ycol[j]; y >= 0 {
					cols = append(cols, y)
					coefs = append(coefs, -1)
				}
			}
			if l > 0 {
				cols = append(cols, zs[l-1])
				coefs = append(coefs, 1)
			} else {
				rhs = -1 // −z^1 − Σ y ≤ −1
			}
			if zs[l] >= 0 {
				cols = append(cols, zs[l])
				coefs = append(coefs, -1)
			}
			m.AddRow(fmt.Sprintf("c%d_%d", k, l), cols, coefs, lp.LE, rhs)
			start = end
		}
	}
	m.SetObjConstant(constant)
	for b := range sp.bounds {
		if len(bacc[b].cols) == 0 {
			// A constant row: keep it so that the solver checks it.
			ensureColumn(m)
			bacc[b].cols, bacc[b].coefs = []int{0}, []float64{0}
		}
		m.AddRow(fmt.Sprintf("bound%d", b), bacc[b].cols, bacc[b].coefs, sp.bounds[b].sense, bacc[b].rhs)
	}
	nm.siteRows(sp.count, sp.countP, sp.rules)
	if sp.rules {
		nm.coverageRows()
	}
}

// ensureColumn gives a model without columns an empty one, so that a
// constant row (a rule that holds or fails whatever the plan) has a column
// to name: golp cannot hold an empty sparse row.
func ensureColumn(m *lp.Model) {
	if m.NumVars() == 0 {
		m.AddVar("empty", 0, 0, 0, lp.Continuous)
	}
}

// costScale is the factor of the client costs in the objective.
func costScale(sp *nearSpec) float64 {
	if sp.scale != 0 {
		return sp.scale
	}
	return 1
}

// siteRows adds the count, budget and changes rows over the site columns.
func (nm *nearModel) siteRows(count lp.Sense, P int, rules bool) {
	addSiteRows(nm.m, nm.in, nm.ycol, count, P, rules)
}

// addSiteRows adds the count row (Σ y (sense) P − kept) and, with rules,
// the budget and changes rows, over the site columns of any formulation.
func addSiteRows(m *lp.Model, in *inst, ycol []int, count lp.Sense, P int, rules bool) {
	var cols []int
	var ones []float64
	for j := range in.sites {
		if ycol[j] >= 0 {
			cols = append(cols, ycol[j])
			ones = append(ones, 1)
		}
	}
	if count != 0 && len(cols) > 0 {
		m.AddRow("count", cols, ones, count, float64(P-in.fixedOpen))
	}
	if !rules || len(cols) == 0 {
		return
	}
	p := in.p
	if p.Budget > 0 {
		var bc []int
		var bv []float64
		rhs := p.Budget - in.forcedCost
		for j := range in.sites {
			st := &in.sites[j]
			if ycol[j] < 0 || st.cost == 0 {
				continue
			}
			bc = append(bc, ycol[j])
			if st.today {
				bv = append(bv, -st.cost)
				rhs -= st.cost
			} else {
				bv = append(bv, st.cost)
			}
		}
		if len(bc) > 0 {
			m.AddRow("budget", bc, bv, lp.LE, rhs)
		}
	}
	if p.MaxChanges > 0 {
		var cv []float64
		rhs := float64(p.MaxChanges - in.forcedChanges)
		for j := range in.sites {
			if ycol[j] < 0 {
				continue
			}
			if in.sites[j].today {
				cv = append(cv, -1)
				rhs--
			} else {
				cv = append(cv, 1)
			}
		}
		m.AddRow("changes", cols, cv, lp.LE, rhs)
	}
}

// coverageRows adds the equity rows: Σ_k vol_k·(1 − z_k^{l_S}) ≥ share ×
// total in each province and service, where l_S is the last level within
// the standard.
func (nm *nearModel) coverageRows() {
	in := nm.in
	for gi, g := range in.coverageGroups() {
		var cols []int
		var coefs []float64
		rhs := g.share * g.total
		for _, k := range g.clients {
			c := &in.cls[k]
			lv := &nm.lv[k]
			std := in.svcs[c.svc].std
			ls := -1
			start := int32(0)
			for l, end := range lv.ends {
				if in.d(k, c.cands[start]) <= std {
					ls = l
				}
				start = end
			}
			if ls < 0 {
				continue // never covered
			}
			z := -1
			if nm.zcol[k] != nil {
				z = nm.zcol[k][ls]
			}
			rhs -= c.vol // covered unless z says otherwise
			if z >= 0 {
				cols = append(cols, z)
				coefs = append(coefs, -c.vol)
			}
		}
		if len(cols) == 0 {
			ensureColumn(nm.m)
			cols, coefs = []int{0}, []float64{0}
		}
		nm.m.AddRow(fmt.Sprintf("cover%d", gi), cols, coefs, lp.GE, rhs)
	}
}

// openFrom reads the open sites from a solution of the model.
func openFrom(in *inst, ycol []int, x []float64) []bool {
	open := make([]bool, len(in.sites))
	for j := range in.sites {
		switch {
		case in.sites[j].fix > 0:
			open[j] = true
		case ycol[j] >= 0:
			open[j] = x[ycol[j]] > 0.5
		}
	}
	return open
}
