package main

import "github.com/gstplan/gst"

// Public figures the generation rules use, each with its source, and the
// assumptions that fill the gaps, each labelled as one. The README lists
// them all (see sources and assumptions below); change a number here and
// the README follows when it is regenerated.

// nationalPop2024 is Morocco's legal population at the RGPH 2024 census.
const nationalPop2024 = 36828330 // [S1]

// Age structure (RGPH 2024), shares of the whole population.
const (
	shareUnder15 = 0.265 // [S1]
	share15to59  = 0.597 // [S1]
	share60plus  = 0.138 // [S1]
	// Total fertility rates (children per woman), RGPH 2024.
	tfrUrban = 1.77 // [S2]
	tfrRural = 2.37 // [S2]
	// shareWomen is the share of women in the population.
	shareWomen = 0.503 // [S3]
	// shareWomen15to49OfWomen is the share of women aged 15-49 among
	// all women: an assumption (no sourced figure found), about half.
	shareWomen15to49OfWomen = 0.50 // [A1]
	// reproductiveYears spreads the total fertility rate over the 35
	// years from 15 to 49 to turn it into births per woman per year.
	reproductiveYears = 35.0
)

// Health coverage (end of 2024 / early 2025), counts of people.
const (
	tadamonBeneficiaries = 11.1e6  // AMO-Tadamon beneficiaries [S4]
	openRightsAll        = 25.62e6 // AMO beneficiaries with open rights, all schemes, 2024 [S5]
	foreignResidents2024 = 148152  // foreign residents, RGPH 2024 [S6]
	foreignUrbanShare    = 0.952   // share of foreign residents living in urban areas (RGPH 2014) [S7]
)

// foreignRegionShare is each pilot region's share of Morocco's foreign
// residents at the RGPH 2014 (the 2024 regional split of the two pilot
// regions was not found) [S7].
var foreignRegionShare = map[string]float64{"01": 0.085, "03": 0.066}

// Public-sector health workforce, Santé en chiffres 2022 (Ministry of
// Health and Social Protection) [S8].
const (
	publicGPs         = 3569
	publicSpecialists = 10193
	publicNurses      = 16221 // infirmiers polyvalents
	publicMidwives    = 6216
	// inhabitantsPerESSP is the number of inhabitants per primary
	// health-care establishment, Santé en chiffres 2023 [S9].
	inhabitantsPerESSP = 12300
	// inhabitantsPerPublicBed is the number of inhabitants per public
	// hospital bed, Santé en chiffres 2023 [S9].
	inhabitantsPerPublicBed = 1364
)

// Assumed split of specialists by cadre [A2] and density of anaesthesia
// technicians [A3].
const (
	shareObGyn          = 0.10
	shareAnaesthetist   = 0.07
	shareSurgeon        = 0.12
	anaesthTechPer1000  = 0.04
	shareGPsInESSP      = 0.70 // [A4]
	shareNursesInESSP   = 0.35 // [A4]
	shareMidwivesInESSP = 0.40 // [A4]
)

// Working time and costs.
const (
	// hoursPerYear: public administrations work Monday to Friday, 8:30 to
	// 16:30 with a 30-minute break (Décret 2-05-916 of 2005), 37.5 hours a
	// week, times 52 weeks [S10].
	hoursPerYear = 37.5 * 52
	// onCost turns a net monthly salary into the employer's annual cost
	// (twelve months, gross-up and employer contributions): an
	// assumption [A5].
	onCost = 12 * 1.4
	// Net monthly salaries (MAD): doctors from January 2023, first grade
	// 12,803 and principal grade 16,255, exceptional grade 18,873 [S11];
	// average net salary at the Ministry of Health, 9,250 in 2023 [S12].
	netGP         = (12803 + 16255) / 2.0
	netSpecialist = 18873
	netParamed    = 9250
)

// Beds of hospitals with no sourced figure [A6], and the capacity of a
// proximity hospital, 45 beds [S13].
const (
	bedsRegional       = 400
	bedsProvincialMin  = 100
	bedsProvincialMax  = 300
	peoplePerProvBed   = 2500
	bedsLocal          = 45 // [S13]
	bedsOncologyCentre = 40
	bedsPsychiatry     = 60
	bedsPrivateHosp    = 80
	bedsPrivateClinic  = 30
	bedsESSPDelivery   = 4
)

// Candidate local hospitals: opening cost of a 45-bed proximity hospital,
// 111 million dirhams (Imintanout, 2024) [S13]; a rural commune qualifies
// when it has at least candidateMinPop people and its centroid is at least
// candidateMinKm from the nearest public hospital offering caesarean
// sections; at most candidatesPerProvince per province [A7].
const (
	candidateOpenCost     = 111e6
	candidateMinPop       = 15000
	candidateMinKm        = 20.0
	candidatesPerProvince = 3
)

// Capacity rules [A8]: bed shares by service in general hospitals,
// occupancy, average lengths of stay (days), emergency visits per bed,
// dialysis stations and sessions, oncology sessions, and outpatient
// visits per FTE per year.
const (
	occupancy          = 0.75
	shareBedsMedicine  = 0.50
	shareBedsSurgery   = 0.25
	shareBedsMaternity = 0.15
	shareBedsCaesarean = 0.05
	alosMedicine       = 5.0
	alosSurgery        = 4.0
	alosDelivery       = 2.0
	alosCaesarean      = 4.0
	alosPsychiatry     = 20.0
	emergencyPerBed    = 150.0
	sessionsPerStation = 2 * 6 * 52 // two shifts, six days a week
	stationsCHU        = 20
	stationsRegional   = 15
	stationsProvincial = 10
	stationsCentre     = 20
	oncologyCHU        = 15000
	oncologyRegional   = 15000
	oncologyProvincial = 5000
	chemoRegional      = 8000
	chemoProvincial    = 3000
	radioRegional      = 20000
	redCrescentVisits  = 5000
	// Outpatient visits per FTE per year.
	visitsGP         = 5000 // consultation
	visitsNurse      = 1200 // nurse-led consultation
	diabetesGP       = 800
	diabetesNurse    = 300
	antenatalMidwife = 1200
	antenatalNurse   = 300
	childHealthNurse = 1500
	closableBelowPop = 5000
)

// specialisedCapacity is the yearly capacity of the specialised services of
// public general hospitals by level [A14].
var specialisedCapacity = []struct {
	svc     gst.ServiceID
	byLevel map[gst.Level]float64
}{
	{svcIntensiveCare, map[gst.Level]float64{gst.UniversityHospital: 2000, gst.RegionalHospital: 800, gst.ProvincialHospital: 400}},
	{svcTraumaSurgery, map[gst.Level]float64{gst.UniversityHospital: 2500, gst.RegionalHospital: 1200}},
	{svcEndocrinology, map[gst.Level]float64{gst.UniversityHospital: 8000, gst.RegionalHospital: 5000, gst.ProvincialHospital: 2500}},
	{svcNephrology, map[gst.Level]float64{gst.UniversityHospital: 6000, gst.RegionalHospital: 4000, gst.ProvincialHospital: 2000}},
	{svcChemotherapy, map[gst.Level]float64{gst.UniversityHospital: 8000}},
	{svcRadiotherapy, map[gst.Level]float64{gst.UniversityHospital: 20000}},
	{svcPaediatrics, map[gst.Level]float64{gst.UniversityHospital: 15000, gst.RegionalHospital: 10000, gst.ProvincialHospital: 6000}},
	{svcNeonatology, map[gst.Level]float64{gst.UniversityHospital: 1500, gst.RegionalHospital: 800}},
}

// Published regional bed counts of public hospitals, 2021 (HCP Annuaire
// statistique 2022) [S14], for the sanity comparison in the README.
var publishedBeds2021 = map[string]float64{"01": 2154, "03": 3346}

// bedsSince2021 says what changed in each region after the published
// bed count.
var bedsSince2021 = map[string]string{
	"01": "since then the CHU of Tanger (797 beds, 2023) [S15] and the CHP Mohammed VI of Al Hoceima (250 beds, 2024) [S17] opened",
	"03": "OpenStreetMap has more hospital points here than the official count: unnamed points and hospitals of unknown status are kept as public local hospitals of 45 beds [A12]",
}

// Published counts of public hospitals by region, 2021 [S14].
var publishedHospitals2021 = map[string]int{"01": 20, "03": 21}

// source is a public figure's origin, listed in the README.
type source struct {
	ID    string
	What  string
	Where string
}

// sources lists every public source a rule uses.
var sources = []source{
	{"S1", "RGPH 2024: legal population 36,828,330; under 15 years 26.5%, 15-59 years 59.7%, 60 and over 13.8%", "HCP, RGPH 2024 detailed results (17 Dec 2024), as reported by Libération (m.libe.ma, 19 Dec 2024) and La Vie éco (maghress.com/fr/lavieeco/386346)"},
	{"S2", "RGPH 2024 total fertility: 1.97 overall, 1.77 urban, 2.37 rural", "HCP RGPH 2024, reported by LNT (lnt.ma, Dec 2024)"},
	{"S3", "Women are 50.3% of the population", "HCP, La femme marocaine en chiffres, reported by Aujourd'hui le Maroc"},
	{"S4", "AMO-Tadamon (formerly RAMED): 11.1 million beneficiaries", "Government spokesman, press briefing (aujourdhui.ma and lematin.ma, early 2025)"},
	{"S5", "AMO beneficiaries with open rights: 25.62 million in 2024; 31.94 million registered", "Cour des comptes, annual report 2024-2025, reported by Le360 (31 Jan 2026)"},
	{"S6", "Foreign residents: 148,152 at the RGPH 2024 (0.4% of the population)", "HCP RGPH 2024, reported by La Vie éco and Le Matin"},
	{"S7", "Foreign residents at the RGPH 2014: 95.2% urban; Tanger-Tétouan-Al Hoceima 8.5% and Fès-Meknès 6.6% of them", "HCP note for International Migrants Day (Dec 2017), reported by Le Site Info and Aujourd'hui le Maroc"},
	{"S8", "Public sector 2022: 3,569 general practitioners, 10,193 specialists, 16,221 polyvalent nurses, 6,216 midwives", "Ministry of Health and Social Protection, Santé en chiffres 2022, reported by Aujourd'hui le Maroc (aujourdhui.ma/societe/le-maroc-compte-un-medecin-pour-1-312-habitants)"},
	{"S9", "2023: 12,300 inhabitants per primary health-care establishment (ESSP); 1,364 inhabitants per public hospital bed; 2,588 inhabitants per public doctor", "Ministry of Health and Social Protection, Santé en chiffres 2023, reported by Aujourd'hui le Maroc"},
	{"S10", "Public administrations work Monday to Friday 8:30-16:30 with a 30-minute break", "Décret n° 2-05-916 du 20 juillet 2005 (bdj.mmsp.gov.ma)"},
	{"S11", "Doctors' net monthly salary from January 2023: 12,803 (first grade), 16,255 (principal), 18,873 (exceptional), 22,400 MAD (hors grade)", "Décret 2-22-682, reported by Le360 (Sept 2022)"},
	{"S12", "Average net monthly salary at the Ministry of Health: 9,250 MAD (2023)", "Rapport sur les ressources humaines, PLF 2024, reported by Libération (Oct 2023)"},
	{"S13", "Proximity hospital of Imintanout: 45 beds (2 operating rooms, maternity, emergency), cost 111 million MAD", "Le360 (Jan 2024); Al Bayane (2016)"},
	{"S14", "Public hospitals 2021: 165 nationally, Fès-Meknès 21 (8 in Fès, 5 in Meknès), Tanger-Tétouan-Al Hoceima 20; public beds: Fès-Meknès 3,346, Tanger-Tétouan-Al Hoceima 2,154", "HCP, Annuaire statistique du Maroc 2022, reported by Aujourd'hui le Maroc (13 Jan 2023)"},
	{"S15", "CHU Mohammed VI de Tanger: 797 beds, opened 2023", "Yabiladi and Aujourd'hui le Maroc (inauguration report)"},
	{"S16", "CHU Hassan II de Fès: 880 beds; Al Ghassani hospital 398 beds, to become the provincial hospital centre (CHP) of Fès; Ibn Al Khatib 392 beds; Ibn Al Baytar 60 beds", "Libération (31 Jan 2009); Al Massae (maghress.com/almassae/18141)"},
	{"S17", "Centre hospitalier provincial Mohammed VI, Al Hoceima: 250 beds, opened July 2024; services moved there from the Mohammed V hospital", "AllAfrica/MAP (13 Jul 2024); mre.news"},
	{"S18", "Centre hospitalier provincial Saniat Rmel, Tétouan: about 330 beds", "Le Site Info and Walaw (25 Sept 2025)"},
	{"S19", "Centre hospitalier régional Mohammed V, Tanger", "Les Eco / Infomédiaire (April 2019)"},
	{"S20", "The regional hospital centre of Meknès (called \"CHU régional de Meknès\" by the source), whose main hospital is Mohammed V", "Le Site Info (Feb 2020); Aujourd'hui le Maroc (renovation of the Hôpital Mohammed V de Meknès)"},
	{"S21", "Centre régional d'oncologie beside the CHU of Tanger", "Yabiladi (CHU Mohammed VI inauguration report)"},
	{"S22", "Two-hour access to a facility that can perform caesarean section, laparotomy and treatment of open fracture (bellwether procedures), target 80% coverage by 2030", "Meara et al., Global Surgery 2030, The Lancet Commission on Global Surgery, Lancet 386:569-624 (2015)"},
	{"S23", "Labour Code: 44 hours a week, 2,288 hours a year, for non-agricultural private employers", "Les Echos (maghress.com/fr/lesechos/151533)"},
}

// assumption is a number chosen where no public figure was found.
type assumption struct {
	ID   string
	What string
}

var assumptions = []assumption{
	{"A1", "Women aged 15-49 are half of all women (so 25.15% of the population)."},
	{"A2", "Specialists by cadre: obstetrician-gynaecologists 10%, anaesthetists 7%, surgeons 12%, other specialists 71%."},
	{"A3", "Anaesthesia technicians: 0.04 per 1,000 inhabitants."},
	{"A4", "Share of each cadre working in primary care (ESSP): general practitioners 70%, nurses 35%, midwives 40%; the rest in hospitals."},
	{"A5", "Employer's annual cost of one FTE = 12 × net monthly salary × 1.4 (gross-up and employer contributions)."},
	{"A6", "Beds where no figure was found: regional hospital 400; provincial hospital 1 per 2,500 inhabitants of the province divided by its number of provincial hospitals, between 100 and 300; oncology centre 40; psychiatric hospital 60; private hospital 80; private clinic 30; health centre with a delivery unit 4."},
	{"A7", "Candidate local hospitals: rural communes of at least 15,000 people whose centroid is at least 20 km from the nearest public hospital offering caesarean sections, at most 3 per province, largest first."},
	{"A8", "Capacity: bed occupancy 75%; general-hospital beds 50% medicine, 25% surgery, 15% maternity (normal deliveries), 5% caesarean; average stays 5 (medicine), 4 (surgery), 2 (delivery), 4 (caesarean), 20 (psychiatry) days; 150 emergency visits per bed a year; dialysis 624 sessions per station a year (two shifts, six days), 20 stations in a CHU or a dialysis centre, 15 in a regional and 10 in a provincial hospital; oncology 15,000 consultations a year at a CHU or regional centre, 5,000 at a provincial centre; outpatient visits per FTE a year: GP 5,000 consultations + 800 diabetes follow-ups, nurse 1,200 consultations + 300 diabetes follow-ups + 1,500 child-health visits (+ 300 antenatal visits where there is no midwife), midwife 1,200 antenatal visits; Red Crescent dispensary 5,000 visits."},
	{"A9", "Access standards of 30 minutes for primary care, 60 minutes for delivery, emergency and dialysis, 180 minutes for oncology: planning choices, not sourced norms. Specialised referral services have none in the data (a pathway sets its own)."},
	{"A10", "Coverage segments apply the national shares to every commune alike (no commune-level figure is public); migrants (foreign residents) are placed 95.2% in urban communes."},
	{"A11", "Foreign residents of the ten regions other than the pilots (whose 2014 shares are published [S7]): the rest of the country's foreign residents, spread in proportion to population."},
	{"A12", "OSM establishments whose status is unknown: a point tagged hospital with no private marker in its name is a public local hospital; a point tagged clinic is private; dialysis centres are private."},
	{"A13", "The first health centre of a rural commune of at least 10,000 people without a hospital has a delivery unit (a maison d'accouchement)."},
	{"A14", "Specialised services of public general hospitals, yearly capacity by level (CHU / regional / provincial): intensive care 2,000 / 800 / 400 admissions; trauma surgery 2,500 / 1,200 / none; endocrinology 8,000 / 5,000 / 2,500 and nephrology 6,000 / 4,000 / 2,000 consultations; paediatrics 15,000 / 10,000 / 6,000 consultations; neonatal intensive care 1,500 / 800 / none admissions; chemotherapy 8,000 cycles and radiotherapy 20,000 fractions at a CHU; an oncology centre gives 15,000 consultations, 8,000 chemotherapy cycles and 20,000 radiotherapy fractions (regional) or 5,000 consultations and 3,000 cycles (provincial)."},
}
