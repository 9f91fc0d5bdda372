package gst

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors. Every error the library returns for one of these causes
// wraps the matching sentinel, so callers can test it with errors.Is.
var (
	// ErrInvalid reports input that breaks a documented rule: a duplicate
	// ID, a reference that does not resolve, a negative or non-finite number,
	// a coordinate out of range, a malformed file.
	ErrInvalid = errors.New("gst: invalid input")
	// ErrInfeasible reports a problem with no solution that satisfies every
	// rule. The wrapping error says which rules clash and where.
	ErrInfeasible = errors.New("gst: infeasible")
	// ErrUnbounded reports a model whose objective can improve without
	// limit; it points at a modelling error, never at a property of a region.
	ErrUnbounded = errors.New("gst: unbounded")
	// ErrNoSolution reports that a solve stopped (time limit, cancelled
	// context, numerical failure) before it found any usable answer.
	ErrNoSolution = errors.New("gst: no solution found")
	// ErrTooLarge reports input or a model above a configured size limit.
	ErrTooLarge = errors.New("gst: too large")
)

// Status says how good an answer is. It travels in results; an error is
// returned only when there is no usable answer at all.
type Status int

// The statuses, from best to worst.
const (
	// StatusUnknown is the zero value: no solve has run.
	StatusUnknown Status = iota
	// StatusOptimal means the answer is proven optimal: its gap is zero
	// within the method's tolerance.
	StatusOptimal
	// StatusFeasible means the answer satisfies every rule and carries a
	// proven bound; the gap between the two may be positive.
	StatusFeasible
	// StatusTimeLimit means the solve stopped at its deadline and returned
	// the best answer found so far, with its bound and gap.
	StatusTimeLimit
	// StatusCanceled means the context was cancelled and the best answer
	// found so far is returned, with its bound and gap.
	StatusCanceled
	// StatusInfeasible means no answer satisfies the rules.
	StatusInfeasible
	// StatusUnbounded means the objective can improve without limit.
	StatusUnbounded
	// StatusFailed means the solver failed numerically or ran out of memory.
	StatusFailed
)

var statusNames = [...]string{
	StatusUnknown:    "unknown",
	StatusOptimal:    "optimal",
	StatusFeasible:   "feasible",
	StatusTimeLimit:  "time limit",
	StatusCanceled:   "canceled",
	StatusInfeasible: "infeasible",
	StatusUnbounded:  "unbounded",
	StatusFailed:     "failed",
}

// String returns the status in lower case, as printed in reports and JSON.
func (s Status) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// MarshalText encodes the status as its String form.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a status written by MarshalText.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("%w: unknown status %q", ErrInvalid, b)
}

// HasSolution reports whether a result with this status carries a usable
// answer.
func (s Status) HasSolution() bool {
	switch s {
	case StatusOptimal, StatusFeasible, StatusTimeLimit, StatusCanceled:
		return true
	}
	return false
}

// Gap returns the relative gap between an objective value and a bound of a
// minimisation: (objective − bound) / max(|objective|, |bound|, 1e-10),
// clamped at zero. The denominator is the usual |objective| when the two
// are close, and keeps the gap at most 1 when they have the same sign, so
// an objective of zero against a positive bound reads 100%, not 1e15. It
// returns +Inf when either value is not finite, so a missing bound never
// reads as a proof.
func Gap(objective, bound float64) float64 {
	if math.IsNaN(objective) || math.IsNaN(bound) || math.IsInf(bound, 0) || math.IsInf(objective, 0) {
		return math.Inf(1)
	}
	d := objective - bound
	if d <= 0 {
		return 0
	}
	return d / math.Max(math.Max(math.Abs(objective), math.Abs(bound)), 1e-10)
}
