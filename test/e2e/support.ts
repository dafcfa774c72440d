/**
 * What the end-to-end suites share: where the build under test is, temporary folders, a free
 * port, and installing a missing Debian package when we may (root with apt-get) — otherwise the
 * suite skips with the reason.
 *
 * scripts/test-e2e.mjs builds the extension into a folder of its own (E2E_EXTENSION_DIR, with
 * dist/ and the packaged .vsix in E2E_VSIX) so that nothing here reads the dist/ and out/
 * folders other test runs rebuild at the same time. Run on their own, the suites fall back to
 * the repository's dist/ and dockerfile-stages.vsix.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** The repository root: the nearest folder above this file with the extension's package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && fs.existsSync(path.join(dir, 'server', 'src')) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'dockerfile-stages') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no dockerfile-stages repository above ${__dirname}`);
    dir = parent;
  }
}

/** The extension folder under test (package.json + dist/). */
export function extensionDir(): string {
  return process.env.E2E_EXTENSION_DIR ?? repoRoot();
}

/** The packaged extension under test. */
export function vsixPath(): string {
  return process.env.E2E_VSIX ?? path.join(repoRoot(), 'dockerfile-stages.vsix');
}

/** Where compiled e2e code lives (the extension-host suite is loaded from here). */
export function e2eOutDir(): string {
  return process.env.E2E_OUT_DIR ?? path.join(repoRoot(), '.cache', 'e2e-out');
}

/** The cache of tools installed once (Node 24, code-server). */
export function e2eCacheDir(): string {
  return process.env.E2E_CACHE_DIR ?? path.join(repoRoot(), '.cache', 'e2e');
}

export function fixturePath(...parts: string[]): string {
  return path.join(repoRoot(), 'test', 'fixtures', 'e2e', ...parts);
}

/** Folder for screenshots and other artifacts of the run (gitignored). */
export function resultsDir(): string {
  const dir = path.join(repoRoot(), 'test-results', 'e2e');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dockerfile-stages-${prefix}-`));
}

/** A copy of the e2e fixtures in a fresh folder, to open as a workspace and edit freely. */
export function fixtureWorkspace(parent: string, name = 'workspace'): string {
  const dir = path.join(parent, name);
  fs.cpSync(path.join(repoRoot(), 'test', 'fixtures', 'e2e'), dir, { recursive: true });
  return dir;
}

export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Makes sure `command` exists, installing Debian package `pkg` when it is missing and we run
 * as root with apt-get. Returns undefined when it is there, else why it is not (for a skip).
 */
export function ensureDebianCommand(command: string, pkg: string): string | undefined {
  const skipVariable = `E2E_SKIP_${path.basename(command).toUpperCase()}`;
  if (process.env[skipVariable]) return `${skipVariable} is set`;
  const present = () => (path.isAbsolute(command) ? fs.existsSync(command) : onPath(command) !== undefined);
  if (present()) return undefined;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    return `${command} is not installed and this is not root with apt-get: install the Debian package with \`apt-get install -y ${pkg}\``;
  }
  let r = spawnSync('apt-get', ['install', '-y', pkg], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { encoding: 'utf8' });
    r = spawnSync('apt-get', ['install', '-y', pkg], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (r.status !== 0 || !present()) return `apt-get install -y ${pkg} failed: ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' / ')}`;
  return undefined;
}

/** A TCP port nobody listens on right now (on 127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns a value other than undefined, or throws after `ms`. */
export async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The capabilities the bundled server advertises: starts it over stdio, sends `initialize`,
 * reads the answer and stops it. Lets a suite check a feature only where the server offers it.
 */
export function serverCapabilities(serverJs = path.join(extensionDir(), 'dist', 'server.js')): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error('no answer to initialize in 10 s')), 10_000);
    const finish = (error: Error | undefined, capabilities?: Record<string, unknown>) => {
      clearTimeout(timer);
      child.kill();
      if (error) reject(error);
      else resolve(capabilities!);
    };
    child.on('error', (e) => finish(e));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
        if (buffer.length < headerEnd + 4 + length) return;
        const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
        buffer = buffer.subarray(headerEnd + 4 + length);
        if (message.id === 1) return finish(undefined, message.result.capabilities);
      }
    });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}
