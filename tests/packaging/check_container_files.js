// Checks the files that deploy agenthost in containers, which cannot be
// built or applied here:
//   Dockerfile          parsed by checkDockerfile below (instructions, stages,
//                       non-root user, HEALTHCHECK on /ready, COPY sources),
//                       each RUN through shellcheck
//   docker-compose.yml  parsed as YAML and validated against the Compose
//                       Specification's JSON Schema (compose-spec.json beside
//                       this file), then checked for the PostgreSQL wiring
//   deploy/kubernetes/  every object validated against the official
//                       Kubernetes OpenAPI schemas (kubernetes_agent's
//                       validate_kubernetes_objects.js), then checked for probes,
//                       selectors and Secret references
// Each check is also run on broken copies that it must refuse.
//
//   node check_container_files.js SOURCE_DIR NODE_MODULES_DIR
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync, spawnSync } = require("child_process");

const [sourceDir, modules] = process.argv.slice(2).map((p) => path.resolve(p));
// yaml, ajv and ajv-formats are in tools/npm's lock file (through
// kubernetes-models and @redocly/cli), so npm ci installs these versions.
const YAML = require(path.join(modules, "yaml"));
const Ajv = require(path.join(modules, "ajv"));
const addFormats = require(path.join(modules, "ajv-formats"));

let passed = 0;
let failed = 0;
function check(name, problems) {
  if (problems.length === 0) {
    passed++;
    console.log(`ok: ${name}`);
  } else {
    failed++;
    console.log(`FAIL: ${name}`);
    for (const problem of problems) console.log(`  ${problem}`);
  }
}
// A broken copy must be refused, and for the expected reason.
function refuses(name, problems, expected) {
  const hit = problems.some((p) => p.includes(expected));
  check(`refuses ${name}`, hit ? [] : [`expected a problem containing '${expected}', got: ${JSON.stringify(problems)}`]);
}

// --- Dockerfile -------------------------------------------------------------

const KNOWN = new Set(["FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
                       "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER"]);

// Dockerfile syntax: comments, `\` continuations (comment lines inside a
// continued instruction are dropped, as BuildKit does), INSTRUCTION args.
function parseDockerfile(text) {
  const instructions = [];
  const lines = text.split("\n");
  let current = null;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, "");
    if (current === null) {
      if (/^\s*(#.*)?$/.test(line)) return;
      current = { line: index + 1, text: "" };
    } else if (/^\s*#/.test(line)) {
      return;
    }
    if (/\\\s*$/.test(line)) {
      // The escape and the newline go; the next line's text follows on.
      current.text += line.replace(/\\\s*$/, "");
    } else {
      current.text += line;
      instructions.push(current);
      current = null;
    }
  });
  if (current !== null) instructions.push(current);
  return instructions.map(({ line, text }) => {
    const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(text);
    return { line, keyword: match[1].toUpperCase(), args: match[2].trim(), raw: match[1] };
  });
}

// Flags like --from=build or --interval=10s before an instruction's arguments.
function splitFlags(args) {
  const flags = {};
  let rest = args;
  for (;;) {
    const match = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest);
    if (!match) break;
    flags[match[1]] = match[2] === undefined ? true : match[2];
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

function execForm(args) {
  if (!args.startsWith("[")) return null;
  try {
    const array = JSON.parse(args);
    return Array.isArray(array) && array.every((a) => typeof a === "string") ? array : null;
  } catch (error) {
    return null;
  }
}

function shellcheckRun(command) {
  const file = path.join(os.tmpdir(), `dockerfile-run-${process.pid}.sh`);
  fs.writeFileSync(file, `#!/bin/sh\n${command}\n`);
  const result = spawnSync("shellcheck", ["-s", "sh", "-f", "gcc", file], { encoding: "utf8" });
  fs.unlinkSync(file);
  if (result.error) return [`shellcheck could not run: ${result.error.message}`];
  return result.status === 0 ? [] : result.stdout.trim().split("\n").map((l) => l.replace(file, "RUN"));
}

function checkDockerfile(text, contextDir) {
  const problems = [];
  const instructions = parseDockerfile(text);
  const stages = [];
  for (const ins of instructions) {
    const where = `line ${ins.line}`;
    if (!KNOWN.has(ins.keyword)) {
      problems.push(`${where}: unknown instruction ${ins.raw}`);
      continue;
    }
    if (ins.raw !== ins.keyword) problems.push(`${where}: write ${ins.keyword} in capitals`);
    if (ins.keyword === "FROM") {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!match) {
        problems.push(`${where}: FROM '${ins.args}' is not 'image [AS name]'`);
        continue;
      }
      if (match[1] !== "debian:bookworm-slim") problems.push(`${where}: stage on ${match[1]}, not debian:bookworm-slim`);
      stages.push({ name: match[2] || null, instructions: [] });
      continue;
    }
    if (ins.keyword !== "ARG" && stages.length === 0) {
      problems.push(`${where}: ${ins.keyword} before any FROM`);
      continue;
    }
    if (stages.length) stages[stages.length - 1].instructions.push(ins);
    if (ins.keyword === "COPY" || ins.keyword === "ADD") {
      const { flags, rest } = splitFlags(ins.args);
      const parts = execForm(rest) || rest.split(/\s+/);
      if (parts.length < 2) problems.push(`${where}: ${ins.keyword} needs a source and a destination`);
      if (flags.from !== undefined) {
        const earlier = stages.slice(0, -1).map((s) => s.name);
        if (!earlier.includes(flags.from)) problems.push(`${where}: COPY --from=${flags.from} names no earlier stage`);
      } else {
        for (const source of parts.slice(0, -1)) {
          if (source === ".") continue;
          if (!fs.existsSync(path.join(contextDir, source))) problems.push(`${where}: ${source} is not in the build context`);
        }
      }
    }
    if (ins.keyword === "RUN") {
      const { rest } = splitFlags(ins.args);
      if (execForm(rest) === null) for (const p of shellcheckRun(rest)) problems.push(`${where}: ${p}`);
    }
    if ((ins.keyword === "CMD" || ins.keyword === "ENTRYPOINT") && execForm(ins.args) === null)
      problems.push(`${where}: ${ins.keyword} not in exec form (a JSON array), so signals would reach a shell`);
  }
  if (stages.length < 2) problems.push(`${stages.length} stage(s): the build and the runtime must be separate stages`);
  if (stages.length === 0) return problems;
  const final = stages[stages.length - 1].instructions;
  const last = (keyword) => final.filter((i) => i.keyword === keyword).pop();
  const user = last("USER");
  if (!user) problems.push("the final stage sets no USER: it would run as root");
  else if (/^(root|0)(:|$)/.test(user.args)) problems.push(`the final stage runs as ${user.args}`);
  const healthcheck = last("HEALTHCHECK");
  const expose = last("EXPOSE");
  const port = expose ? expose.args.split("/")[0] : null;
  if (!expose) problems.push("the final stage EXPOSEs no port");
  if (!healthcheck) {
    problems.push("the final stage has no HEALTHCHECK");
  } else {
    const { rest } = splitFlags(healthcheck.args);
    const match = /^CMD\s+([\s\S]+)$/.exec(rest);
    const command = match ? execForm(match[1]) : null;
    if (!command) problems.push("HEALTHCHECK is not CMD [exec form]");
    else if (!command.some((a) => new RegExp(`^https?://(127\\.0\\.0\\.1|localhost):${port}/ready$`).test(a)))
      problems.push(`HEALTHCHECK does not ask /ready on the EXPOSEd port ${port}`);
  }
  if (!last("ENTRYPOINT") && !last("CMD")) problems.push("the final stage has no ENTRYPOINT or CMD");
  return problems;
}

const dockerfile = fs.readFileSync(path.join(sourceDir, "Dockerfile"), "utf8");
check("Dockerfile", checkDockerfile(dockerfile, sourceDir));
refuses("a Dockerfile whose final stage runs as root", checkDockerfile(dockerfile.replace(/^USER .*$/m, "USER root"), sourceDir), "runs as root");
refuses("a Dockerfile without USER", checkDockerfile(dockerfile.replace(/^USER .*$/m, ""), sourceDir), "no USER");
refuses("a Dockerfile without HEALTHCHECK",
        checkDockerfile(dockerfile.replace(/^HEALTHCHECK[\s\S]*?\]\n/m, ""), sourceDir), "no HEALTHCHECK");
refuses("a HEALTHCHECK on /health", checkDockerfile(dockerfile.replace(/:8000\/ready/, ":8000/health"), sourceDir), "/ready");
refuses("a stage on another image", checkDockerfile(dockerfile.replace(/^FROM debian:bookworm-slim AS runtime/m, "FROM ubuntu:24.04 AS runtime"), sourceDir), "not debian:bookworm-slim");
refuses("a single stage", checkDockerfile("FROM debian:bookworm-slim\nUSER 1000\nEXPOSE 8000\nHEALTHCHECK CMD [\"curl\", \"http://127.0.0.1:8000/ready\"]\nCMD [\"true\"]\n", sourceDir), "separate stages");
refuses("COPY --from an unknown stage", checkDockerfile(dockerfile.replace("--from=build", "--from=builder"), sourceDir), "names no earlier stage");
refuses("a RUN shellcheck refuses", checkDockerfile(dockerfile.replace("rm -rf /var/lib/apt/lists/*", "cd $HOME && rm -rf $UNQUOTED/*"), sourceDir), "SC2");
refuses("an unknown instruction", checkDockerfile(dockerfile.replace(/^EXPOSE/m, "EXPOZE"), sourceDir), "unknown instruction");
refuses("a COPY of a missing file", checkDockerfile(dockerfile.replace("COPY . .", "COPY no-such-dir/ ."), sourceDir), "not in the build context");

// --- docker-compose.yml -----------------------------------------------------

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const composeSchema = JSON.parse(fs.readFileSync(path.join(__dirname, "compose-spec.json"), "utf8"));
// The spec names its draft-07 metaschema by an https URL ajv does not know
// under that name; ajv's default metaschema is draft-07.
delete composeSchema.$schema;
const validateCompose = ajv.compile(composeSchema);

function checkCompose(text) {
  const problems = [];
  const documents = YAML.parseAllDocuments(text);
  if (documents.length !== 1) return [`${documents.length} YAML documents`];
  if (documents[0].errors.length) return documents[0].errors.map((e) => `YAML: ${e.message}`);
  const compose = documents[0].toJSON();
  if (!validateCompose(compose))
    for (const e of validateCompose.errors) problems.push(`schema: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  if (problems.length) return problems;
  const services = compose.services || {};
  const postgres = Object.entries(services).find(([, s]) => /^postgres(:|$)/.test(s.image || ""));
  const host = services.agenthost;
  if (!postgres) return ["no PostgreSQL service"];
  if (!host) return ["no agenthost service"];
  if (!host.build || (host.build.dockerfile || "Dockerfile") !== "Dockerfile") problems.push("agenthost is not built from the Dockerfile");
  const url = (host.environment || {}).AGENTHOST_DATABASE_URL || "";
  const urlHost = /^postgres(?:ql)?:\/\/[^@]*@([^:/]+)/.exec(url);
  if (!urlHost || urlHost[1] !== postgres[0]) problems.push(`AGENTHOST_DATABASE_URL does not point at the ${postgres[0]} service: ${url}`);
  const dependsOn = host.depends_on || {};
  const condition = Array.isArray(dependsOn) ? null : (dependsOn[postgres[0]] || {}).condition;
  if (condition !== "service_healthy") problems.push(`agenthost does not wait for ${postgres[0]} to be healthy`);
  if (!postgres[1].healthcheck) problems.push(`${postgres[0]} has no healthcheck for depends_on to wait on`);
  if ((host.environment || {}).AGENTHOST_AUTH_MODE !== "required") problems.push("agenthost listens beyond loopback without AGENTHOST_AUTH_MODE=required");
  // Named volumes used by services must be declared at the top level.
  for (const [name, service] of Object.entries(services))
    for (const volume of service.volumes || []) {
      const source = typeof volume === "string" ? volume.split(":")[0] : volume.source;
      if (source && !source.startsWith("/") && !source.startsWith(".") && !(compose.volumes && source in compose.volumes))
        problems.push(`${name}: volume ${source} is not declared`);
    }
  return problems;
}

const composeText = fs.readFileSync(path.join(sourceDir, "docker-compose.yml"), "utf8");
check("docker-compose.yml (Compose Specification schema)", checkCompose(composeText));
refuses("a misspelt top-level key", checkCompose(composeText.replace(/^services:/m, "servics:")), "schema");
refuses("a service key the spec lacks", checkCompose(composeText.replace("    restart: on-failure", "    restart_policy: on-failure")), "schema");
refuses("ports of the wrong type", checkCompose(composeText.replace('      - "8000:8000"', "      - {published: [8000]}")), "schema");
refuses("a database URL at another host", checkCompose(composeText.replace("@postgres:5432", "@localhost:5432")), "does not point");
refuses("an undeclared volume", checkCompose(composeText.replace(/^  agenthost-data:$/m, "")), "not declared");
refuses("broken YAML", checkCompose(composeText.replace("services:\n", "services:\n  - [\n")), "YAML");

// `docker compose config` as well, where the Compose plugin is installed.
const dockerCompose = spawnSync("docker", ["compose", "version"], { encoding: "utf8" });
if (!dockerCompose.error && dockerCompose.status === 0) {
  const result = spawnSync("docker", ["compose", "-f", path.join(sourceDir, "docker-compose.yml"), "config", "--quiet"], {
    encoding: "utf8",
    env: { ...process.env, POSTGRES_PASSWORD: "check", AGENTHOST_ADMIN_KEY: "k".repeat(32) },
  });
  check("docker compose config", result.status === 0 ? [] : [result.stderr.trim()]);
} else {
  console.log("note: docker compose is not installed here; the compose file was checked against the schema only");
}

// --- Kubernetes manifests ---------------------------------------------------

const deployDir = path.join(sourceDir, "deploy", "kubernetes");
function loadObjects(dir) {
  const objects = [];
  for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort())
    for (const document of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"))) {
      if (document.errors.length) throw new Error(`${file}: ${document.errors[0].message}`);
      const object = document.toJSON();
      if (object) objects.push(object);
    }
  return objects;
}

function officialProblems(objects) {
  const file = path.join(os.tmpdir(), `agenthost-deploy-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(objects));
  const validator = path.join(sourceDir, "plugins", "devkit", "testing", "validate_kubernetes_objects.js");
  const result = spawnSync("node", [validator, file, modules], { encoding: "utf8" });
  fs.unlinkSync(file);
  if (result.status === 0) return [];
  return (result.stdout + result.stderr).trim().split("\n").map((l) => `official schema: ${l}`);
}

function matches(selector, labels) {
  return Object.entries(selector || {}).every(([k, v]) => (labels || {})[k] === v);
}

function checkKubernetes(objects, exampleConfig) {
  const problems = officialProblems(objects);
  const find = (kind) => objects.filter((o) => o.kind === kind);
  const [deployment] = find("Deployment");
  const [service] = find("Service");
  const [pdb] = find("PodDisruptionBudget");
  const [configMap] = find("ConfigMap");
  if (!deployment || !service || !pdb || !configMap) return problems.concat(["needs a Deployment, a Service, a PodDisruptionBudget and a ConfigMap"]);
  const podLabels = deployment.spec.template.metadata.labels;
  if (!matches(deployment.spec.selector.matchLabels, podLabels)) problems.push("the Deployment's selector misses its pods");
  if (!matches(service.spec.selector, podLabels)) problems.push("the Service's selector misses the pods");
  if (!matches(pdb.spec.selector.matchLabels, podLabels)) problems.push("the PodDisruptionBudget's selector misses the pods");
  if (pdb.spec.minAvailable !== undefined && pdb.spec.minAvailable >= deployment.spec.replicas)
    problems.push("the PodDisruptionBudget allows no voluntary disruption");
  const pod = deployment.spec.template.spec;
  const container = pod.containers.find((c) => c.name === "agenthost");
  if (!container) return problems.concat(["no agenthost container"]);
  const portNames = (container.ports || []).map((p) => p.name);
  const probe = (p, pathWanted, name) => {
    if (!p || !p.httpGet) return problems.push(`no ${name} probe`);
    if (p.httpGet.path !== pathWanted) problems.push(`the ${name} probe asks ${p.httpGet.path}, not ${pathWanted}`);
    if (typeof p.httpGet.port === "string" && !portNames.includes(p.httpGet.port)) problems.push(`the ${name} probe's port ${p.httpGet.port} is no container port`);
  };
  probe(container.livenessProbe, "/health", "liveness");
  probe(container.readinessProbe, "/ready", "readiness");
  if (typeof service.spec.ports[0].targetPort === "string" && !portNames.includes(service.spec.ports[0].targetPort))
    problems.push("the Service targets no container port");
  const env = Object.fromEntries((container.env || []).map((e) => [e.name, e]));
  for (const name of ["AGENTHOST_DATABASE_URL", "AGENTHOST_ADMIN_KEY", "AGENTHOST_SECRET_KEY"])
    if (!env[name] || !env[name].valueFrom || !env[name].valueFrom.secretKeyRef) problems.push(`${name} is not read from a Secret`);
  if (!env.AGENTHOST_AUTH_MODE || env.AGENTHOST_AUTH_MODE.value !== "required") problems.push("auth is not required");
  const security = { ...(pod.securityContext || {}), ...(container.securityContext || {}) };
  if (security.runAsNonRoot !== true) problems.push("the pod may run as root");
  const configVolume = (pod.volumes || []).find((v) => v.configMap && v.configMap.name === configMap.metadata.name);
  if (!configVolume) problems.push(`no volume mounts the ConfigMap ${configMap.metadata.name}`);
  const mount = (container.volumeMounts || []).find((m) => configVolume && m.name === configVolume.name);
  const args = container.args || [];
  const configArg = args[args.indexOf("--config") + 1];
  if (!mount || !configArg || configArg !== path.posix.join(mount.mountPath, "agenthost.json"))
    problems.push("--config does not name the mounted ConfigMap's agenthost.json");
  let config = null;
  try {
    config = JSON.parse(configMap.data["agenthost.json"]);
  } catch (error) {
    problems.push(`the ConfigMap's agenthost.json is not JSON: ${error.message}`);
  }
  if (config && JSON.stringify(config) !== JSON.stringify(exampleConfig))
    problems.push("the ConfigMap's agenthost.json differs from packaging/agenthost.json");
  return problems;
}

const exampleConfig = JSON.parse(fs.readFileSync(path.join(sourceDir, "packaging", "agenthost.json"), "utf8"));
const objects = loadObjects(deployDir);
check(`deploy/kubernetes (${objects.length} objects, official schemas)`, checkKubernetes(objects, exampleConfig));
const clone = () => JSON.parse(JSON.stringify(objects));
const mutate = (fn) => { const copy = clone(); fn(copy); return copy; };
const ofKind = (list, kind) => list.find((o) => o.kind === kind);
refuses("a Service port that is not a number",
        checkKubernetes(mutate((l) => { ofKind(l, "Service").spec.ports[0].port = "eighty"; }), exampleConfig), "official schema");
refuses("a wrong type the official schema refuses",
        checkKubernetes(mutate((l) => { ofKind(l, "Deployment").spec.replicas = "two"; }), exampleConfig), "official schema");
refuses("a readiness probe on /health",
        checkKubernetes(mutate((l) => { ofKind(l, "Deployment").spec.template.spec.containers[0].readinessProbe.httpGet.path = "/health"; }), exampleConfig), "/ready");
refuses("a Service selecting nothing",
        checkKubernetes(mutate((l) => { ofKind(l, "Service").spec.selector = { app: "other" }; }), exampleConfig), "Service's selector");
refuses("a database URL in plain text",
        checkKubernetes(mutate((l) => { const c = ofKind(l, "Deployment").spec.template.spec.containers[0]; c.env.find((e) => e.name === "AGENTHOST_DATABASE_URL").valueFrom = undefined; c.env.find((e) => e.name === "AGENTHOST_DATABASE_URL").value = "postgresql://u:p@db/x"; }), exampleConfig), "not read from a Secret");
refuses("a ConfigMap that drifted from the example config",
        checkKubernetes(mutate((l) => { ofKind(l, "ConfigMap").data["agenthost.json"] = "{}"; }), exampleConfig), "differs");

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
