package osmroad

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/gstplan/gst"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
	"github.com/paulmach/osm/osmxml"
)

// Format is the encoding of an OpenStreetMap file.
type Format int

// The formats.
const (
	// Detect tells PBF from XML by the first bytes of the file.
	Detect Format = iota
	// PBF is the binary format (.osm.pbf).
	PBF
	// XML is the XML format (.osm).
	XML
)

// String names the format.
func (f Format) String() string {
	switch f {
	case PBF:
		return "PBF"
	case XML:
		return "XML"
	}
	return "detect"
}

// DefaultShapeKm is the default Options.ShapeKm.
const DefaultShapeKm = 0.5

// Options tune Read. A nil *Options uses the defaults; a zero field uses
// its default.
type Options struct {
	// Speeds gives the average speed, in km/h, of each highway class
	// driven; ways of other classes are not read. Default DefaultSpeeds().
	// When set it replaces the defaults whole: start from DefaultSpeeds()
	// to change a few. Every speed must be finite and > 0.
	Speeds map[string]float64
	// MaxspeedFactor is the share of a plausible maxspeed tag (between
	// MinMaxspeedKmh and MaxMaxspeedKmh) driven on average; such a way is
	// driven at maxspeed × MaxspeedFactor instead of its class speed.
	// Default DefaultMaxspeedFactor (0.8); must be in (0, 1].
	MaxspeedFactor float64
	// Bounds, when set, cuts the network to a box: a stretch of road is
	// kept when both its ends are inside. Default nil: no cut.
	Bounds *Bounds
	// Polygon, when set, cuts the network to a polygon in the same way
	// (with Bounds too, a stretch must be inside both). Default nil.
	Polygon Polygon
	// AllComponents keeps every strongly connected piece of the network.
	// Default false: only the largest (the most nodes; the one with the
	// smallest node ID on a tie) is kept, so that every node can reach
	// every other and no place snaps to an island or a one-way trap.
	AllComponents bool
	// ShapeKm is the longest stretch, in km along the road, between two
	// nodes of the network on a road without junctions: the shape points
	// of a way are dropped except one at least every ShapeKm, so that a
	// place snaps near where it meets the road. Default DefaultShapeKm
	// (0.5 km); must be finite and > 0.
	ShapeKm float64
	// Format of the input. Default Detect.
	Format Format
}

type params struct {
	speeds         map[string]float64
	maxspeedFactor float64
	bounds         *Bounds
	polygon        Polygon
	polyBox        Bounds
	allComponents  bool
	shapeKm        float64
	format         Format
}

func (o *Options) params() (*params, error) {
	p := &params{speeds: DefaultSpeeds(), maxspeedFactor: DefaultMaxspeedFactor, shapeKm: DefaultShapeKm}
	if o == nil {
		return p, nil
	}
	var ps gst.Problems
	const w = "osmroad options"
	if o.Speeds != nil {
		p.speeds = o.Speeds
		classes := make([]string, 0, len(o.Speeds))
		for c := range o.Speeds {
			classes = append(classes, c)
		}
		slices.Sort(classes)
		for _, c := range classes {
			ps.CheckPositive(w+" Speeds["+c+"]", "kmh", o.Speeds[c])
		}
		if len(classes) == 0 {
			ps.Addf(w, "Speeds", "no highway class to drive")
		}
	}
	if o.MaxspeedFactor != 0 {
		if !(o.MaxspeedFactor > 0 && o.MaxspeedFactor <= 1) {
			ps.Addf(w, "MaxspeedFactor", "must be in (0, 1], got %v", o.MaxspeedFactor)
		}
		p.maxspeedFactor = o.MaxspeedFactor
	}
	if o.Bounds != nil {
		o.Bounds.check(&ps)
		b := *o.Bounds
		p.bounds = &b
	}
	if o.Polygon != nil {
		o.Polygon.check(&ps)
		p.polygon = o.Polygon
		p.polyBox = o.Polygon.bounds()
	}
	p.allComponents = o.AllComponents
	if o.ShapeKm != 0 {
		ps.CheckPositive(w, "ShapeKm", o.ShapeKm)
		p.shapeKm = o.ShapeKm
	}
	if o.Format < Detect || o.Format > XML {
		ps.Addf(w, "Format", "unknown format %d", int(o.Format))
	}
	p.format = o.Format
	return p, ps.Err()
}

// inCut says whether a node is inside the cut.
func (p *params) inCut(lat, lon float64) bool {
	if p.bounds != nil && !p.bounds.contains(lat, lon) {
		return false
	}
	if p.polygon != nil && (!p.polyBox.contains(lat, lon) || !p.polygon.contains(lat, lon)) {
		return false
	}
	return true
}

// WarningKind says what a reader's warning is about.
type WarningKind int

// The kinds of warning.
const (
	// MaxspeedIgnored: a maxspeed tag that is not a plausible speed; the
	// class speed is used.
	MaxspeedIgnored WarningKind = iota + 1
	// OnewayUnknown: a oneway tag that is neither yes, no nor -1; the way
	// is driven both ways.
	OnewayUnknown
)

// String names the kind.
func (k WarningKind) String() string {
	switch k {
	case MaxspeedIgnored:
		return "maxspeed ignored"
	case OnewayUnknown:
		return "oneway value unknown"
	}
	return fmt.Sprintf("WarningKind(%d)", int(k))
}

// Warning is a tag the reader could not use, on the element that has it.
type Warning struct {
	Kind WarningKind
	// Element is the way, as "way 123".
	Element string
	// Value is the tag's value.
	Value string
}

// String says what and where.
func (w Warning) String() string {
	return fmt.Sprintf("%s: %s (%q)", w.Element, w.Kind, w.Value)
}

// MaxWarnings is how many warnings a Report lists; Report.WarningCount
// counts them all.
const MaxWarnings = 100

// Report says what Read found in a file and what it made of it.
type Report struct {
	// File and Format name the input.
	File   string
	Format Format
	// Ways counts the ways read; Roads those driven. The ways not driven
	// are counted by reason: no highway tag, a highway class not in
	// Options.Speeds (paths, footways, construction…), closed to cars
	// (access, motor_vehicle, motorcar or vehicle = no or private), an
	// area (area=yes), reversible (oneway=reversible or alternating),
	// or fewer than two node references.
	Ways, Roads                                                int
	NotRoads, OtherClasses, NoAccess, Areas, Reversible, Short int
	// MaxspeedUsed counts the roads driven at their maxspeed tag.
	MaxspeedUsed int
	// NodeRefs counts the node references of the roads; MissingNodes the
	// distinct nodes they refer to that the file lacks (usual at the
	// border of an extract: the stretches that touch them are dropped),
	// OutsideNodes those outside the cut, and DuplicateNodes the nodes
	// given more than once (the first is kept).
	NodeRefs                                   int
	MissingNodes, OutsideNodes, DuplicateNodes int
	// Nodes and Edges are the network's, after the largest component is
	// taken; Components counts the strongly connected pieces before, and
	// DroppedNodes and DroppedEdges what the others held.
	Nodes, Edges               int
	Components                 int
	DroppedNodes, DroppedEdges int
	// Km is the length of the network's edges, in km (two-way roads
	// counted once).
	Km float64
	// Warnings lists the first MaxWarnings tags that could not be used;
	// WarningCount counts them all.
	Warnings     []Warning
	WarningCount int
}

func (r *Report) warn(w Warning) {
	r.WarningCount++
	if len(r.Warnings) < MaxWarnings {
		r.Warnings = append(r.Warnings, w)
	}
}

// ReadFile reads the OpenStreetMap file at path (the format detected from
// its first bytes unless Options.Format says) into a road network; see
// Read.
func ReadFile(ctx context.Context, path string, opt *Options) (*gst.RoadNetwork, *Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &Error{File: path, Err: err}
	}
	defer f.Close()
	return Read(ctx, f, path, opt)
}

// Read reads an OpenStreetMap extract, PBF or XML, into a road network.
// The input is read twice (the ways, then the nodes they use), hence the
// io.ReadSeeker; name labels it in errors and in the report.
//
// Only ways with a highway class of Options.Speeds that cars may use are
// driven, each at its class speed or at a plausible maxspeed times
// Options.MaxspeedFactor, one way when tagged oneway=yes, true or 1 (or
// -1 or reverse, against the order of its nodes), on roundabouts and on
// motorways unless tagged oneway=no. Stretches that refer to nodes the
// file lacks, or that leave the cut (Options.Bounds and Options.Polygon),
// are dropped. Each way is split at its junctions and every
// Options.ShapeKm along it; an edge's length is the great-circle length
// of its stretch of the way. Only the largest strongly connected component
// is kept unless Options.AllComponents. Node IDs of the network are the
// OpenStreetMap node IDs in decimal.
//
// A file that cannot be read, is truncated or corrupt, or has an element
// with impossible values (a node off the globe), and an extract with no
// road left to drive, give an *Error naming the file and the element
// (errors.Is(err, gst.ErrInvalid) holds). Unknown tags and elements are
// ignored; tags that cannot be used are counted and listed in the Report.
// A PBF file that ends exactly between two blocks cannot be told from a
// whole one. The result does not depend on the order of the elements (of
// a node given twice, the first is kept and counted in the Report).
func Read(ctx context.Context, r io.ReadSeeker, name string, opt *Options) (*gst.RoadNetwork, *Report, error) {
	p, err := opt.params()
	if err != nil {
		return nil, nil, err
	}
	if r == nil {
		return nil, nil, &Error{File: name, Err: errors.New("no input")}
	}
	rd := &reader{ctx: ctx, p: p, name: name, src: r, rep: &Report{File: name}}
	if err := rd.detect(); err != nil {
		return nil, nil, err
	}
	if rd.format == PBF {
		if err := rd.checkPBF(); err != nil {
			return nil, nil, err
		}
	}
	if err := rd.readWays(); err != nil {
		return nil, nil, err
	}
	if err := rd.readNodes(); err != nil {
		return nil, nil, err
	}
	net, err := rd.build()
	if err != nil {
		return nil, nil, err
	}
	return net, rd.rep, nil
}

// reader holds the state of one Read.
type reader struct {
	ctx    context.Context
	p      *params
	name   string
	src    io.ReadSeeker
	format Format
	rep    *Report

	ways []wayRec
	refs []int64 // node references of the roads, way after way

	ids      []int64   // distinct node IDs referred to, ascending
	lat, lon []float64 // their coordinates, NaN while not found
}

// wayRec is a road read: its node references are refs[start:end].
type wayRec struct {
	id         int64
	kmh        float64
	dir        int8
	start, end int32
}

// detect settles the format.
func (rd *reader) detect() error {
	rd.format = rd.p.format
	rd.rep.Format = rd.format
	if rd.format != Detect {
		return nil
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(rd.src, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return &Error{File: rd.name, Err: err}
	}
	head = bytes.TrimLeft(head[:n], "\xef\xbb\xbf \t\r\n")
	switch {
	case n == 0:
		return &Error{File: rd.name, Err: errors.New("the file is empty")}
	case len(head) > 0 && head[0] == '<':
		rd.format = XML
	case n >= 4:
		rd.format = PBF
	default:
		return &Error{File: rd.name, Err: fmt.Errorf("%d bytes are neither OpenStreetMap XML nor PBF", n)}
	}
	rd.rep.Format = rd.format
	return nil
}

// scanner opens a pass over the input.
type scanner interface {
	Scan() bool
	Object() osm.Object
	Err() error
	Close() error
}

func (rd *reader) open(ways bool) (scanner, error) {
	if _, err := rd.src.Seek(0, io.SeekStart); err != nil {
		return nil, &Error{File: rd.name, Err: err}
	}
	if rd.format == XML {
		return osmxml.New(rd.ctx, bufio.NewReaderSize(rd.src, 1<<16)), nil
	}
	s := osmpbf.New(rd.ctx, rd.src, max(1, min(4, runtime.GOMAXPROCS(0))))
	s.SkipRelations = true
	if ways {
		s.SkipNodes = true
	} else {
		s.SkipWays = true
		s.FilterNode = func(n *osm.Node) bool {
			_, found := slices.BinarySearch(rd.ids, int64(n.ID))
			return found
		}
	}
	return s, nil
}

// scanErr turns a scanner's error into an *Error after the last element
// read whole.
func (rd *reader) scanErr(err error, last string) error {
	if err == nil {
		return nil
	}
	e := &Error{File: rd.name, Err: err}
	if last != "" {
		e.Element = "after " + last
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		e.Line = se.Line
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("osmroad: reading %s: %w", rd.name, err)
	}
	return e
}

// readWays is the first pass: the roads and their node references.
func (rd *reader) readWays() error {
	s, err := rd.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	last := ""
	for s.Scan() {
		w, ok := s.Object().(*osm.Way)
		if !ok {
			last = elementName(s.Object())
			continue
		}
		last = fmt.Sprintf("way %d", w.ID)
		rd.addWay(w, last)
	}
	if err := rd.scanErr(s.Err(), last); err != nil {
		return err
	}
	if err := rd.ctx.Err(); err != nil {
		return fmt.Errorf("osmroad: reading %s: %w", rd.name, err)
	}
	return nil
}

// checkPBF checks the whole PBF file once before the decoder reads it.
func (rd *reader) checkPBF() error {
	if _, err := rd.src.Seek(0, io.SeekStart); err != nil {
		return &Error{File: rd.name, Err: err}
	}
	return checkPBF(rd.ctx, rd.src, rd.name)
}

func elementName(o osm.Object) string {
	switch v := o.(type) {
	case *osm.Node:
		return fmt.Sprintf("node %d", v.ID)
	case *osm.Way:
		return fmt.Sprintf("way %d", v.ID)
	case *osm.Relation:
		return fmt.Sprintf("relation %d", v.ID)
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", o), "*osm.")
}

func (rd *reader) addWay(w *osm.Way, name string) {
	rep := rd.rep
	rep.Ways++
	v := rd.p.classify(w.Tags)
	switch v.skip {
	case skipNotRoad:
		rep.NotRoads++
	case skipClass:
		rep.OtherClasses++
	case skipAccess:
		rep.NoAccess++
	case skipArea:
		rep.Areas++
	case skipReversible:
		rep.Reversible++
	}
	if !v.drive {
		return
	}
	if len(w.Nodes) < 2 {
		rep.Short++
		return
	}
	if v.warn != 0 {
		rep.warn(Warning{Kind: v.warn, Element: name, Value: v.warnOn})
	}
	if v.warn != MaxspeedIgnored && w.Tags.Find("maxspeed") != "" {
		rep.MaxspeedUsed++
	}
	rep.Roads++
	start := len(rd.refs)
	for _, n := range w.Nodes {
		rd.refs = append(rd.refs, int64(n.ID))
	}
	rep.NodeRefs += len(w.Nodes)
	rd.ways = append(rd.ways, wayRec{id: int64(w.ID), kmh: v.kmh, dir: v.dir, start: int32(start), end: int32(len(rd.refs))})
}

// readNodes is the second pass: the coordinates of the nodes the roads
// use.
func (rd *reader) readNodes() error {
	rd.ids = slices.Clone(rd.refs)
	slices.Sort(rd.ids)
	rd.ids = slices.Compact(rd.ids)
	rd.lat, rd.lon = make([]float64, len(rd.ids)), make([]float64, len(rd.ids))
	for i := range rd.lat {
		rd.lat[i], rd.lon[i] = math.NaN(), math.NaN()
	}
	if len(rd.ids) == 0 {
		return nil
	}
	s, err := rd.open(false)
	if err != nil {
		return err
	}
	defer s.Close()
	last := ""
	for s.Scan() {
		n, ok := s.Object().(*osm.Node)
		if !ok {
			last = elementName(s.Object())
			continue
		}
		last = fmt.Sprintf("node %d", n.ID)
		k, found := slices.BinarySearch(rd.ids, int64(n.ID))
		if !found {
			continue
		}
		if !(n.Lat >= -90 && n.Lat <= 90 && n.Lon >= -180 && n.Lon <= 180) {
			return &Error{File: rd.name, Element: last, Err: fmt.Errorf("coordinates (%v, %v) are off the globe", n.Lat, n.Lon)}
		}
		if !math.IsNaN(rd.lat[k]) {
			rd.rep.DuplicateNodes++
			continue
		}
		rd.lat[k], rd.lon[k] = n.Lat, n.Lon
	}
	if err := rd.scanErr(s.Err(), last); err != nil {
		return err
	}
	if err := rd.ctx.Err(); err != nil {
		return fmt.Errorf("osmroad: reading %s: %w", rd.name, err)
	}
	return nil
}
