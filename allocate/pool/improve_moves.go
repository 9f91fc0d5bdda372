package pool

import (
	"math"
	"sort"
)

// improveMaxWork bounds the work of the local search over a category's
// moves (the sum over its re-solves of the network's nodes and arcs), so
// that its answer is the same on every machine. A variable for the tests.
var improveMaxWork int64 = 40_000_000

// improvePasses is the most rounds of closing then opening moves.
const improvePasses = 2

// dropShare is the largest share of its capacity that a move may carry
// for the local search to try closing it.
const dropShare = 0.3

// improve searches for a better plan near the best one: on one network
// whose moves are every move of the plans tried so far, the plan's moves
// priced by their travel alone and the others closed (a primary cost that
// no cover outweighs), it closes one move at a time, then opens one at a
// time, keeping each change that lowers the flow's cost plus the fixed
// costs of the moves used; each step is a re-solve from the last optimal
// tree. The moves it ends with are then solved as a plan (tryMoves), which
// keeps every rule (the local search leaves the smallest size out of its
// flows), and offered.
func (ms *moveSearch) improve() error {
	if ms.best == nil || ms.fixed <= 0 || ms.s.ctx.Err() != nil {
		return nil
	}
	// The local search has a budget of its own: the search's work goes on
	// from where it was.
	start := ms.work
	ms.improveEnd = start + improveMaxWork
	defer func() { ms.work = start }()
	pool := make([]int32, 0, len(ms.pool))
	for p := range ms.pool {
		pool = append(pool, p)
	}
	sort.Slice(pool, func(a, b int) bool { return pool[a] < pool[b] })
	cf := ms.netFor(&chargeSpec{pairs: pool})
	if len(cf.mvArc) == 0 {
		return nil
	}
	inPlan := map[int32]bool{}
	for i := range ms.best.mvArc {
		if ms.best.moveUnits(i) > 1e-9 {
			inPlan[ms.best.mvPair[i]] = true
		}
	}
	mustBig, _ := ms.in.bigPrices()
	closedP := 8 * mustBig
	ls := &localSearch{ms: ms, cf: cf, closedP: closedP,
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
	if err == errInfeasibleNode || err == nil && !ok {
		return nil // the best plan stays
	}
	if err != nil {
		return err
	}
	ls.value = ls.eval()
	for pass := 0; pass < improvePasses; pass++ {
		var dropped bool
		dropped, err = ls.dropPass()
		if err != nil {
			return err
		}
		added, err := ls.addPass()
		if err != nil {
			return err
		}
		if !dropped && !added {
			break
		}
	}
	if err := ls.settle(); err != nil {
		return err
	}
	return ms.tryMoves(cf, nil)
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

// dropPass tries to close each open move that carries staff but less
// than dropShare of its capacity (the moves whose fixed cost the
// relaxation paid least of, where closing pays most often), the least
// carried first (ties by pair).
func (ls *localSearch) dropPass() (bool, error) {
	cf := ls.cf
	if err := ls.settle(); err != nil {
		return false, err
	}
	var order []int
	for i, a := range cf.mvArc {
		if x := cf.g.Flow(int(a)); ls.open[i] && x > 1e-9 && x < dropShare*cf.mvCap[i] {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		fa, fb := cf.g.Flow(int(cf.mvArc[order[a]])), cf.g.Flow(int(cf.mvArc[order[b]]))
		if fa != fb {
			return fa < fb
		}
		return cf.mvPair[order[a]] < cf.mvPair[order[b]]
	})
	changed := false
	for _, i := range order {
		if !ls.budget() {
			break
		}
		if cf.g.Flow(int(cf.mvArc[i])) <= 1e-9 {
			continue // another drop emptied it
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
	changed := false
	for _, c := range cands {
		if !ls.budget() {
			break
		}
		kept, err := ls.try(c.i)
		if err != nil {
			return changed, err
		}
		changed = changed || kept
	}
	return changed, nil
}
