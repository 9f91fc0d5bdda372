package allocate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

// TestInfeasibleNames pins finding 4 in messages: the areas, service and
// province an infeasibility names carry their names, in any script, as
// well as their codes.
func TestInfeasibleNames(t *testing.T) {
	r, d := changesRegion(t)
	r.Areas[0].Name, r.Areas[3].Name = "Azrou", "عين اللوح"
	r.Services[0].Name = "Caesarean section"
	_, err := Locate(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: 1, MaxTravel: 4}, nil)
	if !errors.Is(err, gst.ErrInfeasible) {
		t.Fatalf("want infeasible, got %v", err)
	}
	for _, want := range []string{`service "s" (Caesarean section)`, "a1 (Azrou)", "a4 (عين اللوح)", "a2, "} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q not in %v", want, err)
		}
	}
}
