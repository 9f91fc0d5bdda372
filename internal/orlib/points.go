package orlib

import (
	"fmt"
	"io"
	"math"
	"strconv"
)

// PMedCap is a capacitated p-median (capacitated clustering) instance of
// Osman and Christofides (OR-Library pmedcap1, one problem per file). Every
// customer is also a candidate median with capacity Q; each customer is
// served by exactly one median.
type PMedCap struct {
	// Problem is the problem number and BestKnown the best known
	// (optimal) objective value given in the file.
	Problem   int
	BestKnown float64
	// N is the number of customers, P the number of medians, Q the
	// capacity of every median.
	N, P int
	Q    float64
	// X, Y are the coordinates and Demand the demand of each customer
	// (0-based; the file numbers customers from 1).
	X, Y, Demand []float64
}

// Dist returns the distance between customers i and j (0-based): the
// Euclidean distance truncated to an integer (floor), as the published
// optima of this set require.
func (p *PMedCap) Dist(i, j int) float64 {
	return math.Floor(math.Hypot(p.X[i]-p.X[j], p.Y[i]-p.Y[j]))
}

// DistMatrix returns the N×N matrix of Dist.
func (p *PMedCap) DistMatrix() [][]float64 { return matrix(p.N, p.Dist) }

// ReadPMedCap reads an Osman–Christofides capacitated p-median file with
// default Options. See ReadPMedCapWith.
func ReadPMedCap(r io.Reader) (*PMedCap, error) { return ReadPMedCapWith(r, nil) }

// ReadPMedCapWith reads one problem of OR-Library pmedcap1, as a stream of
// whitespace-separated tokens:
//
//	problem best_known
//	n p Q
//	i x_i y_i d_i        n times, i = 1..n in order
//
// 1 <= p <= n, Q > 0, demands >= 0, coordinates within ±MaxCoord. Errors are
// *ParseError values wrapping gst.ErrInvalid, or gst.ErrTooLarge when n
// exceeds Options.MaxN.
func ReadPMedCapWith(r io.Reader, opt *Options) (*PMedCap, error) {
	s := newScanner(r, opt.name(r))
	no, err := s.integer("header: problem number", 0, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	best, err := s.number("header: best known value", true, false)
	if err != nil {
		return nil, err
	}
	n, err := s.countField("header: n (number of customers)", 1, opt.maxN())
	if err != nil {
		return nil, err
	}
	p, err := s.integer("header: p (number of medians)", 1, int64(n))
	if err != nil {
		return nil, err
	}
	q, err := s.number("header: Q (capacity of a median)", false, true)
	if err != nil {
		return nil, err
	}
	pc := &PMedCap{Problem: int(no), BestKnown: best, N: n, P: int(p), Q: q}
	for i := 1; i <= n; i++ {
		f := "customer " + strconv.Itoa(i)
		if _, err := s.integer(f+": number", int64(i), int64(i)); err != nil {
			return nil, err
		}
		x, err := s.coord(f + ": x")
		if err != nil {
			return nil, err
		}
		y, err := s.coord(f + ": y")
		if err != nil {
			return nil, err
		}
		d, err := s.number(f+": demand", true, false)
		if err != nil {
			return nil, err
		}
		pc.X = append(pc.X, x)
		pc.Y = append(pc.Y, y)
		pc.Demand = append(pc.Demand, d)
	}
	if err := s.end(fmt.Sprintf("the %d customers announced in the header", n)); err != nil {
		return nil, err
	}
	return pc, nil
}

// CPMP is a capacitated p-median instance in the layout of Lorena and
// Senne, shared by the Stefanello, de Araújo and Müller (2015) collection:
// the São José dos Campos instances (SJC1–SJC4b), p3038_*, lin318_*,
// ali535_*, pr2392_* and spain737_*. Every point is a customer and a
// candidate median with its own capacity; each customer is served by
// exactly one median.
type CPMP struct {
	// N is the number of points and P the number of medians.
	N, P int
	// X, Y are the coordinates (planar, or longitude and latitude in
	// spain737), Capacity the capacity as a median and Demand the demand
	// of each point (0-based).
	X, Y, Capacity, Demand []float64
	// Grid, when not nil, is the N×N distance matrix, row-major, read from
	// a separate file (spain737's spain.grd); Dist then reads it instead of
	// computing distances from the coordinates.
	Grid []float64
}

// SJC is the type of the Lorena–Senne instances, the first of the CPMP
// collection.
type SJC = CPMP

// Dist returns the distance between points i and j (0-based): Grid's
// entry when there is a grid, otherwise the real (not rounded) Euclidean
// distance.
func (s *CPMP) Dist(i, j int) float64 {
	if s.Grid != nil {
		return s.Grid[i*s.N+j]
	}
	return math.Hypot(s.X[i]-s.X[j], s.Y[i]-s.Y[j])
}

// DistMatrix returns the N×N matrix of Dist.
func (s *CPMP) DistMatrix() [][]float64 { return matrix(s.N, s.Dist) }

// ReadCPMP reads a capacitated p-median file of the Stefanello
// collection with default Options; see ReadSJCWith for the layout, which
// is the same.
func ReadCPMP(r io.Reader) (*CPMP, error) { return ReadSJCWith(r, nil) }

// ReadCPMPWith is ReadSJCWith under the name of the whole collection.
func ReadCPMPWith(r io.Reader, opt *Options) (*CPMP, error) { return ReadSJCWith(r, opt) }

// ReadCPMPGridWith reads a capacitated p-median instance whose distances
// are not computed from the coordinates but given by a separate matrix
// file, as Stefanello's spain737_* instances and their spain.grd: r is the
// instance (the layout of ReadSJCWith, with longitude and latitude as
// coordinates) and grid the N×N matrix, row-major, as a stream of
// whitespace-separated numbers >= 0 (one per line in spain.grd). The
// grid's diagonal must be 0. Errors name the grid file as
// Options.GridName (default "grid").
func ReadCPMPGridWith(r, grid io.Reader, opt *Options) (*CPMP, error) {
	c, err := ReadSJCWith(r, opt)
	if err != nil {
		return nil, err
	}
	name := "grid"
	if opt != nil && opt.GridName != "" {
		name = opt.GridName
	} else if nr, ok := grid.(interface{ Name() string }); ok && nr.Name() != "" {
		name = nr.Name()
	}
	s := newScanner(grid, name)
	n := c.N
	if n > opt.maxCells()/n {
		return nil, s.tooLarge("grid", fmt.Sprintf("at most %d cells (see Options.MaxCells)", opt.maxCells()), fmt.Sprintf("%d×%d", n, n))
	}
	c.Grid = make([]float64, 0, min(n*n, 1<<16))
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			f := fmt.Sprintf("distance from point %d to point %d", i+1, j+1)
			v, err := s.number(f, true, false)
			if err != nil {
				return nil, err
			}
			if i == j && v != 0 {
				return nil, s.fail(f, "0 on the diagonal", strconv.FormatFloat(v, 'g', -1, 64))
			}
			c.Grid = append(c.Grid, v)
		}
	}
	if err := s.end(fmt.Sprintf("the %d×%d distances of the %d points of the instance", n, n, n)); err != nil {
		return nil, err
	}
	return c, nil
}

// ReadSJC reads a Lorena–Senne instance with default Options. See
// ReadSJCWith.
func ReadSJC(r io.Reader) (*SJC, error) { return ReadSJCWith(r, nil) }

// ReadSJCWith reads a Lorena–Senne capacitated p-median instance, as a
// stream of whitespace-separated tokens (the files have CRLF line ends):
//
//	n p
//	x y capacity demand      n times
//
// 1 <= p <= n, capacities > 0, demands >= 0, coordinates within ±MaxCoord. Errors are
// *ParseError values wrapping gst.ErrInvalid, or gst.ErrTooLarge when n
// exceeds Options.MaxN.
func ReadSJCWith(r io.Reader, opt *Options) (*SJC, error) {
	s := newScanner(r, opt.name(r))
	n, err := s.countField("header: n (number of points)", 1, opt.maxN())
	if err != nil {
		return nil, err
	}
	p, err := s.integer("header: p (number of medians)", 1, int64(n))
	if err != nil {
		return nil, err
	}
	sj := &SJC{N: n, P: int(p)}
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
		c, err := s.number(f+": capacity", false, true)
		if err != nil {
			return nil, err
		}
		d, err := s.number(f+": demand", true, false)
		if err != nil {
			return nil, err
		}
		sj.X = append(sj.X, x)
		sj.Y = append(sj.Y, y)
		sj.Capacity = append(sj.Capacity, c)
		sj.Demand = append(sj.Demand, d)
	}
	if err := s.end(fmt.Sprintf("the %d points announced in the header", n)); err != nil {
		return nil, err
	}
	return sj, nil
}

func matrix(n int, d func(i, j int) float64) [][]float64 {
	cells := make([]float64, n*n)
	m := make([][]float64, n)
	for i := range m {
		m[i] = cells[i*n : (i+1)*n : (i+1)*n]
		for j := range m[i] {
			m[i][j] = d(i, j)
		}
	}
	return m
}
