package allocate

import (
	"math"
	"sort"

	"github.com/gstplan/gst"
)

// poolTravelPairs returns the pairs (h, k), h ≠ k, from a site that may send
// to a site that may receive, whose one-way travel is at most maxMinutes,
// sorted by h then k. A leg comes from the override matrix, else from the
// region's Travel matrix, else from the estimator (unless noEstimate).
//
// Estimated legs are found without a full matrix: no estimated leg is
// faster than the great-circle distance × circuity at the higher of the two
// speeds, so only sites within that radius (found through a grid) are
// estimated. Matrix legs are read from the matrices' entries. It does not
// heed the context: it is quick, and a plan without moves needs it too.
func poolTravelPairs(r *gst.Region, src gst.TravelSource, sites []poolSiteInfo, maxMinutes float64) ([]poolPair, error) {
	over := src.Travel
	idx := make(map[string]int32, len(sites))
	for i := range sites {
		idx[string(sites[i].id)] = int32(i)
	}
	lookup := func(h, k int32) (gst.Leg, bool) {
		from, to := string(sites[h].id), string(sites[k].id)
		if over != nil {
			if l, ok := over.Lookup(from, to); ok {
				return l, true
			}
		}
		if r.Travel != nil {
			if l, ok := r.Travel.Lookup(from, to); ok {
				return l, true
			}
		}
		return gst.Leg{}, false
	}
	found := map[[2]int32]poolPair{}
	add := func(h, k int32, l gst.Leg) {
		if h == k || l.Minutes > maxMinutes || !sites[h].hasSpare || !sites[k].canShort {
			return
		}
		found[[2]int32{h, k}] = poolPair{h: h, k: k, minutes: l.Minutes, km: l.Km}
	}
	// Legs the matrices state.
	for _, m := range []*gst.Matrix{over, r.Travel} {
		if m == nil {
			continue
		}
		for _, en := range m.Entries() {
			h, ok1 := idx[en.From]
			k, ok2 := idx[en.To]
			if !ok1 || !ok2 {
				continue
			}
			if l, ok := lookup(h, k); ok {
				add(h, k, l)
			}
		}
	}
	if est := src.LegEstimator(); est != nil {
		e := *est
		circ := e.Circuity
		if circ == 0 {
			circ = gst.DefaultCircuity
		}
		rural, urban := e.RuralKmh, e.UrbanKmh
		if rural == 0 {
			rural = gst.DefaultRuralKmh
		}
		if urban == 0 {
			urban = gst.DefaultUrbanKmh
		}
		radiusKm := maxMinutes / 60 * math.Max(rural, urban) / circ * (1 + 1e-9)
		var hosts []int32
		maxLat := 0.0
		for i := range sites {
			maxLat = math.Max(maxLat, math.Abs(sites[i].pt.Lat))
			if sites[i].canShort {
				hosts = append(hosts, int32(i))
			}
		}
		// Grid cells of radiusKm in latitude and in longitude at the
		// highest latitude, so that the 3 × 3 block round a cell holds
		// every site within the radius.
		cellLat := radiusKm / 110.0
		cellLon := radiusKm / (110.0 * math.Max(math.Cos(math.Min(maxLat, 89)*math.Pi/180), 1e-3))
		if cellLat <= 0 {
			cellLat, cellLon = 1, 1
		}
		key := func(lat, lon float64) [2]int64 {
			return [2]int64{int64(math.Floor(lat / cellLat)), int64(math.Floor(lon / cellLon))}
		}
		grid := map[[2]int64][]int32{}
		for _, k := range hosts {
			g := key(sites[k].pt.Lat, sites[k].pt.Lon)
			grid[g] = append(grid[g], k)
		}
		for h := range sites {
			if !sites[h].hasSpare {
				continue
			}
			hp := sites[h].pt
			g := key(hp.Lat, hp.Lon)
			for di := int64(-1); di <= 1; di++ {
				for dj := int64(-1); dj <= 1; dj++ {
					for _, k := range grid[[2]int64{g[0] + di, g[1] + dj}] {
						if int32(h) == k {
							continue
						}
						if _, known := lookup(int32(h), k); known {
							continue // the matrices' legs are in already
						}
						kp := sites[k].pt
						if gst.GreatCircleKm(hp.Lat, hp.Lon, kp.Lat, kp.Lon) > radiusKm {
							continue
						}
						l, err := e.Leg(hp, kp)
						if err != nil {
							return nil, err
						}
						add(int32(h), k, l)
					}
				}
			}
		}
	}
	out := make([]poolPair, 0, len(found))
	for _, pr := range found {
		out = append(out, pr)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].h != out[b].h {
			return out[a].h < out[b].h
		}
		return out[a].k < out[b].k
	})
	return out, nil
}
