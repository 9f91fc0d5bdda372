package main

import (
	"strings"
	"testing"
)

func TestRunSmall(t *testing.T) {
	var out strings.Builder
	if err := run([]string{"-nodes", "3000", "-areas", "20", "-establishments", "40", "-check", "5", "-workers", "2"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"built the network (", "matrix 20 × 40 (800 reachable legs)", "peak memory (VmHWM): ", "checked 200 legs of 5 areas against a textbook Dijkstra: equal"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunBadFlags(t *testing.T) {
	var out strings.Builder
	for _, args := range [][]string{{"-nodes", "10"}, {"-areas", "0"}, {"-workers", "-1"}, {"-nope"}} {
		if err := run(args, &out); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
