package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/examples/internal/figures"
	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/examples/internal/report"
	"github.com/gstplan/gst/examples/internal/scenario"
)

// files lists the outputs, relative to the output folder.
type files struct {
	report, plan string
	geojson      []string
	csv          map[string]string // table → file
	pictures     []string
}

// The CSV files, one beside each table of the report.
const (
	csvOptimisation = "optimisation.csv"
	csvSweep        = "changes.csv"
	csvAccess       = "access.csv"
	csvSites        = "sites.csv"
	csvAreas        = "areas.csv"
	csvWarnings     = "warnings.csv"
)

func (res *Result) write(dir string, loc report.Locale, pictures bool) (*files, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f := &files{report: "report.md", plan: "plan.json", csv: map[string]string{}}
	if pictures {
		if err := res.pictures(dir, f); err != nil {
			return nil, err
		}
	}
	put := func(name string, fn func(io.Writer) error) error {
		var b bytes.Buffer
		if err := fn(&b); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644)
	}
	if err := put(f.plan, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}); err != nil {
		return nil, err
	}
	p := res.Decision.Plan
	for _, l := range []allocate.GeoLayer{allocate.GeoSites, allocate.GeoAreas, allocate.GeoAssignment} {
		name := l.String() + ".geojson"
		if err := put(name, func(w io.Writer) error { return p.WriteGeoJSON(w, l) }); err != nil {
			return nil, err
		}
		f.geojson = append(f.geojson, name)
	}
	for name, t := range res.tables() {
		if err := put(name, func(w io.Writer) error { return t.Write(w, loc) }); err != nil {
			return nil, err
		}
		f.csv[name] = name
	}
	if err := put(f.report, func(w io.Writer) error { return res.report(w, f) }); err != nil {
		return nil, err
	}
	return f, nil
}

// pictures draws the map and the chart of travel.
func (res *Result) pictures(dir string, f *files) error {
	d := res.Decision
	m := pilot.TravelMap(res.After, res.Travel, res.Before, res.AfterAsg, d, scenario.Title(res.Region, res.Scenario, &scenario.Plan{Services: d.Spec.Services, Objective: d.Spec.Objective}))
	m.Notes = notes(res)
	paths, err := figures.Save(dir, "map", m)
	if err != nil {
		return err
	}
	for _, p := range paths {
		f.pictures = append(f.pictures, filepath.Base(p))
	}
	svc := d.Spec.MapService
	w := make([]float64, len(res.After.Areas))
	for i, a := range res.After.Areas {
		w[i] = res.Demand.Volume(a.ID, svc)
	}
	std := res.Scenario.StandardMinutes
	if s, ok := res.After.Service(svc); ok && std == 0 {
		std = s.StandardMinutes
	}
	if std != 0 && !onBreak(std) {
		std = 0 // the chart marks a standard only on a class boundary
	}
	dist := &figures.Distribution{
		Title:    fmt.Sprintf("%s: travel to %s", scenario.OrID(res.Region.Name, "region"), svc),
		Unit:     "demand",
		Weights:  w,
		Before:   pilot.AreaMinutes(res.After, res.Travel, res.Before, svc),
		After:    pilot.AreaMinutes(res.After, res.Travel, res.AfterAsg, svc),
		Standard: std,
		Note:     fmt.Sprintf("Share of the demand (%s) by one-way travel time to the site serving each area, today and with the plan. %s.", res.WeightsBasis, res.TravelSource.Short()),
	}
	ch, err := dist.Chart()
	if err != nil {
		return err
	}
	if paths, err = figures.Save(dir, "travel", ch); err != nil {
		return err
	}
	for _, p := range paths {
		f.pictures = append(f.pictures, filepath.Base(p))
	}
	return nil
}

func onBreak(v float64) bool {
	for _, b := range figures.Breaks {
		if b == v {
			return true
		}
	}
	return false
}

func notes(res *Result) []string {
	tm := &figures.TravelMap{}
	for _, a := range res.Region.Areas {
		tm.Areas = append(tm.Areas, figures.MapArea{Lat: a.Lat, Lon: a.Lon, Boundary: a.Boundary})
	}
	out := []string{res.TravelSource.Method(), tm.AreaNote()}
	out = append(out, res.TravelSource.Warnings...)
	out = append(out, res.Attribution...)
	if len(res.Attribution) == 0 {
		out = append(out, "Data: see the region's sources and licences.")
	}
	return out
}

// objectiveUnit names the unit of the objective and of a unit saved.
func objectiveUnit(o allocate.Objective) (value, saved string, scale float64) {
	switch o {
	case allocate.PMedian:
		return "weighted minutes of travel a year", "hour of travel saved a year", 60
	case allocate.PCenter:
		return "minutes (the longest trip)", "minute off the longest trip", 1
	case allocate.WeightedPCenter:
		return "weighted minutes (the largest)", "weighted minute off the largest trip", 1
	case allocate.SetCovering:
		return "sites", "site fewer", 1
	case allocate.MaxCoverage:
		return "weighted demand within the standard", "unit of demand newly within the standard", 1
	case allocate.BackupCoverage:
		return "weighted demand covered twice", "unit of demand newly covered twice", 1
	}
	return "dirhams (sites and travel)", "dirham saved", 1
}

// todayValue says what the objective is with today's sites, and whether
// it compares with the plan's.
func todayValue(p *allocate.Plan) string {
	switch {
	case p.BeforeServed == 0:
		return "not served: no site is open today"
	case p.BeforeServed < 1-1e-9:
		return fmt.Sprintf("%s, for the %s of the demand today's sites serve (not comparable with the plan)", report.Dec(p.BeforeValue, 1), report.Pct(p.BeforeServed, 1))
	}
	return report.Dec(p.BeforeValue, 1)
}

// stat formats a figure of travel, "not served" when nothing is.
func stat(s pilot.Stats, v float64, pct bool) string {
	if !s.Served() {
		return "not served"
	}
	if pct {
		return report.Pct(v, 1)
	}
	return report.Dec(v, 1)
}

func (res *Result) report(w io.Writer, f *files) error {
	r, d, p := res.Region, res.Decision, res.Decision.Plan
	num, dec := report.Int, report.Dec
	var doc report.Doc
	doc.H(1, "%s", d.Spec.Title)
	doc.P("Region: %s (`%s`), %d areas, %s people%s. Computed by `gstplan` (module github.com/gstplan/gst).",
		scenario.OrID(r.Name, "unnamed"), res.RegionDir, len(r.Areas), num(res.Population), yearText(res.Year))
	if len(res.Warnings) > 0 {
		var items []string
		for i, wn := range res.Warnings {
			if i == 10 {
				items = append(items, fmt.Sprintf("… and %d more (all in [`%s`](%s))", len(res.Warnings)-i, csvWarnings, csvWarnings))
				break
			}
			items = append(items, "`"+wn.String()+"`")
		}
		doc.P("> **Check the data first.** %d places of the region look wrong (gst.Region.Check); the plan below is computed from them as they are:", len(res.Warnings))
		doc.Bullets(items...)
	}
	doc.P("**Question.** %s", d.Spec.Question)
	doc.P("**Decision.** Open: %s. Close: %s. %d of %d eligible sites were open today; %d are open in the plan.", refs(d.Opened), refs(d.Closed), d.OpenToday, d.Eligible, d.OpenToday+p.Opened-p.Closed)
	doc.P("**Eligible sites.** %s", strings.Join(res.Eligibility, " "))
	doc.H(2, "The optimisation")
	sense := "lower"
	if p.Objective == allocate.MaxCoverage || p.Objective == allocate.BackupCoverage {
		sense = "upper"
	}
	unit, _, _ := objectiveUnit(p.Objective)
	var rows [][]string
	for _, row := range res.optimisation() {
		rows = append(rows, []string{row[0].(string), row[2].(string)})
	}
	doc.Table([]string{"", ""}, "ll", rows)
	doc.P("*Objective in %s; the %s bound is proven: no plan under these rules does better. Table: [`%s`](%s).*", unit, sense, csvOptimisation, csvOptimisation)
	for _, n := range append(append([]string(nil), res.Notes...), p.Notes...) {
		doc.P("*Note: %s*", strings.TrimSuffix(n, "."))
	}
	if p.Objective == allocate.FixedCharge {
		doc.P("*Fixed charge weighs one-off opening and closing costs against %d year(s) of travel at %s MAD per weighted minute a year (`-horizon`, `-travel-cost`); a hospital lasts 20 to 30 years, so one year of travel undervalues it.*",
			res.horizon(), dec(res.Scenario.TravelCostMAD, 2))
	}
	res.writeSweep(&doc)
	doc.H(2, "Travel today and with the plan")
	doc.P("One-way minutes from each area to the site serving it, weighted by each area's demand: %s. Today: the sites open today%s. Table: [`%s`](%s).",
		res.WeightsBasis, todayRule(p), csvAccess, csvAccess)
	doc.P("%s", res.TravelSource.Method())
	if len(res.TravelSource.Warnings) > 0 {
		doc.P("Implausible snaps (check these places' coordinates, or whether the extract covers their roads):")
		doc.Bullets(res.TravelSource.Warnings...)
	}
	for _, s := range d.Spec.Services {
		var rows [][]string
		std := 0.0
		for _, a := range res.Access {
			if a.Service != s {
				continue
			}
			std = a.Before.Standard
			name := a.GroupName
			if a.Group == "region" || a.Group == "most-deprived" {
				name = "**" + name + "**"
			}
			row := []string{name, report.Arrow(stat(a.Before, a.Before.Mean, false), stat(a.After, a.After.Mean, false)),
				report.Arrow(stat(a.Before, a.Before.P90, false), stat(a.After, a.After.P90, false))}
			if std > 0 {
				row = append(row, report.Arrow(stat(a.Before, a.Before.BeyondShare, true), stat(a.After, a.After.BeyondShare, true)))
			}
			row = append(row, report.Arrow(num(a.Before.Unserved), num(a.After.Unserved)))
			rows = append(rows, row)
		}
		doc.H(3, "%s", scenario.ServiceNames(r, []gst.ServiceID{s}))
		head := []string{"group", "mean minutes", "90th percentile"}
		if std > 0 {
			head = append(head, fmt.Sprintf("beyond %s min", dec(std, 0)))
		}
		head = append(head, "demand not served")
		doc.Table(head, "lrrrr", rows)
	}
	doc.P("*The mean counts every trip; the 90th percentile is the time within which 90%% of the demand travels. A mean above the 90th percentile is no error: it says a tenth of the demand travels far longer than the rest. Most-deprived 20%%: the people of the communes with the highest deprivation index, exactly a fifth of the people with a score (the commune at the boundary counted in part).*")
	for _, pic := range f.pictures {
		if strings.HasSuffix(pic, ".png") {
			doc.Image(strings.TrimSuffix(pic, ".png"), pic)
		}
	}
	doc.H(2, "Sites")
	rows = nil
	for _, s := range p.Sites {
		if s.Change == allocate.Stays || s.Change == allocate.StaysClosed {
			continue
		}
		ref := pilot.Ref(res.After, s.Site)
		rows = append(rows, []string{"`" + string(s.Site) + "`", ref.Label, ref.Commune, ref.Province, s.Change.String(), num(s.Cost)})
	}
	if len(rows) == 0 {
		doc.P("The plan changes no site.")
	} else {
		doc.Table([]string{"site", "name", "commune", "province", "change", "cost (MAD)"}, "lllllr", rows)
	}
	doc.P("Every site of the problem, with its state today and in the plan: [`%s`](%s); every area with its travel today and with the plan: [`%s`](%s).", csvSites, csvSites, csvAreas, csvAreas)
	res.writeFiles(&doc, f)
	doc.H(2, "Sources and licences")
	if len(res.Attribution) > 0 {
		doc.Bullets(res.Attribution...)
	} else {
		doc.P("The region files carry no attribution.")
	}
	_, err := doc.WriteTo(w)
	return err
}

// todayRule says how today's sites serve the demand.
func todayRule(p *allocate.Plan) string {
	if p.Capacity != allocate.Uncapacitated {
		return ", within their capacities (as the plan's are), demand beyond them not served"
	}
	return ", each area at its nearest"
}

func (res *Result) horizon() int {
	if res.Scenario.HorizonYears > 0 {
		return res.Scenario.HorizonYears
	}
	return 1
}

// writeSweep writes the diminishing returns: the best plan for each limit
// on changes, what it costs and what each step gains.
func (res *Result) writeSweep(doc *report.Doc) {
	if len(res.Sweep) < 2 {
		return
	}
	p := res.Decision.Plan
	unit, saved, scale := objectiveUnit(p.Objective)
	capacitated := p.Capacity != allocate.Uncapacitated
	doc.H(2, "How many changes?")
	doc.P("The same question answered with at most 0, 1, 2, … changes: where the gains stop, and what each step costs. A change is made only when it improves the objective, so a step may make fewer changes than it allows. Value in %s. Table: [`%s`](%s).", unit, csvSweep, csvSweep)
	var rows [][]string
	gains := []float64{}
	for i, s := range res.Sweep {
		if s.Err != "" {
			rows = append(rows, []string{fmt.Sprint(s.MaxChanges), "no plan: " + s.Err, "", "", "", "", ""})
			continue
		}
		sp := s.Plan
		what := "today's sites"
		var parts []string
		if len(s.Opened) > 0 {
			parts = append(parts, "open "+refs(s.Opened))
		}
		if len(s.Closed) > 0 {
			parts = append(parts, "close "+refs(s.Closed))
		}
		if len(parts) > 0 {
			what = strings.Join(parts, "; ")
		}
		gain, per := "", ""
		if i > 0 && res.Sweep[i-1].Plan != nil {
			prev := res.Sweep[i-1].Plan
			g := sp.Value - prev.Value
			if p.Objective != allocate.MaxCoverage && p.Objective != allocate.BackupCoverage {
				g = -g
			}
			more := served(sp) - served(prev)
			switch {
			case more > 1e-6*math.Max(1, served(prev)):
				// The value counts the demand served: a step that serves
				// more is not comparable by its value.
				gain = "serves " + report.Int(more) + " more"
				gains = nil
			default:
				gain = report.Dec(g/scale, 1)
				gains = append(gains, g)
				if dc := sp.ChangeCost - prev.ChangeCost; g > 1e-9 && p.Objective != allocate.FixedCharge {
					per = report.Int(dc / (g / scale))
				}
			}
		}
		row := []string{fmt.Sprint(s.MaxChanges), what, report.Int(sp.ChangeCost), report.Dec(sp.Value, 1)}
		if capacitated {
			row = append(row, report.Int(total(sp)-served(sp)))
		}
		rows = append(rows, append(row, gain, per, sp.Status.String()))
	}
	head := []string{"changes allowed", "best plan", "opening and closing cost (MAD)", "value"}
	if capacitated {
		head = append(head, "demand not served")
	}
	head = append(head, fmt.Sprintf("gain on the row above (%s)", strings.TrimSuffix(strings.TrimPrefix(saved, "hour of "), " saved a year")+unitScale(scale)),
		"MAD per "+saved, "status")
	doc.Table(head, "rl"+strings.Repeat("r", len(head)-3)+"l", rows)
	down := len(gains) > 1
	for i := 1; i < len(gains); i++ {
		down = down && gains[i] <= gains[i-1]+1e-9
	}
	if down {
		doc.P("*Each step gains no more than the one before: the first changes do the most.*")
	}
}

// served and total return the demand volume a plan serves, and all of it.
func served(p *allocate.Plan) float64 {
	v := 0.0
	for _, f := range p.After {
		v += f.Served
	}
	return v
}

func total(p *allocate.Plan) float64 {
	v := 0.0
	for _, f := range p.After {
		v += f.Demand
	}
	return v
}

func unitScale(scale float64) string {
	if scale == 60 {
		return ", hours a year"
	}
	return ""
}

// writeFiles lists the outputs.
func (res *Result) writeFiles(doc *report.Doc, f *files) {
	doc.H(2, "Files")
	items := []string{
		fmt.Sprintf("[`%s`](%s): the plan and every figure as JSON.", f.plan, f.plan),
		"[`sites.geojson`](sites.geojson), [`areas.geojson`](areas.geojson), [`assignment.geojson`](assignment.geojson): GeoJSON layers for a GIS (RFC 7946), one geometry type each with flat properties: the sites (points), the areas (outlines where the region has them, else points) with their travel today and with the plan, and the lines from each area to the site serving it.",
		"CSV tables (UTF-8 with a byte order mark, units in the headers; `-csv-locale fr` writes semicolons and decimal commas for French-locale spreadsheets): " + res.csvList(f) + ".",
	}
	for _, p := range f.pictures {
		items = append(items, fmt.Sprintf("[`%s`](%s)", p, p))
	}
	doc.Bullets(items...)
}

func (res *Result) csvList(f *files) string {
	var out []string
	for _, n := range []string{csvOptimisation, csvSweep, csvAccess, csvSites, csvAreas, csvWarnings} {
		if _, ok := f.csv[n]; ok {
			out = append(out, fmt.Sprintf("[`%s`](%s)", n, n))
		}
	}
	return strings.Join(out, ", ")
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprintf(" (projected to %d)", y)
}

func maxChanges(k int) string {
	switch {
	case k == allocate.NoChanges:
		return "no"
	case k == 0:
		return "any number of"
	}
	return fmt.Sprint(k)
}

// refs names sites by name (in any script), commune and code.
func refs(rs []pilot.SiteRef) string {
	if len(rs) == 0 {
		return "none"
	}
	var out []string
	for _, r := range rs {
		s := r.Label
		if r.Commune != "" && !strings.Contains(s, r.Commune) {
			s += " (" + r.Commune + ")"
		}
		out = append(out, s+" `"+string(r.ID)+"`")
	}
	return strings.Join(out, "; ")
}

func (res *Result) summary(w io.Writer, dir string, f *files) {
	d, p := res.Decision, res.Decision.Plan
	fmt.Fprintf(w, "%s: %d areas, %s people%s\n", scenario.OrID(res.Region.Name, "region"), len(res.Region.Areas), report.Int(res.Population), yearText(res.Year))
	if len(res.Warnings) > 0 {
		fmt.Fprintf(w, "warning: %d places of the region look wrong (see the report)\n", len(res.Warnings))
	}
	fmt.Fprintf(w, "%s: %s, value %s, bound %s, gap %s\n", p.Objective, p.Status, report.Dec(p.Value, 1), report.Dec(p.Bound, 1), report.Pct(p.Gap, 2))
	fmt.Fprintf(w, "open: %s\nclose: %s\n", refs(d.Opened), refs(d.Closed))
	for _, a := range res.Access {
		if a.Group != "region" {
			continue
		}
		fmt.Fprintf(w, "%s: mean %s → %s min, 90th percentile %s → %s min", a.Service, stat(a.Before, a.Before.Mean, false), stat(a.After, a.After.Mean, false),
			stat(a.Before, a.Before.P90, false), stat(a.After, a.After.P90, false))
		if a.Before.Standard > 0 && !math.IsNaN(a.After.BeyondShare) {
			fmt.Fprintf(w, ", beyond %s min %s → %s", report.Dec(a.Before.Standard, 0), stat(a.Before, a.Before.BeyondShare, true), stat(a.After, a.After.BeyondShare, true))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, res.TravelSource.Short())
	fmt.Fprintf(w, "report: %s\n", filepath.Join(dir, f.report))
}
