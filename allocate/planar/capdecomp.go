package planar

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"

	"github.com/gstplan/gst"

	"github.com/gstplan/gst/allocate/internal/capfl"
)

// regionSizes are the numbers of open sites, a seed and its nearest
// open sites, that the subproblems of decompose re-solve together, in
// the order tried.
var regionSizes = []int{5, 8, 12, 16, 24, 32}

// regionLists is how many sites of each client's list are candidates in
// a subproblem of decompose (with the region's open sites): on p3038
// the answers with 3 and with 8 were the same.
const regionLists = 5

// regionNodes bounds the branch-and-bound nodes of one subproblem; a
// subproblem stopped by it keeps what it found. On p3038_900, of the
// regions of 12 sites of a 60 s run, the 194 that went past 50 nodes
// took two thirds of the pass's time for 14 of its 33 improvements: with
// 50 instead of 200 the pass of 12 sites of a 150 s run took 36 s
// instead of 47, and the 60 s plans of p3038_800–1000 ended 0.03–0.11
// points closer to the best-known values (p3038_700 the same, p3038_600
// 0.02 further), one run each.
const regionNodes = 50

// regionWork bounds the work of one subproblem, in Lagrangian iterations
// times site–customer pairs (each iteration solves a knapsack per site
// over the region's clients): a limit of work, not of time, so that the
// plan does not depend on the machine's speed or load. A subproblem
// stopped by it keeps what it found. Most subproblems take a few hundred
// iterations; on p3038 the node limit stops those of 12 sites first (with
// 200 nodes, at most 6.7·10⁷ iterations × pairs), and this limit stops
// larger regions at about the same work (a few tenths of a second).
const regionWork = 100_000_000

// regionBatch is how many regions with no site in common decompose
// solves on the same plan before applying their answers (at once when
// there are as many workers).
const regionBatch = 2

// plan is a plan under decompose: each client's site, each open site's
// clients.
type plan struct {
	asg     []int
	isOpen  []bool
	members [][]int32
}

// regionAnswer is a better answer of one region: the clients, and for
// each its new site; the sites it opens.
type regionAnswer struct {
	region, opened []int
	cl             []int32
	to             []int
}

// decompose improves the plan region by region: each open site in turn
// (the seed), with its size−1 nearest open sites and the clients they
// serve, is a small capacitated p-median problem (as many sites to open
// among the first regionLists sites of the clients' lists and the
// region's open sites, every site open outside the region excluded),
// solved by the capacitated engine with the region's cost as cutoff; a
// better answer replaces the region's sites and assignment. Batches of
// regionBatch regions with no site in common are solved on the same plan
// (up to Options.Workers at once), and their answers applied in the
// order of their seeds (an answer opening a site another has just opened
// is dropped), so the result does not depend on the number of workers.
// A region is tried again only when one of its sites changed since it
// last failed. Rounds go until one changes nothing or the context ends.
// Every change keeps the plan within the capacities and lowers its cost.
func (c *capLists) decompose(ctx context.Context, o *Options, out *Result, size int) {
	if out.Assign == nil {
		return
	}
	pt := c.pt
	pl := &plan{asg: slices.Clone(out.Assign), isOpen: make([]bool, pt.m), members: make([][]int32, pt.m)}
	for _, j := range out.Open {
		pl.isOpen[j] = true
	}
	for i, j := range pl.asg {
		pl.members[j] = append(pl.members[j], int32(i))
	}
	// stamp[j] is the count of changes when site j last changed;
	// tried[r] the count when seed r's region last failed, and its
	// sites.
	stamp := make([]int, pt.m)
	type attempt struct {
		at     int
		region []int
	}
	tried := make(map[int]attempt)
	count := 0
	var batch [][]int
	var seeds []int
	flush := func() {
		answers := c.solveRegions(ctx, pl, batch, o.Workers)
		for k, a := range answers {
			if a == nil || !pl.apply(a) {
				tried[seeds[k]] = attempt{count, batch[k]}
				continue
			}
			count++
			for _, j := range a.region {
				stamp[j] = count
			}
			for _, j := range a.opened {
				stamp[j] = count
			}
		}
		batch, seeds = batch[:0], seeds[:0]
	}
	for round := 0; round < 50 && ctx.Err() == nil; round++ {
		before := count
		for _, r := range openSites(pl.isOpen) {
			if ctx.Err() != nil {
				break
			}
			if !pl.isOpen[r] {
				continue
			}
			region := nearestOpen(pt, pl.isOpen, r, size)
			if overlaps(batch, region) {
				flush()
				if !pl.isOpen[r] {
					continue
				}
				region = nearestOpen(pt, pl.isOpen, r, size)
			}
			if a, ok := tried[r]; ok && slices.Equal(a.region, region) && !changedSince(stamp, region, a.at) {
				continue
			}
			batch, seeds = append(batch, region), append(seeds, r)
			if len(batch) >= regionBatch {
				flush()
			}
		}
		if len(batch) > 0 {
			flush()
		}
		if count == before {
			break
		}
	}
	if v := pt.objective(pl.asg); v < out.Objective {
		out.Objective, out.Assign, out.Open = v, pl.asg, openSites(pl.isOpen)
	}
	o.logf("planar: capacitated: decomposition (%d sites a region): %d regions improved, objective %.8g", size, count, out.Objective)
}

// openSites lists the open sites in increasing order.
func openSites(isOpen []bool) []int {
	var open []int
	for j, v := range isOpen {
		if v {
			open = append(open, j)
		}
	}
	return open
}

// overlaps reports whether the region shares a site with one of the
// batch's regions.
func overlaps(batch [][]int, region []int) bool {
	for _, b := range batch {
		for _, j := range region {
			if slices.Contains(b, j) {
				return true
			}
		}
	}
	return false
}

// changedSince reports whether a site of the region changed after the
// count at.
func changedSince(stamp []int, region []int, at int) bool {
	for _, j := range region {
		if stamp[j] > at {
			return true
		}
	}
	return false
}

// nearestOpen returns site r and the k−1 open sites nearest to it (ties
// by index), in that order.
func nearestOpen(pt *points, isOpen []bool, r, k int) []int {
	type sd struct {
		j int
		d float64
	}
	var ds []sd
	for j, v := range isOpen {
		if v {
			ds = append(ds, sd{j, math.Hypot(pt.sx[j]-pt.sx[r], pt.sy[j]-pt.sy[r])})
		}
	}
	slices.SortFunc(ds, func(a, b sd) int {
		if a.d != b.d {
			return cmp.Compare(a.d, b.d)
		}
		return cmp.Compare(a.j, b.j)
	})
	out := make([]int, 0, k)
	for _, s := range ds[:min(k, len(ds))] {
		out = append(out, s.j)
	}
	return out
}

// solveRegions solves the regions on the plan, up to workers at once
// (the plan is only read); answers[k] is nil when region k found nothing
// better.
func (c *capLists) solveRegions(ctx context.Context, pl *plan, regions [][]int, workers int) []*regionAnswer {
	answers := make([]*regionAnswer, len(regions))
	w := max(1, min(workers, len(regions)))
	var wg sync.WaitGroup
	for k := 0; k < w; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			for r := k; r < len(regions); r += w {
				answers[r] = c.solveRegion(ctx, pl, regions[r])
			}
		}(k)
	}
	wg.Wait()
	return answers
}

// solveRegion re-solves the region's sites and clients (see decompose)
// and returns a better answer, or nil.
func (c *capLists) solveRegion(ctx context.Context, pl *plan, region []int) *regionAnswer {
	rp := c.regionProblem(pl, region)
	if rp == nil {
		return nil
	}
	sol, err := capfl.Solve(ctx, rp.problem, rp.options)
	if err != nil || sol.Status == gst.StatusTimeLimit || sol.Status == gst.StatusCanceled || sol.Objective > rp.options.Cutoff {
		return nil
	}
	a := &regionAnswer{region: region, cl: rp.cl, to: make([]int, len(rp.cl))}
	for _, s := range sol.Open {
		a.opened = append(a.opened, rp.sites[s])
	}
	for k := range rp.cl {
		a.to[k] = rp.sites[sol.Assign[k][0].Site]
	}
	return a
}

// regionProblem is the subproblem of a region: the capacitated engine's
// problem and options, its clients and its sites (the engine's customer k
// is client cl[k], its site s is sites[s]).
type regionProblem struct {
	problem *capfl.Problem
	options *capfl.Options
	cl      []int32
	sites   []int
}

// regionProblem builds the region's subproblem (see decompose), with the
// region's cost as cutoff; nil when that cost is zero.
func (c *capLists) regionProblem(pl *plan, region []int) *regionProblem {
	pt := c.pt
	var cl []int32
	for _, j := range region {
		cl = append(cl, pl.members[j]...)
	}
	slices.Sort(cl)
	sites := slices.Clone(region)
	index := make(map[int]int, len(region)+regionLists*len(cl))
	for s, j := range sites {
		index[j] = s
	}
	for _, i := range cl {
		for t := c.start[i]; t < min(c.start[i+1], c.start[i]+regionLists); t++ {
			j := int(c.site[t])
			if _, ok := index[j]; !ok && !pl.isOpen[j] {
				index[j] = len(sites)
				sites = append(sites, j)
			}
		}
	}
	cur := 0.0
	demand := make([]float64, len(cl))
	for k, i := range cl {
		cur += pt.weight[i] * pt.dist(int(i), pl.asg[i])
		demand[k] = c.demand[i]
	}
	cutoff := cur - 1e-9*math.Abs(cur)
	if !(cutoff > 0) {
		return nil
	}
	cost := make([][]float64, len(sites))
	capty := make([]float64, len(sites))
	for s, j := range sites {
		capty[s] = c.capty[j]
		cost[s] = make([]float64, len(cl))
		for k, i := range cl {
			cost[s][k] = pt.weight[i] * pt.dist(int(i), j)
		}
	}
	return &regionProblem{problem: capfl.NewPMedian(cost, demand, capty, len(region)),
		options: regionOptions(cutoff, len(sites)*len(cl)), cl: cl, sites: sites}
}

// regionOptions are the capacitated engine's options for a subproblem of
// decompose with that cutoff and that many site–customer pairs: limits of
// nodes and of iterations, none of time.
func regionOptions(cutoff float64, pairs int) *capfl.Options {
	return &capfl.Options{GapTolerance: 1e-9, NodeLimit: regionNodes, IterationLimit: max(1, regionWork/max(1, pairs)), Cutoff: cutoff}
}

// apply makes the answer of a region, unless a site it opens is open
// already (another region's answer opened it); it reports whether it did.
func (pl *plan) apply(a *regionAnswer) bool {
	for _, j := range a.opened {
		if pl.isOpen[j] && !slices.Contains(a.region, j) {
			return false
		}
	}
	for _, j := range a.region {
		pl.isOpen[j] = false
		pl.members[j] = pl.members[j][:0]
	}
	for _, j := range a.opened {
		pl.isOpen[j] = true
	}
	for k, i := range a.cl {
		pl.asg[i] = a.to[k]
		pl.members[a.to[k]] = append(pl.members[a.to[k]], i)
	}
	return true
}
