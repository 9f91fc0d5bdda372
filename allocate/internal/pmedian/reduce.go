package pmedian

// reduce returns a copy of in whose client lists drop the sites fixed
// closed and stop at the cheapest site fixed open (no client is served
// beyond it in any plan of the region), with status as the site rules.
// Indices of clients and sites are unchanged.
func reduce(in *inst, status []Rule) *inst {
	out := *in
	out.rule = status
	out.start = make([]int32, in.n+1)
	out.site = make([]int32, 0, len(in.site)/2)
	out.cost = make([]float64, 0, len(in.site)/2)
	for i := 0; i < in.n; i++ {
		for k := in.start[i]; k < in.start[i+1]; k++ {
			j := in.site[k]
			if status[j] == Closed {
				continue
			}
			out.site = append(out.site, j)
			out.cost = append(out.cost, in.cost[k])
			if status[j] == Open {
				break
			}
		}
		out.start[i+1] = int32(len(out.site))
	}
	out.istart = make([]int32, in.m+1)
	for _, s := range out.site {
		out.istart[s+1]++
	}
	for j := 0; j < in.m; j++ {
		out.istart[j+1] += out.istart[j]
	}
	out.icl = make([]int32, len(out.site))
	out.icost = make([]float64, len(out.site))
	fill := append([]int32(nil), out.istart[:in.m]...)
	for i := 0; i < in.n; i++ {
		for k := out.start[i]; k < out.start[i+1]; k++ {
			s := out.site[k]
			out.icl[fill[s]] = int32(i)
			out.icost[fill[s]] = out.cost[k]
			fill[s]++
		}
	}
	return &out
}
