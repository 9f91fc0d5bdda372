package pilot

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/pathway"
)

func runShort(t *testing.T, dir string) *Result {
	t.Helper()
	res, err := Run(context.Background(), Config{Program: "test", RegionDir: dir, Short: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestWeightedStats(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name     string
		w, t     []float64
		standard float64
		want     Stats
	}{
		{"percentile is the lower weighted one", []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 100}, 50,
			Stats{Weight: 10, Assessed: 10, Mean: 14.5, P90: 9, Max: 100, Standard: 50, Beyond: 1, BeyondShare: 0.1}},
		{"unserved weight is counted apart", []float64{3, 1, 0}, []float64{10, nan, 500}, 5,
			Stats{Weight: 4, Assessed: 3, Mean: 10, P90: 10, Max: 10, Standard: 5, Beyond: 3, BeyondShare: 1, Unserved: 1}},
		{"no standard", []float64{1, 3}, []float64{20, 40}, 0,
			Stats{Weight: 4, Assessed: 4, Mean: 35, P90: 40, Max: 40}},
		// Finding 7: nothing served is "not served", not 0 minutes.
		{"nothing assessed", []float64{2}, []float64{nan}, 30, Stats{Weight: 2, Standard: 30, Unserved: 2, Mean: nan, P90: nan, Max: nan, BeyondShare: nan}},
	}
	for _, tt := range tests {
		got := WeightedStats(tt.w, tt.t, tt.standard, nil)
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12), cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	// A group takes each area in its part: half of the second area.
	got := WeightedStats([]float64{1, 2}, []float64{10, 40}, 0, func(i int) float64 { return []float64{1, 0.5}[i] })
	if got.Weight != 2 || got.Mean != 25 {
		t.Errorf("parts: %+v", got)
	}
	if b, err := json.Marshal(WeightedStats([]float64{2}, []float64{nan}, 30, nil)); err != nil || !strings.Contains(string(b), `"mean_minutes":null`) {
		t.Errorf("JSON of nothing served: %s, %v", b, err)
	}
}

func TestMapLabel(t *testing.T) {
	tests := []struct {
		name, commune string
		level         gst.Level
		want          string
	}{
		{"Hôpital Ibn Baja", "Taza", gst.ProvincialHospital, "Hôpital Ibn Baja"},
		{"مستشفى الغساني", "Fès", gst.ProvincialHospital, "Hospital, Fès"},
		{"مستشفى إيموزار مرموشة - Imouzzer Marmoucha Hospital", "Imouzzer Marmoucha", gst.LocalHospital, "Imouzzer Marmoucha Hospital"},
		{"مركز طب الادمان Centre d'Addictologie, Meknès", "Meknès", gst.ProvincialHospital, "Centre d'Addictologie, Meknès"},
		{"المركز الصحي ويسلان 2", "Ouislane", gst.HealthCentre, "Health centre, Ouislane"},
		{"", "Sefrou", gst.LocalHospital, "Hospital, Sefrou"},
		{"", "", gst.LocalHospital, "x"},
	}
	for _, tt := range tests {
		if got := MapLabel(tt.name, tt.commune, tt.level, "x"); got != tt.want {
			t.Errorf("MapLabel(%q, %q) = %q, want %q", tt.name, tt.commune, got, tt.want)
		}
	}
	// Reports and tables keep the name, in any script.
	r := &gst.Region{Areas: []gst.Area{{ID: "a", Name: "Fès", Lat: 34, Lon: -5, Population: 1}},
		Establishments: []gst.Establishment{{ID: "h", Name: "مستشفى الغساني", Level: gst.ProvincialHospital, Area: "a", Lat: 34, Lon: -5}}}
	if ref := Ref(r, "h"); ref.Label != "مستشفى الغساني" || ref.MapLabel != "Hospital, Fès" || ref.Short() != "مستشفى الغساني (Fès)" {
		t.Errorf("Ref: %+v, short %q", ref, ref.Short())
	}
}

func TestErrorLines(t *testing.T) {
	err := errors.Join(errors.New("a.csv:2:3: area: population: not a number"), errors.Join(errors.New("b.csv:4:1: x"), errors.New("two\nlines")))
	want := []string{"a.csv:2:3: area: population: not a number", "b.csv:4:1: x", "two", "lines"}
	if diff := cmp.Diff(want, ErrorLines(err)); diff != "" {
		t.Errorf("ErrorLines (-want +got):\n%s", diff)
	}
}

// TestPipelineFesMeknes checks the pipeline's figures against each other
// and against the packages that computed them.
func TestPipelineFesMeknes(t *testing.T) {
	res := runShort(t, "../../data/fesmeknes")
	if res.BasePopulation != 4467911 || res.Region.Population() != 4467911 {
		t.Errorf("population %v (region %v), want 4,467,911 (RGPH 2024)", res.BasePopulation, res.Region.Population())
	}
	if res.Year != 2030 || res.Population <= res.BasePopulation {
		t.Errorf("year %d, population %v: want a 2030 projection above the 2024 census", res.Year, res.Population)
	}
	// Demand: caesarean sections are 15% of births in every commune.
	if d, c := res.total("delivery"), res.total("caesarean"); math.Abs(c-0.15*d) > 1e-6*d {
		t.Errorf("caesareans %v, births %v: want 15%%", c, d)
	}
	// The gap tables add up: provinces sum to the region, by cadre.
	for _, g := range res.RegionGaps {
		var need, avail float64
		for _, p := range res.ProvinceGaps {
			if p.Category == g.Category {
				need += p.Need
				avail += p.Available
			}
		}
		if math.Abs(need-g.Need) > 1e-6*math.Max(1, g.Need) || math.Abs(avail-g.Available) > 1e-9 {
			t.Errorf("%s: provinces need %v and have %v, region %v and %v", g.Category, need, avail, g.Need, g.Available)
		}
	}
	// Pooling: staff lent equal staff received, moves keep to the rules,
	// and no cadre's unmet need grows.
	pl := res.Pooling
	if !pl.Available || pl.Plan == nil {
		t.Fatalf("no pooling: %s", pl.Note)
	}
	var out, in float64
	for _, c := range pl.Categories {
		out += c.Out
		in += c.In
		if c.Unmet > c.UnmetBefore+1e-9 {
			t.Errorf("%s: unmet need grows from %v to %v", c.ID, c.UnmetBefore, c.Unmet)
		}
	}
	if math.Abs(out-in) > 1e-6 || math.Abs(out-pl.Plan.After.MovedFTE) > 1e-6 {
		t.Errorf("lent %v, received %v, moved %v FTE", out, in, pl.Plan.After.MovedFTE)
	}
	minutes, moves := 0.0, 0
	for _, m := range pl.Plan.Moves {
		if m.Minutes > PoolCommuteMinutes+1e-9 || math.Abs(m.SessionsPerWeek-math.Round(m.SessionsPerWeek)) > 1e-9 {
			t.Errorf("move %+v breaks the commute limit or splits a session", m)
		}
		if m.SessionsPerWeek < PoolMinMoveSessions-1e-9 || m.FixedMADPerWeek != PoolPerMoveMAD {
			t.Errorf("move %+v: below the smallest move of %d sessions, or without the fixed cost of %g MAD", m, PoolMinMoveSessions, PoolPerMoveMAD)
		}
		minutes += m.TravelMinutesPerWeek
	}
	for _, c := range pl.Categories {
		moves += c.Moves
	}
	if math.Abs(pl.Plan.After.TravelHoursPerWeek-minutes/60) > 1e-6*minutes || moves != pl.Plan.After.Moves || moves != len(pl.Plan.Moves) {
		t.Errorf("travel %v hours a week, moves %d (by cadre %d); the moves say %v hours and %d", pl.Plan.After.TravelHoursPerWeek,
			pl.Plan.After.Moves, moves, minutes/60, len(pl.Plan.Moves))
	}
	// An FTE of unmet need is worth the weekly cost of the cheapest cadre
	// pooled: nurses and midwives, 155,400 MAD a year in the data.
	if math.Abs(pl.UnmetValueMAD-155400.0/52) > 1e-9 || pl.ValueCategory != "midwife" || pl.Plan.Lexicographic {
		t.Errorf("unmet need valued at %v MAD a week (%s), lexicographic %v", pl.UnmetValueMAD, pl.ValueCategory, pl.Plan.Lexicographic)
	}
	if pl.Plan.After.Unmet >= pl.Plan.Before.Unmet {
		t.Errorf("pooling leaves %v FTE unmet of %v", pl.Plan.After.Unmet, pl.Plan.Before.Unmet)
	}
	if len(res.Decisions) != 2 {
		t.Fatalf("%d decisions, want maternity and dialysis", len(res.Decisions))
	}
	for _, d := range res.Decisions {
		p := d.Plan
		if p == nil {
			t.Fatalf("%s: no plan: %s", d.Spec.ID, d.Err)
		}
		if !p.Status.HasSolution() || p.Bound > p.Value*(1+1e-9) || p.Gap < 0 {
			t.Errorf("%s: status %v, value %v, bound %v, gap %v", d.Spec.ID, p.Status, p.Value, p.Bound, p.Gap)
		}
		if p.Opened+p.Closed > d.Spec.MaxChanges || p.Opened == 0 {
			t.Errorf("%s: %d opened and %d closed, at most %d changes allowed", d.Spec.ID, p.Opened, p.Closed, d.Spec.MaxChanges)
		}
		if p.Value > p.BeforeValue {
			t.Errorf("%s: plan %v worse than today %v", d.Spec.ID, p.Value, p.BeforeValue)
		}
		// allocate's figures and ours agree: same matrix, proportional
		// weights (trips = 2 × episodes).
		st, ok := res.mapStep(d.Spec.MapService)
		if !ok {
			t.Fatalf("%s: no step for %s", d.Spec.ID, d.Spec.MapService)
		}
		acc, _ := res.AccessFor(st.p, st.s, "region")
		for i, f := range p.After {
			if f.Service != d.Spec.MapService {
				continue
			}
			if math.Abs(f.MeanTravel-acc.After.Mean) > 1e-6 || f.P90Travel != acc.After.P90 || math.Abs(p.Before[i].MeanTravel-acc.Before.Mean) > 1e-6 {
				t.Errorf("%s: allocate mean %v→%v p90 %v, pipeline mean %v→%v p90 %v", d.Spec.ID,
					p.Before[i].MeanTravel, f.MeanTravel, f.P90Travel, acc.Before.Mean, acc.After.Mean, acc.After.P90)
			}
		}
	}
	// Our step figures agree with the pathway package's evaluation.
	for _, st := range accessSteps {
		acc, ok := res.AccessFor(st.p, st.s, "region")
		if !ok {
			t.Fatalf("no access figures for %s/%s", st.p, st.s)
		}
		var sc *pathway.StepChange
		for i := range res.Comparison.Steps {
			if res.Comparison.Steps[i].Pathway == st.p && res.Comparison.Steps[i].Step == st.s {
				sc = &res.Comparison.Steps[i]
			}
		}
		if sc == nil {
			t.Fatalf("no comparison for %s/%s", st.p, st.s)
		}
		pw, _ := pathway.Defaults().Pathway(st.p)
		step, _ := pw.Step(st.s)
		for _, c := range []struct {
			name string
			s    Stats
			f    pathway.Figures
		}{{"before", acc.Before, sc.Before}, {"after", acc.After, sc.After}} {
			// Travel = episodes × visits × 2 legs × one-way minutes.
			want := c.f.TravelMinutes
			got := c.s.Mean * c.s.Assessed * step.VisitsPerEpisode * 2
			if math.Abs(got-want) > 1e-6*math.Max(1, want) {
				t.Errorf("%s/%s %s: travel %v from our figures, %v from the pathway package", st.p, st.s, c.name, got, want)
			}
			if math.Abs(c.s.BeyondShare-c.f.BeyondStandardShare) > 1e-9 {
				t.Errorf("%s/%s %s: beyond share %v, pathway package %v", st.p, st.s, c.name, c.s.BeyondShare, c.f.BeyondStandardShare)
			}
		}
	}
	// One model of births (finding 10): the demand table's births and
	// caesareans are those of the pathway figures.
	for _, st := range []struct {
		svc  gst.ServiceID
		step pathway.StepID
	}{{"delivery", "delivery"}, {"caesarean", "caesarean"}} {
		a, ok := res.AccessFor(pathway.Maternal, st.step, "region")
		if !ok || math.Abs(res.total(st.svc)-a.Before.Weight) > 1e-6*a.Before.Weight {
			t.Errorf("%s: %v in the demand table, %v in the pathway figures", st.svc, res.total(st.svc), a.Before.Weight)
		}
	}
	// The most-deprived group is the pathway package's.
	dep, err := gst.MostDeprived(res.After.Areas, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	var theirs float64
	for _, g := range res.Comparison.Deprivation {
		if g.Key == "most-deprived" {
			theirs = g.Total.Before.Episodes
		}
	}
	var ours float64
	for i := range res.After.Areas {
		ours += dep[i] * res.After.Areas[i].Population
	}
	if math.Abs(ours-0.2*res.Population) > 1e-6*res.Population {
		t.Errorf("most-deprived population %v of %v: want exactly a fifth", ours, res.Population)
	}
	// Episodes of every pathway are proportional to population, so the
	// group's episodes give its population back.
	if want := res.Comparison.Total.Before.Episodes * ours / res.Population; math.Abs(theirs-want) > 1e-6*want {
		t.Errorf("most-deprived episodes %v, want %v from our group", theirs, want)
	}
}

func TestApply(t *testing.T) {
	r := &gst.Region{
		Areas: []gst.Area{{ID: "a", Lat: 34, Lon: -5, Population: 100}},
		Establishments: []gst.Establishment{
			{ID: "cand", Level: gst.LocalHospital, Lat: 34, Lon: -5, Candidate: true, Offers: []gst.Offer{{Service: "x", Capacity: 5}}},
			{ID: "h", Level: gst.LocalHospital, Lat: 34.1, Lon: -5},
			{ID: "c", Level: gst.LocalHospital, Lat: 34.2, Lon: -5, Closable: true, Offers: []gst.Offer{{Service: "x"}, {Service: "y"}}},
		},
		Services: []gst.Service{{ID: "x"}, {ID: "y"}},
	}
	d := &Decision{Spec: &Relocation{NewCapacity: map[gst.ServiceID]float64{"x": 7}}, Plan: &allocate.Plan{Sites: []allocate.SiteDecision{
		{Site: "cand", Change: allocate.Opens, Services: []gst.ServiceID{"x"}},
		{Site: "h", Change: allocate.Opens, Services: []gst.ServiceID{"x"}},
		{Site: "c", Change: allocate.Closes, Services: []gst.ServiceID{"x"}},
	}}}
	out, err := Apply(r, []*Decision{d})
	if err != nil {
		t.Fatal(err)
	}
	cand, _ := out.Establishment("cand")
	h, _ := out.Establishment("h")
	c, _ := out.Establishment("c")
	if cand.Candidate || !cand.OffersService("x") {
		t.Errorf("opened candidate: %+v", cand)
	}
	if o, ok := h.Offer("x"); !ok || o.Capacity != 7 {
		t.Errorf("new unit: offer %+v %v, want capacity 7", o, ok)
	}
	if c.OffersService("x") || !c.OffersService("y") {
		t.Errorf("closed site still offers x, or lost y: %+v", c.Offers)
	}
	if orig, _ := r.Establishment("cand"); !orig.Candidate {
		t.Error("Apply changed its input")
	}
}

func TestNearest(t *testing.T) {
	r := &gst.Region{
		Areas: []gst.Area{{ID: "a1", Lat: 34, Lon: -5, Population: 10}, {ID: "a2", Lat: 34.5, Lon: -5, Population: 10}},
		Establishments: []gst.Establishment{
			{ID: "e1", Level: gst.LocalHospital, Lat: 34.01, Lon: -5, Offers: []gst.Offer{{Service: "s"}}},
			{ID: "e2", Level: gst.LocalHospital, Lat: 34.49, Lon: -5, Offers: []gst.Offer{{Service: "s"}}, Ownership: gst.Private},
			{ID: "e3", Level: gst.LocalHospital, Lat: 34.3, Lon: -5, Offers: []gst.Offer{{Service: "s"}}},
		},
		Services: []gst.Service{{ID: "s"}},
	}
	m, err := TravelMatrix(context.Background(), r, &gst.Estimator{})
	if err != nil {
		t.Fatal(err)
	}
	asg, err := gst.AssignNearest(context.Background(), r, m, []gst.ServiceID{"s"}, PublicOpen)
	if err != nil {
		t.Fatal(err)
	}
	want := []gst.Allocation{{Area: "a1", Service: "s", Establishment: "e1", Share: 1}, {Area: "a2", Service: "s", Establishment: "e3", Share: 1}}
	if diff := cmp.Diff(want, asg.Rows()); diff != "" {
		t.Errorf("nearest public (-want +got):\n%s", diff)
	}
}

// An area served in part counts its served share at its minutes and the
// rest as unserved.
func TestServedStats(t *testing.T) {
	w := []float64{100, 50, 10}
	tm := []float64{20, 40, math.NaN()}
	st := ServedStats(w, tm, []float64{0.5, 1, 0}, 30, nil)
	if st.Weight != 160 || st.Assessed != 100 || st.Unserved != 60 || st.Mean != 30 || st.Beyond != 50 || st.BeyondShare != 0.5 {
		t.Errorf("%+v", st)
	}
	if whole := ServedStats(w, tm, nil, 30, nil); whole != WeightedStats(w, tm, 30, nil) || whole.Unserved != 10 {
		t.Errorf("served nil: %+v", whole)
	}
}
