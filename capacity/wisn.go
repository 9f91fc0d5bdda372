package capacity

import (
	"errors"
	"fmt"
	"sort"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/msgtext"
)

// Period is the time base of an allowance given as time per period.
type Period int

const (
	PerYear Period = iota
	PerMonth
	PerWeek
	PerDay
)

// String returns "year", "month", "week" or "day".
func (p Period) String() string {
	switch p {
	case PerYear:
		return "year"
	case PerMonth:
		return "month"
	case PerWeek:
		return "week"
	case PerDay:
		return "day"
	}
	return fmt.Sprintf("Period(%d)", int(p))
}

// MarshalText encodes the period as its String form.
func (p Period) MarshalText() ([]byte, error) {
	if p < PerYear || p > PerDay {
		return nil, fmt.Errorf("%w: unknown period %d", gst.ErrInvalid, int(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes "year" (or ""), "month", "week" or "day".
func (p *Period) UnmarshalText(b []byte) error {
	switch string(b) {
	case "", "year":
		*p = PerYear
	case "month":
		*p = PerMonth
	case "week":
		*p = PerWeek
	case "day":
		*p = PerDay
	default:
		return fmt.Errorf("%w: unknown period %q (want year, month, week or day)", gst.ErrInvalid, b)
	}
	return nil
}

// DefaultDaysPerWeek is the working week used to convert weekly
// allowances when WorkingTime.DaysPerWeek is zero.
const DefaultDaysPerWeek = 5

// WorkingTime gives the available working time (AWT) of one full-time
// worker of a category, WISN step 2:
//
//	AWT = [A − (B + C + D + E)] × F
//
// with A the possible working days in a year, B public holidays, C annual
// leave, D sick leave, E other leave (training, maternity…), all in days,
// and F the working hours of a day.
type WorkingTime struct {
	WorkingDays    float64 `json:"working_days"`    // A, for example 52 × 5 = 260
	PublicHolidays float64 `json:"public_holidays"` // B
	AnnualLeave    float64 `json:"annual_leave"`    // C
	SickLeave      float64 `json:"sick_leave"`      // D
	OtherLeave     float64 `json:"other_leave"`     // E
	HoursPerDay    float64 `json:"hours_per_day"`   // F
	// DaysPerWeek converts weekly allowances. Default DefaultDaysPerWeek (5).
	DaysPerWeek float64 `json:"days_per_week,omitempty"`
}

// AvailableDays returns A − (B + C + D + E).
func (w WorkingTime) AvailableDays() float64 {
	return w.WorkingDays - (w.PublicHolidays + w.AnnualLeave + w.SickLeave + w.OtherLeave)
}

// AvailableHours returns the available working time in hours per year:
// AvailableDays × HoursPerDay.
func (w WorkingTime) AvailableHours() float64 { return w.AvailableDays() * w.HoursPerDay }

func (w WorkingTime) daysPerWeek() float64 {
	if w.DaysPerWeek == 0 {
		return DefaultDaysPerWeek
	}
	return w.DaysPerWeek
}

func (w WorkingTime) validate(p *gst.Problems, where string) {
	p.CheckPositive(where, "working_days", w.WorkingDays)
	p.CheckNonNegative(where, "public_holidays", w.PublicHolidays)
	p.CheckNonNegative(where, "annual_leave", w.AnnualLeave)
	p.CheckNonNegative(where, "sick_leave", w.SickLeave)
	p.CheckNonNegative(where, "other_leave", w.OtherLeave)
	p.CheckPositive(where, "hours_per_day", w.HoursPerDay)
	if w.HoursPerDay > 24 {
		p.Addf(where, "hours_per_day", "must be at most 24, got %v", w.HoursPerDay)
	}
	if w.WorkingDays > 366 {
		p.Addf(where, "working_days", "must be at most 366, got %v", w.WorkingDays)
	}
	if w.DaysPerWeek != 0 && (!finite(w.DaysPerWeek) || w.DaysPerWeek <= 0 || w.DaysPerWeek > 7) {
		p.Addf(where, "days_per_week", "must be in (0, 7], got %v", w.DaysPerWeek)
	}
	if d := w.AvailableDays(); finite(d) && d <= 0 {
		p.Addf(where, "", "holidays and leave (%s days) leave no working time out of %s days", msgtext.Number(w.PublicHolidays+w.AnnualLeave+w.SickLeave+w.OtherLeave), msgtext.Number(w.WorkingDays))
	}
}

// ServiceStandard is a health-service activity of a category with its
// service (activity) standard: the time one worker needs per unit of the
// activity, or the units one worker completes per hour (exactly one of the
// two). The standard workload of the activity is the units one worker can
// do in a year:
//
//	standard workload = AWT × 60 / MinutesPerUnit  (or AWT × UnitsPerHour).
type ServiceStandard struct {
	// Activity names the activity, unique within the category.
	Activity string `json:"activity"`
	// Service, when set, drives the activity's annual workload from the
	// establishment's volume of that service (see WISNInput.Volumes):
	// workload = volume × UnitsPerService.
	Service gst.ServiceID `json:"service,omitempty"`
	// UnitsPerService is how many units of the activity one unit of the
	// service brings (for example 4 antenatal visits per delivery).
	// Default 1; only used with Service.
	UnitsPerService float64 `json:"units_per_service,omitempty"`
	// MinutesPerUnit is the activity standard as a unit time.
	MinutesPerUnit float64 `json:"minutes_per_unit,omitempty"`
	// UnitsPerHour is the activity standard as a rate.
	UnitsPerHour float64 `json:"units_per_hour,omitempty"`
}

// StandardWorkload returns the activity's standard workload for the given
// available working time in hours.
func (s ServiceStandard) StandardWorkload(awtHours float64) float64 {
	if s.UnitsPerHour > 0 {
		return awtHours * s.UnitsPerHour
	}
	return awtHours * 60 / s.MinutesPerUnit
}

// CategoryAllowance is a support activity done by every worker of the
// category (a category allowance standard, CAS): either a percentage of
// working time, or a time per period (exactly one of the two). Time per
// period converts to a percentage as in the WISN manual's worksheets:
// per day against the working day (HoursPerDay), per week against the
// working week (HoursPerDay × DaysPerWeek), per month (× 12) and per year
// against the AWT.
type CategoryAllowance struct {
	Activity string  `json:"activity"`
	Percent  float64 `json:"percent,omitempty"`
	Hours    float64 `json:"hours,omitempty"`
	Per      Period  `json:"per,omitempty"`
}

// percent returns the allowance as a percentage of working time.
func (c CategoryAllowance) percent(w WorkingTime) float64 {
	if c.Hours == 0 {
		return c.Percent
	}
	switch c.Per {
	case PerDay:
		return c.Hours / w.HoursPerDay * 100
	case PerWeek:
		return c.Hours / (w.HoursPerDay * w.daysPerWeek()) * 100
	case PerMonth:
		return c.Hours * 12 / w.AvailableHours() * 100
	default:
		return c.Hours / w.AvailableHours() * 100
	}
}

// IndividualAllowance is an additional activity done by some workers of
// the category only (an individual allowance standard, IAS): Staff
// workers each spend Hours per period on it. Time per period converts to
// hours per year with the worker's available time: per day × available
// days, per week × available days / DaysPerWeek, per month × 12, per year
// × 1.
type IndividualAllowance struct {
	Activity string  `json:"activity"`
	Staff    float64 `json:"staff"`
	Hours    float64 `json:"hours"`
	Per      Period  `json:"per,omitempty"`
}

// hoursPerYear returns the allowance's total hours per year (all its staff).
func (ia IndividualAllowance) hoursPerYear(w WorkingTime) float64 {
	h := ia.Hours
	switch ia.Per {
	case PerDay:
		h *= w.AvailableDays()
	case PerWeek:
		h *= w.AvailableDays() / w.daysPerWeek()
	case PerMonth:
		h *= 12
	}
	return h * ia.Staff
}

func checkPeriod(p *gst.Problems, where string, per Period) {
	if per < PerYear || per > PerDay {
		p.Addf(where, "per", "unknown period %d", int(per))
	}
}

// CategoryStandards holds the WISN standards of one staff category: its
// working time, its health-service activities with their service
// standards, and its category and individual allowances.
type CategoryStandards struct {
	Category   gst.CategoryID        `json:"category"`
	Time       WorkingTime           `json:"time"`
	Services   []ServiceStandard     `json:"services"`
	Allowances []CategoryAllowance   `json:"allowances,omitempty"`
	Individual []IndividualAllowance `json:"individual,omitempty"`
}

// Validate checks the standards on their own: working time, positive
// standards, unique activity names, allowances that are positive and a
// total CAS below 100 %.
func (cs *CategoryStandards) Validate() error {
	var p gst.Problems
	cs.validate(&p, fmt.Sprintf("standards of category %q", cs.Category))
	return p.Err()
}

func (cs *CategoryStandards) validate(p *gst.Problems, where string) {
	if cs.Category == "" {
		p.Addf(where, "category", "must not be empty")
	}
	n0 := p.Len()
	cs.Time.validate(p, where+" time")
	timeOK := p.Len() == n0
	seen := map[string]bool{}
	for i, s := range cs.Services {
		w := fmt.Sprintf("%s service activity %q", where, s.Activity)
		if s.Activity == "" {
			w = fmt.Sprintf("%s service activity #%d", where, i+1)
			p.Addf(w, "activity", "must not be empty")
		} else if seen[s.Activity] {
			p.Addf(w, "activity", "listed twice")
		}
		seen[s.Activity] = true
		switch {
		case s.MinutesPerUnit != 0 && s.UnitsPerHour != 0:
			p.Addf(w, "", "give minutes_per_unit or units_per_hour, not both")
		case s.UnitsPerHour != 0:
			p.CheckPositive(w, "units_per_hour", s.UnitsPerHour)
		default:
			p.CheckPositive(w, "minutes_per_unit", s.MinutesPerUnit)
		}
		if s.UnitsPerService != 0 {
			p.CheckPositive(w, "units_per_service", s.UnitsPerService)
			if s.Service == "" {
				p.Addf(w, "units_per_service", "is only used with a service")
			}
		}
	}
	var total float64
	for i, c := range cs.Allowances {
		w := fmt.Sprintf("%s category allowance %q", where, c.Activity)
		if c.Activity == "" {
			w = fmt.Sprintf("%s category allowance #%d", where, i+1)
		}
		checkPeriod(p, w, c.Per)
		switch {
		case c.Percent != 0 && c.Hours != 0:
			p.Addf(w, "", "give percent or hours per period, not both")
		case c.Hours != 0:
			p.CheckPositive(w, "hours", c.Hours)
		default:
			p.CheckPositive(w, "percent", c.Percent)
		}
		if timeOK {
			total += c.percent(cs.Time)
		}
	}
	if timeOK && (total >= 100 || !finite(total)) {
		p.Addf(where, "allowances", "category allowances take %s %% of working time; they must total less than 100 %%", msgtext.Number(total))
	}
	for i, ia := range cs.Individual {
		checkIndividual(p, fmt.Sprintf("%s individual allowance #%d (%q)", where, i+1, ia.Activity), ia)
	}
}

func checkIndividual(p *gst.Problems, w string, ia IndividualAllowance) {
	checkPeriod(p, w, ia.Per)
	p.CheckPositive(w, "staff", ia.Staff)
	p.CheckPositive(w, "hours", ia.Hours)
}

// ActivityWorkload is the annual workload of one health-service activity.
type ActivityWorkload struct {
	Activity string  `json:"activity"`
	Volume   float64 `json:"volume"`
}

// ActivityStaff explains one activity of a calculation.
type ActivityStaff struct {
	Activity string `json:"activity"`
	// Workload is the annual volume, StandardWorkload the volume one
	// worker can do in a year, Staff = Workload / StandardWorkload.
	Workload         float64 `json:"workload"`
	StandardWorkload float64 `json:"standard_workload"`
	Staff            float64 `json:"staff"`
}

// Calculation is the WISN calculation for one category at one
// establishment (steps 2 to 7 of the method):
//
//	Required   = (Σ Workload_i / StandardWorkload_i) × CAF + IAF
//	CAF        = 1 / (1 − CASPercent / 100)
//	IAF        = IASHours / AvailableHours
//	Difference = Actual − Required      (negative: a shortage)
//	Ratio      = Actual / Required      (below 1: workload pressure)
type Calculation struct {
	Category gst.CategoryID `json:"category"`
	// AvailableHours is the AWT of one worker, hours per year.
	AvailableHours float64         `json:"available_hours"`
	Activities     []ActivityStaff `json:"activities,omitempty"`
	// ServiceStaff is the staff the health-service activities need.
	ServiceStaff float64 `json:"service_staff"`
	CASPercent   float64 `json:"cas_percent"`
	CAF          float64 `json:"caf"`
	IASHours     float64 `json:"ias_hours"`
	IAF          float64 `json:"iaf"`
	Required     float64 `json:"required"`
	Actual       float64 `json:"actual"`
	Difference   float64 `json:"difference"`
	// Ratio is nil when Required is zero: there is no workload to set the
	// staff against.
	Ratio *float64 `json:"ratio"`
}

// compiled holds what does not change between establishments.
type compiled struct {
	std      *CategoryStandards
	awt      float64
	cas, caf float64
	ias      float64
	sw       []float64 // standard workload per service activity
	actIx    map[string]int
}

func compile(cs *CategoryStandards) *compiled {
	c := &compiled{std: cs, awt: cs.Time.AvailableHours(), actIx: make(map[string]int, len(cs.Services))}
	for _, a := range cs.Allowances {
		c.cas += a.percent(cs.Time)
	}
	c.caf = 1 / (1 - c.cas/100)
	for _, ia := range cs.Individual {
		c.ias += ia.hoursPerYear(cs.Time)
	}
	c.sw = make([]float64, len(cs.Services))
	for i, s := range cs.Services {
		c.sw[i] = s.StandardWorkload(c.awt)
		c.actIx[s.Activity] = i
	}
	return c
}

// calc runs the calculation with workloads indexed like std.Services and
// extra individual allowance hours.
func (c *compiled) calc(load []float64, extraIAS, actual float64, detail bool) Calculation {
	out := Calculation{Category: c.std.Category, AvailableHours: c.awt, CASPercent: c.cas, CAF: c.caf, Actual: actual}
	if detail {
		out.Activities = make([]ActivityStaff, len(load))
	}
	for i, v := range load {
		s := v / c.sw[i]
		out.ServiceStaff += s
		if detail {
			out.Activities[i] = ActivityStaff{Activity: c.std.Services[i].Activity, Workload: v, StandardWorkload: c.sw[i], Staff: s}
		}
	}
	out.IASHours = c.ias + extraIAS
	out.IAF = out.IASHours / c.awt
	out.Required = out.ServiceStaff*c.caf + out.IAF
	out.Difference = actual - out.Required
	out.Ratio = ratio(actual, out.Required)
	return out
}

// Calculate runs the WISN calculation for one category: the workloads of
// its health-service activities (by activity name; activities not listed
// have no workload), extra individual allowances on top of those in the
// standards, and the actual staff in FTE.
func Calculate(cs *CategoryStandards, workloads []ActivityWorkload, extra []IndividualAllowance, actual float64) (*Calculation, error) {
	var p gst.Problems
	if cs == nil {
		p.Add("standards", "", errors.New("must not be nil"))
		return nil, p.Err()
	}
	cs.validate(&p, fmt.Sprintf("standards of category %q", cs.Category))
	p.CheckNonNegative("calculation", "actual", actual)
	if err := p.Err(); err != nil {
		return nil, err
	}
	c := compile(cs)
	load := make([]float64, len(cs.Services))
	for i, w := range workloads {
		wh := whereIndexed("workload", i, fmt.Sprintf("activity %q", w.Activity))
		j, ok := c.actIx[w.Activity]
		if !ok {
			p.Addf(wh, "activity", "category %q has no health-service activity %q", cs.Category, w.Activity)
			continue
		}
		p.CheckNonNegative(wh, "volume", w.Volume)
		load[j] += w.Volume
	}
	var extraIAS float64
	for i, ia := range extra {
		checkIndividual(&p, whereIndexed("individual allowance", i, fmt.Sprintf("activity %q", ia.Activity)), ia)
		extraIAS += ia.hoursPerYear(cs.Time)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	out := c.calc(load, extraIAS, actual, true)
	return &out, nil
}

// Workload is the annual volume of one health-service activity of one
// category at one establishment, given directly.
type Workload struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Category      gst.CategoryID      `json:"category"`
	Activity      string              `json:"activity"`
	Volume        float64             `json:"volume"`
}

// EstablishmentAllowance is an individual allowance of one category at one
// establishment (for example the head midwife's supervision there).
type EstablishmentAllowance struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Category      gst.CategoryID      `json:"category"`
	IndividualAllowance
}

// WISNInput is what WISN needs beyond the region.
type WISNInput struct {
	// Standards lists the standards of each category to assess (each
	// category at most once).
	Standards []CategoryStandards `json:"standards"`
	// Volumes holds each establishment's annual volume by service (for
	// example from Attribute); it drives every activity linked to a
	// service. Nil when all workloads are given in Workloads.
	Volumes *Volumes `json:"volumes,omitempty"`
	// Workloads adds activity workloads given directly.
	Workloads []Workload `json:"workloads,omitempty"`
	// Individual adds individual allowances at single establishments, on
	// top of those in the standards (which apply at every establishment
	// assessed).
	Individual []EstablishmentAllowance `json:"individual,omitempty"`
}

// WISNOptions tune WISN. A nil *WISNOptions uses the defaults.
type WISNOptions struct {
	// Detail keeps each row's per-activity breakdown. Default false.
	Detail bool
	// IncludeCandidates assesses candidate sites too. Default false:
	// candidates have no staff and no activity yet.
	IncludeCandidates bool
}

// WISNRow is the calculation for one category at one establishment.
type WISNRow struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Province      gst.ProvinceID      `json:"province,omitempty"`
	Calculation
}

// WISNResult holds the rows sorted by establishment then category.
type WISNResult struct {
	Rows []WISNRow `json:"rows"`
	// Standards sums up each category: AWT, CAS, CAF and IAS of the
	// standards (before establishment allowances), sorted by category.
	Standards []Calculation `json:"standards"`
	// Required and Actual are the totals over all rows, in FTE.
	Required float64 `json:"required"`
	Actual   float64 `json:"actual"`
}

// Need returns the required FTE of every row, for Gaps and StaffCost.
func (w *WISNResult) Need() []StaffFTE {
	out := make([]StaffFTE, len(w.Rows))
	for i, r := range w.Rows {
		out[i] = StaffFTE{Establishment: r.Establishment, Category: r.Category, FTE: r.Required}
	}
	return out
}

// WISN runs the WISN calculation for every category with standards at
// every establishment where the category has a workload, staff on roll or
// an establishment allowance. Actual staff is the FTE on the
// establishment's roll. Activities linked to a service take their
// workload from in.Volumes; Workloads add to them.
//
// Every problem is reported at once (errors.Is(err, gst.ErrInvalid)):
// invalid standards, unknown categories, establishments, services or
// activities, negative volumes, a category given twice.
func WISN(r *gst.Region, in *WISNInput, opt *WISNOptions) (*WISNResult, error) {
	return wisn(r, in, opt, true)
}

func wisn(r *gst.Region, in *WISNInput, opt *WISNOptions, check bool) (*WISNResult, error) {
	if check {
		if err := checkRegion(r); err != nil {
			return nil, err
		}
	}
	var p gst.Problems
	if in == nil {
		p.Add("WISN input", "", errors.New("must not be nil"))
		return nil, p.Err()
	}
	if opt == nil {
		opt = &WISNOptions{}
	}
	w := &wisnCalc{r: r, in: in, opt: opt, p: &p}
	w.checkStandards()
	w.checkVolumes()
	w.checkWorkloads()
	if err := p.Err(); err != nil {
		return nil, err
	}
	res := &WISNResult{}
	w.compileStandards(res)
	w.extras()
	w.rows(res)
	return res, nil
}

// posPair is an establishment and a category, by their positions.
type posPair struct{ e, c int }

// wisnCalc holds the standards of a WISN calculation and the workloads it
// adds to the volumes.
type wisnCalc struct {
	r   *gst.Region
	in  *WISNInput
	opt *WISNOptions
	p   *gst.Problems

	stds   []*CategoryStandards
	byCat  map[gst.CategoryID]int
	comp   []*compiled
	order  []int                 // the standards in category order
	direct map[posPair][]float64 // workloads by activity
	extra  map[posPair]float64   // individual allowances, hours a year
}

// checkStandards checks the standards of each category and their
// services.
func (w *wisnCalc) checkStandards() {
	r, in, p := w.r, w.in, w.p
	if len(in.Standards) == 0 {
		p.Add("WISN input", "standards", errors.New("at least one category's standards are needed"))
	}
	w.stds = make([]*CategoryStandards, 0, len(in.Standards))
	w.byCat = map[gst.CategoryID]int{}
	for i := range in.Standards {
		cs := &in.Standards[i]
		wh := whereIndexed("standards", i, fmt.Sprintf("category %q", cs.Category))
		cs.validate(p, wh)
		if cs.Category != "" {
			if _, ok := r.Category(cs.Category); !ok {
				p.Addf(wh, "category", "unknown category %q", cs.Category)
			}
			if _, dup := w.byCat[cs.Category]; dup {
				p.Addf(wh, "category", "standards for category %q are given twice", cs.Category)
			}
		}
		for j, s := range cs.Services {
			if s.Service != "" {
				if _, ok := r.Service(s.Service); !ok {
					p.Addf(fmt.Sprintf("%s service activity #%d (%q)", wh, j+1, s.Activity), "service", "unknown service %q", s.Service)
				}
			}
		}
		w.byCat[cs.Category] = len(w.stds)
		w.stds = append(w.stds, cs)
	}
}

// checkVolumes checks that the volumes name establishments and services
// of the region.
func (w *wisnCalc) checkVolumes() {
	if w.in.Volumes == nil {
		return
	}
	for _, v := range w.in.Volumes.Rows() {
		_, okE := w.r.EstablishmentIndex(v.Establishment)
		_, okS := w.r.ServiceIndex(v.Service)
		if okE && okS {
			continue
		}
		wh := fmt.Sprintf("volume (establishment %q, service %q)", v.Establishment, v.Service)
		if !okE {
			w.p.Addf(wh, "establishment", "unknown establishment %q", v.Establishment)
		}
		if !okS {
			w.p.Addf(wh, "service", "unknown service %q", v.Service)
		}
	}
}

// checkWorkloads checks the direct workloads and the individual
// allowances of establishments.
func (w *wisnCalc) checkWorkloads() {
	r, in, p := w.r, w.in, w.p
	for i, wl := range in.Workloads {
		wh := whereIndexed("workload", i, fmt.Sprintf("establishment %q, category %q, activity %q", wl.Establishment, wl.Category, wl.Activity))
		if _, ok := r.Establishment(wl.Establishment); !ok {
			p.Addf(wh, "establishment", "unknown establishment %q", wl.Establishment)
		}
		p.CheckNonNegative(wh, "volume", wl.Volume)
		ci, ok := w.byCat[wl.Category]
		if !ok {
			p.Addf(wh, "category", "no standards are given for category %q", wl.Category)
			continue
		}
		found := false
		for _, s := range w.stds[ci].Services {
			if s.Activity == wl.Activity {
				found = true
				break
			}
		}
		if !found {
			p.Addf(wh, "activity", "category %q has no health-service activity %q", wl.Category, wl.Activity)
		}
	}
	for i, ea := range in.Individual {
		wh := whereIndexed("establishment allowance", i, fmt.Sprintf("establishment %q, category %q, activity %q", ea.Establishment, ea.Category, ea.Activity))
		if _, ok := r.Establishment(ea.Establishment); !ok {
			p.Addf(wh, "establishment", "unknown establishment %q", ea.Establishment)
		}
		if _, ok := w.byCat[ea.Category]; !ok {
			p.Addf(wh, "category", "no standards are given for category %q", ea.Category)
		}
		checkIndividual(p, wh, ea.IndividualAllowance)
	}
}

// compileStandards computes each category's available working time and
// allowances, in category order.
func (w *wisnCalc) compileStandards(res *WISNResult) {
	w.comp = make([]*compiled, len(w.stds))
	w.order = make([]int, len(w.stds))
	for i, cs := range w.stds {
		w.comp[i] = compile(cs)
		w.order[i] = i
	}
	sort.Slice(w.order, func(i, j int) bool { return w.stds[w.order[i]].Category < w.stds[w.order[j]].Category })
	for _, ci := range w.order {
		c := w.comp[ci]
		res.Standards = append(res.Standards, Calculation{Category: c.std.Category, AvailableHours: c.awt, CASPercent: c.cas, CAF: c.caf, IASHours: c.ias, IAF: c.ias / c.awt})
	}
}

// extras indexes the direct workloads and the individual allowances by
// establishment and category.
func (w *wisnCalc) extras() {
	r := w.r
	w.direct = map[posPair][]float64{}
	w.extra = map[posPair]float64{}
	for _, wl := range w.in.Workloads {
		ei, _ := r.EstablishmentIndex(wl.Establishment)
		ci := w.byCat[wl.Category]
		k := posPair{ei, ci}
		v := w.direct[k]
		if v == nil {
			v = make([]float64, len(w.stds[ci].Services))
			w.direct[k] = v
		}
		v[w.comp[ci].actIx[wl.Activity]] += wl.Volume
	}
	for _, ea := range w.in.Individual {
		ei, _ := r.EstablishmentIndex(ea.Establishment)
		ci := w.byCat[ea.Category]
		w.extra[posPair{ei, ci}] += ea.hoursPerYear(w.stds[ci].Time)
	}
}

// rows computes the staff required by each category at each establishment
// (in ID order, candidates only when asked) that has workload, staff or an
// allowance.
func (w *wisnCalc) rows(res *WISNResult) {
	r := w.r
	ids := make([]int, 0, len(r.Establishments))
	for i := range r.Establishments {
		if r.Establishments[i].Candidate && !w.opt.IncludeCandidates {
			continue
		}
		ids = append(ids, i)
	}
	sort.Slice(ids, func(a, b int) bool { return r.Establishments[ids[a]].ID < r.Establishments[ids[b]].ID })
	load := make([][]float64, len(w.stds))
	for ci := range w.stds {
		load[ci] = make([]float64, len(w.stds[ci].Services))
	}
	res.Rows = make([]WISNRow, 0, len(ids)*len(w.stds))
	for _, ei := range ids {
		e := &r.Establishments[ei]
		for _, ci := range w.order {
			cs := w.stds[ci]
			l := load[ci]
			any := w.workload(e, ei, ci, l)
			actual := e.StaffFTE(cs.Category)
			ex, hasExtra := w.extra[posPair{ei, ci}]
			if !any && actual == 0 && !hasExtra {
				continue
			}
			row := WISNRow{Establishment: e.ID, Province: e.Province, Calculation: w.comp[ci].calc(l, ex, actual, w.opt.Detail)}
			res.Required += row.Required
			res.Actual += row.Actual
			res.Rows = append(res.Rows, row)
		}
	}
}

// workload fills l with the annual workload of each activity of category
// ci at establishment e (volumes of its services, then direct workloads),
// and reports whether any is positive.
func (w *wisnCalc) workload(e *gst.Establishment, ei, ci int, l []float64) bool {
	for j, s := range w.stds[ci].Services {
		l[j] = 0
		if s.Service != "" && w.in.Volumes != nil {
			u := s.UnitsPerService
			if u == 0 {
				u = 1
			}
			l[j] = w.in.Volumes.Volume(e.ID, s.Service) * u
		}
	}
	if d := w.direct[posPair{ei, ci}]; d != nil {
		for j := range l {
			l[j] += d[j]
		}
	}
	for _, v := range l {
		if v > 0 {
			return true
		}
	}
	return false
}
