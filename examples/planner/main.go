// Command planner is a local web planner for the analysts of a GST: it
// serves a page and a JSON API that answer a region's planning questions
// with the gst library (where to offer a service, how to pool staff, the
// phased programme of sites, modules, staff and years), show the answer on
// a map of the region, compare scenarios and export reports, in French and
// English.
//
//	go run ./examples/planner [-addr 127.0.0.1:8080] [-region DIR] [-solves N]
//
// By default it serves the bundled Fès-Meknès region (and Tanger-Tétouan-Al
// Hoceima) on 127.0.0.1:8080 and prints the address it listens on. Analysts
// may upload another region directory as a zip. Solves run in the
// background, at most -solves at once; beyond that the API answers 503
// with a "busy" error and a Retry-After header. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gstplan/gst/examples/internal/pilot"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("planner", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on, HOST:PORT (port 0: any free port)")
	region := fs.String("region", "", "region directory served first (default: the bundled Fès-Meknès pilot, examples/data/fesmeknes)")
	solves := fs.Int("solves", DefaultSolves, "most solves running at once; more get a busy answer")
	maxTime := fs.Duration("max-time-limit", DefaultMaxTimeLimit, "largest time limit a request may ask for")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./examples/planner [flags]\n\nServes a web planner for a region's analysts: questions, progress, maps, comparisons and reports.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "planner: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return 2
	}
	if *solves < 1 || *maxTime <= 0 {
		fmt.Fprintln(stderr, "planner: -solves must be at least 1 and -max-time-limit positive")
		return 2
	}
	cfg := Config{Solves: *solves, MaxTimeLimit: *maxTime, Log: log.New(stderr, "planner: ", log.LstdFlags)}
	if *region != "" {
		cfg.Regions = []RegionSource{{Dir: *region}}
	} else {
		for _, name := range []string{"fesmeknes", "tanger"} {
			cfg.Regions = append(cfg.Regions, RegionSource{Dir: pilot.FindData(name)})
		}
	}
	srv, err := NewServer(cfg)
	if err != nil {
		pilot.PrintError(stderr, "planner", err)
		return 1
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "planner: %v\n", err)
		return 1
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
	fmt.Fprintf(stdout, "planner: serving http://%s/\n", ln.Addr())
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		fmt.Fprintln(stderr, "planner: warning: listening beyond this machine; the planner has no authentication")
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "planner: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Close() // cancels the solves under way
	if err := hs.Shutdown(shut); err != nil {
		fmt.Fprintf(stderr, "planner: shutdown: %v\n", err)
	}
	return 0
}
