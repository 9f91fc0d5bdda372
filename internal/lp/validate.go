package lp

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gstplan/gst"
)

// ModelError is one problem found by Validate: where it is in the model,
// which field, and what is wrong. errors.Is(err, gst.ErrInvalid) holds for
// every ModelError.
type ModelError struct {
	// Row is the row at fault, or -1 when the problem is not in a row.
	Row int
	// Col is the column at fault (for a row's coefficient, the column it
	// refers to), or -1 when no column is involved.
	Col int
	// Name is the name of the row at fault, or of the column when Row is
	// -1; empty for problems of the whole model.
	Name string
	// Field is the field at fault: "lo", "hi", "obj", "kind", "name",
	// "sense", "rhs", "coef", "col", "coefs" or "constant"; empty when the
	// whole model is at fault.
	Field string
	// Err says what is wrong.
	Err error
}

// Error returns for example
// `lp: row 3 "cap_a": coef of column 7: NaN`
// or `lp: column 2 "x": hi: 3 is below lo 5`.
func (e *ModelError) Error() string {
	var b strings.Builder
	b.WriteString("lp: ")
	switch {
	case e.Row >= 0:
		fmt.Fprintf(&b, "row %d", e.Row)
		if e.Name != "" {
			fmt.Fprintf(&b, " %q", e.Name)
		}
	case e.Col >= 0:
		fmt.Fprintf(&b, "column %d", e.Col)
		if e.Name != "" {
			fmt.Fprintf(&b, " %q", e.Name)
		}
	default:
		b.WriteString("model")
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
		if e.Row >= 0 && e.Col >= 0 && e.Field != "col" {
			fmt.Fprintf(&b, " of column %d", e.Col)
		}
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("invalid")
	}
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *ModelError) Unwrap() error { return e.Err }

// Is reports whether target is gst.ErrInvalid.
func (e *ModelError) Is(target error) bool { return target == gst.ErrInvalid }

// MaxReportedProblems is how many problems Validate lists one by one; the
// rest are counted in a final ModelError.
const MaxReportedProblems = 50

// maxNameLen is the longest name Validate accepts, in bytes.
const maxNameLen = 255

type problems struct {
	list  []error
	extra int
}

func (p *problems) add(e *ModelError) {
	if len(p.list) < MaxReportedProblems {
		p.list = append(p.list, e)
		return
	}
	p.extra++
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	list := p.list
	if p.extra > 0 {
		list = append(list[:len(list):len(list)], &ModelError{Row: -1, Col: -1,
			Err: fmt.Errorf("%d more problems not listed", p.extra)})
	}
	return errors.Join(list...)
}

// Validate checks the model and reports every problem at once, as an
// errors.Join of *ModelError values (at most MaxReportedProblems of them,
// then one that counts the rest); errors.Is(err, gst.ErrInvalid) holds. It
// returns nil for a valid model.
//
// A valid model has: finite objective coefficients, coefficients,
// right-hand sides and objective constant, all smaller in magnitude than
// 1e30 (lp_solve reads larger values as infinite); bounds that are
// finite and smaller than 1e30 or infinite in the right direction
// (lo may be -Inf, hi may be +Inf), with lo ≤ hi; Binary columns with
// bounds within [0, 1]; a known Kind and Sense; column indices in range;
// names of at most 255 bytes, unique among columns and among rows
// (generated names included).
func (m *Model) Validate() error {
	var p problems
	for _, e := range m.buildErrs {
		p.add(e)
	}
	if !finiteSmall(m.objConst) {
		p.add(&ModelError{Row: -1, Col: -1, Field: "constant", Err: badNumber(m.objConst)})
	}
	colNames := make(map[string]int)
	for j := range m.cols {
		c := &m.cols[j]
		bad := func(field string, err error) {
			p.add(&ModelError{Row: -1, Col: j, Name: m.VarName(j), Field: field, Err: err})
		}
		loOK := !math.IsNaN(c.lo) && !math.IsInf(c.lo, 1) && (math.IsInf(c.lo, -1) || math.Abs(c.lo) < lpInfinity)
		hiOK := !math.IsNaN(c.hi) && !math.IsInf(c.hi, -1) && (math.IsInf(c.hi, 1) || math.Abs(c.hi) < lpInfinity)
		if !loOK {
			bad("lo", badBound(c.lo, "lower"))
		}
		if !hiOK {
			bad("hi", badBound(c.hi, "upper"))
		}
		if loOK && hiOK && c.lo > c.hi {
			bad("hi", fmt.Errorf("%s is below lo %s", fmtNum(c.hi), fmtNum(c.lo)))
		}
		if !finiteSmall(c.obj) {
			bad("obj", badNumber(c.obj))
		}
		switch c.kind {
		case Continuous, Integer:
		case Binary:
			if loOK && hiOK && (c.lo < 0 || c.hi > 1) {
				bad("kind", fmt.Errorf("binary column has bounds [%s, %s], not within [0, 1]", fmtNum(c.lo), fmtNum(c.hi)))
			}
		default:
			bad("kind", fmt.Errorf("unknown kind %d", int(c.kind)))
		}
		if c.name != "" {
			if len(c.name) > maxNameLen {
				bad("name", fmt.Errorf("name is %d bytes long, more than %d", len(c.name), maxNameLen))
			}
			if k, dup := colNames[c.name]; dup {
				bad("name", fmt.Errorf("name also used by column %d", k))
			} else if k := generatedIndex(c.name, 'C'); k >= 0 && k < len(m.cols) && k != j && m.cols[k].name == "" {
				bad("name", fmt.Errorf("name is also the generated name of column %d", k))
			}
			colNames[c.name] = j
		}
	}
	rowNames := make(map[string]int)
	n := len(m.cols)
	for i := range m.rows {
		r := &m.rows[i]
		name := m.RowName(i)
		if !r.sense.valid() {
			p.add(&ModelError{Row: i, Col: -1, Name: name, Field: "sense", Err: fmt.Errorf("unknown sense %d", int(r.sense))})
		}
		if !finiteSmall(r.rhs) {
			p.add(&ModelError{Row: i, Col: -1, Name: name, Field: "rhs", Err: badNumber(r.rhs)})
		}
		for q := m.start[i]; q < m.start[i+1]; q++ {
			c, v := m.ind[q], m.val[q]
			if c < 0 || c >= n {
				p.add(&ModelError{Row: i, Col: c, Name: name, Field: "col",
					Err: fmt.Errorf("column index %d out of range [0, %d)", c, n)})
				continue
			}
			if !finiteSmall(v) {
				p.add(&ModelError{Row: i, Col: c, Name: name, Field: "coef", Err: badNumber(v)})
			}
		}
		if r.name != "" {
			if len(r.name) > maxNameLen {
				p.add(&ModelError{Row: i, Col: -1, Name: name, Field: "name",
					Err: fmt.Errorf("name is %d bytes long, more than %d", len(r.name), maxNameLen)})
			}
			if k, dup := rowNames[r.name]; dup {
				p.add(&ModelError{Row: i, Col: -1, Name: name, Field: "name", Err: fmt.Errorf("name also used by row %d", k)})
			} else if k := generatedIndex(r.name, 'R'); k >= 0 && k < len(m.rows) && k != i && m.rows[k].name == "" {
				p.add(&ModelError{Row: i, Col: -1, Name: name, Field: "name", Err: fmt.Errorf("name is also the generated name of row %d", k)})
			}
			rowNames[r.name] = i
		}
	}
	return p.err()
}

// generatedIndex returns k when s is the generated name prefix+(k+1), and
// -1 otherwise.
func generatedIndex(s string, prefix byte) int {
	if len(s) < 2 || len(s) > 12 || s[0] != prefix || s[1] == '0' {
		return -1
	}
	k, err := strconv.Atoi(s[1:])
	if err != nil || k < 1 || strconv.Itoa(k) != s[1:] {
		return -1
	}
	return k - 1
}

func badNumber(v float64) error {
	switch {
	case math.IsNaN(v):
		return errors.New("NaN")
	case math.IsInf(v, 0):
		return fmt.Errorf("%v is not finite", v)
	}
	return fmt.Errorf("%s is too large (lp_solve reads magnitudes of 1e30 and more as infinite)", fmtNum(v))
}

func badBound(v float64, which string) error {
	switch {
	case math.IsNaN(v):
		return errors.New("NaN")
	case which == "lower" && math.IsInf(v, 1):
		return errors.New("lower bound is +Inf")
	case which == "upper" && math.IsInf(v, -1):
		return errors.New("upper bound is -Inf")
	}
	return fmt.Errorf("%s is too large for a finite bound (use ±Inf for no bound)", fmtNum(v))
}

// fmtNum formats v as MPS files and error messages show it: the shortest
// representation that reads back exactly, without a negative zero.
func fmtNum(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
