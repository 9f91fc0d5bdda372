package main

import (
	"fmt"
	"math"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/examples/internal/report"
)

// tables returns the CSV file beside each table of the report, by name.
func (res *Result) tables() map[string]*report.CSV {
	out := map[string]*report.CSV{
		csvOptimisation: res.optimisationCSV(),
		csvAccess:       res.accessCSV(),
		csvSites:        res.sitesCSV(),
		csvAreas:        res.areasCSV(),
	}
	if len(res.Sweep) > 1 {
		out[csvSweep] = res.sweepCSV()
	}
	if len(res.Warnings) > 0 {
		t := &report.CSV{Header: []string{"file", "line", "column", "record", "field", "kind", "message"}}
		for _, w := range res.Warnings {
			t.Add(w.File, w.Line, w.Column, w.Where, w.Field, w.Kind.String(), w.Message)
		}
		out[csvWarnings] = t
	}
	return out
}

// optimisation returns the rows of the optimisation table: the label, the
// value for the CSV (a number or a string) and the text of the report.
func (res *Result) optimisation() [][3]any {
	p := res.Decision.Plan
	num, pct, dec := report.Int, report.Pct, report.Dec
	sense := "lower"
	if p.Objective == allocate.MaxCoverage || p.Objective == allocate.BackupCoverage {
		sense = "upper"
	}
	today := any(report.Round(p.BeforeValue, 1))
	if p.BeforeServed < 1-1e-9 {
		today = todayValue(p)
	}
	return [][3]any{
		{"objective", p.Objective.String(), p.Objective.String()},
		{"demand weights", res.WeightsBasis, res.WeightsBasis},
		{"capacities", p.Capacity.String(), p.Capacity.String()},
		{"method", p.Method, p.Method},
		{"status", p.Status.String(), "**" + p.Status.String() + "**"},
		{"value", report.Round(p.Value, 1), dec(p.Value, 1)},
		{"proven " + sense + " bound", report.Round(p.Bound, 1), dec(p.Bound, 1)},
		{"gap (%)", report.Round(100*p.Gap, 4), pct(p.Gap, 2)},
		{"value with today's sites", today, todayValue(p)},
		{"share of the demand today's sites serve (%)", report.Round(100*p.BeforeServed, 2), pct(p.BeforeServed, 1)},
		{"sites opened", p.Opened, fmt.Sprint(p.Opened)},
		{"sites closed", p.Closed, fmt.Sprint(p.Closed)},
		{"changes allowed", maxChanges(res.Decision.Spec.MaxChanges), "at most " + maxChanges(res.Decision.Spec.MaxChanges) + " (a change only where it lowers the objective)"},
		{"changes the solver made that saved nothing, undone", p.Model.Undone, fmt.Sprint(p.Model.Undone)},
		{"opening and closing costs (MAD)", report.Round(p.ChangeCost, 0), num(p.ChangeCost) + " MAD"},
	}
}

func (res *Result) optimisationCSV() *report.CSV {
	t := &report.CSV{Header: []string{"figure", "value"}}
	for _, r := range res.optimisation() {
		t.Add(r[0], r[1])
	}
	return t
}

func (res *Result) sweepCSV() *report.CSV {
	p := res.Decision.Plan
	unit, _, _ := objectiveUnit(p.Objective)
	t := &report.CSV{Header: []string{"changes allowed", "changes made", "opened", "closed", "opening and closing cost (MAD)",
		"value (" + unit + ")", "bound", "gap (%)", "demand served", "demand not served", "status", "error"}}
	for _, s := range res.Sweep {
		if s.Err != "" {
			t.Add(s.MaxChanges, nil, "", "", math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), "", s.Err)
			continue
		}
		sp := s.Plan
		t.Add(s.MaxChanges, sp.Changes, siteIDs(s.Opened), siteIDs(s.Closed), report.Round(sp.ChangeCost, 0),
			report.Round(sp.Value, 1), report.Round(sp.Bound, 1), report.Round(100*sp.Gap, 4), report.Round(served(sp), 2),
			report.Round(total(sp)-served(sp), 2), sp.Status.String(), "")
	}
	return t
}

func siteIDs(rs []pilot.SiteRef) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += " "
		}
		s += string(r.ID)
	}
	return s
}

func (res *Result) accessCSV() *report.CSV {
	t := &report.CSV{Header: []string{"service", "service name", "group", "group name", "demand", "standard (min)",
		"mean travel today (min)", "90th percentile today (min)", "beyond the standard today (%)", "demand not served today",
		"mean travel with the plan (min)", "90th percentile with the plan (min)", "beyond the standard with the plan (%)", "demand not served with the plan"}}
	for _, a := range res.Access {
		t.Add(string(a.Service), a.Name, a.Group, a.GroupName, report.Round(a.Before.Weight, 2), a.Before.Standard,
			report.Round(a.Before.Mean, 1), report.Round(a.Before.P90, 1), report.Round(100*a.Before.BeyondShare, 2), report.Round(a.Before.Unserved, 2),
			report.Round(a.After.Mean, 1), report.Round(a.After.P90, 1), report.Round(100*a.After.BeyondShare, 2), report.Round(a.After.Unserved, 2))
	}
	return t
}

func (res *Result) sitesCSV() *report.CSV {
	t := &report.CSV{Header: []string{"site", "name", "level", "commune", "province", "candidate", "open today", "open in the plan",
		"change", "rule", "cost (MAD)", "services"}}
	for _, s := range res.Decision.Plan.Sites {
		ref := pilot.Ref(res.Region, s.Site)
		svcs := ""
		for i, id := range s.Services {
			if i > 0 {
				svcs += " "
			}
			svcs += string(id)
		}
		t.Add(string(s.Site), ref.Label, ref.Level.String(), ref.Commune, ref.Province, s.Candidate, s.Today, s.Open, s.Change.String(), s.Rule,
			report.Round(s.Cost, 0), svcs)
	}
	return t
}

func (res *Result) areasCSV() *report.CSV {
	r := res.After
	t := &report.CSV{Header: []string{"area", "name", "province", "population (people)", "service", "demand",
		"site today", "minutes today", "site with the plan", "minutes with the plan"}}
	for _, s := range res.Decision.Spec.Services {
		tb := pilot.AreaMinutes(r, res.Travel, res.Before, s)
		ta := pilot.AreaMinutes(r, res.Travel, res.AfterAsg, s)
		for i, a := range r.Areas {
			v := res.Demand.Volume(a.ID, s)
			if v <= 0 {
				continue
			}
			t.Add(string(a.ID), a.Name, provinceName(r, a.Province), report.Round(a.Population, 0), string(s), report.Round(v, 2),
				mainSite(res.Before, a.ID, s), report.Round(tb[i], 1), mainSite(res.AfterAsg, a.ID, s), report.Round(ta[i], 1))
		}
	}
	return t
}

// mainSite returns the site that serves the largest share of an area's
// demand for a service ("" when none).
func mainSite(asg *gst.Assignment, a gst.AreaID, s gst.ServiceID) string {
	best, share := "", 0.0
	for _, al := range asg.For(a, s) {
		if al.Share > share {
			best, share = string(al.Establishment), al.Share
		}
	}
	return best
}

func provinceName(r *gst.Region, id gst.ProvinceID) string {
	if p, ok := r.Province(id); ok && p.Name != "" {
		return p.Name
	}
	return string(id)
}
