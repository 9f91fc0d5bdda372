// Package scenario is the scenario format of the example programs that
// plan a region (gstplan and the web planner): what to decide, read from a
// JSON file or built by a program, checked and resolved in one place.
package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/examples/internal/pilot"
)

// Scenario is what gstplan decides, read from a JSON file (-scenario) and
// overridden by flags. Zero fields take their defaults.
type Scenario struct {
	// Name labels the scenario in the report.
	Name string `json:"name,omitempty"`
	// Services are located together. Default ["caesarean"].
	Services []gst.ServiceID `json:"services,omitempty"`
	// Objective: p-median (default), p-center, weighted-p-center,
	// set-covering, max-coverage, backup-coverage or fixed-charge.
	Objective string `json:"objective,omitempty"`
	// P is the number of sites open in the plan; 0 (the default) leaves it
	// free, within MaxChanges and Budget.
	P int `json:"p,omitempty"`
	// MaxChanges bounds the sites opened plus closed: at most that many,
	// each made only when it lowers the objective. Default (absent) 1; 0:
	// no change (today's sites); -1: no limit.
	MaxChanges *int `json:"max_changes,omitempty"`
	// StandardMinutes overrides the services' access standard.
	StandardMinutes float64 `json:"standard_minutes,omitempty"`
	// MaxTravelMinutes is a hard limit on every area's travel.
	MaxTravelMinutes float64 `json:"max_travel_minutes,omitempty"`
	// Capacity: uncapacitated (default), split or single. With
	// capacities the demand is counted in cases, the unit of capacities.
	Capacity string `json:"capacity,omitempty"`
	// Greenfield ignores the closable flags.
	Greenfield bool `json:"greenfield,omitempty"`
	// Sites: public (default: public establishments and candidate sites)
	// or all (private partners too).
	Sites string `json:"sites,omitempty"`
	// NewAt says where a service may open: candidates (the candidate
	// sites that could offer it), hospitals (existing hospitals, at or
	// above the service's minimum level, that do not offer it yet), both,
	// or auto (the default: candidates when the region has candidate sites
	// for the service, hospitals otherwise).
	NewAt string `json:"new_at,omitempty"`
	// Weights: pathway (default: the pathway package's travel weights,
	// trips a year; cases a year when capacities bind) or population
	// (people; not with capacities).
	Weights string `json:"weights,omitempty"`
	// Keep and Exclude list sites forced open or closed.
	Keep    []gst.EstablishmentID `json:"keep,omitempty"`
	Exclude []gst.EstablishmentID `json:"exclude,omitempty"`
	// Budget bounds opening and closing costs, in dirhams.
	Budget float64 `json:"budget,omitempty"`
	// TravelCostMAD converts a year of weighted travel minutes into
	// dirhams for fixed-charge: dirhams per weighted minute a year.
	TravelCostMAD float64 `json:"travel_cost_mad,omitempty"`
	// HorizonYears is how many years of travel fixed-charge weighs
	// against the one-off opening and closing costs (the travel cost is
	// multiplied by it). Default 1: one year of travel against the whole
	// cost of a building, which undervalues travel; 20 to 30 years is the
	// life of a hospital.
	HorizonYears int `json:"horizon_years,omitempty"`
	// Year projects the population to a target year; 0: the census year.
	Year int `json:"year,omitempty"`
	// Circuity is the road-circuity factor. Default DefaultCircuity.
	Circuity float64 `json:"circuity,omitempty"`
	// TimeLimit bounds the optimisation ("30s", "2m"). Default 60s.
	TimeLimit string `json:"time_limit,omitempty"`
	// Question is what the scenario decides: locate (the default: where
	// to offer the services, the fields above), pool (who works where:
	// staff pooling with the rules of Pool) or programme (the pilots'
	// phased programme with the settings of Programme). gstplan answers
	// locate; the web planner answers all three.
	Question string `json:"question,omitempty"`
	// Pool holds the rules of the pool question; nil: the defaults.
	Pool *PoolRules `json:"pool,omitempty"`
	// Programme holds the settings of the programme question; nil: the
	// pilots'.
	Programme *ProgrammeRules `json:"programme,omitempty"`
}

// The questions a scenario asks.
const (
	QuestionLocate    = "locate"
	QuestionPool      = "pool"
	QuestionProgramme = "programme"
)

// PoolRules are the rules of the pool question. Zero fields take the
// pilots' values (examples/internal/pilot's pooling rules).
type PoolRules struct {
	// CommuteMinutes is the longest one-way trip of staff working away
	// from their home establishment, in minutes. Default 60.
	CommuteMinutes float64 `json:"commute_minutes,omitempty"`
	// AwayShare is the largest share of an establishment's staff of a
	// cadre who may work elsewhere, in [0, 1]. Default 0.5.
	AwayShare float64 `json:"away_share,omitempty"`
	// Granularity is the unit of a move: sessions (default: half-day
	// sessions a week), posts (whole posts) or continuous (any fraction
	// of a full-time equivalent).
	Granularity string `json:"granularity,omitempty"`
}

// ProgrammeRules are the settings of the programme question: the pilots'
// phased programme of caesarean capacity and haemodialysis, 2026 onwards.
// Zero fields take the pilots' values.
type ProgrammeRules struct {
	// CapitalMAD and RunningMAD are the budgets of every year, in
	// dirhams: capital (sites, services, modules) and the running spend
	// the programme adds, unspent money carried over. Default the
	// pilots': 120 million and 45 million.
	CapitalMAD float64 `json:"capital_mad_per_year,omitempty"`
	RunningMAD float64 `json:"running_mad_per_year,omitempty"`
	// Years is the horizon, from 2026: 1 to MaxProgrammeYears years of
	// the pilots' three phases (2026–2027, 2028–2030, 2031–2035), cut at
	// the horizon. Default 10.
	Years int `json:"years,omitempty"`
	// MaxNodes bounds the nodes of each branch and bound, a limit of work
	// that gives the same programme on any machine (the time limit is the
	// other). Default the pilots' (pilot.ProgrammeMaxNodes, 200).
	MaxNodes int `json:"max_nodes,omitempty"`
	// DecisionCosts prices reversing the main decisions by solving again
	// with each reversed: slower (about a minute on a pilot). Default
	// false.
	DecisionCosts bool `json:"decision_costs,omitempty"`
}

// MaxProgrammeYears is the longest horizon of the programme question, and
// MaxProgrammeNodes the largest node limit.
const (
	MaxProgrammeYears = 10
	MaxProgrammeNodes = 100000
)

// DefaultCircuity is the road-circuity factor of the planners' travel
// estimate: 1.4, the pilots' (pilot.DefaultCircuity), above the
// estimator's generic 1.3 (gst.DefaultCircuity) because Morocco's regions
// are mountainous (Rif, Middle and High Atlas); a question asked of
// gstplan, the web planner and a pilot gets the same answer.
const DefaultCircuity = pilot.DefaultCircuity

// ObjectiveNames lists the objectives as scenarios spell them; any
// spelling allocate.Objective's UnmarshalText reads is accepted.
func ObjectiveNames() string {
	return "p-median, p-center, weighted-p-center, set-covering, max-coverage, backup-coverage, fixed-charge"
}

// Read reads a scenario file and reports every problem at once, each
// naming the file, line and column: a syntax error, a field of the wrong
// type, an unknown or repeated field.
func Read(path string) (*Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b, path)
}

// MaxBytes is the largest scenario Read and Parse accept: 1 MiB.
const MaxBytes = 1 << 20

// Parse reads a scenario from JSON; label names it in errors. Every
// problem is reported at once, each naming the line and column: a syntax
// error, a field of the wrong type, an unknown or repeated field (also in
// the rules of a question).
func Parse(b []byte, label string) (*Scenario, error) {
	if len(b) > MaxBytes {
		return nil, fmt.Errorf("%s: %w: larger than 1 MiB", label, gst.ErrTooLarge)
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	if err := syntax(b, label); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, _ := dec.Token()
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &gst.ValidationError{File: label, Line: 1, Column: 1, Err: errors.New("want a JSON object {…}")}
	}
	var s Scenario
	fields := fieldsOf(&s)
	var ps gst.Problems
	seen := map[string]bool{}
	for dec.More() {
		keyAt := skipSpace(b, dec.InputOffset())
		tok, _ := dec.Token()
		key, _ := tok.(string)
		valAt := skipSpace(b, skipColon(b, dec.InputOffset()))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, jsonError(label, b, dec, err)
		}
		line, col := position(b, keyAt)
		f, ok := fields[key]
		switch {
		case !ok:
			ps.AddErr(&gst.ValidationError{File: label, Line: line, Column: col, Field: key, Err: fmt.Errorf("unknown field (known: %s)", knownFields())})
		case seen[key]:
			ps.AddErr(&gst.ValidationError{File: label, Line: line, Column: col, Field: key, Err: errors.New("given twice")})
		default:
			if err := strict(raw, f.Addr().Interface()); err != nil {
				vl, vc := position(b, valAt)
				ps.AddErr(&gst.ValidationError{File: label, Line: vl, Column: vc, Field: key, Err: typeError(f.Type(), err)})
			}
		}
		seen[key] = true
	}
	return &s, ps.Err()
}

// syntax reports a syntax error, or data after the object.
func syntax(b []byte, label string) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	var v any
	if err := dec.Decode(&v); err != nil {
		return jsonError(label, b, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(b, dec.InputOffset())
		return &gst.ValidationError{File: label, Line: line, Column: col, Err: errors.New("extra data after the scenario object")}
	}
	return nil
}

// strict decodes a field's value; an object (the rules of a question) may
// have no unknown field.
func strict(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// fieldsOf maps the JSON names of the scenario's fields to the fields.
func fieldsOf(s *Scenario) map[string]reflect.Value {
	v := reflect.ValueOf(s).Elem()
	out := map[string]reflect.Value{}
	for i := 0; i < v.NumField(); i++ {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		out[name] = v.Field(i)
	}
	return out
}

// typeError says what a field wants.
func typeError(t reflect.Type, err error) error {
	var typ *json.UnmarshalTypeError
	if !errors.As(err, &typ) {
		return err
	}
	want := t.String()
	k := t.Kind()
	if k == reflect.Pointer {
		k = t.Elem().Kind()
	}
	switch k {
	case reflect.Slice:
		want = "a list"
	case reflect.String:
		want = "a string"
	case reflect.Int, reflect.Float64:
		want = "a number"
	case reflect.Bool:
		want = "true or false"
	case reflect.Struct:
		want = "an object {…}"
	}
	return fmt.Errorf("wants %s, not a JSON %s", want, typ.Value)
}

func skipSpace(b []byte, off int64) int64 {
	for off < int64(len(b)) && (b[off] == ' ' || b[off] == '\t' || b[off] == '\n' || b[off] == '\r' || b[off] == ',') {
		off++
	}
	return off
}

func skipColon(b []byte, off int64) int64 {
	off = skipSpace(b, off)
	if off < int64(len(b)) && b[off] == ':' {
		off++
	}
	return off
}

func jsonError(path string, b []byte, dec *json.Decoder, err error) error {
	off := dec.InputOffset()
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.Is(err, io.EOF):
		err = errors.New("empty file: want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = errors.New("unexpected end of file")
		off = int64(len(b))
	}
	line, col := position(b, off)
	return &gst.ValidationError{File: path, Line: line, Column: col, Err: err}
}

func knownFields() string {
	return "name, services, objective, p, max_changes, standard_minutes, max_travel_minutes, capacity, greenfield, sites, new_at, weights, keep, exclude, budget, travel_cost_mad, horizon_years, year, circuity, time_limit, question, pool, programme"
}

// position turns a byte offset into a line and column, both from 1.
func position(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	if off < 0 {
		off = 0
	}
	line, col := 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// NewAt says where a plan may open a service.
type NewAt int

// Where a service may open.
const (
	// AtCandidates: the candidate sites that could offer it.
	AtCandidates NewAt = iota + 1
	// AtHospitals: existing hospitals that do not offer it yet.
	AtHospitals
	// AtBoth: both.
	AtBoth
)

// Plan is a scenario checked and resolved.
type Plan struct {
	// Question is QuestionLocate, QuestionPool or QuestionProgramme.
	Question  string
	Services  []gst.ServiceID
	Objective allocate.Objective
	Capacity  allocate.Capacity
	TimeLimit time.Duration
	AllSites  bool
	// NewAt is where services may open; 0 for auto (decided against the
	// region).
	NewAt      NewAt
	Population bool
	// MaxChanges is the allocate.Problem's: allocate.NoChanges, 0 (no
	// limit) or a limit.
	MaxChanges int
	// TravelCost is the fixed-charge travel cost over the horizon:
	// TravelCostMAD × HorizonYears.
	TravelCost float64
	Horizon    int
}

// Check resolves the scenario against itself (the region is checked
// later) and reports every problem at once; label names the scenario in
// the messages ("scenario" when empty), and fields by their JSON names.
func (s *Scenario) Check(label string) (*Plan, error) {
	return s.CheckNamed(label, nil)
}

// CheckNamed is Check with the fields named by name (for example the
// command-line flag that sets them, "-time-limit" for "time_limit"); nil
// keeps the JSON names.
func (s *Scenario) CheckNamed(label string, name func(field string) string) (*Plan, error) {
	var ps gst.Problems
	pl := &Plan{Services: s.Services}
	where := "scenario"
	if label != "" {
		where = label
	}
	if name == nil {
		name = func(f string) string { return f }
	}
	add := func(field, format string, args ...any) { ps.Addf(where, name(field), format, args...) }
	if len(pl.Services) == 0 {
		pl.Services = []gst.ServiceID{"caesarean"}
	}
	seen := map[gst.ServiceID]bool{}
	for _, sv := range pl.Services {
		if strings.TrimSpace(string(sv)) == "" {
			add("services", "empty service ID")
		}
		if seen[sv] {
			add("services", "service %q listed twice", sv)
		}
		seen[sv] = true
	}
	pl.Objective = allocate.PMedian
	if s.Objective != "" {
		if err := pl.Objective.UnmarshalText([]byte(s.Objective)); err != nil {
			add("objective", "unknown objective %q (want one of %s)", s.Objective, ObjectiveNames())
		}
	}
	pl.Capacity = allocate.Uncapacitated
	if strings.TrimSpace(s.Capacity) != "" {
		if err := pl.Capacity.UnmarshalText([]byte(s.Capacity)); err != nil {
			add("capacity", "unknown capacity rule %q (want uncapacitated, split or single)", s.Capacity)
		}
	}
	switch strings.ToLower(s.Sites) {
	case "", "public":
	case "all":
		pl.AllSites = true
	default:
		add("sites", "unknown site set %q (want public or all)", s.Sites)
	}
	switch strings.ToLower(s.NewAt) {
	case "", "auto":
	case "candidates":
		pl.NewAt = AtCandidates
	case "hospitals":
		pl.NewAt = AtHospitals
	case "both":
		pl.NewAt = AtBoth
	default:
		add("new_at", "unknown value %q (want auto, candidates, hospitals or both)", s.NewAt)
	}
	switch strings.ToLower(s.Weights) {
	case "", "pathway":
	case "population":
		pl.Population = true
		if pl.Capacity != allocate.Uncapacitated {
			add("weights", "population weights count people, and capacities count cases: with a capacity rule the demand is the cases of the default pathways (leave the weights at pathway)")
		}
	default:
		add("weights", "unknown weights %q (want pathway or population)", s.Weights)
	}
	if s.P < 0 {
		add("p", "must not be negative, got %d (0: any number of sites)", s.P)
	}
	switch {
	case s.MaxChanges == nil:
		pl.MaxChanges = 1
	case *s.MaxChanges == 0:
		pl.MaxChanges = allocate.NoChanges
	case *s.MaxChanges == -1:
		pl.MaxChanges = 0
	case *s.MaxChanges < -1:
		add("max_changes", "must be -1 (no limit), 0 (no change) or more, got %d", *s.MaxChanges)
	default:
		pl.MaxChanges = *s.MaxChanges
	}
	for _, f := range []struct {
		field string
		v     float64
	}{{"standard_minutes", s.StandardMinutes}, {"max_travel_minutes", s.MaxTravelMinutes}, {"budget", s.Budget}, {"travel_cost_mad", s.TravelCostMAD}} {
		ps.CheckNonNegative(where, name(f.field), f.v)
	}
	if s.Circuity != 0 && (s.Circuity < 1 || s.Circuity > 5) {
		add("circuity", "must be between 1 and 5, got %v", s.Circuity)
	}
	if s.Year != 0 && (s.Year < 1900 || s.Year > 2200) {
		add("year", "must be a year between 1900 and 2200, got %d", s.Year)
	}
	pl.Horizon = 1
	if s.HorizonYears < 0 || s.HorizonYears > 100 {
		add("horizon_years", "must be between 1 and 100 years, got %d", s.HorizonYears)
	} else if s.HorizonYears > 0 {
		pl.Horizon = s.HorizonYears
	}
	pl.TravelCost = s.TravelCostMAD * float64(pl.Horizon)
	pl.TimeLimit = 60 * time.Second
	if s.TimeLimit != "" {
		d, err := time.ParseDuration(s.TimeLimit)
		switch {
		case err != nil:
			add("time_limit", "not a duration (for example 30s or 2m): %q", s.TimeLimit)
		case d <= 0:
			add("time_limit", "must be positive, got %s", s.TimeLimit)
		default:
			pl.TimeLimit = d
		}
	}
	pl.Question = s.checkQuestion(add)
	if pl.Objective == allocate.FixedCharge && s.TravelCostMAD == 0 {
		add("travel_cost_mad", "fixed-charge needs the value of travel: dirhams per weighted minute a year (> 0). It is weighed against one-off opening and closing costs, so "+
			"set %s to the years a site lasts (20 to 30 for a hospital), or annualise the opening costs (cost × the capital recovery factor) yourself", name("horizon_years"))
	}
	return pl, ps.Err()
}

// checkQuestion resolves the question and checks its rules.
func (s *Scenario) checkQuestion(add func(field, format string, args ...any)) string {
	q := strings.ToLower(strings.TrimSpace(s.Question))
	switch q {
	case "":
		q = QuestionLocate
	case QuestionLocate, QuestionPool, QuestionProgramme:
	default:
		add("question", "unknown question %q (want locate, pool or programme)", s.Question)
	}
	if r := s.Pool; r != nil {
		if math.IsNaN(r.CommuteMinutes) || r.CommuteMinutes < 0 || r.CommuteMinutes > 24*60 {
			add("pool.commute_minutes", "must be minutes between 0 and 1440, got %g", r.CommuteMinutes)
		}
		if math.IsNaN(r.AwayShare) || r.AwayShare < 0 || r.AwayShare > 1 {
			add("pool.away_share", "must be a share between 0 and 1, got %g", r.AwayShare)
		}
		switch strings.ToLower(r.Granularity) {
		case "", "sessions", "posts", "continuous":
		default:
			add("pool.granularity", "unknown granularity %q (want sessions, posts or continuous)", r.Granularity)
		}
	}
	if r := s.Programme; r != nil {
		for _, f := range []struct {
			field string
			v     float64
		}{{"programme.capital_mad_per_year", r.CapitalMAD}, {"programme.running_mad_per_year", r.RunningMAD}} {
			if math.IsNaN(f.v) || f.v < 0 || f.v > 1e12 {
				add(f.field, "must be dirhams a year between 0 and 10^12 (0: the pilots' budget), got %g", f.v)
			}
		}
		if r.Years < 0 || r.Years > MaxProgrammeYears {
			add("programme.years", "must be between 1 and %d years (0: %d), got %d", MaxProgrammeYears, MaxProgrammeYears, r.Years)
		}
		if r.MaxNodes < 0 || r.MaxNodes > MaxProgrammeNodes {
			add("programme.max_nodes", "must be between 1 and %d (0: the pilots' %d), got %d", MaxProgrammeNodes, pilot.ProgrammeMaxNodes, r.MaxNodes)
		}
	}
	return q
}

// FlagNames maps the scenario's JSON fields to gstplan's flags, to name
// the flag in an error about a value given on the command line.
var FlagNames = map[string]string{
	"services": "-service", "objective": "-objective", "p": "-p", "max_changes": "-changes",
	"standard_minutes": "-standard", "max_travel_minutes": "-max-travel", "capacity": "-capacity",
	"greenfield": "-greenfield", "sites": "-sites", "new_at": "-new-at", "weights": "-weights",
	"keep": "-keep", "exclude": "-exclude", "budget": "-budget", "travel_cost_mad": "-travel-cost",
	"horizon_years": "-horizon", "year": "-year", "circuity": "-circuity", "time_limit": "-time-limit",
}
