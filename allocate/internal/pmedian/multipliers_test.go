package pmedian

import (
	"context"
	"math"
	"slices"
	"testing"
)

// TestRootMultipliers checks the root multipliers a result hands out:
// one per client, and the Lagrangian value they give, computed here from
// the costs alone (Σ λ_i plus the P least site values
// Σ_i min(0, w_i·c_ij − λ_i)), is a valid bound (not above the optimum)
// within rounding of the reported root bound.
func TestRootMultipliers(t *testing.T) {
	for _, k := range []int{1, 4, 7} {
		p, ok := loadPMed(t, k)
		if !ok {
			t.Fatal("testdata pmed missing")
		}
		res, err := Solve(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		lam := res.RootMultipliers
		if len(lam) != p.Clients {
			t.Fatalf("pmed%d: %d multipliers for %d clients", k, len(lam), p.Clients)
		}
		l := 0.0
		for _, v := range lam {
			l += v
		}
		rho := make([]float64, p.Sites)
		for i, row := range p.Cost {
			for j, c := range row {
				rho[j] += min(0, c-lam[i])
			}
		}
		slices.Sort(rho)
		for _, v := range rho[:p.P] {
			l += v
		}
		if l > res.Objective+1e-6 || l < res.RootBound-1-1e-6 {
			t.Errorf("pmed%d: L(root multipliers) = %v; optimum %v, root bound %v", k, l, res.Objective, res.RootBound)
		}
		if math.IsNaN(l) {
			t.Errorf("pmed%d: NaN", k)
		}
	}
}
