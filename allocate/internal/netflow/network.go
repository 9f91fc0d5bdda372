package netflow

// Network is a minimum-cost flow network: nodes with supplies (negative
// for a demand; the supplies sum to zero), and arcs with a capacity (an
// upper bound, +Inf for none; lower bounds are zero) and a primary and a
// secondary cost per unit of flow. Solve finds the flow.
type Network struct {
	n      int
	supply []float64
	src    []int32
	dst    []int32
	cap    []float64
	cp, cs []float64 // primary and secondary cost

	// Results of Solve.
	flow     []float64
	pip, pis []float64 // node potentials: tree arcs have c + π(src) − π(dst) = 0
	pivots   int

	// up, when set, gives each node a real arc towards a starting tree's
	// hub (-1 for none): see SetStart.
	up  []int32
	hub int

	// basis, when KeepBasis was called, is the simplex of the last solve,
	// from which Resolve starts.
	keepBasis bool
	basis     *simplex
	// spare is the simplex of the last Resolve that did not end at an
	// optimum, for LoadBasis to reuse.
	spare *simplex
}

// New returns a network of the given number of nodes, all with zero
// supply, and room for arcsHint arcs.
func New(nodes, arcsHint int) *Network {
	return &Network{
		n:      nodes,
		supply: make([]float64, nodes),
		src:    make([]int32, 0, arcsHint),
		dst:    make([]int32, 0, arcsHint),
		cap:    make([]float64, 0, arcsHint),
		cp:     make([]float64, 0, arcsHint),
		cs:     make([]float64, 0, arcsHint),
	}
}

// AddNode adds a node with the given supply and returns its index.
func (g *Network) AddNode(supply float64) int {
	g.supply = append(g.supply, supply)
	g.n++
	return g.n - 1
}

// SetSupply sets the supply of node v (negative for a demand).
func (g *Network) SetSupply(v int, supply float64) { g.supply[v] = supply }

// AddArc adds an arc from u to v with capacity c (math.Inf(1) for none)
// and costs p (primary) and s (secondary) per unit, and returns its index.
func (g *Network) AddArc(u, v int, c, p, s float64) int {
	g.src = append(g.src, int32(u))
	g.dst = append(g.dst, int32(v))
	g.cap = append(g.cap, c)
	g.cp = append(g.cp, p)
	g.cs = append(g.cs, s)
	return len(g.src) - 1
}

// Nodes returns the number of nodes.
func (g *Network) Nodes() int { return g.n }

// Arcs returns the number of arcs.
func (g *Network) Arcs() int { return len(g.src) }

// Flow returns the flow on arc a after Solve.
func (g *Network) Flow(a int) float64 { return g.flow[a] }

// Supply returns the supply of node v.
func (g *Network) Supply(v int) float64 { return g.supply[v] }

// Arc returns the tail, head and capacity of arc a.
func (g *Network) Arc(a int) (from, to int, capacity float64) {
	return int(g.src[a]), int(g.dst[a]), g.cap[a]
}

// Potential returns the primary potential of node v after Solve: a dual
// of the primary problem, such that every arc's reduced cost c + π(tail) −
// π(head) is 0 on tree arcs, at least 0 on arcs at their lower bound and at
// most 0 on arcs at their capacity.
func (g *Network) Potential(v int) float64 { return g.pip[v] }

// Reduced returns the primary and secondary reduced cost of arc a after
// Solve: its costs plus the potential of its tail minus that of its head.
// At the optimum, arcs with flow strictly between their bounds have
// reduced costs of zero, arcs at zero non-negative ones and arcs at
// capacity non-positive ones (lexicographically). For an arc at its
// capacity, min(0, p) is the rate at which the primary cost changes with
// the capacity.
func (g *Network) Reduced(a int) (p, s float64) {
	u, v := g.src[a], g.dst[a]
	return g.cp[a] + g.pip[u] - g.pip[v], g.cs[a] + g.pis[u] - g.pis[v]
}

// Pivots returns the simplex pivots of the last Solve.
func (g *Network) Pivots() int { return g.pivots }

// Objective returns the primary and secondary cost of the flow.
func (g *Network) Objective() (p, s float64) {
	for e, f := range g.flow {
		if f != 0 {
			p += g.cp[e] * f
			s += g.cs[e] * f
		}
	}
	return p, s
}

// SetCost changes the costs of arc a. A later Resolve starts from the
// last solve's tree; a later Solve starts afresh.
func (g *Network) SetCost(a int, p, s float64) {
	g.cp[a], g.cs[a] = p, s
}

// Cost returns the primary and secondary cost of arc a.
func (g *Network) Cost(a int) (p, s float64) { return g.cp[a], g.cs[a] }

// KeepBasis asks Solve (and Resolve) to keep the final spanning tree, so
// that Resolve can start from it after costs change. The tree takes about
// as much memory as the network.
func (g *Network) KeepBasis() { g.keepBasis = true }

// SetStart asks Solve to start from a tree: the hub hangs from the root,
// and every node v with up[v] ≥ 0 hangs from the other end of arc up[v].
// The arcs must form a forest whose paths lead to the hub or to nodes with
// up = -1 (which hang from the root), and the flows the supplies put on
// them must be within their bounds, with zero-flow arcs pointing towards
// the root; otherwise Solve starts from artificial arcs alone.
func (g *Network) SetStart(hub int, up []int32) {
	g.hub = hub
	g.up = up
}

// Error is an error of the solver.
type Error string

func (e Error) Error() string { return string(e) }

const (
	// ErrInfeasible reports a network whose supplies cannot all reach the
	// demands (artificial flow left at the optimum).
	ErrInfeasible Error = "netflow: the network is infeasible"
	// ErrUnbounded reports a negative-cost cycle of unbounded capacity.
	ErrUnbounded Error = "netflow: the network is unbounded"
	// errInvalidArc reports a negative or NaN capacity or a NaN cost.
	errInvalidArc Error = "netflow: an arc has a negative or NaN capacity or a NaN cost"
)

// Bytes estimates the memory Solve needs for a network of n nodes and m
// arcs.
func Bytes(n, m int64) int64 {
	return m*(4+4+8+8+8+8+1) + (n+m)*9 + n*(8*2+4*6+8)
}
