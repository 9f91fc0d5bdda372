package capacity

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gstplan/gst"
)

func TestDemandVolumes(t *testing.T) {
	res, err := Demand(testRegion(), testRates(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Worked by hand from testRates and testRegion:
	// A1 pc: 6,000 × 2.5 + 3,000 × 1.8 + 1,000 × 2 = 22,400
	// A2 pc: 5,000 × 2 (no coverage breakdown: base rate) = 10,000
	// A3 pc: 500 × 2.5 + 1,500 × 2 (uninsured: base rate) = 4,250
	want := []gst.Demand{
		{Area: "A1", Service: "del", Volume: 250},
		{Area: "A1", Service: "med", Volume: 800},
		{Area: "A1", Service: "pc", Volume: 22400},
		{Area: "A2", Service: "del", Volume: 125},
		{Area: "A2", Service: "med", Volume: 300},
		{Area: "A2", Service: "pc", Volume: 10000},
		{Area: "A3", Service: "del", Volume: 50},
		{Area: "A3", Service: "med", Volume: 120},
		{Area: "A3", Service: "pc", Volume: 4250},
	}
	if d := cmp.Diff(want, res.Table.Rows(), approx); d != "" {
		t.Errorf("demand (-want +got):\n%s", d)
	}
	if res.Year != 2024 || res.Population != 17000 {
		t.Errorf("year, population = %d, %v; want 2024, 17000", res.Year, res.Population)
	}
	wantFB := []Fallback{{Area: "A2", Service: "pc", Dimension: "coverage", Rule: "base-rate", People: 5000}}
	if d := cmp.Diff(wantFB, res.Fallbacks); d != "" {
		t.Errorf("fallbacks (-want +got):\n%s", d)
	}
	var a1pc []SegmentDemand
	for _, s := range res.Segments {
		if s.Area == "A1" && s.Service == "pc" {
			a1pc = append(a1pc, s)
		}
	}
	wantSeg := []SegmentDemand{
		{Area: "A1", Service: "pc", Segment: "", People: 1000, PerThousand: 2000, Volume: 2000},
		{Area: "A1", Service: "pc", Segment: "coverage/amo", People: 6000, PerThousand: 2500, Volume: 15000},
		{Area: "A1", Service: "pc", Segment: "coverage/tadamon", People: 3000, PerThousand: 1800, Volume: 5400},
	}
	if d := cmp.Diff(wantSeg, a1pc, approx); d != "" {
		t.Errorf("A1 pc segments (-want +got):\n%s", d)
	}
}

// Property: segment volumes add up to the table, and people to the
// population, whatever the rule for missing breakdowns.
func TestDemandSegmentsAddUp(t *testing.T) {
	r := testRegion()
	for _, rule := range []MissingSegments{BaseRateForAll, RegionShares} {
		res, err := Demand(r, testRates(), &DemandOptions{Missing: rule})
		if err != nil {
			t.Fatal(err)
		}
		vol := map[gst.Demand]float64{}
		people := map[gst.Demand]float64{}
		for _, s := range res.Segments {
			k := gst.Demand{Area: s.Area, Service: s.Service}
			vol[k] += s.Volume
			people[k] += s.People
		}
		for _, d := range res.Table.Rows() {
			k := gst.Demand{Area: d.Area, Service: d.Service}
			if math.Abs(vol[k]-d.Volume) > 1e-9*d.Volume {
				t.Errorf("%v: %s/%s segments sum to %v, table has %v", rule, d.Area, d.Service, vol[k], d.Volume)
			}
			a, _ := r.Area(d.Area)
			if math.Abs(people[k]-a.Population) > 1e-9*a.Population {
				t.Errorf("%v: %s/%s counts %v people of %v", rule, d.Area, d.Service, people[k], a.Population)
			}
		}
	}
}

func TestDemandRegionShares(t *testing.T) {
	res, err := Demand(testRegion(), testRates(), &DemandOptions{Missing: RegionShares})
	if err != nil {
		t.Fatal(err)
	}
	// Areas with a coverage breakdown (A1, A3) hold 12,000 people: AMO
	// 6,500, Tadamon 3,000, uninsured 1,500, 1,000 in none. A2's 5,000
	// rural people split the same way: AMO 2,708.33 × 2.5, Tadamon 1,250
	// × 2 (the Tadamon rate is urban only), uninsured 625 × 2, rest
	// 416.67 × 2.
	want := 5000*6500.0/12000*2.5 + 1250*2 + 625*2 + 5000*1000.0/12000*2
	if got := res.Table.Volume("A2", "pc"); math.Abs(got-want) > 1e-9*want {
		t.Errorf("A2 pc = %v, want %v", got, want)
	}
	wantShares := map[string]map[string]float64{"coverage": {"coverage/amo": 6500.0 / 12000, "coverage/tadamon": 0.25, "coverage/uninsured": 0.125}}
	if d := cmp.Diff(wantShares, res.RegionShares, approx); d != "" {
		t.Errorf("region shares (-want +got):\n%s", d)
	}
	if len(res.Fallbacks) != 1 || res.Fallbacks[0].Rule != "region-shares" {
		t.Errorf("fallbacks = %+v", res.Fallbacks)
	}
}

func TestDemandReject(t *testing.T) {
	_, err := Demand(testRegion(), testRates(), &DemandOptions{Missing: RejectMissing})
	wantInvalid(t, err, `area "A2"`, `no "coverage" breakdown`)
}

func TestDemandValidation(t *testing.T) {
	tests := []struct {
		name  string
		rates []Rate
		want  []string
	}{
		{"negative rate", []Rate{{Service: "pc", PerThousand: -1}}, []string{"rate #1", "per_thousand"}},
		{"NaN rate", []Rate{{Service: "pc", PerThousand: math.NaN()}}, []string{"per_thousand"}},
		{"unknown service", []Rate{{Service: "xray", PerThousand: 1}}, []string{`unknown service "xray"`}},
		{"segment no area has", []Rate{{Service: "pc", PerThousand: 1}, {Service: "pc", Segment: "coverage/migrant", PerThousand: 1}}, []string{"rate #2", `no area of the region has segment "coverage/migrant"`}},
		{"mixed dimensions", []Rate{{Service: "pc", PerThousand: 1}, {Service: "pc", Segment: "coverage/amo", PerThousand: 1}, {Service: "pc", Segment: "age/0-4", PerThousand: 1}}, []string{"rate #3", "mix dimensions"}},
		{"duplicate", []Rate{{Service: "pc", PerThousand: 1}, {Service: "pc", PerThousand: 2}}, []string{"rate #2", "given twice"}},
		{"no rural rate", []Rate{{Service: "med", Setting: UrbanOnly, PerThousand: 80}}, []string{`area "A2"`, `area "A3"`, `no rate for service "med" in a rural area`}},
		{"no rates", nil, []string{"at least one rate"}},
		{"bad setting", []Rate{{Service: "pc", Setting: 7, PerThousand: 1}}, []string{"unknown setting"}},
		{"all at once", []Rate{{Service: "pc", PerThousand: -1}, {Service: "zz", PerThousand: 1}}, []string{"rate #1", "rate #2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testRegion()
			r.Areas[0].Segments = append(r.Areas[0].Segments, gst.Segment{Name: "age/0-4", Population: 1200})
			_, err := Demand(r, tc.rates, nil)
			wantInvalid(t, err, tc.want...)
		})
	}
	if _, err := Demand(nil, testRates(), nil); err == nil {
		t.Error("nil region: no error")
	}
}

// A segment rate without a base rate leaves people unrated: an error that
// names the area, never a silent drop.
func TestDemandNoBaseRate(t *testing.T) {
	_, err := Demand(testRegion(), []Rate{{Service: "pc", Segment: "coverage/amo", PerThousand: 2500}}, nil)
	wantInvalid(t, err, `area "A1"`, "outside the rated segments", `segment "coverage/tadamon"`, `area "A2"`)
}

func TestDemandInvariantToAreaOrder(t *testing.T) {
	r := testRegion()
	a, err := Demand(r, testRates(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := testRegion()
	s.Areas[0], s.Areas[2] = s.Areas[2], s.Areas[0]
	rates := testRates()
	rates[0], rates[5] = rates[5], rates[0]
	b, err := Demand(s, rates, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(a.Table.Rows(), b.Table.Rows()); d != "" {
		t.Errorf("order changed the table:\n%s", d)
	}
	if d := cmp.Diff(a.Segments, b.Segments); d != "" {
		t.Errorf("order changed the segments:\n%s", d)
	}
}

// readCommunes reads testdata/communes.csv into areas with their 2014 and
// 2024 census populations.
func readCommunes(t *testing.T) *gst.Region {
	t.Helper()
	f, err := os.Open("testdata/communes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	r := &gst.Region{ID: "01", Services: []gst.Service{{ID: "pc"}}}
	for _, rec := range recs[1:] {
		p24, _ := strconv.ParseFloat(rec[5], 64)
		p14, _ := strconv.ParseFloat(rec[6], 64)
		r.Areas = append(r.Areas, gst.Area{ID: gst.AreaID(rec[0]), Name: rec[1], Province: gst.ProvinceID(rec[4]), Lat: 35.5, Lon: -5.8,
			Population: p24, Year: 2024, PastPopulation: p14, PastYear: 2014, Urban: rec[2] == "urban"})
	}
	return r
}

func TestProjectCensusCommunes(t *testing.T) {
	r := readCommunes(t)
	pr, rep, err := Project(r, &Projection{TargetYear: 2030})
	if err != nil {
		t.Fatal(err)
	}
	// Own compound growth from the RGPH 2014 and 2024 counts, capped at 5 %
	// a year. Gueznaia grew 275.73 % (23,601 → 88,676), 14.2 % a year: it
	// is capped. Al Hoceima shrank 11.44 % (56,716 → 50,225).
	own := func(p24, p14 float64) float64 { return math.Pow(p24/p14, 0.1) - 1 }
	tests := []struct {
		id      gst.AreaID
		p24     float64
		rate    float64
		clamped bool
	}{
		{"01.511.01.0", 1275428, own(1275428, 947952), false},
		{"01.511.01.01", 36039, own(36039, 31147), false},
		{"01.511.01.09", 88676, 0.05, true},
		{"01.511.03.03", 4981, own(4981, 4993), false},
		{"01.051.01.01", 50225, own(50225, 56716), false},
	}
	for i, tc := range tests {
		got := rep.Areas[i]
		if got.Area != tc.id || got.Clamped != tc.clamped || math.Abs(got.AnnualRate-tc.rate) > 1e-12 {
			t.Errorf("%s: got rate %v clamped %v, want %v %v", tc.id, got.AnnualRate, got.Clamped, tc.rate, tc.clamped)
		}
		want := tc.p24 * math.Pow(1+tc.rate, 6)
		if a, _ := pr.Area(tc.id); math.Abs(a.Population-want) > 1e-6 || a.Year != 2030 {
			t.Errorf("%s: projected %v in %d, want %v in 2030", tc.id, a.Population, a.Year, want)
		}
	}
	// Gueznaia's own rate as measured: (88,676 / 23,601)^(1/10) − 1 = 14.15 %.
	if g := *rep.Areas[2].OwnRate; math.Abs(g-0.14153) > 1e-5 {
		t.Errorf("Gueznaia own rate = %v, want 0.14153", g)
	}
	if rep.Clamped != 1 {
		t.Errorf("clamped = %d, want 1", rep.Clamped)
	}
	// The input is untouched.
	if a, _ := r.Area("01.511.01.09"); a.Population != 88676 || a.Year != 2024 {
		t.Errorf("input changed: %+v", a)
	}
}

func TestProjectKeepsSegmentShares(t *testing.T) {
	pr, _, err := Project(testRegion(), &Projection{TargetYear: 2034, Method: GivenRate, AnnualRate: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := pr.Area("A1")
	f := math.Pow(1.01, 10)
	if math.Abs(a.Population-10000*f) > 1e-9 {
		t.Errorf("population %v, want %v", a.Population, 10000*f)
	}
	amo, _ := a.Segment("coverage/amo")
	if math.Abs(amo/a.Population-0.6) > 1e-12 {
		t.Errorf("AMO share %v, want 0.6", amo/a.Population)
	}
	if err := pr.Validate(); err != nil {
		t.Errorf("projected region invalid: %v", err)
	}
}

func TestProjectValidation(t *testing.T) {
	r := testRegion()
	_, _, err := Project(r, &Projection{TargetYear: 2020})
	wantInvalid(t, err, `area "A1"`, "before the area's base year 2024")
	_, _, err = Project(r, &Projection{TargetYear: 2100})
	wantInvalid(t, err, "beyond the 30-year horizon")
	_, _, err = Project(r, &Projection{TargetYear: 2030, Method: GivenRate, AnnualRate: -2})
	wantInvalid(t, err, "annual_rate")
	_, _, err = Project(r, nil)
	wantInvalid(t, err, "projection")

	noPast := testRegion()
	noPast.Areas[1].PastPopulation, noPast.Areas[1].PastYear = 0, 0
	_, _, err = Project(noPast, &Projection{TargetYear: 2030})
	wantInvalid(t, err, `area "A2"`, "needs a past count")
	fb := 0.01
	_, rep, err := Project(noPast, &Projection{TargetYear: 2030, FallbackAnnualRate: &fb})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Areas[1].Fallback || rep.Fallbacks != 1 {
		t.Errorf("fallback not reported: %+v", rep.Areas[1])
	}
	noYear := testRegion()
	noYear.Areas[0].Year, noYear.Areas[0].PastYear, noYear.Areas[0].PastPopulation = 0, 0, 0
	_, _, err = Project(noYear, &Projection{TargetYear: 2030, Method: GivenRate})
	wantInvalid(t, err, `area "A1"`, "base year is unknown")
}

func TestDemandWithProjection(t *testing.T) {
	res, err := Demand(testRegion(), testRates(), &DemandOptions{Projection: &Projection{TargetYear: 2034, Method: GivenRate, AnnualRate: 0.02}})
	if err != nil {
		t.Fatal(err)
	}
	f := math.Pow(1.02, 10)
	if got, want := res.Table.Volume("A1", "pc"), 22400*f; math.Abs(got-want) > 1e-6 {
		t.Errorf("A1 pc in 2034 = %v, want %v", got, want)
	}
	if res.Year != 2034 || res.Projection == nil {
		t.Errorf("year %d, projection %v", res.Year, res.Projection)
	}
}

func FuzzSettingText(f *testing.F) {
	for _, s := range []string{"", "any", "urban", "rural", "Urban", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v Setting
		if err := v.UnmarshalText([]byte(s)); err != nil {
			return
		}
		b, err := v.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var w Setting
		if err := w.UnmarshalText(b); err != nil || w != v {
			t.Fatalf("round trip %q -> %q -> %v (%v)", s, b, w, err)
		}
	})
}
