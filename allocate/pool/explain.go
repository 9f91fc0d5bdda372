package pool

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/travelpairs"
	"github.com/gstplan/gst/internal/msgtext"
)

// leg returns the travel from site h to site k as Solve sees it.
func (in *inst) leg(h, k int32) (gst.Leg, bool) {
	return in.p.TravelSource.Leg(in.p.Region, in.sites[h].pt, in.sites[k].pt)
}

// originRule says why a home has no more spare staff of its category.
func (in *inst) originRule(cl *cellInfo) string {
	c := &in.cats[cl.cat]
	switch {
	case cl.roll <= 0:
		return "has none on roll"
	case c.fixed:
		return fmt.Sprintf("has %s FTE, but the category does not move", msgtext.Number(cl.roll))
	case cl.roll-cl.floor <= c.share*cl.roll:
		if cl.roll-cl.floor <= 0 {
			return fmt.Sprintf("has %s FTE, all held by its safe staffing of %s FTE", msgtext.Number(cl.roll), msgtext.Number(cl.floor))
		}
		return fmt.Sprintf("has %s FTE, of which its safe staffing of %s FTE lets %s go", msgtext.Number(cl.roll), msgtext.Number(cl.floor), msgtext.Number(cl.spare))
	default:
		return fmt.Sprintf("has %s FTE, of which the away share of %.0f%% lets %s go", msgtext.Number(cl.roll), 100*c.share, msgtext.Number(cl.spare))
	}
}

// sources describes where staff of the cell's category could come from:
// homes within the commute and the rule that limits each, and the nearest
// home beyond the commute with spare staff.
func (in *inst) sources(cell int32) string {
	cl := &in.cells[cell]
	c := &in.cats[cl.cat]
	type src struct {
		cell    int32
		minutes float64
	}
	var within []src
	beyond := src{cell: -1, minutes: math.Inf(1)}
	for _, ci := range in.catCells[cl.cat] {
		h := &in.cells[ci]
		if ci == cell || h.roll <= 0 {
			continue
		}
		l, ok := in.leg(h.site, cl.site)
		if !ok {
			continue
		}
		if l.Minutes <= c.commute {
			within = append(within, src{ci, l.Minutes})
		} else if h.spare > 0 && l.Minutes < beyond.minutes {
			beyond = src{ci, l.Minutes}
		}
	}
	sort.Slice(within, func(a, b int) bool {
		if within[a].minutes != within[b].minutes {
			return within[a].minutes < within[b].minutes
		}
		return within[a].cell < within[b].cell
	})
	var parts []string
	if len(within) == 0 {
		parts = append(parts, fmt.Sprintf("no establishment with %s staff is within the %s-minute commute", c.id, msgtext.Number(c.commute)))
	}
	const listed = 4
	for i, w := range within {
		if i == listed {
			parts = append(parts, fmt.Sprintf("%d more within the commute", len(within)-listed))
			break
		}
		h := &in.cells[w.cell]
		parts = append(parts, fmt.Sprintf("%s (%s min) %s", in.sites[h.site].id, msgtext.Number(math.Round(w.minutes)), in.originRule(h)))
	}
	if beyond.cell >= 0 {
		h := &in.cells[beyond.cell]
		parts = append(parts, fmt.Sprintf("%s has %s FTE to spare but is %s min away, beyond the %s-minute commute",
			in.sites[h.site].id, msgtext.Number(h.spare), msgtext.Number(math.Round(beyond.minutes)), msgtext.Number(c.commute)))
	}
	return strings.Join(parts, "; ")
}

// reachConflict reports a hard rule at a cell that the staff within reach
// cannot meet.
func (in *inst) reachConflict(rule string, cell, team int32, need, avail float64) *gst.InfeasibleError {
	cl := &in.cells[cell]
	site, cat := in.sites[cl.site].id, in.cats[cl.cat].id
	pc := in.conflict(rule, site, cat, need-avail)
	what := fmt.Sprintf("minimum staff at %s needs %s FTE of %s", site, msgtext.Number(need), cat)
	if team >= 0 {
		pc.Service = in.teams[team].service
		what = fmt.Sprintf("required team %q at %s needs %s FTE of %s", pc.Service, site, msgtext.Number(need), cat)
	}
	pc.Reason = fmt.Sprintf("%s, but at most %s FTE can be there: it has %s on roll; %s",
		what, msgtext.Number(avail), msgtext.Number(cl.roll), in.sources(cell))
	return pc
}

// minConflict reports a minimum staff rule a solve left short.
func (in *inst) minConflict(cell int32, short float64) *gst.InfeasibleError {
	cl := &in.cells[cell]
	site, cat := in.sites[cl.site].id, in.cats[cl.cat].id
	pc := in.conflict("minimum staff", site, cat, short)
	pc.Reason = fmt.Sprintf("minimum staff at %s: %s FTE of %s missing of %s", site, msgtext.Number(short), cat, msgtext.Number(cl.minFTE))
	return pc
}

// teamConflict reports a required team role a solve left short.
func (in *inst) teamConflict(team, cell int32, short float64) *gst.InfeasibleError {
	cl := &in.cells[cell]
	t := &in.teams[team]
	site, cat := in.sites[cl.site].id, in.cats[cl.cat].id
	pc := in.conflict("required team", site, cat, short)
	pc.Service = t.service
	pc.Reason = fmt.Sprintf("required team %q at %s: %s FTE of %s missing", t.service, site, msgtext.Number(short), cat)
	return pc
}

// conflict returns a rule that cannot hold at an establishment (or, with
// an empty one, across the region) for a category, by fte FTE.
func (in *inst) conflict(rule string, site gst.EstablishmentID, cat gst.CategoryID, fte float64) *gst.InfeasibleError {
	return &gst.InfeasibleError{Op: op, Rule: rule, Establishment: site, Category: cat, Amount: fte, Unit: "FTE"}
}

// explain finds which rules clash when a solve could not meet every hard
// rule (listed in short). It solves an elastic version of each category's
// flow, in which homes may break their safe staffing and away share at a
// price (and any staff member may move within the commute): the origin rules
// it breaks are those that clash with the hard rules, and the hard rules
// still short are those nothing within the commute can meet. When the
// elastic flows break nothing, the caps are what clash, and it says how much
// moving the hard rules need.
func (in *inst) explain(ctx context.Context, short []*gst.InfeasibleError) error {
	// Sites that may send or receive once the origin rules give.
	sites := in.pairSites()
	for i := range sites {
		sites[i].Sends, sites[i].Receives = false, false
	}
	for ci := range in.cells {
		cl := &in.cells[ci]
		if cl.roll > 0 && !in.cats[cl.cat].fixed {
			sites[cl.site].Sends = true
		}
		if cl.need+cl.roles+cl.minFTE > 0 {
			sites[cl.site].Receives = true
		}
	}
	maxCommute := 0.0
	for _, c := range in.cats {
		if !c.fixed {
			maxCommute = math.Max(maxCommute, c.commute)
		}
	}
	var pairs []travelpairs.Pair
	if maxCommute > 0 {
		var err error
		pairs, err = travelpairs.Find(in.p.Region, in.p.TravelSource, sites, maxCommute)
		if err != nil {
			return err
		}
	}
	modes := make([]teamMode, len(in.teams))
	for ti := range in.teams {
		if in.teams[ti].required {
			modes[ti] = teamMust
		}
	}
	var conflicts []*gst.InfeasibleError
	movedNeed := make([]float64, len(in.cats))
	movesNeed := 0
	for c := range in.cats {
		cf := in.catFlow(int32(c), &flowSpec{teams: modes, elastic: true, continuous: true, lexi: true, pairs: pairs})
		if err := cf.solve(ctx); err != nil {
			if ctx.Err() != nil {
				return gst.JoinInfeasible(short)
			}
			return err
		}
		// Hard rules still short with the origin rules relaxed.
		for cell, f := range cf.mustShort() {
			pc := in.minConflict(cell, f)
			pc.Reason += " even if every home broke its safe staffing and away share: " + in.sources(cell)
			conflicts = append(conflicts, pc)
		}
		for k, f := range cf.roleShort() {
			pc := in.teamConflict(k[0], k[1], f)
			pc.Reason += " even if every home broke its safe staffing and away share: " + in.sources(k[1])
			conflicts = append(conflicts, pc)
		}
		// Origin rules broken, and the hard rules they serve.
		mv := cf.moves()
		for _, rx := range cf.relaxed() {
			cl := &in.cells[rx.cell]
			var hosts []string
			for _, m := range mv {
				if m.from == rx.cell {
					if hr := in.hardAt(m.to); hr != "" {
						hosts = append(hosts, hr)
					}
				}
			}
			site, cat := in.sites[cl.site].id, in.cats[cl.cat].id
			rule := rx.rule
			var limit string
			switch rule {
			case "safe staffing":
				limit = fmt.Sprintf("its safe staffing of %s FTE", msgtext.Number(cl.floor))
			case "away share":
				limit = fmt.Sprintf("the away share of %.0f%%", 100*in.cats[cl.cat].share)
			default:
				limit = fmt.Sprintf("its safe staffing of %s FTE and the away share of %.0f%%", msgtext.Number(cl.floor), 100*in.cats[cl.cat].share)
			}
			reason := fmt.Sprintf("%s at %s (%s FTE of %s on roll) leaves %s FTE to move, %s FTE short of what ",
				limit, site, msgtext.Number(cl.roll), cat, msgtext.Number(cl.spare), msgtext.Number(rx.fte))
			if len(hosts) > 0 {
				reason += strings.Join(hosts, " and ") + " need"
			} else {
				reason += "the hard rules need"
			}
			pc := in.conflict(rule, site, cat, rx.fte)
			pc.Reason = reason
			conflicts = append(conflicts, pc)
		}
		for _, m := range mv {
			movedNeed[c] += m.fte
			movesNeed++
		}
	}
	if len(conflicts) == 0 {
		// The hard rules hold without caps: the caps clash with them.
		total := 0.0
		for c := range in.cats {
			total += movedNeed[c]
			ct := &in.cats[c]
			if ct.capFTE > 0 && movedNeed[c] > ct.capFTE+1e-9 {
				pc := in.conflict("category moved FTE cap", "", ct.id, movedNeed[c]-ct.capFTE)
				pc.Reason = fmt.Sprintf("the cap of %s FTE of %s moved is below the %s FTE that the hard rules need to move", msgtext.Number(ct.capFTE), ct.id, msgtext.Number(movedNeed[c]))
				conflicts = append(conflicts, pc)
			}
		}
		if in.globalCap > 0 && total > in.globalCap+1e-9 {
			pc := in.conflict("moved FTE cap", "", "", total-in.globalCap)
			pc.Reason = fmt.Sprintf("the cap of %s FTE moved is below the %s FTE that the hard rules need to move", msgtext.Number(in.globalCap), msgtext.Number(total))
			conflicts = append(conflicts, pc)
		}
		if in.maxMoves > 0 && len(conflicts) == 0 {
			conflicts = append(conflicts, &gst.InfeasibleError{Op: op, Rule: "moves cap", Amount: float64(movesNeed), Unit: "moves",
				Reason: fmt.Sprintf("the hard rules cannot be met with at most %d moves (the plan found that meets them uses %d)", in.maxMoves, movesNeed)})
		}
	}
	if len(conflicts) == 0 {
		conflicts = short
	}
	in.sortConflicts(conflicts)
	for _, c := range conflicts {
		c.Elastic = true
	}
	return gst.JoinInfeasible(conflicts)
}

// hardAt describes the hard rules at a cell, "" when it has none.
func (in *inst) hardAt(cell int32) string {
	cl := &in.cells[cell]
	site := in.sites[cl.site].id
	var parts []string
	for ti := range in.teams {
		t := &in.teams[ti]
		if !t.required {
			continue
		}
		for _, r := range t.roles {
			if r.cell == cell {
				parts = append(parts, fmt.Sprintf("the required team %q at %s (%s FTE)", t.service, site, msgtext.Number(r.fte)))
			}
		}
	}
	if cl.minFTE > 0 {
		parts = append(parts, fmt.Sprintf("the minimum staff at %s (%s FTE)", site, msgtext.Number(cl.minFTE)))
	}
	return strings.Join(parts, " and ")
}
