package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gstplan/gst"
	"github.com/gstplan/gst/examples/internal/scenario"
	"github.com/gstplan/gst/osmroad"
)

// The small fixture region and its schematic roads.
const (
	roadsRegion = "../quickstart/ifrane"
	roadsFile   = "../data/roads/ifrane.osm"
)

func TestPlanOnRoads(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"-region", roadsRegion, "-roads", roadsFile, "-out", out, "-service", "caesarean", "-changes", "1", "-q"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	rep, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"computed on the roads of `ifrane.osm`", "16 of 16 joined", `"03.271.03.05"`, "far from the roads"} {
		if !bytes.Contains(rep, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	var plan struct {
		Source struct {
			Kind string
			File string
			Snap struct{ Points, Joined, Far int }
		} `json:"travel_source"`
	}
	b, err := os.ReadFile(filepath.Join(out, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &plan); err != nil {
		t.Fatal(err)
	}
	if s := plan.Source; s.Kind != "roads" || s.File != "ifrane.osm" || s.Snap.Points != 16 || s.Snap.Joined != 16 || s.Snap.Far != 1 {
		t.Errorf("travel source %+v", s)
	}

	// The plan's travel is the road network's, area by establishment.
	one := 1
	sc := &scenario.Scenario{Services: []gst.ServiceID{"caesarean"}, MaxChanges: &one}
	pl, err := sc.Check("test")
	if err != nil {
		t.Fatal(err)
	}
	res, err := solve(context.Background(), roadsRegion, sc, pl, roadsFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := osmroad.Travel(context.Background(), roadsFile, res.Region, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Entries(), res.Travel.Entries()); diff != "" || want.Reachable() != 10*6 {
		t.Errorf("travel (-osmroad +gstplan):\n%s\n%d reachable", diff, want.Reachable())
	}
	est, err := solve(context.Background(), roadsRegion, sc, pl, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if est.TravelSource.Kind != "estimate" || cmp.Equal(est.Travel.Entries(), res.Travel.Entries()) {
		t.Errorf("without -roads: source %+v, same travel as on the roads", est.TravelSource)
	}
}

func TestRoadsBadFile(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.osm")
	if err := os.WriteFile(broken, []byte(`<osm><node id="1" lat="33.4" lon="-5.2"/><way id="7">`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file, says string }{
		{filepath.Join(dir, "missing.osm.pbf"), "missing.osm.pbf"},
		{broken, "broken.osm:1: after node 1: XML syntax error"},
	} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"-region", roadsRegion, "-roads", c.file, "-out", t.TempDir(), "-service", "caesarean", "-q"}, &stdout, &stderr)
		if code != exitData || !strings.Contains(stderr.String(), c.says) {
			t.Errorf("%s: exit %d, stderr %q; want %d saying %q", c.file, code, stderr.String(), exitData, c.says)
		}
	}
}
