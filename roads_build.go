package gst

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// assembleRoadNetwork builds the network of valid nodes and edges: the
// nodes in Hilbert order, the arcs as compressed rows and their reverse,
// and the k-d tree of the nodes that have a road.
func assembleRoadNetwork(nodes []RoadNode, edges []RoadEdge) *RoadNetwork {
	nn := len(nodes)
	order := hilbertOrder(nodes)
	net := &RoadNetwork{
		ids: make([]string, nn),
		lat: make([]float64, nn),
		lon: make([]float64, nn),
	}
	ix := make(map[string]int32, nn)
	for k, i := range order {
		net.ids[k] = nodes[i].ID
		ix[nodes[i].ID] = int32(k)
		net.lat[k], net.lon[k] = nodes[i].Lat, nodes[i].Lon
	}
	order = nil

	arcs := make([]roadArc, 0, 2*len(edges))
	for _, e := range edges {
		u, v := ix[e.From], ix[e.To]
		if u == v {
			continue
		}
		a := roadArc{u: u, v: v, minutes: 60 * e.Km / e.Kmh, km: e.Km}
		arcs = append(arcs, a)
		if !e.OneWay {
			a.u, a.v = v, u
			arcs = append(arcs, a)
		}
	}
	ix = nil
	slices.SortFunc(arcs, func(a, b roadArc) int {
		return cmp.Or(cmp.Compare(a.u, b.u), cmp.Compare(a.v, b.v), cmp.Compare(a.minutes, b.minutes), cmp.Compare(a.km, b.km))
	})
	arcs = slices.CompactFunc(arcs, func(a, b roadArc) bool { return a.u == b.u && a.v == b.v })
	net.fwd = newRoadGraph(nn, arcs)
	arcs = nil
	net.rev = net.fwd.reversed()

	var snappable []int32
	for i := 0; i < nn; i++ {
		if net.fwd.degree(int32(i)) > 0 || net.rev.degree(int32(i)) > 0 {
			snappable = append(snappable, int32(i))
		}
	}
	net.kd = newRoadKD(snappable, net.lat, net.lon, net.ids)
	return net
}

// hilbertOrder returns the indices of the nodes along a Hilbert curve of
// order 16 over their bounding box, ties in ID order: nodes close on the
// ground come close in the order, and so in memory.
func hilbertOrder(nodes []RoadNode) []int {
	minLat, maxLat, minLon, maxLon := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, nd := range nodes {
		minLat, maxLat = min(minLat, nd.Lat), max(maxLat, nd.Lat)
		minLon, maxLon = min(minLon, nd.Lon), max(maxLon, nd.Lon)
	}
	const side = 1 << 16
	cell := func(v, lo, hi float64) uint32 {
		if hi <= lo {
			return 0
		}
		return uint32(min(side-1, math.Floor((v-lo)/(hi-lo)*side)))
	}
	keys := make([]uint32, len(nodes))
	order := make([]int, len(nodes))
	for i, nd := range nodes {
		keys[i] = hilbertKey(side, cell(nd.Lon, minLon, maxLon), cell(nd.Lat, minLat, maxLat))
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(keys[a], keys[b]), strings.Compare(nodes[a].ID, nodes[b].ID))
	})
	return order
}

// hilbertKey returns the distance of cell (x, y) along the Hilbert curve
// that fills a side × side square (side a power of two).
func hilbertKey(side, x, y uint32) uint32 {
	var d uint32
	for s := side / 2; s > 0; s /= 2 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		if ry == 0 {
			if rx == 1 {
				x, y = side-1-x, side-1-y
			}
			x, y = y, x
		}
	}
	return d
}
