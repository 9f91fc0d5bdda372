package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// highsDir holds the pinned npm package and solve.js, relative to the
// repository root.
var highsDir = filepath.Join("scripts", "bench-peers", "highs")

// ensureHiGHS returns the path of solve.js and the version of the highs
// package, installing the package from the lock file with npm ci when it
// is missing; or, when HiGHS cannot run, "" and the reason.
func ensureHiGHS(ctx context.Context, stderr io.Writer) (script, version, why string) {
	if _, err := exec.LookPath("node"); err != nil {
		return "", "", "node is not installed"
	}
	script, err := filepath.Abs(filepath.Join(highsDir, "solve.js"))
	if err != nil {
		return "", "", err.Error()
	}
	pkg := filepath.Join(highsDir, "node_modules", "highs", "package.json")
	if _, err := os.Stat(pkg); err != nil {
		if _, err := exec.LookPath("npm"); err != nil {
			return "", "", "the highs package is missing and npm is not installed"
		}
		fmt.Fprintln(stderr, "installing the npm package highs with npm ci")
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--prefix", highsDir)
		cmd.Stdout, cmd.Stderr = stderr, stderr
		if err := cmd.Run(); err != nil {
			return "", "", "npm ci failed: " + err.Error()
		}
	}
	b, err := os.ReadFile(pkg)
	if err != nil {
		return "", "", err.Error()
	}
	var v struct{ Version string }
	if err := json.Unmarshal(b, &v); err != nil {
		return "", "", "unreadable " + pkg
	}
	return script, v.Version, ""
}

// nodeVersion returns `node --version`.
func nodeVersion() string {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}

// runHiGHS solves an LP file with solve.js.
func runHiGHS(ctx context.Context, lpFile string, cfg config) Run {
	r := Run{Solver: "highs", Status: "failed"}
	if cfg.highs == "" {
		r.Status, r.Note = "not run", cfg.highsWhy
		return r
	}
	out, secs, err := command(ctx, cfg, "node", cfg.highs, lpFile, strconv.Itoa(int(math.Ceil(cfg.limit.Seconds()))))
	r.Seconds = secs
	var res struct {
		Status    string
		Objective float64
	}
	if err != nil || json.Unmarshal([]byte(firstLine(out)), &res) != nil {
		r.Note = errNote(err, out)
		return r
	}
	switch res.Status {
	case "Optimal":
		r.Status = "optimal"
	case "Time limit reached":
		r.Status = "time limit"
	case "Infeasible":
		r.Status = "infeasible"
	default:
		r.Note = res.Status
	}
	r.Objective = res.Objective
	if r.Status == "optimal" {
		r.Bound = r.Objective
	}
	return r
}

// writeFile writes a file through a buffered writer.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := write(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
