package gst_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/gstplan/gst"
)

// A few roads south of Fès (illustrative: positions are approximate and
// lengths and speeds invented).
var (
	exampleNodes = []gst.RoadNode{
		{ID: "fes", Lat: 34.0331, Lon: -5.0003},
		{ID: "ain-chkef", Lat: 33.9700, Lon: -5.0100},
		{ID: "immouzer", Lat: 33.7310, Lon: -5.0140},
		{ID: "sefrou", Lat: 33.8305, Lon: -4.8353},
		{ID: "bhalil", Lat: 33.8550, Lon: -4.8720},
	}
	exampleEdges = []gst.RoadEdge{
		{From: "fes", To: "ain-chkef", Km: 8, Kmh: 50},
		{From: "ain-chkef", To: "immouzer", Km: 30, Kmh: 70},
		{From: "fes", To: "sefrou", Km: 28, Kmh: 80},
		{From: "sefrou", To: "bhalil", Km: 5, Kmh: 40},
		{From: "bhalil", To: "immouzer", Km: 24, Kmh: 50},
	}
)

func ExampleRoadNetwork_Matrix() {
	roads, err := gst.NewRoadNetwork(exampleNodes, exampleEdges)
	if err != nil {
		log.Fatal(err)
	}
	areas := []gst.Point{
		{ID: "fes-medina", Lat: 34.0650, Lon: -4.9730},
		{ID: "douar-bhalil", Lat: 33.8700, Lon: -4.8800},
	}
	establishments := []gst.Point{
		{ID: "chu-fes", Lat: 34.0040, Lon: -5.0000},
		{ID: "chp-sefrou", Lat: 33.8280, Lon: -4.8400},
		{ID: "centre-taza", Lat: 34.2100, Lon: -4.0100}, // 90 km east: off this network
	}
	m, err := roads.Matrix(context.Background(), areas, establishments, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range m.Entries() {
		fmt.Printf("%-12s → %-10s %3.0f min %5.1f km\n", e.From, e.To, e.Minutes, e.Km)
	}
	for _, p := range m.Unreachable() {
		fmt.Printf("%-12s → %-10s unreachable\n", p.From, p.To)
	}
	// Output:
	// fes-medina   → chu-fes     30 min   9.9 km
	// fes-medina   → chp-sefrou  40 min  34.3 km
	// douar-bhalil → chu-fes     48 min  39.6 km
	// douar-bhalil → chp-sefrou  17 min   8.0 km
	// fes-medina   → centre-taza unreachable
	// douar-bhalil → centre-taza unreachable
}

func ExampleRoadNetwork_Snap() {
	roads, err := gst.NewRoadNetwork(exampleNodes, exampleEdges)
	if err != nil {
		log.Fatal(err)
	}
	pts := []gst.Point{
		{ID: "douar-bhalil", Lat: 33.8700, Lon: -4.8800},
		{ID: "centre-taza", Lat: 34.2100, Lon: -4.0100},
	}
	snaps, err := roads.Snap(pts, &gst.RoadOptions{AccessKmh: 15})
	if err != nil {
		log.Fatal(err)
	}
	for i, s := range snaps {
		if s.Node == "" {
			fmt.Printf("%s: more than %.0f km from the roads\n", pts[i].ID, gst.DefaultMaxSnapKm)
			continue
		}
		fmt.Printf("%s: joins at %s, %.1f km and %.0f min away\n", pts[i].ID, s.Node, s.Access.Km, s.Access.Minutes)
	}
	// Output:
	// douar-bhalil: joins at bhalil, 2.4 km and 9 min away
	// centre-taza: more than 10 km from the roads
}

func ExampleReadRoadNetworkCSV() {
	nodes, err := os.Open("testdata/roads/nodes.csv")
	if err != nil {
		log.Fatal(err)
	}
	defer nodes.Close()
	edges, err := os.Open("testdata/roads/edges.csv")
	if err != nil {
		log.Fatal(err)
	}
	defer edges.Close()
	roads, err := gst.ReadRoadNetworkCSV(nodes, edges, "nodes.csv", "edges.csv", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(roads.NodeCount(), "nodes,", roads.ArcCount(), "arcs")

	at := func(id string, lat, lon float64) gst.Point { return gst.Point{ID: id, Lat: lat, Lon: lon} }
	b, e, x := at("B", 0, 0.01), at("E", -0.01, 0.015), at("X", 1, 1)
	m, err := roads.Matrix(context.Background(), []gst.Point{b, e}, []gst.Point{b, e, x}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range m.Entries() {
		fmt.Printf("%s → %s: %.0f min, %.0f km\n", l.From, l.To, l.Minutes, l.Km)
	}
	fmt.Println("unreachable:", m.Unreachable())
	// Output:
	// 7 nodes, 12 arcs
	// B → B: 0 min, 0 km
	// B → E: 1 min, 1 km
	// E → B: 4 min, 4 km
	// E → E: 0 min, 0 km
	// unreachable: [{B X} {E X}]
}

func ExampleNewRoadNetwork() {
	_, err := gst.NewRoadNetwork(
		[]gst.RoadNode{{ID: "a", Lat: 34, Lon: -5}, {ID: "b", Lat: 134, Lon: -5}},
		[]gst.RoadEdge{{From: "a", To: "b", Km: 3, Kmh: 0}, {From: "a", To: "c", Km: 2, Kmh: 50, OneWay: true}},
	)
	fmt.Println(err)
	// Output:
	// road node "b": lat: must be a latitude in [-90, 90] degrees, got 134
	// road edge #1 "a" → "b": kmh: must be a finite number > 0, got 0
	// road edge #2 "a" → "c": to: unknown road node "c"
}

func ExampleRoadNetwork_PlaceMatrix() {
	roads, err := gst.NewRoadNetwork(exampleNodes, exampleEdges)
	if err != nil {
		log.Fatal(err)
	}
	// A commune of two villages, 3,000 people near Bhalil and 1,000 up a
	// track far from any modelled road.
	areas := []gst.RoadPlace{{ID: "commune", Points: []gst.PlacePoint{
		{Lat: 33.8700, Lon: -4.8800, Weight: 3000},
		{Lat: 33.9000, Lon: -4.7900, Weight: 1000},
	}}}
	hospitals := []gst.RoadPlace{{ID: "chp-sefrou", Points: []gst.PlacePoint{{Lat: 33.8280, Lon: -4.8400}}}}
	m, rep, err := roads.PlaceMatrix(context.Background(), areas, hospitals, &gst.RoadOptions{AccessKmh: 5})
	if err != nil {
		log.Fatal(err)
	}
	// Village 1: 1.8 km × 1.3 on foot (28 min), 5 km of road to Sefrou
	// (8 min), 0.7 km on foot to the hospital (8 min): 44 min. Village 2:
	// 8.8 km × 1.3 on foot (137 min) and the same last leg: 145 min.
	// Weighted 3:1, 69 min.
	l, _ := m.Lookup("commune", "chp-sefrou")
	fmt.Printf("commune → chp-sefrou: %.0f min, %.1f km (weighted mean of its villages)\n", l.Minutes, l.Km)
	for _, p := range rep.Origins {
		fmt.Printf("village %d joins %s %.1f km away\n", p.Point+1, p.Node, p.Km)
	}
	for _, w := range rep.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// commune → chp-sefrou: 69 min, 9.1 km (weighted mean of its villages)
	// village 1 joins bhalil 1.8 km away
	// village 2 joins sefrou 8.8 km away
	// warning: origin "commune" point 2 (33.90000, -4.79000): far from the roads: joins road node sefrou 8.8 km away (more than 2.0 km)
}

func ExampleRegionRoadPlaces() {
	r := &gst.Region{
		Areas: []gst.Area{
			{ID: "fes-medina", Lat: 34.0650, Lon: -4.9730, Population: 70000},
			{ID: "bhalil", Lat: 33.8550, Lon: -4.8720, Population: 15000},
		},
		Establishments: []gst.Establishment{{ID: "chp-sefrou", Level: gst.ProvincialHospital, Lat: 33.8280, Lon: -4.8400}},
	}
	// Bhalil spread over two villages (as points of its polygon would be);
	// the medina at its demand point.
	villages := map[gst.AreaID][]gst.PlacePoint{
		"bhalil": {{Lat: 33.8700, Lon: -4.8800, Weight: 9000}, {Lat: 33.8500, Lon: -4.8650, Weight: 6000}},
	}
	areas, ests := gst.RegionRoadPlaces(r, func(a *gst.Area) []gst.PlacePoint { return villages[a.ID] })
	for _, p := range append(areas, ests...) {
		fmt.Println(p.ID, len(p.Points), "point(s)")
	}
	roads, err := gst.NewRoadNetwork(exampleNodes, exampleEdges)
	if err != nil {
		log.Fatal(err)
	}
	// Bhalil: 17 min from the first village, 13 from the second, 3:2.
	m, _, err := roads.PlaceMatrix(context.Background(), areas, ests, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range m.Entries() {
		fmt.Printf("%s → %s: %.0f min\n", e.From, e.To, e.Minutes)
	}
	// Output:
	// fes-medina 1 point(s)
	// bhalil 2 point(s)
	// chp-sefrou 1 point(s)
	// fes-medina → chp-sefrou: 40 min
	// bhalil → chp-sefrou: 15 min
}
