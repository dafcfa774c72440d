// Bundles the extension (client), the language server and the CLI with esbuild.
// `--production` minifies; the default build keeps names and source maps for tests and stack traces.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
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

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: `${outdir}/extension.js`, external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/main.ts'], outfile: `${outdir}/server.js` }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' } }),
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
