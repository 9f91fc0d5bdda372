package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/programme"
	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/examples/internal/scenario"
)

// programmeTable is the programme year by year, as the page and the
// exports show it.
type programmeTable struct {
	// Services are the services of the programme, in the order of the
	// figures of each year.
	Services []serviceName   `json:"services"`
	Years    []programmeYear `json:"years"`
	// SequentialValue is the value of the programme planned the old way
	// (locate first, staff afterwards), in the answer's unit.
	SequentialValue *float64 `json:"sequential_value"`
	// Assumptions are the figures of the problem with their basis.
	Assumptions []pilot.ProgrammeAssumption `json:"assumptions"`
}

type serviceName struct {
	ID   gst.ServiceID `json:"id"`
	Name string        `json:"name"`
}

// programmeYear is one year of the programme.
type programmeYear struct {
	Year int `json:"year"`
	// CapitalMAD and RunningMAD are the year's spend, the budgets what it
	// may spend (carry-over included); nil when unbounded.
	CapitalMAD       float64  `json:"capital_mad"`
	CapitalBudgetMAD *float64 `json:"capital_budget_mad"`
	RunningMAD       float64  `json:"running_mad"`
	RunningBudgetMAD *float64 `json:"running_budget_mad"`
	// Openings are the decisions taken this year.
	Openings []programmeOpening `json:"openings"`
	// Modules counts the modules open; StaffFTE the staff they need, and
	// OnRollFTE, PooledFTE and RecruitedFTE where it comes from.
	Modules      int     `json:"modules"`
	StaffFTE     float64 `json:"staff_fte"`
	OnRollFTE    float64 `json:"on_roll_fte"`
	PooledFTE    float64 `json:"pooled_fte"`
	RecruitedFTE float64 `json:"recruited_staff_fte"`
	// Recruits is the FTE recruited this year.
	Recruits float64 `json:"recruits_fte"`
	// Unserved and MeanMinutes are the share of demand left unserved and
	// the mean one-way travel of the demand served, by service.
	Unserved    []*float64 `json:"unserved_share"`
	MeanMinutes []*float64 `json:"mean_minutes"`
}

// programmeOpening is one decision of a year.
type programmeOpening struct {
	Site    gst.EstablishmentID `json:"site"`
	Label   string              `json:"label"`
	Service gst.ServiceID       `json:"service"`
	Action  string              `json:"action"` // open, enlarge or close
	Modules string              `json:"modules"`
}

// DefaultProgrammeTimeLimit is the programme question's time limit when
// the request gives none (within the server's largest): the pilots'
// programme takes 3 to 15 s here, about a minute with its decisions
// priced.
const DefaultProgrammeTimeLimit = 2 * time.Minute

// programmeDecisionCosts is the number of decisions priced when asked.
const programmeDecisionCosts = 4

// solveProgramme answers the programme question: the pilots' phased
// programme (pilot.ProgrammeProblem) for the job's region, with the
// scenario's budgets, horizon and node limit, solved as the pilots solve
// it (the sequential plan too, the pilots' gap).
func solveProgramme(ctx context.Context, j *job) (*answer, error) {
	lr, sc, pl := j.Region, j.Scenario, j.Plan
	before, err := lr.Network(ctx)
	if err != nil {
		return nil, err
	}
	var rules scenario.ProgrammeRules
	if sc.Programme != nil {
		rules = *sc.Programme
	}
	p, assumptions, err := pilot.ProgrammeProblem(ctx, pilot.ProgrammeInput{Region: lr.Region, Before: before,
		Estimator: &gst.Estimator{Circuity: circuity(sc)}, CapitalMAD: rules.CapitalMAD, RunningMAD: rules.RunningMAD, Years: rules.Years})
	if err != nil {
		return nil, err
	}
	opt := &programme.Options{Sequential: true, MaxNodes: rules.MaxNodes, DecisionCosts: rules.DecisionCosts, DecisionCostLimit: programmeDecisionCosts}
	if opt.MaxNodes == 0 {
		opt.MaxNodes = pilot.ProgrammeMaxNodes
	}
	opt.TimeLimit, opt.GapTolerance, opt.Progress = pl.TimeLimit, pilot.ProgrammeGap, j.report
	plan, err := programme.Solve(ctx, p, opt)
	if err != nil {
		return nil, err
	}
	return programmeAnswer(lr.ID, lr.Region, p, plan, assumptions), nil
}

// programmeAnswer turns a programme into an answer: the key figures of
// the first year today and the last year with the programme, the
// decisions with the cost of reversing them, and the table year by year.
func programmeAnswer(region string, r *gst.Region, p *programme.Problem, plan *programme.Plan, assumptions []pilot.ProgrammeAssumption) *answer {
	first, last := p.Periods[0].Start, p.Periods[len(p.Periods)-1].Start+p.Periods[len(p.Periods)-1].Years-1
	name := scenario.OrID(r.Name, region)
	a := &answer{Question: scenario.QuestionProgramme, Region: region, Title: map[string]string{}, Ask: map[string]string{}, Explain: map[string][]string{},
		Status: plan.Status.String(), Value: finite(plan.Value), Bound: finite(plan.Bound), Gap: finite(plan.Gap), ValueUnit: "unit.mad_discounted",
		Method: plan.Method, ElapsedSeconds: plan.Elapsed.Seconds(), Year: first, Population: r.Population(), Notes: plan.Notes,
		Attribution: r.Attribution, Decisions: []decision{}}
	for _, lg := range []string{"en", "fr"} {
		a.Title[lg] = fmt.Sprintf(tr(lg, "title.programme"), first, last, name)
		a.Ask[lg] = fmt.Sprintf(tr(lg, "ask.programme"), name, first, last)
		a.Explain[lg] = append(a.Explain[lg], fmt.Sprintf(tr(lg, "note.programme"), first, last))
	}
	t := &programmeTable{Assumptions: assumptions, Years: []programmeYear{}}
	if plan.SequentialValue != nil {
		t.SequentialValue = finite(*plan.SequentialValue)
	}
	for _, s := range p.Services {
		sn := serviceName{ID: s.Service, Name: string(s.Service)}
		if svc, ok := r.Service(s.Service); ok && svc.Name != "" {
			// "Caesarean section (comprehensive emergency obstetric
			// care)": the name before its gloss, for the table's heads.
			sn.Name, _, _ = strings.Cut(svc.Name, " (")
		}
		t.Services = append(t.Services, sn)
	}
	for _, y := range plan.Years {
		t.Years = append(t.Years, programmeYearOf(r, y, t.Services))
	}
	a.Programme = t
	a.Figures = programmeFigures(plan, t)
	a.Decisions, a.Sites = programmeDecisions(r, p, plan)
	return a
}

// programmeYearOf sums up one year of the programme.
func programmeYearOf(r *gst.Region, y programme.Year, services []serviceName) programmeYear {
	py := programmeYear{Year: y.Year, CapitalMAD: y.CapitalMAD, CapitalBudgetMAD: y.CapitalBudgetMAD, RunningMAD: y.RunningMAD,
		RunningBudgetMAD: y.RunningBudgetMAD, Openings: []programmeOpening{}}
	for _, o := range y.Openings {
		py.Openings = append(py.Openings, programmeOpening{Site: o.Establishment, Label: siteLabel(r, o.Establishment), Service: o.Service,
			Action: o.Action, Modules: modulesText(o.ByModule)})
	}
	seen := map[string]bool{}
	for _, s := range y.Staffing {
		if k := string(s.Establishment) + "\x00" + string(s.Service); !seen[k] {
			seen[k] = true
			py.Modules += s.Modules
		}
		py.StaffFTE += s.RequiredFTE
		for _, as := range s.Assigned {
			switch as.Source {
			case programme.SourceOnRoll:
				py.OnRollFTE += as.FTE
			case programme.SourcePooled:
				py.PooledFTE += as.FTE
			case programme.SourceRecruited:
				py.RecruitedFTE += as.FTE
			}
		}
	}
	for _, rc := range y.Recruited {
		py.Recruits += rc.FTE
	}
	for _, s := range services {
		var un, mean *float64
		for _, f := range y.Figures {
			if f.Service == s.ID {
				un, mean = finite(f.UnservedShare), finite(f.MeanMinutes)
			}
		}
		py.Unserved = append(py.Unserved, un)
		py.MeanMinutes = append(py.MeanMinutes, mean)
	}
	return py
}

func modulesText(ms []programme.ModuleCount) string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%d × %s", m.Count, m.Module))
	}
	return strings.Join(out, ", ")
}

// programmeFigures are the key figures: each service's unserved share and
// mean travel in the first year with today's modules and in the last year
// with the programme, and the programme's totals.
func programmeFigures(plan *programme.Plan, t *programmeTable) []figure {
	var out []figure
	var last programme.Year
	if len(plan.Years) > 0 {
		last = plan.Years[len(plan.Years)-1]
	}
	for _, s := range t.Services {
		var today, after programme.Figures
		for _, f := range plan.Today {
			if f.Service == s.ID {
				today = f
			}
		}
		for _, f := range last.Figures {
			if f.Service == s.ID {
				after = f
			}
		}
		out = append(out,
			figure{Key: "fig.unserved_share", Unit: "unit.share", Label: s.Name, Before: finite(today.UnservedShare), After: finite(after.UnservedShare)},
			figure{Key: "fig.mean_travel", Unit: "unit.minutes", Label: s.Name, Before: finite(today.MeanMinutes), After: finite(after.MeanMinutes)},
			figure{Key: "fig.capacity", Unit: "unit.per_year", Label: s.Name, Before: finite(today.Capacity), After: finite(after.Capacity)})
	}
	openings, capital, running, recruits := 0, 0.0, 0.0, 0.0
	for _, y := range t.Years {
		openings += len(y.Openings)
		capital += y.CapitalMAD
		running += y.RunningMAD
		recruits += y.Recruits
	}
	out = append(out,
		figure{Key: "fig.decisions", Unit: "unit.decisions", Before: finite(0), After: finite(float64(openings))},
		figure{Key: "fig.recruits", Unit: "unit.fte", Before: finite(0), After: finite(recruits)},
		figure{Key: "fig.capital", Unit: "unit.mad", Before: finite(0), After: finite(capital)},
		figure{Key: "fig.running", Unit: "unit.mad", Before: finite(0), After: finite(running)})
	if t.SequentialValue != nil {
		out = append(out, figure{Key: "fig.sequential", Unit: "unit.mad_discounted", Before: t.SequentialValue, After: finite(plan.Value)})
	}
	return out
}

// programmeDecisions lists the programme's decisions in year order with
// the cost of reversing each (when priced), the decisions not taken that
// were priced, and the state of every site that offers a service of the
// programme, today or in it.
func programmeDecisions(r *gst.Region, p *programme.Problem, plan *programme.Plan) ([]decision, []siteState) {
	costs := map[string]programme.DecisionCost{}
	for _, c := range plan.DecisionCosts {
		costs[c.Reverse+"\x00"+string(c.Establishment)+"\x00"+string(c.Service)] = c
	}
	priced := func(d *decision, c programme.DecisionCost, ok bool) {
		switch {
		case !ok || c.Unsolved:
		case c.Infeasible:
			d.ReverseInfeasible = true
		default:
			// The re-solve's difference, whatever its status: not a
			// bound (the range is what its values and bounds prove).
			d.Reverse, d.ReverseExact = finite(c.Delta), true
			if lo, hi := finite(c.DeltaLow), finite(c.DeltaHigh); lo != nil && hi != nil {
				d.ReverseRange = []float64{*lo, *hi}
			}
		}
	}
	out := []decision{}
	change := map[gst.EstablishmentID]string{}
	for _, y := range plan.Years {
		for _, o := range y.Openings {
			d := decision{Site: o.Establishment, Label: siteLabel(r, o.Establishment), Change: "programme." + o.Action, Year: y.Year,
				Service: o.Service, Modules: modulesText(o.ByModule)}
			c, ok := costs["forbid\x00"+string(o.Establishment)+"\x00"+string(o.Service)]
			priced(&d, c, ok)
			out = append(out, d)
			if change[o.Establishment] != "closes" {
				change[o.Establishment] = map[string]string{programme.ActionOpen: "opens", programme.ActionEnlarge: "enlarges", programme.ActionClose: "closes"}[o.Action]
			}
		}
	}
	for _, c := range plan.DecisionCosts {
		if c.Reverse == "force" {
			d := decision{Site: c.Establishment, Label: siteLabel(r, c.Establishment), Change: "programme.not_opened", Service: c.Service}
			priced(&d, c, true)
			out = append(out, d)
		}
	}
	// Sites: those with modules today or in the last year, and those the
	// programme changes.
	today, open := map[gst.EstablishmentID]bool{}, map[gst.EstablishmentID]bool{}
	for _, in := range p.Installed {
		today[in.Establishment] = in.Count > 0
	}
	if len(plan.Years) > 0 {
		for _, s := range plan.Years[len(plan.Years)-1].Staffing {
			open[s.Establishment] = true
		}
	}
	ids := map[gst.EstablishmentID]bool{}
	for _, m := range []map[gst.EstablishmentID]bool{today, open} {
		for id := range m {
			ids[id] = true
		}
	}
	for id := range change {
		ids[id] = true
	}
	var sites []siteState
	for id := range ids {
		ch := change[id]
		if ch == "" {
			ch = "stays"
		}
		sites = append(sites, siteState{ID: id, Today: today[id], Open: open[id], Change: ch})
	}
	sort.Slice(sites, func(i, j int) bool { return sites[i].ID < sites[j].ID })
	return out, sites
}
