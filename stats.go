package gst

import (
	"fmt"
	"math"
	"sort"
)

// WeightedQuantile returns the lower weighted q-quantile of values: the
// smallest value v such that the values at most v carry at least q × the
// total weight (within a relative 1e-9 of the total, so that rounding in
// the sums never moves the answer to the next value). For q = 0.9 it is
// the 90th percentile of travel that planners quote: the time within which
// at least 90% of the people (or cases) travel.
//
// Values with a zero weight are ignored. It returns NaN when the slices
// differ in length, q is outside [0, 1], a weight is negative, infinite or
// NaN, a weighted value is NaN, or no weight is positive. It does not
// modify its arguments.
func WeightedQuantile(values, weights []float64, q float64) float64 {
	if len(values) != len(weights) || math.IsNaN(q) || q < 0 || q > 1 {
		return math.NaN()
	}
	idx := make([]int, 0, len(values))
	total := 0.0
	for i, w := range weights {
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return math.NaN()
		}
		if w == 0 {
			continue
		}
		if math.IsNaN(values[i]) {
			return math.NaN()
		}
		idx = append(idx, i)
		total += w
	}
	if len(idx) == 0 {
		return math.NaN()
	}
	sort.SliceStable(idx, func(a, b int) bool { return values[idx[a]] < values[idx[b]] })
	target, cum := q*total, 0.0
	for _, i := range idx {
		cum += weights[i]
		if cum >= target-1e-9*total {
			return values[i]
		}
	}
	return values[idx[len(idx)-1]]
}

// ByDeprivation returns the indices of the areas that have a deprivation
// score, the most deprived first (highest score), ties in ID order.
func ByDeprivation(areas []Area) []int {
	idx := make([]int, 0, len(areas))
	for i := range areas {
		if areas[i].Deprivation != nil {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(i, j int) bool { return areas[idx[i]].ID < areas[idx[j]].ID })
	sort.SliceStable(idx, func(i, j int) bool { return *areas[idx[i]].Deprivation > *areas[idx[j]].Deprivation })
	return idx
}

// MostDeprived returns, for each area, the fraction of its people that
// belong to the most-deprived share of the people who live in areas with a
// deprivation score (share 0.2 for the most-deprived 20% that equity
// reports quote). Areas are taken in ByDeprivation order (most deprived
// first, ties in ID order): each joins whole (1) while the group stays
// within share × the scored population (summed in ID order), the area at
// the boundary joins with the fraction of its people that makes the group
// exactly that share (the people of one area are taken as alike), and the
// rest not at all (0). Weigh an area's figures by its fraction to report
// on the group; areas without a score get 0. The result is indexed like
// areas. A share outside [0, 1] is an error wrapping ErrInvalid.
func MostDeprived(areas []Area, share float64) ([]float64, error) {
	if math.IsNaN(share) || share < 0 || share > 1 {
		return nil, &ValidationError{Where: "most-deprived share", Err: fmt.Errorf("must be in [0, 1], got %v", share)}
	}
	order := ByDeprivation(areas)
	byID := append([]int(nil), order...)
	sort.Slice(byID, func(i, j int) bool { return areas[byID[i]].ID < areas[byID[j]].ID })
	var pop float64
	for _, i := range byID {
		pop += areas[i].Population
	}
	target := share * pop
	out := make([]float64, len(areas))
	var cum float64
	for _, i := range order {
		p := areas[i].Population
		switch {
		case cum >= target:
		case cum+p <= target:
			out[i] = 1
		default:
			out[i] = (target - cum) / p
		}
		cum += p
	}
	return out, nil
}

// DeprivationRanks returns the deprivation rank of every area in [0, 1]:
// the mid-rank of its score among the areas with a score (0 for the least
// deprived, 1 for the most; areas with equal scores share the mean of
// their ranks), so that a weight such as 1 + w × rank does not depend on
// the scale of the scores. Areas without a score, and every area when
// fewer than two have one, get 0. The result is indexed like areas.
func DeprivationRanks(areas []Area) []float64 {
	var scores []float64
	for i := range areas {
		if d := areas[i].Deprivation; d != nil {
			scores = append(scores, *d)
		}
	}
	out := make([]float64, len(areas))
	if len(scores) < 2 {
		return out
	}
	sort.Float64s(scores)
	n := float64(len(scores))
	for i := range areas {
		d := areas[i].Deprivation
		if d == nil {
			continue
		}
		lo := sort.SearchFloat64s(scores, *d)
		hi := sort.Search(len(scores), func(k int) bool { return scores[k] > *d })
		out[i] = (float64(lo) + float64(hi-lo-1)/2) / (n - 1)
	}
	return out
}
