package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/allocate/pool"
	"github.com/gstplan/gst/allocate/transfer"
	"github.com/gstplan/gst/capacity"
	"github.com/gstplan/gst/pathway"
)

// pilotDir is the bundled pilot region, Tanger-Tétouan-Al Hoceima (146
// communes, 407 establishments; see examples/data/README.md for its sources
// and licences).
var pilotDir = filepath.Join("..", "..", "examples", "data", "tanger")

// openPilot reads the pilot region.
func openPilot(t testing.TB) *gst.Region {
	t.Helper()
	r, err := gst.Open(pilotDir, nil)
	if err != nil {
		t.Fatalf("reading the pilot region: %v", err)
	}
	return r
}

// pilotRates are utilisation rates for a few services, with segment rates
// for consultations so that the segments of the region matter. The figures
// are illustrative.
func pilotRates() []capacity.Rate {
	return []capacity.Rate{
		{Service: "consultation", PerThousand: 650},
		{Service: "consultation", Segment: "coverage/amo", PerThousand: 800},
		{Service: "consultation", Segment: "coverage/tadamon", PerThousand: 700},
		{Service: "delivery", Setting: capacity.UrbanOnly, PerThousand: 15.3},
		{Service: "delivery", Setting: capacity.RuralOnly, PerThousand: 20.5},
		{Service: "caesarean", PerThousand: 2.6},
		{Service: "dialysis", PerThousand: 15},
		{Service: "surgery", PerThousand: 15},
		{Service: "inpatient", PerThousand: 35},
	}
}

// pilotStandards are WISN standards of three cadres (illustrative).
func pilotStandards() []capacity.CategoryStandards {
	wt := capacity.WorkingTime{WorkingDays: 260, PublicHolidays: 13, AnnualLeave: 22, SickLeave: 6, OtherLeave: 5, HoursPerDay: 7.5}
	cas := []capacity.CategoryAllowance{{Activity: "supervision and records", Percent: 10}}
	return []capacity.CategoryStandards{
		{Category: "midwife", Time: wt, Allowances: cas, Services: []capacity.ServiceStandard{
			{Activity: "delivery", Service: "delivery", MinutesPerUnit: 240}}},
		{Category: "obgyn", Time: wt, Allowances: cas, Services: []capacity.ServiceStandard{
			{Activity: "caesarean", Service: "caesarean", MinutesPerUnit: 120}}},
		{Category: "anaesthetist", Time: wt, Allowances: cas, Services: []capacity.ServiceStandard{
			{Activity: "caesarean", Service: "caesarean", MinutesPerUnit: 75},
			{Activity: "surgery", Service: "surgery", MinutesPerUnit: 90}}},
	}
}

// inputs are what the plans of a region need, derived from the region by
// the library itself (so that a shuffled region derives them again).
type inputs struct {
	region *gst.Region
	demand *gst.DemandTable
	assess *capacity.Assessment
	need   []pool.Need
	teams  []pool.Team
	set    *pathway.Set
}

// prepare computes the demand, the assessment (nearest assignment, WISN,
// gaps) and the pooling need of a region.
func prepare(ctx context.Context, r *gst.Region) (*inputs, error) {
	in := &inputs{region: r}
	d, err := capacity.Demand(r, pilotRates(), nil)
	if err != nil {
		return nil, fmt.Errorf("demand: %w", err)
	}
	in.demand = d.Table
	in.assess, err = capacity.Assess(ctx, r, &capacity.AssessInput{Rates: pilotRates(), Standards: pilotStandards()}, nil)
	if err != nil {
		return nil, fmt.Errorf("assess: %w", err)
	}
	for _, row := range in.assess.WISN.Rows {
		e, _ := r.Establishment(row.Establishment)
		if e.Ownership != gst.Public || e.Candidate {
			continue
		}
		in.need = append(in.need, pool.Need{Establishment: row.Establishment, Category: row.Category, FTE: row.Required})
	}
	// A caesarean team at the first six public hospitals offering
	// caesareans, in ID order (the region's order must not matter).
	var hosp []gst.EstablishmentID
	for _, e := range r.Offering("caesarean") {
		if e.Ownership == gst.Public && !e.Candidate {
			hosp = append(hosp, e.ID)
		}
	}
	sort.Slice(hosp, func(i, j int) bool { return hosp[i] < hosp[j] })
	for _, h := range hosp[:min(len(hosp), 6)] {
		in.teams = append(in.teams, pool.Team{Establishment: h, Service: "caesarean", Priority: 2,
			Roles: []pool.Role{{Category: "obgyn", FTE: 1}, {Category: "anaesthetist", FTE: 1}, {Category: "midwife", FTE: 2}}})
	}
	in.set, err = pathway.Defaults().Select(pathway.Maternal, pathway.Dialysis)
	if err != nil {
		return nil, err
	}
	return in, nil
}

// job is one computation of a plan from the inputs; its result is compared
// as JSON.
type job struct {
	name string
	run  func(ctx context.Context, in *inputs) (any, error)
}

func locate(p allocate.Problem, opt *allocate.Options) func(ctx context.Context, in *inputs) (any, error) {
	return func(ctx context.Context, in *inputs) (any, error) {
		q := p
		q.Region, q.Demand = in.region, in.demand
		if opt == nil {
			opt = &allocate.Options{}
		}
		o := *opt
		o.NoWhy = true
		return allocate.Locate(ctx, &q, &o)
	}
}

func svc(ids ...gst.ServiceID) []allocate.ServiceRule {
	var out []allocate.ServiceRule
	for _, id := range ids {
		out = append(out, allocate.ServiceRule{Service: id})
	}
	return out
}

// pilotJobs are sixteen computations of different kinds on one region:
// location under every objective and by both routes (engine and MIP), staff
// pooling (flows, an integer programme, teams), activity transfer (flows
// and a programme with shared beds), the capacity assessment and a pathway
// evaluation.
func pilotJobs() []job {
	return []job{
		{"locate p-median caesarean (engine)", locate(allocate.Problem{Services: svc("caesarean"), Objective: allocate.PMedian, MaxChanges: 3}, nil)},
		{"locate p-median dialysis with a budget (mip)", locate(allocate.Problem{Services: svc("dialysis"), Objective: allocate.PMedian, P: 8, Greenfield: true, Budget: 1}, nil)},
		{"locate p-center dialysis", locate(allocate.Problem{Services: svc("dialysis"), Objective: allocate.PCenter, P: 6, Greenfield: true}, nil)},
		{"locate weighted p-center dialysis", locate(allocate.Problem{Services: svc("dialysis"), Objective: allocate.WeightedPCenter, P: 6, Greenfield: true}, nil)},
		{"locate set covering dialysis", locate(allocate.Problem{Services: []allocate.ServiceRule{{Service: "dialysis", Standard: 150}}, Objective: allocate.SetCovering, Greenfield: true}, nil)},
		{"locate max coverage caesarean", locate(allocate.Problem{Services: []allocate.ServiceRule{{Service: "caesarean", Standard: 45}}, Objective: allocate.MaxCoverage, P: 12, Greenfield: true}, nil)},
		{"locate backup coverage dialysis", locate(allocate.Problem{Services: svc("dialysis"), Objective: allocate.BackupCoverage, P: 6, Greenfield: true}, nil)},
		{"locate fixed charge dialysis", locate(allocate.Problem{Services: svc("dialysis"), Objective: allocate.FixedCharge, Greenfield: true, TravelCost: 50}, nil)},
		{"locate capacitated p-median dialysis", locate(allocate.Problem{Services: svc("dialysis"), Objective: allocate.PMedian, MaxChanges: 2, Greenfield: true, Capacity: allocate.SplitDemand}, nil)},
		{"pool sessions (flows)", func(ctx context.Context, in *inputs) (any, error) {
			return pool.Solve(ctx, &pool.Problem{Region: in.region, Need: in.need,
				Rules: pool.Rules{MinStayShare: 1, DeprivationWeight: 1}}, &pool.Options{Granularity: pool.Sessions})
		}},
		{"pool moved-FTE cap (integer programme)", func(ctx context.Context, in *inputs) (any, error) {
			return pool.Solve(ctx, &pool.Problem{Region: in.region, Need: in.need, Rules: pool.Rules{MaxMovedFTE: 5}}, nil)
		}},
		{"pool caesarean teams (relaxation and rounding)", func(ctx context.Context, in *inputs) (any, error) {
			return pool.Solve(ctx, &pool.Problem{Region: in.region, Need: in.need, Teams: in.teams},
				&pool.Options{Method: pool.Heuristic, Granularity: pool.Posts})
		}},
		{"transfer flows", func(ctx context.Context, in *inputs) (any, error) {
			return transfer.Solve(ctx, &transfer.Problem{Region: in.region, Demand: only(in.demand, "surgery", "dialysis"), AllowUnserved: true,
				MinuteValueMAD: 1, Tariffs: []transfer.Tariff{{Service: "surgery", PerCaseMAD: 4000}, {Service: "dialysis", PerCaseMAD: 850}}}, nil)
		}},
		{"transfer shared beds (lp)", func(ctx context.Context, in *inputs) (any, error) {
			return transfer.Solve(ctx, &transfer.Problem{Region: in.region, Demand: only(in.demand, "surgery", "inpatient"), AllowUnserved: true,
				Services: []transfer.Service{{Service: "surgery", MaxMinutes: 120}, {Service: "inpatient", MaxMinutes: 120}},
				Uses:     []transfer.Use{{Service: "surgery", Resource: "beds", PerCase: 4 / 365.0 / 0.85}, {Service: "inpatient", Resource: "beds", PerCase: 5 / 365.0 / 0.85}}}, nil)
		}},
		{"capacity assess", func(ctx context.Context, in *inputs) (any, error) {
			return capacity.Assess(ctx, in.region, &capacity.AssessInput{Rates: pilotRates(), Standards: pilotStandards()}, nil)
		}},
		{"pathway evaluate", func(ctx context.Context, in *inputs) (any, error) {
			return pathway.Evaluate(ctx, in.region, in.set, pathway.Plan{Name: "nearest", Assignment: in.assess.Attribution.Assignment}, nil)
		}},
	}
}

// only returns the rows of a demand table for some services.
func only(d *gst.DemandTable, ids ...gst.ServiceID) *gst.DemandTable {
	var rows []gst.Demand
	for _, id := range ids {
		rows = append(rows, d.ForService(id)...)
	}
	t, err := gst.NewDemandTable(rows)
	if err != nil {
		panic(err) // rows of a valid table
	}
	return t
}

// encode returns the JSON of a result.
func encode(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %T: %v", v, err)
	}
	return b
}
