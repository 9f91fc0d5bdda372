package allocate

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/gstplan/gst"
)

// synthSpec describes a random test region.
type synthSpec struct {
	seed       int64
	areas      int
	sites      int
	services   int     // services located, "s0", "s1", …
	candidates float64 // share of sites that are candidates
	closable   float64 // share of existing sites that may close
	capacity   bool    // state capacities
	provinces  int
	intTravel  bool // integer minutes in an explicit travel matrix
}

// synth builds a random region and demand table. Travel comes from an
// explicit matrix (integer minutes when intTravel) so that tests do not
// depend on the estimator.
func synth(t testing.TB, sp synthSpec) (*gst.Region, *gst.DemandTable) {
	t.Helper()
	rng := rand.New(rand.NewSource(sp.seed))
	if sp.services == 0 {
		sp.services = 1
	}
	if sp.provinces == 0 {
		sp.provinces = 2
	}
	r := &gst.Region{ID: "T", Name: "test"}
	for p := 0; p < sp.provinces; p++ {
		r.Provinces = append(r.Provinces, gst.Province{ID: gst.ProvinceID(fmt.Sprintf("P%d", p))})
	}
	for s := 0; s < sp.services; s++ {
		r.Services = append(r.Services, gst.Service{ID: gst.ServiceID(fmt.Sprintf("s%d", s)), StandardMinutes: 30 + 10*float64(s)})
	}
	type pt struct{ x, y float64 }
	apts := make([]pt, sp.areas)
	for i := 0; i < sp.areas; i++ {
		apts[i] = pt{rng.Float64() * 100, rng.Float64() * 100}
		prov := int(apts[i].x) * sp.provinces / 100
		r.Areas = append(r.Areas, gst.Area{ID: gst.AreaID(fmt.Sprintf("a%02d", i)), Province: gst.ProvinceID(fmt.Sprintf("P%d", prov)),
			Lat: 33 + apts[i].y/100, Lon: -6 + apts[i].x/100, Population: float64(1000 + rng.Intn(9000))})
	}
	spts := make([]pt, sp.sites)
	for j := 0; j < sp.sites; j++ {
		spts[j] = pt{rng.Float64() * 100, rng.Float64() * 100}
		cand := rng.Float64() < sp.candidates
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("e%02d", j)), Level: gst.ProvincialHospital,
			Province: gst.ProvinceID(fmt.Sprintf("P%d", int(spts[j].x)*sp.provinces/100)),
			Lat:      33 + spts[j].y/100, Lon: -6 + spts[j].x/100, Candidate: cand}
		if cand {
			e.OpenCost = float64(1 + rng.Intn(9))
		} else if rng.Float64() < sp.closable {
			e.Closable = true
			e.CloseCost = float64(rng.Intn(5))
		}
		for s := 0; s < sp.services; s++ {
			if s > 0 && rng.Float64() < 0.3 {
				continue
			}
			o := gst.Offer{Service: gst.ServiceID(fmt.Sprintf("s%d", s))}
			if sp.capacity {
				o.Capacity = float64(100 + rng.Intn(400))
			}
			e.Offers = append(e.Offers, o)
		}
		r.Establishments = append(r.Establishments, e)
	}
	var entries []gst.MatrixEntry
	for i := range apts {
		for j := range spts {
			d := math.Hypot(apts[i].x-spts[j].x, apts[i].y-spts[j].y)
			if sp.intTravel {
				d = math.Round(d)
			}
			entries = append(entries, gst.MatrixEntry{From: string(r.Areas[i].ID), To: string(r.Establishments[j].ID), Minutes: d, Km: d * 0.8})
		}
	}
	m, err := gst.MatrixFromEntries(entries)
	if err != nil {
		t.Fatal(err)
	}
	r.Travel = m
	var rows []gst.Demand
	for i := range r.Areas {
		for s := 0; s < sp.services; s++ {
			v := float64(5 + rng.Intn(60))
			rows = append(rows, gst.Demand{Area: r.Areas[i].ID, Service: gst.ServiceID(fmt.Sprintf("s%d", s)), Volume: v})
		}
	}
	dt, err := gst.NewDemandTable(rows)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	return r, dt
}
