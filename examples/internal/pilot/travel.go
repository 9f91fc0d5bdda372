package pilot

import (
	"context"
	"encoding/json"
	"math"

	"github.com/gstplan/gst"
)

// DefaultCircuity is the road-circuity factor of the planners' travel
// estimate: 1.4, above the estimator's generic 1.3 (gst.DefaultCircuity)
// because Morocco's regions are mountainous (Rif, Middle and High Atlas).
// The pilots, gstplan and the web planner use the same figure
// (scenario.DefaultCircuity), so a question asked of each gets the same
// answer.
const DefaultCircuity = 1.4

// TravelMatrix returns the one-way legs from every area of the region to
// every establishment, candidates included: the region's own matrix where
// it has the pair, the estimator elsewhere (a nil estimator leaves those
// pairs unreachable).
func TravelMatrix(ctx context.Context, r *gst.Region, est *gst.Estimator) (*gst.Matrix, error) {
	return r.TravelBetween(ctx, r.AreaIDs(), r.EstablishmentIDs(), est)
}

// PublicOpen accepts the public establishments that exist today and offer
// the service: the GST's own network (the eligibility of today's nearest
// sites, gst.AssignNearest).
func PublicOpen(e *gst.Establishment, s gst.ServiceID) bool {
	return e.Ownership == gst.Public && !e.Candidate && e.OffersService(s)
}

// Merge returns base with the rows of the given services replaced by those
// of over.
func Merge(base, over *gst.Assignment, services []gst.ServiceID) (*gst.Assignment, error) {
	drop := map[gst.ServiceID]bool{}
	for _, s := range services {
		drop[s] = true
	}
	var rows []gst.Allocation
	for _, a := range base.Rows() {
		if !drop[a.Service] {
			rows = append(rows, a)
		}
	}
	for _, a := range over.Rows() {
		if drop[a.Service] {
			rows = append(rows, a)
		}
	}
	return gst.NewAssignment(rows)
}

// AreaMinutes returns each area's one-way minutes to the establishments an
// assignment sends its demand for a service to (share-weighted), in the
// order of the region's areas; NaN when the area is not served or the site
// cannot be reached.
func AreaMinutes(r *gst.Region, m *gst.Matrix, asg *gst.Assignment, s gst.ServiceID) []float64 {
	out := make([]float64, len(r.Areas))
	for i, a := range r.Areas {
		out[i] = math.NaN()
		rows := asg.For(a.ID, s)
		if len(rows) == 0 {
			continue
		}
		var sum, share float64
		reach := true
		for _, al := range rows {
			l, ok := m.Lookup(string(a.ID), string(al.Establishment))
			if !ok {
				reach = false
				break
			}
			sum += al.Share * l.Minutes
			share += al.Share
		}
		if reach && share > 0 {
			out[i] = sum / share
		}
	}
	return out
}

// Stats are weighted figures of travel: weights are episodes or people.
type Stats struct {
	// Weight is the total weight, Assessed the part with a travel time.
	Weight   float64 `json:"weight"`
	Assessed float64 `json:"assessed"`
	// Mean and P90 are the weighted mean and 90th percentile of the
	// one-way minutes of the assessed weight; Max the longest.
	Mean float64 `json:"mean_minutes"`
	P90  float64 `json:"p90_minutes"`
	Max  float64 `json:"max_minutes"`
	// Standard is the access standard (0: none); Beyond the assessed
	// weight served beyond it, BeyondShare its share of Assessed (the
	// pathway package's rule). Unserved is Weight − Assessed: the weight
	// with no establishment, or one the travel matrix cannot reach.
	Standard    float64 `json:"standard_minutes,omitempty"`
	Beyond      float64 `json:"beyond"`
	BeyondShare float64 `json:"beyond_share"`
	Unserved    float64 `json:"unserved"`
}

// WeightedStats computes Stats over a group of areas: area i counts with
// weight w[i] × part(i) (part nil: every area whole; a province's areas
// have part 1 and the others 0, gst.MostDeprived gives the fractions of
// the most-deprived group) and minutes t[i] (NaN: not served). The
// percentile is the smallest time within which at least 90 % of the
// assessed weight travels (gst.WeightedQuantile, the same rule as
// allocate's). Sums run in the order of the areas. With no assessed
// weight, Mean, P90, Max and BeyondShare are NaN: nothing is served, and
// reports say so rather than "0 minutes".
func WeightedStats(w, t []float64, standard float64, part func(i int) float64) Stats {
	return ServedStats(w, t, nil, standard, part)
}

// ServedStats is WeightedStats for areas that may be served in part (when
// capacities bind): served[i] in [0, 1] is the share of area i's weight
// that some establishment takes (AreaServed), at the minutes t[i]; the
// rest counts as Unserved. served nil: every area with minutes is served
// whole.
func ServedStats(w, t, served []float64, standard float64, part func(i int) float64) Stats {
	var ts, ws []float64
	st := Stats{Standard: standard}
	var sum float64
	for i := range w {
		wi := w[i]
		if part != nil {
			wi *= part(i)
		}
		if !(wi > 0) {
			continue
		}
		st.Weight += wi
		share := 1.0
		if served != nil {
			share = math.Min(1, math.Max(0, served[i]))
		}
		if math.IsNaN(t[i]) {
			share = 0
		}
		st.Unserved += wi * (1 - share)
		wi *= share
		if !(wi > 0) {
			continue
		}
		st.Assessed += wi
		sum += wi * t[i]
		ts, ws = append(ts, t[i]), append(ws, wi)
		if standard > 0 && t[i] > standard {
			st.Beyond += wi
		}
		st.Max = math.Max(st.Max, t[i])
	}
	if st.Assessed > 0 {
		st.Mean = sum / st.Assessed
		st.P90 = gst.WeightedQuantile(ts, ws, 0.9)
		st.BeyondShare = st.Beyond / st.Assessed
	} else {
		st.Mean, st.P90, st.Max, st.BeyondShare = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	return st
}

// AreaServed returns, for every area of r, the share of its demand for
// service s that asg sends to an establishment (the sum of its shares, at
// most 1; 0 when none).
func AreaServed(r *gst.Region, asg *gst.Assignment, s gst.ServiceID) []float64 {
	out := make([]float64, len(r.Areas))
	for i, a := range r.Areas {
		for _, al := range asg.For(a.ID, s) {
			out[i] += al.Share
		}
		out[i] = math.Min(1, out[i])
	}
	return out
}

// Served reports whether any weight of the group is served.
func (s Stats) Served() bool { return s.Assessed > 0 }

// MarshalJSON writes the figures with null for those that are not
// defined (NaN: nothing served).
func (s Stats) MarshalJSON() ([]byte, error) {
	type plain Stats
	type out struct {
		plain
		Mean        *float64 `json:"mean_minutes"`
		P90         *float64 `json:"p90_minutes"`
		Max         *float64 `json:"max_minutes"`
		BeyondShare *float64 `json:"beyond_share"`
	}
	num := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return json.Marshal(out{plain: plain(s), Mean: num(s.Mean), P90: num(s.P90), Max: num(s.Max), BeyondShare: num(s.BeyondShare)})
}

// Whole is the part of every area in a group that takes areas whole or
// not at all.
func Whole(keep func(i int) bool) func(i int) float64 {
	return func(i int) float64 {
		if keep(i) {
			return 1
		}
		return 0
	}
}
