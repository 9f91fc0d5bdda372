package allocate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// xferFmt formats a volume or an amount for messages.
func xferFmt(v float64) string {
	if math.Abs(v-math.Round(v)) < 1e-6 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.4g", v)
}

// xferList names up to a few origins.
func xferList(ids []string) string {
	const n = 5
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s (and %d more)", strings.Join(ids[:n], ", "), len(ids)-n)
}

// leg returns the travel from an origin to a provider as Transfer sees it.
func (in *xferInst) leg(o, prov int32) (gst.Leg, bool) {
	p := in.p
	from, to := in.origins[o].id, string(in.provs[prov].id)
	for _, m := range []*gst.Matrix{p.Travel, p.Region.Travel} {
		if m != nil {
			if l, ok := m.Lookup(from, to); ok {
				return l, true
			}
		}
	}
	if p.NoEstimate {
		return gst.Leg{}, false
	}
	e := p.Estimator
	if e == nil {
		e = &gst.Estimator{}
	}
	l, err := e.Leg(in.origins[o].pt, in.provs[prov].pt)
	return l, err == nil
}

// precheck compares demand with what can serve it, before any solve.
func (in *xferInst) precheck() []TransferConflict {
	var out []TransferConflict
	for si := range in.svcs {
		sv := &in.svcs[si]
		// Demand that no provider within reach can serve.
		var stranded []string
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
			}
		}
		if len(stranded) > 0 {
			reason := fmt.Sprintf("%s cases a year of %q from %s have no provider within reach", xferFmt(vol), sv.id, xferList(stranded))
			if !math.IsInf(sv.maxMin, 1) {
				reason += fmt.Sprintf(" (%s min)", xferFmt(sv.maxMin))
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
				reason += fmt.Sprintf(": the nearest to %s is %s, %s min away", stranded[0], in.provs[best].id, xferFmt(math.Round(bestMin)))
			}
			out = append(out, TransferConflict{Rule: "max travel", Service: sv.id, Origins: stranded, Amount: vol, Reason: reason})
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
			out = append(out, TransferConflict{Rule: "capacity", Service: sv.id, Amount: total - capTotal,
				Reason: fmt.Sprintf("%s cases a year of %q, but its %d providers can take %s", xferFmt(total), sv.id, len(sv.ps), xferFmt(capTotal))})
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
			out = append(out, TransferConflict{Rule: "contract minimum", Service: in.svcs[ps.svc].id, Establishment: in.provs[ps.prov].id,
				Amount: ps.min - reach[k],
				Reason: fmt.Sprintf("the contract with %s guarantees %s cases a year of %q, but only %s can reach it",
					in.provs[ps.prov].id, xferFmt(ps.min), in.svcs[ps.svc].id, xferFmt(reach[k]))})
		}
	}
	return out
}

// explain solves an elastic programme, in which capacities, resources,
// contract floors and budgets may give (at one unit of price per case, or
// per case-equivalent for resources and money) and demand may go unserved
// (at twice that): the rules it breaks are those that clash, and by how
// much they would have to give.
func (in *xferInst) explain(ctx context.Context) error {
	if cs := in.precheck(); len(cs) > 0 {
		return &TransferInfeasibleError{Conflicts: cs}
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
			return &TransferInfeasibleError{Conflicts: []TransferConflict{{Rule: "demand", Reason: "the demand cannot be routed at all"}}, Elastic: true}
		}
		return &TransferInfeasibleError{Elastic: true}
	}
	type key struct {
		rule, svc, est, res, payer string
	}
	agg := map[key]*TransferConflict{}
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
			cp.Origins = nil
			a = &cp
			agg[k] = a
			keys = append(keys, k)
		}
		a.Amount += v
		a.Origins = append(a.Origins, tc.Origins...)
	}
	var out []TransferConflict
	for _, k := range keys {
		a := agg[k]
		sort.Strings(a.Origins)
		switch a.Rule {
		case "capacity":
			ps := in.ps[in.psOf[[2]int32{in.provIndex(a.Establishment), in.svcIndex(a.Service)}]]
			a.Reason = fmt.Sprintf("the capacity of %q at %s (%s cases a year) is %s short of what the demand within reach needs",
				a.Service, a.Establishment, xferFmt(ps.capacity), xferFmt(a.Amount))
		case "resource":
			avail := 0.0
			for _, r := range in.res {
				if r.name == a.Resource && in.provs[r.prov].id == a.Establishment {
					avail = r.avail
				}
			}
			a.Reason = fmt.Sprintf("%s at %s (%s available) is %s short", a.Resource, a.Establishment, xferFmt(avail), xferFmt(a.Amount))
		case "contract minimum":
			a.Reason = fmt.Sprintf("the contract floor of %q at %s cannot be met by %s cases a year", a.Service, a.Establishment, xferFmt(a.Amount))
		case "budget":
			a.Reason = fmt.Sprintf("serving the demand costs %s MAD a year more than the budget of %s MAD", xferFmt(a.Amount), xferFmt(in.budget))
		case "payer budget":
			b := 0.0
			for i, py := range in.payers {
				if py.id == a.Payer {
					b = in.payerBudget[i]
				}
			}
			a.Reason = fmt.Sprintf("serving the demand of payer %q costs %s MAD a year more than its budget of %s MAD", a.Payer, xferFmt(a.Amount), xferFmt(b))
		case "demand":
			a.Reason = fmt.Sprintf("%s cases a year of %q from %s cannot be served within the rules", xferFmt(a.Amount), a.Service, xferList(xferDedup(a.Origins)))
		}
		out = append(out, *a)
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
	return &TransferInfeasibleError{Conflicts: out, Elastic: true}
}

func xferDedup(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func (in *xferInst) provIndex(id gst.EstablishmentID) int32 {
	i := sort.Search(len(in.provs), func(i int) bool { return in.provs[i].id >= id })
	return int32(i)
}

func (in *xferInst) svcIndex(id gst.ServiceID) int32 {
	i := sort.Search(len(in.svcs), func(i int) bool { return in.svcs[i].id >= id })
	return int32(i)
}
