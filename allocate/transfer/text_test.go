package transfer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

func TestObjectiveText(t *testing.T) {
	for _, o := range []Objective{CostAndTravel, TravelFirst} {
		b, _ := o.MarshalText()
		var back Objective
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("%v: round trip %v %v", o, back, err)
		}
	}
	var o Objective
	if err := o.UnmarshalText([]byte("travel-first")); err != nil || o != TravelFirst {
		t.Errorf("hyphens: %v %v", o, err)
	}
	if err := o.UnmarshalText([]byte("cheapest")); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("unknown objective: %v", err)
	}
}

// The solve options are checked as Locate checks them: a gap tolerance of
// 1 or more is refused.
func TestSolveOptionsChecked(t *testing.T) {
	p := &Problem{Region: xferTestRegion(t)}
	_, err := Solve(context.Background(), p, &Options{SolveOptions: gst.SolveOptions{GapTolerance: 1.5, MaxModelBytes: -1}})
	if !errors.Is(err, gst.ErrInvalid) || !strings.Contains(err.Error(), "transfer options: gap tolerance: must be in [0, 1)") ||
		!strings.Contains(err.Error(), "transfer options: max model bytes") {
		t.Errorf("got %v", err)
	}
}
