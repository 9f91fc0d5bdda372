package pool

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/parallel"
	"github.com/gstplan/gst/allocate/internal/travelpairs"
)

// inst is a validated pooling problem in index form.
type inst struct {
	p   *Problem
	opt Options
	// scale converts FTE into the units moves are counted in: sessions
	// for Sessions, FTE otherwise.
	scale    float64
	integral bool

	sites []siteInfo // sorted by ID
	cats  []catInfo  // sorted by ID
	cells []cellInfo // sorted by site then category
	// cellOf maps site*len(cats)+cat to a cell index, -1 when none.
	cellOf []int32
	// catCells lists the cells of each category, in cell order.
	catCells [][]int32
	teams    []teamInfo         // sorted by establishment then service
	pairs    []travelpairs.Pair // candidate moves between sites, sorted
	maxW     float64            // largest weight of a need or team

	globalCap float64 // Rules.MaxMovedFTE, 0 for none
	estBytes  int64
	maxMoves  int
}

type siteInfo struct {
	id       gst.EstablishmentID
	pt       gst.Point
	q        float64 // deprivation rank in [0, 1]
	public   bool
	hasSpare bool // some cell may send
	canShort bool // some cell may receive
}

type catInfo struct {
	id        gst.CategoryID
	commute   float64
	share     float64
	minStay   float64
	stayShare float64
	capFTE    float64 // 0: none
	priority  float64
	fixed     bool
	minuteMAD float64 // cost of one minute of this category's time
	perMove   float64 // fixed weekly cost of a move, MAD
	minMove   float64 // smallest move, FTE (0: none)
}

type cellInfo struct {
	site, cat int32
	roll      float64 // FTE on roll
	need      float64 // need row, FTE
	minFTE    float64
	priority  float64 // of the need row
	weight    float64 // priority × deprivation factor
	roles     float64 // FTE of team roles here
	floor     float64
	spare     float64 // FTE that may leave
	canShort  bool    // receiving may help
}

type roleInfo struct {
	cat  int32
	cell int32
	fte  float64
}

type teamInfo struct {
	site     int32
	service  gst.ServiceID
	weight   float64
	required bool
	roles    []roleInfo
	fte      float64 // Σ roles
}

func (in *inst) cell(site, cat int32) int32 {
	return in.cellOf[int(site)*len(in.cats)+int(cat)]
}

// resolveOptions fills the defaults and checks the options.
func resolveOptions(opt *Options, ps *gst.Problems) Options {
	var o Options
	if opt != nil {
		o = *opt
	}
	const where = "pool options"
	if o.Granularity < Continuous || o.Granularity > Posts {
		ps.Addf(where, "Granularity", "unknown granularity %d", int(o.Granularity))
	}
	if o.Method < Auto || o.Method > Heuristic {
		ps.Addf(where, "Method", "unknown method %d", int(o.Method))
	}
	if o.SessionsPerFTE == 0 {
		o.SessionsPerFTE = DefaultSessionsPerFTE
	}
	ps.CheckPositive(where, "SessionsPerFTE", o.SessionsPerFTE)
	ps.CheckNonNegative(where, "UnmetValueMAD", o.UnmetValueMAD)
	o.SolveOptions = o.SolveOptions.Resolve(ps, where)
	if o.MaxMIPColumns == 0 {
		o.MaxMIPColumns = DefaultMaxMIPColumns
	}
	if o.MaxMIPColumns < 0 {
		ps.Addf(where, "MaxMIPColumns", "negative limit %d", o.MaxMIPColumns)
	}
	o.Workers = parallel.Workers(ps, where, o.Workers)
	return o
}

// compile validates the problem and builds the instance. Every problem
// is reported at once. It reads in order: the options, the rules, the rows
// of the problem (check), then the categories, sites, teams and cells of
// the instance (index), and the candidate moves within the commute.
func compile(p *Problem, opt *Options) (*inst, error) {
	var ps gst.Problems
	o := resolveOptions(opt, &ps)
	if p == nil {
		ps.Add("pool problem", "", errors.New("nil problem"))
		return nil, ps.Err()
	}
	r := p.Region
	if r == nil {
		ps.Add("pool problem", "Region", errors.New("no region"))
		return nil, ps.Err()
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	in := &inst{p: p, opt: o, scale: 1}
	if o.Granularity == Sessions {
		in.scale = o.SessionsPerFTE
	}
	in.integral = o.Granularity != Continuous
	c := &compiler{p: p, r: r, ps: &ps, in: in}
	c.checkRules()
	c.checkNeed()
	c.checkTeams()
	c.checkCategoryRules()
	c.checkStaffRows()
	if err := ps.Err(); err != nil {
		return nil, err
	}
	c.indexCategories()
	c.indexSites()
	c.indexTeams()
	c.indexCells()
	if err := c.candidateMoves(); err != nil {
		return nil, err
	}
	return in, nil
}

// estCat is an establishment and a category.
type estCat struct {
	e gst.EstablishmentID
	c gst.CategoryID
}

// compiler holds what validating the problem finds, for building the
// instance.
type compiler struct {
	p  *Problem
	r  *gst.Region
	ps *gst.Problems
	in *inst

	ru       Rules // the rules with their defaults
	catSet   map[gst.CategoryID]bool
	needOf   map[estCat]*Need
	catRule  map[gst.CategoryID]*CategoryRule
	rollOver map[estCat]float64
	floorOf  map[estCat]float64
	catIx    map[gst.CategoryID]int32
	siteIx   map[gst.EstablishmentID]int32
	roleFTE  map[[2]int32]float64 // FTE of team roles by site and category
}

// checkRules checks the rules and the problem's other fields, filling the
// rules' defaults.
func (c *compiler) checkRules() {
	p, ps, in := c.p, c.ps, c.in
	ru := p.Rules
	const rw = "pool rules"
	if ru.MaxCommuteMinutes == 0 {
		ru.MaxCommuteMinutes = DefaultCommuteMinutes
	}
	ps.CheckPositive(rw, "MaxCommuteMinutes", ru.MaxCommuteMinutes)
	if ru.MaxAwayShare == 0 {
		ru.MaxAwayShare = DefaultAwayShare
	}
	checkShare(ps, rw, "MaxAwayShare", ru.MaxAwayShare)
	ps.CheckNonNegative(rw, "MinStayFTE", ru.MinStayFTE)
	ps.CheckFraction(rw, "MinStayShare", ru.MinStayShare)
	ps.CheckNonNegative(rw, "MaxMovedFTE", ru.MaxMovedFTE)
	if ru.MaxMoves < 0 {
		ps.Addf(rw, "MaxMoves", "negative cap %d", ru.MaxMoves)
	}
	ps.CheckNonNegative(rw, "DeprivationWeight", ru.DeprivationWeight)
	ps.CheckNonNegative(rw, "PerKmMAD", ru.PerKmMAD)
	ps.CheckNonNegative(rw, "PerSessionMAD", ru.PerSessionMAD)
	ps.CheckNonNegative(rw, "PerMoveMAD", ru.PerMoveMAD)
	checkMinMove(ps, rw, ru.MinMoveSessions)
	in.globalCap = ru.MaxMovedFTE
	in.maxMoves = ru.MaxMoves
	c.ru = ru
	p.TravelSource.Check(ps, "pool problem")
	if p.Catchment != nil {
		if err := p.Catchment.Validate(c.r); err != nil {
			ps.AddErr(fmt.Errorf("pool problem: Catchment: %w", err))
		}
	}
}

// estOK reports whether an establishment may take part, recording a
// problem if not: it exists, is not a candidate, and is public unless the
// rules include private ones.
func (c *compiler) estOK(where string, id gst.EstablishmentID) bool {
	e, ok := c.r.Establishment(id)
	if !ok {
		c.ps.Addf(where, "establishment", "unknown establishment %q", id)
		return false
	}
	if e.Candidate {
		c.ps.Addf(where, "establishment", "%q is a candidate site, which has no staff to pool", id)
		return false
	}
	if e.Ownership == gst.Private && !c.ru.IncludePrivate {
		c.ps.Addf(where, "establishment", "%q is private; set Rules.IncludePrivate to pool with private establishments", id)
		return false
	}
	return true
}

// catOK reports whether a category is known, recording a problem if not.
func (c *compiler) catOK(where string, id gst.CategoryID) bool {
	if _, ok := c.r.Category(id); !ok {
		c.ps.Addf(where, "category", "unknown category %q", id)
		return false
	}
	return true
}

// checkNeed checks the need rows; the categories pooled are those of the
// need and the teams.
func (c *compiler) checkNeed() {
	p, ps := c.p, c.ps
	c.catSet = map[gst.CategoryID]bool{}
	c.needOf = map[estCat]*Need{}
	for i := range p.Need {
		nd := &p.Need[i]
		where := fmt.Sprintf("pool need %d (establishment %q, category %q)", i, nd.Establishment, nd.Category)
		okE := c.estOK(where, nd.Establishment)
		okC := c.catOK(where, nd.Category)
		ps.CheckNonNegative(where, "FTE", nd.FTE)
		ps.CheckNonNegative(where, "SessionsPerWeek", nd.SessionsPerWeek)
		if nd.FTE > 0 && nd.SessionsPerWeek > 0 {
			ps.Addf(where, "SessionsPerWeek", "give the need in FTE or in sessions per week, not both")
		}
		ps.CheckNonNegative(where, "Priority", nd.Priority)
		ps.CheckNonNegative(where, "MinFTE", nd.MinFTE)
		if okE && okC {
			k := estCat{nd.Establishment, nd.Category}
			if c.needOf[k] != nil {
				ps.Addf(where, "", "second need row for the same establishment and category")
			}
			c.needOf[k] = nd
			c.catSet[nd.Category] = true
		}
	}
}

// checkTeams checks the teams and their roles.
func (c *compiler) checkTeams() {
	p, ps := c.p, c.ps
	type es struct {
		e gst.EstablishmentID
		s gst.ServiceID
	}
	teamSeen := map[es]bool{}
	for i := range p.Teams {
		t := &p.Teams[i]
		where := fmt.Sprintf("pool team %d (establishment %q, service %q)", i, t.Establishment, t.Service)
		okE := c.estOK(where, t.Establishment)
		if _, ok := c.r.Service(t.Service); !ok {
			ps.Addf(where, "service", "unknown service %q", t.Service)
		}
		if len(t.Roles) == 0 {
			ps.Addf(where, "roles", "a team needs at least one role")
		}
		ps.CheckNonNegative(where, "Priority", t.Priority)
		roleSeen := map[gst.CategoryID]bool{}
		for j, ro := range t.Roles {
			rwh := fmt.Sprintf("%s role %d", where, j)
			if c.catOK(rwh, ro.Category) {
				if roleSeen[ro.Category] {
					ps.Addf(rwh, "category", "category %q appears twice in the team", ro.Category)
				}
				roleSeen[ro.Category] = true
				c.catSet[ro.Category] = true
			}
			ps.CheckPositive(rwh, "FTE", ro.FTE)
		}
		if okE {
			if teamSeen[es{t.Establishment, t.Service}] {
				ps.Addf(where, "", "second team for the same establishment and service")
			}
			teamSeen[es{t.Establishment, t.Service}] = true
		}
	}
}

// checkCategoryRules checks the rules by category.
func (c *compiler) checkCategoryRules() {
	p, ps := c.p, c.ps
	c.catRule = map[gst.CategoryID]*CategoryRule{}
	for i := range p.Categories {
		cr := &p.Categories[i]
		where := fmt.Sprintf("pool category rule %d (category %q)", i, cr.Category)
		if c.catOK(where, cr.Category) {
			if c.catRule[cr.Category] != nil {
				ps.Addf(where, "", "second rule for the same category")
			}
			c.catRule[cr.Category] = cr
		}
		ps.CheckNonNegative(where, "MaxCommuteMinutes", cr.MaxCommuteMinutes)
		if cr.MaxAwayShare != 0 {
			checkShare(ps, where, "MaxAwayShare", cr.MaxAwayShare)
		}
		ps.CheckNonNegative(where, "MinStayFTE", cr.MinStayFTE)
		ps.CheckFraction(where, "MinStayShare", cr.MinStayShare)
		ps.CheckNonNegative(where, "MaxMovedFTE", cr.MaxMovedFTE)
		ps.CheckNonNegative(where, "Priority", cr.Priority)
		ps.CheckNonNegative(where, "PerMoveMAD", cr.PerMoveMAD)
		checkMinMove(ps, where, cr.MinMoveSessions)
	}
}

// maxMinMoveSessions bounds Rules.MinMoveSessions: a week has at most
// a few dozen sessions, so a larger minimum is a slip.
const maxMinMoveSessions = 1000

func checkMinMove(ps *gst.Problems, where string, n int) {
	if n < 0 || n > maxMinMoveSessions {
		ps.Addf(where, "MinMoveSessions", "%d sessions is not in [0, %d]", n, maxMinMoveSessions)
	}
}

// checkStaffRows checks the on-roll overrides and the floors.
func (c *compiler) checkStaffRows() {
	p, ps := c.p, c.ps
	c.rollOver = map[estCat]float64{}
	for i, f := range p.OnRoll {
		where := fmt.Sprintf("pool on-roll row %d (establishment %q, category %q)", i, f.Establishment, f.Category)
		okE := c.estOK(where, f.Establishment)
		okC := c.catOK(where, f.Category)
		ps.CheckNonNegative(where, "FTE", f.FTE)
		if okE && okC {
			if _, dup := c.rollOver[estCat{f.Establishment, f.Category}]; dup {
				ps.Addf(where, "", "second on-roll row for the same establishment and category")
			}
			c.rollOver[estCat{f.Establishment, f.Category}] = f.FTE
		}
	}
	c.floorOf = map[estCat]float64{}
	for i, f := range p.Floors {
		where := fmt.Sprintf("pool floor %d (establishment %q, category %q)", i, f.Establishment, f.Category)
		okE := c.estOK(where, f.Establishment)
		okC := c.catOK(where, f.Category)
		ps.CheckNonNegative(where, "FTE", f.FTE)
		if okE && okC {
			if _, dup := c.floorOf[estCat{f.Establishment, f.Category}]; dup {
				ps.Addf(where, "", "second floor for the same establishment and category")
			}
			c.floorOf[estCat{f.Establishment, f.Category}] = f.FTE
		}
	}
}

// indexCategories lists the categories pooled, sorted, with their rules.
func (c *compiler) indexCategories() {
	r, ru, in := c.r, c.ru, c.in
	catIDs := make([]string, 0, len(c.catSet))
	for cat := range c.catSet {
		catIDs = append(catIDs, string(cat))
	}
	sort.Strings(catIDs)
	c.catIx = map[gst.CategoryID]int32{}
	in.cats = make([]catInfo, len(catIDs))
	for i, id := range catIDs {
		cat, _ := r.Category(gst.CategoryID(id))
		ci := catInfo{id: cat.ID, commute: ru.MaxCommuteMinutes, share: ru.MaxAwayShare, minStay: ru.MinStayFTE,
			stayShare: ru.MinStayShare, priority: 1, perMove: ru.PerMoveMAD}
		minMove := ru.MinMoveSessions
		if cr := c.catRule[cat.ID]; cr != nil {
			if cr.MaxCommuteMinutes > 0 {
				ci.commute = cr.MaxCommuteMinutes
			}
			if cr.MaxAwayShare > 0 {
				ci.share = cr.MaxAwayShare
			}
			if cr.MinStayFTE > 0 {
				ci.minStay = cr.MinStayFTE
			}
			if cr.MinStayShare > 0 {
				ci.stayShare = cr.MinStayShare
			}
			ci.capFTE = cr.MaxMovedFTE
			if cr.Priority > 0 {
				ci.priority = cr.Priority
			}
			ci.fixed = cr.Fixed
			if cr.PerMoveMAD > 0 {
				ci.perMove = cr.PerMoveMAD
			}
			if cr.MinMoveSessions > 0 {
				minMove = cr.MinMoveSessions
			}
		}
		ci.minMove = float64(minMove) / c.in.opt.SessionsPerFTE
		if cat.AnnualCost > 0 {
			ci.minuteMAD = cat.AnnualCost / cat.HoursPerYear / 60
		}
		in.cats[i] = ci
		c.catIx[cat.ID] = int32(i)
	}
}

// indexSites lists the sites, sorted: establishments with need, a team, or
// staff of a pooled category.
func (c *compiler) indexSites() {
	p, r, in := c.p, c.r, c.in
	siteSet := map[gst.EstablishmentID]bool{}
	for k := range c.needOf {
		siteSet[k.e] = true
	}
	for _, t := range p.Teams {
		siteSet[t.Establishment] = true
	}
	for i := range r.Establishments {
		e := &r.Establishments[i]
		if e.Candidate || (e.Ownership == gst.Private && !c.ru.IncludePrivate) {
			continue
		}
		for _, s := range e.Staff {
			if c.catSet[s.Category] && s.FTE > 0 {
				siteSet[e.ID] = true
			}
		}
	}
	for k, v := range c.rollOver {
		if v > 0 && c.catSet[k.c] {
			siteSet[k.e] = true
		}
	}
	siteIDs := make([]string, 0, len(siteSet))
	for id := range siteSet {
		siteIDs = append(siteIDs, string(id))
	}
	sort.Strings(siteIDs)
	c.siteIx = map[gst.EstablishmentID]int32{}
	q := deprivationRanks(r, p.Catchment)
	in.sites = make([]siteInfo, len(siteIDs))
	for i, id := range siteIDs {
		e, _ := r.Establishment(gst.EstablishmentID(id))
		urban := false
		if a, ok := r.Area(e.Area); ok {
			urban = a.Urban
		}
		in.sites[i] = siteInfo{id: e.ID, pt: gst.Point{ID: id, Lat: e.Lat, Lon: e.Lon, Urban: urban},
			q: q[e.ID], public: e.Ownership == gst.Public}
		c.siteIx[e.ID] = int32(i)
	}
}

// indexTeams lists the teams, sorted by site then service, with the FTE
// their roles take at each site.
func (c *compiler) indexTeams() {
	in := c.in
	c.roleFTE = map[[2]int32]float64{}
	for _, t := range c.p.Teams {
		s := c.siteIx[t.Establishment]
		pr := t.Priority
		if pr == 0 {
			pr = 1
		}
		ti := teamInfo{site: s, service: t.Service, required: t.Required,
			weight: pr * (1 + c.ru.DeprivationWeight*in.sites[s].q)}
		for _, ro := range t.Roles {
			cat := c.catIx[ro.Category]
			ti.roles = append(ti.roles, roleInfo{cat: cat, fte: ro.FTE})
			ti.fte += ro.FTE
			c.roleFTE[[2]int32{s, cat}] += ro.FTE
		}
		sort.Slice(ti.roles, func(a, b int) bool { return ti.roles[a].cat < ti.roles[b].cat })
		in.teams = append(in.teams, ti)
	}
	sort.Slice(in.teams, func(a, b int) bool {
		ta, tb := in.teams[a], in.teams[b]
		if ta.site != tb.site {
			return ta.site < tb.site
		}
		return ta.service < tb.service
	})
}

// indexCells lists the cells, (site, category) pairs with staff, need or
// roles, with their floor and spare staff, and links the team roles to
// them.
func (c *compiler) indexCells() {
	r, in, o := c.r, c.in, c.in.opt
	nc := len(in.cats)
	in.cellOf = make([]int32, len(in.sites)*nc)
	for i := range in.cellOf {
		in.cellOf[i] = -1
	}
	for si := range in.sites {
		s := &in.sites[si]
		e, _ := r.Establishment(s.id)
		for ci := range in.cats {
			ct := &in.cats[ci]
			k := estCat{s.id, ct.id}
			roll, ok := c.rollOver[k]
			if !ok {
				roll = e.StaffFTE(ct.id)
			}
			var need, minFTE, prio float64
			prio = ct.priority
			if nd := c.needOf[k]; nd != nil {
				need = nd.FTE
				if nd.SessionsPerWeek > 0 {
					need = nd.SessionsPerWeek / o.SessionsPerFTE
				}
				minFTE = nd.MinFTE
				if nd.Priority > 0 {
					prio = nd.Priority
				}
			}
			roles := c.roleFTE[[2]int32{int32(si), int32(ci)}]
			if roll <= 0 && need <= 0 && minFTE <= 0 && roles <= 0 {
				continue
			}
			cl := cellInfo{site: int32(si), cat: int32(ci), roll: roll, need: need, minFTE: minFTE, priority: prio,
				weight: prio * (1 + c.ru.DeprivationWeight*s.q), roles: roles}
			c.staffRules(&cl, ct, k)
			if cl.spare > 0 {
				s.hasSpare = true
			}
			if cl.canShort {
				s.canShort = true
			}
			in.cellOf[si*nc+ci] = int32(len(in.cells))
			in.cells = append(in.cells, cl)
			in.maxW = math.Max(in.maxW, cl.weight)
		}
	}
	in.catCells = make([][]int32, nc)
	for i := range in.cells {
		cat := in.cells[i].cat
		in.catCells[cat] = append(in.catCells[cat], int32(i))
	}
	for ti := range in.teams {
		t := &in.teams[ti]
		for j := range t.roles {
			t.roles[j].cell = in.cell(t.site, t.roles[j].cat)
		}
		in.maxW = math.Max(in.maxW, t.weight)
	}
	if in.maxW == 0 {
		in.maxW = 1
	}
}

// staffRules sets a cell's floor (the safe staffing that stays), its spare
// staff (what may leave) and whether receiving may help it.
func (c *compiler) staffRules(cl *cellInfo, ct *catInfo, k estCat) {
	in := c.in
	cl.floor = math.Max(ct.minStay, ct.stayShare*(cl.need+cl.roles))
	if f, ok := c.floorOf[k]; ok {
		cl.floor = math.Max(cl.floor, f)
	}
	if !ct.fixed {
		cl.spare = math.Max(0, math.Min(cl.roll-cl.floor, ct.share*cl.roll))
		if in.integral {
			cl.spare = math.Floor(cl.spare*in.scale+1e-9) / in.scale
		}
	}
	// Receiving helps only when the staff left after sending every spare
	// FTE may fall short of a use.
	keep := cl.roll - cl.spare
	cl.canShort = keep < math.Max(cl.need+cl.roles, cl.minFTE)-1e-12
}

// candidateMoves finds the pairs of sites within the longest commute of a
// category that moves.
func (c *compiler) candidateMoves() error {
	in := c.in
	maxCommute := 0.0
	for _, ct := range in.cats {
		if !ct.fixed {
			maxCommute = math.Max(maxCommute, ct.commute)
		}
	}
	if maxCommute > 0 {
		pairs, err := travelpairs.Find(c.p.Region, c.p.TravelSource, in.pairSites(), maxCommute)
		if err != nil {
			return err
		}
		in.pairs = pairs
	}
	return nil
}

// pairSites returns the sites as the search for candidate moves sees
// them: homes that may send and hosts that may be short.
func (in *inst) pairSites() []travelpairs.Site {
	out := make([]travelpairs.Site, len(in.sites))
	for i := range in.sites {
		s := &in.sites[i]
		out[i] = travelpairs.Site{Point: s.pt, Sends: s.hasSpare, Receives: s.canShort}
	}
	return out
}

func checkShare(ps *gst.Problems, where, field string, v float64) {
	if math.IsNaN(v) || v <= 0 || v > 1 {
		ps.Addf(where, field, "%v is not in (0, 1]", v)
	}
}

// deprivationRanks returns the deprivation rank q in [0, 1] of every
// establishment: the mid-rank of the score of its area among the region's
// areas with a score, or with a catchment the mean over the people it
// serves. Establishments without a known score get 0.
func deprivationRanks(r *gst.Region, catchment *gst.Assignment) map[gst.EstablishmentID]float64 {
	ranks := gst.DeprivationRanks(r.Areas)
	out := map[gst.EstablishmentID]float64{}
	areaQ := func(id gst.AreaID) (float64, float64, bool) {
		i, ok := r.AreaIndex(id)
		if !ok || r.Areas[i].Deprivation == nil {
			return 0, 0, false
		}
		return ranks[i], r.Areas[i].Population, true
	}
	if catchment == nil {
		for i := range r.Establishments {
			e := &r.Establishments[i]
			if q, _, ok := areaQ(e.Area); ok {
				out[e.ID] = q
			}
		}
		return out
	}
	num := map[gst.EstablishmentID]float64{}
	den := map[gst.EstablishmentID]float64{}
	for _, row := range catchment.Rows() {
		q, pop, ok := areaQ(row.Area)
		if !ok {
			continue
		}
		num[row.Establishment] += q * pop * row.Share
		den[row.Establishment] += pop * row.Share
	}
	for id, d := range den {
		if d > 0 {
			out[id] = num[id] / d
		}
	}
	return out
}
