package gst

import "unsafe"

type estService struct {
	e EstablishmentID
	s ServiceID
}

type estCategory struct {
	e EstablishmentID
	c CategoryID
}

// regionIndex maps IDs to positions. Where an ID is duplicated (which
// Validate reports), the first occurrence wins.
type regionIndex struct {
	// fingerprint of the slices the index was built from
	lens [5]int
	ptrs [5]unsafe.Pointer

	provinces  map[ProvinceID]int
	areas      map[AreaID]int
	ests       map[EstablishmentID]int
	services   map[ServiceID]int
	categories map[CategoryID]int
	offers     map[estService]int      // position in the establishment's Offers
	staff      map[estCategory]float64 // summed FTE
}

func sliceFingerprint[T any](s []T) (int, unsafe.Pointer) {
	if len(s) == 0 {
		return 0, nil
	}
	return len(s), unsafe.Pointer(&s[0])
}

func (r *Region) fingerprint() (lens [5]int, ptrs [5]unsafe.Pointer) {
	lens[0], ptrs[0] = sliceFingerprint(r.Provinces)
	lens[1], ptrs[1] = sliceFingerprint(r.Areas)
	lens[2], ptrs[2] = sliceFingerprint(r.Establishments)
	lens[3], ptrs[3] = sliceFingerprint(r.Services)
	lens[4], ptrs[4] = sliceFingerprint(r.Categories)
	return lens, ptrs
}

func buildIndex(r *Region) *regionIndex {
	x := &regionIndex{
		provinces:  make(map[ProvinceID]int, len(r.Provinces)),
		areas:      make(map[AreaID]int, len(r.Areas)),
		ests:       make(map[EstablishmentID]int, len(r.Establishments)),
		services:   make(map[ServiceID]int, len(r.Services)),
		categories: make(map[CategoryID]int, len(r.Categories)),
		offers:     make(map[estService]int),
		staff:      make(map[estCategory]float64),
	}
	x.lens, x.ptrs = r.fingerprint()
	for i, p := range r.Provinces {
		if _, dup := x.provinces[p.ID]; !dup {
			x.provinces[p.ID] = i
		}
	}
	for i, a := range r.Areas {
		if _, dup := x.areas[a.ID]; !dup {
			x.areas[a.ID] = i
		}
	}
	for i := range r.Establishments {
		e := &r.Establishments[i]
		if _, dup := x.ests[e.ID]; dup {
			continue
		}
		x.ests[e.ID] = i
		for j, o := range e.Offers {
			k := estService{e.ID, o.Service}
			if _, dup := x.offers[k]; !dup {
				x.offers[k] = j
			}
		}
		for _, s := range e.Staff {
			x.staff[estCategory{e.ID, s.Category}] += s.FTE
		}
	}
	for i, s := range r.Services {
		if _, dup := x.services[s.ID]; !dup {
			x.services[s.ID] = i
		}
	}
	for i, c := range r.Categories {
		if _, dup := x.categories[c.ID]; !dup {
			x.categories[c.ID] = i
		}
	}
	return x
}

// index returns an index that matches the region's slices, building one
// when there is none or the slices have changed. Concurrent callers may
// each build one; the last stored wins and all are equal.
func (r *Region) index() *regionIndex {
	lens, ptrs := r.fingerprint()
	if x := r.idx.Load(); x != nil && x.lens == lens && x.ptrs == ptrs {
		return x
	}
	x := buildIndex(r)
	r.idx.Store(x)
	return x
}

// Reindex rebuilds the lookup index. Call it after changing IDs, offers or
// staff in place; replacing or growing a slice is noticed without it.
func (r *Region) Reindex() { r.idx.Store(buildIndex(r)) }

// Clone returns a deep copy of the region.
func (r *Region) Clone() *Region {
	c := &Region{
		ID:             r.ID,
		Name:           r.Name,
		Attribution:    append([]string(nil), r.Attribution...),
		Provinces:      append([]Province(nil), r.Provinces...),
		Areas:          make([]Area, len(r.Areas)),
		Establishments: make([]Establishment, len(r.Establishments)),
		Services:       append([]Service(nil), r.Services...),
		Categories:     append([]Category(nil), r.Categories...),
	}
	for i, a := range r.Areas {
		a.Segments = append([]Segment(nil), a.Segments...)
		if a.Boundary != nil {
			a.Boundary = a.Boundary.Clone()
		}
		if a.Deprivation != nil {
			d := *a.Deprivation
			a.Deprivation = &d
		}
		c.Areas[i] = a
	}
	for i, e := range r.Establishments {
		e.Offers = append([]Offer(nil), e.Offers...)
		e.Staff = append([]Staffing(nil), e.Staff...)
		c.Establishments[i] = e
	}
	if r.Travel != nil {
		c.Travel = r.Travel.Clone()
	}
	return c
}

// AreaIndex returns the position of an area in Areas.
func (r *Region) AreaIndex(id AreaID) (int, bool) {
	i, ok := r.index().areas[id]
	return i, ok
}

// Area returns the area with the given ID, or nil and false.
func (r *Region) Area(id AreaID) (*Area, bool) {
	if i, ok := r.AreaIndex(id); ok {
		return &r.Areas[i], true
	}
	return nil, false
}

// EstablishmentIndex returns the position of an establishment in
// Establishments.
func (r *Region) EstablishmentIndex(id EstablishmentID) (int, bool) {
	i, ok := r.index().ests[id]
	return i, ok
}

// Establishment returns the establishment with the given ID, or nil and
// false.
func (r *Region) Establishment(id EstablishmentID) (*Establishment, bool) {
	if i, ok := r.EstablishmentIndex(id); ok {
		return &r.Establishments[i], true
	}
	return nil, false
}

// ServiceIndex returns the position of a service in Services.
func (r *Region) ServiceIndex(id ServiceID) (int, bool) {
	i, ok := r.index().services[id]
	return i, ok
}

// Service returns the service with the given ID, or nil and false.
func (r *Region) Service(id ServiceID) (*Service, bool) {
	if i, ok := r.ServiceIndex(id); ok {
		return &r.Services[i], true
	}
	return nil, false
}

// CategoryIndex returns the position of a category in Categories.
func (r *Region) CategoryIndex(id CategoryID) (int, bool) {
	i, ok := r.index().categories[id]
	return i, ok
}

// Category returns the category with the given ID, or nil and false.
func (r *Region) Category(id CategoryID) (*Category, bool) {
	if i, ok := r.CategoryIndex(id); ok {
		return &r.Categories[i], true
	}
	return nil, false
}

// Province returns the province with the given ID, or nil and false.
func (r *Region) Province(id ProvinceID) (*Province, bool) {
	if i, ok := r.index().provinces[id]; ok {
		return &r.Provinces[i], true
	}
	return nil, false
}

// StaffOnRoll returns the FTE of a category on an establishment's roll,
// zero when there are none or either ID is unknown.
func (r *Region) StaffOnRoll(e EstablishmentID, c CategoryID) float64 {
	return r.index().staff[estCategory{e, c}]
}

// Offer returns an establishment's offer of a service and whether the
// establishment exists and offers it.
func (r *Region) Offer(e EstablishmentID, s ServiceID) (Offer, bool) {
	x := r.index()
	i, ok := x.ests[e]
	if !ok {
		return Offer{}, false
	}
	j, ok := x.offers[estService{e, s}]
	if !ok {
		return Offer{}, false
	}
	return r.Establishments[i].Offers[j], true
}

// Population returns the total population of the region's areas.
func (r *Region) Population() float64 {
	var s float64
	for _, a := range r.Areas {
		s += a.Population
	}
	return s
}

// Offering returns the establishments that offer a service, in the order of
// Establishments. Candidates are included; filter on Candidate to drop them.
func (r *Region) Offering(s ServiceID) []*Establishment {
	var out []*Establishment
	x := r.index()
	for i := range r.Establishments {
		e := &r.Establishments[i]
		if _, ok := x.offers[estService{e.ID, s}]; ok {
			out = append(out, e)
		}
	}
	return out
}
