// Package pmedian solves uncapacitated location problems exactly: the
// p-median problem, uncapacitated facility location (fixed opening costs),
// and their mixtures with sites forced open or closed, a range of open
// sites and a limit on changes from today's sites, with a proven lower
// bound on every answer.
//
// It is the engine behind the p-median and fixed-charge objectives of the
// allocate package; the public API, units and identifiers live there.
// Here clients and sites are plain indices and costs plain numbers.
//
// # Problem
//
// Choose a set Y of sites to open and serve each client from its cheapest
// open site, minimising
//
//	Σ_i Weight[i]·Cost(i, nearest site of Y) + Σ_{j∈Y} FixedCost[j]
//
// subject to |Y| = P (or MinOpen ≤ |Y| ≤ MaxOpen), Rule (sites forced
// Open or Closed) and, with Current and MaxChanges, at most MaxChanges
// sites whose state differs from today. Costs come as a dense matrix or,
// for large instances, as candidate lists (typically each client's K
// nearest sites) with a lower bound Beyond on the cost of any site left
// out and an optional exact pricing function Far for those. An existing
// site that may close at a cost g is a site with FixedCost −g (the
// caller adds the constant g).
//
// # Method
//
// Speed comes from the method; a general solver only finishes small
// residual regions:
//
//   - Incumbent: greedy opening, then the fast swap local search of
//     Resende and Werneck (2007), which generalises Whitaker's fast
//     interchange (gain, loss and extra tables updated only for the
//     clients a move affects), with openings and closings where the
//     cardinality allows; then an iterated local search (seeded random
//     perturbations near open sites, descent, undo unless better).
//   - Bound: Lagrangian relaxation of the assignment constraints
//     (Beasley 1985, "A note on solving large p-median problems", EJOR
//     21), maximised by a projected subgradient method with the
//     Camerini–Fratta–Maffioli deflection. For a fixed multiplier vector
//     the relaxation reduces to choosing sites by their reduced cost ρ_j,
//     which is cheap because each client contributes only the sites of its
//     sorted list cheaper than its multiplier. The best value equals the
//     linear-programming bound of the strong formulation.
//   - Lagrangian heuristic: the sites chosen by the relaxation are priced
//     and used as starts for the local search.
//   - Reduced-cost fixing: a free site whose flip would lift the bound to
//     the incumbent is fixed, at the root (the client lists are then cut
//     at the nearest site fixed open) and at every node.
//   - Branch and bound, depth first, on the site whose average
//     state over the subgradient iterations is the most undecided, with
//     the Lagrangian bound warm-started from the parent's multipliers at
//     each node; the local search runs again now and then.
//   - Residual programme: when every cost is an integer, the tree has
//     not closed the gap within 100 nodes, and the region the root's
//     fixing left is small (at most 1,000 free sites and 20,000 list
//     entries), that region is solved as the strong formulation's
//     mixed-integer programme by lp_solve (internal/lp), within a budget
//     of simplex iterations; its optimum, less a margin for lp_solve's
//     tolerances and rounded up, bounds the region and its sites are
//     offered as a plan (see residual.go); when it does not close the
//     gap its bound raises every open node's. At large p the optimum often
//     lies a few units above the LP bound and a Lagrangian node must come
//     within one unit of its LP value to be pruned, which a linear
//     programme's branch and bound reads exactly: on rl1304 with p = 300
//     the tree ran 30,000 nodes in 60 s without closing a gap of 8, the
//     residual programme (308 sites free, 6,223 columns) closes it in
//     about 5,700 simplex iterations.
//
// Truncated candidate lists keep the bound valid: a client's multiplier
// never exceeds Weight·Beyond, so the relaxation computed from the lists
// equals the relaxation of the full problem (see lagrange.go). The
// clients whose multipliers reach that cap at the root are reported
// (Result.Capped): their lists hold the bound back, and a caller may
// lengthen them and solve again (Options.StopIfCapped stops before
// branching for that; Options.StopAfterRoot stops there in any case,
// for callers that want the root's plan, bound and multipliers). Every
// bound is computed less a rigorous allowance for floating-point
// rounding, and rounded up when all costs are integers.
//
// On the 40 OR-Library pmed instances every optimum is proven, most at
// the root; see the package tests (go test -run TestPMedAll -pmed.all)
// for the table.
//
// The residual programme's proof is lp_solve's, within its tolerances
// (relative MIP gap 1e-9, feasibility 1e-9): the only bound of the engine
// not computed with a rigorous rounding allowance, which is why it is
// used only for integral costs, where a margin of 1e-8 of the value
// covers those tolerances before rounding up. Options.NoResidualMIP turns
// it off.
//
// # Answers
//
// Solve returns the open sites, the assignment, the objective recomputed
// from the assignment, a proven lower bound, the gap and a gst.Status:
// StatusOptimal when the gap is closed (within 1e-9, or exactly for
// integral costs). A context deadline or cancellation, or
// Options.TimeLimit, returns the best plan found with its bound and
// StatusTimeLimit or StatusCanceled. FlipBound gives, per site, a bound
// on the cost of reversing its state: the price of forcing it in or out.
//
// # Concurrency and determinism
//
// Solve does not modify the Problem and may run concurrently on
// different problems. Options.Workers goroutines evaluate the relaxation;
// their partial sums are combined in a fixed order. A solve that is not
// stopped by a deadline returns the same result, byte for byte, for the
// same input and Options.Seed, whatever the machine and the number of
// workers; ties are broken by the lowest index. (The residual programme
// is bounded by simplex iterations, not time, for that reason.)
//
// # Memory
//
// The compiled instance holds each client's list sorted (12 bytes per
// client–site pair, twice: by client and by site), and the local search a
// Sites × max-open table of float64. 50,000 clients with 60 candidates
// each and 1,000 sites take about 170 MiB in all.
package pmedian
