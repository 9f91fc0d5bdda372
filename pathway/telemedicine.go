package pathway

import (
	"context"
	"fmt"

	gst "github.com/gstplan/gst"
)

// TelemedicineChange sets the telemedicine share of one step.
type TelemedicineChange struct {
	Pathway PathwayID `json:"pathway"`
	Step    StepID    `json:"step"`
	// Share is the new share of the step's visits delivered remotely, in
	// [0, 1].
	Share float64 `json:"share"`
}

// TelemedicineEffect is what one change does to its step.
type TelemedicineEffect struct {
	Pathway   PathwayID     `json:"pathway"`
	Step      StepID        `json:"step"`
	Service   gst.ServiceID `json:"service"`
	FromShare float64       `json:"from_share"`
	ToShare   float64       `json:"to_share"`
	// VisitsMovedOnline are the in-person visits a year that become remote
	// (negative when the share falls).
	VisitsMovedOnline float64 `json:"visits_moved_online"`
	// MinutesSaved and KmSaved are the step's annual travel before minus
	// after (negative when the share falls).
	MinutesSaved float64 `json:"minutes_saved"`
	KmSaved      float64 `json:"km_saved"`
	// Change sets the step's figures before and after side by side.
	Change Change `json:"change"`
}

// TelemedicineResult is the outcome of a telemedicine what-if.
type TelemedicineResult struct {
	// Effects lists the changes in the order given.
	Effects []TelemedicineEffect `json:"effects"`
	// MinutesSaved, KmSaved and VisitsMovedOnline sum the effects.
	MinutesSaved      float64 `json:"minutes_saved"`
	KmSaved           float64 `json:"km_saved"`
	VisitsMovedOnline float64 `json:"visits_moved_online"`
	// Comparison sets the whole plan before and after the changes side by
	// side (by area, province, segment…).
	Comparison *Comparison `json:"comparison"`
}

// WhatIfTelemedicine evaluates a plan with the set as it is and with the
// telemedicine shares of some steps changed, and reports the travel saved.
// Remote visits travel nothing but still count in the service's volume.
// Each change must name an existing step, at most once, with a share in
// [0, 1]; every problem is reported at once.
func WhatIfTelemedicine(ctx context.Context, r *gst.Region, set *Set, plan Plan, changes []TelemedicineChange, opt *Options) (*TelemedicineResult, error) {
	after := set.Clone()
	c, err := compile(r, set, opt, func(p *gst.Problems) {
		checkPlan(p, r, plan, "plan")
		if len(changes) == 0 {
			p.Addf("telemedicine changes", "", "none given")
		}
		type key struct {
			p PathwayID
			s StepID
		}
		seen := map[key]bool{}
		for i, ch := range changes {
			w := fmt.Sprintf("telemedicine change #%d (pathway %q, step %q)", i+1, ch.Pathway, ch.Step)
			p.CheckFraction(w, "share", ch.Share)
			k := key{ch.Pathway, ch.Step}
			if seen[k] {
				p.Addf(w, "", "step changed twice")
			}
			seen[k] = true
			if after == nil {
				continue
			}
			pw, ok := after.Pathway(ch.Pathway)
			if !ok {
				p.Addf(w, "pathway", "not in the set")
				continue
			}
			st, ok := pw.Step(ch.Step)
			if !ok {
				p.Addf(w, "step", "not in the pathway")
				continue
			}
			st.TelemedicineShare = ch.Share
		}
	})
	if err != nil {
		return nil, err
	}
	ca, err := compile(r, after, opt, nil)
	if err != nil {
		return nil, err
	}
	b, err := c.evaluate(ctx, plan, opt)
	if err != nil {
		return nil, err
	}
	a, err := ca.evaluate(ctx, plan, opt)
	if err != nil {
		return nil, err
	}
	if plan.Name == "" {
		a.Plan = "telemedicine what-if"
	} else {
		a.Plan = plan.Name + " with telemedicine changes"
	}
	cmp, err := Diff(b, a)
	if err != nil {
		return nil, err
	}
	res := &TelemedicineResult{Comparison: cmp}
	for _, ch := range changes {
		bs, _ := b.Step(ch.Pathway, ch.Step)
		as, _ := a.Step(ch.Pathway, ch.Step)
		e := TelemedicineEffect{
			Pathway: ch.Pathway, Step: ch.Step, Service: bs.Service,
			FromShare: bs.TelemedicineShare, ToShare: as.TelemedicineShare,
			VisitsMovedOnline: bs.InPersonVisits - as.InPersonVisits,
			MinutesSaved:      bs.TravelMinutes - as.TravelMinutes,
			KmSaved:           bs.TravelKm - as.TravelKm,
			Change:            change(bs.Figures, as.Figures),
		}
		res.Effects = append(res.Effects, e)
		res.MinutesSaved += e.MinutesSaved
		res.KmSaved += e.KmSaved
		res.VisitsMovedOnline += e.VisitsMovedOnline
	}
	return res, nil
}
