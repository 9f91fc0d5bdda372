package main

import (
	"fmt"
	"math"

	"github.com/gstplan/gst"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"
)

// Simplification of the commune boundaries written to areas.geojson:
// Douglas–Peucker with a tolerance of simplifyTolerance degrees (about
// 200 m north–south, 180 m east–west at 35° N), run on the lines between
// the points where three or more communes (or a commune and the region's
// outline) meet, so that a boundary two communes share is simplified once
// and stays shared; coordinates are then rounded to coordDecimals decimals
// (about 1 m).
const (
	simplifyTolerance = 0.002
	coordDecimals     = 5
)

// parseBoundaries reads the commune polygons of the regions that have
// them, keyed by HCP commune code (property "code").
func parseBoundaries(files map[string][]byte, p *gst.Problems) map[string]orb.MultiPolygon {
	out := map[string]orb.MultiPolygon{}
	for _, code := range sortedKeys(boundaryFiles) {
		file := boundaryFiles[code]
		fc, err := geojson.UnmarshalFeatureCollection(files[file])
		if err != nil {
			p.AddErr(&gst.ValidationError{File: file, Where: "document", Err: err})
			continue
		}
		for i, f := range fc.Features {
			w := fmt.Sprintf("feature #%d", i+1)
			c, _ := f.Properties["code"].(string)
			if c == "" {
				p.AddErr(&gst.ValidationError{File: file, Where: w, Field: "code", Err: fmt.Errorf("want a commune code, got %v", f.Properties["code"])})
				continue
			}
			switch g := f.Geometry.(type) {
			case orb.Polygon:
				out[c] = orb.MultiPolygon{g}
			case orb.MultiPolygon:
				out[c] = g
			default:
				p.AddErr(&gst.ValidationError{File: file, Where: fmt.Sprintf("%s (commune %q)", w, c), Field: "geometry", Err: fmt.Errorf("want a Polygon or MultiPolygon, got %T", f.Geometry)})
			}
		}
	}
	return out
}

func less(a, b orb.Point) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }

// simplifyShared simplifies every outline (see simplifyTolerance) so that
// shared boundaries stay shared: a vertex is fixed where its number of
// distinct neighbours over all rings is not two (a junction), and each
// line between fixed vertices is simplified in a canonical direction, so
// that the two communes on either side get the same result. A ring with
// no junction (an island, or an enclave seen from both sides) is fixed at
// its smallest vertex. A ring that would fall below four positions keeps
// its vertices.
func simplifyShared(outlines map[string]orb.MultiPolygon) map[string]orb.MultiPolygon {
	nb := map[orb.Point]map[orb.Point]bool{}
	link := func(a, b orb.Point) {
		if nb[a] == nil {
			nb[a] = map[orb.Point]bool{}
		}
		nb[a][b] = true
	}
	for _, code := range sortedKeys(outlines) {
		for _, poly := range outlines[code] {
			for _, r := range poly {
				for i := 0; i+1 < len(r); i++ {
					link(r[i], r[i+1])
					link(r[i+1], r[i])
				}
			}
		}
	}
	dp := simplify.DouglasPeucker(simplifyTolerance)
	out := map[string]orb.MultiPolygon{}
	for _, code := range sortedKeys(outlines) {
		var mp orb.MultiPolygon
		for _, poly := range outlines[code] {
			var np orb.Polygon
			for _, r := range poly {
				np = append(np, simplifyRing(r, nb, dp))
			}
			mp = append(mp, np)
		}
		out[code] = mp
	}
	return out
}

func simplifyRing(r orb.Ring, nb map[orb.Point]map[orb.Point]bool, dp *simplify.DouglasPeuckerSimplifier) orb.Ring {
	pts := []orb.Point(r[:len(r)-1])
	n := len(pts)
	start := -1
	for i, pt := range pts {
		if len(nb[pt]) != 2 {
			start = i
			break
		}
	}
	if start < 0 {
		start = 0
		for i, pt := range pts {
			if less(pt, pts[start]) {
				start = i
			}
		}
	}
	var ring orb.Ring
	chain := orb.LineString{pts[start]}
	flush := func() {
		c := chain.Clone()
		rev := less(c[len(c)-1], c[0]) || (c[0] == c[len(c)-1] && len(c) > 2 && less(c[len(c)-2], c[1]))
		if rev {
			c.Reverse()
		}
		c = dp.LineString(c)
		if rev {
			c.Reverse()
		}
		if len(ring) > 0 {
			c = c[1:]
		}
		ring = append(ring, c...)
	}
	for k := 1; k <= n; k++ {
		pt := pts[(start+k)%n]
		chain = append(chain, pt)
		if k == n || len(nb[pt]) != 2 {
			flush()
			chain = orb.LineString{pt}
		}
	}
	ring = roundRing(ring)
	if len(ring) < 4 {
		return roundRing(r.Clone())
	}
	return ring
}

// roundRing rounds to coordDecimals and drops repeated positions.
func roundRing(r orb.Ring) orb.Ring {
	f := math.Pow(10, coordDecimals)
	var out orb.Ring
	for _, pt := range r {
		q := orb.Point{math.Round(pt[0]*f) / f, math.Round(pt[1]*f) / f}
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	return out
}
