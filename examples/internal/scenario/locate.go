package scenario

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/capacity"
	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/examples/internal/report"
	"github.com/gstplan/gst/pathway"
)

// Result is a solved location scenario: the decision, the best plan for
// each number of changes, and travel today and with the plan.
type Result struct {
	Scenario *Scenario `json:"scenario"`
	// Region is the region read (projected when Year is set), After the
	// region with the plan applied.
	Region *gst.Region `json:"-"`
	After  *gst.Region `json:"-"`
	Travel *gst.Matrix `json:"-"`
	// RegionDir names the input.
	RegionDir string `json:"region"`
	Year      int    `json:"year,omitempty"`
	// Population is the region's population (projected when Year is set).
	Population float64 `json:"population"`
	// Warnings are the implausible places of the region (Region.Check).
	Warnings []gst.Warning `json:"warnings,omitempty"`
	// WeightsBasis says what the demand weights count.
	WeightsBasis string `json:"weights_basis"`
	// Eligibility says which sites may serve each service, and why.
	Eligibility []string `json:"eligibility"`
	Notes       []string `json:"notes,omitempty"`
	// Decision is the location decision and its plan.
	Decision *pilot.Decision `json:"decision"`
	// Sweep is the best plan for 0, 1, …, N changes.
	Sweep    []pilot.Step    `json:"sweep,omitempty"`
	Before   *gst.Assignment `json:"-"`
	AfterAsg *gst.Assignment `json:"-"`
	// Access gives the travel of each service by group, today and with
	// the plan (weights: the demand of each area).
	Access      []pilot.Access `json:"access"`
	Attribution []string       `json:"attribution,omitempty"`
	// TravelSource says where the travel times come from.
	TravelSource pilot.TravelSource `json:"travel_source"`
	// Circuity is the road-circuity factor of the travel estimate, and
	// Demand the demand table of the located services (its unit is the
	// weights' basis).
	Circuity float64          `json:"-"`
	Demand   *gst.DemandTable `json:"-"`
}

// maxSweep bounds the steps of the sweep when changes have no limit.
const maxSweep = 12

// Input is what Locate solves.
type Input struct {
	// Region is the region as read (Locate projects it when the scenario
	// has a Year); RegionDir names it in the result.
	Region    *gst.Region
	RegionDir string
	// Scenario and Plan are the scenario and its Check.
	Scenario *Scenario
	Plan     *Plan
	// Roads is an OpenStreetMap extract (.osm.pbf or .osm) whose roads,
	// cut to the region, give the travel times; empty: the estimator at
	// the scenario's circuity.
	Roads string
	// Travel, when not nil and Roads is empty, is the estimated travel
	// from every area to every establishment at the scenario's circuity
	// (pilot.TravelMatrix), so that a caller that solves many scenarios
	// computes it once; nil: Locate computes it.
	Travel *gst.Matrix
	// Options are allocate's options of the decision (a progress hook,
	// the cost of reversing each decision); their TimeLimit defaults to
	// the scenario's. The sweep over changes solves with the same limits,
	// without the hook and the explanations. nil: the defaults.
	Options *allocate.Options
	// Program names the program in progress lines ("gstplan: …"), and
	// Progress receives them; nil: none.
	Program  string
	Progress io.Writer
}

// noPlan says why a scenario has no plan (gst.ErrNoSolution).
type noPlan struct{ why string }

func (e *noPlan) Error() string { return "no plan: " + e.why }
func (e *noPlan) Unwrap() error { return gst.ErrNoSolution }

// Locate checks the region (Region.Check: its warnings are in the result)
// and the scenario against it, and solves the location decision
// (pilot.Relocate), the best plan for 0, 1, …, N changes (pilot.Sweep),
// and the travel of each service today and with the plan, by province and
// for the most-deprived 20%. A plan kept from a stopped solve (a deadline,
// a cancelled context) is measured all the same; the sweep is then left
// out, with a note. gstplan writes the result; the web planner shows it.
func Locate(ctx context.Context, in Input) (*Result, error) {
	r, sc, pl := in.Region, in.Scenario, in.Plan
	say := func(format string, args ...any) {
		if in.Progress != nil {
			fmt.Fprintf(in.Progress, in.Program+": "+format+"\n", args...)
		}
	}
	ws, err := r.Check()
	if err != nil {
		return nil, err
	}
	for i, w := range ws {
		if i == 10 && len(ws) > 11 {
			say("warning: … and %d more warnings (the report lists them all)", len(ws)-i)
			break
		}
		say("warning: %s", w)
	}
	if err := checkAgainst(r, sc, pl); err != nil {
		return nil, err
	}
	res := &Result{Scenario: sc, RegionDir: in.RegionDir, Attribution: r.Attribution, Circuity: sc.Circuity, Warnings: ws}
	if res.Circuity == 0 {
		res.Circuity = DefaultCircuity
	}
	if sc.Year != 0 {
		say("projecting the population to %d", sc.Year)
		pr, _, err := capacity.Project(r, &capacity.Projection{TargetYear: sc.Year})
		if err != nil {
			return nil, err
		}
		r, res.Year = pr, sc.Year
	}
	res.Region, res.Population = r, r.Population()
	if err := res.travel(ctx, in, say); err != nil {
		return nil, err
	}
	if res.Demand, err = res.weights(pl); err != nil {
		return nil, err
	}
	spec := res.relocation(pl)
	say("solving: %s, %s", pl.Objective, strings.Join(idStrings(pl.Services), ", "))
	opt := allocate.Options{}
	if in.Options != nil {
		opt = *in.Options
	}
	if opt.TimeLimit == 0 {
		opt.TimeLimit = pl.TimeLimit
	}
	d, err := pilot.Relocate(ctx, r, res.Travel, spec, &opt)
	if err != nil {
		return nil, err
	}
	res.Decision = d
	if d.Plan == nil {
		return nil, &noPlan{d.Err}
	}
	if err := res.sweep(ctx, spec, pl, opt.SolveOptions, say); err != nil {
		return nil, err
	}
	// The figures below are quick and must not fail on a context that
	// stopped the solve: the plan kept is measured all the same.
	post := context.WithoutCancel(ctx)
	if err := res.assignments(post); err != nil {
		return nil, err
	}
	res.access()
	return res, nil
}

// travel sets the travel matrix from the areas to the establishments:
// the caller's, estimated with the scenario's circuity, or on the roads of
// an OpenStreetMap extract when the input names one.
func (res *Result) travel(ctx context.Context, in Input, say func(string, ...any)) error {
	r := res.Region
	if in.Roads == "" {
		res.TravelSource = pilot.EstimateSource(res.Circuity)
		if res.Travel = in.Travel; res.Travel != nil {
			return nil
		}
		say("estimating travel from %d areas to %d establishments", len(r.Areas), len(r.Establishments))
		var err error
		res.Travel, err = pilot.TravelMatrix(ctx, r, &gst.Estimator{Circuity: res.Circuity})
		return err
	}
	say("travel on the roads of %s from %d areas to %d establishments", in.Roads, len(r.Areas), len(r.Establishments))
	var err error
	res.Travel, _, res.TravelSource, err = pilot.RoadTravel(ctx, r, in.Roads, in.Progress)
	return err
}

// relocation builds the decision of the scenario: the services, their
// eligible sites, the objective and its rules.
func (res *Result) relocation(pl *Plan) *pilot.Relocation {
	r, sc := res.Region, res.Scenario
	spec := &pilot.Relocation{
		ID:          "plan",
		Title:       Title(r, sc, pl),
		Question:    Question(r, sc, pl),
		Services:    pl.Services,
		Demand:      res.Demand,
		DemandBasis: res.WeightsBasis,
		Objective:   pl.Objective,
		P:           sc.P,
		MaxChanges:  pl.MaxChanges,
		Standard:    sc.StandardMinutes,
		MaxTravel:   sc.MaxTravelMinutes,
		Capacity:    pl.Capacity,
		// Demand beyond the capacities shows as unserved, step by step of
		// the sweep, rather than as an infeasibility.
		AllowUnserved: pl.Capacity != allocate.Uncapacitated && (pl.Objective == allocate.PMedian || pl.Objective == allocate.FixedCharge),
		Greenfield:    sc.Greenfield,
		TravelCost:    pl.TravelCost,
		Keep:          sc.Keep,
		Exclude:       sc.Exclude,
		Budget:        sc.Budget,
		MapService:    pl.Services[0],
	}
	for _, s := range pl.Services {
		ids, why, hospitals := eligibleSites(r, s, pl)
		spec.Sites = append(spec.Sites, ids)
		if c := newUnitCapacity(r, s, ids); c > 0 && hospitals && pl.Capacity != allocate.Uncapacitated {
			if spec.NewCapacity == nil {
				spec.NewCapacity = map[gst.ServiceID]float64{}
			}
			spec.NewCapacity[s] = c
			why += fmt.Sprintf(" A hospital that adds it gets the median capacity of the sites that offer it today: %s a year.", report.Int(c))
		}
		res.Eligibility = append(res.Eligibility, why)
	}
	return spec
}

// newUnitCapacity returns the median stated capacity of the eligible
// sites that offer a service today, the capacity a hospital that adds it
// gets (0 when none is stated).
func newUnitCapacity(r *gst.Region, s gst.ServiceID, ids []gst.EstablishmentID) float64 {
	var caps []float64
	for _, id := range ids {
		if e, ok := r.Establishment(id); ok && !e.Candidate {
			if o, ok := e.Offer(s); ok && o.Capacity > 0 {
				caps = append(caps, o.Capacity)
			}
		}
	}
	if len(caps) == 0 {
		return 0
	}
	sort.Float64s(caps)
	return caps[len(caps)/2]
}

// eligibleSites returns the sites that may serve a service: those that
// offer it today, and the new sites the scenario allows (candidate sites
// that could offer it, or existing hospitals that could add it), public
// ones only unless the scenario takes all; a sentence that says which and
// why; and whether existing hospitals may add the service.
func eligibleSites(r *gst.Region, s gst.ServiceID, pl *Plan) ([]gst.EstablishmentID, string, bool) {
	svc, _ := r.Service(s)
	owner := func(e *gst.Establishment) bool { return pl.AllSites || e.Ownership == gst.Public }
	var today, cands, hosps []gst.EstablishmentID
	for i := range r.Establishments {
		e := &r.Establishments[i]
		switch {
		case !owner(e):
		case e.Candidate && e.OffersService(s):
			cands = append(cands, e.ID)
		case e.OffersService(s):
			today = append(today, e.ID)
		case !e.Candidate && e.Level >= max(svc.MinLevel, gst.LocalHospital):
			hosps = append(hosps, e.ID)
		}
	}
	at := pl.NewAt
	auto := at == 0
	if auto {
		at = AtCandidates
		if len(cands) == 0 {
			at = AtHospitals
		}
	}
	who, whos := "public establishment", "public establishments"
	if pl.AllSites {
		who, whos = "establishment (public or private)", "establishments (public and private)"
	}
	ids := append([]gst.EstablishmentID(nil), today...)
	why := fmt.Sprintf("%s: %s that offer it today", ServiceNames(r, []gst.ServiceID{s}), count(len(today), who, whos))
	level := max(svc.MinLevel, gst.LocalHospital)
	if at == AtCandidates || at == AtBoth {
		ids = append(ids, cands...)
		why += fmt.Sprintf(", and %s that could", count(len(cands), "candidate site", "candidate sites"))
	}
	if at == AtHospitals || at == AtBoth {
		ids = append(ids, hosps...)
		why += fmt.Sprintf(", and %s (%s level or above) that could add it", count(len(hosps), "existing hospital", "existing hospitals"), level)
	}
	switch {
	case auto && at == AtHospitals:
		why += " (the region has no candidate site for it; -new-at candidates, hospitals or both chooses)"
	case auto && len(hosps) > 0:
		why += fmt.Sprintf(" (existing hospitals without it are not eligible, %d of them: -new-at hospitals or both makes them so)", len(hosps))
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, why + ".", at == AtHospitals || at == AtBoth
}

// count writes "the 1 hospital" or "the 3 hospitals".
func count(n int, one, many string) string {
	if n == 1 {
		return "the 1 " + one
	}
	return fmt.Sprintf("the %d %s", n, many)
}

// sweep solves the decision for 0, 1, …, N changes: N is the limit of the
// scenario, or the plan's changes when there is none (at most maxSweep),
// with the limits of so. A context done before or during the sweep leaves
// it out, with a note: the decision's plan stands.
func (res *Result) sweep(ctx context.Context, spec *pilot.Relocation, pl *Plan, so gst.SolveOptions, say func(string, ...any)) error {
	p := res.Decision.Plan
	n := pl.MaxChanges
	if n == 0 {
		n = min(p.Changes, maxSweep)
	}
	if n < 1 {
		return nil
	}
	if ctx.Err() != nil {
		res.Notes = append(res.Notes, fmt.Sprintf("The best plans for 0 to %d changes were not computed: the solve was stopped.", n))
		return nil
	}
	say("solving for 0 to %d changes", n)
	so.Progress = nil
	steps, err := pilot.Sweep(ctx, res.Region, res.Travel, spec, n, &allocate.Options{SolveOptions: so, NoWhy: true})
	if err != nil && ctx.Err() != nil {
		res.Notes = append(res.Notes, fmt.Sprintf("The best plans for 0 to %d changes were not all computed: the solve was stopped.", n))
		return nil
	}
	if err != nil {
		return err
	}
	res.Sweep = steps
	return nil
}

// assignments sets the assignments of today (the plan's, which honours
// capacities when the plan does) and of the plan (areas a coverage plan
// leaves unassigned going to their nearest open site), and the region
// with the plan applied.
func (res *Result) assignments(ctx context.Context) error {
	d := res.Decision
	res.Before = d.Plan.Today
	var err error
	if res.After, err = pilot.Apply(res.Region, []*pilot.Decision{d}); err != nil {
		return err
	}
	open := map[gst.EstablishmentID]bool{}
	for _, s := range d.Plan.Sites {
		open[s.Site] = s.Open
	}
	openPlan := func(e *gst.Establishment, s gst.ServiceID) bool { return open[e.ID] && e.OffersService(s) }
	nearest, err := gst.AssignNearest(ctx, res.After, res.Travel, d.Spec.Services, openPlan)
	if err != nil {
		return err
	}
	rows := append([]gst.Allocation(nil), d.Plan.Assignment.Rows()...)
	filled := 0
	coverage := d.Plan.Objective == allocate.MaxCoverage || d.Plan.Objective == allocate.BackupCoverage
	for _, a := range nearest.Rows() {
		if coverage && d.Plan.Assignment.Served(a.Area, a.Service) == 0 && res.Demand.Volume(a.Area, a.Service) > 0 {
			rows = append(rows, a)
			filled++
		}
	}
	if filled > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("The plan leaves %d commune-service pairs unassigned (beyond every standard); the travel figures send them to their nearest open site.", filled))
	}
	res.AfterAsg, err = gst.NewAssignment(rows)
	return err
}

// checkAgainst checks the scenario against the region, every problem at
// once.
func checkAgainst(r *gst.Region, sc *Scenario, pl *Plan) error {
	var ps gst.Problems
	var known []string
	for _, s := range r.Services {
		known = append(known, string(s.ID))
	}
	for _, s := range pl.Services {
		if _, ok := r.Service(s); !ok {
			ps.Addf("scenario", "services", "unknown service %q (the region has: %s)", s, strings.Join(known, ", "))
		}
	}
	for _, l := range []struct {
		field string
		ids   []gst.EstablishmentID
	}{{"keep", sc.Keep}, {"exclude", sc.Exclude}} {
		for _, id := range l.ids {
			if _, ok := r.Establishment(id); !ok {
				ps.Addf("scenario", l.field, "unknown establishment %q", id)
			}
		}
	}
	return ps.Err()
}

// weights builds the demand table of the located services: cases a year
// when capacities bind (the unit of capacities), pathway travel weights
// (trips a year) otherwise, or people with -weights population; services
// no default pathway uses are weighted by population (not with
// capacities).
func (res *Result) weights(pl *Plan) (*gst.DemandTable, error) {
	r := res.Region
	capacitated := pl.Capacity != allocate.Uncapacitated
	var flows *pathway.Flows
	if !pl.Population {
		var ids []pathway.PathwayID
		for _, p := range pathway.Defaults().Pathways {
			one, _ := pathway.Defaults().Select(p.ID)
			if one.ValidateFor(r) == nil {
				ids = append(ids, p.ID)
			}
		}
		if len(ids) > 0 {
			set, err := pathway.Defaults().Select(ids...)
			if err != nil {
				return nil, err
			}
			if flows, err = pathway.ComputeFlows(r, set, nil); err != nil {
				return nil, err
			}
		}
	}
	src := (*gst.DemandTable)(nil)
	unit := gst.People
	if flows != nil {
		src, unit = flows.Weights, gst.Trips
		if capacitated {
			src, unit = flows.Demand, gst.Cases
		}
	}
	var rows []gst.Demand
	var pop []string
	for _, s := range pl.Services {
		var got []gst.Demand
		if src != nil {
			got = src.ForService(s)
		}
		if len(got) == 0 {
			pop = append(pop, string(s))
			for _, a := range r.Areas {
				if a.Population > 0 {
					got = append(got, gst.Demand{Area: a.ID, Service: s, Volume: a.Population})
				}
			}
		}
		rows = append(rows, got...)
	}
	if capacitated && len(pop) > 0 {
		return nil, fmt.Errorf("%w: no default pathway of the pathway package uses %s in this region, so its demand has no case count to compare with capacities: plan it without -capacity (weighted by population), or give its cases in a pathway", gst.ErrInvalid, strings.Join(pop, ", "))
	}
	switch {
	case len(pop) == len(pl.Services):
		unit = gst.People
		res.WeightsBasis = "population (people)"
		if !pl.Population {
			res.Notes = append(res.Notes, fmt.Sprintf("No default pathway of the pathway package uses %s in this region; its demand is weighted by population.", strings.Join(pop, ", ")))
		}
	case capacitated:
		res.WeightsBasis = "cases a year (visits in each service's unit, from the pathway package's default pathways): the unit of capacities"
	case len(pop) == 0:
		res.WeightsBasis = "pathway travel weights (one-way trips a year: in-person visits × 2 legs, from the pathway package's default pathways)"
	default:
		unit = gst.Trips
		res.WeightsBasis = "pathway travel weights (trips a year), and population for " + strings.Join(pop, ", ")
		res.Notes = append(res.Notes, fmt.Sprintf("No default pathway uses %s in this region; its demand is weighted by population.", strings.Join(pop, ", ")))
	}
	t, err := gst.NewDemandTable(rows)
	if err != nil {
		return nil, err
	}
	if t.Len() == 0 {
		return nil, errors.New("no demand: every area of the region has zero population")
	}
	return t.WithUnit(unit)
}

// access computes the travel figures of each service, weighted by demand:
// the region, each province (in ID order), the most-deprived 20%.
func (res *Result) access() {
	r := res.After
	var deprived []float64
	hasDep := false
	for _, a := range r.Areas {
		hasDep = hasDep || a.Deprivation != nil
	}
	if hasDep {
		deprived, _ = gst.MostDeprived(r.Areas, 0.2) // a share in [0, 1] never fails
	}
	provs := append([]gst.Province(nil), r.Provinces...)
	if len(provs) == 0 {
		seen := map[gst.ProvinceID]bool{}
		for _, a := range r.Areas {
			if a.Province != "" && !seen[a.Province] {
				seen[a.Province] = true
				provs = append(provs, gst.Province{ID: a.Province})
			}
		}
	}
	sort.Slice(provs, func(i, j int) bool { return provs[i].ID < provs[j].ID })
	for _, s := range res.Decision.Spec.Services {
		w := make([]float64, len(r.Areas))
		for i, a := range r.Areas {
			w[i] = res.Demand.Volume(a.ID, s)
		}
		std := res.Scenario.StandardMinutes
		name := string(s)
		if svc, ok := r.Service(s); ok {
			if std == 0 {
				std = svc.StandardMinutes
			}
			if svc.Name != "" {
				name = svc.Name
			}
		}
		tb := pilot.AreaMinutes(r, res.Travel, res.Before, s)
		ta := pilot.AreaMinutes(r, res.Travel, res.AfterAsg, s)
		sb, sa := pilot.AreaServed(r, res.Before, s), pilot.AreaServed(r, res.AfterAsg, s)
		add := func(group, gname string, part func(int) float64) {
			res.Access = append(res.Access, pilot.Access{Service: s, Name: name, Group: group, GroupName: gname,
				Before: pilot.ServedStats(w, tb, sb, std, part), After: pilot.ServedStats(w, ta, sa, std, part)})
		}
		add("region", OrID(r.Name, "region"), nil)
		for _, p := range provs {
			add(string(p.ID), OrID(p.Name, string(p.ID)), pilot.Whole(func(i int) bool { return r.Areas[i].Province == p.ID }))
		}
		if deprived != nil {
			add("most-deprived", "most-deprived 20%", func(i int) float64 { return deprived[i] })
		}
	}
}

// OrID returns name, or id when name is empty.
func OrID(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func idStrings[T ~string](ids []T) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// ServiceNames names the services, by their names where the region has
// them.
func ServiceNames(r *gst.Region, ids []gst.ServiceID) string {
	var ns []string
	for _, id := range ids {
		n := string(id)
		if s, ok := r.Service(id); ok && s.Name != "" {
			n = s.Name
		}
		ns = append(ns, n)
	}
	return strings.Join(ns, ", ")
}

// Title is the title of a scenario's report.
func Title(r *gst.Region, sc *Scenario, pl *Plan) string {
	if sc.Name != "" {
		return sc.Name
	}
	return fmt.Sprintf("Where to offer %s (%s)", strings.Join(idStrings(pl.Services), " and "), pl.Objective)
}

// Question is the question a scenario asks, in a sentence.
func Question(r *gst.Region, sc *Scenario, pl *Plan) string {
	what := map[allocate.Objective]string{
		allocate.PMedian:         "so that people travel least in total",
		allocate.PCenter:         "so that the longest trip is shortest",
		allocate.WeightedPCenter: "so that the largest weighted trip is shortest",
		allocate.SetCovering:     "with as few sites as possible, every commune within the standard",
		allocate.MaxCoverage:     "so that as much demand as possible is within the standard",
		allocate.BackupCoverage:  "so that as much demand as possible is within the standard of two sites",
		allocate.FixedCharge:     "at the least cost of sites and travel",
	}[pl.Objective]
	changes := ""
	switch {
	case sc.P > 0:
		changes = fmt.Sprintf(" with %d sites open", sc.P)
	case pl.MaxChanges == allocate.NoChanges:
		changes = " with today's sites (no change)"
	case pl.MaxChanges == 1:
		changes = ", opening or closing at most one site"
	case pl.MaxChanges > 1:
		changes = fmt.Sprintf(", opening or closing at most %d sites", pl.MaxChanges)
	}
	return fmt.Sprintf("Where should %s be offered in %s, %s%s?", strings.ToLower(ServiceNames(r, pl.Services)), OrID(r.Name, "the region"), what, changes)
}
