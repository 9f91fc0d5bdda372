package pathway

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	gst "github.com/gstplan/gst"
)

func TestEvaluateHandComputed(t *testing.T) {
	r := toyRegion()
	ev, err := Evaluate(context.Background(), r, toySet(), Plan{Name: "toy", Assignment: toyAssignment(t), Travel: toyMatrix(t)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Return trips (factor 2). Minutes by area and step:
	//   A1 anc 600×2×10 = 12,000; delivery 200×2×(½·10+½·20) = 6,000;
	//      caesarean 40×2×20 = 1,600
	//   A2 anc 300×2×40 = 24,000; delivery 100×2×70 = 14,000;
	//      caesarean 20×2×½·130 = 2,600 (the other half unserved)
	//   A3 anc 120×2×25 = 6,000; delivery and caesarean unreachable
	want := Figures{
		Episodes: 340, Visits: 1768, InPersonVisits: 1428, TelemedicineVisits: 340,
		UnservedVisits: 10, UnreachableVisits: 48, AssessedVisits: 1370,
		TravelMinutes: 66200, TravelKm: 48400,
		CheckedEpisodes: 690, BeyondStandardEpisodes: 210,
		MinutesPerEpisode: 66200.0 / 340, KmPerEpisode: 48400.0 / 340,
		MinutesPerVisit: 66200.0 / 1370, BeyondStandardShare: 210.0 / 690,
	}
	if d := cmp.Diff(want, ev.Total, approx); d != "" {
		t.Errorf("total (-want +got):\n%s", d)
	}
	if ev.Objective != ev.Total.TravelMinutes {
		t.Errorf("objective %v != total travel %v", ev.Objective, ev.Total.TravelMinutes)
	}
	wantSteps := map[StepID]Figures{
		"anc": {Episodes: 340, Visits: 1360, InPersonVisits: 1020, TelemedicineVisits: 340, AssessedVisits: 1020,
			TravelMinutes: 42000, TravelKm: 28800, CheckedEpisodes: 340, BeyondStandardEpisodes: 100},
		"delivery": {Episodes: 340, Visits: 340, InPersonVisits: 340, UnreachableVisits: 40, AssessedVisits: 300,
			TravelMinutes: 20000, TravelKm: 16000, CheckedEpisodes: 300, BeyondStandardEpisodes: 100},
		"caesarean": {Episodes: 68, Visits: 68, InPersonVisits: 68, UnservedVisits: 10, UnreachableVisits: 8, AssessedVisits: 50,
			TravelMinutes: 4200, TravelKm: 3600, CheckedEpisodes: 50, BeyondStandardEpisodes: 10},
	}
	for id, w := range wantSteps {
		w.finish()
		got, ok := ev.Step("maternal", id)
		if !ok {
			t.Fatalf("no step %q", id)
		}
		if d := cmp.Diff(w, got.Figures, approx); d != "" {
			t.Errorf("step %s (-want +got):\n%s", id, d)
		}
	}
	if s, _ := ev.Step("maternal", "caesarean"); s.StandardMinutes != 120 || s.Reach != 0.2 || s.BelowLevelEpisodes != 0 {
		t.Errorf("caesarean standard %v reach %v below level %v, want 120 (from the service), 0.2, 0",
			s.StandardMinutes, s.Reach, s.BelowLevelEpisodes)
	}
	// Caesareans planned at a regional hospital: those sent to the
	// provincial H1 (A1's 40 and A3's 8, unreachable or not) are below it.
	regional := toySet()
	regional.Pathways[0].Steps[2].Level = gst.RegionalHospital
	evr, err := Evaluate(context.Background(), r, regional, Plan{Assignment: toyAssignment(t), Travel: toyMatrix(t)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := evr.Step("maternal", "caesarean"); !near(s.BelowLevelEpisodes, 48) {
		t.Errorf("below-level caesareans %v, want 48", s.BelowLevelEpisodes)
	}
	wantUnserved := []UnservedRow{{Area: "A2", Service: "caesarean", Share: 0.5, Visits: 10}}
	if d := cmp.Diff(wantUnserved, ev.Unserved, approx); d != "" {
		t.Errorf("unserved (-want +got):\n%s", d)
	}
	wantUnreachable := []UnreachableRow{
		{Area: "A3", Service: "caesarean", Establishment: "H1", Share: 1, InPersonVisits: 8},
		{Area: "A3", Service: "delivery", Establishment: "H1", Share: 1, InPersonVisits: 40},
	}
	if d := cmp.Diff(wantUnreachable, ev.Unreachable, approx); d != "" {
		t.Errorf("unreachable (-want +got):\n%s", d)
	}
	// Areas.
	a2, _ := ev.Area("A2")
	if got, want := a2.Total.TravelMinutes, 40600.0; !near(got, want) {
		t.Errorf("A2 minutes %v, want %v", got, want)
	}
	if got, want := a2.Total.MinutesPerEpisode, 406.0; !near(got, want) {
		t.Errorf("A2 minutes per episode %v, want %v", got, want)
	}
	if a2.Total.Complete {
		t.Error("A2 has unserved caesareans but is reported complete")
	}
	if a1, _ := ev.Area("A1"); !a1.Total.Complete || a1.Province != "P1" || a1.Name != "Town" {
		t.Errorf("A1: %+v", a1)
	}
	// Provinces: P1 = A1 + A2, P2 = A3.
	p1, _ := ev.Province("P1")
	if got, want := p1.Total.TravelMinutes, 19600+40600.0; !near(got, want) {
		t.Errorf("P1 minutes %v, want %v", got, want)
	}
	if p1.Population != 15000 || p1.Name != "Province one" {
		t.Errorf("P1 population %v name %q", p1.Population, p1.Name)
	}
	// Segments: 60% of A3 is AMO.
	wantSeg := []struct {
		key           string
		pop, minutes  float64
		episodes      float64
		unreachable   float64
		beyond, check float64
	}{
		{"coverage/amo", 1200, 0.6 * 6000, 24, 0.6 * 48, 0, 24},
		{"coverage/(rest)", 15800, 19600 + 40600 + 0.4*6000, 316, 0.4 * 48, 210, 666},
	}
	if len(ev.Segments) != len(wantSeg) {
		t.Fatalf("segments: %+v", ev.Segments)
	}
	for i, w := range wantSeg {
		g := ev.Segments[i]
		if g.Key != w.key || !near(g.Population, w.pop) || !near(g.Total.TravelMinutes, w.minutes) ||
			!near(g.Total.Episodes, w.episodes) || !near(g.Total.UnreachableVisits, w.unreachable) ||
			!near(g.Total.BeyondStandardEpisodes, w.beyond) || !near(g.Total.CheckedEpisodes, w.check) {
			t.Errorf("segment %d: got %s pop %v %+v, want %+v", i, g.Key, g.Population, g.Total, w)
		}
	}
	// Settings and deprivation (A2 is the most deprived area, holding
	// 5,000 of the 7,000 people with a score: the most-deprived 20%, 1,400
	// people, are 28% of A2).
	if ev.Settings[0].Key != "rural" || !near(ev.Settings[0].Total.TravelMinutes, 40600+6000) ||
		ev.Settings[1].Key != "urban" || !near(ev.Settings[1].Total.TravelMinutes, 19600) {
		t.Errorf("settings: %+v", ev.Settings)
	}
	if d := ev.Deprivation; d[0].Key != "most-deprived" || !near(d[0].Population, 1400) || !near(d[0].Total.TravelMinutes, 0.28*40600) ||
		!near(d[1].Population, 5600) || !near(d[1].Total.TravelMinutes, 0.72*40600+6000) || !near(d[2].Population, 10000) {
		t.Errorf("deprivation: %+v", d)
	}
	// Levels of the serving establishments.
	wantLevel := map[string]float64{"essp": 44000, "local": 0, "provincial": 19600, "regional": 0, "chu": 2600}
	for _, g := range ev.Levels {
		if !near(g.Total.TravelMinutes, wantLevel[g.Key]) {
			t.Errorf("level %s minutes %v, want %v", g.Key, g.Total.TravelMinutes, wantLevel[g.Key])
		}
	}
	if g := ev.Levels[2]; !near(g.Total.UnreachableVisits, 48) || !near(g.Total.Episodes, 100+40+100+40+8) {
		t.Errorf("provincial level: %+v", g.Total)
	}
}

func TestEvaluateOneWayHalvesTravel(t *testing.T) {
	r := toyRegion()
	plan := Plan{Assignment: toyAssignment(t), Travel: toyMatrix(t)}
	two, err := Evaluate(context.Background(), r, toySet(), plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	one, err := Evaluate(context.Background(), r, toySet(), plan, &Options{OneWay: true})
	if err != nil {
		t.Fatal(err)
	}
	if !near(one.Total.TravelMinutes*2, two.Total.TravelMinutes) || one.TripFactor != 1 || two.TripFactor != 2 {
		t.Errorf("one way %v, return %v", one.Total.TravelMinutes, two.Total.TravelMinutes)
	}
	if one.Total.BeyondStandardEpisodes != two.Total.BeyondStandardEpisodes {
		t.Error("the standard is one way and must not depend on the trip factor")
	}
}

// bruteForce recomputes the headline figures of an evaluation the slow,
// obvious way: IDs looked up one by one, reach by recursion.
type bruteFigures struct {
	minutes, km, unserved, unreachable, assessed, checked, beyond float64
}

func bruteForce(c randomCase) (total bruteFigures, byArea map[gst.AreaID]*bruteFigures, byStep map[[2]string]*bruteFigures, byProvince map[gst.ProvinceID]*bruteFigures) {
	trip := c.opt.TripFactor()
	byArea = map[gst.AreaID]*bruteFigures{}
	byStep = map[[2]string]*bruteFigures{}
	byProvince = map[gst.ProvinceID]*bruteFigures{}
	var reach func(pw *Pathway, st *Step) float64
	reach = func(pw *Pathway, st *Step) float64 {
		if st.Parent == "" {
			return st.Probability
		}
		for i := range pw.Steps {
			if pw.Steps[i].ID == st.Parent {
				return st.Probability * reach(pw, &pw.Steps[i])
			}
		}
		panic("broken parent")
	}
	for _, a := range c.r.Areas {
		for pi := range c.set.Pathways {
			pw := &c.set.Pathways[pi]
			people := a.Population
			if pw.Segment != "" {
				if v, ok := a.Segment(pw.Segment); ok {
					people = v
				} else {
					people = a.Population * pw.FallbackShare
				}
			}
			eps := people * pw.IncidencePer1000 / 1000
			for si := range pw.Steps {
				st := &pw.Steps[si]
				se := eps * reach(pw, st)
				v := se * st.VisitsPerEpisode
				ip := v * (1 - st.TelemedicineShare)
				std := st.StandardMinutes
				if std == 0 {
					svc, _ := c.r.Service(st.Service)
					std = svc.StandardMinutes
				}
				var f bruteFigures
				served := 0.0
				for _, al := range c.asg.Rows() {
					if al.Area != a.ID || al.Service != st.Service {
						continue
					}
					served += al.Share
					leg, ok := c.m.Lookup(string(a.ID), string(al.Establishment))
					if !ok {
						f.unreachable += ip * al.Share
						continue
					}
					f.assessed += ip * al.Share
					f.minutes += ip * trip * al.Share * leg.Minutes
					f.km += ip * trip * al.Share * leg.Km
					if std > 0 && st.TelemedicineShare < 1 {
						f.checked += se * al.Share
						if leg.Minutes > std {
							f.beyond += se * al.Share
						}
					}
				}
				if 1-served >= gst.AssignmentTolerance {
					f.unserved = v * (1 - served)
				}
				for _, dst := range []*bruteFigures{&total, get(byArea, a.ID), get(byStep, [2]string{string(pw.ID), string(st.ID)}), get(byProvince, a.Province)} {
					dst.minutes += f.minutes
					dst.km += f.km
					dst.unserved += f.unserved
					dst.unreachable += f.unreachable
					dst.assessed += f.assessed
					dst.checked += f.checked
					dst.beyond += f.beyond
				}
			}
		}
	}
	return
}

func get[K comparable](m map[K]*bruteFigures, k K) *bruteFigures {
	if m[k] == nil {
		m[k] = &bruteFigures{}
	}
	return m[k]
}

func sameFigures(f Figures, b bruteFigures) bool {
	return near(f.TravelMinutes, b.minutes) && near(f.TravelKm, b.km) && near(f.UnservedVisits, b.unserved) &&
		near(f.UnreachableVisits, b.unreachable) && near(f.AssessedVisits, b.assessed) &&
		near(f.CheckedEpisodes, b.checked) && near(f.BeyondStandardEpisodes, b.beyond)
}

func TestEvaluateAgreesWithBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		c := newRandomCase(t, seed)
		ev, err := Evaluate(context.Background(), c.r, c.set, Plan{Assignment: c.asg, Travel: c.m}, c.opt)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		total, byArea, byStep, byProvince := bruteForce(c)
		if !sameFigures(ev.Total, total) {
			t.Fatalf("seed %d: total %+v, brute force %+v", seed, ev.Total, total)
		}
		for _, g := range ev.Areas {
			if !sameFigures(g.Total, *byArea[gst.AreaID(g.Key)]) {
				t.Fatalf("seed %d area %s: %+v, brute force %+v", seed, g.Key, g.Total, *byArea[gst.AreaID(g.Key)])
			}
		}
		for _, g := range ev.Provinces {
			if !sameFigures(g.Total, *byProvince[gst.ProvinceID(g.Key)]) {
				t.Fatalf("seed %d province %q: %+v, brute force %+v", seed, g.Key, g.Total, *byProvince[gst.ProvinceID(g.Key)])
			}
		}
		for _, s := range ev.Steps {
			if b := byStep[[2]string{string(s.Pathway), string(s.Step)}]; !sameFigures(s.Figures, *b) {
				t.Fatalf("seed %d step %s/%s: %+v, brute force %+v", seed, s.Pathway, s.Step, s.Figures, *b)
			}
		}
		// Every breakdown of people and of levels adds up.
		for name, groups := range map[string][]Group{"settings": ev.Settings, "deprivation": ev.Deprivation, "provinces": ev.Provinces} {
			var sum Figures
			for _, g := range groups {
				sum.add(&g.Total)
			}
			if !near(sum.TravelMinutes, ev.Total.TravelMinutes) || !near(sum.Episodes, ev.Total.Episodes) || !near(sum.UnservedVisits, ev.Total.UnservedVisits) {
				t.Fatalf("seed %d: %s sum to %+v, total %+v", seed, name, sum, ev.Total)
			}
		}
		var lv Figures
		for _, g := range ev.Levels {
			lv.add(&g.Total)
		}
		if !near(lv.TravelMinutes, ev.Total.TravelMinutes) || !near(lv.UnreachableVisits, ev.Total.UnreachableVisits) ||
			!near(lv.Visits+ev.Total.UnservedVisits, ev.Total.Visits) {
			t.Fatalf("seed %d: levels sum to %+v, total %+v", seed, lv, ev.Total)
		}
		// The unserved and unreachable lists account for every such visit.
		var us, ur float64
		for _, x := range ev.Unserved {
			us += x.Visits
		}
		for _, x := range ev.Unreachable {
			ur += x.InPersonVisits
		}
		if !near(us, ev.Total.UnservedVisits) || !near(ur, ev.Total.UnreachableVisits) {
			t.Fatalf("seed %d: lists %v, %v; totals %v, %v", seed, us, ur, ev.Total.UnservedVisits, ev.Total.UnreachableVisits)
		}
		// The weighted-travel objective from root types agrees.
		w, err := Weights(c.r, c.set, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		obj, err := WeightedTravel(w, c.asg, c.m)
		if err != nil {
			t.Fatal(err)
		}
		if !near(obj.Minutes, ev.Objective) || !near(obj.Km, ev.Total.TravelKm) {
			t.Fatalf("seed %d: weighted travel %v min %v km, evaluation %v min %v km", seed, obj.Minutes, obj.Km, ev.Objective, ev.Total.TravelKm)
		}
		if !near(obj.UnreachableWeight, ev.Total.UnreachableVisits*c.opt.TripFactor()) {
			t.Fatalf("seed %d: unreachable weight %v, unreachable visits %v", seed, obj.UnreachableWeight, ev.Total.UnreachableVisits)
		}
	}
}

func TestEvaluateShuffleInvariant(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		c := newRandomCase(t, seed)
		plan := Plan{Assignment: c.asg, Travel: c.m}
		ev1, err := Evaluate(context.Background(), c.r, c.set, plan, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		r2 := c.r.Clone()
		rng := rand.New(rand.NewPCG(seed, 11))
		rng.Shuffle(len(r2.Areas), func(i, j int) { r2.Areas[i], r2.Areas[j] = r2.Areas[j], r2.Areas[i] })
		rng.Shuffle(len(r2.Establishments), func(i, j int) {
			r2.Establishments[i], r2.Establishments[j] = r2.Establishments[j], r2.Establishments[i]
		})
		r2.Reindex()
		// The same legs in a matrix whose origins and destinations are in
		// the shuffled order.
		m2, err := gst.NewMatrix(r2.AreaIDs(), r2.EstablishmentIDs())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range c.m.Entries() {
			if err := m2.SetID(e.From, e.To, gst.Leg{Minutes: e.Minutes, Km: e.Km}); err != nil {
				t.Fatal(err)
			}
		}
		ev2, err := Evaluate(context.Background(), r2, c.set, Plan{Assignment: c.asg, Travel: m2}, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(mustJSON(t, ev1), mustJSON(t, ev2)); d != "" {
			t.Fatalf("seed %d: shuffling changed the evaluation:\n%s", seed, d)
		}
	}
}

func TestEvaluateDoublingPopulation(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		c := newRandomCase(t, seed)
		plan := Plan{Assignment: c.asg, Travel: c.m}
		ev1, err := Evaluate(context.Background(), c.r, c.set, plan, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		r2 := c.r.Clone()
		for i := range r2.Areas {
			r2.Areas[i].Population *= 2
			for k := range r2.Areas[i].Segments {
				r2.Areas[i].Segments[k].Population *= 2
			}
		}
		ev2, err := Evaluate(context.Background(), r2, c.set, plan, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		a, b := ev1.Total, ev2.Total
		if !near(2*a.Episodes, b.Episodes) || !near(2*a.TravelMinutes, b.TravelMinutes) || !near(2*a.UnservedVisits, b.UnservedVisits) ||
			!near(a.MinutesPerEpisode, b.MinutesPerEpisode) || !near(a.BeyondStandardShare, b.BeyondStandardShare) {
			t.Fatalf("seed %d: %+v then %+v", seed, a, b)
		}
	}
}

func TestEvaluateEstimatesTravelWhenNoMatrix(t *testing.T) {
	r := toyRegion()
	asg := toyAssignment(t)
	ev, err := Evaluate(context.Background(), r, toySet(), Plan{Assignment: asg}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !near(ev.Total.UnservedVisits, 10) || ev.Total.Complete {
		t.Fatalf("only the unserved caesareans should remain incomplete: %+v", ev.Total)
	}
	if ev.Total.UnreachableVisits != 0 || len(ev.Unreachable) != 0 {
		t.Errorf("estimated travel left pairs unreachable: %+v", ev.Unreachable)
	}
	// The same as evaluating with the matrix Travel builds.
	m, err := Travel(context.Background(), r, asg, nil)
	if err != nil {
		t.Fatal(err)
	}
	ev2, err := Evaluate(context.Background(), r, toySet(), Plan{Assignment: asg, Travel: m}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(mustJSON(t, ev), mustJSON(t, ev2)); d != "" {
		t.Errorf("nil travel and Travel differ:\n%s", d)
	}
	// A leg of A1 → HC1, by hand: great circle × 1.3, half urban half rural.
	est := &gst.Estimator{}
	leg, err := est.Leg(gst.Point{Lat: 34, Lon: -5, Urban: true}, gst.Point{Lat: 34.01, Lon: -5.01, Urban: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := m.Lookup("A1", "HC1"); !near(got.Minutes, leg.Minutes) {
		t.Errorf("A1 → HC1 %v min, want %v", got.Minutes, leg.Minutes)
	}
	// NoEstimate with no region matrix: every pair unreachable, reported.
	ev3, err := Evaluate(context.Background(), r, toySet(), Plan{Assignment: asg}, &Options{TravelSource: gst.TravelSource{NoEstimate: true}})
	if err != nil {
		t.Fatal(err)
	}
	if ev3.Total.TravelMinutes != 0 || !near(ev3.Total.UnreachableVisits, ev3.Total.InPersonVisits-10) || ev3.Total.Complete {
		t.Errorf("no legs: %+v", ev3.Total)
	}
}

func TestEvaluateValidation(t *testing.T) {
	r := toyRegion()
	bad := toySet()
	bad.Pathways[0].Steps[0].Probability = 1.5
	badAsg, err := gst.NewAssignment([]gst.Allocation{{Area: "A1", Service: "antenatal", Establishment: "H1", Share: 1}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Evaluate(context.Background(), r, bad, Plan{Assignment: badAsg}, &Options{MostDeprivedShare: 2})
	if !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("want ErrInvalid, got %v", err)
	}
	// Every problem at once: the probability, the assignment to an
	// establishment that does not offer the service, and the option.
	var ves []*gst.ValidationError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ve *gst.ValidationError
		if errors.As(e, &ve) {
			ves = append(ves, ve)
		}
	}
	if len(ves) != 3 {
		t.Fatalf("want 3 problems, got %d: %v", len(ves), err)
	}
	if _, err := Evaluate(context.Background(), r, toySet(), Plan{}, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("nil assignment: %v", err)
	}
	if _, err := Evaluate(context.Background(), nil, toySet(), Plan{Assignment: badAsg}, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("nil region: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Evaluate(ctx, r, toySet(), Plan{Assignment: toyAssignment(t), Travel: toyMatrix(t)}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestFiguresNoNaN(t *testing.T) {
	// An area with no people: every ratio is zero, never NaN.
	r := toyRegion()
	for i := range r.Areas {
		r.Areas[i].Population = 0
		r.Areas[i].Segments = nil
	}
	ev, err := Evaluate(context.Background(), r, toySet(), Plan{Assignment: toyAssignment(t), Travel: toyMatrix(t)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []float64{ev.Total.MinutesPerEpisode, ev.Total.MinutesPerVisit, ev.Total.BeyondStandardShare, ev.Total.KmPerEpisode} {
		if math.IsNaN(v) || v != 0 {
			t.Errorf("ratio %v, want 0", v)
		}
	}
	mustJSON(t, ev) // NaN would fail to encode
}

func TestLazyLegsMatchTravel(t *testing.T) {
	// A region matrix holding a few legs: they take precedence over the
	// estimate, and with NoEstimate they are the only legs.
	r := toyRegion()
	rm, err := gst.NewMatrix([]string{"A2", "A3"}, []string{"H1", "HC2"})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct {
		f, to string
		min   float64
	}{{"A2", "H1", 77}, {"A3", "H1", 99}, {"A3", "HC2", 5}} {
		if err := rm.SetID(l.f, l.to, gst.Leg{Minutes: l.min, Km: l.min}); err != nil {
			t.Fatal(err)
		}
	}
	r.Travel = rm
	asg := toyAssignment(t)
	for _, opt := range []*Options{nil, {TravelSource: gst.TravelSource{NoEstimate: true}}, {TravelSource: gst.TravelSource{Estimator: &gst.Estimator{Circuity: 1.6, RuralKmh: 40}}}} {
		lazy, err := Evaluate(context.Background(), r, toySet(), Plan{Assignment: asg}, opt)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Travel(context.Background(), r, asg, opt)
		if err != nil {
			t.Fatal(err)
		}
		dense, err := Evaluate(context.Background(), r, toySet(), Plan{Assignment: asg, Travel: m}, opt)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(mustJSON(t, dense), mustJSON(t, lazy)); d != "" {
			t.Errorf("options %+v: lazy legs differ from Travel:\n%s", opt, d)
		}
		obj, err := Objective(r, toySet(), Plan{Assignment: asg}, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !near(obj.Minutes, lazy.Objective) {
			t.Errorf("options %+v: objective %v, evaluation %v", opt, obj.Minutes, lazy.Objective)
		}
	}
	a3, err := Evaluate(context.Background(), r, toySet(), Plan{Assignment: asg}, &Options{TravelSource: gst.TravelSource{NoEstimate: true}})
	if err != nil {
		t.Fatal(err)
	}
	// Only A2 → H1, A3 → H1 and A3 → HC2 have legs: A3's antenatal care
	// (120 contacts × 2 × 5 min) and delivery (40 × 2 × 99 min) travel.
	if g, _ := a3.Area("A3"); !near(g.Total.TravelMinutes, 120*2*5+40*2*99+8*2*99) {
		t.Errorf("A3 minutes %v", g.Total.TravelMinutes)
	}
}
