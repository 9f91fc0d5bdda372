package figures

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Timeline is a chart of a programme year by year in two panels that keep
// their units apart: money spent (stacked bars, one colour per kind, with
// an optional budget line) above, and shares of demand left unmet (one
// line per service) below.
type Timeline struct {
	Title string
	Years []int
	// Spend holds the bars of the upper panel, in MAD, one series per kind
	// of spend (capital, running), stacked in order.
	Spend []Series
	// Budget, when not nil, draws the yearly budget (capital and running
	// together) as a dashed line, NaN where a year has none.
	Budget []float64
	// Unmet holds the lines of the lower panel: a share in [0, 1] per year
	// for each service.
	Unmet []Series
	Note  string
}

// Chart returns the two panels, one above the other.
func (t *Timeline) Chart() (Picture, error) {
	top, legend, err := t.spendPlot()
	if err != nil {
		return nil, err
	}
	bottom, more, err := t.unmetPlot()
	if err != nil {
		return nil, err
	}
	return &panels{plots: []*plot.Plot{top, bottom}, w: 22 * cm, h: 17 * cm, note: t.Note, legend: append(legend, more...)}, nil
}

func (t *Timeline) labels() []string {
	out := make([]string, len(t.Years))
	for i, y := range t.Years {
		out[i] = fmt.Sprint(y)
	}
	return out
}

func (t *Timeline) spendPlot() (*plot.Plot, []legendEntry, error) {
	p := newPlot(t.Title)
	p.Y.Label.Text = "million MAD a year"
	p.Add(plotter.NewGrid())
	var legend []legendEntry
	var below *plotter.BarChart
	top := 0.0
	for k, s := range t.Spend {
		vals := make(plotter.Values, len(s.Values))
		for i, v := range s.Values {
			if !math.IsNaN(v) {
				vals[i] = v / 1e6
			}
		}
		b, err := plotter.NewBarChart(vals, vg.Points(14))
		if err != nil {
			return nil, nil, err
		}
		clr := s.Colour
		if clr == nil {
			clr = OkabeIto[k%len(OkabeIto)]
		}
		b.Color, b.LineStyle.Width = clr, 0
		if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		legend = append(legend, legendEntry{label: s.Name, fill: clr})
	}
	for i := range t.Years {
		sum := 0.0
		for _, s := range t.Spend {
			if v := s.Values[i]; !math.IsNaN(v) {
				sum += v / 1e6
			}
		}
		top = math.Max(top, sum)
	}
	if t.Budget != nil {
		var pts plotter.XYs
		for i, v := range t.Budget {
			if !math.IsNaN(v) {
				pts = append(pts, plotter.XY{X: float64(i), Y: v / 1e6})
				top = math.Max(top, v/1e6)
			}
		}
		if len(pts) > 0 {
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, nil, err
			}
			l.Color, l.Width, l.Dashes = Black, 1.2, []vg.Length{4, 3}
			p.Add(l)
			legend = append(legend, legendEntry{label: "budget of the year (carry-over included)", line: Black, dash: true})
		}
	}
	p.NominalX(t.labels()...)
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.1)
	return p, legend, nil
}

func (t *Timeline) unmetPlot() (*plot.Plot, []legendEntry, error) {
	p := newPlot("")
	p.Y.Label.Text = "share of demand unmet (%)"
	p.Add(plotter.NewGrid())
	var legend []legendEntry
	top := 0.0
	for k, s := range t.Unmet {
		var pts plotter.XYs
		for i, v := range s.Values {
			if !math.IsNaN(v) {
				pts = append(pts, plotter.XY{X: float64(i), Y: 100 * v})
				top = math.Max(top, 100*v)
			}
		}
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, nil, err
		}
		clr := s.Colour
		if clr == nil {
			clr = OkabeIto[(k+3)%len(OkabeIto)]
		}
		l.Color, l.Width = clr, 1.6
		sc.Color = clr
		p.Add(l, sc)
		legend = append(legend, legendEntry{label: s.Name, line: clr})
	}
	p.NominalX(t.labels()...)
	p.Y.Min, p.Y.Max = 0, math.Max(5, math.Ceil(top/10)*10+5)
	return p, legend, nil
}

// panels draws plots one above the other, sharing a legend and a note.
type panels struct {
	plots  []*plot.Plot
	w, h   vg.Length
	note   string
	legend []legendEntry
}

func (c *panels) Size() (vg.Length, vg.Length) { return c.w, c.h }

func (c *panels) Draw(dc draw.Canvas) {
	one := &chart{p: c.plots[0], w: c.w, h: c.h, note: c.note, legend: c.legend}
	foot := one.drawFrame(dc)
	right := one.legendWidth()
	area := draw.Crop(dc, 0.15*cm, -right, foot, 0)
	// One column of plots, aligned so that their axes line up.
	grid := make([][]*plot.Plot, len(c.plots))
	for i, p := range c.plots {
		grid[i] = []*plot.Plot{p}
	}
	tiles := draw.Tiles{Rows: len(c.plots), Cols: 1, PadY: 0.3 * cm}
	canvases := plot.Align(grid, tiles, area)
	for i, p := range c.plots {
		p.Draw(canvases[i][0])
	}
}
