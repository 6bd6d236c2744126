#!/usr/bin/env bash
# group_filter.sh — what scaling out costs: the tutorial's filtering app run by
# 1, 2 and 3 workers of one group (worker config group.id; the stateless
# filter is split by partition between them), over the same backlog, in the
# same rounds (docs/performance.md, issue "Scale-out"). Run by hand, never by CI:
#
#   bench/group_filter.sh                          # N=300000, RUNS=3, WORKERS="1 2 3"
#   N=1000000 WORKERS="1 3" bench/group_filter.sh
#
# One `ananas broker` holds N keyless orders over enough partitions. Each round
# runs, per worker count k, k `ananas run` processes of a fresh copy of the
# app (a pipeline name of its own, so its source's consumer group starts with
# no offsets) in a fresh group, from their start until the output topic has
# grown by the expected rows, then SIGTERMs them. Printed: "FIGURE" lines with
# medians of orders per second of the workers' summed CPU time (utime +
# stime), its ratio to one worker's (target: >= 0.85 for two and three
# workers), and the wall-clock rate (which includes the group's join: seconds
# on the development broker, whose group coordinator answers a join only when
# its rebalance delay expires).
#
# Needs a built `ananas` (ANANAS=path, default build-bench/ananas) and kcat.
# Only 127.0.0.1 is used; every process started here is stopped by its PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ANANAS=${ANANAS:-$ROOT/build-bench/ananas}
APP=${APP:-$ROOT/pipelines/examples/01-basic-filtering.yaml}
OUT_TOPIC=pizza_stream_out_filter
N=${N:-300000}
RUNS=${RUNS:-3}
SEED=${SEED:-4321}
WORKERS=${WORKERS:-1 2 3}
WORK=${WORK:-/tmp/ananas-bench-group}
WORKER_TIMEOUT=${WORKER_TIMEOUT:-300}

BENCH_NAME=group_filter
source "$HERE/lib.sh"

[[ -x $ANANAS ]] || fail "no ananas binary at $ANANAS (build it: cmake --build <dir> --target ananas; or set ANANAS=)"
command -v kcat > /dev/null || fail "kcat is not installed"
mkdir -p "$WORK"

filter_backlog
log "N=$N orders, $EXPECTED expected output rows, $PARTITIONS partitions, RUNS=$RUNS, WORKERS=$WORKERS"
log "host: $(nproc) cpu, load $(cut -d' ' -f1-3 /proc/loadavg); ananas: $ANANAS; commit $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo '?')"
TOPICS="pizzas,$OUT_TOPIC"
start_broker
load_backlog pizzas

# run_group ROUND K: K workers of a fresh group until all $EXPECTED rows are
# out; sets t_group and cpu (summed over the workers).
run_group() {
  local r=$1 k=$2 app=$WORK/app-$1-$2.yaml pids=() i before want got t0 pid
  sed "s/^pipeline: .*/pipeline: bench-group-$$-$r-$k/" "$APP" > "$app"
  before=$(end_offsets_sum "$OUT_TOPIC")
  want=$((before + EXPECTED))
  t0=$(now_ns)
  for ((i = 1; i <= k; i++)); do
    ANANAS_GROUP_ID="bench-group-$$-$r-$k" ANANAS_GROUP_SESSION_TIMEOUT=3s ANANAS_WORKER_ID="w$i" \
      "$ANANAS" run --bootstrap-servers "$BS" --http-host 127.0.0.1 --http-port 0 "$app" > "$WORK/worker-$r-$k-$i.log" 2>&1 &
    pids+=($!)
    STARTED+=($!)
  done
  got=$before
  while ((got < want)); do
    for pid in "${pids[@]}"; do kill -0 "$pid" 2> /dev/null || fail "round $r, $k workers: a worker exited early; see $WORK/worker-$r-$k-*.log"; done
    (($(now_ns) - t0 > WORKER_TIMEOUT * 1000000000)) && fail "round $r, $k workers: $((got - before)) of $EXPECTED rows after ${WORKER_TIMEOUT} s"
    sleep 0.05
    got=$(end_offsets_sum "$OUT_TOPIC")
  done
  t_group=$(seconds_between "$t0" "$(now_ns)")
  cpu=0
  for pid in "${pids[@]}"; do cpu=$(awk -v a="$cpu" -v b="$(cpu_seconds "$pid")" 'BEGIN{printf "%.2f", a + b}'); done
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  got=$(end_offsets_sum "$OUT_TOPIC")
  ((got == want)) || fail "round $r, $k workers: the output topic grew by $((got - before)) rows, expected $EXPECTED"
}

declare -A cpu_rates wall_rates ratios
for ((r = 1; r <= RUNS; r++)); do
  log "round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
  one=
  for k in $WORKERS; do
    run_group "$r" "$k"
    per_cpu=$(rate "$N" "$cpu")
    cpu_rates[$k]+="$per_cpu "
    wall_rates[$k]+="$(rate "$N" "$t_group") "
    [[ $k == 1 ]] && one=$per_cpu
    [[ -n $one && $k != 1 ]] && ratios[$k]+="$(awk -v a="$per_cpu" -v b="$one" 'BEGIN{printf "%.3f", a / b}') "
    log "round $r, $k worker(s): ${t_group}s, ${cpu}s CPU"
  done
done
for k in $WORKERS; do
  # shellcheck disable=SC2086
  figure "group_filter_${k}_workers_orders_per_cpu_s" orders/s "(per second of the $k workers' summed utime+stime)" ${cpu_rates[$k]}
  # shellcheck disable=SC2086
  figure "group_filter_${k}_workers_orders_per_s" orders/s "(wall clock, start of the workers -> all rows out, group joins included)" ${wall_rates[$k]}
  # shellcheck disable=SC2086
  [[ -n ${ratios[$k]:-} ]] && figure "ratio_group_filter_${k}_to_1_per_cpu" x "(orders per CPU second, $k workers / 1; target >= 0.85)" ${ratios[$k]}
done
log "done, load $(cut -d' ' -f1-3 /proc/loadavg)"
