package capfl

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/msgtext"
)

// Problem is a capacitated facility location instance: m candidate sites,
// n customers, and the cost of serving each customer from each site.
//
//	minimise  Σ_i FixedCost[i]·y_i + Σ_i Σ_j Cost[i][j]·x_ij
//	s.t.      Σ_i x_ij = 1                        every customer j
//	          Σ_j Demand[j]·x_ij ≤ Capacity[i]·y_i every site i
//	          x_ij ≤ y_i,  x_ij ≥ 0,  y_i ∈ {0, 1}
//	          MinOpen ≤ Σ_i y_i ≤ MaxOpen
//	          y_i = 1 for i in Open, y_i = 0 for i in Closed
//	          x_ij ∈ {0, 1} when SingleSource
//
// The capacitated p-median problem is the special case with no fixed costs,
// MinOpen = MaxOpen = p and SingleSource set (see NewPMedian).
//
// A Problem is read, never modified, by Solve; it may be shared between
// goroutines that do not modify it.
type Problem struct {
	// Capacity[i] is the capacity of site i, in the unit of Demand. Each
	// must be finite and >= 0. Its length is the number of sites m.
	Capacity []float64
	// FixedCost[i] is the cost of opening site i, finite and >= 0. Nil
	// means every site opens for free (as in the p-median problem);
	// otherwise its length is m.
	FixedCost []float64
	// Demand[j] is the demand of customer j, finite and >= 0. Its length
	// is the number of customers n.
	Demand []float64
	// Cost[i][j] is the cost of serving all of customer j's demand from
	// site i (for example demand × travel time); serving a share x of it
	// costs x·Cost[i][j]. Each must be >= 0 and not NaN; +Inf forbids the
	// pair (for example a site beyond a maximum travel time). Cost has m
	// rows of n columns.
	Cost [][]float64
	// SingleSource requires every customer to be served by exactly one
	// site. Default false: a customer's demand may be split across sites.
	SingleSource bool
	// MinOpen is the least number of sites to open. Default 0.
	MinOpen int
	// MaxOpen is the most sites to open; 0 (the default) means no limit.
	MaxOpen int
	// Open lists sites that must open (existing sites that stay).
	Open []int
	// Closed lists sites that may not open.
	Closed []int
}

// NewPMedian returns the capacitated p-median problem with the given
// distances (dist[i][j] from candidate median i to customer j; +Inf forbids
// the pair), demands, median capacities and number of medians: each
// customer is assigned to exactly one of exactly p medians, the demand
// assigned to a median is at most its capacity, and the sum of the
// distances is minimised. To minimise demand-weighted distance instead,
// pass dist[i][j]·demand[j]. The slices are not copied.
func NewPMedian(dist [][]float64, demand, capacity []float64, p int) *Problem {
	return &Problem{
		Capacity:     capacity,
		Demand:       demand,
		Cost:         dist,
		SingleSource: true,
		MinOpen:      p,
		MaxOpen:      p,
	}
}

// Options tune Solve. A nil *Options uses the defaults.
type Options struct {
	// GapTolerance is the relative gap (objective − bound)/objective at
	// which a solution counts as optimal and branch and bound prunes.
	// Default 1e-6. When every cost is an integer and SingleSource is
	// set, the objective is an integer and bounds are rounded up, so the
	// proof is exact whatever the tolerance.
	GapTolerance float64
	// TimeLimit bounds the wall time of the solve; 0 (the default) means
	// no limit besides the context's deadline. The earlier applies.
	TimeLimit time.Duration
	// NodeLimit bounds the branch-and-bound nodes; 0 (the default) means
	// no limit. When it is reached the best solution is returned with
	// status StatusFeasible and its proven bound.
	NodeLimit int
	// IterationLimit bounds the Lagrangian (subgradient) iterations of
	// the solve, those of its nested assignment searches included; 0
	// (the default) means no limit. When it is reached the best
	// solution is returned with status StatusFeasible and its proven
	// bound, as with NodeLimit. Unlike TimeLimit it counts work, so the
	// answer does not depend on the machine's speed or load: an
	// iteration solves a knapsack per site that may open, so its cost
	// grows with the site–customer pairs.
	IterationLimit int
	// RootOnly stops after the root node (Lagrangian bound and
	// heuristics) without branching. Default false.
	RootOnly bool
	// InitialOpen is a set of sites to evaluate first as a starting
	// incumbent (for example today's network). Default none. It is
	// ignored when it breaks a rule of the problem.
	InitialOpen []int
	// MaxPairs is the largest number of site–customer pairs (m·n) Solve
	// accepts; a larger problem returns an error wrapping
	// gst.ErrTooLarge before anything is allocated. Peak memory is
	// about 100 bytes per pair (measured: 0.5 GB for 5 million pairs).
	// Default DefaultMaxPairs.
	MaxPairs int
	// Cutoff, when positive, asks only for solutions of objective at most
	// Cutoff (in the unit of Cost): the search prunes every node whose
	// bound exceeds it, even when it holds no such solution yet, and ends
	// as soon as its bound proves that none exists, with a *CutoffError.
	// A solution at or below the cutoff is searched and proven as
	// without one. Use it to check a solution against a known value: a
	// fixed set of open sites (Open and Closed) that must serve the
	// customers at no more than a plan in hand. 0 (the default) means no
	// cutoff; it must be finite and >= 0.
	Cutoff float64
	// Progress, when not nil, is called with the incumbent's objective
	// when a better solution is found (bound NaN) and with a proven lower
	// bound on the optimum when the search improves it (objective NaN),
	// from the goroutine that called Solve. Default: none.
	Progress func(objective, bound float64)
}

// DefaultMaxPairs is the default Options.MaxPairs: 10 million pairs, about
// 1 GB of peak memory.
const DefaultMaxPairs = 10_000_000

// Share is part of a customer's demand served by a site.
type Share struct {
	// Site is the index of the serving site.
	Site int
	// Fraction is the share of the customer's demand, in (0, 1].
	Fraction float64
}

// Solution is the answer of Solve: the open sites, the assignment, its cost
// and a proven lower bound on the optimum.
type Solution struct {
	// Status is StatusOptimal when Gap ≤ GapTolerance, StatusFeasible
	// when the node or iteration limit stopped the search (or RootOnly
	// was set) first, StatusTimeLimit or StatusCanceled when the deadline
	// or the context did.
	Status gst.Status
	// Objective is FixedCost + AssignmentCost, recomputed from Open and
	// Assign.
	Objective float64
	// FixedCost is the sum of the fixed costs of the open sites.
	FixedCost float64
	// AssignmentCost is Σ Cost[i][j]·x_ij.
	AssignmentCost float64
	// Bound is a proven lower bound on the optimal objective.
	Bound float64
	// Gap is gst.Gap(Objective, Bound).
	Gap float64
	// RootBound is the Lagrangian lower bound at the root node, before
	// branching.
	RootBound float64
	// Open lists the open sites in increasing order.
	Open []int
	// Assign[j] lists the sites serving customer j with their shares,
	// by increasing site; a single entry with Fraction 1 under
	// SingleSource. A customer with zero demand is still assigned.
	Assign [][]Share
	// Load[i] is the demand served by site i (zero for closed sites).
	Load []float64
	// CapacityValue[i], under multi-sourcing, is the marginal value of
	// capacity at open site i: the decrease of AssignmentCost per extra
	// unit of Capacity[i] with the open sites kept (the dual value of its
	// capacity row in the transportation problem of the open sites; zero
	// for a site with spare capacity and for closed sites). Nil under
	// single sourcing, where the assignment has no such duals.
	CapacityValue []float64
	// FlipBound[i] is a proven lower bound on the optimal objective when
	// site i takes the opposite state: forced open if it is closed in
	// the solution, closed if it is open. It comes from the Lagrangian
	// multipliers of the root node, so it is cheap and may be weak:
	// FlipBound[i] − Objective is a lower bound on the cost of forcing
	// or forbidding site i when it is positive. +Inf when the flip breaks
	// a rule of the problem (a site listed in Open or Closed) or leaves
	// it without solution. Nil when the solve stopped before the root
	// node was done.
	FlipBound []float64
	// Nodes is the number of branch-and-bound nodes processed (the root
	// counts as one).
	Nodes int
	// Iterations is the number of Lagrangian (subgradient) iterations
	// of the search, those of the nested assignment searches excluded.
	Iterations int
}

// CutoffError is the answer of Solve when Options.Cutoff is set and the
// search proves that no solution has an objective at or below it. It wraps
// gst.ErrNoSolution.
type CutoffError struct {
	// Cutoff is Options.Cutoff.
	Cutoff float64
	// Bound is a proven lower bound on the optimal objective, reported
	// as Solution.Bound is (rounded with integer costs, so it may show
	// Cutoff itself when the proof was by a hair). A problem with no
	// solution at all returns an *InfeasibleError instead.
	Bound float64
	// Nodes is the number of branch-and-bound nodes processed (the root
	// counts as one).
	Nodes int
}

// Error says that every solution costs more than the cutoff.
func (e *CutoffError) Error() string {
	return fmt.Sprintf("capfl: no solution of objective at most the cutoff %s (proven in %d nodes; bound %s)",
		msgtext.Number(e.Cutoff), e.Nodes, msgtext.Number(e.Bound))
}

// Unwrap returns gst.ErrNoSolution.
func (e *CutoffError) Unwrap() error { return gst.ErrNoSolution }

// InfeasibleError explains why a problem has no solution. It wraps
// gst.ErrInfeasible.
type InfeasibleError struct {
	// Reason says which rules clash.
	Reason string
}

// Error returns "capfl: infeasible: " followed by the reason.
func (e *InfeasibleError) Error() string { return "capfl: infeasible: " + e.Reason }

// Unwrap returns gst.ErrInfeasible.
func (e *InfeasibleError) Unwrap() error { return gst.ErrInfeasible }

func infeasible(format string, args ...any) error {
	return &InfeasibleError{Reason: fmt.Sprintf(format, args...)}
}

// Validate checks the problem and reports every problem at once, as an
// errors.Join of *gst.ValidationError values; errors.Is(err,
// gst.ErrInvalid) holds. Rules that are well formed but clash (more sites
// forced open than MaxOpen, MinOpen above the sites not closed, too little
// capacity) are not invalid: Solve reports them as infeasible.
func (p *Problem) Validate() error {
	var ps gst.Problems
	if p == nil {
		ps.Add("problem", "", fmt.Errorf("nil problem"))
		return ps.Err()
	}
	m, n := len(p.Capacity), len(p.Demand)
	if m == 0 {
		ps.Add("problem", "capacity", fmt.Errorf("no sites"))
	}
	for i, s := range p.Capacity {
		ps.CheckNonNegative(fmt.Sprintf("site %d", i), "capacity", s)
	}
	if p.FixedCost != nil {
		if len(p.FixedCost) != m {
			ps.Addf("problem", "fixed cost", "has %d entries for %d sites", len(p.FixedCost), m)
		}
		for i, f := range p.FixedCost {
			ps.CheckNonNegative(fmt.Sprintf("site %d", i), "fixed cost", f)
		}
	}
	for j, d := range p.Demand {
		ps.CheckNonNegative(fmt.Sprintf("customer %d", j), "demand", d)
	}
	if len(p.Cost) != m {
		ps.Addf("problem", "cost", "has %d rows for %d sites", len(p.Cost), m)
	}
	for i, row := range p.Cost {
		if len(row) != n {
			ps.Addf(fmt.Sprintf("site %d", i), "cost", "has %d entries for %d customers", len(row), n)
			continue
		}
		for j, c := range row {
			if math.IsNaN(c) || c < 0 || math.IsInf(c, -1) {
				ps.Addf(fmt.Sprintf("site %d customer %d", i, j), "cost", "must be >= 0 or +Inf, got %v", c)
			}
		}
	}
	if p.MinOpen < 0 {
		ps.Addf("problem", "min open", "must be >= 0, got %d", p.MinOpen)
	}
	if p.MaxOpen < 0 {
		ps.Addf("problem", "max open", "must be >= 0 (0: no limit), got %d", p.MaxOpen)
	}
	if p.MinOpen > m {
		ps.Addf("problem", "min open", "%d exceeds the %d sites", p.MinOpen, m)
	}
	if p.MaxOpen > m {
		ps.Addf("problem", "max open", "%d exceeds the %d sites", p.MaxOpen, m)
	}
	if p.MaxOpen > 0 && p.MinOpen > p.MaxOpen {
		ps.Addf("problem", "min open", "%d exceeds max open %d", p.MinOpen, p.MaxOpen)
	}
	state := make(map[int]string)
	for _, l := range []struct {
		name  string
		sites []int
	}{{"open", p.Open}, {"closed", p.Closed}} {
		for k, i := range l.sites {
			where := fmt.Sprintf("%s[%d]", l.name, k)
			if i < 0 || i >= m {
				ps.Addf(where, "site", "%d is out of range [0, %d)", i, m)
				continue
			}
			if prev, ok := state[i]; ok {
				if prev == l.name {
					ps.Addf(where, "site", "site %d is listed twice", i)
				} else {
					ps.Addf(where, "site", "site %d is both open and closed", i)
				}
				continue
			}
			state[i] = l.name
		}
	}
	return ps.Err()
}

// Evaluate returns the fixed cost and the assignment cost of an assignment
// (assign[j] lists the shares of customer j) and checks it against the
// problem: shares of each customer sum to 1, each share is in (0, 1] and
// uses an allowed pair, loads respect capacities (with a relative
// tolerance of 1e-9), a single share per customer under SingleSource, and
// the rules on open sites. The open sites are those serving a share plus
// those listed in open. The error wraps gst.ErrInvalid.
func (p *Problem) Evaluate(open []int, assign [][]Share) (fixed, assignment float64, err error) {
	if err := p.Validate(); err != nil {
		return 0, 0, err
	}
	m, n := len(p.Capacity), len(p.Demand)
	var ps gst.Problems
	isOpen := make([]bool, m)
	for k, i := range open {
		if i < 0 || i >= m {
			ps.Addf(fmt.Sprintf("open[%d]", k), "site", "%d is out of range", i)
			continue
		}
		isOpen[i] = true
	}
	if len(assign) != n {
		ps.Addf("assignment", "", "has %d customers, want %d", len(assign), n)
		return 0, 0, ps.Err()
	}
	load := make([]float64, m)
	for j, sh := range assign {
		where := fmt.Sprintf("customer %d", j)
		if len(sh) == 0 {
			ps.Add(where, "assignment", fmt.Errorf("not served"))
			continue
		}
		if p.SingleSource && len(sh) > 1 {
			ps.Addf(where, "assignment", "served by %d sites under single sourcing", len(sh))
		}
		sum := 0.0
		for _, s := range sh {
			if s.Site < 0 || s.Site >= m {
				ps.Addf(where, "site", "%d is out of range", s.Site)
				continue
			}
			if !(s.Fraction > 0 && s.Fraction <= 1+1e-9) {
				ps.Addf(where, "fraction", "%v is not in (0, 1]", s.Fraction)
				continue
			}
			c := p.Cost[s.Site][j]
			if math.IsInf(c, 1) {
				ps.Addf(where, "site", "pair with site %d is forbidden", s.Site)
				continue
			}
			isOpen[s.Site] = true
			sum += s.Fraction
			assignment += s.Fraction * c
			load[s.Site] += s.Fraction * p.Demand[j]
		}
		if math.Abs(sum-1) > 1e-9 {
			ps.Addf(where, "fraction", "shares sum to %v, want 1", sum)
		}
	}
	count := 0
	for i := 0; i < m; i++ {
		if !isOpen[i] {
			continue
		}
		count++
		if p.FixedCost != nil {
			fixed += p.FixedCost[i]
		}
		if load[i] > p.Capacity[i]*(1+1e-9)+1e-9 {
			ps.Addf(fmt.Sprintf("site %d", i), "load", "%v exceeds capacity %v", load[i], p.Capacity[i])
		}
	}
	for _, i := range p.Closed {
		if isOpen[i] {
			ps.Addf(fmt.Sprintf("site %d", i), "open", "site is closed by the problem but used")
		}
	}
	for _, i := range p.Open {
		if !isOpen[i] {
			ps.Addf(fmt.Sprintf("site %d", i), "open", "site must open but is not in the solution")
		}
	}
	if count < p.MinOpen {
		ps.Addf("solution", "open", "%d sites open, min open is %d", count, p.MinOpen)
	}
	if p.MaxOpen > 0 && count > p.MaxOpen {
		ps.Addf("solution", "open", "%d sites open, max open is %d", count, p.MaxOpen)
	}
	return fixed, assignment, ps.Err()
}

// sortedInts returns a sorted copy.
func sortedInts(a []int) []int {
	b := append([]int(nil), a...)
	sort.Ints(b)
	return b
}
