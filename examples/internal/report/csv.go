package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Locale says how a CSV file writes its separators, for the spreadsheet
// that opens it.
type Locale int

// The locales.
const (
	// English separates columns with commas and writes a decimal point:
	// what spreadsheets read by default in most locales, and every
	// program that reads CSV.
	English Locale = iota
	// French separates columns with semicolons and writes a decimal
	// comma: what Excel and LibreOffice set to a French locale (Morocco,
	// France) read when the file is opened with a double click.
	French
)

// ParseLocale reads "en" or "fr".
func ParseLocale(s string) (Locale, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "en":
		return English, nil
	case "fr":
		return French, nil
	}
	return 0, fmt.Errorf("unknown CSV locale %q (want en: commas and decimal points, or fr: semicolons and decimal commas)", s)
}

// CSV is a table to write as a CSV file beside a report. Header names
// carry their unit ("mean travel today (min)"); cells are strings,
// integers or float64 (NaN writes an empty cell), rounded by the caller to
// the decimals that mean something.
type CSV struct {
	Header []string
	Rows   [][]any
}

// Add appends a row.
func (t *CSV) Add(cells ...any) { t.Rows = append(t.Rows, cells) }

// Write writes the table in UTF-8 with a byte order mark (so that Excel
// reads accents and Arabic names right), CRLF line ends, and the
// separators of the locale. A row of another width than the header is an
// error.
func (t *CSV) Write(w io.Writer, loc Locale) error {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	cw := csv.NewWriter(&b)
	cw.UseCRLF = true
	if loc == French {
		cw.Comma = ';'
	}
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for i, r := range t.Rows {
		if len(r) != len(t.Header) {
			return fmt.Errorf("csv: row %d has %d cells, the header %d", i+1, len(r), len(t.Header))
		}
		rec := make([]string, len(r))
		for j, c := range r {
			rec[j] = cell(c, loc)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// cell formats one cell: numbers in plain decimal notation (never
// scientific), with the locale's decimal mark.
func cell(c any, loc Locale) string {
	var s string
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		if v == 0 {
			v = 0 // no -0
		}
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		s = fmt.Sprint(v)
	}
	if loc == French {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Round rounds v to the given decimals (NaN stays NaN): what a CSV cell
// should hold, free of float noise.
func Round(v float64, decimals int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}
