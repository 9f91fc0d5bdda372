package gst

import "math"

// roadArc is one directed arc while a network is built.
type roadArc struct {
	u, v        int32
	minutes, km float64
}

// roadGraph is a directed graph in compressed sparse row form: the arcs
// leaving node u are arc[off[u]:off[u+1]], each with its head, its travel
// time in minutes and its length in km side by side, so that a search
// reads one stream; 4 bytes a node and 24 bytes an arc. A reversed graph
// (reversed) instead lists, for each node, the arcs that enter it in the
// graph it reverses, as the tail and the index of the arc there: 8 bytes
// an arc.
type roadGraph struct {
	off []int32 // len nodes+1
	arc []roadHead
	// The reversed graph's arcs, and the graph whose arcs they index.
	ref  []roadBack
	base *roadGraph
}

// roadHead is an arc as the graph stores it.
type roadHead struct {
	minutes, km float64
	to          int32
}

// roadBack is an arc of a reversed graph: its head (the tail of the arc
// in the base graph) and the index of the arc in the base graph.
type roadBack struct {
	to, k int32
}

// newRoadGraph builds the graph of n nodes from arcs sorted by tail.
func newRoadGraph(n int, arcs []roadArc) *roadGraph {
	g := &roadGraph{off: make([]int32, n+1), arc: make([]roadHead, len(arcs))}
	for k, a := range arcs {
		g.off[a.u+1]++
		g.arc[k] = roadHead{minutes: a.minutes, km: a.km, to: a.v}
	}
	for i := 1; i < len(g.off); i++ {
		g.off[i] += g.off[i-1]
	}
	return g
}

// reversed returns the graph with every arc of g turned round; the arcs
// into a node are listed by tail.
func (g *roadGraph) reversed() *roadGraph {
	n := len(g.off) - 1
	r := &roadGraph{off: make([]int32, n+1), ref: make([]roadBack, len(g.arc)), base: g}
	for _, a := range g.arc {
		r.off[a.to+1]++
	}
	for i := 1; i <= n; i++ {
		r.off[i] += r.off[i-1]
	}
	fill := append([]int32(nil), r.off[:n]...)
	for u := 0; u < n; u++ {
		for k := g.off[u]; k < g.off[u+1]; k++ {
			v := g.arc[k].to
			r.ref[fill[v]] = roadBack{to: int32(u), k: k}
			fill[v]++
		}
	}
	return r
}

func (g *roadGraph) degree(u int32) int32 { return g.off[u+1] - g.off[u] }

// roadSearch is one worker's shortest-path search (Dijkstra's algorithm
// with a binary heap that supports decrease-key) with its scratch space,
// reused from one search to the next. Labels are compared
// lexicographically, minutes first and then km, and ties between equal
// labels go to the smaller node index, so every search settles the nodes
// in one order: the fastest time to each node, and among the fastest paths
// the length of the shortest, whatever the worker. A node's label is kept
// in one 24-byte record, and the heap holds copies of the keys, so that a
// step touches few cache lines; the heap holds only the frontier.
type roadSearch struct {
	g     *roadGraph
	cur   uint32 // the current search's stamp
	label []roadLabel
	heap  []roadItem
}

// roadLabel is a node's label in the current search.
type roadLabel struct {
	dist, km float64
	stamp    uint32 // the label belongs to this search when stamp == cur
	pos      int32  // the node's position in the heap, -1 once settled
}

// roadItem is a node in the heap with a copy of its key.
type roadItem struct {
	dist, km float64
	v        int32
}

func (a roadItem) less(b roadItem) bool {
	if a.dist != b.dist {
		return a.dist < b.dist
	}
	if a.km != b.km {
		return a.km < b.km
	}
	return a.v < b.v
}

func newRoadSearch(g *roadGraph) *roadSearch {
	return &roadSearch{g: g, label: make([]roadLabel, len(g.off)-1)}
}

// run searches from src until every node with want[v] set is settled, or
// every reachable node when they are fewer than nWant; want nil and nWant
// 0 settle every reachable node.
func (s *roadSearch) run(src int32, want []bool, nWant int) {
	s.cur++
	if s.cur == 0 { // wrapped: clear the stamps
		for i := range s.label {
			s.label[i].stamp = 0
		}
		s.cur = 1
	}
	s.heap = s.heap[:0]
	s.push(roadItem{0, 0, src})
	settled := 0
	g := s.g
	for len(s.heap) > 0 {
		it := s.pop()
		u := it.v
		if want != nil && want[u] {
			if settled++; settled == nWant {
				return
			}
		}
		if g.base == nil {
			for _, a := range g.arc[g.off[u]:g.off[u+1]] {
				s.relax(it, a.to, a.minutes, a.km)
			}
		} else {
			for _, r := range g.ref[g.off[u]:g.off[u+1]] {
				a := &g.base.arc[r.k]
				s.relax(it, r.to, a.minutes, a.km)
			}
		}
	}
}

// relax offers v the label of settled item it plus an arc.
func (s *roadSearch) relax(it roadItem, v int32, minutes, km float64) {
	c := roadItem{it.dist + minutes, it.km + km, v}
	l := &s.label[v]
	if l.stamp != s.cur {
		s.push(c)
		return
	}
	if l.pos >= 0 && (c.dist < l.dist || (c.dist == l.dist && c.km < l.km)) {
		l.dist, l.km = c.dist, c.km
		s.up(int(l.pos), c)
	}
}

// leg returns the minutes and km from the last search's source to v, and
// false when v was not reached. Only nodes the search settled are asked
// for: targets, or any node after a search that ran to its end.
func (s *roadSearch) leg(v int32) (float64, float64, bool) {
	l := &s.label[v]
	if l.stamp != s.cur {
		return math.Inf(1), math.Inf(1), false
	}
	return l.dist, l.km, true
}

func (s *roadSearch) push(it roadItem) {
	s.label[it.v] = roadLabel{dist: it.dist, km: it.km, stamp: s.cur}
	s.heap = append(s.heap, it)
	s.up(len(s.heap)-1, it)
}

// up moves item it, whose key at position i has just become smaller,
// towards the root.
func (s *roadSearch) up(i int, it roadItem) {
	h := s.heap
	for i > 0 {
		p := (i - 1) / 2
		if !it.less(h[p]) {
			break
		}
		h[i] = h[p]
		s.label[h[i].v].pos = int32(i)
		i = p
	}
	h[i] = it
	s.label[it.v].pos = int32(i)
}

func (s *roadSearch) pop() roadItem {
	h := s.heap
	top := h[0]
	s.label[top.v].pos = -1
	last := h[len(h)-1]
	h = h[:len(h)-1]
	s.heap = h
	if len(h) == 0 {
		return top
	}
	i, n := 0, len(h)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].less(h[c]) {
			c++
		}
		if !h[c].less(last) {
			break
		}
		h[i] = h[c]
		s.label[h[i].v].pos = int32(i)
		i = c
	}
	h[i] = last
	s.label[last.v].pos = int32(i)
	return top
}
