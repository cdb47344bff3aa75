// validate.mjs — checks Kubernetes manifests with a real schema validator: each document is built as
// its kubernetes-models class (chosen by apiVersion and kind) and `.validate()`d against the
// Kubernetes OpenAPI schema (ajv). Then Brigade's own rules for deploy/kubernetes, which no schema
// knows: the ConfigMap's brigade.yaml uses only serve's keys, the probes hit /healthz and /readyz on
// the config's port, the grace period outlasts preStop + drain-delay + shutdown-timeout, the image
// tag is the project's version, the pod runs as non-root on a read-only root file system.
//
//   node validate.mjs [FILE.yaml ...]   validate (default: ../kubernetes/*.yaml); exit 1 on any error
//   node validate.mjs --self-test       the real manifests must pass, and every testdata/broken-*.yaml
//                                       must fail with the error its "# expect:" line names
// Needs `npm ci` (or `npm install`) in this directory first; Node 14 or newer.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const manifestsDir = join(repo, "deploy", "kubernetes");

// serve's long options that the config file may use (the contract of issue 10), plus hosts.
const CONFIG_KEYS = new Set(["port", "bind", "root", "bridge", "gzip", "access-log", "shutdown-timeout",
  "drain-delay", "health", "status", "metrics", "loops", "index", "listing", "show-hidden", "cache-size",
  "cache-max-file", "cache-control", "mime", "no-precompressed", "follow-symlinks-outside", "hosts"]);

/** The project's version: the <version> after brigade-parent's artifactId in the root pom. */
function projectVersion() {
  const pom = readFileSync(join(repo, "pom.xml"), "utf8");
  const m = pom.match(/<artifactId>brigade-parent<\/artifactId>\s*<version>([^<]+)<\/version>/);
  if (!m) throw new Error("pom.xml: no version for brigade-parent");
  return m[1];
}

/** kubernetes-models/apps/v1 for apiVersion apps/v1, kubernetes-models/v1 for v1. */
async function modelClass(apiVersion, kind) {
  let mod;
  try {
    mod = await import(`kubernetes-models/${apiVersion}`);
  } catch (e) {
    throw new Error(`unknown apiVersion ${apiVersion}`);
  }
  if (typeof mod[kind] !== "function") throw new Error(`unknown kind ${kind} in ${apiVersion}`);
  return mod[kind];
}

/** Every error of a file, as strings; an empty list means it passed. */
async function check(file) {
  const errors = [];
  const docs = [];
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      errors.push(...doc.errors.map((e) => `YAML: ${e.message}`));
      continue;
    }
    const obj = doc.toJS();
    if (obj == null) continue;
    docs.push(obj);
    const where = `${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
    if (!obj.apiVersion || !obj.kind) {
      errors.push(`${where}: apiVersion and kind are required`);
      continue;
    }
    try {
      const Model = await modelClass(obj.apiVersion, obj.kind);
      new Model(obj).validate();
    } catch (e) {
      const detail = e.errors ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}`).join("; ") : e.message;
      errors.push(`${where}: schema: ${detail}`);
    }
  }
  return { errors, docs };
}

/** Brigade's rules across the whole set of manifests. */
function brigadeRules(docs) {
  const errors = [];
  const deployment = docs.find((d) => d.kind === "Deployment");
  const configMap = docs.find((d) => d.kind === "ConfigMap");
  if (!deployment || !configMap) return ["expected a Deployment and a ConfigMap"];
  let config;
  try {
    config = parse(configMap.data?.["brigade.yaml"] ?? "");
  } catch (e) {
    return [`ConfigMap brigade.yaml: ${e.message}`];
  }
  if (config === null || typeof config !== "object") return ["ConfigMap: no brigade.yaml mapping"];
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.has(key)) errors.push(`ConfigMap brigade.yaml: unknown key ${key}`);
  }
  if (config.health !== true) errors.push("ConfigMap brigade.yaml: health must be true (the probes need it)");
  const pod = deployment.spec?.template?.spec ?? {};
  const c = (pod.containers ?? []).find((x) => x.name === "brigade");
  if (!c) return [...errors, "Deployment: no container named brigade"];
  if (c.image !== `brigade:${projectVersion()}`) errors.push(`Deployment: image ${c.image} is not brigade:${projectVersion()}`);
  const port = (c.ports ?? []).find((p) => p.name === "http");
  if (!port || port.containerPort !== (config.port ?? 8080)) errors.push("Deployment: port http must be the config's port");
  for (const [probe, path] of [["livenessProbe", "/healthz"], ["readinessProbe", "/readyz"]]) {
    const g = c[probe]?.httpGet;
    if (!g || g.path !== path || (g.port !== "http" && g.port !== port?.containerPort)) {
      errors.push(`Deployment: ${probe} must GET ${path} on port http`);
    }
  }
  const sleep = c.lifecycle?.preStop?.sleep?.seconds;
  if (!Number.isInteger(sleep)) errors.push("Deployment: preStop must be the kubelet's sleep action (no shell in the image)");
  const needed = (sleep ?? 0) + (config["drain-delay"] ?? 0) + (config["shutdown-timeout"] ?? 10);
  if (!(pod.terminationGracePeriodSeconds > needed)) {
    errors.push(`Deployment: terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} must exceed preStop + drain-delay + shutdown-timeout = ${needed}`);
  }
  const runAsNonRoot = c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
  if (runAsNonRoot !== true) errors.push("Deployment: runAsNonRoot must be true");
  if (c.securityContext?.readOnlyRootFilesystem !== true) errors.push("Deployment: readOnlyRootFilesystem must be true");
  const mount = (c.volumeMounts ?? []).find((m) => m.mountPath === "/etc/brigade");
  const volume = (pod.volumes ?? []).find((v) => v.name === mount?.name);
  if (volume?.configMap?.name !== configMap.metadata?.name) errors.push("Deployment: the ConfigMap must be mounted at /etc/brigade");
  return errors;
}

async function validate(files) {
  const all = [];
  const docs = [];
  for (const f of files) {
    const r = await check(f);
    all.push(...r.errors.map((e) => `${basename(f)}: ${e}`));
    docs.push(...r.docs);
  }
  return { errors: all, docs };
}

const yamlFiles = (dir, prefix = "") => readdirSync(dir)
  .filter((n) => n.endsWith(".yaml") && n.startsWith(prefix)).sort().map((n) => join(dir, n));

async function main(args) {
  if (args[0] === "--self-test") {
    let failed = 0;
    const good = await validate(yamlFiles(manifestsDir));
    const goodErrors = [...good.errors, ...brigadeRules(good.docs)];
    goodErrors.forEach((e) => console.log(`FAIL deploy/kubernetes: ${e}`));
    if (goodErrors.length) failed++;
    else console.log(`ok   deploy/kubernetes (${good.docs.length} manifests) passes`);
    const broken = yamlFiles(join(here, "testdata"), "broken-");
    for (const f of broken) {
      const expect = readFileSync(f, "utf8").match(/^# expect: (.+)$/m)?.[1];
      const r = await validate([f]);
      const errors = r.errors.length ? r.errors : brigadeRules([...good.docs.filter((d) => !r.docs.some((b) => b.kind === d.kind)), ...r.docs]);
      if (errors.length && expect && errors.some((e) => e.includes(expect))) {
        console.log(`ok   ${basename(f)} is rejected: ${errors[0]}`);
      } else {
        failed++;
        console.log(`FAIL ${basename(f)} should be rejected with "${expect}", got: ${errors.join("; ") || "no error"}`);
      }
    }
    console.log(`${broken.length + 1 - failed} passed, ${failed} failed`);
    return failed ? 1 : 0;
  }
  const files = args.length ? args : yamlFiles(manifestsDir);
  const r = await validate(files);
  const errors = [...r.errors, ...(args.length ? [] : brigadeRules(r.docs))];
  errors.forEach((e) => console.error(e));
  console.log(errors.length ? `${errors.length} error(s)` : `${files.length} file(s), ${r.docs.length} manifest(s): valid`);
  return errors.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
