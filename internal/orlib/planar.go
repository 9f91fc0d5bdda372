package orlib

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Points is a set of points in the plane, each both a client of unit weight
// and a candidate site of an uncapacitated p-median problem: the TSPLIB
// and BIRCH instances of the p-median literature. The files carry no p:
// the literature solves each for several values.
type Points struct {
	// Name is the NAME of a TSPLIB file, "" for BIRCH files.
	Name string
	// N is the number of points; X and Y their coordinates (0-based).
	N    int
	X, Y []float64
}

// Dist returns the real (not rounded) Euclidean distance between points i
// and j, the convention of the BIRCH instances. It is computed as
// sqrt(dx²+dy²), which is exact when the distance is an integer (math.Hypot
// may fall one unit in the last place short of it, which flooring turns
// into a whole unit).
func (p *Points) Dist(i, j int) float64 {
	dx, dy := p.X[i]-p.X[j], p.Y[i]-p.Y[j]
	return math.Sqrt(dx*dx + dy*dy)
}

// FloorDist returns the Euclidean distance between points i and j rounded
// down to an integer, the convention of the TSPLIB p-median literature
// (García, Labbé and Marín 2011; Durán-Mateluna, Alès and Elloumi 2023),
// which reproduces its published optima.
func (p *Points) FloorDist(i, j int) float64 { return math.Floor(p.Dist(i, j)) }

// ReadTSPLIB reads a TSPLIB file with default Options. See ReadTSPLIBWith.
func ReadTSPLIB(r io.Reader) (*Points, error) { return ReadTSPLIBWith(r, nil) }

// ReadTSPLIBWith reads the coordinates of a TSPLIB95 file (Reinelt 1991):
// a header of "KEY : value" lines, then NODE_COORD_SECTION and one line
// "id x y" per node, then an optional EOF line:
//
//	NAME : rl1304
//	TYPE : TSP
//	DIMENSION : 1304
//	EDGE_WEIGHT_TYPE : EUC_2D
//	NODE_COORD_SECTION
//	1 1.54400e+04 8.88800e+03
//	…
//	EOF
//
// DIMENSION is required and gives n; EDGE_WEIGHT_TYPE, when given, must
// be a planar type (EUC_2D, CEIL_2D), since the points are used with
// Euclidean distances; TYPE, when given, must be TSP. Other keywords
// (COMMENT, …) are ignored. The ids must be 1..n, each once, in any order.
// Errors are *ParseError values wrapping gst.ErrInvalid, or
// gst.ErrTooLarge when n exceeds Options.MaxN.
func ReadTSPLIBWith(r io.Reader, opt *Options) (*Points, error) {
	s := newScanner(r, opt.name(r))
	pts := &Points{}
	n := -1
	for {
		t, err := s.token("header", "a keyword or NODE_COORD_SECTION")
		if err != nil {
			return nil, err
		}
		key, val, _ := strings.Cut(t, ":")
		key = strings.TrimSpace(key)
		if key == "NODE_COORD_SECTION" && val == "" {
			break
		}
		rest, err := s.restOfLine("header: " + key)
		if err != nil {
			return nil, err
		}
		val = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(val+" "+rest), ":"))
		switch key {
		case "NAME":
			pts.Name = val
		case "TYPE":
			if val != "TSP" {
				return nil, s.fail("header: TYPE", "TSP", strconv.Quote(val))
			}
		case "DIMENSION":
			v, perr := strconv.ParseInt(val, 10, 64)
			if perr != nil || v < 1 {
				return nil, s.fail("header: DIMENSION", "an integer >= 1", strconv.Quote(val))
			}
			if v > int64(opt.maxN()) {
				return nil, s.tooLarge("header: DIMENSION", fmt.Sprintf("at most %d nodes (the size limit; see Options)", opt.maxN()), strconv.Quote(val))
			}
			n = int(v)
		case "EDGE_WEIGHT_TYPE":
			if val != "EUC_2D" && val != "CEIL_2D" {
				return nil, s.fail("header: EDGE_WEIGHT_TYPE", "EUC_2D or CEIL_2D (planar coordinates)", strconv.Quote(val))
			}
		case "EOF":
			return nil, s.fail("header", "NODE_COORD_SECTION before EOF", "EOF")
		}
	}
	if n < 0 {
		return nil, s.fail("NODE_COORD_SECTION", "a DIMENSION line before it", "none")
	}
	pts.N = n
	pts.X, pts.Y = make([]float64, n), make([]float64, n)
	seen := make([]bool, n)
	for k := 1; k <= n; k++ {
		f := "node line " + strconv.Itoa(k)
		id, err := s.integer(f+": id", 1, int64(n))
		if err != nil {
			return nil, err
		}
		if seen[id-1] {
			return nil, s.fail(f+": id", "an id not used before", strconv.FormatInt(id, 10))
		}
		seen[id-1] = true
		if pts.X[id-1], err = s.coord(f + ": x"); err != nil {
			return nil, err
		}
		if pts.Y[id-1], err = s.coord(f + ": y"); err != nil {
			return nil, err
		}
	}
	t, err := s.next("")
	if err == io.EOF {
		return pts, nil
	}
	if err != nil {
		return nil, err
	}
	if t != "EOF" {
		return nil, s.fail(fmt.Sprintf("after the %d nodes of DIMENSION", n), "EOF or end of input", strconv.Quote(t))
	}
	if err := s.end("EOF"); err != nil {
		return nil, err
	}
	return pts, nil
}

// ReadBIRCH reads a BIRCH point file with default Options. See
// ReadBIRCHWith.
func ReadBIRCH(r io.Reader) (*Points, error) { return ReadBIRCHWith(r, nil) }

// ReadBIRCHWith reads a BIRCH point file of the p-median literature
// (Avella et al. 2012), as a stream of whitespace-separated tokens:
//
//	n 2
//	x y          n times
//
// (the larger files put n and 2 on separate lines, which the token stream
// reads the same way). The dimension must be 2. Errors are *ParseError
// values wrapping gst.ErrInvalid, or gst.ErrTooLarge when n exceeds
// Options.MaxN.
func ReadBIRCHWith(r io.Reader, opt *Options) (*Points, error) {
	s := newScanner(r, opt.name(r))
	n, err := s.countField("header: n (number of points)", 1, opt.maxN())
	if err != nil {
		return nil, err
	}
	if _, err := s.integer("header: dimension", 2, 2); err != nil {
		return nil, err
	}
	pts := &Points{N: n, X: make([]float64, 0, min(n, 1<<16)), Y: make([]float64, 0, min(n, 1<<16))}
	for i := 1; i <= n; i++ {
		f := "point " + strconv.Itoa(i)
		x, err := s.coord(f + ": x")
		if err != nil {
			return nil, err
		}
		y, err := s.coord(f + ": y")
		if err != nil {
			return nil, err
		}
		pts.X = append(pts.X, x)
		pts.Y = append(pts.Y, y)
	}
	if err := s.end(fmt.Sprintf("the %d points announced in the header", n)); err != nil {
		return nil, err
	}
	return pts, nil
}
