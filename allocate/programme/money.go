package programme

import (
	"math"

	"github.com/gstplan/gst/internal/lp"
)

// moneyExprs builds the capital and running spend of every year of the
// horizon (see Spend). A model of the first periods only (the sequential
// plan's steps) also carries the years after them, with nothing more
// decided: what it opens keeps running, its recruits stay on the payroll
// and its pooling goes on, and that spend must fit those years' budgets
// too, although it is not in the objective.
func (md *model) moneyExprs() {
	in := md.in
	ny := len(in.years)
	md.capital = make([]linExpr, ny)
	md.running = make([]linExpr, ny)
	for p := 0; p < md.np; p++ {
		md.capital[in.per[p].y0] = md.capitalOf(p)
	}
	for t := 0; t < ny; t++ {
		md.running[t] = md.runningOf(min(in.perOf[t], md.np-1), t)
	}
}

// capitalOf is the capital spent at the start of period p.
func (md *model) capitalOf(p int) linExpr {
	var e linExpr
	for _, it := range md.spendItems(p) {
		if it.capital {
			e.addExpr(it.e, 1)
		}
	}
	return e
}

// spendItem is one item of spend: its kind (a Spend field) and expression.
type spendItem struct {
	kind    string
	capital bool
	e       linExpr
}

// spendItems lists the capital items of period p: sites built, services
// set up and closed, modules added.
func (md *model) spendItems(p int) []spendItem {
	in := md.in
	var sites, setup, mods, closing linExpr
	for s := range in.sites {
		if md.z[s][p] < 0 {
			continue
		}
		sites.add(md.z[s][p], in.sites[s].openCost)
		if p > 0 {
			sites.add(md.z[s][p-1], -in.sites[s].openCost)
		}
	}
	for o := range in.offers {
		off := &in.offers[o]
		rule := in.svc[off.svc].rule
		setup.addExpr(md.opened(o, p), rule.SetupMAD)
		if md.cls[o][p] >= 0 {
			closing.add(md.cls[o][p], rule.CloseMAD)
		}
		for k, mi := range in.svc[off.svc].mods {
			mods.addExpr(md.added(o, k, p), in.mods[mi].m.CapitalMAD)
		}
	}
	return []spendItem{{"sites", true, sites}, {"setup", true, setup}, {"modules", true, mods}, {"closing", true, closing}}
}

// opened is the expression of the service opening at the start of period
// p (0 or 1).
func (md *model) opened(o, p int) linExpr {
	if md.opn[o][p] >= 0 {
		return expr(md.opn[o][p], 1.0)
	}
	e := expr(md.y[o][p], 1.0)
	if p > 0 {
		e.add(md.y[o][p-1], -1)
	} else if md.in.offers[o].openToday {
		e.c = -1
	}
	return e
}

// added is the expression of the modules of type k added at the start of
// period p.
func (md *model) added(o, k, p int) linExpr {
	if md.add[o][k][p] >= 0 {
		return expr(md.add[o][k][p], 1.0)
	}
	e := expr(md.n[o][k][p], 1.0)
	if p > 0 {
		e.add(md.n[o][k][p-1], -1)
	} else {
		e.c = -float64(md.in.offers[o].installed[k])
	}
	return e
}

// runningOf is the running spend of year index t in period p.
func (md *model) runningOf(p, t int) linExpr {
	var e linExpr
	for _, it := range md.runningItems(p, t) {
		e.addExpr(it.e, 1)
	}
	return e
}

// runningItems lists the running items of year index t in period p:
// modules beyond today's, salaries and recruitment of recruits, pooling.
func (md *model) runningItems(p, t int) []spendItem {
	in := md.in
	var run, sal, rec, pool linExpr
	for o := range in.offers {
		off := &in.offers[o]
		for k, mi := range in.svc[off.svc].mods {
			c := in.mods[mi].m.RunningMAD
			run.add(md.n[o][k][p], c)
			run.c -= c * float64(off.installed[k])
		}
	}
	year := in.years[t]
	if md.hire != nil {
		for i := range in.staff {
			for c := range in.cats {
				for q := 0; q <= p; q++ {
					col := md.hire[i][c][q]
					if col < 0 {
						continue
					}
					if in.per[q].y0 == t {
						rec.add(col, in.cats[c].recMAD)
					}
					if a := in.arrive[c][q]; a <= p && in.per[a].start <= year {
						sal.add(col, in.cats[c].salary*math.Pow(1-in.cats[c].attr, float64(year-in.per[a].start)))
					}
				}
			}
		}
	}
	if md.pool != nil {
		for k := range in.arcs {
			pool.add(md.pool[k][p], in.arcs[k].costYear)
		}
	}
	return []spendItem{{"module_running", false, run}, {"salaries", false, sal}, {"recruitment", false, rec}, {"pooling", false, pool}}
}

// budgetRows bound each year's capital and running spend and the whole
// horizon's. With carry-over the rows are cumulative over the years that
// have a budget: a year may spend what earlier budgeted years left.
func (md *model) budgetRows() {
	in := md.in
	ny := len(in.years)
	for b, spend := range [2][]linExpr{md.capital, md.running} {
		md.budRow[b] = make([]int, ny)
		var cum linExpr
		var cumBudget float64
		for t := 0; t < ny; t++ {
			md.budRow[b][t] = -1
			if !in.hasBud[b][t] {
				continue
			}
			e, rhs := spend[t].clone(), in.budgets[b][t]
			if in.p.CarryOver {
				cum.addExpr(spend[t], 1)
				cumBudget += in.budgets[b][t]
				e, rhs = cum.clone(), cumBudget
			}
			md.budRow[b][t] = md.budgetRow(e, rhs, budgetNames[b], in.years[t])
		}
	}
	if in.p.TotalBudgetMAD > 0 {
		var e linExpr
		for t := 0; t < ny; t++ {
			e.addExpr(md.capital[t], 1)
			e.addExpr(md.running[t], 1)
		}
		md.totalRow = md.budgetRow(e, in.p.TotalBudgetMAD, "total budget", 0)
	}
}

// budgetRow adds spend ≤ budget × the model's budget scale, and keeps
// the budget and the spend's constant (see budgetLine); a spend without
// columns that exceeds the budget gets a column fixed at zero so that the
// model is infeasible.
func (md *model) budgetRow(e linExpr, budget float64, rule string, year int) int {
	e.scale(moneyScale)
	bl := budgetLine{budget: budget, c: e.c, row: -1, cols: len(e.cols) > 0, tag: -1}
	rhs := bl.rhs(md.o.budgetScale)
	if len(e.cols) == 0 {
		if e.c <= rhs {
			md.budgetLines = append(md.budgetLines, bl)
			return -1
		}
		e.add(md.m.AddVar("", 0, 0, 0, lp.Continuous), 1)
	}
	bl.row = md.rule(e, lp.LE, rhs, rowTag{rule: rule, site: -1, cat: -1, svc: -1, year: year, unit: "MAD"})
	if n := len(md.tags); n > 0 && md.tags[n-1].row == bl.row {
		bl.tag = n - 1
	}
	md.budgetLines = append(md.budgetLines, bl)
	return bl.row
}

var budgetNames = [2]string{"capital budget", "running budget"}

// accessExprs builds the discounted travel and unserved terms.
func (md *model) accessExprs() {
	in := md.in
	vot := in.obj.TravelMADPerHour / 60
	for s := range in.svc {
		sv := &in.svc[s]
		for a := range in.areas {
			w := in.areas[a].weight
			for t := 0; t < md.years(); t++ {
				if md.u[s][a][t] < 0 {
					continue
				}
				d := in.disc[t] * in.dem[s][a][t]
				md.unserved.add(md.u[s][a][t], sv.rule.UnservedMAD*w*d)
				for k, r := range in.reach[s][a] {
					md.travel.add(md.x[s][a][k][t], vot*sv.trips*r.minutes*w*d)
				}
			}
		}
	}
}

// objective sets the model's objective. An elastic model minimises its
// slacks alone.
func (md *model) objective() {
	if md.o.elastic {
		return
	}
	var obj linExpr
	obj.addExpr(md.unserved, 1)
	if md.o.stage == weighted {
		obj.addExpr(md.travel, 1)
		for t := 0; t < md.years() && t < len(md.capital); t++ {
			obj.addExpr(md.capital[t], md.in.disc[t])
			obj.addExpr(md.running[t], md.in.disc[t])
		}
		if md.o.unservedCap > 0 {
			e := md.unserved.clone()
			e.scale(moneyScale)
			md.row(e, lp.LE, moneyScale*md.o.unservedCap)
		}
	}
	for k, c := range obj.cols {
		md.m.SetObj(c, md.m.Obj(c)+moneyScale*obj.coefs[k])
	}
	md.m.SetObjConstant(moneyScale * obj.c)
}

// moneyScale converts MAD into the model's unit of money, millions of MAD,
// which keeps the objective and budget rows within lp_solve's tolerances.
const moneyScale = 1e-6
