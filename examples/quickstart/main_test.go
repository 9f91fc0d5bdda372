package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-region", "ifrane"}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Ifrane province (Fès-Meknès): 10 areas, 160904 people, 6 establishments",
		"Caesarean section",
		"OpenStreetMap",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestRunBadRegion(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"-region", "does-not-exist"}, &out)
	if err == nil {
		t.Fatal("no error for a missing region")
	}
}
