package netflow

import (
	"context"
	"math"
	"slices"
	"sort"
)

// Arc states.
const (
	atUpper int8 = -1
	inTree  int8 = 0
	atLower int8 = 1
)

// simplex is the state of one Solve: the arcs (the network's, then one
// artificial arc per node to the root), the spanning tree as a
// parent/child structure, and the node potentials.
type simplex struct {
	n, m, root int // real nodes, real arcs, the root node (n)
	src, dst   []int32
	capa       []float64
	cp, cs     []float64
	flow       []float64
	state      []int8
	art        float64 // cost of an artificial arc

	parent, pred, depth []int32 // pred: the tree arc to the parent
	first, next, prev   []int32 // first child, next and previous sibling
	pip, pis            []float64

	epsP, epsS, epsF float64 // tolerances on primary and secondary costs, and flows
	stack            []int32
	active           []int32 // candidate arcs (see price)
	cursor           int
}

// Solve finds a lexicographic minimum-cost flow. The context is checked
// every few thousand pivots; when it is done Solve returns its error and
// the network holds no solution. It returns ErrInfeasible when the
// supplies cannot all reach the demands, ErrUnbounded for a cycle of
// negative cost and unbounded capacity, and an error for an arc with a
// negative or NaN capacity or a NaN cost.
func (g *Network) Solve(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s, err := g.newSimplex()
	if err != nil {
		return err
	}
	s.startTree(g)
	s.recompute(int32(s.root))
	s.rebuild()
	return g.run(ctx, s)
}

// Resolve solves the network again after SetCost changed costs, starting
// from the optimal tree of the last Solve or Resolve when KeepBasis was
// called before it (the tree's flow stays feasible, so only the pivots
// that the new costs call for are made); otherwise it is Solve. Supplies
// and capacities must not have changed. The flow is an optimum of the new
// costs, the same for the same sequence of calls.
func (g *Network) Resolve(ctx context.Context) error {
	s := g.basis
	if s == nil || !g.keepBasis {
		return g.Solve(ctx)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	g.basis, g.spare = nil, s
	maxP, maxS := 0.0, 0.0
	for e := 0; e < s.m; e++ {
		if math.IsNaN(g.cp[e]) || math.IsNaN(g.cs[e]) {
			return errInvalidArc
		}
		s.cp[e], s.cs[e] = g.cp[e], g.cs[e]
		// Plain comparisons: no NaN reaches here, and math.Max's care for
		// NaN and signed zeros costs more than the rest of the loop.
		if a := math.Abs(g.cp[e]); a > maxP {
			maxP = a
		}
		if a := math.Abs(g.cs[e]); a > maxS {
			maxS = a
		}
	}
	s.epsP = 1e-9 * math.Max(1, maxP)
	s.epsS = 1e-9 * math.Max(1, maxS)
	if art := (maxP + 1) * float64(s.n+1); art > s.art {
		s.art = art
		for v := 0; v < s.n; v++ {
			s.cp[s.m+v] = art
		}
	}
	s.recompute(int32(s.root))
	s.rebuild()
	s.cursor = 0
	return g.run(ctx, s)
}

// run pivots from the simplex's tree to an optimum and keeps the result.
func (g *Network) run(ctx context.Context, s *simplex) error {
	pivots, err := s.iterate(ctx)
	if err != nil {
		return err
	}
	if err := g.keep(s, pivots); err != nil {
		return err
	}
	if g.keepBasis {
		g.basis = s
	}
	return nil
}

// newSimplex copies the arcs, checks them, and sets the tolerances from
// the largest cost, capacity and supply.
func (g *Network) newSimplex() (*simplex, error) {
	n, m := g.n, len(g.src)
	N, M := n+1, m+n // nodes with the root; real arcs, then one artificial arc per node
	s := &simplex{n: n, m: m, root: n,
		src: make([]int32, M), dst: make([]int32, M), capa: make([]float64, M), cp: make([]float64, M), cs: make([]float64, M),
		flow: make([]float64, M), state: make([]int8, M),
		parent: make([]int32, N), pred: make([]int32, N), depth: make([]int32, N),
		first: make([]int32, N), next: make([]int32, N), prev: make([]int32, N),
		pip: make([]float64, N), pis: make([]float64, N), stack: make([]int32, 0, 64), active: make([]int32, 0, m/4+16)}
	copy(s.src, g.src)
	copy(s.dst, g.dst)
	copy(s.capa, g.cap)
	copy(s.cp, g.cp)
	copy(s.cs, g.cs)
	maxP, maxS, maxB := 0.0, 0.0, 1.0
	for e := 0; e < m; e++ {
		if s.capa[e] < 0 || math.IsNaN(s.capa[e]) || math.IsNaN(s.cp[e]) || math.IsNaN(s.cs[e]) {
			return nil, errInvalidArc
		}
		maxP = math.Max(maxP, math.Abs(s.cp[e]))
		maxS = math.Max(maxS, math.Abs(s.cs[e]))
		if !math.IsInf(s.capa[e], 1) {
			maxB = math.Max(maxB, s.capa[e])
		}
	}
	for _, b := range g.supply {
		maxB = math.Max(maxB, math.Abs(b))
	}
	s.epsP = 1e-9 * math.Max(1, maxP)
	s.epsS = 1e-9 * math.Max(1, maxS)
	s.epsF = 1e-10 * maxB
	// An artificial arc costs more than any simple path of real arcs.
	s.art = (maxP + 1) * float64(N)
	return s, nil
}

// startTree builds the starting tree: every node hangs from the root by
// its artificial arc carrying its supply, unless the network gives a real
// arc towards a hub node (SetStart), which starts the simplex from a
// feasible flow instead.
func (s *simplex) startTree(g *Network) {
	n, m, root := s.n, s.m, s.root
	for e := 0; e < m; e++ {
		s.state[e] = atLower
	}
	for i := range s.first {
		s.first[i], s.next[i], s.prev[i] = -1, -1, -1
	}
	s.parent[root] = -1
	s.pred[root] = -1
	for v := 0; v < n; v++ {
		e := m + v
		s.capa[e] = math.Inf(1)
		s.cp[e] = s.art
		s.pred[v] = int32(e)
		s.parent[v] = int32(root)
	}
	started := g.up != nil && s.startFlows(g)
	if !started {
		for v := 0; v < n; v++ {
			e := m + v
			b := g.supply[v]
			if b >= 0 {
				s.src[e], s.dst[e] = int32(v), int32(root)
				s.flow[e] = b
			} else {
				s.src[e], s.dst[e] = int32(root), int32(v)
				s.flow[e] = -b
			}
			s.pred[v] = int32(e)
			s.parent[v] = int32(root)
		}
	}
	for v := 0; v < n; v++ {
		s.state[m+v] = atLower
	}
	for v := 0; v < n; v++ {
		s.state[s.pred[v]] = inTree
		s.link(int32(v), s.parent[v])
	}
}

// startFlows builds the starting tree of SetStart and its flows. It
// returns false, leaving the tree as it was, when the tree is not valid.
func (s *simplex) startFlows(g *Network) bool {
	n, m, root := s.n, s.m, s.root
	if len(g.up) != n {
		return false
	}
	par, ok := s.startParents(g)
	if !ok {
		return false
	}
	order, ok := rootFirst(par, root)
	if !ok {
		return false
	}
	// Flows: each node sends up what its subtree supplies.
	sum := append([]float64(nil), g.supply...)
	fl := make([]float64, n)
	const tol = 1e-9
	for _, v := range order {
		b := sum[v]
		if int(par[v]) == root {
			fl[v] = b
			continue
		}
		a := g.up[v]
		f := b
		if int(s.dst[a]) == int(v) { // parent → v carries −b
			f = -b
		}
		if f < -tol || f > s.capa[a]+tol {
			return false
		}
		if f <= tol && int(s.dst[a]) == int(v) {
			return false // a zero-flow arc pointing away from the root
		}
		fl[v] = math.Max(0, f)
		sum[par[v]] += b
	}
	for v := 0; v < n; v++ {
		e := m + v
		if int(par[v]) == root {
			if fl[v] >= 0 {
				s.src[e], s.dst[e] = int32(v), int32(root)
				s.flow[e] = fl[v]
			} else {
				s.src[e], s.dst[e] = int32(root), int32(v)
				s.flow[e] = -fl[v]
			}
			s.pred[v] = int32(e)
		} else {
			s.src[e], s.dst[e] = int32(v), int32(root)
			s.flow[e] = 0
			a := g.up[v]
			s.flow[a] = fl[v]
			s.pred[v] = a
		}
		s.parent[v] = par[v]
	}
	return true
}

// startParents returns the parent of every node in the tree of SetStart,
// false when an arc is not one of the node's.
func (s *simplex) startParents(g *Network) ([]int32, bool) {
	par := make([]int32, s.n)
	for v := 0; v < s.n; v++ {
		par[v] = int32(s.root)
		if a := g.up[v]; a >= 0 && v != g.hub {
			if int(a) >= s.m {
				return nil, false
			}
			switch {
			case int(s.src[a]) == v:
				par[v] = s.dst[a]
			case int(s.dst[a]) == v:
				par[v] = s.src[a]
			default:
				return nil, false
			}
		}
	}
	return par, true
}

// rootFirst orders the nodes of a tree given by its parents deepest
// first, so that each node comes before its parent; false when the
// parents form a cycle.
func rootFirst(par []int32, root int) ([]int32, bool) {
	n := len(par)
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
	for v := 0; v < n; v++ {
		if d := dfs(int32(v)); d <= 0 {
			return nil, false
		}
	}
	order := make([]int32, 0, n)
	for v := 0; v < n; v++ {
		order = append(order, int32(v))
	}
	sort.Slice(order, func(a, b int) bool { return depth[order[a]] > depth[order[b]] })
	return order, true
}

// link makes v the first child of p.
func (s *simplex) link(v, p int32) {
	s.parent[v] = p
	s.prev[v] = -1
	s.next[v] = s.first[p]
	if s.first[p] >= 0 {
		s.prev[s.first[p]] = v
	}
	s.first[p] = v
}

// unlink takes v out of its parent's children.
func (s *simplex) unlink(v int32) {
	p := s.parent[v]
	if s.prev[v] >= 0 {
		s.next[s.prev[v]] = s.next[v]
	} else {
		s.first[p] = s.next[v]
	}
	if s.next[v] >= 0 {
		s.prev[s.next[v]] = s.prev[v]
	}
	s.next[v], s.prev[v] = -1, -1
}

// recompute sets the potentials and depths of the subtree below from
// from its own. Potentials are shifted subtree by subtree during the
// pivots; rebuilding them from the root now and then keeps rounding from
// piling up.
func (s *simplex) recompute(from int32) {
	first, next, pred, src := s.first, s.next, s.pred, s.src
	cp, cs, pip, pis, depth := s.cp, s.cs, s.pip, s.pis, s.depth
	stack := append(s.stack[:0], from)
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
	s.stack = stack
}

// rebuild lists the candidate arcs: those that violate optimality now.
// Pricing searches them in blocks (as in LEMON); when none is left a full
// scan rebuilds the list, and an empty list proves optimality. Most arcs
// never become candidates again, so the blocks are searched among few arcs.
func (s *simplex) rebuild() {
	state, src, dst, cp, cs, pip, pis := s.state, s.src, s.dst, s.cp, s.cs, s.pip, s.pis
	epsP, epsS := s.epsP, s.epsS
	active := s.active[:0]
	for a := 0; a < s.m; a++ {
		st := state[a]
		if st == inTree {
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
	s.active = active
}

// iterate pivots until no arc can enter the tree, and returns the number
// of pivots.
func (s *simplex) iterate(ctx context.Context) (int, error) {
	pivots := 0
	for {
		enter := s.price()
		if enter < 0 {
			s.rebuild()
			s.cursor = 0
			if len(s.active) == 0 {
				break
			}
			continue
		}
		pivots++
		if pivots&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return pivots, err
			}
			s.recompute(int32(s.root))
		}
		if err := s.pivot(enter); err != nil {
			return pivots, err
		}
	}
	s.recompute(int32(s.root))
	return pivots, nil
}

// price returns the entering arc: the lexicographically most negative
// reduced cost in the first block of candidates that holds one, -1 when no
// candidate is left.
func (s *simplex) price() int {
	state, src, dst, cp, cs, pip, pis := s.state, s.src, s.dst, s.cp, s.cs, s.pip, s.pis
	active := s.active
	epsP, epsS := s.epsP, s.epsS
	enter := -1
	var bestP, bestS float64
	na := len(active)
	block := int(math.Sqrt(float64(na)))
	if block < 10 {
		block = 10
	}
	scanned, cursor := 0, s.cursor
	for scanned < na {
		for i := 0; i < block && scanned+i < na; i++ {
			k := cursor + i
			if k >= na {
				k -= na
			}
			a := int(active[k])
			st := state[a]
			if st == inTree {
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
	s.cursor = cursor
	return enter
}

// pivot sends flow round the cycle the entering arc closes and exchanges
// it with the leaving arc in the tree.
func (s *simplex) pivot(enter int) error {
	// The pivot cycle: flow goes from fst to snd along the entering arc,
	// up from snd to the apex and down from the apex to fst.
	fst, snd := s.src[enter], s.dst[enter]
	if s.state[enter] == atUpper {
		fst, snd = snd, fst
	}
	apex := s.apex(fst, snd)
	delta, leave, leaveFirst := s.leaving(enter, fst, snd, apex)
	if math.IsInf(delta, 1) {
		return ErrUnbounded
	}
	if delta > 0 {
		s.push(enter, fst, snd, apex, delta)
	}
	if leave == int32(enter) {
		// A bounded arc moves from one bound to the other.
		if s.state[enter] == atLower {
			s.state[enter] = atUpper
			s.flow[enter] = s.capa[enter]
		} else {
			s.state[enter] = atLower
			s.flow[enter] = 0
		}
		return nil
	}
	s.exchange(enter, leave, leaveFirst, fst, snd)
	return nil
}

// apex returns the nearest common ancestor of a and b.
func (s *simplex) apex(a, b int32) int32 {
	depth, parent := s.depth, s.parent
	for a != b {
		if depth[a] > depth[b] {
			a = parent[a]
		} else if depth[b] > depth[a] {
			b = parent[b]
		} else {
			a, b = parent[a], parent[b]
		}
	}
	return a
}

// leaving returns the flow the cycle can carry and the leaving arc: the
// last blocking arc in cycle order from the apex, which keeps the tree
// strongly feasible. leaveFirst says it is on the fst side.
func (s *simplex) leaving(enter int, fst, snd, apex int32) (delta float64, leave int32, leaveFirst bool) {
	src, dst, capa, flow, pred, parent, epsF := s.src, s.dst, s.capa, s.flow, s.pred, s.parent, s.epsF
	delta, leave = math.Inf(1), -1
	// fst side, walked up from fst: the last blocking arc in cycle order
	// is the one nearest fst, so keep the first strict minimum.
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
		if s.state[enter] == atLower {
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
	return delta, leave, leaveFirst
}

// push sends delta round the cycle.
func (s *simplex) push(enter int, fst, snd, apex int32, delta float64) {
	src, dst, flow, pred, parent := s.src, s.dst, s.flow, s.pred, s.parent
	if s.state[enter] == atLower {
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

// exchange puts the entering arc in the tree in place of the leaving one:
// the subtree the leaving arc hangs is re-hung below the other end of the
// entering arc, reversing the path from the entering node to the subtree's
// root, and its potentials and depths are updated.
func (s *simplex) exchange(enter int, leave int32, leaveFirst bool, fst, snd int32) {
	src, dst, capa, flow, state, parent, pred := s.src, s.dst, s.capa, s.flow, s.state, s.parent, s.pred
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
	if f := flow[leave]; f <= s.epsF || capa[leave]-f > s.epsF {
		state[leave] = atLower
		flow[leave] = 0
	} else {
		state[leave] = atUpper
		flow[leave] = capa[leave]
	}
	state[enter] = inTree

	newPar, newPred, v := uout, int32(enter), uin
	for {
		oldPar, oldPred := parent[v], pred[v]
		s.unlink(v)
		s.link(v, newPar)
		pred[v] = newPred
		if v == q {
			break
		}
		newPar, newPred, v = v, oldPred, oldPar
	}
	// Potentials and depths of the moved subtree.
	e := int32(enter)
	if src[e] == uin { // uin → uout
		s.pip[uin] = s.pip[uout] - s.cp[e]
		s.pis[uin] = s.pis[uout] - s.cs[e]
	} else {
		s.pip[uin] = s.pip[uout] + s.cp[e]
		s.pis[uin] = s.pis[uout] + s.cs[e]
	}
	s.depth[uin] = s.depth[uout] + 1
	s.recompute(uin)
}

// keep checks that no artificial arc carries flow and keeps the flows,
// cleaned of rounding at their bounds, and the potentials relative to the
// root, which the artificial arcs tie to every component at zero flow.
func (g *Network) keep(s *simplex, pivots int) error {
	n, m := s.n, s.m
	for v := 0; v < n; v++ {
		if s.flow[m+v] > s.epsF*float64(n+1) {
			return ErrInfeasible
		}
	}
	g.flow = s.flow[:m:m]
	for e := range g.flow {
		if g.flow[e] < s.epsF {
			g.flow[e] = 0
		} else if !math.IsInf(s.capa[e], 1) && s.capa[e]-g.flow[e] < s.epsF {
			g.flow[e] = s.capa[e]
		}
	}
	g.pip = s.pip[:n:n]
	g.pis = s.pis[:n:n]
	g.pivots = pivots
	return nil
}

// Basis is a copy of the spanning tree and flow of a network's optimum,
// from which a later Resolve of the same network may start (LoadBasis).
type Basis struct {
	flow                []float64
	state               []int8
	parent, pred, depth []int32
	first, next, prev   []int32
}

// SaveBasis returns a copy of the optimal tree of the last Solve or
// Resolve, nil when KeepBasis was not called or the last solve did not
// end at an optimum.
func (g *Network) SaveBasis() *Basis {
	s := g.basis
	if s == nil || !g.keepBasis {
		return nil
	}
	return &Basis{flow: slices.Clone(s.flow), state: slices.Clone(s.state),
		parent: slices.Clone(s.parent), pred: slices.Clone(s.pred), depth: slices.Clone(s.depth),
		first: slices.Clone(s.first), next: slices.Clone(s.next), prev: slices.Clone(s.prev)}
}

// LoadBasis makes the next Resolve start from a tree SaveBasis returned
// for this network, whose supplies and capacities must not have changed
// since (its costs may have): a search that re-solves a network under
// changes of a few costs can start each change from the optimum it
// derives from. It reports false, and changes nothing, when there is no
// solve of the network to reuse (KeepBasis was not called, or no Solve
// ran) or b is nil or from a network of another size. The results of the
// last solve (flows, potentials, objective) are to be read before: they
// share the tree's memory.
func (g *Network) LoadBasis(b *Basis) bool {
	s := g.basis
	if s == nil {
		s = g.spare
	}
	if s == nil || !g.keepBasis || b == nil || len(b.state) != len(s.state) || len(b.parent) != len(s.parent) {
		return false
	}
	copy(s.flow, b.flow)
	copy(s.state, b.state)
	copy(s.parent, b.parent)
	copy(s.pred, b.pred)
	copy(s.depth, b.depth)
	copy(s.first, b.first)
	copy(s.next, b.next)
	copy(s.prev, b.prev)
	g.basis, g.spare = s, nil
	return true
}
