package transfer

import (
	"errors"
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
