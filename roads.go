package gst

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
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
	// DefaultWarnSnapKm is the great-circle distance, in km, beyond which a
	// snap is reported as implausible (SnapFar): two kilometres is about
	// half an hour on foot, more than a village or a health centre usually
	// lies from the road that serves it in a complete extract.
	DefaultWarnSnapKm = 2.0
)

// RoadOptions tune RoadNetwork.Matrix, PlaceMatrix and Snap. A nil
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
	// WarnSnapKm is the great-circle distance, in km, beyond which
	// PlaceMatrix warns that a snap is implausible (SnapFar). Default
	// DefaultWarnSnapKm (2 km); math.Inf(1) never warns; must be > 0.
	WarnSnapKm float64
	// Workers is how many shortest-path searches run at once. Default
	// runtime.GOMAXPROCS(0), which is also its upper bound; must not be
	// negative. The result does not depend on it.
	Workers int
}

type roadParams struct {
	maxSnapKm, accessKmh, circuity, warnSnapKm float64
	workers                                    int
}

func (o *RoadOptions) params(p *Problems) roadParams {
	r := roadParams{maxSnapKm: DefaultMaxSnapKm, accessKmh: DefaultAccessKmh, circuity: DefaultCircuity,
		warnSnapKm: DefaultWarnSnapKm, workers: runtime.GOMAXPROCS(0)}
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
	if o.WarnSnapKm != 0 {
		if math.IsNaN(o.WarnSnapKm) || o.WarnSnapKm < 0 {
			p.Addf(w, "WarnSnapKm", "must be a number > 0 (or +Inf never to warn), got %v", o.WarnSnapKm)
		}
		r.warnSnapKm = o.WarnSnapKm
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
// part is the fastest path found by Dijkstra's algorithm over a compact
// graph (compressed rows, 20 bytes an arc, searched with a binary heap),
// and a pair that no road joins is reported unreachable, never given an
// infinite time. PlaceMatrix does the same for places that join the
// network at several points, and reports every snap.
//
// Two-way edges become two arcs; self-loops, which never lie on a shortest
// path, are dropped; of parallel arcs between the same two nodes in the
// same direction only the fastest is kept (the shortest on a tie). A node
// that no road touches is kept but never joined. Nodes are held in the
// order of a Hilbert curve over their coordinates (ties by ID), which keeps
// neighbours close in memory, so the order of the input does not change
// any answer.
type RoadNetwork struct {
	ids []string // by internal index: nodes in the order of a Hilbert curve
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
func (n *RoadNetwork) ArcCount() int { return len(n.fwd.arc) }

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

	return assembleRoadNetwork(nodes, edges)
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
	k, _, l := n.snapKm(lat, lon, rp.maxSnapKm, rp)
	return k, l
}

// snapKm is snap within maxKm that also returns the great-circle km.
func (n *RoadNetwork) snapKm(lat, lon, maxKm float64, rp roadParams) (int32, float64, Leg) {
	maxD2 := 4.5 // beyond the largest chord of the unit sphere
	if half := maxKm / (2 * EarthRadiusKm); half < math.Pi/2 {
		c := 2 * math.Sin(half)
		maxD2 = c*c*(1+1e-9) + 1e-18
	}
	k := n.kd.nearest(unitVector(lat, lon), maxD2)
	if k < 0 {
		return -1, 0, Leg{}
	}
	gc := GreatCircleKm(lat, lon, n.lat[k], n.lon[k])
	if gc > maxKm {
		return -1, 0, Leg{}
	}
	km := gc * rp.circuity
	return k, gc, Leg{Minutes: km / rp.accessKmh * 60, Km: km}
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
// Matrix runs one shortest-path search per origin (or per destination,
// over the reversed graph, when the destinations join the network at
// fewer distinct nodes), RoadOptions.Workers searches at a time; a search
// stops once it has settled every destination node. The result does not
// depend on the number of workers. The context is checked before each
// search; when it is done Matrix returns its error and no matrix.
// PlaceMatrix is the same for places of several points, with a report of
// every snap.
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
	m, _, err := n.placeMatrix(ctx, PointPlaces(from), PointPlaces(to), rp, false)
	return m, err
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
