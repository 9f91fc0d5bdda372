package pilot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/examples/internal/figures"
	"github.com/gstplan/gst/examples/internal/report"
	"github.com/gstplan/gst/internal/geolayer"
)

// Files lists the files WriteOutputs writes, relative to the output folder.
type Files struct {
	Report     string   `json:"report"`
	Plan       string   `json:"plan"`
	Programme  string   `json:"programme,omitempty"`
	Sites      string   `json:"sites"`
	Areas      string   `json:"areas"`
	Assignment string   `json:"assignment"`
	Maps       []string `json:"maps"`
	Charts     []string `json:"charts"`
	// Tables are the CSV files beside the tables of the report.
	Tables []string `json:"tables"`
}

// FileNames returns the names of the files WriteOutputs writes, relative
// to the output folder.
func (res *Result) FileNames() *Files {
	f := &Files{Report: "report.md", Plan: "plan.json", Sites: "sites.geojson", Areas: "areas.geojson", Assignment: "assignment.geojson"}
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
	doc := res.reportDoc(f)
	for _, t := range doc.Tables() {
		if err := writeFile(dir, t.Name, func(w io.Writer) error { return t.Table.Write(w, report.English) }); err != nil {
			return nil, err
		}
		f.Tables = append(f.Tables, t.Name)
	}
	for _, out := range []struct {
		name string
		fn   func(io.Writer) error
	}{
		{f.Plan, res.WritePlanJSON},
		{f.Sites, res.WriteSitesGeoJSON},
		{f.Areas, res.WriteAreasGeoJSON},
		{f.Assignment, res.WriteAssignmentGeoJSON},
		{f.Report, func(w io.Writer) error { _, err := doc.WriteTo(w); return err }},
	} {
		if err := writeFile(dir, out.name, out.fn); err != nil {
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

// The GeoJSON layers (RFC 7946, coordinates [longitude, latitude]), each
// of one geometry type with flat properties (internal/geolayer), so that
// a GIS reads each as one layer with one attribute table.

// WriteSitesGeoJSON writes every public establishment and candidate site
// as a Point with its names, level, source and, for each decision, what
// the decision does to it (property change_<decision>, empty when the
// site is not part of it).
func (res *Result) WriteSitesGeoJSON(w io.Writer) error {
	r := res.Projected
	change := map[gst.EstablishmentID]map[string]string{}
	for _, d := range res.Decisions {
		if d.Plan == nil {
			continue
		}
		for _, s := range d.Plan.Sites {
			if change[s.Site] == nil {
				change[s.Site] = map[string]string{}
			}
			change[s.Site][d.Spec.ID] = s.Change.String()
		}
	}
	var fs []*geojson.Feature
	for _, e := range r.Establishments {
		if e.Ownership != gst.Public && !e.Candidate {
			continue
		}
		var svcs []string
		for _, o := range e.Offers {
			svcs = append(svcs, string(o.Service))
		}
		ref := Ref(r, e.ID)
		f := geojson.NewFeature(geolayer.Point(e.Lat, e.Lon))
		f.Properties = geojson.Properties{"id": string(e.ID), "name": e.Name, "level": e.Level.String(), "province": string(e.Province),
			"province_name": ref.Province, "area": string(e.Area), "commune": ref.Commune, "beds": geolayer.Num(e.Beds, 0),
			"candidate": e.Candidate, "source": e.Source, "services": strings.Join(svcs, ",")}
		for _, d := range res.Decisions {
			if d.Plan != nil {
				f.Properties["change_"+d.Spec.ID] = change[e.ID][d.Spec.ID]
			}
		}
		fs = append(fs, f)
	}
	return geolayer.Write(w, fs)
}

// WriteAreasGeoJSON writes every commune, as its outline when every
// commune has one and as its point otherwise, with its population, its
// share in the most-deprived 20% and, for the service each decision maps,
// the one-way minutes today and with the plan (<decision>_minutes_today,
// <decision>_minutes_plan; null when not served).
func (res *Result) WriteAreasGeoJSON(w io.Writer) error {
	r := res.After
	outlines := len(r.Areas) > 0
	for _, a := range r.Areas {
		outlines = outlines && len(a.Boundary) > 0
	}
	deprived, err := gst.MostDeprived(r.Areas, 0.2)
	if err != nil {
		return err
	}
	type travel struct {
		id          string
		today, plan []float64
	}
	var ts []travel
	for _, d := range res.Decisions {
		if d.Plan == nil {
			continue
		}
		svc := d.Spec.MapService
		ts = append(ts, travel{d.Spec.ID, AreaMinutes(r, res.Travel, res.Before, svc), AreaMinutes(r, res.Travel, res.AfterAsg, svc)})
	}
	var fs []*geojson.Feature
	for i, a := range r.Areas {
		var g orb.Geometry = geolayer.Point(a.Lat, a.Lon)
		if outlines {
			g = a.Boundary
		}
		f := geojson.NewFeature(g)
		dep := any(nil)
		if a.Deprivation != nil {
			dep = geolayer.Num(*a.Deprivation, 4)
		}
		f.Properties = geojson.Properties{"id": string(a.ID), "name": a.Name, "province": string(a.Province), "province_name": provinceName(r, a.Province),
			"population": geolayer.Num(a.Population, 0), "urban": a.Urban, "deprivation": dep, "most_deprived_share": geolayer.Num(deprived[i], 4)}
		for _, t := range ts {
			f.Properties[t.id+"_minutes_today"] = geolayer.Num(t.today[i], 1)
			f.Properties[t.id+"_minutes_plan"] = geolayer.Num(t.plan[i], 1)
		}
		fs = append(fs, f)
	}
	return geolayer.Write(w, fs)
}

// WriteAssignmentGeoJSON writes, for the service each decision maps, a
// LineString from each commune to each site serving it today and with
// the plan, with the share and the one-way minutes and kilometres.
func (res *Result) WriteAssignmentGeoJSON(w io.Writer) error {
	r := res.After
	var fs []*geojson.Feature
	for _, d := range res.Decisions {
		if d.Plan == nil {
			continue
		}
		svc := d.Spec.MapService
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
					f := geojson.NewFeature(geolayer.Line(a.Lat, a.Lon, e.Lat, e.Lon))
					f.Properties = geojson.Properties{"decision": d.Spec.ID, "plan": pl.name, "service": string(svc),
						"area": string(a.ID), "area_name": a.Name, "site": string(e.ID), "site_name": e.Name,
						"share": geolayer.Num(al.Share, 6), "minutes": geolayer.Num(leg.Minutes, 1), "km": geolayer.Num(leg.Km, 1)}
					fs = append(fs, f)
				}
			}
		}
	}
	return geolayer.Write(w, fs)
}
