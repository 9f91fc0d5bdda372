package pmedian

import (
	"math"
	"sync"
)

// blockSize is the number of clients per block of the parallel
// evaluation. The blocks, and the order in which their partial sums are
// added, do not depend on the number of workers, so neither does any
// result.
const blockSize = 4096

// workers evaluates the relaxation over fixed blocks of clients, in
// parallel when there are several blocks and workers.
type workers struct {
	n      int // goroutines
	blocks int
	parts  [][]float64 // partial ρ of blocks 1.. (block 0 writes into ρ)
	sums   []float64   // per block
	sums2  []float64
	counts []int64
}

func newWorkers(n int, in *inst) *workers {
	blocks := max(1, (in.n+blockSize-1)/blockSize)
	w := &workers{n: min(n, blocks), blocks: blocks, sums: make([]float64, blocks), sums2: make([]float64, blocks), counts: make([]int64, blocks)}
	for b := 1; b < blocks; b++ {
		w.parts = append(w.parts, make([]float64, in.m))
	}
	return w
}

// each runs f on every block, spread over the workers.
func (w *workers) each(f func(b, from, to int), n int) {
	span := func(b int) (int, int) { return b * blockSize, min((b+1)*blockSize, n) }
	if w.n <= 1 {
		for b := 0; b < w.blocks; b++ {
			from, to := span(b)
			f(b, from, to)
		}
		return
	}
	var wg sync.WaitGroup
	for k := 0; k < w.n; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			for b := k; b < w.blocks; b += w.n {
				from, to := span(b)
				f(b, from, to)
			}
		}(k)
	}
	wg.Wait()
}

// rho sets rho_j = f_j + Σ_i min(0, d_ij − λ_i), plen[i] to the number of
// listed sites with d_ij < λ_i, and returns Σ λ_i, Σ |λ_i|·(1 + plen[i])
// (the scale of the rounding error) and Σ (1 + plen[i]) (the work done).
func (w *workers) rho(in *inst, lam, rho []float64, plen []int32) (float64, float64, int64) {
	copy(rho, in.fixed)
	w.each(func(b, from, to int) {
		r := rho
		if b > 0 {
			r = w.parts[b-1]
			clear(r)
		}
		s, a := 0.0, 0.0
		c := int64(0)
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
			c += int64(1 + k - k0)
		}
		w.sums[b], w.sums2[b], w.counts[b] = s, a, c
	}, in.n)
	total, scale, count := 0.0, 0.0, int64(0)
	for b := 0; b < w.blocks; b++ {
		if b > 0 {
			for j, v := range w.parts[b-1] {
				rho[j] += v
			}
		}
		total += w.sums[b]
		scale += w.sums2[b]
		count += w.counts[b]
	}
	return total, scale, count
}

// grad sets g_i = 1 − (number of chosen sites with d_ij < λ_i), projected
// to 0 where λ_i sits at its cap (g_i > 0) or floor (g_i < 0), and returns
// Σ g_i·dir_i and Σ dir_i². The counts come from the clients' prefixes,
// or, when cheaper (few chosen sites, long prefixes), from the chosen
// sites' client lists; cnt is scratch space of n entries.
func (w *workers) grad(in *inst, lam []float64, mask []bool, chosen []int32, plen []int32, prefix int64, cnt []int32, capL, low, g, dir []float64) (float64, float64) {
	bySite := int64(0)
	for _, j := range chosen {
		bySite += int64(in.istart[j+1] - in.istart[j])
	}
	if bySite < prefix {
		clear(cnt)
		for _, j := range chosen {
			for k := in.istart[j]; k < in.istart[j+1]; k++ {
				if i := in.icl[k]; in.icost[k] < lam[i] {
					cnt[i]++
				}
			}
		}
	} else {
		cnt = nil
	}
	w.each(func(b, from, to int) {
		gd, dd := 0.0, 0.0
		for i := from; i < to; i++ {
			var c int32
			if cnt != nil {
				c = cnt[i]
			} else {
				k0 := in.start[i]
				for _, s := range in.site[k0 : k0+plen[i]] {
					if mask[s] {
						c++
					}
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
		w.sums[b], w.sums2[b] = gd, dd
	}, in.n)
	gd, dd := 0.0, 0.0
	for b := 0; b < w.blocks; b++ {
		gd += w.sums[b]
		dd += w.sums2[b]
	}
	return gd, dd
}
