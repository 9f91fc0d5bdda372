package figures

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/examples/internal/geo"
	"github.com/paulmach/orb"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MapArea is an area of the map: its demand point (a commune centroid)
// and, when known, its boundary, drawn instead of a Voronoi cell.
type MapArea struct {
	Lat, Lon   float64
	Province   string
	Population float64
	// Boundary is the area's outline in WGS84 [longitude, latitude]; nil
	// when unknown.
	Boundary orb.MultiPolygon
}

// SiteState says what a plan does to a site on the map.
type SiteState int

// The site states.
const (
	// Existing is a site open today and in the plan.
	Existing SiteState = iota
	// Opened is a site the plan opens.
	Opened
	// Closed is a site the plan closes.
	Closed
	// Candidate is a candidate site the plan leaves closed.
	Candidate
)

// MapSite is an establishment drawn on a panel.
type MapSite struct {
	Lat, Lon float64
	Level    gst.Level
	State    SiteState
	// Label is drawn beside Opened and Closed sites.
	Label string
}

// Panel is one map of the region: areas shaded by Minutes, the sites, and a
// line from each area to the site that serves it.
type Panel struct {
	Title string
	// Minutes holds each area's travel time, NaN when not served.
	Minutes []float64
	Sites   []MapSite
	// Lines join area Lines[i][0] to site Lines[i][1].
	Lines [][2]int
}

// TravelMap is one or two panels (today and the plan) side by side, with a
// shared legend, a scale bar, a north arrow, a title and the attribution.
type TravelMap struct {
	Title    string
	Subtitle string
	// Quantity titles the colour legend.
	Quantity string
	// Standard, when > 0, is named in the legend.
	Standard float64
	Areas    []MapArea
	// ProvinceNames labels provinces at the population-weighted centroid
	// of their areas; nil: no labels.
	ProvinceNames map[string]string
	Panels        []Panel
	// Notes are printed at the foot: sources, licences, caveats.
	Notes []string
	// Width is the picture's width. Default 30 cm.
	Width vg.Length
	// BoundaryLabel names the thick lines between areas of different
	// Province values in the legend. Default "province boundary".
	BoundaryLabel string
	// MaxCellKm caps the radius of a Voronoi cell around its centroid, in
	// km. Default 30.
	MaxCellKm float64

	layout *mapLayout
}

// Breaks are the upper bounds of the travel classes, in minutes; the last
// class is open.
var Breaks = []float64{15, 30, 45, 60, 90, 120}

// travelColours is ColorBrewer's YlOrRd, 7 classes (colour-blind safe).
var travelColours = []color.Color{
	color.RGBA{255, 255, 178, 255}, color.RGBA{254, 217, 118, 255}, color.RGBA{254, 178, 76, 255},
	color.RGBA{253, 141, 60, 255}, color.RGBA{252, 78, 42, 255}, color.RGBA{227, 26, 28, 255},
	color.RGBA{177, 0, 38, 255},
}

var notServed = color.RGBA{190, 190, 190, 255}

// TravelColour returns the fill of a travel time.
func TravelColour(min float64) color.Color {
	if math.IsNaN(min) {
		return notServed
	}
	for i, b := range Breaks {
		if min < b {
			return travelColours[i]
		}
	}
	return travelColours[len(Breaks)]
}

func classLabel(i int) string {
	switch {
	case i == 0:
		return fmt.Sprintf("under %.0f", Breaks[0])
	case i == len(Breaks):
		return fmt.Sprintf("%.0f and over", Breaks[i-1])
	}
	return fmt.Sprintf("%.0f to %.0f", Breaks[i-1], Breaks[i])
}

type mapLayout struct {
	pts   []geo.XY
	cells []geo.Cell
	// shapes holds the projected rings of the areas with a boundary (nil
	// for the others); drawOrder fills the largest first, so that an
	// enclave drawn later shows inside the commune around it.
	shapes    [][][]geo.XY
	drawOrder []int
	// borders are the boundary segments, thick between provinces and on
	// the outline, thin between communes of one province.
	thinEdges, thickEdges [][2]geo.XY
	outlines              int // areas drawn with their boundary
	hull                  []geo.XY
	box                   geo.Bounds
	proj                  geo.Projection
	w, h                  vg.Length
	// panel size and origin of panel 0 (bottom-left), gap between panels
	panelW, panelH, gap vg.Length
	left, bottom        vg.Length
	legendX             vg.Length
	noteLines           []string
}

const cm = vg.Centimeter

func (m *TravelMap) build() *mapLayout {
	if m.layout != nil {
		return m.layout
	}
	l := &mapLayout{}
	lats, lons := make([]float64, len(m.Areas)), make([]float64, len(m.Areas))
	for i, a := range m.Areas {
		lats[i], lons[i] = a.Lat, a.Lon
	}
	l.proj = geo.NewProjection(lats, lons)
	l.pts = make([]geo.XY, len(m.Areas))
	for i, a := range m.Areas {
		l.pts[i] = l.proj.Project(a.Lat, a.Lon)
	}
	// Cells reach at most the distance to the third-nearest centroid
	// (between 4 and 30 km) so that coasts and empty mountains are not
	// filled by the hull.
	radius := geo.NearestNeighbourKm(l.pts, 3)
	maxCell := m.MaxCellKm
	if maxCell <= 0 {
		maxCell = 30
	}
	for i := range radius {
		radius[i] = math.Min(maxCell, math.Max(4, 1.1*radius[i]))
	}
	l.hull = geo.BufferedHull(l.pts, 6)
	l.cells = geo.Voronoi(l.pts, l.hull, radius)
	l.outlineShapes(m.Areas)
	var polys [][]geo.XY
	for i, c := range l.cells {
		if l.shapes[i] != nil {
			polys = append(polys, l.shapes[i]...)
		} else {
			polys = append(polys, c.Vertices)
		}
	}
	l.box = geo.BoundsOf(polys...)

	l.w = m.Width
	if l.w == 0 {
		l.w = 30 * cm
	}
	margin := 0.5 * cm
	legendW := 6.8 * cm
	n := vg.Length(len(m.Panels))
	if n == 0 {
		n = 1
	}
	l.gap = 0.6 * cm
	l.panelW = (l.w - 2*margin - legendW - (n-1)*l.gap) / n
	aspect := l.box.Height() / l.box.Width()
	l.panelH = l.panelW * vg.Length(aspect)
	noteSty := style(7, false, Grey)
	l.noteLines = nil
	for _, n := range m.Notes {
		l.noteLines = append(l.noteLines, wrap(noteSty, n, l.w-2*margin)...)
	}
	// The panels are at least as tall as the legend beside them.
	l.legendX = l.w - margin - legendW + 0.3*cm
	m.layout = l
	need := 1000 - m.drawLegend(draw.NewCanvas(nullCanvas{}, l.w, 1000), 1000) - 0.7*cm
	if l.panelH < need {
		l.panelH = need
	}
	top := 1.9 * cm // title and subtitle
	panelTitle := 0.7 * cm
	foot := vg.Length(len(l.noteLines))*noteSty.Font.Size*1.25 + 0.4*cm
	l.h = top + panelTitle + l.panelH + foot + margin
	l.left, l.bottom = margin, foot+margin/2
	m.layout = l
	return l
}

// Size returns the picture's size.
func (m *TravelMap) Size() (vg.Length, vg.Length) {
	l := m.build()
	return l.w, l.h
}

// Draw draws the map.
func (m *TravelMap) Draw(c draw.Canvas) {
	l := m.build()
	margin := 0.5 * cm
	y := l.h - margin
	c.FillText(func() draw.TextStyle { s := style(15, true, Black); s.YAlign = draw.YTop; return s }(), vg.Point{X: margin, Y: y}, m.Title)
	if m.Subtitle != "" {
		c.FillText(func() draw.TextStyle { s := style(10, false, Grey); s.YAlign = draw.YTop; return s }(), vg.Point{X: margin, Y: y - 0.75*cm}, m.Subtitle)
	}
	for i := range m.Panels {
		x0 := l.left + vg.Length(i)*(l.panelW+l.gap)
		m.drawPanel(c, &m.Panels[i], x0, l.bottom)
	}
	m.drawLegend(c, l.bottom+l.panelH+0.7*cm)
	textLines(c, style(7, false, Grey), margin, l.bottom-0.3*cm, l.noteLines)
}

// toCanvas maps km to the panel whose bottom-left corner is (x0, y0).
func (l *mapLayout) toCanvas(x0, y0 vg.Length) func(geo.XY) vg.Point {
	s := math.Min(float64(l.panelW)/l.box.Width(), float64(l.panelH)/l.box.Height())
	ox := float64(x0) + (float64(l.panelW)-s*l.box.Width())/2
	oy := float64(y0) + (float64(l.panelH)-s*l.box.Height())/2
	return func(p geo.XY) vg.Point {
		return vg.Point{X: vg.Length(ox + s*(p.X-l.box.Min.X)), Y: vg.Length(oy + s*(p.Y-l.box.Min.Y))}
	}
}

func (m *TravelMap) drawPanel(c draw.Canvas, p *Panel, x0, y0 vg.Length) {
	l := m.layout
	at := l.toCanvas(x0, y0)
	ts := style(11, true, Black)
	c.FillText(ts, vg.Point{X: x0, Y: at(l.box.Max).Y + 0.25*cm}, p.Title)

	// Areas: their boundary where known, else their Voronoi cell.
	for _, i := range l.drawOrder {
		v := math.NaN()
		if i < len(p.Minutes) {
			v = p.Minutes[i]
		}
		rings := l.shapes[i]
		if rings == nil {
			rings = [][]geo.XY{l.cells[i].Vertices}
		}
		for _, ring := range rings {
			if len(ring) < 3 {
				continue
			}
			pts := make([]vg.Point, len(ring))
			for k, q := range ring {
				pts[k] = at(q)
			}
			c.FillPolygon(TravelColour(v), pts)
		}
	}
	// Edges: thin white between communes, dark between provinces and on
	// the outline.
	thin := draw.LineStyle{Color: color.NRGBA{255, 255, 255, 200}, Width: 0.3}
	thick := draw.LineStyle{Color: color.RGBA{60, 60, 60, 255}, Width: 0.9}
	var thinLines, thickLines [][]vg.Point
	for _, e := range l.thinEdges {
		thinLines = append(thinLines, []vg.Point{at(e[0]), at(e[1])})
	}
	for _, e := range l.thickEdges {
		thickLines = append(thickLines, []vg.Point{at(e[0]), at(e[1])})
	}
	for i, cell := range l.cells {
		if l.shapes[i] != nil {
			continue
		}
		n := len(cell.Vertices)
		for k := 0; k < n; k++ {
			e := cell.Edges[k]
			seg := []vg.Point{at(cell.Vertices[k]), at(cell.Vertices[(k+1)%n])}
			switch {
			case e < 0:
				thickLines = append(thickLines, seg)
			case l.shapes[e] != nil:
				thickLines = append(thickLines, seg) // where cells meet outlines
			case e > i && m.Areas[e].Province != m.Areas[i].Province:
				thickLines = append(thickLines, seg)
			case e > i:
				thinLines = append(thinLines, seg)
			}
		}
	}
	for _, s := range thinLines {
		c.StrokeLines(thin, s)
	}
	for _, s := range thickLines {
		c.StrokeLines(thick, s)
	}

	// Assignment lines.
	ls := draw.LineStyle{Color: color.NRGBA{30, 30, 60, 140}, Width: 0.45}
	for _, ln := range p.Lines {
		a, s := ln[0], ln[1]
		if a < 0 || a >= len(l.pts) || s < 0 || s >= len(p.Sites) {
			continue
		}
		sp := l.proj.Project(p.Sites[s].Lat, p.Sites[s].Lon)
		c.StrokeLines(ls, []vg.Point{at(l.pts[a]), at(sp)})
	}

	// Sites: lowest level first so big symbols stay on top; changed
	// sites last. Their labels are placed first, then the province names
	// around them.
	order := make([]int, len(p.Sites))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return siteRank(p.Sites[order[a]]) < siteRank(p.Sites[order[b]])
	})
	// Symbols of hospitals and changed sites are obstacles for labels.
	var placed []box
	for _, s := range p.Sites {
		q := at(l.proj.Project(s.Lat, s.Lon))
		switch {
		case s.Level >= gst.ProvincialHospital || s.State == Opened || s.State == Closed:
			placed = append(placed, box{vg.Point{X: q.X - 6, Y: q.Y - 6}, vg.Point{X: q.X + 6, Y: q.Y + 6}})
		case s.Level == gst.LocalHospital && s.State == Existing:
			placed = append(placed, box{vg.Point{X: q.X - 3.5, Y: q.Y - 3.5}, vg.Point{X: q.X + 3.5, Y: q.Y + 3.5}})
		}
	}
	type siteLabel struct {
		b   box
		txt string
	}
	var siteLabels []siteLabel
	for _, i := range order {
		s := p.Sites[i]
		if (s.State == Opened || s.State == Closed) && s.Label != "" {
			b := m.labelBox(at(l.proj.Project(s.Lat, s.Lon)), s.Label, x0, placed)
			placed = append(placed, b)
			siteLabels = append(siteLabels, siteLabel{b, s.Label})
		}
	}
	if m.ProvinceNames != nil {
		m.drawProvinceLabels(c, at, placed)
	}
	for _, i := range order {
		s := p.Sites[i]
		drawSite(c, s.Level, s.State, at(l.proj.Project(s.Lat, s.Lon)))
	}
	for _, sl := range siteLabels {
		drawLabel(c, sl.b, sl.txt)
	}
	// Scale bar and north arrow at the corners of the map itself (the
	// panel may be taller than the region).
	lo, hi := at(l.box.Min), at(l.box.Max)
	m.drawScaleBar(c, at, lo.X, lo.Y)
	drawNorth(c, vg.Point{X: hi.X - 0.5*cm, Y: hi.Y - 1.2*cm})
}

func siteRank(s MapSite) int {
	switch s.State {
	case Opened, Closed:
		return 10
	case Candidate:
		return 0
	}
	return int(s.Level)
}

// drawSite draws one site's symbol: shape by level, colour by state.
func drawSite(c draw.Canvas, lv gst.Level, st SiteState, pt vg.Point) {
	outline := draw.LineStyle{Color: Black, Width: 0.7}
	fill := color.Color(White)
	switch st {
	case Opened:
		diamond(c, pt, 6.5, Blue, draw.LineStyle{Color: White, Width: 1.2})
		diamond(c, pt, 6.5, nil, draw.LineStyle{Color: Black, Width: 0.6})
		return
	case Candidate:
		diamond(c, pt, 4.5, color.NRGBA{255, 255, 255, 160}, draw.LineStyle{Color: Grey, Width: 0.8})
		return
	case Closed:
		fill = Vermilion
	}
	switch lv {
	case gst.UniversityHospital:
		square(c, pt, 5.5, fill, draw.LineStyle{Color: Black, Width: 1.2})
		square(c, pt, 2.2, Black, outline)
	case gst.RegionalHospital:
		square(c, pt, 4.5, fill, draw.LineStyle{Color: Black, Width: 1.0})
	case gst.ProvincialHospital:
		triangle(c, pt, 4.6, fill, outline)
	case gst.LocalHospital:
		circle(c, pt, 2.8, fill, outline)
	default:
		circle(c, pt, 1.6, fill, draw.LineStyle{Color: Black, Width: 0.5})
	}
}

func polygon(c draw.Canvas, pts []vg.Point, fill color.Color, ls draw.LineStyle) {
	if fill != nil {
		c.FillPolygon(fill, pts)
	}
	if ls.Width > 0 {
		c.StrokeLines(ls, append(pts, pts[0]))
	}
}

func diamond(c draw.Canvas, p vg.Point, r vg.Length, fill color.Color, ls draw.LineStyle) {
	polygon(c, []vg.Point{{X: p.X, Y: p.Y + r}, {X: p.X + r*0.8, Y: p.Y}, {X: p.X, Y: p.Y - r}, {X: p.X - r*0.8, Y: p.Y}}, fill, ls)
}

func square(c draw.Canvas, p vg.Point, r vg.Length, fill color.Color, ls draw.LineStyle) {
	polygon(c, []vg.Point{{X: p.X - r, Y: p.Y - r}, {X: p.X + r, Y: p.Y - r}, {X: p.X + r, Y: p.Y + r}, {X: p.X - r, Y: p.Y + r}}, fill, ls)
}

func triangle(c draw.Canvas, p vg.Point, r vg.Length, fill color.Color, ls draw.LineStyle) {
	h := r * vg.Length(math.Sqrt(3)/2)
	polygon(c, []vg.Point{{X: p.X, Y: p.Y + r}, {X: p.X + h, Y: p.Y - r/2}, {X: p.X - h, Y: p.Y - r/2}}, fill, ls)
}

func circle(c draw.Canvas, p vg.Point, r vg.Length, fill color.Color, ls draw.LineStyle) {
	var path vg.Path
	path.Move(vg.Point{X: p.X + r, Y: p.Y})
	path.Arc(p, r, 0, 2*math.Pi)
	path.Close()
	if fill != nil {
		c.SetColor(fill)
		c.Fill(path)
	}
	if ls.Width > 0 {
		c.SetLineStyle(ls)
		c.Stroke(path)
	}
}

// box is a rectangle on the canvas.
type box struct{ min, max vg.Point }

func (b box) overlaps(o box) bool {
	return b.min.X < o.max.X && o.min.X < b.max.X && b.min.Y < o.max.Y && o.min.Y < b.max.Y
}

func free(b box, placed []box) bool {
	for _, o := range placed {
		if b.overlaps(o) {
			return false
		}
	}
	return true
}

var labelStyle = style(7.5, true, Black)

// labelBox places a site's label beside its point, inside the panel and
// clear of the labels already placed when it can.
func (m *TravelMap) labelBox(p vg.Point, txt string, x0 vg.Length, placed []box) box {
	w := labelStyle.Width(txt) + 4
	h := labelStyle.Font.Size + 3
	right := x0 + m.layout.panelW
	var first box
	self := box{vg.Point{X: p.X - 6, Y: p.Y - 6}, vg.Point{X: p.X + 6, Y: p.Y + 6}}
	placed = append(placed[:len(placed):len(placed)], self)
	for k, dy := range []vg.Length{0, -h - 2, h + 2, -2 * (h + 2), 2 * (h + 2)} {
		for _, side := range []int{1, -1} {
			x := p.X + 7
			if side < 0 {
				x = p.X - 7 - w
			}
			x = max(x0, min(x, right-w))
			b := box{vg.Point{X: x, Y: p.Y - h/2 + dy}, vg.Point{X: x + w, Y: p.Y + h/2 + dy}}
			if k == 0 && side == 1 {
				first = b
			}
			if free(b, placed) {
				return b
			}
		}
	}
	return first
}

func drawLabel(c draw.Canvas, b box, txt string) {
	fillRect(c, color.NRGBA{255, 255, 255, 230}, b.min, b.max)
	strokeRect(c, draw.LineStyle{Color: Blue, Width: 0.6}, b.min, b.max)
	sty := labelStyle
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, vg.Point{X: (b.min.X + b.max.X) / 2, Y: (b.min.Y + b.max.Y) / 2}, txt)
}

func (m *TravelMap) drawProvinceLabels(c draw.Canvas, at func(geo.XY) vg.Point, placed []box) {
	l := m.layout
	type acc struct{ x, y, w float64 }
	sum := map[string]*acc{}
	for i, a := range m.Areas {
		s := sum[a.Province]
		if s == nil {
			s = &acc{}
			sum[a.Province] = s
		}
		w := math.Max(a.Population, 1)
		s.x += w * l.pts[i].X
		s.y += w * l.pts[i].Y
		s.w += w
	}
	keys := make([]string, 0, len(sum))
	for k := range sum {
		keys = append(keys, k)
	}
	// The most populous provinces are placed first.
	sort.Slice(keys, func(i, j int) bool {
		if sum[keys[i]].w != sum[keys[j]].w {
			return sum[keys[i]].w > sum[keys[j]].w
		}
		return keys[i] < keys[j]
	})
	sty := style(8, false, color.RGBA{30, 30, 30, 255})
	sty.Font.Style = styleItalic
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	for _, k := range keys {
		name := m.ProvinceNames[k]
		if name == "" {
			continue
		}
		s := sum[k]
		p := at(geo.XY{X: s.x / s.w, Y: s.y / s.w})
		p.Y -= 9 // below the province's main town, where the hospitals are
		w := sty.Width(name)
		// Move a little to stay clear of other labels and symbols; a
		// label moved far would name the wrong place, so it stays put
		// when no nearby spot is free.
		boxAt := func(d [2]vg.Length) box {
			q := vg.Point{X: p.X + d[0], Y: p.Y + d[1]}
			return box{vg.Point{X: q.X - w/2 - 1.5, Y: q.Y - 5}, vg.Point{X: q.X + w/2 + 1.5, Y: q.Y + 5}}
		}
		b := boxAt([2]vg.Length{})
		for _, d := range [][2]vg.Length{{0, 0}, {0, -11}, {0, 11}, {-w / 2, 0}, {w / 2, 0}, {-w / 3, -11}, {w / 3, -11}, {-w / 3, 11}, {w / 3, 11}, {0, -17}} {
			if free(boxAt(d), placed) {
				b = boxAt(d)
				break
			}
		}
		placed = append(placed, b)
		fillRect(c, color.NRGBA{255, 255, 255, 170}, b.min, b.max)
		c.FillText(sty, vg.Point{X: (b.min.X + b.max.X) / 2, Y: (b.min.Y + b.max.Y) / 2}, name)
	}
}

// drawScaleBar draws a bar of a round length at the bottom-left of a panel.
func (m *TravelMap) drawScaleBar(c draw.Canvas, at func(geo.XY) vg.Point, x0, y0 vg.Length) {
	l := m.layout
	kmPerPt := l.box.Width() / float64(at(geo.XY{X: l.box.Max.X}).X-at(geo.XY{X: l.box.Min.X}).X)
	target := kmPerPt * float64(l.panelW) / 4
	length := 10.0
	for _, v := range []float64{10, 20, 25, 50, 100, 200} {
		if v <= target {
			length = v
		}
	}
	w := vg.Length(length / kmPerPt)
	x, y := x0+0.3*cm, y0+0.35*cm
	h := vg.Length(3.5)
	fillRect(c, White, vg.Point{X: x, Y: y}, vg.Point{X: x + w, Y: y + h})
	fillRect(c, Black, vg.Point{X: x, Y: y}, vg.Point{X: x + w/2, Y: y + h})
	strokeRect(c, draw.LineStyle{Color: Black, Width: 0.5}, vg.Point{X: x, Y: y}, vg.Point{X: x + w, Y: y + h})
	sty := style(7, false, Black)
	sty.XAlign = draw.XCenter
	c.FillText(sty, vg.Point{X: x, Y: y + h + 1.5}, "0")
	c.FillText(sty, vg.Point{X: x + w/2, Y: y + h + 1.5}, fmt.Sprintf("%g", length/2))
	c.FillText(sty, vg.Point{X: x + w, Y: y + h + 1.5}, fmt.Sprintf("%g km", length))
}

func drawNorth(c draw.Canvas, p vg.Point) {
	h := vg.Length(16)
	left := []vg.Point{{X: p.X, Y: p.Y + h/2}, {X: p.X - 5, Y: p.Y - h/2}, {X: p.X, Y: p.Y - h/4}}
	right := []vg.Point{{X: p.X, Y: p.Y + h/2}, {X: p.X + 5, Y: p.Y - h/2}, {X: p.X, Y: p.Y - h/4}}
	c.FillPolygon(Black, left)
	c.FillPolygon(White, right)
	ls := draw.LineStyle{Color: Black, Width: 0.6}
	c.StrokeLines(ls, append(left, left[0]), append(right, right[0]))
	sty := style(9, true, Black)
	sty.XAlign = draw.XCenter
	c.FillText(sty, vg.Point{X: p.X, Y: p.Y + h/2 + 1.5}, "N")
}

// drawLegend draws the legend from its top and returns the y below it.
func (m *TravelMap) drawLegend(c draw.Canvas, top vg.Length) vg.Length {
	l := m.layout
	x := l.legendX
	width := l.w - 0.5*cm - x
	head := style(9, true, Black)
	y := textLines(c, head, x, top, wrap(head, m.Quantity, width))
	y -= 3
	body := style(8, false, Black)
	box := vg.Length(11)
	for i := 0; i <= len(Breaks); i++ {
		fillRect(c, travelColours[i], vg.Point{X: x, Y: y - box}, vg.Point{X: x + 1.6*box, Y: y})
		strokeRect(c, draw.LineStyle{Color: Grey, Width: 0.3}, vg.Point{X: x, Y: y - box}, vg.Point{X: x + 1.6*box, Y: y})
		lbl := classLabel(i)
		if m.Standard > 0 && i > 0 && Breaks[i-1] >= m.Standard {
			lbl += "  (beyond the standard)"
		}
		c.FillText(body, vg.Point{X: x + 1.6*box + 5, Y: y - box + 2}, lbl)
		y -= box + 2
	}
	fillRect(c, notServed, vg.Point{X: x, Y: y - box}, vg.Point{X: x + 1.6*box, Y: y})
	c.FillText(body, vg.Point{X: x + 1.6*box + 5, Y: y - box + 2}, "not served")
	y -= box + 2
	if m.Standard > 0 {
		y = textLines(c, style(7.5, false, Grey), x, y-2, wrap(style(7.5, false, Grey), fmt.Sprintf("Access standard: %.0f minutes one way.", m.Standard), width))
	}
	y -= 0.35 * cm
	y = textLines(c, head, x, y, []string{"Sites"})
	y -= 2
	sym := func(lv gst.Level, st SiteState, txt string) {
		drawSite(c, lv, st, vg.Point{X: x + 0.8*box, Y: y - box/2})
		c.FillText(body, vg.Point{X: x + 1.6*box + 5, Y: y - box + 2}, txt)
		y -= box + 4
	}
	present := map[[2]int]bool{}
	for _, p := range m.Panels {
		for _, s := range p.Sites {
			present[[2]int{int(s.Level), int(s.State)}] = true
		}
	}
	has := func(st SiteState) bool {
		for k := range present {
			if k[1] == int(st) {
				return true
			}
		}
		return false
	}
	for _, lv := range []struct {
		l gst.Level
		t string
	}{{gst.UniversityHospital, "university hospital (CHU)"}, {gst.RegionalHospital, "regional hospital"}, {gst.ProvincialHospital, "provincial hospital"}, {gst.LocalHospital, "local hospital"}, {gst.HealthCentre, "health centre"}} {
		if present[[2]int{int(lv.l), int(Existing)}] || present[[2]int{int(lv.l), int(Closed)}] {
			sym(lv.l, Existing, lv.t)
		}
	}
	if has(Opened) {
		sym(gst.LocalHospital, Opened, "opened by the plan")
	}
	if has(Closed) {
		sym(gst.LocalHospital, Closed, "closed by the plan")
	}
	if has(Candidate) {
		sym(gst.LocalHospital, Candidate, "candidate site, not opened")
	}
	// Lines.
	c.StrokeLines(draw.LineStyle{Color: color.NRGBA{30, 30, 60, 140}, Width: 0.6}, []vg.Point{{X: x, Y: y - box/2}, {X: x + 1.6*box, Y: y - box/2}})
	c.FillText(body, vg.Point{X: x + 1.6*box + 5, Y: y - box + 2}, "commune → site serving it")
	y -= box + 4
	c.StrokeLines(draw.LineStyle{Color: color.RGBA{60, 60, 60, 255}, Width: 0.9}, []vg.Point{{X: x, Y: y - box/2}, {X: x + 1.6*box, Y: y - box/2}})
	prov := m.BoundaryLabel
	if prov == "" {
		prov = "province boundary"
	}
	if l.outlines < len(m.Areas) {
		prov += " (approx.)"
	}
	c.FillText(body, vg.Point{X: x + 1.6*box + 5, Y: y - box + 2}, prov)
	y -= box + 8
	note := style(7.5, false, Grey)
	return textLines(c, note, x, y, wrap(note, m.AreaNote()+" Travel is estimated from straight-line distance, not a road network.", width))
}

// AreaNote says how the areas are drawn: with their boundaries, as Voronoi
// cells of their centroids, or both.
func (m *TravelMap) AreaNote() string {
	n := 0
	for _, a := range m.Areas {
		if len(a.Boundary) > 0 {
			n++
		}
	}
	switch {
	case n == len(m.Areas):
		return "Communes are drawn with their OpenStreetMap boundaries (simplified)."
	case n == 0:
		return "Areas are the Voronoi cells of commune centroids (the data has no commune boundaries): near a centroid, not the commune's true shape."
	}
	return fmt.Sprintf("%d communes are drawn with their OpenStreetMap boundaries (simplified); the other %d, which have no boundary in the data, as the Voronoi cells of their centroids (near a centroid, not the commune's true shape).", n, len(m.Areas)-n)
}

// outlineShapes projects the boundaries of the areas that have one, sets
// the order in which areas are filled (largest first), and finds the
// boundary segments: a segment two areas of one province share is thin,
// one on the outline or between provinces thick. Shared boundaries must
// use the same vertices on both sides (as simplified with shared edges
// kept shared).
func (l *mapLayout) outlineShapes(areas []MapArea) {
	l.shapes = make([][][]geo.XY, len(areas))
	size := make([]float64, len(areas))
	type segKey [4]float64
	type seg struct {
		a, b  geo.XY
		provs map[string]int
	}
	segs := map[segKey]*seg{}
	var keys []segKey
	for i, a := range areas {
		if len(a.Boundary) == 0 {
			if i < len(l.cells) {
				size[i] = math.Abs(geo.Area(l.cells[i].Vertices))
			}
			continue
		}
		l.outlines++
		for _, poly := range a.Boundary {
			for ri, ring := range poly {
				xy := make([]geo.XY, len(ring))
				for k, pt := range ring {
					xy[k] = l.proj.Project(pt[1], pt[0])
				}
				if ri == 0 {
					l.shapes[i] = append(l.shapes[i], xy)
					size[i] += math.Abs(geo.Area(xy))
				}
				for k := 0; k+1 < len(ring); k++ {
					p, q := ring[k], ring[k+1]
					if q[0] < p[0] || (q[0] == p[0] && q[1] < p[1]) {
						p, q = q, p
					}
					key := segKey{p[0], p[1], q[0], q[1]}
					s := segs[key]
					if s == nil {
						s = &seg{a: l.proj.Project(p[1], p[0]), b: l.proj.Project(q[1], q[0]), provs: map[string]int{}}
						segs[key] = s
						keys = append(keys, key)
					}
					s.provs[a.Province]++
				}
			}
		}
	}
	for _, k := range keys {
		s := segs[k]
		n := 0
		for _, c := range s.provs {
			n += c
		}
		if n >= 2 && len(s.provs) == 1 {
			l.thinEdges = append(l.thinEdges, [2]geo.XY{s.a, s.b})
		} else {
			l.thickEdges = append(l.thickEdges, [2]geo.XY{s.a, s.b})
		}
	}
	l.drawOrder = make([]int, len(areas))
	for i := range l.drawOrder {
		l.drawOrder[i] = i
	}
	sort.SliceStable(l.drawOrder, func(a, b int) bool { return size[l.drawOrder[a]] > size[l.drawOrder[b]] })
}

// nullCanvas draws nothing: it measures layouts.
type nullCanvas struct{}

func (nullCanvas) SetLineWidth(vg.Length)                 {}
func (nullCanvas) SetLineDash([]vg.Length, vg.Length)     {}
func (nullCanvas) SetColor(color.Color)                   {}
func (nullCanvas) Rotate(float64)                         {}
func (nullCanvas) Translate(vg.Point)                     {}
func (nullCanvas) Scale(float64, float64)                 {}
func (nullCanvas) Push()                                  {}
func (nullCanvas) Pop()                                   {}
func (nullCanvas) Stroke(vg.Path)                         {}
func (nullCanvas) Fill(vg.Path)                           {}
func (nullCanvas) FillString(font.Face, vg.Point, string) {}
func (nullCanvas) DrawImage(vg.Rectangle, image.Image)    {}
