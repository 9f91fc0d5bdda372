package stop

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

func TestCause(t *testing.T) {
	live := context.Background()
	if err := Cause(live, gst.StatusTimeLimit); err != context.DeadlineExceeded {
		t.Errorf("lp_solve's clock: %v", err)
	}
	if err := Cause(live, gst.StatusCanceled); err != context.Canceled {
		t.Errorf("cancelled status: %v", err)
	}
	ctx, cancel := context.WithTimeout(live, time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	if err := Cause(ctx, gst.StatusCanceled); err != context.DeadlineExceeded {
		t.Errorf("the context's error first: %v", err)
	}
	if !ByContext(ctx, nil) || ByContext(live, errors.New("numerical failure")) ||
		!ByContext(live, fmt.Errorf("lp: %w", context.Canceled)) {
		t.Error("ByContext")
	}
	if Status(context.Canceled) != gst.StatusCanceled || Status(context.DeadlineExceeded) != gst.StatusTimeLimit {
		t.Error("Status")
	}
}
