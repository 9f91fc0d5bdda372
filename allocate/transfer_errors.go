package allocate

import (
	"fmt"

	"github.com/gstplan/gst"
)

// TransferConflict is one rule that cannot hold, or has to give for the
// others to hold.
type TransferConflict struct {
	// Rule names the rule: "max travel", "capacity", "resource",
	// "contract minimum", "budget", "payer budget" or "demand".
	Rule string `json:"rule"`
	// Service, Establishment, Resource and Payer say where, when the rule
	// is about one; Origins lists the origins at fault.
	Service       gst.ServiceID       `json:"service,omitempty"`
	Establishment gst.EstablishmentID `json:"establishment,omitempty"`
	Resource      string              `json:"resource,omitempty"`
	Payer         string              `json:"payer,omitempty"`
	Origins       []string            `json:"origins,omitempty"`
	// Amount is how much is missing or by how much the rule would have to
	// give, in the rule's unit (cases, the resource's unit, MAD).
	Amount float64 `json:"amount"`
	// Reason says what clashes, in words.
	Reason string `json:"reason"`
}

// TransferInfeasibleError explains why no transfer plan serves all the
// demand within the rules. It wraps gst.ErrInfeasible.
type TransferInfeasibleError struct {
	Conflicts []TransferConflict
	// Elastic is true when the conflicts come from the elastic programme,
	// false when checks on counts found them before any solve.
	Elastic bool
}

// Error returns "allocate: transfer: infeasible: reason; reason; … (and k
// more)".
func (e *TransferInfeasibleError) Error() string {
	return listReasons("allocate: transfer: infeasible: ", e.Conflicts, func(c TransferConflict) string { return c.Reason }, "the rules clash")
}

// Unwrap returns gst.ErrInfeasible.
func (e *TransferInfeasibleError) Unwrap() error { return gst.ErrInfeasible }

// TransferTooLargeError refuses a transfer problem whose model would exceed
// the limits, before it is built. It wraps gst.ErrTooLarge.
type TransferTooLargeError struct {
	// Part says which model: "flow" or "lp".
	Part                    string
	Rows, Columns, Nonzeros int64
	Bytes, Limit            int64
	Suggestion              string
}

// Error describes the model and the suggestion.
func (e *TransferTooLargeError) Error() string {
	return fmt.Sprintf("allocate: transfer: too large: the %s model would have about %d rows, %d columns and %d nonzeros (%s, limit %s); %s",
		e.Part, e.Rows, e.Columns, e.Nonzeros, sizeText(e.Bytes), sizeText(e.Limit), e.Suggestion)
}

// Unwrap returns gst.ErrTooLarge.
func (e *TransferTooLargeError) Unwrap() error { return gst.ErrTooLarge }
