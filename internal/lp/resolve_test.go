package lp

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

// perturb changes a few right-hand sides, bounds and costs of m, as a
// caller valuing a subproblem at another point would; it sometimes flips
// the sense too.
func perturb(rng *rand.Rand, m *Model) {
	for range 1 + rng.IntN(4) {
		i := rng.IntN(m.NumRows())
		m.SetRHS(i, m.RHS(i)+float64(rng.IntN(9)-4)/2)
	}
	if rng.IntN(2) == 0 {
		j := rng.IntN(m.NumVars())
		lo, hi := m.Bounds(j)
		if !math.IsInf(hi, 1) {
			m.SetBounds(j, lo, math.Max(lo, hi+float64(rng.IntN(5)-2)/2))
		}
	}
	if rng.IntN(2) == 0 {
		j := rng.IntN(m.NumVars())
		m.SetObj(j, m.Obj(j)+float64(rng.IntN(5)-2)/2)
	}
	if rng.IntN(10) == 0 {
		m.SetMaximize(!m.Maximize())
	}
}

// sameAnswer reports whether a Resolver's answer and Solve's on the same
// model agree: the same error class and status and, with an answer, the
// same optimum and a feasible point.
func sameAnswer(t *testing.T, what string, got *Solution, gerr error, want *Solution, werr error) {
	t.Helper()
	for _, e := range []error{gst.ErrInfeasible, gst.ErrUnbounded, gst.ErrNoSolution, gst.ErrInvalid} {
		if errors.Is(gerr, e) != errors.Is(werr, e) {
			t.Fatalf("%s: Resolver error %v, Solve error %v", what, gerr, werr)
		}
	}
	if (gerr == nil) != (werr == nil) || (got == nil) != (want == nil) {
		t.Fatalf("%s: Resolver error %v, Solve error %v", what, gerr, werr)
	}
	if got == nil {
		return
	}
	if got.Status != want.Status {
		t.Fatalf("%s: Resolver status %v, Solve status %v", what, got.Status, want.Status)
	}
	if gerr != nil {
		return
	}
	if d := math.Abs(got.Objective - want.Objective); d > 1e-7*(1+math.Abs(want.Objective)) {
		t.Fatalf("%s: Resolver objective %.10g, Solve objective %.10g", what, got.Objective, want.Objective)
	}
	if got.Violation > 1e-6 || got.Bound != got.Objective {
		t.Fatalf("%s: Resolver point violates by %g, bound %g against objective %g", what, got.Violation, got.Bound, got.Objective)
	}
}

// TestResolverMatchesSolve solves random programmes again and again after
// random changes of right-hand sides, bounds, costs and sense: every
// answer agrees with a fresh Solve of the same model, infeasible and
// unbounded ones included.
func TestResolverMatchesSolve(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(11, 7))
	kinds := map[gst.Status]int{}
	for trial := range 40 {
		m := randomLP(rng, 6+rng.IntN(10), 4+rng.IntN(10)).m
		rs, err := NewResolver(m)
		if err != nil {
			t.Fatal(err)
		}
		for step := range 15 {
			duals := step%3 == 0
			got, gerr := rs.Solve(ctx, &Options{Duals: duals})
			want, werr := Solve(ctx, m, &Options{Duals: duals})
			sameAnswer(t, "trial "+itoa(trial)+" step "+itoa(step), got, gerr, want, werr)
			if duals && gerr == nil {
				checkDuals(t, m, got)
			}
			kinds[got.Status]++
			perturb(rng, m)
		}
		rs.Close()
	}
	if kinds[gst.StatusOptimal] < 100 || kinds[gst.StatusInfeasible] == 0 {
		t.Fatalf("the changes should reach optimal and infeasible programmes: %v", kinds)
	}
}

// checkDuals checks the Resolver's duals by strong duality on the
// transformed model: the objective equals Σ duals·rhs plus the reduced
// costs times the columns' values, and every reduced cost is that of
// Σ duals·a_j.
func checkDuals(t *testing.T, m *Model, s *Solution) {
	t.Helper()
	if s.Duals == nil {
		return
	}
	for j := range m.NumVars() {
		rc := m.Obj(j)
		for i := range m.NumRows() {
			cols, coefs, _, _ := m.Row(i)
			for k, c := range cols {
				if c == j {
					rc -= s.Duals[i] * coefs[k]
				}
			}
		}
		if math.Abs(rc-s.ReducedCosts[j]) > 1e-6*(1+math.Abs(rc)) {
			t.Fatalf("column %d: reduced cost %g, from the duals %g", j, s.ReducedCosts[j], rc)
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestResolverKeepsBasis checks that a Resolver starts from its last
// basis: an unchanged programme is solved again without a pivot, and one
// change of a right-hand side takes fewer pivots than a cold solve.
func TestResolverKeepsBasis(t *testing.T) {
	ctx := context.Background()
	m := newTransport(30, 60, 4).model()
	rs, err := NewResolver(m)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	first, err := rs.Solve(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := rs.Solve(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Iterations != 0 || again.Objective != first.Objective {
		t.Fatalf("the same programme again: %d iterations (want 0), objective %g against %g", again.Iterations, again.Objective, first.Objective)
	}
	m.SetRHS(35, m.RHS(35)+7)
	warm, err := rs.Solve(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	cold, err := Solve(ctx, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if warm.Iterations >= cold.Iterations || math.Abs(warm.Objective-cold.Objective) > 1e-6 {
		t.Fatalf("after one change: %d iterations against %d cold, objective %g against %g",
			warm.Iterations, cold.Iterations, warm.Objective, cold.Objective)
	}
}

// TestResolverReloads checks the cases that load the programme again:
// rows added, Close, a solve stopped by its context, and another scaling.
func TestResolverReloads(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 9))
	m := feasibleLP(rng, 10, 8)
	rs, err := NewResolver(m)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, opt *Options) {
		t.Helper()
		got, gerr := rs.Solve(ctx, opt)
		want, werr := Solve(ctx, m, opt)
		sameAnswer(t, what, got, gerr, want, werr)
	}
	check("first", nil)
	// A cut that the optimum breaks.
	x, _ := Solve(ctx, m, nil)
	cols, coefs := []int{0, 1, 2}, []float64{1, 1, 1}
	m.AddRow("cut", cols, coefs, LE, x.X[0]+x.X[1]+x.X[2]-0.5)
	check("row added", nil)
	m.AddRow("empty", nil, nil, LE, -1)
	check("empty row that cannot hold", nil)
	m.SetRHS(m.NumRows()-1, 1)
	check("empty row that holds", nil)
	rs.Close()
	rs.Close()
	check("after Close", nil)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := rs.Solve(cancelled, nil); !errors.Is(err, gst.ErrNoSolution) || rs.ld != nil {
		t.Fatalf("cancelled solve: error %v, still loaded %v", err, rs.ld != nil)
	}
	check("after a cancelled solve", nil)
	check("other scaling", &Options{Scaling: ScalingCurtisReid})
	check("time limit", &Options{TimeLimit: time.Minute})
}

// TestResolverRefuses checks the inputs a Resolver rejects.
func TestResolverRefuses(t *testing.T) {
	if _, err := NewResolver(nil); !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("nil model: %v", err)
	}
	if _, err := NewResolver(knapsack(5, 1)); !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("integer model: %v", err)
	}
	m := feasibleLP(rand.New(rand.NewPCG(1, 2)), 5, 4)
	rs, err := NewResolver(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Solve(context.Background(), &Options{Presolve: true}); !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("Presolve: %v", err)
	}
	if _, err := rs.Solve(context.Background(), &Options{TimeLimit: -1}); !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("negative time limit: %v", err)
	}
	m.SetVarKind(0, Integer)
	if _, err := rs.Solve(context.Background(), nil); !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("a column made integer: %v", err)
	}
	m.SetVarKind(0, Continuous)
	m.SetRHS(0, math.NaN())
	if _, err := rs.Solve(context.Background(), nil); !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("NaN right-hand side: %v", err)
	}
}
