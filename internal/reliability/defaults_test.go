package reliability

import (
	"context"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/pool"
	"github.com/gstplan/gst/capacity"
)

// TestPublicDefaultsAgree pins finding 6: the staff need capacity computes
// with its default catchments (the nearest public establishment) goes to
// establishments the pool package can staff, passed on as it is, with no
// filtering of private clinics by the caller.
func TestPublicDefaultsAgree(t *testing.T) {
	ctx := context.Background()
	r := openPilot(t)
	a, err := capacity.Assess(ctx, r, &capacity.AssessInput{Rates: pilotRates(), Standards: pilotStandards()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var need []pool.Need
	for _, row := range a.WISN.Rows {
		e, _ := r.Establishment(row.Establishment)
		if e.Ownership != gst.Public {
			t.Fatalf("the default catchments send need to the private %s", row.Establishment)
		}
		need = append(need, pool.Need{Establishment: row.Establishment, Category: row.Category, FTE: row.Required})
	}
	if len(need) == 0 {
		t.Fatal("no need")
	}
	if _, err := pool.Solve(ctx, &pool.Problem{Region: r, Need: need, Rules: pool.Rules{MaxCommuteMinutes: 60}}, nil); err != nil {
		t.Errorf("pooling the default need: %v", err)
	}
}
