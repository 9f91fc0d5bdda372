package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"text/template"
)

//go:embed readme.md.tmpl
var readmeTemplate string

// renderREADME renders the README of the output directory: sources,
// licences, rules and the sanity figures of each region.
func renderREADME(figs []*figures, ds []osmDecision) ([]byte, error) {
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
	data := struct {
		Regions     []*figures
		Sources     []source
		Assumptions []assumption
		Overrides   []overrideRow
		Drops       []countRow
	}{figs, sources, assumptions, overrideRows(ds), dropCounts(ds)}
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
