package programme

import (
	"fmt"

	"github.com/gstplan/gst"
)

// Method selects how Solve solves a programme.
type Method int

// The methods.
const (
	// Auto picks the method (the default): Benders, or Compact for a
	// programme with single-source services.
	Auto Method = iota
	// MIP builds the whole programme as one mixed-integer programme and
	// solves it with lp_solve's branch and bound.
	MIP
	// Compact solves the whole programme by the package's branch and
	// bound over its linear relaxation.
	Compact
	// Benders solves it by the package's branch and bound over a master
	// of the integer decisions and recruits, with cuts from linear
	// programmes of the assignment of each service and the pooling of
	// each category in each period (see the package documentation).
	Benders
)

var methodNames = [...]string{Auto: "auto", MIP: "mip", Compact: "compact", Benders: "benders"}

// String returns "auto", "mip", "compact" or "benders".
func (m Method) String() string {
	if m >= 0 && int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// MarshalText encodes the method as its String form.
func (m Method) MarshalText() ([]byte, error) {
	if m < Auto || int(m) >= len(methodNames) {
		return nil, fmt.Errorf("programme: %w: method %d", gst.ErrInvalid, int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText decodes a method written by MarshalText.
func (m *Method) UnmarshalText(b []byte) error {
	for i, n := range methodNames {
		if n == string(b) {
			*m = Method(i)
			return nil
		}
	}
	return fmt.Errorf("programme: %w: unknown method %q (want auto, mip, compact or benders)", gst.ErrInvalid, b)
}

// DefaultDecisionCostLimit is the default Options.DecisionCostLimit.
const DefaultDecisionCostLimit = 12

// Options tune Solve. A nil *Options uses the defaults.
type Options struct {
	// SolveOptions bound the time (when the deadline passes Solve
	// returns the best programme found with its bound), set the gap at
	// which a programme counts as optimal, and the size of the largest
	// model built. Their Progress hook receives the main search's
	// programme and bound as they improve (the objective of Plan.Value,
	// in MAD), from one goroutine at a time; the last report is the
	// plan's Value and Bound.
	gst.SolveOptions
	// MaxNodes bounds the nodes of each branch and bound (the main
	// programme, and each programme the sequential plan, the frontier and
	// the decision costs solve), a limit of work that unlike TimeLimit
	// gives the same programme on any machine; when it is reached the best
	// programme found is returned with its bound. Default 0: no limit.
	MaxNodes int
	// Method selects the solver. Default Auto.
	Method Method
	// Sequential also plans the old way (see Sequential) and keeps the
	// better of the two as the incumbent; Plan.Sequential holds it.
	// Default false.
	Sequential bool
	// Frontier lists budget levels, as multiples of every budget (for
	// example 0.5, 0.75, 1.5, 2): the programme is solved again at each
	// and Plan.Frontier gives its figures, in increasing order of level.
	// Each level starts from the leaves of the main search, whose bounds
	// still hold where the budgets shrink or did not bind, so a level at
	// which the budgets do not bind costs no relaxation, and from the
	// programmes of the levels solved before it (nearest to 1 first). A
	// level the deadline stops keeps the programme of a lower level, which
	// fits its budgets, with the bound proved so far; one left without a
	// programme is marked Unsolved. Default nil.
	Frontier []float64
	// DecisionCosts asks for the cost of reversing the programme's
	// decisions (forbidding what it opens, forcing what it leaves closed)
	// by solving again with each fixed. Default false.
	DecisionCosts bool
	// DecisionCostLimit bounds the number of decisions priced. Default
	// DefaultDecisionCostLimit (12).
	DecisionCostLimit int
	// NoWhy skips the marginal values of budgets and recruits. Default
	// false.
	NoWhy bool
}
