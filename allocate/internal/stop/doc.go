// Package stop says why a solve stopped early: its context's deadline or
// its cancellation, as the statuses gst.StatusTimeLimit and
// gst.StatusCanceled report them.
//
// The functions read their arguments only and may be called from any
// goroutine.
package stop
