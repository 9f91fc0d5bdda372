// Command tanger runs the planning pipeline of a Territorial Health Group on
// the bundled data of the Tanger-Tétouan-Al Hoceima pilot region (146
// communes, 8 provinces, 4,030,222 people at the 2024 census): the same
// steps and outputs as examples/fesmeknes.
//
//	go run ./examples/tanger [-out out/tanger] [-short] [-year 2030] [-roads FILE.osm.pbf]
//
// Travel is estimated from straight-line distance, or computed on the
// roads of an OpenStreetMap extract given with -roads (see the README).
//
// Health centres, beds, capacities and staff in the data are synthetic (see
// examples/data/README.md); the report says so.
package main

import (
	"os"

	"github.com/gstplan/gst/examples/internal/pilot"
)

func main() {
	os.Exit(pilot.Main("tanger", "tanger", os.Args[1:], os.Stdout, os.Stderr))
}
