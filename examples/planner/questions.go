package main

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/allocate/pool"
	"github.com/gstplan/gst/examples/internal/pilot"
	mdreport "github.com/gstplan/gst/examples/internal/report"
	"github.com/gstplan/gst/examples/internal/scenario"
)

// answer is a solved question, as the page shows it and the exports
// write it. Numbers that may be unknown are pointers: null in JSON.
type answer struct {
	Question string `json:"question"` // locate, pool or programme
	Region   string `json:"region"`
	// Title and Ask (the question in a sentence) are given in each
	// language, by language code.
	Title          map[string]string `json:"title"`
	Ask            map[string]string `json:"ask"`
	Status         string            `json:"status"`
	Value          *float64          `json:"value"`
	Bound          *float64          `json:"bound"`
	Gap            *float64          `json:"gap"`
	ValueUnit      string            `json:"value_unit"` // an i18n key
	Method         string            `json:"method"`
	ElapsedSeconds float64           `json:"elapsed_seconds"`
	Year           int               `json:"year,omitempty"`
	Population     float64           `json:"population"`
	// Figures are the key figures, before and after.
	Figures []figure `json:"figures"`
	// Groups are the travel figures of the region, each province and the
	// most-deprived 20% (locate).
	Groups []group `json:"groups,omitempty"`
	// Decisions are the sites the plan changes (locate) or the largest
	// moves (pool), with their reasons.
	Decisions []decision `json:"decisions"`
	// Areas give each area's travel today and with the plan to the map's
	// service (locate), for the map's shading; Sites the state of each
	// site in the plan.
	MapService gst.ServiceID `json:"map_service,omitempty"`
	Standard   float64       `json:"standard_minutes,omitempty"`
	Areas      []areaTravel  `json:"areas,omitempty"`
	Sites      []siteState   `json:"sites"`
	Moves      []move        `json:"moves,omitempty"`
	// Sweep is the best plan for 0, 1, …, N changes (locate): where the
	// gains stop.
	Sweep []sweepRow `json:"sweep,omitempty"`
	// Eligibility says which sites may serve each service and why
	// (locate); Travel how travel is computed; Warnings the places of the
	// region that look wrong (Region.Check).
	Eligibility []string `json:"eligibility,omitempty"`
	Travel      string   `json:"travel,omitempty"`
	Warnings    []string `json:"warnings,omitempty"`
	// Explain holds the planner's own remarks on the answer, by language
	// code; Notes the library's (in English).
	Explain map[string][]string `json:"explain,omitempty"`
	Notes   []string            `json:"notes,omitempty"`
	// Programme is the programme year by year (programme).
	Programme *programmeTable `json:"programme,omitempty"`
	// CapacityValues are the marginal values of capacity (locate, when
	// capacities bind).
	CapacityValues []allocate.CapacityValue `json:"capacity_values,omitempty"`
	Attribution    []string                 `json:"attribution,omitempty"`
}

// figure is one key figure before and after; Key names it in the
// dictionary, Unit too.
type figure struct {
	Key  string `json:"key"`
	Unit string `json:"unit"`
	// Label names what the figure is of (a service), when the key does
	// not say.
	Label  string   `json:"label,omitempty"`
	Before *float64 `json:"before"`
	After  *float64 `json:"after"`
}

// group is the travel of one group of people, today and with the plan.
type group struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	MeanBefore   *float64 `json:"mean_before"`
	MeanAfter    *float64 `json:"mean_after"`
	P90Before    *float64 `json:"p90_before"`
	P90After     *float64 `json:"p90_after"`
	BeyondBefore *float64 `json:"beyond_before"`
	BeyondAfter  *float64 `json:"beyond_after"`
}

// decision is one decision of the plan with its reason.
type decision struct {
	Site   gst.EstablishmentID `json:"site"`
	Label  string              `json:"label"`
	Change string              `json:"change"` // opens, closes, or a move
	Cost   float64             `json:"cost_mad,omitempty"`
	// Reverse is what reversing the decision would cost, in the value's
	// unit: the re-solve's difference when ReverseExact, else a proven
	// lower bound; nil when unknown. ReverseInfeasible is true when no
	// plan satisfies the rules with the decision reversed.
	Reverse           *float64 `json:"reverse"`
	ReverseExact      bool     `json:"reverse_exact,omitempty"`
	ReverseInfeasible bool     `json:"reverse_infeasible,omitempty"`
	// ReverseRange, for a re-solved decision of the programme, is where
	// the true cost of reversing it is proven to lie ([low, high]), from
	// the two solves' values and bounds: a range that holds zero means
	// the decision is not proven to be worth anything.
	ReverseRange []float64 `json:"reverse_range,omitempty"`
	// Year, Service and Modules describe a decision of the programme:
	// the modules opened, added or closed in that year.
	Year    int           `json:"year,omitempty"`
	Service gst.ServiceID `json:"service,omitempty"`
	Modules string        `json:"modules,omitempty"`
	// Category, FTE, From and Minutes describe a move of staff (pool).
	Category gst.CategoryID `json:"category,omitempty"`
	FTE      float64        `json:"fte,omitempty"`
	From     string         `json:"from,omitempty"`
	Minutes  float64        `json:"minutes,omitempty"`
}

type areaTravel struct {
	ID     gst.AreaID          `json:"id"`
	Before *float64            `json:"before"`
	After  *float64            `json:"after"`
	Site   gst.EstablishmentID `json:"site,omitempty"` // serving the area with the plan
	Demand float64             `json:"demand"`
}

type siteState struct {
	ID     gst.EstablishmentID `json:"id"`
	Today  bool                `json:"today"`
	Open   bool                `json:"open"`
	Change string              `json:"change"`
	// UnmetBefore and UnmetAfter are the FTE of unmet need (pool).
	UnmetBefore float64 `json:"unmet_before,omitempty"`
	UnmetAfter  float64 `json:"unmet_after,omitempty"`
}

// sweepRow is the best plan with at most Changes changes.
type sweepRow struct {
	Changes int      `json:"changes"`
	Opened  []string `json:"opened"`
	Closed  []string `json:"closed"`
	// Value is the objective (the answer's unit), Cost the opening and
	// closing costs in dirhams; Unserved the demand not served.
	Value    *float64 `json:"value"`
	Cost     *float64 `json:"cost_mad"`
	Unserved *float64 `json:"unserved"`
	Status   string   `json:"status"`
	Error    string   `json:"error,omitempty"`
}

type move struct {
	Category gst.CategoryID      `json:"category"`
	From     gst.EstablishmentID `json:"from"`
	To       gst.EstablishmentID `json:"to"`
	FTE      float64             `json:"fte"`
	Minutes  float64             `json:"minutes"`
	CostMAD  float64             `json:"cost_mad_per_week"`
}

// siteCostLimit bounds the re-solves that price the sites' decisions.
const siteCostLimit = 12

// solveJob answers a job's question.
func solveJob(ctx context.Context, j *job) (*answer, error) {
	switch j.Plan.Question {
	case scenario.QuestionPool:
		return solvePool(ctx, j)
	case scenario.QuestionProgramme:
		return solveProgramme(ctx, j)
	default:
		return solveLocate(ctx, j)
	}
}

func circuity(sc *scenario.Scenario) float64 {
	if sc.Circuity == 0 {
		return scenario.DefaultCircuity
	}
	return sc.Circuity
}

func solveLocate(ctx context.Context, j *job) (*answer, error) {
	lr, sc, pl := j.Region, j.Scenario, j.Plan
	m, err := lr.Travel(ctx, circuity(sc))
	if err != nil {
		return nil, err
	}
	opt := &allocate.Options{SolveOptions: gst.SolveOptions{TimeLimit: pl.TimeLimit, Progress: j.report}, SiteCosts: true, SiteCostLimit: siteCostLimit}
	res, err := scenario.Locate(ctx, scenario.Input{Region: lr.Region, RegionDir: lr.ID, Scenario: sc, Plan: pl, Travel: m, Options: opt, Program: "planner"})
	if err != nil {
		return nil, err
	}
	return locateAnswer(lr.ID, res), nil
}

// locateAnswer turns a solved location scenario into an answer.
func locateAnswer(region string, res *scenario.Result) *answer {
	d, p := res.Decision, res.Decision.Plan
	a := &answer{Question: scenario.QuestionLocate, Region: region, Title: map[string]string{}, Ask: map[string]string{}, Explain: map[string][]string{}, Status: p.Status.String(),
		Value: finite(p.Value), Bound: finite(p.Bound), Gap: finite(p.Gap), ValueUnit: "unit." + p.Objective.String(), Method: p.Method,
		ElapsedSeconds: p.Elapsed.Seconds(), Year: res.Year, Population: res.Population, MapService: d.Spec.MapService,
		Notes: append(append([]string(nil), res.Notes...), p.Notes...), CapacityValues: p.CapacityValues, Attribution: res.Attribution,
		Decisions: []decision{}, Eligibility: res.Eligibility, Travel: res.TravelSource.Short()}
	for _, w := range res.Warnings {
		a.Warnings = append(a.Warnings, w.String())
	}
	a.Sweep = sweepRows(res)
	svc := d.Spec.MapService
	svcName := scenario.ServiceNames(res.Region, d.Spec.Services)
	for _, lg := range []string{"en", "fr"} {
		a.Title[lg] = res.Scenario.Name
		if a.Title[lg] == "" {
			a.Title[lg] = fmt.Sprintf(tr(lg, "title.locate"), svcName, tr(lg, "obj."+p.Objective.String()))
		}
		a.Ask[lg] = fmt.Sprintf(tr(lg, "ask.locate"), svcName, scenario.OrID(res.Region.Name, region), tr(lg, "obj."+p.Objective.String()))
	}
	for _, ac := range res.Access {
		if ac.Service != svc {
			continue
		}
		g := group{ID: ac.Group, Name: ac.GroupName, MeanBefore: finite(ac.Before.Mean), MeanAfter: finite(ac.After.Mean),
			P90Before: finite(ac.Before.P90), P90After: finite(ac.After.P90), BeyondBefore: finite(ac.Before.BeyondShare), BeyondAfter: finite(ac.After.BeyondShare)}
		a.Groups = append(a.Groups, g)
		a.Standard = ac.Before.Standard
		if ac.Group == "region" {
			a.Figures = append(a.Figures,
				figure{Key: "fig.mean_travel", Unit: "unit.minutes", Before: g.MeanBefore, After: g.MeanAfter},
				figure{Key: "fig.p90_travel", Unit: "unit.minutes", Before: g.P90Before, After: g.P90After},
				figure{Key: "fig.max_travel", Unit: "unit.minutes", Before: finite(ac.Before.Max), After: finite(ac.After.Max)})
			if ac.Before.Standard > 0 {
				a.Figures = append(a.Figures, figure{Key: "fig.beyond_standard", Unit: "unit.share", Before: g.BeyondBefore, After: g.BeyondAfter})
			}
			a.Figures = append(a.Figures, figure{Key: "fig.unserved", Unit: "unit.demand", Before: finite(ac.Before.Unserved), After: finite(ac.After.Unserved)})
		}
	}
	open := float64(d.OpenToday + p.Opened - p.Closed)
	a.Figures = append(a.Figures,
		figure{Key: "fig.sites_open", Unit: "unit.sites", Before: finite(float64(d.OpenToday)), After: finite(open)},
		figure{Key: "fig.objective", Unit: a.ValueUnit, Before: finite(p.BeforeValue), After: finite(p.Value)},
		figure{Key: "fig.change_cost", Unit: "unit.mad", Before: finite(0), After: finite(p.ChangeCost)})
	// The map: each area's travel today and with the plan, and the site
	// serving it.
	before := pilot.AreaMinutes(res.After, res.Travel, res.Before, svc)
	after := pilot.AreaMinutes(res.After, res.Travel, res.AfterAsg, svc)
	for i, ar := range res.After.Areas {
		at := areaTravel{ID: ar.ID, Before: finite(before[i]), After: finite(after[i]), Demand: d.Spec.Demand.Volume(ar.ID, svc)}
		best := 0.0
		for _, al := range res.AfterAsg.For(ar.ID, svc) {
			if al.Share > best {
				best, at.Site = al.Share, al.Establishment
			}
		}
		a.Areas = append(a.Areas, at)
	}
	costs := map[gst.EstablishmentID]allocate.SiteCost{}
	for _, c := range p.SiteCosts {
		costs[c.Site] = c
	}
	for _, s := range p.Sites {
		a.Sites = append(a.Sites, siteState{ID: s.Site, Today: s.Today, Open: s.Open, Change: s.Change.String()})
		if s.Change != allocate.Opens && s.Change != allocate.Closes {
			continue
		}
		dc := decision{Site: s.Site, Label: siteLabel(res.After, s.Site), Change: s.Change.String(), Cost: s.Cost}
		if c, ok := costs[s.Site]; ok {
			sign := 1.0
			if p.Objective == allocate.MaxCoverage || p.Objective == allocate.BackupCoverage {
				sign = -1
			}
			switch {
			case c.Infeasible:
				dc.ReverseInfeasible = true
			case c.Resolved:
				dc.Reverse, dc.ReverseExact = finite(sign*c.Delta), true
			default:
				dc.Reverse = finite(math.Max(0, sign*(c.Bound-p.Value)))
			}
		}
		a.Decisions = append(a.Decisions, dc)
	}
	return a
}

// sweepRows lists the best plan for each number of changes.
func sweepRows(res *scenario.Result) []sweepRow {
	var out []sweepRow
	for _, st := range res.Sweep {
		row := sweepRow{Changes: st.MaxChanges, Opened: []string{}, Closed: []string{}, Error: st.Err}
		for _, r := range st.Opened {
			row.Opened = append(row.Opened, siteLabel(res.Region, r.ID))
		}
		for _, r := range st.Closed {
			row.Closed = append(row.Closed, siteLabel(res.Region, r.ID))
		}
		if p := st.Plan; p != nil {
			row.Value, row.Cost, row.Status = finite(p.Value), finite(p.ChangeCost), p.Status.String()
			unserved := 0.0
			for _, f := range p.After {
				unserved += f.Demand - f.Served
			}
			row.Unserved = finite(unserved)
		}
		out = append(out, row)
	}
	return out
}

// poolGranularity reads a scenario's granularity (checked before).
func poolGranularity(s string) pool.Granularity {
	switch strings.ToLower(s) {
	case "continuous":
		return pool.Continuous
	case "posts":
		return pool.Posts
	}
	return pool.Sessions
}

func solvePool(ctx context.Context, j *job) (*answer, error) {
	lr, sc, pl := j.Region, j.Scenario, j.Plan
	r := lr.Region
	before, err := lr.Network(ctx)
	if err != nil {
		return nil, err
	}
	year := sc.Year
	if year == 0 && len(r.Areas) > 0 {
		year = r.Areas[0].Year
	}
	need, err := pilot.StaffNeed(ctx, r, before, year)
	if err != nil {
		return nil, err
	}
	// The pilots' pooling question (their rules, move rules and value of
	// unmet need), with the scenario's commute, share away and unit.
	prob, opt, valueCat := pilot.PoolProblem(r, need, before, &gst.Estimator{Circuity: circuity(sc)}, nil)
	if pr := sc.Pool; pr != nil {
		if pr.CommuteMinutes > 0 {
			prob.Rules.MaxCommuteMinutes = pr.CommuteMinutes
		}
		if pr.AwayShare > 0 {
			prob.Rules.MaxAwayShare = pr.AwayShare
		}
		opt.Granularity = poolGranularity(pr.Granularity)
	}
	opt.TimeLimit, opt.Progress = pl.TimeLimit, j.report
	plan, err := pool.Solve(ctx, prob, opt)
	if err != nil {
		return nil, err
	}
	a := poolAnswer(lr.ID, r, year, plan, prob.Rules, opt.Granularity)
	if opt.UnmetValueMAD > 0 {
		for _, lg := range []string{"en", "fr"} {
			a.Explain[lg] = append(a.Explain[lg], fmt.Sprintf(tr(lg, "note.pool_value"), mdreport.Int(opt.UnmetValueMAD), valueCat, mdreport.Int(prob.Rules.PerMoveMAD), prob.Rules.MinMoveSessions))
		}
	}
	return a, nil
}

// poolUnit is the unit of a pooling plan's objective: weighted FTE of
// unmet need (lexicographic), or dirhams a week (unmet need valued).
func poolUnit(p *pool.Plan) string {
	if p.Lexicographic {
		return "unit.weighted_fte"
	}
	return "unit.mad_week"
}

// maxMoveDecisions is the number of moves listed as decisions.
const maxMoveDecisions = 15

func poolAnswer(region string, r *gst.Region, year int, plan *pool.Plan, rules pool.Rules, gran pool.Granularity) *answer {
	name := scenario.OrID(r.Name, region)
	a := &answer{Question: scenario.QuestionPool, Region: region, Title: map[string]string{}, Ask: map[string]string{}, Explain: map[string][]string{},
		Status: plan.Status.String(), Value: finite(plan.Objective), Bound: finite(plan.Bound), Gap: finite(plan.Gap), ValueUnit: poolUnit(plan),
		Method: plan.Method, ElapsedSeconds: plan.Elapsed.Seconds(), Year: year, Population: r.Population(), Notes: plan.Notes,
		Attribution: r.Attribution, Decisions: []decision{}}
	for _, lg := range []string{"en", "fr"} {
		a.Title[lg] = fmt.Sprintf(tr(lg, "title.pool"), name, rules.MaxCommuteMinutes, 100*rules.MaxAwayShare, tr(lg, "gran."+gran.String()))
		a.Ask[lg] = fmt.Sprintf(tr(lg, "ask.pool"), name)
	}
	b, f := plan.Before, plan.After
	a.Figures = []figure{
		{Key: "fig.need", Unit: "unit.fte", Before: finite(b.Need), After: finite(f.Need)},
		{Key: "fig.unmet", Unit: "unit.fte", Before: finite(b.Unmet), After: finite(f.Unmet)},
		{Key: "fig.weighted_unmet", Unit: "unit.weighted_fte", Before: finite(b.WeightedUnmet), After: finite(f.WeightedUnmet)},
		{Key: "fig.short_sites", Unit: "unit.pairs", Before: finite(float64(b.Short)), After: finite(float64(f.Short))},
		{Key: "fig.moves", Unit: "unit.moves", Before: finite(0), After: finite(float64(len(plan.Moves)))},
		{Key: "fig.moved_fte", Unit: "unit.fte", Before: finite(0), After: finite(f.MovedFTE)},
		{Key: "fig.travel_week", Unit: "unit.minutes_week", Before: finite(0), After: finite(f.TravelMinutesPerWeek)},
		{Key: "fig.cost_week", Unit: "unit.mad_week", Before: finite(0), After: finite(f.CostMADPerWeek)},
	}
	unmet := map[gst.EstablishmentID][2]float64{}
	for _, s := range plan.Sites {
		u := unmet[s.Establishment]
		u[0] += s.UnmetBefore
		u[1] += s.Unmet
		unmet[s.Establishment] = u
	}
	ids := make([]gst.EstablishmentID, 0, len(unmet))
	for id := range unmet {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		u := unmet[id]
		a.Sites = append(a.Sites, siteState{ID: id, Today: true, Open: true, Change: "stays", UnmetBefore: u[0], UnmetAfter: u[1]})
	}
	for _, m := range plan.Moves {
		a.Moves = append(a.Moves, move{Category: m.Category, From: m.From, To: m.To, FTE: m.FTE, Minutes: m.Minutes, CostMAD: m.CostMADPerWeek})
	}
	ms := append([]pool.Move(nil), plan.Moves...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].FTE > ms[j].FTE })
	for i, m := range ms {
		if i == maxMoveDecisions {
			break
		}
		a.Decisions = append(a.Decisions, decision{Site: m.To, Label: siteLabel(r, m.To), Change: "receives",
			Category: m.Category, FTE: m.FTE, From: siteLabel(r, m.From), Minutes: m.Minutes})
	}
	return a
}

// siteLabel names a site as written in the data (Arabic names in Arabic
// script: the page and the reports draw them), with its commune.
func siteLabel(r *gst.Region, id gst.EstablishmentID) string {
	ref := pilot.Ref(r, id)
	name := ref.Name
	if name == "" {
		name = string(id)
	}
	if ref.Commune != "" && !strings.Contains(name, ref.Commune) {
		name += " (" + ref.Commune + ")"
	}
	return name
}
