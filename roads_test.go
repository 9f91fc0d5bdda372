package gst

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
)

// The hand-made network of testdata/roads (see its README).
var (
	testRoadNodes = []RoadNode{
		{"A", 0, 0}, {"B", 0, 0.01}, {"C", 0, 0.02}, {"D", 0.01, 0.01},
		{"E", -0.01, 0.015}, {"X", 1, 1}, {"Y", 1, 1.01},
	}
	testRoadEdges = []RoadEdge{
		{From: "A", To: "B", Km: 1, Kmh: 60},
		{From: "B", To: "C", Km: 1, Kmh: 60},
		{From: "A", To: "D", Km: 2, Kmh: 120},
		{From: "D", To: "C", Km: 2, Kmh: 120},
		{From: "B", To: "E", Km: 1, Kmh: 60, OneWay: true},
		{From: "E", To: "C", Km: 3, Kmh: 60, OneWay: true},
		{From: "X", To: "Y", Km: 1, Kmh: 30},
		{From: "C", To: "C", Km: 1, Kmh: 60}, // self-loop: ignored
		{From: "A", To: "B", Km: 1, Kmh: 30}, // slower parallel: never used
	}
)

func testRoadNetwork(t testing.TB) *RoadNetwork {
	t.Helper()
	n, err := NewRoadNetwork(testRoadNodes, testRoadEdges)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func nodePoints(ids ...string) []Point {
	var out []Point
	for _, id := range ids {
		for _, nd := range testRoadNodes {
			if nd.ID == id {
				out = append(out, Point{ID: "at " + id, Lat: nd.Lat, Lon: nd.Lon})
			}
		}
	}
	return out
}

// roadCell is one pair of a matrix, reachable or not, for comparisons.
type roadCell struct {
	From, To string
	OK       bool
	Minutes  float64
	Km       float64
}

func matrixCells(m *Matrix) []roadCell {
	var out []roadCell
	for i, f := range m.From() {
		for j, to := range m.To() {
			l, ok := m.At(i, j)
			out = append(out, roadCell{f, to, ok, l.Minutes, l.Km})
		}
	}
	return out
}

func TestRoadNetworkCounts(t *testing.T) {
	n := testRoadNetwork(t)
	// Two-way A–B, B–C, A–D, D–C, X–Y give 10 arcs, the one-way streets 2;
	// the self-loop and the slower A–B add none.
	if got, want := [2]int{n.NodeCount(), n.ArcCount()}, [2]int{7, 12}; got != want {
		t.Errorf("nodes, arcs = %v, want %v", got, want)
	}
}

func TestRoadShortestPaths(t *testing.T) {
	n := testRoadNetwork(t)
	ids := []string{"A", "B", "C", "D", "E", "X", "Y"}
	m, err := n.Matrix(context.Background(), nodePoints(ids...), nodePoints(ids...), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Worked out by hand from the README of testdata/roads.
	type leg struct{ min, km float64 }
	none := leg{-1, -1}
	want := map[string]map[string]leg{
		"A": {"A": {0, 0}, "B": {1, 1}, "C": {2, 2}, "D": {1, 2}, "E": {2, 2}, "X": none, "Y": none},
		"B": {"A": {1, 1}, "B": {0, 0}, "C": {1, 1}, "D": {2, 3}, "E": {1, 1}, "X": none, "Y": none},
		"C": {"A": {2, 2}, "B": {1, 1}, "C": {0, 0}, "D": {1, 2}, "E": {2, 2}, "X": none, "Y": none},
		"D": {"A": {1, 2}, "B": {2, 3}, "C": {1, 2}, "D": {0, 0}, "E": {3, 4}, "X": none, "Y": none},
		// The one-way streets: out of E only through C.
		"E": {"A": {5, 5}, "B": {4, 4}, "C": {3, 3}, "D": {4, 5}, "E": {0, 0}, "X": none, "Y": none},
		"X": {"A": none, "B": none, "C": none, "D": none, "E": none, "X": {0, 0}, "Y": {2, 1}},
		"Y": {"A": none, "B": none, "C": none, "D": none, "E": none, "X": {2, 1}, "Y": {0, 0}},
	}
	var wantCells []roadCell
	var wantUnreachable []Pair
	for _, f := range ids {
		for _, to := range ids {
			l := want[f][to]
			if l == none {
				wantCells = append(wantCells, roadCell{"at " + f, "at " + to, false, 0, 0})
				wantUnreachable = append(wantUnreachable, Pair{"at " + f, "at " + to})
				continue
			}
			wantCells = append(wantCells, roadCell{"at " + f, "at " + to, true, l.min, l.km})
		}
	}
	if diff := cmp.Diff(wantCells, matrixCells(m)); diff != "" {
		t.Errorf("matrix (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantUnreachable, m.Unreachable()); diff != "" {
		t.Errorf("Unreachable (-want +got):\n%s", diff)
	}
	if got, want := m.Reachable(), len(ids)*len(ids)-len(wantUnreachable); got != want {
		t.Errorf("Reachable = %d, want %d", got, want)
	}
}

func TestRoadSnap(t *testing.T) {
	n := testRoadNetwork(t)
	// Access legs: great circle × circuity at the access speed.
	access := func(lat, lon float64, node string, circ, kmh float64) Leg {
		for _, nd := range testRoadNodes {
			if nd.ID == node {
				km := GreatCircleKm(lat, lon, nd.Lat, nd.Lon) * circ
				return Leg{Minutes: km / kmh * 60, Km: km}
			}
		}
		panic(node)
	}
	degKm := GreatCircleKm(0, 0, 1, 0) // one degree of latitude, about 111 km
	tests := []struct {
		name string
		pt   Point
		opt  *RoadOptions
		want RoadSnap
	}{
		{"on a node", Point{ID: "p", Lat: 0, Lon: 0.02}, nil, RoadSnap{Node: "C"}},
		{"near B", Point{ID: "p", Lat: 0.001, Lon: 0.0101}, nil,
			RoadSnap{"B", access(0.001, 0.0101, "B", DefaultCircuity, DefaultAccessKmh)}},
		{"near B, options", Point{ID: "p", Lat: 0.001, Lon: 0.0101}, &RoadOptions{AccessKmh: 5, AccessCircuity: 1.1},
			RoadSnap{"B", access(0.001, 0.0101, "B", 1.1, 5)}},
		// Equidistant from A and B: the first by ID.
		{"tie", Point{ID: "p", Lat: -0.003, Lon: 0.005}, nil,
			RoadSnap{"A", access(-0.003, 0.005, "A", DefaultCircuity, DefaultAccessKmh)}},
		{"island", Point{ID: "p", Lat: 1.02, Lon: 1.02}, nil,
			RoadSnap{"Y", access(1.02, 1.02, "Y", DefaultCircuity, DefaultAccessKmh)}},
		// 0.05° south of E: about 5.6 km, within the default 10 km.
		{"5.6 km away", Point{ID: "p", Lat: -0.06, Lon: 0.015}, nil,
			RoadSnap{"E", access(-0.06, 0.015, "E", DefaultCircuity, DefaultAccessKmh)}},
		{"beyond MaxSnapKm", Point{ID: "p", Lat: -0.06, Lon: 0.015}, &RoadOptions{MaxSnapKm: 5}, RoadSnap{}},
		{"just within MaxSnapKm", Point{ID: "p", Lat: -0.06, Lon: 0.015}, &RoadOptions{MaxSnapKm: 0.05*degKm + 1e-9},
			RoadSnap{"E", access(-0.06, 0.015, "E", DefaultCircuity, DefaultAccessKmh)}},
		{"far away", Point{ID: "p", Lat: 30, Lon: 30}, nil, RoadSnap{}},
		{"far away, no limit", Point{ID: "p", Lat: 30, Lon: 30}, &RoadOptions{MaxSnapKm: math.Inf(1)},
			RoadSnap{"Y", access(30, 30, "Y", DefaultCircuity, DefaultAccessKmh)}},
		// At the antipode of A, the nearest node is the one farthest from A.
		{"antipode of A, no limit", Point{ID: "p", Lat: 0, Lon: -180}, &RoadOptions{MaxSnapKm: math.Inf(1)},
			RoadSnap{"Y", access(0, -180, "Y", DefaultCircuity, DefaultAccessKmh)}},
	}
	for _, tc := range tests {
		got, err := n.Snap([]Point{tc.pt}, tc.opt)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff([]RoadSnap{tc.want}, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestRoadMatrixAccessAndSnapLimit(t *testing.T) {
	n := testRoadNetwork(t)
	nearB := Point{ID: "near B", Lat: 0.001, Lon: 0.0101}
	south := Point{ID: "south of E", Lat: -0.06, Lon: 0.015} // about 5.6 km from E
	far := Point{ID: "far", Lat: 30, Lon: 30}
	from := []Point{nearB, south, far}
	to := append(nodePoints("C", "X"), nearB)
	snaps, err := n.Snap(from, nil)
	if err != nil {
		t.Fatal(err)
	}
	aB, aE := snaps[0].Access, snaps[1].Access
	tests := []struct {
		name string
		opt  *RoadOptions
		want []roadCell
	}{
		{"defaults", nil, []roadCell{
			{"near B", "at C", true, aB.Minutes + 1, aB.Km + 1},
			{"near B", "at X", false, 0, 0},
			// Both ends join at B: the two access legs.
			{"near B", "near B", true, aB.Minutes + aB.Minutes, aB.Km + aB.Km},
			{"south of E", "at C", true, aE.Minutes + 3, aE.Km + 3},
			{"south of E", "at X", false, 0, 0},
			{"south of E", "near B", true, aE.Minutes + 4 + aB.Minutes, aE.Km + 4 + aB.Km},
			{"far", "at C", false, 0, 0},
			{"far", "at X", false, 0, 0},
			{"far", "near B", false, 0, 0},
		}},
		{"MaxSnapKm 5", &RoadOptions{MaxSnapKm: 5, Workers: 1}, []roadCell{
			{"near B", "at C", true, aB.Minutes + 1, aB.Km + 1},
			{"near B", "at X", false, 0, 0},
			{"near B", "near B", true, aB.Minutes + aB.Minutes, aB.Km + aB.Km},
			{"south of E", "at C", false, 0, 0},
			{"south of E", "at X", false, 0, 0},
			{"south of E", "near B", false, 0, 0},
			{"far", "at C", false, 0, 0},
			{"far", "at X", false, 0, 0},
			{"far", "near B", false, 0, 0},
		}},
	}
	for _, tc := range tests {
		m, err := n.Matrix(context.Background(), from, to, tc.opt)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, matrixCells(m), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestRoadMatrixInvalid(t *testing.T) {
	n := testRoadNetwork(t)
	ok := nodePoints("A")
	tests := []struct {
		name     string
		from, to []Point
		opt      *RoadOptions
		fields   []string // Field of each problem, in order
	}{
		{"bad options", ok, ok, &RoadOptions{MaxSnapKm: -1, AccessKmh: math.NaN(), AccessCircuity: 0.9, Workers: -2},
			[]string{"MaxSnapKm", "AccessKmh", "AccessCircuity", "Workers"}},
		{"bad coordinates and IDs", []Point{{ID: "a", Lat: 91}, {ID: "a", Lon: math.Inf(1)}}, []Point{{ID: "", Lon: -181}}, nil,
			[]string{"lat", "lon", "lon", "id", "id"}},
		{"repeated IDs", []Point{{ID: "a"}, {ID: "a"}}, ok, nil, []string{"id"}},
	}
	for _, tc := range tests {
		m, err := n.Matrix(context.Background(), tc.from, tc.to, tc.opt)
		if !errors.Is(err, ErrInvalid) || m != nil {
			t.Errorf("%s: got %v, %v; want ErrInvalid", tc.name, m, err)
			continue
		}
		var fields []string
		for _, ve := range validationErrors(err) {
			fields = append(fields, ve.Field)
		}
		if diff := cmp.Diff(tc.fields, fields); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s\n%v", tc.name, diff, err)
		}
	}
	if _, err := n.Snap([]Point{{ID: "a", Lat: math.NaN()}}, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("Snap with NaN latitude: %v", err)
	}
	var nilNet *RoadNetwork
	if _, err := nilNet.Matrix(context.Background(), ok, ok, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil network: %v", err)
	}
}

func TestRoadMatrixCanceled(t *testing.T) {
	n := testRoadNetwork(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m, err := n.Matrix(ctx, nodePoints("A", "B"), nodePoints("C"), nil)
	if !errors.Is(err, context.Canceled) || m != nil {
		t.Errorf("got %v, %v; want context.Canceled", m, err)
	}
}

func validationErrors(err error) []*ValidationError {
	var out []*ValidationError
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var ve *ValidationError
		if errors.As(e, &ve) {
			out = append(out, ve)
		}
	}
	walk(err)
	return out
}

func TestNewRoadNetworkInvalid(t *testing.T) {
	type problem struct{ Where, Field string }
	nodes := []RoadNode{{"a", 0, 0}, {"b", 0, 1}}
	tests := []struct {
		name  string
		nodes []RoadNode
		edges []RoadEdge
		want  []problem
	}{
		{"empty", nil, nil, []problem{{"road network", "nodes"}, {"road network", "edges"}}},
		{"nodes", []RoadNode{{"", 0, 0}, {"a ", 0, 0}, {"b", 91, 0}, {"b", 0, math.NaN()}}, []RoadEdge{{From: "b", To: "b", Km: 1, Kmh: 1}},
			[]problem{{"road node #1", "id"}, {"road node \"a \"", "id"}, {"road node \"b\"", "lat"}, {"road node \"b\"", "id"}, {"road node \"b\"", "lon"}}},
		{"edges", nodes, []RoadEdge{
			{From: "a", To: "c", Km: 1, Kmh: 50},
			{From: "", To: "b", Km: -1, Kmh: math.NaN()},
			{From: "a", To: "b", Km: math.Inf(1), Kmh: 0},
			{From: "a", To: "b", Km: 1e300, Kmh: 1e-300}, // time overflows
			{From: "a", To: "a", Km: 0, Kmh: 50},         // a self-loop is still checked
		}, []problem{
			{`road edge #1 "a" → "c"`, "to"},
			{`road edge #2 "" → "b"`, "from"}, {`road edge #2 "" → "b"`, "km"}, {`road edge #2 "" → "b"`, "kmh"},
			{`road edge #3 "a" → "b"`, "km"}, {`road edge #3 "a" → "b"`, "kmh"},
			{`road edge #4 "a" → "b"`, "kmh"},
			{`road edge #5 "a" → "a"`, "km"},
		}},
	}
	for _, tc := range tests {
		n, err := NewRoadNetwork(tc.nodes, tc.edges)
		if !errors.Is(err, ErrInvalid) || n != nil {
			t.Errorf("%s: got %v, %v; want ErrInvalid", tc.name, n, err)
			continue
		}
		var got []problem
		for _, ve := range validationErrors(err) {
			got = append(got, problem{ve.Where, ve.Field})
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s\n%v", tc.name, diff, err)
		}
	}
}

// roadRef is an independent reference: brute-force snapping and a
// Floyd–Warshall over (minutes, km) compared lexicographically, which
// gives the fastest time and the shortest length among the fastest paths.
type roadRef struct {
	ids       []string
	lat, lon  []float64
	min, km   [][]float64 // +Inf when unreachable
	snappable []bool
}

func newRoadRef(nodes []RoadNode, edges []RoadEdge) *roadRef {
	r := &roadRef{}
	sorted := slices.Clone(nodes)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	ix := map[string]int{}
	for i, nd := range sorted {
		r.ids = append(r.ids, nd.ID)
		r.lat, r.lon = append(r.lat, nd.Lat), append(r.lon, nd.Lon)
		ix[nd.ID] = i
	}
	n := len(sorted)
	r.min, r.km = make([][]float64, n), make([][]float64, n)
	r.snappable = make([]bool, n)
	for i := range r.min {
		r.min[i], r.km[i] = make([]float64, n), make([]float64, n)
		for j := range r.min[i] {
			if i != j {
				r.min[i][j], r.km[i][j] = math.Inf(1), math.Inf(1)
			}
		}
	}
	less := func(m1, k1, m2, k2 float64) bool { return m1 < m2 || (m1 == m2 && k1 < k2) }
	for _, e := range edges {
		u, v := ix[e.From], ix[e.To]
		if u == v {
			continue
		}
		r.snappable[u], r.snappable[v] = true, true
		m := 60 * e.Km / e.Kmh
		if less(m, e.Km, r.min[u][v], r.km[u][v]) {
			r.min[u][v], r.km[u][v] = m, e.Km
		}
		if !e.OneWay && less(m, e.Km, r.min[v][u], r.km[v][u]) {
			r.min[v][u], r.km[v][u] = m, e.Km
		}
	}
	for k := 0; k < n; k++ {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if m, km := r.min[i][k]+r.min[k][j], r.km[i][k]+r.km[k][j]; less(m, km, r.min[i][j], r.km[i][j]) {
					r.min[i][j], r.km[i][j] = m, km
				}
			}
		}
	}
	return r
}

func (r *roadRef) snap(p Point, maxKm, circ, kmh float64) (int, Leg) {
	best, bestKm := -1, math.Inf(1)
	for i := range r.ids {
		if d := GreatCircleKm(p.Lat, p.Lon, r.lat[i], r.lon[i]); r.snappable[i] && d <= maxKm && d < bestKm {
			best, bestKm = i, d
		}
	}
	if best < 0 {
		return -1, Leg{}
	}
	km := bestKm * circ
	return best, Leg{Minutes: km / kmh * 60, Km: km}
}

func (r *roadRef) cells(from, to []Point, maxKm, circ, kmh float64) []roadCell {
	var out []roadCell
	for _, a := range from {
		u, la := r.snap(a, maxKm, circ, kmh)
		for _, b := range to {
			v, lb := r.snap(b, maxKm, circ, kmh)
			if u < 0 || v < 0 || math.IsInf(r.min[u][v], 1) {
				out = append(out, roadCell{a.ID, b.ID, false, 0, 0})
				continue
			}
			out = append(out, roadCell{a.ID, b.ID, true, la.Minutes + r.min[u][v] + lb.Minutes, la.Km + r.km[u][v] + lb.Km})
		}
	}
	return out
}

// randomRoads returns a small random network on a 0.1° square whose travel
// times are multiples of half a minute, so that equally fast paths are
// common and their sums exact.
func randomRoads(rng *rand.Rand) ([]RoadNode, []RoadEdge) {
	nn := 1 + rng.IntN(9)
	nodes := make([]RoadNode, nn)
	for i := range nodes {
		nodes[i] = RoadNode{ID: fmt.Sprintf("n%d", rng.IntN(1000)*10+i), Lat: 34 + rng.Float64()/10, Lon: -5 + rng.Float64()/10}
	}
	ne := 1 + rng.IntN(3*nn)
	edges := make([]RoadEdge, ne)
	kmhs := []float64{30, 60, 120}
	for i := range edges {
		edges[i] = RoadEdge{
			From: nodes[rng.IntN(nn)].ID, To: nodes[rng.IntN(nn)].ID,
			Km: float64(1 + rng.IntN(5)), Kmh: kmhs[rng.IntN(3)], OneWay: rng.IntN(3) == 0,
		}
	}
	return nodes, edges
}

func randomPoints(rng *rand.Rand, prefix string, n int) []Point {
	pts := make([]Point, n)
	for i := range pts {
		pts[i] = Point{ID: fmt.Sprintf("%s%d", prefix, i), Lat: 33.98 + rng.Float64()*0.14, Lon: -5.02 + rng.Float64()*0.14}
	}
	return pts
}

func TestRoadMatrixAgreesWithFloydWarshall(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	approx := cmpopts.EquateApprox(0, 1e-12)
	for trial := 0; trial < 300; trial++ {
		nodes, edges := randomRoads(rng)
		net, err := NewRoadNetwork(nodes, edges)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		from := randomPoints(rng, "o", 1+rng.IntN(6))
		to := randomPoints(rng, "d", 1+rng.IntN(6))
		opt := &RoadOptions{MaxSnapKm: []float64{2, 5, math.Inf(1)}[rng.IntN(3)], AccessKmh: 15, AccessCircuity: 1.2, Workers: 1 + rng.IntN(3)}
		m, err := net.Matrix(context.Background(), from, to, opt)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		want := newRoadRef(nodes, edges).cells(from, to, opt.MaxSnapKm, 1.2, 15)
		if diff := cmp.Diff(want, matrixCells(m), approx); diff != "" {
			t.Fatalf("trial %d: nodes %v edges %v (-Floyd–Warshall +Matrix):\n%s", trial, nodes, edges, diff)
		}
	}
}

func TestRoadMatrixDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	nodes, edges := roadGrid(rng, 30, 30)
	from := gridPoints(rng, "o", 60, 30, 30)
	to := gridPoints(rng, "d", 90, 30, 30)
	net, err := NewRoadNetwork(nodes, edges)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := net.Matrix(context.Background(), from, to, &RoadOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	// More workers, and the input shuffled: the same matrix, bit for bit.
	sn, se := slices.Clone(nodes), slices.Clone(edges)
	rng.Shuffle(len(sn), func(i, j int) { sn[i], sn[j] = sn[j], sn[i] })
	rng.Shuffle(len(se), func(i, j int) { se[i], se[j] = se[j], se[i] })
	shuffled, err := NewRoadNetwork(sn, se)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{0, 2, 3} {
		got, err := shuffled.Matrix(context.Background(), from, to, &RoadOptions{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(matrixCells(ref), matrixCells(got)); diff != "" {
			t.Errorf("workers %d, shuffled input (-1 worker +got):\n%s", w, diff)
		}
	}
	// Searching from the other side, over the reversed graph, agrees up
	// to rounding: the reversed network from the destinations to the
	// origins, transposed, is the same matrix, and there the origins (60
	// points) are the smaller side, so its searches run backwards.
	var revEdges []RoadEdge
	for _, e := range edges {
		e.From, e.To = e.To, e.From
		revEdges = append(revEdges, e)
	}
	revNet, err := NewRoadNetwork(nodes, revEdges)
	if err != nil {
		t.Fatal(err)
	}
	viaRev, err := revNet.Matrix(context.Background(), to, from, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wantT []roadCell
	for i, f := range from {
		for j, to := range to {
			l, ok := viaRev.At(j, i)
			wantT = append(wantT, roadCell{f.ID, to.ID, ok, l.Minutes, l.Km})
		}
	}
	if diff := cmp.Diff(wantT, matrixCells(ref), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("reversed network, transposed (-reversed +forward):\n%s", diff)
	}
}

// roadGrid returns a seeded synthetic road network: a rows × cols grid of
// junctions about 1.1 km apart near Fès, with jittered positions, every
// horizontal and vertical street, diagonals in about half of the blocks
// (about 2.5 edges per node in all), speeds from 30 to 100 km/h, and one
// street in twenty one-way.
func roadGrid(rng *rand.Rand, rows, cols int) ([]RoadNode, []RoadEdge) {
	id := func(r, c int) string { return fmt.Sprintf("r%03dc%03d", r, c) }
	nodes := make([]RoadNode, 0, rows*cols)
	pos := map[string]RoadNode{}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			nd := RoadNode{ID: id(r, c), Lat: 34 + float64(r)*0.01 + (rng.Float64()-0.5)*0.004, Lon: -5 + float64(c)*0.012 + (rng.Float64()-0.5)*0.004}
			nodes = append(nodes, nd)
			pos[nd.ID] = nd
		}
	}
	var edges []RoadEdge
	kmhs := []float64{30, 50, 60, 80, 100}
	add := func(a, b string) {
		if rng.IntN(2) == 0 {
			a, b = b, a
		}
		pa, pb := pos[a], pos[b]
		edges = append(edges, RoadEdge{
			From: a, To: b,
			Km:     GreatCircleKm(pa.Lat, pa.Lon, pb.Lat, pb.Lon) * (1.05 + 0.3*rng.Float64()),
			Kmh:    kmhs[rng.IntN(len(kmhs))],
			OneWay: rng.IntN(20) == 0,
		})
	}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if c+1 < cols {
				add(id(r, c), id(r, c+1))
			}
			if r+1 < rows {
				add(id(r, c), id(r+1, c))
			}
			if r+1 < rows && c+1 < cols && rng.IntN(100) < 53 {
				if rng.IntN(2) == 0 {
					add(id(r, c), id(r+1, c+1))
				} else {
					add(id(r, c+1), id(r+1, c))
				}
			}
		}
	}
	return nodes, edges
}

// gridPoints returns n seeded points over the area of roadGrid(rows,
// cols); one in a hundred lies 50 km away, off the network.
func gridPoints(rng *rand.Rand, prefix string, n, rows, cols int) []Point {
	pts := make([]Point, n)
	for i := range pts {
		pts[i] = Point{ID: fmt.Sprintf("%s%05d", prefix, i), Lat: 34 + rng.Float64()*float64(rows)*0.01, Lon: -5 + rng.Float64()*float64(cols)*0.012}
		if rng.IntN(100) == 0 {
			pts[i].Lat -= 0.5
		}
	}
	return pts
}

// refDijkstra is an independent shortest-path search over the edge list,
// with a binary heap of (minutes, km) compared lexicographically.
type refDijkstra struct {
	ids  []string
	ix   map[string]int
	lat  []float64
	lon  []float64
	adj  [][]refArc
	used []bool
}

type refArc struct {
	to      int
	min, km float64
}

type refItem struct {
	node    int
	min, km float64
}

type refHeap []refItem

func (h refHeap) Len() int { return len(h) }
func (h refHeap) Less(i, j int) bool {
	return h[i].min < h[j].min || (h[i].min == h[j].min && h[i].km < h[j].km)
}
func (h refHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *refHeap) Push(x any)   { *h = append(*h, x.(refItem)) }
func (h *refHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func newRefDijkstra(nodes []RoadNode, edges []RoadEdge) *refDijkstra {
	r := &refDijkstra{ix: map[string]int{}}
	for i, nd := range nodes {
		r.ids = append(r.ids, nd.ID)
		r.lat, r.lon = append(r.lat, nd.Lat), append(r.lon, nd.Lon)
		r.ix[nd.ID] = i
	}
	r.adj = make([][]refArc, len(nodes))
	r.used = make([]bool, len(nodes))
	for _, e := range edges {
		u, v := r.ix[e.From], r.ix[e.To]
		if u == v {
			continue
		}
		r.used[u], r.used[v] = true, true
		m := 60 * e.Km / e.Kmh
		r.adj[u] = append(r.adj[u], refArc{v, m, e.Km})
		if !e.OneWay {
			r.adj[v] = append(r.adj[v], refArc{u, m, e.Km})
		}
	}
	return r
}

// from returns the (minutes, km) of the fastest then shortest path from
// src to every node; +Inf minutes when unreachable.
func (r *refDijkstra) from(src int) (min, km []float64) {
	min, km = make([]float64, len(r.ids)), make([]float64, len(r.ids))
	for i := range min {
		min[i], km[i] = math.Inf(1), math.Inf(1)
	}
	done := make([]bool, len(r.ids))
	min[src], km[src] = 0, 0
	h := &refHeap{{src, 0, 0}}
	for h.Len() > 0 {
		it := heap.Pop(h).(refItem)
		if done[it.node] {
			continue
		}
		done[it.node] = true
		for _, a := range r.adj[it.node] {
			m, k := it.min+a.min, it.km+a.km
			if m < min[a.to] || (m == min[a.to] && k < km[a.to]) {
				min[a.to], km[a.to] = m, k
				heap.Push(h, refItem{a.to, m, k})
			}
		}
	}
	return min, km
}

// snap is brute force: the nearest used node within maxKm, first by ID on a tie.
func (r *refDijkstra) snap(p Point, maxKm float64) (int, Leg) {
	best, bestKm := -1, math.Inf(1)
	for i := range r.ids {
		if !r.used[i] {
			continue
		}
		d := GreatCircleKm(p.Lat, p.Lon, r.lat[i], r.lon[i])
		if d <= maxKm && (d < bestKm || (d == bestKm && r.ids[i] < r.ids[best])) {
			best, bestKm = i, d
		}
	}
	if best < 0 {
		return -1, Leg{}
	}
	km := bestKm * DefaultCircuity
	return best, Leg{Minutes: km / DefaultAccessKmh * 60, Km: km}
}

// checkRoadSamples compares sampled cells of m (built with default
// options) with the reference; it returns how many were reachable.
func checkRoadSamples(tb testing.TB, m *Matrix, ref *refDijkstra, from, to []Point, rng *rand.Rand, samples int) int {
	tb.Helper()
	reachable := 0
	for s := 0; s < samples; s++ {
		i := rng.IntN(len(from))
		u, la := ref.snap(from[i], DefaultMaxSnapKm)
		var mins, kms []float64
		if u >= 0 {
			mins, kms = ref.from(u)
		}
		for k := 0; k < 10; k++ {
			j := rng.IntN(len(to))
			v, lb := ref.snap(to[j], DefaultMaxSnapKm)
			got, ok := m.At(i, j)
			if u < 0 || v < 0 || math.IsInf(mins[v], 1) {
				if ok {
					tb.Fatalf("%s → %s: got %+v, want unreachable", from[i].ID, to[j].ID, got)
				}
				continue
			}
			want := Leg{Minutes: la.Minutes + mins[v] + lb.Minutes, Km: la.Km + kms[v] + lb.Km}
			if !ok || math.Abs(got.Minutes-want.Minutes) > 1e-9*want.Minutes+1e-12 || math.Abs(got.Km-want.Km) > 1e-9*want.Km+1e-12 {
				tb.Fatalf("%s → %s: got %+v (reachable %v), want %+v", from[i].ID, to[j].ID, got, ok, want)
			}
			reachable++
		}
	}
	return reachable
}

func TestRoadMatrixAgreesWithDijkstra(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	nodes, edges := roadGrid(rng, 40, 40)
	net, err := NewRoadNetwork(nodes, edges)
	if err != nil {
		t.Fatal(err)
	}
	from := gridPoints(rng, "o", 150, 40, 40)
	to := gridPoints(rng, "d", 100, 40, 40) // fewer: searches from the destinations
	m, err := net.Matrix(context.Background(), from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := checkRoadSamples(t, m, newRefDijkstra(nodes, edges), from, to, rng, 40); n < 200 {
		t.Errorf("only %d of 400 sampled pairs reachable", n)
	}
	if len(m.Unreachable()) == 0 {
		t.Error("no unreachable pair, but one point in a hundred is off the network")
	}
}

func readRoadFiles(t testing.TB) (nodes, edges []byte) {
	t.Helper()
	nodes, err := os.ReadFile(filepath.Join("testdata", "roads", "nodes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	edges, err = os.ReadFile(filepath.Join("testdata", "roads", "edges.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return nodes, edges
}

func TestReadRoadNetworkCSV(t *testing.T) {
	nodes, edges := readRoadFiles(t)
	all := []string{"A", "B", "C", "D", "E", "X", "Y"}
	want, err := testRoadNetwork(t).Matrix(context.Background(), nodePoints(all...), nodePoints(all...), nil)
	if err != nil {
		t.Fatal(err)
	}
	quirky := func(s string) string {
		// Reorder and upper-case the columns, quote every field, CRLF, BOM.
		lines := strings.Split(strings.TrimSpace(s), "\n")
		var b strings.Builder
		b.WriteString("\xEF\xBB\xBF")
		for n, l := range lines {
			if n == 0 {
				l = strings.ToUpper(l)
			}
			f := strings.Split(l, ",")
			slices.Reverse(f)
			for i := range f {
				f[i] = `"` + f[i] + `"`
			}
			b.WriteString(strings.Join(f, ",") + "\r\n")
		}
		return b.String()
	}
	for _, tc := range []struct{ name, nodes, edges string }{
		{"plain", string(nodes), string(edges)},
		{"BOM, CRLF, quoted, reordered", quirky(string(nodes)), quirky(string(edges))},
		{"header case and spaces", strings.Replace(string(nodes), "id,lat,lon", " ID , Lat,LON", 1), strings.Replace(string(edges), "from,to", "FROM, To", 1)},
	} {
		net, err := ReadRoadNetworkCSV(strings.NewReader(tc.nodes), strings.NewReader(tc.edges), "nodes.csv", "edges.csv", nil)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		got, err := net.Matrix(context.Background(), nodePoints(all...), nodePoints(all...), nil)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(matrixCells(want), matrixCells(got)); diff != "" {
			t.Errorf("%s: matrix (-built in code +read):\n%s", tc.name, diff)
		}
	}
}

func TestReadRoadNetworkCSVErrors(t *testing.T) {
	type loc struct {
		File         string
		Line, Column int
		Field        string
	}
	const (
		goodNodes = "id,lat,lon\na,0,0\nb,0,0.01\nc,0,0.02\n"
		goodEdges = "from,to,km,kmh,oneway\na,b,1,60,\nb,c,1,60,yes\n"
	)
	tests := []struct {
		name         string
		nodes, edges string
		opt          *ReadOptions
		want         []loc
		tooLarge     bool
	}{
		{"unknown node in an edge", goodNodes, "from,to,km,kmh\na,b,1,60\nb,z,1,60\n", nil,
			[]loc{{"edges.csv", 3, 2, "to"}}, false},
		{"NaN speed", goodNodes, "from,to,km,kmh\na,b,1,NaN\n", nil,
			[]loc{{"edges.csv", 2, 4, "kmh"}}, false},
		{"negative km", goodNodes, "kmh,km,to,from\n60,-1,b,a\n", nil,
			[]loc{{"edges.csv", 2, 2, "km"}}, false},
		{"infinite km and zero speed", goodNodes, "from,to,km,kmh\na,b,+Inf,0\n", nil,
			[]loc{{"edges.csv", 2, 3, "km"}, {"edges.csv", 2, 4, "kmh"}}, false},
		{"missing header", goodNodes, "from,to,km\na,b,1\n", nil,
			[]loc{{"edges.csv", 1, 0, "kmh"}}, false},
		{"unknown and repeated columns", "id,lat,lon,name\na,0,0,x\n", "from,to,km,kmh,km\na,a,1,1,1\n", nil,
			[]loc{{"nodes.csv", 1, 4, "name"}, {"edges.csv", 1, 5, "km"}}, false},
		{"not a number, empty, out of range", goodNodes, "from,to,km,kmh\na,b,one,\nb,c,1e999,60\n", nil,
			[]loc{{"edges.csv", 2, 3, "km"}, {"edges.csv", 2, 4, "kmh"}, {"edges.csv", 3, 3, "km"}}, false},
		{"bad oneway", goodNodes, "from,to,km,kmh,oneway\na,b,1,60,sometimes\n", nil,
			[]loc{{"edges.csv", 2, 5, "oneway"}}, false},
		// Read with oneway -1 the edge is turned round; the error still
		// names the file's column.
		{"reversed one-way to an unknown node", goodNodes, "from,to,km,kmh,oneway\nz,a,1,60,-1\n", nil,
			[]loc{{"edges.csv", 2, 1, "from"}}, false},
		{"duplicate node, bad coordinates", "id,lat,lon\na,0,0\nb,95,0\na,0,-181\nc,0,x\n", goodEdges, nil,
			[]loc{{"nodes.csv", 5, 3, "lon"}, {"nodes.csv", 3, 2, "lat"}, {"nodes.csv", 4, 1, "id"}, {"nodes.csv", 4, 3, "lon"}}, false},
		{"BOM, CRLF, quoted fields", "\xEF\xBB\xBFid,lat,lon\r\n\"a\",0,0\r\n\"b\",\"95\",0\r\n\"c\",0,0.02\r\n", goodEdges, nil,
			[]loc{{"nodes.csv", 3, 2, "lat"}}, false},
		{"quoted line break", "id,lat,lon\n\"a\",0,0\n\"b\",0,0.01\n\"c\nnote\",0,0.02\nc,0,NaN\n", goodEdges, nil,
			[]loc{{"nodes.csv", 6, 3, "lon"}}, false},
		{"empty files", "", "", nil,
			[]loc{{"nodes.csv", 1, 0, ""}, {"edges.csv", 1, 0, ""}}, false},
		{"no rows", "id,lat,lon\n", "from,to,km,kmh\n", nil,
			[]loc{{"", 0, 0, "nodes"}, {"", 0, 0, "edges"}}, false},
		{"bare quote", "id,lat,lon\na,0,0\"\n", goodEdges, nil,
			[]loc{{"nodes.csv", 2, 6, ""}}, false},
		{"wrong field count", goodNodes, "from,to,km,kmh\na,b,1\n", nil,
			[]loc{{"edges.csv", 2, 0, ""}, {"", 0, 0, "edges"}}, false},
		{"too large", goodNodes, goodEdges, &ReadOptions{MaxFileBytes: 20}, nil, true},
	}
	for _, tc := range tests {
		n, err := ReadRoadNetworkCSV(strings.NewReader(tc.nodes), strings.NewReader(tc.edges), "nodes.csv", "edges.csv", tc.opt)
		if err == nil || n != nil {
			t.Errorf("%s: got a network, want an error", tc.name)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v does not wrap ErrInvalid", tc.name, err)
		}
		if tc.tooLarge {
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("%s: %v does not wrap ErrTooLarge", tc.name, err)
			}
			continue
		}
		var got []loc
		for _, ve := range validationErrors(err) {
			got = append(got, loc{ve.File, ve.Line, ve.Column, ve.Field})
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s\n%v", tc.name, diff, err)
		}
	}
}

func FuzzReadRoadNetworkCSV(f *testing.F) {
	nodes, edges := readRoadFiles(f)
	f.Add(string(nodes), string(edges))
	f.Add("\xEF\xBB\xBFid,lat,lon\r\n\"a\",0,0\r\n\"b\",0,1\r\n", "from,to,km,kmh,oneway\r\na,b,1,60,-1\r\n")
	f.Add("id,lat,lon\na,0,0\na,95,x\n", "from,to,km,kmh\na,z,NaN,-1\n")
	f.Add("id,lat,lon\na,0,0\nb,0,0\n", "kmh,km,to,from\n1e-300,1e300,b,a\n")
	f.Add("id,lat\n\"", "")
	f.Fuzz(func(t *testing.T, nodes, edges string) {
		n, err := ReadRoadNetworkCSV(strings.NewReader(nodes), strings.NewReader(edges), "nodes.csv", "edges.csv", &ReadOptions{MaxFileBytes: 1 << 16})
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		// Every node is a place of its own: from each to each, the matrix
		// holds only finite legs, and zero from a used node to itself.
		var pts []Point
		for i := range n.ids {
			pts = append(pts, Point{ID: n.ids[i], Lat: n.lat[i], Lon: n.lon[i]})
		}
		m, err := n.Matrix(context.Background(), pts, pts, &RoadOptions{MaxSnapKm: math.Inf(1)})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range m.Entries() {
			if !(Leg{e.Minutes, e.Km}).valid() {
				t.Fatalf("invalid leg %+v", e)
			}
		}
		for i := range pts {
			if l, ok := m.At(i, i); n.fwd.degree(int32(i))+n.rev.degree(int32(i)) > 0 && (!ok || l != (Leg{})) {
				t.Fatalf("node %q to itself: %+v, %v", pts[i].ID, l, ok)
			}
		}
	})
}

// nodeIndex returns the internal index of a road node.
func nodeIndex(n *RoadNetwork, id string) int32 {
	return int32(slices.Index(n.ids, id))
}

// BenchmarkRoadDijkstra times one search over a 10,000-node grid: gonum's
// path.DijkstraFrom over a simple.WeightedDirectedGraph, and the network's
// own search over its compressed rows, and checks that both give the same
// minutes.
func BenchmarkRoadDijkstra(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	nodes, edges := roadGrid(rng, 100, 100)
	net, err := NewRoadNetwork(nodes, edges)
	if err != nil {
		b.Fatal(err)
	}
	sg := simple.NewWeightedDirectedGraph(0, math.Inf(1))
	for i := range net.ids {
		sg.AddNode(simple.Node(int64(i)))
	}
	g := net.fwd
	for u := range net.ids {
		for k := g.off[u]; k < g.off[u+1]; k++ {
			sg.SetWeightedEdge(sg.NewWeightedEdge(simple.Node(int64(u)), simple.Node(int64(g.arc[k].to)), g.arc[k].minutes))
		}
	}
	src := nodeIndex(net, "r050c050")
	want := path.DijkstraFrom(simple.Node(int64(src)), sg)
	check := func(got func(v int32) float64) {
		for _, id := range []string{"r000c000", "r099c099", "r000c099", "r073c012"} {
			v := nodeIndex(net, id)
			if g, w := got(v), want.WeightTo(int64(v)); g != w || math.IsInf(w, 1) {
				b.Fatalf("to %s: %v minutes, want %v", id, g, w)
			}
		}
	}
	b.Run("gonum/simple.WeightedDirectedGraph", func(b *testing.B) {
		var s path.Shortest
		for b.Loop() {
			s = path.DijkstraFrom(simple.Node(int64(src)), sg)
		}
		check(func(v int32) float64 { return s.WeightTo(int64(v)) })
	})
	b.Run("compressed+binary-heap", func(b *testing.B) {
		s := newRoadSearch(g)
		for b.Loop() {
			s.run(src, nil, 0)
		}
		check(func(v int32) float64 { d, _, _ := s.leg(v); return d })
	})
}

// BenchmarkRoadMatrix times RoadNetwork.Matrix over a seeded synthetic
// grid and checks sampled legs against an independent Dijkstra.
func BenchmarkRoadMatrix(b *testing.B) {
	for _, bc := range []struct{ rows, cols, from, to int }{
		{50, 50, 300, 600},
		{100, 100, 1500, 3000},
	} {
		rng := rand.New(rand.NewPCG(9, 10))
		nodes, edges := roadGrid(rng, bc.rows, bc.cols)
		from := gridPoints(rng, "area", bc.from, bc.rows, bc.cols)
		to := gridPoints(rng, "est", bc.to, bc.rows, bc.cols)
		b.Run(fmt.Sprintf("nodes=%d/edges=%d/from=%d/to=%d", len(nodes), len(edges), bc.from, bc.to), func(b *testing.B) {
			net, err := NewRoadNetwork(nodes, edges)
			if err != nil {
				b.Fatal(err)
			}
			var m *Matrix
			for b.Loop() {
				m, err = net.Matrix(context.Background(), from, to, nil)
				if err != nil {
					b.Fatal(err)
				}
			}
			if n := checkRoadSamples(b, m, newRefDijkstra(nodes, edges), from, to, rand.New(rand.NewPCG(11, 12)), 10); n < 50 {
				b.Fatalf("only %d of 100 sampled pairs reachable", n)
			}
			b.ReportMetric(float64(m.Reachable()), "reachable")
		})
	}
}

// BenchmarkNewRoadNetwork times building the 10,000-node network
// (validation, sorting, both graphs, the k-d tree).
func BenchmarkNewRoadNetwork(b *testing.B) {
	nodes, edges := roadGrid(rand.New(rand.NewPCG(9, 10)), 100, 100)
	var n *RoadNetwork
	var err error
	for b.Loop() {
		if n, err = NewRoadNetwork(nodes, edges); err != nil {
			b.Fatal(err)
		}
	}
	if n.NodeCount() != len(nodes) || n.ArcCount() < len(edges) {
		b.Fatalf("%d nodes, %d arcs from %d nodes, %d edges", n.NodeCount(), n.ArcCount(), len(nodes), len(edges))
	}
}

func TestRoadSnapMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	// Nodes on a coarse lattice, some at the very same place, some without
	// a road (never joined), around the antimeridian and near a pole too.
	for _, centre := range [][2]float64{{34, -5}, {0, 179.99}, {89.9, 0}} {
		var nodes []RoadNode
		for i := 0; i < 400; i++ {
			lat := centre[0] + float64(rng.IntN(20))*0.005
			lon := centre[1] + float64(rng.IntN(20))*0.005
			if lon > 180 {
				lon -= 360
			}
			nodes = append(nodes, RoadNode{ID: fmt.Sprintf("n%03d", i), Lat: lat, Lon: lon})
		}
		var edges []RoadEdge
		for i := 0; i < 300; i++ {
			edges = append(edges, RoadEdge{From: nodes[rng.IntN(len(nodes))].ID, To: nodes[rng.IntN(len(nodes))].ID, Km: 1, Kmh: 50})
		}
		net, err := NewRoadNetwork(nodes, edges)
		if err != nil {
			t.Fatal(err)
		}
		ref := newRefDijkstra(nodes, edges)
		var pts []Point
		for i := 0; i < 300; i++ {
			lat := centre[0] - 0.05 + rng.Float64()*0.2
			lon := centre[1] - 0.05 + rng.Float64()*0.2
			if lon > 180 {
				lon -= 360
			}
			if i%10 == 0 { // exactly on a node
				nd := nodes[rng.IntN(len(nodes))]
				lat, lon = nd.Lat, nd.Lon
			}
			pts = append(pts, Point{ID: fmt.Sprint(i), Lat: min(lat, 90), Lon: lon})
		}
		opt := &RoadOptions{MaxSnapKm: 3}
		got, err := net.Snap(pts, opt)
		if err != nil {
			t.Fatal(err)
		}
		joined := 0
		for i, p := range pts {
			if got[i].Node != "" {
				joined++
			}
			// Brute force: every used node by distance, then ID.
			type cand struct {
				km float64
				id string
			}
			var cs []cand
			for k, nd := range nodes {
				if ref.used[k] {
					cs = append(cs, cand{GreatCircleKm(p.Lat, p.Lon, nd.Lat, nd.Lon), nd.ID})
				}
			}
			sort.Slice(cs, func(a, b int) bool { return cs[a].km < cs[b].km || (cs[a].km == cs[b].km && cs[a].id < cs[b].id) })
			if cs[0].km > opt.MaxSnapKm {
				if got[i].Node != "" {
					t.Errorf("%v: joined %s at %v km, want none within %v km", centre, got[i].Node, cs[0].km, opt.MaxSnapKm)
				}
				continue
			}
			// Distances equal to rounding may come out in either order.
			ok := false
			for _, c := range cs {
				if c.km > cs[0].km+1e-9 {
					break
				}
				ok = ok || c.id == got[i].Node
			}
			if !ok || math.Abs(got[i].Access.Km-cs[0].km*DefaultCircuity) > 1e-9 {
				t.Errorf("%v: point %d joined %q (%+v), want %q at %v km", centre, i, got[i].Node, got[i].Access, cs[0].id, cs[0].km)
			}
			// Nodes at the very same place: the first by ID.
			if got[i].Node != "" && cs[0].km == 0 && got[i].Node != cs[0].id {
				t.Errorf("%v: point %d on nodes %v joined %q", centre, i, cs[:2], got[i].Node)
			}
		}
		if joined < 100 {
			t.Errorf("%v: only %d of %d points joined the network", centre, joined, len(pts))
		}
	}
}

// countdownContext is cancelled after its Err has been asked a given
// number of times.
type countdownContext struct {
	context.Context
	left atomic.Int64
}

func (c *countdownContext) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestRoadMatrixCanceledBetweenSearches(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	nodes, edges := roadGrid(rng, 20, 20)
	net, err := NewRoadNetwork(nodes, edges)
	if err != nil {
		t.Fatal(err)
	}
	from, to := gridPoints(rng, "o", 50, 20, 20), gridPoints(rng, "d", 80, 20, 20)
	for _, calls := range []int64{1, 2, 10} {
		ctx := &countdownContext{Context: context.Background()}
		ctx.left.Store(calls)
		m, err := net.Matrix(ctx, from, to, &RoadOptions{Workers: 2})
		if !errors.Is(err, context.Canceled) || m != nil {
			t.Errorf("cancelled after %d checks: got %v, %v", calls, m, err)
		}
	}
}

func TestRoadMatrixArcsBelowRounding(t *testing.T) {
	// B–C takes 6e-10 minutes, which vanishes when added to the 6e10
	// minutes of A–B: C is as far from A as B is, and the length must
	// still follow the path A → B → C.
	nodes := []RoadNode{{"A", 0, 0}, {"B", 0, 0.001}, {"C", 0, 0.002}}
	edges := []RoadEdge{{From: "A", To: "B", Km: 1e6, Kmh: 1e-3}, {From: "B", To: "C", Km: 1e-9, Kmh: 100}}
	net, err := NewRoadNetwork(nodes, edges)
	if err != nil {
		t.Fatal(err)
	}
	pts := []Point{{ID: "A", Lat: 0, Lon: 0}, {ID: "C", Lat: 0, Lon: 0.002}}
	m, err := net.Matrix(context.Background(), pts, pts, nil)
	if err != nil {
		t.Fatal(err)
	}
	long := 60 * 1e6 / 1e-3
	if long+60*1e-9/100 != long {
		t.Fatal("the test needs an arc below rounding")
	}
	want := []roadCell{
		{"A", "A", true, 0, 0}, {"A", "C", true, long, 1e6 + 1e-9},
		{"C", "A", true, long, 1e-9 + 1e6}, {"C", "C", true, 0, 0},
	}
	if diff := cmp.Diff(want, matrixCells(m)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRoadSearchStampWrap(t *testing.T) {
	net := testRoadNetwork(t)
	s := newRoadSearch(net.fwd)
	a, e := nodeIndex(net, "A"), nodeIndex(net, "E")
	s.run(a, nil, 0)
	if d, km, ok := s.leg(e); d != 2 || km != 2 || !ok {
		t.Fatalf("A → E: %v min, %v km", d, km)
	}
	s.cur = math.MaxUint32 // the next search wraps the stamps round
	s.run(e, nil, 0)
	if d, km, ok := s.leg(a); d != 5 || km != 5 || !ok || s.cur != 1 {
		t.Errorf("E → A after the wrap: %v min, %v km, stamp %d", d, km, s.cur)
	}
	// A search that stops once its targets are settled.
	want := make([]bool, net.NodeCount())
	want[nodeIndex(net, "B")] = true
	s.run(a, want, 1)
	if d, _, ok := s.leg(nodeIndex(net, "B")); d != 1 || !ok {
		t.Errorf("A → B with an early stop: %v min", d)
	}
	if _, _, ok := s.leg(nodeIndex(net, "X")); ok {
		t.Errorf("A → X reached")
	}
}
