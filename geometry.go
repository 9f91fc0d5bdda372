package gst

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// fileBoundaries is the optional file of area outlines in a region
// directory.
const fileBoundaries = "areas.geojson"

// DecodeBoundaries reads area outlines from a GeoJSON FeatureCollection
// (RFC 7946: WGS84 longitude then latitude, in degrees), as a region
// directory's areas.geojson holds them. Each feature is a Polygon or a
// MultiPolygon whose property "id" (a string) names an area; other
// properties are ignored. A Polygon is returned as a MultiPolygon of one
// polygon. label names the input in errors.
//
// Every problem is reported at once, each as a *ValidationError naming
// the file, the line where its feature starts, the feature and the field
// ("id" or "geometry"): a malformed document, a feature that is not a
// Polygon or MultiPolygon, a missing or repeated id, and bad geometry
// (see Region.Validate). errors.Is(err, ErrInvalid) holds. Whether the
// ids name areas is for the caller to check (ReadDir does).
func DecodeBoundaries(data []byte, label string) (map[AreaID]orb.MultiPolygon, error) {
	var p Problems
	out := map[AreaID]orb.MultiPolygon{}
	feats, err := splitFeatures(data, label)
	if err != nil {
		return nil, err
	}
	lineOf := map[AreaID]int{}
	for i, rf := range feats {
		w := fmt.Sprintf("feature #%d", i+1)
		bad := func(field string, err error) {
			p.AddErr(&ValidationError{File: label, Line: rf.line, Where: w, Field: field, Err: err})
		}
		f, err := geojson.UnmarshalFeature(rf.raw)
		if err != nil {
			bad("", fmt.Errorf("not a GeoJSON feature: %v", err))
			continue
		}
		id, ok := f.Properties["id"].(string)
		if !ok || id == "" {
			bad("id", fmt.Errorf("property \"id\" must be a non-empty string naming an area, got %v", f.Properties["id"]))
			continue
		}
		w = fmt.Sprintf("feature #%d (area %q)", i+1, id)
		if l, dup := lineOf[AreaID(id)]; dup {
			bad("id", fmt.Errorf("area %q already has a feature (line %d)", id, l))
			continue
		}
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		case nil:
			bad("geometry", errors.New("is missing: want a Polygon or MultiPolygon"))
			continue
		default:
			bad("geometry", fmt.Errorf("is a %s: want a Polygon or MultiPolygon", g.GeoJSONType()))
			continue
		}
		before := p.Len()
		checkBoundary(&p, w, mp)
		if p.Len() > before {
			// checkBoundary does not know the file: name it.
			for _, e := range p.list[before:] {
				if ve, ok := e.(*ValidationError); ok {
					ve.File, ve.Line = label, rf.line
				}
			}
			continue
		}
		lineOf[AreaID(id)] = rf.line
		out[AreaID(id)] = mp
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

type rawFeature struct {
	raw  json.RawMessage
	line int
}

// splitFeatures returns the features of a FeatureCollection with the line
// each starts on.
func splitFeatures(data []byte, label string) ([]rawFeature, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	fail := func(err error) error { return jsonErr(label, data, err) }
	notFC := &ValidationError{File: label, Line: 1, Where: "document", Err: errors.New("must be a GeoJSON FeatureCollection")}
	tok, err := dec.Token()
	if err != nil {
		return nil, fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, notFC
	}
	var feats []rawFeature
	typ, sawFeatures := "", false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail(err)
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			if err := dec.Decode(&typ); err != nil {
				return nil, fail(err)
			}
		case "features":
			sawFeatures = true
			if tok, err = dec.Token(); err != nil {
				return nil, fail(err)
			}
			if d, ok := tok.(json.Delim); !ok || d != '[' {
				return nil, &ValidationError{File: label, Line: lineAt(data, dec.InputOffset()), Where: "document", Field: "features", Err: errors.New("must be an array")}
			}
			for dec.More() {
				var raw json.RawMessage
				off := dec.InputOffset()
				if err := dec.Decode(&raw); err != nil {
					return nil, fail(err)
				}
				// The offset is just after the previous token: skip the
				// comma and spaces to the feature itself.
				for off < int64(len(data)) && bytes.IndexByte([]byte(", \t\r\n"), data[off]) >= 0 {
					off++
				}
				feats = append(feats, rawFeature{raw: raw, line: lineAt(data, off)})
			}
			if _, err := dec.Token(); err != nil {
				return nil, fail(err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fail(err)
			}
		}
	}
	if typ != "FeatureCollection" || !sawFeatures {
		return nil, notFC
	}
	return feats, nil
}

func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// checkBoundary records the problems of an outline: every polygon needs an
// exterior ring; every ring at least four positions, closed (first equals
// last), with finite coordinates in range (longitude in [-180, 180],
// latitude in [-90, 90] degrees) and a non-zero area.
func checkBoundary(p *Problems, where string, mp orb.MultiPolygon) {
	for i, poly := range mp {
		if len(poly) == 0 {
			p.Addf(where, "geometry", "polygon %d has no ring", i+1)
		}
		for j, ring := range poly {
			at := fmt.Sprintf("polygon %d ring %d", i+1, j+1)
			if len(ring) < 4 {
				p.Addf(where, "geometry", "%s has %d positions; a ring needs at least 4", at, len(ring))
				continue
			}
			if ring[0] != ring[len(ring)-1] {
				p.Addf(where, "geometry", "%s is not closed: its first position %v differs from its last %v", at, ring[0], ring[len(ring)-1])
			}
			for k, pt := range ring {
				lon, lat := pt[0], pt[1]
				if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
					p.Addf(where, "geometry", "%s position %d is [%v, %v]: want [longitude in [-180, 180], latitude in [-90, 90]]", at, k+1, lon, lat)
					break
				}
			}
			if planar.Area(ring) == 0 {
				p.Addf(where, "geometry", "%s has zero area", at)
			}
		}
	}
	if len(mp) == 0 {
		p.Add(where, "geometry", errors.New("has no polygon"))
	}
}

// validateBoundaries checks the outlines of the areas (see checkBoundary).
func (r *Region) validateBoundaries(p *Problems) {
	if r == nil {
		return
	}
	for i := range r.Areas {
		a := &r.Areas[i]
		if a.Boundary != nil {
			checkBoundary(p, whereArea(i, a.ID)+" boundary", a.Boundary)
		}
	}
}

// EncodeBoundaries renders the outlines of the region's areas as a GeoJSON
// FeatureCollection, one feature a line in the order of the areas, each
// with the properties "id" and "name": a region directory's areas.geojson.
// A one-polygon outline is written as a Polygon. It returns nil when no
// area has an outline. The output is deterministic.
func EncodeBoundaries(r *Region) ([]byte, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: region is nil", ErrInvalid)
	}
	var b bytes.Buffer
	n := 0
	for _, a := range r.Areas {
		if len(a.Boundary) == 0 {
			continue
		}
		var g orb.Geometry = a.Boundary
		if len(a.Boundary) == 1 {
			g = a.Boundary[0]
		}
		f := geojson.NewFeature(g)
		f.Properties["id"] = string(a.ID)
		if a.Name != "" {
			f.Properties["name"] = a.Name
		}
		line, err := json.Marshal(f)
		if err != nil {
			return nil, fmt.Errorf("area %q boundary: %w", a.ID, err)
		}
		if n == 0 {
			b.WriteString("{\"type\":\"FeatureCollection\",\"features\":[\n")
		} else {
			b.WriteString(",\n")
		}
		b.Write(line)
		n++
	}
	if n == 0 {
		return nil, nil
	}
	b.WriteString("\n]}\n")
	return b.Bytes(), nil
}

// WriteBoundaries writes EncodeBoundaries of the region to w (nothing when
// no area has an outline).
func WriteBoundaries(w io.Writer, r *Region) error {
	b, err := EncodeBoundaries(r)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// readBoundariesInto reads areas.geojson, when the directory has one, into
// the areas' Boundary fields; an id that is not an area of areas.csv is a
// problem.
func readBoundariesInto(r *Region, load func(string) ([]byte, bool), src *sourceMap, areaIx map[AreaID]int, areasFailed bool, p *Problems) {
	if areasFailed {
		return
	}
	data, ok := load(fileBoundaries)
	if !ok {
		return
	}
	label := src.path(fileBoundaries)
	bs, err := DecodeBoundaries(data, label)
	if err != nil {
		p.AddErr(err)
		return
	}
	ids := make([]AreaID, 0, len(bs))
	for id := range bs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	lines := featureLines(data)
	for _, id := range ids {
		i, ok := areaIx[id]
		if !ok {
			p.AddErr(&ValidationError{File: label, Line: lines[id], Where: fmt.Sprintf("feature (area %q)", id), Field: "id",
				Err: fmt.Errorf("unknown area %q: not in %s", id, fileAreas)})
			continue
		}
		r.Areas[i].Boundary = bs[id]
	}
}

// featureLines returns the line each feature of a document that
// DecodeBoundaries accepted starts on, by area id.
func featureLines(data []byte) map[AreaID]int {
	out := map[AreaID]int{}
	feats, err := splitFeatures(data, "")
	if err != nil {
		return out
	}
	for _, f := range feats {
		var head struct {
			Properties struct {
				ID string `json:"id"`
			} `json:"properties"`
		}
		if json.Unmarshal(f.raw, &head) == nil {
			out[AreaID(head.Properties.ID)] = f.line
		}
	}
	return out
}

// AreaAt returns the area whose Boundary holds the point (WGS84 degrees);
// a point on a shared edge belongs to both areas and the lower ID wins.
// It returns false when no boundary holds the point (areas without a
// Boundary are never chosen). The work is linear in the number of areas,
// with a bounding-box test before the exact one.
func (r *Region) AreaAt(lat, lon float64) (AreaID, bool) {
	pt := orb.Point{lon, lat}
	var best AreaID
	found := false
	for i := range r.Areas {
		a := &r.Areas[i]
		if len(a.Boundary) == 0 || (found && a.ID >= best) {
			continue
		}
		if !a.Boundary.Bound().Contains(pt) || !planar.MultiPolygonContains(a.Boundary, pt) {
			continue
		}
		best, found = a.ID, true
	}
	return best, found
}

// PlaceEstablishments sets the Area of every establishment that stands in
// an area's Boundary (see AreaAt), and its Province to that area's when
// the area has one; establishments outside every boundary keep theirs. It
// returns the IDs of the establishments whose Area changed, in the order
// of Establishments.
func (r *Region) PlaceEstablishments() []EstablishmentID {
	var moved []EstablishmentID
	for i := range r.Establishments {
		e := &r.Establishments[i]
		id, ok := r.AreaAt(e.Lat, e.Lon)
		if !ok {
			continue
		}
		if id != e.Area {
			moved = append(moved, e.ID)
			e.Area = id
		}
		if a, _ := r.Area(id); a.Province != "" {
			e.Province = a.Province
		}
	}
	return moved
}
