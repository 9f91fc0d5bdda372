package programme

import "github.com/gstplan/gst"

// figures computes the access figures of year index t (in period p) for
// every service.
func (md *model) figures(x []float64, p, t int) []Figures {
	in := md.in
	out := make([]Figures, 0, len(in.svc))
	for s := range in.svc {
		out = append(out, md.serviceFigures(x, s, p, t))
	}
	return out
}

func (md *model) serviceFigures(x []float64, s, p, t int) Figures {
	in := md.in
	sv := &in.svc[s]
	f := Figures{Service: sv.id, StandardMinutes: sv.standard}
	var mins, vols []float64
	var beyond, travel, depDemand, depServed, depTravel float64
	for a := range in.areas {
		d := in.dem[s][a][t]
		if d <= 0 {
			continue
		}
		f.Demand += d
		dep := in.areas[a].deprived
		depDemand += dep * d
		for k, r := range in.reach[s][a] {
			col := md.x[s][a][k][t]
			if col < 0 || x[col] <= 1e-9 {
				continue
			}
			v := d * x[col]
			f.Served += v
			travel += v * r.minutes
			mins = append(mins, r.minutes)
			vols = append(vols, v)
			if sv.standard > 0 && r.minutes > sv.standard {
				beyond += v
			}
			depServed += dep * v
			depTravel += dep * v * r.minutes
		}
	}
	for o := range in.offers {
		if in.offers[o].svc != s || md.intAt(x, md.y[o][p]) == 0 {
			continue
		}
		for k, mi := range sv.mods {
			f.Capacity += float64(md.intAt(x, md.n[o][k][p])) * in.mods[mi].m.Capacity
		}
	}
	f.Unserved = f.Demand - f.Served
	if f.Unserved < 1e-9*f.Demand {
		f.Unserved = 0
	}
	if f.Demand > 0 {
		f.UnservedShare = f.Unserved / f.Demand
	}
	if f.Served > 0 {
		f.MeanMinutes = travel / f.Served
		f.P90Minutes = gst.WeightedQuantile(mins, vols, 0.9)
		f.BeyondShare = beyond / f.Served
	}
	if depServed > 0 {
		f.DeprivedMeanMinutes = depTravel / depServed
	}
	if depDemand > 0 {
		f.DeprivedUnservedShare = (depDemand - depServed) / depDemand
	}
	f.Demand, f.Served, f.Unserved = clean(f.Demand), clean(f.Served), clean(f.Unserved)
	f.UnservedShare, f.MeanMinutes, f.P90Minutes = clean(f.UnservedShare), clean(f.MeanMinutes), clean(f.P90Minutes)
	f.BeyondShare, f.DeprivedMeanMinutes, f.DeprivedUnservedShare = clean(f.BeyondShare), clean(f.DeprivedMeanMinutes), clean(f.DeprivedUnservedShare)
	f.Capacity = clean(f.Capacity)
	return f
}
