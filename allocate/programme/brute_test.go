package programme

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// bruteForce enumerates every network of a small programme (the modules of
// every offer in every period, the services and sites that follow from
// them) and solves the rest (assignment, staffing, recruitment) as a linear
// programme for each: the least value is the programme's optimum. It
// returns +Inf when no network is feasible.
func bruteForce(t *testing.T, p *Problem) float64 {
	t.Helper()
	in, err := index(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	md := build(in, buildOpts{last: len(in.per) - 1})
	base := relax(md.m)
	var slots []slot
	for o := range in.offers {
		for k := range in.offers[o].installed {
			for p := range in.per {
				slots = append(slots, slot{o, k, p})
			}
		}
	}
	if len(slots) > 12 {
		t.Fatalf("%d integer slots: too many to enumerate", len(slots))
	}
	vals := make([]int, len(slots))
	best := math.Inf(1)
	var rec func(i int)
	rec = func(i int) {
		if i == len(slots) {
			if v, ok := evalNetwork(t, md, base, slots2(slots, vals)); ok && v < best {
				best = v
			}
			return
		}
		s := slots[i]
		lo, hi := md.m.Bounds(md.n[s.o][s.k][s.p])
		if s.p > 0 && !in.svc[in.offers[s.o].svc].rule.MayClose {
			lo = math.Max(lo, float64(vals[i-1])) // modules only grow
		}
		for v := int(lo); v <= int(hi); v++ {
			vals[i] = v
			rec(i + 1)
		}
	}
	rec(0)
	return best
}

type slot struct{ o, k, p int }

type netSlot struct{ o, k, p, v int }

func slots2(s []slot, v []int) []netSlot {
	out := make([]netSlot, len(s))
	for i := range s {
		out[i] = netSlot{s[i].o, s[i].k, s[i].p, v[i]}
	}
	return out
}

// fixNetwork fixes m's modules to net, and the services and sites to
// what they imply; false when that breaks a bound of the model.
func fixNetwork(md *model, m *lp.Model, net []netSlot) bool {
	in := md.in
	total := make([][]int, len(in.offers))
	for o := range total {
		total[o] = make([]int, md.np)
	}
	for _, s := range net {
		m.SetBounds(md.n[s.o][s.k][s.p], float64(s.v), float64(s.v))
		total[s.o][s.p] += s.v
	}
	built := make([]bool, len(in.sites))
	for p := 0; p < md.np; p++ {
		for o := range in.offers {
			y := 0.0
			if total[o][p] > 0 {
				y = 1
				built[in.offers[o].site] = true
			}
			lo, hi := m.Bounds(md.y[o][p])
			if y < lo || y > hi {
				return false
			}
			m.SetBounds(md.y[o][p], y, y)
		}
		for s := range in.sites {
			if md.z[s][p] >= 0 {
				m.SetBounds(md.z[s][p], b2f(built[s]), b2f(built[s]))
			}
		}
	}
	return true
}

// evalNetwork fixes a network in the relaxed model and solves the rest.
func evalNetwork(t *testing.T, md *model, base *lp.Model, net []netSlot) (float64, bool) {
	m := cloneModel(base)
	if !fixNetwork(md, m, net) {
		return 0, false
	}
	sol, err := lp.Solve(context.Background(), m, nil)
	if errors.Is(err, gst.ErrInfeasible) {
		return 0, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return sol.Objective / moneyScale, true
}

func TestBruteForce(t *testing.T) {
	n := 40
	if testing.Short() {
		n = 10
	}
	checked := 0
	for seed := uint64(1); seed <= uint64(n); seed++ {
		p := randomProblem(seed, 3)
		want := bruteForce(t, p)
		for _, method := range []Method{MIP, Compact, Benders} {
			plan, err := Solve(context.Background(), p, &Options{Method: method, NoWhy: true})
			if math.IsInf(want, 1) {
				if !errors.Is(err, gst.ErrInfeasible) {
					t.Errorf("seed %d %s: no feasible network, got err %v", seed, method, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("seed %d %s: %v", seed, method, err)
			}
			tol := 1e-6 * math.Max(1, math.Abs(want))
			if plan.Value < want-tol {
				t.Errorf("seed %d %s: value %.6f below the optimum %.6f", seed, method, plan.Value, want)
			}
			if plan.Bound > want+tol {
				t.Errorf("seed %d %s: bound %.6f above the optimum %.6f", seed, method, plan.Bound, want)
			}
			if method == MIP && math.Abs(plan.Value-want) > tol {
				t.Errorf("seed %d: lp_solve's optimum %.6f differs from enumeration %.6f", seed, plan.Value, want)
			}
			if plan.Status == gst.StatusOptimal && math.Abs(plan.Value-want) > tol {
				t.Errorf("seed %d %s: status optimal at %.6f, optimum %.6f", seed, method, plan.Value, want)
			}
			checked++
		}
	}
	if checked < n {
		t.Errorf("only %d of %d solves had a feasible programme: the generator is too tight", checked, 2*n)
	}
}

// TestBruteForceMayClose lets services close: modules fall only by
// closing, at a cost, and a closed service may open again.
func TestBruteForceMayClose(t *testing.T) {
	n := 25
	if testing.Short() {
		n = 6
	}
	closed := 0
	for seed := uint64(500); seed < uint64(500+n); seed++ {
		p := randomProblem(seed, 2)
		for i := range p.Services {
			p.Services[i].MayClose = true
			p.Services[i].CloseMAD = 1e5
		}
		// Demand falls, so that closing can pay.
		for i := range p.Demand {
			var rows []gst.Demand
			for _, d := range p.Demand[i].Table.Rows() {
				d.Volume *= math.Pow(0.5, float64(i))
				rows = append(rows, d)
			}
			p.Demand[i].Table, _ = gst.NewDemandTable(rows)
		}
		want := bruteForce(t, p)
		plan, err := Solve(context.Background(), p, &Options{NoWhy: true})
		if math.IsInf(want, 1) {
			if !errors.Is(err, gst.ErrInfeasible) {
				t.Errorf("seed %d: no feasible network, got err %v", seed, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if !near(plan.Value, want) {
			t.Errorf("seed %d: value %.6f, optimum %.6f", seed, plan.Value, want)
		}
		for _, y := range plan.Years {
			for _, o := range y.Openings {
				if o.Action == ActionClose {
					closed++
				}
			}
		}
		checkPlan(t, "may close", p, plan)
	}
	if closed == 0 {
		t.Error("no programme closed anything: the test does not exercise closing")
	}
}

// The lexicographic objective (least unserved demand, then the rest) by
// every method: the valley's programme serves everything.
func TestLexicographicMethods(t *testing.T) {
	var want float64
	for i, m := range []Method{MIP, Compact, Benders, Auto} {
		p, err := valleyProblem()
		if err != nil {
			t.Fatal(err)
		}
		p.Objective.Lexicographic = true
		plan, err := Solve(context.Background(), p, &Options{Method: m, NoWhy: true})
		if err != nil {
			t.Fatalf("%v: %v", m, err)
		}
		if plan.Status != gst.StatusOptimal || plan.UnservedValue != 0 {
			t.Errorf("%v: %v, unserved value %v", m, plan.Status, plan.UnservedValue)
		}
		if i == 0 {
			want = plan.Value
		} else if !near(plan.Value, want) {
			t.Errorf("%v: value %.6f, lp_solve %.6f", m, plan.Value, want)
		}
	}
}

func TestLexicographic(t *testing.T) {
	for seed := uint64(600); seed < 610; seed++ {
		p := randomProblem(seed, 6)
		p.Objective.Lexicographic = true
		lex, err := Solve(context.Background(), p, nil)
		// lp_solve's integer programme of the same two stages agrees on
		// whether a programme exists and on its value.
		mip, merr := Solve(context.Background(), p, &Options{Method: MIP})
		if errors.Is(err, gst.ErrInfeasible) != errors.Is(merr, gst.ErrInfeasible) {
			t.Fatalf("seed %d: the decomposition says %v, lp_solve %v", seed, err, merr)
		}
		if errors.Is(err, gst.ErrInfeasible) {
			continue
		}
		if err != nil || merr != nil {
			t.Fatal(err, merr)
		}
		if !near(lex.Value, mip.Value) {
			t.Errorf("seed %d: lexicographic value %.6f by the decomposition, %.6f by lp_solve", seed, lex.Value, mip.Value)
		}
		// Unserved demand at a price that dwarfs every other term has the
		// least unserved demand too.
		q := *p
		q.Objective.Lexicographic = false
		q.Services = append([]ServiceRule(nil), p.Services...)
		for i := range q.Services {
			q.Services[i].UnservedMAD *= 1e6
		}
		big, err := Solve(context.Background(), &q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !near(lex.UnservedValue*1e6, big.Terms.Unserved) {
			t.Errorf("seed %d: first stage %.6f, least unserved by weight %.6f", seed, lex.UnservedValue*1e6, big.Terms.Unserved)
		}
		if lex.Terms.Unserved > lex.UnservedValue*(1+1e-6)+1e-6 {
			t.Errorf("seed %d: the second stage lets unserved demand grow: %.6f > %.6f", seed, lex.Terms.Unserved, lex.UnservedValue)
		}
	}
}
