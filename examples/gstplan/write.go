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
	report, plan, geojson string
	pictures              []string
}

func (res *Result) write(dir string) (*files, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f := &files{report: "report.md", plan: "plan.json", geojson: "plan.geojson"}
	d := res.Decision
	m := pilot.TravelMap(res.After, res.Travel, res.Before, res.AfterAsg, d, title(res.Region, res.Scenario, &scenario.Plan{Services: d.Spec.Services, Objective: d.Spec.Objective}))
	m.Notes = notes(res)
	paths, err := figures.Save(dir, "map", m)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		f.pictures = append(f.pictures, filepath.Base(p))
	}
	svc := d.Spec.MapService
	w := make([]float64, len(res.After.Areas))
	for i, a := range res.After.Areas {
		w[i] = d.Spec.Demand.Volume(a.ID, svc)
	}
	std := res.Scenario.StandardMinutes
	if s, ok := res.After.Service(svc); ok && std == 0 {
		std = s.StandardMinutes
	}
	if std != 0 && !onBreak(std) {
		std = 0 // the chart marks a standard only on a class boundary
	}
	dist := &figures.Distribution{
		Title:    fmt.Sprintf("%s: travel to %s", orID(res.Region.Name, "region"), svc),
		Unit:     "demand",
		Weights:  w,
		Before:   pilot.AreaMinutes(res.After, res.Travel, res.Before, svc),
		After:    pilot.AreaMinutes(res.After, res.Travel, res.AfterAsg, svc),
		Standard: std,
		Note:     fmt.Sprintf("Share of the demand (%s) by one-way travel time to the site serving each area, today and with the plan. %s.", res.WeightsBasis, res.TravelSource.Short()),
	}
	ch, err := dist.Chart()
	if err != nil {
		return nil, err
	}
	if paths, err = figures.Save(dir, "travel", ch); err != nil {
		return nil, err
	}
	for _, p := range paths {
		f.pictures = append(f.pictures, filepath.Base(p))
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
	if err := put(f.geojson, d.Plan.WriteGeoJSON); err != nil {
		return nil, err
	}
	if err := put(f.report, func(w io.Writer) error { return res.report(w, f) }); err != nil {
		return nil, err
	}
	return f, nil
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

func (res *Result) report(w io.Writer, f *files) error {
	r, d, p := res.Region, res.Decision, res.Decision.Plan
	num, pct, dec := report.Int, report.Pct, report.Dec
	var doc report.Doc
	doc.H(1, "%s", d.Spec.Title)
	doc.P("Region: %s (`%s`), %d areas, %s people%s. Computed by `gstplan` (module github.com/gstplan/gst).",
		orID(r.Name, "unnamed"), res.RegionDir, len(r.Areas), num(res.Population), yearText(res.Year))
	doc.P("**Question.** %s", d.Spec.Question)
	opened, closed := refs(d.Opened), refs(d.Closed)
	doc.P("**Decision.** Open: %s. Close: %s. %d of %d eligible sites were open today; %d are open in the plan.", opened, closed, d.OpenToday, d.Eligible, d.OpenToday+p.Opened-p.Closed)
	doc.H(2, "The optimisation")
	sense := "lower"
	if p.Objective == allocate.MaxCoverage || p.Objective == allocate.BackupCoverage {
		sense = "upper"
	}
	doc.Table([]string{"", ""}, "ll", [][]string{
		{"objective", p.Objective.String()},
		{"demand weights", res.WeightsBasis},
		{"capacities", p.Capacity.String()},
		{"method", p.Method},
		{"status", "**" + p.Status.String() + "**"},
		{"value", dec(p.Value, 1)},
		{"proven " + sense + " bound", dec(p.Bound, 1)},
		{"gap", pct(p.Gap, 2)},
		{"value with today's sites", dec(p.BeforeValue, 1)},
		{"sites opened / closed", fmt.Sprintf("%d / %d (at most %s changes)", p.Opened, p.Closed, maxChanges(d.Spec.MaxChanges))},
		{"opening and closing costs", num(p.ChangeCost) + " MAD"},
	})
	for _, n := range append(append([]string(nil), res.Notes...), p.Notes...) {
		doc.P("*Note: %s*", strings.TrimSuffix(n, "."))
	}
	doc.H(2, "Travel today and with the plan")
	doc.P("One-way minutes from each area to the site serving it, weighted by each area's demand. Demand weights: %s.", res.WeightsBasis)
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
			row := []string{name, report.Arrow(dec(a.Before.Mean, 1), dec(a.After.Mean, 1)), report.Arrow(dec(a.Before.P90, 1), dec(a.After.P90, 1))}
			if std > 0 {
				row = append(row, report.Arrow(pct(a.Before.BeyondShare, 1), pct(a.After.BeyondShare, 1)))
			}
			row = append(row, report.Arrow(num(a.Before.Unserved), num(a.After.Unserved)))
			rows = append(rows, row)
		}
		doc.H(3, "%s", serviceNames(r, []gst.ServiceID{s}))
		head := []string{"group", "mean minutes", "90th percentile"}
		if std > 0 {
			head = append(head, fmt.Sprintf("beyond %s min", dec(std, 0)))
		}
		head = append(head, "demand not served")
		doc.Table(head, "lrrrr", rows)
	}
	for _, pic := range f.pictures {
		if strings.HasSuffix(pic, ".png") {
			doc.Image(strings.TrimSuffix(pic, ".png"), pic)
		}
	}
	doc.H(2, "Sites")
	var rows [][]string
	for _, s := range p.Sites {
		if s.Change == allocate.Stays || s.Change == allocate.StaysClosed {
			continue
		}
		ref := pilot.Ref(res.After, s.Site)
		rows = append(rows, []string{string(s.Site), ref.Label, ref.Province, s.Change.String(), num(s.Cost)})
	}
	if len(rows) == 0 {
		doc.P("The plan changes no site.")
	} else {
		doc.Table([]string{"site", "name", "province", "change", "cost (MAD)"}, "llllr", rows)
	}
	doc.P("Every site of the problem, with its state today and in the plan, is in `%s` and `%s`.", f.plan, f.geojson)
	doc.H(2, "Sources and licences")
	if len(res.Attribution) > 0 {
		doc.Bullets(res.Attribution...)
	} else {
		doc.P("The region files carry no attribution.")
	}
	_, err := doc.WriteTo(w)
	return err
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprintf(" (projected to %d)", y)
}

func maxChanges(k int) string {
	if k == 0 {
		return "any number of"
	}
	return fmt.Sprint(k)
}

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
	fmt.Fprintf(w, "%s: %d areas, %s people%s\n", orID(res.Region.Name, "region"), len(res.Region.Areas), report.Int(res.Population), yearText(res.Year))
	fmt.Fprintf(w, "%s: %s, value %s, bound %s, gap %s\n", p.Objective, p.Status, report.Dec(p.Value, 1), report.Dec(p.Bound, 1), report.Pct(p.Gap, 2))
	fmt.Fprintf(w, "open: %s\nclose: %s\n", refs(d.Opened), refs(d.Closed))
	for _, a := range res.Access {
		if a.Group != "region" {
			continue
		}
		fmt.Fprintf(w, "%s: mean %s → %s min, 90th percentile %s → %s min", a.Service, report.Dec(a.Before.Mean, 1), report.Dec(a.After.Mean, 1), report.Dec(a.Before.P90, 1), report.Dec(a.After.P90, 1))
		if a.Before.Standard > 0 && !math.IsNaN(a.Before.BeyondShare) {
			fmt.Fprintf(w, ", beyond %s min %s → %s", report.Dec(a.Before.Standard, 0), report.Pct(a.Before.BeyondShare, 1), report.Pct(a.After.BeyondShare, 1))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, res.TravelSource.Short())
	fmt.Fprintf(w, "report: %s\n", filepath.Join(dir, f.report))
}
