package programme

import (
	"context"
	"encoding/json"
	"testing"
)

func TestSolveSmall(t *testing.T) {
	p := smallProblem(t)
	plan, err := Solve(context.Background(), p, &Options{Sequential: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(plan, "", " ")
	t.Logf("%s", b)
}
