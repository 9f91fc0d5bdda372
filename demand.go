package gst

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
)

// Demand is the annual volume of one service needed by the people of one
// area, in the service's unit (visits, deliveries, admissions…).
type Demand struct {
	Area    AreaID    `json:"area"`
	Service ServiceID `json:"service"`
	Volume  float64   `json:"volume"`
}

type areaService struct {
	a AreaID
	s ServiceID
}

// DemandUnit says what the volumes of a DemandTable count. Capacities
// (Offer.Capacity) count cases, so only a table in Cases can be compared
// with them.
type DemandUnit int

// The units of demand.
const (
	// Cases counts cases in each service's own unit (Service.Unit: visits,
	// deliveries, dialysis sessions, admissions…), the unit of offer
	// capacities: capacity.Demand and the pathway package's Flows.Demand.
	// It is the zero value, the unit of a table built by NewDemandTable.
	Cases DemandUnit = iota
	// Trips counts one-way trips to the serving establishment: the pathway
	// package's travel weights (two legs per in-person visit, none for a
	// remote one). A trip is not a case: divide by the trips per case to
	// compare with a capacity.
	Trips
	// People counts people (a population used as a weight). Utilisation
	// rates (capacity.Demand) turn people into cases.
	People
)

var demandUnitNames = [...]string{Cases: "cases", Trips: "trips", People: "people"}

// String returns "cases", "trips" or "people".
func (u DemandUnit) String() string {
	if u >= 0 && int(u) < len(demandUnitNames) {
		return demandUnitNames[u]
	}
	return fmt.Sprintf("DemandUnit(%d)", int(u))
}

// Valid reports whether u is one of the units.
func (u DemandUnit) Valid() bool { return u >= Cases && u <= People }

// MarshalText encodes the unit as its String form.
func (u DemandUnit) MarshalText() ([]byte, error) {
	if !u.Valid() {
		return nil, fmt.Errorf("%w: demand unit %d", ErrInvalid, int(u))
	}
	return []byte(u.String()), nil
}

// UnmarshalText decodes a unit from its String form.
func (u *DemandUnit) UnmarshalText(b []byte) error {
	for i, n := range demandUnitNames {
		if n == string(bytes.ToLower(bytes.TrimSpace(b))) {
			*u = DemandUnit(i)
			return nil
		}
	}
	return fmt.Errorf("%w: unknown demand unit %q (want cases, trips or people)", ErrInvalid, b)
}

// DemandTable holds at most one volume per area and service, sorted by
// area then service, and the unit the volumes count (Cases unless
// WithUnit says otherwise). It is what the capacity and pathway packages
// produce and what allocate consumes. A DemandTable is immutable once
// built and safe for concurrent use.
type DemandTable struct {
	rows []Demand
	ix   map[areaService]int
	unit DemandUnit
}

// NewDemandTable checks and sorts the rows: IDs non-empty, volumes finite
// and non-negative, each (area, service) at most once. It reports every
// problem at once.
func NewDemandTable(rows []Demand) (*DemandTable, error) {
	var p Problems
	t := &DemandTable{rows: append([]Demand(nil), rows...), ix: make(map[areaService]int, len(rows))}
	for i, d := range t.rows {
		if d.Area != "" && d.Service != "" && finiteNonNeg(d.Volume) {
			continue
		}
		w := fmt.Sprintf("demand #%d (area %q, service %q)", i+1, d.Area, d.Service)
		if d.Area == "" {
			p.Addf(w, "area", "must not be empty")
		}
		if d.Service == "" {
			p.Addf(w, "service", "must not be empty")
		}
		p.CheckNonNegative(w, "volume", d.Volume)
	}
	sort.SliceStable(t.rows, func(i, j int) bool {
		if t.rows[i].Area != t.rows[j].Area {
			return t.rows[i].Area < t.rows[j].Area
		}
		return t.rows[i].Service < t.rows[j].Service
	})
	for i, d := range t.rows {
		k := areaService{d.Area, d.Service}
		if _, dup := t.ix[k]; dup {
			p.Addf(fmt.Sprintf("demand (area %q, service %q)", d.Area, d.Service), "", "given twice")
			continue
		}
		t.ix[k] = i
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// Rows returns the demands sorted by area then service. The slice must not
// be modified.
func (t *DemandTable) Rows() []Demand { return t.rows }

// Unit returns what the volumes count.
func (t *DemandTable) Unit() DemandUnit { return t.unit }

// WithUnit returns a table with the same rows (shared, not copied) whose
// volumes count u. An invalid unit is an error wrapping ErrInvalid.
func (t *DemandTable) WithUnit(u DemandUnit) (*DemandTable, error) {
	if !u.Valid() {
		return nil, &ValidationError{Where: "demand table", Field: "unit", Err: fmt.Errorf("unknown unit %d (want Cases, Trips or People)", int(u))}
	}
	c := *t
	c.unit = u
	return &c, nil
}

// Len returns the number of rows.
func (t *DemandTable) Len() int { return len(t.rows) }

// Volume returns the volume of a service needed by an area (zero when the
// table has no such row).
func (t *DemandTable) Volume(a AreaID, s ServiceID) float64 {
	if i, ok := t.ix[areaService{a, s}]; ok {
		return t.rows[i].Volume
	}
	return 0
}

// Services returns the distinct services of the table, sorted.
func (t *DemandTable) Services() []ServiceID {
	seen := map[ServiceID]bool{}
	var out []ServiceID
	for _, d := range t.rows {
		if !seen[d.Service] {
			seen[d.Service] = true
			out = append(out, d.Service)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Total returns the total volume of a service.
func (t *DemandTable) Total(s ServiceID) float64 {
	var sum float64
	for _, d := range t.rows {
		if d.Service == s {
			sum += d.Volume
		}
	}
	return sum
}

// ForService returns the rows of one service, sorted by area.
func (t *DemandTable) ForService(s ServiceID) []Demand {
	var out []Demand
	for _, d := range t.rows {
		if d.Service == s {
			out = append(out, d)
		}
	}
	return out
}

// Select returns a table with the rows of the given services only, in the
// same unit.
func (t *DemandTable) Select(services ...ServiceID) *DemandTable {
	keep := make(map[ServiceID]bool, len(services))
	for _, s := range services {
		keep[s] = true
	}
	out := &DemandTable{ix: map[areaService]int{}, unit: t.unit}
	for _, d := range t.rows {
		if keep[d.Service] {
			out.ix[areaService{d.Area, d.Service}] = len(out.rows)
			out.rows = append(out.rows, d)
		}
	}
	return out
}

// Validate checks that every area and service of the table exists in the
// region.
func (t *DemandTable) Validate(r *Region) error {
	var p Problems
	x := r.index()
	for _, d := range t.rows {
		_, okA := x.areas[d.Area]
		_, okS := x.services[d.Service]
		if okA && okS {
			continue
		}
		w := fmt.Sprintf("demand (area %q, service %q)", d.Area, d.Service)
		if !okA {
			p.Addf(w, "area", "unknown area %q", d.Area)
		}
		if !okS {
			p.Addf(w, "service", "unknown service %q", d.Service)
		}
	}
	return p.Err()
}

// demandJSON is the JSON form of a table whose unit is not Cases.
type demandJSON struct {
	Unit DemandUnit `json:"unit"`
	Rows []Demand   `json:"rows"`
}

// MarshalJSON writes a table in Cases as a JSON array of rows, and a table
// in another unit as an object {"unit": "trips", "rows": [...]}.
func (t *DemandTable) MarshalJSON() ([]byte, error) {
	rows := t.rows
	if rows == nil {
		rows = []Demand{}
	}
	if t.unit == Cases {
		return json.Marshal(rows)
	}
	return json.Marshal(demandJSON{Unit: t.unit, Rows: rows})
}

// UnmarshalJSON reads what MarshalJSON writes (an array of rows, in
// Cases, or an object with the unit and the rows) and checks the rows as
// NewDemandTable does.
func (t *DemandTable) UnmarshalJSON(b []byte) error {
	var rows []Demand
	unit := Cases
	if tb := bytes.TrimSpace(b); len(tb) > 0 && tb[0] == '{' {
		var o demandJSON
		dec := json.NewDecoder(bytes.NewReader(tb))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			return fmt.Errorf("%w: demand table: %v", ErrInvalid, err)
		}
		rows, unit = o.Rows, o.Unit
	} else if err := json.Unmarshal(b, &rows); err != nil {
		return fmt.Errorf("%w: demand table: %v", ErrInvalid, err)
	}
	n, err := NewDemandTable(rows)
	if err != nil {
		return err
	}
	n.unit = unit
	*t = *n
	return nil
}

// Allocation sends a share of one area's demand for one service to one
// establishment.
type Allocation struct {
	Area          AreaID          `json:"area"`
	Service       ServiceID       `json:"service"`
	Establishment EstablishmentID `json:"establishment"`
	// Share is the fraction of the area's demand for the service, in (0, 1].
	Share float64 `json:"share"`
}

// AssignmentTolerance is how far above 1 the shares of one area and
// service may sum, to absorb rounding.
const AssignmentTolerance = 1e-6

// Assignment says where each area is served for each service: the shares
// of its demand that go to each establishment. Shares of one area and
// service sum to at most 1; the rest is unserved. An Assignment is
// immutable once built and safe for concurrent use.
type Assignment struct {
	rows []Allocation
	ix   map[areaService][2]int // [first, end) in rows
}

// NewAssignment checks and sorts the allocations (by area, service, then
// establishment): IDs non-empty, shares in (0, 1], each establishment at
// most once per area and service, and shares of one area and service
// summing to at most 1 (within AssignmentTolerance).
func NewAssignment(rows []Allocation) (*Assignment, error) {
	var p Problems
	a := &Assignment{rows: append([]Allocation(nil), rows...), ix: map[areaService][2]int{}}
	for i, r := range a.rows {
		if r.Area != "" && r.Service != "" && r.Establishment != "" && r.Share > 0 && r.Share <= 1+AssignmentTolerance {
			continue
		}
		w := fmt.Sprintf("allocation #%d (area %q, service %q, establishment %q)", i+1, r.Area, r.Service, r.Establishment)
		if r.Area == "" {
			p.Addf(w, "area", "must not be empty")
		}
		if r.Service == "" {
			p.Addf(w, "service", "must not be empty")
		}
		if r.Establishment == "" {
			p.Addf(w, "establishment", "must not be empty")
		}
		if math.IsNaN(r.Share) || r.Share <= 0 || r.Share > 1+AssignmentTolerance {
			p.Addf(w, "share", "must be in (0, 1], got %v", r.Share)
		}
	}
	sort.SliceStable(a.rows, func(i, j int) bool {
		x, y := a.rows[i], a.rows[j]
		if x.Area != y.Area {
			return x.Area < y.Area
		}
		if x.Service != y.Service {
			return x.Service < y.Service
		}
		return x.Establishment < y.Establishment
	})
	for i := 0; i < len(a.rows); {
		k := areaService{a.rows[i].Area, a.rows[i].Service}
		j, sum := i, 0.0
		for ; j < len(a.rows) && a.rows[j].Area == k.a && a.rows[j].Service == k.s; j++ {
			if j > i && a.rows[j].Establishment == a.rows[j-1].Establishment {
				p.Addf(fmt.Sprintf("allocation (area %q, service %q, establishment %q)", k.a, k.s, a.rows[j].Establishment), "", "given twice")
			}
			sum += a.rows[j].Share
		}
		if sum > 1+AssignmentTolerance {
			p.Addf(fmt.Sprintf("allocation (area %q, service %q)", k.a, k.s), "share", "shares sum to %v, more than 1", sum)
		}
		a.ix[k] = [2]int{i, j}
		i = j
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

// Rows returns the allocations sorted by area, service and establishment.
// The slice must not be modified.
func (a *Assignment) Rows() []Allocation { return a.rows }

// Len returns the number of allocations.
func (a *Assignment) Len() int { return len(a.rows) }

// For returns the allocations of one area and service (nil when it is not
// assigned). The slice must not be modified.
func (a *Assignment) For(area AreaID, s ServiceID) []Allocation {
	if r, ok := a.ix[areaService{area, s}]; ok {
		return a.rows[r[0]:r[1]]
	}
	return nil
}

// Served returns the share of an area's demand for a service that is
// assigned somewhere.
func (a *Assignment) Served(area AreaID, s ServiceID) float64 {
	var sum float64
	for _, r := range a.For(area, s) {
		sum += r.Share
	}
	return math.Min(sum, 1)
}

// Validate checks that every area, service and establishment exists in the
// region and that each establishment offers the service it is assigned.
func (a *Assignment) Validate(r *Region) error {
	var p Problems
	ix := r.index()
	for _, x := range a.rows {
		_, okA := ix.areas[x.Area]
		_, okS := ix.services[x.Service]
		_, okE := ix.ests[x.Establishment]
		_, okO := ix.offers[estService{x.Establishment, x.Service}]
		if okA && okS && okE && okO {
			continue
		}
		w := fmt.Sprintf("allocation (area %q, service %q, establishment %q)", x.Area, x.Service, x.Establishment)
		if !okA {
			p.Addf(w, "area", "unknown area %q", x.Area)
		}
		if !okS {
			p.Addf(w, "service", "unknown service %q", x.Service)
		}
		if !okE {
			p.Addf(w, "establishment", "unknown establishment %q", x.Establishment)
		} else if !okO {
			p.Addf(w, "establishment", "does not offer service %q", x.Service)
		}
	}
	return p.Err()
}

// MarshalJSON writes the allocations as a JSON array.
func (a *Assignment) MarshalJSON() ([]byte, error) {
	if a.rows == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(a.rows)
}

// UnmarshalJSON reads a JSON array of allocations and checks it as
// NewAssignment does.
func (a *Assignment) UnmarshalJSON(b []byte) error {
	var rows []Allocation
	if err := json.Unmarshal(b, &rows); err != nil {
		return fmt.Errorf("%w: assignment: %v", ErrInvalid, err)
	}
	n, err := NewAssignment(rows)
	if err != nil {
		return err
	}
	*a = *n
	return nil
}
