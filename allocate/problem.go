package allocate

import (
	"fmt"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/enumtext"
)

// Objective is what a location plan optimises.
type Objective int

// The objectives. The zero value is not an objective: a Problem must name
// one.
const (
	// PMedian minimises the demand-weighted travel
	// Σ_services weight × Σ_areas volume × travel with exactly P open
	// sites (Hakimi 1964; ReVelle and Swain 1970).
	PMedian Objective = iota + 1
	// PCenter minimises the longest travel of any area with demand, with
	// exactly P open sites (Hakimi 1965).
	PCenter
	// WeightedPCenter minimises the largest weight × volume × travel of
	// any area and service, with exactly P open sites.
	WeightedPCenter
	// SetCovering opens the fewest sites such that every area with demand
	// is within its service's standard (Toregas et al. 1971). Among the
	// plans with that fewest number it picks the one of least weighted
	// travel (see Options.NoRefine).
	SetCovering
	// MaxCoverage maximises the weighted demand within the standard with
	// exactly P open sites (Church and ReVelle 1974); with a Decay, demand
	// beyond the standard counts in part (Berman and Krass 2002).
	MaxCoverage
	// BackupCoverage maximises the weighted demand covered at least twice
	// (two open sites within the standard) among the plans with exactly P
	// sites that cover the most demand at least once (Hogan and ReVelle
	// 1986, lexicographic form).
	BackupCoverage
	// FixedCharge minimises opening and closing costs plus TravelCost ×
	// the demand-weighted travel, in dirhams, with any number of sites
	// (at most P when P > 0).
	FixedCharge
)

var objectiveNames = [...]string{
	PMedian:         "p-median",
	PCenter:         "p-center",
	WeightedPCenter: "weighted p-center",
	SetCovering:     "set covering",
	MaxCoverage:     "maximal coverage",
	BackupCoverage:  "backup coverage",
	FixedCharge:     "fixed charge",
}

// String returns the objective's name, as printed in reports: "p-median",
// "p-center", "weighted p-center", "set covering", "maximal coverage",
// "backup coverage" or "fixed charge".
func (o Objective) String() string {
	if o > 0 && int(o) < len(objectiveNames) {
		return objectiveNames[o]
	}
	return fmt.Sprintf("Objective(%d)", int(o))
}

// MarshalText encodes the objective as its String form.
func (o Objective) MarshalText() ([]byte, error) {
	if !o.valid() {
		return nil, fmt.Errorf("allocate: %w: objective %d", gst.ErrInvalid, int(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText decodes an objective from its String form, in any case and
// with hyphens or underscores for spaces ("weighted-p-center"), or from
// the short form "max coverage" of MaxCoverage.
func (o *Objective) UnmarshalText(b []byte) error {
	i, ok := enumtext.Parse(b, objectiveNames[:], map[string]int{"max coverage": int(MaxCoverage)})
	if !ok {
		return fmt.Errorf("allocate: %w: unknown objective %q (want p-median, p-center, weighted p-center, set covering, maximal coverage, backup coverage or fixed charge)", gst.ErrInvalid, b)
	}
	*o = Objective(i)
	return nil
}

func (o Objective) valid() bool { return o >= PMedian && o <= FixedCharge }

// maximises reports whether a larger objective value is better.
func (o Objective) maximises() bool { return o == MaxCoverage || o == BackupCoverage }

// needsP reports whether the objective needs exactly P sites.
func (o Objective) needsP() bool {
	switch o {
	case PMedian, PCenter, WeightedPCenter, MaxCoverage, BackupCoverage:
		return true
	}
	return false
}

// coverage reports whether the objective is about coverage within a
// standard, where an area may stay uncovered.
func (o Objective) coverage() bool { return o == MaxCoverage || o == BackupCoverage }

// center reports whether the objective is a p-center.
func (o Objective) center() bool { return o == PCenter || o == WeightedPCenter }

// Capacity says whether the capacities of the offers bind a plan.
type Capacity int

// The capacity rules.
const (
	// Uncapacitated ignores capacities: every area goes to its nearest
	// open site. The default.
	Uncapacitated Capacity = iota
	// SplitDemand makes each site's capacity for each service binding
	// (gst.Offer.Capacity, in the service's unit a year); an area's demand
	// may be split between sites.
	SplitDemand
	// SingleSource makes capacities binding and sends all of an area's
	// demand for a service to one site.
	SingleSource
)

var capacityNames = [...]string{Uncapacitated: "uncapacitated", SplitDemand: "split demand", SingleSource: "single source"}

// String returns "uncapacitated", "split demand" or "single source".
func (c Capacity) String() string {
	if c >= 0 && int(c) < len(capacityNames) {
		return capacityNames[c]
	}
	return fmt.Sprintf("Capacity(%d)", int(c))
}

// MarshalText encodes the capacity rule as its String form.
func (c Capacity) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText decodes a capacity rule from its String form, in any case
// and with hyphens or underscores for spaces, or from the short forms
// "none", "split" and "single".
func (c *Capacity) UnmarshalText(b []byte) error {
	i, ok := enumtext.Parse(b, capacityNames[:], map[string]int{"none": int(Uncapacitated), "split": int(SplitDemand), "single": int(SingleSource)})
	if !ok {
		return fmt.Errorf("allocate: %w: unknown capacity rule %q (want uncapacitated, split demand or single source)", gst.ErrInvalid, b)
	}
	*c = Capacity(i)
	return nil
}

// Metric is the measure of travel a plan optimises and reports.
type Metric int

// The metrics.
const (
	// Minutes measures travel in minutes. The default.
	Minutes Metric = iota
	// Kilometres measures travel in road kilometres.
	Kilometres
)

var metricNames = [...]string{Minutes: "minutes", Kilometres: "km"}

// String returns "minutes" or "km".
func (m Metric) String() string {
	if m >= 0 && int(m) < len(metricNames) {
		return metricNames[m]
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// MarshalText encodes the metric as its String form.
func (m Metric) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText decodes a metric from its String form, in any case, or
// from "kilometres".
func (m *Metric) UnmarshalText(b []byte) error {
	i, ok := enumtext.Parse(b, metricNames[:], map[string]int{"kilometres": int(Kilometres)})
	if !ok {
		return fmt.Errorf("allocate: %w: unknown metric %q (want minutes or km)", gst.ErrInvalid, b)
	}
	*m = Metric(i)
	return nil
}

// ServiceRule says how one service takes part in a Problem.
type ServiceRule struct {
	// Service is the service located. Its demand is the rows of
	// Problem.Demand for it.
	Service gst.ServiceID
	// Weight multiplies the service's volume × travel in the objective
	// (for example the share of patients who make the trip, or a
	// pathway's trips per case). Default 1 when zero; must be finite and
	// >= 0. For the coverage objectives it multiplies the covered volume.
	Weight float64
	// Sites lists the establishments eligible for the service. Default
	// (nil): every public establishment that offers the service, existing
	// or candidate; private partners take part only when listed here (as
	// in gst.AssignNearest, capacity.NearestAssignment and the pool
	// package, the GST's own network is public).
	Sites []gst.EstablishmentID
	// Standard is the access standard of the service, in the Problem's
	// Metric: an area is covered when its site is at most this far.
	// Default: the service's StandardMinutes when the Metric is Minutes;
	// none otherwise. The coverage objectives, SetCovering and
	// CoverageRule need one.
	Standard float64
	// MaxTravel is a hard rule: every area with demand for the service is
	// served within it, in the Problem's Metric. Default: the Problem's
	// MaxTravel; 0 there too means no rule.
	MaxTravel float64
	// NewCapacity is the capacity a year, in the service's unit, of an
	// eligible establishment that does not offer the service yet (an
	// existing hospital that would add it) when capacities bind; a site
	// with an offer has the offer's. 0 (the default): none stated, so such
	// a site has no limit. Must be finite and >= 0.
	NewCapacity float64
}

// CoverageRule is an equity rule: in a province, at least a share of the
// demand for a service is within the service's standard.
type CoverageRule struct {
	// Province is the province the rule binds; empty binds every province
	// that has demand for the service.
	Province gst.ProvinceID
	// Service is the service the rule binds; empty binds every service of
	// the Problem.
	Service gst.ServiceID
	// MinShare is the least share of the demand, in [0, 1], within the
	// standard.
	MinShare float64
}

// Decay makes coverage fade with travel instead of stopping at the
// standard: an area at travel d gets credit 1 up to the standard S, then
// (Outer − d)/(Outer − S) up to Outer, then 0 (the gradual covering of
// Berman and Krass 2002). Only MaxCoverage uses it.
type Decay struct {
	// Outer is the travel, in the Problem's Metric, from which an area is
	// not covered at all. It must exceed every service's standard.
	Outer float64
}

// NoChanges is the Problem.MaxChanges that allows no change at all: every
// site keeps its state today. (MaxChanges 0 means no limit.)
const NoChanges = -1

// Problem describes one location decision: the region and its demand,
// which services are located together at the sites chosen, what may change
// compared with today, the rules a plan obeys and the objective.
//
// Sites are the establishments eligible for at least one service of the
// problem. A site is open today when it exists (not a candidate) and
// offers one of the services. One decision per site opens or closes it for
// every service it is eligible for, so several services (or the steps of a
// pathway, given as services with weights) are located jointly.
//
// Unless Greenfield is set, an existing site that is open today and not
// Closable stays open; a closable one may close (at its CloseCost); a
// candidate, or an existing site that does not offer the services today,
// may open (at its OpenCost).
type Problem struct {
	// Region holds the areas, establishments and services. Required.
	Region *gst.Region
	// Demand holds the volume of each area and service a year: cases (the
	// capacity package's demand, the pathway package's Flows.Demand),
	// trips (the pathway package's travel weights) or people, as its Unit
	// says. When capacities bind it must be in gst.Cases, the unit of
	// offer capacities; Locate refuses another unit with an error that
	// says how to convert it. Required.
	Demand *gst.DemandTable
	// Services are the services located. Default (nil): every service of
	// Demand, with default rules.
	Services []ServiceRule
	// Objective is what the plan optimises. Required.
	Objective Objective
	// P is the number of open sites in the plan (fixed ones included):
	// exact for PMedian, PCenter, WeightedPCenter, MaxCoverage and
	// BackupCoverage; an upper limit for SetCovering and FixedCharge.
	// 0 (the default) leaves the number free, within MaxChanges and
	// Budget: "at most N changes" is MaxChanges N with P 0. Whatever P,
	// Locate opens or closes a site only when the change is forced (by
	// Keep, Exclude or P) or strictly improves the objective: among
	// equally good plans it keeps today's state of every site it can.
	P int
	// Capacity says whether capacities bind. Default Uncapacitated.
	Capacity Capacity
	// AllowUnserved, with binding capacities and the PMedian or
	// FixedCharge objective, lets demand that the sites cannot take stay
	// unserved instead of making the problem infeasible: the plan serves
	// as much demand as its sites' capacities allow, then at the least
	// objective (two stages; Value counts the demand served), and
	// Plan.After[i].Served says how much is served. Default false: every
	// area is served in full, or Locate reports the capacity shortfall.
	AllowUnserved bool
	// Greenfield ignores the Closable flags: every eligible site may open
	// or close. Today's sites still give the figures before the plan and
	// the count of changes. Default false.
	Greenfield bool
	// Keep lists sites that must be open in the plan.
	Keep []gst.EstablishmentID
	// Exclude lists sites that must not be open in the plan.
	Exclude []gst.EstablishmentID
	// Budget bounds the sum of the opening costs of the sites opened and
	// the closing costs of the sites closed, in dirhams. 0 (the default)
	// means no budget.
	Budget float64
	// MaxChanges bounds the number of sites opened plus closed compared
	// with today. 0 (the default) means no limit; NoChanges allows none
	// (the plan is today's sites: what the rules give without a change).
	MaxChanges int
	// MaxTravel is a hard rule for every service whose rule sets none:
	// every area with demand is served within it, in the Metric. 0 (the
	// default) means no rule.
	MaxTravel float64
	// MinCoverage are equity rules on the share of demand within the
	// standard, by province.
	MinCoverage []CoverageRule
	// Decay makes MaxCoverage count demand beyond the standard in part.
	// Default nil: coverage stops at the standard.
	Decay *Decay
	// TravelCost converts travel into dirhams for FixedCharge: the cost
	// of one unit of weighted volume travelling one unit of the Metric.
	// Required (> 0) for FixedCharge, ignored otherwise.
	TravelCost float64
	// Metric is the measure of travel. Default Minutes.
	Metric Metric
	// TravelSource gives the legs from areas to establishments: the
	// override matrix Travel, then the Region's Travel matrix, then the
	// Estimator (unless NoEstimate). Default: the Region's matrix and the
	// default gst.Estimator.
	gst.TravelSource
}

// Method selects how Locate solves a problem.
type Method int

// The methods.
const (
	// Auto picks the method from the problem (see the package
	// documentation). The default.
	Auto Method = iota
	// MIP builds a mixed-integer programme and solves it with lp_solve:
	// the radius (nearest-site) formulation when capacities do not bind,
	// the assignment formulation when they do. It handles every rule.
	MIP
	// Engine uses the dedicated solvers (Lagrangian bounds, local search
	// and branch and bound) and fails with an error wrapping gst.ErrInvalid
	// when the problem has rules they do not handle.
	Engine
)

var methodNames = [...]string{Auto: "auto", MIP: "mip", Engine: "engine"}

// String returns "auto", "mip" or "engine".
func (m Method) String() string {
	if m >= 0 && int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// MarshalText encodes the method as its String form.
func (m Method) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText decodes a method from its String form, in any case.
func (m *Method) UnmarshalText(b []byte) error {
	i, ok := enumtext.Parse(b, methodNames[:], nil)
	if !ok {
		return fmt.Errorf("allocate: %w: unknown method %q (want auto, mip or engine)", gst.ErrInvalid, b)
	}
	*m = Method(i)
	return nil
}

// DefaultSiteCostLimit is the default Options.SiteCostLimit.
const DefaultSiteCostLimit = 40

// Options tune Locate. A nil *Options uses the defaults.
type Options struct {
	// SolveOptions bound the solve: TimeLimit (when it is reached Locate
	// returns the best plan found with its bound), GapTolerance (the gap
	// at which a plan counts as optimal and the engines stop; the bound of
	// an objective of integers, integer weights and travel, is rounded
	// up, so its optimum is proven exactly) and MaxModelBytes (a larger
	// model is refused with a *gst.TooLargeError).
	gst.SolveOptions
	// Method selects the solver. Default Auto.
	Method Method
	// NoRefine skips the second stage of PCenter, WeightedPCenter,
	// SetCovering and MaxCoverage, which picks, among the plans optimal
	// for the objective, one of least weighted travel. The second stage
	// gets at most twice the time spent before it (at least 5 s), within
	// the time limit; when it finds nothing better in that time the plan
	// of the first stage is kept (Plan.Notes says so). Default false.
	NoRefine bool
	// SiteCosts asks for the cost of forcing each closed site open and of
	// forbidding each open one, by re-solving the problem with the site
	// fixed (Plan.SiteCosts). Default false: only the bounds from the
	// linear relaxation are given, when the method has one.
	SiteCosts bool
	// SiteCostLimit bounds the number of sites SiteCosts re-solves, the
	// open ones first, then the closed ones nearest to demand. Default
	// DefaultSiteCostLimit (40).
	SiteCostLimit int
	// NoWhy skips the linear relaxation solved for reduced costs and duals
	// (Plan.SiteCosts bounds and Plan.CapacityValues). Default false.
	NoWhy bool
}
