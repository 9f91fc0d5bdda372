package main

import (
	"testing"

	"github.com/gstplan/gst/examples/internal/pilottest"
)

// TestShortRun runs the program in short mode on the bundled data and checks
// its outputs; 4,030,222 is the 2024 census population of
// Tanger-Tétouan-Al Hoceima.
func TestShortRun(t *testing.T) {
	pilottest.Check(t, "tanger", "../data/tanger", 4030222, "")
}
