package pmedian

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSelectSmallest(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 300; trial++ {
		n := 1 + r.IntN(60)
		key := make([]int, n)
		for i := range key {
			key[i] = r.IntN(8) // many ties, broken by index
		}
		cmp := func(a, b int32) int {
			if key[a] != key[b] {
				return key[a] - key[b]
			}
			return int(a - b)
		}
		a := make([]int32, n)
		for i := range a {
			a[i] = int32(i)
		}
		r.Shuffle(n, func(i, j int) { a[i], a[j] = a[j], a[i] })
		k := r.IntN(n + 1)
		selectSmallest(a, k, cmp)
		want := slices.Clone(a)
		slices.SortFunc(want, cmp)
		got := slices.Clone(a[:k])
		slices.SortFunc(got, cmp)
		if !slices.Equal(got, want[:k]) {
			t.Fatalf("n=%d k=%d: first k %v, want %v", n, k, got, want[:k])
		}
	}
}
