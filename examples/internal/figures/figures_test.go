package figures

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gstplan/gst"
	"gonum.org/v1/plot/vg"
)

func TestShares(t *testing.T) {
	nan := math.NaN()
	got := Shares([]float64{1, 1, 2, 4, 2}, []float64{5, 15, 59.9, 200, nan})
	// Classes: <15, 15–30, 30–45, 45–60, 60–90, 90–120, 120+, not served.
	want := []float64{10, 10, 0, 20, 0, 0, 40, 20}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("Shares (-want +got):\n%s", diff)
	}
}

func TestTravelColour(t *testing.T) {
	if TravelColour(0) != travelColours[0] || TravelColour(15) != travelColours[1] || TravelColour(1e6) != travelColours[len(Breaks)] || TravelColour(math.NaN()) != notServed {
		t.Error("travel classes do not follow Breaks")
	}
}

func sampleMap() *TravelMap {
	m := &TravelMap{Title: "Test region", Subtitle: "A test", Quantity: "One-way travel (minutes)", Standard: 60,
		ProvinceNames: map[string]string{"p1": "North", "p2": "South"}, Notes: []string{"© OpenStreetMap contributors"}}
	for i := 0; i < 30; i++ {
		lat := 34 + 0.05*float64(i%6)
		lon := -5 + 0.07*float64(i/6)
		prov := "p1"
		if i%6 >= 3 {
			prov = "p2"
		}
		m.Areas = append(m.Areas, MapArea{Lat: lat, Lon: lon, Province: prov, Population: float64(1000 + i)})
	}
	for k, st := range []SiteState{Existing, Opened} {
		p := Panel{Title: "panel"}
		for i := range m.Areas {
			p.Minutes = append(p.Minutes, float64(i*4+k))
			p.Lines = append(p.Lines, [2]int{i, i % 2})
		}
		p.Minutes[3] = math.NaN()
		p.Sites = []MapSite{{Lat: 34.1, Lon: -4.9, Level: gst.ProvincialHospital}, {Lat: 34.2, Lon: -4.8, Level: gst.LocalHospital, State: st, Label: "New site"}}
		m.Panels = append(m.Panels, p)
	}
	return m
}

// TestPictures draws a map and the charts as SVG and PNG, twice, and checks
// the files are valid and identical.
func TestPictures(t *testing.T) {
	dist := &Distribution{Title: "t", Unit: "births", Weights: []float64{1, 2, 3}, Before: []float64{10, 70, 130}, After: []float64{10, 40, 100}, Standard: 60, Note: "note"}
	gaps := &Bars{Title: "g", XLabel: "%", Groups: []string{"North", "South"}, Series: []Series{{Name: "Midwife", Values: []float64{80, math.NaN()}}, {Name: "Nurse", Values: []float64{120, 95}}}, Ref: 100, RefLabel: "need"}
	pics := map[string]func() (Picture, error){
		"map":  func() (Picture, error) { return sampleMap(), nil },
		"dist": dist.Chart,
		"gaps": gaps.Chart,
	}
	for name, mk := range pics {
		var svgs, pngs [2][]byte
		var w, h vg.Length
		for k := range 2 {
			p, err := mk()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var s, g bytes.Buffer
			if err := WriteSVG(&s, p); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := WritePNG(&g, p); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			svgs[k], pngs[k] = s.Bytes(), g.Bytes()
			w, h = p.Size()
		}
		if !bytes.Equal(svgs[0], svgs[1]) || !bytes.Equal(pngs[0], pngs[1]) {
			t.Errorf("%s: two drawings differ", name)
		}
		if !bytes.Contains(svgs[0], []byte("<svg")) || !strings.Contains(string(svgs[0]), "Arial") {
			t.Errorf("%s: SVG without the font fallback", name)
		}
		img, err := png.Decode(bytes.NewReader(pngs[0]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); math.Abs(float64(b.Dx())-w.Dots(DPI)) > 1 || math.Abs(float64(b.Dy())-h.Dots(DPI)) > 1 {
			t.Errorf("%s: PNG %v, want %v × %v dots", name, b, w.Dots(DPI), h.Dots(DPI))
		}
	}
}

func TestTimeline(t *testing.T) {
	tl := &Timeline{Title: "A programme", Years: []int{2026, 2027, 2028},
		Spend:  []Series{{Name: "capital", Values: []float64{5e6, 0, 2e6}}, {Name: "running", Values: []float64{1e6, 1.5e6, 2e6}}},
		Budget: []float64{8e6, math.NaN(), 9e6},
		Unmet:  []Series{{Name: "dialysis", Values: []float64{0.7, 0.6, 0.5}}}}
	pic, err := tl.Chart()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WritePNG(&b, pic); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	// Not blank: many distinct colours (bars, lines, text).
	seen := map[color.RGBA]bool{}
	bb := img.Bounds()
	for y := bb.Min.Y; y < bb.Max.Y; y += 3 {
		for x := bb.Min.X; x < bb.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}] = true
		}
	}
	if len(seen) < 8 {
		t.Errorf("the timeline PNG has only %d colours: blank?", len(seen))
	}
}
