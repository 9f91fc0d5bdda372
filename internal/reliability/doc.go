// Package reliability checks, across every package of the module, that the
// library never crashes, hangs or quietly misleads on the data planners feed
// it. It holds no code of its own: its tests drive the public entry points
// (the root package's readers and region model, capacity, pathway, allocate,
// and the internal lp and orlib packages) the way a user's program would.
//
// The tests cover:
//
//   - a catalogue of bad input, one case per input and entry point: each is
//     answered by an error wrapping the matching sentinel (gst.ErrInvalid,
//     gst.ErrInfeasible, gst.ErrTooLarge), of the package's concrete type
//     where it has one, whose message says where the fault is (file, line,
//     record, field); names in Arabic and Tifinagh, CRLF line ends, a byte
//     order mark and quoted fields are accepted and come out intact;
//   - impossible problems: when no plan exists, the error says why and where
//     (the areas no site reaches within the standard, the province short of
//     capacity, the staffing rules that clash);
//   - time limits: every solve stops within about a second of its deadline
//     and returns its best plan with a bound, a gap and a status that says
//     it was stopped (also when lp_solve's own clock stops it before the
//     context's timer fires), and every entry point that takes a context
//     stops when it is cancelled;
//   - concurrency: sixteen solves of different kinds share one *gst.Region
//     in parallel (run them with -race) and give the answers they give in
//     sequence;
//   - determinism: shuffling the data rows of every file of the bundled
//     pilot region gives byte-identical plans, assessments and evaluations;
//   - size: every solver estimates its model before it builds it and, above
//     the configured limit, returns a typed error that suggests what to do
//     instead.
//
// The fuzz targets live beside the code they fuzz: every reader (region
// directories file by file, region, table and pathway JSON, travel
// matrices, road networks, OR-Library files, capacity's texts) and
// internal/lp models, and Locate, Pool and Transfer on problems built from
// the fuzzer's bytes. Each package's testdata/fuzz holds the inputs they
// found, which go test runs as seeds. The catalogue here checks the same
// entry points through their documented error contract.
package reliability
