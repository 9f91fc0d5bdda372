// Package pool decides which staff work where across the establishments of
// a GST (staff pooling): who (the staff of which category at which home
// establishment) works where (at which host establishment), for how many
// sessions a week, so that as little need as possible is left uncovered,
// and then so that staff travel as little and as cheaply as possible.
//
// # A problem
//
// A Problem names a gst.Region (establishments, their staff on roll, the
// categories), the Need of each category at each establishment (for
// example the capacity package's WISN, one Need per row), the Teams that
// deliver a service only when complete, and the Rules:
//
//	p := &pool.Problem{
//		Region: region,
//		Need:   need, // []pool.Need{{Establishment: "H2", Category: "midwife", FTE: 6}, …}
//		Teams: []pool.Team{{Establishment: "H2", Service: "caesarean", Required: true,
//			Roles: []pool.Role{{Category: "obgyn", FTE: 1}, {Category: "anaesthetist", FTE: 1}}}},
//		Rules: pool.Rules{MaxCommuteMinutes: 60, MinStayShare: 1},
//	}
//	plan, err := pool.Solve(ctx, p, &pool.Options{Granularity: pool.Sessions})
//
// The Plan lists the Moves, every (establishment, category) Site with its
// need, staff before and after, unmet need, WISN ratios and the marginal
// value of one more FTE, the Teams delivered, and Figures before and after,
// with a proven Bound and Gap.
//
// # Units
//
// Staff and need are in full-time equivalents (FTE). A session is a half day
// of work; Options.SessionsPerFTE (default 10) converts sessions per week into
// FTE. Travel is in minutes and kilometres one way from home to host; the
// travel cost of a move counts a round trip for every session worked at the
// host. Money is in dirhams (MAD) per week, a move's fixed cost included;
// Figures give the staff's travel in minutes and in hours a week, and a
// move's smallest size is in sessions a week.
//
// # The model
//
// For each category c, home h and host k (h ≠ k) the decision x(h,k,c) is
// the FTE of h's staff of category c who work at k. The staff present at k
// are then roll(k,c) − Σ x(k,·,c) + Σ x(·,k,c). The rules:
//
//   - commute: x(h,k,c) is allowed only when travel from h to k is at most
//     the category's MaxCommuteMinutes;
//   - away share and safe staffing at the origin: Σ_k x(h,k,c) ≤ spare(h,c)
//     = min(roll − floor, MaxAwayShare × roll), where the floor is the
//     largest of MinStayFTE, MinStayShare × (need + team roles at h) and
//     h's Problem.Floors row. Because staff are counted in FTE, the away share of the whole roll
//     is exactly the share of each person's time when the time away is spread
//     evenly over the people of the category;
//   - minimum staff at a host: a need row's MinFTE is a floor on the staff
//     present;
//   - caps: Rules.MaxMovedFTE bounds the FTE moved over all categories,
//     a category rule's MaxMovedFTE those of one category, and Rules.MaxMoves
//     the number of moves (distinct home, host and category with staff
//     moved);
//   - move rules: a move carries no staff or at least Rules.MinMoveSessions
//     sessions a week, and costs Rules.PerMoveMAD a week whatever its size
//     (a category rule may set its own); a manager then sees few, whole
//     shared posts rather than scraps of time;
//   - teams: a Team is delivered at its establishment only when every
//     role is staffed in full at the same time (a binary decision per team);
//     a Required team must be delivered.
//
// Need left uncovered is max(0, need − staff present for it). A team that is
// not delivered leaves all its roles uncovered, in every category of the
// team. Each FTE uncovered is weighted by its priority: the need row's (or
// team's) Priority, times 1 + Rules.DeprivationWeight × q, where q in [0, 1]
// is the deprivation rank of the establishment's area among the region's
// areas with a deprivation score (0 for the least deprived, 1 for the most;
// the population-weighted mean over its catchment when Problem.Catchment
// is given; 0 when unknown).
//
// # The objective and its weighting
//
// By default the objective is lexicographic: first the weighted unmet need,
// then the weekly travel cost of the moves. The travel cost of a session
// moved from h to k is 2 × (minutes × the category's cost per minute, its
// AnnualCost / HoursPerYear / 60, + km × Rules.PerKmMAD) + Rules.PerSessionMAD,
// plus 10⁻⁶ MAD per minute travelled, which only breaks ties between plans
// of equal cost (for example when no cost is known) in favour of shorter
// trips; each move adds its fixed weekly cost (Rules.PerMoveMAD). No plan with less weighted unmet need is ever traded for a cheaper
// one. The flow solver compares its costs as pairs; the integer programmes
// are solved in two stages (minimise the weighted unmet need; keep it within
// Options.GapTolerance of its optimum as a constraint; minimise the cost).
//
// With Options.UnmetValueMAD set, the objective is instead one weighted sum:
// UnmetValueMAD × weighted unmet need + travel cost, in MAD per week: a
// planner's exchange rate, which may leave a little need uncovered rather
// than send someone far for it. With a fixed cost per move it makes every
// move pay for itself: a move is made only when the need it covers is worth
// its travel and its fixed cost. With the lexicographic objective the fixed
// cost only gathers the same cover into fewer, larger moves.
//
// Hard rules (MinFTE, Required teams) are priced inside the solvers at
// 4 × (largest weight) + 1 per FTE: a cycle of the flow network passes the
// idle and cover arcs at most twice, so no change of coverage can outweigh
// one FTE of a hard rule; a plan that still breaks one proves the rules
// infeasible.
//
// # Solvers
//
// Categories that no team, cap or move count couples are independent, and
// each is a minimum-cost flow problem solved exactly in Go by a network
// simplex (lexicographic costs, strongly feasible trees): homes, hosts,
// an idle sink, and arcs only for the moves the commute allows from a home
// with spare staff to a host that can be short (a host whose own staff,
// after sending every spare FTE away, still cover its need never gains from
// receiving, and an arc into it would only carry idle staff at a cost).
// Homes are not restricted to those with a surplus over their need: the
// tempting rule "only from surplus to deficit sites" is not exact, because
// a home at its need may send staff to a site its neighbours cannot reach
// and receive theirs (a relay), or send staff to need of a higher priority;
// the brute-force tests over every pair within the commute keep the pruning
// honest. The flow problem's matrix is totally unimodular, so with whole
// sessions or posts and integral data the optimum is integral without
// branching; the fractional part of a roll stays at home and the last
// fraction of a need is priced in proportion, which keeps the objective
// exact.
//
// Teams couple the categories of their roles at their site; caps and move
// counts couple whole categories. A part that only teams couple is solved
// first by a branch and bound over its team decisions (Auto): once each
// team is either delivered (its roles hard rules) or not (its roles take no
// staff), the categories are independent flows again, exact and integral;
// a node's bound is the flows with the undecided teams relaxed (each role
// FTE staffed earns the team's weight, continuous). Nodes that cannot beat
// the best complete set of decisions are pruned, so the search proves its
// plan optimal for both objectives, usually in a few dozen flows where
// lp_solve's branch and bound takes minutes. A search that needs more than
// 2,000 nodes gives way to the methods below. Parts that caps or move
// counts couple, or whose search gave way, are solved as mixed-integer
// programmes with lp_solve when their estimated size is within
// Options.MaxMIPColumns; larger ones are solved by relaxing the link between
// a team's roles (the bound above) and rounding (a team is delivered when
// the relaxation staffs every role in full; the flows are then solved again
// with those roles as hard rules), with the gap between the two reported.
//
// Move rules (a fixed cost or a smallest size per move) make a category's
// flow a fixed-charge network problem. An independent category with them is
// solved by a branch and bound over its moves on exact flows. At a node,
// the moves it opens pay their fixed cost whole and carry at least their
// smallest size (below the arc, as a shift of the supplies), the moves it
// closes carry nothing, and the free ones pay it in proportion to the share
// they carry of the most they carry in some optimal plan (the home's spare
// staff, and the host's shortfall once it sends its own spare away): a
// relaxation, so the root gives a proven bound. Plans come from the moves
// the relaxations use, each set solved as a flow with every move open (the
// moves it leaves at their smallest size are then tried without), and from
// a few rounds of dynamic slope scaling on the root's network (re-solved
// from its last tree, each used move charged its fixed cost over the staff
// it carried), then improved by a local search: the moves of the plans
// tried split the cells into parts that no move joins, and on each part's
// network, each move priced by its travel when open and closed otherwise,
// it closes moves one at a time (the least carried first), opens those
// whose reduced cost over their capacity would pay their fixed cost, and
// swaps (opens a move and closes one that shares its home or host),
// keeping each change that lowers the flow's cost plus the fixed costs of
// the moves used (each step a re-solve from the last optimal tree, within
// a fixed work limit); its moves are then solved as a plan that keeps
// every rule. A Lagrangian relaxation lifts the root's bound: with the
// root's reduced costs, the cost of any plan on the root's optimal face is
// the root's bound plus non-negative terms, one per arc, and once the
// balance of the nodes outside the clusters of cells the root's moves
// connect is dropped, each cluster is a small fixed-charge problem of its
// own, solved exactly by the same kind of search, whose value adds to the
// bound. A cluster of more than 12 cells (at national scale the root's
// moves chain hundreds of cells together) is split into groups of at most
// five cells, joined along the moves whose fixed cost the root leaves most
// unpaid, a move between two groups counting half in each: every group is
// then small enough to solve exactly, where the whole cluster's search
// would stop far from its optimum. Any partition of the cells gives a
// proven bound this way. Each piece's network is built once and re-solved
// from its last optimal tree at each node of its search, the moves opened
// or closed by their costs alone. Most of a piece's moves lead to other
// groups, many between the same two nodes of the piece; its search leaves
// out those another of them dominates (it carries whatever they can at no
// greater cost, and opening both would cost more than the piece can
// gain), which keeps its value and halves its moves. A piece leaves out the moves the root
// does not use whose least cost exceeds what the piece could gain, its
// value then capped by that cost; when the cap binds, those below three
// fixed costs come back in and the piece is solved again (the larger of
// the two values is a bound). The pieces' best choices also suggest a
// plan (the root's moves, less those they close, plus those they open),
// solved as a plan that keeps every rule before the local search. The
// search then branches on the free move the relaxation undercharges most,
// best bound first, until the plan is within a tenth of
// Options.GapTolerance of the bound (so that the categories a large
// problem cannot close leave room in the whole plan's gap) or its work
// reaches a fixed limit (so that the answer does not depend on the
// machine); small problems are
// solved exactly, and the bound and gap say how far a large one may be
// from the optimum. Parts coupled by teams, caps or move counts are solved
// with move rules as integer programmes (binary columns for the moves) or,
// beyond Options.MaxMIPColumns, by the relaxation and rounding above with
// the search over moves for each category. Options.Method MIP solves the
// categories with move rules as integer programmes too.
//
// # Marginal values
//
// Site.MarginalValue is the reduction in weighted unmet need that one
// more FTE of the category present at the establishment would bring, at the
// margin, with the plan's team decisions fixed: the shortest augmenting path
// from the site to the idle sink in the residual network of the continuous
// flow (a dual price of the site's staff balance), or the dual of that row
// in the linear programme when caps couple the categories; with move rules,
// the flow keeps the plan's moves (one more FTE opens no new move). Its
// unit is weighted FTE of unmet need per FTE; it is zero where the need is
// covered and no one else can use the FTE, and can be positive at a covered
// site when the extra FTE would free one of its own staff to work
// elsewhere.
//
// # Infeasibility
//
// When the hard rules cannot all hold, Solve returns *gst.InfeasibleError
// values, joined, wrapping gst.ErrInfeasible: conflicts found by checks on counts
// before any solve (each required team role or minimum staff against the
// staff that could reach the site: its own roll plus the spare staff of every
// home within the commute, with the rule that limits each home) and, when
// those pass, by an elastic solve in which the origin rules (safe staffing,
// away share) and caps may be broken at a price: the rules it breaks are the
// rules that clash.
//
// # Scale
//
// Model size is estimated before anything is built; a model above
// Options.MaxModelBytes is refused with a *gst.TooLargeError wrapping
// gst.ErrTooLarge.
//
// # Errors, concurrency and determinism
//
// Solve validates the problem and options first and reports every problem at
// once (errors.Is(err, gst.ErrInvalid)). When the hard rules cannot all hold
// it returns a *gst.InfeasibleError (gst.ErrInfeasible) for each rule
// that clashes, saying where; a problem whose models would be too large gives a
// *gst.TooLargeError (gst.ErrTooLarge) before anything is built. A deadline
// (the context's or Options.TimeLimit) returns the best plan found with its
// bound and a StatusTimeLimit (or StatusCanceled) status, not an error,
// unless the plan in hand breaks a hard rule (gst.ErrNoSolution).
//
// With the lexicographic objective, Plan.Bound and Plan.Gap are those of
// the weighted unmet need, and Plan.CostBound and Plan.CostGap those of the
// weekly cost among plans that leave no more unmet need; the status is
// StatusOptimal only when both gaps are within Options.GapTolerance.
//
// With SolveOptions.Progress set, Solve reports the first objective
// (Plan.Objective's terms) as its parts are solved: the plan made of the
// parts solved so far, with the staff of the others at home, and its bound;
// the last report is the plan's Objective and Bound. The hook is called
// from one goroutine at a time and never after Solve returns.
//
// The plan is deterministic: the same problem gives the same plan, whatever
// the order of its rows and the number of workers. Solve does not modify its
// input and keeps no state; calls may run concurrently on the same region
// while nobody modifies it.
package pool
