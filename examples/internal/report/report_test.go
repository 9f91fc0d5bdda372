package report

import (
	"math"
	"strings"
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

// TestCSV pins the spreadsheet CSV: a byte order mark, CRLF, units in the
// header, plain decimals, and the French variant with semicolons and
// decimal commas; names in any script survive.
func TestCSV(t *testing.T) {
	tab := CSV{Header: []string{"site", "name", "mean travel (min)", "population (people)"}}
	tab.Add("osm-1", "مستشفى الغساني", Round(30.700000000000003, 1), 4030222.0)
	tab.Add("c-2", "Centre; \"Sud\"", math.NaN(), 1e8)
	var en, fr strings.Builder
	if err := tab.Write(&en, English); err != nil {
		t.Fatal(err)
	}
	if err := tab.Write(&fr, French); err != nil {
		t.Fatal(err)
	}
	wantEN := "\uFEFFsite,name,mean travel (min),population (people)\r\nosm-1,مستشفى الغساني,30.7,4030222\r\nc-2,\"Centre; \"\"Sud\"\"\",,100000000\r\n"
	wantFR := "\uFEFFsite;name;mean travel (min);population (people)\r\nosm-1;مستشفى الغساني;30,7;4030222\r\nc-2;\"Centre; \"\"Sud\"\"\";;100000000\r\n"
	if d := cmp.Diff(wantEN, en.String()); d != "" {
		t.Errorf("English (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantFR, fr.String()); d != "" {
		t.Errorf("French (-want +got):\n%s", d)
	}
	tab.Add("short")
	if err := tab.Write(&en, English); err == nil {
		t.Error("a short row was written")
	}
	if _, err := ParseLocale("de"); err == nil {
		t.Error("locale de accepted")
	}
}

// TestTableAsCSV pins the CSV beside a table of a report: arrows split
// into two columns, figures back to numbers, names kept.
func TestTableAsCSV(t *testing.T) {
	d := Doc{LinkCSV: true}
	d.H(2, "Gaps in 2030, region")
	d.Table([]string{"province", "need (FTE)", "mean minutes", "beyond"}, "lrrr", [][]string{
		{"**Fès**", Int(12345), Arrow(Dec(30.7, 1), Dec(25.25, 1)), Pct(0.123, 1)},
		{"Hôpital, Fès", Signed(-3, 0), Arrow("–", "12"), Pct(0, 1)},
	})
	d.Table([]string{"a"}, "l", [][]string{{"x"}})
	ts := d.Tables()
	if len(ts) != 2 || ts[0].Name != "gaps-in-2030-region.csv" || ts[1].Name != "gaps-in-2030-region-2.csv" {
		t.Fatalf("tables %+v", ts)
	}
	var b strings.Builder
	if err := ts[0].Table.Write(&b, English); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFprovince,need (FTE),mean minutes (before),mean minutes (after),beyond (%)\r\nFès,12345,30.7,25.3,12.3\r\n\"Hôpital, Fès\",-3,,12,0\r\n"
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if !strings.Contains(d.String(), "*Table as CSV: [`gaps-in-2030-region.csv`](gaps-in-2030-region.csv).*") {
		t.Errorf("no link:\n%s", d.String())
	}
}
