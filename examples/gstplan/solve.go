package main

import (
	"context"
	"fmt"
	"io"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/examples/internal/scenario"
)

// Result is a solved scenario (scenario.Locate's), which gstplan writes.
type Result struct {
	*scenario.Result
}

// solve reads the region and solves the scenario; roads, when not empty,
// names the OpenStreetMap extract whose roads give the travel times.
func solve(ctx context.Context, dir string, sc *scenario.Scenario, pl *scenario.Plan, roads string, progress io.Writer) (*Result, error) {
	if progress != nil {
		fmt.Fprintf(progress, "gstplan: reading %s\n", dir)
	}
	r, err := gst.Open(dir, nil)
	if err != nil {
		return nil, err
	}
	res, err := scenario.Locate(ctx, scenario.Input{Region: r, RegionDir: dir, Scenario: sc, Plan: pl, Roads: roads, Program: "gstplan", Progress: progress})
	if err != nil {
		return nil, err
	}
	return &Result{res}, nil
}
