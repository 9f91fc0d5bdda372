package transfer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate/internal/netflow"
	"github.com/gstplan/gst/allocate/internal/parallel"
	"github.com/gstplan/gst/allocate/internal/stop"
	"github.com/gstplan/gst/internal/lp"
)

// op starts the messages of the errors Solve returns.
const op = "allocate: transfer"

// Solve decides which establishment serves which demand: the flows of
// cases from origins to providers that leave the least volume unserved,
// then cost the least (see the package documentation for the model, the
// objective and the solvers).
//
// It validates the problem and the options first and reports every problem
// at once (errors.Is(err, gst.ErrInvalid)). When the demand cannot all be
// served within the rules (and AllowUnserved is not set), or contract
// floors or budgets cannot hold, it returns a *gst.InfeasibleError for
// each rule that clashes, joined (gst.InfeasibleCauses lists them); a model
// above the limits gives a *gst.TooLargeError before it is built. A
// deadline returns the plan in hand with StatusTimeLimit (or
// StatusCanceled), unless it breaks a rule (gst.ErrNoSolution).
func Solve(ctx context.Context, p *Problem, opt *Options) (*Plan, error) {
	start := time.Now()
	in, err := compile(p, opt)
	if err != nil {
		return nil, err
	}
	ctx, cancel := in.opt.WithTimeLimit(ctx)
	defer cancel()
	if !p.AllowUnserved {
		if cs := in.precheck(); len(cs) > 0 {
			return nil, gst.JoinInfeasible(cs)
		}
	}
	sol := &solution{flow: make([]float64, len(in.arcs)), psCases: make([]float64, len(in.ps)),
		psValue: make([]float64, len(in.ps)), resCases: make([]float64, len(in.res)), resValue: make([]float64, len(in.res)),
		solved: make([]bool, len(in.svcs))}
	if in.useLP {
		err = in.solveLP(ctx, sol)
	} else {
		err = in.solveFlows(ctx, sol)
	}
	if err != nil {
		if errors.Is(err, gst.ErrInfeasible) {
			return nil, in.explain(ctx)
		}
		return nil, err
	}
	plan, err := in.plan(sol)
	if err != nil {
		return nil, err
	}
	plan.Elapsed = time.Since(start)
	return plan, nil
}

// solution is what a solve finds.
type solution struct {
	flow               []float64 // by arc
	psCases, psValue   []float64 // marginal values of capacities
	resCases, resValue []float64 // and of resources
	solved             []bool    // by service
	exact              bool
	bound              float64 // lower bound on the solved services' Value
	stopped            error
	method             string
	stats              ModelStats
}

// arcCost returns the primary and secondary cost of one case on an arc.
func (in *inst) arcCost(a *arcInfo) (float64, float64) {
	d := &in.demands[a.demand]
	minutes := in.svcs[d.svc].trips * a.minutes
	money := a.fee + a.capit
	if in.p.Objective == TravelFirst {
		return minutes, money
	}
	return money + in.p.MinuteValueMAD*minutes, minutes
}

// solveFlows solves each service as a transportation problem.
func (in *inst) solveFlows(ctx context.Context, sol *solution) error {
	sol.method = fmt.Sprintf("network simplex (%d services)", len(in.svcs))
	sol.exact = true
	var mu sync.Mutex
	return parallel.Run(in.opt.Workers, len(in.svcs), func(si int) error {
		return in.solveService(ctx, int32(si), sol, &mu)
	})
}

// solveService solves one service's network and records its flows and the
// marginal values of its capacities. With equal treatment the demand rows
// of an origin (one per payer) are one node, whose cases take each provider
// at the blend of their payers' costs, and each payer's flows are its share
// of the node's.
func (in *inst) solveService(ctx context.Context, si int32, sol *solution, mu *sync.Mutex) error {
	sv := &in.svcs[si]
	groups := in.svcGroups(si)
	n := 1 + len(groups) + len(sv.ps)
	var m int
	for _, grp := range groups {
		m += int(in.arcFrom[grp[0]+1] - in.arcFrom[grp[0]])
	}
	g := netflow.New(n, m+len(groups)+len(sv.ps))
	up := make([]int32, n)
	for i := range up {
		up[i] = -1
	}
	psNode := map[int32]int{}
	for j, k := range sv.ps {
		psNode[k] = 1 + len(groups) + j
	}
	maxP := 0.0
	total := 0.0
	arcIx := make([]int32, 0, m) // by network arc: the arc of the group's first row
	vol := make([]float64, len(groups))
	for j, grp := range groups {
		for _, d := range grp {
			vol[j] += in.demands[d].volume
		}
		g.SetSupply(1+j, vol[j])
		total += vol[j]
		d0 := grp[0]
		for i := int32(0); i < in.arcFrom[d0+1]-in.arcFrom[d0]; i++ {
			p, s := in.groupCost(grp, vol[j], i)
			maxP = math.Max(maxP, math.Abs(p))
			g.AddArc(1+j, psNode[in.arcs[in.arcFrom[d0]+i].ps], math.Inf(1), p, s)
			arcIx = append(arcIx, in.arcFrom[d0]+i)
		}
	}
	g.SetSupply(0, -total)
	capArc := make([]int, len(sv.ps))
	for j, k := range sv.ps {
		capArc[j] = g.AddArc(psNode[k], 0, in.ps[k].capacity, 0, 0)
		up[psNode[k]] = int32(capArc[j])
	}
	big := 2 * (maxP + 1) * float64(n+1)
	var skip []bool
	if in.p.AllowUnserved {
		for j := range groups {
			up[1+j] = int32(g.AddArc(1+j, 0, math.Inf(1), big, 0))
		}
		skip = make([]bool, g.Arcs())
		for j := range groups {
			skip[up[1+j]] = true
		}
	}
	g.SetStart(0, up)
	if err := g.Solve(ctx); err != nil {
		if ctx.Err() != nil {
			mu.Lock()
			sol.exact = false
			if sol.stopped == nil {
				sol.stopped = ctx.Err()
			}
			mu.Unlock()
			return nil
		}
		if errors.Is(err, netflow.ErrInfeasible) {
			return fmt.Errorf("allocate: transfer: service %q: %w", sv.id, gst.ErrInfeasible)
		}
		return fmt.Errorf("allocate: transfer: service %q: %w", sv.id, err)
	}
	// Marginal values of the capacities: the cheapest residual cycle
	// through one more unit of the arc provider → sink.
	dFull, _ := g.ResidualDistances(0, false, nil)
	var dHeld []float64
	if skip != nil {
		dHeld, _ = g.ResidualDistances(0, false, skip)
	} else {
		dHeld = dFull
	}
	mu.Lock()
	defer mu.Unlock()
	value := 0.0
	i := 0
	for j, grp := range groups {
		d0 := grp[0]
		for k := int32(0); k < in.arcFrom[d0+1]-in.arcFrom[d0]; k++ {
			f := g.Flow(i)
			for _, d := range grp {
				sol.flow[in.arcFrom[d]+k] = f * in.demands[d].volume / vol[j]
			}
			p, _ := g.Cost(i)
			value += p * f
			i++
		}
	}
	sol.bound += value
	for j, k := range sv.ps {
		if math.IsInf(in.ps[k].capacity, 1) {
			continue
		}
		node := psNode[k]
		if v := -dFull[node]; !math.IsInf(v, -1) && v > 1e-9 {
			sol.psCases[k] = math.Round(v / big)
		}
		if sol.psCases[k] == 0 {
			if v := -dHeld[node]; !math.IsInf(v, -1) && v > 1e-9 {
				sol.psValue[k] = v
			}
		}
		_ = j
	}
	sol.solved[si] = true
	sol.stats.Flows++
	sol.stats.Pivots += int64(g.Pivots())
	sol.stats.Arcs += len(arcIx)
	return nil
}

// svcGroups returns the demand rows of a service as its network takes
// them: with equal treatment the rows of each origin together (one per
// payer, with the same candidate providers in the same order), otherwise
// one row each.
func (in *inst) svcGroups(si int32) [][]int32 {
	sv := &in.svcs[si]
	if !in.p.EqualTreatment {
		out := make([][]int32, len(sv.demands))
		for j, d := range sv.demands {
			out[j] = []int32{d}
		}
		return out
	}
	return in.originGroups(sv.demands)
}

// originGroups groups demand rows, sorted by origin, by origin.
func (in *inst) originGroups(rows []int32) [][]int32 {
	var out [][]int32
	for _, d := range rows {
		if n := len(out); n > 0 && in.demands[out[n-1][0]].origin == in.demands[d].origin {
			out[n-1] = append(out[n-1], d)
			continue
		}
		out = append(out, []int32{d})
	}
	return out
}

// groupCost is the cost of a case of a group of demand rows at its i-th
// candidate provider: the payers' costs weighted by their volumes.
func (in *inst) groupCost(grp []int32, vol float64, i int32) (p, s float64) {
	for _, d := range grp {
		w := in.demands[d].volume / vol
		dp, ds := in.arcCost(&in.arcs[in.arcFrom[d]+i])
		p += w * dp
		s += w * ds
	}
	return p, s
}

// lpModel is the linear programme of a transfer problem.
type lpModel struct {
	m       *lp.Model
	f       []int // by arc
	u       []int // by demand, -1 without AllowUnserved
	capRow  []int // by provider-service, -1 for none
	resRow  []int // by resource
	primary []float64
	second  []float64
}

// buildLP builds the programme; with elastic set, every rule but the demand
// may give at a price (see explain).
func (in *inst) buildLP(elastic bool) (*lpModel, map[int]gst.InfeasibleError) {
	m := lp.NewModel("transfer")
	x := &lpModel{m: m, f: make([]int, len(in.arcs)), u: make([]int, len(in.demands)),
		capRow: make([]int, len(in.ps)), resRow: make([]int, len(in.res))}
	slack := map[int]gst.InfeasibleError{}
	for a := range in.arcs {
		x.f[a] = m.AddVar("", 0, math.Inf(1), 0, lp.Continuous)
		p, s := in.arcCost(&in.arcs[a])
		x.primary = append(x.primary, p)
		x.second = append(x.second, s)
	}
	for d := range in.demands {
		x.u[d] = -1
		cols := []int{}
		coefs := []float64{}
		for a := in.arcFrom[d]; a < in.arcFrom[d+1]; a++ {
			cols = append(cols, x.f[a])
			coefs = append(coefs, 1)
		}
		if in.p.AllowUnserved || elastic {
			x.u[d] = m.AddVar("", 0, math.Inf(1), 0, lp.Continuous)
			cols = append(cols, x.u[d])
			coefs = append(coefs, 1)
			if elastic {
				dm := &in.demands[d]
				tc := in.conflict("demand", in.svcs[dm.svc].id, "")
				tc.Payer = in.payers[dm.payer].id
				in.addOrigin(&tc, dm.origin)
				slack[x.u[d]] = tc
			}
		}
		m.AddRow("", cols, coefs, lp.EQ, in.demands[d].volume)
	}
	if in.p.EqualTreatment {
		in.equalRows(x)
	}
	into := make([][]int, len(in.ps))
	for a := range in.arcs {
		into[in.arcs[a].ps] = append(into[in.arcs[a].ps], x.f[a])
	}
	ones := func(n int) []float64 {
		o := make([]float64, n)
		for i := range o {
			o[i] = 1
		}
		return o
	}
	for k := range in.ps {
		ps := &in.ps[k]
		x.capRow[k] = -1
		cols, coefs := into[k], ones(len(into[k]))
		if !math.IsInf(ps.capacity, 1) {
			c, cf := cols, coefs
			if elastic {
				s := m.AddVar("", 0, math.Inf(1), 0, lp.Continuous)
				slack[s] = in.conflict("capacity", in.svcs[ps.svc].id, in.provs[ps.prov].id)
				c, cf = append(append([]int(nil), cols...), s), append(append([]float64(nil), coefs...), -1)
			}
			x.capRow[k] = m.AddRow("", c, cf, lp.LE, ps.capacity)
		}
		if ps.min > 0 {
			c, cf := cols, coefs
			if elastic {
				s := m.AddVar("", 0, math.Inf(1), 0, lp.Continuous)
				slack[s] = in.conflict("contract minimum", in.svcs[ps.svc].id, in.provs[ps.prov].id)
				c, cf = append(append([]int(nil), cols...), s), append(append([]float64(nil), coefs...), 1)
			}
			m.AddRow("", c, cf, lp.GE, ps.min)
		}
	}
	for ri := range in.res {
		var cols []int
		var coefs []float64
		for k := range in.ps {
			for j, r := range in.ps[k].res {
				if int(r) == ri {
					for _, c := range into[k] {
						cols = append(cols, c)
						coefs = append(coefs, in.ps[k].per[j])
					}
				}
			}
		}
		if elastic {
			s := m.AddVar("", 0, math.Inf(1), 0, lp.Continuous)
			tc := in.conflict("resource", "", in.provs[in.res[ri].prov].id)
			tc.Resource, tc.Unit = in.res[ri].name, in.res[ri].name
			slack[s] = tc
			cols, coefs = append(cols, s), append(coefs, -1)
		}
		x.resRow[ri] = m.AddRow("", cols, coefs, lp.LE, in.res[ri].avail)
	}
	addBudget := func(payer int32, b float64, rule string) {
		var cols []int
		var coefs []float64
		for a := range in.arcs {
			if payer >= 0 && in.demands[in.arcs[a].demand].payer != payer {
				continue
			}
			if c := in.arcs[a].fee + in.arcs[a].capit; c != 0 {
				cols = append(cols, x.f[a])
				coefs = append(coefs, c)
			}
		}
		if elastic {
			s := m.AddVar("", 0, math.Inf(1), 0, lp.Continuous)
			tc := in.conflict(rule, "", "")
			tc.Unit = "MAD a year"
			if payer >= 0 {
				tc.Payer = in.payers[payer].id
			}
			slack[s] = tc
			cols, coefs = append(cols, s), append(coefs, -1)
		}
		if len(cols) > 0 {
			m.AddRow("", cols, coefs, lp.LE, b)
		}
	}
	if in.budget > 0 {
		addBudget(-1, in.budget, "budget")
	}
	for pi, b := range in.payerBudget {
		if b > 0 {
			addBudget(int32(pi), b, "payer budget")
		}
	}
	return x, slack
}

// equalRows ties the payers of each origin and service to the same split:
// volume(first payer) × f(payer, provider) = volume(payer) × f(first
// payer, provider), and the same for the volume unserved.
func (in *inst) equalRows(x *lpModel) {
	m := x.m
	for si := range in.svcs {
		for _, grp := range in.originGroups(in.svcs[si].demands) {
			d0 := grp[0]
			v0 := in.demands[d0].volume
			for _, d := range grp[1:] {
				v := in.demands[d].volume
				for i := int32(0); i < in.arcFrom[d0+1]-in.arcFrom[d0]; i++ {
					m.AddRow("", []int{x.f[in.arcFrom[d]+i], x.f[in.arcFrom[d0]+i]}, []float64{v0, -v}, lp.EQ, 0)
				}
				if x.u[d] >= 0 && x.u[d0] >= 0 {
					m.AddRow("", []int{x.u[d], x.u[d0]}, []float64{v0, -v}, lp.EQ, 0)
				}
			}
		}
	}
}

// solveLP solves the programme in stages: unserved volume (with
// AllowUnserved), the primary cost, the secondary cost, each stage keeping
// the previous optimum (see lpStages.face).
func (in *inst) solveLP(ctx context.Context, sol *solution) error {
	st := in.newStages(ctx, sol)
	sol.exact = true
	if in.p.AllowUnserved {
		if done, err := st.unserved(); done || err != nil {
			return err
		}
	}
	X, done, err := st.primary()
	if done || err != nil {
		return err
	}
	if X, err = st.secondary(X); err != nil {
		return err
	}
	for a, c := range st.x.f {
		v := math.Round(X[c]*1e7) / 1e7 // lp_solve's noise
		if v < 0 {
			v = 0
		}
		sol.flow[a] = v
	}
	for si := range in.svcs {
		sol.solved[si] = true
	}
	return nil
}

// lpStages is the programme of a transfer problem solved stage by stage.
type lpStages struct {
	in     *inst
	ctx    context.Context
	sol    *solution
	x      *lpModel
	m      *lp.Model
	colArc map[int]int // arc of each flow column
	isU    map[int]bool
}

// newStages builds the programme and records its size.
func (in *inst) newStages(ctx context.Context, sol *solution) *lpStages {
	x, _ := in.buildLP(false)
	m := x.m
	sol.method = "linear programme (" + in.lpWhy + ")"
	sol.stats.LPRows = m.NumRows()
	sol.stats.LPCols = m.NumVars()
	sol.stats.Arcs = len(in.arcs)
	st := &lpStages{in: in, ctx: ctx, sol: sol, x: x, m: m, colArc: make(map[int]int, len(x.f)), isU: map[int]bool{}}
	for a, c := range x.f {
		st.colArc[c] = a
	}
	for _, c := range x.u {
		if c >= 0 {
			st.isU[c] = true
		}
	}
	return st
}

// setObj sets the objective coefficient of every column.
func (st *lpStages) setObj(coef func(col int) float64) {
	for j := 0; j < st.m.NumVars(); j++ {
		st.m.SetObj(j, coef(j))
	}
}

// arcObj is the objective that costs each flow column by cost[its arc].
func (st *lpStages) arcObj(cost []float64) func(int) float64 {
	return func(j int) float64 {
		if a, ok := st.colArc[j]; ok {
			return cost[a]
		}
		return 0
	}
}

// halt reads the outcome of a stage: done when the solve gave no
// solution to go on from (an error for an infeasible programme or a
// failure, none for a stop by the context).
func (st *lpStages) halt(s *lp.Solution, err error) (bool, error) {
	ctx, sol := st.ctx, st.sol
	if err == nil {
		if s.Status != gst.StatusOptimal {
			sol.exact = false
			if s.Status == gst.StatusTimeLimit || s.Status == gst.StatusCanceled {
				sol.stopped = stop.Cause(ctx, s.Status)
			}
		}
		return false, nil
	}
	if errors.Is(err, gst.ErrInfeasible) {
		return true, fmt.Errorf("allocate: transfer: %w", gst.ErrInfeasible)
	}
	if stop.ByContext(ctx, err) {
		sol.stopped = stop.Cause(ctx, gst.StatusTimeLimit)
		return true, nil
	}
	return true, fmt.Errorf("allocate: transfer: linear programme: %w", err)
}

// face keeps the next stages on the optimal face of a stage: columns with
// a non-zero reduced cost stay at their bound and rows with a non-zero
// dual stay tight (complementary slackness holds between every optimal
// primal and every optimal dual solution, so the face is exact). Without
// sensitivity data it keeps the stage's objective within GapTolerance
// instead.
func (st *lpStages) face(s *lp.Solution, name string, cols []int, coefs []float64) {
	m := st.m
	maxC := 0.0
	for _, c := range coefs {
		maxC = math.Max(maxC, math.Abs(c))
	}
	eps := 1e-9 * math.Max(1, maxC)
	if s.ReducedCosts == nil || s.Duals == nil {
		m.AddRow(name, cols, coefs, lp.LE, s.Objective+st.in.opt.GapTolerance*math.Max(1, math.Abs(s.Objective)))
		return
	}
	for j, rc := range s.ReducedCosts {
		lo, hi := m.Bounds(j)
		if rc > eps {
			m.SetBounds(j, lo, lo)
		} else if rc < -eps && !math.IsInf(hi, 1) {
			m.SetBounds(j, hi, hi)
		}
	}
	nr := m.NumRows()
	for i := 0; i < nr; i++ {
		if math.Abs(s.Duals[i]) <= eps {
			continue
		}
		rc, rcoef, sense, rhs := m.Row(i)
		switch sense {
		case lp.LE:
			m.AddRow("", rc, rcoef, lp.GE, rhs)
		case lp.GE:
			m.AddRow("", rc, rcoef, lp.LE, rhs)
		}
	}
}

// unserved is the first stage: the least volume unserved, with the
// marginal cases of capacities and resources.
func (st *lpStages) unserved() (bool, error) {
	st.setObj(func(j int) float64 {
		if st.isU[j] {
			return 1
		}
		return 0
	})
	s, err := lp.Solve(st.ctx, st.m, &lp.Options{Duals: true})
	st.sol.stats.Stages++
	if done, err := st.halt(s, err); done || err != nil {
		return done, err
	}
	st.in.lpMarginal(st.x, s, st.sol.psCases, st.sol.resCases)
	var uCols []int
	for _, c := range st.x.u {
		if c >= 0 {
			uCols = append(uCols, c)
		}
	}
	ones := make([]float64, len(uCols))
	for i := range ones {
		ones[i] = 1
	}
	st.face(s, "stage_unserved", uCols, ones)
	return false, nil
}

// primary is the stage of the primary cost, which gives the bound and the
// marginal value of capacities and resources; it returns its solution.
func (st *lpStages) primary() ([]float64, bool, error) {
	in, sol, x := st.in, st.sol, st.x
	st.setObj(st.arcObj(x.primary))
	s, err := lp.Solve(st.ctx, st.m, &lp.Options{Duals: true})
	sol.stats.Stages++
	if done, err := st.halt(s, err); done || err != nil {
		return nil, done, err
	}
	sol.bound = s.Bound
	in.lpMarginal(x, s, sol.psValue, sol.resValue)
	for k := range in.ps {
		if sol.psCases[k] > 0 {
			sol.psValue[k] = 0
		}
	}
	for r := range in.res {
		if sol.resCases[r] > 0 {
			sol.resValue[r] = 0
		}
	}
	st.face(s, "stage_primary", x.f, x.primary)
	return s.X, false, nil
}

// secondary is the last stage, the secondary cost on the primary's face;
// when the context stops it, the primary's solution X stands.
func (st *lpStages) secondary(X []float64) ([]float64, error) {
	st.setObj(st.arcObj(st.x.second))
	s2, err := lp.Solve(st.ctx, st.m, nil)
	st.sol.stats.Stages++
	switch {
	case err == nil:
		return s2.X, nil
	case stop.ByContext(st.ctx, err):
		st.sol.stopped = stop.Cause(st.ctx, gst.StatusTimeLimit)
		return X, nil
	default:
		return nil, fmt.Errorf("allocate: transfer: linear programme, last stage: %w", err)
	}
}

// lpMarginal reads the worth of one more unit of each capacity and
// resource from a stage's duals (the fall of the stage's objective).
func (in *inst) lpMarginal(x *lpModel, s *lp.Solution, ps, res []float64) {
	if s.Duals == nil {
		return
	}
	for k, r := range x.capRow {
		if r >= 0 {
			if v := -s.Duals[r]; v > 1e-9 {
				ps[k] = v
			}
		}
	}
	for k, r := range x.resRow {
		if v := -s.Duals[r]; v > 1e-9 {
			res[k] = v
		}
	}
}
