package main

import (
	"context"
	"strings"
	"testing"

	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/examples/internal/pilottest"
)

// TestShortRun runs the program in short mode on the bundled data and checks
// its outputs; 4,467,911 is the 2024 census population of Fès-Meknès. It
// also checks that the README's picture and figures (docs/) are those the
// program gives today; regenerate them with
//
//	go run ./examples/fesmeknes -docs docs
func TestShortRun(t *testing.T) {
	pilottest.Check(t, "fesmeknes", "../data/fesmeknes", 4467911, "../../docs")
}

// TestArabicNames pins finding 4: the report names establishments by their
// names, in Arabic where the data has them so, never by a label made for
// the map ("Hospital, Fès" for three different hospitals).
func TestArabicNames(t *testing.T) {
	res, err := pilot.Run(context.Background(), pilot.Config{Program: "fesmeknes", RegionDir: "../data/fesmeknes", Short: true})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := res.WriteReport(&b, res.FileNames()); err != nil {
		t.Fatal(err)
	}
	rep := b.String()
	for _, name := range []string{"مستشفى الغساني", "الكوثر"} {
		if !strings.Contains(rep, name) {
			t.Errorf("the report does not name %s", name)
		}
	}
	if strings.Contains(rep, "Hospital, Fès") {
		t.Error("the report names a site by its map label")
	}
}
