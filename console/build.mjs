// Builds the web console (GET /console): type-checks console/src with tsc,
// then bundles it with esbuild into OUT_DIR: index.html, console.js and
// console.css. Run by CMake (host/cmake/console_assets.cmake) with the
// packages of tools/npm; nothing is fetched.
//
//   node console/build.mjs NPM_DIR OUT_DIR
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const [npmDir, outDir] = process.argv.slice(2).map((p) => p && resolve(p));
if (!npmDir || !outDir) {
  console.error("usage: node console/build.mjs NPM_DIR OUT_DIR");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(npmDir, "package.json"));

// tsc checks, esbuild only strips types: a type error fails the build.
try {
  execFileSync(process.execPath, [join(npmDir, "node_modules/typescript/bin/tsc"), "-p", join(here, "tsconfig.json")], {
    stdio: "inherit",
  });
} catch {
  console.error("console/build.mjs: tsc found type errors (above)");
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
const esbuild = require("esbuild");
await esbuild.build({
  entryPoints: { console: join(here, "src/main.tsx") },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  jsx: "automatic",
  jsxImportSource: "preact",
  nodePaths: [join(npmDir, "node_modules")],
  outdir: outDir,
  legalComments: "none",
  logLevel: "warning",
});
copyFileSync(join(here, "src/console.css"), join(outDir, "console.css"));
copyFileSync(join(here, "index.html"), join(outDir, "index.html"));
