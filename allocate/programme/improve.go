package programme

import (
	"math"
	"sort"
)

// maxImproveSolves bounds the relaxations improve solves: a limit of work,
// the same on every machine.
const maxImproveSolves = 60

// improve lowers the incumbent by changing its decisions one at a time,
// toward the root's relaxation first: a module type whose count the
// relaxation wants higher (lower) than the incumbent's gets one module more
// (fewer) from the first period it does, most wanted first; then every
// offer the incumbent opens is not opened, or opened one period later, and
// every module type it adds has one module fewer. Each variant fixes every
// site, service and module decision and solves the rest (staffing,
// assignment) as a node; the first that lowers the objective becomes the
// incumbent, and the variants of the new incumbent are tried in turn.
// Rounding a relaxation period by period takes decisions that part of a
// module paid for; this takes back those that do not pay in whole, and
// adds those that rounding left out.
func (s *search) improve(root []float64) {
	solves := 0
	for s.inc != nil && solves < maxImproveSolves {
		improved := false
		w := s.md.networkOf(s.inc)
		variants := append(s.md.towardVariants(w, s.relaxedModules(root)), s.md.dropVariants(w)...)
		for _, net := range variants {
			if solves >= maxImproveSolves || s.r.ctx.Err() != nil {
				return
			}
			fix, ok := s.fixAll(net)
			if !ok {
				continue
			}
			solves++
			sol, err := s.solveNode(&bnbNode{fix: fix})
			if err != nil || s.branchColumn(sol.X) >= 0 {
				continue
			}
			if sol.Objective >= s.incV*(1-1e-9) {
				continue
			}
			if x, err := s.rx.complete(sol.X); err == nil && s.md.m.ObjValue(x) < s.incV*(1-1e-9) {
				s.offer(x)
				improved = true
				break
			}
		}
		if !improved {
			return
		}
	}
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

// towardVariants moves one module type at a time one module toward the
// relaxation's count rel, from the first period where they differ by more
// than a twentieth of a module; the largest differences first.
func (md *model) towardVariants(w network, rel [][][]float64) []network {
	type cand struct {
		v    network
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
				v := w.clone()
				ok := true
				for q := p; q < md.np; q++ {
					v.n[o][k][q] = math.Max(0, v.n[o][k][q]+math.Copysign(1, d))
					total := 0.0
					for kk := range v.n[o] {
						total += v.n[o][kk][q]
					}
					v.y[o][q] = b2f(total > 0.5)
					if d < 0 && w.y[o][q] > 0.5 && total < 0.5 && md.in.offers[o].openToday {
						ok = false
					}
				}
				if ok {
					cs = append(cs, cand{md.withSites(v), math.Abs(d)})
				}
				break
			}
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].diff > cs[b].diff })
	out := make([]network, len(cs))
	for i, c := range cs {
		out[i] = c.v
	}
	return out
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
func (md *model) dropVariants(w network) []network {
	in := md.in
	var out []network
	for o := range in.offers {
		off := &in.offers[o]
		if in.svc[off.svc].rule.MayClose {
			continue
		}
		first := -1
		for p := 0; p < md.np; p++ {
			if w.y[o][p] > 0.5 {
				first = p
				break
			}
		}
		if first >= 0 && !off.openToday {
			v := w.clone()
			for p := first; p < md.np; p++ {
				v.y[o][p] = 0
				for k := range v.n[o] {
					v.n[o][k][p] = 0
				}
			}
			out = append(out, md.withSites(v))
			if first+1 < md.np {
				v := w.clone()
				v.y[o][first] = 0
				for k := range v.n[o] {
					v.n[o][k][first] = 0
				}
				out = append(out, md.withSites(v))
			}
		}
		for k := range w.n[o] {
			if v, ok := md.oneModuleFewer(w, o, k); ok {
				out = append(out, v)
			}
		}
	}
	return out
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
