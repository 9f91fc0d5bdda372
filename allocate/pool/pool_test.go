package pool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// poolTestRegion builds a small province: a provincial hospital H1 with
// three anaesthetists, eight midwives and three obstetricians, a local
// hospital H2 without anaesthetists, health centres C1 and C2, and a remote
// centre C3 beyond an hour from everything. Travel is an explicit matrix.
func poolTestRegion(t testing.TB) *gst.Region {
	t.Helper()
	dep := func(v float64) *float64 { return &v }
	r := &gst.Region{ID: "T", Name: "test province"}
	r.Areas = []gst.Area{
		{ID: "A1", Lat: 34.0, Lon: -5.0, Population: 20000, Deprivation: dep(0.1)},
		{ID: "A2", Lat: 34.2, Lon: -5.1, Population: 15000, Deprivation: dep(0.9)},
		{ID: "A3", Lat: 34.4, Lon: -5.4, Population: 5000, Deprivation: dep(0.5)},
	}
	r.Services = []gst.Service{{ID: "caesarean"}, {ID: "maternity"}}
	r.Categories = []gst.Category{
		{ID: "anaesthetist", HoursPerYear: 1600, AnnualCost: 480000},
		{ID: "midwife", HoursPerYear: 1600, AnnualCost: 144000},
		{ID: "obstetrician", HoursPerYear: 1600, AnnualCost: 480000},
	}
	r.Establishments = []gst.Establishment{
		{ID: "H1", Level: gst.ProvincialHospital, Area: "A1", Lat: 34.0, Lon: -5.0, Beds: 120,
			Staff: []gst.Staffing{{Category: "anaesthetist", FTE: 3}, {Category: "midwife", FTE: 8}, {Category: "obstetrician", FTE: 3}}},
		{ID: "H2", Level: gst.LocalHospital, Area: "A2", Lat: 34.2, Lon: -5.1, Beds: 40,
			Staff: []gst.Staffing{{Category: "midwife", FTE: 3}, {Category: "obstetrician", FTE: 1}}},
		{ID: "C1", Level: gst.HealthCentre, Area: "A1", Lat: 34.05, Lon: -5.02, Offers: []gst.Offer{{Service: "maternity"}},
			Staff: []gst.Staffing{{Category: "midwife", FTE: 1}}},
		{ID: "C2", Level: gst.HealthCentre, Area: "A2", Lat: 34.25, Lon: -5.15},
		{ID: "C3", Level: gst.HealthCentre, Area: "A3", Lat: 34.4, Lon: -5.4},
		{ID: "P1", Level: gst.ProvincialHospital, Ownership: gst.Private, Area: "A1", Lat: 34.01, Lon: -5.01,
			Staff: []gst.Staffing{{Category: "anaesthetist", FTE: 2}}},
	}
	legs := map[[2]string]float64{
		{"H1", "H2"}: 35, {"H1", "C1"}: 10, {"H1", "C2"}: 45, {"H1", "C3"}: 95,
		{"H2", "C1"}: 30, {"H2", "C2"}: 12, {"H2", "C3"}: 70,
		{"C1", "C2"}: 40, {"C1", "C3"}: 100, {"C2", "C3"}: 65,
	}
	var es []gst.MatrixEntry
	for k, m := range legs {
		es = append(es, gst.MatrixEntry{From: k[0], To: k[1], Minutes: m, Km: m * 0.8})
		es = append(es, gst.MatrixEntry{From: k[1], To: k[0], Minutes: m, Km: m * 0.8})
	}
	m, err := gst.MatrixFromEntries(es)
	if err != nil {
		t.Fatal(err)
	}
	r.Travel = m
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	return r
}

// poolMidwives is a one-category problem on the test province.
func poolMidwives(r *gst.Region) *Problem {
	return &Problem{Region: r, TravelSource: gst.TravelSource{NoEstimate: true},
		Need: []Need{
			{Establishment: "H1", Category: "midwife", FTE: 6},
			{Establishment: "H2", Category: "midwife", FTE: 3},
			{Establishment: "C1", Category: "midwife", FTE: 1},
			{Establishment: "C2", Category: "midwife", FTE: 1},
			{Establishment: "C3", Category: "midwife", FTE: 1},
		},
		Rules: Rules{MaxCommuteMinutes: 60},
	}
}

// poolCost is the weekly cost of moving fte of a category over a leg.
func poolCost(fte, minutes, km, annual, perKm, perSession float64) float64 {
	sessions := fte * 10
	return sessions * (2*(minutes*(annual/1600/60+tieMADPerMinute)+km*perKm) + perSession)
}

func TestPoolMidwives(t *testing.T) {
	r := poolTestRegion(t)
	p := poolMidwives(r)
	p.Rules.PerKmMAD = 2
	plan, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	poolNewRef(t, p, nil).check(t, plan)
	// H1 has 2 FTE over its need; C2 (45 min) is short of 1 FTE; C3 is
	// beyond the hour from everyone.
	want := []Move{{Category: "midwife", From: "H1", To: "C2", FTE: 1, SessionsPerWeek: 10, Minutes: 45, Km: 36,
		TravelMinutesPerWeek: 900, CostMADPerWeek: poolCost(1, 45, 36, 144000, 2, 0)}}
	if d := cmp.Diff(want, plan.Moves, cmpopts.EquateApprox(0, 1e-6)); d != "" {
		t.Errorf("moves (-want +got):\n%s", d)
	}
	type row struct {
		Site                    gst.EstablishmentID
		UnmetBefore, Unmet, Val float64
		RatioBefore, RatioAfter float64
	}
	var got []row
	for _, s := range plan.Sites {
		got = append(got, row{s.Establishment, s.UnmetBefore, s.Unmet, s.MarginalValue, *s.RatioBefore, *s.RatioAfter})
	}
	wantRows := []row{
		{"C1", 0, 0, 0, 1, 1},
		{"C2", 1, 0, 0, 0, 1},
		// One more midwife at C3 covers a weighted FTE of need.
		{"C3", 1, 1, 1, 0, 0},
		{"H1", 0, 0, 0, 8.0 / 6, 7.0 / 6},
		{"H2", 0, 0, 0, 1, 1},
	}
	if d := cmp.Diff(wantRows, got, cmpopts.EquateApprox(0, 1e-9)); d != "" {
		t.Errorf("sites (-want +got):\n%s", d)
	}
	if plan.Status != gst.StatusOptimal || plan.WeightedUnmet != 1 || plan.Bound != 1 || plan.Gap != 0 {
		t.Errorf("status %v, weighted unmet %g, bound %g, gap %g", plan.Status, plan.WeightedUnmet, plan.Bound, plan.Gap)
	}
	if plan.Before.Unmet != 2 || plan.After.Unmet != 1 || plan.After.MovedFTE != 1 || plan.After.Moves != 1 {
		t.Errorf("before %+v, after %+v", plan.Before, plan.After)
	}
}

// Whole sessions: the spare of C1 (half of one midwife) may go in whole
// sessions; whole posts cannot split it.
func TestPoolGranularity(t *testing.T) {
	r := poolTestRegion(t)
	p := &Problem{Region: r, TravelSource: gst.TravelSource{NoEstimate: true}, Rules: Rules{MaxCommuteMinutes: 60},
		Need:       []Need{{Establishment: "C1", Category: "midwife", FTE: 0.5}, {Establishment: "C2", Category: "midwife", SessionsPerWeek: 4}},
		Categories: []CategoryRule{{Category: "midwife", MaxAwayShare: 0.45}},
	}
	// Only C1 sends? No: H1, H2 also have midwives and no need here; make
	// them keep theirs.
	p.Floors = []FTE{{Establishment: "H1", Category: "midwife", FTE: 8}, {Establishment: "H2", Category: "midwife", FTE: 3}}
	for _, tc := range []struct {
		g    Granularity
		want float64 // FTE moved C1 → C2
	}{
		{Continuous, 0.4},
		{Sessions, 0.4},
		{Posts, 0},
	} {
		opt := &Options{Granularity: tc.g}
		plan, err := Solve(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		poolNewRef(t, p, opt).check(t, plan)
		moved := 0.0
		for _, m := range plan.Moves {
			moved += m.FTE
		}
		if math.Abs(moved-tc.want) > 1e-9 {
			t.Errorf("%v: moved %g FTE, want %g (%+v)", tc.g, moved, tc.want, plan.Moves)
		}
	}
	// Sessions: 4.5 sessions of spare, 4 needed: 4 whole sessions.
	p.Categories[0].MaxAwayShare = 0.45
	p.Need[1] = Need{Establishment: "C2", Category: "midwife", SessionsPerWeek: 4.5}
	plan, err := Solve(context.Background(), p, &Options{Granularity: Sessions})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Moves) != 1 || plan.Moves[0].SessionsPerWeek != 4 {
		t.Errorf("sessions: %+v", plan.Moves)
	}
}

// Deprivation: one spare FTE, two equally short centres; the one in the
// more deprived area gets it when deprivation weighs.
func TestPoolDeprivation(t *testing.T) {
	r := poolTestRegion(t)
	p := &Problem{Region: r, TravelSource: gst.TravelSource{NoEstimate: true}, Rules: Rules{MaxCommuteMinutes: 60},
		Need: []Need{
			{Establishment: "H2", Category: "obstetrician", FTE: 1},
			{Establishment: "C1", Category: "obstetrician", FTE: 1},
			{Establishment: "C2", Category: "obstetrician", FTE: 1},
		},
		// H1 has 3 obstetricians, of which it keeps 2.
		Floors: []FTE{{Establishment: "H1", Category: "obstetrician", FTE: 2}},
	}
	plan, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Moves) != 1 || plan.Moves[0].To != "C1" {
		t.Fatalf("without deprivation weight: %+v (the nearer centre C1 wins the tie on cost)", plan.Moves)
	}
	p.Rules.DeprivationWeight = 1
	plan, err = Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	poolNewRef(t, p, nil).check(t, plan)
	if len(plan.Moves) != 1 || plan.Moves[0].To != "C2" {
		t.Fatalf("with deprivation weight: %+v, want the move to C2 (area A2, the most deprived)", plan.Moves)
	}
	for _, s := range plan.Sites {
		// Ranks: A1 0, A3 0.5, A2 1.
		want := map[gst.EstablishmentID]float64{"H2": 2, "C1": 1, "C2": 2, "H1": 1}[s.Establishment]
		if s.Weight != want {
			t.Errorf("%s: weight %g, want %g", s.Establishment, s.Weight, want)
		}
	}
}

func poolCaesarean(r *gst.Region, required bool) *Problem {
	return &Problem{Region: r, TravelSource: gst.TravelSource{NoEstimate: true}, Rules: Rules{MaxCommuteMinutes: 60},
		Need: []Need{
			{Establishment: "H1", Category: "anaesthetist", FTE: 2},
			{Establishment: "H1", Category: "midwife", FTE: 6},
			{Establishment: "H2", Category: "midwife", FTE: 2},
		},
		Teams: []Team{{Establishment: "H2", Service: "caesarean", Priority: 2, Required: required,
			Roles: []Role{{Category: "anaesthetist", FTE: 1}, {Category: "obstetrician", FTE: 1}, {Category: "midwife", FTE: 1}}}},
	}
}

// A caesarean team at H2 needs an anaesthetist from H1: the team is
// delivered only with every role staffed, by the integer programme and by
// the heuristic alike.
func TestPoolTeams(t *testing.T) {
	r := poolTestRegion(t)
	p := poolCaesarean(r, false)
	for _, m := range []Method{Auto, MIP, Heuristic} {
		opt := &Options{Method: m}
		plan, err := Solve(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		poolNewRef(t, p, opt).check(t, plan)
		wantMoves := []Move{{Category: "anaesthetist", From: "H1", To: "H2", FTE: 1, SessionsPerWeek: 10, Minutes: 35, Km: 28,
			TravelMinutesPerWeek: 700, CostMADPerWeek: poolCost(1, 35, 28, 480000, 0, 0)}}
		if d := cmp.Diff(wantMoves, plan.Moves, cmpopts.EquateApprox(0, 1e-6)); d != "" {
			t.Errorf("%v: moves (-want +got):\n%s", m, d)
		}
		if len(plan.Teams) != 1 || !plan.Teams[0].Delivered || plan.Teams[0].Before {
			t.Errorf("%v: teams %+v", m, plan.Teams)
		}
		if plan.WeightedUnmet != 0 || plan.Before.WeightedUnmet != 6 || plan.Status != gst.StatusOptimal {
			t.Errorf("%v: weighted unmet %g (before %g), status %v", m, plan.WeightedUnmet, plan.Before.WeightedUnmet, plan.Status)
		}
	}
	// With H1 keeping all three anaesthetists the team cannot be
	// delivered; all its roles count as unmet.
	p.Floors = []FTE{{Establishment: "H1", Category: "anaesthetist", FTE: 3}}
	plan, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Teams[0].Delivered || len(plan.Moves) != 0 || plan.WeightedUnmet != 6 {
		t.Errorf("team %+v, moves %+v, weighted unmet %g", plan.Teams[0], plan.Moves, plan.WeightedUnmet)
	}
	for _, s := range plan.Sites {
		if s.Establishment == "H2" && s.Category == "obstetrician" && s.Unmet != 1 {
			t.Errorf("H2 obstetrician: unmet %g, want the team's role 1", s.Unmet)
		}
	}
}

func poolInfeasible(t *testing.T, err error) []*gst.InfeasibleError {
	t.Helper()
	cs := gst.InfeasibleCauses(err)
	if len(cs) == 0 || !errors.Is(err, gst.ErrInfeasible) {
		t.Fatalf("want *gst.InfeasibleError causes, got %v", err)
	}
	return cs
}

func TestPoolInfeasible(t *testing.T) {
	r := poolTestRegion(t)

	// Counts: H1's safe staffing holds all its anaesthetists, and the
	// required team at H2 needs one.
	p := poolCaesarean(r, true)
	p.Floors = []FTE{{Establishment: "H1", Category: "anaesthetist", FTE: 3}}
	_, err := Solve(context.Background(), p, nil)
	ie := poolInfeasible(t, err)
	want := []*gst.InfeasibleError{{Op: "allocate: pool", Rule: "required team", Establishment: "H2", Category: "anaesthetist", Service: "caesarean",
		Amount: 1, Unit: "FTE",
		Reason: `required team "caesarean" at H2 needs 1 FTE of anaesthetist, but at most 0 FTE can be there: it has 0 on roll; ` +
			`H1 (35 min) has 3 FTE, all held by its safe staffing of 3 FTE`}}
	if d := cmp.Diff(want, ie); d != "" {
		t.Errorf("conflicts (-want +got):\n%s", d)
	}
	if !strings.Contains(err.Error(), "safe staffing of 3 FTE") {
		t.Errorf("error text: %v", err)
	}

	// Competition: two required teams, each within reach of H1's spare
	// anaesthetist time (1.5 FTE under the away share), together beyond it.
	p = poolCaesarean(r, true)
	p.Teams = append(p.Teams, Team{Establishment: "C1", Service: "caesarean", Required: true,
		Roles: []Role{{Category: "anaesthetist", FTE: 1}}})
	_, err = Solve(context.Background(), p, nil)
	ie = poolInfeasible(t, err)
	if len(ie) != 1 || !ie[0].Elastic {
		t.Fatalf("conflicts %+v", ie)
	}
	c := ie[0]
	if c.Rule != "away share" || c.Establishment != "H1" || c.Category != "anaesthetist" || math.Abs(c.Amount-0.5) > 1e-9 ||
		!strings.Contains(c.Reason, `required team "caesarean" at H2`) || !strings.Contains(c.Reason, `required team "caesarean" at C1`) {
		t.Errorf("conflict %+v", c)
	}

	// A cap on the FTE moved below what the required team needs.
	p = poolCaesarean(r, true)
	p.Rules.MaxMovedFTE = 0.5
	_, err = Solve(context.Background(), p, nil)
	ie = poolInfeasible(t, err)
	if len(ie) != 1 || ie[0].Rule != "moved FTE cap" || math.Abs(ie[0].Amount-0.5) > 1e-9 {
		t.Errorf("conflicts %+v", ie)
	}

	// Minimum staff beyond the commute: C3 is over an hour from everyone.
	p = poolMidwives(r)
	p.Need[4].MinFTE = 1
	_, err = Solve(context.Background(), p, nil)
	ie = poolInfeasible(t, err)
	if len(ie) != 1 || ie[0].Rule != "minimum staff" || ie[0].Establishment != "C3" ||
		!strings.Contains(ie[0].Reason, "no establishment with midwife staff is within the 60-minute commute; H2 has 1.5 FTE to spare but is 70 min away, beyond the 60-minute commute") {
		t.Errorf("conflicts %+v", ie)
	}
}

func TestPoolValidation(t *testing.T) {
	r := poolTestRegion(t)
	p := &Problem{Region: r,
		Need: []Need{
			{Establishment: "X", Category: "midwife", FTE: 1},
			{Establishment: "H1", Category: "surgeon", FTE: 1},
			{Establishment: "H1", Category: "midwife", FTE: -1},
			{Establishment: "H2", Category: "midwife", FTE: 1, SessionsPerWeek: 4},
			{Establishment: "H2", Category: "midwife", FTE: 1},
			{Establishment: "P1", Category: "anaesthetist", FTE: 1},
			{Establishment: "C1", Category: "midwife", FTE: math.NaN()},
		},
		Teams: []Team{{Establishment: "H2", Service: "caesarean"}, {Establishment: "H2", Service: "transplant",
			Roles: []Role{{Category: "midwife", FTE: 0}, {Category: "midwife", FTE: 1}}}},
		Rules:      Rules{MaxAwayShare: 1.5, MinStayShare: -0.1, MaxMoves: -1},
		Categories: []CategoryRule{{Category: "midwife"}, {Category: "midwife"}},
		Floors:     []FTE{{Establishment: "H1", Category: "midwife", FTE: -2}},
	}
	_, err := Solve(context.Background(), p, &Options{Granularity: 7, SessionsPerFTE: -1})
	if !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("want ErrInvalid, got %v", err)
	}
	var n int
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ve *gst.ValidationError
		if errors.As(e, &ve) {
			n++
		}
	}
	msg := err.Error()
	for _, s := range []string{`unknown establishment "X"`, `unknown category "surgeon"`, `FTE`, `not both`,
		`second need row`, `is private`, `a team needs at least one role`, `unknown service "transplant"`,
		`appears twice in the team`, `MaxAwayShare`, `MinStayShare`, `MaxMoves`, `second rule for the same category`,
		`Granularity`, `SessionsPerFTE`} {
		if !strings.Contains(msg, s) {
			t.Errorf("error does not mention %q:\n%s", s, msg)
		}
	}
	if n < 16 {
		t.Errorf("%d problems reported, want every one:\n%s", n, msg)
	}
	if _, err := Solve(context.Background(), nil, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("nil problem: %v", err)
	}
	if _, err := Solve(context.Background(), &Problem{}, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("no region: %v", err)
	}
}

// The plan does not depend on the order of the input rows, nor on the
// number of workers.
func TestPoolDeterminism(t *testing.T) {
	rules := poolNational(t, 300, 6, false)
	rules.Rules.PerMoveMAD, rules.Rules.MinMoveSessions = 200, 2
	for _, c := range []struct {
		p   *Problem
		opt Options
	}{{poolNational(t, 300, 6, true), Options{}}, {rules, Options{}}, {rules, Options{Granularity: Sessions, UnmetValueMAD: 2000}}} {
		poolDeterminism(t, c.p, c.opt)
	}
}

// poolDeterminism checks that shuffling the input rows and changing the
// number of workers leaves the plan's JSON unchanged.
func poolDeterminism(t *testing.T, p *Problem, opt Options) {
	t.Helper()
	one := opt
	one.Workers = 1
	want, err := Solve(context.Background(), p, &one)
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := json.Marshal(want)
	rng := rand.New(rand.NewSource(5))
	for trial := 0; trial < 3; trial++ {
		q := *p
		r := p.Region.Clone()
		rng.Shuffle(len(r.Establishments), func(i, j int) { r.Establishments[i], r.Establishments[j] = r.Establishments[j], r.Establishments[i] })
		rng.Shuffle(len(r.Categories), func(i, j int) { r.Categories[i], r.Categories[j] = r.Categories[j], r.Categories[i] })
		q.Region = r
		q.Need = append([]Need(nil), p.Need...)
		rng.Shuffle(len(q.Need), func(i, j int) { q.Need[i], q.Need[j] = q.Need[j], q.Need[i] })
		q.Teams = append([]Team(nil), p.Teams...)
		rng.Shuffle(len(q.Teams), func(i, j int) { q.Teams[i], q.Teams[j] = q.Teams[j], q.Teams[i] })
		two := opt
		two.Workers = 2
		got, err := Solve(context.Background(), &q, &two)
		if err != nil {
			t.Fatal(err)
		}
		gb, _ := json.Marshal(got)
		if string(gb) != string(wb) {
			t.Fatalf("trial %d: the plan changed with the input order", trial)
		}
	}
}

// The marginal value of a site is the fall of the weighted unmet need when
// one more FTE works there (finite differences, with the spare held).
func TestPoolMarginalValues(t *testing.T) {
	checked := 0
	for seed := int64(0); seed < 60; seed++ {
		rng := rand.New(rand.NewSource(seed))
		p := poolRandom(rng, false)
		p.Rules.MaxAwayShare = 1
		p.Rules.MinStayFTE = 0
		for i := range p.Need {
			p.Need[i].MinFTE = 0
		}
		plan, err := Solve(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		const delta = 1e-3
		for _, s := range plan.Sites {
			// One more FTE on roll, and the same more kept at home.
			q := *p
			q.OnRoll = []FTE{{Establishment: s.Establishment, Category: s.Category, FTE: s.OnRoll + delta}}
			q.Floors = []FTE{{Establishment: s.Establishment, Category: s.Category, FTE: delta}}
			plan2, err := Solve(context.Background(), &q, &Options{NoMarginalValues: true})
			if err != nil {
				t.Fatal(err)
			}
			got := (plan.WeightedUnmet - plan2.WeightedUnmet) / delta
			if math.Abs(got-s.MarginalValue) > 1e-5 {
				t.Fatalf("seed %d, %s %s: marginal value %g, finite difference %g", seed, s.Establishment, s.Category, s.MarginalValue, got)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d sites checked", checked)
	}
}

// Continuous plans against an independent linear programme over every move
// the commute allows (no pruning), solved in two stages.
func TestPoolAgainstLP(t *testing.T) {
	for seed := int64(0); seed < 80; seed++ {
		rng := rand.New(rand.NewSource(seed))
		p := poolRandom(rng, false)
		plan, err := Solve(context.Background(), p, nil)
		var ie *gst.InfeasibleError
		if errors.As(err, &ie) {
			if _, ok := poolLP(t, p); ok {
				t.Fatalf("seed %d: Pool infeasible, the programme is not", seed)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		poolNewRef(t, p, nil).check(t, plan)
		want, ok := poolLP(t, p)
		if !ok {
			t.Fatalf("seed %d: the programme is infeasible, Pool is not", seed)
		}
		if math.Abs(plan.WeightedUnmet-want[0]) > 1e-6 || math.Abs(plan.CostMADPerWeek-want[1]) > 1e-5*math.Max(1, want[1]) {
			t.Fatalf("seed %d: Pool (%g, %g), programme (%g, %g)", seed, plan.WeightedUnmet, plan.CostMADPerWeek, want[0], want[1])
		}
	}
}

// poolLP solves a problem without teams as a linear programme over every
// pair within the commute.
func poolLP(t *testing.T, p *Problem) ([2]float64, bool) {
	ref := poolNewRef(t, p, nil)
	m := lp.NewModel("ref")
	type arc struct {
		col  int
		h, k poolKey
	}
	var arcs []arc
	var cost []float64
	for _, c := range ref.cats {
		for _, h := range ref.sites {
			if ref.spare[poolKey{h, c}] <= 0 {
				continue
			}
			for _, k := range ref.sites {
				if l, ok := ref.leg(h, k); ok && h != k && l.Minutes <= ref.commute[c] {
					col := m.AddVar("", 0, math.Inf(1), 0, lp.Continuous)
					arcs = append(arcs, arc{col, poolKey{h, c}, poolKey{k, c}})
					cost = append(cost, 10*(2*(l.Minutes*(ref.minute[c]+tieMADPerMinute)+l.Km*p.Rules.PerKmMAD)+p.Rules.PerSessionMAD))
				}
			}
		}
	}
	var first []float64
	var firstCols []int
	constant := 0.0
	for _, h := range ref.sites {
		for _, c := range ref.cats {
			k := poolKey{h, c}
			var outs, ins []int
			for _, a := range arcs {
				if a.h == k {
					outs = append(outs, a.col)
				}
				if a.k == k {
					ins = append(ins, a.col)
				}
			}
			if len(outs) > 0 {
				ones := make([]float64, len(outs))
				for i := range ones {
					ones[i] = 1
				}
				m.AddRow("", outs, ones, lp.LE, ref.spare[k])
			}
			var cols []int
			var coefs []float64
			for _, o := range outs {
				cols, coefs = append(cols, o), append(coefs, 1)
			}
			for _, i := range ins {
				cols, coefs = append(cols, i), append(coefs, -1)
			}
			if ref.minFTE[k] > 0 {
				neg := make([]float64, len(coefs))
				for i := range coefs {
					neg[i] = -coefs[i]
				}
				m.AddRow("", cols, neg, lp.GE, ref.minFTE[k]-ref.roll[k])
			}
			if n := ref.need[k]; n > 0 {
				y := m.AddVar("", 0, n, 0, lp.Continuous)
				m.AddRow("", append(cols, y), append(coefs, 1), lp.LE, ref.roll[k])
				first = append(first, -ref.weight[k])
				firstCols = append(firstCols, y)
				constant += ref.weight[k] * n
			}
		}
	}
	for i, col := range firstCols {
		m.SetObj(col, first[i])
	}
	sol, err := lp.Solve(context.Background(), m, nil)
	if errors.Is(err, gst.ErrInfeasible) {
		return [2]float64{}, false
	}
	if err != nil {
		t.Fatal(err)
	}
	u := sol.Objective + constant
	m.AddRow("fix", firstCols, first, lp.LE, sol.Objective+1e-9)
	for i, col := range firstCols {
		m.SetObj(col, 0)
		_ = i
	}
	for i, a := range arcs {
		m.SetObj(a.col, cost[i])
	}
	sol, err = lp.Solve(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return [2]float64{u, sol.Objective}, true
}

// A deadline gives the best plan in hand with its status, not an error.
func TestPoolDeadline(t *testing.T) {
	p := poolNational(t, 600, 8, false)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	plan, err := Solve(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Status != gst.StatusTimeLimit || len(plan.Moves) != 0 || plan.WeightedUnmet != plan.Before.WeightedUnmet || plan.Bound > plan.WeightedUnmet {
		t.Errorf("status %v, %d moves, weighted unmet %g (before %g), bound %g", plan.Status, len(plan.Moves), plan.WeightedUnmet,
			plan.Before.WeightedUnmet, plan.Bound)
	}
	ctx, cancel2 := context.WithCancel(context.Background())
	cancel2()
	plan, err = Solve(ctx, p, nil)
	if err != nil {
		t.Errorf("cancelled: %v", err)
	} else if plan.Status != gst.StatusCanceled {
		t.Errorf("cancelled: status %v", plan.Status)
	}
	// A required team that no plan in hand meets: no usable answer.
	r := poolTestRegion(t)
	_, err = Solve(ctx, poolCaesarean(r, true), nil)
	if !errors.Is(err, gst.ErrNoSolution) {
		t.Errorf("cancelled with a required team: %v", err)
	}
}

func TestPoolTooLarge(t *testing.T) {
	p := poolNational(t, 300, 4, false)
	_, err := Solve(context.Background(), p, &Options{SolveOptions: gst.SolveOptions{MaxModelBytes: 1 << 10}})
	var tl *gst.TooLargeError
	if !errors.As(err, &tl) || !errors.Is(err, gst.ErrTooLarge) || tl.Bytes <= tl.Limit {
		t.Fatalf("want a *gst.TooLargeError, got %v", err)
	}
	// Caps couple every category; beyond MaxMIPColumns Auto refuses.
	p.Rules.MaxMovedFTE = 10
	_, err = Solve(context.Background(), p, &Options{MaxMIPColumns: 100})
	if !errors.As(err, &tl) || tl.Model != "mip" {
		t.Fatalf("want a refused integer programme, got %v", err)
	}
}

// Caps: the moved FTE, per category and in all, and the number of moves,
// hold in the answer and bind when they should.
func TestPoolCaps(t *testing.T) {
	for seed := int64(0); seed < 40; seed++ {
		rng := rand.New(rand.NewSource(seed))
		p := poolRandom(rng, seed%2 == 0)
		free, err := Solve(context.Background(), p, &Options{Granularity: Posts})
		if err != nil || free.After.MovedFTE < 2 {
			continue
		}
		for _, tc := range []struct {
			name string
			set  func(q *Problem)
		}{
			{"moved", func(q *Problem) { q.Rules.MaxMovedFTE = free.After.MovedFTE - 1 }},
			{"moves", func(q *Problem) { q.Rules.MaxMoves = 1 }},
			{"category", func(q *Problem) {
				q.Categories = []CategoryRule{{Category: free.Moves[0].Category, MaxMovedFTE: 0.5}}
			}},
		} {
			q := *p
			tc.set(&q)
			opt := &Options{Granularity: Posts}
			plan, err := Solve(context.Background(), &q, opt)
			if errors.Is(err, gst.ErrInfeasible) {
				continue
			}
			if err != nil {
				t.Fatalf("seed %d %s: %v", seed, tc.name, err)
			}
			poolNewRef(t, &q, opt).check(t, plan)
			if plan.WeightedUnmet < free.WeightedUnmet-1e-9 {
				t.Errorf("seed %d %s: a cap improved the plan", seed, tc.name)
			}
			best, ok := poolBrute(t, &q, 20000)
			if ok && math.Abs(best[0]-plan.WeightedUnmet) > 1e-6 {
				t.Errorf("seed %d %s: %g, enumeration %g", seed, tc.name, plan.WeightedUnmet, best[0])
			}
		}
	}
}

// Staff on roll from OnRoll, private establishments with IncludePrivate,
// a fixed category, a category's own commute, and deprivation by catchment.
func TestPoolOptionsAndRules(t *testing.T) {
	r := poolTestRegion(t)
	base := func() *Problem {
		return &Problem{Region: r, TravelSource: gst.TravelSource{NoEstimate: true}, Rules: Rules{MaxCommuteMinutes: 60},
			Need: []Need{{Establishment: "H2", Category: "anaesthetist", FTE: 1}}}
	}
	// H1 has 3 anaesthetists (spare 1.5): one goes to H2.
	p := base()
	plan, err := Solve(context.Background(), p, nil)
	if err != nil || len(plan.Moves) != 1 || plan.Moves[0].From != "H1" {
		t.Fatalf("base: %v %+v", err, plan)
	}
	// With H1's roll overridden to none, nobody can go.
	p = base()
	p.OnRoll = []FTE{{Establishment: "H1", Category: "anaesthetist", FTE: 0}}
	plan, err = Solve(context.Background(), p, nil)
	if err != nil || len(plan.Moves) != 0 || plan.WeightedUnmet != 1 {
		t.Fatalf("on roll: %v %+v", err, plan.Moves)
	}
	// A fixed category never moves.
	p = base()
	p.Categories = []CategoryRule{{Category: "anaesthetist", Fixed: true}}
	plan, err = Solve(context.Background(), p, nil)
	if err != nil || len(plan.Moves) != 0 {
		t.Fatalf("fixed: %v %+v", err, plan.Moves)
	}
	// A category's own commute below the trip (35 min).
	p = base()
	p.Categories = []CategoryRule{{Category: "anaesthetist", MaxCommuteMinutes: 30}}
	plan, err = Solve(context.Background(), p, nil)
	if err != nil || len(plan.Moves) != 0 {
		t.Fatalf("commute: %v %+v", err, plan.Moves)
	}
	// Private establishments take part only when asked; the private P1
	// (2 anaesthetists) has no travel to H2 in the matrix, so give one.
	p = base()
	p.OnRoll = []FTE{{Establishment: "H1", Category: "anaesthetist", FTE: 0}}
	p.Travel, _ = gst.MatrixFromEntries([]gst.MatrixEntry{{From: "P1", To: "H2", Minutes: 30, Km: 25}})
	plan, err = Solve(context.Background(), p, nil)
	if err != nil || len(plan.Moves) != 0 {
		t.Fatalf("private excluded: %v %+v", err, plan.Moves)
	}
	p.Rules.IncludePrivate = true
	plan, err = Solve(context.Background(), p, nil)
	if err != nil || len(plan.Moves) != 1 || plan.Moves[0].From != "P1" || plan.Moves[0].Minutes != 30 {
		t.Fatalf("private included: %v %+v", err, plan.Moves)
	}
	poolNewRef(t, p, nil).check(t, plan)

	// Deprivation by catchment: C1 stands in A1 (least deprived) but
	// serves A2 (most deprived).
	p = &Problem{Region: r, TravelSource: gst.TravelSource{NoEstimate: true}, Rules: Rules{MaxCommuteMinutes: 60, DeprivationWeight: 1},
		Need: []Need{{Establishment: "C1", Category: "midwife", FTE: 2}}}
	plan, err = Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w := plan.Sites[0].Weight; w != 1 {
		t.Errorf("C1 weight by its area: %g, want 1", w)
	}
	p.Catchment, err = gst.NewAssignment([]gst.Allocation{{Area: "A2", Service: "maternity", Establishment: "C1", Share: 1}})
	if err != nil {
		t.Fatal(err)
	}
	plan, err = Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range plan.Sites {
		if s.Establishment == "C1" && s.Weight != 2 {
			t.Errorf("C1 weight by its catchment: %g, want 2", s.Weight)
		}
	}
}

// A relay: A has a surplus, B is at its need, C is short; A–B and B–C are
// within the commute, A–C is not. B sends one of its own to C and receives one from
// A: a plan that only moves staff from surplus sites to short ones would
// leave C short.
func TestPoolRelay(t *testing.T) {
	r := &gst.Region{ID: "R", Areas: []gst.Area{{ID: "X", Lat: 34, Lon: -5, Population: 1}},
		Categories: []gst.Category{{ID: "nurse", HoursPerYear: 1600, AnnualCost: 96000}},
		Establishments: []gst.Establishment{
			{ID: "A", Level: gst.HealthCentre, Lat: 34, Lon: -5, Staff: []gst.Staffing{{Category: "nurse", FTE: 4}}},
			{ID: "B", Level: gst.HealthCentre, Lat: 34, Lon: -5, Staff: []gst.Staffing{{Category: "nurse", FTE: 2}}},
			{ID: "C", Level: gst.HealthCentre, Lat: 34, Lon: -5},
		}}
	r.Travel, _ = gst.MatrixFromEntries([]gst.MatrixEntry{
		{From: "A", To: "B", Minutes: 40, Km: 30}, {From: "B", To: "C", Minutes: 40, Km: 30}, {From: "A", To: "C", Minutes: 80, Km: 60},
	})
	p := &Problem{Region: r, TravelSource: gst.TravelSource{NoEstimate: true}, Rules: Rules{MaxCommuteMinutes: 60},
		Need: []Need{{Establishment: "A", Category: "nurse", FTE: 2}, {Establishment: "B", Category: "nurse", FTE: 2}, {Establishment: "C", Category: "nurse", FTE: 1}}}
	plan, err := Solve(context.Background(), p, &Options{Granularity: Posts})
	if err != nil {
		t.Fatal(err)
	}
	poolNewRef(t, p, &Options{Granularity: Posts}).check(t, plan)
	var got []string
	for _, m := range plan.Moves {
		got = append(got, fmt.Sprintf("%s→%s %g", m.From, m.To, m.FTE))
	}
	if d := cmp.Diff([]string{"A→B 1", "B→C 1"}, got); d != "" || plan.WeightedUnmet != 0 {
		t.Errorf("moves (-want +got):\n%s; weighted unmet %g", d, plan.WeightedUnmet)
	}
}

// Nothing to pool: a plan without moves, not an error.
func TestPoolEmpty(t *testing.T) {
	plan, err := Solve(context.Background(), &Problem{Region: poolTestRegion(t)}, nil)
	if err != nil || plan.Status != gst.StatusOptimal || len(plan.Moves) != 0 || len(plan.Sites) != 0 {
		t.Fatalf("%v %+v", err, plan)
	}
}

// TestPlanCostWithoutTieBreak pins Plan.CostMADPerWeek as its doc says:
// the cost of the moves without the tie-breaking term, so moves of staff
// whose time, mileage and sessions cost nothing cost nothing.
func TestPlanCostWithoutTieBreak(t *testing.T) {
	r := poolTestRegion(t)
	for i := range r.Categories {
		r.Categories[i].AnnualCost = 0
	}
	plan, err := Solve(context.Background(), poolMidwives(r), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Moves) == 0 || plan.CostMADPerWeek != 0 {
		t.Errorf("%d moves cost %v MAD a week, want 0", len(plan.Moves), plan.CostMADPerWeek)
	}
}
