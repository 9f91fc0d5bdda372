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
//	-changes 2                     at most 2 sites opened plus closed (default
//	                               1; 0: none, today's sites; -1: no limit),
//	                               each only if it lowers the objective
//	-p 12                          an exact number of open sites instead
//	-new-at hospitals              where a service may open: candidates,
//	                               hospitals (existing ones without it) or
//	                               both (default: candidates if the region
//	                               has some for the service, else hospitals)
//	-time-limit 30s                time limit of the optimisation
//
// and -capacity, -max-travel, -greenfield, -sites, -weights, -keep,
// -exclude, -budget, -travel-cost, -horizon, -year, -circuity and
// -csv-locale (see -help).
//
// The report shows the best plan for 0, 1, …, N changes and what each
// costs, so a committee sees where the gains stop. Outputs: report.md,
// plan.json, the GeoJSON layers sites.geojson (points), areas.geojson
// (outlines or points, travel today and with the plan) and
// assignment.geojson (lines), a CSV file beside every table of the report
// (UTF-8 with a byte order mark; -csv-locale fr writes semicolons and
// decimal commas for French-locale spreadsheets), a map and a chart
// (-pictures=false leaves them out, for batch runs).
//
// Travel is estimated from straight-line distance unless -roads names an
// OpenStreetMap extract (.osm.pbf or .osm): then it is computed on its
// roads, cut to the region, and the report says how far each place lies
// from them.
//
// Bad data is reported one problem a line, each naming the file, line,
// column and field, and the program exits with status 1; implausible
// places (Region.Check) are warned about on stderr and in the report; bad
// flags exit with status 2. It never panics.
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
	"github.com/gstplan/gst/examples/internal/report"
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
	p := fs.Int("p", 0, "exact number of sites open in the plan (default: free, within -changes)")
	changes := fs.Int("changes", 1, "at most this many sites opened plus closed, each only if it lowers the objective (0: none; -1: no limit)")
	maxTravel := fs.Float64("max-travel", 0, "hard limit on every commune's travel, minutes (default none)")
	capacity := fs.String("capacity", "", "capacity rule: uncapacitated, split or single (default uncapacitated)")
	greenfield := fs.Bool("greenfield", false, "ignore the closable flags: any eligible site may open or close")
	sites := fs.String("sites", "", "eligible sites: public (public establishments and candidates; default) or all")
	newAt := fs.String("new-at", "", "where a service may open: candidates, hospitals (existing ones without it), both, or auto (default: candidates when the region has some for the service, else hospitals)")
	weights := fs.String("weights", "", "demand weights: pathway (trips a year, or cases a year with -capacity; default) or population (people)")
	keep := fs.String("keep", "", "sites that must be open, comma-separated")
	exclude := fs.String("exclude", "", "sites that must be closed, comma-separated")
	budget := fs.Float64("budget", 0, "bound on opening and closing costs, dirhams (default none)")
	travelCost := fs.Float64("travel-cost", 0, "fixed-charge: dirhams per weighted minute of travel a year, weighed against one-off opening costs over -horizon years")
	horizon := fs.Int("horizon", 0, "fixed-charge: years of travel weighed against the one-off opening and closing costs (default 1; a hospital lasts 20 to 30)")
	year := fs.Int("year", 0, "project the population to this year (default: the census year)")
	circuity := fs.Float64("circuity", 0, fmt.Sprintf("road-circuity factor of the travel estimate (default %v, as the pilots)", scenario.DefaultCircuity))
	csvLocale := fs.String("csv-locale", "en", "CSV tables: en (commas, decimal points) or fr (semicolons, decimal commas, for French-locale spreadsheets)")
	timeLimit := fs.String("time-limit", "", "time limit of the optimisation, for example 30s (default 60s)")
	roads := fs.String("roads", "", "OpenStreetMap extract (.osm.pbf or .osm) whose roads give the travel times (default: estimated from straight-line distance)")
	quiet := fs.Bool("q", false, "no progress lines on stderr")
	pictures := fs.Bool("pictures", true, "draw the map and the chart (false: tables and GeoJSON only, faster for batch runs)")
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
	override := map[string]func(){
		"service":     func() { sc.Services = splitIDs[gst.ServiceID](*services) },
		"objective":   func() { sc.Objective = *objective },
		"standard":    func() { sc.StandardMinutes = *standard },
		"p":           func() { sc.P = *p },
		"changes":     func() { sc.MaxChanges = changes },
		"max-travel":  func() { sc.MaxTravelMinutes = *maxTravel },
		"capacity":    func() { sc.Capacity = *capacity },
		"greenfield":  func() { sc.Greenfield = *greenfield },
		"sites":       func() { sc.Sites = *sites },
		"new-at":      func() { sc.NewAt = *newAt },
		"horizon":     func() { sc.HorizonYears = *horizon },
		"weights":     func() { sc.Weights = *weights },
		"keep":        func() { sc.Keep = splitIDs[gst.EstablishmentID](*keep) },
		"exclude":     func() { sc.Exclude = splitIDs[gst.EstablishmentID](*exclude) },
		"budget":      func() { sc.Budget = *budget },
		"travel-cost": func() { sc.TravelCostMAD = *travelCost },
		"year":        func() { sc.Year = *year },
		"circuity":    func() { sc.Circuity = *circuity },
		"time-limit":  func() { sc.TimeLimit = *timeLimit },
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) {
		set[f.Name] = true
		if fn, ok := override[f.Name]; ok {
			fn()
		}
	})
	// A problem with a value given on the command line names its flag.
	flagSet := func(field string) bool { return set[strings.TrimPrefix(scenario.FlagNames[field], "-")] }
	resolved, err := sc.CheckNamed(label, func(field string) string {
		if label == "flags" || flagSet(field) {
			return scenario.FlagNames[field]
		}
		return field
	})
	loc, lerr := report.ParseLocale(*csvLocale)
	if err != nil || lerr != nil {
		pilot.PrintError(stderr, "gstplan", errors.Join(err, lerr))
		if label == "flags" || lerr != nil {
			return exitUsage
		}
		return exitData
	}

	if resolved.Question != scenario.QuestionLocate {
		fmt.Fprintf(stderr, "gstplan: %s: question %q: gstplan answers the locate question only (the web planner, examples/planner, answers the others)\n", label, sc.Question)
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
	files, err := res.write(*out, loc, *pictures)
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
