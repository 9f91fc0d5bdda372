package orlib_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/internal/orlib"
)

func ExampleReadPMed() {
	// Three vertices; edge 1–2 is listed twice and its last cost wins.
	const file = "3 3 1\n1 2 5\n2 3 1\n1 2 9\n"
	p, err := orlib.ReadPMed(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.N, p.P, p.Dist)
	obj, _ := p.Objective([]int{1}) // vertex 2 as the median
	fmt.Println("objective with vertex 2:", obj)
	// Output:
	// 3 1 [[0 9 10] [9 0 1] [10 1 0]]
	// objective with vertex 2: 10
}

func ExampleReadCap() {
	// capa-style file: the capacity is a placeholder.
	const file = "2 2\ncapacity 100.\ncapacity 150.\n10 30 50\n5 40 20\n"
	c, err := orlib.ReadCap(strings.NewReader(file), 8000)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("capacities", c.Capacity, "fixed", c.FixedCost, "demand", c.Demand)
	fmt.Println("cost of serving all of customer 1 from warehouse 2:", c.Cost[1][0])
	// Output:
	// capacities [8000 8000] fixed [100 150] demand [10 5]
	// cost of serving all of customer 1 from warehouse 2: 50
}

func ExampleReadPMedCap() {
	const file = "1 3\n2 1 10\n1 0 0 4\n2 3 4 2\n"
	p, err := orlib.ReadPMedCap(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.N, p.P, p.Q, p.Demand, p.Dist(0, 1))
	// Output: 2 1 10 [4 2] 5
}

func ExampleReadSJC() {
	const file = "2 1\r\n0 0 100 5\r\n1 1 100 7\r\n"
	s, err := orlib.ReadSJC(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d %d %.4f\n", s.N, s.P, s.Dist(0, 1))
	// Output: 2 1 1.4142
}

func ExampleReadOptima() {
	const file = "Data file   Optimal solution value\ncapa  19240822.449 (capacity 8000)\n      18438046.543 (capacity 10000)\n\nA note.\n"
	o, err := orlib.ReadOptima(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range o {
		fmt.Println(e.Instance, e.Capacity, e.Value)
	}
	// Output:
	// capa 8000 1.9240822449e+07
	// capa 10000 1.8438046543e+07
}

func ExampleLookupKnown() {
	k, _ := orlib.LookupKnown("pmed11", 0)
	fmt.Println(k.Family, k.Value, k.Optimal)
	k, _ = orlib.LookupKnown("capb", 6000)
	fmt.Println(k.Family, k.Value)
	// Output:
	// pmed 7696 true
	// cap 1.3361927449e+07
}

func ExampleParseError() {
	_, err := orlib.ReadPMedWith(strings.NewReader("3 2 1\n1 2 5\n2 3 x\n"), &orlib.Options{Name: "pmed0.txt"})
	fmt.Println(err)
	fmt.Println(errors.Is(err, gst.ErrInvalid))
	// Output:
	// orlib: pmed0.txt:3: token 9: edge 2: cost: expected an integer in [0, 1000000000000], got "x"
	// true
}

func ExampleReadTSPLIB() {
	in := `NAME : three
TYPE : TSP
DIMENSION : 3
EDGE_WEIGHT_TYPE : EUC_2D
NODE_COORD_SECTION
1 0 0
2 3 4
3 1.5 1.5
EOF
`
	p, err := orlib.ReadTSPLIB(strings.NewReader(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Name, p.N, p.Dist(0, 1), p.FloorDist(0, 2))
	// Output:
	// three 3 5 2
}

func ExampleReadHolmberg() {
	// 2 facilities, 3 customers: capacities and fixed costs, demands, then
	// the cost of serving each customer whole from each facility.
	in := "2 3\n10 100\n8 90\n4 5 3\n1 2 3\n4 5 6\n"
	p, err := orlib.ReadHolmberg(strings.NewReader(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.M, p.N, p.Capacity, p.Demand, p.Cost[1])
	// Output:
	// 2 3 [10 8] [4 5 3] [4 5 6]
}
