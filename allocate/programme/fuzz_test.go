package programme

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

// mutate applies one edit chosen by a byte to a problem: out-of-range,
// non-finite or contradictory values in every part of it.
func mutate(p *Problem, op, arg byte) {
	vals := []float64{0, -1, math.NaN(), math.Inf(1), 1e12, 0.5, 3}
	v := vals[int(arg)%len(vals)]
	switch op % 20 {
	case 0:
		p.Modules[0].Capacity = v
	case 1:
		p.Modules[0].CapitalMAD = v
	case 2:
		p.Modules[0].MaxPerSite = int(arg) - 3
	case 3:
		p.Services[0].UnservedMAD = v
	case 4:
		p.Services[0].Reach = int(arg) - 2
	case 5:
		p.Categories[0].AttritionRate = v
	case 6:
		p.Categories[1].RecruitPerYear = v
	case 7:
		p.Categories[0].LeadTimeYears = int(arg) - 2
	case 8:
		p.Periods[len(p.Periods)-1].Years = int(arg%4) - 1
	case 9:
		if len(p.Demand) > 0 {
			p.Demand = p.Demand[:int(arg)%len(p.Demand)]
		}
	case 10:
		p.Pooling.MaxAwayShare = v
	case 11:
		p.CapitalBudget = append(p.CapitalBudget, YearMAD{Year: p.Periods[0].Start + int(arg%6), MAD: v})
	case 12:
		p.TotalBudgetMAD = v
	case 13:
		p.MinCoverage = append(p.MinCoverage, CoverageRule{MinShare: v})
	case 14:
		p.Fix = append(p.Fix, Fix{Establishment: "k1", Service: "s1", Open: arg%2 == 0, Year: p.Periods[0].Start + int(arg%3)})
	case 15:
		p.Installed = append(p.Installed, Installed{Establishment: "e1", Module: p.Modules[0].ID, Count: int(arg) - 1})
	case 16:
		p.Committed = append(p.Committed, Committed{Establishment: "e1", Category: "doc", FTE: v})
	case 17:
		p.Objective.DiscountRate = v
	case 18:
		p.Modules[0].Staff = append(p.Modules[0].Staff, Requirement{Category: "doc", FTE: v})
	case 19:
		p.Services[0].Team = []Requirement{{Category: "nurse", FTE: v}}
	}
}

func FuzzSolve(f *testing.F) {
	for _, s := range []struct {
		seed uint64
		ops  []byte
	}{{1, nil}, {2, []byte{0, 2}}, {3, []byte{5, 4, 9, 1}}, {4, []byte{14, 0, 15, 3}}, {5, []byte{8, 0, 11, 1, 13, 6}}} {
		f.Add(s.seed, s.ops)
	}
	f.Fuzz(func(t *testing.T, seed uint64, ops []byte) {
		p := randomProblem(seed%1000, 4)
		for i := 0; i+1 < len(ops) && i < 16; i += 2 {
			mutate(p, ops[i], ops[i+1])
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		pl, err := Solve(ctx, p, &Options{NoWhy: true})
		if err != nil {
			for _, s := range []error{gst.ErrInvalid, gst.ErrInfeasible, gst.ErrNoSolution, gst.ErrTooLarge} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error without a sentinel: %v", err)
		}
		if pl.Status.HasSolution() && pl.Status == gst.StatusOptimal {
			checkPlan(t, "fuzz", p, pl)
		}
	})
}
