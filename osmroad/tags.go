package osmroad

import (
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/osm"
)

// DefaultSpeeds returns the default average driving speed, in km/h, of
// each highway class driven, for Morocco. A new map each call: edit it and
// pass it as Options.Speeds.
//
// The legal limits (Code de la route, loi 52-05) are 120 km/h on
// autoroutes, 100 km/h on other roads outside built-up areas and 60 km/h
// in them. The defaults are average speeds below these limits, in the
// range of the car profiles of open routing engines, and lowered on the
// narrow provincial roads and pistes of the mountains; they are
// assumptions, not measurements:
//
//	motorway       110  autoroute
//	trunk           90  voie express
//	primary         70  route nationale
//	secondary       60  route régionale
//	tertiary        45  route provinciale
//	unclassified    35  minor road between villages
//	residential     25  street in a built-up area
//	track           20  piste (unpaved track)
//	motorway_link 60, trunk_link 50, primary_link 45, secondary_link 40,
//	tertiary_link 35, living_street 10, service 15, road 30 (class unknown)
func DefaultSpeeds() map[string]float64 {
	return map[string]float64{
		"motorway": 110, "motorway_link": 60,
		"trunk": 90, "trunk_link": 50,
		"primary": 70, "primary_link": 45,
		"secondary": 60, "secondary_link": 40,
		"tertiary": 45, "tertiary_link": 35,
		"unclassified":  35,
		"residential":   25,
		"living_street": 10,
		"service":       15,
		"road":          30,
		"track":         20,
	}
}

// Limits on a tagged maxspeed.
const (
	// MinMaxspeedKmh and MaxMaxspeedKmh bound a plausible maxspeed tag, in
	// km/h; a value outside is ignored (and reported) and the class speed
	// used instead.
	MinMaxspeedKmh = 5.0
	MaxMaxspeedKmh = 140.0
	// DefaultMaxspeedFactor is the share of a tagged maxspeed driven on
	// average (0.8, as in the car profile of OSRM).
	DefaultMaxspeedFactor = 0.8
)

// Moroccan speed zones (maxspeed=MA:…), km/h.
var zoneKmh = map[string]float64{"ma:urban": 60, "ma:rural": 100, "ma:motorway": 120}

// parseMaxspeed reads a maxspeed value: a number of km/h, optionally
// followed by "km/h", "kmh" or "kph", a number of mph, or a Moroccan zone.
// It returns false for anything else ("none", "signals", several values).
func parseMaxspeed(s string) (float64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if v, ok := zoneKmh[s]; ok {
		return v, true
	}
	factor := 1.0
	switch {
	case strings.HasSuffix(s, "mph"):
		s, factor = strings.TrimSuffix(s, "mph"), 1.609344
	case strings.HasSuffix(s, "km/h"):
		s = strings.TrimSuffix(s, "km/h")
	case strings.HasSuffix(s, "kmh"):
		s = strings.TrimSuffix(s, "kmh")
	case strings.HasSuffix(s, "kph"):
		s = strings.TrimSuffix(s, "kph")
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v * factor, true
}

// direction of travel on a way.
const (
	bothWays int8 = 0
	forward  int8 = 1
	backward int8 = -1
)

// wayVerdict is what the tags of a way say about driving on it.
type wayVerdict struct {
	drive  bool
	skip   skipReason
	kmh    float64
	dir    int8
	warn   WarningKind // 0: none
	warnOn string      // the value warned about
}

type skipReason int

const (
	notSkipped skipReason = iota
	skipNotRoad
	skipClass
	skipAccess
	skipArea
	skipReversible
)

// classify reads a way's tags.
func (p *params) classify(tags osm.Tags) wayVerdict {
	hw := tags.Find("highway")
	if hw == "" {
		return wayVerdict{skip: skipNotRoad}
	}
	kmh, ok := p.speeds[hw]
	if !ok {
		return wayVerdict{skip: skipClass}
	}
	if tags.Find("area") == "yes" {
		return wayVerdict{skip: skipArea}
	}
	if !motorAllowed(tags) {
		return wayVerdict{skip: skipAccess}
	}
	v := wayVerdict{drive: true, kmh: kmh}
	if ms := tags.Find("maxspeed"); ms != "" {
		if lim, ok := parseMaxspeed(ms); ok && lim >= MinMaxspeedKmh && lim <= MaxMaxspeedKmh {
			v.kmh = lim * p.maxspeedFactor
		} else {
			v.warn, v.warnOn = MaxspeedIgnored, ms
		}
	}
	switch ow := strings.ToLower(tags.Find("oneway")); ow {
	case "yes", "true", "1":
		v.dir = forward
	case "-1", "reverse":
		v.dir = backward
	case "no", "false", "0":
		v.dir = bothWays
	case "reversible", "alternating":
		return wayVerdict{skip: skipReversible}
	case "":
		j := tags.Find("junction")
		if hw == "motorway" || j == "roundabout" || j == "circular" {
			v.dir = forward
		}
	default:
		if v.warn == 0 {
			v.warn, v.warnOn = OnewayUnknown, ow
		}
	}
	return v
}

// motorAllowed applies the most specific of the access tags a car obeys:
// motorcar, then motor_vehicle, then vehicle, then access.
func motorAllowed(tags osm.Tags) bool {
	for _, k := range []string{"motorcar", "motor_vehicle", "vehicle", "access"} {
		switch tags.Find(k) {
		case "":
			continue
		case "no", "private":
			return false
		default:
			return true
		}
	}
	return true
}
