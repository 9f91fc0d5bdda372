package round

import (
	"math"
	"testing"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ v, want float64 }{
		{0.1 + 0.2, 0.3}, {1e-10, 0}, {-1e-10, 0}, {2.0000000004, 2}, {-3.5, -3.5}, {123456.7890123456, 123456.789012346},
	} {
		if got := Clean(tc.v); got != tc.want || math.Signbit(got) != math.Signbit(tc.want) {
			t.Errorf("Clean(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}
