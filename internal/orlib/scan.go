package orlib

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/gstplan/gst"
)

// Default size limits. A header that announces more than these is refused
// with an error wrapping gst.ErrTooLarge before any large allocation.
const (
	// DefaultMaxN is the default limit on a count read from a header:
	// vertices, customers, warehouses, points.
	DefaultMaxN = 100_000
	// DefaultMaxCells is the default limit on the number of cells of a
	// matrix a reader builds: n×n distances for pmed, m×n costs for cap
	// (1<<27 cells is 1 GiB of 8-byte numbers).
	DefaultMaxCells = 1 << 27
	// MaxEdgeCost is the largest edge cost ReadPMed accepts, so that
	// shortest paths over up to DefaultMaxN vertices stay far from integer
	// overflow.
	MaxEdgeCost = 1_000_000_000_000
	// MaxCoord bounds the absolute value of a coordinate, so that
	// distances stay finite and exact enough.
	MaxCoord = 1e15
	// maxToken is the longest token the readers accept, in bytes.
	maxToken = 64
)

// Options tunes a reader. A nil *Options means the defaults.
type Options struct {
	// Name names the input in errors, for example a file name. Default: the
	// result of r.Name() when the reader has such a method (as *os.File
	// does), otherwise "input".
	Name string
	// MaxN is the largest count (vertices, customers, warehouses, points)
	// a header may announce. Default DefaultMaxN.
	MaxN int
	// MaxCells is the largest number of matrix cells (n×n for pmed, m×n
	// for cap) a reader builds. Default DefaultMaxCells.
	MaxCells int
	// GridName names the distance matrix file of ReadCPMPGridWith in
	// errors. Default: its Name() as for the instance, otherwise "grid".
	GridName string
}

func (o *Options) name(r io.Reader) string {
	if o != nil && o.Name != "" {
		return o.Name
	}
	if nr, ok := r.(interface{ Name() string }); ok && nr.Name() != "" {
		return nr.Name()
	}
	return "input"
}

func (o *Options) maxN() int {
	if o != nil && o.MaxN > 0 {
		return o.MaxN
	}
	return DefaultMaxN
}

func (o *Options) maxCells() int {
	if o != nil && o.MaxCells > 0 {
		return o.MaxCells
	}
	return DefaultMaxCells
}

// ParseError reports malformed or oversized input: which input, where in it
// (line and token number), what was being read and what was expected.
// errors.Is(err, gst.ErrInvalid) holds for malformed input and
// errors.Is(err, gst.ErrTooLarge) for input above a size limit.
type ParseError struct {
	// Name names the input (Options.Name).
	Name string
	// Line is the 1-based line of the offending token, or the line of the
	// last token when the input ended early; 0 when the problem is not at one place
	// (for example a disconnected graph).
	Line int
	// Token is the 1-based number of the offending token in the input's
	// stream of whitespace-separated tokens, or the number of the token
	// that was missing at the end of the input; 0 when the problem is not
	// at one token.
	Token int
	// Field says what was being read, for example "edge 17: cost".
	Field string
	// Expected says what the reader expected there.
	Expected string
	// Got is the token found, "end of input" when the input ended early,
	// or a description of what was found.
	Got string
	// Err is gst.ErrInvalid or gst.ErrTooLarge.
	Err error
}

// Error returns "orlib: name:line: token k: field: expected …, got …",
// leaving out what is unknown.
func (e *ParseError) Error() string {
	s := "orlib: " + e.Name
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Token > 0 {
		s += ": token " + strconv.Itoa(e.Token)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	if errors.Is(e.Err, gst.ErrTooLarge) {
		s += ": too large"
	}
	s += ": expected " + e.Expected + ", got " + e.Got
	return s
}

// Unwrap returns gst.ErrInvalid or gst.ErrTooLarge.
func (e *ParseError) Unwrap() error { return e.Err }

// scanner reads a stream of whitespace-separated tokens and remembers where
// each one is. Line ends may be LF, CRLF or CR; the last line may lack its
// line end.
type scanner struct {
	r     *bufio.Reader
	name  string
	line  int // line of the next byte
	count int // tokens read so far
	tline int // line of the last token read
	buf   []byte
	prevR bool // previous byte was '\r'
	nul   bool // a NUL byte was read: the input ends there
}

func newScanner(r io.Reader, name string) *scanner {
	return &scanner{r: bufio.NewReaderSize(r, 64<<10), name: name, line: 1, buf: make([]byte, 0, maxToken)}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// next returns the next token, io.EOF at the end of the input, a
// *ParseError for a token longer than maxToken, or a read error.
func (s *scanner) next(field string) (string, error) {
	s.buf = s.buf[:0]
	for {
		c, err := s.r.ReadByte()
		if err == nil && c == 0 {
			// A NUL byte ends the input: some copies of the benchmark
			// files are padded to a block size with NUL bytes (Holmberg's
			// p2–p71), and one (p47) carries leftovers of a longer file
			// after them.
			s.nul = true
		}
		if s.nul {
			err = io.EOF
		}
		if err != nil {
			if err == io.EOF {
				if len(s.buf) > 0 {
					break
				}
				return "", io.EOF
			}
			return "", fmt.Errorf("orlib: %s: reading: %w", s.name, err)
		}
		if isSpace(c) {
			newline := c == '\n' && !s.prevR || c == '\r'
			s.prevR = c == '\r'
			if len(s.buf) > 0 {
				// The token ends here; count the line end after it.
				if newline {
					s.line++
				}
				break
			}
			if newline {
				s.line++
			}
			continue
		}
		s.prevR = false
		if len(s.buf) == 0 {
			s.tline = s.line
		}
		if len(s.buf) >= maxToken {
			s.count++
			return "", &ParseError{Name: s.name, Line: s.tline, Token: s.count, Field: field,
				Expected: fmt.Sprintf("a token of at most %d bytes", maxToken), Got: "a longer token", Err: gst.ErrInvalid}
		}
		s.buf = append(s.buf, c)
	}
	s.count++
	return string(s.buf), nil
}

// fail builds a ParseError at the last token read.
func (s *scanner) fail(field, expected, got string) error {
	return &ParseError{Name: s.name, Line: s.tline, Token: s.count, Field: field, Expected: expected, Got: got, Err: gst.ErrInvalid}
}

// tooLarge builds a ParseError wrapping gst.ErrTooLarge at the last token.
func (s *scanner) tooLarge(field, expected, got string) error {
	return &ParseError{Name: s.name, Line: s.tline, Token: s.count, Field: field, Expected: expected, Got: got, Err: gst.ErrTooLarge}
}

// token reads the next token; the end of the input is an error that says
// what was expected.
func (s *scanner) token(field, expected string) (string, error) {
	t, err := s.next(field)
	if err == io.EOF {
		return "", &ParseError{Name: s.name, Line: max(s.tline, 1), Token: s.count + 1, Field: field, Expected: expected, Got: "end of input", Err: gst.ErrInvalid}
	}
	return t, err
}

// end checks that nothing follows the last expected token.
func (s *scanner) end(after string) error {
	t, err := s.next("")
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	return s.fail("after "+after, "end of input", strconv.Quote(t))
}

// integer reads an integer in [lo, hi].
func (s *scanner) integer(field string, lo, hi int64) (int64, error) {
	expected := fmt.Sprintf("an integer in [%d, %d]", lo, hi)
	t, err := s.token(field, expected)
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseInt(t, 10, 64)
	if perr != nil || v < lo || v > hi {
		return 0, s.fail(field, expected, strconv.Quote(t))
	}
	return v, nil
}

// countField reads a count in [lo, max]; a count above max is ErrTooLarge.
func (s *scanner) countField(field string, lo int64, max int) (int, error) {
	expected := fmt.Sprintf("an integer in [%d, %d]", lo, max)
	t, err := s.token(field, expected)
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseInt(t, 10, 64)
	if perr != nil && !errors.Is(perr, strconv.ErrRange) || perr == nil && v < lo {
		return 0, s.fail(field, expected, strconv.Quote(t))
	}
	if perr != nil || v > int64(max) {
		return 0, s.tooLarge(field, expected+" (the size limit; see Options)", strconv.Quote(t))
	}
	return int(v), nil
}

// isDecimal reports whether t looks like a decimal number: optional sign,
// digits with at most one point, optional exponent. It keeps out what
// strconv.ParseFloat also accepts but no data file means: NaN, Inf, hex
// floats and underscores.
func isDecimal(t string) bool {
	i := 0
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		i++
	}
	digits, dot := 0, false
	for ; i < len(t); i++ {
		c := t[i]
		if c >= '0' && c <= '9' {
			digits++
		} else if c == '.' && !dot {
			dot = true
		} else {
			break
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		ed := 0
		for ; i < len(t) && t[i] >= '0' && t[i] <= '9'; i++ {
			ed++
		}
		if ed == 0 {
			return false
		}
	}
	return i == len(t)
}

// parseNumber parses a finite decimal number.
func parseNumber(t string) (float64, bool) {
	if !isDecimal(t) {
		return 0, false
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// number reads a finite decimal number; nonNegative also requires v >= 0
// and positive requires v > 0.
func (s *scanner) number(field string, nonNegative, positive bool) (float64, error) {
	expected := "a finite decimal number"
	switch {
	case positive:
		expected += " > 0"
	case nonNegative:
		expected += " >= 0"
	}
	t, err := s.token(field, expected)
	if err != nil {
		return 0, err
	}
	v, ok := parseNumber(t)
	if !ok || positive && v <= 0 || nonNegative && v < 0 {
		return 0, s.fail(field, expected, strconv.Quote(t))
	}
	return v, nil
}

// coord reads a coordinate in [-MaxCoord, MaxCoord].
func (s *scanner) coord(field string) (float64, error) {
	const expected = "a decimal number in [-1e15, 1e15]"
	t, err := s.token(field, expected)
	if err != nil {
		return 0, err
	}
	v, ok := parseNumber(t)
	if !ok || math.Abs(v) > MaxCoord {
		return 0, s.fail(field, expected, strconv.Quote(t))
	}
	return v, nil
}

// maxLine is the longest rest of a header line restOfLine accepts, in
// bytes.
const maxLine = 4096

// restOfLine returns what follows the last token on its line, trimmed of
// spaces, and moves past the line end. It returns "" when the last token
// ended its line.
func (s *scanner) restOfLine(field string) (string, error) {
	if s.line > s.tline {
		return "", nil
	}
	var b []byte
	for {
		c, err := s.r.ReadByte()
		if err == io.EOF || err == nil && c == 0 || s.nul {
			s.nul = s.nul || err == nil && c == 0
			break
		}
		if err != nil {
			return "", fmt.Errorf("orlib: %s: reading: %w", s.name, err)
		}
		if c == '\n' || c == '\r' {
			s.line++
			s.prevR = c == '\r'
			break
		}
		if len(b) >= maxLine {
			return "", s.fail(field, fmt.Sprintf("a line of at most %d bytes", maxLine), "a longer line")
		}
		b = append(b, c)
	}
	return strings.TrimSpace(string(b)), nil
}
