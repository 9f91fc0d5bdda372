# gst build. `make demo` runs the main example, `make test` runs the checks.
# Both install lp_solve from Debian's packages first when it is missing.

SHELL := /bin/bash
GO ?= go

# lp_solve 5.5 from Debian (liblpsolve55-dev: headers and static library;
# lp-solve: shared library in /usr/lib/lp_solve). Dynamic linking is the
# default, friendlier to lp_solve's LGPL; `make LPSOLVE_LINK=static ...`
# links the static library instead.
LPSOLVE_LINK ?= dynamic
export CGO_ENABLED := 1
export CGO_CFLAGS := -I/usr/include/lpsolve
ifeq ($(LPSOLVE_LINK),static)
export CGO_LDFLAGS := -llpsolve55 -lcolamd -lm -ldl
else
export CGO_LDFLAGS := -L/usr/lib/lp_solve -llpsolve55 -lcolamd -lm -ldl -Wl,-rpath,/usr/lib/lp_solve
endif

GOBIN := $(shell $(GO) env GOPATH)/bin
STATICCHECK := $(GOBIN)/staticcheck
STATICCHECK_VERSION := v0.8.2

# Debian packages the build needs, and files that show they are installed
# (zlib and pkg-config: the OpenStreetMap PBF reader inflates with cgo zlib).
PACKAGES := liblpsolve55-dev lp-solve zlib1g-dev pkg-config
NEEDED := /usr/include/lpsolve/lp_lib.h /usr/lib/lp_solve/liblpsolve55.so /usr/lib/liblpsolve55.a /usr/include/zlib.h /usr/bin/pkg-config

.PHONY: all demo examples test test-browser bench bench-peers lint vet deps staticcheck

all: test

## deps: install lp_solve with apt-get when it is missing (as root), or say how.
deps:
	@missing=0; for f in $(NEEDED); do [ -e "$$f" ] || missing=1; done; \
	if [ $$missing = 1 ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing $(PACKAGES) with apt-get"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq $(PACKAGES) >/dev/null 2>&1 || \
	      { apt-get update -qq && apt-get install -y -qq $(PACKAGES); } || exit 1; \
	  else \
	    echo "lp_solve is missing. Install it with:"; \
	    echo "  sudo apt-get install -y $(PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

$(STATICCHECK):
	GOFLAGS= $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

staticcheck: $(STATICCHECK)

## demo: the main job: Fès-Meknès end to end on the bundled data (report in out/fesmeknes).
demo: deps
	$(GO) run ./examples/fesmeknes

## examples: a short run of every example program (CI's smoke test).
examples: deps
	$(GO) run ./examples/quickstart >/dev/null
	$(GO) run ./examples/fesmeknes -short -q -out out/smoke/fesmeknes >/dev/null
	$(GO) run ./examples/tanger -short -q -out out/smoke/tanger >/dev/null
	$(GO) run ./examples/gstplan -q -region examples/data/tanger -service caesarean -changes 2 -out out/smoke/gstplan >/dev/null
	$(GO) run ./examples/gstplan -q -region examples/quickstart/ifrane -roads examples/data/roads/ifrane.osm -service caesarean -changes 1 -out out/smoke/gstplan-roads >/dev/null
	$(GO) run ./examples/roadbench -nodes 20000 -areas 100 -establishments 200 >/dev/null
	$(GO) run ./examples/orlib internal/orlib/testdata/pmed1.txt >/dev/null
	$(GO) run ./examples/national -short -out out/smoke/national >/dev/null
	$(GO) run ./examples/progbench -spec tiny -frontier 0.8 >/dev/null
	$(GO) run ./examples/orlib -p 2,3 examples/orlib/testdata/formats/tiny14.tsp examples/orlib/testdata/formats/tiny20_birch.txt >/dev/null
	$(GO) run ./examples/orlib examples/orlib/testdata/formats/tiny10_003.txt examples/orlib/testdata/formats/spain6_002.txt \
	  examples/orlib/testdata/formats/tiny3x6.holmberg examples/orlib/testdata/formats/tiny3x6.delmaire >/dev/null
	$(GO) run ./examples/orlib -format cap-single examples/orlib/testdata/formats/tiny3x6.cap >/dev/null
	$(GO) build -o out/smoke/planner ./examples/planner && out/smoke/planner -help 2>/dev/null

## lint: gofmt, go vet and staticcheck.
lint: deps $(STATICCHECK)
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

## test: lint, then every test under the race detector (fuzz targets run their seed corpus).
test: lint
	$(GO) test -race -count=1 -timeout 30m ./...

## test-browser: the web planner in Debian's chromium, driven headless by playwright-core from npm (installs chromium when missing, as root; screenshots in out/browser).
test-browser: deps
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium with apt-get"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq chromium >/dev/null 2>&1 || \
	      { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || exit 1; \
	  else \
	    echo "chromium is missing. Install it with:"; echo "  sudo apt-get install -y chromium"; exit 1; \
	  fi; \
	fi
	cd examples/planner/browsertest && npm ci --no-audit --no-fund --loglevel=error
	$(GO) build -o out/browser/planner ./examples/planner
	PLANNER_BIN=$(CURDIR)/out/browser/planner OUT=$(CURDIR)/out/browser CHROMIUM=$$(command -v chromium) node examples/planner/browsertest/test.mjs

ORLIB ?= ../shared/data/orlib
BENCH_PEERS_TIME ?= 60s

## bench-peers: time gst against CBC, GLPK and HiGHS (WebAssembly, npm package highs under Node.js) on OR-Library benchmarks (installs coinor-cbc and glpk-utils when missing, as root, and highs with npm ci).
bench-peers: deps
	$(GO) run ./scripts/bench-peers -data $(ORLIB) -time $(BENCH_PEERS_TIME)

## bench: the benchmarks (long; not part of test).
bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...
