package programme

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// withoutLumps is the relaxation of md's model without its lump rows.
func withoutLumps(md *model) *lp.Model {
	return withoutRows(md, func(i int) bool {
		fr, ok := md.flowRows[i]
		return ok && fr.kind == rowLump
	}, false)
}

// withoutRows is md's model without the rows skip says, its columns
// continuous unless whole.
func withoutRows(md *model, skip func(i int) bool, whole bool) *lp.Model {
	m := lp.NewModel("without-rows")
	for j := 0; j < md.m.NumVars(); j++ {
		lo, hi := md.m.Bounds(j)
		kind := lp.Continuous
		if whole {
			kind = md.m.VarKind(j)
		}
		m.AddVar("", lo, hi, md.m.Obj(j), kind)
	}
	m.SetObjConstant(md.m.ObjConstant())
	for i := 0; i < md.m.NumRows(); i++ {
		if skip(i) {
			continue
		}
		cols, coefs, sense, rhs := md.m.Row(i)
		m.AddRow("", cols, coefs, sense, rhs)
	}
	return m
}

// lumpRowsOf lists the lump rows of md.
func lumpRowsOf(md *model) []int {
	var out []int
	for i := 0; i < md.m.NumRows(); i++ {
		if fr, ok := md.flowRows[i]; ok && fr.kind == rowLump {
			out = append(out, i)
		}
	}
	return out
}

// TestLumpRowsValid checks that the lump rows cut off no programme: on
// random programmes with one or two module types, every point of the
// model without them whose modules are whole numbers keeps them.
func TestLumpRowsValid(t *testing.T) {
	checked, rows := 0, 0
	for seed := uint64(1); seed <= 60; seed++ {
		var lumps []int
		checked += atWholeNetworks(t, seed, 3, func(md *model) *lp.Model {
			lumps = lumpRowsOf(md)
			rows += len(lumps)
			return withoutLumps(md)
		}, func(md *model, net []netSlot, x []float64) {
			for _, i := range lumps {
				_, _, _, rhs := md.m.Row(i)
				if act := md.m.RowActivity(i, x); act < rhs-1e-6*math.Max(1, math.Abs(rhs)) {
					t.Errorf("seed %d: lump row %d cuts off whole modules %v: %.6f < %.6f", seed, i, net, act, rhs)
				}
			}
		})
	}
	if checked < 100 || rows < 100 {
		t.Fatalf("only %d points and %d lump rows checked", checked, rows)
	}
	t.Logf("%d points, %d lump rows", checked, rows)
}

// atWholeNetworks builds the model of the random programme of seed and
// calls check with the optimum of the model base returns (a relaxation
// of it without some rows) at 40 random whole networks (modules drawn
// with stream), those that it keeps feasible. It returns how many.
func atWholeNetworks(t *testing.T, seed, stream uint64, base func(md *model) *lp.Model, check func(md *model, net []netSlot, x []float64)) int {
	t.Helper()
	p := randomProblem(seed, 6)
	in, err := index(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	md := build(in, buildOpts{last: len(in.per) - 1})
	bm := base(md)
	rng := rand.New(rand.NewPCG(seed, stream))
	checked := 0
	for trial := 0; trial < 40; trial++ {
		var net []netSlot
		for o := range in.offers {
			for k := range in.offers[o].installed {
				for q := range in.per {
					lo, hi := md.m.Bounds(md.n[o][k][q])
					net = append(net, netSlot{o, k, q, int(lo) + rng.IntN(int(hi-lo)+1)})
				}
			}
		}
		m := cloneModel(bm)
		if !fixNetwork(md, m, net) {
			continue
		}
		sol, err := lp.Solve(context.Background(), m, nil)
		if errors.Is(err, gst.ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		checked++
		check(md, net, sol.X)
	}
	return checked
}

// relaxedWithout builds the model of the small random programme of seed
// and solves its relaxation and the one without rows returns (a nil
// model when the relaxation is infeasible).
func relaxedWithout(t *testing.T, seed uint64, without func(md *model) *lp.Model) (*Problem, *model, *lp.Solution, *lp.Solution) {
	t.Helper()
	p := randomProblem(seed, 4)
	in, err := index(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	md := build(in, buildOpts{last: len(in.per) - 1})
	with, err := lp.Solve(context.Background(), relax(md.m), nil)
	if errors.Is(err, gst.ErrInfeasible) {
		return p, nil, nil, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	wo, err := lp.Solve(context.Background(), without(md), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p, md, with, wo
}

// TestLumpRowsTighten checks that the lump rows raise the root's bound
// where the relaxation buys part of a module, and never above the
// optimum.
func TestLumpRowsTighten(t *testing.T) {
	raised := 0
	for seed := uint64(1); seed <= 40; seed++ {
		p, md, with, without := relaxedWithout(t, seed, withoutLumps)
		if md == nil {
			continue
		}
		plan, err := Solve(context.Background(), p, &Options{Method: MIP, NoWhy: true})
		if err != nil {
			t.Fatal(err)
		}
		w, wo := with.Objective/moneyScale, without.Objective/moneyScale
		tol := 1e-6 * math.Max(1, math.Abs(plan.Value))
		if w < wo-tol || w > plan.Value+tol {
			t.Errorf("seed %d: root %.2f with lump rows, %.2f without, optimum %.2f", seed, w, wo, plan.Value)
		}
		if w > wo+tol {
			raised++
		}
	}
	if raised == 0 {
		t.Fatal("the lump rows never raised the root's bound")
	}
	t.Logf("raised on %d of 40", raised)
}
