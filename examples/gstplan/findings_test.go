package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tests of this file pin what a new user of gstplan found wrong: each
// runs the program as they did and checks the answer is the one asked.

// planJSON is the part of plan.json the tests read.
type planJSON struct {
	WeightsBasis string `json:"weights_basis"`
	Eligibility  []string
	Warnings     []struct{ File, Kind, Message string }
	Decision     struct {
		Opened []struct{ ID, Label string }
		Closed []struct{ ID string }
		Plan   struct {
			Value        float64
			BeforeValue  float64 `json:"before_value"`
			BeforeServed float64 `json:"before_served"`
			Opened       int
			Closed       int
			Changes      int
			Before       []struct {
				Demand, Served float64
				Sites          []struct {
					Site        string
					Utilisation float64
				}
			}
			After []struct{ Demand, Served float64 }
		}
	}
	Access []struct {
		Group         string
		Before, After struct{ Unserved float64 }
	}
	Sweep []struct {
		MaxChanges int `json:"max_changes"`
		Opened     []struct{ ID string }
		Error      string
	}
}

// runPlan runs gstplan and returns its plan.json, the report and stderr.
func runPlan(t *testing.T, region string, args ...string) (*planJSON, string, string) {
	t.Helper()
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"-region", region, "-out", out, "-q", "-pictures=false"}, args...), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("gstplan %s: exit %d; stderr:\n%s", strings.Join(args, " "), code, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p planJSON
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	rep, _ := os.ReadFile(filepath.Join(out, "report.md"))
	return &p, string(rep), stderr.String()
}

// Finding 1: changes are "at most N", each made only when it lowers the
// objective; the report shows the best plan for 0, 1, …, N changes.
func TestChangesAtMost(t *testing.T) {
	const fm = "../data/fesmeknes"
	// No candidate shortens a delivery trip: nothing opens.
	p, rep, _ := runPlan(t, fm, "-service", "delivery", "-changes", "10")
	if p.Decision.Plan.Changes != 0 || p.Decision.Plan.Value != p.Decision.Plan.BeforeValue {
		t.Errorf("delivery, 10 changes: %d changes, value %v against %v today", p.Decision.Plan.Changes, p.Decision.Plan.Value, p.Decision.Plan.BeforeValue)
	}
	if len(p.Sweep) != 11 || !strings.Contains(rep, "## How many changes?") {
		t.Errorf("delivery: %d sweep steps; report:\n%.400s", len(p.Sweep), rep)
	}
	p, _, _ = runPlan(t, fm, "-service", "delivery", "-changes", "0")
	if p.Decision.Plan.Changes != 0 {
		t.Errorf("no change allowed: %d changes", p.Decision.Plan.Changes)
	}
	// The budget allows one new hospital (111 million each): one opens.
	p, _, _ = runPlan(t, fm, "-service", "caesarean", "-changes", "2", "-budget", "150000000")
	if p.Decision.Plan.Opened != 1 {
		t.Errorf("caesarean, budget for one: opens %d", p.Decision.Plan.Opened)
	}
	// Each step of the sweep makes no more changes than it allows and at
	// least as many as the one before.
	p, rep, _ = runPlan(t, fm, "-service", "caesarean", "-changes", "3")
	for i, s := range p.Sweep {
		if s.MaxChanges != i || len(s.Opened) > i || i > 0 && len(s.Opened) < len(p.Sweep[i-1].Opened) {
			t.Errorf("sweep step %d: %+v", i, s)
		}
	}
	if !strings.Contains(rep, "MAD per hour of travel saved a year") {
		t.Error("the report does not price the travel saved")
	}
}

// Finding 2: capacitated runs count cases, on both pilots; today's figures
// honour the capacities.
func TestCapacitatedCases(t *testing.T) {
	for _, reg := range []string{"../data/fesmeknes", "../data/tanger"} {
		p, rep, _ := runPlan(t, reg, "-service", "caesarean", "-capacity", "split", "-year", "2030")
		if !strings.HasPrefix(p.WeightsBasis, "cases a year") {
			t.Errorf("%s: weights %q", reg, p.WeightsBasis)
		}
		for _, f := range p.Decision.Plan.Before {
			for _, s := range f.Sites {
				if s.Utilisation > 1+1e-9 {
					t.Errorf("%s: today, %s runs at %v of its capacity", reg, s.Site, s.Utilisation)
				}
			}
		}
		if !strings.Contains(rep, "within their capacities") {
			t.Errorf("%s: the report does not say today's figures honour capacities", reg)
		}
		// The access table counts the demand of partly served areas that
		// no site takes, as the plan does.
		for _, a := range p.Access {
			if a.Group != "region" {
				continue
			}
			before := p.Decision.Plan.Before[0].Demand - p.Decision.Plan.Before[0].Served
			after := p.Decision.Plan.After[0].Demand - p.Decision.Plan.After[0].Served
			if math.Abs(a.Before.Unserved-before) > 1e-6*before+1e-6 || math.Abs(a.After.Unserved-after) > 1e-6*after+1e-6 {
				t.Errorf("%s: access table unserved %.2f → %.2f, the plan %.2f → %.2f", reg, a.Before.Unserved, a.After.Unserved, before, after)
			}
		}
	}
}

// Finding 3: lat and lon swapped in establishments.csv are warned about,
// naming the file and line, on stderr and in the report.
func TestSwappedCoordinates(t *testing.T) {
	dir := copyRegion(t)
	path := filepath.Join(dir, "establishments.csv")
	b, _ := os.ReadFile(path)
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	la, lo := 0, 0
	for i, h := range recs[0] {
		switch h {
		case "lat":
			la = i
		case "lon":
			lo = i
		}
	}
	for _, r := range recs[1:] {
		r[la], r[lo] = r[lo], r[la]
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	_ = w.WriteAll(recs)
	writeFile(t, path, out.String())
	o := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"-region", dir, "-out", o, "-pictures=false"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "establishments.csv:2:7:") || !strings.Contains(stderr.String(), "latitude and longitude look swapped") {
		t.Errorf("stderr does not warn:\n%.600s", stderr.String())
	}
	rep, _ := os.ReadFile(filepath.Join(o, "report.md"))
	if !bytes.Contains(rep, []byte("Check the data first")) || !bytes.Contains(rep, []byte("establishments.csv")) {
		t.Errorf("the report does not warn:\n%.600s", rep)
	}
	if _, err := os.Stat(filepath.Join(o, "warnings.csv")); err != nil {
		t.Error(err)
	}
}

// Finding 4: names survive in every script; finding 5: a service is added
// to existing public hospitals when no candidate site offers it.
func TestDialysisAtHospitalsWithNames(t *testing.T) {
	const ibnBaytar = "osm-way-561184067" // مستشفى ابن البتطار, Fès, without dialysis today
	p, rep, _ := runPlan(t, "../data/fesmeknes", "-service", "dialysis", "-changes", "2", "-keep", ibnBaytar)
	if len(p.Decision.Opened) == 0 || len(p.Decision.Opened) > 2 {
		t.Fatalf("opens %+v", p.Decision.Opened)
	}
	for _, o := range p.Decision.Opened {
		if strings.HasPrefix(o.ID, "cand-") {
			t.Errorf("opens the candidate site %s", o.ID)
		}
	}
	if !strings.Contains(rep, "مستشفى ابن البتطار (Fès) `"+ibnBaytar+"`") || !strings.Contains(rep, "existing hospitals (local level or above) that could add it") {
		t.Errorf("report:\n%.1500s", rep)
	}
	p, _, _ = runPlan(t, "../data/fesmeknes", "-service", "dialysis", "-changes", "2")
	if len(p.Decision.Opened) != 2 {
		t.Errorf("dialysis at two hospitals: opens %+v", p.Decision.Opened)
	}
}

// Finding 7: a service no site offers today is "not served" today, not 0
// minutes.
func TestNotServedToday(t *testing.T) {
	dir := copyRegion(t)
	b, _ := os.ReadFile(filepath.Join(dir, "offers.csv"))
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if !strings.Contains(l, ",dialysis,") {
			keep = append(keep, l)
		}
	}
	writeFile(t, filepath.Join(dir, "offers.csv"), strings.Join(keep, "\n")+"\n")
	p, rep, _ := runPlan(t, dir, "-service", "dialysis", "-new-at", "hospitals", "-changes", "2")
	if p.Decision.Plan.BeforeServed != 0 {
		t.Errorf("served today %v", p.Decision.Plan.BeforeServed)
	}
	if !strings.Contains(rep, "not served: no site is open today") || !strings.Contains(rep, "not served → ") || strings.Contains(rep, "| 0.0 → ") {
		t.Errorf("report:\n%s", rep)
	}
}

// Finding 8: shuffled rows, byte-identical outputs.
func TestShuffledRowsSameOutputs(t *testing.T) {
	dir := copyRegion(t)
	rng := rand.New(rand.NewSource(15))
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".csv") {
			continue
		}
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		rows := lines[1:]
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		writeFile(t, filepath.Join(dir, e.Name()), strings.Join(lines, "\n")+"\n")
	}
	outs := []string{t.TempDir(), t.TempDir()}
	for i, reg := range []string{regionDir, dir} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"-region", reg, "-out", outs[i], "-q", "-pictures=false", "-service", "caesarean,delivery", "-changes", "2"}, &stdout, &stderr); code != exitOK {
			t.Fatalf("exit %d:\n%s", code, stderr.String())
		}
	}
	for _, name := range []string{"plan.json", "report.md", "sites.geojson", "areas.geojson", "assignment.geojson", "access.csv", "areas.csv", "sites.csv", "changes.csv"} {
		a, _ := os.ReadFile(filepath.Join(outs[0], name))
		b, _ := os.ReadFile(filepath.Join(outs[1], name))
		// The report and plan.json name the region directory.
		b = bytes.ReplaceAll(b, []byte(dir), []byte(regionDir))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs with shuffled rows (%d and %d bytes)", name, len(a), len(b))
		}
	}
}

// Finding 13: one geometry type per GeoJSON layer, flat properties; CSV
// beside the tables, with a French-locale variant.
func TestOutputsForTools(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-region", regionDir, "-out", out, "-q", "-pictures=false", "-csv-locale", "fr"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	for name, geom := range map[string]string{"sites.geojson": "Point", "areas.geojson": "MultiPolygon", "assignment.geojson": "LineString"} {
		b, _ := os.ReadFile(filepath.Join(out, name))
		var fc struct {
			Features []struct {
				Geometry   struct{ Type string }
				Properties map[string]any
			}
		}
		if err := json.Unmarshal(b, &fc); err != nil || len(fc.Features) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range fc.Features {
			if f.Geometry.Type != geom {
				t.Fatalf("%s: a %s in a layer of %s", name, f.Geometry.Type, geom)
			}
			for k, v := range f.Properties {
				switch v.(type) {
				case map[string]any, []any:
					t.Fatalf("%s: nested property %s", name, k)
				}
			}
		}
		if bytes.Contains(b, []byte("00000000")) {
			t.Errorf("%s: float noise", name)
		}
	}
	b, _ := os.ReadFile(filepath.Join(out, "access.csv"))
	if !bytes.HasPrefix(b, []byte("\uFEFFservice;service name;group;")) || !bytes.Contains(b, []byte("mean travel today (min)")) || !bytes.Contains(b, []byte(",")) {
		t.Errorf("access.csv:\n%.300s", b)
	}
	rep, _ := os.ReadFile(filepath.Join(out, "report.md"))
	for _, f := range []string{"optimisation.csv", "access.csv", "sites.csv", "areas.csv"} {
		if !bytes.Contains(rep, []byte("("+f+")")) {
			t.Errorf("the report does not link %s", f)
		}
	}
}
