package programme

import (
	"context"
	"math"
	"sort"

	"github.com/gstplan/gst"
)

// legs returns the travel matrix from the given origins to the given
// destinations, from the problem's travel source.
func (in *inst) legs(ctx context.Context, from, to []string) (*gst.Matrix, error) {
	return in.p.TravelSource.Matrix(ctx, in.r, from, to)
}

// indexReach gives every area, for every service, the sites its demand may
// go to: its Reach nearest eligible sites within the maximum travel, and
// its Reach nearest sites open today, sorted by travel (then km, then
// establishment ID).
func (in *inst) indexReach(ctx context.Context) error {
	from := make([]string, len(in.areas))
	for a := range in.areas {
		from[a] = string(in.areas[a].id)
	}
	to := make([]string, len(in.sites))
	for s := range in.sites {
		to[s] = string(in.sites[s].id)
	}
	m, err := in.legs(ctx, from, to)
	if err != nil {
		return err
	}
	in.reach = make([][][]reachEntry, len(in.svc))
	for s := range in.svc {
		in.reach[s] = make([][]reachEntry, len(in.areas))
		for a := range in.areas {
			in.reach[s][a] = in.reachOf(m, s, a)
		}
	}
	return nil
}

func (in *inst) reachOf(m *gst.Matrix, s, a int) []reachEntry {
	var all []reachEntry
	for o := range in.offers {
		off := &in.offers[o]
		if off.svc != s {
			continue
		}
		l, ok := m.At(a, off.site)
		if !ok || (in.svc[s].maxTravel > 0 && l.Minutes > in.svc[s].maxTravel) {
			continue
		}
		all = append(all, reachEntry{off: o, minutes: l.Minutes, km: l.Km})
	}
	sort.Slice(all, func(i, j int) bool {
		x, y := all[i], all[j]
		if x.minutes != y.minutes {
			return x.minutes < y.minutes
		}
		if x.km != y.km {
			return x.km < y.km
		}
		return in.sites[in.offers[x.off].site].id < in.sites[in.offers[y.off].site].id
	})
	k := in.svc[s].reach
	var out []reachEntry
	open := 0
	for i, e := range all {
		today := in.offers[e.off].openToday
		if i < k || (today && open < k) {
			out = append(out, e)
		}
		if today {
			open++
		}
	}
	return out
}

// indexStaff lists the establishments that take part in staffing (every
// site, then the lenders), their existing staff free in each period, and
// the pooling arcs.
func (in *inst) indexStaff(ctx context.Context) error {
	for s := range in.sites {
		in.sites[s].staff = len(in.staff)
		in.staff = append(in.staff, staffSite{id: in.sites[s].id, e: in.sites[s].e, host: s})
	}
	if len(in.cats) == 0 {
		return nil
	}
	committed := in.committedLookup()
	isSite := map[gst.EstablishmentID]bool{}
	for s := range in.sites {
		isSite[in.sites[s].id] = true
	}
	if !in.pool.None {
		var lenders []staffSite
		for i := range in.r.Establishments {
			e := &in.r.Establishments[i]
			if isSite[e.ID] || e.Candidate || (e.Ownership != gst.Public && !in.pool.IncludePrivate) {
				continue
			}
			lenders = append(lenders, staffSite{id: e.ID, e: e, host: -1})
		}
		sort.Slice(lenders, func(i, j int) bool { return lenders[i].id < lenders[j].id })
		in.staff = append(in.staff, lenders...)
	}
	for i := range in.staff {
		in.fillStaff(&in.staff[i], committed)
	}
	if in.pool.None {
		return nil
	}
	return in.indexArcs(ctx)
}

// committedLookup returns the staff committed to other work at an
// establishment in a year.
func (in *inst) committedLookup() func(e gst.EstablishmentID, c gst.CategoryID, year int) float64 {
	type key struct {
		e    gst.EstablishmentID
		c    gst.CategoryID
		year int
	}
	rows := map[key]float64{}
	for _, c := range in.p.Committed {
		rows[key{c.Establishment, c.Category, c.Year}] = c.FTE
	}
	return func(e gst.EstablishmentID, c gst.CategoryID, year int) float64 {
		if v, ok := rows[key{e, c, year}]; ok {
			return v
		}
		return rows[key{e, c, 0}]
	}
}

// onRoll is the existing staff of a category on an establishment's roll in
// a year, after attrition since the base year.
func (in *inst) onRoll(e *gst.Establishment, c int, year int) float64 {
	s0 := e.StaffFTE(in.cats[c].id)
	if s0 == 0 {
		return 0
	}
	return s0 * math.Pow(1-in.cats[c].attr, float64(year-in.baseYr))
}

func (in *inst) fillStaff(st *staffSite, committed func(gst.EstablishmentID, gst.CategoryID, int) float64) {
	st.onroll = make([][]float64, len(in.cats))
	st.avail = make([][]float64, len(in.cats))
	for c := range in.cats {
		st.onroll[c] = make([]float64, len(in.per))
		st.avail[c] = make([]float64, len(in.per))
		for p, per := range in.per {
			st.onroll[c][p] = in.onRoll(st.e, c, per.last)
			free := math.Inf(1)
			for y := per.start; y <= per.last; y++ {
				free = math.Min(free, math.Max(0, in.onRoll(st.e, c, y)-committed(st.id, in.cats[c].id, y)))
			}
			st.avail[c][p] = free
		}
	}
}

// hostNeeds reports whether a site may need staff of a category: some
// module of a service it may offer requires it.
func (in *inst) hostNeeds(site, c int) bool {
	for _, o := range in.sites[site].offers {
		for _, r := range in.svc[in.offers[o].svc].team {
			if r.cat == c {
				return true
			}
		}
		for _, mi := range in.svc[in.offers[o].svc].mods {
			for _, r := range in.mods[mi].req {
				if r.cat == c {
					return true
				}
			}
		}
	}
	return false
}

// indexArcs lists the pooling arcs: staff of a category at an
// establishment with some free in a period, to a site that may need it,
// within the commute limit, the Lenders nearest of each site and category,
// sorted by category, lender and host.
func (in *inst) indexArcs(ctx context.Context) error {
	var from []string
	var fromIx []int
	for i := range in.staff {
		for c := range in.cats {
			if maxOf(in.staff[i].avail[c]) > 0 {
				from = append(from, string(in.staff[i].id))
				fromIx = append(fromIx, i)
				break
			}
		}
	}
	to := make([]string, len(in.sites))
	for s := range in.sites {
		to[s] = string(in.sites[s].id)
	}
	if len(from) == 0 || len(to) == 0 {
		return nil
	}
	m, err := in.legs(ctx, from, to)
	if err != nil {
		return err
	}
	for c := range in.cats {
		for h := range in.sites {
			if !in.hostNeeds(h, c) {
				continue
			}
			var cand []arcInfo
			for fi, l := range fromIx {
				leg, ok := m.At(fi, h)
				if !ok || in.sites[h].staff == l || leg.Minutes > in.pool.MaxCommuteMinutes || maxOf(in.staff[l].avail[c]) <= 0 {
					continue
				}
				cand = append(cand, arcInfo{cat: c, from: l, to: in.sites[h].staff, minutes: leg.Minutes, km: leg.Km, costYear: in.arcCost(c, leg)})
			}
			sort.Slice(cand, func(i, j int) bool {
				a, b := cand[i], cand[j]
				if a.minutes != b.minutes {
					return a.minutes < b.minutes
				}
				if a.km != b.km {
					return a.km < b.km
				}
				return in.staff[a.from].id < in.staff[b.from].id
			})
			if len(cand) > in.pool.Lenders {
				cand = cand[:in.pool.Lenders]
			}
			in.arcs = append(in.arcs, cand...)
		}
	}
	sort.SliceStable(in.arcs, func(i, j int) bool {
		a, b := in.arcs[i], in.arcs[j]
		if a.cat != b.cat {
			return a.cat < b.cat
		}
		if a.from != b.from {
			return a.from < b.from
		}
		return a.to < b.to
	})
	return nil
}

// arcCost is the yearly cost of one FTE working at a host: every session's
// round trip paid as mileage and as working time lost, plus the allowance
// per session.
func (in *inst) arcCost(c int, l gst.Leg) float64 {
	sessions := in.pool.SessionsPerFTE * in.pool.WeeksPerYear
	perSession := 2*l.Km*in.pool.PerKmMAD + in.pool.PerSessionMAD + 2*l.Minutes/60*in.cats[c].hourCost
	return sessions * perSession
}

func maxOf(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}
