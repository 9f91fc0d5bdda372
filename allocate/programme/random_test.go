package programme

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gstplan/gst"
)

// randomProblem builds a small random programme: a few areas and
// establishments (one of them a candidate), one or two services with one
// or two module types, two categories with attrition and recruitment, two
// or three periods, budgets and pooling drawn at random. maxOffers bounds
// the (site, service) pairs so that enumeration stays cheap.
func randomProblem(seed uint64, maxOffers int) *Problem {
	rng := rand.New(rand.NewPCG(seed, 99))
	r := randomRegion(rng)
	nsvc := 1 + rng.IntN(2)
	p := &Problem{Region: r}
	for i := 0; i < 2+rng.IntN(2); i++ {
		start := 2030
		if i > 0 {
			start = p.Periods[i-1].Start + max(p.Periods[i-1].Years, 1)
		}
		p.Periods = append(p.Periods, Period{Start: start, Years: 1 + rng.IntN(2)})
	}
	var svcs []gst.ServiceID
	for s := 0; s < nsvc; s++ {
		id := gst.ServiceID(fmt.Sprintf("s%d", s+1))
		svcs = append(svcs, id)
		rule := ServiceRule{Service: id, UnservedMAD: 3000 + 15000*rng.Float64(), SetupMAD: float64(rng.IntN(3)) * 1e5, Reach: 1 + rng.IntN(3)}
		if rng.IntN(3) == 0 {
			rule.Team = []Requirement{{Category: "doc", FTE: 0.5}}
		}
		p.Services = append(p.Services, rule)
		types := 1 + rng.IntN(2)
		if maxOffers <= 3 {
			types = 1 // keep enumeration cheap
		}
		for m := 0; m < types; m++ {
			p.Modules = append(p.Modules, Module{ID: ModuleID(fmt.Sprintf("%s-m%d", id, m+1)), Service: id,
				Capacity: 50 + 100*rng.Float64(), CapitalMAD: 1e5 + 1e6*rng.Float64(), RunningMAD: 1e4 + 2e5*rng.Float64(), MaxPerSite: 1 + rng.IntN(2),
				Staff: []Requirement{{Category: "doc", FTE: 0.2 + rng.Float64()}, {Category: "nurse", FTE: 0.5 + 2*rng.Float64()}}})
		}
	}
	p.Demand = randomDemand(rng, r, p.Periods, svcs)
	p.Categories = []CategoryRule{
		{Category: "doc", AttritionRate: 0.1 * rng.Float64(), RecruitPerYear: float64(1 + rng.IntN(3)), RecruitMAD: 1e4 * rng.Float64(), LeadTimeYears: rng.IntN(2)},
		{Category: "nurse", AttritionRate: 0.1 * rng.Float64(), RecruitPerYear: float64(1 + rng.IntN(5)), RecruitMAD: 1e4 * rng.Float64()},
	}
	p.Pooling = PoolingRules{None: rng.IntN(3) == 0, PerKmMAD: rng.Float64() * 3, MaxAwayShare: 0.2 + 0.8*rng.Float64()}
	if rng.IntN(3) > 0 {
		for _, per := range p.Periods {
			p.CapitalBudget = append(p.CapitalBudget, YearMAD{Year: per.Start, MAD: 3e5 + 1.5e6*rng.Float64()})
		}
		p.CarryOver = rng.IntN(2) == 0
	}
	if rng.IntN(3) == 0 {
		last := p.Periods[len(p.Periods)-1]
		for y := p.Periods[0].Start; y < last.Start+max(last.Years, 1); y++ {
			p.RunningBudget = append(p.RunningBudget, YearMAD{Year: y, MAD: 5e5 + 1.5e6*rng.Float64()})
		}
	}
	if rng.IntN(3) == 0 {
		p.TotalBudgetMAD = 5e6 + 5e6*rng.Float64()
	}
	p.Objective = Objective{TravelMADPerHour: 10 + 40*rng.Float64(), DeprivationWeight: float64(rng.IntN(2)), DiscountRate: 0.05 * rng.Float64()}
	trimOffers(p, maxOffers)
	return p
}

func randomRegion(rng *rand.Rand) *gst.Region {
	r := &gst.Region{ID: "R", Name: "Random", Services: []gst.Service{
		{ID: "s1", Name: "Service one", Unit: "case", MinLevel: gst.LocalHospital, StandardMinutes: 30 + float64(rng.IntN(60))},
		{ID: "s2", Name: "Service two", Unit: "session", MinLevel: gst.LocalHospital, StandardMinutes: 30 + float64(rng.IntN(60))},
	}, Categories: []gst.Category{
		{ID: "doc", Name: "Doctor", HoursPerYear: 1600, AnnualCost: 2e5 + 2e5*rng.Float64()},
		{ID: "nurse", Name: "Nurse", HoursPerYear: 1600, AnnualCost: 8e4 + 8e4*rng.Float64()},
	}}
	na := 3 + rng.IntN(3)
	for a := 0; a < na; a++ {
		d := rng.Float64()
		r.Areas = append(r.Areas, gst.Area{ID: gst.AreaID(fmt.Sprintf("a%d", a+1)), Name: fmt.Sprintf("Area %d", a+1), Province: gst.ProvinceID(fmt.Sprintf("P%d", 1+a%2)),
			Lat: 33 + 0.3*rng.Float64(), Lon: -5 - 0.3*rng.Float64(), Population: 1000 + 9000*rng.Float64(), Deprivation: &d})
	}
	ne := 2 + rng.IntN(2)
	for e := 0; e < ne; e++ {
		est := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("e%d", e+1)), Name: fmt.Sprintf("Hospital %d", e+1), Level: gst.LocalHospital, Ownership: gst.Public,
			Lat: 33 + 0.3*rng.Float64(), Lon: -5 - 0.3*rng.Float64(),
			Staff: []gst.Staffing{{Category: "doc", FTE: float64(rng.IntN(2))}, {Category: "nurse", FTE: float64(rng.IntN(4))}}}
		if e == 0 {
			est.Staff = []gst.Staffing{{Category: "doc", FTE: float64(2 + rng.IntN(3))}, {Category: "nurse", FTE: float64(4 + rng.IntN(6))}}
			est.Offers = []gst.Offer{{Service: "s1", Capacity: 80}}
		}
		r.Establishments = append(r.Establishments, est)
	}
	r.Establishments = append(r.Establishments, gst.Establishment{ID: "k1", Name: "Candidate", Level: gst.LocalHospital, Ownership: gst.Public,
		Lat: 33 + 0.3*rng.Float64(), Lon: -5 - 0.3*rng.Float64(), Candidate: true, OpenCost: 1e6 * rng.Float64(),
		Offers: []gst.Offer{{Service: "s1"}, {Service: "s2"}}})
	r.Establishments = append(r.Establishments, gst.Establishment{ID: "c1", Name: "Health centre", Level: gst.HealthCentre, Ownership: gst.Public,
		Lat: 33 + 0.3*rng.Float64(), Lon: -5 - 0.3*rng.Float64(), Staff: []gst.Staffing{{Category: "nurse", FTE: float64(2 + rng.IntN(4))}}})
	return r
}

func randomDemand(rng *rand.Rand, r *gst.Region, per []Period, svcs []gst.ServiceID) []YearDemand {
	var out []YearDemand
	base := map[string]float64{}
	for _, a := range r.Areas {
		for _, s := range svcs {
			base[string(a.ID)+string(s)] = 10 + 60*rng.Float64()
		}
	}
	last := per[len(per)-1]
	for y := per[0].Start; y < last.Start+max(last.Years, 1); y++ {
		var rows []gst.Demand
		for _, a := range r.Areas {
			for _, s := range svcs {
				v := base[string(a.ID)+string(s)] * math.Pow(1+0.1*(rng.Float64()-0.3), float64(y-per[0].Start))
				rows = append(rows, gst.Demand{Area: a.ID, Service: s, Volume: v})
			}
		}
		t, err := gst.NewDemandTable(rows)
		if err != nil {
			panic(err)
		}
		out = append(out, YearDemand{Year: y, Table: t})
	}
	return out
}

// trimOffers restricts each service's sites so that the programme has at
// most max (site, service) pairs.
func trimOffers(p *Problem, maxOffers int) {
	ids := []gst.EstablishmentID{"e1", "k1", "e2", "e3"}
	left := maxOffers
	for i := range p.Services {
		n := min(left-(len(p.Services)-1-i), 2)
		if p.Services[i].Service == "s2" {
			p.Services[i].Sites = []gst.EstablishmentID{"k1", "e2"}[:max(1, n)]
		} else {
			p.Services[i].Sites = ids[:max(1, n)]
		}
		left -= len(p.Services[i].Sites)
	}
}
