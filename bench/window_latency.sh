#!/usr/bin/env bash
# window_latency.sh — how long a window result of the windowing app
# (03-windowing) takes after the watermark passed the window's end, against
# the floor of two Kafka hops measured in the same run (docs/performance.md,
# issue "Performance", item 5). Run by hand (or by bench/run.sh), never by CI:
#
#   bench/window_latency.sh                         # 1000 orders/s, 60 s, 1 s windows
#   RATE=10000 WINDOW_SECONDS=5 bench/window_latency.sh
#
# Starts `ananas broker` (PARTITIONS partitions per topic) and one `ananas run`
# of 03-windowing with its tumbling window set to WINDOW_SECONDS (the app's 5 s
# gives 12 windows a minute; 1 s windows give five times the samples, with the
# same code path), then:
#   floor   bench/latency_filter --paths floor: orders through an echo relay
#           with the worker's consumer and producer settings (two hops, no work)
#   window  bench/window_latency: orders stamped with the wall clock,
#           round-robin over the partitions; per window, its first row
#           consumed minus the moment every partition had been handed an
#           order that moves the watermark past the window's end
# Prints both LATENCY lines and "# window p50 - floor p50" / p99.
# Needs build-bench/{ananas,bench/latency_filter,bench/window_latency} (or
# ANANAS=, LATENCY=, WINDOW_LATENCY=). Only 127.0.0.1; every process started
# here is stopped by its PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ANANAS=${ANANAS:-$ROOT/build-bench/ananas}
LATENCY=${LATENCY:-$ROOT/build-bench/bench/latency_filter}
WINDOW_LATENCY=${WINDOW_LATENCY:-$ROOT/build-bench/bench/window_latency}
YAML=$ROOT/pipelines/examples/03-windowing.yaml
RATE=${RATE:-1000}
SECONDS_PER_PATH=${SECONDS_PER_PATH:-60}
WARMUP=${WARMUP:-8}
WINDOW_SECONDS=${WINDOW_SECONDS:-1}
PARTITIONS=${PARTITIONS:-4}
WORK=${WORK:-/tmp/ananas-window-latency}

BENCH_NAME=window_latency
source "$HERE/lib.sh"

for b in "$ANANAS" "$LATENCY" "$WINDOW_LATENCY"; do
  [[ -x $b ]] || fail "no binary at $b (see docs/performance.md, Building; or set ANANAS=, LATENCY=, WINDOW_LATENCY=)"
done
mkdir -p "$WORK"

# The app as shipped but for its pipeline name and window size; its watermark
# delay is read from it (orderTimestamp - INTERVAL 'n' SECOND).
DELAY_S=$(sed -n "s/.*expression: orderTimestamp - INTERVAL '\([0-9]*\)' SECOND.*/\1/p" "$YAML")
[[ -n $DELAY_S ]] || fail "no 'orderTimestamp - INTERVAL 'n' SECOND' watermark in $YAML"
app=$WORK/app.yaml
sed -e "s/^pipeline: .*/pipeline: window-latency-$$/" -e "s/^      size: 5s\$/      size: ${WINDOW_SECONDS}s/" "$YAML" > "$app"
grep -q "^      size: ${WINDOW_SECONDS}s\$" "$app" || fail "could not set the window size in $YAML (no '      size: 5s' line)"
FETCH_WAIT=$(sed -n 's/.*kDevelopmentBrokerFetchWaitMs = \([0-9]*\);.*/\1/p' "$ROOT/connectors/kafka/kafka_source.cpp" | head -1)
LINGER=$(sed -n 's/.*{"linger.ms", "\([0-9]*\)"}.*/\1/p' "$ROOT/connectors/kafka/kafka_sink.cpp" | head -1)
FETCH_WAIT=${FETCH_WAIT:-5} LINGER=${LINGER:-5}

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
log "commit $COMMIT; host $(nproc) cpu, load $(cut -d' ' -f1-3 /proc/loadavg)"
log "03-windowing with ${WINDOW_SECONDS} s windows, watermark delay ${DELAY_S} s; $RATE orders/s, $PARTITIONS partitions; worker fetch.wait.max.ms=$FETCH_WAIT, sink linger.ms=$LINGER"

TOPICS="pizzas,pizza_stream_out_agg_windows,latency_floor_in,latency_floor_out"
start_broker
start_worker "$app" "$WORK/worker.log"

"$LATENCY" --bootstrap "$BS" --rates "$RATE" --paths floor --seconds 20 --warmup 3 \
  --fetch-wait-ms "$FETCH_WAIT" --linger-ms "$LINGER" | tee "$WORK/latency.out"
"$WINDOW_LATENCY" --bootstrap "$BS" --partitions "$PARTITIONS" --rate "$RATE" --seconds "$SECONDS_PER_PATH" \
  --warmup "$WARMUP" --window-ms $((WINDOW_SECONDS * 1000)) --delay-ms $((DELAY_S * 1000)) \
  --fetch-wait-ms "$FETCH_WAIT" | tee -a "$WORK/latency.out"
kill -0 "$WORKER" 2> /dev/null || fail "ananas run exited during the run: $(tail -5 "$WORK/worker.log")"

awk '
  $1 == "LATENCY" { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                    p50[f["path"]] = f["p50_ms"]; p99[f["path"]] = f["p99_ms"] }
  END { if ("window" in p99 && "floor" in p99)
          printf "# window result after its watermark: p50 %.2f ms, p99 %.2f ms over the floor of two hops\n",
                 p50["window"] - p50["floor"], p99["window"] - p99["floor"] }
' "$WORK/latency.out"
log "done, commit $COMMIT, load $(cut -d' ' -f1-3 /proc/loadavg)"
