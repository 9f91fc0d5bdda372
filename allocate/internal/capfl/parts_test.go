package capfl

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTransport compares the transportation solver with lp_solve on random
// open sets, and its capacity values with finite differences.
func TestTransport(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	checked, valued := 0, 0
	for c := 0; c < 120; c++ {
		m, n := 2+rng.IntN(6), 2+rng.IntN(25)
		p := randomProblem(rng, m, n, false)
		in := newInst(p)
		tr := newTransport(in)
		var open []int
		for i := 0; i < m; i++ {
			if rng.IntN(3) > 0 {
				open = append(open, i)
			}
		}
		if len(open) == 0 {
			continue
		}
		got, ok := tr.solve(open)
		want, okLP := transportLP(p, open)
		if ok != okLP {
			t.Errorf("case %d: feasible %v, lp_solve %v", c, ok, okLP)
			continue
		}
		if !ok {
			continue
		}
		checked++
		if math.Abs(got-want) > 1e-7*math.Max(1, want) {
			t.Errorf("case %d: cost %v, lp_solve %v", c, got, want)
		}
		// the shares are a feasible flow of that cost
		asg := tr.shares()
		cost := 0.0
		load := make([]float64, m)
		for j, sh := range asg {
			sum := 0.0
			for _, s := range sh {
				sum += s.Fraction
				cost += s.Fraction * p.Cost[s.Site][j]
				load[s.Site] += s.Fraction * p.Demand[j]
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("case %d customer %d: shares sum to %v", c, j, sum)
			}
		}
		if math.Abs(cost-got) > 1e-7*math.Max(1, got) {
			t.Errorf("case %d: shares cost %v, reported %v", c, cost, got)
		}
		for _, i := range open {
			if load[i] > p.Capacity[i]*(1+1e-9)+1e-9 {
				t.Errorf("case %d site %d: load %v above %v", c, i, load[i], p.Capacity[i])
			}
		}
		// capacity values: the right derivative of the cost in each
		// site's capacity.
		vals := tr.capacityValues()
		for q, i := range open {
			const h = 1e-5
			q2 := *p
			q2.Capacity = append([]float64(nil), p.Capacity...)
			q2.Capacity[i] += h
			c2, ok := transportLP(&q2, open)
			if !ok {
				t.Fatalf("case %d: more capacity made it infeasible", c)
			}
			fd := (want - c2) / h
			if math.Abs(fd-vals[q]) > 1e-3*math.Max(1, math.Abs(fd)) {
				t.Errorf("case %d site %d: capacity value %v, finite difference %v", c, i, vals[q], fd)
			}
			if vals[q] > 0 {
				valued++
			}
		}
	}
	if checked < 50 || valued == 0 {
		t.Errorf("only %d feasible cases, %d positive capacity values", checked, valued)
	}
}

// TestKnapsack compares the 0-1 and continuous knapsacks with brute force
// and a sorted greedy, on integer and fractional weights.
func TestKnapsack(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for c := 0; c < 400; c++ {
		k := 1 + rng.IntN(14)
		ks := newKnapsack()
		switch c % 3 {
		case 0:
			ks.dpLimit = 0 // branch and bound only
		case 1:
			ks.bbBudget = 0 // dynamic programming when weights are integers
		}
		var items []knapItem
		for x := 0; x < k; x++ {
			w := float64(rng.IntN(20))
			if c%2 == 1 {
				w = rng.Float64() * 20
			}
			items = append(items, knapItem{id: int32(x), profit: 0.5 + rng.Float64()*10, weight: w})
		}
		capacity := float64(rng.IntN(40))
		// brute force
		best := 0.0
		for mask := 0; mask < 1<<k; mask++ {
			w, pr := 0.0, 0.0
			for x := 0; x < k; x++ {
				if mask&(1<<x) != 0 {
					w += items[x].weight
					pr += items[x].profit
				}
			}
			if w <= capacity && pr > best {
				best = pr
			}
		}
		ks.reset()
		for _, it := range items {
			ks.add(it.id, it.profit, it.weight)
		}
		got, exact := ks.binary(capacity)
		if !exact || math.Abs(got-best) > 1e-9*math.Max(1, best) {
			t.Errorf("case %d: 0-1 knapsack %v (exact %v), brute force %v", c, got, exact, best)
		}
		w, pr := 0.0, 0.0
		for x, it := range ks.items {
			if ks.take[x] == 1 {
				w += it.weight
				pr += it.profit
			} else if ks.take[x] != 0 {
				t.Errorf("case %d: fractional take %v in a 0-1 knapsack", c, ks.take[x])
			}
		}
		if w > capacity || math.Abs(pr-best) > 1e-9*math.Max(1, best) {
			t.Errorf("case %d: selection weight %v profit %v, want ≤ %v and %v", c, w, pr, capacity, best)
		}
		// continuous: greedy by ratio on a sorted copy
		ks.reset()
		for _, it := range items {
			ks.add(it.id, it.profit, it.weight)
		}
		ref := newKnapsack()
		for _, it := range items {
			ref.add(it.id, it.profit, it.weight)
		}
		ref.sortByRatio()
		left, want := capacity, 0.0
		for _, it := range ref.items {
			if it.weight <= left {
				left -= it.weight
				want += it.profit
			} else {
				want += left / it.weight * it.profit
				break
			}
		}
		got = ks.continuous(capacity)
		if math.Abs(got-want) > 1e-9*math.Max(1, want) {
			t.Errorf("case %d: continuous knapsack %v, greedy %v", c, got, want)
		}
		w, pr = 0, 0
		for x, it := range ks.items {
			w += ks.take[x] * it.weight
			pr += ks.take[x] * it.profit
		}
		if w > capacity*(1+1e-12)+1e-12 || math.Abs(pr-got) > 1e-9*math.Max(1, got) {
			t.Errorf("case %d: continuous selection weight %v profit %v", c, w, pr)
		}
	}
}

// TestYSolver compares the site-selection subproblem with enumeration,
// with uniform and mixed capacities, cardinality bounds and fixings.
func TestYSolver(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for c := 0; c < 500; c++ {
		m := 1 + rng.IntN(10)
		w := make([]float64, m)
		s := make([]float64, m)
		fix := make([]int8, m)
		uniform := c%2 == 0
		for i := range w {
			w[i] = rng.Float64()*20 - 5
			s[i] = 10
			if !uniform {
				s[i] = float64(1 + rng.IntN(20))
			}
			switch rng.IntN(8) {
			case 0:
				fix[i] = 1
			case 1:
				fix[i] = -1
			}
		}
		R := rng.Float64() * 60
		lo := rng.IntN(m + 1)
		hi := lo + rng.IntN(m+1-lo)
		best, found := math.Inf(1), false
		for mask := 0; mask < 1<<m; mask++ {
			cnt, capSum, val := 0, 0.0, 0.0
			ok := true
			for i := 0; i < m; i++ {
				in := mask&(1<<i) != 0
				if (fix[i] == 1 && !in) || (fix[i] == -1 && in) {
					ok = false
					break
				}
				if in {
					cnt++
					capSum += s[i]
					val += w[i]
				}
			}
			if ok && cnt >= lo && cnt <= hi && capSum >= R && val < best {
				best, found = val, true
			}
		}
		ys := newYSolver(m)
		got, ok, exact := ys.solve(w, s, fix, R, lo, hi)
		if ok != found {
			t.Errorf("case %d: feasible %v, enumeration %v", c, ok, found)
			continue
		}
		if !ok {
			continue
		}
		if !exact || math.Abs(got-best) > 1e-9*math.Max(1, math.Abs(best)) {
			t.Errorf("case %d: value %v (exact %v), enumeration %v", c, got, exact, best)
		}
		cnt, capSum, val := 0, 0.0, 0.0
		for i := 0; i < m; i++ {
			if ys.sel[i] {
				cnt++
				capSum += s[i]
				val += w[i]
			}
		}
		if cnt < lo || cnt > hi || capSum < R-1e-9 || math.Abs(val-got) > 1e-9*math.Max(1, math.Abs(got)) {
			t.Errorf("case %d: selection count %d cap %v value %v", c, cnt, capSum, val)
		}
	}
}

// TestSelectSmallest compares the quickselect with a sort, with many ties.
func TestSelectSmallest(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	for c := 0; c < 300; c++ {
		m := 1 + rng.IntN(60)
		w := make([]float64, m)
		for i := range w {
			w[i] = float64(rng.IntN(8))
		}
		idx := rng.Perm(m)
		k := rng.IntN(m + 1)
		selectSmallest(idx, w, k)
		ref := make([]int, m)
		for i := range ref {
			ref[i] = i
		}
		slices.SortFunc(ref, func(a, b int) int {
			if w[a] != w[b] {
				return cmp.Compare(w[a], w[b])
			}
			return a - b
		})
		got := append([]int(nil), idx[:k]...)
		slices.Sort(got)
		want := append([]int(nil), ref[:k]...)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("case %d: k=%d smallest %v, want %v", c, k, got, want)
		}
	}
}
