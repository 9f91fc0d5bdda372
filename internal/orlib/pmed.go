package orlib

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/gstplan/gst"
)

// PMed is an uncapacitated p-median instance of OR-Library (pmed1–pmed40):
// a graph whose every vertex is both a client of unit demand and a
// candidate median.
type PMed struct {
	// N is the number of vertices, P the number of medians to choose and
	// Edges the number of edge records the header announced (and the file
	// held).
	N, P, Edges int
	// Dist[i][j] is the length of a shortest path from vertex i+1 to
	// vertex j+1 (vertices are numbered from 1 in the file and from 0
	// here). Distances are exact integers; the matrix is symmetric with a
	// zero diagonal. The rows share one backing array.
	Dist [][]int
}

// ReadPMed reads an OR-Library p-median file with default Options. See
// ReadPMedWith.
func ReadPMed(r io.Reader) (*PMed, error) { return ReadPMedWith(r, nil) }

// ReadPMedWith reads an OR-Library p-median file (pmedinfo format):
//
//	n m p          vertices, edge records, medians
//	i j c          m times: an undirected edge between vertices i and j
//	               (1..n) of integer cost c
//
// The input is read as a stream of whitespace-separated tokens, so line
// breaks, CRLF line ends and a missing final newline do not matter. As
// OR-Library prescribes, an edge that appears more than once takes the cost
// of its last record; the distance matrix is then closed under shortest
// paths (the same result as Floyd–Warshall, computed with one Dijkstra run
// per vertex). 1 <= p <= n, costs are integers in [0, MaxEdgeCost],
// self-loops are refused, every vertex must be reachable from every other,
// and nothing may follow the last edge. Errors are *ParseError values
// wrapping gst.ErrInvalid, or gst.ErrTooLarge when n exceeds
// Options.MaxN or n×n exceeds Options.MaxCells.
func ReadPMedWith(r io.Reader, opt *Options) (*PMed, error) {
	s := newScanner(r, opt.name(r))
	n, err := s.countField("header: n (number of vertices)", 1, opt.maxN())
	if err != nil {
		return nil, err
	}
	if n > opt.maxCells()/n {
		return nil, s.tooLarge("header: n (number of vertices)",
			fmt.Sprintf("n×n at most %d cells (see Options.MaxCells)", opt.maxCells()), strconv.Itoa(n))
	}
	m, err := s.integer("header: m (number of edges)", 0, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	p, err := s.integer("header: p (number of medians)", 1, int64(n))
	if err != nil {
		return nil, err
	}
	// Read the edges before allocating anything of size n², so a short
	// broken input cannot make the reader allocate much memory. The map
	// keeps the last cost of each edge.
	type key struct{ a, b int32 }
	last := make(map[key]int64)
	for e := 1; e <= int(m); e++ {
		f := "edge " + strconv.Itoa(e)
		i, err := s.integer(f+": first vertex", 1, int64(n))
		if err != nil {
			return nil, err
		}
		j, err := s.integer(f+": second vertex", 1, int64(n))
		if err != nil {
			return nil, err
		}
		if i == j {
			return nil, s.fail(f+": second vertex", "a vertex other than the first (self-loops have no meaning here)", strconv.FormatInt(j, 10))
		}
		c, err := s.integer(f+": cost", 0, MaxEdgeCost)
		if err != nil {
			return nil, err
		}
		a, b := int32(i-1), int32(j-1)
		if a > b {
			a, b = b, a
		}
		last[key{a, b}] = c
	}
	if err := s.end(fmt.Sprintf("the %d edges announced in the header", m)); err != nil {
		return nil, err
	}
	// Adjacency lists (CSR). Their order follows the map and does not
	// matter: shortest-path lengths are unique.
	deg := make([]int32, n+1)
	for k := range last {
		deg[k.a+1]++
		deg[k.b+1]++
	}
	for v := 1; v <= n; v++ {
		deg[v] += deg[v-1]
	}
	type arc struct {
		to int32
		c  int64
	}
	adj := make([]arc, deg[n])
	fill := append([]int32(nil), deg[:n]...)
	for k, c := range last {
		adj[fill[k.a]] = arc{k.b, c}
		fill[k.a]++
		adj[fill[k.b]] = arc{k.a, c}
		fill[k.b]++
	}
	// Connectivity first (cheap), so a disconnected graph is refused
	// before the n² matrix is allocated.
	seen := make([]bool, n)
	stack := []int32{0}
	seen[0] = true
	reached := 1
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, a := range adj[deg[v]:deg[v+1]] {
			if !seen[a.to] {
				seen[a.to] = true
				reached++
				stack = append(stack, a.to)
			}
		}
	}
	if reached < n {
		u := 0
		for seen[u] {
			u++
		}
		return nil, &ParseError{Name: s.name, Field: "graph", Expected: "a connected graph",
			Got: fmt.Sprintf("vertex %d unreachable from vertex 1 (%d of %d vertices reachable)", u+1, reached, n), Err: gst.ErrInvalid}
	}
	cells := make([]int, n*n)
	dist := make([][]int, n)
	for i := range dist {
		dist[i] = cells[i*n : (i+1)*n : (i+1)*n]
	}
	// One Dijkstra per source: O(n·m·log n), and the same distances as
	// Floyd–Warshall since costs are non-negative.
	d := make([]int64, n)
	done := make([]bool, n)
	var h distHeap
	for src := 0; src < n; src++ {
		for v := range d {
			d[v] = math.MaxInt64
			done[v] = false
		}
		d[src] = 0
		h = append(h[:0], heapItem{0, int32(src)})
		for len(h) > 0 {
			it := h.pop()
			v := it.v
			if done[v] {
				continue
			}
			done[v] = true
			for _, a := range adj[deg[v]:deg[v+1]] {
				if nd := it.d + a.c; nd < d[a.to] {
					d[a.to] = nd
					h.push(heapItem{nd, a.to})
				}
			}
		}
		row := dist[src]
		for v := range row {
			row[v] = int(d[v])
		}
	}
	return &PMed{N: n, P: int(p), Edges: int(m), Dist: dist}, nil
}

type heapItem struct {
	d int64
	v int32
}

// distHeap is a binary min-heap on distance.
type distHeap []heapItem

func (h *distHeap) push(it heapItem) {
	a := append(*h, it)
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p].d <= it.d {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = it
	*h = a
}

func (h *distHeap) pop() heapItem {
	a := *h
	top := a[0]
	last := a[len(a)-1]
	a = a[:len(a)-1]
	i := 0
	for {
		c := 2*i + 1
		if c >= len(a) {
			break
		}
		if c+1 < len(a) && a[c+1].d < a[c].d {
			c++
		}
		if last.d <= a[c].d {
			break
		}
		a[i] = a[c]
		i = c
	}
	if len(a) > 0 {
		a[i] = last
	}
	*h = a
	return top
}

// Objective returns the p-median objective of a set of medians (0-based
// vertex indices): the sum over all vertices of the distance to the
// nearest median. It returns an error wrapping gst.ErrInvalid when a
// median is out of range or repeated, or when there is none.
func (p *PMed) Objective(medians []int) (int, error) {
	if len(medians) == 0 {
		return 0, fmt.Errorf("%w: orlib: no median given", gst.ErrInvalid)
	}
	used := make(map[int]bool, len(medians))
	for _, j := range medians {
		if j < 0 || j >= p.N {
			return 0, fmt.Errorf("%w: orlib: median %d out of range [0, %d)", gst.ErrInvalid, j, p.N)
		}
		if used[j] {
			return 0, fmt.Errorf("%w: orlib: median %d repeated", gst.ErrInvalid, j)
		}
		used[j] = true
	}
	total := 0
	for i := 0; i < p.N; i++ {
		best := math.MaxInt
		for _, j := range medians {
			best = min(best, p.Dist[i][j])
		}
		total += best
	}
	return total, nil
}
