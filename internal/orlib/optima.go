package orlib

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gstplan/gst"
)

// Optimum is one entry of an OR-Library table of optimal values.
type Optimum struct {
	// Instance is the data file's name without extension, e.g. "pmed1",
	// "cap41" or "capa".
	Instance string
	// Capacity is the warehouse capacity the value belongs to, for the
	// capa/capb/capc entries "(capacity 8000)"; 0 when the table gives
	// none.
	Capacity float64
	// Value is the optimal objective value.
	Value float64
}

// ReadOptima reads an OR-Library table of optimal values, pmedopt.txt or
// capopt.txt, with default Options. See ReadOptimaWith.
func ReadOptima(r io.Reader) ([]Optimum, error) { return ReadOptimaWith(r, nil) }

// ReadOptimaWith reads an OR-Library table of optimal values (pmedopt.txt,
// capopt.txt). Unlike the instance files this one is read line by line:
//
//	Data file   Optimal solution value        optional header line
//	pmed1 5819                                 instance value
//	capa  19240822.449 (capacity 8000)         instance value (capacity c)
//	      18438046.543 (capacity 10000)        value for the instance above
//
// A blank line after the entries ends the table; what follows (capopt's
// closing note) is ignored. Entries are returned in file order. Errors are
// *ParseError values wrapping gst.ErrInvalid; Token counts within the
// line. Options.MaxN limits the number of entries.
func ReadOptimaWith(r io.Reader, opt *Options) ([]Optimum, error) {
	name := opt.name(r)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<16)
	var out []Optimum
	line := 0
	last := ""
	fail := func(tok int, field, expected, got string) error {
		return &ParseError{Name: name, Line: line, Token: tok, Field: field, Expected: expected, Got: got, Err: gst.ErrInvalid}
	}
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			if len(out) > 0 {
				break
			}
			continue
		}
		if len(out) == 0 && last == "" && f[0] == "Data" {
			continue // the header line
		}
		k := 0
		inst := last
		if _, isNum := parseNumber(f[0]); !isNum {
			inst = f[0]
			k = 1
		} else if last == "" {
			return nil, fail(1, "entry", "an instance name before the first value", strconv.Quote(f[0]))
		}
		if k >= len(f) {
			return nil, fail(k+1, "entry "+inst, "an optimal value", "end of line")
		}
		v, ok := parseNumber(f[k])
		if !ok {
			return nil, fail(k+1, "entry "+inst, "an optimal value (a decimal number)", strconv.Quote(f[k]))
		}
		o := Optimum{Instance: inst, Value: v}
		k++
		if k < len(f) {
			if f[k] != "(capacity" || k+2 != len(f) || !strings.HasSuffix(f[k+1], ")") {
				return nil, fail(k+1, "entry "+inst, `nothing, or "(capacity N)" at the end of the line`, strconv.Quote(strings.Join(f[k:], " ")))
			}
			c, ok := parseNumber(strings.TrimSuffix(f[k+1], ")"))
			if !ok || c <= 0 {
				return nil, fail(k+2, "entry "+inst, "a capacity > 0", strconv.Quote(f[k+1]))
			}
			o.Capacity = c
		}
		if len(out) >= opt.maxN() {
			return nil, &ParseError{Name: name, Line: line, Field: "table", Expected: fmt.Sprintf("at most %d entries", opt.maxN()), Got: "more", Err: gst.ErrTooLarge}
		}
		out = append(out, o)
		last = inst
	}
	if err := sc.Err(); err == bufio.ErrTooLong {
		return nil, &ParseError{Name: name, Line: line + 1, Field: "line", Expected: "a line of at most 65536 bytes", Got: "a longer line", Err: gst.ErrInvalid}
	} else if err != nil {
		return nil, fmt.Errorf("orlib: %s: reading: %w", name, err)
	}
	if len(out) == 0 {
		return nil, &ParseError{Name: name, Line: line, Field: "table", Expected: "at least one entry", Got: "none", Err: gst.ErrInvalid}
	}
	return out, nil
}
