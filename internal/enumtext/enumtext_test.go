package enumtext

import "testing"

func TestParse(t *testing.T) {
	names := []string{"", "p-median", "weighted p-center", "maximal coverage"}
	aliases := map[string]int{"max coverage": 3}
	for _, tc := range []struct {
		text string
		want int
		ok   bool
	}{
		{"p-median", 1, true}, {"P-Median", 1, true}, {"p median", 1, true}, {" weighted-p-center ", 2, true},
		{"weighted_p_center", 2, true}, {"maximal coverage", 3, true}, {"max-coverage", 3, true},
		{"", 0, false}, {"cheapest", 0, false}, {"p-medians", 0, false},
	} {
		got, ok := Parse([]byte(tc.text), names, aliases)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Parse(%q) = %d %v, want %d %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}
