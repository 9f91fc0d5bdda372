package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

// testRegion is the bundled region the tests use.
const testRegion = "../data/fesmeknes"

// The maternity question of the pilot, as the page sends it.
const maternity = `{"region":"03","scenario":{"name":"maternity","services":["caesarean"],"max_changes":2,"time_limit":"30s"}}`

func newTestServer(t testing.TB, solves int) (*Server, *httptest.Server) {
	t.Helper()
	s, err := NewServer(Config{Regions: []RegionSource{{Dir: testRegion}}, Solves: solves, MaxTimeLimit: time.Minute, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	return s, ts
}

func do(t testing.TB, method, url, ctype string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// start posts a solve and returns the job ID.
func start(t testing.TB, base, body string) string {
	t.Helper()
	resp, b := do(t, "POST", base+"/api/solve", "application/json", []byte(body))
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("solve: %d %s", resp.StatusCode, b)
	}
	var out struct{ ID string }
	if err := json.Unmarshal(b, &out); err != nil || out.ID == "" {
		t.Fatalf("solve answer %s: %v", b, err)
	}
	return out.ID
}

// wait follows the job's event stream to its end and returns the job.
func wait(t testing.TB, base, id string) (jobView, []progressEvent) {
	t.Helper()
	resp, err := http.Get(base + "/api/jobs/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: content type %q", ct)
	}
	var evs []progressEvent
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "progress":
			var ev progressEvent
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev); err != nil {
				t.Fatal(err)
			}
			evs = append(evs, ev)
		}
	}
	_, b := do(t, "GET", base+"/api/jobs/"+id, "", nil)
	var v jobView
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v, evs
}

// Every endpoint on the pilot's maternity question: the page in both
// languages, the region and its map, a solve with its progress, the
// exports, the scenario saved and read back, and a comparison.
func TestEndpoints(t *testing.T) {
	_, ts := newTestServer(t, 2)
	base := ts.URL
	for _, tc := range []struct{ path, ctype, want string }{
		{"/", "text/html", "Run"},
		{"/?lang=fr", "text/html", "Lancer"},
		{"/static/app.js", "text/javascript", "drawMap"},
		{"/static/style.css", "text/css", "#map"},
		{"/api/i18n?lang=fr", "application/json", "Carte"},
		{"/api/regions", "application/json", `"id":"03"`},
		{"/api/regions/03", "application/json", `"caesarean"`},
		{"/api/regions/03/map", "application/json", `"drawn":"boundaries"`},
	} {
		resp, b := do(t, "GET", base+tc.path, "", nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) || !strings.Contains(string(b), tc.want) {
			t.Errorf("GET %s: %d %s, %.200s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	}
	var geom mapGeometry
	_, b := do(t, "GET", base+"/api/regions/03/map", "", nil)
	if err := json.Unmarshal(b, &geom); err != nil || len(geom.Areas) != 194 || len(geom.Sites) == 0 {
		t.Fatalf("map: %v, %d areas", err, len(geom.Areas))
	}
	for _, a := range geom.Areas {
		if len(a.Rings) == 0 || len(a.Rings[0]) < 6 {
			t.Errorf("area %s has no outline", a.ID)
		}
	}

	id := start(t, base, maternity)
	v, evs := wait(t, base, id)
	if v.State != "done" || v.Answer == nil {
		t.Fatalf("job: %+v", v)
	}
	a := v.Answer
	if a.Status != "optimal" || len(a.Decisions) == 0 || len(a.Areas) != 194 || a.Value == nil || a.Bound == nil {
		t.Fatalf("answer: status %s, %d decisions, %d areas", a.Status, len(a.Decisions), len(a.Areas))
	}
	if len(evs) == 0 || evs[len(evs)-1].Value == nil || *evs[len(evs)-1].Value != *a.Value {
		t.Errorf("progress %+v, value %v", evs, *a.Value)
	}
	hasDeprived := false
	for _, g := range a.Groups {
		hasDeprived = hasDeprived || g.ID == "most-deprived"
	}
	if !hasDeprived {
		t.Error("no figures for the most-deprived 20%")
	}
	for _, d := range a.Decisions {
		if d.Change != "opens" && d.Change != "closes" {
			t.Errorf("decision %+v", d)
		}
		if d.Reverse == nil && !d.ReverseInfeasible {
			t.Errorf("decision %s has no cost of reversing", d.Site)
		}
	}
	for _, tc := range []struct{ format, lang, ctype, want string }{
		{"md", "en", "text/markdown", "## Key figures"},
		{"md", "fr", "text/markdown", "## Chiffres clés"},
		{"html", "fr", "text/html", "<h2>Décisions et leurs raisons</h2>"},
		{"json", "en", "application/json", `"answer"`},
		{"geojson", "en", "application/geo+json", `"FeatureCollection"`},
		{"csv", "en", "text/csv", "area,name,province,demand,minutes_today,minutes_plan,site_plan"},
	} {
		resp, b := do(t, "GET", fmt.Sprintf("%s/api/jobs/%s/export/%s?lang=%s", base, id, tc.format, tc.lang), "", nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) || !strings.Contains(string(b), tc.want) ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("export %s %s: %d %s %.300s", tc.format, tc.lang, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	}
	// The scenario saved reads back, in the format gstplan reads.
	resp, saved := do(t, "GET", base+"/api/jobs/"+id+"/scenario", "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("scenario: %d %s", resp.StatusCode, saved)
	}
	resp, back := do(t, "POST", base+"/api/scenario", "application/json", saved)
	if resp.StatusCode != 200 || !strings.Contains(string(back), `"max_changes":2`) {
		t.Errorf("scenario read back: %d %s", resp.StatusCode, back)
	}
	// A second scenario, then the comparison.
	id2 := start(t, base, `{"region":"03","scenario":{"name":"one change","services":["caesarean"],"max_changes":1}}`)
	if v2, _ := wait(t, base, id2); v2.State != "done" {
		t.Fatalf("second job: %+v", v2)
	}
	resp, b = do(t, "GET", base+"/api/compare?jobs="+id+","+id2, "", nil)
	var c comparison
	if resp.StatusCode != 200 || json.Unmarshal(b, &c) != nil || len(c.Jobs) != 2 || len(c.Diff) != 194 || len(c.Figures) == 0 {
		t.Fatalf("compare: %d %.300s", resp.StatusCode, b)
	}
	// The staff pooling question.
	idp := start(t, base, `{"region":"03","scenario":{"question":"pool","pool":{"commute_minutes":45,"away_share":0.4,"granularity":"posts"}}}`)
	vp, _ := wait(t, base, idp)
	if vp.State != "done" || vp.Answer.Question != "pool" || len(vp.Answer.Moves) == 0 || len(vp.Answer.Figures) == 0 {
		t.Fatalf("pool job: %+v", vp)
	}
	resp, b = do(t, "GET", base+"/api/jobs/"+idp+"/export/csv", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(string(b), "category,from,to,fte") {
		t.Errorf("pool csv: %d %.200s", resp.StatusCode, b)
	}
}

// The phased programme: the pilots' programme for the loaded region, cut
// to two years and a few nodes, with its progress, the table year by year
// within the budgets, the decisions, the exports and the scenario saved.
func TestProgramme(t *testing.T) {
	_, ts := newTestServer(t, 1)
	base := ts.URL
	id := start(t, base, `{"region":"03","scenario":{"name":"two years","question":"programme","programme":{"years":2,"max_nodes":20,"capital_mad_per_year":80000000}}}`)
	v, evs := wait(t, base, id)
	if v.State != "done" || v.Answer == nil || v.Answer.Programme == nil {
		t.Fatalf("job: %+v", v)
	}
	a, p := v.Answer, v.Answer.Programme
	if a.Question != "programme" || a.Value == nil || a.Bound == nil || *a.Bound > *a.Value*(1+1e-9) || a.ValueUnit != "unit.mad_discounted" {
		t.Errorf("answer: %s, value %v, bound %v, unit %s", a.Question, a.Value, a.Bound, a.ValueUnit)
	}
	if len(evs) == 0 || evs[len(evs)-1].Value == nil || *evs[len(evs)-1].Value != *a.Value {
		t.Errorf("%d progress reports, the last %+v; value %v", len(evs), evs[len(evs)-1], *a.Value)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].Value != nil && evs[i-1].Value != nil && *evs[i].Value > *evs[i-1].Value {
			t.Errorf("report %d: the programme got worse: %v after %v", i, *evs[i].Value, *evs[i-1].Value)
		}
	}
	if len(p.Years) != 2 || p.Years[0].Year != 2026 || p.Years[1].Year != 2027 || len(p.Services) != 2 || p.SequentialValue == nil {
		t.Fatalf("programme: %d years, %d services, sequential %v", len(p.Years), len(p.Services), p.SequentialValue)
	}
	carried := 0.0
	for _, y := range p.Years {
		if y.CapitalBudgetMAD == nil || *y.CapitalBudgetMAD != 80e6+carried || y.CapitalMAD > *y.CapitalBudgetMAD*(1+1e-9) ||
			y.RunningBudgetMAD == nil || y.RunningMAD > *y.RunningBudgetMAD*(1+1e-9) {
			t.Errorf("%d: capital %v of %v (carried %v), running %v of %v", y.Year, y.CapitalMAD, y.CapitalBudgetMAD, carried, y.RunningMAD, y.RunningBudgetMAD)
		}
		carried += 80e6 - y.CapitalMAD
		if y.Modules == 0 || y.StaffFTE <= 0 || abs(y.OnRollFTE+y.PooledFTE+y.RecruitedFTE-y.StaffFTE) > 1e-6*y.StaffFTE || len(y.Unserved) != 2 {
			t.Errorf("%d: %d modules, staff %v = %v + %v + %v, %d services", y.Year, y.Modules, y.StaffFTE, y.OnRollFTE, y.PooledFTE, y.RecruitedFTE, len(y.Unserved))
		}
	}
	if *a.Value > *p.SequentialValue*(1+1e-9) {
		t.Errorf("the joint programme %v is worse than the sequential plan %v", *a.Value, *p.SequentialValue)
	}
	opened := 0
	for _, y := range p.Years {
		opened += len(y.Openings)
	}
	if len(a.Decisions) != opened || len(a.Sites) == 0 {
		t.Errorf("%d decisions for %d openings, %d sites", len(a.Decisions), opened, len(a.Sites))
	}
	for _, tc := range []struct{ format, lang, want string }{
		{"md", "en", "## Year by year"},
		{"md", "fr", "## Année par année"},
		{"html", "fr", "<h2>Règles et chiffres du programme</h2>"},
		{"csv", "en", "year,capital_mad,capital_budget_mad,running_mad,running_budget_mad,decisions,modules_open"},
		{"geojson", "en", `"kind":"site"`},
	} {
		resp, b := do(t, "GET", fmt.Sprintf("%s/api/jobs/%s/export/%s?lang=%s", base, id, tc.format, tc.lang), "", nil)
		if resp.StatusCode != 200 || !strings.Contains(string(b), tc.want) {
			t.Errorf("export %s %s: %d %.300s", tc.format, tc.lang, resp.StatusCode, b)
		}
		if tc.format == "csv" && strings.Count(string(b), "\n") != 3 {
			t.Errorf("csv: %d lines, want a header and 2 years:\n%s", strings.Count(string(b), "\n"), b)
		}
	}
	_, saved := do(t, "GET", base+"/api/jobs/"+id+"/scenario", "", nil)
	resp, back := do(t, "POST", base+"/api/scenario", "application/json", saved)
	if resp.StatusCode != 200 || !strings.Contains(string(back), `"programme":{"capital_mad_per_year":80000000,"years":2,"max_nodes":20}`) {
		t.Errorf("scenario read back: %d %s", resp.StatusCode, back)
	}
}

// TestProgrammeDecisionCosts prices the programme's decisions: each one
// re-solved carries the range its cost is proven to lie in, around the
// re-solve's difference, and the export says it.
func TestProgrammeDecisionCosts(t *testing.T) {
	_, ts := newTestServer(t, 1)
	base := ts.URL
	id := start(t, base, `{"region":"03","scenario":{"name":"priced","question":"programme","programme":{"years":2,"max_nodes":20,"capital_mad_per_year":80000000,"decision_costs":true}}}`)
	v, _ := wait(t, base, id)
	if v.State != "done" || v.Answer == nil {
		t.Fatalf("job: %+v", v)
	}
	ranged := 0
	for _, d := range v.Answer.Decisions {
		if d.Reverse == nil || !d.ReverseExact {
			continue
		}
		if len(d.ReverseRange) != 2 || d.ReverseRange[0] > *d.Reverse+1e-6 || *d.Reverse > d.ReverseRange[1]+1e-6 {
			t.Errorf("%s %s: reverse %v, range %v", d.Site, d.Service, *d.Reverse, d.ReverseRange)
		}
		ranged++
	}
	if ranged == 0 {
		t.Fatalf("no decision priced: %+v", v.Answer.Decisions)
	}
	resp, b := do(t, "GET", base+"/api/jobs/"+id+"/export/md?lang=en", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "(re-solved; proven between ") {
		t.Errorf("export: %d %.600s", resp.StatusCode, b)
	}
}

// Cancelling a programme keeps the best programme found, with its bound.
func TestProgrammeCancel(t *testing.T) {
	_, ts := newTestServer(t, 1)
	base := ts.URL
	id := start(t, base, `{"region":"03","scenario":{"question":"programme","programme":{"years":5}}}`)
	resp, err := http.Get(base + "/api/jobs/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "data: ") {
	}
	cancelled := time.Now()
	do(t, "POST", base+"/api/jobs/"+id+"/cancel", "", nil)
	for sc.Scan() {
	}
	resp.Body.Close()
	v, evs := wait(t, base, id)
	took := time.Since(cancelled)
	if v.State != "done" || v.Answer == nil || v.Answer.Status != "canceled" || v.Answer.Programme == nil || len(v.Answer.Programme.Years) != 5 {
		t.Fatalf("cancelled programme: %+v", v)
	}
	if *evs[len(evs)-1].Value != *v.Answer.Value {
		t.Errorf("the programme kept %v is not the last reported %v", *v.Answer.Value, *evs[len(evs)-1].Value)
	}
	if took > 10*time.Second {
		t.Errorf("the programme stopped %v after the cancel", took)
	}
	t.Logf("programme: cancelled after %d reports, value %.0f, gap %.4f; the job ended %v after the cancel", len(evs), *v.Answer.Value, *v.Answer.Gap, took)
}

func abs(v float64) float64 { return math.Abs(v) }

// Bad requests get a 4xx answer with a code and a message that says what
// is wrong, and where when it can.
func TestBadRequests(t *testing.T) {
	_, ts := newTestServer(t, 1)
	base := ts.URL
	big := `{"region":"03","scenario":{"name":"` + strings.Repeat("x", maxJSONBody) + `"}}`
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, want               string
	}{
		{"not json", "POST", "/api/solve", "{", 400, "invalid", "unexpected EOF"},
		{"unknown field", "POST", "/api/solve", `{"region":"03","scenario":{"servce":["x"]}}`, 400, "invalid", "servce"},
		{"extra data", "POST", "/api/solve", `{"region":"03","scenario":{}} {}`, 400, "invalid", "extra data"},
		{"wrong type", "POST", "/api/solve", `{"region":"03","scenario":{"max_changes":"two"}}`, 400, "invalid", "max_changes"},
		{"bad objective", "POST", "/api/solve", `{"region":"03","scenario":{"objective":"fastest"}}`, 400, "invalid", "unknown objective"},
		{"bad share", "POST", "/api/solve", `{"region":"03","scenario":{"question":"pool","pool":{"away_share":2}}}`, 400, "invalid", "away_share"},
		{"bad question", "POST", "/api/solve", `{"region":"03","scenario":{"question":"why"}}`, 400, "invalid", "unknown question"},
		{"bad horizon", "POST", "/api/solve", `{"region":"03","scenario":{"question":"programme","programme":{"years":11}}}`, 400, "invalid", "programme.years"},
		{"bad programme field", "POST", "/api/solve", `{"region":"03","scenario":{"question":"programme","programme":{"budget":1}}}`, 400, "invalid", "budget"},
		{"time limit", "POST", "/api/solve", `{"region":"03","scenario":{"time_limit":"2h"}}`, 400, "invalid", "server's limit"},
		{"unknown region", "POST", "/api/solve", `{"region":"99","scenario":{}}`, 404, "not found", "no region"},
		{"unknown service", "POST", "/api/solve", `{"region":"03","scenario":{"services":["heart-transplant"]}}`, 0, "", ""},
		{"too large", "POST", "/api/solve", big, 413, "too large", "KiB"},
		{"unknown job", "GET", "/api/jobs/j999", "", 404, "not found", "no such job"},
		{"unknown format", "GET", "/api/jobs/j1/export/pdf", "", 404, "not found", ""},
		{"compare one", "GET", "/api/compare?jobs=j1", "", 400, "invalid", "2 to 8"},
		{"unknown region map", "GET", "/api/regions/../../etc/passwd/map", "", 404, "", ""},
		{"static escape", "GET", "/static/../server.go", "", 404, "", ""},
		{"scenario syntax", "POST", "/api/scenario", "{\n  \"p\": 2,\n  \"capacity\": split\n}", 400, "invalid", `"line":3`},
		{"not a zip", "POST", "/api/regions", "hello", 400, "invalid", "not a zip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := do(t, tc.method, base+tc.path, "application/json", []byte(tc.body))
			if tc.status == 0 {
				// Checked against the region when the solve runs.
				if resp.StatusCode != 202 {
					t.Fatalf("%d %s", resp.StatusCode, b)
				}
				var out struct{ ID string }
				json.Unmarshal(b, &out)
				v, _ := wait(t, base, out.ID)
				if v.State != "failed" || v.Error.Code != "invalid" || !strings.Contains(v.Error.Message, "unknown service") {
					t.Errorf("job %+v %+v", v.State, v.Error)
				}
				return
			}
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tc.status, b)
			}
			if tc.code == "" {
				return
			}
			var e apiError
			if err := json.Unmarshal(b, &e); err != nil || e.Code != tc.code || !strings.Contains(string(b), tc.want) {
				t.Errorf("answer %.400s, want code %q and %q", b, tc.code, tc.want)
			}
		})
	}
	// A request that names another host is refused (DNS rebinding).
	req, _ := http.NewRequest("GET", base+"/api/regions", nil)
	req.Host = "planner.example.com"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("foreign host: %d", resp.StatusCode)
	}
}

// zipRegion zips a region directory's files, with edit applied to each
// file's bytes (nil: as they are).
func zipRegion(t testing.TB, dir string, edit func(name string, b []byte) []byte) []byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			b = edit(e.Name(), b)
		}
		w, err := zw.Create("region/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An uploaded region is read in memory and served; a region with a bad
// value is refused whole, its problems listed with file, line and column.
func TestUpload(t *testing.T) {
	s, ts := newTestServer(t, 1)
	good := zipRegion(t, "../data/tanger", nil)
	resp, b := do(t, "POST", ts.URL+"/api/regions", "application/zip", good)
	if resp.StatusCode != 201 || !strings.Contains(string(b), `"id":"upload-1"`) {
		t.Fatalf("upload: %d %s", resp.StatusCode, b)
	}
	// Tanger has boundaries too; the map draws them.
	_, b = do(t, "GET", ts.URL+"/api/regions/upload-1/map", "", nil)
	if !strings.Contains(string(b), `"drawn":"boundaries"`) {
		t.Errorf("map of the upload: %.200s", b)
	}
	bad := zipRegion(t, "../data/tanger", func(name string, b []byte) []byte {
		if name == "areas.csv" {
			lines := strings.SplitN(string(b), "\n", 4)
			f := strings.Split(lines[2], ",")
			f[5] = "-12" // population
			lines[2] = strings.Join(f, ",")
			return []byte(strings.Join(lines, "\n"))
		}
		return b
	})
	resp, b = do(t, "POST", ts.URL+"/api/regions", "application/zip", bad)
	var e apiError
	if resp.StatusCode != 400 || json.Unmarshal(b, &e) != nil || len(e.Problems) == 0 {
		t.Fatalf("bad upload: %d %.300s", resp.StatusCode, b)
	}
	p := e.Problems[0]
	if !strings.HasSuffix(p.File, "areas.csv") || p.Line != 3 || p.Column != 6 || p.Field != "population" {
		t.Errorf("problem %+v", p)
	}
	if n := len(s.regions.list()); n != 2 {
		t.Errorf("%d regions after a refused upload, want 2", n)
	}
	// Too many files, and too large.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i <= maxUploadFiles; i++ {
		zw.Create(fmt.Sprintf("f%d.csv", i))
	}
	zw.Close()
	if resp, b := do(t, "POST", ts.URL+"/api/regions", "application/zip", buf.Bytes()); resp.StatusCode != 413 {
		t.Errorf("many files: %d %s", resp.StatusCode, b)
	}
	if resp, b := do(t, "POST", ts.URL+"/api/regions", "application/zip", make([]byte, maxUploadBytes+1)); resp.StatusCode != 413 {
		t.Errorf("large upload: %d %.200s", resp.StatusCode, b)
	}
}

// A panic in a handler is answered 500 and the server goes on.
func TestPanicIsAnswered(t *testing.T) {
	s, ts := newTestServer(t, 1)
	s.mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	resp, b := do(t, "GET", ts.URL+"/boom", "", nil)
	if resp.StatusCode != 500 || !strings.Contains(string(b), `"internal"`) {
		t.Errorf("panic: %d %s", resp.StatusCode, b)
	}
	if resp, _ := do(t, "GET", ts.URL+"/api/regions", "", nil); resp.StatusCode != 200 {
		t.Errorf("after the panic: %d", resp.StatusCode)
	}
}

// The slow scenario: a budget puts the site decisions in lp_solve's hands.
const slow = `{"region":"03","scenario":{"services":["consultation"],"greenfield":true,"max_changes":-1,"p":60,"budget":1000000000,"time_limit":"60s"}}`

// Cancelling stops the solve within moments and keeps the best plan
// found (the p-median engine has one from its first heuristic); the solve
// leaves no goroutine behind.
func TestCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	s, ts := newTestServer(t, 2)
	base := ts.URL
	// The engine: cancel as soon as a first plan is reported.
	id := start(t, base, `{"region":"03","scenario":{"services":["consultation"],"greenfield":true,"max_changes":-1,"p":60,"time_limit":"60s"}}`)
	resp, err := http.Get(base + "/api/jobs/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "event: progress") {
	}
	cancelled := time.Now()
	do(t, "POST", base+"/api/jobs/"+id+"/cancel", "", nil)
	for sc.Scan() {
	}
	resp.Body.Close()
	v, _ := wait(t, base, id)
	took := time.Since(cancelled)
	if v.State != "done" || v.Answer == nil || v.Answer.Value == nil {
		t.Fatalf("cancelled engine: %+v", v)
	}
	t.Logf("engine: cancelled with status %s after %d reports; the job ended %v after the cancel", v.Answer.Status, len(v.Progress), took)
	if v.Answer.Status != "canceled" && v.Answer.Status != "optimal" {
		t.Errorf("status %s", v.Answer.Status)
	}
	// lp_solve: the cancel reaches it through internal/lp's abort.
	id = start(t, base, slow)
	time.Sleep(time.Second)
	cancelled = time.Now()
	do(t, "POST", base+"/api/jobs/"+id+"/cancel", "", nil)
	v, _ = wait(t, base, id)
	took = time.Since(cancelled)
	if took > 5*time.Second {
		t.Errorf("lp_solve stopped %v after the cancel", took)
	}
	switch {
	case v.State == "done" && v.Answer.Status == "canceled":
	case v.State == "failed" && v.Error.Code == "no solution" && strings.Contains(v.Error.Message, "canceled"):
	default:
		t.Errorf("cancelled MIP: %+v", v)
	}
	t.Logf("lp_solve: state %s, ended %v after the cancel", v.State, took)
	// A client that goes away mid-stream, and the server's own Close,
	// leave nothing running.
	id = start(t, base, slow)
	resp, err = http.Get(base + "/api/jobs/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ts.Close()
	s.Close()
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

// Sixteen solves at once: those beyond the server's slots get a busy
// answer at once, the others finish, and nothing races (run with -race).
// The log reports the latencies.
func TestConcurrentSolves(t *testing.T) {
	for _, slots := range []int{8, 16} {
		t.Run(fmt.Sprintf("%d slots", slots), func(t *testing.T) { concurrentSolves(t, 16, slots) })
	}
}

func concurrentSolves(t *testing.T, clients, slots int) {
	_, ts := newTestServer(t, slots)
	base := ts.URL
	type result struct {
		status  int
		accept  time.Duration
		total   time.Duration
		outcome string
	}
	res := make([]result, clients)
	var wg sync.WaitGroup
	startAll := make(chan struct{})
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-startAll
			t0 := time.Now()
			body := fmt.Sprintf(`{"region":"03","scenario":{"name":"c%d","services":["caesarean"],"max_changes":%d}}`, i, 1+i%3)
			resp, b := do(t, "POST", base+"/api/solve", "application/json", []byte(body))
			res[i].status, res[i].accept = resp.StatusCode, time.Since(t0)
			if resp.StatusCode == http.StatusServiceUnavailable {
				if resp.Header.Get("Retry-After") == "" || !strings.Contains(string(b), `"busy"`) {
					t.Errorf("busy answer %s", b)
				}
				return
			}
			var out struct{ ID string }
			json.Unmarshal(b, &out)
			v, _ := wait(t, base, out.ID)
			res[i].total, res[i].outcome = time.Since(t0), v.State
		}(i)
	}
	close(startAll)
	wg.Wait()
	var busy, done int
	var accepts, totals []time.Duration
	for _, r := range res {
		accepts = append(accepts, r.accept)
		switch r.status {
		case http.StatusServiceUnavailable:
			busy++
		case http.StatusAccepted:
			if r.outcome != "done" {
				t.Errorf("a solve ended %s", r.outcome)
			}
			done++
			totals = append(totals, r.total)
		default:
			t.Errorf("status %d", r.status)
		}
	}
	if done < 1 || done > slots || busy+done != clients {
		t.Errorf("%d done, %d busy", done, busy)
	}
	sort.Slice(accepts, func(i, j int) bool { return accepts[i] < accepts[j] })
	sort.Slice(totals, func(i, j int) bool { return totals[i] < totals[j] })
	t.Logf("%d clients, %d slots: %d accepted and solved, %d busy; answer to the POST: median %v, max %v; solve to the end of its stream: median %v, max %v",
		clients, slots, done, busy, accepts[len(accepts)/2], accepts[len(accepts)-1], totals[len(totals)/2], totals[len(totals)-1])
}

// The decoders never panic and fail only with the library's typed
// errors.
func FuzzSolveRequest(f *testing.F) {
	f.Add([]byte(maternity))
	f.Add([]byte(slow))
	f.Add([]byte(`{"region":"03","scenario":{"question":"pool","pool":{"away_share":0.3,"granularity":"posts"}}}`))
	f.Add([]byte(`{"region":"03","scenario":{"question":"programme","programme":{"capital_mad_per_year":6e7,"years":3,"max_nodes":10,"decision_costs":true}}}`))
	f.Add([]byte(`{"scenario":{"time_limit":"-1s","year":1,"circuity":9}}`))
	s := &Server{cfg: Config{MaxTimeLimit: time.Minute}}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, err := s.parseSolve(b)
		if err != nil && !errors.Is(err, gst.ErrInvalid) && !errors.Is(err, gst.ErrTooLarge) {
			t.Errorf("untyped error %v", err)
		}
	})
}

func FuzzRegionZip(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"r/region.csv":         "id,name\nT,Test\n",
		"r/areas.csv":          "id,name,lat,lon,population\na1,A,34,-5,100\na2,B,34.1,-5.1,200\n",
		"r/establishments.csv": "id,name,level,lat,lon\ne1,E,provincial-hospital,34,-5\n",
	} {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := readRegionZip(b)
		if err != nil && !errors.Is(err, gst.ErrInvalid) && !errors.Is(err, gst.ErrTooLarge) {
			t.Errorf("untyped error %v", err)
		}
		if err == nil && len(r.Areas) == 0 {
			t.Error("a region without areas")
		}
	})
}
