package pilot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/examples/internal/figures"
)

// Files lists the files WriteOutputs writes, relative to the output folder.
type Files struct {
	Report     string   `json:"report"`
	Plan       string   `json:"plan"`
	Programme  string   `json:"programme,omitempty"`
	Sites      string   `json:"sites"`
	Assignment string   `json:"assignment"`
	Maps       []string `json:"maps"`
	Charts     []string `json:"charts"`
}

// FileNames returns the names of the files WriteOutputs writes, relative
// to the output folder.
func (res *Result) FileNames() *Files {
	f := &Files{Report: "report.md", Plan: "plan.json", Sites: "sites.geojson", Assignment: "assignment.geojson"}
	for _, d := range res.Decisions {
		if d.Plan == nil {
			continue
		}
		f.Maps = append(f.Maps, "map-"+d.Spec.ID+".svg", "map-"+d.Spec.ID+".png")
		f.Charts = append(f.Charts, "travel-"+d.Spec.ID+".svg", "travel-"+d.Spec.ID+".png")
	}
	f.Charts = append(f.Charts, "staff-gaps.svg", "staff-gaps.png")
	if res.Pooling.Available {
		f.Charts = append(f.Charts, "staff-pooling.svg", "staff-pooling.png")
	}
	if res.Programme.Available {
		f.Programme = "programme.json"
		f.Charts = append(f.Charts, "programme.svg", "programme.png")
	}
	return f
}

// WritePlanJSON writes every figure of the run as indented JSON.
func (res *Result) WritePlanJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// WriteOutputs writes the report, the plan as JSON, the GeoJSON of sites and
// assignments, the maps and the charts into dir (created when needed), and
// returns the file names relative to dir.
func (res *Result) WriteOutputs(dir string) (*Files, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f := res.FileNames()
	for _, d := range res.Decisions {
		if d.Plan == nil {
			continue
		}
		m := TravelMap(res.After, res.Travel, res.Before, res.AfterAsg, d, fmt.Sprintf("%s: %s", res.Region.Name, d.Spec.Title))
		if _, err := figures.Save(dir, "map-"+d.Spec.ID, m); err != nil {
			return nil, err
		}
		ch, err := res.TravelChart(d)
		if err != nil {
			return nil, err
		}
		if _, err := figures.Save(dir, "travel-"+d.Spec.ID, ch); err != nil {
			return nil, err
		}
	}
	gc, err := res.GapChart()
	if err != nil {
		return nil, err
	}
	if _, err := figures.Save(dir, "staff-gaps", gc); err != nil {
		return nil, err
	}
	if res.Pooling.Available {
		pc, err := res.PoolChart()
		if err != nil {
			return nil, err
		}
		if _, err := figures.Save(dir, "staff-pooling", pc); err != nil {
			return nil, err
		}
	}
	if res.Programme.Available {
		pc, err := res.ProgrammeChart()
		if err != nil {
			return nil, err
		}
		if _, err := figures.Save(dir, "programme", pc); err != nil {
			return nil, err
		}
		if err := writeFile(dir, f.Programme, res.WriteProgrammeJSON); err != nil {
			return nil, err
		}
	}
	write := func(name string, fn func(io.Writer) error) error {
		var b bytes.Buffer
		if err := fn(&b); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644)
	}
	for _, out := range []struct {
		name string
		fn   func(io.Writer) error
	}{
		{f.Plan, res.WritePlanJSON},
		{f.Sites, res.WriteSitesGeoJSON},
		{f.Assignment, res.WriteAssignmentGeoJSON},
		{f.Report, func(w io.Writer) error { return res.WriteReport(w, f) }},
	} {
		if err := write(out.name, out.fn); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// writeFile writes what fn writes into dir/name.
func writeFile(dir, name string, fn func(io.Writer) error) error {
	var b bytes.Buffer
	if err := fn(&b); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644)
}

// WriteProgrammeJSON writes the phased programme as indented JSON: status,
// value, bound, gap, the sequential plan's value and every year.
func (res *Result) WriteProgrammeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res.Programme.Plan)
}

// GeoJSON (RFC 7946): coordinates [longitude, latitude], WGS84.

type geoFC struct {
	Type     string       `json:"type"`
	Features []geoFeature `json:"features"`
}

type geoFeature struct {
	Type       string         `json:"type"`
	Geometry   geoGeometry    `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type geoGeometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

func lonLat(lat, lon float64) [2]float64 {
	return [2]float64{math.Round(lon*1e6) / 1e6, math.Round(lat*1e6) / 1e6}
}

func writeFC(w io.Writer, fc geoFC) error {
	if fc.Features == nil {
		fc.Features = []geoFeature{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(fc)
}

// WriteSitesGeoJSON writes every public establishment and candidate site as
// a Point with its level, source and what each decision does to it.
func (res *Result) WriteSitesGeoJSON(w io.Writer) error {
	r := res.Projected
	change := map[gst.EstablishmentID]map[string]any{}
	for _, d := range res.Decisions {
		if d.Plan == nil {
			continue
		}
		for _, s := range d.Plan.Sites {
			if change[s.Site] == nil {
				change[s.Site] = map[string]any{}
			}
			change[s.Site][d.Spec.ID] = s.Change.String()
		}
	}
	fc := geoFC{Type: "FeatureCollection"}
	for _, e := range r.Establishments {
		if e.Ownership != gst.Public && !e.Candidate {
			continue
		}
		var svcs []string
		for _, o := range e.Offers {
			svcs = append(svcs, string(o.Service))
		}
		props := map[string]any{
			"id": e.ID, "name": e.Name, "level": e.Level.String(), "province": e.Province, "area": e.Area,
			"beds": e.Beds, "candidate": e.Candidate, "source": e.Source, "services": svcs,
		}
		if ch, ok := change[e.ID]; ok {
			props["decisions"] = ch
		}
		fc.Features = append(fc.Features, geoFeature{Type: "Feature", Geometry: geoGeometry{Type: "Point", Coordinates: lonLat(e.Lat, e.Lon)}, Properties: props})
	}
	return writeFC(w, fc)
}

// WriteAssignmentGeoJSON writes, for the service each decision maps, a
// Point per commune with its travel today and with the plan, and a
// LineString from each commune to the site serving it today and with the
// plan.
func (res *Result) WriteAssignmentGeoJSON(w io.Writer) error {
	r := res.After
	fc := geoFC{Type: "FeatureCollection"}
	for _, d := range res.Decisions {
		if d.Plan == nil {
			continue
		}
		svc := d.Spec.MapService
		tb := AreaMinutes(r, res.Travel, res.Before, svc)
		ta := AreaMinutes(r, res.Travel, res.AfterAsg, svc)
		for i, a := range r.Areas {
			props := map[string]any{"kind": "area", "decision": d.Spec.ID, "service": svc, "area": a.ID, "name": a.Name,
				"province": a.Province, "population": math.Round(a.Population), "minutes_today": jsonNum(tb[i]), "minutes_plan": jsonNum(ta[i])}
			fc.Features = append(fc.Features, geoFeature{Type: "Feature", Geometry: geoGeometry{Type: "Point", Coordinates: lonLat(a.Lat, a.Lon)}, Properties: props})
		}
		for _, pl := range []struct {
			name string
			asg  *gst.Assignment
		}{{"today", res.Before}, {"plan", res.AfterAsg}} {
			for _, a := range r.Areas {
				for _, al := range pl.asg.For(a.ID, svc) {
					e, ok := r.Establishment(al.Establishment)
					if !ok {
						continue
					}
					leg, _ := res.Travel.Lookup(string(a.ID), string(e.ID))
					props := map[string]any{"kind": "assignment", "decision": d.Spec.ID, "plan": pl.name, "service": svc,
						"area": a.ID, "site": e.ID, "share": al.Share, "minutes": round(leg.Minutes, 0.1), "km": round(leg.Km, 0.1)}
					fc.Features = append(fc.Features, geoFeature{Type: "Feature",
						Geometry:   geoGeometry{Type: "LineString", Coordinates: [][2]float64{lonLat(a.Lat, a.Lon), lonLat(e.Lat, e.Lon)}},
						Properties: props})
				}
			}
		}
	}
	return writeFC(w, fc)
}

// jsonNum returns nil for NaN (JSON has no NaN), else v rounded to 0.1.
func jsonNum(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return round(v, 0.1)
}
