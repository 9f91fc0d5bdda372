package capfl

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gstplan/gst/internal/orlib"
)

var (
	familyFlag = flag.String("capfl.family", "", "run OR-Library families and print a table: comma-separated list of cap, capabc, pmedcap, sjc (or all)")
	limitFlag  = flag.Duration("capfl.limit", 60*time.Second, "time limit per instance for -capfl.family")
	onlyFlag   = flag.String("capfl.only", "", "comma-separated instance names to restrict -capfl.family to")
	tolFlag    = flag.Float64("capfl.tol", 0, "Options.GapTolerance for -capfl.family (0: the default)")
)

// orlibDir locates the shared OR-Library data beside the repository, or
// returns "" when it is absent (as in a user's clone).
func orlibDir() string {
	d := filepath.Join("..", "..", "..", "..", "shared", "data", "orlib")
	if _, err := os.Stat(filepath.Join(d, "README.md")); err != nil {
		return ""
	}
	return d
}

func needOrlib(tb testing.TB) string {
	tb.Helper()
	d := orlibDir()
	if d == "" {
		tb.Skip("OR-Library data (../shared/data/orlib beside the repository) is absent")
	}
	return d
}

func openData(tb testing.TB, rel string) *os.File {
	tb.Helper()
	if f, err := os.Open(filepath.Join("testdata", filepath.Base(rel))); err == nil {
		return f
	}
	d := needOrlib(tb)
	f, err := os.Open(filepath.Join(d, rel))
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// capProblem reads an OR-Library cap file (capacity replaces the
// placeholder of capa/b/c; 0 otherwise).
func capProblem(tb testing.TB, name string, capacity float64) *Problem {
	tb.Helper()
	f := openData(tb, filepath.Join("cap", name+".txt"))
	defer f.Close()
	c, err := orlib.ReadCap(f, capacity)
	if err != nil {
		tb.Fatal(err)
	}
	return &Problem{Capacity: c.Capacity, FixedCost: c.FixedCost, Demand: c.Demand, Cost: c.Cost}
}

func pmedcapProblem(tb testing.TB, name string) *Problem {
	tb.Helper()
	f := openData(tb, filepath.Join("pmedcap", name+".txt"))
	defer f.Close()
	c, err := orlib.ReadPMedCap(f)
	if err != nil {
		tb.Fatal(err)
	}
	caps := make([]float64, c.N)
	for i := range caps {
		caps[i] = c.Q
	}
	return NewPMedian(c.DistMatrix(), c.Demand, caps, c.P)
}

func sjcProblem(tb testing.TB, name string) *Problem {
	tb.Helper()
	f := openData(tb, filepath.Join("sjc", name+".dat"))
	defer f.Close()
	c, err := orlib.ReadSJC(f)
	if err != nil {
		tb.Fatal(err)
	}
	return NewPMedian(c.DistMatrix(), c.Demand, c.Capacity, c.P)
}

type famCase struct {
	name     string
	capacity float64
	load     func(testing.TB) *Problem
}

func familyCases(fam string) []famCase {
	var cs []famCase
	for _, k := range orlib.KnownValues() {
		k := k
		switch {
		case fam == "cap" && k.Family == orlib.FamilyCap && k.Capacity == 0:
			cs = append(cs, famCase{k.Instance, 0, func(tb testing.TB) *Problem { return capProblem(tb, k.Instance, 0) }})
		case fam == "capabc" && k.Family == orlib.FamilyCap && k.Capacity != 0:
			cs = append(cs, famCase{k.Instance, k.Capacity, func(tb testing.TB) *Problem { return capProblem(tb, k.Instance, k.Capacity) }})
		case fam == "pmedcap" && k.Family == orlib.FamilyPMedCap:
			cs = append(cs, famCase{k.Instance, 0, func(tb testing.TB) *Problem { return pmedcapProblem(tb, k.Instance) }})
		case fam == "sjc" && k.Family == orlib.FamilySJC:
			cs = append(cs, famCase{k.Instance, 0, func(tb testing.TB) *Problem { return sjcProblem(tb, k.Instance) }})
		}
	}
	return cs
}

// TestFamilies solves whole OR-Library families when -capfl.family is set
// and prints one table row per instance. Example:
//
//	go test ./allocate/internal/capfl -run TestFamilies -capfl.family=cap -v
func TestFamilies(t *testing.T) {
	if *familyFlag == "" {
		t.Skip("set -capfl.family=cap,capabc,pmedcap,sjc to run the OR-Library families")
	}
	needOrlib(t)
	fams := strings.Split(*familyFlag, ",")
	if *familyFlag == "all" {
		fams = []string{"cap", "capabc", "pmedcap", "sjc"}
	}
	only := map[string]bool{}
	if *onlyFlag != "" {
		for _, s := range strings.Split(*onlyFlag, ",") {
			only[s] = true
		}
	}
	for _, fam := range fams {
		total := 0.0
		fmt.Printf("\n%-14s %9s %16s %16s %16s %10s %-10s %6s %8s %8s\n", "instance", "capacity", "objective", "bound", "known", "gap", "status", "nodes", "iters", "seconds")
		for _, c := range familyCases(fam) {
			if len(only) > 0 && !only[c.name] {
				continue
			}
			p := c.load(t)
			known, _ := orlib.LookupKnown(c.name, c.capacity)
			ctx, cancel := context.WithTimeout(context.Background(), *limitFlag)
			start := time.Now()
			sol, err := Solve(ctx, p, &Options{GapTolerance: *tolFlag})
			sec := time.Since(start).Seconds()
			cancel()
			total += sec
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			fmt.Printf("%-14s %9g %16.4f %16.4f %16.4f %10.2e %-10s %6d %8d %8.2f\n", c.name, c.capacity, sol.Objective, sol.Bound, known.Value, sol.Gap, sol.Status, sol.Nodes, sol.Iterations, sec)
			// capopt prints three decimals, the SJC table two.
			tol := math.Max(1e-6*math.Abs(known.Value), 1e-3)
			if fam == "sjc" {
				tol = 0.01
			}
			if sol.Bound > known.Value+tol && known.Optimal {
				t.Errorf("%s: bound %v above the known optimum %v", c.name, sol.Bound, known.Value)
			}
			if sol.Status == 1 && known.Optimal && math.Abs(sol.Objective-known.Value) > tol {
				t.Errorf("%s: optimal %v, known %v", c.name, sol.Objective, known.Value)
			}
		}
		fmt.Printf("%s total %.2f s\n", fam, total)
	}
}
