// `npm run bench`: compiles (tsc → out/), builds the minified production bundle (the dist/server.js
// users get), then runs the benchmark, out/test/bench/bench.js, with the given arguments, e.g.
//   npm run bench -- --sizes 10,100 --iterations 3 --ours-only
// The server runs from a private copy of dist/server.js taken right after the build, so that a
// concurrent `npm test` (which rebuilds dist/ without --production) cannot swap it mid-run.
// Type errors outside test/bench/ (work in progress elsewhere) only warn: tsc still emits.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lazyBuiltins } from './lazyBuiltins.mjs';

function run(args, { capture = false } = {}) {
  const r = spawnSync(process.execPath, args, { stdio: capture ? ['inherit', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8' });
  if (r.error) throw r.error;
  return r;
}

const tsc = run(['node_modules/typescript/bin/tsc', '-p', '.'], { capture: true });
if (tsc.status !== 0) {
  const output = `${tsc.stdout ?? ''}${tsc.stderr ?? ''}`;
  process.stderr.write(output);
  const benchErrors = output.split('\n').some((l) => /^test[\\/]bench[\\/]/.test(l));
  if (benchErrors || !existsSync('out/test/bench/bench.js')) {
    console.error('bench: tsc failed on the benchmark itself');
    process.exit(tsc.status ?? 1);
  }
  console.error('bench: warning: tsc reported the errors above (not in test/bench/); benchmarking what was emitted');
}

const dir = mkdtempSync(join(tmpdir(), 'dockerfile-stages-bench-'));
const snapshot = join(dir, 'server.js');
const build = run(['scripts/build.mjs', '--production']);
if (build.status === 0) {
  copyFileSync('dist/server.js', snapshot);
  copyFileSync('dist/server-main.js', join(dir, 'server-main.js'));
} else {
  // Another bundle (the client, say, mid-edit by someone) must not keep the server from being
  // measured: bundle the server alone, with scripts/build.mjs's production options.
  console.error('bench: warning: the production build failed (above); bundling the server alone');
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({
      bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, sourcemap: false,
      logLevel: 'warning', legalComments: 'none', entryPoints: ['server/src/launch.ts'], outfile: snapshot,
    });
    await esbuild.build({
      bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, sourcemap: false,
      logLevel: 'warning', legalComments: 'none', entryPoints: ['server/src/main.ts'], outfile: join(dir, 'server-main.js'),
    });
  } catch {
    console.error('bench: the server does not build');
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
}

// The initialize floor: vscode-languageserver alone (test/bench/floorServer.ts), bundled like our
// server and started by the same launcher, in a folder of its own.
const floorDir = join(dir, 'floor');
const floorArgs = [];
try {
  const esbuild = await import('esbuild');
  await esbuild.build({
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, sourcemap: false, charset: 'ascii',
    logLevel: 'warning', legalComments: 'none', entryPoints: ['test/bench/floorServer.ts'], outfile: join(floorDir, 'server-main.js'),
    plugins: [lazyBuiltins],
  });
  copyFileSync(snapshot, join(floorDir, 'server.js'));
  floorArgs.push('--floor-server', join(floorDir, 'server.js'));
} catch (e) {
  console.error(`bench: warning: the initialize floor server does not build (${e}); measuring without it`);
}

let status = 1;
try {
  status = run(['out/test/bench/bench.js', '--server-snapshot', snapshot, ...floorArgs, ...process.argv.slice(2)]).status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
