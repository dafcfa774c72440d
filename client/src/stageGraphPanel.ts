/**
 * "Show Stage Graph": a webview beside the editor that draws the document's stages and their
 * references (client/src/webview/stageGraphView.ts renders it with Graphviz), follows the
 * document as it is edited and the colour theme as it changes, and reveals a stage's FROM line
 * when its node is clicked. One panel per document: showing it again reuses the panel.
 */
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { StageGraph } from '../../server/src/features/stageGraph';
import { stageGraphHtml } from './stageGraphHtml';
import { ToStageGraphView, isFromStageGraphView } from './stageGraphMessages';

export type { StageGraph } from '../../server/src/features/stageGraph';

/** Asks the language server for a document's graph (custom request `dockerfileStages/stageGraph`). */
export type FetchStageGraph = (uri: string) => Promise<StageGraph>;

/** Edits closer together than this refresh the graph once. */
const UPDATE_DELAY_MS = 300;

export class StageGraphPanel implements vscode.Disposable {
  static readonly viewType = 'dockerfileStages.stageGraph';
  private static readonly panels = new Map<string, StageGraphPanel>();

  /** Shows the graph of `document`, in its existing panel if it has one. */
  static show(context: vscode.ExtensionContext, document: vscode.TextDocument, fetchGraph: FetchStageGraph): StageGraphPanel {
    const key = document.uri.toString();
    const existing = StageGraphPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside);
      existing.refresh();
      return existing;
    }
    const created = new StageGraphPanel(context.extensionUri, document, fetchGraph);
    StageGraphPanel.panels.set(key, created);
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
  private readonly uri: vscode.Uri;
  private readonly key: string;
  /** The column the document was shown in, where a click reveals it when it is not visible. */
  private readonly sourceColumn: vscode.ViewColumn | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older requests than the latest are dropped. */
  private requestSeq = 0;
  private disposed = false;

  constructor(extensionUri: vscode.Uri, document: vscode.TextDocument, private readonly fetchGraph: FetchStageGraph) {
    this.uri = document.uri;
    this.key = document.uri.toString();
    this.sourceColumn = vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn;
    const distFolder = vscode.Uri.joinPath(extensionUri, 'dist');
    const fileName = path.posix.basename(document.uri.path) || document.uri.toString();
    this.panel = vscode.window.createWebviewPanel(
      StageGraphPanel.viewType,
      `Stages: ${fileName}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [distFolder], retainContextWhenHidden: false },
    );
    const webview = this.panel.webview;
    webview.html = stageGraphHtml({
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(distFolder, 'stageGraphView.js')).toString(),
      fileName,
    });

    this.disposables.push(
      // The webview posts 'ready' when its script has loaded: first, and again each time the
      // hidden panel is shown (its context is not retained), so it is always sent the graph.
      webview.onDidReceiveMessage((m: unknown) => {
        if (!isFromStageGraphView(m)) return;
        if (m.type === 'ready') this.refresh();
        else void this.reveal(m.line);
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
    if (StageGraphPanel.panels.get(this.key) === this) StageGraphPanel.panels.delete(this.key);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, UPDATE_DELAY_MS);
  }

  /** Fetches the graph and posts it (or the reason it could not be had) to the webview. */
  refresh(): void {
    if (this.disposed) return;
    const seq = ++this.requestSeq;
    this.fetchGraph(this.key).then(
      (graph) => this.post(seq, { type: 'graph', graph }),
      (e: unknown) => this.post(seq, { type: 'error', message: `The stage graph is not available: ${e instanceof Error ? e.message : String(e)}` }),
    );
  }

  private post(seq: number, message: ToStageGraphView): void {
    if (this.disposed || seq !== this.requestSeq) return;
    void this.panel.webview.postMessage(message);
  }

  /** Shows the document with the cursor at the start of `line`'s text, centred. */
  private async reveal(line: number): Promise<void> {
    try {
      const document = await vscode.workspace.openTextDocument(this.uri);
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
