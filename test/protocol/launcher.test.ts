/**
 * dist/server.js is a launcher (server/src/launch.ts): it runs dist/server-main.js from a V8 code
 * cache that it writes beside the bundle. Each case copies the two files into a fresh folder and
 * starts the server there, with the cache written at once instead of seconds after the start.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocationLink } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';
import { repoRoot } from '../support/fixtures';
import { whenFolder } from '../support/folders';

const CACHE = /^server-main\..+\.v8cache$/;
const NOW = { DOCKERFILE_STAGES_CODE_CACHE_DELAY_MS: '0' };

function serverCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-launch-'));
  for (const f of ['server.js', 'server-main.js']) fs.copyFileSync(path.join(repoRoot(), 'dist', f), path.join(dir, f));
  return dir;
}

function caches(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => CACHE.test(f));
}

/** Starts the copied launcher in `dir`, its cache written at once. */
function startIn(dir: string): Promise<TestClient> {
  return TestClient.start({ server: path.join(dir, 'server.js'), env: NOW });
}

/** A first start in `dir`, left running until it wrote its cache; the cache's file name. */
async function firstStart(dir: string): Promise<string> {
  const first = await startIn(dir);
  await whenFolder(dir, () => caches(dir).length === 1);
  await first.stop();
  return caches(dir)[0];
}

/** The server answers as it should: a definition across stages. */
async function answersDefinition(client: TestClient): Promise<void> {
  const uri = 'file:///launch/Dockerfile';
  await client.open(uri, 'FROM alpine AS build\nFROM scratch\nCOPY --from=build /a /a\n');
  const links = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: { line: 2, character: 13 } });
  assert.equal(links.length, 1);
  assert.equal(links[0].targetSelectionRange.start.line, 0);
}

test('a first start writes the code cache beside the bundle, and a start from that cache answers', { timeout: 60_000 }, async () => {
  const dir = serverCopy();
  try {
    const first = await startIn(dir);
    await answersDefinition(first);
    await whenFolder(dir, () => caches(dir).length === 1);
    await first.stop();
    const [cache] = caches(dir);
    assert.ok(fs.statSync(path.join(dir, cache)).size > 100_000, 'the cache holds the compiled bundle');
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left');

    const second = await startIn(dir);
    await answersDefinition(second);
    await second.stop();
    assert.deepEqual(caches(dir), [cache], 'a start from a good cache does not write another');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt cache is rejected by V8 and written again; a cache of another build is removed, one of another V8 kept', { timeout: 60_000 }, async () => {
  const dir = serverCopy();
  try {
    const cache = await firstStart(dir);
    const good = fs.statSync(path.join(dir, cache)).size;
    fs.writeFileSync(path.join(dir, cache), 'not a code cache');
    const runtime = `${process.versions.v8}-${process.arch}-`.replace(/[^\w.-]/g, '_');
    fs.writeFileSync(path.join(dir, `server-main.${runtime}1-1.v8cache`), 'left by an earlier build');
    const otherNode = 'server-main.0.0.0-otherarch-1-1.v8cache';
    fs.writeFileSync(path.join(dir, otherNode), 'written by another Node');

    const second = await startIn(dir);
    await answersDefinition(second);
    await whenFolder(dir, () => caches(dir).length === 2 && fs.statSync(path.join(dir, cache)).size > 100_000);
    await second.stop();
    assert.deepEqual(caches(dir).sort(), [cache, otherNode].sort());
    assert.ok(Math.abs(fs.statSync(path.join(dir, cache)).size - good) < good / 2, 'the rewritten cache is a real one');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a rebuilt bundle does not run from the cache of the previous build', { timeout: 60_000 }, async () => {
  const dir = serverCopy();
  try {
    const old = await firstStart(dir);
    // Same length, other content: V8 alone would accept the old cache (it checks the length).
    const main = path.join(dir, 'server-main.js');
    const text = fs.readFileSync(main, 'latin1');
    fs.writeFileSync(main, text.replace('dockerfile-stages', 'dockerfile-STAGES'), 'latin1');
    const later = new Date(fs.statSync(main).mtimeMs + 5_000);
    fs.utimesSync(main, later, later);

    const second = await startIn(dir);
    await whenFolder(dir, () => caches(dir).length === 1 && caches(dir)[0] !== old);
    await second.stop();
    assert.notEqual(caches(dir)[0], old);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without server-main.js beside it, the launcher says so and exits with 2', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-launch-'));
  try {
    fs.copyFileSync(path.join(repoRoot(), 'dist', 'server.js'), path.join(dir, 'server.js'));
    const r = spawnSync(process.execPath, [path.join(dir, 'server.js'), '--stdio'], { encoding: 'utf8', input: '' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /server-main\.js is missing/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The stdio connection is made by main.ts (for its pre-encoding writer), so what
// vscode-languageserver does for `--stdio` is done there too: the server ends with its input,
// 0 after a shutdown request and 1 without one.
test('over stdio the server ends when its input does: exit 1 without a shutdown, 0 after one', async () => {
  const server = path.join(repoRoot(), 'dist', 'server.js');
  const frame = (message: object) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };
  /** Sends each request once the answer to the one before it came, then closes the server's input; its exit code. */
  const run = (requests: object[]): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
      let output = '';
      let next = 0;
      const send = () => {
        if (next < requests.length) child.stdin.write(frame({ id: next + 1, ...requests[next] }));
        else child.stdin.end();
        next++;
      };
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes(`"id":${next},"result"`)) send();
      });
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, output }));
      send();
    });
  const initialize = { method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };
  const without = await run([initialize]);
  assert.equal(without.code, 1);
  assert.match(without.output, /^Content-Length: \d+\r\n\r\n\{"jsonrpc":"2\.0","id":1,"result":\{"capabilities"/);
  const after = await run([initialize, { method: 'shutdown' }]);
  assert.equal(after.code, 0);
  assert.match(after.output, /\{"jsonrpc":"2\.0","id":2,"result":null\}/);
});
