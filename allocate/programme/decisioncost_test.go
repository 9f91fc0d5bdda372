package programme

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

// TestDecisionCostRange prices the decisions of random programmes and
// checks each against lp_solve's optima with and without the decision
// reversed: the true cost of reversing lies within [DeltaLow, DeltaHigh],
// Delta too, and every decision priced is one the plan reports (a
// service it offers in its last year, or one it leaves closed).
func TestDecisionCostRange(t *testing.T) {
	priced, wide, adopted := 0, 0, 0
	for seed := uint64(900); seed < 930; seed++ {
		p := randomProblem(seed, 4)
		ref, err := Solve(context.Background(), p, &Options{Method: MIP, NoWhy: true})
		if err != nil {
			continue
		}
		plan, err := Solve(context.Background(), p, &Options{DecisionCosts: true, DecisionCostLimit: 4, NoWhy: true, SolveOptions: gst.SolveOptions{GapTolerance: 0.3}, MaxNodes: 1})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for _, n := range plan.Notes {
			if strings.Contains(n, "decision reversed found a better programme") {
				adopted++
			}
		}
		offered := offeredAtEnd(p, plan)
		for _, c := range plan.DecisionCosts {
			key := string(c.Establishment) + "/" + string(c.Service)
			if (c.Reverse == "forbid") != offered[key] {
				t.Errorf("seed %d: %s %s priced, but the plan offers it: %v", seed, c.Reverse, key, offered[key])
			}
			if c.Unsolved || c.Infeasible {
				continue
			}
			q := *p
			q.Fix = append(append([]Fix(nil), p.Fix...), Fix{Establishment: c.Establishment, Service: c.Service, Open: c.Reverse == "force"})
			rev, err := Solve(context.Background(), &q, &Options{Method: MIP, NoWhy: true})
			if err != nil {
				t.Fatalf("seed %d: %s %s: lp_solve: %v", seed, c.Reverse, key, err)
			}
			truth := rev.Value - ref.Value
			tol := 1e-6 * math.Max(1, math.Abs(ref.Value))
			if truth < c.DeltaLow-tol || truth > c.DeltaHigh+tol || c.Delta < c.DeltaLow-tol || c.Delta > c.DeltaHigh+tol {
				t.Errorf("seed %d: %s %s: true cost %.2f, delta %.2f, range [%.2f, %.2f]", seed, c.Reverse, key, truth, c.Delta, c.DeltaLow, c.DeltaHigh)
			}
			if c.DeltaHigh-c.DeltaLow > tol {
				wide++
			}
			priced++
		}
	}
	t.Logf("%d priced, %d wide, %d adopted", priced, wide, adopted)
	if priced == 0 || wide == 0 {
		t.Fatalf("%d decisions priced, %d with a range wider than the tolerance: the test checks nothing", priced, wide)
	}
}

// offeredAtEnd returns the services each establishment offers in the
// plan's last year ("establishment/service"): those open today, then
// each year's openings and closures.
func offeredAtEnd(p *Problem, plan *Plan) map[string]bool {
	svcOf := map[ModuleID]gst.ServiceID{}
	for _, m := range p.Modules {
		svcOf[m.ID] = m.Service
	}
	out := map[string]bool{}
	for _, in := range p.Installed {
		if in.Count > 0 {
			out[string(in.Establishment)+"/"+string(svcOf[in.Module])] = true
		}
	}
	for _, y := range plan.Years {
		for _, o := range y.Openings {
			out[string(o.Establishment)+"/"+string(o.Service)] = o.Action != ActionClose
		}
	}
	return out
}
