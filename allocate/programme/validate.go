package programme

import (
	"fmt"
	"math"
	"strings"

	"github.com/gstplan/gst"
)

// MaxHorizonYears is the longest horizon a programme may span.
const MaxHorizonYears = 50

// validate checks the problem and the options and reports every problem at
// once, each as a *gst.ValidationError naming the record and field.
func validate(p *Problem, opt *Options) error {
	var ps gst.Problems
	if p == nil {
		ps.Addf("problem", "", "nil problem")
		return ps.Err()
	}
	if p.Region == nil {
		ps.Addf("problem", "Region", "required")
		return ps.Err()
	}
	p.TravelSource.Check(&ps, "problem")
	if err := p.Region.Validate(); err != nil {
		ps.AddErr(err)
		return ps.Err()
	}
	years := validatePeriods(&ps, p)
	validateDemand(&ps, p, years)
	svcs := validateServices(&ps, p)
	validateModules(&ps, p, svcs)
	validateInstalled(&ps, p)
	validateCategories(&ps, p, years)
	validatePooling(&ps, &p.Pooling)
	validateMoney(&ps, p, years)
	validateEquity(&ps, p, svcs, years)
	validateFixes(&ps, p, svcs, years)
	validateOptions(&ps, opt)
	return ps.Err()
}

// horizonYears returns the set of calendar years the periods cover.
func validatePeriods(ps *gst.Problems, p *Problem) map[int]bool {
	years := map[int]bool{}
	if len(p.Periods) == 0 {
		ps.Addf("problem", "Periods", "required: at least one period")
		return years
	}
	next := p.Periods[0].Start
	for i, per := range p.Periods {
		where := fmt.Sprintf("period %d", i+1)
		n := per.Years
		if n == 0 {
			n = 1
		}
		if n < 0 {
			ps.Addf(where, "Years", "must be >= 1, got %d", per.Years)
			continue
		}
		if per.Start < 1900 || per.Start > 2200 {
			ps.Addf(where, "Start", "%d is not a plausible calendar year", per.Start)
			return years
		}
		if per.Start != next {
			ps.Addf(where, "Start", "%d does not follow the previous period, which ends in %d: periods must be consecutive", per.Start, next-1)
		}
		next = per.Start + n
		for y := per.Start; y < per.Start+n; y++ {
			years[y] = true
		}
	}
	if len(years) > MaxHorizonYears {
		ps.Addf("problem", "Periods", "the horizon spans %d years, more than %d", len(years), MaxHorizonYears)
	}
	if p.BaseYear != 0 && (p.BaseYear > p.Periods[0].Start || p.BaseYear < p.Periods[0].Start-MaxHorizonYears) {
		ps.Addf("problem", "BaseYear", "%d must be at most the first year %d (and not more than %d years before it)", p.BaseYear, p.Periods[0].Start, MaxHorizonYears)
	}
	return years
}

func validateDemand(ps *gst.Problems, p *Problem, years map[int]bool) {
	seen := map[int]bool{}
	for i, d := range p.Demand {
		where := fmt.Sprintf("demand %d (year %d)", i+1, d.Year)
		switch {
		case !years[d.Year]:
			ps.Addf(where, "Year", "%d is not a year of the horizon", d.Year)
		case seen[d.Year]:
			ps.Addf(where, "Year", "a second table for %d", d.Year)
		}
		seen[d.Year] = true
		if d.Table == nil {
			ps.Addf(where, "Table", "required")
			continue
		}
		if err := d.Table.Validate(p.Region); err != nil {
			ps.AddErr(fmt.Errorf("%s: %w", where, err))
		}
	}
	for _, y := range sortedYears(years) {
		if !seen[y] {
			ps.Addf("problem", "Demand", "no demand table for %d: every year of the horizon needs one", y)
		}
	}
}

func validateServices(ps *gst.Problems, p *Problem) map[gst.ServiceID]bool {
	svcs := map[gst.ServiceID]bool{}
	if len(p.Services) == 0 {
		ps.Addf("problem", "Services", "required: at least one service")
	}
	for i, s := range p.Services {
		where := fmt.Sprintf("service rule %d (%q)", i+1, s.Service)
		if _, ok := p.Region.Service(s.Service); !ok {
			ps.Addf(where, "Service", "unknown service %q", s.Service)
		}
		if svcs[s.Service] {
			ps.Addf(where, "Service", "service %q has a second rule", s.Service)
		}
		svcs[s.Service] = true
		ps.CheckPositive(where, "UnservedMAD", s.UnservedMAD)
		for _, f := range []struct {
			name string
			v    float64
		}{{"StandardMinutes", s.StandardMinutes}, {"MaxTravel", s.MaxTravel}, {"TripsPerUnit", s.TripsPerUnit}, {"SetupMAD", s.SetupMAD}, {"CloseMAD", s.CloseMAD}} {
			ps.CheckNonNegative(where, f.name, f.v)
		}
		validateRequirements(ps, p.Region, where, "Team", s.Team)
		if s.Reach < 0 {
			ps.Addf(where, "Reach", "must be >= 0, got %d", s.Reach)
		}
		seen := map[gst.EstablishmentID]bool{}
		for _, id := range s.Sites {
			if _, ok := p.Region.Establishment(id); !ok {
				ps.Addf(where, "Sites", "unknown establishment %q", id)
			}
			if seen[id] {
				ps.Addf(where, "Sites", "establishment %q listed twice", id)
			}
			seen[id] = true
		}
	}
	return svcs
}

func validateModules(ps *gst.Problems, p *Problem, svcs map[gst.ServiceID]bool) {
	ids := map[ModuleID]bool{}
	has := map[gst.ServiceID]bool{}
	for i, m := range p.Modules {
		where := fmt.Sprintf("module %d (%q)", i+1, m.ID)
		if m.ID == "" {
			ps.Addf(where, "ID", "required")
		}
		if ids[m.ID] {
			ps.Addf(where, "ID", "duplicate module ID %q", m.ID)
		}
		ids[m.ID] = true
		if !svcs[m.Service] {
			ps.Addf(where, "Service", "service %q is not a service of the programme", m.Service)
		}
		has[m.Service] = true
		if math.IsNaN(m.Capacity) || math.IsInf(m.Capacity, 0) || m.Capacity <= 0 {
			ps.Addf(where, "Capacity", "a module must serve something: capacity must be a finite number > 0 a year, got %v", m.Capacity)
		}
		ps.CheckNonNegative(where, "CapitalMAD", m.CapitalMAD)
		ps.CheckNonNegative(where, "RunningMAD", m.RunningMAD)
		if m.MaxPerSite < 0 || m.MaxPerSite > 1000 {
			ps.Addf(where, "MaxPerSite", "must be in [0, 1000], got %d", m.MaxPerSite)
		}
		validateRequirements(ps, p.Region, where, "Staff", m.Staff)
	}
	for _, s := range p.Services {
		if svcs[s.Service] && !has[s.Service] {
			ps.Addf(fmt.Sprintf("service rule %q", s.Service), "Modules", "no module type serves it")
		}
	}
}

func validateRequirements(ps *gst.Problems, r *gst.Region, where, field string, reqs []Requirement) {
	cats := map[gst.CategoryID]bool{}
	for _, q := range reqs {
		if _, ok := r.Category(q.Category); !ok {
			ps.Addf(where, field, "unknown category %q", q.Category)
		}
		if cats[q.Category] {
			ps.Addf(where, field, "category %q listed twice", q.Category)
		}
		cats[q.Category] = true
		ps.CheckPositive(where+" "+strings.ToLower(field)+" "+string(q.Category), "FTE", q.FTE)
	}
}

func validateInstalled(ps *gst.Problems, p *Problem) {
	mods := map[ModuleID]bool{}
	for _, m := range p.Modules {
		mods[m.ID] = true
	}
	seen := map[[2]string]bool{}
	for i, in := range p.Installed {
		where := fmt.Sprintf("installed %d (%q, %q)", i+1, in.Establishment, in.Module)
		e, ok := p.Region.Establishment(in.Establishment)
		switch {
		case !ok:
			ps.Addf(where, "Establishment", "unknown establishment %q", in.Establishment)
		case e.Candidate:
			ps.Addf(where, "Establishment", "%q is a candidate site: nothing is installed there today", in.Establishment)
		}
		if !mods[in.Module] {
			ps.Addf(where, "Module", "unknown module %q", in.Module)
		}
		if in.Count < 0 || in.Count > 1000 {
			ps.Addf(where, "Count", "must be in [0, 1000], got %d", in.Count)
		}
		k := [2]string{string(in.Establishment), string(in.Module)}
		if seen[k] {
			ps.Addf(where, "", "listed twice")
		}
		seen[k] = true
	}
}

func validateCategories(ps *gst.Problems, p *Problem, years map[int]bool) {
	seen := map[gst.CategoryID]bool{}
	for i, c := range p.Categories {
		where := fmt.Sprintf("category rule %d (%q)", i+1, c.Category)
		if _, ok := p.Region.Category(c.Category); !ok {
			ps.Addf(where, "Category", "unknown category %q", c.Category)
		}
		if seen[c.Category] {
			ps.Addf(where, "Category", "category %q has a second rule", c.Category)
		}
		seen[c.Category] = true
		if math.IsNaN(c.AttritionRate) || c.AttritionRate < 0 || c.AttritionRate >= 1 {
			ps.Addf(where, "AttritionRate", "must be in [0, 1), got %v", c.AttritionRate)
		}
		ps.CheckNonNegative(where, "RecruitPerYear", c.RecruitPerYear)
		ps.CheckNonNegative(where, "RecruitMAD", c.RecruitMAD)
		ps.CheckNonNegative(where, "SalaryMAD", c.SalaryMAD)
		if c.LeadTimeYears < 0 || c.LeadTimeYears > MaxHorizonYears {
			ps.Addf(where, "LeadTimeYears", "must be in [0, %d], got %d", MaxHorizonYears, c.LeadTimeYears)
		}
	}
	type key struct {
		e    gst.EstablishmentID
		c    gst.CategoryID
		year int
	}
	rows := map[key]bool{}
	for i, c := range p.Committed {
		where := fmt.Sprintf("committed %d (%q, %q)", i+1, c.Establishment, c.Category)
		if _, ok := p.Region.Establishment(c.Establishment); !ok {
			ps.Addf(where, "Establishment", "unknown establishment %q", c.Establishment)
		}
		if _, ok := p.Region.Category(c.Category); !ok {
			ps.Addf(where, "Category", "unknown category %q", c.Category)
		}
		ps.CheckNonNegative(where, "FTE", c.FTE)
		if c.Year != 0 && !years[c.Year] {
			ps.Addf(where, "Year", "%d is not a year of the horizon", c.Year)
		}
		k := key{c.Establishment, c.Category, c.Year}
		if rows[k] {
			ps.Addf(where, "", "listed twice for the same year")
		}
		rows[k] = true
	}
}

func validatePooling(ps *gst.Problems, r *PoolingRules) {
	const where = "pooling"
	ps.CheckNonNegative(where, "MaxCommuteMinutes", r.MaxCommuteMinutes)
	if r.Lenders < 0 {
		ps.Addf(where, "Lenders", "must be >= 0, got %d", r.Lenders)
	}
	if math.IsNaN(r.MaxAwayShare) || r.MaxAwayShare < 0 || r.MaxAwayShare > 1 {
		ps.Addf(where, "MaxAwayShare", "must be in (0, 1] (0 for the default), got %v", r.MaxAwayShare)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"MinStayFTE", r.MinStayFTE}, {"MaxPooledFTE", r.MaxPooledFTE}, {"PerKmMAD", r.PerKmMAD}, {"PerSessionMAD", r.PerSessionMAD}, {"SessionsPerFTE", r.SessionsPerFTE}} {
		ps.CheckNonNegative(where, f.name, f.v)
	}
	if math.IsNaN(r.WeeksPerYear) || r.WeeksPerYear < 0 || r.WeeksPerYear > 52 {
		ps.Addf(where, "WeeksPerYear", "must be in [0, 52] (0 for the default), got %v", r.WeeksPerYear)
	}
}

func validateMoney(ps *gst.Problems, p *Problem, years map[int]bool) {
	for _, b := range []struct {
		name string
		list []YearMAD
	}{{"CapitalBudget", p.CapitalBudget}, {"RunningBudget", p.RunningBudget}} {
		seen := map[int]bool{}
		for i, y := range b.list {
			where := fmt.Sprintf("%s %d (year %d)", b.name, i+1, y.Year)
			if !years[y.Year] {
				ps.Addf(where, "Year", "%d is not a year of the horizon", y.Year)
			}
			if seen[y.Year] {
				ps.Addf(where, "Year", "a second budget for %d", y.Year)
			}
			seen[y.Year] = true
			ps.CheckNonNegative(where, "MAD", y.MAD)
		}
	}
	ps.CheckNonNegative("problem", "TotalBudgetMAD", p.TotalBudgetMAD)
	ps.CheckNonNegative("problem", "MaxTravel", p.MaxTravel)
	o := p.Objective
	ps.CheckNonNegative("objective", "TravelMADPerHour", o.TravelMADPerHour)
	ps.CheckNonNegative("objective", "DeprivationWeight", o.DeprivationWeight)
	if math.IsNaN(o.DiscountRate) || o.DiscountRate < 0 || o.DiscountRate >= 1 {
		ps.Addf("objective", "DiscountRate", "must be in [0, 1), got %v", o.DiscountRate)
	}
}

func validateEquity(ps *gst.Problems, p *Problem, svcs map[gst.ServiceID]bool, years map[int]bool) {
	for i, c := range p.MinCoverage {
		where := fmt.Sprintf("coverage rule %d", i+1)
		if c.Province != "" {
			if _, ok := p.Region.Province(c.Province); !ok && !provinceOfSomeArea(p.Region, c.Province) {
				ps.Addf(where, "Province", "unknown province %q", c.Province)
			}
		}
		if c.Service != "" && !svcs[c.Service] {
			ps.Addf(where, "Service", "service %q is not a service of the programme", c.Service)
		}
		ps.CheckFraction(where, "MinShare", c.MinShare)
		if c.FromYear != 0 && !years[c.FromYear] {
			ps.Addf(where, "FromYear", "%d is not a year of the horizon", c.FromYear)
		}
	}
}

func provinceOfSomeArea(r *gst.Region, id gst.ProvinceID) bool {
	for i := range r.Areas {
		if r.Areas[i].Province == id {
			return true
		}
	}
	return false
}

func validateFixes(ps *gst.Problems, p *Problem, svcs map[gst.ServiceID]bool, years map[int]bool) {
	seen := map[[2]string]bool{}
	for i, f := range p.Fix {
		where := fmt.Sprintf("fix %d (%q, %q)", i+1, f.Establishment, f.Service)
		if _, ok := p.Region.Establishment(f.Establishment); !ok {
			ps.Addf(where, "Establishment", "unknown establishment %q", f.Establishment)
		}
		if !svcs[f.Service] {
			ps.Addf(where, "Service", "service %q is not a service of the programme", f.Service)
		}
		if f.Year != 0 && !years[f.Year] {
			ps.Addf(where, "Year", "%d is not a year of the horizon", f.Year)
		}
		k := [2]string{string(f.Establishment), string(f.Service)}
		if seen[k] {
			ps.Addf(where, "", "a second fix for the same establishment and service")
		}
		seen[k] = true
	}
}

func validateOptions(ps *gst.Problems, opt *Options) {
	if opt == nil {
		return
	}
	const where = "options"
	opt.SolveOptions.Resolve(ps, where)
	if opt.Method < Auto || opt.Method > Benders {
		ps.Addf(where, "Method", "unknown method %d", int(opt.Method))
	}
	if opt.MaxNodes < 0 {
		ps.Addf(where, "MaxNodes", "must be >= 0, got %d", opt.MaxNodes)
	}
	if opt.DecisionCostLimit < 0 {
		ps.Addf(where, "DecisionCostLimit", "must be >= 0, got %d", opt.DecisionCostLimit)
	}
	for i, l := range opt.Frontier {
		if math.IsNaN(l) || math.IsInf(l, 0) || l <= 0 || l > 100 {
			ps.Addf(where, fmt.Sprintf("Frontier[%d]", i), "a budget level must be in (0, 100], got %v", l)
		}
	}
}
