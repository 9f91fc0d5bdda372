package planar

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/capfl"
	"github.com/gstplan/gst/allocate/internal/pmedian"
)

// lists holds each client's candidate list and its floor.
type lists struct {
	k      []int // requested length per client
	cands  [][]pmedian.Candidate
	beyond []float64
	pairs  int
}

// build (re)computes the lists of the given clients (all when nil).
func (ls *lists) build(pt *points, g *grid, clients []int, workers int) {
	n := pt.n
	if clients == nil {
		clients = make([]int, n)
		for i := range clients {
			clients[i] = i
		}
	}
	parallel(len(clients), workers, func(c int, buf []near) []near {
		i := clients[c]
		buf = g.nearest(pt.p.X[i], pt.p.Y[i], ls.k[i], buf)
		k := min(ls.k[i], len(buf))
		l := make([]pmedian.Candidate, k)
		for t := range l {
			l[t] = pmedian.Candidate{Site: int(buf[t].j), Cost: pt.round(buf[t].d)}
		}
		ls.cands[i] = l
		ls.beyond[i] = math.Inf(1)
		if k < len(buf) {
			ls.beyond[i] = pt.round(buf[k].d)
		}
		return buf
	})
	ls.pairs = 0
	for _, l := range ls.cands {
		ls.pairs += len(l)
	}
}

// integerFar reports whether every weighted distance is an integer:
// floored distances and integer weights.
func (pt *points) integerFar() bool {
	if !pt.floor {
		return false
	}
	for _, w := range pt.weight {
		if w != math.Trunc(w) || w > 1<<40 {
			return false
		}
	}
	return true
}

// round applies the metric's rounding to a Euclidean distance.
func (pt *points) round(d float64) float64 {
	if pt.floor {
		return math.Floor(d)
	}
	return d
}

// initialK is the starting list length: about three times the number of
// sites per open site, at least 16, at most all sites.
func initialK(pt *points, o *Options) int {
	if o.Candidates > 0 {
		return min(o.Candidates, pt.m)
	}
	return min(pt.m, max(16, 3*pt.m/pt.p.P+8))
}

// solveUncapacitated runs the p-median engine on candidate lists, growing
// the lists of the clients whose multipliers they cap, until the gap
// closes, no list caps the bound, or the time runs out. With rootOnly
// it does not branch: it ends once the root's bound has converged on
// lists that no longer cap it (or cannot grow), with a plan, that bound
// and the root's multipliers.
func solveUncapacitated(ctx context.Context, pt *points, o *Options, rootOnly bool) (*Result, error) {
	g := newGrid(pt.sx, pt.sy)
	ls := &lists{k: make([]int, pt.n), cands: make([][]pmedian.Candidate, pt.n), beyond: make([]float64, pt.n)}
	k0 := initialK(pt, o)
	for i := range ls.k {
		ls.k[i] = k0
	}
	ls.build(pt, g, nil, o.Workers)
	out := &Result{Bound: math.Inf(-1), Objective: math.Inf(1), Method: "p-median engine on nearest-site lists"}
	var best []int
	for {
		if ls.pairs > o.MaxPairs {
			return nil, fmt.Errorf("%w: planar: %d candidate pairs, more than Options.MaxPairs = %d", gst.ErrTooLarge, ls.pairs, o.MaxPairs)
		}
		pp := &pmedian.Problem{Clients: pt.n, Sites: pt.m, Weight: pt.weight, Lists: ls.cands, P: pt.p.P}
		truncated := false
		for _, b := range ls.beyond {
			if !math.IsInf(b, 1) {
				truncated = true
				break
			}
		}
		if truncated {
			pp.Beyond = ls.beyond
			pp.Far = pt.dist
			pp.IntegerFar = pt.integerFar()
		}
		// While the lists cap the bound, stop after the root: longer
		// lists come before branching.
		po := &pmedian.Options{RelGap: o.GapTolerance, Workers: o.Workers, Initial: best, Log: o.Log, StopIfCapped: true, StopAfterRoot: rootOnly}
		out.Rounds++
		out.Pairs = ls.pairs
		res, err := pmedian.Solve(ctx, pp, po)
		if err != nil {
			if errors.Is(err, gst.ErrNoSolution) && best != nil {
				break
			}
			return nil, fmt.Errorf("planar: %w", err)
		}
		out.Nodes += res.Nodes
		out.Iterations += res.Iterations
		out.Bound = max(out.Bound, res.Bound)
		if res.RootMultipliers != nil {
			out.lam = res.RootMultipliers
		}
		if obj := pt.objective(res.Assign); obj < out.Objective {
			out.Objective, best, out.Open, out.Assign = obj, res.Open, res.Open, res.Assign
		}
		out.Status = res.Status
		o.logf("planar: round %d: %d pairs, objective %.10g, bound %.10g, %d capped clients, %v",
			out.Rounds, ls.pairs, out.Objective, out.Bound, len(res.Capped), res.Status)
		if res.Status != gst.StatusFeasible || len(res.Capped) == 0 || ctx.Err() != nil {
			break // optimal, stopped by the time, or the search ran
		}
		grow := res.Capped[:0:0]
		for _, i := range res.Capped {
			if ls.k[i] < pt.m {
				ls.k[i] = min(pt.m, 2*ls.k[i])
				grow = append(grow, i)
			}
		}
		if len(grow) == 0 {
			if rootOnly {
				break
			}
			// Every capped list is complete: search the tree.
			res, err := finalSearch(ctx, pt, ls, o, best)
			if err != nil {
				return nil, err
			}
			merge(pt, out, res)
			break
		}
		ls.build(pt, g, grow, o.Workers)
	}
	out.Bound = min(out.Bound, out.Objective)
	return out, nil
}

// finalSearch runs the engine with branching on the current lists.
func finalSearch(ctx context.Context, pt *points, ls *lists, o *Options, best []int) (*pmedian.Result, error) {
	pp := &pmedian.Problem{Clients: pt.n, Sites: pt.m, Weight: pt.weight, Lists: ls.cands, P: pt.p.P, Beyond: ls.beyond, Far: pt.dist, IntegerFar: pt.integerFar()}
	res, err := pmedian.Solve(ctx, pp, &pmedian.Options{RelGap: o.GapTolerance, Workers: o.Workers, Initial: best, Log: o.Log})
	if err != nil {
		return nil, fmt.Errorf("planar: %w", err)
	}
	return res, nil
}

// merge takes an engine result into the answer.
func merge(pt *points, out *Result, res *pmedian.Result) {
	out.Rounds++
	out.Nodes += res.Nodes
	out.Iterations += res.Iterations
	out.Bound = max(out.Bound, res.Bound)
	if obj := pt.objective(res.Assign); obj < out.Objective {
		out.Objective, out.Open, out.Assign = obj, res.Open, res.Assign
	}
	out.Status = res.Status
	if out.Bound >= out.Objective {
		out.Status = gst.StatusOptimal
	}
}

// solveCapacitated runs the capacitated facility location engine on the
// dense matrix Weight[i]·d(i, j), single sourcing, exactly P sites.
func solveCapacitated(ctx context.Context, pt *points, o *Options) (*Result, error) {
	n, m := pt.n, pt.m
	if int64(n)*int64(m) > int64(o.MaxPairs) {
		return nil, fmt.Errorf("%w: planar: a capacitated problem needs %d×%d pairs, more than Options.MaxPairs = %d", gst.ErrTooLarge, m, n, o.MaxPairs)
	}
	demand := pt.p.Demand
	if demand == nil {
		demand = make([]float64, n)
		for i := range demand {
			demand[i] = 1
		}
	}
	cells := make([]float64, m*n)
	cost := make([][]float64, m)
	for j := range cost {
		cost[j] = cells[j*n : (j+1)*n : (j+1)*n]
		for i := range cost[j] {
			cost[j][i] = pt.weight[i] * pt.dist(i, j)
		}
	}
	cp := capfl.NewPMedian(cost, demand, pt.p.Capacity, pt.p.P)
	sol, err := capfl.Solve(ctx, cp, &capfl.Options{GapTolerance: o.GapTolerance, MaxPairs: o.MaxPairs})
	if err != nil {
		return nil, fmt.Errorf("planar: %w", err)
	}
	out := &Result{Open: sol.Open, Assign: make([]int, n), Bound: sol.Bound, Status: sol.Status, Pairs: m * n, Rounds: 1,
		Nodes: sol.Nodes, Iterations: sol.Iterations, Method: "capacitated facility location engine, single sourcing"}
	for i, sh := range sol.Assign {
		out.Assign[i] = sh[0].Site
	}
	out.Objective = pt.objective(out.Assign)
	out.Bound = min(out.Bound, out.Objective)
	return out, nil
}
