package planar

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// swapState is a plan under the swap search: each client's site and its
// cost there, each site's load and clients, and the open sites.
type swapState struct {
	asg     []int32
	cur     []float64
	load    []float64
	members [][]int32
	isOpen  []bool
	open    []int
}

// swapMove is an exchange of an open site r for a closed site k, built on
// the current plan: the clients that move (who) and their new sites (to),
// with the change of cost.
type swapMove struct {
	r, k  int
	delta float64
	who   []int32
	to    []int32
}

// swapper holds the plan and the scratch buffers of the swap search.
type swapper struct {
	c       *capLists
	st      *swapState
	extra   []float64 // load added to open sites during one evaluation
	touched []int32
	movers  []mover
	cl      []int32
}

// mover is a client that would pay less at a new site.
type mover struct {
	i    int32
	gain float64
}

// newSwapper starts the swap search from a plan within the capacities.
func (c *capLists) newSwapper(open, assign []int) *swapper {
	pt := c.pt
	st := &swapState{asg: make([]int32, pt.n), cur: make([]float64, pt.n), load: make([]float64, pt.m),
		members: make([][]int32, pt.m), isOpen: make([]bool, pt.m), open: slices.Clone(open)}
	for _, j := range open {
		st.isOpen[j] = true
	}
	for i, j := range assign {
		st.asg[i] = int32(j)
		st.cur[i] = pt.weight[i] * pt.dist(i, j)
		st.load[j] += c.demand[i]
		st.members[j] = append(st.members[j], int32(i))
	}
	return &swapper{c: c, st: st, extra: make([]float64, pt.m)}
}

// fits reports whether demand d fits in site j's room left plus extra.
func (sw *swapper) fits(j int32, d float64) bool {
	c := sw.c
	return sw.st.load[j]+sw.extra[j]+d <= c.capty[j]*(1+1e-12)
}

// eval builds the move r → k in mv: r's clients, by decreasing demand
// (ties by index), go to the cheaper of k while it has room and the
// cheapest open site of their list with room; then the clients listing k
// that would pay less there move to it, by decreasing saving (ties by
// index), while it has room. Every load stays within its capacity, so
// the move is a plan and its change of cost is exact. It reports false
// when one of r's clients finds no room.
func (sw *swapper) eval(r, k int, mv *swapMove) bool {
	c, st, pt := sw.c, sw.st, sw.c.pt
	mv.r, mv.k, mv.delta, mv.who, mv.to = r, k, 0, mv.who[:0], mv.to[:0]
	sw.cl = append(sw.cl[:0], st.members[r]...)
	slices.SortFunc(sw.cl, func(a, b int32) int {
		if c.demand[a] != c.demand[b] {
			return -cmp.Compare(c.demand[a], c.demand[b])
		}
		return cmp.Compare(a, b)
	})
	loadK := 0.0
	ok := true
	st.isOpen[r] = false
	for _, i := range sw.cl {
		d := c.demand[i]
		best, bs := math.Inf(1), int32(-1)
		if loadK+d <= c.capty[k]*(1+1e-12) {
			best, bs = pt.weight[i]*pt.dist(int(i), k), int32(k)
		}
		for t := c.start[i]; t < c.start[i+1] && c.cost[t] < best; t++ {
			if s := c.site[t]; st.isOpen[s] && sw.fits(s, d) {
				best, bs = c.cost[t], s
				break
			}
		}
		if bs < 0 {
			ok = false
			break
		}
		mv.delta += best - st.cur[i]
		mv.who, mv.to = append(mv.who, i), append(mv.to, bs)
		if bs == int32(k) {
			loadK += d
		} else {
			if sw.extra[bs] == 0 {
				sw.touched = append(sw.touched, bs)
			}
			sw.extra[bs] += d
		}
	}
	st.isOpen[r] = true
	for _, s := range sw.touched {
		sw.extra[s] = 0
	}
	sw.touched = sw.touched[:0]
	if !ok {
		return false
	}
	for _, m := range sw.gainers(k, r) {
		if d := c.demand[m.i]; loadK+d <= c.capty[k]*(1+1e-12) {
			loadK += d
			mv.delta -= m.gain
			mv.who, mv.to = append(mv.who, m.i), append(mv.to, int32(k))
		}
	}
	return true
}

// gainers lists the clients listing site k, not served by site r, that
// would pay less at k, by decreasing saving (ties by index).
func (sw *swapper) gainers(k, r int) []mover {
	sw.collect(k, r)
	sortMovers(sw.movers)
	return sw.movers
}

// collect gathers the clients of gainers in sw.movers, unsorted, and
// returns their demand.
func (sw *swapper) collect(k, r int) float64 {
	c, st := sw.c, sw.st
	sw.movers = sw.movers[:0]
	total := 0.0
	for t := c.istart[k]; t < c.istart[k+1]; t++ {
		i := c.icl[t]
		if g := st.cur[i] - c.icost[t]; g > 0 && int(st.asg[i]) != r {
			sw.movers = append(sw.movers, mover{i, g})
			total += c.demand[i]
		}
	}
	return total
}

func sortMovers(ms []mover) {
	slices.SortFunc(ms, func(a, b mover) int {
		if a.gain != b.gain {
			return -cmp.Compare(a.gain, b.gain)
		}
		return cmp.Compare(a.i, b.i)
	})
}

// openGain is what opening closed site k saves: the clients listing it
// that would pay less there move to it, by decreasing saving, while it
// has room.
func (sw *swapper) openGain(k int) float64 {
	c := sw.c
	room, g := c.capty[k], 0.0
	if sw.collect(k, -1) > room {
		sortMovers(sw.movers)
	}
	for _, m := range sw.movers {
		if d := c.demand[m.i]; d <= room {
			room -= d
			g += m.gain
		}
	}
	return g
}

// apply makes the move.
func (sw *swapper) apply(mv *swapMove) {
	c, st, pt := sw.c, sw.st, sw.c.pt
	for t, i := range mv.who {
		from, to := st.asg[i], mv.to[t]
		st.load[from] -= c.demand[i]
		st.load[to] += c.demand[i]
		st.members[from] = slices.DeleteFunc(st.members[from], func(x int32) bool { return x == i })
		st.members[to] = append(st.members[to], i)
		st.asg[i] = to
		st.cur[i] = pt.weight[i] * pt.dist(int(i), int(to))
	}
	st.load[mv.r] = 0
	st.isOpen[mv.r], st.isOpen[mv.k] = false, true
	st.open[slices.Index(st.open, mv.r)] = mv.k
}

// swapSearch is a local search over site exchanges whose changes of cost
// are exact (see eval): each open site in turn is exchanged for the best
// of its nb nearest closed sites when that lowers the cost; then the
// closures that cost least (their clients moving to listed open sites
// with room) are paired with the openings that save most (clients moving
// to the new site within its capacity), wherever they are, and the pairs
// that lower the cost are made (see farSwap); in rounds until one changes
// nothing or the context ends. Then the clients shift and swap between
// the open sites (see shift and swap), and the search goes on from there
// while that lowers the cost (at most five times). out keeps the plan
// when it is better. It does not run from the sites it last ended on with
// as many neighbours or fewer.
func (c *capLists) swapSearch(ctx context.Context, g *grid, o *Options, out *Result, nb int) {
	if out.Assign == nil || nb <= c.swappedNb && slices.Equal(out.Open, c.swapped) {
		return
	}
	pt := c.pt
	eps := 1e-12 * math.Abs(out.Objective)
	open, a, moves := out.Open, out.Assign, 0
	for pass := 0; pass < 5 && ctx.Err() == nil; pass++ {
		sw := c.newSwapper(open, a)
		moves += sw.rounds(ctx, g, nb, eps)
		open, a = sortedCopy(sw.st.open), swapAssign(sw)
		before := pt.objective(a)
		if ctx.Err() != nil {
			if before < out.Objective {
				out.Objective, out.Assign, out.Open = before, a, open
			}
			break
		}
		isOpen := make([]bool, pt.m)
		rem := slices.Clone(c.capty)
		for _, j := range open {
			isOpen[j] = true
		}
		for i, j := range a {
			rem[j] -= c.demand[i]
		}
		c.shift(a, isOpen, rem)
		c.swap(a, isOpen, rem)
		v := pt.objective(a)
		if v < out.Objective {
			out.Objective, out.Assign, out.Open = v, a, open
		}
		if v >= before-eps {
			break
		}
	}
	c.swapped, c.swappedNb = slices.Clone(out.Open), nb
	o.logf("planar: capacitated: swap search (%d nearest sites): %d exchanges, objective %.8g", nb, moves, out.Objective)
}

// rounds runs the exchanges of swapSearch until a round changes nothing
// or the context ends; it returns the number made.
func (sw *swapper) rounds(ctx context.Context, g *grid, nb int, eps float64) int {
	pt := sw.c.pt
	var mv, best swapMove
	var buf []near
	moves := 0
	for round := 0; round < 100 && ctx.Err() == nil; round++ {
		changed := 0
		for idx := 0; idx < len(sw.st.open) && ctx.Err() == nil; idx++ {
			r := sw.st.open[idx]
			buf = g.nearest(pt.sx[r], pt.sy[r], nb, buf)
			best.delta = -eps
			found := false
			for _, nn := range buf {
				if k := int(nn.j); !sw.st.isOpen[k] && sw.eval(r, k, &mv) && mv.delta < best.delta {
					best, mv = mv, best
					found = true
				}
			}
			if found {
				sw.apply(&best)
				changed++
			}
		}
		if ctx.Err() == nil {
			changed += sw.farSwap(ctx, &mv, eps)
		}
		moves += changed
		if changed == 0 {
			break
		}
	}
	return moves
}

// swapAssign returns the plan's assignment.
func swapAssign(sw *swapper) []int {
	a := make([]int, len(sw.st.asg))
	for i, j := range sw.st.asg {
		a[i] = int(j)
	}
	return a
}

// swapNearest is how many nearest sites of an open site the swap search
// tries in its place.
const swapNearest = 12

// farSwaps is how many of the cheapest closures and of the best openings
// farSwap pairs.
const farSwaps = 12

// farSwap pairs the farSwaps open sites whose closure costs least (their
// clients, moved to the cheapest listed open sites with room) with the
// farSwaps closed sites whose opening saves most (clients listing them
// moving there within the capacity), wherever they are; in increasing
// order of the two estimates' sum (ties by site index), each exchange
// whose sites are still open and closed is evaluated exactly on the
// current plan and made when it lowers the cost by more than eps. It
// returns the number made.
func (sw *swapper) farSwap(ctx context.Context, mv *swapMove, eps float64) int {
	c, st := sw.c, sw.st
	type scored struct {
		j int
		v float64
	}
	var drops, adds []scored
	for _, r := range st.open {
		if v, ok := sw.closeCost(r); ok {
			drops = append(drops, scored{r, v})
		}
	}
	for k := 0; k < c.pt.m && ctx.Err() == nil; k++ {
		if !st.isOpen[k] {
			adds = append(adds, scored{k, -sw.openGain(k)})
		}
	}
	byV := func(a, b scored) int {
		if a.v != b.v {
			return cmp.Compare(a.v, b.v)
		}
		return cmp.Compare(a.j, b.j)
	}
	slices.SortFunc(drops, byV)
	slices.SortFunc(adds, byV)
	type pair struct {
		r, k int
		v    float64
	}
	var pairs []pair
	for _, r := range drops[:min(farSwaps, len(drops))] {
		for _, k := range adds[:min(farSwaps, len(adds))] {
			pairs = append(pairs, pair{r.j, k.j, r.v + k.v})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if a.v != b.v {
			return cmp.Compare(a.v, b.v)
		}
		if a.r != b.r {
			return cmp.Compare(a.r, b.r)
		}
		return cmp.Compare(a.k, b.k)
	})
	made := 0
	for _, p := range pairs {
		if ctx.Err() != nil {
			break
		}
		if st.isOpen[p.r] && !st.isOpen[p.k] && sw.eval(p.r, p.k, mv) && mv.delta < -eps {
			sw.apply(mv)
			made++
		}
	}
	return made
}

// closeCost is the change of cost when open site r closes and its
// clients, by decreasing demand, move to the cheapest open site of their
// list with room; false when one finds none.
func (sw *swapper) closeCost(r int) (float64, bool) {
	c, st := sw.c, sw.st
	sw.cl = append(sw.cl[:0], st.members[r]...)
	slices.SortFunc(sw.cl, func(a, b int32) int {
		if c.demand[a] != c.demand[b] {
			return -cmp.Compare(c.demand[a], c.demand[b])
		}
		return cmp.Compare(a, b)
	})
	v, ok := 0.0, true
	for _, i := range sw.cl {
		d, bs := c.demand[i], int32(-1)
		for t := c.start[i]; t < c.start[i+1]; t++ {
			if s := c.site[t]; int(s) != r && st.isOpen[s] && sw.fits(s, d) {
				bs = s
				v += c.cost[t] - st.cur[i]
				break
			}
		}
		if bs < 0 {
			ok = false
			break
		}
		if sw.extra[bs] == 0 {
			sw.touched = append(sw.touched, bs)
		}
		sw.extra[bs] += d
	}
	for _, s := range sw.touched {
		sw.extra[s] = 0
	}
	sw.touched = sw.touched[:0]
	return v, ok
}
