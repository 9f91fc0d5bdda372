package pmedian

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/orlib"
)

var (
	pmedAll = flag.Bool("pmed.all", false, "solve all 40 OR-Library pmed instances from the shared data and print a table")
	pmedOne = flag.String("pmed.only", "", "comma-free list of pmed instance numbers to run with -pmed.all, e.g. 11 or 11-20")
	verbose = flag.Bool("pmed.v", false, "log solver progress")
)

// sharedOrlib returns the shared OR-Library folder beside the repository,
// or "" when it is absent.
func sharedOrlib(sub string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	d := filepath.Join(filepath.Dir(dir), "shared", "data", "orlib", sub)
	if _, err := os.Stat(d); err != nil {
		return ""
	}
	return d
}

// loadPMed reads pmed<k> from testdata or, failing that, from the shared
// data; ok is false when neither has it.
func loadPMed(t testing.TB, k int) (*Problem, bool) {
	t.Helper()
	name := "pmed" + strconv.Itoa(k) + ".txt"
	path := filepath.Join("testdata", name)
	if _, err := os.Stat(path); err != nil {
		d := sharedOrlib("pmed")
		if d == "" {
			return nil, false
		}
		path = filepath.Join(d, name)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pm, err := orlib.ReadPMed(f)
	if err != nil {
		t.Fatal(err)
	}
	return fromPMed(pm), true
}

func fromPMed(pm *orlib.PMed) *Problem {
	cost := make([][]float64, pm.N)
	for i := range cost {
		cost[i] = make([]float64, pm.N)
		for j := range cost[i] {
			cost[i][j] = float64(pm.Dist[i][j])
		}
	}
	return &Problem{Clients: pm.N, Sites: pm.N, Cost: cost, P: pm.P}
}

func TestPMedAll(t *testing.T) {
	if !*pmedAll {
		t.Skip("run with -pmed.all to solve the 40 OR-Library pmed instances")
	}
	from, to := 1, 40
	if *pmedOne != "" {
		fmt.Sscanf(*pmedOne, "%d-%d", &from, &to)
		if to < from {
			to = from
		}
	}
	var opt Options
	if *verbose {
		opt.Log = func(f string, a ...any) { fmt.Printf(f+"\n", a...) }
	}
	total := time.Duration(0)
	fmt.Printf("%-8s %4s %4s %9s %9s %8s %8s %9s %7s %9s\n", "instance", "n", "p", "objective", "bound", "gap", "status", "seconds", "nodes", "iters")
	for k := from; k <= to; k++ {
		p, ok := loadPMed(t, k)
		if !ok {
			t.Skip("shared OR-Library data not present")
		}
		name := "pmed" + strconv.Itoa(k)
		res, err := Solve(context.Background(), p, &opt)
		if err != nil {
			t.Fatal(err)
		}
		total += res.Duration
		fmt.Printf("%-8s %4d %4d %9.0f %9.0f %8.2g %8s %9.2f %7d %9d\n", name, p.Clients, p.P, res.Objective, res.Bound, res.Gap, res.Status, res.Duration.Seconds(), res.Nodes, res.Iterations)
		known, _ := orlib.LookupKnown(name, 0)
		if res.Objective != known.Value || res.Status != gst.StatusOptimal || res.Bound != known.Value {
			t.Errorf("%s: objective %v bound %v status %v; known optimum %v", name, res.Objective, res.Bound, res.Status, known.Value)
		}
	}
	fmt.Printf("total %.1f s\n", total.Seconds())
}
