package orlib

import (
	"errors"
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

// fuzzOptions keep the fuzzers' allocations small.
var fuzzOptions = &Options{Name: "fuzz", MaxN: 500, MaxCells: 1 << 16}

// checkErr fails unless err is a *ParseError wrapping ErrInvalid or
// ErrTooLarge.
func checkErr(t *testing.T, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || !(errors.Is(err, gst.ErrInvalid) || errors.Is(err, gst.ErrTooLarge)) {
		t.Fatalf("error %v (%T) is not a typed ParseError", err, err)
	}
	if pe.Expected == "" || pe.Got == "" || pe.Name != "fuzz" {
		t.Fatalf("incomplete error %#v", pe)
	}
}

func seed(f *testing.F, file string, extra ...string) {
	if b, err := os.ReadFile(file); err == nil {
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add([]byte(strings.ReplaceAll(string(b), "\n", "\r\n")))
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

func FuzzReadPMed(f *testing.F) {
	seed(f, "testdata/pmed1.txt", "", "1 0 1", "2 1 1\n1 2 3", "3 3 2\n1 2 5\n2 3 1\n1 2 9\n", "3 1 1\n1 2 5",
		"2 1 1\n1 1 3", "2 1 3\n1 2 3", "2 1 1\n1 2 -3", "2 2 1\r\n1 2 3\r\n1 2 4", "2 1 1 1 2 3 4", "9999999 1 1", "2 1 1\n1 2 1e3")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPMedWith(strings.NewReader(string(data)), fuzzOptions)
		if err != nil {
			checkErr(t, err)
			return
		}
		if p.P < 1 || p.P > p.N || len(p.Dist) != p.N {
			t.Fatalf("N=%d P=%d rows=%d", p.N, p.P, len(p.Dist))
		}
		for i := range p.Dist {
			if len(p.Dist[i]) != p.N || p.Dist[i][i] != 0 {
				t.Fatalf("row %d: len %d diag %d", i, len(p.Dist[i]), p.Dist[i][i])
			}
			for j := range p.Dist[i] {
				if p.Dist[i][j] != p.Dist[j][i] || p.Dist[i][j] < 0 {
					t.Fatalf("Dist[%d][%d] = %d, Dist[%d][%d] = %d", i, j, p.Dist[i][j], j, i, p.Dist[j][i])
				}
			}
		}
	})
}

func FuzzReadCap(f *testing.F) {
	seed(f, "testdata/cap41.txt", "", "1 1\n5 3\n1 2\n", "2 1\ncapacity 10.\ncapacity 20.\n5 1.5 2.5\n", "1 1\ncapacity 3\n1 1\n",
		"1 1\n5 3\n1 NaN\n", "1 1\n5 3\n1 2 3\n", "1 2\n5 3\n1 2\n", "1 1\n5 -3\n1 2\n", "1 1\n5 3\n1 +Inf\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, capacity := range []float64{0, 100} {
			c, err := ReadCapWith(strings.NewReader(string(data)), capacity, fuzzOptions)
			if err != nil {
				checkErr(t, err)
				continue
			}
			if len(c.Capacity) != c.M || len(c.FixedCost) != c.M || len(c.Demand) != c.N || len(c.Cost) != c.M {
				t.Fatalf("inconsistent shape %+v", c)
			}
			if c.CapacityPlaceholder != (capacity > 0) {
				t.Fatalf("placeholder %v with capacity %v", c.CapacityPlaceholder, capacity)
			}
			for i := range c.Cost {
				if len(c.Cost[i]) != c.N || !(c.Capacity[i] > 0) || math.IsInf(c.Capacity[i], 0) {
					t.Fatalf("row %d: len %d capacity %v", i, len(c.Cost[i]), c.Capacity[i])
				}
				for _, v := range c.Cost[i] {
					if !(v >= 0) || math.IsInf(v, 0) {
						t.Fatalf("cost %v", v)
					}
				}
			}
		}
	})
}

func FuzzReadPMedCap(f *testing.F) {
	seed(f, "testdata/pmedcap1_01.txt", "", "1 10\n1 1 5\n1 0 0 1\n", "1 10\n2 1 5\n1 0 0 1\n3 0 0 1\n", "1 10\n2 3 5\n", "1 10 1 1 0 1 2 3")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPMedCapWith(strings.NewReader(string(data)), fuzzOptions)
		if err != nil {
			checkErr(t, err)
			return
		}
		if p.P < 1 || p.P > p.N || len(p.X) != p.N || len(p.Y) != p.N || len(p.Demand) != p.N || !(p.Q > 0) {
			t.Fatalf("inconsistent %+v", p)
		}
		for i := 0; i < p.N; i++ {
			if d := p.Dist(i, (i+1)%p.N); math.IsNaN(d) || math.IsInf(d, 0) || d < 0 {
				t.Fatalf("distance %v", d)
			}
		}
	})
}

func FuzzReadSJC(f *testing.F) {
	seed(f, "testdata/SJC1.dat", "", "1 1\r\n0 0 5 1\r\n", "1 1\r\n0 0 0 1\r\n", "2 1\n0 0 5 1\n", "1 2\n0 0 5 1", "1 1 -1e15 1e15 1 0")
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadSJCWith(strings.NewReader(string(data)), fuzzOptions)
		if err != nil {
			checkErr(t, err)
			return
		}
		if s.P < 1 || s.P > s.N || len(s.X) != s.N || len(s.Capacity) != s.N || len(s.Demand) != s.N {
			t.Fatalf("inconsistent %+v", s)
		}
		for i := 0; i < s.N; i++ {
			if d := s.Dist(i, (i+1)%s.N); math.IsNaN(d) || math.IsInf(d, 0) || d < 0 {
				t.Fatalf("distance %v", d)
			}
		}
	})
}

func FuzzReadOptima(f *testing.F) {
	seed(f, "testdata/capopt.txt", "", "pmed1 5\n", "Data file\n\n x 1\n", "a 1 (capacity 2)\n 3 (capacity 4)\n\nnote\n", "1 2\n", "a 1 (capacity\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ReadOptimaWith(strings.NewReader(string(data)), fuzzOptions)
		if err != nil {
			checkErr(t, err)
			return
		}
		for _, e := range o {
			if e.Instance == "" || math.IsNaN(e.Value) || e.Capacity < 0 {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}

func checkPoints(t *testing.T, p *Points) {
	t.Helper()
	if p.N < 1 || len(p.X) != p.N || len(p.Y) != p.N {
		t.Fatalf("inconsistent %+v", p)
	}
	for i := 0; i < p.N; i++ {
		if d := p.FloorDist(i, (i+1)%p.N); math.IsNaN(d) || math.IsInf(d, 0) || d < 0 {
			t.Fatalf("distance %v", d)
		}
	}
}

func FuzzReadTSPLIB(f *testing.F) {
	seed(f, "testdata/tiny14.tsp", "", "DIMENSION : 1\nNODE_COORD_SECTION\n1 0 0\nEOF\n", "DIMENSION:2\nNODE_COORD_SECTION\n2 1 1\n1 0 0",
		"NAME\nDIMENSION : 1\nNODE_COORD_SECTION\n1 0 0\n", "DIMENSION : 1\rNODE_COORD_SECTION\r1 0 0\rEOF\rx", "COMMENT :"+strings.Repeat("x", 5000))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadTSPLIBWith(strings.NewReader(string(data)), fuzzOptions)
		if err != nil {
			checkErr(t, err)
			return
		}
		checkPoints(t, p)
	})
}

func FuzzReadBIRCH(f *testing.F) {
	seed(f, "testdata/tiny20_birch.txt", "", "1 2 0 0", "1\n2\n0.5 -0.5\n", "2 2 0 0 1", "1 3 0 0 0")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadBIRCHWith(strings.NewReader(string(data)), fuzzOptions)
		if err != nil {
			checkErr(t, err)
			return
		}
		checkPoints(t, p)
	})
}

func FuzzReadSSCFLP(f *testing.F) {
	seed(f, "testdata/tiny3x6.holmberg", "", "1 1 5 5 1 3", "1 2\n5 5\n1 1\n3 4\n", "1 1 0 5 1 3")
	seed(f, "testdata/tiny3x6.delmaire")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, read := range []func(io.Reader, *Options) (*SSCFLP, error){ReadHolmbergWith, ReadDelmaireWith} {
			p, err := read(strings.NewReader(string(data)), fuzzOptions)
			if err != nil {
				checkErr(t, err)
				continue
			}
			if len(p.Capacity) != p.M || len(p.FixedCost) != p.M || len(p.Demand) != p.N || len(p.Cost) != p.M {
				t.Fatalf("inconsistent shape %+v", p)
			}
			for _, row := range p.Cost {
				if len(row) != p.N {
					t.Fatalf("row of %d costs, want %d", len(row), p.N)
				}
			}
		}
	})
}

func FuzzReadCPMPGrid(f *testing.F) {
	inst, _ := os.ReadFile("testdata/spain6_002.txt")
	grid, _ := os.ReadFile("testdata/spain.grd")
	f.Add(inst, grid)
	f.Add([]byte("2 1\n0 0 5 1\n1 1 5 1\n"), []byte("0 1 1 0"))
	f.Add([]byte("2 1\n0 0 5 1\n1 1 5 1\n"), []byte("0 1 1"))
	f.Fuzz(func(t *testing.T, data, g []byte) {
		c, err := ReadCPMPGridWith(strings.NewReader(string(data)), strings.NewReader(string(g)), &Options{Name: "fuzz", GridName: "fuzz", MaxN: 500, MaxCells: 1 << 16})
		if err != nil {
			checkErr(t, err)
			return
		}
		if len(c.Grid) != c.N*c.N {
			t.Fatalf("grid of %d cells for %d points", len(c.Grid), c.N)
		}
		for i := 0; i < c.N; i++ {
			if c.Dist(i, i) != 0 {
				t.Fatalf("Dist(%d, %d) = %v", i, i, c.Dist(i, i))
			}
		}
	})
}
