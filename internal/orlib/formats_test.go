package orlib

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadTSPLIBTestdata(t *testing.T) {
	p, err := ReadTSPLIB(open(t, "testdata/tiny14.tsp"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "tiny14" || p.N != 14 || len(p.X) != 14 || len(p.Y) != 14 {
		t.Fatalf("got name %q n %d (%d, %d coordinates)", p.Name, p.N, len(p.X), len(p.Y))
	}
	// First line of the section: "1 2.40000e+01 6.90000e+01".
	b, _ := os.ReadFile("testdata/tiny14.tsp")
	line := strings.Split(string(b), "\n")[6]
	var id int
	var x, y float64
	if _, err := fmtSscan(line, &id, &x, &y); err != nil || id != 1 || p.X[0] != x || p.Y[0] != y {
		t.Fatalf("node 1: line %q, read (%v, %v)", line, p.X[0], p.Y[0])
	}
	if d := p.FloorDist(0, 1); d != math.Floor(math.Hypot(p.X[0]-p.X[1], p.Y[0]-p.Y[1])) || d != math.Floor(p.Dist(0, 1)) {
		t.Errorf("FloorDist %v, Dist %v", d, p.Dist(0, 1))
	}
}

func TestReadTSPLIBForms(t *testing.T) {
	// Keywords with the colon attached or alone, CRLF line ends, ids out of
	// order, no EOF line: the same three points.
	forms := []string{
		"NAME : t\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\nEOF\n",
		"NAME: t\r\nCOMMENT: a b : c\r\nDIMENSION:3\r\nNODE_COORD_SECTION\r\n3 6 8\r\n1 0 0\r\n2 3 4\r\n",
		"NAME:t\nDIMENSION :   3\nEDGE_WEIGHT_TYPE: CEIL_2D\nNODE_COORD_SECTION\n1 0e0 0\n2 3.0 4\n3 6 8.00\nEOF",
	}
	want := &Points{Name: "t", N: 3, X: []float64{0, 3, 6}, Y: []float64{0, 4, 8}}
	for k, f := range forms {
		got, err := ReadTSPLIBWith(strings.NewReader(f), &Options{Name: "case.txt"})
		if err != nil {
			t.Fatalf("form %d: %v", k, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("form %d (-want +got):\n%s", k, diff)
		}
	}
}

func TestReadBIRCHTestdata(t *testing.T) {
	p, err := ReadBIRCH(open(t, "testdata/tiny20_birch.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if p.N != 20 || len(p.X) != 20 || p.Name != "" {
		t.Fatalf("got %+v", p)
	}
	q, err := ReadBIRCH(strings.NewReader("2 2\n0.5 1\n-1.5 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&Points{N: 2, X: []float64{0.5, -1.5}, Y: []float64{1, 1}}, q); diff != "" {
		t.Error(diff)
	}
	if q.Dist(0, 1) != 2 {
		t.Errorf("Dist = %v, want 2", q.Dist(0, 1))
	}
}

func TestReadCPMPTestdata(t *testing.T) {
	c, err := ReadCPMP(open(t, "testdata/tiny10_003.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if c.N != 10 || c.P != 3 || c.Grid != nil || len(c.Capacity) != 10 || c.Capacity[0] != 40 {
		t.Fatalf("got %+v", c)
	}
	g, err := ReadCPMPGridWith(open(t, "testdata/spain6_002.txt"), open(t, "testdata/spain.grd"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if g.N != 6 || g.P != 2 || len(g.Grid) != 36 {
		t.Fatalf("got %+v", g)
	}
	for i := 0; i < g.N; i++ {
		for j := 0; j < g.N; j++ {
			if g.Dist(i, j) != g.Grid[i*6+j] || g.Dist(i, j) != g.Dist(j, i) || (i == j) != (g.Dist(i, j) == 0) {
				t.Fatalf("Dist(%d, %d) = %v", i, j, g.Dist(i, j))
			}
		}
	}
}

func TestReadSSCFLPLayouts(t *testing.T) {
	h, err := ReadHolmberg(open(t, "testdata/tiny3x6.holmberg"))
	if err != nil {
		t.Fatal(err)
	}
	want := &SSCFLP{M: 3, N: 6, Capacity: []float64{26, 26, 27}, FixedCost: []float64{89, 85, 80},
		Demand: []float64{10, 6, 7, 6, 6, 9},
		Cost:   [][]float64{{51, 45, 24, 36, 8, 54}, {57, 10, 27, 53, 39, 52}, {16, 59, 38, 14, 18, 21}}}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("Holmberg (-want +got):\n%s", diff)
	}
	y, err := ReadYangWith(open(t, "testdata/tiny3x6.holmberg"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, y); diff != "" {
		t.Errorf("Yang (-want +got):\n%s", diff)
	}
	d, err := ReadDelmaire(open(t, "testdata/tiny3x6.delmaire"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("Delmaire (-want +got):\n%s", diff)
	}
	// NUL padding after the last line, as in copies of Holmberg's p2–p71,
	// and leftovers after it, as in p47.
	b, err := os.ReadFile("testdata/tiny3x6.holmberg")
	if err != nil {
		t.Fatal(err)
	}
	padded, err := ReadHolmbergWith(strings.NewReader(string(b)+"\x00\x00\x00 7. 12.\r\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, padded); diff != "" {
		t.Errorf("NUL-padded Holmberg (-want +got):\n%s", diff)
	}
	c, err := ReadCap(open(t, "testdata/tiny3x6.cap"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, c.SingleSource()); diff != "" {
		t.Errorf("cap as single source (-want +got):\n%s", diff)
	}
}

func TestReadFormatErrors(t *testing.T) {
	named := &Options{Name: "case.txt"}
	small := &Options{Name: "case.txt", MaxN: 50, MaxCells: 100}
	tsp := func(s string) error { _, err := ReadTSPLIBWith(strings.NewReader(s), named); return err }
	birch := func(s string) error { _, err := ReadBIRCHWith(strings.NewReader(s), named); return err }
	holm := func(s string) error { _, err := ReadHolmbergWith(strings.NewReader(s), named); return err }
	delm := func(s string) error { _, err := ReadDelmaireWith(strings.NewReader(s), named); return err }
	grid := func(g string) func(string) error {
		return func(s string) error {
			_, err := ReadCPMPGridWith(strings.NewReader(s), strings.NewReader(g), &Options{Name: "case.txt", GridName: "case.txt grid"})
			return err
		}
	}
	tests := []struct {
		name string
		read func(string) error
		in   string
		want perr
	}{
		{"tsp no dimension", tsp, "NAME : x\nNODE_COORD_SECTION\n1 0 0\n", perr{2, 2, "NODE_COORD_SECTION", "a DIMENSION line before it", "none", "invalid"}},
		{"tsp geo", tsp, "DIMENSION : 1\nEDGE_WEIGHT_TYPE : GEO\n", perr{2, 2, "header: EDGE_WEIGHT_TYPE", "EUC_2D or CEIL_2D (planar coordinates)", `"GEO"`, "invalid"}},
		{"tsp atsp", tsp, "TYPE: ATSP\n", perr{1, 1, "header: TYPE", "TSP", `"ATSP"`, "invalid"}},
		{"tsp bad dimension", tsp, "DIMENSION : -4\n", perr{1, 1, "header: DIMENSION", "an integer >= 1", `"-4"`, "invalid"}},
		{"tsp dimension too large", tsp, "DIMENSION : 100001\n", perr{1, 1, "header: DIMENSION", "at most 100000 nodes (the size limit; see Options)", `"100001"`, "too large"}},
		{"tsp repeated id", tsp, "DIMENSION : 2\nNODE_COORD_SECTION\n1 0 0\n1 1 1\n", perr{4, 6, "node line 2: id", "an id not used before", "1", "invalid"}},
		{"tsp id out of range", tsp, "DIMENSION : 2\nNODE_COORD_SECTION\n3 0 0\n", perr{3, 3, "node line 1: id", "an integer in [1, 2]", `"3"`, "invalid"}},
		{"tsp short", tsp, "DIMENSION : 2\nNODE_COORD_SECTION\n1 0 0\n", perr{3, 6, "node line 2: id", "an integer in [1, 2]", "end of input", "invalid"}},
		{"tsp junk after", tsp, "DIMENSION : 1\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n", perr{4, 6, "after the 1 nodes of DIMENSION", "EOF or end of input", `"2"`, "invalid"}},
		{"tsp EOF before section", tsp, "DIMENSION : 1\nEOF\n", perr{2, 2, "header", "NODE_COORD_SECTION before EOF", "EOF", "invalid"}},
		{"birch dimension 3", birch, "2 3\n", perr{1, 2, "header: dimension", "an integer in [2, 2]", `"3"`, "invalid"}},
		{"birch short", birch, "2\n2\n0 0\n1\n", perr{4, 6, "point 2: y", "a decimal number in [-1e15, 1e15]", "end of input", "invalid"}},
		{"birch too large", func(s string) error { _, err := ReadBIRCHWith(strings.NewReader(s), small); return err }, "51 2",
			perr{1, 1, "header: n (number of points)", "an integer in [1, 50] (the size limit; see Options)", `"51"`, "too large"}},
		{"grid diagonal", grid("0 1\n1 2\n"), "2 1\n0 0 5 1\n1 1 5 1\n", perr{2, 4, "distance from point 2 to point 2", "0 on the diagonal", "2", "invalid"}},
		{"grid short", grid("0 1\n1\n"), "2 1\n0 0 5 1\n1 1 5 1\n", perr{2, 4, "distance from point 2 to point 2", "a finite decimal number >= 0", "end of input", "invalid"}},
		{"grid long", grid("0 1 1 0 7"), "2 1\n0 0 5 1\n1 1 5 1\n", perr{1, 5, "after the 2×2 distances of the 2 points of the instance", "end of input", `"7"`, "invalid"}},
		{"holmberg zero capacity", holm, "1 1\n0 5\n", perr{2, 3, "facility 1: capacity", "a finite decimal number > 0", `"0"`, "invalid"}},
		{"holmberg short matrix", holm, "1 2\n5 5\n1 1\n3\n", perr{4, 8, "cost from facility 1 to customer 2", "a finite decimal number >= 0", "end of input", "invalid"}},
		{"holmberg trailing", holm, "1 1\n5 5\n1\n3\n4\n", perr{5, 7, "after the 1×1 costs announced in the header", "end of input", `"4"`, "invalid"}},
		{"holmberg cells", func(s string) error { _, err := ReadHolmbergWith(strings.NewReader(s), small); return err }, "11 10",
			perr{1, 2, "header: I (number of customers)", "at most 100 matrix cells (see Options.MaxCells)", "11×10", "too large"}},
		{"delmaire negative cost", delm, "1 1\n-3\n", perr{2, 3, "cost to customer 1 from facility 1", "a finite decimal number >= 0", `"-3"`, "invalid"}},
		{"delmaire zero capacity", delm, "1 1\n3\n1\n5\n0\n", perr{5, 6, "facility 1: capacity", "a finite decimal number > 0", `"0"`, "invalid"}},
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

func fmtSscan(s string, a ...any) (int, error) { return fmt.Sscan(s, a...) }
