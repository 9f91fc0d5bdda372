package capfl

import (
	"math"
	"sort"

	"github.com/gstplan/gst/internal/msgtext"
)

// inst is the validated problem in flat form.
type inst struct {
	m, n     int
	cap      []float64
	fc       []float64
	dem      []float64
	c        []float64 // c[i*n+j], +Inf when forbidden
	single   bool
	minOpen  int
	maxOpen  int
	fix      []int8 // +1 must open, -1 closed, 0 free
	totalDem float64
	// integral is true when every solution has an objective within
	// intSlack of an integer (single sourcing with costs that are integers
	// up to floating-point rounding, such as demand × (cost / demand)), so
	// bounds may be rounded up (see solver.provable).
	integral bool
	intSlack float64
	// maxCost is an upper bound on the cost of any feasible solution.
	maxCost float64
	// byCost[j] lists the allowed sites of customer j by increasing cost.
	byCost [][]int32
	// costByCust[j][k] is the cost of byCost[j][k] for customer j.
	costByCust [][]float64
}

func newInst(p *Problem) *inst {
	m, n := len(p.Capacity), len(p.Demand)
	in := &inst{
		m: m, n: n,
		cap:     append([]float64(nil), p.Capacity...),
		fc:      make([]float64, m),
		dem:     append([]float64(nil), p.Demand...),
		c:       make([]float64, m*n),
		single:  p.SingleSource,
		minOpen: p.MinOpen,
		maxOpen: p.MaxOpen,
		fix:     make([]int8, m),
	}
	if in.maxOpen == 0 {
		in.maxOpen = m
	}
	if p.FixedCost != nil {
		copy(in.fc, p.FixedCost)
	}
	integral := p.SingleSource
	for i := 0; i < m; i++ {
		copy(in.c[i*n:(i+1)*n], p.Cost[i])
		if dev, ok := nearInteger(in.fc[i]); ok {
			in.intSlack += dev
		} else {
			integral = false
		}
	}
	for _, i := range p.Open {
		in.fix[i] = 1
	}
	for _, i := range p.Closed {
		in.fix[i] = -1
	}
	for _, d := range in.dem {
		in.totalDem += d
	}
	in.byCost = make([][]int32, n)
	for j := 0; j < n; j++ {
		var l []int32
		maxDev := 0.0
		for i := 0; i < m; i++ {
			c := in.c[i*n+j]
			if math.IsInf(c, 1) {
				continue
			}
			if dev, ok := nearInteger(c); ok {
				maxDev = math.Max(maxDev, dev)
			} else {
				integral = false
			}
			l = append(l, int32(i))
		}
		in.intSlack += maxDev
		sort.Slice(l, func(a, b int) bool {
			ca, cb := in.c[int(l[a])*n+j], in.c[int(l[b])*n+j]
			if ca != cb {
				return ca < cb
			}
			return l[a] < l[b]
		})
		in.byCost[j] = l
		cs := make([]float64, len(l))
		for k, i := range l {
			cs[k] = in.c[int(i)*n+j]
		}
		in.costByCust = append(in.costByCust, cs)
	}
	in.integral = integral
	total := 0.0
	for i := 0; i < m; i++ {
		total += in.fc[i]
	}
	for j := 0; j < n; j++ {
		worst := 0.0
		for _, i := range in.byCost[j] {
			if c := in.c[int(i)*n+j]; c > worst {
				worst = c
			}
		}
		total += worst
	}
	in.maxCost = total*(1+1e-9) + 1
	return in
}

// check finds the simple reasons why the problem has no solution and
// forces open the sites that are the only choice of some customer. It
// returns nil or an *InfeasibleError.
func (in *inst) check() error {
	n := in.n
	for j := 0; j < n; j++ {
		var only int32 = -1
		count := 0
		maxCap := 0.0
		for _, i := range in.byCost[j] {
			if in.fix[i] < 0 {
				continue
			}
			count++
			only = i
			if in.cap[i] > maxCap {
				maxCap = in.cap[i]
			}
		}
		if count == 0 {
			return infeasible("customer %d has no site that may serve it", j)
		}
		if in.single && in.dem[j] > maxCap*(1+1e-12) {
			return infeasible("customer %d has demand %s above the largest capacity %s of the sites that may serve it alone", j, msgtext.Number(in.dem[j]), msgtext.Number(maxCap))
		}
		if count == 1 && in.fix[only] == 0 {
			in.fix[only] = 1
		}
	}
	forced, avail := 0, 0
	var freeCaps []float64
	forcedCap := 0.0
	for i := 0; i < in.m; i++ {
		switch in.fix[i] {
		case 1:
			forced++
			forcedCap += in.cap[i]
		case 0:
			avail++
			freeCaps = append(freeCaps, in.cap[i])
		}
	}
	if forced > in.maxOpen {
		return infeasible("%d sites must open (listed open or the only choice of a customer) but at most %d may open", forced, in.maxOpen)
	}
	if forced+avail < in.minOpen {
		return infeasible("at least %d sites must open but only %d may", in.minOpen, forced+avail)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(freeCaps)))
	best := forcedCap
	for k := 0; k < len(freeCaps) && k < in.maxOpen-forced; k++ {
		best += freeCaps[k]
	}
	if best < in.totalDem*(1-1e-12) {
		if in.maxOpen < in.m {
			return infeasible("total demand %s exceeds %s, the largest capacity of %d sites that may open", msgtext.Number(in.totalDem), msgtext.Number(best), in.maxOpen)
		}
		return infeasible("total demand %s exceeds the total capacity %s of the sites that may open", msgtext.Number(in.totalDem), msgtext.Number(best))
	}
	return nil
}

// nearInteger reports whether v is an integer up to rounding (within
// 1e-12 relative) and by how much it differs from it.
func nearInteger(v float64) (float64, bool) {
	dev := math.Abs(v - math.Round(v))
	return dev, dev <= 1e-12*math.Max(1, math.Abs(v))
}
