// Command mkregion builds the region directories of the two pilot regions,
// Tanger-Tétouan-Al Hoceima and Fès-Meknès, from the census and
// OpenStreetMap extracts of the morocco data directory, by documented and
// deterministic rules.
//
// Usage, from the repository root:
//
//	go run ./examples/mkregion [-in ../shared/data/morocco] [-out examples/data]
//
// or `go generate ./examples/mkregion`. It writes, under the output
// directory, tanger/ and fesmeknes/ (region directories, see gst.ReadDir),
// osm-decisions.csv (what became of every OpenStreetMap point, and why) and
// README.md (sources, licences, rules, assumptions and sanity figures). The
// same input gives byte-identical output: records are sorted by ID, no map
// order leaks, and no random numbers are drawn (positions of synthetic
// health centres follow a fixed spiral).
//
// # What is observed and what is generated
//
// Observed: each commune's census population in 2014 and 2024 (HCP, CC BY
// 4.0), commune and province centroids, and the hospitals, clinics and
// health centres mapped in OpenStreetMap (ODbL). Generated from public
// national ratios and labelled assumptions, and marked source=synthetic or
// described as synthetic in the README: primary health centres missing
// from OpenStreetMap, a hospital for provinces with none, candidate sites,
// beds without a published figure, every offer and capacity, staff on
// roll, population segments by coverage scheme and age, and a deprivation
// proxy.
//
// # Rules in brief
//
//   - Areas: one per commune (ID = HCP code), 2024 population with the
//     2014 one as past population, urban flag from the commune type,
//     geometric centroid. Segments split each commune by coverage scheme
//     (coverage/amo, coverage/tadamon, coverage/uninsured,
//     coverage/migrant), age band (age/0-4, age/5-14, age/15-59, age/60+)
//     and women/15-49 from national shares, whole people summing exactly.
//     Deprivation is a proxy: rurality, distance to a public hospital and
//     population decline.
//   - OpenStreetMap points: the doctors layer, planned sites, military
//     hospitals, dental, diagnostic and rehabilitation centres are left
//     out; explicit, sourced decisions name the CHUs, regional and
//     provincial hospitals and known duplicates; name rules classify the
//     rest (health centre, oncology, dialysis, psychiatry, Red Crescent,
//     private clinic or hospital, otherwise a public local hospital);
//     duplicates (node and way, repeated points) merge by distance and
//     name similarity. Kept points keep their OSM element in their ID
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
