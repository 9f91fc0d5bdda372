package pilot

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/osmroad"
)

// MaxSnapLines is how many implausible snaps a report lists by name.
const MaxSnapLines = 10

// TravelSource says where a run's travel times come from: the estimator
// with its circuity, or the roads of an OpenStreetMap extract with the
// figures of the network and of the snaps.
type TravelSource struct {
	// Kind is "estimate" or "roads".
	Kind string `json:"kind"`
	// Circuity is the estimator's road-circuity factor (Kind "estimate").
	Circuity float64 `json:"circuity,omitempty"`
	// File is the extract (Kind "roads"); Nodes, Edges and Km describe
	// the network cut to the region.
	File  string  `json:"file,omitempty"`
	Nodes int     `json:"nodes,omitempty"`
	Edges int     `json:"edges,omitempty"`
	Km    float64 `json:"km,omitempty"`
	// AccessKmh is the speed of the leg between a place and the roads.
	AccessKmh float64 `json:"access_kmh,omitempty"`
	// Snap sums up the snap distances of the areas and establishments.
	Snap *gst.SnapSummary `json:"snap,omitempty"`
	// Warnings lists the first MaxSnapLines implausible snaps.
	Warnings []string `json:"snap_warnings,omitempty"`
}

// EstimateSource is the source of a run on the estimator.
func EstimateSource(circuity float64) TravelSource {
	return TravelSource{Kind: "estimate", Circuity: circuity}
}

// RoadSource is the source of a run on the roads of an extract.
func RoadSource(rep *osmroad.TravelReport) TravelSource {
	s := rep.Snaps.Summary()
	src := TravelSource{Kind: "roads", File: filepath.Base(rep.Network.File), Nodes: rep.Network.Nodes, Edges: rep.Network.Edges,
		Km: rep.Network.Km, AccessKmh: rep.RoadOptions.AccessKmh, Snap: &s}
	for i, w := range rep.Snaps.Warnings {
		if i == MaxSnapLines {
			src.Warnings = append(src.Warnings, fmt.Sprintf("… and %d more", len(rep.Snaps.Warnings)-i))
			break
		}
		src.Warnings = append(src.Warnings, w.String())
	}
	return src
}

// Short is a phrase for a chart's note.
func (s TravelSource) Short() string {
	if s.Kind == "roads" {
		return fmt.Sprintf("Travel on the roads of %s (OpenStreetMap)", s.File)
	}
	return fmt.Sprintf("Travel estimated from straight-line distance (circuity %.1f)", s.Circuity)
}

// Method is a paragraph for a report's method section.
func (s TravelSource) Method() string {
	if s.Kind == "roads" {
		sn := s.Snap
		return fmt.Sprintf("**Travel** is computed on the roads of `%s` (© OpenStreetMap contributors, ODbL 1.0): %s nodes and %s edges, %s km of road in the region's box, driven at the speeds of each road class (Moroccan defaults of the osmroad package, or a plausible maxspeed), one-way streets respected; the fastest path by Dijkstra's algorithm. Each commune and establishment joins the nearest road node on foot at %.0f km/h: %d of %d joined, snap distance median %.2f km, 90th percentile %.2f km, largest %.2f km; farther than %.0f km from the roads: %d; off the network: %d.",
			s.File, commas(s.Nodes), commas(s.Edges), commas(int(s.Km+0.5)), s.AccessKmh, sn.Joined, sn.Points, sn.MedianKm, sn.P90Km, sn.MaxKm, gst.DefaultWarnSnapKm, sn.Far, sn.Off)
	}
	why := ""
	if s.Circuity > gst.DefaultCircuity {
		why = fmt.Sprintf("; raised from the default %.1f for the Rif and Middle Atlas", gst.DefaultCircuity)
	}
	return fmt.Sprintf("**Travel** is estimated from straight-line distance: road km = great-circle km × %.1f (circuity%s), driven at 50 km/h in rural and 25 km/h in urban settings. It is not a road network: mountain roads, ferries and seasonal closures are not modelled; pass `-roads` with an OpenStreetMap extract to use the roads.", s.Circuity, why)
}

func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// RoadTravel reads the OpenStreetMap extract at file, cut to the region,
// and returns the road travel from every area to every establishment, the
// report and the source. Implausible snaps go to progress (when not nil),
// a line each.
func RoadTravel(ctx context.Context, r *gst.Region, file string, progress io.Writer) (*gst.Matrix, *osmroad.TravelReport, TravelSource, error) {
	m, rep, err := osmroad.Travel(ctx, file, r, nil)
	if err != nil {
		return nil, nil, TravelSource{}, err
	}
	src := RoadSource(rep)
	if progress != nil {
		fmt.Fprintf(progress, "travel: %s\n", rep.Summary())
		for _, w := range src.Warnings {
			fmt.Fprintf(progress, "travel: warning: %s\n", w)
		}
	}
	return m, rep, src, nil
}

// BetweenEstablishments returns the road travel between every two
// establishments of the region, with the snaps and options of rep.
func BetweenEstablishments(ctx context.Context, r *gst.Region, rep *osmroad.TravelReport) (*gst.Matrix, error) {
	_, places := gst.RegionRoadPlaces(r, nil)
	ro := rep.RoadOptions
	m, _, err := rep.Roads.PlaceMatrix(ctx, places, places, &ro)
	return m, err
}
