package pathway

import (
	"errors"
	"sort"

	gst "github.com/gstplan/gst"
)

// FlowRow is the annual volume of one step of one pathway for the people
// of one area.
type FlowRow struct {
	Area    gst.AreaID    `json:"area"`
	Pathway PathwayID     `json:"pathway"`
	Step    StepID        `json:"step"`
	Service gst.ServiceID `json:"service"`
	// Level is the step's level (zero: any).
	Level gst.Level `json:"level,omitempty"`
	// Episodes is the number of episodes a year that reach the step.
	Episodes float64 `json:"episodes"`
	// Visits is Episodes × the step's visits per episode, of which
	// TelemedicineVisits are remote and InPersonVisits are not.
	Visits             float64 `json:"visits"`
	InPersonVisits     float64 `json:"in_person_visits"`
	TelemedicineVisits float64 `json:"telemedicine_visits"`
	// Weight is InPersonVisits × the trip factor: the one-way legs a year
	// the step makes people of the area travel. Weight × the one-way
	// minutes to the serving establishment is the step's annual travel.
	Weight float64 `json:"weight"`
}

// StepFlow is the annual volume of one step over the whole region.
type StepFlow struct {
	Pathway PathwayID     `json:"pathway"`
	Step    StepID        `json:"step"`
	Name    string        `json:"name,omitempty"`
	Service gst.ServiceID `json:"service"`
	Level   gst.Level     `json:"level,omitempty"`
	// Reach is the probability that an episode reaches the step.
	Reach              float64 `json:"reach"`
	Episodes           float64 `json:"episodes"`
	Visits             float64 `json:"visits"`
	InPersonVisits     float64 `json:"in_person_visits"`
	TelemedicineVisits float64 `json:"telemedicine_visits"`
	Weight             float64 `json:"weight"`
}

// LevelFlow is the annual volume of the steps planned at one care level.
type LevelFlow struct {
	// Level is the steps' level; zero gathers the steps of any level.
	Level gst.Level `json:"level,omitempty"`
	// Episodes counts episodes once per step of this level they reach.
	Episodes           float64 `json:"episodes"`
	Visits             float64 `json:"visits"`
	InPersonVisits     float64 `json:"in_person_visits"`
	TelemedicineVisits float64 `json:"telemedicine_visits"`
}

// PathwayFlow is the annual volume of one pathway over the whole region.
type PathwayFlow struct {
	Pathway PathwayID `json:"pathway"`
	// AtRisk is the number of people at risk (the population, or that of
	// the pathway's segment).
	AtRisk float64 `json:"at_risk"`
	// Episodes is AtRisk × incidence / 1,000.
	Episodes           float64 `json:"episodes"`
	Visits             float64 `json:"visits"`
	InPersonVisits     float64 `json:"in_person_visits"`
	TelemedicineVisits float64 `json:"telemedicine_visits"`
}

// Flows are the annual volumes of a pathway set in a region: per area and
// step, and in total per step, care level and pathway, with the root
// package's demand tables that capacity and allocate consume.
type Flows struct {
	// TripFactor is the number of one-way legs per in-person visit (2 for
	// return trips, 1 with Options.OneWay).
	TripFactor float64 `json:"trip_factor"`
	// Rows are the non-zero flows, sorted by area ID, then in the set's
	// order of pathways and steps.
	Rows []FlowRow `json:"rows"`
	// Steps, Levels and Pathways are regional totals, in the set's order
	// (Levels lowest first, the any-level total last).
	Steps    []StepFlow    `json:"steps"`
	Levels   []LevelFlow   `json:"levels"`
	Pathways []PathwayFlow `json:"pathways"`
	// Demand is the annual visits (in person and remote) by area and
	// service, summed over every step that uses the service: the volume
	// the serving establishments deliver, in gst.Cases (each service's
	// unit), comparable with offer capacities.
	Demand *gst.DemandTable `json:"demand"`
	// Weights is, by area and service, the sum over the steps using the
	// service of InPersonVisits × TripFactor: the travel weight of the
	// pair. Σ over areas and services of weight × Σ over establishments of
	// share × one-way minutes is the pathway-weighted travel that
	// Evaluation.Objective reports and WeightedTravel recomputes; it is the
	// objective a location model should minimise to judge sites by whole
	// journeys. Telemedicine visits carry no weight. Its unit is gst.Trips:
	// a weight is not a case, and allocate refuses to compare it with a
	// capacity (use Demand for that).
	Weights *gst.DemandTable `json:"weights"`
}

// compiled is a validated set prepared for a region.
type compiled struct {
	r        *gst.Region
	set      *Set
	trip     float64
	areas    []int // indices into r.Areas, sorted by area ID
	pathways []cPathway
}

type cPathway struct {
	pw    *Pathway
	steps []cStep
}

type cStep struct {
	st       *Step
	reach    float64
	std      float64
	hasStd   bool
	inPerson float64 // 1 − telemedicine share
}

// compile validates the inputs (every problem at once) and prepares them.
func compile(r *gst.Region, set *Set, opt *Options, extra func(*gst.Problems)) (*compiled, error) {
	var p gst.Problems
	opt.validateInto(&p)
	if r == nil {
		p.Add("region", "", errors.New("is nil"))
	} else {
		p.AddErr(r.Validate())
	}
	if r != nil {
		p.AddErr(set.ValidateFor(r))
	} else {
		p.AddErr(set.Validate())
	}
	if extra != nil {
		extra(&p)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	c := &compiled{r: r, set: set, trip: opt.TripFactor()}
	c.areas = make([]int, len(r.Areas))
	for i := range c.areas {
		c.areas[i] = i
	}
	sort.Slice(c.areas, func(i, j int) bool { return r.Areas[c.areas[i]].ID < r.Areas[c.areas[j]].ID })
	for i := range set.Pathways {
		pw := &set.Pathways[i]
		cp := cPathway{pw: pw, steps: make([]cStep, len(pw.Steps))}
		for j := range pw.Steps {
			st := &pw.Steps[j]
			reach, _ := pw.Reach(st.ID)
			std, has := standardFor(r, st)
			cp.steps[j] = cStep{st: st, reach: reach, std: std, hasStd: has, inPerson: 1 - st.TelemedicineShare}
		}
		c.pathways = append(c.pathways, cp)
	}
	return c, nil
}

// episodes returns the annual episodes of a pathway in an area.
func (cp *cPathway) episodes(a *gst.Area) (atRisk, episodes float64) {
	atRisk = cp.pw.atRisk(a)
	return atRisk, atRisk * cp.pw.IncidencePer1000 / 1000
}

// ComputeFlows returns the annual episodes and visits of every step of the
// set for the people of every area of the region, with regional totals by
// step, level and pathway, and the demand and weight tables (see Flows).
// It validates the region and the set against it first and reports every
// problem at once (errors.Is(err, gst.ErrInvalid) holds).
func ComputeFlows(r *gst.Region, set *Set, opt *Options) (*Flows, error) {
	c, err := compile(r, set, opt, nil)
	if err != nil {
		return nil, err
	}
	f := &Flows{TripFactor: c.trip}
	var nsteps int
	for _, cp := range c.pathways {
		nsteps += len(cp.steps)
	}
	f.Steps = make([]StepFlow, 0, nsteps)
	for _, cp := range c.pathways {
		for _, cs := range cp.steps {
			f.Steps = append(f.Steps, StepFlow{Pathway: cp.pw.ID, Step: cs.st.ID, Name: cs.st.Name,
				Service: cs.st.Service, Level: cs.st.Level, Reach: cs.reach})
		}
	}
	f.Pathways = make([]PathwayFlow, len(c.pathways))
	var levels [len(levelSlots)]LevelFlow
	type key struct {
		a gst.AreaID
		s gst.ServiceID
	}
	demand := map[key]float64{}
	weight := map[key]float64{}
	var keys []key
	f.Rows = make([]FlowRow, 0, len(c.areas)*nsteps)
	for _, ai := range c.areas {
		a := &r.Areas[ai]
		k := 0
		for pi := range c.pathways {
			cp := &c.pathways[pi]
			atRisk, eps := cp.episodes(a)
			pf := &f.Pathways[pi]
			pf.Pathway = cp.pw.ID
			pf.AtRisk += atRisk
			pf.Episodes += eps
			for si := range cp.steps {
				cs := &cp.steps[si]
				row := flowRow(a.ID, cp.pw.ID, cs, eps, c.trip)
				sf := &f.Steps[k]
				k++
				sf.Episodes += row.Episodes
				sf.Visits += row.Visits
				sf.InPersonVisits += row.InPersonVisits
				sf.TelemedicineVisits += row.TelemedicineVisits
				sf.Weight += row.Weight
				pf.Visits += row.Visits
				pf.InPersonVisits += row.InPersonVisits
				pf.TelemedicineVisits += row.TelemedicineVisits
				lf := &levels[levelSlot(cs.st.Level)]
				lf.Episodes += row.Episodes
				lf.Visits += row.Visits
				lf.InPersonVisits += row.InPersonVisits
				lf.TelemedicineVisits += row.TelemedicineVisits
				if row.Episodes == 0 && row.Visits == 0 {
					continue
				}
				f.Rows = append(f.Rows, row)
				kk := key{a.ID, cs.st.Service}
				if _, ok := demand[kk]; !ok {
					keys = append(keys, kk)
				}
				demand[kk] += row.Visits
				weight[kk] += row.Weight
			}
		}
	}
	for i, l := range levels {
		l.Level = levelSlots[i]
		if l.Level == 0 && l.Episodes == 0 && l.Visits == 0 {
			continue
		}
		f.Levels = append(f.Levels, l)
	}
	drows := make([]gst.Demand, 0, len(keys))
	wrows := make([]gst.Demand, 0, len(keys))
	for _, kk := range keys {
		if v := demand[kk]; v > 0 {
			drows = append(drows, gst.Demand{Area: kk.a, Service: kk.s, Volume: v})
		}
		if v := weight[kk]; v > 0 {
			wrows = append(wrows, gst.Demand{Area: kk.a, Service: kk.s, Volume: v})
		}
	}
	if f.Demand, err = gst.NewDemandTable(drows); err != nil {
		return nil, err
	}
	w, err := gst.NewDemandTable(wrows)
	if err != nil {
		return nil, err
	}
	if f.Weights, err = w.WithUnit(gst.Trips); err != nil {
		return nil, err
	}
	return f, nil
}

func flowRow(a gst.AreaID, p PathwayID, cs *cStep, eps, trip float64) FlowRow {
	e := eps * cs.reach
	v := e * cs.st.VisitsPerEpisode
	ip := v * cs.inPerson
	return FlowRow{Area: a, Pathway: p, Step: cs.st.ID, Service: cs.st.Service, Level: cs.st.Level,
		Episodes: e, Visits: v, InPersonVisits: ip, TelemedicineVisits: v - ip, Weight: ip * trip}
}

// levelSlots orders the level totals: the five levels, lowest first, then
// the steps of any level.
var levelSlots = [...]gst.Level{gst.HealthCentre, gst.LocalHospital, gst.ProvincialHospital,
	gst.RegionalHospital, gst.UniversityHospital, 0}

func levelSlot(l gst.Level) int {
	if l.Valid() {
		return int(l) - 1
	}
	return len(levelSlots) - 1
}

// Weights returns the travel weight of every area and service for the
// set, in gst.Trips: Flows.Weights, documented there. A location model that minimises
// Σ weight × Σ share × one-way minutes over areas and services judges
// sites by whole pathways; WeightedTravel computes that sum for a plan.
func Weights(r *gst.Region, set *Set, opt *Options) (*gst.DemandTable, error) {
	f, err := ComputeFlows(r, set, opt)
	if err != nil {
		return nil, err
	}
	return f.Weights, nil
}
