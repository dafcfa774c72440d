/// <reference types="mocha" />
/**
 * The extension in VS Code's extension host, through VS Code's own API: the diagnostics the
 * Problems panel lists, and what the editor's providers answer (definition, references, rename,
 * CodeLens with resolved titles, code actions, completion, hover, outline), the commands, and
 * settings changed live. The workspace is a copy of test/fixtures/e2e.
 *
 * Dockerfile (0-based lines):
 *   1  FROM golang:1.22 AS build          stage 0
 *   5  FROM build AS test                 stage 1, not built by the default target, but by
 *                                         compose.yaml and docker-bake.hcl (buildFiles.suite.ts)
 *   8  FROM alpine:3.20 AS release        stage 2, the target
 *   9  COPY --from=buld …                 typo
 *  10  COPY --from=build …
 *  11  COPY --from=0 …                    numeric reference
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, codeOf, open, ours, positionOf, rangeText, summary, targetOf, waitForDiagnostics, workspaceFile } from './helpers';

const { Error: E, Warning: W, Information: I } = vscode.DiagnosticSeverity;

suite('Dockerfile Stages in VS Code', () => {
  let editor: vscode.TextEditor;
  let doc: vscode.TextDocument;
  const uri = () => doc.uri;

  suiteSetup(async () => {
    editor = await open('Dockerfile');
    doc = editor.document;
  });

  test('a Dockerfile activates the extension', async () => {
    assert.strictEqual(doc.languageId, 'dockerfile');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await extension.activate();
    assert.ok(extension.isActive);
  });

  test('diagnostics: codes, ranges, severities and related information', async () => {
    // Stage test is built by the workspace's Compose and Bake files: no UnreachableStage once the
    // server has read them (before, it is there too). The faded hint of an unreachable stage is
    // checked in buildFiles.suite.ts, where an edit leaves a stage unbuilt.
    const expected = [
      ['UnknownStageReference', 9, 12, 9, 16, W],
      ['NumericStageReference', 11, 12, 11, 13, I],
    ];
    const ds = await waitForDiagnostics(uri(), (d) => JSON.stringify(summary(d)) === JSON.stringify(expected), 'two diagnostics (none for stage test, which compose.yaml builds)');
    assert.deepStrictEqual(summary(ds), expected);
    const typo = ds.find((d) => codeOf(d) === 'UnknownStageReference')!;
    assert.match(typo.message, /Did you mean "build"\?/);
    assert.deepStrictEqual(typo.relatedInformation?.map((r) => [r.location.uri.toString(), rangeText(r.location.range)]), [[uri().toString(), '1:20-1:25']]);
  });

  test('go to definition: COPY --from=build and FROM build land on FROM … AS build; an image has none', async () => {
    for (const position of [positionOf(doc, 10, 'build', 2), positionOf(doc, 5, 'build', 1)]) {
      const answers = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri(), position);
      assert.deepStrictEqual(answers.map((a) => [targetOf(a).uri.toString(), rangeText(targetOf(a).range)]), [[uri().toString(), '1:20-1:25']]);
    }
    const image = await vscode.commands.executeCommand<unknown[]>('vscode.executeDefinitionProvider', uri(), positionOf(doc, 8, 'alpine', 2));
    assert.deepStrictEqual(image, []);
  });

  test('references: the declaration and every use, --from=0 included', async () => {
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', uri(), positionOf(doc, 1, 'build', 1));
    assert.deepStrictEqual(refs.map((r) => rangeText(r.range)).sort(), ['10:12-10:17', '11:12-11:13', '1:20-1:25', '5:5-5:10']);
  });

  test('CodeLens above each FROM, with resolved titles and the stage actions', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri(), 100);
    const titles = lenses.map((l) => [l.range.start.line, l.command?.title]);
    assert.deepStrictEqual(titles, [
      [1, 'used by 2: test, release'],
      [5, 'built by compose: tests · bake: unit · from ⬑ build'],
      [8, 'built by bake: app · target'],
    ]);
    assert.ok(lenses.every((l) => l.command?.command === 'dockerfileStages.stageActions'));
    const actions = lenses[0].command?.arguments?.[1] as { title: string; command: string; arguments: unknown[] }[];
    assert.deepStrictEqual(actions.map((a) => a.title), ['Peek the 3 uses of stage "build"', '▶ Build this stage (--target build)']);
    assert.deepStrictEqual(actions[1].arguments, [uri().toString(), 'build']);
  });

  test('completion after --from= offers the stages before the current one', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri(), positionOf(doc, 10, 'build'));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)).filter((l) => ['build', 'test', 'release'].includes(l));
    assert.deepStrictEqual(labels.sort(), ['build', 'test']);
  });

  test('hover on FROM build describes stage 0', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri(), positionOf(doc, 5, 'build', 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*Stage `build`\*\* \(stage 0\)/);
  });

  test('outline: one symbol per stage', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri());
    assert.deepStrictEqual(symbols.map((s) => [s.name, s.range.start.line]), [['build', 1], ['test', 5], ['release', 8]]);
  });

  test('Next Stage moves the cursor to the next FROM', async () => {
    editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    await vscode.commands.executeCommand('dockerfileStages.nextStage');
    assert.strictEqual(editor.selection.active.line, 5);
  });

  test('Next Stage at the last stage and Previous Stage at the first leave the cursor, and say why', async () => {
    // The message is what the status bar shows (stage-commands-ui.e2e.ts sees it there); the
    // command returns it, and nothing when it moved.
    editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(10, 4, 10, 4);
    assert.strictEqual(await vscode.commands.executeCommand('dockerfileStages.nextStage'), 'No next stage: this is the last one.');
    assert.strictEqual(rangeText(editor.selection), '10:4-10:4');
    editor.selection = new vscode.Selection(1, 3, 1, 3);
    assert.strictEqual(await vscode.commands.executeCommand('dockerfileStages.previousStage'), 'No previous stage: this is the first one.');
    assert.strictEqual(rangeText(editor.selection), '1:3-1:3');
    assert.strictEqual(await vscode.commands.executeCommand('dockerfileStages.nextStage'), undefined);
    assert.strictEqual(rangeText(editor.selection), '5:0-5:0');
  });

  test('Show Stage Graph opens the graph webview beside the editor', async () => {
    await vscode.window.showTextDocument(doc);
    const opened = new Promise<void>((resolve) => {
      const listener = vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (e.opened.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('dockerfileStages.stageGraph'))) {
          listener.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('dockerfileStages.showStageGraph');
    await opened;
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview);
    assert.strictEqual(tab?.label, 'Stages: Dockerfile');
    await vscode.window.tabGroups.close(tab!);
  });

  test('code actions for the typo: "Change to build" fixes it', async function () {
    const typo = ours(uri()).find((d) => codeOf(d) === 'UnknownStageReference');
    assert.ok(typo);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri(), typo.range, vscode.CodeActionKind.QuickFix.value);
    const fixes = actions.filter((a) => a.diagnostics?.some((d) => codeOf(d) === 'UnknownStageReference') || /build/.test(a.title));
    assert.ok(fixes.length > 0, `a quick fix for --from=buld; got ${JSON.stringify(actions.map((a) => a.title))}`);
    const fix = fixes.find((a) => /"?build"?/.test(a.title)) ?? fixes[0];
    assert.ok(fix.edit, `the fix "${fix.title}" carries an edit`);
    const changed = waitForDiagnostics(uri(), (ds) => !ds.some((d) => codeOf(d) === 'UnknownStageReference'), 'the typo to be fixed');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.lineAt(9).text, 'COPY --from=build /out/app /usr/local/bin/app');
    await changed;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForDiagnostics(uri(), (ds) => ds.some((d) => codeOf(d) === 'UnknownStageReference'), 'the typo back after a revert');
  });

  test('rename build → builder: every named use and the declaration, not --from=0 or the typo', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', uri(), positionOf(doc, 10, 'build', 1), 'builder');
    const edits = edit.get(uri()).map((e) => [rangeText(e.range), e.newText]).sort();
    assert.deepStrictEqual(edits, [['10:12-10:17', 'builder'], ['1:20-1:25', 'builder'], ['5:5-5:10', 'builder']]);
    const republished = waitForDiagnostics(uri(), (ds) => ds.some((d) => /stage "builder"/.test(d.message)), 'diagnostics for the renamed text');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.deepStrictEqual([1, 5, 9, 10, 11].map((l) => doc.lineAt(l).text), [
      'FROM golang:1.22 AS builder',
      'FROM builder AS test',
      'COPY --from=buld /out/app /usr/local/bin/app',
      'COPY --from=builder /out/app /usr/local/bin/app-copy',
      'COPY --from=0 /etc/ssl/certs /etc/ssl/certs',
    ]);
    await republished;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.strictEqual(doc.lineAt(1).text, 'FROM golang:1.22 AS build');
  });

  test('rename is refused on an image, with the reason', async () => {
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.prepareRename', uri(), positionOf(doc, 8, 'alpine', 2))),
      (e: Error) => /image/i.test(e.message),
    );
  });
});

suite('settings apply without a reload', () => {
  const file = () => workspaceFile('settings', 'Dockerfile');
  const config = () => vscode.workspace.getConfiguration('dockerfileStages', file());

  suiteTeardown(async () => {
    await config().update('severity', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('enable.codeLens', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('a severity override, then off, then back to the default', async () => {
    await open('settings', 'Dockerfile');
    const typo = (ds: vscode.Diagnostic[]) => ds.find((d) => codeOf(d) === 'UnknownStageReference');
    await waitForDiagnostics(file(), (ds) => typo(ds)?.severity === W, 'the warning');
    await config().update('severity', { UnknownStageReference: 'error' }, vscode.ConfigurationTarget.Workspace);
    const asError = await waitForDiagnostics(file(), (ds) => typo(ds)?.severity === E, 'the typo as an error');
    assert.deepStrictEqual(summary(asError), [['UnknownStageReference', 2, 12, 2, 15, E]]);
    await config().update('severity', { UnknownStageReference: 'off' }, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(file(), (ds) => ds.length === 0, 'no diagnostics');
    await config().update('severity', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(file(), (ds) => typo(ds)?.severity === W, 'the warning again');
  });

  test('turning CodeLens off and on', async () => {
    const lenses = () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file(), 100);
    assert.ok((await lenses()).length > 0);
    await config().update('enable.codeLens', false, vscode.ConfigurationTarget.Workspace);
    // The server reads the new settings when VS Code notifies it; poll its answer, not a clock.
    await until(async () => (await lenses()).length === 0, 'no CodeLens');
    await config().update('enable.codeLens', undefined, vscode.ConfigurationTarget.Workspace);
    await until(async () => (await lenses()).length > 0, 'CodeLens back');
  });
});

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
