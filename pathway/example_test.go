package pathway_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	gst "github.com/gstplan/gst"
	"github.com/gstplan/gst/pathway"
)

// smallRegion has three communes in two provinces, two health centres, a
// provincial hospital and a university hospital, with the services of the
// default maternal pathway.
func smallRegion() *gst.Region {
	svc := map[gst.ServiceID]gst.Service{}
	for _, s := range pathway.DefaultServices() {
		svc[s.ID] = s
	}
	return &gst.Region{
		Provinces: []gst.Province{{ID: "north"}, {ID: "south"}},
		Areas: []gst.Area{
			{ID: "town", Province: "north", Lat: 33.44, Lon: -5.22, Population: 60000, Urban: true},
			{ID: "hills", Province: "north", Lat: 33.27, Lon: -5.36, Population: 9000},
			{ID: "plateau", Province: "south", Lat: 33.27, Lon: -5.03, Population: 12000},
		},
		Services: []gst.Service{svc[pathway.ServiceAntenatal], svc[pathway.ServiceDelivery], svc[pathway.ServiceCaesarean]},
		Establishments: []gst.Establishment{
			{ID: "hc-town", Level: gst.HealthCentre, Lat: 33.44, Lon: -5.21,
				Offers: []gst.Offer{{Service: pathway.ServiceAntenatal}, {Service: pathway.ServiceDelivery}}},
			{ID: "hc-hills", Level: gst.HealthCentre, Lat: 33.27, Lon: -5.35,
				Offers: []gst.Offer{{Service: pathway.ServiceAntenatal}}},
			{ID: "hospital", Level: gst.ProvincialHospital, Lat: 33.43, Lon: -5.20,
				Offers: []gst.Offer{{Service: pathway.ServiceDelivery}, {Service: pathway.ServiceCaesarean}}},
			{ID: "chu", Level: gst.UniversityHospital, Lat: 34.03, Lon: -5.00,
				Offers: []gst.Offer{{Service: pathway.ServiceCaesarean}}},
		},
	}
}

// smallTravel gives the one-way legs (minutes, km) from each commune to
// each establishment.
func smallTravel() *gst.Matrix {
	m, err := gst.NewMatrix([]string{"town", "hills", "plateau"}, []string{"hc-town", "hc-hills", "hospital", "chu"})
	if err != nil {
		log.Fatal(err)
	}
	legs := [3][4][2]float64{
		{{8, 4}, {30, 25}, {15, 10}, {90, 80}},
		{{35, 28}, {12, 8}, {45, 35}, {120, 110}},
		{{50, 40}, {40, 30}, {70, 60}, {150, 140}},
	}
	for i := range legs {
		for j := range legs[i] {
			if err := m.Set(i, j, gst.Leg{Minutes: legs[i][j][0], Km: legs[i][j][1]}); err != nil {
				log.Fatal(err)
			}
		}
	}
	return m
}

// currentPlan: the plateau's caesareans go to the CHU, and a fifth of them
// are not assigned anywhere.
func currentPlan() pathway.Plan {
	a, err := gst.NewAssignment([]gst.Allocation{
		{Area: "town", Service: "antenatal", Establishment: "hc-town", Share: 1},
		{Area: "town", Service: "delivery", Establishment: "hc-town", Share: 0.6},
		{Area: "town", Service: "delivery", Establishment: "hospital", Share: 0.4},
		{Area: "town", Service: "caesarean", Establishment: "hospital", Share: 1},
		{Area: "hills", Service: "antenatal", Establishment: "hc-hills", Share: 1},
		{Area: "hills", Service: "delivery", Establishment: "hospital", Share: 1},
		{Area: "hills", Service: "caesarean", Establishment: "hospital", Share: 1},
		{Area: "plateau", Service: "antenatal", Establishment: "hc-hills", Share: 1},
		{Area: "plateau", Service: "delivery", Establishment: "hospital", Share: 1},
		{Area: "plateau", Service: "caesarean", Establishment: "chu", Share: 0.8},
	})
	if err != nil {
		log.Fatal(err)
	}
	return pathway.Plan{Name: "current", Assignment: a, Travel: smallTravel()}
}

// Evaluate the default maternal pathway on a small region: travel per
// episode and per year for each step, the episodes beyond each step's
// standard, and the demand left unserved. By hand, antenatal travel is
// 8,160 town contacts × 2 legs × 8 min + 1,224 hills contacts × 2 × 12 +
// 1,632 plateau contacts × 2 × 40 = 290,496 min, 4,842 hours; only the
// plateau's births (204 of 1,377, 15%) are beyond the 30-minute standard.
func Example() {
	r := smallRegion()
	set, err := pathway.Defaults().Select(pathway.Maternal)
	if err != nil {
		log.Fatal(err)
	}
	ev, err := pathway.Evaluate(context.Background(), r, set, currentPlan(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%-10s %9s %9s %12s %9s %8s\n", "step", "episodes", "visits", "travel h/yr", "min/ep", "beyond")
	for _, s := range ev.Steps {
		fmt.Printf("%-10s %9.0f %9.0f %12.0f %9.1f %7.0f%%\n", s.Step, s.Episodes, s.InPersonVisits,
			s.TravelMinutes/60, s.MinutesPerEpisode, 100*s.BeyondStandardShare)
	}
	t := ev.Total
	fmt.Printf("pathway: %.0f births, %.0f min of travel per birth, complete: %v\n", t.Episodes, t.MinutesPerEpisode, t.Complete)
	for _, u := range ev.Unserved {
		fmt.Printf("unserved: %s %s, share %.2f, %.1f visits a year\n", u.Area, u.Service, u.Share, u.Visits)
	}
	for _, p := range ev.Provinces {
		fmt.Printf("province %s: %.0f min per birth\n", p.Key, p.Total.MinutesPerEpisode)
	}
	// Output:
	// step        episodes    visits  travel h/yr    min/ep   beyond
	// antenatal       1377     11016         4842     211.0      15%
	// delivery        1377      1377         1073      46.7      15%
	// caesarean        207       207          233      67.8      12%
	// pathway: 1377 births, 268 min of travel per birth, complete: false
	// unserved: plateau caesarean, share 0.20, 6.1 visits a year
	// province north: 173 min per birth
	// province south: 816 min per birth
}

// Annual volumes of the default maternal and child pathways, by step and
// by care level, and the demand table that capacity and allocate consume.
func ExampleComputeFlows() {
	r := smallRegion()
	r.Services = pathway.DefaultServices()
	r.Establishments = append(r.Establishments, gst.Establishment{ID: "chr", Level: gst.RegionalHospital, Lat: 34.0, Lon: -5.0,
		Offers: []gst.Offer{{Service: pathway.ServiceChildHealth}, {Service: pathway.ServicePaediatrics}, {Service: pathway.ServiceNeonatology}}})
	set, err := pathway.Defaults().Select(pathway.Maternal, pathway.Child)
	if err != nil {
		log.Fatal(err)
	}
	f, err := pathway.ComputeFlows(r, set, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range f.Steps {
		fmt.Printf("%-9s %-12s reach %.4f: %6.0f episodes, %6.0f visits\n", s.Pathway, s.Step, s.Reach, s.Episodes, s.Visits)
	}
	for _, l := range f.Levels {
		fmt.Printf("level %-10s %6.0f visits\n", l.Level, l.Visits)
	}
	fmt.Printf("town needs %.0f antenatal contacts a year\n", f.Demand.Volume("town", pathway.ServiceAntenatal))
	// Output:
	// maternal  antenatal    reach 1.0000:   1377 episodes,  11016 visits
	// maternal  delivery     reach 1.0000:   1377 episodes,   1377 visits
	// maternal  caesarean    reach 0.1500:    207 episodes,    207 visits
	// child     well-child   reach 0.9500:   1308 episodes,   7849 visits
	// child     paediatrics  reach 0.0950:    131 episodes,    131 visits
	// child     neonatology  reach 0.0300:     41 episodes,     41 visits
	// level essp        20242 visits
	// level local         207 visits
	// level provincial    131 visits
	// level regional       41 visits
	// level chu             0 visits
	// town needs 8160 antenatal contacts a year
}

// Two plans side by side: the proposal sends the plateau's caesareans to
// the provincial hospital instead of the distant CHU, and serves them all.
func ExampleCompare() {
	r := smallRegion()
	set, err := pathway.Defaults().Select(pathway.Maternal)
	if err != nil {
		log.Fatal(err)
	}
	rows := append([]gst.Allocation(nil), currentPlan().Assignment.Rows()...)
	for i := range rows {
		if rows[i].Area == "plateau" && rows[i].Service == "caesarean" {
			rows[i].Establishment, rows[i].Share = "hospital", 1
		}
	}
	a, err := gst.NewAssignment(rows)
	if err != nil {
		log.Fatal(err)
	}
	proposal := pathway.Plan{Name: "proposal", Assignment: a, Travel: smallTravel()}
	c, err := pathway.Compare(context.Background(), r, set, currentPlan(), proposal, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("travel: %.0f → %.0f hours a year (%+.0f)\n", c.ObjectiveBefore/60, c.ObjectiveAfter/60, c.ObjectiveDelta/60)
	for _, s := range c.Steps {
		fmt.Printf("%-10s beyond standard %5.1f%% → %5.1f%%, unserved visits %4.1f → %4.1f\n", s.Step,
			100*s.Before.BeyondStandardShare, 100*s.After.BeyondStandardShare, s.Before.UnservedVisits, s.After.UnservedVisits)
	}
	for _, p := range c.Provinces {
		fmt.Printf("province %s: %+.1f min per birth\n", p.Key, p.Total.Delta.MinutesPerEpisode)
	}
	// Output:
	// travel: 6148 → 6097 hours a year (-51)
	// antenatal  beyond standard  14.8% →  14.8%, unserved visits  0.0 →  0.0
	// delivery   beyond standard  14.8% →  14.8%, unserved visits  0.0 →  0.0
	// caesarean  beyond standard  12.2% →   0.0%, unserved visits  6.1 →  0.0
	// province north: +0.0 min per birth
	// province south: -15.0 min per birth
}

// The travel saved if a quarter of antenatal contacts were held by
// telemedicine.
func ExampleWhatIfTelemedicine() {
	r := smallRegion()
	set, err := pathway.Defaults().Select(pathway.Maternal)
	if err != nil {
		log.Fatal(err)
	}
	res, err := pathway.WhatIfTelemedicine(context.Background(), r, set, currentPlan(),
		[]pathway.TelemedicineChange{{Pathway: pathway.Maternal, Step: "antenatal", Share: 0.25}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	e := res.Effects[0]
	fmt.Printf("%s/%s: share %.2f → %.2f, %.0f visits online, %.0f hours and %.0f km saved a year\n",
		e.Pathway, e.Step, e.FromShare, e.ToShare, e.VisitsMovedOnline, e.MinutesSaved/60, e.KmSaved)
	for _, p := range res.Comparison.Provinces {
		fmt.Printf("province %s: %.0f → %.0f min per birth\n", p.Key, p.Total.Before.MinutesPerEpisode, p.Total.After.MinutesPerEpisode)
	}
	// Output:
	// maternal/antenatal: share 0.00 → 0.25, 2754 visits online, 1210 hours and 45696 km saved a year
	// province north: 173 → 138 min per birth
	// province south: 816 → 656 min per birth
}

// The weights a location model should use to judge sites by whole
// pathways, and the objective recomputed from root types only: it equals
// the evaluation's.
func ExampleWeightedTravel() {
	r := smallRegion()
	set, err := pathway.Defaults().Select(pathway.Maternal)
	if err != nil {
		log.Fatal(err)
	}
	w, err := pathway.Weights(r, set, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range w.Rows()[:3] {
		fmt.Printf("weight %s %s = %.1f one-way legs a year\n", d.Area, d.Service, d.Volume)
	}
	plan := currentPlan()
	obj, err := pathway.WeightedTravel(w, plan.Assignment, plan.Travel)
	if err != nil {
		log.Fatal(err)
	}
	ev, err := pathway.Evaluate(context.Background(), r, set, plan, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("objective %.0f min (evaluation %.0f), unserved weight %.1f, complete %v\n",
		obj.Minutes, ev.Objective, obj.UnservedWeight, obj.Complete)
	// Output:
	// weight hills antenatal = 2448.0 one-way legs a year
	// weight hills caesarean = 45.9 one-way legs a year
	// weight hills delivery = 306.0 one-way legs a year
	// objective 368858 min (evaluation 368858), unserved weight 12.2, complete false
}

// A pathway defined by a user in JSON: a referral tree where a fifth of
// emergency patients are referred to surgery and a tenth of those to the
// CHU.
func ExampleReadJSON() {
	doc := `{"pathways": [{
	  "id": "injury", "incidence_per_1000": 5,
	  "source": "illustrative",
	  "steps": [
	    {"id": "er", "service": "emergency", "level": "local", "probability": 1, "visits_per_episode": 1},
	    {"id": "surgery", "parent": "er", "service": "surgery", "level": "provincial", "probability": 0.2, "visits_per_episode": 1},
	    {"id": "chu", "parent": "surgery", "service": "neurosurgery", "level": "chu", "probability": 0.1,
	     "visits_per_episode": 3, "telemedicine_share": 0.33, "standard_minutes": 180}
	  ]}]}`
	set, err := pathway.ReadJSON(strings.NewReader(doc), "injury.json")
	if err != nil {
		log.Fatal(err)
	}
	pw, _ := set.Pathway("injury")
	for _, st := range pw.Steps {
		reach, _ := pw.Reach(st.ID)
		fmt.Printf("%-8s %-10s reach %.2f\n", st.ID, st.Level, reach)
	}
	if err := pathway.WriteJSON(os.Stdout, &pathway.Set{Pathways: []pathway.Pathway{{ID: "x", Steps: pw.Steps[:1]}}}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// er       local      reach 1.00
	// surgery  provincial reach 0.20
	// chu      chu        reach 0.02
	// {
	//   "pathways": [
	//     {
	//       "id": "x",
	//       "incidence_per_1000": 0,
	//       "steps": [
	//         {
	//           "id": "er",
	//           "service": "emergency",
	//           "level": "local",
	//           "probability": 1,
	//           "visits_per_episode": 1
	//         }
	//       ]
	//     }
	//   ]
	// }
}

// Validation reports every problem at once, with where and what.
func ExampleSet_ValidateFor() {
	set, err := pathway.Defaults().Select(pathway.Maternal, pathway.Dialysis)
	if err != nil {
		log.Fatal(err)
	}
	pw, _ := set.Pathway(pathway.Maternal)
	pw.Steps[2].Probability = 1.15 // a percentage typed as a fraction
	pw.Steps[1].Parent = "caesarean"
	err = set.ValidateFor(smallRegion())
	fmt.Println(err)
	// Output:
	// pathway "maternal" step "caesarean": probability: must be in [0, 1], got 1.15
	// pathway "maternal" step "delivery": parent: referral cycle: delivery → caesarean → delivery
	// pathway "dialysis" step "nephrology": service: service "nephrology" is not a service of the region and no establishment offers it
	// pathway "dialysis" step "haemodialysis": service: service "dialysis" is not a service of the region and no establishment offers it
}

// The default pathways and their figures.
func ExampleDefaults() {
	for _, p := range pathway.Defaults().Pathways {
		fmt.Printf("%-9s %6.2f per 1,000:", p.ID, p.IncidencePer1000)
		for _, s := range p.Steps {
			fmt.Printf(" %s(%.3g×%g)", s.ID, s.Probability, s.VisitsPerEpisode)
		}
		fmt.Println()
	}
	// Output:
	// maternal   17.00 per 1,000: antenatal(1×8) delivery(1×1) caesarean(0.15×1)
	// emergency 163.00 per 1,000: emergency(1×1) intensive-care(0.02×1)
	// trauma      3.66 per 1,000: emergency(1×1) trauma-surgery(0.068×1)
	// diabetes   37.00 per 1,000: follow-up(1×4) specialist(0.2×1)
	// dialysis    1.00 per 1,000: nephrology(1×4) haemodialysis(0.9×156)
	// cancer      1.16 per 1,000: oncology(1×4) chemotherapy(0.6×6) radiotherapy(0.5×25)
	// child      17.00 per 1,000: well-child(0.95×6) paediatrics(0.1×1) neonatology(0.03×1)
}

// Travel estimated for a plan without a matrix: from the region's matrix
// where it has the pair, from the estimator elsewhere.
func ExampleTravel() {
	r := smallRegion()
	m, err := pathway.Travel(context.Background(), r, currentPlan().Assignment, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.To())
	leg, _ := m.Lookup("plateau", "chu")
	fmt.Printf("plateau → chu: %.0f km, %.0f min\n", leg.Km, leg.Minutes)
	// Output:
	// [chu hc-hills hc-town hospital]
	// plateau → chu: 110 km, 132 min
}

// A plain-text summary of an evaluation, for a report.
func ExampleEvaluation_WriteText() {
	r := smallRegion()
	r.Attribution = []string{"illustrative figures"}
	set, err := pathway.Defaults().Select(pathway.Maternal)
	if err != nil {
		log.Fatal(err)
	}
	ev, err := pathway.Evaluate(context.Background(), r, set, currentPlan(), nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := ev.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// current: pathway-weighted travel 6148 hours a year (return trips)
	// pathway/step  episodes  in person  travel h  min/episode  beyond std  unserved  unreachable
	// maternal          1377      12600      6148        267.9       14.6%       6.1          0.0
	//   antenatal       1377      11016      4842        211.0       14.8%       0.0          0.0
	//   delivery        1377       1377      1073         46.7       14.8%       0.0          0.0
	//   caesarean        207        207       233         67.8       12.2%       6.1          0.0
	// total             1377      12600      6148        267.9       14.6%       6.1          0.0
	// province      episodes  in person  travel h  min/episode  beyond std  unserved  unreachable
	// north             1173      10733      3373        172.5        0.0%       0.0          0.0
	// south              204       1867      2774        816.0      100.0%       6.1          0.0
	// incomplete: 1 unserved area-service pairs, 0 unreachable allocations (see Unserved, Unreachable)
	// data: illustrative figures
}

// A plain-text summary of a comparison.
func ExampleComparison_WriteText() {
	r := smallRegion()
	set, err := pathway.Defaults().Select(pathway.Maternal)
	if err != nil {
		log.Fatal(err)
	}
	res, err := pathway.WhatIfTelemedicine(context.Background(), r, set, currentPlan(),
		[]pathway.TelemedicineChange{{Pathway: pathway.Maternal, Step: "antenatal", Share: 0.5}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := res.Comparison.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// current → current with telemedicine changes: travel 6148 → 3727 hours a year (-2421)
	// pathway/step  travel h  after  change  beyond std   after  unserved  after
	// maternal          6148   3727   -2421       14.6%   14.6%       6.1    6.1
	//   antenatal       4842   2421   -2421       14.8%   14.8%       0.0    0.0
	//   delivery        1073   1073      +0       14.8%   14.8%       0.0    0.0
	//   caesarean        233    233      +0       12.2%   12.2%       6.1    6.1
	// total             6148   3727   -2421       14.6%   14.6%       6.1    6.1
	// province      travel h  after  change  beyond std   after  unserved  after
	// north             3373   2040   -1333        0.0%    0.0%       0.0    0.0
	// south             2774   1686   -1088      100.0%  100.0%       6.1    6.1
}

// The pathway-weighted objective of a plan in one call, as a location
// model would check its own figure against it.
func ExampleObjective() {
	r := smallRegion()
	set, err := pathway.Defaults().Select(pathway.Maternal)
	if err != nil {
		log.Fatal(err)
	}
	obj, err := pathway.Objective(r, set, currentPlan(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.0f min a year over %.0f weighted legs; %.1f legs unserved, %.1f unreachable\n",
		obj.Minutes, obj.AssessedWeight, obj.UnservedWeight, obj.UnreachableWeight)
	// Output:
	// 368858 min a year over 25187 weighted legs; 12.2 legs unserved, 0.0 unreachable
}

// Two evaluations made separately (here with different travel matrices:
// a new road halves the plateau's trip to the provincial hospital) set
// side by side.
func ExampleDiff() {
	r := smallRegion()
	set, err := pathway.Defaults().Select(pathway.Maternal)
	if err != nil {
		log.Fatal(err)
	}
	before, err := pathway.Evaluate(context.Background(), r, set, currentPlan(), nil)
	if err != nil {
		log.Fatal(err)
	}
	road := currentPlan()
	road.Name = "new road"
	road.Travel = smallTravel()
	if err := road.Travel.SetID("plateau", "hospital", gst.Leg{Minutes: 35, Km: 40}); err != nil {
		log.Fatal(err)
	}
	after, err := pathway.Evaluate(context.Background(), r, set, road, nil)
	if err != nil {
		log.Fatal(err)
	}
	c, err := pathway.Diff(before, after)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range c.Steps {
		fmt.Printf("%-10s %+7.0f min a year, beyond standard %+.1f points\n", s.Step, s.Delta.TravelMinutes, 100*s.Delta.BeyondStandardShare)
	}
	// Output:
	// antenatal       +0 min a year, beyond standard +0.0 points
	// delivery    -14280 min a year, beyond standard -14.8 points
	// caesarean       +0 min a year, beyond standard +0.0 points
}

// Fitting the default pathways to a region whose services have other
// names.
func ExampleSet_RenameServices() {
	set, err := pathway.Defaults().Select(pathway.Maternal)
	if err != nil {
		log.Fatal(err)
	}
	set = set.RenameServices(map[gst.ServiceID]gst.ServiceID{pathway.ServiceAntenatal: "consultation"})
	fmt.Println(set.Services())
	// Output:
	// [caesarean consultation delivery]
}

// The services the default pathways use, to add to a region.
func ExampleDefaultServices() {
	for _, s := range pathway.DefaultServices()[:4] {
		fmt.Printf("%-10s from %-10s standard %3.0f min, per %s\n", s.ID, s.MinLevel, s.StandardMinutes, s.Unit)
	}
	// Output:
	// antenatal  from essp       standard  30 min, per contact
	// delivery   from essp       standard  60 min, per delivery
	// caesarean  from local      standard 120 min, per operation
	// emergency  from local      standard  60 min, per visit
}
