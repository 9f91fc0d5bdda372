package pathway

import gst "github.com/gstplan/gst"

// Figures are the annual pathway figures of a group of people (an area, a
// province, a segment…), a step or a whole plan. Travel is counted from
// each patient's home area to the establishment the assignment sends the
// step's service to, for every in-person visit, as TripFactor one-way legs
// (a return trip by default). Visits the assignment leaves unserved and
// visits sent to an establishment with no travel leg from the area are not
// counted as zero or infinite travel: they are left out of the travel
// totals and counted in UnservedVisits and UnreachableVisits, so a figure
// is complete only when both are zero (see Complete).
type Figures struct {
	// Episodes is the number of episodes a year. For a step it counts the
	// episodes reaching the step; for a group of people or a pathway it
	// counts each episode once; for a care level it counts the episodes of
	// the steps served at that level.
	Episodes float64 `json:"episodes"`
	// Visits is every visit a year, in person and remote.
	Visits             float64 `json:"visits"`
	InPersonVisits     float64 `json:"in_person_visits"`
	TelemedicineVisits float64 `json:"telemedicine_visits"`
	// UnservedVisits are the visits (in person and remote) in the share of
	// demand the assignment sends nowhere.
	UnservedVisits float64 `json:"unserved_visits"`
	// UnreachableVisits are the in-person visits sent to an establishment
	// that the travel matrix cannot reach from the area.
	UnreachableVisits float64 `json:"unreachable_visits"`
	// AssessedVisits are the in-person visits served at a reachable
	// establishment: the visits whose travel is counted.
	AssessedVisits float64 `json:"assessed_visits"`
	// TravelMinutes and TravelKm are the annual travel of the assessed
	// visits (TripFactor legs each), in minutes and kilometres.
	TravelMinutes float64 `json:"travel_minutes"`
	TravelKm      float64 `json:"travel_km"`
	// CheckedEpisodes counts, once per step, the episodes checked against
	// the step's access standard: those of steps that have a standard and
	// in-person visits, served at a reachable establishment.
	CheckedEpisodes float64 `json:"checked_episodes"`
	// BeyondStandardEpisodes are the checked episodes served at an
	// establishment whose one-way travel time exceeds the step's standard.
	BeyondStandardEpisodes float64 `json:"beyond_standard_episodes"`

	// MinutesPerEpisode is TravelMinutes / Episodes: the expected annual
	// travel per episode (zero when there is no episode).
	MinutesPerEpisode float64 `json:"minutes_per_episode"`
	// KmPerEpisode is TravelKm / Episodes.
	KmPerEpisode float64 `json:"km_per_episode"`
	// MinutesPerVisit is TravelMinutes / AssessedVisits: the travel of one
	// assessed in-person visit, all legs included (zero without visits).
	MinutesPerVisit float64 `json:"minutes_per_visit"`
	// BeyondStandardShare is BeyondStandardEpisodes / CheckedEpisodes
	// (zero when nothing was checked).
	BeyondStandardShare float64 `json:"beyond_standard_share"`
	// Complete is true when no visit is unserved or unreachable, so the
	// travel figures cover every in-person visit.
	Complete bool `json:"complete"`
}

func (f *Figures) addScaled(c *Figures, k float64) {
	f.Episodes += c.Episodes * k
	f.Visits += c.Visits * k
	f.InPersonVisits += c.InPersonVisits * k
	f.TelemedicineVisits += c.TelemedicineVisits * k
	f.UnservedVisits += c.UnservedVisits * k
	f.UnreachableVisits += c.UnreachableVisits * k
	f.AssessedVisits += c.AssessedVisits * k
	f.TravelMinutes += c.TravelMinutes * k
	f.TravelKm += c.TravelKm * k
	f.CheckedEpisodes += c.CheckedEpisodes * k
	f.BeyondStandardEpisodes += c.BeyondStandardEpisodes * k
}

func (f *Figures) add(c *Figures) {
	f.Episodes += c.Episodes
	f.Visits += c.Visits
	f.InPersonVisits += c.InPersonVisits
	f.TelemedicineVisits += c.TelemedicineVisits
	f.UnservedVisits += c.UnservedVisits
	f.UnreachableVisits += c.UnreachableVisits
	f.AssessedVisits += c.AssessedVisits
	f.TravelMinutes += c.TravelMinutes
	f.TravelKm += c.TravelKm
	f.CheckedEpisodes += c.CheckedEpisodes
	f.BeyondStandardEpisodes += c.BeyondStandardEpisodes
}

// finish fills the derived figures.
func (f *Figures) finish() {
	f.MinutesPerEpisode = ratio(f.TravelMinutes, f.Episodes)
	f.KmPerEpisode = ratio(f.TravelKm, f.Episodes)
	f.MinutesPerVisit = ratio(f.TravelMinutes, f.AssessedVisits)
	f.BeyondStandardShare = ratio(f.BeyondStandardEpisodes, f.CheckedEpisodes)
	f.Complete = f.UnservedVisits == 0 && f.UnreachableVisits == 0
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// sub returns a − b field by field, derived figures included; Complete is
// true when both are complete.
func sub(a, b Figures) Figures {
	return Figures{
		Episodes:               a.Episodes - b.Episodes,
		Visits:                 a.Visits - b.Visits,
		InPersonVisits:         a.InPersonVisits - b.InPersonVisits,
		TelemedicineVisits:     a.TelemedicineVisits - b.TelemedicineVisits,
		UnservedVisits:         a.UnservedVisits - b.UnservedVisits,
		UnreachableVisits:      a.UnreachableVisits - b.UnreachableVisits,
		AssessedVisits:         a.AssessedVisits - b.AssessedVisits,
		TravelMinutes:          a.TravelMinutes - b.TravelMinutes,
		TravelKm:               a.TravelKm - b.TravelKm,
		CheckedEpisodes:        a.CheckedEpisodes - b.CheckedEpisodes,
		BeyondStandardEpisodes: a.BeyondStandardEpisodes - b.BeyondStandardEpisodes,
		MinutesPerEpisode:      a.MinutesPerEpisode - b.MinutesPerEpisode,
		KmPerEpisode:           a.KmPerEpisode - b.KmPerEpisode,
		MinutesPerVisit:        a.MinutesPerVisit - b.MinutesPerVisit,
		BeyondStandardShare:    a.BeyondStandardShare - b.BeyondStandardShare,
		Complete:               a.Complete && b.Complete,
	}
}

// PathwayFigures are the figures of one pathway.
type PathwayFigures struct {
	Pathway PathwayID `json:"pathway"`
	Figures
}

// StepResult are the figures of one step over the whole region.
type StepResult struct {
	Pathway PathwayID     `json:"pathway"`
	Step    StepID        `json:"step"`
	Name    string        `json:"name,omitempty"`
	Service gst.ServiceID `json:"service"`
	Level   gst.Level     `json:"level,omitempty"`
	// Reach is the probability that an episode reaches the step.
	Reach float64 `json:"reach"`
	// TelemedicineShare is the share of visits delivered remotely.
	TelemedicineShare float64 `json:"telemedicine_share"`
	// StandardMinutes is the step's access standard (its own or its
	// service's), one way; zero when it has none.
	StandardMinutes float64 `json:"standard_minutes"`
	// BelowLevelEpisodes are the step's episodes that the assignment sends
	// to an establishment below the step's level (reachable or not): care
	// planned at a hospital delivered at a health centre, say. Zero for a
	// step of any level.
	BelowLevelEpisodes float64 `json:"below_level_episodes"`
	Figures
}

// Group are the figures of a group of people: an area, a province, a
// population segment, urban or rural areas, a deprivation group, or the
// visits served at one care level.
type Group struct {
	// Key identifies the group: an area or province ID, a segment name (a
	// segment dimension's remainder is "dimension/(rest)"), "urban" or
	// "rural", "most-deprived", "other" or "unknown", or a level code.
	Key string `json:"key"`
	// Name is the area's or province's name, when known.
	Name string `json:"name,omitempty"`
	// Province is the area's province (area groups only).
	Province gst.ProvinceID `json:"province,omitempty"`
	// Population is the number of people in the group (zero for levels).
	Population float64 `json:"population"`
	// Total sums the group's pathways; Pathways lists them in the set's
	// order.
	Total    Figures          `json:"total"`
	Pathways []PathwayFigures `json:"pathways"`
}

// UnservedRow reports the demand of one area for one service that the
// assignment sends nowhere.
type UnservedRow struct {
	Area    gst.AreaID    `json:"area"`
	Service gst.ServiceID `json:"service"`
	// Share is the unserved share of the area's demand for the service.
	Share float64 `json:"share"`
	// Visits are the visits a year in that share, over every step that
	// uses the service.
	Visits float64 `json:"visits"`
}

// UnreachableRow reports a share of one area's demand for one service
// sent to an establishment the travel matrix cannot reach from the area.
type UnreachableRow struct {
	Area          gst.AreaID          `json:"area"`
	Service       gst.ServiceID       `json:"service"`
	Establishment gst.EstablishmentID `json:"establishment"`
	Share         float64             `json:"share"`
	// InPersonVisits are the in-person visits a year in that share, over
	// every step that uses the service.
	InPersonVisits float64 `json:"in_person_visits"`
}
