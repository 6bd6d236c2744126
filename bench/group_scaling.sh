#!/usr/bin/env bash
# group_scaling.sh — what scaling out costs: a tutorial app run by 1, 2 and 3
# workers of one group (worker config group.id), over the same backlog, in the
# same rounds (docs/performance.md "Scaling out", issue "Scale-out"). Run by
# hand, never by CI:
#
#   bench/group_scaling.sh                              # APP=01, N=300000, RUNS=3, WORKERS="1 2 3"
#   APP=03 bench/group_scaling.sh                       # the windowing app across the keyed exchange, N=150000
#   APP=01 WORKERS="solo 1 3" bench/group_scaling.sh    # solo: one worker outside any group
#
# APP=01 (01-basic-filtering): stateless, the group splits its source by
# partition. APP=03 (03-windowing): the workers run with group.exchange on
# (the default in a group), so each runs the scan part (decoding, UNNEST, the
# filter) of its partitions and the shards of the window aggregate (one per
# exchange partition) the group gives it (docs/running.md "Keyed exchanges").
#
# One `ananas broker` holds N keyless orders over enough partitions that the
# mock's 5 MiB per partition keeps all of them. Each round runs, per worker
# count k, k `ananas run` processes of a fresh copy of the app (a pipeline
# name of its own, so it starts with no offsets, checkpoint or exchange topic)
# from their start until its output topic has grown by the expected rows,
# then SIGTERMs them by PID. Printed: "FIGURE" lines with medians of orders
# per second of the workers' summed CPU time (utime + stime), its ratio to one
# worker's of the same round (targets: >= 0.85 for 01, >= 0.70 for 03), and
# the wall-clock rate (which includes the group's joins: seconds on the
# development broker, whose coordinator answers a join only when its
# rebalance delay expires). Each round also times `kcat -C` of the backlog
# (the reference of e2e_filter.sh); with WORKERS containing solo, the ratio
# of that time to the solo worker's is end to end outside a group, the way
# e2e_filter.sh measures 01 (`APP=03 N=300000 WORKERS=solo` for 03).
#
# Completion and checks:
#  - 01: the filter's rows are counted in the backlog (lib.sh filter_backlog).
#  - 03: a window fires when the watermark (min over the source partitions of
#    the highest record timestamp, minus 5 s) passes its end; the record
#    timestamps are kcat's produce times. So after the backlog, SENTINEL_GAP
#    seconds later, one order without pizzas goes to every partition: it
#    gives no row but moves the watermark past every backlog window. The
#    expected rows are computed from the broker's records (timestamp, value):
#    per 5 s window and topping the count of rows, kept when > 10 (the app's
#    HAVING). Each run writes to an output topic of its own, read back and
#    compared with that oracle (topping, window start, count): a row lost
#    anywhere (the mock silently dropping exchange records a slow reader had
#    not read yet) fails the run. Printed per run: the exchange topic's
#    records and value bytes per order, and whether the mock dropped any of
#    its records (a log start offset above 0). 03's key is the topping alone,
#    so each of the three toppings' rows (~61 bytes of value, ~77 with Kafka's
#    record overhead, ~1.07 rows per order) fill one exchange partition
#    whatever group.exchange.partitions says: at N=50000 that is ~4 MiB, at
#    N=300000 five times the 5 MiB the mock keeps (a reader that keeps up
#    still gets every row, which the oracle check shows or refutes). That
#    was one phase (settings agg_phase_strategy: one_phase); in two phases,
#    the default, the scan parts send partial counts instead (< 1 byte per
#    order), so N is bounded by the input topic alone, and 150,000 orders
#    make the joins' fixed cost per worker small beside the work.
#  - 03 runs with the pipeline setting idle_timeout (IDLE_TIMEOUT, 2 s): a
#    source partition that moves to another worker after its last record (the
#    group's joins come after a worker has read it all) gives its new owner no
#    record, so it would hold the watermark, and the last window, back for
#    ever (as a Flink source split reassigned at a restore does). After 2 s
#    without a record it stops holding it back; a partition that went idle
#    while it still had rows to give would make them late and fail the oracle
#    check.
#
# Needs a built `ananas` (ANANAS=path, default build-bench/ananas) and kcat.
# Only 127.0.0.1 is used; every process started here is stopped by its PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ANANAS=${ANANAS:-$ROOT/build-bench/ananas}
APP=${APP:-01}
case $APP in
  01 | 01-basic-filtering)
    APP_NAME=filter YAML=$ROOT/pipelines/examples/01-basic-filtering.yaml OUT_TOPIC=pizza_stream_out_filter
    EXCHANGE=false TARGET=0.85 DEFAULT_N=300000 ;;
  03 | 03-windowing)
    APP_NAME=windowing YAML=$ROOT/pipelines/examples/03-windowing.yaml OUT_TOPIC=pizza_stream_out_agg_windows
    EXCHANGE=true TARGET=0.70 DEFAULT_N=150000 ;;
  *) echo "group_scaling: APP is 01 or 03, not '$APP'" >&2; exit 2 ;;
esac
N=${N:-$DEFAULT_N}
RUNS=${RUNS:-3}
SEED=${SEED:-4321}
WORKERS=${WORKERS:-1 2 3}
WORK=${WORK:-/tmp/ananas-bench-group}
WORKER_TIMEOUT=${WORKER_TIMEOUT:-300}
EXCHANGE_PARTITIONS=${EXCHANGE_PARTITIONS:-8}  # group.exchange.partitions (the worker's default)
SENTINEL_GAP=${SENTINEL_GAP:-12}               # seconds between the backlog and the sentinels (03)
IDLE_TIMEOUT=${IDLE_TIMEOUT:-2s}               # the windowing app's idle_timeout (03; see above)

BENCH_NAME=group_scaling
source "$HERE/lib.sh"

[[ -x $ANANAS ]] || fail "no ananas binary at $ANANAS (build it: cmake --build <dir> --target ananas; or set ANANAS=)"
command -v kcat > /dev/null || fail "kcat is not installed"
mkdir -p "$WORK"

filter_backlog  # sets VALUES, EXPECTED (the filter's rows) and PARTITIONS
log "APP=$APP ($YAML), N=$N orders, $PARTITIONS partitions, RUNS=$RUNS, WORKERS=$WORKERS, group.exchange=$EXCHANGE"
log "host: $(nproc) cpu, load $(cut -d' ' -f1-3 /proc/loadavg); ananas: $ANANAS; commit $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo '?')"
TOPICS="pizzas,$OUT_TOPIC"
start_broker
load_backlog pizzas

# The windowing app's oracle: "topping window_start_ms count" per row it must
# emit, sorted, in $ORACLE; EXPECTED becomes their number.
if [[ $APP_NAME == windowing ]]; then
  sleep "$SENTINEL_GAP"
  send_sentinels pizzas
  [[ $(end_offsets_sum pizzas) == $((N + PARTITIONS)) ]] || fail "sentinels: the broker has $(end_offsets_sum pizzas) records, expected $((N + PARTITIONS))"
  ORACLE=$WORK/windows-oracle.txt
  windows_oracle pizzas "$ORACLE"
  EXPECTED=$(wc -l < "$ORACLE")
  ((EXPECTED > 0)) || fail "the oracle expects no window rows"
  log "oracle: $EXPECTED window rows ($(awk '{s += $3} END {print s}' "$ORACLE") of the filter's $(grep -o -F -e '"\ud83c\udf4d pineapple"' -e '"\ud83c\udf53 strawberry"' -e '"\ud83c\udf4c banana"' "$VALUES" | wc -l) rows counted in them); sentinels $SENTINEL_GAP s after the backlog"
fi

# run_group ROUND K: K workers of a fresh group (K=solo: one worker, no group)
# until all $EXPECTED rows are out; sets t_group and cpu (summed over the workers).
run_group() {
  local r=$1 k=$2 name=bench-$APP_NAME-$$-$1-$2 pids=() i n before want got t0 pid c out=$OUT_TOPIC
  local app=$WORK/app-$r-$k.yaml
  [[ $APP_NAME == windowing ]] && out=$name-out
  sed -e "s/^pipeline: .*/pipeline: $name/" -e "s/^\( *topic: \)$OUT_TOPIC\$/\1$out/" "$YAML" > "$app"
  grep -q "topic: $out\$" "$app" || fail "no sink topic $OUT_TOPIC in $YAML"
  if [[ $APP_NAME == windowing ]]; then
    grep -q '^settings:' "$app" && fail "$YAML already has settings: cannot set idle_timeout"
    printf 'settings:\n  idle_timeout: %s\n' "$IDLE_TIMEOUT" >> "$app"
  fi
  before=$(end_offsets_sum "$out")
  want=$((before + EXPECTED))
  n=$k
  [[ $k == solo ]] && n=1
  t0=$(now_ns)
  for ((i = 1; i <= n; i++)); do
    if [[ $k == solo ]]; then
      "$ANANAS" run --bootstrap-servers "$BS" --http-host 127.0.0.1 --http-port 0 "$app" > "$WORK/worker-$r-$k-$i.log" 2>&1 &
    else
      ANANAS_GROUP_ID="$name" ANANAS_GROUP_SESSION_TIMEOUT=3s ANANAS_WORKER_ID="w$i" \
        ANANAS_GROUP_EXCHANGE=$EXCHANGE ANANAS_GROUP_EXCHANGE_PARTITIONS=$EXCHANGE_PARTITIONS \
        "$ANANAS" run --bootstrap-servers "$BS" --http-host 127.0.0.1 --http-port 0 "$app" > "$WORK/worker-$r-$k-$i.log" 2>&1 &
    fi
    pids+=($!)
    STARTED+=($!)
  done
  wait_for_rows "$out" "$want" "$t0" "round $r, $k workers" "$WORK/worker-$r-$k-*.log" "${pids[@]}"
  t_group=$(seconds_between "$t0" "$(now_ns)")
  LAST_OUT=$out
  cpu=0 cpus=
  for pid in "${pids[@]}"; do
    c=$(cpu_seconds "$pid")
    cpus+=" $c"
    cpu=$(awk -v a="$cpu" -v b="$c" 'BEGIN{printf "%.2f", a + b}')
  done
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  got=$(end_offsets_sum "$out")
  ((got == want)) || fail "round $r, $k workers: the output topic grew by $((got - before)) rows, expected $EXPECTED"
  if [[ $APP_NAME == windowing ]]; then
    window_rows "$out" > "$WORK/windows-$r-$k.txt"
    cmp -s "$ORACLE" "$WORK/windows-$r-$k.txt" ||
      fail "round $r, $k workers: the window rows differ from the oracle's: diff $ORACLE $WORK/windows-$r-$k.txt"
    if [[ $k != solo ]]; then
      read -r ex_records ex_bytes ex_largest ex_dropped < <(exchange_stats "ananas-$name-window_aggregate-exchange")
      log "round $r, $k worker(s): exchange topic: $ex_records records, $ex_bytes value bytes ($(awk -v b="$ex_bytes" -v n="$N" 'BEGIN{printf "%.1f", b / n}') per order, largest partition $ex_largest), $ex_dropped dropped by the mock"
      # Bytes per order only when the mock kept every record (else it counts the rest).
      if ((ex_dropped == 0)); then ex_per_order[$k]+="$(awk -v b="$ex_bytes" -v n="$N" 'BEGIN{printf "%.1f", b / n}') "; fi
    fi
  fi
}

declare -A cpu_rates wall_rates ratios ex_per_order
consume_rates=() solo_to_kcat=() sink_rates=() solo_t1=()
ROWS=$WORK/output-rows-$APP_NAME.jsonl
rm -f "$ROWS"
for ((r = 1; r <= RUNS; r++)); do
  log "round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
  # The reference of e2e_filter.sh: kcat reading the same backlog, this round.
  t0=$(now_ns)
  kcat -C -b "$BS" -t pizzas -o beginning -e -q -X fetch.max.bytes=4194304 > /dev/null
  t_consume=$(seconds_between "$t0" "$(now_ns)")
  consume_rates+=("$(rate "$N" "$t_consume")")
  one=
  for k in $WORKERS; do
    run_group "$r" "$k"
    if [[ $k == solo ]]; then
      solo_to_kcat+=("$(awk -v a="$t_consume" -v b="$t_group" 'BEGIN{printf "%.3f", a / b}')")
      # The produce reference of e2e_filter.sh: kcat -P of as many rows as the
      # worker wrote (the first solo run's own output rows), this round.
      if [[ ! -s $ROWS ]]; then
        kcat -C -b "$BS" -t "$LAST_OUT" -o beginning -e -q -c "$EXPECTED" -f '%s\n' > "$ROWS"
        [[ $(wc -l < "$ROWS") == "$EXPECTED" ]] || fail "read $(wc -l < "$ROWS") output rows back, expected $EXPECTED"
      fi
      t0=$(now_ns)
      kcat -P -b "$BS" -t "bench-sink-ref-$$" -l "$ROWS"
      t_sink=$(seconds_between "$t0" "$(now_ns)")
      sink_rates+=("$(rate "$EXPECTED" "$t_sink")")
      solo_t1+=("$(awk -v a="$t_consume" -v s="$t_sink" -v b="$t_group" 'BEGIN{printf "%.3f", (a + s) / b}')")
    fi
    per_cpu=$(rate "$N" "$cpu")
    cpu_rates[$k]+="$per_cpu "
    wall_rates[$k]+="$(rate "$N" "$t_group") "
    [[ $k == 1 ]] && one=$per_cpu
    [[ -n $one && $k != 1 && $k != solo ]] && ratios[$k]+="$(awk -v a="$per_cpu" -v b="$one" 'BEGIN{printf "%.3f", a / b}') "
    log "round $r, $k worker(s): ${t_group}s, ${cpu}s CPU (per worker:$cpus), load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
figure "group_${APP_NAME}_kcat_consume_msgs_per_s" msgs/s "(reference: kcat -C -e of the backlog, $PARTITIONS partitions)" "${consume_rates[@]}"
((${#solo_to_kcat[@]})) &&
  figure "ratio_${APP_NAME}_solo_to_kcat_consume" x "(t_consume / t_worker, one worker outside a group; target >= 1.0)" "${solo_to_kcat[@]}"
((${#sink_rates[@]})) &&
  figure "group_${APP_NAME}_kcat_produce_output_rows_msgs_per_s" msgs/s "(reference: kcat -P of the $EXPECTED output rows)" "${sink_rates[@]}"
((${#solo_t1[@]})) &&
  figure "ratio_${APP_NAME}_solo_T1" x "((t_consume + t_sink) / t_worker, one worker outside a group; target >= 1.3)" "${solo_t1[@]}"
for k in $WORKERS; do
  what="$k workers"
  [[ $k == solo ]] && what="one worker outside a group"
  # shellcheck disable=SC2086
  figure "group_${APP_NAME}_${k}_workers_orders_per_cpu_s" orders/s "(per second of CPU summed over $what: utime+stime)" ${cpu_rates[$k]}
  # shellcheck disable=SC2086
  figure "group_${APP_NAME}_${k}_workers_orders_per_s" orders/s "(wall clock, start of the workers -> all rows out, group joins included)" ${wall_rates[$k]}
  # shellcheck disable=SC2086
  [[ -n ${ratios[$k]:-} ]] && figure "ratio_group_${APP_NAME}_${k}_to_1_per_cpu" x "(orders per CPU second, $k workers / 1; target >= $TARGET)" ${ratios[$k]}
  # shellcheck disable=SC2086
  [[ -n ${ex_per_order[$k]:-} ]] && figure "group_${APP_NAME}_${k}_exchange_bytes_per_order" B "(value bytes written to the exchange topic per order)" ${ex_per_order[$k]}
done
log "done, load $(cut -d' ' -f1-3 /proc/loadavg)"
