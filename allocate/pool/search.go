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
	in := s.in
	lexi := s.lexi()
	modes := make([]teamMode, len(in.teams))
	for _, ti := range pt.teams {
		modes[ti] = teamSoft
		if in.teams[ti].required {
			modes[ti] = teamMust
		}
	}
	// larger reports whether team a comes before team b in branching.
	larger := func(a, b int32) bool {
		ta, tb := &in.teams[a], &in.teams[b]
		wa, wb := ta.weight*ta.fte, tb.weight*tb.fte
		if wa != wb {
			return wa > wb
		}
		return a < b
	}
	value := func(nets []*catNet, modes []teamMode) (u, cost, key float64) {
		for _, cf := range nets {
			u += cf.relaxedUnmet(modes)
			cost += in.flowCost(cf)
		}
		for _, ti := range pt.teams {
			if modes[ti] == teamOff {
				u += in.teams[ti].weight * in.teams[ti].fte
			}
		}
		if lexi {
			return u, cost, u
		}
		return u, cost, in.opt.UnmetValueMAD*u + cost
	}
	// broken reports whether a hard rule is short in the flows.
	broken := func(nets []*catNet, modes []teamMode) bool {
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
	tol := func(v float64) float64 { return in.opt.GapTolerance*math.Max(1, math.Abs(v)) + 1e-9 }
	// close reports whether b is within the tolerance of a.
	close := func(a, b float64) bool { return b <= a+1e-9*math.Max(1, math.Abs(a)) }
	size := pt.arcs + 3*pt.cells

	var leaves []leaf
	best := math.Inf(1)
	rootBound := math.NaN()
	nodes, flows := 0, int64(0)
	solve := func(m []teamMode, continuous bool) ([]*catNet, error) {
		flows++
		return s.flowsFor(pt, flowSpec{teams: m, continuous: continuous, lexi: lexi, pairs: in.pairs}, flows == 1)
	}
	// visit returns false when the search must end early.
	var visit func(depth int) (bool, error)
	visit = func(depth int) (bool, error) {
		nodes++
		if nodes > searchMaxNodes || flows*size > searchMaxWork {
			return false, nil
		}
		nets, err := solve(modes, true)
		if err != nil || nets == nil {
			return false, err
		}
		if broken(nets, modes) {
			return true, nil
		}
		u, cost, key := value(nets, modes)
		if depth == 0 {
			rootBound = key
		}
		if key > best+tol(best) {
			return true, nil
		}
		// The completion: deliver the teams staffed in full.
		short := map[int32]bool{}
		for _, cf := range nets {
			for k := range cf.roleShort() {
				short[k[0]] = true
			}
		}
		var shortSoft, soft []int32
		leafModes := append([]teamMode(nil), modes...)
		for _, ti := range pt.teams {
			if modes[ti] != teamSoft {
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
			if leafNets, err = solve(leafModes, !in.integral); err != nil || leafNets == nil {
				return false, err
			}
		}
		if !broken(leafNets, leafModes) {
			lu, lcost, lkey := value(leafNets, leafModes)
			lf := leaf{u: lu, cost: lcost, key: lkey, deliver: map[int32]bool{}}
			for _, cf := range leafNets {
				lf.moves = append(lf.moves, cf.moves()...)
			}
			for _, ti := range pt.teams {
				lf.deliver[ti] = leafModes[ti] == teamMust
			}
			leaves = append(leaves, lf)
			best = math.Min(best, lkey)
			solved := close(key, lkey)
			if lexi {
				solved = close(u, lu) && close(cost, lcost)
			}
			if solved || len(soft) == 0 {
				return true, nil
			}
		} else if len(soft) == 0 {
			return true, nil
		}
		cand := shortSoft
		if len(cand) == 0 {
			cand = soft
		}
		ti := cand[0]
		for _, c := range cand[1:] {
			if larger(c, ti) {
				ti = c
			}
		}
		defer func() { modes[ti] = teamSoft }()
		for _, m := range [...]teamMode{teamMust, teamOff} {
			modes[ti] = m
			if ok, err := visit(depth + 1); !ok || err != nil {
				return ok, err
			}
		}
		return true, nil
	}
	ok, err := visit(0)
	s.mu.Lock()
	s.stats.SearchNodes += min(nodes, searchMaxNodes)
	s.mu.Unlock()
	if err != nil {
		return searchGaveUp, err
	}
	stopped := !ok && s.ctx.Err() != nil
	limited := !ok && !stopped
	if limited && !keepBest || len(leaves) == 0 && !stopped {
		return searchGaveUp, nil
	}
	if len(leaves) == 0 {
		s.stop(pt)
		return searchStopped, nil
	}
	// The plan: the least key; in the lexicographic mode the cheapest leaf
	// within the tolerance of it. Leaves come in search order, which
	// breaks the remaining ties.
	pick := 0
	for i, lf := range leaves {
		if lexi {
			if lf.key <= best+tol(best) && (leaves[pick].key > best+tol(best) || lf.cost < leaves[pick].cost) {
				pick = i
			}
		} else if lf.key < leaves[pick].key {
			pick = i
		}
	}
	lf := leaves[pick]
	pt.moves = lf.moves
	pt.deliver = lf.deliver
	pt.exact = ok
	pt.lb = best
	if limited {
		pt.lb = rootBound
		s.mu.Lock()
		s.notesAdd(fmt.Sprintf("the search over team decisions of a coupled part reached its limit (%d nodes, %d flows); the plan is the best it found, with the relaxation's bound", min(nodes, searchMaxNodes), flows))
		s.mu.Unlock()
		return searchDone, nil
	}
	if stopped {
		pt.lb = rootBound
		s.mu.Lock()
		if s.stopped == nil {
			s.stopped = stop.Cause(s.ctx, gst.StatusTimeLimit)
		}
		s.mu.Unlock()
		return searchStopped, nil
	}
	return searchDone, nil
}
