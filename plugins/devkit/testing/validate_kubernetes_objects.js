// Validates Kubernetes objects against the official OpenAPI schemas of their
// apiVersion, through the kubernetes-models npm package (its models are
// generated from the Kubernetes OpenAPI spec and validate with ajv), and
// Prometheus Operator objects (monitoring.coreos.com: ServiceMonitor,
// PrometheusRule, ...) against the operator's CRD schemas, through
// @kubernetes-models/prometheus-operator.
//
//   node validate_kubernetes_objects.js OBJECTS.json NODE_MODULES_DIR
//
// OBJECTS.json holds a JSON array of objects, or an object of named groups
// (label -> array), whose problems are then prefixed "label: "; OBJECTS.yaml
// holds them as YAML documents. Prints one
// line per problem and exits 1 when there is any; otherwise prints
// "validated N objects".
"use strict";
const fs = require("fs");
const path = require("path");

const [file, modules] = process.argv.slice(2);
// A .yaml/.yml file holds the objects as YAML documents (one group).
const text = fs.readFileSync(file, "utf8");
const input = /\.ya?ml$/.test(file)
  ? require(path.join(modules, "yaml")).parseAllDocuments(text).map((document) => document.toJSON())
  : JSON.parse(text);
const groups = Array.isArray(input) ? { "": input } : input;
let problems = 0;
let count = 0;
for (const [label, objects] of Object.entries(groups)) {
  const prefix = label ? `${label}: ` : "";
  for (const object of objects) {
    count++;
    const { apiVersion, kind } = object;
    const name = (object.metadata && object.metadata.name) || "?";
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
    // Custom resources come from the package generated from their CRDs.
    const crdPackages = { "monitoring.coreos.com": ["@kubernetes-models", "prometheus-operator"] };
    const modelPath = group && crdPackages[group]
      ? path.join(modules, ...crdPackages[group], group, version, kind)
      : path.join(modules, "kubernetes-models", ...(group ? [group, version, kind] : [version, kind]));
    let Model;
    try {
      Model = require(modelPath)[kind];
    } catch (error) {
      console.log(`${prefix}${kind}/${name}: no model for ${apiVersion} ${kind}`);
      problems++;
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      console.log(`${prefix}${kind}/${name}: ${error.message}`);
      problems++;
    }
  }
}
if (problems > 0) process.exit(1);
console.log(`validated ${count} objects`);
