package orlib

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/gstplan/gst"
)

// Cap is a capacitated warehouse location instance of OR-Library
// (cap41–cap134, capa, capb, capc).
type Cap struct {
	// M is the number of potential warehouses and N the number of
	// customers.
	M, N int
	// Capacity[i] is the capacity of warehouse i, in units of demand.
	Capacity []float64
	// FixedCost[i] is the cost of opening warehouse i.
	FixedCost []float64
	// Demand[j] is the demand of customer j.
	Demand []float64
	// Cost[i][j] is the cost of allocating ALL of customer j's demand to
	// warehouse i, as in the file (OR-Library capinfo). When a customer is
	// split, a fraction x of its demand served by i costs x·Cost[i][j]; the
	// cost per unit of demand is Cost[i][j]/Demand[j]. The rows share one
	// backing array.
	Cost [][]float64
	// CapacityPlaceholder reports that the file gave the word "capacity"
	// instead of numbers (capa, capb, capc) and that Capacity holds the
	// value passed to ReadCap.
	CapacityPlaceholder bool
}

// ReadCap reads an OR-Library capacitated warehouse location file with
// default Options. See ReadCapWith.
func ReadCap(r io.Reader, capacity float64) (*Cap, error) { return ReadCapWith(r, capacity, nil) }

// ReadCapWith reads an OR-Library capacitated warehouse location file
// (capinfo format), as a stream of whitespace-separated tokens:
//
//	m n                          warehouses, customers
//	cap_i fixed_i                m times
//	d_j c_1j c_2j … c_mj         n times: demand, then the cost of
//	                             serving all of it from each warehouse
//
// In capa, capb and capc every capacity is the word "capacity", a
// placeholder for the value that makes the four problems of each set
// (Beasley 1988: 8000, 10000, 12000, 14000 for capa, and so on). capacity
// replaces each placeholder; pass 0 for files with numeric capacities.
// A placeholder without a capacity (capacity == 0), a capacity for a file
// without placeholders, and a negative or non-finite capacity are errors,
// so a capacity is never silently ignored.
//
// Capacities must be > 0; fixed costs, demands and costs finite and >= 0.
// Errors are *ParseError values wrapping gst.ErrInvalid, or gst.ErrTooLarge
// when m or n exceeds Options.MaxN or m×n exceeds Options.MaxCells.
func ReadCapWith(r io.Reader, capacity float64, opt *Options) (*Cap, error) {
	s := newScanner(r, opt.name(r))
	if math.IsNaN(capacity) || math.IsInf(capacity, 0) || capacity < 0 {
		return nil, &ParseError{Name: s.name, Field: "capacity argument", Expected: "0 (no placeholder) or a finite capacity > 0",
			Got: fmt.Sprint(capacity), Err: gst.ErrInvalid}
	}
	m, err := s.countField("header: m (number of warehouses)", 1, opt.maxN())
	if err != nil {
		return nil, err
	}
	n, err := s.countField("header: n (number of customers)", 1, opt.maxN())
	if err != nil {
		return nil, err
	}
	if m > opt.maxCells()/n {
		return nil, s.tooLarge("header: n (number of customers)",
			fmt.Sprintf("m×n at most %d cells (see Options.MaxCells)", opt.maxCells()), fmt.Sprintf("%d×%d", m, n))
	}
	c := &Cap{M: m, N: n}
	placeholders := 0
	for i := 1; i <= m; i++ {
		f := "warehouse " + strconv.Itoa(i)
		t, err := s.token(f+": capacity", "a capacity > 0 or the word \"capacity\"")
		if err != nil {
			return nil, err
		}
		var v float64
		if t == "capacity" {
			if capacity == 0 {
				return nil, s.fail(f+": capacity", "a number, or a capacity passed to ReadCap for the placeholder \"capacity\"", strconv.Quote(t))
			}
			placeholders++
			v = capacity
		} else {
			var ok bool
			v, ok = parseNumber(t)
			if !ok || v <= 0 {
				return nil, s.fail(f+": capacity", "a finite decimal number > 0 or the word \"capacity\"", strconv.Quote(t))
			}
		}
		c.Capacity = append(c.Capacity, v)
		fc, err := s.number(f+": fixed cost", true, false)
		if err != nil {
			return nil, err
		}
		c.FixedCost = append(c.FixedCost, fc)
	}
	if capacity != 0 && placeholders == 0 {
		return nil, &ParseError{Name: s.name, Field: "capacity argument",
			Expected: "0, because the file gives numeric capacities (no \"capacity\" placeholder)",
			Got:      fmt.Sprint(capacity), Err: gst.ErrInvalid}
	}
	c.CapacityPlaceholder = placeholders > 0
	// Costs arrive customer by customer (column by column of Cost); they
	// are appended as read, so memory grows with the input actually
	// present, and transposed at the end.
	byCustomer := make([]float64, 0, min(m*n, 1<<16))
	for j := 1; j <= n; j++ {
		f := "customer " + strconv.Itoa(j)
		d, err := s.number(f+": demand", true, false)
		if err != nil {
			return nil, err
		}
		c.Demand = append(c.Demand, d)
		for i := 1; i <= m; i++ {
			v, err := s.number(f+": cost from warehouse "+strconv.Itoa(i), true, false)
			if err != nil {
				return nil, err
			}
			byCustomer = append(byCustomer, v)
		}
	}
	if err := s.end(fmt.Sprintf("the %d customers announced in the header", n)); err != nil {
		return nil, err
	}
	cells := make([]float64, m*n)
	c.Cost = make([][]float64, m)
	for i := range c.Cost {
		row := cells[i*n : (i+1)*n : (i+1)*n]
		for j := range row {
			row[j] = byCustomer[j*m+i]
		}
		c.Cost[i] = row
	}
	return c, nil
}
