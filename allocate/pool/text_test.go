package pool

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

func TestEnumText(t *testing.T) {
	for _, g := range []Granularity{Continuous, Sessions, Posts} {
		b, _ := g.MarshalText()
		var back Granularity
		if err := back.UnmarshalText(b); err != nil || back != g {
			t.Errorf("%v: round trip %v %v", g, back, err)
		}
	}
	for _, m := range []Method{Auto, MIP, Heuristic} {
		b, _ := m.MarshalText()
		var back Method
		if err := back.UnmarshalText(b); err != nil || back != m {
			t.Errorf("%v: round trip %v %v", m, back, err)
		}
	}
	var g Granularity
	if err := g.UnmarshalText([]byte("Sessions")); err != nil || g != Sessions {
		t.Errorf("any case: %v %v", g, err)
	}
	var m Method
	if err := m.UnmarshalText([]byte("simplex")); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("unknown method: %v", err)
	}
	if err := g.UnmarshalText([]byte("hours")); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("unknown granularity: %v", err)
	}
}

// The solve options are checked as Locate checks them: a gap tolerance of
// 1 or more is refused.
func TestSolveOptionsChecked(t *testing.T) {
	p := &Problem{Region: poolTestRegion(t)}
	_, err := Solve(context.Background(), p, &Options{SolveOptions: gst.SolveOptions{GapTolerance: 1, TimeLimit: -1}})
	if !errors.Is(err, gst.ErrInvalid) || !strings.Contains(err.Error(), "pool options: gap tolerance: must be in [0, 1)") ||
		!strings.Contains(err.Error(), "pool options: time limit") {
		t.Errorf("got %v", err)
	}
}
