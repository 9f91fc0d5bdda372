#!/usr/bin/env bash
# table.sh FILE.jsonl: the runner's JSON lines as a Markdown table
# (instance, p, value, bound, gap, status, seconds, peak memory, known
# value), then a line of totals: answers, proven optimal, at or below the
# known value.
set -euo pipefail
echo "| instance | p | value | bound | gap % | status | s | peak MiB | known |"
echo "|---|---:|---:|---:|---:|---|---:|---:|---:|"
jq -r '"| \(.instance) | \(.p // "") | \(.objective*100|round/100) | \(.bound*100|round/100) | \(.gap*1e6|round/1e4) | \(.status) | \(.seconds*10|round/10) | \(.peak_rss_mb|round) | \(.known // "") |"' "$1"
jq -s -r '"\(length) answers, \(map(select(.status=="optimal"))|length) proven optimal, \(map(select(.known != null and .objective <= .known*(1+1e-6)))|length) at or below the known value; \(map(.seconds)|add*10|round/10) s in all."' "$1"
