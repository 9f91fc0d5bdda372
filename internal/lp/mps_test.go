package lp

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gstplan/gst"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenModel exercises every part of the MPS writer: a maximisation
// with an objective constant, every kind of bound, integer and binary
// columns in two marker blocks, generated and sanitised names, a repeated
// column in a row, an explicit zero, a row without coefficients and a
// column without entries.
func goldenModel() *Model {
	m := NewModel("golden model")
	x := m.AddVar("x", 0, 4, 3, Continuous)
	y := m.AddVar("y int", -2, 10, 2, Integer) // sanitised to y_int
	b := m.AddVar("", 0, 1, 5, Binary)         // C3, BV
	free := m.AddVar("free", math.Inf(-1), inf, 0, Continuous)
	neg := m.AddVar("neg", math.Inf(-1), 3, 1, Continuous)
	fixed := m.AddVar("fixed", 1.5, 1.5, 1, Continuous)
	lower := m.AddVar("lower", 2, inf, -0.5, Continuous)
	n := m.AddVar("n", 0, inf, 1, Integer) // PL
	m.AddVar("lonely", 0, 7, 0, Continuous)
	m.AddVar("off", 0, 0, 4, Binary) // FX 0
	m.AddRow("cap", []int{x, y, b, n}, []float64{1, 1, 2, 1}, LE, 12)
	m.AddRow("", []int{x, neg}, []float64{1, -1}, GE, 1) // R2
	m.AddRow("balance", []int{free, x, y}, []float64{1, -1, 1}, EQ, 0.25)
	m.AddRow("empty", nil, nil, LE, 5)
	m.AddRow("dup", []int{x, x, y, lower}, []float64{1, 1, 0, 1}, LE, 20)
	m.AddRow("n_lim", []int{n, y}, []float64{1, -0.5}, LE, 3.5)
	m.AddRow("fix_use", []int{fixed, x}, []float64{1, 1e-3}, GE, 1)
	m.SetObjConstant(10)
	m.SetMaximize(true)
	return m
}

func TestWriteMPSGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := goldenModel().WriteMPS(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden.mps")
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
		t.Errorf("WriteMPS (-golden +got):\n%s", diff)
	}
}

func TestWriteMPSDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := facilityModel(newFacility(rand.New(rand.NewPCG(1, 2)), 4, 9)).WriteMPS(&a); err != nil {
		t.Fatal(err)
	}
	if err := facilityModel(newFacility(rand.New(rand.NewPCG(1, 2)), 4, 9)).WriteMPS(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same model differ")
	}
}

func TestWriteMPSObjectiveRowName(t *testing.T) {
	m := NewModel("t")
	x := m.AddVar("x", 0, 1, 1, Continuous)
	m.AddRow("OBJ", []int{x}, []float64{1}, LE, 1)
	m.AddRow("OBJ_1", []int{x}, []float64{1}, LE, 1)
	var buf bytes.Buffer
	if err := m.WriteMPS(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\n N OBJ_2\n") {
		t.Errorf("objective row not renamed:\n%s", buf.String())
	}
}

func TestWriteMPSInvalid(t *testing.T) {
	m := NewModel("t")
	m.AddVar("x", 0, math.NaN(), 1, Continuous)
	var buf bytes.Buffer
	err := m.WriteMPS(&buf)
	if !errors.Is(err, gst.ErrInvalid) || buf.Len() != 0 {
		t.Errorf("WriteMPS = %v after writing %d bytes; want ErrInvalid and nothing written", err, buf.Len())
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteMPSWriterError(t *testing.T) {
	m := knapsack(2000, 1) // larger than the bufio buffer
	if err := m.WriteMPS(&failWriter{n: 100}); err == nil || err.Error() != "disk full" {
		t.Errorf("WriteMPS = %v, want the writer's error", err)
	}
}

// mpsSolver solves a free MPS file and returns its optimum.
type mpsSolver struct {
	name  string
	solve func(t *testing.T, path string) float64
}

var (
	lpSolveObj = regexp.MustCompile(`Value of objective function:\s*(\S+)`)
	glpsolObj  = regexp.MustCompile(`Objective:\s+\S+ = (\S+)`)
	cbcObj     = regexp.MustCompile(`(?:Objective value:|Optimal - objective value)\s*(\S+)`)
)

func runTool(t *testing.T, re *regexp.Regexp, name string, args ...string) float64 {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	s := string(out)
	if name == "glpsol" && !strings.Contains(s, "OPTIMAL") {
		t.Fatalf("glpsol found no optimum:\n%s", s)
	}
	sm := re.FindStringSubmatch(s)
	if sm == nil {
		t.Fatalf("%s: no objective in output:\n%s", name, s)
	}
	v, err := strconv.ParseFloat(sm[1], 64)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// mpsSolvers returns lp_solve's reader through cgo, and the command-line
// solvers that are installed.
func mpsSolvers() []mpsSolver {
	solvers := []mpsSolver{{"read_freeMPS", func(t *testing.T, path string) float64 {
		code, obj, err := solveFreeMPS(path)
		if err != nil || code != 0 {
			t.Fatalf("read_freeMPS and solve: code %d, %v", code, err)
		}
		return obj
	}}}
	tools := []struct {
		bin  string
		re   *regexp.Regexp
		args func(path string) []string
	}{
		{"lp_solve", lpSolveObj, func(p string) []string { return []string{"-S3", "-fmps", p} }},
		{"glpsol", glpsolObj, func(p string) []string { return []string{"--freemps", p, "-o", "/dev/stdout"} }},
		{"cbc", cbcObj, func(p string) []string { return []string{p, "-solve", "-quit"} }},
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool.bin); err != nil {
			continue
		}
		solvers = append(solvers, mpsSolver{tool.bin, func(t *testing.T, path string) float64 {
			return runTool(t, tool.re, tool.bin, tool.args(path)...)
		}})
	}
	return solvers
}

func TestMPSRoundTrip(t *testing.T) {
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
	solvers := mpsSolvers()
	names := make([]string, 0, len(solvers))
	for _, s := range solvers {
		names = append(names, s.name)
	}
	t.Logf("solvers: %s", strings.Join(names, ", "))
	dir := t.TempDir()
	for _, tc := range models {
		name, m := tc.name, tc.m
		want, err := Solve(context.Background(), m, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The file states a minimisation without the constant.
		fileOpt := want.Objective - m.ObjConstant()
		if m.Maximize() {
			fileOpt = -fileOpt
		}
		path := filepath.Join(dir, name+".mps")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.WriteMPS(f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		for _, s := range solvers {
			t.Run(name+"/"+s.name, func(t *testing.T) {
				got := s.solve(t, path)
				if math.Abs(got-fileOpt) > 1e-6*math.Max(1, math.Abs(fileOpt)) {
					t.Errorf("optimum of the file = %v, want %v", got, fileOpt)
				}
			})
		}
	}
}
