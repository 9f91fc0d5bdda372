package pathway

import (
	"context"
	"errors"
	"fmt"

	gst "github.com/gstplan/gst"
)

// WeightedTravelResult is the pathway-weighted travel of an assignment.
type WeightedTravelResult struct {
	// Minutes is Σ over the weight rows of weight × Σ over the row's
	// allocations to reachable establishments of share × one-way minutes;
	// Km the same in kilometres. With Flows.Weights as the weights it is
	// the annual travel of the plan, Evaluation.Objective.
	Minutes float64 `json:"minutes"`
	Km      float64 `json:"km"`
	// Weight is the total weight; AssessedWeight the part served at a
	// reachable establishment; UnservedWeight the part sent nowhere;
	// UnreachableWeight the part sent to an establishment the matrix
	// cannot reach from the area. Minutes counts AssessedWeight only.
	Weight            float64 `json:"weight"`
	AssessedWeight    float64 `json:"assessed_weight"`
	UnservedWeight    float64 `json:"unserved_weight"`
	UnreachableWeight float64 `json:"unreachable_weight"`
	// Complete is true when no weight is unserved or unreachable.
	Complete bool `json:"complete"`
}

// WeightedTravel returns Σ_areas Σ_services weight × Σ_establishments
// share × one-way travel for an assignment, from root types only: weights
// by area and service (Flows.Weights for pathway weighting; any demand
// table works), the assignment, and a matrix from areas to establishments.
// It is the objective a location model should minimise to judge sites by
// whole pathways, so a model's reported objective can be checked against
// it. Unserved and unreachable weight is reported, never counted as zero
// or infinite travel.
func WeightedTravel(weights *gst.DemandTable, asg *gst.Assignment, travel *gst.Matrix) (*WeightedTravelResult, error) {
	var p gst.Problems
	if weights == nil {
		p.Add("weighted travel", "weights", errors.New("is nil"))
	}
	if asg == nil {
		p.Add("weighted travel", "assignment", errors.New("is nil"))
	}
	if travel == nil {
		p.Add("weighted travel", "travel", errors.New("is nil (build one with Travel)"))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	res := &WeightedTravelResult{}
	cols := map[gst.EstablishmentID]int{}
	col := func(e gst.EstablishmentID) int {
		if j, ok := cols[e]; ok {
			return j
		}
		j, ok := travel.ToIndex(string(e))
		if !ok {
			j = -1
		}
		cols[e] = j
		return j
	}
	for _, d := range weights.Rows() {
		w := d.Volume
		res.Weight += w
		row, rowOK := travel.FromIndex(string(d.Area))
		var served float64
		for _, al := range asg.For(d.Area, d.Service) {
			served += al.Share
			j := col(al.Establishment)
			if rowOK && j >= 0 {
				if leg, ok := travel.At(row, j); ok {
					res.Minutes += w * al.Share * leg.Minutes
					res.Km += w * al.Share * leg.Km
					res.AssessedWeight += w * al.Share
					continue
				}
			}
			res.UnreachableWeight += w * al.Share
		}
		if u := 1 - served; u >= gst.AssignmentTolerance {
			res.UnservedWeight += w * u
		}
	}
	res.Complete = res.UnservedWeight == 0 && res.UnreachableWeight == 0
	return res, nil
}

// Objective returns the pathway-weighted travel of a plan: WeightedTravel
// of the set's weights (see Weights) under the plan's assignment and
// travel (estimated as Evaluate does when the plan has none). It validates
// as Evaluate does.
func Objective(ctx context.Context, r *gst.Region, set *Set, plan Plan, opt *Options) (*WeightedTravelResult, error) {
	var p gst.Problems
	checkPlan(&p, r, plan, "plan")
	w, err := Weights(r, set, opt)
	if err != nil {
		p.AddErr(err)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	m := plan.Travel
	if m == nil {
		if m, err = Travel(ctx, r, plan.Assignment, opt); err != nil {
			return nil, fmt.Errorf("pathway: travel for the objective: %w", err)
		}
	}
	return WeightedTravel(w, plan.Assignment, m)
}
