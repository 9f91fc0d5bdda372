package capfl

import (
	"encoding/binary"
	"math"
	"sort"

	"github.com/gstplan/gst"
)

// setKey is the map key of a sorted open set.
func setKey(open []int) string {
	b := make([]byte, 0, 4*len(open))
	for _, i := range open {
		b = binary.LittleEndian.AppendUint32(b, uint32(i))
	}
	return string(b)
}

// openOK reports whether an open set respects the root rules.
func (s *solver) openOK(open []int) bool {
	in := s.in
	if len(open) < in.minOpen || len(open) > in.maxOpen {
		return false
	}
	isOpen := make([]bool, in.m)
	capSum := 0.0
	for _, i := range open {
		if in.fix[i] < 0 || isOpen[i] {
			return false
		}
		isOpen[i] = true
		capSum += in.cap[i]
	}
	for i := 0; i < in.m; i++ {
		if in.fix[i] > 0 && !isOpen[i] {
			return false
		}
	}
	return capSum >= in.totalDem*(1-1e-12)
}

// tryOpenSet evaluates a sorted open set: the exact transportation problem
// under multi-sourcing, the assignment heuristic under single sourcing
// (pref guides it). It updates the incumbent and returns the value found.
func (s *solver) tryOpenSet(open []int, pref []int32) (float64, bool) {
	in := s.in
	if !s.openOK(open) {
		return math.Inf(1), false
	}
	fixed := 0.0
	for _, i := range open {
		fixed += in.fc[i]
	}
	if !in.single {
		key := setKey(open)
		if _, ok := s.seen[key]; ok {
			return math.Inf(1), false
		}
		if len(s.seen) > 1<<20 {
			s.seen = make(map[string]struct{})
		}
		s.seen[key] = struct{}{}
		if fixed >= s.ub {
			return math.Inf(1), false
		}
		c, ok := s.tr.solve(open)
		if !ok {
			return math.Inf(1), false
		}
		v := fixed + c
		if v < s.ub {
			s.setIncumbent(v, open, s.tr.shares())
			vals := s.tr.capacityValues()
			s.ubCapVal = make([]float64, in.m)
			for q, i := range open {
				s.ubCapVal[i] = vals[q]
			}
		}
		return v, true
	}
	if fixed >= s.ub {
		return math.Inf(1), false
	}
	c, ok := s.gh.solve(open, pref)
	if !ok {
		return math.Inf(1), false
	}
	v := fixed + c
	if v < s.ub {
		s.setSingleIncumbent(v, open)
	}
	s.multiStart(open, v)
	s.polish(open, v)
	return v, true
}

// multiStart runs the site local search from a promising solution just
// built by the assignment heuristic (its sites and gh's assignment): one
// within 3% of the incumbent, not started from before, while the swaps
// evaluated by local search stay within a budget that grows with the
// Lagrangian iterations (about a fifth of the work), at a tenth of that
// pace once the incumbent stops improving (multiStartDecay). The budget
// counts work, not time, so that the search stays deterministic.
func (s *solver) multiStart(open []int, v float64) {
	if s.sub || math.IsInf(s.ub, 1) || v > s.ub*1.03+1 {
		return
	}
	key := setKey(open)
	if _, ok := s.started[key]; ok {
		return
	}
	// A swap evaluation (assignment local search, about n² steps) costs
	// roughly n/40 Lagrangian iterations.
	work := s.ubIters + (s.iters-s.ubIters)/multiStartDecay
	if s.lsEvals*s.in.n > 10*work+2000*s.in.n {
		return
	}
	s.started[key] = struct{}{}
	s.improveFrom(append([]int(nil), open...), append([]int32(nil), s.gh.asg...))
}

// multiStartDecay divides the iterations since the incumbent last
// improved in multiStart's budget. Measured on pmedcap1_08, _14, _17,
// _20, SJC4a and SJC4b (test harness, CPU seconds of the six): 62.2 with
// 10 against 69.3 without (the same trees on the pmedcap1 instances; on
// pmedcap1_20 the optimum is found in the first second and the local
// search from then on finds nothing better).
const multiStartDecay = 10

// polish solves the assignment of a promising set of open sites exactly
// (or nearly, within a node budget) by a nested branch and bound with the
// sites fixed, under single sourcing where the assignment heuristic may
// miss the best assignment. v is the heuristic's value for the set. The
// nested solves (at most 200 nodes each) stop once their iterations exceed
// a quarter of the main search's (plus 20000): a budget of work, not of
// time, so that the search stays deterministic.
func (s *solver) polish(open []int, v float64) {
	in := s.in
	if s.sub || !in.single || s.timeUp() {
		return
	}
	if !math.IsInf(s.ub, 1) && v > s.ub+math.Max(1, 0.01*math.Abs(s.ub)) {
		return
	}
	key := setKey(open)
	if _, ok := s.polished[key]; ok {
		return
	}
	if s.polishIters > s.iters/4+20000 {
		return
	}
	s.polished[key] = struct{}{}
	sub := *in
	sub.fix = make([]int8, in.m)
	for i := range sub.fix {
		sub.fix[i] = -1
	}
	for _, i := range open {
		sub.fix[i] = 1
	}
	sub.minOpen, sub.maxOpen = len(open), len(open)
	o := s.opt
	o.NodeLimit = 200
	o.RootOnly = false
	o.InitialOpen = nil
	o.TimeLimit = 0
	if o.IterationLimit > 0 {
		// what is left of the search's own (polish runs only then)
		o.IterationLimit -= s.iters + s.polishIters
	}
	o.Progress = nil // the nested solve's bounds are not the problem's
	ss := newSolver(s.ctx, &sub, o)
	ss.sub = true
	ss.deadline = s.deadline
	ss.ub = s.ub
	if err := ss.run(); err == nil && ss.ubAsg != nil && ss.ub < s.ub {
		s.setIncumbent(ss.ub, open, ss.ubAsg)
	}
	s.polishIters += ss.iters
}

func (s *solver) setIncumbent(v float64, open []int, asg [][]Share) {
	s.ub = v
	s.ubIters = s.iters
	s.ubOpen = append(s.ubOpen[:0], open...)
	s.ubAsg = asg
	if s.opt.Progress != nil {
		s.opt.Progress(v, math.NaN())
	}
}

func (s *solver) setSingleIncumbent(v float64, open []int) {
	in := s.in
	asg := make([][]Share, in.n)
	for j := 0; j < in.n; j++ {
		asg[j] = []Share{{Site: int(s.gh.asg[j]), Fraction: 1}}
	}
	s.setIncumbent(v, open, asg)
}

// completeOpen turns a set of sites into one that respects the rules:
// forced sites in, closed sites out, then sites added by increasing score
// until the capacity covers the demand and MinOpen is met, or removed by
// decreasing score while above MaxOpen.
func (s *solver) completeOpen(want []bool, score []float64) []int {
	in := s.in
	isOpen := make([]bool, in.m)
	count := 0
	capSum := 0.0
	for i := 0; i < in.m; i++ {
		if (want[i] && in.fix[i] >= 0) || in.fix[i] > 0 {
			isOpen[i] = true
			count++
			capSum += in.cap[i]
		}
	}
	order := make([]int, in.m)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		ia, ib := order[a], order[b]
		if score[ia] != score[ib] {
			return score[ia] < score[ib]
		}
		return ia < ib
	})
	for k := len(order) - 1; k >= 0 && count > in.maxOpen; k-- {
		i := order[k]
		if isOpen[i] && in.fix[i] == 0 {
			isOpen[i] = false
			count--
			capSum -= in.cap[i]
		}
	}
	for _, i := range order {
		if count >= in.maxOpen || (count >= in.minOpen && capSum >= in.totalDem) {
			break
		}
		if !isOpen[i] && in.fix[i] == 0 {
			isOpen[i] = true
			count++
			capSum += in.cap[i]
		}
	}
	var open []int
	for i := 0; i < in.m; i++ {
		if isOpen[i] {
			open = append(open, i)
		}
	}
	return open
}

// lagrHeur evaluates the open sites of the last Lagrangian solution.
func (s *solver) lagrHeur(st *state) {
	in := s.in
	lg := s.lg
	if !in.single {
		var open []int
		for i := 0; i < in.m; i++ {
			if lg.ysel[i] {
				open = append(open, i)
			}
		}
		s.tryOpenSet(open, nil)
		return
	}
	pref := s.prefFromSelection(st)
	var open []int
	for i := 0; i < in.m; i++ {
		if lg.ysel[i] {
			open = append(open, i)
		}
	}
	if !s.openOK(open) {
		score := make([]float64, in.m)
		copy(score, lg.w)
		open = s.completeOpen(lg.ysel, score)
	}
	s.tryOpenSet(open, pref)
}

// prefFromSelection returns, for every customer, the cheapest open site
// whose Lagrangian knapsack selected it (or its fixed site), else -1.
func (s *solver) prefFromSelection(st *state) []int32 {
	in := s.in
	n := in.n
	lg := s.lg
	pref := make([]int32, n)
	for j := range pref {
		pref[j] = st.asg[j]
	}
	for i := 0; i < in.m; i++ {
		if !lg.ysel[i] {
			continue
		}
		for k := lg.selOff[i]; k < lg.selOff[i+1]; k++ {
			j := lg.selJ[k]
			if p := pref[j]; p < 0 || (st.asg[j] < 0 && in.c[i*n+int(j)] < in.c[int(p)*n+int(j)]) {
				pref[j] = int32(i)
			}
		}
	}
	return pref
}

// roundingHeur opens the sites whose smoothed Lagrangian value ȳ is at
// least one half, completed to respect the rules.
func (s *solver) roundingHeur(st *state) {
	in := s.in
	want := make([]bool, in.m)
	score := make([]float64, in.m)
	for i := 0; i < in.m; i++ {
		want[i] = s.ybar[i] >= 0.5
		score[i] = -s.ybar[i]
	}
	open := s.completeOpen(want, score)
	var pref []int32
	if in.single {
		pref = s.prefFromSelection(st)
	}
	s.tryOpenSet(open, pref)
}

// offerRelaxed turns a Lagrangian solution that covers every customer into
// an incumbent.
func (s *solver) offerRelaxed(st *state) {
	s.lagrHeur(st)
}

// improve runs local search on the incumbent at the root.
func (s *solver) improve() {
	if s.ubOpen == nil {
		return
	}
	if s.in.single {
		s.improveSingle()
		return
	}
	s.improveMulti()
}

// improveMulti tries closing, opening and swapping sites of the incumbent,
// each move evaluated exactly by the transportation problem, taking the
// first improvement, until no move improves or time runs out. The moves
// are limited to the most promising sites by Lagrangian weight: closing
// one of the 15 most expensive open sites, opening one of the 10 cheapest
// closed ones, or swapping one of those for one of the 6 most expensive
// open ones.
func (s *solver) improveMulti() {
	in := s.in
	lg := s.lg
	for round := 0; round < 50; round++ {
		if s.timeUp() {
			return
		}
		improved := false
		cur := append([]int(nil), s.ubOpen...)
		isOpen := make([]bool, in.m)
		for _, i := range cur {
			isOpen[i] = true
		}
		// drops, most expensive Lagrangian weight first
		drops := append([]int(nil), cur...)
		sort.Slice(drops, func(a, b int) bool {
			if lg.w[drops[a]] != lg.w[drops[b]] {
				return lg.w[drops[a]] > lg.w[drops[b]]
			}
			return drops[a] < drops[b]
		})
		var free []int // open sites that may close, most expensive first
		for _, i := range drops {
			if in.fix[i] == 0 {
				free = append(free, i)
			}
		}
		drops = free
		if len(drops) > 15 {
			drops = drops[:15]
		}
		for _, i := range drops {
			if s.timeUp() {
				return
			}
			cand := without(cur, i)
			before := s.ub
			s.tryOpenSet(cand, nil)
			if s.ub < before {
				improved = true
				break
			}
		}
		if improved {
			continue
		}
		// adds and swaps with the most promising closed sites
		var closed []int
		for i := 0; i < in.m; i++ {
			if !isOpen[i] && in.fix[i] == 0 {
				closed = append(closed, i)
			}
		}
		sort.Slice(closed, func(a, b int) bool {
			if lg.w[closed[a]] != lg.w[closed[b]] {
				return lg.w[closed[a]] < lg.w[closed[b]]
			}
			return closed[a] < closed[b]
		})
		if len(closed) > 10 {
			closed = closed[:10]
		}
		if len(drops) > 6 {
			drops = drops[:6]
		}
		for _, k := range closed {
			if s.timeUp() {
				return
			}
			before := s.ub
			s.tryOpenSet(with(cur, k), nil)
			if s.ub < before {
				improved = true
				break
			}
			for _, i := range drops {
				s.tryOpenSet(with(without(cur, i), k), nil)
				if s.ub < before {
					improved = true
					break
				}
				if s.timeUp() {
					return
				}
			}
			if improved {
				break
			}
		}
		if !improved {
			return
		}
	}
}

func without(set []int, i int) []int {
	out := make([]int, 0, len(set))
	for _, x := range set {
		if x != i {
			out = append(out, x)
		}
	}
	return out
}

func with(set []int, k int) []int {
	out := make([]int, 0, len(set)+1)
	done := false
	for _, x := range set {
		if !done && k < x {
			out = append(out, k)
			done = true
		}
		out = append(out, x)
	}
	if !done {
		out = append(out, k)
	}
	return out
}

// improveSingle runs the site local search (improveFrom) from the
// incumbent, then the exact assignment search on its sites.
func (s *solver) improveSingle() {
	if s.sub || s.ubOpen == nil {
		return
	}
	s.improveFrom(s.ubOpen, s.incumbentPref())
	s.polish(s.ubOpen, s.ub)
}

// improveFrom is a local search over site sets from a feasible solution
// (open sites and a site per customer). Each round relocates whole
// clusters where that pays, then tries swaps of an open site for a closed
// one: the 30 best by estimate (swapDeltas) and, for every open site, the
// three closed sites that serve its cluster best. A swap moves the cluster
// to the new site (always feasible when the new site is large enough,
// otherwise the assignment heuristic rebuilds it) and runs the assignment
// local search; the first swap that lowers the cost is taken. The
// incumbent is updated whenever the current solution beats it.
func (s *solver) improveFrom(open []int, asg []int32) {
	in := s.in
	gh := s.gh
	if s.timeUp() || !s.openOK(open) || !gh.start(open, asg) {
		return
	}
	cost := func(open []int) float64 {
		v := gh.cost()
		for _, i := range open {
			v += in.fc[i]
		}
		return v
	}
	gh.localSearch()
	for gh.relocate(in.fix) {
		gh.localSearch()
	}
	curOpen := append([]int(nil), gh.open...)
	curAsg := append([]int32(nil), gh.asg...)
	cur := cost(curOpen)
	if cur < s.ub && s.openOK(curOpen) {
		s.setSingleIncumbent(cur, append([]int(nil), curOpen...))
	}
	for round := 0; round < singleRounds; round++ {
		if s.timeUp() {
			return
		}
		gh.start(curOpen, curAsg)
		cands := gh.swapDeltas(in.fix)
		keep := 0
		for keep < len(cands) && keep < 30 && cands[keep].delta < -1e-9*math.Max(1, math.Abs(cur)) {
			keep++
		}
		cands = append(cands[:keep:keep], gh.clusterSwaps(curOpen, curAsg, in.fix, 3)...)
		improved := false
		for _, c := range cands {
			s.lsEvals++
			p2 := append([]int32(nil), curAsg...)
			for j := range p2 {
				if int(p2[j]) == c.out {
					p2[j] = int32(c.in)
				}
			}
			open := with(without(curOpen, c.out), c.in)
			if !s.openOK(open) {
				continue
			}
			ok := gh.start(open, p2)
			if ok {
				gh.localSearch()
			} else {
				_, ok = gh.solve(open, p2)
			}
			if !ok {
				continue
			}
			for gh.relocate(in.fix) {
				gh.localSearch()
			}
			if v := cost(gh.open); v < cur-1e-9*math.Max(1, math.Abs(cur)) && s.openOK(gh.open) {
				cur = v
				curOpen = append(curOpen[:0], gh.open...)
				curAsg = append(curAsg[:0], gh.asg...)
				if cur < s.ub {
					s.setSingleIncumbent(cur, append([]int(nil), curOpen...))
				}
				improved = true
				break
			}
		}
		if !improved {
			return
		}
	}
}

func (s *solver) incumbentPref() []int32 {
	pref := make([]int32, s.in.n)
	for j, sh := range s.ubAsg {
		pref[j] = int32(sh[0].Site)
	}
	return pref
}

// fixByPenalties fixes the sites (and, at the root under single sourcing,
// the site–customer pairs) whose opposite value would raise the
// Lagrangian bound to the pruning threshold. Fixings at the root apply to
// the whole search; others are added to the node. It returns how many it
// made.
func (s *solver) fixByPenalties(nd *bbNode, st *state, u []float64, best float64, isRoot bool) int {
	in := s.in
	n := in.n
	lg := s.lg
	L, ok := lg.eval(st, u)
	if !ok {
		return 0
	}
	sumU := 0.0
	for _, j := range st.free {
		sumU += u[j]
	}
	lg.yPenalties(st, L-sumU, s.pen)
	thr := s.thr()
	count := 0
	for i := 0; i < in.m; i++ {
		if st.yfix[i] != 0 || L+s.pen[i] < thr {
			continue
		}
		v := int8(-1)
		if lg.ysel[i] {
			v = 1
		}
		count++
		if isRoot {
			s.root.yfix[i] = v
		} else {
			nd.fixes = append(nd.fixes, fixing{kind: fixY, v: v, i: int32(i)})
		}
	}
	if in.single {
		inSel := make([]bool, n)
		for i := 0; i < in.m; i++ {
			if st.yfix[i] < 0 || (isRoot && s.root.yfix[i] < 0) {
				continue
			}
			for k := lg.selOff[i]; k < lg.selOff[i+1]; k++ {
				inSel[lg.selJ[k]] = lg.ysel[i]
			}
			extra := 0.0
			if !lg.ysel[i] {
				extra = s.pen[i]
			}
			for _, j32 := range st.free {
				j := int(j32)
				c := st.cc[i*n+j]
				if math.IsInf(c, 1) || inSel[j] {
					continue
				}
				if L+extra+math.Max(0, c-u[j]) >= thr {
					if isRoot {
						s.root.cc[i*n+j] = math.Inf(1)
					} else {
						nd.fixes = append(nd.fixes, fixing{kind: fixX, v: 0, i: int32(i), j: j32})
					}
					count++
				}
			}
			for k := lg.selOff[i]; k < lg.selOff[i+1]; k++ {
				inSel[lg.selJ[k]] = false
			}
		}
	}
	return count
}

// branch picks the branching decision: the free site whose smoothed value
// ȳ is closest to one half (under single sourcing, the best by pseudocosts
// among those nearly as close: pseudoSite), and under single sourcing,
// when the sites look settled, a customer's sites (gubBranch) or the
// site–customer pair whose smoothed x̄ is closest to one half.
func (s *solver) branch(nd *bbNode, st *state, u []float64) []*bbNode {
	in := s.in
	n := in.n
	bi, bScore := -1, math.Inf(1)
	for i := 0; i < in.m; i++ {
		if st.yfix[i] != 0 {
			continue
		}
		sc := math.Abs(s.ybar[i] - 0.5)
		if sc < bScore {
			bi, bScore = i, sc
		}
	}
	mk := func(f fixing) *bbNode {
		k := &bbNode{parent: nd, fixes: []fixing{f}, u: u, depth: nd.depth + 1, id: s.nextID}
		s.nextID++
		return k
	}
	if !in.single {
		if bi < 0 {
			return nil
		}
		return []*bbNode{
			mk(fixing{kind: fixY, v: 1, i: int32(bi)}),
			mk(fixing{kind: fixY, v: -1, i: int32(bi)}),
		}
	}
	if bi < 0 || bScore > gubY {
		if kids := s.gubBranch(nd, st, mk); kids != nil {
			return kids
		}
	}
	if bi >= 0 && bScore < 0.45 {
		return s.siteKids(s.pseudoSite(st, bi), mk)
	}
	// pair branching
	pi, pj, pScore := -1, -1, math.Inf(1)
	for _, j32 := range st.free {
		j := int(j32)
		for i := 0; i < in.m; i++ {
			if st.yfix[i] < 0 || math.IsInf(st.cc[i*n+j], 1) {
				continue
			}
			sc := math.Abs(s.xb(i*n+j) - 0.5)
			if sc < pScore {
				pi, pj, pScore = i, j, sc
			}
		}
	}
	if pi >= 0 && pScore < 0.49 {
		return []*bbNode{
			mk(fixing{kind: fixX, v: 1, i: int32(pi), j: int32(pj)}),
			mk(fixing{kind: fixX, v: 0, i: int32(pi), j: int32(pj)}),
		}
	}
	if bi >= 0 {
		return []*bbNode{
			mk(fixing{kind: fixY, v: 1, i: int32(bi)}),
			mk(fixing{kind: fixY, v: -1, i: int32(bi)}),
		}
	}
	if pi >= 0 {
		return []*bbNode{
			mk(fixing{kind: fixX, v: 1, i: int32(pi), j: int32(pj)}),
			mk(fixing{kind: fixX, v: 0, i: int32(pi), j: int32(pj)}),
		}
	}
	return nil
}

// solution builds the answer from the incumbent.
func (s *solver) solution(p *Problem) (*Solution, error) {
	in := s.in
	open := s.ubOpen
	asg := s.ubAsg
	fixed, acost, err := p.Evaluate(open, asg)
	if err != nil {
		return nil, err
	}
	sol := &Solution{
		Objective:      fixed + acost,
		FixedCost:      fixed,
		AssignmentCost: acost,
		Open:           append([]int(nil), open...),
		Assign:         asg,
		Load:           make([]float64, in.m),
		Nodes:          s.nodes,
		Iterations:     s.iters,
		RootBound:      s.rootBound,
	}
	for j, sh := range asg {
		for _, x := range sh {
			sol.Load[x.Site] += x.Fraction * in.dem[j]
		}
	}
	if !in.single {
		sol.CapacityValue = s.ubCapVal
	}
	sol.FlipBound = s.flipBounds(open)
	b := math.Min(s.bound, sol.Objective)
	sol.Bound = b
	sol.Gap = gst.Gap(sol.Objective, b)
	switch {
	case sol.Gap <= s.opt.GapTolerance:
		sol.Status = gst.StatusOptimal
	case s.stop == gst.StatusTimeLimit || s.stop == gst.StatusCanceled:
		sol.Status = s.stop
	default:
		sol.Status = gst.StatusFeasible
	}
	return sol, nil
}

func sortShares(sh []Share) {
	sort.Slice(sh, func(a, b int) bool { return sh[a].Site < sh[b].Site })
}

// siteKids makes the two children of branching on site i, open first,
// marked for the pseudocosts.
func (s *solver) siteKids(i int, mk func(fixing) *bbNode) []*bbNode {
	up := mk(fixing{kind: fixY, v: 1, i: int32(i)})
	down := mk(fixing{kind: fixY, v: -1, i: int32(i)})
	yb := s.ybar[i]
	up.brSite, up.brUp, up.brFrac = int32(i), true, 1-yb
	down.brSite, down.brFrac = int32(i), yb
	return []*bbNode{up, down}
}

// gubY is how far from one half the most fractional site's ȳ must be for
// customer (GUB) branching to be tried first.
const gubY = 0.3

// gubBranch splits the sites that may serve the customer with the most
// spread smoothed assignment into two halves by x̄: each child forbids one
// half.
func (s *solver) gubBranch(nd *bbNode, st *state, mk func(fixing) *bbNode) []*bbNode {
	in := s.in
	n := in.n
	bj, bScore := -1, 0.0
	for _, j32 := range st.free {
		j := int(j32)
		maxX, sum := 0.0, 0.0
		for i := 0; i < in.m; i++ {
			if st.yfix[i] < 0 || math.IsInf(st.cc[i*n+j], 1) {
				continue
			}
			x := s.xb(i*n + j)
			sum += x
			if x > maxX {
				maxX = x
			}
		}
		if sum <= 0 {
			continue
		}
		if sc := 1 - maxX/sum; sc > bScore+1e-12 {
			bj, bScore = j, sc
		}
	}
	if bj < 0 || bScore < 0.05 {
		return nil
	}
	var sites []int
	for i := 0; i < in.m; i++ {
		if st.yfix[i] >= 0 && !math.IsInf(st.cc[i*n+bj], 1) {
			sites = append(sites, i)
		}
	}
	sort.Slice(sites, func(a, b int) bool {
		xa, xb := s.xb(sites[a]*n+bj), s.xb(sites[b]*n+bj)
		if xa != xb {
			return xa > xb
		}
		return sites[a] < sites[b]
	})
	total := 0.0
	for _, i := range sites {
		total += s.xb(i*n + bj)
	}
	cut, acc := 0, 0.0
	for cut < len(sites)-1 {
		acc += s.xb(sites[cut]*n + bj)
		cut++
		if acc >= total/2 {
			break
		}
	}
	// The first child keeps the sites of most weight (it forbids the
	// rest), the second forbids them. Both lists are non-empty: 1 ≤ cut
	// < len(sites).
	var keepFirst, dropFirst []fixing
	for k, i := range sites {
		f := fixing{kind: fixX, v: 0, i: int32(i), j: int32(bj)}
		if k < cut {
			dropFirst = append(dropFirst, f)
		} else {
			keepFirst = append(keepFirst, f)
		}
	}
	ka := mk(keepFirst[0])
	ka.fixes = keepFirst
	kb := mk(dropFirst[0])
	kb.fixes = dropFirst
	return []*bbNode{ka, kb}
}

// flipBounds evaluates, at the root multipliers and with the rules of the
// problem only, the Lagrangian bound of the problem with each site
// flipped relative to the open set.
func (s *solver) flipBounds(open []int) []float64 {
	in := s.in
	if s.rootU == nil {
		return nil
	}
	st := s.newState()
	lg := s.lg
	L, ok := lg.eval(st, s.rootU)
	if !ok {
		return nil
	}
	sumU := 0.0
	for _, u := range s.rootU {
		sumU += u
	}
	_ = L
	isOpen := make([]bool, in.m)
	for _, i := range open {
		isOpen[i] = true
	}
	fix := append([]int8(nil), st.yfix...)
	out := make([]float64, in.m)
	for i := 0; i < in.m; i++ {
		if in.fix[i] != 0 {
			out[i] = math.Inf(1)
			continue
		}
		if isOpen[i] {
			fix[i] = -1
		} else {
			fix[i] = 1
		}
		v, ok, _ := lg.ys.solve(lg.w, in.cap, fix, in.totalDem, in.minOpen, in.maxOpen)
		fix[i] = 0
		if !ok {
			out[i] = math.Inf(1)
			continue
		}
		out[i] = s.provable(sumU + v)
	}
	return out
}

// singleRounds bounds the rounds of the site local search.
const singleRounds = 200
