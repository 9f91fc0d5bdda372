package pool

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/parallel"
	"github.com/gstplan/gst/allocate/internal/round"
	"github.com/gstplan/gst/allocate/internal/stop"
)

func (s *solver) notesAdd(n string) {
	for _, o := range s.notes {
		if o == n {
			return
		}
	}
	s.notes = append(s.notes, n)
}

// evaluation is a plan evaluated: staff present, unmet need and objective.
type evaluation struct {
	out, in, present []float64 // by cell, FTE
	unmet            []float64 // by cell: need and roles of teams not delivered
	delivered        []bool    // by team
	weighted         float64
	cost             float64 // travel and fixed costs
	fixed            float64 // fixed costs
	minutes          float64
	moved            float64
	broken           []string // hard rules the plan breaks
}

// evaluate computes a plan's figures from its moves and team decisions.
func (in *inst) evaluate(moves []moveFlow, deliver []bool) *evaluation {
	nc := len(in.cells)
	ev := &evaluation{out: make([]float64, nc), in: make([]float64, nc), present: make([]float64, nc),
		unmet: make([]float64, nc), delivered: append([]bool(nil), deliver...)}
	for _, m := range moves {
		ev.out[m.from] += m.fte
		ev.in[m.to] += m.fte
		pr := &in.pairs[m.pair]
		cat := in.cells[m.from].cat
		sessions := m.fte * in.opt.SessionsPerFTE
		ev.cost += sessions * in.sessionCost(cat, pr)
		ev.cost += in.cats[cat].perMove
		ev.fixed += in.cats[cat].perMove
		ev.minutes += sessions * 2 * pr.Minutes
		ev.moved += m.fte
	}
	for ci := range in.cells {
		ev.present[ci] = in.cells[ci].roll - ev.out[ci] + ev.in[ci]
	}
	const tol = 1e-6
	roles := make([]float64, nc)
	for ti := range in.teams {
		if ev.delivered[ti] {
			for _, r := range in.teams[ti].roles {
				roles[r.cell] += r.fte
			}
		}
	}
	// A delivered team whose roles the staff present cannot fill is not
	// delivered (a safeguard: the solvers never produce one).
	for ti := range in.teams {
		if !ev.delivered[ti] {
			continue
		}
		for _, r := range in.teams[ti].roles {
			if ev.present[r.cell] < roles[r.cell]-tol {
				ev.delivered[ti] = false
			}
		}
		if !ev.delivered[ti] {
			for _, r := range in.teams[ti].roles {
				roles[r.cell] -= r.fte
			}
		}
	}
	for ci := range in.cells {
		cl := &in.cells[ci]
		u := math.Max(0, cl.need-math.Max(0, ev.present[ci]-roles[ci]))
		if u < 1e-9 {
			u = 0
		}
		ev.unmet[ci] = u
		ev.weighted += cl.weight * u
		if cl.minFTE > 0 && ev.present[ci] < cl.minFTE-tol {
			ev.broken = append(ev.broken, fmt.Sprintf("minimum staff of %s at %s", in.cats[cl.cat].id, in.sites[cl.site].id))
		}
	}
	for ti := range in.teams {
		t := &in.teams[ti]
		if ev.delivered[ti] {
			continue
		}
		ev.weighted += t.weight * t.fte
		for _, r := range t.roles {
			ev.unmet[r.cell] += r.fte
		}
		if t.required {
			ev.broken = append(ev.broken, fmt.Sprintf("required team %q at %s", t.service, in.sites[t.site].id))
		}
	}
	return ev
}

// before decides, site by site, which teams the establishments' own staff
// deliver without moves (the choice that leaves the least weighted unmet
// need; by enumeration up to 12 teams at a site, greedily by weighted FTE
// beyond).
func (in *inst) before() []bool {
	deliver := make([]bool, len(in.teams))
	bySite := map[int32][]int32{}
	var sites []int32
	for ti := range in.teams {
		s := in.teams[ti].site
		if bySite[s] == nil {
			sites = append(sites, s)
		}
		bySite[s] = append(bySite[s], int32(ti))
	}
	for _, s := range sites {
		ts := bySite[s]
		value := func(set []bool) (float64, bool) {
			used := map[int32]float64{}
			v := 0.0
			for i, ti := range ts {
				t := &in.teams[ti]
				if !set[i] {
					v += t.weight * t.fte
					continue
				}
				for _, r := range t.roles {
					used[r.cell] += r.fte
				}
			}
			cells := map[int32]bool{}
			for _, ti := range ts {
				for _, r := range in.teams[ti].roles {
					cells[r.cell] = true
				}
			}
			for ci := range cells {
				cl := &in.cells[ci]
				if used[ci] > cl.roll+1e-9 {
					return 0, false
				}
				v += cl.weight * math.Max(0, cl.need-(cl.roll-used[ci]))
			}
			return v, true
		}
		best := math.Inf(1)
		var bestSet []bool
		if len(ts) <= 12 {
			set := make([]bool, len(ts))
			for mask := 0; mask < 1<<len(ts); mask++ {
				for i := range set {
					set[i] = mask&(1<<i) != 0
				}
				if v, ok := value(set); ok && v < best-1e-12 {
					best = v
					bestSet = append(bestSet[:0], set...)
				}
			}
		} else {
			order := append([]int32(nil), ts...)
			sort.SliceStable(order, func(a, b int) bool {
				ta, tb := &in.teams[order[a]], &in.teams[order[b]]
				return ta.weight*ta.fte > tb.weight*tb.fte
			})
			pos := map[int32]int{}
			for i, ti := range ts {
				pos[ti] = i
			}
			bestSet = make([]bool, len(ts))
			best, _ = value(bestSet)
			for _, ti := range order {
				bestSet[pos[ti]] = true
				if v, ok := value(bestSet); ok && v < best {
					best = v
				} else {
					bestSet[pos[ti]] = false
				}
			}
		}
		for i, ti := range ts {
			deliver[ti] = bestSet[i]
		}
	}
	return deliver
}

// marginalValues computes the marginal value of one more FTE present at
// each cell, with the plan's team decisions fixed: from the residual
// network of the continuous flow, or from the duals of the linear programme
// for parts that caps couple.
func (s *solver) marginalValues(parts []*part, deliver []bool) (map[int32]float64, error) {
	in := s.in
	out := map[int32]float64{}
	modes := make([]teamMode, len(in.teams))
	for ti := range in.teams {
		if deliver[ti] {
			modes[ti] = teamMust
		}
	}
	var cats []int32
	for _, pt := range parts {
		if pt.marginal != nil {
			for k, v := range pt.marginal {
				out[k] = v
			}
			continue
		}
		if pt.capped {
			dm := map[int32]bool{}
			for _, ti := range pt.teams {
				dm[ti] = deliver[ti]
			}
			mv, err := s.mipMarginal(pt, dm)
			if err != nil {
				if s.ctx.Err() != nil {
					return nil, nil
				}
				return nil, fmt.Errorf("allocate: pool: marginal values: %w", err)
			}
			for k, v := range mv {
				out[k] = v
			}
			continue
		}
		cats = append(cats, pt.cats...)
	}
	// With move rules, the plan's moves are kept: no new move.
	planPairs := map[int32][]int32{}
	for _, pt := range parts {
		for _, m := range pt.moves {
			c := in.cells[m.from].cat
			planPairs[c] = append(planPairs[c], m.pair)
		}
	}
	res := make([]map[int32]float64, len(cats))
	err := parallel.Run(in.opt.Workers, len(cats), func(i int) error {
		sp := &flowSpec{teams: modes, continuous: true, lexi: true, pairs: in.pairs}
		if _, _, ok := in.moveRules(cats[i]); ok {
			only := append([]int32{}, planPairs[cats[i]]...)
			sort.Slice(only, func(a, b int) bool { return only[a] < only[b] })
			sp.charge = &chargeSpec{pairs: only, open: true}
		}
		cf := in.catFlow(cats[i], sp)
		if err := cf.solve(s.ctx); err != nil {
			if s.ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("allocate: pool: marginal values, category %q: %w", in.cats[cats[i]].id, err)
		}
		s.count(cf, false)
		res[i] = cf.marginal()
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, m := range res {
		if m == nil {
			return nil, nil
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

// plan assembles the answer: the moves and team decisions of the parts,
// evaluated; the bound, gap and status; the marginal values; and the
// figures of every site and team.
func (s *solver) plan(parts []*part) (*Plan, error) {
	in := s.in
	before := in.before()
	moves, deliver := s.collect(parts, before)
	ev := in.evaluate(moves, deliver)
	if len(ev.broken) > 0 {
		// Only a stopped solve leaves a plan that breaks a hard rule.
		return nil, fmt.Errorf("allocate: pool: %w: stopped (%v) before a plan met every hard rule (%s)",
			gst.ErrNoSolution, s.stopped, strings.Join(ev.broken, ", "))
	}
	evBefore := in.evaluate(nil, before)
	lexi := s.lexi()
	v := in.opt.UnmetValueMAD
	bound, gap, status := s.bound(parts, ev)

	var marginal map[int32]float64
	if !in.opt.NoMarginalValues && s.stopped == nil {
		var err error
		marginal, err = s.marginalValues(parts, ev.delivered)
		if err != nil {
			return nil, err
		}
		if marginal == nil {
			s.notesAdd("marginal values were not computed: the solve was stopped")
		}
	}

	plan := &Plan{Status: status, Granularity: in.opt.Granularity, Lexicographic: lexi,
		WeightedUnmet: round.Clean(ev.weighted), CostMADPerWeek: round.Clean(ev.cost - ev.minutes*tieMADPerMinute), Model: s.stats}
	plan.Model.Categories = len(in.cats)
	plan.Model.Sites = len(in.cells)
	if lexi {
		plan.Objective = plan.WeightedUnmet
	} else {
		plan.Objective = round.Clean(v*ev.weighted + ev.cost)
	}
	plan.Bound = round.Clean(bound)
	plan.Gap = gap
	plan.CostBound, plan.CostGap = s.costBound(parts, ev, gap <= in.opt.GapTolerance)
	if plan.Status == gst.StatusOptimal && plan.CostGap > in.opt.GapTolerance {
		plan.Status = gst.StatusFeasible
	}
	plan.Method = methodText(parts)
	in.planMoves(plan, moves)
	in.planSites(plan, ev, evBefore, marginal)
	in.planTeams(plan, ev, evBefore)
	plan.Before = in.figures(evBefore, nil)
	plan.After = in.figures(ev, plan.Moves)
	plan.Notes = append(plan.Notes, s.notes...)
	if s.stopped != nil {
		plan.Notes = append(plan.Notes, fmt.Sprintf("stopped (%v): parts not solved keep their staff at home", s.stopped))
	}
	return plan, nil
}

// collect gathers the parts' moves, sorted by category, home and host,
// and their team decisions (the teams of a stopped part keep the decisions
// of today's staff).
func (s *solver) collect(parts []*part, before []bool) ([]moveFlow, []bool) {
	in := s.in
	deliver := append([]bool(nil), before...)
	var moves []moveFlow
	for _, pt := range parts {
		moves = append(moves, pt.moves...)
		if !pt.stopped {
			for _, ti := range pt.teams {
				deliver[ti] = pt.deliver[ti]
			}
		}
	}
	sort.Slice(moves, func(a, b int) bool {
		x, y := moves[a], moves[b]
		cx, cy := in.cells[x.from].cat, in.cells[y.from].cat
		if cx != cy {
			return cx < cy
		}
		if x.from != y.from {
			return in.cells[x.from].site < in.cells[y.from].site
		}
		return in.cells[x.to].site < in.cells[y.to].site
	})
	return moves, deliver
}

// bound returns a proven bound on the plan's first objective (exact parts
// contribute their value, the others their bound), its gap and the plan's
// status.
func (s *solver) bound(parts []*part, ev *evaluation) (float64, float64, gst.Status) {
	in := s.in
	lexi := s.lexi()
	v := in.opt.UnmetValueMAD
	first := ev.weighted
	if !lexi {
		first = v*ev.weighted + ev.cost
	}
	bound := first
	exact := true
	for _, pt := range parts {
		if pt.exact {
			continue
		}
		exact = false
		bound -= math.Max(0, s.partValue(pt, ev)-pt.lb)
	}
	gap := gst.Gap(first, bound)
	if math.Abs(first-bound) <= 1e-9*math.Max(1, math.Abs(first)) {
		gap = 0
	}
	status := gst.StatusOptimal
	switch {
	case s.stopped != nil:
		status = stop.Status(s.stopped)
	case !exact && gap > in.opt.GapTolerance:
		status = gst.StatusFeasible
	}
	return bound, gap, status
}

// partValue returns a part's share of the plan's first objective.
func (s *solver) partValue(pt *part, ev *evaluation) float64 {
	in := s.in
	partValue := 0.0
	inPart := map[int32]bool{}
	for _, c := range pt.cats {
		inPart[c] = true
	}
	for ci := range in.cells {
		if inPart[in.cells[ci].cat] {
			cl := &in.cells[ci]
			partValue += cl.weight * math.Max(0, cl.need-math.Max(0, ev.present[ci]-in.deliveredRoles(int32(ci), ev.delivered)))
		}
	}
	for _, ti := range pt.teams {
		if !ev.delivered[ti] {
			partValue += in.teams[ti].weight * in.teams[ti].fte
		}
	}
	if !s.lexi() {
		partValue = partValue*in.opt.UnmetValueMAD + in.movesCost(pt.moves)
	}
	return partValue
}

// movesCost is the weekly cost of moves: travel and fixed costs.
func (in *inst) movesCost(moves []moveFlow) float64 {
	c := 0.0
	for _, m := range moves {
		cat := in.cells[m.from].cat
		c += m.fte*in.opt.SessionsPerFTE*in.sessionCost(cat, &in.pairs[m.pair]) + in.cats[cat].perMove
	}
	return c
}

// costBound returns, with the lexicographic objective, a proven lower
// bound on the weekly cost of a plan that leaves no more weighted unmet
// need than this one, and its gap; 0 and a gap of 1 when a part cannot
// prove one (with the weighted sum, 0 and 0: the bound covers the cost).
func (s *solver) costBound(parts []*part, ev *evaluation, firstProven bool) (float64, float64) {
	if !s.lexi() {
		return 0, 0
	}
	in := s.in
	b := 0.0
	for _, pt := range parts {
		switch {
		case pt.costExact:
			b += in.movesCost(pt.moves)
		case pt.costKnown:
			b += math.Min(pt.costLB, in.movesCost(pt.moves))
		default:
			return 0, 1
		}
	}
	cost := round.Clean(ev.cost)
	if !firstProven {
		return 0, 1
	}
	b = math.Min(round.Clean(b), cost)
	gap := gst.Gap(cost, b)
	if math.Abs(cost-b) <= 1e-9*math.Max(1, math.Abs(cost)) {
		gap = 0
	}
	return b, gap
}

// planMoves lists the moves with their trips and cost.
func (in *inst) planMoves(plan *Plan, moves []moveFlow) {
	for _, m := range moves {
		pr := &in.pairs[m.pair]
		cat := in.cells[m.from].cat
		sessions := m.fte * in.opt.SessionsPerFTE
		plan.Moves = append(plan.Moves, Move{Category: in.cats[cat].id, From: in.sites[in.cells[m.from].site].id,
			To: in.sites[in.cells[m.to].site].id, FTE: round.Clean(m.fte), SessionsPerWeek: round.Clean(sessions),
			Minutes: pr.Minutes, Km: pr.Km, TravelMinutesPerWeek: round.Clean(sessions * 2 * pr.Minutes),
			CostMADPerWeek: round.Clean(sessions * in.sessionCost(cat, pr))})
		// The move's fixed cost, on top of its travel.
		mv := &plan.Moves[len(plan.Moves)-1]
		mv.FixedMADPerWeek = in.cats[cat].perMove
		mv.CostMADPerWeek = round.Clean(mv.CostMADPerWeek + mv.FixedMADPerWeek)
	}
}

// planSites gives every (establishment, category) before and after the
// plan, with its WISN ratios and marginal value (nil marginal: none).
func (in *inst) planSites(plan *Plan, ev, evBefore *evaluation, marginal map[int32]float64) {
	rolesAll := make([]float64, len(in.cells))
	for ti := range in.teams {
		for _, r := range in.teams[ti].roles {
			rolesAll[r.cell] += r.fte
		}
	}
	for ci := range in.cells {
		cl := &in.cells[ci]
		ps := Site{Establishment: in.sites[cl.site].id, Category: in.cats[cl.cat].id,
			Need: round.Clean(cl.need + rolesAll[ci]), OnRoll: cl.roll, Out: round.Clean(ev.out[ci]), In: round.Clean(ev.in[ci]),
			Present: round.Clean(ev.present[ci]), Floor: cl.floor, Spare: round.Clean(cl.spare), MinFTE: cl.minFTE,
			Weight: cl.weight, UnmetBefore: round.Clean(evBefore.unmet[ci]), Unmet: round.Clean(ev.unmet[ci])}
		if ps.Need > 0 {
			rb, ra := cl.roll/ps.Need, ev.present[ci]/ps.Need
			ps.RatioBefore, ps.RatioAfter = &rb, &ra
		}
		if marginal != nil {
			ps.MarginalValue = round.Clean(marginal[int32(ci)])
		}
		plan.Sites = append(plan.Sites, ps)
	}
}

// planTeams says which teams are delivered before and after the plan.
func (in *inst) planTeams(plan *Plan, ev, evBefore *evaluation) {
	for ti := range in.teams {
		t := &in.teams[ti]
		tr := TeamResult{Establishment: in.sites[t.site].id, Service: t.service, Required: t.required, Weight: t.weight,
			Before: evBefore.delivered[ti], Delivered: ev.delivered[ti]}
		for _, r := range t.roles {
			tr.Roles = append(tr.Roles, Role{Category: in.cats[r.cat].id, FTE: r.fte})
		}
		plan.Teams = append(plan.Teams, tr)
	}
}

// deliveredRoles is the FTE the delivered teams take at a cell.
func (in *inst) deliveredRoles(cell int32, delivered []bool) float64 {
	v := 0.0
	for ti := range in.teams {
		if delivered[ti] {
			for _, r := range in.teams[ti].roles {
				if r.cell == cell {
					v += r.fte
				}
			}
		}
	}
	return v
}

func (in *inst) figures(ev *evaluation, moves []Move) Figures {
	var f Figures
	for ci := range in.cells {
		cl := &in.cells[ci]
		f.Need += cl.need
		f.Unmet += ev.unmet[ci]
		if ev.unmet[ci] > 1e-9 {
			f.Short++
		}
	}
	for ti := range in.teams {
		f.Need += in.teams[ti].fte
		if ev.delivered[ti] {
			f.TeamsDelivered++
		}
	}
	f.WeightedUnmet = round.Clean(ev.weighted)
	f.Need = round.Clean(f.Need)
	f.Unmet = round.Clean(f.Unmet)
	f.MovedFTE = round.Clean(ev.moved)
	f.Moves = len(moves)
	f.TravelMinutesPerWeek = round.Clean(ev.minutes)
	f.TravelHoursPerWeek = round.Clean(ev.minutes / 60)
	f.CostMADPerWeek = round.Clean(ev.cost)
	f.FixedMADPerWeek = round.Clean(ev.fixed)
	return f
}

func methodText(parts []*part) string {
	counts := map[string]int{}
	cats := map[string]int{}
	for _, pt := range parts {
		counts[pt.kind]++
		cats[pt.kind] += len(pt.cats)
	}
	var ms []string
	if n := counts["flow"]; n > 0 {
		ms = append(ms, fmt.Sprintf("network simplex (%d independent categories)", n))
	}
	if n := counts["moves"]; n > 0 {
		ms = append(ms, fmt.Sprintf("branch and bound over moves with exact flows (%d independent categories with a fixed cost or smallest size per move)", n))
	}
	if n := counts["search"]; n > 0 {
		ms = append(ms, fmt.Sprintf("branch and bound over team decisions with exact flows (%d coupled parts, %d categories)", n, cats["search"]))
	}
	if n := counts["mip"]; n > 0 {
		ms = append(ms, fmt.Sprintf("mixed-integer programme (%d coupled parts, %d categories)", n, cats["mip"]))
	}
	if n := counts["heuristic"]; n > 0 {
		ms = append(ms, fmt.Sprintf("team relaxation and rounding (%d coupled parts, %d categories)", n, cats["heuristic"]))
	}
	if len(ms) == 0 {
		return "nothing to solve"
	}
	return strings.Join(ms, "; ")
}
