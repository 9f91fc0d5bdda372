package orlib

import (
	"fmt"
	"io"
	"strconv"
)

// SSCFLP is a single-source capacitated facility location instance: open
// facilities, each with a capacity and a fixed cost, and serve every
// customer's whole demand from one open facility, minimising fixed plus
// assignment costs. The files of Holmberg, Rönnqvist and Yuan (1999), Yang,
// Chu and Chen (2012), Delmaire et al. (1999) and OR-Library's cap files
// read as single-source problems all become this form.
type SSCFLP struct {
	// M is the number of facilities and N the number of customers.
	M, N int
	// Capacity[j] is the capacity of facility j, in units of demand;
	// FixedCost[j] the cost of opening it.
	Capacity, FixedCost []float64
	// Demand[i] is the demand of customer i.
	Demand []float64
	// Cost[j][i] is the cost of serving ALL of customer i's demand from
	// facility j. The rows share one backing array.
	Cost [][]float64
}

// ReadHolmberg reads a Holmberg file with default Options. See
// ReadHolmbergWith.
func ReadHolmberg(r io.Reader) (*SSCFLP, error) { return ReadHolmbergWith(r, nil) }

// ReadHolmbergWith reads a single-source CFLP file of Holmberg, Rönnqvist
// and Yuan (1999, instances p1–p71), as a stream of whitespace-separated
// tokens:
//
//	J I                      facilities, customers
//	capacity_j fixed_j       J times
//	d_i                      I demands
//	c_j1 … c_jI              J rows: the cost of serving all of customer
//	                         i's demand from facility j
//
// Capacities must be > 0; fixed costs, demands and costs finite and >= 0.
// Errors are *ParseError values wrapping gst.ErrInvalid, or gst.ErrTooLarge
// when J or I exceeds Options.MaxN or J×I exceeds Options.MaxCells.
func ReadHolmbergWith(r io.Reader, opt *Options) (*SSCFLP, error) {
	s := newScanner(r, opt.name(r))
	m, n, err := sscflpHeader(s, opt, "J (number of facilities)", "I (number of customers)")
	if err != nil {
		return nil, err
	}
	p := newSSCFLP(m, n)
	for j := 1; j <= m; j++ {
		f := "facility " + strconv.Itoa(j)
		if p.Capacity[j-1], err = s.number(f+": capacity", false, true); err != nil {
			return nil, err
		}
		if p.FixedCost[j-1], err = s.number(f+": fixed cost", true, false); err != nil {
			return nil, err
		}
	}
	if err := readList(s, p.Demand, "customer %d: demand"); err != nil {
		return nil, err
	}
	cells, err := readCells(s, m, n, "cost from facility %d to customer %d")
	if err != nil {
		return nil, err
	}
	if err := s.end(fmt.Sprintf("the %d×%d costs announced in the header", m, n)); err != nil {
		return nil, err
	}
	p.setCost(cells, false)
	return p, nil
}

// ReadYang reads a file of Yang, Chu and Chen (2012) with default
// Options. See ReadYangWith.
func ReadYang(r io.Reader) (*SSCFLP, error) { return ReadHolmbergWith(r, nil) }

// ReadYangWith reads a single-source CFLP file of Yang, Chu and Chen
// (2012), whose layout is Holmberg's: see ReadHolmbergWith. The two cannot
// be told apart by their content.
func ReadYangWith(r io.Reader, opt *Options) (*SSCFLP, error) { return ReadHolmbergWith(r, opt) }

// ReadDelmaire reads a Delmaire file with default Options. See
// ReadDelmaireWith.
func ReadDelmaire(r io.Reader) (*SSCFLP, error) { return ReadDelmaireWith(r, nil) }

// ReadDelmaireWith reads a single-source CFLP file of Delmaire et al.
// (1999), customers first, as a stream of whitespace-separated tokens:
//
//	I J                      customers, facilities
//	c_i1 … c_iJ              I rows: the cost of serving all of customer
//	                         i's demand from each facility
//	d_i                      I demands
//	f_j                      J fixed costs
//	capacity_j               J capacities
//
// The limits and errors are those of ReadHolmbergWith.
func ReadDelmaireWith(r io.Reader, opt *Options) (*SSCFLP, error) {
	s := newScanner(r, opt.name(r))
	n, m, err := sscflpHeader(s, opt, "I (number of customers)", "J (number of facilities)")
	if err != nil {
		return nil, err
	}
	p := newSSCFLP(m, n)
	cells, err := readCells(s, n, m, "cost to customer %d from facility %d")
	if err != nil {
		return nil, err
	}
	if err := readList(s, p.Demand, "customer %d: demand"); err != nil {
		return nil, err
	}
	if err := readList(s, p.FixedCost, "facility %d: fixed cost"); err != nil {
		return nil, err
	}
	for j := range p.Capacity {
		if p.Capacity[j], err = s.number(fmt.Sprintf("facility %d: capacity", j+1), false, true); err != nil {
			return nil, err
		}
	}
	if err := s.end(fmt.Sprintf("the %d capacities announced in the header", m)); err != nil {
		return nil, err
	}
	p.setCost(cells, true)
	return p, nil
}

// SingleSource returns the capacitated warehouse location instance as a
// single-source problem: each customer served whole by one warehouse (the
// OR-Library cap files as read in the single-source literature). The
// result shares c's slices.
func (c *Cap) SingleSource() *SSCFLP {
	return &SSCFLP{M: c.M, N: c.N, Capacity: c.Capacity, FixedCost: c.FixedCost, Demand: c.Demand, Cost: c.Cost}
}

// sscflpHeader reads the two counts of a header and checks the matrix
// size before anything is allocated.
func sscflpHeader(s *scanner, opt *Options, first, second string) (int, int, error) {
	a, err := s.countField("header: "+first, 1, opt.maxN())
	if err != nil {
		return 0, 0, err
	}
	b, err := s.countField("header: "+second, 1, opt.maxN())
	if err != nil {
		return 0, 0, err
	}
	if a > opt.maxCells()/b {
		return 0, 0, s.tooLarge("header: "+second, fmt.Sprintf("at most %d matrix cells (see Options.MaxCells)", opt.maxCells()), fmt.Sprintf("%d×%d", a, b))
	}
	return a, b, nil
}

// newSSCFLP allocates the lists of an instance of m facilities and n
// customers; the header was checked against the size limits.
func newSSCFLP(m, n int) *SSCFLP {
	return &SSCFLP{M: m, N: n, Capacity: make([]float64, m), FixedCost: make([]float64, m), Demand: make([]float64, n)}
}

// readCells reads a rows×cols matrix of numbers >= 0, row by row; field
// has two %d, the 1-based row and column. The slice grows as numbers
// arrive, so memory follows the input actually present.
func readCells(s *scanner, rows, cols int, field string) ([]float64, error) {
	cells := make([]float64, 0, min(rows*cols, 1<<16))
	for a := 1; a <= rows; a++ {
		for b := 1; b <= cols; b++ {
			v, err := s.number(fmt.Sprintf(field, a, b), true, false)
			if err != nil {
				return nil, err
			}
			cells = append(cells, v)
		}
	}
	return cells, nil
}

// setCost sets Cost from cells, facility-major, or customer-major when
// byCustomer is true.
func (p *SSCFLP) setCost(cells []float64, byCustomer bool) {
	m, n := p.M, p.N
	if byCustomer {
		t := make([]float64, m*n)
		for i := 0; i < n; i++ {
			for j := 0; j < m; j++ {
				t[j*n+i] = cells[i*m+j]
			}
		}
		cells = t
	}
	p.Cost = make([][]float64, m)
	for j := range p.Cost {
		p.Cost[j] = cells[j*n : (j+1)*n : (j+1)*n]
	}
}

// readList reads len(dst) numbers >= 0; field has one %d, the 1-based
// position.
func readList(s *scanner, dst []float64, field string) error {
	for k := range dst {
		v, err := s.number(fmt.Sprintf(field, k+1), true, false)
		if err != nil {
			return err
		}
		dst[k] = v
	}
	return nil
}
