package gst

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
)

// Leg is the travel from one place to another: time in minutes and road
// distance in kilometres.
type Leg struct {
	Minutes float64 `json:"minutes"`
	Km      float64 `json:"km"`
}

func (l Leg) valid() bool {
	return !math.IsNaN(l.Minutes) && !math.IsInf(l.Minutes, 0) && l.Minutes >= 0 &&
		!math.IsNaN(l.Km) && !math.IsInf(l.Km, 0) && l.Km >= 0
}

// Pair names an origin and a destination of a Matrix.
type Pair struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Matrix is a dense table of travel legs from a list of origins to a list
// of destinations (area or establishment IDs). A pair is either reachable,
// with a finite leg, or unreachable; a Matrix never stores an infinite or
// NaN value, and Unreachable lists the pairs without a leg.
//
// A Matrix is safe for concurrent reads; Set must not run concurrently with
// anything else.
type Matrix struct {
	from, to      []string
	fromIx, toIx  map[string]int
	minutes, km   []float64 // row-major; NaN minutes marks an unreachable pair
	reachableLegs int
}

// NewMatrix returns a matrix from the given origins to the given
// destinations with every pair unreachable. IDs must be non-empty and
// unique within each list.
func NewMatrix(from, to []string) (*Matrix, error) {
	var p Problems
	fi := indexIDs(&p, "travel matrix origin", from)
	ti := indexIDs(&p, "travel matrix destination", to)
	if err := p.Err(); err != nil {
		return nil, err
	}
	n := len(from) * len(to)
	if len(from) != 0 && n/len(from) != len(to) {
		return nil, fmt.Errorf("%w: travel matrix of %d × %d pairs", ErrTooLarge, len(from), len(to))
	}
	m := &Matrix{
		from:    append([]string(nil), from...),
		to:      append([]string(nil), to...),
		fromIx:  fi,
		toIx:    ti,
		minutes: make([]float64, n),
		km:      make([]float64, n),
	}
	for i := range m.minutes {
		m.minutes[i] = math.NaN()
	}
	return m, nil
}

func indexIDs(p *Problems, kind string, ids []string) map[string]int {
	ix := make(map[string]int, len(ids))
	for i, id := range ids {
		w := whereNamed(kind, i, id)
		if id == "" {
			p.Add(w, "id", errors.New("must not be empty"))
			continue
		}
		if _, dup := ix[id]; dup {
			p.Add(w, "id", errors.New("listed twice"))
			continue
		}
		ix[id] = i
	}
	return ix
}

// From returns the origin IDs. The slice must not be modified.
func (m *Matrix) From() []string { return m.from }

// To returns the destination IDs. The slice must not be modified.
func (m *Matrix) To() []string { return m.to }

// FromIndex returns the position of an origin.
func (m *Matrix) FromIndex(id string) (int, bool) {
	i, ok := m.fromIx[id]
	return i, ok
}

// ToIndex returns the position of a destination.
func (m *Matrix) ToIndex(id string) (int, bool) {
	i, ok := m.toIx[id]
	return i, ok
}

// Set stores the leg from origin i to destination j. It returns an error
// wrapping ErrInvalid when i or j is out of range or the leg is negative or
// not finite.
func (m *Matrix) Set(i, j int, l Leg) error {
	if i < 0 || i >= len(m.from) || j < 0 || j >= len(m.to) {
		return fmt.Errorf("%w: travel matrix pair (%d, %d) out of range %d × %d", ErrInvalid, i, j, len(m.from), len(m.to))
	}
	if !l.valid() {
		return &ValidationError{Where: fmt.Sprintf("travel %q → %q", m.from[i], m.to[j]), Field: "minutes, km",
			Err: fmt.Errorf("must be finite numbers >= 0, got %v min and %v km", l.Minutes, l.Km)}
	}
	k := i*len(m.to) + j
	if math.IsNaN(m.minutes[k]) {
		m.reachableLegs++
	}
	m.minutes[k], m.km[k] = l.Minutes, l.Km
	return nil
}

// SetID stores the leg between two IDs of the matrix.
func (m *Matrix) SetID(from, to string, l Leg) error {
	i, ok := m.fromIx[from]
	if !ok {
		return fmt.Errorf("%w: travel matrix has no origin %q", ErrInvalid, from)
	}
	j, ok := m.toIx[to]
	if !ok {
		return fmt.Errorf("%w: travel matrix has no destination %q", ErrInvalid, to)
	}
	return m.Set(i, j, l)
}

// Unset marks the pair from origin i to destination j unreachable.
func (m *Matrix) Unset(i, j int) {
	if i < 0 || i >= len(m.from) || j < 0 || j >= len(m.to) {
		return
	}
	k := i*len(m.to) + j
	if !math.IsNaN(m.minutes[k]) {
		m.reachableLegs--
	}
	m.minutes[k], m.km[k] = math.NaN(), 0
}

// At returns the leg from origin i to destination j and whether the pair
// is reachable. Out-of-range indices are unreachable.
func (m *Matrix) At(i, j int) (Leg, bool) {
	if i < 0 || i >= len(m.from) || j < 0 || j >= len(m.to) {
		return Leg{}, false
	}
	k := i*len(m.to) + j
	if math.IsNaN(m.minutes[k]) {
		return Leg{}, false
	}
	return Leg{Minutes: m.minutes[k], Km: m.km[k]}, true
}

// Lookup returns the leg between two IDs and whether it is known and
// reachable.
func (m *Matrix) Lookup(from, to string) (Leg, bool) {
	i, ok := m.fromIx[from]
	if !ok {
		return Leg{}, false
	}
	j, ok := m.toIx[to]
	if !ok {
		return Leg{}, false
	}
	return m.At(i, j)
}

// Reachable returns how many pairs have a leg.
func (m *Matrix) Reachable() int { return m.reachableLegs }

// Unreachable lists the pairs without a leg, in origin then destination
// order.
func (m *Matrix) Unreachable() []Pair {
	var out []Pair
	for i := range m.from {
		for j := range m.to {
			if math.IsNaN(m.minutes[i*len(m.to)+j]) {
				out = append(out, Pair{m.from[i], m.to[j]})
			}
		}
	}
	return out
}

// Clone returns a deep copy.
func (m *Matrix) Clone() *Matrix {
	c := &Matrix{
		from:          append([]string(nil), m.from...),
		to:            append([]string(nil), m.to...),
		fromIx:        make(map[string]int, len(m.fromIx)),
		toIx:          make(map[string]int, len(m.toIx)),
		minutes:       append([]float64(nil), m.minutes...),
		km:            append([]float64(nil), m.km...),
		reachableLegs: m.reachableLegs,
	}
	for k, v := range m.fromIx {
		c.fromIx[k] = v
	}
	for k, v := range m.toIx {
		c.toIx[k] = v
	}
	return c
}

// MatrixEntry is one reachable leg of a Matrix, as written to JSON and CSV.
type MatrixEntry struct {
	From    string  `json:"from"`
	To      string  `json:"to"`
	Minutes float64 `json:"minutes"`
	Km      float64 `json:"km"`
}

// Entries lists the reachable legs in origin then destination order.
func (m *Matrix) Entries() []MatrixEntry {
	out := make([]MatrixEntry, 0, m.reachableLegs)
	for i := range m.from {
		for j := range m.to {
			k := i*len(m.to) + j
			if !math.IsNaN(m.minutes[k]) {
				out = append(out, MatrixEntry{m.from[i], m.to[j], m.minutes[k], m.km[k]})
			}
		}
	}
	return out
}

// MatrixFromEntries builds a matrix from sparse entries. The origins and
// destinations are the distinct IDs of the entries, sorted, so that the
// order of the entries does not matter. A pair given twice is an error.
func MatrixFromEntries(entries []MatrixEntry) (*Matrix, error) {
	fs, ts := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		fs[e.From], ts[e.To] = true, true
	}
	m, err := NewMatrix(sortedKeys(fs), sortedKeys(ts))
	if err != nil {
		return nil, err
	}
	var p Problems
	for n, e := range entries {
		i, j := m.fromIx[e.From], m.toIx[e.To]
		if _, dup := m.At(i, j); dup {
			p.Addf(fmt.Sprintf("travel entry #%d %q → %q", n+1, e.From, e.To), "", "pair given twice")
			continue
		}
		if err := m.Set(i, j, Leg{e.Minutes, e.Km}); err != nil {
			p.AddErr(err)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

func sortedKeys(s map[string]bool) []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type matrixJSON struct {
	From []string      `json:"from"`
	To   []string      `json:"to"`
	Legs []MatrixEntry `json:"legs"`
}

// MarshalJSON writes the origins, the destinations and the reachable legs.
func (m *Matrix) MarshalJSON() ([]byte, error) {
	return json.Marshal(matrixJSON{From: m.from, To: m.to, Legs: m.Entries()})
}

// UnmarshalJSON reads what MarshalJSON writes. When "from" and "to" are
// omitted they are taken from the legs.
func (m *Matrix) UnmarshalJSON(b []byte) error {
	var v matrixJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("%w: travel matrix: %v", ErrInvalid, err)
	}
	var out *Matrix
	var err error
	if v.From == nil && v.To == nil {
		out, err = MatrixFromEntries(v.Legs)
	} else {
		out, err = NewMatrix(v.From, v.To)
		if err == nil {
			var p Problems
			for n, e := range v.Legs {
				w := fmt.Sprintf("travel leg #%d %q → %q", n+1, e.From, e.To)
				i, ok1 := out.fromIx[e.From]
				j, ok2 := out.toIx[e.To]
				switch {
				case !ok1:
					p.Addf(w, "from", "not among the matrix origins")
				case !ok2:
					p.Addf(w, "to", "not among the matrix destinations")
				default:
					if _, dup := out.At(i, j); dup {
						p.Addf(w, "", "pair given twice")
					} else if err := out.Set(i, j, Leg{e.Minutes, e.Km}); err != nil {
						p.AddErr(err)
					}
				}
			}
			err = p.Err()
		}
	}
	if err != nil {
		return err
	}
	*m = *out
	return nil
}

func (m *Matrix) validateAgainst(p *Problems, known func(string) bool) {
	for i, id := range m.from {
		if !known(id) {
			p.Addf(whereNamed("travel matrix origin", i, id), "from", "not an area or establishment of the region")
		}
	}
	for j, id := range m.to {
		if !known(id) {
			p.Addf(whereNamed("travel matrix destination", j, id), "to", "not an area or establishment of the region")
		}
	}
	if err := m.CheckNotAllZero(); err != nil {
		p.AddErr(err)
	}
}

// CheckNotAllZero returns an error wrapping ErrInvalid when the matrix has
// legs between at least two distinct places and every one of them is zero
// minutes and zero kilometres: a sign of a unit or export mistake, which
// would make every plan look perfect. A zero leg between a place and
// itself, or a few zero legs among others, are fine.
func (m *Matrix) CheckNotAllZero() error {
	distinct := false
	for i, f := range m.from {
		row := i * len(m.to)
		for j, t := range m.to {
			k := row + j
			if math.IsNaN(m.minutes[k]) {
				continue
			}
			if m.minutes[k] != 0 || m.km[k] != 0 {
				return nil
			}
			if f != t {
				distinct = true
			}
		}
	}
	if !distinct {
		return nil
	}
	return &ValidationError{Where: "travel matrix", Field: "minutes, km",
		Err: fmt.Errorf("%w: all %d legs are zero minutes and zero km; check the units and the export", ErrInvalid, m.reachableLegs)}
}
