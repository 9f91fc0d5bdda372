package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTiny runs the smallest instance with each method and a frontier and
// checks that the methods agree.
func TestTiny(t *testing.T) {
	values := map[string]float64{}
	for _, m := range []string{"mip", "benders"} {
		var out, errb bytes.Buffer
		code := run([]string{"-spec", "tiny", "-method", m, "-time", "2m", "-frontier", "0.8,1.2"}, &out, &errb)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s %s", m, code, errb.String(), out.String())
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 3 {
			t.Fatalf("%s: %d lines, want the solve and two levels:\n%s", m, len(lines), out.String())
		}
		var l line
		if err := json.Unmarshal([]byte(lines[0]), &l); err != nil {
			t.Fatal(err)
		}
		if l.Status != "optimal" || l.Areas != 20 || l.PeakRSSMB <= 0 {
			t.Errorf("%s: %+v", m, l)
		}
		values[m] = l.Value
	}
	if d := values["mip"] - values["benders"]; math.Abs(d) > 1e-6*math.Max(1, math.Abs(values["mip"])) {
		t.Errorf("lp_solve finds %.6f, the decomposition %.6f", values["mip"], values["benders"])
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-spec", "mars"}, {"-method", "magic"}, {"-frontier", "0,1"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 || errb.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
}

// TestRegionDirectory solves the pilots' programme on a bundled region
// directory within the pilots' gap.
func TestRegionDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("solves a pilot region's programme")
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-region", "../data/tanger", "-gap", "0.01", "-sequential", "-time", "5m"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s %s", code, errb.String(), out.String())
	}
	var l line
	if err := json.Unmarshal(out.Bytes(), &l); err != nil {
		t.Fatal(err)
	}
	if l.Spec != "tanger" || l.Status != "optimal" || l.Gap > 0.01 || l.Bound > l.Value || l.Areas == 0 {
		t.Errorf("%+v", l)
	}
}

func TestMissingRegion(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-region", "no-such-directory"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "no-such-directory") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

// TestProfiles writes both profiles of a tiny solve, and refuses a path
// that cannot be written before solving.
func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	var out, errb bytes.Buffer
	if code := run([]string{"-spec", "tiny", "-cpuprofile", cpu, "-memprofile", mem}, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	for _, f := range []string{cpu, mem} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v, %v", f, st, err)
		}
	}
	for _, flag := range []string{"-cpuprofile", "-memprofile"} {
		out.Reset()
		errb.Reset()
		bad := filepath.Join(dir, "no-such-directory", "x.prof")
		if code := run([]string{"-spec", "tiny", flag, bad}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "no-such-directory") || out.Len() != 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", flag, code, out.String(), errb.String())
		}
	}
}
