package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/examples/internal/geo"
	"github.com/gstplan/gst/examples/internal/pilot"
)

// Upload limits.
const (
	// maxUploadBytes bounds the size of an uploaded zip.
	maxUploadBytes = 32 << 20
	// maxUploadFiles bounds the number of entries in an uploaded zip.
	maxUploadFiles = 64
	// maxUploadFileBytes bounds the uncompressed size of one file of an
	// uploaded zip.
	maxUploadFileBytes = 64 << 20
	// maxUploaded is the number of uploaded regions kept; the oldest goes
	// first.
	maxUploaded = 8
)

// loadedRegion is a region the planner serves, with what it computes once.
type loadedRegion struct {
	ID     string
	Source string // "bundled" or "upload"
	Region *gst.Region

	mu      sync.Mutex
	travel  map[float64]*gst.Matrix // by circuity
	geom    *mapGeometry
	network *gst.Assignment // today's nearest public site, every service
}

// regionStore holds the regions by ID.
type regionStore struct {
	mu     sync.Mutex
	byID   map[string]*loadedRegion
	order  []string // IDs in the order added
	nextUp int
}

func newRegionStore() *regionStore { return &regionStore{byID: map[string]*loadedRegion{}} }

// add stores a region under its own ID (bundled) or a fresh one (upload).
func (s *regionStore) add(r *gst.Region, source string) *loadedRegion {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := string(r.ID)
	if source == "upload" || id == "" || s.byID[id] != nil {
		s.nextUp++
		id = fmt.Sprintf("upload-%d", s.nextUp)
		var ups []string
		for _, x := range s.order {
			if s.byID[x].Source == "upload" {
				ups = append(ups, x)
			}
		}
		if len(ups) >= maxUploaded {
			s.remove(ups[0])
		}
	}
	lr := &loadedRegion{ID: id, Source: source, Region: r, travel: map[float64]*gst.Matrix{}}
	s.byID[id] = lr
	s.order = append(s.order, id)
	return lr
}

func (s *regionStore) remove(id string) {
	delete(s.byID, id)
	for i, x := range s.order {
		if x == id {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
}

func (s *regionStore) get(id string) (*loadedRegion, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lr, ok := s.byID[id]
	return lr, ok
}

func (s *regionStore) list() []*loadedRegion {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*loadedRegion, len(s.order))
	for i, id := range s.order {
		out[i] = s.byID[id]
	}
	return out
}

// Travel returns the travel matrix from every area to every establishment
// at a circuity, computed once.
func (lr *loadedRegion) Travel(ctx context.Context, circuity float64) (*gst.Matrix, error) {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	if m := lr.travel[circuity]; m != nil {
		return m, nil
	}
	m, err := pilot.TravelMatrix(ctx, lr.Region, &gst.Estimator{Circuity: circuity})
	if err != nil {
		return nil, err
	}
	if len(lr.travel) < 8 {
		lr.travel[circuity] = m
	}
	return m, nil
}

// Network returns today's catchments: the nearest public establishment
// open today, for every service, at the planners' circuity
// (pilot.DefaultCircuity, as the pilots assess staff need).
func (lr *loadedRegion) Network(ctx context.Context) (*gst.Assignment, error) {
	m, err := lr.Travel(ctx, pilot.DefaultCircuity)
	if err != nil {
		return nil, err
	}
	lr.mu.Lock()
	defer lr.mu.Unlock()
	if lr.network != nil {
		return lr.network, nil
	}
	var svcs []gst.ServiceID
	for _, s := range lr.Region.Services {
		svcs = append(svcs, s.ID)
	}
	a, err := gst.AssignNearest(ctx, lr.Region, m, svcs, pilot.PublicOpen)
	if err != nil {
		return nil, err
	}
	lr.network = a
	return a, nil
}

// regionInfo describes a region for the page.
type regionInfo struct {
	ID             string        `json:"id"`
	Name           string        `json:"name"`
	Source         string        `json:"source"`
	Year           int           `json:"year,omitempty"`
	Areas          int           `json:"areas"`
	Establishments int           `json:"establishments"`
	Population     float64       `json:"population"`
	Boundaries     bool          `json:"boundaries"`
	Services       []serviceInfo `json:"services,omitempty"`
	Sites          []siteInfo    `json:"sites,omitempty"`
	Attribution    []string      `json:"attribution,omitempty"`
}

type serviceInfo struct {
	ID              gst.ServiceID `json:"id"`
	Name            string        `json:"name"`
	StandardMinutes float64       `json:"standard_minutes,omitempty"`
	Sites           int           `json:"sites"`
}

type siteInfo struct {
	ID        gst.EstablishmentID `json:"id"`
	Name      string              `json:"name"`
	Candidate bool                `json:"candidate,omitempty"`
}

func (lr *loadedRegion) info(full bool) regionInfo {
	r := lr.Region
	ri := regionInfo{ID: lr.ID, Name: r.Name, Source: lr.Source, Areas: len(r.Areas), Establishments: len(r.Establishments), Population: r.Population()}
	if ri.Name == "" {
		ri.Name = lr.ID
	}
	if len(r.Areas) > 0 {
		ri.Year = r.Areas[0].Year
	}
	for _, a := range r.Areas {
		if len(a.Boundary) > 0 {
			ri.Boundaries = true
			break
		}
	}
	if !full {
		return ri
	}
	for _, s := range r.Services {
		n := len(r.Offering(s.ID))
		if n == 0 {
			continue
		}
		ri.Services = append(ri.Services, serviceInfo{ID: s.ID, Name: s.Name, StandardMinutes: s.StandardMinutes, Sites: n})
	}
	for _, e := range r.Establishments {
		ri.Sites = append(ri.Sites, siteInfo{ID: e.ID, Name: e.Name, Candidate: e.Candidate})
	}
	ri.Attribution = r.Attribution
	return ri
}

func (s *Server) handleRegions(w http.ResponseWriter, r *http.Request) {
	var out []regionInfo
	for _, lr := range s.regions.list() {
		out = append(out, lr.info(false))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleRegion(w http.ResponseWriter, r *http.Request) {
	lr, ok := s.regions.get(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "not found", "no such region", nil)
		return
	}
	writeJSON(w, http.StatusOK, lr.info(true))
}

// handleUpload reads a region directory sent as a zip (the body itself,
// or the file of a multipart form) in memory: nothing reaches the file
// system. The region is stored only when it reads without a problem.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
	var body io.Reader = r.Body
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		f, _, err := r.FormFile("region")
		if err != nil {
			writeUploadErr(w, err)
			return
		}
		defer f.Close()
		body = f
	}
	b, err := io.ReadAll(body)
	if err != nil {
		writeUploadErr(w, err)
		return
	}
	reg, err := readRegionZip(b)
	if err != nil {
		writeErr(w, err)
		return
	}
	lr := s.regions.add(reg, "upload")
	writeJSON(w, http.StatusCreated, lr.info(false))
}

func writeUploadErr(w http.ResponseWriter, err error) {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		writeError(w, http.StatusRequestEntityTooLarge, "too large", fmt.Sprintf("the upload is larger than %d MiB", maxUploadBytes>>20), nil)
		return
	}
	writeError(w, http.StatusBadRequest, "invalid", "could not read the upload: "+err.Error()+` (send the zip as the body, or as the field "region" of a form)`, nil)
}

// readRegionZip reads a region from the bytes of a zip that holds a region
// directory, at its root or in one folder.
func readRegionZip(b []byte) (*gst.Region, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("upload: %w: not a zip file (%v)", gst.ErrInvalid, err)
	}
	if len(zr.File) > maxUploadFiles {
		return nil, fmt.Errorf("upload: %w: %d entries, at most %d", gst.ErrTooLarge, len(zr.File), maxUploadFiles)
	}
	dir := ""
	found := false
	for _, f := range zr.File {
		if f.UncompressedSize64 > maxUploadFileBytes {
			return nil, fmt.Errorf("upload: %s: %w: %d bytes uncompressed, at most %d MiB", f.Name, gst.ErrTooLarge, f.UncompressedSize64, maxUploadFileBytes>>20)
		}
		if !fs.ValidPath(f.Name) {
			return nil, fmt.Errorf("upload: %w: entry name %q is not a plain relative path", gst.ErrInvalid, f.Name)
		}
		if path.Base(f.Name) == "areas.csv" {
			d := path.Dir(f.Name)
			if found && d != dir {
				return nil, fmt.Errorf("upload: %w: two region directories (%s and %s); send one", gst.ErrInvalid, dir, d)
			}
			dir, found = d, true
		}
	}
	if !found {
		return nil, fmt.Errorf("upload: %w: no areas.csv in the zip: zip a region directory (region.csv, areas.csv, establishments.csv, …)", gst.ErrInvalid)
	}
	return gst.ReadDir(zr, dir, &gst.ReadOptions{MaxFileBytes: maxUploadFileBytes})
}

// mapGeometry is the region's map in kilometres of an equirectangular
// projection (y grows northwards): each area's outline (its boundary where
// the region has one, else its Voronoi cell) and the establishments.
type mapGeometry struct {
	Box   [4]float64 `json:"box"` // min x, min y, max x, max y
	Areas []mapArea  `json:"areas"`
	Sites []mapSite  `json:"sites"`
	// Drawn says how the areas are drawn: "boundaries", "voronoi" or
	// "mixed".
	Drawn string `json:"drawn"`
}

type mapArea struct {
	ID         gst.AreaID     `json:"id"`
	Name       string         `json:"name"`
	Province   gst.ProvinceID `json:"province"`
	Population float64        `json:"population"`
	X          float64        `json:"x"`
	Y          float64        `json:"y"`
	// Rings are closed polygons, flat lists x0, y0, x1, y1, …
	Rings [][]float64 `json:"rings"`
}

type mapSite struct {
	ID        gst.EstablishmentID `json:"id"`
	Name      string              `json:"name"`
	Level     gst.Level           `json:"level"`
	Public    bool                `json:"public"`
	Candidate bool                `json:"candidate,omitempty"`
	X         float64             `json:"x"`
	Y         float64             `json:"y"`
}

// Geometry returns the region's map, computed once.
func (lr *loadedRegion) Geometry() *mapGeometry {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	if lr.geom == nil {
		lr.geom = buildGeometry(lr.Region)
	}
	return lr.geom
}

func buildGeometry(r *gst.Region) *mapGeometry {
	lats, lons := make([]float64, len(r.Areas)), make([]float64, len(r.Areas))
	for i, a := range r.Areas {
		lats[i], lons[i] = a.Lat, a.Lon
	}
	proj := geo.NewProjection(lats, lons)
	pts := make([]geo.XY, len(r.Areas))
	for i, a := range r.Areas {
		pts[i] = proj.Project(a.Lat, a.Lon)
	}
	// Voronoi cells for the areas without a boundary, bounded as on the
	// report's maps: at most the distance to the third-nearest centroid
	// (between 4 and 30 km), inside the hull of the centroids.
	radius := geo.NearestNeighbourKm(pts, 3)
	for i := range radius {
		radius[i] = math.Min(30, math.Max(4, 1.1*radius[i]))
	}
	cells := geo.Voronoi(pts, geo.BufferedHull(pts, 6), radius)
	g := &mapGeometry{}
	nb := 0
	var all []geo.XY
	for i, a := range r.Areas {
		ma := mapArea{ID: a.ID, Name: a.Name, Province: a.Province, Population: a.Population, X: round2(pts[i].X), Y: round2(pts[i].Y)}
		if len(a.Boundary) > 0 {
			nb++
			for _, poly := range a.Boundary {
				for _, ring := range poly {
					var flat []float64
					for _, p := range ring {
						q := proj.Project(p[1], p[0])
						flat = append(flat, round2(q.X), round2(q.Y))
						all = append(all, q)
					}
					ma.Rings = append(ma.Rings, flat)
				}
			}
		} else if len(cells[i].Vertices) > 0 {
			var flat []float64
			for _, q := range cells[i].Vertices {
				flat = append(flat, round2(q.X), round2(q.Y))
				all = append(all, q)
			}
			ma.Rings = [][]float64{flat}
		}
		g.Areas = append(g.Areas, ma)
	}
	for _, e := range r.Establishments {
		q := proj.Project(e.Lat, e.Lon)
		all = append(all, q)
		g.Sites = append(g.Sites, mapSite{ID: e.ID, Name: e.Name, Level: e.Level, Public: e.Ownership == gst.Public, Candidate: e.Candidate, X: round2(q.X), Y: round2(q.Y)})
	}
	sort.Slice(g.Sites, func(i, j int) bool { return g.Sites[i].ID < g.Sites[j].ID })
	b := geo.BoundsOf(all)
	g.Box = [4]float64{round2(b.Min.X), round2(b.Min.Y), round2(b.Max.X), round2(b.Max.Y)}
	switch {
	case nb == len(r.Areas):
		g.Drawn = "boundaries"
	case nb == 0:
		g.Drawn = "voronoi"
	default:
		g.Drawn = "mixed"
	}
	return g
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func (s *Server) handleMap(w http.ResponseWriter, r *http.Request) {
	lr, ok := s.regions.get(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "not found", "no such region", nil)
		return
	}
	writeJSON(w, http.StatusOK, lr.Geometry())
}
