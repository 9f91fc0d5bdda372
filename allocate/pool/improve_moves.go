package pool

import (
	"math"
	"sort"
)

// improveMaxWork bounds the work of the local search over a category's
// moves (the sum over its re-solves of the network's nodes and arcs), so
// that its answer is the same on every machine. A variable for the tests.
var improveMaxWork int64 = 40_000_000

// improvePasses is the most rounds of closing, opening and swapping
// moves.
const improvePasses = 3

// improve searches for a better plan near the best one. The moves of the
// plans tried so far split the category's cells into parts that no move
// joins; on each part's network (the whole category's when teams enter
// it), the plan's moves priced by their travel alone and the other moves
// closed (a primary cost that no cover outweighs), it closes one move at
// a time, opens one at a time, then swaps (opens one and closes one that
// shares its home or host), keeping each change that lowers the flow's
// cost plus the fixed costs of the moves used; each step is a re-solve
// from the last optimal tree. The moves the parts end with are
// then solved as one plan (tryPairs), which keeps every rule (the local
// search leaves the smallest size out of its flows), and offered.
func (ms *moveSearch) improve() error {
	if ms.best == nil || ms.fixed <= 0 || ms.s.ctx.Err() != nil {
		return nil
	}
	// The local search has a budget of its own: the search's work goes on
	// from where it was.
	start := ms.work
	ms.improveEnd = start + improveMaxWork
	defer func() { ms.work = start }()
	inPlan := map[int32]bool{}
	for i := range ms.best.mvArc {
		if ms.best.moveUnits(i) > 1e-9 {
			inPlan[ms.best.mvPair[i]] = true
		}
	}
	var keep []int32
	flow := map[int32]float64{}
	for _, pt := range ms.poolParts() {
		if err := ms.improvePart(pt, inPlan, &keep, flow); err != nil {
			return err
		}
	}
	sort.Slice(keep, func(a, b int) bool { return keep[a] < keep[b] })
	return ms.tryPairs(keep, flow)
}

// poolPart is a part of a category's cells that no move of the local
// search joins to another, with its moves; cells nil for the whole
// category.
type poolPart struct {
	cells, pairs []int32
}

// poolParts splits the moves of the plans tried by the parts of the
// category's cells they join, in the order of their least cell (cells and
// moves sorted); one part of every cell when teams enter the category's
// networks.
func (ms *moveSearch) poolParts() []poolPart {
	in := ms.in
	pool := make([]int32, 0, len(ms.pool))
	for p := range ms.pool {
		pool = append(pool, p)
	}
	sort.Slice(pool, func(a, b int) bool { return pool[a] < pool[b] })
	if ms.sp.teams != nil {
		return []poolPart{{pairs: pool}}
	}
	parent := map[int32]int32{}
	var find func(int32) int32
	find = func(x int32) int32 {
		p, ok := parent[x]
		if !ok || p == x {
			parent[x] = x
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	ends := func(pi int32) (int32, int32) {
		pr := &ms.sp.pairs[pi]
		return in.cell(pr.H, ms.cat), in.cell(pr.K, ms.cat)
	}
	for _, pi := range pool {
		h, k := ends(pi)
		if h < 0 || k < 0 {
			continue
		}
		x, y := find(h), find(k)
		if x != y {
			parent[max(x, y)] = min(x, y)
		}
	}
	byRoot := map[int32]*poolPart{}
	var roots []int32
	for _, ci := range in.catCells[ms.cat] {
		if _, ok := parent[ci]; !ok {
			continue
		}
		r := find(ci)
		pt := byRoot[r]
		if pt == nil {
			pt = &poolPart{}
			byRoot[r] = pt
			roots = append(roots, r)
		}
		pt.cells = append(pt.cells, ci)
	}
	for _, pi := range pool {
		if h, k := ends(pi); h >= 0 && k >= 0 {
			pt := byRoot[find(h)]
			pt.pairs = append(pt.pairs, pi)
		}
	}
	sort.Slice(roots, func(a, b int) bool { return roots[a] < roots[b] })
	out := make([]poolPart, len(roots))
	for i, r := range roots {
		out[i] = *byRoot[r]
	}
	return out
}

// improvePart runs the local search on one part, adding to keep the moves
// it ends with and to flow what they carry.
func (ms *moveSearch) improvePart(pt poolPart, inPlan map[int32]bool, keep *[]int32, flow map[int32]float64) error {
	sp := ms.sp
	sp.charge = &chargeSpec{pairs: pt.pairs}
	sp.cells = pt.cells
	cf := ms.in.catFlow(ms.cat, &sp)
	used := func() {
		for i := range cf.mvArc {
			if inPlan[cf.mvPair[i]] {
				*keep = append(*keep, cf.mvPair[i])
				flow[cf.mvPair[i]] = 0
			}
		}
	}
	if len(cf.mvArc) == 0 {
		return nil
	}
	mustBig, _ := ms.in.bigPrices()
	ls := &localSearch{ms: ms, cf: cf, closedP: 8 * mustBig,
		openP: make([]float64, len(cf.mvArc)), travel: make([]float64, len(cf.mvArc)), open: make([]bool, len(cf.mvArc))}
	for i, a := range cf.mvArc {
		p, _ := cf.g.Cost(int(a))
		ls.openP[i] = p
		ls.travel[i] = ms.unitCost(cf, i)
		ls.open[i] = inPlan[cf.mvPair[i]]
		ls.setCost(i)
	}
	cf.g.KeepBasis()
	ok, err := ms.solveNet(cf, false)
	if err == errInfeasibleNode || err == nil && !ok || !ls.budget() {
		used() // the part keeps the plan's moves
		return nil
	}
	if err != nil {
		return err
	}
	ls.value = ls.eval()
	for pass := 0; pass < improvePasses; pass++ {
		dropped, err := ls.dropPass()
		if err != nil {
			return err
		}
		added, err := ls.addPass()
		if err != nil {
			return err
		}
		swapped, err := ls.swapPass()
		if err != nil {
			return err
		}
		if !dropped && !added && !swapped {
			break
		}
	}
	if err := ls.settle(); err != nil {
		return err
	}
	for i, a := range cf.mvArc {
		if x := cf.g.Flow(int(a)); x > 1e-9 {
			*keep = append(*keep, cf.mvPair[i])
			flow[cf.mvPair[i]] = x
		}
	}
	return nil
}

// localSearch is the state of improve: the network, and for each of its
// moves the primary cost it has when open, its travel per unit and
// whether it is open.
type localSearch struct {
	ms      *moveSearch
	cf      *catNet
	closedP float64
	openP   []float64
	travel  []float64
	open    []bool
	value   [2]float64
	stale   bool // a flip was undone since the last solve
}

func (ls *localSearch) setCost(i int) {
	p := ls.openP[i]
	if !ls.open[i] {
		p = ls.closedP
	}
	ls.cf.g.SetCost(int(ls.cf.mvArc[i]), p, ls.travel[i])
}

// eval returns the value of the solved network's flow with the fixed cost
// of every move it uses; +Inf when a closed move carries staff.
func (ls *localSearch) eval() [2]float64 {
	cf := ls.cf
	p, s := cf.value()
	for i, a := range cf.mvArc {
		if cf.g.Flow(int(a)) > 1e-9 {
			if !ls.open[i] {
				return [2]float64{math.Inf(1), math.Inf(1)}
			}
			s += ls.ms.fixed
		}
	}
	return [2]float64{p, s}
}

// try flips move i, re-solves and keeps the flip when the value drops; it
// reports whether it kept it. A flip it does not keep is undone in the
// costs only: the next re-solve (settle) starts from its tree.
func (ls *localSearch) try(i int) (bool, error) {
	ms := ls.ms
	ls.open[i] = !ls.open[i]
	ls.setCost(i)
	ls.stale = false
	ok, err := ms.solveNet(ls.cf, true)
	if err != nil && err != errInfeasibleNode || err == nil && !ok {
		return false, err
	}
	if err == nil {
		if v := ls.eval(); ms.better(v[0], v[1], ls.value[0], ls.value[1]) {
			ls.value = v
			return true, nil
		}
	}
	ls.open[i] = !ls.open[i]
	ls.setCost(i)
	ls.stale = true
	return false, nil
}

// settle re-solves the network when a flip was undone since the last
// solve, so that its flow is that of the open moves.
func (ls *localSearch) settle() error {
	if !ls.stale {
		return nil
	}
	ls.stale = false
	ok, err := ls.ms.solveNet(ls.cf, true)
	if err == nil && !ok {
		return nil
	}
	return err
}

// budget reports whether the local search may make one more try.
func (ls *localSearch) budget() bool {
	return ls.ms.work+2*int64(ls.cf.g.Nodes()+ls.cf.g.Arcs()) <= ls.ms.improveEnd && ls.ms.s.ctx.Err() == nil
}

// dropPass tries to close each open move that carries staff, the least
// carried first (ties by pair): the moves whose fixed cost weighs most on
// the staff they carry.
func (ls *localSearch) dropPass() (bool, error) {
	cf := ls.cf
	if err := ls.settle(); err != nil {
		return false, err
	}
	var order []int
	for i, a := range cf.mvArc {
		if ls.open[i] && cf.g.Flow(int(a)) > 1e-9 {
			order = append(order, i)
		}
	}
	sortByFlow(cf, order)
	// Skip a move another drop emptied.
	return ls.tryEach(order, func(i int) bool { return cf.g.Flow(int(cf.mvArc[i])) <= 1e-9 })
}

// tryEach tries the moves of order in turn (see try) while the work
// allows, skipping those skip names; it reports whether any was kept.
func (ls *localSearch) tryEach(order []int, skip func(int) bool) (bool, error) {
	changed := false
	for _, i := range order {
		if !ls.budget() {
			break
		}
		if skip != nil && skip(i) {
			continue
		}
		kept, err := ls.try(i)
		if err != nil {
			return changed, err
		}
		changed = changed || kept
	}
	return changed, nil
}

// addPass tries to open each closed move whose reduced travel cost, over
// its capacity, would pay its fixed cost, the most promising first (ties
// by pair).
func (ls *localSearch) addPass() (bool, error) {
	cf := ls.cf
	type cand struct {
		i    int
		gain float64
	}
	if err := ls.settle(); err != nil {
		return false, err
	}
	var cands []cand
	for i, a := range cf.mvArc {
		if ls.open[i] {
			continue
		}
		rp, rs := cf.g.Reduced(int(a))
		rp -= ls.closedP - ls.openP[i]
		if rp > 1e-9 {
			continue
		}
		_, _, capU := cf.g.Arc(int(a))
		gain := -rs * capU
		if rp < -1e-9 {
			gain = math.Inf(1)
		}
		if gain > ls.ms.fixed {
			cands = append(cands, cand{i, gain})
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].gain != cands[b].gain {
			return cands[a].gain > cands[b].gain
		}
		return cf.mvPair[cands[a].i] < cf.mvPair[cands[b].i]
	})
	order := make([]int, len(cands))
	for k, c := range cands {
		order[k] = c.i
	}
	return ls.tryEach(order, nil)
}

// swapPass tries, for each closed move whose reduced travel cost is
// negative (the most promising first, ties by pair), to open it and close
// one open move that shares its home or its host (the least carried
// first), keeping the first such swap that lowers the value.
func (ls *localSearch) swapPass() (bool, error) {
	cf := ls.cf
	if err := ls.settle(); err != nil {
		return false, err
	}
	type cand struct {
		i    int
		gain float64
	}
	var cands []cand
	for i, a := range cf.mvArc {
		if ls.open[i] {
			continue
		}
		rp, rs := cf.g.Reduced(int(a))
		rp -= ls.closedP - ls.openP[i]
		if rp > 1e-9 || rs >= -1e-9 {
			continue
		}
		_, _, capU := cf.g.Arc(int(a))
		cands = append(cands, cand{i, -rs * capU})
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].gain != cands[b].gain {
			return cands[a].gain > cands[b].gain
		}
		return cf.mvPair[cands[a].i] < cf.mvPair[cands[b].i]
	})
	changed := false
	for _, c := range cands {
		if !ls.budget() {
			break
		}
		if ls.open[c.i] {
			continue
		}
		ok, err := ls.swap(c.i)
		if err != nil {
			return changed, err
		}
		changed = changed || ok
	}
	return changed, nil
}

// swap opens move b and tries closing each open move that shares its home
// or host; it keeps the first pair of changes that lowers the value.
func (ls *localSearch) swap(b int) (bool, error) {
	ms, cf := ls.ms, ls.cf
	if err := ls.settle(); err != nil {
		return false, err
	}
	ls.open[b] = true
	ls.setCost(b)
	if ok, err := ms.solveNet(cf, true); err != nil || !ok {
		return false, err
	}
	if v := ls.eval(); ms.better(v[0], v[1], ls.value[0], ls.value[1]) {
		ls.value = v
		return true, nil
	}
	var near []int
	if cf.g.Flow(int(cf.mvArc[b])) > 1e-9 {
		for i, a := range cf.mvArc {
			if i != b && ls.open[i] && cf.g.Flow(int(a)) > 1e-9 && (cf.mvFrom[i] == cf.mvFrom[b] || cf.mvTo[i] == cf.mvTo[b]) {
				near = append(near, i)
			}
		}
	}
	sortByFlow(cf, near)
	for _, i := range near {
		if !ls.budget() {
			break
		}
		kept, err := ls.try(i)
		if err != nil || kept {
			return kept, err
		}
	}
	if err := ls.settle(); err != nil {
		return false, err
	}
	ls.open[b] = false
	ls.setCost(b)
	ls.stale = true
	return false, nil
}

// sortByFlow orders moves by the staff they carry, least first, ties by
// their pair.
func sortByFlow(cf *catNet, moves []int) {
	sort.SliceStable(moves, func(x, y int) bool {
		fx, fy := cf.g.Flow(int(cf.mvArc[moves[x]])), cf.g.Flow(int(cf.mvArc[moves[y]]))
		if fx != fy {
			return fx < fy
		}
		return cf.mvPair[moves[x]] < cf.mvPair[moves[y]]
	})
}
