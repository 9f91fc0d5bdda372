package orlib

import (
	"errors"
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
