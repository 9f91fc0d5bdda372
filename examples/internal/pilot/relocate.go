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
	// AllowUnserved lets demand beyond the capacities stay unserved
	// (allocate.Problem.AllowUnserved) rather than fail.
	AllowUnserved bool    `json:"allow_unserved,omitempty"`
	Greenfield    bool    `json:"greenfield,omitempty"`
	TravelCost    float64 `json:"travel_cost,omitempty"`
	// Keep and Exclude list sites that must be open or closed in the
	// plan; Budget bounds the opening and closing costs, in dirhams (0:
	// none).
	Keep    []gst.EstablishmentID `json:"keep,omitempty"`
	Exclude []gst.EstablishmentID `json:"exclude,omitempty"`
	Budget  float64               `json:"budget,omitempty"`
	// NewCapacity is the annual capacity a site gets for a service it
	// opens but did not offer (for example a new dialysis unit): what
	// binds it when capacities do, and what Apply gives it.
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
	ID   gst.EstablishmentID `json:"id"`
	Name string              `json:"name"`
	// Label names the site in reports and tables: its name in whatever
	// script the data has it (Arabic, Tifinagh, French), or its ID when it
	// has none. MapLabel names it on pictures, whose font draws Latin
	// script only: the Latin part of the name, or "Hospital, <commune>".
	Label    string    `json:"label"`
	MapLabel string    `json:"map_label"`
	Level    gst.Level `json:"level"`
	Province string    `json:"province"`
	Commune  string    `json:"commune"`
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
		return SiteRef{ID: id, Name: string(id), Label: string(id), MapLabel: string(id)}
	}
	ref := SiteRef{ID: id, Name: e.Name, Level: e.Level, Province: string(e.Province), Candidate: e.Candidate}
	if p, ok := r.Province(e.Province); ok && p.Name != "" {
		ref.Province = p.Name
	}
	if a, ok := r.Area(e.Area); ok {
		ref.Commune = a.Name
	}
	ref.Label = e.Name
	if ref.Label == "" {
		ref.Label = string(id)
	}
	ref.MapLabel = MapLabel(e.Name, ref.Commune, e.Level, id)
	return ref
}

// MapLabel returns a label for a site that the pictures' font (Latin
// script only) can draw: the name when it is in Latin script; else its
// longest run in Latin script (OpenStreetMap names often give the Arabic
// and the French, "مستشفى إيموزار مرموشة - Imouzzer Marmoucha Hospital");
// else "Hospital, <commune>" ("Health centre, <commune>" for an ESSP);
// else the ID. Reports and tables use the name itself.
func MapLabel(name, commune string, level gst.Level, id gst.EstablishmentID) string {
	if part := latinPart(name); part != "" {
		return part
	}
	what := "Hospital"
	if level == gst.HealthCentre {
		what = "Health centre"
	}
	if commune != "" && latinPart(commune) == strings.TrimSpace(commune) {
		return what + ", " + commune
	}
	return string(id)
}

// latinPart returns the longest run of a name without letters of another
// script than Latin that holds a Latin letter, trimmed of separators; ""
// when there is none.
func latinPart(name string) string {
	best := ""
	for _, run := range strings.FieldsFunc(name, func(r rune) bool { return unicode.IsLetter(r) && !unicode.In(r, unicode.Latin) }) {
		run = strings.Trim(run, " -–—,;:/()|·\t")
		hasLatin := false
		for _, r := range run {
			hasLatin = hasLatin || unicode.In(r, unicode.Latin)
		}
		if hasLatin && len(run) > len(best) {
			best = run
		}
	}
	return best
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
	prob := spec.Problem(r, m, d)
	plan, err := allocate.Locate(ctx, prob, opt)
	if err != nil {
		if isSolveFailure(err) {
			d.Err = err.Error()
			return d, nil
		}
		return nil, fmt.Errorf("relocation %s: %w", spec.ID, err)
	}
	d.Plan = plan
	d.Opened, d.Closed = changed(r, plan)
	return d, nil
}

// changed returns the sites a plan opens and closes, sorted by ID.
func changed(r *gst.Region, plan *allocate.Plan) (opened, closed []SiteRef) {
	opened, closed = []SiteRef{}, []SiteRef{}
	for _, s := range plan.Sites {
		switch s.Change {
		case allocate.Opens:
			opened = append(opened, Ref(r, s.Site))
		case allocate.Closes:
			closed = append(closed, Ref(r, s.Site))
		}
	}
	sort.Slice(opened, func(i, j int) bool { return opened[i].ID < opened[j].ID })
	sort.Slice(closed, func(i, j int) bool { return closed[i].ID < closed[j].ID })
	return opened, closed
}

// Step is the best plan of a relocation with at most MaxChanges changes
// (allocate.Sweep), with the sites it changes.
type Step struct {
	MaxChanges int            `json:"max_changes"`
	Plan       *allocate.Plan `json:"-"`
	Opened     []SiteRef      `json:"opened"`
	Closed     []SiteRef      `json:"closed"`
	Err        string         `json:"error,omitempty"`
}

// Sweep solves a relocation for every limit on changes from none to max
// (allocate.Sweep): the diminishing returns of each change.
func Sweep(ctx context.Context, r *gst.Region, m *gst.Matrix, spec *Relocation, max int, opt *allocate.Options) ([]Step, error) {
	prob := spec.Problem(r, m, &Decision{})
	prob.MaxChanges = max
	steps, err := allocate.Sweep(ctx, prob, opt)
	if err != nil {
		return nil, fmt.Errorf("relocation %s: %w", spec.ID, err)
	}
	out := make([]Step, len(steps))
	for i, s := range steps {
		out[i] = Step{MaxChanges: s.MaxChanges, Plan: s.Plan, Opened: []SiteRef{}, Closed: []SiteRef{}}
		if s.Err != nil {
			out[i].Err = s.Err.Error()
			continue
		}
		out[i].Opened, out[i].Closed = changed(r, s.Plan)
	}
	return out, nil
}

// Problem returns the allocate problem of a relocation on a region with a
// travel matrix, and counts the eligible sites and those open today into
// d.
func (spec *Relocation) Problem(r *gst.Region, m *gst.Matrix, d *Decision) *allocate.Problem {
	rules := make([]allocate.ServiceRule, len(spec.Services))
	eligible, open := map[gst.EstablishmentID]bool{}, map[gst.EstablishmentID]bool{}
	for i, s := range spec.Services {
		rules[i] = allocate.ServiceRule{Service: s, Standard: spec.Standard, NewCapacity: spec.NewCapacity[s]}
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
	return &allocate.Problem{Region: r, Demand: spec.Demand, Services: rules, Objective: spec.Objective, P: spec.P,
		Capacity: spec.Capacity, AllowUnserved: spec.AllowUnserved, Greenfield: spec.Greenfield, MaxChanges: spec.MaxChanges, MaxTravel: spec.MaxTravel,
		TravelCost: spec.TravelCost, Keep: spec.Keep, Exclude: spec.Exclude, Budget: spec.Budget, TravelSource: gst.TravelSource{Travel: m, NoEstimate: true}}
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
