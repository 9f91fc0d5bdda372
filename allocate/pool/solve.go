package pool

import (
	"context"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/lpsize"
	"github.com/gstplan/gst/allocate/internal/netflow"
	"github.com/gstplan/gst/allocate/internal/parallel"
	"github.com/gstplan/gst/allocate/internal/stop"
)

// op starts the messages of the errors Solve returns.
const op = "allocate: pool"

// Solve decides which staff work where: the moves of staff between the
// problem's establishments that leave the least weighted unmet need, then
// the least weekly travel cost (see the package documentation for the
// model, the objective and the solvers).
//
// It validates the problem and the options first and reports every problem
// at once (errors.Is(err, gst.ErrInvalid)). When the hard rules cannot all
// hold it returns a *gst.InfeasibleError for each rule that clashes,
// joined (gst.InfeasibleCauses lists them); a problem whose models would be
// too large gives a *gst.TooLargeError before anything is built. A deadline
// returns the best plan found with its bound and StatusTimeLimit (or
// StatusCanceled), not an error, unless the plan in hand breaks a hard
// rule (gst.ErrNoSolution).
func Solve(ctx context.Context, p *Problem, opt *Options) (*Plan, error) {
	start := time.Now()
	in, err := compile(p, opt)
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
	s := &solver{in: in, ctx: ctx, prog: in.opt.NewProgressReporter(false, start)}
	defer s.prog.Close()
	if err := s.run(parts); err != nil {
		return nil, err
	}
	plan, err := s.plan(parts)
	if err != nil {
		return nil, err
	}
	s.prog.Report(plan.Objective, plan.Bound)
	plan.Elapsed = time.Since(start)
	return plan, nil
}

// part is a set of categories solved together, and its result.
type part struct {
	cats    []int32
	teams   []int32 // teams whose roles are in the part
	capped  bool    // a cap or move count couples it
	charged bool    // a category of it has move rules (fixed cost, smallest size)
	kind    string  // "flow", "moves", "search", "mip" or "heuristic"
	arcs    int64
	cells   int64

	// Result.
	moves   []moveFlow
	deliver map[int32]bool
	lb      float64 // lower bound on the part's first objective
	exact   bool    // the part is solved to optimality
	stopped bool    // the context stopped it: no moves
	// With the lexicographic objective, the part's weekly cost is proven
	// least (costExact), or costLB bounds it (costKnown), among plans
	// that leave no more weighted unmet need.
	costExact, costKnown bool
	costLB               float64
	short                []*gst.InfeasibleError
	// marginal holds the marginal values when the part's last flows were
	// the continuous lexicographic ones with the plan's team decisions.
	marginal map[int32]float64
}

// partition groups the categories that teams, caps or move counts couple,
// chooses a method for each group and estimates the models' size.
func (in *inst) partition() ([]*part, error) {
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
	byRoot := map[int32]*part{}
	var parts []*part
	for c := 0; c < nc; c++ {
		rt := find(int32(c))
		pt := byRoot[rt]
		if pt == nil {
			pt = &part{}
			byRoot[rt] = pt
			parts = append(parts, pt)
		}
		pt.cats = append(pt.cats, int32(c))
		pt.arcs += arcs[c]
		pt.cells += int64(len(in.catCells[c]))
		if in.cats[c].capFTE > 0 || global {
			pt.capped = true
		}
		if _, _, ok := in.moveRules(int32(c)); ok {
			pt.charged = true
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
		if !coupled && pt.charged && in.opt.Method == MIP && cols > int64(in.opt.MaxMIPColumns) {
			return nil, &gst.TooLargeError{Op: op, Model: "mip", Rows: rows, Columns: cols, Nonzeros: nz,
				Bytes: lpsize.Bytes(rows, cols, nz), Limit: in.opt.MaxModelBytes,
				Suggestion: fmt.Sprintf("category %q has %d candidate moves with move rules, beyond pool.Options.MaxMIPColumns (%d): use pool.Auto (the search over moves), or raise the limit",
					in.cats[pt.cats[0]].id, pt.arcs, in.opt.MaxMIPColumns)}
		}
		switch {
		case !coupled && pt.charged && in.opt.Method != MIP:
			pt.kind = "moves"
		case !coupled && !pt.charged:
			pt.kind = "flow"
		case in.opt.Method == MIP:
			pt.kind = "mip"
		case in.opt.Method == Auto && cols <= int64(in.opt.MaxMIPColumns):
			pt.kind = "mip"
		case !pt.capped:
			pt.kind = "heuristic"
		default:
			return nil, &gst.TooLargeError{Op: op, Model: "mip", Rows: rows, Columns: cols, Nonzeros: nz,
				Bytes: lpsize.Bytes(rows, cols, nz), Limit: in.opt.MaxModelBytes,
				Suggestion: fmt.Sprintf("caps or a move count couple %d candidate moves, beyond pool.Options.MaxMIPColumns (%d); raise it (with pool.MIP), drop the caps, or plan province by province",
					pt.arcs, in.opt.MaxMIPColumns)}
		}
		if pt.kind == "mip" {
			if b := lpsize.Bytes(rows, cols, nz); b > est {
				est = b
			}
			if est > in.opt.MaxModelBytes {
				return nil, &gst.TooLargeError{Op: op, Model: "mip", Rows: rows, Columns: cols, Nonzeros: nz,
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
		return nil, &gst.TooLargeError{Op: op, Model: "flow", Rows: int64(len(in.cells)), Columns: maxArcs, Nonzeros: 2 * maxArcs,
			Bytes: est, Limit: in.opt.MaxModelBytes,
			Suggestion: "lower the commute limits, or plan region by region"}
	}
	return parts, nil
}

// arcCounts counts the candidate moves of each category, as catFlow builds
// them.
func (in *inst) arcCounts() []int64 {
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

// solver holds the state of one call of Solve.
type solver struct {
	in  *inst
	ctx context.Context

	mu      sync.Mutex
	stats   ModelStats
	stopped error // the context error that stopped a part
	notes   []string
	prog    *gst.ProgressReporter
}

// progress reports the plan made of the parts solved so far (solved[i])
// with the staff of the others at home, and its bound, when the options
// have a progress hook. A plan that breaks a hard rule reports its bound
// only.
func (s *solver) progress(parts []*part, solved []bool) {
	if s.prog == nil {
		return
	}
	in := s.in
	now := make([]*part, len(parts))
	for i, pt := range parts {
		if solved[i] {
			now[i] = pt
			continue
		}
		home := *pt
		home.stopped, home.moves, home.exact, home.lb, home.short = true, nil, false, 0, nil
		home.costExact, home.costKnown, home.costLB = false, false, 0
		now[i] = &home
	}
	moves, deliver := s.collect(now, in.before())
	ev := in.evaluate(moves, deliver)
	bound, _, _ := s.bound(now, ev)
	value := ev.weighted
	if !s.lexi() {
		value = in.opt.UnmetValueMAD*ev.weighted + ev.cost
	}
	if len(ev.broken) > 0 {
		value = math.NaN()
	}
	s.prog.Report(value, bound)
}

func (s *solver) lexi() bool { return s.in.opt.UnmetValueMAD == 0 }

func (s *solver) count(cf *catNet, arcs bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Flows++
	s.stats.Pivots += int64(cf.g.Pivots())
	if arcs {
		s.stats.Arcs += len(cf.mvArc)
	}
}

// run solves every part, then explains an infeasible problem.
func (s *solver) run(parts []*part) error {
	in := s.in
	s.stats.Categories = len(in.cats)
	s.stats.Sites = len(in.cells)
	s.stats.EstimatedBytes = in.estBytes
	// Independent categories: one flow each, Workers at a time.
	var flows []*part
	for _, pt := range parts {
		if pt.kind == "flow" || pt.kind == "moves" {
			flows = append(flows, pt)
		}
	}
	if err := parallel.Run(in.opt.Workers, len(flows), func(i int) error { return s.solveFlowPart(flows[i]) }); err != nil {
		return err
	}
	solved := make([]bool, len(parts))
	for i, pt := range parts {
		solved[i] = pt.kind == "flow" || pt.kind == "moves"
	}
	s.progress(parts, solved)
	for i, pt := range parts {
		if (pt.kind == "mip" || pt.kind == "heuristic") && !pt.capped && !pt.charged && in.opt.Method == Auto {
			// A part too large for the integer programme keeps the
			// search's best plan when the search reaches its limits.
			out, err := s.searchTeams(pt, pt.kind == "heuristic")
			if err != nil {
				return err
			}
			if out != searchGaveUp {
				pt.kind = "search"
				solved[i] = true
				s.progress(parts, solved)
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
		solved[i] = true
		s.progress(parts, solved)
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
func (s *solver) stop(pt *part) {
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
// modes (categories with move rules by the search over moves, or in a
// continuous relaxation with their fixed costs spread linearly). It
// returns the networks in category order, or nil when the context stopped
// them.
func (s *solver) flowsFor(pt *part, sp flowSpec, countArcs bool) ([]*catNet, error) {
	nets := make([]*catNet, len(pt.cats))
	err := parallel.Run(s.in.opt.Workers, len(pt.cats), func(i int) error {
		spc := sp
		if _, _, ok := s.in.moveRules(pt.cats[i]); ok {
			// Move rules: a relaxation prices them linearly (a bound);
			// a plan comes from the search over moves.
			if !sp.continuous {
				out, err := s.solveCharged(pt.cats[i], spc)
				if err != nil {
					return err
				}
				s.mu.Lock()
				s.stats.MoveNodes += out.nodes
				s.mu.Unlock()
				nets[i] = out.net
				return nil
			}
			spc.charge = &chargeSpec{}
		}
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

// solveFlowPart solves an independent category exactly (or, with move
// rules, by the search over moves).
func (s *solver) solveFlowPart(pt *part) error {
	if pt.kind == "moves" {
		return s.solveMovesPart(pt)
	}
	nets, err := s.flowsFor(pt, flowSpec{lexi: s.lexi(), pairs: s.in.pairs}, true)
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
	pt.costExact = true
	s.keepMarginal(pt, nets)
	return nil
}

// solveMovesPart solves an independent category with move rules by the
// search over moves, with the bounds it proves.
func (s *solver) solveMovesPart(pt *part) error {
	out, err := s.solveCharged(pt.cats[0], flowSpec{lexi: s.lexi(), pairs: s.in.pairs})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.stats.MoveNodes += out.nodes
	s.stats.Arcs += out.rootArcs
	s.mu.Unlock()
	if out.net == nil {
		s.stop(pt)
		return nil
	}
	if s.ctx.Err() != nil {
		s.mu.Lock()
		if s.stopped == nil {
			s.stopped = stop.Cause(s.ctx, gst.StatusTimeLimit)
		}
		s.mu.Unlock()
	}
	pt.moves = out.net.moves()
	for cell, f := range out.net.mustShort() {
		pt.short = append(pt.short, s.in.minConflict(cell, f))
	}
	pt.exact = out.exact
	pt.lb = out.lbS
	if s.lexi() {
		pt.lb = out.lbP
		pt.costKnown = out.provenP
		pt.costLB = out.lbS
		pt.costExact = out.exact
	}
	return nil
}

// solveHeuristicPart relaxes the link between the roles of each team (a
// lower bound), delivers the teams the relaxation staffs in full, and
// solves the flows again with those teams' roles as hard rules.
func (s *solver) solveHeuristicPart(pt *part) error {
	in := s.in
	modes := make([]teamMode, len(in.teams))
	for _, ti := range pt.teams {
		modes[ti] = teamSoft
		if in.teams[ti].required {
			modes[ti] = teamMust
		}
	}
	// The relaxation: continuous, and in the plan's objective.
	nets, err := s.flowsFor(pt, flowSpec{teams: modes, continuous: true, lexi: s.lexi(), pairs: in.pairs}, false)
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
		// The relaxation's cost bounds the cost of the plans whose
		// weighted unmet need is its bound.
		pt.costLB += in.flowCost(cf)
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
			modes[ti] = teamOff
			if deliver[ti] {
				modes[ti] = teamMust
			}
		}
		nets, err := s.flowsFor(pt, flowSpec{teams: modes, lexi: s.lexi(), pairs: in.pairs}, true)
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
	pt.costKnown = true
	return nil
}

// keepMarginal keeps the marginal values of a part whose flows are the
// ones marginalValues would solve: continuous and lexicographic.
func (s *solver) keepMarginal(pt *part, nets []*catNet) {
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
func (in *inst) flowCost(cf *catNet) float64 {
	c := 0.0
	for _, m := range cf.moves() {
		c += m.fte * in.opt.SessionsPerFTE * in.sessionCost(cf.cat, &cf.pairs[m.pair])
	}
	return c
}

// precheck compares each hard rule with the staff that could reach its
// site, before any solve.
func (in *inst) precheck() []*gst.InfeasibleError {
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
func (in *inst) requiredAt(cell int32) float64 {
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
func (in *inst) reachable() []float64 {
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
func (in *inst) sortConflicts(cs []*gst.InfeasibleError) {
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
