package lp

import (
	"bufio"
	"io"
	"math"
	"strconv"
)

// WriteMPS writes the model to w in free MPS format, after Validate (whose
// error it returns unchanged). The output depends only on the model, byte
// for byte. It reads with lp_solve (read_freeMPS, lp_solve -fmps), GLPK
// (glpsol --freemps) and CBC.
//
// The file has the sections NAME, ROWS, COLUMNS, RHS and BOUNDS:
//
//   - The NAME line ends with the word FREE, which tells CBC the format.
//   - The objective row is named OBJ (or OBJ_1, OBJ_2, … when a row is
//     already named so) and comes first in ROWS.
//   - The file always states a minimisation, because GLPK reads no
//     OBJSENSE section: a maximisation model is written with its objective
//     coefficients negated, and a comment line says so. The optimum read
//     back is then the negation of the model's.
//   - The objective constant is not written as data, because readers
//     disagree on the sign of an RHS entry on the objective row (lp_solve
//     and GLPK add it, CBC subtracts it); a comment line records it.
//   - Integer and Binary columns sit between MARKER INTORG / INTEND lines.
//     Every integer column gets explicit bounds, because GLPK and CBC
//     read an integer column without bounds as binary: BV for bounds
//     [0, 1], otherwise LO/UP/FX/MI/PL as for other columns.
//   - Bounds: FR for a free column, FX for lo = hi, MI for lo = -Inf, LO
//     for another non-zero lo, UP for a finite hi, PL for an integer
//     column without upper bound. The lower bound line always precedes the
//     upper bound line, so no reader applies the old rule that a negative
//     UP with a zero lower bound makes the lower bound -Inf.
//   - Entries of a column follow row order; explicit zero coefficients
//     are left out, and a column without any entry gets a zero objective
//     entry so that it is declared.
//   - Numbers use the shortest form that reads back exactly
//     (strconv.FormatFloat with 'g' and precision -1), never "-0".
func (m *Model) WriteMPS(w io.Writer) error {
	if err := m.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	ew := &errWriter{w: bw}
	obj := m.objName()
	sign := 1.0
	ew.str("NAME ")
	ew.str(m.Name())
	ew.str(" FREE\n")
	if m.maximize {
		sign = -1
		ew.str("* objective negated: the model maximises\n")
	}
	if m.objConst != 0 {
		ew.str("* objective constant ")
		ew.str(fmtNum(m.objConst))
		ew.str(" not included\n")
	}

	rowNames := make([]string, len(m.rows))
	for i := range m.rows {
		rowNames[i] = m.RowName(i)
	}
	ew.str("ROWS\n N ")
	ew.str(obj)
	ew.str("\n")
	for i, r := range m.rows {
		switch r.sense {
		case LE:
			ew.str(" L ")
		case GE:
			ew.str(" G ")
		default:
			ew.str(" E ")
		}
		ew.str(rowNames[i])
		ew.str("\n")
	}

	// Transpose the row-major matrix into column-major order; entries of
	// each column stay in row order.
	n := len(m.cols)
	cstart := make([]int, n+1)
	for _, c := range m.ind {
		cstart[c+1]++
	}
	for j := 0; j < n; j++ {
		cstart[j+1] += cstart[j]
	}
	next := append([]int(nil), cstart[:n]...)
	crow := make([]int, len(m.ind))
	cval := make([]float64, len(m.ind))
	for i := range m.rows {
		for p := m.start[i]; p < m.start[i+1]; p++ {
			c := m.ind[p]
			crow[next[c]] = i
			cval[next[c]] = m.val[p]
			next[c]++
		}
	}

	ew.str("COLUMNS\n")
	inInt := false
	for j, c := range m.cols {
		if c.kind.IsInteger() != inInt {
			inInt = !inInt
			if inInt {
				ew.str(" MARKER 'MARKER' 'INTORG'\n")
			} else {
				ew.str(" MARKER 'MARKER' 'INTEND'\n")
			}
		}
		name := m.VarName(j)
		wrote := false
		if c.obj != 0 {
			ew.entry(name, obj, sign*c.obj)
			wrote = true
		}
		for p := cstart[j]; p < cstart[j+1]; p++ {
			if cval[p] != 0 {
				ew.entry(name, rowNames[crow[p]], cval[p])
				wrote = true
			}
		}
		if !wrote {
			ew.entry(name, obj, 0)
		}
	}
	if inInt {
		ew.str(" MARKER 'MARKER' 'INTEND'\n")
	}

	ew.str("RHS\n")
	for i, r := range m.rows {
		if r.rhs != 0 {
			ew.entry("RHS", rowNames[i], r.rhs)
		}
	}

	ew.str("BOUNDS\n")
	for j, c := range m.cols {
		name := m.VarName(j)
		loInf, hiInf := math.IsInf(c.lo, -1), math.IsInf(c.hi, 1)
		switch {
		case c.kind.IsInteger() && c.lo == 0 && c.hi == 1:
			ew.bound("BV", name, 0, false)
		case loInf && hiInf:
			ew.bound("FR", name, 0, false)
		case c.lo == c.hi:
			ew.bound("FX", name, c.lo, true)
		default:
			if loInf {
				ew.bound("MI", name, 0, false)
			} else if c.lo != 0 {
				ew.bound("LO", name, c.lo, true)
			}
			if !hiInf {
				ew.bound("UP", name, c.hi, true)
			} else if c.kind.IsInteger() {
				ew.bound("PL", name, 0, false)
			}
		}
	}
	ew.str("ENDATA\n")
	if ew.err != nil {
		return ew.err
	}
	return bw.Flush()
}

// objName returns a name for the objective row that no row uses.
func (m *Model) objName() string {
	// Generated row names (R1, R2, …) never start with "OBJ".
	used := func(s string) bool {
		for i := range m.rows {
			if m.rows[i].name == s {
				return true
			}
		}
		return false
	}
	name := "OBJ"
	for k := 1; used(name); k++ {
		name = "OBJ_" + strconv.Itoa(k)
	}
	return name
}

type errWriter struct {
	w   *bufio.Writer
	err error
	buf []byte
}

func (e *errWriter) str(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *errWriter) num(v float64) {
	if v == 0 {
		v = 0 // no "-0"
	}
	e.buf = strconv.AppendFloat(e.buf[:0], v, 'g', -1, 64)
	if e.err == nil {
		_, e.err = e.w.Write(e.buf)
	}
}

func (e *errWriter) entry(col, row string, v float64) {
	e.str(" ")
	e.str(col)
	e.str(" ")
	e.str(row)
	e.str(" ")
	e.num(v)
	e.str("\n")
}

func (e *errWriter) bound(kind, col string, v float64, withValue bool) {
	e.str(" ")
	e.str(kind)
	e.str(" BND ")
	e.str(col)
	if withValue {
		e.str(" ")
		e.num(v)
	}
	e.str("\n")
}
