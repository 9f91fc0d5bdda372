package pathway

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	gst "github.com/gstplan/gst"
)

// PathwayID identifies a Pathway within a Set.
type PathwayID string

// StepID identifies a Step within its Pathway.
type StepID string

// Step is one stage of a patient pathway: a service used at a care level,
// reached with a probability from the step that refers to it.
type Step struct {
	// ID names the step; unique within its pathway.
	ID StepID `json:"id"`
	// Name is a readable label.
	Name string `json:"name,omitempty"`
	// Parent is the step that refers patients to this one; empty for an
	// entry step, which every episode may reach directly. Parents make a
	// referral tree (delivery → caesarean; emergency → trauma surgery); a
	// cycle is an error.
	Parent StepID `json:"parent,omitempty"`
	// Service is the service the step uses. It is required: the root
	// package keys demand tables and assignments by service, so the step's
	// flows are emitted under this ID and its patients travel to wherever
	// the assignment sends the area's demand for it. Steps (of one pathway
	// or of several) that share a service share that assignment.
	Service gst.ServiceID `json:"service"`
	// Level is the lowest care level at which the step is delivered (the
	// step is planned at this level or above); zero when any level may
	// deliver it. Validation against a region requires an establishment of
	// this level or above that offers Service.
	Level gst.Level `json:"level,omitempty"`
	// Probability is the probability that an episode reaches this step
	// given that it reached Parent (conditional); for an entry step it is
	// the probability per episode. In [0, 1]. The probability that an
	// episode reaches a step is the product along its chain of parents
	// (see Pathway.Reach).
	Probability float64 `json:"probability"`
	// VisitsPerEpisode is the number of visits (contacts, sessions,
	// admissions) one patient who reaches the step makes in a year; >= 0.
	VisitsPerEpisode float64 `json:"visits_per_episode"`
	// TelemedicineShare is the share of the step's visits delivered
	// remotely, in [0, 1]. Remote visits count in the service's volume but
	// cause no travel.
	TelemedicineShare float64 `json:"telemedicine_share,omitempty"`
	// StandardMinutes is the access standard of the step: the longest
	// acceptable one-way travel time, in minutes. Zero means the service's
	// StandardMinutes in the region applies; when both are zero the step has
	// no standard.
	StandardMinutes float64 `json:"standard_minutes,omitempty"`
	// Source says where Probability, VisitsPerEpisode, TelemedicineShare
	// and StandardMinutes come from, or that they are planning assumptions.
	Source string `json:"source,omitempty"`
}

// Pathway is the journey of one kind of episode (a pregnancy, an
// emergency, a year of diabetes care…) through care steps.
//
// The people at risk in an area are its population, or the population of
// Segment when set. Episodes per year are people at risk × IncidencePer1000
// / 1000; for chronic care an episode is one patient followed for a year, so
// IncidencePer1000 is then a prevalence.
type Pathway struct {
	// ID names the pathway; unique within its set.
	ID PathwayID `json:"id"`
	// Name is a readable label.
	Name string `json:"name,omitempty"`
	// IncidencePer1000 is the number of episodes per year per 1,000
	// people at risk; >= 0.
	IncidencePer1000 float64 `json:"incidence_per_1000"`
	// Segment, when set, names the area segment at risk (for example
	// "sex-age/f15-49"); empty means the whole population.
	Segment string `json:"segment,omitempty"`
	// FallbackShare is used for an area that lacks Segment: its people at
	// risk are then Population × FallbackShare. In [0, 1]; zero means an
	// area without the segment is an error.
	FallbackShare float64 `json:"fallback_share,omitempty"`
	// Steps are the steps of the pathway, entry steps and referrals.
	Steps []Step `json:"steps"`
	// Source says where IncidencePer1000 comes from, or that it is a
	// planning assumption.
	Source string `json:"source,omitempty"`
}

// Set is a collection of pathways, evaluated together. Its zero value is
// an empty set.
type Set struct {
	Pathways []Pathway `json:"pathways"`
}

// Clone returns a deep copy of the set.
func (s *Set) Clone() *Set {
	if s == nil {
		return nil
	}
	c := &Set{Pathways: make([]Pathway, len(s.Pathways))}
	for i, p := range s.Pathways {
		p.Steps = append([]Step(nil), p.Steps...)
		c.Pathways[i] = p
	}
	return c
}

// Pathway returns the pathway with the given ID.
func (s *Set) Pathway(id PathwayID) (*Pathway, bool) {
	for i := range s.Pathways {
		if s.Pathways[i].ID == id {
			return &s.Pathways[i], true
		}
	}
	return nil, false
}

// Select returns a copy of the set holding only the given pathways, in the
// order given. An unknown or repeated ID is an error.
func (s *Set) Select(ids ...PathwayID) (*Set, error) {
	var p gst.Problems
	out := &Set{}
	seen := map[PathwayID]bool{}
	for _, id := range ids {
		pw, ok := s.Pathway(id)
		switch {
		case seen[id]:
			p.Addf(fmt.Sprintf("pathway %q", id), "", "selected twice")
		case !ok:
			p.Addf(fmt.Sprintf("pathway %q", id), "", "not in the set")
		default:
			c := *pw
			c.Steps = append([]Step(nil), pw.Steps...)
			out.Pathways = append(out.Pathways, c)
		}
		seen[id] = true
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// RenameServices returns a copy of the set whose steps use the services
// of the map instead of its keys (for example to fit the default pathways
// to a region whose antenatal service is called "consultation"). Services
// not in the map are kept.
func (s *Set) RenameServices(m map[gst.ServiceID]gst.ServiceID) *Set {
	c := s.Clone()
	for i := range c.Pathways {
		for j := range c.Pathways[i].Steps {
			st := &c.Pathways[i].Steps[j]
			if to, ok := m[st.Service]; ok {
				st.Service = to
			}
		}
	}
	return c
}

// Services returns the distinct services the set's steps use, sorted.
func (s *Set) Services() []gst.ServiceID {
	seen := map[gst.ServiceID]bool{}
	var out []gst.ServiceID
	for _, p := range s.Pathways {
		for _, st := range p.Steps {
			if !seen[st.Service] {
				seen[st.Service] = true
				out = append(out, st.Service)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Step returns the step with the given ID.
func (p *Pathway) Step(id StepID) (*Step, bool) {
	for i := range p.Steps {
		if p.Steps[i].ID == id {
			return &p.Steps[i], true
		}
	}
	return nil, false
}

// Reach returns the probability that an episode reaches the step: the
// product of the probabilities along its chain of parents. It returns
// false when the step is unknown or its chain is broken (an unknown parent
// or a cycle).
func (p *Pathway) Reach(id StepID) (float64, bool) {
	reach := 1.0
	seen := map[StepID]bool{}
	for {
		if seen[id] {
			return 0, false
		}
		seen[id] = true
		st, ok := p.Step(id)
		if !ok {
			return 0, false
		}
		reach *= st.Probability
		if st.Parent == "" {
			return reach, true
		}
		id = st.Parent
	}
}

func wherePathway(i int, id PathwayID) string {
	if id == "" {
		return fmt.Sprintf("pathway #%d", i+1)
	}
	return fmt.Sprintf("pathway %q", id)
}

func whereStep(pw string, j int, id StepID) string {
	if id == "" {
		return fmt.Sprintf("%s step #%d", pw, j+1)
	}
	return fmt.Sprintf("%s step %q", pw, id)
}

func checkID(p *gst.Problems, where, id string) {
	if strings.TrimSpace(id) == "" {
		p.Add(where, "id", errors.New("must not be empty"))
	} else if strings.TrimSpace(id) != id {
		p.Addf(where, "id", "must not start or end with spaces: %q", id)
	}
}

// Validate checks the set on its own and reports every problem at once,
// each as a *gst.ValidationError (errors.Is(err, gst.ErrInvalid) holds):
// IDs non-empty and unique (pathways in the set, steps in their pathway),
// incidence finite and >= 0, FallbackShare in [0, 1], every step naming a
// service, a valid level or none, a probability and a telemedicine share in
// [0, 1], visits and standard minutes finite and >= 0, parents that exist,
// and no referral cycle.
func (s *Set) Validate() error {
	var p gst.Problems
	s.validateInto(&p)
	return p.Err()
}

func (s *Set) validateInto(p *gst.Problems) {
	if s == nil {
		p.Add("pathway set", "", errors.New("is nil"))
		return
	}
	if len(s.Pathways) == 0 {
		p.Add("pathway set", "pathways", errors.New("has no pathway"))
	}
	ids := map[PathwayID]bool{}
	for i := range s.Pathways {
		pw := &s.Pathways[i]
		w := wherePathway(i, pw.ID)
		checkID(p, w, string(pw.ID))
		if pw.ID != "" && ids[pw.ID] {
			p.Add(w, "id", errors.New("duplicate pathway ID"))
		}
		ids[pw.ID] = true
		p.CheckNonNegative(w, "incidence_per_1000", pw.IncidencePer1000)
		p.CheckFraction(w, "fallback_share", pw.FallbackShare)
		if pw.Segment == "" && pw.FallbackShare != 0 {
			p.Addf(w, "fallback_share", "is set but the pathway names no segment")
		}
		if len(pw.Steps) == 0 {
			p.Add(w, "steps", errors.New("has no step"))
		}
		steps := map[StepID]int{}
		for j, st := range pw.Steps {
			ws := whereStep(w, j, st.ID)
			checkID(p, ws, string(st.ID))
			if st.ID != "" {
				if _, dup := steps[st.ID]; dup {
					p.Add(ws, "id", errors.New("duplicate step ID in the pathway"))
				} else {
					steps[st.ID] = j
				}
			}
			if strings.TrimSpace(string(st.Service)) == "" {
				p.Add(ws, "service", errors.New("must name a service (demand and assignments are keyed by service)"))
			}
			if st.Level != 0 && !st.Level.Valid() {
				p.Addf(ws, "level", "invalid level %d", int(st.Level))
			}
			p.CheckFraction(ws, "probability", st.Probability)
			p.CheckNonNegative(ws, "visits_per_episode", st.VisitsPerEpisode)
			p.CheckFraction(ws, "telemedicine_share", st.TelemedicineShare)
			p.CheckNonNegative(ws, "standard_minutes", st.StandardMinutes)
		}
		for j, st := range pw.Steps {
			if st.Parent == "" {
				continue
			}
			if _, ok := steps[st.Parent]; !ok {
				p.Addf(whereStep(w, j, st.ID), "parent", "unknown step %q", st.Parent)
			}
		}
		for _, cyc := range cycles(pw.Steps, steps) {
			names := make([]string, len(cyc))
			for k, id := range cyc {
				names[k] = string(id)
			}
			p.Addf(whereStep(w, steps[cyc[0]], cyc[0]), "parent",
				"referral cycle: %s → %s", strings.Join(names, " → "), names[0])
		}
	}
}

// cycles returns the referral cycles among the steps (following parents),
// each once, starting at its first step in declaration order.
func cycles(steps []Step, index map[StepID]int) [][]StepID {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]int, len(steps))
	var out [][]StepID
	for start := range steps {
		if state[start] != unseen {
			continue
		}
		var path []int
		i := start
		for {
			if state[i] == onPath {
				// The cycle is the part of the path from i.
				k := 0
				for path[k] != i {
					k++
				}
				cyc := path[k:]
				// Rotate to start at the earliest declared step.
				m := 0
				for x := range cyc {
					if cyc[x] < cyc[m] {
						m = x
					}
				}
				ids := make([]StepID, len(cyc))
				for x := range cyc {
					ids[x] = steps[cyc[(m+x)%len(cyc)]].ID
				}
				out = append(out, ids)
				break
			}
			if state[i] == done {
				break
			}
			state[i] = onPath
			path = append(path, i)
			par := steps[i].Parent
			j, ok := index[par]
			if par == "" || !ok {
				break
			}
			i = j
		}
		for _, x := range path {
			state[x] = done
		}
	}
	return out
}

// ValidateFor checks the set (as Validate does) and its fit with a region,
// reporting every problem at once: each step's service must be offered by
// some establishment of the region (existing or candidate) at the step's
// level or above, the step's level must not be below the service's
// MinLevel, and, for a pathway with a Segment and no FallbackShare, every
// area must have that segment.
func (s *Set) ValidateFor(r *gst.Region) error {
	var p gst.Problems
	s.validateInto(&p)
	if r == nil {
		p.Add("region", "", errors.New("is nil"))
		return p.Err()
	}
	if s == nil {
		return p.Err()
	}
	// Highest level offering each service.
	top := map[gst.ServiceID]gst.Level{}
	for _, e := range r.Establishments {
		for _, o := range e.Offers {
			if e.Level > top[o.Service] {
				top[o.Service] = e.Level
			}
		}
	}
	for i := range s.Pathways {
		pw := &s.Pathways[i]
		w := wherePathway(i, pw.ID)
		for j, st := range pw.Steps {
			if st.Service == "" {
				continue
			}
			ws := whereStep(w, j, st.ID)
			svc, known := r.Service(st.Service)
			hi, offered := top[st.Service]
			switch {
			case !offered && !known:
				p.Addf(ws, "service", "service %q is not a service of the region and no establishment offers it", st.Service)
			case !offered:
				p.Addf(ws, "service", "no establishment of the region offers service %q", st.Service)
			case st.Level.Valid() && hi < st.Level:
				p.Addf(ws, "level", "no establishment of level %s or above offers service %q (the highest offering it is %s)", st.Level, st.Service, hi)
			}
			if known && st.Level.Valid() && svc.MinLevel.Valid() && st.Level < svc.MinLevel {
				p.Addf(ws, "level", "level %s is below the service's minimum level %s", st.Level, svc.MinLevel)
			}
		}
		if pw.Segment != "" && pw.FallbackShare == 0 {
			for k := range r.Areas {
				a := &r.Areas[k]
				if _, ok := a.Segment(pw.Segment); !ok {
					p.Addf(w, "segment", "area %q has no segment %q and the pathway gives no fallback_share", a.ID, pw.Segment)
				}
			}
		}
	}
	return p.Err()
}

// atRisk returns the people at risk of a pathway in an area.
func (pw *Pathway) atRisk(a *gst.Area) float64 {
	if pw.Segment == "" {
		return a.Population
	}
	if v, ok := a.Segment(pw.Segment); ok {
		return v
	}
	return a.Population * pw.FallbackShare
}

// standardFor resolves the access standard of a step: its own, else the
// service's, else none.
func standardFor(r *gst.Region, st *Step) (float64, bool) {
	if st.StandardMinutes > 0 {
		return st.StandardMinutes, true
	}
	if svc, ok := r.Service(st.Service); ok && svc.StandardMinutes > 0 {
		return svc.StandardMinutes, true
	}
	return 0, false
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
