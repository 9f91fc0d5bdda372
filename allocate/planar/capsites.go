package planar

import (
	"context"
	"math"
	"slices"
)

// nearLoads is the nearest-open-site assignment of the clients within
// their lists, capacities ignored: near[i] is client i's cheapest listed
// open site (−1 when its list holds none), at cost nearCost[i]; load[j]
// is the demand of the clients nearest to site j.
type nearLoads struct {
	isOpen   []bool
	near     []int32
	nearCost []float64
	load     []float64
}

// newNearLoads computes the nearest open sites of every client.
func (c *capLists) newNearLoads(open []int) *nearLoads {
	pt := c.pt
	nl := &nearLoads{isOpen: make([]bool, pt.m), near: make([]int32, pt.n), nearCost: make([]float64, pt.n), load: make([]float64, pt.m)}
	for _, j := range open {
		nl.isOpen[j] = true
	}
	for i := 0; i < pt.n; i++ {
		nl.near[i], nl.nearCost[i] = -1, math.Inf(1)
		for t := c.start[i]; t < c.start[i+1]; t++ {
			if j := c.site[t]; nl.isOpen[j] {
				nl.near[i], nl.nearCost[i] = j, c.cost[t]
				nl.load[j] += c.demand[i]
				break
			}
		}
	}
	return nl
}

// add opens site s: the clients that list it and find it cheaper move.
func (c *capLists) add(nl *nearLoads, s int) {
	nl.isOpen[s] = true
	for t := c.istart[s]; t < c.istart[s+1]; t++ {
		i := c.icl[t]
		if c.icost[t] < nl.nearCost[i] || c.icost[t] == nl.nearCost[i] && int32(s) < nl.near[i] {
			if nl.near[i] >= 0 {
				nl.load[nl.near[i]] -= c.demand[i]
			}
			nl.near[i], nl.nearCost[i] = int32(s), c.icost[t]
			nl.load[s] += c.demand[i]
		}
	}
}

// spreadSites returns P sites whose nearest-site loads fit the capacities
// better than those of open (typically the uncapacitated optimum, which
// crowds too much demand on the sites of dense places): while a site's
// nearest clients exceed its capacity, the closed site nearest to its
// costliest client opens; then, while more than P sites are open, the
// site whose clients lose least by moving to their second listed open
// site closes, preferring closures that leave every receiving site within
// its capacity. Sites, clients and ties go by index, so the result is
// deterministic.
func (c *capLists) spreadSites(ctx context.Context, open []int) []int {
	pt := c.pt
	nl := c.newNearLoads(open)
	stuck := make([]bool, pt.m)
	for ctx.Err() == nil {
		wj, worst := -1, 1.0
		for j := 0; j < pt.m; j++ {
			if nl.isOpen[j] && !stuck[j] && nl.load[j] > worst*c.capty[j] {
				wj, worst = j, nl.load[j]/c.capty[j]
			}
		}
		if wj < 0 {
			break
		}
		bi, bc := -1, -1.0
		for i := 0; i < pt.n; i++ {
			if int(nl.near[i]) == wj && nl.nearCost[i] > bc {
				bi, bc = i, nl.nearCost[i]
			}
		}
		s := -1
		for t := c.start[bi]; t < c.start[bi+1]; t++ {
			if j := int(c.site[t]); !nl.isOpen[j] {
				s = j
				break
			}
		}
		if s < 0 {
			stuck[wj] = true
			continue
		}
		c.add(nl, s)
	}
	for ctx.Err() == nil {
		k := c.countOpen(nl) - pt.p.P
		if k <= 0 {
			break
		}
		c.dropSome(nl, max(1, k/8))
	}
	var out []int
	for j, o := range nl.isOpen {
		if o {
			out = append(out, j)
		}
	}
	if len(out) != pt.p.P {
		return slices.Clone(open)
	}
	return out
}

func (c *capLists) countOpen(nl *nearLoads) int {
	k := 0
	for _, o := range nl.isOpen {
		if o {
			k++
		}
	}
	return k
}

// dropSome closes open sites whose clients lose least by moving to their
// second listed open site (a client without one counts as an infinite
// loss): in increasing order of loss, a site closes when the receiving
// sites stay within their capacities and neither it nor its receivers
// were touched by an earlier closure of the round, up to `batch` sites
// (the first candidate closes when none qualifies); then the loads are
// computed again.
func (c *capLists) dropSome(nl *nearLoads, batch int) {
	pt := c.pt
	loss := make([]float64, pt.m)
	second := make([]int32, pt.n)
	members := make([][]int32, pt.m)
	for i := 0; i < pt.n; i++ {
		second[i] = -1
		if nl.near[i] < 0 {
			continue
		}
		members[nl.near[i]] = append(members[nl.near[i]], int32(i))
		l := math.Inf(1)
		for t := c.start[i]; t < c.start[i+1]; t++ {
			if j := c.site[t]; nl.isOpen[j] && j != nl.near[i] {
				second[i], l = j, c.cost[t]-nl.nearCost[i]
				break
			}
		}
		loss[nl.near[i]] += l
	}
	var cands []int
	for j, o := range nl.isOpen {
		if o {
			cands = append(cands, j)
		}
	}
	slices.SortStableFunc(cands, func(a, b int) int {
		switch {
		case loss[a] < loss[b]:
			return -1
		case loss[a] > loss[b]:
			return 1
		}
		return a - b
	})
	extra := make([]float64, pt.m)
	touched := make([]bool, pt.m)
	var closed []int
	for _, j := range cands {
		if len(closed) == batch || math.IsInf(loss[j], 1) {
			break
		}
		if touched[j] {
			continue
		}
		ok := true
		var recv []int32
		for _, i := range members[j] {
			k := second[i]
			if touched[k] {
				ok = false
			}
			extra[k] += c.demand[i]
			recv = append(recv, k)
		}
		for _, k := range recv {
			if nl.load[k]+extra[k] > c.capty[k] {
				ok = false
			}
		}
		for _, k := range recv {
			extra[k] = 0
		}
		if !ok {
			continue
		}
		closed = append(closed, j)
		touched[j] = true
		for _, k := range recv {
			touched[k] = true
		}
	}
	if len(closed) == 0 {
		closed = append(closed, cands[0])
	}
	for _, j := range closed {
		nl.isOpen[j] = false
	}
	open := make([]int, 0, len(cands))
	for j, o := range nl.isOpen {
		if o {
			open = append(open, j)
		}
	}
	*nl = *c.newNearLoads(open)
}

// voronoiSearch improves a site set within the plans whose nearest-site
// loads fit the capacities (there the capacitated cost is the
// uncapacitated one): each open site in turn moves to one of its
// voronoiMoves nearest closed sites when the move lowers the total
// overflow Σ max(0, load − capacity), or keeps it and lowers the
// nearest-site cost, with every client keeping an open site in its list;
// in rounds until one changes nothing or the context ends. It returns the
// sites, in increasing order.
func (c *capLists) voronoiSearch(ctx context.Context, g *grid, open []int) []int {
	pt := c.pt
	nl := c.newNearLoads(open)
	for _, j := range nl.near {
		if j < 0 {
			return open // a client without an open site in its list
		}
	}
	members := make([][]int32, pt.m)
	for i, j := range nl.near {
		members[j] = append(members[j], int32(i))
	}
	cur := slices.Clone(open)
	dl := make([]float64, pt.m)
	newNear := make([]int32, pt.n)
	newCost := make([]float64, pt.n)
	var buf []near
	var touched []int32
	// trial evaluates (or, with apply, makes) the move r → s: the change
	// of cost and of overflow, and whether every client keeps a site.
	trial := func(r, s int, apply bool) (dc, dov float64, ok bool) {
		touched = touched[:0]
		touch := func(k int32, v float64) {
			if dl[k] == 0 {
				touched = append(touched, k)
			}
			dl[k] += v
		}
		nl.isOpen[r], nl.isOpen[s] = false, true
		ok = true
		for _, i := range members[r] {
			k, kc := int32(-1), 0.0
			for t := c.start[i]; t < c.start[i+1]; t++ {
				if nl.isOpen[c.site[t]] {
					k, kc = c.site[t], c.cost[t]
					break
				}
			}
			if k < 0 {
				ok = false
				break
			}
			newNear[i], newCost[i] = k, kc
			dc += kc - nl.nearCost[i]
			touch(int32(r), -c.demand[i])
			touch(k, c.demand[i])
		}
		for t := c.istart[s]; t < c.istart[s+1] && ok; t++ {
			i := c.icl[t]
			if int(nl.near[i]) == r || c.icost[t] >= nl.nearCost[i] {
				continue
			}
			newNear[i], newCost[i] = int32(s), c.icost[t]
			dc += c.icost[t] - nl.nearCost[i]
			touch(nl.near[i], -c.demand[i])
			touch(int32(s), c.demand[i])
		}
		for _, k := range touched {
			before := max(0, nl.load[k]-c.capty[k])
			after := max(0, nl.load[k]+dl[k]-c.capty[k])
			if k == int32(r) {
				after = 0
			}
			dov += after - before
		}
		if !apply || !ok {
			nl.isOpen[r], nl.isOpen[s] = true, false
			for _, k := range touched {
				dl[k] = 0
			}
			return dc, dov, ok
		}
		for _, k := range touched {
			nl.load[k] += dl[k]
			dl[k] = 0
		}
		nl.load[r] = 0
		moved := members[r]
		members[r] = nil
		for _, i := range moved {
			nl.near[i], nl.nearCost[i] = newNear[i], newCost[i]
			members[newNear[i]] = append(members[newNear[i]], i)
		}
		for t := c.istart[s]; t < c.istart[s+1]; t++ {
			i := c.icl[t]
			if nl.near[i] == int32(s) || c.icost[t] >= nl.nearCost[i] {
				continue
			}
			k := nl.near[i]
			members[k] = slices.DeleteFunc(members[k], func(x int32) bool { return x == i })
			nl.near[i], nl.nearCost[i] = int32(s), c.icost[t]
			members[s] = append(members[s], i)
		}
		return dc, dov, ok
	}
	for round := 0; round < 50; round++ {
		changed := false
		for k := 0; k < len(cur); k++ {
			r := cur[k]
			buf = g.nearest(pt.sx[r], pt.sy[r], voronoiMoves, buf)
			for _, nb := range buf {
				if ctx.Err() != nil {
					return sortedCopy(cur)
				}
				s := int(nb.j)
				if nl.isOpen[s] {
					continue
				}
				dc, dov, ok := trial(r, s, false)
				scale := 1e-9 * (1 + math.Abs(dc))
				if !ok || dov > scale || dov > -scale && dc >= -1e-9*(1+math.Abs(dc)) {
					continue
				}
				trial(r, s, true)
				cur[k] = s
				changed = true
				break
			}
		}
		if !changed {
			break
		}
	}
	return sortedCopy(cur)
}

// voronoiMoves is how many nearest sites voronoiSearch tries for each
// open site.
const voronoiMoves = 12

func sortedCopy(a []int) []int {
	out := slices.Clone(a)
	slices.Sort(out)
	return out
}
