package allocate

import (
	"context"
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gstplan/gst"
)

// checkPlan checks a plan against its problem using only the problem's
// data and the plan's exported fields: every rule holds, and the objective
// recomputed from the assignment equals the one reported.
func checkPlan(t *testing.T, name string, p *Problem, pl *Plan) {
	t.Helper()
	r := p.Region
	const tol = 1e-6
	travel := func(a gst.AreaID, e gst.EstablishmentID) float64 {
		l, ok := r.Travel.Lookup(string(a), string(e))
		if !ok {
			t.Fatalf("%s: no travel from %s to %s", name, a, e)
		}
		if p.Metric == Kilometres {
			return l.Km
		}
		return l.Minutes
	}
	open := map[gst.EstablishmentID]bool{}
	nOpen := 0
	for _, s := range pl.Sites {
		open[s.Site] = s.Open
		if s.Open {
			nOpen++
		}
		e, _ := r.Establishment(s.Site)
		if !p.Greenfield && s.Today && !e.Closable && !s.Open {
			t.Errorf("%s: site %s is not closable but closed", name, s.Site)
		}
	}
	for _, id := range p.Keep {
		if !open[id] {
			t.Errorf("%s: kept site %s is closed", name, id)
		}
	}
	for _, id := range p.Exclude {
		if open[id] {
			t.Errorf("%s: excluded site %s is open", name, id)
		}
	}
	if p.Objective.needsP() && p.P > 0 && nOpen != p.P {
		t.Errorf("%s: %d open sites, want %d", name, nOpen, p.P)
	}
	if !p.Objective.needsP() && p.P > 0 && nOpen > p.P {
		t.Errorf("%s: %d open sites, want at most %d", name, nOpen, p.P)
	}
	cost, changes := 0.0, 0
	for _, s := range pl.Sites {
		e, _ := r.Establishment(s.Site)
		switch {
		case s.Today && !s.Open:
			cost += e.CloseCost
			changes++
		case !s.Today && s.Open:
			cost += e.OpenCost
			changes++
		}
	}
	if math.Abs(cost-pl.ChangeCost) > tol || changes != pl.Changes {
		t.Errorf("%s: change cost %v and changes %d, plan says %v and %d", name, cost, changes, pl.ChangeCost, pl.Changes)
	}
	if p.Budget > 0 && cost > p.Budget+tol {
		t.Errorf("%s: cost %v above budget %v", name, cost, p.Budget)
	}
	if p.MaxChanges > 0 && changes > p.MaxChanges || p.MaxChanges == NoChanges && changes > 0 {
		t.Errorf("%s: %d changes above %d", name, changes, p.MaxChanges)
	}
	weight := map[gst.ServiceID]float64{}
	services := p.Demand.Services()
	if p.Services != nil {
		services = nil
		for _, sr := range p.Services {
			services = append(services, sr.Service)
			weight[sr.Service] = sr.Weight
		}
	}
	std := map[gst.ServiceID]float64{}
	for _, s := range services {
		if weight[s] == 0 {
			weight[s] = 1
		}
		sv, _ := r.Service(s)
		std[s] = sv.StandardMinutes
	}
	credit := func(s gst.ServiceID, d float64) float64 {
		if d <= std[s] {
			return 1
		}
		if p.Decay != nil && d < p.Decay.Outer {
			return (p.Decay.Outer - d) / (p.Decay.Outer - std[s])
		}
		return 0
	}
	load := map[[2]string]float64{}
	var wt, worst, covered float64
	provCov := map[[2]string]float64{}
	provTot := map[[2]string]float64{}
	backup := 0.0
	for _, s := range services {
		for _, d := range p.Demand.ForService(s) {
			if d.Volume <= 0 {
				continue
			}
			a, _ := r.Area(d.Area)
			provTot[[2]string{string(a.Province), string(s)}] += d.Volume
			rows := pl.Assignment.For(d.Area, s)
			sum := 0.0
			if p.Capacity == SingleSource && len(rows) > 1 {
				t.Errorf("%s: area %s service %s split under single sourcing", name, d.Area, s)
			}
			for _, row := range rows {
				if !open[row.Establishment] {
					t.Errorf("%s: area %s sent to closed site %s", name, d.Area, row.Establishment)
				}
				tr := travel(d.Area, row.Establishment)
				sum += row.Share
				wt += weight[s] * d.Volume * tr * row.Share
				eff := tr
				if p.Objective == WeightedPCenter {
					eff = weight[s] * d.Volume * tr
				}
				worst = math.Max(worst, eff)
				covered += weight[s] * d.Volume * row.Share * credit(s, tr)
				if tr <= std[s] {
					provCov[[2]string{string(a.Province), string(s)}] += d.Volume * row.Share
				}
				load[[2]string{string(row.Establishment), string(s)}] += d.Volume * row.Share
				max := p.MaxTravel
				if max > 0 && tr > max+tol {
					t.Errorf("%s: area %s travels %v above the maximum %v", name, d.Area, tr, max)
				}
				if p.Objective == SetCovering && tr > std[s]+tol {
					t.Errorf("%s: area %s travels %v beyond the standard %v", name, d.Area, tr, std[s])
				}
			}
			if sum > 1+tol {
				t.Errorf("%s: shares of %s/%s sum to %v", name, d.Area, s, sum)
			}
			if !p.Objective.coverage() && sum < 1-tol {
				t.Errorf("%s: area %s service %s served %v", name, d.Area, s, sum)
			}
			n := 0
			for _, e := range pl.Sites {
				if e.Open {
					for _, es := range e.Services {
						if es == s && travel(d.Area, e.Site) <= std[s] {
							n++
						}
					}
				}
			}
			if n >= 2 {
				backup += weight[s] * d.Volume
			}
		}
	}
	if p.Capacity != Uncapacitated {
		for key, l := range load {
			o, _ := r.Offer(gst.EstablishmentID(key[0]), gst.ServiceID(key[1]))
			if o.Capacity > 0 && l > o.Capacity*(1+tol) {
				t.Errorf("%s: site %s serves %v of %s, capacity %v", name, key[0], l, key[1], o.Capacity)
			}
		}
	}
	for _, rule := range p.MinCoverage {
		for key, tot := range provTot {
			if (rule.Province != "" && string(rule.Province) != key[0]) || (rule.Service != "" && string(rule.Service) != key[1]) {
				continue
			}
			if provCov[key] < rule.MinShare*tot*(1-tol) {
				t.Errorf("%s: province %s service %s covers %v of %v, rule %v", name, key[0], key[1], provCov[key], tot, rule.MinShare)
			}
		}
	}
	var want float64
	switch p.Objective {
	case PMedian:
		want = wt
	case FixedCharge:
		want = cost + p.TravelCost*wt
	case PCenter, WeightedPCenter:
		want = worst
	case SetCovering:
		want = float64(nOpen)
	case MaxCoverage:
		want = covered
	case BackupCoverage:
		want = backup
	}
	if math.Abs(want-pl.Value) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s: recomputed objective %v, plan says %v", name, want, pl.Value)
	}
	if math.Abs(wt-pl.WeightedTravel) > tol*math.Max(1, wt) {
		t.Errorf("%s: recomputed weighted travel %v, plan says %v", name, wt, pl.WeightedTravel)
	}
	if p.Objective.maximises() {
		if pl.Bound < pl.Value-tol*math.Max(1, pl.Value) {
			t.Errorf("%s: upper bound %v below value %v", name, pl.Bound, pl.Value)
		}
	} else if pl.Bound > pl.Value+tol*math.Max(1, pl.Value) {
		t.Errorf("%s: lower bound %v above value %v", name, pl.Bound, pl.Value)
	}
}

// shuffled returns a copy of the problem with every list of the region and
// the rules in another order.
func shuffled(p *Problem, rng *rand.Rand) *Problem {
	q := *p
	r := p.Region.Clone()
	rng.Shuffle(len(r.Areas), func(i, j int) { r.Areas[i], r.Areas[j] = r.Areas[j], r.Areas[i] })
	rng.Shuffle(len(r.Establishments), func(i, j int) {
		r.Establishments[i], r.Establishments[j] = r.Establishments[j], r.Establishments[i]
	})
	rng.Shuffle(len(r.Services), func(i, j int) { r.Services[i], r.Services[j] = r.Services[j], r.Services[i] })
	rng.Shuffle(len(r.Provinces), func(i, j int) { r.Provinces[i], r.Provinces[j] = r.Provinces[j], r.Provinces[i] })
	for i := range r.Establishments {
		o := r.Establishments[i].Offers
		rng.Shuffle(len(o), func(a, b int) { o[a], o[b] = o[b], o[a] })
	}
	r.Reindex()
	q.Region = r
	q.Services = append([]ServiceRule(nil), p.Services...)
	rng.Shuffle(len(q.Services), func(i, j int) { q.Services[i], q.Services[j] = q.Services[j], q.Services[i] })
	return &q
}

func TestShuffleChangesNothing(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for _, obj := range []Objective{PMedian, PCenter, SetCovering, MaxCoverage, BackupCoverage, FixedCharge} {
		for _, c := range []Capacity{Uncapacitated, SingleSource} {
			if obj == BackupCoverage && c != Uncapacitated {
				continue
			}
			r, dt := synth(t, synthSpec{seed: rng.Int63(), areas: 25, sites: 9, services: 2, candidates: 0.4, closable: 0.5, capacity: c != Uncapacitated, intTravel: true})
			for s := range r.Services {
				r.Services[s].StandardMinutes = 60
			}
			p := &Problem{Region: r, Demand: dt, Objective: obj, Capacity: c, Greenfield: true, TravelCost: 1,
				Services: []ServiceRule{{Service: "s0", Weight: 2}, {Service: "s1"}}}
			if obj.needsP() {
				p.P = 4
			}
			start := time.Now()
			want, err := Locate(context.Background(), p, nil)
			if err != nil {
				t.Fatalf("%v/%v: %v", obj, c, err)
			}
			t.Logf("%v/%v: %v %v in %v %+v %s", obj, c, want.Value, want.Status, time.Since(start), want.Model, want.Method)
			for i := 0; i < 3; i++ {
				got, err := Locate(context.Background(), shuffled(p, rng), nil)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(want, got, cmpopts.IgnoreFields(Plan{}, "Elapsed"), cmp.AllowUnexported(Plan{}, geoData{}, geoArea{}, area{}),
					cmp.Comparer(func(a, b *gst.Assignment) bool { return cmp.Equal(a.Rows(), b.Rows()) })); d != "" {
					t.Fatalf("%v/%v: shuffled input changes the plan (-want +got):\n%s", obj, c, d)
				}
				for _, l := range []GeoLayer{GeoSites, GeoAreas, GeoAssignment} {
					g1, _ := want.GeoJSON(l)
					g2, _ := got.GeoJSON(l)
					if string(g1) != string(g2) {
						t.Fatalf("%v/%v: shuffled input changes the GeoJSON %s", obj, c, l)
					}
				}
			}
		}
	}
}
