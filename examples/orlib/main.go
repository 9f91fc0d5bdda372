// Command orlib solves location benchmarks and prints one JSON object per
// answer:
//
//	{"instance":"rl1304","p":100,"problem":"p-median","format":"tsplib","dist":"floor","n":1304,"m":1304,
//	 "objective":491639,"bound":491639,"gap":0,"status":"optimal","seconds":28.6,"peak_rss_mb":19.7,
//	 "known":491639,"method":"planar: p-median engine on nearest-site lists","pairs":61288}
//
// instance is the file name without its extension; p is there for point
// sets solved for several p; peak_rss_mb is the process's peak resident
// memory when the line is printed (run one instance per process for clean
// figures); known is the published optimal or best known value when the
// instance is in the table; pairs counts the client–site pairs the engine
// held, when it says; ended says why the candidate-list method of
// capacitated problems ended, when it did before the deadline with a gap
// ("bound converged, no better move"), or otherwise.
//
// Formats (-format; guessed from the name, then from the content where it
// is unambiguous):
//
//   - pmed, cap, pmedcap, sjc: OR-Library p-median, capacitated warehouse
//     location (split demand; capa, capb and capc need -capacity, or are
//     solved at each of the four capacities of Beasley's table),
//     Osman–Christofides and Lorena–Senne capacitated p-median, told by the
//     file name. They are solved with allocate.Locate.
//   - tsplib (.tsp), birch: point sets, every point a client and a
//     candidate, solved for each p of -p (default: every p of the table)
//     as uncapacitated p-median problems with allocate/planar, on candidate
//     lists instead of a distance matrix. -dist floor|real (default: floor
//     for tsplib, real for birch, the literature's conventions).
//   - cpmp: Stefanello et al. capacitated p-median ("n p", then "x y
//     capacity demand"), p inside, objective the unweighted sum of
//     distances; real Euclidean distances by default (-dist), solved with
//     allocate/planar; or the matrix of -grid, or spain.grd beside
//     spain737_* files, solved with allocate.Locate.
//   - holmberg, yang (the same layout), delmaire, cap-single: single-source
//     capacitated facility location, through allocate.Locate.
//
// Usage:
//
//	go run ./examples/orlib [-time 60s] [-format F] [-p 5,10] [-dist floor|real] [-grid FILE]
//	    [-capacity N] [-method auto|mip|engine] [-v] [-dir DIR] [-glob PATTERN] [FILE...]
//
// Files come from the arguments, or from -glob (a pattern, for example
// 'pmed*.txt') inside -dir. A bad file stops the program with a message
// naming it and a non-zero exit status.
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
	"slices"
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
	// Instance is the file name without its extension; P the number of
	// medians of a point set solved for several p (omitted elsewhere).
	Instance string  `json:"instance"`
	P        int     `json:"p,omitempty"`
	Capacity float64 `json:"capacity,omitempty"`
	Problem  string  `json:"problem"`
	// Format is the layout the file was read as; Dist the distance
	// convention of point sets ("floor" or "real").
	Format string `json:"format"`
	Dist   string `json:"dist,omitempty"`
	// N is the number of clients and M of candidate sites.
	N int `json:"n"`
	M int `json:"m"`
	// Objective is the value of the best solution and Bound a proven
	// lower bound; Gap is gst.Gap of the two.
	Objective float64 `json:"objective"`
	Bound     float64 `json:"bound"`
	Gap       float64 `json:"gap"`
	Status    string  `json:"status"`
	// Ended says why the candidate-list method of capacitated problems
	// ended (planar.Result.Ended), for example before the deadline with a
	// gap because its bound stopped improving.
	Ended   string  `json:"ended,omitempty"`
	Seconds float64 `json:"seconds"`
	// PeakRSSMB is the peak resident memory of the process when the line
	// was printed, in MiB (0 where the system does not tell).
	PeakRSSMB float64 `json:"peak_rss_mb"`
	// Known is the published optimal or best known value, when there is one.
	Known *float64 `json:"known,omitempty"`
	// Method says which solver ran; Pairs counts the client–site pairs
	// it held, when it says.
	Method string `json:"method"`
	Pairs  int    `json:"pairs,omitempty"`
}

// config holds the flags.
type config struct {
	limit    time.Duration
	capacity float64
	method   allocate.Method
	log      io.Writer
	format   string // "" to guess
	ps       []int  // -p
	dist     string // "", "floor" or "real"
	grid     string // -grid
	verbose  bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("orlib", flag.ContinueOnError)
	fs.SetOutput(stderr)
	limit := fs.Duration("time", 60*time.Second, "time limit per instance and problem (0: none)")
	capacity := fs.Float64("capacity", 0, "capacity of every warehouse of capa, capb and capc (0: each capacity of Beasley's table)")
	method := fs.String("method", "auto", "auto, mip or engine (allocate.Options.Method)")
	dir := fs.String("dir", ".", "directory searched by -glob")
	glob := fs.String("glob", "", "pattern of the files to solve inside -dir, for example 'pmed*.txt'")
	format := fs.String("format", "", "layout of the files: "+strings.Join(formats, ", ")+" (default: guessed from the name or the content)")
	pList := fs.String("p", "", "numbers of medians for tsplib and birch point sets, for example 5,10,20 (default: every p of the table of known values)")
	dist := fs.String("dist", "", "distance of point sets: floor or real (default: the literature's convention, floor for tsplib, real for birch and cpmp)")
	grid := fs.String("grid", "", "distance matrix of a cpmp instance (default: spain.grd beside spain737_* files)")
	verbose := fs.Bool("v", false, "log the engines' progress on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "" && !slices.Contains(formats, *format) {
		return fmt.Errorf("-format must be one of %s, not %q", strings.Join(formats, ", "), *format)
	}
	if *dist != "" && *dist != "floor" && *dist != "real" {
		return fmt.Errorf("-dist must be floor or real, not %q", *dist)
	}
	ps, err := parsePs(*pList)
	if err != nil {
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
	cfg := config{limit: *limit, capacity: *capacity, method: m, log: stderr, format: *format, ps: ps, dist: *dist, grid: *grid, verbose: *verbose}
	enc := json.NewEncoder(stdout)
	for _, f := range files {
		results, err := solveFile(ctx, f, cfg)
		if err != nil {
			return err
		}
		for _, r := range results {
			r.PeakRSSMB = peakRSSMB()
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
	fam, err := formatOf(path, cfg.format)
	if err != nil {
		return nil, err
	}
	if err := checkFlags(path, fam, cfg); err != nil {
		return nil, err
	}
	name := instanceName(path)
	switch fam {
	case fmtTSPLIB, fmtBIRCH:
		return solvePoints(ctx, path, name, fam, cfg)
	case fmtCPMP:
		r, err := solveCPMP(ctx, path, name, cfg)
		return []Result{r}, err
	case fmtHolmberg, fmtYang, fmtDelmaire:
		r, err := solveSSCFLP(ctx, path, name, fam, 0, cfg)
		return []Result{r}, err
	}
	if strings.HasSuffix(strings.ToLower(name), "opt") && (fam == orlib.FamilyPMed || fam == orlib.FamilyCap) {
		// pmedopt.txt and capopt.txt are the tables of optima.
		fmt.Fprintf(cfg.log, "orlib: skipping %s: a table of optimal values, not an instance\n", path)
		return nil, nil
	}
	var out []Result
	if fam == orlib.FamilyCap || fam == fmtCapSingle {
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
			solve := solveCap
			if fam == fmtCapSingle {
				solve = func(ctx context.Context, path, name string, c float64, cfg config) (Result, error) {
					return solveSSCFLP(ctx, path, name, fam, c, cfg)
				}
			}
			r, err := solve(ctx, path, name, c, cfg)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	var r Result
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
	res := Result{Instance: name, Problem: "p-median", Format: orlib.FamilyPMed, N: in.N, M: in.N, Known: known(name, 0)}
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
	res := Result{Instance: name, Capacity: capacity, Problem: "capacitated facility location", Format: orlib.FamilyCap, N: in.N, M: in.M, Known: known(name, capacity)}
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
	res := Result{Instance: name, Problem: "capacitated p-median", Format: fam, N: n, M: n, Known: known(name, 0)}
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
