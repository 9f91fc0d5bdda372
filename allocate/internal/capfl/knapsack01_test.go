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

// TestKnapsackContinuous checks Knapsack.Continuous against the greedy
// order computed by a full sort, on random knapsacks of up to 200 items
// with repeated ratios and zero weights: the same shares, item by item,
// a profit equal to the shares' and a load within the capacity.
func TestKnapsackContinuous(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ks := NewKnapsack()
	take := make([]float64, 200)
	for trial := 0; trial < 2000; trial++ {
		n := rng.IntN(201)
		profit, weight := make([]float64, n), make([]float64, n)
		total := 0.0
		for i := range profit {
			profit[i] = float64(1 + rng.IntN(20))
			weight[i] = float64(rng.IntN(10))
			total += weight[i]
		}
		capacity := total * rng.Float64() * 1.1
		// The reference: decreasing profit per unit of weight (zero
		// weights first), ties by index.
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		ratio := func(i int) float64 {
			if weight[i] == 0 {
				return math.Inf(1)
			}
			return profit[i] / weight[i]
		}
		slices.SortStableFunc(order, func(a, b int) int {
			switch ra, rb := ratio(a), ratio(b); {
			case ra > rb:
				return -1
			case ra < rb:
				return 1
			}
			return a - b
		})
		want := make([]float64, n)
		left, wantP := capacity, 0.0
		for _, i := range order {
			switch {
			case weight[i] <= left:
				want[i] = 1
				left -= weight[i]
			case left > 0:
				want[i] = left / weight[i]
				left = 0
			}
			wantP += want[i] * profit[i]
		}
		got := ks.Continuous(profit, weight, capacity, take)
		load, p := 0.0, 0.0
		for i := 0; i < n; i++ {
			if math.Abs(take[i]-want[i]) > 1e-12 {
				t.Fatalf("trial %d (n %d): take[%d] = %v, want %v", trial, n, i, take[i], want[i])
			}
			load += take[i] * weight[i]
			p += take[i] * profit[i]
		}
		if math.Abs(got-wantP) > 1e-9*(1+wantP) || math.Abs(got-p) > 1e-9*(1+p) {
			t.Fatalf("trial %d: profit %v, shares worth %v, want %v", trial, got, p, wantP)
		}
		if load > capacity*(1+1e-12)+1e-12 {
			t.Fatalf("trial %d: load %v above %v", trial, load, capacity)
		}
	}
}
