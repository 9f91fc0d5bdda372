// Command fesmeknes is the main job of the project, run by `make demo`: the
// planning pipeline of a Territorial Health Group on the bundled data of the
// Fès-Meknès pilot region (194 communes, 9 provinces, 4,467,911 people at the
// 2024 census).
//
//	go run ./examples/fesmeknes [-out out/fesmeknes] [-short] [-year 2030] [-roads FILE.osm.pbf]
//
// It projects demand to the target year, computes staff need (WISN and
// norms per 1,000) and bed need with their gaps by province, pools staff
// (when the allocate package offers it), decides where to open proximity
// hospitals with a maternity and caesarean capacity and new dialysis units,
// and evaluates the patient pathways before and after. It prints a summary,
// a progress line per step on stderr, and writes into the output folder a
// Markdown report, the plan as JSON, GeoJSON of sites and assignments, maps
// and charts (SVG and PNG).
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
	os.Exit(pilot.Main("fesmeknes", "fesmeknes", os.Args[1:], os.Stdout, os.Stderr))
}
