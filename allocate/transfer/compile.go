package transfer

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/parallel"
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
// builds the instance with its candidate flows. It reads in order: the
// options and the problem's fields (check), the instance's services,
// providers, their pairs and resources, the origins and demand rows
// (index), the candidate flows with their travel and prices (arcs), and
// the method with the size of its model (size).
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
	c := &compiler{p: p, r: r, ps: &ps, in: &inst{p: p, opt: o, psOf: map[[2]int32]int32{}}}
	c.checkScalars()
	c.checkPayers()
	c.checkServices()
	c.checkContracts()
	c.checkResources()
	c.checkPrices()
	if err := ps.Err(); err != nil {
		return nil, err
	}
	c.indexServices()
	if err := ps.Err(); err != nil {
		return nil, err
	}
	c.indexProviders()
	c.indexProviderServices()
	c.sortResources()
	c.indexDemand()
	if err := c.arcs(); err != nil {
		return nil, err
	}
	if err := c.in.checkGroups(); err != nil {
		return nil, err
	}
	if err := c.size(); err != nil {
		return nil, err
	}
	return c.in, nil
}

// estSvc is an establishment and a service.
type estSvc struct {
	e gst.EstablishmentID
	s gst.ServiceID
}

// estRes is an establishment and a resource.
type estRes struct {
	e gst.EstablishmentID
	r string
}

// priceKey is a service, a payer and an establishment, "" for any.
type priceKey struct {
	s gst.ServiceID
	p string
	e gst.EstablishmentID
}

// compiler holds what validating the problem finds, for building the
// instance.
type compiler struct {
	p  *Problem
	r  *gst.Region
	ps *gst.Problems
	in *inst

	payerIx   map[string]int32 // payer by ID, in in.payers
	restPayer int32            // the payer of people in no payer's segment
	svcRule   map[gst.ServiceID]*Service
	svcSet    map[gst.ServiceID]bool // services with demand
	contract  map[estSvc]*Contract
	capOver   map[estSvc]float64
	resOver   map[estRes]float64
	uses      map[gst.ServiceID][]useRow
	tariff    map[priceKey]float64
	capit     map[priceKey]float64
	capitated map[gst.ServiceID]bool

	svcIx    map[gst.ServiceID]int32
	provsOf  [][]gst.EstablishmentID // by service
	provSet  map[gst.EstablishmentID]bool
	provIx   map[gst.EstablishmentID]int32
	originIx map[string]int32
}

// problemWhere names the problem in messages.
const problemWhere = "transfer problem"

// checkScalars checks the problem's plain fields.
func (c *compiler) checkScalars() {
	p, ps := c.p, c.ps
	if p.Demand != nil {
		if err := p.Demand.Validate(c.r); err != nil {
			ps.AddErr(fmt.Errorf("transfer problem: Demand: %w", err))
		}
	}
	ps.CheckNonNegative(problemWhere, "Budget", p.Budget)
	ps.CheckNonNegative(problemWhere, "MinuteValueMAD", p.MinuteValueMAD)
	if p.Objective < CostAndTravel || p.Objective > TravelFirst {
		ps.Addf(problemWhere, "Objective", "unknown objective %d", int(p.Objective))
	}
	p.TravelSource.Check(ps, problemWhere)
}

// checkPayers checks the payers (unique IDs and segments, one dimension)
// and indexes them, with the payer of the people in no segment.
func (c *compiler) checkPayers() {
	p, ps, in := c.p, c.ps, c.in
	c.payerIx = map[string]int32{}
	payers := append([]Payer(nil), p.Payers...)
	if len(payers) == 0 {
		payers = []Payer{{ID: ""}}
	}
	dim := ""
	seenSeg := map[string]bool{}
	for i, py := range p.Payers {
		where := fmt.Sprintf("transfer payer %d (%q)", i, py.ID)
		if _, dup := c.payerIx[py.ID]; dup {
			ps.Addf(where, "id", "second payer with the same ID")
		}
		c.payerIx[py.ID] = 0
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
		if _, clash := c.payerIx[otherPayer]; clash {
			ps.Addf(problemWhere, "Payers", "no payer covers the people in no segment, and the payer %q that would stand for them is taken", otherPayer)
		}
		payers = append(payers, Payer{ID: otherPayer})
	}
	sort.SliceStable(payers, func(a, b int) bool { return payers[a].ID < payers[b].ID })
	for i, py := range payers {
		in.payers = append(in.payers, payerInfo{id: py.ID, segment: py.Segment})
		c.payerIx[py.ID] = int32(i)
	}
	// The payer of people in no payer's segment.
	c.restPayer = -1
	for i, py := range in.payers {
		if py.segment == "" {
			c.restPayer = int32(i)
		}
	}
}

// payerOK reports whether a payer is known, recording a problem if not.
func (c *compiler) payerOK(where, id string) bool {
	if _, ok := c.payerIx[id]; !ok {
		c.ps.Addf(where, "payer", "unknown payer %q", id)
		return false
	}
	return true
}

// checkServices checks the service rules and the referrals, and collects
// the services with demand.
func (c *compiler) checkServices() {
	p, r, ps := c.p, c.r, c.ps
	c.svcRule = map[gst.ServiceID]*Service{}
	for i := range p.Services {
		sr := &p.Services[i]
		where := fmt.Sprintf("transfer service %d (%q)", i, sr.Service)
		if _, ok := r.Service(sr.Service); !ok {
			ps.Addf(where, "service", "unknown service %q", sr.Service)
		}
		if c.svcRule[sr.Service] != nil {
			ps.Addf(where, "", "second rule for the same service")
		}
		c.svcRule[sr.Service] = sr
		ps.CheckNonNegative(where, "MaxMinutes", sr.MaxMinutes)
		ps.CheckNonNegative(where, "TripsPerCase", sr.TripsPerCase)
		for _, e := range sr.Providers {
			if _, ok := r.Establishment(e); !ok {
				ps.Addf(where, "providers", "unknown establishment %q", e)
			}
		}
	}
	c.svcSet = map[gst.ServiceID]bool{}
	if p.Demand != nil {
		for _, s := range p.Demand.Services() {
			if p.Demand.Total(s) > 0 {
				c.svcSet[s] = true
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
		c.payerOK(where, rf.Payer)
		if rf.Volume > 0 {
			c.svcSet[rf.Service] = true
		}
	}
}

// checkContracts checks the contracts and the capacities.
func (c *compiler) checkContracts() {
	p, r, ps := c.p, c.r, c.ps
	c.contract = map[estSvc]*Contract{}
	for i := range p.Contracts {
		ct := &p.Contracts[i]
		where := fmt.Sprintf("transfer contract %d (%q, service %q)", i, ct.Establishment, ct.Service)
		if e, ok := r.Establishment(ct.Establishment); !ok {
			ps.Addf(where, "establishment", "unknown establishment %q", ct.Establishment)
		} else if e.Ownership != gst.Private {
			ps.Addf(where, "establishment", "%q is public; contracts are for private partners", ct.Establishment)
		} else if e.Candidate {
			ps.Addf(where, "establishment", "%q is a candidate site", ct.Establishment)
		}
		if _, ok := r.Service(ct.Service); !ok {
			ps.Addf(where, "service", "unknown service %q", ct.Service)
		}
		ps.CheckNonNegative(where, "MaxVolume", ct.MaxVolume)
		ps.CheckNonNegative(where, "MinVolume", ct.MinVolume)
		ps.CheckNonNegative(where, "TariffMAD", ct.TariffMAD)
		if ct.MaxVolume > 0 && ct.MinVolume > ct.MaxVolume {
			ps.Addf(where, "MinVolume", "%v is above MaxVolume %v", ct.MinVolume, ct.MaxVolume)
		}
		if c.contract[estSvc{ct.Establishment, ct.Service}] != nil {
			ps.Addf(where, "", "second contract for the same partner and service")
		}
		c.contract[estSvc{ct.Establishment, ct.Service}] = ct
	}
	for _, ct := range p.Contracts {
		if ct.MinVolume > 0 {
			c.svcSet[ct.Service] = true // a floor needs demand to meet it
		}
	}
	c.capOver = map[estSvc]float64{}
	for i, cp := range p.Capacities {
		where := fmt.Sprintf("transfer capacity %d (%q, service %q)", i, cp.Establishment, cp.Service)
		if _, ok := r.Establishment(cp.Establishment); !ok {
			ps.Addf(where, "establishment", "unknown establishment %q", cp.Establishment)
		}
		if _, ok := r.Service(cp.Service); !ok {
			ps.Addf(where, "service", "unknown service %q", cp.Service)
		}
		ps.CheckNonNegative(where, "volume", cp.Volume)
		if _, dup := c.capOver[estSvc{cp.Establishment, cp.Service}]; dup {
			ps.Addf(where, "", "second capacity for the same establishment and service")
		}
		c.capOver[estSvc{cp.Establishment, cp.Service}] = cp.Volume
	}
}

// checkResources checks the resources and their uses by the services.
func (c *compiler) checkResources() {
	p, r, ps := c.p, c.r, c.ps
	c.resOver = map[estRes]float64{}
	for i, rs := range p.Resources {
		where := fmt.Sprintf("transfer resource %d (%q, %q)", i, rs.Establishment, rs.Resource)
		if _, ok := r.Establishment(rs.Establishment); !ok {
			ps.Addf(where, "establishment", "unknown establishment %q", rs.Establishment)
		}
		if strings.TrimSpace(rs.Resource) == "" {
			ps.Addf(where, "resource", "empty resource name")
		}
		ps.CheckNonNegative(where, "available", rs.Available)
		if _, dup := c.resOver[estRes{rs.Establishment, rs.Resource}]; dup {
			ps.Addf(where, "", "second row for the same establishment and resource")
		}
		c.resOver[estRes{rs.Establishment, rs.Resource}] = rs.Available
	}
	c.uses = map[gst.ServiceID][]useRow{}
	seenUse := map[[2]string]bool{}
	for i, u := range p.Uses {
		where := fmt.Sprintf("transfer use %d (service %q, %q)", i, u.Service, u.Resource)
		if _, ok := r.Service(u.Service); !ok {
			ps.Addf(where, "service", "unknown service %q", u.Service)
		}
		if strings.TrimSpace(u.Resource) == "" {
			ps.Addf(where, "resource", "empty resource name")
		} else if cat, ok := strings.CutPrefix(u.Resource, "staff/"); ok {
			if _, ok := r.Category(gst.CategoryID(cat)); !ok {
				ps.Addf(where, "resource", "unknown category %q", cat)
			}
		}
		ps.CheckPositive(where, "PerCase", u.PerCase)
		k := [2]string{string(u.Service), u.Resource}
		if seenUse[k] {
			ps.Addf(where, "", "second use of the same resource by the same service")
		}
		seenUse[k] = true
		c.uses[u.Service] = append(c.uses[u.Service], useRow{u.Resource, u.PerCase})
	}
}

// checkPrices checks the tariffs, the capitations and the budgets.
func (c *compiler) checkPrices() {
	p, r, ps, in := c.p, c.r, c.ps, c.in
	checkPrice := func(kind string, i int, s gst.ServiceID, payer string, e gst.EstablishmentID, v float64, into map[priceKey]float64) {
		where := fmt.Sprintf("transfer %s %d (service %q, payer %q, establishment %q)", kind, i, s, payer, e)
		if _, ok := r.Service(s); !ok {
			ps.Addf(where, "service", "unknown service %q", s)
		}
		if payer != "" {
			c.payerOK(where, payer)
		}
		if e != "" {
			if _, ok := r.Establishment(e); !ok {
				ps.Addf(where, "establishment", "unknown establishment %q", e)
			}
		}
		ps.CheckNonNegative(where, "MAD", v)
		k := priceKey{s, payer, e}
		if _, dup := into[k]; dup {
			ps.Addf(where, "", "second row for the same service, payer and establishment")
		}
		into[k] = v
	}
	c.tariff = map[priceKey]float64{}
	for i, t := range p.Tariffs {
		checkPrice("tariff", i, t.Service, t.Payer, t.Establishment, t.PerCaseMAD, c.tariff)
	}
	c.capit = map[priceKey]float64{}
	c.capitated = map[gst.ServiceID]bool{}
	for i, cp := range p.Capitations {
		checkPrice("capitation", i, cp.Service, cp.Payer, cp.Establishment, cp.PerPersonMAD, c.capit)
		c.capitated[cp.Service] = true
	}
	in.payerBudget = make([]float64, len(in.payers))
	seenBudget := map[string]bool{}
	for i, b := range p.PayerBudgets {
		where := fmt.Sprintf("transfer payer budget %d (%q)", i, b.Payer)
		if c.payerOK(where, b.Payer) {
			in.payerBudget[c.payerIx[b.Payer]] = b.MAD
		}
		ps.CheckNonNegative(where, "MAD", b.MAD)
		if seenBudget[b.Payer] {
			ps.Addf(where, "", "second budget for the same payer")
		}
		seenBudget[b.Payer] = true
	}
	in.budget = p.Budget
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
