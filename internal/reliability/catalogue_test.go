package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/allocate/pool"
	"github.com/gstplan/gst/allocate/transfer"
	"github.com/gstplan/gst/capacity"
	"github.com/gstplan/gst/internal/lp"
	"github.com/gstplan/gst/internal/orlib"
	"github.com/gstplan/gst/pathway"
)

// badInput is one entry of the catalogue: an entry point given one bad
// input, and what its error must say.
type badInput struct {
	name string
	call func(t *testing.T) error
	// is is the sentinel the error wraps.
	is error
	// as checks the concrete type of the error (errors.As), when the
	// package has one beyond *gst.ValidationError; it returns what is
	// wrong, or "".
	as func(err error) string
	// at says where a *gst.ValidationError of the error points.
	at *loc
	// says lists texts the message must hold (the file, the record, the
	// line, the field, the fault).
	says []string
}

// Typed-error checks for the catalogue.

func isValidation(err error) string {
	var ve *gst.ValidationError
	if !errors.As(err, &ve) {
		return "no *gst.ValidationError"
	}
	return ""
}

func isInfeasible(rule string) func(error) string {
	return func(err error) string {
		for _, e := range leaves(err) {
			var ie *gst.InfeasibleError
			if errors.As(e, &ie) && ie.Rule == rule {
				return ""
			}
		}
		return "no *gst.InfeasibleError with rule " + rule
	}
}

func isTransferInfeasible(err error) string {
	if len(gst.InfeasibleCauses(err)) == 0 {
		return "no *gst.InfeasibleError causes"
	}
	return ""
}

func isParse(err error) string {
	var pe *orlib.ParseError
	if !errors.As(err, &pe) || pe.Line == 0 || pe.Field == "" {
		return "no *orlib.ParseError with a line and a field"
	}
	return ""
}

func isModel(err error) string {
	var me *lp.ModelError
	if !errors.As(err, &me) || me.Field == "" {
		return "no *lp.ModelError with a field"
	}
	return ""
}

// region returns the base region changed by f (the change is made after
// reading, on a clone, to reach the entry points' own validation).
func region(t *testing.T, f func(r *gst.Region)) *gst.Region {
	r := baseRegion(t).Clone()
	if f != nil {
		f(r)
	}
	r.Reindex()
	return r
}

// demand returns a demand table of the base region's areas for S1.
func demand(t *testing.T, vols ...float64) *gst.DemandTable {
	if len(vols) == 0 {
		vols = []float64{300, 200, 100}
	}
	var rows []gst.Demand
	for i, v := range vols {
		rows = append(rows, gst.Demand{Area: gst.AreaID("A" + string(rune('1'+i))), Service: "S1", Volume: v})
	}
	d, err := gst.NewDemandTable(rows)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// zeroMatrix returns a matrix from the base areas to the base
// establishments with every leg zero.
func zeroMatrix(t *testing.T) *gst.Matrix {
	m, err := gst.NewMatrix([]string{"A1", "A2", "A3", "E1", "E2", "E3"}, []string{"E1", "E2", "E3"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		for j := range 3 {
			if err := m.Set(i, j, gst.Leg{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return m
}

func locateErr(p *allocate.Problem) error {
	_, err := allocate.Locate(context.Background(), p, &allocate.Options{NoWhy: true})
	return err
}

func poolErr(p *pool.Problem) error {
	_, err := pool.Solve(context.Background(), p, nil)
	return err
}

func transferErr(p *transfer.Problem) error {
	_, err := transfer.Solve(context.Background(), p, nil)
	return err
}

// catalogue lists the bad inputs, by entry point.
func catalogue() []badInput {
	const areasHeader = "id,name,province,lat,lon,population,year,urban"
	areaLine := func(pop string) string { return "A1,Alpha,P1,35.70,-5.80," + pop + ",2024,true" }
	dir := func(name string, change map[string]string, at loc, says ...string) badInput {
		return badInput{name: "gst.ReadDir: " + name, is: gst.ErrInvalid, as: isValidation, at: &at, says: says,
			call: func(t *testing.T) error {
				r, err := readFiles(files(change), nil)
				if err == nil {
					t.Errorf("accepted: %d areas", len(r.Areas))
				}
				return err
			}}
	}
	big := strings.Repeat("A9,x,P1,35,-5,1,2024,false\n", 40)
	cases := []badInput{
		// Region directories.
		dir("NaN population", map[string]string{"areas.csv": replaceLine("areas.csv", 2, areaLine("NaN"))},
			loc{File: "areas.csv", Line: 2, Column: 6, Field: "population"}, "areas.csv:2:6", `area "A1"`, "population"),
		dir("infinite population", map[string]string{"areas.csv": replaceLine("areas.csv", 2, areaLine("+Inf"))},
			loc{File: "areas.csv", Line: 2, Field: "population"}, "areas.csv:2", "population"),
		dir("negative population", map[string]string{"areas.csv": replaceLine("areas.csv", 3, "A2,Beta,P1,35.60,-5.50,-8000,2024,false")},
			loc{File: "areas.csv", Line: 3, Field: "population"}, "areas.csv:3", `area "A2"`, "population", "-8000"),
		dir("population of 10^12", map[string]string{"areas.csv": replaceLine("areas.csv", 2, areaLine("1e12"))},
			loc{File: "areas.csv", Line: 2, Field: "population"}, "areas.csv:2", "population", "check the units"),
		dir("latitude out of range", map[string]string{"areas.csv": replaceLine("areas.csv", 2, "A1,Alpha,P1,95,-5.80,12000,2024,true")},
			loc{File: "areas.csv", Line: 2, Field: "lat"}, "areas.csv:2", "lat", "95"),
		dir("longitude out of range", map[string]string{"establishments.csv": replaceLine("establishments.csv", 3,
			"E2,Centre two,local,public,P1,A2,35.61,-200,30,true,false")},
			loc{File: "establishments.csv", Line: 3, Field: "lon"}, "establishments.csv:3", `establishment "E2"`, "lon", "-200"),
		dir("duplicate area ID", map[string]string{"areas.csv": appendLine("areas.csv", "A2,Beta again,P1,35.6,-5.5,10,2024,false")},
			loc{File: "areas.csv", Line: 5, Field: "id"}, "areas.csv:5", `"A2"`, "duplicate"),
		dir("duplicate establishment ID", map[string]string{"establishments.csv": appendLine("establishments.csv",
			"E1,Hospital again,local,public,P1,A1,35.7,-5.8,0,false,false")},
			loc{File: "establishments.csv", Line: 5, Field: "id"}, "establishments.csv:5", `"E1"`),
		dir("area and establishment share an ID", map[string]string{"establishments.csv": appendLine("establishments.csv",
			"A1,Clash,local,public,P1,A1,35.7,-5.8,0,false,false")},
			loc{File: "establishments.csv", Line: 5, Field: "id"}, "establishments.csv:5", `"A1"`),
		dir("establishment in an unknown area", map[string]string{"establishments.csv": replaceLine("establishments.csv", 3,
			"E2,Centre two,local,public,P1,A9,35.61,-5.51,30,true,false")},
			loc{File: "establishments.csv", Line: 3, Field: "area"}, "establishments.csv:3", `"A9"`),
		dir("area in an unknown province", map[string]string{"areas.csv": replaceLine("areas.csv", 4, "A3,Gamma,P7,35.20,-5.30,5000,2024,false")},
			loc{File: "areas.csv", Line: 4, Field: "province"}, "areas.csv:4", `"P7"`),
		dir("offer of an unknown service", map[string]string{"offers.csv": appendLine("offers.csv", "E2,S9,10")},
			loc{File: "offers.csv", Line: 5, Field: "service"}, "offers.csv:5", `"S9"`),
		dir("offer of an unknown establishment", map[string]string{"offers.csv": appendLine("offers.csv", "E9,S1,10")},
			loc{File: "offers.csv", Line: 5, Field: "establishment"}, "offers.csv:5", `"E9"`),
		dir("staff of an unknown category", map[string]string{"staff.csv": appendLine("staff.csv", "E2,C9,1")},
			loc{File: "staff.csv", Line: 4, Field: "category"}, "staff.csv:4", `"C9"`),
		dir("segment of an unknown area", map[string]string{"segments.csv": appendLine("segments.csv", "A9,coverage/amo,1")},
			loc{File: "segments.csv", Line: 4, Field: "area"}, "segments.csv:4", `"A9"`),
		dir("segments above the population", map[string]string{"segments.csv": appendLine("segments.csv", "A3,coverage/amo,6000")},
			loc{File: "areas.csv", Line: 4, Field: "segments"}, "areas.csv:4", `area "A3"`, "6000", "5000"),
		dir("an empty region", map[string]string{"areas.csv": areasHeader + "\n"},
			loc{File: "areas.csv"}, "areas.csv", "no rows"),
		dir("no areas file", map[string]string{"areas.csv": ""},
			loc{File: "areas.csv"}, "areas.csv"),
		dir("travel matrix of zeros", map[string]string{"travel.csv": "from,to,minutes,km\nA1,E1,0,0\nA2,E1,0,0\nA3,E2,0,0\n"},
			loc{File: "travel.csv", Where: "travel matrix", Field: "minutes, km"}, "travel.csv", "zero"),
		dir("travel to an unknown place", map[string]string{"travel.csv": "from,to,minutes,km\nA1,E1,5,4\nA1,X9,5,4\n"},
			loc{File: "travel.csv", Line: 3, Field: "to"}, "travel.csv:3", `"X9"`),
		dir("negative travel time", map[string]string{"travel.csv": "from,to,minutes,km\nA1,E1,5,4\nA2,E1,-5,4\n"},
			loc{File: "travel.csv", Line: 3, Field: "minutes"}, "travel.csv:3", "minutes"),
		dir("unknown level", map[string]string{"establishments.csv": replaceLine("establishments.csv", 2,
			"E1,Hospital one,clinic,public,P1,A1,35.71,-5.81,120,false,false")},
			loc{File: "establishments.csv", Line: 2, Field: "level"}, "establishments.csv:2", "clinic"),
		dir("a number that is not one", map[string]string{"offers.csv": replaceLine("offers.csv", 2, "E1,S1,six hundred")},
			loc{File: "offers.csv", Line: 2, Field: "capacity"}, "offers.csv:2", "capacity", "six hundred"),
		dir("an unknown column", map[string]string{"areas.csv": strings.Replace(baseFiles["areas.csv"], "population", "populaton", 1)},
			loc{File: "areas.csv", Line: 1}, "areas.csv:1", "populaton"),
		dir("an unterminated quote", map[string]string{"services.csv": "id,name\nS1,\"Maternity\n"},
			loc{File: "services.csv"}, "services.csv"),
		{name: "gst.ReadDir: a file larger than the limit", is: gst.ErrTooLarge,
			says: []string{"areas.csv"},
			call: func(t *testing.T) error {
				_, err := readFiles(files(map[string]string{"areas.csv": baseFiles["areas.csv"] + big}), &gst.ReadOptions{MaxFileBytes: 512})
				return err
			}},
		{name: "gst.Open: a directory with a bad value", is: gst.ErrInvalid, as: isValidation,
			at: &loc{File: filepath.Join("REGION", "areas.csv"), Line: 2, Field: "population"}, says: []string{"areas.csv:2", "population"},
			call: func(t *testing.T) error {
				d := writeFiles(t, files(map[string]string{"areas.csv": replaceLine("areas.csv", 2, areaLine("-1"))}))
				_, err := gst.Open(d, nil)
				return relabel(err, d, "REGION")
			}},
		{name: "gst.Open: a JSON file larger than the limit", is: gst.ErrTooLarge, says: []string{"region.json"},
			call: func(t *testing.T) error {
				var buf bytes.Buffer
				if err := gst.WriteJSON(&buf, baseRegion(t)); err != nil {
					t.Fatal(err)
				}
				p := filepath.Join(t.TempDir(), "region.json")
				if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				_, err := gst.Open(p, &gst.ReadOptions{MaxFileBytes: 100})
				return err
			}},
		{name: "gst.Open: a path that does not exist", is: os.ErrNotExist, says: []string{"no-such-region"},
			call: func(t *testing.T) error {
				_, err := gst.Open(filepath.Join(t.TempDir(), "no-such-region"), nil)
				return err
			}},

		// Region JSON.
		{name: "gst.ReadJSON: negative population", is: gst.ErrInvalid, as: isValidation,
			at: &loc{File: "r.json", Where: `area "A1"`, Field: "population"}, says: []string{"r.json", `area "A1"`, "population"},
			call: func(t *testing.T) error {
				return readJSONWith(t, func(r *gst.Region) { r.Areas[0].Population = -3 })
			}},
		{name: "gst.ReadJSON: population of 10^12", is: gst.ErrInvalid, as: isValidation,
			at: &loc{Where: `area "A2"`, Field: "population"}, says: []string{`area "A2"`, "population", "check the units"},
			call: func(t *testing.T) error {
				return readJSONWith(t, func(r *gst.Region) { r.Areas[1].Population = 1e12 })
			}},
		{name: "gst.ReadJSON: duplicate service ID", is: gst.ErrInvalid, as: isValidation,
			at: &loc{Where: `service "S1"`, Field: "id"}, says: []string{`"S1"`},
			call: func(t *testing.T) error {
				return readJSONWith(t, func(r *gst.Region) { r.Services = append(r.Services, r.Services[0]) })
			}},
		{name: "gst.ReadJSON: staff of an unknown category", is: gst.ErrInvalid, as: isValidation,
			at: &loc{Where: `establishment "E1"`, Field: "category"}, says: []string{`"C9"`},
			call: func(t *testing.T) error {
				return readJSONWith(t, func(r *gst.Region) { r.Establishments[0].Staff[0].Category = "C9" })
			}},
		{name: "gst.ReadJSON: a syntax error", is: gst.ErrInvalid, says: []string{"r.json:3:"},
			call: func(t *testing.T) error {
				_, err := gst.ReadJSON(strings.NewReader("{\n\"areas\": [\n{\"id\": \"A1\",, }]}"), "r.json", nil)
				return err
			}},
		{name: "gst.ReadJSON: an unknown field", is: gst.ErrInvalid, says: []string{"r.json", "populaton"},
			call: func(t *testing.T) error {
				_, err := gst.ReadJSON(strings.NewReader(`{"areas": [{"id": "A1", "lat": 1, "lon": 1, "populaton": 3}]}`), "r.json", nil)
				return err
			}},
		{name: "gst.ReadJSON: an empty region", is: gst.ErrInvalid, as: isValidation, says: []string{"area"},
			call: func(t *testing.T) error {
				_, err := gst.ReadJSON(strings.NewReader(`{"areas": []}`), "r.json", nil)
				return err
			}},
		{name: "gst.ReadJSON: a document larger than the limit", is: gst.ErrTooLarge, says: []string{"r.json"},
			call: func(t *testing.T) error {
				_, err := gst.ReadJSON(strings.NewReader(`{"areas": [`+strings.Repeat(" ", 4096)+`]}`), "r.json", &gst.ReadOptions{MaxFileBytes: 1024})
				return err
			}},

		// Travel matrices.
		{name: "gst.ReadMatrixCSV: negative minutes", is: gst.ErrInvalid, as: isValidation,
			at: &loc{File: "od.csv", Line: 3, Field: "minutes"}, says: []string{"od.csv:3", "minutes"},
			call: func(t *testing.T) error {
				_, err := gst.ReadMatrixCSV(strings.NewReader("from,to,minutes,km\na,b,1,1\na,c,-4,1\n"), "od.csv", nil)
				return err
			}},
		{name: "gst.ReadMatrixCSV: NaN km", is: gst.ErrInvalid, as: isValidation,
			at: &loc{File: "od.csv", Line: 2, Field: "km"}, says: []string{"od.csv:2", "km"},
			call: func(t *testing.T) error {
				_, err := gst.ReadMatrixCSV(strings.NewReader("from,to,minutes,km\na,b,1,NaN\n"), "od.csv", nil)
				return err
			}},
		{name: "gst.ReadMatrixCSV: a pair given twice", is: gst.ErrInvalid, as: isValidation,
			at: &loc{File: "od.csv", Line: 3}, says: []string{"od.csv:3"},
			call: func(t *testing.T) error {
				_, err := gst.ReadMatrixCSV(strings.NewReader("from,to,minutes,km\na,b,1,1\na,b,2,2\n"), "od.csv", nil)
				return err
			}},
		{name: "gst.ReadMatrixCSV: a missing column", is: gst.ErrInvalid, as: isValidation,
			at: &loc{File: "od.csv", Line: 1}, says: []string{"od.csv:1", "km"},
			call: func(t *testing.T) error {
				_, err := gst.ReadMatrixCSV(strings.NewReader("from,to,minutes\na,b,1\n"), "od.csv", nil)
				return err
			}},
		{name: "gst.ReadMatrixCSV: a file larger than the limit", is: gst.ErrTooLarge, says: []string{"od.csv"},
			call: func(t *testing.T) error {
				_, err := gst.ReadMatrixCSV(strings.NewReader("from,to,minutes,km\n"+strings.Repeat("a,b,1,1\n", 100)), "od.csv", &gst.ReadOptions{MaxFileBytes: 64})
				return err
			}},
		{name: "gst.ReadRoadNetworkCSV: a node out of range", is: gst.ErrInvalid, as: isValidation,
			at: &loc{File: "nodes.csv", Line: 3, Field: "lat"}, says: []string{"nodes.csv:3", "lat"},
			call: func(t *testing.T) error {
				_, err := gst.ReadRoadNetworkCSV(strings.NewReader("id,lat,lon\nn1,35,-5\nn2,-91,-5\n"),
					strings.NewReader("from,to,km,kmh\nn1,n2,3,50\n"), "nodes.csv", "edges.csv", nil)
				return err
			}},
		{name: "gst.ReadRoadNetworkCSV: an edge to an unknown node and a zero speed", is: gst.ErrInvalid, as: isValidation,
			at: &loc{File: "edges.csv", Line: 3, Field: "to"}, says: []string{"edges.csv:3", `"n9"`, "edges.csv:2", "kmh"},
			call: func(t *testing.T) error {
				_, err := gst.ReadRoadNetworkCSV(strings.NewReader("id,lat,lon\nn1,35,-5\nn2,35.1,-5\n"),
					strings.NewReader("from,to,km,kmh\nn1,n2,3,0\nn1,n9,3,50\n"), "nodes.csv", "edges.csv", nil)
				return err
			}},
		{name: "gst.ReadRoadNetworkCSV: a file larger than the limit", is: gst.ErrTooLarge, says: []string{"edges.csv"},
			call: func(t *testing.T) error {
				_, err := gst.ReadRoadNetworkCSV(strings.NewReader("id,lat,lon\nn1,35,-5\nn2,35.1,-5\n"),
					strings.NewReader("from,to,km,kmh\n"+strings.Repeat("n1,n2,3,50\n", 100)), "nodes.csv", "edges.csv", &gst.ReadOptions{MaxFileBytes: 128})
				return err
			}},

		// Tables of the root package.
		{name: "gst.NewDemandTable: NaN volume and a repeated row", is: gst.ErrInvalid, as: isValidation,
			at: &loc{Field: "volume"}, says: []string{`"A1"`, "volume", "twice"},
			call: func(t *testing.T) error {
				_, err := gst.NewDemandTable([]gst.Demand{{Area: "A1", Service: "S1", Volume: math.NaN()}, {Area: "A2", Service: "S1", Volume: 1}, {Area: "A2", Service: "S1", Volume: 2}})
				return err
			}},
		{name: "gst.Assignment.UnmarshalJSON: a share above 1", is: gst.ErrInvalid, as: isValidation,
			at: &loc{Field: "share"}, says: []string{`"A1"`, "share"},
			call: func(t *testing.T) error {
				var a gst.Assignment
				return json.Unmarshal([]byte(`[{"area": "A1", "service": "S1", "establishment": "E1", "share": 1.5}]`), &a)
			}},
		{name: "gst.Matrix.UnmarshalJSON: a negative leg", is: gst.ErrInvalid, as: isValidation, says: []string{"minutes"},
			call: func(t *testing.T) error {
				var m gst.Matrix
				return json.Unmarshal([]byte(`{"legs": [{"from": "A1", "to": "E1", "minutes": -1, "km": 1}]}`), &m)
			}},

		// capacity.
		{name: "capacity.Demand: a NaN rate and a rate for an unknown service", is: gst.ErrInvalid, as: isValidation,
			at: &loc{Field: "per_thousand"}, says: []string{"per_thousand", `"S9"`},
			call: func(t *testing.T) error {
				_, err := capacity.Demand(baseRegion(t), []capacity.Rate{{Service: "S1", PerThousand: math.NaN()}, {Service: "S9", PerThousand: 1}}, nil)
				return err
			}},
		{name: "capacity.Demand: a region built in code with an infinite population", is: gst.ErrInvalid, as: isValidation,
			at: &loc{Where: `area "A3"`, Field: "population"}, says: []string{`area "A3"`, "population"},
			call: func(t *testing.T) error {
				_, err := capacity.Demand(region(t, func(r *gst.Region) { r.Areas[2].Population = math.Inf(1) }), []capacity.Rate{{Service: "S1", PerThousand: 20}}, nil)
				return err
			}},
		{name: "capacity.Assess: standards of an unknown category", is: gst.ErrInvalid, as: isValidation, says: []string{`"C9"`},
			call: func(t *testing.T) error {
				_, err := capacity.Assess(context.Background(), baseRegion(t), &capacity.AssessInput{Rates: []capacity.Rate{{Service: "S1", PerThousand: 20}},
					Standards: []capacity.CategoryStandards{{Category: "C9", Time: capacity.WorkingTime{WorkingDays: 260, HoursPerDay: 8},
						Services: []capacity.ServiceStandard{{Activity: "x", Service: "S1", MinutesPerUnit: 60}}}}}, nil)
				return err
			}},
		{name: "capacity.ComputeGaps: need at an unknown establishment", is: gst.ErrInvalid, as: isValidation, says: []string{`"E9"`},
			call: func(t *testing.T) error {
				_, err := capacity.ComputeGaps(baseRegion(t), []capacity.StaffFTE{{Establishment: "E9", Category: "C1", FTE: 1}}, nil)
				return err
			}},
		{name: "capacity.Volumes.UnmarshalJSON: a negative volume", is: gst.ErrInvalid, as: isValidation, says: []string{`"E1"`, "volume"},
			call: func(t *testing.T) error {
				var v capacity.Volumes
				return json.Unmarshal([]byte(`[{"establishment": "E1", "service": "S1", "volume": -2}]`), &v)
			}},
		{name: "capacity.Beds: an occupancy above 1", is: gst.ErrInvalid, as: isValidation, says: []string{"occupancy"},
			call: func(t *testing.T) error {
				v, err := capacity.NewVolumes([]capacity.Volume{{Establishment: "E1", Service: "S1", Volume: 100}})
				if err != nil {
					t.Fatal(err)
				}
				_, err = capacity.Beds(baseRegion(t), v, []capacity.Stay{{Service: "S1", ALOSDays: 3, Occupancy: 1.5}}, nil)
				return err
			}},

		{name: "capacity: rates in JSON with an unknown setting and period", is: gst.ErrInvalid, says: []string{"suburban", "any, urban or rural"},
			call: func(t *testing.T) error {
				var rates []capacity.Rate
				err := json.Unmarshal([]byte(`[{"service": "S1", "setting": "suburban", "per_thousand": 3}]`), &rates)
				var allowances []capacity.CategoryAllowance
				if e := json.Unmarshal([]byte(`[{"activity": "x", "hours": 1, "per": "fortnight"}]`), &allowances); !errors.Is(e, gst.ErrInvalid) || !strings.Contains(e.Error(), "fortnight") {
					t.Errorf("unknown period: %v", e)
				}
				return err
			}},

		// pathway.
		{name: "pathway.ReadJSON: a probability above 1 and an unknown parent", is: gst.ErrInvalid, as: isValidation,
			at: &loc{File: "set.json", Field: "probability"}, says: []string{"set.json", `step "b"`, "probability", "parent"},
			call: func(t *testing.T) error {
				_, err := pathway.ReadJSON(strings.NewReader(`{"pathways": [{"id": "m", "incidence_per_1000": 10, "steps": [
					{"id": "a", "service": "S1", "probability": 1, "visits_per_episode": 1},
					{"id": "b", "service": "S1", "probability": 1.5, "visits_per_episode": 1, "parent": "z"}]}]}`), "set.json")
				return err
			}},
		{name: "pathway.ReadJSON: a document larger than the limit", is: gst.ErrTooLarge, says: []string{"set.json"},
			call: func(t *testing.T) error {
				_, err := pathway.ReadJSON(strings.NewReader(`{"pathways": [`+strings.Repeat(" ", pathway.MaxJSONBytes)+`]}`), "set.json")
				return err
			}},
		{name: "pathway.Evaluate: an assignment to an unknown establishment", is: gst.ErrInvalid, as: isValidation, says: []string{`"E9"`},
			call: func(t *testing.T) error {
				asg, err := gst.NewAssignment([]gst.Allocation{{Area: "A1", Service: "S1", Establishment: "E9", Share: 1}})
				if err != nil {
					t.Fatal(err)
				}
				_, err = pathway.Evaluate(context.Background(), baseRegion(t), oneStepSet(), pathway.Plan{Assignment: asg}, nil)
				return err
			}},
		{name: "pathway.Evaluate: a step of a service the region lacks", is: gst.ErrInvalid, as: isValidation, says: []string{"S9"},
			call: func(t *testing.T) error {
				set := oneStepSet()
				set.Pathways[0].Steps[0].Service = "S9"
				_, err := pathway.Evaluate(context.Background(), baseRegion(t), set, pathway.Plan{Assignment: nearest(t)}, nil)
				return err
			}},
		{name: "pathway.Evaluate: a travel matrix of zeros", is: gst.ErrInvalid, as: isValidation, says: []string{"travel", "zero"},
			call: func(t *testing.T) error {
				_, err := pathway.Evaluate(context.Background(), baseRegion(t), oneStepSet(), pathway.Plan{Assignment: nearest(t), Travel: zeroMatrix(t)}, nil)
				return err
			}},

		// allocate.Locate.
		{name: "allocate.Locate: p larger than the candidate sites", is: gst.ErrInvalid, as: isValidation,
			at: &loc{Where: "problem", Field: "p"}, says: []string{"problem: p", "3"},
			call: func(t *testing.T) error {
				return locateErr(&allocate.Problem{Region: baseRegion(t), Demand: demand(t), Objective: allocate.PMedian, P: 5})
			}},
		{name: "allocate.Locate: total capacity below demand", is: gst.ErrInfeasible, as: isInfeasible("capacity"),
			says: []string{"capacity", `"S1"`, "1200", "2400"},
			call: func(t *testing.T) error {
				return locateErr(&allocate.Problem{Region: baseRegion(t), Demand: demand(t, 1200, 800, 400), Objective: allocate.PMedian, P: 3,
					Capacity: allocate.SplitDemand, Greenfield: true})
			}},
		{name: "allocate.Locate: areas no site can reach within the maximum travel", is: gst.ErrInfeasible, as: isInfeasible("max travel"),
			says: []string{"max travel", "A3"},
			call: func(t *testing.T) error {
				return locateErr(&allocate.Problem{Region: baseRegion(t), Demand: demand(t), Objective: allocate.PMedian, P: 2,
					Services: []allocate.ServiceRule{{Service: "S1", Sites: []gst.EstablishmentID{"E1", "E2"}}}, MaxTravel: 20, Greenfield: true})
			}},
		{name: "allocate.Locate: a rule for an unknown service, an unknown kept site", is: gst.ErrInvalid, as: isValidation,
			at: &loc{Field: "service"}, says: []string{`"S9"`, `"E9"`},
			call: func(t *testing.T) error {
				return locateErr(&allocate.Problem{Region: baseRegion(t), Demand: demand(t), Objective: allocate.PMedian, P: 2,
					Services: []allocate.ServiceRule{{Service: "S9"}}, Keep: []gst.EstablishmentID{"E9"}})
			}},
		{name: "allocate.Locate: demand of an unknown area", is: gst.ErrInvalid, as: isValidation, says: []string{`"A9"`},
			call: func(t *testing.T) error {
				d, err := gst.NewDemandTable([]gst.Demand{{Area: "A9", Service: "S1", Volume: 5}})
				if err != nil {
					t.Fatal(err)
				}
				return locateErr(&allocate.Problem{Region: baseRegion(t), Demand: d, Objective: allocate.PMedian, P: 2})
			}},
		{name: "allocate.Locate: a region built in code with a NaN population", is: gst.ErrInvalid, as: isValidation,
			at: &loc{Where: `area "A2"`, Field: "population"}, says: []string{`area "A2"`, "population"},
			call: func(t *testing.T) error {
				return locateErr(&allocate.Problem{Region: region(t, func(r *gst.Region) { r.Areas[1].Population = math.NaN() }), Demand: demand(t),
					Objective: allocate.PMedian, P: 2})
			}},
		{name: "allocate.Locate: an empty region", is: gst.ErrInvalid, as: isValidation, says: []string{"area"},
			call: func(t *testing.T) error {
				return locateErr(&allocate.Problem{Region: region(t, func(r *gst.Region) { r.Areas = nil; r.Establishments = nil }), Demand: demand(t),
					Objective: allocate.PMedian, P: 1})
			}},
		{name: "allocate.Locate: a travel matrix of zeros", is: gst.ErrInvalid, as: isValidation, says: []string{"travel", "zero"},
			call: func(t *testing.T) error {
				return locateErr(&allocate.Problem{Region: baseRegion(t), Demand: demand(t), Objective: allocate.PMedian, P: 2, TravelSource: gst.TravelSource{Travel: zeroMatrix(t)}})
			}},

		// allocate.Pool.
		{name: "allocate.Pool: need at an unknown establishment, a NaN need and a repeated row", is: gst.ErrInvalid, as: isValidation,
			says: []string{`"E9"`, "FTE", `"E2"`},
			call: func(t *testing.T) error {
				return poolErr(&pool.Problem{Region: baseRegion(t), Need: []pool.Need{
					{Establishment: "E9", Category: "C1", FTE: 1}, {Establishment: "E1", Category: "C1", FTE: math.NaN()},
					{Establishment: "E2", Category: "C1", FTE: 1}, {Establishment: "E2", Category: "C1", FTE: 2}}})
			}},
		{name: "allocate.Pool: a team role of an unknown category", is: gst.ErrInvalid, as: isValidation, says: []string{`"C9"`},
			call: func(t *testing.T) error {
				return poolErr(&pool.Problem{Region: baseRegion(t), Teams: []pool.Team{
					{Establishment: "E2", Service: "S1", Roles: []pool.Role{{Category: "C9", FTE: 1}}}}})
			}},
		{name: "allocate.Pool: a travel matrix of zeros", is: gst.ErrInvalid, as: isValidation, says: []string{"travel", "zero"},
			call: func(t *testing.T) error {
				return poolErr(&pool.Problem{Region: baseRegion(t), Need: []pool.Need{{Establishment: "E2", Category: "C1", FTE: 4}},
					TravelSource: gst.TravelSource{Travel: zeroMatrix(t)}})
			}},

		// allocate.Transfer.
		{name: "allocate.Transfer: rules of an unknown service, a negative capacity, a contract with an unknown partner", is: gst.ErrInvalid, as: isValidation,
			says: []string{`"S9"`, "volume", `"E9"`},
			call: func(t *testing.T) error {
				return transferErr(&transfer.Problem{Region: baseRegion(t), Demand: demand(t),
					Services:   []transfer.Service{{Service: "S9"}},
					Capacities: []transfer.Capacity{{Establishment: "E1", Service: "S1", Volume: -5}},
					Contracts:  []transfer.Contract{{Establishment: "E9", Service: "S1", MaxVolume: 10}}})
			}},
		{name: "allocate.Transfer: total capacity below demand", is: gst.ErrInfeasible, as: isTransferInfeasible,
			says: []string{`"S1"`, "1800", "providers can take 900"},
			call: func(t *testing.T) error {
				return transferErr(&transfer.Problem{Region: baseRegion(t), Demand: demand(t, 900, 600, 300)})
			}},
		{name: "allocate.Transfer: a travel matrix of zeros", is: gst.ErrInvalid, as: isValidation, says: []string{"travel", "zero"},
			call: func(t *testing.T) error {
				return transferErr(&transfer.Problem{Region: baseRegion(t), Demand: demand(t), TravelSource: gst.TravelSource{Travel: zeroMatrix(t)}})
			}},

		// OR-Library readers.
		{name: "orlib.ReadPMed: NaN for a cost", is: gst.ErrInvalid, as: isParse, says: []string{"pmed.txt:2", "cost", "NaN"},
			call: func(t *testing.T) error {
				_, err := orlib.ReadPMedWith(strings.NewReader("2 1 1\n1 2 NaN\n"), &orlib.Options{Name: "pmed.txt"})
				return err
			}},
		{name: "orlib.ReadPMed: a header larger than the limit", is: gst.ErrTooLarge, as: isParse, says: []string{"pmed.txt:1", "size limit"},
			call: func(t *testing.T) error {
				_, err := orlib.ReadPMedWith(strings.NewReader("1000000 1 1\n1 2 3\n"), &orlib.Options{Name: "pmed.txt", MaxN: 1000})
				return err
			}},
		{name: "orlib.ReadCap: a negative fixed cost", is: gst.ErrInvalid, as: isParse, says: []string{"cap.txt:2", "fixed cost", "-3"},
			call: func(t *testing.T) error {
				_, err := orlib.ReadCapWith(strings.NewReader("1 1\n5 -3\n1 2\n"), 0, &orlib.Options{Name: "cap.txt"})
				return err
			}},
		{name: "orlib.ReadSJC: a truncated file", is: gst.ErrInvalid, as: isParse, says: []string{"sjc.dat", "end of input"},
			call: func(t *testing.T) error {
				_, err := orlib.ReadSJCWith(strings.NewReader("2 1\n0 0 5 1\n"), &orlib.Options{Name: "sjc.dat"})
				return err
			}},
		{name: "orlib.ReadPMedCap: p above n", is: gst.ErrInvalid, as: isParse, says: []string{"pmedcap.txt:2", "p (number of medians)"},
			call: func(t *testing.T) error {
				_, err := orlib.ReadPMedCapWith(strings.NewReader("1 10\n2 3 5\n"), &orlib.Options{Name: "pmedcap.txt"})
				return err
			}},
		{name: "orlib.ReadOptima: a value that is not a number", is: gst.ErrInvalid, as: isParse, says: []string{"opt.txt:1", "five"},
			call: func(t *testing.T) error {
				_, err := orlib.ReadOptimaWith(strings.NewReader("pmed1 five\n"), &orlib.Options{Name: "opt.txt"})
				return err
			}},

		// internal/lp models.
		{name: "lp.Solve: a NaN coefficient and a column out of range", is: gst.ErrInvalid, as: isModel, says: []string{`"cap"`, "coef", "col"},
			call: func(t *testing.T) error {
				m := lp.NewModel("bad")
				x := m.AddVar("x", 0, 1, 1, lp.Continuous)
				m.AddRow("cap", []int{x}, []float64{math.NaN()}, lp.LE, 1)
				m.AddRow("link", []int{x, 7}, []float64{1, 1}, lp.LE, 1)
				_, err := lp.Solve(context.Background(), m, nil)
				return err
			}},
	}
	return cases
}

// readJSONWith writes the base region as JSON with a change and reads it
// back.
func readJSONWith(t *testing.T, f func(r *gst.Region)) error {
	r := baseRegion(t).Clone()
	f(r)
	var buf bytes.Buffer
	// WriteJSON writes what it is given: the reader is the one to check.
	if err := json.NewEncoder(&buf).Encode(r); err != nil {
		t.Fatal(err)
	}
	_, err := gst.ReadJSON(&buf, "r.json", nil)
	return err
}

// relabel replaces a temporary directory in an error's message and in its
// validation errors' file names by a fixed label.
func relabel(err error, dir, label string) error {
	for _, e := range leaves(err) {
		var ve *gst.ValidationError
		if errors.As(e, &ve) {
			ve.File = strings.Replace(ve.File, dir, label, 1)
		}
	}
	return err
}

// oneStepSet is a pathway set of one step on S1.
func oneStepSet() *pathway.Set {
	return &pathway.Set{Pathways: []pathway.Pathway{{ID: "birth", IncidencePer1000: 20,
		Steps: []pathway.Step{{ID: "delivery", Service: "S1", Probability: 1, VisitsPerEpisode: 1}}}}}
}

// nearest is the nearest assignment of the base region for S1.
func nearest(t *testing.T) *gst.Assignment {
	a, err := capacity.NearestAssignment(context.Background(), baseRegion(t), []gst.ServiceID{"S1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestCatalogue runs the catalogue: every bad input gets an error that
// wraps the right sentinel, has the package's concrete type, points at the
// record, file, line and field at fault, and says what is wrong; none
// panics. The error of each case is logged, so that go test -v prints the
// catalogue.
func TestCatalogue(t *testing.T) {
	for _, c := range catalogue() {
		t.Run(c.name, func(t *testing.T) {
			err := c.call(t)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, c.is) {
				t.Errorf("error does not wrap %v: %v", c.is, err)
			}
			if c.as != nil {
				if why := c.as(err); why != "" {
					t.Errorf("%s (%T): %v", why, err, err)
				}
			}
			if c.at != nil && !findValidation(err, *c.at) {
				t.Errorf("no *gst.ValidationError at %v in:\n%v", *c.at, err)
			}
			msg := err.Error()
			for _, s := range c.says {
				if !strings.Contains(msg, s) {
					t.Errorf("message does not say %q:\n%s", s, msg)
				}
			}
			t.Logf("%s → %s (%s)", c.name, firstLines(msg, 3), typeOf(err))
		})
	}
}

// firstLines returns the first n lines of s, with a count of the others.
func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return strings.Join(lines, " | ")
	}
	return strings.Join(lines[:n], " | ") + " | … (" + strconv.Itoa(len(lines)-n) + " more)"
}

// typeOf names the concrete types of an error's leaves.
func typeOf(err error) string {
	seen := map[string]bool{}
	var out []string
	for _, e := range leaves(err) {
		name := "error"
		var ve *gst.ValidationError
		var ie *gst.InfeasibleError
		var pe *orlib.ParseError
		var me *lp.ModelError
		switch {
		case errors.As(e, &ve):
			name = "*gst.ValidationError"
		case errors.As(e, &ie):
			name = "*gst.InfeasibleError"
		case errors.As(e, &pe):
			name = "*orlib.ParseError"
		case errors.As(e, &me):
			name = "*lp.ModelError"
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return strings.Join(out, ", ")
}
