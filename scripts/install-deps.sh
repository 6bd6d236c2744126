#!/usr/bin/env bash
# Installs every Debian 12 package Ananas needs to build, test and run its demo.
# Idempotent; run as root (CI does) or through sudo.
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config ninja-build git
  # LLVM's linker: links the binary and the test suites ~3x faster than ld.bfd
  lld
  libcaf-dev librdkafka-dev libyaml-cpp-dev nlohmann-json3-dev catch2
  prometheus-cpp-dev libsimdjson-dev libcpp-httplib-dev
)
packages=(
  "${build_packages[@]}"
  # test-only: an independent Kafka client, HTTP client and a real Prometheus server
  kcat curl prometheus python3
  # test-only: a real terminal for `ananas top` (tests/e2e/top_test.cpp)
  tmux
  # test-only: the sanitizer build (scripts/test.sh --sanitize) is clang, with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # test-only: the container image built and run (tests/deploy/image_test.sh)
  podman runc debootstrap
)
# --build: only what compiling the `ananas` binary needs (the Dockerfile's build stage).
if [ "${1:-}" = "--build" ]; then
  packages=("${build_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node + npm for the deployment checks (tests/deploy/package.json); a
# machine's own Node.js (with npm) is used when present.
if [ "${1:-}" != "--build" ] && ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  echo "install-deps: installed ${missing[*]}"
fi

# The deployment checks' npm packages, pinned by tests/deploy/package-lock.json.
# kubectl (with kustomize 5) is not in Debian 12 (its kubernetes-client is
# 1.20): tests/deploy/kubernetes_test.sh skips without it.
if [ "${1:-}" != "--build" ]; then
  deploy="$(dirname "$0")/../tests/deploy"
  if ! cmp -s "$deploy/package-lock.json" "$deploy/node_modules/.installed-lock.json" 2>/dev/null; then
    (cd "$deploy" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json)
  fi
  command -v kubectl >/dev/null 2>&1 || echo "install-deps: no kubectl on this machine: the Kubernetes manifest test will be skipped"
fi
