package pilot

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/programme"
	"github.com/gstplan/gst/examples/internal/figures"
	"github.com/gstplan/gst/examples/internal/report"
)

// siteName names an establishment in the report as the data writes it, in
// whatever script, with its commune when the name does not say it; a
// candidate is "new hospital, <commune>".
func (res *Result) siteName(id gst.EstablishmentID) string {
	ref := Ref(res.Region, id)
	switch {
	case ref.Candidate && ref.Commune != "":
		return "new hospital, " + ref.Commune
	case ref.Commune != "" && !strings.Contains(ref.Name, ref.Commune):
		return ref.Name + " (" + ref.Commune + ")"
	case ref.Name != "":
		return ref.Name
	}
	return string(id)
}

// programmeHeadline sums up the programme for the report's summary.
func (res *Result) programmeHeadline() string {
	pr := res.Programme
	if !pr.Available {
		return "**Phased programme**: " + pr.Note + "."
	}
	return "**Phased programme 2026–2035** ([details](#phased-programme-20262035)): " + res.programmeFacts(true) + "."
}

// programmeActions counts the programme's decisions by action
// (programme.ActionOpen, ActionEnlarge, ActionClose).
func (res *Result) programmeActions() map[string]int {
	n := map[string]int{}
	for _, y := range res.Programme.Plan.Years {
		for _, o := range y.Openings {
			n[o.Action]++
		}
	}
	return n
}

// programmeFacts says what the programme opens and enlarges, its status
// and gap, and what deciding jointly saves against the sequential plan;
// long adds how it is staffed.
func (res *Result) programmeFacts(long bool) string {
	p := res.Programme.Plan
	n := res.programmeActions()
	opens, enlarges, closes := n[programme.ActionOpen], n[programme.ActionEnlarge], n[programme.ActionClose]
	staffed := ""
	if long {
		staffed = ", staffed in every year by staff on roll, pooled staff and recruits,"
	}
	s := fmt.Sprintf("%d services opened, %d enlarged and %d closed%s within every year's budget (%s, gap %s)", opens, enlarges, closes, staffed, p.Status, pct(p.Gap, 2))
	if p.SequentialValue != nil && *p.SequentialValue > 0 {
		s += fmt.Sprintf(", and deciding jointly costs %s less over ten years than locating first and staffing afterwards", pct(1-p.Value/(*p.SequentialValue), 1))
	}
	return s
}

// writeProgramme writes the programme's section.
func (res *Result) writeProgramme(d *report.Doc) {
	d.H(2, "Phased programme 2026–2035")
	pr := res.Programme
	d.P("**Question.** Which hospitals should offer caesarean sections and haemodialysis, or more of them, with how many theatre lines and dialysis units, staffed by whom (staff on roll, staff pooled from which establishment, or recruits), in which year, within each year's budget — as one decision over the reform's three phases?")
	if !pr.Available {
		d.P("**No programme.** %s.", pr.Note)
		return
	}
	p := pr.Plan
	res.writeProgrammeRules(d)
	d.P("**Answer.** Status **%s**: value %s M MAD (discounted spend, unserved demand and patient travel over ten years), proven lower bound %s M MAD, gap %s (%s).",
		p.Status, dec(p.Value/1e6, 1), dec(p.Bound/1e6, 1), pct(p.Gap, 2), p.Method)
	res.writeProgrammeYears(d)
	res.writeProgrammeDecisions(d)
	res.writeProgrammeStaffing(d)
	d.Image("Spend and unmet demand by year", "programme.png")
	res.writeProgrammeComparison(d)
	res.writeProgrammeWhy(d)
	d.P("*The whole programme, year by year, is in `programme.json` (status, value, bound, gap, sequential value, and for every year the openings, the staffing of every module open, the recruits and the spend against the budgets).*")
}

func (res *Result) writeProgrammeRules(d *report.Doc) {
	var rows [][]string
	for _, a := range res.Programme.Assumptions {
		label := "planning assumption"
		if !a.Assumption {
			label = "sourced"
		}
		rows = append(rows, []string{a.Name, a.Value, a.Basis + " (" + label + ")"})
	}
	d.P("**Rules and figures.** Decisions are taken at the start of each phase and hold through it. A module open in a year must have its staff in that year (checked in the last year of each phase, when the fewest are on roll); an establishment lends only staff its other work does not need, and nobody is counted twice. Demand that no open capacity takes is unserved, at a cost. `programme.Solve` decides everything at once.")
	d.Table([]string{"figure", "value", "basis"}, "lll", rows)
}

func (res *Result) writeProgrammeYears(d *report.Doc) {
	p := res.Programme.Plan
	var rows [][]string
	if len(p.Today) > 0 {
		row := []string{"today", "", "", "", ""}
		for _, f := range p.Today {
			row = append(row, pct(f.UnservedShare, 0), dec(f.MeanMinutes, 0))
		}
		rows = append(rows, row)
	}
	for _, y := range p.Years {
		budget := func(v float64, b *float64) string {
			if b == nil {
				return dec(v/1e6, 1)
			}
			return dec(v/1e6, 1) + " / " + dec(*b/1e6, 1)
		}
		var rec float64
		for _, r := range y.Recruited {
			rec += r.FTE
		}
		row := []string{fmt.Sprint(y.Year), budget(y.CapitalMAD, y.CapitalBudgetMAD), budget(y.RunningMAD, y.RunningBudgetMAD), fmt.Sprint(len(y.Openings)), dec(rec, 1)}
		for _, f := range y.Figures {
			row = append(row, pct(f.UnservedShare, 0), dec(f.MeanMinutes, 0))
		}
		rows = append(rows, row)
	}
	head := []string{"year", "capital M MAD (spent / budget)", "running M MAD (spent / budget)", "decisions", "recruits (FTE)"}
	align := "lrrrr"
	for _, f := range p.Years[0].Figures {
		n := strings.ToLower(shortName(res.serviceName(f.Service)))
		head = append(head, n+": unserved", n+": mean minutes")
		align += "rr"
	}
	d.P("**Year by year.** Money is nominal; a budget includes what earlier years left unspent. Mean minutes are the one-way travel of the demand served; *today* is %d's demand served by today's network and modules, as far as its staff and capacity go.", p.Years[0].Year)
	d.Table(head, align, rows)
}

func (res *Result) writeProgrammeDecisions(d *report.Doc) {
	p := res.Programme.Plan
	var rows [][]string
	for _, y := range p.Years {
		for _, o := range y.Openings {
			var mods []string
			for _, m := range o.ByModule {
				mods = append(mods, fmt.Sprintf("%d × %s", m.Count, m.Module))
			}
			rows = append(rows, []string{fmt.Sprint(y.Year), res.siteName(o.Establishment), res.serviceName(o.Service), o.Action, strings.Join(mods, ", ")})
		}
	}
	if len(rows) == 0 {
		d.P("**Decisions.** None: today's network, kept staffed, is the best programme within these budgets.")
		return
	}
	d.P("**Decisions.**")
	d.Table([]string{"year", "establishment", "service", "action", "modules"}, "lllll", rows)
	if res.programmeActions()[programme.ActionClose] > 0 {
		d.P("*Closing: the programme closes a service where its staff are worth more elsewhere (the on-call team of a maternity needs anaesthetists the region lacks) or where its running cost outweighs the travel it saves, at the value of travel above. A committee that wants a service kept says so in the rules (`programme.ServiceRule.MayClose` false, or a coverage rule `programme.CoverageRule` per province) and pays for it: the programme then finds the staff, or says which rule cannot be met.*")
	}
}

// writeProgrammeStaffing names who staffs every service the programme
// opens or enlarges, in the year it does.
func (res *Result) writeProgrammeStaffing(d *report.Doc) {
	p := res.Programme.Plan
	var rows [][]string
	for _, y := range p.Years {
		changed := map[[2]string]bool{}
		for _, o := range y.Openings {
			changed[[2]string{string(o.Establishment), string(o.Service)}] = true
		}
		for _, s := range y.Staffing {
			if !changed[[2]string{string(s.Establishment), string(s.Service)}] {
				continue
			}
			var from []string
			for _, a := range s.Assigned {
				switch a.Source {
				case programme.SourcePooled:
					from = append(from, fmt.Sprintf("%s from %s (%s min)", dec(a.FTE, 2), res.siteName(a.From), dec(a.Minutes, 0)))
				case programme.SourceRecruited:
					from = append(from, dec(a.FTE, 2)+" recruited")
				default:
					from = append(from, dec(a.FTE, 2)+" on roll")
				}
			}
			rows = append(rows, []string{fmt.Sprint(y.Year), res.siteName(s.Establishment), res.serviceName(s.Service), res.categoryName(s.Category), dec(s.RequiredFTE, 2), strings.Join(from, "; ")})
		}
	}
	if len(rows) > 0 {
		d.P("**Who staffs what the programme opens or enlarges** (FTE, in the year of the decision):")
		d.Table([]string{"year", "establishment", "service", "cadre", "FTE needed", "from"}, "llllrl", rows)
	}
	res.writeProgrammeRecruits(d)
}

func (res *Result) writeProgrammeRecruits(d *report.Doc) {
	p := res.Programme.Plan
	var rows [][]string
	for _, y := range p.Years {
		for _, r := range y.Recruited {
			sites := append([]programme.SiteFTE(nil), r.Sites...) // the plan stays as solved
			sort.SliceStable(sites, func(i, j int) bool {
				if sites[i].FTE != sites[j].FTE {
					return sites[i].FTE > sites[j].FTE
				}
				return sites[i].Establishment < sites[j].Establishment
			})
			var where []string
			for i, s := range sites {
				if i == 4 {
					where = append(where, fmt.Sprintf("and %d more", len(r.Sites)-4))
					break
				}
				where = append(where, res.siteName(s.Establishment)+" "+dec(s.FTE, 1))
			}
			rows = append(rows, []string{fmt.Sprint(y.Year), res.categoryName(r.Category), dec(r.FTE, 1), strings.Join(where, ", ")})
		}
	}
	if len(rows) == 0 {
		return
	}
	d.P("**Recruitment** (FTE recruited at the start of each phase; most replace staff who leave, keeping today's services staffed):")
	d.Table([]string{"year", "cadre", "FTE", "where"}, "llrl", rows)
}

// writeProgrammeComparison sets the programme beside the sequential plan
// and the budget frontier.
func (res *Result) writeProgrammeComparison(d *report.Doc) {
	p := res.Programme.Plan
	if s := p.Sequential; s != nil {
		line := func(name string, q *programme.Plan) []string {
			cap, run := 0.0, 0.0
			un := make([]float64, len(q.Years[0].Figures))
			for _, y := range q.Years {
				cap += y.CapitalMAD
				run += y.RunningMAD
				for k, f := range y.Figures {
					un[k] += f.Unserved
				}
			}
			row := []string{name, dec(q.Value/1e6, 1), dec(cap/1e6, 1), dec(run/1e6, 1)}
			for k := range un {
				row = append(row, num(un[k]))
			}
			return row
		}
		head := []string{"plan", "value (M MAD)", "capital (M MAD)", "running (M MAD)"}
		for _, f := range p.Years[0].Figures {
			head = append(head, strings.ToLower(shortName(res.serviceName(f.Service)))+" unserved (10 years)")
		}
		d.P("**Deciding jointly against the old way.** The sequential plan decides, phase by phase, the sites and modules first (as `allocate.Locate` does, with no regard to staff), then staffs them (as staff pooling does, recruiting within the caps); a module it cannot staff within the rules and budgets does not open. Both are scored by the same objective.")
		d.Table(head, "lrrr"+strings.Repeat("r", len(head)-4), [][]string{line("joint programme", p), line("sequential plan", s)})
	}
	if len(p.Frontier) > 0 {
		var rows [][]string
		for _, f := range p.Frontier {
			switch {
			case f.Infeasible:
				rows = append(rows, []string{dec(f.Level, 2) + " ×", "no programme fits", "", "", "", ""})
				continue
			case f.Unsolved:
				rows = append(rows, []string{dec(f.Level, 2) + " ×", "not solved within the time limit", "", "", "", ""})
				continue
			}
			row := []string{dec(f.Level, 2) + " ×", dec(f.Value/1e6, 1), pct(f.Gap, 2), dec(f.CapitalMAD/1e6, 1), dec(f.RunningMAD/1e6, 1), fmt.Sprint(f.Openings)}
			for _, u := range f.Unserved {
				row = append(row, num(u))
			}
			rows = append(rows, row)
		}
		head := []string{"budgets", "value (M MAD)", "gap", "capital spent", "running spent", "decisions"}
		for _, f := range p.Years[0].Figures {
			head = append(head, strings.ToLower(shortName(res.serviceName(f.Service)))+" unserved (10 years)")
		}
		d.P("**Budget frontier.** The same programme with every budget scaled (each level solved to the same node limit as the programme; the gap says how far its value may be above the best programme at that level):")
		d.Table(head, "lrrrrr"+strings.Repeat("r", len(head)-6), rows)
	} else if res.Config.Short {
		d.P("*Budget frontier and the cost of reversing decisions: full runs only (this run is `-short`).*")
	}
}

// writeProgrammeWhy writes the marginal values and the cost of reversing
// decisions.
func (res *Result) writeProgrammeWhy(d *report.Doc) {
	p := res.Programme.Plan
	var vals []string
	for _, b := range p.BudgetValues {
		if b.Capital > 1e-6 || b.Running > 1e-6 {
			vals = append(vals, fmt.Sprintf("%d: capital %s, running %s", b.Year, dec(b.Capital, 2), dec(b.Running, 2)))
		}
	}
	if len(vals) > 0 {
		d.P("**Value of one more dirham** (MAD of objective saved per MAD of budget, with modules bought in fractions at the sites the programme uses): %s.", strings.Join(vals, "; "))
	} else {
		d.P("**Value of one more dirham.** No budget binds at the margin once the programme's sites are chosen; the frontier shows what larger budgets buy.")
	}
	vals = nil
	for _, r := range p.RecruitValues {
		if r.MAD > 1e-6 {
			vals = append(vals, fmt.Sprintf("%s in %d: %s MAD", strings.ToLower(res.categoryName(r.Category)), r.Year, num(r.MAD)))
		}
	}
	if len(vals) > 0 {
		d.P("**Value of one more recruit**: %s.", strings.Join(vals, "; "))
	}
	if len(p.DecisionCosts) > 0 {
		var rows [][]string
		open := 0
		for _, c := range p.DecisionCosts {
			v, rng := signedMillions(c.Delta, 2)+" M MAD", signedMillions(c.DeltaLow, 1)+" to "+signedMillions(c.DeltaHigh, 1)+" M MAD"
			switch {
			case c.Infeasible:
				v, rng = "no programme obeys it", ""
			case c.Unsolved:
				v, rng = "not solved within the time limit", ""
			case c.DeltaLow <= 0:
				open++
			}
			rows = append(rows, []string{c.Reverse, res.siteName(c.Establishment), res.serviceName(c.Service), v, rng, c.Status.String()})
		}
		d.P("**What reversing a decision costs** (the programme solved again with the decision reversed; the proven range is where the true cost lies, from the two programmes' values and bounds):")
		d.Table([]string{"reverse", "establishment", "service", "cost", "proven range", "status"}, "lllrrl", rows)
		if open > 0 {
			d.P("*Each solve stops within its gap tolerance, so a cost smaller than the gaps is the difference between two programmes each possibly that far from its best: %d of these %d ranges hold zero, and those decisions are not proven to be worth anything. A committee that needs one settled solves again with a smaller `GapTolerance`.*", open, len(p.DecisionCosts))
		}
	}
}

// signedMillions writes v MAD in millions with its sign.
func signedMillions(v float64, decimals int) string {
	s := dec(math.Abs(v)/1e6, decimals)
	if v < 0 && s != dec(0, decimals) {
		return "−" + s
	}
	return "+" + s
}

// ProgrammeChart draws spend and unmet demand by year.
func (res *Result) ProgrammeChart() (figures.Picture, error) {
	p := res.Programme.Plan
	t := &figures.Timeline{Title: "Phased programme: spend and unmet demand by year", Budget: []float64{}}
	capital := figures.Series{Name: "capital spent", Colour: figures.OkabeIto[1]}
	running := figures.Series{Name: "running spend added", Colour: figures.OkabeIto[2]}
	unmet := make([]figures.Series, len(p.Years[0].Figures))
	for k, f := range p.Years[0].Figures {
		unmet[k] = figures.Series{Name: strings.ToLower(shortName(res.serviceName(f.Service))) + " unserved"}
	}
	for _, y := range p.Years {
		t.Years = append(t.Years, y.Year)
		capital.Values = append(capital.Values, y.CapitalMAD)
		running.Values = append(running.Values, math.Max(0, y.RunningMAD))
		b := math.NaN()
		if y.CapitalBudgetMAD != nil && y.RunningBudgetMAD != nil {
			b = *y.CapitalBudgetMAD + *y.RunningBudgetMAD
		}
		t.Budget = append(t.Budget, b)
		for k, f := range y.Figures {
			unmet[k].Values = append(unmet[k].Values, f.UnservedShare)
		}
	}
	t.Spend = []figures.Series{capital, running}
	t.Unmet = unmet
	t.Note = "Money nominal; the budget line is what the year may spend, carry-over included. Unmet: share of the year's demand no open capacity takes (bought elsewhere or not served). Synthetic capacities and staff."
	return t.Chart()
}
