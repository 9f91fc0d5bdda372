package pathway

import (
	"errors"
	"strings"
	"testing"

	gst "github.com/gstplan/gst"
)

// problems returns the messages of a joined validation error.
func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	if !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("error does not wrap gst.ErrInvalid: %v", err)
	}
	var out []string
	list := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	}
	for _, e := range list {
		var ve *gst.ValidationError
		if !errors.As(e, &ve) {
			t.Fatalf("problem is not a *gst.ValidationError: %v", e)
		}
		out = append(out, e.Error())
	}
	return out
}

func TestSetValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Set)
		want []string // substrings, one per problem, in order
	}{
		{"valid", func(*Set) {}, nil},
		{"empty set", func(s *Set) { s.Pathways = nil }, []string{"pathway set: pathways: has no pathway"}},
		{"probability above 1", func(s *Set) { s.Pathways[0].Steps[2].Probability = 1.2 },
			[]string{`pathway "maternal" step "caesarean": probability: must be in [0, 1], got 1.2`}},
		{"negative probability and visits", func(s *Set) {
			s.Pathways[0].Steps[0].Probability = -0.1
			s.Pathways[0].Steps[1].VisitsPerEpisode = -1
		}, []string{`step "anc": probability`, `step "delivery": visits_per_episode: must be a finite number >= 0`}},
		{"telemedicine share", func(s *Set) { s.Pathways[0].Steps[0].TelemedicineShare = 2 },
			[]string{`step "anc": telemedicine_share`}},
		{"negative incidence", func(s *Set) { s.Pathways[0].IncidencePer1000 = -3 },
			[]string{`pathway "maternal": incidence_per_1000`}},
		{"duplicate step", func(s *Set) { s.Pathways[0].Steps[1].ID = "anc" },
			[]string{`step "anc": id: duplicate step ID`, `step "caesarean": parent: unknown step "delivery"`}},
		{"duplicate pathway and empty IDs", func(s *Set) {
			s.Pathways = append(s.Pathways, toySet().Pathways[0])
			s.Pathways[0].Steps[0].ID = ""
		}, []string{`pathway "maternal" step #1: id: must not be empty`, `pathway "maternal": id: duplicate pathway ID`}},
		{"unknown parent", func(s *Set) { s.Pathways[0].Steps[2].Parent = "triage" },
			[]string{`step "caesarean": parent: unknown step "triage"`}},
		{"cycle", func(s *Set) {
			s.Pathways[0].Steps[1].Parent = "caesarean"
		}, []string{`step "delivery": parent: referral cycle: delivery → caesarean → delivery`}},
		{"self cycle", func(s *Set) { s.Pathways[0].Steps[0].Parent = "anc" },
			[]string{`step "anc": parent: referral cycle: anc → anc`}},
		{"no service, bad level", func(s *Set) {
			s.Pathways[0].Steps[0].Service = ""
			s.Pathways[0].Steps[1].Level = 9
		}, []string{`step "anc": service: must name a service`, `step "delivery": level: invalid level 9`}},
		{"fallback without segment", func(s *Set) { s.Pathways[0].FallbackShare = 0.3 },
			[]string{`fallback_share: is set but the pathway names no segment`}},
		{"no steps", func(s *Set) { s.Pathways[0].Steps = nil }, []string{`steps: has no step`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := toySet()
			tc.edit(s)
			got := problems(t, s.Validate())
			if len(got) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.Contains(got[i], tc.want[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestSetValidateFor(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Set, *gst.Region)
		want []string
	}{
		{"valid", func(*Set, *gst.Region) {}, nil},
		{"service not in the region", func(s *Set, _ *gst.Region) { s.Pathways[0].Steps[0].Service = "dialysis" },
			[]string{`step "anc": service: service "dialysis" is not a service of the region and no establishment offers it`}},
		{"service nobody offers", func(s *Set, r *gst.Region) {
			r.Services = append(r.Services, gst.Service{ID: "dialysis"})
			s.Pathways[0].Steps[0].Service = "dialysis"
		}, []string{`no establishment of the region offers service "dialysis"`}},
		{"level nobody reaches", func(s *Set, _ *gst.Region) { s.Pathways[0].Steps[0].Level = gst.RegionalHospital },
			[]string{`step "anc": level: no establishment of level regional or above offers service "antenatal" (the highest offering it is essp)`}},
		{"below the service's minimum level", func(s *Set, _ *gst.Region) { s.Pathways[0].Steps[2].Level = gst.HealthCentre },
			[]string{`step "caesarean": level: level essp is below the service's minimum level local`}},
		{"segment missing", func(s *Set, _ *gst.Region) { s.Pathways[0].Segment = "coverage/amo" },
			[]string{`area "A1" has no segment "coverage/amo"`, `area "A2" has no segment`}},
		{"set and region problems together", func(s *Set, _ *gst.Region) {
			s.Pathways[0].Steps[1].Probability = 3
			s.Pathways[0].Steps[2].Service = "x"
		}, []string{`step "delivery": probability`, `step "caesarean": service: service "x"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, r := toySet(), toyRegion()
			tc.edit(s, r)
			got := problems(t, s.ValidateFor(r))
			if len(got) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.Contains(got[i], tc.want[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], tc.want[i])
				}
			}
		})
	}
	if err := toySet().ValidateFor(nil); err == nil {
		t.Error("nil region accepted")
	}
	var nilSet *Set
	if got := problems(t, nilSet.Validate()); len(got) != 1 {
		t.Errorf("nil set: %v", got)
	}
}

func TestSetHelpers(t *testing.T) {
	s := Defaults()
	sel, err := s.Select(Dialysis, Maternal)
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Pathways) != 2 || sel.Pathways[0].ID != Dialysis || sel.Pathways[1].ID != Maternal {
		t.Errorf("select: %+v", sel.Pathways)
	}
	sel.Pathways[0].Steps[0].Probability = 0.1
	if d, _ := s.Pathway(Dialysis); d.Steps[0].Probability != 1 {
		t.Error("Select shares steps with the original")
	}
	if _, err := s.Select("nope", Maternal, Maternal); len(problems(t, err)) != 2 {
		t.Errorf("select errors: %v", err)
	}
	ren := s.RenameServices(map[gst.ServiceID]gst.ServiceID{ServiceAntenatal: "consultation"})
	if p, _ := ren.Pathway(Maternal); p.Steps[0].Service != "consultation" {
		t.Errorf("rename: %v", p.Steps[0].Service)
	}
	if p, _ := s.Pathway(Maternal); p.Steps[0].Service != ServiceAntenatal {
		t.Error("RenameServices changed the original")
	}
	if got := len(s.Services()); got != len(DefaultServices()) {
		t.Errorf("defaults use %d services, DefaultServices lists %d", got, len(DefaultServices()))
	}
}
