package planar

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"time"

	"github.com/gstplan/gst"
)

// Metric is the distance between two points.
type Metric int

// The metrics.
const (
	// Euclidean is the straight-line distance.
	Euclidean Metric = iota
	// FloorEuclidean is the straight-line distance rounded down to an
	// integer.
	FloorEuclidean
)

// String returns "euclidean" or "floor-euclidean".
func (m Metric) String() string {
	switch m {
	case Euclidean:
		return "euclidean"
	case FloorEuclidean:
		return "floor-euclidean"
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// Problem asks for P sites that minimise Σ_i Weight[i]·d(i, site of i),
// each client served by its nearest open site or, with Capacity, by one
// open site whose capacity its demand fits in.
type Problem struct {
	// X and Y are the clients' coordinates, finite, in one planar unit.
	// At least one client.
	X, Y []float64
	// Weight[i] (>= 0, finite) multiplies client i's distance in the
	// objective. nil means 1 for every client.
	Weight []float64
	// SiteX and SiteY are the candidate sites' coordinates. nil means that
	// every client is also a candidate site (the benchmark convention).
	SiteX, SiteY []float64
	// P is the number of sites to open, in [1, number of sites].
	P int
	// Metric is the distance. Default Euclidean.
	Metric Metric
	// Capacity, when not nil, gives each site's capacity (> 0, finite) in
	// the unit of Demand, and makes the problem capacitated with single
	// sourcing: each client is served whole by one open site.
	Capacity []float64
	// Demand[i] (>= 0, finite) is what client i uses of its site's
	// capacity. nil means 1 for every client. Only with Capacity.
	Demand []float64
}

// Options tunes Solve. A nil *Options means the defaults.
type Options struct {
	// TimeLimit bounds the solve in addition to the context's deadline.
	// Default none.
	TimeLimit time.Duration
	// GapTolerance is the relative gap at which the search stops. Default
	// 1e-9 (proven optimal).
	GapTolerance float64
	// Workers is the number of goroutines. Default runtime.GOMAXPROCS(0).
	Workers int
	// Candidates is the initial length of each client's list of nearest
	// sites (uncapacitated problems). Default 0: about 3·Sites/P, at least
	// 16.
	Candidates int
	// MaxPairs bounds the client–site pairs held: the candidate lists of
	// an uncapacitated problem, Sites × clients for a capacitated one.
	// Default 200 million (about 8 GB of lists; the machine's memory is
	// the real limit).
	MaxPairs int
	// Log, when not nil, receives progress lines.
	Log func(format string, args ...any)
}

// DefaultMaxPairs is the default Options.MaxPairs.
const DefaultMaxPairs = 200_000_000

// Result is the answer of Solve.
type Result struct {
	// Open lists the open sites in increasing order; Assign[i] is client
	// i's site.
	Open   []int
	Assign []int
	// Objective is Σ_i Weight[i]·d(i, Assign[i]), recomputed from the
	// assignment; Bound a proven lower bound on the optimum; Gap is
	// gst.Gap(Objective, Bound).
	Objective, Bound, Gap float64
	// Status is StatusOptimal when the gap closed, StatusTimeLimit or
	// StatusCanceled when the context or the time limit stopped the
	// search, StatusFeasible when it ended before with a gap: within
	// GapTolerance, or (capacitated problems on candidate lists) when
	// the bound stopped improving and the local search found no better
	// move (see Ended).
	Status gst.Status
	// Ended says why the search of a capacitated problem on candidate
	// lists ended: EndedGap, EndedTime, EndedTolerance or
	// EndedConverged. Empty for the other methods, whose Status says it.
	Ended string
	// Pairs counts the client–site pairs held by the last engine run
	// (candidate lists, or the dense matrix of a capacitated problem);
	// Rounds counts the engine runs (more than one when lists grew).
	Pairs, Rounds int
	// Nodes and Iterations add up the engines' branch-and-bound nodes and
	// subgradient iterations.
	Nodes, Iterations int
	// Method names the engine.
	Method string
	// Duration is the wall-clock time of the solve.
	Duration time.Duration
	// lam holds the p-median engine's root multipliers of the last
	// uncapacitated round (a start for the capacitated relaxation).
	lam []float64
}

// Reasons of Result.Ended.
const (
	// EndedGap: the plan is proven optimal.
	EndedGap = "gap closed"
	// EndedTime: the context or the time limit stopped the search.
	EndedTime = "time limit"
	// EndedTolerance: the gap is within Options.GapTolerance.
	EndedTolerance = "gap within the tolerance"
	// EndedConverged: before the deadline, the Lagrangian bound stopped
	// improving (its step vanished, with continuous and then 0-1
	// knapsacks) and the local search found no better move, with its
	// widest moves too; the gap stays open.
	EndedConverged = "bound converged, no better move"
)

// Solve solves the problem; see the package documentation for the
// method. It returns an error for invalid input (wrapping gst.ErrInvalid),
// a problem above Options.MaxPairs (gst.ErrTooLarge), no feasible plan
// (gst.ErrInfeasible), or a stop before any plan was found
// (gst.ErrNoSolution).
func Solve(ctx context.Context, p *Problem, opt *Options) (*Result, error) {
	t0 := time.Now()
	if err := p.validate(); err != nil {
		return nil, err
	}
	o := opt.withDefaults()
	if o.TimeLimit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.TimeLimit)
		defer cancel()
	}
	pr := newPoints(p)
	var res *Result
	var err error
	switch {
	case p.Capacity != nil && int64(pr.n)*int64(pr.m) > int64(denseCapPairs):
		res, err = solveCapacitatedLists(ctx, pr, &o)
	case p.Capacity != nil:
		res, err = solveCapacitated(ctx, pr, &o)
	default:
		res, err = solveUncapacitated(ctx, pr, &o, false)
	}
	if err != nil {
		return nil, err
	}
	res.Gap = gst.Gap(res.Objective, res.Bound)
	res.Duration = time.Since(t0)
	return res, nil
}

func (o *Options) withDefaults() Options {
	var d Options
	if o != nil {
		d = *o
	}
	if !(d.GapTolerance > 0) {
		d.GapTolerance = 1e-9
	}
	if d.Workers < 1 {
		d.Workers = runtime.GOMAXPROCS(0)
	}
	if d.MaxPairs <= 0 {
		d.MaxPairs = DefaultMaxPairs
	}
	return d
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		o.Log(format, args...)
	}
}

// validate checks the problem and reports every problem at once.
func (p *Problem) validate() error {
	var ps gst.Problems
	if p == nil {
		ps.Add("problem", "", fmt.Errorf("is nil"))
		return ps.Err()
	}
	n := len(p.X)
	if n == 0 {
		ps.Add("problem", "X", fmt.Errorf("no client"))
	}
	if len(p.Y) != n {
		ps.Addf("problem", "Y", "has %d entries, want len(X) = %d", len(p.Y), n)
	}
	if (p.SiteX == nil) != (p.SiteY == nil) || len(p.SiteX) != len(p.SiteY) {
		ps.Addf("problem", "SiteY", "has %d entries, want len(SiteX) = %d", len(p.SiteY), len(p.SiteX))
	}
	if ps.Len() > 0 {
		return ps.Err()
	}
	m := n
	if p.SiteX != nil {
		m = len(p.SiteX)
		if m == 0 {
			ps.Add("problem", "SiteX", fmt.Errorf("no site (give nil for every client to be a site)"))
		}
		checkCoords(&ps, "site", p.SiteX, p.SiteY)
	}
	checkCoords(&ps, "client", p.X, p.Y)
	checkList(&ps, "client", "Weight", p.Weight, n, false)
	if p.P < 1 || p.P > m {
		ps.Addf("problem", "P", "must be in [1, %d] (the number of sites), got %d", m, p.P)
	}
	if p.Metric != Euclidean && p.Metric != FloorEuclidean {
		ps.Addf("problem", "Metric", "unknown metric %d", int(p.Metric))
	}
	if p.Capacity != nil {
		checkList(&ps, "site", "Capacity", p.Capacity, m, true)
		checkList(&ps, "client", "Demand", p.Demand, n, false)
	} else if p.Demand != nil {
		ps.Add("problem", "Demand", fmt.Errorf("is used only with Capacity"))
	}
	return ps.Err()
}

func checkCoords(ps *gst.Problems, what string, x, y []float64) {
	for i := range x {
		if math.IsNaN(x[i]) || math.IsInf(x[i], 0) || math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			ps.Addf(fmt.Sprintf("%s %d", what, i), "X", "coordinates must be finite, got (%v, %v)", x[i], y[i])
		}
	}
}

// checkList checks an optional list of len want: finite and >= 0, or > 0
// when positive.
func checkList(ps *gst.Problems, what, field string, v []float64, want int, positive bool) {
	if v == nil {
		return
	}
	if len(v) != want {
		ps.Addf("problem", field, "has %d entries, want %d", len(v), want)
		return
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || positive && x == 0 {
			if positive {
				ps.CheckPositive(fmt.Sprintf("%s %d", what, i), field, x)
			} else {
				ps.CheckNonNegative(fmt.Sprintf("%s %d", what, i), field, x)
			}
		}
	}
}

// points is a validated problem with its distance.
type points struct {
	p      *Problem
	n, m   int
	sx, sy []float64
	weight []float64
	floor  bool
}

func newPoints(p *Problem) *points {
	pt := &points{p: p, n: len(p.X), sx: p.SiteX, sy: p.SiteY, weight: p.Weight, floor: p.Metric == FloorEuclidean}
	if pt.sx == nil {
		pt.sx, pt.sy = p.X, p.Y
	}
	pt.m = len(pt.sx)
	if pt.weight == nil {
		pt.weight = make([]float64, pt.n)
		for i := range pt.weight {
			pt.weight[i] = 1
		}
	}
	return pt
}

// dist returns the distance from client i to site j.
func (pt *points) dist(i, j int) float64 {
	dx, dy := pt.p.X[i]-pt.sx[j], pt.p.Y[i]-pt.sy[j]
	d := math.Sqrt(dx*dx + dy*dy)
	if pt.floor {
		return math.Floor(d)
	}
	return d
}

// objective returns Σ_i Weight[i]·d(i, assign[i]), summed in client order.
func (pt *points) objective(assign []int) float64 {
	s := 0.0
	for i, j := range assign {
		s += pt.weight[i] * pt.dist(i, j)
	}
	return s
}
