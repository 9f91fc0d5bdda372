package pmedian

import (
	"fmt"
	"math"
	"time"

	"github.com/gstplan/gst"
)

// Candidate is a site a client may be served from, with the cost per unit
// of the client's weight (for example kilometres or minutes).
type Candidate struct {
	// Site is the site's index in [0, Problem.Sites).
	Site int
	// Cost is the cost per unit of weight of serving the client from Site:
	// finite and >= 0.
	Cost float64
}

// Rule says what a site may do in a plan.
type Rule int8

// The site rules.
const (
	// Free sites may open or stay closed.
	Free Rule = iota
	// Open sites must be open in the plan (sites that stay).
	Open
	// Closed sites must stay closed (forbidden sites).
	Closed
)

// String returns "free", "open" or "closed".
func (r Rule) String() string {
	switch r {
	case Free:
		return "free"
	case Open:
		return "open"
	case Closed:
		return "closed"
	}
	return fmt.Sprintf("Rule(%d)", int(r))
}

// Problem is an uncapacitated location problem: choose a set Y of sites to
// open and serve every client from its cheapest open site, minimising
//
//	Σ_i Weight[i]·cost(i, nearest site of Y) + Σ_{j∈Y} FixedCost[j]
//
// subject to the cardinality (P, or MinOpen..MaxOpen), the site rules and
// the change limit. With P > 0 and no fixed costs it is the p-median
// problem; with fixed costs and no cardinality it is the uncapacitated
// facility location (simple plant location) problem.
//
// Costs come either as a dense matrix (Cost) or as candidate lists
// (Lists), not both.
type Problem struct {
	// Clients is the number of demand points, Sites the number of
	// candidate sites. Both must be >= 1.
	Clients, Sites int

	// Weight[i] is client i's demand (>= 0, finite). nil means 1 for
	// every client. A client of weight 0 costs nothing; it is still
	// assigned, to its nearest listed open site.
	Weight []float64

	// Cost[i][j] is the cost per unit of weight of serving client i from
	// site j: finite and >= 0, or +Inf where site j may not serve client
	// i. Dense form: Clients rows of Sites entries.
	Cost [][]float64

	// Lists[i] holds the sites that may serve client i with their costs,
	// in any order, each site at most once. Sparse form, for large
	// instances: typically the K nearest sites of each client.
	Lists [][]Candidate

	// Beyond, with Lists, says that the lists are truncated: Beyond[i] is a
	// lower bound on the cost per unit of weight of serving client i from
	// any site NOT in Lists[i] (for example the distance to the first
	// site left out). +Inf, or a nil Beyond, means the lists are complete:
	// unlisted sites may not serve the client. The lower bound stays valid
	// for the untruncated problem because the Lagrangian multiplier of
	// client i is never raised above Weight[i]·Beyond[i] (see lagrange.go).
	Beyond []float64

	// Far, with a finite Beyond[i], prices an unlisted pair: the cost per
	// unit of weight of serving client i from site j. It is called (from
	// one goroutine) only for clients whose list holds no open site as
	// cheap as Beyond[i], and must return a value >= Beyond[i] (checked:
	// a smaller value is reported as an error, since it would void the
	// bound). Without Far a plan must serve every client from its list.
	Far func(client, site int) float64

	// IntegerFar promises that Weight[i]·Far(i, j) is always an integer
	// (for example integer weights and floored distances): with integer
	// listed costs and fixed costs the optimum is then an integer and
	// bounds are rounded up, as without Far.
	IntegerFar bool

	// FixedCost[j] is added to the objective when site j is open. Any
	// finite sign: an existing site that may close at a closing cost g is
	// modelled with FixedCost −g (and the constant g added to the
	// objective by the caller). nil means 0 for every site.
	FixedCost []float64

	// P > 0 asks for exactly P open sites. When P is 0, MinOpen and
	// MaxOpen bound the number of open sites (MaxOpen 0 means no upper
	// limit); at least one site is always open.
	P                int
	MinOpen, MaxOpen int

	// Rule[j] forces site j open or closed; nil means every site is Free.
	Rule []Rule

	// Current marks the sites open today; with MaxChanges > 0 the plan
	// may differ from it at no more than MaxChanges sites (a change is a
	// site opened or closed). MaxChanges 0 means no limit. To allow no
	// change at all, force the current sites Open and the others Closed.
	Current    []bool
	MaxChanges int
}

// Options tunes Solve. A nil *Options means the defaults.
type Options struct {
	// RelGap is the relative gap (objective − bound)/|objective| at which
	// the search stops. Default 1e-9. The status is StatusOptimal when the
	// gap is within 1e-9, StatusFeasible when it is only within a larger
	// RelGap. When all weighted costs and fixed costs are integers the
	// bound is rounded up, so such problems are proved optimal with a
	// gap of exactly 0.
	RelGap float64
	// AbsGap is an absolute gap at which the search stops. Default 1e-9.
	AbsGap float64
	// TimeLimit bounds the solve in addition to the context's deadline.
	// Default: none.
	TimeLimit time.Duration
	// MaxNodes bounds the branch-and-bound nodes. Default 0: no limit.
	MaxNodes int
	// RootIterations bounds the subgradient iterations at the root.
	// Default 0: automatic (stops when the bound stalls; at most 20000).
	RootIterations int
	// Workers is the number of goroutines that evaluate the Lagrangian.
	// Default 1. The result does not depend on it.
	Workers int
	// Rounds is the number of rounds of iterated local search (a random
	// perturbation of the plan, then descent) run when the root bound
	// has not closed the gap: a tenth before the root bound, the rest
	// after. Default 600; a negative value disables it.
	Rounds int
	// Seed seeds the random perturbations. Default 1. Results are
	// reproducible for a given seed.
	Seed uint64
	// Initial, when not nil, is a starting set of open sites for the
	// heuristic (for example today's sites). Default: greedy.
	Initial []int
	// StopIfCapped stops the solve after the root, with StatusFeasible,
	// when Result.Capped is not empty: the caller may lengthen those
	// clients' lists and solve again before branching. Default false.
	StopIfCapped bool
	// StopAfterRoot stops the solve after the root (its subgradient
	// converged, the reduced-cost fixing and the local search done),
	// with StatusFeasible unless the root closed the gap: for a caller
	// that wants a plan, a bound and multipliers rather than a proof.
	// Default false.
	StopAfterRoot bool
	// NoResidualMIP turns off the residual programme: the mixed-integer
	// programme of the region left after the root's fixing, handed to
	// lp_solve when it is small and every cost is an integer (see
	// residual.go). Default false: the route is taken where it applies.
	NoResidualMIP bool
	// Log, when not nil, receives progress lines. Default: none.
	Log func(format string, args ...any)
	// Progress, when not nil, is called with the incumbent's objective
	// when a better plan is found (bound NaN) and with a proven lower
	// bound on the optimum when the root or the tree improves it
	// (objective NaN), from the goroutine that called Solve. Default:
	// none.
	Progress func(objective, bound float64)
}

// Result is the answer of Solve.
type Result struct {
	// Open lists the open sites in increasing order.
	Open []int
	// Assign[i] is the site serving client i.
	Assign []int
	// Objective is Σ_i Weight[i]·cost(i, Assign[i]) + Σ_{j∈Open}
	// FixedCost[j], recomputed from the assignment.
	Objective float64
	// Bound is a proven lower bound on the optimum; Gap is
	// gst.Gap(Objective, Bound).
	Bound, Gap float64
	// Status is StatusOptimal when the gap closed within the tolerance,
	// StatusFeasible when a node limit or the RelGap stopped the search
	// early, StatusTimeLimit or StatusCanceled when the context or the
	// time limit stopped it.
	Status gst.Status
	// RootBound is the Lagrangian bound at the root, before branching;
	// HeuristicObjective the objective of the first heuristic solution.
	RootBound, HeuristicObjective float64
	// FixedAtRoot counts the free sites fixed open or closed at the root
	// by Lagrangian reduced costs.
	FixedAtRoot int
	// ResidualMIP reports that the residual programme (Options.
	// NoResidualMIP) solved the region left after the root's fixing.
	ResidualMIP bool
	// FlipBound[j] is a proven lower bound on the objective of any plan
	// in which site j's state (open or closed) differs from its state in
	// Open: what forcing j in, or out, would cost at least. It comes from
	// the Lagrangian penalties at the root (so it is weaker than a
	// re-solve), and is +Inf for sites whose state the Problem's rules
	// fix, or when flipping the site leaves no feasible plan.
	FlipBound []float64
	// Capped lists, in increasing order, the clients whose Lagrangian
	// multiplier sits at its truncation cap Weight·Beyond at the end of the
	// root: the clients whose candidate lists, if longer, could lift the
	// bound. Empty when the lists are complete or the root closed the gap.
	Capped []int
	// RootMultipliers are the Lagrangian multipliers of the assignment
	// constraints at the end of the root (one per client, in the unit of
	// Weight·cost), which give RootBound; nil when the search ended before
	// the root. A caller may start another relaxation of the same clients
	// from them.
	RootMultipliers []float64
	// Nodes counts branch-and-bound nodes (1 when the root closed the
	// gap); Iterations counts subgradient iterations in all nodes.
	Nodes, Iterations int
	// Duration is the wall-clock time of the solve.
	Duration time.Duration
}

// validate checks the problem and reports every problem at once.
func (p *Problem) validate() error {
	var pr gst.Problems
	if p == nil {
		pr.Add("problem", "", fmt.Errorf("is nil"))
		return pr.Err()
	}
	const w = "problem"
	if p.Clients < 1 {
		pr.Addf(w, "Clients", "must be >= 1, got %d", p.Clients)
	}
	if p.Sites < 1 {
		pr.Addf(w, "Sites", "must be >= 1, got %d", p.Sites)
	}
	if pr.Len() > 0 {
		return pr.Err()
	}
	n, m := p.Clients, p.Sites
	if p.Weight != nil {
		if len(p.Weight) != n {
			pr.Addf(w, "Weight", "has %d entries, want Clients = %d", len(p.Weight), n)
		} else {
			for i, v := range p.Weight {
				if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					pr.CheckNonNegative(fmt.Sprintf("client %d", i), "Weight", v)
				}
			}
		}
	}
	switch {
	case p.Cost != nil && p.Lists != nil:
		pr.Add(w, "Cost", fmt.Errorf("give Cost or Lists, not both"))
	case p.Cost == nil && p.Lists == nil:
		pr.Add(w, "Cost", fmt.Errorf("give Cost (dense) or Lists (sparse)"))
	case p.Cost != nil:
		if len(p.Cost) != n {
			pr.Addf(w, "Cost", "has %d rows, want Clients = %d", len(p.Cost), n)
			break
		}
		for i, row := range p.Cost {
			if len(row) != m {
				pr.Addf(fmt.Sprintf("client %d", i), "Cost", "has %d entries, want Sites = %d", len(row), m)
				continue
			}
			for j, c := range row {
				if math.IsNaN(c) || c < 0 || math.IsInf(c, -1) {
					pr.Addf(fmt.Sprintf("client %d site %d", i, j), "Cost", "must be >= 0 or +Inf, got %v", c)
				}
			}
		}
		if p.Beyond != nil || p.Far != nil {
			pr.Add(w, "Beyond", fmt.Errorf("only Lists may have Beyond and Far"))
		}
	default:
		if len(p.Lists) != n {
			pr.Addf(w, "Lists", "has %d entries, want Clients = %d", len(p.Lists), n)
			break
		}
		seen := make([]int32, m)
		for j := range seen {
			seen[j] = -1
		}
		for i, l := range p.Lists {
			for k, c := range l {
				// The location is formatted only for a problem: lists
				// hold millions of entries.
				wh := func() string { return fmt.Sprintf("client %d candidate %d", i, k) }
				if c.Site < 0 || c.Site >= m {
					pr.Addf(wh(), "Site", "must be in [0, %d), got %d", m, c.Site)
					continue
				}
				if seen[c.Site] == int32(i) {
					pr.Addf(wh(), "Site", "site %d listed twice", c.Site)
				}
				seen[c.Site] = int32(i)
				if math.IsNaN(c.Cost) || c.Cost < 0 || math.IsInf(c.Cost, 0) {
					pr.Addf(wh(), "Cost", "must be finite and >= 0, got %v", c.Cost)
				}
			}
		}
		if p.Beyond != nil {
			if len(p.Beyond) != n {
				pr.Addf(w, "Beyond", "has %d entries, want Clients = %d", len(p.Beyond), n)
			} else {
				for i, b := range p.Beyond {
					if math.IsNaN(b) || b < 0 {
						pr.Addf(fmt.Sprintf("client %d", i), "Beyond", "must be >= 0 or +Inf, got %v", b)
					}
				}
			}
		} else if p.Far != nil {
			pr.Add(w, "Far", fmt.Errorf("needs Beyond (the lower bound on unlisted costs)"))
		}
	}
	if p.FixedCost != nil {
		if len(p.FixedCost) != m {
			pr.Addf(w, "FixedCost", "has %d entries, want Sites = %d", len(p.FixedCost), m)
		} else {
			for j, f := range p.FixedCost {
				if math.IsNaN(f) || math.IsInf(f, 0) {
					pr.CheckFinite(fmt.Sprintf("site %d", j), "FixedCost", f)
				}
			}
		}
	}
	if p.P < 0 || p.P > m {
		pr.Addf(w, "P", "must be in [0, Sites = %d], got %d", m, p.P)
	}
	if p.P > 0 && (p.MinOpen != 0 || p.MaxOpen != 0) {
		pr.Add(w, "MinOpen", fmt.Errorf("give P or MinOpen/MaxOpen, not both"))
	}
	if p.MinOpen < 0 || p.MinOpen > m {
		pr.Addf(w, "MinOpen", "must be in [0, Sites = %d], got %d", m, p.MinOpen)
	}
	if p.MaxOpen < 0 || p.MaxOpen > m {
		pr.Addf(w, "MaxOpen", "must be in [0, Sites = %d], got %d", m, p.MaxOpen)
	}
	if p.MaxOpen > 0 && p.MinOpen > p.MaxOpen {
		pr.Addf(w, "MinOpen", "must be <= MaxOpen = %d, got %d", p.MaxOpen, p.MinOpen)
	}
	if p.Rule != nil {
		if len(p.Rule) != m {
			pr.Addf(w, "Rule", "has %d entries, want Sites = %d", len(p.Rule), m)
		} else {
			for j, r := range p.Rule {
				if r != Free && r != Open && r != Closed {
					pr.Addf(fmt.Sprintf("site %d", j), "Rule", "unknown rule %d", int(r))
				}
			}
		}
	}
	if p.Current != nil && len(p.Current) != m {
		pr.Addf(w, "Current", "has %d entries, want Sites = %d", len(p.Current), m)
	}
	if p.MaxChanges < 0 {
		pr.Addf(w, "MaxChanges", "must be >= 0 (0: no limit), got %d", p.MaxChanges)
	}
	if p.MaxChanges > 0 && p.Current == nil {
		pr.Add(w, "Current", fmt.Errorf("MaxChanges needs Current (the sites open today)"))
	}
	return pr.Err()
}

func (o *Options) withDefaults() Options {
	var d Options
	if o != nil {
		d = *o
	}
	if d.RelGap <= 0 || math.IsNaN(d.RelGap) {
		d.RelGap = 1e-9
	}
	if d.AbsGap <= 0 || math.IsNaN(d.AbsGap) {
		d.AbsGap = 1e-9
	}
	if d.Workers < 1 {
		d.Workers = 1
	}
	if d.Rounds == 0 {
		d.Rounds = 600
	}
	if d.Seed == 0 {
		d.Seed = 1
	}
	return d
}
