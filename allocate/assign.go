package allocate

import (
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst/internal/lp"
)

// The assignment formulation, for problems whose capacities bind:
//
//	x_kj ∈ [0, 1]   share of client k served by site j (binary under
//	                single sourcing), for the candidates j of k
//	Σ_j x_kj = 1                       (≤ 1 for the coverage objectives)
//	x_kj ≤ y_j                         for every free site j
//	Σ_{k of service s} vol_k·x_kj ≤ cap_js·y_j
//
// with the count, budget, changes and coverage rows of the problem. The
// disaggregated rows x_kj ≤ y_j make the linear relaxation strong (the
// "strong formulation" of the capacitated facility location problem).

// assignSpec describes one assignment model.
type assignSpec struct {
	// limit drops the candidates of client k farther than limit(k).
	limit func(k int) float64
	// cost is the objective per unit of client weight when served at
	// travel d; nil means zero.
	cost func(k int, d float64) float64
	// keep drops the pairs for which keep(k, d) is false (nil: keep all).
	keep func(k int, d float64) bool
	// optional lets a client stay (partly) unserved: Σ_j x_kj ≤ 1.
	optional bool
	// constant is added to the objective.
	constant float64
	// count is the sense of Σ y = countP (0: no count row).
	count  lp.Sense
	countP int
	// siteCosts adds the opening and closing costs; scale multiplies the
	// client costs (0 means 1).
	siteCosts bool
	scale     float64
	// minSites makes the objective the number of open sites.
	minSites bool
	// rules adds the budget, changes and coverage rows.
	rules bool
	// bounds adds rows Σ w·cost·x (sense) rhs.
	bounds []assignBound
	// relax makes every column continuous; split makes the assignment
	// columns continuous even under single sourcing.
	relax bool
	split bool
	// fixed, when not nil, fixes the open sites: no site column, and pairs
	// to closed sites dropped (the transportation problem of a plan).
	fixed []bool
}

// assignBound is a row Σ_k Σ_j w_k·cost(k, d_kj)·x_kj (sense) rhs.
type assignBound struct {
	cost  func(k int, d float64) float64
	sense lp.Sense
	rhs   float64
}

// assignModel is a built assignment model.
type assignModel struct {
	in       *inst
	spec     *assignSpec
	n        []int32 // candidates used by each client
	m        *lp.Model
	ycol     []int
	xcol     [][]int // per client, per candidate used (−1: dropped)
	caprow   map[[2]int32]int
	infeas   bool
	rows     int64
	cols     int64
	nonzeros int64
}

func newAssign(in *inst, sp *assignSpec) *assignModel {
	am := &assignModel{in: in, spec: sp, n: make([]int32, len(in.cls))}
	pairs := int64(0)
	linked := int64(0)
	for k := range in.cls {
		c := &in.cls[k]
		n := len(c.cands)
		if sp.limit != nil {
			lim := sp.limit(k)
			for n > 0 && in.d(k, c.cands[n-1]) > lim {
				n--
			}
		}
		am.n[k] = int32(n)
		cnt := 0
		for _, j := range c.cands[:n] {
			if am.usePair(k, j) {
				cnt++
				if sp.fixed == nil && in.sites[j].fix == 0 {
					linked++
				}
			}
		}
		if cnt == 0 && !sp.optional {
			am.infeas = true
		}
		pairs += int64(cnt)
	}
	free := int64(in.free)
	if sp.fixed != nil {
		free = 0
	}
	am.cols = free + pairs
	am.rows = int64(len(in.cls)) + linked + int64(len(in.sites)*len(in.svcs)) + 4 + int64(len(sp.bounds)) + int64(len(in.p.MinCoverage)*len(in.areas))
	am.nonzeros = pairs*(2+int64(len(sp.bounds))) + 2*linked + 4*free
	return am
}

// usePair reports whether the pair of client k and site j is a column.
func (am *assignModel) usePair(k int, j int32) bool {
	sp := am.spec
	if sp.fixed != nil && !sp.fixed[j] {
		return false
	}
	if sp.keep != nil && !sp.keep(k, am.in.d(k, j)) {
		return false
	}
	return true
}

func (am *assignModel) build(name string) {
	in, sp := am.in, am.spec
	m := lp.NewModel(name)
	am.m = m
	ykind, xkind := lp.Binary, lp.Continuous
	if in.p.Capacity == SingleSource && !sp.split {
		xkind = lp.Binary
	}
	if sp.relax {
		ykind, xkind = lp.Continuous, lp.Continuous
	}
	scale := sp.scale
	if scale == 0 {
		scale = 1
	}
	constant := sp.constant
	var c float64
	am.ycol, c = addSiteVars(m, in, sp.fixed == nil, sp.minSites, sp.siteCosts, ykind)
	constant += c
	if sp.siteCosts {
		if sp.fixed != nil {
			c, _ := in.siteCost(sp.fixed)
			constant += c
		} else {
			constant += in.forcedCost
		}
	}
	m.SetObjConstant(constant)
	type acc struct {
		cols  []int
		coefs []float64
	}
	caps := map[[2]int32]*acc{}
	bacc := make([]acc, len(sp.bounds))
	cover := in.coverageGroups()
	coverOf := map[int]int{}
	if sp.rules {
		for g := range cover {
			for _, k := range cover[g].clients {
				coverOf[k] = g
			}
		}
	}
	covAcc := make([]acc, len(cover))
	am.xcol = make([][]int, len(in.cls))
	for k := range in.cls {
		c := &in.cls[k]
		n := am.n[k]
		xs := make([]int, n)
		var rc []int
		var rv []float64
		for i, j := range c.cands[:n] {
			xs[i] = -1
			if !am.usePair(k, j) {
				continue
			}
			d := in.d(k, j)
			obj := 0.0
			if sp.cost != nil && !sp.minSites {
				obj = c.w * sp.cost(k, d) * scale
			}
			x := m.AddVar(fmt.Sprintf("x%d_%d", k, j), 0, 1, obj, xkind)
			xs[i] = x
			rc = append(rc, x)
			rv = append(rv, 1)
			if y := am.ycol[j]; y >= 0 {
				m.AddRow(fmt.Sprintf("l%d_%d", k, j), []int{x, y}, []float64{1, -1}, lp.LE, 0)
			}
			if cp := in.sites[j].cap[c.svc]; in.capacitated && !math.IsInf(cp, 1) {
				key := [2]int32{j, c.svc}
				a := caps[key]
				if a == nil {
					a = &acc{}
					caps[key] = a
				}
				a.cols = append(a.cols, x)
				a.coefs = append(a.coefs, c.vol)
			}
			for b, bd := range sp.bounds {
				if v := c.w * bd.cost(k, d); v != 0 {
					bacc[b].cols = append(bacc[b].cols, x)
					bacc[b].coefs = append(bacc[b].coefs, v)
				}
			}
			if g, ok := coverOf[k]; ok && d <= in.svcs[c.svc].std {
				covAcc[g].cols = append(covAcc[g].cols, x)
				covAcc[g].coefs = append(covAcc[g].coefs, c.vol)
			}
		}
		am.xcol[k] = xs
		if len(rc) > 0 {
			sense := lp.EQ
			if sp.optional {
				sense = lp.LE
			}
			m.AddRow(fmt.Sprintf("a%d", k), rc, rv, sense, 1)
		}
	}
	keys := make([][2]int32, 0, len(caps))
	for key := range caps {
		keys = append(keys, key)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a][0] != keys[b][0] {
			return keys[a][0] < keys[b][0]
		}
		return keys[a][1] < keys[b][1]
	})
	am.caprow = map[[2]int32]int{}
	for _, key := range keys {
		a := caps[key]
		j, s := key[0], key[1]
		cp := in.sites[j].cap[s]
		rhs := cp
		if y := am.ycol[j]; y >= 0 {
			a.cols = append(a.cols, y)
			a.coefs = append(a.coefs, -cp)
			rhs = 0
		}
		am.caprow[key] = m.AddRow(fmt.Sprintf("cap%d_%d", j, s), a.cols, a.coefs, lp.LE, rhs)
	}
	for b := range sp.bounds {
		if len(bacc[b].cols) == 0 {
			ensureColumn(m)
			bacc[b].cols, bacc[b].coefs = []int{0}, []float64{0}
		}
		m.AddRow(fmt.Sprintf("bound%d", b), bacc[b].cols, bacc[b].coefs, sp.bounds[b].sense, sp.bounds[b].rhs)
	}
	if sp.fixed == nil {
		addSiteRows(m, in, am.ycol, sp.count, sp.countP, sp.rules)
	}
	if sp.rules {
		for g := range cover {
			a := covAcc[g]
			if len(a.cols) == 0 {
				ensureColumn(m)
				a.cols, a.coefs = []int{0}, []float64{0}
			}
			m.AddRow(fmt.Sprintf("cover%d", g), a.cols, a.coefs, lp.GE, cover[g].share*cover[g].total)
		}
	}
	if m.NumVars() == 0 {
		m.AddVar("empty", 0, 0, 0, lp.Continuous)
	}
}

// solution reads the plan from a solution of the model. Shares below 1e-9
// are dropped; under single sourcing each client goes to its largest share.
func (am *assignModel) solution(x []float64) *solution {
	in := am.in
	var open []bool
	if am.spec.fixed != nil {
		open = append([]bool(nil), am.spec.fixed...)
	} else {
		open = openFrom(in, am.ycol, x)
	}
	s := &solution{open: open, assign: make([][]share, len(in.cls))}
	for k := range in.cls {
		c := &in.cls[k]
		var sh []share
		sum := 0.0
		for i, col := range am.xcol[k] {
			if col < 0 || x[col] <= 1e-9 || !open[c.cands[i]] {
				continue
			}
			v := math.Min(x[col], 1)
			sh = append(sh, share{c.cands[i], v})
			sum += v
		}
		if in.p.Capacity == SingleSource && !am.spec.split && len(sh) > 1 {
			best := 0
			for i := range sh {
				if sh[i].frac > sh[best].frac {
					best = i
				}
			}
			sh = []share{{sh[best].site, 1}}
			sum = 1
		}
		if sum > 1 || (!am.spec.optional && sum > 0) {
			for i := range sh {
				sh[i].frac /= sum
			}
		}
		sort.Slice(sh, func(a, b int) bool { return sh[a].site < sh[b].site })
		s.assign[k] = sh
	}
	return s
}
