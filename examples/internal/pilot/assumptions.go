package pilot

import (
	"fmt"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/capacity"
	"github.com/gstplan/gst/pathway"
)

// Figures the pipeline uses. Each documented rate says whether it is sourced
// or a planning assumption, and the report prints that label beside it.

// Births per 1,000 people: the crude birth rate of the pathway package (17
// per 1,000, sourced there), the same figure its maternal pathway uses, so
// that the births, caesareans and antenatal visits of the demand table are
// those of the pathway figures (one model of births, not two that
// disagree). Urban and rural fertility differ (RGPH 2024: 1.77 and 2.37
// children per woman, examples/data/README.md [S2]); neither table models
// it.
func birthsPer1000(bool) float64 { return pathway.BirthsPer1000 }

// Rate is a utilisation rate with its basis and its label.
type Rate struct {
	capacity.Rate
	// Basis says how the figure is made.
	Basis string `json:"basis"`
	// Assumption is true for a planning assumption (no published figure).
	Assumption bool `json:"assumption"`
}

// Label returns "sourced" or "planning assumption".
func (r Rate) Label() string {
	if r.Assumption {
		return "planning assumption"
	}
	return "sourced"
}

// Rates returns the utilisation rates of the demand step, per 1,000 people a
// year. Services the region does not have are left out, so the rates fit any
// region in the documented format.
func Rates(r *gst.Region) []Rate {
	src := fmt.Sprintf("crude birth rate %.0f per 1,000 (pathway package, as its maternal pathway)", pathway.BirthsPer1000)
	srcR := src
	var out []Rate
	add := func(s gst.ServiceID, seg string, set capacity.Setting, v float64, basis string, assumption bool) {
		if _, ok := r.Service(s); !ok {
			return
		}
		out = append(out, Rate{Rate: capacity.Rate{Service: s, Segment: seg, Setting: set, PerThousand: v}, Basis: basis, Assumption: assumption})
	}
	// Primary-care consultations by health coverage: illustrative levels
	// that let the report show how coverage shapes demand; no
	// commune-level or scheme-level utilisation figure is public.
	add("consultation", "", capacity.AnySetting, 650, "people with no coverage segment", true)
	add("consultation", "coverage/amo", capacity.AnySetting, 800, "AMO (contributory) members", true)
	add("consultation", "coverage/tadamon", capacity.AnySetting, 700, "AMO-Tadamon members", true)
	add("consultation", "coverage/uninsured", capacity.AnySetting, 450, "people without open rights", true)
	add("consultation", "coverage/migrant", capacity.AnySetting, 450, "foreign residents", true)
	for _, urban := range []bool{true, false} {
		set, basis := capacity.RuralOnly, srcR
		if urban {
			set, basis = capacity.UrbanOnly, src
		}
		b := birthsPer1000(urban)
		add("delivery", "", set, b, "births: "+basis, false)
		add("antenatal", "", set, b*pathway.AntenatalContacts, fmt.Sprintf("births × %.0f contacts (WHO 2016 recommendation)", pathway.AntenatalContacts), false)
		add("caesarean", "", set, b*pathway.CaesareanRate, fmt.Sprintf("births × %.0f%% (upper end of the WHO reference range)", 100*pathway.CaesareanRate), false)
		add("child-health", "", set, b*pathway.ImmunisationCoverage*6, fmt.Sprintf("births × %.0f%% immunisation coverage × 6 visits in the first year (visits: planning assumption of the pathway package)", 100*pathway.ImmunisationCoverage), true)
	}
	add("emergency", "", capacity.AnySetting, pathway.EmergencyVisitsPer1000, "6 million public emergency visits in 2024 for 36.8 million people (Ministry of Health)", false)
	add("diabetes-followup", "", capacity.AnySetting, pathway.DiagnosedDiabetesPer1000*4, fmt.Sprintf("%.0f diagnosed people per 1,000 (Ministry of Health) × 4 visits a year (planning assumption)", pathway.DiagnosedDiabetesPer1000), true)
	add("dialysis", "", capacity.AnySetting, pathway.KidneyFailurePer1000*0.9*pathway.HaemodialysisSessionsPerYear, fmt.Sprintf("%.1f person with kidney failure per 1,000 × 90%% on haemodialysis (planning assumption) × %.0f sessions a year", pathway.KidneyFailurePer1000, pathway.HaemodialysisSessionsPerYear), true)
	add("inpatient", "", capacity.AnySetting, 35, "medical admissions (no public figure by region)", true)
	add("surgery", "", capacity.AnySetting, 15, "surgical operations (no public figure by region)", true)
	return out
}

// CapacityRates returns the capacity package's rates of a list.
func CapacityRates(rs []Rate) []capacity.Rate {
	out := make([]capacity.Rate, len(rs))
	for i, r := range rs {
		out[i] = r.Rate
	}
	return out
}

// Stays are the average lengths of stay used for beds: medicine 5,
// surgery 4 and normal delivery 2 days (examples/data/README.md [A8],
// assumptions); a caesarean stay is 4 days [A8], of which 2 are already
// counted with the delivery, so the caesarean row adds 2 more.
func Stays(r *gst.Region) []capacity.Stay {
	var out []capacity.Stay
	for _, s := range []capacity.Stay{
		{Service: "caesarean", ALOSDays: 2},
		{Service: "delivery", ALOSDays: 2},
		{Service: "inpatient", ALOSDays: 5},
		{Service: "surgery", ALOSDays: 4},
	} {
		if _, ok := r.Service(s.Service); ok {
			out = append(out, s)
		}
	}
	return out
}

// WorkingTime is the working year of every cadre: 52 weeks of 5 days
// (public administrations work Monday to Friday, décret 2-05-916, [S10]),
// 7.5 hours a day (8:30–16:30 with a 30-minute break [S10]); 13 public
// holidays falling on working days, 22 days of annual leave, 6 days of sick
// leave and 5 days of training and other leave are planning assumptions.
var WorkingTime = capacity.WorkingTime{WorkingDays: 260, PublicHolidays: 13, AnnualLeave: 22, SickLeave: 6, OtherLeave: 5, HoursPerDay: 7.5}

// Standards returns the WISN standards of the cadres the pipeline assesses
// by workload. Every activity standard and allowance is a planning
// assumption: the WISN method expects them to be set by the GST's own
// expert groups, and these only show the calculation. Cadres and services
// the region lacks are left out.
func Standards(r *gst.Region) []capacity.CategoryStandards {
	type act struct {
		svc     gst.ServiceID
		minutes float64
	}
	def := []struct {
		cat  gst.CategoryID
		acts []act
		cas  float64
	}{
		{"doctor-gp", []act{{"consultation", 12}, {"diabetes-followup", 15}, {"emergency", 20}}, 10},
		{"nurse", []act{{"consultation", 10}, {"child-health", 20}, {"diabetes-followup", 10}, {"emergency", 30}, {"inpatient", 360}, {"surgery", 120}}, 15},
		{"midwife", []act{{"antenatal", 30}, {"delivery", 240}}, 10},
		{"obgyn", []act{{"caesarean", 120}, {"", 30}}, 20},
		{"anaesthetist", []act{{"caesarean", 75}, {"surgery", 90}}, 15},
	}
	var out []capacity.CategoryStandards
	for _, d := range def {
		if _, ok := r.Category(d.cat); !ok {
			continue
		}
		cs := capacity.CategoryStandards{Category: d.cat, Time: WorkingTime,
			Allowances: []capacity.CategoryAllowance{{Activity: "supervision, meetings, records and on-call", Percent: d.cas}}}
		for _, a := range d.acts {
			if a.svc == "" {
				// Given per establishment by Workloads.
				cs.Services = append(cs.Services, capacity.ServiceStandard{Activity: ActivityHospitalDelivery, MinutesPerUnit: a.minutes})
				continue
			}
			if _, ok := r.Service(a.svc); !ok {
				continue
			}
			cs.Services = append(cs.Services, capacity.ServiceStandard{Activity: string(a.svc), Service: a.svc, MinutesPerUnit: a.minutes})
		}
		if len(cs.Services) > 0 {
			out = append(out, cs)
		}
	}
	return out
}

// ActivityHospitalDelivery is the obstetricians' activity of supervising
// deliveries in hospitals (30 minutes each, planning assumption); its
// workload is the deliveries a hospital receives, given by Workloads.
const ActivityHospitalDelivery = "hospital delivery"

// HoursOutsideWorkingTime is the hours of a year outside the working week:
// 8,760 − 260 days × 7.5 hours = 6,810.
const HoursOutsideWorkingTime = 365*24 - 260*7.5

// Cover shares of HoursOutsideWorkingTime that a unit must staff, as WISN
// individual allowances (planning assumptions): a delivery unit keeps a
// midwife present day and night, and half of those hours are taken as not
// already counted in the four hours per delivery; a hospital with
// caesarean capacity keeps an obstetrician and an anaesthetist on call from
// home, counted at a quarter of the hours.
const (
	MidwifeCoverShare = 0.5
	OnCallShare       = 0.25
)

// Allowances returns the WISN inputs given per establishment: the
// deliveries each public hospital receives under the assignment (for the
// obstetricians' hospital-delivery activity) and the cover allowances of
// delivery units and hospitals with caesarean capacity. demand is the
// demand table the assignment distributes.
func Allowances(r *gst.Region, demand *gst.DemandTable, asg *gst.Assignment) ([]capacity.Workload, []capacity.EstablishmentAllowance) {
	_, hasObgyn := r.Category("obgyn")
	_, hasMidwife := r.Category("midwife")
	_, hasAnaes := r.Category("anaesthetist")
	deliveries := map[gst.EstablishmentID]float64{}
	for _, d := range demand.ForService("delivery") {
		for _, a := range asg.For(d.Area, "delivery") {
			deliveries[a.Establishment] += d.Volume * a.Share
		}
	}
	var work []capacity.Workload
	var allow []capacity.EstablishmentAllowance
	for _, e := range r.Establishments {
		if e.Ownership != gst.Public || e.Candidate {
			continue
		}
		if hasObgyn && e.Level >= gst.LocalHospital && e.OffersService("caesarean") && deliveries[e.ID] > 0 {
			work = append(work, capacity.Workload{Establishment: e.ID, Category: "obgyn", Activity: ActivityHospitalDelivery, Volume: deliveries[e.ID]})
		}
		if hasMidwife && e.OffersService("delivery") {
			allow = append(allow, capacity.EstablishmentAllowance{Establishment: e.ID, Category: "midwife",
				IndividualAllowance: capacity.IndividualAllowance{Activity: "delivery-room presence outside working hours", Staff: 1, Hours: MidwifeCoverShare * HoursOutsideWorkingTime}})
		}
		if e.OffersService("caesarean") {
			for _, c := range []struct {
				id gst.CategoryID
				ok bool
			}{{"obgyn", hasObgyn}, {"anaesthetist", hasAnaes}} {
				if c.ok {
					allow = append(allow, capacity.EstablishmentAllowance{Establishment: e.ID, Category: c.id,
						IndividualAllowance: capacity.IndividualAllowance{Activity: "on call outside working hours", Staff: 1, Hours: OnCallShare * HoursOutsideWorkingTime}})
				}
			}
		}
	}
	return work, allow
}

// Norms are the staffing norms per 1,000 people the pipeline checks by
// province: the WHO SDG index threshold for doctors, nurses and midwives
// (4.45 per 1,000: WHO, Global Strategy on Human Resources for Health:
// Workforce 2030, 2016) and the Lancet Commission on Global Surgery's target
// of 20 surgical, anaesthetic and obstetric specialists per 100,000 people
// (Meara et al., Lancet 2015 [S22]). Categories the region lacks are left out;
// a norm with none is dropped.
func Norms(r *gst.Region) []capacity.Norm {
	var out []capacity.Norm
	for _, n := range []capacity.Norm{
		{Name: "doctors, nurses and midwives (WHO SDG threshold)", Categories: []gst.CategoryID{"doctor-gp", "obgyn", "anaesthetist", "surgeon", "specialist-other", "nurse", "midwife"}, PerThousand: capacity.WHOSDGThreshold},
		{Name: "surgeons, anaesthetists and obstetricians (Lancet Commission)", Categories: []gst.CategoryID{"surgeon", "anaesthetist", "obgyn"}, PerThousand: 0.20},
	} {
		var cats []gst.CategoryID
		for _, c := range n.Categories {
			if _, ok := r.Category(c); ok {
				cats = append(cats, c)
			}
		}
		if len(cats) > 0 {
			n.Categories = cats
			out = append(out, n)
		}
	}
	return out
}
