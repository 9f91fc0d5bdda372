package pmedian

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/orlib"
)

// fromCap turns an OR-Library capacitated warehouse instance into an
// uncapacitated facility location problem: warehouses are sites with their
// opening costs, customers are clients of weight 1 whose cost is the cost
// of serving all their demand. With capacities at or above the total
// demand (cap71–74, cap101–104, cap131–134) the capacitated optimum is the
// uncapacitated one.
func fromCap(c *orlib.Cap) *Problem {
	cost := make([][]float64, c.N)
	for i := range cost {
		cost[i] = make([]float64, c.M)
		for j := range cost[i] {
			cost[i][j] = c.Cost[j][i]
		}
	}
	return &Problem{Clients: c.N, Sites: c.M, Cost: cost, FixedCost: c.FixedCost}
}

func loadCap(t testing.TB, name string) (*Problem, bool) {
	t.Helper()
	path := filepath.Join("testdata", name+".txt")
	if _, err := os.Stat(path); err != nil {
		d := sharedOrlib("cap")
		if d == "" {
			return nil, false
		}
		path = filepath.Join(d, name+".txt")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := orlib.ReadCap(f, 0)
	if err != nil {
		t.Fatal(err)
	}
	return fromCap(c), true
}

func TestUncapacitatedFacilityLocation(t *testing.T) {
	for _, name := range []string{"cap71", "cap72", "cap73", "cap74", "cap101", "cap102", "cap103", "cap104", "cap131", "cap132", "cap133", "cap134"} {
		t.Run(name, func(t *testing.T) {
			p, ok := loadCap(t, name)
			if !ok {
				t.Skip("not in testdata and the shared OR-Library data is not present")
			}
			known, _ := orlib.LookupKnown(name, 0)
			res, err := Solve(context.Background(), p, nil)
			if err != nil {
				t.Fatal(err)
			}
			// capopt rounds to three decimals.
			if math.Abs(res.Objective-known.Value) > 0.002 || res.Status != gst.StatusOptimal || res.Bound > known.Value+0.002 {
				t.Errorf("objective %.4f bound %.4f status %v; optimum %.3f (nodes %d)", res.Objective, res.Bound, res.Status, known.Value, res.Nodes)
			}
			t.Logf("objective %.4f bound %.4f %d open, %d nodes, %v", res.Objective, res.Bound, len(res.Open), res.Nodes, res.Duration)
		})
	}
}
