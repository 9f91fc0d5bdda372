package programme

import (
	"math"
	"slices"
	"testing"

	"github.com/gstplan/gst/internal/lp"
)

// startRecorder is a relaxation that records, for every solve, the basis
// the search asked it to start from (nil when none since the last solve)
// and the basis the solve ended with.
type startRecorder struct {
	relaxation
	pending *lp.Basis
	asked   []*lp.Basis
	ended   []*lp.Basis
}

func (s *startRecorder) startFrom(b *lp.Basis) {
	s.pending = b
	s.relaxation.startFrom(b)
}

func (s *startRecorder) solve(m *lp.Model) (*lp.Solution, error) {
	s.asked = append(s.asked, s.pending)
	s.pending = nil
	sol, err := s.relaxation.solve(m)
	s.ended = append(s.ended, s.relaxation.lastBasis())
	return sol, err
}

// TestChildStartsFromParent runs the branch and bound of random
// programmes from their root and checks that every node but the root's
// children asks its relaxation to start from the basis that an earlier
// node's solve ended with (its parent's), so that a child's master,
// which differs from its parent's by one column's bounds and the cuts
// found since, starts a few pivots from its optimum rather than from
// whatever node was solved last. It logs the masters' iterations with and
// without.
func TestChildStartsFromParent(t *testing.T) {
	nodes, started := 0, 0
	var with, without int64
	for seed := uint64(1); seed <= 40; seed++ {
		p := roomyProblem(seed)
		run := func(handOn bool) (*startRecorder, int64, bool) {
			s, root, cancel := rootSearch(t, p)
			if s == nil {
				return nil, 0, false
			}
			defer cancel()
			s.rx.(*bendersRelaxation).setLazyOff(false)
			rec := &startRecorder{relaxation: s.rx}
			s.rx = rec
			if !handOn {
				s.rx = noStart{rec}
			}
			s.r.opt.MaxNodes = 30
			before := s.r.stats.Iterations
			q := nodeQueue{&bnbNode{bound: root.Objective, id: 1}}
			s.explore(&q, nil)
			return rec, s.r.stats.Iterations - before, s.nodes > 1
		}
		rec, it, branched := run(true)
		if rec == nil || !branched {
			continue
		}
		_, itWithout, _ := run(false)
		with += it
		without += itWithout
		nodes += len(rec.asked)
		for k, b := range rec.asked {
			if b == nil {
				continue
			}
			started++
			if !slices.Contains(rec.ended[:k], b) {
				t.Fatalf("seed %d: solve %d starts from a basis no earlier solve ended with", seed, k)
			}
		}
	}
	t.Logf("%d relaxations solved, %d from their parent's basis; masters' iterations %d, %d with the last solve's basis", nodes, started, with, without)
	if started == 0 {
		t.Fatal("no node started from its parent's basis: the test does not exercise it")
	}
}

// noStart is a relaxation that ignores the bases the search hands it.
type noStart struct{ relaxation }

func (noStart) startFrom(*lp.Basis) {}

// roundsRecorder is a Benders relaxation that, after each node's solve,
// asks whether the rounds ended with a bound that closes the gap to the
// search's incumbent, or else converged (the blocks within a tenth of the
// gap tolerance of the master's estimates).
type roundsRecorder struct {
	*bendersRelaxation
	s                 *search
	early, converged  int
	notClosedNorFinal int
}

func (rr *roundsRecorder) solve(m *lp.Model) (*lp.Solution, error) {
	sol, err := rr.bendersRelaxation.solve(m)
	if err != nil {
		return sol, err
	}
	_, short, verr := rr.violated(sol.X)
	switch {
	case verr != nil:
		return nil, verr
	case short <= rr.enough()*math.Max(1e-9, math.Abs(sol.Objective)):
		rr.converged++
	case rr.s.closedBy(sol.Objective, rr.r.opt.GapTolerance):
		rr.early++
	default:
		rr.notClosedNorFinal++
	}
	return sol, nil
}

// TestNodeRoundsEndAtIncumbent checks that a node's rounds of cuts end
// either converged or as soon as their bound closes the gap to the
// incumbent (the node is then pruned: a round's bound holds for the
// node), on random programmes with an incumbent from relax-and-fix.
func TestNodeRoundsEndAtIncumbent(t *testing.T) {
	early, converged := 0, 0
	for seed := uint64(1); seed <= 120; seed++ {
		s, root, x, cancel := fixedProgramme(t, randomProblem(seed, 12))
		if s == nil {
			continue
		}
		s.offer(x)
		s.rx.(*bendersRelaxation).setLazyOff(false)
		s.r.opt.GapTolerance = 0.01
		rr := &roundsRecorder{bendersRelaxation: s.rx.(*bendersRelaxation), s: s}
		s.rx = rr
		s.r.opt.MaxNodes = 30
		q := nodeQueue{&bnbNode{bound: root.Objective, id: 1}}
		s.explore(&q, nil)
		cancel()
		if rr.notClosedNorFinal > 0 {
			t.Fatalf("seed %d: %d node solves ended neither converged nor closing the gap", seed, rr.notClosedNorFinal)
		}
		early += rr.early
		converged += rr.converged
	}
	t.Logf("node solves: %d ended at the incumbent, %d converged", early, converged)
	if early == 0 {
		t.Fatal("no node's rounds ended at the incumbent: the test does not exercise it")
	}
}
