package lp

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Kind is the domain of a column.
type Kind int

// The column kinds. The zero value is Continuous.
const (
	// Continuous columns take any real value within their bounds.
	Continuous Kind = iota
	// Integer columns take integer values within their bounds.
	Integer
	// Binary columns are integer columns whose bounds lie within [0, 1].
	Binary
)

var kindNames = [...]string{Continuous: "continuous", Integer: "integer", Binary: "binary"}

// String returns the kind in lower case.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// IsInteger reports whether columns of this kind must take integer values.
func (k Kind) IsInteger() bool { return k == Integer || k == Binary }

// Sense is the relation of a row to its right-hand side.
type Sense int

// The row senses. The zero value is not a valid sense, so a row whose sense
// was forgotten is reported by Validate.
const (
	// LE is a ≤ row: Σ a·x ≤ rhs.
	LE Sense = iota + 1
	// GE is a ≥ row: Σ a·x ≥ rhs.
	GE
	// EQ is an equality row: Σ a·x = rhs.
	EQ
)

// String returns "<=", ">=" or "=".
func (s Sense) String() string {
	switch s {
	case LE:
		return "<="
	case GE:
		return ">="
	case EQ:
		return "="
	}
	return "Sense(" + strconv.Itoa(int(s)) + ")"
}

func (s Sense) valid() bool { return s == LE || s == GE || s == EQ }

type column struct {
	name   string
	lo, hi float64
	obj    float64
	kind   Kind
}

type row struct {
	name  string
	sense Sense
	rhs   float64
}

// Model is a sparse linear or mixed-integer programme:
//
//	minimise (or maximise)  Σ obj_j·x_j + constant
//	subject to              Σ_j a_ij·x_j (≤, ≥, =) rhs_i   for every row i
//	                        lo_j ≤ x_j ≤ hi_j               for every column j
//	                        x_j integer                     for Integer and Binary columns
//
// A Model is plain Go data; it holds no solver state and may be solved
// any number of times. Columns and rows are numbered from 0 in the order
// they were added. The zero Model is an empty minimisation, ready to use.
//
// Methods that take a column or row index panic when it is out of range,
// like a slice index.
//
// A Model is not safe for concurrent modification; concurrent Solve or
// WriteMPS calls on a Model that nobody modifies are safe.
type Model struct {
	name     string
	maximize bool
	objConst float64

	cols []column
	rows []row

	// Row-major sparse matrix: the entries of row i are
	// ind[start[i]:start[i+1]] and val[start[i]:start[i+1]].
	start []int
	ind   []int
	val   []float64

	// Problems noticed while building that AddRow cannot return, reported
	// by Validate.
	buildErrs []*ModelError
}

// NewModel returns an empty minimisation named name (see SetName).
func NewModel(name string) *Model {
	m := &Model{}
	m.SetName(name)
	return m
}

// SetName sets the model's name, written on the NAME line of an MPS file.
// It is sanitised like column names (see AddVar); the empty name stands
// for "MODEL".
func (m *Model) SetName(name string) { m.name = sanitizeName(name) }

// Name returns the model's name, "MODEL" when none was set.
func (m *Model) Name() string {
	if m.name == "" {
		return "MODEL"
	}
	return m.name
}

// AddVar adds a column with bounds lo ≤ x ≤ hi, objective coefficient obj
// and kind, and returns its index. Use math.Inf(-1) and math.Inf(1) for
// missing bounds. A Binary column must have bounds within [0, 1]
// (typically 0 and 1).
//
// The name is optional: an empty name stands for the generated name
// "C<index+1>" (C1, C2, …). Names are sanitised for MPS: every byte other
// than an ASCII letter, digit or one of _ . - [ ] ( ) , : / # @ is replaced
// by '_'. Validate rejects names that are longer than 255 bytes or that
// collide with another column's name.
//
// Nothing is checked here; Validate (called by Solve and WriteMPS) reports
// every problem.
func (m *Model) AddVar(name string, lo, hi, obj float64, kind Kind) int {
	m.cols = append(m.cols, column{name: sanitizeName(name), lo: lo, hi: hi, obj: obj, kind: kind})
	return len(m.cols) - 1
}

// AddRow adds the row Σ coefs[k]·x[cols[k]] (sense) rhs and returns its
// index. The slices are copied. Repeated column indices in one row are
// summed into one entry, kept at the position of their first occurrence.
// Column indices may refer to columns added later; Validate checks that
// every index is in range when the model is used. When cols and coefs
// differ in length the extra entries are dropped and Validate reports it.
//
// The name is optional: an empty name stands for "R<index+1>" (R1, R2, …);
// it is sanitised as in AddVar.
func (m *Model) AddRow(name string, cols []int, coefs []float64, sense Sense, rhs float64) int {
	i := len(m.rows)
	if m.start == nil {
		m.start = []int{0}
	}
	n := len(cols)
	if len(coefs) != n {
		m.buildErrs = append(m.buildErrs, &ModelError{Row: i, Col: -1, Name: sanitizeName(name), Field: "coefs",
			Err: fmt.Errorf("%d column indices but %d coefficients", len(cols), len(coefs))})
		n = min(n, len(coefs))
	}
	base := len(m.ind)
	increasing := true
	for k := 1; k < n; k++ {
		if cols[k] <= cols[k-1] {
			increasing = false
			break
		}
	}
	switch {
	case increasing: // no repeats: the common case
		m.ind = append(m.ind, cols[:n]...)
		m.val = append(m.val, coefs[:n]...)
	case n <= 16:
		for k := 0; k < n; k++ {
			c, v := cols[k], coefs[k]
			dup := false
			for p := base; p < len(m.ind); p++ {
				if m.ind[p] == c {
					m.val[p] += v
					dup = true
					break
				}
			}
			if !dup {
				m.ind = append(m.ind, c)
				m.val = append(m.val, v)
			}
		}
	default:
		pos := make(map[int]int, n)
		for k := 0; k < n; k++ {
			c, v := cols[k], coefs[k]
			if p, ok := pos[c]; ok {
				m.val[p] += v
				continue
			}
			pos[c] = len(m.ind)
			m.ind = append(m.ind, c)
			m.val = append(m.val, v)
		}
	}
	m.start = append(m.start, len(m.ind))
	m.rows = append(m.rows, row{name: sanitizeName(name), sense: sense, rhs: rhs})
	return i
}

// Clone returns a copy of m that may be changed (bounds, objective,
// right-hand sides, rows added) without changing m, nor m it. The rows'
// entries are shared until either adds a row, so a copy costs m's
// columns and rows, not its nonzeros.
func (m *Model) Clone() *Model {
	out := *m
	out.cols = slices.Clone(m.cols)
	out.rows = slices.Clone(m.rows)
	out.start = slices.Clip(m.start)
	out.ind = slices.Clip(m.ind)
	out.val = slices.Clip(m.val)
	out.buildErrs = slices.Clip(m.buildErrs)
	return &out
}

// SetMaximize makes the model a maximisation (true) or a minimisation
// (false, the default).
func (m *Model) SetMaximize(maximize bool) { m.maximize = maximize }

// Maximize reports whether the model is a maximisation.
func (m *Model) Maximize() bool { return m.maximize }

// SetObjConstant sets a constant added to the objective (default 0).
func (m *Model) SetObjConstant(c float64) { m.objConst = c }

// ObjConstant returns the constant added to the objective.
func (m *Model) ObjConstant() float64 { return m.objConst }

// NumVars returns the number of columns.
func (m *Model) NumVars() int { return len(m.cols) }

// NumRows returns the number of rows.
func (m *Model) NumRows() int { return len(m.rows) }

// NumNonzeros returns the number of stored matrix entries (after repeated
// columns within a row were summed; explicit zeros count).
func (m *Model) NumNonzeros() int { return len(m.ind) }

// NumIntegers returns the number of Integer and Binary columns.
func (m *Model) NumIntegers() int {
	n := 0
	for _, c := range m.cols {
		if c.kind.IsInteger() {
			n++
		}
	}
	return n
}

// VarName returns the name of column j (generated when none was given).
// It panics if j is out of range, like a slice index.
func (m *Model) VarName(j int) string {
	if m.cols[j].name == "" {
		return "C" + strconv.Itoa(j+1)
	}
	return m.cols[j].name
}

// RowName returns the name of row i (generated when none was given).
// It panics if i is out of range, like a slice index.
func (m *Model) RowName(i int) string {
	if m.rows[i].name == "" {
		return "R" + strconv.Itoa(i+1)
	}
	return m.rows[i].name
}

// Bounds returns the bounds of column j.
func (m *Model) Bounds(j int) (lo, hi float64) { return m.cols[j].lo, m.cols[j].hi }

// SetBounds changes the bounds of column j.
func (m *Model) SetBounds(j int, lo, hi float64) { m.cols[j].lo, m.cols[j].hi = lo, hi }

// Obj returns the objective coefficient of column j.
func (m *Model) Obj(j int) float64 { return m.cols[j].obj }

// SetObj changes the objective coefficient of column j.
func (m *Model) SetObj(j int, c float64) { m.cols[j].obj = c }

// VarKind returns the kind of column j.
func (m *Model) VarKind(j int) Kind { return m.cols[j].kind }

// SetVarKind changes the kind of column j.
func (m *Model) SetVarKind(j int, k Kind) { m.cols[j].kind = k }

// Row returns copies of the column indices and coefficients of row i,
// with its sense and right-hand side.
func (m *Model) Row(i int) (cols []int, coefs []float64, sense Sense, rhs float64) {
	a, b := m.start[i], m.start[i+1]
	cols = append([]int(nil), m.ind[a:b]...)
	coefs = append([]float64(nil), m.val[a:b]...)
	return cols, coefs, m.rows[i].sense, m.rows[i].rhs
}

// RowSense returns the sense of row i.
func (m *Model) RowSense(i int) Sense { return m.rows[i].sense }

// RHS returns the right-hand side of row i.
func (m *Model) RHS(i int) float64 { return m.rows[i].rhs }

// SetRHS changes the right-hand side of row i.
func (m *Model) SetRHS(i int, rhs float64) { m.rows[i].rhs = rhs }

// RowActivity returns Σ_j a_ij·x_j for row i. Entries whose column index
// is outside x are ignored.
func (m *Model) RowActivity(i int, x []float64) float64 {
	s := 0.0
	for p := m.start[i]; p < m.start[i+1]; p++ {
		if c := m.ind[p]; c >= 0 && c < len(x) {
			s += m.val[p] * x[c]
		}
	}
	return s
}

// ObjValue returns the objective Σ obj_j·x_j + constant at x. Columns
// beyond len(x) count as zero.
func (m *Model) ObjValue(x []float64) float64 {
	s := m.objConst
	for j, c := range m.cols {
		if j < len(x) {
			s += c.obj * x[j]
		}
	}
	return s
}

// EstimateBytes returns a rough upper estimate, in bytes, of the memory a
// solve of this model takes: this Model, its copy inside lp_solve, and the
// solution. Callers use it to refuse models above a size limit (wrapping
// gst.ErrTooLarge) before building or solving them. Branch and bound
// needs more, in proportion to the depth of the search tree.
func (m *Model) EstimateBytes() int64 {
	const (
		perNonzero = 16 + 24 // Go: index and value; lp_solve: column-major entry with row map
		perCol     = 64 + 200
		perRow     = 48 + 200
		fixed      = 64 << 10
	)
	return fixed + int64(len(m.ind))*perNonzero + int64(len(m.cols))*perCol + int64(len(m.rows))*perRow
}

// sanitizeName replaces every byte that is not safe in an MPS name.
func sanitizeName(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if !nameByte(s[i]) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if !nameByte(c) {
			b[i] = '_'
		}
	}
	return string(b)
}

func nameByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '_', '.', '-', '[', ']', '(', ')', ',', ':', '/', '#', '@':
		return true
	}
	return false
}

// lpInfinity is lp_solve's default infinity: it reads any value at least
// this large as infinite.
const lpInfinity = 1e30

func finiteSmall(v float64) bool { return !math.IsNaN(v) && math.Abs(v) < lpInfinity }
