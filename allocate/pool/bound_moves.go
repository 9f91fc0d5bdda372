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
// Moves whose least cost in the identity exceeds what a cluster could gain
// are left out of its piece, and the piece's value is then the smaller of
// its optimum and that least cost.

// clusterMaxNodes bounds the branch and bound of one cluster, and
// clusterMaxWork the work of all the clusters of a category (nodes and
// arcs of the networks solved). They are variables for the tests.
var (
	clusterMaxNodes          = 400
	clusterMaxWork   int64   = 3_000_000
	clusterRoomFixed float64 = 1
	// clusterWholeCells is the largest cluster (in cells) kept whole;
	// larger ones are split into groups of clusterSplitCells cells.
	clusterWholeCells = 12
	clusterSplitCells = 3
)

// piece is a cluster's fixed-charge problem: a small network on reduced
// costs, its moves, and what it gains at least.
type piece struct {
	nodes  int
	supply []float64
	arcs   []pieceArc
	// cut is the least cost of using a move left out of the piece.
	cut float64
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
}

// clusterBound returns how much the pieces lift the root's secondary bound
// (zero or more), and the work it took.
func (ms *moveSearch) clusterBound(cf *catNet) (float64, int64) {
	if ms.fixed <= 0 && ms.low <= 0 {
		return 0, 0
	}
	pieces := ms.pieces(cf)
	// Small pieces first: they prove most for their work.
	sort.SliceStable(pieces, func(a, b int) bool { return len(pieces[a].arcs) < len(pieces[b].arcs) })
	gain, work := 0.0, int64(0)
	for _, pc := range pieces {
		if work >= clusterMaxWork || ms.s.ctx.Err() != nil {
			break
		}
		v, w := pc.solve(ms.s.ctx, clusterMaxNodes)
		work += w
		gain += v
	}
	return gain, work
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
		arc := pieceArc{from: from, to: to, capU: capU, cp: share * rp, cs: share * rs, flow0: g.Flow(a)}
		if isMove {
			arc.move, arc.fixed, arc.low = true, share*ms.fixed, ms.low
			if !used[i] {
				if rp > 0 {
					continue // off the face
				}
				least := share * math.Max(0, math.Min(ms.fixed+math.Max(ms.low, 1e-9)*(rs-ms.fixed/capU), rs*capU))
				if least >= room[k] {
					pc.cut = math.Min(pc.cut, least)
					continue
				}
			}
		}
		pc.arcs = append(pc.arcs, arc)
	}
}

// solve returns the least value of a piece (at most its cut), proven by a
// branch and bound over its moves within maxNodes nodes, and the work.
func (pc *piece) solve(ctx context.Context, maxNodes int) (float64, int64) {
	var work int64
	best := pc.cut
	dense := make([]moveState, len(pc.arcs))
	eval := func(st map[int]moveState) (p, s float64, pick int, ok bool) {
		clear(dense)
		for j, v := range st {
			dense[j] = v
		}
		g := netflow.New(pc.nodes, len(pc.arcs))
		sup := append([]float64(nil), pc.supply...)
		idx := make([]int, len(pc.arcs))
		constP, constS := 0.0, 0.0
		for _, a := range pc.arcs {
			constP -= a.cp * a.flow0
			constS -= a.cs * a.flow0
		}
		for j, a := range pc.arcs {
			idx[j] = -1
			state := dense[j]
			if state == moveClosed {
				continue
			}
			capU, cs := a.capU, a.cs
			if a.move && state == moveOpen {
				capU -= a.low
				sup[a.from] -= a.low
				sup[a.to] += a.low
				cs -= a.fixed / a.capU
				constS += a.fixed + a.low*cs
				constP += a.low * a.cp
			}
			idx[j] = g.AddArc(int(a.from), int(a.to), math.Max(capU, 0), a.cp, cs)
		}
		for v, b := range sup {
			g.SetSupply(v, b)
		}
		work += int64(g.Nodes() + g.Arcs())
		if err := g.Solve(ctx); err != nil {
			return 0, 0, -1, false
		}
		p, s = g.Objective()
		p, s = p+constP, s+constS
		pick, worst := -1, 0.0
		for j, a := range pc.arcs {
			if !a.move || idx[j] < 0 || dense[j] == moveOpen {
				continue
			}
			x := g.Flow(idx[j])
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
		return p, s, pick, true
	}
	maxP := 0.0
	for _, a := range pc.arcs {
		maxP = math.Max(maxP, math.Abs(a.cp))
	}
	tolP := 1e-7 * math.Max(1, maxP)
	q := &pieceQueue{}
	rp, rs, pick, ok := eval(map[int]moveState{})
	if !ok {
		return 0, work
	}
	if rp > tolP {
		return 0, work // off the face: nothing to prove here
	}
	if pick < 0 {
		return math.Max(0, math.Min(best, rs)), work
	}
	heap.Push(q, &pieceNode{state: map[int]moveState{}, s: rs, pick: pick})
	nodes, seq := 1, 0
	for q.Len() > 0 {
		nd := q.nodes[0]
		if nd.s >= best-1e-9*math.Max(1, math.Abs(best)) {
			break
		}
		if nodes >= maxNodes || ctx.Err() != nil {
			return math.Max(0, math.Min(best, nd.s)), work
		}
		heap.Pop(q)
		for _, st := range [...]moveState{moveOpen, moveClosed} {
			child := make(map[int]moveState, len(nd.state)+1)
			for k, v := range nd.state {
				child[k] = v
			}
			child[nd.pick] = st
			nodes++
			cp, cs, cpick, ok := eval(child)
			if !ok || cp > tolP || cs >= best {
				continue
			}
			if cpick < 0 {
				best = cs
				continue
			}
			seq++
			heap.Push(q, &pieceNode{state: child, s: cs, pick: cpick, seq: seq})
		}
	}
	if math.IsInf(best, 1) {
		return 0, work
	}
	return math.Max(0, best), work
}

type pieceNode struct {
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
