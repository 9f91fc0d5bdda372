package msgtext

import "testing"

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {3, "3"}, {3000000, "3000000"}, {2.9999999, "3"}, {1.5, "1.5"},
		{1.0 / 3, "0.3333"}, {1234567.5, "1.235e+06"}, {-0.25, "-0.25"},
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
