package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strings"
	"text/template"

	"github.com/gstplan/gst"
)

//go:embed readme.md.tmpl
var readmeTemplate string

// renderREADME renders the README of the output directory: sources,
// licences, rules and the sanity figures of each region.
func renderREADME(figs []*figures, ds []osmDecision, dep *deprivationResult, in *input) ([]byte, error) {
	funcs := template.FuncMap{
		"n":   itoa,
		"pct": func(v float64) string { return fmt.Sprintf("%.1f%%", v*100) },
		"f2":  func(v float64) string { return fmt.Sprintf("%.2f", v) },
		"f3":  func(v float64) string { return fmt.Sprintf("%.3f", v) },
		"eq":  func(a, b float64) bool { return a == b },
		"sub": func(a, b float64) float64 { return a - b },
	}
	t, err := template.New("README").Funcs(funcs).Parse(readmeTemplate)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	type depRow struct {
		Name, Column string
		Mean, SD     float64
	}
	var deps []depRow
	for i, d := range deprivationIndicators {
		st := dep.Index.Indicators[i]
		deps = append(deps, depRow{d.Name, d.Column, st.Mean, st.SD})
	}
	var gaps []string
	for _, c := range in.Communes {
		if c.GeoRule != "" {
			gaps = append(gaps, fmt.Sprintf("%s (%s): %s.", c.Name, c.Code, c.GeoRule))
		}
	}
	for _, c := range in.Communes {
		if c.Pop2014 == 0 {
			gaps = append(gaps, fmt.Sprintf("%s (%s): no 2014 population (\"pm\" in HCP's tables): past population left empty; projecting it needs a stated rate (capacity.Projection's FallbackAnnualRate).", c.Name, c.Code))
		}
	}
	for _, b := range dep.Borrowed {
		gaps = append(gaps, "Deprivation of "+b+": the commune has counts only in the indicators.")
	}
	data := struct {
		Regions     []*figures
		National    nationalFigures
		Sources     []source
		Assumptions []assumption
		Overrides   []overrideRow
		Drops       []countRow
		OSMTotal    int
		Gaps        []string
		Tolerance   float64
		Deprivation []depRow
	}{figs, national(figs), sources, assumptions, overrideRows(ds), dropCounts(ds), len(ds), gaps, simplifyTolerance, deps}
	if err := t.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type overrideRow struct {
	Key, Name, Decision, Note string
}

// overrideRows lists the explicit decisions with the OSM names they apply to.
func overrideRows(ds []osmDecision) []overrideRow {
	var out []overrideRow
	for _, d := range ds {
		o, ok := overrides[d.F.Key()]
		if !ok {
			continue
		}
		dec := o.Class.String()
		switch {
		case o.Drop:
			dec = "left out"
		case o.Merge != "":
			dec = "same as " + o.Merge
		case o.Level != 0:
			dec += " (level " + o.Level.String() + ")"
		}
		if o.Beds > 0 {
			dec += fmt.Sprintf(", %s beds", itoa(o.Beds))
		}
		out = append(out, overrideRow{Key: d.F.Key(), Name: strings.ReplaceAll(d.F.Name, "|", "/"), Decision: dec, Note: o.Note})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

type countRow struct {
	What  string
	Count int
}

// dropCounts counts the OSM rows by decision and rule.
func dropCounts(ds []osmDecision) []countRow {
	m := map[string]int{}
	for _, d := range ds {
		key := d.Action
		switch d.Action {
		case actDrop:
			key = "left out: " + d.Rule
			if _, ok := overrides[d.F.Key()]; ok {
				key = "left out: explicit decision (table above)"
			}
		case actMerge:
			key = "merged into another point (duplicate)"
		case actKeep:
			key = "kept as " + d.Class.String()
		}
		m[key]++
	}
	var out []countRow
	for k, v := range m {
		out = append(out, countRow{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].What < out[j].What })
	return out
}

// nationalFigures are the totals of the 12 regions, for the calibration.
type nationalFigures struct {
	Population, PublicBeds, BedsByRatio float64
	ESSP, ESSPByRatio, PerESSP          float64
	PublicHospitals, Communes           int
	DoctorsPer1000                      float64
}

func national(figs []*figures) nationalFigures {
	var n nationalFigures
	var doctors float64
	for _, f := range figs {
		n.Population += f.Population
		n.PublicBeds += f.PublicBeds
		n.ESSP += float64(f.ESSP)
		n.PublicHospitals += f.PublicHospitals
		n.Communes += f.Areas
		for _, s := range f.Staff {
			switch gst.CategoryID(s.Category) {
			case catGP, catObGyn, catAnaesth, catSurgeon, catSpecialist:
				doctors += s.FTE
			}
		}
	}
	n.BedsByRatio = math.Round(n.Population / inhabitantsPerPublicBed)
	n.ESSPByRatio = math.Round(n.Population / inhabitantsPerESSP)
	if n.ESSP > 0 {
		n.PerESSP = n.Population / n.ESSP
	}
	n.DoctorsPer1000 = doctors / n.Population * 1000
	return n
}
