#!/usr/bin/env bash
# The Kubernetes files as `kubectl apply -k` sees them: both kustomizations
# render with plain `kubectl kustomize`, every object passes the Kubernetes
# schemas (check_manifests.mjs), the pipelines ConfigMap holds the examples
# and each of its pipelines passes `ananas validate`.
#   tests/deploy/kubernetes_test.sh ANANAS_BINARY      (exit 77: tools missing, skipped)
set -euo pipefail
ananas=$1
cd "$(dirname "$0")/../.."
here=tests/deploy
if ! command -v kubectl >/dev/null || ! command -v node >/dev/null || [ ! -d $here/node_modules ]; then
  echo "kubernetes_test: needs kubectl (with kustomize), node and $here/node_modules (scripts/install-deps.sh): skipped"
  exit 77
fi
out=$(mktemp -d /tmp/ananas-kubernetes-test.XXXXXX)
trap 'rm -rf "$out"' EXIT

timeout 60 kubectl kustomize config/kubernetes > "$out/base.yaml"
timeout 60 kubectl kustomize config/kubernetes-prometheus-operator > "$out/operator.yaml"
timeout 60 node $here/check_manifests.mjs "$out/base.yaml" "$out/base"
timeout 60 node $here/check_manifests.mjs "$out/operator.yaml" "$out/operator"
for kind in Deployment Service ConfigMap PodDisruptionBudget; do
  grep -q "^kind: $kind\$" "$out/base.yaml" || { echo "kubernetes_test: no $kind in config/kubernetes"; exit 1; }
done
grep -q '^kind: ServiceMonitor$' "$out/operator.yaml" || { echo "kubernetes_test: no ServiceMonitor"; exit 1; }

# The shipped pipelines are the examples (copies, as kustomize loads nothing
# from outside its folder).
for f in config/kubernetes/pipelines/*.yaml; do
  cmp -s "$f" "pipelines/examples/$(basename "$f")" ||
    { echo "kubernetes_test: $f differs from pipelines/examples/$(basename "$f"): copy it over"; exit 1; }
done
n=$(ls "$out/base/pipelines" | wc -l)
[ "$n" -ge 4 ] || { echo "kubernetes_test: the pipelines ConfigMap holds $n files"; exit 1; }
timeout 60 "$ananas" validate "$out"/base/pipelines/*
echo "kubernetes_test: ok ($n pipelines in the ConfigMap)"
