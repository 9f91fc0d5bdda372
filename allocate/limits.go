package allocate

import (
	"runtime"
	"time"

	"github.com/gstplan/gst"
)

// solveLimits are the limits that Pool and Transfer share in their
// options: pointers to the fields to check and fill with their defaults.
type solveLimits struct {
	timeLimit      time.Duration
	gap            *float64
	defaultGap     float64
	bytes          *int64
	defaultBytes   int64
	columnsField   string
	columns        *int
	defaultColumns int
	workers        *int
}

// resolveLimits checks the limits, reporting each bad one under where, and
// fills the unset ones with their defaults. Workers default to, and are
// capped at, GOMAXPROCS.
func resolveLimits(ps *gst.Problems, where string, l solveLimits) {
	if l.timeLimit < 0 {
		ps.Addf(where, "TimeLimit", "negative time limit %v", l.timeLimit)
	}
	if *l.gap == 0 {
		*l.gap = l.defaultGap
	}
	ps.CheckNonNegative(where, "GapTolerance", *l.gap)
	if *l.bytes == 0 {
		*l.bytes = l.defaultBytes
	}
	if *l.bytes < 0 {
		ps.Addf(where, "MaxModelBytes", "negative limit %d", *l.bytes)
	}
	if *l.columns == 0 {
		*l.columns = l.defaultColumns
	}
	if *l.columns < 0 {
		ps.Addf(where, l.columnsField, "negative limit %d", *l.columns)
	}
	if *l.workers < 0 {
		ps.Addf(where, "Workers", "negative worker count %d", *l.workers)
	}
	if n := runtime.GOMAXPROCS(0); *l.workers == 0 || *l.workers > n {
		*l.workers = n
	}
}
