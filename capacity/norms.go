package capacity

import (
	"errors"
	"fmt"
	"sort"

	"github.com/gstplan/gst"
)

// Reference densities, in health workers per 1,000 people.
const (
	// WHOSDGThreshold is the density of doctors, nurses and midwives
	// (4.45 per 1,000) below which a country is unlikely to reach the
	// health targets of the Sustainable Development Goals: WHO, Global
	// Strategy on Human Resources for Health: Workforce 2030 (2016).
	WHOSDGThreshold = 4.45
	// MoroccoDoctorsPerThousand is Morocco's doctor density, about 0.74
	// per 1,000 people (against 2.8 in England), as quoted in
	// "Collaboration and Governance in Integrated Care Systems: A Moroccan
	// Perspective on Lessons From England's ICS". It is a reference figure
	// for reports, not a norm.
	MoroccoDoctorsPerThousand = 0.74
)

// Norm is a staffing norm: a density of staff of some categories per
// 1,000 people.
type Norm struct {
	// Name labels the norm in reports.
	Name string `json:"name"`
	// Categories are the staff categories counted together (for example
	// doctors, nurses and midwives for WHOSDGThreshold).
	Categories []gst.CategoryID `json:"categories"`
	// PerThousand is the norm's density, FTE per 1,000 people.
	PerThousand float64 `json:"per_thousand"`
}

// DensityOptions tune Density. A nil *DensityOptions uses the defaults.
type DensityOptions struct {
	// Catchment, when not nil, spreads each establishment's staff over
	// the areas it serves, in proportion to the people it serves there
	// (see CatchmentPopulation). Default nil: staff count in the area
	// where the establishment stands (Establishment.Area).
	Catchment *gst.Assignment
	// CatchmentService selects the service whose assignment defines
	// catchments. Default "": the mean share over the services assigned
	// for each area.
	CatchmentService gst.ServiceID
	// IncludeCandidates counts the (planned) staff of candidate sites.
	// Default false.
	IncludeCandidates bool
}

// DensityRow compares one unit's staff density with the norm.
type DensityRow struct {
	Level      string  `json:"level"`
	ID         string  `json:"id"`
	Name       string  `json:"name,omitempty"`
	Population float64 `json:"population"`
	// Staff is the FTE of the norm's categories counted in the unit.
	Staff float64 `json:"staff"`
	// PerThousand is Staff per 1,000 people, nil when nobody lives there.
	PerThousand *float64 `json:"per_1000"`
	// Need = norm × Population / 1000, Difference = Staff − Need and
	// Ratio = Staff / Need (nil when Need is zero).
	Need       float64  `json:"need"`
	Difference float64  `json:"difference"`
	Ratio      *float64 `json:"ratio"`
}

// DensityResult holds the densities by area, province and for the region,
// each table sorted by ID.
type DensityResult struct {
	Norm      Norm         `json:"norm"`
	Areas     []DensityRow `json:"areas"`
	Provinces []DensityRow `json:"provinces"`
	Region    DensityRow   `json:"region"`
	// Rule says how staff were placed in areas: "catchment" or "location".
	Rule string `json:"rule"`
	// Unplaced is the FTE no area received: establishments without an
	// area (location rule) or serving nobody (catchment rule). It still
	// counts in its province and in the region.
	Unplaced float64 `json:"unplaced"`
}

// Density computes staff per 1,000 people against a norm, by area,
// province and region. Staff are counted where they work: at province and
// region level by the establishment's province; at area level by
// catchment when opt.Catchment is given, else by the area the
// establishment stands in. Population is the residents of each unit.
func Density(r *gst.Region, norm Norm, opt *DensityOptions) (*DensityResult, error) {
	if err := checkRegion(r); err != nil {
		return nil, err
	}
	if opt == nil {
		opt = &DensityOptions{}
	}
	var p gst.Problems
	if len(norm.Categories) == 0 {
		p.Add("norm", "categories", errors.New("at least one category is needed"))
	}
	inNorm := map[gst.CategoryID]bool{}
	for i, c := range norm.Categories {
		if _, ok := r.Category(c); !ok {
			p.Addf(whereIndexed("norm category", i, fmt.Sprintf("%q", c)), "", "unknown category %q", c)
		}
		inNorm[c] = true
	}
	p.CheckPositive("norm", "per_thousand", norm.PerThousand)
	if opt.Catchment != nil {
		checkAssignmentRefs(&p, r, opt.Catchment)
	}
	if opt.CatchmentService != "" {
		if _, ok := r.Service(opt.CatchmentService); !ok {
			p.Addf("density options", "catchment_service", "unknown service %q", opt.CatchmentService)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	res := &DensityResult{Norm: norm, Rule: "location"}
	staffOf := make(map[gst.EstablishmentID]float64, len(r.Establishments))
	areaStaff := make([]float64, len(r.Areas))
	provStaff := map[gst.ProvinceID]float64{}
	provPop := map[gst.ProvinceID]float64{}
	provName := map[gst.ProvinceID]string{}
	for _, pv := range r.Provinces {
		provName[pv.ID] = pv.Name
		provPop[pv.ID] += 0
	}
	var total, pop float64
	for _, a := range r.Areas {
		provPop[a.Province] += a.Population
		pop += a.Population
	}
	for i := range r.Establishments {
		e := &r.Establishments[i]
		if e.Candidate && !opt.IncludeCandidates {
			continue
		}
		var s float64
		for _, st := range e.Staff {
			if inNorm[st.Category] {
				s += st.FTE
			}
		}
		if s == 0 {
			continue
		}
		staffOf[e.ID] = s
		total += s
		provStaff[e.Province] += s
		if _, ok := provPop[e.Province]; !ok {
			provPop[e.Province] = 0
		}
		if opt.Catchment == nil {
			if ai, ok := r.AreaIndex(e.Area); ok && e.Area != "" {
				areaStaff[ai] += s
			} else {
				res.Unplaced += s
			}
		}
	}
	if opt.Catchment != nil {
		res.Rule = "catchment"
		ws := catchmentWeights(r, opt.Catchment, opt.CatchmentService)
		served := map[gst.EstablishmentID]float64{}
		for _, w := range ws {
			served[w.e] += w.people
		}
		placed := map[gst.EstablishmentID]bool{}
		for _, w := range ws {
			s, sv := staffOf[w.e], served[w.e]
			if s == 0 || sv <= 0 {
				continue
			}
			areaStaff[w.area] += s * w.people / sv
			placed[w.e] = true
		}
		ids := make([]gst.EstablishmentID, 0, len(staffOf))
		for id := range staffOf {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			if !placed[id] {
				res.Unplaced += staffOf[id]
			}
		}
	}
	mk := func(level, id, name string, pop, staff float64) DensityRow {
		need := norm.PerThousand * pop / 1000
		return DensityRow{Level: level, ID: id, Name: name, Population: pop, Staff: staff, PerThousand: perThousand(staff, pop),
			Need: need, Difference: staff - need, Ratio: ratio(staff, need)}
	}
	res.Areas = make([]DensityRow, len(r.Areas))
	for i, a := range r.Areas {
		res.Areas[i] = mk(LevelArea, string(a.ID), a.Name, a.Population, areaStaff[i])
	}
	sort.Slice(res.Areas, func(i, j int) bool { return res.Areas[i].ID < res.Areas[j].ID })
	provs := make([]gst.ProvinceID, 0, len(provPop))
	for pv := range provPop {
		provs = append(provs, pv)
	}
	sort.Slice(provs, func(i, j int) bool { return provs[i] < provs[j] })
	res.Provinces = make([]DensityRow, 0, len(provs))
	for _, pv := range provs {
		res.Provinces = append(res.Provinces, mk(LevelProvince, string(pv), provName[pv], provPop[pv], provStaff[pv]))
	}
	rid := r.ID
	if rid == "" {
		rid = "region"
	}
	res.Region = mk(LevelRegion, rid, r.Name, pop, total)
	return res, nil
}
