// Command mkregion builds the region directories of the 12 regions of
// Morocco (one Territorial Health Group each, the pilots
// Tanger-Tétouan-Al Hoceima and Fès-Meknès among them) from the national
// census, household-indicator, boundary and OpenStreetMap extracts of the
// morocco data directory, by documented and deterministic rules.
//
// Usage, from the repository root:
//
//	go run ./examples/mkregion [-in ../shared/data/morocco] [-out examples/data]
//
// or `go generate ./examples/mkregion`. It writes, under the output
// directory, one region directory per region (see gst.ReadDir; the pilots
// tanger/ and fesmeknes/ with their commune boundaries in areas.geojson),
// regions.csv (the list of them), osm-decisions.csv (what became of every
// OpenStreetMap point, and why) and README.md (sources, licences, rules,
// assumptions, calibration against official figures and sanity figures). The
// same input gives byte-identical output: records are sorted by ID, no map
// order leaks, and no random numbers are drawn (positions of synthetic
// health centres follow a fixed spiral).
//
// # What is observed and what is generated
//
// Observed: each commune's census population in 2014 and 2024 (HCP, CC BY
// 4.0), HCP's 2024 household indicators (CC BY 4.0), commune centroids and
// the pilots' commune boundaries, and the hospitals, clinics and health
// centres mapped in OpenStreetMap (ODbL). Generated from public
// national ratios and labelled assumptions, and marked source=synthetic or
// described as synthetic in the README: primary health centres missing
// from OpenStreetMap, a hospital for provinces with none, candidate sites,
// beds without a published figure, every offer and capacity, staff on
// roll, and population segments by coverage scheme and age.
//
// # Rules in brief
//
//   - Areas: one per commune (ID = HCP code), 2024 population with the
//     2014 one as past population, urban flag from the commune type,
//     geometric centroid. Segments split each commune by coverage scheme
//     (coverage/amo, coverage/tadamon, coverage/uninsured,
//     coverage/migrant), age band (age/0-4, age/5-14, age/15-59, age/60+)
//     and women/15-49 from national shares, whole people summing exactly.
//     Deprivation is capacity.Deprivation's standardised sum of seven
//     census indicators of living conditions (no access-to-care term),
//     computed over all 1,503 communes at once. The pilots' boundaries are
//     simplified with shared edges kept shared.
//   - OpenStreetMap points are placed in the commune whose boundary holds
//     them (pilots), else the one with the nearest centroid within 40 km.
//     The doctors layer, planned sites, military
//     hospitals, dental, diagnostic and rehabilitation centres are left
//     out; explicit, sourced decisions name the CHUs, regional and
//     provincial hospitals and known duplicates; name rules classify the
//     rest (health centre, oncology, dialysis, psychiatry, Red Crescent,
//     private clinic or hospital, otherwise a public local hospital);
//     duplicates (node and way, repeated points) merge by distance and
//     name similarity. Outside the pilots, levels no name gives follow
//     rules (the main town's hospital becomes provincial, then regional). Kept points keep their OSM element in their ID
//     (osm-way-871505068).
//   - Synthetic establishments: a 45-bed local hospital for a province
//     without a public hospital, at its population-weighted centroid;
//     max(1, round(population / 12,300)) health centres per commune, OSM
//     ones included; candidate proximity hospitals in populous rural
//     communes far from caesarean capacity, with an opening cost.
//   - Beds, offers, staff: sourced bed counts where found, otherwise by
//     level; inpatient capacity from beds × occupancy × 365 / stay;
//     outpatient capacity from staff; regional staff totals from national
//     public densities, placed on public establishments by beds and
//     population served, in whole people adding up exactly.
//
// Every number has its source or is labelled an assumption in ratios.go,
// and the README lists them. Bad input (a missing file or column, a
// number that does not parse, a commune without a centroid, a reference
// that does not resolve) is reported all at once, each problem naming its
// file, line and field, as errors wrapping gst.ErrInvalid.
package main
