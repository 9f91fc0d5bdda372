package pool

import (
	"container/heap"
	"context"
	"math"
	"sort"

	"github.com/gstplan/gst/allocate/internal/netflow"
)

// The root relaxation of the search over moves charges a move's fixed cost
// in proportion to the share it carries of its capacity; at national scale
// its bound sits a few per cent below the plans, most of it the fixed cost
// of moves that split a home's staff or a host's arrivals. clusterBound
// lifts it by a Lagrangian relaxation solved exactly in small pieces.
//
// For every flow x of the root's network that keeps its primary cost
// (the weighted unmet need and hard rules, on the relaxation's optimal
// face) and every choice y of open moves, with the relaxation's optimum x*
// and reduced costs c̄ (lexicographic: arcs with a primary reduced cost keep
// their flow on the face),
//
//	cost(x, y) = S* + Σ_e c̄_e (x_e − x*_e) + Σ_a F (y_a − x_a / u_a),
//
// where S* is the root's secondary value, u_a a move's capacity and every
// term is non-negative. Dropping the balance of some nodes only lowers the
// least value of the right-hand side, which then splits into independent
// pieces: the cells that the relaxation's moves connect form clusters, the
// balance of every other node is dropped, an arc between two clusters
// counts half in each, and each cluster is a small fixed-charge problem
// whose least value (proven by a branch and bound like the search over
// moves) adds to S*. Any partition of the cells into groups gives a bound
// this way; a cluster too large for its branch and bound to finish is
// split into groups of a few cells (groupCells), small enough to solve
// exactly (a search stopped by its node limit gives its least open bound).
// A piece's search leaves out the moves another move between the same two
// nodes dominates (piece.reduced).
// A piece's network is built once and each node of its branch and bound
// re-solves it from the last optimal tree, the moves' states set by costs
// alone (pieceNet), which makes a node a few pivots rather than a new
// network.
// Moves whose least cost in the identity exceeds what a cluster could gain
// are left out of its piece, and the piece's value is then the smaller of
// its optimum and that least cost.

// clusterMaxNodes bounds the branch and bound of one cluster, and
// clusterMaxWork the work of all the clusters of a category (for each
// re-solve of a piece's network, its pivots and its nodes). They are
// variables for the tests.
var (
	clusterMaxNodes          = 400
	clusterMaxWork   int64   = 3_000_000
	clusterRoomFixed float64 = 1
	// clusterWidenFixed is the least cost, in fixed costs, below which
	// the moves left out of a piece whose value they cap are brought in
	// (0: never).
	clusterWidenFixed float64 = 3
	// pieceSuggest tries the plan the pieces' best choices suggest.
	pieceSuggest = true
	// pieceDominance leaves out of a piece's search the moves another
	// move dominates (see piece.reduced).
	pieceDominance = true
	// clusterWholeCells is the largest cluster (in cells) kept whole;
	// larger ones are split into groups of clusterSplitCells cells.
	clusterWholeCells = 12
	clusterSplitCells = 5
)

// piece is a cluster's fixed-charge problem: a small network on reduced
// costs, its moves, and what it gains at least.
type piece struct {
	nodes  int
	supply []float64
	arcs   []pieceArc
	// cut is the least cost of using a move left out of the piece, and
	// out lists those moves with that cost.
	cut float64
	out []pieceOut
	// leaf says, by arc, whether the best choice of moves its branch and
	// bound found uses the arc (nil when it found none).
	leaf []bool
}

// pieceOut is a move left out of a piece, and the least cost of using it.
type pieceOut struct {
	arc   pieceArc
	least float64
}

// value returns the least value of a piece as solve does; when the moves
// left out cap it, the piece is solved again with those whose least cost
// is below widenAt brought in (none when widenAt is 0), and the larger of
// the two values, both bounds, is returned, with the work.
func (pc *piece) value(ctx context.Context, maxNodes int, widenAt float64) (float64, int64) {
	v, w := pc.solve(ctx, maxNodes)
	if widenAt > 0 && v >= pc.cut-1e-9*math.Max(1, pc.cut) && pc.widen(widenAt) && ctx.Err() == nil {
		v2, w2 := pc.solve(ctx, maxNodes)
		w += w2
		v = math.Max(v, v2)
	}
	return v, w
}

// widen brings into the piece the moves left out whose least cost is
// below limit; it reports whether there were any.
func (pc *piece) widen(limit float64) bool {
	keep := pc.out[:0]
	cut, moved := math.Inf(1), false
	for _, o := range pc.out {
		if o.least < limit {
			pc.arcs = append(pc.arcs, o.arc)
			moved = true
			continue
		}
		keep = append(keep, o)
		cut = math.Min(cut, o.least)
	}
	pc.out, pc.cut = keep, cut
	return moved
}

// pieceArc is an arc of a piece: reduced costs scaled by the share of the
// arc the piece counts, and for a move its fixed cost (scaled), capacity
// and smallest size.
type pieceArc struct {
	from, to int32
	capU     float64
	cp, cs   float64
	move     bool
	fixed    float64
	low      float64
	flow0    float64 // the root's flow
	pair     int32   // a move's pair
}

// clusterBound returns how much the pieces lift the root's secondary bound
// (zero or more), the work it took, and the moves of a plan the pieces
// suggest (sorted; nil for none): the root's moves, less those that the
// best choices of the pieces that hold them close, plus those that some
// piece opens (a Lagrangian heuristic).
func (ms *moveSearch) clusterBound(cf *catNet) (float64, int64, []int32) {
	if ms.fixed <= 0 && ms.low <= 0 {
		return 0, 0, nil
	}
	pieces := ms.pieces(cf)
	// Small pieces first: they prove most for their work.
	sort.SliceStable(pieces, func(a, b int) bool { return len(pieces[a].arcs) < len(pieces[b].arcs) })
	gain, work := 0.0, int64(0)
	for _, pc := range pieces {
		if work >= clusterMaxWork || ms.s.ctx.Err() != nil {
			break
		}
		v, w := pc.value(ms.s.ctx, clusterMaxNodes, clusterWidenFixed*ms.fixed)
		work += w
		gain += v
	}
	return gain, work, ms.suggest(cf, pieces)
}

// suggest returns the moves of the plan the pieces' best choices make
// (see clusterBound), nil when they change nothing.
func (ms *moveSearch) suggest(cf *catNet, pieces []*piece) []int32 {
	opened, closed := map[int32]bool{}, map[int32]bool{}
	for _, pc := range pieces {
		for j, a := range pc.arcs {
			switch {
			case pc.leaf == nil || !a.move:
			case pc.leaf[j]:
				opened[a.pair] = true
			default:
				closed[a.pair] = true
			}
		}
	}
	var out []int32
	changed := false
	for i := range cf.mvArc {
		pr := cf.mvPair[i]
		used := cf.moveUnits(i) > 1e-9
		keep := opened[pr] || used && !closed[pr]
		if keep != used {
			changed = true
		}
		if keep {
			out = append(out, pr)
		}
	}
	if !changed {
		return nil
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

// pieces builds the clusters' problems from the solved root.
func (ms *moveSearch) pieces(cf *catNet) []*piece {
	g := cf.g
	cells := cf.cells
	// Clusters: the cells the root's moves connect.
	parent := make([]int32, len(cells))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	local := make(map[int32]int32, len(cells))
	for j, c := range cells {
		local[c] = int32(j)
	}
	used := make([]bool, len(cf.mvArc))
	for i, a := range cf.mvArc {
		used[i] = g.Flow(int(a)) > 1e-9
	}
	ms.groupCells(cf, used, local, parent, find)
	// The cluster of every node: the cluster of its cell when that cell
	// has a move, -1 (dropped) otherwise.
	hasMove := make([]bool, len(cells))
	for i := range cf.mvArc {
		if used[i] {
			hasMove[local[cf.mvFrom[i]]] = true
			hasMove[local[cf.mvTo[i]]] = true
		}
	}
	clusterOf := map[int32]int{}
	var roots []int32
	nodeCluster := make([]int, g.Nodes())
	for v := range nodeCluster {
		nodeCluster[v] = -1
	}
	cellOfNode := ms.nodeCells(cf, local)
	for v, j := range cellOfNode {
		if j < 0 || !hasMove[j] {
			continue
		}
		r := find(j)
		k, ok := clusterOf[r]
		if !ok {
			k = len(roots)
			clusterOf[r] = k
			roots = append(roots, r)
		}
		nodeCluster[v] = k
	}
	moveIx := make(map[int32]int, len(cf.mvArc))
	for i, a := range cf.mvArc {
		moveIx[a] = i
	}
	pcs := make([]*piece, len(roots))
	local2 := make([]int32, g.Nodes()) // node → index in its piece
	for k := range pcs {
		pcs[k] = &piece{cut: math.Inf(1)}
	}
	for v, k := range nodeCluster {
		if k >= 0 {
			local2[v] = int32(len(pcs[k].supply))
			pcs[k].supply = append(pcs[k].supply, g.Supply(v))
		}
	}
	// What a cluster could gain at most: the fixed cost its moves leave
	// unpaid in the relaxation (and their smallest sizes' travel).
	room := make([]float64, len(pcs))
	for i, a := range cf.mvArc {
		if !used[i] {
			continue
		}
		x := g.Flow(int(a))
		k := nodeCluster[cf.qNode[local[cf.mvTo[i]]]]
		room[k] += ms.fixed*(1-x/cf.mvCap[i]) + math.Max(0, ms.low-x)*ms.unitCost(cf, i)
	}
	// A piece gains at most its room; its moves that would cost more than
	// clusterRoomFixed fixed costs once used stay out (its value is then
	// capped by their least cost): fewer arcs, so that more pieces are
	// solved within the budget.
	for k := range room {
		room[k] = math.Min(room[k], clusterRoomFixed*ms.fixed+1e-9)
	}
	for a := 0; a < g.Arcs(); a++ {
		ms.addPieceArc(cf, pcs, nodeCluster, local2, moveIx, room, used, a)
	}
	// The dropped nodes of a piece are one node that takes what its own
	// nodes supply.
	var out []*piece
	for k, pc := range pcs {
		total := 0.0
		for _, b := range pc.supply {
			total += b
		}
		pc.supply = append(pc.supply, -total)
		pc.nodes = len(pc.supply)
		if room[k] > 1e-9 {
			out = append(out, pc)
		}
	}
	return out
}

// groupCells joins the cells the root's moves connect into groups (by
// parent, a union-find forest): a cluster of at most clusterWholeCells
// cells is one group; a larger one, whose piece would be too large to
// solve, is split into groups of at most clusterSplitCells cells, joined
// along its moves in the order of the fixed cost the relaxation leaves
// unpaid (most first, ties by index), so that the moves that leave most
// stay inside a group. A move between two groups counts half in each.
func (ms *moveSearch) groupCells(cf *catNet, used []bool, local map[int32]int32, parent []int32, find func(int32) int32) {
	size := make([]int, len(parent))
	join := func(i int, limit int) {
		x, y := find(local[cf.mvFrom[i]]), find(local[cf.mvTo[i]])
		if x != y && size[x]+size[y] <= limit {
			r, o := min(x, y), max(x, y)
			parent[o] = r
			size[r] += size[o]
		}
	}
	reset := func() {
		for j := range parent {
			parent[j], size[j] = int32(j), 1
		}
	}
	reset()
	var order []int
	for i := range cf.mvArc {
		if used[i] {
			order = append(order, i)
			join(i, len(parent))
		}
	}
	whole := make([]bool, len(parent)) // by cell: its cluster stays whole
	for j := range parent {
		whole[j] = size[find(int32(j))] <= clusterWholeCells
	}
	unpaid := func(i int) float64 { return 1 - cf.g.Flow(int(cf.mvArc[i]))/cf.mvCap[i] }
	sort.SliceStable(order, func(a, b int) bool { return unpaid(order[a]) > unpaid(order[b]) })
	reset()
	for _, i := range order {
		if whole[local[cf.mvFrom[i]]] {
			join(i, len(parent))
		} else {
			join(i, clusterSplitCells)
		}
	}
}

// nodeCells returns, by node of a category's network, the local index of
// its cell (-1 for the idle node).
func (ms *moveSearch) nodeCells(cf *catNet, local map[int32]int32) []int32 {
	out := make([]int32, cf.g.Nodes())
	for i := range out {
		out[i] = -1
	}
	for j := range cf.cells {
		out[cf.qNode[j]] = int32(j)
		out[cf.pNode[j]] = int32(j)
	}
	for i, a := range cf.mvArc {
		from, _, _ := cf.g.Arc(int(a))
		out[from] = local[cf.mvFrom[i]]
	}
	return out
}

// unitCost is the secondary cost of a unit of candidate move i without its
// fixed cost.
func (ms *moveSearch) unitCost(cf *catNet, i int) float64 {
	return ms.in.sessionCost(ms.cat, &cf.pairs[cf.mvPair[i]]) * ms.in.opt.SessionsPerFTE / ms.in.scale
}

// addPieceArc adds arc a of the root's network to the pieces it touches:
// whole to the piece of its cluster, or half to each of two clusters it
// joins; an end in no cluster goes to the piece's dropped node. A move the
// relaxation leaves unused whose least cost in the identity is at least
// what the piece could gain stays out, and caps the piece's value instead;
// one off the primary face (a primary reduced cost) is never used there.
func (ms *moveSearch) addPieceArc(cf *catNet, pcs []*piece, nodeCluster []int, local2 []int32, moveIx map[int32]int, room []float64, used []bool, a int) {
	g := cf.g
	u, v, capU := g.Arc(a)
	cu, cv := nodeCluster[u], nodeCluster[v]
	if cu < 0 && cv < 0 {
		return
	}
	rp, rs := g.Reduced(a)
	i, isMove := moveIx[int32(a)]
	targets := []int{cu}
	share := 1.0
	switch {
	case cu < 0:
		targets = []int{cv}
	case cv >= 0 && cv != cu:
		targets = []int{cu, cv}
		share = 0.5
	}
	for _, k := range targets {
		pc := pcs[k]
		dropped := int32(len(pc.supply)) // the dropped node comes after the piece's own
		from, to := dropped, dropped
		if cu == k {
			from = local2[u]
		}
		if cv == k {
			to = local2[v]
		}
		arc := pieceArc{from: from, to: to, capU: capU, cp: share * rp, cs: share * rs, flow0: g.Flow(a), pair: -1}
		if isMove {
			arc.move, arc.fixed, arc.low, arc.pair = true, share*ms.fixed, ms.low, cf.mvPair[i]
			if !used[i] {
				if rp > 0 {
					continue // off the face
				}
				least := share * math.Max(0, math.Min(ms.fixed+math.Max(ms.low, 1e-9)*(rs-ms.fixed/capU), rs*capU))
				if least >= room[k] {
					pc.cut = math.Min(pc.cut, least)
					pc.out = append(pc.out, pieceOut{arc: arc, least: least})
					continue
				}
			}
		}
		pc.arcs = append(pc.arcs, arc)
	}
}

// pieceNet is a piece's network, built once and re-solved from its last
// tree as the branch and bound over its moves sets their states by costs
// alone. A move with a smallest size is two parallel arcs, its twin
// carrying up to the smallest size and the other the rest of its
// capacity. A closed arc costs closedP on the primary side, which the
// relaxation never pays on a node it keeps (a closed move closes both);
// a free move's two arcs cost what the move does; an open move pays its
// fixed cost whole, and its twin, at primary cost −closedP, carries the
// smallest size whenever the piece can route it (a node whose twins do
// not all fill is infeasible). Each node's relaxation is then the same as
// with the smallest sizes shifted into the supplies.
type pieceNet struct {
	pc      *piece
	g       *netflow.Network
	idx     []int // by piece arc: its arc in g
	twin    []int // by piece arc: the twin of a move, -1 for none
	closedP float64
	tolP    float64
	pivots  int64
}

// newPieceNet builds the network of a piece, every move free.
func newPieceNet(pc *piece) *pieceNet {
	maxP := 0.0
	for _, a := range pc.arcs {
		maxP = math.Max(maxP, math.Abs(a.cp))
	}
	pn := &pieceNet{pc: pc, g: netflow.New(pc.nodes, 2*len(pc.arcs)), idx: make([]int, len(pc.arcs)), twin: make([]int, len(pc.arcs)),
		tolP: 1e-7 * math.Max(1, maxP)}
	// Closing an arc costs more on the primary side than any cycle of the
	// piece's other arcs (at most one arc per node) can save there.
	pn.closedP = 2 * (1 + maxP) * (1 + float64(pc.nodes))
	for v, b := range pc.supply {
		pn.g.SetSupply(v, b)
	}
	for j, a := range pc.arcs {
		pn.twin[j] = -1
		if a.move && a.low > 0 {
			pn.idx[j] = pn.g.AddArc(int(a.from), int(a.to), math.Max(0, a.capU-a.low), a.cp, a.cs)
			pn.twin[j] = pn.g.AddArc(int(a.from), int(a.to), math.Min(a.low, a.capU), a.cp, a.cs)
			continue
		}
		pn.idx[j] = pn.g.AddArc(int(a.from), int(a.to), a.capU, a.cp, a.cs)
	}
	pn.g.KeepBasis()
	return pn
}

// eval solves the piece with its moves in the given states (dense, by
// piece arc) and returns its value and the free move to branch on (-1
// for none); ok is false when the piece cannot keep the states.
func (pn *pieceNet) eval(ctx context.Context, state []moveState) (s float64, pick int, ok bool) {
	pc, g := pn.pc, pn.g
	constS := 0.0
	for j, a := range pc.arcs {
		constS -= a.cs * a.flow0
		if !a.move {
			continue
		}
		cp, cs, tp := a.cp, a.cs, a.cp
		switch state[j] {
		case moveClosed:
			cp, tp = pn.closedP, pn.closedP
		case moveOpen:
			cs -= a.fixed / a.capU
			constS += a.fixed
			tp = a.cp - pn.closedP
		}
		g.SetCost(pn.idx[j], cp, cs)
		if t := pn.twin[j]; t >= 0 {
			g.SetCost(t, tp, cs)
		}
	}
	err := g.Resolve(ctx)
	pn.pivots += int64(g.Pivots() + g.Nodes())
	if err != nil {
		return 0, -1, false
	}
	p, s := g.Objective()
	constP := 0.0
	for j, a := range pc.arcs {
		constP -= a.cp * a.flow0
		if t := pn.twin[j]; t >= 0 && state[j] == moveOpen {
			constP += pn.closedP * math.Min(a.low, a.capU)
		}
	}
	if p+constP > pn.tolP {
		return 0, -1, false // a closed arc carries staff, an open move lacks its smallest size, or off the face
	}
	s += constS
	pick, worst := -1, 0.0
	for j, a := range pc.arcs {
		if !a.move || state[j] != moveFree {
			continue
		}
		x := g.Flow(pn.idx[j])
		if t := pn.twin[j]; t >= 0 {
			x += g.Flow(t)
		}
		if x <= 1e-9 {
			continue
		}
		e := 0.0
		if a.fixed > 0 && x < a.capU-1e-9 {
			e += a.fixed * (1 - x/a.capU)
		}
		if x < a.low-1e-9 {
			e += a.low - x
		}
		if e > worst+1e-12 {
			pick, worst = j, e
		}
	}
	return s, pick, true
}

// solve returns the least value of a piece (at most its cut), proven by a
// branch and bound over its moves within maxNodes nodes, and the work
// (the pivots of its re-solves and the nodes of its network for each).
func (pc *piece) solve(ctx context.Context, maxNodes int) (float64, int64) {
	sub, idx := pc.reduced()
	if sub == pc {
		return pc.search(ctx, maxNodes)
	}
	v, w := sub.search(ctx, maxNodes)
	if sub.leaf != nil {
		pc.leaf = make([]bool, len(pc.arcs))
		for j, used := range sub.leaf {
			pc.leaf[idx[j]] = used
		}
	}
	return v, w
}

// reduced returns the piece without the moves that another move of the
// piece dominates below its cap (see dominates), and by arc of the
// reduced piece its arc in pc; pc itself when none is dominated. The
// dominating move is never one left out.
func (pc *piece) reduced() (*piece, []int) {
	if !pieceDominance || math.IsInf(pc.cut, 1) {
		return pc, nil
	}
	drop := make([]bool, len(pc.arcs))
	dropped := 0
	type ends struct{ from, to int32 }
	groups := map[ends][]int{}
	var order []ends
	for j := range pc.arcs {
		if a := &pc.arcs[j]; a.move && a.flow0 <= 1e-9 && a.cp == 0 {
			k := ends{a.from, a.to}
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], j)
		}
	}
	for _, k := range order {
		g := groups[k]
		// The cheapest moves to use first, so that they are the ones
		// kept (ties by arc).
		sort.SliceStable(g, func(x, y int) bool { return pc.arcs[g[x]].least() < pc.arcs[g[y]].least() })
		var kept []int
		for _, c := range g {
			for _, b := range kept {
				if pc.dominates(b, c) {
					drop[c] = true
					dropped++
					break
				}
			}
			if !drop[c] {
				kept = append(kept, c)
			}
		}
	}
	if dropped == 0 {
		return pc, nil
	}
	sub := &piece{nodes: pc.nodes, supply: pc.supply, cut: pc.cut}
	idx := make([]int, 0, len(pc.arcs)-dropped)
	for j, a := range pc.arcs {
		if !drop[j] {
			sub.arcs = append(sub.arcs, a)
			idx = append(idx, j)
		}
	}
	return sub, idx
}

// least is the least that a move the root does not use adds to a piece's
// value once open (each term of the identity is non-negative): its
// reduced cost per unit and the share of its fixed cost the relaxation
// does not charge, at its smallest size or at its capacity.
func (a *pieceArc) least() float64 {
	return math.Min(a.term(math.Max(a.low, 0)), a.term(a.capU))
}

// term is what an open move the root does not use adds to a piece's value
// when it carries x.
func (a *pieceArc) term(x float64) float64 {
	return a.cs*x + a.fixed*(1-x/a.capU)
}

// dominates reports whether move b of a piece may take the place of move c
// in every choice of moves whose value is below the piece's cap: both run
// between the same nodes, unused at the root and on its primary face; b
// carries whatever c can (its smallest size no larger, its capacity no
// smaller) at no greater cost at c's smallest size and capacity (the cost
// is linear in between); and using both costs at least the cap, so that
// such a choice opens at most one of them. A choice that opens c but not
// b then costs no less than the one that moves c's staff onto b.
func (pc *piece) dominates(b, c int) bool {
	ab, ac := &pc.arcs[b], &pc.arcs[c]
	lo := math.Max(ac.low, 0)
	tol := 1e-9 * math.Max(1, pc.cut)
	return ab.low <= ac.low && ab.capU >= ac.capU &&
		ab.term(lo) <= ac.term(lo)+tol && ab.term(ac.capU) <= ac.term(ac.capU)+tol &&
		ab.least()+ac.least() >= pc.cut+tol
}

// search is solve on the piece as it is.
func (pc *piece) search(ctx context.Context, maxNodes int) (float64, int64) {
	best := pc.cut
	pn := newPieceNet(pc)
	state := make([]moveState, len(pc.arcs))
	eval := func(st map[int]moveState) (float64, int, bool) {
		clear(state)
		for j, v := range st {
			state[j] = v
		}
		return pn.eval(ctx, state)
	}
	q := &pieceQueue{}
	rs, pick, ok := eval(map[int]moveState{})
	if !ok {
		return 0, pn.pivots // off the face: nothing to prove here
	}
	if pick < 0 {
		if rs < best {
			pc.leaf = pn.used()
		}
		return math.Max(0, math.Min(best, rs)), pn.pivots
	}
	rootTree := pn.g.SaveBasis()
	// A first value to prune with: the moves the relaxation uses open,
	// the others closed.
	{
		lead := map[int]moveState{}
		for j, a := range pc.arcs {
			if !a.move {
				continue
			}
			x := pn.g.Flow(pn.idx[j])
			if t := pn.twin[j]; t >= 0 {
				x += pn.g.Flow(t)
			}
			lead[j] = moveClosed
			if x > 1e-9 {
				lead[j] = moveOpen
			}
		}
		if v, _, ok := eval(lead); ok && v < best {
			best, pc.leaf = v, pn.used()
		}
	}
	heap.Push(q, &pieceNode{state: map[int]moveState{}, s: rs, pick: pick, tree: rootTree})
	nodes, seq := 1, 0
	for q.Len() > 0 {
		nd := q.nodes[0]
		if nd.s >= best-1e-9*math.Max(1, math.Abs(best)) {
			break
		}
		if nodes >= maxNodes || ctx.Err() != nil {
			return math.Max(0, math.Min(best, nd.s)), pn.pivots
		}
		heap.Pop(q)
		for _, st := range [...]moveState{moveOpen, moveClosed} {
			child := make(map[int]moveState, len(nd.state)+1)
			for k, v := range nd.state {
				child[k] = v
			}
			child[nd.pick] = st
			nodes++
			// Each child starts from its parent's optimum: one move's
			// costs differ.
			pn.g.LoadBasis(nd.tree)
			cs, cpick, ok := eval(child)
			if !ok || cs >= best {
				continue
			}
			if cpick < 0 {
				best, pc.leaf = cs, pn.used()
				continue
			}
			seq++
			heap.Push(q, &pieceNode{state: child, s: cs, pick: cpick, seq: seq, tree: pn.g.SaveBasis()})
		}
	}
	if math.IsInf(best, 1) {
		return 0, pn.pivots
	}
	return math.Max(0, best), pn.pivots
}

// used says, by piece arc, whether the last solve's flow uses it.
func (pn *pieceNet) used() []bool {
	out := make([]bool, len(pn.pc.arcs))
	for j := range out {
		x := pn.g.Flow(pn.idx[j])
		if t := pn.twin[j]; t >= 0 {
			x += pn.g.Flow(t)
		}
		out[j] = x > 1e-9
	}
	return out
}

type pieceNode struct {
	tree  *netflow.Basis // the optimum of its relaxation
	state map[int]moveState
	s     float64
	pick  int
	seq   int
}

type pieceQueue struct{ nodes []*pieceNode }

func (q *pieceQueue) Len() int { return len(q.nodes) }
func (q *pieceQueue) Less(i, j int) bool {
	if q.nodes[i].s != q.nodes[j].s {
		return q.nodes[i].s < q.nodes[j].s
	}
	return q.nodes[i].seq < q.nodes[j].seq
}
func (q *pieceQueue) Swap(i, j int) { q.nodes[i], q.nodes[j] = q.nodes[j], q.nodes[i] }
func (q *pieceQueue) Push(x any)    { q.nodes = append(q.nodes, x.(*pieceNode)) }
func (q *pieceQueue) Pop() any {
	n := q.nodes[len(q.nodes)-1]
	q.nodes = q.nodes[:len(q.nodes)-1]
	return n
}
