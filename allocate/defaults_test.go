package allocate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

// TestDefaultSitesArePublic pins the public default: a private clinic
// offering the service is not a site unless a rule lists it.
func TestDefaultSitesArePublic(t *testing.T) {
	r, d := changesRegion(t)
	r.Establishments = append(r.Establishments, gst.Establishment{ID: "P1", Level: gst.LocalHospital, Ownership: gst.Private,
		Lat: 33, Lon: -4.7, Offers: []gst.Offer{{Service: "s"}}})
	var entries []gst.MatrixEntry
	for _, a := range r.Areas {
		for _, e := range r.Establishments {
			l, ok := r.Travel.Lookup(string(a.ID), string(e.ID))
			if e.ID == "P1" {
				l, ok = gst.Leg{Minutes: 1, Km: 1}, true
			}
			if ok {
				entries = append(entries, gst.MatrixEntry{From: string(a.ID), To: string(e.ID), Minutes: l.Minutes, Km: l.Km})
			}
		}
	}
	m, err := gst.MatrixFromEntries(entries)
	if err != nil {
		t.Fatal(err)
	}
	r.Travel = m
	plan, err := Locate(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range plan.Sites {
		if s.Site == "P1" {
			t.Errorf("the private P1 is a site by default: %+v", s)
		}
	}
	plan, err = Locate(context.Background(), &Problem{Region: r, Demand: d, Objective: PMedian, MaxChanges: 1,
		Services: []ServiceRule{{Service: "s", Sites: []gst.EstablishmentID{"H1", "P1"}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := plan.Assignment.For("a4", "s"); len(got) != 1 || got[0].Establishment != "P1" {
		t.Errorf("listed, P1 serves a4: %+v", got)
	}
	// A service only private establishments offer says so.
	r.Services = append(r.Services, gst.Service{ID: "x"})
	r.Establishments[len(r.Establishments)-1].Offers = append(r.Establishments[len(r.Establishments)-1].Offers, gst.Offer{Service: "x"})
	r.Reindex()
	dx, _ := gst.NewDemandTable([]gst.Demand{{Area: "a1", Service: "x", Volume: 1}})
	_, err = Locate(context.Background(), &Problem{Region: r, Demand: dx, Objective: PMedian, P: 1}, nil)
	if !errors.Is(err, gst.ErrInvalid) || !strings.Contains(err.Error(), "only private establishments") {
		t.Errorf("private-only service: %v", err)
	}
}
