package pathway

import (
	"context"
	"errors"
	"fmt"
	"sort"

	gst "github.com/gstplan/gst"
)

// Plan is what an evaluation judges: where each area is served for each
// service, and the travel to get there.
type Plan struct {
	// Name labels the plan in results ("current", "proposal B"…).
	Name string
	// Assignment says where each area is served for each service, with
	// shares; shares summing below 1 leave the rest unserved. Required.
	Assignment *gst.Assignment
	// Travel holds the one-way legs from areas (origins) to establishments
	// (destinations). Nil means the legs of the region's Travel matrix
	// where it has the pair and estimated legs elsewhere (see Options;
	// the same legs as Travel returns, computed only for the pairs the
	// assignment uses). A pair without a leg is unreachable and reported as
	// such.
	Travel *gst.Matrix
}

// Evaluation judges a plan by whole pathways: the travel of every step,
// per episode and per year, by area, province, segment, setting,
// deprivation, care level and step, with the episodes beyond each step's
// access standard and the unserved and unreachable demand listed
// explicitly.
type Evaluation struct {
	// Plan is the plan's name.
	Plan string `json:"plan,omitempty"`
	// TripFactor is the number of one-way legs per in-person visit.
	TripFactor float64 `json:"trip_factor"`
	// Objective is the pathway-weighted travel of the plan, in minutes a
	// year: Total.TravelMinutes, which equals WeightedTravel of the set's
	// Flows.Weights under the same assignment and travel.
	Objective float64 `json:"objective"`
	// Total sums every pathway over the region.
	Total Figures `json:"total"`
	// Pathways and Steps are regional figures, in the set's order.
	Pathways []PathwayFigures `json:"pathways"`
	Steps    []StepResult     `json:"steps"`
	// Areas (sorted by ID), Provinces (sorted by ID; "" gathers areas
	// without a province), Segments (by dimension then name, each
	// dimension's remainder last), Settings ("rural", "urban") and
	// Deprivation ("most-deprived", "other", "unknown") break the figures
	// down by the people concerned. A segment receives its share of its
	// area's episodes, on the assumption that incidence does not differ
	// between segments.
	Areas       []Group `json:"areas"`
	Provinces   []Group `json:"provinces"`
	Segments    []Group `json:"segments"`
	Settings    []Group `json:"settings"`
	Deprivation []Group `json:"deprivation"`
	// Levels breaks the served demand down by the level of the
	// establishment that serves it, lowest first; unserved demand is in
	// no level.
	Levels []Group `json:"levels"`
	// Unserved lists, by area then service, the demand the assignment
	// sends nowhere; Unreachable lists, by area, service and
	// establishment, the demand sent where the travel matrix has no leg.
	Unserved    []UnservedRow    `json:"unserved"`
	Unreachable []UnreachableRow `json:"unreachable"`
	// Attribution carries the region's data sources and licences into
	// the report.
	Attribution []string `json:"attribution,omitempty"`
}

// Pathway returns the regional figures of a pathway.
func (e *Evaluation) Pathway(id PathwayID) (*PathwayFigures, bool) {
	for i := range e.Pathways {
		if e.Pathways[i].Pathway == id {
			return &e.Pathways[i], true
		}
	}
	return nil, false
}

// Step returns the regional figures of a step.
func (e *Evaluation) Step(p PathwayID, s StepID) (*StepResult, bool) {
	for i := range e.Steps {
		if e.Steps[i].Pathway == p && e.Steps[i].Step == s {
			return &e.Steps[i], true
		}
	}
	return nil, false
}

// Area returns the figures of an area.
func (e *Evaluation) Area(id gst.AreaID) (*Group, bool) { return findGroup(e.Areas, string(id)) }

// Province returns the figures of a province.
func (e *Evaluation) Province(id gst.ProvinceID) (*Group, bool) {
	return findGroup(e.Provinces, string(id))
}

func findGroup(gs []Group, key string) (*Group, bool) {
	i := sort.Search(len(gs), func(i int) bool { return gs[i].Key >= key })
	if i < len(gs) && gs[i].Key == key {
		return &gs[i], true
	}
	for i := range gs { // groups not sorted by key (segments, settings…)
		if gs[i].Key == key {
			return &gs[i], true
		}
	}
	return nil, false
}

// Travel returns the travel matrix an evaluation uses when a plan has
// none: from every area of the region (in order) to every establishment
// the assignment uses (sorted by ID; every establishment of the region
// when asg is nil). Legs come from the region's Travel matrix where it has
// the pair and, unless Options.NoEstimate, from Options.Estimator for the
// others; Options.Travel overrides both.
func Travel(ctx context.Context, r *gst.Region, asg *gst.Assignment, opt *Options) (*gst.Matrix, error) {
	var p gst.Problems
	opt.validateInto(&p)
	if r == nil {
		p.Add("region", "", errors.New("is nil"))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var to []string
	if asg == nil {
		to = r.EstablishmentIDs()
	} else {
		seen := map[gst.EstablishmentID]bool{}
		for _, a := range asg.Rows() {
			if !seen[a.Establishment] {
				seen[a.Establishment] = true
				to = append(to, string(a.Establishment))
			}
		}
		sort.Strings(to)
	}
	return opt.travel().Matrix(ctx, r, r.AreaIDs(), to)
}

// Evaluate judges a plan by whole pathways (see Evaluation and Figures
// for what is counted and how). It validates the region, the set against
// the region, the options and the plan's assignment against the region,
// and reports every problem at once (errors.Is(err, gst.ErrInvalid)
// holds). A cancelled context stops it with the context's error.
func Evaluate(ctx context.Context, r *gst.Region, set *Set, plan Plan, opt *Options) (*Evaluation, error) {
	c, err := compile(r, set, opt, func(p *gst.Problems) {
		checkPlan(p, r, plan, "plan")
	})
	if err != nil {
		return nil, err
	}
	return c.evaluate(ctx, plan, opt)
}

func checkPlan(p *gst.Problems, r *gst.Region, plan Plan, where string) {
	if plan.Name != "" {
		where = fmt.Sprintf("%s %q", where, plan.Name)
	}
	if plan.Travel != nil {
		if err := plan.Travel.CheckNotAllZero(); err != nil {
			p.Add(where, "travel", err)
		}
	}
	if plan.Assignment == nil {
		p.Add(where, "assignment", errors.New("is nil"))
		return
	}
	if r != nil {
		p.AddErr(plan.Assignment.Validate(r))
	}
}

// estRef is an establishment as the evaluation sees it.
type estRef struct {
	col   int // destination index of the leg source, -1 when absent
	level gst.Level
}

// accumulator holds the figures of n groups × (1 + pathways).
type accumulator struct {
	np  int
	fig []Figures
}

func newAccumulator(n, np int) accumulator {
	return accumulator{np: np, fig: make([]Figures, n*(np+1))}
}

func (a *accumulator) addScaled(g, pw int, c *Figures, k float64) {
	base := g * (a.np + 1)
	a.fig[base].addScaled(c, k)
	a.fig[base+1+pw].addScaled(c, k)
}

func (a *accumulator) groups(keys []string, pathways []cPathway) []Group {
	out := make([]Group, len(keys))
	for g, k := range keys {
		base := g * (a.np + 1)
		gr := Group{Key: k, Total: a.fig[base], Pathways: make([]PathwayFigures, a.np)}
		gr.Total.finish()
		for i := 0; i < a.np; i++ {
			f := a.fig[base+1+i]
			f.finish()
			gr.Pathways[i] = PathwayFigures{Pathway: pathways[i].pw.ID, Figures: f}
		}
		out[g] = gr
	}
	return out
}

// member says that an area belongs to a group with a weight (one, or a
// segment's share of the area's people).
type member struct {
	g int
	k float64
}

func (c *compiled) evaluate(ctx context.Context, plan Plan, opt *Options) (*Evaluation, error) {
	e, err := c.newEvaluator(plan, opt)
	if err != nil {
		return nil, err
	}
	for n, ai := range c.areas {
		if n%128 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("pathway: evaluation stopped: %w", err)
			}
		}
		e.area(n, ai)
	}
	e.assemble()
	return e.ev, nil
}

// evaluator holds the figures of an evaluation as it goes through the
// areas.
type evaluator struct {
	c     *compiled
	asg   *gst.Assignment
	legs  *legSource
	ests  map[gst.EstablishmentID]estRef // destination index and level
	g     *peopleGroups
	ev    *Evaluation
	trip  float64
	areaA accumulator // by area
	peopA accumulator // by group of people
	levlA accumulator // by care level
	stepF [][]Figures // by pathway and step
	below [][]float64 // episodes served below the step's level
	pathF []Figures   // by pathway

	unserved map[gst.ServiceID]int // index into ev.Unserved for the current area
	unreach  map[ueKey]int         // index into ev.Unreachable for the current area
}

// ueKey is a service and an establishment.
type ueKey struct {
	s gst.ServiceID
	e gst.EstablishmentID
}

func (c *compiled) newEvaluator(plan Plan, opt *Options) (*evaluator, error) {
	r := c.r
	legs, err := newLegSource(r, plan.Travel, opt)
	if err != nil {
		return nil, err
	}
	np := len(c.pathways)
	e := &evaluator{c: c, asg: plan.Assignment, legs: legs, trip: c.trip,
		ests: make(map[gst.EstablishmentID]estRef, len(r.Establishments)),
		g:    c.groupsOfPeople(opt), stepF: make([][]Figures, np), below: make([][]float64, np), pathF: make([]Figures, np),
		unserved: map[gst.ServiceID]int{}, unreach: map[ueKey]int{}}
	for i := range r.Establishments {
		est := &r.Establishments[i]
		e.ests[est.ID] = estRef{col: legs.col(est.ID), level: est.Level}
	}
	e.areaA = newAccumulator(len(c.areas), np)
	e.peopA = newAccumulator(len(e.g.keys), np)
	e.levlA = newAccumulator(len(gst.Levels), np)
	for i, cp := range c.pathways {
		e.stepF[i] = make([]Figures, len(cp.steps))
		e.below[i] = make([]float64, len(cp.steps))
	}
	e.ev = &Evaluation{Plan: plan.Name, TripFactor: c.trip, Attribution: append([]string(nil), r.Attribution...),
		Unserved: []UnservedRow{}, Unreachable: []UnreachableRow{}}
	return e, nil
}

// area adds the figures of every pathway and step of the n-th area (ai in
// the region).
func (e *evaluator) area(n, ai int) {
	c, ev := e.c, e.ev
	a := &c.r.Areas[ai]
	members := e.g.members[n]
	clear(e.unserved)
	clear(e.unreach)
	usStart, urStart := len(ev.Unserved), len(ev.Unreachable)
	for pi := range c.pathways {
		cp := &c.pathways[pi]
		_, eps := cp.episodes(a)
		// Each episode once for the groups of people and the pathway.
		ep := Figures{Episodes: eps}
		e.pathF[pi].add(&ep)
		e.areaA.addScaled(n, pi, &ep, 1)
		for _, mb := range members {
			e.peopA.addScaled(mb.g, pi, &ep, mb.k)
		}
		for si := range cp.steps {
			e.step(n, ai, pi, si, eps)
		}
	}
	sortArea(ev.Unserved[usStart:], ev.Unreachable[urStart:])
}

// stepTravel is the travel of a step of an area, by share of its demand.
type stepTravel struct {
	served, reached, beyond, minutes, km, lost float64
}

// step adds the figures of a step of a pathway in an area with eps
// episodes.
func (e *evaluator) step(n, ai, pi, si int, eps float64) {
	c, ev := e.c, e.ev
	a := &c.r.Areas[ai]
	cs := &c.pathways[pi].steps[si]
	stepEps := eps * cs.reach
	visits := stepEps * cs.st.VisitsPerEpisode
	inPerson := visits * cs.inPerson
	checks := cs.hasStd && cs.inPerson > 0
	t := e.allocations(ai, pi, si, stepEps, visits, inPerson, checks)
	unservedShare := 1 - t.served
	if unservedShare < gst.AssignmentTolerance {
		unservedShare = 0
	}
	contrib := Figures{
		Visits:             visits,
		InPersonVisits:     inPerson,
		TelemedicineVisits: visits - inPerson,
		UnservedVisits:     visits * unservedShare,
		UnreachableVisits:  inPerson * t.lost,
		AssessedVisits:     inPerson * t.reached,
		TravelMinutes:      inPerson * e.trip * t.minutes,
		TravelKm:           inPerson * e.trip * t.km,
	}
	if checks {
		contrib.CheckedEpisodes = stepEps * t.reached
		contrib.BeyondStandardEpisodes = stepEps * t.beyond
	}
	if unservedShare > 0 && visits > 0 {
		if i, seen := e.unserved[cs.st.Service]; seen {
			ev.Unserved[i].Visits += contrib.UnservedVisits
		} else {
			e.unserved[cs.st.Service] = len(ev.Unserved)
			ev.Unserved = append(ev.Unserved, UnservedRow{Area: a.ID, Service: cs.st.Service,
				Share: unservedShare, Visits: contrib.UnservedVisits})
		}
	}
	e.pathF[pi].add(&contrib)
	contrib.Episodes = stepEps
	e.stepF[pi][si].add(&contrib)
	contrib.Episodes = 0
	e.areaA.addScaled(n, pi, &contrib, 1)
	for _, mb := range e.g.members[n] {
		e.peopA.addScaled(mb.g, pi, &contrib, mb.k)
	}
}

// allocations follows the step's demand to the establishments the
// assignment sends it to: it adds each part to its care level, lists the
// pairs the travel cannot reach, and returns the travel by share.
func (e *evaluator) allocations(ai, pi, si int, stepEps, visits, inPerson float64, checks bool) stepTravel {
	c, ev, legs := e.c, e.ev, e.legs
	a := &c.r.Areas[ai]
	cs := &c.pathways[pi].steps[si]
	row := legs.row(ai)
	var t stepTravel
	for _, al := range e.asg.For(a.ID, cs.st.Service) {
		t.served += al.Share
		er := e.ests[al.Establishment]
		leg, ok := legs.leg(row, er.col)
		// The part of the step served at this establishment, for the
		// level breakdown.
		part := Figures{Episodes: stepEps * al.Share, Visits: visits * al.Share,
			InPersonVisits: inPerson * al.Share, TelemedicineVisits: (visits - inPerson) * al.Share}
		if ok {
			t.reached += al.Share
			t.minutes += al.Share * leg.Minutes
			t.km += al.Share * leg.Km
			part.AssessedVisits = inPerson * al.Share
			part.TravelMinutes = inPerson * e.trip * al.Share * leg.Minutes
			part.TravelKm = inPerson * e.trip * al.Share * leg.Km
			if checks {
				part.CheckedEpisodes = stepEps * al.Share
				if leg.Minutes > cs.std {
					t.beyond += al.Share
					part.BeyondStandardEpisodes = stepEps * al.Share
				}
			}
		} else {
			t.lost += al.Share
			part.UnreachableVisits = inPerson * al.Share
			if inPerson > 0 {
				k := ueKey{cs.st.Service, al.Establishment}
				if i, seen := e.unreach[k]; seen {
					ev.Unreachable[i].InPersonVisits += inPerson * al.Share
				} else {
					e.unreach[k] = len(ev.Unreachable)
					ev.Unreachable = append(ev.Unreachable, UnreachableRow{Area: a.ID, Service: cs.st.Service,
						Establishment: al.Establishment, Share: al.Share, InPersonVisits: inPerson * al.Share})
				}
			}
		}
		if lv := er.level; lv.Valid() {
			e.levlA.addScaled(int(lv)-1, pi, &part, 1)
			if lv < cs.st.Level {
				e.below[pi][si] += stepEps * al.Share
			}
		}
	}
	return t
}

// assemble gives the figures of each pathway and step, the total, and
// the groups by area, people and care level.
func (e *evaluator) assemble() {
	c, ev, r, g := e.c, e.ev, e.c.r, e.g
	for pi, cp := range c.pathways {
		f := e.pathF[pi]
		ev.Total.add(&f)
		f.finish()
		ev.Pathways = append(ev.Pathways, PathwayFigures{Pathway: cp.pw.ID, Figures: f})
		for si, cs := range cp.steps {
			sf := e.stepF[pi][si]
			sf.finish()
			std := 0.0
			if cs.hasStd {
				std = cs.std
			}
			ev.Steps = append(ev.Steps, StepResult{Pathway: cp.pw.ID, Step: cs.st.ID, Name: cs.st.Name,
				Service: cs.st.Service, Level: cs.st.Level, Reach: cs.reach,
				TelemedicineShare: cs.st.TelemedicineShare, StandardMinutes: std,
				BelowLevelEpisodes: e.below[pi][si], Figures: sf})
		}
	}
	ev.Total.finish()
	ev.Objective = ev.Total.TravelMinutes

	areaKeys := make([]string, len(c.areas))
	for n, ai := range c.areas {
		areaKeys[n] = string(r.Areas[ai].ID)
	}
	ev.Areas = e.areaA.groups(areaKeys, c.pathways)
	for n, ai := range c.areas {
		a := &r.Areas[ai]
		ev.Areas[n].Name, ev.Areas[n].Province, ev.Areas[n].Population = a.Name, a.Province, a.Population
	}
	people := e.peopA.groups(g.keys, c.pathways)
	for i := range people {
		people[i].Population = g.pop[i]
		people[i].Name = g.names[i]
	}
	ev.Provinces = people[g.provinces[0]:g.provinces[1]]
	ev.Segments = people[g.segments[0]:g.segments[1]]
	ev.Settings = people[g.settings[0]:g.settings[1]]
	ev.Deprivation = people[g.deprivation[0]:g.deprivation[1]]
	levelKeys := make([]string, len(gst.Levels))
	for i, l := range gst.Levels {
		levelKeys[i] = l.String()
	}
	ev.Levels = e.levlA.groups(levelKeys, c.pathways)
}

func sortArea(us []UnservedRow, ur []UnreachableRow) {
	sort.Slice(us, func(i, j int) bool { return us[i].Service < us[j].Service })
	sort.Slice(ur, func(i, j int) bool {
		if ur[i].Service != ur[j].Service {
			return ur[i].Service < ur[j].Service
		}
		return ur[i].Establishment < ur[j].Establishment
	})
}

// peopleGroups are the groups of people an evaluation reports: provinces,
// segments, settings and deprivation, in one key space, with each area's
// memberships (indexed like compiled.areas).
type peopleGroups struct {
	keys, names                                []string
	pop                                        []float64
	provinces, segments, settings, deprivation [2]int // [first, end) in keys
	members                                    [][]member
}

func (c *compiled) groupsOfPeople(opt *Options) *peopleGroups {
	r := c.r
	g := &peopleGroups{members: make([][]member, len(c.areas))}
	add := func(key, name string) int {
		g.keys = append(g.keys, key)
		g.names = append(g.names, name)
		g.pop = append(g.pop, 0)
		return len(g.keys) - 1
	}
	join := func(n, gi int, k float64, people float64) {
		g.members[n] = append(g.members[n], member{gi, k})
		g.pop[gi] += people
	}

	// Provinces, sorted by ID.
	provSet := map[gst.ProvinceID]bool{}
	for _, ai := range c.areas {
		provSet[r.Areas[ai].Province] = true
	}
	provs := make([]string, 0, len(provSet))
	for p := range provSet {
		provs = append(provs, string(p))
	}
	sort.Strings(provs)
	g.provinces[0] = len(g.keys)
	provIx := map[gst.ProvinceID]int{}
	for _, p := range provs {
		name := ""
		if pr, ok := r.Province(gst.ProvinceID(p)); ok {
			name = pr.Name
		}
		provIx[gst.ProvinceID(p)] = add(p, name)
	}
	g.provinces[1] = len(g.keys)
	for n, ai := range c.areas {
		a := &r.Areas[ai]
		join(n, provIx[a.Province], 1, a.Population)
	}

	// Segments: by dimension, names sorted, remainder last.
	g.segments[0] = len(g.keys)
	for _, d := range opt.dimensions(r) {
		nameSet := map[string]bool{}
		for _, ai := range c.areas {
			for _, s := range r.Areas[ai].Segments {
				if gst.SegmentDimension(s.Name) == d {
					nameSet[s.Name] = true
				}
			}
		}
		names := make([]string, 0, len(nameSet))
		for s := range nameSet {
			names = append(names, s)
		}
		sort.Strings(names)
		ix := map[string]int{}
		for _, s := range names {
			ix[s] = add(s, "")
		}
		rest := "(rest)"
		if d != "" {
			rest = d + "/(rest)"
		}
		restIx := add(rest, "")
		for n, ai := range c.areas {
			a := &r.Areas[ai]
			covered := 0.0
			for _, s := range a.Segments {
				if gst.SegmentDimension(s.Name) != d || a.Population <= 0 {
					continue
				}
				k := s.Population / a.Population
				covered += k
				join(n, ix[s.Name], k, s.Population)
			}
			if left := 1 - covered; left > 1e-12 {
				join(n, restIx, left, a.Population*left)
			}
		}
	}
	g.segments[1] = len(g.keys)

	// Settings.
	g.settings[0] = len(g.keys)
	rural, urban := add("rural", ""), add("urban", "")
	for n, ai := range c.areas {
		a := &r.Areas[ai]
		if a.Urban {
			join(n, urban, 1, a.Population)
		} else {
			join(n, rural, 1, a.Population)
		}
	}
	g.settings[1] = len(g.keys)

	// Deprivation: the most-deprived share of the people with a score (the
	// area at the boundary split between the groups), then the other
	// scored people, then unknown.
	g.deprivation[0] = len(g.keys)
	most, other, unknown := add("most-deprived", ""), add("other", ""), add("unknown", "")
	pos := make([]int, len(r.Areas)) // position of each area in c.areas
	for n, ai := range c.areas {
		pos[ai] = n
		if a := &r.Areas[ai]; a.Deprivation == nil {
			join(n, unknown, 1, a.Population)
		}
	}
	// The share is checked with the options, so MostDeprived cannot fail.
	deprived, _ := gst.MostDeprived(r.Areas, opt.mostDeprived())
	for _, ai := range gst.ByDeprivation(r.Areas) {
		f, pop := deprived[ai], r.Areas[ai].Population
		if f > 0 {
			join(pos[ai], most, f, f*pop)
		}
		if f < 1 {
			join(pos[ai], other, 1-f, (1-f)*pop)
		}
	}
	g.deprivation[1] = len(g.keys)
	return g
}
