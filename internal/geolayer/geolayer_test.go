package geolayer

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func TestWrite(t *testing.T) {
	a := geojson.NewFeature(Point(34, -5))
	a.Properties["minutes"] = Num(30.700000000000003, 1)
	a.Properties["name"] = "مستشفى الغساني"
	a.Properties["gone"] = Num(0/zero(), 1)
	b := geojson.NewFeature(Point(34.5, -5.5))
	var sb strings.Builder
	if err := Write(&sb, []*geojson.Feature{a, b}); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	var fc geojson.FeatureCollection
	if err := json.Unmarshal([]byte(out), &fc); err != nil || len(fc.Features) != 2 {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.Contains(out, `"minutes":30.7`) || !strings.Contains(out, `"gone":null`) || !strings.Contains(out, "مستشفى الغساني") ||
		!strings.Contains(out, `"coordinates":[-5,34]`) || strings.Count(out, "\n") != 4 {
		t.Errorf("output:\n%s", out)
	}
	c := geojson.NewFeature(Line(34, -5, 34.5, -5.5))
	if err := Write(&sb, []*geojson.Feature{a, c}); err == nil {
		t.Error("a layer of points and lines was written")
	}
	a.Properties["nested"] = map[string]any{"x": 1}
	if err := Write(&sb, []*geojson.Feature{a}); err == nil {
		t.Error("a nested property was written")
	}
	p := geojson.NewFeature(orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}})
	m := geojson.NewFeature(orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}})
	if err := Write(&sb, []*geojson.Feature{p, m}); err != nil {
		t.Errorf("polygons and multipolygons: %v", err)
	}
}

func zero() float64 { return 0 }
