package allocate

import (
	"runtime"

	"github.com/gstplan/gst"
)

// resolveColumns checks a limit on the columns of a programme, reported
// under where and field, and fills it with its default when unset.
func resolveColumns(ps *gst.Problems, where, field string, columns *int, def int) {
	if *columns == 0 {
		*columns = def
	}
	if *columns < 0 {
		ps.Addf(where, field, "negative limit %d", *columns)
	}
}

// resolveWorkers checks a worker count; workers default to, and are capped
// at, GOMAXPROCS.
func resolveWorkers(ps *gst.Problems, where string, workers *int) {
	if *workers < 0 {
		ps.Addf(where, "Workers", "negative worker count %d", *workers)
	}
	if n := runtime.GOMAXPROCS(0); *workers == 0 || *workers > n {
		*workers = n
	}
}
