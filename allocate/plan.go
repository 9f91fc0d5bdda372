package allocate

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/enumtext"
	"github.com/gstplan/gst/internal/lp"
)

// Plan is the answer of Locate: the sites chosen, where each area is
// served, how good the plan is, and the figures and reasons that explain
// it.
type Plan struct {
	// Objective, Metric and Capacity repeat the problem's.
	Objective Objective `json:"objective"`
	Metric    Metric    `json:"metric"`
	Capacity  Capacity  `json:"capacity"`
	// Method says how the plan was found, for example "mip: radius
	// formulation" or "covering sequence (binary search over radii)".
	Method string `json:"method"`
	// Status is gst.StatusOptimal when the plan is proven optimal (Gap
	// within Options.GapTolerance), gst.StatusTimeLimit or
	// gst.StatusCanceled when a deadline or the context stopped the solve
	// first, gst.StatusFeasible when the solver stopped for another reason
	// (a numerical failure of a later stage, for example: Notes says
	// which).
	Status gst.Status `json:"status"`
	// Value is the objective of the plan, in the objective's terms:
	// weighted travel (Σ weight × volume × travel) for PMedian; the
	// longest travel (PCenter) or largest weight × volume × travel
	// (WeightedPCenter); the number of open sites for SetCovering; the
	// weighted demand covered (MaxCoverage) or covered twice
	// (BackupCoverage); dirhams for FixedCharge.
	Value float64 `json:"value"`
	// Bound is a proven bound on the best Value any plan can reach: a
	// lower bound when the objective is minimised, an upper bound for
	// MaxCoverage and BackupCoverage. It equals Value when the plan is
	// optimal.
	Bound float64 `json:"bound"`
	// Gap is the relative gap |Value − Bound| / max(|Value|, |Bound|) (see
	// gst.Gap): 0 for a proven optimum.
	Gap float64 `json:"gap"`
	// Sites lists every site of the problem, sorted by ID, with its
	// state today and in the plan.
	Sites []SiteDecision `json:"sites"`
	// Assignment sends each area's demand for each service to the open
	// sites, with shares when it is split. Demand left unserved (coverage
	// objectives, areas out of reach) has no row. A site the plan opens
	// for a service it does not offer today appears here: pass the region
	// from Apply, not the original one, to packages that check offers.
	Assignment *gst.Assignment `json:"assignment"`
	// Opened, Closed and Changes count the sites opened and closed
	// compared with today; ChangeCost is their opening and closing costs,
	// in dirhams.
	Opened     int     `json:"opened"`
	Closed     int     `json:"closed"`
	Changes    int     `json:"changes"`
	ChangeCost float64 `json:"change_cost"`
	// WeightedTravel is Σ weight × volume × travel × share of the plan.
	WeightedTravel float64 `json:"weighted_travel"`
	// Today sends the demand to today's open sites as the plan's rules
	// would: each area to its nearest one, or, when capacities bind,
	// within today's capacities (as much demand as they can take, each
	// part as near as it can go; the rest unserved). BeforeValue is its
	// objective and BeforeServed the share of the demand volume it serves:
	// below 1 when some areas have no site today (or today's capacities
	// fall short), and then BeforeValue counts only the demand served and
	// is not comparable with Value (Before[i].Served says where).
	Today        *gst.Assignment `json:"today"`
	BeforeValue  float64         `json:"before_value"`
	BeforeServed float64         `json:"before_served"`
	// Before and After are the key figures of each service with today's
	// sites (as Today serves the demand) and with the plan.
	Before []Figures `json:"before"`
	After  []Figures `json:"after"`
	// SiteCosts gives, for the sites the plan decides, what forcing the
	// opposite decision would cost (see SiteCost).
	SiteCosts []SiteCost `json:"site_costs,omitempty"`
	// CapacityValues gives the marginal value of capacity at each open
	// site with a binding capacity (see CapacityValue).
	CapacityValues []CapacityValue `json:"capacity_values,omitempty"`
	// Model describes the models solved.
	Model ModelStats `json:"model"`
	// Notes are remarks on the solve (a second stage that did not finish,
	// a relaxation that could not be solved).
	Notes []string `json:"notes,omitempty"`
	// Elapsed is the wall time of Locate. It is the only field that
	// differs between two runs on the same input.
	Elapsed time.Duration `json:"-"`

	geo *geoData
}

// Change says what a plan does to a site compared with today.
type Change int

// The changes.
const (
	// Stays means the site is open today and in the plan.
	Stays Change = iota
	// Opens means the site is closed today (a candidate, or an
	// establishment that does not offer the services) and open in the plan.
	Opens
	// Closes means the site is open today and closed in the plan.
	Closes
	// StaysClosed means the site is closed today and in the plan.
	StaysClosed
)

var changeNames = [...]string{Stays: "stays", Opens: "opens", Closes: "closes", StaysClosed: "stays closed"}

// String returns "stays", "opens", "closes" or "stays closed".
func (c Change) String() string {
	if c >= 0 && int(c) < len(changeNames) {
		return changeNames[c]
	}
	return fmt.Sprintf("Change(%d)", int(c))
}

// MarshalText encodes the change as its String form.
func (c Change) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText decodes a change from its String form, in any case and
// with hyphens or underscores for spaces.
func (c *Change) UnmarshalText(b []byte) error {
	i, ok := enumtext.Parse(b, changeNames[:], nil)
	if !ok {
		return fmt.Errorf("allocate: %w: unknown change %q (want stays, opens, closes or stays closed)", gst.ErrInvalid, b)
	}
	*c = Change(i)
	return nil
}

// SiteDecision is one site of a plan.
type SiteDecision struct {
	Site     gst.EstablishmentID `json:"site"`
	Name     string              `json:"name,omitempty"`
	Province gst.ProvinceID      `json:"province,omitempty"`
	Lat      float64             `json:"lat"`
	Lon      float64             `json:"lon"`
	// Candidate is true for a site that does not exist yet.
	Candidate bool `json:"candidate,omitempty"`
	// Today and Open say whether the site is open today and in the plan.
	Today bool `json:"today"`
	Open  bool `json:"open"`
	// Rule is "kept" when the rules keep the site open (not closable, or
	// listed in Keep), "excluded" when Exclude closes it, "unchanged" when
	// MaxChanges is NoChanges, "" when the plan decides.
	Rule string `json:"rule,omitempty"`
	// Change is what the plan does to the site; Cost is the opening or
	// closing cost of that change, in dirhams (0 when it stays as is).
	Change Change  `json:"change"`
	Cost   float64 `json:"cost,omitempty"`
	// Services are the services of the problem the site is eligible for.
	Services []gst.ServiceID `json:"services"`
}

// Figures are the key figures of one service under one set of open sites.
// Travel is in the problem's Metric; means and percentiles are weighted by
// volume over the volume served.
type Figures struct {
	Service gst.ServiceID `json:"service"`
	// Demand is the total volume and Served the volume assigned to a site.
	Demand float64 `json:"demand"`
	Served float64 `json:"served"`
	// MeanTravel, P90Travel and MaxTravel are the volume-weighted mean,
	// the volume-weighted 90th percentile and the maximum of the travel of
	// the served demand.
	MeanTravel float64 `json:"mean_travel"`
	P90Travel  float64 `json:"p90_travel"`
	MaxTravel  float64 `json:"max_travel"`
	// Standard is the service's standard (0 when it has none). Covered
	// is the share of the demand served within it, and PeopleBeyond the
	// population of the areas with demand that are served beyond it or
	// not served (in proportion to the share concerned).
	Standard     float64 `json:"standard,omitempty"`
	Covered      float64 `json:"covered"`
	PeopleBeyond float64 `json:"people_beyond"`
	// Provinces gives the figures of each province, sorted by ID.
	Provinces []ProvinceFigures `json:"provinces"`
	// Sites gives the load of each open site eligible for the service,
	// sorted by ID.
	Sites []SiteLoad `json:"sites"`
}

// ProvinceFigures are the figures of one service in one province.
type ProvinceFigures struct {
	Province   gst.ProvinceID `json:"province"`
	Demand     float64        `json:"demand"`
	MeanTravel float64        `json:"mean_travel"`
	// Covered is the share of the province's demand served within the
	// standard (0 when the service has none).
	Covered float64 `json:"covered"`
}

// SiteLoad is the demand a site serves for one service.
type SiteLoad struct {
	Site gst.EstablishmentID `json:"site"`
	Load float64             `json:"load"`
	// Capacity is the site's capacity for the service (0 when none is
	// stated) and Utilisation is Load / Capacity (0 when none is stated;
	// above 1 when the site is overloaded, which only today's figures can
	// show when capacities bind).
	Capacity    float64 `json:"capacity,omitempty"`
	Utilisation float64 `json:"utilisation,omitempty"`
}

// ModelStats describes the models solved for a plan.
type ModelStats struct {
	// Models counts the solves (a covering sequence or a second stage
	// solve several); Rows, Columns, Nonzeros and Integers are the size of
	// the largest.
	Models   int   `json:"models"`
	Rows     int64 `json:"rows"`
	Columns  int64 `json:"columns"`
	Nonzeros int64 `json:"nonzeros"`
	Integers int64 `json:"integers"`
	// Nodes and Iterations add up the branch-and-bound nodes and the
	// simplex or subgradient iterations of every solve.
	Nodes      int64 `json:"nodes"`
	Iterations int64 `json:"iterations"`
	// Refined is true when a second stage improved the travel of a plan
	// without losing any of its objective.
	Refined bool `json:"refined,omitempty"`
	// Undone counts the changes the solvers' plan made that did not
	// strictly improve the objective, which Locate undid (see
	// Problem.P).
	Undone int `json:"undone,omitempty"`
}

// today returns today's open sites.
func (in *inst) today() []bool {
	open := make([]bool, len(in.sites))
	for j := range in.sites {
		open[j] = in.sites[j].today
	}
	return open
}

// todaySolution serves the demand with today's sites (see Plan.Today):
// nearest site without capacities, the transportation problem of today's
// capacities with them (nearest site, and a note, when that problem cannot
// be solved).
func (r *runner) todaySolution() *solution {
	in := r.in
	s := in.nearestToday()
	if !in.capacitated {
		return s
	}
	if s2 := r.todayWithinCapacity(); s2 != nil {
		return s2
	}
	r.note("today's figures ignore capacities: the transportation problem of today's sites could not be solved")
	return s
}

// todayWithinCapacity solves the transportation problem of today's sites:
// each client may use any eligible site open today (excluded ones and
// those beyond a maximum travel rule included: they are open today),
// demand may stay unserved, and the cost of a unit served at travel d is
// d − M, with M above every travel, so that as much demand as possible is
// served and then as near as possible.
func (r *runner) todayWithinCapacity() *solution {
	in := r.in
	today := in.today()
	t := *in
	t.cls = make([]client, len(in.cls))
	m := len(in.sites)
	big := 1.0
	for k := range in.cls {
		c := in.cls[k]
		row := in.dist[int(c.area)*m : int(c.area+1)*m]
		c.cands = nil
		for _, j := range in.svcs[c.svc].sites {
			if today[j] && !math.IsInf(row[j], 1) {
				c.cands = append(c.cands, j)
				big = math.Max(big, row[j]+1)
			}
		}
		sort.SliceStable(c.cands, func(a, b int) bool { return row[c.cands[a]] < row[c.cands[b]] })
		t.cls[k] = c
	}
	sp := &assignSpec{fixed: today, optional: true, split: true, cost: func(_ int, d float64) float64 { return d - big }}
	ctx := r.ctx
	if ctx.Err() != nil && r.user.Err() == nil {
		// The solve used its time; today's figures get a little more.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(r.user, secondStageMin)
		defer cancel()
	}
	am := newAssign(&t, sp)
	am.build("today")
	r.record(int64(am.m.NumRows()), int64(am.m.NumVars()), int64(am.m.NumNonzeros()), am.m.NumIntegers())
	sol, err := lp.Solve(ctx, am.m, r.lpOptions())
	if err != nil || sol.Status != gst.StatusOptimal {
		return nil
	}
	return am.solution(sol.X)
}

// nearestToday sends every client to its nearest site open today, among
// its eligible sites (excluded ones and those beyond a maximum travel rule
// included: they are open today).
func (in *inst) nearestToday() *solution {
	s := &solution{open: in.today(), assign: make([][]share, len(in.cls))}
	m := len(in.sites)
	for k := range in.cls {
		c := &in.cls[k]
		row := in.dist[int(c.area)*m : int(c.area+1)*m]
		best, bd := int32(-1), math.Inf(1)
		for _, j := range in.svcs[c.svc].sites {
			if s.open[j] && row[j] < bd {
				best, bd = j, row[j]
			}
		}
		if best >= 0 {
			s.assign[k] = []share{{best, 1}}
		}
	}
	return s
}

// figures computes the key figures of every service.
func (in *inst) figures(s *solution) []Figures {
	out := make([]Figures, len(in.svcs))
	for sv := range in.svcs {
		svc := &in.svcs[sv]
		f := Figures{Service: svc.id}
		if svc.hasStd {
			f.Standard = svc.std
		}
		var times, vols []float64
		covered, sum := 0.0, 0.0
		type pacc struct{ demand, travel, served, covered float64 }
		prov := map[gst.ProvinceID]*pacc{}
		load := map[int32]float64{}
		for k := range in.cls {
			c := &in.cls[k]
			if int(c.svc) != sv {
				continue
			}
			a := &in.areas[c.area]
			pa := prov[a.province]
			if pa == nil {
				pa = &pacc{}
				prov[a.province] = pa
			}
			pa.demand += c.vol
			f.Demand += c.vol
			served, beyond := 0.0, 0.0
			for _, x := range s.assign[k] {
				d := in.d(k, x.site)
				v := c.vol * x.frac
				served += x.frac
				times, vols = append(times, d), append(vols, v)
				sum += v * d
				pa.travel += v * d
				pa.served += v
				load[x.site] += v
				f.MaxTravel = math.Max(f.MaxTravel, d)
				if svc.hasStd && d <= svc.std {
					covered += v
					pa.covered += v
				} else if svc.hasStd {
					beyond += x.frac
				}
			}
			if svc.hasStd {
				beyond += math.Max(0, 1-served)
				f.PeopleBeyond += a.population * beyond
			}
			f.Served += c.vol * served
		}
		if f.Served > 0 {
			f.MeanTravel = sum / f.Served
			f.P90Travel = gst.WeightedQuantile(times, vols, 0.9)
		}
		if svc.hasStd && f.Demand > 0 {
			f.Covered = covered / f.Demand
		}
		keys := make([]string, 0, len(prov))
		for k := range prov {
			keys = append(keys, string(k))
		}
		sort.Strings(keys)
		for _, k := range keys {
			pa := prov[gst.ProvinceID(k)]
			pf := ProvinceFigures{Province: gst.ProvinceID(k), Demand: pa.demand}
			if pa.served > 0 {
				pf.MeanTravel = pa.travel / pa.served
			}
			if svc.hasStd && pa.demand > 0 {
				pf.Covered = pa.covered / pa.demand
			}
			f.Provinces = append(f.Provinces, pf)
		}
		for _, j := range svc.sites {
			if !s.open[j] {
				continue
			}
			sl := SiteLoad{Site: in.sites[j].id, Load: load[j]}
			if c := in.sites[j].cap[sv]; !math.IsInf(c, 1) {
				sl.Capacity = c
				sl.Utilisation = load[j] / c
			}
			f.Sites = append(f.Sites, sl)
		}
		out[sv] = f
	}
	return out
}

// servedShare returns the share of the demand volume a solution serves (1
// when there is no demand).
func (in *inst) servedShare(s *solution) float64 {
	var total, served float64
	for k := range in.cls {
		v := in.cls[k].vol
		total += v
		for _, x := range s.assign[k] {
			served += v * x.frac
		}
	}
	if total == 0 {
		return 1
	}
	return math.Min(1, served/total)
}

// assignment converts a solution into a gst.Assignment.
func (in *inst) assignment(s *solution) (*gst.Assignment, error) {
	var rows []gst.Allocation
	for k := range in.cls {
		c := &in.cls[k]
		for _, x := range s.assign[k] {
			rows = append(rows, gst.Allocation{Area: in.areas[c.area].id, Service: in.svcs[c.svc].id,
				Establishment: in.sites[x.site].id, Share: x.frac})
		}
	}
	return gst.NewAssignment(rows)
}

// newPlan assembles the plan of a stage.
func (r *runner) newPlan(st *stage) (*Plan, error) {
	in := r.in
	a, err := in.assignment(st.sol)
	if err != nil {
		return nil, fmt.Errorf("allocate: internal error: %w", err)
	}
	pl := &Plan{
		Objective: in.obj, Metric: in.p.Metric, Capacity: in.p.Capacity,
		Method: st.method, Status: st.status, Value: st.value, Bound: st.bound,
		Gap:        gapOf(st.value, st.bound, in.obj.maximises()),
		Assignment: a,
	}
	for j := range in.sites {
		s := &in.sites[j]
		d := SiteDecision{Site: s.id, Name: s.name, Province: s.province, Lat: s.lat, Lon: s.lon,
			Candidate: s.candidate, Today: s.today, Open: st.sol.open[j]}
		switch {
		case s.frozen:
			d.Rule = "unchanged"
		case s.fix == 1:
			d.Rule = "kept"
		case s.fix == -1:
			d.Rule = "excluded"
		}
		switch {
		case d.Today && d.Open:
			d.Change = Stays
		case d.Open:
			d.Change, d.Cost = Opens, s.cost
			pl.Opened++
		case d.Today:
			d.Change, d.Cost = Closes, s.cost
			pl.Closed++
		default:
			d.Change = StaysClosed
		}
		pl.ChangeCost += d.Cost
		for sv := range in.svcs {
			if s.elig[sv] {
				d.Services = append(d.Services, in.svcs[sv].id)
			}
		}
		pl.Sites = append(pl.Sites, d)
	}
	pl.Changes = pl.Opened + pl.Closed
	pl.WeightedTravel = in.weightedTravel(st.sol)
	today := r.todaySolution()
	if pl.Today, err = in.assignment(today); err != nil {
		return nil, fmt.Errorf("allocate: internal error: %w", err)
	}
	pl.BeforeValue = in.value(today)
	pl.BeforeServed = in.servedShare(today)
	pl.Before = in.figures(today)
	pl.After = in.figures(st.sol)
	pl.geo = in.newGeo(st.sol, a, today, pl.Today)
	return pl, nil
}
