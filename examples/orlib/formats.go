package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/allocate/planar"
	"github.com/gstplan/gst/internal/orlib"
)

// The formats beyond OR-Library's, as named by -format.
const (
	fmtTSPLIB    = "tsplib"     // TSPLIB .tsp point set: p-median, floored distances
	fmtBIRCH     = "birch"      // BIRCH point set: p-median, real distances
	fmtCPMP      = "cpmp"       // Stefanello capacitated p-median (n p; x y capacity demand)
	fmtHolmberg  = "holmberg"   // single-source CFLP, Holmberg et al. 1999
	fmtYang      = "yang"       // single-source CFLP, Yang et al. 2012 (Holmberg's layout)
	fmtDelmaire  = "delmaire"   // single-source CFLP, Delmaire et al. 1999
	fmtCapSingle = "cap-single" // OR-Library cap file solved with single sourcing
)

// formats lists every value of -format.
var formats = []string{orlib.FamilyPMed, orlib.FamilyCap, orlib.FamilyPMedCap, orlib.FamilySJC,
	fmtTSPLIB, fmtBIRCH, fmtCPMP, fmtHolmberg, fmtYang, fmtDelmaire, fmtCapSingle}

// formatOf returns the format of a file: the -format flag when given,
// otherwise the OR-Library family of its name, then what its content
// allows (.tsp or a TSPLIB header; the token count of the numeric layouts).
// Yang's files are read as Holmberg's, whose layout they share.
func formatOf(path, flagFormat string) (string, error) {
	if flagFormat != "" {
		return flagFormat, nil
	}
	if f := family(path); f != "" {
		return f, nil
	}
	if strings.EqualFold(filepath.Ext(path), ".tsp") {
		return fmtTSPLIB, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return guessContent(path, f)
}

// guessContent tells the layout from the tokens: a TSPLIB header starts
// with a word; otherwise the header "a b" and the number of tokens T
// decide: birch (b = 2, T = 2+2a), cpmp (T = 2+4a), holmberg
// (T = 2+2a+b+ab), delmaire (T = 2+ab+a+2b). A count that fits none, or
// more than one, is an error asking for -format.
func guessContent(path string, r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		// Words separated by white space, up to the first NUL byte (the
		// readers' rule).
		if i := bytes.IndexByte(data, 0); i >= 0 {
			adv, tok, err := bufio.ScanWords(data[:i], true)
			if tok == nil && err == nil {
				return 0, nil, bufio.ErrFinalToken
			}
			return adv, tok, err
		}
		return bufio.ScanWords(data, atEOF)
	})
	var head []string
	tokens := int64(0)
	for sc.Scan() {
		if tokens < 2 {
			head = append(head, sc.Text())
		}
		tokens++
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	fail := fmt.Errorf("%s: cannot tell the family or format from the name or the content; give -format (%s)", path, strings.Join(formats, ", "))
	if len(head) > 0 && head[0] != "" && (head[0][0] >= 'A' && head[0][0] <= 'Z') {
		return fmtTSPLIB, nil
	}
	if len(head) < 2 {
		return "", fail
	}
	a, err1 := strconv.ParseInt(head[0], 10, 64)
	b, err2 := strconv.ParseInt(head[1], 10, 64)
	if err1 != nil || err2 != nil || a < 1 || b < 1 || a > 1<<20 || b > 1<<20 {
		return "", fail
	}
	var fits []string
	if b == 2 && tokens == 2+2*a {
		fits = append(fits, fmtBIRCH)
	}
	if tokens == 2+4*a {
		fits = append(fits, fmtCPMP)
	}
	if tokens == 2+2*a+b+a*b {
		fits = append(fits, fmtHolmberg)
	}
	if tokens == 2+a*b+a+2*b {
		fits = append(fits, fmtDelmaire)
	}
	if len(fits) != 1 {
		if len(fits) > 1 {
			return "", fmt.Errorf("%s: the content fits %s; give -format", path, strings.Join(fits, " and "))
		}
		return "", fail
	}
	return fits[0], nil
}

// checkFlags refuses flags that do not apply to a format.
func checkFlags(path, format string, cfg config) error {
	points := format == fmtTSPLIB || format == fmtBIRCH
	switch {
	case len(cfg.ps) > 0 && !points:
		return fmt.Errorf("%s: -p applies to tsplib and birch point sets; %s files give p or have none", path, format)
	case cfg.dist != "" && !points && format != fmtCPMP:
		return fmt.Errorf("%s: -dist applies to tsplib, birch and cpmp files, not %s", path, format)
	case cfg.grid != "" && format != fmtCPMP:
		return fmt.Errorf("%s: -grid applies to cpmp files, not %s", path, format)
	}
	return nil
}

// parsePs reads -p: positive integers separated by commas.
func parsePs(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 {
			return nil, fmt.Errorf("-p: %q is not a positive integer", f)
		}
		out = append(out, v)
	}
	return out, nil
}

// distFloor resolves -dist for a format whose default is floor or real.
func distFloor(cfg config, defaultFloor bool) bool {
	if cfg.dist == "" {
		return defaultFloor
	}
	return cfg.dist == "floor"
}

func distName(floor bool) string {
	if floor {
		return "floor"
	}
	return "real"
}

// solvePoints solves a TSPLIB or BIRCH point set for each p: the
// uncapacitated p-median problem, every point a client and a candidate.
func solvePoints(ctx context.Context, path, name, format string, cfg config) ([]Result, error) {
	rd := orlib.ReadTSPLIBWith
	if format == fmtBIRCH {
		rd = orlib.ReadBIRCHWith
	}
	pts, err := read(path, rd)
	if err != nil {
		return nil, err
	}
	floor := distFloor(cfg, format == fmtTSPLIB)
	ps := cfg.ps
	if len(ps) == 0 {
		for _, k := range orlib.KnownValues() {
			if k.Instance == name && k.P > 0 {
				ps = append(ps, k.P)
			}
		}
		if len(ps) == 0 {
			return nil, fmt.Errorf("%s: give -p: no p of this point set is in the table of known values", path)
		}
	}
	var out []Result
	for _, p := range ps {
		if p > pts.N {
			return nil, fmt.Errorf("%s: p = %d exceeds the %d points", path, p, pts.N)
		}
		res := Result{Instance: name, P: p, Problem: "p-median", Format: format, Dist: distName(floor), N: pts.N, M: pts.N}
		// The published values hold for the literature's convention only.
		if k, ok := orlib.LookupKnownP(name, p); ok && floor == (format == fmtTSPLIB) {
			v := k.Value
			res.Known = &v
		}
		metric := planar.Euclidean
		if floor {
			metric = planar.FloorEuclidean
		}
		start := time.Now()
		r, err := solvePlanar(ctx, &planar.Problem{X: pts.X, Y: pts.Y, P: p, Metric: metric}, cfg, res, start)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// solvePlanar runs planar.Solve and fills the result line.
func solvePlanar(ctx context.Context, p *planar.Problem, cfg config, res Result, start time.Time) (Result, error) {
	o := &planar.Options{TimeLimit: cfg.limit}
	if cfg.verbose {
		o.Log = func(format string, args ...any) { fmt.Fprintf(cfg.log, format+"\n", args...) }
	}
	pl, err := planar.Solve(ctx, p, o)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", res.Instance, err)
	}
	res = finish(res, pl.Objective, pl.Bound, pl.Status, start, "planar: "+pl.Method)
	res.Pairs, res.Ended = pl.Pairs, pl.Ended
	return res, nil
}

// solveCPMP solves a capacitated p-median file of the Stefanello
// collection: the objective is the unweighted sum of distances, a median's
// capacity bounds the demand assigned to it. Distances come from the
// coordinates (real Euclidean by default) or, for spain737_* files or with
// -grid, from the matrix file.
func solveCPMP(ctx context.Context, path, name string, cfg config) (Result, error) {
	gridPath := cfg.grid
	if gridPath == "" && strings.HasPrefix(strings.ToLower(name), "spain") {
		gridPath = filepath.Join(filepath.Dir(path), "spain.grd")
	}
	res := Result{Instance: name, Problem: "capacitated p-median", Format: fmtCPMP, Known: known(name, 0)}
	if gridPath != "" {
		if cfg.dist != "" {
			return Result{}, fmt.Errorf("%s: -dist does not apply when the distances come from %s", path, gridPath)
		}
		in, err := readGrid(path, gridPath)
		if err != nil {
			return Result{}, err
		}
		res.N, res.M, res.Dist = in.N, in.N, "grid"
		return solveCPMPLocate(ctx, path, in, res, cfg)
	}
	in, err := read(path, orlib.ReadCPMPWith)
	if err != nil {
		return Result{}, err
	}
	floor := distFloor(cfg, false)
	res.N, res.M, res.Dist = in.N, in.N, distName(floor)
	if floor {
		res.Known = nil
	}
	metric := planar.Euclidean
	if floor {
		metric = planar.FloorEuclidean
	}
	start := time.Now()
	return solvePlanar(ctx, &planar.Problem{X: in.X, Y: in.Y, P: in.P, Metric: metric, Capacity: in.Capacity, Demand: in.Demand}, cfg, res, start)
}

// readGrid reads an instance and its distance matrix file.
func readGrid(path, gridPath string) (*orlib.CPMP, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	g, err := os.Open(gridPath)
	if err != nil {
		return nil, fmt.Errorf("%s: distances: %w", path, err)
	}
	defer g.Close()
	return orlib.ReadCPMPGridWith(f, g, &orlib.Options{Name: path, GridName: gridPath})
}

// solveCPMPLocate solves a capacitated p-median instance with a distance
// matrix through allocate.Locate.
func solveCPMPLocate(ctx context.Context, path string, in *orlib.CPMP, res Result, cfg config) (Result, error) {
	start := time.Now()
	for j, d := range in.Demand {
		if !(d > 0) {
			return Result{}, fmt.Errorf("%s: customer %d has no demand; the problem is built with travel per unit of demand", path, j+1)
		}
	}
	pr := &allocate.Problem{Objective: allocate.PMedian, P: in.P, Capacity: allocate.SingleSource}
	if err := matrixProblem(path, pr, in.N, in.N, func(i, j int) float64 { return in.Dist(j, i) / in.Demand[i] }, in.Capacity, nil, in.Demand); err != nil {
		return Result{}, err
	}
	return locate(ctx, pr, cfg, res, start)
}

// solveSSCFLP solves a single-source capacitated facility location file
// (Holmberg, Yang, Delmaire, or an OR-Library cap file read as single
// source, with capacity replacing the placeholder of capa/b/c) through
// allocate.Locate: fixed charge, single sourcing, travel per unit of
// demand so that serving a customer costs the file's total cost.
func solveSSCFLP(ctx context.Context, path, name, format string, capacity float64, cfg config) (Result, error) {
	var in *orlib.SSCFLP
	switch format {
	case fmtCapSingle:
		c, err := read(path, func(r io.Reader, o *orlib.Options) (*orlib.Cap, error) { return orlib.ReadCapWith(r, capacity, o) })
		if err != nil {
			return Result{}, err
		}
		in = c.SingleSource()
	case fmtDelmaire:
		v, err := read(path, orlib.ReadDelmaireWith)
		if err != nil {
			return Result{}, err
		}
		in = v
	default:
		v, err := read(path, orlib.ReadHolmbergWith)
		if err != nil {
			return Result{}, err
		}
		in = v
	}
	res := Result{Instance: name, Capacity: capacity, Problem: "single-source capacitated facility location", Format: format, N: in.N, M: in.M}
	if format == fmtHolmberg {
		res.Known = known(name, 0)
	}
	start := time.Now()
	for i, d := range in.Demand {
		if !(d > 0) {
			return Result{}, fmt.Errorf("%s: customer %d has no demand; the problem is built with travel per unit of demand", path, i+1)
		}
	}
	p := &allocate.Problem{Objective: allocate.FixedCharge, TravelCost: 1, Capacity: allocate.SingleSource}
	if err := matrixProblem(path, p, in.N, in.M, func(i, j int) float64 { return in.Cost[j][i] / in.Demand[i] }, in.Capacity, in.FixedCost, in.Demand); err != nil {
		return Result{}, err
	}
	return locate(ctx, p, cfg, res, start)
}
