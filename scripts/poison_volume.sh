#!/usr/bin/env bash
# Poison at volume: RECORDS pizza orders (default a million), one in ten
# malformed in one of a dozen ways, plus HUGE 10 MB values (default 10),
# through a worker with `on_error: dead-letter`; prints the records, bad
# records counted, dead-lettered (byte for byte), outputs complete and the
# worker's peak RSS (docs/reliability.md, "Poison at volume").
#   scripts/poison_volume.sh [RECORDS [HUGE]]
# It is the CI test tests/e2e/poison_volume_test.cpp (20,000 records, two
# 10 MB values) at another volume, so it needs the release build:
#   cmake --build build --target ananas test_e2e
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
huge=${2:-10}
[ -x build/tests/test_e2e ] && [ -x build/ananas ] || { echo "poison_volume.sh: build first: cmake --build build --target ananas test_e2e" >&2; exit 2; }
start=$(date +%s)
ANANAS_POISON_RECORDS=$records ANANAS_POISON_HUGE=$huge build/tests/test_e2e "poison at volume*"
echo "poison_volume.sh: $(( $(date +%s) - start )) s"
