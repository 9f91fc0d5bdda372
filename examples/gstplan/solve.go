package main

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
	"github.com/gstplan/gst/examples/internal/scenario"
	"github.com/gstplan/gst/pathway"
)

// Result is a solved scenario.
type Result struct {
	Scenario *scenario.Scenario `json:"scenario"`
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
	// WeightsBasis says what the demand weights count.
	WeightsBasis string   `json:"weights_basis"`
	Notes        []string `json:"notes,omitempty"`
	// Decision is the location decision and its plan.
	Decision *pilot.Decision `json:"decision"`
	Before   *gst.Assignment `json:"-"`
	AfterAsg *gst.Assignment `json:"-"`
	// Access gives the travel of each service by group, today and with
	// the plan (weights: the demand of each area).
	Access      []pilot.Access `json:"access"`
	Attribution []string       `json:"attribution,omitempty"`
	circuity    float64
}

func solve(ctx context.Context, dir string, sc *scenario.Scenario, pl *scenario.Plan, progress io.Writer) (*Result, error) {
	say := func(format string, args ...any) {
		if progress != nil {
			fmt.Fprintf(progress, "gstplan: "+format+"\n", args...)
		}
	}
	say("reading %s", dir)
	r, err := gst.Open(dir, nil)
	if err != nil {
		return nil, err
	}
	if err := checkAgainst(r, sc, pl); err != nil {
		return nil, err
	}
	res := &Result{Scenario: sc, RegionDir: dir, Attribution: r.Attribution, circuity: sc.Circuity}
	if res.circuity == 0 {
		res.circuity = gst.DefaultCircuity
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
	say("estimating travel from %d areas to %d establishments", len(r.Areas), len(r.Establishments))
	m, err := pilot.TravelMatrix(ctx, r, &gst.Estimator{Circuity: res.circuity})
	if err != nil {
		return nil, err
	}
	res.Travel = m

	demand, err := res.weights(pl)
	if err != nil {
		return nil, err
	}
	eligible := func(e *gst.Establishment) bool { return pl.AllSites || e.Ownership == gst.Public || e.Candidate }
	spec := &pilot.Relocation{
		ID:          "plan",
		Title:       title(r, sc, pl),
		Question:    question(r, sc, pl),
		Services:    pl.Services,
		Demand:      demand,
		DemandBasis: res.WeightsBasis,
		Objective:   pl.Objective,
		P:           sc.P,
		Standard:    sc.StandardMinutes,
		MaxTravel:   sc.MaxTravelMinutes,
		Capacity:    pl.Capacity,
		Greenfield:  sc.Greenfield,
		TravelCost:  sc.TravelCostMAD,
		Keep:        sc.Keep,
		Exclude:     sc.Exclude,
		Budget:      sc.Budget,
		MapService:  pl.Services[0],
	}
	switch {
	case sc.MaxChanges == 0:
		spec.MaxChanges = 1
	case sc.MaxChanges > 0:
		spec.MaxChanges = sc.MaxChanges
	}
	for _, s := range pl.Services {
		var ids []gst.EstablishmentID
		for _, e := range r.Offering(s) {
			if eligible(e) {
				ids = append(ids, e.ID)
			}
		}
		spec.Sites = append(spec.Sites, ids)
	}
	say("solving: %s, %s", pl.Objective, strings.Join(idStrings(pl.Services), ", "))
	d, err := pilot.Relocate(ctx, r, m, spec, &allocate.Options{SolveOptions: gst.SolveOptions{TimeLimit: pl.TimeLimit}})
	if err != nil {
		return nil, err
	}
	res.Decision = d
	if d.Plan == nil {
		return nil, fmt.Errorf("no plan: %s", d.Err)
	}

	// Travel today (nearest eligible site open today) and with the plan
	// (the plan's assignment; areas a coverage plan leaves unassigned go
	// to their nearest open site).
	openToday := func(e *gst.Establishment, s gst.ServiceID) bool {
		return eligible(e) && !e.Candidate && e.OffersService(s)
	}
	if res.Before, err = gst.AssignNearest(ctx, r, m, pl.Services, openToday); err != nil {
		return nil, err
	}
	if res.After, err = pilot.Apply(r, []*pilot.Decision{d}); err != nil {
		return nil, err
	}
	open := map[gst.EstablishmentID]bool{}
	for _, s := range d.Plan.Sites {
		open[s.Site] = s.Open
	}
	openPlan := func(e *gst.Establishment, s gst.ServiceID) bool { return open[e.ID] && e.OffersService(s) }
	nearest, err := gst.AssignNearest(ctx, res.After, m, pl.Services, openPlan)
	if err != nil {
		return nil, err
	}
	rows := append([]gst.Allocation(nil), d.Plan.Assignment.Rows()...)
	filled := 0
	for _, a := range nearest.Rows() {
		if d.Plan.Assignment.Served(a.Area, a.Service) == 0 && demand.Volume(a.Area, a.Service) > 0 {
			rows = append(rows, a)
			filled++
		}
	}
	if filled > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("The plan leaves %d commune-service pairs unassigned (beyond every standard); the travel figures send them to their nearest open site.", filled))
	}
	if res.AfterAsg, err = gst.NewAssignment(rows); err != nil {
		return nil, err
	}
	res.access(demand)
	return res, nil
}

// checkAgainst checks the scenario against the region, every problem at
// once.
func checkAgainst(r *gst.Region, sc *scenario.Scenario, pl *scenario.Plan) error {
	var ps gst.Problems
	var known []string
	for _, s := range r.Services {
		known = append(known, string(s.ID))
	}
	for _, s := range pl.Services {
		if _, ok := r.Service(s); !ok {
			ps.Addf("scenario", "services", "unknown service %q (the region has: %s)", s, strings.Join(known, ", "))
			continue
		}
		if len(r.Offering(s)) == 0 {
			ps.Addf("scenario", "services", "no establishment or candidate site of the region offers %q", s)
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

// weights builds the demand table of the located services.
func (res *Result) weights(pl *scenario.Plan) (*gst.DemandTable, error) {
	r := res.Region
	var rows []gst.Demand
	covered := map[gst.ServiceID]bool{}
	if !pl.Population {
		// The default pathways that fit the region.
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
			w, err := pathway.Weights(r, set, nil)
			if err != nil {
				return nil, err
			}
			for _, s := range pl.Services {
				for _, d := range w.ForService(s) {
					rows = append(rows, d)
					covered[s] = true
				}
			}
		}
	}
	var pop []string
	for _, s := range pl.Services {
		if covered[s] {
			continue
		}
		pop = append(pop, string(s))
		for _, a := range r.Areas {
			if a.Population > 0 {
				rows = append(rows, gst.Demand{Area: a.ID, Service: s, Volume: a.Population})
			}
		}
	}
	switch {
	case len(pop) == 0:
		res.WeightsBasis = "pathway travel weights (in-person visits × 2 one-way legs a year, from the pathway package's default pathways)"
	case len(pop) == len(pl.Services):
		res.WeightsBasis = "population (people)"
		if !pl.Population {
			res.Notes = append(res.Notes, fmt.Sprintf("No default pathway of the pathway package uses %s in this region; its demand is weighted by population.", strings.Join(pop, ", ")))
		}
	default:
		res.WeightsBasis = "pathway travel weights, and population for " + strings.Join(pop, ", ")
		res.Notes = append(res.Notes, fmt.Sprintf("No default pathway uses %s in this region; its demand is weighted by population.", strings.Join(pop, ", ")))
	}
	t, err := gst.NewDemandTable(rows)
	if err != nil {
		return nil, err
	}
	if t.Len() == 0 {
		return nil, errors.New("no demand: every area of the region has zero population")
	}
	return t, nil
}

// access computes the travel figures of each service, weighted by demand.
func (res *Result) access(demand *gst.DemandTable) {
	r := res.After
	var deprived []float64
	hasDep := false
	for _, a := range r.Areas {
		hasDep = hasDep || a.Deprivation != nil
	}
	if hasDep {
		deprived, _ = gst.MostDeprived(r.Areas, 0.2) // a share in [0, 1] never fails
	}
	for _, s := range res.Decision.Spec.Services {
		w := make([]float64, len(r.Areas))
		for i, a := range r.Areas {
			w[i] = demand.Volume(a.ID, s)
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
		add := func(group, gname string, part func(int) float64) {
			res.Access = append(res.Access, pilot.Access{Service: s, Name: name, Group: group, GroupName: gname,
				Before: pilot.WeightedStats(w, tb, std, part), After: pilot.WeightedStats(w, ta, std, part)})
		}
		add("region", orID(r.Name, "region"), nil)
		provs := r.Provinces
		if len(provs) == 0 {
			seen := map[gst.ProvinceID]bool{}
			for _, a := range r.Areas {
				if a.Province != "" && !seen[a.Province] {
					seen[a.Province] = true
					provs = append(provs, gst.Province{ID: a.Province})
				}
			}
			sort.Slice(provs, func(i, j int) bool { return provs[i].ID < provs[j].ID })
		}
		for _, p := range provs {
			add(string(p.ID), orID(p.Name, string(p.ID)), pilot.Whole(func(i int) bool { return r.Areas[i].Province == p.ID }))
		}
		if deprived != nil {
			add("most-deprived", "most-deprived 20%", func(i int) float64 { return deprived[i] })
		}
	}
}

func orID(name, id string) string {
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

func serviceNames(r *gst.Region, ids []gst.ServiceID) string {
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

func title(r *gst.Region, sc *scenario.Scenario, pl *scenario.Plan) string {
	if sc.Name != "" {
		return sc.Name
	}
	return fmt.Sprintf("Where to offer %s (%s)", strings.Join(idStrings(pl.Services), " and "), pl.Objective)
}

func question(r *gst.Region, sc *scenario.Scenario, pl *scenario.Plan) string {
	what := map[allocate.Objective]string{
		allocate.PMedian:         "so that people travel least in total",
		allocate.PCenter:         "so that the longest trip is shortest",
		allocate.WeightedPCenter: "so that the largest weighted trip is shortest",
		allocate.SetCovering:     "with as few sites as possible, every commune within the standard",
		allocate.MaxCoverage:     "so that as much demand as possible is within the standard",
		allocate.BackupCoverage:  "so that as much demand as possible is within the standard of two sites",
		allocate.FixedCharge:     "at the least cost of sites and travel",
	}[pl.Objective]
	return fmt.Sprintf("Where should %s be offered in %s, %s?", strings.ToLower(serviceNames(r, pl.Services)), orID(r.Name, "the region"), what)
}
