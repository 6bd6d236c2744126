#!/usr/bin/env bash
# Runs one libFuzzer target of fuzz/ for a fixed time.
#   scripts/fuzz.sh TARGET SECONDS              # e.g. scripts/fuzz.sh sql_translate 3600
#   scripts/fuzz.sh --build-dir DIR TARGET SECONDS
# Targets: sql_translate pipeline_yaml json_record kcat_line worker_config rest_body.
# The targets are built by `scripts/test.sh --sanitize` (build-asan/, clang,
# ASan+UBSan, -DANANAS_FUZZ=ON), or: ninja -C build-asan fuzz_targets.
# Seeds come from fuzz/corpus/TARGET and, for pipeline_yaml, pipelines/examples
# and tests/pipelines/fixtures (all read only); what the run finds new is
# kept in DIR/fuzz/corpus/TARGET for the next run. A crash, leak or hang
# (an input over 10 s) fails the run and leaves the input in
# DIR/fuzz/artifacts/; reproduce with: DIR/fuzz/fuzz_TARGET FILE.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build-asan
if [ "${1:-}" = "--build-dir" ]; then build=$2; shift 2; fi
if [ $# -ne 2 ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
target=$1 seconds=$2
binary=$build/fuzz/fuzz_$target
[ -x "$binary" ] || { echo "fuzz.sh: $binary not built (ninja -C $build fuzz_targets)" >&2; exit 2; }

work=$build/fuzz/corpus/$target
artifacts=$build/fuzz/artifacts
mkdir -p "$work" "$artifacts"
# Seeds kept elsewhere in the repository are read in place rather than copied
# into fuzz/corpus (they would drift apart): the shipped example pipelines and
# the loader's test fixtures.
seeds=()
[ -d "fuzz/corpus/$target" ] && seeds+=("fuzz/corpus/$target")
[ "$target" = pipeline_yaml ] && seeds+=(pipelines/examples tests/pipelines/fixtures)
dict=()
case $target in
  sql_translate | rest_body) dict=(-dict=fuzz/sql.dict) ;;
  pipeline_yaml) dict=(-dict=fuzz/yaml.dict) ;;
  json_record | kcat_line) dict=(-dict=fuzz/json.dict) ;;
esac

# The caller's ASAN_OPTIONS (scripts/test.sh turns leak detection off for the
# unit tests) do not apply: a fuzz target must not leak.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# -close_fd_mask=2: the targets' own stderr (warnings) is noise during the
# run; libFuzzer and the sanitizers report on a copy of it. But a failed
# property (fuzz/fuzz_check.hpp) is written to that stderr too, so on a
# failure each new artifact is run once more without the mask and its output
# shown: what failed, not only that it did.
marker=$(mktemp)
trap 'rm -f "$marker"' EXIT
status=0
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -print_final_stats=1 -close_fd_mask=2 "${dict[@]}" -artifact_prefix="$artifacts/$target-" \
  "$work" "${seeds[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  while IFS= read -r artifact; do
    echo "fuzz.sh: $target failed on $artifact; it runs again without -close_fd_mask:" >&2
    "$binary" -timeout=10 -rss_limit_mb=2048 "$artifact" 2>&1 | grep -v '^INFO: ' | tail -n 80 >&2 || true
    echo "fuzz.sh: reproduce with: $binary $artifact" >&2
  done < <(find "$artifacts" -maxdepth 1 -type f -name "$target-*" -newer "$marker")
fi
exit "$status"
