// Package planar locates p sites among many points of the plane by
// straight-line distance, at a scale where a full travel matrix would not
// fit: the uncapacitated p-median problem on tens of thousands of demand
// points (villages, 1-km cells) and the capacitated p-median problem, each
// answer with a proven lower bound.
//
// It is the coordinate-only companion of allocate.Locate, which takes a
// gst.Region with its travel matrix. Here clients and candidate sites are
// plain coordinates in one planar unit (metres of a projection, kilometres,
// the units of a benchmark file), and distances are Euclidean in that unit,
// or Euclidean rounded down to an integer (FloorEuclidean, the convention of
// the TSPLIB p-median literature).
//
// # Method
//
// Uncapacitated problems go to the library's p-median engine (Lagrangian
// relaxation, vertex substitution and branch and bound) with candidate
// lists instead of a matrix: each client lists its nearest sites, found
// with a uniform grid over the sites, and a floor on the distance to every
// site left out (the first distance left out) keeps the Lagrangian bound
// valid for the whole problem; unlisted pairs are priced from the
// coordinates when a plan needs them. Memory grows with the lists, not with
// clients × sites. The lists start at about three times Sites/P entries;
// when the bound is held back because some clients' multipliers reach the
// floor of their list, those lists are doubled and the engine runs again
// from the best plan (a core-set strategy), until the gap closes, no list
// limits the bound, or the time runs out.
//
// Capacitated problems (Capacity set) of up to 2 million client–site
// pairs go to the library's capacitated facility location engine with
// single sourcing (Lagrangian relaxation and branch and bound, proving
// optimality), which takes a dense matrix. Larger ones use candidate lists
// again: the bound is the larger of the uncapacitated p-median bound
// (capacities relaxed; its root only, ended when its subgradient has
// converged or after a fifth of the time, a quarter on large lists) and
// a Lagrangian bound that relaxes the assignment constraints and leaves
// each site a continuous knapsack over the clients that list it (valid for the whole problem
// since multipliers stay below the lists' floors), maximised by a
// subgradient method with deflected directions (Camerini, Fratta and
// Maffioli) and started on large lists from the uncapacitated engine's
// multipliers. Plans come from two starts: the Lagrangian solutions, and
// the uncapacitated sites spread where their nearest clients exceed the
// capacities (a site opens by the costliest client of the most overloaded
// site, then the sites whose clients lose least close until P remain),
// and on lists of less than a million pairs also those sites moved one by
// one to nearby sites while the nearest-site loads fit (where they fit,
// the capacitated cost is the uncapacitated one). Each site set
// is assigned within the capacities by regret, then client shifts and
// swaps. A swap search then exchanges open sites for closed ones with
// exact changes of cost: each exchange moves the closing site's clients
// to the new site or to their cheapest listed open site with room, then
// draws to the new site the clients that pay less there, within its
// capacity, so every exchange is a plan within the capacities and its
// cost is known without assigning every client again; each open site is
// tried against its 12 nearest sites, and the cheapest closures anywhere
// against the openings that save most; when no exchange helps, clients
// shift and swap between the open sites and the exchanges resume while
// that lowers the cost. On lists of less than a million pairs, both
// bounds (continuous, then 0-1 knapsacks: each client served whole, as
// the problem requires, a stronger bound) are then taken to where their
// subgradient step vanishes, and the rest of the time goes to re-solving
// the plan region by region: an open site with its 4 nearest open sites
// and the clients they serve is a small capacitated p-median problem
// (the same number of sites to open among the region's and the first
// five sites of its clients' lists), which the library's capacitated
// engine solves with the region's cost as cutoff; a better answer
// replaces the region's part of the plan. Regions go in pairs with no
// site in common, both solved on the same plan (at once with two
// workers) and their answers applied in a fixed order, so the plan does
// not depend on the number of workers. When no region of 5 sites
// improves, regions of 8, 12, 16, 24 and 32 sites follow (a subproblem's
// search is bounded by counts of nodes and of Lagrangian iterations, not
// by time). Further
// local searches move each open site to the best site of its cluster,
// towards the clients the capacities push furthest, and to a nearby
// site: from the best plan on large lists (a million pairs or more),
// else from the best Lagrangian solution. On large lists, when the bound
// stops improving (its subgradient step vanishes) and the local search
// finds no better move, the time left goes to the relaxation with 0-1
// knapsacks, and to a local search from its best Lagrangian plan when
// that is new. Then come wider moves (exchanges with the 24, then 48
// nearest sites; each open site against its 12, 24, then 48 nearest
// sites with every client assigned again). Those answers carry a gap,
// not a proof; Result.Ended says why the search ended.
//
// On the package's synthetic region of 100,000 demand points and 3,000
// candidate sites with p = 300 and every capacity 1.5 times the mean load
// (BenchmarkRegion100kx3k), the capacitated answer is within about 2.4% of
// its bound in 60 s, at about 490 MiB of peak memory. At a load average
// of 2–3 the bound is then within 0.05% of where the relaxation with
// continuous knapsacks converges, and the plan's assignment within 0.02%
// of a lower bound on every assignment to the same sites (demand split,
// each client among its 40 nearest of them): the gap lies between the
// choice of sites and the relaxation. On smaller regions drawn the same way, which the dense
// engine can search, its branch and bound lifts the bound well above the
// relaxation's (by 0.75% on 3,000 points and 90 sites, with the same plan
// as this method's), so a good part of that gap is the relaxation's.
//
// # Answers
//
// Solve returns the open sites, each client's site, the objective
// recomputed from the assignment, a proven lower bound, the gap and a
// gst.Status (StatusOptimal when the gap closed). A deadline returns the
// best plan found with its bound and StatusTimeLimit. The candidate-list
// method of capacitated problems may end before the deadline with a gap,
// StatusFeasible and Result.Ended = EndedConverged, when neither its bound
// nor its plan improves any more.
//
// # Concurrency and determinism
//
// Solve does not modify the Problem and may run concurrently on different
// problems. It uses Options.Workers goroutines; the result does not depend
// on their number. A solve not stopped by a deadline returns the same
// result, byte for byte, for the same input; ties are broken by the lowest
// index.
package planar
