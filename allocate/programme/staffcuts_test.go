package programme

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// withoutLazy is md's model without its lazy rows (the staff roundings),
// its columns continuous unless whole.
func withoutLazy(md *model, whole bool) *lp.Model {
	return withoutRows(md, func(i int) bool { return md.lazy[i] }, whole)
}

// TestStaffRoundingFormula checks the rounding against every whole point
// of small rows: Σ a·v ≤ β + W with W the least it can be.
func TestStaffRoundingFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	cut := 0
	for trial := 0; trial < 300; trial++ {
		as := make([]float64, 1+rng.IntN(3))
		for k := range as {
			as[k] = 0.2 + 3*rng.Float64()
		}
		beta := 4 * rng.Float64()
		for _, delta := range as {
			coefs, rhs, ok := staffRounding(as, beta, delta)
			if !ok {
				continue
			}
			v := make([]int, len(as))
			var walk func(k int)
			walk = func(k int) {
				if k == len(v) {
					var need, lhs float64
					for j, a := range as {
						need += a * float64(v[j])
						lhs += coefs[j] * float64(v[j])
					}
					w := math.Max(0, need-beta)
					if lhs-w > rhs+1e-9 {
						t.Fatalf("a %v, β %.4f, δ %.4f: v %v with W %.4f breaks the rounding (%.6f > %.6f)", as, beta, delta, v, w, lhs-w, rhs)
					}
					return
				}
				for x := 0; x <= 4; x++ {
					v[k] = x
					walk(k + 1)
				}
			}
			walk(0)
			cut++
		}
	}
	if cut < 300 {
		t.Fatalf("only %d roundings checked", cut)
	}
	// A service of 2.5 FTE at an establishment with 1 FTE free: the
	// relaxation opens 0.69 of it and recruits 0.725; whole, it recruits
	// 1.5, and the rounding asks W ≥ 1.5·v.
	coefs, rhs, ok := staffRounding([]float64{2.5}, 1, 2.5)
	if !ok || math.Abs(coefs[0]-1.5) > 1e-12 || rhs != 0 {
		t.Fatalf("rounding of 2.5·v ≤ 1 + W: %v ≤ %v (ok %v), want 1.5·v − W ≤ 0", coefs, rhs, ok)
	}
	if lhs := coefs[0]*0.69 - 0.725; lhs <= rhs {
		t.Fatalf("the fractional point (v 0.69, W 0.725) keeps the rounding: %.4f ≤ %.4f", lhs, rhs)
	}
}

// TestStaffRoundingsValid checks that the staff roundings cut off no
// programme: on random programmes, every point of the model without them
// whose modules are whole numbers keeps them.
func TestStaffRoundingsValid(t *testing.T) {
	checked, rows := 0, 0
	for seed := uint64(1); seed <= 60; seed++ {
		checked += atWholeNetworks(t, seed, 4, func(md *model) *lp.Model {
			rows += len(md.lazy)
			return withoutLazy(md, false)
		}, func(md *model, net []netSlot, x []float64) {
			for i := range md.lazy {
				_, _, sense, rhs := md.m.Row(i)
				act := md.m.RowActivity(i, x)
				if sense == lp.LE && act > rhs+1e-6*math.Max(1, math.Abs(rhs)) {
					t.Errorf("seed %d: staff rounding %d cuts off whole modules %v: %.6f > %.6f", seed, i, net, act, rhs)
				}
			}
		})
	}
	if checked < 100 || rows < 100 {
		t.Fatalf("only %d points and %d staff roundings checked", checked, rows)
	}
	t.Logf("%d points, %d staff roundings", checked, rows)
}

// TestStaffRoundingsTighten checks that the staff roundings raise the
// root's bound where the relaxation opens part of a service and recruits
// part of its team, never above the optimum, and leave the optimum of the
// integer programme as it is.
func TestStaffRoundingsTighten(t *testing.T) {
	raised := 0
	for seed := uint64(1); seed <= 40; seed++ {
		_, md, with, without := relaxedWithout(t, seed, func(md *model) *lp.Model { return withoutLazy(md, false) })
		if md == nil {
			continue
		}
		mipWith, err := lp.Solve(context.Background(), md.m, nil)
		if err != nil {
			t.Fatal(err)
		}
		mipWithout, err := lp.Solve(context.Background(), withoutLazy(md, true), nil)
		if err != nil {
			t.Fatal(err)
		}
		w, wo := with.Objective/moneyScale, without.Objective/moneyScale
		opt, optWithout := mipWith.Objective/moneyScale, mipWithout.Objective/moneyScale
		tol := 1e-6 * math.Max(1, math.Abs(opt))
		if math.Abs(opt-optWithout) > tol {
			t.Errorf("seed %d: optimum %.4f with the staff roundings, %.4f without", seed, opt, optWithout)
		}
		if w < wo-tol || w > opt+tol {
			t.Errorf("seed %d: root %.4f with the staff roundings, %.4f without, optimum %.4f", seed, w, wo, opt)
		}
		if w > wo+tol {
			raised++
		}
	}
	if raised == 0 {
		t.Fatal("the staff roundings never raised the root's bound")
	}
	t.Logf("raised on %d of 40", raised)
}

// TestLazyRowsTakenByMaster checks that a Benders master takes the lazy
// rows its point violates, and none while they are off: on random
// programmes, the root's rounds end at the compact model's linear
// relaxation without the staff roundings while they are off, then, solved
// again with them (as the search's root is), at the relaxation with
// them, which they raise on some.
func TestLazyRowsTakenByMaster(t *testing.T) {
	taken, kept := 0, 0
	for seed := uint64(1); seed <= 40; seed++ {
		p := randomProblem(seed, 6)
		r, cancel, err := newRun(context.Background(), p, &Options{NoWhy: true})
		if err != nil {
			t.Fatal(err)
		}
		md := build(r.in, buildOpts{last: len(r.in.per) - 1})
		d := decompose(md)
		if d == nil {
			cancel()
			continue
		}
		with, errW := lp.Solve(context.Background(), relax(md.m), nil)
		if errors.Is(errW, gst.ErrInfeasible) {
			cancel()
			continue
		}
		without, errWo := lp.Solve(context.Background(), withoutLazy(md, false), nil)
		if errW != nil || errWo != nil {
			t.Fatal(errW, errWo)
		}
		kept += checkKeptPrograms(t, d)
		b := &bendersRelaxation{r: r, d: d}
		b.setLazyOff(true)
		loose, errL := b.solve(b.root())
		b.setLazyOff(false)
		tight, errT := b.solve(b.root())
		cancel()
		if errL != nil || errT != nil {
			t.Fatalf("seed %d: %v, %v", seed, errL, errT)
		}
		tol := 1e-6 * math.Max(1, math.Abs(with.Objective))
		if math.Abs(loose.Objective-without.Objective) > tol || math.Abs(tight.Objective-with.Objective) > tol {
			t.Errorf("seed %d: the master's root %.6f with the lazy rows off, %.6f on; the compact relaxation %.6f without the staff roundings, %.6f with (%d lazy rows)",
				seed, loose.Objective, tight.Objective, without.Objective, with.Objective, len(d.lazy))
		}
		if with.Objective > without.Objective+tol {
			taken++
		}
	}
	if taken == 0 || kept == 0 {
		t.Fatalf("%d master roots raised by a lazy row, %d blocks with lazy rows", taken, kept)
	}
	t.Logf("%d master roots raised by lazy rows, %d blocks with lazy rows", taken, kept)
}

// checkKeptPrograms checks that the lazy rows of each of d's blocks come
// last, and that the block's programme without them has exactly the
// others, the same rows as the first of its programme with every row. It
// returns the number of blocks with lazy rows.
func checkKeptPrograms(t *testing.T, d *decomposition) int {
	t.Helper()
	n := 0
	for bi, b := range d.blocks {
		k := slices.IndexFunc(b.rows, func(r dblockRow) bool { return r.lazy })
		if k < 0 {
			if b.kept != nil {
				t.Errorf("block %d has no lazy row but a programme without them", bi)
			}
			continue
		}
		n++
		if slices.ContainsFunc(b.rows[k:], func(r dblockRow) bool { return !r.lazy }) {
			t.Errorf("block %d: a row that is not lazy after a lazy one", bi)
		}
		if b.kept == nil || b.kept.m.NumRows() != k || b.all.m.NumRows() != len(b.rows) {
			t.Fatalf("block %d: %d rows, %d not lazy, but its programmes have %v and %d rows", bi, len(b.rows), k, b.kept, b.all.m.NumRows())
		}
		for i := 0; i < k; i++ {
			c1, v1, s1, _ := b.kept.m.Row(i)
			c2, v2, s2, _ := b.all.m.Row(i)
			if !slices.Equal(c1, c2) || !slices.Equal(v1, v2) || s1 != s2 {
				t.Errorf("block %d row %d differs between its two programmes", bi, i)
			}
		}
	}
	return n
}
