// The `podman run` options that run a container as the Deployment's pod
// runs it, from the container.json check_manifests.mjs wrote: its user,
// read-only root, CPU and memory limits, ConfigMap folders mounted read-only,
// environment, then the image and its args; one per line.
//   node podman_run_args.mjs OUT_DIR IMAGE NAME=VALUE...   (env values to set instead)
import { readFileSync } from "node:fs";
import path from "node:path";

const [outDir, image, ...overrides] = process.argv.slice(2);
const c = JSON.parse(readFileSync(path.join(outDir, "container.json"), "utf8"));
const set = Object.fromEntries(overrides.map((o) => [o.slice(0, o.indexOf("=")), o.slice(o.indexOf("=") + 1)]));
const args = [];
const user = c.securityContext?.runAsUser ?? c.podSecurityContext?.runAsUser;
if (user === undefined) throw new Error("the container names no runAsUser");
args.push("--user", String(user));
if (c.securityContext?.readOnlyRootFilesystem) args.push("--read-only");
const limits = c.resources?.limits ?? {};
// Kubernetes quantities -> podman's: 1Gi -> 1g, 256Mi -> 256m, 500m CPU -> 0.5.
if (limits.memory) args.push("--memory", limits.memory.replace(/^(\d+)([GMK])i$/, (_, n, u) => n + u.toLowerCase()));
if (limits.cpu) args.push("--cpus", String(limits.cpu).endsWith("m") ? String(parseInt(limits.cpu) / 1000) : String(limits.cpu));
for (const m of c.volumeMounts ?? [])
  args.push("-v", `${path.join(outDir, path.basename(m.mountPath))}:${m.mountPath}${m.readOnly ? ":ro" : ""}`);
for (const e of c.env ?? []) {
  if (e.name in set) continue;
  if (e.value !== undefined) args.push("-e", `${e.name}=${e.value}`);
  else if (!e.valueFrom?.secretKeyRef?.optional) throw new Error(`env ${e.name}: set it on the command line`);
}
for (const [k, v] of Object.entries(set)) args.push("-e", `${k}=${v}`);
args.push(image, ...(c.command ?? []), ...(c.args ?? []));
console.log(args.join("\n"));
