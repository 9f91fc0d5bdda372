package pmedian

import (
	"container/heap"
	"math"
	"math/rand/v2"
)

// synthetic builds a deterministic Euclidean problem: n demand points and
// m candidate sites in a 100 km square, the points drawn around 40
// Gaussian clusters (half of them) or uniformly (the other half), sites
// uniformly; weights 1–100. Each client lists its k nearest sites; Beyond
// is the distance to the (k+1)-th and Far the exact distance.
func synthetic(n, m, p, k int, seed uint64) *Problem {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	const side = 100.0
	type pt struct{ x, y float64 }
	centres := make([]pt, 40)
	for c := range centres {
		centres[c] = pt{r.Float64() * side, r.Float64() * side}
	}
	clients := make([]pt, n)
	for i := range clients {
		if i%2 == 0 {
			c := centres[r.IntN(len(centres))]
			clients[i] = pt{min(max(c.x+r.NormFloat64()*4, 0), side), min(max(c.y+r.NormFloat64()*4, 0), side)}
		} else {
			clients[i] = pt{r.Float64() * side, r.Float64() * side}
		}
	}
	sites := make([]pt, m)
	for j := range sites {
		sites[j] = pt{r.Float64() * side, r.Float64() * side}
	}
	weight := make([]float64, n)
	for i := range weight {
		weight[i] = float64(1 + r.IntN(100))
	}
	dist := func(i, j int) float64 { return math.Hypot(clients[i].x-sites[j].x, clients[i].y-sites[j].y) }
	k = min(k, m)
	lists := make([][]Candidate, n)
	beyond := make([]float64, n)
	h := &candHeap{}
	for i := range lists {
		// The k+1 nearest by a bounded max-heap.
		h.c = h.c[:0]
		for j := 0; j < m; j++ {
			d := dist(i, j)
			if len(h.c) <= k {
				heap.Push(h, Candidate{j, d})
			} else if d < h.c[0].Cost {
				h.c[0] = Candidate{j, d}
				heap.Fix(h, 0)
			}
		}
		beyond[i] = math.Inf(1)
		if len(h.c) > k {
			beyond[i] = heap.Pop(h).(Candidate).Cost
		}
		lists[i] = append([]Candidate(nil), h.c...)
	}
	return &Problem{Clients: n, Sites: m, Weight: weight, Lists: lists, Beyond: beyond, Far: dist, P: p}
}

type candHeap struct{ c []Candidate }

func (h *candHeap) Len() int { return len(h.c) }
func (h *candHeap) Less(a, b int) bool {
	if h.c[a].Cost != h.c[b].Cost {
		return h.c[a].Cost > h.c[b].Cost
	}
	return h.c[a].Site > h.c[b].Site
}
func (h *candHeap) Swap(a, b int) { h.c[a], h.c[b] = h.c[b], h.c[a] }
func (h *candHeap) Push(x any)    { h.c = append(h.c, x.(Candidate)) }
func (h *candHeap) Pop() any {
	x := h.c[len(h.c)-1]
	h.c = h.c[:len(h.c)-1]
	return x
}
