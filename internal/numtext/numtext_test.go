package numtext

import (
	"fmt"
	"math"
	"testing"
)

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{5, "5"},
		{-3, "-3"},
		{1e8, "100,000,000"},
		{2.22e8, "222,000,000"},
		{23658.668356508566, "23,659"},
		{11247, "11,247"},
		{4.030222e6, "4,030,222"},
		{999.6, "1,000"},
		{30.700000000000003, "30.7"},
		{7.25, "7.25"},
		{1.005, "1"},
		{0.0123456, "0.0123"},
		{0.5, "0.5"},
		{-0.000123456, "-0.000123"},
		{1e-30, "0.000000000000000000000000000001"},
		{1e21, "1,000,000,000,000,000,000,000"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "infinity"},
		{math.Inf(-1), "-infinity"},
	} {
		if got := Format(tt.v); got != tt.want {
			t.Errorf("Format(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func ExampleFormat() {
	fmt.Println(Format(1.118e4), Format(1e8), Format(30.700000000000003))
	// Output: 11,180 100,000,000 30.7
}
