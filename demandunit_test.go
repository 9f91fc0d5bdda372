package gst

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestDemandUnit pins that a table carries its unit through WithUnit,
// Select and JSON, and that a table in cases keeps its plain JSON form.
func TestDemandUnit(t *testing.T) {
	d, err := NewDemandTable([]Demand{{Area: "a", Service: "s", Volume: 2}, {Area: "a", Service: "t", Volume: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Unit() != Cases {
		t.Errorf("new table in %v, want cases", d.Unit())
	}
	b, _ := json.Marshal(d)
	if string(b) != `[{"area":"a","service":"s","volume":2},{"area":"a","service":"t","volume":3}]` {
		t.Errorf("cases JSON %s", b)
	}
	tr, err := d.WithUnit(Trips)
	if err != nil || tr.Unit() != Trips || d.Unit() != Cases {
		t.Fatalf("WithUnit: %v, %v, %v", err, tr.Unit(), d.Unit())
	}
	sel := tr.Select("t")
	if sel.Unit() != Trips || sel.Len() != 1 || sel.Volume("a", "t") != 3 || sel.Volume("a", "s") != 0 {
		t.Errorf("Select: unit %v, %d rows", sel.Unit(), sel.Len())
	}
	b, _ = json.Marshal(sel)
	if string(b) != `{"unit":"trips","rows":[{"area":"a","service":"t","volume":3}]}` {
		t.Errorf("trips JSON %s", b)
	}
	var back DemandTable
	if err := json.Unmarshal(b, &back); err != nil || back.Unit() != Trips || back.Volume("a", "t") != 3 {
		t.Errorf("round trip: %v, %v", err, back.Unit())
	}
	if err := json.Unmarshal([]byte(`{"unit":"furlongs","rows":[]}`), &back); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown unit: %v", err)
	}
	if _, err := d.WithUnit(DemandUnit(9)); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid unit: %v", err)
	}
}
