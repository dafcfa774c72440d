// `npm run bench`: compiles (tsc → out/), builds the minified production bundle (the dist/server.js
// users get), then runs the benchmark, out/test/bench/bench.js, with the given arguments, e.g.
//   npm run bench -- --sizes 10,100 --iterations 3 --ours-only
// and then the CLI's (out/test/bench/cliBench.js: files per second, one thread against a worker per
// core). `--cli-only` runs only the CLI's, `--no-cli` only the server's; `--cli-copies N` and
// `--cli-runs N` go to the CLI's as `--copies N` and `--runs N`. `--real-only` (the server's
// real-file table alone, for quick runs) leaves the CLI's out too.
// The server and the CLI run from private copies of dist/ taken right after the build, so that a
// concurrent `npm test` (which rebuilds dist/ without --production) cannot swap them mid-run.
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

// The options of the CLI's part, taken out of what goes to the server's.
const serverArgs = [];
const cliArgs = [];
let cliOnly = false;
let withCli = true;
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--cli-only') cliOnly = true;
  else if (a === '--no-cli') withCli = false;
  else if (a === '--real-only') {
    withCli = false;
    serverArgs.push(a);
  }
  else if (a === '--cli-copies' || a === '--cli-runs') cliArgs.push(a.replace('--cli-', '--'), process.argv[++i] ?? '');
  else serverArgs.push(a);
}

const tsc = run(['node_modules/typescript/bin/tsc', '-p', '.'], { capture: true });
if (tsc.status !== 0) {
  const output = `${tsc.stdout ?? ''}${tsc.stderr ?? ''}`;
  process.stderr.write(output);
  const benchErrors = output.split('\n').some((l) => /^test[\\/]bench[\\/]/.test(l));
  if (benchErrors || !existsSync('out/test/bench/bench.js') || !existsSync('out/test/bench/cliBench.js')) {
    console.error('bench: tsc failed on the benchmark itself');
    process.exit(tsc.status ?? 1);
  }
  console.error('bench: warning: tsc reported the errors above (not in test/bench/); benchmarking what was emitted');
}

const dir = mkdtempSync(join(tmpdir(), 'dockerfile-stages-bench-'));
const snapshot = join(dir, 'server.js');
const build = run(['scripts/build.mjs', '--production']);
const cliSnapshot = join(dir, 'cli.js');
if (build.status === 0) {
  copyFileSync('dist/server.js', snapshot);
  copyFileSync('dist/server-main.js', join(dir, 'server-main.js'));
  copyFileSync('dist/cli.js', cliSnapshot);
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
    await esbuild.build({
      bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, sourcemap: false,
      logLevel: 'warning', legalComments: 'none', entryPoints: ['server/src/cli.ts'], outfile: cliSnapshot,
      plugins: [{ name: 'build-files-apart', setup: (b) => b.onResolve({ filter: /\/workspace\/readBuildFile$/ }, () => ({ path: './build-files.js', external: true })) }],
    });
  } catch {
    console.error('bench: the server does not build');
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
}

// The start-up floor: vscode-languageserver alone (test/bench/floorServer.ts), bundled like our
// server and started by the same launcher, in a folder of its own.
const floorDir = join(dir, 'floor');
const floorArgs = [];
if (!cliOnly) try {
  const esbuild = await import('esbuild');
  await esbuild.build({
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, sourcemap: false, charset: 'ascii',
    logLevel: 'warning', legalComments: 'none', entryPoints: ['test/bench/floorServer.ts'], outfile: join(floorDir, 'server-main.js'),
    plugins: [lazyBuiltins],
  });
  copyFileSync(snapshot, join(floorDir, 'server.js'));
  floorArgs.push('--floor-server', join(floorDir, 'server.js'));
} catch (e) {
  console.error(`bench: warning: the start-up floor server does not build (${e}); measuring without it`);
}

let status = 0;
try {
  if (!cliOnly) status = run(['out/test/bench/bench.js', '--server-snapshot', snapshot, ...floorArgs, ...serverArgs]).status ?? 1;
  if (withCli) {
    console.log('');
    status = (run(['out/test/bench/cliBench.js', '--cli', cliSnapshot, ...cliArgs]).status ?? 1) || status;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
