// Parses Terraform files with a real HCL2 parser (@cdktf/hcl2json, the
// WebAssembly build of hcl2json) and checks references on the parsed form,
// independently of the generator's own check: every var.X has a variable
// block, every <type>.<name> / data.<type>.<name> names a declared block,
// and no provider block holds credentials.
// Usage: node parse_hcl.js <node_modules> <dir>...
// Prints {"files": {"<name>": <parsed>}, "problems": [...]} for one folder,
// {"<dir>": that, ...} for several (one node start, one WebAssembly load);
// exit 0 unless the parser itself failed on a file (exit 2 with the error).
const path = require('path');
const fs = require('fs');
const { parse } = require(path.join(process.argv[2], '@cdktf/hcl2json'));

async function report(dir) {
  const files = {};
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.tf')).sort()) {
    try {
      files[name] = await parse(name, fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch (error) {
      process.stdout.write(JSON.stringify({ parse_error: name + ': ' + String(error) }));
      process.exit(2);
    }
  }
  const variables = new Set();
  const blocks = new Set();
  const strings = [];
  const walk = (value) => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  const problems = [];
  for (const parsed of Object.values(files)) {
    for (const name of Object.keys(parsed.variable || {})) variables.add(name);
    for (const [type, byName] of Object.entries(parsed.resource || {}))
      for (const name of Object.keys(byName)) blocks.add(type + '.' + name);
    for (const [type, byName] of Object.entries(parsed.data || {}))
      for (const name of Object.keys(byName)) blocks.add('data.' + type + '.' + name);
    for (const [provider, configs] of Object.entries(parsed.provider || {}))
      for (const config of configs)
        for (const key of Object.keys(config))
          if (/access_key|secret_key|token|password|client_key|client_certificate/.test(key))
            problems.push('provider ' + provider + ' sets ' + key);
    for (const key of ['resource', 'data', 'output', 'provider', 'locals', 'module']) walk(parsed[key]);
  }
  for (const text of strings) {
    for (const match of text.matchAll(/\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g))
      if (!variables.has(match[1])) problems.push('undeclared variable ' + match[1]);
    for (const match of text.matchAll(/\b((?:data\.)?(?:aws|kubernetes)_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)/g))
      if (!blocks.has(match[1] + '.' + match[2])) problems.push('unresolved reference ' + match[1] + '.' + match[2]);
  }
  return { files, problems, variables: [...variables].sort(), blocks: [...blocks].sort() };
}

async function main() {
  const dirs = process.argv.slice(3);
  if (dirs.length === 1) {
    process.stdout.write(JSON.stringify(await report(dirs[0])));
    return;
  }
  const all = {};
  for (const dir of dirs) all[dir] = await report(dir);
  process.stdout.write(JSON.stringify(all));
}
main();
