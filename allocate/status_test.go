package allocate

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// backupInstance is a random 14-area, 8-site backup coverage problem of
// the kind on which lp_solve's default scaling fails numerically
// (ACCURACYERROR) on the second stage.
func backupInstance(t *testing.T, seed int64) *Problem {
	rng := rand.New(rand.NewSource(seed))
	r, d := synth(t, synthSpec{seed: seed, areas: 14, sites: 8, services: 1 + rng.Intn(2), candidates: rng.Float64(), closable: rng.Float64(), intTravel: rng.Intn(2) == 0})
	for s := range r.Services {
		r.Services[s].StandardMinutes = 10 + float64(rng.Intn(60))
	}
	p := &Problem{Region: r, Demand: d, Objective: BackupCoverage, P: 1 + rng.Intn(7), Greenfield: rng.Intn(2) == 0}
	if rng.Intn(3) == 0 {
		p.MinCoverage = []CoverageRule{{MinShare: 0.3 * rng.Float64()}}
	}
	return p
}

// TestNumericalFailureRetried pins the instances whose second stage
// lp_solve fails on with its default scaling: another scaling solves them
// to optimality (they used to read "time limit" with a 100% gap).
func TestNumericalFailureRetried(t *testing.T) {
	for _, seed := range []int64{1921, 2179, 2439} {
		pl, err := Locate(context.Background(), backupInstance(t, seed), nil)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if pl.Status != gst.StatusOptimal || pl.Gap != 0 {
			t.Errorf("seed %d: %v, gap %v, notes %v", seed, pl.Status, pl.Gap, pl.Notes)
		}
	}
}

// TestNumericalFailureIsNotTimeLimit pins the status of a plan whose
// later solves fail numerically with every scaling and no deadline: the
// first stage's plan, feasible, with a note; never "time limit".
func TestNumericalFailureIsNotTimeLimit(t *testing.T) {
	saved := lpSolve
	defer func() { lpSolve = saved }()
	calls := 0
	lpSolve = func(ctx context.Context, m *lp.Model, o *lp.Options) (*lp.Solution, error) {
		calls++
		if calls == 1 {
			return lp.Solve(ctx, m, o)
		}
		return &lp.Solution{Status: gst.StatusFailed}, fmt.Errorf("lp: %w: lp_solve failed (ACCURACYERROR)", gst.ErrNoSolution)
	}
	p := backupInstance(t, 5)
	pl, err := Locate(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Status != gst.StatusFeasible || !strings.Contains(strings.Join(pl.Notes, " "), "failed numerically") {
		t.Errorf("backup coverage: status %v, notes %v", pl.Status, pl.Notes)
	}
	// A p-center (with a side rule, so no greedy first plan) whose
	// covering problems all fail: an error that says so, not a time limit.
	calls = 1
	p.Objective, p.MinCoverage, p.MaxChanges = PCenter, nil, 3
	_, err = Locate(context.Background(), p, &Options{NoRefine: true})
	if err == nil || !strings.Contains(err.Error(), "failed numerically") || strings.Contains(err.Error(), "time limit") {
		t.Errorf("p-center without a plan: %v", err)
	}
}
