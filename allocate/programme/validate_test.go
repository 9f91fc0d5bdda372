package programme

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gstplan/gst"
)

func TestValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(p *Problem, o *Options)
		want []string // substrings of the error, each required
	}{
		{"nil region", func(p *Problem, _ *Options) { p.Region = nil }, []string{"Region: required"}},
		{"no periods", func(p *Problem, _ *Options) { p.Periods = nil }, []string{"Periods: required"}},
		{"gap in periods", func(p *Problem, _ *Options) { p.Periods[1].Start = 2029 }, []string{"period 2: Start: 2029 does not follow the previous period, which ends in 2027"}},
		{"missing demand year", func(p *Problem, _ *Options) { p.Demand = p.Demand[:3] }, []string{"no demand table for 2029"}},
		{"demand outside horizon", func(p *Problem, _ *Options) { p.Demand[0].Year = 2040 }, []string{"2040 is not a year of the horizon", "no demand table for 2026"}},
		{"unknown service", func(p *Problem, _ *Options) { p.Services[0].Service = "xray" }, []string{`unknown service "xray"`}},
		{"no unserved cost", func(p *Problem, _ *Options) { p.Services[0].UnservedMAD = 0 }, []string{"UnservedMAD: must be a finite number > 0"}},
		{"module without capacity", func(p *Problem, _ *Options) { p.Modules[0].Capacity = 0 }, []string{`module 1 ("cs-unit"): Capacity: a module must serve something`}},
		{"NaN capital", func(p *Problem, _ *Options) { p.Modules[0].CapitalMAD = math.NaN() }, []string{"CapitalMAD: must be a finite number >= 0, got NaN"}},
		{"requirement of unknown category", func(p *Problem, _ *Options) {
			p.Modules[0].Staff = append(p.Modules[0].Staff, Requirement{Category: "surgeon", FTE: 1})
		}, []string{`Staff: unknown category "surgeon"`}},
		{"team of unknown category", func(p *Problem, _ *Options) { p.Services[0].Team = []Requirement{{Category: "pilot", FTE: 1}} }, []string{`Team: unknown category "pilot"`}},
		{"service without module", func(p *Problem, _ *Options) { p.Modules[0].Service = "xx" }, []string{`service "xx" is not a service of the programme`, "no module type serves it"}},
		{"installed at a candidate", func(p *Problem, _ *Options) {
			p.Installed = []Installed{{Establishment: "k1", Module: "cs-unit", Count: 1}}
		}, []string{`"k1" is a candidate site: nothing is installed there today`}},
		{"installed at an ineligible site", func(p *Problem, _ *Options) {
			p.Installed = []Installed{{Establishment: "c1", Module: "cs-unit", Count: 1}}
		}, []string{`"c1" is not an eligible site of service "cs"`}},
		{"attrition of one", func(p *Problem, _ *Options) { p.Categories[0].AttritionRate = 1 }, []string{"AttritionRate: must be in [0, 1), got 1"}},
		{"negative recruitment", func(p *Problem, _ *Options) { p.Categories[1].RecruitPerYear = -2 }, []string{"RecruitPerYear: must be a finite number >= 0, got -2"}},
		{"committed at unknown place", func(p *Problem, _ *Options) {
			p.Committed = []Committed{{Establishment: "zz", Category: "obgyn", FTE: 1}}
		}, []string{`unknown establishment "zz"`}},
		{"budget year outside", func(p *Problem, _ *Options) { p.CapitalBudget[0].Year = 2020 }, []string{"CapitalBudget 1 (year 2020): Year: 2020 is not a year of the horizon"}},
		{"negative budget", func(p *Problem, _ *Options) { p.RunningBudget = []YearMAD{{Year: 2027, MAD: -1}} }, []string{"MAD: must be a finite number >= 0, got -1"}},
		{"away share above one", func(p *Problem, _ *Options) { p.Pooling.MaxAwayShare = 1.5 }, []string{"MaxAwayShare: must be in (0, 1]"}},
		{"coverage share", func(p *Problem, _ *Options) { p.MinCoverage = []CoverageRule{{MinShare: 2}} }, []string{"MinShare: must be in [0, 1], got 2"}},
		{"coverage of unknown province", func(p *Problem, _ *Options) { p.MinCoverage = []CoverageRule{{Province: "P9", MinShare: 0.5}} }, []string{`unknown province "P9"`}},
		{"discount of one", func(p *Problem, _ *Options) { p.Objective.DiscountRate = 1 }, []string{"DiscountRate: must be in [0, 1), got 1"}},
		{"fix at ineligible site", func(p *Problem, _ *Options) { p.Fix = []Fix{{Establishment: "c1", Service: "cs", Open: true}} }, []string{`"c1" may not offer "cs"`}},
		{"close what may not close", func(p *Problem, _ *Options) { p.Fix = []Fix{{Establishment: "h1", Service: "cs"}} }, []string{"the service is open today and may not close"}},
		{"gap tolerance of one", func(_ *Problem, o *Options) { o.GapTolerance = 1 }, []string{"gap tolerance: must be in [0, 1), got 1"}},
		{"negative time", func(_ *Problem, o *Options) { o.TimeLimit = -time.Second }, []string{"time limit: must be >= 0, got -1s"}},
		{"frontier level", func(_ *Problem, o *Options) { o.Frontier = []float64{0} }, []string{"Frontier[0]: a budget level must be in (0, 100], got 0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := smallProblem(t)
			o := &Options{}
			c.edit(p, o)
			_, err := Solve(context.Background(), p, o)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, gst.ErrInvalid) {
				t.Errorf("error does not wrap gst.ErrInvalid: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			var ve *gst.ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("no *gst.ValidationError in %v", err)
			}
		})
	}
}

func TestInfeasibleExplained(t *testing.T) {
	t.Run("staff that cannot be replaced", func(t *testing.T) {
		p := smallProblem(t)
		// Nobody can be recruited or pooled, and obstetricians leave: the
		// maternity open today loses the staff its modules need.
		p.Categories[0].AttritionRate = 0.5
		p.Categories[0].RecruitPerYear = 0
		p.Pooling.None = true
		_, err := Solve(context.Background(), p, nil)
		var ie *gst.InfeasibleError
		if !errors.As(err, &ie) || !errors.Is(err, gst.ErrInfeasible) {
			t.Fatalf("want an *InfeasibleError, got %v", err)
		}
		msg := err.Error()
		for _, w := range []string{"staffing", `establishment "h1"`, "Hôpital provincial", `category "obgyn"`, "FTE"} {
			if !strings.Contains(msg, w) {
				t.Errorf("error lacks %q:\n%s", w, msg)
			}
		}
		if ie.Year == 0 || ie.Amount <= 0 || ie.Unit != "FTE" {
			t.Errorf("error without year, amount or unit: %+v", ie)
		}
	})
	t.Run("budget that cannot pay the recruits", func(t *testing.T) {
		p := smallProblem(t)
		p.Categories[0].AttritionRate = 0.3
		p.Pooling.None = true
		p.RunningBudget = []YearMAD{{Year: 2026, MAD: 0}, {Year: 2027, MAD: 0}, {Year: 2028, MAD: 0}, {Year: 2029, MAD: 0}}
		_, err := Solve(context.Background(), p, nil)
		var ie *gst.InfeasibleError
		if !errors.As(err, &ie) {
			t.Fatalf("want an *InfeasibleError, got %v", err)
		}
		if !strings.Contains(err.Error(), "running budget") || !strings.Contains(err.Error(), "MAD") {
			t.Errorf("error does not name the running budget: %v", err)
		}
	})
	t.Run("coverage no site can give", func(t *testing.T) {
		p := smallProblem(t)
		p.MinCoverage = []CoverageRule{{Province: "P2", MinShare: 1}}
		p.Services[0].StandardMinutes = 1
		_, err := Solve(context.Background(), p, nil)
		if !errors.Is(err, gst.ErrInfeasible) || !strings.Contains(err.Error(), `coverage: service "cs": province "P2"`) {
			t.Fatalf("want a coverage error for P2, got %v", err)
		}
	})
}

func TestUnservedReported(t *testing.T) {
	p := smallProblem(t)
	p.CapitalBudget = []YearMAD{{Year: 2026, MAD: 0}, {Year: 2028, MAD: 0}}
	pl, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	last := pl.Years[len(pl.Years)-1].Figures[0]
	if last.Unserved <= 0 || last.UnservedShare <= 0 {
		t.Errorf("without capital, growing demand must go partly unserved: %+v", last)
	}
	if !near(last.Served+last.Unserved, last.Demand) {
		t.Errorf("served %.3f + unserved %.3f != demand %.3f", last.Served, last.Unserved, last.Demand)
	}
}
