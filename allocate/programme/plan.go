package programme

import (
	"time"

	"github.com/gstplan/gst"
)

// Plan is the answer of Solve: the programme year by year, how good it is
// and why.
//
// Value, Bound and Gap refer to one objective: the weighted sum of
// Objective, or with Lexicographic its second stage (the weighted sum
// among the programmes of least unserved demand). Money in Years is
// nominal (not discounted); Value is discounted.
type Plan struct {
	// Status is gst.StatusOptimal when the programme is proven optimal
	// (Gap within the tolerance); gst.StatusTimeLimit or
	// gst.StatusCanceled when the solve was stopped, with the best
	// programme found.
	Status gst.Status `json:"status"`
	// Value is the objective of the programme, Bound a proven lower bound
	// on the optimum, Gap their relative gap (0.01 is 1%).
	Value float64 `json:"value"`
	Bound float64 `json:"bound"`
	Gap   float64 `json:"gap"`
	// SequentialValue is the objective of the programme planned the old
	// way (see Sequential), when Options.Sequential asked for it.
	SequentialValue *float64 `json:"sequential_value,omitempty"`
	// Method says how the programme was solved.
	Method string `json:"method"`
	// Lexicographic repeats Objective.Lexicographic; UnservedValue is then
	// the first stage's optimum (discounted, weighted unserved demand in
	// MAD).
	Lexicographic bool    `json:"lexicographic,omitempty"`
	UnservedValue float64 `json:"unserved_value,omitempty"`
	// Terms breaks Value down (discounted MAD).
	Terms Terms `json:"terms"`
	// Years gives one entry per calendar year of the horizon.
	Years []Year `json:"years"`
	// Today gives the figures of the first year's demand served by the
	// modules installed today, before any decision.
	Today []Figures `json:"today"`
	// BudgetValues give the marginal value of budget, by year.
	BudgetValues []BudgetValue `json:"budget_values,omitempty"`
	// RecruitValues give the marginal value of one more recruit, by
	// category and period.
	RecruitValues []RecruitValue `json:"recruit_values,omitempty"`
	// DecisionCosts give the cost of reversing decisions, when
	// Options.DecisionCosts asked for it.
	DecisionCosts []DecisionCost `json:"decision_costs,omitempty"`
	// Frontier gives the programme at other budget levels, when
	// Options.Frontier asked for it.
	Frontier []FrontierPoint `json:"frontier,omitempty"`
	// Sequential is the programme planned the old way, when
	// Options.Sequential asked for it.
	Sequential *Plan `json:"-"`
	// Model describes the models solved.
	Model ModelStats `json:"model"`
	// MainElapsed is the wall time of the main search alone (the
	// programme, without the sequential plan and the explanations).
	MainElapsed time.Duration `json:"-"`
	// Notes are remarks on the solve.
	Notes []string `json:"notes,omitempty"`
	// Elapsed is the wall time of the solve, the only field that differs
	// between two runs on the same input.
	Elapsed time.Duration `json:"-"`
}

// Terms break the objective down, each discounted, in MAD.
type Terms struct {
	Capital  float64 `json:"capital_mad"`
	Running  float64 `json:"running_mad"`
	Travel   float64 `json:"travel_mad"`
	Unserved float64 `json:"unserved_mad"`
}

// Year is the programme in one calendar year.
type Year struct {
	Year int `json:"year"`
	// PeriodStart is the first year of the period the year belongs to.
	PeriodStart int `json:"period_start"`
	// CapitalMAD and RunningMAD are the year's spend; the budgets are what
	// the year may spend, carry-over included (nil when unbounded).
	CapitalMAD       float64  `json:"capital_mad"`
	CapitalBudgetMAD *float64 `json:"capital_budget_mad,omitempty"`
	RunningMAD       float64  `json:"running_mad"`
	RunningBudgetMAD *float64 `json:"running_budget_mad,omitempty"`
	// Spend details CapitalMAD and RunningMAD.
	Spend Spend `json:"spend"`
	// Openings are the decisions taken this year (at the start of a
	// period), sorted by establishment and service.
	Openings []Opening `json:"openings"`
	// Staffing lists every module open this year, existing and added, by
	// establishment, service and category.
	Staffing []Staffing `json:"staffing"`
	// Recruited counts the FTE recruited this year, by category.
	Recruited []Recruited `json:"recruited"`
	// Figures are the year's access figures by service.
	Figures []Figures `json:"figures"`
}

// Spend details a year's spend, in MAD. Capital holds the candidate sites
// built (OpenCost), services set up (SetupMAD), modules added (CapitalMAD)
// and services closed (CloseMAD). Running holds the running cost of the
// modules beyond those installed today (negative when fewer run), the
// salaries of the staff recruited by the programme who are still on roll,
// the cost of recruiting (RecruitMAD) and the allowances and paid travel
// time of pooled staff.
type Spend struct {
	Sites       float64 `json:"sites_mad"`
	Setup       float64 `json:"setup_mad"`
	Modules     float64 `json:"modules_mad"`
	Closing     float64 `json:"closing_mad"`
	ModuleRun   float64 `json:"module_running_mad"`
	Salaries    float64 `json:"salaries_mad"`
	Recruitment float64 `json:"recruitment_mad"`
	Pooling     float64 `json:"pooling_mad"`
}

// The actions of an Opening.
const (
	ActionOpen    = "open"
	ActionEnlarge = "enlarge"
	ActionClose   = "close"
)

// Opening is one decision on a service at an establishment.
type Opening struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Name          string              `json:"name"`
	Service       gst.ServiceID       `json:"service"`
	// Action is ActionOpen, ActionEnlarge or ActionClose.
	Action string `json:"action"`
	// Modules is the number of modules opened, added or closed; ByModule
	// splits it by module type.
	Modules  int           `json:"modules"`
	ByModule []ModuleCount `json:"by_module"`
	// Candidate is true when the establishment is a candidate site built
	// for the opening.
	Candidate bool `json:"candidate,omitempty"`
}

// ModuleCount is a number of modules of one type.
type ModuleCount struct {
	Module ModuleID `json:"module"`
	Count  int      `json:"count"`
}

// The sources of staff.
const (
	SourceOnRoll    = "on_roll"
	SourcePooled    = "pooled"
	SourceRecruited = "recruited"
)

// Staffing is the staff of one category the modules of a service need at
// an establishment in a year, and where it comes from.
type Staffing struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Name          string              `json:"name"`
	Service       gst.ServiceID       `json:"service"`
	Category      gst.CategoryID      `json:"category"`
	// Modules is the number of modules of the service open at the site.
	Modules     int       `json:"modules"`
	RequiredFTE float64   `json:"required_fte"`
	Assigned    []Sourced `json:"assigned"`
}

// Sourced is staff from one source.
type Sourced struct {
	// Source is SourceOnRoll (staff on the site's roll today),
	// SourceRecruited (recruited by the programme for the site) or
	// SourcePooled (working here from another establishment, From).
	Source string              `json:"source"`
	From   gst.EstablishmentID `json:"from,omitempty"`
	FTE    float64             `json:"fte"`
	// Minutes is the one-way trip of pooled staff.
	Minutes float64 `json:"minutes,omitempty"`
}

// Recruited is the FTE of one category recruited in a year.
type Recruited struct {
	Category gst.CategoryID `json:"category"`
	FTE      float64        `json:"fte"`
	// Sites splits it by establishment.
	Sites []SiteFTE `json:"sites"`
}

// SiteFTE is an FTE at one establishment.
type SiteFTE struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	FTE           float64             `json:"fte"`
}

// Figures are one service's access figures in a year.
type Figures struct {
	Service gst.ServiceID `json:"service"`
	// Demand is the year's volume; Served the part the network takes,
	// Unserved the rest and UnservedShare its share.
	Demand        float64 `json:"demand"`
	Served        float64 `json:"served"`
	Unserved      float64 `json:"unserved"`
	UnservedShare float64 `json:"unserved_share"`
	// Capacity is the capacity of the modules open.
	Capacity float64 `json:"capacity"`
	// MeanMinutes and P90Minutes are the volume-weighted mean and 90th
	// percentile of one-way travel of the served volume.
	MeanMinutes float64 `json:"mean_minutes"`
	P90Minutes  float64 `json:"p90_minutes"`
	// StandardMinutes is the standard and BeyondShare the share of the
	// served volume that travels beyond it.
	StandardMinutes float64 `json:"standard_minutes,omitempty"`
	BeyondShare     float64 `json:"beyond_share"`
	// DeprivedMeanMinutes and DeprivedUnservedShare are the same figures
	// for the most-deprived 20% of the people (areas ranked by
	// deprivation); zero when the region has no deprivation scores.
	DeprivedMeanMinutes   float64 `json:"deprived_mean_minutes"`
	DeprivedUnservedShare float64 `json:"deprived_unserved_share"`
}

// BudgetValue is how much the objective falls per extra MAD of budget in a
// year (0 when the budget does not bind), where modules can be added in
// fractions at the sites and services of the programme.
type BudgetValue struct {
	Year    int     `json:"year"`
	Capital float64 `json:"capital"`
	Running float64 `json:"running"`
}

// RecruitValue is how much the objective falls per extra FTE of a
// category that may be recruited at the start of a period, in MAD.
type RecruitValue struct {
	Category gst.CategoryID `json:"category"`
	Year     int            `json:"year"`
	MAD      float64        `json:"mad"`
}

// DecisionCost is the cost of reversing one decision.
type DecisionCost struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Service       gst.ServiceID       `json:"service"`
	// Reverse is "forbid" (the programme opens the service; forbid it) or
	// "force" (the programme leaves it closed; open it from the first
	// period).
	Reverse string `json:"reverse"`
	// Value is the objective with the decision reversed and Delta its
	// excess over the programme's; Status says how well it was solved.
	// Infeasible is true when no programme obeys the reversal.
	Value  float64    `json:"value"`
	Delta  float64    `json:"delta"`
	Status gst.Status `json:"status"`
	// Bound is the proven lower bound on the objective with the decision
	// reversed. DeltaLow and DeltaHigh bound what reversing the decision
	// costs between the best programmes with and without it: DeltaLow =
	// Bound − Plan.Value and DeltaHigh = Value − Plan.Bound. Each solve
	// stops within its gap tolerance, so a Delta smaller than the gaps
	// says little: when DeltaLow is negative the decision is not proven
	// to be worth anything.
	Bound      float64 `json:"bound"`
	DeltaLow   float64 `json:"delta_low"`
	DeltaHigh  float64 `json:"delta_high"`
	Infeasible bool    `json:"infeasible,omitempty"`
	// Unsolved is true when the deadline passed before any programme
	// with the reversal was found; Value, Delta, Bound and the range are
	// then zero.
	Unsolved bool `json:"unsolved,omitempty"`
}

// FrontierPoint is the programme at one budget level.
type FrontierPoint struct {
	// Level multiplies every budget.
	Level  float64    `json:"level"`
	Status gst.Status `json:"status"`
	Value  float64    `json:"value"`
	// Bound is the proven lower bound on the value at this level, Gap
	// the relative gap between them.
	Bound float64 `json:"bound"`
	Gap   float64 `json:"gap"`
	// CapitalMAD and RunningMAD are the spend over the horizon (nominal).
	CapitalMAD float64 `json:"capital_mad"`
	RunningMAD float64 `json:"running_mad"`
	// Unserved is the volume unserved over the horizon, by service in
	// the order of Problem.Services; LastYear the figures of the last
	// year.
	Unserved []float64 `json:"unserved"`
	LastYear []Figures `json:"last_year"`
	// Openings counts the decisions: openings, enlargements and closures.
	Openings int `json:"openings"`
	// Infeasible is true when no programme fits the budgets at this level.
	Infeasible bool `json:"infeasible,omitempty"`
	// Unsolved is true when the deadline passed before any programme at
	// this level was found.
	Unsolved bool `json:"unsolved,omitempty"`
	// Elapsed is the wall time of this level's solve.
	Elapsed time.Duration `json:"-"`
}

// ModelStats describe the models solved.
type ModelStats struct {
	Rows       int   `json:"rows"`
	Columns    int   `json:"columns"`
	Integers   int   `json:"integers"`
	Nonzeros   int   `json:"nonzeros"`
	Solves     int   `json:"solves"`
	Nodes      int64 `json:"nodes"`
	Iterations int64 `json:"iterations"`
	// EstimatedBytes is the estimate checked against MaxModelBytes.
	EstimatedBytes int64 `json:"estimated_bytes"`
	// Blocks, CutRounds and Cuts describe the Benders decomposition when
	// it was used: its blocks, the rounds of cuts over all nodes and the
	// cuts added. MasterTime and BlockTime split its wall time between
	// the master's linear programmes and the blocks.
	Blocks     int           `json:"blocks,omitempty"`
	CutRounds  int           `json:"cut_rounds,omitempty"`
	Cuts       int           `json:"cuts,omitempty"`
	MasterTime time.Duration `json:"-"`
	BlockTime  time.Duration `json:"-"`
	// Evaluations counts the networks the local search valued without
	// the master (see the package's Solving section), EvaluationTime
	// their wall time.
	Evaluations    int           `json:"evaluations,omitempty"`
	EvaluationTime time.Duration `json:"-"`
}
