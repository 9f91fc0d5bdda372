package pilot

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/programme"
	"github.com/gstplan/gst/capacity"
)

// The pilots' budgets a year (step 6), for programs that ask the
// programme question with other budgets.
const (
	ProgrammeCapitalMAD = programmeCapitalMAD
	ProgrammeRunningMAD = programmeRunningMAD
)

// ProgrammeHorizon returns the first year of the pilots' programme and its
// length in years (2026, 10).
func ProgrammeHorizon() (start, years int) {
	start = programmePeriods[0].Start
	for _, p := range programmePeriods {
		years += p.Years
	}
	return start, years
}

// ProgrammeInput is what ProgrammeProblem builds the pilots' programme
// from. Zero fields take the pipeline's values.
type ProgrammeInput struct {
	// Region is the region as read. Required.
	Region *gst.Region
	// Before are today's catchments: the nearest public establishment
	// open today for every service (gst.AssignNearest with PublicOpen),
	// from which the staff committed to other work is assessed. Required.
	Before *gst.Assignment
	// Estimator estimates the travel of patients and pooled staff.
	// Default: the estimator at DefaultCircuity.
	Estimator *gst.Estimator
	// TargetYear is the year of the staff need committed to other work.
	// Default the pipeline's (2030).
	TargetYear int
	// CapitalMAD and RunningMAD are the budgets of every year, in
	// dirhams. Default ProgrammeCapitalMAD and ProgrammeRunningMAD.
	CapitalMAD, RunningMAD float64
	// Years is the horizon: the first Years years of the pilots' three
	// phases, the last phase cut short. Default (and at most) the whole
	// horizon of ProgrammeHorizon.
	Years int
}

// ProgrammeProblem builds the pilots' phased programme (the pipeline's
// step 6: caesarean theatre lines and haemodialysis units, their staff and
// years, within yearly budgets) for a region, with the budgets and the
// horizon of in, and returns its assumptions for a report. The region
// needs the caesarean and dialysis services.
func ProgrammeProblem(ctx context.Context, in ProgrammeInput) (*programme.Problem, []ProgrammeAssumption, error) {
	r := in.Region
	if r == nil || in.Before == nil {
		return nil, nil, fmt.Errorf("programme: %w: a region and today's catchments are required", gst.ErrInvalid)
	}
	start, horizon := ProgrammeHorizon()
	if in.Years < 0 || in.Years > horizon || !(in.CapitalMAD >= 0) || !(in.RunningMAD >= 0) || math.IsInf(in.CapitalMAD+in.RunningMAD, 0) {
		return nil, nil, fmt.Errorf("programme: %w: years %d (want 1 to %d), budgets %g and %g MAD a year (want finite, not negative)", gst.ErrInvalid, in.Years, horizon, in.CapitalMAD, in.RunningMAD)
	}
	for _, s := range []gst.ServiceID{"caesarean", "dialysis"} {
		if _, ok := r.Service(s); !ok {
			return nil, nil, fmt.Errorf("programme: %w: the region has no service %q: the pilots' programme plans caesarean sections and haemodialysis", gst.ErrInvalid, s)
		}
	}
	cfg := Config{TargetYear: in.TargetYear}
	cfg.defaults()
	res := &Result{Config: cfg, Region: r, Estimator: in.Estimator, Before: in.Before, Rates: Rates(r), Standards: Standards(r)}
	if res.Estimator == nil {
		res.Estimator = &gst.Estimator{Circuity: DefaultCircuity}
	}
	var err error
	res.Demand, err = capacity.Demand(r, CapacityRates(res.Rates), &capacity.DemandOptions{Projection: &capacity.Projection{TargetYear: cfg.TargetYear}})
	if err != nil {
		return nil, nil, err
	}
	p, err := res.programmeProblem(ctx)
	if err != nil {
		return nil, nil, err
	}
	years, capital, running := in.Years, in.CapitalMAD, in.RunningMAD
	if years == 0 {
		years = horizon
	}
	if capital == 0 {
		capital = ProgrammeCapitalMAD
	}
	if running == 0 {
		running = ProgrammeRunningMAD
	}
	cutProgramme(p, start+years, capital, running)
	return p, programmeInputAssumptions(p, capital, running), nil
}

// cutProgramme ends the programme before the year end and sets every
// year's budgets.
func cutProgramme(p *programme.Problem, end int, capital, running float64) {
	var periods []programme.Period
	for _, per := range p.Periods {
		if per.Start >= end {
			break
		}
		per.Years = min(per.Years, end-per.Start)
		periods = append(periods, per)
	}
	p.Periods = periods
	var demand []programme.YearDemand
	for _, d := range p.Demand {
		if d.Year < end {
			demand = append(demand, d)
		}
	}
	p.Demand = demand
	p.CapitalBudget, p.RunningBudget = nil, nil
	for _, d := range demand {
		p.CapitalBudget = append(p.CapitalBudget, programme.YearMAD{Year: d.Year, MAD: capital})
		p.RunningBudget = append(p.RunningBudget, programme.YearMAD{Year: d.Year, MAD: running})
	}
}

// programmeInputAssumptions are the pilots' assumptions with the phases
// and budgets of p.
func programmeInputAssumptions(p *programme.Problem, capital, running float64) []ProgrammeAssumption {
	out := programmeAssumptions()
	var phases []string
	for _, per := range p.Periods {
		if per.Years == 1 {
			phases = append(phases, fmt.Sprint(per.Start))
			continue
		}
		phases = append(phases, fmt.Sprintf("%d–%d", per.Start, per.Start+per.Years-1))
	}
	for i, a := range out {
		switch a.Name {
		case "Phases":
			out[i].Value = strings.Join(phases, ", ")
		case "Budgets":
			out[i].Value = fmt.Sprintf("%s M MAD of capital and %s M MAD of running spend a year, unspent money carried over", millions(capital), millions(running))
		}
	}
	return out
}

// millions writes dirhams in millions, whole when they are.
func millions(v float64) string {
	if m := v / 1e6; m == math.Round(m) {
		return num(m)
	}
	return dec(v/1e6, 2)
}
