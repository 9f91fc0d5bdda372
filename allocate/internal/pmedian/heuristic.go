package pmedian

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
)

// search is a local search over open sites with the data structures of
// Resende and Werneck ("A fast swap-based local search procedure for
// location problems", Annals of OR 150, 2007), which generalise Whitaker's
// fast interchange: for every client its nearest and second-nearest open
// sites, and
//
//	gain[j]     = Σ_i max(0, d1(i) − d_ij)                (open j)
//	loss[r]     = Σ_{i: φ1(i)=r} (d2(i) − d1(i))          (close r)
//	extra[j][r] = Σ_{i: φ1(i)=r, d_ij<d2(i)} (d2(i) − max(d_ij, d1(i)))
//
// so that the profit of opening j and closing r is gain[j] − loss[r] +
// extra[j][r] + f_r − f_j. A move updates only the clients it affects.
// Here the moves are swaps, and openings and closings when the cardinality
// allows; the rules and the change limit are respected throughout.
//
// A client with no open site in its list costs in.big (when there is no
// Far), so no improving move leaves a client unserved. With Far, clients
// that rely on an unlisted site ("thin" clients) are priced exactly; the
// profit then ignores unlisted sites, which only underestimates it, so
// every accepted move truly improves.
type search struct {
	in   *inst
	open []bool
	list []int32 // open sites
	slot []int32 // slot of an open site, −1 otherwise
	free []int32 // unused slots
	S    int     // number of slots (max open sites)
	c1   []int32
	c2   []int32
	d1   []float64
	d2   []float64
	thin []bool

	gain  []float64
	loss  []float64 // by slot
	extra []float64 // m × S, by slot of r
	obj   float64   // Σ d1 + Σ fixed
	moves int
	// log, when not nil, records the moves applied (for undo).
	log []move
	// work counts list entries visited, a machine-independent measure
	// of effort used to budget the iterated local search.
	work int64
	// changes counts the sites whose state differs from in.current.
	changes int

	aff   []int32
	isAff []bool
	mark  []bool // scratch, by site
}

// maxExtra bounds the entries of the extra table (256 MiB); beyond it the
// local search keeps fewer sites open than the cardinality would allow.
const maxExtra = 1 << 25

// searchSlots returns the number of sites the local search may keep open:
// no more than the cardinality allows, nor than can be useful (a site
// beyond the forced ones, one per client and those with a negative fixed
// cost serves nobody and costs its fixed cost, unless the change limit
// keeps today's sites).
func searchSlots(in *inst) int {
	neg, cur := 0, 0
	for j, f := range in.fixed {
		if f < 0 {
			neg++
		}
		if in.current[j] && in.rule[j] != Closed {
			cur++
		}
	}
	useful := in.forced + in.n + neg
	if in.maxCh <= in.m {
		// The change limit may keep today's sites open.
		useful = max(useful, cur)
	}
	S := min(in.hi, in.m, max(in.lo, useful))
	if in.m*S > maxExtra {
		S = max(maxExtra/in.m, in.lo, in.forced)
	}
	return S
}

func newSearch(in *inst) *search {
	S := searchSlots(in)
	s := &search{in: in, S: S,
		open: make([]bool, in.m), slot: make([]int32, in.m),
		c1: make([]int32, in.n), c2: make([]int32, in.n), d1: make([]float64, in.n), d2: make([]float64, in.n),
		thin: make([]bool, in.n), gain: make([]float64, in.m), loss: make([]float64, S),
		extra: make([]float64, in.m*S), isAff: make([]bool, in.n), mark: make([]bool, in.m)}
	return s
}

// reset opens exactly the sites of open and rebuilds every structure.
func (s *search) reset(open []int32) {
	in := s.in
	clear(s.open)
	s.list = s.list[:0]
	s.free = s.free[:0]
	for k := s.S - 1; k >= 0; k-- {
		s.free = append(s.free, int32(k))
	}
	for j := range s.slot {
		s.slot[j] = -1
	}
	for _, j := range open {
		s.openSite(j)
	}
	s.rebuild()
	s.changes = 0
	for j := 0; j < in.m; j++ {
		if s.open[j] != in.current[j] {
			s.changes++
		}
	}
}

func (s *search) openSite(j int32) {
	s.open[j] = true
	s.list = append(s.list, j)
	k := s.free[len(s.free)-1]
	s.free = s.free[:len(s.free)-1]
	s.slot[j] = k
}

func (s *search) closeSite(r int32) {
	s.open[r] = false
	k := s.slot[r]
	s.slot[r] = -1
	s.free = append(s.free, k)
	i := slices.Index(s.list, r)
	s.list = slices.Delete(s.list, i, i+1)
	// Clear the slot's column and loss (they should be zero up to
	// rounding).
	s.loss[k] = 0
	for j := 0; j < s.in.m; j++ {
		s.extra[j*s.S+int(k)] = 0
	}
}

// rebuild recomputes every client and the gain, loss and extra tables.
func (s *search) rebuild() {
	in := s.in
	clear(s.gain)
	clear(s.loss)
	clear(s.extra)
	s.obj = 0
	for _, j := range s.list {
		s.obj += in.fixed[j]
	}
	for i := 0; i < in.n; i++ {
		s.state(i)
		s.contribute(i, 1)
		s.obj += s.d1[i]
	}
}

// state computes the nearest and second-nearest open sites of client i.
func (s *search) state(i int) {
	in := s.in
	c1, c2 := int32(-1), int32(-1)
	d1, d2 := in.big, in.big
	for k := in.start[i]; k < in.start[i+1]; k++ {
		j := in.site[k]
		if !s.open[j] {
			continue
		}
		if c1 < 0 {
			c1, d1 = j, in.cost[k]
		} else {
			c2, d2 = j, in.cost[k]
			break
		}
	}
	s.thin[i] = false
	if in.far != nil && !math.IsInf(in.capL[i], 1) && (c2 < 0 || d2 > in.capL[i]) {
		// An unlisted open site may be among the two nearest.
		s.thin[i] = true
		for k := in.start[i]; k < in.start[i+1]; k++ {
			s.mark[in.site[k]] = true
		}
		if c1 < 0 {
			d1 = math.Inf(1)
		}
		if c2 < 0 {
			d2 = math.Inf(1)
		}
		for _, j := range s.list {
			if s.mark[j] {
				continue
			}
			c := in.farCost(i, int(j))
			if c < d1 || c == d1 && j < c1 {
				c2, d2 = c1, d1
				c1, d1 = j, c
			} else if c < d2 || c == d2 && j < c2 {
				c2, d2 = j, c
			}
		}
		for k := in.start[i]; k < in.start[i+1]; k++ {
			s.mark[in.site[k]] = false
		}
		if c1 < 0 {
			d1 = in.big
		}
		if c2 < 0 {
			// No second open site: closing c1 would leave the client
			// unserved. Far costs may exceed big, hence d1 + big.
			d2 = d1 + in.big
		}
	}
	s.c1[i], s.c2[i], s.d1[i], s.d2[i] = c1, c2, d1, d2
}

// contribute adds (sign 1) or removes (sign −1) client i's terms.
func (s *search) contribute(i int, sign float64) {
	in := s.in
	c1, d1, d2 := s.c1[i], s.d1[i], s.d2[i]
	col := -1
	if c1 >= 0 {
		col = int(s.slot[c1])
		s.loss[col] += sign * (d2 - d1)
	}
	k, k1 := in.start[i], in.start[i+1]
	for ; k < k1; k++ {
		d := in.cost[k]
		if d >= d2 {
			break
		}
		j := in.site[k]
		if s.open[j] {
			continue
		}
		if d < d1 {
			s.gain[j] += sign * (d1 - d)
		}
		if col >= 0 {
			s.extra[int(j)*s.S+col] += sign * (d2 - max(d, d1))
		}
	}
	s.work += int64(k-in.start[i]) + 1
}

// apply opens in (unless −1) and closes out (unless −1), updating only the
// affected clients.
func (s *search) apply(inSite, out int32) {
	in := s.in
	s.aff = s.aff[:0]
	add := func(i int32) {
		if !s.isAff[i] {
			s.isAff[i] = true
			s.aff = append(s.aff, i)
		}
	}
	if out >= 0 {
		for k := in.istart[out]; k < in.istart[out+1]; k++ {
			i := in.icl[k]
			if s.c1[i] == out || s.c2[i] == out {
				add(i)
			}
		}
	}
	if inSite >= 0 {
		for k := in.istart[inSite]; k < in.istart[inSite+1]; k++ {
			i := in.icl[k]
			if in.icost[k] < s.d2[i] {
				add(i)
			}
		}
	}
	if in.far != nil {
		// Clients that rely on unlisted sites: affected when they lose
		// one of their two nearest or the new site comes closer.
		for i, thin := range s.thin {
			if !thin || s.isAff[i] {
				continue
			}
			if s.c1[i] == out || s.c2[i] == out || inSite >= 0 && in.farCost(i, int(inSite)) < s.d2[i] {
				add(int32(i))
			}
		}
	}
	for _, i := range s.aff {
		s.contribute(int(i), -1)
		s.obj -= s.d1[i]
	}
	if out >= 0 {
		s.closeSite(out)
		s.obj -= in.fixed[out]
		if in.current[out] {
			s.changes++
		} else {
			s.changes--
		}
	}
	if inSite >= 0 {
		s.openSite(inSite)
		s.gain[inSite] = 0
		row := s.extra[int(inSite)*s.S : int(inSite+1)*s.S]
		clear(row)
		s.obj += in.fixed[inSite]
		if in.current[inSite] {
			s.changes--
		} else {
			s.changes++
		}
	}
	for _, i := range s.aff {
		s.state(int(i))
		s.contribute(int(i), 1)
		s.obj += s.d1[i]
		s.isAff[i] = false
	}
	s.moves++
	if s.log != nil {
		s.log = append(s.log, move{inSite, out})
	}
	if s.moves%1024 == 0 {
		// Bound the rounding drift of the incremental updates.
		s.rebuild()
	}
}

// move is an applied move: in opened, out closed (−1: none).
type move struct{ in, out int32 }

// delta returns the change in the number of changes when site j flips.
func (s *search) delta(j int32) int {
	if s.open[j] == s.in.current[j] {
		return 1
	}
	return -1
}

// bestMove returns the most profitable allowed move (opening in, closing
// out; −1 for none) and its profit. Ties go to the lowest indices.
func (s *search) bestMove() (int32, int32, float64) {
	in := s.in
	bi, bo, bp := int32(-1), int32(-1), 0.0
	eps := 1e-9 * max(1, math.Abs(s.obj))
	better := func(p float64) bool { return p > bp+eps }
	nOpen := len(s.list)
	if nOpen == 1 && in.far != nil {
		// With a single open site, the clients that rely on Far have no
		// second site and the tables cannot price a swap: price each
		// swap exactly.
		r := s.list[0]
		if in.rule[r] == Free {
			for j := 0; j < in.m; j++ {
				if s.open[j] || in.rule[j] != Free || s.changes+s.delta(int32(j))+s.delta(r) > in.maxCh {
					continue
				}
				s.mark[j] = true
				obj, ok := in.evaluate([]int32{int32(j)}, s.mark, nil)
				s.mark[j] = false
				if p := s.obj - obj; ok && better(p) {
					bi, bo, bp = int32(j), r, p
				}
			}
		}
	}
	for j := 0; j < in.m; j++ {
		if s.open[j] || in.rule[j] != Free {
			continue
		}
		dj := s.delta(int32(j))
		base := s.gain[j] - in.fixed[j]
		if nOpen < s.S && s.changes+dj <= in.maxCh && better(base) {
			bi, bo, bp = int32(j), -1, base
		}
		if nOpen == 1 && in.far != nil {
			continue
		}
		row := s.extra[j*s.S : (j+1)*s.S]
		for _, r := range s.list {
			if in.rule[r] != Free || s.changes+dj+s.delta(r) > in.maxCh {
				continue
			}
			k := s.slot[r]
			if p := base - s.loss[k] + row[k] + in.fixed[r]; better(p) {
				bi, bo, bp = int32(j), r, p
			}
		}
	}
	if nOpen > in.lo {
		for _, r := range s.list {
			if in.rule[r] != Free || s.changes+s.delta(r) > in.maxCh {
				continue
			}
			if p := in.fixed[r] - s.loss[s.slot[r]]; better(p) {
				bi, bo, bp = -1, r, p
			}
		}
	}
	return bi, bo, bp
}

// descend applies best moves until none improves or ctx is done.
func (s *search) descend(ctx context.Context) {
	for k := 0; ; k++ {
		if k%16 == 0 && ctx.Err() != nil {
			return
		}
		j, r, p := s.bestMove()
		if p <= 0 {
			return
		}
		before := s.obj
		s.apply(j, r)
		if s.obj > before-p/2 {
			// The tables promised more than the move gave (they can only
			// err this way through rounding): undo it and stop.
			s.apply(r, j)
			return
		}
	}
}

// construct builds a start: the forced sites (and, with a change limit,
// the current sites), then greedy openings up to the cardinality, or
// closings down to it; from is used instead when not nil.
func (s *search) construct(ctx context.Context, from []int32) {
	in := s.in
	var start []int32
	seen := s.mark
	addStart := func(j int32) {
		if !seen[j] && in.rule[j] != Closed {
			seen[j] = true
			start = append(start, j)
		}
	}
	for j := 0; j < in.m; j++ {
		if in.rule[j] == Open {
			addStart(int32(j))
		}
	}
	if from != nil {
		for _, j := range from {
			if len(start) < s.S {
				addStart(j)
			}
		}
	} else if in.maxCh <= in.m {
		for j := 0; j < in.m; j++ {
			if in.current[j] && len(start) < s.S {
				addStart(int32(j))
			}
		}
	}
	for _, j := range start {
		seen[j] = false
	}
	s.reset(start)
	// Greedy openings: required ones, then profitable ones.
	for len(s.list) < s.S {
		if ctx.Err() != nil && len(s.list) >= in.lo {
			break
		}
		bj, bp := int32(-1), math.Inf(-1)
		for j := 0; j < in.m; j++ {
			if s.open[j] || in.rule[j] == Closed {
				continue
			}
			if p := s.gain[j] - in.fixed[j]; p > bp {
				bj, bp = int32(j), p
			}
		}
		if bj < 0 || len(s.list) >= in.lo && (bp <= 0 || s.changes+s.delta(bj) > in.maxCh) {
			break
		}
		s.apply(bj, -1)
	}
	// Closings down to the upper limit (only when starting from a given
	// set).
	for len(s.list) > in.hi {
		br, bp := int32(-1), math.Inf(-1)
		for _, r := range s.list {
			if in.rule[r] == Open {
				continue
			}
			if p := in.fixed[r] - s.loss[s.slot[r]]; p > bp {
				br, bp = r, p
			}
		}
		if br < 0 {
			break
		}
		s.apply(-1, br)
	}
}

// solution returns the open sites, sorted.
func (s *search) solution() []int32 {
	out := slices.Clone(s.list)
	slices.Sort(out)
	return out
}

// perturb applies k random swaps near the open sites: a free open site r
// is swapped with a closed free site listed early by one of r's clients.
// It returns false when no swap was possible.
func (s *search) perturb(r *rand.Rand, k int) bool {
	in := s.in
	done := 0
	for try := 0; try < 4*k && done < k; try++ {
		out := s.list[r.IntN(len(s.list))]
		if in.rule[out] != Free {
			continue
		}
		a, b := in.istart[out], in.istart[out+1]
		if a == b {
			continue
		}
		i := in.icl[a+int32(r.IntN(int(b-a)))]
		k0, k1 := in.start[i], in.start[i+1]
		k1 = min(k1, k0+12)
		j := in.site[k0+int32(r.IntN(int(k1-k0)))]
		if s.open[j] || in.rule[j] != Free || s.changes+s.delta(j)+s.delta(out) > in.maxCh {
			continue
		}
		s.apply(j, out)
		done++
	}
	return done > 0
}

// iterate runs an iterated local search: rounds of a random perturbation
// then descent, keeping the result when it is better and undoing it
// otherwise, until the rounds or the work budget (list entries visited)
// are spent.
func (s *search) iterate(ctx context.Context, r *rand.Rand, rounds int, maxWork int64) {
	w0 := s.work
	s.log = s.log[:0]
	if s.log == nil {
		s.log = make([]move, 0, 64)
	}
	for round := 0; round < rounds; round++ {
		if ctx.Err() != nil || s.work-w0 > maxWork {
			break
		}
		before := s.obj
		s.log = s.log[:0]
		if !s.perturb(r, 1+r.IntN(3)) {
			break
		}
		s.descend(ctx)
		if s.obj < before-1e-9*max(1, math.Abs(before)) {
			continue
		}
		// Undo in reverse order.
		moves := s.log
		s.log = nil
		for k := len(moves) - 1; k >= 0; k-- {
			s.apply(moves[k].out, moves[k].in)
		}
		s.log = moves[:0]
	}
	s.log = nil
}
