package msgtext

import (
	"fmt"
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {3, "3"}, {2500, "2500"}, {3000000, "3,000,000"}, {2.9999999, "3"}, {1.5, "1.5"},
		{1.0 / 3, "0.333"}, {1234567.5, "1,234,568"}, {-0.25, "-0.25"},
		// Never scientific notation nor float noise (finding 11).
		{1.118e4, "11,180"}, {1e8, "100,000,000"}, {2.22e8, "222,000,000"}, {23658.668356508566, "23,659"},
		{4.030222e6, "4,030,222"}, {30.700000000000003, "30.7"}, {0.0123456, "0.0123"}, {-0.000123456, "-0.000123"},
		{1e21, "1,000,000,000,000,000,000,000"}, {-1e-9, "0"}, {0.00004, "0.00004"},
		{math.NaN(), "NaN"}, {math.Inf(1), "infinity"}, {math.Inf(-1), "-infinity"},
	} {
		if got := Number(tc.v); got != tc.want {
			t.Errorf("Number(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f", "g"}
	for _, tc := range []struct {
		n    int
		want string
	}{
		{7, "a, b, c, d, e, f, g"}, {10, "a, b, c, d, e, f, g"}, {5, "a, b, c, d, e (and 2 more)"}, {0, " (and 7 more)"},
	} {
		if got := List(ids, tc.n); got != tc.want {
			t.Errorf("List(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := List(nil, 3); got != "" {
		t.Errorf("List(nil) = %q", got)
	}
}

func ExampleNumber() {
	fmt.Println(Number(1.118e4), Number(1e8), Number(30.700000000000003))
	// Output: 11,180 100,000,000 30.7
}
