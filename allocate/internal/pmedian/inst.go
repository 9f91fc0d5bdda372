package pmedian

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/gstplan/gst"
)

// inst is a problem compiled for the search: for every client its allowed
// sites sorted by weighted cost (ties by site index), and for every site
// the clients that list it.
type inst struct {
	n, m int
	// Client lists (CSR): sites and weighted costs of client i are
	// site[start[i]:start[i+1]], cost[...], sorted by cost then site.
	start []int32
	site  []int32
	cost  []float64
	// capL[i] is Weight[i]·Beyond[i]: the Lagrangian multiplier of client
	// i never exceeds it. +Inf when the list is complete.
	capL   []float64
	weight []float64
	far    func(client, site int) float64
	// Site inverse lists (CSR): the clients listing site j, by client.
	istart []int32
	icl    []int32
	icost  []float64

	fixed   []float64
	rule    []Rule
	current []bool
	// lo..hi bounds the number of open sites; maxCh the changes (m+1
	// when unlimited); forced counts the sites forced open.
	lo, hi, maxCh, forced int
	// integral: every weighted cost and fixed cost is an integer, so the
	// optimum is one and bounds may be rounded up.
	integral bool
	// big is the penalty of a client without a listed open site when no
	// Far is given: more than any plan costs.
	big float64

	// fe records the first Far value below its Beyond bound; shared by
	// reduced copies.
	fe *farErrors
}

type farErrors struct {
	mu  sync.Mutex
	err error
}

// newInst copies the problem's weights, fixed costs, rules and today's
// sites, and sets the bounds on the number of open sites.
func newInst(p *Problem) *inst {
	n, m := p.Clients, p.Sites
	in := &inst{n: n, m: m, far: p.Far, fe: &farErrors{}}
	in.weight = make([]float64, n)
	for i := range in.weight {
		in.weight[i] = 1
		if p.Weight != nil {
			in.weight[i] = p.Weight[i]
		}
	}
	in.fixed = make([]float64, m)
	if p.FixedCost != nil {
		copy(in.fixed, p.FixedCost)
	}
	in.rule = make([]Rule, m)
	if p.Rule != nil {
		copy(in.rule, p.Rule)
	}
	in.current = make([]bool, m)
	if p.Current != nil {
		copy(in.current, p.Current)
	}
	in.maxCh = m + 1
	if p.MaxChanges > 0 {
		in.maxCh = p.MaxChanges
	}
	if p.P > 0 {
		in.lo, in.hi = p.P, p.P
	} else {
		in.lo, in.hi = max(p.MinOpen, 1), m
		if p.MaxOpen > 0 {
			in.hi = p.MaxOpen
		}
	}
	return in
}

// inverseLists lists the clients of each site (compressed rows) with
// their costs.
func (in *inst) inverseLists() {
	n, m := in.n, in.m
	in.istart = make([]int32, m+1)
	for _, s := range in.site {
		in.istart[s+1]++
	}
	for j := 0; j < m; j++ {
		in.istart[j+1] += in.istart[j]
	}
	in.icl = make([]int32, len(in.site))
	in.icost = make([]float64, len(in.site))
	fill := slices.Clone(in.istart[:m])
	for i := 0; i < n; i++ {
		for k := in.start[i]; k < in.start[i+1]; k++ {
			s := in.site[k]
			in.icl[fill[s]] = int32(i)
			in.icost[fill[s]] = in.cost[k]
			fill[s]++
		}
	}
}

// compile builds the instance of a validated problem: the settings
// (newInst), each client's candidate sites by increasing cost, the inverse
// lists, and the checks of the cardinality rules.
func compile(p *Problem) (*inst, error) {
	n, m := p.Clients, p.Sites
	in := newInst(p)
	in.integral = p.Far == nil || p.IntegerFar
	isInt := func(v float64) bool { return v == math.Trunc(v) && math.Abs(v) < 1<<52 }
	for _, f := range in.fixed {
		if !isInt(f) {
			in.integral = false
		}
	}
	// Client lists.
	type cand struct {
		s int32
		c float64 // weighted cost
		u float64 // unit cost: the sort key, so that clients of weight 0 still go to their nearest site
	}
	in.start = make([]int32, n+1)
	in.capL = make([]float64, n)
	var buf []cand
	total := 0
	for i := 0; i < n; i++ {
		if p.Cost != nil {
			for _, c := range p.Cost[i] {
				if !math.IsInf(c, 1) {
					total++
				}
			}
		} else {
			total += len(p.Lists[i])
		}
	}
	if total >= math.MaxInt32 {
		return nil, fmt.Errorf("%w: pmedian: %d client–site pairs, more than %d", gst.ErrTooLarge, total, math.MaxInt32-1)
	}
	in.site = make([]int32, 0, total)
	in.cost = make([]float64, 0, total)
	var pr gst.Problems
	maxCost := 0.0
	for i := 0; i < n; i++ {
		w := in.weight[i]
		buf = buf[:0]
		if p.Cost != nil {
			for j, c := range p.Cost[i] {
				if !math.IsInf(c, 1) && in.rule[j] != Closed {
					buf = append(buf, cand{int32(j), w * c, c})
				}
			}
		} else {
			for _, c := range p.Lists[i] {
				if in.rule[c.Site] != Closed {
					buf = append(buf, cand{int32(c.Site), w * c.Cost, c.Cost})
				}
			}
		}
		slices.SortFunc(buf, func(a, b cand) int {
			if a.u != b.u {
				if a.u < b.u {
					return -1
				}
				return 1
			}
			return int(a.s - b.s)
		})
		for _, c := range buf {
			if math.IsInf(c.c, 0) {
				pr.Addf(fmt.Sprintf("client %d", i), "Weight", "weight × cost overflows: %v", c.c)
				break
			}
			if !isInt(c.c) {
				in.integral = false
			}
			in.site = append(in.site, c.s)
			in.cost = append(in.cost, c.c)
		}
		in.start[i+1] = int32(len(in.site))
		in.capL[i] = math.Inf(1)
		if p.Beyond != nil && !math.IsInf(p.Beyond[i], 1) {
			in.capL[i] = w * p.Beyond[i]
			if p.Far == nil {
				// Unlisted sites are not priced: the plan must use the
				// list, and the cap only keeps the bound valid for the
				// untruncated problem too.
				in.capL[i] = math.Inf(1)
			}
		}
		if len(buf) > 0 {
			maxCost = max(maxCost, buf[len(buf)-1].c)
		}
		if len(buf) == 0 && (in.far == nil || math.IsInf(in.capL[i], 1)) {
			pr.Add(fmt.Sprintf("client %d", i), "Cost", fmt.Errorf("%w: no site may serve this client", gst.ErrInfeasible))
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	sumFixed := 0.0
	for _, f := range in.fixed {
		sumFixed += math.Abs(f)
	}
	in.big = 2*(float64(n)*maxCost+sumFixed) + 1
	in.inverseLists()
	// Cardinality and rules.
	forced, avail := 0, 0
	for j := 0; j < m; j++ {
		if in.rule[j] == Open {
			forced++
		}
		if in.rule[j] != Closed {
			avail++
		}
	}
	in.forced = forced
	if forced > in.hi {
		return nil, fmt.Errorf("%w: pmedian: %d sites are forced open but at most %d may open", gst.ErrInfeasible, forced, in.hi)
	}
	if avail < in.lo {
		return nil, fmt.Errorf("%w: pmedian: %d sites must open but only %d are not closed", gst.ErrInfeasible, in.lo, avail)
	}
	return in, nil
}

// farCost prices client i at an unlisted site j through Problem.Far,
// checking the promised lower bound. It returns the weighted cost; unit
// is the cost per unit of weight.
func (in *inst) farUnit(i, j int) (weighted, unit float64) {
	c := in.far(i, j)
	w := in.weight[i]
	if math.IsNaN(c) || c*w < in.capL[i]*(1-1e-12)-1e-12 {
		in.fe.mu.Lock()
		if in.fe.err == nil {
			in.fe.err = fmt.Errorf("%w: pmedian: Far(%d, %d) = %v is below Beyond[%d] = %v: the lower bound would not hold",
				gst.ErrInvalid, i, j, c, i, in.capL[i]/w)
		}
		in.fe.mu.Unlock()
	}
	return w * c, c
}

func (in *inst) farCost(i, j int) float64 {
	c, _ := in.farUnit(i, j)
	return c
}

// evaluate serves every client from its cheapest open site and returns the
// objective, the assignment (when assign is not nil) and whether every
// client could be served. open lists the open sites; mask marks them.
func (in *inst) evaluate(open []int32, mask []bool, assign []int32) (float64, bool) {
	total := 0.0
	for _, j := range open {
		total += in.fixed[j]
	}
	ok := true
	for i := 0; i < in.n; i++ {
		best, bs := math.Inf(1), int32(-1)
		for k := in.start[i]; k < in.start[i+1]; k++ {
			if mask[in.site[k]] {
				best, bs = in.cost[k], in.site[k]
				break
			}
		}
		if (bs < 0 || best > in.capL[i]) && in.far != nil && !math.IsInf(in.capL[i], 1) {
			// An unlisted open site may be cheaper.
			bu := math.Inf(1)
			if bs >= 0 {
				bu = best / in.weight[i] // weight > 0 here since best > capL >= 0
			}
			for _, j := range open {
				if c, u := in.farUnit(i, int(j)); u < bu || u == bu && j < bs {
					best, bu, bs = c, u, j
				}
			}
		}
		if bs < 0 {
			ok = false
			best = in.big
		}
		total += best
		if assign != nil {
			assign[i] = bs
		}
	}
	return total, ok
}
