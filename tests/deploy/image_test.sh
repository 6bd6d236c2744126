#!/usr/bin/env bash
# The container image, built with podman (tests/deploy/containers.conf) from
# the repository's Dockerfile (its `prebuilt` target: the runtime stage plus
# the binary CI built) and run the way config/kubernetes's Deployment runs
# it: its args, user, read-only root, CPU and memory limits, the rendered
# ConfigMaps mounted read-only. A broker and a generator run on loopback (the
# container shares the host's network, as a pod shares its own). Checks:
# /healthz and /readyz answer, anomalies reach the output topic, and
# `podman stop` (SIGTERM) drains to exit code 0.
#   tests/deploy/image_test.sh ANANAS_BINARY      (exit 77: tools missing, skipped)
set -euo pipefail
ananas=$(readlink -f "$1")
cd "$(dirname "$0")/../.."
here=$PWD/tests/deploy
for tool in podman debootstrap kubectl node kcat curl objcopy; do
  command -v $tool >/dev/null || { echo "image_test: needs $tool (scripts/install-deps.sh): skipped"; exit 77; }
done
[ -d "$here/node_modules" ] || { echo "image_test: needs $here/node_modules (scripts/install-deps.sh): skipped"; exit 77; }
export CONTAINERS_CONF=$here/containers.conf

out=$(mktemp -d /tmp/ananas-image-test.XXXXXX)
container=ananas-image-test-$$
pids=()
cleanup() {
  podman rm -f -t 0 "$container" >/dev/null 2>&1 || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$out"
}
trap cleanup EXIT
step() { echo "image_test: $* ($(( SECONDS ))s)"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

timeout 600 bash "$here/debian_base_image.sh"
step "base image ready"

# Context: the Dockerfile and the binary (debug info stripped), nothing else.
mkdir "$out/context"
cp Dockerfile "$out/context/"
objcopy --strip-debug "$ananas" "$out/context/ananas"
timeout 600 podman build -q --isolation chroot --network host --pull=never --target prebuilt \
  -t localhost/ananas:ci "$out/context" >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
step "image built"

timeout 60 kubectl kustomize config/kubernetes >"$out/rendered.yaml"
timeout 60 node "$here/check_manifests.mjs" "$out/rendered.yaml" "$out/pod" >/dev/null

broker_port=$(free_port)
http_port=$(free_port)
bootstrap=127.0.0.1:$broker_port
"$ananas" broker --port "$broker_port" --partitions 3 --topics pizzas >"$out/broker.log" 2>&1 &
pids+=($!)
"$ananas" generate --bootstrap-servers "$bootstrap" --topic pizzas --rate 200 >"$out/generate.log" 2>&1 &
pids+=($!)

mapfile -t run_args < <(node "$here/podman_run_args.mjs" "$out/pod" localhost/ananas:ci \
  ANANAS_BOOTSTRAP_SERVERS="$bootstrap" ANANAS_WORKER_ID=ananas-image-test ANANAS_HTTP_PORT="$http_port")
podman run -d --name "$container" --network host "${run_args[@]}" >/dev/null
step "worker container started: ${run_args[*]}"

fail() {
  echo "image_test: $*"
  echo "--- worker log"; podman logs "$container" 2>&1 | tail -n 40
  echo "--- broker log"; tail -n 10 "$out/broker.log"
  exit 1
}
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(podman inspect --format '{{.State.Running}}' "$container")" = true ] || fail "the worker exited while waiting for $what"
    [ $SECONDS -lt $deadline ] || fail "no $what within the time bound"
    sleep 0.5
  done
}
wait_for 60 "/healthz" curl -sf "http://127.0.0.1:$http_port/healthz"
wait_for 60 "/readyz" curl -sf "http://127.0.0.1:$http_port/readyz"
step "probes answer"
timeout 90 kcat -b "$bootstrap" -C -t pizza_stream_out_filter -o beginning -c 1 >"$out/anomaly.json" 2>"$out/kcat.err" ||
  fail "no anomaly on pizza_stream_out_filter: $(cat "$out/kcat.err")"
step "anomalies flow: $(head -c 120 "$out/anomaly.json")"

podman stop -t 30 "$container" >/dev/null
code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
[ "$code" = 0 ] || fail "podman stop: the worker exited with $code, not 0 after draining"
# Read the whole log first: `grep -q` stops at the first match and, under
# pipefail, the SIGPIPE it leaves `podman logs` would fail the check.
worker_log=$(podman logs "$container" 2>&1)
grep -q "draining" <<< "$worker_log" || fail "no drain in the worker's log"
step "podman stop drained, exit 0"
echo "image_test: ok"
