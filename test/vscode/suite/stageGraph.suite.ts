/// <reference types="mocha" />
/**
 * The stage graph panel in VS Code: one panel, which follows the active Dockerfile (its title
 * says which) and highlights the stage under the cursor as the cursor moves. What the webview
 * shows is read through the extension's hidden command `dockerfileStages.stageGraphState`, which
 * asks the webview itself (its DOM: the stage drawn highlighted, the stages drawn).
 *
 * Dockerfile (0-based lines): 1 `FROM golang:1.22 AS build` (stage 0), 5 `FROM build AS test`
 * (stage 1), 8 `FROM alpine:3.20 AS release` (stage 2). settings/Dockerfile: two stages.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { open } from './helpers';

interface PanelState {
  title: string;
  uri: string | null;
  render: string;
  cursorStage: number | null;
  highlighted: number[];
  shown: number[];
}

const VIEW_TYPE = 'dockerfileStages.stageGraph';

function graphTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(VIEW_TYPE));
}

/**
 * Asks the panel what it shows until `accept` takes it. Each question waits for the webview's
 * answer (no clock between them); fails after `timeoutMs` with the last answer.
 */
async function panelState(accept: (s: PanelState) => boolean, what: string, timeoutMs = 30_000): Promise<PanelState> {
  const deadline = Date.now() + timeoutMs;
  let last: PanelState | undefined;
  while (Date.now() < deadline) {
    last = await vscode.commands.executeCommand<PanelState | undefined>('dockerfileStages.stageGraphState');
    if (last && accept(last)) return last;
    if (!last) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the panel shows ${JSON.stringify(last)}`);
}

/** Resolves when a graph tab is opened. */
function graphTabOpened(): Promise<void> {
  return new Promise<void>((resolve) => {
    const listener = vscode.window.tabGroups.onDidChangeTabs((e) => {
      if (e.opened.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(VIEW_TYPE))) {
        listener.dispose();
        resolve();
      }
    });
  });
}

suite('the stage graph panel follows the active Dockerfile and its cursor', () => {
  suiteTeardown(async () => {
    for (const tab of graphTabs()) await vscode.window.tabGroups.close(tab);
  });

  test('one panel, retitled for the active Dockerfile; the cursor\'s stage highlighted', async () => {
    const main = await open('Dockerfile');
    main.selection = new vscode.Selection(6, 0, 6, 0); // in stage 1 (test)
    const opened = graphTabOpened();
    await vscode.commands.executeCommand('dockerfileStages.showStageGraph');
    await opened;
    assert.deepStrictEqual(graphTabs().map((t) => t.label), ['Stages: Dockerfile']);
    let state = await panelState((s) => s.render === 'graph' && s.cursorStage === 1, 'the graph with stage 1 under the cursor');
    assert.deepStrictEqual(state.highlighted, [1]);
    assert.deepStrictEqual(state.shown, [0, 1, 2]);
    assert.strictEqual(state.uri, main.document.uri.toString());

    // The cursor moves to the release stage: the highlight follows.
    await vscode.window.showTextDocument(main.document, main.viewColumn);
    main.selection = new vscode.Selection(10, 3, 10, 3);
    state = await panelState((s) => s.cursorStage === 2, 'stage 2 under the cursor');
    assert.deepStrictEqual(state.highlighted, [2]);

    // Another Dockerfile becomes active: the same panel shows its graph, retitled.
    const other = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(main.document.uri.with({ path: main.document.uri.path.replace(/Dockerfile$/, 'settings/Dockerfile') })), main.viewColumn);
    other.selection = new vscode.Selection(0, 0, 0, 0);
    state = await panelState((s) => s.uri === other.document.uri.toString() && s.render === 'graph' && s.cursorStage === 0, 'the graph of settings/Dockerfile');
    assert.strictEqual(state.title, 'Stages: settings/Dockerfile');
    assert.deepStrictEqual(state.shown, [0, 1]);
    assert.deepStrictEqual(state.highlighted, [0]);
    assert.deepStrictEqual(graphTabs().map((t) => t.label), ['Stages: settings/Dockerfile'], 'one panel, retitled');

    // Back to the first: its graph again, with its cursor's stage.
    await vscode.window.showTextDocument(main.document, main.viewColumn);
    state = await panelState((s) => s.uri === main.document.uri.toString() && s.render === 'graph' && s.cursorStage === 2, 'the first graph again');
    assert.strictEqual(state.title, 'Stages: Dockerfile');
    assert.deepStrictEqual(state.highlighted, [2]);

    // Show Stage Graph again opens no second panel.
    await vscode.commands.executeCommand('dockerfileStages.showStageGraph');
    await panelState((s) => s.render === 'graph', 'the graph');
    assert.strictEqual(graphTabs().length, 1);
  });
});
