#!/usr/bin/env bash
# Installs dependencies, builds Ananas and runs `ananas demo`: an embedded
# Kafka-protocol broker, the pizza generator and the tutorial's pipelines.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$(nproc)"
exec build/ananas demo "$@"
