// Package synth generates synthetic planning instances at regional and
// national size for the benchmarks: regions of clustered communes with
// Morocco-like densities, hospitals and health centres with staff on roll,
// candidate sites, and phased programmes over them. Every instance is a
// pure function of its Spec: the same Spec gives the same instance.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/programme"
)

// Spec sizes a synthetic programme.
type Spec struct {
	// Regions is the number of regions (GSTs); the instance is one
	// problem over all of them, each region with its own budget.
	Regions int
	// Areas, Hospitals, Centres and Candidates are counted per region.
	Areas, Hospitals, Centres, Candidates int
	// Services is the number of services planned (1 to 3: caesarean
	// sections, haemodialysis, intensive care).
	Services int
	// Years is the horizon in yearly periods from 2026; PeriodYears groups
	// them (default 1).
	Years, PeriodYears int
	// Categories is the number of staff categories (3 to 8).
	Categories int
	// Seed seeds the generator.
	Seed uint64
	// Apart, when positive, places the regions that many degrees of
	// latitude and longitude apart, too far for any area to reach another
	// region's sites or staff to commute between regions. Default 0: side
	// by side (1.6 degrees of latitude, 1.8 of longitude), the areas near a
	// border reaching the next region's sites.
	Apart float64
}

// Half is a half-size region: about 30 candidate sites, 2 services, 5
// yearly periods, 8 categories.
var Half = Spec{Regions: 1, Areas: 100, Hospitals: 24, Centres: 200, Candidates: 6, Services: 2, Years: 5, Categories: 8, Seed: 1}

// Region is a region of Fès-Meknès's size: about 110 candidate sites, 3
// services, 10 yearly periods, 8 categories.
var Region = Spec{Regions: 1, Areas: 194, Hospitals: 55, Centres: 410, Candidates: 55, Services: 3, Years: 10, Categories: 8, Seed: 2}

// National is the Kingdom: 12 regions, about 1,500 communes and 3,000
// establishments.
var National = Spec{Regions: 12, Areas: 125, Hospitals: 22, Centres: 225, Candidates: 6, Services: 3, Years: 10, Categories: 8, Seed: 3}

// NationalApart is National with its regions far apart: the same 12
// regions, joined only by the national budgets and recruitment.
var NationalApart = Spec{Regions: 12, Areas: 125, Hospitals: 22, Centres: 225, Candidates: 6, Services: 3, Years: 10, Categories: 8, Seed: 3, Apart: 6}

var categories = []gst.Category{
	{ID: "anaesthetist", Name: "Anaesthetist", HoursPerYear: 1950, AnnualCost: 317100},
	{ID: "nurse", Name: "Nurse", HoursPerYear: 1950, AnnualCost: 155400},
	{ID: "obgyn", Name: "Obstetrician-gynaecologist", HoursPerYear: 1950, AnnualCost: 317100},
	{ID: "midwife", Name: "Midwife", HoursPerYear: 1950, AnnualCost: 155400},
	{ID: "nephrologist", Name: "Nephrologist", HoursPerYear: 1950, AnnualCost: 317100},
	{ID: "intensivist", Name: "Intensivist", HoursPerYear: 1950, AnnualCost: 317100},
	{ID: "doctor-gp", Name: "General practitioner", HoursPerYear: 1950, AnnualCost: 244100},
	{ID: "technician", Name: "Anaesthesia technician", HoursPerYear: 1950, AnnualCost: 155400},
}

type serviceDef struct {
	svc    gst.Service
	rule   programme.ServiceRule
	module programme.Module
	rate   float64 // units per 1,000 people a year
}

var serviceDefs = []serviceDef{
	{svc: gst.Service{ID: "caesarean", Name: "Caesarean section", Unit: "case", MinLevel: gst.LocalHospital, StandardMinutes: 120},
		rule:   programme.ServiceRule{Service: "caesarean", UnservedMAD: 8000, Team: []programme.Requirement{{Category: "obgyn", FTE: 1}, {Category: "anaesthetist", FTE: 1}}},
		module: programme.Module{ID: "cs-line", Service: "caesarean", Capacity: 300, CapitalMAD: 12e6, RunningMAD: 1.5e6, MaxPerSite: 3, Staff: []programme.Requirement{{Category: "obgyn", FTE: 0.4}, {Category: "anaesthetist", FTE: 0.25}, {Category: "midwife", FTE: 2}, {Category: "technician", FTE: 1}}},
		rate:   3.2},
	{svc: gst.Service{ID: "dialysis", Name: "Haemodialysis", Unit: "session", MinLevel: gst.LocalHospital, StandardMinutes: 60},
		rule:   programme.ServiceRule{Service: "dialysis", UnservedMAD: 850},
		module: programme.Module{ID: "hd-unit", Service: "dialysis", Capacity: 6240, CapitalMAD: 6e6, RunningMAD: 3.1e6, MaxPerSite: 3, Staff: []programme.Requirement{{Category: "nephrologist", FTE: 1}, {Category: "nurse", FTE: 4}}},
		rate:   60},
	{svc: gst.Service{ID: "intensive-care", Name: "Intensive care", Unit: "admission", MinLevel: gst.ProvincialHospital, StandardMinutes: 90},
		rule:   programme.ServiceRule{Service: "intensive-care", UnservedMAD: 20000},
		module: programme.Module{ID: "icu-6", Service: "intensive-care", Capacity: 400, CapitalMAD: 15e6, RunningMAD: 4e6, MaxPerSite: 2, Staff: []programme.Requirement{{Category: "intensivist", FTE: 2}, {Category: "nurse", FTE: 8}, {Category: "anaesthetist", FTE: 0.5}}},
		rate:   2.5},
}

// Programme returns the synthetic programme of a spec.
func Programme(s Spec) (*programme.Problem, error) {
	if s.Regions < 1 || s.Areas < 1 || s.Hospitals < 1 || s.Services < 1 || s.Services > len(serviceDefs) || s.Years < 1 || s.Categories < 3 || s.Categories > len(categories) {
		return nil, fmt.Errorf("%w: synth: spec out of range: %+v", gst.ErrInvalid, s)
	}
	rng := rand.New(rand.NewPCG(s.Seed, 2026))
	r := &gst.Region{ID: "SYN", Name: "Synthetic", Attribution: []string{"synthetic instance, no real data"}}
	for _, d := range serviceDefs[:s.Services] {
		r.Services = append(r.Services, d.svc)
	}
	r.Categories = append(r.Categories, categories[:s.Categories]...)
	for g := 0; g < s.Regions; g++ {
		addRegion(rng, r, s, g)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return problem(rng, r, s)
}

// addRegion adds region g: areas clustered around a few towns, hospitals
// in the largest areas, health centres spread over the rest, candidates in
// large rural areas.
func addRegion(rng *rand.Rand, r *gst.Region, s Spec, g int) {
	dlat, dlon := 1.6, 1.8
	if s.Apart > 0 {
		dlat, dlon = s.Apart, s.Apart
	}
	lat0, lon0 := 30.0+float64(g%4)*dlat, -9.0+float64(g/4)*dlon
	towns := 3 + rng.IntN(4)
	type pt struct{ lat, lon float64 }
	centres := make([]pt, towns)
	for i := range centres {
		centres[i] = pt{lat0 + rng.Float64()*1.5, lon0 + rng.Float64()*1.7}
	}
	first := len(r.Areas)
	for a := 0; a < s.Areas; a++ {
		c := centres[rng.IntN(towns)]
		spread := 0.08 + 0.5*rng.Float64()
		pop := math.Exp(8.5 + 1.2*rng.NormFloat64())
		urban := spread < 0.15 && pop > 20000
		dep := rng.Float64()
		r.Areas = append(r.Areas, gst.Area{ID: gst.AreaID(fmt.Sprintf("r%02d-a%03d", g, a)), Name: fmt.Sprintf("Commune %d-%d", g, a),
			Province: gst.ProvinceID(fmt.Sprintf("r%02d-p%d", g, a%5)), Lat: c.lat + spread*rng.NormFloat64()*0.4, Lon: c.lon + spread*rng.NormFloat64()*0.4,
			Population: math.Round(pop), Year: 2024, Urban: urban, Deprivation: &dep})
	}
	areas := r.Areas[first:]
	order := make([]int, len(areas))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return areas[order[i]].Population > areas[order[j]].Population })
	for h := 0; h < s.Hospitals; h++ {
		a := areas[order[h%len(order)]]
		r.Establishments = append(r.Establishments, hospital(rng, s, g, h, a))
	}
	for c := 0; c < s.Centres; c++ {
		a := areas[rng.IntN(len(areas))]
		r.Establishments = append(r.Establishments, gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("r%02d-c%03d", g, c)), Name: "Health centre, " + a.Name,
			Level: gst.HealthCentre, Ownership: gst.Public, Province: a.Province, Area: a.ID, Lat: a.Lat + 0.01*rng.NormFloat64(), Lon: a.Lon + 0.01*rng.NormFloat64(),
			Staff: staffOf(rng, s, gst.HealthCentre)})
	}
	for k := 0; k < s.Candidates; k++ {
		a := areas[order[(s.Hospitals+k*3)%len(order)]]
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("r%02d-k%03d", g, k)), Name: "Candidate, " + a.Name, Level: gst.ProvincialHospital,
			Ownership: gst.Public, Province: a.Province, Area: a.ID, Lat: a.Lat, Lon: a.Lon, Candidate: true, OpenCost: 60e6 + 80e6*rng.Float64()}
		for _, d := range serviceDefs[:s.Services] {
			e.Offers = append(e.Offers, gst.Offer{Service: d.svc.ID})
		}
		r.Establishments = append(r.Establishments, e)
	}
}

func hospital(rng *rand.Rand, s Spec, g, h int, a gst.Area) gst.Establishment {
	level := gst.LocalHospital
	switch {
	case h == 0:
		level = gst.UniversityHospital
	case h < 3:
		level = gst.RegionalHospital
	case h < 8:
		level = gst.ProvincialHospital
	}
	e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("r%02d-h%03d", g, h)), Name: "Hospital, " + a.Name, Level: level, Ownership: gst.Public,
		Province: a.Province, Area: a.ID, Lat: a.Lat + 0.005*rng.NormFloat64(), Lon: a.Lon + 0.005*rng.NormFloat64(), Staff: staffOf(rng, s, level)}
	for i, d := range serviceDefs[:s.Services] {
		if level < d.svc.MinLevel || (i > 0 && level < gst.ProvincialHospital) || rng.Float64() < 0.3 {
			continue
		}
		e.Offers = append(e.Offers, gst.Offer{Service: d.svc.ID, Capacity: d.module.Capacity * float64(1+int(level)/3)})
	}
	return e
}

// staffOf draws the staff on roll of an establishment of a level.
func staffOf(rng *rand.Rand, s Spec, level gst.Level) []gst.Staffing {
	scale := map[gst.Level]float64{gst.HealthCentre: 0.15, gst.LocalHospital: 1, gst.ProvincialHospital: 2.5, gst.RegionalHospital: 4, gst.UniversityHospital: 8}[level]
	base := map[gst.CategoryID]float64{"anaesthetist": 1.5, "nurse": 20, "obgyn": 2, "midwife": 8, "nephrologist": 0.6, "intensivist": 0.6, "doctor-gp": 4, "technician": 3}
	var out []gst.Staffing
	for _, c := range categories[:s.Categories] {
		if level == gst.HealthCentre && c.ID != "nurse" && c.ID != "midwife" && c.ID != "doctor-gp" {
			continue
		}
		if v := math.Round(base[c.ID] * scale * (0.5 + rng.Float64())); v > 0 {
			out = append(out, gst.Staffing{Category: c.ID, FTE: v})
		}
	}
	return out
}

// problem builds the programme over the region: demand growing by area,
// the services' modules and rules, recruitment and attrition, committed
// staff, budgets per region and year.
func problem(rng *rand.Rand, r *gst.Region, s Spec) (*programme.Problem, error) {
	py := max(s.PeriodYears, 1)
	p := &programme.Problem{Region: r, Pooling: programme.PoolingRules{PerKmMAD: 2.5}, CarryOver: true,
		Objective: programme.Objective{DeprivationWeight: 0.5, DiscountRate: 0.03}}
	for y := 0; y < s.Years; y += py {
		p.Periods = append(p.Periods, programme.Period{Start: 2026 + y, Years: min(py, s.Years-y)})
	}
	growth := make([]float64, len(r.Areas))
	for i := range growth {
		growth[i] = 0.004 + 0.02*rng.Float64()
	}
	for y := 0; y < s.Years; y++ {
		var rows []gst.Demand
		for i, a := range r.Areas {
			for _, d := range serviceDefs[:s.Services] {
				rows = append(rows, gst.Demand{Area: a.ID, Service: d.svc.ID, Volume: a.Population * d.rate / 1000 * math.Pow(1+growth[i], float64(y+2))})
			}
		}
		t, err := gst.NewDemandTable(rows)
		if err != nil {
			return nil, err
		}
		p.Demand = append(p.Demand, programme.YearDemand{Year: 2026 + y, Table: t})
	}
	for _, d := range serviceDefs[:s.Services] {
		p.Services = append(p.Services, keepTeam(d.rule, s))
		p.Modules = append(p.Modules, keepStaff(d.module, s))
	}
	roll := map[gst.CategoryID]float64{}
	for _, e := range r.Establishments {
		for _, st := range e.Staff {
			roll[st.Category] += st.FTE
		}
	}
	for _, c := range categories[:s.Categories] {
		// Training output replaces the leavers and adds up to half as
		// many again, so that the staff committed to other work stays on
		// roll over a decade.
		attr := 0.02 + 0.02*rng.Float64()
		p.Categories = append(p.Categories, programme.CategoryRule{Category: c.ID, AttritionRate: attr,
			RecruitPerYear: math.Ceil(attr * roll[c.ID] * (1 + 0.5*rng.Float64())), RecruitMAD: 30000})
	}
	for i := range r.Establishments {
		e := &r.Establishments[i]
		for _, st := range e.Staff {
			p.Committed = append(p.Committed, programme.Committed{Establishment: e.ID, Category: st.Category, FTE: math.Round(st.FTE * 0.7)})
		}
		staffServices(e, s)
	}
	for y := 0; y < s.Years; y++ {
		p.CapitalBudget = append(p.CapitalBudget, programme.YearMAD{Year: 2026 + y, MAD: float64(s.Regions) * 80e6})
		p.RunningBudget = append(p.RunningBudget, programme.YearMAD{Year: 2026 + y, MAD: float64(s.Regions) * 30e6})
	}
	return p, nil
}

// keepTeam and keepStaff drop the requirements of categories the spec
// leaves out.
// staffServices adds to a hospital's roll the staff its services need
// today (the modules its capacity holds and the service's team), so that
// today's network is staffed: the programme's question is what to add.
func staffServices(e *gst.Establishment, s Spec) {
	add := map[gst.CategoryID]float64{}
	for i, d := range serviceDefs[:s.Services] {
		o, ok := e.Offer(d.svc.ID)
		if !ok || e.Candidate {
			continue
		}
		n := max(1, math.Ceil(o.Capacity/d.module.Capacity-1e-9))
		for _, q := range keep(d.module.Staff, s) {
			add[q.Category] += n * q.FTE
		}
		for _, q := range keep(serviceDefs[i].rule.Team, s) {
			add[q.Category] += q.FTE
		}
	}
	for _, c := range categories[:s.Categories] {
		v := math.Ceil(add[c.ID] - 1e-9)
		if v <= 0 {
			continue
		}
		found := false
		for k := range e.Staff {
			if e.Staff[k].Category == c.ID {
				e.Staff[k].FTE += v
				found = true
			}
		}
		if !found {
			e.Staff = append(e.Staff, gst.Staffing{Category: c.ID, FTE: v})
		}
	}
}

func keepTeam(rule programme.ServiceRule, s Spec) programme.ServiceRule {
	rule.Team = keep(rule.Team, s)
	return rule
}

func keepStaff(m programme.Module, s Spec) programme.Module {
	m.Staff = keep(m.Staff, s)
	return m
}

func keep(reqs []programme.Requirement, s Spec) []programme.Requirement {
	var out []programme.Requirement
	for _, q := range reqs {
		for _, c := range categories[:s.Categories] {
			if c.ID == q.Category {
				out = append(out, q)
			}
		}
	}
	return out
}
