package pool

import (
	"fmt"
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/gstplan/gst"
)

// This file checks pooling plans independently of the solver: it reads
// the problem as a user would and recomputes every rule and the objective
// from the plan's public fields.

type poolKey struct {
	e gst.EstablishmentID
	c gst.CategoryID
}

// poolRef is the problem restated for the checks.
type poolRef struct {
	p        *Problem
	sessions float64
	unit     float64 // FTE per unit moved (0 for continuous)
	roll     map[poolKey]float64
	need     map[poolKey]float64
	minFTE   map[poolKey]float64
	weight   map[poolKey]float64
	roles    map[poolKey]float64 // all teams' roles
	spare    map[poolKey]float64
	commute  map[gst.CategoryID]float64
	fixed    map[gst.CategoryID]bool
	capFTE   map[gst.CategoryID]float64
	minute   map[gst.CategoryID]float64 // MAD per minute of staff time
	perMove  map[gst.CategoryID]float64 // fixed weekly cost of a move
	minMove  map[gst.CategoryID]float64 // smallest move, sessions a week
	cats     []gst.CategoryID
	sites    []gst.EstablishmentID
}

func poolNewRef(t testing.TB, p *Problem, opt *Options) *poolRef {
	t.Helper()
	o := Options{}
	if opt != nil {
		o = *opt
	}
	ref := &poolRef{p: p, sessions: o.SessionsPerFTE, roll: map[poolKey]float64{}, need: map[poolKey]float64{},
		minFTE: map[poolKey]float64{}, weight: map[poolKey]float64{}, roles: map[poolKey]float64{}, spare: map[poolKey]float64{},
		commute: map[gst.CategoryID]float64{}, fixed: map[gst.CategoryID]bool{}, capFTE: map[gst.CategoryID]float64{},
		minute: map[gst.CategoryID]float64{}, perMove: map[gst.CategoryID]float64{}, minMove: map[gst.CategoryID]float64{}}
	if ref.sessions == 0 {
		ref.sessions = 10
	}
	switch o.Granularity {
	case Sessions:
		ref.unit = 1 / ref.sessions
	case Posts:
		ref.unit = 1
	}
	r := p.Region
	ru := p.Rules
	if ru.MaxCommuteMinutes == 0 {
		ru.MaxCommuteMinutes = 60
	}
	if ru.MaxAwayShare == 0 {
		ru.MaxAwayShare = 0.5
	}
	catSet := map[gst.CategoryID]bool{}
	for _, n := range p.Need {
		catSet[n.Category] = true
	}
	for _, tm := range p.Teams {
		for _, ro := range tm.Roles {
			catSet[ro.Category] = true
		}
	}
	for c := range catSet {
		ref.cats = append(ref.cats, c)
	}
	sort.Slice(ref.cats, func(a, b int) bool { return ref.cats[a] < ref.cats[b] })
	rules := map[gst.CategoryID]CategoryRule{}
	for _, cr := range p.Categories {
		rules[cr.Category] = cr
	}
	for i := range r.Establishments {
		e := &r.Establishments[i]
		if e.Candidate || (e.Ownership == gst.Private && !p.Rules.IncludePrivate) {
			continue
		}
		ref.sites = append(ref.sites, e.ID)
		for _, s := range e.Staff {
			ref.roll[poolKey{e.ID, s.Category}] = s.FTE
		}
	}
	for _, f := range p.OnRoll {
		ref.roll[poolKey{f.Establishment, f.Category}] = f.FTE
	}
	dw := func(e gst.EstablishmentID) float64 {
		if ru.DeprivationWeight == 0 {
			return 1
		}
		return 1 + ru.DeprivationWeight*poolRefRank(r, e)
	}
	for _, n := range p.Need {
		k := poolKey{n.Establishment, n.Category}
		ref.need[k] = n.FTE + n.SessionsPerWeek/ref.sessions
		ref.minFTE[k] = n.MinFTE
		pr := n.Priority
		if pr == 0 {
			pr = rules[n.Category].Priority
		}
		if pr == 0 {
			pr = 1
		}
		ref.weight[k] = pr * dw(n.Establishment)
	}
	for _, tm := range p.Teams {
		for _, ro := range tm.Roles {
			ref.roles[poolKey{tm.Establishment, ro.Category}] += ro.FTE
		}
	}
	floors := map[poolKey]float64{}
	for _, f := range p.Floors {
		floors[poolKey{f.Establishment, f.Category}] = f.FTE
	}
	for _, c := range ref.cats {
		cr := rules[c]
		commute, share, stay, stayShare := ru.MaxCommuteMinutes, ru.MaxAwayShare, ru.MinStayFTE, ru.MinStayShare
		if cr.MaxCommuteMinutes > 0 {
			commute = cr.MaxCommuteMinutes
		}
		if cr.MaxAwayShare > 0 {
			share = cr.MaxAwayShare
		}
		if cr.MinStayFTE > 0 {
			stay = cr.MinStayFTE
		}
		if cr.MinStayShare > 0 {
			stayShare = cr.MinStayShare
		}
		ref.commute[c] = commute
		ref.fixed[c] = cr.Fixed
		ref.perMove[c], ref.minMove[c] = ru.PerMoveMAD, float64(ru.MinMoveSessions)
		if cr.PerMoveMAD > 0 {
			ref.perMove[c] = cr.PerMoveMAD
		}
		if cr.MinMoveSessions > 0 {
			ref.minMove[c] = float64(cr.MinMoveSessions)
		}
		ref.capFTE[c] = cr.MaxMovedFTE
		cat, _ := r.Category(c)
		ref.minute[c] = cat.AnnualCost / cat.HoursPerYear / 60
		for _, e := range ref.sites {
			k := poolKey{e, c}
			floor := math.Max(stay, stayShare*(ref.need[k]+ref.roles[k]))
			if f, ok := floors[k]; ok {
				floor = math.Max(floor, f)
			}
			sp := math.Max(0, math.Min(ref.roll[k]-floor, share*ref.roll[k]))
			if cr.Fixed {
				sp = 0
			}
			if ref.unit > 0 {
				sp = math.Floor(sp/ref.unit+1e-9) * ref.unit
			}
			ref.spare[k] = sp
		}
	}
	return ref
}

// poolRefRank is the deprivation mid-rank of the establishment's area.
func poolRefRank(r *gst.Region, e gst.EstablishmentID) float64 {
	est, _ := r.Establishment(e)
	a, ok := r.Area(est.Area)
	if !ok || a.Deprivation == nil {
		return 0
	}
	var below, equal, n float64
	for _, b := range r.Areas {
		if b.Deprivation == nil {
			continue
		}
		n++
		if *b.Deprivation < *a.Deprivation {
			below++
		} else if *b.Deprivation == *a.Deprivation {
			equal++
		}
	}
	if n < 2 {
		return 0
	}
	return (below + (equal-1)/2) / (n - 1)
}

// leg is the trip between two establishments: the override matrix, the
// region's matrix, then the problem's estimator between their points.
func (ref *poolRef) leg(from, to gst.EstablishmentID) (gst.Leg, bool) {
	pt := func(id gst.EstablishmentID) gst.Point {
		e, _ := ref.p.Region.Establishment(id)
		urban := false
		if a, ok := ref.p.Region.Area(e.Area); ok {
			urban = a.Urban
		}
		return gst.Point{ID: string(id), Lat: e.Lat, Lon: e.Lon, Urban: urban}
	}
	return ref.p.TravelSource.Leg(ref.p.Region, pt(from), pt(to))
}

// poolRefEval is what the checks recompute.
type poolRefEval struct {
	weighted, cost float64
	moves          int
	present        map[poolKey]float64
	problems       []string
}

// eval checks moves and team decisions against every rule and recomputes
// the objective.
func (ref *poolRef) eval(moves []Move, delivered map[[2]string]bool) poolRefEval {
	ev := poolRefEval{present: map[poolKey]float64{}}
	bad := func(f string, a ...any) { ev.problems = append(ev.problems, fmt.Sprintf(f, a...)) }
	out := map[poolKey]float64{}
	in := map[poolKey]float64{}
	moved := 0.0
	movedCat := map[gst.CategoryID]float64{}
	for _, m := range moves {
		if m.From == m.To {
			bad("move %v to itself", m)
		}
		if m.FTE <= 0 {
			bad("move %v without staff", m)
		}
		if ref.unit > 0 && math.Abs(m.FTE/ref.unit-math.Round(m.FTE/ref.unit)) > 1e-6 {
			bad("move %v is not in whole units of %g FTE", m, ref.unit)
		}
		if ref.fixed[m.Category] {
			bad("move %v of a fixed category", m)
		}
		l, ok := ref.leg(m.From, m.To)
		if !ok || l.Minutes > ref.commute[m.Category]+1e-9 {
			bad("move %v: trip %v beyond the commute %g", m, l, ref.commute[m.Category])
		}
		if l.Minutes != m.Minutes || l.Km != m.Km {
			bad("move %v: reported trip differs from %v", m, l)
		}
		out[poolKey{m.From, m.Category}] += m.FTE
		in[poolKey{m.To, m.Category}] += m.FTE
		moved += m.FTE
		movedCat[m.Category] += m.FTE
		s := m.FTE * ref.sessions
		if s < ref.minMove[m.Category]-1e-6 {
			bad("move %v carries %g sessions a week, below the smallest move of %g", m, s, ref.minMove[m.Category])
		}
		ev.cost += s*(2*(l.Minutes*(ref.minute[m.Category]+tieMADPerMinute)+l.Km*ref.p.Rules.PerKmMAD)+ref.p.Rules.PerSessionMAD) + ref.perMove[m.Category]
		ev.moves++
	}
	const tol = 1e-6
	for k, o := range out {
		if o > ref.spare[k]+tol {
			bad("%v sends %g FTE, more than its spare %g (safe staffing or away share)", k, o, ref.spare[k])
		}
	}
	if c := ref.p.Rules.MaxMovedFTE; c > 0 && moved > c+tol {
		bad("moved %g FTE, cap %g", moved, c)
	}
	for c, v := range movedCat {
		if cp := ref.capFTE[c]; cp > 0 && v > cp+tol {
			bad("moved %g FTE of %s, cap %g", v, c, cp)
		}
	}
	if c := ref.p.Rules.MaxMoves; c > 0 && len(moves) > c {
		bad("%d moves, cap %d", len(moves), c)
	}
	for _, e := range ref.sites {
		for _, c := range ref.cats {
			k := poolKey{e, c}
			ev.present[k] = ref.roll[k] - out[k] + in[k]
			if ref.minFTE[k] > 0 && ev.present[k] < ref.minFTE[k]-tol {
				bad("%v has %g FTE present, below its minimum %g", k, ev.present[k], ref.minFTE[k])
			}
		}
	}
	used := map[poolKey]float64{}
	for _, tm := range ref.p.Teams {
		pr := tm.Priority
		if pr == 0 {
			pr = 1
		}
		w := pr
		if ref.p.Rules.DeprivationWeight > 0 {
			w *= 1 + ref.p.Rules.DeprivationWeight*poolRefRank(ref.p.Region, tm.Establishment)
		}
		if delivered[[2]string{string(tm.Establishment), string(tm.Service)}] {
			for _, ro := range tm.Roles {
				used[poolKey{tm.Establishment, ro.Category}] += ro.FTE
			}
			continue
		}
		if tm.Required {
			bad("required team %s at %s not delivered", tm.Service, tm.Establishment)
		}
		for _, ro := range tm.Roles {
			ev.weighted += w * ro.FTE
		}
	}
	for k, u := range used {
		if ev.present[k] < u-tol {
			bad("%v: delivered teams need %g FTE, %g present", k, u, ev.present[k])
		}
	}
	for k, n := range ref.need {
		ev.weighted += ref.weight[k] * math.Max(0, n-math.Max(0, ev.present[k]-used[k]))
	}
	return ev
}

// check checks a plan: every rule, the figures it reports, and that its
// objective is the recomputed one.
func (ref *poolRef) check(t *testing.T, plan *Plan) poolRefEval {
	t.Helper()
	delivered := map[[2]string]bool{}
	for _, tm := range plan.Teams {
		delivered[[2]string{string(tm.Establishment), string(tm.Service)}] = tm.Delivered
	}
	ev := ref.eval(plan.Moves, delivered)
	for _, pr := range ev.problems {
		t.Error(pr)
	}
	if math.Abs(ev.weighted-plan.WeightedUnmet) > 1e-6*math.Max(1, ev.weighted) {
		t.Errorf("weighted unmet need: plan says %g, recomputed %g", plan.WeightedUnmet, ev.weighted)
	}
	if math.Abs(ev.cost-plan.CostMADPerWeek) > 1e-6*math.Max(1, ev.cost) {
		t.Errorf("cost: plan says %g MAD a week, recomputed %g", plan.CostMADPerWeek, ev.cost)
	}
	if plan.Bound > plan.Objective+1e-6*math.Max(1, plan.Objective) {
		t.Errorf("bound %g above the objective %g", plan.Bound, plan.Objective)
	}
	if plan.CostBound > plan.CostMADPerWeek+1e-6*math.Max(1, plan.CostMADPerWeek) || plan.CostGap < 0 || plan.CostGap > 1 {
		t.Errorf("cost bound %g (gap %g) against the cost %g", plan.CostBound, plan.CostGap, plan.CostMADPerWeek)
	}
	if plan.After.Moves != len(plan.Moves) || plan.After.Moves != ev.moves {
		t.Errorf("%d moves in the figures, %d listed", plan.After.Moves, len(plan.Moves))
	}
	fixed, minutes := 0.0, 0.0
	for _, m := range plan.Moves {
		l, _ := ref.leg(m.From, m.To)
		s := m.FTE * ref.sessions
		want := s*(2*(l.Minutes*(ref.minute[m.Category]+tieMADPerMinute)+l.Km*ref.p.Rules.PerKmMAD)+ref.p.Rules.PerSessionMAD) + ref.perMove[m.Category]
		if math.Abs(m.CostMADPerWeek-want) > 1e-6*math.Max(1, want) || m.FixedMADPerWeek != ref.perMove[m.Category] {
			t.Errorf("move %+v: cost %g (fixed %g), recomputed %g (fixed %g)", m, m.CostMADPerWeek, m.FixedMADPerWeek, want, ref.perMove[m.Category])
		}
		fixed += ref.perMove[m.Category]
		minutes += m.TravelMinutesPerWeek
	}
	if math.Abs(plan.After.FixedMADPerWeek-fixed) > 1e-6*math.Max(1, fixed) || math.Abs(plan.After.TravelHoursPerWeek-minutes/60) > 1e-6*math.Max(1, minutes) {
		t.Errorf("figures: fixed %g MAD a week and travel %g hours, recomputed %g and %g", plan.After.FixedMADPerWeek, plan.After.TravelHoursPerWeek, fixed, minutes/60)
	}
	for _, s := range plan.Sites {
		k := poolKey{s.Establishment, s.Category}
		if math.Abs(s.Present-ev.present[k]) > 1e-6 {
			t.Errorf("%v: present %g, recomputed %g", k, s.Present, ev.present[k])
		}
		if math.Abs(s.OnRoll-s.Out+s.In-s.Present) > 1e-6 {
			t.Errorf("%v: on roll %g − out %g + in %g ≠ present %g", k, s.OnRoll, s.Out, s.In, s.Present)
		}
		if s.MarginalValue < -1e-9 {
			t.Errorf("%v: negative marginal value %g", k, s.MarginalValue)
		}
		if s.Need > 0 {
			if s.RatioAfter == nil || math.Abs(*s.RatioAfter-s.Present/s.Need) > 1e-9 {
				t.Errorf("%v: ratio after %v, want %g", k, s.RatioAfter, s.Present/s.Need)
			}
		}
	}
	return ev
}

// poolRandom builds a random tiny pooling problem: 3 to 5 establishments,
// one to three categories, whole-FTE staff, explicit travel.
func poolRandom(rng *rand.Rand, teams bool) *Problem {
	n := 3 + rng.Intn(3)
	nc := 1 + rng.Intn(2)
	if teams {
		nc = 2 + rng.Intn(2)
	}
	r := &gst.Region{ID: "R"}
	r.Areas = []gst.Area{{ID: "A", Lat: 34, Lon: -5, Population: 1000}}
	r.Services = []gst.Service{{ID: "s0"}, {ID: "s1"}}
	cats := make([]gst.CategoryID, nc)
	for c := 0; c < nc; c++ {
		cats[c] = gst.CategoryID(fmt.Sprintf("c%d", c))
		r.Categories = append(r.Categories, gst.Category{ID: cats[c], HoursPerYear: 1600, AnnualCost: float64(96000 * (1 + rng.Intn(3)))})
	}
	p := &Problem{Region: r, TravelSource: gst.TravelSource{NoEstimate: true}}
	for i := 0; i < n; i++ {
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("E%d", i)), Level: gst.ProvincialHospital,
			Lat: 34 + float64(i)/10, Lon: -5}
		for _, c := range cats {
			if rng.Intn(3) > 0 {
				e.Staff = append(e.Staff, gst.Staffing{Category: c, FTE: float64(rng.Intn(4))})
			}
		}
		r.Establishments = append(r.Establishments, e)
		for _, c := range cats {
			if rng.Intn(3) > 0 {
				nd := Need{Establishment: e.ID, Category: c, FTE: float64(rng.Intn(7)) / 2, Priority: float64(1 + rng.Intn(3))}
				if rng.Intn(10) == 0 {
					nd.MinFTE = float64(1 + rng.Intn(2))
				}
				p.Need = append(p.Need, nd)
			}
		}
	}
	var es []gst.MatrixEntry
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j && rng.Intn(5) > 0 {
				m := float64(5 + rng.Intn(90))
				es = append(es, gst.MatrixEntry{From: fmt.Sprintf("E%d", i), To: fmt.Sprintf("E%d", j), Minutes: m, Km: math.Round(m * 0.7)})
			}
		}
	}
	if len(es) > 0 {
		r.Travel, _ = gst.MatrixFromEntries(es)
	}
	p.Rules = Rules{MaxCommuteMinutes: 60, MaxAwayShare: []float64{0.5, 1}[rng.Intn(2)], MinStayFTE: float64(rng.Intn(2)),
		PerKmMAD: float64(rng.Intn(3)), PerSessionMAD: float64(rng.Intn(2) * 50)}
	if teams {
		for k := 0; k < 1+rng.Intn(2); k++ {
			e := r.Establishments[rng.Intn(n)].ID
			svc := gst.ServiceID(fmt.Sprintf("s%d", k))
			dup := false
			for _, tm := range p.Teams {
				if tm.Establishment == e && tm.Service == svc {
					dup = true
				}
			}
			if dup {
				continue
			}
			tm := Team{Establishment: e, Service: svc, Priority: float64(1 + rng.Intn(3)), Required: rng.Intn(4) == 0}
			for _, c := range cats[:2] {
				tm.Roles = append(tm.Roles, Role{Category: c, FTE: float64(1 + rng.Intn(2))})
			}
			p.Teams = append(p.Teams, tm)
		}
	}
	return p
}

// poolBrute finds the lexicographic optimum (weighted unmet, cost) of a
// problem in whole posts by enumeration over every move the commute allows
// (no pruning) and every choice of teams. ok is false when no plan meets
// the hard rules.
func poolBrute(t *testing.T, p *Problem, limit int) (best [2]float64, ok bool) {
	best, _, ok = poolBruteWeighted(t, p, limit, 0)
	return best, ok
}

// poolBruteWeighted also returns the least value × weighted unmet + cost.
func poolBruteWeighted(t *testing.T, p *Problem, limit int, value float64) (best [2]float64, weighted float64, ok bool) {
	return poolBruteOpt(t, p, &Options{Granularity: Posts}, limit, value)
}

// poolBruteOpt enumerates in whole units of the options' granularity
// (posts or sessions).
func poolBruteOpt(t *testing.T, p *Problem, opt *Options, limit int, value float64) (best [2]float64, weighted float64, ok bool) {
	t.Helper()
	ref := poolNewRef(t, p, opt)
	type arc struct {
		m   Move
		max int
	}
	var arcs []arc
	for _, c := range ref.cats {
		for _, h := range ref.sites {
			sp := int(math.Floor(ref.spare[poolKey{h, c}]/ref.unit + 1e-9))
			if sp == 0 {
				continue
			}
			for _, k := range ref.sites {
				if h == k {
					continue
				}
				if l, ok := ref.leg(h, k); ok && l.Minutes <= ref.commute[c] {
					arcs = append(arcs, arc{Move{Category: c, From: h, To: k, Minutes: l.Minutes, Km: l.Km}, sp})
				}
			}
		}
	}
	size := 1
	for _, a := range arcs {
		size *= a.max + 1
		if size > limit {
			return best, 0, false
		}
	}
	best = [2]float64{math.Inf(1), math.Inf(1)}
	weighted = math.Inf(1)
	x := make([]int, len(arcs))
	nt := len(p.Teams)
	for {
		var moves []Move
		for i, a := range arcs {
			if x[i] > 0 {
				m := a.m
				m.FTE = float64(x[i]) * ref.unit
				m.SessionsPerWeek = m.FTE * ref.sessions
				moves = append(moves, m)
			}
		}
		for mask := 0; mask < 1<<nt; mask++ {
			del := map[[2]string]bool{}
			for i, tm := range p.Teams {
				del[[2]string{string(tm.Establishment), string(tm.Service)}] = mask&(1<<i) != 0
			}
			ev := ref.eval(moves, del)
			if len(ev.problems) > 0 {
				continue
			}
			ok = true
			if ev.weighted < best[0]-1e-9 || (ev.weighted < best[0]+1e-9 && ev.cost < best[1]-1e-9) {
				best = [2]float64{ev.weighted, ev.cost}
			}
			weighted = math.Min(weighted, value*ev.weighted+ev.cost)
		}
		i := 0
		for ; i < len(x); i++ {
			x[i]++
			if x[i] <= arcs[i].max {
				break
			}
			x[i] = 0
		}
		if i == len(x) {
			break
		}
	}
	return best, weighted, ok
}
