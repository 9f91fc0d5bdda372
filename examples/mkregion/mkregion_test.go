package main

import (
	"bytes"
	"errors"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/gstplan/gst"
)

// repoRoot is the repository root, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found at %s: %v", root, err)
	}
	return root
}

// TestReproducesCommittedData rebuilds the outputs from the shared input
// directory beside the repository and checks that they equal the committed
// files byte for byte.
func TestReproducesCommittedData(t *testing.T) {
	root := repoRoot(t)
	in := filepath.Join(root, "..", "shared", "data", "morocco")
	if _, err := os.Stat(filepath.Join(in, fileCommunes)); err != nil {
		t.Skipf("input directory %s is absent (a clone without shared/): skipping the rebuild check", in)
	}
	files, _, err := generate(in)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "examples", "data")
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		got, err := os.ReadFile(filepath.Join(out, n))
		if err != nil {
			t.Errorf("%s: %v (rebuild with: go run ./examples/mkregion)", n, err)
			continue
		}
		if !bytes.Equal(got, files[n]) {
			t.Errorf("%s differs from a rebuild (rebuild with: go run ./examples/mkregion)", n)
		}
	}
	// No stale region file is left beside the rebuilt ones.
	for _, dir := range regionDirs {
		entries, err := os.ReadDir(filepath.Join(out, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if _, ok := files[filepath.Join(dir, e.Name())]; !ok {
				t.Errorf("%s/%s is not produced by the builder", dir, e.Name())
			}
		}
	}
}

// TestCommittedRegions opens the committed regions listed in regions.csv
// (no shared input needed) and checks the promises the README makes: 12
// regions whose populations add up to the 2024 legal population, the
// pilots with their published totals and commune boundaries.
func TestCommittedRegions(t *testing.T) {
	root := repoRoot(t)
	data := filepath.Join(root, "examples", "data")
	b, err := os.ReadFile(filepath.Join(data, "regions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")[1:]
	if len(lines) != 12 {
		t.Fatalf("regions.csv lists %d regions, want 12", len(lines))
	}
	pilots := map[string]float64{"fesmeknes": 4467911, "tanger": 4030222}
	var total float64
	for _, l := range lines {
		f := strings.Split(l, ",")
		dir := f[2]
		t.Run(dir, func(t *testing.T) {
			r, err := gst.Open(filepath.Join(data, dir), nil)
			if err != nil {
				t.Fatal(err)
			}
			total += r.Population()
			if pop, ok := pilots[dir]; ok {
				if got := r.Population(); got != pop {
					t.Errorf("population %v, want the published %v", got, pop)
				}
				for _, a := range r.Areas {
					if len(a.Boundary) == 0 {
						t.Errorf("pilot commune %s has no boundary", a.ID)
					}
				}
			}
			if len(r.Attribution) < 3 || !strings.Contains(strings.Join(r.Attribution, "\n"), "OpenStreetMap") || !strings.Contains(strings.Join(r.Attribution, "\n"), "CC BY 4.0") {
				t.Errorf("attribution is incomplete: %q", r.Attribution)
			}
			checkRegion(t, r, handDecided[r.ID])
		})
	}
	if total != 36828330 {
		t.Errorf("the 12 regions hold %v people, want the 2024 legal population 36,828,330", total)
	}
}

// checkRegion checks the invariants every generated region keeps.
func checkRegion(t *testing.T, r *gst.Region, needCHU bool) {
	t.Helper()
	ids := r.EstablishmentIDs()
	if !sort.StringsAreSorted(ids) {
		t.Error("establishments are not sorted by ID")
	}
	centres := map[gst.AreaID]int{}
	hasCHU := false
	for _, e := range r.Establishments {
		switch {
		case e.Source == "osm":
			if !strings.HasPrefix(string(e.ID), "osm-node-") && !strings.HasPrefix(string(e.ID), "osm-way-") && !strings.HasPrefix(string(e.ID), "osm-relation-") {
				t.Errorf("%s: OSM establishment without its OSM element in its ID", e.ID)
			}
		case e.Source == "synthetic":
		default:
			t.Errorf("%s: source %q, want osm or synthetic", e.ID, e.Source)
		}
		if e.Candidate {
			if e.OpenCost <= 0 || len(e.Staff) > 0 || e.Source != "synthetic" || len(e.Offers) == 0 {
				t.Errorf("%s: a candidate needs an opening cost, offers, no staff and source synthetic", e.ID)
			}
			continue
		}
		if e.Level == gst.HealthCentre && e.Ownership == gst.Public {
			centres[e.Area]++
			if len(e.Staff) == 0 {
				t.Errorf("%s: public health centre without staff", e.ID)
			}
		}
		if e.Level == gst.UniversityHospital {
			hasCHU = true
		}
		if e.Ownership == gst.Private && len(e.Staff) > 0 {
			t.Errorf("%s: private establishment with staff on the public roll", e.ID)
		}
		for _, o := range e.Offers {
			if o.Capacity <= 0 {
				t.Errorf("%s offers %s without capacity", e.ID, o.Service)
			}
			s, _ := r.Service(o.Service)
			if e.Level < s.MinLevel {
				t.Errorf("%s (%s) offers %s, whose lowest level is %s", e.ID, e.Level, o.Service, s.MinLevel)
			}
		}
	}
	if needCHU && !hasCHU {
		t.Error("no CHU")
	}
	for _, a := range r.Areas {
		if centres[a.ID] == 0 {
			t.Errorf("commune %s has no public health centre", a.ID)
		}
		sums := map[string]float64{}
		for _, s := range a.Segments {
			sums[gst.SegmentDimension(s.Name)] += s.Population
		}
		for _, dim := range []string{"coverage", "age"} {
			if sums[dim] != a.Population {
				t.Errorf("area %s: %s segments sum to %v, want %v", a.ID, dim, sums[dim], a.Population)
			}
		}
		if a.Deprivation == nil || math.IsNaN(*a.Deprivation) || math.Abs(*a.Deprivation) > 20 {
			t.Errorf("area %s: deprivation %v, want a score of a few standard deviations", a.ID, a.Deprivation)
		}
	}
}

func fac(typ, id, name, kind string, lat, lon float64) facilityRow {
	return facilityRow{OSMType: typ, OSMID: id, Name: name, Type: kind, Region: "99", Province: "99.001", Commune: "99.001.01.01", Lat: lat, Lon: lon}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name, kind string
		want       class
	}{
		{"Dr Alaoui", "doctor", clsNone},
		{"Projet Centre Hospitalier Provincial d'Ouezzane", "hospital", clsNone},
		{"Hôpital Militaire Moulay Ismail", "hospital", clsNone},
		{"APEX Dental Clinic", "hospital", clsNone},
		{"Laboratoire D'Analyses Médicales", "clinic", clsNone},
		{"Cabinet Cardiologue", "clinic", clsNone},
		{"Centres de dépistage précoce du cancer du sein", "clinic", clsESSP},
		{"C. d'oncologie d'Al Hoceima", "hospital", clsOncology},
		{"Centre De Dialyse Et Des Maladies Renales SAADA", "clinic", clsDialysis},
		{"Centre provincial spécialisé de psychiatrie", "hospital", clsPsychiatry},
		{"Clinique croissant Rouge", "hospital", clsRedCrescent},
		{"Centre de Santé Urbain 9 Juillet", "hospital", clsESSP},
		{"dispenssaire ain zliten", "hospital", clsESSP},
		{"المركز الصحي ويسلان 2", "hospital", clsESSP},
		{"Centre hospitalier universitaire Hassan II", "hospital", clsCHU},
		{"Hopital Provincial de Ksar El Kébir", "hospital", clsProvincial},
		{"AKDITAL : Hôpital Privé de Tanger", "hospital", clsPrivateHosp},
		{"Polyclinique Lixus", "hospital", clsPrivateClinic},
		{"مصحة متعددة الاختصاصات", "hospital", clsPrivateClinic},
		{"Unnamed Facility", "hospital", clsUnnamedHosp},
		{"Hôpital", "hospital", clsUnnamedHosp},
		{"Unnamed Facility", "clinic", clsUnnamedClinic},
		{"Hôpital de Kaf El Ghar", "hospital", clsLocal},
		{"Ibn Rochd", "clinic", clsPrivateClinic},
	}
	for _, tc := range tests {
		got, why := classify(fac("node", "1", tc.name, tc.kind, 34, -5))
		if got != tc.want {
			t.Errorf("classify(%q, %s) = %s (%s), want %s", tc.name, tc.kind, got, why, tc.want)
		}
		if why == "" {
			t.Errorf("classify(%q): no reason given", tc.name)
		}
	}
}

func TestSimilarNames(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Hôpital Mohammed V", "Hopital Mohamed V", true},
		{"Hôpital Mohammed V", "Hôpital Mohammed VI", false},
		{"Abi Kacem Zehraoui", "Hôpital Abou El Kacem Zahraoui_Ouazzane", true},
		{"Hopital Ibn Alkhatib", "Hopital Ibn Khaldoun", false},
		{"Centre hospitalier universitaire Hassan II", "University hospital Hassan II", true},
		{"Hôpital", "Hôpital", false}, // no distinctive word
	}
	for _, tc := range tests {
		if got := similarNames(tc.a, tc.b); got != tc.want {
			t.Errorf("similarNames(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestDecideOSM(t *testing.T) {
	// 0.001 degree of latitude is about 111 m.
	rows := []facilityRow{
		fac("node", "10", "Hôpital Mohammed V", "hospital", 35.0000, -5.0),
		fac("way", "11", "Hopital Mohamed V", "hospital", 35.0010, -5.0),   // 111 m: duplicate, and a way
		fac("way", "12", "Hôpital Mohamed V", "hospital", 35.0020, -5.0),   // 222 m: duplicate
		fac("way", "13", "Hôpital Mohammed VI", "hospital", 35.0015, -5.0), // another hospital
		fac("way", "14", "Unnamed Facility", "hospital", 35.0040, -5.0),    // joins the nearest named public hospital
		fac("node", "15", "Unnamed Facility", "hospital", 35.2000, -5.0),   // far from all: kept as local
		fac("node", "16", "Unnamed Facility", "clinic", 35.3000, -5.0),     // far from all: left out
		fac("node", "17", "Clinique Rif", "clinic", 35.1000, -5.0),
		fac("way", "18", "Clinique rif", "hospital", 35.1001, -5.0), // 11 m: duplicate
		fac("node", "19", "Projet Hôpital", "hospital", 35.5, -5.0),
		fac("node", "20", "Dr X", "doctor", 35.6, -5.0),
		fac("node", "21", "Unnamed Facility", "hospital", 35.1000, -5.0001), // same building as the clinic
	}
	ds := decideOSM(rows)
	type res struct{ Action, Class, Into string }
	got := map[string]res{}
	for _, d := range ds {
		got[d.F.Key()] = res{d.Action, d.Class.String(), d.Into}
		if d.Rule == "" {
			t.Errorf("%s: no rule recorded", d.F.Key())
		}
	}
	want := map[string]res{
		"way/11":  {actKeep, "local", ""},
		"node/10": {actMerge, "local", "way/11"},
		"way/12":  {actMerge, "local", "way/11"},
		"way/13":  {actKeep, "local", ""},
		"way/14":  {actMerge, "unnamed-hospital", "way/13"},
		"node/15": {actKeep, "unnamed-hospital", ""},
		"node/16": {actDrop, "unnamed-clinic", ""},
		"way/18":  {actKeep, "private-clinic", ""},
		"node/17": {actMerge, "private-clinic", "way/18"},
		"node/19": {actDrop, "none", ""},
		"node/20": {actDrop, "none", ""},
		"node/21": {actMerge, "unnamed-hospital", "way/18"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("decisions (-want +got):\n%s", d)
	}
	// Shuffling the rows changes nothing once they are sorted as the
	// reader sorts them.
	shuffled := append([]facilityRow(nil), rows...)
	rand.New(rand.NewSource(1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	sort.SliceStable(shuffled, func(i, j int) bool { return shuffled[i].Key() < shuffled[j].Key() })
	sorted := append([]facilityRow(nil), rows...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Key() < sorted[j].Key() })
	if d := cmp.Diff(decideOSM(sorted), decideOSM(shuffled), cmp.AllowUnexported(osmDecision{})); d != "" {
		t.Errorf("decisions depend on input order:\n%s", d)
	}
}

func TestApportion(t *testing.T) {
	tests := []struct {
		total   int
		weights []float64
		min     []int
		want    []int
	}{
		{10, []float64{1, 1}, nil, []int{5, 5}},
		{10, []float64{1, 2, 1}, nil, []int{3, 5, 2}}, // remainders tie: the earlier wins
		{7, []float64{0, 1}, []int{1, 0}, []int{1, 6}},
		{3, []float64{0, 0}, nil, []int{0, 0}},
		{5, []float64{1, 1, 1}, []int{1, 1, 1}, []int{2, 2, 1}},
	}
	for _, tc := range tests {
		got := apportion(tc.total, tc.weights, tc.min)
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("apportion(%d, %v, %v) (-want +got):\n%s", tc.total, tc.weights, tc.min, d)
		}
	}
	// Property: with a positive weight, the parts sum to the total, each
	// is at least its minimum, and each is within one of its exact share.
	rng := rand.New(rand.NewSource(7))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.Intn(20)
		w := make([]float64, n)
		mins := make([]int, n)
		mt := 0
		for i := range w {
			w[i] = rng.Float64() * 100
			mins[i] = rng.Intn(3)
			mt += mins[i]
		}
		total := mt + rng.Intn(500)
		got := apportion(total, w, mins)
		sum := 0
		var ws float64
		for _, v := range w {
			ws += v
		}
		for i, v := range got {
			sum += v
			exact := float64(mins[i]) + float64(total-mt)*w[i]/ws
			if v < mins[i] || math.Abs(float64(v)-exact) >= 1 {
				t.Fatalf("trial %d: part %d = %d, minimum %d, exact share %.3f", trial, i, v, mins[i], exact)
			}
		}
		if sum != total {
			t.Fatalf("trial %d: parts sum to %d, want %d", trial, sum, total)
		}
	}
}

func TestSegments(t *testing.T) {
	for _, c := range []communeRow{
		{Code: "a", Urban: true, Pop2024: 1167842},
		{Code: "b", Urban: false, Pop2024: 3341},
		{Code: "c", Urban: false, Pop2024: 1},
	} {
		segs := segments(&c, 12.5)
		sums := map[string]float64{}
		for _, s := range segs {
			if s.Population < 0 || s.Population != math.Round(s.Population) {
				t.Errorf("%s: segment %s = %v, want a whole non-negative number", c.Code, s.Name, s.Population)
			}
			sums[gst.SegmentDimension(s.Name)] += s.Population
		}
		for _, dim := range []string{"coverage", "age"} {
			if sums[dim] != c.Pop2024 {
				t.Errorf("%s: %s sums to %v, want %v", c.Code, dim, sums[dim], c.Pop2024)
			}
		}
		if sums["women"] > c.Pop2024 {
			t.Errorf("%s: women/15-49 above the population", c.Code)
		}
	}
	// Rural communes have more young children per person (higher fertility).
	u := segments(&communeRow{Urban: true, Pop2024: 100000}, 0)
	r := segments(&communeRow{Urban: false, Pop2024: 100000}, 0)
	if u[4].Population >= r[4].Population {
		t.Errorf("age/0-4: urban %v, rural %v; want fewer in the urban commune", u[4].Population, r[4].Population)
	}
}

func TestSunflower(t *testing.T) {
	const lat, lon, area = 34.0, -5.0, 100.0
	radius := equivalentRadiusKm(area)
	seen := map[[2]float64]bool{}
	for k := 0; k < 12; k++ {
		la, lo := sunflower(lat, lon, area, k, 12)
		la2, lo2 := sunflower(lat, lon, area, k, 12)
		if la != la2 || lo != lo2 {
			t.Fatal("sunflower is not deterministic")
		}
		if d := gst.GreatCircleKm(lat, lon, la, lo); d > 0.7*radius+0.01 {
			t.Errorf("point %d is %.2f km from the centroid, beyond 70%% of %.2f km", k, d, radius)
		}
		p := [2]float64{la, lo}
		if seen[p] {
			t.Errorf("point %d repeats an earlier one", k)
		}
		seen[p] = true
	}
	if la, lo := sunflower(lat, lon, area, 0, 5); la != lat || lo != lon {
		t.Error("the first point is not the centroid")
	}
}

// tinyInput is a small two-region input in the format of the morocco
// directory, made up for the tests. Region 01 has the boundary of its
// town; one rural commune of 03 has no centroid and no 2014 population,
// and one has no indicators.
func tinyInput() map[string][]byte {
	const ind = "code,level,area,households_municipal_population,amenities_running_water,amenities_electricity,amenities_toilet,dwelling_type_basic_or_slum,household_waste_in_the_open,cooking_fuel_firewood,households_people_per_room\n"
	return map[string][]byte{
		fileRegions: []byte("code,name_fr,population_2024\n01,North,84000\n03,South,62000\n"),
		fileProvinces: []byte("code,name_fr,type,region_code,population_2024\n" +
			"01.100,Alpha,province,01,84000\n03.200,Beta,province,03,62000\n"),
		fileCommunes: []byte("code,code_digits,slug,name_fr,type,region_code,province_code,cercle_code,population_2024,households_2024,population_2014,change_pct\n" +
			"01.100.01.01,1,a,Alpha Town,urban,01,01.100,,50000,1,45000,0\n" +
			"01.100.03.01,1,b,Alpha Hills,rural,01,01.100,x,18000,1,20000,0\n" +
			"01.100.03.03,1,c,Alpha Coast,rural,01,01.100,x,16000,1,15000,0\n" +
			"03.200.01.01,1,d,Beta City,urban,03,03.200,,40000,1,38000,0\n" +
			"03.200.03.01,1,e,Beta Plain,rural,03,03.200,x,4000,1,,0\n" +
			"03.200.03.03,1,f,Beta Mountain,rural,03,03.200,x,18000,1,18000,0\n"),
		fileCommuneGeo: []byte("code,lat,lng,area_km2,density_2024\n" +
			"01.100.01.01,35.50,-5.50,30,1\n01.100.03.01,35.80,-5.60,200,1\n01.100.03.03,35.50,-5.95,150,1\n" +
			"03.200.01.01,34.00,-5.00,40,1\n03.200.03.01,,,,\n03.200.03.03,33.60,-4.70,300,1\n"),
		fileFacilities: []byte("osm_type,osm_id,name,name_ar,name_fr,facility_type,sector,lat,lng,operator,beds,emergency,addr_city\n" +
			"way,1,Hôpital Provincial Alpha,,,hospital,unknown,35.501,-5.501,,,,\n" +
			"node,2,Hopital Provincial Alpha,,,hospital,unknown,35.5012,-5.5012,,,,\n" +
			"node,3,Clinique Alpha,,,clinic,unknown,35.502,-5.498,,,,\n" +
			"node,4,Centre de santé Alpha,,,clinic,unknown,35.499,-5.503,,,,\n" +
			"node,5,Dr Beta,,,doctor,unknown,34.001,-5.001,,,,\n" +
			"way,6,Centre hospitalier universitaire Beta,,,hospital,public,34.002,-5.002,,,,\n" +
			"way,7,Centre hospitalier universitaire Alpha,,,hospital,public,35.51,-5.51,,,,\n" +
			"node,8,Hôpital au large,,,hospital,unknown,36.5,-7.5,,,,\n"),
		fileIndicators: []byte(ind +
			"01.100.01.01,commune,total,49000,99,99.5,99,1,2,0.5,1.3\n" +
			"01.100.03.01,commune,total,17500,40,95,90,2,60,20,1.6\n" +
			"01.100.03.03,commune,total,15500,60,93,85,3,70,25,1.7\n" +
			"03.200.01.01,commune,total,39000,98,99,99,4,5,1,1.4\n" +
			"03.200.03.01,commune,total,3900,,,,,,,\n" +
			"03.200.03.03,commune,total,17000,30,90,80,2,80,30,1.8\n" +
			"03.200,province,rural,21000,35,91,82,2,78,28,1.75\n"),
		boundaryFiles["01"]: []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"01.100.01.01"},` +
			`"geometry":{"type":"Polygon","coordinates":[[[-5.56,35.44],[-5.44,35.44],[-5.44,35.56],[-5.56,35.56],[-5.56,35.44]]]}}]}`),
		boundaryFiles["03"]: []byte(`{"type":"FeatureCollection","features":[]}`),
	}
}

func TestGenerateTiny(t *testing.T) {
	in, err := parseInput(tinyInput())
	if err != nil {
		t.Fatal(err)
	}
	files, figs, err := generateFrom(in)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := generateFrom(in)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(files, again); d != "" {
		t.Fatalf("two runs differ:\n%s", d)
	}
	if len(figs) != 2 || figs[0].Population != 84000 || figs[1].Population != 62000 {
		t.Fatalf("figures: %+v", figs)
	}
	for code, dir := range map[string]string{"01": "tanger", "03": "fesmeknes"} {
		fsys := fstest.MapFS{}
		for name, b := range files {
			if strings.HasPrefix(name, dir+string(filepath.Separator)) {
				fsys[strings.TrimPrefix(name, dir+string(filepath.Separator))] = &fstest.MapFile{Data: b}
			}
		}
		r, err := gst.ReadDir(fsys, ".", nil)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if r.ID != code {
			t.Errorf("%s: region ID %q, want %q", dir, r.ID, code)
		}
		checkRegion(t, r, true)
	}
	// North: the two provincial-hospital points are one; the clinic is
	// private; the CHU is kept; every commune has a health centre; the
	// distant rural communes qualify as candidate sites.
	north, err := gst.ReadDir(subFS(files, "tanger"), ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := north.Establishment("osm-node-2"); ok {
		t.Error("the duplicate node of the provincial hospital was kept")
	}
	prov, ok := north.Establishment("osm-way-1")
	if !ok || prov.Level != gst.ProvincialHospital || prov.Beds != bedsProvincialMin {
		t.Errorf("provincial hospital: %+v", prov)
	}
	if cl, ok := north.Establishment("osm-node-3"); !ok || cl.Ownership != gst.Private || len(cl.Staff) != 0 {
		t.Errorf("clinic: %+v", cl)
	}
	var cands []string
	for _, e := range north.Establishments {
		if e.Candidate {
			cands = append(cands, string(e.ID))
		}
	}
	if d := cmp.Diff([]string{"cand-01.100.03.01", "cand-01.100.03.03"}, cands); d != "" {
		t.Errorf("candidates (-want +got):\n%s", d)
	}
	// South has no hospital of its own but the CHU, and its small rural
	// commune's health centre is closable.
	south, err := gst.ReadDir(subFS(files, "fesmeknes"), ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := south.Establishment("syn-essp-03.200.03.01-01"); !ok || !e.Closable {
		t.Errorf("health centre of a commune under 5,000 people should be closable: %+v", e)
	}
	if e, ok := south.Establishment("syn-essp-03.200.03.03-01"); !ok || e.Closable || !e.OffersService(svcDelivery) {
		t.Errorf("the only health centre of a rural commune of 18,000 without a hospital should have a delivery unit: %+v", e)
	}
	// Staff totals follow the national densities.
	tot := staffTotals(84000)
	var gp float64
	for _, e := range north.Establishments {
		gp += e.StaffFTE(catGP)
	}
	if gp != float64(tot[catGP]) {
		t.Errorf("general practitioners %v, want %d", gp, tot[catGP])
	}
	if !bytes.Contains(files["README.md"], []byte("| 84,000 |")) {
		t.Error("README lacks the population of the North region")
	}
}

func subFS(files map[string][]byte, dir string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, b := range files {
		if rest, ok := strings.CutPrefix(name, dir+string(filepath.Separator)); ok {
			fsys[rest] = &fstest.MapFile{Data: b}
		}
	}
	return fsys
}

func TestParseInputErrors(t *testing.T) {
	files := tinyInput()
	files[fileCommunes] = []byte(strings.Replace(string(files[fileCommunes]), ",16000,", ",lots,", 1))
	files[fileCommuneGeo] = []byte(strings.Replace(string(files[fileCommuneGeo]), "03.200.03.03,33.60", "03.200.03.09,33.60", 1))
	files[fileFacilities] = []byte(strings.Replace(string(files[fileFacilities]), "node,3,", "place,3,", 1))
	files[fileProvinces] = []byte(strings.Replace(string(files[fileProvinces]), "population_2024", "pop", 1))
	_, err := parseInput(files)
	if err == nil {
		t.Fatal("no error for broken input")
	}
	if !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("error does not wrap gst.ErrInvalid: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`national/communes.csv:4:9: commune "01.100.03.03": population_2024: not a finite number: "lots"`,
		`national/communes.csv:7:1: commune "03.200.03.03": code: commune 03.200.03.03 has no row in national/commune_geo.csv`,
		`national/health_facilities_osm.csv:4:1: OSM element "place/3": osm_type: want node, way or relation, got "place"`,
		"national/provinces.csv:1: header: population_2024: required column is missing",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

func TestRunErrors(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-in", t.TempDir(), "-out", t.TempDir()}, &out); err == nil || !errors.Is(err, gst.ErrInvalid) || !strings.Contains(err.Error(), "communes.csv") {
		t.Errorf("missing input: got %v", err)
	}
	if err := run([]string{"extra"}, &out); err == nil {
		t.Error("an unexpected argument was accepted")
	}
}

func TestRunWritesFiles(t *testing.T) {
	in := t.TempDir()
	for name, b := range tinyInput() {
		if err := os.MkdirAll(filepath.Join(in, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	// A stale file from an earlier build is removed.
	if err := os.MkdirAll(filepath.Join(out, "tanger"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "tanger", "travel.csv"), []byte("from,to,minutes,km\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if err := run([]string{"-in", in, "-out", out}, &log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "North (01): 84,000 people") {
		t.Errorf("summary: %s", log.String())
	}
	if _, err := os.Stat(filepath.Join(out, "tanger", "travel.csv")); !os.IsNotExist(err) {
		t.Error("stale travel.csv was not removed")
	}
	for _, dir := range []string{"tanger", "fesmeknes"} {
		if _, err := gst.Open(filepath.Join(out, dir), nil); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
	}
}

// FuzzParseInput feeds mangled communes and facilities files to the reader
// and, when it accepts them, to the builder: neither may panic, and an
// error must wrap gst.ErrInvalid.
func FuzzParseInput(f *testing.F) {
	base := tinyInput()
	f.Add(string(base[fileCommunes]), string(base[fileFacilities]))
	f.Add("code\n", "")
	f.Add(strings.Replace(string(base[fileCommunes]), "50000", "-1", 1), string(base[fileFacilities]))
	f.Add(string(base[fileCommunes]), strings.Replace(string(base[fileFacilities]), "01.100.01.01", "03.200.01.01", 1))
	f.Fuzz(func(t *testing.T, communes, facilities string) {
		files := tinyInput()
		files[fileCommunes] = []byte(communes)
		files[fileFacilities] = []byte(facilities)
		in, err := parseInput(files)
		if err != nil {
			if !errors.Is(err, gst.ErrInvalid) {
				t.Fatalf("error does not wrap gst.ErrInvalid: %v", err)
			}
			return
		}
		if _, _, err := generateFrom(in); err != nil && !errors.Is(err, gst.ErrInvalid) {
			t.Fatalf("build error does not wrap gst.ErrInvalid: %v", err)
		}
	})
}

// shuffleRows shuffles the data rows of a CSV file, keeping its header.
func shuffleRows(b []byte, rng *rand.Rand) []byte {
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	rows := lines[1:]
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	return []byte(strings.Join(append([]string{lines[0]}, rows...), "\n") + "\n")
}

func TestGenerateShuffledAndGaps(t *testing.T) {
	in, err := parseInput(tinyInput())
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := generateFrom(in)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(3))
	files := tinyInput()
	for _, f := range []string{fileCommunes, fileCommuneGeo, fileFacilities, fileIndicators, fileProvinces, fileRegions} {
		files[f] = shuffleRows(files[f], rng)
	}
	in2, err := parseInput(files)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := generateFrom(in2)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("shuffled input rows change the output:\n%s", d)
	}

	north, err := gst.ReadDir(subFS(want, "tanger"), ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	town, _ := north.Area("01.100.01.01")
	if len(town.Boundary) != 1 {
		t.Errorf("the town's boundary was not written: %v", town.Boundary)
	}
	if e, ok := north.Establishment("osm-way-1"); !ok || e.Area != "01.100.01.01" {
		t.Errorf("the provincial hospital is not placed in the town whose boundary holds it: %+v", e)
	}
	south, err := gst.ReadDir(subFS(want, "fesmeknes"), ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := south.Area("03.200.03.01")
	// No centroid: the population-weighted mean of the two others.
	wantLat := (40000*34.0 + 18000*33.6) / 58000
	if math.Abs(plain.Lat-wantLat) > 1e-6 || plain.PastYear != 0 || plain.PastPopulation != 0 {
		t.Errorf("gap commune: lat %v (want %v), past %v at %d", plain.Lat, wantLat, plain.PastPopulation, plain.PastYear)
	}
	mountain, _ := south.Area("03.200.03.03")
	city, _ := south.Area("03.200.01.01")
	if !(*mountain.Deprivation > *city.Deprivation) || plain.Deprivation == nil {
		t.Errorf("deprivation: mountain %v, city %v, plain %v", *mountain.Deprivation, *city.Deprivation, plain.Deprivation)
	}
	dec := string(want["osm-decisions.csv"])
	if !strings.Contains(dec, "node/8,Hôpital au large,hospital,,,drop,,,not placed") {
		t.Errorf("the offshore point is not left out:\n%s", dec)
	}
	if !bytes.Contains(want["regions.csv"], []byte("01,North,tanger,84000,3,true")) {
		t.Errorf("regions.csv:\n%s", want["regions.csv"])
	}
}
