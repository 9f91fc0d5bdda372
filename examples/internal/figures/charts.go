package figures

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// chart wraps a gonum plot with a size, a legend drawn beside the plot
// (never over the data) and a foot note.
type chart struct {
	p      *plot.Plot
	w, h   vg.Length
	note   string
	legend []legendEntry
}

// legendEntry is a key of the legend: a filled box, or a line (dashed when
// dash is set).
type legendEntry struct {
	label string
	fill  color.Color
	line  color.Color
	dash  bool
}

func (c *chart) Size() (vg.Length, vg.Length) { return c.w, c.h }

func (c *chart) Draw(dc draw.Canvas) {
	foot := c.drawFrame(dc)
	area := draw.Crop(dc, 0.15*cm, -c.legendWidth(), foot, 0)
	c.p.Draw(area)
}

// legendWidth is the width the legend takes on the right (0 without one).
func (c *chart) legendWidth() vg.Length {
	if len(c.legend) == 0 {
		return 0
	}
	body := style(8.5, false, Black)
	right := vg.Length(0)
	for _, e := range c.legend {
		right = max(right, body.Width(e.label))
	}
	return right + 1.6*cm
}

// drawFrame draws the foot note and the legend, and returns the height the
// note takes at the bottom.
func (c *chart) drawFrame(dc draw.Canvas) vg.Length {
	foot := vg.Length(0)
	if c.note != "" {
		sty := style(7, false, Grey)
		lines := wrap(sty, c.note, c.w-1*cm)
		foot = vg.Length(len(lines))*sty.Font.Size*1.25 + 0.3*cm
		textLines(dc, sty, 0.5*cm, foot-0.15*cm, lines)
	}
	if len(c.legend) == 0 {
		return foot
	}
	body := style(8.5, false, Black)
	x := dc.Max.X - c.legendWidth() + 0.4*cm
	y := dc.Max.Y - 1.4*cm
	for _, e := range c.legend {
		k := vg.Length(10)
		switch {
		case e.fill != nil:
			fillRect(dc, e.fill, vg.Point{X: x, Y: y - k}, vg.Point{X: x + 1.5*k, Y: y})
		case e.line != nil:
			ls := draw.LineStyle{Color: e.line, Width: 1.3}
			if e.dash {
				ls.Dashes = []vg.Length{4, 3}
			}
			dc.StrokeLines(ls, []vg.Point{{X: x, Y: y - k/2}, {X: x + 1.5*k, Y: y - k/2}})
		}
		dc.FillText(body, vg.Point{X: x + 1.5*k + 5, Y: y - k + 1.5}, e.label)
		y -= k + 6
	}
	return foot
}

func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 13
	p.Title.TextStyle.Font.Weight = weightBold
	p.Title.Padding = 0.3 * cm
	p.Legend.TextStyle.Font.Size = 9
	p.X.Label.TextStyle.Font.Size = 10
	p.Y.Label.TextStyle.Font.Size = 10
	p.X.Tick.Label.Font.Size = 9
	p.Y.Tick.Label.Font.Size = 9
	return p
}

// Distribution is the travel of a group of people before and after a plan.
type Distribution struct {
	Title string
	// Unit names what the weights count ("births", "patients").
	Unit string
	// Weights, Before and After hold, by area, the weight and the minutes
	// today and with the plan (NaN: not served).
	Weights, Before, After []float64
	// Standard, when > 0, is marked on the chart.
	Standard float64
	Note     string
}

// Shares returns the percentage of the weight in each travel class of
// Breaks (the last class open-ended), then the share not served.
func Shares(w, minutes []float64) []float64 {
	out := make([]float64, len(Breaks)+2)
	total := 0.0
	for i := range w {
		total += w[i]
		k := len(Breaks) + 1
		if !math.IsNaN(minutes[i]) {
			k = 0
			for k < len(Breaks) && minutes[i] >= Breaks[k] {
				k++
			}
		}
		out[k] += w[i]
	}
	if total > 0 {
		for k := range out {
			out[k] *= 100 / total
		}
	}
	return out
}

// Chart returns the distribution as a bar chart: the share of the weight in
// each travel class, today and with the plan.
func (d *Distribution) Chart() (Picture, error) {
	before, after := Shares(d.Weights, d.Before), Shares(d.Weights, d.After)
	labels := make([]string, 0, len(Breaks)+2)
	for i := 0; i <= len(Breaks); i++ {
		labels = append(labels, classLabelShort(i))
	}
	labels = append(labels, "not served")
	// Drop the "not served" class when nobody is in it.
	if before[len(before)-1] == 0 && after[len(after)-1] == 0 {
		before, after, labels = before[:len(before)-1], after[:len(after)-1], labels[:len(labels)-1]
	}
	p := newPlot(d.Title)
	p.Y.Label.Text = fmt.Sprintf("share of %s (%%)", d.Unit)
	p.Y.Tick.Marker = wholeTicks{}
	p.X.Label.Text = "one-way travel time (minutes)"
	w := vg.Points(16)
	bb, err := plotter.NewBarChart(plotter.Values(before), w)
	if err != nil {
		return nil, err
	}
	ba, err := plotter.NewBarChart(plotter.Values(after), w)
	if err != nil {
		return nil, err
	}
	bb.Color, bb.LineStyle.Width = Orange, 0
	ba.Color, ba.LineStyle.Width = Blue, 0
	bb.Offset, ba.Offset = -w/2, w/2
	top := 0.0
	for i := range before {
		top = math.Max(top, math.Max(before[i], after[i]))
	}
	p.Y.Min, p.Y.Max = 0, math.Ceil(top/10)*10+5
	legend := []legendEntry{{label: "today", fill: Orange}, {label: "with the plan", fill: Blue}}
	if d.Standard > 0 {
		// The standard falls on a class boundary: shade the classes beyond.
		for i, b := range Breaks {
			if b == d.Standard {
				x0, x1 := float64(i)+0.5, float64(len(Breaks))+0.5
				poly, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: 0}, {X: x1, Y: 0}, {X: x1, Y: p.Y.Max}, {X: x0, Y: p.Y.Max}})
				if err != nil {
					return nil, err
				}
				poly.Color = color.NRGBA{213, 94, 0, 40}
				poly.LineStyle.Width = 0
				p.Add(poly)
				legend = append(legend, legendEntry{label: fmt.Sprintf("beyond the %.0f-minute standard", d.Standard), fill: color.NRGBA{213, 94, 0, 40}})
			}
		}
	}
	p.Add(plotter.NewGrid())
	p.Add(bb, ba)
	p.NominalX(labels...)
	return &chart{p: p, w: 20 * cm, h: 11 * cm, note: d.Note, legend: legend}, nil
}

// wholeTicks are gonum's default ticks labelled as whole numbers.
type wholeTicks struct{}

func (wholeTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = fmt.Sprintf("%.0f", ts[i].Value)
		}
	}
	return ts
}

func classLabelShort(i int) string {
	switch {
	case i == 0:
		return fmt.Sprintf("<%.0f", Breaks[0])
	case i == len(Breaks):
		return fmt.Sprintf("%.0f+", Breaks[i-1])
	}
	return fmt.Sprintf("%.0f–%.0f", Breaks[i-1], Breaks[i])
}

// Series is one coloured set of bars of a Bars chart: a value per group.
type Series struct {
	Name string
	// Colour fills the bars; nil takes the next Okabe–Ito colour.
	Colour color.Color
	// Values holds one value per group; NaN draws no bar.
	Values []float64
}

// Bars is a chart of horizontal bars grouped by row (a province, say), one
// colour per series, with an optional reference line.
type Bars struct {
	Title  string
	XLabel string
	Groups []string
	Series []Series
	// Ref, when > 0, draws a dashed reference line at that value, labelled
	// RefLabel in the legend.
	Ref      float64
	RefLabel string
	Note     string
}

// Chart returns the bars, groups top to bottom in the order given.
func (g *Bars) Chart() (Picture, error) {
	p := newPlot(g.Title)
	p.X.Label.Text = g.XLabel
	n := len(g.Series)
	bw := vg.Points(5.5)
	if n <= 2 {
		bw = vg.Points(8)
	}
	maxV := g.Ref
	rev := func(vs []float64) plotter.Values {
		out := make(plotter.Values, len(vs))
		for i := range vs {
			v := vs[len(vs)-1-i]
			if math.IsNaN(v) {
				v = 0
			}
			out[i] = v
		}
		return out
	}
	p.Add(plotter.NewGrid())
	var legend []legendEntry
	for k := n - 1; k >= 0; k-- {
		s := g.Series[k]
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				maxV = math.Max(maxV, v)
			}
		}
		b, err := plotter.NewBarChart(rev(s.Values), bw)
		if err != nil {
			return nil, err
		}
		b.Horizontal = true
		b.Color = g.colour(k)
		b.LineStyle.Width = 0
		b.Offset = vg.Length(float64(n-1)/2-float64(k)) * bw
		p.Add(b)
	}
	for k, s := range g.Series {
		legend = append(legend, legendEntry{label: s.Name, fill: g.colour(k)})
	}
	labels := make([]string, len(g.Groups))
	for i := range g.Groups {
		labels[i] = g.Groups[len(g.Groups)-1-i]
	}
	p.NominalY(labels...)
	p.Y.Min, p.Y.Max = -0.7, float64(len(labels))-0.3
	p.X.Min = 0
	if maxV <= 0 {
		maxV = 1
	}
	step := math.Pow(10, math.Floor(math.Log10(maxV)))
	if maxV/step < 3 {
		step /= 2
	}
	p.X.Max = math.Ceil(maxV/step) * step
	if g.Ref > 0 {
		ref, err := plotter.NewLine(plotter.XYs{{X: g.Ref, Y: -0.6}, {X: g.Ref, Y: float64(len(g.Groups)) - 0.4}})
		if err != nil {
			return nil, err
		}
		ref.Color, ref.Width, ref.Dashes = Black, 1, []vg.Length{4, 3}
		p.Add(ref)
		legend = append(legend, legendEntry{label: g.RefLabel, line: Black, dash: true})
	}
	h := vg.Length(len(g.Groups))*vg.Length(max(n, 2))*bw*1.35 + 4.5*cm
	return &chart{p: p, w: 22 * cm, h: h, note: g.Note, legend: legend}, nil
}

func (g *Bars) colour(k int) color.Color {
	if c := g.Series[k].Colour; c != nil {
		return c
	}
	return OkabeIto[k%len(OkabeIto)]
}
