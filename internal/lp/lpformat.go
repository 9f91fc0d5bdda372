package lp

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
)

// WriteLP writes the model to w in CPLEX LP format, after Validate (whose
// error it returns unchanged). The output depends only on the model, byte
// for byte. It reads with HiGHS, GLPK (glpsol --lp) and CBC.
//
// The file has the sections Minimize or Maximize, Subject To, Bounds,
// General, Binary and End:
//
//   - The objective keeps the model's sense. Its constant is not written,
//     because not every reader takes a constant term; a comment line
//     records it.
//   - Names are the model's (VarName, RowName) where the LP format allows
//     them. Characters it does not allow in a name (-, [, ], :) become _,
//     a name that starts with a digit or a period, or with e or E
//     followed by a digit or another e (which a reader may take for an
//     exponent), or that is a keyword of the format (free, inf, st, end,
//     …), gets a leading _, and a name that then clashes with another
//     gets _2, _3, … appended. The objective is named obj, or obj_2, … when
//     a row already has that name.
//   - A row or an objective without a non-zero coefficient is written
//     with a zero coefficient on the first column, since the format wants
//     at least one term. Explicit zeros are left out otherwise. Long rows
//     wrap every eight terms on indented continuation lines.
//   - Every bound is written in full: "lo <= x <= hi", "x = v",
//     "x free", "-inf <= x <= hi", "x >= lo"; nothing is left to the
//     format's defaults except lo = 0 with no upper bound. Integer columns
//     with bounds [0, 1] are listed under Binary, other integer columns
//     under General.
//   - Numbers use the shortest form that reads back exactly, never "-0".
func (m *Model) WriteLP(w io.Writer) error {
	if err := m.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	ew := &errWriter{w: bw}
	cols, rows, obj := m.lpNames()
	ew.str("\\ ")
	ew.str(m.Name())
	ew.str("\n")
	if m.objConst != 0 {
		ew.str("\\ objective constant ")
		ew.str(fmtNum(m.objConst))
		ew.str(" not included\n")
	}
	if m.maximize {
		ew.str("Maximize\n")
	} else {
		ew.str("Minimize\n")
	}
	var ind []int
	var val []float64
	for j, c := range m.cols {
		if c.obj != 0 {
			ind = append(ind, j)
			val = append(val, c.obj)
		}
	}
	ew.lpRow(obj, ind, val, cols)
	ew.str("\n")
	ew.str("Subject To\n")
	for i, r := range m.rows {
		ind, val = ind[:0], val[:0]
		for p := m.start[i]; p < m.start[i+1]; p++ {
			if m.val[p] != 0 {
				ind = append(ind, m.ind[p])
				val = append(val, m.val[p])
			}
		}
		ew.lpRow(rows[i], ind, val, cols)
		switch r.sense {
		case LE:
			ew.str(" <= ")
		case GE:
			ew.str(" >= ")
		default:
			ew.str(" = ")
		}
		ew.num(r.rhs)
		ew.str("\n")
	}
	m.lpBounds(ew, cols)
	m.lpIntegers(ew, cols)
	ew.str("End\n")
	if ew.err != nil {
		return ew.err
	}
	return bw.Flush()
}

// lpRow writes "name: terms" with at least one term.
func (e *errWriter) lpRow(name string, ind []int, val []float64, cols []string) {
	e.str(" ")
	e.str(name)
	e.str(":")
	if len(ind) == 0 && len(cols) > 0 {
		e.str(" 0 ")
		e.str(cols[0])
		return
	}
	for k, j := range ind {
		if k > 0 && k%8 == 0 {
			e.str("\n   ")
		}
		v := val[k]
		if v < 0 {
			e.str(" - ")
			v = -v
		} else {
			e.str(" + ")
		}
		e.num(v)
		e.str(" ")
		e.str(cols[j])
	}
}

// lpBounds writes the Bounds section.
func (m *Model) lpBounds(ew *errWriter, cols []string) {
	ew.str("Bounds\n")
	for j, c := range m.cols {
		loInf, hiInf := math.IsInf(c.lo, -1), math.IsInf(c.hi, 1)
		if c.lo == 0 && hiInf || c.kind.IsInteger() && c.lo == 0 && c.hi == 1 {
			continue // the default, or Binary
		}
		ew.str(" ")
		switch {
		case loInf && hiInf:
			ew.str(cols[j])
			ew.str(" free")
		case c.lo == c.hi:
			ew.str(cols[j])
			ew.str(" = ")
			ew.num(c.lo)
		case hiInf:
			ew.str(cols[j])
			ew.str(" >= ")
			ew.num(c.lo)
		default:
			if loInf {
				ew.str("-inf")
			} else {
				ew.num(c.lo)
			}
			ew.str(" <= ")
			ew.str(cols[j])
			ew.str(" <= ")
			ew.num(c.hi)
		}
		ew.str("\n")
	}
}

// lpIntegers writes the General and Binary sections, eight names a line.
func (m *Model) lpIntegers(ew *errWriter, cols []string) {
	var gen, bin []string
	for j, c := range m.cols {
		switch {
		case !c.kind.IsInteger():
		case c.lo == 0 && c.hi == 1:
			bin = append(bin, cols[j])
		default:
			gen = append(gen, cols[j])
		}
	}
	for _, sec := range []struct {
		title string
		names []string
	}{{"General\n", gen}, {"Binary\n", bin}} {
		if len(sec.names) == 0 {
			continue
		}
		ew.str(sec.title)
		for k, s := range sec.names {
			if k%8 == 0 {
				if k > 0 {
					ew.str("\n")
				}
				ew.str(" ")
			}
			ew.str(" ")
			ew.str(s)
		}
		ew.str("\n")
	}
}

// lpKeywords are the words of the LP format that may not name a column or
// a row, in lower case.
var lpKeywords = map[string]bool{
	"minimize": true, "minimise": true, "minimum": true, "min": true, "maximize": true, "maximise": true, "maximum": true, "max": true,
	"subject": true, "to": true, "such": true, "that": true, "st": true, "s.t.": true, "st.": true,
	"bounds": true, "bound": true, "free": true, "inf": true, "infinity": true,
	"general": true, "generals": true, "gen": true, "integer": true, "integers": true,
	"binary": true, "binaries": true, "bin": true, "semi": true, "semis": true, "semi-continuous": true,
	"sos": true, "end": true,
}

// lpName turns a model name into a name the LP format accepts.
func lpName(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch c {
		case '-', '[', ']', ':':
			b[i] = '_'
		}
	}
	s = string(b)
	if s == "" {
		return "_"
	}
	c := s[0]
	exp := (c == 'e' || c == 'E') && len(s) > 1 && (s[1] >= '0' && s[1] <= '9' || s[1] == 'e' || s[1] == 'E')
	if c >= '0' && c <= '9' || c == '.' || exp || lpKeywords[strings.ToLower(s)] {
		s = "_" + s
	}
	return s
}

// lpNames returns the LP names of the columns, the rows and the
// objective, each unique.
func (m *Model) lpNames() (cols, rows []string, obj string) {
	used := make(map[string]bool, len(m.cols)+len(m.rows)+1)
	unique := func(s string) string {
		if !used[s] {
			used[s] = true
			return s
		}
		for k := 2; ; k++ {
			t := s + "_" + strconv.Itoa(k)
			if !used[t] {
				used[t] = true
				return t
			}
		}
	}
	cols = make([]string, len(m.cols))
	for j := range m.cols {
		cols[j] = unique(lpName(m.VarName(j)))
	}
	// Rows and columns live in separate name spaces in the format, but
	// one space is simpler to read and never wrong.
	rows = make([]string, len(m.rows))
	for i := range m.rows {
		rows[i] = unique(lpName(m.RowName(i)))
	}
	return cols, rows, unique("obj")
}
