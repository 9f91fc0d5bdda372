package gst

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
)

// square returns the closed counter-clockwise ring of a square.
func square(lon0, lat0, side float64) orb.Ring {
	return orb.Ring{{lon0, lat0}, {lon0 + side, lat0}, {lon0 + side, lat0 + side}, {lon0, lat0 + side}, {lon0, lat0}}
}

// geoRegion has two unit squares side by side (a west, b east, b with a
// hole) and a third area without an outline.
func geoRegion() *Region {
	hole := orb.Ring{{1.4, 0.4}, {1.4, 0.6}, {1.6, 0.6}, {1.6, 0.4}, {1.4, 0.4}}
	return &Region{
		ID: "t",
		Areas: []Area{
			{ID: "a", Name: "West", Lat: 0.5, Lon: 0.5, Population: 10, Boundary: orb.MultiPolygon{{square(0, 0, 1)}}},
			{ID: "b", Name: "East", Lat: 0.5, Lon: 1.5, Population: 20, Boundary: orb.MultiPolygon{{square(1, 0, 1), hole}, {square(3, 0, 0.5)}}},
			{ID: "c", Lat: 5, Lon: 5, Population: 30},
		},
		Establishments: []Establishment{
			{ID: "h1", Level: LocalHospital, Lat: 0.5, Lon: 1.2, Area: "a"}, // stands in b
			{ID: "h2", Level: LocalHospital, Lat: 0.5, Lon: 1.5, Area: "c"}, // in b's hole
			{ID: "h3", Level: LocalHospital, Lat: 0.2, Lon: 3.2},            // in b's second polygon
		},
	}
}

func TestBoundariesRoundTrip(t *testing.T) {
	r := geoRegion()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	files, err := EncodeCSV(r)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["areas.geojson"]; !ok {
		t.Fatal("EncodeCSV wrote no areas.geojson")
	}
	fsys := fstest.MapFS{}
	for n, b := range files {
		fsys[n] = &fstest.MapFile{Data: b}
	}
	got, err := ReadDir(fsys, ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.Areas {
		if diff := cmp.Diff(r.Areas[i].Boundary, got.Areas[i].Boundary); diff != "" {
			t.Errorf("area %s boundary (-want +got):\n%s", r.Areas[i].ID, diff)
		}
	}
	again, err := EncodeCSV(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files["areas.geojson"], again["areas.geojson"]) {
		t.Errorf("areas.geojson changed on a round trip:\n%s\n%s", files["areas.geojson"], again["areas.geojson"])
	}
	// A one-polygon outline is written as a Polygon, more as a MultiPolygon.
	lines := strings.Split(string(files["areas.geojson"]), "\n")
	if !strings.Contains(lines[1], `"type":"Polygon"`) || !strings.Contains(lines[2], `"type":"MultiPolygon"`) {
		t.Errorf("geometry types:\n%s", files["areas.geojson"])
	}

	// The JSON form carries the outlines too.
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	j, err := ReadJSON(&b, "r.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r.Areas[1].Boundary, j.Areas[1].Boundary); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}

	// Clone copies the outline.
	c := r.Clone()
	c.Areas[0].Boundary[0][0][0] = orb.Point{9, 9}
	if r.Areas[0].Boundary[0][0][0] == (orb.Point{9, 9}) {
		t.Error("Clone shares the boundary")
	}
}

func TestWriteDirBoundaries(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDir(dir, geoRegion()); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Areas[1].Boundary) != 2 || r.Areas[2].Boundary != nil {
		t.Errorf("boundaries read back: %v, %v", r.Areas[1].Boundary, r.Areas[2].Boundary)
	}
}

func TestBoundariesErrors(t *testing.T) {
	const areas = "id,lat,lon,population\na,0.5,0.5,10\nb,0.5,1.5,20\n"
	cases := []struct {
		name, geojson string
		line          int
		field, want   string
	}{
		{"not closed", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]}`,
			2, "geometry", "is not closed"},
		{"too short", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}}]}`,
			2, "geometry", "at least 4"},
		{"out of range", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,91],[0,0]]]}}]}`,
			2, "geometry", "latitude in [-90, 90]"},
		{"zero area", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[2,0],[0,0]]]}}]}`,
			2, "geometry", "zero area"},
		{"a point", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`,
			2, "geometry", "is a Point"},
		{"no id", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`,
			3, "id", "non-empty string"},
		{"id twice", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`,
			3, "id", "already has a feature (line 2)"},
		{"unknown area", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},

{"type":"Feature","properties":{"id":"zz"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`,
			4, "id", `unknown area "zz": not in areas.csv`},
		{"not a collection", `{"type":"Feature","properties":{"id":"a"},"geometry":null}`, 1, "", "must be a GeoJSON FeatureCollection"},
		{"syntax", "{\"type\":\"FeatureCollection\",\n\"features\":[{]}", 2, "", "invalid character"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{"reg/areas.csv": {Data: []byte(areas)}, "reg/areas.geojson": {Data: []byte(c.geojson)}}
			_, err := ReadDir(fsys, "reg", nil)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %T, want a *ValidationError", err)
			}
			if ve.File != "reg/areas.geojson" || ve.Line != c.line || ve.Field != c.field || !strings.Contains(ve.Error(), c.want) {
				t.Errorf("got %q (file %q, line %d, field %q); want line %d, field %q, containing %q", ve.Error(), ve.File, ve.Line, ve.Field, c.line, c.field, c.want)
			}
		})
	}
}

func TestValidateBoundary(t *testing.T) {
	r := geoRegion()
	r.Areas[0].Boundary = orb.MultiPolygon{{orb.Ring{{0, 0}, {1, 0}, {1, 1}}}}
	err := r.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Where != `area "a" boundary` || ve.Field != "geometry" {
		t.Errorf("Validate = %v, want a problem with area \"a\" boundary", err)
	}
}

func TestAreaAtAndPlace(t *testing.T) {
	r := geoRegion()
	for _, c := range []struct {
		lat, lon float64
		want     AreaID
		ok       bool
	}{
		{0.5, 0.5, "a", true},
		{0.5, 1.2, "b", true},
		{0.5, 1.5, "", false}, // in b's hole
		{0.5, 1.0, "a", true}, // on the shared edge: the lower ID
		{0.2, 3.2, "b", true}, // b's second polygon
		{5, 5, "", false},     // c has no outline
	} {
		got, ok := r.AreaAt(c.lat, c.lon)
		if got != c.want || ok != c.ok {
			t.Errorf("AreaAt(%v, %v) = %q, %v; want %q, %v", c.lat, c.lon, got, ok, c.want, c.ok)
		}
	}
	r.Areas[1].Province = "p"
	moved := r.PlaceEstablishments()
	if diff := cmp.Diff([]EstablishmentID{"h1", "h3"}, moved); diff != "" {
		t.Errorf("moved (-want +got):\n%s", diff)
	}
	want := []struct {
		area AreaID
		prov ProvinceID
	}{{"b", "p"}, {"c", ""}, {"b", "p"}}
	for i, w := range want {
		e := r.Establishments[i]
		if e.Area != w.area || e.Province != w.prov {
			t.Errorf("%s: area %q province %q, want %q %q", e.ID, e.Area, e.Province, w.area, w.prov)
		}
	}
}

func TestReadBoundariesFromDisk(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "areas.csv"), []byte("id,lat,lon,population\na,0.5,0.5,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "areas.geojson"), []byte(`{"type":"FeatureCollection","features":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Areas[0].Boundary != nil {
		t.Error("an empty collection gave a boundary")
	}
}

func FuzzDecodeBoundaries(f *testing.F) {
	b, _ := EncodeBoundaries(geoRegion())
	f.Add(b)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0]]]}}]}`))
	f.Add([]byte(`{"features":[1,"x",null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		bs, err := DecodeBoundaries(data, "f.geojson")
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		for id, mp := range bs {
			var p Problems
			checkBoundary(&p, string(id), mp)
			if p.Len() > 0 {
				t.Fatalf("accepted a bad outline: %v", p.Err())
			}
		}
	})
}

// A region whose two communes have outlines: AreaAt finds the commune a
// hospital stands in, and EncodeBoundaries writes areas.geojson.
func ExampleRegion_AreaAt() {
	r := &Region{Areas: []Area{
		{ID: "west", Lat: 0.5, Lon: 0.5, Population: 100, Boundary: orb.MultiPolygon{{square(0, 0, 1)}}},
		{ID: "east", Lat: 0.5, Lon: 1.5, Population: 200, Boundary: orb.MultiPolygon{{square(1, 0, 1)}}},
	}}
	id, ok := r.AreaAt(0.5, 1.2)
	fmt.Println(id, ok)
	b, _ := EncodeBoundaries(r)
	fmt.Print(strings.SplitN(string(b), "\n", 3)[1][:60], "…\n")
	// Output:
	// east true
	// {"type":"Feature","geometry":{"type":"Polygon","coordinates"…
}
