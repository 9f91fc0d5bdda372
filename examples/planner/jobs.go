package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/examples/internal/scenario"
)

// solveRequest is the body of POST /api/solve: a region and a scenario
// (the scenario format gstplan reads, with its question and the rules of
// the pool and programme questions).
type solveRequest struct {
	Region   string            `json:"region"`
	Scenario scenario.Scenario `json:"scenario"`
}

// progressEvent is one report of a solve under way.
type progressEvent struct {
	Value          *float64 `json:"value"`
	Bound          *float64 `json:"bound"`
	Gap            *float64 `json:"gap"`
	ElapsedSeconds float64  `json:"elapsed_seconds"`
}

// finite returns a pointer to v, nil when v is NaN or infinite (JSON has
// no such numbers).
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// maxEvents bounds the progress kept for a job; later reports replace the
// last one.
const maxEvents = 500

// job is one solve: its request, progress and answer.
type job struct {
	ID       string
	Region   *loadedRegion
	Scenario *scenario.Scenario
	Plan     *scenario.Plan
	Created  time.Time
	cancel   context.CancelFunc
	done     chan struct{}

	mu      sync.Mutex
	events  []progressEvent
	changed chan struct{} // closed and replaced at every change
	answer  *answer
	err     *apiError
	status  int // HTTP status of a failure
}

// jobView is what GET /api/jobs/{id} returns.
type jobView struct {
	ID       string             `json:"id"`
	Region   string             `json:"region"`
	State    string             `json:"state"` // running, done or failed
	Scenario *scenario.Scenario `json:"scenario"`
	Progress []progressEvent    `json:"progress"`
	Answer   *answer            `json:"answer,omitempty"`
	Error    *apiError          `json:"failure,omitempty"`
}

func (j *job) view() jobView {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := jobView{ID: j.ID, Region: j.Region.ID, State: "running", Scenario: j.Scenario, Progress: append([]progressEvent{}, j.events...), Answer: j.answer, Error: j.err}
	switch {
	case j.answer != nil:
		v.State = "done"
	case j.err != nil:
		v.State = "failed"
	}
	return v
}

// report records a progress report; called by the solve's hook, one call
// at a time.
func (j *job) report(p gst.Progress) {
	ev := progressEvent{Value: finite(p.Value), Bound: finite(p.Bound), Gap: finite(p.Gap), ElapsedSeconds: p.Elapsed.Seconds()}
	j.mu.Lock()
	if len(j.events) < maxEvents {
		j.events = append(j.events, ev)
	} else {
		j.events[len(j.events)-1] = ev
	}
	j.notifyLocked()
	j.mu.Unlock()
}

func (j *job) notifyLocked() {
	close(j.changed)
	j.changed = make(chan struct{})
}

// finish records the answer or the failure.
func (j *job) finish(a *answer, status int, e *apiError) {
	j.mu.Lock()
	j.answer, j.status, j.err = a, status, e
	j.notifyLocked()
	j.mu.Unlock()
	close(j.done)
}

// jobStore keeps the last maxJobs jobs.
type jobStore struct {
	mu    sync.Mutex
	byID  map[string]*job
	order []string
	next  int
}

func newJobStore() *jobStore { return &jobStore{byID: map[string]*job{}} }

func (s *jobStore) add(j *job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	j.ID = "j" + strconv.Itoa(s.next)
	s.byID[j.ID] = j
	s.order = append(s.order, j.ID)
	for len(s.order) > maxJobs {
		// Drop the oldest finished job; running ones stay.
		dropped := false
		for i, id := range s.order {
			select {
			case <-s.byID[id].done:
				delete(s.byID, id)
				s.order = append(s.order[:i], s.order[i+1:]...)
				dropped = true
			default:
			}
			if dropped {
				break
			}
		}
		if !dropped {
			break
		}
	}
}

func (s *jobStore) get(id string) (*job, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.byID[id]
	return j, ok
}

// decodeBody decodes one JSON object with no unknown field and nothing
// after it.
func decodeBody(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("request body: %w: %v", gst.ErrInvalid, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("request body: %w: extra data after the JSON object", gst.ErrInvalid)
	}
	return nil
}

// parseSolve decodes and checks a solve request against the server's
// limits; the region is checked by the caller.
func (s *Server) parseSolve(b []byte) (*solveRequest, *scenario.Plan, error) {
	var req solveRequest
	if err := decodeBody(b, &req); err != nil {
		return nil, nil, err
	}
	pl, err := req.Scenario.Check("scenario")
	if err != nil {
		return nil, nil, err
	}
	if req.Scenario.TimeLimit == "" {
		pl.TimeLimit = DefaultTimeLimit
		if pl.Question == scenario.QuestionProgramme {
			pl.TimeLimit = min(DefaultProgrammeTimeLimit, s.cfg.MaxTimeLimit)
		}
	}
	if pl.TimeLimit > s.cfg.MaxTimeLimit {
		return nil, nil, &gst.ValidationError{Where: "scenario", Field: "time_limit", Err: fmt.Errorf("%w: %s is above the server's limit of %s", gst.ErrInvalid, pl.TimeLimit, s.cfg.MaxTimeLimit)}
	}
	return &req, pl, nil
}

// handleSolve starts a solve in the background and answers 202 with the
// job's address, or 503 "busy" when every slot is taken.
func (s *Server) handleSolve(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		writeErr(w, fmt.Errorf("request: %w: larger than %d KiB or unreadable", gst.ErrTooLarge, maxJSONBody>>10))
		return
	}
	req, pl, err := s.parseSolve(b)
	if err != nil {
		writeErr(w, err)
		return
	}
	lr, ok := s.regions.get(req.Region)
	if !ok {
		writeError(w, http.StatusNotFound, "not found", fmt.Sprintf("no region %q (GET /api/regions lists them)", req.Region), nil)
		return
	}
	select {
	case s.slots <- struct{}{}:
	default:
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, "busy", fmt.Sprintf("the planner is running %d solves, its limit; try again in a few seconds", cap(s.slots)), nil)
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	sc := req.Scenario
	j := &job{Region: lr, Scenario: &sc, Plan: pl, Created: time.Now(), cancel: cancel, done: make(chan struct{}), changed: make(chan struct{})}
	s.jobs.add(j)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() { <-s.slots }()
		defer cancel()
		s.runJob(ctx, j)
	}()
	w.Header().Set("Location", "/api/jobs/"+j.ID)
	writeJSON(w, http.StatusAccepted, map[string]string{"id": j.ID, "events": "/api/jobs/" + j.ID + "/events"})
}

// runJob solves the job's question and records the answer; a panic in the
// solve becomes an internal error of the job, never a crash.
func (s *Server) runJob(ctx context.Context, j *job) {
	defer func() {
		if v := recover(); v != nil {
			s.cfg.Log.Printf("internal error in job %s: %v", j.ID, v)
			j.finish(nil, http.StatusInternalServerError, &apiError{Code: "internal", Message: "internal error: please report it"})
		}
	}()
	a, err := solveJob(ctx, j)
	if err != nil {
		status, code := errorStatus(err)
		if status == http.StatusInternalServerError {
			s.cfg.Log.Printf("job %s: %v", j.ID, err)
		}
		j.finish(nil, status, &apiError{Code: code, Message: err.Error(), Problems: problems(err)})
		return
	}
	j.finish(a, http.StatusOK, nil)
}

func (s *Server) jobOr404(w http.ResponseWriter, r *http.Request) (*job, bool) {
	j, ok := s.jobs.get(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "not found", "no such job (the planner keeps the last 64)", nil)
	}
	return j, ok
}

func (s *Server) handleJob(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobOr404(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, j.view())
}

// handleCancel cancels a job's context: the solve stops and keeps the best
// plan found. It answers at once; the job's state says when it stopped.
func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobOr404(w, r)
	if !ok {
		return
	}
	j.cancel()
	writeJSON(w, http.StatusAccepted, map[string]string{"id": j.ID})
}

// handleEvents streams a job's progress as server-sent events: a
// "progress" event per report, then one "done" event with the job's state.
// It returns when the job ends or the client goes away.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobOr404(w, r)
	if !ok {
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "internal", "streaming unsupported", nil)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	sent := 0
	for {
		j.mu.Lock()
		evs := append([]progressEvent(nil), j.events[min(sent, len(j.events)):]...)
		changed := j.changed
		finished := j.answer != nil || j.err != nil
		j.mu.Unlock()
		for _, ev := range evs {
			b, _ := json.Marshal(ev)
			fmt.Fprintf(w, "event: progress\ndata: %s\n\n", b)
		}
		sent += len(evs)
		if finished {
			b, _ := json.Marshal(map[string]string{"id": j.ID, "state": j.view().State})
			fmt.Fprintf(w, "event: done\ndata: %s\n\n", b)
			fl.Flush()
			return
		}
		fl.Flush()
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			return
		}
	}
}
