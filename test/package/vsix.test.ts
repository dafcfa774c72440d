/**
 * The packaged extension: `vsce package` on a production build holds exactly the bundles and
 * assets the extension needs, within a size budget. Built in a temporary folder so that the
 * other suites keep using dist/.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixturePath, repoRoot } from '../support/fixtures';

const EXPECTED_FILES = [
  'extension.vsixmanifest',
  '[Content_Types].xml',
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  'extension/images/icon.png',
  'extension/images/codelens.png',
  'extension/images/quick-fix.png',
  'extension/images/stage-graph.png',
  'extension/dist/extension.js',
  'extension/dist/server.js',
  'extension/dist/server-main.js',
  'extension/dist/build-files.js',
  'extension/dist/web-tree-sitter.wasm',
  'extension/dist/tree-sitter-hcl.wasm',
  'extension/dist/stageGraphView.js',
  'extension/syntaxes/dockerfile-stages.injection.tmLanguage.json',
].sort();

test('the .vsix holds only the bundles and assets, within budget', { timeout: 180_000 }, () => {
  const root = repoRoot();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-vsix-'));
  try {
    for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) fs.copyFileSync(path.join(root, f), path.join(dir, f));
    for (const d of ['images', 'syntaxes']) fs.cpSync(path.join(root, d), path.join(dir, d), { recursive: true });
    const build = spawnSync(process.execPath, ['scripts/build.mjs', '--production', '--outdir', path.join(dir, 'dist')], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const pack = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', 'x.vsix'], { cwd: dir, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stdout + pack.stderr);
    assert.deepEqual(zipEntries(fs.readFileSync(path.join(dir, 'x.vsix'))).sort(), EXPECTED_FILES);
    const vsixSize = fs.statSync(path.join(dir, 'x.vsix')).size;
    assert.ok(vsixSize < 1_200_000, `the .vsix is ${vsixSize} bytes (budget 1.2 MB, of which the README's three screenshots take about 270 KB)`);
    // The launcher and the server bundle it runs.
    const serverSize = fs.statSync(path.join(dir, 'dist', 'server.js')).size + fs.statSync(path.join(dir, 'dist', 'server-main.js')).size;
    assert.ok(serverSize < 500_000, `dist/server.js with server-main.js is ${serverSize} bytes (budget 500 KB)`);
    // The build files' readers run from the packaged layout: the HCL parser finds its WebAssembly beside them.
    const bake = fixturePath('workspace', 'docker-bake.hcl');
    const read = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(dir, 'dist', 'build-files.js'))}).readBuildFile(${JSON.stringify(bake)}, require('fs').readFileSync(${JSON.stringify(bake)}, 'utf8')).then((e) => console.log(e.map((x) => x.label).join(',')))`], { encoding: 'utf8' });
    assert.equal(read.stdout.trim(), '_common,app,app-test,typo', read.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The file names in a zip archive, read from its central directory. */
function zipEntries(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
