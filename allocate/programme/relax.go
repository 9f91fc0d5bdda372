package programme

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/lp"
)

// relaxation is what the branch and bound searches: a linear relaxation of
// the programme, in its own columns.
type relaxation interface {
	// root returns the relaxation to clone for the nodes.
	root() *lp.Model
	// solve returns a node's bound and point.
	solve(m *lp.Model) (*lp.Solution, error)
	// complete returns the compact model's point of an integral point of
	// the relaxation: the integer columns rounded, the rest optimal.
	complete(x []float64) ([]float64, error)
	// col maps a compact column to the relaxation's (-1 when absent).
	col(j int) int
	// compact reports whether the relaxation is the compact model's.
	compact() bool
}

// relaxationOf returns the relaxation the options ask for: the Benders
// master when the method is Auto or Benders and the model decomposes, the
// compact model otherwise.
func (r *run) relaxationOf(md *model) relaxation {
	if r.opt.Method == Auto || r.opt.Method == Benders {
		if !md.singleSource() {
			if d := decompose(md); d != nil {
				return &bendersRelaxation{r: r, d: d}
			}
		}
	}
	return &compactRelaxation{r: r, md: md}
}

func (md *model) singleSource() bool {
	for s := range md.in.svc {
		if md.in.svc[s].rule.SingleSource {
			return true
		}
	}
	return false
}

// compactRelaxation is the compact model's linear relaxation.
type compactRelaxation struct {
	r     *run
	md    *model
	basis *lp.Basis
}

func (c *compactRelaxation) root() *lp.Model { return relax(c.md.m) }
func (c *compactRelaxation) col(j int) int   { return j }
func (c *compactRelaxation) compact() bool   { return true }

func (c *compactRelaxation) solve(m *lp.Model) (*lp.Solution, error) {
	sol, err := c.r.lpFrom(m, c.basis)
	if err == nil && sol.Basis != nil {
		c.basis = sol.Basis
	}
	return sol, err
}

// complete solves the relaxation with the integer columns fixed at their
// rounded values, so that the continuous part agrees with whole decisions.
func (c *compactRelaxation) complete(x []float64) ([]float64, error) {
	m := relax(c.md.m)
	for j := 0; j < m.NumVars(); j++ {
		if c.md.m.VarKind(j).IsInteger() {
			v := math.Round(x[j])
			m.SetBounds(j, v, v)
		}
	}
	sol, err := c.solve(m)
	if err != nil {
		return nil, err
	}
	return sol.X, nil
}

// bendersRelaxation is the Benders master's linear relaxation: each node's
// relaxation is solved with cuts from the blocks until none is violated.
type bendersRelaxation struct {
	r     *run
	d     *decomposition
	rel   *lp.Model
	basis *lp.Basis

	rounds                int
	masterTime, blockTime time.Duration
}

func (b *bendersRelaxation) root() *lp.Model {
	if b.rel == nil {
		b.rel = relax(b.d.master)
	}
	return cloneModel(b.rel)
}

func (b *bendersRelaxation) col(j int) int { return b.d.mcol[j] }
func (b *bendersRelaxation) compact() bool { return false }

// cutTolerance is the relative shortfall of θ below a block's value at
// which a cut is added.
const cutTolerance = 1e-7

// maxCutRounds bounds the rounds of cuts at one node.
const maxCutRounds = 400

// solve solves a node's master relaxation, adds the cuts its point
// violates (to the node and to every later node), and solves again until
// none is violated. The bound is valid at every round; the point is the
// last round's.
func (b *bendersRelaxation) solve(m *lp.Model) (*lp.Solution, error) {
	b.root()
	var sol *lp.Solution
	for round := 0; round < maxCutRounds; round++ {
		var err error
		t0 := time.Now()
		sol, err = b.r.lpFrom(m, b.basis)
		b.masterTime += time.Since(t0)
		if err != nil {
			return nil, err
		}
		if sol.Basis != nil {
			b.basis = sol.Basis
		}
		t0 = time.Now()
		cuts, err := b.violated(sol.X)
		b.blockTime += time.Since(t0)
		b.rounds++
		if err != nil {
			return nil, err
		}
		if len(cuts) == 0 {
			return sol, nil
		}
		for _, c := range cuts {
			m.AddRow("", c.cols, c.coefs, lp.GE, c.rhs)
			b.rel.AddRow("", c.cols, c.coefs, lp.GE, c.rhs)
			b.d.master.AddRow("", c.cols, c.coefs, lp.GE, c.rhs)
			b.d.cuts++
		}
	}
	return sol, nil
}

// blockResult is the evaluation of one block at a master point.
type blockResult struct {
	value    float64
	x        []float64
	c        cut
	feasible bool
	err      error
}

// evaluateAll solves every block at the master point xm, in parallel; the
// results are in block order.
func (b *bendersRelaxation) evaluateAll(xm []float64) []blockResult {
	d := b.d
	out := make([]blockResult, len(d.blocks))
	workers := min(runtime.GOMAXPROCS(0), len(d.blocks))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				v, x, c, ok, err := d.evaluate(b.r.ctx, d.blocks[i], xm)
				out[i] = blockResult{value: v, x: x, c: c, feasible: ok, err: err}
			}
		}()
	}
	for i := range d.blocks {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// violated returns the cuts that the master point xm violates.
func (b *bendersRelaxation) violated(xm []float64) ([]cut, error) {
	var cuts []cut
	for i, res := range b.evaluateAll(xm) {
		if res.err != nil {
			return nil, stopErr(b.r, res.err)
		}
		blk := b.d.blocks[i]
		if !res.feasible || xm[blk.theta] < res.value-cutTolerance*math.Max(1, math.Abs(res.value)) {
			cuts = append(cuts, res.c)
		}
	}
	return cuts, nil
}

// stopErr turns a block's error into the run's: a stop becomes
// gst.ErrNoSolution with the run's status.
func stopErr(r *run, err error) error {
	if debug {
		fmt.Fprintf(os.Stderr, "block error: %v\n", err)
	}
	if r.ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || errors.Is(err, gst.ErrNoSolution) {
		return errNoProgramme(r)
	}
	return err
}

// complete evaluates the blocks at the integral master point xm (integer
// columns rounded) and assembles the compact model's point.
func (b *bendersRelaxation) complete(xm []float64) ([]float64, error) {
	d := b.d
	xm = append([]float64(nil), xm...)
	for j := 0; j < d.master.NumVars(); j++ {
		if d.master.VarKind(j).IsInteger() {
			xm[j] = math.Round(xm[j])
		}
	}
	x := make([]float64, d.md.m.NumVars())
	for j, c := range d.mcol {
		if c >= 0 {
			x[j] = xm[c]
		}
	}
	for i, res := range b.evaluateAll(xm) {
		if res.err != nil {
			return nil, stopErr(b.r, res.err)
		}
		if !res.feasible {
			return nil, gst.ErrInfeasible
		}
		for k, j := range d.blocks[i].cols {
			x[j] = res.x[k]
		}
	}
	return x, nil
}
