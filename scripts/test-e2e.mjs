// `npm run test:e2e`: the product in real editors.
//   1. Bundles the e2e test files (test/e2e/*.e2e.ts), the extension-host suite
//      (test/vscode/suite/*.ts) and its runner (test/vscode/runTests.ts) with esbuild into
//      .cache/e2e-out/ (gitignored), apart from out/ and dist/, which other test runs rebuild.
//   2. Packages the extension the way `npm run package` does (production build + vsce package),
//      but in .cache/e2e-out/ext/ → .cache/e2e-out/dockerfile-stages.vsix.
//   3. Runs the e2e files with node's test runner, one at a time (each starts an editor):
//      Neovim over stdio, the extension-host suite in VS Code (code-server or @vscode/test-electron),
//      and a Playwright session in code-server with the .vsix installed. Each skips, saying why,
//      when its editor cannot be had here. Node's summary is the last thing printed.
// Extra arguments are passed to node --test (e.g. --test-name-pattern=Neovim).
// Environment: E2E_BUILD_ONLY=1 stops after step 2; E2E_SKIP_NVIM, E2E_SKIP_CODE_SERVER,
// E2E_SKIP_CHROMIUM skip a part; VSCODE_EXECUTABLE or E2E_VSCODE_RUNNER=electron|code-server
// choose where the extension-host suite runs (test/vscode/runTests.ts); E2E_CACHE_DIR moves the
// tools cache (default .cache/e2e/: Node 24 and code-server, ~800 MB, installed on first use).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const out = join(root, '.cache', 'e2e-out');
const ext = join(out, 'ext');
const vsix = join(out, 'dockerfile-stages.vsix');

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''})`);
    process.exit(r.status || 1);
  }
}

const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// node --test runs the files one at a time (each starts an editor), in name order.
const e2eTests = readdirSync('test/e2e').filter((f) => f.endsWith('.e2e.ts')).sort();
const suiteFiles = readdirSync('test/vscode/suite').filter((f) => f.endsWith('.ts'));
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  // Our own code is bundled; packages (mocha, playwright-core, @vscode/test-electron) load from
  // node_modules, found by walking up from .cache/e2e-out/.
  packages: 'external',
};
await Promise.all([
  esbuild.build({ ...common, entryPoints: e2eTests.map((f) => join('test/e2e', f)), outdir: join(out, 'tests') }),
  esbuild.build({ ...common, entryPoints: suiteFiles.map((f) => join('test/vscode/suite', f)), outdir: join(out, 'vscode', 'suite'), external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['test/vscode/runTests.ts'], outdir: join(out, 'vscode') }),
]);

// The extension as `npm run package` makes it, in a folder of its own.
mkdirSync(ext, { recursive: true });
for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) cpSync(f, join(ext, f));
for (const d of ['images', 'syntaxes']) cpSync(d, join(ext, d), { recursive: true });
run(process.execPath, ['scripts/build.mjs', '--production', '--outdir', join(ext, 'dist')]);
const vsce = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: ext, encoding: 'utf8' });
if (vsce.status !== 0) {
  console.error(vsce.stdout + vsce.stderr);
  process.exit(1);
}
console.log(`e2e: bundled the tests and packaged ${vsix} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

if (process.env.E2E_BUILD_ONLY) process.exit(0);

const files = e2eTests.map((f) => join(out, 'tests', f.replace(/\.ts$/, '.js')));
const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=1', ...process.argv.slice(2), ...files], {
  stdio: 'inherit',
  env: { ...process.env, E2E_OUT_DIR: out, E2E_EXTENSION_DIR: ext, E2E_VSIX: vsix },
});
process.exit(r.status ?? 1);
