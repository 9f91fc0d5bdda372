package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
)

// TestConcurrentSolvesShareARegion runs the sixteen computations of
// pilotJobs (location under every objective and route, pooling, transfer,
// the capacity assessment, a pathway evaluation) at the same time on one
// *gst.Region and one set of inputs, and checks that each gives the JSON
// it gives alone. Run with -race, it also checks that none of them writes
// to what they share.
func TestConcurrentSolvesShareARegion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	in, err := prepare(ctx, openPilot(t))
	if err != nil {
		t.Fatal(err)
	}
	jobs := pilotJobs()
	if len(jobs) < 16 {
		t.Fatalf("%d jobs, want 16", len(jobs))
	}
	alone := make([][]byte, len(jobs))
	for i, j := range jobs {
		v, err := j.run(ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", j.name, err)
		}
		alone[i] = encode(t, v)
	}
	together := make([][]byte, len(jobs))
	errs := make([]error, len(jobs))
	var start, wg sync.WaitGroup
	start.Add(1)
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start.Wait() // all at once
			v, err := j.run(ctx, in)
			if err != nil {
				errs[i] = err
				return
			}
			b, err := json.Marshal(v)
			together[i], errs[i] = b, err
		}()
	}
	start.Done()
	wg.Wait()
	for i, j := range jobs {
		if errs[i] != nil {
			t.Errorf("%s, in parallel: %v", j.name, errs[i])
			continue
		}
		if !bytes.Equal(alone[i], together[i]) {
			t.Errorf("%s gives another answer in parallel:\n%s", j.name, firstDifference(alone[i], together[i]))
		}
	}
}
