package pathway

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	gst "github.com/gstplan/gst"
)

// TestQuickstartRegion evaluates the default maternal pathway on the Ifrane
// region bundled with the quick-start example (antenatal care there is the
// general "consultation" service), each commune served at its nearest
// offering establishment.
func TestQuickstartRegion(t *testing.T) {
	dir := filepath.Join("..", "examples", "quickstart", "ifrane")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("quick-start region not found: %v", err)
	}
	r, err := gst.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	set, err := Defaults().Select(Maternal)
	if err != nil {
		t.Fatal(err)
	}
	set = set.RenameServices(map[gst.ServiceID]gst.ServiceID{ServiceAntenatal: "consultation"})
	if err := set.ValidateFor(r); err != nil {
		t.Skipf("the quick-start region no longer fits the maternal pathway: %v", err)
	}
	m, err := Travel(context.Background(), r, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rows []gst.Allocation
	for i, a := range r.Areas {
		for _, s := range set.Services() {
			best, bm := -1, 0.0
			for _, e := range r.Offering(s) {
				if e.Candidate {
					continue
				}
				j, _ := m.ToIndex(string(e.ID))
				if l, ok := m.At(i, j); ok && (best < 0 || l.Minutes < bm) {
					best, bm = j, l.Minutes
				}
			}
			if best >= 0 {
				rows = append(rows, gst.Allocation{Area: a.ID, Service: s, Establishment: gst.EstablishmentID(m.To()[best]), Share: 1})
			}
		}
	}
	asg, err := gst.NewAssignment(rows)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Evaluate(context.Background(), r, set, Plan{Name: "nearest", Assignment: asg}, nil)
	if err != nil {
		t.Fatal(err)
	}
	births := r.Population() * BirthsPer1000 / 1000
	if !near(ev.Total.Episodes, births) || !ev.Total.Complete {
		t.Errorf("episodes %v (want %v), complete %v", ev.Total.Episodes, births, ev.Total.Complete)
	}
	if got := len(ev.Attribution); got == 0 {
		t.Error("the region's attribution is not carried into the evaluation")
	}
	obj, err := Objective(r, set, Plan{Assignment: asg}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !near(obj.Minutes, ev.Objective) {
		t.Errorf("objective %v, evaluation %v", obj.Minutes, ev.Objective)
	}
	// Nearest sites: no area's step is served beyond a nearer site, so
	// per-step minutes are positive and finite.
	for _, s := range ev.Steps {
		if s.TravelMinutes <= 0 {
			t.Errorf("step %s: %v minutes", s.Step, s.TravelMinutes)
		}
	}
}

// TestConcurrentEvaluations runs evaluations of the same inputs at once;
// with -race it checks that nothing is written to shared inputs.
func TestConcurrentEvaluations(t *testing.T) {
	c := newRandomCase(t, 42)
	plan := Plan{Assignment: c.asg}
	want, err := Evaluate(context.Background(), c.r, c.set, plan, c.opt)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := mustJSON(t, want)
	var wg sync.WaitGroup
	errs := make([]string, 8)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ev, err := Evaluate(context.Background(), c.r, c.set, plan, c.opt)
			if err != nil {
				errs[i] = err.Error()
				return
			}
			if _, err := ComputeFlows(c.r, c.set, c.opt); err != nil {
				errs[i] = err.Error()
				return
			}
			errs[i] = cmp.Diff(wantJSON, mustJSON(t, ev))
		}(i)
	}
	wg.Wait()
	for i, e := range errs {
		if e != "" {
			t.Errorf("goroutine %d: %s", i, e)
		}
	}
}
