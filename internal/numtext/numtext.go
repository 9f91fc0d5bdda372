// Package numtext formats numbers for the messages of the library (errors,
// notes, warnings): plain decimal notation a person can read, never
// scientific notation and never the noise of binary floating point.
//
// Format rounds a quantity to what a message needs: whole numbers above
// 100 with thousands separators ("23,659", "100,000,000"), two decimals
// at most between 1 and 100 ("30.7", "7.25"), three significant digits
// below 1 ("0.0123"). Exact integers print exactly. It is safe for
// concurrent use and deterministic.
package numtext

import (
	"math"
	"strconv"
	"strings"
)

// Format returns v as a message should show it (see the package
// documentation). NaN prints as "NaN" and infinities as "infinity" or
// "-infinity".
func Format(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "infinity"
	case math.IsInf(v, -1):
		return "-infinity"
	}
	a := math.Abs(v)
	var s string
	switch {
	case a == 0:
		return "0"
	case a >= 100 || a == math.Trunc(a):
		s = strconv.FormatFloat(math.Round(a), 'f', 0, 64)
		s = group(s)
	case a >= 1:
		s = trim(strconv.FormatFloat(a, 'f', 2, 64))
	default:
		// Three significant digits.
		dec := 2 - int(math.Floor(math.Log10(a)))
		s = trim(strconv.FormatFloat(a, 'f', dec, 64))
	}
	if s == "0" {
		return "0"
	}
	if v < 0 {
		return "-" + s
	}
	return s
}

// trim drops the trailing zeros of a decimal fraction, and the point.
func trim(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// group inserts a comma every three digits of a whole number.
func group(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
