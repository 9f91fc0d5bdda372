package transfer

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"testing"

	"github.com/gstplan/gst"
)

// xferPayerShares recomputes, from a plan's flows and unserved rows, the
// share of each payer's cases of each origin and service at each provider
// ("" for unserved), and returns the largest difference between two
// payers' shares by origin and service.
func xferPayerShares(plan *Plan) map[[2]string]float64 {
	type osp struct{ o, s, p string }
	vol := map[osp]float64{}
	at := map[osp]map[string]float64{}
	add := func(k osp, e string, v float64) {
		vol[k] += v
		if at[k] == nil {
			at[k] = map[string]float64{}
		}
		at[k][e] += v
	}
	for _, f := range plan.Flows {
		add(osp{f.Origin, string(f.Service), f.Payer}, string(f.Establishment), f.Volume)
	}
	for _, u := range plan.UnservedRows {
		add(osp{u.Origin, string(u.Service), u.Payer}, "", u.Volume)
	}
	// Providers seen by origin and service.
	provs := map[[2]string]map[string]bool{}
	for k, m := range at {
		os := [2]string{k.o, k.s}
		if provs[os] == nil {
			provs[os] = map[string]bool{}
		}
		for e := range m {
			provs[os][e] = true
		}
	}
	diff := map[[2]string]float64{}
	for os, es := range provs {
		for e := range es {
			lo, hi := math.Inf(1), math.Inf(-1)
			for k := range vol {
				if k.o == os[0] && k.s == os[1] {
					sh := at[k][e] / vol[k]
					lo, hi = math.Min(lo, sh), math.Max(hi, sh)
				}
			}
			diff[os] = math.Max(diff[os], hi-lo)
		}
	}
	return diff
}

// Without equal treatment AMO's patients of A1 and A2 go to the private
// clinic (AMO pays public hospitals 8,000 MAD a case, close to the clinic's
// 9,000) while the others stay public, and the plan lists both communes;
// with it every payer's patients of a commune go to the same providers in
// the same shares, at a higher cost, by flows and by the programme alike.
func TestTransferEqualTreatment(t *testing.T) {
	p := xferSurgery(t)
	p.Tariffs = p.Tariffs[:2] // no tariff of R1's own: every public hospital at 6,000 (AMO 8,000)
	off, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	xferRef{t, p}.check(off)
	listed := map[string]PayerSplit{}
	for _, ps := range off.PayerSplits {
		listed[ps.Origin+"/"+string(ps.Service)] = ps
	}
	for _, k := range []string{"A1/surgery", "A2/surgery"} {
		ps, ok := listed[k]
		if !ok {
			t.Fatalf("%s: payer splits %+v, want it listed", k, off.PayerSplits)
		}
		amoK1, otherK1 := 0.0, 0.0
		for _, sh := range ps.Shares {
			if sh.Establishment == "K1" {
				if sh.Payer == "amo" {
					amoK1 = sh.Share
				} else {
					otherK1 = math.Max(otherK1, sh.Share)
				}
			}
		}
		if !(amoK1 > otherK1) || ps.Difference <= 0 {
			t.Errorf("%s: AMO's share at K1 %g, others' %g, difference %g", k, amoK1, otherK1, ps.Difference)
		}
	}
	diffOff := xferPayerShares(off)
	if diffOff[[2]string{"A1", "surgery"}] < 0.1 {
		t.Errorf("A1: payers' shares differ by %g without the rule", diffOff[[2]string{"A1", "surgery"}])
	}

	q := *p
	q.EqualTreatment = true
	for _, force := range []bool{false, true} {
		on, err := Solve(context.Background(), &q, &Options{ForceLP: force})
		if err != nil {
			t.Fatal(err)
		}
		xferRef{t, &q}.check(on)
		if len(on.PayerSplits) != 0 {
			t.Errorf("force LP %v: payer splits %+v with equal treatment", force, on.PayerSplits)
		}
		for k, d := range xferPayerShares(on) {
			if d > 1e-6 {
				t.Errorf("force LP %v: %v: payers' shares differ by %g", force, k, d)
			}
		}
		if on.Value < off.Value-1e-6 || on.Status != gst.StatusOptimal {
			t.Errorf("force LP %v: value %g (%v) with the rule, %g without", force, on.Value, on.Status, off.Value)
		}
	}
}

// With equal treatment, flows and the programme agree on random problems
// (with and without shared resources, floors and budgets, which the
// programme alone solves), no payer's split differs, and the rule never
// lowers the value.
func TestTransferEqualTreatmentRandom(t *testing.T) {
	solved, split := 0, 0
	for seed := int64(0); seed < 160; seed++ {
		rng := rand.New(rand.NewSource(seed))
		p := xferRandom(t, rng, seed%2 == 1)
		off, errOff := Solve(context.Background(), p, nil)
		q := *p
		q.EqualTreatment = true
		a, errA := Solve(context.Background(), &q, nil)
		b, errB := Solve(context.Background(), &q, &Options{ForceLP: true})
		if (errA == nil) != (errB == nil) {
			t.Fatalf("seed %d: flows %v, programme %v", seed, errA, errB)
		}
		if errA != nil {
			if !errors.Is(errA, gst.ErrInfeasible) {
				t.Fatalf("seed %d: %v", seed, errA)
			}
			continue
		}
		solved++
		va := xferRef{t, &q}.check(a)
		vb := xferRef{t, &q}.check(b)
		for i := range va {
			if math.Abs(va[i]-vb[i]) > 1e-6*math.Max(1, math.Abs(va[i])) {
				t.Fatalf("seed %d: flows %v, programme %v", seed, va, vb)
			}
		}
		for _, pl := range []*Plan{a, b} {
			if len(pl.PayerSplits) != 0 {
				t.Fatalf("seed %d: payer splits %+v", seed, pl.PayerSplits)
			}
			for k, d := range xferPayerShares(pl) {
				if d > 1e-6 {
					t.Fatalf("seed %d: %v: payers' shares differ by %g", seed, k, d)
				}
			}
		}
		if errOff == nil {
			vo := xferRef{t, p}.check(off)
			if vo[0] > va[0]+1e-6 || (math.Abs(vo[0]-va[0]) <= 1e-6 && vo[1] > va[1]+1e-6*math.Max(1, va[1])) {
				t.Fatalf("seed %d: the rule lowers the value: %v without, %v with", seed, vo, va)
			}
			if len(off.PayerSplits) > 0 {
				split++
			}
		}
	}
	t.Logf("%d problems solved, %d with payer splits without the rule", solved, split)
	if solved < 60 || split < 10 {
		t.Fatalf("%d solved, %d with splits", solved, split)
	}
}
