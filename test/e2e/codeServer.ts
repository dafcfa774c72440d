/**
 * code-server (VS Code's workbench and a real extension host, from npm) for the e2e suites, as
 * ../shared/docs/real-clients.md describes it: installed once into a cache folder by
 * test/e2e/setup-code-server.sh, started detached in its own process group on 127.0.0.1 and a
 * free port, without auth or telemetry, with every folder it writes to (user data, extensions,
 * HOME, TMPDIR, XDG_*) inside a temporary state folder; stopped by killing its process group,
 * after which the state folder is removed. Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) is the browser.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { Browser, chromium } from 'playwright-core';
import { e2eCacheDir, ensureDebianCommand, freePort, repoRoot, tempDir, vsixPath, waitFor } from './support';

export const CHROMIUM = '/usr/bin/chromium';

export interface CodeServerTools {
  node: string;
  entry: string;
}

/** Runs the setup script (instant when the cache is warm): the tools, or why there are none. */
export function setupCodeServer(): CodeServerTools | { skip: string } {
  const script = path.join(repoRoot(), 'test', 'e2e', 'setup-code-server.sh');
  const started = Date.now();
  // The script's progress and npm's output go to stderr, shown as they come.
  const r = spawnSync('bash', [script, e2eCacheDir()], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 20 * 60_000 });
  const stdout = r.stdout ?? '';
  const skip = /^skip: (.*)$/m.exec(stdout);
  if (r.status === 3 && skip) return { skip: `code-server: ${skip[1]}` };
  const ready = /^ready: node=(\S+) code-server=(\S+)$/m.exec(stdout);
  if (r.status !== 0 || !ready) {
    throw new Error(`test/e2e/setup-code-server.sh failed (exit ${r.status}${r.signal ? ` ${r.signal}` : ''}; its output is above):\n${stdout}`);
  }
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 5) process.stderr.write(`# code-server set up in ${seconds.toFixed(0)} s (cached in ${e2eCacheDir()})\n`);
  return { node: ready[1], entry: ready[2] };
}

/**
 * What the browser suites need before anything starts: Debian's Chromium, the packaged .vsix and
 * code-server's tools, or why the suite is skipped.
 */
export function setupBrowserSuite(): CodeServerTools | { skip: string } {
  const chromiumMissing = ensureDebianCommand(CHROMIUM, 'chromium');
  if (chromiumMissing) return { skip: chromiumMissing };
  if (!fs.existsSync(vsixPath())) return { skip: `${vsixPath()} is missing: run npm run package (npm run test:e2e packages it)` };
  return setupCodeServer();
}

export interface CodeServerOptions {
  /** Workspace trust on (Restricted Mode for a new folder) or off (everything trusted). */
  workspaceTrust?: boolean;
  /** .vsix files installed with --install-extension before the server starts. */
  install?: string[];
  /** Extra environment for the server and its extension host. */
  env?: Record<string, string>;
  /** Folders put first on PATH for the server, its extension host and its terminals and tasks. */
  pathPrefix?: string[];
  /** Extra VS Code server options (--vscode-option). */
  vscodeOptions?: string[];
}

export class CodeServer {
  private constructor(
    readonly url: string,
    readonly port: number,
    readonly stateDir: string,
    readonly logPath: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(tools: CodeServerTools, options: CodeServerOptions = {}): Promise<CodeServer> {
    const stateDir = tempDir('code-server');
    const dirs = {
      home: path.join(stateDir, 'home'),
      tmp: path.join(stateDir, 'tmp'),
      userData: path.join(stateDir, 'user-data'),
      extensions: path.join(stateDir, 'extensions'),
      xdgConfig: path.join(stateDir, 'xdg', 'config'),
      xdgData: path.join(stateDir, 'xdg', 'data'),
      xdgCache: path.join(stateDir, 'xdg', 'cache'),
      xdgState: path.join(stateDir, 'xdg', 'state'),
    };
    for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
    fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
      'telemetry.telemetryLevel': 'off',
      'files.autoSave': 'off',
      'security.workspace.trust.enabled': options.workspaceTrust ?? false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'chat.disableAIFeatures': true,
      'git.enabled': false,
      'window.restoreWindows': 'none',
    }, null, 2));
    const env: NodeJS.ProcessEnv = {
      PATH: [...(options.pathPrefix ?? []), path.dirname(tools.node), process.env.PATH ?? ''].join(path.delimiter),
      LANG: 'C.UTF-8',
      HOME: dirs.home,
      TMPDIR: dirs.tmp,
      XDG_CONFIG_HOME: dirs.xdgConfig,
      XDG_DATA_HOME: dirs.xdgData,
      XDG_CACHE_HOME: dirs.xdgCache,
      XDG_STATE_HOME: dirs.xdgState,
      XDG_RUNTIME_DIR: dirs.tmp,
      ...options.env,
    };
    const common = ['--config', path.join(stateDir, 'config.yaml'), '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
    fs.writeFileSync(path.join(stateDir, 'config.yaml'), 'auth: none\ncert: false\n');
    for (const vsix of options.install ?? []) {
      const r = spawnSync(tools.node, [tools.entry, ...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
        fs.rmSync(stateDir, { recursive: true, force: true });
        throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      }
    }
    const port = await freePort();
    const logPath = path.join(stateDir, 'code-server.log');
    const log = fs.openSync(logPath, 'a');
    const args = [
      tools.entry, ...common,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(options.vscodeOptions ?? []).flatMap((o) => ['--vscode-option', o]),
    ];
    // detached: setsid(), so the server and everything it starts (extension host, language
    // server) are one process group that stop() kills.
    const child = spawn(tools.node, args, { cwd: dirs.home, env, detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const server = new CodeServer(`http://127.0.0.1:${port}`, port, stateDir, logPath, child);
    running.add(server);
    child.once('exit', () => running.delete(server));
    const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`code-server exited (${code ?? signal}) before answering:\n${server.log()}`))));
    exited.catch(() => undefined);
    try {
      await Promise.race([exited, waitFor('code-server to answer /healthz', 60_000, () => healthy(port))]);
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  log(): string {
    try {
      return fs.readFileSync(this.logPath, 'utf8').split('\n').slice(-60).join('\n');
    } catch {
      return '';
    }
  }

  /** The workbench URL for a folder, with an optional `payload` (test runner options). */
  folderUrl(folder: string, payload?: [string, string][]): string {
    const query = new URLSearchParams({ folder });
    if (payload) query.set('payload', JSON.stringify(payload));
    return `${this.url}/?${query.toString()}`;
  }

  /** A vscode-remote URI for a path on this server, as the test runner payload needs. */
  remoteUri(p: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${p}`;
  }

  /** Last resort when the test process ends without stop(): kill the group, remove the state. */
  stopNow(): void {
    if (this.child.pid !== undefined) killGroup(this.child.pid, 'SIGKILL');
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }

  /** Kills the process group, waits for the server to go, removes the state folder. */
  async stop(keepState = false): Promise<void> {
    running.delete(this);
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    }
    // Whatever else is left in the group (an extension host that ignored SIGTERM).
    if (pid !== undefined) killGroup(pid, 'SIGKILL');
    if (!keepState) fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}

// Servers not stopped yet: killed if this process exits or is interrupted first.
const running = new Set<CodeServer>();
process.once('exit', () => {
  for (const server of running) server.stopNow();
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    for (const server of running) server.stopNow();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function healthy(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? true : undefined);
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => {
      req.destroy();
      resolve(undefined);
    });
  });
}

/** Debian's Chromium through playwright-core (never a downloaded browser). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
