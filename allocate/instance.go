package allocate

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
	"github.com/gstplan/gst/internal/msgtext"
)

// site is an establishment eligible for at least one service of the
// problem.
type site struct {
	id        gst.EstablishmentID
	name      string
	lat, lon  float64
	province  gst.ProvinceID
	candidate bool
	// today is true when the site is open today: it exists and offers one
	// of the problem's services.
	today bool
	// fix is +1 when the rules keep the site open, −1 when they exclude it,
	// 0 when the plan decides; frozen is true when the fix comes from
	// MaxChanges NoChanges rather than Keep, Exclude or Closable.
	fix    int8
	frozen bool
	// cost is the cost of the change the plan may make: OpenCost when the
	// site is closed today, CloseCost when it is open.
	cost float64
	// elig[s] says whether the site is eligible for service s; cap[s] is
	// its capacity for it (+Inf when none is stated).
	elig []bool
	cap  []float64
}

// service is a service of the problem with its resolved rules.
type service struct {
	id     gst.ServiceID
	weight float64
	// std is the coverage standard (valid when hasStd); maxTravel the hard
	// rule (+Inf when none).
	std       float64
	hasStd    bool
	maxTravel float64
	// sites are the eligible sites (indices into inst.sites), sorted.
	sites []int32
	total float64 // total volume
	// newCap is the capacity of a site without an offer of the service
	// (+Inf when none is stated).
	newCap float64
}

// area is an area with demand for at least one service.
type area struct {
	id         gst.AreaID
	province   gst.ProvinceID
	lat, lon   float64
	population float64
}

// client is the demand of one area for one service.
type client struct {
	area int32
	svc  int32
	vol  float64
	w    float64 // weight × volume
	// cands are the eligible sites not excluded, reachable, and within
	// the service's hard maximum travel, by increasing travel then site.
	cands []int32
}

// inst is a validated problem in flat, ID-sorted form: sites, services and
// areas sorted by ID, so that the order of the input never changes a plan.
type inst struct {
	p      *Problem
	obj    Objective
	sites  []site
	svcs   []service
	areas  []area
	cls    []client
	byArea map[gst.AreaID]int32
	// dist[a*len(sites)+j] is the travel from area a to site j in the
	// metric; +Inf when unreachable.
	dist []float64
	// fixedOpen counts sites kept open; free counts sites the plan
	// decides; usable counts the sites that are not excluded.
	fixedOpen, free, usable int
	// forcedCost and forcedChanges are the cost and number of changes the
	// Keep and Exclude rules impose.
	forcedCost    float64
	forcedChanges int
	// maxDist is the longest finite travel of any candidate pair.
	maxDist float64
	// integral is true when every client weight and travel is an integer,
	// so the travel objective is an integer; intWeights when every client
	// weight is.
	integral   bool
	intWeights bool
	// capacitated is true when capacities bind.
	capacitated bool
}

// d returns the travel of client k to site j.
func (in *inst) d(k int, j int32) float64 {
	return in.dist[int(in.cls[k].area)*len(in.sites)+int(j)]
}

// serviceIndex returns the position of a service.
func (in *inst) serviceIndex(id gst.ServiceID) int {
	i := sort.Search(len(in.svcs), func(i int) bool { return in.svcs[i].id >= id })
	if i < len(in.svcs) && in.svcs[i].id == id {
		return i
	}
	return -1
}

// compile validates the problem and builds its instance. Every problem is
// reported at once: *gst.ValidationError values for invalid input, then
// *gst.InfeasibleError values for rules that cannot hold, joined.
func compile(ctx context.Context, p *Problem) (*inst, error) {
	var ps gst.Problems
	if p == nil {
		ps.Add("problem", "", fmt.Errorf("nil problem"))
		return nil, ps.Err()
	}
	if p.Region == nil {
		ps.Add("problem", "region", fmt.Errorf("missing"))
	}
	if p.Demand == nil {
		ps.Add("problem", "demand", fmt.Errorf("missing"))
	}
	checkScalars(&ps, p)
	if p.Region == nil || p.Demand == nil {
		return nil, ps.Err()
	}
	if err := p.Region.Validate(); err != nil {
		ps.AddErr(err)
		return nil, ps.Err()
	}
	ps.AddErr(p.Demand.Validate(p.Region))
	checkDemandUnit(&ps, p)
	in := &inst{p: p, obj: p.Objective, capacitated: p.Capacity == SplitDemand || p.Capacity == SingleSource}
	rules := resolveServices(&ps, p)
	buildSites(&ps, in, rules)
	checkCoverageRules(&ps, in)
	if ps.Len() > 0 {
		return nil, ps.Err()
	}
	if err := buildTravel(ctx, in); err != nil {
		return nil, err
	}
	buildClients(in)
	var inf []error
	checkSites(in, &inf)
	checkFeasibility(in, &inf)
	if len(inf) > 0 {
		return nil, joinErrs(inf)
	}
	return in, nil
}

func joinErrs(errs []error) error {
	var ps gst.Problems
	for _, e := range errs {
		ps.AddErr(e)
	}
	return ps.Err()
}

// checkScalars checks the plain fields of the problem.
func checkScalars(ps *gst.Problems, p *Problem) {
	if !p.Objective.valid() {
		if p.Objective == 0 {
			ps.Add("problem", "objective", fmt.Errorf("not set"))
		} else {
			ps.Addf("problem", "objective", "unknown objective %d", int(p.Objective))
		}
	}
	if p.Capacity < Uncapacitated || p.Capacity > SingleSource {
		ps.Addf("problem", "capacity", "unknown capacity rule %d", int(p.Capacity))
	}
	if p.Metric != Minutes && p.Metric != Kilometres {
		ps.Addf("problem", "metric", "unknown metric %d", int(p.Metric))
	}
	if p.P < 0 {
		ps.Addf("problem", "p", "must be >= 0 (0: any number), got %d", p.P)
	}
	ps.CheckNonNegative("problem", "budget", p.Budget)
	if p.MaxChanges < NoChanges {
		ps.Addf("problem", "max changes", "must be >= 0 (0: no limit) or NoChanges (-1: none), got %d", p.MaxChanges)
	}
	ps.CheckNonNegative("problem", "max travel", p.MaxTravel)
	ps.CheckNonNegative("problem", "travel cost", p.TravelCost)
	if p.Objective == FixedCharge && !(p.TravelCost > 0) {
		ps.Add("problem", "travel cost", fmt.Errorf("the fixed charge objective needs the cost of travel (> 0), in dirhams per unit of volume and metric"))
	}
	if p.Decay != nil {
		if p.Objective != MaxCoverage {
			ps.Addf("problem", "decay", "applies to the maximal coverage objective only, not %s", p.Objective)
		}
		ps.CheckPositive("problem", "decay outer", p.Decay.Outer)
	}
	if p.AllowUnserved && (p.Capacity == Uncapacitated || (p.Objective != PMedian && p.Objective != FixedCharge)) {
		ps.Addf("problem", "allow unserved", "applies to the p-median and fixed charge objectives with binding capacities, not %s with %s", p.Objective, p.Capacity)
	}
	if p.Objective == BackupCoverage && p.Capacity != Uncapacitated {
		ps.Add("problem", "capacity", fmt.Errorf("the backup coverage objective counts sites within reach and takes no capacities"))
	}
	p.TravelSource.Check(ps, "problem")
}

// checkDemandUnit refuses to compare demand that is not in cases with
// capacities, which count cases, and says how to convert it.
func checkDemandUnit(ps *gst.Problems, p *Problem) {
	if p.Capacity == Uncapacitated || p.Demand.Unit() == gst.Cases {
		return
	}
	how := ""
	switch p.Demand.Unit() {
	case gst.Trips:
		how = "trips are not cases: pass the cases (the pathway package's Flows.Demand, or capacity.Demand), and weigh travel by trips per case with ServiceRule.Weight if the objective should count trips"
	case gst.People:
		how = "people are not cases: turn them into cases with utilisation rates (capacity.Demand) or the pathway package's Flows.Demand"
	default:
		how = "state the unit of the demand with DemandTable.WithUnit"
	}
	ps.Addf("problem", "demand", "is in %s but capacities (%s) count cases in each service's unit: %s", p.Demand.Unit(), p.Capacity, how)
}

// changeLimit returns the most changes a plan may make, and false when
// there is no limit.
func (in *inst) changeLimit() (int, bool) {
	switch {
	case in.p.MaxChanges == NoChanges:
		return 0, true
	case in.p.MaxChanges > 0:
		return in.p.MaxChanges, true
	}
	return 0, false
}

// resolveServices returns the rules of the problem's services, sorted by
// service ID, with defaults filled in.
func resolveServices(ps *gst.Problems, p *Problem) []ServiceRule {
	rules := p.Services
	if rules == nil {
		for _, s := range p.Demand.Services() {
			rules = append(rules, ServiceRule{Service: s})
		}
	}
	if len(rules) == 0 {
		ps.Add("problem", "services", fmt.Errorf("no service to locate: the demand table is empty and no rule names one"))
		return nil
	}
	out := make([]ServiceRule, 0, len(rules))
	seen := map[gst.ServiceID]bool{}
	for k, r := range rules {
		where := fmt.Sprintf("service rule %d (%q)", k, r.Service)
		bad := false
		if r.Service == "" {
			ps.Add(where, "service", fmt.Errorf("missing"))
			bad = true
		} else if _, ok := p.Region.Service(r.Service); !ok {
			ps.Add(where, "service", fmt.Errorf("unknown service"))
			bad = true
		} else if seen[r.Service] {
			ps.Add(where, "service", fmt.Errorf("listed twice"))
			bad = true
		}
		seen[r.Service] = true
		ps.CheckNonNegative(where, "weight", r.Weight)
		ps.CheckNonNegative(where, "standard", r.Standard)
		ps.CheckNonNegative(where, "max travel", r.MaxTravel)
		ps.CheckNonNegative(where, "new capacity", r.NewCapacity)
		if !bad {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Service < out[b].Service })
	return out
}

// buildSites resolves services and sites and checks the site rules: the
// services with their eligible sites, the sites in ID order, the sites
// Keep and Exclude fix, and the counts of fixed and free sites.
func buildSites(ps *gst.Problems, in *inst, rules []ServiceRule) {
	p := in.p
	eligible := buildServices(ps, in, rules)
	index := indexSites(in, eligible)
	fixSites(ps, in, index)
	countSites(in)
	if ps.Len() > 0 || len(in.sites) == 0 {
		return
	}
	if p.Objective.needsP() && p.P > len(in.sites) {
		ps.Addf("problem", "p", "%d sites asked but only %d sites are eligible", p.P, len(in.sites))
	}
}

// buildServices resolves the services' weights, standards and maximum
// travel, and returns the sites eligible for each.
func buildServices(ps *gst.Problems, in *inst, rules []ServiceRule) [][]gst.EstablishmentID {
	p, r := in.p, in.p.Region
	eligible := make([][]gst.EstablishmentID, len(rules))
	for s, rule := range rules {
		svc, _ := r.Service(rule.Service)
		sv := service{id: rule.Service, weight: rule.Weight, maxTravel: math.Inf(1), newCap: math.Inf(1)}
		if rule.NewCapacity > 0 {
			sv.newCap = rule.NewCapacity
		}
		if sv.weight == 0 {
			sv.weight = 1
		}
		switch {
		case rule.Standard > 0:
			sv.std, sv.hasStd = rule.Standard, true
		case p.Metric == Minutes && svc.StandardMinutes > 0:
			sv.std, sv.hasStd = svc.StandardMinutes, true
		}
		switch {
		case rule.MaxTravel > 0:
			sv.maxTravel = rule.MaxTravel
		case p.MaxTravel > 0:
			sv.maxTravel = p.MaxTravel
		}
		where := fmt.Sprintf("service %q", rule.Service)
		eligible[s] = eligibleSites(ps, r, svc, rule, where)
		if (p.Objective.coverage() || p.Objective == SetCovering) && !sv.hasStd {
			hint := "set the rule's Standard"
			if p.Metric == Minutes {
				hint += " or the service's StandardMinutes"
			}
			ps.Addf(where, "standard", "the %s objective needs a standard for every service (%s)", p.Objective, hint)
		}
		if p.Decay != nil && sv.hasStd && p.Decay.Outer <= sv.std {
			ps.Addf(where, "decay outer", "%v must exceed the standard %v", p.Decay.Outer, sv.std)
		}
		in.svcs = append(in.svcs, sv)
	}
	return eligible
}

// eligibleSites returns the sites a rule lists, checked, or else the
// public establishments (existing or candidate) that offer the service.
func eligibleSites(ps *gst.Problems, r *gst.Region, svc *gst.Service, rule ServiceRule, where string) []gst.EstablishmentID {
	var out []gst.EstablishmentID
	if rule.Sites != nil {
		dup := map[gst.EstablishmentID]bool{}
		for k, id := range rule.Sites {
			e, ok := r.Establishment(id)
			switch {
			case !ok:
				ps.Addf(where, "sites", "site %d: unknown establishment %q", k, id)
				continue
			case dup[id]:
				ps.Addf(where, "sites", "site %d: establishment %q listed twice", k, id)
				continue
			case svc.MinLevel != 0 && e.Level < svc.MinLevel:
				ps.Addf(where, "sites", "establishment %q is a %s, below the service's minimum level %s", id, e.Level, svc.MinLevel)
			}
			dup[id] = true
			out = append(out, id)
		}
	} else {
		private := 0
		for _, e := range r.Offering(rule.Service) {
			if e.Ownership != gst.Public {
				private++
				continue
			}
			out = append(out, e.ID)
		}
		if len(out) == 0 && private > 0 {
			ps.Addf(where, "sites", "no eligible site: only private establishments (%d) offer the service, and they take part only when the rule lists them", private)
			return nil
		}
	}
	if len(out) == 0 {
		ps.Add(where, "sites", fmt.Errorf("no eligible site: no establishment offers the service and the rule lists none"))
	}
	return out
}

// indexSites lists the sites eligible for some service, in ID order, with
// their state today, capacities and cost of change, and the sites of each
// service; it returns the index of each site.
func indexSites(in *inst, eligible [][]gst.EstablishmentID) map[gst.EstablishmentID]int32 {
	p, r := in.p, in.p.Region
	set := map[gst.EstablishmentID]bool{}
	for _, ids := range eligible {
		for _, id := range ids {
			set[id] = true
		}
	}
	ids := make([]gst.EstablishmentID, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	index := make(map[gst.EstablishmentID]int32, len(ids))
	in.sites = make([]site, len(ids))
	for j, id := range ids {
		e, _ := r.Establishment(id)
		st := site{id: id, name: e.Name, lat: e.Lat, lon: e.Lon, province: e.Province, candidate: e.Candidate,
			elig: make([]bool, len(in.svcs)), cap: make([]float64, len(in.svcs))}
		for s := range in.svcs {
			st.cap[s] = in.svcs[s].newCap
			if o, ok := e.Offer(in.svcs[s].id); ok {
				st.cap[s] = math.Inf(1)
				if !e.Candidate {
					st.today = true
				}
				if o.Capacity > 0 {
					st.cap[s] = o.Capacity
				}
			}
		}
		if st.today {
			st.cost = e.CloseCost
			if !p.Greenfield && !e.Closable {
				st.fix = 1
			}
		} else {
			st.cost = e.OpenCost
		}
		in.sites[j] = st
		index[id] = int32(j)
	}
	for s := range in.svcs {
		for _, id := range eligible[s] {
			j := index[id]
			in.sites[j].elig[s] = true
			in.svcs[s].sites = append(in.svcs[s].sites, j)
		}
		sort.Slice(in.svcs[s].sites, func(a, b int) bool { return in.svcs[s].sites[a] < in.svcs[s].sites[b] })
	}
	return index
}

// fixSites applies Keep and Exclude.
func fixSites(ps *gst.Problems, in *inst, index map[gst.EstablishmentID]int32) {
	p, r := in.p, in.p.Region
	listed := map[gst.EstablishmentID]string{}
	for _, l := range []struct {
		name string
		ids  []gst.EstablishmentID
		fix  int8
	}{{"keep", p.Keep, 1}, {"exclude", p.Exclude, -1}} {
		for k, id := range l.ids {
			where := fmt.Sprintf("%s[%d]", l.name, k)
			j, ok := index[id]
			if !ok {
				if _, known := r.Establishment(id); known {
					ps.Addf(where, "site", "establishment %q is not eligible for any service of the problem", id)
				} else {
					ps.Addf(where, "site", "unknown establishment %q", id)
				}
				continue
			}
			if prev, ok := listed[id]; ok {
				if prev == l.name {
					ps.Addf(where, "site", "establishment %q listed twice", id)
				} else {
					ps.Addf(where, "site", "establishment %q is both kept and excluded", id)
				}
				continue
			}
			listed[id] = l.name
			st := &in.sites[j]
			if l.fix < 0 && st.fix > 0 {
				ps.Addf(where, "site", "establishment %q is open today and not closable; it cannot be excluded (mark it closable or set Greenfield)", id)
				continue
			}
			st.fix = l.fix
		}
	}
	if p.MaxChanges == NoChanges {
		for j := range in.sites {
			if st := &in.sites[j]; st.fix == 0 {
				st.fix, st.frozen = -1, true
				if st.today {
					st.fix = 1
				}
			}
		}
	}
}

// countSites counts the sites fixed open, the free ones, those usable in a
// plan, and the cost and number of changes the fixed sites force.
func countSites(in *inst) {
	for j := range in.sites {
		st := &in.sites[j]
		switch st.fix {
		case 1:
			in.fixedOpen++
			if !st.today {
				in.forcedCost += st.cost
				in.forcedChanges++
			}
		case -1:
			if st.today {
				in.forcedCost += st.cost
				in.forcedChanges++
			}
		default:
			in.free++
		}
		if st.fix >= 0 {
			in.usable++
		}
	}
}

// checkSites reports the number of sites P clashing with the kept and
// excluded sites.
func checkSites(in *inst, errs *[]error) {
	p := in.p
	if p.Objective.needsP() && p.P > in.usable && p.P <= len(in.sites) {
		*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: "sites",
			Reason: fmt.Sprintf("%d sites asked but only %d eligible sites may open (%d are excluded)", p.P, in.usable, len(in.sites)-in.usable)})
	}
	if p.P > 0 && p.P < in.fixedOpen {
		*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: "sites",
			Reason: fmt.Sprintf("%d sites asked but %d must stay open (not closable, or kept)", p.P, in.fixedOpen)})
	}
}

// checkCoverageRules checks the equity rules.
func checkCoverageRules(ps *gst.Problems, in *inst) {
	r := in.p.Region
	for k, c := range in.p.MinCoverage {
		where := fmt.Sprintf("coverage rule %d", k)
		ps.CheckFraction(where, "min share", c.MinShare)
		if c.Province != "" {
			if _, ok := r.Province(c.Province); !ok && len(r.Provinces) > 0 {
				ps.Addf(where, "province", "unknown province %q", c.Province)
			} else if !ok {
				found := false
				for i := range r.Areas {
					if r.Areas[i].Province == c.Province {
						found = true
						break
					}
				}
				if !found {
					ps.Addf(where, "province", "no area is in province %q", c.Province)
				}
			}
		}
		if c.Service != "" {
			s := in.serviceIndex(c.Service)
			if s < 0 {
				ps.Addf(where, "service", "service %q is not located by the problem", c.Service)
			} else if !in.svcs[s].hasStd {
				ps.Addf(where, "service", "service %q has no standard to measure coverage by", c.Service)
			}
		} else {
			for _, sv := range in.svcs {
				if !sv.hasStd {
					ps.Addf(where, "service", "service %q has no standard to measure coverage by", sv.id)
				}
			}
		}
	}
}

// buildTravel fills the areas and the travel matrix.
func buildTravel(ctx context.Context, in *inst) error {
	p, r := in.p, in.p.Region
	has := map[gst.AreaID]bool{}
	for _, sv := range in.svcs {
		for _, d := range p.Demand.ForService(sv.id) {
			if d.Volume > 0 {
				has[d.Area] = true
			}
		}
	}
	ids := make([]string, 0, len(has))
	for id := range has {
		ids = append(ids, string(id))
	}
	sort.Strings(ids)
	in.byArea = make(map[gst.AreaID]int32, len(ids))
	in.areas = make([]area, len(ids))
	for i, id := range ids {
		a, _ := r.Area(gst.AreaID(id))
		in.areas[i] = area{id: a.ID, province: a.Province, lat: a.Lat, lon: a.Lon, population: a.Population}
		in.byArea[a.ID] = int32(i)
	}
	siteIDs := make([]string, len(in.sites))
	for j := range in.sites {
		siteIDs[j] = string(in.sites[j].id)
	}
	m := len(in.sites)
	in.dist = make([]float64, len(ids)*m)
	if len(ids) == 0 {
		return nil
	}
	mat, err := p.TravelSource.Matrix(ctx, r, ids, siteIDs)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("allocate: %w: stopped while estimating travel: %w", gst.ErrNoSolution, err)
		}
		return fmt.Errorf("allocate: travel: %w", err)
	}
	for a := range ids {
		for j := 0; j < m; j++ {
			l, ok := mat.At(a, j)
			v := math.Inf(1)
			if ok {
				v = l.Minutes
				if p.Metric == Kilometres {
					v = l.Km
				}
			}
			in.dist[a*m+j] = v
		}
	}
	return nil
}

// buildClients builds the clients and their candidate lists. The sites
// are sorted by travel once per area (in parallel; each area's result
// depends only on its own row), then filtered for each service.
func buildClients(in *inst) {
	m := len(in.sites)
	in.integral = true
	in.intWeights = true
	vol := make([][]float64, len(in.areas)) // per area, per service
	for s := range in.svcs {
		for _, d := range in.p.Demand.ForService(in.svcs[s].id) {
			if d.Volume > 0 {
				a := in.byArea[d.Area]
				if vol[a] == nil {
					vol[a] = make([]float64, len(in.svcs))
				}
				vol[a][s] = d.Volume
			}
		}
	}
	per := make([][]client, len(in.areas))
	type keyed struct {
		d float64
		j int32
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(in.areas)/64))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			order := make([]keyed, 0, m)
			for a := w; a < len(in.areas); a += workers {
				row := in.dist[a*m : (a+1)*m]
				order = order[:0]
				for j, d := range row {
					if in.sites[j].fix >= 0 && !math.IsInf(d, 1) {
						order = append(order, keyed{d, int32(j)})
					}
				}
				slices.SortFunc(order, func(x, y keyed) int {
					if x.d != y.d {
						return cmp.Compare(x.d, y.d)
					}
					return cmp.Compare(x.j, y.j)
				})
				for s := range in.svcs {
					if vol[a] == nil || !(vol[a][s] > 0) {
						continue
					}
					sv := &in.svcs[s]
					c := client{area: int32(a), svc: int32(s), vol: vol[a][s], w: sv.weight * vol[a][s]}
					for _, o := range order {
						if o.d > sv.maxTravel {
							break
						}
						if in.sites[o.j].elig[s] {
							c.cands = append(c.cands, o.j)
						}
					}
					per[a] = append(per[a], c)
				}
			}
		}(w)
	}
	wg.Wait()
	for a := range per {
		for _, c := range per[a] {
			if c.w != math.Trunc(c.w) {
				in.integral = false
				in.intWeights = false
			}
			for _, j := range c.cands {
				v := in.d2(c.area, j)
				in.maxDist = math.Max(in.maxDist, v)
				if v != math.Trunc(v) {
					in.integral = false
				}
			}
			in.svcs[c.svc].total += c.vol
			in.cls = append(in.cls, c)
		}
	}
}

// d2 returns the travel from area a to site j.
func (in *inst) d2(a, j int32) float64 { return in.dist[int(a)*len(in.sites)+int(j)] }

// mandatory reports whether every client must be served by the plan.
func (in *inst) mandatory() bool { return !in.obj.coverage() && !in.p.AllowUnserved }

// checkFeasibility finds rules that no plan can satisfy.
func checkFeasibility(in *inst, errs *[]error) {
	p := in.p
	type key struct {
		s    int32
		rule string
	}
	bad := map[key][]gst.AreaID{}
	for k := range in.cls {
		c := &in.cls[k]
		sv := &in.svcs[c.svc]
		if in.mandatory() && len(c.cands) == 0 {
			rule := "reach"
			if !math.IsInf(sv.maxTravel, 1) {
				rule = "max travel"
			}
			bad[key{c.svc, rule}] = append(bad[key{c.svc, rule}], in.areas[c.area].id)
			continue
		}
		if p.Objective == SetCovering && (len(c.cands) == 0 || in.d(k, c.cands[0]) > sv.std) {
			bad[key{c.svc, "standard"}] = append(bad[key{c.svc, "standard"}], in.areas[c.area].id)
		}
		if p.Capacity == SingleSource && len(c.cands) > 0 {
			fits := false
			for _, j := range c.cands {
				if in.sites[j].cap[c.svc] >= c.vol {
					fits = true
					break
				}
			}
			if !fits {
				bad[key{c.svc, "single source"}] = append(bad[key{c.svc, "single source"}], in.areas[c.area].id)
			}
		}
	}
	keys := make([]key, 0, len(bad))
	for k := range bad {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].s != keys[b].s {
			return keys[a].s < keys[b].s
		}
		return keys[a].rule < keys[b].rule
	})
	for _, k := range keys {
		sv := &in.svcs[k.s]
		areas := bad[k]
		sort.Slice(areas, func(a, b int) bool { return areas[a] < areas[b] })
		var reason string
		switch k.rule {
		case "reach":
			reason = "no eligible site can be reached from these areas"
		case "max travel":
			reason = fmt.Sprintf("no eligible site is within the maximum travel of %s %s of these areas", msgtext.Number(sv.maxTravel), p.Metric)
		case "standard":
			reason = fmt.Sprintf("no eligible site is within the standard of %s %s of these areas", msgtext.Number(sv.std), p.Metric)
		case "single source":
			reason = "the demand of each of these areas exceeds the capacity of every site that can serve it"
		}
		*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: k.rule, Service: sv.id, Areas: areas, Reason: reason})
	}
	if in.capacitated {
		for s := range in.svcs {
			sv := &in.svcs[s]
			capSum := 0.0
			for _, j := range sv.sites {
				if in.sites[j].fix >= 0 {
					capSum += in.sites[j].cap[s]
				}
			}
			if in.mandatory() && capSum < sv.total*(1-1e-12) {
				*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: "capacity", Service: sv.id,
					Reason: fmt.Sprintf("the eligible sites can serve %s a year in all, below the demand of %s %s", msgtext.Number(capSum), msgtext.Number(sv.total), p.Demand.Unit())})
			}
		}
	}
	checkCapacityWithinChanges(in, errs)
	if p.Budget > 0 && in.forcedCost > p.Budget {
		*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: "budget",
			Reason: fmt.Sprintf("the sites kept and excluded cost %s MAD to open and close, above the budget of %s MAD", msgtext.Number(in.forcedCost), msgtext.Number(p.Budget))})
	}
	if limit, ok := in.changeLimit(); ok && in.forcedChanges > limit {
		*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: "changes",
			Reason: fmt.Sprintf("the sites kept and excluded make %d changes, above the limit of %d", in.forcedChanges, limit)})
	}
	checkCount(in, errs)
	// Coverage rules: the best share any plan could reach opens every site.
	for _, g := range in.coverageGroups() {
		if g.share <= 0 || g.total <= 0 {
			continue
		}
		reach := 0.0
		for _, k := range g.clients {
			c := &in.cls[k]
			if len(c.cands) > 0 && in.d(k, c.cands[0]) <= in.svcs[c.svc].std {
				reach += c.vol
			}
		}
		if reach < g.share*g.total*(1-1e-12) {
			*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: "coverage", Service: in.svcs[g.svc].id, Province: g.province,
				Reason: fmt.Sprintf("at most %s%% of the demand can be within the standard, below the %s%% required", msgtext.Number(100*reach/g.total), msgtext.Number(100*g.share))})
		}
	}
}

// checkCapacityWithinChanges finds a capacity shortfall that the change
// limit leaves: the sites that stay open plus the new ones of largest
// capacity the limit allows cannot take the demand (a bound for every
// plan, since closing a site only takes capacity away).
func checkCapacityWithinChanges(in *inst, errs *[]error) {
	limit, ok := in.changeLimit()
	if !ok || !in.capacitated || !in.mandatory() {
		return
	}
	room := max(0, limit-in.forcedChanges)
	for s := range in.svcs {
		sv := &in.svcs[s]
		base, all := 0.0, 0.0
		var closed []float64
		for _, j := range sv.sites {
			st := &in.sites[j]
			switch {
			case st.fix > 0 || st.fix == 0 && st.today:
				base += st.cap[s]
			case st.fix == 0:
				closed = append(closed, st.cap[s])
			default:
				continue
			}
			all += st.cap[s]
		}
		if all < sv.total*(1-1e-12) {
			continue // reported without the limit
		}
		slices.SortFunc(closed, func(a, b float64) int { return cmp.Compare(b, a) })
		best := base
		for _, c := range closed[:min(room, len(closed))] {
			best += c
		}
		if best < sv.total*(1-1e-12) {
			need := 0
			for got := base; got < sv.total*(1-1e-12) && need < len(closed); need++ {
				got += closed[need]
			}
			*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: "capacity", Service: sv.id,
				Reason: fmt.Sprintf("with at most %d changes the eligible sites can serve at most %s a year (the sites open today and the %d new ones of largest capacity), below the demand of %s %s: "+
					"the demand needs at least %d new sites, or more capacity (or let demand stay unserved with AllowUnserved)",
					limit, msgtext.Number(best), min(room, len(closed)), msgtext.Number(sv.total), in.p.Demand.Unit(), need)})
		}
	}
}

// checkCount finds rules that clash with the number of open sites P: the
// capacity of the P sites of largest capacity below the demand, and the
// least cost (and number of changes) of reaching P open sites above the
// budget (the change limit). Each bound holds for every plan, so a rule
// beyond it cannot hold; the checks that need no P come first and are not
// repeated here.
func checkCount(in *inst, errs *[]error) {
	p := in.p
	count, P := in.countRule()
	if count == 0 || P < in.fixedOpen || P > in.usable {
		return // no count rule, or one checkSites already refuses
	}
	room := P - in.fixedOpen
	if in.capacitated && in.mandatory() {
		for s := range in.svcs {
			sv := &in.svcs[s]
			all, fixed := 0.0, 0.0
			var free []float64
			for _, j := range sv.sites {
				switch st := &in.sites[j]; st.fix {
				case 1:
					fixed += st.cap[s]
					all += st.cap[s]
				case 0:
					free = append(free, st.cap[s])
					all += st.cap[s]
				}
			}
			if all < sv.total*(1-1e-12) {
				continue // reported without P
			}
			slices.SortFunc(free, func(a, b float64) int { return cmp.Compare(b, a) })
			best := fixed
			for _, c := range free[:min(room, len(free))] {
				best += c
			}
			if best < sv.total*(1-1e-12) {
				*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: "capacity", Service: sv.id,
					Reason: fmt.Sprintf("with %d open sites the eligible sites can serve at most %s a year (the sites kept open and the %d of largest capacity), below the demand of %s %s",
						P, msgtext.Number(best), room, msgtext.Number(sv.total), p.Demand.Unit())})
			}
		}
	}
	// Free sites open today stay open unless the plan closes them; the
	// others stay closed unless it opens them. Reaching P open sites takes
	// opening (or closing) at least |P − open| of them, the cheapest first.
	var toOpen, toClose []float64
	openNow := in.fixedOpen
	for j := range in.sites {
		st := &in.sites[j]
		if st.fix != 0 {
			continue
		}
		if st.today {
			openNow++
			toClose = append(toClose, st.cost)
		} else {
			toOpen = append(toOpen, st.cost)
		}
	}
	var costs []float64
	verb := ""
	switch {
	case openNow < P && count == lp.EQ:
		costs, verb = toOpen, "opening"
	case openNow > P:
		costs, verb = toClose, "closing"
	}
	need := max(P-openNow, openNow-P)
	if verb == "" || need > len(costs) {
		return
	}
	slices.Sort(costs)
	exactly := ""
	if count != lp.EQ {
		exactly = "at most "
	}
	least := in.forcedCost
	for _, c := range costs[:need] {
		least += c
	}
	if p.Budget > 0 && in.forcedCost <= p.Budget && least > p.Budget {
		*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: "budget",
			Reason: fmt.Sprintf("%d sites are open today and the plan must have %s%d, which means %s at least %d sites: the cheapest way costs %s MAD (with the sites kept and excluded), above the budget of %s MAD",
				openNow, exactly, P, verb, need, msgtext.Number(least), msgtext.Number(p.Budget))})
	}
	if limit, ok := in.changeLimit(); ok && in.forcedChanges <= limit && in.forcedChanges+need > limit {
		*errs = append(*errs, &gst.InfeasibleError{Op: op, Rule: "changes",
			Reason: fmt.Sprintf("%d sites are open today and the plan must have %s%d, which means %s at least %d sites (%d changes with the sites kept and excluded), above the limit of %d",
				openNow, exactly, P, verb, need, in.forcedChanges+need, limit)})
	}
}

// covGroup is one binding coverage rule: a province and a service.
type covGroup struct {
	province gst.ProvinceID
	svc      int32
	share    float64
	clients  []int
	total    float64
}

// coverageGroups expands the coverage rules into one group per province and
// service, keeping the largest share when rules overlap. Groups are sorted
// by service then province.
func (in *inst) coverageGroups() []covGroup {
	if len(in.p.MinCoverage) == 0 {
		return nil
	}
	type key struct {
		svc  int32
		prov gst.ProvinceID
	}
	share := map[key]float64{}
	provs := map[gst.ProvinceID]bool{}
	for _, a := range in.areas {
		provs[a.province] = true
	}
	for _, rule := range in.p.MinCoverage {
		for s := range in.svcs {
			if rule.Service != "" && in.svcs[s].id != rule.Service {
				continue
			}
			for pr := range provs {
				if rule.Province != "" && pr != rule.Province {
					continue
				}
				k := key{int32(s), pr}
				if rule.MinShare > share[k] {
					share[k] = rule.MinShare
				}
			}
		}
	}
	keys := make([]key, 0, len(share))
	for k := range share {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].svc != keys[b].svc {
			return keys[a].svc < keys[b].svc
		}
		return keys[a].prov < keys[b].prov
	})
	groups := make([]covGroup, 0, len(keys))
	pos := map[key]int{}
	for _, k := range keys {
		pos[k] = len(groups)
		groups = append(groups, covGroup{province: k.prov, svc: k.svc, share: share[k]})
	}
	for k := range in.cls {
		c := &in.cls[k]
		if g, ok := pos[key{c.svc, in.areas[c.area].province}]; ok {
			groups[g].clients = append(groups[g].clients, k)
			groups[g].total += c.vol
		}
	}
	out := groups[:0]
	for _, g := range groups {
		if g.total > 0 {
			out = append(out, g)
		}
	}
	return out
}
