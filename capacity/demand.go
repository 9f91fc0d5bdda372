package capacity

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/msgtext"
)

// Setting restricts a utilisation rate to urban or rural areas.
type Setting int

const (
	// AnySetting applies to urban and rural areas alike.
	AnySetting Setting = iota
	// UrbanOnly applies to urban areas (Area.Urban true).
	UrbanOnly
	// RuralOnly applies to rural areas.
	RuralOnly
)

// String returns "any", "urban" or "rural".
func (s Setting) String() string {
	switch s {
	case AnySetting:
		return "any"
	case UrbanOnly:
		return "urban"
	case RuralOnly:
		return "rural"
	}
	return fmt.Sprintf("Setting(%d)", int(s))
}

// MarshalText encodes the setting as its String form.
func (s Setting) MarshalText() ([]byte, error) {
	if s < AnySetting || s > RuralOnly {
		return nil, fmt.Errorf("%w: unknown setting %d", gst.ErrInvalid, int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes "any" (or ""), "urban" or "rural".
func (s *Setting) UnmarshalText(b []byte) error {
	switch string(b) {
	case "", "any":
		*s = AnySetting
	case "urban":
		*s = UrbanOnly
	case "rural":
		*s = RuralOnly
	default:
		return fmt.Errorf("%w: unknown setting %q (want any, urban or rural)", gst.ErrInvalid, b)
	}
	return nil
}

// Rate is a utilisation rate: how many units of a service (visits,
// deliveries, admissions…) people use per 1,000 per year.
//
// A rate with an empty Segment is the service's base rate: it applies to
// people who are in no segment with a rate of their own. A rate with a
// Segment ("coverage/amo") applies to that segment's people. All segment
// rates of one service must be in one dimension ("coverage"), so nobody is
// counted twice.
//
// Setting narrows a rate to urban or rural areas. For a given person the
// most specific rate wins: segment and setting, then segment, then base
// rate and setting, then base rate.
type Rate struct {
	Service     gst.ServiceID `json:"service"`
	Segment     string        `json:"segment,omitempty"`
	Setting     Setting       `json:"setting,omitempty"`
	PerThousand float64       `json:"per_thousand"`
}

// MissingSegments says what Demand does with an area that has no breakdown
// in the dimension of a service's segment rates (for example an area with
// no "coverage/…" segments while the rates distinguish AMO from
// AMO-Tadamon). People are never dropped: each rule either rates them or
// reports an error.
type MissingSegments int

const (
	// BaseRateForAll applies the service's base rate to the whole
	// population of such an area. It is an error when the service has no
	// base rate for the area's setting.
	BaseRateForAll MissingSegments = iota
	// RegionShares splits such an area's population by the region's
	// shares of each segment, measured over the areas that have the
	// breakdown (population-weighted), then applies the segment rates.
	// The share in no segment gets the base rate.
	RegionShares
	// RejectMissing makes such an area an error.
	RejectMissing
)

// String returns "base-rate", "region-shares" or "reject".
func (m MissingSegments) String() string {
	switch m {
	case BaseRateForAll:
		return "base-rate"
	case RegionShares:
		return "region-shares"
	case RejectMissing:
		return "reject"
	}
	return fmt.Sprintf("MissingSegments(%d)", int(m))
}

// MarshalText encodes the rule as its String form.
func (m MissingSegments) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// DemandOptions tune Demand. A nil *DemandOptions uses the defaults.
type DemandOptions struct {
	// Projection, when not nil, carries every area's population to a
	// target year (see Project) before the rates are applied. Default nil:
	// the populations as given.
	Projection *Projection
	// Missing is the rule for areas without the segment breakdown a
	// service's rates need. Default BaseRateForAll.
	Missing MissingSegments
}

// SegmentDemand is the part of one area's demand for one service that
// comes from one segment of the dimension of the service's rates. Segment
// is empty for people in no segment of that dimension (and for every
// person when the service has only base rates); they use the base rate.
type SegmentDemand struct {
	Area    gst.AreaID    `json:"area"`
	Service gst.ServiceID `json:"service"`
	Segment string        `json:"segment,omitempty"`
	// People is the population counted, PerThousand the rate applied and
	// Volume = People × PerThousand / 1000.
	People      float64 `json:"people"`
	PerThousand float64 `json:"per_thousand"`
	Volume      float64 `json:"volume"`
	// Estimated is true when People comes from region shares rather than
	// the area's own breakdown.
	Estimated bool `json:"estimated,omitempty"`
}

// Fallback records an area whose demand for a service was computed by the
// MissingSegments rule.
type Fallback struct {
	Area      gst.AreaID    `json:"area"`
	Service   gst.ServiceID `json:"service"`
	Dimension string        `json:"dimension"`
	Rule      string        `json:"rule"`
	People    float64       `json:"people"`
}

// DemandResult is the annual demand of a region's areas.
type DemandResult struct {
	// Table holds one row per area and rated service: the volume the
	// allocate and pathway packages consume.
	Table *gst.DemandTable `json:"table"`
	// Year is the year of the volumes: the projection's target year, or
	// the areas' common base year (0 when they differ or are unknown).
	Year int `json:"year"`
	// Segments breaks every row down by segment, sorted by area, service
	// and segment; their volumes add up to the table's.
	Segments []SegmentDemand `json:"segments"`
	// Fallbacks lists the areas and services where the MissingSegments
	// rule applied, sorted by area then service.
	Fallbacks []Fallback `json:"fallbacks,omitempty"`
	// RegionShares holds the shares used by RegionShares, by dimension
	// then segment (nil otherwise).
	RegionShares map[string]map[string]float64 `json:"region_shares,omitempty"`
	// Projection explains the projection (nil when none was asked for).
	Projection *ProjectionReport `json:"projection,omitempty"`
	// Population is the total population rated.
	Population float64 `json:"population"`
}

// serviceRates is the rate book of one service.
type serviceRates struct {
	id        gst.ServiceID
	dimension string // "" when the service has no segment rates
	hasSeg    bool
	base      [3]*float64
	seg       map[string]*[3]*float64
}

func (sr *serviceRates) baseFor(urban bool) (float64, bool) {
	s := RuralOnly
	if urban {
		s = UrbanOnly
	}
	if v := sr.base[s]; v != nil {
		return *v, true
	}
	if v := sr.base[AnySetting]; v != nil {
		return *v, true
	}
	return 0, false
}

func (sr *serviceRates) segFor(name string, urban bool) (float64, bool) {
	t, ok := sr.seg[name]
	if !ok {
		return 0, false
	}
	s := RuralOnly
	if urban {
		s = UrbanOnly
	}
	if v := t[s]; v != nil {
		return *v, true
	}
	if v := t[AnySetting]; v != nil {
		return *v, true
	}
	return 0, false
}

// buildRates validates the rates against the region and returns the rate
// books sorted by service ID.
func buildRates(r *gst.Region, rates []Rate, p *gst.Problems) []*serviceRates {
	if len(rates) == 0 {
		p.Add("rates", "", errors.New("at least one rate is needed"))
		return nil
	}
	segExists := map[string]bool{}
	for _, a := range r.Areas {
		for _, s := range a.Segments {
			segExists[s.Name] = true
		}
	}
	book := map[gst.ServiceID]*serviceRates{}
	for i, rt := range rates {
		w := whereIndexed("rate", i, fmt.Sprintf("service %q, segment %q, setting %s", rt.Service, rt.Segment, rt.Setting))
		bad := false
		if rt.Service == "" {
			p.Addf(w, "service", "must not be empty")
			bad = true
		} else if _, ok := r.Service(rt.Service); !ok {
			p.Addf(w, "service", "unknown service %q", rt.Service)
			bad = true
		}
		if rt.Setting < AnySetting || rt.Setting > RuralOnly {
			p.Addf(w, "setting", "unknown setting %d", int(rt.Setting))
			bad = true
		}
		if !finite(rt.PerThousand) || rt.PerThousand < 0 {
			p.Addf(w, "per_thousand", "must be a finite rate >= 0 per 1,000 per year, got %v", rt.PerThousand)
			bad = true
		}
		if rt.Segment != "" && !segExists[rt.Segment] {
			p.Addf(w, "segment", "no area of the region has segment %q", rt.Segment)
			bad = true
		}
		if bad {
			continue
		}
		sr := book[rt.Service]
		if sr == nil {
			sr = &serviceRates{id: rt.Service, seg: map[string]*[3]*float64{}}
			book[rt.Service] = sr
		}
		v := rt.PerThousand
		if rt.Segment == "" {
			if sr.base[rt.Setting] != nil {
				p.Addf(w, "", "a base rate for this service and setting is given twice")
				continue
			}
			sr.base[rt.Setting] = &v
			continue
		}
		dim := gst.SegmentDimension(rt.Segment)
		if sr.hasSeg && dim != sr.dimension {
			p.Addf(w, "segment", "segment rates of service %q mix dimensions %q and %q; people would be counted twice", rt.Service, sr.dimension, dim)
			continue
		}
		sr.hasSeg, sr.dimension = true, dim
		t := sr.seg[rt.Segment]
		if t == nil {
			t = &[3]*float64{}
			sr.seg[rt.Segment] = t
		}
		if t[rt.Setting] != nil {
			p.Addf(w, "", "a rate for this service, segment and setting is given twice")
			continue
		}
		t[rt.Setting] = &v
	}
	out := make([]*serviceRates, 0, len(book))
	for _, sr := range book {
		out = append(out, sr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// regionShares returns, for a dimension, each segment's share of the
// population of the areas that have that dimension's breakdown.
func regionShares(r *gst.Region, dim string) (map[string]float64, bool) {
	var total float64
	sums := map[string]float64{}
	for _, a := range r.Areas {
		has := false
		for _, s := range a.Segments {
			if gst.SegmentDimension(s.Name) == dim {
				sums[s.Name] += s.Population
				has = true
			}
		}
		if has {
			total += a.Population
		}
	}
	if total <= 0 {
		return nil, false
	}
	for k := range sums {
		sums[k] /= total
	}
	return sums, true
}

// Demand computes each area's annual volume of every service that has a
// rate: the sum over the area's people of population × rate / 1,000, each
// person rated by the most specific rate that fits (see Rate), after an
// optional projection to a target year. It returns the shared demand table
// and a breakdown by segment.
//
// Every problem is reported at once as *gst.ValidationError values
// (errors.Is(err, gst.ErrInvalid)): rates that are negative or not finite,
// unknown services, a segment no area has, segment rates mixing
// dimensions, duplicates, and areas where some people would get no rate
// (for example a rural area when the only base rate is urban).
func Demand(r *gst.Region, rates []Rate, opt *DemandOptions) (*DemandResult, error) {
	res, _, err := demand(r, rates, opt, true)
	return res, err
}

// demand is Demand; it validates the region when check is true and also
// returns the region the volumes were computed on (projected or not).
func demand(r *gst.Region, rates []Rate, opt *DemandOptions, check bool) (*DemandResult, *gst.Region, error) {
	if check {
		if err := checkRegion(r); err != nil {
			return nil, nil, err
		}
	}
	if opt == nil {
		opt = &DemandOptions{}
	}
	var p gst.Problems
	if opt.Missing < BaseRateForAll || opt.Missing > RejectMissing {
		p.Addf("demand options", "missing", "unknown rule %d", int(opt.Missing))
	}
	book := buildRates(r, rates, &p)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	res := &DemandResult{}
	r, err := res.populationYear(r, opt)
	if err != nil {
		return nil, nil, err
	}
	dc := &demandCalc{p: &p, opt: opt, book: book, res: res, shares: res.regionShares(r, book, opt)}
	rows := dc.rows(r)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	t, err := gst.NewDemandTable(rows)
	if err != nil {
		return nil, nil, err
	}
	res.Table = t
	res.Segments = dc.segRows
	sort.SliceStable(res.Fallbacks, func(i, j int) bool {
		if res.Fallbacks[i].Area != res.Fallbacks[j].Area {
			return res.Fallbacks[i].Area < res.Fallbacks[j].Area
		}
		return res.Fallbacks[i].Service < res.Fallbacks[j].Service
	})
	return res, r, nil
}

// populationYear projects the region when the options ask for it, and
// sets the year of the demand: the projection's, or the areas' when they
// all have the same.
func (res *DemandResult) populationYear(r *gst.Region, opt *DemandOptions) (*gst.Region, error) {
	if opt.Projection != nil {
		pr, rep, err := project(r, opt.Projection, false)
		if err != nil {
			return nil, err
		}
		res.Projection, res.Year = rep, rep.TargetYear
		return pr, nil
	}
	if len(r.Areas) > 0 {
		res.Year = r.Areas[0].Year
		for _, a := range r.Areas {
			if a.Year != res.Year {
				res.Year = 0
				break
			}
		}
	}
	return r, nil
}

// regionShares returns, with the RegionShares rule, the region's shares
// of each segment dimension the rates use, for the areas without the
// breakdown.
func (res *DemandResult) regionShares(r *gst.Region, book []*serviceRates, opt *DemandOptions) map[string]map[string]float64 {
	shares := map[string]map[string]float64{}
	if opt.Missing != RegionShares {
		return shares
	}
	for _, sr := range book {
		if !sr.hasSeg {
			continue
		}
		if _, done := shares[sr.dimension]; done {
			continue
		}
		if sh, ok := regionShares(r, sr.dimension); ok {
			shares[sr.dimension] = sh
		}
	}
	if len(shares) > 0 {
		res.RegionShares = shares
	}
	return shares
}

// demandCalc computes the demand of each area and service.
type demandCalc struct {
	p       *gst.Problems
	opt     *DemandOptions
	book    []*serviceRates
	res     *DemandResult
	shares  map[string]map[string]float64
	segRows []SegmentDemand
	parts   []segPart
}

// segPart is the people of an area in a segment.
type segPart struct {
	name   string
	people float64
}

// rows returns the demand of every area (in ID order) and service (sorted),
// which is the table's order, and collects the segment rows.
func (dc *demandCalc) rows(r *gst.Region) []gst.Demand {
	rows := make([]gst.Demand, 0, len(r.Areas)*len(dc.book))
	nRows := 0
	for _, sr := range dc.book {
		nRows += 1 + len(sr.seg)
	}
	dc.segRows = make([]SegmentDemand, 0, len(r.Areas)*nRows)
	order := make([]int, len(r.Areas))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return r.Areas[order[i]].ID < r.Areas[order[j]].ID })
	for _, ai := range order {
		a := &r.Areas[ai]
		dc.res.Population += a.Population
		for _, sr := range dc.book {
			start := len(dc.segRows)
			total, ok := dc.areaService(a, sr)
			if !ok {
				continue
			}
			// Keep the segment rows of this (area, service) sorted with the
			// base-rate row ("") first.
			sub := dc.segRows[start:]
			sort.SliceStable(sub, func(i, j int) bool { return sub[i].Segment < sub[j].Segment })
			rows = append(rows, gst.Demand{Area: a.ID, Service: sr.id, Volume: total})
		}
	}
	return rows
}

// areaService adds the segment rows of an area and a service and returns
// their total; false when a problem leaves the service without rows.
func (dc *demandCalc) areaService(a *gst.Area, sr *serviceRates) (float64, bool) {
	var total float64
	start := len(dc.segRows)
	add := func(seg string, people, rate float64, est bool) {
		v := people * rate / 1000
		total += v
		dc.segRows = append(dc.segRows, SegmentDemand{Area: a.ID, Service: sr.id, Segment: seg, People: people, PerThousand: rate, Volume: v, Estimated: est})
	}
	noRate := func(people float64, who string) {
		dc.p.Addf(fmt.Sprintf("area %q", a.ID), "segments", "%s people %s have no rate for service %q in a %s area: give a base rate for the service (segment \"\", setting any or %s)",
			msgtext.Number(people), who, sr.id, settingName(a.Urban), settingName(a.Urban))
	}
	if !sr.hasSeg {
		if v, ok := sr.baseFor(a.Urban); ok {
			add("", a.Population, v, false)
		} else if a.Population > 0 {
			noRate(a.Population, "of the area")
		} else {
			add("", 0, 0, false)
		}
		return total, true
	}
	inSeg, est, ok := dc.segmentParts(a, sr)
	if !ok {
		return 0, false
	}
	for _, pt := range dc.parts {
		if v, ok := sr.segFor(pt.name, a.Urban); ok {
			add(pt.name, pt.people, v, est)
		} else if v, ok := sr.baseFor(a.Urban); ok {
			// A segment without a rate of its own uses the base rate but
			// keeps its name, so payers stay visible.
			add(pt.name, pt.people, v, est)
		} else if pt.people > 0 {
			noRate(pt.people, fmt.Sprintf("of segment %q", pt.name))
		}
	}
	// The people outside any rated segment take the base rate.
	if rest := math.Max(0, a.Population-inSeg); rest > 1e-9*(1+a.Population) {
		if v, ok := sr.baseFor(a.Urban); ok {
			add("", rest, v, est)
		} else {
			noRate(rest, "outside the rated segments")
		}
	}
	if len(dc.segRows) == start {
		add("", 0, 0, false)
	}
	return total, true
}

// segmentParts lists, sorted, the people of an area in the segments of the
// service's dimension, or, when the area has no breakdown, by the rule of
// the options (RegionShares estimates them, RejectMissing refuses; both
// record a fallback). It returns the people in segments, whether they are
// estimated, and false when the rule refuses.
func (dc *demandCalc) segmentParts(a *gst.Area, sr *serviceRates) (float64, bool, bool) {
	dc.parts = dc.parts[:0]
	var inSeg float64
	for _, s := range a.Segments {
		if gst.SegmentDimension(s.Name) == sr.dimension {
			dc.parts = append(dc.parts, segPart{s.Name, s.Population})
			inSeg += s.Population
		}
	}
	est := false
	if len(dc.parts) == 0 && a.Population > 0 {
		wa := fmt.Sprintf("area %q", a.ID)
		fb := Fallback{Area: a.ID, Service: sr.id, Dimension: sr.dimension, Rule: dc.opt.Missing.String(), People: a.Population}
		switch dc.opt.Missing {
		case RejectMissing:
			dc.p.Addf(wa, "segments", "service %q has rates by %q segment but the area has no %q breakdown", sr.id, sr.dimension, sr.dimension)
			return 0, false, false
		case RegionShares:
			sh, ok := dc.shares[sr.dimension]
			if !ok {
				dc.p.Addf(wa, "segments", "no area of the region has a %q breakdown to take shares from", sr.dimension)
				return 0, false, false
			}
			names := make([]string, 0, len(sh))
			for n := range sh {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				dc.parts = append(dc.parts, segPart{n, a.Population * sh[n]})
				inSeg += a.Population * sh[n]
			}
			est = true
		}
		dc.res.Fallbacks = append(dc.res.Fallbacks, fb)
	}
	sort.Slice(dc.parts, func(i, j int) bool { return dc.parts[i].name < dc.parts[j].name })
	return inSeg, est, true
}

func settingName(urban bool) string {
	if urban {
		return "urban"
	}
	return "rural"
}
