package osmroad

import (
	"errors"
	"math"
	"slices"
	"strconv"

	"github.com/gstplan/gst"
)

// minEdgeKm is the length given to an edge between two distinct nodes at
// the very same place (a millimetre): a network edge must have a length.
const minEdgeKm = 1e-6

// edge is a stretch of road between two nodes (indices into reader.ids).
type edge struct {
	u, v   int32
	km     float64
	kmh    float64
	oneway bool
}

// build splits the roads into edges, keeps the largest component and
// makes the network.
func (rd *reader) build() (*gst.RoadNetwork, error) {
	ok := rd.usable()
	idx := make([]int32, len(rd.refs))
	for i, id := range rd.refs {
		k, _ := slices.BinarySearch(rd.ids, id)
		idx[i] = int32(k)
	}
	rd.refs = nil
	// Junctions: nodes referred to twice or more, by one road or several.
	occ := make([]uint8, len(rd.ids))
	for _, k := range idx {
		if occ[k] < 2 {
			occ[k]++
		}
	}
	var edges []edge
	for _, w := range rd.ways {
		edges = rd.split(w, idx[w.start:w.end], ok, occ, edges)
	}
	rd.ways, idx, occ, ok = nil, nil, nil, nil
	if len(edges) == 0 {
		return nil, &Error{File: rd.name, Err: errors.New("no road to drive (inside the cut): no way of a driven highway class with two nodes the file has")}
	}
	keep, comps := rd.largestComponent(edges)
	rd.rep.Components = comps
	return rd.network(edges, keep)
}

// usable marks the nodes the file has inside the cut, and counts the
// others.
func (rd *reader) usable() []bool {
	ok := make([]bool, len(rd.ids))
	for k := range rd.ids {
		switch {
		case math.IsNaN(rd.lat[k]):
			rd.rep.MissingNodes++
		case !rd.p.inCut(rd.lat[k], rd.lon[k]):
			rd.rep.OutsideNodes++
		default:
			ok[k] = true
		}
	}
	return ok
}

// split cuts one road (its node indices) into edges: at junctions, where
// a stretch breaks off (a missing node, the edge of the cut), and after
// every ShapeKm along it.
func (rd *reader) split(w wayRec, nodes []int32, ok []bool, occ []uint8, out []edge) []edge {
	start, acc := int32(-1), 0.0
	for i := 0; i+1 < len(nodes); i++ {
		a, b := nodes[i], nodes[i+1]
		if !ok[a] || !ok[b] {
			start, acc = -1, 0
			continue
		}
		if start < 0 {
			start = a
		}
		acc += gst.GreatCircleKm(rd.lat[a], rd.lon[a], rd.lat[b], rd.lon[b])
		end := i+2 == len(nodes) || !ok[nodes[i+2]]
		if !end && occ[b] < 2 && acc < rd.p.shapeKm {
			continue
		}
		if b != start { // a loop back to its start never lies on a shortest path
			e := edge{u: start, v: b, km: max(acc, minEdgeKm), kmh: w.kmh, oneway: w.dir != bothWays}
			if w.dir == backward {
				e.u, e.v = e.v, e.u
			}
			out = append(out, e)
		}
		start, acc = b, 0
	}
	return out
}

// largestComponent returns the nodes to keep (nil: all) and the number of
// strongly connected components of the edges' nodes.
func (rd *reader) largestComponent(edges []edge) ([]bool, int) {
	n := len(rd.ids)
	comp, count := strongComponents(n, edges)
	if rd.p.allComponents || count <= 1 {
		return nil, count
	}
	size := make([]int32, count)
	first := make([]int32, count) // smallest node index: the smallest OSM ID
	for i := range first {
		first[i] = math.MaxInt32
	}
	for v := 0; v < n; v++ {
		if c := comp[v]; c >= 0 {
			size[c]++
			first[c] = min(first[c], int32(v))
		}
	}
	best := int32(0)
	for c := int32(1); c < int32(count); c++ {
		if size[c] > size[best] || (size[c] == size[best] && first[c] < first[best]) {
			best = c
		}
	}
	keep := make([]bool, n)
	for v := 0; v < n; v++ {
		keep[v] = comp[v] == best
	}
	return keep, count
}

// strongComponents labels each node that an edge touches with its
// strongly connected component (Tarjan's algorithm, without recursion);
// other nodes get -1.
func strongComponents(n int, edges []edge) ([]int32, int) {
	off := make([]int32, n+1)
	for _, e := range edges {
		off[e.u+1]++
		if !e.oneway {
			off[e.v+1]++
		}
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	adj := make([]int32, off[n])
	fill := slices.Clone(off[:n])
	used := make([]bool, n)
	for _, e := range edges {
		adj[fill[e.u]] = e.v
		fill[e.u]++
		if !e.oneway {
			adj[fill[e.v]] = e.u
			fill[e.v]++
		}
		used[e.u], used[e.v] = true, true
	}
	fill = nil
	index, low, comp := make([]int32, n), make([]int32, n), make([]int32, n)
	for i := range index {
		index[i], comp[i] = -1, -1
	}
	onStack := make([]bool, n)
	var stack []int32
	type frame struct{ v, k int32 }
	var frames []frame
	next, count := int32(0), 0
	visit := func(v int32) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		frames = append(frames, frame{v, off[v]})
	}
	for s := int32(0); s < int32(n); s++ {
		if !used[s] || index[s] >= 0 {
			continue
		}
		visit(s)
		for len(frames) > 0 {
			f := &frames[len(frames)-1]
			v := f.v
			if f.k < off[v+1] {
				w := adj[f.k]
				f.k++
				if index[w] < 0 {
					visit(w)
				} else if onStack[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			frames = frames[:len(frames)-1]
			if len(frames) > 0 {
				p := frames[len(frames)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = int32(count)
					if w == v {
						break
					}
				}
				count++
			}
		}
	}
	return comp, count
}

// network makes the road network of the kept edges (keep nil: all).
func (rd *reader) network(edges []edge, keep []bool) (*gst.RoadNetwork, error) {
	rep := rd.rep
	inNet := make([]bool, len(rd.ids))
	var re []gst.RoadEdge
	for _, e := range edges {
		if keep != nil && (!keep[e.u] || !keep[e.v]) {
			rep.DroppedEdges++
			continue
		}
		inNet[e.u], inNet[e.v] = true, true
		re = append(re, gst.RoadEdge{From: strconv.FormatInt(rd.ids[e.u], 10), To: strconv.FormatInt(rd.ids[e.v], 10),
			Km: e.km, Kmh: e.kmh, OneWay: e.oneway})
		rep.Km += e.km
	}
	var nodes []gst.RoadNode
	dropped := make([]bool, len(rd.ids))
	for _, e := range edges {
		for _, v := range [2]int32{e.u, e.v} {
			if !inNet[v] && !dropped[v] {
				dropped[v] = true
				rep.DroppedNodes++
			}
		}
	}
	for k, in := range inNet {
		if in {
			nodes = append(nodes, gst.RoadNode{ID: strconv.FormatInt(rd.ids[k], 10), Lat: rd.lat[k], Lon: rd.lon[k]})
		}
	}
	rep.Nodes, rep.Edges = len(nodes), len(re)
	net, err := gst.NewRoadNetwork(nodes, re)
	if err != nil {
		return nil, &Error{File: rd.name, Err: err}
	}
	return net, nil
}
