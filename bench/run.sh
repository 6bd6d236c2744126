#!/usr/bin/env bash
# run.sh — every benchmark in one run, written as one Markdown report with the
# commit, the machine and the load average next to each table (the figures
# docs/performance.md quotes). Run by hand, never by CI:
#
#   bench/run.sh                          # engine (all apps + memory), e2e 01 and 03, latency 1k/10k,
#                                         # window-result latency
#   QUICK=1 bench/run.sh                  # smaller: N=100000, 3 rounds, no memory part, latency at 10k only
#   OUT=/tmp/report.md bench/run.sh
#   GROUP=1 bench/run.sh                  # also scaling out: 01 and 03 with 1, 2, 3 workers in a group
#                                         # (bench/group_scaling.sh, ~10 more minutes; 5 with QUICK=1)
#
# Needs the binaries of docs/performance.md's "Building" (build-bench/ananas,
# engine_throughput, latency_filter, sink_produce; or ANANAS=, ENGINE=, LATENCY=,
# SINK_PRODUCE=) and kcat.
# Each benchmark's own output is kept next to the report ($WORK/run-*.log).
# Each benchmark's ratios are against references measured in the same run.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${WORK:-/tmp/ananas-bench}
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
OUT=${OUT:-$WORK/report-$COMMIT.md}
QUICK=${QUICK:-0}
GROUP=${GROUP:-0}
mkdir -p "$WORK"

if ((QUICK)); then
  ENGINE_ARGS=(--runs 3 --skip-memory)
  ENGINE_N=100000 E2E_N=100000 E2E_03_N=100000 E2E_RUNS=3 LATENCY_RATES=10000 WINDOW_SECONDS=30
  GROUP_N=100000 GROUP_RUNS=1 SINK_N=100000
else
  ENGINE_ARGS=()
  ENGINE_N=200000 E2E_N=500000 E2E_03_N=300000 E2E_RUNS=3 LATENCY_RATES=1000,10000 WINDOW_SECONDS=60
  GROUP_N=300000 GROUP_RUNS=3 SINK_N=300000
fi
SINK_PRODUCE=${SINK_PRODUCE:-$ROOT/build-bench/sink_produce}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# figures LOG: the FIGURE lines of a benchmark's output as a Markdown table.
figures() {
  echo "| figure | median | unit | details |"
  echo "| --- | ---: | --- | --- |"
  awk '$1 == "FIGURE" {
         details = ""; for (i = 5; i <= NF; i++) details = details (i > 5 ? " " : "") $i
         gsub(/\|/, "\\|", details)
         printf "| %s | %s | %s | %s |\n", $2, $3, $4, details
       }' "$1"
}

# latencies LOG: the LATENCY lines of bench/latency_filter.sh as a table.
latencies() {
  echo "| path | rate/s | p50 ms | p99 ms | p99.9 ms | max ms |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  awk '$1 == "LATENCY" {
         for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
         printf "| %s | %s | %s | %s | %s | %s |\n", f["path"], f["rate"], f["p50_ms"], f["p99_ms"], f["p999_ms"], f["max_ms"]
       }' "$1"
}

# section TITLE LOG COMMAND...: runs one benchmark, keeps its output in LOG.
section() {
  local title=$1 logfile=$2
  shift 2
  local before
  before=$(load)
  echo "# $title (load $before)" >&2
  if ! "$@" > "$logfile" 2>&1; then
    echo "run.sh: '$title' failed, see $logfile:" >&2
    tail -5 "$logfile" >&2
    exit 1
  fi
  printf '\n## %s\n\nLoad average before: %s; after: %s. Command: `%s`.\n\n' "$title" "$before" "$(load)" "$*"
}

{
  printf '# Ananas benchmarks, commit %s\n\n' "$COMMIT"
  printf '%s, %s CPUs (%s), %s.\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(uname -r)"

  section "Engine throughput (every tutorial app vs simdjson parse-only)" "$WORK/run-engine.log" \
    env N="$ENGINE_N" bash "$HERE/engine_throughput.sh" "${ENGINE_ARGS[@]}"
  figures "$WORK/run-engine.log"

  section "End to end over Kafka, 01-basic-filtering (vs kcat on the same backlog)" "$WORK/run-e2e.log" \
    env N="$E2E_N" RUNS="$E2E_RUNS" bash "$HERE/e2e_filter.sh"
  figures "$WORK/run-e2e.log"

  # 03 outside a group: group_scaling.sh's solo worker against kcat on the
  # same backlog (the backlog ends with sentinels that close every window).
  section "End to end over Kafka, 03-windowing, one worker outside a group (vs kcat consume, and consume + produce of its output, same backlog)" "$WORK/run-e2e-03.log" \
    env APP=03 N="$E2E_03_N" RUNS="$E2E_RUNS" WORKERS=solo bash "$HERE/group_scaling.sh"
  figures "$WORK/run-e2e-03.log"

  section "Handing records to librdkafka: the Kafka sink's write per record vs write_batch (rd_kafka_produce_batch)" \
    "$WORK/run-sink-produce.log" "$SINK_PRODUCE" --records "$SINK_N" --rounds 5
  figures "$WORK/run-sink-produce.log"

  if ((GROUP)); then
    # 03's exchange puts each topping's rows (~77 bytes each with Kafka's
    # record overhead, ~1.07 per order) into one partition: at most ~60,000
    # orders fit the mock's 5 MiB per partition (see group_scaling.sh).
    section "Scaling out, 01-basic-filtering: 1, 2, 3 workers in one group" "$WORK/run-group-01.log" \
      env APP=01 N="$GROUP_N" RUNS="$GROUP_RUNS" WORKERS="solo 1 2 3" bash "$HERE/group_scaling.sh"
    figures "$WORK/run-group-01.log"
    section "Scaling out, 03-windowing across the keyed exchange: 1, 2, 3 workers in one group" "$WORK/run-group-03.log" \
      env APP=03 N=50000 RUNS="$GROUP_RUNS" WORKERS="solo 1 2 3" bash "$HERE/group_scaling.sh"
    figures "$WORK/run-group-03.log"
    echo
    grep '^# round .*exchange topic' "$WORK/run-group-03.log" | sed 's/^# /* /' || true
  fi

  section "Latency of 01-basic-filtering (vs the broker and the floor, same run)" "$WORK/run-latency.log" \
    env RATES="$LATENCY_RATES" bash "$HERE/latency_filter.sh"
  latencies "$WORK/run-latency.log"
  echo
  grep '^# rate' "$WORK/run-latency.log" | sed 's/^# /* /' || true

  section "Latency of a window result after its watermark (03-windowing, 1 s windows, vs the floor, same run)" \
    "$WORK/run-window-latency.log" env RATE=1000 SECONDS_PER_PATH="$WINDOW_SECONDS" bash "$HERE/window_latency.sh"
  latencies "$WORK/run-window-latency.log"
  echo
  grep '^# window result' "$WORK/run-window-latency.log" | sed 's/^# /* /' || true
} > "$OUT"
echo "report: $OUT" >&2
