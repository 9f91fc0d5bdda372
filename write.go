package gst

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func fmtBool(b bool) string {
	if b {
		return "true"
	}
	return ""
}

func fmtInt(v int) string {
	if v == 0 {
		return ""
	}
	return strconv.Itoa(v)
}

// EncodeCSV renders the region as the files of a region directory (see
// ReadDir), keyed by file name, areas.geojson included when an area has a
// Boundary. Optional files with no rows are left out.
// The output is deterministic: records keep their order in the region.
func EncodeCSV(r *Region) (map[string][]byte, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: region is nil", ErrInvalid)
	}
	out := map[string][]byte{}
	put := func(file string, header []string, rows [][]string, always bool) error {
		if len(rows) == 0 && !always {
			return nil
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		if err := w.Write(header); err != nil {
			return err
		}
		if err := w.WriteAll(rows); err != nil {
			return err
		}
		out[file] = b.Bytes()
		return nil
	}
	var rows [][]string
	if r.ID != "" {
		rows = append(rows, []string{"id", r.ID})
	}
	if r.Name != "" {
		rows = append(rows, []string{"name", r.Name})
	}
	for _, a := range r.Attribution {
		rows = append(rows, []string{"attribution", a})
	}
	if err := put(fileRegion, []string{"field", "value"}, rows, false); err != nil {
		return nil, err
	}
	rows = nil
	for _, p := range r.Provinces {
		rows = append(rows, []string{string(p.ID), p.Name})
	}
	if err := put(fileProvinces, []string{"id", "name"}, rows, false); err != nil {
		return nil, err
	}
	rows = nil
	var segs [][]string
	for _, a := range r.Areas {
		dep := ""
		if a.Deprivation != nil {
			dep = fmtFloat(*a.Deprivation)
		}
		past := ""
		if a.PastPopulation != 0 || a.PastYear != 0 {
			past = fmtFloat(a.PastPopulation)
		}
		rows = append(rows, []string{string(a.ID), a.Name, string(a.Province), fmtFloat(a.Lat), fmtFloat(a.Lon),
			fmtFloat(a.Population), fmtInt(a.Year), past, fmtInt(a.PastYear), fmtBool(a.Urban), dep})
		for _, s := range a.Segments {
			segs = append(segs, []string{string(a.ID), s.Name, fmtFloat(s.Population)})
		}
	}
	if err := put(fileAreas, []string{"id", "name", "province", "lat", "lon", "population", "year", "past_population", "past_year", "urban", "deprivation"}, rows, true); err != nil {
		return nil, err
	}
	if err := put(fileSegments, []string{"area", "segment", "population"}, segs, false); err != nil {
		return nil, err
	}
	rows = nil
	var offers, staff [][]string
	for _, e := range r.Establishments {
		own := ""
		if e.Ownership != Public {
			own = e.Ownership.String()
		} else {
			own = "public"
		}
		lvl := ""
		if e.Level.Valid() {
			lvl = e.Level.String()
		}
		rows = append(rows, []string{string(e.ID), e.Name, lvl, own, string(e.Province), string(e.Area),
			fmtFloat(e.Lat), fmtFloat(e.Lon), fmtFloat(e.Beds), fmtBool(e.Closable), fmtBool(e.Candidate),
			fmtFloat(e.OpenCost), fmtFloat(e.CloseCost), e.Source})
		for _, o := range e.Offers {
			offers = append(offers, []string{string(e.ID), string(o.Service), fmtFloat(o.Capacity)})
		}
		for _, s := range e.Staff {
			staff = append(staff, []string{string(e.ID), string(s.Category), fmtFloat(s.FTE)})
		}
	}
	if err := put(fileEstablishments, []string{"id", "name", "level", "ownership", "province", "area", "lat", "lon", "beds", "closable", "candidate", "open_cost", "close_cost", "source"}, rows, false); err != nil {
		return nil, err
	}
	if err := put(fileOffers, []string{"establishment", "service", "capacity"}, offers, false); err != nil {
		return nil, err
	}
	if err := put(fileStaff, []string{"establishment", "category", "fte"}, staff, false); err != nil {
		return nil, err
	}
	rows = nil
	for _, s := range r.Services {
		ml := ""
		if s.MinLevel.Valid() {
			ml = s.MinLevel.String()
		}
		rows = append(rows, []string{string(s.ID), s.Name, s.Unit, ml, fmtFloat(s.StandardMinutes)})
	}
	if err := put(fileServices, []string{"id", "name", "unit", "min_level", "standard_minutes"}, rows, false); err != nil {
		return nil, err
	}
	rows = nil
	for _, c := range r.Categories {
		rows = append(rows, []string{string(c.ID), c.Name, fmtFloat(c.HoursPerYear), fmtFloat(c.AnnualCost)})
	}
	if err := put(fileCategories, []string{"id", "name", "hours_per_year", "annual_cost"}, rows, false); err != nil {
		return nil, err
	}
	if r.Travel != nil {
		var b bytes.Buffer
		if err := WriteMatrixCSV(&b, r.Travel); err != nil {
			return nil, err
		}
		out[fileTravel] = b.Bytes()
	}
	if b, err := EncodeBoundaries(r); err != nil {
		return nil, err
	} else if b != nil {
		out[fileBoundaries] = b
	}
	return out, nil
}

// WriteMatrixCSV writes the reachable legs of a matrix as CSV with the
// columns from, to, minutes and km, in origin then destination order.
func WriteMatrixCSV(w io.Writer, m *Matrix) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"from", "to", "minutes", "km"}); err != nil {
		return err
	}
	for _, e := range m.Entries() {
		if err := cw.Write([]string{e.From, e.To, fmtFloat(e.Minutes), fmtFloat(e.Km)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteDir writes the region as a region directory (see ReadDir),
// creating dir when needed. Files of the directory that the region does
// not need are left alone.
func WriteDir(dir string, r *Region) error {
	files, err := EncodeCSV(r)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the region as one indented JSON document, the same
// content as a region directory. The output is deterministic.
func WriteJSON(w io.Writer, r *Region) error {
	if r == nil {
		return fmt.Errorf("%w: region is nil", ErrInvalid)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadJSON reads a region written by WriteJSON. Unknown fields are errors;
// a syntax or type error names its line and column; the region is
// validated before it is returned, with its records in the order of their
// IDs as ReadDir gives them. label names the input in errors.
func ReadJSON(rd io.Reader, label string, opt *ReadOptions) (*Region, error) {
	data, err := readLimited(rd, label, opt.maxBytes())
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	r := &Region{}
	if err := dec.Decode(r); err != nil {
		return nil, jsonErr(label, data, err)
	}
	if dec.More() {
		return nil, &ValidationError{File: label, Where: "document", Err: errors.New("more than one JSON value")}
	}
	if err := r.Validate(); err != nil {
		return nil, labelErrors(err, label)
	}
	r.canonical(nil)
	return r, nil
}

// labelErrors names the input in the validation errors of err that do not
// name a file, so that a problem found after decoding still says which
// document it is in.
func labelErrors(err error, label string) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			labelErrors(e, label)
		}
		return err
	}
	var ve *ValidationError
	if errors.As(err, &ve) && ve.File == "" {
		ve.File = label
	}
	return err
}

// jsonErr turns a decoding error into a *ValidationError with a line and
// column when the offset is known.
func jsonErr(label string, data []byte, err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		if ve.File == "" {
			ve.File = label
		}
		return err
	}
	if errors.Is(err, ErrInvalid) {
		return &ValidationError{File: label, Where: "document", Err: err}
	}
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	field := ""
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
		field = te.Field
	}
	line, col := 0, 0
	if off >= 0 && off <= int64(len(data)) {
		line = 1 + bytes.Count(data[:off], []byte("\n"))
		col = int(off) - bytes.LastIndexByte(data[:off], '\n')
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return &ValidationError{File: label, Line: line, Column: col, Where: "document", Field: field, Err: errors.New(msg)}
}

// Open reads a region from a path on disk: a region directory (see
// ReadDir) or a JSON document (a file ending in .json). Errors name the
// files under that path.
func Open(path string, opt *ReadOptions) (*Region, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return readDir(os.DirFS(path), ".", path, opt)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadJSON(f, path, opt)
}
