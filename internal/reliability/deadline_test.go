package reliability

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/allocate/pool"
	"github.com/gstplan/gst/allocate/transfer"
	"github.com/gstplan/gst/capacity"
	"github.com/gstplan/gst/internal/lp"
	"github.com/gstplan/gst/pathway"
)

// deadlineSlack is how far past its deadline a solve may return: lp_solve's
// own time limit counts whole seconds (internal/lp polls an abort flag and
// stops within milliseconds, but a solver checks its context only between
// steps), plus two seconds for a loaded two-core machine to build the
// answer after the stop, and two more under the race detector, which
// slows the Go code between the checks five to ten times.
func deadlineSlack() time.Duration {
	if raceEnabled {
		return time.Second + 4*time.Second
	}
	return time.Second + 2*time.Second
}

// raceEnabled is set when the tests run under the race detector.
var raceEnabled bool

// stop is what a stopped solve returned.
type stop struct {
	status            gst.Status
	value, bound, gap float64
	plan              bool // a plan came back
	err               error
}

func locateStop(p *allocate.Plan, err error) stop {
	if err != nil {
		return stop{err: err}
	}
	return stop{status: p.Status, value: p.Value, bound: p.Bound, gap: p.Gap, plan: p.Assignment != nil}
}

func poolStop(p *pool.Plan, err error) stop {
	if err != nil {
		return stop{err: err}
	}
	return stop{status: p.Status, value: p.WeightedUnmet, bound: p.Bound, gap: p.Gap, plan: p.Sites != nil}
}

func transferStop(p *transfer.Plan, err error) stop {
	if err != nil {
		return stop{err: err}
	}
	return stop{status: p.Status, value: p.Value, bound: p.Bound, gap: p.Gap, plan: p.Assignment != nil}
}

// lateTimer is a context whose deadline has passed before its Done channel
// closes, as happens when the process is too busy to run the context's
// timer on time: the solver's own clock then stops the solve first.
type lateTimer struct {
	context.Context
	deadline time.Time
}

func (c lateTimer) Deadline() (time.Time, bool) { return c.deadline, true }

// newLateTimer returns a context whose deadline is d from now and whose
// Done channel closes late after that.
func newLateTimer(d, late time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), d+late)
	return lateTimer{Context: ctx, deadline: time.Now().Add(d)}, cancel
}

// TestDeadlines runs solves that cannot finish before their deadline, by
// each route that has its own way of stopping, and checks that each
// returns within deadlineSlack of the deadline with its best plan, a bound,
// a gap and a status that says it was stopped. The elapsed times are
// logged (go test -v).
func TestDeadlines(t *testing.T) {
	if testing.Short() {
		t.Skip("each case runs until its deadline")
	}
	t.Parallel()
	pilot, err := prepare(context.Background(), openPilot(t))
	if err != nil {
		t.Fatal(err)
	}
	poolTeams := func(ctx context.Context, opt *pool.Options) stop {
		if opt == nil {
			opt = &pool.Options{}
		}
		// The integer programme: the search over team decisions solves
		// this part in milliseconds, before any deadline.
		opt.Granularity, opt.Method = pool.Posts, pool.MIP
		return poolStop(pool.Solve(ctx, &pool.Problem{Region: pilot.region, Need: pilot.need, Teams: pilot.teams}, opt))
	}
	uniform, uniformDemand := synth(t, synthSpec{seed: 1, areas: 1000, ests: 500, towns: 1000, candidate: true})
	engine, engineDemand := synth(t, synthSpec{seed: 2, areas: 2000, ests: 1000, towns: 2000, candidate: true})
	beds, bedsDemand := synth(t, synthSpec{seed: 3, areas: 3000, ests: 150, capacity: 1500})
	transferBeds := func(ctx context.Context) stop {
		return transferStop(transfer.Solve(ctx, &transfer.Problem{Region: beds, Demand: bedsDemand, AllowUnserved: true,
			Services: []transfer.Service{{Service: "s", MaxMinutes: 90}},
			Uses:     []transfer.Use{{Service: "s", Resource: "beds", PerCase: 0.004}}}, &transfer.Options{MaxLPColumns: 1 << 20}))
	}
	bigLP := largeLP(60000)
	// The engine's instance needs its travel estimated (two million legs)
	// before the engine starts; under the race detector on a loaded
	// machine that alone can take more than 1.5 s, so the deadline there
	// is longer. The instance cannot be solved in either time.
	engineLimit := 1500 * time.Millisecond
	if raceEnabled {
		engineLimit = 4 * time.Second
	}

	cases := []struct {
		name  string
		limit time.Duration
		// ctx makes the context of the solve; nil: a deadline after limit.
		ctx  func() (context.Context, context.CancelFunc)
		run  func(ctx context.Context) stop
		want gst.Status
		// noPlan accepts a stop without any plan (ErrNoSolution).
		noPlan bool
	}{
		{name: "lp: sensitivity analysis of a large programme", limit: time.Second, want: gst.StatusTimeLimit, noPlan: true,
			run: func(ctx context.Context) stop {
				sol, err := lp.Solve(ctx, bigLP, &lp.Options{Duals: true})
				if err != nil && sol != nil && errors.Is(err, gst.ErrNoSolution) {
					return stop{status: sol.Status, err: err}
				}
				if err != nil {
					return stop{err: err}
				}
				return stop{status: sol.Status, value: sol.Objective, bound: sol.Bound, gap: sol.Gap(), plan: true}
			}},
		{name: "Locate: p-center by covering programmes (MIP route)", limit: 1500 * time.Millisecond, want: gst.StatusTimeLimit,
			run: func(ctx context.Context) stop {
				return locateStop(allocate.Locate(ctx, &allocate.Problem{Region: uniform, Demand: uniformDemand, Objective: allocate.PCenter, P: 30}, &allocate.Options{NoWhy: true}))
			}},
		{name: "Locate: p-median engine", limit: engineLimit, want: gst.StatusTimeLimit,
			run: func(ctx context.Context) stop {
				return locateStop(allocate.Locate(ctx, &allocate.Problem{Region: engine, Demand: engineDemand, Objective: allocate.PMedian, P: 100}, &allocate.Options{NoWhy: true}))
			}},
		{name: "Locate: p-median engine, Options.TimeLimit", limit: engineLimit, want: gst.StatusTimeLimit,
			ctx: func() (context.Context, context.CancelFunc) { return context.Background(), func() {} },
			run: func(ctx context.Context) stop {
				return locateStop(allocate.Locate(ctx, &allocate.Problem{Region: engine, Demand: engineDemand, Objective: allocate.PMedian, P: 100},
					&allocate.Options{NoWhy: true, SolveOptions: gst.SolveOptions{TimeLimit: engineLimit}}))
			}},
		{name: "Pool: caesarean teams (integer programme)", limit: 2 * time.Second, want: gst.StatusTimeLimit,
			run: func(ctx context.Context) stop { return poolTeams(ctx, nil) }},
		{name: "Pool: cancelled", limit: time.Second, want: gst.StatusCanceled,
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(time.Second, cancel)
				return ctx, cancel
			},
			run: func(ctx context.Context) stop { return poolTeams(ctx, nil) }},
		{name: "Pool: the solver's clock stops it before the context's timer", limit: 1500 * time.Millisecond, want: gst.StatusTimeLimit,
			ctx: func() (context.Context, context.CancelFunc) {
				return newLateTimer(1500*time.Millisecond, 5*time.Second)
			},
			run: func(ctx context.Context) stop { return poolTeams(ctx, nil) }},
		{name: "Transfer: shared beds (linear programme)", limit: 2 * time.Second, want: gst.StatusTimeLimit,
			run: transferBeds},
		{name: "Transfer: the solver's clock stops it before the context's timer", limit: 1500 * time.Millisecond, want: gst.StatusTimeLimit,
			ctx: func() (context.Context, context.CancelFunc) {
				return newLateTimer(1500*time.Millisecond, 5*time.Second)
			},
			run: transferBeds},
	}
	for _, c := range cases {
		ctx, cancel := context.WithTimeout(context.Background(), c.limit)
		if c.ctx != nil {
			cancel()
			ctx, cancel = c.ctx()
		}
		start := time.Now()
		got := c.run(ctx)
		elapsed := time.Since(start)
		cancel()
		t.Logf("%s: limit %v, returned after %v: status %v, value %.6g, bound %.6g, gap %.3g, err %v",
			c.name, c.limit, elapsed.Round(time.Millisecond), got.status, got.value, got.bound, got.gap, got.err)
		if elapsed > c.limit+deadlineSlack() {
			t.Errorf("%s: returned %v after a deadline of %v", c.name, elapsed-c.limit, c.limit)
		}
		if got.err != nil {
			if !c.noPlan || !errors.Is(got.err, gst.ErrNoSolution) {
				t.Errorf("%s: %v", c.name, got.err)
			}
			if got.status != 0 && got.status != c.want {
				t.Errorf("%s: status %v, want %v", c.name, got.status, c.want)
			}
			continue
		}
		if got.status != c.want || !got.plan {
			t.Errorf("%s: status %v (plan %v), want %v with a plan", c.name, got.status, got.plan, c.want)
		}
		if math.IsNaN(got.bound) || math.IsNaN(got.gap) || got.gap < 0 {
			t.Errorf("%s: bound %v, gap %v", c.name, got.bound, got.gap)
		}
	}
}

// largeLP returns a random packing programme of n columns and n rows,
// three nonzeros a row, which lp_solve takes minutes to solve.
func largeLP(n int) *lp.Model {
	rng := rand.New(rand.NewPCG(7, 7))
	m := lp.NewModel("large")
	for j := 0; j < n; j++ {
		m.AddVar("", 0, 1, -rng.Float64(), lp.Continuous)
	}
	for i := 0; i < n; i++ {
		m.AddRow("", []int{rng.IntN(n), rng.IntN(n), rng.IntN(n)}, []float64{1, 1, 1}, lp.LE, 1)
	}
	return m
}

// TestCancelledContextStopsEveryEntryPoint calls every entry point that
// takes a context with one already cancelled, on the pilot region: each
// returns the context's error (or gst.ErrNoSolution, or a plan marked
// cancelled), never a result computed as if nothing had happened.
func TestCancelledContextStopsEveryEntryPoint(t *testing.T) {
	t.Parallel()
	in, err := prepare(context.Background(), openPilot(t))
	if err != nil {
		t.Fatal(err)
	}
	r := in.region
	asg := in.assess.Attribution.Assignment
	var nodes []gst.RoadNode
	var edges []gst.RoadEdge
	for i, a := range r.Areas {
		nodes = append(nodes, gst.RoadNode{ID: string(a.ID), Lat: a.Lat, Lon: a.Lon})
		if i > 0 {
			edges = append(edges, gst.RoadEdge{From: string(r.Areas[i-1].ID), To: string(a.ID), Km: 10, Kmh: 60})
		}
	}
	roads, err := gst.NewRoadNetwork(nodes, edges)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := []struct {
		name string
		call func() (gst.Status, error)
	}{
		{"gst.Region.TravelBetween", func() (gst.Status, error) {
			_, err := r.TravelBetween(ctx, r.AreaIDs(), r.EstablishmentIDs(), &gst.Estimator{})
			return 0, err
		}},
		{"gst.Estimator.Matrix", func() (gst.Status, error) {
			_, err := (&gst.Estimator{}).Matrix(ctx, r.AreaPoints(), r.EstablishmentPoints())
			return 0, err
		}},
		{"gst.RoadNetwork.Matrix", func() (gst.Status, error) {
			_, err := roads.Matrix(ctx, r.AreaPoints(), r.EstablishmentPoints(), nil)
			return 0, err
		}},
		{"capacity.NearestAssignment", func() (gst.Status, error) {
			_, err := capacity.NearestAssignment(ctx, r, []gst.ServiceID{"delivery"}, nil)
			return 0, err
		}},
		{"capacity.Attribute", func() (gst.Status, error) {
			_, err := capacity.Attribute(ctx, r, in.demand, nil, nil)
			return 0, err
		}},
		{"capacity.Assess", func() (gst.Status, error) {
			_, err := capacity.Assess(ctx, r, &capacity.AssessInput{Rates: pilotRates(), Standards: pilotStandards()}, nil)
			return 0, err
		}},
		{"pathway.Travel", func() (gst.Status, error) {
			_, err := pathway.Travel(ctx, r, asg, nil)
			return 0, err
		}},
		{"pathway.Evaluate", func() (gst.Status, error) {
			_, err := pathway.Evaluate(ctx, r, in.set, pathway.Plan{Assignment: asg}, nil)
			return 0, err
		}},
		{"pathway.Compare", func() (gst.Status, error) {
			_, err := pathway.Compare(ctx, r, in.set, pathway.Plan{Assignment: asg}, pathway.Plan{Assignment: asg}, nil)
			return 0, err
		}},
		{"pathway.WhatIfTelemedicine", func() (gst.Status, error) {
			_, err := pathway.WhatIfTelemedicine(ctx, r, in.set, pathway.Plan{Assignment: asg},
				[]pathway.TelemedicineChange{{Pathway: in.set.Pathways[0].ID, Step: in.set.Pathways[0].Steps[0].ID, Share: 0.5}}, nil)
			return 0, err
		}},
		{"allocate.Locate", func() (gst.Status, error) {
			p, err := allocate.Locate(ctx, &allocate.Problem{Region: r, Demand: in.demand, Services: svc("caesarean"), Objective: allocate.PMedian, MaxChanges: 3}, nil)
			if err != nil {
				return 0, err
			}
			return p.Status, nil
		}},
		{"allocate.Pool", func() (gst.Status, error) {
			p, err := pool.Solve(ctx, &pool.Problem{Region: r, Need: in.need}, nil)
			if err != nil {
				return 0, err
			}
			return p.Status, nil
		}},
		{"allocate.Transfer", func() (gst.Status, error) {
			p, err := transfer.Solve(ctx, &transfer.Problem{Region: r, Demand: only(in.demand, "surgery"), AllowUnserved: true}, nil)
			if err != nil {
				return 0, err
			}
			return p.Status, nil
		}},
		{"lp.Solve", func() (gst.Status, error) {
			m := lp.NewModel("one")
			x := m.AddVar("x", 0, 1, 1, lp.Continuous)
			m.AddRow("r", []int{x}, []float64{1}, lp.GE, 0.5)
			s, err := lp.Solve(ctx, m, nil)
			if err != nil {
				return s.Status, err
			}
			return s.Status, nil
		}},
	}
	for _, c := range calls {
		st, err := c.call()
		switch {
		case err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, gst.ErrNoSolution)):
			if st != 0 && st != gst.StatusCanceled {
				t.Errorf("%s: status %v with %v", c.name, st, err)
			}
		case err == nil && st == gst.StatusCanceled:
		default:
			t.Errorf("%s with a cancelled context: status %v, error %v", c.name, st, err)
		}
		t.Logf("%s: status %v, %v", c.name, st, err)
	}
}
