package capacity

import (
	"fmt"
	"sort"

	"github.com/gstplan/gst"
)

// CostOptions tune StaffCost. A nil *CostOptions uses the defaults.
type CostOptions struct {
	// AnnualCost overrides Category.AnnualCost (MAD per FTE per year) for
	// the categories it lists. Default nil: the region's figures.
	AnnualCost map[gst.CategoryID]float64
}

// CostRow is the annual cost of one category at one establishment.
type CostRow struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Category      gst.CategoryID      `json:"category"`
	FTE           float64             `json:"fte"`
	PerFTEMAD     float64             `json:"per_fte_mad"`
	CostMAD       float64             `json:"cost_mad"`
}

// CostTotal is a total by category or by establishment.
type CostTotal struct {
	ID      string  `json:"id"`
	FTE     float64 `json:"fte"`
	CostMAD float64 `json:"cost_mad"`
}

// CostResult is an annual staff cost: by establishment and category
// (sorted by establishment then category), with totals by category and by
// establishment (sorted by ID).
type CostResult struct {
	Rows            []CostRow   `json:"rows"`
	ByCategory      []CostTotal `json:"by_category"`
	ByEstablishment []CostTotal `json:"by_establishment"`
	FTE             float64     `json:"fte"`
	CostMAD         float64     `json:"cost_mad"`
}

// StaffCost prices staff in FTE (staff on roll from OnRoll, the need from
// WISNResult.Need, or any other count) at each category's annual cost per
// FTE: cost = FTE × AnnualCost. A category with staff but no cost (zero in
// the region and no override) is an error, so that a missing figure is
// never read as free staff.
func StaffCost(r *gst.Region, staff []StaffFTE, opt *CostOptions) (*CostResult, error) {
	if err := checkRegion(r); err != nil {
		return nil, err
	}
	if opt == nil {
		opt = &CostOptions{}
	}
	var p gst.Problems
	ovr := make([]gst.CategoryID, 0, len(opt.AnnualCost))
	for c := range opt.AnnualCost {
		ovr = append(ovr, c)
	}
	sort.Slice(ovr, func(i, j int) bool { return ovr[i] < ovr[j] })
	for _, c := range ovr {
		w := fmt.Sprintf("cost options annual cost of category %q", c)
		if _, ok := r.Category(c); !ok {
			p.Addf(w, "category", "unknown category %q", c)
		}
		p.CheckNonNegative(w, "annual_cost", opt.AnnualCost[c])
	}
	cost := func(c gst.CategoryID) float64 {
		if v, ok := opt.AnnualCost[c]; ok {
			return v
		}
		if cat, ok := r.Category(c); ok {
			return cat.AnnualCost
		}
		return 0
	}
	missing := map[gst.CategoryID]bool{}
	for i, s := range staff {
		w := whereIndexed("staff", i, fmt.Sprintf("establishment %q, category %q", s.Establishment, s.Category))
		if _, ok := r.Establishment(s.Establishment); !ok {
			p.Addf(w, "establishment", "unknown establishment %q", s.Establishment)
		}
		if _, ok := r.Category(s.Category); !ok {
			p.Addf(w, "category", "unknown category %q", s.Category)
		} else if cost(s.Category) == 0 && s.FTE > 0 && !missing[s.Category] {
			missing[s.Category] = true
			p.Addf(fmt.Sprintf("category %q", s.Category), "annual_cost", "no annual cost is stated: set it on the category or in CostOptions.AnnualCost")
		}
		p.CheckNonNegative(w, "fte", s.FTE)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	res := &CostResult{Rows: make([]CostRow, 0, len(staff))}
	for _, s := range staff {
		c := cost(s.Category)
		res.Rows = append(res.Rows, CostRow{Establishment: s.Establishment, Category: s.Category, FTE: s.FTE, PerFTEMAD: c, CostMAD: s.FTE * c})
	}
	sort.SliceStable(res.Rows, func(i, j int) bool {
		if res.Rows[i].Establishment != res.Rows[j].Establishment {
			return res.Rows[i].Establishment < res.Rows[j].Establishment
		}
		return res.Rows[i].Category < res.Rows[j].Category
	})
	byC := map[string]*CostTotal{}
	byE := map[string]*CostTotal{}
	add := func(m map[string]*CostTotal, id string, fte, c float64) {
		t := m[id]
		if t == nil {
			t = &CostTotal{ID: id}
			m[id] = t
		}
		t.FTE += fte
		t.CostMAD += c
	}
	for _, row := range res.Rows {
		add(byC, string(row.Category), row.FTE, row.CostMAD)
		add(byE, string(row.Establishment), row.FTE, row.CostMAD)
		res.FTE += row.FTE
		res.CostMAD += row.CostMAD
	}
	res.ByCategory = sortedTotals(byC)
	res.ByEstablishment = sortedTotals(byE)
	return res, nil
}

func sortedTotals(m map[string]*CostTotal) []CostTotal {
	out := make([]CostTotal, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
