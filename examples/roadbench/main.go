// Command roadbench times road travel at the size of a country: it
// generates a road network of about two million junctions over Morocco's
// extent, snaps 1,500 areas and 3,000 establishments to it and computes
// the travel matrix between them with gst.RoadNetwork.PlaceMatrix, then
// prints the time of each phase and the peak memory of the process.
//
//	go run ./examples/roadbench [-nodes 2000000] [-areas 1500] [-establishments 3000] [-workers 0] [-check 3]
//
// The network is a jittered grid of junctions about 0.6 km apart over
// 28°–36° N, 13°–1° W (about 0.9 × 1.1 thousand km), streets between
// neighbours with one in eight missing, a diagonal in one block in four,
// a hierarchy of roads (a motorway every 160th row and column at
// 110 km/h, a national road every 40th at 80 km/h, local roads at 30 to
// 50 km/h) and one street in twenty one-way. Node IDs are numbers in a
// shuffled order, as OpenStreetMap's are not in the order of the ground.
// Everything is seeded: the same flags give the same network and matrix.
//
// After the timed part it checks the legs of a few areas (-check) against
// an independent textbook Dijkstra over the generated edges. Peak memory
// is the resident set's high-water mark (VmHWM of /proc/self/status, on
// Linux), which includes the generated input; the network's own size is the
// live heap it adds.
package main

import (
	"bufio"
	"container/heap"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gstplan/gst"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "roadbench:", err)
		os.Exit(1)
	}
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("roadbench", flag.ContinueOnError)
	nodes := fs.Int("nodes", 2_000_000, "about how many road junctions")
	areas := fs.Int("areas", 1500, "number of areas (origins)")
	ests := fs.Int("establishments", 3000, "number of establishments (destinations)")
	workers := fs.Int("workers", 0, "searches at a time (0: every core)")
	check := fs.Int("check", 3, "areas whose legs are checked against a textbook Dijkstra")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *nodes < 100 || *areas < 1 || *ests < 1 || *workers < 0 || *check < 0 {
		return errors.New("-nodes must be at least 100, -areas and -establishments at least 1, -workers and -check not negative")
	}
	t0 := time.Now()
	g := generate(*nodes, 1)
	from := places(g, "area", *areas, 2)
	to := places(g, "est", *ests, 3)
	fmt.Fprintf(w, "generated %d nodes and %d edges in %.1f s\n", len(g.nodes), len(g.edges), time.Since(t0).Seconds())

	before := heapInUse()
	t1 := time.Now()
	net, err := gst.NewRoadNetwork(g.nodes, g.edges)
	if err != nil {
		return err
	}
	build := time.Since(t1)
	fmt.Fprintf(w, "built the network (%d nodes, %d arcs) in %.1f s; it holds %.0f MiB\n", net.NodeCount(), net.ArcCount(), build.Seconds(), float64(heapInUse()-before)/(1<<20))

	t2 := time.Now()
	m, rep, err := net.PlaceMatrix(context.Background(), from, to, &gst.RoadOptions{Workers: *workers})
	if err != nil {
		return err
	}
	solve := time.Since(t2)
	peak := peakRSS()
	s := rep.Summary()
	fmt.Fprintf(w, "matrix %d × %d (%d reachable legs) in %.1f s with %d workers\n", len(from), len(to), m.Reachable(), solve.Seconds(), effectiveWorkers(*workers))
	fmt.Fprintf(w, "snaps: %d points, median %.2f km, max %.2f km, %d warnings\n", s.Points, s.MedianKm, s.MaxKm, len(rep.Warnings))
	fmt.Fprintf(w, "peak memory (VmHWM): %s\n", peak)

	if *check > 0 {
		n, err := verify(g, net, m, from, to, *check)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "checked %d legs of %d areas against a textbook Dijkstra: equal\n", n, min(*check, len(from)))
	}
	return nil
}

func effectiveWorkers(w int) int {
	if w == 0 || w > runtime.GOMAXPROCS(0) {
		return runtime.GOMAXPROCS(0)
	}
	return w
}

// heapInUse returns the bytes of live heap objects after a collection.
func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// peakRSS reads the resident set's high-water mark, or says it cannot.
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown (no /proc/self/status)"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			f := strings.Fields(rest)
			if kb, err := strconv.ParseFloat(f[0], 64); err == nil && len(f) == 2 && f[1] == "kB" {
				return fmt.Sprintf("%.0f MiB", kb/1024)
			}
		}
	}
	return "unknown"
}

// network is the generated input, with the grid kept for the check.
type network struct {
	nodes      []gst.RoadNode
	edges      []gst.RoadEdge
	rows, cols int
}

// generate builds the seeded grid network of about n nodes.
func generate(n int, seed uint64) *network {
	rng := rand.New(rand.NewPCG(seed, 7))
	const lat0, lat1, lon0, lon1 = 28.0, 36.0, -13.0, -1.0
	// Rows and columns in the ratio of the extent's sides on the ground.
	ratio := (lat1 - lat0) / ((lon1 - lon0) * math.Cos((lat0+lat1)/2*math.Pi/180))
	cols := int(math.Round(math.Sqrt(float64(n) / ratio)))
	rows := (n + cols - 1) / cols
	g := &network{rows: rows, cols: cols}
	ids := rng.Perm(rows * cols)
	dLat, dLon := (lat1-lat0)/float64(rows), (lon1-lon0)/float64(cols)
	g.nodes = make([]gst.RoadNode, rows*cols)
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			g.nodes[r*cols+c] = gst.RoadNode{
				ID:  strconv.Itoa(1_000_000 + ids[r*cols+c]),
				Lat: lat0 + (float64(r)+0.2+0.6*rng.Float64())*dLat,
				Lon: lon0 + (float64(c)+0.2+0.6*rng.Float64())*dLon,
			}
		}
	}
	g.edges = make([]gst.RoadEdge, 0, 2*rows*cols+rows*cols/4)
	add := func(a, b int, kmh float64, keep bool) {
		if !keep {
			return
		}
		na, nb := g.nodes[a], g.nodes[b]
		km := gst.GreatCircleKm(na.Lat, na.Lon, nb.Lat, nb.Lon) * 1.1
		g.edges = append(g.edges, gst.RoadEdge{From: na.ID, To: nb.ID, Km: km, Kmh: kmh, OneWay: rng.IntN(20) == 0})
	}
	class := func(line int) (float64, bool) {
		switch {
		case line%160 == 0:
			return 110, true
		case line%40 == 0:
			return 80, true
		}
		return 30 + 10*float64(rng.IntN(3)), rng.IntN(8) != 0
	}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			i := r*cols + c
			if c+1 < cols {
				kmh, keep := class(r)
				add(i, i+1, kmh, keep)
			}
			if r+1 < rows {
				kmh, keep := class(c)
				add(i, i+cols, kmh, keep)
			}
			if r+1 < rows && c+1 < cols && rng.IntN(4) == 0 {
				add(i, i+cols+1, 30, true)
			}
		}
	}
	return g
}

// places returns n seeded places of one point each inside the network's
// extent.
func places(g *network, prefix string, n int, seed uint64) []gst.RoadPlace {
	rng := rand.New(rand.NewPCG(seed, 11))
	out := make([]gst.RoadPlace, n)
	for i := range out {
		nd := g.nodes[rng.IntN(len(g.nodes))]
		out[i] = gst.RoadPlace{ID: fmt.Sprintf("%s%05d", prefix, i),
			Points: []gst.PlacePoint{{Lat: nd.Lat + (rng.Float64()-0.5)*0.004, Lon: nd.Lon + (rng.Float64()-0.5)*0.004}}}
	}
	return out
}

// verify recomputes the legs of the first k areas with a textbook
// Dijkstra (container/heap, lazy deletion) over the generated edges, the
// snaps taken from a brute-force nearest node, and compares.
func verify(g *network, net *gst.RoadNetwork, m *gst.Matrix, from, to []gst.RoadPlace, k int) (int, error) {
	ix := make(map[string]int32, len(g.nodes))
	for i, nd := range g.nodes {
		ix[nd.ID] = int32(i)
	}
	type arc struct {
		to      int32
		min, km float64
	}
	adj := make([][]arc, len(g.nodes))
	for _, e := range g.edges {
		u, v := ix[e.From], ix[e.To]
		adj[u] = append(adj[u], arc{v, 60 * e.Km / e.Kmh, e.Km})
		if !e.OneWay {
			adj[v] = append(adj[v], arc{u, 60 * e.Km / e.Kmh, e.Km})
		}
	}
	snapTo := func(pl []gst.RoadPlace) ([]gst.PointSnap, error) {
		pts := make([]gst.Point, len(pl))
		for i, p := range pl {
			pts[i] = gst.Point{ID: p.ID, Lat: p.Points[0].Lat, Lon: p.Points[0].Lon}
		}
		snaps, err := net.Snap(pts, nil)
		out := make([]gst.PointSnap, len(pl))
		for i, s := range snaps {
			out[i] = gst.PointSnap{Node: s.Node, Access: s.Access}
		}
		return out, err
	}
	fs, err := snapTo(from[:k])
	if err != nil {
		return 0, err
	}
	ts, err := snapTo(to)
	if err != nil {
		return 0, err
	}
	checked := 0
	for i := 0; i < k && i < len(from); i++ {
		if fs[i].Node == "" {
			continue
		}
		dist, km := dijkstra(len(g.nodes), ix[fs[i].Node], func(u int32, f func(v int32, min, km float64)) {
			for _, a := range adj[u] {
				f(a.to, a.min, a.km)
			}
		})
		for j := range to {
			got, ok := m.At(i, j)
			if ts[j].Node == "" || math.IsInf(dist[ix[ts[j].Node]], 1) {
				if ok {
					return checked, fmt.Errorf("%s → %s: got %v, want unreachable", from[i].ID, to[j].ID, got)
				}
				continue
			}
			v := ix[ts[j].Node]
			want := gst.Leg{Minutes: fs[i].Access.Minutes + dist[v] + ts[j].Access.Minutes, Km: fs[i].Access.Km + km[v] + ts[j].Access.Km}
			if !ok || math.Abs(got.Minutes-want.Minutes) > 1e-9*want.Minutes || math.Abs(got.Km-want.Km) > 1e-9*want.Km {
				return checked, fmt.Errorf("%s → %s: got %+v (%v), want %+v", from[i].ID, to[j].ID, got, ok, want)
			}
			checked++
		}
	}
	return checked, nil
}

type item struct {
	v       int32
	min, km float64
}
type pq []item

func (h pq) Len() int { return len(h) }
func (h pq) Less(i, j int) bool {
	return h[i].min < h[j].min || (h[i].min == h[j].min && h[i].km < h[j].km)
}
func (h pq) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pq) Push(x any)   { *h = append(*h, x.(item)) }
func (h *pq) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// dijkstra returns the fastest minutes from src to every node, and the km
// of the shortest of the fastest paths.
func dijkstra(n int, src int32, arcs func(u int32, f func(v int32, min, km float64))) ([]float64, []float64) {
	dist, km := make([]float64, n), make([]float64, n)
	for i := range dist {
		dist[i], km[i] = math.Inf(1), math.Inf(1)
	}
	dist[src], km[src] = 0, 0
	h := &pq{{src, 0, 0}}
	for h.Len() > 0 {
		it := heap.Pop(h).(item)
		if it.min != dist[it.v] || it.km != km[it.v] {
			continue
		}
		arcs(it.v, func(v int32, m, k float64) {
			d, kk := it.min+m, it.km+k
			if d < dist[v] || (d == dist[v] && kk < km[v]) {
				dist[v], km[v] = d, kk
				heap.Push(h, item{v, d, kk})
			}
		})
	}
	return dist, km
}
