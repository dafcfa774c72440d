/**
 * The only place that speaks LSP: wires requests to the features, converts their plain results,
 * and guards every handler (an exception becomes a log line and an empty answer; a cancelled
 * request gets the cancellation error). The server never dies because of a document.
 */
import * as path from 'path';
import type {
  CancellationToken,
  CodeAction,
  CodeLens,
  Diagnostic,
  ClientCapabilities,
  CompletionItem,
  CompletionList,
  Connection,
  DocumentSymbol,
  InitializeResult,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  CompletionItemKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentHighlightKind,
  ErrorCodes,
  FileChangeType,
  FoldingRangeKind,
  LSPErrorCodes,
  MarkupKind,
  ResponseError,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocument,
  TextDocuments,
} from './lsp';
import { Range, sameRange } from '../analysis/positions';
import type * as Engine from '../engine';
import type { ModelStore } from '../analysis/modelStore';
import type { StageModel } from '../analysis/stageModel';
import type { StageSymbol } from '../features/documentSymbols';
import { preEncodedList } from './preEncoded';
import type { LensOptions } from '../features/codeLens';
import type { RuleContext } from '../rules/rule';
import type { RuleSettings } from '../rules/runRules';
import type { DockerignoreFiles } from '../workspace/dockerignoreFile';
import type { BuilderPatternFiles } from '../workspace/builderPatternFiles';
import type { StageGraph } from '../features/stageGraph';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from '../features/semanticTokenLegend';
import type { CodeFix, TextEdit } from '../rules/rule';
import { DEFAULT_SETTINGS, ServerSettings, readSettings } from './settings';
import { BuildFileRequests, BuildFiles, changesOf, pathToUri, uriToPath } from './buildFiles';

import { PRODUCT_NAME, PRODUCT_VERSION } from '../version';
const SETTINGS_SECTION = 'dockerfileStages';
const FIX_ALL_KIND = 'source.fixAll.dockerfileStages';
/** The VS Code client's command that selects a range after a code action's edit (a fix's placeholder). */
const SELECT_RANGE_COMMAND = 'dockerfileStages.selectRange';
/** The files the client is asked to watch: the build files, and Dockerfiles (which they read). */
const WATCHED = [
  '**/{compose,docker-compose}*.{yml,yaml}',
  '**/docker-bake*.{hcl,json}',
  '**/.devcontainer/**/devcontainer.json',
  '**/.devcontainer.json',
  '**/.github/workflows/*.{yml,yaml}',
  '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,*.Containerfile,Dockerfile.*,Containerfile.*}',
  // The build context's ignore file (CopyIgnoredFile): `.dockerignore`, `<Dockerfile>.dockerignore`.
  '**/.dockerignore',
  '**/*.dockerignore',
];

let loadedEngine: typeof Engine | undefined;

/** The analysis engine (engine.ts), evaluated on first use: `initialize` is answered without it. */
function engine(): typeof Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loadedEngine ??= require('../engine') as typeof Engine);
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let modelStore: ModelStore | undefined;
  // A build that stops early says so in the trace (LSP $/logTrace, when the client asks for one).
  const models = (): ModelStore =>
    (modelStore ??= new (engine().ModelStore)((uri, version, why) => connection.tracer.log(`analysis of ${uri} version ${version} stopped: ${why.message}`)));
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let client: ClientCapabilities = {};
  let lensOptions: LensOptions = { buildCommands: true };
  /** The workspace folders (file system paths) whose build files are indexed. */
  let folders: string[] = [];

  // The build files (Compose, Bake, dev containers, workflows) of the workspace: indexed after
  // start, in the background; the Dockerfile features never wait for them.
  let buildFiles: BuildFiles | undefined;
  let buildRequests: BuildFileRequests | undefined;
  const files = (): BuildFiles => {
    if (!buildFiles) {
      buildFiles = new BuildFiles(engine(), openDockerfileModel, (file, e) => logFailure('reading a build file', file, e));
      buildRequests = new BuildFileRequests(engine(), buildFiles);
      // What the build files say changes lenses and diagnostics of every open document.
      buildFiles.index.onChange(() => {
        documents.all().forEach((d) => schedule(d.uri));
        if (client.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
      });
    }
    return buildFiles;
  };
  const requests = (): BuildFileRequests => (files(), buildRequests!);

  /** The model of the open Dockerfile at `file` (the latest one built), for the build files' checks. */
  function openDockerfileModel(file: string): StageModel | undefined {
    for (const d of documents.all()) {
      if (kindOf(d.uri) !== 'dockerfile' || uriToPath(d.uri) !== file) continue;
      return models().latest(d.uri) ?? models().get(d.uri, d.version, () => d.getText());
    }
    return undefined;
  }

  /** What a document is to this server: a Dockerfile, a build file, or neither (left alone). */
  function kindOf(uri: string): 'dockerfile' | 'build' | 'other' {
    const doc = documents.get(uri);
    const file = uriToPath(uri);
    if (file && engine().buildFileKind(file)) return 'build';
    if (doc?.languageId === 'dockerfile') return 'dockerfile';
    return file && engine().isDockerfileName(file) ? 'dockerfile' : 'other';
  }

  // The checks of an open build file read the stage names of the Dockerfiles it builds, from
  // their open text when they are open: when an open Dockerfile's names change (an edit, a
  // close that leaves the file on disk to count), the open build files that build it are
  // checked again. Kept per Dockerfile: the names its last published model had.
  const stageNamesPublished = new Map<string, string>();
  function dockerfileNamesChanged(uri: string, model: StageModel | undefined): void {
    const names = model ? [...model.stageByKey.keys()].join('\n') : undefined;
    if (stageNamesPublished.get(uri) === names) return;
    if (names === undefined) stageNamesPublished.delete(uri);
    else stageNamesPublished.set(uri, names);
    const file = uriToPath(uri);
    if (!file || !buildFiles) return;
    const builders = new Set(buildFiles.index.buildsOf(file).map((e) => path.resolve(e.file)));
    if (builders.size === 0) return;
    for (const d of documents.all()) {
      const f = uriToPath(d.uri);
      if (f && builders.has(path.resolve(f))) schedule(d.uri);
    }
  }

  // BuildKit's checks are left to Docker's extension when it runs beside this one (the client says
  // so), unless the `buildkitChecks` setting says otherwise.
  let dockerExtension = false;
  // Whether the client runs SELECT_RANGE_COMMAND (only the VS Code extension has it): other
  // editors get a fix's edit alone, its placeholder left in the text to be seen.
  let selectsRanges = false;
  const ruleSettings = (): RuleSettings => ({
    severity: settings.severity,
    buildkitChecks: settings.buildkitChecks === 'on' || (settings.buildkitChecks === 'auto' && !dockerExtension),
  });
  // The build context's ignore file, looked for beside the Dockerfile (workspace/dockerignoreFile.ts).
  let dockerignoreFiles: DockerignoreFiles | undefined;
  let builderPatternFiles: BuilderPatternFiles | undefined;
  const ruleContext = (uri: string): RuleContext | undefined => {
    const file = uriToPath(uri);
    if (!file) return undefined;
    const dockerignore = (dockerignoreFiles ??= new (engine().DockerignoreFiles)()).find(file);
    // The builder pattern of the Dockerfile's folder (BuilderPattern), from workspace/builderPatternFiles.ts.
    const builderPattern = (builderPatternFiles ??= new (engine().BuilderPatternFiles)()).find(file);
    return dockerignore || builderPattern ? { dockerignore, builderPattern } : undefined;
  };

  /** The builds other files describe of the Dockerfile `uri` (none for a file that is not on disk). */
  const buildsOf = (uri: string, model: StageModel) => (buildFiles ? buildFiles.buildsOf(uriToPath(uri), model) : engine().NO_BUILDS);
  // The first diagnostics wait for the user's settings, so that a severity override never
  // flashes the default severity first. Resolved after the first workspace/configuration answer.
  let settingsLoaded = false;
  let markSettingsLoaded: () => void = () => undefined;
  const settingsReady = new Promise<void>((resolve) => (markSettingsLoaded = () => {
    settingsLoaded = true;
    resolve();
  }));

  /**
   * The model of the document's current version, built in slices (modelStore.ts) so that other
   * messages, a cancellation among them, are read while a huge file is analysed.
   */
  const modelOf = (uri: string, token?: CancellationToken): Promise<StageModel> | undefined => {
    const doc = documents.get(uri);
    return doc ? models().getAsync(uri, doc.version, () => doc.getText(), token) : undefined;
  };

  // An exception is logged once per place and message, not once per keystroke: the same bug hit
  // on every edit would otherwise flood the editor's output.
  const logged = new Set<string>();
  const logFailure = (name: string, uri: string, e: unknown) => {
    const error = e instanceof Error ? e : new Error(String(e));
    const key = `${name}\u0000${error.message}\u0000${(error.stack ?? '').split('\n')[1] ?? ''}`;
    if (logged.has(key)) return;
    logged.add(key);
    connection.console.error(`${name} failed on ${uri}: ${error.stack ?? error.message} (logged once; later failures of the same kind are not)`);
  };

  const cancelled = () => new ResponseError<void>(LSPErrorCodes.RequestCancelled, 'Request cancelled');

  /** Runs a request on a build file: once its latest text is read into the index; never throws. */
  async function buildGuard<T>(name: string, uri: string, token: CancellationToken | undefined, empty: T, fn: (file: string) => T | ResponseError<void>): Promise<T | ResponseError<void>> {
    const file = uriToPath(uri);
    if (!file) return empty;
    try {
      await files().index.settled(file);
      if (token?.isCancellationRequested) return cancelled();
      return fn(file);
    } catch (e) {
      logFailure(name, uri, e);
      return empty;
    }
  }

  /**
   * Runs a request handler on the current model; never throws. A request cancelled while its
   * model is being built is answered at once (and the build stops when nobody else waits for it);
   * one whose document changed meanwhile gets ContentModified, as LSP provides.
   */
  async function guard<T>(name: string, uri: string, token: CancellationToken | undefined, empty: T, fn: (model: StageModel) => T | ResponseError<void>): Promise<T | ResponseError<void>> {
    if (token?.isCancellationRequested) return cancelled();
    if (kindOf(uri) !== 'dockerfile') return empty;
    let model: StageModel | undefined;
    try {
      model = await modelOf(uri, token);
    } catch (e) {
      if (e instanceof engine().BuildCancelled) return cancelled();
      if (e instanceof engine().BuildSuperseded) return new ResponseError(LSPErrorCodes.ContentModified, 'The document changed');
      logFailure(name, uri, e);
      return empty;
    }
    if (!model) return empty;
    if (token?.isCancellationRequested) return cancelled();
    try {
      return fn(model);
    } catch (e) {
      logFailure(name, uri, e);
      return empty;
    }
  }

  // Diagnostics are published for the newest version only. An open or a lone change is analysed
  // at once; a change that follows another change within 50 ms (typing) waits a little longer than the gap
  // between the two, but never longer than the last analysis of that document took (nor 50 ms),
  // and the wait restarts with each change: on a small file that is nothing, on a huge one a
  // burst of keystrokes is analysed once instead of queueing up behind each other.
  // A publish always reads the document's current version, so none is ever stale.
  /** The pending publish of each document: a timer while typing, else the next turn of the loop. */
  const timers = new Map<string, { cancel(): void }>();
  const lastCost = new Map<string, number>();
  const lastChange = new Map<string, number>();
  /** Documents whose content event is their opening: an open is no keystroke to wait for more of. */
  const opening = new Set<string>();
  const schedule = (uri: string) => {
    timers.get(uri)?.cancel();
    const now = performance.now();
    const opened = opening.delete(uri);
    const previous = opened ? undefined : lastChange.get(uri);
    if (opened) lastChange.delete(uri);
    else lastChange.set(uri, now);
    const gap = previous === undefined ? Infinity : now - previous;
    const delay = gap < 50 ? Math.round(Math.min(50, lastCost.get(uri) ?? 0, gap * 1.5)) : 0;
    const run = () => {
      timers.delete(uri);
      if (settingsLoaded) void publish(uri);
      else void settingsReady.then(() => publish(uri));
    };
    // No delay: setImmediate, not setTimeout(0), which waits a millisecond at least.
    if (delay === 0) {
      const immediate = setImmediate(run);
      timers.set(uri, { cancel: () => clearImmediate(immediate) });
    } else {
      connection.tracer.log(`diagnostics of ${uri} wait ${delay} ms: a change ${Math.round(gap)} ms after the one before`);
      const timeout = setTimeout(run, delay);
      timers.set(uri, { cancel: () => clearTimeout(timeout) });
    }
  };
  async function publish(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const kind = kindOf(uri);
    if (kind === 'other') return;
    if (kind === 'build') return publishBuildFile(uri, version);
    // With diagnostics off nothing needs the model: nothing is analysed for them.
    if (!settings.enable.diagnostics) {
      void connection.sendDiagnostics({ uri, version, diagnostics: [] });
      return;
    }
    const started = performance.now();
    try {
      const model = await modelOf(uri);
      // A newer version (or a close) came meanwhile: its own publish follows.
      if (!model || documents.get(uri)?.version !== version) return;
      const related = client.textDocument?.publishDiagnostics?.relatedInformation === true;
      const diagnostics = engine().findingsFor(model, ruleSettings(), buildsOf(uri, model), ruleContext(uri)).map((f) => engine().toDiagnostic(f, uri, related));
      void connection.sendDiagnostics({ uri, version, diagnostics });
      lastCost.set(uri, performance.now() - started);
      dockerfileNamesChanged(uri, model);
    } catch (e) {
      if (e instanceof engine().BuildSuperseded || e instanceof engine().BuildCancelled) return;
      logFailure('diagnostics', uri, e);
    }
  }

  /** A build file's own findings: targets that name no stage, Dockerfile paths that name no file. */
  async function publishBuildFile(uri: string, version: number): Promise<void> {
    const file = uriToPath(uri);
    if (!file) return;
    try {
      await files().index.settled(file);
      if (documents.get(uri)?.version !== version) return;
      const related = client.textDocument?.publishDiagnostics?.relatedInformation === true;
      const overrides = settings.severity;
      const findings = settings.enable.diagnostics ? requests().findings(file).filter((f) => overrides[f.code] !== 'off') : [];
      const diagnostics = findings.map((f) => engine().toDiagnostic(overrides[f.code] && overrides[f.code] !== 'off' ? { ...f, severity: overrides[f.code] as typeof f.severity } : f, uri, related));
      void connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (e) {
      logFailure('diagnostics', uri, e);
    }
  }

  async function loadSettings(): Promise<void> {
    if (!client.workspace?.configuration) return;
    try {
      const [raw] = await connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }]);
      settings = readSettings(raw);
    } catch (e) {
      connection.console.error(`reading settings failed: ${String(e)}`);
    }
  }

  connection.onInitialize((params): InitializeResult => {
    client = params.capabilities;
    folders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []))
      .map((f) => uriToPath(f.uri))
      .filter((f): f is string => f !== undefined);
    if (!client.workspace?.configuration) markSettingsLoaded();
    const options = params.initializationOptions as Record<string, unknown> | undefined;
    if (options?.settings) settings = readSettings(options.settings);
    // VS Code tells whether the workspace is trusted; other editors have no such notion.
    if (options?.workspaceTrusted === false) lensOptions = { buildCommands: false };
    // VS Code's client says whether Docker's extension (docker.docker) is installed and enabled.
    dockerExtension = options?.dockerExtension === true;
    selectsRanges = options?.selectRangeCommand === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        completionProvider: { triggerCharacters: ['=', ' ', '$', '{'], resolveProvider: true },
        hoverProvider: true,
        documentSymbolProvider: { label: 'Dockerfile stages' },
        foldingRangeProvider: true,
        codeLensProvider: { resolveProvider: true },
        semanticTokensProvider: {
          legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] },
          full: true,
        },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND] },
      },
      serverInfo: { name: PRODUCT_NAME, version: PRODUCT_VERSION },
    };
  });

  connection.onInitialized(() => {
    // Load the engine now, while the editor is still opening files, not on the first request.
    // (Should that fail, each request that needs it fails alone, in its guard, and says why.)
    setImmediate(() => {
      try {
        engine();
      } catch {
        /* reported by the first request that needs the engine */
      }
    });
    if (client.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    void loadSettings().then(markSettingsLoaded);
    // The build files: watched by the client where it can, then found in the background.
    if (client.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED.map((globPattern) => ({ globPattern })) });
    }
    if (folders.length > 0) {
      setImmediate(() => {
        for (const folder of folders) files().index.addFolder(folder).catch((e: unknown) => logFailure('indexing build files', folder, e));
      });
    }
  });

  connection.onDidChangeWatchedFiles((p) => {
    for (const change of p.changes) {
      const file = uriToPath(change.uri);
      if (!file) continue;
      if (engine().isDockerignoreName(file)) {
        // The Dockerfiles of that folder read it (it is read again when its size or time changed).
        const dir = path.dirname(file);
        documents.all().forEach((d) => {
          const f = uriToPath(d.uri);
          if (f && path.dirname(f) === dir && kindOf(d.uri) === 'dockerfile') schedule(d.uri);
        });
        continue;
      }
      if (engine().buildFileKind(file)) {
        // An open document's text stays what counts while it is open.
        if (!documents.get(change.uri)) void files().index.refresh(file);
      } else if (engine().isDockerfileName(file)) {
        files().forget(file);
        // The build files' checks read that Dockerfile.
        documents.all().forEach((d) => kindOf(d.uri) === 'build' && schedule(d.uri));
      }
      if (change.type === FileChangeType.Deleted) files().forget(file);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    const pushed = (change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
    const done = client.workspace?.configuration ? loadSettings() : Promise.resolve(void (settings = readSettings(pushed)));
    void done.then(() => documents.all().forEach((d) => schedule(d.uri)));
  });

  // A document opened again without a close (a client restarting its view of it) may come back
  // with the same version number and other text: its model is made afresh.
  documents.onDidOpen((e) => {
    modelStore?.delete(e.document.uri);
    opening.add(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    const file = uriToPath(e.document.uri);
    // A build file's open text wins over the disk; reading it reschedules what depends on it.
    if (file && kindOf(e.document.uri) === 'build') void files().index.setOpen(file, e.document.getText());
    schedule(e.document.uri);
  });
  let forgetDocumentNumber: (uri: string) => void = () => undefined;
  documents.onDidClose((e) => {
    timers.get(e.document.uri)?.cancel();
    timers.delete(e.document.uri);
    lastCost.delete(e.document.uri);
    lastChange.delete(e.document.uri);
    modelStore?.delete(e.document.uri);
    forgetDocumentNumber(e.document.uri);
    const file = uriToPath(e.document.uri);
    if (file && buildFiles?.isBuildFile(file)) void buildFiles.index.setOpen(file, undefined);
    // A closed Dockerfile is read from disk again by the build files' checks.
    else dockerfileNamesChanged(e.document.uri, undefined);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** Links as the client takes them: LocationLinks where it supports them. */
  const links = (found: { uri: string; origin: Range; targetRange: Range; range: Range }[]) =>
    client.textDocument?.definition?.linkSupport
      ? found.map((l) => ({ targetUri: l.uri, originSelectionRange: l.origin, targetRange: l.targetRange, targetSelectionRange: l.range }))
      : found.map((l) => ({ uri: l.uri, range: l.range }));

  connection.onDefinition((p, token) => {
    const uri = p.textDocument.uri;
    if (kindOf(uri) === 'build') {
      return buildGuard('definition', uri, token, [], (file) => (settings.enable.navigation ? links(requests().definition(file, p.position)) : []));
    }
    return guard('definition', uri, token, [], (model) => {
      if (!settings.enable.navigation) return [];
      const found = engine().definition(model, p.position).map((l) => ({ uri, origin: l.originRange, targetRange: l.targetRange, range: l.targetSelectionRange }));
      // A name that a Compose or Bake build gives a named context leads to that entry too.
      const ref = model.refAt(p.position);
      if (ref) {
        for (const { context, entry } of engine().contextsFor(ref, buildsOf(uri, model))) {
          found.push({ uri: pathToUri(entry.file), origin: ref.range, targetRange: context.range, range: context.range });
        }
      }
      return links(found);
    });
  });

  connection.onReferences((p, token) => {
    const uri = p.textDocument.uri;
    if (kindOf(uri) === 'build') {
      return buildGuard('references', uri, token, [], (file) => {
        const at = settings.enable.navigation ? requests().stageAt(file, p.position) : undefined;
        return at ? requests().stageReferences(at.model, at.stage, at.dockerfile, p.context.includeDeclaration) : [];
      });
    }
    return guard('references', uri, token, [], (model) => {
      if (!settings.enable.navigation) return [];
      const here = engine().references(model, p.position, p.context.includeDeclaration).map((range) => ({ uri, range }));
      // The targets of build files that build the stage are its uses too.
      const stage = engine().stageAtCursor(model, p.position);
      const file = uriToPath(uri);
      return stage && file && buildFiles ? [...here, ...requests().externalReferences(model, stage, file)] : here;
    });
  });

  connection.onDocumentHighlight((p, token) =>
    guard('documentHighlight', p.textDocument.uri, token, [], (model) =>
      settings.enable.navigation
        ? engine().documentHighlights(model, p.position).map((h) => ({ range: h.range, kind: h.kind === 'write' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }))
        : [],
    ),
  );

  connection.onPrepareRename((p, token) => {
    const uri = p.textDocument.uri;
    if (kindOf(uri) === 'build') {
      return buildGuard('prepareRename', uri, token, null, (file) => {
        if (!settings.enable.rename) return null;
        const at = requests().stageAt(file, p.position);
        if (!at) return new ResponseError(ErrorCodes.InvalidRequest, 'Rename works on a target that names a stage of its Dockerfile.');
        const target = at.entry.target!;
        if (!target.literal) return new ResponseError(ErrorCodes.InvalidRequest, `${target.written} is computed: rename the stage in its Dockerfile, or write the target as a plain name.`);
        return { range: target.range, placeholder: target.value! };
      });
    }
    return guard('prepareRename', uri, token, null, (model) => {
      if (!settings.enable.rename) return null;
      const r = engine().prepareRename(model, p.position);
      return 'error' in r ? new ResponseError(ErrorCodes.InvalidRequest, r.error) : r;
    });
  });

  // A stage's rename changes the targets of the build files that build it, in the same edit.
  connection.onRenameRequest((p, token) => {
    const uri = p.textDocument.uri;
    if (kindOf(uri) === 'build') {
      return buildGuard('rename', uri, token, null, (file) => {
        if (!settings.enable.rename) return null;
        const r = requests().rename(file, p.position, p.newName);
        if (!r) return null;
        return 'error' in r ? new ResponseError(ErrorCodes.InvalidRequest, r.error) : r;
      });
    }
    return guard('rename', uri, token, null, (model) => {
      if (!settings.enable.rename) return null;
      const r = engine().rename(model, p.position, p.newName, buildsOf(uri, model));
      if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
      return { changes: changesOf(uri, r.edits, r.others) };
    });
  });

  // Completion items and CodeLenses name their document by a small number: a big file has
  // thousands of them, and resolve requests carry no document.
  // A closed document's number is forgotten (a resolve for it then finds nothing to resolve).
  const documentUris = new Map<number, string>();
  const documentNumbers = new Map<string, number>();
  let nextDocumentNumber = 0;
  const documentNumber = (uri: string): number => {
    let n = documentNumbers.get(uri);
    if (n === undefined) {
      n = nextDocumentNumber++;
      documentUris.set(n, uri);
      documentNumbers.set(uri, n);
    }
    return n;
  };
  forgetDocumentNumber = (uri: string): void => {
    const n = documentNumbers.get(uri);
    if (n === undefined) return;
    documentNumbers.delete(uri);
    documentUris.delete(n);
  };

  // On a 1000-stage file there are 1000 items: the shared edit range goes in itemDefaults, and
  // the documentation and detail are sent on resolve, as far as the client supports it, to keep
  // the answer small (the editor resolves the item it shows).
  connection.onCompletion((p, token) => {
    if (kindOf(p.textDocument.uri) === 'build') {
      // The stage names of the Dockerfile a target builds.
      return buildGuard('completion', p.textDocument.uri, token, null as CompletionList | null, (file) => {
        if (!settings.enable.completion) return null;
        const items = requests().completion(file, p.position).map((c): CompletionItem => ({ label: c.label, kind: CompletionItemKind.Reference, detail: c.detail, textEdit: { range: c.range, newText: c.label } }));
        return { isIncomplete: false, items };
      });
    }
    return guard('completion', p.textDocument.uri, token, null as CompletionList | null, (model) => {
      if (!settings.enable.completion) return null;
      const doc = documents.get(p.textDocument.uri)!;
      const linePrefix = doc.getText({ start: { line: p.position.line, character: 0 }, end: p.position });
      // After `$` or `${`: the variables visible there.
      const variables = engine().variableCompletions(model, p.position, linePrefix);
      if (variables) {
        const items = variables.map((v): CompletionItem => ({ label: v.label, kind: CompletionItemKind.Variable, detail: v.detail, textEdit: { range: v.replaceRange, newText: v.label } }));
        return { isIncomplete: false, items };
      }
      const found = engine().completions(model, p.position, linePrefix);
      const capabilities = client.textDocument?.completion;
      const sharedRange = capabilities?.completionList?.itemDefaults?.includes('editRange') && found.length > 0 ? found[0].replaceRange : undefined;
      const resolvable = capabilities?.completionItem?.resolveSupport?.properties ?? [];
      const lazyDocs = resolvable.includes('documentation');
      const lazyDetail = lazyDocs && resolvable.includes('detail');
      const items = found.map((c): CompletionItem => {
        const item: CompletionItem = { label: c.label, kind: CompletionItemKind.Reference, sortText: c.sortText };
        if (!lazyDetail) item.detail = c.detail;
        if (lazyDocs) item.data = c.byIndex ? [documentNumber(p.textDocument.uri), c.stage, 1] : [documentNumber(p.textDocument.uri), c.stage];
        else item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
        if (!sharedRange || !sameRange(sharedRange, c.replaceRange)) item.textEdit = { range: c.replaceRange, newText: c.label };
        return item;
      });
      return { isIncomplete: false, items, ...(sharedRange ? { itemDefaults: { editRange: sharedRange } } : {}) };
    });
  });

  // data: [document number, stage index] and a 1 for an item offering the stage by its index;
  // kept short: a big file offers a thousand stages.
  connection.onCompletionResolve((item) => {
    const data = item.data as [number, number, 1?] | undefined;
    const uri = data && documentUris.get(data[0]);
    const model = uri ? models().latest(uri) : undefined;
    const stage = model?.stages[data![1]];
    if (model && stage) {
      item.documentation = { kind: MarkupKind.Markdown, value: engine().stageDocumentation(stage) };
      item.detail ??= engine().completionDetail(model, stage, data![2] === 1);
    }
    return item;
  });

  connection.onHover((p, token) => {
    const uri = p.textDocument.uri;
    const answer = (h: { markdown: string; range: Range } | undefined) => (h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range } : null);
    if (kindOf(uri) === 'build') {
      return buildGuard('hover', uri, token, null, (file) => (settings.enable.hover ? answer(requests().hover(file, p.position)) : null));
    }
    return guard('hover', uri, token, null, (model) => {
      if (!settings.enable.hover) return null;
      const line = documents.get(uri)?.getText({ start: { line: p.position.line, character: 0 }, end: { line: p.position.line + 1, character: 0 } }).replace(/\r?\n$/, '');
      return answer(engine().hover(model, p.position, buildsOf(uri, model), line));
    });
  });

  // The outline goes out pre-encoded: each top-level symbol's JSON is kept with the symbol, which
  // lives as long as its stage's text does (a PreEncoded is the same list to the library).
  connection.onDocumentSymbol((p, token) =>
    guard('documentSymbol', p.textDocument.uri, token, [] as DocumentSymbol[], (model) =>
      settings.enable.symbols ? (preEncodedList(engine().documentSymbols(model).map(toDocumentSymbol), symbolJson) as unknown as DocumentSymbol[]) : [],
    ),
  );

  connection.onFoldingRanges((p, token) =>
    guard('foldingRange', p.textDocument.uri, token, [], (model) =>
      settings.enable.folding
        ? engine().foldingRanges(model).map((f) => ({
            startLine: f.startLine,
            endLine: f.endLine,
            kind: f.kind === 'comment' ? FoldingRangeKind.Comment : f.kind === 'region' ? FoldingRangeKind.Region : undefined,
          }))
        : [],
    ),
  );

  // Lenses are sent with their place only and resolved when the editor shows them: a
  // 1000-stage file has 1000 lenses, of which a screen shows a dozen.
  connection.onCodeLens((p, token) =>
    guard('codeLens', p.textDocument.uri, token, [] as CodeLens[], (model) => {
      if (!settings.enable.codeLens) return [];
      const doc = documentNumber(p.textDocument.uri);
      return model.stages.map((stage): CodeLens => ({ range: engine().lensRange(stage), data: [doc, stage.index] }));
    }),
  );

  connection.onCodeLensResolve(async (lens, token) => {
    // data: [document number, stage index] (kept short: a big file has thousands).
    const data = lens.data as [number, number] | undefined;
    const uri = data && documentUris.get(data[0]);
    if (!data || !uri) return lens;
    const resolved = await guard('codeLens/resolve', uri, token, undefined, (model) => {
      const stage = model.stages[data[1]];
      return stage ? engine().stageLens(model, stage, uri, lensOptions, buildsOf(uri, model)) : undefined;
    });
    // A lens without a command is shown as plain text; one whose stage is gone shows nothing.
    const l = resolved instanceof ResponseError ? undefined : resolved;
    lens.command = { title: l?.title ?? '', command: l?.command?.command ?? '', arguments: l?.command?.arguments };
    return lens;
  });

  connection.onNotification('dockerfileStages/dockerExtension', (p: { present?: unknown }) => {
    dockerExtension = p?.present === true;
    documents.all().forEach((d) => schedule(d.uri));
  });

  connection.onNotification('dockerfileStages/workspaceTrusted', () => {
    lensOptions = { buildCommands: true };
    if (client.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
  });

  connection.languages.semanticTokens.on((p, token) =>
    guard('semanticTokens', p.textDocument.uri, token, { data: [] }, (model) => ({ data: settings.enable.navigation ? engine().semanticTokens(model) : [] })),
  );

  // The stage list and graph for the client's Go to Stage, Next/Previous Stage and graph view.
  connection.onRequest('dockerfileStages/stageGraph', (p: { textDocument: { uri: string } }, token: CancellationToken) =>
    guard<StageGraph>('stageGraph', p.textDocument.uri, token, { stages: [], edges: [] }, (model) => engine().stageGraph(model)),
  );

  // Quick fixes for this server's diagnostics (recomputed from the current version's findings,
  // matched by code and range), "Name this stage" on an unnamed stage's FROM line, and, only
  // when asked for by kind (source.fixAll, e.g. on save), one action with every fix-all fix.
  connection.onCodeAction((p, token) => {
    if (kindOf(p.textDocument.uri) === 'build') {
      // "Change to 'stage'" for a target that names no stage.
      return buildGuard('codeAction', p.textDocument.uri, token, [] as CodeAction[], (file) => {
        if (!settings.enable.codeActions) return [];
        const findings = requests().findings(file);
        const actions: CodeAction[] = [];
        for (const d of p.context.diagnostics.filter((x) => x.source === engine().SOURCE)) {
          const finding = findings.find((f) => f.code === d.code && sameRange(f.range, d.range));
          for (const fix of finding ? engine().buildFileFixes(finding) : []) {
            actions.push({ title: fix.title, kind: fix.kind, diagnostics: [d], ...(fix.isPreferred ? { isPreferred: true } : {}), edit: workspaceEdit(p.textDocument.uri, fix.edits) });
          }
        }
        return actions;
      });
    }
    return guard('codeAction', p.textDocument.uri, token, [] as CodeAction[], (model) => {
      if (!settings.enable.codeActions) return [];
      const uri = p.textDocument.uri;
      const only = p.context.only;
      const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
      const source = new (engine().SourceText)(documents.get(uri)!.getText());
      const toAction = (fix: CodeFix, diagnostics?: Diagnostic[]): CodeAction => ({
        title: fix.title,
        kind: fix.kind,
        ...(diagnostics ? { diagnostics } : {}),
        ...(fix.isPreferred ? { isPreferred: true } : {}),
        edit: workspaceEdit(uri, fix.edits),
        // A client that has the command (the VS Code extension says so) selects the text to fill in.
        ...(fix.placeholder && selectsRanges ? { command: { title: 'Select the placeholder', command: SELECT_RANGE_COMMAND, arguments: [uri, fix.placeholder] } } : {}),
      });
      const actions: CodeAction[] = [];
      const ours = p.context.diagnostics.filter((d) => d.source === engine().SOURCE);
      if (ours.length > 0 && wants(CodeActionKind.QuickFix)) {
        const findings = engine().findingsFor(model, ruleSettings(), buildsOf(uri, model), ruleContext(uri));
        for (const d of ours) {
          const finding = findings.find((f) => f.code === d.code && sameRange(f.range, d.range));
          if (!finding) continue;
          for (const fix of engine().fixesFor(model, finding, source, { runtimeImages: settings.runtimeImages })) if (wants(fix.kind)) actions.push(toAction(fix, [d]));
        }
      }
      if (wants(CodeActionKind.RefactorRewrite)) {
        const fix = engine().nameStageRefactor(model, p.range);
        if (fix) actions.push(toAction(fix));
      }
      if (only?.some((k) => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(k + '.')) && settings.enable.diagnostics) {
        const edits = engine().fixAllEdits(model, engine().findingsFor(model, ruleSettings(), buildsOf(uri, model), ruleContext(uri)), source);
        if (edits.length > 0) {
          actions.push({ title: 'Fix all Dockerfile stage problems that are safe to fix', kind: FIX_ALL_KIND, edit: workspaceEdit(uri, edits) });
        }
      }
      return actions;
    });
  });

  // The client's "Name this stage" CodeLens: the same edits as the refactoring, as a WorkspaceEdit.
  connection.onRequest('dockerfileStages/nameStage', (p: { textDocument: { uri: string }; stage: number }, token: CancellationToken) =>
    guard<WorkspaceEdit | null>('nameStage', p.textDocument.uri, token, null, (model) => {
      const fix = typeof p.stage === 'number' ? engine().nameStageFix(model, p.stage) : undefined;
      return fix ? workspaceEdit(p.textDocument.uri, fix.edits) : null;
    }),
  );

  documents.listen(connection);
  connection.listen();
}

/** A fix's edits as a WorkspaceEdit (the fixes wrote line breaks as the document does). */
function workspaceEdit(uri: string, edits: TextEdit[]): WorkspaceEdit {
  return { changes: { [uri]: edits.map((e) => ({ range: e.range, newText: e.newText })) } };
}

const SYMBOL_KIND: Record<StageSymbol['kind'], SymbolKind> = {
  stage: SymbolKind.Class,
  instruction: SymbolKind.Method,
  arg: SymbolKind.Variable,
  args: SymbolKind.Namespace,
};

const lspSymbols = new WeakMap<StageSymbol, DocumentSymbol>();
/** The UTF-8 JSON of each LSP symbol sent at the top level of an outline. */
const symbolJson = new WeakMap<DocumentSymbol, Uint8Array>();

/**
 * The LSP form of a symbol, made once per symbol (stage symbols are kept across versions). Empty
 * details and child lists are left out: an outline can have thousands of entries.
 */
function toDocumentSymbol(s: StageSymbol): DocumentSymbol {
  let symbol = lspSymbols.get(s);
  if (symbol) return symbol;
  symbol = { name: s.name, kind: SYMBOL_KIND[s.kind], range: s.range, selectionRange: s.selectionRange };
  if (s.detail) symbol.detail = s.detail;
  if (s.children.length > 0) symbol.children = s.children.map(toDocumentSymbol);
  lspSymbols.set(s, symbol);
  return symbol;
}
