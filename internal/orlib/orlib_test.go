package orlib

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gstplan/gst"
)

func open(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// sharedDir returns the shared OR-Library folder beside the repository
// (the repository root's parent holds shared/), or skips the test.
func sharedDir(t testing.TB, sub string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
	d := filepath.Join(filepath.Dir(dir), "shared", "data", "orlib", sub)
	if _, err := os.Stat(d); err != nil {
		t.Skipf("benchmark data not present (%s): %v", d, err)
	}
	return d
}

// floydWarshall is an independent oracle: the pmedinfo recipe verbatim on
// the file's tokens.
func floydWarshall(t *testing.T, data string) (n, p int, d [][]int) {
	t.Helper()
	tok := strings.Fields(data)
	at := func(k int) int {
		v, err := strconv.Atoi(tok[k])
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	n, m := at(0), at(1)
	p = at(2)
	const inf = math.MaxInt / 4
	d = make([][]int, n)
	for i := range d {
		d[i] = make([]int, n)
		for j := range d[i] {
			if i != j {
				d[i][j] = inf
			}
		}
	}
	for e := 0; e < m; e++ {
		i, j, c := at(3+3*e)-1, at(4+3*e)-1, at(5+3*e)
		d[i][j], d[j][i] = c, c
	}
	for k := 0; k < n; k++ {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if d[i][k]+d[k][j] < d[i][j] {
					d[i][j] = d[i][k] + d[k][j]
				}
			}
		}
	}
	return n, p, d
}

func TestReadPMedTestdata(t *testing.T) {
	f := open(t, "testdata/pmed1.txt")
	got, err := ReadPMed(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.N != 100 || got.P != 5 || got.Edges != 200 {
		t.Fatalf("N, P, Edges = %d, %d, %d; want 100, 5, 200", got.N, got.P, got.Edges)
	}
	raw, _ := os.ReadFile("testdata/pmed1.txt")
	n, p, want := floydWarshall(t, string(raw))
	if n != got.N || p != got.P {
		t.Fatalf("oracle n, p = %d, %d", n, p)
	}
	if diff := cmp.Diff(want, got.Dist); diff != "" {
		t.Errorf("distances differ from Floyd–Warshall (-want +got):\n%s", diff)
	}
	// Objective of a median set, checked by hand on one vertex set.
	all := make([]int, got.N)
	for i := range all {
		all[i] = i
	}
	if v, err := got.Objective(all); err != nil || v != 0 {
		t.Errorf("Objective(all vertices) = %d, %v; want 0", v, err)
	}
	if _, err := got.Objective([]int{1, 1}); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("Objective with a repeated median: err = %v, want ErrInvalid", err)
	}
}

func TestReadPMedLastEdgeWins(t *testing.T) {
	// Edge 1–2 appears twice, the second time with a larger cost: the
	// last value wins even though it is larger (OR-Library pmedinfo).
	got, err := ReadPMed(strings.NewReader("3 3 1\n1 2 5\n2 3 1\r\n2 1 9"))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{{0, 9, 10}, {9, 0, 1}, {10, 1, 0}}
	if diff := cmp.Diff(want, got.Dist); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadCapTestdata(t *testing.T) {
	got, err := ReadCap(open(t, "testdata/cap41.txt"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.M != 16 || got.N != 50 || len(got.Cost) != 16 || len(got.Cost[0]) != 50 || got.CapacityPlaceholder {
		t.Fatalf("shape M=%d N=%d rows=%d placeholder=%v", got.M, got.N, len(got.Cost), got.CapacityPlaceholder)
	}
	type probe struct {
		Capacity0, Fixed0, Fixed10, Demand0, Cost00, Cost10, CostLast float64
	}
	want := probe{5000, 7500, 0, 146, 6739.725, 10355.05, 0}
	gotP := probe{got.Capacity[0], got.FixedCost[0], got.FixedCost[10], got.Demand[0], got.Cost[0][0], got.Cost[1][0], 0}
	// The last token of the file is the cost of the last customer from the
	// last warehouse.
	raw, _ := os.ReadFile("testdata/cap41.txt")
	tok := strings.Fields(string(raw))
	last, _ := strconv.ParseFloat(tok[len(tok)-1], 64)
	want.CostLast = last
	gotP.CostLast = got.Cost[15][49]
	if diff := cmp.Diff(want, gotP); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// cap41 has the same data layout as the original line-wrapped
	// OR-Library files: re-wrapping the tokens changes nothing.
	wrapped := strings.Join(tok[:20], " ") + "\r\n" + strings.Join(tok[20:], "\n")
	again, err := ReadCap(strings.NewReader(wrapped), 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("re-wrapped file reads differently:\n%s", diff)
	}
}

func TestReadCapPlaceholder(t *testing.T) {
	const in = "2 1\ncapacity 10.\ncapacity 20.\n5 1.5 2.5\n"
	got, err := ReadCap(strings.NewReader(in), 8000)
	if err != nil {
		t.Fatal(err)
	}
	want := &Cap{M: 2, N: 1, Capacity: []float64{8000, 8000}, FixedCost: []float64{10, 20}, Demand: []float64{5},
		Cost: [][]float64{{1.5}, {2.5}}, CapacityPlaceholder: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadPMedCapTestdata(t *testing.T) {
	got, err := ReadPMedCap(open(t, "testdata/pmedcap1_01.txt"))
	if err != nil {
		t.Fatal(err)
	}
	type head struct {
		Problem      int
		Best         float64
		N, P         int
		Q            float64
		X0, Y0, D0   float64
		Dist01, Dist float64
	}
	want := head{1, 713, 50, 5, 120, 2, 62, 3, math.Floor(math.Hypot(2-80, 62-25)), 0}
	g := head{got.Problem, got.BestKnown, got.N, got.P, got.Q, got.X[0], got.Y[0], got.Demand[0], got.Dist(0, 1), got.DistMatrix()[1][1]}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if d := got.Dist(0, 1); d != math.Trunc(d) {
		t.Errorf("distance %v is not floored", d)
	}
}

func TestReadSJCTestdata(t *testing.T) {
	got, err := ReadSJC(open(t, "testdata/SJC1.dat"))
	if err != nil {
		t.Fatal(err)
	}
	type head struct {
		N, P         int
		X0, Y0, C, D float64
		Dist01       float64
	}
	want := head{100, 10, 409154, 435528, 720, 50, math.Hypot(409154-409151, 435528-435683)}
	g := head{got.N, got.P, got.X[0], got.Y[0], got.Capacity[0], got.Demand[0], got.Dist(0, 1)}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadOptimaTestdata(t *testing.T) {
	pm, err := ReadOptima(open(t, "testdata/pmedopt.txt"))
	if err != nil {
		t.Fatal(err)
	}
	cp, err := ReadOptima(open(t, "testdata/capopt.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pm) != 40 || len(cp) != 49 {
		t.Fatalf("entries: pmedopt %d, capopt %d; want 40, 49", len(pm), len(cp))
	}
	if diff := cmp.Diff(Optimum{"pmed40", 0, 5128}, pm[39]); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]Optimum{{"capa", 8000, 19240822.449}, {"capa", 10000, 18438046.543}}, cp[37:39]); diff != "" {
		t.Error(diff)
	}
	// The Go table agrees with both files.
	for _, o := range append(pm, cp...) {
		k, ok := LookupKnown(o.Instance, o.Capacity)
		if !ok {
			t.Errorf("%s (capacity %v) missing from KnownValues", o.Instance, o.Capacity)
			continue
		}
		if math.Abs(k.Value-o.Value) > 0.0015 {
			t.Errorf("%s (capacity %v): table %v, file %v", o.Instance, o.Capacity, k.Value, o.Value)
		}
	}
}

func TestKnownValues(t *testing.T) {
	count := map[string]int{}
	seen := map[string]bool{}
	for _, k := range KnownValues() {
		count[k.Family]++
		key := k.Instance + "/" + strconv.FormatFloat(k.Capacity, 'g', -1, 64) + "/" + strconv.Itoa(k.P)
		if seen[key] {
			t.Errorf("duplicate %s", key)
		}
		seen[key] = true
		if !(k.Value > 0) {
			t.Errorf("%s: value %v", key, k.Value)
		}
	}
	want := map[string]int{FamilyPMed: 40, FamilyCap: 49, FamilyPMedCap: 20, FamilySJC: 6,
		FamilyTSPLIB: 63, FamilyBIRCH: 4, FamilyCPMP: 20, FamilySSCFLP: 71}
	if diff := cmp.Diff(want, count); diff != "" {
		t.Error(diff)
	}
	if k, ok := LookupKnown("SJC4b", 0); !ok || k.Optimal || k.Value != 52458.02 {
		t.Errorf("SJC4b = %+v, %v", k, ok)
	}
	if k, ok := LookupKnownP("rl5934", 1500); !ok || !k.Optimal || k.Value != 373566 {
		t.Errorf("rl5934 p=1500 = %+v, %v", k, ok)
	}
	if k, ok := LookupKnownP("u1432", 400); !ok || k.Optimal || k.Value != 103979 {
		t.Errorf("u1432 p=400 = %+v, %v", k, ok)
	}
	if _, ok := LookupKnown("rl5934", 0); ok {
		t.Error("a point set without p should not resolve")
	}
	if _, ok := LookupKnown("capa", 0); ok {
		t.Error("capa without a capacity should not resolve")
	}
}

// perr is the comparable part of a *ParseError.
type perr struct {
	Line, Token                int
	Field, Expected, Got, Kind string
}

func toPerr(t *testing.T, err error) perr {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
	kind := "invalid"
	switch {
	case errors.Is(err, gst.ErrTooLarge):
		kind = "too large"
	case !errors.Is(err, gst.ErrInvalid):
		kind = "other"
	}
	if !strings.Contains(pe.Error(), "case.txt") {
		t.Errorf("error %q does not name the input", pe.Error())
	}
	return perr{pe.Line, pe.Token, pe.Field, pe.Expected, pe.Got, kind}
}

func TestReadErrors(t *testing.T) {
	small := &Options{Name: "case.txt", MaxN: 50, MaxCells: 100}
	named := &Options{Name: "case.txt"}
	pmed := func(s string) error { _, err := ReadPMedWith(strings.NewReader(s), named); return err }
	capf := func(capacity float64) func(string) error {
		return func(s string) error { _, err := ReadCapWith(strings.NewReader(s), capacity, named); return err }
	}
	tests := []struct {
		name string
		read func(string) error
		in   string
		want perr
	}{
		{"pmed empty", pmed, "", perr{1, 1, "header: n (number of vertices)", "an integer in [1, 100000]", "end of input", "invalid"}},
		{"pmed bad cost", pmed, "3 2 1\n1 2 5\n2 3 x\n", perr{3, 9, "edge 2: cost", "an integer in [0, 1000000000000]", `"x"`, "invalid"}},
		{"pmed CRLF line count", pmed, "3 2 1\r\n1 2 5\r\n2 3 -1\r\n", perr{3, 9, "edge 2: cost", "an integer in [0, 1000000000000]", `"-1"`, "invalid"}},
		{"pmed CR only", pmed, "3 2 1\r1 2 5\r2 4 1\r", perr{3, 8, "edge 2: second vertex", "an integer in [1, 3]", `"4"`, "invalid"}},
		{"pmed p above n", pmed, "3 2 4\n", perr{1, 3, "header: p (number of medians)", "an integer in [1, 3]", `"4"`, "invalid"}},
		{"pmed self-loop", pmed, "3 1 1\n2 2 5\n", perr{2, 5, "edge 1: second vertex", "a vertex other than the first (self-loops have no meaning here)", "2", "invalid"}},
		{"pmed missing edge", pmed, "3 2 1\n1 2 5\n", perr{2, 7, "edge 2: first vertex", "an integer in [1, 3]", "end of input", "invalid"}},
		{"pmed trailing token", pmed, "2 1 1\n1 2 5\n7\n", perr{3, 7, "after the 1 edges announced in the header", "end of input", `"7"`, "invalid"}},
		{"pmed disconnected", pmed, "3 1 1\n1 2 5", perr{0, 0, "graph", "a connected graph", "vertex 3 unreachable from vertex 1 (2 of 3 vertices reachable)", "invalid"}},
		{"pmed float vertex", pmed, "3.0 1 1", perr{1, 1, "header: n (number of vertices)", "an integer in [1, 100000]", `"3.0"`, "invalid"}},
		{"pmed n too large", pmed, "100001 1 1", perr{1, 1, "header: n (number of vertices)", "an integer in [1, 100000] (the size limit; see Options)", `"100001"`, "too large"}},
		{"pmed n overflows", pmed, "99999999999999999999999 1 1", perr{1, 1, "header: n (number of vertices)", "an integer in [1, 100000] (the size limit; see Options)", `"99999999999999999999999"`, "too large"}},
		{"pmed cells", func(s string) error { _, err := ReadPMedWith(strings.NewReader(s), small); return err }, "11 1 1",
			perr{1, 1, "header: n (number of vertices)", "n×n at most 100 cells (see Options.MaxCells)", "11", "too large"}},
		{"pmed long token", pmed, strings.Repeat("1", 65), perr{1, 1, "header: n (number of vertices)", "a token of at most 64 bytes", "a longer token", "invalid"}},
		{"cap placeholder without capacity", capf(0), "1 1\ncapacity 3\n1 1\n", perr{2, 3, "warehouse 1: capacity", `a number, or a capacity passed to ReadCap for the placeholder "capacity"`, `"capacity"`, "invalid"}},
		{"cap capacity for numeric file", capf(10), "1 1\n5 3\n1 1\n", perr{0, 0, "capacity argument", `0, because the file gives numeric capacities (no "capacity" placeholder)`, "10", "invalid"}},
		{"cap NaN cost", capf(0), "1 1\n5 3\n1 NaN\n", perr{3, 6, "customer 1: cost from warehouse 1", "a finite decimal number >= 0", `"NaN"`, "invalid"}},
		{"cap hex", capf(0), "1 1\n5 0x10\n", perr{2, 4, "warehouse 1: fixed cost", "a finite decimal number >= 0", `"0x10"`, "invalid"}},
		{"cap zero capacity", capf(0), "1 1\n0 3\n", perr{2, 3, "warehouse 1: capacity", `a finite decimal number > 0 or the word "capacity"`, `"0"`, "invalid"}},
		{"cap cells", func(s string) error { _, err := ReadCapWith(strings.NewReader(s), 0, small); return err }, "11 10",
			perr{1, 2, "header: n (number of customers)", "m×n at most 100 cells (see Options.MaxCells)", "11×10", "too large"}},
		{"pmedcap misnumbered", func(s string) error { _, err := ReadPMedCapWith(strings.NewReader(s), named); return err },
			"1 10\n2 1 5\n1 0 0 1\n3 0 0 1\n", perr{4, 10, "customer 2: number", "an integer in [2, 2]", `"3"`, "invalid"}},
		{"pmedcap zero Q", func(s string) error { _, err := ReadPMedCapWith(strings.NewReader(s), named); return err },
			"1 10\n2 1 0\n", perr{2, 5, "header: Q (capacity of a median)", "a finite decimal number > 0", `"0"`, "invalid"}},
		{"sjc huge coordinate", func(s string) error { _, err := ReadSJCWith(strings.NewReader(s), named); return err },
			"1 1\r\n1e300 0 5 1\r\n", perr{2, 3, "point 1: x", "a decimal number in [-1e15, 1e15]", `"1e300"`, "invalid"}},
		{"sjc negative demand", func(s string) error { _, err := ReadSJCWith(strings.NewReader(s), named); return err },
			"1 1\r\n0 0 5 -1\r\n", perr{2, 6, "point 1: demand", "a finite decimal number >= 0", `"-1"`, "invalid"}},
		{"optima no value", func(s string) error { _, err := ReadOptimaWith(strings.NewReader(s), named); return err },
			"Data file   Optimal solution value\npmed1\n", perr{2, 2, "entry pmed1", "an optimal value", "end of line", "invalid"}},
		{"optima value first", func(s string) error { _, err := ReadOptimaWith(strings.NewReader(s), named); return err },
			"12 (capacity 5)\n", perr{1, 1, "entry", "an instance name before the first value", `"12"`, "invalid"}},
		{"optima junk", func(s string) error { _, err := ReadOptimaWith(strings.NewReader(s), named); return err },
			"pmed1 12 extra\n", perr{1, 3, "entry pmed1", `nothing, or "(capacity N)" at the end of the line`, `"extra"`, "invalid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read(tc.in)
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tc.want, toPerr(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestParseErrorText(t *testing.T) {
	_, err := ReadPMedWith(strings.NewReader("3 2 1\n1 2 5\n2 3 x\n"), &Options{Name: "pmed1.txt"})
	want := `orlib: pmed1.txt:3: token 9: edge 2: cost: expected an integer in [0, 1000000000000], got "x"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadErrorPassesThrough(t *testing.T) {
	_, err := ReadSJCWith(failingReader{}, &Options{Name: "x.dat"})
	if err == nil || errors.Is(err, gst.ErrInvalid) || !strings.Contains(err.Error(), "x.dat") || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("got %v", err)
	}
}

func TestSharedPMed(t *testing.T) {
	dir := sharedDir(t, "pmed")
	opt, err := ReadOptima(open(t, filepath.Join(dir, "pmedopt.txt")))
	if err != nil {
		t.Fatal(err)
	}
	if len(opt) != 40 {
		t.Fatalf("pmedopt: %d entries", len(opt))
	}
	sizes := map[int][2]int{100: {1, 5}, 200: {6, 10}, 300: {11, 15}, 400: {16, 20}, 500: {21, 25}, 600: {26, 30}, 700: {31, 34}, 800: {35, 37}, 900: {38, 40}}
	for k := 1; k <= 40; k++ {
		name := "pmed" + strconv.Itoa(k)
		p, err := ReadPMed(open(t, filepath.Join(dir, name+".txt")))
		if err != nil {
			t.Fatal(err)
		}
		if r := sizes[p.N]; k < r[0] || k > r[1] {
			t.Errorf("%s: n = %d", name, p.N)
		}
		if p.Edges != p.N*p.N/50 {
			t.Errorf("%s: %d edges, want n²/50 = %d", name, p.Edges, p.N*p.N/50)
		}
		for i := 0; i < p.N; i++ {
			if p.Dist[i][i] != 0 {
				t.Fatalf("%s: Dist[%d][%d] = %d", name, i, i, p.Dist[i][i])
			}
			for j := 0; j < i; j++ {
				if p.Dist[i][j] != p.Dist[j][i] || p.Dist[i][j] <= 0 && i != j {
					t.Fatalf("%s: Dist[%d][%d] = %d, Dist[%d][%d] = %d", name, i, j, p.Dist[i][j], j, i, p.Dist[j][i])
				}
			}
		}
		// Triangle inequality on a deterministic sample of triples.
		for s := 0; s < 2000; s++ {
			i, j, m := (s*7919)%p.N, (s*104729+1)%p.N, (s*1299709+2)%p.N
			if p.Dist[i][j] > p.Dist[i][m]+p.Dist[m][j] {
				t.Fatalf("%s: triangle inequality fails at %d %d %d", name, i, j, m)
			}
		}
		if k == 10 {
			raw, _ := os.ReadFile(filepath.Join(dir, name+".txt"))
			_, _, want := floydWarshall(t, string(raw))
			if diff := cmp.Diff(want, p.Dist); diff != "" {
				t.Errorf("%s differs from Floyd–Warshall", name)
			}
		}
		if opt[k-1].Instance != name {
			t.Errorf("pmedopt entry %d is %s", k, opt[k-1].Instance)
		}
	}
}

func TestSharedCap(t *testing.T) {
	dir := sharedDir(t, "cap")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := ReadOptima(open(t, filepath.Join(dir, "capopt.txt")))
	if err != nil {
		t.Fatal(err)
	}
	numbered := 0
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".txt")
		if name == "capopt" {
			continue
		}
		capacity := 0.0
		if len(name) == 4 { // capa, capb, capc
			capacity = 5000
		}
		c, err := ReadCap(open(t, filepath.Join(dir, e.Name())), capacity)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, d := range c.Demand {
			sum += d
		}
		if capacity > 0 {
			if c.M != 100 || c.N != 1000 || !c.CapacityPlaceholder || c.Capacity[99] != 5000 {
				t.Errorf("%s: M=%d N=%d placeholder=%v", name, c.M, c.N, c.CapacityPlaceholder)
			}
			continue
		}
		numbered++
		if c.N != 50 || (c.M != 16 && c.M != 25 && c.M != 50) || sum != 58268 {
			t.Errorf("%s: M=%d N=%d total demand %v (want 58268)", name, c.M, c.N, sum)
		}
		if _, ok := LookupKnown(name, 0); !ok {
			t.Errorf("%s: no known value", name)
		}
	}
	if numbered != 37 || len(opt) != 49 {
		t.Errorf("%d numbered instances, %d capopt entries", numbered, len(opt))
	}
}

func TestSharedPMedCapAndSJC(t *testing.T) {
	dir := sharedDir(t, "pmedcap")
	for k := 1; k <= 20; k++ {
		name := "pmedcap1_" + strconv.Itoa(100 + k)[1:]
		p, err := ReadPMedCap(open(t, filepath.Join(dir, name+".txt")))
		if err != nil {
			t.Fatal(err)
		}
		known, ok := LookupKnown(name, 0)
		if !ok || p.Problem != k || p.BestKnown != known.Value || p.Q != 120 {
			t.Errorf("%s: problem %d best %v Q %v; table %v", name, p.Problem, p.BestKnown, p.Q, known.Value)
		}
	}
	dir = sharedDir(t, "sjc")
	want := map[string][2]int{"SJC1": {100, 10}, "SJC2": {200, 15}, "SJC3a": {300, 25}, "SJC3b": {300, 30}, "SJC4a": {402, 30}, "SJC4b": {402, 40}}
	for name, np := range want {
		s, err := ReadSJC(open(t, filepath.Join(dir, name+".dat")))
		if err != nil {
			t.Fatal(err)
		}
		if s.N != np[0] || s.P != np[1] {
			t.Errorf("%s: n=%d p=%d, want %v", name, s.N, s.P, np)
		}
		if _, ok := LookupKnown(name, 0); !ok {
			t.Errorf("%s: no known value", name)
		}
	}
}
