package pmedian

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gstplan/gst"
)

// Solve finds the plan of least cost and proves its optimality by
// Lagrangian branch and bound; see the package documentation for the
// method. It returns an error only for invalid input (wrapping
// gst.ErrInvalid), a problem without any feasible plan
// (gst.ErrInfeasible), an input above a size limit (gst.ErrTooLarge), or a
// stop before any plan was found (gst.ErrNoSolution). A deadline or a
// cancelled context returns the best plan found so far with its proven
// bound and StatusTimeLimit or StatusCanceled.
func Solve(ctx context.Context, p *Problem, opt *Options) (*Result, error) {
	t0 := time.Now()
	o := opt.withDefaults()
	if o.TimeLimit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.TimeLimit)
		defer cancel()
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	in, err := compile(p)
	if err != nil {
		return nil, err
	}
	for _, j := range o.Initial {
		if j < 0 || j >= p.Sites {
			return nil, fmt.Errorf("%w: pmedian: Options.Initial: site %d out of range [0, %d)", gst.ErrInvalid, j, p.Sites)
		}
	}
	if S := searchSlots(in); int64(in.m)*int64(S) > 4*maxExtra {
		return nil, fmt.Errorf("%w: pmedian: %d sites with at least %d open need a %d×%d local search table; lower MinOpen or the number of sites",
			gst.ErrTooLarge, in.m, in.lo, in.m, S)
	}
	e := newEngine(ctx, in, &o)
	res, err := e.run()
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(t0)
	return res, nil
}

// engine holds the state of one solve.
type engine struct {
	ctx  context.Context
	orig *inst // the problem as given
	in   *inst // the problem after root fixing (same indices)
	opt  *Options

	ub     float64 // incumbent objective
	best   []int32 // incumbent open sites, sorted
	pruned float64 // least bound of the regions pruned so far
	nodes  int
	iters  int

	// Lagrangian work space.
	ys      *ysolve
	rho     []float64
	plen    []int32
	mask    []bool
	g       []float64
	cap     []float64 // λ caps of the node
	low     []float64 // λ floors of the node
	ybar    []float64
	lsum    float64   // Σ λ of the last evaluation
	dir     []float64 // deflected direction
	bestLam []float64
	work    *workers

	srch  *search
	tried map[uint64]bool
	// lagWork counts the list entries the relaxation visited; the
	// Lagrangian heuristic's local searches may use half as much.
	lagWork int64
	prefix  int64   // entries of the last evaluation's prefixes
	chosen  []int32 // sites of the Lagrangian solution
	cnt     []int32
}

func newEngine(ctx context.Context, in *inst, o *Options) *engine {
	e := &engine{ctx: ctx, orig: in, in: in, opt: o, ub: math.Inf(1), pruned: math.Inf(1),
		rho: make([]float64, in.m), plen: make([]int32, in.n), mask: make([]bool, in.m),
		g: make([]float64, in.n), cap: make([]float64, in.n), low: make([]float64, in.n),
		ybar: make([]float64, in.m), dir: make([]float64, in.n), bestLam: make([]float64, in.n), cnt: make([]int32, in.n), tried: map[uint64]bool{}}
	e.ys = newYsolve(in)
	e.work = newWorkers(o.Workers, in)
	return e
}

// report hands an incumbent objective or a bound (NaN for the other) to
// Options.Progress.
func (e *engine) report(objective, bound float64) {
	if e.opt.Progress != nil {
		e.opt.Progress(objective, bound)
	}
}

// reportTree reports the bound of the tree: the least of the incumbent,
// the pruned regions and the open nodes.
func (e *engine) reportTree(stack []*node) {
	if e.opt.Progress == nil {
		return
	}
	bound := min(e.ub, e.pruned)
	for _, nd := range stack {
		bound = min(bound, e.lbRound(nd.bound))
	}
	e.report(math.NaN(), bound)
}

func (e *engine) logf(format string, args ...any) {
	if e.opt.Log != nil {
		e.opt.Log(format, args...)
	}
}

// lbRound turns a Lagrangian value (already less its rounding allowance)
// into a bound on the optimum: rounded up when the optimum is an integer.
func (e *engine) lbRound(l float64) float64 {
	if math.IsInf(l, 0) {
		return l
	}
	if e.orig.integral {
		return math.Ceil(l - 1e-9*max(1, math.Abs(l)))
	}
	return l
}

// tol is the absolute gap that counts as closed.
func (e *engine) tol() float64 {
	return max(e.opt.AbsGap, e.opt.RelGap*math.Abs(e.ub))
}

// closes reports whether a region with bound l cannot hold a plan better
// than the incumbent by more than the tolerance.
func (e *engine) closes(l float64) bool { return e.lbRound(l) >= e.ub-e.tol() }

// offer records a plan (sorted open sites) when it beats the incumbent.
func (e *engine) offer(open []int32, obj float64) bool {
	if math.IsInf(e.ub, 1) || obj < e.ub-1e-12*max(1, math.Abs(e.ub)) {
		e.ub = obj
		e.best = slices.Clone(open)
		e.report(obj, math.NaN())
		return true
	}
	return false
}

// heuristic runs the local search from a start (nil: greedy) and offers
// the result.
func (e *engine) heuristic(from []int32) {
	if e.srch == nil {
		e.srch = newSearch(e.orig)
	}
	s := e.srch
	s.construct(e.ctx, from)
	s.descend(e.ctx)
	if len(s.list) < e.orig.lo || len(s.list) > e.orig.hi || s.changes > e.orig.maxCh {
		return
	}
	open := s.solution()
	mask := make([]bool, e.orig.m)
	for _, j := range open {
		mask[j] = true
	}
	obj, ok := e.orig.evaluate(open, mask, nil)
	if ok {
		e.offer(open, obj)
	}
}

// improve runs rounds of iterated local search from the incumbent, within
// a work budget of workPer list entries visited per client.
func (e *engine) improve(rng *rand.Rand, rounds int, workPer int64) {
	if rounds <= 0 || e.best == nil {
		return
	}
	s := e.srch
	s.construct(e.ctx, e.best)
	s.descend(e.ctx)
	s.iterate(e.ctx, rng, rounds, workPer*int64(e.orig.n))
	if len(s.list) < e.orig.lo || len(s.list) > e.orig.hi || s.changes > e.orig.maxCh {
		return
	}
	open := s.solution()
	mask := make([]bool, e.orig.m)
	for _, j := range open {
		mask[j] = true
	}
	if obj, ok := e.orig.evaluate(open, mask, nil); ok {
		e.offer(open, obj)
	}
}

// eval computes L(λ) at the node, less an allowance for rounding, with ρ,
// the prefix lengths and the subproblem solution. It returns +Inf when the
// node's subproblem is infeasible. e.lsum keeps Σλ less the allowance,
// for the flip values.
func (e *engine) eval(lam []float64, status []Rule) float64 {
	lsum, scale, count := e.work.rho(e.in, lam, e.rho, e.plen)
	e.prefix = count
	e.lagWork += 2 * count // the gradient pass visits about as many
	for j, r := range e.rho {
		scale += math.Abs(r) + math.Abs(e.in.fixed[j])
	}
	// Every value is a sum of at most n + m + 2 terms whose magnitudes
	// add up to at most scale, so its rounding error is below
	// (n + m + 2)·2u·scale (u the unit roundoff): subtracting that keeps
	// the bound safe however large λ grows.
	e.lsum = lsum - float64(e.in.n+e.in.m+2)*2.3e-16*scale
	e.ys.prepare(e.rho, status)
	if !e.ys.feasible {
		return math.Inf(1)
	}
	return e.lsum + e.ys.value
}

// nodeCaps sets the λ caps and floors of a node. The cap of client i is
// the least of: Weight·Beyond (truncated lists), the cost of its cheapest
// site forced open, and, so that λ stays finite, its dearest allowed cost
// when it lists every site still allowed (L cannot grow beyond it), that
// cost plus in.big otherwise.
func (e *engine) nodeCaps(status []Rule) {
	in := e.in
	allowed := 0
	for _, r := range status {
		if r != Closed {
			allowed++
		}
	}
	for i := 0; i < in.n; i++ {
		c := in.capL[i]
		lo := math.Inf(1)
		dmax := 0.0
		listed := 0
		forced := false
		for k := in.start[i]; k < in.start[i+1]; k++ {
			if status[in.site[k]] == Closed {
				continue
			}
			listed++
			lo = min(lo, in.cost[k])
			dmax = in.cost[k]
			if status[in.site[k]] == Open {
				c = min(c, in.cost[k])
				forced = true
				break
			}
		}
		if !forced && math.IsInf(c, 1) {
			if listed == allowed {
				c = dmax
			} else {
				c = dmax + in.big
			}
		}
		if math.IsInf(lo, 1) {
			lo = 0
		}
		e.cap[i], e.low[i] = c, min(lo, c)
	}
}

// subgradient maximises L(λ) at a node from λ (updated in place to the
// best multipliers found) and returns the best value. It follows Held,
// Wolfe and Crowder's projected subgradient method with the Polyak step
// π(UB − L)/‖d‖², π halved when the bound stalls, and the direction
// deflected as Camerini, Fratta and Maffioli propose
// (d = g + β·d_prev, β = −1.5·g·d_prev/‖d_prev‖² when positive), which
// damps the zigzag of plain subgradients. At the root it also tries
// Lagrangian solutions as incumbents.
func (e *engine) subgradient(lam []float64, status []Rule, maxIter int, pi float64, root bool) float64 {
	in := e.in
	e.nodeCaps(status)
	for i := range lam {
		lam[i] = min(max(lam[i], e.low[i]), e.cap[i])
	}
	bestL := math.Inf(-1)
	bestLam := e.bestLam
	copy(bestLam, lam)
	clear(e.ybar)
	clear(e.dir)
	patience := 20
	stall := 0
	weight := 0.0
	for it := 0; it < maxIter; it++ {
		if it > 0 && it%4 == 0 && e.ctx.Err() != nil {
			// (The first evaluation always runs, so that even a stopped
			// solve reports a finite bound.)
			break
		}
		e.iters++
		l := e.eval(lam, status)
		if math.IsInf(l, 1) {
			copy(lam, bestLam)
			return l
		}
		improved := false
		if math.IsInf(bestL, -1) || l > bestL+1e-9*max(1, math.Abs(bestL)) {
			improved = true
			bestL = l
			copy(bestLam, lam)
			stall = 0
		} else {
			stall++
			if stall >= patience {
				pi /= 2
				stall = 0
			}
		}
		e.ys.chosen(e.mask)
		// Average of the Lagrangian solutions, for branching
		// (an exponential average, after a plain one over the first ten
		// iterations, so that late solutions count most).
		weight++
		alpha := max(1/weight, 0.1)
		for j, on := range e.mask {
			v := 0.0
			if on {
				v = 1
			}
			e.ybar[j] += (v - e.ybar[j]) * alpha
		}
		if root && improved && it%10 == 0 {
			// Lagrangian heuristic: price the solution, and now and then
			// run a local search from it.
			e.tryLagrangian(it%100 == 0)
		}
		if root && it%200 == 0 {
			e.logf("it %d L %.6g best %.6g ub %.6g pi %.3g", it, l, bestL, e.ub, pi)
		}
		if e.closes(bestL) || pi < 1e-4 {
			break
		}
		e.chosen = e.chosen[:0]
		for j, on := range e.mask {
			if on {
				e.chosen = append(e.chosen, int32(j))
			}
		}
		gd, dd := e.work.grad(in, lam, e.mask, e.chosen, e.plen, e.prefix, e.cnt, e.cap, e.low, e.g, e.dir)
		beta := 0.0
		if dd > 0 && gd < 0 {
			beta = -1.5 * gd / dd
		}
		norm := 0.0
		for i, gi := range e.g {
			di := gi + beta*e.dir[i]
			if di > 0 && lam[i] >= e.cap[i] || di < 0 && lam[i] <= e.low[i] {
				di = 0
			}
			e.dir[i] = di
			norm += di * di
		}
		if norm == 0 {
			break
		}
		target := e.ub
		if math.IsInf(target, 1) {
			target = l + math.Abs(l)*0.1 + 1
		}
		t := pi * max(target-l, 1e-6*max(1, math.Abs(l))) / norm
		for i, di := range e.dir {
			if di != 0 {
				lam[i] = min(max(lam[i]+t*di, e.low[i]), e.cap[i])
			}
		}
	}
	copy(lam, bestLam)
	if root {
		// A last local search from the best Lagrangian solution.
		e.eval(lam, status)
		e.ys.chosen(e.mask)
		e.tryLagrangian(true)
	}
	return bestL
}

// tryLagrangian offers the current Lagrangian solution, and with local
// set also a local search from it.
func (e *engine) tryLagrangian(local bool) {
	open := make([]int32, 0, e.in.hi)
	for j, on := range e.mask {
		if on {
			open = append(open, int32(j))
		}
	}
	if len(open) == 0 {
		return
	}
	obj, ok := e.in.evaluate(open, e.mask, nil)
	if ok && e.changesOK(e.mask) {
		e.offer(open, obj)
	}
	if local && (e.srch == nil || e.srch.work < e.lagWork/2+int64(len(e.orig.site))) {
		h := uint64(14695981039346656037)
		for _, j := range open {
			h = (h ^ uint64(j)) * 1099511628211
		}
		if !e.tried[h] {
			e.tried[h] = true
			e.heuristic(open)
		}
	}
}

func (e *engine) changesOK(mask []bool) bool {
	if e.orig.maxCh > e.orig.m {
		return true
	}
	c := 0
	for j, on := range mask {
		if on != e.orig.current[j] {
			c++
		}
	}
	return c <= e.orig.maxCh
}

// fix applies Lagrangian reduced-cost fixing at the best λ of a node: a
// free site whose flip would lift the bound to the incumbent keeps the
// state the Lagrangian solution gives it. It returns the number fixed and
// the node's bound (recomputed at λ).
func (e *engine) fix(lam []float64, status []Rule) (int, float64) {
	l := e.eval(lam, status)
	if math.IsInf(l, 1) {
		return 0, l
	}
	e.ys.chosen(e.mask)
	fixed := 0
	for j := 0; j < e.in.m; j++ {
		if status[j] != Free {
			continue
		}
		lf := e.lsum + e.ys.flip(int32(j), e.rho)
		if e.closes(lf) {
			e.pruned = min(e.pruned, e.lbRound(lf))
			if e.mask[j] {
				status[j] = Open
			} else {
				status[j] = Closed
			}
			fixed++
		}
	}
	return fixed, l
}

// node is an open region of the search tree.
type node struct {
	status []Rule
	lam    []float64
	bound  float64 // parent's bound, a bound on the region
	depth  int
}

// incumbent finds the first plan: the construction heuristic (from
// Options.Initial when given), then a tenth of the local search rounds. It
// returns the search's random source, seeded by Options.Seed.
func (e *engine) incumbent(res *Result) *rand.Rand {
	var init []int32
	for _, j := range e.opt.Initial {
		init = append(init, int32(j))
	}
	e.heuristic(init)
	if e.best == nil && init != nil {
		e.heuristic(nil)
	}
	res.HeuristicObjective = e.ub
	e.logf("heuristic: %.6g", e.ub)
	rng := rand.New(rand.NewPCG(e.opt.Seed, 0x5eed))
	e.improve(rng, e.opt.Rounds/10, 1000)
	return rng
}

// rootStart returns the root's first multipliers: each client's cost of
// the second-nearest open site of the heuristic plan (the nearest when
// there is none).
func (e *engine) rootStart() []float64 {
	in := e.orig
	lam := make([]float64, in.n)
	if e.srch != nil {
		for i := range lam {
			lam[i] = e.srch.d1[i]
			if e.srch.c2[i] >= 0 {
				lam[i] = e.srch.d2[i]
			}
			lam[i] = min(lam[i], in.big)
		}
	}
	return lam
}

func (e *engine) run() (*Result, error) {
	in := e.orig
	res := &Result{}
	rng := e.incumbent(res)
	// Root.
	status := slices.Clone(in.rule)
	lam := e.rootStart()
	maxIter := e.opt.RootIterations
	if maxIter <= 0 {
		maxIter = 20000
	}
	e.nodes = 1
	l := e.subgradient(lam, status, maxIter, 2, true)
	res.RootBound = e.lbRound(l)
	e.logf("root: L=%.6f ub=%.6g iters=%d", l, e.ub, e.iters)
	rootLam := slices.Clone(lam)
	res.RootMultipliers = rootLam
	// Reduced-cost fixing at the root, repeated while it fixes sites.
	fixRoot := func() {
		for round := 0; round < 20 && !math.IsInf(l, 1) && !e.closes(l); round++ {
			nf, _ := e.fix(lam, status)
			res.FixedAtRoot += nf
			if nf == 0 {
				break
			}
			e.in = reduce(e.orig, status)
			e.ys = newYsolve(e.in)
			l = max(l, e.subgradient(lam, status, maxIter/4, 0.5, true))
			e.logf("root fixing: %d fixed, L=%.6f ub=%.6g", nf, l, e.ub)
		}
	}
	fixRoot()
	if !math.IsInf(l, 1) && !e.closes(l) {
		before := e.ub
		e.improve(rng, e.opt.Rounds-e.opt.Rounds/10, 10000)
		e.logf("local search: ub=%.6g", e.ub)
		if e.ub < before {
			fixRoot()
		}
	}
	if !math.IsInf(l, 1) && !e.closes(l) {
		res.Capped = cappedClients(in, lam)
	}
	// After fixing, L bounds only the region the fixings left; the
	// regions they cut off are bounded by e.pruned, and the incumbent may
	// lie in one of them.
	res.RootBound = max(res.RootBound, min(e.lbRound(l), e.pruned, e.ub))
	e.report(math.NaN(), res.RootBound)
	// Branch and bound, depth first.
	var stack []*node
	var rootStatus []Rule // the region left after the root's fixing
	rootIters := e.iters
	switch d, ok := e.determined(status); {
	case d:
		// Fixing decided every site: the region left is one plan.
		if ok {
			e.leaf(status)
		}
	case math.IsInf(l, 1) || e.closes(l):
		e.pruned = min(e.pruned, e.lbRound(l))
	default:
		rootStatus = slices.Clone(status)
		stack = append(stack, e.branch(status, lam, l, 0)...)
	}
	stopped := gst.StatusUnknown
	switch {
	case len(stack) == 0:
	case e.opt.StopIfCapped && len(res.Capped) > 0:
		stopped = gst.StatusFeasible
		e.logf("root: %d clients capped by their lists; stopping before branching", len(res.Capped))
	case e.opt.StopAfterRoot && e.ctx.Err() == nil:
		stopped = gst.StatusFeasible
		e.logf("root: converged; stopping before branching")
	}
	every, fruitless := 1000, 0
	nextILS := e.iters + every
	for len(stack) > 0 && stopped == gst.StatusUnknown {
		if err := e.ctx.Err(); err != nil {
			stopped = gst.StatusTimeLimit
			if errors.Is(err, context.Canceled) {
				stopped = gst.StatusCanceled
			}
			break
		}
		if e.opt.MaxNodes > 0 && e.nodes >= e.opt.MaxNodes {
			stopped = gst.StatusFeasible
			break
		}
		if rootStatus != nil && e.nodes >= residualAfterNodes && e.iters-rootIters >= rootIters {
			// The tree has not closed the gap quickly: the region
			// left goes to the residual programme, once.
			stack = e.residual(res, rootStatus, stack)
			rootStatus = nil
			if len(stack) == 0 {
				break
			}
		}
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if e.closes(nd.bound) {
			e.pruned = min(e.pruned, e.lbRound(nd.bound))
			continue
		}
		if e.iters >= nextILS && e.opt.Rounds > 0 && fruitless < 4 {
			// Interleave local search with the tree: the tree proves,
			// the local search finds. While it keeps finding, it runs
			// more often; when it stops, less, and after four fruitless
			// runs in a row not at all: the tree's leaves and Lagrangian
			// solutions still offer plans.
			before := e.ub
			e.improve(rng, max(1, e.opt.Rounds/3), 3000)
			if e.ub < before {
				every = max(every/2, 500)
				fruitless = 0
			} else {
				every = min(every*2, 16000)
				fruitless++
			}
			nextILS = e.iters + every
		}
		e.nodes++
		if e.nodes%256 == 0 {
			e.reportTree(stack)
		}
		if e.nodes%1000 == 0 {
			e.logf("nodes %d stack %d ub %.6g pruned %.6g iters %d", e.nodes, len(stack), e.ub, e.pruned, e.iters)
		}
		stack = append(stack, e.process(nd)...)
	}
	// Bound: the incumbent, the pruned regions and the open ones.
	bound := min(e.ub, e.pruned)
	for _, nd := range stack {
		bound = min(bound, e.lbRound(nd.bound))
	}
	if e.best == nil {
		if stopped == gst.StatusUnknown {
			return nil, fmt.Errorf("%w: pmedian: no plan satisfies the cardinality, the site rules and the change limit", gst.ErrInfeasible)
		}
		return nil, fmt.Errorf("%w: pmedian: stopped (%v) before finding a plan", gst.ErrNoSolution, stopped)
	}
	if err := in.fe.err; err != nil {
		return nil, err
	}
	// Flip bounds against the final plan, from the root multipliers.
	e.in = e.orig
	e.ys = newYsolve(e.orig)
	res.FlipBound = e.flipBounds(rootLam, in.rule)
	e.fill(res, bound, stopped)
	return res, nil
}

// cappedClients returns the clients whose multiplier has reached its
// truncation cap.
func cappedClients(in *inst, lam []float64) []int {
	var out []int
	for i, c := range in.capL {
		if !math.IsInf(c, 1) && lam[i] >= c-1e-9*max(1, math.Abs(c)) {
			out = append(out, i)
		}
	}
	return out
}

// flipBounds returns, for every site, a bound on the plans where the site
// is in the state opposite to its state in the incumbent.
func (e *engine) flipBounds(lam []float64, status []Rule) []float64 {
	in := e.orig
	out := make([]float64, in.m)
	inc := make([]bool, in.m)
	for _, j := range e.best {
		inc[j] = true
	}
	l := e.eval(lam, status)
	e.ys.chosen(e.mask)
	for j := 0; j < in.m; j++ {
		switch {
		case status[j] != Free:
			out[j] = math.Inf(1) // fixed by the problem
		case e.mask[j] == inc[j]:
			out[j] = e.lbRound(e.lsum + e.ys.flip(int32(j), e.rho))
		default:
			// The Lagrangian solution already has the flipped state.
			out[j] = e.lbRound(l)
		}
	}
	return out
}

// process bounds one node and returns its children (none when pruned).
func (e *engine) process(nd *node) []*node {
	in := e.in
	status := nd.status
	if d, ok := e.determined(status); d {
		if ok {
			e.leaf(status)
		}
		return nil
	}
	iters := 60 + 60/(1+nd.depth/4)
	l := e.subgradient(nd.lam, status, iters, 1, false)
	for round := 0; round < 5 && !math.IsInf(l, 1) && !e.closes(l); round++ {
		nf, l2 := e.fix(nd.lam, status)
		l = max(l, l2)
		if nf == 0 {
			break
		}
		if d, ok := e.determined(status); d {
			if ok {
				e.leaf(status)
			}
			return nil
		}
		l = max(l, e.subgradient(nd.lam, status, iters/2, 0.5, false))
	}
	if math.IsInf(l, 1) || e.closes(l) {
		e.pruned = min(e.pruned, e.lbRound(l))
		return nil
	}
	_ = in
	return e.branch(status, nd.lam, max(l, nd.bound), nd.depth)
}

// determined reports whether the node leaves no choice, and whether that
// choice is feasible.
func (e *engine) determined(status []Rule) (bool, bool) {
	in := e.in
	f1, free := 0, 0
	for _, r := range status {
		switch r {
		case Open:
			f1++
		case Free:
			free++
		}
	}
	if free == 0 || f1 == in.hi || f1+free == in.lo {
		if f1 == in.hi {
			for j := range status {
				if status[j] == Free {
					status[j] = Closed
				}
			}
		} else if f1+free == in.lo {
			for j := range status {
				if status[j] == Free {
					status[j] = Open
				}
			}
		}
		n := 0
		for _, r := range status {
			if r == Open {
				n++
			}
		}
		return true, n >= in.lo && n <= in.hi
	}
	return false, true
}

// leaf evaluates a node with every site decided.
func (e *engine) leaf(status []Rule) {
	open := []int32{}
	mask := make([]bool, e.in.m)
	for j, r := range status {
		if r == Open {
			open = append(open, int32(j))
			mask[j] = true
		}
	}
	if !e.changesOK(mask) {
		return
	}
	if obj, ok := e.orig.evaluate(open, mask, nil); ok {
		e.offer(open, obj)
	}
}

// branch splits a node on the free site whose average Lagrangian state is
// the most undecided, returning the children with the preferred one last
// (it is explored first).
func (e *engine) branch(status []Rule, lam []float64, bound float64, depth int) []*node {
	bj, bs := -1, -1.0
	for j, r := range status {
		if r != Free {
			continue
		}
		if s := min(e.ybar[j], 1-e.ybar[j]); s > bs {
			bj, bs = j, s
		}
	}
	if bj < 0 {
		return nil
	}
	open := &node{status: slices.Clone(status), lam: slices.Clone(lam), bound: bound, depth: depth + 1}
	open.status[bj] = Open
	closed := &node{status: status, lam: lam, bound: bound, depth: depth + 1}
	closed.status[bj] = Closed
	if e.ybar[bj] >= 0.5 {
		return []*node{closed, open}
	}
	return []*node{open, closed}
}

// fill completes the result from the incumbent.
func (e *engine) fill(res *Result, bound float64, stopped gst.Status) {
	in := e.orig
	mask := make([]bool, in.m)
	for _, j := range e.best {
		mask[j] = true
	}
	assign := make([]int32, in.n)
	obj, _ := in.evaluate(e.best, mask, assign)
	res.Open = make([]int, len(e.best))
	for k, j := range e.best {
		res.Open[k] = int(j)
	}
	res.Assign = make([]int, in.n)
	for i, j := range assign {
		res.Assign[i] = int(j)
	}
	res.Objective = obj
	res.Bound = min(bound, obj)
	res.Gap = gst.Gap(res.Objective, res.Bound)
	res.Nodes = e.nodes
	res.Iterations = e.iters
	d := res.Objective - res.Bound
	switch {
	case d <= max(1e-9, 1e-9*math.Abs(res.Objective)):
		res.Status = gst.StatusOptimal
	case stopped != gst.StatusUnknown && d > max(e.opt.AbsGap, e.opt.RelGap*math.Abs(res.Objective)):
		res.Status = stopped
	default:
		// Closed within a tolerance looser than 1e-9, or stopped by
		// MaxNodes.
		res.Status = gst.StatusFeasible
	}
}
