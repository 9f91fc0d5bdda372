package allocate

import (
	"fmt"
	"strings"

	"github.com/gstplan/gst"
)

// InfeasibleError explains why no plan can satisfy a problem's rules: which
// rule, for which service and province, and the areas at fault. It wraps
// gst.ErrInfeasible. Locate finds these before it solves anything, all at
// once (joined with errors.Join); a solver that proves infeasibility later
// returns one without areas.
type InfeasibleError struct {
	// Rule names the rule that cannot hold: "reach", "max travel",
	// "standard", "capacity", "single source", "sites", "budget",
	// "changes" or "coverage".
	Rule string
	// Service and Province narrow the rule, when it is about one.
	Service  gst.ServiceID
	Province gst.ProvinceID
	// Areas lists the areas at fault, sorted, when the rule is about areas.
	Areas []gst.AreaID
	// Reason says what clashes, in words.
	Reason string
}

// maxListedAreas is how many areas an InfeasibleError message names; the
// Areas field holds them all.
const maxListedAreas = 10

// Error returns "allocate: infeasible: rule: reason: areas a, b, c (and k
// more)".
func (e *InfeasibleError) Error() string {
	var b strings.Builder
	b.WriteString("allocate: infeasible: ")
	b.WriteString(e.Rule)
	if e.Service != "" {
		fmt.Fprintf(&b, ": service %q", e.Service)
	}
	if e.Province != "" {
		fmt.Fprintf(&b, ": province %q", e.Province)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if len(e.Areas) > 0 {
		b.WriteString(": areas ")
		for i, a := range e.Areas {
			if i == maxListedAreas {
				fmt.Fprintf(&b, " (and %d more)", len(e.Areas)-maxListedAreas)
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(string(a))
		}
	}
	return b.String()
}

// Unwrap returns gst.ErrInfeasible.
func (e *InfeasibleError) Unwrap() error { return gst.ErrInfeasible }

// TooLargeError refuses a problem whose model would exceed
// Options.MaxModelBytes. It is returned before the model is built and wraps
// gst.ErrTooLarge.
type TooLargeError struct {
	// Method is the formulation that was estimated.
	Method string
	// Rows, Columns and Nonzeros are the estimated size of the model.
	Rows, Columns, Nonzeros int64
	// Bytes is the estimated memory and Limit the limit it exceeds.
	Bytes, Limit int64
	// Suggestion says what to do instead.
	Suggestion string
}

// Error describes the model and the suggestion.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("allocate: too large: the %s model would have about %d rows, %d columns and %d nonzeros (%s, limit %s); %s",
		e.Method, e.Rows, e.Columns, e.Nonzeros, sizeText(e.Bytes), sizeText(e.Limit), e.Suggestion)
}

// Unwrap returns gst.ErrTooLarge.
func (e *TooLargeError) Unwrap() error { return gst.ErrTooLarge }

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
