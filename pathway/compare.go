package pathway

import (
	"context"
	"errors"

	gst "github.com/gstplan/gst"
)

// Change sets the figures of two plans side by side.
type Change struct {
	Before Figures `json:"before"`
	After  Figures `json:"after"`
	// Delta is After − Before, field by field (derived ratios included);
	// Delta.Complete is true when both are complete. A negative
	// Delta.TravelMinutes is travel saved.
	Delta Figures `json:"delta"`
}

// none is the figures of a key absent from one side of a comparison.
var none = Figures{Complete: true}

func change(before, after Figures) Change {
	return Change{Before: before, After: after, Delta: sub(after, before)}
}

// PathwayChange compares one pathway.
type PathwayChange struct {
	Pathway PathwayID `json:"pathway"`
	Change
}

// StepChange compares one step.
type StepChange struct {
	Pathway PathwayID     `json:"pathway"`
	Step    StepID        `json:"step"`
	Service gst.ServiceID `json:"service"`
	Change
}

// GroupChange compares one group of people (or one care level), in total
// and by pathway.
type GroupChange struct {
	Key      string          `json:"key"`
	Name     string          `json:"name,omitempty"`
	Total    Change          `json:"total"`
	Pathways []PathwayChange `json:"pathways"`
}

// Comparison sets two plans side by side, with the differences.
type Comparison struct {
	// Before and After name the plans.
	Before string `json:"before"`
	After  string `json:"after"`
	// Objective compares the pathway-weighted travel, minutes a year.
	ObjectiveBefore float64 `json:"objective_before"`
	ObjectiveAfter  float64 `json:"objective_after"`
	ObjectiveDelta  float64 `json:"objective_delta"`
	Total           Change  `json:"total"`
	// The breakdowns follow Evaluation's; a key present in one plan only
	// (a care level the other does not use, say) has zero figures in the
	// other.
	Pathways    []PathwayChange `json:"pathways"`
	Steps       []StepChange    `json:"steps"`
	Areas       []GroupChange   `json:"areas"`
	Provinces   []GroupChange   `json:"provinces"`
	Segments    []GroupChange   `json:"segments"`
	Settings    []GroupChange   `json:"settings"`
	Deprivation []GroupChange   `json:"deprivation"`
	Levels      []GroupChange   `json:"levels"`
	// Unserved and Unreachable are each plan's explicit lists.
	UnservedBefore    []UnservedRow    `json:"unserved_before"`
	UnservedAfter     []UnservedRow    `json:"unserved_after"`
	UnreachableBefore []UnreachableRow `json:"unreachable_before"`
	UnreachableAfter  []UnreachableRow `json:"unreachable_after"`
}

// Compare evaluates two plans on the same region and pathway set and sets
// them side by side. Both plans are validated, every problem reported at
// once.
func Compare(ctx context.Context, r *gst.Region, set *Set, before, after Plan, opt *Options) (*Comparison, error) {
	c, err := compile(r, set, opt, func(p *gst.Problems) {
		checkPlan(p, r, before, "plan before")
		checkPlan(p, r, after, "plan after")
	})
	if err != nil {
		return nil, err
	}
	b, err := c.evaluate(ctx, before, opt)
	if err != nil {
		return nil, err
	}
	a, err := c.evaluate(ctx, after, opt)
	if err != nil {
		return nil, err
	}
	return Diff(b, a)
}

// Diff sets two evaluations side by side. They should come from the same
// pathway set (and usually the same region); keys found in one only are
// compared with zero figures.
func Diff(before, after *Evaluation) (*Comparison, error) {
	if before == nil || after == nil {
		return nil, &gst.ValidationError{Where: "comparison", Err: errors.New("both evaluations are required")}
	}
	c := &Comparison{
		Before: before.Plan, After: after.Plan,
		ObjectiveBefore: before.Objective, ObjectiveAfter: after.Objective,
		ObjectiveDelta: after.Objective - before.Objective,
		Total:          change(before.Total, after.Total),
		UnservedBefore: before.Unserved, UnservedAfter: after.Unserved,
		UnreachableBefore: before.Unreachable, UnreachableAfter: after.Unreachable,
	}
	c.Pathways = diffPathways(before.Pathways, after.Pathways)

	type sk struct {
		p PathwayID
		s StepID
	}
	var order []sk
	bs, as := map[sk]*StepResult{}, map[sk]*StepResult{}
	for i := range before.Steps {
		k := sk{before.Steps[i].Pathway, before.Steps[i].Step}
		bs[k] = &before.Steps[i]
		order = append(order, k)
	}
	for i := range after.Steps {
		k := sk{after.Steps[i].Pathway, after.Steps[i].Step}
		as[k] = &after.Steps[i]
		if bs[k] == nil {
			order = append(order, k)
		}
	}
	for _, k := range order {
		b, a := none, none
		var svc gst.ServiceID
		if x := bs[k]; x != nil {
			b, svc = x.Figures, x.Service
		}
		if x := as[k]; x != nil {
			a, svc = x.Figures, x.Service
		}
		c.Steps = append(c.Steps, StepChange{Pathway: k.p, Step: k.s, Service: svc, Change: change(b, a)})
	}
	c.Areas = diffGroups(before.Areas, after.Areas)
	c.Provinces = diffGroups(before.Provinces, after.Provinces)
	c.Segments = diffGroups(before.Segments, after.Segments)
	c.Settings = diffGroups(before.Settings, after.Settings)
	c.Deprivation = diffGroups(before.Deprivation, after.Deprivation)
	c.Levels = diffGroups(before.Levels, after.Levels)
	return c, nil
}

func diffPathways(before, after []PathwayFigures) []PathwayChange {
	var order []PathwayID
	bm, am := map[PathwayID]Figures{}, map[PathwayID]Figures{}
	for _, p := range before {
		bm[p.Pathway] = p.Figures
		order = append(order, p.Pathway)
	}
	for _, p := range after {
		if _, ok := bm[p.Pathway]; !ok {
			order = append(order, p.Pathway)
		}
		am[p.Pathway] = p.Figures
	}
	get := func(m map[PathwayID]Figures, id PathwayID) Figures {
		if f, ok := m[id]; ok {
			return f
		}
		return none
	}
	out := make([]PathwayChange, len(order))
	for i, id := range order {
		out[i] = PathwayChange{Pathway: id, Change: change(get(bm, id), get(am, id))}
	}
	return out
}

func diffGroups(before, after []Group) []GroupChange {
	var order []string
	bm, am := map[string]*Group{}, map[string]*Group{}
	for i := range before {
		bm[before[i].Key] = &before[i]
		order = append(order, before[i].Key)
	}
	for i := range after {
		if bm[after[i].Key] == nil {
			order = append(order, after[i].Key)
		}
		am[after[i].Key] = &after[i]
	}
	out := make([]GroupChange, len(order))
	for i, k := range order {
		b, a := bm[k], am[k]
		gc := GroupChange{Key: k}
		bt, at := none, none
		var bp, ap []PathwayFigures
		if b != nil {
			gc.Name, bt, bp = b.Name, b.Total, b.Pathways
		}
		if a != nil {
			at, ap = a.Total, a.Pathways
			if gc.Name == "" {
				gc.Name = a.Name
			}
		}
		gc.Total = change(bt, at)
		gc.Pathways = diffPathways(bp, ap)
		out[i] = gc
	}
	return out
}
