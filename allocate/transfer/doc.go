// Package transfer decides which establishment serves which demand
// (activity transfer): the annual volume of each service needed by the
// people of each area (a gst.DemandTable) and the cases referred by
// establishments, sent to the public establishments that offer the service
// and to the private partners under contract for it, within their
// capacities, so that patients travel little and the payers pay little under
// the hybrid financing of the GST reform.
//
// # A problem
//
// A Problem names a gst.Region, the Demand (the capacity package's demand)
// and the Referrals, the rules of each Service (longest trip, providers),
// the Payers and what they pay (Tariffs, Capitations, Contracts with
// private partners), Capacities, shared Resources and their Uses, and
// budgets:
//
//	p := &transfer.Problem{
//		Region:    region,
//		Demand:    demand,
//		Services:  []transfer.Service{{Service: "surgery", MaxMinutes: 90}},
//		Contracts: []transfer.Contract{{Establishment: "K1", Service: "surgery", MaxVolume: 400, TariffMAD: 9000}},
//		Tariffs:   []transfer.Tariff{{Service: "surgery", PerCaseMAD: 6000}},
//	}
//	plan, err := transfer.Solve(ctx, p, nil)
//
// The Plan gives the Flows, a gst.Assignment of the areas, the Loads and
// ResourceUse with the worth of one more unit of capacity where it binds,
// the cost per payer, and Figures of today's pattern and of the plan.
//
// # Units
//
// Volumes are in each service's unit a year (cases); travel in minutes and
// kilometres one way; money in dirhams (MAD) a year; resources in their own
// unit (beds, theatre hours a year, FTE…).
//
// # The model
//
// A flow f(o, s, p, e) is the volume of service s from origin o (an area or
// a referring establishment), paid by payer p, served at establishment e.
// Each area's demand is split between payers by the shares of its
// population in the payers' segments (Payer); a referral names its
// payer. The rules:
//
//   - every case is served (unless AllowUnserved);
//   - a flow is allowed only to a provider of the service (a public
//     establishment offering it, or a private one with a contract for it)
//     within the service's MaxMinutes;
//   - the volume of a service at an establishment is at most its capacity
//     (the offer's capacity, a Capacity row, or a contract's
//     MaxVolume), and a contract's MinVolume is a floor;
//   - shared resources: Σ_s PerCase(s, r) × volume(s, e) ≤ Available(e, r)
//     for every resource r at every establishment e (beds, theatre hours,
//     staff time);
//   - the cost of the plan, in total and per payer, is within the budgets;
//   - with EqualTreatment, the payer never decides where a patient is
//     treated: the cases of an origin and service go to each provider (or
//     stay unserved) in the same shares whatever their payer, f(o, s, p, e)
//     = volume(o, s, p) × σ(o, s, e). Without it each payer's cases go where
//     they cost least, and the Plan's PayerSplits list the origins and
//     services where the payer decided (the payers' shares of each
//     provider).
//
// Cost is what payers pay: per case, the tariff of the service for the
// payer at the establishment (the most specific Tariff row, or the
// contract's tariff for a private partner); per person enrolled, for a
// capitated service (primary care), the Capitation rate times the
// area's people of that payer in proportion to the share of its demand the
// establishment serves. Patient travel is volume × TripsPerCase × one-way
// minutes.
//
// # Objective
//
// Lexicographic: first the volume left unserved (with AllowUnserved), then
// either cost + MinuteValueMAD × patient minutes (CostAndTravel,
// the default) or patient minutes (TravelFirst), then the other
// (patient minutes, or cost) to break ties. The flow solver compares costs
// as pairs and prices an unserved case above any path of the network (its
// cost times the number of nodes); the linear programmes are solved in
// stages, each keeping the previous stages' optimum (within
// Options.GapTolerance) as a constraint.
//
// # Solvers
//
// Without shared resources, contract minimums or budgets, the services
// are independent transportation problems, each solved exactly in Go by the
// network simplex of allocate/internal/netflow, as staff pooling does; with
// EqualTreatment the payers of an origin and service are one node of the
// network, whose cases pay each provider the blend of their payers' prices
// (their volumes' shares), which is exact because the shares are the same
// for every provider. Otherwise one linear programme is solved with
// lp_solve, equal treatment adding a row per provider and payer that ties
// the payer's flow to the first payer's; its size is estimated first and
// refused above Options.MaxModelBytes (a *gst.TooLargeError).
//
// # Marginal values
//
// Load and ResourceUse give what one more unit of capacity
// (a case of a service, a bed, an hour) is worth where it binds: the extra
// cases it would serve (when demand is left unserved) and what it would
// save in the objective after unserved volume with the volume served held,
// from the residual network of the flow (shortest augmenting cycles through
// the extra unit) or the duals of the programme's stages.
//
// # Infeasibility
//
// When every case must be served and cannot be, Solve returns a
// *gst.InfeasibleError values, joined, wrapping gst.ErrInfeasible: checks on counts
// (demand with no provider within reach, a service's demand above the
// capacity within its reach, a contract floor above the demand that can
// reach the partner) and, when they pass, an elastic programme in which
// capacities, resources, contract floors and budgets may give at a price:
// the rules it breaks, and by how much, are the rules that clash.
//
// # Errors, concurrency and determinism
//
// Solve validates the problem and options first and reports every
// problem at once (errors.Is(err, gst.ErrInvalid)). When the demand cannot
// all be served within the rules (and AllowUnserved is not set), or
// contract floors or budgets cannot hold, it returns a
// *gst.InfeasibleError (gst.ErrInfeasible) for each rule that clashes;
// a model above the limits gives a *gst.TooLargeError (gst.ErrTooLarge)
// before it is built. A deadline returns the plan in hand with
// StatusTimeLimit (or StatusCanceled), unless it breaks a rule
// (gst.ErrNoSolution).
//
// The plan is deterministic: the same problem gives the same plan, whatever
// the order of its rows and the number of workers. Solve does not modify its
// input and keeps no state; calls may run concurrently on the same region
// while nobody modifies it.
package transfer
