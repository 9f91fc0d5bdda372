package report

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNumbers(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Int(4467911), "4,467,911"},
		{Int(999.5), "1,000"},
		{Int(-1234), "−1,234"},
		{Int(-0.4), "0"},
		{Int(math.NaN()), "–"},
		{Dec(1234.567, 1), "1,234.6"},
		{Dec(-0.04, 1), "0.0"},
		{Dec(-0.06, 1), "−0.1"},
		{Dec(0.947, 2), "0.95"},
		{Pct(0.1234, 1), "12.3%"},
		{Pct(1, 0), "100%"},
		{Signed(12.5, 0), "+13"},
		{Signed(-3, 0), "−3"},
		{Signed(0.2, 0), "0"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestTable(t *testing.T) {
	var d Doc
	d.H(2, "Gaps")
	d.Table([]string{"province", "need"}, "lr", [][]string{{"Fès", "12"}, {"a|b", "3"}})
	want := "## Gaps\n\n| province | need |\n|---|---:|\n| Fès | 12 |\n| a\\|b | 3 |\n\n"
	if diff := cmp.Diff(want, d.String()); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}
