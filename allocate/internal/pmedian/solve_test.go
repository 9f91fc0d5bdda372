package pmedian

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/orlib"
)

// TestPMedKnownOptima solves pmed1–pmed10 (bundled in testdata) and
// pmed11–pmed20 (from the shared data set, when present) and checks the
// proven optimum against OR-Library's pmedopt.
func TestPMedKnownOptima(t *testing.T) {
	type outcome struct {
		Objective, Bound float64
		Status           gst.Status
	}
	for k := 1; k <= 20; k++ {
		name := "pmed" + strconv.Itoa(k)
		p, ok := loadPMed(t, k)
		if !ok && k <= 10 {
			t.Fatalf("%s missing from testdata", name)
		}
		if !ok {
			t.Logf("%s: shared OR-Library data not present, skipped", name)
			continue
		}
		res, err := Solve(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		known, _ := orlib.LookupKnown(name, 0)
		want := outcome{known.Value, known.Value, gst.StatusOptimal}
		if diff := cmp.Diff(want, outcome{res.Objective, res.Bound, res.Status}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
		if len(res.Open) != p.P {
			t.Errorf("%s: %d open sites, want %d", name, len(res.Open), p.P)
		}
	}
}

// permuted returns p with clients and sites renumbered: client i becomes
// ci[i] and site j becomes sj[j].
func permuted(p *Problem, ci, sj []int) *Problem {
	q := *p
	q.Cost = make([][]float64, p.Clients)
	for i := range p.Cost {
		row := make([]float64, p.Sites)
		for j, c := range p.Cost[i] {
			row[sj[j]] = c
		}
		q.Cost[ci[i]] = row
	}
	if p.Weight != nil {
		q.Weight = make([]float64, p.Clients)
		for i, w := range p.Weight {
			q.Weight[ci[i]] = w
		}
	}
	return &q
}

func TestShuffleInvariance(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, k := range []int{2, 6, 9} {
		p, _ := loadPMed(t, k)
		p.Weight = make([]float64, p.Clients)
		for i := range p.Weight {
			p.Weight[i] = float64(1 + r.IntN(9))
		}
		base, err := Solve(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		for trial := 0; trial < 3; trial++ {
			ci, sj := r.Perm(p.Clients), r.Perm(p.Sites)
			res, err := Solve(context.Background(), permuted(p, ci, sj), nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Objective != base.Objective || res.Bound != base.Bound || res.Status != gst.StatusOptimal {
				t.Errorf("pmed%d shuffled: objective %v bound %v %v; unshuffled %v", k, res.Objective, res.Bound, res.Status, base.Objective)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	p := synthetic(9000, 200, 30, 40, 9) // three blocks of clients
	a, err := Solve(context.Background(), p, &Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b, cmpopts.IgnoreFields(Result{}, "Duration")); diff != "" {
		t.Errorf("two solves differ (-2 workers +1 worker):\n%s", diff)
	}
	if a.Status != gst.StatusOptimal {
		t.Logf("status %v gap %g", a.Status, a.Gap)
	}
}

// TestStopAfterRoot: pmed6's root leaves a gap (its proof takes 17
// nodes), so StopAfterRoot ends after the root with its bound; pmed1's
// root closes the gap, so it is proven optimal all the same.
func TestStopAfterRoot(t *testing.T) {
	for _, tc := range []struct {
		k      int
		status gst.Status
	}{{6, gst.StatusFeasible}, {1, gst.StatusOptimal}} {
		p, _ := loadPMed(t, tc.k)
		res, err := Solve(context.Background(), p, &Options{StopAfterRoot: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Nodes != 1 || res.Status != tc.status || res.Bound != res.RootBound || res.Bound > res.Objective {
			t.Errorf("pmed%d: %d nodes, status %v, bound %v (root %v), objective %v; want the root alone, %v",
				tc.k, res.Nodes, res.Status, res.Bound, res.RootBound, res.Objective, tc.status)
		}
	}
}

func TestTimeLimitAndCancel(t *testing.T) {
	p := synthetic(20000, 500, 50, 60, 3)
	check := func(name string, res *Result, err error, want gst.Status) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Status != want && res.Status != gst.StatusOptimal {
			t.Errorf("%s: status %v, want %v", name, res.Status, want)
		}
		if math.IsNaN(res.Objective) || math.IsInf(res.Objective, 0) || res.Bound > res.Objective || math.IsInf(res.Bound, 0) {
			t.Errorf("%s: objective %v bound %v", name, res.Objective, res.Bound)
		}
		if len(res.Open) != p.P || len(res.Assign) != p.Clients {
			t.Errorf("%s: %d open, %d assigned", name, len(res.Open), len(res.Assign))
		}
	}
	res, err := Solve(context.Background(), p, &Options{TimeLimit: 300 * time.Millisecond})
	check("time limit", res, err, gst.StatusTimeLimit)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err = Solve(ctx, p, nil)
	check("cancelled", res, err, gst.StatusCanceled)
	ctx, cancel = context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res, err = Solve(ctx, p, nil)
	check("deadline", res, err, gst.StatusTimeLimit)
}

func TestValidation(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name string
		p    *Problem
		want []string // substrings, one per reported problem
		is   error
	}{
		{"nil", nil, []string{"problem: is nil"}, gst.ErrInvalid},
		{"sizes", &Problem{}, []string{"Clients: must be >= 1", "Sites: must be >= 1"}, gst.ErrInvalid},
		{"everything at once", &Problem{Clients: 2, Sites: 2, Weight: []float64{1, -1},
			Cost: [][]float64{{0, math.NaN()}, {1}}, FixedCost: []float64{inf, 0}, P: 3, Rule: []Rule{Free, 7}, MaxChanges: 1},
			[]string{"client 1: Weight: must be a finite number >= 0", "client 0 site 1: Cost: must be >= 0 or +Inf", "client 1: Cost: has 1 entries",
				"site 0: FixedCost: must be a finite number", "P: must be in [0, Sites = 2]", "site 1: Rule: unknown rule 7", "Current: MaxChanges needs Current"}, gst.ErrInvalid},
		{"lists", &Problem{Clients: 1, Sites: 2, Lists: [][]Candidate{{{Site: 2, Cost: 1}, {Site: 0, Cost: -1}, {Site: 0, Cost: 1}}}, Far: func(int, int) float64 { return 0 }},
			[]string{"client 0 candidate 0: Site: must be in [0, 2)", "client 0 candidate 1: Cost: must be finite and >= 0", "client 0 candidate 2: Site: site 0 listed twice", "Far: needs Beyond"}, gst.ErrInvalid},
		{"both forms", &Problem{Clients: 1, Sites: 1, Cost: [][]float64{{1}}, Lists: [][]Candidate{{}}}, []string{"give Cost or Lists, not both"}, gst.ErrInvalid},
		{"unreachable client", &Problem{Clients: 2, Sites: 2, Cost: [][]float64{{1, 2}, {inf, inf}}, P: 1}, []string{"client 1: Cost: gst: infeasible: no site may serve this client"}, gst.ErrInfeasible},
		{"too many forced", &Problem{Clients: 1, Sites: 2, Cost: [][]float64{{1, 2}}, P: 1, Rule: []Rule{Open, Open}}, []string{"2 sites are forced open but at most 1 may open"}, gst.ErrInfeasible},
		{"change limit", &Problem{Clients: 1, Sites: 3, Cost: [][]float64{{1, 2, 3}}, P: 2, Current: []bool{true, false, false}, MaxChanges: 1, Rule: []Rule{Closed, Free, Free}},
			[]string{"no plan satisfies"}, gst.ErrInfeasible},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Solve(context.Background(), tc.p, nil)
			if err == nil {
				t.Fatalf("no error; result %+v", res)
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			var got []string
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range j.Unwrap() {
					got = append(got, e.Error())
				}
			} else {
				got = []string{err.Error()}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d problems reported, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for k, w := range tc.want {
				if !strings.Contains(got[k], w) {
					t.Errorf("problem %d = %q, want it to contain %q", k, got[k], w)
				}
			}
		})
	}
}

func TestFarBelowBeyondIsReported(t *testing.T) {
	p := &Problem{Clients: 2, Sites: 2, P: 1,
		Lists:  [][]Candidate{{{Site: 0, Cost: 1}}, {{Site: 1, Cost: 1}}},
		Beyond: []float64{5, 5},
		Far:    func(i, j int) float64 { return 2 }, // breaks the promise
	}
	_, err := Solve(context.Background(), p, nil)
	if !errors.Is(err, gst.ErrInvalid) || !strings.Contains(err.Error(), "below Beyond") {
		t.Errorf("err = %v", err)
	}
}

func TestManySitesUFL(t *testing.T) {
	// 6,000 candidate sites and no cardinality: the local search table is
	// capped, the solve still proves its answer.
	r := rand.New(rand.NewPCG(8, 8))
	const n, m = 40, 6000
	p := &Problem{Clients: n, Sites: m, Cost: make([][]float64, n), FixedCost: make([]float64, m)}
	for i := range p.Cost {
		p.Cost[i] = make([]float64, m)
		for j := range p.Cost[i] {
			p.Cost[i][j] = float64(r.IntN(1000))
		}
	}
	for j := range p.FixedCost {
		p.FixedCost[j] = float64(500 + r.IntN(1000))
	}
	res, err := Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != gst.StatusOptimal || res.Bound != res.Objective {
		t.Errorf("status %v objective %v bound %v", res.Status, res.Objective, res.Bound)
	}
	// Too many sites that must open for the local search table.
	big := &Problem{Clients: 1, Sites: 20000, Cost: [][]float64{make([]float64, 20000)}, MinOpen: 10000}
	if _, err := Solve(context.Background(), big, nil); !errors.Is(err, gst.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}
