package main

import (
	"testing"

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
