#!/usr/bin/env bash
# Installs dependencies, builds Ananas and runs the whole test suite.
#   scripts/test.sh              # release build in build/, all tests
#   scripts/test.sh --sanitize   # ASan+UBSan build (clang) in build-asan/, unit tests,
#                                # then each libFuzzer target of fuzz/ for a short time
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=0
[ "${1:-}" = "--sanitize" ] && sanitize=1

bash scripts/install-deps.sh
jobs=$(nproc)
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON

if [ $sanitize -eq 1 ]; then
  dir=build-asan
  # clang, so that the same build also gives the fuzz targets (libFuzzer):
  # one sanitizer build instead of two.
  cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Debug -DANANAS_SANITIZE=ON -DANANAS_FUZZ=ON \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DANANAS_WERROR=$werror
  # Unit tests only: the end-to-end, actor and deploy tests drive whole
  # processes (or a container image) and
  # are run by the release build, so their binaries (and the benchmarks) are
  # not built here; ctest lists them as *_NOT_BUILT, which -E skips.
  cmake --build $dir -j "$jobs" --target ananas unit_tests fuzz_targets
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
  ctest --test-dir $dir --output-on-failure -j "$jobs" -LE 'e2e|actors|fuzz|deploy|docs' -E '_NOT_BUILT'
  # Each fuzz target for ANANAS_FUZZ_SECONDS (25 s), two at a time
  # (scripts/fuzz.sh; a longer run: scripts/fuzz.sh TARGET SECONDS).
  ctest --test-dir $dir --output-on-failure -j 2 -L fuzz
else
  dir=build
  # Line tables only (-g1): backtraces and perf still name file:line, and the
  # build takes ~30% less time than with full -g (variables, types).
  cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DANANAS_WERROR=$werror \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
  cmake --build $dir -j "$jobs"
  ctest --test-dir $dir --output-on-failure -j "$jobs"
fi
