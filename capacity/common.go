package capacity

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/gstplan/gst"
)

// checkRegion validates the region an entry point works on and returns the
// error to give back, wrapped so that it says which input was at fault.
func checkRegion(r *gst.Region) error {
	if r == nil {
		return &gst.ValidationError{Where: "region", Err: errors.New("must not be nil")}
	}
	return r.Validate()
}

// finite reports whether v is a finite number.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// ratio returns a/b, or nil when b is zero (or the quotient is not finite):
// a ratio against nothing is undefined, and outputs carry null rather than
// an infinite or NaN number.
func ratio(a, b float64) *float64 {
	if b == 0 {
		return nil
	}
	q := a / b
	if !finite(q) {
		return nil
	}
	return &q
}

// perThousand returns v per 1,000 people, or nil when population is zero.
func perThousand(v, population float64) *float64 {
	if population <= 0 {
		return nil
	}
	q := v * 1000 / population
	if !finite(q) {
		return nil
	}
	return &q
}

// floatSlab hands out pointers to float64 values carved from shared
// blocks, so that tables with many optional numbers do not allocate each
// one on its own.
type floatSlab struct{ buf []float64 }

func (s *floatSlab) ptr(v float64) *float64 {
	if len(s.buf) == cap(s.buf) {
		s.buf = make([]float64, 0, 4096)
	}
	s.buf = append(s.buf, v)
	return &s.buf[len(s.buf)-1]
}

// opt returns a slab pointer to *v, or nil when v is nil.
func (s *floatSlab) opt(v *float64) *float64 {
	if v == nil {
		return nil
	}
	return s.ptr(*v)
}

// formatFloat renders a number for CSV: shortest exact decimal form.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// formatOpt renders an optional number for CSV: empty when nil.
func formatOpt(v *float64) string {
	if v == nil {
		return ""
	}
	return formatFloat(*v)
}

// whereIndexed names the i-th (0-based) record of a list given to an entry
// point, for error messages: `rate #3 (service "x")`.
func whereIndexed(kind string, i int, detail string) string {
	if detail == "" {
		return fmt.Sprintf("%s #%d", kind, i+1)
	}
	return fmt.Sprintf("%s #%d (%s)", kind, i+1, detail)
}

// checkDemandRefs is gst.DemandTable.Validate without formatting a record
// name unless a problem is found: every area and service of the table
// must exist in the region.
func checkDemandRefs(p *gst.Problems, r *gst.Region, d *gst.DemandTable) {
	for _, x := range d.Rows() {
		_, okA := r.AreaIndex(x.Area)
		_, okS := r.ServiceIndex(x.Service)
		if okA && okS {
			continue
		}
		w := fmt.Sprintf("demand (area %q, service %q)", x.Area, x.Service)
		if !okA {
			p.Addf(w, "area", "unknown area %q", x.Area)
		}
		if !okS {
			p.Addf(w, "service", "unknown service %q", x.Service)
		}
	}
}

// checkAssignmentRefs is gst.Assignment.Validate without formatting a
// record name unless a problem is found: areas, services and
// establishments exist and each establishment offers the service it is
// assigned.
func checkAssignmentRefs(p *gst.Problems, r *gst.Region, a *gst.Assignment) {
	offers := make(map[estService]bool, 8*len(r.Establishments))
	for i := range r.Establishments {
		e := &r.Establishments[i]
		for _, o := range e.Offers {
			offers[estService{e.ID, o.Service}] = true
		}
	}
	var lastArea gst.AreaID
	okA := false
	for k, x := range a.Rows() {
		if k == 0 || x.Area != lastArea {
			_, okA = r.AreaIndex(x.Area)
			lastArea = x.Area
		}
		okO := offers[estService{x.Establishment, x.Service}]
		if okA && okO {
			continue
		}
		_, okS := r.ServiceIndex(x.Service)
		_, okE := r.EstablishmentIndex(x.Establishment)
		w := fmt.Sprintf("allocation (area %q, service %q, establishment %q)", x.Area, x.Service, x.Establishment)
		if !okA {
			p.Addf(w, "area", "unknown area %q", x.Area)
		}
		if !okS {
			p.Addf(w, "service", "unknown service %q", x.Service)
		}
		if !okE {
			p.Addf(w, "establishment", "unknown establishment %q", x.Establishment)
		} else if !okO && okS {
			p.Addf(w, "establishment", "does not offer service %q", x.Service)
		}
	}
}
