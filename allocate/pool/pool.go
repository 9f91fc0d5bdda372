package pool

import (
	"fmt"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/enumtext"
)

// Pooling defaults.
const (
	// DefaultCommuteMinutes is the default longest one-way trip from
	// home to host for one session: an hour, which a shared post in a
	// province can ask of a specialist.
	DefaultCommuteMinutes = 60.0
	// DefaultAwayShare is the default largest share of a person's time
	// away from the home establishment: half of the week.
	DefaultAwayShare = 0.5
	// DefaultSessionsPerFTE is the number of half-day sessions a week in a
	// full-time post (ten, as the programmed activities of a full-time
	// hospital doctor's job plan).
	DefaultSessionsPerFTE = 10.0
	// DefaultMaxMIPColumns is the default Options.MaxMIPColumns:
	// lp_solve proved optimal a coupled part of 21,000 columns (three
	// categories, 60 caesarean teams, 1,200 establishments) in 2.6 s.
	DefaultMaxMIPColumns = 30000
	// tieMADPerMinute breaks ties between plans of equal cost in favour
	// of shorter trips.
	tieMADPerMinute = 1e-6
)

// Need is the staff need of one category at one establishment, for
// example capacity.WISN's required staff (a WISNRow's Required, in FTE).
// Give the need in FTE or in sessions per week, not both.
type Need struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Category      gst.CategoryID      `json:"category"`
	// FTE is the need in full-time equivalents.
	FTE float64 `json:"fte,omitempty"`
	// SessionsPerWeek is the need in sessions a week, an alternative to
	// FTE (divided by Options.SessionsPerFTE).
	SessionsPerWeek float64 `json:"sessions_per_week,omitempty"`
	// Priority weights this need's unmet FTE in the objective. Default
	// (0): the category rule's Priority, 1 without one.
	Priority float64 `json:"priority,omitempty"`
	// MinFTE is a hard rule: at least this many FTE of the category work
	// at the establishment in the plan (its own staff who stay and staff
	// received). Default 0: no rule.
	MinFTE float64 `json:"min_fte,omitempty"`
}

// Role is one category a team needs, in FTE.
type Role struct {
	Category gst.CategoryID `json:"category"`
	FTE      float64        `json:"fte"`
}

// Team is a service that an establishment delivers only with a complete
// team, for example caesarean sections, which need an obstetrician, an
// anaesthetist and midwives on site. The roles are need on top of the
// establishment's Need rows: when a WISN need already includes the
// team's workload, take the roles out of it.
type Team struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Service       gst.ServiceID       `json:"service"`
	Roles         []Role              `json:"roles"`
	// Priority weights each FTE of the roles left unmet when the team is
	// not delivered. Default 1.
	Priority float64 `json:"priority,omitempty"`
	// Required makes delivery a hard rule.
	Required bool `json:"required,omitempty"`
}

// FTE is a number of FTE of one category at one establishment.
type FTE struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Category      gst.CategoryID      `json:"category"`
	FTE           float64             `json:"fte"`
}

// Rules are the rules of a pooling plan. Zero fields take their
// defaults.
type Rules struct {
	// MaxCommuteMinutes is the longest one-way trip from home to host.
	// Default DefaultCommuteMinutes (60).
	MaxCommuteMinutes float64 `json:"max_commute_minutes,omitempty"`
	// MaxAwayShare is the largest share of a category's staff time at an
	// establishment that may be spent at other establishments, in (0, 1].
	// Default DefaultAwayShare (0.5).
	MaxAwayShare float64 `json:"max_away_share,omitempty"`
	// MinStayFTE is the safe staffing that stays at every origin: a home
	// keeps at least this many FTE of each category it sends from.
	// Default 0.
	MinStayFTE float64 `json:"min_stay_fte,omitempty"`
	// MinStayShare is a safe staffing rule in proportion to the origin's
	// own need: a home keeps at least MinStayShare × its need, in [0, 1].
	// Default 0.
	MinStayShare float64 `json:"min_stay_share,omitempty"`
	// MaxMovedFTE caps the FTE moved, summed over every move of every
	// category. Default 0: no cap.
	MaxMovedFTE float64 `json:"max_moved_fte,omitempty"`
	// MaxMoves caps the number of moves: distinct (home, host, category)
	// with staff moved, whatever the FTE. Default 0: no cap.
	MaxMoves int `json:"max_moves,omitempty"`
	// DeprivationWeight raises the priority of need in deprived places:
	// weights are multiplied by 1 + DeprivationWeight × q, q the
	// deprivation rank in [0, 1]. Default 0.
	DeprivationWeight float64 `json:"deprivation_weight,omitempty"`
	// PerKmMAD is the mileage allowance per km driven, in MAD. Default 0.
	PerKmMAD float64 `json:"per_km_mad,omitempty"`
	// PerSessionMAD is an allowance paid per session worked away from
	// home, in MAD. Default 0.
	PerSessionMAD float64 `json:"per_session_mad,omitempty"`
	// PerMoveMAD is a fixed cost of each move, in MAD a week, whatever
	// its size: the coordination, scheduling and allowances that one more
	// shared post costs (a move is a distinct home, host and category with
	// staff moved). It is part of the weekly cost. Default 0.
	PerMoveMAD float64 `json:"per_move_mad,omitempty"`
	// MinMoveSessions is the smallest move, in whole sessions a week: a
	// move carries no staff or at least this many sessions. Default 0: no
	// minimum beyond the granularity.
	MinMoveSessions int `json:"min_move_sessions,omitempty"`
	// IncludePrivate lets private establishments take part. Default false:
	// pooling is among public establishments, and a need or team at a
	// private one is an error.
	IncludePrivate bool `json:"include_private,omitempty"`
}

// CategoryRule overrides the rules for one category. Zero fields keep
// the value of Rules.
type CategoryRule struct {
	Category          gst.CategoryID `json:"category"`
	MaxCommuteMinutes float64        `json:"max_commute_minutes,omitempty"`
	MaxAwayShare      float64        `json:"max_away_share,omitempty"`
	MinStayFTE        float64        `json:"min_stay_fte,omitempty"`
	MinStayShare      float64        `json:"min_stay_share,omitempty"`
	// MaxMovedFTE caps the FTE of this category moved. Default 0: no cap.
	MaxMovedFTE float64 `json:"max_moved_fte,omitempty"`
	// PerMoveMAD and MinMoveSessions override the fixed weekly cost and
	// the smallest size of the category's moves.
	PerMoveMAD      float64 `json:"per_move_mad,omitempty"`
	MinMoveSessions int     `json:"min_move_sessions,omitempty"`
	// Priority is the default priority of the category's need rows.
	// Default 1.
	Priority float64 `json:"priority,omitempty"`
	// Fixed keeps every member of the category at home.
	Fixed bool `json:"fixed,omitempty"`
}

// Problem describes a pooling decision: the region, the need, the teams
// and the rules.
type Problem struct {
	// Region holds the establishments, their staff on roll and the
	// categories. Required.
	Region *gst.Region
	// Need lists the need by establishment and category (at most one row
	// each). The categories pooled are those of Need and Teams.
	Need []Need
	// Teams lists the services that need complete teams.
	Teams []Team
	// OnRoll overrides the staff on roll of the establishments and
	// categories it lists (at most one row each). Default: the region's.
	OnRoll []FTE
	// Floors gives the safe staffing that must stay at particular origins,
	// on top of the rules.
	Floors []FTE
	// Rules are the rules of the plan; Categories override them by
	// category (at most one rule each).
	Rules      Rules
	Categories []CategoryRule
	// Catchment, when given, sets the deprivation of an establishment to
	// that of the people it serves (population × share weighted), instead
	// of that of the area it stands in.
	Catchment *gst.Assignment
	// TravelSource gives the legs between establishments: the override
	// matrix Travel, then the region's Travel matrix, then the Estimator
	// (unless NoEstimate). Default: the region's matrix and the default
	// gst.Estimator.
	gst.TravelSource
}

// Granularity says in what steps staff move.
type Granularity int

// The granularities.
const (
	// Continuous moves any FTE (the default).
	Continuous Granularity = iota
	// Sessions moves whole sessions a week.
	Sessions
	// Posts moves whole posts (whole FTE).
	Posts
)

var granularityNames = [...]string{Continuous: "continuous", Sessions: "sessions", Posts: "posts"}

// String returns "continuous", "sessions" or "posts".
func (g Granularity) String() string {
	if g >= 0 && int(g) < len(granularityNames) {
		return granularityNames[g]
	}
	return fmt.Sprintf("Granularity(%d)", int(g))
}

// MarshalText encodes the granularity as its String form.
func (g Granularity) MarshalText() ([]byte, error) { return []byte(g.String()), nil }

// UnmarshalText decodes a granularity from its String form, in any case.
func (g *Granularity) UnmarshalText(b []byte) error {
	i, ok := enumtext.Parse(b, granularityNames[:], nil)
	if !ok {
		return fmt.Errorf("allocate: pool: %w: unknown granularity %q (want continuous, sessions or posts)", gst.ErrInvalid, b)
	}
	*g = Granularity(i)
	return nil
}

// Method selects how Solve solves a problem.
type Method int

// The methods.
const (
	// Auto uses flows where the categories are independent, a branch
	// and bound over team decisions for parts that only teams couple,
	// integer programmes for the other coupled parts (and those whose
	// search needs too many nodes) within Options.MaxMIPColumns, and
	// the relaxation-and-rounding heuristic for larger coupled parts
	// (the default).
	Auto Method = iota
	// MIP solves every coupled part, and every category with move rules
	// (Rules.PerMoveMAD, Rules.MinMoveSessions), as an integer
	// programme, refusing with a *gst.TooLargeError one above
	// Options.MaxModelBytes (or, for a category with move rules alone,
	// Options.MaxMIPColumns).
	MIP
	// Heuristic uses the relaxation-and-rounding heuristic for every
	// coupled part by teams (caps and move counts still need the integer
	// programme).
	Heuristic
)

var methodNames = [...]string{Auto: "auto", MIP: "mip", Heuristic: "heuristic"}

// String returns "auto", "mip" or "heuristic".
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
		return fmt.Errorf("allocate: pool: %w: unknown method %q (want auto, mip or heuristic)", gst.ErrInvalid, b)
	}
	*m = Method(i)
	return nil
}

// Options tune Solve. A nil *Options uses the defaults.
type Options struct {
	// Granularity says in what steps staff move. Default Continuous.
	Granularity Granularity
	// SessionsPerFTE is the number of sessions a week of a full-time
	// post. Default DefaultSessionsPerFTE (10).
	SessionsPerFTE float64
	// UnmetValueMAD, when positive, replaces the lexicographic objective
	// by the weighted sum UnmetValueMAD × weighted unmet FTE + travel cost
	// in MAD per week. Default 0: lexicographic.
	UnmetValueMAD float64
	// Method selects the solver of coupled parts. Default Auto.
	Method Method
	// SolveOptions bound the solve: TimeLimit (when it is reached Solve
	// returns the best plan found with its bound), GapTolerance (the gap
	// at which a plan counts as optimal, and the tolerance within which
	// the second stage of an integer programme keeps the weighted unmet
	// need) and MaxModelBytes (the estimated memory of the largest model:
	// an integer programme, or one category's network with the candidate
	// moves, each worker holding one network at a time).
	gst.SolveOptions
	// MaxMIPColumns is the largest coupled part, in columns, that Auto
	// solves as an integer programme. Default DefaultMaxMIPColumns
	// (30,000).
	MaxMIPColumns int
	// Workers is how many categories are solved at once. Default
	// runtime.GOMAXPROCS(0). The plan does not depend on it.
	Workers int
	// NoMarginalValues skips the marginal values. Default false.
	NoMarginalValues bool
}

// Move is staff of one category of one home establishment working at
// another.
type Move struct {
	Category gst.CategoryID      `json:"category"`
	From     gst.EstablishmentID `json:"from"`
	To       gst.EstablishmentID `json:"to"`
	// FTE and SessionsPerWeek are the time moved.
	FTE             float64 `json:"fte"`
	SessionsPerWeek float64 `json:"sessions_per_week"`
	// Minutes and Km are the one-way trip.
	Minutes float64 `json:"minutes"`
	Km      float64 `json:"km"`
	// TravelMinutesPerWeek is the round trips of every session, and
	// CostMADPerWeek their cost (without the tie-breaking term) plus the
	// move's fixed cost, FixedMADPerWeek (Rules.PerMoveMAD).
	TravelMinutesPerWeek float64 `json:"travel_minutes_per_week"`
	CostMADPerWeek       float64 `json:"cost_mad_per_week"`
	FixedMADPerWeek      float64 `json:"fixed_mad_per_week,omitempty"`
}

// Site is one category at one establishment, before and after the plan.
type Site struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Category      gst.CategoryID      `json:"category"`
	// Need is the need row plus the roles of the establishment's teams,
	// in FTE.
	Need float64 `json:"need"`
	// OnRoll is the staff on roll; Out the FTE sent to work elsewhere, In
	// the FTE received, Present = OnRoll − Out + In.
	OnRoll  float64 `json:"on_roll"`
	Out     float64 `json:"out"`
	In      float64 `json:"in"`
	Present float64 `json:"present"`
	// Floor is the safe staffing that stays and Spare the FTE that may
	// leave (see the rules).
	Floor float64 `json:"floor"`
	Spare float64 `json:"spare"`
	// MinFTE repeats the need row's hard minimum.
	MinFTE float64 `json:"min_fte,omitempty"`
	// Weight is the priority weight of one unmet FTE of the need row.
	Weight float64 `json:"weight"`
	// UnmetBefore and Unmet are the FTE of need left uncovered without
	// moves and with the plan (team roles of teams not delivered
	// included).
	UnmetBefore float64 `json:"unmet_before"`
	Unmet       float64 `json:"unmet"`
	// RatioBefore and RatioAfter are WISN ratios, OnRoll / Need and
	// Present / Need; nil when Need is zero.
	RatioBefore *float64 `json:"ratio_before"`
	RatioAfter  *float64 `json:"ratio_after"`
	// MarginalValue is the reduction of the weighted unmet need that one
	// more FTE present here would bring (see the package documentation): weighted FTE per FTE.
	MarginalValue float64 `json:"marginal_value"`
}

// TeamResult says whether a team is delivered.
type TeamResult struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Service       gst.ServiceID       `json:"service"`
	Required      bool                `json:"required,omitempty"`
	// Weight is the priority weight of each unmet FTE of the roles.
	Weight float64 `json:"weight"`
	// Before says whether the establishment's own staff deliver it
	// without moves; Delivered whether the plan does.
	Before    bool `json:"before"`
	Delivered bool `json:"delivered"`
	// Roles lists the roles with the staff present for each in the plan.
	Roles []Role `json:"roles"`
}

// Figures sums up a plan, or the situation without moves.
type Figures struct {
	// Need and Unmet are FTE summed over categories; WeightedUnmet is the
	// objective's first term.
	Need          float64 `json:"need"`
	Unmet         float64 `json:"unmet"`
	WeightedUnmet float64 `json:"weighted_unmet"`
	// Short counts the (establishment, category) pairs with unmet need.
	Short int `json:"short"`
	// TeamsDelivered counts the teams delivered.
	TeamsDelivered int `json:"teams_delivered"`
	// MovedFTE, Moves, TravelMinutesPerWeek (the staff's round trips),
	// TravelHoursPerWeek (the same in hours) and CostMADPerWeek (travel
	// and fixed costs) describe the moves (zero without moves);
	// FixedMADPerWeek is the part of the cost that the moves' fixed cost
	// makes.
	MovedFTE             float64 `json:"moved_fte"`
	Moves                int     `json:"moves"`
	TravelMinutesPerWeek float64 `json:"travel_minutes_per_week"`
	TravelHoursPerWeek   float64 `json:"travel_hours_per_week"`
	CostMADPerWeek       float64 `json:"cost_mad_per_week"`
	FixedMADPerWeek      float64 `json:"fixed_mad_per_week,omitempty"`
}

// ModelStats describe the models solved.
type ModelStats struct {
	// Categories, Sites and Arcs count the categories pooled, the
	// (establishment, category) pairs and the candidate moves.
	Categories int `json:"categories"`
	Sites      int `json:"sites"`
	Arcs       int `json:"arcs"`
	// Flows counts the flow problems solved, Pivots their simplex pivots.
	Flows  int   `json:"flows"`
	Pivots int64 `json:"pivots"`
	// MIPs counts the integer programmes solved, with their largest size.
	MIPs       int `json:"mips"`
	MIPRows    int `json:"mip_rows"`
	MIPColumns int `json:"mip_columns"`
	// SearchNodes counts the nodes of the searches over team decisions,
	// MoveNodes those of the searches over moves (fixed costs and
	// minimum sizes).
	SearchNodes int `json:"search_nodes"`
	MoveNodes   int `json:"move_nodes"`
	// EstimatedBytes is the estimate checked against MaxModelBytes.
	EstimatedBytes int64 `json:"estimated_bytes"`
}

// Plan is the answer of Solve.
type Plan struct {
	// Status is gst.StatusOptimal when the plan is proven optimal (Gap,
	// and with the lexicographic objective CostGap, within GapTolerance),
	// gst.StatusFeasible when a heuristic part or the search over moves
	// leaves a gap, gst.StatusTimeLimit or gst.StatusCanceled when the
	// solve was stopped (parts not solved keep their staff at home).
	Status gst.Status `json:"status"`
	// Method says how each part was solved.
	Method      string      `json:"method"`
	Granularity Granularity `json:"granularity"`
	// Lexicographic is true unless UnmetValueMAD was set.
	Lexicographic bool `json:"lexicographic"`
	// WeightedUnmet is the first objective, Bound a proven lower bound on
	// it and Gap their relative gap.
	WeightedUnmet float64 `json:"weighted_unmet"`
	Bound         float64 `json:"bound"`
	Gap           float64 `json:"gap"`
	// CostMADPerWeek is the second objective (without the tie-breaking
	// term) and Objective, with UnmetValueMAD, the weighted sum.
	CostMADPerWeek float64 `json:"cost_mad_per_week"`
	Objective      float64 `json:"objective"`
	// CostBound is, with the lexicographic objective, a proven lower
	// bound on the weekly cost of any plan that leaves no more weighted
	// unmet need than this one, and CostGap its relative gap to
	// CostMADPerWeek; a CostBound of 0 (CostGap 1) says no bound is
	// proven, as when the weighted unmet need is not. With UnmetValueMAD
	// the cost is part of the Objective, and Bound and Gap cover it;
	// CostBound and CostGap are then 0.
	CostBound float64 `json:"cost_bound"`
	CostGap   float64 `json:"cost_gap"`
	// Moves lists the moves, sorted by category, home and host.
	Moves []Move `json:"moves"`
	// Sites lists every (establishment, category) of the problem, sorted
	// by establishment then category.
	Sites []Site `json:"sites"`
	// Teams lists the teams sorted by establishment and service.
	Teams []TeamResult `json:"teams,omitempty"`
	// Before and After sum up the situation without moves and the plan.
	Before Figures `json:"before"`
	After  Figures `json:"after"`
	// Model describes the models solved.
	Model ModelStats `json:"model"`
	// Notes are remarks on the solve.
	Notes []string `json:"notes,omitempty"`
	// Elapsed is the wall time of Solve, the only field that differs
	// between two runs on the same input.
	Elapsed time.Duration `json:"-"`
}
