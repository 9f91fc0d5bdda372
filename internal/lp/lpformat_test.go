package lp

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gstplan/gst"
)

func TestWriteLPGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := goldenModel().WriteLP(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden.lp")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("WriteLP (-golden +got):\n%s", diff)
	}
}

func TestWriteLPNames(t *testing.T) {
	m := NewModel("names")
	var cols []int
	for _, n := range []string{"free", "e12", "x-1", "x_1", "9lives", ".dot", "End", "obj", "a[2]"} {
		cols = append(cols, m.AddVar(n, 0, 1, 1, Continuous))
	}
	m.AddRow("obj", cols[:2], []float64{1, 1}, LE, 1)
	m.AddRow("st", cols[2:4], []float64{1, 1}, LE, 1)
	got, rows, obj := m.lpNames()
	want := []string{"_free", "_e12", "x_1", "x_1_2", "_9lives", "_.dot", "_End", "obj", "a_2_"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"obj_2", "_st"}, rows); diff != "" || obj != "obj_3" {
		t.Errorf("rows (-want +got):\n%s, objective %q", diff, obj)
	}
}

func TestWriteLPInvalid(t *testing.T) {
	m := NewModel("t")
	m.AddVar("x", 0, math.NaN(), 1, Continuous)
	var buf bytes.Buffer
	if err := m.WriteLP(&buf); !errors.Is(err, gst.ErrInvalid) || buf.Len() != 0 {
		t.Errorf("WriteLP = %v after writing %d bytes; want ErrInvalid and nothing written", err, buf.Len())
	}
	if err := knapsack(2000, 1).WriteLP(&failWriter{n: 100}); err == nil || err.Error() != "disk full" {
		t.Errorf("WriteLP = %v, want the writer's error", err)
	}
}

// lpSolvers returns the installed solvers that read CPLEX LP files: GLPK,
// CBC and HiGHS (the WebAssembly build of the npm package highs, run by
// Node.js, when scripts/bench-peers/highs has its node_modules).
func lpSolvers(t *testing.T) []mpsSolver {
	var solvers []mpsSolver
	if _, err := exec.LookPath("glpsol"); err == nil {
		solvers = append(solvers, mpsSolver{"glpsol", func(t *testing.T, path string) float64 {
			return runTool(t, glpsolObj, "glpsol", "--lp", path, "-o", "/dev/stdout")
		}})
	}
	if _, err := exec.LookPath("cbc"); err == nil {
		solvers = append(solvers, mpsSolver{"cbc", func(t *testing.T, path string) float64 {
			return runTool(t, cbcObj, "cbc", path, "-solve", "-quit")
		}})
	}
	script, _ := filepath.Abs(filepath.Join("..", "..", "scripts", "bench-peers", "highs", "solve.js"))
	mod := filepath.Join(filepath.Dir(script), "node_modules", "highs")
	if _, err := exec.LookPath("node"); err == nil {
		if _, err := os.Stat(mod); err == nil {
			solvers = append(solvers, mpsSolver{"highs", func(t *testing.T, path string) float64 {
				return runTool(t, highsObj, "node", script, path, "60")
			}})
		}
	}
	return solvers
}

var highsObj = regexp.MustCompile(`"status":"Optimal","objective":(\S+?),`)

func TestLPRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	models := []struct {
		name string
		m    *Model
	}{
		{"golden", goldenModel()},
		{"hand", handLP(false)},
		{"hand2", handLP2()},
		{"knapsack", knapsack(15, 4)},
		{"facility", facilityModel(newFacility(r, 4, 10))},
		{"random1", feasibleLP(r, 8, 6)},
		{"random2", feasibleLP(r, 8, 6)},
	}
	solvers := lpSolvers(t)
	if len(solvers) == 0 {
		t.Skip("no solver that reads LP files is installed (glpsol, cbc, or node with scripts/bench-peers/highs)")
	}
	var names []string
	for _, s := range solvers {
		names = append(names, s.name)
	}
	t.Logf("solvers: %s", strings.Join(names, ", "))
	dir := t.TempDir()
	for _, tc := range models {
		want, err := Solve(context.Background(), tc.m, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		// The file keeps the sense and leaves the constant out.
		fileOpt := want.Objective - tc.m.ObjConstant()
		path := filepath.Join(dir, tc.name+".lp")
		var buf bytes.Buffer
		if err := tc.m.WriteLP(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, s := range solvers {
			t.Run(tc.name+"/"+s.name, func(t *testing.T) {
				got := s.solve(t, path)
				if math.Abs(got-fileOpt) > 1e-6*math.Max(1, math.Abs(fileOpt)) {
					t.Errorf("optimum of the file = %v, want %v", got, fileOpt)
				}
			})
		}
	}
}
