// Package osmroad reads OpenStreetMap extracts (.osm.pbf and .osm XML)
// into a gst.RoadNetwork, and gives a region its road travel times in one
// call.
//
// It lives apart from the root package so that programs that never read
// OpenStreetMap do not depend on an OpenStreetMap library
// (github.com/paulmach/osm reads both formats).
//
// Walkthrough: Read or ReadFile turns an extract into a network: the ways
// cars drive (highway classes of Options.Speeds, DefaultSpeeds for
// Morocco), at their class speed or a plausible maxspeed, one-way where
// tagged and on roundabouts and motorways, cut to a box or a polygon,
// split at junctions, and reduced to its largest strongly connected
// component. Travel does the rest for a region: it cuts the extract to the
// region's box, joins areas and establishments to the roads on foot
// (DefaultAccessKmh) and returns the matrix from every area to every
// establishment with a report of the network and of every snap.
//
// Units: speeds in km/h, lengths in km along the road (great-circle
// lengths of the way's segments), times in minutes, coordinates in WGS84
// degrees.
//
// Errors: a file that cannot be read, a truncated or corrupt one, an
// element with impossible values and an extract without a road to drive
// give an *Error naming the file and the element; invalid options give
// gst.ValidationError values. Both wrap gst.ErrInvalid. Tags that cannot
// be used (an implausible maxspeed, an unknown oneway) are counted and
// listed in the Report, never an error.
//
// Concurrency and determinism: the functions keep no state and may run at
// once; a PBF file is decoded by a few goroutines. The same file and
// options give the same network and matrix, byte for byte, whatever the
// order of the elements in the file (a node given twice aside: the first
// is kept).
//
// Data from OpenStreetMap is © OpenStreetMap contributors, under the Open
// Database License (ODbL 1.0): a product made from it must say so.
package osmroad
