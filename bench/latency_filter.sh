#!/usr/bin/env bash
# latency_filter.sh — latency of the tutorial's filtering app (01-basic-filtering)
# over Kafka, order handed to the producer -> its first output row consumed,
# against the broker's own floor measured in the same run
# (docs/performance.md, "Latency"). Run by hand, never by CI:
#
#   bench/latency_filter.sh                                   # 1k and 10k orders/s, 20 s per path
#   SOURCE_PROPS=fetch.wait.max.ms=500 bench/latency_filter.sh  # override the worker's source settings
#   SINK_PROPS=linger.ms=20 SECONDS_PER_PATH=10 RATES=10000 bench/latency_filter.sh
#   CHECKPOINT_INTERVAL=0s PATHS=floor,worker bench/latency_filter.sh
#
# Starts one `ananas broker` and one `ananas run` of the filtering app (with
# SOURCE_PROPS / SINK_PROPS added to its source and sink as properties.*), then
# build/latency_filter (bench/latency_filter.cpp), which for every rate runs
# three paths one after the other with one producer and one clock:
#   direct  producer -> broker -> consumer
#   floor   producer -> broker -> echo relay -> broker -> consumer, the relay
#           with the worker's fetch.wait.max.ms and linger.ms
#   worker  producer -> broker -> ananas run -> broker -> consumer
# The measuring consumer uses the worker's fetch.wait.max.ms too. Printed:
# "LATENCY" lines (p50/p99/p99.9/max in ms), the commit, the load average, and
# per rate the worker's p99 minus the floor's p99 (target: <= 10 ms). Each
# order's latency is in $WORK/latency-<path>-<rate>.txt.
#
# Needs a built `ananas` and `latency_filter` (ANANAS=, LATENCY=; default
# build-bench/, as bench/e2e_filter.sh). Only 127.0.0.1 is used; every process
# started here is stopped by its PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ANANAS=${ANANAS:-$ROOT/build-bench/ananas}
LATENCY=${LATENCY:-$ROOT/build-bench/bench/latency_filter}
APP=${APP:-$ROOT/pipelines/examples/01-basic-filtering.yaml}
RATES=${RATES:-1000,10000}
SECONDS_PER_PATH=${SECONDS_PER_PATH:-20}
WARMUP=${WARMUP:-3}
PARTITIONS=${PARTITIONS:-4}
SOURCE_PROPS=${SOURCE_PROPS:-}   # k=v,k=v added to the source table as properties.k
SINK_PROPS=${SINK_PROPS:-}       # likewise for the sink table
CHECKPOINT_INTERVAL=${CHECKPOINT_INTERVAL:-}  # e.g. 0s: the app's settings: checkpoint_interval (default: the worker's)
PATHS=${PATHS:-direct,floor,worker}
WORK=${WORK:-/tmp/ananas-latency}

BENCH_NAME=latency_filter
source "$HERE/lib.sh"

[[ -x $ANANAS ]] || fail "no ananas binary at $ANANAS (set ANANAS=)"
[[ -x $LATENCY ]] || fail "no latency_filter binary at $LATENCY (cmake --build <dir> --target latency_filter; or set LATENCY=)"
[[ -f $APP ]] || fail "no pipeline YAML $APP"
mkdir -p "$WORK"

# prop_value "k=v,k2=v2" KEY: the value of KEY in the list, or nothing.
prop_value() { tr ',' '\n' <<< "$1" | sed -n "s/^$2=//p" | tail -1; }
# The worker's own defaults, read from the source tree (keep in step with
# connectors/kafka/): the sink's linger.ms is the literal in its defaults
# table; the source's fetch.wait.max.ms on the development broker, which is
# what runs here, is kDevelopmentBrokerFetchWaitMs (librdkafka's 500 if none).
source_literal() {  # source_literal FILE SED_EXPRESSION FALLBACK
  local v
  v=$(sed -n "$2" "$ROOT/connectors/kafka/$1" | head -1)
  echo "${v:-$3}"
}
# WORKER_FETCH_WAIT_MS / WORKER_LINGER_MS say them outright when ANANAS is a
# binary built from another commit.
FETCH_WAIT=$(prop_value "$SOURCE_PROPS" fetch.wait.max.ms)
FETCH_WAIT=${FETCH_WAIT:-${WORKER_FETCH_WAIT_MS:-}}
FETCH_WAIT=${FETCH_WAIT:-$(source_literal kafka_source.cpp 's/.*kDevelopmentBrokerFetchWaitMs = \([0-9]*\);.*/\1/p' 500)}
LINGER=$(prop_value "$SINK_PROPS" linger.ms)
LINGER=${LINGER:-${WORKER_LINGER_MS:-}}
LINGER=${LINGER:-$(source_literal kafka_sink.cpp 's/.*{"linger.ms", "\([0-9]*\)"}.*/\1/p' 5)}

# --- the app: renamed, with the extra properties -----------------------------------
app=$WORK/app.yaml
indent_props() { tr ',' '\n' <<< "$1" | sed -n 's/^\([^=]*\)=\(.*\)$/      properties.\1: "\2"/p'; }
SRC=$(indent_props "$SOURCE_PROPS") SNK=$(indent_props "$SINK_PROPS") NAME="latency-$$" awk '
  /^pipeline: / { print "pipeline: " ENVIRON["NAME"]; next }
  { print }
  /^      topic: pizzas$/ && ENVIRON["SRC"] != "" { print ENVIRON["SRC"] }
  /^      topic: pizza_stream_out_filter$/ && ENVIRON["SNK"] != "" { print ENVIRON["SNK"] }
' "$APP" > "$app"
if [[ -n $CHECKPOINT_INTERVAL ]]; then
  grep -q '^settings:' "$app" && fail "$APP already has settings: cannot set checkpoint_interval"
  printf 'settings:\n  checkpoint_interval: %s\n' "$CHECKPOINT_INTERVAL" >> "$app"
fi
[[ -z $SOURCE_PROPS ]] || grep -q "properties.$(cut -d= -f1 <<< "${SOURCE_PROPS%%,*}")" "$app" ||
  fail "could not add SOURCE_PROPS to $APP (no '      topic: pizzas' line)"
[[ -z $SINK_PROPS ]] || grep -q "properties.$(cut -d= -f1 <<< "${SINK_PROPS%%,*}")" "$app" ||
  fail "could not add SINK_PROPS to $APP (no '      topic: pizza_stream_out_filter' line)"

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD 2> /dev/null || COMMIT="$COMMIT+dirty"
log "commit $COMMIT; host $(nproc) cpu, load $(cut -d' ' -f1-3 /proc/loadavg)"
log "worker source fetch.wait.max.ms=$FETCH_WAIT${SOURCE_PROPS:+ (SOURCE_PROPS=$SOURCE_PROPS)}, sink linger.ms=$LINGER${SINK_PROPS:+ (SINK_PROPS=$SINK_PROPS)}${CHECKPOINT_INTERVAL:+, checkpoint_interval $CHECKPOINT_INTERVAL}"

# --- broker and worker ------------------------------------------------------------
TOPICS="pizzas,pizza_stream_out_filter,latency_floor_in,latency_floor_out"
start_broker
start_worker "$app" "$WORK/worker.log"

# --- measure ----------------------------------------------------------------------
"$LATENCY" --bootstrap "$BS" --rates "$RATES" --paths "$PATHS" --seconds "$SECONDS_PER_PATH" --warmup "$WARMUP" \
  --fetch-wait-ms "$FETCH_WAIT" --linger-ms "$LINGER" --dump "$WORK/latency-" | tee "$WORK/latency.out"
kill -0 "$WORKER" 2> /dev/null || fail "ananas run exited during the run: $(tail -5 "$WORK/worker.log")"

for rate in ${RATES//,/ }; do
  awk -v rate="$rate" '
    $1 == "LATENCY" {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      if (f["rate"] == rate) p99[f["path"]] = f["p99_ms"]
    }
    END { if ("worker" in p99 && "floor" in p99)
            printf "# rate %s/s: worker p99 - floor p99 = %.2f ms (target <= 10)\n", rate, p99["worker"] - p99["floor"] }
  ' "$WORK/latency.out"
done
log "done, commit $COMMIT, load $(cut -d' ' -f1-3 /proc/loadavg)"
