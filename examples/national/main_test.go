package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/osmroad"
)

// TestNationalShort runs the program in short mode on the bundled data of
// the 12 regions and checks its outputs: the JSON's exact shape, the 2024
// legal population, the report and the map; a second run gives the same
// JSON and report.
func TestNationalShort(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-short", "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "national.json"))
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	if len(top) != 2 || top["regions"] == nil || top["population"] == nil {
		t.Errorf("national.json has keys %v, want exactly regions and population", keys(top))
	}
	var doc struct {
		Regions []struct {
			Code       string             `json:"code"`
			Name       string             `json:"name"`
			Population float64            `json:"population"`
			Before     map[string]float64 `json:"before"`
			After      map[string]float64 `json:"after"`
			Rank       int                `json:"rank"`
		} `json:"regions"`
		Population float64 `json:"population"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Regions) != 12 || doc.Population != 36828330 {
		t.Fatalf("%d regions, population %v; want 12 and 36,828,330", len(doc.Regions), doc.Population)
	}
	var sum float64
	ranks := map[int]bool{}
	for _, r := range doc.Regions {
		sum += r.Population
		ranks[r.Rank] = true
		if r.Code == "" || r.Name == "" || r.Before["mean_minutes"] <= 0 || r.After["mean_minutes"] > r.Before["mean_minutes"]+1e-9 {
			t.Errorf("region %+v: missing figures, or the plan is worse than today", r)
		}
	}
	if sum != doc.Population || len(ranks) != 12 {
		t.Errorf("regions sum to %v (total %v), ranks %v", sum, doc.Population, ranks)
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**36,828,330**", "Which GSTs gain most from the same budget", "Rabat-Salé-Kénitra", "![Travel to caesarean care", "no access-to-care term", "340 communes are drawn with their OpenStreetMap boundaries"} {
		if !bytes.Contains(report, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, f := range []string{"map.png", "map.svg"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(stdout.String(), "36,828,330 people in 12 GSTs") {
		t.Errorf("summary: %s", stdout.String())
	}

	// The same input gives the same figures.
	res, err := Run(context.Background(), Config{Data: filepath.Dir(pilot.FindData("tanger")), Budget: 2 * proximityHospitalCost, Limit: 5 * time.Second, Short: true})
	if err != nil {
		t.Fatal(err)
	}
	again := t.TempDir()
	if err := res.Write(again, Config{Short: true}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"national.json", "report.md"} {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, _ := os.ReadFile(filepath.Join(again, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", f)
		}
	}
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestNationalErrors(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-budget", "-1"}, &stdout, &stderr); code != 2 {
		t.Errorf("a negative budget: exit %d", code)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "regions.csv"), []byte("code,name,dir\n99,Nowhere,nowhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), Config{Data: dir}); err == nil {
		t.Error("a missing region directory was accepted")
	}
	if err := os.WriteFile(filepath.Join(dir, "regions.csv"), []byte("id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), Config{Data: dir}); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("a bad regions.csv: %v", err)
	}
}

// TestRegionTravelOnRoads checks that -roads gives a region the legs of
// its roads, the same as the osmroad package computes them.
func TestRegionTravelOnRoads(t *testing.T) {
	r, err := gst.Open("../quickstart/ifrane", nil)
	if err != nil {
		t.Fatal(err)
	}
	var sites []gst.EstablishmentID
	for _, e := range r.Establishments {
		sites = append(sites, e.ID)
	}
	const roads = "../data/roads/ifrane.osm"
	got, err := regionTravel(context.Background(), r, sites, Config{Roads: roads})
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := osmroad.Travel(context.Background(), roads, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Reachable() == 0 {
		t.Fatal("no leg on the roads")
	}
	for _, e := range got.Entries() {
		l, ok := want.Lookup(e.From, e.To)
		if !ok || l.Minutes != e.Minutes || l.Km != e.Km {
			t.Errorf("%s → %s: %v min %v km, the roads say %v (%v)", e.From, e.To, e.Minutes, e.Km, l, ok)
		}
	}
	est, err := regionTravel(context.Background(), r, sites, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if est.Reachable() != len(r.Areas)*len(sites) {
		t.Errorf("the estimator reaches %d legs of %d", est.Reachable(), len(r.Areas)*len(sites))
	}
}
