package osmroad

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gstplan/gst"
)

// The nodes of testdata/town.osm, by letter (see testdata/README.md).
var town = map[string]struct {
	id       string
	lat, lon float64
}{
	"A": {"1", 34.000, -5.000}, "B": {"2", 34.000, -4.990}, "C": {"3", 34.000, -4.980},
	"D": {"4", 34.010, -4.990}, "E": {"5", 33.990, -4.990}, "F": {"6", 34.010, -5.000},
	"G": {"10", 33.990, -4.980}, "S": {"9", 34.000, -4.995},
}

func gc(a, b string) float64 {
	p, q := town[a], town[b]
	return gst.GreatCircleKm(p.lat, p.lon, q.lat, q.lon)
}

// townEdges are the edges the reader must make of town.osm, worked out
// by hand from its tags: class speeds of DefaultSpeeds, way 100 at its
// maxspeed 50 × 0.8, way 110's maxspeed 500 ignored, way 103 (oneway=-1)
// turned round, way 111 (a motorway) one way, way 112 (oneway=maybe) both
// ways; the shape point S dropped, F kept (0.92 km from D, beyond
// ShapeKm), the island X–Y dropped.
func townEdges() []gst.RoadEdge {
	e := func(a, b string, km, kmh float64, oneway bool) gst.RoadEdge {
		return gst.RoadEdge{From: a, To: b, Km: km, Kmh: kmh, OneWay: oneway}
	}
	return []gst.RoadEdge{
		e("A", "B", gc("A", "S")+gc("S", "B"), 40, false),
		e("B", "C", gc("B", "C"), 40, false),
		e("B", "D", gc("B", "D"), 25, true),
		e("D", "F", gc("D", "F"), 25, false),
		e("F", "A", gc("F", "A"), 25, false),
		e("B", "E", gc("B", "E"), 60, true),
		e("C", "G", gc("C", "G"), 45, false),
		e("G", "E", gc("G", "E"), 45, false),
		e("D", "C", gc("D", "C"), 25, false),
		e("E", "A", gc("E", "A"), 110, true),
		e("G", "B", gc("G", "B"), 25, false),
	}
}

// fastest is an independent Floyd–Warshall over (minutes, km) of the
// edges between the lettered nodes.
func fastest(edges []gst.RoadEdge, nodes []string) map[[2]string]gst.Leg {
	inf := math.Inf(1)
	d := map[[2]string]gst.Leg{}
	get := func(a, b string) gst.Leg {
		if a == b {
			return gst.Leg{}
		}
		if l, ok := d[[2]string{a, b}]; ok {
			return l
		}
		return gst.Leg{Minutes: inf, Km: inf}
	}
	better := func(x, y gst.Leg) bool { return x.Minutes < y.Minutes || (x.Minutes == y.Minutes && x.Km < y.Km) }
	for _, e := range edges {
		l := gst.Leg{Minutes: 60 * e.Km / e.Kmh, Km: e.Km}
		if better(l, get(e.From, e.To)) {
			d[[2]string{e.From, e.To}] = l
		}
		if !e.OneWay && better(l, get(e.To, e.From)) {
			d[[2]string{e.To, e.From}] = l
		}
	}
	for _, k := range nodes {
		d[[2]string{k, k}] = gst.Leg{}
	}
	for _, k := range nodes {
		for _, i := range nodes {
			for _, j := range nodes {
				a, b := get(i, k), get(k, j)
				if c := (gst.Leg{Minutes: a.Minutes + b.Minutes, Km: a.Km + b.Km}); better(c, get(i, j)) {
					d[[2]string{i, j}] = c
				}
			}
		}
	}
	return d
}

// legsBetween returns the network's legs between the lettered nodes (the
// points sit on the nodes, so there is no access leg).
func legsBetween(t *testing.T, net *gst.RoadNetwork, nodes []string) map[[2]string]gst.Leg {
	t.Helper()
	var pts []gst.Point
	for _, n := range nodes {
		pts = append(pts, gst.Point{ID: n, Lat: town[n].lat, Lon: town[n].lon})
	}
	m, err := net.Matrix(context.Background(), pts, pts, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[[2]string]gst.Leg{}
	for _, e := range m.Entries() {
		out[[2]string{e.From, e.To}] = gst.Leg{Minutes: e.Minutes, Km: e.Km}
	}
	return out
}

func TestReadTown(t *testing.T) {
	for _, file := range []string{"town.osm", "town.osm.pbf"} {
		net, rep, err := ReadFile(context.Background(), filepath.Join("testdata", file), nil)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		format := XML
		if strings.HasSuffix(file, ".pbf") {
			format = PBF
		}
		var km float64
		for _, e := range townEdges() {
			km += e.Km
		}
		want := &Report{File: filepath.Join("testdata", file), Format: format,
			Ways: 14, Roads: 10, NotRoads: 1, OtherClasses: 1, NoAccess: 1, Short: 1, MaxspeedUsed: 1,
			NodeRefs: 24, MissingNodes: 1, Nodes: 7, Edges: 11, Components: 2, DroppedNodes: 2, DroppedEdges: 1, Km: km,
			Warnings: []Warning{
				{Kind: MaxspeedIgnored, Element: "way 110", Value: "500"},
				{Kind: OnewayUnknown, Element: "way 112", Value: "maybe"},
			}, WarningCount: 2}
		if diff := cmp.Diff(want, rep, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
			t.Errorf("%s: report (-want +got):\n%s", file, diff)
		}
		if net.NodeCount() != 7 || net.ArcCount() != 19 {
			t.Errorf("%s: %d nodes, %d arcs; want 7 and 19", file, net.NodeCount(), net.ArcCount())
		}
		letters := []string{"A", "B", "C", "D", "E", "F", "G"}
		got := legsBetween(t, net, letters)
		// PBF stores coordinates as integers: legs agree to rounding.
		if diff := cmp.Diff(fastest(townEdges(), letters), got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
			t.Errorf("%s: legs (-hand-listed edges +read):\n%s", file, diff)
		}
		// Three paths by hand: E to A on the motorway; A to E by B (the
		// motorway runs the other way); D to B by C (B → D is one way).
		for _, c := range []struct {
			from, to string
			min      float64
		}{
			{"E", "A", 60 * gc("E", "A") / 110},
			{"A", "E", 60*(gc("A", "S")+gc("S", "B"))/40 + 60*gc("B", "E")/60},
			{"D", "B", 60*gc("D", "C")/25 + 60*gc("C", "B")/40},
		} {
			if l := got[[2]string{c.from, c.to}]; math.Abs(l.Minutes-c.min) > 1e-9 {
				t.Errorf("%s: %s → %s: %v min, want %v", file, c.from, c.to, l.Minutes, c.min)
			}
		}
	}
}

func TestReadRoundabout(t *testing.T) {
	pts := map[string][2]float64{
		"W": {34.0000, -5.0010}, "S": {33.9990, -5.0000}, "E": {34.0000, -4.9990}, "N": {34.0010, -5.0000},
		"FW": {34.0000, -5.0100}, "FE": {34.0000, -4.9900}, "M": {34.0100, -5.0000},
	}
	ids := map[string]string{"W": "101", "E": "103", "FW": "105", "FE": "106", "M": "107"}
	d := func(a, b string) float64 { return gst.GreatCircleKm(pts[a][0], pts[a][1], pts[b][0], pts[b][1]) }
	// Worked out by hand from the tags (see testdata/README.md).
	edges := []gst.RoadEdge{
		{From: "W", To: "E", Km: d("W", "S") + d("S", "E"), Kmh: 45, OneWay: true},
		{From: "E", To: "W", Km: d("E", "N") + d("N", "W"), Kmh: 45, OneWay: true},
		{From: "FW", To: "W", Km: d("FW", "W"), Kmh: 25, OneWay: true},
		{From: "E", To: "FE", Km: d("E", "FE"), Kmh: 25, OneWay: true},
		{From: "FE", To: "M", Km: d("FE", "M"), Kmh: 110},
		{From: "M", To: "FW", Km: d("M", "FW"), Kmh: 110},
	}
	net, rep, err := ReadFile(context.Background(), filepath.Join("testdata", "roundabout.osm"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if net.NodeCount() != 5 || net.ArcCount() != 8 || rep.Components != 1 {
		t.Fatalf("%d nodes, %d arcs, report %+v; want 5 nodes, 8 arcs", net.NodeCount(), net.ArcCount(), rep)
	}
	letters := []string{"W", "E", "FW", "FE", "M"}
	var places []gst.Point
	for _, l := range letters {
		places = append(places, gst.Point{ID: l, Lat: pts[l][0], Lon: pts[l][1]})
	}
	m, err := net.Matrix(context.Background(), places, places, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]gst.Leg{}
	for _, e := range m.Entries() {
		got[[2]string{e.From, e.To}] = gst.Leg{Minutes: e.Minutes, Km: e.Km}
	}
	if diff := cmp.Diff(fastest(edges, letters), got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("legs (-hand-listed edges +read):\n%s", diff)
	}
	// By hand: W to E goes round by S, not back by N; FE reaches W only
	// by the motorway to 105 (E → FE is one way).
	if l := got[[2]string{"W", "E"}]; math.Abs(l.Km-(d("W", "S")+d("S", "E"))) > 1e-12 {
		t.Errorf("W → E: %v km", l.Km)
	}
	want := 60*(d("FE", "M")+d("M", "FW"))/110 + 60*d("FW", "W")/25
	if l := got[[2]string{"FE", "W"}]; math.Abs(l.Minutes-want) > 1e-9 {
		t.Errorf("FE → W: %v min, want %v", l.Minutes, want)
	}
	for l, id := range ids {
		snaps, err := net.Snap([]gst.Point{{ID: l, Lat: pts[l][0], Lon: pts[l][1]}}, nil)
		if err != nil || snaps[0].Node != id {
			t.Errorf("%s joins %q, want %q (%v)", l, snaps[0].Node, id, err)
		}
	}
}

func TestReadOptions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join("testdata", "town.osm")
	// A shorter ShapeKm keeps the shape point S (0.46 km from A).
	net, _, err := ReadFile(ctx, path, &Options{ShapeKm: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	if net.NodeCount() != 8 {
		t.Errorf("ShapeKm 0.3: %d nodes, want 8", net.NodeCount())
	}
	// Every component: the island X–Y stays.
	net, rep, err := ReadFile(ctx, path, &Options{AllComponents: true})
	if err != nil {
		t.Fatal(err)
	}
	if net.NodeCount() != 9 || rep.DroppedNodes != 0 || rep.Components != 2 {
		t.Errorf("AllComponents: %d nodes, report %+v", net.NodeCount(), rep)
	}
	// Speeds overridden: no motorway, tertiary at 90 km/h, and maxspeed
	// driven in full: E leaves by G (way 103 runs B → E only), then takes
	// the fast tertiary to C rather than the residential street to B.
	sp := DefaultSpeeds()
	delete(sp, "motorway")
	sp["tertiary"] = 90
	net, rep, err = ReadFile(ctx, path, &Options{Speeds: sp, MaxspeedFactor: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OtherClasses != 2 || rep.Roads != 9 {
		t.Errorf("no motorway: report %+v", rep)
	}
	got := legsBetween(t, net, []string{"A", "E"})
	want := 60*(gc("A", "S")+gc("S", "B"))/50 + 60*gc("B", "E")/60 // maxspeed 50 × 1
	if l := got[[2]string{"A", "E"}]; math.Abs(l.Minutes-want) > 1e-9 {
		t.Errorf("A → E: %v, want %v", l.Minutes, want)
	}
	wantEA := 60*gc("E", "G")/90 + 60*gc("G", "C")/90 + 60*gc("C", "B")/50 + 60*(gc("B", "S")+gc("S", "A"))/50
	if l := got[[2]string{"E", "A"}]; math.Abs(l.Minutes-wantEA) > 1e-9 {
		t.Errorf("E → A without the motorway: %v, want %v (E G C B A)", l.Minutes, wantEA)
	}
}

func TestReadCut(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join("testdata", "town.osm")
	// The box leaves out C and G (and the island): D reaches B only
	// through F and A.
	box := &Bounds{MinLat: 33.985, MinLon: -5.005, MaxLat: 34.015, MaxLon: -4.985}
	net, rep, err := ReadFile(ctx, path, &Options{Bounds: box})
	if err != nil {
		t.Fatal(err)
	}
	if net.NodeCount() != 5 || rep.OutsideNodes != 4 || rep.Components != 1 {
		t.Errorf("box: %d nodes, report %+v", net.NodeCount(), rep)
	}
	got := legsBetween(t, net, []string{"A", "B", "D", "E", "F"})
	want := 60*gc("D", "F")/25 + 60*gc("F", "A")/25 + 60*(gc("A", "S")+gc("S", "B"))/40
	if l := got[[2]string{"D", "B"}]; math.Abs(l.Minutes-want) > 1e-9 {
		t.Errorf("box: D → B %v min, want %v (D F A B)", l.Minutes, want)
	}
	// The same box as a polygon with a hole around F: D is left with a
	// way in (from B) and none out, so only A, B and E stay.
	poly := Polygon{
		{{33.985, -5.005}, {34.015, -5.005}, {34.015, -4.985}, {33.985, -4.985}},
		{{34.005, -5.004}, {34.014, -5.004}, {34.014, -4.996}, {34.005, -4.996}},
	}
	net, rep, err = ReadFile(ctx, path, &Options{Polygon: poly})
	if err != nil {
		t.Fatal(err)
	}
	if net.NodeCount() != 3 || rep.OutsideNodes != 5 || rep.DroppedNodes != 1 {
		t.Errorf("polygon: %d nodes, report %+v", net.NodeCount(), rep)
	}
	snaps, err := net.Snap([]gst.Point{{ID: "at D", Lat: 34.010, Lon: -4.990}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if snaps[0].Node != "2" { // D is gone: the nearest node is B, 1.1 km south
		t.Errorf("at D joins %q, want B (\"2\")", snaps[0].Node)
	}
	// Both: the polygon inside a box that cuts E off.
	net, _, err = ReadFile(ctx, path, &Options{Polygon: poly, Bounds: &Bounds{MinLat: 33.995, MinLon: -5.1, MaxLat: 34.1, MaxLon: -4.9}})
	if err != nil {
		t.Fatal(err)
	}
	if net.NodeCount() != 2 { // A and B
		t.Errorf("polygon and box: %d nodes, want 2", net.NodeCount())
	}
}

func TestReadOptionsInvalid(t *testing.T) {
	for _, opt := range []*Options{
		{Speeds: map[string]float64{}},
		{Speeds: map[string]float64{"primary": -1}},
		{MaxspeedFactor: 1.5},
		{Bounds: &Bounds{MinLat: 35, MaxLat: 34}},
		{Polygon: Polygon{{{0, 0}, {1, 1}}}},
		{Polygon: Polygon{}},
		{ShapeKm: math.NaN()},
		{Format: 7},
	} {
		_, _, err := ReadFile(context.Background(), filepath.Join("testdata", "town.osm"), opt)
		var ve *gst.ValidationError
		if !errors.Is(err, gst.ErrInvalid) || !errors.As(err, &ve) {
			t.Errorf("%+v: got %v, want a validation error", opt, err)
		}
	}
}

func TestReadBrokenFiles(t *testing.T) {
	xmlData, err := os.ReadFile(filepath.Join("testdata", "town.osm"))
	if err != nil {
		t.Fatal(err)
	}
	pbfData, err := os.ReadFile(filepath.Join("testdata", "town.osm.pbf"))
	if err != nil {
		t.Fatal(err)
	}
	cut := bytes.Index(xmlData, []byte(`<way id="102">`)) + 20
	corrupt := bytes.Clone(pbfData)
	for i := len(corrupt) - 200; i < len(corrupt)-190; i++ {
		corrupt[i] ^= 0x5a
	}
	tests := []struct {
		name    string
		data    []byte
		element string // Error.Element
		line    bool   // Error.Line set
		says    string
	}{
		{"truncated XML", xmlData[:cut], "after way 101", true, "XML syntax error"},
		{"node off the globe", bytes.Replace(xmlData, []byte(`lat="34.000" lon="-4.990"`), []byte(`lat="200" lon="-4.990"`), 1), "node 2", false, "off the globe"},
		{"node with a bad number", bytes.Replace(xmlData, []byte(`lat="34.000" lon="-4.990"`), []byte(`lat="north" lon="-4.990"`), 1), "after node 1", false, "north"},
		{"truncated PBF", pbfData[:len(pbfData)-50], "block ", false, "breaks off"},
		{"corrupt PBF", corrupt, "block ", false, "zlib: invalid checksum"},
		{"garbage", []byte("this is not OpenStreetMap data at all"), "block 1 at byte 0", false, "not an OpenStreetMap PBF file"},
		{"empty", nil, "", false, "empty"},
		{"no road", []byte(`<osm><node id="1" lat="0" lon="0"/><way id="1"><nd ref="1"/><nd ref="1"/><tag k="highway" v="footway"/></way></osm>`), "", false, "no road to drive"},
	}
	for _, tc := range tests {
		net, rep, err := Read(context.Background(), bytes.NewReader(tc.data), "broken.osm", nil)
		var oe *Error
		if !errors.As(err, &oe) || !errors.Is(err, gst.ErrInvalid) || net != nil || rep != nil {
			t.Errorf("%s: got %v, %v, want an *Error", tc.name, net, err)
			continue
		}
		if oe.File != "broken.osm" || !strings.HasPrefix(oe.Element, tc.element) || (oe.Line > 0) != tc.line || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %q (element %q, line %d): want element %q, line %v, saying %q", tc.name, err, oe.Element, oe.Line, tc.element, tc.line, tc.says)
		}
	}
	// The cause stays visible.
	_, _, err = Read(context.Background(), bytes.NewReader(xmlData[:cut]), "broken.osm", nil)
	var se *xml.SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("truncated XML: %v is not an *xml.SyntaxError", err)
	}
	_, _, err = ReadFile(context.Background(), filepath.Join("testdata", "no-such-file.osm"), nil)
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("missing file: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, d := range [][]byte{xmlData, pbfData} {
		if _, _, err := Read(ctx, bytes.NewReader(d), "town", nil); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: %v", err)
		}
	}
}

// TestReadOrderFree reads town.osm with its elements reversed: the same
// network.
func TestReadOrderFree(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "town.osm"))
	if err != nil {
		t.Fatal(err)
	}
	elems := regexp.MustCompile(`(?s)<(node|way|relation|bounds)\b[^>]*?(/>|>.*?</(node|way|relation)>)`).FindAll(data, -1)
	if len(elems) != 11+14+1+1 {
		t.Fatalf("%d elements", len(elems))
	}
	var b strings.Builder
	b.WriteString("<osm>\n")
	for i := len(elems) - 1; i >= 0; i-- {
		b.Write(elems[i])
		b.WriteString("\n")
	}
	b.WriteString("</osm>\n")
	net, _, err := Read(context.Background(), strings.NewReader(b.String()), "reversed", nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	ref, _, err := ReadFile(context.Background(), filepath.Join("testdata", "town.osm"), nil)
	if err != nil {
		t.Fatal(err)
	}
	letters := []string{"A", "B", "C", "D", "E", "F", "G"}
	if diff := cmp.Diff(legsBetween(t, ref, letters), legsBetween(t, net, letters)); diff != "" {
		t.Errorf("reversed elements (-in order +reversed):\n%s", diff)
	}
}

func TestParseMaxspeed(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"50", 50, true}, {"60 km/h", 60, true}, {"80kmh", 80, true}, {"30 mph", 30 * 1.609344, true},
		{"MA:urban", 60, true}, {"ma:rural", 100, true}, {"MA:motorway", 120, true},
		{"none", 0, false}, {"signals", 0, false}, {"50;30", 0, false}, {"", 0, false}, {"NaN", 0, false},
	} {
		got, ok := parseMaxspeed(c.in)
		if ok != c.ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("parseMaxspeed(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"town.osm", "town.osm.pbf", "roundabout.osm"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	f.Add([]byte(`<osm><node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.01"/><way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="track"/></way></osm>`))
	f.Add([]byte("\x00\x00\x00\x0d"))
	f.Fuzz(func(t *testing.T, data []byte) {
		net, rep, err := Read(context.Background(), bytes.NewReader(data), "fuzz", nil)
		if err != nil {
			if !errors.Is(err, gst.ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			return
		}
		if net.NodeCount() < 2 || net.ArcCount() < 2 || rep.Nodes != net.NodeCount() {
			t.Fatalf("network of %d nodes and %d arcs, report %+v", net.NodeCount(), net.ArcCount(), rep)
		}
	})
}

func ExampleReadFile() {
	net, rep, err := ReadFile(context.Background(), "testdata/town.osm", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d roads of %d ways: %d nodes, %d arcs, %.1f km\n", rep.Roads, rep.Ways, net.NodeCount(), net.ArcCount(), rep.Km)
	fmt.Printf("dropped: %d nodes in %d other component, %d node missing from the file\n", rep.DroppedNodes, rep.Components-1, rep.MissingNodes)
	for _, w := range rep.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// 10 roads of 14 ways: 7 nodes, 19 arcs, 12.5 km
	// dropped: 2 nodes in 1 other component, 1 node missing from the file
	// warning: way 110: maxspeed ignored ("500")
	// warning: way 112: oneway value unknown ("maybe")
}

func ExampleTravel() {
	// Two areas and a health centre (on node B) on the town network. North
	// walks 0.37 km × 1.3 to F at 5 km/h (5.8 min) and drives F–A–B
	// (4.1 min); south walks 0.22 km × 1.3 to E (3.4 min) and drives the
	// motorway to A, then A–B (2.2 min): B → E is one way.
	r := &gst.Region{
		Areas: []gst.Area{
			{ID: "north", Lat: 34.0105, Lon: -4.9960, Population: 1200},
			{ID: "south", Lat: 33.9890, Lon: -4.9880, Population: 800},
		},
		Establishments: []gst.Establishment{{ID: "centre", Level: gst.HealthCentre, Lat: 34.0000, Lon: -4.9900}},
	}
	m, rep, err := Travel(context.Background(), "testdata/town.osm", r, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range m.Entries() {
		fmt.Printf("%s → %s: %.1f min, %.2f km\n", e.From, e.To, e.Minutes, e.Km)
	}
	s := rep.Snaps.Summary()
	fmt.Printf("%d points joined, farthest %.2f km from a road node\n", s.Joined, s.MaxKm)
	// Output:
	// north → centre: 9.9 min, 2.52 km
	// south → centre: 5.5 min, 2.65 km
	// 3 points joined, farthest 0.37 km from a road node
}

func ExampleRead() {
	// Two villages joined by a piste and a provincial road with a speed
	// limit; any io.ReadSeeker will do.
	const extract = `<osm>
  <node id="1" lat="33.000" lon="-5.000"/>
  <node id="2" lat="33.010" lon="-5.000"/>
  <node id="3" lat="33.020" lon="-5.000"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="track"/></way>
  <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="tertiary"/><tag k="maxspeed" v="60"/></way>
</osm>`
	net, rep, err := Read(context.Background(), strings.NewReader(extract), "villages.osm", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := net.Matrix(context.Background(),
		[]gst.Point{{ID: "village 1", Lat: 33.000, Lon: -5.000}},
		[]gst.Point{{ID: "village 3", Lat: 33.020, Lon: -5.000}}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	l, _ := m.At(0, 0)
	fmt.Printf("%s (%s): %d nodes; %.2f km in %.1f min\n", rep.File, rep.Format, rep.Nodes, l.Km, l.Minutes)
	// 1.11 km of piste at 20 km/h (3.3 min) and 1.11 km at 60 × 0.8 = 48
	// km/h (1.4 min).

	// Output:
	// villages.osm (XML): 3 nodes; 2.22 km in 4.7 min
}

func ExampleDefaultSpeeds() {
	// Pistes after the rains: slower, and no service roads.
	speeds := DefaultSpeeds()
	speeds["track"] = 10
	delete(speeds, "service")
	_, rep, err := ReadFile(context.Background(), "testdata/town.osm", &Options{Speeds: speeds})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Roads, "roads driven")
	// Output:
	// 10 roads driven
}

func ExampleRegionBounds() {
	r := &gst.Region{Areas: []gst.Area{{ID: "a", Lat: 34.0, Lon: -5.0}, {ID: "b", Lat: 34.2, Lon: -4.8}}}
	b, err := RegionBounds(r, 11.1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("lat %.3f to %.3f, lon %.3f to %.3f\n", b.MinLat, b.MaxLat, b.MinLon, b.MaxLon)
	// Output:
	// lat 33.900 to 34.300, lon -5.121 to -4.679
}
