package stop

import (
	"context"
	"errors"

	"github.com/gstplan/gst"
)

// Cause returns the error that says why a solve stopped with status st
// (gst.StatusTimeLimit or gst.StatusCanceled): the context's, or, when
// lp_solve's own clock stopped the solve a moment before the context's
// timer fired, the error the status stands for.
func Cause(ctx context.Context, st gst.Status) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if st == gst.StatusCanceled {
		return context.Canceled
	}
	return context.DeadlineExceeded
}

// ByContext reports whether a solve that returned err stopped at the
// context's deadline or cancellation (internal/lp wraps the context's error
// in the errors of solves it stops).
func ByContext(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// Status returns the status of a solve stopped by cause:
// gst.StatusCanceled for a cancellation, gst.StatusTimeLimit otherwise.
func Status(cause error) gst.Status {
	if errors.Is(cause, context.Canceled) {
		return gst.StatusCanceled
	}
	return gst.StatusTimeLimit
}
