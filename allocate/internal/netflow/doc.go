// Package netflow solves minimum-cost flow problems with two levels of cost
// exactly, by the primal network simplex method, and prices the residual
// network of an optimal flow. It is the flow engine of staff pooling (one
// network per staff category) and activity transfer (one network per
// service); like pmedian and capfl it knows nothing of the domain: nodes and
// arcs are indices.
//
// # Walkthrough
//
//	g := netflow.New(3, 4)
//	g.SetSupply(0, 5)                      // node 0 sends 5 units
//	g.SetSupply(2, -5)                     // node 2 receives them
//	g.AddArc(0, 1, math.Inf(1), 1, 0)      // uncapacitated, primary cost 1
//	g.AddArc(1, 2, 3, 1, 0)                // capacity 3
//	g.AddArc(0, 2, math.Inf(1), 3, 1)      // costlier, but not bounded
//	err := g.Solve(ctx)                    // g.Flow(a), g.Objective()
//
// Costs are compared lexicographically: a flow is better when its primary
// cost is lower, and among flows of equal primary cost when its secondary
// cost is lower. That is the true lexicographic optimum, not a weighted sum
// with a large multiplier, and the primary node potentials are the duals of
// the primary problem alone.
//
// The solver keeps a strongly feasible spanning tree (Cunningham 1976: the
// leaving arc is the last blocking arc of the pivot cycle, met from its
// apex), which rules out cycling; entering arcs are chosen by block search
// over a list of candidate arcs (as in LEMON's NetworkSimplex). SetStart
// lets the caller start from a feasible tree of real arcs instead of the
// artificial one; after KeepBasis, Resolve starts again from the last
// optimal tree once SetCost has changed costs (the tree's flow stays
// feasible), which makes a series of re-priced solves cheap (the slope
// scaling of staff pooling's move rules); SaveBasis and LoadBasis keep
// optimal trees and start a Resolve from any of them, so that a branch and
// bound over costs starts each child from its parent's optimum. Reduced
// gives an arc's reduced
// costs at the optimum, from which Lagrangian bounds are built.
//
// # Units, concurrency and determinism
//
// Flows, supplies and capacities are in the caller's unit; costs are per
// unit of flow. A Network must not be used by two goroutines at once;
// separate networks solve in parallel safely. The same network gives the
// same flow, bit for bit: arcs are priced in index order and ties are broken
// by index.
package netflow
