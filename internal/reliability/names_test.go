package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/allocate/pool"
	"github.com/gstplan/gst/allocate/transfer"
	"github.com/gstplan/gst/capacity"
	"github.com/gstplan/gst/pathway"
)

// Names and IDs in Arabic and Tifinagh (the scripts of Morocco's two
// official languages), with the commas and quotes that force quoting in
// CSV. IDs of the same script have the same length in bytes, so that any
// step that reduces IDs to ASCII would make them collide.
const (
	provAr     = "طنجة-أصيلة"                 // Tangier-Assilah
	provTf     = "ⵟⴰⵏⵊⴰ"                      // Tanja
	areaAr1    = "حي-ألف"                     // "district alif"
	areaAr2    = "حي-باء"                     // "district ba"
	areaTf     = "ⴰⴷⵖⴰⵔ-ⵢⴰⵏ"                  // "place one"
	estAr1     = "مستشفى-١"                   // "hospital 1"
	estAr2     = "مستشفى-٢"                   // "hospital 2"
	estTf      = "ⴰⵙⴳⵏⴰⵡ-ⵙⵉⵏ"                 // "health centre two"
	estAr1Name = `مستشفى "محمد الخامس"، طنجة` // Mohammed V hospital, Tangier
	estAr2Name = "مستشفى القرب, أصيلة"        // proximity hospital, Assilah
	estTfName  = "ⴰⵙⴳⵏⴰⵡ ⵏ ⵜⴷⵓⵙⵉ, ⵜⴰⵏⵊⴰ"      // health centre, Tanja
	areaAr1Nm  = "الحي الأول"
	areaTfNm   = "ⴰⴷⵖⴰⵔ ⴰⵎⵣⵡⴰⵔⵓ"
	attrAr     = "المندوبية السامية للتخطيط، الإحصاء العام للسكان 2024"
	catAr      = "قابلة" // midwife
	catTf      = "ⵜⴰⵎⵙⵙⵓⵔⵓⵜ"
)

// scriptFiles is a region directory written with a byte order mark, CRLF
// line ends and quoted fields (doubled quotes inside), as a spreadsheet
// exports it.
func scriptFiles(crlf, bom bool) map[string]string {
	q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	m := map[string]string{
		"region.csv":    "field,value\nid,01\nname," + q("طنجة تطوان الحسيمة") + "\nattribution," + q(attrAr) + "\n",
		"provinces.csv": "id,name\n" + q(provAr) + "," + q("عمالة طنجة أصيلة") + "\n" + q(provTf) + "," + q("ⵜⴰⵏⵊⴰ, ⵜⴰⵎⵏⴰⴹⵜ") + "\n",
		"areas.csv": "id,name,province,lat,lon,population,year,urban\n" +
			q(areaAr1) + "," + q(areaAr1Nm) + "," + q(provAr) + ",35.77,-5.80,40000,2024,true\n" +
			q(areaAr2) + ",\"حي \"\"باء\"\"\"," + q(provAr) + ",35.47,-6.03,15000,2024,false\n" +
			q(areaTf) + "," + q(areaTfNm) + "," + q(provTf) + ",35.20,-5.60,9000,2024,false\n",
		"establishments.csv": "id,name,level,ownership,province,area,lat,lon,beds,closable\n" +
			q(estAr1) + "," + q(estAr1Name) + ",provincial,public," + q(provAr) + "," + q(areaAr1) + ",35.76,-5.81,200,false\n" +
			q(estAr2) + "," + q(estAr2Name) + ",local,public," + q(provAr) + "," + q(areaAr2) + ",35.46,-6.02,40,true\n" +
			q(estTf) + "," + q(estTfName) + ",local,public," + q(provTf) + "," + q(areaTf) + ",35.21,-5.61,20,true\n",
		"services.csv":   "id,name,unit,min_level,standard_minutes\nmaternity," + q("ولادة") + ",delivery,local,60\n",
		"offers.csv":     "establishment,service,capacity\n" + q(estAr1) + ",maternity,2000\n" + q(estAr2) + ",maternity,800\n" + q(estTf) + ",maternity,600\n",
		"categories.csv": "id,name,hours_per_year,annual_cost\n" + q(catAr) + "," + q("قابلة، مولِّدة") + ",1950,155400\n" + q(catTf) + ",ⵜⴰⵎⵙⵙⵓⵔⵓⵜ,1950,155400\n",
		"staff.csv":      "establishment,category,fte\n" + q(estAr1) + "," + q(catAr) + ",12\n" + q(estAr2) + "," + q(catAr) + ",2\n" + q(estTf) + "," + q(catTf) + ",3\n" + q(estAr1) + "," + q(catTf) + ",4\n",
	}
	for k, v := range m {
		if crlf {
			v = strings.ReplaceAll(v, "\n", "\r\n")
		}
		if bom {
			v = "\xEF\xBB\xBF" + v
		}
		m[k] = v
	}
	return m
}

// TestScriptsAndSpreadsheetCSV reads a region whose names and IDs are in
// Arabic and Tifinagh from CSV with a byte order mark, CRLF line ends and
// quoted fields, checks that it equals the same files written plainly, and
// follows the names through every output: plan JSON and GeoJSON, pooling
// and transfer plans (whose integer programmes name their columns after
// IDs), gap tables in CSV and JSON, pathway evaluations and their text
// report, and the region written back as CSV and JSON.
func TestScriptsAndSpreadsheetCSV(t *testing.T) {
	r, err := readFiles(scriptFiles(true, true), nil)
	if err != nil {
		t.Fatalf("reading the spreadsheet export: %v", err)
	}
	plain, err := readFiles(scriptFiles(false, false), nil)
	if err != nil {
		t.Fatalf("reading the plain files: %v", err)
	}
	if d := cmp.Diff(plain, r, cmpopts.IgnoreUnexported(gst.Region{}, gst.Matrix{})); d != "" {
		t.Errorf("BOM, CRLF and quotes change what is read (-plain +export):\n%s", d)
	}
	if e, _ := r.Establishment(estAr1); e == nil || e.Name != estAr1Name {
		t.Fatalf("establishment %q read as %+v", estAr1, e)
	}
	if a, _ := r.Area(areaAr2); a == nil || a.Name != `حي "باء"` {
		t.Fatalf("area %q read as %+v", areaAr2, a)
	}
	if len(r.Attribution) != 1 || r.Attribution[0] != attrAr {
		t.Errorf("attribution %q", r.Attribution)
	}
	ctx := context.Background()
	d, err := capacity.Demand(r, []capacity.Rate{{Service: "maternity", PerThousand: 18}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string][]byte{}
	// Location, by the engine and by a MIP (a budget forces it).
	for _, budget := range []float64{0, 1} {
		plan, err := allocate.Locate(ctx, &allocate.Problem{Region: r, Demand: d.Table, Objective: allocate.PMedian, P: 2, Greenfield: true, Budget: budget}, nil)
		if err != nil {
			t.Fatalf("Locate (budget %v): %v", budget, err)
		}
		outputs["plan "+plan.Method] = encode(t, plan)
		for _, l := range []allocate.GeoLayer{allocate.GeoSites, allocate.GeoAreas, allocate.GeoAssignment} {
			gj, err := plan.GeoJSON(l)
			if err != nil {
				t.Fatal(err)
			}
			outputs["geojson "+l.String()+" "+plan.Method] = gj
		}
	}
	// Pooling with a team, which needs an integer programme.
	pp, err := pool.Solve(ctx, &pool.Problem{Region: r,
		Need: []pool.Need{{Establishment: estAr2, Category: catAr, FTE: 4}, {Establishment: estTf, Category: catTf, FTE: 2}},
		Teams: []pool.Team{{Establishment: estTf, Service: "maternity",
			Roles: []pool.Role{{Category: catAr, FTE: 1}, {Category: catTf, FTE: 1}}}},
		Rules: pool.Rules{MaxCommuteMinutes: 180}}, nil)
	if err != nil {
		t.Fatalf("Pool: %v", err)
	}
	outputs["pool"] = encode(t, pp)
	// Transfer through a linear programme (shared beds).
	tp, err := transfer.Solve(ctx, &transfer.Problem{Region: r, Demand: d.Table,
		Uses: []transfer.Use{{Service: "maternity", Resource: "beds", PerCase: 2.0 / 365 / 0.85}}}, nil)
	if err != nil {
		t.Fatalf("Transfer: %v", err)
	}
	outputs["transfer"] = encode(t, tp)
	// Gaps.
	gaps, err := capacity.ComputeGaps(r, []capacity.StaffFTE{{Establishment: estAr2, Category: catAr, FTE: 5}, {Establishment: estTf, Category: catTf, FTE: 1}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var gcsv, gjson bytes.Buffer
	if err := gaps.WriteCSV(&gcsv); err != nil {
		t.Fatal(err)
	}
	if err := gaps.WriteJSON(&gjson); err != nil {
		t.Fatal(err)
	}
	outputs["gaps csv"], outputs["gaps json"] = gcsv.Bytes(), gjson.Bytes()
	// Pathways.
	set := &pathway.Set{Pathways: []pathway.Pathway{{ID: "birth", IncidencePer1000: 18,
		Steps: []pathway.Step{{ID: "delivery", Service: "maternity", Probability: 1, VisitsPerEpisode: 1}}}}}
	asg, err := capacity.NearestAssignment(ctx, r, []gst.ServiceID{"maternity"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := pathway.Evaluate(ctx, r, set, pathway.Plan{Name: "الخطة الحالية", Assignment: asg}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := ev.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	outputs["evaluation"], outputs["evaluation text"] = encode(t, ev), text.Bytes()
	// The region written back.
	var rj bytes.Buffer
	if err := gst.WriteJSON(&rj, r); err != nil {
		t.Fatal(err)
	}
	outputs["region json"] = rj.Bytes()
	csvs, err := gst.EncodeCSV(r)
	if err != nil {
		t.Fatal(err)
	}
	outputs["establishments.csv"], outputs["areas.csv"] = csvs["establishments.csv"], csvs["areas.csv"]

	// What each output must hold, intact (never escaped or mangled).
	want := map[string][]string{
		"plan":               {estAr1, estAr2, estTf, estAr1Name, estAr2Name, estTfName, areaAr1, areaTf},
		"geojson sites":      {estAr1, estAr1Name, estTfName},
		"geojson areas":      {areaAr1, areaTf, areaAr1Nm, areaTfNm},
		"geojson assignment": {estAr1Name, estTfName, areaAr1, areaTf, areaAr1Nm},
		"pool":               {estAr2, estTf, catAr, catTf},
		"transfer":           {estAr1, areaAr2, areaTf},
		"gaps csv":           {estAr2, estTfName, provAr, catTf},
		"gaps json":          {estAr2Name, provTf, catAr, attrAr},
		"evaluation":         {"الخطة الحالية", areaAr1Nm, areaTfNm, provAr, attrAr},
		"evaluation text":    {provAr, provTf, attrAr, "الخطة الحالية"},
		"region json":        {estAr1Name, `حي "باء"`, attrAr, catTf},
		"establishments.csv": {estAr1, `"مستشفى ""محمد الخامس""، طنجة"`, `"مستشفى القرب, أصيلة"`},
		"areas.csv":          {areaAr1Nm, `"حي ""باء"""`, provTf},
	}
	for name, b := range outputs {
		key, ws := name, want[name]
		for k, v := range want {
			if ws == nil && strings.HasPrefix(name, k+" ") {
				key, ws = k, v
			}
		}
		if ws == nil {
			t.Fatalf("no expectation for output %q", name)
		}
		text := strings.HasSuffix(key, "csv") || strings.HasSuffix(key, "text")
		for _, w := range ws {
			if !text {
				w = jsonText(t, w)
			}
			if !bytes.Contains(b, []byte(w)) {
				t.Errorf("%s does not hold %q intact", name, w)
			}
		}
	}
	// Written back, the files read as the same region.
	back, err := gst.ReadDir(mapFSBytes(csvs), ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(r, back, cmpopts.IgnoreUnexported(gst.Region{}, gst.Matrix{})); d != "" {
		t.Errorf("write and read back (-first +second):\n%s", d)
	}
}

func mapFSBytes(m map[string][]byte) fstest.MapFS {
	fsys := fstest.MapFS{}
	for k, v := range m {
		fsys[k] = &fstest.MapFile{Data: v}
	}
	return fsys
}

// jsonText returns a string as it appears inside a JSON string: quotes and
// backslashes escaped, other characters (Arabic and Tifinagh letters
// included) as they are.
func jsonText(t *testing.T, s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b[1 : len(b)-1])
}
