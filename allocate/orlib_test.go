package allocate

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/orlib"
)

// Known optima of OR-Library instances, solved through Locate: the
// p-median instances as PMedian problems on a region whose areas and sites
// are the graph's vertices, the capacitated warehouse instances as
// FixedCharge problems with split demand, and the capacitated p-median
// instances as PMedian problems with single sourcing.

// matrixRegion builds a region with n areas and m candidate sites and the
// given travel (area i to site j), one service "s" with the given site
// capacities (0: none) and opening costs.
func matrixRegion(t testing.TB, travel func(i, j int) float64, n, m int, capacity, openCost []float64) *gst.Region {
	t.Helper()
	r := &gst.Region{ID: "orlib", Services: []gst.Service{{ID: "s"}}}
	for i := 0; i < n; i++ {
		r.Areas = append(r.Areas, gst.Area{ID: gst.AreaID(fmt.Sprintf("a%04d", i)), Population: 1})
	}
	entries := make([]gst.MatrixEntry, 0, n*m)
	for j := 0; j < m; j++ {
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("s%04d", j)), Level: gst.HealthCentre, Candidate: true,
			Offers: []gst.Offer{{Service: "s"}}}
		if capacity != nil {
			e.Offers[0].Capacity = capacity[j]
		}
		if openCost != nil {
			e.OpenCost = openCost[j]
		}
		r.Establishments = append(r.Establishments, e)
		for i := 0; i < n; i++ {
			entries = append(entries, gst.MatrixEntry{From: string(r.Areas[i].ID), To: string(e.ID), Minutes: travel(i, j)})
		}
	}
	mx, err := gst.MatrixFromEntries(entries)
	if err != nil {
		t.Fatal(err)
	}
	r.Travel = mx
	return r
}

// demandTable gives area i the volume d[i] of service "s".
func demandTable(t testing.TB, d []float64) *gst.DemandTable {
	t.Helper()
	rows := make([]gst.Demand, len(d))
	for i, v := range d {
		rows[i] = gst.Demand{Area: gst.AreaID(fmt.Sprintf("a%04d", i)), Service: "s", Volume: v}
	}
	dt, err := gst.NewDemandTable(rows)
	if err != nil {
		t.Fatal(err)
	}
	return dt
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// orlibProblem reads an instance of the bundled test data and returns it
// as a Problem.
func orlibProblem(t testing.TB, file string) *Problem {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "orlib", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	switch {
	case len(file) >= 7 && file[:7] == "pmedcap":
		in, err := orlib.ReadPMedCap(f)
		if err != nil {
			t.Fatal(err)
		}
		// Objective Σ distance: travel is distance per unit of demand.
		r := matrixRegion(t, func(i, j int) float64 { return in.Dist(j, i) / in.Demand[i] }, in.N, in.N, constant(in.N, in.Q), nil)
		return &Problem{Region: r, Demand: demandTable(t, in.Demand), Objective: PMedian, P: in.P, Capacity: SingleSource}
	case file[:3] == "SJC":
		in, err := orlib.ReadSJC(f)
		if err != nil {
			t.Fatal(err)
		}
		r := matrixRegion(t, func(i, j int) float64 { return in.Dist(j, i) / in.Demand[i] }, in.N, in.N, in.Capacity, nil)
		return &Problem{Region: r, Demand: demandTable(t, in.Demand), Objective: PMedian, P: in.P, Capacity: SingleSource}
	case file[:4] == "pmed":
		in, err := orlib.ReadPMed(f)
		if err != nil {
			t.Fatal(err)
		}
		r := matrixRegion(t, func(i, j int) float64 { return float64(in.Dist[i][j]) }, in.N, in.N, nil, nil)
		return &Problem{Region: r, Demand: demandTable(t, ones(in.N)), Objective: PMedian, P: in.P}
	case file[:3] == "cap":
		in, err := orlib.ReadCap(f, 0)
		if err != nil {
			t.Fatal(err)
		}
		r := matrixRegion(t, func(i, j int) float64 { return in.Cost[j][i] / in.Demand[i] }, in.N, in.M, in.Capacity, in.FixedCost)
		return &Problem{Region: r, Demand: demandTable(t, in.Demand), Objective: FixedCharge, TravelCost: 1, Capacity: SplitDemand}
	}
	t.Fatalf("unknown instance %s", file)
	return nil
}

func constant(n int, v float64) []float64 {
	c := make([]float64, n)
	for i := range c {
		c[i] = v
	}
	return c
}

// raceEnabled is set when the race detector runs, which slows the solvers
// down about tenfold.
var raceEnabled bool

func TestORLibKnownOptima(t *testing.T) {
	cases := []struct {
		file, name string
		capacity   float64
		slow       bool
	}{
		{"pmed1.txt", "pmed1", 0, false}, {"pmed2.txt", "pmed2", 0, false}, {"pmed3.txt", "pmed3", 0, false}, {"pmed4.txt", "pmed4", 0, false}, {"pmed5.txt", "pmed5", 0, false},
		{"cap41.txt", "cap41", 0, false}, {"cap71.txt", "cap71", 0, false}, {"cap131.txt", "cap131", 0, false},
		{"pmedcap1_01.txt", "pmedcap1_01", 0, false}, {"pmedcap1_02.txt", "pmedcap1_02", 0, false}, {"pmedcap1_03.txt", "pmedcap1_03", 0, false},
		{"pmedcap1_04.txt", "pmedcap1_04", 0, false}, {"pmedcap1_05.txt", "pmedcap1_05", 0, false},
		{"SJC1.dat", "SJC1", 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.slow && (testing.Short() || raceEnabled) {
				t.Skip("several seconds; skipped under -short and -race")
			}
			known, ok := orlib.LookupKnown(c.name, c.capacity)
			if !ok {
				t.Fatalf("no known value for %s", c.name)
			}
			p := orlibProblem(t, c.file)
			start := time.Now()
			pl, err := Locate(context.Background(), p, &Options{NoWhy: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %v (known %v) bound %v %v by %s in %v", c.name, pl.Value, known.Value, pl.Bound, pl.Status, pl.Method, time.Since(start).Round(time.Millisecond))
			if pl.Status != gst.StatusOptimal {
				t.Errorf("status %v, want optimal", pl.Status)
			}
			tol := 1e-6 * known.Value
			if c.name == "SJC1" {
				tol = 0.01
			}
			if math.Abs(pl.Value-known.Value) > tol {
				t.Errorf("objective %v, known optimum %v", pl.Value, known.Value)
			}
		})
	}
}
