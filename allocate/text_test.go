package allocate

import (
	"encoding"
	"errors"
	"testing"

	"github.com/gstplan/gst"
)

// textEnum is an enumeration that travels as text.
type textEnum interface {
	encoding.TextMarshaler
	String() string
}

// roundTrip checks that every value comes back from its text, and that
// the other spellings decode to the wanted values.
func roundTrip[T textEnum](t *testing.T, values []T, decode func([]byte) (T, error), spellings map[string]T) {
	t.Helper()
	for _, v := range values {
		b, err := v.MarshalText()
		if err != nil {
			t.Fatalf("%v: %v", v, err)
		}
		if string(b) != v.String() {
			t.Errorf("%v: text %q", v, b)
		}
		if back, err := decode(b); err != nil || back.String() != v.String() {
			t.Errorf("%v: round trip %v %v", v, back, err)
		}
	}
	for s, want := range spellings {
		if got, err := decode([]byte(s)); err != nil || got.String() != want.String() {
			t.Errorf("%q: %v %v, want %v", s, got, err, want)
		}
	}
	if _, err := decode([]byte("nonsense")); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("unknown text: %v", err)
	}
}

// unmarshal decodes a value of T from text.
func unmarshal[T any, P interface {
	*T
	encoding.TextUnmarshaler
}](b []byte) (T, error) {
	var v T
	err := P(&v).UnmarshalText(b)
	return v, err
}

func TestEnumText(t *testing.T) {
	roundTrip(t, []Objective{PMedian, PCenter, WeightedPCenter, SetCovering, MaxCoverage, BackupCoverage, FixedCharge},
		unmarshal[Objective],
		map[string]Objective{"weighted-p-center": WeightedPCenter, "Set_Covering": SetCovering, "max-coverage": MaxCoverage})
	roundTrip(t, []Capacity{Uncapacitated, SplitDemand, SingleSource},
		unmarshal[Capacity],
		map[string]Capacity{"none": Uncapacitated, "split": SplitDemand, "single-source": SingleSource})
	roundTrip(t, []Metric{Minutes, Kilometres},
		unmarshal[Metric],
		map[string]Metric{"KM": Kilometres, "kilometres": Kilometres})
	roundTrip(t, []Method{Auto, MIP, Engine},
		unmarshal[Method],
		map[string]Method{"MIP": MIP})
	roundTrip(t, []Change{Stays, Opens, Closes, StaysClosed},
		unmarshal[Change],
		map[string]Change{"stays-closed": StaysClosed})
}
