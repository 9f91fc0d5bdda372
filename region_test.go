package gst

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// smallRegion is a valid region used across the tests.
func smallRegion() *Region {
	dep := 0.4
	return &Region{
		ID:          "T",
		Name:        "Test region",
		Attribution: []string{"made for tests"},
		Provinces:   []Province{{ID: "P1", Name: "One"}, {ID: "P2", Name: "Two"}},
		Areas: []Area{
			{ID: "A1", Name: "North", Province: "P1", Lat: 34.0, Lon: -5.0, Population: 10000, Year: 2024, PastPopulation: 9000, PastYear: 2014, Urban: true,
				Segments: []Segment{{Name: "coverage/amo", Population: 6000}, {Name: "coverage/uninsured", Population: 4000}, {Name: "age/0-4", Population: 900}}},
			{ID: "A2", Name: "South", Province: "P2", Lat: 33.5, Lon: -5.2, Population: 5000, Deprivation: &dep},
		},
		Establishments: []Establishment{
			{ID: "H1", Name: "Provincial hospital", Level: ProvincialHospital, Province: "P1", Area: "A1", Lat: 34.01, Lon: -5.01, Beds: 120,
				Offers: []Offer{{Service: "delivery", Capacity: 3000}, {Service: "consult", Capacity: 50000}},
				Staff:  []Staffing{{Category: "doctor", FTE: 20}, {Category: "midwife", FTE: 12.5}}},
			{ID: "C1", Name: "Health centre", Level: HealthCentre, Province: "P2", Area: "A2", Lat: 33.5, Lon: -5.2, Closable: true, CloseCost: 1e5,
				Offers: []Offer{{Service: "consult"}}, Staff: []Staffing{{Category: "doctor", FTE: 1}}},
			{ID: "N1", Name: "Candidate", Level: LocalHospital, Ownership: Private, Province: "P2", Lat: 33.6, Lon: -5.1, Candidate: true, OpenCost: 2e7,
				Offers: []Offer{{Service: "delivery", Capacity: 800}}, Source: "synthetic"},
		},
		Services: []Service{
			{ID: "consult", Name: "Consultation", Unit: "visit", MinLevel: HealthCentre, StandardMinutes: 30},
			{ID: "delivery", Name: "Delivery", Unit: "delivery", StandardMinutes: 60},
		},
		Categories: []Category{
			{ID: "doctor", Name: "Doctor", HoursPerYear: 1760, AnnualCost: 240000},
			{ID: "midwife", Name: "Midwife", HoursPerYear: 1760},
		},
	}
}

func TestValidRegion(t *testing.T) {
	r := smallRegion()
	if err := r.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if a, ok := r.Area("A2"); !ok || a.Name != "South" {
		t.Errorf("Area(A2) = %v, %v", a, ok)
	}
	if e, ok := r.Establishment("N1"); !ok || !e.Candidate {
		t.Errorf("Establishment(N1) = %v, %v", e, ok)
	}
	if got := r.StaffOnRoll("H1", "midwife"); got != 12.5 {
		t.Errorf("StaffOnRoll(H1, midwife) = %v, want 12.5", got)
	}
	if o, ok := r.Offer("H1", "delivery"); !ok || o.Capacity != 3000 {
		t.Errorf("Offer(H1, delivery) = %v, %v", o, ok)
	}
	if _, ok := r.Offer("C1", "delivery"); ok {
		t.Error("C1 should not offer delivery")
	}
	if got := r.Population(); got != 15000 {
		t.Errorf("Population = %v", got)
	}
	var ids []EstablishmentID
	for _, e := range r.Offering("delivery") {
		ids = append(ids, e.ID)
	}
	if diff := cmp.Diff([]EstablishmentID{"H1", "N1"}, ids); diff != "" {
		t.Errorf("Offering(delivery) (-want +got):\n%s", diff)
	}
	// The index follows slice changes without Reindex.
	r.Areas = append(r.Areas, Area{ID: "A3", Lat: 33, Lon: -5, Population: 1})
	if _, ok := r.Area("A3"); !ok {
		t.Error("index did not follow an appended area")
	}
	// In-place ID edits need Reindex.
	r.Areas[0].ID = "A0"
	r.Reindex()
	if _, ok := r.Area("A0"); !ok {
		t.Error("Reindex did not pick up a renamed area")
	}
}

// TestValidateFaults is the catalogue of region faults: each line breaks one
// rule and must give exactly one typed error naming where it is.
func TestValidateFaults(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(r *Region)
		where  string // substring of the error's Where
		field  string
	}{
		{"NaN population", func(r *Region) { r.Areas[0].Population = math.NaN() }, `area "A1"`, "population"},
		{"negative population", func(r *Region) { r.Areas[1].Population = -1 }, `area "A2"`, "population"},
		{"infinite population", func(r *Region) { r.Areas[1].Population = math.Inf(1) }, `area "A2"`, "population"},
		{"latitude out of range", func(r *Region) { r.Areas[0].Lat = 91 }, `area "A1"`, "lat"},
		{"longitude out of range", func(r *Region) { r.Establishments[0].Lon = -181 }, `establishment "H1"`, "lon"},
		{"duplicate area ID", func(r *Region) { r.Areas[1].ID = "A1"; r.Establishments[1].Area = "" }, `area "A1"`, "id"},
		{"empty area ID", func(r *Region) { r.Areas[1].ID = ""; r.Establishments[1].Area = "" }, "area #2", "id"},
		{"duplicate establishment ID", func(r *Region) { r.Establishments[1].ID = "H1" }, `establishment "H1"`, "id"},
		{"area and establishment share an ID", func(r *Region) { r.Establishments[2].ID = "A2" }, `establishment "A2"`, "id"},
		{"unknown province", func(r *Region) { r.Areas[0].Province = "P9" }, `area "A1"`, "province"},
		{"unknown area of establishment", func(r *Region) { r.Establishments[0].Area = "A9" }, `establishment "H1"`, "area"},
		{"unknown offered service", func(r *Region) { r.Establishments[1].Offers[0].Service = "xray" }, `establishment "C1" offer "xray"`, "service"},
		{"service offered twice", func(r *Region) { r.Establishments[0].Offers[1].Service = "delivery" }, `establishment "H1" offer "delivery"`, "service"},
		{"negative capacity", func(r *Region) { r.Establishments[0].Offers[0].Capacity = -5 }, `establishment "H1" offer "delivery"`, "capacity"},
		{"unknown staff category", func(r *Region) { r.Establishments[0].Staff[1].Category = "surgeon" }, `establishment "H1" staff "surgeon"`, "category"},
		{"NaN FTE", func(r *Region) { r.Establishments[1].Staff[0].FTE = math.NaN() }, `establishment "C1" staff "doctor"`, "fte"},
		{"invalid level", func(r *Region) { r.Establishments[0].Level = 0 }, `establishment "H1"`, "level"},
		{"candidate that is closable", func(r *Region) { r.Establishments[2].Closable = true }, `establishment "N1"`, "closable"},
		{"zero working hours", func(r *Region) { r.Categories[1].HoursPerYear = 0 }, `category "midwife"`, "hours_per_year"},
		{"segments above population", func(r *Region) { r.Areas[0].Segments[0].Population = 7000 }, `area "A1"`, "segments"},
		{"duplicate service ID", func(r *Region) { r.Services = append(r.Services, r.Services[0]) }, `service "consult"`, "id"},
		{"negative beds", func(r *Region) { r.Establishments[0].Beds = -1 }, `establishment "H1"`, "beds"},
		{"past year after year", func(r *Region) { r.Areas[0].PastYear = 2030 }, `area "A1"`, "past_year"},
		{"NaN deprivation", func(r *Region) { d := math.NaN(); r.Areas[1].Deprivation = &d }, `area "A2"`, "deprivation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := smallRegion()
			tc.break_(r)
			err := r.Validate()
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v, want ErrInvalid", err)
			}
			var list []error
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				list = j.Unwrap()
			} else {
				list = []error{err}
			}
			if len(list) != 1 {
				t.Fatalf("got %d errors, want 1:\n%v", len(list), err)
			}
			var ve *ValidationError
			if !errors.As(list[0], &ve) {
				t.Fatalf("error %T is not a *ValidationError: %v", list[0], list[0])
			}
			if !strings.Contains(ve.Where, tc.where) || ve.Field != tc.field {
				t.Errorf("got Where %q Field %q, want Where containing %q and Field %q (%v)", ve.Where, ve.Field, tc.where, tc.field, ve)
			}
		})
	}
}

func TestValidateReportsAllAtOnce(t *testing.T) {
	r := smallRegion()
	r.Areas[1].Population = -1
	r.Areas[1].Lat = 100
	r.Establishments[0].Offers[0].Service = "nope"
	r.Categories[0].HoursPerYear = math.NaN()
	err := r.Validate()
	list := err.(interface{ Unwrap() []error }).Unwrap()
	if len(list) != 4 {
		t.Fatalf("got %d errors, want 4:\n%v", len(list), err)
	}
}

func TestValidateEmptyAndNil(t *testing.T) {
	if err := (&Region{}).Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "at least one area") {
		t.Errorf("empty region: %v", err)
	}
	var r *Region
	if err := r.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil region: %v", err)
	}
}

func TestValidateCapsTheList(t *testing.T) {
	r := &Region{}
	for i := 0; i < MaxReportedProblems+50; i++ {
		r.Areas = append(r.Areas, Area{ID: AreaID("a" + string(rune('0'+i%10))), Lat: 0, Lon: 0, Population: -1})
	}
	err := r.Validate()
	list := err.(interface{ Unwrap() []error }).Unwrap()
	if len(list) != MaxReportedProblems+1 {
		t.Fatalf("got %d errors, want %d", len(list), MaxReportedProblems+1)
	}
	if !strings.Contains(list[len(list)-1].Error(), "more problems not listed") {
		t.Errorf("last error = %v", list[len(list)-1])
	}
}

func TestCSVRoundTrip(t *testing.T) {
	r := smallRegion()
	m, err := NewMatrix([]string{"A1", "A2"}, []string{"H1", "C1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetID("A1", "H1", Leg{Minutes: 5.5, Km: 3}); err != nil {
		t.Fatal(err)
	}
	if err := m.SetID("A2", "C1", Leg{Minutes: 0, Km: 0}); err != nil {
		t.Fatal(err)
	}
	r.Travel = m
	files, err := EncodeCSV(r)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for n, b := range files {
		fsys["reg/"+n] = &fstest.MapFile{Data: b}
	}
	got, err := ReadDir(fsys, "reg", nil)
	if err != nil {
		t.Fatalf("ReadDir: %v", err)
	}
	// The travel matrix read back lists only the origins and destinations
	// that have a leg, sorted; the records come in the order of their IDs.
	want := r.Clone()
	want.Travel, _ = MatrixFromEntries(m.Entries())
	want.canonical(nil)
	if diff := cmp.Diff(want, got, regionCmp); diff != "" {
		t.Errorf("CSV round trip (-want +got):\n%s", diff)
	}
	// Writing again gives the same bytes as writing the canonical region.
	files, err = EncodeCSV(want)
	if err != nil {
		t.Fatal(err)
	}
	again, err := EncodeCSV(got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(files, again); diff != "" {
		t.Errorf("second encoding differs (-first +second):\n%s", diff)
	}
}

var regionCmp = cmp.Options{
	cmpopts.IgnoreUnexported(Region{}),
	cmp.Comparer(func(a, b *Matrix) bool {
		if a == nil || b == nil {
			return a == b
		}
		return cmp.Equal(a.From(), b.From()) && cmp.Equal(a.To(), b.To()) && cmp.Equal(a.Entries(), b.Entries())
	}),
}

func TestJSONRoundTrip(t *testing.T) {
	r := smallRegion()
	m, _ := NewMatrix([]string{"A1"}, []string{"H1", "C1"})
	_ = m.SetID("A1", "C1", Leg{Minutes: 40, Km: 30})
	r.Travel = m
	r.canonical(nil) // reading gives the records in the order of their IDs
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	first := b.String()
	got, err := ReadJSON(&b, "region.json", nil)
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	if diff := cmp.Diff(r, got, regionCmp); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	var b2 bytes.Buffer
	if err := WriteJSON(&b2, got); err != nil {
		t.Fatal(err)
	}
	if b2.String() != first {
		t.Error("second JSON encoding differs from the first")
	}
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
		line            int
	}{
		{"syntax", "{\n  \"areas\": [\n    {\"id\": \"a\",, }\n  ]\n}", "invalid character", 3},
		{"type", "{\n  \"areas\": [\n    {\"id\": \"a\", \"population\": \"many\"}\n  ]\n}", "population", 3},
		{"unknown field", "{\"areas\": [], \"colour\": 1}", "unknown field", 0},
		{"bad level", "{\"areas\": [{\"id\":\"a\"}], \"establishments\": [{\"id\":\"e\",\"level\":\"palace\"}]}", "unknown level", 0},
		{"invalid content", "{\"areas\": [{\"id\":\"a\",\"lat\":95,\"lon\":0,\"population\":1}]}", "latitude", 0},
		{"two documents", "{\"areas\": [{\"id\":\"a\",\"population\":1}]} {}", "more than one", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.doc), "r.json", nil)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
			var ve *ValidationError
			if errors.As(err, &ve) && tc.line > 0 && ve.Line != tc.line {
				t.Errorf("line = %d, want %d (%v)", ve.Line, tc.line, err)
			}
		})
	}
}

func TestValidationErrorText(t *testing.T) {
	tests := []struct {
		e    ValidationError
		want string
	}{
		{ValidationError{File: "a.csv", Line: 3, Column: 2, Where: `area "x"`, Field: "lat", Err: errors.New("bad")}, `a.csv:3:2: area "x": lat: bad`},
		{ValidationError{File: "a.csv", Line: 1, Field: "lon", Err: errors.New("missing")}, `a.csv:1: lon: missing`},
		{ValidationError{File: "a.csv", Err: errors.New("too big")}, `a.csv: too big`},
		{ValidationError{Where: "region"}, `region: invalid`},
	}
	for _, tc := range tests {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestValidateAbsurdFigures(t *testing.T) {
	r := smallRegion()
	r.Areas[0].Population = 1e12
	r.Areas[0].Segments = nil
	err := r.Validate()
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `area "A1": population: 1e+12 is more than any catchment holds`) {
		t.Errorf("population 1e12: %v", err)
	}

	r = smallRegion()
	m, _ := NewMatrix([]string{"A1", "A2"}, []string{"H1", "C1"})
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			_ = m.Set(i, j, Leg{})
		}
	}
	r.Travel = m
	err = r.Validate()
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "all 4 legs are zero minutes and zero km") {
		t.Errorf("all-zero matrix: %v", err)
	}
	// One real leg is enough, and so are zero legs from a place to itself.
	_ = m.Set(0, 0, Leg{Minutes: 3, Km: 2})
	if err := r.Validate(); err != nil {
		t.Errorf("matrix with one non-zero leg: %v", err)
	}
	self, _ := NewMatrix([]string{"H1"}, []string{"H1"})
	_ = self.Set(0, 0, Leg{})
	if err := self.CheckNotAllZero(); err != nil {
		t.Errorf("zero self leg: %v", err)
	}
}
