package capfl

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gstplan/gst"
)

func TestPseudoCosts(t *testing.T) {
	pc := newPseudoCosts(3)
	if r := pc.rate(0, 0); r != 1 {
		t.Errorf("rate with no history: %v, want 1", r)
	}
	pc.record(0, false, 0.5, 4) // 8 per unit down
	pc.record(0, false, 0.25, 1)
	pc.record(0, true, 0.5, -3) // a fall counts as no rise
	pc.record(1, true, 0, 5)    // ignored: no distance
	pc.record(1, true, 0.5, math.NaN())
	pc.record(1, true, 0.5, math.Inf(1))
	if r := pc.rate(0, 0); r != 6 {
		t.Errorf("down rate of site 0: %v, want (8+4)/2 = 6", r)
	}
	if r := pc.rate(0, 1); r != 0 {
		t.Errorf("up rate of site 0: %v, want 0", r)
	}
	if pc.cnt[1][1] != 0 {
		t.Errorf("site 1 recorded %d invalid observations", pc.cnt[1][1])
	}
	// Sites never branched on count at the mean of the others.
	if r := pc.rate(2, 0); r != 6 {
		t.Errorf("down rate of site 2: %v, want the mean 6", r)
	}
	pc.record(1, true, 1, 2)
	pc.record(1, false, 1, 2)
	// Product rule: balanced rises beat one large and one null rise.
	if a, b := pc.score(1, 0.5, 0, 0), pc.score(0, 0.5, 0, 0); !(a > b) {
		t.Errorf("score of site 1 (rises 1 and 1) %v, of site 0 (rises 3 and 0) %v: want the first larger", a, b)
	}
	// A penalty raises the estimate of its side.
	if a, b := pc.score(1, 0.5, 5, 0), pc.score(1, 0.5, 0, 0); a != 5*b {
		t.Errorf("score with a down penalty 5: %v, want 5 × %v", a, b)
	}
}

// TestPseudoBranching solves capacitated p-median instances that need
// branching on sites, checks that the pseudocosts learned from it, and
// compares the optimum with lp_solve's.
func TestPseudoBranching(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 3))
	learned := 0
	for c := 0; c < 40 && learned < 10; c++ {
		n, pm := 16, 4
		p := randomPMedCap(rng, n, pm, 1.1)
		o, err := resolveOptions(nil, n)
		if err != nil {
			t.Fatal(err)
		}
		in := newInst(p)
		if err := in.check(); err != nil {
			continue // no assignment fits
		}
		s := newSolver(context.Background(), in, o)
		if err := s.run(); err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		if s.pc.all[0]+s.pc.all[1] == 0 {
			continue
		}
		learned++
		want, st := mipSolve(t, p)
		if st != gst.StatusOptimal {
			t.Fatalf("case %d: lp_solve status %v", c, st)
		}
		name := fmt.Sprintf("case %d (%d site branchings)", c, s.pc.all[0]+s.pc.all[1])
		if math.Abs(s.ub-want) > 1e-6 || s.bound > want+1e-6 {
			t.Errorf("%s: objective %v bound %v, lp_solve %v", name, s.ub, s.bound, want)
		}
	}
	t.Logf("%d instances branched on sites", learned)
	if learned == 0 {
		t.Fatal("no instance branched on a site: the test checks nothing")
	}
}
