package gst_test

import (
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

func TestProgressReporterImprovesOnly(t *testing.T) {
	var got []gst.Progress
	o := gst.SolveOptions{Progress: func(p gst.Progress) { got = append(got, p) }}
	r := o.NewProgressReporter(false, time.Now())
	r.Report(100, math.NaN()) // first answer
	r.Report(120, math.NaN()) // worse: no call
	r.Report(math.NaN(), 80)  // first bound
	r.Report(math.NaN(), 70)  // weaker bound: no call
	r.Report(90, 85)          // both improve
	r.Report(math.Inf(1), math.Inf(-1))
	r.Close()
	r.Report(10, 10) // after Close: no call
	if len(got) != 3 {
		t.Fatalf("%d reports, want 3: %+v", len(got), got)
	}
	if !math.IsNaN(got[0].Bound) || got[0].Value != 100 || !math.IsInf(got[0].Gap, 1) {
		t.Errorf("first report %+v", got[0])
	}
	if got[1].Value != 100 || got[1].Bound != 80 || math.Abs(got[1].Gap-0.2) > 1e-12 {
		t.Errorf("second report %+v", got[1])
	}
	if got[2].Value != 90 || got[2].Bound != 85 || math.Abs(got[2].Gap-5.0/90) > 1e-12 {
		t.Errorf("third report %+v", got[2])
	}
	for i := 1; i < len(got); i++ {
		if got[i].Elapsed < got[i-1].Elapsed {
			t.Errorf("elapsed goes back: %v then %v", got[i-1].Elapsed, got[i].Elapsed)
		}
	}
}

func TestProgressReporterMaximise(t *testing.T) {
	var got []gst.Progress
	o := gst.SolveOptions{Progress: func(p gst.Progress) { got = append(got, p) }}
	r := o.NewProgressReporter(true, time.Now())
	r.Report(50, 100)
	r.Report(40, 120) // worse on both: no call
	r.Report(60, 90)
	r.Report(95, math.NaN()) // beyond nothing; gap shrinks
	r.Report(math.NaN(), 80) // a bound below the best answer is clamped to it
	if len(got) != 4 {
		t.Fatalf("%d reports, want 4: %+v", len(got), got)
	}
	if got[1].Value != 60 || got[1].Bound != 90 || math.Abs(got[1].Gap-30.0/90) > 1e-12 {
		t.Errorf("second report %+v", got[1])
	}
	if last := got[3]; last.Value != 95 || last.Bound != 95 || last.Gap != 0 {
		t.Errorf("last report %+v", last)
	}
}

func TestProgressReporterNil(t *testing.T) {
	r := gst.SolveOptions{}.NewProgressReporter(false, time.Now())
	if r != nil {
		t.Fatal("a reporter without a hook")
	}
	r.Report(1, 1) // no panic
	r.Close()
}

// The hook is never called from two goroutines at once: run under -race.
func TestProgressReporterConcurrent(t *testing.T) {
	calls, inside := 0, 0
	o := gst.SolveOptions{Progress: func(gst.Progress) {
		inside++
		if inside != 1 {
			t.Error("hook called concurrently")
		}
		calls++
		inside--
	}}
	r := o.NewProgressReporter(false, time.Now())
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				r.Report(float64(10000-i*8-g), float64(i*8+g))
			}
		}(g)
	}
	wg.Wait()
	r.Close()
	if calls == 0 || calls > 8*200 {
		t.Errorf("%d calls", calls)
	}
}

func ExampleSolveOptions_NewProgressReporter() {
	o := gst.SolveOptions{Progress: func(p gst.Progress) {
		fmt.Printf("value %g, bound %g, gap %.1f%%\n", p.Value, p.Bound, 100*p.Gap)
	}}
	r := o.NewProgressReporter(false, time.Now()) // a minimisation
	r.Report(120, 80)
	r.Report(130, 85) // a worse answer; the better bound is reported
	r.Report(100, math.NaN())
	r.Report(100, 100)
	r.Close()
	// Output:
	// value 120, bound 80, gap 33.3%
	// value 120, bound 85, gap 29.2%
	// value 100, bound 85, gap 15.0%
	// value 100, bound 100, gap 0.0%
}
