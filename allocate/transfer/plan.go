package transfer

import (
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/round"
	"github.com/gstplan/gst/allocate/internal/stop"
)

// plan assembles the answer from a solution: the flows with what the
// payers pay, the loads and resources used, the areas' assignment, and the
// value, bound and status.
func (in *inst) plan(sol *solution) (*Plan, error) {
	plan := &Plan{Objective: in.p.Objective, Method: sol.method, Model: sol.stats}
	plan.Model.Services = len(in.svcs)
	plan.Model.Origins = len(in.origins)
	plan.Model.EstimatedBytes = in.estBytes
	load, after, err := in.planFlows(plan, sol)
	if err != nil {
		return nil, err
	}
	in.planLoads(plan, sol, load)
	if err := in.planAssignment(plan); err != nil {
		return nil, err
	}
	in.planValue(plan, sol, after)
	in.planPayerSplits(plan, sol)
	return plan, nil
}

// payerSplitTolerance is the difference between two payers' shares of a
// provider below which they count as the same (rounding of the solvers).
const payerSplitTolerance = 1e-6

// planPayerSplits lists the origins and services whose payers' cases go to
// different providers.
func (in *inst) planPayerSplits(plan *Plan, sol *solution) {
	for si := range in.svcs {
		for _, grp := range in.originGroups(in.svcs[si].demands) {
			if len(grp) < 2 {
				continue
			}
			// Shares by provider position (and unserved, last) of each
			// payer's cases.
			d0 := grp[0]
			n := int(in.arcFrom[d0+1] - in.arcFrom[d0])
			share := make([][]float64, len(grp))
			for j, d := range grp {
				share[j] = make([]float64, n+1)
				v := in.demands[d].volume
				served := 0.0
				for i := 0; i < n; i++ {
					f := sol.flow[int(in.arcFrom[d])+i]
					share[j][i] = f / v
					served += f
				}
				share[j][n] = math.Max(0, v-served) / v
			}
			diff := 0.0
			for i := 0; i <= n; i++ {
				lo, hi := share[0][i], share[0][i]
				for j := range grp {
					lo, hi = math.Min(lo, share[j][i]), math.Max(hi, share[j][i])
				}
				diff = math.Max(diff, hi-lo)
			}
			if diff <= payerSplitTolerance {
				continue
			}
			og := &in.origins[in.demands[d0].origin]
			ps := PayerSplit{Origin: og.id, FromArea: og.area, Service: in.svcs[si].id, Difference: round.Clean(diff)}
			for j, d := range grp {
				py := in.payers[in.demands[d].payer].id
				for i := 0; i < n; i++ {
					if share[j][i] > payerSplitTolerance {
						e := in.provs[in.ps[in.arcs[int(in.arcFrom[d])+i].ps].prov].id
						ps.Shares = append(ps.Shares, PayerShare{Payer: py, Establishment: e, Share: round.Clean(share[j][i])})
					}
				}
				if share[j][n] > payerSplitTolerance {
					ps.Shares = append(ps.Shares, PayerShare{Payer: py, Share: round.Clean(share[j][n])})
				}
			}
			sort.SliceStable(ps.Shares, func(a, b int) bool {
				x, y := ps.Shares[a], ps.Shares[b]
				if x.Payer != y.Payer {
					return x.Payer < y.Payer
				}
				return x.Establishment < y.Establishment
			})
			plan.PayerSplits = append(plan.PayerSplits, ps)
		}
	}
}

// planFlows lists the flows and the demand left unserved, and sums what
// each payer pays, the load of each provider of a service and the figures
// of the plan.
func (in *inst) planFlows(plan *Plan, sol *solution) ([]float64, Figures, error) {
	served := make([]float64, len(in.demands))
	load := make([]float64, len(in.ps))
	payer := make([]PayerCost, len(in.payers))
	for i, py := range in.payers {
		payer[i] = PayerCost{Payer: py.id, BudgetMAD: in.payerBudget[i]}
	}
	var after Figures
	for a := range in.arcs {
		f := sol.flow[a]
		if f <= 1e-9 {
			continue
		}
		arc := &in.arcs[a]
		d := &in.demands[arc.demand]
		sv := &in.svcs[d.svc]
		ps := &in.ps[arc.ps]
		og := &in.origins[d.origin]
		fl := Flow{Origin: og.id, FromArea: og.area, Service: sv.id, Payer: in.payers[d.payer].id,
			Establishment: in.provs[ps.prov].id, Volume: round.Clean(f), Minutes: arc.minutes, Km: arc.km,
			PatientMinutes: round.Clean(f * sv.trips * arc.minutes), FeesMAD: round.Clean(f * arc.fee), CapitationMAD: round.Clean(f * arc.capit)}
		plan.Flows = append(plan.Flows, fl)
		served[arc.demand] += f
		load[arc.ps] += f
		pc := &payer[d.payer]
		pc.Cases += f
		pc.FeesMAD += f * arc.fee
		pc.CapitationMAD += f * arc.capit
		after.PatientMinutes += f * sv.trips * arc.minutes
		after.CostMAD += f * (arc.fee + arc.capit)
		if in.provs[ps.prov].private {
			after.PrivateVolume += f
		}
		after.MeanMinutes += f * arc.minutes
	}
	// Flows are in arc order: by service, origin, payer and provider.
	for d := range in.demands {
		dm := &in.demands[d]
		after.Volume += dm.volume
		if u := dm.volume - served[d]; u > 1e-7*math.Max(1, dm.volume) {
			plan.UnservedRows = append(plan.UnservedRows, Unserved{Origin: in.origins[dm.origin].id,
				FromArea: in.origins[dm.origin].area, Service: in.svcs[dm.svc].id, Payer: in.payers[dm.payer].id, Volume: round.Clean(u)})
			after.Unserved += u
		}
	}
	if after.Volume-after.Unserved > 0 {
		after.MeanMinutes /= after.Volume - after.Unserved
	}
	if after.Unserved > 1e-7*math.Max(1, after.Volume) && !in.p.AllowUnserved {
		return nil, after, fmt.Errorf("allocate: transfer: %w: stopped (%v) before every case was served", gst.ErrNoSolution, sol.stopped)
	}
	for i := range payer {
		pc := &payer[i]
		pc.TotalMAD = round.Clean(pc.FeesMAD + pc.CapitationMAD)
		pc.Cases, pc.FeesMAD, pc.CapitationMAD = round.Clean(pc.Cases), round.Clean(pc.FeesMAD), round.Clean(pc.CapitationMAD)
	}
	plan.Payers = payer
	return load, after, nil
}

// planLoads gives the load of each provider of a service and the use of
// each resource, with the worth of one more unit.
func (in *inst) planLoads(plan *Plan, sol *solution, load []float64) {
	for k := range in.ps {
		ps := &in.ps[k]
		tl := Load{Establishment: in.provs[ps.prov].id, Service: in.svcs[ps.svc].id, Private: in.provs[ps.prov].private,
			Volume: round.Clean(load[k]), MinVolume: ps.min, CasesPerUnit: round.Clean(sol.psCases[k]), ValuePerUnit: round.Clean(sol.psValue[k])}
		if !math.IsInf(ps.capacity, 1) {
			c := ps.capacity
			tl.Capacity = &c
			if c > 0 {
				u := load[k] / c
				tl.Utilisation = &u
			}
		}
		plan.Loads = append(plan.Loads, tl)
	}
	for r := range in.res {
		rs := &in.res[r]
		used := 0.0
		for k := range in.ps {
			for j, ri := range in.ps[k].res {
				if int(ri) == r {
					used += in.ps[k].per[j] * load[k]
				}
			}
		}
		ru := ResourceUse{Establishment: in.provs[rs.prov].id, Resource: rs.name, Used: round.Clean(used), Available: rs.avail,
			CasesPerUnit: round.Clean(sol.resCases[r]), ValuePerUnit: round.Clean(sol.resValue[r])}
		if rs.avail > 0 {
			u := used / rs.avail
			ru.Utilisation = &u
		}
		plan.Resources = append(plan.Resources, ru)
	}
}

// planAssignment gives the areas' shares of each service at each
// provider.
func (in *inst) planAssignment(plan *Plan) error {
	type ase struct {
		a gst.AreaID
		s gst.ServiceID
		e gst.EstablishmentID
	}
	shares := map[ase]float64{}
	var keys []ase
	for _, fl := range plan.Flows {
		if !fl.FromArea {
			continue
		}
		k := ase{gst.AreaID(fl.Origin), fl.Service, fl.Establishment}
		if _, ok := shares[k]; !ok {
			keys = append(keys, k)
		}
		shares[k] += fl.Volume
	}
	var rows []gst.Allocation
	for _, k := range keys {
		total := in.p.Demand.Volume(k.a, k.s)
		if total <= 0 {
			continue
		}
		sh := math.Min(1, shares[k]/total)
		if sh > 1e-12 {
			rows = append(rows, gst.Allocation{Area: k.a, Service: k.s, Establishment: k.e, Share: sh})
		}
	}
	asg, err := gst.NewAssignment(rows)
	if err != nil {
		return fmt.Errorf("allocate: transfer: assignment: %w", err)
	}
	plan.Assignment = asg
	return nil
}

// planValue gives the plan's value and figures against today's pattern,
// its bound, gap and status.
func (in *inst) planValue(plan *Plan, sol *solution, after Figures) {
	plan.Unserved = round.Clean(after.Unserved)
	plan.CostMAD = round.Clean(after.CostMAD)
	plan.PatientMinutes = round.Clean(after.PatientMinutes)
	if in.p.Objective == TravelFirst {
		plan.Value = plan.PatientMinutes
	} else {
		plan.Value = round.Clean(after.CostMAD + in.p.MinuteValueMAD*after.PatientMinutes)
	}
	for _, v := range []*float64{&after.Volume, &after.Unserved, &after.PatientMinutes, &after.MeanMinutes, &after.CostMAD, &after.PrivateVolume} {
		*v = round.Clean(*v)
	}
	plan.After = after
	plan.Before = in.before()
	plan.Status = gst.StatusOptimal
	plan.Bound = plan.Value
	if !sol.exact || sol.stopped != nil {
		plan.Bound = math.Min(plan.Value, round.Clean(sol.bound))
		plan.Status = stop.Status(sol.stopped)
		plan.Notes = append(plan.Notes, fmt.Sprintf("stopped (%v): services not solved have no flows", sol.stopped))
	}
	plan.Gap = gst.Gap(plan.Value, plan.Bound)
	if math.Abs(plan.Value-plan.Bound) <= 1e-9*math.Max(1, math.Abs(plan.Value)) {
		plan.Gap = 0
	}
	if sol.stopped != nil && plan.Unserved > 0 {
		// Value and Bound cover the services solved before the stop; the
		// demand left without flows makes the plan unproven as a whole.
		plan.Gap = 1
		plan.Notes = append(plan.Notes, fmt.Sprintf("gap set to 100%%: %g cases a year are left without flows by the stop", plan.Unserved))
	}
}

// before sends every case to the nearest public establishment offering its
// service within the service's reach, capacities ignored: today's pattern.
func (in *inst) before() Figures {
	var f Figures
	load := make([]float64, len(in.ps))
	for d := range in.demands {
		dm := &in.demands[d]
		f.Volume += dm.volume
		best := int32(-1)
		for a := in.arcFrom[d]; a < in.arcFrom[d+1]; a++ {
			arc := &in.arcs[a]
			if in.provs[in.ps[arc.ps].prov].private {
				continue
			}
			if best < 0 || arc.minutes < in.arcs[best].minutes ||
				(arc.minutes == in.arcs[best].minutes && in.ps[arc.ps].prov < in.ps[in.arcs[best].ps].prov) {
				best = a
			}
		}
		if best < 0 {
			f.Unserved += dm.volume
			continue
		}
		arc := &in.arcs[best]
		f.PatientMinutes += dm.volume * in.svcs[dm.svc].trips * arc.minutes
		f.MeanMinutes += dm.volume * arc.minutes
		f.CostMAD += dm.volume * (arc.fee + arc.capit)
		load[arc.ps] += dm.volume
	}
	if f.Volume-f.Unserved > 0 {
		f.MeanMinutes /= f.Volume - f.Unserved
	}
	for k, l := range load {
		if c := in.ps[k].capacity; l > c {
			f.OverCapacity += l - c
		}
	}
	for _, v := range []*float64{&f.Volume, &f.Unserved, &f.PatientMinutes, &f.MeanMinutes, &f.CostMAD, &f.OverCapacity} {
		*v = round.Clean(*v)
	}
	return f
}
