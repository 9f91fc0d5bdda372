package programme

import (
	"context"
	"math"

	"github.com/gstplan/gst/allocate/internal/netflow"
)

// flowBlock is an assignment block that is a transportation problem: the
// demand of one service in one year, sent from areas to sites (arcs capped
// by the service being open) or left unserved, within each site's
// capacity. It is solved by the network simplex instead of lp_solve.
type flowBlock struct {
	s, t   int
	areas  []flowArea
	sites  []int // offers, in order of first use
	capRow []int // block row of each site's capacity (-1 without one)
	site   map[int]int
	// lumpRows are the block rows of lumpRows: each bounds below the
	// demand left unserved by the areas with a site in reach, so the one
	// with the largest right-hand side caps what the sites serve in all.
	lumpRows []int
}

// flowArea is one area of a flowBlock: its demand, and the block columns
// and rows of its assignment.
type flowArea struct {
	a      int
	d      float64
	u      int   // block column of the unserved share
	x      []int // block column of each reach entry
	xyRow  []int // block row of each entry's x ≤ y (-1 without one)
	site   []int // index in sites of each entry
	assign int   // block row of Σ x + u = 1
}

// flowBlockOf returns the transportation problem of a block, or nil when
// the block is not one (a coverage rule, several services or years).
func (d *decomposition) flowBlockOf(b *dblock) *flowBlock {
	md := d.md
	var fb *flowBlock
	byArea := map[int]int{}
	for i, r := range b.rows {
		fr, ok := md.flowRows[r.row]
		if !ok {
			return nil
		}
		if fb == nil {
			fb = &flowBlock{s: fr.s, t: fr.t, site: map[int]int{}}
		}
		if fr.s != fb.s || fr.t != fb.t {
			return nil
		}
		switch fr.kind {
		case rowAssign, rowXY:
			ai, ok := byArea[fr.a]
			if !ok {
				ai = fb.addArea(d, fr.a)
				byArea[fr.a] = ai
			}
			if fr.kind == rowAssign {
				fb.areas[ai].assign = i
			} else {
				fb.areas[ai].xyRow[fr.k] = i
			}
		case rowCap:
			k := fb.siteIndex(fr.k)
			fb.capRow[k] = i
		case rowLump:
			fb.lumpRows = append(fb.lumpRows, i)
		}
	}
	if fb == nil || len(fb.areas) == 0 {
		return nil
	}
	for _, fa := range fb.areas {
		if fa.assign < 0 {
			return nil
		}
	}
	return fb
}

func (fb *flowBlock) siteIndex(o int) int {
	k, ok := fb.site[o]
	if !ok {
		k = len(fb.sites)
		fb.site[o] = k
		fb.sites = append(fb.sites, o)
		fb.capRow = append(fb.capRow, -1)
	}
	return k
}

func (fb *flowBlock) addArea(d *decomposition, a int) int {
	md := d.md
	in := md.in
	s, t := fb.s, fb.t
	fa := &flowArea{a: a, d: in.dem[s][a][t], u: d.local[md.u[s][a][t]], assign: -1}
	for k, r := range in.reach[s][a] {
		fa.x = append(fa.x, d.local[md.x[s][a][k][t]])
		fa.xyRow = append(fa.xyRow, -1)
		fa.site = append(fa.site, fb.siteIndex(r.off))
	}
	fb.areas = append(fb.areas, *fa)
	return len(fb.areas) - 1
}

// solveFlow solves the block's transportation problem with the right-hand
// sides rhs (the rows' at the master point) and returns its value, its
// point in block columns and the duals of its rows. The sites send what
// they serve to the sink through one node whose arc caps the total served
// when a lump row asks that some demand be left unserved.
func (fb *flowBlock) solveFlow(ctx context.Context, b *dblock, rhs []float64) (float64, []float64, []float64, error) {
	nA, nS := len(fb.areas), len(fb.sites)
	g := netflow.New(nA+nS+2, 0)
	sink, served := nA+nS, nA+nS+1
	var total, reached float64
	type arcRef struct{ area, entry int } // entry -1: unserved
	var refs []arcRef
	obj := func(col int) float64 { return b.all.m.Obj(col) }
	for i, fa := range fb.areas {
		g.SetSupply(i, fa.d)
		total += fa.d
		if len(fa.x) > 0 {
			reached += fa.d
		}
		for k, col := range fa.x {
			capa := fa.d
			if r := fa.xyRow[k]; r >= 0 {
				capa = fa.d * math.Max(0, math.Min(1, rhs[r]))
			}
			g.AddArc(i, nA+fa.site[k], capa, obj(col)/fa.d, 0)
			refs = append(refs, arcRef{i, k})
		}
		g.AddArc(i, sink, fa.d, obj(fa.u)/fa.d, 0)
		refs = append(refs, arcRef{i, -1})
	}
	siteArc := make([]int, nS)
	for k := range fb.sites {
		capa := math.Inf(1)
		if r := fb.capRow[k]; r >= 0 {
			capa = math.Max(0, rhs[r])
		}
		siteArc[k] = g.AddArc(nA+k, served, capa, 0, 0)
	}
	lump := -1 // the lump row that binds
	for _, r := range fb.lumpRows {
		if lump < 0 || rhs[r] > rhs[lump] {
			lump = r
		}
	}
	capServed := math.Inf(1)
	if lump >= 0 {
		capServed = math.Max(0, reached-math.Max(0, rhs[lump]))
	}
	servedArc := g.AddArc(served, sink, capServed, 0, 0)
	g.SetSupply(sink, -total)
	if err := g.Solve(ctx); err != nil {
		return 0, nil, nil, err
	}
	x := make([]float64, b.all.m.NumVars())
	duals := make([]float64, len(b.rows))
	var value float64
	for a, ref := range refs {
		fa := &fb.areas[ref.area]
		f := g.Flow(a)
		col := fa.u
		if ref.entry >= 0 {
			col = fa.x[ref.entry]
			if r := fa.xyRow[ref.entry]; r >= 0 {
				rc, _ := g.Reduced(a)
				duals[r] = fa.d * math.Min(0, rc)
			}
		}
		x[col] = f / fa.d
		value += obj(col) * x[col]
	}
	for k, a := range siteArc {
		if r := fb.capRow[k]; r >= 0 {
			rc, _ := g.Reduced(a)
			duals[r] = math.Min(0, rc)
		}
	}
	if lump >= 0 && rhs[lump] > 0 {
		// Raising the row's right-hand side lowers the arc's capacity.
		rc, _ := g.Reduced(servedArc)
		duals[lump] = math.Max(0, -rc)
	}
	return value, x, duals, nil
}
