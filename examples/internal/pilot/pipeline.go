package pilot

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/capacity"
	"github.com/gstplan/gst/pathway"
)

// Config tunes Run. Zero fields take their defaults.
type Config struct {
	// Program names the program in progress lines and the report.
	Program string `json:"program"`
	// RegionDir is the region directory. Required.
	RegionDir string `json:"region_dir"`
	// Short runs a smaller study for tests and CI: no re-solves to price
	// each site decision, shorter time limits. Default false.
	Short bool `json:"short"`
	// TargetYear is the year demand is projected to. Default 2030.
	TargetYear int `json:"target_year"`
	// Circuity is the road-circuity factor of the travel estimator.
	// Default DefaultCircuity (1.4, as gstplan's): the pilot
	// regions are mountainous (Rif, Middle Atlas), above the estimator's
	// default of 1.3.
	Circuity float64 `json:"circuity"`
	// Roads is an OpenStreetMap extract (.osm.pbf or .osm) whose roads,
	// cut to the region, give the travel times instead of the estimator.
	// Default empty: the estimator.
	Roads string `json:"roads,omitempty"`
	// MaternityChanges is the most candidate proximity hospitals the
	// maternity decision may open. Default 2.
	MaternityChanges int `json:"maternity_changes"`
	// DialysisChanges is the most new dialysis units. Default 2.
	DialysisChanges int `json:"dialysis_changes"`
	// TimeLimit bounds each optimisation. Default 30 s (10 s when Short).
	TimeLimit time.Duration `json:"time_limit"`
	// ProgrammeTimeLimit bounds the phased programme, its sequential
	// plan, frontier and explanations together, as a safety net: the
	// programme's own limit is ProgrammeMaxNodes, the same on every
	// machine. Default 30 minutes.
	ProgrammeTimeLimit time.Duration `json:"programme_time_limit"`
	// Progress receives a line per step; nil: none.
	Progress io.Writer `json:"-"`
}

func (c *Config) defaults() {
	if c.Program == "" {
		c.Program = "pilot"
	}
	if c.TargetYear == 0 {
		c.TargetYear = 2030
	}
	if c.Circuity == 0 {
		c.Circuity = DefaultCircuity
	}
	if c.MaternityChanges == 0 {
		c.MaternityChanges = 2
	}
	if c.DialysisChanges == 0 {
		c.DialysisChanges = 2
	}
	if c.TimeLimit == 0 {
		c.TimeLimit = 30 * time.Second
		if c.Short {
			c.TimeLimit = 10 * time.Second
		}
	}
	if c.ProgrammeTimeLimit == 0 {
		c.ProgrammeTimeLimit = 30 * time.Minute
	}
}

// Result is everything the pipeline found, for the report, the JSON plan
// and the pictures.
type Result struct {
	Config Config `json:"config"`
	// Region is the region read; Projected its projection to Year; After
	// the projection with the decisions applied.
	Region    *gst.Region `json:"-"`
	Projected *gst.Region `json:"-"`
	After     *gst.Region `json:"-"`
	// Travel holds the one-way legs from areas to establishments.
	Travel    *gst.Matrix    `json:"-"`
	Estimator *gst.Estimator `json:"estimator"`
	// TravelSource says where travel comes from; EstTravel holds the legs
	// between establishments when it is the roads (nil: the estimator).
	TravelSource TravelSource `json:"travel_source"`
	EstTravel    *gst.Matrix  `json:"-"`

	Year           int     `json:"year"`
	BaseYear       int     `json:"base_year"`
	Population     float64 `json:"population"`
	BasePopulation float64 `json:"base_population"`

	// Step 1: demand.
	Rates  []Rate                 `json:"rates"`
	Demand *capacity.DemandResult `json:"-"`
	// DemandTotals are the regional volumes by service.
	DemandTotals []ServiceVolume `json:"demand_totals"`

	// Step 2: staff and beds.
	Standards  []capacity.CategoryStandards `json:"wisn_standards"`
	Assessment *capacity.Assessment         `json:"-"`
	Gaps       *capacity.Gaps               `json:"-"`
	// ProvinceGaps and RegionGaps are the WISN gap tables.
	ProvinceGaps []capacity.GapRow         `json:"province_gaps"`
	RegionGaps   []capacity.GapRow         `json:"region_gaps"`
	Densities    []*capacity.DensityResult `json:"densities"`
	Beds         *capacity.BedResult       `json:"-"`
	BedProvinces []BedTotal                `json:"beds_by_province"`
	BedRegion    BedTotal                  `json:"beds_region"`
	Stays        []capacity.Stay           `json:"stays"`

	// Step 3: staff pooling.
	Pooling Pooling `json:"pooling"`

	// Step 4: relocation decisions.
	Decisions []*Decision `json:"decisions"`
	// Sweep re-solves the maternity decision with 1, 2, … openings (full
	// runs only): how many new proximity hospitals are worth it.
	Sweep []SweepRow `json:"maternity_sweep,omitempty"`

	// Step 5: pathways before and after.
	Before     *gst.Assignment     `json:"-"`
	AfterAsg   *gst.Assignment     `json:"-"`
	Flows      *pathway.Flows      `json:"-"`
	Comparison *pathway.Comparison `json:"-"`
	// Access gives travel figures of key steps by group, before and after.
	Access []Access `json:"access"`
	// PathwayTotals sums each pathway before and after.
	PathwayTotals []pathway.PathwayChange `json:"pathway_totals"`

	// Step 6: the phased programme (its plan is written to
	// programme.json).
	Programme Programme `json:"programme"`

	// Attribution carries the region's sources and licences.
	Attribution []string `json:"attribution"`
}

// ServiceVolume is a regional volume of one service.
type ServiceVolume struct {
	Service gst.ServiceID `json:"service"`
	Name    string        `json:"name"`
	Unit    string        `json:"unit"`
	// Base is the volume at the base year's population, Volume at Year.
	Base   float64 `json:"base_volume"`
	Volume float64 `json:"volume"`
	// Capacity is the annual capacity of the public establishments that
	// exist today (0 when none is stated).
	Capacity float64 `json:"public_capacity"`
}

// BedTotal sums beds needed and available over a province or the region.
type BedTotal struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Need      float64 `json:"need"`
	Available float64 `json:"available"`
}

// Access is the travel of one step for one group of people, before and
// after the decisions.
type Access struct {
	Pathway pathway.PathwayID `json:"pathway"`
	Step    pathway.StepID    `json:"step"`
	Service gst.ServiceID     `json:"service"`
	Name    string            `json:"name"`
	// Group is "region", a province ID or "most-deprived".
	Group     string `json:"group"`
	GroupName string `json:"group_name"`
	Before    Stats  `json:"before"`
	After     Stats  `json:"after"`
}

// accessSteps are the steps whose travel the report details.
var accessSteps = []struct {
	p pathway.PathwayID
	s pathway.StepID
}{
	{pathway.Maternal, "antenatal"},
	{pathway.Maternal, "delivery"},
	{pathway.Maternal, "caesarean"},
	{pathway.Emergency, "emergency"},
	{pathway.Dialysis, "haemodialysis"},
}

// Run runs the pipeline: demand, staff and beds, staff pooling, relocation
// and pathway evaluation before and after.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg.defaults()
	res := &Result{Config: cfg, Estimator: &gst.Estimator{Circuity: cfg.Circuity}}
	step := func(n int, format string, args ...any) func() {
		if cfg.Progress == nil {
			return func() {}
		}
		start := time.Now()
		msg := fmt.Sprintf(format, args...)
		fmt.Fprintf(cfg.Progress, "%s: [%d/6] %s…\n", cfg.Program, n, msg)
		return func() {
			fmt.Fprintf(cfg.Progress, "%s: [%d/6] %s: done in %.1f s\n", cfg.Program, n, msg, time.Since(start).Seconds())
		}
	}

	r, err := gst.Open(cfg.RegionDir, nil)
	if err != nil {
		return nil, err
	}
	res.Region = r
	res.Attribution = append([]string(nil), r.Attribution...)

	// 1. Demand.
	done := step(1, "demand projected to %d", cfg.TargetYear)
	if err := res.demand(); err != nil {
		return nil, err
	}
	if err := res.travel(ctx); err != nil {
		return nil, err
	}
	done()

	// The travel of today's public network, every service of the pathways.
	set := pathway.Defaults()
	if err := set.ValidateFor(res.Projected); err != nil {
		return nil, fmt.Errorf("the default pathways do not fit the region: %w", err)
	}
	res.Before, err = gst.AssignNearest(ctx, res.Projected, res.Travel, allServices(res.Projected), PublicOpen)
	if err != nil {
		return nil, err
	}

	// 2. Staff need and beds.
	done = step(2, "staff need (WISN and norms) and beds")
	if err := res.staff(ctx); err != nil {
		return nil, err
	}
	done()

	// 3. Staff pooling.
	done = step(3, "staff pooling")
	if err := res.pool(ctx); err != nil {
		return nil, err
	}
	done()

	// 4. Relocation.
	done = step(4, "relocation of maternity and dialysis")
	if err := res.relocate(ctx, set); err != nil {
		return nil, err
	}
	done()

	// 5. Pathways before and after.
	done = step(5, "pathways before and after")
	if err := res.evaluate(ctx, set); err != nil {
		return nil, err
	}
	done()

	// 6. The phased programme.
	done = step(6, "phased programme 2026–2035 (sites, modules, staff and years together)")
	if err := res.programme(ctx); err != nil {
		return nil, err
	}
	done()
	return res, nil
}

// travel computes the travel matrix from the estimator or, with
// Config.Roads, from the roads.
func (res *Result) travel(ctx context.Context) error {
	var err error
	if res.Config.Roads == "" {
		res.TravelSource = EstimateSource(res.Config.Circuity)
		res.Travel, err = TravelMatrix(ctx, res.Projected, res.Estimator)
		return err
	}
	m, rep, src, err := RoadTravel(ctx, res.Projected, res.Config.Roads, res.Config.Progress)
	if err != nil {
		return err
	}
	res.Travel, res.TravelSource = m, src
	res.EstTravel, err = BetweenEstablishments(ctx, res.Projected, rep)
	return err
}

// allServices lists the region's services.
func allServices(r *gst.Region) []gst.ServiceID {
	out := make([]gst.ServiceID, len(r.Services))
	for i, s := range r.Services {
		out[i] = s.ID
	}
	return out
}

func (res *Result) demand() error {
	r := res.Region
	res.Rates = Rates(r)
	rates := CapacityRates(res.Rates)
	base, err := capacity.Demand(r, rates, nil)
	if err != nil {
		return err
	}
	d, err := capacity.Demand(r, rates, &capacity.DemandOptions{Projection: &capacity.Projection{TargetYear: res.Config.TargetYear}})
	if err != nil {
		return err
	}
	res.Demand = d
	res.Projected, _, err = capacity.Project(r, &capacity.Projection{TargetYear: res.Config.TargetYear})
	if err != nil {
		return err
	}
	res.Year, res.BaseYear = d.Year, base.Year
	res.Population, res.BasePopulation = d.Population, base.Population
	for _, s := range d.Table.Services() {
		sv := ServiceVolume{Service: s, Base: base.Table.Total(s), Volume: d.Table.Total(s)}
		if svc, ok := r.Service(s); ok {
			sv.Name, sv.Unit = svc.Name, svc.Unit
		}
		for _, e := range r.Establishments {
			if PublicOpen(&e, s) {
				o, _ := e.Offer(s)
				sv.Capacity += o.Capacity
			}
		}
		res.DemandTotals = append(res.DemandTotals, sv)
	}
	return nil
}

// assess runs the WISN assessment of the pipeline: the demand table at
// the target year, today's catchments, the workloads and allowances of the
// planning assumptions.
func assess(ctx context.Context, r *gst.Region, rates []capacity.Rate, standards []capacity.CategoryStandards, demand *gst.DemandTable, before *gst.Assignment, year int) (*capacity.Assessment, error) {
	work, allow := Allowances(r, demand, before)
	return capacity.Assess(ctx, r, &capacity.AssessInput{Rates: rates, Standards: standards, Assignment: before, Workloads: work, Individual: allow},
		&capacity.AssessOptions{Demand: &capacity.DemandOptions{Projection: &capacity.Projection{TargetYear: year}}, CatchmentService: "consultation"})
}

// StaffNeed assesses the staff need (WISN) of the region's establishments
// at the target year as the pipeline does, with today's catchments before
// (the nearest public establishment open today for every service, as
// gst.AssignNearest with PublicOpen gives them).
func StaffNeed(ctx context.Context, r *gst.Region, before *gst.Assignment, year int) (*capacity.Assessment, error) {
	rates := CapacityRates(Rates(r))
	d, err := capacity.Demand(r, rates, &capacity.DemandOptions{Projection: &capacity.Projection{TargetYear: year}})
	if err != nil {
		return nil, err
	}
	return assess(ctx, r, rates, Standards(r), d.Table, before, year)
}

func (res *Result) staff(ctx context.Context) error {
	r := res.Region
	res.Standards = Standards(r)
	a, err := assess(ctx, r, CapacityRates(res.Rates), res.Standards, res.Demand.Table, res.Before, res.Config.TargetYear)
	if err != nil {
		return err
	}
	res.Assessment, res.Gaps = a, a.Gaps
	res.ProvinceGaps, res.RegionGaps = a.Gaps.Provinces, a.Gaps.Region
	for _, n := range Norms(r) {
		d, err := capacity.Density(res.Projected, n, nil)
		if err != nil {
			return err
		}
		res.Densities = append(res.Densities, d)
	}
	res.Stays = Stays(r)
	beds, err := capacity.Beds(r, a.Attribution.Volumes, res.Stays, nil)
	if err != nil {
		return err
	}
	res.Beds = beds
	res.BedRegion = BedTotal{ID: r.ID, Name: r.Name}
	prov := map[string]*BedTotal{}
	for _, b := range beds.Establishments {
		e, _ := r.Establishment(b.Establishment)
		if e.Ownership != gst.Public || e.Candidate {
			continue // partners' beds are not the GST's
		}
		pt := prov[string(e.Province)]
		if pt == nil {
			pt = &BedTotal{ID: string(e.Province), Name: provinceName(r, e.Province)}
			prov[string(e.Province)] = pt
		}
		pt.Need += b.Need
		pt.Available += b.Available
		res.BedRegion.Need += b.Need
		res.BedRegion.Available += b.Available
	}
	for _, p := range sortedKeys(prov) {
		res.BedProvinces = append(res.BedProvinces, *prov[p])
	}
	return nil
}

func provinceName(r *gst.Region, id gst.ProvinceID) string {
	if p, ok := r.Province(id); ok && p.Name != "" {
		return p.Name
	}
	return string(id)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// weightsFor returns the pathway travel weights of the given services,
// in their unit (trips).
func weightsFor(w *gst.DemandTable, services []gst.ServiceID) (*gst.DemandTable, error) {
	return w.Select(services...), nil
}

func (res *Result) relocate(ctx context.Context, set *pathway.Set) error {
	r := res.Projected
	weights, err := pathway.Weights(r, set, nil)
	if err != nil {
		return err
	}
	opt := &allocate.Options{SolveOptions: gst.SolveOptions{TimeLimit: res.Config.TimeLimit}, SiteCosts: !res.Config.Short}

	// Maternity with caesarean capacity: the candidate proximity hospitals
	// bring delivery, caesarean section and emergency care together.
	mat := &Relocation{
		ID:    "maternity",
		Title: "Proximity hospitals with a maternity and caesarean capacity",
		Question: fmt.Sprintf("Which of the %s candidate proximity hospitals should open (at most %d), so that mothers and emergency patients travel least?",
			countCandidates(r, "caesarean"), res.Config.MaternityChanges),
		Services:    []gst.ServiceID{"delivery", "caesarean", "emergency"},
		DemandBasis: "pathway travel weights of the maternal and emergency pathways (in-person visits × 2 one-way legs a year)",
		Objective:   allocate.PMedian,
		MaxChanges:  res.Config.MaternityChanges,
		MapService:  "caesarean",
	}
	for _, s := range mat.Services {
		var sites []gst.EstablishmentID
		for _, e := range r.Offering(s) {
			if e.Ownership == gst.Public {
				sites = append(sites, e.ID)
			}
		}
		mat.Sites = append(mat.Sites, sites)
	}
	if mat.Demand, err = weightsFor(weights, mat.Services); err != nil {
		return err
	}

	// Dialysis: new units in existing public hospitals that have none.
	dia := &Relocation{
		ID:    "dialysis",
		Title: "New haemodialysis units in existing public hospitals",
		Question: fmt.Sprintf("In which public hospitals without dialysis should up to %d new units open, so that patients on haemodialysis (three sessions a week) travel least?",
			res.Config.DialysisChanges),
		Services:    []gst.ServiceID{"dialysis"},
		DemandBasis: "pathway travel weights of haemodialysis (sessions × 2 one-way legs a year)",
		Objective:   allocate.PMedian,
		MaxChanges:  res.Config.DialysisChanges,
		// A provincial hospital's unit: 10 stations × 624 sessions a year
		// (examples/data/README.md [A8]).
		NewCapacity: map[gst.ServiceID]float64{"dialysis": 10 * 624},
		MapService:  "dialysis",
	}
	var sites []gst.EstablishmentID
	for _, e := range r.Establishments {
		if e.Ownership == gst.Public && !e.Candidate && e.Level >= gst.LocalHospital && (e.OffersService("dialysis") || e.OffersService("inpatient")) {
			sites = append(sites, e.ID)
		}
	}
	dia.Sites = [][]gst.EstablishmentID{sites}
	if dia.Demand, err = weightsFor(weights, dia.Services); err != nil {
		return err
	}

	for _, spec := range []*Relocation{mat, dia} {
		d, err := Relocate(ctx, r, res.Travel, spec, opt)
		if err != nil {
			return err
		}
		res.Decisions = append(res.Decisions, d)
	}
	after, err := Apply(r, res.Decisions)
	if err != nil {
		return err
	}
	res.After = after
	if !res.Config.Short {
		return res.sweep(ctx, mat)
	}
	return nil
}

// SweepRow is the best plan with at most K openings.
type SweepRow struct {
	K      int       `json:"k"`
	Opened []SiteRef `json:"opened"`
	// Value is the pathway-weighted travel (minutes a year), Status, Bound
	// and Gap the solve's.
	Value  float64    `json:"value"`
	Bound  float64    `json:"bound"`
	Gap    float64    `json:"gap"`
	Status gst.Status `json:"status"`
	// Mean, P90 and Beyond are the caesarean figures: one-way minutes and
	// the share of demand beyond the standard (allocate's Covered rule:
	// unserved demand counts as beyond).
	Mean   float64 `json:"caesarean_mean_minutes"`
	P90    float64 `json:"caesarean_p90_minutes"`
	Beyond float64 `json:"caesarean_beyond_share"`
	Err    string  `json:"error,omitempty"`
}

// sweep solves the maternity decision for every number of openings up to
// the number of candidates (at most 6).
func (res *Result) sweep(ctx context.Context, spec *Relocation) error {
	n := 0
	for _, e := range res.Projected.Offering("caesarean") {
		if e.Candidate {
			n++
		}
	}
	// Today's figures come with the maternity plan.
	if main := res.Decisions[0]; main.Plan != nil {
		row := SweepRow{K: 0, Opened: []SiteRef{}, Value: main.Plan.BeforeValue, Bound: main.Plan.BeforeValue, Status: gst.StatusOptimal}
		for _, f := range main.Plan.Before {
			if f.Service == "caesarean" {
				row.Mean, row.P90, row.Beyond = f.MeanTravel, f.P90Travel, 1-f.Covered
			}
		}
		res.Sweep = append(res.Sweep, row)
	}
	for k := 1; k <= min(n, 6); k++ {
		sp := *spec
		sp.MaxChanges = k
		row := SweepRow{K: k}
		d, err := Relocate(ctx, res.Projected, res.Travel, &sp, &allocate.Options{SolveOptions: gst.SolveOptions{TimeLimit: res.Config.TimeLimit}})
		if err != nil {
			return err
		}
		if d.Plan == nil {
			row.Err = d.Err
			res.Sweep = append(res.Sweep, row)
			continue
		}
		p := d.Plan
		row.Opened, row.Value, row.Bound, row.Gap, row.Status = d.Opened, p.Value, p.Bound, p.Gap, p.Status
		for _, f := range p.After {
			if f.Service == "caesarean" {
				row.Mean, row.P90, row.Beyond = f.MeanTravel, f.P90Travel, 1-f.Covered
			}
		}
		res.Sweep = append(res.Sweep, row)
	}
	return nil
}

func countCandidates(r *gst.Region, s gst.ServiceID) string {
	n := 0
	for _, e := range r.Offering(s) {
		if e.Candidate {
			n++
		}
	}
	return fmt.Sprint(n)
}

func (res *Result) evaluate(ctx context.Context, set *pathway.Set) error {
	after := res.Before
	for _, d := range res.Decisions {
		if d.Plan == nil {
			continue
		}
		var err error
		after, err = Merge(after, d.Plan.Assignment, d.Spec.Services)
		if err != nil {
			return err
		}
	}
	res.AfterAsg = after
	r := res.After
	cmp, err := pathway.Compare(ctx, r, set, pathway.Plan{Name: "today", Assignment: res.Before, Travel: res.Travel},
		pathway.Plan{Name: "plan", Assignment: after, Travel: res.Travel}, nil)
	if err != nil {
		return err
	}
	res.Comparison = cmp
	res.PathwayTotals = cmp.Pathways
	flows, err := pathway.ComputeFlows(r, set, nil)
	if err != nil {
		return err
	}
	res.Flows = flows
	deprived, err := gst.MostDeprived(r.Areas, 0.2)
	if err != nil {
		return err
	}
	for _, st := range accessSteps {
		p, ok := set.Pathway(st.p)
		if !ok {
			continue
		}
		step, ok := p.Step(st.s)
		if !ok {
			continue
		}
		std := step.StandardMinutes
		if svc, ok := r.Service(step.Service); ok && std == 0 {
			std = svc.StandardMinutes
		}
		w := make([]float64, len(r.Areas))
		for _, row := range flows.Rows {
			if row.Pathway == st.p && row.Step == st.s {
				i, _ := r.AreaIndex(row.Area)
				w[i] += row.Episodes
			}
		}
		tb := AreaMinutes(r, res.Travel, res.Before, step.Service)
		ta := AreaMinutes(r, res.Travel, after, step.Service)
		add := func(group, name string, part func(int) float64) {
			res.Access = append(res.Access, Access{Pathway: st.p, Step: st.s, Service: step.Service, Name: step.Name,
				Group: group, GroupName: name, Before: WeightedStats(w, tb, std, part), After: WeightedStats(w, ta, std, part)})
		}
		add("region", r.Name, nil)
		for _, pv := range r.Provinces {
			add(string(pv.ID), pv.Name, Whole(func(i int) bool { return r.Areas[i].Province == pv.ID }))
		}
		add("most-deprived", "most-deprived 20%", func(i int) float64 { return deprived[i] })
	}
	return nil
}

// AccessFor returns the access figures of a step and group.
func (res *Result) AccessFor(p pathway.PathwayID, s pathway.StepID, group string) (Access, bool) {
	for _, a := range res.Access {
		if a.Pathway == p && a.Step == s && a.Group == group {
			return a, true
		}
	}
	return Access{}, false
}
