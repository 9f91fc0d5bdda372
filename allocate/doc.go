// Package allocate decides where services are offered: it chooses the sites
// of one or several services of a region (location-allocation), sends each
// area's demand to them, and proves how good the plan is.
//
// # A problem
//
// A Problem names a gst.Region, a gst.DemandTable (the capacity package's
// demand in cases, or the pathway package's travel weights in trips; only
// cases are compared with capacities), the services located
// together (ServiceRule: weight, eligible sites, access standard, maximum
// travel), an Objective and its rules:
//
//	p := &allocate.Problem{
//		Region:    region,
//		Demand:    demand,
//		Services:  []allocate.ServiceRule{{Service: "delivery"}, {Service: "caesarean", Weight: 3}},
//		Objective:  allocate.PMedian,
//		MaxChanges: 2, // at most two sites opened or closed
//		MaxTravel:  90,
//	}
//	plan, err := allocate.Locate(ctx, p, nil)
//
// The sites are the establishments eligible for at least one of the
// services (by default the public ones that offer it, existing or
// candidate). One
// decision per site opens or closes it for every service it is eligible
// for, so a maternity with caesarean capacity, or the steps of a referral
// pathway given as services with weights, are located jointly: the travel
// objective is Σ_services weight × Σ_areas volume × travel.
//
// The real situation of a GST is the default: an existing site that offers
// the services today and is not Closable stays open; a closable one may
// close at its CloseCost; a candidate may open at its OpenCost. Keep and
// Exclude force sites in and out, Budget bounds the opening and closing
// costs, MaxChanges the number of sites opened plus closed, and Greenfield
// ignores the Closable flags. P fixes the number of open sites; left at 0
// the number is free within MaxChanges and Budget ("at most two changes").
// Whatever the rules, Locate makes a change only when it is forced or
// strictly improves the objective: a candidate that saves nothing stays
// closed. Sweep solves the problem for 0, 1, …, MaxChanges changes, the
// diminishing returns a committee weighs against the cost of each site. Equity rules are hard: MaxTravel (every area
// served within it) and MinCoverage (a least share of each province's
// demand within the service's standard). Capacity makes the capacities of
// the offers binding, with demand split between sites (SplitDemand) or each
// area served by one site (SingleSource).
//
// # Objectives and methods
//
// Locate validates the problem and the options first and reports every
// problem at once (*gst.ValidationError, *gst.InfeasibleError naming the areas
// that no eligible site reaches within a rule, the province a coverage rule
// cannot hold in, and so on). It estimates the size of the model before it
// builds it and refuses one above Options.MaxModelBytes (*gst.TooLargeError).
// It then picks the method, under Options.Method Auto:
//
//	objective              capacities    rules                     method
//	PMedian, FixedCharge   none          P, kept/excluded sites,   p-median engine: Lagrangian bound,
//	                                     max travel, changes       vertex substitution, branch and bound
//	PMedian, FixedCharge   one service   P, kept/excluded sites,   capacitated engine: Lagrangian
//	                                     max travel                relaxation, branch and bound
//	PMedian, FixedCharge   none          any (budget, coverage)    MIP, radius formulation
//	PMedian, FixedCharge   binding       any                       MIP, assignment formulation (single
//	                                                               source: split-demand bound and
//	                                                               first plan, then the whole model)
//	PCenter,               any           any                       sequence of covering problems
//	WeightedPCenter                                                (binary search over the radii)
//	SetCovering            any           any                       MIP, covering formulation
//	MaxCoverage            any           any                       MIP, radius or assignment formulation
//	BackupCoverage         none          any                       MIP, two stages (covered once, then
//	                                                               covered twice)
//
// The radius formulation (Elloumi 2010) gives each area its candidate sites
// by increasing travel, grouped into levels, with one continuous column per
// level ("no site this close is open") in chained rows: the same linear
// bound as the classical assignment model with far fewer nonzeros, and
// reductions (lists stop at the nearest kept site, and at the ball that
// holds an open site whatever P sites open). Any non-decreasing cost of
// travel fits it, so the same formulation serves the p-median, maximal
// coverage (with or without decay), set covering and the second stages.
// PCenter is solved by covering problems because the textbook min-max model
// has a weak relaxation: each radius tried is a proof, so a search stopped
// by the deadline still returns a plan and a valid bound. SetCovering,
// PCenter, WeightedPCenter and MaxCoverage have a second stage (see
// Options.NoRefine) that picks, among the plans optimal for the objective,
// one of least weighted travel. The MIPs are solved by lp_solve through
// internal/lp.
//
// # Every answer
//
// A Plan carries the sites with their decision (Stays, Opens, Closes,
// StaysClosed), the gst.Assignment of every area and service (with shares
// when demand is split), the objective Value, a proven Bound and the Gap;
// its Status is gst.StatusOptimal only when the gap is within
// Options.GapTolerance. When the deadline (the context's or
// Options.TimeLimit) passes or the context is cancelled, Locate returns the
// best plan found with its bound and StatusTimeLimit or StatusCanceled, not
// an error.
//
// Before and After give the key figures of each service with today's open
// sites (Today: the nearest one, or within today's capacities when they
// bind; BeforeServed says when some demand has no site today) and with the
// plan: demand-weighted mean, 90th percentile and maximum travel, the
// population served beyond the standard, the coverage of each province and
// the load and utilisation of each site. WriteGeoJSON writes three layers
// for GIS tools (RFC 7946, one geometry type each, flat properties): the
// sites, the areas (outlines where the region has them) with travel today
// and with the plan, and the assignment lines.
//
// Why: SiteCosts bounds the objective of the opposite decision on each
// site the plan decides, from the p-median engine's Lagrangian bounds or
// from the reduced costs of the linear relaxation (valid lower bounds,
// weak when the relaxation is fractional); Options.SiteCosts re-solves the
// problem with each site forced or forbidden for the exact cost.
// CapacityValues gives the marginal value of capacity at each open site:
// minus the dual of its capacity row in the transportation problem of the
// plan (the travel saved per extra unit of capacity, the sites staying as
// they are; exact for split demand, an estimate under single sourcing).
//
// # Staff pooling and activity transfer
//
// The other decisions of a GST live in packages of their own, which share
// the root package's SolveOptions, TravelSource and errors with Locate:
// allocate/pool decides who works where (staff pooling across
// establishments, with teams, safe staffing and caps), and
// allocate/transfer which establishment serves which demand (activity
// transfer between public establishments and contracted private
// partners, under capacities, shared resources and budgets).
//
// # Units
//
// Travel is in minutes (or kilometres with Metric Kilometres), from the
// Problem's Travel matrix, then the Region's, then the Estimator; volumes
// are in each service's unit a year; costs in dirhams. Plan.Value is in
// the objective's terms (see Plan.Value).
//
// # Progress
//
// With SolveOptions.Progress set, Locate reports the primary objective
// (Plan.Value's terms) as it improves: each better plan and each tighter
// bound of the p-median and capacitated engines, and the MIP's plan and
// bound when lp_solve returns them; the last report is the plan's Value
// and Bound. The hook is called from one goroutine at a time and never
// after Locate returns.
//
// # Concurrency and determinism
//
// Locate reads its problem and never modifies it;
// separate calls may run at the same time, sharing one *gst.Region. Sites, services and areas are handled in ID order and
// ties are broken by ID, so the order of the input never changes a plan,
// and the same input gives the same plan, byte for byte in JSON and
// GeoJSON, except Plan.Elapsed (and the plan found before a deadline,
// which depends on the machine's speed).
package allocate
