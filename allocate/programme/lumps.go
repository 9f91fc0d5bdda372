package programme

import (
	"math"
	"sort"

	"github.com/gstplan/gst/internal/lp"
)

// lumpRows: in every year, what a service's sites serve in all is within
// the capacity of its modules, a whole number of each type:
//
//	D − U ≤ Σ_k cap_k·N_k,
//
// with D the demand of the areas that can reach one of its sites, U what
// of it is left unserved and N_k the modules of type k at all its sites.
// The capacity rows imply it, but their linear relaxation buys fractions
// of modules: where the demand beyond whole modules is too little to pay
// for one more, the integer programme leaves it unserved and the
// relaxation serves it with part of a module, which can leave the root's
// bound far below the optimum (a tenth on a half-size region). The
// mixed-integer rounding of the row with divisor δ (Marchand and Wolsey),
// b = D/δ, f = b − ⌊b⌋ > 0 and F(a) = ⌊a⌋ + min(1, frac(a)/f),
//
//	U + Σ_k δ·f·F(cap_k/δ)·N_k ≥ δ·f·⌈b⌉,
//
// holds for every whole number of modules and cuts those fractions off:
// with one module type, U ≥ r·(⌈b⌉ − N), r the demand beyond ⌊b⌋ whole
// modules. One row per distinct module capacity δ of the service.
func (md *model) lumpRows() {
	in := md.in
	for s := range in.svc {
		caps := md.lumpDivisors(s)
		if len(caps) == 0 {
			continue
		}
		for t := 0; t < md.years(); t++ {
			var unserved linExpr
			var demand float64
			for a := range in.areas {
				if md.u[s][a][t] < 0 || len(in.reach[s][a]) == 0 || in.dem[s][a][t] <= 0 {
					continue
				}
				demand += in.dem[s][a][t]
				unserved.add(md.u[s][a][t], in.dem[s][a][t])
			}
			if len(unserved.cols) == 0 {
				continue
			}
			for _, delta := range caps {
				md.lumpRow(s, t, unserved, demand, delta)
			}
		}
	}
}

// lumpDivisors returns the distinct module capacities of service s, in
// increasing order, or nil when it has no offer.
func (md *model) lumpDivisors(s int) []float64 {
	in := md.in
	has := false
	for o := range in.offers {
		if in.offers[o].svc == s {
			has = true
			break
		}
	}
	if !has {
		return nil
	}
	var caps []float64
	for _, mi := range in.svc[s].mods {
		c := in.mods[mi].m.Capacity
		dup := false
		for _, d := range caps {
			dup = dup || d == c
		}
		if !dup {
			caps = append(caps, c)
		}
	}
	sort.Float64s(caps)
	return caps
}

// lumpRow adds the rounding of service s's row in year t with divisor
// delta, unless the demand is a whole number of delta (the rounding is
// then the row itself).
func (md *model) lumpRow(s, t int, unserved linExpr, demand, delta float64) {
	in := md.in
	b := demand / delta
	f := b - math.Floor(b)
	if f < 1e-6 || f > 1-1e-6 {
		return
	}
	scale := delta * f
	e := unserved.clone()
	p := in.perOf[t]
	for o := range in.offers {
		if in.offers[o].svc != s {
			continue
		}
		for k, mi := range in.svc[s].mods {
			a := in.mods[mi].m.Capacity / delta
			fa := a - math.Floor(a)
			if fa < 1e-9 {
				fa = 0
			}
			if coef := scale * (math.Floor(a) + math.Min(1, fa/f)); coef > 0 {
				e.add(md.n[o][k][p], coef)
			}
		}
	}
	i := md.row(e, lp.GE, scale*math.Ceil(b))
	md.flowRows[i] = flowRow{kind: rowLump, s: s, t: t}
}
