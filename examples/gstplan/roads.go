package main

import (
	"context"
	"fmt"
	"io"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/examples/internal/pilot"
)

// travel sets the travel matrix from the areas to the establishments:
// estimated with the scenario's circuity, or on the roads of an
// OpenStreetMap extract when roads names one.
func (res *Result) travel(ctx context.Context, roads string, progress io.Writer) (*gst.Matrix, error) {
	r := res.Region
	if roads == "" {
		if progress != nil {
			fmt.Fprintf(progress, "gstplan: estimating travel from %d areas to %d establishments\n", len(r.Areas), len(r.Establishments))
		}
		m, err := pilot.TravelMatrix(ctx, r, &gst.Estimator{Circuity: res.circuity})
		res.Travel, res.TravelSource = m, pilot.EstimateSource(res.circuity)
		return m, err
	}
	if progress != nil {
		fmt.Fprintf(progress, "gstplan: travel on the roads of %s from %d areas to %d establishments\n", roads, len(r.Areas), len(r.Establishments))
	}
	m, _, src, err := pilot.RoadTravel(ctx, r, roads, progress)
	res.Travel, res.TravelSource = m, src
	return m, err
}
