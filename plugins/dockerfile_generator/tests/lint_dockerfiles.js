// Lints Dockerfiles with a real parser: dockerfile-utils' validator (the
// one the Docker language server uses) with every rule it can raise set to
// error, and dockerfile-ast for the instructions as Docker reads them.
// Usage: node lint_dockerfiles.js <node_modules> <file>...
// Prints {"<file>": {"diagnostics": [...], "instructions": [...]}}.
const path = require('path');
const fs = require('fs');
const modules = process.argv[2];
const utils = require(path.join(modules, 'dockerfile-utils'));
const ast = require(path.join(modules, 'dockerfile-ast'));

const settings = {
  deprecatedMaintainer: 'error',
  directiveCasing: 'error',
  emptyContinuationLine: 'error',
  instructionCasing: 'error',
  instructionCmdMultiple: 'error',
  instructionEntrypointMultiple: 'error',
  instructionHealthcheckMultiple: 'error',
  instructionJSONInSingleQuotes: 'error',
  instructionWorkdirRelative: 'error',
};

const report = {};
for (const file of process.argv.slice(3)) {
  const content = fs.readFileSync(file, 'utf8');
  const diagnostics = utils.validate(content, settings).map((d) => ({
    line: d.range.start.line + 1,
    message: d.message,
    code: d.code,
  }));
  const parsed = ast.DockerfileParser.parse(content);
  const instructions = parsed.getInstructions().map((i) => ({
    keyword: i.getKeyword(),
    line: i.getRange().start.line + 1,
    arguments: i.getArguments().map((a) => a.getValue()),
  }));
  report[file] = { diagnostics, instructions };
}
process.stdout.write(JSON.stringify(report));
