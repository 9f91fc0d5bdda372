package gst

import "math"

// roadArc is one directed arc while a network is built.
type roadArc struct {
	u, v        int32
	minutes, km float64
}

// roadGraph is a directed graph in compressed sparse row form: the arcs
// leaving node u are [off[u], off[u+1]), each with its head, its travel
// time in minutes and its length in km. It takes 4 bytes a node and 20
// bytes an arc.
type roadGraph struct {
	off     []int32 // len nodes+1
	to      []int32
	minutes []float64
	km      []float64
}

// newRoadGraph builds the graph of n nodes from arcs sorted by tail.
func newRoadGraph(n int, arcs []roadArc) *roadGraph {
	g := &roadGraph{
		off:     make([]int32, n+1),
		to:      make([]int32, len(arcs)),
		minutes: make([]float64, len(arcs)),
		km:      make([]float64, len(arcs)),
	}
	for k, a := range arcs {
		g.off[a.u+1]++
		g.to[k], g.minutes[k], g.km[k] = a.v, a.minutes, a.km
	}
	for i := 1; i < len(g.off); i++ {
		g.off[i] += g.off[i-1]
	}
	return g
}

func (g *roadGraph) degree(u int32) int32 { return g.off[u+1] - g.off[u] }

// roadSearch is one worker's shortest-path search (Dijkstra's algorithm
// with a binary heap that supports decrease-key) with its scratch space,
// reused from one search to the next. Labels are compared
// lexicographically, minutes first and then km, and ties between equal
// labels go to the smaller node index, so every search settles the nodes
// in one order: the fastest time to each node, and among the fastest paths
// the length of the shortest, whatever the worker. It takes 24 bytes a
// node, and at most 4 more for the heap.
type roadSearch struct {
	g     *roadGraph
	cur   uint32   // the current search's stamp
	stamp []uint32 // a node is labelled in this search when stamp == cur
	dist  []float64
	km    []float64
	pos   []int32 // the node's position in heap, -1 once settled
	heap  []int32
}

func newRoadSearch(g *roadGraph) *roadSearch {
	n := len(g.off) - 1
	return &roadSearch{g: g, stamp: make([]uint32, n), dist: make([]float64, n), km: make([]float64, n), pos: make([]int32, n)}
}

// run searches from src until every node with want[v] set is settled, or
// every reachable node when they are fewer than nWant; want nil and nWant
// 0 settle every reachable node.
func (s *roadSearch) run(src int32, want []bool, nWant int) {
	s.cur++
	if s.cur == 0 { // wrapped: clear the stamps
		clear(s.stamp)
		s.cur = 1
	}
	s.heap = s.heap[:0]
	s.label(src, 0, 0)
	settled := 0
	g := s.g
	for len(s.heap) > 0 {
		u := s.pop()
		if want != nil && want[u] {
			if settled++; settled == nWant {
				return
			}
		}
		du, ku := s.dist[u], s.km[u]
		for k := g.off[u]; k < g.off[u+1]; k++ {
			v := g.to[k]
			d, km := du+g.minutes[k], ku+g.km[k]
			if s.stamp[v] != s.cur {
				s.label(v, d, km)
				continue
			}
			if p := s.pos[v]; p >= 0 && (d < s.dist[v] || (d == s.dist[v] && km < s.km[v])) {
				s.dist[v], s.km[v] = d, km
				s.up(int(p))
			}
		}
	}
}

// leg returns the minutes and km from the last search's source to v, and
// false when v was not reached. Only nodes the search settled are asked
// for: targets, or any node after a search that ran to its end.
func (s *roadSearch) leg(v int32) (float64, float64, bool) {
	if s.stamp[v] != s.cur {
		return math.Inf(1), math.Inf(1), false
	}
	return s.dist[v], s.km[v], true
}

func (s *roadSearch) label(v int32, d, km float64) {
	s.stamp[v] = s.cur
	s.dist[v], s.km[v] = d, km
	s.pos[v] = int32(len(s.heap))
	s.heap = append(s.heap, v)
	s.up(len(s.heap) - 1)
}

func (s *roadSearch) less(a, b int32) bool {
	if s.dist[a] != s.dist[b] {
		return s.dist[a] < s.dist[b]
	}
	if s.km[a] != s.km[b] {
		return s.km[a] < s.km[b]
	}
	return a < b
}

func (s *roadSearch) up(i int) {
	h := s.heap
	v := h[i]
	for i > 0 {
		p := (i - 1) / 2
		if !s.less(v, h[p]) {
			break
		}
		h[i] = h[p]
		s.pos[h[i]] = int32(i)
		i = p
	}
	h[i] = v
	s.pos[v] = int32(i)
}

func (s *roadSearch) pop() int32 {
	h := s.heap
	top := h[0]
	s.pos[top] = -1
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
		if c+1 < n && s.less(h[c+1], h[c]) {
			c++
		}
		if !s.less(h[c], last) {
			break
		}
		h[i] = h[c]
		s.pos[h[i]] = int32(i)
		i = c
	}
	h[i] = last
	s.pos[last] = int32(i)
	return top
}
