package scenario

import (
	"errors"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

// The questions and their rules: defaults, values read, and every bad
// value reported at once with its field, line and column.
func TestQuestions(t *testing.T) {
	for _, tc := range []struct {
		json, question string
	}{
		{`{}`, QuestionLocate},
		{`{"question": "Pool", "pool": {"commute_minutes": 45, "away_share": 0.25, "granularity": "posts"}}`, QuestionPool},
		{`{"question": "programme", "programme": {"capital_mad_per_year": 6e7, "years": 5, "max_nodes": 50, "decision_costs": true}}`, QuestionProgramme},
	} {
		sc, err := Parse([]byte(tc.json), "test.json")
		if err != nil {
			t.Fatalf("%s: %v", tc.json, err)
		}
		pl, err := sc.Check("test.json")
		if err != nil || pl.Question != tc.question {
			t.Errorf("%s: question %q, %v; want %q", tc.json, pl.Question, err, tc.question)
		}
	}
	sc, err := Parse([]byte(`{"question": "programme", "programme": {"capital_mad_per_year": 6e7, "years": 5, "max_nodes": 50, "decision_costs": true}}`), "test.json")
	if err != nil {
		t.Fatal(err)
	}
	if r := sc.Programme; r.CapitalMAD != 6e7 || r.RunningMAD != 0 || r.Years != 5 || r.MaxNodes != 50 || !r.DecisionCosts {
		t.Errorf("programme rules %+v", r)
	}

	// Unknown fields of the rules are reported where they are.
	_, err = Parse([]byte("{\n  \"pool\": {\"commute\": 30}\n}"), "bad.json")
	var ve *gst.ValidationError
	if !errors.As(err, &ve) || ve.Line != 2 || ve.Field != "pool" || !strings.Contains(err.Error(), `unknown field "commute"`) {
		t.Errorf("unknown field in pool: %v", err)
	}
	_, err = Parse([]byte(`{"programme": 12}`), "bad.json")
	if err == nil || !strings.Contains(err.Error(), "wants an object") {
		t.Errorf("a number for the programme's rules: %v", err)
	}

	bad := &Scenario{Question: "transfer", Pool: &PoolRules{AwayShare: 1.5, CommuteMinutes: -1, Granularity: "days"},
		Programme: &ProgrammeRules{CapitalMAD: -1, RunningMAD: 2e12, Years: 11, MaxNodes: -3}}
	_, err = bad.Check("bad")
	for _, want := range []string{"question", "pool.away_share", "pool.commute_minutes", "pool.granularity",
		"programme.capital_mad_per_year", "programme.running_mad_per_year", "programme.years", "programme.max_nodes"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad rules: %v; want a problem with %s", err, want)
		}
	}
	if !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("bad rules: %v, want gst.ErrInvalid", err)
	}
}
