package gst

import "math"

// roadKD is a k-d tree over points on the unit sphere (3-D unit vectors),
// where the nearest point by chord is the nearest by great circle.
type roadKD struct {
	ids  []string     // IDs of the network's nodes, to break ties
	node []int32      // road node at each tree position
	pt   [][3]float64 // its unit vector
	axis []uint8      // split axis of the subtree whose median is here
}

func unitVector(lat, lon float64) [3]float64 {
	φ, λ := lat*math.Pi/180, lon*math.Pi/180
	return [3]float64{math.Cos(φ) * math.Cos(λ), math.Cos(φ) * math.Sin(λ), math.Sin(φ)}
}

func newRoadKD(nodes []int32, lat, lon []float64, ids []string) roadKD {
	t := roadKD{ids: ids, node: append([]int32(nil), nodes...), pt: make([][3]float64, len(nodes)), axis: make([]uint8, len(nodes))}
	for i, k := range t.node {
		t.pt[i] = unitVector(lat[k], lon[k])
	}
	t.build(0, len(t.node))
	return t
}

func (t *roadKD) less(a, b int, ax uint8) bool {
	if t.pt[a][ax] != t.pt[b][ax] {
		return t.pt[a][ax] < t.pt[b][ax]
	}
	return t.node[a] < t.node[b]
}

func (t *roadKD) swap(a, b int) {
	t.node[a], t.node[b] = t.node[b], t.node[a]
	t.pt[a], t.pt[b] = t.pt[b], t.pt[a]
}

func (t *roadKD) build(lo, hi int) {
	for hi-lo > 1 {
		// Split on the axis of widest spread, at the median.
		var mn, mx [3]float64
		mn, mx = t.pt[lo], t.pt[lo]
		for i := lo + 1; i < hi; i++ {
			for a := 0; a < 3; a++ {
				mn[a], mx[a] = min(mn[a], t.pt[i][a]), max(mx[a], t.pt[i][a])
			}
		}
		var ax uint8
		for a := uint8(1); a < 3; a++ {
			if mx[a]-mn[a] > mx[ax]-mn[ax] {
				ax = a
			}
		}
		mid := (lo + hi) / 2
		t.selectNth(lo, hi, mid, ax)
		t.axis[mid] = ax
		t.build(lo, mid)
		lo = mid + 1
	}
}

// selectNth reorders [lo, hi) so that position k holds the element of rank
// k on axis ax (ties broken by node), smaller ones before it and larger
// after (Hoare's quickselect with a middle pivot; deterministic).
func (t *roadKD) selectNth(lo, hi, k int, ax uint8) {
	for hi-lo > 1 {
		p := lo + (hi-lo)/2
		t.swap(p, hi-1)
		store := lo
		for i := lo; i < hi-1; i++ {
			if t.less(i, hi-1, ax) {
				t.swap(i, store)
				store++
			}
		}
		t.swap(store, hi-1)
		switch {
		case k == store:
			return
		case k < store:
			hi = store
		default:
			lo = store + 1
		}
	}
}

// nearest returns the road node nearest to q within squared chord maxD2
// (the first by ID on a tie), or -1.
func (t *roadKD) nearest(q [3]float64, maxD2 float64) int32 {
	best, bestD2 := int32(-1), maxD2
	var visit func(lo, hi int)
	visit = func(lo, hi int) {
		for lo < hi {
			mid := (lo + hi) / 2
			p := t.pt[mid]
			dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
			d2 := dx*dx + dy*dy + dz*dz
			if d2 < bestD2 || (d2 == bestD2 && (best < 0 || t.ids[t.node[mid]] < t.ids[best])) {
				best, bestD2 = t.node[mid], d2
			}
			diff := q[t.axis[mid]] - p[t.axis[mid]]
			nearLo, nearHi, farLo, farHi := lo, mid, mid+1, hi
			if diff > 0 {
				nearLo, nearHi, farLo, farHi = mid+1, hi, lo, mid
			}
			visit(nearLo, nearHi)
			if diff*diff > bestD2 {
				return
			}
			lo, hi = farLo, farHi
		}
	}
	visit(0, len(t.node))
	return best
}
