package osmroad

import (
	"fmt"
	"strings"

	"github.com/gstplan/gst"
)

// Error is a file that cannot be read into a road network: unreadable,
// truncated or corrupt, an element with impossible values, or no road
// left to drive. errors.Is(err, gst.ErrInvalid) holds for every Error, and
// errors.Is and errors.As also see the cause (an *os.PathError, an
// *xml.SyntaxError, a context error).
type Error struct {
	// File names the input.
	File string
	// Line is the line of an XML file where the problem is, when known.
	Line int
	// Element is the element at fault ("node 42", "way 7"), or, for a
	// file that breaks off or cannot be decoded, the last element read
	// whole, prefixed with "after"; empty when there is none.
	Element string
	// Err says what is wrong.
	Err error
}

// Error returns "osmroad: file:line: element: problem", leaving out what
// is unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("osmroad: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Element != "" {
		b.WriteString(": ")
		b.WriteString(e.Element)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is gst.ErrInvalid, which every Error is.
func (e *Error) Is(target error) bool { return target == gst.ErrInvalid }
