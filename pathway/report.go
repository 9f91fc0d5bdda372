package pathway

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteText writes a plain-text summary of the evaluation for a report:
// each pathway and its steps with episodes, in-person visits, annual
// travel in hours, minutes per episode, the share of episodes beyond the
// step's standard and the visits left unserved or unreachable; then the
// provinces, and the attribution of the region's data. Figures are rounded
// for reading; the Evaluation holds them in full.
func (e *Evaluation) WriteText(w io.Writer) error {
	legs := "return trips"
	if e.TripFactor == 1 {
		legs = "one-way trips"
	}
	name := e.Plan
	if name == "" {
		name = "plan"
	}
	t := &table{}
	t.title = fmt.Sprintf("%s: pathway-weighted travel %.0f hours a year (%s)", name, e.Objective/60, legs)
	cols := []string{"episodes", "in person", "travel h", "min/episode", "beyond std", "unserved", "unreachable"}
	row := func(label string, f *Figures) {
		t.add(label, fmt.Sprintf("%.0f", f.Episodes), fmt.Sprintf("%.0f", f.InPersonVisits),
			fmt.Sprintf("%.0f", f.TravelMinutes/60), fmt.Sprintf("%.1f", f.MinutesPerEpisode),
			fmt.Sprintf("%.1f%%", 100*f.BeyondStandardShare), fmt.Sprintf("%.1f", f.UnservedVisits),
			fmt.Sprintf("%.1f", f.UnreachableVisits))
	}
	t.head("pathway/step", cols...)
	for i := range e.Pathways {
		p := &e.Pathways[i]
		row(string(p.Pathway), &p.Figures)
		for j := range e.Steps {
			if s := &e.Steps[j]; s.Pathway == p.Pathway {
				row("  "+string(s.Step), &s.Figures)
			}
		}
	}
	row("total", &e.Total)
	if len(e.Provinces) > 0 {
		t.head("province", cols...)
		for i := range e.Provinces {
			g := &e.Provinces[i]
			row(orNone(g.Key), &g.Total)
		}
	}
	var notes []string
	if !e.Total.Complete {
		notes = append(notes, fmt.Sprintf("incomplete: %d unserved area-service pairs, %d unreachable allocations (see Unserved, Unreachable)",
			len(e.Unserved), len(e.Unreachable)))
	}
	for _, a := range e.Attribution {
		notes = append(notes, "data: "+a)
	}
	return t.write(w, notes)
}

// WriteText writes a plain-text summary of the comparison: for each
// pathway and step, the annual travel in hours before and after and the
// difference, the share beyond standard and the unserved visits before
// and after; then the same by province.
func (c *Comparison) WriteText(w io.Writer) error {
	t := &table{}
	t.title = fmt.Sprintf("%s → %s: travel %.0f → %.0f hours a year (%+.0f)", orNone(c.Before), orNone(c.After),
		c.ObjectiveBefore/60, c.ObjectiveAfter/60, c.ObjectiveDelta/60)
	cols := []string{"travel h", "after", "change", "beyond std", "after", "unserved", "after"}
	row := func(label string, ch *Change) {
		t.add(label, fmt.Sprintf("%.0f", ch.Before.TravelMinutes/60), fmt.Sprintf("%.0f", ch.After.TravelMinutes/60),
			fmt.Sprintf("%+.0f", ch.Delta.TravelMinutes/60),
			fmt.Sprintf("%.1f%%", 100*ch.Before.BeyondStandardShare), fmt.Sprintf("%.1f%%", 100*ch.After.BeyondStandardShare),
			fmt.Sprintf("%.1f", ch.Before.UnservedVisits), fmt.Sprintf("%.1f", ch.After.UnservedVisits))
	}
	t.head("pathway/step", cols...)
	for i := range c.Pathways {
		p := &c.Pathways[i]
		row(string(p.Pathway), &p.Change)
		for j := range c.Steps {
			if s := &c.Steps[j]; s.Pathway == p.Pathway {
				row("  "+string(s.Step), &s.Change)
			}
		}
	}
	row("total", &c.Total)
	if len(c.Provinces) > 0 {
		t.head("province", cols...)
		for i := range c.Provinces {
			row(orNone(c.Provinces[i].Key), &c.Provinces[i].Total)
		}
	}
	return t.write(w, nil)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// table lays out rows with a left-aligned label and right-aligned cells.
type table struct {
	title string
	rows  [][]string
}

func (t *table) head(label string, cols ...string) {
	t.rows = append(t.rows, append([]string{label}, cols...))
}

func (t *table) add(label string, cells ...string) {
	t.rows = append(t.rows, append([]string{label}, cells...))
}

func (t *table) write(w io.Writer, notes []string) error {
	var width []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	b.WriteString(t.title)
	b.WriteByte('\n')
	for _, r := range t.rows {
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		b.WriteByte('\n')
	}
	for _, n := range notes {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
