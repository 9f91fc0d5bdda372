package programme

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst"
)

// inst is a programme in index form: every ID resolved, every default
// filled, travel looked up, and the parameters of the model computed.
type inst struct {
	p *Problem
	r *gst.Region

	years   []int     // calendar years of the horizon, in order
	per     []period  // the periods
	perOf   []int     // period index of each year index
	disc    []float64 // discount factor of each year index
	baseYr  int
	svc     []svcInfo
	mods    []modInfo
	offers  []offerInfo
	sites   []siteInfo
	areas   []areaInfo
	dem     [][][]float64 // [service][area][year index]
	reach   [][][]reachEntry
	cats    []catInfo
	staff   []staffSite
	arcs    []arcInfo
	arrive  [][]int // [cat][period of hire] → period of arrival, -1 when beyond the horizon
	budgets [2][]float64
	hasBud  [2][]bool
	pool    PoolingRules // with defaults
	obj     Objective    // with defaults
}

type period struct {
	start, years, last int
	y0                 int // index of the first year
}

type svcInfo struct {
	team      []catReq
	id        gst.ServiceID
	rule      ServiceRule
	name      string
	unit      string
	standard  float64
	maxTravel float64
	trips     float64
	reach     int
	mods      []int // module indices
}

type catReq struct {
	cat int
	fte float64
}

type modInfo struct {
	m   Module
	svc int
	req []catReq
}

type offerInfo struct {
	svc, site int
	installed []int // per module of the service
	maxMods   []int // per module of the service
	openToday bool
	forceFrom int  // period from which the service must be open; -1: none
	forbid    bool // never open (or closed from forbidFrom when open today)
	forbidAt  int  // first period of the ban
}

type siteInfo struct {
	id        gst.EstablishmentID
	e         *gst.Establishment
	candidate bool
	openCost  float64
	offers    []int
	staff     int // staff site index
}

type areaInfo struct {
	id       gst.AreaID
	ai       int
	province gst.ProvinceID
	weight   float64 // 1 + DeprivationWeight × q
	deprived float64 // fraction of its people among the most-deprived 20% (gst.MostDeprived)
}

type reachEntry struct {
	off     int
	minutes float64
	km      float64
}

type catInfo struct {
	id       gst.CategoryID
	attr     float64
	recruit  float64
	recMAD   float64
	lead     int
	salary   float64
	hourCost float64 // salary per working hour
}

type staffSite struct {
	id     gst.EstablishmentID
	e      *gst.Establishment
	host   int         // site index, -1 for a lender only
	onroll [][]float64 // [cat][period]: existing staff on roll in the period's last year
	avail  [][]float64 // [cat][period]: existing staff free for modules or lending, in every year of the period
}

type arcInfo struct {
	cat      int
	from, to int // staff sites
	minutes  float64
	km       float64
	costYear float64 // MAD per FTE-year
}

const (
	capital = 0
	running = 1
)

// index resolves the problem. It assumes validate passed.
func index(ctx context.Context, p *Problem) (*inst, error) {
	in := &inst{p: p, r: p.Region}
	in.indexTime()
	in.indexDefaults()
	in.indexServices()
	in.indexCategories()
	if err := in.indexOffers(); err != nil {
		return nil, err
	}
	if err := in.indexAreas(); err != nil {
		return nil, err
	}
	if err := in.indexReach(ctx); err != nil {
		return nil, err
	}
	if err := in.indexStaff(ctx); err != nil {
		return nil, err
	}
	in.indexBudgets()
	return in, nil
}

func (in *inst) indexTime() {
	p := in.p
	for _, per := range p.Periods {
		n := max(per.Years, 1)
		in.per = append(in.per, period{start: per.Start, years: n, last: per.Start + n - 1, y0: len(in.years)})
		for y := per.Start; y < per.Start+n; y++ {
			in.years = append(in.years, y)
			in.perOf = append(in.perOf, len(in.per)-1)
		}
	}
	rate := p.Objective.DiscountRate
	for i := range in.years {
		in.disc = append(in.disc, math.Pow(1+rate, -float64(i)))
	}
	in.baseYr = p.BaseYear
	if in.baseYr == 0 {
		in.baseYr = in.years[0]
	}
}

func (in *inst) indexDefaults() {
	in.pool = in.p.Pooling
	if in.pool.MaxCommuteMinutes == 0 {
		in.pool.MaxCommuteMinutes = DefaultCommuteMinutes
	}
	if in.pool.Lenders == 0 {
		in.pool.Lenders = DefaultLenders
	}
	if in.pool.MaxAwayShare == 0 {
		in.pool.MaxAwayShare = DefaultAwayShare
	}
	if in.pool.SessionsPerFTE == 0 {
		in.pool.SessionsPerFTE = DefaultSessionsPerFTE
	}
	if in.pool.WeeksPerYear == 0 {
		in.pool.WeeksPerYear = DefaultWeeksPerYear
	}
	in.obj = in.p.Objective
	if in.obj.TravelMADPerHour == 0 {
		in.obj.TravelMADPerHour = DefaultTravelMADPerHour
	}
}

func (in *inst) indexServices() {
	for _, rule := range in.p.Services {
		s, _ := in.r.Service(rule.Service)
		si := svcInfo{id: rule.Service, rule: rule, name: s.Name, unit: s.Unit, standard: rule.StandardMinutes,
			maxTravel: rule.MaxTravel, trips: rule.TripsPerUnit, reach: rule.Reach}
		if si.standard == 0 {
			si.standard = s.StandardMinutes
		}
		if si.maxTravel == 0 {
			si.maxTravel = in.p.MaxTravel
		}
		if si.maxTravel == 0 && si.standard > 0 {
			si.maxTravel = DefaultMaxTravelFactor * si.standard
		}
		if si.trips == 0 {
			si.trips = DefaultTripsPerUnit
		}
		if si.reach == 0 {
			si.reach = DefaultReach
		}
		in.svc = append(in.svc, si)
	}
}

func (in *inst) svcIndex(id gst.ServiceID) int {
	for i := range in.svc {
		if in.svc[i].id == id {
			return i
		}
	}
	return -1
}

func (in *inst) catIndex(id gst.CategoryID) int {
	for i := range in.cats {
		if in.cats[i].id == id {
			return i
		}
	}
	return -1
}

// indexCategories lists the categories the modules need, sorted by ID,
// with their rules.
func (in *inst) indexCategories() {
	need := map[gst.CategoryID]bool{}
	for _, m := range in.p.Modules {
		for _, r := range m.Staff {
			need[r.Category] = true
		}
	}
	for _, s := range in.p.Services {
		for _, r := range s.Team {
			need[r.Category] = true
		}
	}
	rules := map[gst.CategoryID]CategoryRule{}
	for _, c := range in.p.Categories {
		rules[c.Category] = c
	}
	cats := append([]gst.Category(nil), in.r.Categories...)
	sort.Slice(cats, func(i, j int) bool { return cats[i].ID < cats[j].ID })
	for _, c := range cats {
		if !need[c.ID] {
			continue
		}
		rule := rules[c.ID]
		ci := catInfo{id: c.ID, attr: rule.AttritionRate, recruit: rule.RecruitPerYear, recMAD: rule.RecruitMAD,
			lead: rule.LeadTimeYears, salary: rule.SalaryMAD}
		if ci.salary == 0 {
			ci.salary = c.AnnualCost
		}
		if c.HoursPerYear > 0 {
			ci.hourCost = ci.salary / c.HoursPerYear
		}
		in.cats = append(in.cats, ci)
	}
	for s := range in.svc {
		for _, r := range in.svc[s].rule.Team {
			in.svc[s].team = append(in.svc[s].team, catReq{cat: in.catIndex(r.Category), fte: r.FTE})
		}
	}
	for i, m := range in.p.Modules {
		mi := modInfo{m: m, svc: in.svcIndex(m.Service)}
		for _, r := range m.Staff {
			mi.req = append(mi.req, catReq{cat: in.catIndex(r.Category), fte: r.FTE})
		}
		in.mods = append(in.mods, mi)
		in.svc[mi.svc].mods = append(in.svc[mi.svc].mods, i)
	}
	in.arrive = make([][]int, len(in.cats))
	for c := range in.cats {
		in.arrive[c] = make([]int, len(in.per))
		for p := range in.per {
			in.arrive[c][p] = -1
			for q := p; q < len(in.per); q++ {
				if in.per[q].start >= in.per[p].start+in.cats[c].lead {
					in.arrive[c][p] = q
					break
				}
			}
		}
	}
}

// eligible reports whether an establishment may offer a service by
// default.
func (in *inst) eligible(e *gst.Establishment, s *svcInfo) bool {
	if e.Ownership != gst.Public && !in.pool.IncludePrivate {
		return false
	}
	if svc, _ := in.r.Service(s.id); svc != nil && svc.MinLevel != 0 && e.Level < svc.MinLevel {
		return false
	}
	return !e.Candidate || e.OffersService(s.id)
}

// indexOffers lists the (site, service) pairs the programme may decide,
// sorted by establishment then service, with what is installed today.
func (in *inst) indexOffers() error {
	installed := in.installedCounts()
	siteOf := map[gst.EstablishmentID]int{}
	for i := range in.r.Establishments {
		e := &in.r.Establishments[i]
		for s := range in.svc {
			if !in.siteAllowed(e, &in.svc[s]) {
				continue
			}
			si, ok := siteOf[e.ID]
			if !ok {
				si = len(in.sites)
				siteOf[e.ID] = si
				in.sites = append(in.sites, siteInfo{id: e.ID, e: e, candidate: e.Candidate, openCost: e.OpenCost, staff: -1})
			}
			in.sites[si].offers = append(in.sites[si].offers, len(in.offers))
			in.offers = append(in.offers, in.newOffer(s, si, installed))
		}
	}
	in.sortOffers()
	return in.applyFixes()
}

func (in *inst) siteAllowed(e *gst.Establishment, s *svcInfo) bool {
	if len(s.rule.Sites) == 0 {
		return in.eligible(e, s)
	}
	for _, id := range s.rule.Sites {
		if id == e.ID {
			return true
		}
	}
	return false
}

// installedCounts returns the modules installed today by establishment and
// module, from Problem.Installed or the default rule.
func (in *inst) installedCounts() map[gst.EstablishmentID]map[ModuleID]int {
	out := map[gst.EstablishmentID]map[ModuleID]int{}
	add := func(e gst.EstablishmentID, m ModuleID, n int) {
		if out[e] == nil {
			out[e] = map[ModuleID]int{}
		}
		out[e][m] += n
	}
	if in.p.Installed != nil {
		for _, x := range in.p.Installed {
			add(x.Establishment, x.Module, x.Count)
		}
		return out
	}
	for i := range in.r.Establishments {
		e := &in.r.Establishments[i]
		if e.Candidate {
			continue
		}
		for s := range in.svc {
			o, ok := e.Offer(in.svc[s].id)
			if !ok || !in.siteAllowed(e, &in.svc[s]) {
				continue
			}
			m := in.mods[in.svc[s].mods[0]].m
			add(e.ID, m.ID, max(1, int(math.Ceil(o.Capacity/m.Capacity-1e-9))))
		}
	}
	return out
}

func (in *inst) newOffer(s, site int, installed map[gst.EstablishmentID]map[ModuleID]int) offerInfo {
	o := offerInfo{svc: s, site: site, forceFrom: -1}
	id := in.sites[site].id
	for _, mi := range in.svc[s].mods {
		m := in.mods[mi].m
		n := installed[id][m.ID]
		o.installed = append(o.installed, n)
		o.maxMods = append(o.maxMods, max(n, max(m.MaxPerSite, 1)))
		if n > 0 {
			o.openToday = true
		}
	}
	return o
}

// sortOffers orders the sites by establishment ID and each site's offers
// by service order, so that the model does not depend on input order.
func (in *inst) sortOffers() {
	order := make([]int, len(in.sites))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return in.sites[order[a]].id < in.sites[order[b]].id })
	sites := make([]siteInfo, len(in.sites))
	var offers []offerInfo
	for ni, oi := range order {
		s := in.sites[oi]
		old := s.offers
		sort.Slice(old, func(a, b int) bool { return in.offers[old[a]].svc < in.offers[old[b]].svc })
		s.offers = nil
		for _, o := range old {
			off := in.offers[o]
			off.site = ni
			s.offers = append(s.offers, len(offers))
			offers = append(offers, off)
		}
		sites[ni] = s
	}
	in.sites, in.offers = sites, offers
}

func (in *inst) offerAt(e gst.EstablishmentID, s gst.ServiceID) int {
	i := sort.Search(len(in.sites), func(i int) bool { return in.sites[i].id >= e })
	if i == len(in.sites) || in.sites[i].id != e {
		return -1
	}
	for _, o := range in.sites[i].offers {
		if in.svc[in.offers[o].svc].id == s {
			return o
		}
	}
	return -1
}

// periodOfYear returns the period holding a year (the first for 0).
func (in *inst) periodOfYear(y int) int {
	if y == 0 {
		return 0
	}
	return in.perOf[y-in.years[0]]
}

// firstPeriodFrom returns the first period that starts in or after year y
// (len(per) when none does).
func (in *inst) firstPeriodFrom(y int) int {
	for p := range in.per {
		if in.per[p].start >= y {
			return p
		}
	}
	return len(in.per)
}

func (in *inst) applyFixes() error {
	var ps gst.Problems
	for i, f := range in.p.Fix {
		o := in.offerAt(f.Establishment, f.Service)
		where := fmt.Sprintf("fix %d (%q, %q)", i+1, f.Establishment, f.Service)
		if o < 0 {
			ps.Addf(where, "Establishment", "%q may not offer %q (not an eligible site of the service)", f.Establishment, f.Service)
			continue
		}
		off := &in.offers[o]
		switch {
		case f.Open:
			off.forceFrom = in.periodOfYear(f.Year)
		case off.openToday && !in.svc[off.svc].rule.MayClose:
			ps.Addf(where, "Open", "the service is open today and may not close (ServiceRule.MayClose is false)")
		default:
			off.forbid, off.forbidAt = true, in.periodOfYear(f.Year)
		}
	}
	return ps.Err()
}

// indexAreas lists the areas with demand for a service of the programme,
// sorted by ID, with their deprivation weights and the demand
// of every year.
func (in *inst) indexAreas() error {
	byYear := map[int]*gst.DemandTable{}
	for _, d := range in.p.Demand {
		byYear[d.Year] = d.Table
	}
	q := gst.DeprivationRanks(in.r.Areas)
	deprived, err := gst.MostDeprived(in.r.Areas, 0.2)
	if err != nil {
		return err
	}
	order := make([]int, len(in.r.Areas))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return in.r.Areas[order[i]].ID < in.r.Areas[order[j]].ID })
	for _, ai := range order {
		a := &in.r.Areas[ai]
		any := false
		for s := range in.svc {
			for _, y := range in.years {
				if byYear[y].Volume(a.ID, in.svc[s].id) > 0 {
					any = true
				}
			}
		}
		if !any {
			continue
		}
		in.areas = append(in.areas, areaInfo{id: a.ID, ai: ai, province: a.Province,
			weight: 1 + in.obj.DeprivationWeight*q[ai], deprived: deprived[ai]})
	}
	in.dem = make([][][]float64, len(in.svc))
	for s := range in.svc {
		in.dem[s] = make([][]float64, len(in.areas))
		for a := range in.areas {
			in.dem[s][a] = make([]float64, len(in.years))
			for yi, y := range in.years {
				in.dem[s][a][yi] = byYear[y].Volume(in.areas[a].id, in.svc[s].id)
			}
		}
	}
	return nil
}

func (in *inst) indexBudgets() {
	for b, list := range [2][]YearMAD{in.p.CapitalBudget, in.p.RunningBudget} {
		in.budgets[b] = make([]float64, len(in.years))
		in.hasBud[b] = make([]bool, len(in.years))
		for _, y := range list {
			yi := y.Year - in.years[0]
			in.budgets[b][yi], in.hasBud[b][yi] = y.MAD, true
		}
	}
}

func sortedYears(set map[int]bool) []int {
	out := make([]int, 0, len(set))
	for y := range set {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}
