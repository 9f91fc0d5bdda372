package gst

import (
	"sync/atomic"

	"github.com/paulmach/orb"
)

// Region is the unit a GST plans: its areas (where people live), its
// establishments (existing and candidate), the services they offer, the
// staff categories that deliver them, and optionally a travel matrix.
//
// A Region is a plain value made of exported slices, so it can be built in
// code, read from a directory of CSV files (ReadDir) or from one JSON
// document (ReadJSON). Lookups by ID (Area, Establishment, Service,
// Category, Province, StaffOnRoll, Offer) are O(1) through an index the
// Region builds on first use and rebuilds when a slice is replaced or
// changes length. After changing IDs, offers or staff in place, call
// Reindex.
//
// A Region may be read by many goroutines at once (lookups included); it
// must not be modified while others read it. Copy it with Clone, not by
// value.
type Region struct {
	// ID is a short code for the region (for example "03" for Fès-Meknès).
	ID string `json:"id,omitempty"`
	// Name is the region's name.
	Name string `json:"name,omitempty"`
	// Attribution names the sources of the data and their licences. It is
	// carried into every report made from the region.
	Attribution []string `json:"attribution,omitempty"`
	// Provinces lists the provinces and prefectures. It may be empty; when
	// it is not, every province an area or establishment names must be in it.
	Provinces []Province `json:"provinces,omitempty"`
	// Areas are the catchments. A region has at least one.
	Areas []Area `json:"areas"`
	// Establishments are the existing and candidate sites.
	Establishments []Establishment `json:"establishments,omitempty"`
	// Services are the services establishments offer.
	Services []Service `json:"services,omitempty"`
	// Categories are the staff cadres.
	Categories []Category `json:"categories,omitempty"`
	// Travel is an optional origin–destination matrix between areas and
	// establishments. The pairs it lacks (all of them when it is nil) are
	// estimated from straight-line distance (see Estimator and
	// TravelSource), unless the caller turns estimation off.
	Travel *Matrix `json:"travel,omitempty"`

	idx atomic.Pointer[regionIndex]
	src *sourceMap // where records were read from, when they were
}

// Province is a province or prefecture of a region.
type Province struct {
	ID   ProvinceID `json:"id"`
	Name string     `json:"name,omitempty"`
}

// Area is a catchment (commune, village or grid cell) whose people need
// care. Population is a count of people at Year.
type Area struct {
	ID       AreaID     `json:"id"`
	Name     string     `json:"name,omitempty"`
	Province ProvinceID `json:"province,omitempty"`
	// Lat and Lon are the WGS84 coordinates of the demand point, in
	// degrees; a population-weighted centroid is best.
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
	// Population is the number of people at Year.
	Population float64 `json:"population"`
	// Year is the year of Population (a census or estimate); 0 if unknown.
	Year int `json:"year,omitempty"`
	// PastPopulation and PastYear are an earlier count, used to project
	// growth (for example the 2014 census beside the 2024 one). Both zero
	// when unknown.
	PastPopulation float64 `json:"past_population,omitempty"`
	PastYear       int     `json:"past_year,omitempty"`
	// Urban is true for an urban area; travel speeds and utilisation
	// rates may differ between urban and rural areas.
	Urban bool `json:"urban,omitempty"`
	// Deprivation is an optional deprivation score (higher means more
	// deprived, any finite scale); nil when unknown.
	Deprivation *float64 `json:"deprivation,omitempty"`
	// Boundary is the area's outline, when known: polygons with holes in
	// WGS84 [longitude, latitude] degrees (orb's order, as in GeoJSON). A
	// region directory keeps it in areas.geojson. Maps draw it, and
	// AreaAt places points in it; nil when unknown.
	Boundary orb.MultiPolygon `json:"boundary,omitempty"`
	// Segments break the population down by named segment. A name is
	// "dimension/value" (for example "coverage/amo", "coverage/tadamon",
	// "age/0-4"); a name without a slash belongs to the unnamed dimension.
	// Within one dimension the segments sum to at most Population.
	Segments []Segment `json:"segments,omitempty"`
}

// Segment is the part of an area's population in one named segment.
type Segment struct {
	Name       string  `json:"name"`
	Population float64 `json:"population"`
}

// Segment returns the population of the named segment and whether the area
// has it.
func (a *Area) Segment(name string) (float64, bool) {
	for _, s := range a.Segments {
		if s.Name == name {
			return s.Population, true
		}
	}
	return 0, false
}

// Establishment is a health establishment: existing, or a candidate site
// that does not exist yet.
type Establishment struct {
	ID        EstablishmentID `json:"id"`
	Name      string          `json:"name,omitempty"`
	Level     Level           `json:"level"`
	Ownership Ownership       `json:"ownership"`
	Province  ProvinceID      `json:"province,omitempty"`
	// Area is the area the establishment stands in, if known.
	Area AreaID `json:"area,omitempty"`
	// Lat and Lon are WGS84 coordinates in degrees.
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
	// Beds is the number of beds in service.
	Beds float64 `json:"beds,omitempty"`
	// Offers lists the services the establishment offers (or, for a
	// candidate, could offer) with their annual capacity.
	Offers []Offer `json:"offers,omitempty"`
	// Staff lists the staff on roll by category, in full-time equivalents.
	Staff []Staffing `json:"staff,omitempty"`
	// Closable is true when a plan may close the establishment.
	Closable bool `json:"closable,omitempty"`
	// Candidate is true for a site that does not exist yet and that a plan
	// may open.
	Candidate bool `json:"candidate,omitempty"`
	// OpenCost is the cost of opening a candidate site and CloseCost that of
	// closing a closable one, in dirhams (MAD); zero when not stated.
	OpenCost  float64 `json:"open_cost,omitempty"`
	CloseCost float64 `json:"close_cost,omitempty"`
	// Source says where the record comes from (for example "osm" or
	// "synthetic"); reports show it so generated data is never mistaken
	// for observed data.
	Source string `json:"source,omitempty"`
}

// Offer is a service an establishment offers, with its annual capacity in
// the service's unit. A Capacity of zero means none is stated.
type Offer struct {
	Service  ServiceID `json:"service"`
	Capacity float64   `json:"capacity,omitempty"`
}

// Staffing is the staff of one category on an establishment's roll, in
// full-time equivalents (FTE).
type Staffing struct {
	Category CategoryID `json:"category"`
	FTE      float64    `json:"fte"`
}

// Service is a kind of care (maternity, caesarean section, dialysis…).
type Service struct {
	ID   ServiceID `json:"id"`
	Name string    `json:"name,omitempty"`
	// Unit is what one unit of volume is (a visit, a delivery, an
	// admission, a session).
	Unit string `json:"unit,omitempty"`
	// MinLevel is the lowest care level that may offer the service; zero
	// when any level may.
	MinLevel Level `json:"min_level,omitempty"`
	// StandardMinutes is the access standard: the longest acceptable
	// travel time to the service, in minutes; zero when none is set.
	StandardMinutes float64 `json:"standard_minutes,omitempty"`
}

// Category is a staff cadre.
type Category struct {
	ID   CategoryID `json:"id"`
	Name string     `json:"name,omitempty"`
	// HoursPerYear is the annual working time of one full-time person, in
	// hours (before leave and absences are taken out; see the capacity
	// package's WISN for available working time). Must be positive.
	HoursPerYear float64 `json:"hours_per_year"`
	// AnnualCost is the yearly cost of one FTE, in dirhams (MAD); zero when
	// not stated.
	AnnualCost float64 `json:"annual_cost,omitempty"`
}

// StaffFTE returns the FTE of a category on the establishment's roll (zero
// when none).
func (e *Establishment) StaffFTE(c CategoryID) float64 {
	var s float64
	for _, st := range e.Staff {
		if st.Category == c {
			s += st.FTE
		}
	}
	return s
}

// Offer returns the establishment's offer of a service and whether it
// offers it.
func (e *Establishment) Offer(s ServiceID) (Offer, bool) {
	for _, o := range e.Offers {
		if o.Service == s {
			return o, true
		}
	}
	return Offer{}, false
}

// OffersService reports whether the establishment offers the service.
func (e *Establishment) OffersService(s ServiceID) bool {
	_, ok := e.Offer(s)
	return ok
}
