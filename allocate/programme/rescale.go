package programme

// A frontier level's model is the main model with every budget scaled:
// the budgets enter the model only as the right-hand sides of the budget
// rows (budgetRow), so the level's model is the main one's, copied, with
// those right-hand sides rewritten, and its decomposition the main one's
// with the master's budget rows rewritten the same way. Building the
// model and splitting it again cost a level, on the pilots' regions, as
// much as its search when the programmes held already close its gap (a
// tenth of a second on Tanger-Tétouan-Al Hoceïma, where a level's search
// often takes less).

// budgetLine is a budget row as built: the budget (MAD, unscaled), the
// constant of the spend (in the model's money unit, moved to the
// right-hand side), the row (-1 when the spend had no column and kept
// the budget, so that no row was needed), whether the spend had columns,
// and the row's tag (-1 without one).
type budgetLine struct {
	budget, c float64
	row       int
	cols      bool
	tag       int
}

// rhs is the budget's bound at budget scale s, as build writes it.
func (bl budgetLine) rhs(s float64) float64 { return bl.budget * s * moneyScale }

// atBudgetScale returns md with every budget multiplied by s instead of
// md's scale: a copy whose rows' right-hand sides are those build gives
// at scale s, the rest shared with md (read only), and whose
// decomposition, when md's relaxation rx has one, is rx's with the
// master's budget rows rewritten. It returns nil when the copy would
// not be the model build gives (a budget without columns that one scale
// keeps and the other breaks, or a budget row inside a block): build
// it then.
func (md *model) atBudgetScale(s float64, rx relaxation) *model {
	out := *md
	out.o.budgetScale = s
	out.m = md.m.Clone()
	out.tags = append([]rowTag(nil), md.tags...)
	out.dec = nil
	for _, bl := range md.budgetLines {
		rhs := bl.rhs(s)
		if !bl.cols && (bl.c <= rhs) != (bl.row < 0) {
			return nil
		}
		if bl.row < 0 {
			continue
		}
		out.m.SetRHS(bl.row, rhs-bl.c)
		if bl.tag >= 0 {
			out.tags[bl.tag].rhs = rhs - bl.c
		}
	}
	if b, ok := rx.(*bendersRelaxation); ok {
		if out.dec = b.d.forModel(&out); out.dec == nil {
			return nil
		}
	}
	return &out
}

// forModel returns d for md, a model that differs from d's only in the
// right-hand sides of its budget rows: d with its master copied and
// those rows rewritten; its blocks, which hold no budget row, are
// shared. Nil when a budget row is a block's.
func (d *decomposition) forModel(md *model) *decomposition {
	out := *d
	out.md = md
	out.cuts = 0
	out.master = d.master.Clone()
	for _, bl := range md.budgetLines {
		if bl.row < 0 {
			continue
		}
		i := d.mrow[bl.row]
		if i < 0 {
			return nil
		}
		out.master.SetRHS(i, md.m.RHS(bl.row))
	}
	return &out
}

// decomposition returns the model's decomposition: the one made with it
// (see atBudgetScale), or decompose's.
func (md *model) decomposition() *decomposition {
	if md.dec != nil {
		return md.dec
	}
	return decompose(md)
}

// solveLevel solves the frontier level at budget scale s: the main
// programme's model best rescaled (atBudgetScale) when the level's
// options differ from its only in the budgets, else a model built anew.
func (r *run) solveLevel(best *result, s float64) (*result, error) {
	o := buildOpts{last: len(r.in.per) - 1, budgetScale: s}
	if best != nil && best.md != nil {
		a := best.md.o
		a.budgetScale = s
		if a == o {
			if md := best.md.atBudgetScale(s, best.rx); md != nil {
				return r.solveModel(md)
			}
		}
	}
	return r.solve(o)
}
