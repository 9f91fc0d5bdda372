package pathway

import (
	gst "github.com/gstplan/gst"
)

// legSource gives the one-way leg from an area (by its index in the
// region's Areas) to an establishment (by a destination index). It reads a
// plan's matrix, or, when the plan has none, the region's matrix and the
// estimator, computing only the legs asked for.
type legSource struct {
	m      *gst.Matrix // the plan's matrix, or nil
	rows   []int       // matrix origin of each area, -1 when absent
	cols   map[gst.EstablishmentID]int
	r      *gst.Region
	est    *gst.Estimator // nil: no estimate
	over   *gst.Matrix    // the options' override matrix when estimating
	region *gst.Matrix    // the region's own matrix when estimating
	aPts   []gst.Point
	ePts   []gst.Point
	eIDs   []string
}

func newLegSource(r *gst.Region, m *gst.Matrix, opt *Options) (*legSource, error) {
	s := &legSource{r: r, m: m, rows: make([]int, len(r.Areas)), cols: make(map[gst.EstablishmentID]int, len(r.Establishments))}
	if m != nil {
		for i := range r.Areas {
			j, ok := m.FromIndex(string(r.Areas[i].ID))
			if !ok {
				j = -1
			}
			s.rows[i] = j
		}
		for _, e := range r.Establishments {
			j, ok := m.ToIndex(string(e.ID))
			if !ok {
				j = -1
			}
			s.cols[e.ID] = j
		}
		return s, nil
	}
	src := opt.travel()
	s.est = src.LegEstimator()
	if s.est != nil {
		if err := s.est.Validate(); err != nil {
			return nil, err
		}
	}
	s.over = src.Travel
	s.region = r.Travel
	s.aPts = r.AreaPoints()
	s.ePts = r.EstablishmentPoints()
	s.eIDs = r.EstablishmentIDs()
	for i := range r.Areas {
		s.rows[i] = i
	}
	for j, e := range r.Establishments {
		s.cols[e.ID] = j
	}
	return s, nil
}

func (s *legSource) row(area int) int { return s.rows[area] }

func (s *legSource) col(e gst.EstablishmentID) int {
	if j, ok := s.cols[e]; ok {
		return j
	}
	return -1
}

func (s *legSource) leg(row, col int) (gst.Leg, bool) {
	if row < 0 || col < 0 {
		return gst.Leg{}, false
	}
	if s.m != nil {
		return s.m.At(row, col)
	}
	if s.over != nil {
		if l, ok := s.over.Lookup(s.aPts[row].ID, s.eIDs[col]); ok {
			return l, true
		}
	}
	if s.region != nil {
		if l, ok := s.region.Lookup(s.aPts[row].ID, s.eIDs[col]); ok {
			return l, true
		}
	}
	if s.est == nil {
		return gst.Leg{}, false
	}
	l, err := s.est.Leg(s.aPts[row], s.ePts[col])
	if err != nil { // coordinates are validated with the region; defensive
		return gst.Leg{}, false
	}
	return l, true
}
