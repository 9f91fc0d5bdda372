package capacity

import (
	"errors"
	"fmt"
	"math"

	"github.com/gstplan/gst"
)

// GrowthMethod says how Project grows each area's population.
type GrowthMethod int

const (
	// OwnGrowth grows each area at its own compound annual rate, measured
	// between its past count (PastPopulation at PastYear) and its current
	// one (Population at Year).
	OwnGrowth GrowthMethod = iota
	// GivenRate grows every area at Projection.AnnualRate.
	GivenRate
)

// String returns "own" or "given".
func (m GrowthMethod) String() string {
	switch m {
	case OwnGrowth:
		return "own"
	case GivenRate:
		return "given"
	}
	return fmt.Sprintf("GrowthMethod(%d)", int(m))
}

// Default projection guards.
const (
	// DefaultMaxAnnualRate caps an area's own compound growth rate, in
	// either direction, at 5 % a year. Morocco's population grew about
	// 0.85 % a year between the 2014 and 2024 censuses (HCP); a commune
	// that grew 275 % in ten years (for example one absorbing a city's
	// new districts) grew 14 % a year, which must not be carried forward
	// for decades.
	DefaultMaxAnnualRate = 0.05
	// DefaultMaxHorizonYears is how far past its base year an area may be
	// projected.
	DefaultMaxHorizonYears = 30
)

// Projection describes how to carry each area's population from its base
// year (Area.Year) to a target year.
//
// With OwnGrowth, an area's compound annual rate is
//
//	rate = (Population / PastPopulation)^(1 / (Year − PastYear)) − 1
//
// clamped to [−MaxAnnualRate, +MaxAnnualRate]; with GivenRate it is
// AnnualRate. The projected population is
//
//	Population × (1 + rate)^(TargetYear − Year).
//
// Segments are scaled by the same factor, so their shares of the
// population are kept.
type Projection struct {
	// TargetYear is the year to project to. Required; it must not be
	// before any area's base year.
	TargetYear int `json:"target_year"`
	// Method selects each area's own growth (the default) or a given rate.
	Method GrowthMethod `json:"method"`
	// AnnualRate is the compound growth rate per year used by GivenRate,
	// as a fraction (0.01 is 1 % a year). It must be finite and > −1.
	AnnualRate float64 `json:"annual_rate,omitempty"`
	// MaxAnnualRate caps the absolute value of an area's own growth rate.
	// Default DefaultMaxAnnualRate (0.05); must be positive when set.
	MaxAnnualRate float64 `json:"max_annual_rate,omitempty"`
	// MaxHorizonYears is the longest projection allowed. Default
	// DefaultMaxHorizonYears (30).
	MaxHorizonYears int `json:"max_horizon_years,omitempty"`
	// FallbackAnnualRate, when not nil, is the rate OwnGrowth uses for an
	// area without a usable past count. Nil (the default) makes such an
	// area an error.
	FallbackAnnualRate *float64 `json:"fallback_annual_rate,omitempty"`
}

// ProjectedArea explains the projection of one area.
type ProjectedArea struct {
	Area           gst.AreaID `json:"area"`
	BaseYear       int        `json:"base_year"`
	BasePopulation float64    `json:"base_population"`
	// OwnRate is the area's measured compound annual rate before the cap,
	// or nil when it was not measured (GivenRate, or no past count).
	OwnRate *float64 `json:"own_rate,omitempty"`
	// AnnualRate is the rate applied.
	AnnualRate float64 `json:"annual_rate"`
	// Clamped is true when OwnRate was beyond the cap.
	Clamped bool `json:"clamped,omitempty"`
	// Fallback is true when FallbackAnnualRate was used.
	Fallback   bool    `json:"fallback,omitempty"`
	Year       int     `json:"year"`
	Population float64 `json:"population"`
}

// ProjectionReport lists every area's projection, in the order of the
// region's areas.
type ProjectionReport struct {
	TargetYear int             `json:"target_year"`
	Method     string          `json:"method"`
	Areas      []ProjectedArea `json:"areas"`
	// Clamped and Fallbacks count the areas whose rate was capped or
	// taken from FallbackAnnualRate.
	Clamped   int `json:"clamped"`
	Fallbacks int `json:"fallbacks"`
	// BasePopulation and Population are the region's totals before and
	// after.
	BasePopulation float64 `json:"base_population"`
	Population     float64 `json:"population"`
}

// validate checks the projection's own fields.
func (p *Projection) validate(pr *gst.Problems) {
	const w = "projection"
	if p.TargetYear <= 0 {
		pr.Addf(w, "target_year", "must be a positive year, got %d", p.TargetYear)
	}
	switch p.Method {
	case OwnGrowth:
	case GivenRate:
		if !finite(p.AnnualRate) || p.AnnualRate <= -1 {
			pr.Addf(w, "annual_rate", "must be a finite rate > -1, got %v", p.AnnualRate)
		}
	default:
		pr.Addf(w, "method", "unknown growth method %d", int(p.Method))
	}
	if p.MaxAnnualRate != 0 && (!finite(p.MaxAnnualRate) || p.MaxAnnualRate < 0) {
		pr.Addf(w, "max_annual_rate", "must be a finite rate > 0, got %v", p.MaxAnnualRate)
	}
	if p.MaxHorizonYears < 0 {
		pr.Addf(w, "max_horizon_years", "must be >= 0, got %d", p.MaxHorizonYears)
	}
	if f := p.FallbackAnnualRate; f != nil && (!finite(*f) || *f <= -1) {
		pr.Addf(w, "fallback_annual_rate", "must be a finite rate > -1, got %v", *f)
	}
}

// Project returns a copy of the region with every area's population (and
// its segments) carried to p.TargetYear, and a report of the rate used for
// each area. The input region is not modified.
//
// Errors (all reported at once, wrapping gst.ErrInvalid): an area whose
// year is unknown or after the target year, a horizon beyond
// MaxHorizonYears, and with OwnGrowth an area without a usable past count
// (PastYear before Year, PastPopulation > 0) unless FallbackAnnualRate is
// set.
func Project(r *gst.Region, p *Projection) (*gst.Region, *ProjectionReport, error) {
	return project(r, p, true)
}

func project(r *gst.Region, p *Projection, check bool) (*gst.Region, *ProjectionReport, error) {
	if check {
		if err := checkRegion(r); err != nil {
			return nil, nil, err
		}
	}
	var pr gst.Problems
	if p == nil {
		pr.Add("projection", "", errors.New("must not be nil"))
		return nil, nil, pr.Err()
	}
	p.validate(&pr)
	if err := pr.Err(); err != nil {
		return nil, nil, err
	}
	maxRate := p.MaxAnnualRate
	if maxRate == 0 {
		maxRate = DefaultMaxAnnualRate
	}
	horizon := p.MaxHorizonYears
	if horizon == 0 {
		horizon = DefaultMaxHorizonYears
	}
	rep := &ProjectionReport{TargetYear: p.TargetYear, Method: p.Method.String(), Areas: make([]ProjectedArea, len(r.Areas))}
	out := r.Clone()
	for i := range out.Areas {
		a := &out.Areas[i]
		w := fmt.Sprintf("area %q", a.ID)
		pa := ProjectedArea{Area: a.ID, BaseYear: a.Year, BasePopulation: a.Population, Year: p.TargetYear}
		switch {
		case a.Year <= 0:
			pr.Addf(w, "year", "the base year is unknown, so the area cannot be projected")
			continue
		case p.TargetYear < a.Year:
			pr.Addf(w, "year", "target year %d is before the area's base year %d", p.TargetYear, a.Year)
			continue
		case p.TargetYear-a.Year > horizon:
			pr.Addf(w, "year", "target year %d is %d years after the base year %d, beyond the %d-year horizon", p.TargetYear, p.TargetYear-a.Year, a.Year, horizon)
			continue
		}
		var rate float64
		if p.Method == GivenRate {
			rate = p.AnnualRate
		} else {
			usable := a.PastYear > 0 && a.PastYear < a.Year && a.PastPopulation > 0 && a.Population > 0
			switch {
			case usable:
				own := math.Pow(a.Population/a.PastPopulation, 1/float64(a.Year-a.PastYear)) - 1
				pa.OwnRate = &own
				rate = own
				if rate > maxRate {
					rate, pa.Clamped = maxRate, true
				} else if rate < -maxRate {
					rate, pa.Clamped = -maxRate, true
				}
			case p.FallbackAnnualRate != nil:
				rate, pa.Fallback = *p.FallbackAnnualRate, true
			case a.Population == 0:
				// Nobody to grow: zero stays zero whatever the rate.
			default:
				pr.Addf(w, "past_population", "own growth needs a past count (past_population > 0 at a past_year before year %d); got %v at %d", a.Year, a.PastPopulation, a.PastYear)
				continue
			}
		}
		factor := math.Pow(1+rate, float64(p.TargetYear-a.Year))
		pa.AnnualRate = rate
		pa.Population = a.Population * factor
		if !finite(pa.Population) {
			pr.Addf(w, "population", "projection overflows: %v × %v", a.Population, factor)
			continue
		}
		a.Population = pa.Population
		a.Year = p.TargetYear
		for k := range a.Segments {
			a.Segments[k].Population *= factor
		}
		if pa.Clamped {
			rep.Clamped++
		}
		if pa.Fallback {
			rep.Fallbacks++
		}
		rep.BasePopulation += pa.BasePopulation
		rep.Population += pa.Population
		rep.Areas[i] = pa
	}
	if err := pr.Err(); err != nil {
		return nil, nil, err
	}
	return out, rep, nil
}
