package pool

import (
	"math"
)

// Move rules: a fixed weekly cost and a smallest size per move make a
// category's flow a fixed-charge network problem. This file builds the
// networks of the search over moves (see search_moves.go): each node of the
// search leaves some moves free, opens some (they pay their fixed cost
// whole and carry at least the smallest size) and closes others.

// moveState says how a node of the search over moves treats a move.
type moveState int8

const (
	moveFree   moveState = iota // linear relaxation of the fixed cost
	moveOpen                    // fixed cost paid, at least the smallest size
	moveClosed                  // no staff
)

// chargeSpec is a node of the search over moves: the state of the moves
// it has decided, by pair index, or a plan's moves, all open.
type chargeSpec struct {
	state map[int32]moveState // absent: free
	// pairs, when not nil, lists (sorted) the only pairs that may be
	// moves: the root's candidates, or a plan's moves.
	pairs []int32
	open  bool // every move is open (a plan)
}

// moveRules returns the fixed cost (MAD a week) and the smallest size (in
// the networks' units) of a move of category cat, and whether they make
// its flow a fixed-charge problem: a fixed cost, or a smallest size above
// the granularity's step.
func (in *inst) moveRules(cat int32) (fixed, low float64, charged bool) {
	c := &in.cats[cat]
	fixed = c.perMove
	low = c.minMove * in.scale
	if in.integral {
		low = math.Ceil(low - 1e-9)
		if low <= 1 {
			low = 0
		}
	}
	return fixed, low, fixed > 0 || low > 0
}

// chargeMove sets a candidate move's capacity and state under the move
// rules, and reports whether the move is a candidate of the node.
//
// Its capacity is the most it carries in some optimal plan: the home's
// spare staff, and the host's shortfall once the host sends every spare
// FTE away, D = max(need + roles, minimum) − (roll − spare), rounded up to
// whole units, or the smallest size when that is larger. Staff received
// beyond D would stand idle at the host, and a move that carries more than
// both D and the smallest size could carry less at a lower cost without
// changing what anyone covers or which moves are open. A move whose
// capacity is below the smallest size can never be made.
func (b *netBuilder) chargeMove(m *move, ch, ck int32) bool {
	st := moveFree
	if b.charge.open {
		st = moveOpen
	} else if s, ok := b.charge.state[m.pair]; ok {
		st = s
	}
	if st == moveClosed {
		return false
	}
	in := b.in
	h, k := &in.cells[ch], &in.cells[ck]
	use := math.Max(k.need+b.rolesAt(ck), k.minFTE)
	d := (use - (k.roll - k.spare)) * b.scale
	if b.integral {
		d = math.Ceil(d - 1e-9)
	}
	capU := math.Min(h.spare*b.scale, math.Max(b.low, d))
	if capU <= 1e-12 || capU < b.low-1e-9 {
		return false
	}
	m.cap = capU
	m.open = st == moveOpen
	return true
}

// rolesAt returns the FTE of team roles at a cell that the spec's teams
// deliver or may deliver.
func (b *netBuilder) rolesAt(cell int32) float64 {
	if b.sp.teams == nil {
		return 0
	}
	in := b.in
	v := 0.0
	for ti := range in.teams {
		if b.sp.teams[ti] == teamOff {
			continue
		}
		for _, r := range in.teams[ti].roles {
			if r.cell == cell {
				v += r.fte
			}
		}
	}
	return v
}

// value returns the primary and secondary value of a solved network whose
// spec applies the move rules: its costs plus the constants that make them
// the category's weighted unmet need and hard rules' shortfall (priced at
// bigMust; zero when every hard rule holds) and weekly cost, or with
// UnmetValueMAD the weighted sum. Relaxed team roles count as need; teams
// not delivered are left out.
func (cf *catNet) value() (p, s float64) {
	in := cf.in
	p, s = cf.g.Objective()
	s += cf.fixedS
	k := 0.0
	for j, ci := range cf.cells {
		cl := &in.cells[ci]
		if cl.need <= 0 {
			continue
		}
		k += cl.weight * math.Max(0, cl.need-cf.pinned[j]/in.scale)
	}
	mustBig, _ := in.bigPrices()
	hard := 0.0
	for j, a := range cf.mustArc {
		if a >= 0 {
			hard += mustBig * cf.mustCap[j]
		}
	}
	for _, r := range cf.roles {
		if r.soft {
			k += in.teams[r.team].weight * r.cap / in.scale
		} else {
			hard += mustBig * r.cap
		}
	}
	p += hard
	if cf.lexi {
		p += k
	} else {
		s += in.opt.UnmetValueMAD * k
	}
	return p, s
}
