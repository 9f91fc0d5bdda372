package capfl

import "math"

// Knapsack solves 0-1 knapsacks with the solver of the single-source
// subproblems (Martello–Toth reduction, then dynamic programming or
// branch and bound within a node budget), for relaxations built outside
// this package. It reuses its buffers between solves: one Knapsack per
// goroutine.
type Knapsack struct{ ks *knapsack }

// NewKnapsack returns a Knapsack with empty buffers.
func NewKnapsack() *Knapsack { return &Knapsack{ks: newKnapsack()} }

// Binary maximises Σ profit[k]·t_k subject to Σ weight[k]·t_k ≤ capacity
// and t_k ∈ {0, 1}, for finite profits > 0, finite weights >= 0 and a
// capacity >= 0. It returns an upper bound on the optimal profit (the
// optimum itself when exact is true: the branch and bound stopped within
// its budget) and writes a feasible selection to take (1 for a taken item,
// 0 otherwise; len(take) >= len(profit)). Items are told apart by their
// index only, so the answer does not depend on anything but the input.
func (k *Knapsack) Binary(profit, weight []float64, capacity float64, take []float64) (bound float64, exact bool) {
	ks := k.ks
	if !k.load(profit, weight, take) {
		return 0, true
	}
	bound, exact = ks.binary(math.Max(capacity, 0))
	for i, it := range ks.items {
		if ks.take[i] > 0 {
			take[it.id] = 1
		}
	}
	return bound, exact
}

// load puts the items into the knapsack's state and clears take; false
// when there is no item.
func (k *Knapsack) load(profit, weight, take []float64) bool {
	k.ks.reset()
	for i := range profit {
		k.ks.add(int32(i), profit[i], weight[i])
	}
	clear(take[:len(profit)])
	return len(profit) > 0
}

// Continuous maximises Σ profit[k]·t_k subject to Σ weight[k]·t_k ≤
// capacity and 0 ≤ t_k ≤ 1, for finite profits > 0, finite weights >= 0
// and a capacity >= 0: the items are taken by decreasing profit per unit
// of weight (zero weights first, ties by index), found by a weighted
// quickselect rather than a full sort, the last one in part. It returns the
// optimal profit and writes each item's share to take (len(take) >=
// len(profit)).
func (k *Knapsack) Continuous(profit, weight []float64, capacity float64, take []float64) float64 {
	ks := k.ks
	if !k.load(profit, weight, take) {
		return 0
	}
	v := ks.continuous(math.Max(capacity, 0))
	for i, it := range ks.items {
		take[it.id] = ks.take[i]
	}
	return v
}
