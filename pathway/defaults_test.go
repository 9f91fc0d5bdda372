package pathway

import (
	"strings"
	"testing"

	gst "github.com/gstplan/gst"
)

// defaultRegion is one area of a million people and one establishment per
// level offering every default service its level allows.
func defaultRegion() *gst.Region {
	r := &gst.Region{
		Areas:    []gst.Area{{ID: "city", Lat: 34, Lon: -5, Population: 1_000_000}},
		Services: DefaultServices(),
	}
	for _, l := range gst.Levels {
		e := gst.Establishment{ID: gst.EstablishmentID("e-" + l.String()), Level: l, Lat: 34.1, Lon: -5.1}
		for _, s := range r.Services {
			if s.MinLevel <= l {
				e.Offers = append(e.Offers, gst.Offer{Service: s.ID})
			}
		}
		r.Establishments = append(r.Establishments, e)
	}
	return r
}

func TestDefaultsAreValidAndSourced(t *testing.T) {
	s := Defaults()
	if err := s.ValidateFor(defaultRegion()); err != nil {
		t.Fatal(err)
	}
	want := []PathwayID{Maternal, Emergency, Trauma, Diabetes, Dialysis, Cancer, Child}
	if len(s.Pathways) != len(want) {
		t.Fatalf("%d default pathways, want %d", len(s.Pathways), len(want))
	}
	for i, p := range s.Pathways {
		if p.ID != want[i] {
			t.Errorf("pathway %d is %q, want %q", i, p.ID, want[i])
		}
		if p.Source == "" || p.Name == "" {
			t.Errorf("pathway %q has no name or source", p.ID)
		}
		for _, st := range p.Steps {
			if st.Source == "" || st.Name == "" {
				t.Errorf("step %s/%s has no name or source", p.ID, st.ID)
			}
			if st.StandardMinutes > 0 && !strings.Contains(st.Source, "standard") && !strings.Contains(st.Source, assumption) {
				t.Errorf("step %s/%s: the source does not account for its standard", p.ID, st.ID)
			}
		}
	}
	// A fresh copy every time.
	s.Pathways[0].IncidencePer1000 = 0
	if Defaults().Pathways[0].IncidencePer1000 != BirthsPer1000 {
		t.Error("Defaults returns shared data")
	}
	for _, svc := range DefaultServices() {
		if !svc.MinLevel.Valid() || svc.StandardMinutes <= 0 || svc.Unit == "" {
			t.Errorf("service %+v", svc)
		}
	}
}

func TestDefaultFlowsForAMillionPeople(t *testing.T) {
	f, err := ComputeFlows(defaultRegion(), Defaults(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Hand figures for 1,000,000 people.
	want := map[gst.ServiceID]float64{
		ServiceAntenatal:     17 * 1000 * 8,        // 17,000 pregnancies × 8 contacts
		ServiceDelivery:      17 * 1000,            // every birth
		ServiceCaesarean:     17 * 1000 * 0.15,     // 2,550
		ServiceEmergency:     163*1000 + 3.66*1000, // emergencies + road injuries
		ServiceIntensiveCare: 163 * 1000 * 0.02,
		ServiceTraumaSurgery: 3.66 * 1000 * 8725 / 128249,
		ServiceDiabetesCare:  37 * 1000 * 4,
		ServiceEndocrinology: 37 * 1000 * 0.2,
		ServiceNephrology:    1 * 1000 * 4,
		ServiceHaemodialysis: 1 * 1000 * 0.9 * 156, // 140,400 sessions
		ServiceOncology:      1.16 * 1000 * 4,
		ServiceChemotherapy:  1.16 * 1000 * 0.6 * 6,
		ServiceRadiotherapy:  1.16 * 1000 * 0.5 * 25,
		ServiceChildHealth:   17 * 1000 * 0.95 * 6,
		ServicePaediatrics:   17 * 1000 * 0.95 * 0.1,
		ServiceNeonatology:   17 * 1000 * 0.03,
	}
	for s, v := range want {
		if got := f.Demand.Volume("city", s); !near(got, v) {
			t.Errorf("%s: %v visits, want %v", s, got, v)
		}
		if got := f.Weights.Volume("city", s); !near(got, 2*v) {
			t.Errorf("%s: weight %v, want %v (no telemedicine, return trips)", s, got, 2*v)
		}
	}
	if got := len(f.Demand.Services()); got != len(want) {
		t.Errorf("%d services in the demand table, want %d", got, len(want))
	}
}
