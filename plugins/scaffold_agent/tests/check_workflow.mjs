// Validates GitHub Actions workflow files with GitHub's own parser
// (@actions/workflow-parser, the one behind the Actions language service):
// YAML, the workflow schema (workflow-v1.0.json shipped in the package),
// expressions and job references. Prints each error and exits 1 on any.
//   node check_workflow.mjs NODE_MODULES_DIR FILE...
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { register } from "node:module";

// The package imports its schema JSON the way bundlers allow; Node 20 wants
// the import attribute, which this hook adds.
register("data:text/javascript," + encodeURIComponent(
  'export async function load(url, context, next) {' +
  '  if (url.endsWith(".json")) return next(url, { ...context, importAttributes: { type: "json" } });' +
  '  return next(url, context); }'));

const [modules, ...files] = process.argv.slice(2);
const parser = await import(pathToFileURL(join(modules, "@actions/workflow-parser/dist/index.js")).href);
const trace = new parser.NoOperationTraceWriter();
let failed = 0;
for (const name of files) {
  const parsed = parser.parseWorkflow({ name, content: readFileSync(name, "utf8") }, trace);
  const errors = [...parsed.context.errors.getErrors()];
  if (parsed.value) {
    const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
    for (const e of template.errors ?? []) errors.push(e);
  } else if (errors.length === 0) {
    errors.push({ message: "no workflow in the file" });
  }
  // Parsing and conversion may report the same error twice: print it once.
  const messages = [...new Set(errors.map((e) => e.message ?? e.Message ?? JSON.stringify(e)))];
  for (const m of messages) console.log(`${name}: ${m}`);
  if (errors.length) failed += 1;
  else console.log(`${name}: valid workflow`);
}
process.exit(failed ? 1 : 0);
