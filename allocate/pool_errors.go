package allocate

import (
	"fmt"
	"strings"

	"github.com/gstplan/gst"
)

// PoolConflict is one rule that cannot hold, or that has to give for the
// others to hold, and where.
type PoolConflict struct {
	// Rule names the rule: "required team", "minimum staff",
	// "safe staffing", "away share", "moved FTE cap", "category moved FTE
	// cap" or "moves cap".
	Rule string `json:"rule"`
	// Establishment, Category and Service say where, when the rule is
	// about one.
	Establishment gst.EstablishmentID `json:"establishment,omitempty"`
	Category      gst.CategoryID      `json:"category,omitempty"`
	Service       gst.ServiceID       `json:"service,omitempty"`
	// FTE is what is missing (for a required team or minimum staff) or by
	// how much the rule would have to give (for an origin rule or a cap).
	FTE float64 `json:"fte"`
	// Reason says what clashes, in words.
	Reason string `json:"reason"`
}

// PoolInfeasibleError explains why no pooling plan satisfies the hard
// rules. It wraps gst.ErrInfeasible.
type PoolInfeasibleError struct {
	// Conflicts lists the rules that clash, sorted by establishment,
	// category and rule.
	Conflicts []PoolConflict
	// Elastic is true when the conflicts come from the elastic solve (the
	// rules a least relaxation breaks), false when checks on counts found
	// them before any solve.
	Elastic bool
}

// poolMaxListedConflicts is how many conflicts the error message spells out;
// the Conflicts field holds them all.
const poolMaxListedConflicts = 8

// Error returns "allocate: pool: infeasible: reason; reason; … (and k
// more)".
func (e *PoolInfeasibleError) Error() string {
	return listReasons("allocate: pool: infeasible: ", e.Conflicts, func(c PoolConflict) string { return c.Reason }, "the hard rules clash")
}

// listReasons returns prefix followed by the reasons of the first
// poolMaxListedConflicts items, separated by "; ", with the count of the
// others; empty stands in for an empty list.
func listReasons[T any](prefix string, items []T, reason func(T) string, empty string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for i, it := range items {
		if i == poolMaxListedConflicts {
			fmt.Fprintf(&b, " (and %d more)", len(items)-poolMaxListedConflicts)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(reason(it))
	}
	if len(items) == 0 {
		b.WriteString(empty)
	}
	return b.String()
}

// Unwrap returns gst.ErrInfeasible.
func (e *PoolInfeasibleError) Unwrap() error { return gst.ErrInfeasible }

// PoolTooLargeError refuses a pooling problem whose models would exceed
// PoolOptions.MaxModelBytes. It is returned before the models are built and
// wraps gst.ErrTooLarge.
type PoolTooLargeError struct {
	// Part says which model: "flow" or "mip".
	Part string
	// Rows, Columns and Nonzeros are the estimated size of the largest
	// model (nodes, arcs and 2 × arcs for a flow).
	Rows, Columns, Nonzeros int64
	// Bytes is the estimated memory and Limit the limit it exceeds.
	Bytes, Limit int64
	// Suggestion says what to do instead.
	Suggestion string
}

// Error describes the model and the suggestion.
func (e *PoolTooLargeError) Error() string {
	return fmt.Sprintf("allocate: pool: too large: the %s model would have about %d rows, %d columns and %d nonzeros (%s, limit %s); %s",
		e.Part, e.Rows, e.Columns, e.Nonzeros, sizeText(e.Bytes), sizeText(e.Limit), e.Suggestion)
}

// Unwrap returns gst.ErrTooLarge.
func (e *PoolTooLargeError) Unwrap() error { return gst.ErrTooLarge }
