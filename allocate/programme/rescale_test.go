package programme

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// TestRescaledModel checks that a model rescaled to other budgets
// (atBudgetScale) is, row by row and column by column, the model build
// gives at those budgets, that its decomposition's master is the one
// decompose gives, and that the model it comes from is unchanged.
func TestRescaledModel(t *testing.T) {
	n := 0
	for seed := uint64(1); seed <= 12; seed++ {
		p := randomProblem(seed, 6)
		r, cancel, err := newRun(context.Background(), p, &Options{Method: Benders, NoWhy: true})
		if err != nil {
			t.Fatal(err)
		}
		o := buildOpts{last: len(r.in.per) - 1}
		md := build(r.in, o)
		before := md.m.Clone()
		rx := r.relaxationOf(md)
		for _, s := range []float64{0.6, 0.8, 1.2, 1.4} {
			where := fmt.Sprintf("seed %d, level %v", seed, s)
			got := md.atBudgetScale(s, rx)
			if got == nil {
				t.Errorf("%s: not rescaled", where)
				continue
			}
			o.budgetScale = s
			want := build(r.in, o)
			if err := sameModel(got.m, want.m); err != nil {
				t.Errorf("%s: model: %v", where, err)
			}
			for k := range want.tags {
				if got.tags[k] != want.tags[k] {
					t.Errorf("%s: tag %d is %+v, want %+v", where, k, got.tags[k], want.tags[k])
				}
			}
			if _, ok := rx.(*bendersRelaxation); ok {
				n++
				if err := sameModel(got.dec.master, decompose(want).master); err != nil {
					t.Errorf("%s: master: %v", where, err)
				}
			}
		}
		if err := sameModel(md.m, before); err != nil {
			t.Errorf("seed %d: the main model changed: %v", seed, err)
		}
		cancel()
	}
	if n == 0 {
		t.Fatal("no problem decomposed")
	}
}

// sameModel reports how a and b differ, nil when they have the same
// columns and rows, right-hand sides included.
func sameModel(a, b *lp.Model) error {
	if !sameColumnsAndRows(a, b) {
		return fmt.Errorf("the columns or the rows differ (%d×%d, want %d×%d)", a.NumRows(), a.NumVars(), b.NumRows(), b.NumVars())
	}
	for i := 0; i < a.NumRows(); i++ {
		if a.RHS(i) != b.RHS(i) {
			return fmt.Errorf("row %d: rhs %v, want %v", i, a.RHS(i), b.RHS(i))
		}
	}
	return nil
}

// TestLevelsRescaleMainModel checks that the frontier's levels solve the
// main model rescaled, sharing its decomposition's blocks, rather than a
// model built and split again.
func TestLevelsRescaleMainModel(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		p := randomProblem(seed, 6)
		r, cancel, err := newRun(context.Background(), p, &Options{Method: Benders, NoWhy: true, SolveOptions: gst.SolveOptions{GapTolerance: 0.01}, Frontier: []float64{0.8}})
		if err != nil {
			t.Fatal(err)
		}
		best, err := r.solveMain(nil)
		if err != nil {
			cancel()
			continue
		}
		main, ok := best.rx.(*bendersRelaxation)
		if !ok {
			cancel()
			continue
		}
		r.seeds, r.warm = []*result{best}, r.tree
		res, err := r.solveLevel(best, 0.8)
		r.seeds, r.warm = nil, nil
		cancel()
		if err != nil {
			continue
		}
		level := res.rx.(*bendersRelaxation)
		if res.md.o.budgetScale != 0.8 || level.d == main.d || level.d.blocks[0] != main.d.blocks[0] {
			t.Errorf("seed %d: the level's decomposition is not the main one's rescaled", seed)
		}
		return
	}
	t.Fatal("no level solved")
}

// TestFrontierDeterministic solves problems with a frontier twice: the
// levels share the main search's blocks and staffing programme, warm
// from what was solved before, and the plans are still the same byte
// for byte.
func TestFrontierDeterministic(t *testing.T) {
	n := 0
	for seed := uint64(940); seed < 946; seed++ {
		p := randomProblem(seed, 6)
		opt := &Options{Method: Benders, NoWhy: true, SolveOptions: gst.SolveOptions{GapTolerance: 0.01}, Frontier: []float64{0.6, 0.8, 1.2, 1.4}}
		var out [2]string
		for k := range out {
			plan, err := Solve(context.Background(), p, opt)
			if err != nil {
				break
			}
			b, err := json.Marshal(plan)
			if err != nil {
				t.Fatal(err)
			}
			out[k] = string(b)
		}
		if out[0] == "" {
			continue
		}
		if out[0] != out[1] {
			t.Errorf("seed %d: the same problem gives another plan", seed)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no problem solved")
	}
}
