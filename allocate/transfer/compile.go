package transfer

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/lpsize"
	"github.com/gstplan/gst/allocate/internal/netflow"
	"github.com/gstplan/gst/allocate/internal/parallel"
	"github.com/gstplan/gst/allocate/internal/travelpairs"
)

// inst is a validated transfer problem in index form.
type inst struct {
	p   *Problem
	opt Options

	svcs    []svcInfo     // sorted by ID
	provs   []provInfo    // establishments providing some service, sorted by ID
	origins []originInfo  // sorted by ID
	payers  []payerInfo   // sorted by ID
	demands []demandInfo  // sorted by service, origin, payer
	ps      []provService // (provider, service) pairs, sorted by provider then service
	psOf    map[[2]int32]int32
	res     []resInfo // resources that bind, sorted by provider then name
	arcs    []arcInfo // by demand, then provider
	arcFrom []int32   // CSR: arcs of demand d are arcs[arcFrom[d]:arcFrom[d+1]]

	budget      float64
	payerBudget []float64 // by payer, 0 for none
	estBytes    int64
	useLP       bool
	lpWhy       string
}

type svcInfo struct {
	id        gst.ServiceID
	maxMin    float64 // +Inf for none
	trips     float64
	capitated bool
	uses      []useRow
	demands   []int32 // demand rows, in order
	ps        []int32 // provider-service pairs
}

type useRow struct {
	resource string
	perCase  float64
}

type provInfo struct {
	id      gst.EstablishmentID
	pt      gst.Point
	private bool
}

type originInfo struct {
	id   string
	area bool
	pt   gst.Point
}

type payerInfo struct {
	id      string
	segment string
}

type demandInfo struct {
	origin, svc, payer int32
	volume             float64
	people             float64 // people of the payer in the area (capitation)
}

type provService struct {
	prov, svc int32
	capacity  float64 // +Inf for none
	min       float64
	contract  bool
	tariffC   float64 // contract tariff, -1 for none
	res       []int32 // resources the service uses here
	per       []float64
}

type resInfo struct {
	prov  int32
	name  string
	avail float64
}

type arcInfo struct {
	demand  int32
	ps      int32
	minutes float64
	km      float64
	fee     float64 // MAD per case
	capit   float64 // capitation MAD per case
}

// resolveOptions fills the defaults and checks the options.
func resolveOptions(opt *Options, ps *gst.Problems) Options {
	var o Options
	if opt != nil {
		o = *opt
	}
	const where = "transfer options"
	o.SolveOptions = o.SolveOptions.Resolve(ps, where)
	if o.MaxLPColumns == 0 {
		o.MaxLPColumns = DefaultMaxLPColumns
	}
	if o.MaxLPColumns < 0 {
		ps.Addf(where, "MaxLPColumns", "negative limit %d", o.MaxLPColumns)
	}
	o.Workers = parallel.Workers(ps, where, o.Workers)
	return o
}

// compile validates the problem, reporting every problem at once, and
// builds the instance with its candidate flows.
func compile(p *Problem, opt *Options) (*inst, error) {
	var ps gst.Problems
	o := resolveOptions(opt, &ps)
	if p == nil {
		ps.Add("transfer problem", "", errors.New("nil problem"))
		return nil, ps.Err()
	}
	r := p.Region
	if r == nil {
		ps.Add("transfer problem", "Region", errors.New("no region"))
		return nil, ps.Err()
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	in := &inst{p: p, opt: o, psOf: map[[2]int32]int32{}}
	const pw = "transfer problem"
	if p.Demand != nil {
		if err := p.Demand.Validate(r); err != nil {
			ps.AddErr(fmt.Errorf("transfer problem: Demand: %w", err))
		}
	}
	ps.CheckNonNegative(pw, "Budget", p.Budget)
	ps.CheckNonNegative(pw, "MinuteValueMAD", p.MinuteValueMAD)
	if p.Objective < CostAndTravel || p.Objective > TravelFirst {
		ps.Addf(pw, "Objective", "unknown objective %d", int(p.Objective))
	}
	p.TravelSource.Check(&ps, pw)

	// Payers.
	payerIx := map[string]int32{}
	payers := append([]Payer(nil), p.Payers...)
	if len(payers) == 0 {
		payers = []Payer{{ID: ""}}
	}
	dim := ""
	seenSeg := map[string]bool{}
	for i, py := range p.Payers {
		where := fmt.Sprintf("transfer payer %d (%q)", i, py.ID)
		if _, dup := payerIx[py.ID]; dup {
			ps.Addf(where, "id", "second payer with the same ID")
		}
		payerIx[py.ID] = 0
		if py.Segment != "" {
			d := gst.SegmentDimension(py.Segment)
			if dim != "" && d != dim {
				ps.Addf(where, "segment", "segment %q is not in the dimension %q of the other payers", py.Segment, dim)
			}
			dim = d
			if seenSeg[py.Segment] {
				ps.Addf(where, "segment", "segment %q has a second payer", py.Segment)
			}
			seenSeg[py.Segment] = true
		} else if seenSeg[""] {
			ps.Addf(where, "segment", "a second payer without a segment")
		} else {
			seenSeg[""] = true
		}
	}
	hasRest := len(p.Payers) == 0
	for _, py := range p.Payers {
		if py.Segment == "" {
			hasRest = true
		}
	}
	if !hasRest {
		// People in no payer's segment need a payer too.
		if _, clash := payerIx[otherPayer]; clash {
			ps.Addf(pw, "Payers", "no payer covers the people in no segment, and the payer %q that would stand for them is taken", otherPayer)
		}
		payers = append(payers, Payer{ID: otherPayer})
	}
	sort.SliceStable(payers, func(a, b int) bool { return payers[a].ID < payers[b].ID })
	for i, py := range payers {
		in.payers = append(in.payers, payerInfo{id: py.ID, segment: py.Segment})
		payerIx[py.ID] = int32(i)
	}
	// The payer of people in no payer's segment.
	restPayer := int32(-1)
	for i, py := range in.payers {
		if py.segment == "" {
			restPayer = int32(i)
		}
	}
	payerOK := func(where, id string) bool {
		if _, ok := payerIx[id]; !ok {
			ps.Addf(where, "payer", "unknown payer %q", id)
			return false
		}
		return true
	}

	// Services with demand.
	svcRule := map[gst.ServiceID]*Service{}
	for i := range p.Services {
		sr := &p.Services[i]
		where := fmt.Sprintf("transfer service %d (%q)", i, sr.Service)
		if _, ok := r.Service(sr.Service); !ok {
			ps.Addf(where, "service", "unknown service %q", sr.Service)
		}
		if svcRule[sr.Service] != nil {
			ps.Addf(where, "", "second rule for the same service")
		}
		svcRule[sr.Service] = sr
		ps.CheckNonNegative(where, "MaxMinutes", sr.MaxMinutes)
		ps.CheckNonNegative(where, "TripsPerCase", sr.TripsPerCase)
		for _, e := range sr.Providers {
			if _, ok := r.Establishment(e); !ok {
				ps.Addf(where, "providers", "unknown establishment %q", e)
			}
		}
	}
	svcSet := map[gst.ServiceID]bool{}
	if p.Demand != nil {
		for _, s := range p.Demand.Services() {
			if p.Demand.Total(s) > 0 {
				svcSet[s] = true
			}
		}
	}
	for i, rf := range p.Referrals {
		where := fmt.Sprintf("transfer referral %d (from %q, service %q)", i, rf.From, rf.Service)
		if e, ok := r.Establishment(rf.From); !ok {
			ps.Addf(where, "from", "unknown establishment %q", rf.From)
		} else if e.Candidate {
			ps.Addf(where, "from", "%q is a candidate site, which refers nobody", rf.From)
		}
		if _, ok := r.Service(rf.Service); !ok {
			ps.Addf(where, "service", "unknown service %q", rf.Service)
		}
		ps.CheckNonNegative(where, "volume", rf.Volume)
		payerOK(where, rf.Payer)
		if rf.Volume > 0 {
			svcSet[rf.Service] = true
		}
	}

	// Contracts.
	type es struct {
		e gst.EstablishmentID
		s gst.ServiceID
	}
	contract := map[es]*Contract{}
	for i := range p.Contracts {
		c := &p.Contracts[i]
		where := fmt.Sprintf("transfer contract %d (%q, service %q)", i, c.Establishment, c.Service)
		if e, ok := r.Establishment(c.Establishment); !ok {
			ps.Addf(where, "establishment", "unknown establishment %q", c.Establishment)
		} else if e.Ownership != gst.Private {
			ps.Addf(where, "establishment", "%q is public; contracts are for private partners", c.Establishment)
		} else if e.Candidate {
			ps.Addf(where, "establishment", "%q is a candidate site", c.Establishment)
		}
		if _, ok := r.Service(c.Service); !ok {
			ps.Addf(where, "service", "unknown service %q", c.Service)
		}
		ps.CheckNonNegative(where, "MaxVolume", c.MaxVolume)
		ps.CheckNonNegative(where, "MinVolume", c.MinVolume)
		ps.CheckNonNegative(where, "TariffMAD", c.TariffMAD)
		if c.MaxVolume > 0 && c.MinVolume > c.MaxVolume {
			ps.Addf(where, "MinVolume", "%v is above MaxVolume %v", c.MinVolume, c.MaxVolume)
		}
		if contract[es{c.Establishment, c.Service}] != nil {
			ps.Addf(where, "", "second contract for the same partner and service")
		}
		contract[es{c.Establishment, c.Service}] = c
	}
	for _, c := range p.Contracts {
		if c.MinVolume > 0 {
			svcSet[c.Service] = true // a floor needs demand to meet it
		}
	}
	capOver := map[es]float64{}
	for i, c := range p.Capacities {
		where := fmt.Sprintf("transfer capacity %d (%q, service %q)", i, c.Establishment, c.Service)
		if _, ok := r.Establishment(c.Establishment); !ok {
			ps.Addf(where, "establishment", "unknown establishment %q", c.Establishment)
		}
		if _, ok := r.Service(c.Service); !ok {
			ps.Addf(where, "service", "unknown service %q", c.Service)
		}
		ps.CheckNonNegative(where, "volume", c.Volume)
		if _, dup := capOver[es{c.Establishment, c.Service}]; dup {
			ps.Addf(where, "", "second capacity for the same establishment and service")
		}
		capOver[es{c.Establishment, c.Service}] = c.Volume
	}
	type er struct {
		e gst.EstablishmentID
		r string
	}
	resOver := map[er]float64{}
	for i, rs := range p.Resources {
		where := fmt.Sprintf("transfer resource %d (%q, %q)", i, rs.Establishment, rs.Resource)
		if _, ok := r.Establishment(rs.Establishment); !ok {
			ps.Addf(where, "establishment", "unknown establishment %q", rs.Establishment)
		}
		if strings.TrimSpace(rs.Resource) == "" {
			ps.Addf(where, "resource", "empty resource name")
		}
		ps.CheckNonNegative(where, "available", rs.Available)
		if _, dup := resOver[er{rs.Establishment, rs.Resource}]; dup {
			ps.Addf(where, "", "second row for the same establishment and resource")
		}
		resOver[er{rs.Establishment, rs.Resource}] = rs.Available
	}
	uses := map[gst.ServiceID][]useRow{}
	seenUse := map[[2]string]bool{}
	for i, u := range p.Uses {
		where := fmt.Sprintf("transfer use %d (service %q, %q)", i, u.Service, u.Resource)
		if _, ok := r.Service(u.Service); !ok {
			ps.Addf(where, "service", "unknown service %q", u.Service)
		}
		if strings.TrimSpace(u.Resource) == "" {
			ps.Addf(where, "resource", "empty resource name")
		} else if c, ok := strings.CutPrefix(u.Resource, "staff/"); ok {
			if _, ok := r.Category(gst.CategoryID(c)); !ok {
				ps.Addf(where, "resource", "unknown category %q", c)
			}
		}
		ps.CheckPositive(where, "PerCase", u.PerCase)
		k := [2]string{string(u.Service), u.Resource}
		if seenUse[k] {
			ps.Addf(where, "", "second use of the same resource by the same service")
		}
		seenUse[k] = true
		uses[u.Service] = append(uses[u.Service], useRow{u.Resource, u.PerCase})
	}
	type tkey struct {
		s gst.ServiceID
		p string
		e gst.EstablishmentID
	}
	tariff := map[tkey]float64{}
	checkPrice := func(kind string, i int, s gst.ServiceID, payer string, e gst.EstablishmentID, v float64, into map[tkey]float64) {
		where := fmt.Sprintf("transfer %s %d (service %q, payer %q, establishment %q)", kind, i, s, payer, e)
		if _, ok := r.Service(s); !ok {
			ps.Addf(where, "service", "unknown service %q", s)
		}
		if payer != "" {
			payerOK(where, payer)
		}
		if e != "" {
			if _, ok := r.Establishment(e); !ok {
				ps.Addf(where, "establishment", "unknown establishment %q", e)
			}
		}
		ps.CheckNonNegative(where, "MAD", v)
		k := tkey{s, payer, e}
		if _, dup := into[k]; dup {
			ps.Addf(where, "", "second row for the same service, payer and establishment")
		}
		into[k] = v
	}
	for i, t := range p.Tariffs {
		checkPrice("tariff", i, t.Service, t.Payer, t.Establishment, t.PerCaseMAD, tariff)
	}
	capit := map[tkey]float64{}
	capitated := map[gst.ServiceID]bool{}
	for i, c := range p.Capitations {
		checkPrice("capitation", i, c.Service, c.Payer, c.Establishment, c.PerPersonMAD, capit)
		capitated[c.Service] = true
	}
	in.payerBudget = make([]float64, len(in.payers))
	seenBudget := map[string]bool{}
	for i, b := range p.PayerBudgets {
		where := fmt.Sprintf("transfer payer budget %d (%q)", i, b.Payer)
		if payerOK(where, b.Payer) {
			in.payerBudget[payerIx[b.Payer]] = b.MAD
		}
		ps.CheckNonNegative(where, "MAD", b.MAD)
		if seenBudget[b.Payer] {
			ps.Addf(where, "", "second budget for the same payer")
		}
		seenBudget[b.Payer] = true
	}
	in.budget = p.Budget
	if err := ps.Err(); err != nil {
		return nil, err
	}

	// Services and their providers.
	svcIDs := make([]string, 0, len(svcSet))
	for s := range svcSet {
		svcIDs = append(svcIDs, string(s))
	}
	sort.Strings(svcIDs)
	svcIx := map[gst.ServiceID]int32{}
	provSet := map[gst.EstablishmentID]bool{}
	provsOf := make([][]gst.EstablishmentID, len(svcIDs))
	for i, id := range svcIDs {
		s := gst.ServiceID(id)
		sv := svcInfo{id: s, maxMin: math.Inf(1), trips: 2, capitated: capitated[s], uses: uses[s]}
		sr := svcRule[s]
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
				return contract[es{e.ID, s}] != nil
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
				provsOf[i] = append(provsOf[i], id)
			}
		} else {
			for k := range r.Establishments {
				if e := &r.Establishments[k]; eligible(e) {
					provsOf[i] = append(provsOf[i], e.ID)
				}
			}
		}
		for _, e := range provsOf[i] {
			provSet[e] = true
		}
		in.svcs = append(in.svcs, sv)
		svcIx[s] = int32(i)
	}
	for k := range capOver {
		if _, ok := svcIx[k.s]; !ok {
			continue
		}
		e, _ := r.Establishment(k.e)
		if e.Ownership == gst.Public && !e.OffersService(k.s) {
			ps.Addf(fmt.Sprintf("transfer capacity (%q, service %q)", k.e, k.s), "establishment", "%q does not offer %q", k.e, k.s)
		}
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	provIDs := make([]string, 0, len(provSet))
	for e := range provSet {
		provIDs = append(provIDs, string(e))
	}
	sort.Strings(provIDs)
	provIx := map[gst.EstablishmentID]int32{}
	for i, id := range provIDs {
		e, _ := r.Establishment(gst.EstablishmentID(id))
		urban := false
		if a, ok := r.Area(e.Area); ok {
			urban = a.Urban
		}
		in.provs = append(in.provs, provInfo{id: e.ID, pt: gst.Point{ID: id, Lat: e.Lat, Lon: e.Lon, Urban: urban},
			private: e.Ownership == gst.Private})
		provIx[e.ID] = int32(i)
	}
	// Provider-service pairs, sorted by provider then service.
	for si := range in.svcs {
		for _, e := range provsOf[si] {
			in.ps = append(in.ps, provService{prov: provIx[e], svc: int32(si)})
		}
	}
	sort.Slice(in.ps, func(a, b int) bool {
		if in.ps[a].prov != in.ps[b].prov {
			return in.ps[a].prov < in.ps[b].prov
		}
		return in.ps[a].svc < in.ps[b].svc
	})
	resIx := map[er]int32{}
	for k := range in.ps {
		x := &in.ps[k]
		e, _ := r.Establishment(in.provs[x.prov].id)
		s := in.svcs[x.svc].id
		x.capacity = math.Inf(1)
		x.tariffC = -1
		if of, ok := e.Offer(s); ok && of.Capacity > 0 {
			x.capacity = of.Capacity
		}
		if c := contract[es{e.ID, s}]; c != nil {
			x.contract = true
			x.min = c.MinVolume
			x.tariffC = c.TariffMAD
			if c.MaxVolume > 0 {
				x.capacity = c.MaxVolume
			}
		}
		if v, ok := capOver[es{e.ID, s}]; ok {
			x.capacity = v
		}
		for _, u := range in.svcs[x.svc].uses {
			avail, ok := resOver[er{e.ID, u.resource}]
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
			ri, seen := resIx[er{e.ID, u.resource}]
			if !seen {
				ri = int32(len(in.res))
				in.res = append(in.res, resInfo{prov: x.prov, name: u.resource, avail: avail})
				resIx[er{e.ID, u.resource}] = ri
			}
			x.res = append(x.res, ri)
			x.per = append(x.per, u.perCase)
		}
		in.psOf[[2]int32{x.prov, x.svc}] = int32(k)
		in.svcs[x.svc].ps = append(in.svcs[x.svc].ps, int32(k))
	}
	// Resources sorted by provider then name (they were added in that
	// order within a provider only when its services list them so).
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

	// Origins and demand rows split by payer.
	originSet := map[string]bool{}
	type dkey struct {
		o string
		s gst.ServiceID
		p int32
	}
	vol := map[dkey]float64{}
	people := map[dkey]float64{}
	if p.Demand != nil {
		for _, d := range p.Demand.Rows() {
			if _, ok := svcIx[d.Service]; !ok || d.Volume <= 0 {
				continue
			}
			a, _ := r.Area(d.Area)
			originSet[string(d.Area)] = true
			shares := payerShares(a, in.payers, restPayer)
			for pi, sh := range shares {
				if sh > 0 {
					k := dkey{string(d.Area), d.Service, int32(pi)}
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
		vol[dkey{string(rf.From), rf.Service, payerIx[rf.Payer]}] += rf.Volume
	}
	originIDs := make([]string, 0, len(originSet))
	for id := range originSet {
		originIDs = append(originIDs, id)
	}
	sort.Strings(originIDs)
	originIx := map[string]int32{}
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
		originIx[id] = int32(i)
	}
	for k, v := range vol {
		d := demandInfo{origin: originIx[k.o], svc: svcIx[k.s], payer: k.p, volume: v}
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

	// Prices.
	price := func(table map[tkey]float64, s gst.ServiceID, payer string, e gst.EstablishmentID) (float64, bool) {
		for _, k := range []tkey{{s, payer, e}, {s, "", e}, {s, payer, ""}, {s, "", ""}} {
			if v, ok := table[k]; ok {
				return v, true
			}
		}
		return 0, false
	}
	fee := func(x *provService, payer int32) float64 {
		s, e, py := in.svcs[x.svc].id, in.provs[x.prov].id, in.payers[payer].id
		for _, k := range []tkey{{s, py, e}, {s, "", e}} {
			if v, ok := tariff[k]; ok {
				return v
			}
		}
		if x.tariffC >= 0 {
			return x.tariffC
		}
		v, _ := price(tariff, s, py, "")
		return v
	}

	// Candidate flows: pairs within the services' longest trip.
	maxMin := 0.0
	for _, s := range in.svcs {
		maxMin = math.Max(maxMin, s.maxMin)
	}
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
	// Estimate the candidate count before computing the legs.
	var cand int64
	for _, s := range in.svcs {
		cand += int64(len(s.demands)) * int64(len(s.ps))
	}
	var pairs []travelpairs.Pair
	if !math.IsInf(maxMin, 1) || cand <= int64(o.MaxLPColumns)*4 {
		var err error
		pairs, err = travelpairs.Find(r, p.TravelSource, sites, maxMin)
		if err != nil {
			return nil, err
		}
	} else {
		return nil, &gst.TooLargeError{Op: op, Model: "flow", Columns: cand, Rows: int64(len(in.demands) + len(in.ps)),
			Nonzeros: 2 * cand, Bytes: netflow.Bytes(int64(len(in.demands)+len(in.ps)), cand), Limit: o.MaxModelBytes,
			Suggestion: "set Service.MaxMinutes so that only providers within reach are candidates"}
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
			a := arcInfo{demand: int32(di), ps: k, minutes: pr.Minutes, km: pr.Km, fee: fee(x, d.payer)}
			if sv.capitated && d.people > 0 {
				if c, ok := price(capit, sv.id, in.payers[d.payer].id, in.provs[x.prov].id); ok {
					a.capit = c * d.people / d.volume
				}
			}
			in.arcs = append(in.arcs, a)
		}
		in.arcFrom[di+1] = int32(len(in.arcs))
	}

	// Method and size.
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
	if in.useLP {
		in.estBytes = lpsize.Bytes(rows, cols, 3*nz)
		if cols > int64(o.MaxLPColumns) || in.estBytes > o.MaxModelBytes {
			return nil, &gst.TooLargeError{Op: op, Model: "lp", Rows: rows, Columns: cols, Nonzeros: 3 * nz, Bytes: in.estBytes,
				Limit: o.MaxModelBytes, Suggestion: fmt.Sprintf("with %s the services form one linear programme, beyond the limit of %d columns; lower MaxMinutes, plan one region or province at a time, or raise Options.MaxLPColumns", in.lpWhy, o.MaxLPColumns)}
		}
	} else {
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
			return nil, &gst.TooLargeError{Op: op, Model: "flow", Rows: rows, Columns: cols, Nonzeros: nz, Bytes: in.estBytes,
				Limit: o.MaxModelBytes, Suggestion: "lower MaxMinutes or split the region"}
		}
	}
	return in, nil
}

// otherPayer stands for the people in no payer's segment when no payer
// without a segment is given.
const otherPayer = "(other)"

// payerShares splits an area's people between the payers by their
// segments; the rest goes to the payer without a segment.
func payerShares(a *gst.Area, payers []payerInfo, rest int32) []float64 {
	sh := make([]float64, len(payers))
	if a.Population <= 0 {
		sh[rest] = 1
		return sh
	}
	left := 1.0
	for i, py := range payers {
		if py.segment == "" {
			continue
		}
		if v, ok := a.Segment(py.segment); ok {
			sh[i] = v / a.Population
			left -= sh[i]
		}
	}
	if left > 1e-12 {
		sh[rest] += left
	}
	return sh
}
