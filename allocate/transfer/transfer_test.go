package transfer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gstplan/gst"
)

// xferTestRegion is a province with three areas (two of them split by
// coverage), a regional hospital R1, a provincial hospital H1, a health
// centre C1 and a private clinic K1, with explicit travel.
func xferTestRegion(t testing.TB) *gst.Region {
	t.Helper()
	r := &gst.Region{ID: "T"}
	r.Areas = []gst.Area{
		{ID: "A1", Lat: 34.0, Lon: -5.0, Population: 10000, Segments: []gst.Segment{{Name: "coverage/amo", Population: 6000}, {Name: "coverage/tadamon", Population: 3000}}},
		{ID: "A2", Lat: 34.2, Lon: -5.1, Population: 5000, Segments: []gst.Segment{{Name: "coverage/amo", Population: 1000}, {Name: "coverage/tadamon", Population: 4000}}},
		{ID: "A3", Lat: 34.4, Lon: -5.4, Population: 2000},
	}
	r.Services = []gst.Service{{ID: "surgery", Unit: "admission"}, {ID: "pc", Unit: "visit"}, {ID: "dialysis"}}
	r.Categories = []gst.Category{{ID: "surgeon", HoursPerYear: 1600}}
	r.Establishments = []gst.Establishment{
		{ID: "R1", Level: gst.RegionalHospital, Lat: 34.0, Lon: -5.0, Beds: 10,
			Offers: []gst.Offer{{Service: "surgery", Capacity: 400}, {Service: "dialysis"}},
			Staff:  []gst.Staffing{{Category: "surgeon", FTE: 2}}},
		{ID: "H1", Level: gst.ProvincialHospital, Lat: 34.2, Lon: -5.1, Beds: 4,
			Offers: []gst.Offer{{Service: "surgery", Capacity: 100}}},
		{ID: "C1", Level: gst.HealthCentre, Lat: 34.1, Lon: -5.05, Offers: []gst.Offer{{Service: "pc"}}},
		{ID: "C2", Level: gst.HealthCentre, Lat: 34.4, Lon: -5.4, Offers: []gst.Offer{{Service: "pc"}}},
		{ID: "K1", Level: gst.ProvincialHospital, Ownership: gst.Private, Lat: 34.3, Lon: -5.2},
	}
	legs := map[[2]string]float64{
		{"A1", "R1"}: 5, {"A1", "H1"}: 30, {"A1", "K1"}: 40, {"A1", "C1"}: 15, {"A1", "C2"}: 70,
		{"A2", "R1"}: 30, {"A2", "H1"}: 5, {"A2", "K1"}: 15, {"A2", "C1"}: 10, {"A2", "C2"}: 40,
		{"A3", "R1"}: 80, {"A3", "H1"}: 50, {"A3", "K1"}: 25, {"A3", "C1"}: 60, {"A3", "C2"}: 5,
		{"C2", "R1"}: 80, {"C2", "H1"}: 50, {"C2", "K1"}: 25, {"C1", "R1"}: 15, {"C1", "H1"}: 10,
	}
	var es []gst.MatrixEntry
	for k, m := range legs {
		es = append(es, gst.MatrixEntry{From: k[0], To: k[1], Minutes: m, Km: m})
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

func xferTable(t testing.TB, rows ...gst.Demand) *gst.DemandTable {
	t.Helper()
	d, err := gst.NewDemandTable(rows)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// xferRef checks a plan against the problem, independently of the solver.
type xferRef struct {
	t *testing.T
	p *Problem
}

func (ref xferRef) leg(from, to string) (gst.Leg, bool) {
	if ref.p.Travel != nil {
		if l, ok := ref.p.Travel.Lookup(from, to); ok {
			return l, true
		}
	}
	return ref.p.Region.Travel.Lookup(from, to)
}

// check verifies every rule in the plan and recomputes cost, travel and
// the objective; it returns (unserved, value, secondary).
func (ref xferRef) check(plan *Plan) [3]float64 {
	t, p := ref.t, ref.p
	t.Helper()
	r := p.Region
	const tol = 1e-6
	rules := map[gst.ServiceID]Service{}
	for _, s := range p.Services {
		rules[s.Service] = s
	}
	trips := func(s gst.ServiceID) float64 {
		if v := rules[s].TripsPerCase; v > 0 {
			return v
		}
		return 2
	}
	contract := map[[2]string]Contract{}
	for _, c := range p.Contracts {
		contract[[2]string{string(c.Establishment), string(c.Service)}] = c
	}
	tariff := func(s gst.ServiceID, payer string, e gst.EstablishmentID) float64 {
		find := func(pp string, ee gst.EstablishmentID) (float64, bool) {
			for _, tr := range p.Tariffs {
				if tr.Service == s && tr.Payer == pp && tr.Establishment == ee {
					return tr.PerCaseMAD, true
				}
			}
			return 0, false
		}
		if v, ok := find(payer, e); ok {
			return v
		}
		if v, ok := find("", e); ok {
			return v
		}
		if c, ok := contract[[2]string{string(e), string(s)}]; ok {
			return c.TariffMAD
		}
		if v, ok := find(payer, ""); ok {
			return v
		}
		v, _ := find("", "")
		return v
	}
	served := map[[3]string]float64{}
	load := map[[2]string]float64{}
	payerCost := map[string]float64{}
	var cost, minutes float64
	for _, f := range plan.Flows {
		if f.Volume <= 0 {
			t.Errorf("flow %+v without volume", f)
		}
		e, ok := r.Establishment(f.Establishment)
		if !ok {
			t.Fatalf("flow to unknown %s", f.Establishment)
		}
		if e.Ownership == gst.Private {
			if _, ok := contract[[2]string{string(e.ID), string(f.Service)}]; !ok {
				t.Errorf("flow %+v to a private establishment without a contract", f)
			}
		} else if !e.OffersService(f.Service) {
			t.Errorf("flow %+v to an establishment that does not offer the service", f)
		}
		if sr := rules[f.Service]; len(sr.Providers) > 0 {
			found := false
			for _, pr := range sr.Providers {
				found = found || pr == f.Establishment
			}
			if !found {
				t.Errorf("flow %+v to a provider outside the service's list", f)
			}
		}
		l, ok := ref.leg(f.Origin, string(f.Establishment))
		if !ok || l.Minutes != f.Minutes {
			t.Errorf("flow %+v: leg %v", f, l)
		}
		if mx := rules[f.Service].MaxMinutes; mx > 0 && l.Minutes > mx+tol {
			t.Errorf("flow %+v beyond the service's %g minutes", f, mx)
		}
		served[[3]string{f.Origin, string(f.Service), f.Payer}] += f.Volume
		load[[2]string{string(f.Establishment), string(f.Service)}] += f.Volume
		fee := tariff(f.Service, f.Payer, f.Establishment) * f.Volume
		if math.Abs(fee-f.FeesMAD) > tol*math.Max(1, fee) {
			t.Errorf("flow %+v: fees %g, recomputed %g", f, f.FeesMAD, fee)
		}
		payerCost[f.Payer] += f.FeesMAD + f.CapitationMAD
		cost += f.FeesMAD + f.CapitationMAD
		minutes += f.Volume * trips(f.Service) * l.Minutes
	}
	// Demand: served plus unserved is the demand.
	unserved := 0.0
	for _, u := range plan.UnservedRows {
		served[[3]string{u.Origin, string(u.Service), u.Payer}] += u.Volume
		unserved += u.Volume
	}
	want := map[[2]string]float64{}
	if p.Demand != nil {
		for _, d := range p.Demand.Rows() {
			want[[2]string{string(d.Area), string(d.Service)}] += d.Volume
		}
	}
	for _, rf := range p.Referrals {
		want[[2]string{string(rf.From), string(rf.Service)}] += rf.Volume
	}
	got := map[[2]string]float64{}
	for k, v := range served {
		got[[2]string{k[0], k[1]}] += v
	}
	for k, v := range want {
		if math.Abs(got[k]-v) > tol*math.Max(1, v) {
			t.Errorf("%v: served + unserved %g, demand %g", k, got[k], v)
		}
	}
	if !p.AllowUnserved && unserved > tol {
		t.Errorf("%g cases unserved", unserved)
	}
	// Capacities and contracts.
	capOver := map[[2]string]float64{}
	for _, c := range p.Capacities {
		capOver[[2]string{string(c.Establishment), string(c.Service)}] = c.Volume
	}
	for k, v := range load {
		e, _ := r.Establishment(gst.EstablishmentID(k[0]))
		c := math.Inf(1)
		if of, ok := e.Offer(gst.ServiceID(k[1])); ok && of.Capacity > 0 {
			c = of.Capacity
		}
		if ct, ok := contract[k]; ok && ct.MaxVolume > 0 {
			c = ct.MaxVolume
		}
		if o, ok := capOver[k]; ok {
			c = o
		}
		if v > c+tol*math.Max(1, c) {
			t.Errorf("%v: load %g above capacity %g", k, v, c)
		}
	}
	for k, ct := range contract {
		if load[k] < ct.MinVolume-tol*math.Max(1, ct.MinVolume) {
			t.Errorf("%v: load %g below the contract floor %g", k, load[k], ct.MinVolume)
		}
	}
	// Resources.
	avail := map[[2]string]float64{}
	for _, rs := range p.Resources {
		avail[[2]string{string(rs.Establishment), rs.Resource}] = rs.Available
	}
	usedRes := map[[2]string]float64{}
	for k, v := range load {
		for _, u := range p.Uses {
			if string(u.Service) == k[1] {
				usedRes[[2]string{k[0], u.Resource}] += v * u.PerCase
			}
		}
	}
	for k, v := range usedRes {
		a, ok := avail[k]
		if !ok {
			e, _ := r.Establishment(gst.EstablishmentID(k[0]))
			switch {
			case k[1] == "beds":
				a, ok = e.Beds, true
			case strings.HasPrefix(k[1], "staff/"):
				a, ok = e.StaffFTE(gst.CategoryID(strings.TrimPrefix(k[1], "staff/"))), true
			}
		}
		if ok && v > a+tol*math.Max(1, a) {
			t.Errorf("%v: uses %g of %g", k, v, a)
		}
	}
	// Budgets.
	if p.Budget > 0 && cost > p.Budget*(1+tol) {
		t.Errorf("cost %g above the budget %g", cost, p.Budget)
	}
	for _, b := range p.PayerBudgets {
		if payerCost[b.Payer] > b.MAD*(1+tol) {
			t.Errorf("payer %q pays %g, budget %g", b.Payer, payerCost[b.Payer], b.MAD)
		}
	}
	for _, pc := range plan.Payers {
		if math.Abs(pc.TotalMAD-payerCost[pc.Payer]) > tol*math.Max(1, pc.TotalMAD) {
			t.Errorf("payer %q: total %g, flows say %g", pc.Payer, pc.TotalMAD, payerCost[pc.Payer])
		}
	}
	// Objective.
	if math.Abs(cost-plan.CostMAD) > tol*math.Max(1, cost) || math.Abs(minutes-plan.PatientMinutes) > tol*math.Max(1, minutes) {
		t.Errorf("cost %g / minutes %g, recomputed %g / %g", plan.CostMAD, plan.PatientMinutes, cost, minutes)
	}
	value, second := cost+p.MinuteValueMAD*minutes, minutes
	if p.Objective == TravelFirst {
		value, second = minutes, cost
	}
	if math.Abs(value-plan.Value) > tol*math.Max(1, value) || math.Abs(unserved-plan.Unserved) > tol*math.Max(1, unserved) {
		t.Errorf("value %g, unserved %g; recomputed %g, %g", plan.Value, plan.Unserved, value, unserved)
	}
	if plan.Bound > plan.Value+tol*math.Max(1, plan.Value) {
		t.Errorf("bound %g above value %g", plan.Bound, plan.Value)
	}
	// The assignment's shares match the area flows.
	for _, row := range plan.Assignment.Rows() {
		v := 0.0
		for _, f := range plan.Flows {
			if f.FromArea && f.Origin == string(row.Area) && f.Service == row.Service && f.Establishment == row.Establishment {
				v += f.Volume
			}
		}
		if d := p.Demand.Volume(row.Area, row.Service); math.Abs(row.Share*d-v) > tol*math.Max(1, v) {
			t.Errorf("assignment %+v: share × demand %g, flows %g", row, row.Share*d, v)
		}
	}
	return [3]float64{unserved, value, second}
}

func xferSurgery(t testing.TB) *Problem {
	r := xferTestRegion(t)
	return &Problem{Region: r, TravelSource: gst.TravelSource{NoEstimate: true},
		Demand:    xferTable(t, gst.Demand{Area: "A1", Service: "surgery", Volume: 300}, gst.Demand{Area: "A2", Service: "surgery", Volume: 200}, gst.Demand{Area: "A3", Service: "surgery", Volume: 100}),
		Services:  []Service{{Service: "surgery", MaxMinutes: 60}},
		Payers:    []Payer{{ID: "amo", Segment: "coverage/amo"}, {ID: "tadamon", Segment: "coverage/tadamon"}, {ID: "state"}},
		Contracts: []Contract{{Establishment: "K1", Service: "surgery", MaxVolume: 150, TariffMAD: 9000}},
		Tariffs: []Tariff{{Service: "surgery", PerCaseMAD: 6000}, {Service: "surgery", Payer: "amo", PerCaseMAD: 8000},
			{Service: "surgery", Establishment: "R1", PerCaseMAD: 7000}},
		MinuteValueMAD: 5,
	}
}

func TestTransferSurgery(t *testing.T) {
	p := xferSurgery(t)
	for _, force := range []bool{false, true} {
		plan, err := Solve(context.Background(), p, &Options{ForceLP: force})
		if err != nil {
			t.Fatal(err)
		}
		xferRef{t, p}.check(plan)
		// H1 (100) and R1 (400) hold 500 of the 600 cases; the clinic K1
		// takes the rest. A3 reaches only K1 within the hour.
		got := map[string]float64{}
		for _, l := range plan.Loads {
			got[string(l.Establishment)] = l.Volume
		}
		if d := cmp.Diff(map[string]float64{"R1": 400, "H1": 100, "K1": 100}, got); d != "" {
			t.Errorf("force LP %v: loads (-want +got):\n%s", force, d)
		}
		if plan.Status != gst.StatusOptimal || plan.Unserved != 0 || plan.Gap != 0 {
			t.Errorf("force LP %v: status %v, unserved %g, gap %g", force, plan.Status, plan.Unserved, plan.Gap)
		}
		// Today A1 goes to R1, A2 and A3 to H1 (K1 is private): H1 is
		// 200 cases over its capacity.
		if plan.Before.OverCapacity != 200 || plan.After.OverCapacity != 0 || plan.After.PrivateVolume != 100 {
			t.Errorf("force LP %v: before %+v, after %+v", force, plan.Before, plan.After)
		}
		// One more case of capacity at H1 (full) saves a case sent to
		// the clinic from A2: K1 costs more and is further.
		for _, l := range plan.Loads {
			if l.Establishment == "H1" && !(l.ValuePerUnit > 0 && l.CasesPerUnit == 0) {
				t.Errorf("force LP %v: H1 %+v", force, l)
			}
		}
	}
}

// Flows and the linear programme agree on random problems, and every rule
// holds in both answers.
func TestTransferFlowsAgainstLP(t *testing.T) {
	checked := 0
	defer func() {
		if checked < 20 {
			t.Errorf("only %d marginal values checked", checked)
		}
	}()
	for seed := int64(0); seed < 150; seed++ {
		rng := rand.New(rand.NewSource(seed))
		p := xferRandom(t, rng, false)
		a, errA := Solve(context.Background(), p, nil)
		b, errB := Solve(context.Background(), p, &Options{ForceLP: true})
		if (errA == nil) != (errB == nil) {
			t.Fatalf("seed %d: flows %v, programme %v", seed, errA, errB)
		}
		if errA != nil {
			if !errors.Is(errA, gst.ErrInfeasible) || !errors.Is(errB, gst.ErrInfeasible) {
				t.Fatalf("seed %d: %v / %v", seed, errA, errB)
			}
			continue
		}
		va := xferRef{t, p}.check(a)
		vb := xferRef{t, p}.check(b)
		for i := range va {
			if math.Abs(va[i]-vb[i]) > 1e-6*math.Max(1, math.Abs(va[i])) {
				t.Fatalf("seed %d: flows %v, programme %v", seed, va, vb)
			}
		}
		for i := range a.Loads {
			la, lb := a.Loads[i], b.Loads[i]
			if math.Abs(la.CasesPerUnit-lb.CasesPerUnit) > 1e-6 {
				t.Errorf("seed %d %s %s: cases per unit %g (flows), %g (programme)", seed, la.Establishment, la.Service, la.CasesPerUnit, lb.CasesPerUnit)
			}
			if la.Capacity == nil || (la.CasesPerUnit == 0 && la.ValuePerUnit == 0) {
				continue
			}
			// The flows' marginal values are right derivatives.
			const delta = 1e-3
			q := *p
			q.Capacities = []Capacity{{Establishment: la.Establishment, Service: la.Service, Volume: *la.Capacity + delta}}
			c, err := Solve(context.Background(), &q, nil)
			if err != nil {
				t.Fatal(err)
			}
			vc := xferRef{t, &q}.check(c)
			if got := (va[0] - vc[0]) / delta; math.Abs(got-la.CasesPerUnit) > 1e-4*math.Max(1, la.CasesPerUnit) {
				t.Errorf("seed %d %s %s: cases per unit %g, finite difference %g", seed, la.Establishment, la.Service, la.CasesPerUnit, got)
			}
			if la.CasesPerUnit == 0 {
				if got := (va[1] - vc[1]) / delta; math.Abs(got-la.ValuePerUnit) > 1e-4*math.Max(1, la.ValuePerUnit) {
					t.Errorf("seed %d %s %s: value per unit %g, finite difference %g", seed, la.Establishment, la.Service, la.ValuePerUnit, got)
				}
			}
			checked++
		}
		if t.Failed() {
			t.FailNow()
		}
	}
}

// Shared resources, contract floors and budgets hold in the programme's
// answers; the worth of a bed is a finite difference of the objective.
func TestTransferCoupled(t *testing.T) {
	solved, checked := 0, 0
	for seed := int64(0); seed < 120; seed++ {
		rng := rand.New(rand.NewSource(seed))
		p := xferRandom(t, rng, true)
		plan, err := Solve(context.Background(), p, nil)
		if errors.Is(err, gst.ErrInfeasible) {
			if len(gst.InfeasibleCauses(err)) == 0 {
				t.Fatalf("seed %d: %v", seed, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		solved++
		v := xferRef{t, p}.check(plan)
		for _, ru := range plan.Resources {
			if ru.CasesPerUnit == 0 && ru.ValuePerUnit == 0 {
				continue
			}
			const delta = 1e-3
			checked++
			q := *p
			q.Resources = append([]Resource(nil), p.Resources...)
			found := false
			for i := range q.Resources {
				if q.Resources[i].Establishment == ru.Establishment && q.Resources[i].Resource == ru.Resource {
					q.Resources[i].Available += delta
					found = true
				}
			}
			if !found {
				q.Resources = append(q.Resources, Resource{Establishment: ru.Establishment, Resource: ru.Resource, Available: ru.Available + delta})
			}
			plan2, err := Solve(context.Background(), &q, nil)
			if err != nil {
				t.Fatal(err)
			}
			v2 := xferRef{t, &q}.check(plan2)
			if ru.CasesPerUnit > 0 {
				if got := (v[0] - v2[0]) / delta; math.Abs(got-ru.CasesPerUnit) > 1e-3*math.Max(1, ru.CasesPerUnit) {
					t.Errorf("seed %d %s %s: cases per unit %g, finite difference %g", seed, ru.Establishment, ru.Resource, ru.CasesPerUnit, got)
				}
			} else if v2[0] == v[0] {
				if got := (v[1] - v2[1]) / delta; math.Abs(got-ru.ValuePerUnit) > 1e-3*math.Max(1, ru.ValuePerUnit) {
					t.Errorf("seed %d %s %s: value per unit %g, finite difference %g", seed, ru.Establishment, ru.Resource, ru.ValuePerUnit, got)
				}
			}
		}
	}
	if solved < 40 || checked < 20 {
		t.Fatalf("only %d problems solved, %d marginal values checked", solved, checked)
	}
	t.Logf("%d problems solved, %d marginal values checked", solved, checked)
}

// xferRandom builds a random problem: 3 to 6 areas with coverage segments,
// 2 to 4 public hospitals and a private clinic, two services, explicit
// travel. With coupled set, it adds beds shared by the services, a contract
// floor and a budget.
func xferRandom(t testing.TB, rng *rand.Rand, coupled bool) *Problem {
	r := &gst.Region{ID: "R"}
	na, ne := 3+rng.Intn(4), 2+rng.Intn(3)
	for i := 0; i < na; i++ {
		pop := float64(1000 + rng.Intn(9000))
		a := gst.Area{ID: gst.AreaID(fmt.Sprintf("A%d", i)), Lat: 34, Lon: -5, Population: pop}
		if rng.Intn(2) == 0 {
			a.Segments = []gst.Segment{{Name: "coverage/amo", Population: math.Floor(pop * rng.Float64() * 0.7)}}
		}
		r.Areas = append(r.Areas, a)
	}
	r.Services = []gst.Service{{ID: "s0"}, {ID: "s1"}}
	for j := 0; j < ne; j++ {
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("E%d", j)), Level: gst.ProvincialHospital, Lat: 34, Lon: -5,
			Beds: float64(2 + rng.Intn(6))}
		for _, s := range r.Services {
			if rng.Intn(4) > 0 {
				c := 0.0
				if rng.Intn(3) > 0 {
					c = float64(50 + rng.Intn(300))
				}
				e.Offers = append(e.Offers, gst.Offer{Service: s.ID, Capacity: c})
			}
		}
		r.Establishments = append(r.Establishments, e)
	}
	r.Establishments = append(r.Establishments, gst.Establishment{ID: "K", Level: gst.ProvincialHospital, Ownership: gst.Private, Lat: 34, Lon: -5, Beds: 3})
	var es []gst.MatrixEntry
	for _, a := range r.Areas {
		for _, e := range r.Establishments {
			if rng.Intn(6) > 0 {
				m := float64(5 + rng.Intn(80))
				es = append(es, gst.MatrixEntry{From: string(a.ID), To: string(e.ID), Minutes: m, Km: math.Round(m * 0.8)})
			}
		}
	}
	r.Travel, _ = gst.MatrixFromEntries(es)
	var rows []gst.Demand
	for _, a := range r.Areas {
		for _, s := range r.Services {
			if rng.Intn(4) > 0 {
				rows = append(rows, gst.Demand{Area: a.ID, Service: s.ID, Volume: float64(10 + rng.Intn(150))})
			}
		}
	}
	p := &Problem{Region: r, Demand: xferTable(t, rows...), TravelSource: gst.TravelSource{NoEstimate: true}, AllowUnserved: rng.Intn(2) == 0,
		Payers:         []Payer{{ID: "amo", Segment: "coverage/amo"}, {ID: "rest"}},
		Services:       []Service{{Service: "s0", MaxMinutes: float64(40 + rng.Intn(50))}, {Service: "s1", TripsPerCase: 1}},
		Contracts:      []Contract{{Establishment: "K", Service: "s0", MaxVolume: float64(rng.Intn(200)), TariffMAD: float64(500 + rng.Intn(500))}},
		Tariffs:        []Tariff{{Service: "s0", PerCaseMAD: 400}, {Service: "s0", Payer: "amo", PerCaseMAD: 600}, {Service: "s1", PerCaseMAD: float64(rng.Intn(300))}},
		Capitations:    []Capitation{{Service: "s1", PerPersonMAD: float64(rng.Intn(3))}},
		MinuteValueMAD: float64(rng.Intn(4)),
		Objective:      Objective(rng.Intn(2)),
	}
	if rng.Intn(3) == 0 {
		p.Referrals = []Referral{{From: "E0", Service: "s0", Volume: float64(10 + rng.Intn(50)), Payer: "rest"}}
		es = append(es, gst.MatrixEntry{From: "E0", To: "K", Minutes: 20, Km: 15})
		for j := 1; j < ne; j++ {
			es = append(es, gst.MatrixEntry{From: "E0", To: fmt.Sprintf("E%d", j), Minutes: float64(10 * j), Km: float64(8 * j)})
		}
		r.Travel, _ = gst.MatrixFromEntries(es)
	}
	if coupled {
		p.Uses = []Use{{Service: "s0", Resource: "beds", PerCase: 0.02}, {Service: "s1", Resource: "beds", PerCase: 0.01}}
		if rng.Intn(2) == 0 {
			p.Contracts[0].MinVolume = math.Floor(p.Contracts[0].MaxVolume * rng.Float64() * 0.3)
		}
		if rng.Intn(2) == 0 {
			p.PayerBudgets = []Budget{{Payer: "amo", MAD: float64(20000 + rng.Intn(100000))}}
		}
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTransferInfeasible(t *testing.T) {
	// A3 reaches no surgery provider within 40 minutes.
	p := xferSurgery(t)
	p.Services[0].MaxMinutes = 20
	_, err := Solve(context.Background(), p, nil)
	ie := gst.InfeasibleCauses(err)
	if len(ie) == 0 || !errors.Is(err, gst.ErrInfeasible) || ie[0].Elastic {
		t.Fatalf("want a counting conflict, got %v", err)
	}
	want := &gst.InfeasibleError{Op: "allocate: transfer", Rule: "max travel", Service: "surgery", Areas: []gst.AreaID{"A3"}, Amount: 100, Unit: "cases a year",
		Reason: `100 cases a year of "surgery" from A3 have no provider within reach (20 min): the nearest to A3 is K1, 25 min away`}
	if d := cmp.Diff([]*gst.InfeasibleError{want}, ie); d != "" {
		t.Errorf("conflicts (-want +got):\n%s", d)
	}

	// Capacities: 600 cases, 680 of capacity in all, but within 45
	// minutes A3 (100 cases) reaches only K1 (80 under contract).
	p = xferSurgery(t)
	p.Services[0].MaxMinutes = 45
	p.Contracts[0].MaxVolume = 80
	p.Capacities = []Capacity{{Establishment: "R1", Service: "surgery", Volume: 500}}
	_, err = Solve(context.Background(), p, nil)
	ie = gst.InfeasibleCauses(err)
	if len(ie) == 0 || !ie[0].Elastic {
		t.Fatalf("want an elastic conflict, got %v", err)
	}
	want = &gst.InfeasibleError{Op: "allocate: transfer", Rule: "capacity", Service: "surgery", Establishment: "K1", Amount: 20, Unit: "cases a year", Elastic: true,
		Reason: `the capacity of "surgery" at K1 (80 cases a year) is 20 short of what the demand within reach needs`}
	if d := cmp.Diff([]*gst.InfeasibleError{want}, ie, cmpopts.EquateApprox(0, 1e-6)); d != "" {
		t.Errorf("conflicts (-want +got):\n%s", d)
	}

	// A budget below the cheapest plan.
	p = xferSurgery(t)
	p.Budget = 3e6
	_, err = Solve(context.Background(), p, nil)
	ie = gst.InfeasibleCauses(err)
	if len(ie) != 1 || ie[0].Rule != "budget" {
		t.Fatalf("want a budget conflict, got %v", err)
	}
	if !strings.Contains(ie[0].Reason, "more than the budget of 3,000,000 MAD") {
		t.Errorf("reason %q", ie[0].Reason)
	}

	// A contract floor above what can reach the partner.
	p = xferSurgery(t)
	p.Contracts[0].MinVolume = 700
	p.Contracts[0].MaxVolume = 800
	_, err = Solve(context.Background(), p, nil)
	if ie = gst.InfeasibleCauses(err); len(ie) == 0 || ie[0].Rule != "contract minimum" {
		t.Fatalf("want a contract conflict, got %v", err)
	}

	// With AllowUnserved the same problems have plans.
	p = xferSurgery(t)
	p.Services[0].MaxMinutes = 20
	p.AllowUnserved = true
	plan, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	xferRef{t, p}.check(plan)
	if plan.Unserved != 100 || len(plan.UnservedRows) != 1 || plan.UnservedRows[0].Payer != "state" {
		t.Errorf("unserved %g, rows %+v", plan.Unserved, plan.UnservedRows)
	}
}

func TestTransferValidation(t *testing.T) {
	r := xferTestRegion(t)
	p := &Problem{Region: r,
		Demand:       xferTable(t, gst.Demand{Area: "A1", Service: "surgery", Volume: 10}),
		Referrals:    []Referral{{From: "X", Service: "surgery", Volume: -1}, {From: "C1", Service: "nope", Volume: 1, Payer: "ghost"}},
		Services:     []Service{{Service: "surgery", MaxMinutes: -5}, {Service: "surgery"}},
		Payers:       []Payer{{ID: "amo", Segment: "coverage/amo"}, {ID: "amo", Segment: "age/0-4"}},
		Capacities:   []Capacity{{Establishment: "C1", Service: "surgery", Volume: -1}},
		Resources:    []Resource{{Establishment: "R1", Resource: "", Available: 1}},
		Uses:         []Use{{Service: "surgery", Resource: "staff/nurse", PerCase: 0}},
		Contracts:    []Contract{{Establishment: "R1", Service: "surgery"}, {Establishment: "K1", Service: "surgery", MinVolume: 5, MaxVolume: 2}},
		Tariffs:      []Tariff{{Service: "surgery", PerCaseMAD: -3}, {Service: "surgery", PerCaseMAD: 3}},
		PayerBudgets: []Budget{{Payer: "nobody", MAD: 1}},
		Budget:       math.Inf(1),
		Objective:    9,
	}
	_, err := Solve(context.Background(), p, &Options{MaxLPColumns: -1})
	if !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("want ErrInvalid, got %v", err)
	}
	msg := err.Error()
	for _, s := range []string{`unknown establishment "X"`, `volume`, `unknown service "nope"`, `unknown payer "ghost"`,
		`MaxMinutes`, `second rule for the same service`, `second payer with the same ID`, `dimension`, `empty resource name`,
		`unknown category "nurse"`, `PerCase`, `is public; contracts are for private partners`, `above MaxVolume`,
		`second row for the same service, payer and establishment`, `unknown payer "nobody"`, `Budget`, `Objective`, `MaxLPColumns`} {
		if !strings.Contains(msg, s) {
			t.Errorf("error does not mention %q:\n%s", s, msg)
		}
	}
	if _, err := Solve(context.Background(), nil, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("nil problem: %v", err)
	}
}

func TestTransferDeterminism(t *testing.T) {
	p := xferNational(t, 300, 150, 4, 60)
	xferDeterminism(t, p)
	q := *p
	q.EqualTreatment = true
	xferDeterminism(t, &q)
}

// xferDeterminism checks that shuffling the input rows and changing the
// number of workers leaves the plan's JSON unchanged.
func xferDeterminism(t *testing.T, p *Problem) {
	t.Helper()
	want, err := Solve(context.Background(), p, &Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := json.Marshal(want)
	rng := rand.New(rand.NewSource(3))
	for trial := 0; trial < 2; trial++ {
		q := *p
		r := p.Region.Clone()
		rng.Shuffle(len(r.Establishments), func(i, j int) { r.Establishments[i], r.Establishments[j] = r.Establishments[j], r.Establishments[i] })
		rng.Shuffle(len(r.Areas), func(i, j int) { r.Areas[i], r.Areas[j] = r.Areas[j], r.Areas[i] })
		q.Region = r
		rows := append([]gst.Demand(nil), p.Demand.Rows()...)
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		q.Demand = xferTable(t, rows...)
		q.Tariffs = append([]Tariff(nil), p.Tariffs...)
		rng.Shuffle(len(q.Tariffs), func(i, j int) { q.Tariffs[i], q.Tariffs[j] = q.Tariffs[j], q.Tariffs[i] })
		got, err := Solve(context.Background(), &q, &Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		gb, _ := json.Marshal(got)
		if string(gb) != string(wb) {
			t.Fatalf("trial %d: the plan changed with the input order", trial)
		}
	}
}

func TestTransferDeadline(t *testing.T) {
	p := xferSurgery(t)
	p.AllowUnserved = true
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	plan, err := Solve(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Status != gst.StatusTimeLimit || plan.Unserved != 600 || len(plan.Flows) != 0 {
		t.Errorf("status %v, unserved %g, %d flows", plan.Status, plan.Unserved, len(plan.Flows))
	}
	p.AllowUnserved = false
	if _, err := Solve(ctx, p, nil); !errors.Is(err, gst.ErrNoSolution) {
		t.Errorf("without AllowUnserved: %v", err)
	}
}

// Payers: demand splits by coverage segment, and each payer pays its
// tariffs.
func TestTransferPayers(t *testing.T) {
	p := xferSurgery(t)
	p.Contracts[0].MaxVolume = 0 // K1 takes all it is sent
	plan, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	xferRef{t, p}.check(plan)
	cases := map[string]float64{}
	for _, pc := range plan.Payers {
		cases[pc.Payer] = pc.Cases
	}
	// A1: 60% AMO, 30% Tadamon; A2: 20%, 80%; A3: no segments.
	want := map[string]float64{"amo": 300*0.6 + 200*0.2, "tadamon": 300*0.3 + 200*0.8, "state": 300*0.1 + 100}
	if d := cmp.Diff(want, cases, cmpopts.EquateApprox(0, 1e-9)); d != "" {
		t.Errorf("cases by payer (-want +got):\n%s", d)
	}
	ids := make([]string, 0)
	for _, pc := range plan.Payers {
		ids = append(ids, pc.Payer)
	}
	if !sort.StringsAreSorted(ids) {
		t.Errorf("payers not sorted: %v", ids)
	}
}

// Shared resources couple the services into one programme, which is
// refused beyond MaxLPColumns before it is built.
func TestTransferTooLarge(t *testing.T) {
	p := xferNational(t, 200, 300, 4, 120)
	p.Uses = []Use{{Service: "h01", Resource: "beds", PerCase: 0.01}}
	_, err := Solve(context.Background(), p, &Options{MaxLPColumns: 1000})
	var tl *gst.TooLargeError
	if !errors.As(err, &tl) || !errors.Is(err, gst.ErrTooLarge) || tl.Model != "lp" || tl.Columns <= 1000 {
		t.Fatalf("want a refused programme, got %v", err)
	}
	if !strings.Contains(err.Error(), "with shared resources the services form one linear programme") {
		t.Errorf("error %v", err)
	}
}

// Nothing to transfer: an empty plan, not an error.
func TestTransferEmpty(t *testing.T) {
	plan, err := Solve(context.Background(), &Problem{Region: xferTestRegion(t)}, nil)
	if err != nil || plan.Status != gst.StatusOptimal || len(plan.Flows) != 0 {
		t.Fatalf("%v %+v", err, plan)
	}
}

// A contract floor for a service nobody needs cannot be met.
func TestTransferFloorWithoutDemand(t *testing.T) {
	p := xferSurgery(t)
	p.Contracts = append(p.Contracts, Contract{Establishment: "K1", Service: "dialysis", MinVolume: 10})
	_, err := Solve(context.Background(), p, nil)
	ie := gst.InfeasibleCauses(err)
	if len(ie) != 1 || ie[0].Rule != "contract minimum" || ie[0].Service != "dialysis" {
		t.Fatalf("got %v", err)
	}
}
