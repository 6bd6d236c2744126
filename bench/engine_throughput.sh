#!/usr/bin/env bash
# engine_throughput.sh — generates the orders (once, cached in WORK) and runs
# the in-process engine benchmark on them. Run by hand, never by CI:
#
#   bench/engine_throughput.sh                          # N=200000 orders, 5 rounds, memory runs
#   N=100000 bench/engine_throughput.sh --runs 3 --skip-memory
#
# Extra arguments go to the engine_throughput binary (ENGINE=path, default
# build-bench/bench/engine_throughput, where the build puts it; see its --help). Orders come from
# `ananas generate --output` (ANANAS=path, default build-bench/ananas).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ENGINE=${ENGINE:-$ROOT/build-bench/bench/engine_throughput}
ANANAS=${ANANAS:-$ROOT/build-bench/ananas}
N=${N:-200000}
SEED=${SEED:-4321}
WORK=${WORK:-/tmp/ananas-bench}

[[ -x $ENGINE ]] || { echo "engine_throughput.sh: no binary at $ENGINE (cmake --build <dir> --target engine_throughput, or set ENGINE=)" >&2; exit 1; }
[[ -x $ANANAS ]] || { echo "engine_throughput.sh: no ananas binary at $ANANAS (cmake --build <dir> --target ananas, or set ANANAS=)" >&2; exit 1; }
mkdir -p "$WORK"
KV=$WORK/pizzas-$N-$SEED.kv
if [[ ! -s $KV ]]; then
  echo "# generating $N orders (seed $SEED)"
  "$ANANAS" generate --output "$KV.tmp" --count "$N" --seed "$SEED" > /dev/null && mv "$KV.tmp" "$KV"
fi
echo "# host: $(nproc) cpu, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$ENGINE" --data "$KV" --orders "$N" "$@"
