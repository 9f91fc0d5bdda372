package programme

import (
	"math"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

func (md *model) row(e linExpr, sense lp.Sense, rhs float64) int {
	if len(e.cols) == 0 {
		return -1
	}
	return md.m.AddRow("", e.cols, e.coefs, sense, rhs-e.c)
}

// Slack weights of an elastic model, per unit of each rule's unit. The
// limits a user sets (budgets in millions of MAD, recruitment caps in FTE,
// coverage shares in volume) give first; the staffing of modules that must
// run gives only when no budget or cap can help.
const (
	slackPerFTE      = 1.0
	slackPerMAD      = 1.0 // per million MAD: budget rows are in millions
	slackPerVolume   = 1e-3
	slackPerStaffing = 1e4
)

// rule adds a hard rule with its tag; in an elastic model the rule gets a
// slack column that lets it give.
func (md *model) rule(e linExpr, sense lp.Sense, rhs float64, tag rowTag) int {
	tag.slack = -1
	if md.o.elastic {
		w := slackPerFTE
		switch {
		case tag.rule == "staffing":
			w = slackPerStaffing
		case tag.unit == "MAD":
			w = slackPerMAD
		case tag.unit == "volume":
			w = slackPerVolume
		}
		tag.slack = md.m.AddVar("", 0, math.Inf(1), w, lp.Continuous)
		if sense == lp.LE {
			e.add(tag.slack, -1)
		} else {
			e.add(tag.slack, 1)
		}
	}
	tag.row = md.row(e, sense, rhs)
	tag.rhs = rhs - e.c
	if tag.row >= 0 {
		md.tags = append(md.tags, tag)
	}
	return tag.row
}

func expr(pairs ...any) linExpr {
	var e linExpr
	for k := 0; k+1 < len(pairs); k += 2 {
		e.add(pairs[k].(int), pairs[k+1].(float64))
	}
	return e
}

// networkRows tie the sites, services and modules together over time: a
// candidate's services need the site built, and it is built when the
// first of them opens; what is built stays; a
// service open has at least one module and at most its maximum; modules
// only grow while the service stays open.
func (md *model) networkRows() {
	in := md.in
	for s := range in.sites {
		for p := 0; p < md.np; p++ {
			if md.z[s][p] < 0 {
				continue
			}
			if p > 0 {
				md.row(expr(md.z[s][p], 1.0, md.z[s][p-1], -1.0), lp.GE, 0)
			}
			// A site is built in the period its first service opens: not
			// before.
			e := expr(md.z[s][p], 1.0)
			for _, o := range in.sites[s].offers {
				e.add(md.y[o][p], -1)
			}
			if p > 0 {
				e.add(md.z[s][p-1], -1)
			}
			md.row(e, lp.LE, 0)
		}
	}
	for o := range in.offers {
		off := &in.offers[o]
		z := md.z[off.site]
		for p := 0; p < md.np; p++ {
			if z[p] >= 0 {
				md.row(expr(md.y[o][p], 1.0, z[p], -1.0), lp.LE, 0)
			}
			md.moduleRows(o, p)
		}
		if !md.o.today {
			md.serviceRows(o)
		}
	}
}

// moduleRows: each module type within its maximum while the service is
// open, and at least one module when it is.
func (md *model) moduleRows(o, p int) {
	off := &md.in.offers[o]
	var atLeast linExpr
	for k := range off.installed {
		md.row(expr(md.n[o][k][p], 1.0, md.y[o][p], -float64(off.maxMods[k])), lp.LE, 0)
		atLeast.add(md.n[o][k][p], 1)
	}
	atLeast.add(md.y[o][p], -1)
	md.row(atLeast, lp.GE, 0)
}

// serviceRows: the service and its modules over time. A service that may
// not close stays open and keeps its modules; one that may close opens or
// closes (opn, cls) and drops its modules only by closing.
func (md *model) serviceRows(o int) {
	in := md.in
	off := &in.offers[o]
	may := in.svc[off.svc].rule.MayClose
	today := 0.0
	if off.openToday {
		today = 1
	}
	for p := 0; p < md.np; p++ {
		prevY := expr()
		prevY.c = today
		if p > 0 {
			prevY = expr(md.y[o][p-1], 1.0)
		}
		if !may {
			if p > 0 {
				md.row(expr(md.y[o][p], 1.0, md.y[o][p-1], -1.0), lp.GE, 0)
				for k := range off.installed {
					md.row(expr(md.n[o][k][p], 1.0, md.n[o][k][p-1], -1.0), lp.GE, 0)
				}
			}
			continue
		}
		// opn ≥ y_p − y_{p−1}; cls ≥ y_{p−1} − y_p.
		e := expr(md.opn[o][p], 1.0, md.y[o][p], -1.0)
		e.addExpr(prevY, 1)
		md.row(e, lp.GE, 0)
		e = expr(md.cls[o][p], 1.0, md.y[o][p], 1.0)
		e.addExpr(prevY, -1)
		md.row(e, lp.GE, 0)
		for k := range off.installed {
			prevN := expr()
			prevN.c = float64(off.installed[k])
			if p > 0 {
				prevN = expr(md.n[o][k][p-1], 1.0)
			}
			// n_p ≥ n_{p−1} − max·(1 − y_p): modules fall only by closing.
			e := expr(md.n[o][k][p], 1.0, md.y[o][p], -float64(off.maxMods[k]))
			e.addExpr(prevN, -1)
			md.row(e, lp.GE, -float64(off.maxMods[k]))
			// add_p ≥ n_p − n_{p−1}.
			e = expr(md.add[o][k][p], 1.0, md.n[o][k][p], -1.0)
			e.addExpr(prevN, 1)
			md.row(e, lp.GE, 0)
		}
	}
}

// assignmentRows: in every year, every area's demand is sent to open
// sites within its reach or left unserved, and only to sites where the
// service is open that year.
func (md *model) assignmentRows() {
	in := md.in
	for s := range in.svc {
		for a := range in.areas {
			for t := 0; t < md.years(); t++ {
				if md.u[s][a][t] < 0 {
					continue
				}
				p := in.perOf[t]
				e := expr(md.u[s][a][t], 1.0)
				for k, r := range in.reach[s][a] {
					e.add(md.x[s][a][k][t], 1)
					if lo, _ := md.m.Bounds(md.y[r.off][p]); lo < 1 {
						i := md.row(expr(md.x[s][a][k][t], 1.0, md.y[r.off][p], -1.0), lp.LE, 0)
						md.flowRows[i] = flowRow{kind: rowXY, s: s, t: t, a: a, k: k}
					}
				}
				i := md.row(e, lp.EQ, 1)
				md.flowRows[i] = flowRow{kind: rowAssign, s: s, t: t, a: a}
			}
		}
	}
}

// capacityRows: in every year, what a site serves is within the capacity
// of its modules.
func (md *model) capacityRows() {
	in := md.in
	sent := make([][]struct{ s, a, k int }, len(in.offers))
	for s := range in.svc {
		for a := range in.areas {
			for k, r := range in.reach[s][a] {
				sent[r.off] = append(sent[r.off], struct{ s, a, k int }{s, a, k})
			}
		}
	}
	for o := range in.offers {
		off := &in.offers[o]
		for t := 0; t < md.years(); t++ {
			var e linExpr
			for _, x := range sent[o] {
				e.add(md.x[x.s][x.a][x.k][t], in.dem[x.s][x.a][t])
			}
			if len(e.cols) == 0 {
				continue
			}
			p := in.perOf[t]
			for k, mi := range in.svc[off.svc].mods {
				e.add(md.n[o][k][p], -in.mods[mi].m.Capacity)
			}
			i := md.row(e, lp.LE, 0)
			md.flowRows[i] = flowRow{kind: rowCap, s: off.svc, t: t, k: o}
		}
	}
}

// requirement is the expression of the staff of a category the modules of
// a site need in a period.
func (md *model) requirement(site, c, p int) linExpr {
	in := md.in
	var e linExpr
	for _, o := range in.sites[site].offers {
		for _, r := range in.svc[in.offers[o].svc].team {
			if r.cat == c {
				e.add(md.y[o][p], r.fte)
			}
		}
		for k, mi := range in.svc[in.offers[o].svc].mods {
			for _, r := range in.mods[mi].req {
				if r.cat == c {
					e.add(md.n[o][k][p], r.fte)
				}
			}
		}
	}
	return e
}

// staffRows: at every establishment, for every category and period, the
// staff the modules need that is not received from others, plus what is
// lent, is within the free staff on roll and the recruits; what is
// received is at most what the modules need; what is lent keeps the share
// of time away and the safe staffing.
func (md *model) staffRows() {
	in := md.in
	out := make([][][]int, len(in.staff))
	inc := make([][][]int, len(in.staff))
	for i := range in.staff {
		out[i] = make([][]int, len(in.cats))
		inc[i] = make([][]int, len(in.cats))
	}
	for k, a := range in.arcs {
		out[a.from][a.cat] = append(out[a.from][a.cat], k)
		inc[a.to][a.cat] = append(inc[a.to][a.cat], k)
	}
	for i := range in.staff {
		for c := range in.cats {
			for p := 0; p < md.np; p++ {
				md.staffRowsAt(i, c, p, out[i][c], inc[i][c])
			}
		}
	}
}

func (md *model) staffRowsAt(i, c, p int, out, inc []int) {
	in := md.in
	st := &in.staff[i]
	var req linExpr
	if st.host >= 0 {
		req = md.requirement(st.host, c, p)
	}
	if len(req.cols) == 0 && len(out) == 0 {
		return
	}
	stock := md.stock(i, c, p)
	var lent, recv linExpr
	for _, k := range out {
		lent.add(md.pool[k][p], 1)
	}
	for _, k := range inc {
		recv.add(md.pool[k][p], 1)
	}
	// Own use + lent ≤ free staff + recruits.
	e := req.clone()
	e.addExpr(recv, -1)
	e.addExpr(lent, 1)
	e.addExpr(stock, -1)
	md.rule(e, lp.LE, st.avail[c][p], rowTag{rule: "staffing", site: i, cat: c, svc: -1, year: in.per[p].last, unit: "FTE"})
	if len(inc) > 0 {
		e := recv.clone()
		e.addExpr(req, -1)
		md.row(e, lp.LE, 0)
	}
	if len(out) == 0 {
		return
	}
	share := in.pool.MaxAwayShare
	e = lent.clone()
	e.addExpr(stock, -share)
	md.row(e, lp.LE, share*st.onroll[c][p])
	if ms := in.pool.MinStayFTE; ms > 0 {
		e = lent.clone()
		e.addExpr(stock, -1)
		md.row(e, lp.LE, max(0, st.onroll[c][p]-ms))
	}
}

// recruitRows: the region recruits at most its training output, and pools
// at most MaxPooledFTE.
func (md *model) recruitRows() {
	in := md.in
	md.recRow = grid2(len(in.cats), md.np)
	for c := range in.cats {
		for p := 0; p < md.np; p++ {
			var e linExpr
			for i := range in.staff {
				e.add(md.hire[i][c][p], 1)
			}
			md.recRow[c][p] = md.rule(e, lp.LE, in.cats[c].recruit*float64(in.per[p].years),
				rowTag{rule: "recruitment", site: -1, cat: c, svc: -1, year: in.per[p].start, unit: "FTE"})
		}
	}
	if in.pool.MaxPooledFTE > 0 {
		for p := 0; p < md.np; p++ {
			var e linExpr
			for k := range in.arcs {
				e.add(md.pool[k][p], 1)
			}
			md.row(e, lp.LE, in.pool.MaxPooledFTE)
		}
	}
}

// coverageRows: in each province bound by a rule, from its first period,
// at least the share of each year's demand is served within the standard.
func (md *model) coverageRows() {
	in := md.in
	if md.o.today {
		return // today's network is described, not bound
	}
	for _, rule := range in.p.MinCoverage {
		from := 0
		if rule.FromYear != 0 {
			from = in.firstPeriodFrom(rule.FromYear)
		}
		for s := range in.svc {
			if rule.Service != "" && rule.Service != in.svc[s].id {
				continue
			}
			for _, prov := range md.provinces(rule.Province, s) {
				for p := from; p < md.np; p++ {
					per := in.per[p]
					for t := per.y0; t < per.y0+per.years; t++ {
						md.coverageRow(s, prov, t, rule.MinShare)
					}
				}
			}
		}
	}
}

func (md *model) coverageRow(s int, prov string, t int, share float64) {
	in := md.in
	var e linExpr
	var total float64
	for a := range in.areas {
		if string(in.areas[a].province) != prov {
			continue
		}
		d := in.dem[s][a][t]
		total += d
		for k, r := range in.reach[s][a] {
			if r.minutes <= in.svc[s].standard {
				e.add(md.x[s][a][k][t], d)
			}
		}
	}
	if total <= 0 {
		return
	}
	if len(e.cols) == 0 {
		// No site within the standard: the row cannot hold; keep it so
		// that the model says infeasible (a column fixed at zero).
		e.add(md.m.AddVar("", 0, 0, 0, lp.Continuous), 1)
	}
	md.rule(e, lp.GE, share*total, rowTag{rule: "coverage", site: -1, cat: -1, svc: s, prov: prov, year: in.years[t], unit: "volume"})
}

// provinces lists the provinces a coverage rule binds for a service:
// only, or every province with demand for the service, sorted.
func (md *model) provinces(only gst.ProvinceID, s int) []string {
	if only != "" {
		return []string{string(only)}
	}
	set := map[string]bool{}
	for a := range md.in.areas {
		if md.hasDemand(s, a) {
			set[string(md.in.areas[a].province)] = true
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
