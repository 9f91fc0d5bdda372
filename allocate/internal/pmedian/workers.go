package pmedian

import (
	"math"
	"sync"
)

// workers evaluates ρ over client chunks in parallel; the partial sums are
// added in chunk order, so the result does not depend on scheduling.
type workers struct {
	n     int
	parts [][]float64
	sums  []float64
	sums2 []float64
}

func newWorkers(n int, in *inst) *workers {
	if n > 1 && in.n < 4096 {
		n = 1
	}
	w := &workers{n: n, sums: make([]float64, n), sums2: make([]float64, n)}
	for k := 1; k < n; k++ {
		w.parts = append(w.parts, make([]float64, in.m))
	}
	return w
}

// rho sets rho_j = f_j + Σ_i min(0, d_ij − λ_i), plen[i] to the number of
// listed sites with d_ij < λ_i, and returns Σ λ_i and Σ |λ_i|·(1 +
// plen[i]) (the scale of the rounding error).
func (w *workers) rho(in *inst, lam, rho []float64, plen []int32) (float64, float64) {
	chunk := func(k int, r []float64, from, to int) {
		s, a := 0.0, 0.0
		for i := from; i < to; i++ {
			l := lam[i]
			s += l
			k0, k1 := in.start[i], in.start[i+1]
			k := k0
			for ; k < k1 && in.cost[k] < l; k++ {
				r[in.site[k]] += in.cost[k] - l
			}
			plen[i] = k - k0
			a += math.Abs(l) * float64(1+k-k0)
		}
		w.sums[k], w.sums2[k] = s, a
	}
	copy(rho, in.fixed)
	if w.n == 1 {
		chunk(0, rho, 0, in.n)
		return w.sums[0], w.sums2[0]
	}
	var wg sync.WaitGroup
	size := (in.n + w.n - 1) / w.n
	for k := 1; k < w.n; k++ {
		r := w.parts[k-1]
		clear(r)
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			chunk(k, r, min(k*size, in.n), min((k+1)*size, in.n))
		}(k)
	}
	chunk(0, rho, 0, min(size, in.n))
	wg.Wait()
	total, scale := w.sums[0], w.sums2[0]
	for k := 1; k < w.n; k++ {
		for j, v := range w.parts[k-1] {
			rho[j] += v
		}
		total += w.sums[k]
		scale += w.sums2[k]
	}
	return total, scale
}

// grad sets g_i = 1 − (number of chosen sites with d_ij < λ_i), projected
// to 0 where λ_i sits at its cap (g_i > 0) or floor (g_i < 0), and returns
// Σ g_i·dir_i and Σ dir_i².
func (w *workers) grad(in *inst, lam []float64, mask []bool, plen []int32, capL, low, g, dir []float64) (float64, float64) {
	chunk := func(k, from, to int) {
		gd, dd := 0.0, 0.0
		for i := from; i < to; i++ {
			k0 := in.start[i]
			c := 0
			for _, s := range in.site[k0 : k0+plen[i]] {
				if mask[s] {
					c++
				}
			}
			gi := float64(1 - c)
			if gi > 0 && lam[i] >= capL[i] || gi < 0 && lam[i] <= low[i] {
				gi = 0
			}
			g[i] = gi
			gd += gi * dir[i]
			dd += dir[i] * dir[i]
		}
		w.sums[k], w.sums2[k] = gd, dd
	}
	if w.n == 1 {
		chunk(0, 0, in.n)
		return w.sums[0], w.sums2[0]
	}
	var wg sync.WaitGroup
	size := (in.n + w.n - 1) / w.n
	for k := 1; k < w.n; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			chunk(k, min(k*size, in.n), min((k+1)*size, in.n))
		}(k)
	}
	chunk(0, 0, min(size, in.n))
	wg.Wait()
	gd, dd := 0.0, 0.0
	for k := 0; k < w.n; k++ {
		gd += w.sums[k]
		dd += w.sums2[k]
	}
	return gd, dd
}
