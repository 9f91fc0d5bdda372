package pathway

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	gst "github.com/gstplan/gst"
)

// toyRegion is the small region of the hand-computed tests: three areas in
// two provinces, two health centres, a provincial hospital and a CHU.
func toyRegion() *gst.Region {
	return &gst.Region{
		ID: "toy", Name: "Toy region",
		Provinces: []gst.Province{{ID: "P1", Name: "Province one"}, {ID: "P2", Name: "Province two"}},
		Areas: []gst.Area{
			{ID: "A1", Name: "Town", Province: "P1", Lat: 34.00, Lon: -5.00, Population: 10000, Urban: true},
			{ID: "A2", Name: "Valley", Province: "P1", Lat: 34.10, Lon: -5.20, Population: 5000, Deprivation: ptr(0.8)},
			{ID: "A3", Name: "Mountain", Province: "P2", Lat: 33.50, Lon: -5.40, Population: 2000, Deprivation: ptr(0.3),
				Segments: []gst.Segment{{Name: "coverage/amo", Population: 1200}}},
		},
		Services: []gst.Service{
			{ID: "antenatal", Unit: "contact", MinLevel: gst.HealthCentre, StandardMinutes: 30},
			{ID: "delivery", Unit: "delivery", MinLevel: gst.HealthCentre, StandardMinutes: 60},
			{ID: "caesarean", Unit: "operation", MinLevel: gst.LocalHospital, StandardMinutes: 120},
		},
		Establishments: []gst.Establishment{
			{ID: "HC1", Level: gst.HealthCentre, Province: "P1", Area: "A1", Lat: 34.01, Lon: -5.01,
				Offers: []gst.Offer{{Service: "antenatal"}, {Service: "delivery"}}},
			{ID: "HC2", Level: gst.HealthCentre, Province: "P1", Area: "A2", Lat: 34.11, Lon: -5.21,
				Offers: []gst.Offer{{Service: "antenatal"}}},
			{ID: "H1", Level: gst.ProvincialHospital, Province: "P1", Area: "A1", Lat: 34.02, Lon: -5.02,
				Offers: []gst.Offer{{Service: "delivery"}, {Service: "caesarean"}}},
			{ID: "CHU", Level: gst.UniversityHospital, Province: "P2", Lat: 34.03, Lon: -4.99,
				Offers: []gst.Offer{{Service: "caesarean"}}},
		},
	}
}

func ptr(v float64) *float64 { return &v }

// toySet is one maternal pathway: 20 births per 1,000; four antenatal
// contacts (a quarter remote); delivery; caesarean for 20% of deliveries.
func toySet() *Set {
	return &Set{Pathways: []Pathway{{
		ID: "maternal", IncidencePer1000: 20,
		Steps: []Step{
			{ID: "anc", Service: "antenatal", Level: gst.HealthCentre, Probability: 1, VisitsPerEpisode: 4, TelemedicineShare: 0.25},
			{ID: "delivery", Service: "delivery", Level: gst.HealthCentre, Probability: 1, VisitsPerEpisode: 1},
			{ID: "caesarean", Parent: "delivery", Service: "caesarean", Level: gst.ProvincialHospital, Probability: 0.2, VisitsPerEpisode: 1},
		},
	}}}
}

// toyMatrix holds the legs of the hand computation; A3 → H1 is unreachable.
func toyMatrix(t testing.TB) *gst.Matrix {
	m, err := gst.NewMatrix([]string{"A1", "A2", "A3"}, []string{"HC1", "HC2", "H1", "CHU"})
	if err != nil {
		t.Fatal(err)
	}
	legs := []struct {
		from, to string
		min, km  float64
	}{
		{"A1", "HC1", 10, 5}, {"A1", "HC2", 30, 20}, {"A1", "H1", 20, 15}, {"A1", "CHU", 60, 50},
		{"A2", "HC1", 50, 40}, {"A2", "HC2", 40, 30}, {"A2", "H1", 70, 60}, {"A2", "CHU", 130, 120},
		{"A3", "HC1", 35, 30}, {"A3", "HC2", 25, 20}, {"A3", "CHU", 200, 180},
	}
	for _, l := range legs {
		if err := m.SetID(l.from, l.to, gst.Leg{Minutes: l.min, Km: l.km}); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// toyAssignment: A2's caesareans are half unserved; A3's delivery and
// caesarean go to H1, which A3 cannot reach.
func toyAssignment(t testing.TB) *gst.Assignment {
	a, err := gst.NewAssignment([]gst.Allocation{
		{Area: "A1", Service: "antenatal", Establishment: "HC1", Share: 1},
		{Area: "A1", Service: "delivery", Establishment: "HC1", Share: 0.5},
		{Area: "A1", Service: "delivery", Establishment: "H1", Share: 0.5},
		{Area: "A1", Service: "caesarean", Establishment: "H1", Share: 1},
		{Area: "A2", Service: "antenatal", Establishment: "HC2", Share: 1},
		{Area: "A2", Service: "delivery", Establishment: "H1", Share: 1},
		{Area: "A2", Service: "caesarean", Establishment: "CHU", Share: 0.5},
		{Area: "A3", Service: "antenatal", Establishment: "HC2", Share: 1},
		{Area: "A3", Service: "delivery", Establishment: "H1", Share: 1},
		{Area: "A3", Service: "caesarean", Establishment: "H1", Share: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// randomCase builds a random region, pathway set, assignment and matrix
// from a seed: a few services offered at random levels, random referral
// trees, shares that sometimes leave demand unserved, and legs that are
// sometimes missing.
type randomCase struct {
	r    *gst.Region
	set  *Set
	asg  *gst.Assignment
	m    *gst.Matrix
	opt  *Options
	seed uint64
}

func newRandomCase(t testing.TB, seed uint64) randomCase {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	nA := 2 + rng.IntN(12)
	nE := 2 + rng.IntN(8)
	nS := 1 + rng.IntN(4)
	r := &gst.Region{}
	for s := 0; s < nS; s++ {
		r.Services = append(r.Services, gst.Service{ID: gst.ServiceID(fmt.Sprintf("s%d", s)),
			StandardMinutes: float64(rng.IntN(3)) * 30})
	}
	provs := []gst.ProvinceID{"", "p1", "p2"}
	for i := 0; i < nA; i++ {
		a := gst.Area{ID: gst.AreaID(fmt.Sprintf("a%02d", i)), Province: provs[rng.IntN(3)],
			Lat: 33 + rng.Float64(), Lon: -6 + rng.Float64(), Population: float64(rng.IntN(5000)),
			Urban: rng.IntN(2) == 0}
		if rng.IntN(3) == 0 {
			a.Deprivation = ptr(rng.Float64())
		}
		if rng.IntN(2) == 0 && a.Population > 0 {
			a.Segments = []gst.Segment{{Name: "cov/amo", Population: math.Floor(a.Population * rng.Float64())}}
		}
		r.Areas = append(r.Areas, a)
	}
	for j := 0; j < nE; j++ {
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("e%02d", j)), Level: gst.Levels[rng.IntN(5)],
			Lat: 33 + rng.Float64(), Lon: -6 + rng.Float64()}
		for _, s := range r.Services {
			if rng.IntN(2) == 0 {
				e.Offers = append(e.Offers, gst.Offer{Service: s.ID})
			}
		}
		r.Establishments = append(r.Establishments, e)
	}
	// Make sure every service is offered somewhere.
	for _, s := range r.Services {
		if len(r.Offering(s.ID)) == 0 {
			e := &r.Establishments[rng.IntN(nE)]
			e.Offers = append(e.Offers, gst.Offer{Service: s.ID})
		}
	}
	r.Reindex()

	set := &Set{}
	nP := 1 + rng.IntN(3)
	for p := 0; p < nP; p++ {
		pw := Pathway{ID: PathwayID(fmt.Sprintf("p%d", p)), IncidencePer1000: rng.Float64() * 100}
		if rng.IntN(3) == 0 {
			pw.Segment, pw.FallbackShare = "cov/amo", 0.5
		}
		nSt := 1 + rng.IntN(4)
		for k := 0; k < nSt; k++ {
			st := Step{ID: StepID(fmt.Sprintf("st%d", k)), Service: r.Services[rng.IntN(nS)].ID,
				Probability: rng.Float64(), VisitsPerEpisode: float64(rng.IntN(6)),
				TelemedicineShare: []float64{0, 0, 0.3, 1}[rng.IntN(4)],
				StandardMinutes:   float64(rng.IntN(3)) * 25}
			if k > 0 && rng.IntN(2) == 0 {
				st.Parent = StepID(fmt.Sprintf("st%d", rng.IntN(k)))
			}
			pw.Steps = append(pw.Steps, st)
		}
		set.Pathways = append(set.Pathways, pw)
	}

	var rows []gst.Allocation
	for _, a := range r.Areas {
		for _, s := range r.Services {
			if rng.IntN(5) == 0 {
				continue // unassigned: all unserved
			}
			off := r.Offering(s.ID)
			rng.Shuffle(len(off), func(i, j int) { off[i], off[j] = off[j], off[i] })
			k := 1 + rng.IntN(min(3, len(off)))
			left := 1.0
			if rng.IntN(4) == 0 {
				left = 0.7
			}
			for x := 0; x < k; x++ {
				sh := left / float64(k)
				rows = append(rows, gst.Allocation{Area: a.ID, Service: s.ID, Establishment: off[x].ID, Share: sh})
			}
		}
	}
	asg, err := gst.NewAssignment(rows)
	if err != nil {
		t.Fatal(err)
	}
	m, err := gst.NewMatrix(r.AreaIDs(), r.EstablishmentIDs())
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.Areas {
		for j := range r.Establishments {
			if rng.IntN(6) == 0 {
				continue // unreachable
			}
			if err := m.Set(i, j, gst.Leg{Minutes: rng.Float64() * 150, Km: rng.Float64() * 120}); err != nil {
				t.Fatal(err)
			}
		}
	}
	opt := &Options{OneWay: rng.IntN(2) == 0}
	return randomCase{r: r, set: set, asg: asg, m: m, opt: opt, seed: seed}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
