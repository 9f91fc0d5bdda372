package programme

import (
	"math"
	"slices"
	"sort"
)

// maxImproveSolves bounds the relaxations improve solves: a limit of work,
// the same on every machine.
const maxImproveSolves = 60

// maxImproveEvals bounds the networks improve values with the evaluator
// (each a staffing programme and the transportation problems) in the main
// search: a limit of work, the same on every machine. The other searches
// (the frontier's levels, the sequential plan's, the decisions' costs),
// many and each meant to cost a fraction of the main one, keep
// maxImproveSolves (a frontier level's first local search has
// maxLevelEvals).
const maxImproveEvals = 3000

// improve lowers the incumbent by changing its decisions one at a time,
// toward the root's relaxation first: a module type whose count the
// relaxation wants higher (lower) than the incumbent's gets one module more
// (fewer) from the first period it does, most wanted first; then every
// offer the incumbent opens is not opened, or opened one period later, and
// every module type it adds has one module fewer; then (with the
// evaluator) every offer it opens is opened a period earlier, or moved to
// another site of the same service that an area reaches from both. Each
// variant fixes every site, service and module decision and values the
// rest (staffing, assignment): with the evaluator when the relaxation is
// a decomposition, else by solving the relaxation as a node. The first
// variant that lowers the objective becomes the incumbent, and the
// variants of the new incumbent are tried in turn. Rounding a relaxation
// period by period takes decisions that part of a module paid for; this
// takes back those that do not pay in whole, adds those that rounding
// left out, and moves openings to better sites.
func (s *search) improve(root []float64) {
	if s.inc != nil {
		s.descend(s.inc, s.incV, root)
	}
}

// descend is the local search of improve from the programme cur of value
// curV (a point of the compact model); every programme it moves to is
// offered to the search. With towardOnly it moves toward the relaxation
// alone (see levelSearch).
func (s *search) descend(cur []float64, curV float64, root []float64) {
	d := s.newDescent(cur, curV)
	for s.step(d, root) {
	}
}

// descent is the state of one local search: the programme it is at, the
// variant its scan goes on from and how many of the programme's variants
// it has tried without a move (a scan stopped at the limit goes on where
// it stopped), whether a whole round of variants found none (stalled), and
// the networks (or relaxations) it has valued against its limit.
type descent struct {
	cur     []float64
	curV    float64
	next    int
	tried   int
	stalled bool
	solves  int
	limit   int
	// pause, when positive, stops the scan (not stalled) once that many
	// variants in a row have not paid; see firstDescent.
	pause int
}

// newDescent starts a local search from the programme cur of value curV,
// with the limit of work of the search it runs in (see maxImproveSolves).
func (s *search) newDescent(cur []float64, curV float64) *descent {
	limit := maxImproveSolves
	if s.evaluator() != nil && s.r.main {
		limit = maxImproveEvals
	}
	if s.evalLimit > 0 {
		limit = s.evalLimit
	}
	return &descent{cur: cur, curV: curV, limit: limit}
}

// step scans the variants of d's programme until one lowers its value,
// moves d there and offers it to the search, and reports whether it did.
// The scan starts from where the last improvement was found (from the
// first variant in a frontier level trying every move, see scanFrom), and
// ends after a whole round of variants without one (d stalls), at d's
// limit, or once the incumbent is within the gap tolerance of a frontier
// level's bound.
func (s *search) step(d *descent, root []float64) bool {
	ev := s.evaluator()
	w := s.md.networkOf(d.cur)
	variants := s.md.towardVariants(w, s.relaxedModules(root))
	if !s.towardOnly {
		variants = append(variants, s.md.dropVariants(w)...)
	}
	if ev != nil && !s.towardOnly {
		variants = append(variants, s.md.moveVariants(w)...)
		variants = append(variants, s.md.shiftVariants(w)...)
	}
	for ; d.tried < len(variants); d.tried++ {
		if d.solves >= d.limit || s.r.ctx.Err() != nil || s.closedBy(s.levelBound, s.r.opt.GapTolerance) {
			return false
		}
		if d.pause > 0 && d.tried >= d.pause {
			return false
		}
		i := (d.next + d.tried) % len(variants)
		vw := variants[i]()
		if ev == nil {
			if _, ok := s.fixAll(vw); !ok {
				continue
			}
		}
		d.solves++
		x, v, ok := s.valueOf(ev, vw, d.curV*(1-1e-9))
		if ok && v < d.curV*(1-1e-9) {
			s.offer(x)
			d.cur, d.curV = x, v
			d.next, d.tried = s.scanFrom(i), 0
			return true
		}
	}
	d.stalled = true
	return false
}

// pauseAfter is how many variants in a row the main search's first
// descent tries without a move before it pauses for the other starts
// (see firstDescent).
const pauseAfter = 32

// firstDescent runs the local search from the first programme of the
// root's rounding (the incumbent, or fx, relax-and-fix's programme, when
// the local search has already ended at the incumbent) until it stalls
// or tries pauseAfter variants in a row without a move, and returns it
// when it paused (nil otherwise), for resume. A descent that creeps
// toward a local optimum tries every variant once more before it stalls
// there, and the starts after it (the root rounded, each service's
// decisions rounded) often lead lower at once: on the synthetic region
// (`progbench -spec region -gap 0.01`) the search within 1% values 2,477
// networks in 120 s with the pause, 4,878 in 197 s without (the same
// root; one run each).
func (s *search) firstDescent(fx, root []float64) *descent {
	var d *descent
	switch {
	case s.inc != nil && s.incV != s.improvedV:
		d = s.newDescent(s.inc, s.incV)
	case fx != nil && s.md.m.ObjValue(fx) > s.incV:
		d = s.newDescent(fx, s.md.m.ObjValue(fx))
	default:
		return nil
	}
	d.pause = pauseAfter
	for s.step(d, root) {
	}
	if d.stalled {
		return nil
	}
	d.pause = 0
	return d
}

// resume goes on with the descent d that firstDescent paused, to its
// stall, unless the incumbent is within the gap tolerance of bound or
// another start found a programme below d's (whose own descent has
// stalled there).
func (s *search) resume(d *descent, root []float64, bound float64) {
	if d == nil || s.r.ctx.Err() != nil || s.closedBy(bound, s.r.opt.GapTolerance) || s.incV < d.curV {
		return
	}
	for s.step(d, root) {
	}
}

// rootStarts are the thresholds at which the root's relaxation is rounded
// into the networks that the local search also starts from (with the
// evaluator): the relaxation opens many services in part, relax-and-fix
// few of them, and the best programmes lie between.
var rootStarts = []roundMode{0.3, 0.15}

// descendFromRoot rounds the root's relaxation at each of rootStarts (every
// period at once) and runs the local search from each network that has a
// programme, until the incumbent is within the gap tolerance of the
// root's bound.
func (s *search) descendFromRoot(root []float64, bound float64) {
	ev := s.evaluator()
	if ev == nil {
		return
	}
	for _, mode := range rootStarts {
		if s.r.ctx.Err() != nil || s.closedBy(bound, s.r.opt.GapTolerance) {
			return
		}
		x, v, ok, err := ev.value(s.r, s.md.roundedNetwork(s.relaxedModules(root), s.relaxedOffers(root), mode), math.Inf(1))
		if err != nil || !ok {
			continue
		}
		s.offer(x)
		s.descend(x, v, root)
	}
}

// descendFromServices runs the local search from the incumbent with one
// service's decisions replaced by the root's relaxation rounded at each of
// levelModes, service by service, until the incumbent is within the gap
// tolerance of the root's bound. The local search moves one decision at a
// time, and a service's sites are where it stalls: on the synthetic region
// the programme it ended at (742.9 million MAD) and a cheaper one (737.0)
// differ by three sites of one service opened, three others not and one
// opened three years sooner, and no single move, nor the exchange of two
// sites, nor two of the moves together, lowers the objective from it
// (from there this search reaches 735.7). The relaxation rounded for every
// service at once (descendFromRoot) did not lead there; one service at a
// time keeps the others' decisions, which the local search has settled.
func (s *search) descendFromServices(root []float64, bound float64) {
	ev := s.evaluator()
	if ev == nil || s.inc == nil {
		return
	}
	n, y := s.relaxedModules(root), s.relaxedOffers(root)
	rounded := make([]network, len(levelModes))
	for i, mode := range levelModes {
		rounded[i] = s.md.roundedNetwork(n, y, mode)
	}
	for sv := range s.md.in.svc {
		for _, r := range rounded {
			if s.r.ctx.Err() != nil || s.closedBy(bound, s.r.opt.GapTolerance) {
				return
			}
			w, changed := s.md.withService(s.md.networkOf(s.inc), r, sv)
			if !changed {
				continue
			}
			x, v, ok := s.valueOf(ev, w, math.Inf(1))
			if !ok {
				continue
			}
			s.offer(x)
			s.descend(x, v, root)
		}
	}
}

// withService returns w with the decisions of service sv's offers taken
// from r, and whether any differ.
func (md *model) withService(w, r network, sv int) (network, bool) {
	changed := false
	for o := range md.in.offers {
		if md.in.offers[o].svc != sv {
			continue
		}
		if !slices.Equal(w.y[o], r.y[o]) {
			changed = true
		}
		w.y[o] = slices.Clone(r.y[o])
		for k := range w.n[o] {
			if !slices.Equal(w.n[o][k], r.n[o][k]) {
				changed = true
			}
			w.n[o][k] = slices.Clone(r.n[o][k])
		}
	}
	return md.withSites(w), changed
}

// relaxedOffers reads the service columns y[offer][p] of a point of the
// relaxation.
func (s *search) relaxedOffers(x []float64) [][]float64 {
	md := s.md
	out := make([][]float64, len(md.y))
	for o := range md.y {
		out[o] = make([]float64, md.np)
		for p, j := range md.y[o] {
			if c := s.rx.col(j); c >= 0 {
				out[o][p] = x[c]
			}
		}
	}
	return out
}

// roundedNetwork rounds the relaxation's services y and modules n of every
// period at once: a service is open where y reaches the mode's fraction
// (and from then on when it may not close), its modules rounded up from
// that fraction, at least one, at least those it had the period before
// (today's before the first period) as the model's rows ask, within their
// bounds.
func (md *model) roundedNetwork(n [][][]float64, y [][]float64, mode roundMode) network {
	in := md.in
	w := md.networkOf(make([]float64, md.m.NumVars()))
	for o := range in.offers {
		off := &in.offers[o]
		may := in.svc[off.svc].rule.MayClose
		for p := 0; p < md.np; p++ {
			lo, hi := md.m.Bounds(md.y[o][p])
			open := y[o][p] >= float64(mode)-1e-6 || lo >= 1 || (!may && p > 0 && w.y[o][p-1] > 0.5)
			open = open && hi >= 1
			w.y[o][p] = b2f(open)
			total := 0.0
			for k := range off.installed {
				v := 0.0
				if open {
					// An open service keeps the modules it had (today's
					// before the first period): they fall only by closing.
					prev := float64(off.installed[k])
					if p > 0 {
						prev = w.n[o][k][p-1]
					}
					v = math.Max(mode.up(n[o][k][p]), prev)
				}
				nlo, nhi := md.m.Bounds(md.n[o][k][p])
				w.n[o][k][p] = math.Min(math.Max(v, nlo), nhi)
				total += w.n[o][k][p]
			}
			if open && total < 1 {
				w.n[o][0][p] = math.Max(w.n[o][0][p], 1)
			}
		}
	}
	return md.withSites(w)
}

// evaluator returns the search's evaluator of networks, built on first
// use; nil when the relaxation is not a decomposition.
func (s *search) evaluator() *evaluator {
	if s.eval == nil {
		if br, ok := s.rx.(*bendersRelaxation); ok {
			if s.r.warm != nil {
				s.eval = s.r.levelEvaluator(s.md, br.d)
			} else {
				s.eval = newEvaluator(s.md, br.d)
			}
		}
	}
	return s.eval
}

// closeEvaluator frees what the search's evaluator holds in lp_solve.
func (s *search) closeEvaluator() {
	if s.eval != nil {
		s.eval.close()
	}
}

// valueOf returns the compact point of the network w and its objective,
// false when no programme has that network or, where that is quicker to
// see, when its value is at least cutoff.
func (s *search) valueOf(ev *evaluator, w network, cutoff float64) ([]float64, float64, bool) {
	if ev != nil {
		x, v, ok, err := ev.value(s.r, w, cutoff)
		return x, v, ok && err == nil
	}
	fix, ok := s.fixAll(w)
	if !ok {
		return nil, 0, false
	}
	sol, err := s.solveNode(&bnbNode{fix: fix})
	if err != nil || s.branchColumn(sol.X) >= 0 || sol.Objective >= cutoff {
		return nil, 0, false
	}
	x, err := s.rx.complete(sol.X)
	if err != nil {
		return nil, 0, false
	}
	return x, s.md.m.ObjValue(x), true
}

// relaxedModules reads the module counts n[offer][k][p] of a point of the
// relaxation.
func (s *search) relaxedModules(x []float64) [][][]float64 {
	md := s.md
	out := make([][][]float64, len(md.n))
	for o := range md.n {
		out[o] = make([][]float64, len(md.n[o]))
		for k := range md.n[o] {
			out[o][k] = make([]float64, md.np)
			for p, j := range md.n[o][k] {
				if c := s.rx.col(j); c >= 0 {
					out[o][k][p] = x[c]
				}
			}
		}
	}
	return out
}

// variant builds one network of the local search when it is valued: the
// variants of a national network, built at once, would hold gigabytes.
type variant func() network

// towardVariants moves one module type at a time one module toward the
// relaxation's count rel, from the first period where they differ by more
// than a twentieth of a module; the largest differences first.
func (md *model) towardVariants(w network, rel [][][]float64) []variant {
	type cand struct {
		v    variant
		diff float64
	}
	var cs []cand
	for o := range md.in.offers {
		if md.in.svc[md.in.offers[o].svc].rule.MayClose {
			continue
		}
		for k := range w.n[o] {
			for p := 0; p < md.np; p++ {
				d := rel[o][k][p] - w.n[o][k][p]
				if math.Abs(d) <= 0.05 {
					continue
				}
				if _, ok := md.toward(w, o, k, p, d); ok {
					cs = append(cs, cand{func() network { v, _ := md.toward(w, o, k, p, d); return v }, math.Abs(d)})
				}
				break
			}
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].diff > cs[b].diff })
	out := make([]variant, len(cs))
	for i, c := range cs {
		out[i] = c.v
	}
	return out
}

// toward is w with one module of type k at offer o more (d > 0) or fewer
// from period p on; false when that closes a service open today.
func (md *model) toward(w network, o, k, p int, d float64) (network, bool) {
	v := w.clone()
	for q := p; q < md.np; q++ {
		v.n[o][k][q] = math.Max(0, v.n[o][k][q]+math.Copysign(1, d))
		total := 0.0
		for kk := range v.n[o] {
			total += v.n[o][kk][q]
		}
		v.y[o][q] = b2f(total > 0.5)
		if d < 0 && w.y[o][q] > 0.5 && total < 0.5 && md.in.offers[o].openToday {
			return network{}, false
		}
	}
	return md.withSites(v), true
}

// network is the site, service and module decisions of a programme:
// z[site][p], y[offer][p], n[offer][k][p].
type network struct {
	z, y [][]float64
	n    [][][]float64
}

// networkOf reads the decisions of the compact point x.
func (md *model) networkOf(x []float64) network {
	var w network
	w.z = make([][]float64, len(md.z))
	for s := range md.z {
		w.z[s] = make([]float64, md.np)
		for p, c := range md.z[s] {
			if c >= 0 {
				w.z[s][p] = math.Round(x[c])
			}
		}
	}
	w.y = make([][]float64, len(md.y))
	w.n = make([][][]float64, len(md.n))
	for o := range md.y {
		w.y[o] = make([]float64, md.np)
		for p, c := range md.y[o] {
			w.y[o][p] = math.Round(x[c])
		}
		w.n[o] = make([][]float64, len(md.n[o]))
		for k := range md.n[o] {
			w.n[o][k] = make([]float64, md.np)
			for p, c := range md.n[o][k] {
				w.n[o][k][p] = math.Round(x[c])
			}
		}
	}
	return w
}

func (w network) clone() network {
	c := network{z: make([][]float64, len(w.z)), y: make([][]float64, len(w.y)), n: make([][][]float64, len(w.n))}
	for s := range w.z {
		c.z[s] = append([]float64(nil), w.z[s]...)
	}
	for o := range w.y {
		c.y[o] = append([]float64(nil), w.y[o]...)
		c.n[o] = make([][]float64, len(w.n[o]))
		for k := range w.n[o] {
			c.n[o][k] = append([]float64(nil), w.n[o][k]...)
		}
	}
	return c
}

// dropVariants lists the networks that undo one decision of w's, in a
// fixed order: by offer, then not opening, opening a period later, and
// one module fewer of each type.
func (md *model) dropVariants(w network) []variant {
	in := md.in
	var out []variant
	for o := range in.offers {
		off := &in.offers[o]
		if in.svc[off.svc].rule.MayClose {
			continue
		}
		first := firstOpen(w, o)
		if first >= 0 && !off.openToday {
			out = append(out, func() network { return md.closedFrom(w, o, first, md.np) })
			if first+1 < md.np {
				out = append(out, func() network { return md.closedFrom(w, o, first, first+1) })
			}
		}
		for k := range w.n[o] {
			if _, ok := md.oneModuleFewer(w, o, k); ok {
				out = append(out, func() network { v, _ := md.oneModuleFewer(w, o, k); return v })
			}
		}
	}
	return out
}

// closedFrom is w with offer o closed, without modules, in periods
// [from, to).
func (md *model) closedFrom(w network, o, from, to int) network {
	v := w.clone()
	for p := from; p < to; p++ {
		v.y[o][p] = 0
		for k := range v.n[o] {
			v.n[o][k][p] = 0
		}
	}
	return md.withSites(v)
}

// oneModuleFewer removes one module of type k at offer o from the period
// its count first exceeds what is installed, keeping at least one module
// of some type while the service is open.
func (md *model) oneModuleFewer(w network, o, k int) (network, bool) {
	inst := float64(md.in.offers[o].installed[k])
	from := -1
	for p := 0; p < md.np; p++ {
		if w.n[o][k][p] > inst+0.5 {
			from = p
			break
		}
	}
	if from < 0 {
		return network{}, false
	}
	v := w.clone()
	for p := from; p < md.np; p++ {
		v.n[o][k][p]--
		total := 0.0
		for kk := range v.n[o] {
			total += v.n[o][kk][p]
		}
		if v.y[o][p] > 0.5 && total < 1 {
			return network{}, false
		}
	}
	return v, true
}

// withSites builds each candidate site in the periods one of its services
// is open, as the model's rows ask.
func (md *model) withSites(w network) network {
	for s := range md.z {
		built := 0.0
		for p := 0; p < md.np; p++ {
			for _, o := range md.in.sites[s].offers {
				if w.y[o][p] > 0.5 {
					built = 1
				}
			}
			w.z[s][p] = built
		}
	}
	return w
}

// fixAll returns the bounds that fix every decision of the relaxation to
// w, false when w breaks a bound of the root.
func (s *search) fixAll(w network) ([]colBound, bool) {
	var fix []colBound
	add := func(j int, v float64) bool {
		if j < 0 {
			return true
		}
		c := s.rx.col(j)
		if c < 0 {
			return true
		}
		lo, hi := s.rel.Bounds(c)
		if v < lo-1e-9 || v > hi+1e-9 {
			return false
		}
		fix = append(fix, colBound{c, v, v})
		return true
	}
	md := s.md
	for st := range md.z {
		for p, j := range md.z[st] {
			if !add(j, w.z[st][p]) {
				return nil, false
			}
		}
	}
	for o := range md.y {
		for p, j := range md.y[o] {
			if !add(j, w.y[o][p]) {
				return nil, false
			}
		}
		for k := range md.n[o] {
			for p, j := range md.n[o][k] {
				if !add(j, w.n[o][k][p]) {
					return nil, false
				}
			}
		}
	}
	return fix, true
}

// moveVariants lists the networks that move one opening of w's, in a
// fixed order: by offer, opening it a period earlier, then opening
// instead, from the same period and with the same modules, each offer of
// the same service that w leaves closed and that an area reaches from
// both sites.
func (md *model) moveVariants(w network) []variant {
	in := md.in
	var out []variant
	near := md.neighbours()
	for o := range in.offers {
		off := &in.offers[o]
		first := firstOpen(w, o)
		if in.svc[off.svc].rule.MayClose || off.openToday || first < 0 {
			continue
		}
		if first > 0 {
			out = append(out, func() network {
				v := w.clone()
				v.y[o][first-1] = 1
				for k := range v.n[o] {
					v.n[o][k][first-1] = v.n[o][k][first]
				}
				return md.withSites(v)
			})
		}
		for _, o2 := range near[o] {
			if firstOpen(w, o2) >= 0 || in.offers[o2].openToday {
				continue
			}
			out = append(out, func() network {
				v := w.clone()
				for p := 0; p < md.np; p++ {
					v.y[o2][p], v.y[o][p] = v.y[o][p], 0
					for k := range v.n[o] {
						v.n[o2][k][p], v.n[o][k][p] = v.n[o][k][p], 0
					}
				}
				return md.withSites(v)
			})
		}
	}
	return out
}

// shiftVariants lists the networks that move one module of w's by one
// period, in a fixed order: by offer and module type, at each period in
// which w adds modules of that type (beyond the period before, today's
// before the first), one of them a period later, then a period earlier
// where the service is open the period before. Moving a module later
// defers its capital and running costs (and staff); earlier, it serves
// demand sooner. Shifts that break a rule (a service open without a
// module) are left out; the evaluator checks the rest.
func (md *model) shiftVariants(w network) []variant {
	var out []variant
	for o := range md.in.offers {
		for k := range w.n[o] {
			prev := float64(md.in.offers[o].installed[k])
			for p := 0; p < md.np; p++ {
				cur := w.n[o][k][p]
				if w.y[o][p] > 0.5 && cur > prev+0.5 {
					if _, ok := md.shifted(w, o, k, p, p); ok {
						out = append(out, func() network { v, _ := md.shifted(w, o, k, p, p); return v })
					}
					if p > 0 && w.y[o][p-1] > 0.5 {
						out = append(out, func() network { v, _ := md.shifted(w, o, k, p, p-1); return v })
					}
				}
				prev = cur
			}
		}
	}
	return out
}

// shifted is w with one module of type k at offer o fewer in period p
// (to == p: the module comes a period later) or one more in period p−1
// (to == p−1: a period earlier); false when a service would stay open
// without a module.
func (md *model) shifted(w network, o, k, p, to int) (network, bool) {
	v := w.clone()
	if to == p {
		v.n[o][k][p]--
		total := 0.0
		for kk := range v.n[o] {
			total += v.n[o][kk][p]
		}
		if total < 0.5 {
			return network{}, false
		}
		return v, true
	}
	v.n[o][k][to]++
	return v, true
}

// firstOpen returns the first period in which w offers o, -1 when none.
func firstOpen(w network, o int) int {
	for p := range w.y[o] {
		if w.y[o][p] > 0.5 {
			return p
		}
	}
	return -1
}

// neighbours lists, for every offer, the other offers of its service that
// share an area's reach with it, in increasing order.
func (md *model) neighbours() [][]int {
	in := md.in
	set := make([]map[int]bool, len(in.offers))
	for o := range set {
		set[o] = map[int]bool{}
	}
	for s := range in.reach {
		for a := range in.reach[s] {
			for _, r1 := range in.reach[s][a] {
				for _, r2 := range in.reach[s][a] {
					if r1.off != r2.off {
						set[r1.off][r2.off] = true
					}
				}
			}
		}
	}
	out := make([][]int, len(in.offers))
	for o := range set {
		for o2 := range set[o] {
			out[o] = append(out[o], o2)
		}
		sort.Ints(out[o])
	}
	return out
}

// partialModes are the thresholds at which partialStart rounds a root
// whose rounds of cuts did not converge: to the nearest, then opening
// more (such a master knows too little of what staffing and assignment
// cost, and opens services in part), then less.
var partialModes = []roundMode{roundNearest, 0.3, 0.7}

// bestRounding values with the evaluator the networks of x rounded at
// each of partialModes (every period at once) and returns the best
// programme of them and its value (nil when none has a programme).
func (s *search) bestRounding(x []float64) ([]float64, float64) {
	n, y := s.relaxedModules(x), s.relaxedOffers(x)
	var ws []network
	for _, mode := range partialModes {
		ws = append(ws, s.md.roundedNetwork(n, y, mode))
	}
	return s.bestOf(ws)
}

// bestOf values the networks ws with the evaluator, in order, and returns
// the best programme of them and its value (nil when none has a programme
// or the run is stopped).
func (s *search) bestOf(ws []network) ([]float64, float64) {
	ev := s.evaluator()
	var best []float64
	bestV := math.Inf(1)
	for _, w := range ws {
		if s.r.ctx.Err() != nil {
			break
		}
		px, v, ok, err := ev.value(s.r, w, bestV)
		if err == nil && ok && v < bestV {
			best, bestV = px, v
		}
	}
	return best, bestV
}

// partialStart rounds the master's point x of a root whose rounds of cuts
// did not converge at each of partialModes (every period at once), values
// each network with the evaluator, and runs the local search from the
// best programme held: the best of those roundings, or the search's
// incumbent when that is better (a seed such as the sequential plan);
// with neither, from the least network the columns' bounds allow (what is
// open today and may not close, with its modules, and what the rules
// force open). The programmes it finds are offered to the search.
// rounds says how many rounds of cuts ran (see roundsDone), for the note.
func (s *search) partialStart(x []float64, rounds string) {
	best, bestV := s.bestRounding(x)
	if best == nil && s.inc == nil {
		zero := make([]float64, len(x))
		best, bestV = s.bestOf([]network{s.md.roundedNetwork(s.relaxedModules(zero), s.relaxedOffers(zero), roundNearest)})
	}
	if best != nil {
		s.offer(best)
	}
	from := "their last point rounded"
	if s.inc != nil && s.incV < bestV {
		best, bestV, from = s.inc, s.incV, "the best programme held before (better than any rounding of their last point)"
	}
	if best == nil {
		s.r.note("the root's rounds of cuts did not converge within their share of the time (%s), and no rounding of their last point has a programme", rounds)
		return
	}
	s.descend(best, bestV, x)
	s.r.note("the root's rounds of cuts did not converge within their share of the time (%s): the programme is %s, improved by the local search; the bound is their last round's", rounds, from)
}
