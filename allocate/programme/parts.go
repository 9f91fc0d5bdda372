package programme

import (
	"context"
	"errors"
	"math"
	"sort"
	"time"

	"github.com/gstplan/gst"
)

// A programme whose areas and sites fall into groups that only the
// budgets, the recruitment limits and the pooling limit join (the
// regions of a national programme where no area may be served in
// another region and no staff commute between regions) is solved part by
// part first. Each part is solved on its own with the whole of every
// budget and limit: a relaxation of the programme restricted to it, as
// whatever the other parts spend, recruit or pool is at least zero, so
// that the parts' bounds add up to a bound of the programme. When the
// parts' programmes together keep the budgets and limits (valued on the
// whole model), they are a programme of the whole within the gap of that
// bound, and the search of the whole ends there when the gap is within
// the tolerance. Otherwise the search of the whole runs from that
// programme, with the parts' bound beside its own.

// part is a group of the instance's areas, sites and staff sites (as
// indices of the instance, in its order).
type part struct {
	areas, sites, staff []int
}

// partsShare is the share of the time left that the parts get; the rest
// is for valuing their programmes together on the whole model, and its
// search when they do not close the gap.
const partsShare = 0.9

// minPartAreas is the fewest areas a part must have for the programme to
// be solved part by part: a few isolated areas beside one large group
// gain nothing from it.
var minPartAreas = 20

// split groups the instance's areas, sites and staff sites into parts:
// an area with the sites its demand may reach, a staff site with those
// it may lend to or borrow from, the areas of a province that a coverage
// rule binds, a site with its own staff. Groups without areas join the
// first part. Parts are ordered by their least area.
func (in *inst) split() []part {
	na := len(in.areas)
	u := newUnionFind(na + len(in.staff))
	// Node na+i is staff site i; the first len(in.sites) staff sites
	// are the sites themselves.
	for s := range in.svc {
		for a := range in.areas {
			for _, e := range in.reach[s][a] {
				u.union(a, na+in.offers[e.off].site)
			}
		}
	}
	for _, arc := range in.arcs {
		u.union(na+arc.from, na+arc.to)
	}
	if len(in.p.MinCoverage) > 0 {
		first := map[gst.ProvinceID]int{}
		for a := range in.areas {
			if f, ok := first[in.areas[a].province]; ok {
				u.union(f, a)
			} else {
				first[in.areas[a].province] = a
			}
		}
	}
	index := map[int]int{}
	var parts []part
	for a := 0; a < na; a++ {
		root := u.find(a)
		k, ok := index[root]
		if !ok {
			k = len(parts)
			index[root] = k
			parts = append(parts, part{})
		}
		parts[k].areas = append(parts[k].areas, a)
	}
	if len(parts) == 0 {
		return nil
	}
	for i := range in.staff {
		k, ok := index[u.find(na+i)]
		if !ok {
			k = 0
		}
		if i < len(in.sites) {
			parts[k].sites = append(parts[k].sites, i)
		}
		parts[k].staff = append(parts[k].staff, i)
	}
	return parts
}

// divide returns the parts the programme is solved by first, nil when it
// is not: under the decomposition (Method Auto or Benders), with a
// weighted objective, no single-source demand, no service that may close
// (a part that closes modules would spend less than nothing and leave
// the others more than the whole budget), and at least two parts of
// minPartAreas areas or more.
func (r *run) divide() []part {
	if r.opt.Method != Auto && r.opt.Method != Benders || r.in.obj.Lexicographic {
		return nil
	}
	for s := range r.in.svc {
		if rule := r.in.svc[s].rule; rule.SingleSource || rule.MayClose {
			return nil
		}
	}
	parts := r.in.split()
	large := 0
	for _, pt := range parts {
		if len(pt.areas) >= minPartAreas {
			large++
		}
	}
	if large < 2 {
		return nil
	}
	return parts
}

// partInst is the instance restricted to a part, with the whole of every
// budget and limit. Areas keep their deprivation weights and reach,
// sites and staff their order; the shared tables (services, modules,
// categories, years) are the instance's.
func (in *inst) partInst(pt part) *inst {
	sub := *in
	siteOf := make([]int, len(in.sites))
	staffOf := make([]int, len(in.staff))
	for i := range siteOf {
		siteOf[i] = -1
	}
	for i := range staffOf {
		staffOf[i] = -1
	}
	// The part's sites first, in order, so that a site's staff site has
	// its index, then its lenders.
	sub.staff = nil
	for _, i := range pt.staff {
		staffOf[i] = len(sub.staff)
		st := in.staff[i]
		if st.host >= 0 {
			siteOf[st.host] = len(sub.staff)
			st.host = len(sub.staff)
		}
		sub.staff = append(sub.staff, st)
	}
	offerOf := make([]int, len(in.offers))
	sub.offers = nil
	for o := range in.offers {
		offerOf[o] = -1
		if s := siteOf[in.offers[o].site]; s >= 0 {
			off := in.offers[o]
			off.site = s
			offerOf[o] = len(sub.offers)
			sub.offers = append(sub.offers, off)
		}
	}
	sub.sites = make([]siteInfo, len(pt.sites))
	for k, s := range pt.sites {
		si := in.sites[s]
		si.staff = staffOf[si.staff]
		si.offers = nil
		for _, o := range in.sites[s].offers {
			si.offers = append(si.offers, offerOf[o])
		}
		sub.sites[k] = si
	}
	sub.areas = make([]areaInfo, len(pt.areas))
	sub.dem = make([][][]float64, len(in.svc))
	sub.reach = make([][][]reachEntry, len(in.svc))
	for s := range in.svc {
		sub.dem[s] = make([][]float64, len(pt.areas))
		sub.reach[s] = make([][]reachEntry, len(pt.areas))
	}
	for k, a := range pt.areas {
		sub.areas[k] = in.areas[a]
		for s := range in.svc {
			sub.dem[s][k] = in.dem[s][a]
			for _, e := range in.reach[s][a] {
				if e.off = offerOf[e.off]; e.off >= 0 {
					sub.reach[s][k] = append(sub.reach[s][k], e)
				}
			}
		}
	}
	sub.arcs = nil
	for _, arc := range in.arcs {
		if staffOf[arc.from] >= 0 && staffOf[arc.to] >= 0 {
			arc.from, arc.to = staffOf[arc.from], staffOf[arc.to]
			sub.arcs = append(sub.arcs, arc)
		}
	}
	for b := range in.budgets {
		sub.budgets[b] = append([]float64(nil), in.budgets[b]...)
		sub.hasBud[b] = append([]bool(nil), in.hasBud[b]...)
	}
	return &sub
}

// partsResult is what the parts give the whole: their programmes joined
// as a network of the whole instance, and the sum of their bounds (in
// MAD).
type partsResult struct {
	w     network
	bound float64
	// parts counts the parts, open those whose programme is not within
	// the gap tolerance of their bound.
	parts, open int
}

// solveParts solves the parts of the programme (see divide) within
// partsShare of the time left, and joins their programmes. Each part has
// an equal share of what the parts before it left; the time the last
// leaves goes to the parts not yet within the gap tolerance (see
// solveOpenParts). nil when the programme is not divided or a part ends
// without a programme (then the whole model is searched as if the parts
// had not been tried).
func (r *run) solveParts() (*partsResult, error) {
	parts := r.divide()
	if parts == nil {
		return nil, nil
	}
	var ctx context.Context = r.ctx
	cancel := func() {}
	if _, ok := r.ctx.Deadline(); ok {
		ctx, cancel = r.share(partsShare)
	}
	defer cancel()
	states := make([]*partState, len(parts))
	for i, pt := range parts {
		st := r.newPartState(pt)
		states[i] = st
		if err := r.solvePart(ctx, st, len(parts)-i); err != nil {
			if r.user.Err() != nil {
				return nil, err
			}
			if errors.Is(err, gst.ErrInfeasible) || errors.Is(err, gst.ErrNoSolution) {
				r.note("the programme splits into %d parts that only the budgets and limits join; part %d (from area %q) ended without a programme (%v), so the whole was searched at once", len(parts), i+1, r.in.areas[pt.areas[0]].id, err)
				return nil, nil
			}
			return nil, err
		}
		r.reportParts(states)
	}
	r.solveOpenParts(ctx, states)
	r.reportParts(states)
	out := &partsResult{w: r.emptyNetwork(), parts: len(parts)}
	for _, st := range states {
		if gst.Gap(st.res.value, st.res.bound) > r.opt.GapTolerance {
			out.open++
		}
		out.bound += st.res.bound
		r.joinPart(out.w, st.res, st.pt)
		r.stats.merge(st.pr.stats)
	}
	return out, nil
}

// reportParts reports the sum of the bounds of the parts solved so far:
// a bound of the whole while the others run, as no part's objective is
// below zero (spend, unserved demand and travel, with no service that
// may close).
func (r *run) reportParts(states []*partState) {
	var b float64
	for _, st := range states {
		if st != nil && st.res != nil {
			b += st.res.bound
		}
	}
	r.prog.Report(math.NaN(), b)
}

// partState is a part being solved: its run, whose Benders cuts the
// part's next search starts from, and the best of its results (the best
// programme with the highest bound).
type partState struct {
	pt  part
	pr  *run
	res *result
}

func (r *run) newPartState(pt part) *partState {
	pr := &run{user: r.user, opt: r.opt, in: r.in.partInst(pt), main: true}
	pr.opt.Frontier, pr.opt.DecisionCosts, pr.opt.Sequential = nil, false, false
	return &partState{pt: pt, pr: pr}
}

// solveOpenParts gives the time the parts left (under a deadline) to
// those whose programme is not within the gap tolerance of their bound,
// the widest gap in MAD first, each an equal share of what is left: each
// search starts from the part's programme and its cuts.
func (r *run) solveOpenParts(ctx context.Context, states []*partState) {
	if _, ok := ctx.Deadline(); !ok {
		return
	}
	var open []*partState
	for _, st := range states {
		if gst.Gap(st.res.value, st.res.bound) > r.opt.GapTolerance {
			open = append(open, st)
		}
	}
	sort.SliceStable(open, func(i, j int) bool {
		return open[i].res.value-open[i].res.bound > open[j].res.value-open[j].res.bound
	})
	for i, st := range open {
		if ctx.Err() != nil {
			return
		}
		// A search that fails keeps the part's result before it.
		_ = r.solvePart(ctx, st, len(open)-i)
	}
}

// solvePart searches a part within 1/left of the time ctx has left,
// from its result so far when it has one.
func (r *run) solvePart(ctx context.Context, st *partState, left int) error {
	pctx, cancel := ctx, context.CancelFunc(func() {})
	if d, ok := ctx.Deadline(); ok {
		pctx, cancel = context.WithTimeout(ctx, time.Until(d)/time.Duration(left))
	}
	defer cancel()
	st.pr.ctx = pctx
	if st.res != nil {
		st.pr.seeds = []*result{st.res}
	}
	res, err := st.pr.solve(buildOpts{last: len(r.in.per) - 1})
	st.pr.seeds = nil
	if err != nil {
		return err
	}
	st.res = betterOf(st.res, res)
	return nil
}

// betterOf returns the better programme of a and b (b when a is nil),
// with the higher of their bounds.
func betterOf(a, b *result) *result {
	if a == nil {
		return b
	}
	out := *b
	if a.value < b.value {
		out = *a
	}
	out.bound = math.Max(a.bound, b.bound)
	return &out
}

// merge adds the figures of another run's models: counts and times add
// up, sizes are the largest.
func (st *ModelStats) merge(o ModelStats) {
	st.Rows, st.Columns = max(st.Rows, o.Rows), max(st.Columns, o.Columns)
	st.Integers, st.Nonzeros = max(st.Integers, o.Integers), max(st.Nonzeros, o.Nonzeros)
	st.EstimatedBytes, st.Blocks = max(st.EstimatedBytes, o.EstimatedBytes), max(st.Blocks, o.Blocks)
	st.Solves += o.Solves
	st.Nodes += o.Nodes
	st.Iterations += o.Iterations
	st.CutRounds += o.CutRounds
	st.Cuts += o.Cuts
	st.MasterTime += o.MasterTime
	st.BlockTime += o.BlockTime
	st.Evaluations += o.Evaluations
	st.EvaluationTime += o.EvaluationTime
}

// emptyNetwork is a network of the instance with nothing built, offered
// or installed.
func (r *run) emptyNetwork() network {
	np := len(r.in.per)
	w := network{z: make([][]float64, len(r.in.sites)), y: make([][]float64, len(r.in.offers)), n: make([][][]float64, len(r.in.offers))}
	for s := range w.z {
		w.z[s] = make([]float64, np)
	}
	for o := range w.y {
		w.y[o] = make([]float64, np)
		w.n[o] = make([][]float64, len(r.in.offers[o].installed))
		for k := range w.n[o] {
			w.n[o][k] = make([]float64, np)
		}
	}
	return w
}

// joinPart copies the network of a part's programme into w, the
// network of the whole.
func (r *run) joinPart(w network, res *result, pt part) {
	pw := res.md.networkOf(res.x)
	in := map[int]bool{}
	for k, s := range pt.sites {
		copy(w.z[s], pw.z[k])
		in[s] = true
	}
	// The part's offers are the whole's whose site is in the part, in
	// the same order (see partInst).
	k := 0
	for o := range r.in.offers {
		if !in[r.in.offers[o].site] {
			continue
		}
		copy(w.y[o], pw.y[k])
		for j := range w.n[o] {
			copy(w.n[o][j], pw.n[k][j])
		}
		k++
	}
}

// forMain reports whether the parts' programme and bound are md's: the
// main model (weighted, every period, with staff and the problem's
// budgets).
func (r *run) forMain(md *model) bool {
	o := md.o
	return r.parts != nil && o.stage == weighted && o.unservedCap == 0 && !o.noStaff && !o.today && !o.elastic &&
		o.last == len(r.in.per)-1 && (o.budgetScale == 0 || o.budgetScale == 1)
}

// partsBound is the bound the parts prove for the model md, in the
// model's units, or -Inf when they prove none for it (another model than
// the main one, or no parts).
func (r *run) partsBound(md *model) float64 {
	if !r.forMain(md) {
		return math.Inf(-1)
	}
	return r.parts.bound * moneyScale
}

// offerParts offers the parts' programmes joined, valued on the whole
// model, when pb (see partsBound) is a bound of s's model, and reports
// whether it is within the gap tolerance of pb.
func (s *search) offerParts(pb float64) bool {
	pr := s.r.parts
	if math.IsInf(pb, -1) {
		return false
	}
	x, _, ok := s.valueOf(s.evaluator(), pr.w, math.Inf(1))
	if !ok {
		s.r.note("the programme splits into %d parts that only the budgets and limits join; their programmes together break a budget or limit, so the whole was searched, with their bound (%.0f MAD) beside its own", pr.parts, pr.bound)
		return false
	}
	s.offer(x)
	if !s.closedBy(pb, s.r.opt.GapTolerance) {
		s.r.note("the programme splits into %d parts that only the budgets and limits join (%d of them not within the gap tolerance when their time ran out); the search of the whole started from their programmes together (%.0f MAD), with their bound (%.0f MAD) beside its own", pr.parts, pr.open, s.md.m.ObjValue(x)/moneyScale, pr.bound)
		return false
	}
	s.r.note("the programme splits into %d parts that only the budgets and limits join: each was solved on its own with the whole budgets and limits (a relaxation, whose bounds add up to a bound of the programme), and their programmes together keep the budgets and limits", pr.parts)
	return true
}
