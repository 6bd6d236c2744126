# lib.sh — what the end-to-end benchmarks share (sourced, not run): logging,
# stopping what they started by PID, clocks and CPU time, medians and FIGURE
# lines, the filter backlog, `ananas broker` and one `ananas run`.
# The sourcing script sets ANANAS, WORK, PARTITIONS (N and SEED for the backlog) and, before start_broker, TOPICS.

log() { echo "# $*"; }
fail() { echo "${BENCH_NAME:-bench}: $*" >&2; exit 1; }

STARTED=()
stop_pid() {  # stop_pid PID: SIGTERM, then SIGKILL after 10 s
  local pid=$1 i
  kill -0 "$pid" 2> /dev/null || { wait "$pid" 2> /dev/null || true; return 0; }
  kill -TERM "$pid" 2> /dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2> /dev/null && kill -KILL "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null || true
}
cleanup() {
  local p
  for p in "${STARTED[@]:-}"; do [[ -n $p ]] && stop_pid "$p"; done
}
trap cleanup EXIT

now_ns() { date +%s%N; }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", (b - a) / 1e9}'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN{printf "%.0f", n / s}'; }
cpu_seconds() { awk -v t="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
figure() {  # figure NAME UNIT NOTE VALUES...
  local name=$1 unit=$2 note=$3
  shift 3
  printf 'FIGURE %-44s %12s %-10s runs=[%s] %s\n' "$name" "$(median "$@")" "$unit" "$*" "$note"
}

# filter_backlog: N orders (seed SEED) as $VALUES, the filter's expected row
# count as $EXPECTED and, for the mock's 5 MiB per partition, $PARTITIONS.
filter_backlog() {
  local kv=$WORK/pizzas-$N-$SEED.kv
  VALUES=$WORK/pizzas-$N-$SEED.values
  if [[ ! -s $kv ]]; then
    log "generating $N orders (seed $SEED)"
    "$ANANAS" generate --output "$kv.tmp" --count "$N" --seed "$SEED" > /dev/null && mv "$kv.tmp" "$kv"
  fi
  [[ -s $VALUES ]] || cut -f2- "$kv" > "$VALUES"
  # The filter emits one row per anomalous topping; as JSON strings they appear
  # exactly like this in the values (ensure_ascii escapes), nowhere else.
  EXPECTED=$(grep -o -F -e '"\ud83c\udf4d pineapple"' -e '"\ud83c\udf53 strawberry"' -e '"\ud83c\udf4c banana"' "$VALUES" | wc -l)
  # The mock keeps at most 5 MiB per partition: plan for 4 MiB to leave headroom.
  PARTITIONS=$(($(stat -c %s "$VALUES") / (4 * 1024 * 1024) + 1))
  ((PARTITIONS < 4)) && PARTITIONS=4
  return 0
}

# start_broker: `ananas broker` with $PARTITIONS partitions for each of
# $TOPICS (comma-separated); sets BS (its bootstrap address) and BROKER.
start_broker() {
  "$ANANAS" broker --partitions "$PARTITIONS" --topics "$TOPICS" > "$WORK/broker.out" 2> "$WORK/broker.err" &
  BROKER=$!
  STARTED+=("$BROKER")
  BS=
  for _ in $(seq 100); do
    BS=$(sed -n 's/^bootstrap: //p' "$WORK/broker.out" | head -1)
    [[ -n $BS ]] && break
    kill -0 "$BROKER" 2> /dev/null || fail "ananas broker exited: $(cat "$WORK/broker.err")"
    sleep 0.1
  done
  [[ -n $BS ]] || fail "ananas broker printed no bootstrap address in 10 s"
}

# start_worker APP LOG: one `ananas run` of APP on $BS, its output in LOG,
# waited for until it says it is running; sets WORKER (its PID).
start_worker() {
  "$ANANAS" run --bootstrap-servers "$BS" --http-host 127.0.0.1 --http-port 0 "$1" > "$2" 2>&1 &
  WORKER=$!
  STARTED+=("$WORKER")
  for _ in $(seq 100); do
    grep -q '^worker .* running' "$2" && return 0
    kill -0 "$WORKER" 2> /dev/null || fail "ananas run exited: $(cat "$2")"
    sleep 0.1
  done
  fail "ananas run did not say it was running within 10 s: $(tail -5 "$2")"
}

end_offsets_sum() {  # end_offsets_sum TOPIC
  local args=() p
  for ((p = 0; p < PARTITIONS; p++)); do args+=(-t "$1:$p:-1"); done
  kcat -Q -b "$BS" "${args[@]}" 2> /dev/null | awk '{s += $NF} END {print s + 0}'
}

# wait_for_rows TOPIC WANT T0 WHAT LOGS PID...: until TOPIC holds WANT
# records; fails naming WHAT when a PID exits first (see LOGS) or after
# WORKER_TIMEOUT seconds from T0 (now_ns).
wait_for_rows() {
  local topic=$1 want=$2 t0=$3 what=$4 logs=$5 pid got
  shift 5
  got=$(end_offsets_sum "$topic")
  while ((got < want)); do
    for pid in "$@"; do kill -0 "$pid" 2> /dev/null || fail "$what: a worker exited early; see $logs"; done
    (($(now_ns) - t0 > WORKER_TIMEOUT * 1000000000)) && fail "$what: $got of $want records in $topic after ${WORKER_TIMEOUT} s"
    sleep 0.05
    got=$(end_offsets_sum "$topic")
  done
}

load_backlog() {  # load_backlog TOPIC: $VALUES into TOPIC, spread over its partitions
  local t0 got
  t0=$(now_ns)
  kcat -P -b "$BS" -t "$1" -X sticky.partitioning.linger.ms=0 -X linger.ms=1000 \
    -X queue.buffering.max.messages=2000000 -X batch.num.messages=10000 -l "$VALUES"
  got=$(end_offsets_sum "$1")
  [[ $got == "$N" ]] || fail "backlog: produced $N orders, the broker has $got"
  log "backlog of $N orders loaded in $(seconds_between "$t0" "$(now_ns)") s"
}

# The windowing app (03) on a backlog, shared by group_scaling.sh and
# two_phase.sh. A window fires when the watermark (min over the source
# partitions of the highest record timestamp, minus 5 s) passes its end; the
# record timestamps are kcat's produce times. send_sentinels TOPIC: one order
# without pizzas to every partition of TOPIC, some seconds after the backlog:
# it gives no row but moves the watermark past every backlog window.
send_sentinels() {
  local p
  for ((p = 0; p < PARTITIONS; p++)); do
    echo '{"id": -1, "shop": "bench", "name": "end of backlog", "phoneNumber": "", "address": "", "pizzas": []}' |
      kcat -P -b "$BS" -t "$1" -p "$p"
  done
}

# windows_oracle TOPIC FILE: the rows 03 must emit from TOPIC's records
# (timestamp, value), as "topping window_start_ms count" sorted into FILE: per
# 5 s window and topping the count of rows, kept when > 10 (the app's HAVING).
windows_oracle() {
  kcat -C -b "$BS" -t "$1" -o beginning -e -q -f '%T\t%s\n' | awk -F'\t' '
    function count(s, t,   n, i) { n = 0; while ((i = index(s, t)) > 0) { n++; s = substr(s, i + length(t)) } return n }
    { w = sprintf("%.0f", int($1 / 5000) * 5000)
      c[w " pineapple"] += count($2, "\"\\ud83c\\udf4d pineapple\"")
      c[w " strawberry"] += count($2, "\"\\ud83c\\udf53 strawberry\"")
      c[w " banana"] += count($2, "\"\\ud83c\\udf4c banana\"") }
    END { for (k in c) if (c[k] > 10) { split(k, a, " "); print a[2], a[1], c[k] } }' | sort > "$2"
}

# window_rows TOPIC: a windowing run's output as "topping window_start_ms count", sorted.
window_rows() {
  local topping start_date start_time start count
  kcat -C -b "$BS" -t "$1" -o beginning -e -q -f '%s\n' |
    sed -E 's/.*"window_start": ?"([^"]*)".*"topping": ?"[^" ]* ([a-z]+)".*"nr_orders": ?([0-9]+).*/\2 \1 \3/' |
    while read -r topping start_date start_time count; do
      start=$(date -u -d "$start_date $start_time" +%s%3N)
      echo "$topping $start $count"
    done | sort
}

# exchange_stats TOPIC: "records bytes largest dropped" of an exchange topic:
# records read, their value bytes, the largest partition's value bytes (the
# mock keeps 5 MiB per partition, record overhead included), and the records
# the mock dropped (the sum of its partitions' log start offsets).
exchange_stats() {
  local args=() p dropped
  for ((p = 0; p < EXCHANGE_PARTITIONS; p++)); do args+=(-t "$1:$p:-2"); done
  dropped=$(kcat -Q -b "$BS" "${args[@]}" 2> /dev/null | awk '{s += $NF} END {print s + 0}')
  kcat -C -b "$BS" -t "$1" -o beginning -e -q -f '%p %S\n' |
    awk -v d="$dropped" '{n++; b += $2; pb[$1] += $2} END {for (p in pb) if (pb[p] > m) m = pb[p]; print n + 0, b + 0, m + 0, d}'
}

