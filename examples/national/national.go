package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/allocate"
	"github.com/gstplan/gst/capacity"
	"github.com/gstplan/gst/examples/internal/pilot"
	"github.com/gstplan/gst/osmroad"
)

// proximityHospitalCost is the cost of one 45-bed proximity hospital, in
// dirhams (Imintanout, 2024; examples/data/README.md [S13]).
const proximityHospitalCost = 111e6

// service is the service whose access the plans improve.
const service gst.ServiceID = "caesarean"

// circuity is the road-circuity factor of the travel estimator, as in the
// pilot programs.
const circuity = 1.4

// Config tunes a national run.
type Config struct {
	Data   string        // directory holding regions.csv and the region directories
	Budget float64       // opening budget of each GST, dirhams
	Limit  time.Duration // time limit of each solve
	Short  bool
	// Roads is an OpenStreetMap extract (.osm.pbf or .osm) whose roads
	// give the travel of every region; empty: the estimator.
	Roads string
}

// Figures are the key figures of a region's caesarean access.
type Figures struct {
	// Mean and P90 are the births-weighted mean and 90th percentile of
	// the one-way travel, in minutes; Beyond is the share of births
	// beyond the 120-minute standard; Unserved the share no public
	// hospital reaches.
	Mean     float64 `json:"mean_minutes"`
	P90      float64 `json:"p90_minutes"`
	Beyond   float64 `json:"beyond_standard_share"`
	Unserved float64 `json:"unserved_share"`
	// DeprivedMean is the mean travel of the births of the most-deprived
	// 20% of the region's people (by the census deprivation index).
	DeprivedMean float64 `json:"most_deprived_mean_minutes"`
	// BirthMinutes is Σ caesarean sections × one-way minutes, a year.
	BirthMinutes float64 `json:"caesarean_minutes_a_year"`
	// Sites counts the public hospitals offering caesarean sections.
	Sites int `json:"sites"`
}

// Region is the result of one GST.
type Region struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	Population float64 `json:"population"`
	Communes   int     `json:"communes"`
	Provinces  int     `json:"provinces"`
	// Boundaries is true when the region's communes have real outlines.
	Boundaries bool `json:"boundaries"`
	// Network today: public general hospitals, public hospital beds,
	// public health centres, public doctors per 1,000 (synthetic data).
	PublicHospitals int     `json:"public_hospitals"`
	PublicBeds      float64 `json:"public_beds"`
	HealthCentres   int     `json:"health_centres"`
	DoctorsPer1000  float64 `json:"public_doctors_per_1000"`
	// Caesareans is the yearly caesarean sections of the 2024 population.
	Caesareans float64 `json:"caesareans_a_year"`
	Candidates int     `json:"candidates"`
	Before     Figures `json:"before"`
	After      Figures `json:"after"`
	// Opened names the candidate sites the plan opens; Cost their cost.
	Opened []string `json:"opened"`
	Cost   float64  `json:"cost"`
	// Status and Gap are the solve's (empty when there is no candidate).
	Status string  `json:"status,omitempty"`
	Gap    float64 `json:"gap"`
	// Saved is the births' travel saved a year, in minutes; Rank orders
	// the GSTs by it (1 gains most).
	Saved float64 `json:"minutes_saved_a_year"`
	Rank  int     `json:"rank"`

	region *gst.Region
	travel *gst.Matrix
	before *gst.Assignment
	after  *gst.Assignment
	plan   *allocate.Plan
}

// Result is a national run.
type Result struct {
	Regions    []*Region     `json:"regions"`
	Population float64       `json:"population"`
	Budget     float64       `json:"-"`
	Elapsed    time.Duration `json:"-"`
	// Roads is the extract the travel comes from; empty for estimates.
	Roads string `json:"-"`
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("national", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", filepath.Join("out", "national"), "output folder")
	data := fs.String("data", "", "directory of regions.csv and the region directories (default: examples/data, looked for from the current directory upwards)")
	budget := fs.Float64("budget", 2*proximityHospitalCost, "opening budget of each GST, in dirhams (default: two proximity hospitals)")
	short := fs.Bool("short", false, "short run for CI: 5 s per solve, a smaller map")
	roads := fs.String("roads", "", "OpenStreetMap extract (.osm.pbf or .osm) whose roads give the travel (default: estimated from straight-line distance); each region's roads are cut out of it")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || !(*budget >= 0) || math.IsInf(*budget, 0) {
		fmt.Fprintln(stderr, "national: unexpected arguments or a budget that is not a finite number >= 0")
		return 2
	}
	dir := *data
	if dir == "" {
		dir = filepath.Dir(pilot.FindData("tanger"))
	}
	cfg := Config{Data: dir, Budget: *budget, Limit: 20 * time.Second, Short: *short, Roads: *roads}
	if *short {
		cfg.Limit = 5 * time.Second
	}
	start := time.Now()
	res, err := Run(context.Background(), cfg)
	if err != nil {
		pilot.PrintError(stderr, "national", err)
		return 1
	}
	res.Elapsed = time.Since(start)
	if err := res.Write(*out, cfg); err != nil {
		pilot.PrintError(stderr, "national", err)
		return 1
	}
	fmt.Fprintf(stdout, "Morocco: %s people in %d GSTs; same budget %s MAD each\n", num(res.Population), len(res.Regions), num(res.Budget))
	for _, r := range res.ByGain() {
		fmt.Fprintf(stdout, "%2d. %-28s caesarean travel %5.1f → %5.1f min, most-deprived 20%% %5.1f → %5.1f min, %s minutes saved a year\n",
			r.Rank, r.Name, r.Before.Mean, r.After.Mean, r.Before.DeprivedMean, r.After.DeprivedMean, num(r.Saved))
	}
	fmt.Fprintf(stdout, "Report: %s\n", filepath.Join(*out, "report.md"))
	return 0
}

// listRegions reads regions.csv: the code and directory of each region.
func listRegions(dir string) ([][2]string, error) {
	f, err := os.Open(filepath.Join(dir, "regions.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "regions.csv"), err)
	}
	if len(rows) < 2 || len(rows[0]) < 3 || rows[0][0] != "code" || rows[0][2] != "dir" {
		return nil, fmt.Errorf("%w: %s: want a header code,name,dir,… and a row per region", gst.ErrInvalid, filepath.Join(dir, "regions.csv"))
	}
	var out [][2]string
	for _, r := range rows[1:] {
		out = append(out, [2]string{r[0], r[2]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out, nil
}

// Run plans every region listed in the data directory.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	list, err := listRegions(cfg.Data)
	if err != nil {
		return nil, err
	}
	res := &Result{Budget: cfg.Budget, Roads: cfg.Roads}
	for _, l := range list {
		r, err := gst.Open(filepath.Join(cfg.Data, l[1]), nil)
		if err != nil {
			return nil, err
		}
		if r.ID != l[0] {
			return nil, fmt.Errorf("%w: %s holds region %q, regions.csv says %q", gst.ErrInvalid, l[1], r.ID, l[0])
		}
		g, err := planRegion(ctx, r, cfg)
		if err != nil {
			return nil, fmt.Errorf("region %s (%s): %w", r.ID, r.Name, err)
		}
		res.Regions = append(res.Regions, g)
		res.Population += g.Population
	}
	for i, r := range res.ByGain() {
		r.Rank = i + 1
	}
	return res, nil
}

// ByGain returns the regions, most minutes saved first (ties by code).
func (res *Result) ByGain() []*Region {
	out := append([]*Region(nil), res.Regions...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Saved != out[j].Saved {
			return out[i].Saved > out[j].Saved
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// planRegion measures a region today and with its plan.
func planRegion(ctx context.Context, r *gst.Region, cfg Config) (*Region, error) {
	g := &Region{Code: r.ID, Name: r.Name, Population: r.Population(), Communes: len(r.Areas), Provinces: len(r.Provinces), region: r, Opened: []string{}}
	network(g, r)
	d, err := capacity.Demand(r, pilot.CapacityRates(pilot.Rates(r)), nil)
	if err != nil {
		return nil, err
	}
	var rows []gst.Demand
	for _, row := range d.Table.Rows() {
		if row.Service == service {
			rows = append(rows, row)
			g.Caesareans += row.Volume
		}
	}
	demand, err := gst.NewDemandTable(rows)
	if err != nil {
		return nil, err
	}
	var sites []gst.EstablishmentID
	for _, e := range r.Offering(service) {
		if e.Ownership != gst.Public {
			continue
		}
		sites = append(sites, e.ID)
		if e.Candidate {
			g.Candidates++
		}
	}
	g.travel, err = regionTravel(ctx, r, sites, cfg)
	if err != nil {
		return nil, err
	}
	g.before, err = gst.AssignNearest(ctx, r, g.travel, []gst.ServiceID{service}, pilot.PublicOpen)
	if err != nil {
		return nil, err
	}
	g.after = g.before
	if g.Candidates > 0 && cfg.Budget >= proximityHospitalCost {
		changes := min(g.Candidates, int(cfg.Budget/proximityHospitalCost))
		p := &allocate.Problem{Region: r, Demand: demand, Services: []allocate.ServiceRule{{Service: service, Sites: sites}},
			Objective: allocate.PMedian, MaxChanges: changes, Budget: cfg.Budget,
			TravelSource: gst.TravelSource{Travel: g.travel, NoEstimate: true}}
		plan, err := allocate.Locate(ctx, p, &allocate.Options{SolveOptions: gst.SolveOptions{TimeLimit: cfg.Limit}})
		if err != nil {
			return nil, err
		}
		g.plan, g.after, g.Status, g.Gap = plan, plan.Assignment, plan.Status.String(), plan.Gap
		for _, s := range plan.Sites {
			if s.Change == allocate.Opens {
				e, _ := r.Establishment(s.Site)
				a, _ := r.Area(e.Area)
				g.Opened = append(g.Opened, fmt.Sprintf("%s (%s)", a.Name, provinceName(r, a.Province)))
				g.Cost += s.Cost
			}
		}
	}
	w := make([]float64, len(r.Areas))
	for i, a := range r.Areas {
		w[i] = demand.Volume(a.ID, service)
	}
	deprived, err := gst.MostDeprived(r.Areas, 0.2)
	if err != nil {
		return nil, err
	}
	g.Before = figuresOf(r, g.travel, g.before, w, deprived)
	g.After = figuresOf(r, g.travel, g.after, w, deprived)
	g.Saved = g.Before.BirthMinutes - g.After.BirthMinutes
	return g, nil
}

// regionTravel returns the travel from every commune to the sites: on the
// roads of the extract when the run has one (the region's roads cut out of
// it, every commune and site joining the nearest road on foot), estimated
// otherwise.
func regionTravel(ctx context.Context, r *gst.Region, sites []gst.EstablishmentID, cfg Config) (*gst.Matrix, error) {
	if cfg.Roads == "" {
		return r.TravelBetween(ctx, r.AreaIDs(), idStrings(sites), &gst.Estimator{Circuity: circuity})
	}
	m, _, err := osmroad.Travel(ctx, cfg.Roads, r, nil)
	if err != nil {
		return nil, err
	}
	out, err := gst.NewMatrix(r.AreaIDs(), idStrings(sites))
	if err != nil {
		return nil, err
	}
	for i, a := range r.AreaIDs() {
		for j, e := range idStrings(sites) {
			if l, ok := m.Lookup(a, e); ok {
				if err := out.Set(i, j, l); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// figuresOf measures the travel of the births under an assignment.
func figuresOf(r *gst.Region, m *gst.Matrix, asg *gst.Assignment, w []float64, deprived []float64) Figures {
	svc, _ := r.Service(service)
	t := pilot.AreaMinutes(r, m, asg, service)
	st := pilot.WeightedStats(w, t, svc.StandardMinutes, nil)
	dep := pilot.WeightedStats(w, t, svc.StandardMinutes, func(i int) float64 { return deprived[i] })
	f := Figures{Mean: st.Mean, P90: st.P90, Beyond: st.BeyondShare, DeprivedMean: dep.Mean, BirthMinutes: st.Mean * st.Assessed}
	if st.Weight > 0 {
		f.Unserved = st.Unserved / st.Weight
	}
	sites := map[gst.EstablishmentID]bool{}
	for _, row := range asg.Rows() {
		if row.Service == service {
			sites[row.Establishment] = true
		}
	}
	for _, e := range r.Offering(service) {
		if e.Ownership == gst.Public && !e.Candidate {
			sites[e.ID] = true
		}
	}
	f.Sites = len(sites)
	return f
}

// network counts the region's public network (synthetic data).
func network(g *Region, r *gst.Region) {
	var doctors float64
	for _, e := range r.Establishments {
		if e.Ownership != gst.Public || e.Candidate {
			continue
		}
		switch {
		case e.Level == gst.HealthCentre:
			g.HealthCentres++
		case e.Level >= gst.LocalHospital:
			g.PublicBeds += e.Beds
			if e.OffersService("inpatient") {
				g.PublicHospitals++
			}
		}
		for _, s := range e.Staff {
			if strings.HasPrefix(string(s.Category), "doctor") || s.Category == "obgyn" || s.Category == "anaesthetist" || s.Category == "surgeon" || s.Category == "specialist-other" {
				doctors += s.FTE
			}
		}
	}
	g.DoctorsPer1000 = doctors / g.Population * 1000
	for _, a := range r.Areas {
		if len(a.Boundary) > 0 {
			g.Boundaries = true
			break
		}
	}
}

func provinceName(r *gst.Region, id gst.ProvinceID) string {
	if p, ok := r.Province(id); ok && p.Name != "" {
		return p.Name
	}
	return string(id)
}

func idStrings(ids []gst.EstablishmentID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// num formats a number with thousands separators.
func num(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
