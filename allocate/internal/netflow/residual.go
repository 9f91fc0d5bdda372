package netflow

import "math"

// ResidualDistances returns the lexicographic cost of the cheapest way to
// ship one more unit of flow from s to every node (reverse false) or from
// every node to s (reverse true) through the residual network of the
// optimal flow: the right derivative of the optimal cost with respect to a
// unit more supply at the start and demand at the end. Nodes that cannot be
// reached get +Inf. It runs Dijkstra's algorithm on the reduced costs, which
// the optimal potentials make non-negative.
//
// Arcs marked in skip (when not nil) are left out, in both directions.
func (g *Network) ResidualDistances(s int, reverse bool, skip []bool) (dp, ds []float64) {
	n := g.n
	outStart, outArcs, inStart, inArcs := g.byTailAndHead()
	const tiny = 1e-12
	fwdOpen := func(e int32) bool {
		if skip != nil && skip[e] {
			return false
		}
		c := g.cap[e]
		return math.IsInf(c, 1) || g.flow[e] < c-tiny*math.Max(1, c)
	}
	bwdOpen := func(e int32) bool { return g.flow[e] > tiny && (skip == nil || !skip[e]) }
	red := func(e int32) (float64, float64) {
		u, v := g.src[e], g.dst[e]
		return g.cp[e] + g.pip[u] - g.pip[v], g.cs[e] + g.pis[u] - g.pis[v]
	}

	dp = make([]float64, n)
	ds = make([]float64, n)
	for i := range dp {
		dp[i], ds[i] = math.Inf(1), math.Inf(1)
	}
	done := make([]bool, n)
	h := &pairHeap{}
	dp[s], ds[s] = 0, 0
	h.push(heapItem{p: 0, s: 0, v: int32(s)})
	relax := func(x int32, p, q float64) {
		if p < 0 {
			p = 0
		}
		if q < 0 && p == 0 {
			q = 0
		}
		if p < dp[x] || (p == dp[x] && q < ds[x]) {
			dp[x], ds[x] = p, q
			h.push(heapItem{p: p, s: q, v: x})
		}
	}
	for h.len() > 0 {
		it := h.pop()
		u := it.v
		if done[u] || it.p != dp[u] || it.s != ds[u] {
			continue
		}
		done[u] = true
		if !reverse {
			// Residual arcs leaving u: forward arcs out of u, backward
			// arcs into u.
			for _, e := range outArcs[outStart[u]:outStart[u+1]] {
				if fwdOpen(e) {
					rp, rs := red(e)
					relax(g.dst[e], dp[u]+math.Max(rp, 0), ds[u]+rs)
				}
			}
			for _, e := range inArcs[inStart[u]:inStart[u+1]] {
				if bwdOpen(e) {
					rp, rs := red(e)
					relax(g.src[e], dp[u]+math.Max(-rp, 0), ds[u]-rs)
				}
			}
		} else {
			// Residual arcs entering u: forward arcs into u, backward
			// arcs out of u.
			for _, e := range inArcs[inStart[u]:inStart[u+1]] {
				if fwdOpen(e) {
					rp, rs := red(e)
					relax(g.src[e], dp[u]+math.Max(rp, 0), ds[u]+rs)
				}
			}
			for _, e := range outArcs[outStart[u]:outStart[u+1]] {
				if bwdOpen(e) {
					rp, rs := red(e)
					relax(g.dst[e], dp[u]+math.Max(-rp, 0), ds[u]-rs)
				}
			}
		}
	}
	// Reduced distances back to true costs.
	for x := 0; x < n; x++ {
		if math.IsInf(dp[x], 1) {
			continue
		}
		if !reverse {
			dp[x] += g.pip[x] - g.pip[s]
			ds[x] += g.pis[x] - g.pis[s]
		} else {
			dp[x] += g.pip[s] - g.pip[x]
			ds[x] += g.pis[s] - g.pis[x]
		}
	}
	return dp, ds
}

// byTailAndHead lists the arcs by tail and by head (compressed rows): the
// arcs out of v are outArcs[outStart[v]:outStart[v+1]], those into v
// inArcs[inStart[v]:inStart[v+1]], in index order.
func (g *Network) byTailAndHead() (outStart, outArcs, inStart, inArcs []int32) {
	n, m := g.n, len(g.src)
	outStart = make([]int32, n+1)
	inStart = make([]int32, n+1)
	for e := 0; e < m; e++ {
		outStart[g.src[e]+1]++
		inStart[g.dst[e]+1]++
	}
	for v := 0; v < n; v++ {
		outStart[v+1] += outStart[v]
		inStart[v+1] += inStart[v]
	}
	outArcs = make([]int32, m)
	inArcs = make([]int32, m)
	po := append([]int32(nil), outStart[:n]...)
	pi := append([]int32(nil), inStart[:n]...)
	for e := 0; e < m; e++ {
		u, v := g.src[e], g.dst[e]
		outArcs[po[u]] = int32(e)
		po[u]++
		inArcs[pi[v]] = int32(e)
		pi[v]++
	}
	return outStart, outArcs, inStart, inArcs
}

type heapItem struct {
	p, s float64
	v    int32
}

// pairHeap is a binary min-heap of items ordered by (p, s).
type pairHeap struct{ a []heapItem }

func (h *pairHeap) len() int { return len(h.a) }

func (h *pairHeap) lessAt(i, j int) bool {
	x, y := h.a[i], h.a[j]
	if x.p != y.p {
		return x.p < y.p
	}
	if x.s != y.s {
		return x.s < y.s
	}
	return x.v < y.v
}

func (h *pairHeap) push(it heapItem) {
	h.a = append(h.a, it)
	i := len(h.a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.lessAt(i, p) {
			break
		}
		h.a[i], h.a[p] = h.a[p], h.a[i]
		i = p
	}
}

func (h *pairHeap) pop() heapItem {
	top := h.a[0]
	last := len(h.a) - 1
	h.a[0] = h.a[last]
	h.a = h.a[:last]
	i := 0
	for {
		l, r := 2*i+1, 2*i+2
		s := i
		if l < last && h.lessAt(l, s) {
			s = l
		}
		if r < last && h.lessAt(r, s) {
			s = r
		}
		if s == i {
			break
		}
		h.a[i], h.a[s] = h.a[s], h.a[i]
		i = s
	}
	return top
}
