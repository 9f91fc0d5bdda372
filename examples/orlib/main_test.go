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

// TestRunFormats solves the small files of every format beyond
// OR-Library's, with the format guessed from the name or the content.
func TestRunFormats(t *testing.T) {
	dir := filepath.Join("testdata", "formats")
	var out, errw bytes.Buffer
	args := []string{"-time", "60s", "-p", "2,3", filepath.Join(dir, "tiny14.tsp"), filepath.Join(dir, "tiny20_birch.txt")}
	if err := run(context.Background(), args, &out, &errw); err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errw.String())
	}
	args = []string{"-time", "60s", filepath.Join(dir, "tiny10_003.txt"), filepath.Join(dir, "spain6_002.txt"),
		filepath.Join(dir, "tiny3x6.holmberg"), filepath.Join(dir, "tiny3x6.delmaire")}
	if err := run(context.Background(), args, &out, &errw); err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errw.String())
	}
	args = []string{"-format", "cap-single", filepath.Join(dir, "tiny3x6.cap")}
	if err := run(context.Background(), args, &out, &errw); err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errw.String())
	}
	type key struct {
		instance, format string
		p                int
	}
	got := map[key]Result{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r Result
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if r.Status != "optimal" || r.Gap > 1e-9 || r.Bound > r.Objective || r.N == 0 || r.M == 0 || r.PeakRSSMB < 0 {
			t.Errorf("%s: %+v", l, r)
		}
		got[key{r.Instance, r.Format, r.P}] = r
	}
	want := []struct {
		k       key
		problem string
		dist    string
		value   float64 // 0: not checked here (the engines' tests check the points)
	}{
		{key{"tiny14", "tsplib", 2}, "p-median", "floor", 0},
		{key{"tiny14", "tsplib", 3}, "p-median", "floor", 0},
		{key{"tiny20_birch", "birch", 2}, "p-median", "real", 0},
		{key{"tiny20_birch", "birch", 3}, "p-median", "real", 0},
		{key{"tiny10_003", "cpmp", 0}, "capacitated p-median", "real", 0},
		{key{"spain6_002", "cpmp", 0}, "capacitated p-median", "grid", 0},
		// The three layouts of one instance; optimum 292 by enumeration of
		// the 3^6 assignments.
		{key{"tiny3x6", "holmberg", 0}, "single-source capacitated facility location", "", 292},
		{key{"tiny3x6", "delmaire", 0}, "single-source capacitated facility location", "", 292},
		{key{"tiny3x6", "cap-single", 0}, "single-source capacitated facility location", "", 292},
	}
	if len(got) != len(want) {
		t.Errorf("got %d answers, want %d:\n%s", len(got), len(want), out.String())
	}
	for _, w := range want {
		r, ok := got[w.k]
		if !ok {
			t.Errorf("no answer for %+v", w.k)
			continue
		}
		if r.Problem != w.problem || r.Dist != w.dist || w.value != 0 && r.Objective != w.value {
			t.Errorf("%+v: problem %q dist %q objective %v, want %q %q %v", w.k, r.Problem, r.Dist, r.Objective, w.problem, w.dist, w.value)
		}
	}
	// The same TSPLIB points with real distances cost more than floored.
	var real bytes.Buffer
	if err := run(context.Background(), []string{"-p", "3", "-dist", "real", filepath.Join(dir, "tiny14.tsp")}, &real, &errw); err != nil {
		t.Fatal(err)
	}
	var r Result
	if err := json.Unmarshal(real.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if fl := got[key{"tiny14", "tsplib", 3}]; r.Dist != "real" || !(r.Objective > fl.Objective) {
		t.Errorf("real distances: %+v, floor: %+v", r, fl)
	}
}

func TestRunFormatErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tsp := filepath.Join("testdata", "formats", "tiny14.tsp")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown format", []string{"-format", "xml", "x"}, "-format must be one of"},
		{"bad p", []string{"-p", "3,x", tsp}, `-p: "x"`},
		{"bad dist", []string{"-dist", "round", tsp}, "-dist must be floor or real"},
		{"p on a cpmp file", []string{"-p", "3", filepath.Join("testdata", "formats", "tiny10_003.txt")}, "-p applies to tsplib and birch"},
		{"dist on a holmberg file", []string{"-dist", "real", filepath.Join("testdata", "formats", "tiny3x6.holmberg")}, "-dist applies to"},
		{"no p for an unknown point set", []string{tsp}, "give -p"},
		{"p above n", []string{"-p", "15", tsp}, "p = 15 exceeds the 14 points"},
		// 2×2 Holmberg and Delmaire layouts have the same token count.
		{"ambiguous", []string{write("square.txt", "2 2\n5 1\n5 1\n1 1\n1 2\n3 4\n")}, "fits holmberg and delmaire"},
		{"missing grid", []string{write("spain9_001.txt", "2 1\n0 0 5 1\n1 1 5 1\n")}, "spain.grd"},
		{"bad tsplib", []string{write("bad.tsp", "NAME : x\nDIMENSION : 2\nNODE_COORD_SECTION\n1 0 0\n")}, "bad.tsp:4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			err := run(context.Background(), c.args, &out, &errw)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}
