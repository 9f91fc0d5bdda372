package pilot

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/programme"
)

// ProgrammeProblem, from the region as read and today's catchments, is
// the pipeline's step 6 problem; budgets and horizon change only the
// periods, the years of demand and the budgets.
func TestProgrammeProblem(t *testing.T) {
	ctx := context.Background()
	cfg := Config{RegionDir: "../../data/fesmeknes"}
	cfg.defaults()
	r, err := gst.Open(cfg.RegionDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The pipeline's steps 1 and 2, as Run takes them.
	res := &Result{Config: cfg, Region: r, Estimator: &gst.Estimator{Circuity: cfg.Circuity}}
	if err := res.demand(); err != nil {
		t.Fatal(err)
	}
	if err := res.travel(ctx); err != nil {
		t.Fatal(err)
	}
	if res.Before, err = gst.AssignNearest(ctx, res.Projected, res.Travel, allServices(res.Projected), PublicOpen); err != nil {
		t.Fatal(err)
	}
	if err := res.staff(ctx); err != nil {
		t.Fatal(err)
	}
	want, err := res.programmeProblem(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Another program's way: today's catchments on the region as read.
	m, err := TravelMatrix(ctx, r, &gst.Estimator{Circuity: DefaultCircuity})
	if err != nil {
		t.Fatal(err)
	}
	before, err := gst.AssignNearest(ctx, r, m, allServices(r), PublicOpen)
	if err != nil {
		t.Fatal(err)
	}
	opts := cmp.Options{
		cmp.Comparer(func(a, b *gst.Region) bool { return a == b }),
		cmp.Transformer("rows", func(d *gst.DemandTable) []gst.Demand { return d.Rows() }),
	}
	got, as, err := ProgrammeProblem(ctx, ProgrammeInput{Region: r, Before: before})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("problem (-pipeline +ProgrammeProblem):\n%s", diff)
	}
	if diff := cmp.Diff(programmeAssumptions(), as); diff != "" {
		t.Errorf("assumptions with the pilots' budgets (-pipeline +ProgrammeProblem):\n%s", diff)
	}

	// Five years at half the capital budget: the first two phases.
	half, as, err := ProgrammeProblem(ctx, ProgrammeInput{Region: r, Before: before, Years: 5, CapitalMAD: ProgrammeCapitalMAD / 2})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]programme.Period{{Start: 2026, Years: 2}, {Start: 2028, Years: 3}}, half.Periods); diff != "" {
		t.Errorf("periods (-want +got):\n%s", diff)
	}
	if len(half.Demand) != 5 || half.Demand[4].Year != 2030 || len(half.CapitalBudget) != 5 || len(half.RunningBudget) != 5 {
		t.Fatalf("%d years of demand, %d and %d of budgets; want 5", len(half.Demand), len(half.CapitalBudget), len(half.RunningBudget))
	}
	for i := range half.CapitalBudget {
		if c, r := half.CapitalBudget[i], half.RunningBudget[i]; c.Year != 2026+i || c.MAD != 60e6 || r.MAD != ProgrammeRunningMAD {
			t.Errorf("budgets of %d: capital %+v, running %+v", 2026+i, c, r)
		}
	}
	for _, a := range as {
		if a.Name == "Phases" && a.Value != "2026–2027, 2028–2030" || a.Name == "Budgets" && !strings.HasPrefix(a.Value, "60 M MAD of capital and 45 M MAD") {
			t.Errorf("assumption %s: %q", a.Name, a.Value)
		}
	}
	if _, err := programme.Solve(ctx, half, &programme.Options{MaxNodes: 1, NoWhy: true}); err != nil {
		t.Errorf("the cut programme does not solve: %v", err)
	}

	// Bad settings and a region without the services are invalid input.
	noDialysis := &gst.Region{ID: "T", Services: []gst.Service{{ID: "caesarean", Unit: "case"}}}
	for _, in := range []ProgrammeInput{
		{Region: r, Before: before, Years: 11},
		{Region: r, Before: before, Years: -1},
		{Region: r, Before: before, CapitalMAD: -1},
		{Region: r},
		{Region: noDialysis, Before: before},
	} {
		if _, _, err := ProgrammeProblem(ctx, in); !errors.Is(err, gst.ErrInvalid) {
			t.Errorf("years %d, budgets %g and %g: %v, want gst.ErrInvalid", in.Years, in.CapitalMAD, in.RunningMAD, err)
		}
	}
}
