package programme

import (
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst"
)

// fteEps is the FTE below which staff is not listed.
const fteEps = 1e-6

// clean rounds away solver noise: values within 1e-7 of an integer
// multiple of 1e-6 are snapped to it.
func clean(v float64) float64 {
	r := math.Round(v*1e6) / 1e6
	if math.Abs(v-r) < 1e-7 {
		v = r
	}
	if v == 0 {
		return 0 // no negative zero
	}
	return v
}

func (md *model) intAt(x []float64, col int) int {
	if col < 0 {
		return 0
	}
	return int(math.Round(x[col]))
}

// plan turns a solved model into a Plan.
func (r *run) plan(res *result) *Plan {
	md, x := res.md, res.x
	pl := &Plan{Status: res.status, Value: clean(res.value), Bound: clean(res.bound), Method: methodOf(res),
		Lexicographic: r.in.obj.Lexicographic}
	pl.Gap = gst.Gap(res.value, res.bound)
	if pl.Gap <= r.opt.GapTolerance && pl.Status.HasSolution() {
		pl.Status = gst.StatusOptimal
	}
	if pl.Lexicographic {
		pl.UnservedValue = clean(md.o.unservedCap)
	}
	pl.Terms = md.terms(x)
	for t := range r.in.years {
		pl.Years = append(pl.Years, md.year(x, t))
	}
	return pl
}

// methodOf says how a result was found.
func methodOf(res *result) string {
	switch rx := res.rx.(type) {
	case nil:
		return "mip: lp_solve's branch and bound over the whole programme"
	case *bendersRelaxation:
		return fmt.Sprintf("benders: branch and bound over a master of the integer decisions and recruits, with cuts from %d blocks (assignment by the network simplex, pooling by linear programmes)", len(rx.d.blocks))
	}
	return "compact: branch and bound over the whole programme's linear relaxation"
}

// terms evaluates the discounted terms of the objective.
func (md *model) terms(x []float64) Terms {
	var t Terms
	for y := 0; y < md.years() && y < len(md.capital); y++ {
		t.Capital += md.in.disc[y] * md.capital[y].value(x)
		t.Running += md.in.disc[y] * md.running[y].value(x)
	}
	t.Travel = md.travel.value(x)
	t.Unserved = md.unserved.value(x)
	return Terms{Capital: clean(t.Capital), Running: clean(t.Running), Travel: clean(t.Travel), Unserved: clean(t.Unserved)}
}

// year builds one calendar year of the plan.
func (md *model) year(x []float64, t int) Year {
	in := md.in
	p := in.perOf[t]
	y := Year{Year: in.years[t], PeriodStart: in.per[p].start}
	y.Spend = md.spend(x, p, t)
	y.CapitalMAD = clean(md.capital[t].value(x))
	y.RunningMAD = clean(md.running[t].value(x))
	y.CapitalBudgetMAD = md.budgetOf(x, capital, t)
	y.RunningBudgetMAD = md.budgetOf(x, running, t)
	y.Openings = []Opening{}
	if in.per[p].y0 == t {
		y.Openings = md.openings(x, p)
	}
	y.Staffing = md.staffing(x, p)
	y.Recruited = md.recruited(x, p, t)
	y.Figures = md.figures(x, p, t)
	return y
}

// spend evaluates the items of a year's spend.
func (md *model) spend(x []float64, p, t int) Spend {
	var s Spend
	set := func(kind string, v float64) {
		v = clean(v)
		switch kind {
		case "sites":
			s.Sites = v
		case "setup":
			s.Setup = v
		case "modules":
			s.Modules = v
		case "closing":
			s.Closing = v
		case "module_running":
			s.ModuleRun = v
		case "salaries":
			s.Salaries = v
		case "recruitment":
			s.Recruitment = v
		case "pooling":
			s.Pooling = v
		}
	}
	if md.in.per[p].y0 == t {
		for _, it := range md.spendItems(p) {
			set(it.kind, it.e.value(x))
		}
	}
	for _, it := range md.runningItems(p, t) {
		set(it.kind, it.e.value(x))
	}
	return s
}

// budgetOf returns what a year may spend from a budget, carry-over
// included; nil when the year has no budget.
func (md *model) budgetOf(x []float64, b, t int) *float64 {
	in := md.in
	if !in.hasBud[b][t] {
		return nil
	}
	v := in.budgets[b][t] * md.o.budgetScale
	if in.p.CarryOver {
		spend := md.capital
		if b == running {
			spend = md.running
		}
		for s := 0; s < t; s++ {
			if in.hasBud[b][s] {
				v += in.budgets[b][s]*md.o.budgetScale - spend[s].value(x)
			}
		}
	}
	v = clean(v)
	return &v
}

// openings lists the decisions taken at the start of period p.
func (md *model) openings(x []float64, p int) []Opening {
	in := md.in
	out := []Opening{}
	for o := range in.offers {
		off := &in.offers[o]
		was := off.openToday
		if p > 0 {
			was = md.intAt(x, md.y[o][p-1]) == 1
		}
		is := md.intAt(x, md.y[o][p]) == 1
		op := Opening{Establishment: in.sites[off.site].id, Name: in.sites[off.site].e.Name, Service: in.svc[off.svc].id,
			ByModule: []ModuleCount{}}
		for k, mi := range in.svc[off.svc].mods {
			before := off.installed[k]
			if p > 0 {
				before = md.intAt(x, md.n[o][k][p-1])
			}
			now := md.intAt(x, md.n[o][k][p])
			d := now - before
			if !is {
				d = before
			}
			if d > 0 {
				op.ByModule = append(op.ByModule, ModuleCount{Module: in.mods[mi].m.ID, Count: d})
				op.Modules += d
			}
		}
		switch {
		case is && !was:
			op.Action = ActionOpen
			op.Candidate = in.sites[off.site].candidate
		case !is && was:
			op.Action = ActionClose
		case is && op.Modules > 0:
			op.Action = ActionEnlarge
		default:
			continue
		}
		out = append(out, op)
	}
	return out
}

// supply is staff available to a site's modules in a period.
type supply struct {
	src     string
	from    gst.EstablishmentID
	minutes float64
	fte     float64
}

// siteSupply lists, in order of use, the staff of a category that works
// for a site's own modules in period p: its existing staff first, then its
// recruits, then staff received from others (by lender ID).
func (md *model) siteSupply(x []float64, site, c, p int, req float64) []supply {
	in := md.in
	st := in.sites[site].staff
	var out []supply
	var recv float64
	var pooled []supply
	for k, a := range in.arcs {
		if a.to != st || a.cat != c || md.pool == nil {
			continue
		}
		if v := x[md.pool[k][p]]; v > fteEps {
			recv += v
			pooled = append(pooled, supply{src: SourcePooled, from: in.staff[a.from].id, minutes: a.minutes, fte: v})
		}
	}
	own := math.Max(0, req-recv)
	fromRoll := math.Min(own, in.staff[st].avail[c][p])
	if fromRoll > fteEps {
		out = append(out, supply{src: SourceOnRoll, fte: fromRoll})
	}
	if rest := own - fromRoll; rest > fteEps {
		out = append(out, supply{src: SourceRecruited, fte: rest})
	}
	sort.Slice(pooled, func(i, j int) bool { return pooled[i].from < pooled[j].from })
	return append(out, pooled...)
}

// staffing lists the staff of every module open in period p, by site,
// service and category: each site's supply fills its services in order.
func (md *model) staffing(x []float64, p int) []Staffing {
	in := md.in
	out := []Staffing{}
	for s := range in.sites {
		for c := range in.cats {
			out = append(out, md.siteStaffing(x, s, c, p)...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Establishment != b.Establishment {
			return a.Establishment < b.Establishment
		}
		if a.Service != b.Service {
			return md.in.svcIndex(a.Service) < md.in.svcIndex(b.Service)
		}
		return a.Category < b.Category
	})
	return out
}

func (md *model) siteStaffing(x []float64, s, c, p int) []Staffing {
	in := md.in
	var rows []Staffing
	var total float64
	for _, o := range in.sites[s].offers {
		off := &in.offers[o]
		var req float64
		mods := 0
		for _, rq := range in.svc[off.svc].team {
			if rq.cat == c {
				req += rq.fte
			}
		}
		for k, mi := range in.svc[off.svc].mods {
			n := md.intAt(x, md.n[o][k][p])
			mods += n
			for _, rq := range in.mods[mi].req {
				if rq.cat == c {
					req += float64(n) * rq.fte
				}
			}
		}
		if mods == 0 || md.intAt(x, md.y[o][p]) == 0 || req <= 0 {
			continue
		}
		total += req
		rows = append(rows, Staffing{Establishment: in.sites[s].id, Name: in.sites[s].e.Name, Service: in.svc[off.svc].id,
			Category: in.cats[c].id, Modules: mods, RequiredFTE: clean(req), Assigned: []Sourced{}})
	}
	if len(rows) == 0 {
		return nil
	}
	sup := md.siteSupply(x, s, c, p, total)
	k := 0
	for i := range rows {
		need := rows[i].RequiredFTE
		for need > fteEps && k < len(sup) {
			take := math.Min(need, sup[k].fte)
			rows[i].Assigned = append(rows[i].Assigned, Sourced{Source: sup[k].src, From: sup[k].from, FTE: clean(take), Minutes: clean(sup[k].minutes)})
			need -= take
			sup[k].fte -= take
			if sup[k].fte <= fteEps {
				k++
			}
		}
	}
	return rows
}

// recruited lists the staff recruited in year index t (the first year of
// period p), by category and site.
func (md *model) recruited(x []float64, p, t int) []Recruited {
	in := md.in
	out := []Recruited{}
	if md.hire == nil || in.per[p].y0 != t {
		return out
	}
	for c := range in.cats {
		rec := Recruited{Category: in.cats[c].id, Sites: []SiteFTE{}}
		for i := range in.staff {
			col := md.hire[i][c][p]
			if col < 0 || x[col] <= fteEps {
				continue
			}
			rec.FTE += x[col]
			rec.Sites = append(rec.Sites, SiteFTE{Establishment: in.staff[i].id, FTE: clean(x[col])})
		}
		if rec.FTE > fteEps {
			rec.FTE = clean(rec.FTE)
			out = append(out, rec)
		}
	}
	return out
}
