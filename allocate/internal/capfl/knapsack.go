package capfl

import (
	"math"
	"math/bits"
	"slices"
)

// knapItem is an item of a knapsack: profit > 0, weight >= 0.
type knapItem struct {
	id     int32
	profit float64
	weight float64
	ratio  float64 // profit per unit weight; +Inf for zero weight
}

// knapsack holds reusable buffers for the per-site subproblems.
type knapsack struct {
	items   []knapItem
	take    []float64 // fraction taken of items[k] after a solve
	dp      []float64
	keep    []uint64 // bit table for DP reconstruction
	cur     []bool
	bestSel []bool
	// reduction buffers
	pw, pp  []float64
	zsel    []bool
	state   []int8
	sub     []knapItem
	subTake []float64
	// warm, when set, is a selection by item id tried as the first
	// incumbent of the branch and bound (for example the previous
	// solution of a similar knapsack).
	warm []bool
	// bb is the state of the branch and bound (see bbSolve)
	bb bbSearch
	// DPLimit is the largest items×capacity product solved by dynamic
	// programming; larger ones use branch and bound.
	dpLimit  int
	nodeCap  int
	bbBudget int // nodes of the first branch-and-bound attempt
	inexacts int // number of 0-1 solves that hit the node cap
}

func newKnapsack() *knapsack {
	return &knapsack{dpLimit: knapDPLimit, nodeCap: 200000, bbBudget: knapBBBudget}
}

func (ks *knapsack) reset() {
	ks.items = ks.items[:0]
}

func (ks *knapsack) add(id int32, profit, weight float64) {
	r := math.Inf(1)
	if weight > 0 {
		r = profit / weight
	}
	ks.items = append(ks.items, knapItem{id: id, profit: profit, weight: weight, ratio: r})
}

func (ks *knapsack) prepTake() {
	if cap(ks.take) < len(ks.items) {
		ks.take = make([]float64, len(ks.items), 2*len(ks.items))
	}
	ks.take = ks.take[:len(ks.items)]
	for k := range ks.take {
		ks.take[k] = 0
	}
}

// sortByRatio orders the items by decreasing profit per unit weight,
// zero-weight items first, ties by id (the order of cmpRatio, a total
// order: any correct sort gives the same result).
func (ks *knapsack) sortByRatio() {
	sortItems(ks.items)
}

// sortItems sorts items in the order of cmpRatio. The knapsacks' lists
// are short and often sorted already (a reduced list is re-sorted by the
// solver it is passed to), so it checks for that first, then runs a
// quicksort with the comparison inlined and insertion sort on short
// runs; slices.SortFunc takes over past a depth that signals a bad
// pivot sequence.
func sortItems(items []knapItem) {
	for k := 1; k < len(items); k++ {
		if itemBefore(&items[k], &items[k-1]) {
			quickItems(items, 2*bits.Len(uint(len(items))))
			return
		}
	}
}

// itemBefore reports whether x comes before y in the order of cmpRatio.
func itemBefore(x, y *knapItem) bool {
	if x.ratio != y.ratio {
		return x.ratio > y.ratio
	}
	return x.id < y.id
}

func quickItems(a []knapItem, depth int) {
	for len(a) > 12 {
		if depth == 0 {
			slices.SortFunc(a, cmpRatio)
			return
		}
		depth--
		// median of three to a[0], then a Hoare partition around it
		m, h := len(a)/2, len(a)-1
		if itemBefore(&a[m], &a[0]) {
			a[m], a[0] = a[0], a[m]
		}
		if itemBefore(&a[h], &a[0]) {
			a[h], a[0] = a[0], a[h]
		}
		if itemBefore(&a[h], &a[m]) {
			a[h], a[m] = a[m], a[h]
		}
		a[0], a[m] = a[m], a[0]
		p := a[0]
		i, j := 1, h
		for {
			for i <= j && itemBefore(&a[i], &p) {
				i++
			}
			for i <= j && itemBefore(&p, &a[j]) {
				j--
			}
			if i >= j {
				break
			}
			a[i], a[j] = a[j], a[i]
			i++
			j--
		}
		a[0], a[j] = a[j], a[0]
		// recurse into the smaller side, loop on the larger
		if j < len(a)-1-j {
			quickItems(a[:j], depth)
			a = a[j+1:]
		} else {
			quickItems(a[j+1:], depth)
			a = a[:j]
		}
	}
	for k := 1; k < len(a); k++ {
		x := a[k]
		t := k
		for t > 0 && itemBefore(&x, &a[t-1]) {
			a[t] = a[t-1]
			t--
		}
		a[t] = x
	}
}

// continuous solves the continuous knapsack max Σ p_k t_k s.t. Σ w_k t_k ≤
// capacity, 0 ≤ t ≤ 1. It returns the profit; ks.take holds the fractions
// in the order of ks.items (which it may reorder). It takes the items by
// decreasing profit per unit weight, found by a weighted quickselect
// rather than a full sort.
func (ks *knapsack) continuous(capacity float64) float64 {
	ks.prepTake()
	total := 0.0
	for _, it := range ks.items {
		total += it.weight
	}
	profit := 0.0
	if total <= capacity {
		for k, it := range ks.items {
			ks.take[k] = 1
			profit += it.profit
		}
		return profit
	}
	items := ks.items
	take := ks.take
	left := capacity
	lo, hi := 0, len(items)
	for hi-lo > 16 {
		// three-way partition of items[lo:hi] around a pivot ratio:
		// greater, equal, smaller.
		piv := median3(items[lo].ratio, items[(lo+hi)/2].ratio, items[hi-1].ratio)
		lt, k, gt := lo, lo, hi
		for k < gt {
			r := items[k].ratio
			switch {
			case r > piv:
				items[lt], items[k] = items[k], items[lt]
				lt++
				k++
			case r < piv:
				gt--
				items[k], items[gt] = items[gt], items[k]
			default:
				k++
			}
		}
		w := 0.0
		for _, it := range items[lo:lt] {
			w += it.weight
		}
		if w > left {
			hi = lt
			continue
		}
		for x := lo; x < lt; x++ {
			take[x] = 1
			profit += items[x].profit
		}
		left -= w
		lo = lt
		// the equal part, in id order, then the smaller part
		hi2 := gt
		slices.SortFunc(items[lo:hi2], func(x, y knapItem) int { return int(x.id - y.id) })
		for x := lo; x < hi2; x++ {
			it := items[x]
			if it.weight <= left {
				take[x] = 1
				left -= it.weight
				profit += it.profit
				continue
			}
			f := left / it.weight
			take[x] = f
			return profit + f*it.profit
		}
		lo = hi2
	}
	sortItems(items[lo:hi])
	for x := lo; x < hi; x++ {
		it := items[x]
		if it.weight <= left {
			take[x] = 1
			left -= it.weight
			profit += it.profit
			continue
		}
		if left > 0 {
			f := left / it.weight
			take[x] = f
			profit += f * it.profit
		}
		break
	}
	return profit
}

func median3(a, b, c float64) float64 {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	if a > b {
		return a
	}
	return b
}

func cmpRatio(x, y knapItem) int {
	switch {
	case x.ratio > y.ratio:
		return -1
	case x.ratio < y.ratio:
		return 1
	}
	return int(x.id - y.id)
}

// binary solves the 0-1 knapsack max Σ p_k t_k s.t. Σ w_k t_k ≤ capacity,
// t ∈ {0,1}. It returns an upper bound on the optimal profit (the optimum
// itself when exact is true) and leaves a feasible selection in ks.take.
func (ks *knapsack) binary(capacity float64) (bound float64, exact bool) {
	ks.prepTake()
	total, profit := 0.0, 0.0
	integral := true
	for _, it := range ks.items {
		total += it.weight
		if it.weight != math.Trunc(it.weight) {
			integral = false
		}
	}
	if total <= capacity {
		for k, it := range ks.items {
			ks.take[k] = 1
			profit += it.profit
		}
		return profit, true
	}
	// Items heavier than the capacity are never taken; zero-weight items
	// always are (both solvers below take them).
	zero := 0.0
	kept := ks.items[:0]
	for _, it := range ks.items {
		if it.weight == 0 {
			zero += it.profit
		}
		if it.weight <= capacity {
			kept = append(kept, it)
		}
	}
	ks.items = kept
	ks.prepTake()
	if len(ks.items) >= 8 {
		return ks.reduceAndSolve(capacity, integral)
	}
	return ks.core(capacity, integral)
}

// incumbent sets zsel to the greedy selection in ratio order, or to the
// warm start when it is better, and returns its profit.
func (ks *knapsack) incumbent(capacity float64) float64 {
	items := ks.items
	n := len(items)
	if cap(ks.zsel) < n {
		ks.zsel = make([]bool, n)
		ks.state = make([]int8, n)
	}
	zsel := ks.zsel[:n]
	z, left := 0.0, capacity
	for k, it := range items {
		zsel[k] = it.weight <= left
		if zsel[k] {
			left -= it.weight
			z += it.profit
		}
	}
	if ks.warm != nil {
		wv, ww := 0.0, 0.0
		for _, it := range items {
			if int(it.id) < len(ks.warm) && ks.warm[it.id] {
				wv += it.profit
				ww += it.weight
			}
		}
		if ww <= capacity && wv > z {
			z = wv
			for k, it := range items {
				zsel[k] = int(it.id) < len(ks.warm) && ks.warm[it.id]
			}
		}
	}
	return z
}

// reduceAndSolve applies the Martello–Toth reduction: with the items
// sorted by ratio and the greedy (or warm) solution as incumbent z, an
// item whose forced opposite value cannot beat z (by the Dantzig bound) is
// fixed. The items left are solved by core. Solutions that break a fixing
// are worth at most z, so the better of z and the reduced optimum is
// optimal.
func (ks *knapsack) reduceAndSolve(capacity float64, integral bool) (float64, bool) {
	ks.sortByRatio()
	items := ks.items
	n := len(items)
	ks.pw = growF(ks.pw, n+1)
	ks.pp = growF(ks.pp, n+1)
	W, P := ks.pw, ks.pp
	W[0], P[0] = 0, 0
	for k, it := range items {
		W[k+1] = W[k] + it.weight
		P[k+1] = P[k] + it.profit
	}
	z := ks.incumbent(capacity)
	zsel, state := ks.zsel[:n], ks.state[:n]
	// Dantzig bound of the items other than ex within capacity c.
	ub := func(ex int, c float64) float64 {
		wx := items[ex].weight
		wp := func(t int) float64 {
			if t > ex {
				return W[t] - wx
			}
			return W[t]
		}
		lo, hi := 0, n
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if wp(mid) <= c {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		v := P[lo]
		if lo > ex {
			v -= items[ex].profit
		}
		nx := lo
		if nx == ex {
			nx++
		}
		if nx < n {
			v += (c - wp(lo)) * items[nx].ratio
		}
		return v
	}
	brk := 0
	for brk < n && W[brk+1] <= capacity {
		brk++
	}
	eps := 1e-12 * math.Max(1, math.Abs(z))
	fixedW, fixedP := 0.0, 0.0
	nFree := 0
	for j, it := range items {
		state[j] = 0
		switch {
		case it.weight == 0:
			state[j] = 1
		case j < brk:
			if ub(j, capacity) <= z+eps {
				state[j] = 1
			}
		default:
			if it.weight > capacity || it.profit+ub(j, capacity-it.weight) <= z+eps {
				state[j] = -1
			}
		}
		switch state[j] {
		case 1:
			fixedW += it.weight
			fixedP += it.profit
		case 0:
			nFree++
		}
	}
	useZ := func() (float64, bool) {
		ks.prepTake()
		for k := range items {
			if zsel[k] {
				ks.take[k] = 1
			}
		}
		return z, true
	}
	if fixedW > capacity {
		// every solution breaks a fixing: z is optimal
		return useZ()
	}
	orig := items
	sub := ks.sub[:0]
	for j, it := range items {
		if state[j] == 0 {
			sub = append(sub, it)
		}
	}
	ks.sub = sub
	ks.items = sub
	ks.prepTake()
	r, ok := ks.core(capacity-fixedW, integral)
	// value of the selection core left in take
	found := fixedP
	subTake := append(ks.subTake[:0], ks.take...)
	ks.subTake = subTake
	for k, it := range ks.items {
		if subTake[k] != 0 {
			found += it.profit
		}
	}
	ks.items = orig
	bound := math.Max(z, fixedP+r)
	if found < z {
		useZ()
	} else {
		ks.prepTake()
		pos := 0
		for j := range orig {
			switch state[j] {
			case 1:
				ks.take[j] = 1
			case 0:
				ks.take[j] = subTake[pos]
				pos++
			}
		}
	}
	if !ok {
		return bound, false
	}
	return math.Max(z, found), true
}

func growF(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// core solves the 0-1 knapsack over ks.items: branch and bound first with
// a node budget (fastest on typical items), then dynamic programming
// (integer weights) or a larger budget when it runs out.
func (ks *knapsack) core(capacity float64, integral bool) (float64, bool) {
	zero := 0.0
	for _, it := range ks.items {
		if it.weight == 0 {
			zero += it.profit
		}
	}
	if b, ok := ks.bbSolve(capacity, ks.bbBudget); ok {
		return b, true
	}
	ks.prepTake()
	if integral && capacity < 1<<40 {
		c := int(math.Floor(capacity))
		// Divide weights and capacity by the gcd of the weights.
		g := 0
		for _, it := range ks.items {
			if it.weight > 0 {
				g = gcd(g, int(it.weight))
			}
		}
		if g > 1 {
			c /= g
		}
		if g == 0 {
			g = 1
		}
		nPos := 0
		sumW := 0
		for _, it := range ks.items {
			if it.weight > 0 {
				nPos++
				sumW += int(it.weight) / g
			}
		}
		if sumW < c {
			c = sumW
		}
		if nPos*(c+1) <= ks.dpLimit {
			return zero + ks.dpSolve(c, g), true
		}
	}
	b, ok := ks.bbSolve(capacity, ks.nodeCap)
	if !ok {
		ks.inexacts++
	}
	return b, ok
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// dpSolve runs dynamic programming over integer capacities (weights
// divided by g); zero-weight items are taken outright.
func (ks *knapsack) dpSolve(c, g int) float64 {
	if cap(ks.dp) < c+1 {
		ks.dp = make([]float64, c+1)
	}
	dp := ks.dp[:c+1]
	for k := range dp {
		dp[k] = 0
	}
	words := (c + 1 + 63) / 64
	nItems := len(ks.items)
	need := nItems * words
	if cap(ks.keep) < need {
		ks.keep = make([]uint64, need)
	}
	keep := ks.keep[:need]
	for k := range keep {
		keep[k] = 0
	}
	for k, it := range ks.items {
		if it.weight == 0 {
			continue
		}
		w := int(it.weight) / g
		row := keep[k*words : (k+1)*words]
		for cc := c; cc >= w; cc-- {
			v := dp[cc-w] + it.profit
			if v > dp[cc] {
				dp[cc] = v
				row[cc>>6] |= 1 << (uint(cc) & 63)
			}
		}
	}
	best := dp[c]
	cc := c
	for k := nItems - 1; k >= 0; k-- {
		it := ks.items[k]
		if it.weight == 0 {
			ks.take[k] = 1
			continue
		}
		if keep[k*words+(cc>>6)]&(1<<(uint(cc)&63)) != 0 {
			ks.take[k] = 1
			cc -= int(it.weight) / g
		}
	}
	return best
}

// bbSolve is a depth-first branch and bound over items sorted by ratio
// with the Dantzig bound. It returns the best profit when it completes
// within nodeCap nodes, and otherwise the largest bound of the unexplored
// nodes (an upper bound) with exact false. Zero-weight items sort first
// and are always taken.
func (ks *knapsack) bbSolve(capacity float64, nodeCap int) (float64, bool) {
	ks.sortByRatio()
	items := ks.items
	n := len(items)
	if cap(ks.cur) < n {
		ks.cur = make([]bool, n)
		ks.bestSel = make([]bool, n)
	}
	cur, bestSel := ks.cur[:n], ks.bestSel[:n]
	for k := range cur {
		cur[k], bestSel[k] = false, false
	}
	// Greedy incumbent, or the warm start when it is better.
	best := 0.0
	left := capacity
	for k, it := range items {
		if it.weight <= left {
			left -= it.weight
			best += it.profit
			bestSel[k] = true
		}
	}
	if ks.warm != nil {
		wv, ww := 0.0, 0.0
		for _, it := range items {
			if int(it.id) < len(ks.warm) && ks.warm[it.id] {
				wv += it.profit
				ww += it.weight
			}
		}
		if ww <= capacity && wv > best {
			best = wv
			for k, it := range items {
				bestSel[k] = int(it.id) < len(ks.warm) && ks.warm[it.id]
			}
		}
	}
	bb := &ks.bb
	*bb = bbSearch{items: items, cur: cur, bestSel: bestSel, best: best, nodeCap: nodeCap, exact: true, maxOpen: math.Inf(-1)}
	bb.rec(0, capacity, 0, 0, false)
	best, exact, maxOpen := bb.best, bb.exact, bb.maxOpen
	*bb = bbSearch{}
	for k := range bestSel {
		if bestSel[k] {
			ks.take[k] = 1
		}
	}
	if !exact {
		return math.Max(best, maxOpen), false
	}
	return best, true
}

// bbSearch is the state of bbSolve's depth-first search, kept in the
// knapsack so that the search allocates nothing.
type bbSearch struct {
	items        []knapItem
	cur, bestSel []bool
	best         float64
	nodes        int
	nodeCap      int
	exact        bool
	maxOpen      float64
}

// rec explores the items from k on. known says that ub already holds the
// Dantzig bound of the node: taking item k leaves it unchanged (the greedy
// scan of the parent took item k first and went on with the same capacity
// and profit, operation for operation), so only the branch that leaves
// item k out computes its own.
func (bb *bbSearch) rec(k int, capLeft, profit, ub float64, known bool) {
	bb.nodes++
	if profit > bb.best {
		bb.best = profit
		copy(bb.bestSel, bb.cur)
	}
	items := bb.items
	n := len(items)
	if k == n {
		return
	}
	if !known {
		// Dantzig bound
		ub = profit
		cl := capLeft
		for t := k; t < n; t++ {
			it := items[t]
			if it.weight <= cl {
				cl -= it.weight
				ub += it.profit
				continue
			}
			ub += cl * it.ratio
			break
		}
	}
	if ub <= bb.best+1e-12*math.Max(1, math.Abs(bb.best)) {
		return
	}
	if bb.nodes > bb.nodeCap {
		bb.exact = false
		if ub > bb.maxOpen {
			bb.maxOpen = ub
		}
		return
	}
	it := items[k]
	if it.weight <= capLeft {
		bb.cur[k] = true
		bb.rec(k+1, capLeft-it.weight, profit+it.profit, ub, true)
		bb.cur[k] = false
	}
	bb.rec(k+1, capLeft, profit, 0, false)
}

// knapDPLimit is the largest items×capacity product solved by dynamic
// programming.
const knapDPLimit = 1 << 22

// knapBBBudget is the node budget of the first branch-and-bound attempt
// of a 0-1 knapsack.
const knapBBBudget = 30000
