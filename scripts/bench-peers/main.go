// Command bench-peers times the library against three open-source MIP
// solvers on OR-Library location benchmarks, in one run.
//
// For each instance it writes the textbook model through internal/lp (the
// classical assignment formulation: x_ij ≤ y_j linking rows, integer site
// columns, binary assignments for the single-source capacitated p-median)
// as free MPS and as CPLEX LP text, solves the MPS file with CBC (`cbc`,
// Debian package coinor-cbc) and GLPK (`glpsol`, package glpk-utils) and
// the LP file with HiGHS (the WebAssembly build of HiGHS in the npm package
// highs, pinned by scripts/bench-peers/highs/package-lock.json and run by
// the machine's Node.js, one thread) under the same time limit, runs the
// library's own solver through the examples/orlib program
// (allocate.Locate, which picks its engines), and prints one table row per
// instance with each solver's wall seconds, status and objective and the
// ratio of each peer's time to the library's, then the totals over all
// instances and over the instances every peer solved to optimality.
//
// Run it from the repository root (the Makefile's bench-peers target does):
//
//	go run ./scripts/bench-peers [-data ../shared/data/orlib] [-time 60s] [-json] [-keep DIR] [INSTANCE...]
//
// When cbc or glpsol is missing it installs the packages with apt-get if
// it runs as root, and otherwise says how to; when the highs package is
// missing it installs it with `npm ci` from the lock file. Without Node.js
// the HiGHS column says "not run". Instances are named as in
// the data set (pmed1, cap41, pmedcap1_01, SJC1, capa:8000 for capa at
// capacity 8000); the default set is pmed1–pmed10, a sample of cap41–cap134
// and pmedcap1_01–05. The machine's load affects the times: quote them with
// the machine and the command.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gstplan/gst/internal/lp"
	"github.com/gstplan/gst/internal/orlib"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench-peers:", err)
		os.Exit(1)
	}
}

// defaultSet is the representative subset.
var defaultSet = []string{
	"pmed1", "pmed2", "pmed3", "pmed4", "pmed5", "pmed6", "pmed7", "pmed8", "pmed9", "pmed10",
	"cap41", "cap51", "cap61", "cap71", "cap81", "cap91", "cap101", "cap111", "cap121", "cap131", "cap134",
	"pmedcap1_01", "pmedcap1_02", "pmedcap1_03", "pmedcap1_04", "pmedcap1_05",
}

// Run is the outcome of one solver on one instance.
type Run struct {
	Solver    string  `json:"solver"`
	Seconds   float64 `json:"seconds"`
	Status    string  `json:"status"`
	Objective float64 `json:"objective"`
	Bound     float64 `json:"bound"`
	Note      string  `json:"note,omitempty"`
}

// Row is the outcome of every solver on one instance.
type Row struct {
	Instance string  `json:"instance"`
	Rows     int     `json:"rows"`
	Columns  int     `json:"columns"`
	Known    float64 `json:"known"`
	Runs     []Run   `json:"runs"`
}

type config struct {
	data  string
	limit time.Duration
	tmp   string
	orlib string
	json  bool
	keep  bool
	// highs is the path of solve.js, "" when HiGHS cannot run; highsWhy
	// says why.
	highs, highsWhy, highsVersion string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench-peers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", filepath.Join("..", "shared", "data", "orlib"), "OR-Library data directory (with pmed/, cap/, pmedcap/, sjc/)")
	limit := fs.Duration("time", 60*time.Second, "time limit of each solver on each instance")
	asJSON := fs.Bool("json", false, "print one JSON object per instance instead of a table")
	keep := fs.String("keep", "", "directory to keep the MPS files in (default: a temporary directory, removed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *limit <= 0 {
		return errors.New("-time must be positive")
	}
	if _, err := os.Stat(*data); err != nil {
		return fmt.Errorf("data directory: %w (pass -data)", err)
	}
	names := fs.Args()
	if len(names) == 0 {
		names = defaultSet
	}
	if err := ensureTools(stderr); err != nil {
		return err
	}
	highs, highsVersion, highsWhy := ensureHiGHS(ctx, stderr)
	tmp, err := os.MkdirTemp("", "bench-peers-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cfg := config{data: *data, limit: *limit, tmp: tmp, json: *asJSON, highs: highs, highsWhy: highsWhy, highsVersion: highsVersion}
	if *keep != "" {
		if err := os.MkdirAll(*keep, 0o755); err != nil {
			return err
		}
		cfg.tmp, cfg.keep = *keep, true
	}
	cfg.orlib = filepath.Join(tmp, "orlib")
	build := exec.CommandContext(ctx, "go", "build", "-o", cfg.orlib, "./examples/orlib")
	build.Stderr = stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building examples/orlib (run from the repository root): %w", err)
	}
	if !cfg.json {
		fmt.Fprintf(stdout, "time limit %v per solver and instance; seconds are wall time of each process; ratio = peer seconds / gst seconds (\">\" when the peer hit the limit)\n", cfg.limit)
		if cfg.highs != "" {
			fmt.Fprintf(stdout, "HiGHS: the WebAssembly build (npm package highs %s) under Node.js %s, one thread\n\n", cfg.highsVersion, nodeVersion())
		} else {
			fmt.Fprintf(stdout, "HiGHS: not run (%s)\n\n", cfg.highsWhy)
		}
		fmt.Fprintln(stdout, "| instance | rows × cols | known | gst s | gst status | cbc s | cbc status | glpk s | glpk status | highs (wasm) s | highs status | cbc/gst | glpk/gst | highs/gst |")
		fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	}
	var all, solved [4]float64
	enc := json.NewEncoder(stdout)
	for _, name := range names {
		row, err := bench(ctx, name, cfg, stderr)
		if err != nil {
			return err
		}
		every := true
		for i := range row.Runs {
			all[i] += row.Runs[i].Seconds
			every = every && row.Runs[i].Status == "optimal"
		}
		if every {
			for i := range row.Runs {
				solved[i] += row.Runs[i].Seconds
			}
		}
		if cfg.json {
			if err := enc.Encode(row); err != nil {
				return err
			}
			continue
		}
		g, c, k, h := row.Runs[0], row.Runs[1], row.Runs[2], row.Runs[3]
		fmt.Fprintf(stdout, "| %s | %d × %d | %s | %.3f | %s | %.3f | %s | %.3f | %s | %.3f | %s | %s | %s | %s |\n", row.Instance, row.Rows, row.Columns,
			num(row.Known), g.Seconds, statusText(g, row.Known), c.Seconds, statusText(c, row.Known), k.Seconds, statusText(k, row.Known),
			h.Seconds, statusText(h, row.Known), ratio(c, g), ratio(k, g), ratio(h, g))
	}
	if !cfg.json {
		for _, t := range []struct {
			name string
			sum  [4]float64
		}{{"total", all}, {"total where every solver proved the optimum", solved}} {
			d := math.Max(t.sum[0], 1e-3)
			fmt.Fprintf(stdout, "| %s | | | %.1f | | %.1f | | %.1f | | %.1f | | %.1f | %.1f | %.1f |\n", t.name, t.sum[0], t.sum[1], t.sum[2], t.sum[3],
				t.sum[1]/d, t.sum[2]/d, t.sum[3]/d)
		}
	}
	return nil
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// statusText is the status with the objective when it differs from the
// known value.
func statusText(r Run, known float64) string {
	s := r.Status
	if r.Status == "optimal" || r.Status == "time limit" || r.Status == "feasible" {
		if math.Abs(r.Objective-known) > 1e-6*math.Max(1, known) {
			s += " " + num(r.Objective)
			if r.Bound != 0 && r.Status != "optimal" {
				s += fmt.Sprintf(" (bound %s)", num(math.Round(r.Bound*1000)/1000))
			}
		}
	}
	if r.Note != "" {
		s += " — " + r.Note
	}
	return s
}

func ratio(peer, g Run) string {
	if g.Seconds <= 0 {
		return "–"
	}
	r := peer.Seconds / math.Max(g.Seconds, 0.001)
	if peer.Status != "optimal" {
		return fmt.Sprintf(">%.0f", r)
	}
	return fmt.Sprintf("%.1f", r)
}

// ensureTools installs CBC and GLPK when they are missing.
func ensureTools(stderr io.Writer) error {
	var missing []string
	if _, err := exec.LookPath("cbc"); err != nil {
		missing = append(missing, "coinor-cbc")
	}
	if _, err := exec.LookPath("glpsol"); err != nil {
		missing = append(missing, "glpk-utils")
	}
	if len(missing) == 0 {
		return nil
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("cbc or glpsol is missing; install them with: sudo apt-get install -y %s", strings.Join(missing, " "))
	}
	fmt.Fprintf(stderr, "installing %s with apt-get\n", strings.Join(missing, " "))
	install := func() error {
		cmd := exec.Command("apt-get", append([]string{"install", "-y", "-qq"}, missing...)...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = stderr, stderr
		return cmd.Run()
	}
	if err := install(); err != nil {
		upd := exec.Command("apt-get", "update", "-qq")
		upd.Stdout, upd.Stderr = stderr, stderr
		if err := upd.Run(); err != nil {
			return fmt.Errorf("apt-get update: %w", err)
		}
		if err := install(); err != nil {
			return fmt.Errorf("apt-get install %s: %w", strings.Join(missing, " "), err)
		}
	}
	return nil
}

// instance is a benchmark with its file, the argument of examples/orlib
// and its textbook model.
type instance struct {
	name     string
	file     string
	capacity float64
	model    *lp.Model
	known    float64
}

// load reads an instance and builds its textbook model.
func load(name string, cfg config) (*instance, error) {
	in := &instance{name: name}
	base := name
	if i := strings.IndexByte(name, ':'); i > 0 {
		c, err := strconv.ParseFloat(name[i+1:], 64)
		if err != nil || !(c > 0) {
			return nil, fmt.Errorf("%s: bad capacity after ':'", name)
		}
		base, in.capacity = name[:i], c
	}
	k, ok := orlib.LookupKnown(base, in.capacity)
	if !ok {
		return nil, fmt.Errorf("%s: not in the table of known values", name)
	}
	in.known = k.Value
	open := func(dir, ext string) (*os.File, error) {
		in.file = filepath.Join(cfg.data, dir, base+ext)
		return os.Open(in.file)
	}
	switch k.Family {
	case orlib.FamilyPMed:
		f, err := open("pmed", ".txt")
		if err != nil {
			return nil, err
		}
		defer f.Close()
		p, err := orlib.ReadPMedWith(f, &orlib.Options{Name: in.file})
		if err != nil {
			return nil, err
		}
		in.model = pmedModel(name, p.N, p.N, p.P, func(i, j int) float64 { return float64(p.Dist[i][j]) }, nil, nil, nil, false)
	case orlib.FamilyCap:
		f, err := open("cap", ".txt")
		if err != nil {
			return nil, err
		}
		defer f.Close()
		c, err := orlib.ReadCapWith(f, in.capacity, &orlib.Options{Name: in.file})
		if err != nil {
			return nil, err
		}
		in.model = pmedModel(name, c.N, c.M, 0, func(j, i int) float64 { return c.Cost[i][j] }, c.Demand, c.Capacity, c.FixedCost, false)
	case orlib.FamilyPMedCap:
		f, err := open("pmedcap", ".txt")
		if err != nil {
			return nil, err
		}
		defer f.Close()
		c, err := orlib.ReadPMedCapWith(f, &orlib.Options{Name: in.file})
		if err != nil {
			return nil, err
		}
		q := make([]float64, c.N)
		for i := range q {
			q[i] = c.Q
		}
		in.model = pmedModel(name, c.N, c.N, c.P, func(i, j int) float64 { return c.Dist(i, j) }, c.Demand, q, nil, true)
	case orlib.FamilySJC:
		f, err := open("sjc", ".dat")
		if err != nil {
			return nil, err
		}
		defer f.Close()
		c, err := orlib.ReadSJCWith(f, &orlib.Options{Name: in.file})
		if err != nil {
			return nil, err
		}
		in.model = pmedModel(name, c.N, c.N, c.P, func(i, j int) float64 { return c.Dist(i, j) }, c.Demand, c.Capacity, nil, true)
	default:
		return nil, fmt.Errorf("%s: unknown family %q", name, k.Family)
	}
	return in, nil
}

// pmedModel builds the textbook model: clients i, sites j,
//
//	min Σ_j f_j y_j + Σ_ij c_ij x_ij
//	Σ_j x_ij = 1                  every client
//	x_ij ≤ y_j                    every pair
//	Σ_i d_i x_ij ≤ s_j y_j        every site, when capacities are given
//	Σ_j y_j = p                   when p > 0
//	y binary; x binary when single, else in [0, 1].
func pmedModel(name string, n, m, p int, cost func(i, j int) float64, demand, capacity, fixed []float64, single bool) *lp.Model {
	md := lp.NewModel(name)
	y := make([]int, m)
	for j := 0; j < m; j++ {
		f := 0.0
		if fixed != nil {
			f = fixed[j]
		}
		y[j] = md.AddVar(fmt.Sprintf("y%d", j+1), 0, 1, f, lp.Binary)
	}
	xkind := lp.Continuous
	if single {
		xkind = lp.Binary
	}
	capCols := make([][]int, m)
	capCoefs := make([][]float64, m)
	for i := 0; i < n; i++ {
		cols := make([]int, m)
		ones := make([]float64, m)
		for j := 0; j < m; j++ {
			x := md.AddVar(fmt.Sprintf("x%d_%d", i+1, j+1), 0, 1, cost(i, j), xkind)
			cols[j], ones[j] = x, 1
			md.AddRow(fmt.Sprintf("l%d_%d", i+1, j+1), []int{x, y[j]}, []float64{1, -1}, lp.LE, 0)
			if capacity != nil {
				capCols[j] = append(capCols[j], x)
				capCoefs[j] = append(capCoefs[j], demand[i])
			}
		}
		md.AddRow(fmt.Sprintf("a%d", i+1), cols, ones, lp.EQ, 1)
	}
	if capacity != nil {
		for j := 0; j < m; j++ {
			md.AddRow(fmt.Sprintf("c%d", j+1), append(capCols[j], y[j]), append(capCoefs[j], -capacity[j]), lp.LE, 0)
		}
	}
	if p > 0 {
		ones := make([]float64, m)
		for j := range ones {
			ones[j] = 1
		}
		md.AddRow("p", y, ones, lp.EQ, float64(p))
	}
	return md
}

// bench runs the three solvers on one instance.
func bench(ctx context.Context, name string, cfg config, stderr io.Writer) (*Row, error) {
	in, err := load(name, cfg)
	if err != nil {
		return nil, err
	}
	mps := filepath.Join(cfg.tmp, strings.ReplaceAll(name, ":", "_")+".mps")
	f, err := os.Create(mps)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriter(f)
	if err := in.model.WriteMPS(w); err != nil {
		f.Close()
		return nil, err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if !cfg.keep {
		defer os.Remove(mps)
	}
	lpFile := strings.TrimSuffix(mps, ".mps") + ".lp"
	if err := writeFile(lpFile, in.model.WriteLP); err != nil {
		return nil, err
	}
	if !cfg.keep {
		defer os.Remove(lpFile)
	}
	row := &Row{Instance: name, Rows: in.model.NumRows(), Columns: in.model.NumVars(), Known: in.known}
	fmt.Fprintf(stderr, "%s: gst…", name)
	row.Runs = append(row.Runs, runGST(ctx, in, cfg))
	fmt.Fprint(stderr, " cbc…")
	row.Runs = append(row.Runs, runCBC(ctx, mps, cfg))
	fmt.Fprint(stderr, " glpk…")
	row.Runs = append(row.Runs, runGLPK(ctx, mps, cfg))
	fmt.Fprint(stderr, " highs…")
	row.Runs = append(row.Runs, runHiGHS(ctx, lpFile, cfg))
	fmt.Fprintln(stderr, " done")
	return row, nil
}

// command runs a program with a hard stop a little after the time limit.
func command(ctx context.Context, cfg config, name string, args ...string) (string, float64, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.limit+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	return out.String(), time.Since(start).Seconds(), err
}

func runGST(ctx context.Context, in *instance, cfg config) Run {
	args := []string{"-time", cfg.limit.String()}
	if in.capacity > 0 {
		args = append(args, "-capacity", num(in.capacity))
	}
	out, secs, err := command(ctx, cfg, cfg.orlib, append(args, in.file)...)
	r := Run{Solver: "gst", Seconds: secs, Status: "failed"}
	if err != nil {
		r.Note = firstLine(out)
		return r
	}
	var res struct {
		Objective, Bound, Seconds float64
		Status                    string
	}
	if err := json.Unmarshal([]byte(firstLine(out)), &res); err != nil {
		r.Note = "unreadable output"
		return r
	}
	// The program's own clock leaves out process start and file reading;
	// the wall time of the process is used, as for the peers.
	r.Status, r.Objective, r.Bound = res.Status, res.Objective, res.Bound
	return r
}

var (
	cbcResult = regexp.MustCompile(`(?m)^Result - (.*)$`)
	cbcObj    = regexp.MustCompile(`(?m)^Objective value:\s+(\S+)`)
	cbcBound  = regexp.MustCompile(`(?m)^Lower bound:\s+(\S+)`)
)

func runCBC(ctx context.Context, mps string, cfg config) Run {
	out, secs, err := command(ctx, cfg, "cbc", mps, "-sec", strconv.Itoa(int(math.Ceil(cfg.limit.Seconds()))), "-threads", "1", "-solve", "-quit")
	r := Run{Solver: "cbc", Seconds: secs, Status: "failed"}
	m := cbcResult.FindStringSubmatch(out)
	if m == nil {
		r.Note = errNote(err, out)
		return r
	}
	switch {
	case strings.HasPrefix(m[1], "Optimal"):
		r.Status = "optimal"
	case strings.Contains(m[1], "time"):
		r.Status = "time limit"
	case strings.Contains(m[1], "infeasible"):
		r.Status = "infeasible"
	default:
		r.Note = m[1]
	}
	if o := cbcObj.FindStringSubmatch(out); o != nil {
		r.Objective, _ = strconv.ParseFloat(o[1], 64)
	}
	r.Bound = r.Objective
	if b := cbcBound.FindStringSubmatch(out); b != nil {
		r.Bound, _ = strconv.ParseFloat(b[1], 64)
	}
	return r
}

var (
	glpkObj  = regexp.MustCompile(`(?m)^Objective:\s+\S+ = (\S+)`)
	glpkStat = regexp.MustCompile(`(?m)^Status:\s+(.*)$`)
	glpkMIP  = regexp.MustCompile(`(?m)^\+\s*\d+: (?:mip|>>>>>) =?\s*(\S+|not found yet) >=\s+(\S+|tree is empty)`)
)

func runGLPK(ctx context.Context, mps string, cfg config) Run {
	sol := mps + ".glpk"
	defer os.Remove(sol)
	out, secs, err := command(ctx, cfg, "glpsol", "--freemps", mps, "--tmlim", strconv.Itoa(int(math.Ceil(cfg.limit.Seconds()))), "-o", sol)
	r := Run{Solver: "glpk", Seconds: secs, Status: "failed"}
	switch {
	case strings.Contains(out, "INTEGER OPTIMAL SOLUTION FOUND"):
		r.Status = "optimal"
	case strings.Contains(out, "TIME LIMIT EXCEEDED"):
		r.Status = "time limit"
	case strings.Contains(out, "PROBLEM HAS NO INTEGER FEASIBLE SOLUTION"):
		r.Status = "infeasible"
	default:
		r.Note = errNote(err, out)
		return r
	}
	text, _ := os.ReadFile(sol)
	if s := glpkStat.FindSubmatch(text); s != nil && strings.Contains(string(s[1]), "UNDEFINED") {
		r.Note = "no integer solution"
		return r
	}
	if o := glpkObj.FindSubmatch(text); o != nil {
		r.Objective, _ = strconv.ParseFloat(string(o[1]), 64)
	}
	r.Bound = r.Objective
	if ms := glpkMIP.FindAllStringSubmatch(out, -1); len(ms) > 0 {
		if b, err := strconv.ParseFloat(ms[len(ms)-1][2], 64); err == nil {
			r.Bound = b
		}
	}
	return r
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func errNote(err error, out string) string {
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}
