package capfl

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKnapsackBinary checks Knapsack.Binary against enumeration on random
// knapsacks of up to 12 items (integer and fractional weights): the bound
// is the optimum when exact and never below it, the selection fits and is
// worth the bound when exact.
func TestKnapsackBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ks := NewKnapsack()
	take := make([]float64, 12)
	for trial := 0; trial < 500; trial++ {
		n := rng.IntN(13)
		profit, weight := make([]float64, n), make([]float64, n)
		total := 0.0
		for i := range profit {
			profit[i] = 1 + float64(rng.IntN(50))
			weight[i] = float64(rng.IntN(30))
			if trial%2 == 1 {
				weight[i] += rng.Float64()
			}
			total += weight[i]
		}
		capacity := total * rng.Float64()
		best := 0.0
		for mask := 0; mask < 1<<n; mask++ {
			p, w := 0.0, 0.0
			for i := 0; i < n; i++ {
				if mask>>i&1 == 1 {
					p += profit[i]
					w += weight[i]
				}
			}
			if w <= capacity && p > best {
				best = p
			}
		}
		bound, exact := ks.Binary(profit, weight, capacity, take)
		p, w := 0.0, 0.0
		for i := 0; i < n; i++ {
			if take[i] != 0 && take[i] != 1 {
				t.Fatalf("trial %d: take[%d] = %v", trial, i, take[i])
			}
			p += take[i] * profit[i]
			w += take[i] * weight[i]
		}
		if w > capacity*(1+1e-12) || bound < best-1e-9 || (exact && (bound > best+1e-9 || p < best-1e-9)) {
			t.Errorf("trial %d: bound %v exact %v selection %v (weight %v of %v), optimum %v", trial, bound, exact, p, w, capacity, best)
		}
	}
}

// TestSortItems checks sortItems against slices.SortFunc with cmpRatio on
// random lists of up to 300 items: sorted, reversed, shuffled, with ties
// of ratio (broken by id) and zero weights (ratio +Inf).
func TestSortItems(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 2000; trial++ {
		n := rng.IntN(300)
		if trial%3 == 0 {
			n = rng.IntN(20)
		}
		items := make([]knapItem, n)
		for k := range items {
			it := knapItem{id: int32(k), profit: float64(1 + rng.IntN(8)), weight: float64(rng.IntN(5))}
			it.ratio = math.Inf(1)
			if it.weight > 0 {
				it.ratio = it.profit / it.weight
			}
			items[k] = it
		}
		rng.Shuffle(n, func(a, b int) { items[a], items[b] = items[b], items[a] })
		want := slices.Clone(items)
		slices.SortFunc(want, cmpRatio)
		switch trial % 4 {
		case 1:
			copy(items, want)
		case 2:
			for k := range items {
				items[k] = want[n-1-k]
			}
		}
		sortItems(items)
		if !slices.Equal(items, want) {
			t.Fatalf("trial %d (n %d): sortItems differs from slices.SortFunc", trial, n)
		}
	}
}
