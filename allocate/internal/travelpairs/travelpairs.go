package travelpairs

import (
	"math"
	"sort"

	"github.com/gstplan/gst"
)

// Site is a place: an area or an establishment, by its point (whose ID is
// the place's ID in the travel matrices), that may send (an origin) or
// receive (a destination).
type Site struct {
	Point           gst.Point
	Sends, Receives bool
}

// Pair is the leg from site H, which sends, to site K, which receives.
type Pair struct {
	H, K    int32
	Minutes float64
	Km      float64
}

// Find returns the pairs (h, k), h ≠ k, from a site that sends to a site
// that receives, whose one-way travel is at most maxMinutes, sorted by h
// then k.
func Find(r *gst.Region, src gst.TravelSource, sites []Site, maxMinutes float64) ([]Pair, error) {
	f := &finder{r: r, over: src.Travel, sites: sites, max: maxMinutes, found: map[[2]int32]Pair{}}
	f.matrixLegs()
	if est := src.LegEstimator(); est != nil {
		if err := f.estimatedLegs(*est); err != nil {
			return nil, err
		}
	}
	return f.sorted(), nil
}

// finder holds the pairs found so far.
type finder struct {
	r     *gst.Region
	over  *gst.Matrix
	sites []Site
	max   float64
	found map[[2]int32]Pair
}

// lookup returns the leg of a pair from the matrices, override first.
func (f *finder) lookup(h, k int32) (gst.Leg, bool) {
	from, to := f.sites[h].Point.ID, f.sites[k].Point.ID
	if f.over != nil {
		if l, ok := f.over.Lookup(from, to); ok {
			return l, true
		}
	}
	if f.r.Travel != nil {
		if l, ok := f.r.Travel.Lookup(from, to); ok {
			return l, true
		}
	}
	return gst.Leg{}, false
}

// add keeps a pair when it may send, receive and is within the limit.
func (f *finder) add(h, k int32, l gst.Leg) {
	if h == k || l.Minutes > f.max || !f.sites[h].Sends || !f.sites[k].Receives {
		return
	}
	f.found[[2]int32{h, k}] = Pair{H: h, K: k, Minutes: l.Minutes, Km: l.Km}
}

// matrixLegs adds the pairs the matrices state.
func (f *finder) matrixLegs() {
	idx := make(map[string]int32, len(f.sites))
	for i := range f.sites {
		idx[f.sites[i].Point.ID] = int32(i)
	}
	for _, m := range []*gst.Matrix{f.over, f.r.Travel} {
		if m == nil {
			continue
		}
		for _, en := range m.Entries() {
			h, ok1 := idx[en.From]
			k, ok2 := idx[en.To]
			if !ok1 || !ok2 {
				continue
			}
			if l, ok := f.lookup(h, k); ok {
				f.add(h, k, l)
			}
		}
	}
}

// estimatedLegs adds the estimated legs of the pairs no matrix has, among
// the sites within the radius the fastest speed reaches.
func (f *finder) estimatedLegs(e gst.Estimator) error {
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
	radiusKm := f.max / 60 * math.Max(rural, urban) / circ * (1 + 1e-9)
	g := f.grid(radiusKm)
	for h := range f.sites {
		if !f.sites[h].Sends {
			continue
		}
		hp := f.sites[h].Point
		c := g.cell(hp.Lat, hp.Lon)
		for di := int64(-1); di <= 1; di++ {
			for dj := int64(-1); dj <= 1; dj++ {
				for _, k := range g.sites[[2]int64{c[0] + di, c[1] + dj}] {
					if int32(h) == k {
						continue
					}
					if _, known := f.lookup(int32(h), k); known {
						continue // the matrices' legs are in already
					}
					kp := f.sites[k].Point
					if gst.GreatCircleKm(hp.Lat, hp.Lon, kp.Lat, kp.Lon) > radiusKm {
						continue
					}
					l, err := e.Leg(hp, kp)
					if err != nil {
						return err
					}
					f.add(int32(h), k, l)
				}
			}
		}
	}
	return nil
}

// grid files the receiving sites in cells of radiusKm in latitude and in
// longitude at the highest latitude, so that the 3 × 3 block round a cell
// holds every site within the radius.
type grid struct {
	cellLat, cellLon float64
	sites            map[[2]int64][]int32
}

func (f *finder) grid(radiusKm float64) *grid {
	var hosts []int32
	maxLat := 0.0
	for i := range f.sites {
		maxLat = math.Max(maxLat, math.Abs(f.sites[i].Point.Lat))
		if f.sites[i].Receives {
			hosts = append(hosts, int32(i))
		}
	}
	g := &grid{cellLat: radiusKm / 110.0, sites: map[[2]int64][]int32{}}
	g.cellLon = radiusKm / (110.0 * math.Max(math.Cos(math.Min(maxLat, 89)*math.Pi/180), 1e-3))
	if g.cellLat <= 0 {
		g.cellLat, g.cellLon = 1, 1
	}
	for _, k := range hosts {
		c := g.cell(f.sites[k].Point.Lat, f.sites[k].Point.Lon)
		g.sites[c] = append(g.sites[c], k)
	}
	return g
}

func (g *grid) cell(lat, lon float64) [2]int64 {
	return [2]int64{int64(math.Floor(lat / g.cellLat)), int64(math.Floor(lon / g.cellLon))}
}

// sorted returns the pairs found, sorted by h then k.
func (f *finder) sorted() []Pair {
	out := make([]Pair, 0, len(f.found))
	for _, pr := range f.found {
		out = append(out, pr)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].H != out[b].H {
			return out[a].H < out[b].H
		}
		return out[a].K < out[b].K
	})
	return out
}
