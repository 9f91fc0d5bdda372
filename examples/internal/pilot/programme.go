package pilot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/programme"
	"github.com/gstplan/gst/capacity"
	"github.com/gstplan/gst/examples/internal/report"
)

// The phased programme of the pilots: caesarean capacity and haemodialysis
// together, 2026–2035 in the reform's three phases (consolidate the pilots
// in 1–2 years, extend in 3–5, generalise in 5–10). Every figure below is
// a planning assumption unless its comment gives a source; the report
// prints them with their labels.
var programmePeriods = []programme.Period{{Start: 2026, Years: 2}, {Start: 2028, Years: 3}, {Start: 2031, Years: 5}}

// ProgrammeAssumption is a figure of the programme with its basis.
type ProgrammeAssumption struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Basis string `json:"basis"`
	// Assumption is false for a sourced figure.
	Assumption bool `json:"assumption"`
}

// Programme is the phased programme step.
type Programme struct {
	// Available is false when the step could not run; Note says why.
	Available bool   `json:"available"`
	Note      string `json:"note,omitempty"`
	// Assumptions lists the figures of the problem with their basis.
	Assumptions []ProgrammeAssumption `json:"assumptions"`
	// Plan is the programme; nil when the step could not run.
	Plan *programme.Plan `json:"-"`
	// Seconds is the wall time of the solve, every explanation included.
	Seconds float64 `json:"-"`
}

// Working hours available to one FTE a year under WorkingTime: 260 days
// less holidays and leave, 7.5 hours a day.
func availableHours() float64 {
	w := WorkingTime
	return (w.WorkingDays - w.PublicHolidays - w.AnnualLeave - w.SickLeave - w.OtherLeave) * w.HoursPerDay
}

// caesareanLine is a caesarean theatre line: what one theatre with its
// recovery beds performs a year, staffed at the WISN standards of
// Standards (an obstetrician 120 minutes and an anaesthetist 75 minutes a
// caesarean, with their category allowances of 20% and 15%).
func caesareanLine() programme.Module {
	const cases = 300.0
	h := availableHours()
	return programme.Module{ID: "caesarean-line", Name: "caesarean theatre line (300 caesareans a year)", Service: "caesarean",
		Capacity: cases, CapitalMAD: 12e6, RunningMAD: 1.5e6, MaxPerSite: 3,
		Staff: []programme.Requirement{
			{Category: "obgyn", FTE: report.Round(cases*120/60/h/(1-0.20), 2)},
			{Category: "anaesthetist", FTE: report.Round(cases*75/60/h/(1-0.15), 2)},
		}}
}

// dialysisUnit is a haemodialysis unit of ten stations at 624 sessions a
// station a year (two shifts six days a week: examples/data/README.md
// [A8]).
func dialysisUnit() programme.Module {
	return programme.Module{ID: "dialysis-unit", Name: "haemodialysis unit (10 stations, 6,240 sessions a year)", Service: "dialysis",
		Capacity: 6240, CapitalMAD: 6e6, RunningMAD: 3.1e6, MaxPerSite: 3,
		Staff: []programme.Requirement{{Category: "specialist-other", FTE: 1}, {Category: "nurse", FTE: 5}}}
}

// onCallFTE is the FTE the on-call cover of a hospital with caesarean
// capacity takes (OnCallShare of the hours outside the working week).
func onCallFTE() float64 {
	return report.Round(OnCallShare*HoursOutsideWorkingTime/availableHours(), 2)
}

// programmeCategories are the staff rules: attrition, the recruits the
// region can hire a year and their cost.
var programmeCategories = []programme.CategoryRule{
	{Category: "obgyn", AttritionRate: 0.03, RecruitPerYear: 8, RecruitMAD: 30000},
	{Category: "anaesthetist", AttritionRate: 0.03, RecruitPerYear: 6, RecruitMAD: 30000},
	{Category: "specialist-other", AttritionRate: 0.03, RecruitPerYear: 6, RecruitMAD: 30000},
	{Category: "nurse", AttritionRate: 0.03, RecruitPerYear: 120, RecruitMAD: 15000},
}

// Budgets a year, unserved costs and the share of other specialists free
// for dialysis.
const (
	programmeCapitalMAD = 120e6
	programmeRunningMAD = 45e6
	unservedCaesarean   = 8000.0
	unservedDialysis    = 850.0
	specialistFreeShare = 0.1
	closeCaesareanMAD   = 2e6
	programmePerKmMAD   = 2.5
)

// ProgrammeFrontier are the budget levels of the frontier.
var ProgrammeFrontier = []float64{0.5, 1.5, 2}

// programmeAssumptions lists the figures above for the report.
func programmeAssumptions() []ProgrammeAssumption {
	cs, hd := caesareanLine(), dialysisUnit()
	a := func(name, value, basis string) ProgrammeAssumption {
		return ProgrammeAssumption{Name: name, Value: value, Basis: basis, Assumption: true}
	}
	return []ProgrammeAssumption{
		a("Phases", "2026–2027, 2028–2030, 2031–2035", "the reform's steps: consolidate the pilots in 1–2 years, extend in 3–5, generalise in 5–10"),
		a("Caesarean theatre line", fmt.Sprintf("%s caesareans a year; %s M MAD to build, %s M MAD a year to run; up to %d a site; %s FTE obstetrician and %s FTE anaesthetist",
			num(cs.Capacity), dec(cs.CapitalMAD/1e6, 1), dec(cs.RunningMAD/1e6, 1), cs.MaxPerSite, dec(cs.Staff[0].FTE, 2), dec(cs.Staff[1].FTE, 2)),
			"staff from the WISN standards of this report (120 and 75 minutes a caesarean, allowances 20% and 15%); costs assumed"),
		a("Caesarean on-call team", fmt.Sprintf("%s FTE obstetrician and %s FTE anaesthetist at every hospital offering caesareans", dec(onCallFTE(), 2), dec(onCallFTE(), 2)),
			"the WISN on-call allowance of this report: a quarter of the hours outside the working week"),
		a("Haemodialysis unit", fmt.Sprintf("10 stations, %s sessions a year; %s M MAD to build, %s M MAD a year to run; up to %d a site; 1 FTE specialist and 5 FTE nurses",
			num(hd.Capacity), dec(hd.CapitalMAD/1e6, 1), dec(hd.RunningMAD/1e6, 1), hd.MaxPerSite), "624 sessions a station [A8]; costs and staff assumed"),
		a("Nephrologists", fmt.Sprintf("%s of the other medical specialists on roll are free for dialysis", pct(specialistFreeShare, 0)), "the data has no nephrology cadre"),
		a("Closing caesarean care", fmt.Sprintf("a hospital may stop caesarean sections (its births then go elsewhere), at %s M MAD to redeploy its team and theatre", dec(closeCaesareanMAD/1e6, 1)),
			"the GST's lever of transferring activity between establishments"),
		a("Staff committed to other work", "the WISN need of every cadre without the caesarean workload and on-call cover", "the programme staffs those; the rest of the need stays with the establishment"),
		a("Attrition", "3% of staff on roll a year", "retirements and departures"),
		a("Recruits a year", "8 obstetricians, 6 anaesthetists, 6 specialists, 120 nurses, at 30,000 MAD (15,000 for nurses) each", "the region's share of training output"),
		a("Budgets", fmt.Sprintf("%s M MAD of capital and %s M MAD of running spend a year, unspent money carried over", num(programmeCapitalMAD/1e6), num(programmeRunningMAD/1e6)),
			"running spend is what the programme adds: modules beyond today's, recruits' salaries, pooling"),
		a("Demand left unserved", fmt.Sprintf("%s MAD a caesarean, %s MAD a dialysis session", num(unservedCaesarean), num(unservedDialysis)), "what buying it from a private provider costs"),
		a("Patient travel", fmt.Sprintf("%s MAD an hour of one-way travel, two trips a case or session", dec(programme.DefaultTravelMADPerHour, 0)), "about the hourly minimum wage"),
		a("Pooling", fmt.Sprintf("within %s minutes, at most half of a cadre's time, %s MAD a km driven, and the time on the road paid", num(PoolCommuteMinutes), dec(programmePerKmMAD, 1)), "as the staff pooling step"),
	}
}

// programmeProblem builds the programme of the region: demand of every
// year projected from the census, today's capacity in modules, the staff
// committed to other work.
func (res *Result) programmeProblem(ctx context.Context) (*programme.Problem, error) {
	r := res.Region
	for _, s := range []gst.ServiceID{"caesarean", "dialysis"} {
		if _, ok := r.Service(s); !ok {
			return nil, fmt.Errorf("the region has no service %q", s)
		}
	}
	demand, err := res.yearlyDemand(programmePeriods, []gst.ServiceID{"caesarean", "dialysis"})
	if err != nil {
		return nil, err
	}
	committed, err := res.committedStaff(ctx)
	if err != nil {
		return nil, err
	}
	p := &programme.Problem{
		Region: r, Periods: programmePeriods, Demand: demand,
		Services: []programme.ServiceRule{
			{Service: "caesarean", UnservedMAD: unservedCaesarean, MayClose: true, CloseMAD: closeCaesareanMAD,
				Team: []programme.Requirement{{Category: "obgyn", FTE: onCallFTE()}, {Category: "anaesthetist", FTE: onCallFTE()}}},
			{Service: "dialysis", UnservedMAD: unservedDialysis},
		},
		Modules:    []programme.Module{caesareanLine(), dialysisUnit()},
		Installed:  res.installedModules(),
		Categories: programmeCategories,
		Committed:  committed,
		Pooling:    programme.PoolingRules{MaxCommuteMinutes: PoolCommuteMinutes, MaxAwayShare: PoolAwayShare, PerKmMAD: programmePerKmMAD},
		CarryOver:  true,
	}
	p.Estimator = res.Estimator
	for _, per := range programmePeriods {
		for y := per.Start; y < per.Start+per.Years; y++ {
			p.CapitalBudget = append(p.CapitalBudget, programme.YearMAD{Year: y, MAD: programmeCapitalMAD})
			p.RunningBudget = append(p.RunningBudget, programme.YearMAD{Year: y, MAD: programmeRunningMAD})
		}
	}
	return p, nil
}

// yearlyDemand projects the demand for the services to every year of the
// periods, each commune at its own growth.
func (res *Result) yearlyDemand(periods []programme.Period, services []gst.ServiceID) ([]programme.YearDemand, error) {
	rates := CapacityRates(res.Rates)
	var out []programme.YearDemand
	for _, per := range periods {
		for y := per.Start; y < per.Start+per.Years; y++ {
			d, err := capacity.Demand(res.Region, rates, &capacity.DemandOptions{Projection: &capacity.Projection{TargetYear: y}})
			if err != nil {
				return nil, err
			}
			var rows []gst.Demand
			for _, s := range services {
				rows = append(rows, d.Table.ForService(s)...)
			}
			t, err := gst.NewDemandTable(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, programme.YearDemand{Year: y, Table: t})
		}
	}
	return out, nil
}

// installedModules turns today's public capacity into modules: a theatre
// line per 300 caesareans a year and a unit per 6,240 sessions, rounded up
// (at least one where the service is offered).
func (res *Result) installedModules() []programme.Installed {
	var out []programme.Installed
	for _, e := range res.Region.Establishments {
		if e.Ownership != gst.Public || e.Candidate {
			continue
		}
		for _, m := range []programme.Module{caesareanLine(), dialysisUnit()} {
			o, ok := e.Offer(m.Service)
			if !ok || e.Level < gst.LocalHospital {
				continue
			}
			n := max(1, int(math.Ceil(o.Capacity/m.Capacity-1e-9)))
			out = append(out, programme.Installed{Establishment: e.ID, Module: m.ID, Count: n})
		}
	}
	return out
}

// committedStaff is the staff other work needs: the WISN need of every
// cadre assessed without the caesarean workload and on-call cover (which
// the programme's modules and teams staff), and for other specialists all
// but the share free for dialysis.
func (res *Result) committedStaff(ctx context.Context) ([]programme.Committed, error) {
	r := res.Region
	var std []capacity.CategoryStandards
	for _, cs := range res.Standards {
		c := cs
		c.Services = nil
		for _, s := range cs.Services {
			if s.Service != "caesarean" {
				c.Services = append(c.Services, s)
			}
		}
		std = append(std, c)
	}
	work, allow := Allowances(r, res.Demand.Table, res.Before)
	var keep []capacity.EstablishmentAllowance
	for _, a := range allow {
		if a.Category == "midwife" {
			keep = append(keep, a) // the on-call cover of obstetricians and anaesthetists is the programme's team
		}
	}
	a, err := capacity.Assess(ctx, r, &capacity.AssessInput{Rates: CapacityRates(res.Rates), Standards: std, Assignment: res.Before, Workloads: work, Individual: keep},
		&capacity.AssessOptions{Demand: &capacity.DemandOptions{Projection: &capacity.Projection{TargetYear: res.Config.TargetYear}}, CatchmentService: "consultation"})
	if err != nil {
		return nil, err
	}
	var out []programme.Committed
	for _, row := range a.WISN.Rows {
		out = append(out, programme.Committed{Establishment: row.Establishment, Category: row.Category, FTE: row.Required})
	}
	for _, e := range r.Establishments {
		if f := e.StaffFTE("specialist-other"); f > 0 {
			out = append(out, programme.Committed{Establishment: e.ID, Category: "specialist-other", FTE: f * (1 - specialistFreeShare)})
		}
	}
	return out, nil
}

// programme plans the phased programme, with the sequential plan, the
// budget frontier and the cost of reversing the main decisions (the last
// in full runs only).
func (res *Result) programme(ctx context.Context) error {
	start := time.Now()
	res.Programme = Programme{Assumptions: programmeAssumptions()}
	p, err := res.programmeProblem(ctx)
	if err != nil {
		res.Programme.Note = "no programme: " + err.Error()
		return nil
	}
	opt := &programme.Options{Sequential: true, DecisionCosts: !res.Config.Short, DecisionCostLimit: 4, MaxNodes: ProgrammeMaxNodes}
	if !res.Config.Short {
		opt.Frontier = ProgrammeFrontier
	}
	opt.TimeLimit = res.Config.ProgrammeTimeLimit
	opt.GapTolerance = ProgrammeGap
	plan, err := programme.Solve(ctx, p, opt)
	if err != nil {
		if errors.Is(err, gst.ErrInfeasible) || errors.Is(err, gst.ErrNoSolution) || errors.Is(err, gst.ErrTooLarge) {
			res.Programme.Note = "no programme: " + err.Error()
			return nil
		}
		return fmt.Errorf("programme: %w", err)
	}
	res.Programme.Available, res.Programme.Plan = true, plan
	res.Programme.Seconds = time.Since(start).Seconds()
	return nil
}

// ProgrammeGap is the relative gap at which the programme counts as
// optimal (one percent), and ProgrammeMaxNodes the work each branch and
// bound may do: a limit of work, not of time, so that every machine writes
// the same report.
const (
	ProgrammeGap      = 0.01
	ProgrammeMaxNodes = 200
)
