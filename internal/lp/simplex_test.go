package lp

import (
	"bufio"
	"context"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

// readSmallMPS reads the free MPS files WriteMPS writes for models with ≤
// rows only, columns in [0, +Inf) and no ranges: enough for the test
// models kept in testdata.
func readSmallMPS(t *testing.T, path string) *Model {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type entry struct {
		row string
		v   float64
	}
	var rows, cols []string
	entries := map[string][]entry{}
	rhs := map[string]float64{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, " ") {
			section = strings.Fields(line)[0]
			continue
		}
		fs := strings.Fields(line)
		switch section {
		case "ROWS":
			if fs[0] == "L" {
				rows = append(rows, fs[1])
			} else if fs[0] != "N" {
				t.Fatalf("%s: row type %s not read", path, fs[0])
			}
		case "COLUMNS":
			v, err := strconv.ParseFloat(fs[2], 64)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := entries[fs[0]]; !ok {
				cols = append(cols, fs[0])
			}
			entries[fs[0]] = append(entries[fs[0]], entry{fs[1], v})
		case "RHS":
			v, err := strconv.ParseFloat(fs[2], 64)
			if err != nil {
				t.Fatal(err)
			}
			rhs[fs[1]] = v
		case "BOUNDS":
			t.Fatalf("%s: bounds not read", path)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	m := NewModel("mps")
	rowCols := map[string][]int{}
	rowCoefs := map[string][]float64{}
	for _, c := range cols {
		var obj float64
		for _, e := range entries[c] {
			if e.row == "OBJ" {
				obj = e.v
			}
		}
		j := m.AddVar(c, 0, math.Inf(1), obj, Continuous)
		for _, e := range entries[c] {
			if e.row != "OBJ" {
				rowCols[e.row] = append(rowCols[e.row], j)
				rowCoefs[e.row] = append(rowCoefs[e.row], e.v)
			}
		}
	}
	for _, r := range rows {
		m.AddRow(r, rowCols[r], rowCoefs[r], LE, rhs[r])
	}
	return m
}

// TestPrimalSimplexProvesInfeasible solves a small degenerate block of the
// programme's decomposition that is infeasible (GLPK and CBC agree). lp_solve
// 5.5.2's default dual simplex fails on it with an accuracy error; the
// primal simplex proves it infeasible.
func TestPrimalSimplexProvesInfeasible(t *testing.T) {
	m := readSmallMPS(t, "testdata/accuracy-infeasible.mps")
	if m.NumRows() != 63 {
		t.Fatalf("read %d rows, want 63", m.NumRows())
	}
	sol, err := Solve(context.Background(), m, &Options{Simplex: SimplexPrimal})
	if !errors.Is(err, gst.ErrInfeasible) {
		t.Fatalf("primal simplex: %v (status %v), want infeasible", err, sol)
	}
	// Whatever the default does, it must not claim a solution.
	if _, err := Solve(context.Background(), m, nil); err == nil {
		t.Fatal("default simplex: a solution of an infeasible model")
	}
}

func TestUnknownSimplex(t *testing.T) {
	m := NewModel("x")
	m.AddVar("x", 0, 1, 1, Continuous)
	if _, err := Solve(context.Background(), m, &Options{Simplex: 7}); !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("got %v, want gst.ErrInvalid", err)
	}
}
