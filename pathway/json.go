package pathway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	gst "github.com/gstplan/gst"
)

// MaxJSONBytes is the largest pathway document ReadJSON accepts: 16 MiB.
const MaxJSONBytes = 16 << 20

// ReadJSON reads a pathway set written by WriteJSON: an object with a
// "pathways" array. Unknown fields are errors; a syntax or type error names
// its line and column; the set is validated (see Set.Validate) before it is
// returned. label names the input in errors (a file name, for example).
// Errors wrap gst.ErrInvalid, or gst.ErrTooLarge above MaxJSONBytes.
func ReadJSON(rd io.Reader, label string) (*Set, error) {
	b, err := io.ReadAll(io.LimitReader(rd, MaxJSONBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	if len(b) > MaxJSONBytes {
		return nil, fmt.Errorf("%w: %s: pathway document larger than %d bytes", gst.ErrTooLarge, label, MaxJSONBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s Set
	if err := dec.Decode(&s); err != nil {
		return nil, jsonError(label, b, dec, err)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, &gst.ValidationError{File: label, Where: "pathway document", Err: errors.New("trailing data after the JSON object")}
	}
	if err := s.Validate(); err != nil {
		return nil, relabel(label, err)
	}
	return &s, nil
}

// relabel sets the File of every *gst.ValidationError in err to label.
func relabel(label string, err error) error {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	for _, e := range list {
		var ve *gst.ValidationError
		if errors.As(e, &ve) && ve.File == "" {
			ve.File = label
		}
	}
	return err
}

func jsonError(label string, b []byte, dec *json.Decoder, err error) error {
	var off int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var msg string
	switch {
	case errors.As(err, &syn):
		// Offset counts the offending byte: point at it.
		off, msg = syn.Offset-1, syn.Error()
	case errors.As(err, &typ):
		off = typ.Offset - 1
		if typ.Field != "" {
			msg = fmt.Sprintf("field %s: cannot read a JSON %s as %s", typ.Field, typ.Value, typ.Type)
		} else {
			msg = fmt.Sprintf("cannot read a JSON %s as %s", typ.Value, typ.Type)
		}
	case errors.Is(err, io.EOF):
		return &gst.ValidationError{File: label, Where: "pathway document", Err: errors.New("empty document")}
	case errors.Is(err, io.ErrUnexpectedEOF):
		off, msg = int64(len(b)), "unexpected end of the document"
	default:
		off, msg = dec.InputOffset(), err.Error()
		const unknown = "json: unknown field "
		if strings.HasPrefix(msg, unknown) {
			if at := keyOffset(b, strings.TrimPrefix(msg, unknown)); at >= 0 {
				off = at
			}
		}
	}
	ve := &gst.ValidationError{File: label, Where: "pathway document", Err: errors.New(msg)}
	if off >= 0 {
		ve.Line, ve.Column = lineCol(b, off)
	}
	return ve
}

// keyOffset returns the offset of the first object key spelled quoted
// (a JSON string followed by a colon), or -1.
func keyOffset(b []byte, quoted string) int64 {
	from := 0
	for {
		i := bytes.Index(b[from:], []byte(quoted))
		if i < 0 {
			return -1
		}
		at := from + i
		rest := bytes.TrimLeft(b[at+len(quoted):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			return int64(at)
		}
		from = at + len(quoted)
	}
}

func lineCol(b []byte, off int64) (line, col int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	line, col = 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// WriteJSON writes the set as one indented JSON document that ReadJSON
// reads back. It refuses an invalid set. The output is deterministic:
// pathways and steps keep their order.
func WriteJSON(w io.Writer, s *Set) error {
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("%w: pathway set: %v", gst.ErrInvalid, err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
