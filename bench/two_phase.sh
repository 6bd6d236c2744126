#!/usr/bin/env bash
# two_phase.sh — what the two-phase window aggregation saves (docs/performance.md
# "Two phases across the exchange", issue "Scale-out"): the windowing app
# (03-windowing) run by K workers of one group, with settings.agg_phase_strategy
# two_phase (what auto, the default, does for it) and one_phase, alternated in
# the same rounds. Run by hand, never by CI:
#
#   bench/two_phase.sh                       # N=200000, RUNS=2, WORKERS="1 2"
#   N=200000 RUNS=3 WORKERS=2 bench/two_phase.sh
#   LIVE=0 N=50000 WORKERS="1 2 3" bench/two_phase.sh  # over a backlog instead
#
# Each run has an input topic of its own. LIVE=1 (default): its K workers
# start, SETTLE seconds pass (the group's joins), then N orders are
# produced, and SENTINEL_GAP seconds later one order without pizzas per
# partition closes the last windows; measured from the first order to the
# last output row. LIVE=0: the orders and the sentinels are in the topic
# before the workers start, as in group_scaling.sh (the partitions then move
# while they are read: drained, so their new owners fold them too); measured
# from the start of the workers. Measured: the workers' CPU time (utime +
# stime, summed) and the exchange topic's records and bytes. Printed:
# "FIGURE" lines with medians of orders per CPU second per mode, their ratio
# (two phases / one phase), and exchange bytes per order. Every run's output
# is compared with the oracle computed from its input (lib.sh windows_oracle).
#
# Needs a built `ananas` (ANANAS=path, default build-bench/ananas) and kcat.
# Only 127.0.0.1 is used; every process started here is stopped by its PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ANANAS=${ANANAS:-$ROOT/build-bench/ananas}
YAML=$ROOT/pipelines/examples/03-windowing.yaml
N=${N:-200000}
RUNS=${RUNS:-2}
SEED=${SEED:-4321}
WORKERS=${WORKERS:-1 2}
MODES=${MODES:-two_phase one_phase}
WORK=${WORK:-/tmp/ananas-bench-two-phase}
WORKER_TIMEOUT=${WORKER_TIMEOUT:-300}
EXCHANGE_PARTITIONS=${EXCHANGE_PARTITIONS:-8}
LIVE=${LIVE:-1}
SETTLE=${SETTLE:-15}
SENTINEL_GAP=${SENTINEL_GAP:-12}
IDLE_TIMEOUT=${IDLE_TIMEOUT:-2s}

BENCH_NAME=two_phase
source "$HERE/lib.sh"

[[ -x $ANANAS ]] || fail "no ananas binary at $ANANAS (build it: cmake --build <dir> --target ananas; or set ANANAS=)"
command -v kcat > /dev/null || fail "kcat is not installed"
mkdir -p "$WORK"

filter_backlog  # sets VALUES and PARTITIONS
# The mock auto-creates every topic with --partitions: the exchange topics too.
EXCHANGE_PARTITIONS=$PARTITIONS
log "N=$N orders, $PARTITIONS partitions, RUNS=$RUNS, WORKERS=$WORKERS, MODES=$MODES, LIVE=$LIVE"
log "host: $(nproc) cpu, load $(cut -d' ' -f1-3 /proc/loadavg); ananas: $ANANAS; commit $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo '?')"
TOPICS="pizzas"
start_broker

# feed TOPIC ORACLE: the orders, then the sentinels; the oracle of what 03 emits.
feed() {
  load_backlog "$1"
  sleep "$SENTINEL_GAP"
  send_sentinels "$1"
  windows_oracle "$1" "$2"
}

# run_live ROUND K MODE: K workers of a fresh group over a fresh input topic;
# sets cpu (the workers' CPU seconds from the first order on, or their start) and ex_* (the
# exchange topic's records, value bytes, largest partition, records dropped).
run_live() {
  local r=$1 k=$2 mode=$3 name=bench-2p-$$-$1-$2-$3 pids=() i pid want t0 cpu0=0
  local in=$name-in out=$name-out app=$WORK/app-$1-$2-$3.yaml oracle=$WORK/oracle-$1-$2-$3.txt
  sed -e "s/^pipeline: .*/pipeline: $name/" -e "s/^\( *topic: \)pizzas\$/\1$in/" \
    -e "s/^\( *topic: \)pizza_stream_out_agg_windows\$/\1$out/" "$YAML" > "$app"
  grep -q "topic: $in\$" "$app" && grep -q "topic: $out\$" "$app" || fail "cannot rename the topics of $YAML"
  grep -q '^settings:' "$app" && fail "$YAML already has settings"
  printf 'settings:\n  idle_timeout: %s\n  agg_phase_strategy: %s\n' "$IDLE_TIMEOUT" "$mode" >> "$app"
  ((LIVE)) || feed "$in" "$oracle"
  t0=$(now_ns)
  for ((i = 1; i <= k; i++)); do
    ANANAS_GROUP_ID="$name" ANANAS_GROUP_SESSION_TIMEOUT=3s ANANAS_WORKER_ID="w$i" \
      ANANAS_GROUP_EXCHANGE=true ANANAS_GROUP_EXCHANGE_PARTITIONS=$EXCHANGE_PARTITIONS \
      "$ANANAS" run --bootstrap-servers "$BS" --http-host 127.0.0.1 --http-port 0 "$app" > "$WORK/worker-$r-$k-$mode-$i.log" 2>&1 &
    pids+=($!)
    STARTED+=($!)
  done
  if ((LIVE)); then
    sleep "$SETTLE"
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2> /dev/null || fail "round $r, $k workers, $mode: a worker exited early; see $WORK/worker-$r-$k-$mode-*.log"
      cpu0=$(awk -v a="$cpu0" -v b="$(cpu_seconds "$pid")" 'BEGIN{printf "%.2f", a + b}')
    done
    t0=$(now_ns)
    feed "$in" "$oracle"
  fi
  want=$(wc -l < "$oracle")
  ((want > 0)) || fail "the oracle expects no window rows"
  wait_for_rows "$out" "$want" "$t0" "round $r, $k workers, $mode" "$WORK/worker-$r-$k-$mode-*.log" "${pids[@]}"
  local t_run
  t_run=$(seconds_between "$t0" "$(now_ns)")
  cpu=0
  for pid in "${pids[@]}"; do cpu=$(awk -v a="$cpu" -v b="$(cpu_seconds "$pid")" 'BEGIN{printf "%.2f", a + b}'); done
  cpu=$(awk -v a="$cpu" -v b="$cpu0" 'BEGIN{printf "%.2f", a - b}')
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  window_rows "$out" > "$WORK/windows-$r-$k-$mode.txt"
  cmp -s "$oracle" "$WORK/windows-$r-$k-$mode.txt" ||
    fail "round $r, $k workers, $mode: the window rows differ from the oracle's: diff $oracle $WORK/windows-$r-$k-$mode.txt"
  read -r ex_records ex_bytes ex_largest ex_dropped < <(exchange_stats "ananas-$name-window_aggregate-exchange")
  log "round $r, $k worker(s), $mode: $want window rows equal the oracle's; ${cpu}s CPU, ${t_run}s; exchange: $ex_records records, $ex_bytes value bytes (largest partition $ex_largest), $ex_dropped dropped by the mock"
}

declare -A cpu_rates ratios bytes_per_order
for ((r = 1; r <= RUNS; r++)); do
  for k in $WORKERS; do
    declare -A this_round=()
    for mode in $MODES; do
      log "round $r, $k worker(s), $mode: load $(cut -d' ' -f1-3 /proc/loadavg)"
      run_live "$r" "$k" "$mode"
      this_round[$mode]=$(rate "$N" "$cpu")
      cpu_rates[$k-$mode]+="${this_round[$mode]} "
      ((ex_dropped == 0)) && bytes_per_order[$k-$mode]+="$(awk -v b="$ex_bytes" -v n="$N" 'BEGIN{printf "%.2f", b / n}') "
    done
    if [[ -n ${this_round[two_phase]:-} && -n ${this_round[one_phase]:-} ]]; then
      ratios[$k]+="$(awk -v a="${this_round[two_phase]}" -v b="${this_round[one_phase]}" 'BEGIN{printf "%.3f", a / b}') "
    fi
    unset this_round
  done
done
for k in $WORKERS; do
  for mode in $MODES; do
    # shellcheck disable=SC2086
    figure "two_phase_${k}_workers_${mode}_orders_per_cpu_s" orders/s "(per CPU second summed over $k workers, first order -> last row)" ${cpu_rates[$k-$mode]}
    # shellcheck disable=SC2086
    [[ -n ${bytes_per_order[$k-$mode]:-} ]] && figure "two_phase_${k}_workers_${mode}_exchange_bytes_per_order" B "(value bytes in the exchange topic per order)" ${bytes_per_order[$k-$mode]}
  done
  # shellcheck disable=SC2086
  [[ -n ${ratios[$k]:-} ]] && figure "ratio_two_phase_${k}_workers_to_one_phase_per_cpu" x "(orders per CPU second, two phases / one phase, same round)" ${ratios[$k]}
done
log "done, load $(cut -d' ' -f1-3 /proc/loadavg)"
