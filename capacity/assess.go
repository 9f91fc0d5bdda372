package capacity

import (
	"context"
	"errors"

	"github.com/gstplan/gst"
)

// AssessInput is what Assess needs beyond the region.
type AssessInput struct {
	// Rates are the utilisation rates (see Demand).
	Rates []Rate `json:"rates"`
	// Standards are the WISN standards of the categories to assess.
	Standards []CategoryStandards `json:"standards"`
	// Assignment sends area demand to establishments. Nil: each area goes
	// to the nearest establishment offering the service (NearestAssignment).
	Assignment *gst.Assignment `json:"assignment,omitempty"`
	// Workloads and Individual add activity workloads and establishment
	// allowances given directly (see WISNInput).
	Workloads  []Workload               `json:"workloads,omitempty"`
	Individual []EstablishmentAllowance `json:"individual,omitempty"`
}

// AssessOptions tune Assess. A nil *AssessOptions uses the defaults.
type AssessOptions struct {
	// Demand tunes the demand step (projection, missing segments).
	// Default nil: Demand's defaults.
	Demand *DemandOptions
	// Attribute tunes the nearest assignment when Assignment is nil.
	// Default nil: AttributeOptions' defaults.
	Attribute *AttributeOptions
	// WISN tunes the WISN step. Default nil: WISNOptions' defaults.
	WISN *WISNOptions
	// CatchmentService is the service whose assignment gives each
	// establishment its catchment population in the gap tables. Default
	// "": the mean share over each area's assigned services.
	CatchmentService gst.ServiceID
}

// Assessment carries every step from population to gaps.
type Assessment struct {
	// Year is the year of the figures (the projection's target year, or
	// the areas' common base year; 0 when they differ).
	Year        int           `json:"year"`
	Demand      *DemandResult `json:"demand"`
	Attribution *Attribution  `json:"attribution"`
	WISN        *WISNResult   `json:"wisn"`
	Gaps        *Gaps         `json:"gaps"`
	// Region is the region the figures were computed on: the input
	// region, or its projection to Year.
	Region *gst.Region `json:"-"`
}

// Assess runs the whole chain once: demand from population (projected when
// asked), attribution of the demand to establishments through the
// assignment (the nearest one when none is given), WISN staff need for
// every establishment and category, and the gap tables with each
// establishment's catchment population under that assignment. It gives
// the same figures as calling Demand, Attribute, WISN and ComputeGaps in
// turn, but validates the region only once.
func Assess(ctx context.Context, r *gst.Region, in *AssessInput, opt *AssessOptions) (*Assessment, error) {
	if err := checkRegion(r); err != nil {
		return nil, err
	}
	if in == nil {
		var p gst.Problems
		p.Add("assess input", "", errors.New("must not be nil"))
		return nil, p.Err()
	}
	if opt == nil {
		opt = &AssessOptions{}
	}
	dem, pr, err := demand(r, in.Rates, opt.Demand, false)
	if err != nil {
		return nil, err
	}
	at, err := attribute(ctx, pr, dem.Table, in.Assignment, opt.Attribute, false)
	if err != nil {
		return nil, err
	}
	w, err := wisn(pr, &WISNInput{Standards: in.Standards, Volumes: at.Volumes, Workloads: in.Workloads, Individual: in.Individual}, opt.WISN, false)
	if err != nil {
		return nil, err
	}
	g, err := computeGaps(pr, w.Need(), &GapOptions{Catchment: at.Assignment, CatchmentService: opt.CatchmentService}, false)
	if err != nil {
		return nil, err
	}
	return &Assessment{Year: dem.Year, Demand: dem, Attribution: at, WISN: w, Gaps: g, Region: pr}, nil
}
