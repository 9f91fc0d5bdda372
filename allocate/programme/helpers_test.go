package programme

import (
	"math/rand/v2"
	"testing"

	"github.com/gstplan/gst"
)

// smallRegion is a region of four villages along a valley, an existing
// hospital with a maternity, a health centre and a candidate site, and the
// staff categories a caesarean unit needs.
func smallRegion(t testing.TB) *gst.Region {
	t.Helper()
	r := valleyRegion()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	return r
}

// valleyRegion is the region of smallRegion.
func valleyRegion() *gst.Region {
	dep := func(v float64) *float64 { return &v }
	r := &gst.Region{
		ID: "T", Name: "Test valley",
		Provinces: []gst.Province{{ID: "P1", Name: "Upper"}, {ID: "P2", Name: "Lower"}},
		Areas: []gst.Area{
			{ID: "a1", Name: "Ait One", Province: "P1", Lat: 33.00, Lon: -5.00, Population: 20000, Deprivation: dep(0.2)},
			{ID: "a2", Name: "Ait Two", Province: "P1", Lat: 33.10, Lon: -5.20, Population: 15000, Deprivation: dep(0.5)},
			{ID: "a3", Name: "Ait Three", Province: "P2", Lat: 33.30, Lon: -5.50, Population: 12000, Deprivation: dep(0.9)},
			{ID: "a4", Name: "Ait Four", Province: "P2", Lat: 33.45, Lon: -5.75, Population: 8000, Deprivation: dep(0.7)},
		},
		Establishments: []gst.Establishment{
			{ID: "h1", Name: "Hôpital provincial", Level: gst.ProvincialHospital, Ownership: gst.Public, Province: "P1", Area: "a1", Lat: 33.00, Lon: -5.01,
				Offers: []gst.Offer{{Service: "cs", Capacity: 300}},
				Staff:  []gst.Staffing{{Category: "obgyn", FTE: 3}, {Category: "midwife", FTE: 8}}},
			{ID: "h2", Name: "Hôpital local", Level: gst.LocalHospital, Ownership: gst.Public, Province: "P2", Area: "a3", Lat: 33.30, Lon: -5.49,
				Staff: []gst.Staffing{{Category: "obgyn", FTE: 1}, {Category: "midwife", FTE: 4}}},
			{ID: "c1", Name: "Centre de santé", Level: gst.HealthCentre, Ownership: gst.Public, Province: "P1", Area: "a2", Lat: 33.10, Lon: -5.21,
				Staff: []gst.Staffing{{Category: "midwife", FTE: 2}}},
			{ID: "k1", Name: "Site candidat", Level: gst.LocalHospital, Ownership: gst.Public, Province: "P2", Area: "a4", Lat: 33.45, Lon: -5.74,
				Candidate: true, OpenCost: 20e6, Offers: []gst.Offer{{Service: "cs"}}},
		},
		Services:   []gst.Service{{ID: "cs", Name: "Caesarean section", Unit: "case", MinLevel: gst.LocalHospital, StandardMinutes: 45}},
		Categories: []gst.Category{{ID: "obgyn", Name: "Obstetrician", HoursPerYear: 1600, AnnualCost: 300000}, {ID: "midwife", Name: "Midwife", HoursPerYear: 1600, AnnualCost: 150000}},
	}
	return r
}

// smallProblem is a two-period programme for caesarean sections on
// smallRegion, with demand growing 5% a year.
func smallProblem(t testing.TB) *Problem {
	t.Helper()
	smallRegion(t)
	p, err := valleyProblem()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// valleyProblem is the programme of smallProblem.
func valleyProblem() (*Problem, error) {
	r := valleyRegion()
	var demand []YearDemand
	base := map[gst.AreaID]float64{"a1": 180, "a2": 140, "a3": 130, "a4": 90}
	for y := 2026; y <= 2029; y++ {
		var rows []gst.Demand
		for _, a := range r.Areas {
			rows = append(rows, gst.Demand{Area: a.ID, Service: "cs", Volume: base[a.ID] * pow(1.05, y-2026)})
		}
		tab, err := gst.NewDemandTable(rows)
		if err != nil {
			return nil, err
		}
		demand = append(demand, YearDemand{Year: y, Table: tab})
	}
	return &Problem{
		Region:   r,
		Periods:  []Period{{Start: 2026, Years: 2}, {Start: 2028, Years: 2}},
		Demand:   demand,
		Services: []ServiceRule{{Service: "cs", UnservedMAD: 40000, SetupMAD: 2e6}},
		Modules: []Module{{ID: "cs-unit", Service: "cs", Capacity: 150, CapitalMAD: 8e6, RunningMAD: 1e6, MaxPerSite: 3,
			Staff: []Requirement{{Category: "obgyn", FTE: 1}, {Category: "midwife", FTE: 3}}}},
		Categories: []CategoryRule{
			{Category: "obgyn", AttritionRate: 0.05, RecruitPerYear: 1, RecruitMAD: 50000},
			{Category: "midwife", AttritionRate: 0.03, RecruitPerYear: 4, RecruitMAD: 20000},
		},
		Pooling:       PoolingRules{PerKmMAD: 2},
		CapitalBudget: []YearMAD{{Year: 2026, MAD: 30e6}, {Year: 2028, MAD: 30e6}},
		CarryOver:     true,
	}, nil
}

func pow(x float64, n int) float64 {
	v := 1.0
	for i := 0; i < n; i++ {
		v *= x
	}
	return v
}

// shuffled returns a copy of the problem's region with every slice
// shuffled.
func shuffledRegion(r *gst.Region, seed uint64) *gst.Region {
	c := r.Clone()
	rng := rand.New(rand.NewPCG(seed, 7))
	rng.Shuffle(len(c.Areas), func(i, j int) { c.Areas[i], c.Areas[j] = c.Areas[j], c.Areas[i] })
	rng.Shuffle(len(c.Establishments), func(i, j int) { c.Establishments[i], c.Establishments[j] = c.Establishments[j], c.Establishments[i] })
	rng.Shuffle(len(c.Categories), func(i, j int) { c.Categories[i], c.Categories[j] = c.Categories[j], c.Categories[i] })
	rng.Shuffle(len(c.Provinces), func(i, j int) { c.Provinces[i], c.Provinces[j] = c.Provinces[j], c.Provinces[i] })
	c.Reindex()
	return c
}
