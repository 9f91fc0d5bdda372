package capacity

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/gstplan/gst"
)

// Gap levels.
const (
	LevelEstablishment = "establishment"
	LevelProvince      = "province"
	LevelRegion        = "region"
	LevelArea          = "area"
)

// GapRow compares the staff one unit (an establishment, a province or the
// region) needs with the staff it has, for one category.
type GapRow struct {
	Level    string         `json:"level"`
	ID       string         `json:"id"`
	Name     string         `json:"name,omitempty"`
	Province gst.ProvinceID `json:"province,omitempty"`
	Category gst.CategoryID `json:"category"`
	// Population is the people the unit serves: the catchment of an
	// establishment (nil when no catchment is known), the residents of a
	// province or of the region.
	Population *float64 `json:"population"`
	// Need and Available are in FTE; Difference = Available − Need
	// (negative: a shortage) and Ratio = Available / Need, nil when Need
	// is zero.
	Need       float64  `json:"need"`
	Available  float64  `json:"available"`
	Difference float64  `json:"difference"`
	Ratio      *float64 `json:"ratio"`
	// NeedPerThousand and AvailablePerThousand are densities per 1,000
	// people, nil when Population is unknown or zero.
	NeedPerThousand      *float64 `json:"need_per_1000"`
	AvailablePerThousand *float64 `json:"available_per_1000"`
}

// Gaps holds the three gap tables, each sorted by ID then category.
type Gaps struct {
	Establishments []GapRow `json:"establishments"`
	Provinces      []GapRow `json:"provinces"`
	Region         []GapRow `json:"region"`
	// Attribution carries the region's data sources and licences.
	Attribution []string `json:"attribution,omitempty"`
}

// GapOptions tune ComputeGaps. A nil *GapOptions uses the defaults.
type GapOptions struct {
	// Catchment, when not nil, gives each establishment the population it
	// serves (see CatchmentPopulation), used for its densities. Default
	// nil: establishment densities are left empty.
	Catchment *gst.Assignment
	// CatchmentService selects the service whose assignment defines
	// catchments (typically primary care). Default "": the mean share over
	// the services assigned for each area.
	CatchmentService gst.ServiceID
}

// CatchmentPopulation returns the people each establishment serves under
// an assignment: Σ over areas of population × weight, where the weight of
// area a for establishment e is a's share for service s when s is given,
// and otherwise the mean of e's shares over the services assigned for a.
// Establishments serving nobody are absent from the map.
func CatchmentPopulation(r *gst.Region, a *gst.Assignment, s gst.ServiceID) map[gst.EstablishmentID]float64 {
	out := map[gst.EstablishmentID]float64{}
	for _, w := range catchmentWeights(r, a, s) {
		out[w.e] += w.people
	}
	return out
}

type catchWeight struct {
	area   int
	e      gst.EstablishmentID
	people float64
}

// catchmentWeights lists, in assignment order, the people of each area
// attributed to each establishment.
func catchmentWeights(r *gst.Region, a *gst.Assignment, s gst.ServiceID) []catchWeight {
	rows := a.Rows()
	var out []catchWeight
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].Area == rows[i].Area {
			j++
		}
		ai, ok := r.AreaIndex(rows[i].Area)
		if !ok {
			i = j
			continue
		}
		pop := r.Areas[ai].Population
		if s != "" {
			for _, al := range rows[i:j] {
				if al.Service == s {
					out = append(out, catchWeight{ai, al.Establishment, pop * al.Share})
				}
			}
		} else {
			nS := 0
			for k := i; k < j; k++ {
				if k == i || rows[k].Service != rows[k-1].Service {
					nS++
				}
			}
			w := map[gst.EstablishmentID]float64{}
			var order []gst.EstablishmentID
			for _, al := range rows[i:j] {
				if _, ok := w[al.Establishment]; !ok {
					order = append(order, al.Establishment)
				}
				w[al.Establishment] += al.Share / float64(nS)
			}
			sort.Slice(order, func(x, y int) bool { return order[x] < order[y] })
			for _, e := range order {
				out = append(out, catchWeight{ai, e, pop * w[e]})
			}
		}
		i = j
	}
	return out
}

type estCat struct {
	e gst.EstablishmentID
	c gst.CategoryID
}

// ComputeGaps compares staff need with staff on roll for every category
// that has need rows: one table per establishment (those with a need or
// staff of the category), per province (every province of the region, its
// areas or establishments; establishments without one form the province
// with an empty ID) and for the region. Densities per 1,000 use the
// province's and region's residents, and for establishments their
// catchment population when opt.Catchment is given.
//
// Need rows must name known establishments and categories, have a finite
// FTE >= 0, and appear at most once each.
func ComputeGaps(r *gst.Region, need []StaffFTE, opt *GapOptions) (*Gaps, error) {
	return computeGaps(r, need, opt, true)
}

func computeGaps(r *gst.Region, need []StaffFTE, opt *GapOptions, check bool) (*Gaps, error) {
	if check {
		if err := checkRegion(r); err != nil {
			return nil, err
		}
	}
	if opt == nil {
		opt = &GapOptions{}
	}
	var p gst.Problems
	needs := make(map[estCat]float64, len(need))
	cats := map[gst.CategoryID]bool{}
	for i, n := range need {
		k := estCat{n.Establishment, n.Category}
		_, okE := r.EstablishmentIndex(n.Establishment)
		_, okC := r.CategoryIndex(n.Category)
		_, dup := needs[k]
		if !okE || !okC || dup || !finite(n.FTE) || n.FTE < 0 {
			w := whereIndexed("need", i, fmt.Sprintf("establishment %q, category %q", n.Establishment, n.Category))
			if !okE {
				p.Addf(w, "establishment", "unknown establishment %q", n.Establishment)
			}
			if !okC {
				p.Addf(w, "category", "unknown category %q", n.Category)
			}
			p.CheckNonNegative(w, "fte", n.FTE)
			if dup {
				p.Addf(w, "", "given twice")
			}
		}
		needs[k] = n.FTE
		cats[n.Category] = true
	}
	// Internal callers (check false) pass a catchment already checked.
	if opt.Catchment != nil && check {
		checkAssignmentRefs(&p, r, opt.Catchment)
	}
	if opt.CatchmentService != "" {
		if _, ok := r.Service(opt.CatchmentService); !ok {
			p.Addf("gap options", "catchment_service", "unknown service %q", opt.CatchmentService)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	catList := make([]gst.CategoryID, 0, len(cats))
	for c := range cats {
		catList = append(catList, c)
	}
	sort.Slice(catList, func(i, j int) bool { return catList[i] < catList[j] })

	var catch map[gst.EstablishmentID]float64
	if opt.Catchment != nil {
		catch = CatchmentPopulation(r, opt.Catchment, opt.CatchmentService)
	}
	provPop := map[gst.ProvinceID]float64{}
	provName := map[gst.ProvinceID]string{}
	provSeen := map[gst.ProvinceID]bool{}
	for _, pv := range r.Provinces {
		provName[pv.ID] = pv.Name
		provSeen[pv.ID] = true
	}
	var regionPop float64
	for _, a := range r.Areas {
		provPop[a.Province] += a.Population
		provSeen[a.Province] = true
		regionPop += a.Population
	}
	type agg struct{ need, avail float64 }
	provAgg := map[gst.ProvinceID][]agg{}
	regAgg := make([]agg, len(catList))

	g := &Gaps{Establishments: []GapRow{}, Provinces: []GapRow{}, Region: []GapRow{}, Attribution: append([]string(nil), r.Attribution...)}
	fs := &floatSlab{}
	g.Establishments = make([]GapRow, 0, len(need))
	ests := make([]*gst.Establishment, 0, len(r.Establishments))
	for i := range r.Establishments {
		ests = append(ests, &r.Establishments[i])
	}
	sort.Slice(ests, func(i, j int) bool { return ests[i].ID < ests[j].ID })
	for _, e := range ests {
		provSeen[e.Province] = true
		pa := provAgg[e.Province]
		if pa == nil {
			pa = make([]agg, len(catList))
			provAgg[e.Province] = pa
		}
		var pop *float64
		if catch != nil {
			v := catch[e.ID]
			pop = &v
		}
		for ci, c := range catList {
			n, hasNeed := needs[estCat{e.ID, c}]
			av := e.StaffFTE(c)
			if !hasNeed && av == 0 {
				continue
			}
			g.Establishments = append(g.Establishments, gapRow(fs, LevelEstablishment, string(e.ID), e.Name, e.Province, c, pop, n, av))
			pa[ci].need += n
			pa[ci].avail += av
			regAgg[ci].need += n
			regAgg[ci].avail += av
		}
	}
	provs := make([]gst.ProvinceID, 0, len(provSeen))
	for pv := range provSeen {
		provs = append(provs, pv)
	}
	sort.Slice(provs, func(i, j int) bool { return provs[i] < provs[j] })
	for _, pv := range provs {
		pop := provPop[pv]
		pa := provAgg[pv]
		for ci, c := range catList {
			var a agg
			if pa != nil {
				a = pa[ci]
			}
			g.Provinces = append(g.Provinces, gapRow(fs, LevelProvince, string(pv), provName[pv], "", c, &pop, a.need, a.avail))
		}
	}
	rid := r.ID
	if rid == "" {
		rid = "region"
	}
	for ci, c := range catList {
		pop := regionPop
		g.Region = append(g.Region, gapRow(fs, LevelRegion, rid, r.Name, "", c, &pop, regAgg[ci].need, regAgg[ci].avail))
	}
	return g, nil
}

func gapRow(fs *floatSlab, level, id, name string, prov gst.ProvinceID, c gst.CategoryID, pop *float64, need, avail float64) GapRow {
	row := GapRow{Level: level, ID: id, Name: name, Province: prov, Category: c, Need: need, Available: avail,
		Difference: avail - need, Ratio: fs.opt(ratio(avail, need))}
	if pop != nil {
		v := *pop
		row.Population = fs.ptr(v)
		row.NeedPerThousand = fs.opt(perThousand(need, v))
		row.AvailablePerThousand = fs.opt(perThousand(avail, v))
	}
	return row
}

// GapCSVHeader is the header row WriteGapsCSV writes.
var GapCSVHeader = []string{"level", "id", "name", "province", "category", "population", "need_fte", "available_fte", "difference_fte", "ratio", "need_per_1000", "available_per_1000"}

// WriteGapsCSV writes gap rows as CSV with GapCSVHeader. Unknown values
// (a ratio with no need, a density with no population) are empty cells;
// numbers are written in their shortest exact decimal form.
func WriteGapsCSV(w io.Writer, rows []GapRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(GapCSVHeader); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.Level, r.ID, r.Name, string(r.Province), string(r.Category), formatOpt(r.Population),
			formatFloat(r.Need), formatFloat(r.Available), formatFloat(r.Difference), formatOpt(r.Ratio),
			formatOpt(r.NeedPerThousand), formatOpt(r.AvailablePerThousand)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSV writes the three tables one after the other under a single
// header (the level column tells them apart).
func (g *Gaps) WriteCSV(w io.Writer) error {
	all := make([]GapRow, 0, len(g.Establishments)+len(g.Provinces)+len(g.Region))
	all = append(all, g.Establishments...)
	all = append(all, g.Provinces...)
	all = append(all, g.Region...)
	return WriteGapsCSV(w, all)
}

// WriteJSON writes the tables as one indented JSON document. Unknown
// values are null.
func (g *Gaps) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(g)
}
