package allocate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

// The fuzz targets of this file build small problems from the fuzzer's
// bytes, with values drawn from menus that hold the awkward ones (zero,
// negative, NaN, infinite, huge, unknown IDs), and check that Locate, Pool
// and Transfer never panic, return only typed errors, and return plans
// that hold their own rules.

// fuzzInput reads choices from the fuzzer's bytes; past the end every
// choice is the first. One input in four is "bad": its menus offer invalid
// values and unknown IDs too; the others draw valid values only, so that
// the solvers are reached as often as the validation.
type fuzzInput struct {
	b   []byte
	i   int
	bad bool
}

func newFuzzInput(b []byte) *fuzzInput {
	f := &fuzzInput{b: b}
	f.bad = f.next()%4 == 3
	return f
}

func (f *fuzzInput) next() int {
	if f.i >= len(f.b) {
		return 0
	}
	v := int(f.b[f.i])
	f.i++
	return v
}

func (f *fuzzInput) intn(n int) int { return f.next() % n }

func (f *fuzzInput) bool() bool { return f.next()%2 == 1 }

// pick returns a value of the menu; unless the input is bad, only a finite
// value in [0, 1e9].
func (f *fuzzInput) pick(menu ...float64) float64 {
	if !f.bad {
		var ok []float64
		for _, v := range menu {
			if v >= 0 && v <= 1e9 {
				ok = append(ok, v)
			}
		}
		menu = ok
	}
	return menu[f.intn(len(menu))]
}

// frac returns a share; outside [0, 1] only for a bad input.
func (f *fuzzInput) frac() float64 {
	if f.bad {
		return f.pick(0, 0.5, 1, 1.5, -0.1)
	}
	return f.pick(0, 0.5, 1)
}

var (
	fuzzPops  = []float64{1000, 0, 250, 12000, -5, math.NaN(), 1e12, math.Inf(1)}
	fuzzCaps  = []float64{500, 0, 40, 5000, -1, math.NaN(), math.Inf(1)}
	fuzzMins  = []float64{0, 15, 30, 60, 120, -10, math.NaN()}
	fuzzCosts = []float64{0, 1, 10, 1e6, -3, math.NaN()}
	fuzzFTE   = []float64{0, 1, 2.5, 6, -1, math.NaN(), 1e12}
)

// fuzzRegion builds a region of 1–6 areas and 1–5 establishments, one or
// two services and two categories; values come from the menus, so the
// region is often invalid on purpose.
func fuzzRegion(f *fuzzInput) (*gst.Region, *gst.DemandTable) {
	r := &gst.Region{ID: "F", Provinces: []gst.Province{{ID: "P1"}, {ID: "P2"}},
		Services:   []gst.Service{{ID: "s0", StandardMinutes: 30}, {ID: "s1", StandardMinutes: f.pick(fuzzMins...)}},
		Categories: []gst.Category{{ID: "c0", HoursPerYear: 1600, AnnualCost: 150000}, {ID: "c1", HoursPerYear: f.pick(1600, 1950, -1), AnnualCost: 300000}}}
	na, ne := 1+f.intn(6), 1+f.intn(5)
	var rows []gst.Demand
	for i := 0; i < na; i++ {
		id := gst.AreaID(fmt.Sprintf("a%d", i))
		r.Areas = append(r.Areas, gst.Area{ID: id, Province: gst.ProvinceID(fmt.Sprintf("P%d", 1+f.intn(2))),
			Lat: 35 + float64(f.intn(50))/100, Lon: -6 + float64(f.intn(50))/100, Population: f.pick(fuzzPops...), Urban: f.bool()})
		for s := 0; s < 2; s++ {
			if f.intn(3) > 0 {
				rows = append(rows, gst.Demand{Area: id, Service: gst.ServiceID(fmt.Sprintf("s%d", s)), Volume: f.pick(100, 0, 7, 2000)})
			}
		}
	}
	if f.bad && f.intn(4) == 0 {
		rows = append(rows, gst.Demand{Area: "ghost", Service: "s0", Volume: 5})
	}
	for j := 0; j < ne; j++ {
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("e%d", j)), Level: gst.Level(1 + f.intn(5)),
			Ownership: gst.Ownership(f.intn(2)), Province: gst.ProvinceID(fmt.Sprintf("P%d", 1+f.intn(2))),
			Lat: 35 + float64(f.intn(50))/100, Lon: -6 + float64(f.intn(50))/100, Beds: f.pick(20, 0, 200),
			Closable: f.bool(), OpenCost: f.pick(fuzzCosts...), CloseCost: f.pick(fuzzCosts...)}
		if !e.Closable {
			e.Candidate = f.intn(3) == 0
		}
		for s := 0; s < 2; s++ {
			if f.intn(3) > 0 {
				e.Offers = append(e.Offers, gst.Offer{Service: gst.ServiceID(fmt.Sprintf("s%d", s)), Capacity: f.pick(fuzzCaps...)})
			}
		}
		for c := 0; c < 2; c++ {
			if f.intn(3) > 0 && !e.Candidate {
				e.Staff = append(e.Staff, gst.Staffing{Category: gst.CategoryID(fmt.Sprintf("c%d", c)), FTE: f.pick(fuzzFTE...)})
			}
		}
		r.Establishments = append(r.Establishments, e)
	}
	d, err := gst.NewDemandTable(rows)
	if err != nil {
		return r, nil
	}
	return r, d
}

// fuzzMatrix returns nil or a travel matrix from the areas and
// establishments to the establishments, possibly of zeros or partial.
func fuzzMatrix(f *fuzzInput, r *gst.Region) *gst.Matrix {
	if f.intn(3) != 0 {
		return nil
	}
	var from, to []string
	for _, a := range r.Areas {
		from = append(from, string(a.ID))
	}
	for _, e := range r.Establishments {
		from = append(from, string(e.ID))
		to = append(to, string(e.ID))
	}
	m, err := gst.NewMatrix(from, to)
	if err != nil {
		return nil
	}
	zero := f.intn(4) == 0
	for i := range from {
		for j := range to {
			if f.intn(5) == 0 {
				continue
			}
			l := gst.Leg{Minutes: float64(f.intn(120)), Km: float64(f.intn(100))}
			if zero {
				l = gst.Leg{}
			}
			_ = m.Set(i, j, l)
		}
	}
	return m
}

func fuzzSites(f *fuzzInput, r *gst.Region) []gst.EstablishmentID {
	var out []gst.EstablishmentID
	for k := f.intn(3); k > 0; k-- {
		if j := f.intn(len(r.Establishments) + 1); j < len(r.Establishments) || !f.bad {
			j = min(j, len(r.Establishments)-1)
			out = append(out, r.Establishments[j].ID)
		} else {
			out = append(out, "zz")
		}
	}
	return out
}

// typedErr fails unless err wraps one of the library's sentinels.
func typedErr(t *testing.T, err error) {
	t.Helper()
	for _, s := range []error{gst.ErrInvalid, gst.ErrInfeasible, gst.ErrNoSolution, gst.ErrTooLarge} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("untyped error %T: %v", err, err)
}

func FuzzLocate(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{5, 4, 30, 0, 0, 1, 1, 1, 2, 2, 3, 3, 1, 0, 1, 2, 0, 1, 1, 1, 1, 2, 2, 0, 1, 1, 0, 2, 3, 1, 0, 0, 1, 2})
	f.Add([]byte("location-allocation under every objective, capacity and rule"))
	for k := byte(0); k < 7; k++ {
		f.Add([]byte{3, 3, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, k, 2, k, 0})
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in := newFuzzInput(b)
		r, d := fuzzRegion(in)
		p := &Problem{Region: r, Demand: d, Objective: Objective(1 + in.intn(7)), P: in.intn(6),
			Capacity: Capacity(in.intn(3)), Greenfield: in.bool(), MaxTravel: in.pick(fuzzMins...),
			Budget: in.pick(fuzzCosts...), MaxChanges: in.intn(3), TravelCost: in.pick(1, 0, 0.5),
			Keep: fuzzSites(in, r), Exclude: fuzzSites(in, r), TravelSource: gst.TravelSource{Travel: fuzzMatrix(in, r), NoEstimate: in.intn(4) == 0}}
		if in.bool() {
			p.Services = []ServiceRule{{Service: "s0", Weight: in.pick(1, 0, 2, -1), Standard: in.pick(fuzzMins...), MaxTravel: in.pick(fuzzMins...), Sites: fuzzSites(in, r)}}
		}
		if in.intn(3) == 0 {
			p.MinCoverage = []CoverageRule{{Province: gst.ProvinceID(fmt.Sprintf("P%d", 1+in.intn(2))), MinShare: in.frac()}}
		}
		if in.intn(4) == 0 {
			p.Decay = &Decay{Outer: in.pick(fuzzMins...)}
		}
		opt := &Options{SolveOptions: gst.SolveOptions{TimeLimit: 2 * time.Second}, NoWhy: in.bool(), Method: Method(in.intn(3))}
		plan, err := Locate(context.Background(), p, opt)
		if err != nil {
			typedErr(t, err)
			return
		}
		if !plan.Status.HasSolution() || plan.Assignment == nil || math.IsNaN(plan.Value) || math.IsNaN(plan.Bound) || !(plan.Gap >= 0) {
			t.Fatalf("plan status %v value %v bound %v gap %v", plan.Status, plan.Value, plan.Bound, plan.Gap)
		}
		// Every allocation goes to a known area and service, at a site the
		// plan has open for the service (which it may open at an
		// establishment that does not offer it today).
		open := 0
		openFor := map[gst.EstablishmentID]map[gst.ServiceID]bool{}
		for _, s := range plan.Sites {
			if s.Open {
				open++
				openFor[s.Site] = map[gst.ServiceID]bool{}
				for _, sv := range s.Services {
					openFor[s.Site][sv] = true
				}
			}
		}
		for _, a := range plan.Assignment.Rows() {
			_, okA := r.Area(a.Area)
			_, okS := r.Service(a.Service)
			if !okA || !okS || !openFor[a.Establishment][a.Service] {
				t.Fatalf("allocation %+v: not to a site open for the service", a)
			}
		}
		if p.Objective.needsP() && open != p.P {
			t.Fatalf("%v: %d sites open, P = %d", p.Objective, open, p.P)
		}
		if _, err := json.Marshal(plan); err != nil {
			t.Fatal(err)
		}
		if _, err := plan.GeoJSON(); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzPool(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{4, 4, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24})
	f.Add([]byte("staff pooling with teams, caps, floors and sessions"))
	f.Fuzz(func(t *testing.T, b []byte) {
		in := newFuzzInput(b)
		r, _ := fuzzRegion(in)
		p := &PoolProblem{Region: r, TravelSource: gst.TravelSource{Travel: fuzzMatrix(in, r), NoEstimate: in.intn(4) == 0},
			Rules: PoolRules{MaxCommuteMinutes: in.pick(fuzzMins...), MaxAwayShare: in.frac(), MinStayFTE: in.pick(0, 1, -1),
				MinStayShare: in.frac(), MaxMovedFTE: in.pick(0, 1, 3), MaxMoves: in.intn(3), DeprivationWeight: in.pick(0, 1),
				PerKmMAD: in.pick(0, 2), IncludePrivate: in.bool()}}
		for k := in.intn(5); k > 0; k-- {
			e := r.Establishments[in.intn(len(r.Establishments))]
			p.Need = append(p.Need, PoolNeed{Establishment: e.ID, Category: gst.CategoryID(fmt.Sprintf("c%d", in.intn(2))),
				FTE: in.pick(fuzzFTE...), MinFTE: in.pick(0, 0, 1, 3), Priority: in.pick(0, 1, 2, -1)})
		}
		for k := in.intn(3); k > 0; k-- {
			e := r.Establishments[in.intn(len(r.Establishments))]
			p.Teams = append(p.Teams, PoolTeam{Establishment: e.ID, Service: "s0", Required: in.intn(4) == 0,
				Roles: []PoolRole{{Category: "c0", FTE: in.pick(1, 2, 0)}, {Category: "c1", FTE: in.pick(1, 0.5)}}})
		}
		for k := in.intn(2); k > 0; k-- {
			e := r.Establishments[in.intn(len(r.Establishments))]
			p.Floors = append(p.Floors, PoolFTE{Establishment: e.ID, Category: "c0", FTE: in.pick(fuzzFTE...)})
		}
		opt := &PoolOptions{Granularity: PoolGranularity(in.intn(3)), Method: PoolMethod(in.intn(3)), SolveOptions: gst.SolveOptions{TimeLimit: 2 * time.Second},
			UnmetValueMAD: in.pick(0, 0, 1000)}
		plan, err := Pool(context.Background(), p, opt)
		if err != nil {
			typedErr(t, err)
			return
		}
		if !plan.Status.HasSolution() || math.IsNaN(plan.WeightedUnmet) || math.IsNaN(plan.Bound) || !(plan.Gap >= 0) {
			t.Fatalf("plan status %v unmet %v bound %v gap %v", plan.Status, plan.WeightedUnmet, plan.Bound, plan.Gap)
		}
		out := map[[2]string]float64{}
		for _, m := range plan.Moves {
			if !(m.FTE > 0) || m.From == m.To {
				t.Fatalf("move %+v", m)
			}
			out[[2]string{string(m.From), string(m.Category)}] += m.FTE
		}
		for _, s := range plan.Sites {
			if got := out[[2]string{string(s.Establishment), string(s.Category)}]; got > s.Spare+1e-6 || s.Present < -1e-9 {
				t.Fatalf("site %+v sends %v", s, got)
			}
		}
		if _, err := json.Marshal(plan); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzTransfer(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{4, 3, 1, 1, 2, 2, 1, 0, 1, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25})
	f.Add([]byte("activity transfer with payers, contracts, beds and budgets"))
	f.Fuzz(func(t *testing.T, b []byte) {
		in := newFuzzInput(b)
		r, d := fuzzRegion(in)
		for i := range r.Areas {
			if in.bool() {
				r.Areas[i].Segments = []gst.Segment{{Name: "coverage/amo", Population: in.pick(fuzzPops...)}}
			}
		}
		p := &TransferProblem{Region: r, Demand: d, TravelSource: gst.TravelSource{Travel: fuzzMatrix(in, r), NoEstimate: in.intn(4) == 0},
			AllowUnserved: in.bool(), MinuteValueMAD: in.pick(0, 1, -1), Budget: in.pick(0, 0, 1e4, 1e9),
			Objective: TransferObjective(in.intn(2))}
		if in.bool() {
			p.Payers = []TransferPayer{{ID: "amo", Segment: "coverage/amo"}, {ID: "state"}}
		}
		if in.bool() {
			p.Services = []TransferService{{Service: "s0", MaxMinutes: in.pick(fuzzMins...), TripsPerCase: in.pick(0, 2, -1)}}
		}
		for k := in.intn(3); k > 0; k-- {
			e := r.Establishments[in.intn(len(r.Establishments))]
			switch in.intn(4) {
			case 0:
				p.Contracts = append(p.Contracts, TransferContract{Establishment: e.ID, Service: "s0", MaxVolume: in.pick(fuzzCaps...),
					MinVolume: in.pick(0, 0, 50, 1e6), TariffMAD: in.pick(fuzzCosts...)})
			case 1:
				p.Capacities = append(p.Capacities, TransferCapacity{Establishment: e.ID, Service: "s0", Volume: in.pick(fuzzCaps...)})
			case 2:
				p.Tariffs = append(p.Tariffs, TransferTariff{Service: "s0", Establishment: e.ID, PerCaseMAD: in.pick(fuzzCosts...)})
			default:
				p.Resources = append(p.Resources, TransferResource{Establishment: e.ID, Resource: "beds", Available: in.pick(fuzzCaps...)})
			}
		}
		if in.bool() {
			p.Uses = []TransferUse{{Service: "s0", Resource: "beds", PerCase: in.pick(0.01, 0, -1)}}
		}
		if in.intn(4) == 0 {
			p.Referrals = []TransferReferral{{From: r.Establishments[0].ID, Service: "s1", Volume: in.pick(10, 0, -1)}}
		}
		plan, err := Transfer(context.Background(), p, &TransferOptions{SolveOptions: gst.SolveOptions{TimeLimit: 2 * time.Second}, ForceLP: in.intn(4) == 0})
		if err != nil {
			typedErr(t, err)
			return
		}
		if !plan.Status.HasSolution() || math.IsNaN(plan.Value) || math.IsNaN(plan.Bound) || !(plan.Gap >= 0) || plan.Unserved < -1e-9 {
			t.Fatalf("plan status %v value %v bound %v gap %v unserved %v", plan.Status, plan.Value, plan.Bound, plan.Gap, plan.Unserved)
		}
		for _, fl := range plan.Flows {
			if !(fl.Volume >= 0) {
				t.Fatalf("flow %+v", fl)
			}
		}
		for _, l := range plan.Loads {
			if l.Capacity != nil && l.Volume > *l.Capacity*(1+1e-6)+1e-6 {
				t.Fatalf("load %+v above its capacity", l)
			}
		}
		if _, err := json.Marshal(plan); err != nil {
			t.Fatal(err)
		}
	})
}
