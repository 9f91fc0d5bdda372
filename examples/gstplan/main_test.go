package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gstplan/gst/examples/internal/scenario"
)

// regionDir is the bundled region the tests use.
const regionDir = "../data/tanger"

// copyRegion copies the bundled region into a temporary directory.
func copyRegion(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(regionDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(regionDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// editLine replaces field col (from 0) of record n (from 1, the header
// being record 1) of a CSV file.
func editLine(t *testing.T, path string, n, col int, value string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs[n-1][col] = value
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendLine(t *testing.T, path, line string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(line + "\n"); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrokenInputs(t *testing.T) {
	tests := []struct {
		name string
		// edit breaks the region copy in dir; it returns extra arguments.
		edit func(t *testing.T, dir string) []string
		code int
		// want lists substrings that must each appear on one line of stderr.
		want []string
	}{
		{"population not a number", func(t *testing.T, dir string) []string {
			editLine(t, filepath.Join(dir, "areas.csv"), 3, 5, "abc")
			return nil
		}, exitData, []string{"areas.csv:3:6:", "population"}},
		{"negative population", func(t *testing.T, dir string) []string {
			editLine(t, filepath.Join(dir, "areas.csv"), 4, 5, "-5")
			return nil
		}, exitData, []string{"areas.csv:4:6:", "population"}},
		{"latitude out of range", func(t *testing.T, dir string) []string {
			editLine(t, filepath.Join(dir, "areas.csv"), 2, 3, "135.2")
			return nil
		}, exitData, []string{"areas.csv:2:4:", "lat"}},
		{"duplicate area", func(t *testing.T, dir string) []string {
			b, _ := os.ReadFile(filepath.Join(dir, "areas.csv"))
			second := strings.Split(string(b), "\n")[1]
			appendLine(t, filepath.Join(dir, "areas.csv"), second)
			return nil
		}, exitData, []string{"areas.csv:148:", "duplicate"}},
		{"unknown level", func(t *testing.T, dir string) []string {
			editLine(t, filepath.Join(dir, "establishments.csv"), 5, 2, "clinic")
			return nil
		}, exitData, []string{"establishments.csv:5:3:", "level", `"clinic"`}},
		{"offer of an unknown establishment", func(t *testing.T, dir string) []string {
			appendLine(t, filepath.Join(dir, "offers.csv"), "no-such-site,delivery,10")
			return nil
		}, exitData, []string{"offers.csv:", "establishment", `"no-such-site"`}},
		{"unknown service in offers", func(t *testing.T, dir string) []string {
			appendLine(t, filepath.Join(dir, "offers.csv"), "cand-01.051.09.01,teleportation,10")
			return nil
		}, exitData, []string{"offers.csv:", "service", `"teleportation"`}},
		{"unterminated quote", func(t *testing.T, dir string) []string {
			appendLine(t, filepath.Join(dir, "services.csv"), `x,"never closed,visit,essp,30`)
			return nil
		}, exitData, []string{"services.csv:"}},
		{"missing required column", func(t *testing.T, dir string) []string {
			b, _ := os.ReadFile(filepath.Join(dir, "areas.csv"))
			s := strings.Replace(string(b), ",population,", ",people,", 1)
			writeFile(t, filepath.Join(dir, "areas.csv"), s)
			return nil
		}, exitData, []string{"areas.csv:1:"}},
		{"no areas", func(t *testing.T, dir string) []string {
			empty := t.TempDir()
			writeFile(t, filepath.Join(empty, "areas.csv"), "id,name,province,lat,lon,population\n")
			return []string{"-region", empty}
		}, exitData, []string{"areas", "at least one area"}},
		{"a bad header does not cascade", func(t *testing.T, dir string) []string {
			b, _ := os.ReadFile(filepath.Join(dir, "areas.csv"))
			writeFile(t, filepath.Join(dir, "areas.csv"), strings.Replace(string(b), ",population,", ",people,", 1))
			return nil
		}, exitData, []string{"areas.csv:1:", `missing required column "population"`}},
		{"many problems are cut short", func(t *testing.T, dir string) []string {
			var b strings.Builder
			b.WriteString("id,lat,lon,population\n")
			for i := 0; i < 60; i++ {
				fmt.Fprintf(&b, "x%d,95,-5,10\n", i)
			}
			writeFile(t, filepath.Join(dir, "areas.csv"), b.String())
			for _, f := range []string{"segments.csv", "establishments.csv", "offers.csv", "staff.csv", "areas.geojson"} {
				if err := os.Remove(filepath.Join(dir, f)); err != nil {
					t.Fatal(err)
				}
			}
			return nil
		}, exitData, []string{"areas.csv:2:2:", "more problems not listed"}},
		{"binary garbage", func(t *testing.T, dir string) []string {
			writeFile(t, filepath.Join(dir, "staff.csv"), "\x00\x01\xff\xfe\"\n\x00,\"")
			return nil
		}, exitData, []string{"staff.csv"}},
		{"missing region", func(t *testing.T, dir string) []string {
			return []string{"-region", filepath.Join(dir, "nowhere")}
		}, exitData, []string{"nowhere"}},
		{"unknown service flag", func(t *testing.T, dir string) []string {
			return []string{"-service", "caesarean,nope"}
		}, exitData, []string{`unknown service "nope"`, "caesarean"}},
		{"unknown objective flag", func(t *testing.T, dir string) []string {
			return []string{"-objective", "cheapest"}
		}, exitUsage, []string{"objective", `"cheapest"`, "p-median"}},
		{"bad time limit flag", func(t *testing.T, dir string) []string {
			return []string{"-time-limit", "soon"}
		}, exitUsage, []string{"flags: -time-limit: not a duration", `"soon"`}},
		{"bad changes flag", func(t *testing.T, dir string) []string {
			return []string{"-changes", "-3"}
		}, exitUsage, []string{"flags: -changes: must be -1 (no limit), 0 (no change) or more, got -3"}},
		{"fixed charge without a travel cost", func(t *testing.T, dir string) []string {
			return []string{"-objective", "fixed-charge"}
		}, exitUsage, []string{"-travel-cost", "-horizon", "20 to 30", "capital recovery factor"}},
		{"population weights with capacities", func(t *testing.T, dir string) []string {
			return []string{"-weights", "population", "-capacity", "split"}
		}, exitUsage, []string{"-weights", "capacities count cases"}},
		{"bad csv locale", func(t *testing.T, dir string) []string {
			return []string{"-csv-locale", "de"}
		}, exitUsage, []string{`unknown CSV locale "de"`}},
		{"semicolon-separated csv", func(t *testing.T, dir string) []string {
			b, _ := os.ReadFile(filepath.Join(dir, "areas.csv"))
			writeFile(t, filepath.Join(dir, "areas.csv"), strings.ReplaceAll(string(b), ",", ";"))
			return nil
		}, exitData, []string{"areas.csv:1:", "separated by semicolons", "commas between columns"}},
		{"region id repeated", func(t *testing.T, dir string) []string {
			appendLine(t, filepath.Join(dir, "region.csv"), "id,99")
			return nil
		}, exitData, []string{"region.csv:", `"id" given twice`}},
		{"unknown keep site", func(t *testing.T, dir string) []string {
			return []string{"-keep", "ghost"}
		}, exitData, []string{"keep", `"ghost"`}},
		{"scenario unknown field", func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "sc.json")
			writeFile(t, p, "{\n  \"services\": [\"caesarean\"],\n  \"objectiv\": \"p-median\"\n}\n")
			return []string{"-scenario", p}
		}, exitData, []string{"sc.json:3:3:", "objectiv", "unknown field"}},
		{"scenario wrong type", func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "sc.json")
			writeFile(t, p, "{\n  \"services\": \"caesarean\"\n}\n")
			return []string{"-scenario", p}
		}, exitData, []string{"sc.json:2:", "services", "a list"}},
		{"scenario syntax error", func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "sc.json")
			writeFile(t, p, "{\n  \"services\": [\"caesarean\"],\n}\n")
			return []string{"-scenario", p}
		}, exitData, []string{"sc.json:3:"}},
		{"scenario with several problems", func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "sc.json")
			writeFile(t, p, `{"objective": "fastest", "p": -2, "capacity": "huge"}`)
			return []string{"-scenario", p}
		}, exitData, []string{"objective", "p: must not be negative", "capacity"}},
		{"scenario: every problem at once", func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "sc.json")
			writeFile(t, p, "{\n  \"services\": \"caesarean\",\n  \"objectiv\": \"p-median\",\n  \"max_changes\": \"two\",\n  \"budget\": true\n}\n")
			return []string{"-scenario", p}
		}, exitData, []string{"sc.json:2:15: services: wants a list", "sc.json:3:3: objectiv: unknown field", "sc.json:4:18: max_changes: wants a number", "sc.json:5:13: budget: wants a number"}},
		{"infeasible travel limit", func(t *testing.T, dir string) []string {
			return []string{"-max-travel", "5"}
		}, exitData, []string{"infeasible", "max travel", "caesarean"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyRegion(t)
			args := []string{"-region", dir, "-out", filepath.Join(t.TempDir(), "out"), "-q"}
			args = append(args, tt.edit(t, dir)...)
			var stdout, stderr bytes.Buffer
			code := run(args, &stdout, &stderr)
			msg := stderr.String()
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, msg)
			}
			if strings.Contains(msg, "panic") || strings.Contains(msg, "internal error") || strings.Contains(msg, "goroutine") {
				t.Errorf("stderr shows a crash:\n%s", msg)
			}
			for _, w := range tt.want {
				found := false
				for _, line := range strings.Split(msg, "\n") {
					if strings.Contains(line, w) && strings.HasPrefix(line, "gstplan: ") {
						found = true
					}
				}
				if !found {
					t.Errorf("no stderr line contains %q; stderr:\n%s", w, msg)
				}
			}
		})
	}
}

// TestReportsEveryProblem checks that two broken files give one line each.
func TestReportsEveryProblem(t *testing.T) {
	dir := copyRegion(t)
	editLine(t, filepath.Join(dir, "areas.csv"), 3, 5, "abc")
	editLine(t, filepath.Join(dir, "establishments.csv"), 5, 2, "clinic")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-region", dir, "-q"}, &stdout, &stderr); code != exitData {
		t.Fatalf("exit %d, want %d", code, exitData)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if strings.Contains(l, ".csv:") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 || !strings.Contains(lines[0]+lines[1], "areas.csv:3:6") || !strings.Contains(lines[0]+lines[1], "establishments.csv:5:3") {
		t.Errorf("want one line for each of the two problems, got:\n%s", stderr.String())
	}
}

func TestPlan(t *testing.T) {
	out1, out2 := t.TempDir(), t.TempDir()
	for _, out := range []string{out1, out2} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"-region", regionDir, "-out", out, "-service", "caesarean,delivery", "-changes", "2", "-q"}, &stdout, &stderr)
		if code != exitOK {
			t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "p-median: optimal") {
			t.Errorf("summary does not say the plan is optimal:\n%s", stdout.String())
		}
	}
	for _, name := range []string{"report.md", "plan.json", "sites.geojson", "areas.geojson", "assignment.geojson", "optimisation.csv",
		"changes.csv", "access.csv", "sites.csv", "areas.csv", "map.svg", "map.png", "travel.svg", "travel.png"} {
		a, err := os.ReadFile(filepath.Join(out1, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out2, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: empty or different between two runs (%d and %d bytes)", name, len(a), len(b))
		}
	}
	rep, _ := os.ReadFile(filepath.Join(out1, "report.md"))
	for _, sec := range []string{"## The optimisation", "## Travel today and with the plan", "## Sites", "## Sources and licences", "OpenStreetMap"} {
		if !bytes.Contains(rep, []byte(sec)) {
			t.Errorf("report lacks %q", sec)
		}
	}
	var res struct {
		Population float64
		Decision   struct {
			Opened []struct{ ID string }
			Plan   struct {
				Status         string
				Gap            float64
				Value, Bound   float64
				BeforeValue    float64 `json:"before_value"`
				WeightedTravel float64 `json:"weighted_travel"`
			}
		}
	}
	b, _ := os.ReadFile(filepath.Join(out1, "plan.json"))
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	p := res.Decision.Plan
	if res.Population != 4030222 {
		t.Errorf("population %v, want 4,030,222 (RGPH 2024)", res.Population)
	}
	if p.Status != "optimal" || p.Gap > 1e-9 || p.Bound > p.Value*(1+1e-9) {
		t.Errorf("status %s, gap %g, value %g, bound %g", p.Status, p.Gap, p.Value, p.Bound)
	}
	if len(res.Decision.Opened) != 2 || p.Value >= p.BeforeValue {
		t.Errorf("opened %d sites, value %g against %g today: want 2 openings that reduce travel", len(res.Decision.Opened), p.Value, p.BeforeValue)
	}
	var gj struct {
		Type     string
		Features []struct {
			Geometry struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	b, _ = os.ReadFile(filepath.Join(out1, "sites.geojson"))
	if err := json.Unmarshal(b, &gj); err != nil || gj.Type != "FeatureCollection" || len(gj.Features) == 0 {
		t.Fatalf("sites.geojson: %v, type %q, %d features", err, gj.Type, len(gj.Features))
	}
	// RFC 7946: [longitude, latitude]; the region lies near 35° N, 5.5° W.
	var pt [2]float64
	for _, f := range gj.Features {
		if f.Geometry.Type == "Point" {
			if err := json.Unmarshal(f.Geometry.Coordinates, &pt); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if pt[0] > -1 || pt[0] < -7 || pt[1] < 34 || pt[1] > 36.5 {
		t.Errorf("first point %v is not [lon, lat] in the region", pt)
	}
}

func TestScenarioFile(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join(dir, "sc.json")
	writeFile(t, sc, `{"name": "Coverage of emergency care", "services": ["emergency"], "objective": "max-coverage", "max_changes": 1, "time_limit": "20s"}`)
	var stdout, stderr bytes.Buffer
	// A flag overrides the file: two changes instead of one.
	code := run([]string{"-region", regionDir, "-out", filepath.Join(dir, "out"), "-scenario", sc, "-changes", "2", "-q"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	b, _ := os.ReadFile(filepath.Join(dir, "out", "plan.json"))
	var res struct {
		Scenario scenario.Scenario
		Decision struct {
			Plan struct {
				Objective string
				Opened    int
			}
		}
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Scenario.MaxChanges == nil || *res.Scenario.MaxChanges != 2 || res.Decision.Plan.Objective != "maximal coverage" || res.Decision.Plan.Opened > 2 {
		t.Errorf("scenario %+v, plan %+v", res.Scenario, res.Decision.Plan)
	}
	rep, _ := os.ReadFile(filepath.Join(dir, "out", "report.md"))
	if !bytes.HasPrefix(rep, []byte("# Coverage of emergency care")) {
		t.Errorf("report does not start with the scenario's name:\n%.200s", rep)
	}
}
