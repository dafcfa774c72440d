// `npm test`: type-checks and compiles everything (tsc → out/), bundles dist/ (the protocol
// tests start the real bundled server), then runs every *.test.js suite with node's test runner.
// Extra arguments are passed to node --test (e.g. a file list).
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

rmSync('out', { recursive: true, force: true });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
// The webview's browser script has its own settings (DOM types, no Node types).
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'client/src/webview']);
run(process.execPath, ['scripts/build.mjs']);
const selected = process.argv.slice(2);
const files = selected.length > 0 ? selected : testFiles('out/test');
run(process.execPath, ['--enable-source-maps', '--test', ...files]);
