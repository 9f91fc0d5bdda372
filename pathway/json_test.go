package pathway

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	gst "github.com/gstplan/gst"
)

func TestJSONRoundTrip(t *testing.T) {
	for _, s := range []*Set{Defaults(), toySet()} {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, s); err != nil {
			t.Fatal(err)
		}
		got, err := ReadJSON(bytes.NewReader(buf.Bytes()), "set.json")
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(s, got); d != "" {
			t.Errorf("round trip (-want +got):\n%s", d)
		}
		var again bytes.Buffer
		if err := WriteJSON(&again, got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), again.Bytes()) {
			t.Error("writing twice gives different bytes")
		}
	}
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string
	}{
		{"syntax", "{\n  \"pathways\": [\n    {\"id\": \"x\",, }\n  ]\n}", []string{"in.json:3:16: pathway document: invalid character ','"}},
		{"unknown field", `{"pathways": [], "extra": 1}`, []string{`in.json:1:18: pathway document: json: unknown field "extra"`}},
		{"type", `{"pathways": [{"id": "x", "incidence_per_1000": "ten", "steps": []}]}`,
			[]string{"in.json:1:53: pathway document: field pathways.incidence_per_1000: cannot read a JSON string as float64"}},
		{"bad level", `{"pathways": [{"id": "x", "steps": [{"id": "s", "service": "a", "level": "clinic"}]}]}`,
			[]string{`unknown level "clinic"`}},
		{"empty", "", []string{"in.json: pathway document: empty document"}},
		{"truncated", `{"pathways": [`, []string{"in.json:1:15: pathway document: unexpected end"}},
		{"trailing", `{"pathways": []} {}`, []string{"trailing data"}},
		{"invalid set", `{"pathways": [{"id": "m", "incidence_per_1000": -1, "steps": [{"id": "a", "service": "s", "probability": 2, "visits_per_episode": 1}]}]}`,
			[]string{`in.json: pathway "m": incidence_per_1000`, `in.json: pathway "m" step "a": probability`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.doc), "in.json")
			if !errors.Is(err, gst.ErrInvalid) {
				t.Fatalf("want ErrInvalid, got %v", err)
			}
			var list []error
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				list = j.Unwrap()
			} else {
				list = []error{err}
			}
			if len(list) != len(tc.want) {
				t.Fatalf("got %d problems, want %d: %v", len(list), len(tc.want), err)
			}
			for i, e := range list {
				if !strings.Contains(e.Error(), tc.want[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, e.Error(), tc.want[i])
				}
			}
		})
	}
	big := strings.NewReader(`{"pathways": [` + strings.Repeat(" ", MaxJSONBytes) + `]}`)
	if _, err := ReadJSON(big, "big.json"); !errors.Is(err, gst.ErrTooLarge) {
		t.Errorf("large document: %v", err)
	}
	if err := WriteJSON(&bytes.Buffer{}, &Set{}); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("writing an empty set: %v", err)
	}
}

func FuzzReadJSON(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, toySet()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add(`{"pathways": [{"id": "x", "steps": [{"id": "a", "parent": "a", "service": "s"}]}]}`)
	f.Add(`{"pathways": [{"id": "x", "steps": [{"id": "a", "service": "s", "level": "chu", "probability": 0.5}]}]}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, doc string) {
		s, err := ReadJSON(strings.NewReader(doc), "fuzz.json")
		if err != nil {
			if !errors.Is(err, gst.ErrInvalid) && !errors.Is(err, gst.ErrTooLarge) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		// A set that reads back valid writes and reads back the same.
		var out bytes.Buffer
		if err := WriteJSON(&out, s); err != nil {
			t.Fatalf("valid set does not write: %v", err)
		}
		s2, err := ReadJSON(&out, "again.json")
		if err != nil {
			t.Fatalf("written set does not read back: %v", err)
		}
		if d := cmp.Diff(s, s2); d != "" {
			t.Fatalf("round trip changed the set:\n%s", d)
		}
	})
}
