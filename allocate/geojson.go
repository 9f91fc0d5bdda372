package allocate

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/enumtext"
	"github.com/gstplan/gst/internal/geolayer"
)

// GeoLayer is one GeoJSON layer of a plan. Each layer holds one geometry
// type with flat properties, so that GIS tools (QGIS, ArcGIS, web maps)
// read it as one layer with one attribute table.
type GeoLayer int

// The layers of a plan.
const (
	// GeoSites is a Point per site, sorted by ID, with the properties
	// site, name, province, candidate, today and open (booleans), change
	// ("stays", "opens", "closes", "stays closed"), rule, cost_mad (the
	// opening or closing cost of the change) and services (the IDs of the
	// services it is eligible for, comma-separated).
	GeoSites GeoLayer = iota + 1
	// GeoAreas is a feature per area with demand, sorted by ID: its
	// outline (a MultiPolygon) when every such area has one, else its
	// demand point. Properties: area, name, province, population, and for
	// each service s of the problem s_demand (its volume), s_served_today
	// and s_served_plan (the shares served), and s_<metric>_today and
	// s_<metric>_plan (the travel to the sites serving it, share-weighted,
	// in the plan's metric: s_minutes_today or s_km_today; null when not
	// served).
	GeoAreas
	// GeoAssignment is a LineString from each area to each site serving
	// it, today (Plan.Today) and in the plan, sorted by plan, area,
	// service and site, with the properties plan ("today" or "plan"),
	// area, area_name, service, site, site_name, share and the travel in
	// the plan's metric (minutes or km).
	GeoAssignment
)

var geoLayerNames = [...]string{GeoSites: "sites", GeoAreas: "areas", GeoAssignment: "assignment"}

// String returns "sites", "areas" or "assignment".
func (l GeoLayer) String() string {
	if l > 0 && int(l) < len(geoLayerNames) {
		return geoLayerNames[l]
	}
	return fmt.Sprintf("GeoLayer(%d)", int(l))
}

// MarshalText encodes the layer as its String form.
func (l GeoLayer) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText decodes a layer from its String form, in any case.
func (l *GeoLayer) UnmarshalText(b []byte) error {
	i, ok := enumtext.Parse(b, geoLayerNames[:], nil)
	if !ok {
		return fmt.Errorf("allocate: %w: unknown GeoJSON layer %q (want sites, areas or assignment)", gst.ErrInvalid, b)
	}
	*l = GeoLayer(i)
	return nil
}

// geoData is what the GeoJSON needs beyond the exported fields of a Plan.
type geoData struct {
	areas []geoArea
	// services lists the IDs of the problem's services, sorted.
	services []gst.ServiceID
	// travel of each row of Assignment and Today, in their order.
	travel, travelToday []float64
}

// geoArea is an area with demand, as the layers show it.
type geoArea struct {
	area
	name     string
	boundary orb.MultiPolygon
	demand   map[gst.ServiceID]float64
}

// GeoJSON returns one layer of the plan as GeoJSON (see WriteGeoJSON).
func (p *Plan) GeoJSON(layer GeoLayer) ([]byte, error) {
	var b bytes.Buffer
	if err := p.WriteGeoJSON(&b, layer); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteGeoJSON writes one layer of the plan as a GeoJSON FeatureCollection
// (RFC 7946, coordinates [longitude, latitude]) of one geometry type with
// flat properties, one feature a line (see GeoLayer for each layer's
// features and properties). Travel is rounded to 0.1 of its unit and
// shares to 1e-6. The output is deterministic.
func (p *Plan) WriteGeoJSON(w io.Writer, layer GeoLayer) error {
	if p == nil || p.geo == nil {
		return fmt.Errorf("allocate: %w: GeoJSON needs a plan returned by Locate", gst.ErrInvalid)
	}
	var fs []*geojson.Feature
	switch layer {
	case GeoSites:
		fs = p.siteFeatures()
	case GeoAreas:
		fs = p.areaFeatures()
	case GeoAssignment:
		fs = p.lineFeatures()
	default:
		return fmt.Errorf("allocate: %w: unknown GeoJSON layer %d (want GeoSites, GeoAreas or GeoAssignment)", gst.ErrInvalid, int(layer))
	}
	return geolayer.Write(w, fs)
}

func (p *Plan) siteFeatures() []*geojson.Feature {
	var fs []*geojson.Feature
	for _, s := range p.Sites {
		f := geojson.NewFeature(geolayer.Point(s.Lat, s.Lon))
		svcs := make([]string, len(s.Services))
		for i, id := range s.Services {
			svcs[i] = string(id)
		}
		f.Properties = geojson.Properties{"site": string(s.Site), "name": s.Name, "province": string(s.Province),
			"candidate": s.Candidate, "today": s.Today, "open": s.Open, "change": s.Change.String(), "rule": s.Rule,
			"cost_mad": geolayer.Num(s.Cost, 0), "services": strings.Join(svcs, ",")}
		fs = append(fs, f)
	}
	return fs
}

func (p *Plan) areaFeatures() []*geojson.Feature {
	g := p.geo
	outlines := len(g.areas) > 0
	for _, a := range g.areas {
		outlines = outlines && len(a.boundary) > 0
	}
	metric := p.Metric.String()
	var fs []*geojson.Feature
	for _, a := range g.areas {
		var geom orb.Geometry = geolayer.Point(a.lat, a.lon)
		if outlines {
			geom = a.boundary
		}
		f := geojson.NewFeature(geom)
		f.Properties = geojson.Properties{"area": string(a.id), "name": a.name, "province": string(a.province),
			"population": geolayer.Num(a.population, 0)}
		for _, s := range g.services {
			v, ok := a.demand[s]
			if !ok {
				continue
			}
			f.Properties[string(s)+"_demand"] = geolayer.Num(v, 2)
			for _, x := range []struct {
				when   string
				asg    *gst.Assignment
				travel []float64
			}{{"today", p.Today, g.travelToday}, {"plan", p.Assignment, g.travel}} {
				served, t := geoServed(x.asg, x.travel, a.id, s)
				f.Properties[string(s)+"_served_"+x.when] = geolayer.Num(served, 6)
				f.Properties[string(s)+"_"+metric+"_"+x.when] = geolayer.Num(t, 1)
			}
		}
		fs = append(fs, f)
	}
	return fs
}

// geoServed returns the share of an area's demand for a service that an
// assignment serves and its share-weighted travel (NaN when none).
func geoServed(asg *gst.Assignment, travel []float64, a gst.AreaID, s gst.ServiceID) (float64, float64) {
	rows := asg.Rows()
	i := sort.Search(len(rows), func(i int) bool {
		return rows[i].Area > a || rows[i].Area == a && rows[i].Service >= s
	})
	served, sum := 0.0, 0.0
	for ; i < len(rows) && rows[i].Area == a && rows[i].Service == s; i++ {
		served += rows[i].Share
		sum += rows[i].Share * travel[i]
	}
	if served == 0 {
		return 0, math.NaN()
	}
	return served, sum / served
}

func (p *Plan) lineFeatures() []*geojson.Feature {
	g := p.geo
	apos := map[gst.AreaID]orb.Point{}
	for _, a := range g.areas {
		apos[a.id] = geolayer.Point(a.lat, a.lon)
	}
	aname := map[gst.AreaID]string{}
	for _, a := range g.areas {
		aname[a.id] = a.name
	}
	spos := map[gst.EstablishmentID]orb.Point{}
	sname := map[gst.EstablishmentID]string{}
	for _, s := range p.Sites {
		spos[s.Site], sname[s.Site] = geolayer.Point(s.Lat, s.Lon), s.Name
	}
	metric := p.Metric.String()
	var fs []*geojson.Feature
	for _, x := range []struct {
		when   string
		asg    *gst.Assignment
		travel []float64
	}{{"today", p.Today, g.travelToday}, {"plan", p.Assignment, g.travel}} {
		for i, row := range x.asg.Rows() {
			f := geojson.NewFeature(orb.LineString{apos[row.Area], spos[row.Establishment]})
			f.Properties = geojson.Properties{"plan": x.when, "area": string(row.Area), "area_name": aname[row.Area], "service": string(row.Service),
				"site": string(row.Establishment), "site_name": sname[row.Establishment], "share": geolayer.Num(row.Share, 6), metric: geolayer.Num(x.travel[i], 1)}
			fs = append(fs, f)
		}
	}
	return fs
}

// newGeo collects what the GeoJSON of a plan needs: the areas with their
// names, outlines and demand, and the travel of each assignment row of the
// plan (s, a) and of today (today, ta).
func (in *inst) newGeo(s *solution, a *gst.Assignment, today *solution, ta *gst.Assignment) *geoData {
	g := &geoData{areas: make([]geoArea, len(in.areas))}
	for i, ar := range in.areas {
		g.areas[i] = geoArea{area: ar, demand: map[gst.ServiceID]float64{}}
		if ra, ok := in.p.Region.Area(ar.id); ok {
			g.areas[i].name, g.areas[i].boundary = ra.Name, ra.Boundary
		}
	}
	for k := range in.cls {
		c := &in.cls[k]
		g.areas[c.area].demand[in.svcs[c.svc].id] = c.vol
	}
	for _, sv := range in.svcs {
		g.services = append(g.services, sv.id)
	}
	g.travel = in.rowTravel(s, a)
	g.travelToday = in.rowTravel(today, ta)
	return g
}

// rowTravel returns the travel of each row of an assignment made from a
// solution, in the rows' order.
func (in *inst) rowTravel(s *solution, a *gst.Assignment) []float64 {
	type key struct {
		a   gst.AreaID
		s   gst.ServiceID
		est gst.EstablishmentID
	}
	t := map[key]float64{}
	for k := range in.cls {
		c := &in.cls[k]
		for _, x := range s.assign[k] {
			t[key{in.areas[c.area].id, in.svcs[c.svc].id, in.sites[x.site].id}] = in.d(k, x.site)
		}
	}
	out := make([]float64, 0, a.Len())
	for _, row := range a.Rows() {
		out = append(out, t[key{row.Area, row.Service, row.Establishment}])
	}
	return out
}
