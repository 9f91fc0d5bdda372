// Package pilottest checks a run of a pilot program in tests: the files it
// writes, the sections of its report, the figures of its plan and that two
// runs give the same bytes.
package pilottest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/examples/internal/report"
)

// Check runs the program in short mode on a bundled region and checks its
// outputs; population is the region's census total. Determinism is checked
// by running the pipeline a second time and comparing the text outputs (the
// figures package checks that its pictures are drawn byte for byte the
// same).
//
// When docs is not empty, the run also writes the README assets (-docs) and
// Check compares them with the files of that folder.
func Check(t *testing.T, name, regionDir string, population float64, docs string) {
	t.Helper()
	outs := []string{t.TempDir()}
	var summary string
	for _, out := range outs {
		var stdout, stderr bytes.Buffer
		// A deadline that a loaded machine (or the race detector) can
		// reach would stop a solve at a point that depends on the machine:
		// the time limit is far above what the short run needs, so that
		// every solve ends on its own criteria, which are deterministic.
		args := []string{"-region", regionDir, "-out", out, "-short", "-time-limit", "10m"}
		var written string
		if docs != "" {
			written = t.TempDir()
			args = append(args, "-docs", written)
		}
		code := pilot.Main(name, name, args, &stdout, &stderr)
		if code != 0 {
			t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
		}
		summary = stdout.String()
		if docs != "" {
			for _, f := range []string{name + "-maternity-map.png", name + "-summary.md"} {
				want, err := os.ReadFile(filepath.Join(docs, f))
				if err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(filepath.Join(written, f))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s is out of date: regenerate it with go run ./examples/%s -docs docs", filepath.Join(docs, f), name)
				}
			}
		}
		// Progress: a line per step on stderr.
		for _, step := range []string{"[1/6]", "[2/6]", "[3/6]", "[4/6]", "[5/6]", "[6/6]"} {
			if !strings.Contains(stderr.String(), step) {
				t.Errorf("no progress line %s on stderr", step)
			}
		}
	}
	if n := strings.Count(summary, "\n"); n < 8 || n > 16 {
		t.Errorf("summary has %d lines, want about a dozen:\n%s", n, summary)
	}
	if !strings.Contains(summary, report.Int(population)) {
		t.Errorf("summary does not give the census population %s:\n%s", report.Int(population), summary)
	}
	files := []string{"report.md", "plan.json", "sites.geojson", "areas.geojson", "assignment.geojson", "gaps-in-2030-region.csv",
		"map-maternity.svg", "map-maternity.png", "map-dialysis.svg", "map-dialysis.png",
		"travel-maternity.svg", "travel-maternity.png", "travel-dialysis.svg", "travel-dialysis.png",
		"staff-gaps.svg", "staff-gaps.png", "staff-pooling.svg", "staff-pooling.png",
		"programme.json", "programme.svg", "programme.png"}
	again, err := pilot.Run(context.Background(), pilot.Config{Program: name, RegionDir: regionDir, Short: true, TimeLimit: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	rerun := map[string]func(io.Writer) error{
		"report.md":          func(w io.Writer) error { return again.WriteReport(w, again.FileNames()) },
		"plan.json":          again.WritePlanJSON,
		"sites.geojson":      again.WriteSitesGeoJSON,
		"areas.geojson":      again.WriteAreasGeoJSON,
		"assignment.geojson": again.WriteAssignmentGeoJSON,
		"programme.json":     again.WriteProgrammeJSON,
	}
	if diff := cmp.Diff(files, append(append([]string{"report.md", "plan.json", "sites.geojson", "areas.geojson", "assignment.geojson", "gaps-in-2030-region.csv", again.FileNames().Programme}, again.FileNames().Maps...), again.FileNames().Charts...), cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("file names (-checked +written):\n%s", diff)
	}
	for _, f := range files {
		a, err := os.ReadFile(filepath.Join(outs[0], f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if len(a) == 0 {
			t.Errorf("%s is empty", f)
		}
		if fn, ok := rerun[f]; ok {
			var b bytes.Buffer
			if err := fn(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b.Bytes()) {
				t.Errorf("%s differs between two runs on the same data", f)
			}
		}
		if strings.HasSuffix(f, ".png") && !bytes.HasPrefix(a, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s is not a PNG", f)
		}
		if strings.HasSuffix(f, ".svg") && !bytes.Contains(a[:min(len(a), 400)], []byte("<svg")) {
			t.Errorf("%s is not an SVG", f)
		}
	}
	rep, _ := os.ReadFile(filepath.Join(outs[0], "report.md"))
	for _, want := range []string{
		"## Summary", "## What the plan decides, and why", "**The optimisation.**", "bound", "gap",
		"## Patient pathways before and after", "most-deprived 20%", "90th percentile",
		"## Demand in 2030", "planning assumption", "## Staff and beds", "## Staff pooling", "unmet need falls from",
		"## The data: what is real and what is synthetic", "synthetic",
		"## Sources and licences", "CC BY 4.0", "© OpenStreetMap contributors", "ODbL",
		"](map-maternity.png)", "](staff-gaps.png)",
		"## Phased programme 2026–2035", "**Year by year.**", "**Who staffs what the programme opens or enlarges**", "](programme.png)",
	} {
		if !bytes.Contains(rep, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	CheckProgramme(t, filepath.Join(outs[0], "programme.json"))
	var plan struct {
		BasePopulation float64 `json:"base_population"`
		Population     float64
		Year           int
		Decisions      []struct {
			Spec struct {
				ID         string
				MaxChanges int `json:"max_changes"`
			}
			Plan *struct {
				Status            string
				Value, Bound, Gap float64
				Opened, Closed    int
				BeforeValue       float64 `json:"before_value"`
			}
		}
	}
	b, _ := os.ReadFile(filepath.Join(outs[0], "plan.json"))
	if err := json.Unmarshal(b, &plan); err != nil {
		t.Fatal(err)
	}
	if plan.BasePopulation != population || plan.Year != 2030 || plan.Population <= population {
		t.Errorf("plan.json: population %v (want %v) projected to %v in %d", plan.BasePopulation, population, plan.Population, plan.Year)
	}
	if len(plan.Decisions) != 2 {
		t.Fatalf("plan.json: %d decisions, want 2", len(plan.Decisions))
	}
	for _, d := range plan.Decisions {
		p := d.Plan
		if p == nil {
			t.Errorf("%s: no plan", d.Spec.ID)
			continue
		}
		if p.Status != "optimal" && p.Status != "feasible" && p.Status != "time limit" {
			t.Errorf("%s: status %q", d.Spec.ID, p.Status)
		}
		if p.Bound > p.Value*(1+1e-9) || p.Value > p.BeforeValue || p.Opened+p.Closed > d.Spec.MaxChanges {
			t.Errorf("%s: value %v, bound %v, before %v, %d+%d changes of %d", d.Spec.ID, p.Value, p.Bound, p.BeforeValue, p.Opened, p.Closed, d.Spec.MaxChanges)
		}
	}
	checkLayers(t, outs[0])
}

// checkLayers checks the GeoJSON layers of an output folder: one geometry
// type per layer, flat properties, coordinates [lon, lat] in northern
// Morocco (finding 13).
func checkLayers(t *testing.T, dir string) {
	t.Helper()
	for f, geom := range map[string]string{"sites.geojson": "Point", "areas.geojson": "MultiPolygon", "assignment.geojson": "LineString"} {
		var fc struct {
			Type     string
			Features []struct {
				Geometry struct {
					Type        string
					Coordinates json.RawMessage
				}
				Properties map[string]any
			}
		}
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if err := json.Unmarshal(b, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) == 0 {
			t.Fatalf("%s: %v, type %q, %d features", f, err, fc.Type, len(fc.Features))
		}
		for _, ft := range fc.Features {
			if ft.Geometry.Type != geom {
				t.Fatalf("%s: a %s in a layer of %s", f, ft.Geometry.Type, geom)
			}
			for k, v := range ft.Properties {
				switch v.(type) {
				case map[string]any, []any:
					t.Fatalf("%s: property %s is nested", f, k)
				}
			}
			if geom == "MultiPolygon" {
				continue
			}
			var pts [][2]float64
			if ft.Geometry.Type == "Point" {
				var p [2]float64
				if err := json.Unmarshal(ft.Geometry.Coordinates, &p); err != nil {
					t.Fatal(err)
				}
				pts = append(pts, p)
			} else if err := json.Unmarshal(ft.Geometry.Coordinates, &pts); err != nil {
				t.Fatal(err)
			}
			// RFC 7946: [longitude, latitude]; Morocco's north lies
			// between 1° and 7° west, 32° and 36.5° north.
			for _, p := range pts {
				if p[0] > -1 || p[0] < -7 || p[1] < 32 || p[1] > 36.5 {
					t.Fatalf("%s: point %v is not [lon, lat] in northern Morocco", f, p)
				}
			}
		}
	}
}

// CheckProgramme checks a pilot's programme.json as a script would: every
// module open in a year has its required FTE assigned, every year's spend
// is within its budgets, the gap is at most 1%, and the programme is no
// worse than the sequential plan.
func CheckProgramme(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Status          string   `json:"status"`
		Value           float64  `json:"value"`
		Bound           float64  `json:"bound"`
		Gap             float64  `json:"gap"`
		SequentialValue *float64 `json:"sequential_value"`
		Years           []struct {
			Year             int      `json:"year"`
			CapitalMAD       float64  `json:"capital_mad"`
			CapitalBudgetMAD *float64 `json:"capital_budget_mad"`
			RunningMAD       float64  `json:"running_mad"`
			RunningBudgetMAD *float64 `json:"running_budget_mad"`
			Openings         []struct {
				Establishment string `json:"establishment"`
				Service       string `json:"service"`
				Action        string `json:"action"`
				Modules       int    `json:"modules"`
			} `json:"openings"`
			Staffing []struct {
				Establishment string  `json:"establishment"`
				Service       string  `json:"service"`
				Category      string  `json:"category"`
				RequiredFTE   float64 `json:"required_fte"`
				Assigned      []struct {
					Source string  `json:"source"`
					From   string  `json:"from"`
					FTE    float64 `json:"fte"`
				} `json:"assigned"`
			} `json:"staffing"`
			Recruited []struct {
				Category string  `json:"category"`
				FTE      float64 `json:"fte"`
			} `json:"recruited"`
		} `json:"years"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status == "" || p.Gap > 0.01 || p.Bound > p.Value*(1+1e-9) {
		t.Errorf("programme: status %q, value %v, bound %v, gap %v: want a gap of at most 1%%", p.Status, p.Value, p.Bound, p.Gap)
	}
	if p.SequentialValue == nil || p.Value > *p.SequentialValue*(1+1e-9) {
		t.Errorf("programme: value %v against the sequential plan's %v", p.Value, p.SequentialValue)
	}
	if len(p.Years) != 10 || p.Years[0].Year != 2026 || p.Years[9].Year != 2035 {
		t.Errorf("programme: %d years, want 2026 to 2035", len(p.Years))
	}
	staffed := 0
	for _, y := range p.Years {
		if y.CapitalBudgetMAD != nil && y.CapitalMAD > *y.CapitalBudgetMAD+1e-3 {
			t.Errorf("%d: capital %v over its budget %v", y.Year, y.CapitalMAD, *y.CapitalBudgetMAD)
		}
		if y.RunningBudgetMAD != nil && y.RunningMAD > *y.RunningBudgetMAD+1e-3 {
			t.Errorf("%d: running %v over its budget %v", y.Year, y.RunningMAD, *y.RunningBudgetMAD)
		}
		for _, s := range y.Staffing {
			var got float64
			for _, a := range s.Assigned {
				got += a.FTE
				if (a.Source == "pooled") != (a.From != "") {
					t.Errorf("%d %s %s: source %q with from %q", y.Year, s.Establishment, s.Category, a.Source, a.From)
				}
			}
			if math.Abs(got-s.RequiredFTE) > 1e-4 {
				t.Errorf("%d %s %s %s: %v FTE assigned for %v required", y.Year, s.Establishment, s.Service, s.Category, got, s.RequiredFTE)
			}
			staffed++
		}
	}
	if staffed == 0 {
		t.Error("programme: no module staffed in any year")
	}
}
