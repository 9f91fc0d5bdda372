package capfl

import (
	"math"
	"sort"
)

// gapHeur builds and improves single-source assignments of the customers
// to a fixed set of open sites (a generalised assignment problem): a
// regret-ordered greedy start guided by the Lagrangian knapsacks, a
// one-level repair, then shift and swap local search.
type gapHeur struct {
	in     *inst
	asg    []int32
	load   []float64
	isOpen []bool
	open   []int
	order  []int32
	key    []float64
	// members[i] lists the customers of site i (see buildMembers)
	members [][]int32
	// stop, when set, says that time is up; local search then returns
	stop func() bool
}

func newGapHeur(in *inst) *gapHeur {
	return &gapHeur{
		in:     in,
		asg:    make([]int32, in.n),
		load:   make([]float64, in.m),
		isOpen: make([]bool, in.m),
		order:  make([]int32, 0, in.n),
		key:    make([]float64, in.n),
	}
}

func (h *gapHeur) fits(i, j int) bool {
	in := h.in
	return h.load[i]+in.dem[j] <= in.cap[i]*(1+1e-12)+1e-12
}

// solve assigns every customer to one open site. pref[j] (when not nil and
// >= 0) is a preferred site. It returns the assignment cost (without fixed
// costs) and false when it found no feasible assignment.
func (h *gapHeur) solve(open []int, pref []int32) (float64, bool) {
	in := h.in
	n := in.n
	h.open = append(h.open[:0], open...)
	for i := range h.isOpen {
		h.isOpen[i] = false
		h.load[i] = 0
	}
	for _, i := range open {
		h.isOpen[i] = true
	}
	for j := range h.asg {
		h.asg[j] = -1
	}
	// Preferred sites first, largest demand first.
	if pref != nil {
		h.order = h.order[:0]
		for j := 0; j < n; j++ {
			if p := pref[j]; p >= 0 && h.isOpen[p] && !math.IsInf(in.c[int(p)*n+j], 1) {
				h.order = append(h.order, int32(j))
			}
		}
		sort.Slice(h.order, func(a, b int) bool {
			ja, jb := h.order[a], h.order[b]
			if in.dem[ja] != in.dem[jb] {
				return in.dem[ja] > in.dem[jb]
			}
			return ja < jb
		})
		for _, j32 := range h.order {
			j := int(j32)
			p := int(pref[j])
			if h.fits(p, j) {
				h.asg[j] = int32(p)
				h.load[p] += in.dem[j]
			}
		}
	}
	// The rest by decreasing regret between their two cheapest open sites.
	h.order = h.order[:0]
	for j := 0; j < n; j++ {
		if h.asg[j] >= 0 {
			continue
		}
		c1, c2 := math.Inf(1), math.Inf(1)
		for _, i32 := range in.byCost[j] {
			i := int(i32)
			if !h.isOpen[i] {
				continue
			}
			c := in.c[i*n+j]
			if c < c1 {
				c1, c2 = c, c1
			} else if c < c2 {
				c2 = c
			}
			if !math.IsInf(c2, 1) {
				break
			}
		}
		if math.IsInf(c1, 1) {
			return 0, false
		}
		r := c2 - c1
		if math.IsInf(r, 1) {
			r = math.MaxFloat64
		}
		h.key[j] = r
		h.order = append(h.order, int32(j))
	}
	sort.Slice(h.order, func(a, b int) bool {
		ja, jb := h.order[a], h.order[b]
		if h.key[ja] != h.key[jb] {
			return h.key[ja] > h.key[jb]
		}
		if in.dem[ja] != in.dem[jb] {
			return in.dem[ja] > in.dem[jb]
		}
		return ja < jb
	})
	for _, j32 := range h.order {
		j := int(j32)
		placed := false
		for _, i32 := range in.byCost[j] {
			i := int(i32)
			if h.isOpen[i] && h.fits(i, j) {
				h.asg[j] = i32
				h.load[i] += in.dem[j]
				placed = true
				break
			}
		}
		if !placed && !h.repair(j) {
			return 0, false
		}
	}
	h.localSearch()
	return h.cost(), true
}

// repair places customer j by moving one customer out of a site that then
// fits j, choosing the cheapest such pair of moves.
func (h *gapHeur) repair(j int) bool {
	in := h.in
	n := in.n
	best := math.Inf(1)
	bi, bl, bk := -1, -1, -1
	h.buildMembers()
	for _, i32 := range in.byCost[j] {
		i := int(i32)
		if !h.isOpen[i] {
			continue
		}
		cj := in.c[i*n+j]
		for _, l32 := range h.members[i] {
			l := int(l32)
			if int(h.asg[l]) != i {
				continue
			}
			if h.load[i]-in.dem[l]+in.dem[j] > in.cap[i]*(1+1e-12)+1e-12 {
				continue
			}
			for _, k32 := range in.byCost[l] {
				k := int(k32)
				if k == i || !h.isOpen[k] || !h.fits(k, l) {
					continue
				}
				d := cj + in.c[k*n+l] - in.c[i*n+l]
				if d < best {
					best, bi, bl, bk = d, i, l, k
				}
				break
			}
		}
	}
	if bi < 0 {
		return false
	}
	h.load[bi] += in.dem[j] - in.dem[bl]
	h.load[bk] += in.dem[bl]
	h.asg[bl] = int32(bk)
	h.asg[j] = int32(bi)
	return true
}

// localSearch applies improving shift and swap moves, then ejection
// chains, until none is left (at most a bounded number of passes, and
// stopping early when h.stop says so). A swap exchanges the sites of two
// customers; one of them must move to a site cheaper for it for the swap
// to pay, so only swaps where customer j moves to a cheaper site are
// scanned, against the members of that site: the neighbourhood is
// complete at a fraction of the n² pairs.
func (h *gapHeur) localSearch() {
	in := h.in
	n := in.n
	for pass := 0; pass < 50; pass++ {
		if h.stop != nil && h.stop() {
			return
		}
		improved := false
		// shifts
		for j := 0; j < n; j++ {
			a := int(h.asg[j])
			ca := in.c[a*n+j]
			costs := in.costByCust[j]
			for k, i32 := range in.byCost[j] {
				if costs[k] >= ca {
					break
				}
				i := int(i32)
				if i != a && h.isOpen[i] && h.fits(i, j) {
					h.load[a] -= in.dem[j]
					h.load[i] += in.dem[j]
					h.asg[j] = i32
					improved = true
					break
				}
			}
		}
		// swaps
		h.buildMembers()
		for j := 0; j < n; j++ {
			a := int(h.asg[j])
			ca := in.c[a*n+j]
			costs := in.costByCust[j]
			dj := in.dem[j]
		sites:
			for k, b32 := range in.byCost[j] {
				cb := costs[k]
				if cb >= ca {
					break
				}
				b := int(b32)
				if b == a || !h.isOpen[b] {
					continue
				}
				for _, l32 := range h.members[b] {
					l := int(l32)
					if int(h.asg[l]) != b {
						continue // stale entry
					}
					d := cb - ca + in.c[a*n+l] - in.c[b*n+l]
					if !(d < -1e-12*math.Max(1, ca+in.c[b*n+l])) {
						continue
					}
					dl := in.dem[l]
					if h.load[a]-dj+dl > in.cap[a]*(1+1e-12)+1e-12 || h.load[b]-dl+dj > in.cap[b]*(1+1e-12)+1e-12 {
						continue
					}
					h.load[a] += dl - dj
					h.load[b] += dj - dl
					h.asg[j], h.asg[l] = int32(b), int32(a)
					h.members[a] = append(h.members[a], l32)
					h.members[b] = append(h.members[b], int32(j))
					improved = true
					break sites
				}
			}
		}
		if !improved && !h.ejections() {
			return
		}
	}
}

// buildMembers lists the customers of every site (entries go stale when a
// customer moves; readers check h.asg).
func (h *gapHeur) buildMembers() {
	in := h.in
	if len(h.members) < in.m {
		h.members = make([][]int32, in.m)
	}
	for i := range h.members {
		h.members[i] = h.members[i][:0]
	}
	for j := 0; j < in.n; j++ {
		if a := h.asg[j]; a >= 0 {
			h.members[a] = append(h.members[a], int32(j))
		}
	}
}

// ejections applies improving chains of two shifts: a customer j moves
// from site a to a cheaper site b that lacks room, and a customer l moves
// out of b to a third site c (possibly a) to make room. It returns whether
// it applied any.
func (h *gapHeur) ejections() bool {
	in := h.in
	n := in.n
	if h.stop != nil && h.stop() {
		return false
	}
	h.buildMembers()
	tol := func(i int) float64 { return in.cap[i]*(1+1e-12) + 1e-12 }
	applied := false
	for j := 0; j < n; j++ {
		a := int(h.asg[j])
		ca := in.c[a*n+j]
		dj := in.dem[j]
		bestD, bb, bl, bc := -1e-9*math.Max(1, ca), -1, -1, -1
		for _, b32 := range in.byCost[j] {
			b := int(b32)
			gain := in.c[b*n+j] - ca
			if gain >= 0 {
				break
			}
			if b == a || !h.isOpen[b] {
				continue
			}
			need := h.load[b] + dj - tol(b)
			if need <= 0 {
				continue // a plain shift; localSearch handles it
			}
			for _, l32 := range h.members[b] {
				l := int(l32)
				if int(h.asg[l]) != b || in.dem[l] < need {
					continue
				}
				cl := in.c[b*n+l]
				for _, c32 := range in.byCost[l] {
					c := int(c32)
					d := gain + in.c[c*n+l] - cl
					if d >= bestD {
						break
					}
					if c == b || !h.isOpen[c] {
						continue
					}
					room := h.load[c] + in.dem[l]
					if c == a {
						room -= dj
					}
					if room > tol(c) {
						continue
					}
					bestD, bb, bl, bc = d, b, l, c
					break
				}
			}
		}
		if bb < 0 {
			continue
		}
		h.load[a] -= dj
		h.load[bb] += dj - in.dem[bl]
		h.load[bc] += in.dem[bl]
		h.asg[j] = int32(bb)
		h.asg[bl] = int32(bc)
		h.members[bb] = append(h.members[bb], int32(j))
		h.members[bc] = append(h.members[bc], int32(bl))
		applied = true
	}
	return applied
}

func (h *gapHeur) cost() float64 {
	in := h.in
	n := in.n
	c := 0.0
	for j := 0; j < n; j++ {
		c += in.c[int(h.asg[j])*n+j]
	}
	return c
}

// relocate tries, for every open site that is not forced open, to move its
// whole cluster to a closed site that serves it more cheaply (fixed cost
// included). It changes h.open and returns whether it moved any.
func (h *gapHeur) relocate(fix []int8) bool {
	in := h.in
	n := in.n
	moved := false
	var cluster []int
	for idx, i := range h.open {
		if fix[i] > 0 {
			continue
		}
		cluster = cluster[:0]
		cur := in.fc[i]
		for j := 0; j < n; j++ {
			if int(h.asg[j]) == i {
				cluster = append(cluster, j)
				cur += in.c[i*n+j]
			}
		}
		best, bk := cur, -1
		for k := 0; k < in.m; k++ {
			if h.isOpen[k] || fix[k] < 0 || in.cap[k] < h.load[i]*(1-1e-12) {
				continue
			}
			v := in.fc[k]
			for _, j := range cluster {
				v += in.c[k*n+j]
				if v >= best {
					break
				}
			}
			if v < best-1e-9*math.Max(1, math.Abs(best)) {
				best, bk = v, k
			}
		}
		if bk < 0 {
			continue
		}
		for _, j := range cluster {
			h.asg[j] = int32(bk)
		}
		h.load[bk] = h.load[i]
		h.load[i] = 0
		h.isOpen[i] = false
		h.isOpen[bk] = true
		h.open[idx] = bk
		moved = true
	}
	if moved {
		sort.Ints(h.open)
	}
	return moved
}

// swapCand is a site swap with its estimated change of cost.
type swapCand struct {
	out, in int
	delta   float64
}

// swapDeltas estimates, from the current assignment, the change of cost of
// every swap of an open site (not forced open) for a closed one that may
// open: the customers of the closed site move to their cheapest open site
// with room (the new site included), by decreasing demand, then customers
// of other sites move to the new site while it has room and it is cheaper
// for them. Swaps that leave a customer without room are left out. fix
// holds the rules on sites.
func (h *gapHeur) swapDeltas(fix []int8) []swapCand {
	in := h.in
	n := in.n
	clusters := make([][]int, in.m)
	for j := 0; j < n; j++ {
		a := int(h.asg[j])
		clusters[a] = append(clusters[a], j)
	}
	for _, cl := range clusters {
		sort.Slice(cl, func(a, b int) bool {
			if in.dem[cl[a]] != in.dem[cl[b]] {
				return in.dem[cl[a]] > in.dem[cl[b]]
			}
			return cl[a] < cl[b]
		})
	}
	// customers by decreasing saving are found per candidate site
	var out []swapCand
	extra := make([]float64, in.m) // load added to open sites during one evaluation
	var touched []int
	type mover struct {
		j    int
		gain float64
	}
	var movers []mover
	for k := 0; k < in.m; k++ {
		if h.isOpen[k] || fix[k] < 0 {
			continue
		}
		// voluntary movers into k, best saving first
		movers = movers[:0]
		for j := 0; j < n; j++ {
			ck := in.c[k*n+j]
			if g := in.c[int(h.asg[j])*n+j] - ck; g > 0 {
				movers = append(movers, mover{j, g})
			}
		}
		sort.Slice(movers, func(a, b int) bool {
			if movers[a].gain != movers[b].gain {
				return movers[a].gain > movers[b].gain
			}
			return movers[a].j < movers[b].j
		})
		for _, i := range h.open {
			if fix[i] > 0 {
				continue
			}
			delta := 0.0
			loadK := 0.0
			ok := true
			touched = touched[:0]
			for _, j := range clusters[i] {
				cur := in.c[i*n+j]
				best, bs := math.Inf(1), -1
				if c := in.c[k*n+j]; c < best && loadK+in.dem[j] <= in.cap[k]*(1+1e-12)+1e-12 {
					best, bs = c, k
				}
				for _, s32 := range in.byCost[j] {
					s := int(s32)
					c := in.c[s*n+j]
					if c >= best {
						break
					}
					if s == i || s == k || !h.isOpen[s] {
						continue
					}
					if h.load[s]+extra[s]+in.dem[j] <= in.cap[s]*(1+1e-12)+1e-12 {
						best, bs = c, s
						break
					}
				}
				if bs < 0 {
					ok = false
					break
				}
				delta += best - cur
				if bs == k {
					loadK += in.dem[j]
				} else {
					if extra[bs] == 0 {
						touched = append(touched, bs)
					}
					extra[bs] += in.dem[j]
				}
			}
			if ok {
				for _, mv := range movers {
					j := mv.j
					if int(h.asg[j]) == i {
						continue
					}
					if loadK+in.dem[j] <= in.cap[k]*(1+1e-12)+1e-12 {
						loadK += in.dem[j]
						delta -= mv.gain
					}
				}
				delta += in.fc[k] - in.fc[i]
				out = append(out, swapCand{out: i, in: k, delta: delta})
			}
			for _, s := range touched {
				extra[s] = 0
			}
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].delta != out[b].delta {
			return out[a].delta < out[b].delta
		}
		if out[a].out != out[b].out {
			return out[a].out < out[b].out
		}
		return out[a].in < out[b].in
	})
	return out
}

// start sets the open sites and an assignment (every customer to an open
// site), recomputing the loads, and reports whether the loads respect the
// capacities.
func (h *gapHeur) start(open []int, asg []int32) bool {
	in := h.in
	h.open = append(h.open[:0], open...)
	for i := range h.isOpen {
		h.isOpen[i] = false
		h.load[i] = 0
	}
	for _, i := range open {
		h.isOpen[i] = true
	}
	copy(h.asg, asg)
	for j, a := range asg {
		if a < 0 || !h.isOpen[a] {
			return false
		}
		h.load[a] += in.dem[j]
	}
	for _, i := range open {
		if h.load[i] > in.cap[i]*(1+1e-12)+1e-12 {
			return false
		}
	}
	return true
}

// clusterSwaps lists, for every open site (not forced open), the k closed
// sites that may open and serve its cluster under asg at least cost
// (fixed cost included), as swap candidates.
func (h *gapHeur) clusterSwaps(open []int, asg []int32, fix []int8, k int) []swapCand {
	in := h.in
	n := in.n
	isOpen := make([]bool, in.m)
	for _, i := range open {
		isOpen[i] = true
	}
	clusters := make([][]int, in.m)
	for j := 0; j < n; j++ {
		clusters[asg[j]] = append(clusters[asg[j]], j)
	}
	var out []swapCand
	var cs []swapCand
	for _, i := range open {
		if fix[i] > 0 {
			continue
		}
		cs = cs[:0]
		for c := 0; c < in.m; c++ {
			if isOpen[c] || fix[c] < 0 {
				continue
			}
			v := in.fc[c]
			for _, j := range clusters[i] {
				v += in.c[c*n+j]
			}
			cs = append(cs, swapCand{out: i, in: c, delta: v})
		}
		sort.Slice(cs, func(a, b int) bool {
			if cs[a].delta != cs[b].delta {
				return cs[a].delta < cs[b].delta
			}
			return cs[a].in < cs[b].in
		})
		if len(cs) > k {
			cs = cs[:k]
		}
		out = append(out, cs...)
	}
	return out
}
