package capfl

import (
	"math"
	"slices"
	"sort"
)

// ysolver solves the site-selection part of the Lagrangian subproblem:
//
//	min Σ_i w_i·y_i  s.t.  Σ_i s_i·y_i ≥ R,  lo ≤ Σ_i y_i ≤ hi,
//	                       y_i fixed where fix[i] ≠ 0,  y ∈ {0,1}^m.
//
// It is a covering knapsack with a cardinality constraint. Uniform
// capacities reduce it to a cardinality problem solved by sorting; the
// general case uses a depth-first branch and bound.
type ysolver struct {
	sel     []bool
	free    []int
	byRatio []int
	nodeCap int
	inexact int
	ks      *knapsack
	pos     []int
	warm    []bool
}

func newYSolver(m int) *ysolver {
	return &ysolver{sel: make([]bool, m), nodeCap: 100000}
}

// solve returns the optimal value (or a lower bound when exact is false)
// and leaves a feasible selection in ys.sel; ok is false when no
// selection satisfies the constraints.
func (ys *ysolver) solve(w, s []float64, fix []int8, R float64, lo, hi int) (val float64, ok, exact bool) {
	lo, hi, R, tol, ok := ys.prepare(s, fix, R, lo, hi)
	if !ok {
		return 0, false, true
	}
	for i, f := range fix[:len(w)] {
		if f == 1 {
			val += w[i]
		}
	}
	free := ys.free
	sel := ys.sel[:len(w)]
	if R <= tol {
		// Cardinality only: the negative weights, at most hi of them,
		// then the smallest up to lo.
		neg := 0
		for _, i := range free {
			if w[i] < 0 {
				neg++
			}
		}
		k := neg
		if k > hi {
			k = hi
		}
		if k < lo {
			k = lo
		}
		if k < len(free) {
			selectSmallest(free, w, k)
		}
		for _, i := range free[:k] {
			sel[i] = true
			val += w[i]
		}
		return val, true, true
	}
	slices.SortFunc(free, func(a, b int) int {
		switch {
		case w[a] < w[b]:
			return -1
		case w[a] > w[b]:
			return 1
		}
		return a - b
	})
	if lo == 0 && hi >= len(free) {
		v, ok, exact := ys.cover(w, s, R, tol)
		return val + v, ok, exact
	}
	v, ok, exact := ys.general(w, s, R, lo, hi)
	return val + v, ok, exact
}

// prepare sets ys.sel to the sites fixed open and ys.free to the free
// sites, and reduces the rules to the free sites: at least lo and at most
// hi of them, covering the capacity R (within tol); uniform capacities
// among the free sites turn the cover into a lower bound on their number
// (R is then 0). ok is false when no selection satisfies the rules.
func (ys *ysolver) prepare(s []float64, fix []int8, R float64, lo, hi int) (lo2, hi2 int, R2, tol float64, ok bool) {
	m := len(s)
	sel := ys.sel[:m]
	free := ys.free[:0]
	cnt, capSum := 0, 0.0
	for i := 0; i < m; i++ {
		sel[i] = false
		switch fix[i] {
		case 1:
			sel[i] = true
			cnt++
			capSum += s[i]
		case 0:
			free = append(free, i)
		}
	}
	ys.free = free
	lo -= cnt
	hi -= cnt
	if lo < 0 {
		lo = 0
	}
	if hi < 0 {
		return 0, 0, 0, 0, false
	}
	if hi > len(free) {
		hi = len(free)
	}
	if lo > hi {
		return 0, 0, 0, 0, false
	}
	R -= capSum
	tol = 1e-9 * math.Max(1, math.Abs(R+capSum))
	if R > tol {
		// Uniform capacities among the free sites turn the cover into a
		// cardinality constraint.
		uniform := len(free) > 0
		s0 := 0.0
		if uniform {
			s0 = s[free[0]]
			for _, i := range free[1:] {
				if s[i] != s0 {
					uniform = false
					break
				}
			}
		}
		if len(free) == 0 {
			return 0, 0, 0, 0, false
		}
		if uniform {
			if s0 <= 0 {
				return 0, 0, 0, 0, false
			}
			need := int(math.Ceil(R/s0 - 1e-9))
			if need > lo {
				lo = need
			}
			if lo > hi {
				return 0, 0, 0, 0, false
			}
			R = 0
		}
	}
	return lo, hi, R, tol, true
}

// cover solves the covering knapsack without cardinality bounds over the
// free sites: every site of non-positive weight is taken, and the sites of
// positive weight to leave out form a 0-1 knapsack (maximise the weight
// left out within the spare capacity).
func (ys *ysolver) cover(w, s []float64, R, tol float64) (float64, bool, bool) {
	val := 0.0
	if ys.ks == nil {
		ys.ks = newKnapsack()
	}
	ks := ys.ks
	ks.reset()
	total, spare := 0.0, 0.0
	for _, i := range ys.free {
		if w[i] <= 0 {
			ys.sel[i] = true
			val += w[i]
			R -= s[i]
		}
	}
	if R <= tol {
		return val, true, true
	}
	for _, i := range ys.free {
		if w[i] > 0 {
			ks.add(int32(i), w[i], s[i])
			ys.sel[i] = true
			total += w[i]
			spare += s[i]
		}
	}
	spare -= R
	if spare < -tol {
		return 0, false, true
	}
	// The sites left out last time seed the branch and bound: the
	// capacities do not change between Lagrangian iterations, only the
	// weights, so that selection stays feasible.
	if len(ys.warm) < len(w) {
		ys.warm = make([]bool, len(w))
	}
	ks.warm = ys.warm
	left, exact := ks.binary(math.Max(0, spare+tol))
	for i := range ys.warm {
		ys.warm[i] = false
	}
	for k, it := range ks.items {
		if ks.take[k] != 0 {
			ys.sel[it.id] = false
			ys.warm[it.id] = true
		}
	}
	if !exact {
		ys.inexact++
		// left is an upper bound on what can be left out: the value
		// is a lower bound, and the selection (from the best packing
		// found) stays feasible.
	}
	return val + total - left, true, exact
}

// general solves the covering knapsack with cardinality bounds over the
// free sites (sorted by increasing w) by depth-first branch and bound.
func (ys *ysolver) general(w, s []float64, R float64, lo, hi int) (float64, bool, bool) {
	free := ys.free
	nf := len(free)
	byRatio := append(ys.byRatio[:0], free...)
	ys.byRatio = byRatio
	sort.Slice(byRatio, func(a, b int) bool {
		ia, ib := byRatio[a], byRatio[b]
		// increasing w/s; negative w first; zero capacity last.
		ra, rb := ratio(w[ia], s[ia]), ratio(w[ib], s[ib])
		if ra != rb {
			return ra < rb
		}
		return ia < ib
	})
	if len(ys.pos) < len(w) {
		ys.pos = make([]int, len(w))
	}
	pos := ys.pos
	for k, i := range free {
		pos[i] = k
	}
	// suffix capacity for infeasibility tests.
	suffixCap := make([]float64, nf+1)
	for k := nf - 1; k >= 0; k-- {
		suffixCap[k] = suffixCap[k+1] + s[free[k]]
	}
	cur := make([]bool, nf)
	best := math.Inf(1)
	var bestSel []bool
	tol := 1e-9 * math.Max(1, R)
	bound := func(k, cnt int, capSum, val float64) float64 {
		// cardinality-only bound
		need := lo - cnt
		room := hi - cnt
		cb := 0.0
		taken := 0
		for t := k; t < nf && taken < room; t++ {
			if w[free[t]] < 0 || taken < need {
				cb += w[free[t]]
				taken++
				continue
			}
			break
		}
		// cover LP bound (ignores cardinality)
		rem := R - capSum
		lb := 0.0
		for _, i := range byRatio {
			if pos[i] < k {
				continue
			}
			if w[i] < 0 {
				lb += w[i]
				rem -= s[i]
				continue
			}
			if rem <= tol {
				break
			}
			if s[i] <= 0 {
				continue
			}
			if s[i] <= rem {
				lb += w[i]
				rem -= s[i]
			} else {
				lb += w[i] * rem / s[i]
				rem = 0
			}
		}
		return val + math.Max(cb, lb)
	}
	nodes := 0
	exact := true
	minCut := math.Inf(1)
	var rec func(k, cnt int, capSum, val float64)
	rec = func(k, cnt int, capSum, val float64) {
		nodes++
		if capSum >= R-tol && cnt >= lo {
			// Feasible; completing with negative items can only help
			// and is covered by the recursion below.
			if val < best {
				best = val
				bestSel = append(bestSel[:0], cur...)
			}
		}
		if k == nf {
			return
		}
		if capSum+suffixCap[k] < R-tol || cnt+(nf-k) < lo {
			return
		}
		b := bound(k, cnt, capSum, val)
		if b >= best-1e-12*math.Max(1, math.Abs(best)) {
			return
		}
		if nodes > ys.nodeCap {
			exact = false
			if b < minCut {
				minCut = b
			}
			return
		}
		i := free[k]
		if cnt < hi {
			cur[k] = true
			rec(k+1, cnt+1, capSum+s[i], val+w[i])
			cur[k] = false
		}
		rec(k+1, cnt, capSum, val)
	}
	rec(0, 0, 0, 0)
	if bestSel == nil {
		if !exact {
			// No selection found before the cap: report the bound but
			// no feasible selection.
			ys.inexact++
			return minCut, false, false
		}
		return 0, false, true
	}
	for k, t := range bestSel {
		if t {
			ys.sel[free[k]] = true
		}
	}
	if !exact {
		ys.inexact++
		return math.Min(best, minCut), true, false
	}
	return best, true, true
}

func ratio(w, s float64) float64 {
	if s <= 0 {
		if w < 0 {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	return w / s
}

// selectSmallest reorders idx so that idx[:k] holds the k entries with the
// smallest w (ties broken by index), in no particular order: a
// quickselect, linear on average.
func selectSmallest(idx []int, w []float64, k int) {
	less := func(a, b int) bool {
		if w[a] != w[b] {
			return w[a] < w[b]
		}
		return a < b
	}
	lo, hi := 0, len(idx)-1
	for lo < hi {
		// median of three as pivot
		mid := (lo + hi) / 2
		if less(idx[mid], idx[lo]) {
			idx[mid], idx[lo] = idx[lo], idx[mid]
		}
		if less(idx[hi], idx[lo]) {
			idx[hi], idx[lo] = idx[lo], idx[hi]
		}
		if less(idx[hi], idx[mid]) {
			idx[hi], idx[mid] = idx[mid], idx[hi]
		}
		pivot := idx[mid]
		i, j := lo, hi
		for i <= j {
			for less(idx[i], pivot) {
				i++
			}
			for less(pivot, idx[j]) {
				j--
			}
			if i <= j {
				idx[i], idx[j] = idx[j], idx[i]
				i++
				j--
			}
		}
		// idx[lo..j] ≤ pivot ≤ idx[i..hi]
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
