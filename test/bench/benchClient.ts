/**
 * A generic, instrumented LSP client for the benchmark: spawns any stdio server command, talks to it
 * as an editor does (it answers every server→client request), timestamps publishDiagnostics, and
 * reads the server's CPU and memory from /proc. Servers are spawned as process-group leaders so they
 * can be killed as a group, never by name.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { performance } from 'perf_hooks';
import {
  CancellationTokenSource,
  ClientCapabilities,
  InitializeResult,
  ProtocolConnection,
  PublishDiagnosticsParams,
  ServerCapabilities,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { Memory, groupCpuMs, memoryOf } from './procfs';
import { Pos } from './scanDockerfile';

const TOKEN_TYPES = ['namespace', 'type', 'class', 'enum', 'interface', 'struct', 'typeParameter', 'parameter', 'variable',
  'property', 'enumMember', 'event', 'function', 'method', 'macro', 'keyword', 'modifier', 'comment', 'string', 'number',
  'regexp', 'operator', 'decorator'];
const TOKEN_MODIFIERS = ['declaration', 'definition', 'readonly', 'static', 'deprecated', 'abstract', 'async', 'modification',
  'documentation', 'defaultLibrary'];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const kinds = (n: number): any[] => Array.from({ length: n }, (_, i) => i + 1);

/**
 * What a current VS Code-like editor advertises. Features are static (no dynamicRegistration) so
 * servers declare their providers in the initialize result; no pull diagnostics, so servers push
 * publishDiagnostics, which is what the benchmark times.
 */
export const EDITOR_LIKE_CAPABILITIES: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'], staleRequestSupport: { cancel: true, retryOnContentModified: [] } },
  window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } } },
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'], failureHandling: 'textOnlyTransactional' },
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    symbol: { symbolKind: { valueSet: kinds(26) } },
    executeCommand: {},
    codeLens: { refreshSupport: true },
    semanticTokens: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { didSave: true, willSave: false, willSaveWaitUntil: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true },
    completion: {
      contextSupport: true,
      completionItem: {
        snippetSupport: true,
        commitCharactersSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        deprecatedSupport: true,
        preselectSupport: true,
        insertReplaceSupport: true,
        labelDetailsSupport: true,
        resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
      },
      completionItemKind: { valueSet: kinds(25) },
      // As VS Code advertises it: one shared edit range for all items of a list.
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    signatureHelp: { signatureInformation: { documentationFormat: ['markdown', 'plaintext'] } },
    definition: { linkSupport: true },
    declaration: { linkSupport: true },
    references: {},
    documentHighlight: {},
    documentSymbol: { symbolKind: { valueSet: kinds(26) }, hierarchicalDocumentSymbolSupport: true, labelSupport: true },
    codeAction: {
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } },
    },
    codeLens: {},
    formatting: {},
    rename: { prepareSupport: true, prepareSupportDefaultBehavior: 1, honorsChangeAnnotations: true },
    foldingRange: { rangeLimit: 5000, lineFoldingOnly: true },
    selectionRange: {},
    semanticTokens: {
      requests: { full: { delta: true }, range: true },
      tokenTypes: TOKEN_TYPES,
      tokenModifiers: TOKEN_MODIFIERS,
      formats: ['relative'],
      multilineTokenSupport: false,
      overlappingTokenSupport: false,
    },
  },
};

export interface DiagnosticsEvent {
  /** order of arrival, over all documents */
  seq: number;
  /** performance.now() at arrival */
  t: number;
  version: number | undefined;
  count: number;
}

export interface Outcome<T = unknown> {
  ms: number;
  result?: T;
  /** set when the server answered with an error, timed out or died */
  error?: string;
  timedOut?: boolean;
}

type Waiter = { uri: string; accept: (e: DiagnosticsEvent) => boolean; resolve: (e: DiagnosticsEvent | null) => void; timer: NodeJS.Timeout };

let networkIsolation: boolean | undefined;
/** `unshare -n` works here (root or user namespaces): servers then run without network. */
export function canIsolateNetwork(): boolean {
  if (networkIsolation === undefined) {
    try {
      networkIsolation = spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;
    } catch {
      networkIsolation = false;
    }
  }
  return networkIsolation;
}

const LIVE = new Set<BenchClient>();
/** Kill every server still running (process exit, signals, errors). Synchronous. */
export function killAllServers(): void {
  for (const c of LIVE) c.kill();
}

export interface ClientOptions {
  label: string;
  argv: string[];
  cwd: string;
  rootUri: string;
  isolateNetwork: boolean;
  timeoutMs: number;
  /** Extra environment for the server. */
  env?: Record<string, string>;
}

export class BenchClient {
  readonly label: string;
  readonly argv: string[];
  capabilities: ServerCapabilities = {};
  serverInfo: InitializeResult['serverInfo'];
  /** spawn → initialize result, ms (includes process start and module loading) */
  initializeMs = NaN;
  /** performance.now() just before the spawn */
  spawnedAt = NaN;
  /** initialize request → result, ms */
  initializeRequestMs = NaN;
  pid = 0;
  exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly serverRequests: Record<string, number> = {};
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly stderrTail: string[] = [];
  readonly logTail: string[] = [];
  private readonly diagnostics = new Map<string, DiagnosticsEvent[]>();
  private waiters = new Set<Waiter>();
  private seq = 0;
  private proc: ChildProcess | undefined;
  private connection: ProtocolConnection | undefined;
  private exitPromise: Promise<void> = Promise.resolve();

  constructor(private readonly options: ClientOptions) {
    this.label = options.label;
    this.argv = options.isolateNetwork && canIsolateNetwork() ? ['unshare', '-n', ...options.argv] : options.argv;
  }

  get isolated(): boolean {
    return this.argv[0] === 'unshare';
  }

  get alive(): boolean {
    return this.proc !== undefined && this.exited === undefined;
  }

  async start(): Promise<void> {
    const t0 = performance.now();
    this.spawnedAt = t0;
    // detached: the server leads a new process group (and session), so it can be killed as a group
    const env = this.options.env ? { ...process.env, ...this.options.env } : process.env;
    const proc = spawn(this.argv[0], this.argv.slice(1), { cwd: this.options.cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true, env });
    this.proc = proc;
    LIVE.add(this);
    await new Promise<void>((resolve, reject) => {
      proc.once('spawn', resolve);
      proc.once('error', reject);
    });
    this.pid = proc.pid ?? 0;
    this.exitPromise = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        this.exited = { code, signal };
        LIVE.delete(this);
        for (const w of this.waiters) {
          clearTimeout(w.timer);
          w.resolve(null);
        }
        this.waiters.clear();
        resolve();
      }),
    );
    proc.stdin!.on('error', () => undefined); // EPIPE when the server dies; reported through `exited`
    proc.stderr!.on('data', (chunk: Buffer) => this.keep(this.stderrTail, chunk.toString('utf8')));

    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    this.connection = connection;
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => this.received(p));
    connection.onNotification('window/logMessage', (p: { message?: string }) => this.keep(this.logTail, String(p?.message ?? '')));
    connection.onNotification('window/showMessage', (p: { message?: string }) => this.keep(this.logTail, String(p?.message ?? '')));
    connection.onRequest('workspace/configuration', (p: { items?: unknown[] }) => {
      this.count('workspace/configuration');
      return (p?.items ?? []).map(() => null); // "no setting": what VS Code answers for an unknown section
    });
    connection.onRequest('client/registerCapability', (p: { registrations?: { method: string; registerOptions?: unknown }[] }) => {
      this.count('client/registerCapability');
      this.registrations.push(...(p?.registrations ?? []));
      return null;
    });
    connection.onRequest('client/unregisterCapability', () => (this.count('client/unregisterCapability'), null));
    connection.onRequest('window/workDoneProgress/create', () => (this.count('window/workDoneProgress/create'), null));
    connection.onRequest('workspace/workspaceFolders', () => (this.count('workspace/workspaceFolders'), [{ uri: this.options.rootUri, name: 'bench' }]));
    connection.onRequest('workspace/applyEdit', () => (this.count('workspace/applyEdit'), { applied: false, failureReason: 'benchmark client' }));
    for (const method of ['window/showMessageRequest', 'workspace/codeLens/refresh', 'workspace/semanticTokens/refresh',
      'workspace/inlayHint/refresh', 'workspace/diagnostic/refresh', 'workspace/foldingRange/refresh']) {
      connection.onRequest(method, () => (this.count(method), null));
    }
    connection.onRequest('window/showDocument', () => (this.count('window/showDocument'), { success: false }));
    connection.onError(() => undefined);
    connection.listen();

    const tRequest = performance.now();
    const init = await this.request<InitializeResult>('initialize', {
      processId: process.pid,
      clientInfo: { name: 'dockerfile-stages-bench', version: '1' },
      locale: 'en',
      rootUri: this.options.rootUri,
      workspaceFolders: [{ uri: this.options.rootUri, name: 'bench' }],
      capabilities: EDITOR_LIKE_CAPABILITIES,
      trace: 'off',
    });
    if (init.error || !init.result) throw new Error(`${this.label}: initialize failed: ${init.error ?? 'no result'}`);
    const done = performance.now();
    this.initializeMs = done - t0;
    this.initializeRequestMs = done - tRequest;
    this.capabilities = init.result.capabilities ?? {};
    this.serverInfo = init.result.serverInfo;
    await connection.sendNotification('initialized', {});
  }

  private keep(list: string[], text: string): void {
    for (const l of text.split('\n')) if (l.trim()) list.push(l.slice(0, 400));
    if (list.length > 50) list.splice(0, list.length - 50);
  }

  private count(method: string): void {
    this.serverRequests[method] = (this.serverRequests[method] ?? 0) + 1;
  }

  private received(p: PublishDiagnosticsParams): void {
    const e: DiagnosticsEvent = { seq: ++this.seq, t: performance.now(), version: p.version ?? undefined, count: p.diagnostics?.length ?? 0 };
    const list = this.diagnostics.get(p.uri) ?? [];
    list.push(e);
    this.diagnostics.set(p.uri, list);
    for (const w of this.waiters) {
      if (w.uri === p.uri && w.accept(e)) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(e);
      }
    }
  }

  // ---- capabilities ---------------------------------------------------------------------------

  /** 1 = full, 2 = incremental, 0 = none */
  get syncKind(): number {
    const s = this.capabilities.textDocumentSync;
    return (typeof s === 'number' ? s : s?.change) ?? 0;
  }

  /** Whether the server offers `method`, statically or by a dynamic registration. */
  offers(method: string): boolean {
    const c = this.capabilities;
    const registered = this.registrations.some((r) => r.method === method);
    const on = (v: unknown) => v !== undefined && v !== null && v !== false;
    switch (method) {
      case 'textDocument/definition': return on(c.definitionProvider) || registered;
      case 'textDocument/references': return on(c.referencesProvider) || registered;
      case 'textDocument/rename': return on(c.renameProvider) || registered;
      case 'textDocument/prepareRename':
        return (typeof c.renameProvider === 'object' && c.renameProvider !== null && c.renameProvider.prepareProvider === true) ||
          this.registrations.some((r) => r.method === 'textDocument/rename' && (r.registerOptions as { prepareProvider?: boolean } | undefined)?.prepareProvider === true);
      case 'textDocument/documentHighlight': return on(c.documentHighlightProvider) || registered;
      case 'textDocument/hover': return on(c.hoverProvider) || registered;
      case 'textDocument/completion': return on(c.completionProvider) || registered;
      case 'textDocument/codeLens': return on(c.codeLensProvider) || registered;
      case 'textDocument/documentSymbol': return on(c.documentSymbolProvider) || registered;
      case 'textDocument/foldingRange': return on(c.foldingRangeProvider) || registered;
      case 'textDocument/semanticTokens/full': {
        const st = c.semanticTokensProvider;
        return (st !== undefined && st !== null && on(st.full)) || this.registrations.some((r) => r.method === 'textDocument/semanticTokens');
      }
      default: return registered;
    }
  }

  // ---- messages -------------------------------------------------------------------------------

  /** A request with a timeout (then cancelled); never rejects. */
  async request<T = unknown>(method: string, params: unknown, timeoutMs = this.options.timeoutMs): Promise<Outcome<T>> {
    const connection = this.connection;
    if (!connection || this.exited) return { ms: 0, error: `server exited (${JSON.stringify(this.exited)})` };
    const cts = new CancellationTokenSource();
    let timer: NodeJS.Timeout | undefined;
    const t0 = performance.now();
    type Race = { result: T } | { error: string } | { timedOut: true } | { exited: true };
    const race = await Promise.race<Race>([
      connection.sendRequest(method, params, cts.token).then(
        (result) => ({ result: result as T }),
        (e: unknown) => ({ error: describeError(e) }),
      ),
      new Promise<Race>((resolve) => {
        timer = setTimeout(() => {
          cts.cancel();
          resolve({ timedOut: true });
        }, timeoutMs);
      }),
      this.exitPromise.then((): Race => ({ exited: true })),
    ]);
    const ms = performance.now() - t0;
    clearTimeout(timer);
    cts.dispose();
    if ('result' in race) return { ms, result: race.result };
    if ('error' in race) return { ms, error: race.error };
    if ('timedOut' in race) return { ms, error: `no answer within ${timeoutMs} ms`, timedOut: true };
    return { ms, error: `server exited during ${method} (${JSON.stringify(this.exited)})` };
  }

  async notify(method: string, params: unknown): Promise<void> {
    if (!this.connection || this.exited) throw new Error(`${this.label}: server exited (${JSON.stringify(this.exited)})`);
    await this.connection.sendNotification(method, params);
  }

  /**
   * Waits until the server has worked off its queue: an unknown request is answered (with an error)
   * only after everything sent before it. Resolves true when the answer came.
   */
  async drain(timeoutMs = Math.max(120_000, this.options.timeoutMs * 2)): Promise<boolean> {
    const r = await this.request('dockerfileStagesBench/drain', null, timeoutMs);
    return !r.timedOut && !this.exited;
  }

  // ---- documents and diagnostics --------------------------------------------------------------

  lastSeq(uri: string): number {
    const list = this.diagnostics.get(uri);
    return list && list.length ? list[list.length - 1].seq : 0;
  }

  events(uri: string): DiagnosticsEvent[] {
    return this.diagnostics.get(uri) ?? [];
  }

  forget(uri: string): void {
    this.diagnostics.delete(uri);
  }

  /** The first publishDiagnostics for `uri` after `afterSeq` that `accept`s; null on timeout or exit. */
  waitDiagnostics(uri: string, afterSeq: number, accept: (e: DiagnosticsEvent) => boolean = () => true, timeoutMs = this.options.timeoutMs): Promise<DiagnosticsEvent | null> {
    const ok = (e: DiagnosticsEvent) => e.seq > afterSeq && accept(e);
    const seen = this.events(uri).find(ok);
    if (seen) return Promise.resolve(seen);
    if (this.exited) return Promise.resolve(null);
    return new Promise((resolve) => {
      const w: Waiter = {
        uri,
        accept: ok,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          resolve(null);
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  /** Resolves once no publishDiagnostics for `uri` arrived for `quietMs` (at most `maxMs`). */
  async settle(uri: string, quietMs = 40, maxMs = 3000): Promise<void> {
    const start = performance.now();
    for (;;) {
      const seq = this.lastSeq(uri);
      await sleep(quietMs);
      if (this.lastSeq(uri) === seq || performance.now() - start > maxMs || this.exited) return;
    }
  }

  /** didOpen → first publishDiagnostics for the uri. */
  async open(uri: string, text: string, version = 1): Promise<{ ms: number | null; event: DiagnosticsEvent | null }> {
    const after = this.lastSeq(uri);
    const t0 = performance.now();
    await this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text } });
    const event = await this.waitDiagnostics(uri, after);
    return { ms: event ? event.t - t0 : null, event };
  }

  /**
   * Sends one edit (incremental if the server syncs incrementally, else the full new text) and
   * times didChange → the publishDiagnostics for `version` (the next publish if the server does not
   * report versions). `stale` counts publishes for other versions that arrived meanwhile.
   */
  async change(uri: string, version: number, at: Pos, insert: string, fullText: string): Promise<{ ms: number | null; event: DiagnosticsEvent | null; stale: number; sync: string }> {
    const after = this.lastSeq(uri);
    const t0 = performance.now();
    await this.sendChange(uri, version, at, insert, fullText);
    let stale = 0;
    const event = await this.waitDiagnostics(uri, after, (e) => {
      if (e.version === undefined || e.version === version) return true;
      stale++;
      return false;
    });
    return { ms: event ? event.t - t0 : null, event, stale, sync: this.syncKind === 2 ? 'incremental' : 'full' };
  }

  /** Sends didChange only (no waiting). */
  async sendChange(uri: string, version: number, at: Pos, insert: string, fullText: string): Promise<void> {
    const contentChanges: TextDocumentContentChangeEvent[] =
      this.syncKind === 2 ? [{ range: { start: at, end: at }, text: insert }] : [{ text: fullText }];
    await this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  async close(uri: string): Promise<void> {
    await this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  // ---- resources and lifetime -----------------------------------------------------------------

  cpuMs(): number | null {
    return this.alive ? groupCpuMs(this.pid) : null;
  }

  memory(): Memory | null {
    return this.alive ? memoryOf(this.pid) : null;
  }

  /** shutdown + exit; the process group is killed if it does not end within 3 s. */
  async stop(): Promise<void> {
    if (this.alive) {
      await this.request('shutdown', null, 3000);
      try {
        await this.notify('exit', null);
      } catch {
        /* already gone */
      }
      await this.exitWithin(EXIT_GRACE_MS);
    }
    this.kill();
    await this.exitWithin(KILL_GRACE_MS);
    this.connection?.dispose();
  }

  /** Waits for the server to exit, giving up after `ms` (a hung server is then killed). */
  private exitWithin(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    return Promise.race([this.exitPromise.then(() => undefined), deadline]).finally(() => clearTimeout(timer));
  }

  /** SIGKILL to the server's process group (it was spawned as the group leader). Synchronous. */
  kill(): void {
    if (!this.proc || this.pid <= 0) return;
    // Once the leader is reaped its pid could in principle be reused, but not while its group still
    // has members: kill the group only while the leader lives or members remain.
    if (this.exited === undefined || groupCpuMs(this.pid) !== null) {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        /* group already gone */
      }
    }
    if (this.exited === undefined) {
      try {
        this.proc.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

function describeError(e: unknown): string {
  if (e && typeof e === 'object') {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return `${code !== undefined ? `${String(code)}: ` : ''}${String(message ?? e)}`.slice(0, 300);
  }
  return String(e).slice(0, 300);
}

/** How long a server gets to exit after `exit`, and after SIGKILL. */
const EXIT_GRACE_MS = 3_000;
const KILL_GRACE_MS = 2_000;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const IDLE_WINDOW_MS = 40;
const IDLE_MAX_MS = 10_000;

/**
 * Waits until none of `clients` used CPU for IDLE_WINDOW_MS (at most IDLE_MAX_MS): servers take
 * turns on a small machine, and none should be timed while another still works in the background.
 */
export async function othersIdle(clients: BenchClient[]): Promise<void> {
  if (clients.length === 0) return;
  const total = () => clients.reduce((n, c) => n + (c.cpuMs() ?? 0), 0);
  const start = performance.now();
  let before = total();
  while (performance.now() - start < IDLE_MAX_MS) {
    await sleep(IDLE_WINDOW_MS);
    const now = total();
    if (now - before < 1) return;
    before = now;
  }
}

