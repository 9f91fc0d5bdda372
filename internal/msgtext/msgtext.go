package msgtext

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Number writes a figure of a message in plain decimal notation, never
// scientific and never with the noise of binary floating point: whole
// numbers (within 1e-6) and figures of 100 or more without decimals,
// grouped by thousands with commas from 10,000 on ("3", "2500",
// "23,659", "100,000,000"); figures from 1 to 100 with at most two
// decimals ("1.5", "30.7"); smaller ones with three significant digits
// ("0.333", "0.0123"). NaN prints as "NaN", infinities as "infinity" and
// "-infinity".
func Number(v float64) string {
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
	case math.Abs(a-math.Round(a)) < 1e-6 || a >= 100:
		s = group(strconv.FormatFloat(math.Round(a), 'f', 0, 64))
	case a >= 1:
		s = trim(strconv.FormatFloat(a, 'f', 2, 64))
	default:
		s = trim(strconv.FormatFloat(a, 'f', 2-int(math.Floor(math.Log10(a))), 64))
	}
	if v < 0 && s != "0" {
		return "-" + s
	}
	return s
}

// trim drops the trailing zeros of a decimal fraction, and the point.
func trim(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// group inserts a comma every three digits of a whole number of five
// digits or more.
func group(s string) string {
	if len(s) < 5 {
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

// List joins the first n items with ", " and counts the others: "a, b, c
// (and 4 more)".
func List(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s (and %d more)", strings.Join(items[:n], ", "), len(items)-n)
}
