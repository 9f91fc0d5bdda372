// Command national runs a short planning pipeline for every Territorial
// Health Group of the Kingdom (the 12 regions of examples/data) and ranks
// them by what the same budget buys.
//
//	go run ./examples/national [-out out/national] [-data examples/data] [-budget 222e6] [-short]
//
// For each region it estimates the caesarean sections of a year from the
// 2024 census (the pilots' utilisation rates), measures the one-way travel
// of every commune to the public hospital offering caesarean sections
// (straight-line distance, circuity 1.4), and asks allocate.Locate which
// candidate proximity hospitals to open within the budget (p-median: least
// travel of the births). It writes into the output folder:
//
//   - report.md: the key figures of each GST before and after, the national
//     totals (the population adds up to the 2024 legal population,
//     36,828,330), the order in which a phased generalisation could follow
//     (by minutes of travel saved a year for the same budget), the method
//     and the sources;
//   - national.json: {"regions": [{"code", "name", "population", …key
//     figures before and after…}], "population": total};
//   - map.svg and map.png: travel to caesarean care today and with the
//     plans, every commune of the Kingdom (real boundaries where the data
//     has them, Voronoi cells of centroids elsewhere).
//
// -short (for CI) gives each solve 5 s and draws the map smaller. Health
// centres, beds, capacities and staff in the data are synthetic (see
// examples/data/README.md); the report says so.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
