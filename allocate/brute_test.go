package allocate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// The brute-force oracle enumerates every set of open sites, assigns the
// demand (nearest open site; for capacities, an exact transportation LP
// written here independently of the package's formulations, or an
// enumeration of single-source assignments) and keeps the best plan that
// satisfies every rule.

// bruteResult is the best objective value found by enumeration.
type bruteResult struct {
	ok    bool
	value float64
}

// brute solves an instance by enumeration. It returns ok == false when no
// plan satisfies the rules.
func brute(t *testing.T, in *inst) bruteResult {
	t.Helper()
	var free []int
	for j := range in.sites {
		if in.sites[j].fix == 0 {
			free = append(free, j)
		}
	}
	if len(free) > 12 {
		t.Fatalf("brute force over %d free sites", len(free))
	}
	maxim := in.obj.maximises()
	best := bruteResult{}
	bestOnce := math.Inf(-1) // backup coverage: lexicographic first stage
	for mask := 0; mask < 1<<len(free); mask++ {
		open := make([]bool, len(in.sites))
		for j := range in.sites {
			open[j] = in.sites[j].fix > 0
		}
		for b, j := range free {
			if mask&(1<<b) != 0 {
				open[j] = true
			}
		}
		s, ok := bruteAssign(t, in, open)
		if !ok {
			continue
		}
		if in.feasible(s, 1e-7) != "" {
			continue
		}
		v := in.value(s)
		if in.obj == BackupCoverage {
			once := in.coveredOnce(s)
			switch {
			case once > bestOnce+1e-9:
				bestOnce, best = once, bruteResult{true, v}
			case math.Abs(once-bestOnce) <= 1e-9 && v > best.value:
				best = bruteResult{true, v}
			}
			continue
		}
		if !best.ok || (maxim && v > best.value) || (!maxim && v < best.value) {
			best = bruteResult{true, v}
		}
	}
	return best
}

// bruteAssign assigns the demand to the open sites as the objective wants:
// nearest open site without capacities, the best assignment with them.
func bruteAssign(t *testing.T, in *inst, open []bool) (*solution, bool) {
	if !in.capacitated {
		return in.nearest(open), true
	}
	if in.p.Capacity == SplitDemand {
		if in.obj.center() {
			return splitCenter(t, in, open)
		}
		return transportLP(t, in, open, math.Inf(1))
	}
	return singleSourceEnum(in, open)
}

// pairCost is the objective contribution of serving all of client k from
// site j under capacities (minimised), and whether the pair is allowed.
func pairCost(in *inst, k int, j int32) (float64, bool) {
	c := &in.cls[k]
	d := in.d(k, j)
	switch in.obj {
	case PMedian, FixedCharge:
		return c.w * d, true
	case MaxCoverage:
		cr := in.credit(k, d)
		return -c.w * cr, cr > 0
	case SetCovering:
		return 0, d <= in.svcs[c.svc].std
	case PCenter, WeightedPCenter:
		return 0, true
	}
	return 0, false
}

// transportLP solves the split-demand assignment for fixed open sites.
func transportLP(t *testing.T, in *inst, open []bool, radius float64) (*solution, bool) {
	m := lp.NewModel("oracle")
	type col struct {
		k int
		j int32
		c int
	}
	var cols []col
	capRows := map[[2]int32][]int{}
	for k := range in.cls {
		var rc []int
		var rv []float64
		for _, j := range in.cls[k].cands {
			if !open[j] {
				continue
			}
			cost, ok := pairCost(in, k, j)
			if !ok || in.eff(k, in.d(k, j)) > radius {
				continue
			}
			x := m.AddVar(fmt.Sprintf("x%d_%d", k, j), 0, 1, cost, lp.Continuous)
			cols = append(cols, col{k, j, x})
			rc = append(rc, x)
			rv = append(rv, 1)
			capRows[[2]int32{j, in.cls[k].svc}] = append(capRows[[2]int32{j, in.cls[k].svc}], x)
		}
		if len(rc) == 0 {
			if in.mandatory() {
				return nil, false
			}
			continue
		}
		sense := lp.EQ
		if !in.mandatory() {
			sense = lp.LE
		}
		m.AddRow("", rc, rv, sense, 1)
	}
	for key, xs := range capRows {
		cp := in.sites[key[0]].cap[key[1]]
		if math.IsInf(cp, 1) {
			continue
		}
		var vols []float64
		for _, x := range xs {
			for _, c := range cols {
				if c.c == x {
					vols = append(vols, in.cls[c.k].vol)
				}
			}
		}
		m.AddRow("", xs, vols, lp.LE, cp)
	}
	for _, g := range in.coverageGroups() {
		var xs []int
		var vs []float64
		member := map[int]bool{}
		for _, k := range g.clients {
			member[k] = true
		}
		for _, c := range cols {
			if member[c.k] && in.d(c.k, c.j) <= in.svcs[in.cls[c.k].svc].std {
				xs = append(xs, c.c)
				vs = append(vs, in.cls[c.k].vol)
			}
		}
		if len(xs) == 0 {
			if g.share > 0 {
				return nil, false
			}
			continue
		}
		m.AddRow("", xs, vs, lp.GE, g.share*g.total)
	}
	if m.NumVars() == 0 {
		return &solution{open: open, assign: make([][]share, len(in.cls))}, true
	}
	sol, err := lp.Solve(context.Background(), m, nil)
	if err != nil {
		if errors.Is(err, gst.ErrInfeasible) {
			return nil, false
		}
		t.Fatal(err)
	}
	s := &solution{open: open, assign: make([][]share, len(in.cls))}
	for _, c := range cols {
		if v := sol.X[c.c]; v > 1e-9 {
			s.assign[c.k] = append(s.assign[c.k], share{c.j, v})
		}
	}
	return s, true
}

// splitCenter finds the least radius at which the open sites can serve all
// the demand with split shares, trying every candidate radius in turn.
func splitCenter(t *testing.T, in *inst, open []bool) (*solution, bool) {
	var radii []float64
	for k := range in.cls {
		for _, j := range in.cls[k].cands {
			if open[j] {
				radii = append(radii, in.eff(k, in.d(k, j)))
			}
		}
	}
	sort.Float64s(radii)
	for _, r := range radii {
		if s, ok := transportLP(t, in, open, r); ok {
			return s, true
		}
	}
	return nil, false
}

// singleSourceEnum enumerates single-source assignments to the open sites.
func singleSourceEnum(in *inst, open []bool) (*solution, bool) {
	n := len(in.cls)
	cur := make([]int32, n)
	best := make([]int32, n)
	found := false
	var bestV float64
	load := map[[2]int32]float64{}
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			s := &solution{open: open, assign: make([][]share, n)}
			for i, j := range cur {
				if j >= 0 {
					s.assign[i] = []share{{j, 1}}
				}
			}
			if in.feasible(s, 1e-9) != "" {
				return
			}
			v := in.value(s)
			if in.obj.maximises() {
				v = -v
			}
			if !found || v < bestV {
				found, bestV = true, v
				copy(best, cur)
			}
			return
		}
		c := &in.cls[k]
		for _, j := range c.cands {
			if !open[j] {
				continue
			}
			if _, ok := pairCost(in, k, j); !ok {
				continue
			}
			key := [2]int32{j, c.svc}
			if load[key]+c.vol > in.sites[j].cap[c.svc]*(1+1e-12) {
				continue
			}
			load[key] += c.vol
			cur[k] = j
			rec(k + 1)
			load[key] -= c.vol
		}
		if !in.mandatory() {
			cur[k] = -1
			rec(k + 1)
		}
	}
	rec(0)
	if !found {
		return nil, false
	}
	s := &solution{open: open, assign: make([][]share, n)}
	for i, j := range best {
		if j >= 0 {
			s.assign[i] = []share{{j, 1}}
		}
	}
	return s, true
}

// randomProblem draws a small problem with random rules.
func randomProblem(t *testing.T, rng *rand.Rand, obj Objective, capRule Capacity) *Problem {
	nAreas := 5 + rng.Intn(5)
	nSites := 4 + rng.Intn(4)
	nSvc := 1
	if capRule == Uncapacitated && rng.Intn(3) == 0 {
		nSvc = 2
	}
	if capRule == SingleSource {
		nAreas = 4 + rng.Intn(3)
		nSites = 3 + rng.Intn(3)
	}
	r, dt := synth(t, synthSpec{seed: rng.Int63(), areas: nAreas, sites: nSites, services: nSvc, candidates: 0.4, closable: 0.5,
		capacity: capRule != Uncapacitated, intTravel: rng.Intn(2) == 0})
	p := &Problem{Region: r, Demand: dt, Objective: obj, Capacity: capRule, Greenfield: rng.Intn(3) == 0, TravelCost: 0.5 + rng.Float64()}
	// Standards wide enough to make covering interesting.
	for s := range r.Services {
		r.Services[s].StandardMinutes = 25 + float64(rng.Intn(40))
	}
	if obj.needsP() && rng.Intn(4) > 0 {
		p.P = 1 + rng.Intn(min(3, nSites))
	} else if obj.needsP() {
		// "At most N changes": the number of sites is free.
		p.MaxChanges = 1 + rng.Intn(3)
	} else if rng.Intn(3) == 0 {
		p.P = 2 + rng.Intn(nSites-1)
	}
	if rng.Intn(4) == 0 {
		p.Keep = []gst.EstablishmentID{r.Establishments[rng.Intn(nSites)].ID}
	}
	if rng.Intn(4) == 0 {
		e := r.Establishments[rng.Intn(nSites)]
		if e.Candidate || e.Closable || p.Greenfield {
			p.Exclude = []gst.EstablishmentID{e.ID}
		}
	}
	if rng.Intn(4) == 0 {
		p.Budget = float64(3 + rng.Intn(10))
	}
	if rng.Intn(4) == 0 {
		p.MaxChanges = 1 + rng.Intn(3)
	}
	if rng.Intn(12) == 0 {
		p.MaxChanges = NoChanges
	}
	if rng.Intn(4) == 0 && !obj.coverage() {
		p.MaxTravel = 60 + float64(rng.Intn(40))
	}
	if rng.Intn(4) == 0 {
		p.MinCoverage = []CoverageRule{{MinShare: 0.2 + 0.5*rng.Float64()}}
		if rng.Intn(2) == 0 {
			p.MinCoverage[0].Province = "P0"
		}
	}
	if obj == MaxCoverage && rng.Intn(3) == 0 {
		p.Decay = &Decay{Outer: 80 + float64(rng.Intn(30))}
	}
	if p.Keep != nil && p.Exclude != nil && p.Keep[0] == p.Exclude[0] {
		p.Exclude = nil
	}
	if p.P > 0 && nSvc > 1 {
		// keep P within the usable sites
		p.P = min(p.P, nSites-len(p.Exclude))
	}
	return p
}

func TestAgainstBruteForce(t *testing.T) {
	for _, seed := range []int64{7, 8, 9} {
		if testing.Short() && seed > 7 {
			break
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) { againstBruteForce(t, seed) })
	}
}

func againstBruteForce(t *testing.T, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	objectives := []Objective{PMedian, PCenter, WeightedPCenter, SetCovering, MaxCoverage, BackupCoverage, FixedCharge}
	caps := []Capacity{Uncapacitated, SplitDemand, SingleSource}
	trials := 20
	if testing.Short() {
		trials = 4
	}
	counts := map[string]int{}
	for _, obj := range objectives {
		for _, c := range caps {
			if obj == BackupCoverage && c != Uncapacitated {
				continue
			}
			for trial := 0; trial < trials; trial++ {
				p := randomProblem(t, rng, obj, c)
				name := fmt.Sprintf("%s/%s/%d", obj, c, trial)
				in, cerr := compile(context.Background(), p)
				var want bruteResult
				if cerr == nil {
					want = brute(t, in)
				} else if !errors.Is(cerr, gst.ErrInfeasible) {
					t.Fatalf("%s: compile: %v", name, cerr)
				}
				_ = in
				plan, err := Locate(context.Background(), p, nil)
				if !want.ok {
					if err == nil {
						why := "compile failed"
						if in != nil {
							open := make([]bool, len(in.sites))
							for j, st := range plan.Sites {
								open[j] = st.Open
							}
							s, ok := bruteAssign(t, in, open)
							why = fmt.Sprintf("assignable %v", ok)
							if ok {
								why += ": " + in.feasible(s, 1e-7)
							}
						}
						t.Errorf("%s: brute force finds no plan, Locate found %v (%v); brute force on its sites: %s", name, plan.Value, plan.Status, why)
					} else if !errors.Is(err, gst.ErrInfeasible) {
						t.Errorf("%s: want an infeasibility error, got %v", name, err)
					}
					counts["infeasible"]++
					continue
				}
				if err != nil {
					t.Errorf("%s: brute force finds %v, Locate fails: %v", name, want.value, err)
					continue
				}
				counts["solved"]++
				if plan.Status != gst.StatusOptimal {
					t.Errorf("%s: status %v, want optimal (value %v bound %v, brute %v, notes %v)", name, plan.Status, plan.Value, plan.Bound, want.value, plan.Notes)
				}
				if math.Abs(plan.Value-want.value) > 1e-6*math.Max(1, math.Abs(want.value)) {
					t.Errorf("%s: value %v, brute force %v", name, plan.Value, want.value)
				}
				checkPlan(t, name, p, plan)
				checkParsimony(t, name, in, plan)
				if obj == PMedian || obj == FixedCharge {
					// The same problem through the MIP formulations.
					mp, err := Locate(context.Background(), p, &Options{Method: MIP})
					if err != nil {
						t.Errorf("%s: Method MIP: %v", name, err)
					} else if math.Abs(mp.Value-want.value) > 1e-6*math.Max(1, math.Abs(want.value)) || mp.Status != gst.StatusOptimal {
						t.Errorf("%s: Method MIP: %v (%v), brute force %v", name, mp.Value, mp.Status, want.value)
					}
				}
			}
		}
	}
	t.Logf("cases: %v", counts)
}

// checkParsimony checks that every change of a plan the rules leave free
// pays for itself: undoing it (with an opposite change when the number of
// sites is exact) breaks a rule or makes the objective strictly worse, as
// the brute-force assignment measures it.
func checkParsimony(t *testing.T, name string, in *inst, plan *Plan) {
	t.Helper()
	open := make([]bool, len(in.sites))
	for j, s := range plan.Sites {
		if s.Site != in.sites[j].id {
			t.Fatalf("%s: plan sites out of order", name)
		}
		open[j] = s.Open
	}
	count, _ := in.countRule()
	opened, closed, changed := in.planChanges(open)
	var trials [][]int32
	if count != lp.EQ {
		for _, j := range changed {
			trials = append(trials, []int32{j})
		}
	}
	for _, j := range opened {
		for _, i := range closed {
			trials = append(trials, []int32{j, i})
		}
	}
	base, _ := bruteAssign(t, in, open)
	for _, tr := range trials {
		o := append([]bool(nil), open...)
		for _, j := range tr {
			o[j] = !o[j]
		}
		s, ok := bruteAssign(t, in, o)
		if !ok || in.feasible(s, 1e-7) != "" {
			continue
		}
		v, tol := in.value(s), 1e-7*math.Max(1, math.Abs(plan.Value))
		worse := v > plan.Value+tol
		switch {
		case in.obj == BackupCoverage:
			o1, o2 := in.coveredOnce(s), in.coveredOnce(base)
			worse = o1 < o2-tol || (o1 <= o2+tol && v < plan.Value-tol)
		case in.obj.maximises():
			worse = v < plan.Value-tol
		}
		if !worse {
			var ids []gst.EstablishmentID
			for _, j := range tr {
				ids = append(ids, in.sites[j].id)
			}
			t.Errorf("%s: undoing the change of %v keeps the objective (%v against %v): the plan makes a change that does not pay for itself", name, ids, v, plan.Value)
		}
	}
}
