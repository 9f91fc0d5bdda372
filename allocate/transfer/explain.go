package transfer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
	"github.com/gstplan/gst/internal/msgtext"
)

// listed is how many origins a reason names.
const listed = 5

// leg returns the travel from an origin to a provider as Solve sees it.
func (in *inst) leg(o, prov int32) (gst.Leg, bool) {
	return in.p.TravelSource.Leg(in.p.Region, in.origins[o].pt, in.provs[prov].pt)
}

// precheck compares demand with what can serve it, before any solve.
func (in *inst) precheck() []*gst.InfeasibleError {
	var out []*gst.InfeasibleError
	for si := range in.svcs {
		sv := &in.svcs[si]
		// Demand that no provider within reach can serve.
		var stranded []string
		var strandedIx []int32
		var vol float64
		seen := map[int32]bool{}
		for _, d := range sv.demands {
			if in.arcFrom[d+1] > in.arcFrom[d] {
				continue
			}
			o := in.demands[d].origin
			vol += in.demands[d].volume
			if !seen[o] {
				seen[o] = true
				stranded = append(stranded, in.origins[o].id)
				strandedIx = append(strandedIx, o)
			}
		}
		if len(stranded) > 0 {
			reason := fmt.Sprintf("%s cases a year of %q from %s have no provider within reach", msgtext.Number(vol), sv.id, msgtext.List(stranded, listed))
			if !math.IsInf(sv.maxMin, 1) {
				reason += fmt.Sprintf(" (%s min)", msgtext.Number(sv.maxMin))
			}
			// The nearest provider of the first origin, to say how far.
			o := in.origins
			first := int32(-1)
			for i := range o {
				if o[i].id == stranded[0] {
					first = int32(i)
				}
			}
			best, bestMin := int32(-1), math.Inf(1)
			for _, k := range sv.ps {
				if l, ok := in.leg(first, in.ps[k].prov); ok && l.Minutes < bestMin {
					best, bestMin = in.ps[k].prov, l.Minutes
				}
			}
			switch {
			case len(sv.ps) == 0:
				reason += ": no establishment provides it"
			case best >= 0:
				reason += fmt.Sprintf(": the nearest to %s is %s, %s min away", stranded[0], in.provs[best].id, msgtext.Number(math.Round(bestMin)))
			}
			tc := in.conflict("max travel", sv.id, "")
			tc.Amount, tc.Reason = vol, reason
			for _, o := range strandedIx {
				in.addOrigin(&tc, o)
			}
			out = append(out, &tc)
		}
		// Demand above every capacity together.
		total, capTotal := 0.0, 0.0
		for _, d := range sv.demands {
			total += in.demands[d].volume
		}
		for _, k := range sv.ps {
			capTotal += in.ps[k].capacity
		}
		if total > capTotal*(1+1e-9)+1e-9 {
			tc := in.conflict("capacity", sv.id, "")
			tc.Amount = total - capTotal
			tc.Reason = fmt.Sprintf("%s cases a year of %q, but its %d providers can take %s", msgtext.Number(total), sv.id, len(sv.ps), msgtext.Number(capTotal))
			out = append(out, &tc)
		}
	}
	// Contract floors above the demand that can reach the partner.
	reach := make([]float64, len(in.ps))
	for a := range in.arcs {
		reach[in.arcs[a].ps] += in.demands[in.arcs[a].demand].volume
	}
	for k := range in.ps {
		ps := &in.ps[k]
		if ps.min > reach[k]*(1+1e-9)+1e-9 {
			tc := in.conflict("contract minimum", in.svcs[ps.svc].id, in.provs[ps.prov].id)
			tc.Amount = ps.min - reach[k]
			tc.Reason = fmt.Sprintf("the contract with %s guarantees %s cases a year of %q, but only %s can reach it",
				in.provs[ps.prov].id, msgtext.Number(ps.min), in.svcs[ps.svc].id, msgtext.Number(reach[k]))
			out = append(out, &tc)
		}
	}
	return out
}

// explain solves an elastic programme, in which capacities, resources,
// contract floors and budgets may give (at one unit of price per case, or
// per case-equivalent for resources and money) and demand may go unserved
// (at twice that): the rules it breaks are those that clash, and by how
// much they would have to give.
func (in *inst) explain(ctx context.Context) error {
	if cs := in.precheck(); len(cs) > 0 {
		return gst.JoinInfeasible(cs)
	}
	x, slack := in.buildLP(true)
	m := x.m
	for j := 0; j < m.NumVars(); j++ {
		m.SetObj(j, 0)
	}
	// Prices of the slacks.
	meanCost := 0.0
	var vol float64
	for a := range in.arcs {
		meanCost += in.arcs[a].fee + in.arcs[a].capit
	}
	for _, d := range in.demands {
		vol += d.volume
	}
	if len(in.arcs) > 0 {
		meanCost /= float64(len(in.arcs))
	}
	cols := make([]int, 0, len(slack))
	for c := range slack {
		cols = append(cols, c)
	}
	sort.Ints(cols)
	for _, c := range cols {
		tc := slack[c]
		w := 1.0
		switch tc.Rule {
		case "demand":
			w = 2
		case "resource":
			// Per case: the least use of the resource by a case.
			least := math.Inf(1)
			for k := range in.ps {
				for j, r := range in.ps[k].res {
					if in.res[r].name == tc.Resource && in.provs[in.res[r].prov].id == tc.Establishment {
						least = math.Min(least, in.ps[k].per[j])
					}
				}
			}
			if !math.IsInf(least, 1) {
				w = 1 / least
			}
		case "budget", "payer budget":
			w = 1 / math.Max(meanCost, 1)
		}
		m.SetObj(c, w)
	}
	s, err := lp.Solve(ctx, m, nil)
	if err != nil {
		if errors.Is(err, gst.ErrInfeasible) {
			tc := in.conflict("demand", "", "")
			tc.Reason, tc.Elastic = "the demand cannot be routed at all", true
			return &tc
		}
		tc := in.conflict("rules", "", "")
		tc.Unit, tc.Reason, tc.Elastic = "", "the rules clash", true
		return &tc
	}
	type key struct {
		rule, svc, est, res, payer string
	}
	agg := map[key]*gst.InfeasibleError{}
	var keys []key
	for _, c := range cols {
		v := s.X[c]
		if v <= 1e-6*math.Max(1, vol) {
			continue
		}
		tc := slack[c]
		k := key{tc.Rule, string(tc.Service), string(tc.Establishment), tc.Resource, tc.Payer}
		a := agg[k]
		if a == nil {
			cp := tc
			cp.Areas, cp.Referrers = nil, nil
			a = &cp
			agg[k] = a
			keys = append(keys, k)
		}
		a.Amount += v
		a.Areas = append(a.Areas, tc.Areas...)
		a.Referrers = append(a.Referrers, tc.Referrers...)
	}
	var out []*gst.InfeasibleError
	for _, k := range keys {
		a := agg[k]
		a.Elastic = true
		origins := make([]string, 0, len(a.Areas)+len(a.Referrers))
		for _, id := range a.Areas {
			origins = append(origins, string(id))
		}
		for _, id := range a.Referrers {
			origins = append(origins, string(id))
		}
		sort.Strings(origins)
		sort.Slice(a.Areas, func(i, j int) bool { return a.Areas[i] < a.Areas[j] })
		sort.Slice(a.Referrers, func(i, j int) bool { return a.Referrers[i] < a.Referrers[j] })
		a.Areas, a.Referrers = dedup(a.Areas), dedup(a.Referrers)
		switch a.Rule {
		case "capacity":
			ps := in.ps[in.psOf[[2]int32{in.provIndex(a.Establishment), in.svcIndex(a.Service)}]]
			a.Reason = fmt.Sprintf("the capacity of %q at %s (%s cases a year) is %s short of what the demand within reach needs",
				a.Service, a.Establishment, msgtext.Number(ps.capacity), msgtext.Number(a.Amount))
		case "resource":
			avail := 0.0
			for _, r := range in.res {
				if r.name == a.Resource && in.provs[r.prov].id == a.Establishment {
					avail = r.avail
				}
			}
			a.Reason = fmt.Sprintf("%s at %s (%s available) is %s short", a.Resource, a.Establishment, msgtext.Number(avail), msgtext.Number(a.Amount))
		case "contract minimum":
			a.Reason = fmt.Sprintf("the contract floor of %q at %s cannot be met by %s cases a year", a.Service, a.Establishment, msgtext.Number(a.Amount))
		case "budget":
			a.Reason = fmt.Sprintf("serving the demand costs %s MAD a year more than the budget of %s MAD", msgtext.Number(a.Amount), msgtext.Number(in.budget))
		case "payer budget":
			b := 0.0
			for i, py := range in.payers {
				if py.id == a.Payer {
					b = in.payerBudget[i]
				}
			}
			a.Reason = fmt.Sprintf("serving the demand of payer %q costs %s MAD a year more than its budget of %s MAD", a.Payer, msgtext.Number(a.Amount), msgtext.Number(b))
		case "demand":
			a.Reason = fmt.Sprintf("%s cases a year of %q from %s cannot be served within the rules", msgtext.Number(a.Amount), a.Service, msgtext.List(dedup(origins), listed))
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Rule != out[j].Rule {
			return out[i].Rule < out[j].Rule
		}
		if out[i].Service != out[j].Service {
			return out[i].Service < out[j].Service
		}
		return out[i].Establishment < out[j].Establishment
	})
	return gst.JoinInfeasible(out)
}

// conflict returns a rule that cannot hold, for a service and an
// establishment when it is about them, in cases a year.
func (in *inst) conflict(rule string, s gst.ServiceID, e gst.EstablishmentID) gst.InfeasibleError {
	return gst.InfeasibleError{Op: op, Rule: rule, Service: s, Establishment: e, Unit: "cases a year"}
}

// addOrigin adds an origin of demand to the areas or referrers of a
// conflict.
func (in *inst) addOrigin(tc *gst.InfeasibleError, o int32) {
	if og := &in.origins[o]; og.area {
		tc.Areas = append(tc.Areas, gst.AreaID(og.id))
	} else {
		tc.Referrers = append(tc.Referrers, gst.EstablishmentID(og.id))
	}
}

func dedup[T ~string](s []T) []T {
	var out []T
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func (in *inst) provIndex(id gst.EstablishmentID) int32 {
	i := sort.Search(len(in.provs), func(i int) bool { return in.provs[i].id >= id })
	return int32(i)
}

func (in *inst) svcIndex(id gst.ServiceID) int32 {
	i := sort.Search(len(in.svcs), func(i int) bool { return in.svcs[i].id >= id })
	return int32(i)
}
