package parallel

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/gstplan/gst"
)

func TestRun(t *testing.T) {
	var calls atomic.Int64
	done := make([]bool, 50)
	err := Run(4, len(done), func(i int) error {
		calls.Add(1)
		done[i] = true
		if i == 7 || i == 30 {
			return fmt.Errorf("call %d", i)
		}
		return nil
	})
	if err == nil || err.Error() != "call 7" || calls.Load() != 50 {
		t.Errorf("error %v after %d calls, want the first in index order after 50", err, calls.Load())
	}
	for i, d := range done {
		if !d {
			t.Errorf("call %d not made", i)
		}
	}
	if err := Run(3, 0, func(int) error { return errors.New("never") }); err != nil {
		t.Errorf("no call: %v", err)
	}
}

func TestWorkers(t *testing.T) {
	n := runtime.GOMAXPROCS(0)
	var ps gst.Problems
	if Workers(&ps, "options", 0) != n || Workers(&ps, "options", n+5) != n || Workers(&ps, "options", 1) != 1 || ps.Err() != nil {
		t.Error("defaults and cap")
	}
	Workers(&ps, "options", -1)
	if err := ps.Err(); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("negative count: %v", err)
	}
}
