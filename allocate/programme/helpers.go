package programme

import (
	"sort"

	"github.com/gstplan/gst"
)

// deprivationRanks returns the deprivation rank q in [0, 1] of every area
// of the region: the mid-rank of its score among the areas with a score
// (0 for the least deprived, 1 for the most); 0 for an area without one.
func deprivationRanks(r *gst.Region) []float64 {
	var scores []float64
	for i := range r.Areas {
		if d := r.Areas[i].Deprivation; d != nil {
			scores = append(scores, *d)
		}
	}
	out := make([]float64, len(r.Areas))
	if len(scores) < 2 {
		return out
	}
	sort.Float64s(scores)
	n := float64(len(scores))
	for i := range r.Areas {
		d := r.Areas[i].Deprivation
		if d == nil {
			continue
		}
		lo := sort.SearchFloat64s(scores, *d)
		hi := sort.Search(len(scores), func(k int) bool { return scores[k] > *d })
		out[i] = (float64(lo) + float64(hi-lo-1)/2) / (n - 1)
	}
	return out
}

// mostDeprived marks the areas of the most-deprived share of the people
// living in areas with a deprivation score: areas sorted by score, highest
// first (ties in ID order), each joining while the people already counted
// are fewer than share × the scored population.
func mostDeprived(r *gst.Region, share float64) []bool {
	idx := make([]int, 0, len(r.Areas))
	var pop float64
	for i, a := range r.Areas {
		if a.Deprivation != nil {
			idx = append(idx, i)
			pop += a.Population
		}
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := &r.Areas[idx[i]], &r.Areas[idx[j]]
		if *a.Deprivation != *b.Deprivation {
			return *a.Deprivation > *b.Deprivation
		}
		return a.ID < b.ID
	})
	out := make([]bool, len(r.Areas))
	var cum float64
	for _, i := range idx {
		if cum < share*pop {
			out[i] = true
		}
		cum += r.Areas[i].Population
	}
	return out
}

// weightedQuantile returns the smallest value v such that the weights of
// the values at most v reach q of the total weight (the lower weighted
// quantile); 0 when the total weight is zero.
func weightedQuantile(vals, weights []float64, q float64) float64 {
	idx := make([]int, 0, len(vals))
	var total float64
	for i := range vals {
		if weights[i] > 0 {
			idx = append(idx, i)
			total += weights[i]
		}
	}
	if total <= 0 {
		return 0
	}
	sort.SliceStable(idx, func(a, b int) bool { return vals[idx[a]] < vals[idx[b]] })
	var cum float64
	for _, i := range idx {
		cum += weights[i]
		if cum >= q*total*(1-1e-12) {
			return vals[i]
		}
	}
	return vals[idx[len(idx)-1]]
}
