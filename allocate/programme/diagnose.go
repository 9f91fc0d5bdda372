package programme

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// diagnose explains an infeasible model: it solves the elastic model (each
// hard rule may give at a price), first as a linear relaxation, and names
// the rules that give.
func (r *run) diagnose(o buildOpts) error {
	o.elastic = true
	md := build(r.in, o)
	relaxed := relax(md.m)
	sol, err := lp.Solve(r.ctx, relaxed, nil)
	if err == nil && slackTotal(md, sol.X) <= 1e-7 {
		// The relaxation holds: integrality is at fault; try the elastic
		// integer programme.
		sol, err = lp.Solve(r.ctx, md.m, nil)
	}
	if err != nil && r.ctx.Err() != nil {
		return fmt.Errorf("programme: %w: no programme keeps every rule; the time limit passed before the rules that must give were named (a longer time limit names them)", gst.ErrInfeasible)
	}
	if err != nil || !sol.Status.HasSolution() {
		return fmt.Errorf("programme: %w: the rules clash (no explanation found: %v)", gst.ErrInfeasible, err)
	}
	errs := r.explainSlacks(md, sol.X)
	if len(errs) == 0 {
		return &gst.InfeasibleError{Op: "programme", Rule: "modules", Elastic: true,
			Reason: "the rules hold with fractional modules but not with whole ones; allow more modules per site (Module.MaxPerSite) or more sites"}
	}
	return errors.Join(errs...)
}

// relax returns a copy of a model whose integer columns are continuous.
func relax(m *lp.Model) *lp.Model {
	out := cloneModel(m)
	for j := 0; j < out.NumVars(); j++ {
		if out.VarKind(j).IsInteger() {
			out.SetVarKind(j, lp.Continuous)
		}
	}
	return out
}

// cloneModel copies a model by rebuilding it.
func cloneModel(m *lp.Model) *lp.Model {
	out := lp.NewModel(m.Name())
	for j := 0; j < m.NumVars(); j++ {
		lo, hi := m.Bounds(j)
		out.AddVar("", lo, hi, m.Obj(j), m.VarKind(j))
	}
	for i := 0; i < m.NumRows(); i++ {
		cols, coefs, sense, rhs := m.Row(i)
		out.AddRow("", cols, coefs, sense, rhs)
	}
	out.SetObjConstant(m.ObjConstant())
	out.SetMaximize(m.Maximize())
	return out
}

func slackTotal(md *model, x []float64) float64 {
	var s float64
	for _, t := range md.tags {
		if t.slack >= 0 {
			s += x[t.slack]
		}
	}
	return s
}

// explainSlacks turns the rules that give into errors, the user's limits
// first, largest first within each rule.
func (r *run) explainSlacks(md *model, x []float64) []error {
	in := r.in
	var out []*gst.InfeasibleError
	for _, t := range md.tags {
		if t.slack < 0 || x[t.slack] <= 1e-6*max(1, t.rhs) {
			continue
		}
		short, limit := x[t.slack], t.rhs
		if t.unit == "MAD" {
			short, limit = short/moneyScale, limit/moneyScale
		}
		e := &gst.InfeasibleError{Op: "programme", Rule: t.rule, Year: t.year, Amount: clean(short), Unit: t.unit, Province: gst.ProvinceID(t.prov), Elastic: true}
		name := ""
		if t.site >= 0 {
			e.Establishment, name = in.staff[t.site].id, in.staff[t.site].e.Name
		}
		if t.cat >= 0 {
			e.Category = in.cats[t.cat].id
		}
		if t.svc >= 0 {
			e.Service = in.svc[t.svc].id
			if t.unit == "volume" {
				e.Unit = in.svc[t.svc].unit
			}
		}
		e.Reason = reasonOf(e, name, clean(limit))
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Rule != out[j].Rule {
			return out[i].Rule < out[j].Rule
		}
		return out[i].Amount > out[j].Amount
	})
	var errs []error
	for i, e := range out {
		if i == maxListedRules {
			errs = append(errs, fmt.Errorf("programme: %w: and %d more rules that give", gst.ErrInfeasible, len(out)-maxListedRules))
			break
		}
		errs = append(errs, e)
	}
	return errs
}

// maxListedRules is how many rules an infeasible programme lists.
const maxListedRules = 12

func reasonOf(e *gst.InfeasibleError, name string, limit float64) string {
	where := ""
	if name != "" {
		where = name + ": "
	}
	switch e.Rule {
	case "staffing":
		return fmt.Sprintf("%sthe modules that must run need %s FTE more than the free staff on roll (%s FTE), the recruits the caps allow and the staff other establishments can lend; raise recruitment, allow pooling further, or let the service close (ServiceRule.MayClose)",
			where, fmtNum(e.Amount), fmtNum(limit))
	case "recruitment":
		return fmt.Sprintf("the staffing the programme must keep needs %s FTE more recruits than the cap of %s FTE", fmtNum(e.Amount), fmtNum(limit))
	case "capital budget", "running budget", "total budget":
		return fmt.Sprintf("the spend the rules require exceeds the budget of %s MAD by %s MAD", fmtNum(limit), fmtNum(e.Amount))
	case "coverage":
		return fmt.Sprintf("the share within the standard falls short by %s %s (the rule asks for %s)", fmtNum(e.Amount), e.Unit, fmtNum(limit))
	}
	return fmt.Sprintf("gives by %s %s", fmtNum(e.Amount), e.Unit)
}

// fmtNum writes a number for a message: thousands separated, at most two
// decimals, no exponent.
func fmtNum(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// check reports rules the instance cannot meet before any model is built:
// installed modules at sites the programme may not use, services no site
// may offer, fixes that clash.
func (in *inst) check() error {
	var ps gst.Problems
	for i, x := range in.p.Installed {
		m := in.moduleByID(x.Module)
		if m < 0 {
			continue
		}
		if in.offerAt(x.Establishment, in.mods[m].m.Service) < 0 {
			ps.Addf(fmt.Sprintf("installed %d (%q, %q)", i+1, x.Establishment, x.Module), "Establishment",
				"%q is not an eligible site of service %q (not public, below its minimum level, or not in ServiceRule.Sites)", x.Establishment, in.mods[m].m.Service)
		}
	}
	for s := range in.svc {
		found := false
		for o := range in.offers {
			found = found || in.offers[o].svc == s
		}
		if !found {
			ps.Addf(fmt.Sprintf("service rule %q", in.svc[s].id), "Sites", "no establishment may offer the service (check levels, ownership and ServiceRule.Sites)")
		}
	}
	for o := range in.offers {
		off := &in.offers[o]
		if off.forbid && off.forceFrom >= 0 {
			ps.Addf(fmt.Sprintf("fix %q %q", in.sites[off.site].id, in.svc[off.svc].id), "", "forced open and forbidden")
		}
	}
	return ps.Err()
}

func (in *inst) moduleByID(id ModuleID) int {
	for i := range in.mods {
		if in.mods[i].m.ID == id {
			return i
		}
	}
	return -1
}
