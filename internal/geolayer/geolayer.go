// Package geolayer writes GeoJSON layers the way GIS tools read them best:
// one FeatureCollection (RFC 7946, coordinates [longitude, latitude]) of
// one geometry type, with flat properties (strings, numbers, booleans and
// nulls, never nested objects or lists), one feature a line, properties
// in key order. The library's plans and the example programs write their
// layers with it, so every layer is the same kind of file.
//
// The functions are deterministic: the same features give the same bytes.
package geolayer

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"reflect"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Write writes the features as a FeatureCollection, one feature a line.
// It refuses a collection that mixes geometry types (Polygon and
// MultiPolygon count as one) or a property that is not flat.
func Write(w io.Writer, features []*geojson.Feature) error {
	kind := ""
	for i, f := range features {
		k := f.Geometry.GeoJSONType()
		if k == "Polygon" {
			k = "MultiPolygon"
		}
		if i == 0 {
			kind = k
		} else if k != kind {
			return fmt.Errorf("geolayer: feature %d is a %s in a layer of %s", i, f.Geometry.GeoJSONType(), kind)
		}
		for key, v := range f.Properties {
			if !flat(v) {
				return fmt.Errorf("geolayer: feature %d: property %q is not a string, number, boolean or null", i, key)
			}
		}
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, f := range features {
		b, err := f.MarshalJSON()
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n")
		bw.Write(b)
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

func flat(v any) bool {
	if v == nil {
		return true
	}
	switch reflect.TypeOf(v).Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// Num returns v rounded to the given decimals for a property (so that
// 30.700000000000003 is written 30.7), nil for NaN and infinities.
func Num(v float64, decimals int) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	p := math.Pow(10, float64(decimals))
	r := math.Round(v*p) / p
	if r == 0 {
		return 0.0 // no -0
	}
	return r
}

// Point returns the point of a place given in degrees.
func Point(lat, lon float64) orb.Point { return orb.Point{lon, lat} }

// Line returns the straight line between two places given in degrees.
func Line(lat1, lon1, lat2, lon2 float64) orb.LineString {
	return orb.LineString{{lon1, lat1}, {lon2, lat2}}
}
