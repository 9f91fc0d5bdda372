// Package capfl solves capacitated facility location problems to proven
// optimality, or returns the best solution found with a proven lower bound
// when time runs out.
//
// It is the capacitated engine behind the allocate package: sites with
// capacities (and optionally opening costs) serve customers with demands,
// and the package chooses which sites open and who is served where. One
// Problem covers
//
//   - the capacitated facility location problem with fixed charges,
//     multi-source (a customer's demand may be split across sites, as in
//     OR-Library's cap41–cap134 and capa/capb/capc);
//   - its single-source variant (every customer served by one site);
//   - the capacitated p-median problem (single source, no fixed costs,
//     exactly p sites; see NewPMedian), as in the Osman–Christofides and
//     Lorena–Senne benchmarks;
//
// with optional bounds on the number of open sites (MinOpen, MaxOpen),
// sites that must open (existing sites that stay) or may not (Closed), and
// forbidden site–customer pairs (a cost of +Inf, for example beyond a
// maximum travel time).
//
// # Walkthrough
//
//	p := &capfl.Problem{
//		Capacity:  []float64{60, 50},       // per site, in demand units
//		FixedCost: []float64{100, 80},      // cost of opening each site
//		Demand:    []float64{30, 20, 40},   // per customer
//		Cost:      [][]float64{             // serving ALL of customer j from site i
//			{30, 60, 80},
//			{90, 20, 40},
//		},
//	}
//	sol, err := capfl.Solve(ctx, p, nil)
//	// sol.Open, sol.Assign (shares per customer), sol.Objective,
//	// sol.Bound, sol.Gap, sol.Status, sol.CapacityValue, sol.FlipBound
//
// Validate reports every malformed field at once (errors wrapping
// gst.ErrInvalid); Solve validates first, then reports rules that clash
// (total capacity below total demand, a customer with no allowed site, more
// forced sites than MaxOpen, a search that proves no assignment fits) as an
// *InfeasibleError wrapping gst.ErrInfeasible. Evaluate checks and costs
// any solution, so callers can compare a plan of their own with the
// optimum.
//
// # Method
//
// The assignment constraints Σ_i x_ij = 1 are relaxed with Lagrange
// multipliers. What remains splits into one knapsack per site (continuous
// under multi-sourcing, solved by a weighted quickselect; 0-1 under single
// sourcing, solved exactly by Martello–Toth reduction, branch and bound and
// dynamic programming) and a choice of sites that keeps the rules on open
// sites and the aggregate capacity cut Σ_i s_i·y_i ≥ Σ_j d_j (a covering
// knapsack, a cardinality rule when capacities are equal). Subgradient
// optimisation gives the bound, its steps deflected once an incumbent is
// known (Camerini–Fratta–Maffioli: the new subgradient plus a share of the
// last step, which damps zigzagging). Under single sourcing a site's 0-1
// knapsack is solved only when the choice of sites may select it: every
// site is first valued with an upper bound on its knapsack (the total
// profit of its items, then the continuous knapsack), and the sites the
// choice selects on those values are solved exactly until it selects only
// solved sites; the value is the same as with every knapsack solved (the
// choice is monotone in the values), solving about 30 of the 100
// knapsacks per evaluation on pmedcap1_20. When the choice is a
// cardinality rule (p sites, or uniform capacities), the sites sit in a
// heap by value whose top is tightened until it is exact, then taken.
// Under multi-sourcing the bound reaches the strong linear relaxation
// (x_ij ≤ y_i with the aggregate cut); under single sourcing it is the
// column-generation (set-partitioning) bound.
//
// Incumbents come from the Lagrangian solutions. Under multi-sourcing the
// exact transportation problem of the open sites (successive shortest
// paths with potentials) values each site set, and a local search closes,
// opens and swaps sites. Under single sourcing a regret-ordered assignment
// with shift, swap and ejection-chain moves values each site set; a local
// search over site swaps (ranked by an estimate, clusters moved whole, from
// several promising starts) improves it; and the best site sets get an
// exact nested search over the assignment. The budgets of these searches
// count work, not time, so the answer does not depend on the machine; the
// local search's grows with the Lagrangian iterations, ten times slower
// once the incumbent stops improving.
//
// Penalties of the Lagrangian subproblems fix sites (and, under single
// sourcing, site–customer pairs) that cannot belong to a better solution.
// A best-first branch and bound closes the gap: on sites (the one whose
// smoothed Lagrangian value ȳ is closest to one half; under single
// sourcing, among the sites whose ȳ is nearly as close, the one of best
// pseudocost score: the product of the bound rises expected when it is
// closed and opened, learned from earlier branchings on it and at least
// its Lagrangian penalty), then under single sourcing on customers
// (splitting the sites that may serve the customer whose smoothed
// assignment is most spread) or site–customer pairs. Each node starts from
// its parent's multipliers and stops early when its bound cannot reach the
// incumbent.
//
// Under single sourcing the root bound is the column-generation bound of
// the set-partitioning formulation (one column per feasible cluster of a
// site): knapsack cover or Fenchel cuts on one site cannot raise it, as
// each site's knapsack is already solved exactly. On pmedcap1_20 the root
// reaches 972 (the column-generation optimum, computed with lp_solve, is
// 973.6) against an optimum of 1005; the rest is closed by branching.
//
// # Optimality and tolerances
//
// Status is gst.StatusOptimal when Gap ≤ Options.GapTolerance (default
// 1e-6, relative). With single sourcing and integer costs the objective is
// an integer, bounds are rounded up and the proof is exact. Objective is
// always recomputed from the solution itself.
//
// Options.Cutoff asks only for solutions at or below a value: nodes whose
// bound exceeds it are pruned, and a search that proves none exists ends
// with a *CutoffError (often at the root node). The allocate package uses
// it to check whether a change of a plan can be undone at no cost.
//
// # Units
//
// Capacity and Demand share one unit (patients, visits, beds per year…).
// Cost[i][j] is the cost of serving all of customer j's demand from site i,
// in any unit (for example demand × minutes, or dirhams); FixedCost is in
// the same unit as Cost.
//
// # Concurrency and determinism
//
// Solve keeps no global state: separate goroutines may solve separate (or
// the same, unmodified) problems at once. It runs on one goroutine and is
// deterministic: the same problem and options give the same solution, bit
// for bit, unless a deadline or cancellation stops the search, in which case
// the answer depends on how far it got. To bound the work without that,
// use Options.NodeLimit and Options.IterationLimit, which count it. Memory grows with the number of
// site–customer pairs (about 100 bytes per pair at peak; see
// Options.MaxPairs).
package capfl
