package transfer

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/lpsize"
	"github.com/gstplan/gst/allocate/internal/netflow"
	"github.com/gstplan/gst/allocate/internal/travelpairs"
)

// indexServices lists the services with demand, sorted, with their rules
// and providers: the establishments a rule names, or else every public
// establishment offering the service and every private one with a
// contract for it.
func (c *compiler) indexServices() {
	r, ps, in := c.r, c.ps, c.in
	svcIDs := make([]string, 0, len(c.svcSet))
	for s := range c.svcSet {
		svcIDs = append(svcIDs, string(s))
	}
	sort.Strings(svcIDs)
	c.svcIx = map[gst.ServiceID]int32{}
	c.provSet = map[gst.EstablishmentID]bool{}
	c.provsOf = make([][]gst.EstablishmentID, len(svcIDs))
	for i, id := range svcIDs {
		s := gst.ServiceID(id)
		sv := svcInfo{id: s, maxMin: math.Inf(1), trips: 2, capitated: c.capitated[s], uses: c.uses[s]}
		sr := c.svcRule[s]
		if sr != nil {
			if sr.MaxMinutes > 0 {
				sv.maxMin = sr.MaxMinutes
			}
			if sr.TripsPerCase > 0 {
				sv.trips = sr.TripsPerCase
			}
		}
		eligible := func(e *gst.Establishment) bool {
			if e.Candidate {
				return false
			}
			if e.Ownership == gst.Private {
				return c.contract[estSvc{e.ID, s}] != nil
			}
			return e.OffersService(s)
		}
		if sr != nil && len(sr.Providers) > 0 {
			for _, id := range sr.Providers {
				e, _ := r.Establishment(id)
				if !eligible(e) {
					ps.Addf(fmt.Sprintf("transfer service %q", s), "providers",
						"%q cannot provide %q: a public establishment must offer it, a private one needs a contract", id, s)
					continue
				}
				c.provsOf[i] = append(c.provsOf[i], id)
			}
		} else {
			for k := range r.Establishments {
				if e := &r.Establishments[k]; eligible(e) {
					c.provsOf[i] = append(c.provsOf[i], e.ID)
				}
			}
		}
		for _, e := range c.provsOf[i] {
			c.provSet[e] = true
		}
		in.svcs = append(in.svcs, sv)
		c.svcIx[s] = int32(i)
	}
	for k := range c.capOver {
		if _, ok := c.svcIx[k.s]; !ok {
			continue
		}
		e, _ := r.Establishment(k.e)
		if e.Ownership == gst.Public && !e.OffersService(k.s) {
			ps.Addf(fmt.Sprintf("transfer capacity (%q, service %q)", k.e, k.s), "establishment", "%q does not offer %q", k.e, k.s)
		}
	}
}

// indexProviders lists the providers of some service, sorted by ID.
func (c *compiler) indexProviders() {
	r, in := c.r, c.in
	provIDs := make([]string, 0, len(c.provSet))
	for e := range c.provSet {
		provIDs = append(provIDs, string(e))
	}
	sort.Strings(provIDs)
	c.provIx = map[gst.EstablishmentID]int32{}
	for i, id := range provIDs {
		e, _ := r.Establishment(gst.EstablishmentID(id))
		urban := false
		if a, ok := r.Area(e.Area); ok {
			urban = a.Urban
		}
		in.provs = append(in.provs, provInfo{id: e.ID, pt: gst.Point{ID: id, Lat: e.Lat, Lon: e.Lon, Urban: urban},
			private: e.Ownership == gst.Private})
		c.provIx[e.ID] = int32(i)
	}
}

// indexProviderServices lists the (provider, service) pairs, sorted by
// provider then service, with their capacity, contract and the resources
// the service takes there.
func (c *compiler) indexProviderServices() {
	r, in := c.r, c.in
	for si := range in.svcs {
		for _, e := range c.provsOf[si] {
			in.ps = append(in.ps, provService{prov: c.provIx[e], svc: int32(si)})
		}
	}
	sort.Slice(in.ps, func(a, b int) bool {
		if in.ps[a].prov != in.ps[b].prov {
			return in.ps[a].prov < in.ps[b].prov
		}
		return in.ps[a].svc < in.ps[b].svc
	})
	resIx := map[estRes]int32{}
	for k := range in.ps {
		x := &in.ps[k]
		e, _ := r.Establishment(in.provs[x.prov].id)
		s := in.svcs[x.svc].id
		x.capacity = math.Inf(1)
		x.tariffC = -1
		if of, ok := e.Offer(s); ok && of.Capacity > 0 {
			x.capacity = of.Capacity
		}
		if ct := c.contract[estSvc{e.ID, s}]; ct != nil {
			x.contract = true
			x.min = ct.MinVolume
			x.tariffC = ct.TariffMAD
			if ct.MaxVolume > 0 {
				x.capacity = ct.MaxVolume
			}
		}
		if v, ok := c.capOver[estSvc{e.ID, s}]; ok {
			x.capacity = v
		}
		for _, u := range in.svcs[x.svc].uses {
			avail, ok := c.resOver[estRes{e.ID, u.resource}]
			if !ok {
				switch {
				case u.resource == "beds":
					avail, ok = e.Beds, true
				case strings.HasPrefix(u.resource, "staff/"):
					avail, ok = e.StaffFTE(gst.CategoryID(strings.TrimPrefix(u.resource, "staff/"))), true
				}
			}
			if !ok {
				continue // the resource binds only where it is stated
			}
			ri, seen := resIx[estRes{e.ID, u.resource}]
			if !seen {
				ri = int32(len(in.res))
				in.res = append(in.res, resInfo{prov: x.prov, name: u.resource, avail: avail})
				resIx[estRes{e.ID, u.resource}] = ri
			}
			x.res = append(x.res, ri)
			x.per = append(x.per, u.perCase)
		}
		in.psOf[[2]int32{x.prov, x.svc}] = int32(k)
		in.svcs[x.svc].ps = append(in.svcs[x.svc].ps, int32(k))
	}
}

// sortResources sorts the resources by provider then name (they were
// added in that order within a provider only when its services list them
// so).
func (c *compiler) sortResources() {
	in := c.in
	order := make([]int32, len(in.res))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := in.res[order[a]], in.res[order[b]]
		if x.prov != y.prov {
			return x.prov < y.prov
		}
		return x.name < y.name
	})
	remap := make([]int32, len(in.res))
	sorted := make([]resInfo, len(in.res))
	for newI, oldI := range order {
		remap[oldI] = int32(newI)
		sorted[newI] = in.res[oldI]
	}
	in.res = sorted
	for k := range in.ps {
		for j := range in.ps[k].res {
			in.ps[k].res[j] = remap[in.ps[k].res[j]]
		}
	}
}

// demandKey is an origin, a service and a payer.
type demandKey struct {
	o string
	s gst.ServiceID
	p int32
}

// indexDemand lists the origins (areas with demand and referring
// establishments), sorted by ID, and the demand rows split by payer,
// sorted by service, origin and payer.
func (c *compiler) indexDemand() {
	p, r, in := c.p, c.r, c.in
	originSet := map[string]bool{}
	vol := map[demandKey]float64{}
	people := map[demandKey]float64{}
	if p.Demand != nil {
		for _, d := range p.Demand.Rows() {
			if _, ok := c.svcIx[d.Service]; !ok || d.Volume <= 0 {
				continue
			}
			a, _ := r.Area(d.Area)
			originSet[string(d.Area)] = true
			shares := payerShares(a, in.payers, c.restPayer)
			for pi, sh := range shares {
				if sh > 0 {
					k := demandKey{string(d.Area), d.Service, int32(pi)}
					vol[k] += d.Volume * sh
					people[k] += a.Population * sh
				}
			}
		}
	}
	for _, rf := range p.Referrals {
		if rf.Volume <= 0 {
			continue
		}
		originSet[string(rf.From)] = true
		vol[demandKey{string(rf.From), rf.Service, c.payerIx[rf.Payer]}] += rf.Volume
	}
	c.indexOrigins(originSet)
	for k, v := range vol {
		d := demandInfo{origin: c.originIx[k.o], svc: c.svcIx[k.s], payer: k.p, volume: v}
		if in.origins[d.origin].area {
			d.people = people[k]
		}
		in.demands = append(in.demands, d)
	}
	sort.Slice(in.demands, func(a, b int) bool {
		x, y := in.demands[a], in.demands[b]
		if x.svc != y.svc {
			return x.svc < y.svc
		}
		if x.origin != y.origin {
			return x.origin < y.origin
		}
		return x.payer < y.payer
	})
	for di := range in.demands {
		s := in.demands[di].svc
		in.svcs[s].demands = append(in.svcs[s].demands, int32(di))
	}
}

// indexOrigins lists the origins, sorted by ID, with their points.
func (c *compiler) indexOrigins(originSet map[string]bool) {
	r, in := c.r, c.in
	originIDs := make([]string, 0, len(originSet))
	for id := range originSet {
		originIDs = append(originIDs, id)
	}
	sort.Strings(originIDs)
	c.originIx = map[string]int32{}
	for i, id := range originIDs {
		og := originInfo{id: id}
		if a, ok := r.Area(gst.AreaID(id)); ok {
			og.area = true
			og.pt = gst.Point{ID: id, Lat: a.Lat, Lon: a.Lon, Urban: a.Urban}
		} else {
			e, _ := r.Establishment(gst.EstablishmentID(id))
			urban := false
			if a, ok := r.Area(e.Area); ok {
				urban = a.Urban
			}
			og.pt = gst.Point{ID: id, Lat: e.Lat, Lon: e.Lon, Urban: urban}
		}
		in.origins = append(in.origins, og)
		c.originIx[id] = int32(i)
	}
}

// price returns the most specific row of a price table for a service,
// payer and establishment (both, establishment, payer, neither).
func price(table map[priceKey]float64, s gst.ServiceID, payer string, e gst.EstablishmentID) (float64, bool) {
	for _, k := range []priceKey{{s, payer, e}, {s, "", e}, {s, payer, ""}, {s, "", ""}} {
		if v, ok := table[k]; ok {
			return v, true
		}
	}
	return 0, false
}

// fee returns the price of a case at a provider for a payer: a tariff row
// naming the provider, else the contract's tariff, else a general row.
func (c *compiler) fee(x *provService, payer int32) float64 {
	in := c.in
	s, e, py := in.svcs[x.svc].id, in.provs[x.prov].id, in.payers[payer].id
	for _, k := range []priceKey{{s, py, e}, {s, "", e}} {
		if v, ok := c.tariff[k]; ok {
			return v
		}
	}
	if x.tariffC >= 0 {
		return x.tariffC
	}
	v, _ := price(c.tariff, s, py, "")
	return v
}

// arcs lists the candidate flows: each demand row to each provider of its
// service within the service's longest trip, with the fee and capitation
// of a case. It refuses, before computing any leg, a problem without a
// longest trip whose candidates alone would exceed the limits.
func (c *compiler) arcs() error {
	p, in, o := c.p, c.in, c.in.opt
	maxMin := 0.0
	for _, s := range in.svcs {
		maxMin = math.Max(maxMin, s.maxMin)
	}
	sites, siteIx := c.pairSites()
	// Estimate the candidate count before computing the legs.
	var cand int64
	for _, s := range in.svcs {
		cand += int64(len(s.demands)) * int64(len(s.ps))
	}
	if math.IsInf(maxMin, 1) && cand > int64(o.MaxLPColumns)*4 {
		return &gst.TooLargeError{Op: op, Model: "flow", Columns: cand, Rows: int64(len(in.demands) + len(in.ps)),
			Nonzeros: 2 * cand, Bytes: netflow.Bytes(int64(len(in.demands)+len(in.ps)), cand), Limit: o.MaxModelBytes,
			Suggestion: "set transfer.Service.MaxMinutes so that only providers within reach are candidates"}
	}
	pairs, err := travelpairs.Find(c.r, p.TravelSource, sites, maxMin)
	if err != nil {
		return err
	}
	legOf := make(map[[2]int32]travelpairs.Pair, len(pairs))
	for _, pr := range pairs {
		legOf[[2]int32{pr.H, pr.K}] = pr
	}
	in.arcFrom = make([]int32, len(in.demands)+1)
	for di, d := range in.demands {
		sv := &in.svcs[d.svc]
		og := in.origins[d.origin]
		h := siteIx[og.id]
		for _, k := range sv.ps {
			x := &in.ps[k]
			pr, ok := legOf[[2]int32{h, siteIx[string(in.provs[x.prov].id)]}]
			if !ok || pr.Minutes > sv.maxMin {
				continue
			}
			a := arcInfo{demand: int32(di), ps: k, minutes: pr.Minutes, km: pr.Km, fee: c.fee(x, d.payer)}
			if sv.capitated && d.people > 0 {
				if cp, ok := price(c.capit, sv.id, in.payers[d.payer].id, in.provs[x.prov].id); ok {
					a.capit = cp * d.people / d.volume
				}
			}
			in.arcs = append(in.arcs, a)
		}
		in.arcFrom[di+1] = int32(len(in.arcs))
	}
	return nil
}

// pairSites returns the origins (which send) and the providers (which
// receive) as places for the search of candidate pairs, with the index of
// each place's ID.
func (c *compiler) pairSites() ([]travelpairs.Site, map[string]int32) {
	in := c.in
	sites := make([]travelpairs.Site, 0, len(in.origins)+len(in.provs))
	siteIx := map[string]int32{}
	addSite := func(pt gst.Point) int32 {
		if i, ok := siteIx[pt.ID]; ok {
			return i
		}
		siteIx[pt.ID] = int32(len(sites))
		sites = append(sites, travelpairs.Site{Point: pt})
		return int32(len(sites) - 1)
	}
	for i := range in.origins {
		sites[addSite(in.origins[i].pt)].Sends = true
	}
	for i := range in.provs {
		sites[addSite(in.provs[i].pt)].Receives = true
	}
	return sites, siteIx
}

// size chooses the method (one linear programme when resources, budgets
// or contract floors couple the services, else a flow per service) and
// refuses a model above the limits.
func (c *compiler) size() error {
	in, o := c.in, c.in.opt
	switch {
	case o.ForceLP:
		in.useLP, in.lpWhy = true, "forced"
	case len(in.res) > 0:
		in.useLP, in.lpWhy = true, "shared resources"
	case in.budget > 0:
		in.useLP, in.lpWhy = true, "a budget"
	default:
		for _, b := range in.payerBudget {
			if b > 0 {
				in.useLP, in.lpWhy = true, "a payer budget"
			}
		}
		for _, x := range in.ps {
			if x.min > 0 {
				in.useLP, in.lpWhy = true, "a contract minimum"
			}
		}
	}
	cols := int64(len(in.arcs) + len(in.demands))
	rows := int64(len(in.demands) + len(in.ps) + len(in.res) + len(in.payers) + 4)
	nz := int64(2*len(in.arcs)) + int64(len(in.demands))
	if in.p.EqualTreatment {
		// One row per provider and payer beyond an origin's first.
		tied := int64(len(in.arcs))
		for si := range in.svcs {
			for _, grp := range in.originGroups(in.svcs[si].demands) {
				tied -= int64(in.arcFrom[grp[0]+1] - in.arcFrom[grp[0]])
			}
		}
		rows += tied
		nz += 2 * tied
	}
	if in.useLP {
		in.estBytes = lpsize.Bytes(rows, cols, 3*nz)
		if cols > int64(o.MaxLPColumns) || in.estBytes > o.MaxModelBytes {
			return &gst.TooLargeError{Op: op, Model: "lp", Rows: rows, Columns: cols, Nonzeros: 3 * nz, Bytes: in.estBytes,
				Limit: o.MaxModelBytes, Suggestion: fmt.Sprintf("with %s the services form one linear programme, beyond the limit of %d columns; lower MaxMinutes, plan one region or province at a time, or raise transfer.Options.MaxLPColumns", in.lpWhy, o.MaxLPColumns)}
		}
		return nil
	}
	var largest int64
	for _, s := range in.svcs {
		var a int64
		for _, d := range s.demands {
			a += int64(in.arcFrom[d+1] - in.arcFrom[d])
		}
		largest = max(largest, netflow.Bytes(int64(len(s.demands)+len(s.ps)+1), a+int64(len(s.demands)+len(s.ps))))
	}
	// The largest network; each worker holds one at a time.
	in.estBytes = largest
	if in.estBytes > o.MaxModelBytes {
		return &gst.TooLargeError{Op: op, Model: "flow", Rows: rows, Columns: cols, Nonzeros: nz, Bytes: in.estBytes,
			Limit: o.MaxModelBytes, Suggestion: "lower MaxMinutes or split the region"}
	}
	return nil
}

// checkGroups checks that the payers of an origin and service have the
// same candidate providers in the same order, which equal treatment
// relies on (the candidates depend on the origin, service and providers
// only).
func (in *inst) checkGroups() error {
	for si := range in.svcs {
		for _, grp := range in.originGroups(in.svcs[si].demands) {
			d0 := grp[0]
			for _, d := range grp[1:] {
				n := in.arcFrom[d0+1] - in.arcFrom[d0]
				if in.arcFrom[d+1]-in.arcFrom[d] != n {
					return fmt.Errorf("allocate: transfer: internal error: payers of %q have different candidates", in.origins[in.demands[d].origin].id)
				}
				for i := int32(0); i < n; i++ {
					if in.arcs[in.arcFrom[d]+i].ps != in.arcs[in.arcFrom[d0]+i].ps {
						return fmt.Errorf("allocate: transfer: internal error: payers of %q have different candidates", in.origins[in.demands[d].origin].id)
					}
				}
			}
		}
	}
	return nil
}
