package pool

import (
	"fmt"
	"math"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/stop"
)

// searchMaxNodes bounds the nodes of the search over team decisions
// of one part, and searchMaxWork the sum over its flows of their size
// (arcs and cells), so that the limit is the same on every machine; a part
// that needs more is solved by the integer programme or the relaxation and
// rounding instead.
// They are variables for the tests.
var (
	searchMaxNodes       = 2000
	searchMaxWork  int64 = 4_000_000
)

// leaf is a complete set of team decisions with its exact flows.
type leaf struct {
	u, cost float64 // weighted unmet need and weekly cost of the part
	key     float64 // what the search minimises first: u, or the weighted sum
	moves   []moveFlow
	deliver map[int32]bool
}

// searchOutcome says how a search over team decisions ended.
type searchOutcome int8

const (
	searchDone    searchOutcome = iota // solved exactly
	searchGaveUp                       // too many nodes, or no leaf: use another method
	searchStopped                      // the context stopped it
)

// searchTeams solves a part that only teams couple (no cap, no move count)
// exactly, by a depth-first branch and bound over the decisions of its
// optional teams. A node's bound comes from the part's flows with the
// decided teams' roles as hard rules (or left out) and the undecided ones
// relaxed as in the heuristic (each role FTE earns the team's weight), all
// continuous: a relaxation of every completion. At each node the teams
// whose roles the relaxation staffs in full are then delivered and the
// others not, and that completion is solved exactly (in whole units when
// the granularity asks for them: the flow matrix is totally unimodular once
// the teams are fixed). When it matches the bound the node is solved;
// otherwise the search branches on the largest team the relaxation leaves
// short (delivered first), or, when none is short, on the largest
// undecided one. Nodes whose bound exceeds the best completion by more than
// Options.GapTolerance are pruned. In the lexicographic mode the plan is
// the cheapest completion whose weighted unmet need is within the tolerance
// of the least, as in the integer programme's second stage.
//
// A search that reaches its limits gives up, unless keepBest is set: its
// best completion is then the part's plan, with the root's bound.
func (s *solver) searchTeams(pt *part, keepBest bool) (searchOutcome, error) {
	ts := s.newTeamSearch(pt)
	ok, err := ts.visit(0)
	s.mu.Lock()
	s.stats.SearchNodes += min(ts.nodes, searchMaxNodes)
	s.mu.Unlock()
	if err != nil {
		return searchGaveUp, err
	}
	return ts.conclude(ok, keepBest), nil
}

// teamSearch is the state of the search over the team decisions of a
// part.
type teamSearch struct {
	s     *solver
	in    *inst
	pt    *part
	lexi  bool
	modes []teamMode // the decisions of the node visited
	size  int64      // the work of one flow of the part

	leaves    []leaf
	best      float64 // the least key of a leaf
	rootBound float64
	rootCost  float64 // the root relaxation's weekly cost
	nodes     int
	flows     int64
}

func (s *solver) newTeamSearch(pt *part) *teamSearch {
	in := s.in
	ts := &teamSearch{s: s, in: in, pt: pt, lexi: s.lexi(), modes: make([]teamMode, len(in.teams)),
		size: pt.arcs + 3*pt.cells, best: math.Inf(1), rootBound: math.NaN()}
	for _, ti := range pt.teams {
		ts.modes[ti] = teamSoft
		if in.teams[ti].required {
			ts.modes[ti] = teamMust
		}
	}
	return ts
}

// larger reports whether team a comes before team b in branching.
func (ts *teamSearch) larger(a, b int32) bool {
	ta, tb := &ts.in.teams[a], &ts.in.teams[b]
	wa, wb := ta.weight*ta.fte, tb.weight*tb.fte
	if wa != wb {
		return wa > wb
	}
	return a < b
}

// value returns the weighted unmet need, the cost and the key the search
// minimises first of the part's flows under the given modes.
func (ts *teamSearch) value(nets []*catNet, modes []teamMode) (u, cost, key float64) {
	in := ts.in
	for _, cf := range nets {
		u += cf.relaxedUnmet(modes)
		cost += in.flowCost(cf)
	}
	for _, ti := range ts.pt.teams {
		if modes[ti] == teamOff {
			u += in.teams[ti].weight * in.teams[ti].fte
		}
	}
	if ts.lexi {
		return u, cost, u
	}
	return u, cost, in.opt.UnmetValueMAD*u + cost
}

// broken reports whether a hard rule is short in the flows.
func broken(nets []*catNet, modes []teamMode) bool {
	for _, cf := range nets {
		if len(cf.mustShort()) > 0 {
			return true
		}
		for k := range cf.roleShort() {
			if modes[k[0]] == teamMust {
				return true
			}
		}
	}
	return false
}

// tol is the tolerance within which a key counts as the best.
func (ts *teamSearch) tol(v float64) float64 {
	return ts.in.opt.GapTolerance*math.Max(1, math.Abs(v)) + 1e-9
}

// within reports whether b is within rounding of a.
func within(a, b float64) bool { return b <= a+1e-9*math.Max(1, math.Abs(a)) }

// solve solves the part's flows under the given modes.
func (ts *teamSearch) solve(m []teamMode, continuous bool) ([]*catNet, error) {
	ts.flows++
	return ts.s.flowsFor(ts.pt, flowSpec{teams: m, continuous: continuous, lexi: ts.lexi, pairs: ts.in.pairs}, ts.flows == 1)
}

// visit solves a node: its relaxation gives a bound, its completion a
// leaf, and unless the leaf matches the bound it branches on a team. It
// returns false when the search must end early.
func (ts *teamSearch) visit(depth int) (bool, error) {
	ts.nodes++
	if ts.nodes > searchMaxNodes || ts.flows*ts.size > searchMaxWork {
		return false, nil
	}
	nets, err := ts.solve(ts.modes, true)
	if err != nil || nets == nil {
		return false, err
	}
	if broken(nets, ts.modes) {
		return true, nil
	}
	u, cost, key := ts.value(nets, ts.modes)
	if depth == 0 {
		ts.rootBound = key
		ts.rootCost = cost
	}
	if key > ts.best+ts.tol(ts.best) {
		return true, nil
	}
	soft, shortSoft, solved, err := ts.complete(nets, u, cost, key)
	switch {
	case err != nil:
		return false, err
	case solved:
		return true, nil
	case soft == nil:
		return false, nil // the context stopped the completion's flows
	}
	return ts.branch(depth, shortSoft, soft)
}

// complete solves the node's completion, which delivers the teams the
// relaxation staffs in full, and keeps it as a leaf when it breaks no hard
// rule. It returns the node's undecided teams (nil when the context
// stopped the flows), those the relaxation leaves short, and whether the
// node is solved: its leaf matches its relaxation, or nothing is left to
// decide.
func (ts *teamSearch) complete(nets []*catNet, u, cost, key float64) (soft, shortSoft []int32, solved bool, err error) {
	in, pt := ts.in, ts.pt
	short := map[int32]bool{}
	for _, cf := range nets {
		for k := range cf.roleShort() {
			short[k[0]] = true
		}
	}
	soft = []int32{}
	leafModes := append([]teamMode(nil), ts.modes...)
	for _, ti := range pt.teams {
		if ts.modes[ti] != teamSoft {
			continue
		}
		soft = append(soft, ti)
		leafModes[ti] = teamMust
		if short[ti] {
			shortSoft = append(shortSoft, ti)
			leafModes[ti] = teamOff
		}
	}
	leafNets := nets
	if in.integral || len(soft) > 0 {
		if leafNets, err = ts.solve(leafModes, !in.integral); err != nil || leafNets == nil {
			return nil, nil, false, err
		}
	}
	if broken(leafNets, leafModes) {
		return soft, shortSoft, len(soft) == 0, nil
	}
	lu, lcost, lkey := ts.value(leafNets, leafModes)
	lf := leaf{u: lu, cost: lcost, key: lkey, deliver: map[int32]bool{}}
	for _, cf := range leafNets {
		lf.moves = append(lf.moves, cf.moves()...)
	}
	for _, ti := range pt.teams {
		lf.deliver[ti] = leafModes[ti] == teamMust
	}
	ts.leaves = append(ts.leaves, lf)
	ts.best = math.Min(ts.best, lkey)
	done := within(key, lkey)
	if ts.lexi {
		done = within(u, lu) && within(cost, lcost)
	}
	return soft, shortSoft, done || len(soft) == 0, nil
}

// branch decides the largest team the relaxation leaves short (or, when
// none is short, the largest undecided one): delivered first, then not.
func (ts *teamSearch) branch(depth int, shortSoft, soft []int32) (bool, error) {
	cand := shortSoft
	if len(cand) == 0 {
		cand = soft
	}
	ti := cand[0]
	for _, c := range cand[1:] {
		if ts.larger(c, ti) {
			ti = c
		}
	}
	defer func() { ts.modes[ti] = teamSoft }()
	for _, m := range [...]teamMode{teamMust, teamOff} {
		ts.modes[ti] = m
		if ok, err := ts.visit(depth + 1); !ok || err != nil {
			return ok, err
		}
	}
	return true, nil
}

// conclude makes the best leaf the part's plan, or says why the search
// gives way.
func (ts *teamSearch) conclude(ok, keepBest bool) searchOutcome {
	s, pt := ts.s, ts.pt
	stopped := !ok && s.ctx.Err() != nil
	limited := !ok && !stopped
	if limited && !keepBest || len(ts.leaves) == 0 && !stopped {
		return searchGaveUp
	}
	if len(ts.leaves) == 0 {
		s.stop(pt)
		return searchStopped
	}
	lf := ts.leaves[ts.pick()]
	pt.moves = lf.moves
	pt.deliver = lf.deliver
	pt.exact = ok
	pt.costExact = ok
	// Short of a proof, the root relaxation's cost bounds the cost of the
	// plans as good on need as its bound.
	pt.costKnown, pt.costLB = true, ts.rootCost
	pt.lb = ts.best
	if limited {
		pt.lb = ts.rootBound
		s.mu.Lock()
		s.notesAdd(fmt.Sprintf("the search over team decisions of a coupled part reached its limit (%d nodes, %d flows); the plan is the best it found, with the relaxation's bound", min(ts.nodes, searchMaxNodes), ts.flows))
		s.mu.Unlock()
		return searchDone
	}
	if stopped {
		pt.lb = ts.rootBound
		s.mu.Lock()
		if s.stopped == nil {
			s.stopped = stop.Cause(s.ctx, gst.StatusTimeLimit)
		}
		s.mu.Unlock()
		return searchStopped
	}
	return searchDone
}

// pick returns the leaf of the plan: the least key; in the lexicographic
// mode the cheapest leaf within the tolerance of it. Leaves come in search
// order, which breaks the remaining ties.
func (ts *teamSearch) pick() int {
	best, tol := ts.best, ts.tol(ts.best)
	pick := 0
	for i, lf := range ts.leaves {
		if ts.lexi {
			if lf.key <= best+tol && (ts.leaves[pick].key > best+tol || lf.cost < ts.leaves[pick].cost) {
				pick = i
			}
		} else if lf.key < ts.leaves[pick].key {
			pick = i
		}
	}
	return pick
}
