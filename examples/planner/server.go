package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/gstplan/gst"
)

// Defaults of the server's limits.
const (
	// DefaultSolves is the default number of solves running at once.
	DefaultSolves = 4
	// DefaultMaxTimeLimit is the largest time limit a request may ask
	// for by default.
	DefaultMaxTimeLimit = 10 * time.Minute
	// DefaultTimeLimit is a request's time limit when it gives none.
	DefaultTimeLimit = 30 * time.Second
	// maxJSONBody bounds the body of a JSON request.
	maxJSONBody = 256 << 10
	// maxJobs is the number of answers kept; the oldest finished one goes
	// first.
	maxJobs = 64
)

//go:embed web
var webFiles embed.FS

// RegionSource is a region directory the server serves from the start.
type RegionSource struct {
	// Dir is the region directory (see gst.ReadDir).
	Dir string
}

// Config tunes a Server. Zero fields take their defaults.
type Config struct {
	// Regions are read when the server starts; the first is the default.
	Regions []RegionSource
	// Solves is the number of solves that may run at once. Default
	// DefaultSolves.
	Solves int
	// MaxTimeLimit is the largest time limit a request may ask for.
	// Default DefaultMaxTimeLimit.
	MaxTimeLimit time.Duration
	// Log receives one line per request that fails with an internal
	// error; nil: the standard logger.
	Log *log.Logger
}

// Server is the planner: the page, the JSON API, the regions and the
// solves. It is an http.Handler; its methods are safe for concurrent use.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	page    *template.Template
	static  fs.FS
	regions *regionStore
	jobs    *jobStore
	slots   chan struct{}
	ctx     context.Context // cancelled by Close: stops every solve
	stop    context.CancelFunc
	wg      sync.WaitGroup // solves under way
}

// NewServer reads the configured regions and returns the server.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Solves <= 0 {
		cfg.Solves = DefaultSolves
	}
	if cfg.MaxTimeLimit <= 0 {
		cfg.MaxTimeLimit = DefaultMaxTimeLimit
	}
	if cfg.Log == nil {
		cfg.Log = log.Default()
	}
	s := &Server{cfg: cfg, regions: newRegionStore(), jobs: newJobStore(), slots: make(chan struct{}, cfg.Solves)}
	s.ctx, s.stop = context.WithCancel(context.Background())
	for _, src := range cfg.Regions {
		r, err := gst.Open(src.Dir, nil)
		if err != nil {
			return nil, err
		}
		s.regions.add(r, "bundled")
	}
	static, err := fs.Sub(webFiles, "web/static")
	if err != nil {
		return nil, err
	}
	s.static = static
	s.page, err = template.ParseFS(webFiles, "web/index.html")
	if err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Close cancels every solve under way and waits for them to return.
func (s *Server) Close() {
	s.stop()
	s.wg.Wait()
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.handlePage)
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(s.static)))
	m.HandleFunc("GET /api/i18n", s.handleI18n)
	m.HandleFunc("GET /api/regions", s.handleRegions)
	m.HandleFunc("POST /api/regions", s.handleUpload)
	m.HandleFunc("GET /api/regions/{id}", s.handleRegion)
	m.HandleFunc("GET /api/regions/{id}/map", s.handleMap)
	m.HandleFunc("POST /api/scenario", s.handleParseScenario)
	m.HandleFunc("POST /api/solve", s.handleSolve)
	m.HandleFunc("GET /api/jobs/{id}", s.handleJob)
	m.HandleFunc("GET /api/jobs/{id}/events", s.handleEvents)
	m.HandleFunc("POST /api/jobs/{id}/cancel", s.handleCancel)
	m.HandleFunc("GET /api/jobs/{id}/scenario", s.handleScenario)
	m.HandleFunc("GET /api/jobs/{id}/export/{format}", s.handleExport)
	m.HandleFunc("GET /api/compare", s.handleCompare)
	s.mux = m
}

// ServeHTTP serves a request: it refuses a Host that names another
// machine when the server listens on loopback (a web page elsewhere cannot
// reach the planner through DNS rebinding), and turns a panic into a 500
// answer with the stack in the log, so that no request can bring the
// server down.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.Log.Printf("internal error on %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
			writeError(w, http.StatusInternalServerError, "internal", "internal error: please report it", nil)
		}
	}()
	if !localHost(r.Host) {
		writeError(w, http.StatusMisdirectedRequest, "host", "the planner answers requests to localhost only", nil)
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
	s.mux.ServeHTTP(w, r)
}

// localHost reports whether a Host header names this machine: localhost,
// a loopback address, or no host at all.
func localHost(host string) bool {
	if host == "" {
		return true
	}
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	h = strings.Trim(h, "[]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// apiError is the body of every error answer.
type apiError struct {
	// Code is a word a program can test: "invalid", "busy", "not found",
	// "too large", "infeasible", "no solution", "internal", "host".
	Code    string `json:"error"`
	Message string `json:"message"`
	// Problems lists the validation problems, each with its file, line,
	// column and field when known.
	Problems []problem `json:"problems,omitempty"`
}

// problem is one validation problem.
type problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Where   string `json:"where,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":"internal","message":"could not encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, code, msg string, ps []problem) {
	writeJSON(w, status, apiError{Code: code, Message: msg, Problems: ps})
}

// writeErr answers an error of the library: its kind sets the status and
// code, and validation problems are listed one by one.
func writeErr(w http.ResponseWriter, err error) {
	status, code := errorStatus(err)
	writeError(w, status, code, err.Error(), problems(err))
}

func errorStatus(err error) (int, string) {
	switch {
	case errors.Is(err, gst.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, "too large"
	case errors.Is(err, gst.ErrInvalid):
		return http.StatusBadRequest, "invalid"
	case errors.Is(err, gst.ErrInfeasible):
		return http.StatusUnprocessableEntity, "infeasible"
	case errors.Is(err, gst.ErrNoSolution):
		return http.StatusUnprocessableEntity, "no solution"
	}
	return http.StatusInternalServerError, "internal"
}

// problems lists the validation errors and infeasibility causes of err's
// tree.
func problems(err error) []problem {
	var out []problem
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *gst.ValidationError:
			out = append(out, problem{File: e.File, Line: e.Line, Column: e.Column, Where: e.Where, Field: e.Field, Message: errText(e.Err)})
		case *gst.InfeasibleError:
			out = append(out, problem{Where: e.Rule, Message: e.Error()})
		case interface{ Unwrap() []error }:
			for _, x := range e.Unwrap() {
				walk(x)
			}
		default:
			walk(errors.Unwrap(err))
		}
	}
	walk(err)
	const maxProblems = 200
	if len(out) > maxProblems {
		out = append(out[:maxProblems], problem{Message: fmt.Sprintf("and %d more problems", len(out)-maxProblems)})
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
