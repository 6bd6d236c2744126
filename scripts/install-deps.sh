#!/usr/bin/env bash
# Installs every Debian 12 package Ananas needs to build, test and run its demo.
# Idempotent; run as root (CI does) or through sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build git
  libcaf-dev librdkafka-dev libyaml-cpp-dev nlohmann-json3-dev catch2
  prometheus-cpp-dev libsimdjson-dev libcpp-httplib-dev
  # the sanitizer build (scripts/test.sh --sanitize): clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # test-only: an independent Kafka client, HTTP client and a real Prometheus server
  kcat curl prometheus python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
