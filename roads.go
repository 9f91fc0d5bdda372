package gst

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
)

// RoadNode is a junction or shape point of a road network, in WGS84
// degrees.
type RoadNode struct {
	ID  string
	Lat float64
	Lon float64
}

// RoadEdge is a stretch of road between two nodes: its length in
// kilometres and the average speed driven on it in km/h, which together
// give its travel time (60·Km/Kmh minutes). An edge is driven both ways
// unless OneWay is set, in which case it runs only from From to To.
type RoadEdge struct {
	From, To string
	Km       float64
	Kmh      float64
	OneWay   bool
}

// Default road-network parameters.
const (
	// DefaultMaxSnapKm is the great-circle distance, in km, beyond which a
	// point is too far from every road node to join the network. Ten
	// kilometres is about two hours on foot; raise it for a network with
	// few nodes (trunk roads only), lower it for a dense street network.
	DefaultMaxSnapKm = 10.0
	// DefaultAccessKmh is the speed, in km/h, of the access leg between a
	// point and its road node: off the modelled network, on local roads,
	// tracks and paths.
	DefaultAccessKmh = 20.0
)

// RoadOptions tune RoadNetwork.Matrix and RoadNetwork.Snap. A nil
// *RoadOptions uses the defaults; a zero field uses its default.
type RoadOptions struct {
	// MaxSnapKm is the largest great-circle distance, in km, between a
	// point and the road node it joins; a point farther than this from
	// every node with a road is unreachable. Default DefaultMaxSnapKm (10 km);
	// math.Inf(1) removes the limit; must be > 0.
	MaxSnapKm float64
	// AccessKmh is the speed, in km/h, of the access leg from a point to
	// its road node and from the last road node to the destination.
	// Default DefaultAccessKmh (20 km/h); must be finite and > 0.
	AccessKmh float64
	// AccessCircuity multiplies the great-circle distance of an access leg
	// into road kilometres. Default DefaultCircuity (1.3); must be finite
	// and >= 1.
	AccessCircuity float64
	// Workers is how many shortest-path searches run at once. Default
	// runtime.GOMAXPROCS(0), which is also its upper bound; must not be
	// negative. The result does not depend on it.
	Workers int
}

type roadParams struct {
	maxSnapKm, accessKmh, circuity float64
	workers                        int
}

func (o *RoadOptions) params(p *Problems) roadParams {
	r := roadParams{maxSnapKm: DefaultMaxSnapKm, accessKmh: DefaultAccessKmh, circuity: DefaultCircuity, workers: runtime.GOMAXPROCS(0)}
	if o == nil {
		return r
	}
	const w = "road options"
	if o.MaxSnapKm != 0 {
		if math.IsNaN(o.MaxSnapKm) || o.MaxSnapKm < 0 {
			p.Addf(w, "MaxSnapKm", "must be a number > 0 (or +Inf for no limit), got %v", o.MaxSnapKm)
		}
		r.maxSnapKm = o.MaxSnapKm
	}
	if o.AccessKmh != 0 {
		p.CheckPositive(w, "AccessKmh", o.AccessKmh)
		r.accessKmh = o.AccessKmh
	}
	if o.AccessCircuity != 0 {
		if math.IsNaN(o.AccessCircuity) || math.IsInf(o.AccessCircuity, 0) || o.AccessCircuity < 1 {
			p.Addf(w, "AccessCircuity", "must be a finite number >= 1, got %v", o.AccessCircuity)
		}
		r.circuity = o.AccessCircuity
	}
	if o.Workers < 0 {
		p.Addf(w, "Workers", "must not be negative, got %d", o.Workers)
	} else if o.Workers > 0 && o.Workers < r.workers {
		r.workers = o.Workers
	}
	return r
}

// RoadNetwork is a directed road graph built for travel-time queries:
// nodes with coordinates, and arcs with a travel time in minutes and a
// length in km. Build it with NewRoadNetwork or ReadRoadNetworkCSV; it
// cannot change afterwards and is safe for concurrent use.
//
// Its Matrix method answers the question planners ask of it: how long
// does it take, by road, from each of these places to each of those? A
// place joins the network at its nearest road node (see Snap), the road
// part is the fastest path found by gonum's Dijkstra (graph/path), and a
// pair that no road joins is reported unreachable, never given an
// infinite time.
//
// Two-way edges become two arcs; self-loops, which never lie on a shortest
// path, are dropped; of parallel arcs between the same two nodes in the
// same direction only the fastest is kept (the shortest on a tie). A node
// that no road touches is kept but never joined. Nodes are held in ID
// order, so the order of the input does not change any answer.
type RoadNetwork struct {
	ids []string
	ix  map[string]int32
	lat []float64
	lon []float64
	fwd *roadGraph // arcs as driven
	rev *roadGraph // the same arcs reversed
	kd  roadKD     // nodes with at least one arc
}

// NodeCount returns the number of road nodes.
func (n *RoadNetwork) NodeCount() int { return len(n.ids) }

// ArcCount returns the number of directed arcs: two for each two-way edge
// and one for each one-way edge, after self-loops and slower parallel arcs
// are dropped.
func (n *RoadNetwork) ArcCount() int { return len(n.fwd.to) }

// NewRoadNetwork builds a road network and reports every problem at once,
// as errors.Join of *ValidationError values (errors.Is(err, ErrInvalid)
// holds). It checks that there is at least one node and one edge; that
// node IDs are non-empty, without surrounding spaces and unique; that
// coordinates are finite and in range; that every edge joins two known
// nodes; and that lengths and speeds are finite and > 0 with a travel time
// that is a finite number > 0. A self-loop (From == To) is checked and
// then ignored.
func NewRoadNetwork(nodes []RoadNode, edges []RoadEdge) (*RoadNetwork, error) {
	var p Problems
	n := buildRoadNetwork(&p, nodes, edges, nil)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return n, nil
}

// Fields of a road record that a reader already reported as unreadable,
// so that validation does not report them a second time.
const (
	roadBadLat uint8 = 1 << iota
	roadBadLon
	roadBadKm
	roadBadKmh
)

// roadSource locates road records in the files they were read from.
type roadSource struct {
	nodeFile, edgeFile   string
	nodeLines, edgeLines []int
	nodeCols, edgeCols   map[string]int // 0-based
	nodeBad, edgeBad     []uint8
	swapped              []bool // edge given with oneway = -1
}

func (s *roadSource) nodeLoc(i int) func(string) (string, int, int) {
	if s == nil {
		return nil
	}
	return func(field string) (string, int, int) {
		col := 0
		if c, ok := s.nodeCols[field]; ok {
			col = c + 1
		}
		return s.nodeFile, s.nodeLines[i], col
	}
}

func (s *roadSource) edgeLoc(i int) func(string) (string, int, int) {
	if s == nil {
		return nil
	}
	return func(field string) (string, int, int) {
		col := 0
		if c, ok := s.edgeCols[field]; ok {
			col = c + 1
		}
		return s.edgeFile, s.edgeLines[i], col
	}
}

func (s *roadSource) bad(nodes bool, i int, flag uint8) bool {
	if s == nil {
		return false
	}
	if nodes {
		return s.nodeBad[i]&flag != 0
	}
	return s.edgeBad[i]&flag != 0
}

func buildRoadNetwork(p *Problems, nodes []RoadNode, edges []RoadEdge, src *roadSource) *RoadNetwork {
	before := p.Len()
	defer func() { p.loc = nil }()
	p.loc = nil
	if len(nodes) == 0 {
		p.Add("road network", "nodes", errors.New("a road network needs at least one node"))
	}
	if len(edges) == 0 {
		p.Add("road network", "edges", errors.New("a road network needs at least one edge"))
	}
	if len(nodes) > math.MaxInt32 || len(edges) > math.MaxInt32/2 {
		p.Add("road network", "", fmt.Errorf("%w: %d nodes and %d edges; at most %d nodes and %d edges are supported",
			ErrTooLarge, len(nodes), len(edges), math.MaxInt32, math.MaxInt32/2))
		return nil
	}
	// Where-labels are built only for records with a problem.
	first := make(map[string]int, len(nodes))
	for i, nd := range nodes {
		j, dup := first[nd.ID]
		if !dup {
			first[nd.ID] = i
		}
		latOK := src.bad(true, i, roadBadLat) || (nd.Lat >= -90 && nd.Lat <= 90)
		lonOK := src.bad(true, i, roadBadLon) || (nd.Lon >= -180 && nd.Lon <= 180)
		if !dup && latOK && lonOK && nd.ID != "" && strings.TrimSpace(nd.ID) == nd.ID {
			continue
		}
		w := whereNamed("road node", i, nd.ID)
		p.loc = src.nodeLoc(i)
		checkID(p, w, nd.ID)
		if dup && nd.ID != "" {
			at := fmt.Sprintf("#%d", j+1)
			if src != nil {
				at = fmt.Sprintf("line %d", src.nodeLines[j])
			}
			p.Addf(w, "id", "duplicate road node ID (first at %s)", at)
		}
		if !latOK {
			p.Addf(w, "lat", "must be a latitude in [-90, 90] degrees, got %v", nd.Lat)
		}
		if !lonOK {
			p.Addf(w, "lon", "must be a longitude in [-180, 180] degrees, got %v", nd.Lon)
		}
	}
	known := func(id string) bool { _, ok := first[id]; return ok && id != "" }
	for i, e := range edges {
		kmOK := src.bad(false, i, roadBadKm) || (e.Km > 0 && !math.IsInf(e.Km, 0))
		kmhOK := src.bad(false, i, roadBadKmh) || (e.Kmh > 0 && !math.IsInf(e.Kmh, 0))
		minutes := 60 * e.Km / e.Kmh
		timeOK := minutes > 0 && !math.IsInf(minutes, 0)
		if known(e.From) && known(e.To) && kmOK && kmhOK && timeOK {
			continue
		}
		// Name the ends as the file does: an edge read with oneway -1 was
		// turned round.
		from, to := e.From, e.To
		if src != nil && src.swapped[i] {
			from, to = to, from
		}
		w := fmt.Sprintf("road edge #%d %q → %q", i+1, from, to)
		p.loc = src.edgeLoc(i)
		for _, end := range [2]struct{ field, id string }{{"from", from}, {"to", to}} {
			if end.id == "" {
				p.Add(w, end.field, errors.New("must not be empty"))
			} else if !known(end.id) {
				p.Addf(w, end.field, "unknown road node %q", end.id)
			}
		}
		if !kmOK {
			p.Addf(w, "km", "must be a finite number > 0, got %v", e.Km)
		}
		if !kmhOK {
			p.Addf(w, "kmh", "must be a finite number > 0, got %v", e.Kmh)
		}
		// A time is judged only from a valid length and speed.
		if kmOK && kmhOK && !src.bad(false, i, roadBadKm|roadBadKmh) && !timeOK {
			p.Addf(w, "kmh", "travel time 60·km/kmh = %v min is not a finite number > 0 (km %v, kmh %v)", minutes, e.Km, e.Kmh)
		}
	}
	p.loc = nil
	if p.Len() > before {
		return nil
	}

	// Nodes in ID order.
	order := make([]int, len(nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(nodes[a].ID, nodes[b].ID) })
	nn := len(nodes)
	net := &RoadNetwork{
		ids: make([]string, nn),
		ix:  make(map[string]int32, nn),
		lat: make([]float64, nn),
		lon: make([]float64, nn),
	}
	for k, i := range order {
		net.ids[k] = nodes[i].ID
		net.ix[nodes[i].ID] = int32(k)
		net.lat[k], net.lon[k] = nodes[i].Lat, nodes[i].Lon
	}

	arcs := make([]roadArc, 0, 2*len(edges))
	for _, e := range edges {
		u, v := net.ix[e.From], net.ix[e.To]
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
	slices.SortFunc(arcs, func(a, b roadArc) int {
		return cmp.Or(cmp.Compare(a.u, b.u), cmp.Compare(a.v, b.v), cmp.Compare(a.minutes, b.minutes), cmp.Compare(a.km, b.km))
	})
	arcs = slices.CompactFunc(arcs, func(a, b roadArc) bool { return a.u == b.u && a.v == b.v })

	gnodes := make([]graph.Node, nn)
	for i := range gnodes {
		gnodes[i] = simple.Node(int64(i))
	}
	net.fwd = newRoadGraph(gnodes, arcs)
	for i := range arcs {
		arcs[i].u, arcs[i].v = arcs[i].v, arcs[i].u
	}
	slices.SortFunc(arcs, func(a, b roadArc) int { return cmp.Or(cmp.Compare(a.u, b.u), cmp.Compare(a.v, b.v)) })
	net.rev = newRoadGraph(gnodes, arcs)

	var snappable []int32
	for i := 0; i < nn; i++ {
		if net.fwd.degree(int32(i)) > 0 || net.rev.degree(int32(i)) > 0 {
			snappable = append(snappable, int32(i))
		}
	}
	net.kd = newRoadKD(snappable, net.lat, net.lon)
	return net
}

type roadArc struct {
	u, v        int32
	minutes, km float64
}

// roadGraph is a compressed adjacency list that gonum's shortest-path
// functions search through the graph.Graph and path.Weighted interfaces.
// Node IDs are the dense indices 0..n-1. As a graph.Graph it lets
// path.DijkstraFrom index every node at once (the slice Nodes hands out
// is full to capacity, so gonum never writes into it).
type roadGraph struct {
	nodes   []graph.Node
	off     []int32 // arcs of node u are [off[u], off[u+1])
	to      []int32
	toNode  []graph.Node
	minutes []float64
	km      []float64
}

func newRoadGraph(nodes []graph.Node, arcs []roadArc) *roadGraph {
	g := &roadGraph{
		nodes:   nodes,
		off:     make([]int32, len(nodes)+1),
		to:      make([]int32, len(arcs)),
		toNode:  make([]graph.Node, len(arcs)),
		minutes: make([]float64, len(arcs)),
		km:      make([]float64, len(arcs)),
	}
	for k, a := range arcs {
		g.off[a.u+1]++
		g.to[k], g.toNode[k] = a.v, nodes[a.v]
		g.minutes[k], g.km[k] = a.minutes, a.km
	}
	for i := 1; i < len(g.off); i++ {
		g.off[i] += g.off[i-1]
	}
	return g
}

func (g *roadGraph) degree(u int32) int32 { return g.off[u+1] - g.off[u] }

func (g *roadGraph) arc(uid, vid int64) int {
	if uid < 0 || uid >= int64(len(g.nodes)) {
		return -1
	}
	for k := g.off[uid]; k < g.off[uid+1]; k++ {
		if int64(g.to[k]) == vid {
			return int(k)
		}
	}
	return -1
}

// Node returns the node with the given ID, or nil.
func (g *roadGraph) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(g.nodes)) {
		return nil
	}
	return g.nodes[id]
}

// Nodes returns every node, in ID order.
func (g *roadGraph) Nodes() graph.Nodes {
	if len(g.nodes) == 0 {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(g.nodes)
}

// HasEdgeBetween reports whether an arc joins the two nodes either way.
func (g *roadGraph) HasEdgeBetween(xid, yid int64) bool {
	return g.arc(xid, yid) >= 0 || g.arc(yid, xid) >= 0
}

// From returns the nodes reached by an arc from the node id.
func (g *roadGraph) From(id int64) graph.Nodes {
	if id < 0 || id >= int64(len(g.nodes)) || g.off[id] == g.off[id+1] {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(g.toNode[g.off[id]:g.off[id+1]])
}

// Edge returns the arc from uid to vid, weighted by its minutes, or nil.
func (g *roadGraph) Edge(uid, vid int64) graph.Edge {
	k := g.arc(uid, vid)
	if k < 0 {
		return nil
	}
	return simple.WeightedEdge{F: g.nodes[uid], T: g.nodes[vid], W: g.minutes[k]}
}

// Weight returns the minutes of the arc from xid to yid.
func (g *roadGraph) Weight(xid, yid int64) (float64, bool) {
	if xid == yid {
		return 0, true
	}
	k := g.arc(xid, yid)
	if k < 0 {
		return math.Inf(1), false
	}
	return g.minutes[k], true
}

// RoadSnap is where a point joins a road network.
type RoadSnap struct {
	// Node is the ID of the nearest road node that has at least one road;
	// it is empty when no such node lies within RoadOptions.MaxSnapKm.
	Node string
	// Access is the leg between the point and Node: the great-circle
	// distance times RoadOptions.AccessCircuity, at
	// RoadOptions.AccessKmh.
	Access Leg
}

// snap returns the index of the road node nearest to (lat, lon) among the
// nodes with an arc, and the access leg, or -1.
func (n *RoadNetwork) snap(lat, lon float64, rp roadParams) (int32, Leg) {
	maxD2 := 4.5 // beyond the largest chord of the unit sphere
	if half := rp.maxSnapKm / (2 * EarthRadiusKm); half < math.Pi/2 {
		c := 2 * math.Sin(half)
		maxD2 = c*c*(1+1e-9) + 1e-18
	}
	k := n.kd.nearest(unitVector(lat, lon), maxD2)
	if k < 0 {
		return -1, Leg{}
	}
	gc := GreatCircleKm(lat, lon, n.lat[k], n.lon[k])
	if gc > rp.maxSnapKm {
		return -1, Leg{}
	}
	km := gc * rp.circuity
	return k, Leg{Minutes: km / rp.accessKmh * 60, Km: km}
}

func checkPoints(p *Problems, kind string, pts []Point) []string {
	ids := make([]string, len(pts))
	for i, pt := range pts {
		ids[i] = pt.ID
		p.CheckLatLon(whereNamed(kind, i, pt.ID), pt.Lat, pt.Lon)
	}
	return ids
}

// Snap returns where each point joins the network: its nearest road node
// that has at least one road (the first by ID on a tie) and the access leg
// to it. A point farther than RoadOptions.MaxSnapKm from every such node
// gets an empty RoadSnap. Invalid coordinates or options are reported all
// at once, wrapping ErrInvalid.
func (n *RoadNetwork) Snap(pts []Point, opt *RoadOptions) ([]RoadSnap, error) {
	if n == nil {
		return nil, fmt.Errorf("%w: road network is nil", ErrInvalid)
	}
	var p Problems
	rp := opt.params(&p)
	checkPoints(&p, "point", pts)
	if err := p.Err(); err != nil {
		return nil, err
	}
	out := make([]RoadSnap, len(pts))
	for i, pt := range pts {
		if k, l := n.snap(pt.Lat, pt.Lon, rp); k >= 0 {
			out[i] = RoadSnap{Node: n.ids[k], Access: l}
		}
	}
	return out, nil
}

// Matrix returns the travel from each origin to each destination over the
// road network. A point joins the network at its nearest road node, as
// Snap says; a leg is the access leg of the origin, the fastest road path
// between the two nodes, and the access leg of the destination, so two
// points that join at the same node are the sum of their access legs
// apart. The leg's minutes are the path's time and its km the length of
// that path; when several paths are equally fast, the km are those of the
// shortest of them. Speeds come from the edges and the access options:
// Point.Urban is not used.
//
// A pair is unreachable when either point is farther than
// RoadOptions.MaxSnapKm from the network or when no road path joins their
// nodes (a one-way street driven the wrong way, an island); the Matrix
// lists such pairs with Unreachable and never holds an infinite time.
//
// Matrix runs one gonum path.DijkstraFrom search per distinct road node
// of the side with fewer of them (from the destinations over the reversed
// graph when that side is smaller), RoadOptions.Workers searches at a
// time. The result does not depend on the number of workers. The context
// is checked before each search; when it is done Matrix returns its error
// and no matrix.
//
// Invalid options, coordinates out of range, and empty or repeated IDs
// within the origins or within the destinations are reported all at once
// as an error wrapping ErrInvalid.
func (n *RoadNetwork) Matrix(ctx context.Context, from, to []Point, opt *RoadOptions) (*Matrix, error) {
	if n == nil {
		return nil, fmt.Errorf("%w: road network is nil", ErrInvalid)
	}
	var p Problems
	rp := opt.params(&p)
	fids := checkPoints(&p, "origin", from)
	tids := checkPoints(&p, "destination", to)
	if p.Len() > 0 {
		// Report repeated IDs too, without allocating the matrix.
		indexIDs(&p, "travel matrix origin", fids)
		indexIDs(&p, "travel matrix destination", tids)
		return nil, p.Err()
	}
	m, err := NewMatrix(fids, tids)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("road travel: %w", err)
	}

	// Join every point to the network.
	type side struct {
		node   []int32   // road node of each point, -1 when off the network
		access []float64 // access minutes of each point
		km     []float64 // access km of each point
		slot   []int32   // index of the point's node among distinct, -1 when off
		nodes  []int32   // distinct road nodes, ascending
		points [][]int32 // points of each distinct node
	}
	join := func(pts []Point) side {
		s := side{node: make([]int32, len(pts)), access: make([]float64, len(pts)), km: make([]float64, len(pts)), slot: make([]int32, len(pts))}
		seen := make(map[int32]int32)
		for i, pt := range pts {
			k, l := n.snap(pt.Lat, pt.Lon, rp)
			s.node[i], s.access[i], s.km[i] = k, l.Minutes, l.Km
			if k >= 0 {
				seen[k] = 0
			}
		}
		for k := range seen {
			s.nodes = append(s.nodes, k)
		}
		slices.Sort(s.nodes)
		for j, k := range s.nodes {
			seen[k] = int32(j)
		}
		s.points = make([][]int32, len(s.nodes))
		for i, k := range s.node {
			s.slot[i] = -1
			if k >= 0 {
				s.slot[i] = seen[k]
				s.points[seen[k]] = append(s.points[seen[k]], int32(i))
			}
		}
		return s
	}
	fs, ts := join(from), join(to)

	// Search from the side with fewer distinct nodes.
	src, dst, g, in := fs, ts, n.fwd, n.rev
	forward := len(fs.nodes) <= len(ts.nodes)
	if !forward {
		src, dst, g, in = ts, fs, n.rev, n.fwd
	}
	workers := min(rp.workers, len(src.nodes))
	nTo := len(to)
	var next, reached atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newRoadSearch(g, in)
			tMin := make([]float64, len(dst.nodes))
			tKm := make([]float64, len(dst.nodes))
			var count int64
			defer func() { reached.Add(count) }()
			for {
				job := int(next.Add(1) - 1)
				if job >= len(src.nodes) || ctx.Err() != nil {
					return
				}
				s.run(src.nodes[job])
				for t, v := range dst.nodes {
					tMin[t] = s.distOf(v)
					if !math.IsInf(tMin[t], 1) {
						tKm[t] = s.kmTo(v)
					}
				}
				for _, a := range src.points[job] {
					for b, slot := range dst.slot {
						if slot < 0 || math.IsInf(tMin[slot], 1) {
							continue
						}
						i, j := int(a), b
						if !forward {
							i, j = b, int(a)
						}
						k := i*nTo + j
						m.minutes[k] = fs.access[i] + tMin[slot] + ts.access[j]
						m.km[k] = fs.km[i] + tKm[slot] + ts.km[j]
						count++
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("road travel: %w", err)
	}
	m.reachableLegs = int(reached.Load())
	return m, nil
}

// roadSearch is one worker's shortest-path search with its scratch space.
type roadSearch struct {
	g, in   *roadGraph // the searched graph and its reverse
	src     int32
	tree    path.Shortest
	cur     uint32
	dStamp  []uint32
	dist    []float64
	kmStamp []uint32
	km      []float64
	stack   []int32
}

func newRoadSearch(g, in *roadGraph) *roadSearch {
	n := len(g.nodes)
	return &roadSearch{g: g, in: in, dStamp: make([]uint32, n), dist: make([]float64, n), kmStamp: make([]uint32, n), km: make([]float64, n)}
}

func (s *roadSearch) run(src int32) {
	s.cur++
	if s.cur == 0 { // wrapped: clear the stamps
		clear(s.dStamp)
		clear(s.kmStamp)
		s.cur = 1
	}
	s.src = src
	s.tree = path.DijkstraFrom(s.g.nodes[src], s.g)
}

// distOf returns the minutes from the source to v, +Inf when unreachable.
func (s *roadSearch) distOf(v int32) float64 {
	if s.dStamp[v] != s.cur {
		d := s.tree.WeightTo(int64(v))
		if v == s.src {
			d = 0
		}
		s.dist[v], s.dStamp[v] = d, s.cur
	}
	return s.dist[v]
}

// kmTo returns the length of the shortest of the fastest paths from the
// source to the reachable node v. The fastest paths are the arcs (u, v)
// with dist(u) + minutes(u, v) == dist(v): exactly how the search set
// dist(v), so the arc it used is always among them. Lengths follow by
// dynamic programming over these arcs, walked from v towards the source.
func (s *roadSearch) kmTo(v int32) float64 {
	if s.kmStamp[v] == s.cur {
		return s.km[v]
	}
	in := s.in
	stack := append(s.stack[:0], v)
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		if s.kmStamp[u] == s.cur {
			stack = stack[:len(stack)-1]
			continue
		}
		if u == s.src {
			s.km[u], s.kmStamp[u] = 0, s.cur
			stack = stack[:len(stack)-1]
			continue
		}
		du := s.distOf(u)
		best, found, pending := math.Inf(1), false, false
		for k := in.off[u]; k < in.off[u+1]; k++ {
			w := in.to[k]
			dw := s.distOf(w)
			if !(dw < du && dw+in.minutes[k] == du) {
				continue
			}
			found = true
			if s.kmStamp[w] != s.cur {
				stack = append(stack, w)
				pending = true
				continue
			}
			if c := s.km[w] + in.km[k]; c < best {
				best = c
			}
		}
		if pending {
			continue
		}
		if !found {
			// Arcs too short to change a float sum: follow gonum's tree.
			best = s.treeKm(u)
		}
		s.km[u], s.kmStamp[u] = best, s.cur
		stack = stack[:len(stack)-1]
	}
	s.stack = stack
	return s.km[v]
}

func (s *roadSearch) treeKm(v int32) float64 {
	nodes, _ := s.tree.To(int64(v))
	km := 0.0
	for i := 1; i < len(nodes); i++ {
		if k := s.g.arc(nodes[i-1].ID(), nodes[i].ID()); k >= 0 {
			km += s.g.km[k]
		}
	}
	return km
}

// roadKD is a k-d tree over points on the unit sphere (3-D unit vectors),
// where the nearest point by chord is the nearest by great circle.
type roadKD struct {
	node []int32      // road node at each tree position
	pt   [][3]float64 // its unit vector
	axis []uint8      // split axis of the subtree whose median is here
}

func unitVector(lat, lon float64) [3]float64 {
	φ, λ := lat*math.Pi/180, lon*math.Pi/180
	return [3]float64{math.Cos(φ) * math.Cos(λ), math.Cos(φ) * math.Sin(λ), math.Sin(φ)}
}

func newRoadKD(nodes []int32, lat, lon []float64) roadKD {
	t := roadKD{node: append([]int32(nil), nodes...), pt: make([][3]float64, len(nodes)), axis: make([]uint8, len(nodes))}
	for i, k := range t.node {
		t.pt[i] = unitVector(lat[k], lon[k])
	}
	t.build(0, len(t.node))
	return t
}

func (t *roadKD) less(a, b int, ax uint8) bool {
	if t.pt[a][ax] != t.pt[b][ax] {
		return t.pt[a][ax] < t.pt[b][ax]
	}
	return t.node[a] < t.node[b]
}

func (t *roadKD) swap(a, b int) {
	t.node[a], t.node[b] = t.node[b], t.node[a]
	t.pt[a], t.pt[b] = t.pt[b], t.pt[a]
}

func (t *roadKD) build(lo, hi int) {
	for hi-lo > 1 {
		// Split on the axis of widest spread, at the median.
		var mn, mx [3]float64
		mn, mx = t.pt[lo], t.pt[lo]
		for i := lo + 1; i < hi; i++ {
			for a := 0; a < 3; a++ {
				mn[a], mx[a] = min(mn[a], t.pt[i][a]), max(mx[a], t.pt[i][a])
			}
		}
		var ax uint8
		for a := uint8(1); a < 3; a++ {
			if mx[a]-mn[a] > mx[ax]-mn[ax] {
				ax = a
			}
		}
		mid := (lo + hi) / 2
		t.selectNth(lo, hi, mid, ax)
		t.axis[mid] = ax
		t.build(lo, mid)
		lo = mid + 1
	}
}

// selectNth reorders [lo, hi) so that position k holds the element of rank
// k on axis ax (ties broken by node), smaller ones before it and larger
// after (Hoare's quickselect with a middle pivot; deterministic).
func (t *roadKD) selectNth(lo, hi, k int, ax uint8) {
	for hi-lo > 1 {
		p := lo + (hi-lo)/2
		t.swap(p, hi-1)
		store := lo
		for i := lo; i < hi-1; i++ {
			if t.less(i, hi-1, ax) {
				t.swap(i, store)
				store++
			}
		}
		t.swap(store, hi-1)
		switch {
		case k == store:
			return
		case k < store:
			hi = store
		default:
			lo = store + 1
		}
	}
}

// nearest returns the road node nearest to q within squared chord maxD2
// (the smallest node index on a tie), or -1.
func (t *roadKD) nearest(q [3]float64, maxD2 float64) int32 {
	best, bestD2 := int32(-1), maxD2
	var visit func(lo, hi int)
	visit = func(lo, hi int) {
		for lo < hi {
			mid := (lo + hi) / 2
			p := t.pt[mid]
			dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
			d2 := dx*dx + dy*dy + dz*dz
			if d2 < bestD2 || (d2 == bestD2 && (best < 0 || t.node[mid] < best)) {
				best, bestD2 = t.node[mid], d2
			}
			diff := q[t.axis[mid]] - p[t.axis[mid]]
			nearLo, nearHi, farLo, farHi := lo, mid, mid+1, hi
			if diff > 0 {
				nearLo, nearHi, farLo, farHi = mid+1, hi, lo, mid
			}
			visit(nearLo, nearHi)
			if diff*diff > bestD2 {
				return
			}
			lo, hi = farLo, farHi
		}
	}
	visit(0, len(t.node))
	return best
}

// Column specifications of the road network files.
var (
	roadNodeColumns = []column{{"id", true}, {"lat", true}, {"lon", true}}
	roadEdgeColumns = []column{{"from", true}, {"to", true}, {"km", true}, {"kmh", true}, {"oneway", false}}
)

// ReadRoadNetworkCSV reads a road network from two UTF-8 CSV files, each
// with a header row naming its columns in any order (a byte order mark,
// CRLF line ends and quoted fields are accepted; an unknown, repeated or
// missing column is an error):
//
//	nodes.csv  id,lat,lon                  WGS84 degrees
//	edges.csv  from,to,km,kmh,oneway       length in km, speed in km/h
//
// The oneway column is optional: empty, false, no, n, f or 0 for a road
// driven both ways; true, yes, y, t or 1 for one driven only from "from"
// to "to"; -1 or reverse (as in OpenStreetMap) for one driven only from
// "to" to "from".
//
// nodesName and edgesName label the inputs in errors. Every problem of
// both files is reported at once, each as a *ValidationError naming the
// file, line and column (errors.Is(err, ErrInvalid) holds); an input
// larger than ReadOptions.MaxFileBytes gives ErrTooLarge. The network read
// is checked as NewRoadNetwork checks it.
func ReadRoadNetworkCSV(nodes, edges io.Reader, nodesName, edgesName string, opt *ReadOptions) (*RoadNetwork, error) {
	limit := opt.maxBytes()
	var p Problems
	src := &roadSource{nodeFile: nodesName, edgeFile: edgesName}
	var rn []RoadNode
	var re []RoadEdge
	ok := true
	if data, err := readLimited(nodes, nodesName, limit); err != nil {
		p.AddErr(err)
		ok = false
	} else if t, good := openTable(data, nodesName, "nodes.csv", roadNodeColumns, &p, nil); !good {
		ok = false
	} else {
		src.nodeCols = t.cols
		n0 := p.Len()
		for t.next() {
			id := t.str("id")
			w := whereNamed("road node", len(rn), id)
			var bad uint8
			lat, good := roadNumber(t, w, "lat")
			if !good {
				bad |= roadBadLat
			}
			lon, good := roadNumber(t, w, "lon")
			if !good {
				bad |= roadBadLon
			}
			rn = append(rn, RoadNode{ID: id, Lat: lat, Lon: lon})
			src.nodeLines = append(src.nodeLines, t.line)
			src.nodeBad = append(src.nodeBad, bad)
		}
		ok = ok && !csvSyntaxErrorSince(&p, n0)
	}
	if data, err := readLimited(edges, edgesName, limit); err != nil {
		p.AddErr(err)
		ok = false
	} else if t, good := openTable(data, edgesName, "edges.csv", roadEdgeColumns, &p, nil); !good {
		ok = false
	} else {
		src.edgeCols = t.cols
		n0 := p.Len()
		for t.next() {
			e := RoadEdge{From: t.str("from"), To: t.str("to")}
			w := fmt.Sprintf("road edge #%d %q → %q", len(re)+1, e.From, e.To)
			var bad uint8
			var good bool
			if e.Km, good = roadNumber(t, w, "km"); !good {
				bad |= roadBadKm
			}
			if e.Kmh, good = roadNumber(t, w, "kmh"); !good {
				bad |= roadBadKmh
			}
			swapped := false
			switch s := strings.ToLower(t.str("oneway")); s {
			case "", "0", "false", "no", "n", "f":
			case "1", "true", "yes", "y", "t":
				e.OneWay = true
			case "-1", "reverse":
				e.OneWay, swapped = true, true
				e.From, e.To = e.To, e.From
			default:
				t.where(w, "oneway", fmt.Errorf("must be true, false or -1, got %q", t.str("oneway")))
			}
			re = append(re, e)
			src.edgeLines = append(src.edgeLines, t.line)
			src.edgeBad = append(src.edgeBad, bad)
			src.swapped = append(src.swapped, swapped)
		}
		ok = ok && !csvSyntaxErrorSince(&p, n0)
	}
	if !ok {
		// Without both files read to their end there is no network to
		// check.
		return nil, p.Err()
	}
	n := buildRoadNetwork(&p, rn, re, src)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return n, nil
}

// csvSyntaxErrorSince reports whether a CSV syntax error, which stops the
// reading of a file, was recorded after the first n problems.
func csvSyntaxErrorSince(p *Problems, n int) bool {
	for _, e := range p.list[min(n, len(p.list)):] {
		if errors.Is(e, csv.ErrBareQuote) || errors.Is(e, csv.ErrQuote) {
			return true
		}
	}
	return false
}

// roadNumber parses a required number; it reports an empty or unreadable
// cell and returns false. "NaN" and "Inf" parse, for validation to judge.
func roadNumber(t *csvTable, where, name string) (float64, bool) {
	s := t.str(name)
	if s == "" {
		t.where(where, name, errors.New("is required"))
		return math.NaN(), false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			t.where(where, name, fmt.Errorf("number %q is out of range", s))
		} else {
			t.where(where, name, fmt.Errorf("must be a number, got %q", s))
		}
		return math.NaN(), false
	}
	return v, true
}
