package round

import "math"

// Clean returns v rounded to nine decimals, and zero for anything within
// 1e-9 of zero (never -0).
func Clean(v float64) float64 {
	if math.Abs(v) < 1e-9 {
		return 0
	}
	r := math.Round(v*1e9) / 1e9
	if r == 0 {
		return 0
	}
	return r
}
