package capacity

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gstplan/gst"
)

func testAssignment(t *testing.T) *gst.Assignment {
	t.Helper()
	a, err := gst.NewAssignment([]gst.Allocation{
		{Area: "A1", Service: "pc", Establishment: "H1", Share: 1},
		{Area: "A1", Service: "del", Establishment: "H1", Share: 1},
		{Area: "A1", Service: "med", Establishment: "H1", Share: 1},
		{Area: "A2", Service: "pc", Establishment: "C1", Share: 0.8},
		{Area: "A2", Service: "pc", Establishment: "H1", Share: 0.2},
		{Area: "A2", Service: "del", Establishment: "H1", Share: 1},
		{Area: "A2", Service: "med", Establishment: "H1", Share: 1},
		{Area: "A3", Service: "pc", Establishment: "C2", Share: 1},
		{Area: "A3", Service: "del", Establishment: "C2", Share: 0.5},
		{Area: "A3", Service: "med", Establishment: "H1", Share: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAttribute(t *testing.T) {
	r := testRegion()
	dem, err := Demand(r, testRates(), nil)
	if err != nil {
		t.Fatal(err)
	}
	at, err := Attribute(context.Background(), r, dem.Table, testAssignment(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Volume{
		{"C1", "pc", 8000},
		{"C2", "del", 25},
		{"C2", "pc", 4250},
		{"H1", "del", 375},
		{"H1", "med", 1220},
		{"H1", "pc", 24400},
	}
	if d := cmp.Diff(want, at.Volumes.Rows(), approx); d != "" {
		t.Errorf("volumes (-want +got):\n%s", d)
	}
	wantUn := []gst.Demand{{Area: "A3", Service: "del", Volume: 25}}
	if d := cmp.Diff(wantUn, at.Unserved, approx); d != "" {
		t.Errorf("unserved (-want +got):\n%s", d)
	}
	if math.Abs(at.Total-at.Served-25) > 1e-9 {
		t.Errorf("total %v served %v", at.Total, at.Served)
	}
}

func TestNearestAssignment(t *testing.T) {
	r := testRegion()
	dem, err := Demand(r, testRates(), nil)
	if err != nil {
		t.Fatal(err)
	}
	at, err := Attribute(context.Background(), r, dem.Table, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Every establishment stands in its own area: each area goes to the
	// one standing there when it offers the service, else to the nearest
	// other (A2 is 0.21° from H1, A3 0.71°).
	want := []gst.Allocation{
		{Area: "A1", Service: "del", Establishment: "H1", Share: 1},
		{Area: "A1", Service: "med", Establishment: "H1", Share: 1},
		{Area: "A1", Service: "pc", Establishment: "H1", Share: 1},
		{Area: "A2", Service: "del", Establishment: "H1", Share: 1},
		{Area: "A2", Service: "med", Establishment: "H1", Share: 1},
		{Area: "A2", Service: "pc", Establishment: "C1", Share: 1},
		{Area: "A3", Service: "del", Establishment: "C2", Share: 1},
		{Area: "A3", Service: "med", Establishment: "H1", Share: 1},
		{Area: "A3", Service: "pc", Establishment: "C2", Share: 1},
	}
	if d := cmp.Diff(want, at.Assignment.Rows()); d != "" {
		t.Errorf("nearest (-want +got):\n%s", d)
	}
	if at.Served != at.Total || len(at.Unserved) != 0 {
		t.Errorf("served %v of %v", at.Served, at.Total)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NearestAssignment(ctx, r, []gst.ServiceID{"pc"}, nil); err == nil {
		t.Error("cancelled context: no error")
	}
	_, err = NearestAssignment(context.Background(), r, []gst.ServiceID{"xray"}, nil)
	wantInvalid(t, err, `unknown service "xray"`)
}

func TestVolumesJSON(t *testing.T) {
	v, err := NewVolumes([]Volume{{"B", "s", 2}, {"A", "s", 1}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != `[{"establishment":"A","service":"s","volume":1},{"establishment":"B","service":"s","volume":2}]` {
		t.Errorf("JSON = %s", got)
	}
	var w Volumes
	if err := json.Unmarshal(b, &w); err != nil || w.Volume("B", "s") != 2 {
		t.Errorf("round trip: %v, %v", err, w.Rows())
	}
	_, err = NewVolumes([]Volume{{"A", "s", 1}, {"A", "s", 2}, {"", "s", -1}})
	wantInvalid(t, err, "given twice", "establishment", "volume")
}

func FuzzVolumesJSON(f *testing.F) {
	f.Add([]byte(`[{"establishment":"A","service":"s","volume":1}]`))
	f.Add([]byte(`[{"establishment":"A","service":"s","volume":-1}]`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var v Volumes
		if err := json.Unmarshal(b, &v); err != nil {
			return
		}
		for _, r := range v.Rows() {
			if !finite(r.Volume) || r.Volume < 0 || r.Establishment == "" || r.Service == "" {
				t.Fatalf("accepted a bad row %+v", r)
			}
		}
		out, err := json.Marshal(&v)
		if err != nil {
			t.Fatal(err)
		}
		var w Volumes
		if err := json.Unmarshal(out, &w); err != nil || w.Len() != v.Len() {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}

func TestComputeGaps(t *testing.T) {
	r := testRegion()
	need := []StaffFTE{
		{Establishment: "H1", Category: "nur", FTE: 25},
		{Establishment: "C1", Category: "nur", FTE: 2},
		{Establishment: "C2", Category: "mid", FTE: 0},
	}
	g, err := ComputeGaps(r, need, &GapOptions{Catchment: testAssignment(t), CatchmentService: "pc"})
	if err != nil {
		t.Fatal(err)
	}
	f := func(v float64) *float64 { return &v }
	// Catchments for pc: H1 serves A1 (10,000) and 20 % of A2 (1,000); C1
	// 80 % of A2 (4,000); C2 all of A3 (2,000).
	wantE := []GapRow{
		{Level: "establishment", ID: "C1", Province: "P1", Category: "mid", Population: f(4000), Need: 0, Available: 0, Difference: 0, NeedPerThousand: f(0), AvailablePerThousand: f(0)},
		{Level: "establishment", ID: "C1", Province: "P1", Category: "nur", Population: f(4000), Need: 2, Available: 3, Difference: 1, Ratio: f(1.5), NeedPerThousand: f(0.5), AvailablePerThousand: f(0.75)},
		{Level: "establishment", ID: "C2", Province: "P2", Category: "mid", Population: f(2000), Need: 0, Available: 1, Difference: 1, NeedPerThousand: f(0), AvailablePerThousand: f(0.5)},
		{Level: "establishment", ID: "C2", Province: "P2", Category: "nur", Population: f(2000), Need: 0, Available: 2, Difference: 2, NeedPerThousand: f(0), AvailablePerThousand: f(1)},
		{Level: "establishment", ID: "H1", Province: "P1", Category: "mid", Population: f(11000), Need: 0, Available: 6, Difference: 6, NeedPerThousand: f(0), AvailablePerThousand: f(6.0 / 11)},
		{Level: "establishment", ID: "H1", Province: "P1", Category: "nur", Population: f(11000), Need: 25, Available: 20, Difference: -5, Ratio: f(0.8), NeedPerThousand: f(25.0 / 11), AvailablePerThousand: f(20.0 / 11)},
	}
	// C1 has neither need nor staff of midwives: no row.
	wantE = wantE[1:]
	if d := cmp.Diff(wantE, g.Establishments, approx); d != "" {
		t.Errorf("establishments (-want +got):\n%s", d)
	}
	wantP := []GapRow{
		{Level: "province", ID: "P1", Name: "One", Category: "mid", Population: f(15000), Need: 0, Available: 6, Difference: 6, NeedPerThousand: f(0), AvailablePerThousand: f(0.4)},
		{Level: "province", ID: "P1", Name: "One", Category: "nur", Population: f(15000), Need: 27, Available: 23, Difference: -4, Ratio: f(23.0 / 27), NeedPerThousand: f(1.8), AvailablePerThousand: f(23.0 / 15)},
		{Level: "province", ID: "P2", Name: "Two", Category: "mid", Population: f(2000), Need: 0, Available: 1, Difference: 1, NeedPerThousand: f(0), AvailablePerThousand: f(0.5)},
		{Level: "province", ID: "P2", Name: "Two", Category: "nur", Population: f(2000), Need: 0, Available: 2, Difference: 2, NeedPerThousand: f(0), AvailablePerThousand: f(1)},
	}
	if d := cmp.Diff(wantP, g.Provinces, approx); d != "" {
		t.Errorf("provinces (-want +got):\n%s", d)
	}
	if len(g.Region) != 2 || g.Region[1].Need != 27 || g.Region[1].Available != 25 || *g.Region[1].Population != 17000 {
		t.Errorf("region = %+v", g.Region)
	}
	var buf bytes.Buffer
	if err := WriteGapsCSV(&buf, g.Region); err != nil {
		t.Fatal(err)
	}
	wantCSV := "level,id,name,province,category,population,need_fte,available_fte,difference_fte,ratio,need_per_1000,available_per_1000\n" +
		"region,T,Test region,,mid,17000,0,7,7,,0,0.4117647058823529\n" +
		"region,T,Test region,,nur,17000,27,25,-2,0.9259259259259259,1.588235294117647,1.4705882352941178\n"
	if buf.String() != wantCSV {
		t.Errorf("CSV:\n%s\nwant:\n%s", buf.String(), wantCSV)
	}
	buf.Reset()
	if err := g.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"ratio": null`) || strings.Contains(buf.String(), "NaN") || strings.Contains(buf.String(), "Inf") {
		t.Errorf("JSON must carry null for undefined ratios and no NaN/Inf:\n%s", buf.String())
	}
	var back Gaps
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(g, &back); d != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", d)
	}
	buf.Reset()
	if err := g.WriteCSV(&buf); err != nil || strings.Count(buf.String(), "\n") != 1+len(g.Establishments)+len(g.Provinces)+len(g.Region) {
		t.Errorf("WriteCSV: %v\n%s", err, buf.String())
	}

	// Without a catchment, establishment densities are unknown.
	g2, err := ComputeGaps(r, need, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g2.Establishments[0].Population != nil || g2.Establishments[0].NeedPerThousand != nil {
		t.Errorf("densities without catchment: %+v", g2.Establishments[0])
	}

	_, err = ComputeGaps(r, []StaffFTE{{Establishment: "Z", Category: "nur", FTE: 1}, {Establishment: "H1", Category: "vet", FTE: -1}, {Establishment: "C1", Category: "nur", FTE: 1}, {Establishment: "C1", Category: "nur", FTE: 1}}, nil)
	wantInvalid(t, err, `unknown establishment "Z"`, `unknown category "vet"`, "fte", "given twice")
}

func TestDensity(t *testing.T) {
	r := testRegion()
	norm := Norm{Name: "WHO SDG threshold", Categories: []gst.CategoryID{"doc", "nur", "mid"}, PerThousand: WHOSDGThreshold}
	d, err := Density(r, norm, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Staff: H1 31, C1 3, C2 3; region 37 FTE for 17,000 people: 2.176 per
	// 1,000 against 4.45, a need of 75.65.
	if d.Region.Staff != 37 || math.Abs(*d.Region.PerThousand-37.0/17) > 1e-12 || math.Abs(d.Region.Need-75.65) > 1e-9 {
		t.Errorf("region = %+v", d.Region)
	}
	wantAreas := []float64{31, 3, 3}
	for i, a := range d.Areas {
		if a.Staff != wantAreas[i] {
			t.Errorf("area %s staff %v, want %v", a.ID, a.Staff, wantAreas[i])
		}
	}
	if d.Provinces[0].ID != "P1" || d.Provinces[0].Staff != 34 || d.Provinces[0].Population != 15000 {
		t.Errorf("P1 = %+v", d.Provinces[0])
	}
	// By catchment of pc: H1's 31 FTE split over A1 (10,000) and A2
	// (1,000): 28.18 and 2.82; C1's 3 go to A2.
	dc, err := Density(r, norm, &DensityOptions{Catchment: testAssignment(t), CatchmentService: "pc"})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{31 * 10.0 / 11, 31*1.0/11 + 3, 3}
	var sum float64
	for i, a := range dc.Areas {
		sum += a.Staff
		if math.Abs(a.Staff-want[i]) > 1e-9 {
			t.Errorf("catchment area %s staff %v, want %v", a.ID, a.Staff, want[i])
		}
	}
	if math.Abs(sum+dc.Unplaced-37) > 1e-9 || dc.Rule != "catchment" {
		t.Errorf("catchment placed %v + %v unplaced of 37", sum, dc.Unplaced)
	}
	_, err = Density(r, Norm{Categories: []gst.CategoryID{"vet"}, PerThousand: -1}, nil)
	wantInvalid(t, err, `unknown category "vet"`, "per_thousand")
}

func TestBeds(t *testing.T) {
	// 3,650 admissions staying 4 days fill 40 beds on average; at 80 %
	// occupancy they need 40 / 0.8 = 50 beds.
	b, err := BedsNeeded(3650, 4, 0.8)
	if err != nil || b != 50 {
		t.Errorf("BedsNeeded = %v, %v; want 50", b, err)
	}
	for _, occ := range []float64{0, -0.1, 1.01, math.NaN()} {
		_, err := BedsNeeded(1, 1, occ)
		wantInvalid(t, err, "occupancy")
	}
	r := testRegion()
	vols, _ := NewVolumes([]Volume{{"H1", "med", 1220}, {"H1", "del", 375}, {"H1", "pc", 24400}, {"C2", "del", 25}})
	res, err := Beds(r, vols, []Stay{{Service: "med", ALOSDays: 5}, {Service: "del", ALOSDays: 2, Occupancy: 0.7}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	medBeds := 1220 * 5 / (365 * 0.85)
	delH1 := 375 * 2 / (365 * 0.7)
	delC2 := 25 * 2 / (365 * 0.7)
	wantRows := []BedRow{
		{"C2", "del", 25, 2, 0.7, 50, delC2},
		{"H1", "del", 375, 2, 0.7, 750, delH1},
		{"H1", "med", 1220, 5, 0.85, 6100, medBeds},
	}
	if d := cmp.Diff(wantRows, res.Rows, approx); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	wantGaps := []BedGap{
		{Establishment: "C2", Need: delC2, Rounded: 1, Available: 0, Difference: -delC2, Ratio: ptr(0)},
		{Establishment: "H1", Need: delH1 + medBeds, Rounded: 23, Available: 40, Difference: 40 - delH1 - medBeds, Ratio: ptr(40 / (delH1 + medBeds))},
	}
	if d := cmp.Diff(wantGaps, res.Establishments, approx); d != "" {
		t.Errorf("gaps (-want +got):\n%s", d)
	}
	_, err = Beds(r, vols, []Stay{{Service: "med", ALOSDays: -1, Occupancy: 2}, {Service: "med", ALOSDays: 1}, {Service: "icu", ALOSDays: 1}}, &BedOptions{Occupancy: 1.5})
	wantInvalid(t, err, "bed options", "alos_days", "occupancy", "given twice", `unknown service "icu"`)
}

func TestStaffCost(t *testing.T) {
	r := testRegion()
	res, err := StaffCost(r, OnRoll(r), &CostOptions{AnnualCost: map[gst.CategoryID]float64{"mid": 170000}})
	if err != nil {
		t.Fatal(err)
	}
	// Doctors 5 × 300,000; nurses 25 × 150,000; midwives 7 × 170,000.
	wantCat := []CostTotal{{"doc", 5, 1500000}, {"mid", 7, 1190000}, {"nur", 25, 3750000}}
	if d := cmp.Diff(wantCat, res.ByCategory, approx); d != "" {
		t.Errorf("by category (-want +got):\n%s", d)
	}
	if res.CostMAD != 6440000 || res.FTE != 37 {
		t.Errorf("total %v MAD for %v FTE", res.CostMAD, res.FTE)
	}
	if res.ByEstablishment[2].ID != "H1" || res.ByEstablishment[2].CostMAD != 1500000+3000000+1020000 {
		t.Errorf("H1 = %+v", res.ByEstablishment[2])
	}
	noCost := testRegion()
	noCost.Categories[1].AnnualCost = 0
	_, err = StaffCost(noCost, OnRoll(noCost), nil)
	wantInvalid(t, err, `category "nur"`, "no annual cost")
	_, err = StaffCost(r, []StaffFTE{{Establishment: "Q", Category: "doc", FTE: math.Inf(1)}}, &CostOptions{AnnualCost: map[gst.CategoryID]float64{"vet": -1}})
	wantInvalid(t, err, `unknown establishment "Q"`, "fte", `unknown category "vet"`, "annual_cost")
}

func testFinancing() *Financing {
	return &Financing{
		Payers: []Payer{
			{ID: "amo", Segment: "coverage/amo"},
			{ID: "tadamon", Segment: "coverage/tadamon"},
			{ID: "uninsured", Segment: "coverage/uninsured"},
			{ID: "state", Segment: ""},
		},
		PrimaryService: "pc",
		Capitation:     []Capitation{{Payer: "amo", PerPersonMAD: 300}, {Payer: "tadamon", PerPersonMAD: 200}, {Payer: "state", PerPersonMAD: 150}},
		Tariffs: []Tariff{
			{Service: "del", PerCaseMAD: 3000},
			{Service: "del", Payer: "amo", PerCaseMAD: 4000},
			{Service: "med", PerCaseMAD: 5000},
		},
	}
}

func TestBudget(t *testing.T) {
	r := testRegion()
	dem, err := Demand(r, testRates(), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Budget(r, dem, testAssignment(t), testFinancing())
	if err != nil {
		t.Fatal(err)
	}
	// Worked by hand. Deliveries and medical admissions have base rates
	// only, so their cases split like each area's people by coverage.
	//   C1 enrols 80 % of A2's 5,000 people, who have no coverage
	//      breakdown: 4,000 for the state at 150 MAD.
	//   C2 enrols A3 (500 AMO at 300 MAD, 1,500 uninsured without
	//      capitation) and takes half of A3's 50 deliveries: 6.25 AMO at
	//      4,000 MAD and 18.75 uninsured at the 3,000 MAD default.
	//   H1 enrols A1 (6,000 AMO, 3,000 Tadamon, 1,000 state) and 20 % of
	//      A2 (1,000 state); it takes the deliveries of A1 (150 AMO, 75
	//      Tadamon, 25 state) and A2 (125 state), and every medical
	//      admission: A1 (480 AMO, 240 Tadamon, 80 state), A2 (300 state)
	//      and A3 (30 AMO, 90 uninsured), at 5,000 MAD.
	want := []BudgetRow{
		{Establishment: "C1", Payer: "state", Enrolled: 4000, CapitationMAD: 600000, TotalMAD: 600000},
		{Establishment: "C2", Payer: "amo", Enrolled: 500, CapitationMAD: 150000, Cases: 6.25, FeeForServiceMAD: 25000, TotalMAD: 175000},
		{Establishment: "C2", Payer: "uninsured", Enrolled: 1500, Cases: 18.75, FeeForServiceMAD: 56250, TotalMAD: 56250},
		{Establishment: "H1", Payer: "amo", Enrolled: 6000, CapitationMAD: 1800000, Cases: 150 + 480 + 30, FeeForServiceMAD: 150*4000 + 510*5000, TotalMAD: 1800000 + 600000 + 2550000},
		{Establishment: "H1", Payer: "state", Enrolled: 2000, CapitationMAD: 300000, Cases: 150 + 380, FeeForServiceMAD: 150*3000 + 380*5000, TotalMAD: 300000 + 450000 + 1900000},
		{Establishment: "H1", Payer: "tadamon", Enrolled: 3000, CapitationMAD: 600000, Cases: 75 + 240, FeeForServiceMAD: 75*3000 + 240*5000, TotalMAD: 600000 + 225000 + 1200000},
		{Establishment: "H1", Payer: "uninsured", Cases: 90, FeeForServiceMAD: 450000, TotalMAD: 450000},
	}
	if d := cmp.Diff(want, res.Rows, approx); d != "" {
		t.Errorf("budget (-want +got):\n%s", d)
	}
	if math.Abs(res.UnservedCases-25) > 1e-9 || res.UnenrolledPeople != 0 || res.UnpricedCases != 0 {
		t.Errorf("unserved %v unenrolled %v unpriced %v", res.UnservedCases, res.UnenrolledPeople, res.UnpricedCases)
	}
	var total float64
	for _, b := range res.ByPayer {
		total += b.TotalMAD
	}
	if math.Abs(total-res.TotalMAD) > 1e-6 {
		t.Errorf("payer totals %v != total %v", total, res.TotalMAD)
	}

	bad := testFinancing()
	bad.Payers = append(bad.Payers, Payer{ID: "amo", Segment: "coverage/migrant"}, Payer{ID: "x", Segment: "age/0-4"})
	bad.Capitation = append(bad.Capitation, Capitation{Payer: "nobody", PerPersonMAD: -1})
	bad.Tariffs = []Tariff{{Service: "del", Payer: "amo", PerCaseMAD: 1}}
	_, err = Budget(r, dem, testAssignment(t), bad)
	wantInvalid(t, err, "given twice", `no area of the region has segment "coverage/migrant"`, `unknown payer "nobody"`, "per_person_mad", `payer "tadamon" has no tariff`)
	_, err = Budget(r, nil, nil, nil)
	wantInvalid(t, err, "demand", "assignment", "financing")

	proj, err := Demand(r, testRates(), &DemandOptions{Projection: &Projection{TargetYear: 2030}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Budget(r, proj, testAssignment(t), testFinancing())
	wantInvalid(t, err, "the demand is for 2030")
}

// Property: Assess gives the same figures as the four steps called in
// turn.
func TestAssessMatchesSteps(t *testing.T) {
	r := testRegion()
	ctx := context.Background()
	opt := &AssessOptions{Demand: &DemandOptions{Projection: &Projection{TargetYear: 2030}}, CatchmentService: "pc"}
	got, err := Assess(ctx, r, &AssessInput{Rates: testRates(), Standards: testStandards()}, opt)
	if err != nil {
		t.Fatal(err)
	}
	pr, _, err := Project(r, opt.Demand.Projection)
	if err != nil {
		t.Fatal(err)
	}
	dem, err := Demand(pr, testRates(), nil)
	if err != nil {
		t.Fatal(err)
	}
	at, err := Attribute(ctx, pr, dem.Table, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := WISN(pr, &WISNInput{Standards: testStandards(), Volumes: at.Volumes}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := ComputeGaps(pr, w.Need(), &GapOptions{Catchment: at.Assignment, CatchmentService: "pc"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Year != 2030 {
		t.Errorf("year = %d", got.Year)
	}
	if d := cmp.Diff(dem.Table.Rows(), got.Demand.Table.Rows()); d != "" {
		t.Errorf("demand differs:\n%s", d)
	}
	if d := cmp.Diff(w.Rows, got.WISN.Rows); d != "" {
		t.Errorf("WISN differs:\n%s", d)
	}
	if d := cmp.Diff(g, got.Gaps); d != "" {
		t.Errorf("gaps differ:\n%s", d)
	}
	_, err = Assess(ctx, r, &AssessInput{Rates: []Rate{{Service: "pc", PerThousand: -1}}, Standards: testStandards()}, nil)
	wantInvalid(t, err, "per_thousand")
	_, err = Assess(ctx, r, nil, nil)
	wantInvalid(t, err, "assess input")
}

// Cases of a tariffed service whose rates distinguish coverage follow the
// demand's own segments, not the population shares.
func TestBudgetSegmentedCases(t *testing.T) {
	r := testRegion()
	dem, err := Demand(r, testRates(), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := testFinancing()
	f.Capitation = nil
	f.Tariffs = []Tariff{{Service: "pc", PerCaseMAD: 100}, {Service: "pc", Payer: "amo", PerCaseMAD: 150}}
	res, err := Budget(r, dem, testAssignment(t), f)
	if err != nil {
		t.Fatal(err)
	}
	// H1 takes A1's visits: 15,000 AMO (6,000 × 2.5), 5,400 Tadamon
	// (3,000 × 1.8), 2,000 with no coverage segment (1,000 × 2); and 20 %
	// of A2's 10,000 visits (no breakdown: state).
	want := map[string]float64{"amo": 15000 * 150, "tadamon": 5400 * 100, "state": (2000 + 2000) * 100}
	for _, b := range res.Rows {
		if b.Establishment != "H1" {
			continue
		}
		if w, ok := want[b.Payer]; !ok || math.Abs(b.FeeForServiceMAD-w) > 1e-6 {
			t.Errorf("H1 %s fees %v, want %v", b.Payer, b.FeeForServiceMAD, w)
		}
	}
}

// Property: shuffling the order of areas, establishments and rates
// changes no byte of the gap tables.
func TestAssessDeterministic(t *testing.T) {
	run := func(r *gst.Region, rates []Rate) []byte {
		a, err := Assess(context.Background(), r, &AssessInput{Rates: rates, Standards: testStandards()}, &AssessOptions{CatchmentService: "pc"})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := a.Gaps.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(a.WISN)
		if err != nil {
			t.Fatal(err)
		}
		return append(buf.Bytes(), b...)
	}
	want := run(testRegion(), testRates())
	r := testRegion()
	r.Areas[0], r.Areas[1], r.Areas[2] = r.Areas[2], r.Areas[0], r.Areas[1]
	r.Establishments[0], r.Establishments[2] = r.Establishments[2], r.Establishments[0]
	rates := testRates()
	for i, j := 0, len(rates)-1; i < j; i, j = i+1, j-1 {
		rates[i], rates[j] = rates[j], rates[i]
	}
	if got := run(r, rates); !bytes.Equal(got, want) {
		t.Errorf("shuffled input changed the output:\n%s\nwant:\n%s", got, want)
	}
}

// TestNearestAssignmentPublic pins the public default: a private
// polyclinic standing in A2 serves A2's admissions only when
// IncludePrivate says so, so that a WISN need computed from the default
// catchments lands on public establishments, which the pool package can
// staff.
func TestNearestAssignmentPublic(t *testing.T) {
	r := testRegion()
	r.Establishments = append(r.Establishments, gst.Establishment{ID: "P9", Level: gst.LocalHospital, Ownership: gst.Private,
		Province: "P1", Area: "A2", Lat: 34.10, Lon: -5.20, Offers: []gst.Offer{{Service: "med"}}})
	dem, err := Demand(r, testRates(), nil)
	if err != nil {
		t.Fatal(err)
	}
	at, err := Attribute(context.Background(), r, dem.Table, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := at.Assignment.For("A2", "med"); len(got) != 1 || got[0].Establishment != "H1" {
		t.Errorf("A2 admissions go to %+v, want the public H1", got)
	}
	if v := at.Volumes.Volume("P9", "med"); v != 0 {
		t.Errorf("the private P9 receives %v admissions by default", v)
	}
	asg, err := NearestAssignment(context.Background(), r, []gst.ServiceID{"med"}, &AttributeOptions{IncludePrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := asg.For("A2", "med"); len(got) != 1 || got[0].Establishment != "P9" {
		t.Errorf("with IncludePrivate, A2 admissions go to %+v, want P9", got)
	}
}
