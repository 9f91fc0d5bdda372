package programme

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

// joinedProblem is k copies of randomProblem(seed)'s region, each moved
// apart by apart degrees of latitude, with their own demand (the base
// demand times 0.5 to 1.5), under one set of services, modules and
// categories, with budgets and recruitment k times the base's.
func joinedProblem(seed uint64, k int, apart float64) *Problem {
	return joinedProblemWith(seed, k, apart, float64(k))
}

// joinedProblemWith is joinedProblem with budgets and recruitment limits
// share times the base's.
func joinedProblemWith(seed uint64, k int, apart, share float64) *Problem {
	base := randomProblem(seed, 6)
	p := *base
	b := base.Region
	r := &gst.Region{ID: b.ID, Name: b.Name, Services: b.Services, Categories: b.Categories}
	p.Region = r
	p.Services = append([]ServiceRule(nil), base.Services...)
	for s := range p.Services {
		p.Services[s].Sites = nil
	}
	rows := make([][]gst.Demand, len(base.Demand))
	for i := 0; i < k; i++ {
		pre := fmt.Sprintf("g%d-", i)
		for _, a := range base.Region.Areas {
			a.ID = gst.AreaID(pre + string(a.ID))
			a.Province = gst.ProvinceID(pre + string(a.Province))
			a.Lat += apart * float64(i)
			r.Areas = append(r.Areas, a)
		}
		for _, e := range base.Region.Establishments {
			e.ID = gst.EstablishmentID(pre + string(e.ID))
			e.Lat += apart * float64(i)
			r.Establishments = append(r.Establishments, e)
		}
		for s := range base.Services {
			for _, id := range base.Services[s].Sites {
				p.Services[s].Sites = append(p.Services[s].Sites, gst.EstablishmentID(pre+string(id)))
			}
		}
		f := 0.5 + float64((int(seed)+i)%3)*0.5
		for y, yd := range base.Demand {
			for _, a := range base.Region.Areas {
				for _, sr := range base.Services {
					rows[y] = append(rows[y], gst.Demand{Area: gst.AreaID(pre + string(a.ID)), Service: sr.Service, Volume: f * yd.Table.Volume(a.ID, sr.Service)})
				}
			}
		}
	}
	p.Demand = nil
	for y, yd := range base.Demand {
		t, err := gst.NewDemandTable(rows[y])
		if err != nil {
			panic(err)
		}
		p.Demand = append(p.Demand, YearDemand{Year: yd.Year, Table: t})
	}
	scale := func(b []YearMAD) []YearMAD {
		out := append([]YearMAD(nil), b...)
		for i := range out {
			out[i].MAD *= share
		}
		return out
	}
	p.CapitalBudget, p.RunningBudget = scale(base.CapitalBudget), scale(base.RunningBudget)
	p.TotalBudgetMAD *= share
	p.Categories = append([]CategoryRule(nil), base.Categories...)
	for c := range p.Categories {
		p.Categories[c].RecruitPerYear *= share
	}
	return &p
}

// withPartSizes sets the least part that a programme is divided into
// for the length of a test.
func withPartSizes(t *testing.T, least int) {
	old := minPartAreas
	minPartAreas = least
	t.Cleanup(func() { minPartAreas = old })
}

// TestPartsAgainstMIP: programmes of three regions far apart are solved
// part by part, and their value is lp_solve's optimum of the whole, their
// bound no higher: with ample budgets (the parts' programmes together
// keep them), with budgets barely above one region's (together they
// break them, and the whole is searched), with ample budgets from the
// sequential plan, and with one node per search (the parts stop short of
// their optimum, and their bounds hold).
func TestPartsAgainstMIP(t *testing.T) {
	withPartSizes(t, 1)
	n := 10
	if testing.Short() {
		n = 4
	}
	for _, c := range []struct {
		name         string
		share        float64
		nodes        int
		sequential   bool
		optimal      bool // the plan is lp_solve's optimum
		closed, held int  // the least counts of plans whose parts closed the gap, and whose search started from them
	}{
		{name: "ample budgets", share: 3, optimal: true, closed: n / 2},
		{name: "ample budgets, from the sequential plan", share: 3, sequential: true, optimal: true, closed: n / 2},
		{name: "tight budgets", share: 1, optimal: true, held: 1},
		{name: "one node", share: 3, nodes: 1},
	} {
		closed, held := 0, 0
		for seed := uint64(900); seed < uint64(900+n); seed++ {
			p := joinedProblemWith(seed, 3, 5, c.share)
			a, errA := Solve(context.Background(), p, &Options{NoWhy: true, MaxNodes: c.nodes, Sequential: c.sequential})
			m, errM := Solve(context.Background(), p, &Options{Method: MIP, NoWhy: true})
			if (errA == nil) != (errM == nil) {
				t.Fatalf("%s, seed %d: parts err %v, lp_solve err %v", c.name, seed, errA, errM)
			}
			if errA != nil {
				continue
			}
			if c.optimal && !near(a.Value, m.Value) {
				t.Errorf("%s, seed %d: parts %.6f, lp_solve %.6f", c.name, seed, a.Value, m.Value)
			}
			if a.Value < m.Value-1e-6*math.Max(1, math.Abs(m.Value)) || a.Bound > m.Value+1e-6*math.Max(1, math.Abs(m.Value)) {
				t.Errorf("%s, seed %d: value %.6f and bound %.6f around lp_solve's optimum %.6f", c.name, seed, a.Value, a.Bound, m.Value)
			}
			if hasNote(a, "each was solved on its own") {
				closed++
			}
			if hasNote(a, "started from their programmes together") || hasNote(a, "break a budget") {
				held++
			}
		}
		t.Logf("%s: %d of %d closed by the parts, %d searched whole after them", c.name, closed, n, held)
		if closed < c.closed || held < c.held || closed+held == 0 {
			t.Errorf("%s: %d of %d closed by the parts, %d searched whole after them", c.name, closed, n, held)
		}
	}
}

// TestSplitFarApart: regions far apart are parts of their own; near
// each other (their areas reach each other's sites) they are one.
func TestSplitFarApart(t *testing.T) {
	for _, c := range []struct {
		apart float64
		want  int
	}{{5, 3}, {0, 1}} {
		p := joinedProblem(901, 3, c.apart)
		in, err := index(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		parts := in.split()
		if len(parts) < c.want || (c.want == 1 && len(parts) != 1) {
			t.Errorf("apart %v: %d parts, want %d", c.apart, len(parts), c.want)
		}
		areas, staff := 0, 0
		for _, pt := range parts {
			areas += len(pt.areas)
			staff += len(pt.staff)
		}
		if areas != len(in.areas) || staff != len(in.staff) {
			t.Errorf("apart %v: the parts hold %d areas and %d staff sites of %d and %d", c.apart, areas, staff, len(in.areas), len(in.staff))
		}
	}
}

// TestPartsFrontier: the frontier of a programme solved part by part
// starts from a search that ended at the parts' bound; every level is
// lp_solve's optimum at its budgets, with a bound that holds.
func TestPartsFrontier(t *testing.T) {
	withPartSizes(t, 1)
	n := 6
	if testing.Short() {
		n = 2
	}
	levels := []float64{0.4, 0.8, 1.5}
	for seed := uint64(940); seed < uint64(940+n); seed++ {
		p := joinedProblemWith(seed, 3, 5, 1.5)
		plan, err := Solve(context.Background(), p, &Options{NoWhy: true, Frontier: levels})
		if errors.Is(err, gst.ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if !hasNote(plan, "splits into 3 parts") {
			t.Errorf("seed %d: not solved part by part: %q", seed, plan.Notes)
		}
		for i, l := range levels {
			fp := plan.Frontier[i]
			ref, err := Solve(context.Background(), scaledBudgets(p, l), &Options{Method: MIP, NoWhy: true})
			if errors.Is(err, gst.ErrInfeasible) {
				if !fp.Infeasible {
					t.Errorf("seed %d level %v: %v (%v), lp_solve infeasible", seed, l, fp.Value, fp.Status)
				}
				continue
			}
			if err != nil {
				t.Fatalf("seed %d level %v: lp_solve: %v", seed, l, err)
			}
			if fp.Infeasible || fp.Unsolved || !near(fp.Value, ref.Value) || fp.Bound > ref.Value+1e-6*(1+ref.Value) {
				t.Errorf("seed %d level %v: %.6f (bound %.6f, infeasible %v, unsolved %v), lp_solve %.6f", seed, l, fp.Value, fp.Bound, fp.Infeasible, fp.Unsolved, ref.Value)
			}
		}
	}
}

// TestOpenPartsSolvedAgain: parts whose first search stopped short of the
// gap tolerance (one node) are searched again from their programmes when
// the parts have time left, and end within it, never worse.
func TestOpenPartsSolvedAgain(t *testing.T) {
	withPartSizes(t, 1)
	again := 0
	for seed := uint64(960); seed < 968; seed++ {
		p := joinedProblemWith(seed, 3, 5, 3)
		r, cancel, err := newRun(context.Background(), p, &Options{NoWhy: true, MaxNodes: 1})
		if err != nil {
			t.Fatal(err)
		}
		parts := r.divide()
		if len(parts) != 3 {
			cancel()
			t.Fatalf("seed %d: %d parts, want 3", seed, len(parts))
		}
		var states []*partState
		before := map[*partState]result{}
		for _, pt := range parts {
			st := r.newPartState(pt)
			if err := r.solvePart(context.Background(), st, 1); err != nil {
				break
			}
			states = append(states, st)
			before[st] = *st.res
			st.pr.opt.MaxNodes = 0
		}
		if len(states) < len(parts) {
			cancel()
			continue
		}
		ctx, stop := context.WithTimeout(context.Background(), time.Minute)
		r.solveOpenParts(ctx, states)
		stop()
		cancel()
		for i, st := range states {
			b := before[st]
			if gst.Gap(b.value, b.bound) > r.opt.GapTolerance {
				again++
			}
			if st.res.value > b.value+1e-9*math.Abs(b.value) || st.res.bound < b.bound-1e-9*math.Abs(b.bound) {
				t.Errorf("seed %d part %d: %v (bound %v) after %v (bound %v)", seed, i, st.res.value, st.res.bound, b.value, b.bound)
			}
			if g := gst.Gap(st.res.value, st.res.bound); g > r.opt.GapTolerance {
				t.Errorf("seed %d part %d: gap %v after the second search", seed, i, g)
			}
		}
	}
	if again == 0 {
		t.Errorf("no part stopped short of the tolerance at one node")
	}
	t.Logf("%d parts searched again", again)
}

// TestPartsReportBound: while the parts are solved, the sum of the bounds
// of those done is reported, a bound of the whole that rises toward the
// plan's.
func TestPartsReportBound(t *testing.T) {
	withPartSizes(t, 1)
	p := joinedProblem(903, 3, 5)
	var reports []gst.Progress
	plan, err := Solve(context.Background(), p, &Options{NoWhy: true, SolveOptions: gst.SolveOptions{Progress: func(pr gst.Progress) { reports = append(reports, pr) }}})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Solve(context.Background(), p, &Options{Method: MIP, NoWhy: true})
	if err != nil {
		t.Fatal(err)
	}
	early := 0
	for _, pr := range reports {
		if math.IsNaN(pr.Value) && pr.Bound > 0 {
			early++
		}
		if pr.Bound > ref.Value+1e-6*math.Max(1, ref.Value) {
			t.Errorf("bound %v reported above lp_solve's optimum %v", pr.Bound, ref.Value)
		}
	}
	if early < 3 {
		t.Errorf("%d bounds reported before the first programme, want one a part (3): %+v", early, reports)
	}
	if last := reports[len(reports)-1]; last.Value != plan.Value {
		t.Errorf("last report %v, plan %v", last.Value, plan.Value)
	}
}
