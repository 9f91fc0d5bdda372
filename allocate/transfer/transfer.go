package transfer

import (
	"fmt"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/enumtext"
)

// Objective selects what Solve minimises after unserved volume.
type Objective int

// The objectives.
const (
	// CostAndTravel minimises cost + MinuteValueMAD × patient
	// minutes, then patient minutes (the default).
	CostAndTravel Objective = iota
	// TravelFirst minimises patient minutes, then cost.
	TravelFirst
)

var objectiveNames = [...]string{CostAndTravel: "cost and travel", TravelFirst: "travel first"}

// String returns "cost and travel" or "travel first".
func (o Objective) String() string {
	if o >= 0 && int(o) < len(objectiveNames) {
		return objectiveNames[o]
	}
	return fmt.Sprintf("Objective(%d)", int(o))
}

// MarshalText encodes the objective as its String form.
func (o Objective) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText decodes an objective from its String form, in any case
// and with hyphens or underscores for spaces ("travel-first").
func (o *Objective) UnmarshalText(b []byte) error {
	i, ok := enumtext.Parse(b, objectiveNames[:], nil)
	if !ok {
		return fmt.Errorf("allocate: transfer: %w: unknown objective %q (want cost and travel or travel first)", gst.ErrInvalid, b)
	}
	*o = Objective(i)
	return nil
}

// Service sets the rules of one service.
type Service struct {
	Service gst.ServiceID `json:"service"`
	// MaxMinutes is the longest one-way trip a case may make. Default 0:
	// no limit (every pair is a candidate, which grows the model).
	MaxMinutes float64 `json:"max_minutes,omitempty"`
	// TripsPerCase is the number of one-way trips per case in patient
	// travel. Default 2 (there and back).
	TripsPerCase float64 `json:"trips_per_case,omitempty"`
	// Providers restricts the establishments that may serve the service.
	// Default: every public establishment offering it (candidates
	// excluded) and every private one with a contract for it.
	Providers []gst.EstablishmentID `json:"providers,omitempty"`
}

// Referral is demand that starts at an establishment: cases of a
// service it refers on, a year.
type Referral struct {
	From    gst.EstablishmentID `json:"from"`
	Service gst.ServiceID       `json:"service"`
	Volume  float64             `json:"volume"`
	// Payer pays for the cases; "" for the payer with no segment.
	Payer string `json:"payer,omitempty"`
}

// Payer is a payer of care, identified by the population segment it
// covers, for example {ID: "amo", Segment: "coverage/amo"}. A payer with an
// empty Segment covers the people in no payer's segment. Every segment
// named must belong to the same dimension.
type Payer struct {
	ID      string `json:"id"`
	Segment string `json:"segment,omitempty"`
}

// Capacity sets the annual capacity of a service at an
// establishment, in cases, overriding its offer's.
type Capacity struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Service       gst.ServiceID       `json:"service"`
	Volume        float64             `json:"volume"`
}

// Resource is what an establishment has of a shared resource, in
// the resource's unit. The resource "beds" defaults to the establishment's
// Beds and "staff/<category>" to its staff on roll in FTE; other resources
// bind only where a row states them.
type Resource struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Resource      string              `json:"resource"`
	Available     float64             `json:"available"`
}

// Use is what one case of a service takes of a resource: for beds,
// the beds a case occupies over the year (ALOS / (365 × occupancy)); for
// theatre time, hours per case; for staff, FTE per case (hours per case /
// hours per year).
type Use struct {
	Service  gst.ServiceID `json:"service"`
	Resource string        `json:"resource"`
	PerCase  float64       `json:"per_case"`
}

// Contract is a private partner's contract for a service.
type Contract struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Service       gst.ServiceID       `json:"service"`
	// MaxVolume is the contracted capacity, in cases a year; 0 for none.
	MaxVolume float64 `json:"max_volume,omitempty"`
	// MinVolume is the volume guaranteed to the partner, a hard floor.
	MinVolume float64 `json:"min_volume,omitempty"`
	// TariffMAD is the price of a case under the contract, for any payer
	// (a Tariff row naming the partner takes precedence).
	TariffMAD float64 `json:"tariff_mad,omitempty"`
}

// Tariff is a fee-for-service price per case, in MAD. An empty
// Payer applies to payers without their own row, an empty Establishment to
// establishments without their own row; the most specific row applies
// (establishment and payer, establishment, payer, neither).
type Tariff struct {
	Service       gst.ServiceID       `json:"service"`
	Payer         string              `json:"payer,omitempty"`
	Establishment gst.EstablishmentID `json:"establishment,omitempty"`
	PerCaseMAD    float64             `json:"per_case_mad"`
}

// Capitation is a payer's yearly amount per person enrolled at a
// provider of a capitated service (primary care), in MAD; rows are
// matched like tariffs. A person counts as enrolled where the share of
// their area's demand for the service is served.
type Capitation struct {
	Service       gst.ServiceID       `json:"service"`
	Payer         string              `json:"payer,omitempty"`
	Establishment gst.EstablishmentID `json:"establishment,omitempty"`
	PerPersonMAD  float64             `json:"per_person_mad"`
}

// Budget caps what one payer pays a year, in MAD.
type Budget struct {
	Payer string  `json:"payer"`
	MAD   float64 `json:"mad"`
}

// Problem describes an activity transfer decision.
type Problem struct {
	// Region holds the areas, establishments and services. Required.
	Region *gst.Region
	// Demand holds the annual volume of each area and service (the
	// capacity package's demand). It may be nil when Referrals hold all
	// the demand.
	Demand *gst.DemandTable
	// Referrals add demand that starts at establishments.
	Referrals []Referral
	// Services sets the rules by service (at most one row each). The
	// services transferred are those with demand.
	Services []Service
	// Payers lists the payers. Default: one payer, "", for everybody.
	Payers      []Payer
	Capacities  []Capacity
	Resources   []Resource
	Uses        []Use
	Contracts   []Contract
	Tariffs     []Tariff
	Capitations []Capitation
	// Budget caps the total a year paid by all payers, in MAD; 0 for none.
	Budget       float64
	PayerBudgets []Budget
	// MinuteValueMAD values a patient minute in MAD for the objective.
	// Default 0: cost only, travel breaking ties.
	MinuteValueMAD float64
	// Objective selects the objective. Default CostAndTravel.
	Objective Objective
	// AllowUnserved lets demand go unserved (the least volume possible)
	// instead of making a plan that cannot serve it all infeasible.
	AllowUnserved bool
	// EqualTreatment makes the payer irrelevant to where a patient is
	// treated: the cases of an origin and service are split between
	// providers (and left unserved) in the same shares whatever their
	// payer. The plan then weighs each provider at the blend of the
	// payers' prices for the origin's case mix. Default false: each payer's
	// cases go where they cost least, and Plan.PayerSplits lists the
	// origins and services where the payer decided.
	EqualTreatment bool
	// TravelSource gives the legs from areas and establishments to
	// establishments: the override matrix Travel, then the region's Travel
	// matrix, then the Estimator (unless NoEstimate). Default: the region's
	// matrix and the default gst.Estimator.
	gst.TravelSource
}

// Activity transfer defaults.
const (
	// DefaultMaxLPColumns is the default
	// Options.MaxLPColumns: lp_solve took 1.2 s on a programme of
	// 6,900 columns and 16 s on one of 34,000 (a shared machine).
	DefaultMaxLPColumns = 50000
)

// Options tune Solve. A nil *Options uses the defaults.
type Options struct {
	// SolveOptions bound the solve: TimeLimit, GapTolerance (the
	// relative tolerance within which a stage keeps the previous stages'
	// optimum) and MaxModelBytes (the estimated memory of the largest
	// model: the programme, or one service's network, each worker holding
	// one at a time).
	gst.SolveOptions
	// MaxLPColumns bounds the columns of a linear programme; a larger one
	// is refused with a *gst.TooLargeError. Default
	// DefaultMaxLPColumns (50,000).
	MaxLPColumns int
	// Workers is how many services are solved at once. Default
	// runtime.GOMAXPROCS(0).
	Workers int
	// ForceLP solves with the linear programme even when flows would do
	// (for comparison). Default false.
	ForceLP bool
}

// Flow is a volume of a service from an origin to an establishment.
type Flow struct {
	// Origin is an area or a referring establishment; FromArea says which.
	Origin        string              `json:"origin"`
	FromArea      bool                `json:"from_area"`
	Service       gst.ServiceID       `json:"service"`
	Payer         string              `json:"payer"`
	Establishment gst.EstablishmentID `json:"establishment"`
	Volume        float64             `json:"volume"`
	// Minutes and Km are the one-way trip; PatientMinutes = Volume ×
	// TripsPerCase × Minutes.
	Minutes        float64 `json:"minutes"`
	Km             float64 `json:"km"`
	PatientMinutes float64 `json:"patient_minutes"`
	// FeesMAD and CapitationMAD are what the payer pays for the flow.
	FeesMAD       float64 `json:"fees_mad"`
	CapitationMAD float64 `json:"capitation_mad"`
}

// Load is the volume of a service at an establishment.
type Load struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Service       gst.ServiceID       `json:"service"`
	Private       bool                `json:"private,omitempty"`
	Volume        float64             `json:"volume"`
	// Capacity is the capacity in cases (nil for none), Utilisation
	// Volume / Capacity (nil without a capacity), MinVolume a contract's
	// floor.
	Capacity    *float64 `json:"capacity"`
	Utilisation *float64 `json:"utilisation"`
	MinVolume   float64  `json:"min_volume,omitempty"`
	// CasesPerUnit is the unserved demand one more case of capacity would
	// serve, and ValuePerUnit what it would save in the objective after
	// unserved volume (MAD a year with CostAndTravel, patient
	// minutes with TravelFirst) with the volume served held; both
	// zero where the capacity does not bind.
	CasesPerUnit float64 `json:"cases_per_unit"`
	ValuePerUnit float64 `json:"value_per_unit"`
}

// ResourceUse is the use of a resource at an establishment.
type ResourceUse struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Resource      string              `json:"resource"`
	Used          float64             `json:"used"`
	Available     float64             `json:"available"`
	// Utilisation is Used / Available, nil when nothing is available.
	Utilisation *float64 `json:"utilisation"`
	// CasesPerUnit and ValuePerUnit are the worth of one more unit (a
	// bed, an hour), as for Load.
	CasesPerUnit float64 `json:"cases_per_unit"`
	ValuePerUnit float64 `json:"value_per_unit"`
}

// PayerCost is what a payer pays a year.
type PayerCost struct {
	Payer         string  `json:"payer"`
	Cases         float64 `json:"cases"`
	FeesMAD       float64 `json:"fees_mad"`
	CapitationMAD float64 `json:"capitation_mad"`
	TotalMAD      float64 `json:"total_mad"`
	// BudgetMAD is the payer's budget, 0 for none.
	BudgetMAD float64 `json:"budget_mad,omitempty"`
}

// Unserved is demand a plan leaves unserved.
type Unserved struct {
	Origin   string        `json:"origin"`
	FromArea bool          `json:"from_area"`
	Service  gst.ServiceID `json:"service"`
	Payer    string        `json:"payer"`
	Volume   float64       `json:"volume"`
}

// PayerSplit is an origin and service whose cases go to different
// providers depending on their payer.
type PayerSplit struct {
	Origin   string        `json:"origin"`
	FromArea bool          `json:"from_area"`
	Service  gst.ServiceID `json:"service"`
	// Difference is the largest difference, over the providers (and
	// unserved), between two payers' shares of the origin's cases, in
	// (0, 1].
	Difference float64 `json:"difference"`
	// Shares gives each payer's share of its cases at each provider
	// (Establishment "" for cases left unserved), sorted by payer and
	// establishment.
	Shares []PayerShare `json:"shares"`
}

// PayerShare is the share of a payer's cases of an origin and service
// that a provider serves.
type PayerShare struct {
	Payer         string              `json:"payer"`
	Establishment gst.EstablishmentID `json:"establishment"`
	Share         float64             `json:"share"`
}

// Figures sum up a plan, or the pattern of today (every case to the
// nearest public establishment offering its service, capacities ignored).
type Figures struct {
	Volume         float64 `json:"volume"`
	Unserved       float64 `json:"unserved"`
	PatientMinutes float64 `json:"patient_minutes"`
	// MeanMinutes is the mean one-way trip of a case served.
	MeanMinutes float64 `json:"mean_minutes"`
	CostMAD     float64 `json:"cost_mad"`
	// PrivateVolume is the volume served by private partners.
	PrivateVolume float64 `json:"private_volume"`
	// OverCapacity is the volume above capacities (today's pattern can
	// exceed them; a plan never does).
	OverCapacity float64 `json:"over_capacity"`
}

// ModelStats describe the models solved.
type ModelStats struct {
	Services int   `json:"services"`
	Origins  int   `json:"origins"`
	Arcs     int   `json:"arcs"`
	Flows    int   `json:"flows"`
	Pivots   int64 `json:"pivots"`
	LPRows   int   `json:"lp_rows"`
	LPCols   int   `json:"lp_columns"`
	Stages   int   `json:"stages"`
	// EstimatedBytes is the estimate checked against MaxModelBytes.
	EstimatedBytes int64 `json:"estimated_bytes"`
}

// Plan is the answer of Solve.
type Plan struct {
	// Status is gst.StatusOptimal for a proven optimum, or
	// gst.StatusTimeLimit / gst.StatusCanceled when the solve was stopped
	// (services not solved keep no flows and count as unserved).
	Status    gst.Status `json:"status"`
	Method    string     `json:"method"`
	Objective Objective  `json:"objective"`
	// Unserved is the volume left unserved; Value the objective after it
	// (MAD for CostAndTravel, patient minutes for
	// TravelFirst), Bound a lower bound on Value and Gap their gap.
	Unserved float64 `json:"unserved"`
	Value    float64 `json:"value"`
	Bound    float64 `json:"bound"`
	Gap      float64 `json:"gap"`
	// CostMAD and PatientMinutes are the plan's cost a year and travel.
	CostMAD        float64 `json:"cost_mad"`
	PatientMinutes float64 `json:"patient_minutes"`
	// Flows lists the flows sorted by service, origin, payer and
	// establishment; Assignment gives the areas' shares (referrals have
	// no row there).
	Flows      []Flow          `json:"flows"`
	Assignment *gst.Assignment `json:"assignment"`
	// Loads, Resources and Payers give utilisation, resource use and cost
	// per payer; UnservedRows the demand left unserved.
	Loads        []Load        `json:"loads"`
	Resources    []ResourceUse `json:"resources,omitempty"`
	Payers       []PayerCost   `json:"payers"`
	UnservedRows []Unserved    `json:"unserved_rows,omitempty"`
	// PayerSplits lists the origins and services whose cases the plan
	// splits between providers differently by payer: where the payer, not
	// the patient's place, decided where the patient is treated. It is
	// empty with Problem.EqualTreatment.
	PayerSplits []PayerSplit `json:"payer_splits,omitempty"`
	// Before and After compare today's pattern with the plan.
	Before Figures    `json:"before"`
	After  Figures    `json:"after"`
	Model  ModelStats `json:"model"`
	Notes  []string   `json:"notes,omitempty"`
	// Elapsed is the wall time of Solve.
	Elapsed time.Duration `json:"-"`
}
