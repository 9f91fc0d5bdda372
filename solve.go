package gst

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Solve defaults, shared by every decision of the library.
const (
	// DefaultGapTolerance is the default SolveOptions.GapTolerance: the
	// relative gap at which an answer counts as optimal, lp_solve's own
	// default relative MIP gap.
	DefaultGapTolerance = 1e-9
	// DefaultMaxModelBytes is the default SolveOptions.MaxModelBytes:
	// 2 GiB.
	DefaultMaxModelBytes = 2 << 30
)

// SolveOptions are the options every decision of the library shares (the
// allocate package's Locate, staff pooling and activity transfer embed
// them in their own Options): how long a solve may run, when its answer
// counts as optimal, and how large a model it may build. Zero fields take
// their defaults.
type SolveOptions struct {
	// TimeLimit bounds the wall time of the solve; 0 (the default) means
	// no limit besides the context's deadline, and the earlier of the two
	// applies. When it is reached the solve returns the best answer found
	// with its bound and the status StatusTimeLimit, not an error.
	TimeLimit time.Duration
	// GapTolerance is the relative gap between an answer and its bound
	// at which the answer counts as optimal (see Gap), in [0, 1). The
	// bound still reports what was proven. Default DefaultGapTolerance
	// (1e-9).
	GapTolerance float64
	// MaxModelBytes bounds the estimated memory of the largest model a
	// solve builds; a larger one is refused, before it is built, with a
	// *TooLargeError. Default DefaultMaxModelBytes (2 GiB).
	MaxModelBytes int64
	// Progress, when set, is called as the solve improves its best answer
	// or its proven bound on the decision's objective, with both, their
	// gap and the time spent (see Progress). It is never called from two
	// goroutines at once, nor after the solve returns, and the solve waits
	// for it: it should return quickly (hand the report to a channel, for
	// example). Decisions report through a ProgressReporter. Default nil:
	// no reports.
	Progress func(Progress)
}

// Resolve checks the options, recording each bad one in p under where
// (for example "options"), and returns them with the defaults filled in.
func (o SolveOptions) Resolve(p *Problems, where string) SolveOptions {
	if o.TimeLimit < 0 {
		p.Addf(where, "time limit", "must be >= 0, got %v", o.TimeLimit)
	}
	if g := o.GapTolerance; math.IsNaN(g) || math.IsInf(g, 0) || g < 0 || g >= 1 {
		p.Addf(where, "gap tolerance", "must be in [0, 1), got %v", g)
	}
	if o.MaxModelBytes < 0 {
		p.Addf(where, "max model bytes", "must be >= 0, got %d", o.MaxModelBytes)
	}
	if o.GapTolerance == 0 {
		o.GapTolerance = DefaultGapTolerance
	}
	if o.MaxModelBytes == 0 {
		o.MaxModelBytes = DefaultMaxModelBytes
	}
	return o
}

// WithTimeLimit returns ctx with the TimeLimit as its deadline (ctx itself
// when there is no limit), and the function that releases it.
func (o SolveOptions) WithTimeLimit(ctx context.Context) (context.Context, context.CancelFunc) {
	if o.TimeLimit > 0 {
		return context.WithTimeout(ctx, o.TimeLimit)
	}
	return ctx, func() {}
}

// TooLargeError refuses a problem whose model would exceed
// SolveOptions.MaxModelBytes (or another size limit of a decision's
// options). It is returned before the model is built and wraps
// ErrTooLarge.
type TooLargeError struct {
	// Op names the operation that refused the model, for example
	// "allocate" or "allocate: pool"; it starts the message.
	Op string
	// Model names the model that was estimated: a formulation ("radius
	// formulation") or a part of a decision ("flow", "mip", "lp").
	Model string
	// Rows, Columns and Nonzeros are the estimated size of the model.
	Rows, Columns, Nonzeros int64
	// Bytes is the estimated memory and Limit the limit it exceeds.
	Bytes, Limit int64
	// Suggestion says what to do instead.
	Suggestion string
}

// Error describes the model and the suggestion.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: too large: the %s model would have about %d rows, %d columns and %d nonzeros (%s, limit %s); %s",
		e.Op, e.Model, e.Rows, e.Columns, e.Nonzeros, sizeText(e.Bytes), sizeText(e.Limit), e.Suggestion)
}

// Unwrap returns ErrTooLarge.
func (e *TooLargeError) Unwrap() error { return ErrTooLarge }

// sizeText writes a size in bytes with a binary unit that keeps it
// readable: "512 B", "3.5 KiB", "120 MiB", "2.0 GiB".
func sizeText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB", "TiB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	if v < 10 {
		return fmt.Sprintf("%.1f %s", v, suffix)
	}
	return fmt.Sprintf("%.0f %s", v, suffix)
}

// InfeasibleError is one reason why no plan satisfies a problem's rules:
// which rule cannot hold (or has to give for the others to hold), where,
// by how much, and why in words. It wraps ErrInfeasible. A decision that
// finds several reasons returns them all, joined with errors.Join;
// InfeasibleCauses lists them.
type InfeasibleError struct {
	// Op names the operation that found it, for example "allocate" or
	// "allocate: pool"; it starts the message.
	Op string
	// Rule names the rule, as the operation's documentation lists them
	// ("max travel", "coverage", "required team", "capacity", …).
	Rule string
	// Service, Province, Establishment, Category, Resource and Payer
	// narrow the rule, when it is about one.
	Service       ServiceID
	Province      ProvinceID
	Establishment EstablishmentID
	Category      CategoryID
	Resource      string
	Payer         string
	// Areas lists the areas at fault, sorted, when the rule is about
	// areas; Referrers the establishments whose referred demand is at
	// fault.
	Areas     []AreaID
	Referrers []EstablishmentID
	// Year is the calendar year the rule binds, for decisions over
	// several years; 0 when it is not about one year.
	Year int
	// Amount is what is missing, or by how much the rule would have to
	// give, in Unit ("FTE", "cases a year", "MAD a year", or the name of
	// a resource for its own unit); 0 with an empty Unit when the rule
	// has no amount.
	Amount float64
	Unit   string
	// Elastic is true when an elastic solve found the reason (the rules a
	// least relaxation of the problem breaks), false when checks made
	// before or by the solve did.
	Elastic bool
	// Reason says what clashes, in words.
	Reason string
	// Names gives the names of the places, services and categories the
	// error names, by ID, so that the message says `03.131.07.05
	// (Fritissa)` rather than a bare code (see WithNames). nil: codes
	// only.
	Names map[string]string `json:"-"`
}

// WithNames fills Names from the region for every ID the error names
// (areas, referrers, province, establishment, service, category) and
// returns the error. A nil region leaves it as it is.
func (e *InfeasibleError) WithNames(r *Region) *InfeasibleError {
	if r == nil {
		return e
	}
	if e.Names == nil {
		e.Names = map[string]string{}
	}
	put := func(id, name string) {
		if name != "" {
			e.Names[id] = name
		}
	}
	for _, id := range e.Areas {
		if a, ok := r.Area(id); ok {
			put(string(id), a.Name)
		}
	}
	for _, id := range append([]EstablishmentID{e.Establishment}, e.Referrers...) {
		if x, ok := r.Establishment(id); ok {
			put(string(id), x.Name)
		}
	}
	if p, ok := r.Province(e.Province); ok {
		put(string(e.Province), p.Name)
	}
	if s, ok := r.Service(e.Service); ok {
		put(string(e.Service), s.Name)
	}
	if c, ok := r.Category(e.Category); ok {
		put(string(e.Category), c.Name)
	}
	return e
}

// named writes an ID quoted, with its name when Names has one.
func (e *InfeasibleError) named(id string, quote bool) string {
	s := id
	if quote {
		s = fmt.Sprintf("%q", id)
	}
	if n := e.Names[id]; n != "" {
		s += " (" + n + ")"
	}
	return s
}

// maxListedIDs is how many areas or referrers an InfeasibleError message
// names; the fields hold them all.
const maxListedIDs = 10

// Error returns "op: infeasible: rule[: service "s"][: province "p"]
// [: establishment "e"][: category "c"][: resource "r"][: payer "y"]
// [: year]: reason[: areas a, b (and k more)][: referrers e, f]".
func (e *InfeasibleError) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString("infeasible: ")
	b.WriteString(e.Rule)
	for _, q := range [...]struct{ name, v string }{
		{"service", string(e.Service)}, {"province", string(e.Province)}, {"establishment", string(e.Establishment)},
		{"category", string(e.Category)}, {"resource", e.Resource}, {"payer", e.Payer},
	} {
		if q.v != "" {
			fmt.Fprintf(&b, ": %s %s", q.name, e.named(q.v, true))
		}
	}
	if e.Year != 0 {
		fmt.Fprintf(&b, ": %d", e.Year)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	listIDs(&b, "areas", e.Areas, e.named)
	listIDs(&b, "referrers", e.Referrers, e.named)
	return b.String()
}

// listIDs writes ": name a, b, c (and k more)" for a non-empty list, each
// ID with its name when it has one.
func listIDs[T ~string](b *strings.Builder, name string, ids []T, named func(string, bool) string) {
	if len(ids) == 0 {
		return
	}
	b.WriteString(": ")
	b.WriteString(name)
	b.WriteString(" ")
	for i, id := range ids {
		if i == maxListedIDs {
			fmt.Fprintf(b, " (and %d more)", len(ids)-maxListedIDs)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(named(string(id), false))
	}
}

// Unwrap returns ErrInfeasible.
func (e *InfeasibleError) Unwrap() error { return ErrInfeasible }

// InfeasibleCauses returns every *InfeasibleError in err's tree (joined
// errors and wrapped ones), in the order errors.Join and the wrapping
// give them; nil when there is none.
func InfeasibleCauses(err error) []*InfeasibleError {
	var out []*InfeasibleError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *InfeasibleError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, x := range e.Unwrap() {
				walk(x)
			}
		default:
			walk(errors.Unwrap(err))
		}
	}
	walk(err)
	return out
}

// JoinInfeasible joins the causes with errors.Join, nil for none.
func JoinInfeasible(causes []*InfeasibleError) error {
	if len(causes) == 0 {
		return nil
	}
	errs := make([]error, len(causes))
	for i, c := range causes {
		errs[i] = c
	}
	return errors.Join(errs...)
}
