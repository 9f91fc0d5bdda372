package pmedian

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gstplan/gst"
)

// randomProblem builds a small random problem of one of several kinds,
// with the full cost matrix it stands for (+Inf where a pair is not
// allowed).
func randomSized(r *rand.Rand, maxN, maxM int) (*Problem, [][]float64) {
	n, m := 1+r.IntN(maxN), 1+r.IntN(maxM)
	integral := r.IntN(2) == 0
	full := make([][]float64, n)
	for i := range full {
		full[i] = make([]float64, m)
		for j := range full[i] {
			if integral {
				full[i][j] = float64(r.IntN(50))
			} else {
				full[i][j] = r.Float64() * 50
			}
		}
	}
	p := &Problem{Clients: n, Sites: m}
	if r.IntN(2) == 0 {
		p.Weight = make([]float64, n)
		for i := range p.Weight {
			p.Weight[i] = float64(r.IntN(5))
		}
	}
	switch r.IntN(3) {
	case 0: // dense, some forbidden pairs
		p.Cost = make([][]float64, n)
		for i := range p.Cost {
			p.Cost[i] = slices.Clone(full[i])
			if r.IntN(4) == 0 {
				j := r.IntN(m)
				p.Cost[i][j] = math.Inf(1)
				full[i][j] = math.Inf(1)
			}
		}
	case 1: // truncated lists with Beyond and Far
		K := 1 + r.IntN(m)
		p.Lists = make([][]Candidate, n)
		p.Beyond = make([]float64, n)
		for i := range full {
			idx := make([]int, m)
			for j := range idx {
				idx[j] = j
			}
			slices.SortStableFunc(idx, func(a, b int) int {
				if full[i][a] < full[i][b] {
					return -1
				} else if full[i][a] > full[i][b] {
					return 1
				}
				return 0
			})
			for _, j := range idx[:K] {
				p.Lists[i] = append(p.Lists[i], Candidate{j, full[i][j]})
			}
			p.Beyond[i] = math.Inf(1)
			if K < m {
				p.Beyond[i] = full[i][idx[K]]
			}
			r.Shuffle(len(p.Lists[i]), func(a, b int) { p.Lists[i][a], p.Lists[i][b] = p.Lists[i][b], p.Lists[i][a] })
		}
		f := full
		p.Far = func(i, j int) float64 { return f[i][j] }
		p.IntegerFar = integral
	case 2: // complete lists that leave pairs out (unlisted = forbidden)
		p.Lists = make([][]Candidate, n)
		for i := range full {
			for j := range full[i] {
				if r.IntN(3) > 0 {
					p.Lists[i] = append(p.Lists[i], Candidate{j, full[i][j]})
				} else {
					full[i][j] = math.Inf(1)
				}
			}
		}
	}
	switch r.IntN(3) {
	case 0:
		p.P = 1 + r.IntN(m)
	case 1:
		p.MinOpen = r.IntN(m + 1)
		p.MaxOpen = p.MinOpen + r.IntN(m+1-p.MinOpen)
		if p.MaxOpen == 0 {
			p.MaxOpen = m
		}
	}
	if r.IntN(2) == 0 {
		p.FixedCost = make([]float64, m)
		for j := range p.FixedCost {
			p.FixedCost[j] = float64(r.IntN(60) - 10)
			if !integral {
				p.FixedCost[j] += r.Float64()
			}
		}
	}
	if r.IntN(3) == 0 {
		p.Rule = make([]Rule, m)
		for j := range p.Rule {
			p.Rule[j] = Rule(r.IntN(5) % 3)
		}
	}
	if r.IntN(3) == 0 {
		p.Current = make([]bool, m)
		for j := range p.Current {
			p.Current[j] = r.IntN(2) == 0
		}
		p.MaxChanges = 1 + r.IntN(3)
	}
	return p, full
}

// bruteForce enumerates every set of open sites; it returns +Inf when no
// plan is feasible.
func bruteForce(p *Problem, full [][]float64) float64 {
	n, m := p.Clients, p.Sites
	best := math.Inf(1)
	for set := 1; set < 1<<m; set++ {
		cnt := 0
		ok := true
		changes := 0
		obj := 0.0
		for j := 0; j < m; j++ {
			on := set>>j&1 == 1
			if on {
				cnt++
				if p.FixedCost != nil {
					obj += p.FixedCost[j]
				}
			}
			if p.Rule != nil && (p.Rule[j] == Open && !on || p.Rule[j] == Closed && on) {
				ok = false
			}
			if p.Current != nil && p.Current[j] != on {
				changes++
			}
		}
		if !ok || p.MaxChanges > 0 && changes > p.MaxChanges {
			continue
		}
		if p.P > 0 && cnt != p.P || p.P == 0 && (cnt < p.MinOpen || p.MaxOpen > 0 && cnt > p.MaxOpen) {
			continue
		}
		for i := 0; i < n && ok; i++ {
			c := math.Inf(1)
			for j := 0; j < m; j++ {
				if set>>j&1 == 1 {
					c = min(c, full[i][j])
				}
			}
			if math.IsInf(c, 1) {
				ok = false
			}
			w := 1.0
			if p.Weight != nil {
				w = p.Weight[i]
			}
			obj += w * c
		}
		if ok {
			best = min(best, obj)
		}
	}
	return best
}

// recompute prices a result's assignment from the full matrix.
func recompute(p *Problem, full [][]float64, res *Result) (float64, error) {
	open := make([]bool, p.Sites)
	obj := 0.0
	for _, j := range res.Open {
		open[j] = true
		if p.FixedCost != nil {
			obj += p.FixedCost[j]
		}
	}
	for i, j := range res.Assign {
		if j < 0 || !open[j] {
			return 0, fmt.Errorf("client %d assigned to site %d, which is not open", i, j)
		}
		w := 1.0
		if p.Weight != nil {
			w = p.Weight[i]
		}
		for k := range open {
			if open[k] && full[i][k] < full[i][j] {
				return 0, fmt.Errorf("client %d assigned to site %d at %v, but open site %d costs %v", i, j, full[i][j], k, full[i][k])
			}
		}
		obj += w * full[i][j]
	}
	return obj, nil
}

var randomTrials = flag.Int("pmedian.trials", 3000, "random instances checked against brute force")

func TestRandomAgainstBruteForce(t *testing.T) {
	checkRandom(t, 1, *randomTrials, 12, 8, nil)
}

// TestRandomBranching starves the root of subgradient iterations so that
// the branch and bound, its fixings and its leaves do the work (without
// the residual programme, which would take most of it).
func TestRandomBranching(t *testing.T) {
	checkRandom(t, 3, *randomTrials/6, 25, 12, &Options{RootIterations: 3, Rounds: -1, NoResidualMIP: true})
}

// TestRandomResidualInTree hands the region left by the root to the
// residual programme after the tree's first node, with a starved root and
// no local search, so that the programme decides many instances inside
// the search (its bound raising the open nodes when it does not close).
func TestRandomResidualInTree(t *testing.T) {
	defer func(n int) { residualAfterNodes = n }(residualAfterNodes)
	residualAfterNodes = 1
	used := checkRandom(t, 5, *randomTrials/3, 40, 13, &Options{RootIterations: 3, Rounds: -1})
	if used < *randomTrials/100 {
		t.Fatalf("the residual programme decided only %d instances", used)
	}
}

// checkRandom solves random instances and compares them with brute force;
// it returns how many the residual programme decided.
func checkRandom(t *testing.T, seed uint64, trials, maxN, maxM int, opt *Options) int {
	r := rand.New(rand.NewPCG(seed, 2))
	solved, infeasible, nodes, residual := 0, 0, 0, 0
	for trial := 0; trial < trials; trial++ {
		p, full := randomSized(r, maxN, maxM)
		want := bruteForce(p, full)
		res, err := Solve(context.Background(), p, opt)
		if math.IsInf(want, 1) {
			if !errors.Is(err, gst.ErrInfeasible) {
				t.Fatalf("trial %d: brute force finds no plan, Solve: %v, %+v", trial, err, res)
			}
			infeasible++
			continue
		}
		if err != nil {
			t.Fatalf("trial %d: %v (optimum %v)", trial, err, want)
		}
		solved++
		nodes += res.Nodes
		if res.ResidualMIP {
			residual++
		}
		tol := 1e-9 * max(1, math.Abs(want))
		got, err := recompute(p, full, res)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if math.Abs(got-res.Objective) > tol {
			t.Fatalf("trial %d: reported objective %v, recomputed %v", trial, res.Objective, got)
		}
		if math.Abs(res.Objective-want) > tol || res.Status != gst.StatusOptimal {
			t.Fatalf("trial %d: objective %v status %v, optimum %v\n%+v", trial, res.Objective, res.Status, want, p)
		}
		if res.Bound > want+tol || res.RootBound > want+tol {
			t.Fatalf("trial %d: bound %v root bound %v above the optimum %v", trial, res.Bound, res.RootBound, want)
		}
		for j, fb := range res.FlipBound {
			// The best plan with site j flipped, by brute force.
			q := *p
			q.Rule = make([]Rule, p.Sites)
			if p.Rule != nil {
				copy(q.Rule, p.Rule)
			}
			if slices.Contains(res.Open, j) {
				q.Rule[j] = Closed
			} else {
				q.Rule[j] = Open
			}
			if p.Rule != nil && p.Rule[j] != Free {
				continue
			}
			if flipped := bruteForce(&q, full); fb > flipped+tol {
				t.Fatalf("trial %d: FlipBound[%d] = %v above the best flipped plan %v", trial, j, fb, flipped)
			}
		}
	}
	t.Logf("%d solved, %d infeasible, %d nodes, %d decided by the residual programme", solved, infeasible, nodes, residual)
	return residual
}
