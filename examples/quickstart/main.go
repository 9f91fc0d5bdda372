// Command quickstart reads a small bundled region (ten communes of Ifrane
// province), validates it, estimates travel from every commune to every
// establishment and prints, for each service, how far people live from
// the nearest establishment that offers it.
//
//	go run ./examples/quickstart [-region DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"sort"

	"github.com/gstplan/gst"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	dir := fs.String("region", "examples/quickstart/ifrane", "region directory")
	circuity := fs.Float64("circuity", 1.4, "road-circuity factor (mountain roads)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := gst.Open(*dir, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d areas, %.0f people, %d establishments\n", r.Name, len(r.Areas), r.Population(), len(r.Establishments))
	est := &gst.Estimator{Circuity: *circuity}
	m, err := r.TravelBetween(context.Background(), r.AreaIDs(), r.EstablishmentIDs(), est)
	if err != nil {
		return err
	}
	for _, s := range r.Services {
		var sum, people, beyond float64
		worst, worstArea := 0.0, ""
		for i, a := range r.Areas {
			best := math.Inf(1)
			for j, e := range r.Establishments {
				if e.Candidate || !e.OffersService(s.ID) {
					continue
				}
				if l, ok := m.At(i, j); ok && l.Minutes < best {
					best = l.Minutes
				}
			}
			if math.IsInf(best, 1) {
				fmt.Fprintf(w, "  %s: no establishment offers it\n", a.Name)
				continue
			}
			sum += best * a.Population
			people += a.Population
			if s.StandardMinutes > 0 && best > s.StandardMinutes {
				beyond += a.Population
			}
			if best > worst {
				worst, worstArea = best, a.Name
			}
		}
		if people == 0 {
			continue
		}
		fmt.Fprintf(w, "%-28s mean %5.1f min, worst %5.1f min (%s)", s.Name, sum/people, worst, worstArea)
		if s.StandardMinutes > 0 {
			fmt.Fprintf(w, ", %4.1f%% beyond %.0f min", 100*beyond/people, s.StandardMinutes)
		}
		fmt.Fprintln(w)
	}
	var notes []string
	notes = append(notes, r.Attribution...)
	sort.Strings(notes)
	fmt.Fprintln(w, "Sources:")
	for _, n := range notes {
		fmt.Fprintln(w, "  -", n)
	}
	return nil
}
