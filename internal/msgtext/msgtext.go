package msgtext

import (
	"fmt"
	"math"
	"strings"
)

// Number writes a figure of a message: a whole number (within 1e-6) without
// decimals ("3", "3000000"), any other with four significant digits
// ("1.5", "0.3333", "1.235e+06").
func Number(v float64) string {
	if math.Abs(v-math.Round(v)) < 1e-6 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.4g", v)
}

// List joins the first n items with ", " and counts the others: "a, b, c
// (and 4 more)".
func List(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s (and %d more)", strings.Join(items[:n], ", "), len(items)-n)
}
