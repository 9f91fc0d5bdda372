package pool

import (
	"context"
	"math"

	"github.com/gstplan/gst/allocate/internal/netflow"
	"github.com/gstplan/gst/allocate/internal/travelpairs"
)

// teamMode says how a team enters a category's flow network.
type teamMode int8

const (
	// teamOff: the team is not delivered; its roles take no staff.
	teamOff teamMode = iota
	// teamSoft: each role FTE staffed earns the team's weight (the
	// relaxation of the link between the roles).
	teamSoft
	// teamMust: the roles are hard rules.
	teamMust
)

// flowSpec says how to build a category's network.
type flowSpec struct {
	teams      []teamMode         // by team; nil: every team off
	elastic    bool               // origin rules may give, at a price; only hard rules count, and every FTE moved costs 1
	continuous bool               // no rounding to whole units
	lexi       bool               // lexicographic costs (else weighted)
	pairs      []travelpairs.Pair // candidate moves
	// charge, when not nil, applies the move rules (a fixed cost and a
	// smallest size per move) of a category that has them, as a node of
	// the search over moves sees them (see chargeSpec).
	charge *chargeSpec
	// cells, when not nil, lists (sorted) the only cells of the network:
	// a part of the category's cells that no candidate move leaves and no
	// team enters (the local search over moves solves such parts alone).
	cells []int32
}

// moveFlow is a move found in a flow.
type moveFlow struct {
	from, to int32 // cells
	pair     int32
	fte      float64
}

// relaxFlow is an origin rule broken in an elastic flow.
type relaxFlow struct {
	cell int32
	rule string
	fte  float64
}

// roleArc is a team role in a category's network.
type roleArc struct {
	team int32
	cell int32
	arc  int32
	cap  float64 // in units
	soft bool    // relaxed: each unit staffed earns the team's weight
}

// catNet is the flow network of one category.
type catNet struct {
	in    *inst
	cat   int32
	cells []int32
	pairs []travelpairs.Pair
	g     *netflow.Network
	idle  int32
	qNode []int32 // by local cell: where own staff start and arrivals land
	pNode []int32 // by local cell: presence, which feeds the uses

	lexi   bool
	pinned []float64 // by local cell: fraction of the roll that cannot move

	mvArc, mvFrom, mvTo, mvPair []int32
	// With move rules: the most a move may carry in some optimal plan
	// (mvCap, units), the staff an open move carries below its arc
	// (mvLow, units), whether it is open, and the constant secondary cost
	// of the open moves (their fixed cost and the travel of mvLow).
	mvCap   []float64
	mvLow   []float64
	mvOpen  []bool
	fixedS  float64
	charged bool
	// needArc lists the arcs that cover need; a unit of flow covers per
	// units of the cell's need.
	needArc   []int32
	needCell  []int32
	needPer   []float64
	mustArc   []int32 // by local cell, -1 for none
	mustCap   []float64
	roles     []roleArc
	relaxArc  []int32
	relaxCell []int32
	relaxRule []string
}

// bigPrices returns the price of one unit of a hard rule and of one unit of
// an origin rule broken in an elastic solve. A simple cycle of the network
// passes the idle node at most once, so it changes at most two cover arcs;
// a hard rule unit outweighs that, and breaking an origin rule to meet a
// hard rule is worth it while leaving unmet need to save one is not.
func (in *inst) bigPrices() (must, relax float64) {
	relax = (4*in.maxW + 1) / in.scale
	return 3 * relax, relax
}

// catFlow builds the network of category cat: the nodes of its cells
// (own staff, presence, staff sent), the uses of the staff present (need,
// team roles, idle), the origin rules an elastic solve may break, and the
// candidate moves.
func (in *inst) catFlow(cat int32, sp *flowSpec) *catNet {
	b := in.newNetBuilder(cat, sp)
	moves := b.candidateMoves()
	b.cf.g = netflow.New(1, 4*len(b.cells)+len(moves))
	b.cf.charged = b.charge != nil
	b.cellNodes(moves)
	b.uses()
	b.cf.g.SetStart(0, b.up)
	b.teamRoles()
	if sp.elastic {
		b.originRules()
	}
	b.moveArcs(moves)
	return b.cf
}

// netBuilder holds what building a category's network needs.
type netBuilder struct {
	in    *inst
	sp    *flowSpec
	cf    *catNet
	c     *catInfo
	cat   int32
	cells []int32
	local map[int32]int32 // cell → index among the category's cells

	integral          bool
	scale             float64
	bigMust, bigRelax float64
	up                []int32   // starting tree (see netflow.Network.SetStart)
	sNode             []int32   // by local cell: the node of staff sent, -1 for none
	pinned            []float64 // by local cell: fraction of the roll that cannot move
	rollU             []float64 // by local cell: the supply of its own-staff node

	// charge is the spec's move rules when the category has any: the
	// fixed cost and the smallest size (units) of a move.
	charge    *chargeSpec
	fixedCost float64
	low       float64
}

// move is a candidate move between two local cells; with move rules, cap
// is the most it carries in some optimal plan and open says it is open.
type move struct {
	h, k, pair int32
	cap        float64
	open       bool
}

func (in *inst) newNetBuilder(cat int32, sp *flowSpec) *netBuilder {
	cells := in.catCells[cat]
	if sp.cells != nil {
		cells = sp.cells
	}
	b := &netBuilder{in: in, sp: sp, c: &in.cats[cat], cat: cat, cells: cells, local: make(map[int32]int32, len(cells)),
		cf:       &catNet{in: in, cat: cat, cells: cells, pairs: sp.pairs, lexi: sp.lexi},
		integral: in.integral && !sp.continuous, scale: in.scale}
	for j, cl := range cells {
		b.local[cl] = int32(j)
	}
	b.bigMust, b.bigRelax = in.bigPrices()
	if f, l, ok := in.moveRules(cat); ok && sp.charge != nil && !sp.elastic {
		b.charge, b.fixedCost, b.low = sp.charge, f, l
	}
	return b
}

// cover returns the primary and secondary cost of one unit of a use worth
// wUnit: lexicographic, or weighted by Options.UnmetValueMAD.
func (b *netBuilder) cover(wUnit float64) (float64, float64) {
	if b.sp.lexi {
		return -wUnit, 0
	}
	return 0, -b.in.opt.UnmetValueMAD * wUnit
}

// candidateMoves lists the category's moves allowed by the commute, from a
// cell that may send to one that may receive (in an elastic solve, any
// staff may move to any use).
func (b *netBuilder) candidateMoves() []move {
	in, c, sp := b.in, b.c, b.sp
	if c.fixed {
		return nil
	}
	sendable := func(cl *cellInfo) bool {
		if sp.elastic {
			return cl.roll > 0
		}
		return cl.spare > 0
	}
	receivable := func(cl *cellInfo) bool {
		if sp.elastic {
			return cl.need+cl.roles+cl.minFTE > 0
		}
		return cl.canShort
	}
	var moves []move
	add := func(pi int) {
		pr := &sp.pairs[pi]
		if pr.Minutes > c.commute {
			return
		}
		ch, ck := in.cell(pr.H, b.cat), in.cell(pr.K, b.cat)
		if ch < 0 || ck < 0 || !sendable(&in.cells[ch]) || !receivable(&in.cells[ck]) {
			return
		}
		if sp.cells != nil {
			if _, ok := b.local[ch]; !ok {
				return
			}
			if _, ok := b.local[ck]; !ok {
				return
			}
		}
		m := move{h: b.local[ch], k: b.local[ck], pair: int32(pi)}
		if b.charge != nil && !b.chargeMove(&m, ch, ck) {
			return
		}
		moves = append(moves, m)
	}
	if b.charge != nil && b.charge.pairs != nil {
		for _, pi := range b.charge.pairs {
			add(int(pi))
		}
		return moves
	}
	for pi := range sp.pairs {
		add(pi)
	}
	return moves
}

// cellNodes adds the nodes of each cell: its own staff (the roll, whole
// units only when integral), its presence when a minimum staff rule needs
// an arc of its own, and the staff it sends when it sends any. The simplex
// starts from everyone at home and idle: each presence node hangs from the
// idle node by its idle arc, each own-staff node from its presence node.
func (b *netBuilder) cellNodes(moves []move) {
	in, cf, g := b.in, b.cf, b.cf.g
	nl := len(b.cells)
	sends := make([]bool, nl)
	for _, m := range moves {
		sends[m.h] = true
	}
	b.up = []int32{-1}
	cf.idle = 0
	cf.qNode = make([]int32, nl)
	cf.pNode = make([]int32, nl)
	cf.mustArc = make([]int32, nl)
	cf.mustCap = make([]float64, nl)
	b.sNode = make([]int32, nl)
	b.pinned = make([]float64, nl)
	cf.pinned = b.pinned
	total := 0.0
	b.rollU = make([]float64, nl)
	for j, ci := range b.cells {
		cl := &in.cells[ci]
		roll := cl.roll * b.scale
		if b.integral {
			ri := math.Floor(roll + 1e-9)
			if f := roll - ri; f > 1e-9 {
				b.pinned[j] = f
			}
			roll = ri
		}
		b.rollU[j] = roll
		total += roll
		q := g.AddNode(roll)
		b.up = append(b.up, -1)
		cf.qNode[j] = int32(q)
		cf.pNode[j] = int32(q)
		cf.mustArc[j] = -1
		if cl.minFTE > 0 {
			m := cl.minFTE*b.scale - b.pinned[j]
			if b.integral {
				m = math.Ceil(m - 1e-9)
			}
			p := g.AddNode(0)
			b.up = append(b.up, -1)
			cf.pNode[j] = int32(p)
			if m > 0 {
				cf.mustArc[j] = int32(g.AddArc(q, p, m, -b.bigMust, 0))
				cf.mustCap[j] = m
			}
			b.up[q] = int32(g.AddArc(q, p, math.Inf(1), 0, 0))
		}
		b.sNode[j] = -1
		if sends[j] {
			s := g.AddNode(0)
			b.up = append(b.up, -1)
			b.sNode[j] = int32(s)
			if sp := cl.spare * b.scale; sp > 0 {
				g.AddArc(q, s, sp, 0, 0)
			}
		}
	}
	g.SetSupply(0, -total)
}

// uses adds the arcs of the staff present to the idle sink: covering need
// (staff pinned at home cover it first; in whole units the last fraction
// of a need is priced in proportion), and idle.
func (b *netBuilder) uses() {
	in, cf, g := b.in, b.cf, b.cf.g
	for j, ci := range b.cells {
		cl := &in.cells[ci]
		p := int(cf.pNode[j])
		need := math.Max(0, cl.need*b.scale-b.pinned[j])
		wUnit := cl.weight / b.scale
		if need > 0 && !b.sp.elastic {
			addNeed := func(capU, per float64) {
				a, c := b.cover(wUnit * per)
				cf.needArc = append(cf.needArc, int32(g.AddArc(p, 0, capU, a, c)))
				cf.needCell = append(cf.needCell, ci)
				cf.needPer = append(cf.needPer, per)
			}
			if b.integral {
				whole := math.Floor(need + 1e-9)
				if whole > 0 {
					addNeed(whole, 1)
				}
				if fr := need - whole; fr > 1e-9 {
					addNeed(1, fr)
				}
			} else {
				addNeed(need, 1)
			}
		}
		b.up[p] = int32(g.AddArc(p, 0, math.Inf(1), 0, 0))
	}
}

// teamRoles adds the arcs of the category's team roles: hard rules for a
// team that must be delivered, worth the team's weight for a relaxed one.
func (b *netBuilder) teamRoles() {
	in, cf, sp := b.in, b.cf, b.sp
	for ti := range in.teams {
		t := &in.teams[ti]
		mode := teamOff
		if sp.teams != nil {
			mode = sp.teams[ti]
		}
		if mode == teamOff {
			continue
		}
		for _, ro := range t.roles {
			if ro.cat != b.cat {
				continue
			}
			j := b.local[ro.cell]
			r := ro.fte * b.scale
			if b.integral {
				r = math.Ceil(r - 1e-9)
			}
			var a, c float64
			if mode == teamMust {
				a, c = -b.bigMust, 0
			} else {
				a, c = b.cover(t.weight / b.scale)
			}
			arc := cf.g.AddArc(int(cf.pNode[j]), 0, r, a, c)
			cf.roles = append(cf.roles, roleArc{team: int32(ti), cell: ro.cell, arc: int32(arc), cap: r, soft: mode == teamSoft})
		}
	}
}

// originRules adds, for an elastic solve, the arcs by which a home may
// send beyond its safe staffing or away share, at a price.
func (b *netBuilder) originRules() {
	in, cf := b.in, b.cf
	for j, ci := range b.cells {
		if b.sNode[j] < 0 {
			continue
		}
		cl := &in.cells[ci]
		roll := cl.roll * b.scale
		a := math.Max(0, cl.roll-cl.floor) * b.scale // the floor's limit
		c := b.c.share * roll                        // the away share's limit
		spare := math.Min(a, c)
		q, s := int(cf.qNode[j]), int(b.sNode[j])
		add := func(capU float64, rule string, n float64) {
			if capU > 1e-9 {
				arc := cf.g.AddArc(q, s, capU, n*b.bigRelax, 0)
				cf.relaxArc = append(cf.relaxArc, int32(arc))
				cf.relaxCell = append(cf.relaxCell, ci)
				cf.relaxRule = append(cf.relaxRule, rule)
			}
		}
		switch {
		case a < c:
			add(c-spare, "safe staffing", 1)
			add(roll-c, "safe staffing and away share", 2)
		case c < a:
			add(a-spare, "away share", 1)
			add(roll-a, "safe staffing and away share", 2)
		default:
			add(roll-spare, "safe staffing and away share", 2)
		}
	}
}

// moveArcs adds the arcs of the candidate moves, from the staff a home
// sends to the host's own staff, costed by the session's travel.
func (b *netBuilder) moveArcs(moves []move) {
	in, cf := b.in, b.cf
	sessionsPerUnit := in.opt.SessionsPerFTE / b.scale
	var lowOut, lowIn []float64
	if b.charge != nil {
		lowOut, lowIn = make([]float64, len(b.cells)), make([]float64, len(b.cells))
	}
	for _, m := range moves {
		pr := &b.sp.pairs[m.pair]
		cost := in.sessionCost(b.cat, pr) * sessionsPerUnit
		prim := 0.0
		if b.sp.elastic {
			prim = 1 / b.scale
		}
		capU, low := math.Inf(1), 0.0
		if b.charge != nil {
			// A free move pays its fixed cost in proportion to its share
			// of the most it carries (the linear relaxation); an open one
			// pays it whole and carries its smallest size below the arc.
			capU = m.cap
			if m.open {
				low = b.low
				capU -= low
				lowOut[m.h] += low
				lowIn[m.k] += low
				cf.fixedS += b.fixedCost + low*cost
			} else {
				cost += b.fixedCost / m.cap
			}
			cf.mvCap = append(cf.mvCap, m.cap)
			cf.mvLow = append(cf.mvLow, low)
			cf.mvOpen = append(cf.mvOpen, m.open)
		}
		arc := cf.g.AddArc(int(b.sNode[m.h]), int(cf.qNode[m.k]), capU, prim, cost)
		cf.mvArc = append(cf.mvArc, int32(arc))
		cf.mvFrom = append(cf.mvFrom, b.cells[m.h])
		cf.mvTo = append(cf.mvTo, b.cells[m.k])
		cf.mvPair = append(cf.mvPair, m.pair)
	}
	// The staff open moves carry below their arcs leave the sending node
	// and arrive at the host's own-staff node.
	for j := range lowOut {
		if lowOut[j] > 0 {
			cf.g.SetSupply(int(b.sNode[j]), -lowOut[j])
		}
		if lowIn[j] > 0 {
			cf.g.SetSupply(int(cf.qNode[j]), b.rollU[j]+lowIn[j])
		}
	}
}

// sessionCost is the weekly cost, in MAD, of one session a week of category
// cat worked across the pair: a round trip of travel time at the category's
// cost per minute (at least tieMADPerMinute) and of mileage, and the
// session allowance.
func (in *inst) sessionCost(cat int32, pr *travelpairs.Pair) float64 {
	c := &in.cats[cat]
	return 2*(pr.Minutes*(c.minuteMAD+tieMADPerMinute)+pr.Km*in.p.Rules.PerKmMAD) + in.p.Rules.PerSessionMAD
}

// relaxedUnmet returns the weighted unmet need of a solved network whose
// soft team roles count at the team's weight per FTE missing: the
// relaxation's first objective.
func (cf *catNet) relaxedUnmet(modes []teamMode) float64 {
	in := cf.in
	covered := map[int32]float64{}
	for i, a := range cf.needArc {
		covered[cf.needCell[i]] += cf.g.Flow(int(a)) * cf.needPer[i]
	}
	u := 0.0
	for _, ci := range cf.cells {
		cl := &in.cells[ci]
		if cl.need > 0 {
			u += cl.weight * math.Max(0, cl.need-covered[ci]/in.scale)
		}
	}
	for _, r := range cf.roles {
		if modes[r.team] == teamSoft {
			u += in.teams[r.team].weight * math.Max(0, r.cap-cf.g.Flow(int(r.arc))) / in.scale
		}
	}
	return u
}

// solve solves the network.
func (cf *catNet) solve(ctx context.Context) error {
	err := cf.g.Solve(ctx)
	return err
}

// moves returns the moves of the solved network.
func (cf *catNet) moves() []moveFlow {
	var out []moveFlow
	for i := range cf.mvArc {
		if f := cf.moveUnits(i); f > 0 {
			out = append(out, moveFlow{from: cf.mvFrom[i], to: cf.mvTo[i], pair: cf.mvPair[i], fte: f / cf.in.scale})
		}
	}
	return out
}

// moveUnits returns the units candidate move i carries: its arc's flow,
// and with move rules the smallest size an open move carries below it.
func (cf *catNet) moveUnits(i int) float64 {
	f := cf.g.Flow(int(cf.mvArc[i]))
	if cf.charged {
		f += cf.mvLow[i]
	}
	return f
}

// mustShort returns, by local cell, the FTE a minimum staff rule misses.
func (cf *catNet) mustShort() map[int32]float64 {
	out := map[int32]float64{}
	for j, a := range cf.mustArc {
		if a >= 0 {
			if s := cf.mustCap[j] - cf.g.Flow(int(a)); s > 1e-7 {
				out[cf.cells[j]] = s / cf.in.scale
			}
		}
	}
	return out
}

// roleShort returns the FTE each team role of the network misses.
func (cf *catNet) roleShort() map[[2]int32]float64 {
	out := map[[2]int32]float64{}
	for _, r := range cf.roles {
		if s := r.cap - cf.g.Flow(int(r.arc)); s > 1e-7 {
			out[[2]int32{r.team, r.cell}] = s / cf.in.scale
		}
	}
	return out
}

// relaxed returns the origin rules an elastic solve broke.
func (cf *catNet) relaxed() []relaxFlow {
	var out []relaxFlow
	for i, a := range cf.relaxArc {
		if f := cf.g.Flow(int(a)); f > 1e-9 {
			out = append(out, relaxFlow{cell: cf.relaxCell[i], rule: cf.relaxRule[i], fte: f / cf.in.scale})
		}
	}
	return out
}

// marginal returns, by cell of the category, the primary cost saved per
// extra FTE present: the residual distance from the cell's arrival node to
// the idle sink, negated and converted to FTE.
func (cf *catNet) marginal() map[int32]float64 {
	dp, _ := cf.g.ResidualDistances(int(cf.idle), true, nil)
	out := make(map[int32]float64, len(cf.cells))
	for j, ci := range cf.cells {
		d := dp[cf.qNode[j]]
		if math.IsInf(d, 1) {
			continue
		}
		v := -d * cf.in.scale
		if math.Abs(v) < 1e-9 {
			v = 0
		}
		out[ci] = v
	}
	return out
}
