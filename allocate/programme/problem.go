package programme

import (
	"github.com/gstplan/gst"
)

// ModuleID names a module type.
type ModuleID string

// Problem describes a GST's programme: over a horizon of periods, which
// services open or grow where, with how many modules of capacity, staffed
// by whom, within which budgets.
//
// Everything the programme needs from the other packages arrives as root
// types or plain numbers built by the caller: demand per calendar year (a
// gst.DemandTable per year, for example the capacity package's projection
// year by year), the staff committed to other work (for example WISN need),
// costs and rates.
type Problem struct {
	// Region holds the areas, establishments (existing and candidate),
	// services, categories and staff on roll. Required.
	Region *gst.Region
	// Periods are the steps of the programme, consecutive and in order
	// (for example 2026–2027, 2028–2030, 2031–2035). Required.
	Periods []Period
	// Demand gives the volume of each area and service in each calendar
	// year of the horizon, in the service's unit (cases, sessions, …), one
	// table per year. Every year of the horizon needs a table. Required.
	Demand []YearDemand
	// Services are the services planned together. Required.
	Services []ServiceRule
	// Modules are the module types: units of capacity with their costs
	// and staff. Every service needs at least one. Required.
	Modules []Module
	// Installed lists the modules in service today. Default (nil): each
	// existing establishment that offers a service of the programme has
	// ⌈capacity ÷ module capacity⌉ modules (at least one) of the
	// service's first module type, its offer's capacity being the
	// gst.Offer's.
	Installed []Installed
	// Categories give the attrition and recruitment rules of the staff
	// categories the modules need. A category without a rule loses nobody
	// and cannot recruit.
	Categories []CategoryRule
	// Committed is the staff on roll that other work needs (for example
	// the WISN need of the establishment's services outside the
	// programme): it neither staffs modules nor is lent. Default: none.
	Committed []Committed
	// Pooling sets how staff may work at other establishments.
	Pooling PoolingRules
	// CapitalBudget and RunningBudget bound each year's spend, in MAD; a
	// year not listed is unbounded. See Spend for what each includes.
	CapitalBudget []YearMAD
	RunningBudget []YearMAD
	// CarryOver lets a year spend what earlier years of the same budget
	// left unspent: the budget rows become cumulative.
	CarryOver bool
	// TotalBudgetMAD bounds the capital and running spend of the whole
	// horizon, in MAD. 0 (the default) means no total budget.
	TotalBudgetMAD float64
	// MaxTravel is the longest one-way travel, in minutes, over which
	// demand may be sent to a site, for every service whose rule sets
	// none: demand no open site within it can take is unserved. Default
	// 0: DefaultMaxTravelFactor × the service's standard, or no limit for
	// a service without one.
	MaxTravel float64
	// MinCoverage are equity rules: in a province, at least a share of the
	// demand for a service is served within the service's standard.
	MinCoverage []CoverageRule
	// Objective weighs unserved demand, patient travel and money.
	Objective Objective
	// Fix forces or forbids decisions.
	Fix []Fix
	// BaseYear is the year of the staff on roll. Default: the first
	// period's first year.
	BaseYear int
	// TravelSource gives the legs from areas to sites and between
	// establishments. Default: the region's matrix, then the default
	// gst.Estimator.
	gst.TravelSource
}

// Period is one step of the programme: Years consecutive calendar years
// from Start. Decisions (openings, modules, recruitment, pooling) are taken
// at the start of a period and hold through it.
type Period struct {
	Start int `json:"start"`
	// Years is the length of the period. Default 1.
	Years int `json:"years,omitempty"`
}

// YearDemand is the demand of one calendar year.
type YearDemand struct {
	Year  int              `json:"year"`
	Table *gst.DemandTable `json:"table"`
}

// ServiceRule says how a service takes part in the programme.
type ServiceRule struct {
	Service gst.ServiceID `json:"service"`
	// Sites lists the establishments that may offer the service. Default
	// (nil): every establishment, public unless Pooling.IncludePrivate,
	// whose level is at least the service's MinLevel, that exists (it may
	// add the service) or is a candidate whose offers list the service.
	Sites []gst.EstablishmentID `json:"sites,omitempty"`
	// StandardMinutes is the access standard, in one-way minutes, for the
	// figures and coverage rules. Default: the service's StandardMinutes.
	StandardMinutes float64 `json:"standard_minutes,omitempty"`
	// MaxTravel overrides Problem.MaxTravel for the service.
	MaxTravel float64 `json:"max_travel,omitempty"`
	// Reach is how many of an area's nearest eligible sites (within the
	// maximum travel) its demand may be sent to. Default DefaultReach.
	Reach int `json:"reach,omitempty"`
	// TripsPerUnit is the number of one-way trips a patient makes per
	// unit of volume (a caesarean: there and back, 2; a dialysis session:
	// 2). Default 2.
	TripsPerUnit float64 `json:"trips_per_unit,omitempty"`
	// UnservedMAD is the cost of one unit of demand the public network
	// does not serve (for example what it costs to buy it from a private
	// provider, or a planning penalty), in MAD. Required (> 0).
	UnservedMAD float64 `json:"unserved_mad"`
	// SetupMAD is the capital cost of starting the service at an
	// establishment that does not offer it, besides its modules and a
	// candidate's OpenCost. Default 0.
	SetupMAD float64 `json:"setup_mad,omitempty"`
	// MayClose lets the programme close the service where it is offered
	// today (at CloseMAD) and remove modules. Default false: what is open
	// stays open and modules are only added.
	MayClose bool `json:"may_close,omitempty"`
	// CloseMAD is the capital cost of closing the service at a site.
	CloseMAD float64 `json:"close_mad,omitempty"`
	// Team is the staff every site offering the service needs whatever
	// its number of modules (for example an obstetrician and an
	// anaesthetist on call day and night for caesarean sections), on top
	// of the modules' staff. Default: none.
	Team []Requirement `json:"team,omitempty"`
	// SingleSource sends all of an area's demand in a period to one site.
	// Default false: demand may be split between sites.
	SingleSource bool `json:"single_source,omitempty"`
}

// Requirement is the staff of one category a module needs, in FTE.
type Requirement struct {
	Category gst.CategoryID `json:"category"`
	FTE      float64        `json:"fte"`
}

// Module is a unit of capacity of a service: a dialysis unit of ten
// stations, a block of beds, a caesarean-capable maternity unit.
type Module struct {
	ID      ModuleID      `json:"id"`
	Name    string        `json:"name,omitempty"`
	Service gst.ServiceID `json:"service"`
	// Capacity is what one module serves a year, in the service's unit.
	// Required (> 0).
	Capacity float64 `json:"capacity"`
	// CapitalMAD is the one-off cost of adding one module (building and
	// equipment), in MAD.
	CapitalMAD float64 `json:"capital_mad,omitempty"`
	// RunningMAD is the yearly cost of running one module, staff salaries
	// excluded (consumables, maintenance), in MAD a year.
	RunningMAD float64 `json:"running_mad,omitempty"`
	// MaxPerSite is how many modules of this type one site can hold.
	// Default 1.
	MaxPerSite int `json:"max_per_site,omitempty"`
	// Staff is the staff every module needs on site in every year it runs.
	Staff []Requirement `json:"staff,omitempty"`
}

// Installed is a number of modules in service today at an establishment.
type Installed struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Module        ModuleID            `json:"module"`
	Count         int                 `json:"count"`
}

// CategoryRule gives the dynamics of one staff category.
type CategoryRule struct {
	Category gst.CategoryID `json:"category"`
	// AttritionRate is the share of the staff on roll who leave each year
	// (retirements, departures), in [0, 1). Recruits leave at the same
	// rate. Default 0.
	AttritionRate float64 `json:"attrition_rate,omitempty"`
	// RecruitPerYear is the most FTE of the category the region can
	// recruit in a year (the output of training). Default 0: none.
	RecruitPerYear float64 `json:"recruit_per_year,omitempty"`
	// RecruitMAD is the one-off cost of recruiting one FTE (hiring,
	// training), in MAD.
	RecruitMAD float64 `json:"recruit_mad,omitempty"`
	// LeadTimeYears is how long a recruitment takes: staff recruited at
	// the start of a period join the roll at the start of the first period
	// that begins at least this many years later. Default 0.
	LeadTimeYears int `json:"lead_time_years,omitempty"`
	// SalaryMAD is the yearly cost of one FTE. Default: the region's
	// Category.AnnualCost.
	SalaryMAD float64 `json:"salary_mad,omitempty"`
}

// Committed is staff on roll that other work needs.
type Committed struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Category      gst.CategoryID      `json:"category"`
	FTE           float64             `json:"fte"`
	// Year is the year the row holds for; 0 means every year. A year's
	// row replaces the all-years row of the same establishment and
	// category.
	Year int `json:"year,omitempty"`
}

// PoolingRules set how staff of one establishment may work at another to
// staff its modules. Zero fields take their defaults.
type PoolingRules struct {
	// None forbids pooling: modules are staffed by their site's own staff
	// and recruits.
	None bool `json:"none,omitempty"`
	// MaxCommuteMinutes is the longest one-way trip from home to host.
	// Default DefaultCommuteMinutes (60).
	MaxCommuteMinutes float64 `json:"max_commute_minutes,omitempty"`
	// Lenders is how many establishments, the nearest first, may lend
	// staff of a category to one site. Default DefaultLenders (16).
	Lenders int `json:"lenders,omitempty"`
	// MaxAwayShare is the largest share of a category's staff on roll at
	// an establishment that may work elsewhere, in (0, 1]. Default
	// DefaultAwayShare (0.5).
	MaxAwayShare float64 `json:"max_away_share,omitempty"`
	// MinStayFTE is the safe staffing that stays at every lender: an
	// establishment keeps at least this many FTE of each category it
	// lends. Default 0.
	MinStayFTE float64 `json:"min_stay_fte,omitempty"`
	// MaxPooledFTE caps the FTE pooled in each period, all categories
	// together. Default 0: no cap.
	MaxPooledFTE float64 `json:"max_pooled_fte,omitempty"`
	// PerKmMAD is the mileage allowance per km driven and PerSessionMAD an
	// allowance per session worked away, in MAD.
	PerKmMAD      float64 `json:"per_km_mad,omitempty"`
	PerSessionMAD float64 `json:"per_session_mad,omitempty"`
	// SessionsPerFTE is the number of half-day sessions a week of one FTE.
	// Default DefaultSessionsPerFTE (10).
	SessionsPerFTE float64 `json:"sessions_per_fte,omitempty"`
	// WeeksPerYear is the number of working weeks a year. Default
	// DefaultWeeksPerYear (44).
	WeeksPerYear float64 `json:"weeks_per_year,omitempty"`
	// IncludePrivate lets private establishments lend, host and offer.
	// Default false.
	IncludePrivate bool `json:"include_private,omitempty"`
}

// YearMAD is an amount of money for one calendar year.
type YearMAD struct {
	Year int     `json:"year"`
	MAD  float64 `json:"mad"`
}

// CoverageRule is an equity rule: in a province, from a year on, at least a
// share of the demand for a service is served within the service's
// standard.
type CoverageRule struct {
	// Province is the province bound; empty binds every province with
	// demand for the service.
	Province gst.ProvinceID `json:"province,omitempty"`
	// Service is the service bound; empty binds every service.
	Service gst.ServiceID `json:"service,omitempty"`
	// MinShare is the least share, in [0, 1].
	MinShare float64 `json:"min_share"`
	// FromYear is the first year the rule binds (it binds from the first
	// period that starts in or after it). Default: the first year.
	FromYear int `json:"from_year,omitempty"`
}

// Objective weighs what the programme minimises. All terms are in MAD,
// discounted to the first year: spend (capital and running), the cost of
// demand left unserved (ServiceRule.UnservedMAD a unit) and patient travel
// valued at TravelMADPerHour. Unserved demand and travel of an area count
// 1 + DeprivationWeight × q times, q its deprivation rank in [0, 1].
//
// With Lexicographic set, the programme first minimises the weighted
// unserved demand (discounted), then the whole weighted sum among the
// programmes that reach that first optimum.
type Objective struct {
	// TravelMADPerHour is the value of one hour of one-way patient
	// travel, in MAD. Default DefaultTravelMADPerHour.
	TravelMADPerHour float64 `json:"travel_mad_per_hour,omitempty"`
	// DeprivationWeight raises the weight of unserved demand and travel in
	// deprived areas (see above). Default 0.
	DeprivationWeight float64 `json:"deprivation_weight,omitempty"`
	// DiscountRate discounts year t by (1 + rate)^−(t − first year).
	// Default 0.
	DiscountRate float64 `json:"discount_rate,omitempty"`
	// Lexicographic puts unserved demand first. Default false: one
	// weighted sum.
	Lexicographic bool `json:"lexicographic,omitempty"`
}

// Fix forces or forbids a decision: that a service is offered at an
// establishment from a year (Open), or never offered there (Forbid).
type Fix struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Service       gst.ServiceID       `json:"service"`
	// Open forces the service open from the period that holds Year (the
	// first period when Year is 0); otherwise the fix forbids the service
	// at the establishment in every period (or from Year on, for a service
	// open today that may close).
	Open bool `json:"open"`
	Year int  `json:"year,omitempty"`
}

// Defaults.
const (
	// DefaultReach is the default ServiceRule.Reach: an area's demand may
	// go to its twelve nearest eligible sites.
	DefaultReach = 12
	// DefaultMaxTravelFactor is the default maximum travel of a service
	// with a standard, as a multiple of the standard.
	DefaultMaxTravelFactor = 2.0
	// DefaultCommuteMinutes is the default PoolingRules.MaxCommuteMinutes.
	DefaultCommuteMinutes = 60.0
	// DefaultLenders is the default PoolingRules.Lenders.
	DefaultLenders = 16
	// DefaultAwayShare is the default PoolingRules.MaxAwayShare.
	DefaultAwayShare = 0.5
	// DefaultSessionsPerFTE is the default PoolingRules.SessionsPerFTE.
	DefaultSessionsPerFTE = 10.0
	// DefaultWeeksPerYear is the default PoolingRules.WeeksPerYear: 52
	// weeks less annual leave, public holidays and other absence.
	DefaultWeeksPerYear = 44.0
	// DefaultTravelMADPerHour is the default Objective.TravelMADPerHour:
	// about Morocco's hourly statutory minimum wage (SMIG) in 2025, a
	// planning assumption for the value of a patient's time.
	DefaultTravelMADPerHour = 17.0
	// DefaultTripsPerUnit is the default ServiceRule.TripsPerUnit.
	DefaultTripsPerUnit = 2.0
)
