package allocate

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/paulmach/orb"

	"github.com/gstplan/gst"
)

// problemsOf lists the "where: field" of every validation error and the
// rule of every infeasibility error in err.
func problemsOf(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var ve *gst.ValidationError
		var ie *gst.InfeasibleError
		switch {
		case errors.As(e, &ve):
			out = append(out, ve.Where+": "+ve.Field)
		case errors.As(e, &ie):
			s := "infeasible " + ie.Rule
			if ie.Service != "" {
				s += " " + string(ie.Service)
			}
			if ie.Province != "" {
				s += " " + string(ie.Province)
			}
			if len(ie.Areas) > 0 {
				var a []string
				for _, x := range ie.Areas {
					a = append(a, string(x))
				}
				s += " [" + strings.Join(a, " ") + "]"
			}
			out = append(out, s)
		default:
			out = append(out, "other: "+e.Error())
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

func TestValidationReportsEverything(t *testing.T) {
	r, dt := synth(t, synthSpec{seed: 5, areas: 12, sites: 6, services: 2, candidates: 0.3, closable: 0.3, capacity: true, intTravel: true})
	nonClosable := ""
	var cand gst.EstablishmentID
	var today []gst.EstablishmentID
	for _, e := range r.Establishments {
		if !e.Candidate && !e.Closable && nonClosable == "" {
			nonClosable = string(e.ID)
		}
		if e.Candidate && e.OpenCost > 0 {
			cand = e.ID
		}
		if !e.Candidate {
			today = append(today, e.ID)
		}
	}
	// The same region with a capacity of 1 everywhere.
	tiny := r.Clone()
	for i := range tiny.Establishments {
		for k := range tiny.Establishments[i].Offers {
			tiny.Establishments[i].Offers[k].Capacity = 1
		}
	}
	cases := []struct {
		name    string
		p       *Problem
		opt     *Options
		want    []string
		invalid bool
		infeas  bool
	}{
		{
			name: "nil problem", p: nil,
			want: []string{"problem: "}, invalid: true,
		},
		{
			name: "missing everything",
			p:    &Problem{P: -1, Budget: math.NaN(), MaxChanges: -2, MaxTravel: -1, Metric: 7, Capacity: 9, Decay: &Decay{Outer: -1}},
			want: []string{"problem: region", "problem: demand", "problem: objective", "problem: capacity", "problem: metric", "problem: p",
				"problem: budget", "problem: max changes", "problem: max travel", "problem: decay", "problem: decay outer"},
			invalid: true,
		},
		{
			name: "bad rules and options",
			p: &Problem{Region: r, Demand: dt, Objective: MaxCoverage, P: 3,
				Services:    []ServiceRule{{Service: "s0", Weight: -1}, {Service: "nope"}, {Service: "s0"}, {Service: "s1", Sites: []gst.EstablishmentID{"e00", "zz", "e00"}}},
				Keep:        []gst.EstablishmentID{"e01", "ghost"},
				Exclude:     []gst.EstablishmentID{"e01", gst.EstablishmentID(nonClosable)},
				MinCoverage: []CoverageRule{{Province: "P9", MinShare: 1.5}, {Service: "s7"}},
				Decay:       &Decay{Outer: 10},
			},
			opt: &Options{SolveOptions: gst.SolveOptions{TimeLimit: -1, GapTolerance: 2, MaxModelBytes: -1}, Method: 9, SiteCostLimit: -1},
			want: []string{
				"options: time limit", "options: gap tolerance", "options: max model bytes", "options: method", "options: site cost limit",
				`service rule 0 ("s0"): weight`, `service rule 1 ("nope"): service`, `service rule 2 ("s0"): service`,
				`service "s0": decay outer`, `service "s1": sites`, `service "s1": sites`, `service "s1": decay outer`,
				"keep[1]: site", "exclude[0]: site", "exclude[1]: site",
				"coverage rule 0: min share", "coverage rule 0: province", "coverage rule 1: service",
			},
			invalid: true,
		},
		{
			name: "fixed charge without travel cost",
			p:    &Problem{Region: r, Demand: dt, Objective: FixedCharge},
			want: []string{"problem: travel cost"}, invalid: true,
		},
		{
			name: "p above the eligible sites",
			p:    &Problem{Region: r, Demand: dt, Objective: PMedian, P: 40},
			want: []string{"problem: p"}, invalid: true,
		},
		{
			name: "max travel out of reach and a coverage rule too high",
			p: &Problem{Region: r, Demand: dt, Objective: PMedian, P: 3, Greenfield: true, MaxTravel: 12,
				MinCoverage: []CoverageRule{{Service: "s0", Province: "P1", MinShare: 1}}},
			want: []string{"infeasible max travel s0 [" + beyond(r, "s0", 12) + "]",
				"infeasible max travel s1 [" + beyond(r, "s1", 12) + "]", "infeasible coverage s0 P1"},
			infeas: true,
		},
		{
			name: "capacity below demand, budget and changes below what the rules force",
			p: &Problem{Region: tiny, Demand: dt, Objective: PMedian, P: 3, Capacity: SplitDemand, Greenfield: true,
				Keep: []gst.EstablishmentID{cand}, Exclude: []gst.EstablishmentID{today[0], today[1]}, Budget: 0.5, MaxChanges: 1},
			want:   []string{"infeasible capacity s0", "infeasible capacity s1", "infeasible budget", "infeasible changes"},
			infeas: true,
		},
		{
			name: "set covering without a reachable standard",
			p: &Problem{Region: r, Demand: dt, Objective: SetCovering, Greenfield: true,
				Services: []ServiceRule{{Service: "s0", Standard: 8}}},
			want:   []string{"infeasible standard s0 [" + beyond(r, "s0", 8) + "]"},
			infeas: true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pl, err := Locate(context.Background(), c.p, c.opt)
			if err == nil {
				t.Fatalf("no error, plan %v", pl.Value)
			}
			if d := cmp.Diff(c.want, problemsOf(err)); d != "" {
				t.Errorf("problems (-want +got):\n%s\nerror:\n%v", d, err)
			}
			if errors.Is(err, gst.ErrInvalid) != c.invalid || errors.Is(err, gst.ErrInfeasible) != c.infeas {
				t.Errorf("errors.Is invalid %v infeasible %v, want %v %v", errors.Is(err, gst.ErrInvalid), errors.Is(err, gst.ErrInfeasible), c.invalid, c.infeas)
			}
		})
	}
}

// beyond lists, independently of the package, the areas of the region
// farther than limit from every establishment that offers the service.
func beyond(r *gst.Region, s gst.ServiceID, limit float64) string {
	var out []string
	for _, a := range r.Areas {
		best := math.Inf(1)
		for _, e := range r.Offering(s) {
			if l, ok := r.Travel.Lookup(string(a.ID), string(e.ID)); ok {
				best = math.Min(best, l.Minutes)
			}
		}
		if best > limit {
			out = append(out, string(a.ID))
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestTooLarge(t *testing.T) {
	r, dt := synth(t, synthSpec{seed: 2, areas: 40, sites: 10, intTravel: true})
	p := &Problem{Region: r, Demand: dt, Objective: PMedian, P: 3, Budget: 1000, Greenfield: true}
	_, err := Locate(context.Background(), p, &Options{SolveOptions: gst.SolveOptions{MaxModelBytes: 100 << 10}})
	var tl *gst.TooLargeError
	if !errors.Is(err, gst.ErrTooLarge) || !errors.As(err, &tl) {
		t.Fatalf("want a TooLargeError, got %v", err)
	}
	if tl.Rows <= 0 || tl.Columns <= 0 || tl.Bytes <= tl.Limit || !strings.Contains(tl.Error(), "aggregate") {
		t.Errorf("error %+v", tl)
	}
	// The same problem without its budget fits the engine, and the error
	// suggests it.
	p.Budget = 0
	_, err = Locate(context.Background(), p, &Options{SolveOptions: gst.SolveOptions{MaxModelBytes: 100 << 10}, Method: MIP})
	if !errors.As(err, &tl) || !strings.Contains(tl.Suggestion, "Method = Engine") {
		t.Errorf("want a suggestion of the engine, got %v", err)
	}
}

func TestMethodEngineRefusesWhatItCannotDo(t *testing.T) {
	r, dt := synth(t, synthSpec{seed: 2, areas: 10, sites: 5, intTravel: true, capacity: true, services: 2})
	for _, p := range []*Problem{
		{Region: r, Demand: dt, Objective: PCenter, P: 2, Greenfield: true},
		{Region: r, Demand: dt, Objective: PMedian, P: 2, Budget: 10, Greenfield: true},
		{Region: r, Demand: dt, Objective: PMedian, P: 2, Capacity: SplitDemand, Greenfield: true},
	} {
		_, err := Locate(context.Background(), p, &Options{Method: Engine})
		if !errors.Is(err, gst.ErrInvalid) {
			t.Errorf("%v: want ErrInvalid, got %v", p.Objective, err)
		}
	}
}

// A deadline that has passed before any plan returns ErrNoSolution; a
// cancelled context after the plan's first stages returns the plan.
func TestDeadlines(t *testing.T) {
	r, dt := synth(t, synthSpec{seed: 4, areas: 30, sites: 10, intTravel: true})
	p := &Problem{Region: r, Demand: dt, Objective: PMedian, P: 3, Budget: 20, Greenfield: true}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Locate(ctx, p, nil)
	if !errors.Is(err, gst.ErrNoSolution) {
		t.Errorf("cancelled context: want ErrNoSolution, got %v", err)
	}
	// A p-center whose covering sequence is cut short keeps its greedy plan
	// and its bound: the instance is compiled, then solved with a context
	// that is already past its deadline.
	p = &Problem{Region: r, Demand: dt, Objective: PCenter, P: 3, Greenfield: true}
	in, err := compile(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	o, _ := resolveOptions(nil)
	done, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	run := &runner{ctx: done, user: context.Background(), opt: o, in: in}
	st, err := run.primary()
	if err != nil {
		t.Fatalf("p-center under a deadline: %v", err)
	}
	pl, err := run.newPlan(st)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Status != gst.StatusTimeLimit || !(pl.Bound <= pl.Value) || pl.Gap <= 0 {
		t.Errorf("status %v value %v bound %v gap %v, want a time limit with a gap", pl.Status, pl.Value, pl.Bound, pl.Gap)
	}
	checkPlan(t, "p-center deadline", p, pl)
	// Locate with a limit too short to estimate travel says so.
	_, err = Locate(context.Background(), p, &Options{SolveOptions: gst.SolveOptions{TimeLimit: time.Nanosecond}})
	if !errors.Is(err, gst.ErrNoSolution) || !strings.Contains(err.Error(), "allocate:") {
		t.Errorf("tiny time limit: %v", err)
	}
}

// TestGeoJSON pins finding 13 in the library: three layers, each of one
// geometry type with flat properties, coordinates [lon, lat], travel
// before and after, no float noise.
func TestGeoJSON(t *testing.T) {
	r, dt := synth(t, synthSpec{seed: 6, areas: 15, sites: 6, services: 2, capacity: true, intTravel: true})
	p := &Problem{Region: r, Demand: dt, Objective: PMedian, P: 3, Capacity: SplitDemand, Greenfield: true}
	pl, err := Locate(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	type feature struct {
		Type     string `json:"type"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	read := func(l GeoLayer, geom string) []feature {
		b, err := pl.GeoJSON(l)
		if err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Type     string    `json:"type"`
			Features []feature `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil || fc.Type != "FeatureCollection" {
			t.Fatalf("%s: %v, type %q", l, err, fc.Type)
		}
		for _, f := range fc.Features {
			if f.Geometry.Type != geom {
				t.Errorf("%s: a %s in a layer of %s", l, f.Geometry.Type, geom)
			}
			for k, v := range f.Properties {
				switch v.(type) {
				case map[string]any, []any:
					t.Errorf("%s: property %s is nested: %v", l, k, v)
				}
			}
		}
		return fc.Features
	}
	sites := read(GeoSites, "Point")
	for _, f := range sites {
		var c [2]float64
		if err := json.Unmarshal(f.Geometry.Coordinates, &c); err != nil {
			t.Fatal(err)
		}
		e, _ := r.Establishment(gst.EstablishmentID(f.Properties["site"].(string)))
		if c != [2]float64{e.Lon, e.Lat} {
			t.Errorf("site %s at %v, want [lon, lat] %v", e.ID, c, [2]float64{e.Lon, e.Lat})
		}
	}
	areas := read(GeoAreas, "Point")
	for _, f := range areas {
		for _, k := range []string{"s0_minutes_today", "s0_minutes_plan", "s0_served_today", "s0_served_plan", "s0_demand"} {
			if _, ok := f.Properties[k]; !ok {
				t.Errorf("area %v lacks %s", f.Properties["area"], k)
			}
		}
	}
	lines := read(GeoAssignment, "LineString")
	n := map[string]int{}
	for _, f := range lines {
		n[f.Properties["plan"].(string)]++
		var c [2][2]float64
		if err := json.Unmarshal(f.Geometry.Coordinates, &c); err != nil {
			t.Fatal(err)
		}
		a, _ := r.Area(gst.AreaID(f.Properties["area"].(string)))
		e, _ := r.Establishment(gst.EstablishmentID(f.Properties["site"].(string)))
		if c != [2][2]float64{{a.Lon, a.Lat}, {e.Lon, e.Lat}} {
			t.Errorf("line %v", c)
		}
		l, _ := r.Travel.Lookup(string(a.ID), string(e.ID))
		if f.Properties["minutes"].(float64) != l.Minutes {
			t.Errorf("line travel %v, want %v", f.Properties["minutes"], l.Minutes)
		}
	}
	if len(sites) != 6 || len(areas) != 15 || n["plan"] != pl.Assignment.Len() || n["today"] != pl.Today.Len() {
		t.Errorf("%d sites, %d areas, lines %v; assignment rows %d, today %d", len(sites), len(areas), n, pl.Assignment.Len(), pl.Today.Len())
	}
	var zero Plan
	if err := zero.WriteGeoJSON(&strings.Builder{}, GeoSites); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("zero plan: %v", err)
	}
	if err := pl.WriteGeoJSON(&strings.Builder{}, GeoLayer(9)); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("unknown layer: %v", err)
	}
	// Areas with outlines are polygons; float noise is rounded away.
	for i := range r.Areas {
		a := &r.Areas[i]
		a.Boundary = orb.MultiPolygon{{{{a.Lon - 0.01, a.Lat - 0.01}, {a.Lon + 0.01, a.Lat - 0.01}, {a.Lon, a.Lat + 0.01}, {a.Lon - 0.01, a.Lat - 0.01}}}}
	}
	r.Travel.SetID(string(r.Areas[0].ID), "e00", gst.Leg{Minutes: 30.700000000000003, Km: 1})
	pl, err = Locate(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	read(GeoAreas, "MultiPolygon")
	b, _ := pl.GeoJSON(GeoAssignment)
	if strings.Contains(string(b), "0000000") {
		t.Errorf("float noise in %s", b)
	}
}

func TestPlanJSON(t *testing.T) {
	r, dt := synth(t, synthSpec{seed: 8, areas: 12, sites: 5, intTravel: true})
	p := &Problem{Region: r, Demand: dt, Objective: PCenter, P: 2, Greenfield: true}
	pl, err := Locate(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	b1, err := json.Marshal(pl)
	if err != nil {
		t.Fatal(err)
	}
	pl2, err := Locate(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(pl2)
	if string(b1) != string(b2) {
		t.Error("two runs give different JSON")
	}
	for _, want := range []string{`"objective":"p-center"`, `"status":"optimal"`, `"change":"`, `"metric":"minutes"`} {
		if !strings.Contains(string(b1), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
}

func TestObjectiveText(t *testing.T) {
	for o := PMedian; o <= FixedCharge; o++ {
		b, err := o.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Objective
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("%v: round trip %v %v", o, back, err)
		}
	}
	var o Objective
	if err := o.UnmarshalText([]byte("fastest")); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("unknown objective: %v", err)
	}
	if _, err := Objective(0).MarshalText(); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("zero objective: %v", err)
	}
}
