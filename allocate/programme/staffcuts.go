package programme

import (
	"math"
	"slices"
	"sort"

	"github.com/gstplan/gst/internal/lp"
)

// Staff roundings. An establishment's staffing row for a category in a
// period reads
//
//	Σ_j a_j·v_j + lent ≤ β + W,
//
// the staff its services and modules need (v_j the whole numbers of
// services open and modules, a_j their FTE) within its free staff β
// and W, the staff it recruited (still on its roll) and receives. The
// linear relaxation opens a tenth of a service and recruits a tenth of
// its team beyond the free staff, where the whole service needs the team
// beyond the free staff whole: the mixed-integer rounding of the row with
// divisor δ (Marchand and Wolsey; f₀ = frac(β/δ) > 0, G(a) = ⌊a⌋ +
// max(0, frac(a) − f₀)/(1 − f₀)),
//
//	W ≥ δ·(1 − f₀)·(Σ_j G(a_j/δ)·v_j − ⌊β/δ⌋),
//
// holds for every whole v and cuts those fractions off. The terms whose
// number is fixed move to β; the others may be left out (their FTE are at
// least zero), so the rounding is taken over each service's own terms
// and over all the establishment's, with each of their FTE as divisor.
// Beside them, since an open service has at least one module, W ≥
// (a − β)·y for each service with a the FTE of its team and of its
// cheapest module, when a exceeds β.
//
// They are many (about 12,000 on a region's decade), and most never bind:
// a Benders master takes those with only master columns as cuts, when
// its point violates them (lazy rows); those with pooling columns are
// rows of the pooling blocks.

// staffTerm is a term a·v of a staffing row with v a whole number.
type staffTerm struct {
	col int
	a   float64
}

// staffRoundingRows adds the roundings of every staffing row.
func (md *model) staffRoundingRows() {
	in := md.in
	inc := md.arcsInto()
	for i := range in.staff {
		st := &in.staff[i]
		if st.host < 0 {
			continue
		}
		for c := range in.cats {
			for p := 0; p < md.np; p++ {
				md.staffRoundingsAt(i, c, p, inc[i][c], st.avail[c][p])
			}
		}
	}
}

// arcsInto returns, by staff site and category, the pooling arcs into it.
func (md *model) arcsInto() [][][]int {
	in := md.in
	inc := make([][][]int, len(in.staff))
	for i := range in.staff {
		inc[i] = make([][]int, len(in.cats))
	}
	for k, a := range in.arcs {
		inc[a.to][a.cat] = append(inc[a.to][a.cat], k)
	}
	return inc
}

// staffRoundingsAt adds the roundings of the staffing row of staff site i,
// category c, period p.
func (md *model) staffRoundingsAt(i, c, p int, inc []int, avail float64) {
	in := md.in
	st := &in.staff[i]
	beta := avail
	var all []staffTerm
	var byOffer [][]staffTerm
	var firstModule []float64 // by offer: the FTE of its cheapest module
	for _, o := range in.sites[st.host].offers {
		terms, least := md.offerStaffTerms(o, c, p)
		var free []staffTerm
		for _, t := range terms {
			if lo, hi := md.m.Bounds(t.col); lo == hi {
				beta -= t.a * lo
				least = math.NaN() // no VUB: the fixed terms are in β already
			} else {
				free = append(free, t)
			}
		}
		all = append(all, free...)
		byOffer = append(byOffer, free)
		firstModule = append(firstModule, least)
	}
	if len(all) == 0 {
		return
	}
	w := md.stock(i, c, p)
	for _, k := range inc {
		w.add(md.pool[k][p], 1)
	}
	for k, o := range in.sites[st.host].offers {
		md.staffRoundings(byOffer[k], beta, w)
		md.staffVUB(o, c, p, firstModule[k], beta, w)
	}
	if len(byOffer) > 1 {
		md.staffRoundings(all, beta, w)
	}
}

// offerStaffTerms returns the terms of offer o in the staffing row of
// category c in period p, and the FTE of its team and cheapest module.
func (md *model) offerStaffTerms(o, c, p int) ([]staffTerm, float64) {
	in := md.in
	svc := &in.svc[in.offers[o].svc]
	var terms []staffTerm
	var team float64
	for _, r := range svc.team {
		if r.cat == c {
			team += r.fte
		}
	}
	if team > 0 && md.y[o][p] >= 0 {
		terms = append(terms, staffTerm{md.y[o][p], team})
	}
	least := math.Inf(1)
	for k, mi := range svc.mods {
		if md.n[o][k][p] < 0 {
			continue
		}
		var a float64
		for _, r := range in.mods[mi].req {
			if r.cat == c {
				a += r.fte
			}
		}
		least = math.Min(least, a)
		if a > 0 {
			terms = append(terms, staffTerm{md.n[o][k][p], a})
		}
	}
	if math.IsInf(least, 1) {
		least = 0
	}
	return terms, team + least
}

// staffRoundings adds the rounding of Σ terms ≤ beta + w with each
// distinct FTE of the terms as divisor.
func (md *model) staffRoundings(terms []staffTerm, beta float64, w linExpr) {
	var divs []float64
	for _, t := range terms {
		if !slices.Contains(divs, t.a) {
			divs = append(divs, t.a)
		}
	}
	sort.Float64s(divs)
	as := make([]float64, len(terms))
	for k, t := range terms {
		as[k] = t.a
	}
	for _, delta := range divs {
		coefs, rhs, ok := staffRounding(as, beta, delta)
		if !ok {
			continue
		}
		e := w.clone()
		e.scale(-1)
		for k, t := range terms {
			e.add(t.col, coefs[k])
		}
		md.lazyRow(e, lp.LE, rhs)
	}
}

// staffRounding returns the rounding of Σ_j a_j·v_j ≤ beta + W (v whole,
// W ≥ 0) with divisor delta, Σ_j coefs_j·v_j − W ≤ rhs; ok is false when
// beta is a whole number of delta (the rounding is then the row itself).
func staffRounding(as []float64, beta, delta float64) (coefs []float64, rhs float64, ok bool) {
	q := beta / delta
	f0 := q - math.Floor(q)
	if f0 < 1e-6 || f0 > 1-1e-6 {
		return nil, 0, false
	}
	scale := delta * (1 - f0)
	coefs = make([]float64, len(as))
	for k, a := range as {
		r := a / delta
		fr := r - math.Floor(r)
		coefs[k] = scale * (math.Floor(r) + math.Max(0, fr-f0)/(1-f0))
	}
	return coefs, scale * math.Floor(q), true
}

// staffVUB adds W ≥ (a − β)·y for offer o when its team and cheapest
// module, a, exceed beta (a NaN when one of its terms is fixed).
func (md *model) staffVUB(o, c, p int, a, beta float64, w linExpr) {
	y := md.y[o][p]
	if math.IsNaN(a) || a-beta <= 1e-9 || y < 0 {
		return
	}
	if lo, hi := md.m.Bounds(y); lo == hi {
		return
	}
	e := w.clone()
	e.scale(-1)
	e.add(y, a-beta)
	md.lazyRow(e, lp.LE, 0)
}

// lazyRow adds a row that a decomposition's master takes only when its
// point violates it.
func (md *model) lazyRow(e linExpr, sense lp.Sense, rhs float64) {
	if i := md.row(e, sense, rhs); i >= 0 {
		md.lazy[i] = true
	}
}
