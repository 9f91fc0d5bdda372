package lp

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gstplan/gst"
)

var inf = math.Inf(1)

func TestAddRowSumsRepeatedColumns(t *testing.T) {
	m := NewModel("t")
	for range 3 {
		m.AddVar("", 0, 1, 0, Continuous)
	}
	// A short row (linear scan) and a long row (map) with repeats.
	r0 := m.AddRow("short", []int{2, 0, 2, 1, 0}, []float64{1, 2, 3, 4, 5}, LE, 1)
	var cols []int
	var coefs []float64
	for k := range 40 {
		cols = append(cols, k%3)
		coefs = append(coefs, float64(k))
	}
	r1 := m.AddRow("long", cols, coefs, GE, 2)

	tests := []struct {
		row       int
		wantCols  []int
		wantCoefs []float64
		wantSense Sense
		wantRHS   float64
	}{
		{r0, []int{2, 0, 1}, []float64{4, 7, 4}, LE, 1},
		// k ≡ 0: 0+3+…+39 = 273; k ≡ 1: 1+4+…+37 = 247; k ≡ 2: 2+5+…+38 = 260.
		{r1, []int{0, 1, 2}, []float64{273, 247, 260}, GE, 2},
	}
	for _, tt := range tests {
		c, v, s, rhs := m.Row(tt.row)
		if diff := cmp.Diff(tt.wantCols, c); diff != "" {
			t.Errorf("row %d cols (-want +got):\n%s", tt.row, diff)
		}
		if diff := cmp.Diff(tt.wantCoefs, v); diff != "" {
			t.Errorf("row %d coefs (-want +got):\n%s", tt.row, diff)
		}
		if s != tt.wantSense || rhs != tt.wantRHS {
			t.Errorf("row %d: sense, rhs = %v, %v; want %v, %v", tt.row, s, rhs, tt.wantSense, tt.wantRHS)
		}
	}
	if got, want := m.NumNonzeros(), 6; got != want {
		t.Errorf("NumNonzeros = %d, want %d", got, want)
	}
}

func TestRowReturnsCopies(t *testing.T) {
	m := NewModel("t")
	m.AddVar("", 0, 1, 0, Continuous)
	m.AddRow("", []int{0}, []float64{1}, LE, 1)
	c, v, _, _ := m.Row(0)
	c[0], v[0] = 5, 5
	if c2, v2, _, _ := m.Row(0); c2[0] != 0 || v2[0] != 1 {
		t.Errorf("Row shares storage with the model")
	}
}

func TestNames(t *testing.T) {
	m := NewModel("my model")
	a := m.AddVar("", 0, 1, 0, Continuous)
	b := m.AddVar("flow[a b]\t*", 0, 1, 0, Continuous)
	c := m.AddVar("é", 0, 1, 0, Continuous)
	r := m.AddRow("", nil, nil, LE, 0)
	s := m.AddRow("cap(x,y):1/2#@.-", nil, nil, LE, 0)
	got := []string{m.Name(), m.VarName(a), m.VarName(b), m.VarName(c), m.RowName(r), m.RowName(s)}
	want := []string{"my_model", "C1", "flow[a_b]__", "__", "R1", "cap(x,y):1/2#@.-"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	var zero Model
	if zero.Name() != "MODEL" {
		t.Errorf("zero Model name = %q, want MODEL", zero.Name())
	}
}

func TestAccessors(t *testing.T) {
	m := NewModel("t")
	j := m.AddVar("x", -1, 2, 3, Integer)
	m.AddVar("b", 0, 1, 0, Binary)
	i := m.AddRow("r", []int{j}, []float64{2}, EQ, 4)
	m.SetMaximize(true)
	m.SetObjConstant(7)
	m.SetBounds(j, -2, 5)
	m.SetObj(j, 4)
	m.SetRHS(i, 6)
	m.SetVarKind(j, Continuous)
	lo, hi := m.Bounds(j)
	got := []any{lo, hi, m.Obj(j), m.VarKind(j), m.RowSense(i), m.RHS(i), m.Maximize(), m.ObjConstant(),
		m.NumVars(), m.NumRows(), m.NumIntegers(), m.RowActivity(i, []float64{3}), m.ObjValue([]float64{3, 1})}
	want := []any{-2.0, 5.0, 4.0, Continuous, EQ, 6.0, true, 7.0, 2, 1, 1, 6.0, 19.0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accessors (-want +got):\n%s", diff)
	}
}

func TestStrings(t *testing.T) {
	got := []string{LE.String(), GE.String(), EQ.String(), Sense(0).String(), Sense(9).String(),
		Continuous.String(), Integer.String(), Binary.String(), Kind(-1).String()}
	want := []string{"<=", ">=", "=", "Sense(0)", "Sense(9)", "continuous", "integer", "binary", "Kind(-1)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
}

func TestEstimateBytesGrows(t *testing.T) {
	m := NewModel("t")
	e0 := m.EstimateBytes()
	for range 100 {
		m.AddVar("", 0, 1, 1, Continuous)
	}
	e1 := m.EstimateBytes()
	m.AddRow("", []int{1, 2, 3}, []float64{1, 1, 1}, LE, 1)
	e2 := m.EstimateBytes()
	if !(e0 < e1 && e1 < e2) {
		t.Errorf("EstimateBytes not increasing: %d, %d, %d", e0, e1, e2)
	}
}

func TestValidate(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		build func(m *Model)
		// want lists "row/col/field" of every expected problem, in order.
		want []string
	}{
		{"valid", func(m *Model) {
			x := m.AddVar("x", math.Inf(-1), inf, 1, Continuous)
			m.AddVar("b", 0, 1, 1, Binary)
			m.AddRow("r", []int{x}, []float64{1}, GE, -1e29)
		}, nil},
		{"NaN coefficient", func(m *Model) {
			x := m.AddVar("x", 0, 1, 1, Continuous)
			m.AddRow("r", []int{x}, []float64{nan}, LE, 1)
		}, []string{"row 0 col 0 coef"}},
		{"Inf rhs", func(m *Model) {
			m.AddRow("r", nil, nil, LE, inf)
		}, []string{"row 0 col -1 rhs"}},
		{"lo > hi", func(m *Model) {
			m.AddVar("x", 2, 1, 0, Continuous)
		}, []string{"row -1 col 0 hi"}},
		{"column out of range", func(m *Model) {
			m.AddVar("x", 0, 1, 0, Continuous)
			m.AddRow("r", []int{0, 1, -1}, []float64{1, 1, 1}, LE, 1)
		}, []string{"row 0 col 1 col", "row 0 col -1 col"}},
		{"bad bounds", func(m *Model) {
			m.AddVar("a", inf, inf, 0, Continuous)
			m.AddVar("b", 0, math.Inf(-1), 0, Continuous)
			m.AddVar("c", nan, 1e30, 0, Continuous)
			m.AddVar("d", 0, 2, 0, Binary)
		}, []string{"row -1 col 0 lo", "row -1 col 1 hi", "row -1 col 2 lo", "row -1 col 2 hi", "row -1 col 3 kind"}},
		{"bad objective, kind, sense, constant", func(m *Model) {
			m.SetObjConstant(nan)
			m.AddVar("a", 0, 1, -inf, Kind(7))
			m.AddRow("r", nil, nil, Sense(0), 0)
		}, []string{"row -1 col -1 constant", "row -1 col 0 obj", "row -1 col 0 kind", "row 0 col -1 sense"}},
		{"large finite values", func(m *Model) {
			m.AddVar("a", 0, 1, 1e30, Continuous)
			m.AddRow("r", []int{0}, []float64{-2e30}, LE, 1e31)
		}, []string{"row -1 col 0 obj", "row 0 col -1 rhs", "row 0 col 0 coef"}},
		{"length mismatch", func(m *Model) {
			m.AddVar("a", 0, 1, 1, Continuous)
			m.AddRow("r", []int{0, 0}, []float64{1}, LE, 1)
		}, []string{"row 0 col -1 coefs"}},
		{"duplicate names", func(m *Model) {
			m.AddVar("x", 0, 1, 0, Continuous)
			m.AddVar("x", 0, 1, 0, Continuous)
			m.AddVar("", 0, 1, 0, Continuous)   // C3
			m.AddVar("C3", 0, 1, 0, Continuous) // collides with the generated name
			m.AddVar("C4", 0, 1, 0, Continuous) // its own generated name: fine
			m.AddVar(strings.Repeat("n", 256), 0, 1, 0, Continuous)
			m.AddRow("r", nil, nil, LE, 0)
			m.AddRow("r", nil, nil, LE, 0)
			m.AddRow("R4", nil, nil, LE, 0)
			m.AddRow("", nil, nil, LE, 0)
		}, []string{"row -1 col 1 name", "row -1 col 3 name", "row -1 col 5 name", "row 1 col -1 name", "row 2 col -1 name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewModel("t")
			tt.build(m)
			err := m.Validate()
			var got []string
			for _, e := range unjoin(err) {
				var me *ModelError
				if !errors.As(e, &me) {
					t.Fatalf("problem %v is not a *ModelError", e)
				}
				got = append(got, fmtWhere(me))
				if !errors.Is(e, gst.ErrInvalid) {
					t.Errorf("errors.Is(%v, gst.ErrInvalid) = false", e)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s\nerror: %v", diff, err)
			}
			if err != nil && !errors.Is(err, gst.ErrInvalid) {
				t.Errorf("errors.Is(err, gst.ErrInvalid) = false for %v", err)
			}
		})
	}
}

func TestValidateReportsAllAtOnceWithNames(t *testing.T) {
	m := NewModel("t")
	x := m.AddVar("x", 5, 1, 0, Continuous)
	m.AddRow("demand", []int{x, 3}, []float64{math.NaN(), 1}, GE, math.Inf(1))
	err := m.Validate()
	want := `lp: column 0 "x": hi: 1 is below lo 5
lp: row 0 "demand": rhs: +Inf is not finite
lp: row 0 "demand": coef of column 0: NaN
lp: row 0 "demand": col: column index 3 out of range [0, 1)`
	if err == nil {
		t.Fatal("Validate = nil, want problems")
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error text (-want +got):\n%s", diff)
	}
}

func TestValidateCapsProblems(t *testing.T) {
	m := NewModel("t")
	for range 200 {
		m.AddVar("", math.NaN(), 1, 0, Continuous)
	}
	err := m.Validate()
	list := unjoin(err)
	if got, want := len(list), MaxReportedProblems+1; got != want {
		t.Fatalf("got %d errors, want %d", got, want)
	}
	last := list[len(list)-1]
	if !strings.Contains(last.Error(), "150 more problems") || !errors.Is(last, gst.ErrInvalid) {
		t.Errorf("last error = %v, want a count of 150 more wrapping ErrInvalid", last)
	}
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func fmtWhere(e *ModelError) string {
	return fmt.Sprintf("row %d col %d %s", e.Row, e.Col, e.Field)
}

// TestCloneIsIndependent checks that a clone and its model may each be
// changed, rows added included, without changing the other.
func TestCloneIsIndependent(t *testing.T) {
	m := NewModel("m")
	x := m.AddVar("x", 0, 4, 1, Continuous)
	y := m.AddVar("y", 0, 4, 2, Integer)
	m.AddRow("r", []int{x, y}, []float64{1, 1}, GE, 1)
	c := m.Clone()
	c.SetRHS(0, 3)
	c.SetBounds(x, 1, 2)
	c.SetObj(y, 5)
	c.AddRow("c", []int{x}, []float64{7}, LE, 9)
	m.AddRow("m", []int{y}, []float64{8}, EQ, 2)
	if got := m.RHS(0); got != 1 {
		t.Errorf("the model's rhs is %v after the clone's changed, want 1", got)
	}
	if lo, hi := m.Bounds(x); lo != 0 || hi != 4 || m.Obj(y) != 2 {
		t.Errorf("the model's column changed with the clone's: [%v, %v], obj %v", lo, hi, m.Obj(y))
	}
	mc, mv, ms, mr := m.Row(1)
	cc, cv, cs, cr := c.Row(1)
	if mc[0] != y || mv[0] != 8 || ms != EQ || mr != 2 || cc[0] != x || cv[0] != 7 || cs != LE || cr != 9 {
		t.Errorf("rows added after the clone mixed: model %v %v %v %v, clone %v %v %v %v", mc, mv, ms, mr, cc, cv, cs, cr)
	}
	if got, want := c.RHS(0), 3.0; got != want || c.NumRows() != 2 || m.NumRows() != 2 {
		t.Errorf("clone rhs %v (want %v), rows %d and %d (want 2 each)", got, want, c.NumRows(), m.NumRows())
	}
}
