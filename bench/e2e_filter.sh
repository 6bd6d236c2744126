#!/usr/bin/env bash
# e2e_filter.sh — end-to-end throughput of the tutorial's filtering app
# (01-basic-filtering) over Kafka, as a ratio to kcat on the same data in the
# same run (docs/performance.md, target T1). Run by hand, never by CI:
#
#   bench/e2e_filter.sh                      # N=500000 orders, RUNS=3 interleaved rounds
#   N=1000000 RUNS=5 bench/e2e_filter.sh     # the full size
#
# One `ananas broker` (the librdkafka mock) holds a backlog of N keyless orders
# (`ananas generate --output`, ~830 bytes each) spread over enough partitions that the
# mock's 5 MiB-per-partition retention keeps all of it. Each round then runs,
# one after the other:
#   reference  kcat -C of the whole backlog (-X fetch.max.bytes=4194304, the
#              worker's default);
#   subject    `ananas run` of the filtering app from its start until the
#              output topic's end offsets (kcat -Q) have grown by the expected
#              row count, then SIGTERM; twice: with durable checkpoints at the
#              default interval, and with them off (interval 0: only the final
#              one), each run under a pipeline name of its own so that it
#              starts afresh instead of resuming an earlier run's checkpoint;
#   reference  kcat -P of the filter's output rows (the first round's output,
#              read back once with kcat -C; SINK_REF=0 skips it).
# Printed: "FIGURE" lines with medians (msgs/s, orders/s of worker CPU) and
# the ratios t_reference / t_worker; the load average before every round.
#
# Needs: a built `ananas` (ANANAS=path, default build-bench/ananas), which also
# generates the orders, and kcat; nothing outside the repository and Debian.
# Only 127.0.0.1 is used; every process started here is stopped by its PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ANANAS=${ANANAS:-$ROOT/build-bench/ananas}
APP=${APP:-$ROOT/pipelines/examples/01-basic-filtering.yaml}  # pipeline YAML (renamed per run)
OUT_TOPIC=${OUT_TOPIC:-pizza_stream_out_filter}
N=${N:-500000}
RUNS=${RUNS:-3}
SEED=${SEED:-4321}
WORK=${WORK:-/tmp/ananas-bench}
SINK_REF=${SINK_REF:-1}
WORKER_TIMEOUT=${WORKER_TIMEOUT:-300}   # seconds one worker run may take before the round fails
FETCH=fetch.max.bytes=4194304

BENCH_NAME=e2e_filter
source "$HERE/lib.sh"

[[ -x $ANANAS ]] || fail "no ananas binary at $ANANAS (build it: cmake --build <dir> --target ananas; or set ANANAS=)"
command -v kcat > /dev/null || fail "kcat is not installed"
[[ -f $APP && $APP == *.yaml ]] || fail "no pipeline YAML $APP"
mkdir -p "$WORK"

# --- data ------------------------------------------------------------------------
ROWS=$WORK/filter-rows-$N-$SEED.jsonl  # the filter's output values, from round 1
filter_backlog
rm -f "$ROWS"
log "N=$N orders, $EXPECTED expected output rows, $PARTITIONS partitions per topic, RUNS=$RUNS, SINK_REF=$SINK_REF"
log "host: $(nproc) cpu, load $(cut -d' ' -f1-3 /proc/loadavg); ananas: $ANANAS"

# --- broker and backlog ----------------------------------------------------------------
TOPICS="pizzas,$OUT_TOPIC,bench_sink_ref"
start_broker
load_backlog pizzas

# run_worker ROUND MODE: one `ananas run` of a fresh copy of $APP until all
# $EXPECTED rows are out; sets t_worker, cpu, broker_cpu (the broker's CPU
# seconds meanwhile: it shares the machine) and first. MODE "default" keeps
# the checkpoint interval, "off" sets it to 0 (only the final checkpoint).
run_worker() {
  local r=$1 mode=$2 app=$WORK/app-$1-$2.yaml
  sed "s/^pipeline: .*/pipeline: bench-$$-$r-$mode/" "$APP" > "$app"
  if [[ $mode == off ]]; then
    grep -q '^settings:' "$app" && fail "$APP already has settings: cannot set checkpoint_interval"
    printf 'settings:\n  checkpoint_interval: 0s\n' >> "$app"
  fi
  local before want got log=$WORK/worker-$r-$mode.log
  before=$(end_offsets_sum "$OUT_TOPIC")
  want=$((before + EXPECTED))
  local broker_before
  broker_before=$(cpu_seconds "$BROKER")
  t0=$(now_ns)
  "$ANANAS" run --bootstrap-servers "$BS" --http-host 127.0.0.1 --http-port 0 "$app" > "$log" 2>&1 &
  WORKER=$!
  STARTED+=("$WORKER")
  got=$before; first=
  while ((got < want)); do
    kill -0 "$WORKER" 2> /dev/null || fail "round $r ($mode): ananas run exited early; see $log"
    (($(now_ns) - t0 > WORKER_TIMEOUT * 1000000000)) && fail "round $r ($mode): $((got - before)) of $EXPECTED rows after ${WORKER_TIMEOUT} s"
    sleep 0.05
    got=$(end_offsets_sum "$OUT_TOPIC")
    [[ -z $first && $got -gt $before ]] && first=$(seconds_between "$t0" "$(now_ns)")
  done
  t_worker=$(seconds_between "$t0" "$(now_ns)")
  cpu=$(cpu_seconds "$WORKER")
  broker_cpu=$(awk -v a="$broker_before" -v b="$(cpu_seconds "$BROKER")" 'BEGIN{printf "%.2f", b - a}')
  stop_pid "$WORKER"
  got=$(end_offsets_sum "$OUT_TOPIC")
  ((got == want)) || fail "round $r ($mode): the output topic grew by $((got - before)) rows, expected $EXPECTED"
}

# --- interleaved rounds -------------------------------------------------------------------
consume_rates=(); sink_rates=(); worker_rates=(); worker_cpu_rates=(); first_output_s=(); worker_cores=(); broker_cores=()
ratio_consume=(); ratio_t1=(); off_rates=(); ratio_ckpt=()
for ((r = 1; r <= RUNS; r++)); do
  log "round $r: load $(cut -d' ' -f1-3 /proc/loadavg); busiest: $(ps -eo pcpu=,comm= --sort=-pcpu | head -3 | awk '{printf "%s(%s%%) ", $2, $1}')"

  t0=$(now_ns)
  kcat -C -b "$BS" -t pizzas -o beginning -e -q -X "$FETCH" > /dev/null
  t_consume=$(seconds_between "$t0" "$(now_ns)")
  consume_rates+=("$(rate "$N" "$t_consume")")

  run_worker "$r" off
  t_off=$t_worker
  off_rates+=("$(rate "$N" "$t_off")")
  run_worker "$r" default
  ratio_ckpt+=("$(awk -v a="$t_off" -v b="$t_worker" 'BEGIN{printf "%.3f", a / b}')")

  t_sink=0
  if [[ $SINK_REF == 1 ]]; then
    if [[ ! -s $ROWS ]]; then  # the worker's own output rows (no newline inside a JSON row)
      kcat -C -b "$BS" -t "$OUT_TOPIC" -o beginning -e -q -c "$EXPECTED" -f '%s\n' > "$ROWS"
      [[ $(wc -l < "$ROWS") == "$EXPECTED" ]] || fail "read $(wc -l < "$ROWS") output rows back, expected $EXPECTED"
    fi
    t0=$(now_ns)
    kcat -P -b "$BS" -t bench_sink_ref -l "$ROWS"
    t_sink=$(seconds_between "$t0" "$(now_ns)")
    sink_rates+=("$(rate "$(wc -l < "$ROWS")" "$t_sink")")
  fi

  worker_rates+=("$(rate "$N" "$t_worker")")
  worker_cpu_rates+=("$(rate "$N" "$cpu")")
  worker_cores+=("$(awk -v c="$cpu" -v t="$t_worker" 'BEGIN{printf "%.3f", c / t}')")
  broker_cores+=("$(awk -v c="$broker_cpu" -v t="$t_worker" 'BEGIN{printf "%.3f", c / t}')")
  first_output_s+=("${first:-$t_worker}")
  ratio_consume+=("$(awk -v a="$t_consume" -v b="$t_worker" 'BEGIN{printf "%.3f", a / b}')")
  ratio_t1+=("$(awk -v a="$t_consume" -v s="$t_sink" -v b="$t_worker" 'BEGIN{printf "%.3f", (a + s) / b}')")
  log "round $r: kcat consume ${t_consume}s, kcat sink ${t_sink}s, ananas run ${t_worker}s (first output after ${first:-?}s, ${cpu}s CPU)"
done

figure e2e_kcat_consume_msgs_per_s msgs/s "(reference: kcat -C -e -X $FETCH, $PARTITIONS partitions)" "${consume_rates[@]}"
[[ $SINK_REF == 1 ]] && figure e2e_kcat_produce_filter_rows_msgs_per_s msgs/s "(reference: kcat -P of $EXPECTED-row-sized output)" "${sink_rates[@]}"
figure e2e_filter_orders_per_s orders/s "(ananas run start -> all $EXPECTED rows in $OUT_TOPIC)" "${worker_rates[@]}"
figure e2e_filter_orders_per_s_checkpoints_off orders/s "(the same with checkpoint_interval 0: only the final checkpoint)" "${off_rates[@]}"
figure ratio_checkpoints_on_to_off x "(t_off / t_default; target >= 0.9)" "${ratio_ckpt[@]}"
figure e2e_filter_orders_per_cpu_s orders/s "(per second of the worker's utime+stime)" "${worker_cpu_rates[@]}"
figure e2e_filter_worker_cores cores "(the worker's CPU seconds per second of its run: how many of the $(nproc) cores it kept busy)" "${worker_cores[@]}"
figure e2e_filter_broker_cores cores "(the broker's CPU seconds per second of the worker's run, on the same cores)" "${broker_cores[@]}"
figure e2e_filter_first_output_s s "(ananas run start -> first output row)" "${first_output_s[@]}"
figure ratio_e2e_filter_to_kcat_consume x "(t_consume / t_worker; expected >= 0.35)" "${ratio_consume[@]}"
[[ $SINK_REF == 1 ]] && figure ratio_e2e_filter_T1 x "((t_consume + t_sink) / t_worker; target T1 >= 0.8)" "${ratio_t1[@]}"
log "done, load $(cut -d' ' -f1-3 /proc/loadavg)"
