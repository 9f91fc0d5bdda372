package programme

// unionFind joins indices into sets; the root of a set is its least
// index, so the sets do not depend on the order of the unions.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for j := range u {
		u[j] = j
	}
	return u
}

// find returns the root of j's set.
func (u unionFind) find(j int) int {
	for u[j] != j {
		u[j] = u[u[j]]
		j = u[j]
	}
	return j
}

// union joins the sets of i and j.
func (u unionFind) union(i, j int) {
	if x, y := u.find(i), u.find(j); x != y {
		u[max(x, y)] = min(x, y)
	}
}
