package fuzzgen

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/gstplan/gst"
)

// Input reads choices from the fuzzer's bytes; past the end every
// choice is the first. One input in four is "bad": its menus offer invalid
// values and unknown IDs too; the others draw valid values only, so that
// the solvers are reached as often as the validation.
type Input struct {
	b   []byte
	i   int
	Bad bool
}

// NewInput reads the fuzzer's bytes.
func NewInput(b []byte) *Input {
	f := &Input{b: b}
	f.Bad = f.Next()%4 == 3
	return f
}

// Next returns the next byte, 0 past the end.
func (f *Input) Next() int {
	if f.i >= len(f.b) {
		return 0
	}
	v := int(f.b[f.i])
	f.i++
	return v
}

// Intn returns a choice in [0, n).
func (f *Input) Intn(n int) int { return f.Next() % n }

// Bool returns a choice of true or false.
func (f *Input) Bool() bool { return f.Next()%2 == 1 }

// Pick returns a value of the menu; unless the input is bad, only a finite
// value in [0, 1e9].
func (f *Input) Pick(menu ...float64) float64 {
	if !f.Bad {
		var ok []float64
		for _, v := range menu {
			if v >= 0 && v <= 1e9 {
				ok = append(ok, v)
			}
		}
		menu = ok
	}
	return menu[f.Intn(len(menu))]
}

// Frac returns a share; outside [0, 1] only for a bad input.
func (f *Input) Frac() float64 {
	if f.Bad {
		return f.Pick(0, 0.5, 1, 1.5, -0.1)
	}
	return f.Pick(0, 0.5, 1)
}

// The menus of values, awkward ones included.
var (
	Pops  = []float64{1000, 0, 250, 12000, -5, math.NaN(), 1e12, math.Inf(1)}
	Caps  = []float64{500, 0, 40, 5000, -1, math.NaN(), math.Inf(1)}
	Mins  = []float64{0, 15, 30, 60, 120, -10, math.NaN()}
	Costs = []float64{0, 1, 10, 1e6, -3, math.NaN()}
	FTE   = []float64{0, 1, 2.5, 6, -1, math.NaN(), 1e12}
)

// Region builds a region of 1–6 areas and 1–5 establishments, one or
// two services and two categories; values come from the menus, so the
// region is often invalid on purpose.
func Region(f *Input) (*gst.Region, *gst.DemandTable) {
	r := &gst.Region{ID: "F", Provinces: []gst.Province{{ID: "P1"}, {ID: "P2"}},
		Services:   []gst.Service{{ID: "s0", StandardMinutes: 30}, {ID: "s1", StandardMinutes: f.Pick(Mins...)}},
		Categories: []gst.Category{{ID: "c0", HoursPerYear: 1600, AnnualCost: 150000}, {ID: "c1", HoursPerYear: f.Pick(1600, 1950, -1), AnnualCost: 300000}}}
	na, ne := 1+f.Intn(6), 1+f.Intn(5)
	var rows []gst.Demand
	for i := 0; i < na; i++ {
		id := gst.AreaID(fmt.Sprintf("a%d", i))
		r.Areas = append(r.Areas, gst.Area{ID: id, Province: gst.ProvinceID(fmt.Sprintf("P%d", 1+f.Intn(2))),
			Lat: 35 + float64(f.Intn(50))/100, Lon: -6 + float64(f.Intn(50))/100, Population: f.Pick(Pops...), Urban: f.Bool()})
		for s := 0; s < 2; s++ {
			if f.Intn(3) > 0 {
				rows = append(rows, gst.Demand{Area: id, Service: gst.ServiceID(fmt.Sprintf("s%d", s)), Volume: f.Pick(100, 0, 7, 2000)})
			}
		}
	}
	if f.Bad && f.Intn(4) == 0 {
		rows = append(rows, gst.Demand{Area: "ghost", Service: "s0", Volume: 5})
	}
	for j := 0; j < ne; j++ {
		e := gst.Establishment{ID: gst.EstablishmentID(fmt.Sprintf("e%d", j)), Level: gst.Level(1 + f.Intn(5)),
			Ownership: gst.Ownership(f.Intn(2)), Province: gst.ProvinceID(fmt.Sprintf("P%d", 1+f.Intn(2))),
			Lat: 35 + float64(f.Intn(50))/100, Lon: -6 + float64(f.Intn(50))/100, Beds: f.Pick(20, 0, 200),
			Closable: f.Bool(), OpenCost: f.Pick(Costs...), CloseCost: f.Pick(Costs...)}
		if !e.Closable {
			e.Candidate = f.Intn(3) == 0
		}
		for s := 0; s < 2; s++ {
			if f.Intn(3) > 0 {
				e.Offers = append(e.Offers, gst.Offer{Service: gst.ServiceID(fmt.Sprintf("s%d", s)), Capacity: f.Pick(Caps...)})
			}
		}
		for c := 0; c < 2; c++ {
			if f.Intn(3) > 0 && !e.Candidate {
				e.Staff = append(e.Staff, gst.Staffing{Category: gst.CategoryID(fmt.Sprintf("c%d", c)), FTE: f.Pick(FTE...)})
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

// Matrix returns nil or a travel matrix from the areas and
// establishments to the establishments, possibly of zeros or partial.
func Matrix(f *Input, r *gst.Region) *gst.Matrix {
	if f.Intn(3) != 0 {
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
	zero := f.Intn(4) == 0
	for i := range from {
		for j := range to {
			if f.Intn(5) == 0 {
				continue
			}
			l := gst.Leg{Minutes: float64(f.Intn(120)), Km: float64(f.Intn(100))}
			if zero {
				l = gst.Leg{}
			}
			_ = m.Set(i, j, l)
		}
	}
	return m
}

// Sites returns up to two establishments of the region, or for a bad
// input an unknown one.
func Sites(f *Input, r *gst.Region) []gst.EstablishmentID {
	var out []gst.EstablishmentID
	for k := f.Intn(3); k > 0; k-- {
		if j := f.Intn(len(r.Establishments) + 1); j < len(r.Establishments) || !f.Bad {
			j = min(j, len(r.Establishments)-1)
			out = append(out, r.Establishments[j].ID)
		} else {
			out = append(out, "zz")
		}
	}
	return out
}

// TypedErr fails unless err wraps one of the library's sentinels.
func TypedErr(t testing.TB, err error) {
	t.Helper()
	for _, s := range []error{gst.ErrInvalid, gst.ErrInfeasible, gst.ErrNoSolution, gst.ErrTooLarge} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("untyped error %T: %v", err, err)
}
