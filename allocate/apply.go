package allocate

import (
	"errors"
	"fmt"

	"github.com/gstplan/gst"
)

// Apply returns a copy of the region as it stands after the plan. Every
// site the plan opens becomes an existing establishment (Candidate false)
// that offers each of the plan's services it did not offer yet, with the
// annual capacity given for that service in capacity (none stated when the
// map has no entry); every site the plan closes stops offering the plan's
// services. Everything else is left as it is.
//
// Plan.Assignment may send demand to a site that offers a service only in
// the plan; the capacity and pathway packages check that each
// establishment offers what it serves, so pass them the region Apply
// returns.
func (p *Plan) Apply(r *gst.Region, capacity map[gst.ServiceID]float64) (*gst.Region, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: allocate: plan is nil", gst.ErrInvalid)
	}
	if r == nil {
		return nil, fmt.Errorf("%w: allocate: region is nil", gst.ErrInvalid)
	}
	var probs gst.Problems
	for s, c := range capacity {
		if s == "" {
			probs.Add("apply", "capacity", errors.New("a service ID is empty"))
		}
		probs.CheckNonNegative(fmt.Sprintf("apply capacity of %q", s), "capacity", c)
	}
	for _, sd := range p.Sites {
		if _, ok := r.EstablishmentIndex(sd.Site); !ok {
			probs.Addf(fmt.Sprintf("plan site %q", sd.Site), "site", "not an establishment of the region")
		}
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	out := r.Clone()
	for _, sd := range p.Sites {
		if sd.Change != Opens && sd.Change != Closes {
			continue
		}
		i, _ := out.EstablishmentIndex(sd.Site)
		e := &out.Establishments[i]
		if sd.Change == Opens {
			e.Candidate = false
			for _, s := range sd.Services {
				if !e.OffersService(s) {
					e.Offers = append(e.Offers, gst.Offer{Service: s, Capacity: capacity[s]})
				}
			}
			continue
		}
		keep := e.Offers[:0:0]
		for _, o := range e.Offers {
			closed := false
			for _, s := range sd.Services {
				if o.Service == s {
					closed = true
					break
				}
			}
			if !closed {
				keep = append(keep, o)
			}
		}
		e.Offers = keep
	}
	out.Reindex()
	return out, nil
}
