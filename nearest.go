package gst

import (
	"context"
	"errors"
	"fmt"
)

// AssignNearest sends each area's demand for each service entirely to the
// eligible establishment quickest to reach in m (ties broken by distance,
// then by establishment ID): the nearest-site rule of today's catchments,
// capacities ignored. m runs from area IDs to establishment IDs (as
// Region.TravelBetween or TravelSource.Matrix build it); areas and
// establishments it does not list are skipped, and an area that no
// eligible establishment reaches is left unassigned for the service.
//
// eligible says whether an establishment may serve a service; nil accepts
// every public establishment that exists (not a candidate) and offers it:
// the GST's own network, as allocate.Locate's default sites and the pool
// package take it (private partners serve only when eligible says so). A nil
// region or matrix, or a service the region does not know, is an error
// wrapping ErrInvalid; a cancelled context stops it with an error wrapping
// ErrNoSolution.
func AssignNearest(ctx context.Context, r *Region, m *Matrix, services []ServiceID, eligible func(e *Establishment, s ServiceID) bool) (*Assignment, error) {
	var p Problems
	if r == nil {
		p.Add("region", "", errors.New("is nil"))
	}
	if m == nil {
		p.Add("travel matrix", "", errors.New("is nil"))
	}
	if r != nil {
		for i, s := range services {
			if _, ok := r.Service(s); !ok {
				p.Addf(whereNamed("service", i, string(s)), "", "unknown service %q", s)
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if eligible == nil {
		eligible = func(e *Establishment, s ServiceID) bool {
			return e.Ownership == Public && !e.Candidate && e.OffersService(s)
		}
	}
	rows := make([]int, len(r.Areas))
	for i := range r.Areas {
		rows[i] = -1
		if k, ok := m.FromIndex(string(r.Areas[i].ID)); ok {
			rows[i] = k
		}
	}
	var out []Allocation
	var cols []int
	for _, s := range services {
		cols = cols[:0]
		for j := range r.Establishments {
			if e := &r.Establishments[j]; eligible(e, s) {
				if c, ok := m.ToIndex(string(e.ID)); ok {
					cols = append(cols, c)
				}
			}
		}
		for i := range r.Areas {
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("%w: nearest assignment: %v", ErrNoSolution, err)
				}
			}
			if rows[i] < 0 {
				continue
			}
			if best := nearestCol(m, rows[i], cols); best >= 0 {
				out = append(out, Allocation{Area: r.Areas[i].ID, Service: s, Establishment: EstablishmentID(m.to[best]), Share: 1})
			}
		}
	}
	return NewAssignment(out)
}

// nearestCol returns the column of row i quickest to reach among cols
// (ties by distance, then by ID), -1 when none is reachable.
func nearestCol(m *Matrix, i int, cols []int) int {
	best, bl := -1, Leg{}
	for _, c := range cols {
		l, ok := m.At(i, c)
		if !ok {
			continue
		}
		if best < 0 || l.Minutes < bl.Minutes ||
			(l.Minutes == bl.Minutes && (l.Km < bl.Km || (l.Km == bl.Km && m.to[c] < m.to[best]))) {
			best, bl = c, l
		}
	}
	return best
}
