/**
 * "Show Stage Graph": one webview beside the editor that shows the graph of the active
 * Dockerfile (client/src/webview/stageGraphView.ts draws it with Graphviz). It follows the
 * active editor (switching to another Dockerfile shows that file's graph and retitles the
 * panel), the document as it is edited, the cursor (the stage under it is highlighted) and the
 * colour theme; a click on a stage reveals its FROM line. Each file's view (zoom, pan, focus
 * mode) is kept, here and across sessions (workspace state), and handed back when the file's
 * graph is shown again.
 */
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { StageGraph } from '../../server/src/features/stageGraph';
import { stageGraphHtml } from './stageGraphHtml';
import { StageGraphViewReport, StageGraphViewState, ToStageGraphView, isFromStageGraphView, isViewState } from './stageGraphMessages';

export type { StageGraph } from '../../server/src/features/stageGraph';

/** Asks the language server for a document's graph (custom request `dockerfileStages/stageGraph`). */
export type FetchStageGraph = (uri: string) => Promise<StageGraph>;

/** What the panel shows, for tests and troubleshooting (command `dockerfileStages.stageGraphState`). */
export interface StageGraphPanelState extends StageGraphViewReport {
  /** The panel's title. */
  title: string;
}

/** Edits closer together than this refresh the graph once. */
const UPDATE_DELAY_MS = 300;
/** Cursor moves closer together than this are posted once. */
const CURSOR_DELAY_MS = 50;
/** Views kept in the workspace state, the most recently used. */
const MAX_SAVED_VIEWS = 100;
const VIEW_STATE_KEY = 'dockerfileStages.stageGraph.views';

function isDockerfile(document: vscode.TextDocument): boolean {
  return document.languageId === 'dockerfile';
}

/** The panel title's name for a document: its path in the workspace, or its file name. */
export function documentName(uri: vscode.Uri): string {
  const relative = vscode.workspace.asRelativePath(uri, false);
  if (relative && relative !== uri.fsPath && relative !== uri.toString() && !path.isAbsolute(relative)) return relative.replace(/\\/g, '/');
  return path.posix.basename(uri.path) || uri.toString();
}

/** Registers Show Stage Graph and the (hidden) command that tells what the panel shows. */
export function registerStageGraph(context: vscode.ExtensionContext, fetchGraph: FetchStageGraph): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dockerfileStages.showStageGraph', () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isDockerfile(editor.document)) {
        void vscode.window.showInformationMessage('Open a Dockerfile to see its stage graph.');
        return;
      }
      StageGraphPanel.show(context, editor.document, fetchGraph);
    }),
    vscode.commands.registerCommand('dockerfileStages.stageGraphState', (): Promise<StageGraphPanelState | undefined> =>
      StageGraphPanel.current?.queryState() ?? Promise.resolve(undefined)),
  );
}

export class StageGraphPanel implements vscode.Disposable {
  static readonly viewType = 'dockerfileStages.stageGraph';
  /** The one panel, if it is open. */
  static current: StageGraphPanel | undefined;

  /** Shows the graph of `document` in the panel, opening it beside the editor if it is not open. */
  static show(context: vscode.ExtensionContext, document: vscode.TextDocument, fetchGraph: FetchStageGraph): StageGraphPanel {
    const existing = StageGraphPanel.current;
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      existing.showDocument(document);
      return existing;
    }
    const created = new StageGraphPanel(context, document, fetchGraph);
    StageGraphPanel.current = created;
    context.subscriptions.push(created);
    created.disposables.push({
      dispose: () => {
        const i = context.subscriptions.indexOf(created);
        if (i !== -1) context.subscriptions.splice(i, 1);
      },
    });
    return created;
  }

  private readonly panel: vscode.WebviewPanel;
  /** The document shown (its URI as a string) and its name in the title. */
  private key: string;
  private name: string;
  /** The column of the last Dockerfile editor, where a click reveals a stage when its document is not visible. */
  private sourceColumn: vscode.ViewColumn | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older requests than the latest are dropped. */
  private requestSeq = 0;
  private querySeq = 0;
  private readonly queries = new Map<number, (report: StageGraphViewReport | undefined) => void>();
  private disposed = false;

  private constructor(private readonly context: vscode.ExtensionContext, document: vscode.TextDocument, private readonly fetchGraph: FetchStageGraph) {
    this.key = document.uri.toString();
    this.name = documentName(document.uri);
    this.sourceColumn = this.editorOf(this.key)?.viewColumn;
    const distFolder = vscode.Uri.joinPath(context.extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel(
      StageGraphPanel.viewType,
      this.title(),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [distFolder], retainContextWhenHidden: false },
    );
    const webview = this.panel.webview;
    webview.html = stageGraphHtml({
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(distFolder, 'stageGraphView.js')).toString(),
      fileName: this.name,
    });

    this.disposables.push(
      // The webview posts 'ready' when its script has loaded: first, and again each time the
      // hidden panel is shown (its context is not retained), so it is always sent the graph.
      webview.onDidReceiveMessage((m: unknown) => {
        if (!isFromStageGraphView(m)) return;
        switch (m.type) {
          case 'ready':
            this.refresh();
            break;
          case 'reveal':
            void this.reveal(m.uri ?? this.key, m.line);
            break;
          case 'viewState':
            void this.saveViewState(m.uri, m.state);
            break;
          case 'state': {
            const resolve = this.queries.get(m.id);
            this.queries.delete(m.id);
            resolve?.(m.report);
            break;
          }
        }
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // Another Dockerfile becomes active: show its graph. Anything else (the panel itself,
        // another kind of file, the output) leaves the graph as it is.
        if (editor && isDockerfile(editor.document)) {
          this.sourceColumn = editor.viewColumn ?? this.sourceColumn;
          if (editor.document.uri.toString() !== this.key) this.showDocument(editor.document);
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() === this.key) this.scheduleCursor();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.key && e.contentChanges.length > 0) this.scheduleRefresh();
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    if (StageGraphPanel.current === this) StageGraphPanel.current = undefined;
    for (const resolve of this.queries.values()) resolve(undefined);
    this.queries.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private title(): string {
    return `Stages: ${this.name}`;
  }

  /** Shows `document`'s graph (the panel's title says which). */
  private showDocument(document: vscode.TextDocument): void {
    if (this.disposed) return;
    const key = document.uri.toString();
    if (key !== this.key) {
      this.key = key;
      this.name = documentName(document.uri);
      this.panel.title = this.title();
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.refresh();
  }

  private scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, UPDATE_DELAY_MS);
  }

  private scheduleCursor(): void {
    if (this.cursorTimer) return;
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = undefined;
      const line = this.cursorLine();
      if (line !== undefined) void this.panel.webview.postMessage({ type: 'cursor', uri: this.key, line } satisfies ToStageGraphView);
    }, CURSOR_DELAY_MS);
  }

  /** The editor showing document `key`: the active one if it does, else a visible one. */
  private editorOf(key: string): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active?.document.uri.toString() === key) return active;
    return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
  }

  private cursorLine(): number | undefined {
    return this.editorOf(this.key)?.selection.active.line;
  }

  /** Fetches the graph and posts it (or the reason it could not be had) to the webview. */
  refresh(): void {
    if (this.disposed) return;
    const seq = ++this.requestSeq;
    const document = { uri: this.key, name: this.name };
    this.fetchGraph(this.key).then(
      (graph) => this.post(seq, { type: 'graph', graph, document, cursorLine: this.cursorLine() ?? null, viewState: this.savedViewState(document.uri) }),
      (e: unknown) => this.post(seq, { type: 'error', message: `The stage graph is not available: ${e instanceof Error ? e.message : String(e)}` }),
    );
  }

  private post(seq: number, message: ToStageGraphView): void {
    if (this.disposed || seq !== this.requestSeq) return;
    void this.panel.webview.postMessage(message);
  }

  /** Asks the webview what it shows; undefined when it does not answer within 5 s (hidden, or not loaded). */
  queryState(): Promise<StageGraphPanelState | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    const id = ++this.querySeq;
    return new Promise<StageGraphPanelState | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.queries.delete(id);
        resolve(undefined);
      }, 5_000);
      this.queries.set(id, (report) => {
        clearTimeout(timer);
        resolve(report ? { ...report, title: this.panel.title } : undefined);
      });
      void this.panel.webview.postMessage({ type: 'queryState', id } satisfies ToStageGraphView);
    });
  }

  private savedViews(): Record<string, StageGraphViewState> {
    const saved = this.context.workspaceState.get<Record<string, unknown>>(VIEW_STATE_KEY) ?? {};
    const out: Record<string, StageGraphViewState> = {};
    for (const [k, v] of Object.entries(saved)) if (isViewState(v)) out[k] = v;
    return out;
  }

  private savedViewState(key: string): StageGraphViewState | null {
    return this.savedViews()[key] ?? null;
  }

  /** Keeps `key`'s view, most recent last, dropping the oldest past MAX_SAVED_VIEWS. */
  private async saveViewState(key: string, state: StageGraphViewState): Promise<void> {
    const views = this.savedViews();
    delete views[key];
    views[key] = state;
    const keys = Object.keys(views);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_SAVED_VIEWS))) delete views[old];
    await this.context.workspaceState.update(VIEW_STATE_KEY, views);
  }

  /** Shows document `uri` with the cursor at the start of `line`'s text, centred. */
  private async reveal(uri: string, line: number): Promise<void> {
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      if (line >= document.lineCount) return;
      const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
      const editor = await vscode.window.showTextDocument(document, {
        viewColumn: visible?.viewColumn ?? this.sourceColumn ?? vscode.ViewColumn.One,
        preserveFocus: false,
      });
      const position = new vscode.Position(line, document.lineAt(line).firstNonWhitespaceCharacterIndex);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not show line ${line + 1}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
