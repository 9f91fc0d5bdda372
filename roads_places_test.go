package gst

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestPlaceMatrixWeightedMean(t *testing.T) {
	n := testRoadNetwork(t)
	at := func(id string, w float64) PlacePoint {
		for _, nd := range testRoadNodes {
			if nd.ID == id {
				return PlacePoint{Lat: nd.Lat, Lon: nd.Lon, Weight: w}
			}
		}
		panic(id)
	}
	// Area "AE" is three parts A, E and D weighted 1, 3 and 0 (D does not
	// count); area "BX" is B and the island X (equal weights: X never
	// reaches C, so only B counts). Establishment "C" sits on C.
	from := []RoadPlace{
		{ID: "AE", Points: []PlacePoint{at("A", 1), at("E", 3), at("D", 0)}},
		{ID: "BX", Points: []PlacePoint{at("B", 0), at("X", 0)}},
		{ID: "X", Points: []PlacePoint{at("X", 0)}},
	}
	to := []RoadPlace{{ID: "C", Points: []PlacePoint{at("C", 0)}}, {ID: "AB", Points: []PlacePoint{at("A", 2), at("B", 1)}}}
	m, rep, err := n.PlaceMatrix(context.Background(), from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Legs between nodes from TestRoadShortestPaths: A→C 2 min 2 km,
	// E→C 3/3, B→C 1/1; A→A 0, A→B 1/1, E→A 5/5, E→B 4/4, B→A 1/1.
	want := []roadCell{
		{"AE", "C", true, (1*2 + 3*3) / 4.0, (1*2 + 3*3) / 4.0},
		{"AE", "AB", true, (1*2*0 + 1*1*1 + 3*2*5 + 3*1*4) / 12.0, (1*2*0 + 1*1*1 + 3*2*5 + 3*1*4) / 12.0},
		{"BX", "C", true, 1, 1},
		{"BX", "AB", true, (2*1 + 1*0) / 3.0, (2*1 + 1*0) / 3.0},
		{"X", "C", false, 0, 0},
		{"X", "AB", false, 0, 0},
	}
	if diff := cmp.Diff(want, matrixCells(m), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(rep.Origins) != 6 || len(rep.Destinations) != 3 || len(rep.Warnings) != 0 {
		t.Errorf("report: %d origins, %d destinations, warnings %v", len(rep.Origins), len(rep.Destinations), rep.Warnings)
	}
	if p := rep.Origins[3]; p.Place != "BX" || p.Point != 0 || p.Node != "B" || p.Km != 0 {
		t.Errorf("origin point 4: %+v", p)
	}
}

func TestPlaceMatrixSnapWarnings(t *testing.T) {
	n := testRoadNetwork(t)
	degKm := GreatCircleKm(0, 0, 1, 0)
	from := []RoadPlace{
		{ID: "near", Points: []PlacePoint{{Lat: 0.001, Lon: 0}}},              // 0.11 km from A
		{ID: "far", Points: []PlacePoint{{Lat: -0.04, Lon: 0.015}}},           // 3.3 km south of E
		{ID: "off", Points: []PlacePoint{{Lat: -0.2, Lon: 0.015}}},            // 21 km south of E
		{ID: "two", Points: []PlacePoint{{Lat: 0, Lon: 0}, {Lat: 3, Lon: 3}}}, // A, and 300 km away
	}
	to := []RoadPlace{{ID: "C", Points: []PlacePoint{{Lat: 0, Lon: 0.02}}}}
	m, rep, err := n.PlaceMatrix(context.Background(), from, to, &RoadOptions{AccessKmh: 5})
	if err != nil {
		t.Fatal(err)
	}
	type w struct {
		Kind        SnapWarningKind
		Side, Place string
		Point       int
		Node        string
		Km, LimitKm float64
	}
	var got []w
	for _, x := range rep.Warnings {
		got = append(got, w{x.Kind, x.Side, x.Place, x.Point, x.Node, x.Km, x.LimitKm})
	}
	want := []w{
		{SnapFar, "origin", "far", 0, "E", 0.03 * degKm, DefaultWarnSnapKm},
		{SnapOff, "origin", "off", 0, "", 0.19 * degKm, DefaultMaxSnapKm},
		{SnapOff, "origin", "two", 1, "", GreatCircleKm(3, 3, 1, 1.01), DefaultMaxSnapKm},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	// "two" is reachable through its point on A; "off" is not at all.
	if l, ok := m.Lookup("two", "C"); !ok || l.Minutes != 2 {
		t.Errorf("two → C: %+v, %v", l, ok)
	}
	if _, ok := m.Lookup("off", "C"); ok {
		t.Errorf("off → C reachable")
	}
	// The far snap's access leg at 5 km/h: 3.3 km × 1.3 = 4.3 km, 52 min.
	far, _ := m.Lookup("far", "C")
	acc := 0.03 * degKm * DefaultCircuity
	if math.Abs(far.Minutes-(acc/5*60+3)) > 1e-9 || math.Abs(far.Km-(acc+3)) > 1e-9 {
		t.Errorf("far → C: %+v", far)
	}
	// Joined: 0, 0 (two's point on A, C), 0.11 (near) and 3.3 km (far).
	s := rep.Summary()
	if s.Points != 6 || s.Joined != 4 || s.Far != 1 || s.Off != 2 || s.MaxKm != rep.Origins[1].Km || s.MedianKm != 0 || s.P90Km != s.MaxKm {
		t.Errorf("summary %+v", s)
	}
	if str := rep.Warnings[0].String(); str != `origin "far" point 1 (-0.04000, 0.01500): far from the roads: joins road node E 3.3 km away (more than 2.0 km)` {
		t.Errorf("warning text: %s", str)
	}
	if str := rep.Warnings[1].String(); str != `origin "off" point 1 (-0.20000, 0.01500): off the road network: the nearest road node is 21.1 km away, beyond the 10.0 km limit; unreachable` {
		t.Errorf("warning text: %s", str)
	}
}

func TestPlaceMatrixInvalid(t *testing.T) {
	n := testRoadNetwork(t)
	ok := []RoadPlace{{ID: "a", Points: []PlacePoint{{}}}}
	_, _, err := n.PlaceMatrix(context.Background(), []RoadPlace{
		{ID: "", Points: []PlacePoint{{Lat: 91}}},
		{ID: "b"},
		{ID: "c", Points: []PlacePoint{{Weight: -1}, {Weight: math.Inf(1)}}},
		{ID: "c", Points: []PlacePoint{{}}},
	}, ok, &RoadOptions{WarnSnapKm: -1})
	var fields []string
	for _, ve := range validationErrors(err) {
		fields = append(fields, ve.Field)
	}
	if !errors.Is(err, ErrInvalid) || !cmp.Equal(fields, []string{"WarnSnapKm", "lat", "points", "weight", "weight", "id", "id"}) {
		t.Errorf("got %v\nfields %v", err, fields)
	}
	var nilNet *RoadNetwork
	if _, _, err := nilNet.PlaceMatrix(context.Background(), ok, ok, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil network: %v", err)
	}
}

func TestRegionRoadPlaces(t *testing.T) {
	r := &Region{Areas: []Area{{ID: "a1", Lat: 1, Lon: 2}, {ID: "a2", Lat: 3, Lon: 4}},
		Establishments: []Establishment{{ID: "e1", Lat: 5, Lon: 6}}}
	areas, ests := RegionRoadPlaces(r, func(a *Area) []PlacePoint {
		if a.ID == "a2" {
			return []PlacePoint{{Lat: 3.1, Lon: 4, Weight: 10}, {Lat: 2.9, Lon: 4, Weight: 30}}
		}
		return nil
	})
	want := []RoadPlace{
		{ID: "a1", Points: []PlacePoint{{Lat: 1, Lon: 2}}},
		{ID: "a2", Points: []PlacePoint{{Lat: 3.1, Lon: 4, Weight: 10}, {Lat: 2.9, Lon: 4, Weight: 30}}},
		{ID: "e1", Points: []PlacePoint{{Lat: 5, Lon: 6}}},
	}
	if diff := cmp.Diff(want, append(areas, ests...)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
