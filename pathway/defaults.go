package pathway

import (
	gst "github.com/gstplan/gst"
)

// Services used by the default pathways. A region that names them
// differently can use Set.RenameServices.
const (
	ServiceAntenatal     gst.ServiceID = "antenatal"
	ServiceDelivery      gst.ServiceID = "delivery"
	ServiceCaesarean     gst.ServiceID = "caesarean"
	ServiceEmergency     gst.ServiceID = "emergency"
	ServiceIntensiveCare gst.ServiceID = "intensive-care"
	ServiceTraumaSurgery gst.ServiceID = "trauma-surgery"
	ServiceDiabetesCare  gst.ServiceID = "diabetes-followup"
	ServiceEndocrinology gst.ServiceID = "endocrinology"
	ServiceNephrology    gst.ServiceID = "nephrology"
	ServiceHaemodialysis gst.ServiceID = "dialysis"
	ServiceOncology      gst.ServiceID = "oncology"
	ServiceChemotherapy  gst.ServiceID = "chemotherapy"
	ServiceRadiotherapy  gst.ServiceID = "radiotherapy"
	ServiceChildHealth   gst.ServiceID = "child-health"
	ServicePaediatrics   gst.ServiceID = "paediatrics"
	ServiceNeonatology   gst.ServiceID = "neonatology"
)

// The default pathways.
const (
	Maternal  PathwayID = "maternal"
	Emergency PathwayID = "emergency"
	Trauma    PathwayID = "trauma"
	Diabetes  PathwayID = "diabetes"
	Dialysis  PathwayID = "dialysis"
	Cancer    PathwayID = "cancer"
	Child     PathwayID = "child"
)

// Figures behind the default pathways. Each says where it comes from; a
// figure marked "planning assumption" is an illustrative value chosen for
// this library, not an official norm: replace it with the ministry's or the
// GST's own figure when one exists.
const (
	// BirthsPer1000 is Morocco's crude birth rate, about 17 births per
	// 1,000 people a year: 16.8 in 2024 in the national statistical
	// series (as compiled by Helgi Library) and 17.58 in the CIA World
	// Factbook 2021 estimate (as reproduced by Index Mundi).
	BirthsPer1000 = 17.0

	// AntenatalContacts is the WHO minimum of eight antenatal contacts per
	// pregnancy (WHO recommendations on antenatal care for a positive
	// pregnancy experience, 2016).
	AntenatalContacts = 8.0

	// CaesareanRate is the upper end of the 10–15% population caesarean
	// rate long used as a reference (WHO Statement on Caesarean Section
	// Rates, 2015, which finds rates above about 10% no longer associated
	// with lower maternal and newborn mortality and recommends no target
	// rate). Morocco's observed rate may differ; set the local one.
	CaesareanRate = 0.15

	// EmergencyVisitsPer1000 is about 163: more than six million
	// emergency consultations in public emergency services in 2024 (the
	// Minister of Health and Social Protection before the House of
	// Councillors, reported by lenew.ma) for 36,828,330 inhabitants
	// (RGPH 2024).
	EmergencyVisitsPer1000 = 163.0

	// RoadInjuriesPer1000 is about 3.66: 128,249 people injured in road
	// crashes in Morocco in 2018 (Ministry of Equipment and Transport
	// figures, reported by Morocco World News, February 2020) for about
	// 35.0 million people (interpolated between the RGPH 2014 and 2024
	// censuses: 33,848,242 and 36,828,330).
	RoadInjuriesPer1000 = 3.66

	// SevereInjuryShare is 8,725 severely injured among the 128,249
	// injured of 2018 (same source), about 0.068.
	SevereInjuryShare = 8725.0 / 128249.0

	// DiagnosedDiabetesPer1000 is about 37: more than 2.7 million adults
	// live with diabetes and almost half do not know it (Ministry of
	// Health and Social Protection, World Diabetes Day statement reported
	// by APA), so about 1.35 million diagnosed people for 36.8 million
	// inhabitants. The STEPS 2017 survey found 7.3% of adults diagnosed,
	// which would give a higher figure.
	DiagnosedDiabetesPer1000 = 37.0

	// KidneyFailurePer1000 is about 1.0: more than 38,000 people with
	// end-stage kidney failure treated by haemodialysis, peritoneal
	// dialysis or transplant (Ministry of Health and Social Protection,
	// reported by Hibapress) for 36.8 million inhabitants.
	KidneyFailurePer1000 = 1.0

	// HaemodialysisSessionsPerYear is three sessions a week, the usual
	// schedule (about four hours each), over 52 weeks.
	HaemodialysisSessionsPerYear = 3 * 52.0

	// CancerCasesPer1000 is the overall cancer incidence of 116 per
	// 100,000 (more than 50,000 new cases a year) published by the
	// Moroccan association of cancer registries (AMRC) in 2023, reported
	// by Le360 and L'Observateur.
	CancerCasesPer1000 = 1.16

	// ImmunisationCoverage is the national vaccination coverage, above
	// 95% (Ministry of Health, World Immunization Week 2021 statement).
	ImmunisationCoverage = 0.95
)

// Planning assumptions of the default pathways: illustrative values, not
// official norms.
const (
	assumption = "planning assumption"
	// DefaultPrimaryStandardMinutes is the access standard assumed for
	// primary-care steps (planning assumption).
	DefaultPrimaryStandardMinutes = 30.0
	// DefaultHospitalStandardMinutes is the access standard assumed for
	// first-line hospital steps: delivery, emergency, dialysis (planning
	// assumption).
	DefaultHospitalStandardMinutes = 60.0
	// DefaultReferralStandardMinutes is the access standard assumed for
	// referral steps at provincial, regional and university hospitals
	// (planning assumption).
	DefaultReferralStandardMinutes = 120.0
)

// Defaults returns a fresh copy of the default pathways: maternal care,
// emergency, trauma, diabetes, dialysis, cancer and child health. Every
// incidence and probability carries its source in the Source fields, and
// every figure without a published source is labelled a planning
// assumption. The baseline telemedicine share of every step is zero
// (telemedicine assumed absent from routine care); WhatIfTelemedicine
// raises it. All incidences are per 1,000 people of the whole population,
// so the defaults need no population segment.
func Defaults() *Set {
	return &Set{Pathways: []Pathway{
		{
			ID: Maternal, Name: "Maternal care",
			IncidencePer1000: BirthsPer1000,
			Source:           "an episode is a pregnancy ending in a birth; crude birth rate about 17 per 1,000 (national series 16.8 in 2024; CIA World Factbook 17.58, 2021 est.)",
			Steps: []Step{
				{ID: "antenatal", Name: "Antenatal contacts", Service: ServiceAntenatal, Level: gst.HealthCentre,
					Probability: 1, VisitsPerEpisode: AntenatalContacts, StandardMinutes: DefaultPrimaryStandardMinutes,
					Source: "every pregnancy (planning norm); 8 contacts: WHO ANC recommendations 2016; standard: " + assumption},
				{ID: "delivery", Name: "Delivery", Service: ServiceDelivery, Level: gst.HealthCentre,
					Probability: 1, VisitsPerEpisode: 1, StandardMinutes: DefaultHospitalStandardMinutes,
					Source: "every birth in a facility (planning norm); standard: " + assumption},
				{ID: "caesarean", Name: "Caesarean section", Parent: "delivery", Service: ServiceCaesarean, Level: gst.LocalHospital,
					Probability: CaesareanRate, VisitsPerEpisode: 1, StandardMinutes: DefaultReferralStandardMinutes,
					Source: "15% of deliveries: upper end of the 10–15% reference, WHO statement on caesarean section rates 2015; level and standard: " + assumption},
			},
		},
		{
			ID: Emergency, Name: "Emergency care",
			IncidencePer1000: EmergencyVisitsPer1000,
			Source:           "an episode is an emergency consultation; more than 6 million in public emergency services in 2024 (Ministry of Health and Social Protection) for 36.8 million people (RGPH 2024)",
			Steps: []Step{
				{ID: "emergency", Name: "Emergency department", Service: ServiceEmergency, Level: gst.LocalHospital,
					Probability: 1, VisitsPerEpisode: 1, StandardMinutes: DefaultHospitalStandardMinutes,
					Source: "basic emergency units sit in local and provincial hospitals (Ministry of Health and Social Protection); standard: " + assumption},
				{ID: "intensive-care", Name: "Intensive care referral", Parent: "emergency", Service: ServiceIntensiveCare, Level: gst.RegionalHospital,
					Probability: 0.02, VisitsPerEpisode: 1, StandardMinutes: DefaultReferralStandardMinutes,
					Source: "2% of emergencies referred to intensive care: " + assumption},
			},
		},
		{
			ID: Trauma, Name: "Road trauma",
			IncidencePer1000: RoadInjuriesPer1000,
			Source:           "an episode is a road-crash injury; 128,249 injured in 2018 (Ministry of Equipment and Transport, reported by Morocco World News) for about 35.0 million people",
			Steps: []Step{
				{ID: "emergency", Name: "Emergency department", Service: ServiceEmergency, Level: gst.LocalHospital,
					Probability: 1, VisitsPerEpisode: 1, StandardMinutes: DefaultHospitalStandardMinutes,
					Source: "every injured person is seen in emergency: " + assumption},
				{ID: "trauma-surgery", Name: "Trauma surgery", Parent: "emergency", Service: ServiceTraumaSurgery, Level: gst.RegionalHospital,
					Probability: SevereInjuryShare, VisitsPerEpisode: 1, StandardMinutes: DefaultReferralStandardMinutes,
					Source: "share severely injured: 8,725 of 128,249 in 2018 (same source); level and standard: " + assumption},
			},
		},
		{
			ID: Diabetes, Name: "Diabetes follow-up",
			IncidencePer1000: DiagnosedDiabetesPer1000,
			Source:           "an episode is a year of care for a person with diagnosed diabetes; 2.7 million adults with diabetes, about half diagnosed (Ministry of Health and Social Protection), for 36.8 million people",
			Steps: []Step{
				{ID: "follow-up", Name: "Primary-care follow-up", Service: ServiceDiabetesCare, Level: gst.HealthCentre,
					Probability: 1, VisitsPerEpisode: 4, StandardMinutes: DefaultPrimaryStandardMinutes,
					Source: "quarterly review, 4 visits a year: " + assumption},
				{ID: "specialist", Name: "Specialist review", Parent: "follow-up", Service: ServiceEndocrinology, Level: gst.ProvincialHospital,
					Probability: 0.2, VisitsPerEpisode: 1, StandardMinutes: DefaultReferralStandardMinutes,
					Source: "20% referred once a year: " + assumption},
			},
		},
		{
			ID: Dialysis, Name: "Kidney failure and dialysis",
			IncidencePer1000: KidneyFailurePer1000,
			Source:           "an episode is a year of care for a person with end-stage kidney failure; more than 38,000 treated (Ministry of Health and Social Protection, reported by Hibapress) for 36.8 million people",
			Steps: []Step{
				{ID: "nephrology", Name: "Nephrology follow-up", Service: ServiceNephrology, Level: gst.ProvincialHospital,
					Probability: 1, VisitsPerEpisode: 4, StandardMinutes: DefaultReferralStandardMinutes,
					Source: "4 visits a year: " + assumption},
				{ID: "haemodialysis", Name: "Haemodialysis", Service: ServiceHaemodialysis, Level: gst.LocalHospital,
					Probability: 0.9, VisitsPerEpisode: HaemodialysisSessionsPerYear, StandardMinutes: DefaultHospitalStandardMinutes,
					Source: "90% on haemodialysis (the rest peritoneal dialysis or transplant): " + assumption + "; 3 sessions a week over 52 weeks"},
			},
		},
		{
			ID: Cancer, Name: "Cancer care",
			IncidencePer1000: CancerCasesPer1000,
			Source:           "an episode is a new cancer case; incidence 116 per 100,000 (Moroccan association of cancer registries, 2023)",
			Steps: []Step{
				{ID: "oncology", Name: "Diagnosis and oncology follow-up", Service: ServiceOncology, Level: gst.RegionalHospital,
					Probability: 1, VisitsPerEpisode: 4, StandardMinutes: DefaultReferralStandardMinutes,
					Source: "4 consultations in the first year: " + assumption},
				{ID: "chemotherapy", Name: "Chemotherapy", Parent: "oncology", Service: ServiceChemotherapy, Level: gst.RegionalHospital,
					Probability: 0.6, VisitsPerEpisode: 6, StandardMinutes: DefaultReferralStandardMinutes,
					Source: "60% treated, 6 cycles: " + assumption},
				{ID: "radiotherapy", Name: "Radiotherapy", Parent: "oncology", Service: ServiceRadiotherapy, Level: gst.UniversityHospital,
					Probability: 0.5, VisitsPerEpisode: 25, StandardMinutes: DefaultReferralStandardMinutes,
					Source: "50% treated, 25 daily fractions, at university-hospital oncology centres: " + assumption},
			},
		},
		{
			ID: Child, Name: "Child health in the first year",
			IncidencePer1000: BirthsPer1000,
			Source:           "an episode is a child's first year of life; births as for maternal care (crude birth rate about 17 per 1,000)",
			Steps: []Step{
				{ID: "well-child", Name: "Immunisation and growth monitoring", Service: ServiceChildHealth, Level: gst.HealthCentre,
					Probability: ImmunisationCoverage, VisitsPerEpisode: 6, StandardMinutes: DefaultPrimaryStandardMinutes,
					Source: "coverage above 95% (Ministry of Health, 2021); 6 contacts in the first year: " + assumption},
				{ID: "paediatrics", Name: "Paediatric consultation", Parent: "well-child", Service: ServicePaediatrics, Level: gst.ProvincialHospital,
					Probability: 0.1, VisitsPerEpisode: 1, StandardMinutes: DefaultReferralStandardMinutes,
					Source: "10% referred: " + assumption},
				{ID: "neonatology", Name: "Neonatal intensive care", Service: ServiceNeonatology, Level: gst.RegionalHospital,
					Probability: 0.03, VisitsPerEpisode: 1, StandardMinutes: DefaultReferralStandardMinutes,
					Source: "3% of newborns: " + assumption},
			},
		},
	}}
}

// DefaultServices returns the services the default pathways use, with
// their unit, the lowest level that may offer them (the level of the
// default step that uses them) and their access standard, ready to add to
// a region's Services. Standards are planning assumptions.
func DefaultServices() []gst.Service {
	type def struct {
		id    gst.ServiceID
		name  string
		unit  string
		level gst.Level
		std   float64
	}
	defs := []def{
		{ServiceAntenatal, "Antenatal care", "contact", gst.HealthCentre, DefaultPrimaryStandardMinutes},
		{ServiceDelivery, "Delivery", "delivery", gst.HealthCentre, DefaultHospitalStandardMinutes},
		{ServiceCaesarean, "Caesarean section", "operation", gst.LocalHospital, DefaultReferralStandardMinutes},
		{ServiceEmergency, "Emergency department", "visit", gst.LocalHospital, DefaultHospitalStandardMinutes},
		{ServiceIntensiveCare, "Intensive care", "admission", gst.RegionalHospital, DefaultReferralStandardMinutes},
		{ServiceTraumaSurgery, "Trauma surgery", "admission", gst.RegionalHospital, DefaultReferralStandardMinutes},
		{ServiceDiabetesCare, "Diabetes follow-up", "visit", gst.HealthCentre, DefaultPrimaryStandardMinutes},
		{ServiceEndocrinology, "Endocrinology", "consultation", gst.ProvincialHospital, DefaultReferralStandardMinutes},
		{ServiceNephrology, "Nephrology", "consultation", gst.ProvincialHospital, DefaultReferralStandardMinutes},
		{ServiceHaemodialysis, "Haemodialysis", "session", gst.LocalHospital, DefaultHospitalStandardMinutes},
		{ServiceOncology, "Oncology", "consultation", gst.RegionalHospital, DefaultReferralStandardMinutes},
		{ServiceChemotherapy, "Chemotherapy", "cycle", gst.RegionalHospital, DefaultReferralStandardMinutes},
		{ServiceRadiotherapy, "Radiotherapy", "fraction", gst.UniversityHospital, DefaultReferralStandardMinutes},
		{ServiceChildHealth, "Child health", "contact", gst.HealthCentre, DefaultPrimaryStandardMinutes},
		{ServicePaediatrics, "Paediatrics", "consultation", gst.ProvincialHospital, DefaultReferralStandardMinutes},
		{ServiceNeonatology, "Neonatal intensive care", "admission", gst.RegionalHospital, DefaultReferralStandardMinutes},
	}
	out := make([]gst.Service, len(defs))
	for i, d := range defs {
		out[i] = gst.Service{ID: d.id, Name: d.name, Unit: d.unit, MinLevel: d.level, StandardMinutes: d.std}
	}
	return out
}
