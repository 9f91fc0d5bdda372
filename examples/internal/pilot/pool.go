package pilot

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/pool"
	"github.com/gstplan/gst/capacity"
)

// Pooling rules of the pipeline (planning assumptions): staff may work at
// another public establishment within an hour's drive (allocate's default),
// for at most half of their time (allocate's default), in whole half-day
// sessions; an establishment lends only the staff it has beyond its own
// need (safe staffing: MinStayShare 1); need in more deprived places weighs
// up to twice as much. A move (a home, a host and a cadre) costs a fixed
// 200 MAD a week whatever its size, about an hour of a manager's time to
// schedule and supervise a shared post (planning assumption, no published
// figure), and carries at least one whole session a week; and a move is
// made only where it pays: an FTE of unmet need is valued at the employer's
// weekly cost of an FTE of the cheapest cadre pooled (its annual cost, from
// salaries [A5], over 52 weeks), so the cover it buys must be worth its
// staff's travel time, mileage and fixed cost.
const (
	PoolCommuteMinutes    = pool.DefaultCommuteMinutes
	PoolAwayShare         = pool.DefaultAwayShare
	PoolMinStayShare      = 1.0
	PoolDeprivationWeight = 1.0
	PoolPerMoveMAD        = 200.0
	PoolMinMoveSessions   = 1
	poolWeeksPerYear      = 52.0
)

// PoolGapTolerance is the gap to the proven bound at which the pooling
// plan is accepted: within half a per cent of the best possible, which a
// committee cannot tell apart given the assumptions, and fast; the report
// gives the gap reached.
const PoolGapTolerance = 0.005

// Pooling is the staff pooling step.
type Pooling struct {
	// Available is false when the step could not run; Note says why.
	Available bool   `json:"available"`
	Note      string `json:"note,omitempty"`
	// Plan is allocate's answer.
	Plan *pool.Plan `json:"plan,omitempty"`
	// UnmetValueMAD is the weekly value of an FTE of unmet need
	// (pool.Options.UnmetValueMAD) and ValueCategory the cadre whose
	// weekly cost sets it.
	UnmetValueMAD float64        `json:"unmet_value_mad"`
	ValueCategory gst.CategoryID `json:"value_category,omitempty"`
	// Categories and Provinces sum the plan's sites: need, staff on roll
	// and present, unmet need before and after.
	Categories []PoolTotal `json:"by_category,omitempty"`
	Provinces  []PoolTotal `json:"by_province,omitempty"`
}

// PoolTotal sums the pooling sites of a cadre or a province.
type PoolTotal struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Need        float64 `json:"need_fte"`
	OnRoll      float64 `json:"on_roll_fte"`
	Out         float64 `json:"out_fte"`
	In          float64 `json:"in_fte"`
	UnmetBefore float64 `json:"unmet_before_fte"`
	Unmet       float64 `json:"unmet_fte"`
	// Moves and TravelHours are the moves from the group's establishments
	// and their staff's travel, hours a week (round trips).
	Moves       int     `json:"moves"`
	TravelHours float64 `json:"travel_hours_per_week"`
}

// PoolNeed lists the WISN need of the public establishments that exist
// today, the need staff pooling covers.
func PoolNeed(r *gst.Region, a *capacity.Assessment) []pool.Need {
	var need []pool.Need
	for _, row := range a.WISN.Rows {
		e, ok := r.Establishment(row.Establishment)
		if !ok || e.Ownership != gst.Public || e.Candidate {
			continue
		}
		need = append(need, pool.Need{Establishment: row.Establishment, Category: row.Category, FTE: row.Required})
	}
	return need
}

// PoolProblem is the pooling problem of the pipeline, for any program that
// asks the pilots' pooling question: the WISN need of a (PoolNeed), the
// pooling and move rules above, today's catchments before, commutes from
// the estimator, or from between (the legs between establishments on the
// roads) when it is not nil. The options pool in sessions, accept a plan
// within PoolGapTolerance of its bound and value an FTE of unmet need at
// the weekly cost of the cheapest cadre, whose ID is returned; a caller
// may change the rules and options before pool.Solve.
func PoolProblem(r *gst.Region, a *capacity.Assessment, before *gst.Assignment, est *gst.Estimator, between *gst.Matrix) (*pool.Problem, *pool.Options, gst.CategoryID) {
	need := PoolNeed(r, a)
	value, valueCat := poolUnmetValue(r, need)
	prob := &pool.Problem{
		Region: r,
		Need:   need,
		Rules: pool.Rules{MaxCommuteMinutes: PoolCommuteMinutes, MaxAwayShare: PoolAwayShare,
			MinStayShare: PoolMinStayShare, DeprivationWeight: PoolDeprivationWeight,
			PerMoveMAD: PoolPerMoveMAD, MinMoveSessions: PoolMinMoveSessions},
		Catchment:    before,
		TravelSource: gst.TravelSource{Estimator: est},
	}
	if between != nil { // roads: every commute on them
		prob.Travel, prob.NoEstimate = between, true
	}
	opt := &pool.Options{Granularity: pool.Sessions, UnmetValueMAD: value,
		SolveOptions: gst.SolveOptions{GapTolerance: PoolGapTolerance}}
	return prob, opt, valueCat
}

// pool shares staff between the public establishments to cover the WISN
// need, within the commuting limit.
func (res *Result) pool(ctx context.Context) error {
	r := res.Region
	prob, opt, valueCat := PoolProblem(r, res.Assessment, res.Before, res.Estimator, res.EstTravel)
	value := opt.UnmetValueMAD
	opt.TimeLimit = res.Config.TimeLimit
	plan, err := pool.Solve(ctx, prob, opt)
	if err != nil {
		if errors.Is(err, gst.ErrInfeasible) || errors.Is(err, gst.ErrNoSolution) || errors.Is(err, gst.ErrTooLarge) {
			res.Pooling = Pooling{Note: "no pooling plan: " + err.Error()}
			return nil
		}
		return fmt.Errorf("staff pooling: %w", err)
	}
	p := Pooling{Available: true, Plan: plan, UnmetValueMAD: value, ValueCategory: valueCat}
	cats, provs := map[string]*PoolTotal{}, map[string]*PoolTotal{}
	for _, s := range plan.Sites {
		e, _ := r.Establishment(s.Establishment)
		for _, t := range []struct {
			m        map[string]*PoolTotal
			id, name string
		}{{cats, string(s.Category), res.categoryName(s.Category)}, {provs, string(e.Province), provinceName(r, e.Province)}} {
			pt := t.m[t.id]
			if pt == nil {
				pt = &PoolTotal{ID: t.id, Name: t.name}
				t.m[t.id] = pt
			}
			pt.Need += s.Need
			pt.OnRoll += s.OnRoll
			pt.Out += s.Out
			pt.In += s.In
			pt.UnmetBefore += s.UnmetBefore
			pt.Unmet += s.Unmet
		}
	}
	for _, m := range plan.Moves {
		e, _ := r.Establishment(m.From)
		for _, pt := range []*PoolTotal{cats[string(m.Category)], provs[string(e.Province)]} {
			if pt != nil {
				pt.Moves++
				pt.TravelHours += m.TravelMinutesPerWeek / 60
			}
		}
	}
	// Cadres in the order of the standards, provinces in the region's.
	for _, cs := range res.Standards {
		if pt, ok := cats[string(cs.Category)]; ok {
			p.Categories = append(p.Categories, *pt)
		}
	}
	for _, pv := range r.Provinces {
		if pt, ok := provs[string(pv.ID)]; ok {
			p.Provinces = append(p.Provinces, *pt)
		}
	}
	res.Pooling = p
	return nil
}

// poolUnmetValue returns the weekly value of an FTE of unmet need: the
// employer's weekly cost of an FTE of the cheapest cadre with need (ties
// by ID), and that cadre; 0 (the lexicographic objective) when no cadre
// with need has a cost.
func poolUnmetValue(r *gst.Region, need []pool.Need) (float64, gst.CategoryID) {
	best, id := 0.0, gst.CategoryID("")
	seen := map[gst.CategoryID]bool{}
	for _, n := range need {
		if seen[n.Category] {
			continue
		}
		seen[n.Category] = true
		c, ok := r.Category(n.Category)
		if !ok || c.AnnualCost <= 0 {
			continue
		}
		if v := c.AnnualCost / poolWeeksPerYear; id == "" || v < best || v == best && c.ID < id {
			best, id = v, c.ID
		}
	}
	return best, id
}

// topMoves returns the n largest moves, by FTE (ties by cadre, home, host).
func topMoves(p *pool.Plan, n int) []pool.Move {
	ms := append([]pool.Move(nil), p.Moves...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].FTE > ms[j].FTE })
	if len(ms) > n {
		ms = ms[:n]
	}
	return ms
}
