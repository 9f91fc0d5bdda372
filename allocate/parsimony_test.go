package allocate

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/orlib"
)

// holmbergProblem reads a Holmberg single-source instance of the bundled
// test data as a FixedCharge problem with single sourcing.
func holmbergProblem(t *testing.T, file string) *Problem {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "orlib", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := orlib.ReadHolmberg(f)
	if err != nil {
		t.Fatal(err)
	}
	// Cost[j][i] serves all of customer i: travel is per unit of demand.
	r := matrixRegion(t, func(i, j int) float64 { return in.Cost[j][i] / in.Demand[i] }, in.N, in.M, in.Capacity, in.FixedCost)
	return &Problem{Region: r, Demand: demandTable(t, in.Demand), Objective: FixedCharge, TravelCost: 1, Capacity: SingleSource}
}

// TestParsimonyStopsAtTheBound pins the check of a single-source plan's
// changes. On Holmberg's p13 the capacitated engine proves the optimum
// 8252 at once; the parsimony pass then tries to undo each of the nine
// sites it opens. Each trial is settled by the engine at its root node, as
// soon as its bound exceeds the plan's value. (The assignment MIP these
// trials were solved with before took from 0 to more than 20 s each, and
// the answer came at the time limit.)
func TestParsimonyStopsAtTheBound(t *testing.T) {
	p := holmbergProblem(t, "holmberg_p13.txt")
	o, err := resolveOptions(&Options{SolveOptions: gst.SolveOptions{TimeLimit: 30 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := o.WithTimeLimit(context.Background())
	defer cancel()
	in, err := compile(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	run := &runner{ctx: ctx, user: context.Background(), opt: o, in: in}
	st, err := run.primary()
	if err != nil {
		t.Fatal(err)
	}
	if st.status != gst.StatusOptimal || math.Abs(st.value-8252) > 1e-6 {
		t.Fatalf("engine: status %v value %v, want optimal 8252", st.status, st.value)
	}
	opened := 0
	for _, o := range st.sol.open {
		if o {
			opened++
		}
	}
	before := run.stats
	run.parsimony(st)
	models, nodes := run.stats.Models-before.Models, run.stats.Nodes-before.Nodes
	if models != opened || nodes != int64(opened) {
		t.Errorf("parsimony: %d solves with %d nodes for %d opened sites, want one root node per site", models, nodes, opened)
	}
	if run.stats.Undone != 0 || len(run.notes) != 0 {
		t.Errorf("parsimony: undone %d, notes %q; want nothing undone, no note", run.stats.Undone, run.notes)
	}
	if st.status != gst.StatusOptimal || math.Abs(st.value-8252) > 1e-6 || st.bound != st.value {
		t.Errorf("after parsimony: status %v value %v bound %v, want optimal 8252", st.status, st.value, st.bound)
	}
	if err := ctx.Err(); err != nil {
		t.Errorf("the search ran to its time limit: %v", err)
	}
}
