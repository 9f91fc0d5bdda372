package capacity

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gstplan/gst"
)

// approx compares floats to 1e-9 relative.
var approx = cmpopts.EquateApprox(1e-9, 1e-9)

// testRegion is a small region built by hand:
//
//	A1 urban, province P1, 10,000 people: 6,000 AMO, 3,000 Tadamon, 1,000 in no coverage segment
//	A2 rural, province P1, 5,000 people, no coverage breakdown
//	A3 rural, province P2, 2,000 people: 500 AMO, 1,500 uninsured
//	H1 provincial hospital in A1 (pc, del, med; 40 beds; 5 doctors, 20 nurses, 6 midwives)
//	C1 health centre in A2 (pc; 3 nurses)
//	C2 health centre in A3 (pc, del; 2 nurses, 1 midwife)
func testRegion() *gst.Region {
	return &gst.Region{
		ID:          "T",
		Name:        "Test region",
		Attribution: []string{"synthetic test data"},
		Provinces:   []gst.Province{{ID: "P1", Name: "One"}, {ID: "P2", Name: "Two"}},
		Areas: []gst.Area{
			{ID: "A1", Province: "P1", Lat: 34.00, Lon: -5.00, Population: 10000, Year: 2024, PastPopulation: 8000, PastYear: 2014, Urban: true,
				Segments: []gst.Segment{{Name: "coverage/amo", Population: 6000}, {Name: "coverage/tadamon", Population: 3000}}},
			{ID: "A2", Province: "P1", Lat: 34.10, Lon: -5.20, Population: 5000, Year: 2024, PastPopulation: 5000, PastYear: 2014},
			{ID: "A3", Province: "P2", Lat: 34.50, Lon: -4.50, Population: 2000, Year: 2024, PastPopulation: 2500, PastYear: 2014,
				Segments: []gst.Segment{{Name: "coverage/amo", Population: 500}, {Name: "coverage/uninsured", Population: 1500}}},
		},
		Services: []gst.Service{{ID: "pc", Unit: "visit"}, {ID: "del", Unit: "delivery"}, {ID: "med", Unit: "admission"}},
		Categories: []gst.Category{
			{ID: "doc", HoursPerYear: 1600, AnnualCost: 300000},
			{ID: "nur", HoursPerYear: 1600, AnnualCost: 150000},
			{ID: "mid", HoursPerYear: 1600, AnnualCost: 160000},
		},
		Establishments: []gst.Establishment{
			{ID: "H1", Level: gst.ProvincialHospital, Province: "P1", Area: "A1", Lat: 34.00, Lon: -5.00, Beds: 40,
				Offers: []gst.Offer{{Service: "pc"}, {Service: "del"}, {Service: "med"}},
				Staff:  []gst.Staffing{{Category: "doc", FTE: 5}, {Category: "nur", FTE: 20}, {Category: "mid", FTE: 6}}},
			{ID: "C1", Level: gst.HealthCentre, Province: "P1", Area: "A2", Lat: 34.10, Lon: -5.20,
				Offers: []gst.Offer{{Service: "pc"}},
				Staff:  []gst.Staffing{{Category: "nur", FTE: 3}}},
			{ID: "C2", Level: gst.HealthCentre, Province: "P2", Area: "A3", Lat: 34.50, Lon: -4.50,
				Offers: []gst.Offer{{Service: "pc"}, {Service: "del"}},
				Staff:  []gst.Staffing{{Category: "nur", FTE: 2}, {Category: "mid", FTE: 1}}},
		},
	}
}

// testRates: primary care 2 visits a year (2.5 for AMO members, 1.8 for
// Tadamon members in towns), 25 deliveries per 1,000, and medical
// admissions at 80 per 1,000 in towns and 60 in the countryside.
func testRates() []Rate {
	return []Rate{
		{Service: "pc", PerThousand: 2000},
		{Service: "pc", Segment: "coverage/amo", PerThousand: 2500},
		{Service: "pc", Segment: "coverage/tadamon", Setting: UrbanOnly, PerThousand: 1800},
		{Service: "del", PerThousand: 25},
		{Service: "med", Setting: UrbanOnly, PerThousand: 80},
		{Service: "med", Setting: RuralOnly, PerThousand: 60},
	}
}

// wantInvalid checks that err is a validation error mentioning every
// fragment.
func wantInvalid(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one mentioning %q", fragments)
	}
	if !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("errors.Is(err, gst.ErrInvalid) = false for %v", err)
	}
	var ve *gst.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("error is not a *gst.ValidationError: %v", err)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error does not mention %q:\n%v", f, err)
		}
	}
}
