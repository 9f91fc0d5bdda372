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
	"github.com/gstplan/gst/internal/lp"
)

// deadlineSlack is how far past its deadline a solve may return: lp_solve's
// own time limit counts whole seconds (internal/lp polls an abort flag and
// stops within milliseconds, but a solver checks its context only between
// steps), plus two seconds for a loaded two-core machine, or the race
// detector, to build the answer after the stop.
const deadlineSlack = time.Second + 2*time.Second

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

func poolStop(p *allocate.PoolPlan, err error) stop {
	if err != nil {
		return stop{err: err}
	}
	return stop{status: p.Status, value: p.WeightedUnmet, bound: p.Bound, gap: p.Gap, plan: p.Sites != nil}
}

func transferStop(p *allocate.TransferPlan, err error) stop {
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
	poolTeams := func(ctx context.Context, opt *allocate.PoolOptions) stop {
		if opt == nil {
			opt = &allocate.PoolOptions{}
		}
		opt.Granularity = allocate.PoolPosts
		return poolStop(allocate.Pool(ctx, &allocate.PoolProblem{Region: pilot.region, Need: pilot.need, Teams: pilot.teams}, opt))
	}
	uniform, uniformDemand := synth(t, synthSpec{seed: 1, areas: 1000, ests: 500, towns: 1000, candidate: true})
	clustered, clusteredDemand := synth(t, synthSpec{seed: 2, areas: 1500, ests: 800, candidate: true})
	beds, bedsDemand := synth(t, synthSpec{seed: 3, areas: 3000, ests: 150, capacity: 1500})
	transferBeds := func(ctx context.Context) stop {
		return transferStop(allocate.Transfer(ctx, &allocate.TransferProblem{Region: beds, Demand: bedsDemand, AllowUnserved: true,
			Services: []allocate.TransferService{{Service: "s", MaxMinutes: 90}},
			Uses:     []allocate.TransferUse{{Service: "s", Resource: "beds", PerCase: 0.004}}}, &allocate.TransferOptions{MaxLPColumns: 1 << 20}))
	}
	bigLP := largeLP(60000)

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
		{name: "Locate: p-median engine", limit: 1500 * time.Millisecond, want: gst.StatusTimeLimit,
			run: func(ctx context.Context) stop {
				return locateStop(allocate.Locate(ctx, &allocate.Problem{Region: clustered, Demand: clusteredDemand, Objective: allocate.PMedian, P: 80}, &allocate.Options{NoWhy: true}))
			}},
		{name: "Locate: p-median engine, Options.TimeLimit", limit: 1500 * time.Millisecond, want: gst.StatusTimeLimit,
			ctx: func() (context.Context, context.CancelFunc) { return context.Background(), func() {} },
			run: func(ctx context.Context) stop {
				return locateStop(allocate.Locate(ctx, &allocate.Problem{Region: clustered, Demand: clusteredDemand, Objective: allocate.PMedian, P: 80},
					&allocate.Options{NoWhy: true, TimeLimit: 1500 * time.Millisecond}))
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
		if elapsed > c.limit+deadlineSlack {
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
