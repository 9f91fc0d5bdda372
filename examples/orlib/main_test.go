package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

func TestRunKnownOptima(t *testing.T) {
	var out, errw bytes.Buffer
	err := run(context.Background(), []string{"-time", "60s", "-dir", "testdata", "-glob", "*.txt"}, &out, &errw)
	if err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errw.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := map[string]struct {
		problem string
		value   float64
	}{
		"cap41":       {"capacitated facility location", 1040444.375},
		"pmed1":       {"p-median", 5819},
		"pmedcap1_01": {"capacitated p-median", 713},
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	seen := map[string]bool{}
	for _, l := range lines {
		var r Result
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		w, ok := want[r.Instance]
		if !ok {
			t.Fatalf("unexpected instance %q", r.Instance)
		}
		seen[r.Instance] = true
		if r.Problem != w.problem || r.Status != "optimal" || r.Gap != 0 {
			t.Errorf("%s: problem %q status %q gap %v", r.Instance, r.Problem, r.Status, r.Gap)
		}
		if math.Abs(r.Objective-w.value) > 1e-6*w.value || math.Abs(r.Bound-w.value) > 1e-6*w.value {
			t.Errorf("%s: objective %v bound %v, want %v", r.Instance, r.Objective, r.Bound, w.value)
		}
		if r.Known == nil || *r.Known != w.value {
			t.Errorf("%s: known %v, want %v", r.Instance, r.Known, w.value)
		}
		if r.Seconds < 0 || r.Method == "" {
			t.Errorf("%s: seconds %v method %q", r.Instance, r.Seconds, r.Method)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("instances seen: %v", seen)
	}
}

func TestRunOrder(t *testing.T) {
	got := []string{"pmed10", "pmed2", "pmed1", "cap131", "cap41"}
	want := []string{"cap41", "cap131", "pmed1", "pmed2", "pmed10"}
	for i := 0; i < len(got); i++ {
		for j := i + 1; j < len(got); j++ {
			if naturalLess(got[j], got[i]) {
				got[i], got[j] = got[j], got[i]
			}
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestRunBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		args []string
		want string // in the error
		is   error
	}{
		{"garbage", []string{write("pmed99.txt", "garbage\n")}, "pmed99.txt:1", gst.ErrInvalid},
		{"truncated", []string{write("pmed98.txt", "3 2 1\n1 2 5\n")}, "pmed98.txt", gst.ErrInvalid},
		{"unknown family", []string{write("foo.txt", "1 2 3\n")}, "cannot tell the family", nil},
		{"missing file", []string{filepath.Join(dir, "pmed1000.txt")}, "pmed1000.txt", os.ErrNotExist},
		{"capa without capacity", []string{write("capz.txt", "1 1\ncapacity 5\n1 2\n")}, "capz.txt", gst.ErrInvalid},
		{"zero demand", []string{write("cap999.txt", "1 2\n10 5\n0 3\n4 8\n")}, "customer 1 has no demand", nil},
		{"no file", nil, "no file to solve", nil},
		{"only a table of optima", []string{write("pmedopt.txt", "pmed1 5819\n")}, "", nil},
		{"bad method", []string{"-method", "fast", "x"}, "-method", nil},
		{"negative time", []string{"-time", "-1s", "x"}, "-time", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			err := run(context.Background(), c.args, &out, &errw)
			if c.want == "" {
				// Skipped with a note, not an error.
				if err != nil || out.Len() != 0 || !strings.Contains(errw.String(), "skipping") {
					t.Fatalf("err %v, out %q, stderr %q", err, out.String(), errw.String())
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; output %q", out.String())
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
		})
	}
}
