package pathway

import (
	"errors"

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
	} else if err := travel.CheckNotAllZero(); err != nil {
		p.Add("weighted travel", "travel", err)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
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
	return weightedTravel(weights, asg, func(a gst.AreaID) int {
		if i, ok := travel.FromIndex(string(a)); ok {
			return i
		}
		return -1
	}, col, func(row, col int) (gst.Leg, bool) {
		if row < 0 || col < 0 {
			return gst.Leg{}, false
		}
		return travel.At(row, col)
	}), nil
}

// weightedTravel sums weight × share × leg over the weight rows, with legs
// looked up by origin and destination index.
func weightedTravel(weights *gst.DemandTable, asg *gst.Assignment, rowOf func(gst.AreaID) int,
	colOf func(gst.EstablishmentID) int, leg func(row, col int) (gst.Leg, bool)) *WeightedTravelResult {
	res := &WeightedTravelResult{}
	for _, d := range weights.Rows() {
		w := d.Volume
		res.Weight += w
		row := rowOf(d.Area)
		var served float64
		for _, al := range asg.For(d.Area, d.Service) {
			served += al.Share
			if l, ok := leg(row, colOf(al.Establishment)); ok {
				res.Minutes += w * al.Share * l.Minutes
				res.Km += w * al.Share * l.Km
				res.AssessedWeight += w * al.Share
				continue
			}
			res.UnreachableWeight += w * al.Share
		}
		if u := 1 - served; u >= gst.AssignmentTolerance {
			res.UnservedWeight += w * u
		}
	}
	res.Complete = res.UnservedWeight == 0 && res.UnreachableWeight == 0
	return res
}

// Objective returns the pathway-weighted travel of a plan: WeightedTravel
// of the set's weights (see Weights) under the plan's assignment and
// travel (the region's matrix and estimated legs, as Evaluate takes them,
// when the plan has none). It validates as Evaluate does.
func Objective(r *gst.Region, set *Set, plan Plan, opt *Options) (*WeightedTravelResult, error) {
	var p gst.Problems
	checkPlan(&p, r, plan, "plan")
	w, err := Weights(r, set, opt)
	if err != nil {
		p.AddErr(err)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if plan.Travel != nil {
		return WeightedTravel(w, plan.Assignment, plan.Travel)
	}
	src, err := newLegSource(r, nil, opt)
	if err != nil {
		return nil, err
	}
	rows := make(map[gst.AreaID]int, len(r.Areas))
	for i := range r.Areas {
		rows[r.Areas[i].ID] = i
	}
	return weightedTravel(w, plan.Assignment, func(a gst.AreaID) int {
		if i, ok := rows[a]; ok {
			return i
		}
		return -1
	}, src.col, src.leg), nil
}
