package capacity

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/gstplan/gst"
)

// checkRegion validates the region an entry point works on and returns the
// error to give back, wrapped so that it says which input was at fault.
func checkRegion(r *gst.Region) error {
	if r == nil {
		return &gst.ValidationError{Where: "region", Err: errors.New("must not be nil")}
	}
	return r.Validate()
}

// finite reports whether v is a finite number.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// ratio returns a/b, or nil when b is zero (or the quotient is not finite):
// a ratio against nothing is undefined, and outputs carry null rather than
// an infinite or NaN number.
func ratio(a, b float64) *float64 {
	if b == 0 {
		return nil
	}
	q := a / b
	if !finite(q) {
		return nil
	}
	return &q
}

// perThousand returns v per 1,000 people, or nil when population is zero.
func perThousand(v, population float64) *float64 {
	if population <= 0 {
		return nil
	}
	q := v * 1000 / population
	if !finite(q) {
		return nil
	}
	return &q
}

// formatFloat renders a number for CSV: shortest exact decimal form.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// formatOpt renders an optional number for CSV: empty when nil.
func formatOpt(v *float64) string {
	if v == nil {
		return ""
	}
	return formatFloat(*v)
}

// whereIndexed names the i-th (0-based) record of a list given to an entry
// point, for error messages: `rate #3 (service "x")`.
func whereIndexed(kind string, i int, detail string) string {
	if detail == "" {
		return fmt.Sprintf("%s #%d", kind, i+1)
	}
	return fmt.Sprintf("%s #%d (%s)", kind, i+1, detail)
}
