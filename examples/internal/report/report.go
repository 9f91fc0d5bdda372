// Package report writes the Markdown of the example programs' reports:
// tables, numbers with thousands separators and percentages, in a form a
// regional committee can read in any Markdown viewer.
package report

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// Doc accumulates a Markdown document.
type Doc struct {
	b strings.Builder
}

// H writes a heading of the given level.
func (d *Doc) H(level int, format string, args ...any) {
	fmt.Fprintf(&d.b, "%s %s\n\n", strings.Repeat("#", level), fmt.Sprintf(format, args...))
}

// P writes a paragraph.
func (d *Doc) P(format string, args ...any) {
	fmt.Fprintf(&d.b, "%s\n\n", fmt.Sprintf(format, args...))
}

// Bullets writes a list.
func (d *Doc) Bullets(items ...string) {
	for _, it := range items {
		fmt.Fprintf(&d.b, "- %s\n", it)
	}
	d.b.WriteString("\n")
}

// Image writes an image with its alternative text.
func (d *Doc) Image(alt, path string) {
	fmt.Fprintf(&d.b, "![%s](%s)\n\n", alt, path)
}

// Table writes a table; align holds "l" or "r" per column (default left).
func (d *Doc) Table(header []string, align string, rows [][]string) {
	esc := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
	cells := make([]string, len(header))
	for i, h := range header {
		cells[i] = esc(h)
	}
	fmt.Fprintf(&d.b, "| %s |\n", strings.Join(cells, " | "))
	seps := make([]string, len(header))
	for i := range header {
		seps[i] = "---"
		if i < len(align) && align[i] == 'r' {
			seps[i] = "---:"
		}
	}
	fmt.Fprintf(&d.b, "|%s|\n", strings.Join(seps, "|"))
	for _, r := range rows {
		cs := make([]string, len(header))
		for i := range cs {
			if i < len(r) {
				cs[i] = esc(r[i])
			}
		}
		fmt.Fprintf(&d.b, "| %s |\n", strings.Join(cs, " | "))
	}
	d.b.WriteString("\n")
}

// Raw writes text as it is.
func (d *Doc) Raw(s string) { d.b.WriteString(s) }

// String returns the document.
func (d *Doc) String() string { return d.b.String() }

// WriteTo writes the document.
func (d *Doc) WriteTo(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, d.b.String())
	return int64(n), err
}

// Int formats a number rounded to a whole number with thousands separators:
// 4467911 → "4,467,911". NaN and infinities print as "–".
func Int(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	v = math.Round(v)
	if v == 0 {
		return "0" // no "-0"
	}
	neg := v < 0
	s := fmt.Sprintf("%.0f", math.Abs(v))
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "−" + string(out)
	}
	return string(out)
}

// Dec formats a number with the given decimals and thousands separators.
func Dec(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if decimals <= 0 {
		return Int(v)
	}
	p := math.Pow(10, float64(decimals))
	r := math.Round(v*p) / p
	whole := math.Trunc(r)
	frac := math.Abs(r - whole)
	s := Int(whole)
	if whole == 0 && r < 0 {
		s = "−0"
	}
	f := fmt.Sprintf("%.*f", decimals, frac)
	return s + f[1:]
}

// Pct formats a fraction as a percentage with the given decimals: 0.1234
// → "12.3%".
func Pct(frac float64, decimals int) string {
	if math.IsNaN(frac) || math.IsInf(frac, 0) {
		return "–"
	}
	return Dec(100*frac, decimals) + "%"
}

// Signed formats a change with an explicit sign: "+1,234" or "−56".
func Signed(v float64, decimals int) string {
	s := Dec(v, decimals)
	if math.Round(v*math.Pow(10, float64(decimals))) > 0 {
		return "+" + s
	}
	return s
}

// Arrow formats a before → after pair.
func Arrow(before, after string) string { return before + " → " + after }
