package gst_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing/fstest"

	"github.com/gstplan/gst"
)

// Read a region directory and look records up by ID.
func ExampleReadDir() {
	r, err := gst.ReadDir(os.DirFS("examples/quickstart"), "ifrane", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d areas, %d establishments, %.0f people\n", r.Name, len(r.Areas), len(r.Establishments), r.Population())
	a, _ := r.Area("03.271.03.11")
	fmt.Printf("%s grew from %.0f (%d) to %.0f (%d)\n", a.Name, a.PastPopulation, a.PastYear, a.Population, a.Year)
	fmt.Printf("midwives at the provincial hospital: %.0f FTE\n", r.StaffOnRoll("osm-node-12118900630", "midwife"))
	// Output:
	// Ifrane province (Fès-Meknès): 10 areas, 6 establishments, 160904 people
	// Timahdite grew from 10945 (2014) to 11571 (2024)
	// midwives at the provincial hospital: 18 FTE
}

// Every problem of a region is reported at once, each naming the file,
// line and column it comes from.
func ExampleRegion_Validate() {
	fsys := fstest.MapFS{
		"areas.csv": {Data: []byte("id,name,lat,lon,population\n" +
			"a1,Douar Nord,34.1,-5.2,1200\n" +
			"a2,Douar Sud,134.0,-5.3,-40\n" +
			"a1,Doublon,34.0,-5.1,10\n")},
		"establishments.csv": {Data: []byte("id,level,area,lat,lon\n" +
			"cs1,essp,a9,34.1,-5.2\n")},
	}
	_, err := gst.ReadDir(fsys, ".", nil)
	fmt.Println(errors.Is(err, gst.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true
	// areas.csv:3:3: area "a2": lat: must be a latitude in [-90, 90] degrees, got 134
	// areas.csv:3:5: area "a2": population: must be a finite number >= 0, got -40
	// areas.csv:4:1: area "a1": id: duplicate area ID
	// establishments.csv:2:3: establishment "cs1": area: unknown area "a9"
}

// Estimate travel times from coordinates: great-circle distance times a
// road-circuity factor, at rural or urban speeds.
func ExampleEstimator_Matrix() {
	areas := []gst.Point{
		{ID: "azrou", Lat: 33.4407, Lon: -5.2250, Urban: true},
		{ID: "timahdite", Lat: 33.2687, Lon: -5.0347},
	}
	hospitals := []gst.Point{{ID: "hp-azrou", Lat: 33.4392, Lon: -5.2144, Urban: true}}
	est := &gst.Estimator{Circuity: 1.4} // mountain roads; speeds left at their defaults
	m, err := est.Matrix(context.Background(), areas, hospitals)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, a := range m.From() {
		l, _ := m.At(i, 0)
		fmt.Printf("%s → %s: %.1f km, %.0f min\n", a, m.To()[0], l.Km, l.Minutes)
	}
	// Output:
	// azrou → hp-azrou: 1.4 km, 3 min
	// timahdite → hp-azrou: 35.4 km, 64 min
}

// Travel legs measured elsewhere come as a sparse CSV; pairs not listed
// are reported as unreachable, never as an infinite time.
func ExampleReadMatrixCSV() {
	f, err := os.Open("testdata/od.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	m, err := gst.ReadMatrixCSV(f, "testdata/od.csv", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	l, _ := m.Lookup("a1", "h2")
	fmt.Printf("a1 → h2: %.0f min, %.0f km\n", l.Minutes, l.Km)
	fmt.Println("unreachable:", m.Unreachable())
	// Output:
	// a1 → h2: 45 min, 38 km
	// unreachable: [{a2 h1}]
}
