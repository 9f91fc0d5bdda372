package pathway

import (
	"sort"

	gst "github.com/gstplan/gst"
)

// Options tune flows and evaluations. A nil *Options uses the defaults.
type Options struct {
	// OneWay counts each in-person visit as a single outbound trip.
	// Default false: every in-person visit is a return trip from the
	// patient's home area to the establishment and back, so it travels
	// twice the one-way leg (the trip factor is 2; with OneWay it is 1).
	OneWay bool
	// TravelSource gives the legs when an evaluation is given no matrix:
	// from the override matrix Travel where it has the pair, then from the
	// region's Travel matrix, then from the Estimator for the other pairs
	// (unless NoEstimate: those pairs are then unreachable, and reported as
	// such). Default: the region's matrix and the gst.Estimator defaults
	// (circuity 1.3, 50 km/h rural, 25 km/h urban).
	gst.TravelSource
	// SegmentDimensions lists the segment dimensions that evaluations
	// break results down by ("" is the unnamed dimension). Default nil:
	// every dimension found among the areas' segments; an empty non-nil
	// slice: none.
	SegmentDimensions []string
	// MostDeprivedShare is the share of the people living in areas with a
	// deprivation score that evaluations group as most deprived, in (0, 1).
	// Default 0.2 (the most-deprived 20%).
	MostDeprivedShare float64
}

// TripFactor is the number of one-way legs an in-person visit travels:
// 2 by default (a return trip), 1 with OneWay.
func (o *Options) TripFactor() float64 {
	if o != nil && o.OneWay {
		return 1
	}
	return 2
}

// travel returns the travel source (the zero one for nil options).
func (o *Options) travel() gst.TravelSource {
	if o == nil {
		return gst.TravelSource{}
	}
	return o.TravelSource
}

func (o *Options) mostDeprived() float64 {
	if o == nil || o.MostDeprivedShare == 0 {
		return 0.2
	}
	return o.MostDeprivedShare
}

func (o *Options) validateInto(p *gst.Problems) {
	if o == nil {
		return
	}
	o.TravelSource.Check(p, "options")
	if v := o.MostDeprivedShare; v != 0 && (!finite(v) || v <= 0 || v >= 1) {
		p.Addf("options", "MostDeprivedShare", "must be in (0, 1), got %v", v)
	}
	seen := map[string]bool{}
	for _, d := range o.SegmentDimensions {
		if seen[d] {
			p.Addf("options", "SegmentDimensions", "dimension %q listed twice", d)
		}
		seen[d] = true
	}
}

// dimensions returns the segment dimensions to break results down by.
func (o *Options) dimensions(r *gst.Region) []string {
	if o != nil && o.SegmentDimensions != nil {
		return o.SegmentDimensions
	}
	seen := map[string]bool{}
	var out []string
	for i := range r.Areas {
		for _, s := range r.Areas[i].Segments {
			d := gst.SegmentDimension(s.Name)
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	sort.Strings(out)
	return out
}
