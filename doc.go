// Package gst holds the vocabulary of a Territorial Health Group (GST)
// plan: a region's areas, establishments, services and staff categories,
// the travel between them, the tables the planning packages exchange, and
// what every decision shares.
//
// Morocco's Law 08-22 (2023) groups the public hospitals and health
// centres of each region into one Groupement Sanitaire Territorial, led by
// the region's university hospital, with levers to pool staff across
// establishments, transfer activities, bring care closer to patients and
// contract private partners. This package describes a region; the verb
// packages act on it:
//
//   - capacity turns population into demand, staff need (WISN and norms),
//     beds, gaps and costs;
//   - pathway follows patients along referral chains and judges a plan by
//     the whole journey;
//   - allocate decides where services go, allocate/pool who works where,
//     and allocate/transfer which establishment serves which demand.
//
// They do not import one another: they meet in this package's types.
//
// # What every decision shares
//
// SolveOptions bound a solve (time limit, gap tolerance, model-size
// limit) with one validation and one set of defaults, and carry an
// optional progress hook (Progress: the best answer, the bound, the gap and
// the time spent, as they improve, relayed by a ProgressReporter that never
// calls the hook from two goroutines at once); TravelSource says
// where legs come from (an override matrix, the region's Travel matrix, the
// Estimator). A model above its size limit is refused with a
// *TooLargeError; rules that cannot hold are reported as *InfeasibleError
// values, one per reason, joined with errors.Join (InfeasibleCauses lists
// them, and name places by name and code). The rules of the figures
// planners quote live here too: WeightedQuantile (the 90th percentile of
// travel), MostDeprived (exactly the most-deprived 20% of the people, the
// area at the boundary counted in part) and AssignNearest (today's nearest
// eligible site, public by default). A DemandTable carries its unit
// (Cases, the unit of capacities; Trips, the pathway package's travel
// weights; People), so that a planning package never compares trips with
// a capacity in cases.
//
// # A region
//
// A Region is a plain value of exported slices: Areas (catchments with
// their population, by segment when known), Establishments (level,
// ownership, location, beds, the services they offer with annual capacity,
// the staff on their roll, whether they may close, and candidate sites
// that do not exist yet), Services and Categories, and optionally a travel
// Matrix. Build it in code, read it from a directory of CSV files
// (ReadDir, Open) or from one JSON document (ReadJSON), and write it back
// (WriteDir, EncodeCSV, WriteJSON). Lookups by ID are O(1). An area may
// carry its outline (Boundary, kept in a region directory's areas.geojson
// and read and written with the orb library); AreaAt and
// PlaceEstablishments place points in the outlines.
//
// Validate reports every problem at once: errors.Join of *ValidationError
// values, each naming the record and field and, for data read from files,
// the file, line and column. errors.Is(err, ErrInvalid) holds. Readers
// validate what they read; every entry point of the library validates its
// input before it computes anything. Check goes further and looks for
// places that are valid but implausible (a point far outside the region,
// latitude and longitude swapped, a province scattered across the
// country, a travel row faster than roads allow): Warnings located like
// errors, and an error for what no road allows.
//
// # Travel
//
// Travel is a Leg of minutes and kilometres. A Matrix holds legs from
// origins to destinations (area or establishment IDs) and says which pairs
// cannot be reached instead of storing an infinite time. Legs come from a
// sparse origin–destination CSV (ReadMatrixCSV), from great-circle
// distance with a road-circuity factor and rural and urban speeds
// (Estimator), or from shortest paths over a road network (RoadNetwork:
// built from nodes and edges, read from CSV, or from an OpenStreetMap
// extract by the osmroad package). RoadNetwork.PlaceMatrix joins areas of
// one point or several and establishments to the roads, reports how far
// each point is from them and warns of implausible snaps; its searches run
// in parallel, their results do not depend on the number of workers.
//
// # Units
//
// Coordinates are WGS84 degrees; travel is in minutes and kilometres;
// population in people; volumes in each service's unit per year; staff in
// full-time equivalents (FTE); working time in hours per year; money in
// Moroccan dirhams (MAD).
//
// # Concurrency and determinism
//
// A Region, Matrix, DemandTable or Assignment may be read by many
// goroutines at once; none may be modified while it is read. Every
// function returns the same output for the same input: the readers return
// records in the order of their IDs whatever the order of the rows, tables
// are sorted by ID, sums run in a fixed order, and no map order leaks into
// a result.
package gst
