package gst

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// PlacePoint is one point at which a place meets the roads: for an area,
// its centroid or one of several points spread over its polygon (a
// village, a quarter); for an establishment, its door.
type PlacePoint struct {
	Lat, Lon float64 // WGS84 degrees
	// Weight is the share of the place's trips that start or end at this
	// point, in any unit (people living near it, for example). When every
	// point of a place has weight 0 the points count equally. Must be
	// finite and >= 0.
	Weight float64
}

// RoadPlace is an area or an establishment as the road network sees it:
// an ID and one point or several.
type RoadPlace struct {
	ID     string
	Points []PlacePoint
}

// PointPlaces returns one place of one point for each point, with the
// point's ID.
func PointPlaces(pts []Point) []RoadPlace {
	out := make([]RoadPlace, len(pts))
	for i, p := range pts {
		out[i] = RoadPlace{ID: p.ID, Points: []PlacePoint{{Lat: p.Lat, Lon: p.Lon}}}
	}
	return out
}

// SnapWarningKind says what is implausible about a snap.
type SnapWarningKind int

// The kinds of snap warning.
const (
	// SnapFar: the point joins the network, but farther than
	// RoadOptions.WarnSnapKm from its road node: its access leg is long.
	// Check its coordinates, or whether the extract covers its roads.
	SnapFar SnapWarningKind = iota + 1
	// SnapOff: the point is farther than RoadOptions.MaxSnapKm from every
	// road node; its legs are unreachable (or, for a place of several
	// points, come from its other points).
	SnapOff
)

// String names the kind.
func (k SnapWarningKind) String() string {
	switch k {
	case SnapFar:
		return "far from the roads"
	case SnapOff:
		return "off the road network"
	}
	return fmt.Sprintf("SnapWarningKind(%d)", int(k))
}

// PointSnap is where one point of a place joins the network.
type PointSnap struct {
	// Place is the place's ID and Point the index of the point in it.
	Place string
	Point int
	// Lat and Lon are the point's coordinates, in degrees.
	Lat, Lon float64
	// Node is the road node the point joins; empty when it is off the
	// network.
	Node string
	// Km is the great-circle distance from the point to its nearest road
	// node, in km: to Node when it joins, and to the nearest node beyond
	// the limit when it does not (NaN when the network has no road).
	Km float64
	// Access is the access leg to Node (zero when off the network).
	Access Leg
}

// SnapWarning is an implausible snap, with where it is.
type SnapWarning struct {
	Kind SnapWarningKind
	// Side is "origin" or "destination".
	Side string
	PointSnap
	// LimitKm is the distance the snap exceeds: RoadOptions.WarnSnapKm
	// for SnapFar, RoadOptions.MaxSnapKm for SnapOff.
	LimitKm float64
}

// String says what the warning is about: the place, the point, its
// coordinates and the distances.
func (w SnapWarning) String() string {
	at := fmt.Sprintf("%s %q point %d (%.5f, %.5f)", w.Side, w.Place, w.Point+1, w.Lat, w.Lon)
	if w.Kind == SnapOff {
		return fmt.Sprintf("%s: %s: the nearest road node is %.1f km away, beyond the %.1f km limit; unreachable", at, w.Kind, w.Km, w.LimitKm)
	}
	return fmt.Sprintf("%s: %s: joins road node %s %.1f km away (more than %.1f km)", at, w.Kind, w.Node, w.Km, w.LimitKm)
}

// SnapReport says where every point of a PlaceMatrix joined the network.
type SnapReport struct {
	// Origins and Destinations list the points in the order of the
	// places and of their points.
	Origins, Destinations []PointSnap
	// Warnings lists the implausible snaps, origins first, in the same
	// order.
	Warnings []SnapWarning
}

// SnapSummary sums up the snap distances of a report.
type SnapSummary struct {
	// Points is how many points were snapped, Joined how many joined the
	// network.
	Points int `json:"points"`
	Joined int `json:"joined"`
	// MedianKm, P90Km and MaxKm are the median, 90th percentile (the
	// smallest distance within which at least 90 % of the joined points
	// lie) and largest great-circle snap distances of the joined points,
	// in km.
	MedianKm float64 `json:"median_km"`
	P90Km    float64 `json:"p90_km"`
	MaxKm    float64 `json:"max_km"`
	// Far and Off count the SnapFar and SnapOff warnings.
	Far int `json:"far"`
	Off int `json:"off"`
}

// Summary sums up the report. The zero report gives the zero summary.
func (r *SnapReport) Summary() SnapSummary {
	var s SnapSummary
	var km []float64
	for _, side := range [][]PointSnap{r.Origins, r.Destinations} {
		for _, p := range side {
			s.Points++
			if p.Node != "" {
				s.Joined++
				km = append(km, p.Km)
			}
		}
	}
	for _, w := range r.Warnings {
		switch w.Kind {
		case SnapFar:
			s.Far++
		case SnapOff:
			s.Off++
		}
	}
	if len(km) > 0 {
		sort.Float64s(km)
		s.MedianKm = km[(len(km)-1)/2]
		s.P90Km = km[int(math.Ceil(0.9*float64(len(km))))-1]
		s.MaxKm = km[len(km)-1]
	}
	return s
}

// PlaceMatrix returns the travel from each origin place to each
// destination place over the road network, and where every point joined
// it. Each point joins the network as Matrix joins a point; the leg
// between two places is the weighted mean, over the pairs of their points
// that a road joins, of the legs between the points (weights: the product
// of the two points' weights), minutes and km alike. A pair of places is
// unreachable when no pair of their points of positive weight is. Points farther than
// RoadOptions.WarnSnapKm from the roads, and points off the network, are
// reported as warnings, never as errors.
//
// Its searches, workers, determinism and cancellation are those of
// Matrix. Empty, blank or repeated place IDs on one side, a place without
// points, coordinates out of range and weights that are negative or not
// finite are reported all at once as an error wrapping ErrInvalid.
func (n *RoadNetwork) PlaceMatrix(ctx context.Context, from, to []RoadPlace, opt *RoadOptions) (*Matrix, *SnapReport, error) {
	if n == nil {
		return nil, nil, fmt.Errorf("%w: road network is nil", ErrInvalid)
	}
	var p Problems
	rp := opt.params(&p)
	checkPlaces(&p, "origin", from)
	checkPlaces(&p, "destination", to)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	return n.placeMatrix(ctx, from, to, rp, true)
}

func checkPlaces(p *Problems, kind string, places []RoadPlace) {
	ids := make([]string, len(places))
	for i, pl := range places {
		ids[i] = pl.ID
		w := whereNamed(kind+" place", i, pl.ID)
		if len(pl.Points) == 0 {
			p.Addf(w, "points", "a place needs at least one point")
		}
		for k, pt := range pl.Points {
			pw := fmt.Sprintf("%s point %d", w, k+1)
			p.CheckLatLon(pw, pt.Lat, pt.Lon)
			if math.IsNaN(pt.Weight) || math.IsInf(pt.Weight, 0) || pt.Weight < 0 {
				p.Addf(pw, "weight", "must be a finite number >= 0, got %v", pt.Weight)
			}
		}
	}
	indexIDs(p, "travel matrix "+kind, ids)
}

// roadSide is one side of a matrix: its places' points joined to the
// network.
type roadSide struct {
	start  []int32   // the points of place i are [start[i], start[i+1])
	node   []int32   // road node of each point, -1 when off the network
	access []Leg     // access leg of each point
	weight []float64 // weight of each point (1 each when a place has none)
	slot   []int32   // index of the point's node among nodes, -1 when off
	nodes  []int32   // distinct road nodes, ascending
	// Places whose points join the same set of road nodes form a group,
	// searched once: groups[g] lists its places, groupNodes[g] the nodes.
	groups     [][]int32
	groupNodes [][]int32
}

// searches is the number of searches from this side.
func (s *roadSide) searches() int {
	n := 0
	for _, g := range s.groupNodes {
		n += len(g)
	}
	return n
}

func (n *RoadNetwork) joinSide(places []RoadPlace, rp roadParams) roadSide {
	var s roadSide
	s.start = make([]int32, len(places)+1)
	seen := map[int32]int32{}
	for i, pl := range places {
		var sum float64
		for _, pt := range pl.Points {
			sum += pt.Weight
		}
		for _, pt := range pl.Points {
			k, l := n.snap(pt.Lat, pt.Lon, rp)
			w := pt.Weight
			if sum == 0 {
				w = 1
			}
			s.node, s.access, s.weight = append(s.node, k), append(s.access, l), append(s.weight, w)
			if k >= 0 {
				seen[k] = 0
			}
		}
		s.start[i+1] = int32(len(s.node))
	}
	for k := range seen {
		s.nodes = append(s.nodes, k)
	}
	slices.Sort(s.nodes)
	for j, k := range s.nodes {
		seen[k] = int32(j)
	}
	s.slot = make([]int32, len(s.node))
	for i, k := range s.node {
		s.slot[i] = -1
		if k >= 0 {
			s.slot[i] = seen[k]
		}
	}
	s.group()
	return s
}

// group groups the places by the set of road nodes their points join.
func (s *roadSide) group() {
	index := map[string]int{}
	var key []byte
	for p := 0; p+1 < len(s.start); p++ {
		var nodes []int32
		for i := s.start[p]; i < s.start[p+1]; i++ {
			if k := s.node[i]; k >= 0 && !slices.Contains(nodes, k) {
				nodes = append(nodes, k)
			}
		}
		slices.Sort(nodes)
		key = key[:0]
		for _, k := range nodes {
			key = append(key, byte(k), byte(k>>8), byte(k>>16), byte(k>>24))
		}
		g, ok := index[string(key)]
		if !ok {
			g = len(s.groups)
			index[string(key)] = g
			s.groups = append(s.groups, nil)
			s.groupNodes = append(s.groupNodes, nodes)
		}
		s.groups[g] = append(s.groups[g], int32(p))
	}
}

// placeMatrix computes the matrix of valid places, and the snap report
// when asked.
func (n *RoadNetwork) placeMatrix(ctx context.Context, from, to []RoadPlace, rp roadParams, report bool) (*Matrix, *SnapReport, error) {
	fids, tids := make([]string, len(from)), make([]string, len(to))
	for i, pl := range from {
		fids[i] = pl.ID
	}
	for j, pl := range to {
		tids[j] = pl.ID
	}
	m, err := NewMatrix(fids, tids)
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("road travel: %w", err)
	}
	fs, ts := n.joinSide(from, rp), n.joinSide(to, rp)
	if err := n.searchAll(ctx, m, &fs, &ts, rp.workers); err != nil {
		return nil, nil, err
	}
	if !report {
		return m, nil, nil
	}
	return m, n.snapReport(from, to, &fs, &ts, rp), nil
}

// searchAll fills m from the side that needs fewer searches: one job per
// group of its places, each job searching once from each road node of the
// group and writing the rows (or columns) of its places.
func (n *RoadNetwork) searchAll(ctx context.Context, m *Matrix, fs, ts *roadSide, workers int) error {
	forward := fs.searches() <= ts.searches()
	src, dst, g := fs, ts, n.fwd
	if !forward {
		src, dst, g = ts, fs, n.rev
	}
	jobs := len(src.groups)
	want := make([]bool, len(n.ids))
	for _, v := range dst.nodes {
		want[v] = true
	}
	workers = max(1, min(workers, jobs))
	var next, reached atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j := &roadJob{m: m, fs: fs, ts: ts, src: src, dst: dst, forward: forward, s: newRoadSearch(g), want: want}
			defer func() { reached.Add(j.count) }()
			for {
				job := int(next.Add(1) - 1)
				if job >= jobs || ctx.Err() != nil {
					return
				}
				j.group(job)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("road travel: %w", err)
	}
	m.reachableLegs = int(reached.Load())
	return nil
}

// roadJob is one worker's state while it fills the matrix a group of
// places at a time.
type roadJob struct {
	m         *Matrix
	fs, ts    *roadSide // origins and destinations
	src, dst  *roadSide // the searched side and the other
	forward   bool
	s         *roadSearch
	want      []bool
	srcNodes  []int32     // road nodes of the current group
	tMin, tKm [][]float64 // per node of the group, per dst slot
	count     int64
}

// group searches from the nodes of source group gr and writes the legs
// of its places.
func (j *roadJob) group(gr int) {
	src, dst := j.src, j.dst
	j.srcNodes = src.groupNodes[gr]
	for len(j.tMin) < len(j.srcNodes) {
		j.tMin = append(j.tMin, make([]float64, len(dst.nodes)))
		j.tKm = append(j.tKm, make([]float64, len(dst.nodes)))
	}
	for q, k := range j.srcNodes {
		j.s.run(k, j.want, len(dst.nodes))
		for t, v := range dst.nodes {
			j.tMin[q][t], j.tKm[q][t], _ = j.s.leg(v)
		}
	}
	if len(j.srcNodes) == 0 {
		return // off the network: every leg unreachable
	}
	nTo := len(j.ts.start) - 1
	for _, p := range src.groups[gr] {
		for other := 0; other < len(dst.start)-1; other++ {
			fp, tp := int(p), other
			if !j.forward {
				fp, tp = other, int(p)
			}
			if l, ok := j.leg(fp, tp); ok {
				k := fp*nTo + tp
				j.m.minutes[k], j.m.km[k] = l.Minutes, l.Km
				j.count++
			}
		}
	}
}

// leg is the weighted mean leg between origin place fp and destination
// place tp, summed over origin points then destination points.
func (j *roadJob) leg(fp, tp int) (Leg, bool) {
	fs, ts := j.fs, j.ts
	var sumW, sumMin, sumKm float64
	reach := false
	for a := fs.start[fp]; a < fs.start[fp+1]; a++ {
		if fs.slot[a] < 0 {
			continue
		}
		for b := ts.start[tp]; b < ts.start[tp+1]; b++ {
			if ts.slot[b] < 0 {
				continue
			}
			d, km := j.road(a, b)
			if math.IsInf(d, 1) {
				continue
			}
			w := fs.weight[a] * ts.weight[b]
			sumW += w
			sumMin += w * (fs.access[a].Minutes + d + ts.access[b].Minutes)
			sumKm += w * (fs.access[a].Km + km + ts.access[b].Km)
			reach = true
		}
	}
	if !reach || sumW == 0 { // no pair, or only pairs of zero weight
		return Leg{}, false
	}
	return Leg{Minutes: sumMin / sumW, Km: sumKm / sumW}, true
}

// road returns the road minutes and km between origin point a and
// destination point b from the current place's searches.
func (j *roadJob) road(a, b int32) (float64, float64) {
	sp, dp := a, b
	if !j.forward {
		sp, dp = b, a
	}
	q := slices.Index(j.srcNodes, j.src.node[sp])
	t := j.dst.slot[dp]
	return j.tMin[q][t], j.tKm[q][t]
}

// snapReport lists every point's snap and the warnings.
func (n *RoadNetwork) snapReport(from, to []RoadPlace, fs, ts *roadSide, rp roadParams) *SnapReport {
	r := &SnapReport{}
	for _, side := range []struct {
		name   string
		places []RoadPlace
		s      *roadSide
		out    *[]PointSnap
	}{{"origin", from, fs, &r.Origins}, {"destination", to, ts, &r.Destinations}} {
		for i, pl := range side.places {
			for k, pt := range pl.Points {
				x := side.s.start[i] + int32(k)
				ps := PointSnap{Place: pl.ID, Point: k, Lat: pt.Lat, Lon: pt.Lon, Km: math.NaN(), Access: side.s.access[x]}
				if node := side.s.node[x]; node >= 0 {
					ps.Node = n.ids[node]
					ps.Km = GreatCircleKm(pt.Lat, pt.Lon, n.lat[node], n.lon[node])
					if ps.Km > rp.warnSnapKm {
						r.Warnings = append(r.Warnings, SnapWarning{Kind: SnapFar, Side: side.name, PointSnap: ps, LimitKm: rp.warnSnapKm})
					}
				} else {
					if k, gc, _ := n.snapKm(pt.Lat, pt.Lon, math.Inf(1), rp); k >= 0 {
						ps.Km = gc
					}
					r.Warnings = append(r.Warnings, SnapWarning{Kind: SnapOff, Side: side.name, PointSnap: ps, LimitKm: rp.maxSnapKm})
				}
				*side.out = append(*side.out, ps)
			}
		}
	}
	return r
}

// RegionRoadPlaces returns the region's areas and establishments as road
// places, in the region's order. Each area meets the roads at the points
// that points returns for it, or, when points is nil or returns none, at
// its demand point (Lat, Lon); each establishment at its location. Pass
// points to spread an area over its villages or over points sampled in
// its polygon, weighted by the people near each. A nil region has no
// places.
func RegionRoadPlaces(r *Region, points func(a *Area) []PlacePoint) (areas, establishments []RoadPlace) {
	if r == nil {
		return nil, nil
	}
	areas = make([]RoadPlace, len(r.Areas))
	for i := range r.Areas {
		a := &r.Areas[i]
		var pts []PlacePoint
		if points != nil {
			pts = points(a)
		}
		if len(pts) == 0 {
			pts = []PlacePoint{{Lat: a.Lat, Lon: a.Lon}}
		}
		areas[i] = RoadPlace{ID: string(a.ID), Points: pts}
	}
	establishments = make([]RoadPlace, len(r.Establishments))
	for j, e := range r.Establishments {
		establishments[j] = RoadPlace{ID: string(e.ID), Points: []PlacePoint{{Lat: e.Lat, Lon: e.Lon}}}
	}
	return areas, establishments
}
