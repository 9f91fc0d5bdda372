package pilot

import (
	"context"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

func TestTravelOnRoads(t *testing.T) {
	r, err := gst.Open("../../quickstart/ifrane", nil)
	if err != nil {
		t.Fatal(err)
	}
	var progress strings.Builder
	res := &Result{Config: Config{Roads: "../../data/roads/ifrane.osm", Progress: &progress}, Projected: r}
	if err := res.travel(context.Background()); err != nil {
		t.Fatal(err)
	}
	if res.Travel.Reachable() != len(r.Areas)*len(r.Establishments) {
		t.Errorf("%d of %d legs reachable", res.Travel.Reachable(), len(r.Areas)*len(r.Establishments))
	}
	n := len(r.Establishments)
	if res.EstTravel == nil || res.EstTravel.Reachable() != n*n {
		t.Fatalf("travel between establishments: %v", res.EstTravel)
	}
	// Two establishments at the very same place (the health centre and the
	// commune centroid of Aïn Leuh are one point) are 0 minutes apart; the
	// legs between establishments are symmetric only where no one-way
	// street is on the way.
	l, ok := res.EstTravel.Lookup("hc-ainleuh", "hc-ainleuh")
	if !ok || l != (gst.Leg{}) {
		t.Errorf("hc-ainleuh to itself: %+v", l)
	}
	src := res.TravelSource
	if src.Kind != "roads" || src.File != "ifrane.osm" || src.Snap.Points != 16 || src.Snap.Far != 1 || len(src.Warnings) != 1 {
		t.Errorf("source %+v", src)
	}
	for _, want := range []string{"roads of `ifrane.osm`", "on foot at 5 km/h", "16 of 16 joined", "farther than 2 km from the roads: 1"} {
		if !strings.Contains(src.Method(), want) {
			t.Errorf("method lacks %q: %s", want, src.Method())
		}
	}
	if !strings.Contains(progress.String(), `warning: origin "03.271.03.05"`) {
		t.Errorf("progress lacks the far snap:\n%s", progress.String())
	}

	// Without Roads: the estimator, and no legs between establishments.
	est := &Result{Config: Config{Circuity: 1.4}, Projected: r, Estimator: &gst.Estimator{Circuity: 1.4}}
	if err := est.travel(context.Background()); err != nil {
		t.Fatal(err)
	}
	if est.TravelSource.Kind != "estimate" || est.EstTravel != nil || !strings.Contains(est.TravelSource.Method(), "× 1.4 (circuity; raised from the default 1.3") {
		t.Errorf("estimate: %+v, %s", est.TravelSource, est.TravelSource.Method())
	}
	bad := &Result{Config: Config{Roads: "../../data/roads/no-such.osm"}, Projected: r}
	if err := bad.travel(context.Background()); err == nil || !strings.Contains(err.Error(), "no-such.osm") {
		t.Errorf("missing extract: %v", err)
	}
}

// TestMainRoadsFlag checks that -roads reaches the pipeline: an extract
// that does not cover the region stops the run with the reader's error.
func TestMainRoadsFlag(t *testing.T) {
	var stdout, stderr strings.Builder
	code := Main("tanger", "tanger", []string{"-region", "../../data/tanger", "-short", "-q", "-out", t.TempDir(),
		"-roads", "../../data/roads/ifrane.osm"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "ifrane.osm: no road to drive (inside the cut)") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
