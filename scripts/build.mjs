// Bundles the extension (client), the language server and the CLI with esbuild.
// `--production` minifies; the default build keeps names and source maps for tests and stack traces.
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { lazyBuiltins } from './lazyBuiltins.mjs';

const production = process.argv.includes('--production');
// `--cli-only` bundles the CLI alone (dist/cli.js, dist/build-files.js and its WebAssembly): what
// the package's `dependencies` script builds after an install, for pre-commit's `npm pack`.
const cliOnly = process.argv.includes('--cli-only');
// `--outdir DIR` builds elsewhere than dist/ (the packaging test builds into a temporary folder).
const outIndex = process.argv.indexOf('--outdir');
const outdir = outIndex !== -1 ? process.argv[outIndex + 1] : 'dist';
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  legalComments: 'none',
};

// For the Node bundles: packages' CommonJS builds, not their ES module builds. dockerfile-ast
// requires vscode-languageserver-types, whose ES module build would be bundled behind an interop
// object of getters, one call on every Range.create and Position.create of the parser
// (a tenth of the CLI's time on the corpus); its CommonJS build is a plain object.
const commonJsBuilds = { mainFields: ['main'], conditions: [] };

// The build files' readers and their parsers (YAML, JSON with comments, tree-sitter's HCL) are a
// bundle of their own, dist/build-files.js, which the server and the CLI require on first use:
// the server's own bundle stays small and starts as fast without them.
const buildFilesApart = {
  name: 'build-files-apart',
  setup(build) {
    build.onResolve({ filter: /\/workspace\/readBuildFile$/ }, () => ({ path: './build-files.js', external: true }));
  },
};

const cli = [
  esbuild.build({ ...common, ...commonJsBuilds, entryPoints: ['server/src/cli.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' }, plugins: [buildFilesApart] }),
  // jsonc-parser's UMD build requires its parts at run time: its ES module build bundles.
  esbuild.build({ ...common, entryPoints: ['server/src/workspace/readBuildFile.ts'], outfile: `${outdir}/build-files.js`, mainFields: ['module', 'main'] }),
];

await Promise.all(cliOnly ? cli : [
  ...cli,
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: `${outdir}/extension.js`, external: ['vscode'] }),
  // dist/server.js is a small launcher that runs dist/server-main.js from a V8 code cache.
  esbuild.build({ ...common, entryPoints: ['server/src/launch.ts'], outfile: `${outdir}/server.js` }),
  // charset 'ascii': every non-ASCII character in the code is escaped, so the launcher can read
  // the bundle as Latin-1 (what stays non-ASCII is in comments, which run the same either way).
  esbuild.build({ ...common, ...commonJsBuilds, entryPoints: ['server/src/main.ts'], outfile: `${outdir}/server-main.js`, charset: 'ascii', plugins: [lazyBuiltins, buildFilesApart] }),
  // The stage-graph webview's script: browser code with Graphviz's WebAssembly embedded in it
  // (@viz-js/viz inlines the binary, so the page fetches nothing). viz.js reads import.meta.url
  // only to locate a .wasm file it never needs; an IIFE has no import.meta, so it is undefined.
  esbuild.build({
    ...common,
    entryPoints: ['client/src/webview/stageGraphView.ts'],
    outfile: `${outdir}/stageGraphView.js`,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    charset: 'utf8',
    define: { 'import.meta.url': 'undefined' },
  }),
]);


// The WebAssembly the HCL parser runs (web-tree-sitter and tree-sitter's HCL grammar), beside
// the bundle that loads it (server/src/workspace/hcl.ts).
for (const [from, name] of [
  ['web-tree-sitter/web-tree-sitter.wasm', 'web-tree-sitter.wasm'],
  ['@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm', 'tree-sitter-hcl.wasm'],
]) {
  copyFileSync(createRequire(import.meta.url).resolve(from), `${outdir}/${name}`);
}
