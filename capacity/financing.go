package capacity

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst"
)

// Unattributed is the payer of people whose segment matches no payer.
const Unattributed = "unattributed"

// Payer is a payer of care under the hybrid financing of the GST reform,
// identified by the population segment it covers: for example
// {ID: "amo", Segment: "coverage/amo"}, {ID: "tadamon", Segment:
// "coverage/tadamon"}, {ID: "uninsured", Segment: "coverage/uninsured"}.
// A payer with an empty Segment covers the people in no segment of the
// payers' dimension (for example the state budget for people whose
// coverage is unknown).
type Payer struct {
	ID      string `json:"id"`
	Segment string `json:"segment,omitempty"`
}

// Capitation is a payer's yearly amount per person enrolled at a primary
// care establishment, in MAD.
type Capitation struct {
	Payer        string  `json:"payer"`
	PerPersonMAD float64 `json:"per_person_mad"`
}

// Tariff is a fee-for-service price per case of a service, in MAD. An
// empty Payer makes it the default for payers without their own tariff
// for the service.
type Tariff struct {
	Service    gst.ServiceID `json:"service"`
	Payer      string        `json:"payer,omitempty"`
	PerCaseMAD float64       `json:"per_case_mad"`
}

// Financing describes the hybrid model: capitation for primary care plus
// fees per hospital case.
type Financing struct {
	Payers []Payer `json:"payers"`
	// PrimaryService is the primary-care service: people are enrolled at
	// the establishments the assignment sends them to for it, and
	// capitation follows them. Required when Capitation is not empty.
	PrimaryService gst.ServiceID `json:"primary_service,omitempty"`
	Capitation     []Capitation  `json:"capitation,omitempty"`
	// Tariffs price the cases of every service they name; services
	// without a tariff bring no fee (primary care is paid by capitation).
	Tariffs []Tariff `json:"tariffs,omitempty"`
}

// BudgetRow is what one payer owes one establishment in a year.
type BudgetRow struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Payer         string              `json:"payer"`
	// Enrolled is the people enrolled there, CapitationMAD their
	// capitation.
	Enrolled      float64 `json:"enrolled"`
	CapitationMAD float64 `json:"capitation_mad"`
	// Cases is the tariffed cases, FeeForServiceMAD their fees.
	Cases            float64 `json:"cases"`
	FeeForServiceMAD float64 `json:"fee_for_service_mad"`
	TotalMAD         float64 `json:"total_mad"`
}

// BudgetTotal sums a budget by establishment or by payer.
type BudgetTotal struct {
	ID               string  `json:"id"`
	Enrolled         float64 `json:"enrolled"`
	CapitationMAD    float64 `json:"capitation_mad"`
	Cases            float64 `json:"cases"`
	FeeForServiceMAD float64 `json:"fee_for_service_mad"`
	TotalMAD         float64 `json:"total_mad"`
}

// BudgetResult is the yearly budget of the establishments by payer.
type BudgetResult struct {
	// Rows are sorted by establishment then payer.
	Rows            []BudgetRow   `json:"rows"`
	ByEstablishment []BudgetTotal `json:"by_establishment"`
	ByPayer         []BudgetTotal `json:"by_payer"`
	TotalMAD        float64       `json:"total_mad"`
	// UnenrolledPeople are people of areas the primary service's
	// assignment leaves (partly) unassigned; UnservedCases are tariffed
	// cases not assigned to any establishment; UnpricedCases are cases of
	// unattributed people for a service without a default tariff. None is
	// in the budget; each is reported rather than dropped silently.
	UnenrolledPeople float64 `json:"unenrolled_people"`
	UnservedCases    float64 `json:"unserved_cases"`
	UnpricedCases    float64 `json:"unpriced_cases"`
}

// Budget computes the hybrid-financing budget of each establishment by
// payer, from the region's people by coverage segment, the demand (cases
// by service, and by segment when its rates distinguish them) and an
// assignment of areas to establishments:
//
//	capitation(e, p) = Σ_areas people(area, p) × share(area, primary, e) × per-person rate(p)
//	fees(e, p)       = Σ_areas,services cases(area, s, p) × share(area, s, e) × tariff(s, p)
//
// A person's payer is the payer of their segment in the payers' dimension;
// people in no segment go to the payer with an empty Segment, and people
// in segments no payer covers to Unattributed. An area without the
// breakdown is split by the demand's RegionShares when it has them, and
// otherwise counts as people in no segment. Cases of a service whose
// demand has no segment breakdown are split like the area's people. The
// region must be the one the demand was computed on (projected, if the
// demand was). Every tariffed service must have a tariff for every payer,
// its own or the default.
func Budget(r *gst.Region, d *DemandResult, a *gst.Assignment, f *Financing) (*BudgetResult, error) {
	if err := checkRegion(r); err != nil {
		return nil, err
	}
	var p gst.Problems
	if d == nil || d.Table == nil {
		p.Add("demand", "", errors.New("must not be nil"))
	}
	if a == nil {
		p.Add("assignment", "", errors.New("must not be nil"))
	}
	if f == nil {
		p.Add("financing", "", errors.New("must not be nil"))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	b := &budgeter{r: r, d: d, a: a, f: f, p: &p, acc: map[estPayer]*BudgetRow{}}
	b.checkInputs()
	b.checkPayers()
	b.checkCapitation()
	b.checkTariffs()
	b.checkSegments()
	if err := p.Err(); err != nil {
		return nil, err
	}
	b.peopleByPayer()
	res := &BudgetResult{}
	b.capitation(res)
	b.fees(res)
	b.totals(res)
	return res, nil
}

// svcPayer is a service and a payer ("" for the default tariff).
type svcPayer struct {
	s gst.ServiceID
	p string
}

// estPayer is an establishment and a payer.
type estPayer struct {
	e gst.EstablishmentID
	p string
}

// payerShare is the people of an area who belong to a payer.
type payerShare struct {
	payer  string
	people float64
}

// budgeter holds what Budget finds in its inputs and the rows it adds up.
type budgeter struct {
	r *gst.Region
	d *DemandResult
	a *gst.Assignment
	f *Financing
	p *gst.Problems

	payerOf  map[string]string // payer of each segment ("" for people in none)
	payerIDs map[string]bool
	dim      string // the payers' segment dimension, when hasDim
	hasDim   bool
	capRate  map[string]float64
	tariff   map[svcPayer]float64
	tariffed map[gst.ServiceID]bool

	people [][]payerShare // by area, sorted by payer
	acc    map[estPayer]*BudgetRow
}

// checkInputs checks that the demand and the assignment refer to the
// region, and that the demand is for the region's year.
func (b *budgeter) checkInputs() {
	r, d, p := b.r, b.d, b.p
	checkDemandRefs(p, r, d.Table)
	if d.Year != 0 {
		for _, ar := range r.Areas {
			if ar.Year != d.Year {
				p.Addf(fmt.Sprintf("area %q", ar.ID), "year", "the demand is for %d but the area's population is for %d: give Budget the region the demand was computed on (see Project)", d.Year, ar.Year)
				break
			}
		}
	}
	checkAssignmentRefs(p, r, b.a)
}

// checkPayers checks the payers: unique IDs, known segments of one
// dimension, one payer per segment.
func (b *budgeter) checkPayers() {
	r, f, p := b.r, b.f, b.p
	segExists := map[string]bool{}
	for _, ar := range r.Areas {
		for _, s := range ar.Segments {
			segExists[s.Name] = true
		}
	}
	b.payerOf = map[string]string{}
	b.payerIDs = map[string]bool{}
	for i, py := range f.Payers {
		w := whereIndexed("payer", i, fmt.Sprintf("%q", py.ID))
		switch {
		case py.ID == "":
			p.Addf(w, "id", "must not be empty")
		case py.ID == Unattributed:
			p.Addf(w, "id", "%q is reserved", Unattributed)
		case b.payerIDs[py.ID]:
			p.Addf(w, "id", "given twice")
		}
		b.payerIDs[py.ID] = true
		if py.Segment != "" {
			if !segExists[py.Segment] {
				p.Addf(w, "segment", "no area of the region has segment %q", py.Segment)
			}
			d := gst.SegmentDimension(py.Segment)
			if b.hasDim && d != b.dim {
				p.Addf(w, "segment", "payers mix segment dimensions %q and %q", b.dim, d)
			}
			b.dim, b.hasDim = d, true
		}
		if _, dup := b.payerOf[py.Segment]; dup {
			p.Addf(w, "segment", "segment %q has two payers", py.Segment)
		}
		b.payerOf[py.Segment] = py.ID
	}
	if len(f.Payers) == 0 {
		p.Add("financing", "payers", errors.New("at least one payer is needed"))
	}
}

// checkCapitation checks the capitation rates and the primary service
// they pay for.
func (b *budgeter) checkCapitation() {
	r, f, p := b.r, b.f, b.p
	b.capRate = map[string]float64{}
	for i, c := range f.Capitation {
		w := whereIndexed("capitation", i, fmt.Sprintf("payer %q", c.Payer))
		if !b.payerIDs[c.Payer] {
			p.Addf(w, "payer", "unknown payer %q", c.Payer)
		}
		if _, dup := b.capRate[c.Payer]; dup {
			p.Addf(w, "payer", "given twice")
		}
		p.CheckNonNegative(w, "per_person_mad", c.PerPersonMAD)
		b.capRate[c.Payer] = c.PerPersonMAD
	}
	if len(f.Capitation) > 0 {
		if f.PrimaryService == "" {
			p.Add("financing", "primary_service", errors.New("is required with capitation"))
		} else if _, ok := r.Service(f.PrimaryService); !ok {
			p.Addf("financing", "primary_service", "unknown service %q", f.PrimaryService)
		}
	}
}

// checkTariffs checks the tariffs, and that every payer has one for every
// tariffed service, its own or the default.
func (b *budgeter) checkTariffs() {
	r, f, p := b.r, b.f, b.p
	b.tariff = map[svcPayer]float64{}
	b.tariffed = map[gst.ServiceID]bool{}
	for i, t := range f.Tariffs {
		w := whereIndexed("tariff", i, fmt.Sprintf("service %q, payer %q", t.Service, t.Payer))
		if _, ok := r.Service(t.Service); !ok {
			p.Addf(w, "service", "unknown service %q", t.Service)
		}
		if t.Payer != "" && !b.payerIDs[t.Payer] {
			p.Addf(w, "payer", "unknown payer %q", t.Payer)
		}
		if _, dup := b.tariff[svcPayer{t.Service, t.Payer}]; dup {
			p.Addf(w, "", "given twice")
		}
		p.CheckNonNegative(w, "per_case_mad", t.PerCaseMAD)
		b.tariff[svcPayer{t.Service, t.Payer}] = t.PerCaseMAD
		b.tariffed[t.Service] = true
	}
	svcs := make([]gst.ServiceID, 0, len(b.tariffed))
	for s := range b.tariffed {
		svcs = append(svcs, s)
	}
	sort.Slice(svcs, func(i, j int) bool { return svcs[i] < svcs[j] })
	for _, s := range svcs {
		if _, ok := b.tariff[svcPayer{s, ""}]; ok {
			continue
		}
		for _, py := range f.Payers {
			if _, ok := b.tariff[svcPayer{s, py.ID}]; !ok {
				p.Addf(fmt.Sprintf("tariffs of service %q", s), "payer", "payer %q has no tariff and there is no default tariff", py.ID)
			}
		}
	}
}

// checkSegments checks that the demand's segments are in the payers'
// dimension.
func (b *budgeter) checkSegments() {
	if !b.hasDim {
		return
	}
	bad := map[gst.ServiceID]bool{}
	for _, sd := range b.d.Segments {
		if sd.Segment == "" || bad[sd.Service] || (sd.Service != b.f.PrimaryService && !b.tariffed[sd.Service]) {
			continue
		}
		if sdim := gst.SegmentDimension(sd.Segment); sdim != b.dim {
			bad[sd.Service] = true
			b.p.Addf(fmt.Sprintf("demand of service %q", sd.Service), "segments", "broken down by dimension %q, but payers by %q", sdim, b.dim)
		}
	}
}

// row returns the budget row of an establishment and a payer.
func (b *budgeter) row(e gst.EstablishmentID, py string) *BudgetRow {
	k := estPayer{e, py}
	br := b.acc[k]
	if br == nil {
		br = &BudgetRow{Establishment: e, Payer: py}
		b.acc[k] = br
	}
	return br
}

// payerFor returns the payer of a segment's people.
func (b *budgeter) payerFor(seg string) string {
	if py, ok := b.payerOf[seg]; ok {
		return py
	}
	return Unattributed
}

// peopleByPayer splits the people of each area between the payers: by the
// area's segments in the payers' dimension, else by the demand's region
// shares, the rest to the payer of people in no segment.
func (b *budgeter) peopleByPayer() {
	r, d := b.r, b.d
	var shares map[string]float64
	if b.hasDim && d.RegionShares != nil {
		shares = d.RegionShares[b.dim]
	}
	b.people = make([][]payerShare, len(r.Areas))
	for i, ar := range r.Areas {
		m := map[string]float64{}
		var in float64
		found := false
		for _, sg := range ar.Segments {
			if b.hasDim && gst.SegmentDimension(sg.Name) == b.dim {
				m[b.payerFor(sg.Name)] += sg.Population
				in += sg.Population
				found = true
			}
		}
		if !found && shares != nil {
			names := make([]string, 0, len(shares))
			for n := range shares {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				v := ar.Population * shares[n]
				m[b.payerFor(n)] += v
				in += v
			}
		}
		if rest := ar.Population - in; rest > 1e-9*math.Max(1, ar.Population) {
			m[b.payerFor("")] += rest
		}
		list := make([]payerShare, 0, len(m))
		for py, v := range m {
			list = append(list, payerShare{py, v})
		}
		sort.Slice(list, func(x, y int) bool { return list[x].payer < list[y].payer })
		b.people[i] = list
	}
}

// capitation enrols the people of each area where their primary care is
// served, at their payer's rate.
func (b *budgeter) capitation(res *BudgetResult) {
	if len(b.f.Capitation) == 0 {
		return
	}
	for i, ar := range b.r.Areas {
		allocs := b.a.For(ar.ID, b.f.PrimaryService)
		var served float64
		for _, al := range allocs {
			served += al.Share
		}
		for _, sh := range b.people[i] {
			for _, al := range allocs {
				br := b.row(al.Establishment, sh.payer)
				v := sh.people * al.Share
				br.Enrolled += v
				br.CapitationMAD += v * b.capRate[sh.payer]
			}
			if rest := sh.people * (1 - served); rest > 1e-9*math.Max(1, sh.people) {
				res.UnenrolledPeople += rest
			}
		}
	}
}

// price adds the fees of a volume of a service from an area paid by a
// payer, sent where the assignment sends it.
func (b *budgeter) price(res *BudgetResult, area gst.AreaID, s gst.ServiceID, py string, vol float64) {
	t, ok := b.tariff[svcPayer{s, py}]
	if !ok {
		t, ok = b.tariff[svcPayer{s, ""}]
	}
	var served float64
	for _, al := range b.a.For(area, s) {
		br := b.row(al.Establishment, py)
		v := vol * al.Share
		br.Cases += v
		br.FeeForServiceMAD += v * t
		served += al.Share
		if !ok {
			res.UnpricedCases += v
		}
	}
	if rest := vol * (1 - served); rest > 1e-9*math.Max(1, vol) {
		res.UnservedCases += rest
	}
}

// fees prices the cases of every tariffed service, area by area: by the
// demand's segments when it has them, else split like the area's people.
func (b *budgeter) fees(res *BudgetResult) {
	segs := b.d.Segments
	for i := 0; i < len(segs); {
		j := i
		for j < len(segs) && segs[j].Area == segs[i].Area && segs[j].Service == segs[i].Service {
			j++
		}
		g := segs[i:j]
		i = j
		if !b.tariffed[g[0].Service] {
			continue
		}
		split := false
		for _, sd := range g {
			if sd.Segment != "" {
				split = true
				break
			}
		}
		if split {
			for _, sd := range g {
				b.price(res, sd.Area, sd.Service, b.payerFor(sd.Segment), sd.Volume)
			}
			continue
		}
		// No breakdown by coverage in the demand: split the cases by the
		// area's people by payer.
		var vol float64
		for _, sd := range g {
			vol += sd.Volume
		}
		ai, _ := b.r.AreaIndex(g[0].Area)
		var pop float64
		for _, sh := range b.people[ai] {
			pop += sh.people
		}
		if pop <= 0 {
			b.price(res, g[0].Area, g[0].Service, b.payerFor(""), vol)
			continue
		}
		for _, sh := range b.people[ai] {
			b.price(res, g[0].Area, g[0].Service, sh.payer, vol*sh.people/pop)
		}
	}
}

// totals sorts the rows and sums them by establishment, by payer and in
// all.
func (b *budgeter) totals(res *BudgetResult) {
	res.Rows = make([]BudgetRow, 0, len(b.acc))
	for _, br := range b.acc {
		br.TotalMAD = br.CapitationMAD + br.FeeForServiceMAD
		res.Rows = append(res.Rows, *br)
	}
	sort.Slice(res.Rows, func(i, j int) bool {
		if res.Rows[i].Establishment != res.Rows[j].Establishment {
			return res.Rows[i].Establishment < res.Rows[j].Establishment
		}
		return res.Rows[i].Payer < res.Rows[j].Payer
	})
	byE := map[string]*BudgetTotal{}
	byP := map[string]*BudgetTotal{}
	add := func(m map[string]*BudgetTotal, id string, br BudgetRow) {
		t := m[id]
		if t == nil {
			t = &BudgetTotal{ID: id}
			m[id] = t
		}
		t.Enrolled += br.Enrolled
		t.CapitationMAD += br.CapitationMAD
		t.Cases += br.Cases
		t.FeeForServiceMAD += br.FeeForServiceMAD
		t.TotalMAD += br.TotalMAD
	}
	for _, br := range res.Rows {
		add(byE, string(br.Establishment), br)
		add(byP, br.Payer, br)
		res.TotalMAD += br.TotalMAD
	}
	res.ByEstablishment = sortedBudget(byE)
	res.ByPayer = sortedBudget(byP)
}

func sortedBudget(m map[string]*BudgetTotal) []BudgetTotal {
	out := make([]BudgetTotal, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
