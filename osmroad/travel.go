package osmroad

import (
	"context"
	"fmt"

	"github.com/gstplan/gst"
)

// Defaults of Travel.
const (
	// DefaultAccessKmh is the speed, in km/h, of the leg between a place
	// and its road node: on foot (5 km/h, the walking speed AccessMod and
	// most access studies use), since the network holds every road and
	// track a car can take.
	DefaultAccessKmh = 5.0
	// DefaultMarginKm widens the region's box, in km, before the extract
	// is cut to it.
	DefaultMarginKm = 20.0
)

// TravelOptions tune Travel. A nil *TravelOptions uses the defaults.
type TravelOptions struct {
	// Read tunes the reading of the extract. Default nil: the defaults,
	// and, when it sets neither Bounds nor Polygon, the region's box
	// widened by MarginKm.
	Read *Options
	// MarginKm widens the region's box. Default DefaultMarginKm (20 km);
	// must be finite and >= 0.
	MarginKm float64
	// Roads tunes the snaps and searches. Default nil: the defaults of
	// gst.RoadOptions with AccessKmh DefaultAccessKmh (on foot).
	Roads *gst.RoadOptions
	// AreaPoints gives the points at which an area meets the roads (for
	// example villages, or points sampled in its polygon, weighted by
	// their people). Default nil: the area's demand point.
	AreaPoints func(a *gst.Area) []gst.PlacePoint
}

// TravelReport says where the travel times of Travel come from.
type TravelReport struct {
	// Network is the reader's report: the file, what was read and kept.
	Network *Report
	// Bounds is the box the extract was cut to (zero when the caller's
	// Read options set the cut).
	Bounds Bounds
	// Snaps says where every area and establishment joined the roads, and
	// which snaps are implausible.
	Snaps *gst.SnapReport
	// Roads is the network read, to compute other legs (between
	// establishments, say) with Options the same as Travel's (see
	// RoadOptions).
	Roads *gst.RoadNetwork `json:"-"`
	// RoadOptions are the options Travel snapped and searched with.
	RoadOptions gst.RoadOptions
}

// Summary is one line for a report: the file, the network and the snap
// distances.
func (t *TravelReport) Summary() string {
	n, s := t.Network, t.Snaps.Summary()
	return fmt.Sprintf("roads from %s: %d nodes, %d edges, %.0f km of road; %d of %d points joined, snap distance median %.2f km, 90th percentile %.2f km, max %.2f km; %d far and %d off the network",
		n.File, n.Nodes, n.Edges, n.Km, s.Joined, s.Points, s.MedianKm, s.P90Km, s.MaxKm, s.Far, s.Off)
}

// Travel reads the OpenStreetMap extract at path, cut to the region, and
// returns the travel from every area of the region to every establishment
// (candidates included) over its roads, with a report. Areas join the
// roads at their demand point, or at the points TravelOptions.AreaPoints
// gives (a leg is then the weighted mean over the points, see
// gst.RoadNetwork.PlaceMatrix); establishments at their location; both on
// foot. Pairs that no road joins are unreachable in the matrix.
func Travel(ctx context.Context, path string, r *gst.Region, opt *TravelOptions) (*gst.Matrix, *TravelReport, error) {
	if opt == nil {
		opt = &TravelOptions{}
	}
	if r == nil {
		return nil, nil, fmt.Errorf("%w: region is nil", gst.ErrInvalid)
	}
	margin := opt.MarginKm
	if margin == 0 {
		margin = DefaultMarginKm
	}
	rep := &TravelReport{}
	read := Options{}
	if opt.Read != nil {
		read = *opt.Read
	}
	if read.Bounds == nil && read.Polygon == nil {
		b, err := RegionBounds(r, margin)
		if err != nil {
			return nil, nil, err
		}
		read.Bounds, rep.Bounds = &b, b
	}
	ro := gst.RoadOptions{AccessKmh: DefaultAccessKmh}
	if opt.Roads != nil {
		ro = *opt.Roads
		if ro.AccessKmh == 0 {
			ro.AccessKmh = DefaultAccessKmh
		}
	}
	net, nrep, err := ReadFile(ctx, path, &read)
	if err != nil {
		return nil, nil, err
	}
	rep.Network = nrep
	areas, ests := gst.RegionRoadPlaces(r, opt.AreaPoints)
	m, snaps, err := net.PlaceMatrix(ctx, areas, ests, &ro)
	if err != nil {
		return nil, nil, err
	}
	rep.Snaps, rep.Roads, rep.RoadOptions = snaps, net, ro
	return m, rep, nil
}
