package reliability

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/allocate/pool"
	"github.com/gstplan/gst/allocate/transfer"
	"github.com/gstplan/gst/internal/lp"
)

// TestSizeLimits sets a small memory limit on every route that builds a
// model and checks that each refuses its model, before building it, with
// the package's typed error, an estimate above the limit and a suggestion
// of what to do instead (another method, aggregation, a smaller scope).
func TestSizeLimits(t *testing.T) {
	t.Parallel()
	r, d := synth(t, synthSpec{seed: 5, areas: 150, ests: 40, candidate: true, capacity: 900})
	existing, existingDemand := synth(t, synthSpec{seed: 6, areas: 150, ests: 40, capacity: 900})
	const small = 100 << 10 // 100 KiB
	ctx := context.Background()
	locate := func(p allocate.Problem, opt allocate.Options) error {
		p.Region, p.Demand = r, d
		if opt.MaxModelBytes == 0 {
			opt.MaxModelBytes = small
		}
		_, err := allocate.Locate(ctx, &p, &opt)
		return err
	}
	need := func() []pool.Need {
		var out []pool.Need
		for i, e := range existing.Establishments {
			out = append(out, pool.Need{Establishment: e.ID, Category: "c", FTE: float64(i % 5)})
		}
		return out
	}
	cases := []struct {
		name string
		run  func() error
		// method or part the error names, and words of its suggestion.
		what    string
		suggest []string
	}{
		{"Locate: p-median with a budget (radius formulation)", func() error {
			return locate(allocate.Problem{Objective: allocate.PMedian, P: 5, Budget: 100}, allocate.Options{})
		}, "radius formulation", []string{"aggregate areas", "MaxModelBytes"}},
		{"Locate: p-median by MIP (the engine would do)", func() error {
			return locate(allocate.Problem{Objective: allocate.PMedian, P: 5}, allocate.Options{Method: allocate.MIP})
		}, "radius formulation", []string{"Method = Engine", "aggregate areas"}},
		{"Locate: split demand with a budget (assignment formulation)", func() error {
			return locate(allocate.Problem{Objective: allocate.PMedian, P: 20, Capacity: allocate.SplitDemand, Budget: 100}, allocate.Options{})
		}, "assignment formulation", []string{"aggregate areas"}},
		{"Locate: set covering", func() error {
			return locate(allocate.Problem{Objective: allocate.SetCovering, Services: []allocate.ServiceRule{{Service: "s", Standard: 600}}}, allocate.Options{})
		}, "formulation", []string{"aggregate areas"}},
		{"Locate: p-center (covering sequence)", func() error {
			return locate(allocate.Problem{Objective: allocate.PCenter, P: 5}, allocate.Options{})
		}, "formulation", []string{"aggregate areas"}},
		{"Locate: backup coverage", func() error {
			return locate(allocate.Problem{Objective: allocate.BackupCoverage, P: 5}, allocate.Options{})
		}, "backup coverage formulation", []string{"aggregate areas"}},
		{"Locate: p-median engine", func() error {
			return locate(allocate.Problem{Objective: allocate.PMedian, P: 5}, allocate.Options{SolveOptions: gst.SolveOptions{MaxModelBytes: 4 << 10}})
		}, "p-median engine", []string{"aggregate areas", "restrict each service's eligible sites"}},
		{"Locate: capacitated engine", func() error {
			return locate(allocate.Problem{Objective: allocate.PMedian, P: 20, Capacity: allocate.SingleSource}, allocate.Options{SolveOptions: gst.SolveOptions{MaxModelBytes: 4 << 10}})
		}, "capacitated engine", []string{"aggregate areas"}},
		{"Pool: flows", func() error {
			_, err := pool.Solve(ctx, &pool.Problem{Region: existing, Need: need(), Rules: pool.Rules{MaxCommuteMinutes: 600}},
				&pool.Options{SolveOptions: gst.SolveOptions{MaxModelBytes: 2 << 10}})
			return err
		}, "flow", []string{"commute", "region by region"}},
		{"Pool: an integer programme above the byte limit", func() error {
			_, err := pool.Solve(ctx, &pool.Problem{Region: existing, Need: need(), Rules: pool.Rules{MaxCommuteMinutes: 600, MaxMovedFTE: 3}},
				&pool.Options{SolveOptions: gst.SolveOptions{MaxModelBytes: 60 << 10}, Method: pool.MIP})
			return err
		}, "mip", []string{"province by province"}},
		{"Pool: an integer programme above the column limit", func() error {
			_, err := pool.Solve(ctx, &pool.Problem{Region: existing, Need: need(), Rules: pool.Rules{MaxCommuteMinutes: 600, MaxMovedFTE: 3}},
				&pool.Options{MaxMIPColumns: 50})
			return err
		}, "mip", []string{"MaxMIPColumns", "province by province"}},
		{"Transfer: flows", func() error {
			_, err := transfer.Solve(ctx, &transfer.Problem{Region: existing, Demand: existingDemand}, &transfer.Options{SolveOptions: gst.SolveOptions{MaxModelBytes: 4 << 10}})
			return err
		}, "flow", []string{"MaxMinutes"}},
		{"Transfer: a linear programme with shared beds", func() error {
			_, err := transfer.Solve(ctx, &transfer.Problem{Region: existing, Demand: existingDemand,
				Services: []transfer.Service{{Service: "s", MaxMinutes: 120}},
				Uses:     []transfer.Use{{Service: "s", Resource: "beds", PerCase: 0.01}}}, &transfer.Options{MaxLPColumns: 500})
			return err
		}, "lp", []string{"MaxMinutes", "province at a time", "MaxLPColumns"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			if !errors.Is(err, gst.ErrTooLarge) {
				t.Fatalf("want an error wrapping gst.ErrTooLarge, got %v", err)
			}
			var what, suggestion string
			var bytes, limit, rows, cols int64
			var tl *gst.TooLargeError
			switch {
			case errors.As(err, &tl):
				what, suggestion, bytes, limit, rows, cols = tl.Model, tl.Suggestion, tl.Bytes, tl.Limit, tl.Rows, tl.Columns
			default:
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if !strings.Contains(what, c.what) {
				t.Errorf("refused %q, want %q", what, c.what)
			}
			if strings.Contains(what, "engine") && strings.Contains(suggestion, "Method = Engine") {
				t.Errorf("an engine refused suggests the engine: %q", suggestion)
			}
			columnLimit := strings.Contains(c.name, "column limit") || strings.Contains(c.name, "programme with shared beds")
			if !columnLimit && bytes <= limit || rows <= 0 || cols <= 0 {
				t.Errorf("estimate %d bytes (%d rows, %d columns) against a limit of %d", bytes, rows, cols, limit)
			}
			for _, s := range c.suggest {
				if !strings.Contains(suggestion, s) || !strings.Contains(err.Error(), s) {
					t.Errorf("suggestion %q does not say %q", suggestion, s)
				}
			}
			t.Logf("%s → %v", c.name, err)
		})
	}
}

// TestSizeEstimatesBoundTheModels checks that the size Locate estimates
// before building a model is not below the size of the model it then
// builds, so that the limit holds.
func TestSizeEstimatesBoundTheModels(t *testing.T) {
	t.Parallel()
	r, d := synth(t, synthSpec{seed: 5, areas: 60, ests: 20, candidate: true, capacity: 900})
	ctx := context.Background()
	for _, p := range []allocate.Problem{
		{Objective: allocate.PMedian, P: 5, Budget: 100},
		{Objective: allocate.PMedian, P: 10, Capacity: allocate.SplitDemand, Budget: 100},
		{Objective: allocate.SetCovering, Services: []allocate.ServiceRule{{Service: "s", Standard: 600}}},
	} {
		p.Region, p.Demand = r, d
		_, err := allocate.Locate(ctx, &p, &allocate.Options{SolveOptions: gst.SolveOptions{MaxModelBytes: 1}, NoWhy: true})
		var tl *gst.TooLargeError
		if !errors.As(err, &tl) {
			t.Fatalf("%v: %v", p.Objective, err)
		}
		plan, err := allocate.Locate(ctx, &p, &allocate.Options{NoWhy: true, NoRefine: true})
		if err != nil {
			t.Fatalf("%v: %v", p.Objective, err)
		}
		m := plan.Model
		t.Logf("%v (%s): estimated %d rows, %d columns, %d nonzeros; built %d, %d, %d", p.Objective, tl.Model,
			tl.Rows, tl.Columns, tl.Nonzeros, m.Rows, m.Columns, m.Nonzeros)
		if tl.Rows < m.Rows || tl.Columns < m.Columns || tl.Nonzeros < m.Nonzeros {
			t.Errorf("%v: estimated %d rows, %d columns, %d nonzeros, below the model built: %d, %d, %d", p.Objective,
				tl.Rows, tl.Columns, tl.Nonzeros, m.Rows, m.Columns, m.Nonzeros)
		}
	}
}

// TestLPEstimateBytes checks that lp.Model.EstimateBytes, which the solvers
// compare with their limits, is not below the Go memory a model holds, and
// grows with it. (Its copy inside lp_solve, also in the estimate, is C
// memory that the Go runtime does not count.)
func TestLPEstimateBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var last int64
	for _, n := range []int{1000, 10000, 50000} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m := lp.NewModel("est")
		for j := 0; j < n; j++ {
			m.AddVar("", 0, 1, rng.Float64(), lp.Binary)
		}
		for i := 0; i < n; i++ {
			m.AddRow("", []int{rng.IntN(n), rng.IntN(n), rng.IntN(n), rng.IntN(n)}, []float64{1, 2, 3, 4}, lp.LE, 5)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		used := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		est := m.EstimateBytes()
		t.Logf("%d columns, %d rows, %d nonzeros: estimate %d bytes, the model holds %d bytes of Go heap", m.NumVars(), m.NumRows(), m.NumNonzeros(), est, used)
		if est < used {
			t.Errorf("n = %d: estimate %d below the %d bytes the model holds", n, est, used)
		}
		if est <= last {
			t.Errorf("n = %d: estimate %d does not grow (%d before)", n, est, last)
		}
		last = est
		runtime.KeepAlive(m)
	}
}
