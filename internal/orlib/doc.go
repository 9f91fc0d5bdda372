// Package orlib reads benchmark instances of location problems: OR-Library
// uncapacitated p-median (pmed1–pmed40), capacitated warehouse location
// (cap41–cap134, capa, capb, capc), the Osman–Christofides capacitated
// p-median (pmedcap1), the Lorena–Senne São José dos Campos instances
// (SJC1–SJC4b) and the rest of the Stefanello capacitated p-median
// collection, the TSPLIB and BIRCH point sets of the p-median literature,
// and single-source capacitated facility location files (Holmberg, Yang,
// Delmaire), with the tables of their optimal or best known values.
//
// The solvers of the library use these files as test oracles and
// benchmarks. Each reader takes an io.Reader and returns the instance in a
// form ready for a solver:
//
//	ReadPMed     → PMed: n, p and the n×n shortest-path distance matrix (int)
//	ReadCap      → Cap: capacities, fixed costs, demands and the m×n matrix
//	               of the cost of serving all of customer j from warehouse i
//	ReadPMedCap  → PMedCap: n, p, Q, coordinates, demands; floored Euclidean
//	               distances (Dist)
//	ReadSJC      → SJC: n, p, coordinates, capacities, demands; real
//	               Euclidean distances (Dist)
//	ReadCPMP     → CPMP (the type of SJC): the Stefanello collection, same
//	               layout; ReadCPMPGridWith adds a distance matrix file
//	               (spain737_* and spain.grd)
//	ReadTSPLIB   → Points: TSPLIB95 EUC_2D coordinates (FloorDist, Dist)
//	ReadBIRCH    → Points: BIRCH coordinates
//	ReadHolmberg → SSCFLP: capacities, fixed costs, demands, the J×I
//	               matrix of total assignment costs; ReadYang reads the
//	               same layout, ReadDelmaire the customer-first one, and
//	               Cap.SingleSource turns a cap file into one
//	ReadOptima   → the entries of pmedopt.txt or capopt.txt
//	KnownValues  → the optimal and best known values of all the instances
//	               (LookupKnownP for point sets, by p)
//
// The ...With variants take *Options: a name for the input in errors and
// size limits.
//
// # Reading rules
//
// Instance files are read as a stream of whitespace-separated tokens, not
// line by line: copies of the same instance break lines differently, some
// use CRLF line ends, some lack a final newline. A NUL byte ends the
// input: some copies are padded to a block size with NUL bytes, and one
// (Holmberg's p47) carries leftovers of a longer file after them. Numbers are decimal;
// NaN, infinities and hexadecimal forms are refused. Nothing may follow the
// last expected token. In pmed files an edge listed twice takes its last
// cost, and distances are shortest paths. In capa/capb/capc the word
// "capacity" stands for the capacity passed to ReadCap.
//
// # Errors and limits
//
// Malformed input yields a *ParseError naming the input, the line and the
// token number, what was being read, what was expected and what was found;
// it wraps gst.ErrInvalid. A header announcing more than Options.MaxN
// items, or a matrix above Options.MaxCells cells, is refused with a
// *ParseError wrapping gst.ErrTooLarge before the matrix is allocated, and
// memory otherwise grows with the data actually present. The readers never
// panic (they are fuzzed). Read errors of the underlying reader are
// returned wrapped, naming the input.
//
// # Concurrency and determinism
//
// The readers keep no state between calls and may run concurrently; the
// same input always gives the same result.
package orlib
