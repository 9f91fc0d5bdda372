// Command orlib solves OR-Library location benchmarks and prints one JSON
// object per instance and problem:
//
//	{"instance":"pmed1","problem":"p-median","objective":5819,"bound":5819,"gap":0,"status":"optimal","seconds":0.12,"known":5819}
//
// It reads the uncapacitated p-median files pmed*, the capacitated
// warehouse location files cap* (capa, capb and capc need -capacity, or
// are solved at each of the four capacities of Beasley's table), the
// Osman–Christofides capacitated p-median files pmedcap* and the
// Lorena–Senne files SJC*; the family comes from the file name. Each is
// solved with allocate.Locate: pmed* as a p-median problem, cap* as a
// fixed-charge problem with split demand, pmedcap* and SJC* as p-median
// problems with single sourcing (travel is distance per unit of demand, so
// that the objective is the plain sum of distances of those benchmarks).
// Locate sends them to the library's engines (p-median, capacitated
// facility location) or, with -method mip, to its MIP formulations.
//
//	go run ./examples/orlib [-time 60s] [-capacity N] [-method auto|mip|engine] [-dir DIR] [-glob PATTERN] [FILE...]
//
// Files come from the arguments, or from -glob (a pattern, for example
// 'pmed*.txt') inside -dir. A bad file stops the program with a message
// naming it and a non-zero exit status; "known" is the published optimum
// (or best known value) when the instance is in the table.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/internal/orlib"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "orlib:", err)
		os.Exit(1)
	}
}

// Result is one line of output.
type Result struct {
	Instance string  `json:"instance"`
	Capacity float64 `json:"capacity,omitempty"`
	Problem  string  `json:"problem"`
	// Objective is the value of the best solution and Bound a proven
	// lower bound; Gap is gst.Gap of the two.
	Objective float64 `json:"objective"`
	Bound     float64 `json:"bound"`
	Gap       float64 `json:"gap"`
	Status    string  `json:"status"`
	Seconds   float64 `json:"seconds"`
	// Known is the published optimal or best known value, when there is one.
	Known *float64 `json:"known,omitempty"`
	// Method says which solver ran.
	Method string `json:"method"`
}

// config holds the flags.
type config struct {
	limit    time.Duration
	capacity float64
	method   allocate.Method
	log      io.Writer
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("orlib", flag.ContinueOnError)
	fs.SetOutput(stderr)
	limit := fs.Duration("time", 60*time.Second, "time limit per instance and problem (0: none)")
	capacity := fs.Float64("capacity", 0, "capacity of every warehouse of capa, capb and capc (0: each capacity of Beasley's table)")
	method := fs.String("method", "auto", "auto, mip or engine (allocate.Options.Method)")
	dir := fs.String("dir", ".", "directory searched by -glob")
	glob := fs.String("glob", "", "pattern of the files to solve inside -dir, for example 'pmed*.txt'")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, ok := map[string]allocate.Method{"auto": allocate.Auto, "mip": allocate.MIP, "engine": allocate.Engine}[*method]
	if !ok {
		return fmt.Errorf("-method must be auto, mip or engine, not %q", *method)
	}
	if *limit < 0 || *capacity < 0 || math.IsNaN(*capacity) || math.IsInf(*capacity, 0) {
		return errors.New("-time and -capacity must be finite and not negative")
	}
	files := fs.Args()
	if *glob != "" {
		m, err := filepath.Glob(filepath.Join(*dir, *glob))
		if err != nil {
			return fmt.Errorf("-glob: %w", err)
		}
		sort.Slice(m, func(a, b int) bool { return naturalLess(filepath.Base(m[a]), filepath.Base(m[b])) })
		files = append(files, m...)
	}
	if len(files) == 0 {
		return errors.New("no file to solve: give files as arguments or -glob")
	}
	cfg := config{limit: *limit, capacity: *capacity, method: m, log: stderr}
	enc := json.NewEncoder(stdout)
	for _, f := range files {
		results, err := solveFile(ctx, f, cfg)
		if err != nil {
			return err
		}
		for _, r := range results {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// naturalLess orders names with their numbers compared as numbers, so
// that pmed2 comes before pmed10.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// family returns the family of a file from its name.
func family(name string) string {
	base := strings.ToLower(filepath.Base(name))
	switch {
	case strings.HasPrefix(base, "pmedcap"):
		return orlib.FamilyPMedCap
	case strings.HasPrefix(base, "pmed"):
		return orlib.FamilyPMed
	case strings.HasPrefix(base, "cap"):
		return orlib.FamilyCap
	case strings.HasPrefix(base, "sjc"):
		return orlib.FamilySJC
	}
	return ""
}

// instanceName is the file name without its extension.
func instanceName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// solveFile reads one file and solves the problems it holds.
func solveFile(ctx context.Context, path string, cfg config) ([]Result, error) {
	fam := family(path)
	if fam == "" {
		return nil, fmt.Errorf("%s: cannot tell the family from the name (want pmed*, cap*, pmedcap* or SJC*)", path)
	}
	name := instanceName(path)
	if strings.HasSuffix(strings.ToLower(name), "opt") && (fam == orlib.FamilyPMed || fam == orlib.FamilyCap) {
		// pmedopt.txt and capopt.txt are the tables of optima.
		fmt.Fprintf(cfg.log, "orlib: skipping %s: a table of optimal values, not an instance\n", path)
		return nil, nil
	}
	var out []Result
	if fam == orlib.FamilyCap {
		caps := []float64{cfg.capacity}
		if cfg.capacity == 0 && isPlaceholderCap(name) {
			caps = nil
			for _, k := range orlib.KnownValues() {
				if k.Instance == name && k.Capacity > 0 {
					caps = append(caps, k.Capacity)
				}
			}
			if len(caps) == 0 {
				return nil, fmt.Errorf("%s: give -capacity: no capacity of this instance is in the table", path)
			}
		}
		for _, c := range caps {
			r, err := solveCap(ctx, path, name, c, cfg)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	var r Result
	var err error
	switch fam {
	case orlib.FamilyPMed:
		r, err = solvePMed(ctx, path, name, cfg)
	case orlib.FamilyPMedCap, orlib.FamilySJC:
		r, err = solveCPMed(ctx, path, name, fam, cfg)
	}
	if err != nil {
		return nil, err
	}
	return append(out, r), nil
}

func isPlaceholderCap(name string) bool {
	n := strings.ToLower(name)
	return n == "capa" || n == "capb" || n == "capc"
}

// read opens a file and runs a reader on it.
func read[T any](path string, rd func(io.Reader, *orlib.Options) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	v, err := rd(f, &orlib.Options{Name: path})
	if err != nil {
		return zero, err
	}
	return v, nil
}

func known(name string, capacity float64) *float64 {
	if k, ok := orlib.LookupKnown(name, capacity); ok {
		v := k.Value
		return &v
	}
	return nil
}

func solvePMed(ctx context.Context, path, name string, cfg config) (Result, error) {
	in, err := read(path, orlib.ReadPMedWith)
	if err != nil {
		return Result{}, err
	}
	res := Result{Instance: name, Problem: "p-median", Known: known(name, 0)}
	start := time.Now()
	p := &allocate.Problem{Objective: allocate.PMedian, P: in.P}
	if err := matrixProblem(path, p, in.N, in.N, func(i, j int) float64 { return float64(in.Dist[i][j]) }, nil, nil, constant(in.N, 1)); err != nil {
		return Result{}, err
	}
	return locate(ctx, p, cfg, res, start)
}

func solveCap(ctx context.Context, path, name string, capacity float64, cfg config) (Result, error) {
	in, err := read(path, func(r io.Reader, o *orlib.Options) (*orlib.Cap, error) { return orlib.ReadCapWith(r, capacity, o) })
	if err != nil {
		return Result{}, err
	}
	res := Result{Instance: name, Capacity: capacity, Problem: "capacitated facility location", Known: known(name, capacity)}
	start := time.Now()
	for j, d := range in.Demand {
		if !(d > 0) {
			return Result{}, fmt.Errorf("%s: customer %d has no demand; the problem is built with travel per unit of demand", path, j+1)
		}
	}
	p := &allocate.Problem{Objective: allocate.FixedCharge, TravelCost: 1, Capacity: allocate.SplitDemand}
	if err := matrixProblem(path, p, in.N, in.M, func(i, j int) float64 { return in.Cost[j][i] / in.Demand[i] }, in.Capacity, in.FixedCost, in.Demand); err != nil {
		return Result{}, err
	}
	return locate(ctx, p, cfg, res, start)
}

func solveCPMed(ctx context.Context, path, name, fam string, cfg config) (Result, error) {
	var n, p int
	var demand, capacity []float64
	var dist func(i, j int) float64
	if fam == orlib.FamilyPMedCap {
		in, err := read(path, orlib.ReadPMedCapWith)
		if err != nil {
			return Result{}, err
		}
		n, p, demand, capacity, dist = in.N, in.P, in.Demand, constant(in.N, in.Q), in.Dist
	} else {
		in, err := read(path, orlib.ReadSJCWith)
		if err != nil {
			return Result{}, err
		}
		n, p, demand, capacity, dist = in.N, in.P, in.Demand, in.Capacity, in.Dist
	}
	res := Result{Instance: name, Problem: "capacitated p-median", Known: known(name, 0)}
	start := time.Now()
	for j, d := range demand {
		if !(d > 0) {
			return Result{}, fmt.Errorf("%s: customer %d has no demand; the problem is built with travel per unit of demand", path, j+1)
		}
	}
	// Objective Σ distance: travel is distance per unit of demand.
	pr := &allocate.Problem{Objective: allocate.PMedian, P: p, Capacity: allocate.SingleSource}
	if err := matrixProblem(path, pr, n, n, func(i, j int) float64 { return dist(j, i) / demand[i] }, capacity, nil, demand); err != nil {
		return Result{}, err
	}
	return locate(ctx, pr, cfg, res, start)
}

// locate solves a problem with allocate.Locate.
func locate(ctx context.Context, p *allocate.Problem, cfg config, res Result, start time.Time) (Result, error) {
	pl, err := allocate.Locate(ctx, p, &allocate.Options{SolveOptions: gst.SolveOptions{TimeLimit: cfg.limit}, Method: cfg.method, NoWhy: true})
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", res.Instance, err)
	}
	return finish(res, pl.Value, pl.Bound, pl.Status, start, pl.Method), nil
}

func finish(res Result, obj, bound float64, st gst.Status, start time.Time, method string) Result {
	res.Seconds = math.Round(time.Since(start).Seconds()*1000) / 1000
	res.Objective = obj
	res.Bound = bound
	res.Gap = gst.Gap(obj, bound)
	if math.IsInf(res.Gap, 0) {
		res.Gap = 1
	}
	res.Status = st.String()
	res.Method = method
	return res
}

func constant(n int, v float64) []float64 {
	c := make([]float64, n)
	for i := range c {
		c[i] = v
	}
	return c
}

// matrixRegion builds a region of n areas and m candidate sites offering
// one service "s", with travel(i, j) from area i to site j, and the
// sites' capacities and opening costs (nil: none).
func matrixRegion(n, m int, travel func(i, j int) float64, capacity, openCost []float64) (*gst.Region, error) {
	r := &gst.Region{ID: "orlib", Services: []gst.Service{{ID: "s"}}}
	from := make([]string, n)
	for i := 0; i < n; i++ {
		r.Areas = append(r.Areas, gst.Area{ID: areaID(i), Population: 1})
		from[i] = string(r.Areas[i].ID)
	}
	to := make([]string, m)
	for j := 0; j < m; j++ {
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("s%05d", j)), Level: gst.HealthCentre, Candidate: true,
			Offers: []gst.Offer{{Service: "s"}}}
		if capacity != nil {
			e.Offers[0].Capacity = capacity[j]
		}
		if openCost != nil {
			e.OpenCost = openCost[j]
		}
		r.Establishments = append(r.Establishments, e)
		to[j] = string(e.ID)
	}
	mx, err := gst.NewMatrix(from, to)
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			if err := mx.Set(i, j, gst.Leg{Minutes: travel(i, j)}); err != nil {
				return nil, fmt.Errorf("customer %d, site %d: %w", i+1, j+1, err)
			}
		}
	}
	r.Travel = mx
	return r, nil
}

func areaID(i int) gst.AreaID { return gst.AreaID(fmt.Sprintf("a%05d", i)) }

// demandTable gives area i the volume d[i] of service "s".
func demandTable(d []float64) (*gst.DemandTable, error) {
	rows := make([]gst.Demand, len(d))
	for i, v := range d {
		rows[i] = gst.Demand{Area: areaID(i), Service: "s", Volume: v}
	}
	return gst.NewDemandTable(rows)
}

// matrixProblem builds the region and demand of a problem.
func matrixProblem(path string, p *allocate.Problem, n, m int, travel func(i, j int) float64, capacity, openCost, demand []float64) error {
	r, err := matrixRegion(n, m, travel, capacity, openCost)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	d, err := demandTable(demand)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	p.Region, p.Demand = r, d
	return nil
}
