// Checks `kubectl kustomize` output against the Kubernetes schemas, offline:
// each object's values and required fields with kubernetes-models' validators,
// then (tsc) unknown or misspelled fields against the same package's types.
// Writes what the image test needs to run the worker as the Deployment does:
// the ConfigMaps' files and the worker container's spec.
//   node check_manifests.mjs RENDERED.yaml OUT_DIR
// OUT_DIR/pipelines/*, OUT_DIR/config/*: the ConfigMaps' data, one file per key
// OUT_DIR/container.json: the Deployment's worker container (args, env, limits...)
import { readFileSync, writeFileSync, mkdirSync, symlinkSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { parseAllDocuments } from "yaml";

const [rendered, outDir] = process.argv.slice(2);
const here = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(import.meta.url);

// apiVersion "apps/v1" + kind -> the module of its model.
function modelModule(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

const objects = parseAllDocuments(readFileSync(rendered, "utf8")).map((d) => {
  if (d.errors.length) throw new Error(`${rendered}: ${d.errors[0].message}`);
  return d.toJS();
});
let failed = 0;
const typed = [];
objects.forEach((o, i) => {
  const where = `${o.kind}/${o.metadata?.name}`;
  const mod = modelModule(o.apiVersion, o.kind);
  let Model;
  try {
    Model = require(mod)[o.kind];
  } catch {
    console.error(`${where}: no schema for ${o.apiVersion} ${o.kind}`);
    failed++;
    return;
  }
  try {
    new Model(o).validate();
  } catch (e) {
    console.error(`${where}: ${e.message}`);
    failed++;
  }
  typed.push(`import type { I${o.kind} as T${i} } from "${mod}";\nexport const o${i}: T${i} = ${JSON.stringify(o, null, 1)};`);
});

// Object literals typed with the package's interfaces: tsc rejects fields the
// schema does not have (e.g. a misspelled imagePullPolicy).
mkdirSync(outDir, { recursive: true });
const tsFile = path.join(outDir, "manifests.ts");
// tsc resolves the imports from the file's folder.
try { symlinkSync(path.join(here, "node_modules"), path.join(outDir, "node_modules")); } catch (e) { if (e.code !== "EEXIST") throw e; }
writeFileSync(tsFile, typed.join("\n") + "\n");
try {
  execFileSync(path.join(here, "node_modules/.bin/tsc"),
    ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", tsFile],
    { stdio: "inherit" });
} catch {
  console.error(`${tsFile}: fields the Kubernetes types do not have (tsc above)`);
  failed++;
}

// What the image test mounts and runs.
const byKind = (kind) => objects.filter((o) => o.kind === kind);
const deployment = byKind("Deployment")[0];
const pod = deployment.spec.template.spec;
const container = pod.containers.find((c) => c.name === "ananas");
for (const volume of pod.volumes ?? []) {
  if (!volume.configMap) continue;
  const mount = container.volumeMounts.find((m) => m.name === volume.name);
  const cm = byKind("ConfigMap").find((c) => c.metadata.name === volume.configMap.name);
  if (!cm) {
    console.error(`Deployment: volume '${volume.name}' names ConfigMap '${volume.configMap.name}', which is not rendered`);
    failed++;
    continue;
  }
  const dir = path.join(outDir, path.basename(mount.mountPath));
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(cm.data ?? {})) writeFileSync(path.join(dir, file), text);
}
writeFileSync(path.join(outDir, "container.json"),
  JSON.stringify({ ...container, podSecurityContext: pod.securityContext }, null, 1) + "\n");
console.log(`${objects.length} objects checked: ${objects.map((o) => o.kind).join(", ")}`);
process.exit(failed ? 1 : 0);
