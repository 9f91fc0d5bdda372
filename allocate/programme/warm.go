package programme

import (
	"math"

	"github.com/gstplan/gst/internal/lp"
)

// A search leaves behind its tree: every node it closed (pruned by its
// bound, integral, or infeasible) or left open, with the bound it proved
// and whether a budget bound there. A search of the same model at other
// budgets (the frontier) starts from those leaves instead of the root:
//
//   - with every budget scaled down, the feasible set of every leaf
//     shrinks, so each bound still holds and an infeasible leaf stays
//     infeasible;
//   - with every budget scaled up, a leaf whose relaxation left every
//     budget row slack keeps its optimum (a linear programme's optimum
//     stays optimal when a constraint that does not bind there is
//     loosened), so its bound still holds; the other leaves are searched
//     again from the new root's bound.
//
// A leaf whose bound cannot improve the incumbent is closed at once, so
// a level at which the budgets do not bind costs no relaxation at all.

// leaf is a node of a finished search.
type leaf struct {
	fix   []colBound
	bound float64
	// slack says that every budget row was slack at the relaxation that
	// proved the bound.
	slack      bool
	infeasible bool
}

// tree is a finished search: its model's options and relaxation shape,
// and its leaves.
type tree struct {
	o       buildOpts
	columns int
	leaves  []leaf
}

// sameModel reports whether a model built with o differs from the tree's
// only in its budgets.
func (t *tree) sameModel(o buildOpts, columns int) bool {
	a, b := t.o, o
	a.budgetScale, b.budgetScale = 1, 1
	return a == b && t.columns == columns
}

// budgetRows lists the budget rows of md in the relaxation's rows.
func budgetRows(md *model, rx relaxation) []int {
	var out []int
	add := func(i int) {
		if i >= 0 {
			if r := rx.row(i); r >= 0 {
				out = append(out, r)
			}
		}
	}
	for b := range md.budRow {
		for _, i := range md.budRow[b] {
			add(i)
		}
	}
	add(md.totalRow)
	return out
}

// budgetSlack reports whether every budget row of the relaxation rel is
// slack at x.
func budgetSlack(rel *lp.Model, rows []int, x []float64) bool {
	for _, i := range rows {
		_, _, _, rhs := rel.Row(i)
		if rhs-rel.RowActivity(i, x) <= 1e-7*math.Max(1, math.Abs(rhs)) {
			return false
		}
	}
	return true
}

// warmQueue turns the leaves of t, searched at budget scale from, into
// the first nodes of a search at budget scale to. Leaves whose bound
// still holds keep it; the others are returned apart (cold), to be
// searched from the new root's bound. Infeasible leaves are dropped when
// the budgets shrink.
func (t *tree) warmQueue(from, to float64) (q nodeQueue, cold []leaf) {
	for _, l := range t.leaves {
		switch {
		case l.infeasible && to <= from:
			continue
		case l.infeasible, to > from && !l.slack:
			cold = append(cold, l)
		default:
			q = append(q, &bnbNode{fix: l.fix, bound: l.bound, slack: l.slack, id: len(q) + 1})
		}
	}
	return q, cold
}
