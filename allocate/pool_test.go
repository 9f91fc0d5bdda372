package allocate

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

	"github.com/google/go-cmp/cmp"
	"github.com/gstplan/gst"
)

// poolTestRegion builds a small province: a provincial hospital H1 with
// three anaesthetists, a local hospital H2 with none, health centres C1 and
// C2, and a remote centre C3. Travel is an explicit matrix of whole minutes.
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
		{ID: "C1", Level: gst.HealthCentre, Area: "A1", Lat: 34.05, Lon: -5.02,
			Staff: []gst.Staffing{{Category: "midwife", FTE: 1}}},
		{ID: "C2", Level: gst.HealthCentre, Area: "A2", Lat: 34.25, Lon: -5.15,
			Staff: []gst.Staffing{{Category: "midwife", FTE: 0}}},
		{ID: "C3", Level: gst.HealthCentre, Area: "A3", Lat: 34.4, Lon: -5.4,
			Staff: []gst.Staffing{{Category: "midwife", FTE: 0}}},
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

func TestPoolSmoke(t *testing.T) {
	r := poolTestRegion(t)
	p := &PoolProblem{Region: r,
		Need: []PoolNeed{
			{Establishment: "H1", Category: "midwife", FTE: 6},
			{Establishment: "H2", Category: "midwife", FTE: 3},
			{Establishment: "C1", Category: "midwife", FTE: 1},
			{Establishment: "C2", Category: "midwife", FTE: 1},
			{Establishment: "C3", Category: "midwife", FTE: 1},
			{Establishment: "H1", Category: "anaesthetist", FTE: 2},
		},
		Teams: []PoolTeam{{Establishment: "H2", Service: "caesarean",
			Roles: []PoolRole{{Category: "anaesthetist", FTE: 1}, {Category: "obstetrician", FTE: 1}, {Category: "midwife", FTE: 1}}, Priority: 2}},
		Rules: PoolRules{MaxCommuteMinutes: 60},
	}
	plan, err := Pool(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(plan, "", "  ")
	t.Logf("%s", b)
}

var _ = cmp.Diff
var _ = errors.Is
var _ = fmt.Sprint
var _ = math.Abs
var _ = rand.New
var _ = sort.Strings
var _ = strings.Join
