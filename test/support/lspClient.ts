/**
 * A small LSP client for protocol tests: starts the bundled server (`dist/server.js --stdio`)
 * as a child process and drives it as an editor would. Waits on messages, never on time.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  ClientCapabilities,
  InitializeResult,
  ProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from './fixtures';

export const EDITOR_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] } },
    definition: { linkSupport: true },
    rename: { prepareSupport: true },
    completion: {
      completionItem: { snippetSupport: false, resolveSupport: { properties: ['documentation'] } },
      completionList: { itemDefaults: ['editRange'] },
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
};

export interface StartOptions {
  capabilities?: ClientCapabilities;
  /** What the client answers to workspace/configuration for `dockerfileStages`. */
  settings?: unknown;
  /** The launcher to start (default: the repository's dist/server.js). */
  server?: string;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  /** A workspace folder (a file system path) given in `initialize`. */
  folder?: string;
  /** The trace level asked for in `initialize`; the server's $/logTrace lines go to `traces`. */
  trace?: 'off' | 'messages' | 'verbose';
  /** `initializationOptions` of `initialize` (VS Code's client sends workspaceTrusted and dockerExtension). */
  initializationOptions?: unknown;
}

type Waiter = { uri: string; predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class TestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  readonly logs: string[] = [];
  readonly traces: string[] = [];
  settings: unknown;
  private waiters: Waiter[] = [];
  private traceWaiters = new Set<() => void>();
  private exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
    readonly initializeResult: InitializeResult,
  ) {
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const server = options.server ?? path.join(repoRoot(), 'dist', 'server.js');
    const env = options.env ? { ...process.env, ...options.env } : process.env;
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    let self: TestClient | undefined;
    const early: PublishDiagnosticsParams[] = [];
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      if (self) self.received(p);
      else early.push(p);
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      self?.logs.push(p.message);
    });
    connection.onNotification('$/logTrace', (p: { message: string }) => {
      self?.traces.push(p.message);
      self?.traceWaiters.forEach((w) => w());
    });
    connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'dockerfileStages' ? (self?.settings ?? options.settings ?? null) : null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.listen();
    const result = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: options.folder ? pathToFileURL(options.folder).href : null,
      ...(options.folder ? { workspaceFolders: [{ uri: pathToFileURL(options.folder).href, name: path.basename(options.folder) }] } : {}),
      capabilities: options.capabilities ?? EDITOR_CAPABILITIES,
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
    })) as InitializeResult;
    self = new TestClient(child, connection, result);
    self.settings = options.settings;
    await connection.sendNotification('initialized', {});
    early.forEach((p) => self!.received(p));
    return self;
  }

  private received(p: PublishDiagnosticsParams): void {
    const list = this.diagnostics.get(p.uri) ?? [];
    list.push(p);
    this.diagnostics.set(p.uri, list);
    this.waiters = this.waiters.filter((w) => {
      if (w.uri !== p.uri || !w.predicate(p)) return true;
      w.resolve(p);
      return false;
    });
  }

  /** The first trace line (received already or later) that matches `pattern`. */
  waitForTrace(pattern: RegExp): Promise<string> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.traces.find((t) => pattern.test(t));
        if (found === undefined) return;
        this.traceWaiters.delete(check);
        resolve(found);
      };
      this.traceWaiters.add(check);
      check();
    });
  }

  /** The next (or an already received) publishDiagnostics for `uri` that satisfies `predicate`. */
  waitForDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    const seen = this.diagnostics.get(uri)?.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ uri, predicate, resolve }));
  }

  /** The next publishDiagnostics for `uri` that satisfies `predicate`, ignoring those already received. */
  nextDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) => this.waiters.push({ uri, predicate, resolve }));
  }

  /** Diagnostics published for exactly this version of the document. */
  diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.waitForDiagnostics(uri, (p) => p.version === version);
  }

  open(uri: string, text: string, version = 1, languageId = 'dockerfile'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** shutdown + exit, then waits for the process to end; returns its exit code. */
  async stop(): Promise<number | null> {
    if (this.process.exitCode === null) {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    }
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }
}
