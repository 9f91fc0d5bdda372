package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/examples/internal/pilottest"
)

// TestShortRun runs the program in short mode on the bundled data and checks
// its outputs; 4,467,911 is the 2024 census population of Fès-Meknès.
func TestShortRun(t *testing.T) {
	pilottest.Check(t, "fesmeknes", "../data/fesmeknes", 4467911)
}

// TestDocs checks that the README's picture and figures (docs/) are those
// the program gives today; regenerate them with
//
//	go run ./examples/fesmeknes -docs docs
func TestDocs(t *testing.T) {
	out, docs := t.TempDir(), t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := pilot.Main("fesmeknes", "fesmeknes", []string{"-region", "../data/fesmeknes", "-out", out, "-docs", docs, "-short", "-q"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, f := range []string{"fesmeknes-maternity-map.png", "fesmeknes-summary.md"} {
		want, err := os.ReadFile(filepath.Join("..", "..", "docs", f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(docs, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("docs/%s is out of date: regenerate it with go run ./examples/fesmeknes -docs docs", f)
		}
	}
}
