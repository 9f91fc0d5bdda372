package pilot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
)

// Relocation describes one location decision for Relocate.
type Relocation struct {
	// ID names the decision in file names and JSON ("maternity").
	ID string `json:"id"`
	// Title and Question say what is decided, for the report.
	Title    string `json:"title"`
	Question string `json:"question"`
	// Services are located together: one decision per site opens or
	// closes it for all of them.
	Services []gst.ServiceID `json:"services"`
	// Demand is the volume (or travel weight) of each area and service.
	Demand *gst.DemandTable `json:"-"`
	// DemandBasis says what Demand counts, for the report.
	DemandBasis string `json:"demand_basis"`
	// Sites lists the eligible establishments of each service, in the
	// order of Services. An existing site that does not offer the service
	// today may open it.
	Sites [][]gst.EstablishmentID `json:"-"`
	// Objective, P, MaxChanges, Standard, Capacity, Greenfield and
	// MaxTravel are passed to allocate.Problem: P = 0 leaves the number of
	// sites free, so MaxChanges N means at most N changes, each made only
	// when it lowers the objective (allocate.NoChanges: none).
	Objective  allocate.Objective `json:"objective"`
	P          int                `json:"p"`
	MaxChanges int                `json:"max_changes"`
	Standard   float64            `json:"standard_minutes,omitempty"`
	MaxTravel  float64            `json:"max_travel_minutes,omitempty"`
	Capacity   allocate.Capacity  `json:"capacity"`
	Greenfield bool               `json:"greenfield,omitempty"`
	TravelCost float64            `json:"travel_cost,omitempty"`
	// Keep and Exclude list sites that must be open or closed in the
	// plan; Budget bounds the opening and closing costs, in dirhams (0:
	// none).
	Keep    []gst.EstablishmentID `json:"keep,omitempty"`
	Exclude []gst.EstablishmentID `json:"exclude,omitempty"`
	Budget  float64               `json:"budget,omitempty"`
	// NewCapacity is the annual capacity a site gets for a service it
	// opens but did not offer (for example a new dialysis unit).
	NewCapacity map[gst.ServiceID]float64 `json:"new_capacity,omitempty"`
	// MapService is the service whose travel the maps and plots show.
	MapService gst.ServiceID `json:"map_service"`
}

// Decision is a Relocation with its answer.
type Decision struct {
	Spec *Relocation `json:"spec"`
	// OpenToday is the number of eligible sites open today.
	OpenToday int `json:"open_today"`
	// Eligible is the number of eligible sites.
	Eligible int `json:"eligible"`
	// Plan is allocate's answer; nil when Err is set.
	Plan *allocate.Plan `json:"plan,omitempty"`
	// Opened and Closed are the sites the plan changes, sorted by ID.
	Opened []SiteRef `json:"opened"`
	Closed []SiteRef `json:"closed"`
	// Err says why there is no plan (an infeasible rule, a solver that
	// found nothing); the pipeline carries on without the decision.
	Err string `json:"error,omitempty"`
}

// SiteRef names a site for the report.
type SiteRef struct {
	ID       gst.EstablishmentID `json:"id"`
	Name     string              `json:"name"`
	Label    string              `json:"label"`
	Level    gst.Level           `json:"level"`
	Province string              `json:"province"`
	Commune  string              `json:"commune"`
	// Candidate is true for a site that does not exist today.
	Candidate bool `json:"candidate,omitempty"`
}

// Short names the site in a sentence: "the proximity hospital of <commune>"
// for a candidate, else its label.
func (s SiteRef) Short() string {
	if s.Candidate && s.Commune != "" {
		return s.Commune + " (new proximity hospital)"
	}
	if s.Commune != "" && !strings.Contains(s.Label, s.Commune) {
		return s.Label + " (" + s.Commune + ")"
	}
	return s.Label
}

// Ref returns the reference of an establishment of the region.
func Ref(r *gst.Region, id gst.EstablishmentID) SiteRef {
	e, ok := r.Establishment(id)
	if !ok {
		return SiteRef{ID: id, Name: string(id), Label: string(id)}
	}
	ref := SiteRef{ID: id, Name: e.Name, Level: e.Level, Province: string(e.Province), Candidate: e.Candidate}
	if p, ok := r.Province(e.Province); ok && p.Name != "" {
		ref.Province = p.Name
	}
	if a, ok := r.Area(e.Area); ok {
		ref.Commune = a.Name
	}
	ref.Label = Label(e.Name, ref.Commune, id)
	return ref
}

// Label returns a short label for a site that the map fonts can draw: the
// name when it is in Latin script, else "hospital, <commune>" (some
// OpenStreetMap names are in Arabic script only).
func Label(name, commune string, id gst.EstablishmentID) string {
	latin := name != ""
	for _, r := range name {
		if unicode.IsLetter(r) && !unicode.In(r, unicode.Latin) {
			latin = false
			break
		}
	}
	switch {
	case latin:
		return name
	case commune != "":
		return "Hospital, " + commune
	default:
		return string(id)
	}
}

// Relocate solves a relocation on a region with the given travel matrix
// (areas to establishments, as TravelMatrix builds it). An infeasible rule
// or a solve that finds no plan is reported in the Decision's Err, not as
// an error; invalid input is an error.
func Relocate(ctx context.Context, r *gst.Region, m *gst.Matrix, spec *Relocation, opt *allocate.Options) (*Decision, error) {
	if len(spec.Sites) != 0 && len(spec.Sites) != len(spec.Services) {
		return nil, fmt.Errorf("relocation %s: %d site lists for %d services: %w", spec.ID, len(spec.Sites), len(spec.Services), gst.ErrInvalid)
	}
	d := &Decision{Spec: spec, Opened: []SiteRef{}, Closed: []SiteRef{}}
	rules := make([]allocate.ServiceRule, len(spec.Services))
	eligible, open := map[gst.EstablishmentID]bool{}, map[gst.EstablishmentID]bool{}
	for i, s := range spec.Services {
		rules[i] = allocate.ServiceRule{Service: s, Standard: spec.Standard}
		var sites []gst.EstablishmentID
		if len(spec.Sites) > 0 {
			sites = spec.Sites[i]
			rules[i].Sites = sites
		} else {
			for _, e := range r.Offering(s) {
				sites = append(sites, e.ID)
			}
		}
		for _, id := range sites {
			eligible[id] = true
			if e, ok := r.Establishment(id); ok && !e.Candidate && e.OffersService(s) {
				open[id] = true
			}
		}
	}
	d.Eligible, d.OpenToday = len(eligible), len(open)
	prob := &allocate.Problem{Region: r, Demand: spec.Demand, Services: rules, Objective: spec.Objective, P: spec.P,
		Capacity: spec.Capacity, Greenfield: spec.Greenfield, MaxChanges: spec.MaxChanges, MaxTravel: spec.MaxTravel,
		TravelCost: spec.TravelCost, Keep: spec.Keep, Exclude: spec.Exclude, Budget: spec.Budget, TravelSource: gst.TravelSource{Travel: m, NoEstimate: true}}
	plan, err := allocate.Locate(ctx, prob, opt)
	if err != nil {
		if isSolveFailure(err) {
			d.Err = err.Error()
			return d, nil
		}
		return nil, fmt.Errorf("relocation %s: %w", spec.ID, err)
	}
	d.Plan = plan
	for _, s := range plan.Sites {
		switch s.Change {
		case allocate.Opens:
			d.Opened = append(d.Opened, Ref(r, s.Site))
		case allocate.Closes:
			d.Closed = append(d.Closed, Ref(r, s.Site))
		}
	}
	sort.Slice(d.Opened, func(i, j int) bool { return d.Opened[i].ID < d.Opened[j].ID })
	sort.Slice(d.Closed, func(i, j int) bool { return d.Closed[i].ID < d.Closed[j].ID })
	return d, nil
}

// isSolveFailure tells failures of the decision (no plan satisfies the
// rules, nothing found in time) from invalid input.
func isSolveFailure(err error) bool {
	return errors.Is(err, gst.ErrInfeasible) || errors.Is(err, gst.ErrNoSolution) || errors.Is(err, gst.ErrTooLarge)
}

// Apply returns a copy of the region after the decisions (see
// allocate.Plan.Apply): opened candidates become establishments, sites
// opened for a service they did not offer get the decision's NewCapacity
// for it, and closed sites stop offering the decision's services.
func Apply(r *gst.Region, ds []*Decision) (*gst.Region, error) {
	out := r
	for _, d := range ds {
		if d.Plan == nil {
			continue
		}
		next, err := d.Plan.Apply(out, d.Spec.NewCapacity)
		if err != nil {
			return nil, err
		}
		out = next
	}
	if out == r {
		out = r.Clone()
	}
	return out, nil
}

func containsService(ss []gst.ServiceID, s gst.ServiceID) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// joinIDs lists site labels for a sentence: "A", "A and B", "A, B and C".
func joinIDs(refs []SiteRef) string {
	var cands, others []string
	for _, r := range refs {
		if r.Candidate && r.Commune != "" {
			cands = append(cands, r.Commune)
		} else {
			others = append(others, r.Short())
		}
	}
	switch {
	case len(cands) == 1:
		others = append(others, "the candidate site at "+cands[0])
	case len(cands) > 1:
		others = append(others, "the candidate sites at "+joinWords(cands))
	}
	return joinWords(others)
}

func joinWords(ws []string) string {
	switch len(ws) {
	case 0:
		return "none"
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}
