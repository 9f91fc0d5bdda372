package capacity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/gstplan/gst"
)

// StaffFTE is a number of full-time equivalents of one category at one
// establishment: staff on roll (OnRoll), staff needed (WISNResult.Need) or
// any other count.
type StaffFTE struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Category      gst.CategoryID      `json:"category"`
	FTE           float64             `json:"fte"`
}

// OnRoll returns the staff on every establishment's roll, sorted by
// establishment then category. Candidates have no staff.
func OnRoll(r *gst.Region) []StaffFTE {
	var out []StaffFTE
	for _, e := range r.Establishments {
		for _, s := range e.Staff {
			out = append(out, StaffFTE{Establishment: e.ID, Category: s.Category, FTE: s.FTE})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Establishment != out[j].Establishment {
			return out[i].Establishment < out[j].Establishment
		}
		return out[i].Category < out[j].Category
	})
	return out
}

// Volume is the annual volume of one service at one establishment, in the
// service's unit.
type Volume struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Service       gst.ServiceID       `json:"service"`
	Volume        float64             `json:"volume"`
}

type estService struct {
	e gst.EstablishmentID
	s gst.ServiceID
}

// Volumes holds at most one volume per establishment and service, sorted
// by establishment then service. It is immutable once built and safe for
// concurrent use.
type Volumes struct {
	rows []Volume
	ix   map[estService]int
}

// NewVolumes checks and sorts the rows: IDs non-empty, volumes finite and
// non-negative, each (establishment, service) at most once.
func NewVolumes(rows []Volume) (*Volumes, error) {
	var p gst.Problems
	v := &Volumes{rows: append([]Volume(nil), rows...), ix: make(map[estService]int, len(rows))}
	for i, r := range v.rows {
		if r.Establishment != "" && r.Service != "" && finite(r.Volume) && r.Volume >= 0 {
			continue
		}
		w := whereIndexed("volume", i, fmt.Sprintf("establishment %q, service %q", r.Establishment, r.Service))
		if r.Establishment == "" {
			p.Addf(w, "establishment", "must not be empty")
		}
		if r.Service == "" {
			p.Addf(w, "service", "must not be empty")
		}
		p.CheckNonNegative(w, "volume", r.Volume)
	}
	sortVolumes(v.rows)
	for i, r := range v.rows {
		k := estService{r.Establishment, r.Service}
		if _, dup := v.ix[k]; dup {
			p.Addf(fmt.Sprintf("volume (establishment %q, service %q)", r.Establishment, r.Service), "", "given twice")
			continue
		}
		v.ix[k] = i
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return v, nil
}

func sortVolumes(rows []Volume) {
	slices.SortStableFunc(rows, func(x, y Volume) int {
		if c := strings.Compare(string(x.Establishment), string(y.Establishment)); c != 0 {
			return c
		}
		return strings.Compare(string(x.Service), string(y.Service))
	})
}

// Rows returns the volumes sorted by establishment then service. The slice
// must not be modified.
func (v *Volumes) Rows() []Volume { return v.rows }

// Len returns the number of rows.
func (v *Volumes) Len() int { return len(v.rows) }

// Volume returns an establishment's volume of a service (zero when absent).
func (v *Volumes) Volume(e gst.EstablishmentID, s gst.ServiceID) float64 {
	if i, ok := v.ix[estService{e, s}]; ok {
		return v.rows[i].Volume
	}
	return 0
}

// MarshalJSON writes the rows as a JSON array.
func (v *Volumes) MarshalJSON() ([]byte, error) {
	if len(v.rows) == 0 {
		return []byte("[]"), nil
	}
	return json.Marshal(v.rows)
}

// UnmarshalJSON reads a JSON array of rows and checks it as NewVolumes does.
func (v *Volumes) UnmarshalJSON(b []byte) error {
	var rows []Volume
	if err := json.Unmarshal(b, &rows); err != nil {
		return fmt.Errorf("%w: volumes: %v", gst.ErrInvalid, err)
	}
	nv, err := NewVolumes(rows)
	if err != nil {
		return err
	}
	*v = *nv
	return nil
}

// AttributeOptions tune Attribute and NearestAssignment. A nil
// *AttributeOptions uses the defaults.
type AttributeOptions struct {
	// Estimator estimates travel for pairs the region's Travel matrix
	// lacks. Default: the zero gst.Estimator (its default circuity and
	// speeds).
	Estimator *gst.Estimator
	// IncludeCandidates lets candidate sites serve demand. Default false:
	// only existing establishments.
	IncludeCandidates bool
	// IncludePrivate lets private establishments serve demand. Default
	// false: only the public establishments, the GST's own network (as
	// gst.AssignNearest, allocate.Locate and the pool package take it), so
	// that a commune's need lands where the GST can staff it.
	IncludePrivate bool
}

// Attribution is area demand sent to establishments.
type Attribution struct {
	// Volumes is each establishment's share of the demand, by service.
	Volumes *Volumes `json:"volumes"`
	// Assignment is the assignment used: the one given, or the nearest
	// one built when none was.
	Assignment *gst.Assignment `json:"assignment"`
	// Unserved lists, by area then service, the volume no establishment
	// receives (shares below 1, or no reachable establishment offering
	// the service).
	Unserved []gst.Demand `json:"unserved,omitempty"`
	// Total and Served are the volumes in and out, all services together.
	Total  float64 `json:"total"`
	Served float64 `json:"served"`
}

// NearestAssignment sends every area's demand for each service entirely
// to the public establishment offering the service that is quickest to
// reach (ties broken by distance, then by establishment ID; private ones
// too with AttributeOptions.IncludePrivate). Travel comes from
// the region's Travel matrix where it has the pair and from the estimator
// otherwise. Offer capacities are ignored: this is the simple default
// catchment (the allocate package sizes catchments under capacity). An
// area with no reachable establishment for a service is left unassigned
// for it.
func NearestAssignment(ctx context.Context, r *gst.Region, services []gst.ServiceID, opt *AttributeOptions) (*gst.Assignment, error) {
	return nearest(ctx, r, services, opt, true)
}

func nearest(ctx context.Context, r *gst.Region, services []gst.ServiceID, opt *AttributeOptions, check bool) (*gst.Assignment, error) {
	if check {
		if err := checkRegion(r); err != nil {
			return nil, err
		}
	}
	if opt == nil {
		opt = &AttributeOptions{}
	}
	var p gst.Problems
	seen := map[gst.ServiceID]bool{}
	var svc []gst.ServiceID
	for i, s := range services {
		if _, ok := r.Service(s); !ok {
			p.Addf(whereIndexed("service", i, fmt.Sprintf("%q", s)), "", "unknown service %q", s)
			continue
		}
		if !seen[s] {
			seen[s] = true
			svc = append(svc, s)
		}
	}
	est := opt.Estimator
	if est == nil {
		est = &gst.Estimator{}
	}
	if err := est.Validate(); err != nil {
		p.AddErr(err)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	sort.Slice(svc, func(i, j int) bool { return svc[i] < svc[j] })
	eligible := func(e *gst.Establishment, s gst.ServiceID) bool {
		return (!e.Candidate || opt.IncludeCandidates) && (e.Ownership == gst.Public || opt.IncludePrivate) && e.OffersService(s)
	}
	// Destinations: establishments offering at least one of the services.
	var dest []string
	for i := range r.Establishments {
		e := &r.Establishments[i]
		for _, s := range svc {
			if eligible(e, s) {
				dest = append(dest, string(e.ID))
				break
			}
		}
	}
	if len(dest) == 0 {
		return gst.NewAssignment(nil)
	}
	m, err := r.TravelBetween(ctx, r.AreaIDs(), dest, est)
	if err != nil {
		return nil, err
	}
	return gst.AssignNearest(ctx, r, m, svc, eligible)
}

// Attribute sends each area's demand to establishments following an
// assignment: establishment e receives Σ over areas of demand × share. When
// a is nil the assignment is NearestAssignment over the table's services.
// Demand not assigned is reported in Unserved, never dropped silently.
func Attribute(ctx context.Context, r *gst.Region, d *gst.DemandTable, a *gst.Assignment, opt *AttributeOptions) (*Attribution, error) {
	return attribute(ctx, r, d, a, opt, true)
}

func attribute(ctx context.Context, r *gst.Region, d *gst.DemandTable, a *gst.Assignment, opt *AttributeOptions, check bool) (*Attribution, error) {
	if check {
		if err := checkRegion(r); err != nil {
			return nil, err
		}
	}
	var p gst.Problems
	if d == nil {
		p.Add("demand", "", errors.New("must not be nil"))
		return nil, p.Err()
	}
	checkDemandRefs(&p, r, d)
	if a != nil {
		checkAssignmentRefs(&p, r, a)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if a == nil {
		var err error
		if a, err = nearest(ctx, r, d.Services(), opt, false); err != nil {
			return nil, err
		}
	}
	acc := map[estService]float64{}
	res := &Attribution{Assignment: a}
	for _, dm := range d.Rows() {
		res.Total += dm.Volume
		var served float64
		for _, al := range a.For(dm.Area, dm.Service) {
			v := dm.Volume * al.Share
			acc[estService{al.Establishment, dm.Service}] += v
			served += v
		}
		res.Served += served
		if rest := dm.Volume - served; rest > 1e-9*math.Max(1, dm.Volume) {
			res.Unserved = append(res.Unserved, gst.Demand{Area: dm.Area, Service: dm.Service, Volume: rest})
		}
	}
	rows := make([]Volume, 0, len(acc))
	for k, v := range acc {
		rows = append(rows, Volume{Establishment: k.e, Service: k.s, Volume: v})
	}
	vols, err := NewVolumes(rows)
	if err != nil {
		return nil, err
	}
	res.Volumes = vols
	return res, nil
}
