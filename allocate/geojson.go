package allocate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/gstplan/gst"
)

// GeoJSON output (RFC 7946): one FeatureCollection with
//   - a Point for every site, properties kind "site", site, name,
//     province, candidate, today, open, change, rule, services;
//   - a Point for every area with demand, properties kind "area", area,
//     province, population, and for each service the share served;
//   - a LineString from each area to each site serving it, properties
//     kind "assignment", area, service, site, share, travel (in the plan's
//     metric).
//
// Coordinates are [longitude, latitude] in WGS84 degrees, as RFC 7946
// requires. Features come in that order, each group sorted by ID, so the
// output is the same byte for byte for the same plan.

type geoCollection struct {
	Type     string       `json:"type"`
	Features []geoFeature `json:"features"`
}

type geoFeature struct {
	Type       string      `json:"type"`
	Geometry   geoGeometry `json:"geometry"`
	Properties any         `json:"properties"`
}

type geoGeometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

type geoSite struct {
	Kind      string              `json:"kind"`
	Site      gst.EstablishmentID `json:"site"`
	Name      string              `json:"name,omitempty"`
	Province  gst.ProvinceID      `json:"province,omitempty"`
	Candidate bool                `json:"candidate"`
	Today     bool                `json:"today"`
	Open      bool                `json:"open"`
	Change    Change              `json:"change"`
	Rule      string              `json:"rule,omitempty"`
	Services  []gst.ServiceID     `json:"services"`
}

type geoArea struct {
	Kind       string             `json:"kind"`
	Area       gst.AreaID         `json:"area"`
	Province   gst.ProvinceID     `json:"province,omitempty"`
	Population float64            `json:"population"`
	Served     []geoServiceServed `json:"served"`
}

type geoServiceServed struct {
	Service gst.ServiceID `json:"service"`
	Share   float64       `json:"share"`
}

type geoLine struct {
	Kind    string              `json:"kind"`
	Area    gst.AreaID          `json:"area"`
	Service gst.ServiceID       `json:"service"`
	Site    gst.EstablishmentID `json:"site"`
	Share   float64             `json:"share"`
	Travel  float64             `json:"travel"`
}

// geoData is what the GeoJSON needs beyond the exported fields of a Plan.
type geoData struct {
	areas []area
	// demand lists the services each area has demand for, in order.
	demand [][]gst.ServiceID
	// travel of each assignment row, in the order of Assignment.Rows.
	travel []float64
}

// GeoJSON returns the plan as a GeoJSON FeatureCollection (RFC 7946): the
// sites, the areas with demand and the assignment lines. See WriteGeoJSON.
func (p *Plan) GeoJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := p.WriteGeoJSON(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteGeoJSON writes the plan as an indented GeoJSON FeatureCollection
// (RFC 7946, coordinates [longitude, latitude]): a Point per site, a Point
// per area with demand, and a LineString from each area to each site that
// serves it, with the share and the travel. The output is deterministic.
func (p *Plan) WriteGeoJSON(w io.Writer) error {
	if p == nil || p.geo == nil {
		return fmt.Errorf("allocate: %w: GeoJSON needs a plan returned by Locate", gst.ErrInvalid)
	}
	fc := geoCollection{Type: "FeatureCollection", Features: []geoFeature{}}
	pos := map[gst.EstablishmentID][2]float64{}
	for _, s := range p.Sites {
		pos[s.Site] = [2]float64{s.Lon, s.Lat}
		fc.Features = append(fc.Features, geoFeature{Type: "Feature",
			Geometry: geoGeometry{Type: "Point", Coordinates: [2]float64{s.Lon, s.Lat}},
			Properties: geoSite{Kind: "site", Site: s.Site, Name: s.Name, Province: s.Province, Candidate: s.Candidate,
				Today: s.Today, Open: s.Open, Change: s.Change, Rule: s.Rule, Services: nonNil(s.Services)}})
	}
	apos := map[gst.AreaID][2]float64{}
	for i, a := range p.geo.areas {
		apos[a.id] = [2]float64{a.lon, a.lat}
		ga := geoArea{Kind: "area", Area: a.id, Province: a.province, Population: a.population, Served: []geoServiceServed{}}
		for _, s := range p.geo.demand[i] {
			ga.Served = append(ga.Served, geoServiceServed{Service: s, Share: p.Assignment.Served(a.id, s)})
		}
		fc.Features = append(fc.Features, geoFeature{Type: "Feature",
			Geometry:   geoGeometry{Type: "Point", Coordinates: [2]float64{a.lon, a.lat}},
			Properties: ga})
	}
	for i, row := range p.Assignment.Rows() {
		fc.Features = append(fc.Features, geoFeature{Type: "Feature",
			Geometry: geoGeometry{Type: "LineString", Coordinates: [][2]float64{apos[row.Area], pos[row.Establishment]}},
			Properties: geoLine{Kind: "assignment", Area: row.Area, Service: row.Service, Site: row.Establishment,
				Share: row.Share, Travel: p.geo.travel[i]}})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(fc)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// newGeo collects what the GeoJSON of a plan needs.
func (in *inst) newGeo(s *solution, a *gst.Assignment) *geoData {
	g := &geoData{areas: in.areas, demand: make([][]gst.ServiceID, len(in.areas))}
	for k := range in.cls {
		c := &in.cls[k]
		g.demand[c.area] = append(g.demand[c.area], in.svcs[c.svc].id)
	}
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
	for _, row := range a.Rows() {
		g.travel = append(g.travel, t[key{row.Area, row.Service, row.Establishment}])
	}
	return g
}
