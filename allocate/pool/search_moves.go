package pool

import (
	"container/heap"
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst/allocate/internal/netflow"
)

// The search over moves bounds its work, so that its answer is the same on
// every machine: moveMaxWork is the sum over the networks it solves of
// their size (nodes and arcs), moveMaxNodes the nodes of its tree, and
// slopeRounds the re-solves of the slope-scaling heuristic. They are
// variables for the tests.
var (
	moveMaxWork  int64 = 150_000
	moveMaxNodes       = 20_000
	slopeRounds        = 12
)

// chargeOut is the answer of the search over the moves of one category.
type chargeOut struct {
	net      *catNet // the plan: every move open, with its smallest size
	p, s     float64 // its values (see catNet.value)
	lbP, lbS float64 // proven lower bounds; lbS only when lbP is p's
	provenP  bool    // lbP is p within the tolerance
	exact    bool    // the plan is proven optimal
	nodes    int
	rootArcs int // candidate moves of the root
}

// moveNode is a node of the search over moves: the moves it decides and
// the bound of its relaxation.
type moveNode struct {
	state map[int32]moveState
	p, s  float64
	pick  int32 // the move to branch on
	seq   int
}

// moveSearch is the state of the search over the moves of one category.
type moveSearch struct {
	s     *solver
	in    *inst
	cat   int32
	sp    flowSpec // the category's spec, without the move rules
	fixed float64  // fixed cost of a move
	low   float64  // smallest size, units

	best         *catNet
	bestP, bestS float64
	rootP, rootS float64 // the root's bound, lifted by the clusters
	// floor is the least bound of the nodes left out within the
	// tolerance of the best plan.
	floorP, floorS float64
	floorSet       bool
	cands          []int32 // the root's candidate moves (pairs), sorted
	queue          nodeQueue
	seq            int
	nodes          int
	work           int64
	seen           map[string]bool // supports already evaluated
	// pool holds every move of the plans tried, for the local search;
	// improveEnd is the work at which the local search stops.
	pool       map[int32]bool
	improveEnd int64
}

// solveCharged solves the flow of a category with move rules (a fixed cost
// or a smallest size per move), a fixed-charge network problem, by a branch
// and bound over the moves on exact flows.
//
// A node's relaxation is a flow: the moves it leaves free pay their fixed
// cost in proportion to the share they carry of the most they carry in
// some optimal plan (chargeMove), which never exceeds the fixed cost they
// would pay; the moves it opens pay it whole and carry at least their
// smallest size; those it closes carry nothing. The root's optimum is a
// proven bound. Plans come from the relaxations' moves: each set of moves,
// all open with their smallest sizes, is solved as a flow (a plan that
// keeps every rule), first those of the root and of a dynamic slope
// scaling (each re-solve from the last optimum's tree charges each move the
// fixed cost spread over the staff it carried), improved by a local
// search that closes, opens and swaps moves (improve), then those of the
// nodes.
// The search branches on the free move the relaxation undercharges most
// (open first), keeps the nodes in best-bound order, prunes those that
// cannot beat the best plan by more than Options.GapTolerance, and stops
// when its work reaches moveMaxWork: the least bound of the nodes left
// is then the category's bound.
func (s *solver) solveCharged(cat int32, sp flowSpec) (*chargeOut, error) {
	in := s.in
	f, l, _ := in.moveRules(cat)
	ms := &moveSearch{s: s, in: in, cat: cat, sp: sp, fixed: f, low: l,
		bestP: math.Inf(1), bestS: math.Inf(1), seen: map[string]bool{}, pool: map[int32]bool{}}
	ms.sp.charge = nil
	out := &chargeOut{}
	root, err := ms.rootAndSlope(out)
	if err != nil || root == nil || ms.best == nil {
		return out, err
	}
	if !ms.gapClosed(root.p, root.s) {
		if err := ms.improve(); err != nil {
			return nil, err
		}
	}
	if err := ms.branch(root); err != nil {
		return nil, err
	}
	return ms.conclude(out), nil
}

// netFor builds the network of a node or of a plan's moves.
func (ms *moveSearch) netFor(cs *chargeSpec) *catNet {
	sp := ms.sp
	sp.charge = cs
	return ms.in.catFlow(ms.cat, &sp)
}

// solveNet solves a network and counts it; it returns false when the
// context stopped it.
func (ms *moveSearch) solveNet(cf *catNet, warm bool) (bool, error) {
	var err error
	if warm {
		err = cf.g.Resolve(ms.s.ctx)
	} else {
		err = cf.g.Solve(ms.s.ctx)
	}
	ms.work += int64(cf.g.Nodes() + cf.g.Arcs())
	if err != nil {
		if ms.s.ctx.Err() != nil {
			return false, nil
		}
		if err == netflow.ErrInfeasible {
			return false, errInfeasibleNode
		}
		return false, fmt.Errorf("allocate: pool: category %q: %w", ms.in.cats[ms.cat].id, err)
	}
	ms.s.count(cf, false)
	return true, nil
}

// errInfeasibleNode marks a node whose open moves cannot all carry their
// smallest size.
var errInfeasibleNode = fmt.Errorf("pool: open moves beyond the spare staff")

// rootAndSlope solves the root relaxation (its bound), then the plans of
// its moves and of the slope-scaling re-solves. It returns the root node,
// nil when the context stopped it.
func (ms *moveSearch) rootAndSlope(out *chargeOut) (*moveNode, error) {
	cf := ms.netFor(&chargeSpec{})
	out.rootArcs = len(cf.mvArc)
	// The nodes' candidates are the root's.
	ms.cands = append([]int32{}, cf.mvPair...)
	sort.Slice(ms.cands, func(a, b int) bool { return ms.cands[a] < ms.cands[b] })
	cf.g.KeepBasis()
	ok, err := ms.solveNet(cf, false)
	if err != nil || !ok {
		return nil, err
	}
	p, s := cf.value()
	root := &moveNode{state: map[int32]moveState{}, p: p, s: s, pick: ms.pickMove(cf)}
	ms.rootP, ms.rootS = p, s
	if root.pick < 0 {
		ms.offer(cf)
		return root, nil
	}
	if err := ms.tryMoves(cf, nil); err != nil {
		return nil, err
	}
	if !ms.gapClosed(root.p, root.s) {
		gain, _, plan := ms.clusterBound(cf)
		root.s += gain
		ms.rootS = root.s
		if plan != nil && pieceSuggest {
			flow := map[int32]float64{}
			for i := range cf.mvArc {
				flow[cf.mvPair[i]] = cf.moveUnits(i)
			}
			if err := ms.tryPairs(plan, flow); err != nil {
				return nil, err
			}
		}
	}
	// Dynamic slope scaling: each move used is charged its fixed cost
	// over the staff it carried; unused moves keep their charge.
	base := make([]float64, len(cf.mvArc))
	sessionsPerUnit := ms.in.opt.SessionsPerFTE / ms.in.scale
	for i := range cf.mvArc {
		base[i] = ms.in.sessionCost(ms.cat, &cf.pairs[cf.mvPair[i]]) * sessionsPerUnit
	}
	prev := supportKey(cf, nil)
	for round := 0; round < slopeRounds && ms.fixed > 0; round++ {
		if ms.gapClosed(root.p, root.s) || ms.work+int64(cf.g.Nodes()+cf.g.Arcs()) > moveMaxWork {
			break
		}
		for i, a := range cf.mvArc {
			if x := cf.g.Flow(int(a)); x > 1e-9 {
				pc, _ := cf.g.Cost(int(a))
				cf.g.SetCost(int(a), pc, base[i]+ms.fixed/x)
			}
		}
		ok, err := ms.solveNet(cf, true)
		if err != nil || !ok {
			return root, err
		}
		key := supportKey(cf, nil)
		if key == prev {
			break
		}
		prev = key
		if err := ms.tryMoves(cf, nil); err != nil {
			return nil, err
		}
	}
	return root, nil
}

// supportKey names the moves a solved network uses, with the node's open
// moves.
func supportKey(cf *catNet, open []int32) string {
	ps := support(cf, open)
	b := make([]byte, 0, 4*len(ps))
	for _, p := range ps {
		b = append(b, byte(p>>24), byte(p>>16), byte(p>>8), byte(p))
	}
	return string(b)
}

// support lists, sorted, the pairs of the moves a solved network uses and
// of the open moves given.
func support(cf *catNet, open []int32) []int32 {
	set := map[int32]bool{}
	for _, p := range open {
		set[p] = true
	}
	for i := range cf.mvArc {
		if cf.moveUnits(i) > 1e-9 {
			set[cf.mvPair[i]] = true
		}
	}
	out := make([]int32, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

// tryMoves solves the plan whose moves are those a solved network uses
// (and the open ones given), each open with its smallest size, and keeps
// it when it is the best so far. Moves that cannot all carry their
// smallest size are thinned: the smallest flows go first (the plan
// without moves always holds).
func (ms *moveSearch) tryMoves(cf *catNet, open []int32) error {
	flow := map[int32]float64{}
	for i := range cf.mvArc {
		flow[cf.mvPair[i]] = cf.moveUnits(i)
	}
	return ms.tryPairs(support(cf, open), flow)
}

// tryPairs solves the plan whose moves are the given pairs (sorted), as
// tryMoves does; flow says what each carried where they were found.
func (ms *moveSearch) tryPairs(pairs []int32, flow map[int32]float64) error {
	for _, p := range pairs {
		ms.pool[p] = true
	}
	for {
		key := string(pairKey(pairs))
		if ms.seen[key] {
			return nil
		}
		ms.seen[key] = true
		plan := ms.netFor(&chargeSpec{pairs: pairs, open: true})
		ok, err := ms.solveNet(plan, false)
		if err == errInfeasibleNode && len(pairs) > 0 {
			pairs = thin(flow, pairs)
			continue
		}
		if err != nil || !ok {
			return err
		}
		ms.offer(plan)
		// Moves the plan leaves at their smallest size may not pay: the
		// plan without them is tried too, once.
		if lean := ms.lean(plan, pairs); lean != nil {
			key := string(pairKey(lean))
			if !ms.seen[key] {
				ms.seen[key] = true
				plan2 := ms.netFor(&chargeSpec{pairs: lean, open: true})
				ok, err := ms.solveNet(plan2, false)
				if err != nil && err != errInfeasibleNode || err == nil && !ok {
					return err
				}
				if err == nil {
					ms.offer(plan2)
				}
			}
		}
		return nil
	}
}

func pairKey(ps []int32) []byte {
	b := make([]byte, 0, 4*len(ps))
	for _, p := range ps {
		b = append(b, byte(p>>24), byte(p>>16), byte(p>>8), byte(p))
	}
	return b
}

// thin drops the move that carries least (by flow) among pairs (ties:
// the last pair).
func thin(flow map[int32]float64, pairs []int32) []int32 {
	drop := 0
	for i, p := range pairs {
		if flow[p] < flow[pairs[drop]] || flow[p] == flow[pairs[drop]] && p > pairs[drop] {
			drop = i
		}
	}
	out := make([]int32, 0, len(pairs)-1)
	return append(append(out, pairs[:drop]...), pairs[drop+1:]...)
}

// lean returns the moves of a plan without those it leaves at their
// smallest size (or empty), nil when there are none.
func (ms *moveSearch) lean(plan *catNet, pairs []int32) []int32 {
	var keep []int32
	dropped := false
	for i := range plan.mvArc {
		if plan.g.Flow(int(plan.mvArc[i])) <= 1e-9 && (ms.fixed > 0 || plan.mvLow[i] > 0) {
			dropped = true
			continue
		}
		keep = append(keep, plan.mvPair[i])
	}
	if !dropped {
		return nil
	}
	if keep == nil {
		keep = []int32{}
	}
	return keep
}

// offer keeps a plan when it beats the best one.
func (ms *moveSearch) offer(plan *catNet) {
	p, s := plan.value()
	if ms.best == nil || ms.better(p, s, ms.bestP, ms.bestS) {
		ms.best, ms.bestP, ms.bestS = plan, p, s
	}
}

// better reports whether (p, s) is lexicographically below (bp, bs) by
// more than rounding.
func (ms *moveSearch) better(p, s, bp, bs float64) bool {
	if p < bp-1e-9*math.Max(1, math.Abs(bp)) {
		return true
	}
	return p <= bp+1e-9*math.Max(1, math.Abs(bp)) && s < bs-1e-9*math.Max(1, math.Abs(bs))
}

// moveAim is the share of Options.GapTolerance a category's search over
// moves aims at: the categories whose work limit stops them short leave
// the others room within the whole plan's tolerance. A variable for the
// tests.
var moveAim = 0.1

// tol is the tolerance within which a value counts as the best.
func (ms *moveSearch) tol(v float64) float64 {
	return moveAim*ms.in.opt.GapTolerance*math.Max(1, math.Abs(v)) + 1e-9
}

// prunable reports whether a node with bound (p, s) cannot beat the best
// plan by more than the tolerance.
func (ms *moveSearch) prunable(p, s float64) bool {
	if ms.best == nil {
		return false
	}
	if p > ms.bestP+ms.tol(ms.bestP) {
		return true
	}
	return p >= ms.bestP-ms.tol(ms.bestP) && s >= ms.bestS-ms.tol(ms.bestS)
}

// gapClosed reports whether the best plan is within the tolerance of the
// bound (p, s).
func (ms *moveSearch) gapClosed(p, s float64) bool { return ms.prunable(p, s) }

// drop leaves a node out of the search, keeping its bound when it could
// still beat the best plan (by less than the tolerance): the search's
// bound is then no higher than it.
func (ms *moveSearch) drop(p, s float64) {
	if ms.best != nil && !ms.better(p, s, ms.bestP, ms.bestS) {
		return
	}
	if !ms.floorSet || ms.better(p, s, ms.floorP, ms.floorS) {
		ms.floorP, ms.floorS, ms.floorSet = p, s, true
	}
}

// branch runs the best-first search from the root.
func (ms *moveSearch) branch(root *moveNode) error {
	ms.nodes = 1
	heap.Push(&ms.queue, root)
	for ms.queue.Len() > 0 {
		nd := ms.queue.nodes[0]
		if ms.prunable(nd.p, nd.s) {
			heap.Pop(&ms.queue)
			ms.drop(nd.p, nd.s)
			continue
		}
		if ms.work >= moveMaxWork || ms.nodes >= moveMaxNodes || ms.s.ctx.Err() != nil {
			return nil
		}
		heap.Pop(&ms.queue)
		pick := nd.pick
		for _, st := range [...]moveState{moveOpen, moveClosed} {
			child := &moveNode{state: make(map[int32]moveState, len(nd.state)+1)}
			for k, v := range nd.state {
				child.state[k] = v
			}
			child.state[pick] = st
			ok, err := ms.solveNode(child)
			if err != nil {
				return err
			}
			switch {
			case !ok:
			case ms.prunable(child.p, child.s):
				ms.drop(child.p, child.s)
			default:
				ms.seq++
				child.seq = ms.seq
				heap.Push(&ms.queue, child)
			}
		}
	}
	return nil
}

// solveNode solves a node's relaxation, sets its bound and offers the plan
// of its moves. It returns false when the node is infeasible, solved
// exactly, or stopped.
func (ms *moveSearch) solveNode(nd *moveNode) (bool, error) {
	ms.nodes++
	cf := ms.netFor(&chargeSpec{state: nd.state, pairs: ms.cands})
	ok, err := ms.solveNet(cf, false)
	if err == errInfeasibleNode {
		return false, nil
	}
	if err != nil || !ok {
		return false, err
	}
	nd.p, nd.s = cf.value()
	nd.pick = ms.pickMove(cf)
	if nd.pick < 0 {
		ms.offer(cf)
		return false, nil
	}
	var open []int32
	for k, v := range nd.state {
		if v == moveOpen {
			open = append(open, k)
		}
	}
	if err := ms.tryMoves(cf, open); err != nil {
		return false, err
	}
	return true, nil
}

// pickMove returns the pair of the free move the relaxation undercharges
// most: the share of its fixed cost it does not pay, and the travel of
// the staff it lacks below its smallest size; -1 when there is none.
func (ms *moveSearch) pickMove(cf *catNet) int32 {
	pick, worst := int32(-1), 0.0
	sessionsPerUnit := ms.in.opt.SessionsPerFTE / ms.in.scale
	for i, a := range cf.mvArc {
		if cf.mvOpen[i] {
			continue
		}
		x := cf.g.Flow(int(a))
		if x <= 1e-9 {
			continue
		}
		capU := cf.mvCap[i]
		e := 0.0
		if ms.fixed > 0 && x < capU-1e-9 {
			e += ms.fixed * (1 - x/capU)
		}
		if x < ms.low-1e-9 {
			t := ms.in.sessionCost(ms.cat, &cf.pairs[cf.mvPair[i]]) * sessionsPerUnit
			e += (ms.low - x) * math.Max(t, 1e-9)
		}
		if e > worst {
			pick, worst = cf.mvPair[i], e
		}
	}
	return pick
}

// conclude gives the best plan with the bounds the search proved.
func (ms *moveSearch) conclude(out *chargeOut) *chargeOut {
	out.net, out.p, out.s = ms.best, ms.bestP, ms.bestS
	out.nodes = ms.nodes
	lbP, lbS := ms.bestP, ms.bestS
	if ms.floorSet && ms.better(ms.floorP, ms.floorS, lbP, lbS) {
		lbP, lbS = ms.floorP, ms.floorS
	}
	for _, nd := range ms.queue.nodes {
		if ms.better(nd.p, nd.s, lbP, lbS) {
			lbP, lbS = nd.p, nd.s
		}
	}
	// The lifted root bound holds for every plan on the root's primary
	// face, which the nodes' relaxations may not see.
	if lbP >= ms.rootP-ms.tol(ms.rootP) {
		lbS = math.Max(lbS, math.Min(ms.rootS, ms.bestS))
	}
	out.lbP, out.lbS = lbP, lbS
	// Proven: the bound matches the plan up to rounding (Options.
	// GapTolerance decides the status from the gap).
	out.provenP = !ms.better(lbP, math.Inf(1), ms.bestP, math.Inf(1))
	out.exact = out.provenP && !ms.better(lbP, lbS, ms.bestP, ms.bestS)
	return out
}

// nodeQueue orders the open nodes by bound, then by creation.
type nodeQueue struct{ nodes []*moveNode }

func (q *nodeQueue) Len() int { return len(q.nodes) }
func (q *nodeQueue) Less(i, j int) bool {
	a, b := q.nodes[i], q.nodes[j]
	if a.p != b.p {
		return a.p < b.p
	}
	if a.s != b.s {
		return a.s < b.s
	}
	return a.seq < b.seq
}
func (q *nodeQueue) Swap(i, j int) { q.nodes[i], q.nodes[j] = q.nodes[j], q.nodes[i] }
func (q *nodeQueue) Push(x any)    { q.nodes = append(q.nodes, x.(*moveNode)) }
func (q *nodeQueue) Pop() any {
	n := q.nodes[len(q.nodes)-1]
	q.nodes = q.nodes[:len(q.nodes)-1]
	return n
}
