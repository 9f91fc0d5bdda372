// Package programme plans a GST's phased programme as one decision: which
// services open or grow at which establishments, with how many modules of
// capacity, staffed by whom (staff on roll, staff pooled from other
// establishments, recruits), in which year, within each year's budget.
//
// Location (allocate.Locate), staff pooling (allocate/pool) and activity
// transfer (allocate/transfer) each decide one thing for one year. A
// regional committee asks for all of it at once over several years, and
// deciding in sequence opens sites that nobody can staff, or sizes nothing.
// Solve decides sites, capacity, staffing and timing together; Sequential
// plans the old way (location, then staffing, period by period) so that
// the gain of deciding jointly can be measured.
//
// # A programme
//
// A Problem has a gst.Region, a horizon of Periods (one or more years each;
// decisions are taken at the start of a period and hold through it),
// demand per calendar year (a gst.DemandTable per year, in each service's
// unit: the capacity package's projection year by year, for example), and:
//
//   - Services (ServiceRule): the eligible sites (public establishments at or
//     above the service's minimum level, and candidates whose offers list
//     it), the standard, a maximum travel, the cost of a unit of demand
//     left unserved (what buying it from a private provider costs, or a
//     planning penalty), the team every site offering it needs, whether it
//     may close;
//   - Modules: units of capacity of a service (a dialysis unit of ten
//     stations, a caesarean theatre line) with their capital cost, running
//     cost, yearly capacity, staff by category and the most a site holds;
//     Installed lists those in service today;
//   - Categories (CategoryRule): attrition a year, recruits a year (the output
//     of training), their cost, lead time and salary; Committed is the staff
//     on roll that other work needs;
//   - Pooling: staff may work at another establishment within a commute
//     limit, keeping a share of their time and safe staffing at home;
//   - money: capital and running budgets per year, with or without
//     carry-over, and a total budget;
//   - equity: maximum travel and minimum coverage within the standard per
//     province; deprivation weights;
//   - an Objective.
//
// Units: money in Moroccan dirhams (MAD), nominal in reports and
// discounted in the objective; staff in full-time equivalents (FTE);
// travel in one-way minutes; demand and capacity in each service's unit a
// year. Demand in trips or people is not capacity in cases: give demand in
// the unit of the modules' capacity.
//
// # The model
//
// For every period: which candidate sites are built (a site is built in the
// period its first service opens), which services are offered where, how
// many modules of each type run at each site (integer); the FTE pooled from
// each establishment to each site (the Lenders nearest of each site and
// category within the commute); the FTE recruited at each site. For every
// year: the share of each area's demand sent to each of its nearest
// eligible sites (ServiceRule.Reach of them, within the maximum travel) or
// left unserved. Rules:
//
//   - what a site serves in a year is within the capacity of its modules
//     that year; an open service has at least one module, and modules only
//     grow unless the service may close (then it closes whole);
//   - the staff the modules and teams of a site need (Module.Staff ×
//     modules + ServiceRule.Team) is met in the last year of every period
//     (the year with least staff, as staff leave and recruits arrive at
//     period starts) by its own free staff (on roll after attrition, less
//     what is committed to other work), its recruits still on roll, and
//     staff received from others; what it lends comes out of the same free
//     staff, so nobody is counted twice; a lender lends at most
//     MaxAwayShare of its staff on roll and keeps MinStayFTE;
//   - recruits of a category in a period are at most RecruitPerYear × its
//     years, join the roll after the lead time and leave at the attrition
//     rate;
//   - capital (sites built, services set up, modules added, services
//     closed) and running spend (modules beyond today's, salaries of
//     recruits, cost of recruiting, pooling allowances and paid travel time)
//     are within each year's budget;
//   - coverage rules hold in every year from their first.
//
// The objective (Objective) is in MAD, discounted: spend, plus unserved
// demand at its cost, plus patient travel (one-way trips per unit ×
// minutes) at TravelMADPerHour; unserved demand and travel of an area
// weigh 1 + DeprivationWeight × its deprivation rank. With Lexicographic,
// the weighted unserved demand is minimised first.
//
// # Solving
//
// Solve validates the problem and options, reporting every problem at once
// (*gst.ValidationError values joined, wrapping gst.ErrInvalid), and
// refuses a model above Options.MaxModelBytes. It then solves the
// mixed-integer programme by a branch and bound of its own over a linear
// relaxation: relax-and-fix from the root (rounding and fixing each
// period's modules in turn, at three rounding thresholds), a local search
// that moves one decision at a time (toward the root's relaxation,
// undoing an opening or a module that does not pay for itself, opening a
// period earlier, moving an opening to another site of the service that
// an area reaches from both, or buying one module a period earlier or
// later), run too from the incumbent with one service's decisions
// replaced by the root's relaxation rounded (service by service: the
// local search stalls where a service's sites are to change several at
// once), and the sequential plan give the first
// programmes; nodes are explored best bound first, branching on sites,
// then services, then modules, earlier periods first, each node's
// relaxation starting from the basis its parent's ended with (best bound
// first jumps across the tree, and the last node solved is seldom near);
// under the decomposition a node's rounds of cuts end as soon as their
// bound prunes it.
//
// Under the decomposition (below) the local search values each network
// exactly without the master: with every site, service and module fixed,
// the programme splits into the assignment of each service's demand in
// each year (the transportation problems, by the network simplex) and
// the staffing (recruits and pooling within the staff, recruitment and
// budget rules: one linear programme, kept loaded in lp_solve from one
// network to the next, where a network changes only its right-hand sides
// and a few dozen pivots from the last basis solve it), and the point
// assembled is checked against every rule. Only the budgets join one
// staff category's staffing to another's: the staffing is solved
// category by category (each part loaded in lp_solve, the last three
// answers of each kept, so that a network that changes the staff of a
// few categories solves only those). When the parts' optima together
// break a budget, the least each part can spend on that budget (its
// programme with the budget's coefficients as costs) is summed: more
// than the budget allows proves that no staffing fits it, and only
// otherwise is the staffing solved whole (on the pilots' frontier levels
// every such network is proved). On the synthetic region a network so
// costs 38 ms (52 ms without the proof, the same 5,052 networks valued;
// 168 ms with the staffing solved whole). The root's point rounded at
// once at three thresholds and valued so is the first programme, before
// relax-and-fix (whose passes of rounds of cuts take minutes at the
// region's size: a deadline among them still returns a programme). A
// network whose own cost and assignment already reach the programme it
// would replace is dropped before its staffing is solved. The search then
// runs right after the first relax-and-fix, and again from the root's
// relaxation rounded at once at lower thresholds (0.3, 0.15: the
// relaxation opens many services in part, relax-and-fix few of them) and
// from its services' starts; the first local search pauses for these
// starts after 32 moves tried in a row without a gain, and goes on after
// them only if none found a better programme (a local search that creeps
// tries every move once more before it stalls). It
// stops as soon as the programme is within the gap tolerance of the root's
// bound; at the region's size a network is valued in under a
// second where a node of the master takes several.
//
// The model carries, beside each site's capacity, the rounding of the
// whole service's capacity in each year (lump rows): what all its sites
// serve is within whole modules, and the demand beyond ⌊D/cap⌋ modules
// that one more module would serve must be left unserved unless that
// module is bought (U ≥ r·(⌈D/cap⌉ − N), the mixed-integer rounding of the
// summed capacity rows). Without them the relaxation buys part of a module
// for that demand and its bound can sit a tenth below the optimum (the
// synthetic half region); with them that root is the optimum.
//
// It carries too the rounding of each establishment's staffing row for
// each category and period (staff roundings): a service opened in part
// needs only part of its team beyond the free staff, where opened whole
// it needs the whole of it (W ≥ δ·(1 − f₀)·(Σ G(a/δ)·v − ⌊β/δ⌋), with W
// the staff recruited and received, v the services and modules and a
// their FTE; see staffcuts.go). They are many, and a Benders master
// takes those of its own columns only when its point breaks them (lazy
// rows); the evaluator, which values whole networks, leaves them out.
// The search's root is solved first without them (the pooling blocks
// then without theirs), its point rounded by the first pass of
// relax-and-fix and the local search (its rounds are shorter, and the
// local search from its point found better programmes on the region),
// then solved again with them for the bound, and the other passes start
// from that tighter point. On the synthetic region they lift the root
// from 726.4 to 729.4 million MAD.
//
// Under Method Auto
// (or Benders) the relaxation is a Benders decomposition of the model: a
// master holds the integer decisions and the recruits, with one estimate
// per block of the cost of
//
//   - the assignment of each service's demand in each year, a
//     transportation problem solved by the network simplex
//     (allocate/internal/netflow), and
//   - the pooling of each category in each period, a small linear
//     programme (kept in the master when it is smaller than a fiftieth
//     of the master: a specialty with few staff and lenders would
//     otherwise send a feasibility cut at nearly every round),
//
// each block split into the parts that no row joins, each part with its
// own estimate and cuts (a block of the nation's pooling of a category is
// one part per region or less: one cut of the whole block would sum the
// regions' shortfalls, and the master would learn them one at a time),
// bounded below by cuts from the blocks' duals (and feasibility cuts where
// a block has no solution), added at every node until the estimates are
// within a tenth of the gap tolerance of the blocks' values (within the
// gap tolerance for the points relax-and-fix rounds before its last
// period). The rounds are stabilized (in-out, Ben-Ameur and Neto): after
// a node's first round the blocks are solved at a point between the
// master's and the point of the round before (seven tenths of the way to
// the master's), and their cuts are added when they cut off the master's
// point by more than the rounds' stopping test allows; otherwise the
// blocks are solved at the master's point, whose shortfall ends the rounds
// (on the synthetic region the search's rounds go from 197 to 113). A
// block that lp_solve fails on numerically at the point between is solved
// at the master's point; at the master's point, it ends the node's rounds
// with the master's bound, and the plan's Notes say so. A warm-started linear programme that takes more iterations
// than a cold solve would is solved again from scratch, and one solved
// from scratch that takes more iterations than half its rows is solved
// again with the scaling factors rounded to powers of 2, then without
// scaling (lp_solve's default scaling blows up on some of a region's
// masters), before a last try without a limit. The running
// budgets, which hold the cost of pooling, are written with the blocks'
// estimates. Method Compact searches the compact model's relaxation
// instead, and Method MIP hands the whole programme to lp_solve's own
// branch and bound, whose bound does not improve as it searches. Every
// Plan carries its Value, a proven Bound and the Gap; Status is
// gst.StatusOptimal when the gap is within Options.GapTolerance. A master
// that lp_solve fails on numerically ends its node's rounds at the round
// before, and the plan's Notes say so. When the
// deadline passes or the context is cancelled, the best programme found
// is returned with its bound and the status says so (stopped within the
// root's rounds of cuts, the last round's bound, or before the first round
// the least the objective can be over the columns' bounds); with no
// programme yet, an error wrapping gst.ErrNoSolution. So that a deadline
// returns a programme better than the sequential plan's (or any) where
// the root's rounds outlast it (the national size), the root's rounds
// get four fifths of the time left under the decomposition: a root that
// has not converged by then has its last round's point rounded at three
// thresholds (every period at once), each network valued exactly by the
// evaluator, and the local search runs for the rest of the time from the
// best of them, or from the programme the search already holds (the
// sequential plan's) when that is better; the plan has the last round's bound and a time-limit status, and
// its Notes say so. Options.MaxNodes is a limit of
// work that, unlike a time limit, gives the same programme on every
// machine.
//
// A programme whose areas and sites fall into parts that only the
// budgets, the recruitment limits and the pooling limit join (regions of
// at least 20 areas where no area may be served in another region and no
// staff commute between regions) is solved part by part first, within
// nine tenths of the time left (each part an equal share of what the
// parts before it left; what the last leaves goes to the parts not yet
// within the gap tolerance, the widest gap first, each searched again
// from its programme and its cuts), each part with the whole of every
// budget and limit: a relaxation of the programme restricted to it, as whatever the
// other parts spend, recruit or pool is at least zero, so that the parts'
// bounds add up to a bound of the whole (while the parts run, the sum of
// the bounds of those done is reported to SolveOptions.Progress: no
// part's objective is below zero). Their programmes together,
// valued on the whole model, are its first programme; when they keep
// the budgets and limits within the gap tolerance of that bound the
// search ends there, and otherwise the whole is searched from that
// programme with the parts' bound beside its own. Services that may
// close (a part that closes modules spends less than nothing), single-
// source demand, a lexicographic objective and Methods Compact and MIP
// keep the search of the whole. The synthetic nation of progbench
// -spec national is one part (its regions lie side by side, and the areas
// near a border reach the next region's sites); -spec national-apart
// moves the same regions apart.
//
// Related solves start warm. The Benders cuts of a search are kept for
// the next search of the same model. A frontier level's model is the
// main one with the budget rows' right-hand sides rewritten, and its
// decomposition the main one's with the master's budget rows rewritten
// and the same blocks (the budgets enter no block), rather than a model
// built and split again. The levels start from the main search's leaves
// rather than its root: with the budgets
// scaled down, every leaf's bound still holds and the infeasible leaves
// stay infeasible; scaled up, a leaf keeps its bound when its relaxation
// left every budget slack (the optimum of a linear programme stays
// optimal when a constraint that does not bind is loosened), and the
// other leaves are searched again from the new root's bound. The levels
// are solved nearest to the main budgets first, and share their
// programmes: every programme of a lower level (and the main one) fits
// the budgets of a higher level and is its first incumbent, and the
// programme of the nearest level above a lower one is repaired into its
// budgets (modules taken back, those the level's relaxation wants least
// first, until the network's spend fits; the programme is then valued
// exactly and checked against every rule). A level's master starts from
// the root of the search whose budgets are nearest, within a ratio of
// 1.4: that root's cuts first and its optimal basis, dual feasible at
// the level since the budgets change only right-hand sides (a master
// that lp_solve calls infeasible from it is solved again from scratch).
// The level's root rounds of cuts (its bound, with the cuts the levels
// before kept, valid at any budget) end as soon as they close the gap to
// the programme held, or once the blocks are within the gap tolerance of
// the master's estimates. The local search then starts from the
// programme held (a lower level's, or a higher one's repaired) and, when
// its first turn does not close the gap, from the level's root rounded at
// three thresholds (each fitted into the budgets as repair does; best
// first), then from the main search's programme when that is the one
// held (its own search has tried every move from it already), first with
// the moves toward the relaxation alone from each, the starts taking
// turns (8 networks each in the first, twice as many in each turn after,
// a start's scan going on where its last turn stopped), then with every
// move from the best (with the moves toward the relaxation alone a scan
// goes on from the move that paid, with every move it starts again from
// the first), until the incumbent is within the gap tolerance of the root's
// bound; when it is not, the root's rounds run to their end (a tenth of
// the tolerance), and relax-and-fix and the branch and bound follow
// only when that does not close the gap either. The staffing programme
// stays loaded in lp_solve from the main search to the first level and
// from one level to the next, a level answers a network's staffing from
// its parts before its assignment (a third of the networks a level tries
// cannot be staffed, and their transportation problems are then not
// solved), and the evaluator keeps the last three answers of
// each assignment block (a network's variants share most of them). A
// level whose rounds the deadline stops keeps the programme held (a lower level's, which fits its budgets)
// with the last round's bound and a time-limit status; with none it is
// Unsolved.
//
// A programme that no plan satisfies returns *InfeasibleError values
// (wrapping gst.ErrInfeasible) that name the rules that must give, with
// the place, the year and the amounts: the least relaxation of the
// budgets, recruitment caps and coverage rules that makes the rules hold,
// or when none can, the staffing that cannot be met.
//
// # The answer
//
// A Plan gives, for every calendar year: the decisions (Opening: site,
// service, open, enlarge or close, modules), the staffing of every module
// open (Staffing: category, FTE required, and from where: on roll,
// recruited, or pooled from which establishment), the recruits by category
// and site, the capital and running spend against the budgets, and the
// access figures (mean and 90th-percentile travel, share beyond the
// standard, unserved demand, the same for the most-deprived 20% of the
// people). Today gives the figures of today's network. With the options:
// the sequential plan and its value (Options.Sequential), the marginal
// value of budget and of recruits (BudgetValues, RecruitValues), the cost
// of reversing each decision with the range its two solves prove
// (Options.DecisionCosts; when a reversal finds a better programme than
// the search had, that programme is the plan, and only the decisions it
// shares with the first are priced against it) and the programme at
// other budget levels (Options.Frontier).
//
// # Concurrency and determinism
//
// Solve keeps no state between calls; separate goroutines may solve
// separate problems, or the same one, at once. The Problem is read, never
// modified. The same input gives the same Plan, byte for byte once
// marshalled (Elapsed aside), whatever the order of the region's records:
// sites, areas and categories are sorted by ID, and ties broken by ID.
package programme
