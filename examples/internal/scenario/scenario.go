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
	"strings"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
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
	// P is the number of sites open in the plan; 0: the sites open today
	// plus MaxChanges (objectives that need a number).
	P int `json:"p,omitempty"`
	// MaxChanges bounds the sites opened plus closed. Default 1; -1: no
	// limit.
	MaxChanges int `json:"max_changes,omitempty"`
	// StandardMinutes overrides the services' access standard.
	StandardMinutes float64 `json:"standard_minutes,omitempty"`
	// MaxTravelMinutes is a hard limit on every area's travel.
	MaxTravelMinutes float64 `json:"max_travel_minutes,omitempty"`
	// Capacity: uncapacitated (default), split or single.
	Capacity string `json:"capacity,omitempty"`
	// Greenfield ignores the closable flags.
	Greenfield bool `json:"greenfield,omitempty"`
	// Sites: public (default: public establishments and candidate sites)
	// or all (private partners too).
	Sites string `json:"sites,omitempty"`
	// Weights: pathway (default: the pathway package's travel weights,
	// trips a year) or population (people).
	Weights string `json:"weights,omitempty"`
	// Keep and Exclude list sites forced open or closed.
	Keep    []gst.EstablishmentID `json:"keep,omitempty"`
	Exclude []gst.EstablishmentID `json:"exclude,omitempty"`
	// Budget bounds opening and closing costs, in dirhams.
	Budget float64 `json:"budget,omitempty"`
	// TravelCostMAD converts weighted travel minutes into dirhams for
	// fixed-charge.
	TravelCostMAD float64 `json:"travel_cost_mad,omitempty"`
	// Year projects the population to a target year; 0: the census year.
	Year int `json:"year,omitempty"`
	// Circuity is the road-circuity factor. Default 1.3.
	Circuity float64 `json:"circuity,omitempty"`
	// TimeLimit bounds the optimisation ("30s", "2m"). Default 60s.
	TimeLimit string `json:"time_limit,omitempty"`
	// Question is what the scenario decides: locate (default: where to
	// offer the services, the fields above) or pool (who works where:
	// staff pooling with the rules of Pool). gstplan answers locate.
	Question string `json:"question,omitempty"`
	// Pool holds the rules of the pool question; nil: the defaults.
	Pool *PoolRules `json:"pool,omitempty"`
}

// The questions a scenario asks.
const (
	QuestionLocate = "locate"
	QuestionPool   = "pool"
)

// PoolRules are the rules of the pool question. Zero fields take their
// defaults.
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

// ObjectiveNames lists the objectives as scenarios spell them; any
// spelling allocate.Objective's UnmarshalText reads is accepted.
func ObjectiveNames() string {
	return "p-median, p-center, weighted-p-center, set-covering, max-coverage, backup-coverage, fixed-charge"
}

// Read reads a scenario file, naming the file, line and column of
// a syntax error, a wrong type or an unknown field.
func Read(path string) (*Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, b)
}

// MaxBytes is the largest scenario Read and Parse accept: 1 MiB.
const MaxBytes = 1 << 20

// Parse reads a scenario from the bytes of a JSON document named path in
// the messages, naming the line and column of a syntax error, a wrong type
// or an unknown field.
func Parse(path string, b []byte) (*Scenario, error) {
	if len(b) > MaxBytes {
		return nil, fmt.Errorf("%s: %w: larger than 1 MiB", path, gst.ErrTooLarge)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s Scenario
	if err := dec.Decode(&s); err != nil {
		return nil, jsonError(path, b, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(b, dec.InputOffset())
		return nil, &gst.ValidationError{File: path, Line: line, Column: col, Err: errors.New("extra data after the scenario object")}
	}
	return &s, nil
}

func jsonError(path string, b []byte, dec *json.Decoder, err error) error {
	off := dec.InputOffset()
	field := ""
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off, field = typ.Offset, typ.Field
		want := typ.Type.String()
		switch typ.Type.Kind().String() {
		case "slice":
			want = "a list"
		case "string":
			want = "a string"
		case "int", "float64":
			want = "a number"
		case "bool":
			want = "true or false"
		}
		err = fmt.Errorf("wants %s, not a JSON %s", want, typ.Value)
	case errors.Is(err, io.EOF):
		err = errors.New("empty file: want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = errors.New("unexpected end of file")
		off = int64(len(b))
	default:
		// Unknown fields: encoding/json names the field in the message.
		if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
			field = strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
			err = fmt.Errorf("unknown field (known: %s)", knownFields())
			// Point at the key rather than past its value.
			if off <= int64(len(b)) {
				if i := bytes.LastIndex(b[:off], []byte(`"`+field+`"`)); i >= 0 {
					off = int64(i)
				}
			}
		}
	}
	line, col := position(b, off)
	return &gst.ValidationError{File: path, Line: line, Column: col, Field: field, Err: err}
}

func knownFields() string {
	return "name, services, objective, p, max_changes, standard_minutes, max_travel_minutes, capacity, greenfield, sites, weights, keep, exclude, budget, travel_cost_mad, year, circuity, time_limit, question, pool"
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

// Plan is a scenario checked and resolved.
type Plan struct {
	// Question is QuestionLocate or QuestionPool.
	Question   string
	Services   []gst.ServiceID
	Objective  allocate.Objective
	Capacity   allocate.Capacity
	TimeLimit  time.Duration
	AllSites   bool
	Population bool
}

// Check resolves the scenario against itself (the region is checked
// later) and reports every problem at once; label names the scenario in
// the messages ("scenario" when empty).
func (s *Scenario) Check(label string) (*Plan, error) {
	var ps gst.Problems
	pl := &Plan{Services: s.Services}
	where := "scenario"
	if label != "" {
		where = label
	}
	if len(pl.Services) == 0 {
		pl.Services = []gst.ServiceID{"caesarean"}
	}
	seen := map[gst.ServiceID]bool{}
	for _, sv := range pl.Services {
		if strings.TrimSpace(string(sv)) == "" {
			ps.Add(where, "services", errors.New("empty service ID"))
		}
		if seen[sv] {
			ps.Addf(where, "services", "service %q listed twice", sv)
		}
		seen[sv] = true
	}
	pl.Objective = allocate.PMedian
	if s.Objective != "" {
		if err := pl.Objective.UnmarshalText([]byte(s.Objective)); err != nil {
			ps.Addf(where, "objective", "unknown objective %q (want one of %s)", s.Objective, ObjectiveNames())
		}
	}
	pl.Capacity = allocate.Uncapacitated
	if strings.TrimSpace(s.Capacity) != "" {
		if err := pl.Capacity.UnmarshalText([]byte(s.Capacity)); err != nil {
			ps.Addf(where, "capacity", "unknown capacity rule %q (want uncapacitated, split or single)", s.Capacity)
		}
	}
	switch strings.ToLower(s.Sites) {
	case "", "public":
	case "all":
		pl.AllSites = true
	default:
		ps.Addf(where, "sites", "unknown site set %q (want public or all)", s.Sites)
	}
	switch strings.ToLower(s.Weights) {
	case "", "pathway":
	case "population":
		pl.Population = true
	default:
		ps.Addf(where, "weights", "unknown weights %q (want pathway or population)", s.Weights)
	}
	if s.P < 0 {
		ps.Addf(where, "p", "must not be negative, got %d", s.P)
	}
	if s.MaxChanges < -1 {
		ps.Addf(where, "max_changes", "must be -1 (no limit) or more, got %d", s.MaxChanges)
	}
	ps.CheckNonNegative(where, "standard_minutes", s.StandardMinutes)
	ps.CheckNonNegative(where, "max_travel_minutes", s.MaxTravelMinutes)
	ps.CheckNonNegative(where, "budget", s.Budget)
	ps.CheckNonNegative(where, "travel_cost_mad", s.TravelCostMAD)
	if s.Circuity != 0 && (s.Circuity < 1 || s.Circuity > 5) {
		ps.Addf(where, "circuity", "must be between 1 and 5, got %g", s.Circuity)
	}
	if s.Year != 0 && (s.Year < 1900 || s.Year > 2200) {
		ps.Addf(where, "year", "must be a year between 1900 and 2200, got %d", s.Year)
	}
	pl.TimeLimit = 60 * time.Second
	if s.TimeLimit != "" {
		d, err := time.ParseDuration(s.TimeLimit)
		switch {
		case err != nil:
			ps.Addf(where, "time_limit", "not a duration (for example 30s or 2m): %q", s.TimeLimit)
		case d <= 0:
			ps.Addf(where, "time_limit", "must be positive, got %s", s.TimeLimit)
		default:
			pl.TimeLimit = d
		}
	}
	switch strings.ToLower(strings.TrimSpace(s.Question)) {
	case "", QuestionLocate:
		pl.Question = QuestionLocate
	case QuestionPool:
		pl.Question = QuestionPool
	default:
		ps.Addf(where, "question", "unknown question %q (want locate or pool)", s.Question)
	}
	if r := s.Pool; r != nil {
		ps.CheckNonNegative(where, "pool.commute_minutes", r.CommuteMinutes)
		if math.IsNaN(r.AwayShare) || r.AwayShare < 0 || r.AwayShare > 1 {
			ps.Addf(where, "pool.away_share", "must be a share between 0 and 1, got %g", r.AwayShare)
		}
		switch strings.ToLower(r.Granularity) {
		case "", "sessions", "posts", "continuous":
		default:
			ps.Addf(where, "pool.granularity", "unknown granularity %q (want sessions, posts or continuous)", r.Granularity)
		}
	}
	if pl.Objective == allocate.FixedCharge && s.TravelCostMAD == 0 {
		ps.Add(where, "travel_cost_mad", errors.New("fixed-charge needs a travel cost in dirhams per weighted minute (> 0)"))
	}
	return pl, ps.Err()
}
