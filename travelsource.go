package gst

import "context"

// TravelSource says where the legs of a computation come from: the legs of
// Travel first, then those of the region's own Travel matrix, then legs
// estimated from coordinates by Estimator (unless NoEstimate). The
// decisions of the allocate packages and the pathway package embed it in
// their problems or options. The zero value takes the region's matrix and
// the default Estimator.
type TravelSource struct {
	// Travel gives legs that override the region's Travel matrix.
	// Default nil.
	Travel *Matrix
	// Estimator estimates the pairs neither matrix has. Default nil: the
	// default Estimator (see NoEstimate).
	Estimator *Estimator
	// NoEstimate leaves pairs that no matrix has unreachable instead of
	// estimating them. Default false.
	NoEstimate bool
}

// Check records in p, under where, an invalid Estimator and a Travel
// matrix whose legs are all zero.
func (s TravelSource) Check(p *Problems, where string) {
	if s.Estimator != nil {
		if err := s.Estimator.Validate(); err != nil {
			p.Add(where, "estimator", err)
		}
	}
	if s.Travel != nil {
		if err := s.Travel.CheckNotAllZero(); err != nil {
			p.Add(where, "travel", err)
		}
	}
}

// LegEstimator returns the estimator of the pairs no matrix has: nil with
// NoEstimate, else Estimator, else the default Estimator.
func (s TravelSource) LegEstimator() *Estimator {
	if s.NoEstimate {
		return nil
	}
	if s.Estimator != nil {
		return s.Estimator
	}
	return &Estimator{}
}

// Matrix returns the legs from the given origins to the given
// destinations (area or establishment IDs of r), taken from the source in
// its order: Travel, then r's Travel matrix, then the estimator. Pairs
// that no matrix has are unreachable with NoEstimate. Unknown IDs are an
// error (see Region.TravelBetween); a cancelled context stops the
// estimation with the context's error.
func (s TravelSource) Matrix(ctx context.Context, r *Region, from, to []string) (*Matrix, error) {
	m, err := r.TravelBetween(ctx, from, to, s.LegEstimator())
	if err != nil {
		return nil, err
	}
	if err := m.overlay(s.Travel); err != nil {
		return nil, err
	}
	return m, nil
}

// Leg returns the leg between two points of r (an area or an
// establishment, by their IDs), taken from the source in its order:
// Travel, then r's Travel matrix, then the estimator. It reports false
// when no matrix has the pair and it is not estimated, or the estimate
// fails.
func (s TravelSource) Leg(r *Region, from, to Point) (Leg, bool) {
	for _, m := range [...]*Matrix{s.Travel, r.Travel} {
		if m != nil {
			if l, ok := m.Lookup(from.ID, to.ID); ok {
				return l, true
			}
		}
	}
	e := s.LegEstimator()
	if e == nil {
		return Leg{}, false
	}
	l, err := e.Leg(from, to)
	return l, err == nil
}
