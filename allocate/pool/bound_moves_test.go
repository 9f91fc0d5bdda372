package pool

import (
	"context"
	"math"
	"math/rand"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/netflow"
)

// The root's bound, lifted by the pieces, against enumeration: with the
// search over moves stopped at its root, the plan's bound is the lifted
// root bound; it never exceeds the optimum, whether the clusters are kept
// whole or split into groups of two cells (every cluster split, the moves
// between groups counted half in each), and it is never below the
// relaxation's bound without the pieces.
func TestPoolMoveBoundAgainstBruteForce(t *testing.T) {
	defer func(w int64, c, sc int) { moveMaxWork, clusterWholeCells, clusterSplitCells = w, c, sc }(moveMaxWork, clusterWholeCells, clusterSplitCells)
	defer func(w int64, r float64) { clusterMaxWork, clusterRoomFixed = w, r }(clusterMaxWork, clusterRoomFixed)
	room := clusterRoomFixed
	const value = 400.0
	tried, lifted, split, narrowed := 0, 0, 0, 0
	for seed := int64(0); seed < 3000 && tried < 200; seed++ {
		rng := rand.New(rand.NewSource(seed))
		p := poolRandom(rng, false)
		opt := poolMoveRules(rng, p)
		_, weighted, ok := poolBruteOpt(t, p, opt, 30000, value)
		if !ok {
			continue
		}
		tried++
		wopt := *opt
		wopt.UnmetValueMAD = value
		bound := func(work int64, whole int, r float64) float64 {
			moveMaxWork, clusterMaxWork, clusterWholeCells, clusterSplitCells, clusterRoomFixed = 0, work, whole, 2, r
			plan, err := Solve(context.Background(), p, &wopt)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			poolNewRef(t, p, &wopt).check(t, plan)
			if plan.Objective < weighted-1e-6*math.Max(1, weighted) {
				t.Fatalf("seed %d: plan %g below the optimum %g", seed, plan.Objective, weighted)
			}
			return plan.Bound
		}
		root := bound(0, 1<<30, room)
		whole := bound(1<<40, 1<<30, room)
		pairs := bound(1<<40, 1, room)
		// Pieces that leave out every move the root does not use unless
		// it costs less than a thousandth of a fixed cost: their values
		// are capped, and the moves left out come back in.
		narrow := bound(1<<40, 1<<30, 0.001)
		tol := 1e-6 * math.Max(1, weighted)
		for _, b := range []float64{root, whole, pairs, narrow} {
			if b > weighted+tol {
				t.Fatalf("seed %d: bounds (root %g, whole clusters %g, split %g, narrow %g) above the optimum %g", seed, root, whole, pairs, narrow, weighted)
			}
		}
		if whole < root-tol || pairs < root-tol || narrow < root-tol {
			t.Fatalf("seed %d: lifted bounds (whole %g, split %g, narrow %g) below the root's %g", seed, whole, pairs, narrow, root)
		}
		if narrow > root+tol {
			narrowed++
		}
		if whole > root+tol {
			lifted++
		}
		if pairs > root+tol {
			split++
		}
	}
	t.Logf("%d problems; the pieces lift the root's bound in %d kept whole, %d split, %d narrow", tried, lifted, split, narrowed)
	if tried < 150 || lifted < 5 || split < 5 || narrowed < 5 {
		t.Fatalf("%d problems, %d lifted, %d lifted when split, %d narrow", tried, lifted, split, narrowed)
	}
}

// nationalMoveRules returns a solve of a national-like instance (1,200
// establishments, two categories) under the pilots' move rules, which
// fails the test when the bound is above the plan and, with check, when
// the plan breaks a rule.
func nationalMoveRules(t *testing.T, check bool) func() *Plan {
	t.Helper()
	p := poolNational(t, 1200, 2, false)
	p.Rules.PerMoveMAD = 200
	p.Rules.MinMoveSessions = 1
	opt := &Options{UnmetValueMAD: 100000.0 / 52, SolveOptions: gst.SolveOptions{GapTolerance: 0.01}}
	return func() *Plan {
		t.Helper()
		plan, err := Solve(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		if check {
			poolNewRef(t, p, opt).check(t, plan)
		}
		if plan.Bound > plan.Objective {
			t.Fatalf("bound %g above the plan %g", plan.Bound, plan.Objective)
		}
		return plan
	}
}

// On a national-like instance whose largest clusters the pieces cannot
// solve whole, splitting them gives a stronger proven bound than keeping
// them whole with the same budget, and both stay below the plan.
func TestPoolMoveBoundSplitStronger(t *testing.T) {
	if testing.Short() {
		t.Skip("national-like instance")
	}
	defer func(c, sc int, w int64, r float64) {
		clusterWholeCells, clusterSplitCells, clusterMaxWork, clusterRoomFixed = c, sc, w, r
	}(clusterWholeCells, clusterSplitCells, clusterMaxWork, clusterRoomFixed)
	solveNational := nationalMoveRules(t, false)
	solve := func(whole, split int, work int64, room float64) *Plan {
		clusterWholeCells, clusterSplitCells, clusterMaxWork, clusterRoomFixed = whole, split, work, room
		return solveNational()
	}
	// Before: every cluster whole, with the same budget.
	whole, split, work, room := clusterWholeCells, clusterSplitCells, clusterMaxWork, clusterRoomFixed
	before := solve(1<<30, 0, work, room)
	after := solve(whole, split, work, room)
	t.Logf("bound kept whole %.1f (gap %.3f%%), split %.1f (gap %.3f%%)", before.Bound, 100*before.Gap, after.Bound, 100*after.Gap)
	if after.Bound < before.Bound {
		t.Errorf("split bound %g below the whole clusters' %g", after.Bound, before.Bound)
	}
}

// A piece's least value against enumeration: on random small pieces (a
// few nodes, arcs of finite capacity, moves with a fixed cost and a
// smallest size), the value the branch and bound over the piece's moves
// proves lies between the piece's linear relaxation and its optimum found
// by trying every choice of open moves (each open move then carries
// between its smallest size and its capacity), and lifts the relaxation
// on some of them.
func TestPoolPieceAgainstEnumeration(t *testing.T) {
	tried, lifted := 0, 0
	for seed := int64(0); seed < 400; seed++ {
		rng := rand.New(rand.NewSource(seed))
		pc := randomPiece(rng)
		got, _ := pc.solve(context.Background(), 1<<20)
		exact, ok := pieceByEnumeration(t, pc)
		if !ok {
			continue
		}
		tried++
		relax, _ := pc.solve(context.Background(), 1)
		clip := func(v float64) float64 { return math.Max(0, math.Min(pc.cut, v)) }
		tol := 1e-6 * math.Max(1, math.Abs(exact))
		if got > clip(exact)+tol {
			t.Fatalf("seed %d: piece value %g above its optimum %g", seed, got, clip(exact))
		}
		if got < relax-tol {
			t.Fatalf("seed %d: piece value %g below its relaxation %g", seed, got, relax)
		}
		if got > relax+tol {
			lifted++
		}
	}
	t.Logf("%d pieces, %d lifted above their relaxation", tried, lifted)
	if tried < 300 || lifted < 30 {
		t.Fatalf("%d pieces, %d lifted", tried, lifted)
	}
}

// randomPiece draws a small piece: three to five nodes, the last taking
// what the others supply, a ring of plain arcs both ways (so that every
// choice of moves has a flow), and two to five moves.
func randomPiece(rng *rand.Rand) *piece {
	n := 3 + rng.Intn(3)
	pc := &piece{nodes: n, supply: make([]float64, n), cut: math.Inf(1)}
	if rng.Intn(4) == 0 {
		pc.cut = float64(5 + rng.Intn(20))
	}
	total := 0.0
	for v := 0; v < n-1; v++ {
		pc.supply[v] = float64(rng.Intn(7) - 3)
		total += pc.supply[v]
	}
	pc.supply[n-1] = -total
	for v := 0; v < n; v++ {
		w := int32((v + 1) % n)
		pc.arcs = append(pc.arcs,
			pieceArc{from: int32(v), to: w, capU: 20, cs: float64(1 + rng.Intn(4))},
			pieceArc{from: w, to: int32(v), capU: 20, cs: float64(1 + rng.Intn(4))})
	}
	for m := 2 + rng.Intn(4); m > 0; m-- {
		u, v := int32(rng.Intn(n)), int32(rng.Intn(n))
		if u == v {
			continue
		}
		capU := float64(1 + rng.Intn(4))
		low := 0.0
		if rng.Intn(2) == 0 {
			low = 0.5
		}
		fixed := float64(1 + rng.Intn(10))
		pc.arcs = append(pc.arcs, pieceArc{from: u, to: v, capU: capU, move: true, fixed: fixed, low: low,
			cs: float64(rng.Intn(11)-8) + fixed/capU})
	}
	return pc
}

// pieceByEnumeration returns a piece's least value (Σ cs × flow plus the
// fixed cost of each open move, less fixed × flow / capacity on every
// move) over every choice of open moves, each open move carrying between
// its smallest size and its capacity; false when no choice has a flow.
func pieceByEnumeration(t *testing.T, pc *piece) (float64, bool) {
	t.Helper()
	return pieceEnumerate(t, pc, -1)
}

// pieceEnumerate is pieceByEnumeration over the choices that open the
// move of arc force (none when force is -1).
func pieceEnumerate(t *testing.T, pc *piece, force int) (float64, bool) {
	t.Helper()
	var moves []int
	for j, a := range pc.arcs {
		if a.move {
			moves = append(moves, j)
		}
	}
	best, found := math.Inf(1), false
	for mask := 0; mask < 1<<len(moves); mask++ {
		open := map[int]bool{}
		for b, j := range moves {
			if mask&(1<<b) != 0 {
				open[j] = true
			}
		}
		if force >= 0 && !open[force] {
			continue
		}
		g := netflow.New(pc.nodes, len(pc.arcs))
		sup := append([]float64(nil), pc.supply...)
		constS := 0.0
		for j, a := range pc.arcs {
			cs, capU := a.cs, a.capU
			if a.move {
				if !open[j] {
					continue
				}
				cs -= a.fixed / a.capU
				capU -= a.low
				sup[a.from] -= a.low
				sup[a.to] += a.low
				constS += a.fixed + a.low*cs
			}
			g.AddArc(int(a.from), int(a.to), capU, 0, cs)
		}
		for v, b := range sup {
			g.SetSupply(v, b)
		}
		if err := g.Solve(context.Background()); err != nil {
			if err == netflow.ErrInfeasible {
				continue
			}
			t.Fatal(err)
		}
		_, s := g.Objective()
		best, found = math.Min(best, s+constS), true
	}
	return best, found
}

// On a national-like instance, the plan the pieces' best choices suggest
// (the root's moves less those they close, plus those they open) makes
// the plan cheaper than without it; both keep every rule and stay above
// their bound.
func TestPoolMovePieceSuggest(t *testing.T) {
	if testing.Short() {
		t.Skip("national-like instance")
	}
	defer func(v bool) { pieceSuggest = v }(pieceSuggest)
	solveNational := nationalMoveRules(t, true)
	solve := func(on bool) *Plan {
		pieceSuggest = on
		return solveNational()
	}
	before, after := solve(false), solve(true)
	t.Logf("plan without the pieces' suggestion %.1f (gap %.3f%%, %d moves), with %.1f (gap %.3f%%, %d moves)",
		before.Objective, 100*before.Gap, len(before.Moves), after.Objective, 100*after.Gap, len(after.Moves))
	if after.Objective >= before.Objective {
		t.Errorf("the pieces' suggestion leaves the plan at %g (before %g)", after.Objective, before.Objective)
	}
}

// On a national-like instance, bringing back into a piece the moves left
// out of it when they cap its value lifts the proven bound, which stays
// below the plan.
func TestPoolMoveBoundWiden(t *testing.T) {
	if testing.Short() {
		t.Skip("national-like instance")
	}
	defer func(v float64) { clusterWidenFixed = v }(clusterWidenFixed)
	solveNational := nationalMoveRules(t, false)
	solve := func(widen float64) *Plan {
		clusterWidenFixed = widen
		return solveNational()
	}
	widen := clusterWidenFixed
	before, after := solve(0), solve(widen)
	t.Logf("bound without bringing moves back %.1f (gap %.3f%%), with %.1f (gap %.3f%%)", before.Bound, 100*before.Gap, after.Bound, 100*after.Gap)
	if after.Bound <= before.Bound {
		t.Errorf("bound %g with the moves brought back, %g without", after.Bound, before.Bound)
	}
}

// A piece some of whose moves are left out, against enumeration: each
// move left out carries a value below the least value of the choices
// that open it, the
// piece's value is capped by the least of them, and bringing back those
// below a threshold (value) never lifts the piece above its optimum over
// all its moves; on some pieces it lifts the value above the capped one.
func TestPoolPieceWidenAgainstEnumeration(t *testing.T) {
	tried, widened := 0, 0
	for seed := int64(0); seed < 600; seed++ {
		rng := rand.New(rand.NewSource(seed))
		full := randomPiece(rng)
		full.cut = math.Inf(1)
		exact, ok := pieceByEnumeration(t, full)
		if !ok {
			continue
		}
		pc := &piece{nodes: full.nodes, supply: full.supply, cut: math.Inf(1)}
		for j, a := range full.arcs {
			if !a.move || rng.Intn(2) == 0 {
				pc.arcs = append(pc.arcs, a)
				continue
			}
			least, ok := pieceEnumerate(t, full, j)
			if !ok {
				continue // no choice opens it: leaving it out changes nothing
			}
			// Any value below the least value of the choices that open
			// the move will do, as the identity's least cost is.
			least -= 5 * rng.Float64()
			pc.out = append(pc.out, pieceOut{arc: a, least: least})
			pc.cut = math.Min(pc.cut, least)
		}
		if len(pc.out) == 0 {
			continue
		}
		tried++
		capped := math.Max(0, math.Min(pc.cut, exact))
		narrow, _ := (&piece{nodes: pc.nodes, supply: pc.supply, arcs: append([]pieceArc(nil), pc.arcs...), cut: pc.cut}).solve(context.Background(), 1<<20)
		got, _ := pc.value(context.Background(), 1<<20, float64(rng.Intn(30)))
		tol := 1e-6 * math.Max(1, math.Abs(exact))
		if got > math.Max(0, exact)+tol {
			t.Fatalf("seed %d: piece value %g above its optimum %g (capped %g)", seed, got, math.Max(0, exact), capped)
		}
		if got < narrow-tol {
			t.Fatalf("seed %d: piece value %g below the value %g without bringing moves back", seed, got, narrow)
		}
		if got > narrow+tol {
			widened++
		}
	}
	t.Logf("%d pieces with moves left out, %d lifted by bringing them back", tried, widened)
	if tried < 200 || widened < 20 {
		t.Fatalf("%d pieces, %d lifted", tried, widened)
	}
}

// Leaving out of a piece's search the moves another move dominates keeps
// its value: on random pieces with parallel moves (several moves between
// the same two nodes, as a piece's moves to its dropped node are), the
// search proves the same value as enumeration of every choice of open
// moves over all of them, capped by the piece's cut, and leaves moves out
// on many of them.
func TestPoolPieceDominance(t *testing.T) {
	tried, reduced := 0, 0
	for seed := int64(0); seed < 500; seed++ {
		rng := rand.New(rand.NewSource(seed))
		pc := randomPiece(rng)
		pc.cut = float64(2 + rng.Intn(30))
		// Dear detours, so that the moves' capacities matter.
		for j := range pc.arcs {
			if !pc.arcs[j].move && rng.Intn(2) == 0 {
				pc.arcs[j].cs += 6
			}
		}
		// Parallel moves between two pairs of nodes.
		for k := 0; k < 2; k++ {
			u, v := int32(rng.Intn(pc.nodes)), int32(rng.Intn(pc.nodes))
			if u == v {
				continue
			}
			for m := 2 + rng.Intn(4); m > 0; m-- {
				capU := float64(1 + rng.Intn(5))
				fixed := float64(1 + rng.Intn(8))
				low := []float64{0, 0, 1}[rng.Intn(3)]
				pc.arcs = append(pc.arcs, pieceArc{from: u, to: v, capU: capU, move: true, fixed: fixed, low: low,
					cs: float64(rng.Intn(4)) + fixed/capU})
			}
		}
		exact, ok := pieceByEnumeration(t, pc)
		if !ok {
			continue
		}
		tried++
		if sub, _ := pc.reduced(); len(sub.arcs) < len(pc.arcs) {
			reduced++
		}
		got, _ := pc.solve(context.Background(), 1<<20)
		want := math.Max(0, math.Min(pc.cut, exact))
		if math.Abs(got-want) > 1e-6*math.Max(1, want) {
			t.Fatalf("seed %d: piece value %g, enumeration %g (cut %g)", seed, got, want, pc.cut)
		}
	}
	t.Logf("%d pieces, %d with dominated moves left out", tried, reduced)
	if tried < 300 || reduced < 50 {
		t.Fatalf("%d pieces, %d reduced", tried, reduced)
	}
	// Moves that look dominated but are not: move b (the first, which
	// adds least once open) cannot carry all of c's staff, needs more
	// than c's smallest size, or costs more than c at c's smallest size or
	// at its capacity; staff routed around cost 10 a unit, and using both
	// moves costs more than the cut of 4.4. Each piece's value is c's
	// alone.
	move := func(capU, low, fixed, unit float64) pieceArc {
		return pieceArc{from: 0, to: 1, capU: capU, move: true, fixed: fixed, low: low, cs: unit + fixed/capU}
	}
	for _, c := range []struct {
		name   string
		supply float64
		b, c   pieceArc
		want   float64
	}{
		{"capacity", 3, move(1, 0, 1, 0), move(3, 0, 4, 0), 4},
		{"smallest size", 1, move(3, 2, 1, 0), move(1, 0, 4, 0), 4},
		{"cost at the smallest size", 1, move(4, 0, 4, -0.5), move(3, 0, 3, 0), 3},
		{"cost at the capacity", 3, move(10, 0, 1, 1), move(3, 0, 4, -1.0/6), 3.5},
	} {
		pc := &piece{nodes: 2, supply: []float64{c.supply, -c.supply}, cut: 4.4, arcs: []pieceArc{
			{from: 0, to: 1, capU: 20, cs: 10}, {from: 1, to: 0, capU: 20, cs: 10}, c.b, c.c}}
		if exact, _ := pieceByEnumeration(t, pc); math.Abs(exact-c.want) > 1e-9 {
			t.Fatalf("%s: enumeration %g, want %g", c.name, exact, c.want)
		}
		if sub, _ := pc.reduced(); len(sub.arcs) != len(pc.arcs) {
			t.Errorf("%s: move left out", c.name)
		}
		if got, _ := pc.solve(context.Background(), 1<<20); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: piece value %g, want %g", c.name, got, c.want)
		}
	}
}
