package allocate

import (
	"context"
	"errors"
	"math"
	"sort"
)

// poolNet is a minimum-cost flow network solved exactly by the primal
// network simplex method. Staff pooling (one network per staff category)
// and activity transfer (one network per service) both use it.
//
// Costs have two levels compared lexicographically: a plan is better when
// its primary cost is lower, and among plans of equal primary cost when its
// secondary cost is lower. That is the true lexicographic optimum, not a
// weighted sum with a large multiplier, so no multiplier has to be justified
// and the primary node potentials are the duals of the primary problem alone.
//
// The solver keeps a strongly feasible spanning tree (the rule of
// Cunningham 1976: the leaving arc is the last blocking arc of the pivot
// cycle, met from its apex), which rules out cycling; entering arcs are
// chosen by block search (as in LEMON's NetworkSimplex). The tree is a
// parent/child structure; a pivot reverses the path from the entering node
// to the root of the subtree it moves and re-walks that subtree.
type poolNet struct {
	n      int       // nodes
	supply []float64 // supply of each node (negative: demand); sums to 0
	src    []int32
	dst    []int32
	cap    []float64 // upper bound (+Inf for none); lower bounds are 0
	cp, cs []float64 // primary and secondary cost

	// Results of solve.
	flow     []float64
	pip, pis []float64 // node potentials: tree arcs have c + π(src) − π(dst) = 0
	pivots   int

	// up, when set, gives each node a real arc towards a starting tree's
	// hub (-1 for none): see setStart.
	up  []int32
	hub int
}

// setStart asks solve to start from a tree: the hub hangs from the root,
// and every node v with up[v] ≥ 0 hangs from the other end of arc up[v].
// The arcs must form a forest whose paths lead to the hub or to nodes with
// up = -1 (which hang from the root), and the flows the supplies put on
// them must be within their bounds, with zero-flow arcs pointing towards
// the root; otherwise solve starts from artificial arcs alone.
func (g *poolNet) setStart(hub int, up []int32) {
	g.hub = hub
	g.up = up
}

// startFlows builds the starting tree of setStart and its flows. It returns
// false, leaving parent and pred as they were, when the tree is not valid.
func (g *poolNet) startFlows(src, dst []int32, capa, flow []float64, parent, pred []int32, root, m int, art float64) bool {
	n := g.n
	if len(g.up) != n {
		return false
	}
	par := make([]int32, n)
	for v := 0; v < n; v++ {
		par[v] = int32(root)
		if a := g.up[v]; a >= 0 && v != g.hub {
			if int(a) >= m {
				return false
			}
			switch {
			case int(src[a]) == v:
				par[v] = dst[a]
			case int(dst[a]) == v:
				par[v] = src[a]
			default:
				return false
			}
		}
	}
	// Order nodes root first (and check for cycles).
	depth := make([]int32, n)
	for i := range depth {
		depth[i] = -1
	}
	var dfs func(v int32) int32
	steps := 0
	dfs = func(v int32) int32 {
		if int(v) == root {
			return 0
		}
		if depth[v] >= 0 {
			return depth[v]
		}
		steps++
		if steps > 4*n {
			return -1 << 30
		}
		depth[v] = -2 // on the path
		d := dfs(par[v]) + 1
		depth[v] = d
		return d
	}
	order := make([]int32, 0, n)
	for v := 0; v < n; v++ {
		if d := dfs(int32(v)); d <= 0 {
			return false
		}
	}
	for v := 0; v < n; v++ {
		order = append(order, int32(v))
	}
	sort.Slice(order, func(a, b int) bool { return depth[order[a]] > depth[order[b]] })
	sum := append([]float64(nil), g.supply...)
	fl := make([]float64, n)
	tol := 1e-9
	for _, v := range order {
		s := sum[v]
		if int(par[v]) != root {
			a := g.up[v]
			f := s
			if int(dst[a]) == int(v) { // parent → v carries −s
				f = -s
			}
			if f < -tol || f > capa[a]+tol {
				return false
			}
			if f <= tol && int(dst[a]) == int(v) {
				return false // a zero-flow arc pointing away from the root
			}
			fl[v] = math.Max(0, f)
			sum[par[v]] += s
		} else {
			fl[v] = s
		}
	}
	for v := 0; v < n; v++ {
		e := m + v
		if int(par[v]) == root {
			if fl[v] >= 0 {
				src[e], dst[e] = int32(v), int32(root)
				flow[e] = fl[v]
			} else {
				src[e], dst[e] = int32(root), int32(v)
				flow[e] = -fl[v]
			}
			pred[v] = int32(e)
		} else {
			src[e], dst[e] = int32(v), int32(root)
			flow[e] = 0
			a := g.up[v]
			flow[a] = fl[v]
			pred[v] = a
		}
		parent[v] = par[v]
	}
	return true
}

// poolNetError is an error of the flow solver.
type poolNetError string

func (e poolNetError) Error() string { return string(e) }

const (
	// poolNetInfeasible reports a network whose supplies cannot all reach
	// the demands (artificial flow left at the optimum).
	poolNetInfeasible poolNetError = "allocate: flow network is infeasible"
	// poolNetUnbounded reports a negative-cost cycle of unbounded capacity.
	poolNetUnbounded poolNetError = "allocate: flow network is unbounded"
)

func poolNewNet(nodes, arcsHint int) *poolNet {
	return &poolNet{
		n:      nodes,
		supply: make([]float64, nodes),
		src:    make([]int32, 0, arcsHint),
		dst:    make([]int32, 0, arcsHint),
		cap:    make([]float64, 0, arcsHint),
		cp:     make([]float64, 0, arcsHint),
		cs:     make([]float64, 0, arcsHint),
	}
}

// addArc adds an arc from u to v with capacity c (math.Inf(1) for none) and
// costs p (primary) and s (secondary), and returns its index.
func (g *poolNet) addArc(u, v int, c, p, s float64) int {
	g.src = append(g.src, int32(u))
	g.dst = append(g.dst, int32(v))
	g.cap = append(g.cap, c)
	g.cp = append(g.cp, p)
	g.cs = append(g.cs, s)
	return len(g.src) - 1
}

// addNode adds a node with the given supply and returns its index.
func (g *poolNet) addNode(supply float64) int {
	g.supply = append(g.supply, supply)
	g.n++
	return g.n - 1
}

func (g *poolNet) arcs() int { return len(g.src) }

// poolNetBytes estimates the memory solve needs for a network of n nodes
// and m arcs.
func poolNetBytes(n, m int64) int64 {
	return m*(4+4+8+8+8+8+1) + (n+m)*9 + n*(8*2+4*6+8)
}

// Arc states.
const (
	poolUpper int8 = -1
	poolTree  int8 = 0
	poolLower int8 = 1
)

// solve finds a lexicographic minimum-cost flow. The context is checked
// every few thousand pivots; when it is done solve returns its error and the
// network holds no solution.
func (g *poolNet) solve(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	n, m := g.n, len(g.src)
	root := n
	N := n + 1
	M := m + n // real arcs, then one artificial arc per node
	src := make([]int32, M)
	dst := make([]int32, M)
	capa := make([]float64, M)
	cp := make([]float64, M)
	cs := make([]float64, M)
	copy(src, g.src)
	copy(dst, g.dst)
	copy(capa, g.cap)
	copy(cp, g.cp)
	copy(cs, g.cs)

	maxP, maxS, maxB := 0.0, 0.0, 1.0
	for e := 0; e < m; e++ {
		if capa[e] < 0 || math.IsNaN(capa[e]) || math.IsNaN(cp[e]) || math.IsNaN(cs[e]) {
			return errors.New("allocate: flow network: invalid arc")
		}
		maxP = math.Max(maxP, math.Abs(cp[e]))
		maxS = math.Max(maxS, math.Abs(cs[e]))
		if !math.IsInf(capa[e], 1) {
			maxB = math.Max(maxB, capa[e])
		}
	}
	for _, b := range g.supply {
		maxB = math.Max(maxB, math.Abs(b))
	}
	epsP := 1e-9 * math.Max(1, maxP)
	epsS := 1e-9 * math.Max(1, maxS)
	epsF := 1e-10 * maxB
	// An artificial arc costs more than any simple path of real arcs.
	art := (maxP + 1) * float64(N)

	flow := make([]float64, M)
	state := make([]int8, M)
	for e := 0; e < m; e++ {
		state[e] = poolLower
	}
	parent := make([]int32, N)
	pred := make([]int32, N)
	depth := make([]int32, N)
	first := make([]int32, N) // first child
	next := make([]int32, N)  // next sibling
	prev := make([]int32, N)  // previous sibling
	pip := make([]float64, N)
	pis := make([]float64, N)
	for i := range first {
		first[i], next[i], prev[i] = -1, -1, -1
	}
	link := func(v, p int32) {
		parent[v] = p
		prev[v] = -1
		next[v] = first[p]
		if first[p] >= 0 {
			prev[first[p]] = v
		}
		first[p] = v
	}
	unlink := func(v int32) {
		p := parent[v]
		if prev[v] >= 0 {
			next[prev[v]] = next[v]
		} else {
			first[p] = next[v]
		}
		if next[v] >= 0 {
			prev[next[v]] = prev[v]
		}
		next[v], prev[v] = -1, -1
	}
	parent[root] = -1
	pred[root] = -1
	// The starting tree: every node hangs from the root by an artificial
	// arc, unless the caller gave a real arc towards a hub node (g.up),
	// which starts the simplex from a feasible flow instead of from
	// artificial flows (see setStart).
	for v := 0; v < n; v++ {
		e := m + v
		capa[e] = math.Inf(1)
		cp[e] = art
		pred[v] = int32(e)
		parent[v] = int32(root)
	}
	started := g.up != nil && g.startFlows(src, dst, capa, flow, parent, pred, root, m, art)
	if !started {
		for v := 0; v < n; v++ {
			e := m + v
			b := g.supply[v]
			if b >= 0 {
				src[e], dst[e] = int32(v), int32(root)
				flow[e] = b
			} else {
				src[e], dst[e] = int32(root), int32(v)
				flow[e] = -b
			}
			pred[v] = int32(e)
			parent[v] = int32(root)
		}
	}
	for v := 0; v < n; v++ {
		state[m+v] = poolLower
	}
	for v := 0; v < n; v++ {
		state[pred[v]] = poolTree
		link(int32(v), parent[v])
	}

	// Potentials are shifted subtree by subtree; rebuild them from the root
	// now and then so that rounding does not pile up.
	stack := make([]int32, 0, 64)
	recompute := func(from int32) {
		stack = append(stack[:0], from)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for c := first[v]; c >= 0; c = next[c] {
				e := pred[c]
				if src[e] == v { // v → c
					pip[c] = pip[v] + cp[e]
					pis[c] = pis[v] + cs[e]
				} else { // c → v
					pip[c] = pip[v] - cp[e]
					pis[c] = pis[v] - cs[e]
				}
				depth[c] = depth[v] + 1
				stack = append(stack, c)
			}
		}
	}

	recompute(int32(root))

	// Pricing: block search (as in LEMON) over an active list of the arcs
	// that violated optimality at the last full scan; when the list has no
	// candidate left, a full scan rebuilds it, and an empty list proves
	// optimality. Most arcs never become candidates again, so the blocks
	// are searched among few arcs.
	active := make([]int32, 0, m/4+16)
	rebuild := func() {
		active = active[:0]
		for a := 0; a < m; a++ {
			st := state[a]
			if st == poolTree {
				continue
			}
			u, v := src[a], dst[a]
			rp := float64(st) * (cp[a] + pip[u] - pip[v])
			if rp > epsP {
				continue
			}
			if rp < -epsP || float64(st)*(cs[a]+pis[u]-pis[v]) < -epsS {
				active = append(active, int32(a))
			}
		}
	}
	rebuild()
	cursor := 0
	pivots := 0
	for {
		enter := -1
		var bestP, bestS float64
		na := len(active)
		block := int(math.Sqrt(float64(na)))
		if block < 10 {
			block = 10
		}
		scanned := 0
		for scanned < na {
			for i := 0; i < block && scanned+i < na; i++ {
				k := cursor + i
				if k >= na {
					k -= na
				}
				a := int(active[k])
				st := state[a]
				if st == poolTree {
					continue
				}
				u, v := src[a], dst[a]
				rp := float64(st) * (cp[a] + pip[u] - pip[v])
				if rp > epsP {
					continue // most arcs: no need for the second level
				}
				rs := float64(st) * (cs[a] + pis[u] - pis[v])
				// Lexicographically negative, and below the best so far.
				if !(rp < -epsP || rs < -epsS) {
					continue
				}
				if enter < 0 || rp < bestP-epsP || (rp <= bestP+epsP && rs < bestS-epsS) {
					enter, bestP, bestS = a, rp, rs
				}
			}
			step := min(block, na-scanned)
			scanned += step
			cursor += step
			if cursor >= na {
				cursor -= na
			}
			if enter >= 0 {
				break
			}
		}
		if enter < 0 {
			rebuild()
			cursor = 0
			if len(active) == 0 {
				break
			}
			continue
		}
		pivots++
		if pivots&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			recompute(int32(root))
		}

		// The pivot cycle: flow goes from fst to snd along the entering
		// arc, up from snd to the apex and down from the apex to fst.
		fst, snd := src[enter], dst[enter]
		if state[enter] == poolUpper {
			fst, snd = snd, fst
		}
		a, b := fst, snd
		for a != b {
			if depth[a] > depth[b] {
				a = parent[a]
			} else if depth[b] > depth[a] {
				b = parent[b]
			} else {
				a, b = parent[a], parent[b]
			}
		}
		apex := a

		delta := math.Inf(1)
		leave := int32(-1)
		leaveFirst := false // the leaving arc is on the fst side
		// fst side, walked up from fst: the last blocking arc in cycle
		// order is the one nearest fst, so keep the first strict minimum.
		for x := fst; x != apex; x = parent[x] {
			e := pred[x]
			var r float64
			if dst[e] == x { // parent → x, flow increases
				r = capa[e] - flow[e]
			} else {
				r = flow[e]
			}
			if r < epsF {
				r = 0
			}
			if r < delta {
				delta, leave, leaveFirst = r, e, true
			}
		}
		{
			var r float64
			if state[enter] == poolLower {
				r = capa[enter] - flow[enter]
			} else {
				r = flow[enter]
			}
			if r < epsF {
				r = 0
			}
			if r <= delta {
				delta, leave, leaveFirst = r, int32(enter), false
			}
		}
		for x := snd; x != apex; x = parent[x] {
			e := pred[x]
			var r float64
			if src[e] == x { // x → parent, flow increases
				r = capa[e] - flow[e]
			} else {
				r = flow[e]
			}
			if r < epsF {
				r = 0
			}
			if r <= delta {
				delta, leave, leaveFirst = r, e, false
			}
		}
		if math.IsInf(delta, 1) {
			return poolNetUnbounded
		}

		// Push delta round the cycle.
		if delta > 0 {
			if state[enter] == poolLower {
				flow[enter] += delta
			} else {
				flow[enter] -= delta
			}
			for x := fst; x != apex; x = parent[x] {
				e := pred[x]
				if dst[e] == x {
					flow[e] += delta
				} else {
					flow[e] -= delta
				}
			}
			for x := snd; x != apex; x = parent[x] {
				e := pred[x]
				if src[e] == x {
					flow[e] += delta
				} else {
					flow[e] -= delta
				}
			}
		}

		if leave == int32(enter) {
			// A bounded arc moves from one bound to the other.
			if state[enter] == poolLower {
				state[enter] = poolUpper
				flow[enter] = capa[enter]
			} else {
				state[enter] = poolLower
				flow[enter] = 0
			}
			continue
		}

		// The leaving arc hangs the subtree rooted at q; it is re-hung
		// below the other end of the entering arc.
		var uin, uout int32
		if leaveFirst {
			uin, uout = fst, snd
		} else {
			uin, uout = snd, fst
		}
		q := src[leave]
		if parent[q] != dst[leave] || pred[q] != leave {
			q = dst[leave]
		}
		if f := flow[leave]; f <= epsF || capa[leave]-f > epsF {
			state[leave] = poolLower
			flow[leave] = 0
		} else {
			state[leave] = poolUpper
			flow[leave] = capa[leave]
		}
		state[enter] = poolTree

		newPar, newPred, v := uout, int32(enter), uin
		for {
			oldPar, oldPred := parent[v], pred[v]
			unlink(v)
			link(v, newPar)
			pred[v] = newPred
			if v == q {
				break
			}
			newPar, newPred, v = v, oldPred, oldPar
		}
		// Potentials and depths of the moved subtree.
		e := int32(enter)
		if src[e] == uin { // uin → uout
			pip[uin] = pip[uout] - cp[e]
			pis[uin] = pis[uout] - cs[e]
		} else {
			pip[uin] = pip[uout] + cp[e]
			pis[uin] = pis[uout] + cs[e]
		}
		depth[uin] = depth[uout] + 1
		recompute(uin)
	}
	recompute(int32(root))

	for v := 0; v < n; v++ {
		if flow[m+v] > epsF*float64(N) {
			return poolNetInfeasible
		}
	}
	g.flow = flow[:m:m]
	for e := range g.flow {
		if g.flow[e] < epsF {
			g.flow[e] = 0
		} else if !math.IsInf(capa[e], 1) && capa[e]-g.flow[e] < epsF {
			g.flow[e] = capa[e]
		}
	}
	g.pip = pip[:n:n]
	g.pis = pis[:n:n]
	// Report potentials relative to the root, which the artificial arcs
	// tie to every component at zero flow.
	g.pivots = pivots
	return nil
}

// objective returns the primary and secondary cost of the flow.
func (g *poolNet) objective() (p, s float64) {
	for e, f := range g.flow {
		if f != 0 {
			p += g.cp[e] * f
			s += g.cs[e] * f
		}
	}
	return p, s
}

// residualDistances returns the lexicographic cost of the cheapest way to
// ship one more unit of flow from s to every node (reverse false) or from
// every node to s (reverse true) through the residual network of the
// optimal flow: the right derivative of the optimal cost with respect to a
// unit more supply at the start and demand at the end. Nodes that cannot be
// reached get +Inf. It runs Dijkstra's algorithm on the reduced costs, which
// the optimal potentials make non-negative.
//
// Arcs marked in skip (when not nil) are left out, in both directions.
func (g *poolNet) residualDistances(s int, reverse bool, skip []bool) (dp, ds []float64) {
	n, m := g.n, len(g.src)
	// Arcs by tail and by head (CSR).
	outStart := make([]int32, n+1)
	inStart := make([]int32, n+1)
	for e := 0; e < m; e++ {
		outStart[g.src[e]+1]++
		inStart[g.dst[e]+1]++
	}
	for v := 0; v < n; v++ {
		outStart[v+1] += outStart[v]
		inStart[v+1] += inStart[v]
	}
	outArcs := make([]int32, m)
	inArcs := make([]int32, m)
	po := append([]int32(nil), outStart[:n]...)
	pi := append([]int32(nil), inStart[:n]...)
	for e := 0; e < m; e++ {
		u, v := g.src[e], g.dst[e]
		outArcs[po[u]] = int32(e)
		po[u]++
		inArcs[pi[v]] = int32(e)
		pi[v]++
	}
	const tiny = 1e-12
	fwdOpen := func(e int32) bool {
		if skip != nil && skip[e] {
			return false
		}
		c := g.cap[e]
		return math.IsInf(c, 1) || g.flow[e] < c-tiny*math.Max(1, c)
	}
	bwdOpen := func(e int32) bool { return g.flow[e] > tiny && (skip == nil || !skip[e]) }
	red := func(e int32) (float64, float64) {
		u, v := g.src[e], g.dst[e]
		return g.cp[e] + g.pip[u] - g.pip[v], g.cs[e] + g.pis[u] - g.pis[v]
	}

	dp = make([]float64, n)
	ds = make([]float64, n)
	for i := range dp {
		dp[i], ds[i] = math.Inf(1), math.Inf(1)
	}
	done := make([]bool, n)
	h := &poolHeap{}
	dp[s], ds[s] = 0, 0
	h.push(poolHeapItem{p: 0, s: 0, v: int32(s)})
	relax := func(x int32, p, q float64) {
		if p < 0 {
			p = 0
		}
		if q < 0 && p == 0 {
			q = 0
		}
		if p < dp[x] || (p == dp[x] && q < ds[x]) {
			dp[x], ds[x] = p, q
			h.push(poolHeapItem{p: p, s: q, v: x})
		}
	}
	for h.len() > 0 {
		it := h.pop()
		u := it.v
		if done[u] || it.p != dp[u] || it.s != ds[u] {
			continue
		}
		done[u] = true
		if !reverse {
			// Residual arcs leaving u: forward arcs out of u, backward
			// arcs into u.
			for _, e := range outArcs[outStart[u]:outStart[u+1]] {
				if fwdOpen(e) {
					rp, rs := red(e)
					relax(g.dst[e], dp[u]+math.Max(rp, 0), ds[u]+rs)
				}
			}
			for _, e := range inArcs[inStart[u]:inStart[u+1]] {
				if bwdOpen(e) {
					rp, rs := red(e)
					relax(g.src[e], dp[u]+math.Max(-rp, 0), ds[u]-rs)
				}
			}
		} else {
			// Residual arcs entering u: forward arcs into u, backward
			// arcs out of u.
			for _, e := range inArcs[inStart[u]:inStart[u+1]] {
				if fwdOpen(e) {
					rp, rs := red(e)
					relax(g.src[e], dp[u]+math.Max(rp, 0), ds[u]+rs)
				}
			}
			for _, e := range outArcs[outStart[u]:outStart[u+1]] {
				if bwdOpen(e) {
					rp, rs := red(e)
					relax(g.dst[e], dp[u]+math.Max(-rp, 0), ds[u]-rs)
				}
			}
		}
	}
	// Reduced distances back to true costs.
	for x := 0; x < n; x++ {
		if math.IsInf(dp[x], 1) {
			continue
		}
		if !reverse {
			dp[x] += g.pip[x] - g.pip[s]
			ds[x] += g.pis[x] - g.pis[s]
		} else {
			dp[x] += g.pip[s] - g.pip[x]
			ds[x] += g.pis[s] - g.pis[x]
		}
	}
	return dp, ds
}

type poolHeapItem struct {
	p, s float64
	v    int32
}

// poolHeap is a binary min-heap of items ordered by (p, s).
type poolHeap struct{ a []poolHeapItem }

func (h *poolHeap) len() int { return len(h.a) }

func (h *poolHeap) lessAt(i, j int) bool {
	x, y := h.a[i], h.a[j]
	if x.p != y.p {
		return x.p < y.p
	}
	if x.s != y.s {
		return x.s < y.s
	}
	return x.v < y.v
}

func (h *poolHeap) push(it poolHeapItem) {
	h.a = append(h.a, it)
	i := len(h.a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.lessAt(i, p) {
			break
		}
		h.a[i], h.a[p] = h.a[p], h.a[i]
		i = p
	}
}

func (h *poolHeap) pop() poolHeapItem {
	top := h.a[0]
	last := len(h.a) - 1
	h.a[0] = h.a[last]
	h.a = h.a[:last]
	i := 0
	for {
		l, r := 2*i+1, 2*i+2
		s := i
		if l < last && h.lessAt(l, s) {
			s = l
		}
		if r < last && h.lessAt(r, s) {
			s = r
		}
		if s == i {
			break
		}
		h.a[i], h.a[s] = h.a[s], h.a[i]
		i = s
	}
	return top
}
