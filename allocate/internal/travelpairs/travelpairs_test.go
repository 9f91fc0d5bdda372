package travelpairs

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gstplan/gst"
)

// Find against every pair, with legs from an override matrix, the
// region's matrix and the estimator.
func TestFindAgainstEveryPair(t *testing.T) {
	for seed := int64(0); seed < 30; seed++ {
		rng := rand.New(rand.NewSource(seed))
		r := &gst.Region{ID: "R"}
		var sites []Site
		n := 2 + rng.Intn(40)
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("s%02d", i)
			pt := gst.Point{ID: id, Lat: 33 + rng.Float64(), Lon: -6 + rng.Float64(), Urban: rng.Intn(3) == 0}
			sites = append(sites, Site{Point: pt, Sends: rng.Intn(3) > 0, Receives: rng.Intn(3) > 0})
		}
		var entries, over []gst.MatrixEntry
		for k := rng.Intn(3 * n); k > 0; k-- {
			a, b := sites[rng.Intn(n)].Point.ID, sites[rng.Intn(n)].Point.ID
			e := gst.MatrixEntry{From: a, To: b, Minutes: float64(5 + rng.Intn(120)), Km: float64(rng.Intn(90))}
			if rng.Intn(2) == 0 {
				entries = append(entries, e)
			} else {
				over = append(over, e)
			}
		}
		var err error
		if len(entries) > 0 {
			if r.Travel, err = gst.MatrixFromEntries(dedup(entries)); err != nil {
				t.Fatal(err)
			}
		}
		src := gst.TravelSource{NoEstimate: rng.Intn(4) == 0}
		if len(over) > 0 {
			if src.Travel, err = gst.MatrixFromEntries(dedup(over)); err != nil {
				t.Fatal(err)
			}
		}
		if rng.Intn(2) == 0 {
			src.Estimator = &gst.Estimator{Circuity: 1.5, RuralKmh: 40, UrbanKmh: 20}
		}
		max := float64(20 + rng.Intn(90))
		got, err := Find(r, src, sites, max)
		if err != nil {
			t.Fatal(err)
		}
		var want []Pair
		for h := range sites {
			for k := range sites {
				if h == k || !sites[h].Sends || !sites[k].Receives {
					continue
				}
				if l, ok := src.Leg(r, sites[h].Point, sites[k].Point); ok && l.Minutes <= max {
					want = append(want, Pair{H: int32(h), K: int32(k), Minutes: l.Minutes, Km: l.Km})
				}
			}
		}
		if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("seed %d (-want +got):\n%s", seed, d)
		}
	}
}

// dedup keeps the first entry of each pair.
func dedup(es []gst.MatrixEntry) []gst.MatrixEntry {
	seen := map[[2]string]bool{}
	var out []gst.MatrixEntry
	for _, e := range es {
		if k := [2]string{e.From, e.To}; !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}
