// Package report writes the Markdown of the example programs' reports:
// tables, numbers with thousands separators and percentages, in a form a
// regional committee can read in any Markdown viewer.
package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Doc accumulates a Markdown document.
type Doc struct {
	b strings.Builder
	// LinkCSV makes Table write each table as a CSV file too (see Tables)
	// and link it under the table.
	LinkCSV bool
	heading string
	tables  []NamedCSV
	names   map[string]int
}

// NamedCSV is a table of the document with the name of its CSV file.
type NamedCSV struct {
	Name  string
	Table *CSV
}

// H writes a heading of the given level.
func (d *Doc) H(level int, format string, args ...any) {
	d.heading = fmt.Sprintf(format, args...)
	fmt.Fprintf(&d.b, "%s %s\n\n", strings.Repeat("#", level), d.heading)
}

// Tables returns the tables written with LinkCSV set, in order, each as a
// CSV file named after the heading above it.
func (d *Doc) Tables() []NamedCSV { return d.tables }

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
	if d.LinkCSV {
		name := d.csvName()
		d.tables = append(d.tables, NamedCSV{Name: name, Table: tableCSV(header, rows)})
		fmt.Fprintf(&d.b, "*Table as CSV: [`%s`](%s).*\n\n", name, name)
	}
}

// csvName names the next table's CSV file after the heading above it.
func (d *Doc) csvName() string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(d.heading) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	base := strings.Trim(b.String(), "-")
	if base == "" {
		base = "table"
	}
	if d.names == nil {
		d.names = map[string]int{}
	}
	d.names[base]++
	if n := d.names[base]; n > 1 {
		base += fmt.Sprintf("-%d", n)
	}
	return base + ".csv"
}

// tableCSV turns a Markdown table back into data: a column of "a → b"
// cells becomes two ("… (before)" and "… (after)"), figures written with
// thousands separators, a minus sign or a percent sign become numbers
// (the header says "(%)"), and Markdown emphasis is dropped.
func tableCSV(header []string, rows [][]string) *CSV {
	arrow := make([]bool, len(header))
	pct := make([]bool, len(header))
	for _, r := range rows {
		for i := range header {
			if i < len(r) {
				arrow[i] = arrow[i] || strings.Contains(r[i], " → ")
				pct[i] = pct[i] || strings.HasSuffix(strings.TrimSpace(r[i]), "%")
			}
		}
	}
	t := &CSV{}
	for i, h := range header {
		h = plainText(h)
		if pct[i] {
			h += " (%)"
		}
		if arrow[i] {
			t.Header = append(t.Header, h+" (before)", h+" (after)")
		} else {
			t.Header = append(t.Header, h)
		}
	}
	for _, r := range rows {
		var out []any
		for i := range header {
			c := ""
			if i < len(r) {
				c = r[i]
			}
			if arrow[i] {
				a, b, _ := strings.Cut(c, " → ")
				out = append(out, cellValue(a), cellValue(b))
			} else {
				out = append(out, cellValue(c))
			}
		}
		t.Rows = append(t.Rows, out)
	}
	return t
}

// plainText drops Markdown emphasis and code marks.
func plainText(s string) string {
	return strings.TrimSpace(strings.NewReplacer("**", "", "`", "", "*", "").Replace(s))
}

// cellValue reads a cell written by Int, Dec, Pct or Signed back as a
// number; any other text stays text ("–" becomes empty).
func cellValue(c string) any {
	c = plainText(c)
	if c == "–" || c == "" {
		return ""
	}
	s := strings.TrimSuffix(c, "%")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "−", "-"), ",", "")
	s = strings.TrimPrefix(s, "+")
	if v, err := strconv.ParseFloat(s, 64); err == nil && numeric(s) {
		return v
	}
	return c
}

// numeric reports whether s is a plain decimal number.
func numeric(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == '-' && i == 0) {
			return false
		}
	}
	return true
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
