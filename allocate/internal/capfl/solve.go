package capfl

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/gstplan/gst"
)

// DefaultGapTolerance is the relative gap at which Solve declares a
// solution optimal when Options.GapTolerance is zero.
const DefaultGapTolerance = 1e-6

// Solve finds a least-cost solution of the problem with a proven lower
// bound: a Lagrangian relaxation of the assignment constraints (one
// knapsack per site, with the aggregate capacity cut on the sites) solved
// by subgradient optimisation, Lagrangian heuristics with local search for
// incumbents (exact transportation for a fixed set of open sites under
// multi-sourcing), reduced-cost fixing, and best-first branch and bound on
// sites (and on assignments under single sourcing).
//
// The input is validated first (errors wrap gst.ErrInvalid). A problem
// that has no solution returns an error wrapping gst.ErrInfeasible
// (*InfeasibleError says why). When the context is cancelled or its
// deadline (or Options.TimeLimit) passes, Solve returns the best solution
// found with its bound and status StatusCanceled or StatusTimeLimit; it
// returns an error wrapping gst.ErrNoSolution only when it had found none.
func Solve(ctx context.Context, p *Problem, opt *Options) (*Solution, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	o, err := resolveOptions(opt, len(p.Capacity))
	if err != nil {
		return nil, err
	}
	if pairs := int64(len(p.Capacity)) * int64(len(p.Demand)); pairs > int64(o.MaxPairs) {
		return nil, fmt.Errorf("%w: %d sites × %d customers = %d pairs, above the limit of %d (Options.MaxPairs)", gst.ErrTooLarge, len(p.Capacity), len(p.Demand), pairs, o.MaxPairs)
	}
	in := newInst(p)
	if err := in.check(); err != nil {
		return nil, err
	}
	s := newSolver(ctx, in, o)
	if err := s.run(); err != nil {
		return nil, err
	}
	return s.solution(p)
}

func resolveOptions(opt *Options, m int) (Options, error) {
	var o Options
	if opt != nil {
		o = *opt
	}
	var ps gst.Problems
	if math.IsNaN(o.GapTolerance) || math.IsInf(o.GapTolerance, 0) || o.GapTolerance < 0 {
		ps.Addf("options", "gap tolerance", "must be a finite number >= 0, got %v", o.GapTolerance)
	}
	if o.TimeLimit < 0 {
		ps.Addf("options", "time limit", "must be >= 0, got %v", o.TimeLimit)
	}
	if o.NodeLimit < 0 {
		ps.Addf("options", "node limit", "must be >= 0, got %d", o.NodeLimit)
	}
	if o.IterationLimit < 0 {
		ps.Addf("options", "iteration limit", "must be >= 0, got %d", o.IterationLimit)
	}
	if math.IsNaN(o.Cutoff) || math.IsInf(o.Cutoff, 0) || o.Cutoff < 0 {
		ps.Addf("options", "cutoff", "must be a finite number >= 0 (0: none), got %v", o.Cutoff)
	}
	if o.MaxPairs < 0 {
		ps.Addf("options", "max pairs", "must be >= 0, got %d", o.MaxPairs)
	}
	for k, i := range o.InitialOpen {
		if i < 0 || i >= m {
			ps.Addf(fmt.Sprintf("options initial open[%d]", k), "site", "%d is out of range [0, %d)", i, m)
		}
	}
	if err := ps.Err(); err != nil {
		return o, err
	}
	if o.GapTolerance == 0 {
		o.GapTolerance = DefaultGapTolerance
	}
	if o.MaxPairs == 0 {
		o.MaxPairs = DefaultMaxPairs
	}
	return o, nil
}

type solver struct {
	in       *inst
	opt      Options
	ctx      context.Context
	deadline time.Time
	lg       *lagrange
	tr       *transport
	gh       *gapHeur

	ub     float64
	ubOpen []int
	ubAsg  [][]Share
	// ubCapVal holds the capacity values of the incumbent under
	// multi-sourcing (see Solution.CapacityValue).
	ubCapVal []float64
	seen     map[string]struct{}

	root      *state
	work      *state
	iters     int
	nodes     int
	stop      gst.Status
	rootBound float64
	bound     float64
	nextID    int

	ybar, xbar []float64
	xscale     float64
	pen        []float64
	pc         *pseudoCosts // branching history on sites (single sourcing)

	rootU       []float64 // best multipliers of the root node
	lastU       []float64 // best multipliers of the last node processed
	sub         bool      // a nested solve of polish
	polished    map[string]struct{}
	started     map[string]struct{} // site sets local search started from
	lsEvals     int                 // swaps evaluated by local search
	ubIters     int                 // iterations when the incumbent was last improved
	polishIters int                 // Lagrangian iterations of nested solves
}

func newSolver(ctx context.Context, in *inst, o Options) *solver {
	s := &solver{
		in:        in,
		opt:       o,
		ctx:       ctx,
		lg:        newLagrange(in),
		tr:        newTransport(in),
		ub:        math.Inf(1),
		seen:      make(map[string]struct{}),
		polished:  make(map[string]struct{}),
		started:   make(map[string]struct{}),
		rootBound: math.Inf(-1),
		bound:     math.Inf(-1),
		ybar:      make([]float64, in.m),
		pen:       make([]float64, in.m),
	}
	if d, ok := ctx.Deadline(); ok {
		s.deadline = d
	}
	s.tr.stop = s.timeUp
	if o.TimeLimit > 0 {
		d := time.Now().Add(o.TimeLimit)
		if s.deadline.IsZero() || d.Before(s.deadline) {
			s.deadline = d
		}
	}
	if in.single {
		s.xbar = make([]float64, in.m*in.n)
		s.gh = newGapHeur(in)
		s.gh.stop = s.timeUp
		s.pc = newPseudoCosts(in.m)
	}
	s.root = s.newState()
	s.work = s.newState()
	return s
}

func (s *solver) newState() *state {
	in := s.in
	st := &state{
		yfix:   append([]int8(nil), in.fix...),
		cc:     append([]float64(nil), in.c...),
		asg:    make([]int32, in.n),
		capRes: append([]float64(nil), in.cap...),
		fixAdd: make([]float64, in.m),
		free:   make([]int32, 0, in.n),
		freeIn: make([]bool, in.n),
	}
	for j := range st.asg {
		st.asg[j] = -1
		st.free = append(st.free, int32(j))
		st.freeIn[j] = true
	}
	return st
}

// timeUp reports whether the solve must stop, and records why: the
// context, the deadline, or Options.IterationLimit.
func (s *solver) timeUp() bool {
	if s.stop != 0 {
		return true
	}
	if s.opt.IterationLimit > 0 && s.iters+s.polishIters >= s.opt.IterationLimit {
		s.stop = gst.StatusFeasible
		return true
	}
	if err := s.ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			s.stop = gst.StatusTimeLimit
		} else {
			s.stop = gst.StatusCanceled
		}
		return true
	}
	if !s.deadline.IsZero() && !time.Now().Before(s.deadline) {
		s.stop = gst.StatusTimeLimit
		return true
	}
	return false
}

// stopReason says what stopped the solve, for error messages: the
// iteration or node limit (status StatusFeasible), else the status.
func (s *solver) stopReason() string {
	switch {
	case s.stop != gst.StatusFeasible:
		return s.stop.String()
	case s.opt.IterationLimit > 0 && s.iters+s.polishIters >= s.opt.IterationLimit:
		return "iteration limit"
	case s.opt.NodeLimit > 0 && s.nodes >= s.opt.NodeLimit:
		return "node limit"
	}
	return "root only"
}

// thr is the bound at or above which a node cannot hold a solution better
// than the incumbent by more than the tolerance, nor (with a cutoff and no
// incumbent within it) a solution at or below the cutoff.
func (s *solver) thr() float64 {
	if ct, ok := s.cutoffThr(); ok && !(s.ub <= ct) {
		return math.Min(ct, s.in.maxCost)
	}
	if math.IsInf(s.ub, 1) {
		return s.in.maxCost
	}
	t := s.ub - 0.999*s.opt.GapTolerance*math.Abs(s.ub)
	if s.in.integral {
		if ti := s.ub - 1 + 1e-7*math.Max(1, math.Abs(s.ub)); ti < t {
			t = ti
		}
	}
	return t
}

// cutoffThr is Options.Cutoff plus a rounding allowance: a solution within
// it meets the cutoff, a node bound at or above it cannot. ok is false
// without a cutoff.
func (s *solver) cutoffThr() (float64, bool) {
	c := s.opt.Cutoff
	if c <= 0 {
		return 0, false
	}
	return c + 1e-9*math.Max(1, c), true
}

// aboveCutoff reports whether a cutoff is set and the incumbent (if any)
// is above it.
func (s *solver) aboveCutoff() bool {
	ct, ok := s.cutoffThr()
	return ok && !(s.ub <= ct)
}

// provable rounds a node bound up when objectives are integers. When the
// costs are integers only up to rounding, every objective lies within
// intSlack of the integer objective Z of the rounded costs: a bound b
// gives Z ≥ ⌈b − intSlack⌉ and so the bound ⌈b − intSlack⌉ − intSlack.
func (s *solver) provable(b float64) float64 {
	if s.in.integral && !math.IsInf(b, 0) {
		sl := s.in.intSlack
		return math.Ceil(b-1e-7*math.Max(1, math.Abs(b))-sl) - sl
	}
	return b
}

// bbNode is a node of the search tree.
type bbNode struct {
	parent *bbNode
	fixes  []fixing
	bound  float64
	u      []float64
	depth  int
	id     int
	// brSite, brUp and brFrac describe the branching on a site that
	// created the node (brFrac: the distance of the parent's ȳ from the
	// child's value; 0 when the node was not made by branching on a site),
	// for the pseudocosts.
	brSite int32
	brUp   bool
	brFrac float64
}

type nodeHeap []*bbNode

func (h nodeHeap) Len() int { return len(h) }
func (h nodeHeap) Less(a, b int) bool {
	if h[a].bound != h[b].bound {
		return h[a].bound < h[b].bound
	}
	if h[a].depth != h[b].depth {
		return h[a].depth > h[b].depth
	}
	return h[a].id < h[b].id
}
func (h nodeHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *nodeHeap) Push(x any)   { *h = append(*h, x.(*bbNode)) }
func (h *nodeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// maxOpenNodes caps the open nodes kept by best-first search; beyond it the
// search dives (depth first) until the list shrinks.
const maxOpenNodes = 20000

// nodeDual is the subgradient schedule of the nodes below the root.
var nodeDual = dualCfg{maxIter: 400, lambda: 0.5, patience: 12, lambdaMin: 1e-3, project: 20}

func (s *solver) run() error {
	in := s.in
	if !in.single {
		// With forbidden pairs, check that all the sites that may open
		// can carry the demand.
		var all []int
		for i := 0; i < in.m; i++ {
			if in.fix[i] >= 0 {
				all = append(all, i)
			}
		}
		if _, ok := s.tr.solve(all); !ok {
			if s.stop != 0 {
				return fmt.Errorf("%w: the solve stopped (%v) while checking that the sites can serve the customers", gst.ErrNoSolution, s.stopReason())
			}
			return infeasible("the sites that may open cannot serve every customer within their capacities using the allowed site-customer pairs")
		}
	}
	if len(s.opt.InitialOpen) > 0 {
		s.tryOpenSet(sortedInts(s.opt.InitialOpen), nil)
	}
	u := s.initialMultipliers()
	rootNode := &bbNode{bound: math.Inf(-1), u: u, id: s.nextID}
	s.nextID++
	open := &nodeHeap{}
	heap.Push(open, rootNode)
	prunedMin := math.Inf(1)
	var dive []*bbNode
	for open.Len() > 0 || len(dive) > 0 {
		if s.timeUp() {
			break
		}
		if s.opt.Progress != nil && len(dive) == 0 && s.nodes > 0 {
			// Best first: the heap's top bounds every open region.
			s.opt.Progress(math.NaN(), math.Min(math.Min(prunedMin, s.ub), s.provable((*open)[0].bound)))
		}
		if s.opt.NodeLimit > 0 && s.nodes >= s.opt.NodeLimit {
			s.stop = gst.StatusFeasible
			break
		}
		var nd *bbNode
		if len(dive) > 0 {
			nd = dive[len(dive)-1]
			dive = dive[:len(dive)-1]
		} else {
			nd = heap.Pop(open).(*bbNode)
		}
		if nd.bound >= s.thr() {
			prunedMin = math.Min(prunedMin, s.provable(nd.bound))
			continue
		}
		b, kids, done := s.process(nd)
		if done {
			s.learn(nd, b)
		}
		// A node's bound never falls below its parent's (its
		// solutions are a subset), even when its own subgradient
		// stopped short.
		b = math.Max(b, nd.bound)
		if done {
			// the children hold the multipliers they start from;
			// descendants only need this node's fixings
			nd.u = nil
		}
		if !done {
			// stopped inside the node: it stays open with its new bound
			nd.bound = math.Max(nd.bound, b)
			heap.Push(open, nd)
			break
		}
		if nd.parent == nil {
			s.rootBound = s.provable(b)
			s.rootU = s.lastU
			if s.opt.RootOnly {
				if len(kids) > 0 {
					nd.bound = b
					heap.Push(open, nd)
					s.stop = gst.StatusFeasible
				} else {
					prunedMin = math.Min(prunedMin, s.provable(b))
				}
				break
			}
		}
		if len(kids) == 0 {
			prunedMin = math.Min(prunedMin, s.provable(b))
			continue
		}
		for _, k := range kids {
			k.bound = b
			if open.Len()+len(dive) >= maxOpenNodes {
				dive = append(dive, k)
			} else {
				heap.Push(open, k)
			}
		}
	}
	lb := math.Min(prunedMin, s.ub)
	for _, nd := range *open {
		lb = math.Min(lb, s.provable(nd.bound))
	}
	for _, nd := range dive {
		lb = math.Min(lb, s.provable(nd.bound))
	}
	if math.IsInf(lb, -1) {
		lb = s.rootBound
	}
	s.bound = lb
	if s.aboveCutoff() && !math.IsInf(lb, 1) {
		if s.stop == 0 {
			return &CutoffError{Cutoff: s.opt.Cutoff, Bound: lb, Nodes: s.nodes}
		}
		return fmt.Errorf("%w: the solve stopped (%v) after %d nodes before it found a solution of objective at most the cutoff %v", gst.ErrNoSolution, s.stopReason(), s.nodes, s.opt.Cutoff)
	}
	if s.ubAsg == nil {
		if s.stop == 0 {
			return infeasible("no assignment of the customers respects the capacities and the rules on open sites (proven by exhaustive search)")
		}
		return fmt.Errorf("%w: the solve stopped (%v) after %d nodes before it found a feasible solution", gst.ErrNoSolution, s.stopReason(), s.nodes)
	}
	return nil
}

// initialMultipliers sets u_j to the cost of serving customer j from its
// second cheapest site (its cheapest when it has only one).
func (s *solver) initialMultipliers() []float64 {
	in := s.in
	u := make([]float64, in.n)
	for j := 0; j < in.n; j++ {
		l := in.byCost[j]
		k := 1
		if len(l) < 2 {
			k = 0
		}
		u[j] = in.c[int(l[k])*in.n+j]
	}
	return u
}

// buildState applies the fixings of a node and its ancestors to the root
// state. ok is false when the fixings contradict each other or leave a
// customer without a site.
func (s *solver) buildState(nd *bbNode) (*state, bool) {
	in := s.in
	n := in.n
	st := s.work
	r := s.root
	copy(st.yfix, r.yfix)
	copy(st.cc, r.cc)
	copy(st.asg, r.asg)
	copy(st.capRes, r.capRes)
	copy(st.fixAdd, r.fixAdd)
	var chain [][]fixing
	for p := nd; p != nil; p = p.parent {
		chain = append(chain, p.fixes)
	}
	for k := len(chain) - 1; k >= 0; k-- {
		for _, f := range chain[k] {
			i, j := int(f.i), int(f.j)
			switch f.kind {
			case fixY:
				if st.yfix[i] != 0 && st.yfix[i] != f.v {
					return st, false
				}
				st.yfix[i] = f.v
			case fixX:
				if f.v == 0 {
					st.cc[i*n+j] = math.Inf(1)
					if st.asg[j] == int32(i) {
						return st, false
					}
					continue
				}
				if st.asg[j] >= 0 {
					if st.asg[j] != int32(i) {
						return st, false
					}
					continue
				}
				if st.yfix[i] < 0 || math.IsInf(st.cc[i*n+j], 1) {
					return st, false
				}
				st.asg[j] = int32(i)
				st.yfix[i] = 1
				st.capRes[i] -= in.dem[j]
				st.fixAdd[i] += in.c[i*n+j]
			}
		}
	}
	st.free = st.free[:0]
	opened := 0
	for i := 0; i < in.m; i++ {
		if st.yfix[i] > 0 {
			opened++
		}
		if st.capRes[i] < -1e-9*math.Max(1, in.cap[i]) {
			return st, false
		}
		if st.yfix[i] < 0 && st.fixAdd[i] != 0 {
			return st, false
		}
	}
	if opened > in.maxOpen {
		return st, false
	}
	for j := 0; j < n; j++ {
		st.freeIn[j] = st.asg[j] < 0
		if !st.freeIn[j] {
			continue
		}
		st.free = append(st.free, int32(j))
		ok := false
		for _, i32 := range in.byCost[j] {
			i := int(i32)
			if st.yfix[i] < 0 || math.IsInf(st.cc[i*n+j], 1) {
				continue
			}
			if in.single && st.capRes[i] < in.dem[j]-1e-9*math.Max(1, in.dem[j]) {
				continue
			}
			ok = true
			break
		}
		if !ok {
			return st, false
		}
	}
	return st, true
}

type dualCfg struct {
	maxIter   int
	lambda    float64
	patience  int
	lambdaMin float64
	heurEvery int
	// project, when positive, checks progress every project iterations
	// and stops when it cannot reach the pruning threshold in time.
	project int
}

// dual runs subgradient optimisation from u (updated in place to the best
// multipliers found). It returns the best bound, whether the node is
// infeasible, and whether it stopped for time.
func (s *solver) dual(st *state, u []float64, cfg dualCfg) (best float64, infeas bool, stopped bool) {
	in := s.in
	lg := s.lg
	best = math.Inf(-1)
	bestU := append([]float64(nil), u...)
	lambda := cfg.lambda
	noImp := 0
	alpha := 1.0
	mark := 0.0         // best bound at the last progress check
	var dprev []float64 // last direction, once there is an incumbent
	for it := 0; it < cfg.maxIter; it++ {
		if s.timeUp() {
			stopped = true
			break
		}
		// The Lagrangian heuristic ranks sites by their value w: on
		// its iterations every knapsack is solved.
		heurIt := cfg.heurEvery > 0 && it%cfg.heurEvery == 0
		var L float64
		var ok bool
		if heurIt {
			L, ok = lg.eval(st, u)
		} else {
			L, ok = lg.evalLazy(st, u)
		}
		s.iters++
		if !ok {
			return math.Inf(1), true, false
		}
		if math.IsInf(best, -1) || L > best+1e-12*math.Abs(best) {
			if math.IsInf(best, -1) || L > best+1e-6*math.Max(1, math.Abs(best)) {
				noImp = 0
			} else {
				noImp++
			}
			best = L
			copy(bestU, u)
		} else {
			noImp++
		}
		// primal estimates
		for i := 0; i < in.m; i++ {
			v := 0.0
			if lg.ysel[i] {
				v = 1
			}
			s.ybar[i] = (1-alpha)*s.ybar[i] + alpha*v
		}
		if in.single {
			s.smoothX(alpha)
		}
		if alpha > 0.1 {
			alpha = math.Max(0.1, alpha/2)
		}
		if best >= s.thr() || best > in.maxCost {
			break
		}
		// Below the root, stop when even the recent rate of progress,
		// kept up for the remaining iterations, would not prune the
		// node: it will be branched on anyway.
		if cfg.project > 0 && it > 0 && it%cfg.project == 0 {
			if !math.IsInf(s.ub, 1) && best+(best-mark)*float64(cfg.maxIter-it)/float64(cfg.project) < s.thr() {
				break
			}
			mark = best
		}
		if it == 0 {
			mark = best
		}
		norm := lg.subgradient(st, u)
		if norm == 0 {
			if !heurIt {
				lg.eval(st, u)
			}
			s.offerRelaxed(st)
			break
		}
		if heurIt {
			s.lagrHeur(st)
			if best >= s.thr() {
				break
			}
		}
		target := s.ub
		if math.IsInf(target, 1) {
			target = L + 0.1*math.Abs(L) + 1
		}
		if minT := L + 1e-7*math.Max(1, math.Abs(L)); target < minT {
			target = minT
		}
		dirn := lg.g
		if !math.IsInf(s.ub, 1) {
			if dprev == nil {
				dprev = make([]float64, in.n)
			}
			norm = deflect(st.free, lg.g, dprev)
			dirn = dprev
		}
		step := lambda * (target - L) / norm
		for _, j := range st.free {
			v := u[j] + step*dirn[j]
			if v < 0 {
				v = 0
			}
			u[j] = v
		}
		if noImp >= cfg.patience {
			lambda /= 2
			noImp = 0
			copy(u, bestU)
			if lambda < cfg.lambdaMin {
				break
			}
		}
	}
	copy(u, bestU)
	return best, false, stopped
}

// deflection is the γ of the Camerini–Fratta–Maffioli rule in deflect.
// Measured on pmedcap1_08, _14, _17, _20, SJC4a and SJC4b (nodes to the
// proof; see the orlib results README): γ = 0.7 took fewer nodes than the
// plain subgradient on five of the six, and a third of its CPU time in
// all; γ = 1 took 42k nodes on pmedcap1_20 against 27k.
const deflection = 0.7

// deflect turns the subgradient g into the step direction d ← g + β·d
// with the previous direction d (Camerini, Fratta and Maffioli 1975):
// β = γ·|g·d|/‖d‖² when g and d point apart (g·d < 0), else 0. With
// 0 ≤ γ ≤ 2 the deflected direction is at least as close in angle to the
// optimal multipliers as g is, and it damps the zigzag of plain
// subgradient steps. With γ < 1, d·g ≥ (1−γ)‖g‖² (Cauchy–Schwarz), so d
// is never zero while g is not. The bound does not depend on it: every
// u ≥ 0 gives a valid L(u). It returns ‖d‖² over the free customers.
func deflect(free []int32, g, d []float64) float64 {
	gd, dd := 0.0, 0.0
	for _, j := range free {
		gd += g[j] * d[j]
		dd += d[j] * d[j]
	}
	beta := 0.0
	if dd > 0 && gd < 0 {
		beta = -deflection * gd / dd
	}
	norm := 0.0
	for _, j := range free {
		v := g[j] + beta*d[j]
		d[j] = v
		norm += v * v
	}
	return norm
}

// smoothX updates the smoothed assignment x̄ ← (1−α)·x̄ + α·x with the
// selections of the last Lagrangian solution. x̄ is stored scaled (x̄ =
// xbar·xscale) so that the decay costs nothing per entry.
func (s *solver) smoothX(alpha float64) {
	in := s.in
	n := in.n
	lg := s.lg
	if alpha >= 1 {
		for k := range s.xbar {
			s.xbar[k] = 0
		}
		s.xscale = 1
	} else {
		s.xscale *= 1 - alpha
		if s.xscale < 1e-150 {
			for k := range s.xbar {
				s.xbar[k] *= s.xscale
			}
			s.xscale = 1
		}
	}
	add := alpha / s.xscale
	for i := 0; i < in.m; i++ {
		if !lg.ysel[i] {
			continue
		}
		for k := lg.selOff[i]; k < lg.selOff[i+1]; k++ {
			s.xbar[i*n+int(lg.selJ[k])] += add * lg.selF[k]
		}
	}
}

// xb returns the smoothed assignment x̄ of the pair with flat index k.
func (s *solver) xb(k int) float64 { return s.xbar[k] * s.xscale }

// process evaluates a node: bound, heuristics, fixing and branching. done
// is false when time ran out inside the node.
func (s *solver) process(nd *bbNode) (bound float64, kids []*bbNode, done bool) {
	in := s.in
	s.nodes++
	st, ok := s.buildState(nd)
	if !ok {
		return math.Inf(1), nil, true
	}
	isRoot := nd.parent == nil
	if !in.single {
		nfree := 0
		var openSet []int
		for i := 0; i < in.m; i++ {
			switch st.yfix[i] {
			case 0:
				nfree++
			case 1:
				openSet = append(openSet, i)
			}
		}
		if nfree == 0 {
			if len(openSet) < in.minOpen || len(openSet) > in.maxOpen {
				return math.Inf(1), nil, true
			}
			v, ok := s.tryOpenSet(openSet, nil)
			if !ok {
				return math.Inf(1), nil, true
			}
			return v, nil, true
		}
	}
	if in.single && len(st.free) == 0 {
		// Every customer is fixed: the node is one solution (plus
		// empty sites the rules may require).
		return s.evalFixed(st), nil, true
	}
	u := append([]float64(nil), nd.u...)
	for i := range s.ybar {
		s.ybar[i] = 0
	}
	if s.xbar != nil {
		for k := range s.xbar {
			s.xbar[k] = 0
		}
		s.xscale = 1
	}
	cfg := nodeDual
	if isRoot {
		// A first pass finds incumbents (the Polyak steps aim at the
		// incumbent value), local search improves the best, then a
		// second pass converges with the better target.
		cfg = dualCfg{maxIter: 300, lambda: 2, patience: 20, lambdaMin: 1e-3, heurEvery: 5}
	}
	s.lastU = u
	best, infeas, stopped := s.dual(st, u, cfg)
	if infeas {
		return math.Inf(1), nil, true
	}
	if stopped {
		return best, nil, false
	}
	if best < s.thr() {
		// evaluate the Lagrangian solution at the best multipliers
		s.lg.eval(st, u)
		s.lagrHeur(st)
		s.roundingHeur(st)
		if isRoot {
			s.improve()
		}
	}
	if isRoot && best < s.thr() {
		c2 := dualCfg{maxIter: 5000, lambda: 1, patience: 40, lambdaMin: 1e-6, heurEvery: 25}
		b2, infeas, stopped := s.dual(st, u, c2)
		if infeas {
			return math.Inf(1), nil, true
		}
		best = math.Max(best, b2)
		if stopped {
			return best, nil, false
		}
		if best < s.thr() {
			s.lg.eval(st, u)
			s.lagrHeur(st)
			s.improve()
		}
	}
	// reduced-cost fixing, then a few more iterations while it fixes
	for round := 0; round < 5 && best < s.thr(); round++ {
		nf := s.fixByPenalties(nd, st, u, best, isRoot)
		// Below the root, fixings go to the children; another
		// round of subgradient here rarely pays.
		if nf == 0 || !isRoot {
			break
		}
		var ok bool
		st, ok = s.buildState(nd)
		if !ok {
			return math.Inf(1), nil, true
		}
		c2 := cfg
		c2.lambda = 0.1
		if isRoot {
			c2.maxIter = 600
			c2.lambda = 0.5
		} else {
			c2.maxIter = 100
		}
		c2.heurEvery = 0
		b2, infeas, stopped := s.dual(st, u, c2)
		if infeas {
			return math.Inf(1), nil, true
		}
		if b2 > best {
			best = b2
		}
		if stopped {
			return best, nil, false
		}
		s.lg.eval(st, u)
		s.lagrHeur(st)
	}
	if best >= s.thr() {
		return best, nil, true
	}
	kids = s.branch(nd, st, u)
	if len(kids) == 0 {
		// No free site and no free pair: the free customers have no
		// site left, so the node holds no solution.
		return math.Inf(1), nil, true
	}
	return best, kids, true
}

// evalFixed values a single-source node whose customers are all fixed:
// the fixed sites, plus the cheapest free sites when MinOpen asks for
// more. It offers the solution as incumbent and returns its cost (+Inf
// when the rules cannot be met).
func (s *solver) evalFixed(st *state) float64 {
	in := s.in
	var open []int
	isOpen := make([]bool, in.m)
	for i := 0; i < in.m; i++ {
		if st.yfix[i] > 0 {
			open = append(open, i)
			isOpen[i] = true
		}
	}
	if len(open) > in.maxOpen {
		return math.Inf(1)
	}
	if len(open) < in.minOpen {
		var extra []int
		for i := 0; i < in.m; i++ {
			if st.yfix[i] == 0 {
				extra = append(extra, i)
			}
		}
		sort.Slice(extra, func(a, b int) bool {
			if in.fc[extra[a]] != in.fc[extra[b]] {
				return in.fc[extra[a]] < in.fc[extra[b]]
			}
			return extra[a] < extra[b]
		})
		need := in.minOpen - len(open)
		if need > len(extra) {
			return math.Inf(1)
		}
		open = append(open, extra[:need]...)
		sort.Ints(open)
	}
	v := 0.0
	for _, i := range open {
		v += in.fc[i]
	}
	for j := 0; j < in.n; j++ {
		v += in.c[int(st.asg[j])*in.n+j]
	}
	if v < s.ub && s.openOK(open) {
		asg := make([][]Share, in.n)
		for j := range asg {
			asg[j] = []Share{{Site: int(st.asg[j]), Fraction: 1}}
		}
		s.setIncumbent(v, open, asg)
	}
	return v
}
