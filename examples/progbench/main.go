// Command progbench times the phased programme (allocate/programme) on
// synthetic instances of a half region, a region of Fès-Meknès's size and
// the nation (internal/synth), and prints one JSON line per solve: the
// instance, the method, the status, value, bound and gap, the seconds and
// the peak resident memory of the process.
//
//	progbench -spec half -method mip                 lp_solve's branch and bound on the whole programme
//	progbench -spec half -method benders             the decomposition
//	progbench -spec region -time 10m -sequential     a region's ten-year programme, the sequential plan first
//	progbench -spec national -time 10m -gap 0.02 -sequential
//	                                                 the national programme
//	progbench -spec national-apart -time 10m -gap 0.02
//	                                                 the same 12 regions far apart, joined only by the
//	                                                 national budgets and recruitment: solved region by region
//	progbench -spec region -frontier 0.6,0.8,1.2,1.4 the main solve, then four warm-started budget levels
//	progbench -region examples/data/fesmeknes -gap 0.01 -frontier 0.6,0.8,1.2,1.4
//	                                                 the pilots' programme on a real region directory
//
// With -region, the programme is the pilots' (caesarean theatre lines and
// dialysis units over the reform's phases, every assumption as the pilot
// reports label it), built from the region's own data, and -spec names
// the directory in the output.
//
// Run one instance per process for clean memory figures. -cpuprofile FILE
// writes a CPU profile of the solve, -memprofile FILE a heap profile taken
// when the Go heap in use peaks (sampled every second; go tool pprof reads
// both). lp_solve's own memory is outside the Go heap.
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
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/programme"
	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/internal/synth"
)

// line is one JSON line of output.
type line struct {
	Spec      string  `json:"spec"`
	Method    string  `json:"method"`
	Areas     int     `json:"areas"`
	Sites     int     `json:"establishments"`
	Periods   int     `json:"periods"`
	Services  int     `json:"services"`
	Status    string  `json:"status"`
	Value     float64 `json:"value"`
	Bound     float64 `json:"bound"`
	Gap       float64 `json:"gap"`
	Seconds   float64 `json:"seconds"`
	Main      float64 `json:"main_seconds"`
	Nodes     int64   `json:"nodes"`
	CutRounds int     `json:"cut_rounds,omitempty"`
	Cuts      int     `json:"cuts,omitempty"`
	MasterSec float64 `json:"master_seconds,omitempty"`
	BlockSec  float64 `json:"block_seconds,omitempty"`
	// Evals and EvalSec are the networks the local search valued
	// without the master and their seconds.
	Evals     int     `json:"evaluations,omitempty"`
	EvalSec   float64 `json:"evaluation_seconds,omitempty"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
	// Level, for a frontier line, is the budget level; Warm says whether
	// it started from the main solve's cuts and programmes.
	Level float64 `json:"level,omitempty"`
	Warm  bool    `json:"warm,omitempty"`
	Error string  `json:"error,omitempty"`
	// Notes are the plan's notes (how the search ended, for one).
	Notes []string `json:"notes,omitempty"`
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("progbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "half", "instance: half, region, national, national-apart or tiny")
	method := fs.String("method", "auto", "method: auto, mip, compact or benders")
	limit := fs.Duration("time", 10*time.Minute, "time limit of the solve")
	gap := fs.Float64("gap", 0, "gap tolerance (0: the default, 1e-9)")
	frontier := fs.String("frontier", "", "budget levels solved after the main solve, comma-separated (for example 0.6,0.8,1.2,1.4)")
	seed := fs.Uint64("seed", 0, "generator seed (0: the spec's own)")
	sequential := fs.Bool("sequential", false, "also plan the old way (location, then staffing) and start the search from that programme")
	regionDir := fs.String("region", "", "a region directory: solve the pilots' programme on it instead of a synthetic instance")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the solve to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile, taken when the heap in use peaks, to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	s, ok := specs[*spec]
	if !ok && *regionDir == "" {
		fmt.Fprintf(stderr, "progbench: unknown spec %q (want half, region, national, national-apart or tiny)\n", *spec)
		return 2
	}
	if *seed != 0 {
		s.Seed = *seed
	}
	opt := &programme.Options{SolveOptions: gst.SolveOptions{TimeLimit: *limit, GapTolerance: *gap}, NoWhy: true, Sequential: *sequential}
	if err := opt.Method.UnmarshalText([]byte(*method)); err != nil {
		fmt.Fprintln(stderr, "progbench:", err)
		return 2
	}
	levels, err := parseLevels(*frontier)
	if err != nil {
		fmt.Fprintln(stderr, "progbench:", err)
		return 2
	}
	opt.Frontier = levels
	var p *programme.Problem
	if *regionDir != "" {
		*spec = filepath.Base(*regionDir)
		p, err = pilotProgramme(*regionDir)
	} else {
		p, err = synth.Programme(s)
	}
	if err != nil {
		fmt.Fprintln(stderr, "progbench:", err)
		return 1
	}
	out := json.NewEncoder(stdout)
	l := line{Spec: *spec, Method: *method, Areas: len(p.Region.Areas), Sites: len(p.Region.Establishments), Periods: len(p.Periods), Services: len(p.Services)}
	if *cpuProfile != "" {
		stop, err := startProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintln(stderr, "progbench:", err)
			return 1
		}
		defer stop()
	}
	if *memProfile != "" {
		stop, err := watchHeap(*memProfile)
		if err != nil {
			fmt.Fprintln(stderr, "progbench:", err)
			return 1
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintln(stderr, "progbench:", err)
			}
		}()
	}
	start := time.Now()
	plan, err := programme.Solve(context.Background(), p, opt)
	l.Seconds = time.Since(start).Seconds()
	l.PeakRSSMB = peakRSSMB()
	if err != nil {
		l.Error = err.Error()
		_ = out.Encode(l)
		return 1
	}
	l.Status, l.Value, l.Bound, l.Gap, l.Nodes = plan.Status.String(), plan.Value, plan.Bound, finite(plan.Gap), plan.Model.Nodes
	l.Main = plan.MainElapsed.Seconds()
	l.CutRounds, l.Cuts = plan.Model.CutRounds, plan.Model.Cuts
	l.MasterSec, l.BlockSec = plan.Model.MasterTime.Seconds(), plan.Model.BlockTime.Seconds()
	l.Evals, l.EvalSec = plan.Model.Evaluations, plan.Model.EvaluationTime.Seconds()
	l.Notes = plan.Notes
	_ = out.Encode(l)
	for _, f := range plan.Frontier {
		fl := line{Spec: *spec, Method: *method, Areas: l.Areas, Sites: l.Sites, Periods: l.Periods, Services: l.Services, Level: f.Level, Warm: true, Status: f.Status.String(), Value: f.Value, Bound: f.Bound, Gap: finite(f.Gap),
			Seconds: f.Elapsed.Seconds(), PeakRSSMB: l.PeakRSSMB}
		if f.Unsolved || f.Infeasible {
			fl.Error = "no programme at this level"
		}
		_ = out.Encode(fl)
	}
	return 0
}

// pilotProgramme builds the pilots' programme on the region in dir, with
// today's catchments (the nearest public establishment open today) at the
// pilots' circuity.
func pilotProgramme(dir string) (*programme.Problem, error) {
	ctx := context.Background()
	r, err := gst.ReadDir(os.DirFS(dir), ".", nil)
	if err != nil {
		return nil, fmt.Errorf("-region %s: %w", dir, err)
	}
	m, err := pilot.TravelMatrix(ctx, r, &gst.Estimator{Circuity: pilot.DefaultCircuity})
	if err != nil {
		return nil, err
	}
	var svcs []gst.ServiceID
	for _, s := range r.Services {
		svcs = append(svcs, s.ID)
	}
	before, err := gst.AssignNearest(ctx, r, m, svcs, pilot.PublicOpen)
	if err != nil {
		return nil, err
	}
	p, _, err := pilot.ProgrammeProblem(ctx, pilot.ProgrammeInput{Region: r, Before: before})
	return p, err
}

var specs = map[string]synth.Spec{
	"half":           synth.Half,
	"region":         synth.Region,
	"national":       synth.National,
	"national-apart": synth.NationalApart,
	"tiny":           {Regions: 1, Areas: 20, Hospitals: 5, Centres: 20, Candidates: 2, Services: 2, Years: 3, Categories: 4, Seed: 9},
}

func parseLevels(s string) ([]float64, error) {
	if s == "" {
		return nil, nil
	}
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("-frontier: %q is not a budget level > 0", f)
		}
		out = append(out, v)
	}
	return out, nil
}

func finite(v float64) float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return -1
	}
	return v
}

// peakRSSMB is the process's peak resident memory.
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}

// watchHeap samples the Go heap in use when it starts, every second, and
// when it is stopped, and each time it is the largest so far writes a heap
// profile to path: the file ends with the profile of the peak. A path that
// cannot be written is an error at once; the function it returns stops the
// sampling and reports a later write's error.
func watchHeap(path string) (func() error, error) {
	var peak uint64
	sample := func() error {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse <= peak {
			return nil
		}
		peak = ms.HeapInuse
		return writeHeapProfile(path)
	}
	if err := sample(); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	result := make(chan error, 1)
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				result <- sample()
				return
			case <-tick.C:
			}
			if err := sample(); err != nil {
				<-done
				result <- err
				return
			}
		}
	}()
	return func() error { close(done); return <-result }, nil
}

// writeHeapProfile writes the heap profile to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// startProfile starts a CPU profile written to path; the function it
// returns stops it and closes the file.
func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
