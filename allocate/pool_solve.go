package allocate

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/lpsize"
	"github.com/gstplan/gst/allocate/internal/netflow"
	"github.com/gstplan/gst/allocate/internal/parallel"
	"github.com/gstplan/gst/allocate/internal/stop"
)

// poolOp starts the messages of the errors Pool returns.
const poolOp = "allocate: pool"

// Pool decides which staff work where across the establishments of a GST:
// who (the staff of which category at which home establishment) works
// where (at which host establishment), for how many sessions a week, so
// that as little need as possible is left uncovered, and then so that
// staff travel as little and as cheaply as possible.
//
// # Units
//
// Staff and need are in full-time equivalents (FTE). A session is a half day
// of work; PoolOptions.SessionsPerFTE (default 10) converts sessions per week into
// FTE. Travel is in minutes and kilometres one way from home to host; the
// travel cost of a move counts a round trip for every session worked at the
// host. Money is in dirhams (MAD) per week.
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
//     h's PoolProblem.Floors row. Because staff are counted in FTE, the away share of the whole roll
//     is exactly the share of each person's time when the time away is spread
//     evenly over the people of the category;
//   - minimum staff at a host: a need row's MinFTE is a floor on the staff
//     present;
//   - caps: Rules.MaxMovedFTE bounds the FTE moved over all categories,
//     a category rule's MaxMovedFTE those of one category, and Rules.MaxMoves
//     the number of moves (distinct home, host and category with staff
//     moved);
//   - teams: a PoolTeam is delivered at its establishment only when every
//     role is staffed in full at the same time (a binary decision per team);
//     a Required team must be delivered.
//
// Need left uncovered is max(0, need − staff present for it). A team that is
// not delivered leaves all its roles uncovered, in every category of the
// team. Each FTE uncovered is weighted by its priority: the need row's (or
// team's) Priority, times 1 + Rules.DeprivationWeight × q, where q in [0, 1]
// is the deprivation rank of the establishment's area among the region's
// areas with a deprivation score (0 for the least deprived, 1 for the most;
// the population-weighted mean over its catchment when PoolProblem.Catchment
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
// trips. No plan with less weighted unmet need is ever traded for a cheaper
// one. The flow solver compares its costs as pairs; the integer programmes
// are solved in two stages (minimise the weighted unmet need; keep it within
// Options.GapTolerance of its optimum as a constraint; minimise the cost).
//
// With Options.UnmetValueMAD set, the objective is instead one weighted sum:
// UnmetValueMAD × weighted unmet need + travel cost, in MAD per week: a
// planner's exchange rate, which may leave a little need uncovered rather
// than send someone far for it.
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
// first by a branch and bound over its team decisions (PoolAuto): once each
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
// # Marginal values
//
// PoolSite.MarginalValue is the reduction in weighted unmet need that one
// more FTE of the category present at the establishment would bring, at the
// margin, with the plan's team decisions fixed: the shortest augmenting path
// from the site to the idle sink in the residual network of the continuous
// flow (a dual price of the site's staff balance), or the dual of that row
// in the linear programme when caps couple the categories. Its unit is
// weighted FTE of unmet need per FTE; it is zero where the need is covered
// and no one else can use the FTE, and can be positive at a covered site
// when the extra FTE would free one of its own staff to work elsewhere.
//
// # Infeasibility
//
// When the hard rules cannot all hold, Pool returns *gst.InfeasibleError
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
// # Errors and determinism
//
// Pool validates the problem and options first and reports every problem at
// once (errors.Is(err, gst.ErrInvalid)). When the hard rules cannot all hold
// it returns a *gst.InfeasibleError (gst.ErrInfeasible) for each rule
// that clashes, saying where; a problem whose models would be too large gives a
// *gst.TooLargeError (gst.ErrTooLarge) before anything is built. A deadline
// (the context's or Options.TimeLimit) returns the best plan found with its
// bound and a StatusTimeLimit (or StatusCanceled) status, not an error,
// unless the plan in hand breaks a hard rule (gst.ErrNoSolution).
//
// The plan is deterministic: the same problem gives the same plan, whatever
// the order of its rows and the number of workers. Pool does not modify its
// input and keeps no state; calls may run concurrently on the same region
// while nobody modifies it.
func Pool(ctx context.Context, p *PoolProblem, opt *PoolOptions) (*PoolPlan, error) {
	start := time.Now()
	in, err := poolCompile(p, opt)
	if err != nil {
		return nil, err
	}
	ctx, cancel := in.opt.WithTimeLimit(ctx)
	defer cancel()
	if cs := in.precheck(); len(cs) > 0 {
		return nil, gst.JoinInfeasible(cs)
	}
	parts, err := in.partition()
	if err != nil {
		return nil, err
	}
	s := &poolSolver{in: in, ctx: ctx}
	if err := s.run(parts); err != nil {
		return nil, err
	}
	plan, err := s.plan(parts)
	if err != nil {
		return nil, err
	}
	plan.Elapsed = time.Since(start)
	return plan, nil
}

// poolPart is a set of categories solved together, and its result.
type poolPart struct {
	cats   []int32
	teams  []int32 // teams whose roles are in the part
	capped bool    // a cap or move count couples it
	kind   string  // "flow", "search", "mip" or "heuristic"
	arcs   int64
	cells  int64

	// Result.
	moves   []poolMoveFlow
	deliver map[int32]bool
	lb      float64 // lower bound on the part's first objective
	exact   bool    // the part is solved to optimality
	stopped bool    // the context stopped it: no moves
	short   []*gst.InfeasibleError
	// marginal holds the marginal values when the part's last flows were
	// the continuous lexicographic ones with the plan's team decisions.
	marginal map[int32]float64
}

// partition groups the categories that teams, caps or move counts couple,
// chooses a method for each group and estimates the models' size.
func (in *poolInst) partition() ([]*poolPart, error) {
	nc := len(in.cats)
	parent := make([]int32, nc)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int32) {
		a, b = find(a), find(b)
		if a < b {
			parent[b] = a
		} else if b < a {
			parent[a] = b
		}
	}
	global := in.globalCap > 0 || in.maxMoves > 0
	for _, t := range in.teams {
		for _, r := range t.roles[1:] {
			union(t.roles[0].cat, r.cat)
		}
	}
	if global {
		for c := 1; c < nc; c++ {
			union(0, int32(c))
		}
	}
	arcs := in.arcCounts()
	byRoot := map[int32]*poolPart{}
	var parts []*poolPart
	for c := 0; c < nc; c++ {
		rt := find(int32(c))
		pt := byRoot[rt]
		if pt == nil {
			pt = &poolPart{}
			byRoot[rt] = pt
			parts = append(parts, pt)
		}
		pt.cats = append(pt.cats, int32(c))
		pt.arcs += arcs[c]
		pt.cells += int64(len(in.catCells[c]))
		if in.cats[c].capFTE > 0 || global {
			pt.capped = true
		}
	}
	for ti, t := range in.teams {
		pt := byRoot[find(t.roles[0].cat)]
		pt.teams = append(pt.teams, int32(ti))
	}
	var est int64
	var flowBytes []int64
	for _, pt := range parts {
		coupled := len(pt.teams) > 0 || pt.capped
		rows, cols, nz := in.mipSize(pt)
		switch {
		case !coupled:
			pt.kind = "flow"
		case in.opt.Method == PoolMIP:
			pt.kind = "mip"
		case in.opt.Method == PoolAuto && cols <= int64(in.opt.MaxMIPColumns):
			pt.kind = "mip"
		case !pt.capped:
			pt.kind = "heuristic"
		default:
			return nil, &gst.TooLargeError{Op: poolOp, Model: "mip", Rows: rows, Columns: cols, Nonzeros: nz,
				Bytes: lpsize.Bytes(rows, cols, nz), Limit: in.opt.MaxModelBytes,
				Suggestion: fmt.Sprintf("caps or a move count couple %d candidate moves, beyond PoolOptions.MaxMIPColumns (%d); raise it (with PoolMIP), drop the caps, or plan province by province",
					pt.arcs, in.opt.MaxMIPColumns)}
		}
		if pt.kind == "mip" {
			if b := lpsize.Bytes(rows, cols, nz); b > est {
				est = b
			}
			if est > in.opt.MaxModelBytes {
				return nil, &gst.TooLargeError{Op: poolOp, Model: "mip", Rows: rows, Columns: cols, Nonzeros: nz,
					Bytes: est, Limit: in.opt.MaxModelBytes,
					Suggestion: "lower the commute limits, drop the caps, or plan province by province"}
			}
		}
		for _, c := range pt.cats {
			n := int64(len(in.catCells[c]))
			flowBytes = append(flowBytes, netflow.Bytes(3*n+1, arcs[c]+4*n))
		}
	}
	// The largest network, beside the candidate moves (each worker holds
	// one network at a time).
	var fb int64
	for _, b := range flowBytes {
		fb = max(fb, b)
	}
	fb += int64(len(in.pairs)) * 24
	if fb > est {
		est = fb
	}
	in.estBytes = est
	if est > in.opt.MaxModelBytes {
		var maxArcs int64
		for _, a := range arcs {
			maxArcs = max(maxArcs, a)
		}
		return nil, &gst.TooLargeError{Op: poolOp, Model: "flow", Rows: int64(len(in.cells)), Columns: maxArcs, Nonzeros: 2 * maxArcs,
			Bytes: est, Limit: in.opt.MaxModelBytes,
			Suggestion: "lower the commute limits, or plan region by region"}
	}
	return parts, nil
}

// arcCounts counts the candidate moves of each category, as catFlow builds
// them.
func (in *poolInst) arcCounts() []int64 {
	arcs := make([]int64, len(in.cats))
	for _, pr := range in.pairs {
		for c := range in.cats {
			ct := &in.cats[c]
			if ct.fixed || pr.Minutes > ct.commute {
				continue
			}
			ch, ck := in.cell(pr.H, int32(c)), in.cell(pr.K, int32(c))
			if ch >= 0 && ck >= 0 && in.cells[ch].spare > 0 && in.cells[ck].canShort {
				arcs[c]++
			}
		}
	}
	return arcs
}

// poolSolver holds the state of one Pool call.
type poolSolver struct {
	in  *poolInst
	ctx context.Context

	mu      sync.Mutex
	stats   PoolModelStats
	stopped error // the context error that stopped a part
	notes   []string
}

func (s *poolSolver) lexi() bool { return s.in.opt.UnmetValueMAD == 0 }

func (s *poolSolver) count(cf *poolCatFlow, arcs bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Flows++
	s.stats.Pivots += int64(cf.g.Pivots())
	if arcs {
		s.stats.Arcs += len(cf.mvArc)
	}
}

// run solves every part, then explains an infeasible problem.
func (s *poolSolver) run(parts []*poolPart) error {
	in := s.in
	s.stats.Categories = len(in.cats)
	s.stats.Sites = len(in.cells)
	s.stats.EstimatedBytes = in.estBytes
	// Independent categories: one flow each, Workers at a time.
	var flows []*poolPart
	for _, pt := range parts {
		if pt.kind == "flow" {
			flows = append(flows, pt)
		}
	}
	if err := parallel.Run(in.opt.Workers, len(flows), func(i int) error { return s.solveFlowPart(flows[i]) }); err != nil {
		return err
	}
	for _, pt := range parts {
		if (pt.kind == "mip" || pt.kind == "heuristic") && !pt.capped && in.opt.Method == PoolAuto {
			// A part too large for the integer programme keeps the
			// search's best plan when the search reaches its limits.
			out, err := s.searchTeams(pt, pt.kind == "heuristic")
			if err != nil {
				return err
			}
			if out != poolSearchGaveUp {
				pt.kind = "search"
				continue
			}
		}
		var err error
		switch pt.kind {
		case "mip":
			err = s.solveMIPPart(pt)
		case "heuristic":
			err = s.solveHeuristicPart(pt)
		}
		if err != nil {
			return err
		}
	}
	var short []*gst.InfeasibleError
	for _, pt := range parts {
		short = append(short, pt.short...)
	}
	if len(short) > 0 {
		return in.explain(s.ctx, short)
	}
	return nil
}

// stop marks a part stopped by the context: its staff stay at home.
func (s *poolSolver) stop(pt *poolPart) {
	s.mu.Lock()
	if s.stopped == nil {
		s.stopped = stop.Cause(s.ctx, gst.StatusTimeLimit)
	}
	s.mu.Unlock()
	pt.stopped = true
	pt.moves = nil
	pt.exact = false
	pt.lb = 0
	pt.short = nil
}

// flowsFor solves the flows of the part's categories with the given team
// modes. It returns the networks in category order, or nil when the
// context stopped them.
func (s *poolSolver) flowsFor(pt *poolPart, sp poolFlowSpec, countArcs bool) ([]*poolCatFlow, error) {
	nets := make([]*poolCatFlow, len(pt.cats))
	err := parallel.Run(s.in.opt.Workers, len(pt.cats), func(i int) error {
		spc := sp
		cf := s.in.catFlow(pt.cats[i], &spc)
		if err := cf.solve(s.ctx); err != nil {
			if s.ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("allocate: pool: category %q: %w", s.in.cats[pt.cats[i]].id, err)
		}
		s.count(cf, countArcs)
		nets[i] = cf
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, cf := range nets {
		if cf == nil {
			return nil, nil
		}
	}
	return nets, nil
}

// solveFlowPart solves an independent category exactly.
func (s *poolSolver) solveFlowPart(pt *poolPart) error {
	nets, err := s.flowsFor(pt, poolFlowSpec{lexi: s.lexi(), pairs: s.in.pairs}, true)
	if err != nil {
		return err
	}
	if nets == nil {
		s.stop(pt)
		return nil
	}
	for _, cf := range nets {
		pt.moves = append(pt.moves, cf.moves()...)
		for cell, f := range cf.mustShort() {
			pt.short = append(pt.short, s.in.minConflict(cell, f))
		}
	}
	pt.exact = true
	s.keepMarginal(pt, nets)
	return nil
}

// solveHeuristicPart relaxes the link between the roles of each team (a
// lower bound), delivers the teams the relaxation staffs in full, and
// solves the flows again with those teams' roles as hard rules.
func (s *poolSolver) solveHeuristicPart(pt *poolPart) error {
	in := s.in
	modes := make([]poolTeamMode, len(in.teams))
	for _, ti := range pt.teams {
		modes[ti] = poolTeamSoft
		if in.teams[ti].required {
			modes[ti] = poolTeamMust
		}
	}
	// The relaxation: continuous, and in the plan's objective.
	nets, err := s.flowsFor(pt, poolFlowSpec{teams: modes, continuous: true, lexi: s.lexi(), pairs: in.pairs}, false)
	if err != nil {
		return err
	}
	if nets == nil {
		s.stop(pt)
		return nil
	}
	relaxShort := map[[2]int32]float64{}
	lb := 0.0
	for _, cf := range nets {
		for k, v := range cf.roleShort() {
			relaxShort[k] = v
		}
		u := cf.relaxedUnmet(modes)
		if s.lexi() {
			lb += u
		} else {
			lb += in.opt.UnmetValueMAD*u + in.flowCost(cf)
		}
		for cell, f := range cf.mustShort() {
			pt.short = append(pt.short, in.minConflict(cell, f))
		}
	}
	for k, f := range relaxShort {
		if in.teams[k[0]].required {
			pt.short = append(pt.short, in.teamConflict(k[0], k[1], f))
		}
	}
	if len(pt.short) > 0 {
		return nil
	}
	deliver := map[int32]bool{}
	for _, ti := range pt.teams {
		ok := true
		for _, r := range in.teams[ti].roles {
			if _, short := relaxShort[[2]int32{ti, r.cell}]; short {
				ok = false
			}
		}
		deliver[ti] = ok
	}
	for {
		for _, ti := range pt.teams {
			modes[ti] = poolTeamOff
			if deliver[ti] {
				modes[ti] = poolTeamMust
			}
		}
		nets, err := s.flowsFor(pt, poolFlowSpec{teams: modes, lexi: s.lexi(), pairs: in.pairs}, true)
		if err != nil {
			return err
		}
		if nets == nil {
			s.stop(pt)
			return nil
		}
		// Whole units may fail to staff a team that the continuous
		// relaxation staffs: such teams are dropped and the flows solved
		// again.
		again := false
		pt.moves = pt.moves[:0]
		pt.short = pt.short[:0]
		for _, cf := range nets {
			pt.moves = append(pt.moves, cf.moves()...)
			for k, f := range cf.roleShort() {
				if in.teams[k[0]].required {
					pt.short = append(pt.short, in.teamConflict(k[0], k[1], f))
				} else if deliver[k[0]] {
					deliver[k[0]] = false
					again = true
				}
			}
			for cell, f := range cf.mustShort() {
				pt.short = append(pt.short, in.minConflict(cell, f))
			}
		}
		if !again || len(pt.short) > 0 {
			s.keepMarginal(pt, nets)
			break
		}
	}
	pt.deliver = deliver
	pt.lb = lb
	return nil
}

// keepMarginal keeps the marginal values of a part whose flows are the
// ones marginalValues would solve: continuous and lexicographic.
func (s *poolSolver) keepMarginal(pt *poolPart, nets []*poolCatFlow) {
	if s.in.opt.NoMarginalValues || s.in.integral || !s.lexi() {
		return
	}
	pt.marginal = map[int32]float64{}
	for _, cf := range nets {
		for k, v := range cf.marginal() {
			pt.marginal[k] = v
		}
	}
}

// flowCost returns the weekly cost of the moves of a solved network.
func (in *poolInst) flowCost(cf *poolCatFlow) float64 {
	c := 0.0
	for _, m := range cf.moves() {
		c += m.fte * in.opt.SessionsPerFTE * in.sessionCost(cf.cat, &cf.pairs[m.pair])
	}
	return c
}

// precheck compares each hard rule with the staff that could reach its
// site, before any solve.
func (in *poolInst) precheck() []*gst.InfeasibleError {
	var out []*gst.InfeasibleError
	reach := in.reachable()
	for ci := range in.cells {
		cl := &in.cells[ci]
		if cl.minFTE > 0 {
			if avail := reach[ci]; avail < cl.minFTE-1e-9 {
				out = append(out, in.reachConflict("minimum staff", int32(ci), -1, cl.minFTE, avail))
			}
		}
	}
	for ti := range in.teams {
		t := &in.teams[ti]
		if !t.required {
			continue
		}
		for _, r := range t.roles {
			need := in.requiredAt(r.cell)
			if avail := reach[r.cell]; avail < need-1e-9 {
				out = append(out, in.reachConflict("required team", r.cell, int32(ti), need, avail))
			}
		}
	}
	in.sortConflicts(out)
	return out
}

// requiredAt is the staff the required teams at a cell need there.
func (in *poolInst) requiredAt(cell int32) float64 {
	need := 0.0
	for ti := range in.teams {
		t := &in.teams[ti]
		if !t.required {
			continue
		}
		for _, r := range t.roles {
			if r.cell == cell {
				need += r.fte
			}
		}
	}
	return need
}

// reachable returns, by cell, the most staff that could be present there:
// its roll plus the spare staff of every home within the commute.
func (in *poolInst) reachable() []float64 {
	out := make([]float64, len(in.cells))
	for ci := range in.cells {
		out[ci] = in.cells[ci].roll
	}
	for _, pr := range in.pairs {
		for c := range in.cats {
			ct := &in.cats[c]
			if ct.fixed || pr.Minutes > ct.commute {
				continue
			}
			ch, ck := in.cell(pr.H, int32(c)), in.cell(pr.K, int32(c))
			if ch >= 0 && ck >= 0 {
				out[ck] += in.cells[ch].spare
			}
		}
	}
	return out
}

// sortConflicts sorts conflicts by establishment, category, rule and
// service.
func (in *poolInst) sortConflicts(cs []*gst.InfeasibleError) {
	sort.SliceStable(cs, func(a, b int) bool {
		x, y := cs[a], cs[b]
		if x.Establishment != y.Establishment {
			return x.Establishment < y.Establishment
		}
		if x.Category != y.Category {
			return x.Category < y.Category
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		return x.Service < y.Service
	})
}
