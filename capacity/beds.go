package capacity

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/gstplan/gst"
)

// DefaultOccupancy is the target bed occupancy used when none is given:
// 85 %, a common planning target that leaves room for the day-to-day swing
// of admissions.
const DefaultOccupancy = 0.85

// DaysPerYear is the number of days a bed is available in a year.
const DaysPerYear = 365

// BedsNeeded returns the beds needed for a year's admissions:
//
//	beds = admissions × average length of stay / (365 × occupancy)
//
// that is, the average number of occupied beds (patient-days / 365)
// divided by the target occupancy. Admissions and the average length of
// stay (days) must be finite and >= 0, occupancy in (0, 1].
func BedsNeeded(admissions, alosDays, occupancy float64) (float64, error) {
	var p gst.Problems
	p.CheckNonNegative("beds", "admissions", admissions)
	p.CheckNonNegative("beds", "alos_days", alosDays)
	checkOccupancy(&p, "beds", occupancy)
	if err := p.Err(); err != nil {
		return 0, err
	}
	return admissions * alosDays / (DaysPerYear * occupancy), nil
}

func checkOccupancy(p *gst.Problems, where string, v float64) {
	if !finite(v) || v <= 0 || v > 1 {
		p.Addf(where, "occupancy", "must be in (0, 1], got %v", v)
	}
}

// Stay gives the bed use of an inpatient service: each unit of its volume
// is one admission staying ALOSDays on average.
type Stay struct {
	Service  gst.ServiceID `json:"service"`
	ALOSDays float64       `json:"alos_days"`
	// Occupancy is the target occupancy of the service's beds, in (0, 1];
	// zero uses BedOptions.Occupancy.
	Occupancy float64 `json:"occupancy,omitempty"`
}

// BedOptions tune Beds. A nil *BedOptions uses the defaults.
type BedOptions struct {
	// Occupancy is the target occupancy for stays that do not set their
	// own, in (0, 1]. Default DefaultOccupancy (0.85).
	Occupancy float64
}

// BedRow is the bed need of one inpatient service at one establishment.
type BedRow struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Service       gst.ServiceID       `json:"service"`
	Admissions    float64             `json:"admissions"`
	ALOSDays      float64             `json:"alos_days"`
	Occupancy     float64             `json:"occupancy"`
	PatientDays   float64             `json:"patient_days"`
	Beds          float64             `json:"beds"`
}

// BedGap compares an establishment's bed need, all services together, with
// the beds it has (Establishment.Beds).
type BedGap struct {
	Establishment gst.EstablishmentID `json:"establishment"`
	Need          float64             `json:"need"`
	// Rounded is Need rounded up to whole beds.
	Rounded    float64 `json:"rounded"`
	Available  float64 `json:"available"`
	Difference float64 `json:"difference"`
	// Ratio = Available / Need, nil when Need is zero.
	Ratio *float64 `json:"ratio"`
}

// BedResult holds the bed need by establishment and service, and by
// establishment, both sorted by ID.
type BedResult struct {
	Rows           []BedRow `json:"rows"`
	Establishments []BedGap `json:"establishments"`
	Need           float64  `json:"need"`
	Available      float64  `json:"available"`
}

// Beds computes the beds each establishment needs for its inpatient
// volumes (admissions by service, for example from Attribute) with
// BedsNeeded, and compares them with its beds. Only services listed in
// stays count as inpatient services.
func Beds(r *gst.Region, vols *Volumes, stays []Stay, opt *BedOptions) (*BedResult, error) {
	if err := checkRegion(r); err != nil {
		return nil, err
	}
	if opt == nil {
		opt = &BedOptions{}
	}
	var p gst.Problems
	occ := opt.Occupancy
	if occ == 0 {
		occ = DefaultOccupancy
	}
	checkOccupancy(&p, "bed options", occ)
	if vols == nil {
		p.Add("volumes", "", errors.New("must not be nil"))
	}
	if len(stays) == 0 {
		p.Add("stays", "", errors.New("at least one inpatient service is needed"))
	}
	byS := map[gst.ServiceID]Stay{}
	for i, s := range stays {
		w := whereIndexed("stay", i, fmt.Sprintf("service %q", s.Service))
		if _, ok := r.Service(s.Service); !ok {
			p.Addf(w, "service", "unknown service %q", s.Service)
		}
		if _, dup := byS[s.Service]; dup {
			p.Addf(w, "service", "given twice")
		}
		p.CheckNonNegative(w, "alos_days", s.ALOSDays)
		if s.Occupancy != 0 {
			checkOccupancy(&p, w, s.Occupancy)
		} else {
			s.Occupancy = occ
		}
		byS[s.Service] = s
	}
	if vols != nil {
		for _, v := range vols.Rows() {
			if _, ok := r.EstablishmentIndex(v.Establishment); !ok {
				p.Addf(fmt.Sprintf("volume (establishment %q, service %q)", v.Establishment, v.Service), "establishment", "unknown establishment %q", v.Establishment)
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	res := &BedResult{Rows: []BedRow{}, Establishments: []BedGap{}}
	need := map[gst.EstablishmentID]float64{}
	for _, v := range vols.Rows() {
		s, ok := byS[v.Service]
		if !ok {
			continue
		}
		pd := v.Volume * s.ALOSDays
		b := pd / (DaysPerYear * s.Occupancy)
		res.Rows = append(res.Rows, BedRow{Establishment: v.Establishment, Service: v.Service, Admissions: v.Volume, ALOSDays: s.ALOSDays, Occupancy: s.Occupancy, PatientDays: pd, Beds: b})
		need[v.Establishment] += b
	}
	ids := make([]gst.EstablishmentID, 0, len(r.Establishments))
	for _, e := range r.Establishments {
		if _, ok := need[e.ID]; ok || e.Beds > 0 {
			ids = append(ids, e.ID)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		e, _ := r.Establishment(id)
		n := need[id]
		rounded := math.Ceil(n - 1e-9)
		if rounded <= 0 {
			rounded = 0
		}
		res.Establishments = append(res.Establishments, BedGap{Establishment: id, Need: n, Rounded: rounded, Available: e.Beds, Difference: e.Beds - n, Ratio: ratio(e.Beds, n)})
		res.Need += n
		res.Available += e.Beds
	}
	return res, nil
}
