package pilot

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

	"github.com/gstplan/gst/pathway"
)

// Main runs a pilot program: it parses the flags, runs the pipeline on the
// region, prints the summary on stdout and progress on stderr, writes the
// output folder, and returns the exit code (0 success, 1 failure, 2 bad
// usage). name is the program's name and its default region directory is
// examples/data/<dataName>.
func Main(name, dataName string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	region := fs.String("region", "", "region directory (default: examples/data/"+dataName+", looked for from the current directory upwards)")
	out := fs.String("out", filepath.Join("out", name), "output folder")
	short := fs.Bool("short", false, "short run for tests and CI: no re-solves to price each site decision")
	year := fs.Int("year", 2030, "year the demand is projected to")
	mat := fs.Int("maternity-changes", 2, "most candidate proximity hospitals to open")
	dia := fs.Int("dialysis-changes", 2, "most new dialysis units")
	limit := fs.Duration("time-limit", 0, "time limit of each optimisation (default 30s, 10s with -short)")
	quiet := fs.Bool("q", false, "no progress lines on stderr")
	roads := fs.String("roads", "", "OpenStreetMap extract (.osm.pbf or .osm) whose roads give the travel times (default: estimated from straight-line distance)")
	docs := fs.String("docs", "", "also write the README assets into this folder: the maternity map (PNG) and a summary of the figures (Markdown)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./examples/%s [flags]\n\nRuns the planning pipeline of the %s pilot region: demand, staff and beds, staff pooling, relocation, pathways before and after.\n\nFlags:\n", name, dataName)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected arguments: %s\n", name, strings.Join(fs.Args(), " "))
		return 2
	}
	if *mat < 1 || *dia < 1 || *limit < 0 {
		fmt.Fprintf(stderr, "%s: -maternity-changes and -dialysis-changes must be at least 1 and -time-limit not negative\n", name)
		return 2
	}
	dir := *region
	if dir == "" {
		dir = FindData(dataName)
	}
	cfg := Config{Program: name, RegionDir: dir, Short: *short, TargetYear: *year, MaternityChanges: *mat, DialysisChanges: *dia, TimeLimit: *limit, Roads: *roads}
	if !*quiet {
		cfg.Progress = stderr
	}
	start := time.Now()
	res, err := Run(context.Background(), cfg)
	if err != nil {
		PrintError(stderr, name, err)
		return 1
	}
	files, err := res.WriteOutputs(*out)
	if err != nil {
		PrintError(stderr, name, err)
		return 1
	}
	if *docs != "" {
		if err := res.WriteDocs(*docs, *out, name); err != nil {
			PrintError(stderr, name, err)
			return 1
		}
	}
	res.Summary(stdout, *out, files)
	if !*quiet {
		fmt.Fprintf(stderr, "%s: finished in %.1f s\n", name, time.Since(start).Seconds())
	}
	return 0
}

// WriteDocs copies the maternity map of the output folder out into dir as
// <name>-maternity-map.png and writes <name>-summary.md, a table of the key
// figures for the project's README.
func (res *Result) WriteDocs(dir, out, name string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, d := range res.Decisions {
		if d.Spec.ID == "maternity" && d.Plan != nil {
			b, err := os.ReadFile(filepath.Join(out, "map-maternity.png"))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, name+"-maternity-map.png"), b, 0o644); err != nil {
				return err
			}
		}
	}
	var b strings.Builder
	res.ReadmeSummary(&b, name)
	return os.WriteFile(filepath.Join(dir, name+"-summary.md"), []byte(b.String()), 0o644)
}

// ReadmeSummary writes the key figures of the run as Markdown.
func (res *Result) ReadmeSummary(w io.Writer, name string) {
	r := res.Region
	fmt.Fprintf(w, "Figures of `go run ./examples/%s` (%s, %d: %s people projected from the %d census; establishments, capacities and staff are synthetic, see `examples/data/README.md`):\n\n",
		name, r.Name, res.Year, num(res.Population), res.BaseYear)
	fmt.Fprintf(w, "| figure | today | with the plan |\n|---|---:|---:|\n")
	row := func(label, a, b string) { fmt.Fprintf(w, "| %s | %s | %s |\n", label, a, b) }
	for _, st := range []struct {
		p     pathway.PathwayID
		s     pathway.StepID
		label string
	}{{pathway.Maternal, "caesarean", "caesarean section"}, {pathway.Dialysis, "haemodialysis", "haemodialysis"}} {
		a, ok := res.AccessFor(st.p, st.s, "region")
		if !ok {
			continue
		}
		row(st.label+": mean one-way travel", dec(a.Before.Mean, 1)+" min", dec(a.After.Mean, 1)+" min")
		row(st.label+": 90th percentile", dec(a.Before.P90, 1)+" min", dec(a.After.P90, 1)+" min")
		if a.Before.Standard > 0 {
			row(fmt.Sprintf("%s: beyond the %s-minute standard", st.label, dec(a.Before.Standard, 0)), pct(a.Before.BeyondShare, 1), pct(a.After.BeyondShare, 1))
		}
		if d, ok := res.AccessFor(st.p, st.s, "most-deprived"); ok {
			row(st.label+": mean travel of the most-deprived 20%", dec(d.Before.Mean, 1)+" min", dec(d.After.Mean, 1)+" min")
		}
	}
	if res.Pooling.Available {
		p := res.Pooling.Plan
		row("unmet staff need (WISN, FTE), pooling", num(p.Before.Unmet), num(p.After.Unmet))
	}
	c := res.Comparison
	row("travel along all patient pathways (hours a year)", hours(c.Total.Before.TravelMinutes), hours(c.Total.After.TravelMinutes))
	fmt.Fprintln(w)
	var ds []string
	for _, d := range res.Decisions {
		if d.Plan == nil {
			continue
		}
		ds = append(ds, fmt.Sprintf("%s: open %s (%s, %s, gap %s)", strings.ToLower(d.Spec.Title[:1])+d.Spec.Title[1:], joinIDs(d.Opened), d.Plan.Objective, d.Plan.Status, pct(d.Plan.Gap, 1)))
	}
	if res.Pooling.Available {
		ds = append(ds, "staff pooling: "+res.poolingHeadline())
	}
	fmt.Fprintf(w, "Decisions: %s.\n", strings.Join(ds, "; "))
}

// FindData returns examples/data/<name>, looked for from the current
// directory upwards (so the programs run from the repository root or from
// their own directory), or the relative path when it is nowhere.
func FindData(name string) string {
	rel := filepath.Join("examples", "data", name)
	dir, err := os.Getwd()
	if err != nil {
		return rel
	}
	for i := 0; i < 6; i++ {
		p := filepath.Join(dir, rel)
		if st, err := os.Stat(filepath.Join(p, "areas.csv")); err == nil && !st.IsDir() {
			if r, err := filepath.Rel(mustGetwd(), p); err == nil {
				return r
			}
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return rel
}

func mustGetwd() string {
	d, _ := os.Getwd()
	return d
}

// MaxErrorLines is how many problems PrintError lists before it counts the
// rest: a broken header or a wrong ID can make every later row of other
// files fail too, and the first problems are the ones to fix.
const MaxErrorLines = 40

// PrintError prints an error one problem a line: a joined error (every
// problem of a file, as the readers report them) gives one line each, up
// to MaxErrorLines.
func PrintError(w io.Writer, prog string, err error) {
	lines := ErrorLines(err)
	for i, line := range lines {
		if i == MaxErrorLines && len(lines) > MaxErrorLines+1 {
			fmt.Fprintf(w, "%s: … and %d more problems not listed (fix the first ones: later ones often follow from them)\n", prog, len(lines)-i)
			break
		}
		fmt.Fprintf(w, "%s: %s\n", prog, line)
	}
}

// ErrorLines flattens joined errors into one line each.
func ErrorLines(err error) []string {
	if err == nil {
		return nil
	}
	type multi interface{ Unwrap() []error }
	if m, ok := err.(multi); ok {
		var out []string
		for _, e := range m.Unwrap() {
			out = append(out, ErrorLines(e)...)
		}
		return out
	}
	var out []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// Summary prints a dozen lines of figures.
func (res *Result) Summary(w io.Writer, dir string, f *Files) {
	r := res.Region
	fmt.Fprintf(w, "%s, %d: %s people (%s at the %d census), %d communes, %d provinces\n", r.Name, res.Year, num(res.Population), num(res.BasePopulation), res.BaseYear, len(r.Areas), len(r.Provinces))
	fmt.Fprintf(w, "Demand %d: %s births, %s caesareans, %s consultations, %s emergency visits, %s dialysis sessions\n", res.Year,
		num(res.total("delivery")), num(res.total("caesarean")), num(res.total("consultation")), num(res.total("emergency")), num(res.total("dialysis")))
	var parts []string
	for _, g := range res.RegionGaps {
		if g.Ratio != nil {
			parts = append(parts, fmt.Sprintf("%s %s/%s", g.Category, num(g.Available), num(g.Need)))
		}
	}
	fmt.Fprintf(w, "Staff on roll/need (WISN, FTE): %s\n", strings.Join(parts, ", "))
	fmt.Fprintf(w, "Beds: %s needed, %s public beds\n", num(res.BedRegion.Need), num(res.BedRegion.Available))
	fmt.Fprintf(w, "Staff pooling: %s\n", res.poolingHeadline())
	for _, d := range res.Decisions {
		if d.Plan == nil {
			fmt.Fprintf(w, "%s: no plan: %s\n", d.Spec.Title, d.Err)
			continue
		}
		fmt.Fprintf(w, "%s: open %s (%s, %s, bound %s, gap %s)\n", d.Spec.Title, joinIDs(d.Opened), d.Plan.Objective, d.Plan.Status, num(d.Plan.Bound), pct(d.Plan.Gap, 1))
		if a, ok := res.Headline(d); ok {
			fmt.Fprintf(w, "  %s: mean %s → %s min, 90th percentile %s → %s min", strings.ToLower(shortName(res.serviceName(a.Service))),
				dec(a.Before.Mean, 1), dec(a.After.Mean, 1), dec(a.Before.P90, 1), dec(a.After.P90, 1))
			if a.Before.Standard > 0 {
				fmt.Fprintf(w, ", beyond %s min %s → %s", dec(a.Before.Standard, 0), pct(a.Before.BeyondShare, 1), pct(a.After.BeyondShare, 1))
			}
			fmt.Fprintln(w)
		}
	}
	var dep []string
	for _, st := range []struct {
		p pathway.PathwayID
		s pathway.StepID
	}{{pathway.Maternal, "caesarean"}, {pathway.Dialysis, "haemodialysis"}} {
		if a, ok := res.AccessFor(st.p, st.s, "most-deprived"); ok {
			dep = append(dep, fmt.Sprintf("%s mean %s → %s min", st.s, dec(a.Before.Mean, 1), dec(a.After.Mean, 1)))
		}
	}
	fmt.Fprintf(w, "Most-deprived 20%%: %s\n", strings.Join(dep, "; "))
	if res.Programme.Available {
		fmt.Fprintf(w, "Phased programme 2026–2035: %s\n", res.programmeFacts(false))
	}
	c := res.Comparison
	fmt.Fprintf(w, "All pathways: %s → %s hours of travel a year (%s)\n", hours(c.Total.Before.TravelMinutes), hours(c.Total.After.TravelMinutes),
		pct(c.Total.Delta.TravelMinutes/c.Total.Before.TravelMinutes, 1))
	fmt.Fprintln(w, res.TravelSource.Short())
	fmt.Fprintf(w, "Report: %s (with %s, %s, %s, %s, %d CSV tables, %d maps and %d charts as SVG and PNG)\n", filepath.Join(dir, f.Report), f.Plan, f.Sites, f.Areas, f.Assignment, len(f.Tables), len(f.Maps)/2, len(f.Charts)/2)
}
