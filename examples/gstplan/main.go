// Command gstplan is a command-line planner for any region in the documented
// format (see `go doc github.com/gstplan/gst.ReadDir`): it decides where a
// service (or several located together) should be offered, compares travel
// today and with the plan, and writes a report, the plan as JSON and
// GeoJSON, a map and a chart.
//
//	gstplan -region DIR [-out DIR] [-scenario FILE.json] [flags]
//
// The decision is described by flags or by a JSON scenario file (flags
// given on the command line override the file):
//
//	-service caesarean,emergency   services located together
//	-objective p-median            p-median, p-center, weighted-p-center,
//	                               set-covering, max-coverage,
//	                               backup-coverage or fixed-charge
//	-standard 60                   access standard, minutes (default: the
//	                               service's)
//	-p 12                          number of sites open in the plan
//	-changes 2                     most sites opened plus closed (-1: any)
//	-time-limit 30s                time limit of the optimisation
//
// and -capacity, -max-travel, -greenfield, -sites, -weights, -keep,
// -exclude, -budget, -travel-cost, -year and -circuity (see -help).
//
// Travel is estimated from straight-line distance unless -roads names an
// OpenStreetMap extract (.osm.pbf or .osm): then it is computed on its
// roads, cut to the region, and the report says how far each place lies
// from them.
//
// Bad data is reported one problem a line, each naming the file, line,
// column and field, and the program exits with status 1; bad flags exit
// with status 2. It never panics.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/examples/internal/scenario"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitData  = 1 // bad data, or no plan satisfies the rules
	exitUsage = 2 // bad flags
	exitBug   = 3 // an internal error (a bug): reported, never a crash
)

func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "gstplan: internal error (please report it): %v\n", r)
			code = exitBug
		}
	}()
	fs := flag.NewFlagSet("gstplan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	region := fs.String("region", "", "region directory (or region .json file); required")
	out := fs.String("out", filepath.Join("out", "gstplan"), "output folder")
	scenarioPath := fs.String("scenario", "", "JSON scenario file; flags given override it")
	services := fs.String("service", "", "services located together, comma-separated (default caesarean)")
	objective := fs.String("objective", "", "objective: "+scenario.ObjectiveNames()+" (default p-median)")
	standard := fs.Float64("standard", 0, "access standard in minutes (default: each service's own)")
	p := fs.Int("p", 0, "number of sites open in the plan (default: open today + changes)")
	changes := fs.Int("changes", 0, "most sites opened plus closed (default 1; -1: no limit)")
	maxTravel := fs.Float64("max-travel", 0, "hard limit on every commune's travel, minutes (default none)")
	capacity := fs.String("capacity", "", "capacity rule: uncapacitated, split or single (default uncapacitated)")
	greenfield := fs.Bool("greenfield", false, "ignore the closable flags: any eligible site may open or close")
	sites := fs.String("sites", "", "eligible sites: public (public establishments and candidates; default) or all")
	weights := fs.String("weights", "", "demand weights: pathway (trips a year; default) or population")
	keep := fs.String("keep", "", "sites that must be open, comma-separated")
	exclude := fs.String("exclude", "", "sites that must be closed, comma-separated")
	budget := fs.Float64("budget", 0, "bound on opening and closing costs, dirhams (default none)")
	travelCost := fs.Float64("travel-cost", 0, "dirhams per weighted minute of travel (fixed-charge)")
	year := fs.Int("year", 0, "project the population to this year (default: the census year)")
	circuity := fs.Float64("circuity", 0, "road-circuity factor of the travel estimate (default 1.3)")
	timeLimit := fs.String("time-limit", "", "time limit of the optimisation, for example 30s (default 60s)")
	roads := fs.String("roads", "", "OpenStreetMap extract (.osm.pbf or .osm) whose roads give the travel times (default: estimated from straight-line distance)")
	quiet := fs.Bool("q", false, "no progress lines on stderr")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: gstplan -region DIR [-out DIR] [-scenario FILE.json] [flags]\n\nDecides where services should be offered in a region and reports travel today and with the plan.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gstplan: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return exitUsage
	}
	if *region == "" {
		fmt.Fprintln(stderr, "gstplan: -region is required (a region directory in the documented format)")
		fs.Usage()
		return exitUsage
	}

	sc := &scenario.Scenario{}
	label := "flags"
	if *scenarioPath != "" {
		var err error
		if sc, err = scenario.Read(*scenarioPath); err != nil {
			pilot.PrintError(stderr, "gstplan", err)
			return exitData
		}
		label = *scenarioPath
	}
	// Flags given on the command line override the scenario.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["service"] {
		sc.Services = splitIDs[gst.ServiceID](*services)
	}
	if set["objective"] {
		sc.Objective = *objective
	}
	if set["standard"] {
		sc.StandardMinutes = *standard
	}
	if set["p"] {
		sc.P = *p
	}
	if set["changes"] {
		sc.MaxChanges = *changes
	}
	if set["max-travel"] {
		sc.MaxTravelMinutes = *maxTravel
	}
	if set["capacity"] {
		sc.Capacity = *capacity
	}
	if set["greenfield"] {
		sc.Greenfield = *greenfield
	}
	if set["sites"] {
		sc.Sites = *sites
	}
	if set["weights"] {
		sc.Weights = *weights
	}
	if set["keep"] {
		sc.Keep = splitIDs[gst.EstablishmentID](*keep)
	}
	if set["exclude"] {
		sc.Exclude = splitIDs[gst.EstablishmentID](*exclude)
	}
	if set["budget"] {
		sc.Budget = *budget
	}
	if set["travel-cost"] {
		sc.TravelCostMAD = *travelCost
	}
	if set["year"] {
		sc.Year = *year
	}
	if set["circuity"] {
		sc.Circuity = *circuity
	}
	if set["time-limit"] {
		sc.TimeLimit = *timeLimit
	}
	resolved, err := sc.Check(label)
	if err != nil {
		pilot.PrintError(stderr, "gstplan", err)
		if label == "flags" {
			return exitUsage
		}
		return exitData
	}

	var progress io.Writer
	if !*quiet {
		progress = stderr
	}
	start := time.Now()
	res, err := solve(context.Background(), *region, sc, resolved, *roads, progress)
	if err != nil {
		pilot.PrintError(stderr, "gstplan", err)
		return exitData
	}
	files, err := res.write(*out)
	if err != nil {
		pilot.PrintError(stderr, "gstplan", err)
		return exitData
	}
	res.summary(stdout, *out, files)
	if !*quiet {
		fmt.Fprintf(stderr, "gstplan: finished in %.1f s\n", time.Since(start).Seconds())
	}
	if res.Decision.Plan == nil {
		return exitData
	}
	return exitOK
}

// splitIDs splits a comma-separated list, dropping blanks.
func splitIDs[T ~string](s string) []T {
	var out []T
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, T(f))
		}
	}
	return out
}
