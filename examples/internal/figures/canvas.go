// Package figures draws the pictures of the example programs with gonum's
// plot package: a travel-time map of a region before and after a plan, and
// charts (travel distributions, staff gaps by province). Each picture is
// written as SVG and as PNG from the same drawing code.
//
// Colours are colour-blind safe: the map shades travel with ColorBrewer's
// YlOrRd sequential scheme and the charts use the Okabe–Ito palette. Text is
// Liberation Sans, metric-compatible with Arial, which the SVG files name as
// a fallback.
//
// Output is deterministic: the same data gives the same bytes.
package figures

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DPI is the resolution of the PNG files.
const DPI = 150

// sans is the typeface of every text.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func init() {
	// plot registers the Liberation fonts in font.DefaultCache; make the
	// charts use the sans-serif face too.
	plot.DefaultFont = sans
}

// Okabe–Ito colours (Okabe and Ito, Color Universal Design, 2008).
var (
	Black     = color.RGBA{0, 0, 0, 255}
	Orange    = color.RGBA{230, 159, 0, 255}
	SkyBlue   = color.RGBA{86, 180, 233, 255}
	Green     = color.RGBA{0, 158, 115, 255}
	Yellow    = color.RGBA{240, 228, 66, 255}
	Blue      = color.RGBA{0, 114, 178, 255}
	Vermilion = color.RGBA{213, 94, 0, 255}
	Purple    = color.RGBA{204, 121, 167, 255}
	Grey      = color.RGBA{110, 110, 110, 255}
	LightGrey = color.RGBA{200, 200, 200, 255}
	White     = color.RGBA{255, 255, 255, 255}
)

// OkabeIto lists the palette in the order charts use it.
var OkabeIto = []color.Color{Blue, Orange, Green, Vermilion, SkyBlue, Purple, Yellow, Black}

// Values of golang.org/x/image/font's Weight and Style that the text uses.
const (
	weightBold  = 3 // font.WeightBold
	styleItalic = 1 // font.StyleItalic
)

// style returns a text style of the given size.
func style(size vg.Length, bold bool, clr color.Color) draw.TextStyle {
	f := sans
	if bold {
		f.Weight = weightBold
	}
	f.Size = size
	return draw.TextStyle{Color: clr, Font: f, Handler: text.Plain{Fonts: font.DefaultCache}, XAlign: draw.XLeft, YAlign: draw.YBottom}
}

// Picture is a drawing of a fixed size.
type Picture interface {
	Size() (w, h vg.Length)
	Draw(c draw.Canvas)
}

// WriteSVG writes the picture as SVG.
func WriteSVG(w io.Writer, p Picture) error {
	wd, ht := p.Size()
	c := vgsvg.New(wd, ht)
	dc := draw.New(c)
	dc.SetColor(White)
	fillRect(dc, White, dc.Min, dc.Max)
	p.Draw(dc)
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return err
	}
	// Name metric-compatible fallbacks for viewers without Liberation Sans.
	s := strings.ReplaceAll(b.String(), "font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
	_, err := io.WriteString(w, s)
	return err
}

// WritePNG writes the picture as PNG at DPI dots per inch.
func WritePNG(w io.Writer, p Picture) error {
	wd, ht := p.Size()
	c := vgimg.NewWith(vgimg.UseWH(wd, ht), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(White))
	p.Draw(draw.New(c))
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

// Save writes the picture to dir/name.svg and dir/name.png and returns the
// two file names.
func Save(dir, name string, p Picture) ([]string, error) {
	var out []string
	for _, ext := range []string{"svg", "png"} {
		var b bytes.Buffer
		var err error
		if ext == "svg" {
			err = WriteSVG(&b, p)
		} else {
			err = WritePNG(&b, p)
		}
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", name, ext, err)
		}
		path := filepath.Join(dir, name+"."+ext)
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			return nil, err
		}
		out = append(out, path)
	}
	return out, nil
}

func fillRect(c draw.Canvas, clr color.Color, min, max vg.Point) {
	c.FillPolygon(clr, []vg.Point{min, {X: max.X, Y: min.Y}, max, {X: min.X, Y: max.Y}})
}

func strokeRect(c draw.Canvas, ls draw.LineStyle, min, max vg.Point) {
	c.StrokeLines(ls, []vg.Point{min, {X: max.X, Y: min.Y}, max, {X: min.X, Y: max.Y}, min})
}

// wrap breaks a text into lines no wider than width.
func wrap(sty draw.TextStyle, s string, width vg.Length) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		line := ""
		for _, w := range words {
			try := w
			if line != "" {
				try = line + " " + w
			}
			if line != "" && sty.Width(try) > width {
				lines = append(lines, line)
				line = w
				continue
			}
			line = try
		}
		lines = append(lines, line)
	}
	return lines
}

// textLines draws lines of text downwards from a top-left point and
// returns the y below the last line.
func textLines(c draw.Canvas, sty draw.TextStyle, x, top vg.Length, lines []string) vg.Length {
	lh := sty.Font.Size * 1.25
	y := top
	sty.YAlign = draw.YTop
	for _, l := range lines {
		c.FillText(sty, vg.Point{X: x, Y: y}, l)
		y -= lh
	}
	return y
}
