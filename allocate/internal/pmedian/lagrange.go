package pmedian

import (
	"math"
	"slices"
)

// The Lagrangian relaxation. Relaxing the assignment constraints
// Σ_j x_ij = 1 of the strong formulation
//
//	min Σ_ij d_ij x_ij + Σ_j f_j y_j,  x_ij ≤ y_j,  x ≥ 0,  y ∈ Y
//
// (d_ij = w_i·c_ij; Y holds the cardinality, the site rules and the change
// limit) with multipliers λ_i gives, for ANY λ, the lower bound
//
//	L(λ) = Σ_i λ_i + min_{y∈Y} Σ_j y_j ρ_j,   ρ_j = f_j + Σ_i min(0, d_ij − λ_i),
//
// whose maximum over λ equals the linear-programming bound. The inner
// minimum picks sites by ρ (see ysolve); ρ needs, for each client, only the
// sites of its sorted list with d_ij < λ_i, which keeps an evaluation cheap.
//
// Truncated lists. When client i lists only some sites and every unlisted
// site j has d_ij ≥ u_i = w_i·Beyond_i, we keep λ_i ≤ u_i. Then every
// unlisted term min(0, d_ij − λ_i) is 0, so the truncated ρ equals the ρ of
// the full problem: L(λ) computed from the lists is exactly the full
// problem's Lagrangian function at this λ, hence a valid lower bound for
// the full problem, and a fortiori for any plan restricted to the lists.
// (Proof: d_ij ≥ u_i ≥ λ_i gives d_ij − λ_i ≥ 0, so min(0, d_ij − λ_i) = 0.)
//
// Other caps, also harmless to validity since every λ gives a bound: λ_i
// never exceeds the cost of the client's cheapest site forced open at the
// node (raising it further cannot increase L), and never falls below the
// cost of its cheapest allowed site (L grows with λ_i there).

// ysolve minimises Σ_j ρ_j y_j over Y for one node.
type ysolve struct {
	in      *inst
	status  []Rule
	limited bool // change limit active
	// groups of free sites: A (not current, or all when unlimited) and B
	// (current), sorted by ρ then index.
	A, B     []int32
	PA, PB   []float64
	negA     int
	negB     int
	base     float64 // Σ ρ over forced-open sites
	f1       int     // forced-open count
	lo, hi   int     // for free sites (after forced)
	K        int     // changes left for free sites
	posA     []int32 // position of a site in A or B, by site
	inB      []bool
	chosenA  int
	chosenB  int
	value    float64
	feasible bool
	rho      []float64 // of the last prepare
}

func newYsolve(in *inst) *ysolve {
	return &ysolve{in: in, posA: make([]int32, in.m), inB: make([]bool, in.m), limited: in.maxCh <= in.m}
}

// prepare sorts the free sites by ρ and solves the node's subproblem.
func (y *ysolve) prepare(rho []float64, status []Rule) {
	in := y.in
	y.status = status
	y.rho = rho
	y.A, y.B = y.A[:0], y.B[:0]
	y.base, y.f1 = 0, 0
	c0 := 0
	for j := 0; j < in.m; j++ {
		switch status[j] {
		case Open:
			y.base += rho[j]
			y.f1++
			if !in.current[j] {
				c0++
			}
		case Closed:
			if in.current[j] {
				c0++
			}
		default:
			if y.limited && in.current[j] {
				y.B = append(y.B, int32(j))
				y.inB[j] = true
			} else {
				y.A = append(y.A, int32(j))
				y.inB[j] = false
			}
		}
	}
	cmp := func(a, b int32) int {
		if rho[a] != rho[b] {
			if rho[a] < rho[b] {
				return -1
			}
			return 1
		}
		return int(a - b)
	}
	y.lo, y.hi = in.lo-y.f1, in.hi-y.f1
	// Without a change limit the minimum takes at most hi sites of A, and
	// the values with one site removed or added need one more: only the
	// hi+2 smallest are sorted; the others only need a position past them.
	sorted := len(y.A)
	if len(y.B) == 0 && y.hi+2 < len(y.A) {
		sorted = max(y.hi+2, 0)
		selectSmallest(y.A, sorted, cmp)
	}
	slices.SortFunc(y.A[:sorted], cmp)
	slices.SortFunc(y.B, cmp)
	y.PA, _ = prefix(y.PA, y.A[:sorted], rho)
	y.negA = 0
	for _, j := range y.A {
		if rho[j] < 0 {
			y.negA++
		}
	}
	y.PB, y.negB = prefix(y.PB, y.B, rho)
	for k, j := range y.A {
		y.posA[j] = int32(min(k, sorted))
	}
	for k, j := range y.B {
		y.posA[j] = int32(k)
	}
	y.K = in.maxCh - c0
	y.value, y.chosenA, y.chosenB, y.feasible = y.solve(-1, -1, 0, 0)
	if y.feasible {
		y.value += y.base
	}
}

func prefix(P []float64, list []int32, rho []float64) ([]float64, int) {
	P = append(P[:0], 0)
	neg := 0
	for _, j := range list {
		P = append(P, P[len(P)-1]+rho[j])
		if rho[j] < 0 {
			neg++
		}
	}
	return P, neg
}

// sumSkip returns the sum of the k smallest of a group with the element at
// position q (−1: none) removed.
func sumSkip(P []float64, q, k int) float64 {
	if q < 0 || k <= q {
		return P[k]
	}
	return P[k+1] - (P[q+1] - P[q])
}

// solve returns the minimum of Σ ρ over the free sites, with the element at
// position qa of A or qb of B removed, the free cardinality shifted by dc
// (lo and hi − dc) and the change budget by dk; and how many of A and B it
// takes.
func (y *ysolve) solve(qa, qb, dc, dk int) (float64, int, int, bool) {
	nA, nB := len(y.A), len(y.B)
	negA, negB := y.negA, y.negB
	if qa >= 0 {
		nA--
		if qa+1 < len(y.PA) && y.PA[qa+1]-y.PA[qa] < 0 || qa+1 >= len(y.PA) && y.rho[y.A[qa]] < 0 {
			negA--
		}
	}
	if qb >= 0 {
		nB--
		if y.PB[qb+1]-y.PB[qb] < 0 {
			negB--
		}
	}
	lo, hi, K := y.lo-dc, y.hi-dc, y.K-dk
	if K < 0 || hi < 0 {
		return 0, 0, 0, false
	}
	if nB == 0 {
		// One group: take the negative ones, clamped to the cardinality
		// (and to the change budget: every site taken is a change).
		lower, upper := max(lo, 0), min(hi, nA)
		if y.limited {
			upper = min(upper, K)
		}
		if lower > upper {
			return 0, 0, 0, false
		}
		a := min(max(negA, lower), upper)
		return sumSkip(y.PA, qa, a), a, 0, true
	}
	best, ba, bb, ok := math.Inf(1), 0, 0, false
	for a := 0; a <= nA && a <= hi; a++ {
		bmin := max(0, lo-a, a+nB-K)
		bmax := min(nB, hi-a)
		if bmin > bmax {
			continue
		}
		b := min(max(negB, bmin), bmax)
		v := sumSkip(y.PA, qa, a) + sumSkip(y.PB, qb, b)
		if v < best {
			best, ba, bb, ok = v, a, b, true
		}
	}
	return best, ba, bb, ok
}

// chosen marks the sites of the solution in mask (forced-open included).
func (y *ysolve) chosen(mask []bool) {
	for j := range mask {
		mask[j] = y.status[j] == Open
	}
	for _, j := range y.A[:y.chosenA] {
		mask[j] = true
	}
	for _, j := range y.B[:y.chosenB] {
		mask[j] = true
	}
}

// flip returns the subproblem value with free site j forced to the state
// opposite to the one the solution gives it (+Inf when infeasible).
func (y *ysolve) flip(j int32, rho []float64) float64 {
	in := y.in
	pos := int(y.posA[j])
	var taken bool
	if y.inB[j] {
		taken = pos < y.chosenB
	} else {
		taken = pos < y.chosenA
	}
	qa, qb := -1, -1
	if y.inB[j] {
		qb = pos
	} else {
		qa = pos
	}
	var v float64
	var ok bool
	if taken {
		// Force closed: closing a current site is a change.
		dk := 0
		if y.limited && in.current[j] {
			dk = 1
		}
		v, _, _, ok = y.solve(qa, qb, 0, dk)
	} else {
		dk := 0
		if y.limited && !in.current[j] {
			dk = 1
		}
		v, _, _, ok = y.solve(qa, qb, 1, dk)
		v += rho[j]
	}
	if !ok {
		return math.Inf(1)
	}
	return v + y.base
}

// selectSmallest reorders a so that its k smallest elements under cmp
// (a total order) come first, in some order (Hoare's selection, with the
// median of three as pivot; deterministic).
func selectSmallest(a []int32, k int, cmp func(a, b int32) int) {
	lo, hi := 0, len(a)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if cmp(a[mid], a[lo]) < 0 {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if cmp(a[hi], a[lo]) < 0 {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if cmp(a[hi], a[mid]) < 0 {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for cmp(a[i], pivot) < 0 {
				i++
			}
			for cmp(pivot, a[j]) < 0 {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		// a[lo..j] <= pivot <= a[i..hi]
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return
		}
	}
}
