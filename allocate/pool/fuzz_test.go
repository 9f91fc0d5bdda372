package pool

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/fuzzgen"
)

// FuzzPool builds small problems from the fuzzer's bytes (see
// allocate/internal/fuzzgen) and checks that Solve never panics, returns
// only typed errors, and returns plans that keep every home within its
// spare staff.
func FuzzPool(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{4, 4, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24})
	f.Add([]byte("staff pooling with teams, caps, floors and sessions"))
	f.Fuzz(func(t *testing.T, b []byte) {
		in := fuzzgen.NewInput(b)
		r, _ := fuzzgen.Region(in)
		p := &Problem{Region: r, TravelSource: gst.TravelSource{Travel: fuzzgen.Matrix(in, r), NoEstimate: in.Intn(4) == 0},
			Rules: Rules{MaxCommuteMinutes: in.Pick(fuzzgen.Mins...), MaxAwayShare: in.Frac(), MinStayFTE: in.Pick(0, 1, -1),
				MinStayShare: in.Frac(), MaxMovedFTE: in.Pick(0, 1, 3), MaxMoves: in.Intn(3), DeprivationWeight: in.Pick(0, 1),
				PerKmMAD: in.Pick(0, 2), IncludePrivate: in.Bool(), PerMoveMAD: in.Pick(0, 0, 150), MinMoveSessions: in.Intn(4)}}
		for k := in.Intn(5); k > 0; k-- {
			e := r.Establishments[in.Intn(len(r.Establishments))]
			p.Need = append(p.Need, Need{Establishment: e.ID, Category: gst.CategoryID(fmt.Sprintf("c%d", in.Intn(2))),
				FTE: in.Pick(fuzzgen.FTE...), MinFTE: in.Pick(0, 0, 1, 3), Priority: in.Pick(0, 1, 2, -1)})
		}
		for k := in.Intn(3); k > 0; k-- {
			e := r.Establishments[in.Intn(len(r.Establishments))]
			p.Teams = append(p.Teams, Team{Establishment: e.ID, Service: "s0", Required: in.Intn(4) == 0,
				Roles: []Role{{Category: "c0", FTE: in.Pick(1, 2, 0)}, {Category: "c1", FTE: in.Pick(1, 0.5)}}})
		}
		for k := in.Intn(2); k > 0; k-- {
			e := r.Establishments[in.Intn(len(r.Establishments))]
			p.Floors = append(p.Floors, FTE{Establishment: e.ID, Category: "c0", FTE: in.Pick(fuzzgen.FTE...)})
		}
		opt := &Options{Granularity: Granularity(in.Intn(3)), Method: Method(in.Intn(3)), SolveOptions: gst.SolveOptions{TimeLimit: 2 * time.Second},
			UnmetValueMAD: in.Pick(0, 0, 1000)}
		plan, err := Solve(context.Background(), p, opt)
		if err != nil {
			fuzzgen.TypedErr(t, err)
			return
		}
		if !plan.Status.HasSolution() || math.IsNaN(plan.WeightedUnmet) || math.IsNaN(plan.Bound) || !(plan.Gap >= 0) {
			t.Fatalf("plan status %v unmet %v bound %v gap %v", plan.Status, plan.WeightedUnmet, plan.Bound, plan.Gap)
		}
		out := map[[2]string]float64{}
		for _, m := range plan.Moves {
			if !(m.FTE > 0) || m.From == m.To {
				t.Fatalf("move %+v", m)
			}
			out[[2]string{string(m.From), string(m.Category)}] += m.FTE
		}
		for _, s := range plan.Sites {
			if got := out[[2]string{string(s.Establishment), string(s.Category)}]; got > s.Spare+1e-6 || s.Present < -1e-9 {
				t.Fatalf("site %+v sends %v", s, got)
			}
		}
		if _, err := json.Marshal(plan); err != nil {
			t.Fatal(err)
		}
	})
}
