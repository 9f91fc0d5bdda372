package gst

import (
	"fmt"
	"math/rand"
	"testing"
)

// nationalRegion builds a deterministic national-scale region: areas,
// establishments with ten offers each and staff in every category.
func nationalRegion(nAreas, nEst, nServices, nCats int) *Region {
	rng := rand.New(rand.NewSource(1))
	r := &Region{}
	for s := 0; s < nServices; s++ {
		r.Services = append(r.Services, Service{ID: ServiceID(fmt.Sprintf("s%02d", s))})
	}
	for c := 0; c < nCats; c++ {
		r.Categories = append(r.Categories, Category{ID: CategoryID(fmt.Sprintf("c%02d", c)), HoursPerYear: 1760})
	}
	for i := 0; i < nAreas; i++ {
		r.Areas = append(r.Areas, Area{ID: AreaID(fmt.Sprintf("a%05d", i)), Lat: 28 + 8*rng.Float64(), Lon: -13 + 12*rng.Float64(),
			Population: float64(1000 + rng.Intn(50000)),
			Segments:   []Segment{{Name: "coverage/amo", Population: 500}, {Name: "coverage/tadamon", Population: 300}}})
	}
	for j := 0; j < nEst; j++ {
		e := Establishment{ID: EstablishmentID(fmt.Sprintf("e%05d", j)), Level: Levels[rng.Intn(len(Levels))],
			Lat: 28 + 8*rng.Float64(), Lon: -13 + 12*rng.Float64(), Area: r.Areas[rng.Intn(nAreas)].ID}
		for k := 0; k < 10; k++ {
			e.Offers = append(e.Offers, Offer{Service: r.Services[(j+k)%nServices].ID, Capacity: 1000})
		}
		for _, c := range r.Categories {
			e.Staff = append(e.Staff, Staffing{Category: c.ID, FTE: float64(rng.Intn(10))})
		}
		r.Establishments = append(r.Establishments, e)
	}
	return r
}

// BenchmarkValidateNational validates 1,500 areas and 3,000 establishments
// with 30,000 offers and 60,000 staff rows.
func BenchmarkValidateNational(b *testing.B) {
	r := nationalRegion(1500, 3000, 30, 20)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookupNational measures O(1) lookups by ID on the same region.
func BenchmarkLookupNational(b *testing.B) {
	r := nationalRegion(1500, 3000, 30, 20)
	ids := r.EstablishmentIDs()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := EstablishmentID(ids[i%len(ids)])
		if _, ok := r.Establishment(id); !ok {
			b.Fatal("missing", id)
		}
		if r.StaffOnRoll(id, "c03") < 0 {
			b.Fatal("negative staff")
		}
	}
}
