#!/usr/bin/env bash
# run.sh SET BIN DATA: solve every instance of one benchmark set, one
# instance (or one (instance, p) pair) per process, under nice, appending
# the runner's JSON lines to SET.jsonl beside this script and its stderr
# to SET.log.
#
#   SET   pmedcap1 | sjc | holmberg | birch | cpmp | cpmp-large | cpmp-005 |
#         tsplib | pmed (cpmp-large: pr2392 and p3038 only, the candidate-list
#         method; cpmp-005: lin318_005 and ali535_005; pmed: OR-Library
#         pmed1–40)
#   BIN   the orlib runner, built with `go build -o BIN ./examples/orlib`
#   DATA  the folder holding orlib/ and benchmarks/ (see the README)
#
# Time limits: pmedcap1, sjc, holmberg, cpmp-005, pmed 60 s; birch 600 s; cpmp $CPMP_TIME
# (default 90s); tsplib $TSP_TIME per (instance, p) (default 60s).
set -euo pipefail
set_=$1 bin=$2 data=$3
here=$(cd "$(dirname "$0")" && pwd)
out=$here/$set_.jsonl log=$here/$set_.log
one() { nice -n 10 "$bin" "$@" >>"$out" 2>>"$log" || echo "failed: $*" >>"$log"; }
case $set_ in
pmedcap1) for f in "$data"/orlib/pmedcap/pmedcap1_*.txt; do one -time 60s "$f"; done ;;
sjc) for f in "$data"/orlib/sjc/SJC*.dat; do one -time 60s "$f"; done ;;
holmberg) for i in $(seq 1 71); do one -time 60s -format holmberg "$data/benchmarks/sscflp/holmberg/p$i"; done ;;
birch) for f in "$data"/benchmarks/pmedian-birch/ds1x*.txt; do one -time 600s -format birch "$f"; done ;;
cpmp) for g in lin318 ali535 pr2392 p3038; do
	for f in "$data"/benchmarks/cpmp/"$g"_*; do one -time "${CPMP_TIME:-90s}" -format cpmp "$f"; done
	done ;;
cpmp-large) for g in pr2392 p3038; do
	for f in "$data"/benchmarks/cpmp/"$g"_*; do one -time "${CPMP_TIME:-90s}" -format cpmp "$f"; done
	done ;;
cpmp-005) for g in lin318_005 ali535_005; do one -time 60s -format cpmp "$data/benchmarks/cpmp/$g.txt"; done ;;
pmed) for f in "$data"/orlib/pmed/pmed[0-9]*.txt; do one -time 60s "$f"; done ;;
tsplib) tail -n +2 "$data/benchmarks/pmedian-tsplib/optima.csv" | while IFS=, read -r inst p _; do
	one -time "${TSP_TIME:-60s}" -format tsplib -p "$p" "$data/benchmarks/pmedian-tsplib/$inst.tsp"
	done ;;
*) echo "unknown set $set_" >&2; exit 2 ;;
esac
