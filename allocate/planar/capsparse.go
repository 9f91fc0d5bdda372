package planar

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/capfl"
	"github.com/gstplan/gst/allocate/internal/pmedian"
)

// denseCapPairs is the number of pairs above which a capacitated problem
// leaves the dense engine for the candidate-list method of this file (a
// variable for the tests). At 5 million pairs (pr2392) the dense engine
// gets nowhere near a useful bound in a minute; at 300,000 (ali535) it
// proves some instances.
var denseCapPairs = 2_000_000

// capLists is a capacitated problem on candidate lists: client i's sites
// site[start[i]:start[i+1]] by increasing weighted cost, the same pairs by
// site (istart, icl, icost), and the cap of client i's multiplier
// (Weight·Beyond; +Inf when the list is complete).
type capLists struct {
	pt            *points
	start, site   []int32
	cost          []float64
	istart, icl   []int32
	icost         []float64
	capL          []float64
	demand, capty []float64
	// swapped is the open sites the swap search last ended on, with
	// its neighbourhood (it does not run again from them with as few
	// neighbours).
	swapped   []int
	swappedNb int
}

// newCapLists builds the lists: each client's K nearest sites.
func newCapLists(pt *points, g *grid, k int, workers int) *capLists {
	ls := &lists{k: make([]int, pt.n), cands: make([][]pmedian.Candidate, pt.n), beyond: make([]float64, pt.n)}
	for i := range ls.k {
		ls.k[i] = k
	}
	ls.build(pt, g, nil, workers)
	c := &capLists{pt: pt, start: make([]int32, pt.n+1), capL: make([]float64, pt.n), capty: pt.p.Capacity, demand: pt.p.Demand}
	if c.demand == nil {
		c.demand = make([]float64, pt.n)
		for i := range c.demand {
			c.demand[i] = 1
		}
	}
	c.site = make([]int32, 0, ls.pairs)
	c.cost = make([]float64, 0, ls.pairs)
	for i, l := range ls.cands {
		for _, cd := range l {
			c.site = append(c.site, int32(cd.Site))
			c.cost = append(c.cost, pt.weight[i]*cd.Cost)
		}
		c.start[i+1] = int32(len(c.site))
		c.capL[i] = pt.weight[i] * ls.beyond[i]
		ls.cands[i] = nil
	}
	c.istart = make([]int32, pt.m+1)
	for _, s := range c.site {
		c.istart[s+1]++
	}
	for j := 0; j < pt.m; j++ {
		c.istart[j+1] += c.istart[j]
	}
	c.icl = make([]int32, len(c.site))
	c.icost = make([]float64, len(c.site))
	fill := slices.Clone(c.istart[:pt.m])
	for i := 0; i < pt.n; i++ {
		for t := c.start[i]; t < c.start[i+1]; t++ {
			s := c.site[t]
			c.icl[fill[s]], c.icost[fill[s]] = int32(i), c.cost[t]
			fill[s]++
		}
	}
	return c
}

// assign serves every client from one open site within the capacities:
// clients in decreasing order of regret (the gap between their two
// cheapest open listed sites) take their cheapest open site with room,
// searching all open sites when none of the list has room; then clients
// move to cheaper sites with room while that helps. It returns the
// assignment, or nil when a client found no room.
func (c *capLists) assign(open []int) []int { return c.assignFrom(open, nil) }

// assignFrom is assign with clients first placed where the Lagrangian
// solution put them whole (items of the open sites with x = 1, the
// cheapest when several), capacities permitting.
func (c *capLists) assignFrom(open []int, items [][]item) []int {
	pt := c.pt
	isOpen := make([]bool, pt.m)
	rem := make([]float64, pt.m)
	for _, j := range open {
		isOpen[j], rem[j] = true, c.capty[j]
	}
	out := make([]int, pt.n)
	for i := range out {
		out[i] = -1
	}
	if items != nil {
		pre := make([]int, pt.n)
		for i := range pre {
			pre[i] = -1
		}
		for _, j := range open {
			for _, x := range items[j] {
				if x.x == 1 && (pre[x.i] < 0 || pt.dist(int(x.i), j) < pt.dist(int(x.i), pre[x.i])) {
					pre[x.i] = j
				}
			}
		}
		for i, j := range pre {
			if j >= 0 && rem[j] >= c.demand[i] {
				out[i] = j
				rem[j] -= c.demand[i]
			}
		}
	}
	op := c.openLists(isOpen)
	regret := make([]float64, pt.n)
	for i := 0; i < pt.n; i++ {
		first, second := math.Inf(1), math.Inf(1)
		if k := op.start[i]; k < op.start[i+1] {
			first = op.cost[k]
			if k+1 < op.start[i+1] {
				second = op.cost[k+1]
			}
		}
		regret[i] = second - first // +Inf when fewer than two are listed
		if math.IsNaN(regret[i]) {
			regret[i] = math.Inf(1)
		}
	}
	order := make([]int32, pt.n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		ka, kb := regret[a]*c.demand[a], regret[b]*c.demand[b]
		if ka != kb {
			return -cmp.Compare(ka, kb)
		}
		return cmp.Compare(a, b)
	})
	for _, i := range order {
		if out[i] >= 0 {
			continue
		}
		j := c.place(int(i), op, rem, open)
		if j < 0 {
			return nil
		}
		out[i] = j
		rem[j] -= c.demand[i]
	}
	c.shift(out, isOpen, rem)
	c.swap(out, isOpen, rem)
	return out
}

// swap exchanges the sites of two clients when both fit and the cost
// falls: client i tries each cheaper open site of its list, against the
// clients there that could take i's site, in rounds over the clients in
// index order (at most five), shifting again after each round.
func (c *capLists) swap(out []int, isOpen []bool, rem []float64) {
	pt := c.pt
	members := make([][]int32, pt.m)
	for i, j := range out {
		members[j] = append(members[j], int32(i))
	}
	for round := 0; round < 5; round++ {
		moved := 0
		for i := 0; i < pt.n; i++ {
			a := out[i]
			ci := pt.weight[i] * pt.dist(i, a)
			for t := c.start[i]; t < c.start[i+1] && c.cost[t] < ci; t++ {
				b := int(c.site[t])
				if !isOpen[b] || b == a {
					continue
				}
				if k, ok := c.bestPartner(i, a, b, c.cost[t], ci, members[b], rem); ok {
					out[i], out[k] = b, a
					rem[a] += c.demand[i] - c.demand[k]
					rem[b] += c.demand[k] - c.demand[i]
					members[a] = swapOut(members[a], int32(i), int32(k))
					members[b] = swapOut(members[b], int32(k), int32(i))
					moved++
					break
				}
			}
		}
		if moved == 0 {
			return
		}
		c.shift(out, isOpen, rem)
		for j := range members {
			members[j] = members[j][:0]
		}
		for i, j := range out {
			members[j] = append(members[j], int32(i))
		}
	}
}

// bestPartner finds the client k at site b whose exchange with client i
// (at site a, costing ci; cib at b) saves the most within the capacities.
func (c *capLists) bestPartner(i, a, b int, cib, ci float64, at []int32, rem []float64) (int, bool) {
	pt := c.pt
	best, bk := 0.0, -1
	for _, k32 := range at {
		k := int(k32)
		if rem[a]+c.demand[i]-c.demand[k] < 0 || rem[b]+c.demand[k]-c.demand[i] < 0 {
			continue
		}
		ck := pt.weight[k] * pt.dist(k, b)
		cka := pt.weight[k] * pt.dist(k, a)
		if gain := ci + ck - cib - cka; gain > best*(1+1e-12)+1e-9 {
			best, bk = gain, k
		}
	}
	return bk, bk >= 0
}

// swapOut replaces x by y in s.
func swapOut(s []int32, x, y int32) []int32 {
	for t, v := range s {
		if v == x {
			s[t] = y
			return s
		}
	}
	return s
}

// place returns the cheapest open site with room for client i from its
// list, else the nearest open site with room (priced from the
// coordinates); −1 when none has room.
func (c *capLists) place(i int, op *openLists, rem []float64, open []int) int {
	d := c.demand[i]
	for t := op.start[i]; t < op.start[i+1]; t++ {
		if j := int(op.site[t]); rem[j] >= d {
			return j
		}
	}
	best, bj := math.Inf(1), -1
	for _, j := range open {
		if rem[j] >= d {
			if v := c.pt.dist(i, j); v < best || v == best && j < bj {
				best, bj = v, j
			}
		}
	}
	return bj
}

// openLists holds each client's listed open sites, by increasing cost:
// site[start[i]:start[i+1]] with their costs.
type openLists struct {
	start []int32
	site  []int32
	cost  []float64
}

// openLists extracts the open sites of every client's list.
func (c *capLists) openLists(isOpen []bool) *openLists {
	op := &openLists{start: make([]int32, c.pt.n+1)}
	for i := 0; i < c.pt.n; i++ {
		for t := c.start[i]; t < c.start[i+1]; t++ {
			if isOpen[c.site[t]] {
				op.site = append(op.site, c.site[t])
				op.cost = append(op.cost, c.cost[t])
			}
		}
		op.start[i+1] = int32(len(op.site))
	}
	return op
}

// shift moves clients to cheaper listed open sites with room, in rounds
// over the clients in index order, until a round moves none (at most
// five rounds).
func (c *capLists) shift(out []int, isOpen []bool, rem []float64) {
	pt := c.pt
	for round := 0; round < 5; round++ {
		moved := 0
		for i := 0; i < pt.n; i++ {
			cur := pt.weight[i] * pt.dist(i, out[i])
			for t := c.start[i]; t < c.start[i+1] && c.cost[t] < cur; t++ {
				if j := int(c.site[t]); isOpen[j] && rem[j] >= c.demand[i] {
					rem[out[i]] += c.demand[i]
					rem[j] -= c.demand[i]
					out[i] = j
					moved++
					break
				}
			}
		}
		if moved == 0 {
			return
		}
	}
}

// item is a client in a site's knapsack.
type item struct {
	i      int32
	profit float64 // λ_i − c_ij > 0
	x      float64 // share taken
}

// relax evaluates the Lagrangian relaxation of the assignment constraints
// at λ: every site solves the continuous knapsack of the clients that
// gain from it (λ_i > c_ij) within its capacity, and the p sites of least
// value open; the knapsacks are shared among `workers` goroutines (the
// result does not depend on their number). It returns L(λ) less a
// rounding allowance, the open sites, and the items of every site (for
// the subgradient).
//
// With binary set the knapsacks are 0-1 (each client served whole, as the
// problem requires): a stronger bound at a higher cost per iteration.
func (c *capLists) relax(lam []float64, p int, items [][]item, workers int, binary bool) (float64, []int) {
	pt := c.pt
	rho := make([]float64, pt.m)
	scales := make([]float64, pt.m)
	parallel(pt.m, workers, func(j int, buf []near) []near {
		if binary {
			items[j], rho[j], scales[j] = c.knapsack01(j, lam, items[j][:0])
		} else {
			items[j], rho[j], scales[j] = c.knapsack(j, lam, items[j][:0])
		}
		return buf
	})
	scale := 0.0
	for _, v := range scales {
		scale += v
	}
	order := make([]int, pt.m)
	for j := range order {
		order[j] = j
	}
	slices.SortFunc(order, func(a, b int) int {
		if rho[a] != rho[b] {
			return cmp.Compare(rho[a], rho[b])
		}
		return cmp.Compare(a, b)
	})
	open := slices.Clone(order[:p])
	slices.Sort(open)
	l := 0.0
	for _, v := range lam {
		l += v
		scale += math.Abs(v)
	}
	for _, j := range open {
		l += rho[j]
	}
	// Every term is bounded by scale; the sums have fewer than
	// pairs + n + m terms.
	return l - float64(len(c.site)+pt.n+pt.m+2)*2.3e-16*scale, open
}

// knapsack solves site j's continuous knapsack at λ over the clients that
// gain from it (λ_i > c_ij), in it (reused): it returns the items with
// their shares, the site's value (minus the profit taken) and the sum of
// the profits (the scale of the rounding allowance). The items are taken
// by decreasing profit per unit of demand (demand 0 first, ties by client
// index), the last one in part.
func (c *capLists) knapsack(j int, lam []float64, it []item) ([]item, float64, float64) {
	total, scale := 0.0, 0.0
	for t := c.istart[j]; t < c.istart[j+1]; t++ {
		i := c.icl[t]
		if v := lam[i] - c.icost[t]; v > 0 {
			it = append(it, item{i: i, profit: v, x: 1})
			total += c.demand[i]
			scale += v
		}
	}
	if total <= c.capty[j] {
		// Every item fits.
		return it, -scale, scale
	}
	b := knapPool.Get().(*knapBufs)
	defer knapPool.Put(b)
	b.fill(it, c.demand)
	v := b.ks.Continuous(b.profit, b.weight, c.capty[j], b.take)
	for k := range it {
		it[k].x = b.take[k]
	}
	return it, -v, scale
}

// knapBufs are the buffers of one goroutine's 0-1 knapsacks.
type knapBufs struct {
	ks                   *capfl.Knapsack
	profit, weight, take []float64
}

// fill sets the buffers to the items' profits and weights (their
// clients' demands), with room for the selection.
func (b *knapBufs) fill(it []item, demand []float64) {
	b.profit, b.weight, b.take = b.profit[:0], b.weight[:0], slices.Grow(b.take[:0], len(it))[:len(it)]
	for _, x := range it {
		b.profit = append(b.profit, x.profit)
		b.weight = append(b.weight, demand[x.i])
	}
}

var knapPool = sync.Pool{New: func() any { return &knapBufs{ks: capfl.NewKnapsack()} }}

// knapsack01 is knapsack with every item taken whole or not at all: it
// returns the items (x = 0 or 1, a feasible selection), the site's value
// minus an upper bound on the best profit (the optimum unless the 0-1
// solver ran out of its node budget), and the sum of the profits.
func (c *capLists) knapsack01(j int, lam []float64, it []item) ([]item, float64, float64) {
	scale := 0.0
	for t := c.istart[j]; t < c.istart[j+1]; t++ {
		i := c.icl[t]
		if v := lam[i] - c.icost[t]; v > 0 {
			it = append(it, item{i: i, profit: v})
			scale += v
		}
	}
	b := knapPool.Get().(*knapBufs)
	defer knapPool.Put(b)
	b.fill(it, c.demand)
	bound, _ := b.ks.Binary(b.profit, b.weight, c.capty[j], b.take)
	for k := range it {
		it[k].x = b.take[k]
	}
	return it, -bound, scale
}

// solveCapacitatedLists bounds the capacitated problem by the larger of
// the uncapacitated p-median bound (capacities relaxed) and a Lagrangian
// bound with continuous knapsacks on candidate lists, and finds plans by
// assigning the clients within the capacities to the sites of the
// uncapacitated plan and of the Lagrangian solutions.
func solveCapacitatedLists(ctx context.Context, pt *points, o *Options) (*Result, error) {
	if err := checkCapacity(pt); err != nil {
		return nil, err
	}
	// The uncapacitated problem gives the first sites, a bound and, on
	// large lists, multipliers to start from. It ends once its root
	// bound has converged (no branching: the capacitated bound soon
	// passes its bound, and the time goes to the plan), or after a fifth
	// of the time (a quarter on large lists, where its root and local
	// search need about half a minute), whichever comes first.
	k := min(pt.m, max(32, 6*pt.m/pt.p.P+8))
	large := pt.n*k >= largeLists
	uctx, cancel := context.WithCancel(ctx)
	if dl, ok := ctx.Deadline(); ok {
		frac := time.Until(dl) * 4 / 5
		if large {
			frac = time.Until(dl) * 3 / 4
		}
		uctx, cancel = context.WithDeadline(ctx, dl.Add(-frac))
	}
	u, err := solveUncapacitated(uctx, pt, o, true)
	cancel()
	if err != nil {
		return nil, err
	}
	out := &Result{Bound: u.Bound, Objective: math.Inf(1), Rounds: u.Rounds, Nodes: u.Nodes, Iterations: u.Iterations,
		Method: "Lagrangian relaxation with knapsacks on nearest-site lists, site exchanges with exact costs"}
	if !large {
		out.Method += ", regions re-solved by the capacitated engine"
	}
	g := newGrid(pt.sx, pt.sy)
	c := newCapLists(pt, g, k, o.Workers)
	out.Pairs = len(c.site)
	// lag is the best plan of the Lagrangian solutions, out the best of
	// all.
	lag := &Result{Objective: math.Inf(1)}
	offer := func(r *Result, open, a []int) {
		if v := pt.objective(a); v < r.Objective {
			r.Objective, r.Assign, r.Open = v, a, slices.Clone(open)
		}
	}
	try := func(open []int, items [][]item) {
		if a := c.assignFrom(open, items); a != nil {
			offer(lag, open, a)
			offer(out, open, a)
		}
	}
	// The uncapacitated sites crowd the dense places: spread them until
	// the nearest-site loads fit the capacities (when they fit already,
	// the spread sites are the uncapacitated ones). Assigning crowded
	// sites within the capacities is slow and does worse, so the
	// uncapacitated sites are not tried as they are.
	sp := c.spreadSites(ctx, u.Open)
	starts := [][]int{sp}
	if !large {
		// On large lists the swap search does better from the spread
		// sites alone.
		starts = append(starts, c.voronoiSearch(ctx, g, sp))
	}
	for _, open := range starts {
		if a := c.assign(open); a != nil {
			offer(out, open, a)
		}
	}
	o.logf("planar: capacitated: spread sites: objective %.8g", out.Objective)
	// Exchanges of sites with exact changes of cost take the spread
	// sites most of the way.
	c.swapSearch(ctx, g, o, out, swapNearest)
	// Half of what is left improves the bound (and tries the Lagrangian
	// solutions), the rest the plan; seven eighths on large lists, where
	// every move of the local search after the exchanges costs a slow
	// assignment and gains little, and the relaxation starts from the
	// uncapacitated engine's multipliers (on smaller lists the
	// Lagrangian solutions from the usual start lead the local search to
	// better plans). Time the local search leaves goes back to the
	// bound.
	lam := c.initialMultipliers()
	if large {
		lam = c.startMultipliers(u.lam)
	}
	sctx, cancel2 := context.WithCancel(ctx)
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl) / 2
		if large {
			left = time.Until(dl) / 8
		}
		sctx, cancel2 = context.WithDeadline(ctx, dl.Add(-left))
	}
	pi := c.subgradient(sctx, o, out, lam, 2, false, try)
	cancel2()
	if large {
		c.localSearch(ctx, g, o, out, lag)
		if ctx.Err() == nil {
			c.subgradient(ctx, o, out, lam, pi, false, try)
		}
		c.binaryBound(ctx, o, out, lam, try, func() { c.localSearchFrom(ctx, g, o, out, lag) }, lag)
	} else {
		// On smaller lists both bounds converge within a share of the
		// time (half of what is left for each at most), and the rest
		// goes to re-solving the plan region by region, on growing
		// regions.
		bctx, cancel3 := withShare(ctx, 2)
		c.subgradient(bctx, o, out, lam, pi, false, try)
		cancel3()
		bctx, cancel3 = withShare(ctx, 2)
		c.binaryBound(bctx, o, out, lam, try, nil, lag)
		cancel3()
		for _, size := range regionSizes {
			if ctx.Err() != nil || size > pt.p.P {
				break
			}
			c.decompose(ctx, o, out, size)
		}
		c.localSearch(ctx, g, o, out, lag)
	}
	// Then wider moves, while the time lasts: exchanges with exact
	// changes of cost first, then reassigning every client.
	for nb := 2 * swapNearest; nb <= 4*swapNearest && ctx.Err() == nil; nb *= 2 {
		c.swapSearch(ctx, g, o, out, nb)
	}
	for nb := 13; nb <= 49 && ctx.Err() == nil && out.Assign != nil; nb = 2*nb - 1 {
		before := out.Objective
		c.improveSites(ctx, g, o, out, nb)
		if out.Objective < before {
			c.localSearchFrom(ctx, g, o, out, out)
		}
	}
	if out.Assign == nil {
		return nil, fmt.Errorf("%w: planar: no assignment within the capacities was found", gst.ErrNoSolution)
	}
	out.Bound = min(out.Bound, out.Objective)
	out.Status = gst.StatusFeasible
	switch {
	case out.Objective-out.Bound <= 1e-9*math.Abs(out.Objective):
		out.Status, out.Ended = gst.StatusOptimal, EndedGap
	case ctx.Err() != nil:
		out.Status, out.Ended = gst.StatusTimeLimit, EndedTime
	case out.Objective-out.Bound <= o.GapTolerance*math.Abs(out.Objective):
		out.Ended = EndedTolerance
	default:
		out.Ended = EndedConverged
		o.logf("planar: capacitated: the bound stopped improving and the local search found no better move: ending")
	}
	return out, nil
}

// binaryBound maximises the Lagrangian bound with 0-1 knapsacks from the
// multipliers lam (typically those at which the continuous knapsacks'
// bound converged), and calls then when it ends before the context with a
// better Lagrangian plan than before (then may be nil).
func (c *capLists) binaryBound(ctx context.Context, o *Options, out *Result, lam []float64, try func([]int, [][]item), then func(), lag *Result) {
	if ctx.Err() != nil {
		return
	}
	before := lag.Objective
	c.subgradient(ctx, o, out, lam, 0.5, true, try)
	if ctx.Err() == nil && lag.Objective < before && then != nil {
		then()
	}
}

// withShare returns a context that ends when ctx does or after the k-th
// part of the time ctx has left, whichever is first.
func withShare(ctx context.Context, k int) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok {
		return context.WithDeadline(ctx, time.Now().Add(time.Until(dl)/time.Duration(k)))
	}
	return context.WithCancel(ctx)
}

// localSearch improves the plan by moving sites: on large lists from the
// best plan found (in practice the spread sites after the exchanges of
// the swap search: there the Lagrangian solutions are far off and every
// move costs a slow assignment), else
// from the best Lagrangian solution (on the benchmarks its search ends
// lower than the spread sites', which start lower but in a worse local
// optimum). It runs until it finds no better move or the context ends;
// out keeps the best plan.
func (c *capLists) localSearch(ctx context.Context, g *grid, o *Options, out, lag *Result) {
	st := lag
	if len(c.site) >= largeLists || lag.Assign == nil {
		st = out
	}
	c.localSearchFrom(ctx, g, o, out, st)
}

// localSearchFrom runs the local search of localSearch from the plan st;
// out keeps the best plan.
func (c *capLists) localSearchFrom(ctx context.Context, g *grid, o *Options, out, st *Result) {
	if st.Assign == nil {
		return
	}
	r := &Result{Objective: st.Objective, Assign: st.Assign, Open: st.Open}
	c.swapSearch(ctx, g, o, r, swapNearest)
	c.recentre(ctx, o, r)
	c.towardsOverflow(ctx, g, o, r)
	c.improveSites(ctx, g, o, r, 7)
	if r.Objective < out.Objective {
		out.Objective, out.Assign, out.Open = r.Objective, r.Assign, r.Open
	}
}

// largeLists is the number of listed pairs from which the lists count as
// large: the Lagrangian solutions are tried less often and the bound gets
// more of the time.
const largeLists = 1 << 20

// subgradient maximises the Lagrangian bound from λ (updated in place;
// projected subgradient with deflected directions, Polyak steps of
// factor pi halved when the bound stalls) and tries the sites of the
// Lagrangian solutions as plans, until the gap closes, the step vanishes
// or the context ends. It returns the step factor reached.
func (c *capLists) subgradient(ctx context.Context, o *Options, out *Result, lam []float64, pi float64, binary bool, try func([]int, [][]item)) float64 {
	pt := c.pt
	items := make([][]item, pt.m)
	g := make([]float64, pt.n)
	stall := 0
	dir := make([]float64, pt.n)
	// The Lagrangian solutions are tried as plans every iteration on
	// small lists, every fiftieth on large ones from the fiftieth (where
	// a try costs as much as many iterations and the swap search from
	// the spread sites does better).
	every, first := 50, 49
	if len(c.site) < largeLists {
		every, first = 10, 0
	}
	for it := 0; it < 100000 && pi > 1e-4; it++ {
		if ctx.Err() != nil || out.Objective-out.Bound <= o.GapTolerance*math.Abs(out.Objective) {
			return pi
		}
		out.Iterations++
		l, open := c.relax(lam, pt.p.P, items, o.Workers, binary)
		if l > out.Bound {
			out.Bound, stall = l, 0
		} else if stall++; stall >= 20 {
			pi, stall = pi/2, 0
		}
		if it%every == first {
			try(open, items)
			o.logf("planar: capacitated: it %d L %.8g bound %.8g objective %.8g (0-1 knapsacks: %v)", it, l, out.Bound, out.Objective, binary)
		}
		for i := range g {
			g[i] = 1
		}
		for _, j := range open {
			for _, x := range items[j] {
				g[x.i] -= x.x
			}
		}
		if c.project(lam, g) == 0 {
			return pi
		}
		// The step follows the subgradient plus a share of the last
		// direction (Camerini–Fratta–Maffioli), which damps the zigzag
		// of the multipliers between neighbouring sites' knapsacks.
		for i, v := range g {
			dir[i] = v + deflection*dir[i]
		}
		norm := c.project(lam, dir)
		if norm == 0 {
			copy(dir, g)
			norm = c.project(lam, dir)
		}
		// Polyak's step towards a target 5% above the best bound, not
		// the incumbent, which may be far off while the plans are poor.
		target := min(out.Objective, out.Bound+0.05*math.Abs(out.Bound))
		t := pi * max(target-l, 1e-9*math.Abs(l)) / norm
		for i, v := range dir {
			lam[i] = min(max(lam[i]+t*v, 0), c.capL[i])
		}
	}
	return pi
}

// deflection is the share of the last direction the subgradient step
// keeps: on the 10,000-client region, from the same multipliers, 0.7
// reaches after 200 iterations the bound that plain steps reach after
// about 400.
const deflection = 0.7

// project zeroes the components of the direction d that would push a
// multiplier out of [0, its cap] from where it is, and returns the
// squared norm of what is left.
func (c *capLists) project(lam, d []float64) float64 {
	norm := 0.0
	for i, v := range d {
		if v > 0 && lam[i] >= c.capL[i] || v < 0 && lam[i] <= 0 {
			d[i] = 0
		}
		norm += d[i] * d[i]
	}
	return norm
}

// startMultipliers returns the uncapacitated engine's multipliers within
// the caps of these lists (at the same multipliers the knapsacks only
// raise the Lagrangian value), or initialMultipliers when there are none.
func (c *capLists) startMultipliers(u []float64) []float64 {
	lam := c.initialMultipliers()
	if len(u) == len(lam) {
		for i, v := range u {
			lam[i] = min(max(v, 0), c.capL[i])
		}
	}
	return lam
}

// initialMultipliers returns each client's second cheapest listed cost,
// within its cap.
func (c *capLists) initialMultipliers() []float64 {
	lam := make([]float64, c.pt.n)
	for i := range lam {
		l := c.cost[c.start[i]]
		if c.start[i+1]-c.start[i] > 1 {
			l = c.cost[c.start[i]+1]
		}
		lam[i] = min(l, c.capL[i])
	}
	return lam
}

// checkCapacity refuses a problem whose P largest capacities cannot hold
// the total demand.
func checkCapacity(pt *points) error {
	total := 0.0
	if pt.p.Demand == nil {
		total = float64(pt.n)
	} else {
		for _, d := range pt.p.Demand {
			total += d
		}
	}
	capty := slices.Clone(pt.p.Capacity)
	slices.Sort(capty)
	room := 0.0
	for _, v := range capty[len(capty)-pt.p.P:] {
		room += v
	}
	if total > room {
		return fmt.Errorf("%w: planar: total demand %v exceeds %v, the capacity of the %d largest sites", gst.ErrInfeasible, total, room, pt.p.P)
	}
	return nil
}

// improveSites is a local search on the open sites: each open site in
// turn is replaced by one of its nb−1 nearest other sites that is closed
// when the assignment within the capacities then costs less, in rounds
// until a round changes nothing or the context ends.
func (c *capLists) improveSites(ctx context.Context, g *grid, o *Options, out *Result, nb int) {
	pt := c.pt
	var buf []near
	for round := 0; round < 20; round++ {
		changed := false
		for k := 0; k < len(out.Open); k++ {
			r := out.Open[k]
			buf = g.nearest(pt.sx[r], pt.sy[r], nb, buf)
			for _, nb := range buf {
				if ctx.Err() != nil {
					return
				}
				j := int(nb.j)
				if slices.Contains(out.Open, j) {
					continue
				}
				open := slices.Clone(out.Open)
				open[k] = j
				slices.Sort(open)
				if a := c.assign(open); a != nil {
					if v := pt.objective(a); v < out.Objective*(1-1e-12) {
						out.Objective, out.Assign, out.Open = v, a, open
						changed = true
						o.logf("planar: capacitated: site %d → %d: objective %.8g", r, j, v)
						break
					}
				}
			}
		}
		if !changed {
			return
		}
	}
}

// recentre moves every open site to the point of its cluster (the
// clients it serves, and itself) that serves the cluster at least cost
// within its capacity, then assigns the clients again; it repeats while
// the plan improves (Cooper's alternation of location and allocation,
// with capacities).
func (c *capLists) recentre(ctx context.Context, o *Options, out *Result) {
	pt := c.pt
	for round := 0; round < 20 && ctx.Err() == nil; round++ {
		members := make(map[int][]int, len(out.Open))
		for i, j := range out.Assign {
			members[j] = append(members[j], i)
		}
		open := slices.Clone(out.Open)
		taken := make(map[int]bool, len(open))
		for _, j := range open {
			taken[j] = true
		}
		for k, r := range open {
			cl := members[r]
			load := 0.0
			for _, i := range cl {
				load += c.demand[i]
			}
			best, bj := c.clusterCost(cl, r), r
			for _, cand := range c.clusterSites(cl) {
				if ctx.Err() != nil {
					return
				}
				if taken[cand] || c.capty[cand] < load {
					continue
				}
				if v := c.clusterCost(cl, cand); v < best || v == best && cand < bj {
					best, bj = v, cand
				}
			}
			if bj != r {
				taken[r], taken[bj] = false, true
				open[k] = bj
			}
		}
		slices.Sort(open)
		if slices.Equal(open, out.Open) {
			return
		}
		a := c.assign(open)
		if a == nil {
			return
		}
		v := pt.objective(a)
		if v >= out.Objective*(1-1e-12) {
			return
		}
		out.Objective, out.Assign, out.Open = v, a, open
		o.logf("planar: capacitated: recentred: objective %.8g", v)
	}
}

// clusterSites lists the candidate sites of a cluster in increasing
// order: the clients themselves when the sites are the clients, else the
// recentreSites nearest sites of each client's list.
func (c *capLists) clusterSites(cl []int) []int {
	if c.pt.p.SiteX == nil {
		return cl
	}
	var out []int
	for _, i := range cl {
		for t := c.start[i]; t < min(c.start[i+1], c.start[i]+recentreSites); t++ {
			out = append(out, int(c.site[t]))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// recentreSites is how many of each client's nearest sites recentre
// considers when the sites are not the clients.
const recentreSites = 3

// clusterCost is Σ Weight·d over the clients of a cluster served by site
// j.
func (c *capLists) clusterCost(cl []int, j int) float64 {
	s := 0.0
	for _, i := range cl {
		s += c.pt.weight[i] * c.pt.dist(i, j)
	}
	return s
}

// towardsOverflow moves open sites to where the capacities push clients
// furthest: the client that pays the most over its nearest open site
// gets a site opened at the closed site nearest to it, in place of one of
// the three open sites serving the least demand, when that lowers the
// cost; it repeats while it does (at most 4·P moves).
func (c *capLists) towardsOverflow(ctx context.Context, g *grid, o *Options, out *Result) {
	pt := c.pt
	var buf []near
	for move := 0; move < 4*len(out.Open) && ctx.Err() == nil; move++ {
		isOpen := make(map[int]bool, len(out.Open))
		for _, j := range out.Open {
			isOpen[j] = true
		}
		worst, wi := 0.0, -1
		for i, j := range out.Assign {
			near := math.Inf(1)
			for t := c.start[i]; t < c.start[i+1]; t++ {
				if isOpen[int(c.site[t])] {
					near = c.cost[t]
					break
				}
			}
			if math.IsInf(near, 1) {
				continue
			}
			if ex := pt.weight[i]*pt.dist(i, j) - near; ex > worst {
				worst, wi = ex, i
			}
		}
		if wi < 0 {
			return
		}
		buf = g.nearest(pt.p.X[wi], pt.p.Y[wi], 8, buf)
		add := -1
		for _, nb := range buf {
			if !isOpen[int(nb.j)] {
				add = int(nb.j)
				break
			}
		}
		if add < 0 || !c.tryDrops(out, add, o) {
			return
		}
	}
}

// tryDrops opens site add in place of one of the three open sites that
// serve the least demand, keeping the first exchange that lowers the
// cost; it reports whether one did.
func (c *capLists) tryDrops(out *Result, add int, o *Options) bool {
	load := make(map[int]float64, len(out.Open))
	for i, j := range out.Assign {
		load[j] += c.demand[i]
	}
	order := slices.Clone(out.Open)
	slices.SortFunc(order, func(a, b int) int {
		if load[a] != load[b] {
			return cmp.Compare(load[a], load[b])
		}
		return cmp.Compare(a, b)
	})
	for _, r := range order[:min(3, len(order))] {
		open := slices.Clone(out.Open)
		open[slices.Index(open, r)] = add
		slices.Sort(open)
		if a := c.assign(open); a != nil {
			if v := c.pt.objective(a); v < out.Objective*(1-1e-12) {
				out.Objective, out.Assign, out.Open = v, a, open
				o.logf("planar: capacitated: site %d → %d towards the overflow: objective %.8g", r, add, v)
				return true
			}
		}
	}
	return false
}
