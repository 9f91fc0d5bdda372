package programme

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

// TestRootCutShort ends the root's rounds of cuts after its first round,
// as the end of the root's share of the time does at the national size,
// on random programmes: the programme returned (the local search from
// the best of that round's point rounded and the sequential plan, when
// the search holds it) keeps every rule (checkPlan), is never below
// lp_solve's optimum of the whole programme nor above the sequential
// plan, and its bound (the first round's) never above the optimum; the plan says what happened and its status
// is a time limit unless the gap is closed.
func TestRootCutShort(t *testing.T) {
	defer func() { testCutRootAt = nil }()
	n := 24
	if testing.Short() {
		n = 8
	}
	cut, found, held := 0, 0, 0
	for seed := uint64(700); seed < uint64(700+n); seed++ {
		p := randomProblem(seed, 6)
		ref, errM := Solve(context.Background(), p, &Options{Method: MIP, NoWhy: true})
		testCutRootAt = func(int) bool { return true }
		// Every other search holds the sequential plan when its root ends.
		got, err := Solve(context.Background(), p, &Options{Method: Benders, NoWhy: true, Sequential: seed%2 == 0})
		testCutRootAt = nil
		if errM != nil {
			if err == nil {
				t.Fatalf("seed %d: a programme of value %v where lp_solve finds none (%v)", seed, got.Value, errM)
			}
			continue
		}
		if err != nil {
			if !errors.Is(err, gst.ErrNoSolution) {
				t.Fatalf("seed %d: %v (lp_solve's optimum %v)", seed, err, ref.Value)
			}
			cut++
			continue
		}
		tol := 1e-6 * math.Max(1, math.Abs(ref.Value))
		if got.Value < ref.Value-tol || got.Bound > ref.Value+tol {
			t.Errorf("seed %d: value %.6f bound %.6f, lp_solve's optimum %.6f", seed, got.Value, got.Bound, ref.Value)
		}
		checkPlan(t, "seed "+itoa(seed), p, got)
		if sv := got.SequentialValue; sv != nil && got.Value > *sv+tol {
			t.Errorf("seed %d: value %.6f above the sequential plan's %.6f, which the search held", seed, got.Value, *sv)
		}
		if hasNote(got, "best programme held before") {
			held++
		}
		if !hasNote(got, "did not converge") {
			continue // the root converged in its first round
		}
		cut++
		found++
		if got.Status == gst.StatusOptimal && got.Gap > gst.DefaultGapTolerance+1e-9 {
			t.Errorf("seed %d: status %v with gap %v", seed, got.Status, got.Gap)
		}
		if got.Status != gst.StatusOptimal && got.Status != gst.StatusTimeLimit {
			t.Errorf("seed %d: status %v", seed, got.Status)
		}
	}
	t.Logf("%d of %d roots ended early, %d of them with a programme, %d descended from the sequential plan", cut, n, found, held)
	if found < n/4 {
		t.Fatalf("only %d of %d searches cut at the root found a programme", found, cut)
	}
}

func hasNote(pl *Plan, s string) bool {
	for _, n := range pl.Notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// TestRootMasterStalled holds the root's second master until the
// rounds' share of the time ends, as lp_solve does with the national
// programme's 41st: the plan still has the first round's bound and a
// programme, and its note says that the time ended in a master, and
// after how long. The same search with the master not held says nothing
// of a master.
func TestRootMasterStalled(t *testing.T) {
	defer func() { testStallRootAt, testCutRootAt = nil, nil }()
	held := 0
	for seed := uint64(700); seed < 706 && held < 2; seed++ {
		p := randomProblem(seed, 6)
		ref, err := Solve(context.Background(), p, &Options{Method: MIP, NoWhy: true})
		if err != nil {
			continue
		}
		testStallRootAt = func(round int) bool { return round == 1 }
		got, err := Solve(context.Background(), p, &Options{Method: Benders, NoWhy: true, SolveOptions: gst.SolveOptions{TimeLimit: 2 * time.Second}})
		testStallRootAt = nil
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if !hasNote(got, "did not converge") {
			continue // the root converged in its first round
		}
		held++
		if !hasNote(got, "(1 round; the next round's master had run for ") || !hasNote(got, "without an answer from lp_solve") {
			t.Errorf("seed %d: notes %q do not say that the time ended in the second master", seed, got.Notes)
		}
		tol := 1e-6 * math.Max(1, math.Abs(ref.Value))
		if got.Value < ref.Value-tol || got.Bound > ref.Value+tol {
			t.Errorf("seed %d: value %.6f bound %.6f, lp_solve's optimum %.6f", seed, got.Value, got.Bound, ref.Value)
		}
		checkPlan(t, "seed "+itoa(seed), p, got)
		testCutRootAt = func(round int) bool { return round == 0 }
		plain, err := Solve(context.Background(), p, &Options{Method: Benders, NoWhy: true})
		testCutRootAt = nil
		if err != nil {
			t.Fatalf("seed %d, rounds cut without a held master: %v", seed, err)
		}
		if hasNote(plain, "master had run") || !hasNote(plain, "(1 round)") {
			t.Errorf("seed %d, rounds cut without a held master: notes %q", seed, plain.Notes)
		}
	}
	if held == 0 {
		t.Fatal("no root needed a second round")
	}
}
