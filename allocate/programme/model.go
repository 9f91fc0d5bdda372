package programme

import (
	"math"

	"github.com/gstplan/gst/internal/lp"
)

// stage says which objective a model minimises.
type stage int

const (
	// weighted minimises the weighted sum of Objective.
	weighted stage = iota
	// unservedOnly minimises the weighted unserved demand: the first stage
	// of a lexicographic objective.
	unservedOnly
)

// buildOpts select the model built from an instance.
type buildOpts struct {
	// last is the last period in the model.
	last int
	// noStaff leaves staffing out: no requirements, recruitment or
	// pooling (the location stage of the sequential plan).
	noStaff bool
	// today fixes the network as installed today, without money.
	today bool
	// budgetScale multiplies every budget. 0 means 1.
	budgetScale float64
	// stage selects the objective; unservedCap, when positive with the
	// weighted stage, bounds the weighted unserved demand (the second
	// stage of a lexicographic objective).
	stage       stage
	unservedCap float64
	// elastic adds a penalised slack column to every hard rule, so that
	// an infeasible programme can say which rules must give.
	elastic bool
}

// linExpr is a linear expression Σ coefs·x[cols] + c.
type linExpr struct {
	cols  []int
	coefs []float64
	c     float64
}

func (e *linExpr) add(col int, coef float64) {
	if col >= 0 && coef != 0 {
		e.cols = append(e.cols, col)
		e.coefs = append(e.coefs, coef)
	}
}

func (e *linExpr) addExpr(o linExpr, scale float64) {
	for k, c := range o.cols {
		e.add(c, scale*o.coefs[k])
	}
	e.c += scale * o.c
}

func (e *linExpr) scale(f float64) {
	for k := range e.coefs {
		e.coefs[k] *= f
	}
	e.c *= f
}

func (e linExpr) clone() linExpr {
	return linExpr{cols: append([]int(nil), e.cols...), coefs: append([]float64(nil), e.coefs...), c: e.c}
}

func (e *linExpr) value(x []float64) float64 {
	v := e.c
	for k, c := range e.cols {
		v += e.coefs[k] * x[c]
	}
	return v
}

// model is a programme as an lp.Model, with the columns of each family of
// decisions. A column index is -1 where the family has no column.
type model struct {
	in *inst
	o  buildOpts
	m  *lp.Model
	np int // periods in the model

	z    [][]int     // [site][p]: candidate site built
	y    [][]int     // [offer][p]: service offered
	n    [][][]int   // [offer][k][p]: modules of the service's k-th type
	add  [][][]int   // [offer][k][p]: modules added (services that may close)
	opn  [][]int     // [offer][p]: service opened (services that may close)
	cls  [][]int     // [offer][p]: service closed (services that may close)
	x    [][][][]int // [service][area][reach entry][year index]
	u    [][][]int   // [service][area][year index]: unserved share
	pool [][]int     // [arc][p]
	hire [][][]int   // [staff site][cat][p]

	capital, running []linExpr // per year index in the model
	unserved         linExpr   // discounted weighted unserved demand
	travel           linExpr   // discounted valued travel

	budRow   [2][]int // [capital|running][year index]: budget row or -1
	recRow   [][]int  // [cat][p]: recruitment row or -1
	totalRow int
	// budgetLines are the budget rows as built, by which the model is
	// rebuilt at another budget scale (see atBudgetScale).
	budgetLines []budgetLine
	// dec, when set, is the model's decomposition, made from another
	// model's (see atBudgetScale); nil: decompose the model.
	dec *decomposition

	tags []rowTag // the hard rules, for diagnosis

	// flowRows gives the assignment rows their place: the rows of the
	// transportation problem of a service in a year.
	flowRows map[int]flowRow
	// lazy marks the rows that a decomposition's master takes only once
	// its point violates them (the staff roundings, staffcuts.go).
	lazy map[int]bool
}

// flowRow places an assignment row: kind, service, year, and area and
// reach entry (or offer, for a capacity row).
type flowRow struct {
	kind    int8
	s, t, a int
	k       int // reach entry of an x ≤ y row, offer of a capacity row
}

// The kinds of flowRow.
const (
	rowAssign int8 = iota + 1 // Σ x + u = 1
	rowXY                     // x ≤ y
	rowCap                    // Σ d x − capacity ≤ 0
	rowLump                   // Σ d u + rounded capacity ≥ rounded demand (lumpRows)
)

// rowTag names a hard rule: which, where, when, in which unit, and its
// slack column in an elastic model.
type rowTag struct {
	row   int
	slack int
	rule  string
	site  int // staff site or -1
	cat   int // category or -1
	svc   int // service or -1
	prov  string
	year  int
	rhs   float64
	unit  string
}

// build builds the model of an instance.
func build(in *inst, o buildOpts) *model {
	if o.budgetScale == 0 {
		o.budgetScale = 1
	}
	md := &model{in: in, o: o, m: lp.NewModel("programme"), np: o.last + 1, totalRow: -1, flowRows: map[int]flowRow{}, lazy: map[int]bool{}}
	md.addNetworkColumns()
	md.addAssignmentColumns()
	if !o.noStaff && !o.today {
		md.addStaffColumns()
	}
	md.networkRows()
	md.assignmentRows()
	md.capacityRows()
	md.lumpRows()
	if !o.noStaff && !o.today {
		md.staffRows()
		if !o.elastic {
			md.staffRoundingRows()
		}
		md.recruitRows()
	}
	md.coverageRows()
	if !o.today {
		md.moneyExprs()
		md.budgetRows()
	}
	md.accessExprs()
	md.objective()
	return md
}

func (md *model) years() int { return md.in.per[md.o.last].y0 + md.in.per[md.o.last].years }

func grid2(a, b int) [][]int {
	out := make([][]int, a)
	for i := range out {
		out[i] = make([]int, b)
		for j := range out[i] {
			out[i][j] = -1
		}
	}
	return out
}

// addNetworkColumns adds the site, service and module columns with the
// bounds that fixes and today's network impose.
func (md *model) addNetworkColumns() {
	in, m := md.in, md.m
	md.z = grid2(len(in.sites), md.np)
	for s := range in.sites {
		if !in.sites[s].candidate {
			continue
		}
		for p := 0; p < md.np; p++ {
			hi := 1.0
			if md.o.today {
				hi = 0
			}
			md.z[s][p] = m.AddVar("", 0, hi, 0, lp.Binary)
		}
	}
	md.y = grid2(len(in.offers), md.np)
	md.n = make([][][]int, len(in.offers))
	md.add = make([][][]int, len(in.offers))
	md.opn = grid2(len(in.offers), md.np)
	md.cls = grid2(len(in.offers), md.np)
	for o := range in.offers {
		md.addOfferColumns(o)
	}
}

func (md *model) addOfferColumns(o int) {
	in, m := md.in, md.m
	off := &in.offers[o]
	may := in.svc[off.svc].rule.MayClose
	for p := 0; p < md.np; p++ {
		lo, hi := md.yBounds(off, p)
		md.y[o][p] = m.AddVar("", lo, hi, 0, lp.Binary)
		if may && !md.o.today {
			md.opn[o][p] = m.AddVar("", 0, 1, 0, lp.Continuous)
			md.cls[o][p] = m.AddVar("", 0, 1, 0, lp.Continuous)
		}
	}
	k := len(off.installed)
	md.n[o] = grid2(k, md.np)
	md.add[o] = grid2(k, md.np)
	for j := 0; j < k; j++ {
		for p := 0; p < md.np; p++ {
			lo, hi := 0.0, float64(off.maxMods[j])
			if md.o.today {
				lo, hi = float64(off.installed[j]), float64(off.installed[j])
			} else if !may {
				lo = float64(off.installed[j])
			}
			md.n[o][j][p] = m.AddVar("", lo, hi, 0, lp.Integer)
			if may && !md.o.today {
				md.add[o][j][p] = m.AddVar("", 0, math.Inf(1), 0, lp.Continuous)
			}
		}
	}
}

// yBounds returns the bounds of the offer's service column in a period.
func (md *model) yBounds(off *offerInfo, p int) (float64, float64) {
	if md.o.today {
		if off.openToday {
			return 1, 1
		}
		return 0, 0
	}
	lo, hi := 0.0, 1.0
	if off.openToday && !md.in.svc[off.svc].rule.MayClose {
		lo = 1
	}
	if off.forceFrom >= 0 && p >= off.forceFrom {
		lo = 1
	}
	if off.forbid && p >= off.forbidAt {
		hi = 0
	}
	return lo, hi
}

// addAssignmentColumns adds, for every year, the share of each area's
// demand sent to each site within its reach, and the share unserved.
func (md *model) addAssignmentColumns() {
	in, m := md.in, md.m
	ny := md.years()
	md.x = make([][][][]int, len(in.svc))
	md.u = make([][][]int, len(in.svc))
	for s := range in.svc {
		kind := lp.Continuous
		if in.svc[s].rule.SingleSource {
			kind = lp.Binary
		}
		md.x[s] = make([][][]int, len(in.areas))
		md.u[s] = grid2(len(in.areas), ny)
		for a := range in.areas {
			md.x[s][a] = grid2(len(in.reach[s][a]), ny)
			for t := 0; t < ny; t++ {
				if in.dem[s][a][t] <= 0 {
					continue
				}
				for e := range in.reach[s][a] {
					md.x[s][a][e][t] = m.AddVar("", 0, 1, 0, kind)
				}
				md.u[s][a][t] = m.AddVar("", 0, 1, 0, kind)
			}
		}
	}
}

// hasDemand reports whether an area has demand for a service in a year of
// the model.
func (md *model) hasDemand(s, a int) bool {
	for t := 0; t < md.years(); t++ {
		if md.in.dem[s][a][t] > 0 {
			return true
		}
	}
	return false
}

// addStaffColumns adds the pooling and recruitment columns.
func (md *model) addStaffColumns() {
	in, m := md.in, md.m
	md.pool = grid2(len(in.arcs), md.np)
	for k := range in.arcs {
		for p := 0; p < md.np; p++ {
			md.pool[k][p] = m.AddVar("", 0, math.Inf(1), 0, lp.Continuous)
		}
	}
	md.hire = make([][][]int, len(in.staff))
	for i := range in.staff {
		md.hire[i] = grid2(len(in.cats), md.np)
		if in.staff[i].host < 0 {
			continue
		}
		for c := range in.cats {
			if in.cats[c].recruit <= 0 || !in.hostNeeds(in.staff[i].host, c) {
				continue
			}
			for p := 0; p < md.np; p++ {
				if a := in.arrive[c][p]; a >= 0 && a <= md.o.last {
					md.hire[i][c][p] = m.AddVar("", 0, math.Inf(1), 0, lp.Continuous)
				}
			}
		}
	}
}

// stock is the expression of the staff a site recruited for a category
// that is still on its roll in the last year of period p.
func (md *model) stock(i, c, p int) linExpr {
	var e linExpr
	if md.hire == nil {
		return e
	}
	in := md.in
	for q := 0; q <= p; q++ {
		a := in.arrive[c][q]
		if md.hire[i][c][q] < 0 || a < 0 || a > p {
			continue
		}
		e.add(md.hire[i][c][q], math.Pow(1-in.cats[c].attr, float64(in.per[p].last-in.per[a].start)))
	}
	return e
}
