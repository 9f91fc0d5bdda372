package allocate

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gstplan/gst"
)

// poolFmt formats an FTE figure for messages.
func poolFmt(v float64) string {
	if math.Abs(v-math.Round(v)) < 1e-9 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// leg returns the travel from site h to site k as Pool sees it.
func (in *poolInst) leg(h, k int32) (gst.Leg, bool) {
	p := in.p
	from, to := string(in.sites[h].id), string(in.sites[k].id)
	if p.Travel != nil {
		if l, ok := p.Travel.Lookup(from, to); ok {
			return l, true
		}
	}
	if p.Region.Travel != nil {
		if l, ok := p.Region.Travel.Lookup(from, to); ok {
			return l, true
		}
	}
	if p.NoEstimate {
		return gst.Leg{}, false
	}
	e := p.Estimator
	if e == nil {
		e = &gst.Estimator{}
	}
	l, err := e.Leg(in.sites[h].pt, in.sites[k].pt)
	return l, err == nil
}

// originRule says why a home has no more spare staff of its category.
func (in *poolInst) originRule(cl *poolCell) string {
	c := &in.cats[cl.cat]
	switch {
	case cl.roll <= 0:
		return "has none on roll"
	case c.fixed:
		return fmt.Sprintf("has %s FTE, but the category does not move", poolFmt(cl.roll))
	case cl.roll-cl.floor <= c.share*cl.roll:
		if cl.roll-cl.floor <= 0 {
			return fmt.Sprintf("has %s FTE, all held by its safe staffing of %s FTE", poolFmt(cl.roll), poolFmt(cl.floor))
		}
		return fmt.Sprintf("has %s FTE, of which its safe staffing of %s FTE lets %s go", poolFmt(cl.roll), poolFmt(cl.floor), poolFmt(cl.spare))
	default:
		return fmt.Sprintf("has %s FTE, of which the away share of %.0f%% lets %s go", poolFmt(cl.roll), 100*c.share, poolFmt(cl.spare))
	}
}

// sources describes where staff of the cell's category could come from:
// homes within the commute and the rule that limits each, and the nearest
// home beyond the commute with spare staff.
func (in *poolInst) sources(cell int32) string {
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
		parts = append(parts, fmt.Sprintf("no establishment with %s staff is within the %s-minute commute", c.id, poolFmt(c.commute)))
	}
	const listed = 4
	for i, w := range within {
		if i == listed {
			parts = append(parts, fmt.Sprintf("%d more within the commute", len(within)-listed))
			break
		}
		h := &in.cells[w.cell]
		parts = append(parts, fmt.Sprintf("%s (%s min) %s", in.sites[h.site].id, poolFmt(math.Round(w.minutes)), in.originRule(h)))
	}
	if beyond.cell >= 0 {
		h := &in.cells[beyond.cell]
		parts = append(parts, fmt.Sprintf("%s has %s FTE to spare but is %s min away, beyond the %s-minute commute",
			in.sites[h.site].id, poolFmt(h.spare), poolFmt(math.Round(beyond.minutes)), poolFmt(c.commute)))
	}
	return strings.Join(parts, "; ")
}

// reachConflict reports a hard rule at a cell that the staff within reach
// cannot meet.
func (in *poolInst) reachConflict(rule string, cell, team int32, need, avail float64) PoolConflict {
	cl := &in.cells[cell]
	site, cat := in.sites[cl.site].id, in.cats[cl.cat].id
	pc := PoolConflict{Rule: rule, Establishment: site, Category: cat, FTE: need - avail}
	what := fmt.Sprintf("minimum staff at %s needs %s FTE of %s", site, poolFmt(need), cat)
	if team >= 0 {
		pc.Service = in.teams[team].service
		what = fmt.Sprintf("required team %q at %s needs %s FTE of %s", pc.Service, site, poolFmt(need), cat)
	}
	pc.Reason = fmt.Sprintf("%s, but at most %s FTE can be there: it has %s on roll; %s",
		what, poolFmt(avail), poolFmt(cl.roll), in.sources(cell))
	return pc
}

// minConflict reports a minimum staff rule a solve left short.
func (in *poolInst) minConflict(cell int32, short float64) PoolConflict {
	cl := &in.cells[cell]
	site, cat := in.sites[cl.site].id, in.cats[cl.cat].id
	return PoolConflict{Rule: "minimum staff", Establishment: site, Category: cat, FTE: short,
		Reason: fmt.Sprintf("minimum staff at %s: %s FTE of %s missing of %s", site, poolFmt(short), cat, poolFmt(cl.minFTE))}
}

// teamConflict reports a required team role a solve left short.
func (in *poolInst) teamConflict(team, cell int32, short float64) PoolConflict {
	cl := &in.cells[cell]
	t := &in.teams[team]
	site, cat := in.sites[cl.site].id, in.cats[cl.cat].id
	return PoolConflict{Rule: "required team", Establishment: site, Category: cat, Service: t.service, FTE: short,
		Reason: fmt.Sprintf("required team %q at %s: %s FTE of %s missing", t.service, site, poolFmt(short), cat)}
}

// explain finds which rules clash when a solve could not meet every hard
// rule (listed in short). It solves an elastic version of each category's
// flow, in which homes may break their safe staffing and away share at a
// price (and any staff member may move within the commute): the origin rules
// it breaks are those that clash with the hard rules, and the hard rules
// still short are those nothing within the commute can meet. When the
// elastic flows break nothing, the caps are what clash, and it says how much
// moving the hard rules need.
func (in *poolInst) explain(ctx context.Context, short []PoolConflict) error {
	// Sites that may send or receive once the origin rules give.
	sites := append([]poolSiteInfo(nil), in.sites...)
	for i := range sites {
		sites[i].hasSpare, sites[i].canShort = false, false
	}
	for ci := range in.cells {
		cl := &in.cells[ci]
		if cl.roll > 0 && !in.cats[cl.cat].fixed {
			sites[cl.site].hasSpare = true
		}
		if cl.need+cl.roles+cl.minFTE > 0 {
			sites[cl.site].canShort = true
		}
	}
	maxCommute := 0.0
	for _, c := range in.cats {
		if !c.fixed {
			maxCommute = math.Max(maxCommute, c.commute)
		}
	}
	var pairs []poolPair
	if maxCommute > 0 {
		var err error
		pairs, err = poolTravelPairs(in.p.Region, in.p.Travel, in.p.Estimator, in.p.NoEstimate, sites, maxCommute)
		if err != nil {
			return err
		}
	}
	modes := make([]poolTeamMode, len(in.teams))
	for ti := range in.teams {
		if in.teams[ti].required {
			modes[ti] = poolTeamMust
		}
	}
	var conflicts []PoolConflict
	movedNeed := make([]float64, len(in.cats))
	movesNeed := 0
	for c := range in.cats {
		cf := in.catFlow(int32(c), &poolFlowSpec{teams: modes, elastic: true, continuous: true, lexi: true, pairs: pairs})
		if err := cf.solve(ctx); err != nil {
			if ctx.Err() != nil {
				return &PoolInfeasibleError{Conflicts: short}
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
				limit = fmt.Sprintf("its safe staffing of %s FTE", poolFmt(cl.floor))
			case "away share":
				limit = fmt.Sprintf("the away share of %.0f%%", 100*in.cats[cl.cat].share)
			default:
				limit = fmt.Sprintf("its safe staffing of %s FTE and the away share of %.0f%%", poolFmt(cl.floor), 100*in.cats[cl.cat].share)
			}
			reason := fmt.Sprintf("%s at %s (%s FTE of %s on roll) leaves %s FTE to move, %s FTE short of what ",
				limit, site, poolFmt(cl.roll), cat, poolFmt(cl.spare), poolFmt(rx.fte))
			if len(hosts) > 0 {
				reason += strings.Join(hosts, " and ") + " need"
			} else {
				reason += "the hard rules need"
			}
			conflicts = append(conflicts, PoolConflict{Rule: rule, Establishment: site, Category: cat, FTE: rx.fte, Reason: reason})
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
				conflicts = append(conflicts, PoolConflict{Rule: "category moved FTE cap", Category: ct.id, FTE: movedNeed[c] - ct.capFTE,
					Reason: fmt.Sprintf("the cap of %s FTE of %s moved is below the %s FTE that the hard rules need to move", poolFmt(ct.capFTE), ct.id, poolFmt(movedNeed[c]))})
			}
		}
		if in.globalCap > 0 && total > in.globalCap+1e-9 {
			conflicts = append(conflicts, PoolConflict{Rule: "moved FTE cap", FTE: total - in.globalCap,
				Reason: fmt.Sprintf("the cap of %s FTE moved is below the %s FTE that the hard rules need to move", poolFmt(in.globalCap), poolFmt(total))})
		}
		if in.maxMoves > 0 && len(conflicts) == 0 {
			conflicts = append(conflicts, PoolConflict{Rule: "moves cap", FTE: float64(movesNeed),
				Reason: fmt.Sprintf("the hard rules cannot be met with at most %d moves (the plan found that meets them uses %d)", in.maxMoves, movesNeed)})
		}
	}
	if len(conflicts) == 0 {
		conflicts = short
	}
	in.sortConflicts(conflicts)
	return &PoolInfeasibleError{Conflicts: conflicts, Elastic: true}
}

// hardAt describes the hard rules at a cell, "" when it has none.
func (in *poolInst) hardAt(cell int32) string {
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
				parts = append(parts, fmt.Sprintf("the required team %q at %s (%s FTE)", t.service, site, poolFmt(r.fte)))
			}
		}
	}
	if cl.minFTE > 0 {
		parts = append(parts, fmt.Sprintf("the minimum staff at %s (%s FTE)", site, poolFmt(cl.minFTE)))
	}
	return strings.Join(parts, " and ")
}
