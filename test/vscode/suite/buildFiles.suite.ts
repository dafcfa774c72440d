/// <reference types="mocha" />
/**
 * Stages as one symbol across files, in VS Code: the workspace's Compose and Bake files build
 * the Dockerfile's stages by name (`target`), and VS Code's own API sees what the server makes
 * of that: the misspelt target in Problems with its quick fix, definition from a target to the
 * stage, completion of stage names in a target, references and rename of a stage across the
 * three files, the Dockerfile's CodeLens naming who builds a stage, and an edit of the
 * Dockerfile alone checked again in the build files. The client selects the build files by file
 * pattern, whatever language VS Code gives them (code-server: `dockercompose` for compose.yaml,
 * `plaintext` for docker-bake.hcl): the suite checks them as VS Code opens them and as plain text.
 *
 * The server reads the build files in the background after it starts; what follows from them
 * is waited for on onDidChangeDiagnostics (each change of its index re-publishes the open
 * documents' diagnostics), never on a clock.
 *
 * Dockerfile (0-based lines): 1 `FROM golang:1.22 AS build`, 5 `FROM build AS test`,
 *   8 `FROM alpine:3.20 AS release` (see features.suite.ts).
 * compose.yaml:     6 `      target: test` (service tests), 10 `      target: relase` (service web, misspelt)
 * docker-bake.hcl:  7 `  target  = "release"` (target app), 12 `  target  = "test"` (target unit)
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, codeOf, nextDiagnostics, positionOf, rangeText, summary, targetOf, waitForDiagnostics, whenAfterDiagnostics, workspaceFile } from './helpers';

const { Warning: W, Hint: H } = vscode.DiagnosticSeverity;

/** What the compose file shows in Problems: the misspelt target, and nothing else. */
const COMPOSE_PROBLEMS = [['UnknownBuildTarget', 10, 14, 10, 20, W]];
/** The Dockerfile's lenses once the server has read both build files. */
const LENS_TITLES = [
  [1, 'used by 2: test, release'],
  [5, 'built by compose: tests · bake: unit · from ⬑ build'],
  [8, 'built by bake: app · target'],
];

suite('Compose and Bake files build the Dockerfile’s stages by name', () => {
  let dockerfile: vscode.TextDocument;
  let compose: vscode.TextDocument;
  let bake: vscode.TextDocument;

  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    dockerfile = await vscode.workspace.openTextDocument(workspaceFile('Dockerfile'));
    compose = await vscode.workspace.openTextDocument(workspaceFile('compose.yaml'));
    bake = await vscode.workspace.openTextDocument(workspaceFile('docker-bake.hcl'));
    await vscode.window.showTextDocument(compose);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the Dockerfile counts what they build: its test stage is no unreachable stage', async () => {
    // Before the server has read compose.yaml and docker-bake.hcl, stage test is unreachable.
    const ds = await waitForDiagnostics(dockerfile.uri, (d) => d.length > 0 && !d.some((x) => codeOf(x) === 'UnreachableStage'), 'the Dockerfile without UnreachableStage');
    assert.deepStrictEqual(summary(ds).map((d) => d[0]), ['UnknownStageReference', 'NumericStageReference']);
  });

  test('compose.yaml: the misspelt target is a warning in Problems, and its quick fix changes it to the stage', async () => {
    const ds = await waitForDiagnostics(compose.uri, (d) => d.length > 0, `the misspelt target's warning (compose.yaml opened as ${compose.languageId})`);
    assert.deepStrictEqual(summary(ds), COMPOSE_PROBLEMS);
    const typo = ds[0];
    assert.match(typo.message, /No stage named "relase" in Dockerfile.*Did you mean "release"\?/);
    // What the Problems panel lists is what VS Code holds for the file.
    assert.deepStrictEqual(summary(vscode.languages.getDiagnostics(compose.uri)), COMPOSE_PROBLEMS);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', compose.uri, typo.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === "Change to 'release'");
    assert.ok(fix?.edit, `a quick fix "Change to 'release'" with an edit; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(fix.isPreferred, 'the closest name is the preferred fix');
    assert.deepStrictEqual(fix.edit.entries().map(([uri, edits]) => [uri.toString(), edits.map((e) => [rangeText(e.range), e.newText])]), [
      [compose.uri.toString(), [['10:14-10:20', 'release']]],
    ]);

    const fixed = nextDiagnostics(compose.uri, (d) => d.length === 0, 'no warning once the target is fixed');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(compose.lineAt(10).text, '      target: release');
    await fixed;
    await revert(compose);
    await waitForDiagnostics(compose.uri, (d) => JSON.stringify(summary(d)) === JSON.stringify(COMPOSE_PROBLEMS), 'the warning back after a revert');
  });

  test('go to definition from a target lands on the stage’s AS name in the Dockerfile', async () => {
    const fromCompose = await definition(compose, positionOf(compose, 6, 'test', 1));
    assert.deepStrictEqual(fromCompose, [[dockerfile.uri.toString(), '5:14-5:18']]);
    const fromBake = await definition(bake, positionOf(bake, 7, 'release', 2));
    assert.deepStrictEqual(fromBake, [[dockerfile.uri.toString(), '8:20-8:27']]);
    // The misspelt target leads nowhere.
    assert.deepStrictEqual(await definition(compose, positionOf(compose, 10, 'relase', 1)), []);
  });

  test('completion in a target offers the Dockerfile’s stage names, replacing the value', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', compose.uri, positionOf(compose, 6, 'test', 2));
    // Ours, told from words of the file another provider may offer: the detail names the stage.
    const stages = list.items.filter((i) => /^stage \d+ of Dockerfile, line \d+$/.test(i.detail ?? ''));
    assert.deepStrictEqual(stages.map(label).sort(), ['build', 'release', 'test']);
    for (const item of stages) {
      const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
      assert.strictEqual(range && rangeText(range), '6:14-6:18', `${label(item)} replaces the written target`);
    }
  });

  test('references of a stage in the Dockerfile include the Compose and Bake targets that build it', async () => {
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', dockerfile.uri, positionOf(dockerfile, 5, 'test', 1));
    assert.deepStrictEqual(places(refs.map((r) => [r.uri, r.range])), [
      `${dockerfile.uri}@5:14-5:18`,
      `${compose.uri}@6:14-6:18`,
      `${bake.uri}@12:13-12:17`,
    ].sort());
    const release = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', dockerfile.uri, positionOf(dockerfile, 8, 'release'));
    assert.ok(places(release.map((r) => [r.uri, r.range])).includes(`${bake.uri}@7:13-7:20`), 'the Bake target builds release');
  });

  test('the Dockerfile’s CodeLens says which Compose service and Bake target build a stage', async () => {
    // A lens follows the index too: asked again whenever the Dockerfile's diagnostics are re-published.
    await whenAfterDiagnostics(dockerfile.uri, async () => assert.deepStrictEqual(await lensTitles(dockerfile), LENS_TITLES), 'the lenses naming the builds');
  });

  test('rename of a stage is one WorkspaceEdit for the Dockerfile and its Compose and Bake targets', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', dockerfile.uri, positionOf(dockerfile, 5, 'test', 1), 'unit-test');
    const changes = edit.entries().map(([uri, edits]) => `${uri} ${edits.map((e) => `${rangeText(e.range)}=${e.newText}`).join(' ')}`).sort();
    assert.deepStrictEqual(changes, [
      `${dockerfile.uri} 5:14-5:18=unit-test`,
      `${compose.uri} 6:14-6:18=unit-test`,
      `${bake.uri} 12:13-12:17=unit-test`,
    ].sort());

    // The first publish for compose.yaml after the edit that has only the misspelt target (a
    // wrong one first, from a Dockerfile model older than the edit, would be followed by this).
    const composeAfter = nextDiagnostics(compose.uri, (d) => JSON.stringify(summary(d)) === JSON.stringify(COMPOSE_PROBLEMS), 'compose.yaml with only the misspelt target after the rename');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.deepStrictEqual([dockerfile.lineAt(5).text, compose.lineAt(6).text, bake.lineAt(12).text], [
      'FROM build AS unit-test',
      '      target: unit-test',
      '  target  = "unit-test"',
    ]);
    // The server reads the edited texts: the renamed stage is still built by both, and the
    // Compose file has no new unknown target.
    await whenAfterDiagnostics(dockerfile.uri, async () => {
      assert.strictEqual((await lensTitles(dockerfile))[1][1], 'built by compose: tests · bake: unit · from ⬑ build');
    }, 'the lens of the renamed stage');
    await composeAfter;

    for (const doc of [dockerfile, compose, bake]) await revert(doc);
    assert.deepStrictEqual([dockerfile.lineAt(5).text, compose.lineAt(6).text, bake.lineAt(12).text], ['FROM build AS test', '      target: test', '  target  = "test"']);
    await whenAfterDiagnostics(dockerfile.uri, async () => assert.deepStrictEqual(await lensTitles(dockerfile), LENS_TITLES), 'the lenses as before the rename');
  });

  test('a stage renamed in the Dockerfile alone: its targets are reported in their files, and the stage is faded as unbuilt', async () => {
    const composeWarns = waitForDiagnostics(compose.uri, (d) => d.length === 2, 'compose.yaml reporting target test');
    const bakeWarns = waitForDiagnostics(bake.uri, (d) => d.length === 1, 'docker-bake.hcl reporting target test');
    const unreachable = waitForDiagnostics(dockerfile.uri, (d) => d.some((x) => codeOf(x) === 'UnreachableStage'), 'stage unit unreachable');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(dockerfile.uri, new vscode.Range(5, 14, 5, 18), 'unit');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.strictEqual(dockerfile.lineAt(5).text, 'FROM build AS unit');

    const inCompose = await composeWarns;
    assert.deepStrictEqual(summary(inCompose), [['UnknownBuildTarget', 6, 14, 6, 18, W], ...COMPOSE_PROBLEMS]);
    assert.match(inCompose.find((d) => d.range.start.line === 6)!.message, /No stage named "test" in Dockerfile/);
    assert.deepStrictEqual(summary(await bakeWarns), [['UnknownBuildTarget', 12, 13, 12, 17, W]]);
    const hint = (await unreachable).find((d) => codeOf(d) === 'UnreachableStage')!;
    assert.deepStrictEqual([rangeText(hint.range), hint.severity, hint.tags], ['5:0-5:18', H, [vscode.DiagnosticTag.Unnecessary]], 'a faded hint');

    const composeBack = waitForDiagnostics(compose.uri, (d) => JSON.stringify(summary(d)) === JSON.stringify(COMPOSE_PROBLEMS), 'compose.yaml as before');
    const bakeBack = waitForDiagnostics(bake.uri, (d) => d.length === 0, 'docker-bake.hcl without warnings');
    await revert(dockerfile);
    await Promise.all([composeBack, bakeBack]);
    await waitForDiagnostics(dockerfile.uri, (d) => d.length > 0 && !d.some((x) => codeOf(x) === 'UnreachableStage'), 'stage test built again');
  });

  test('the build files work as plain text too: the client selects them by file pattern, not by language', async () => {
    const original = compose.languageId;
    // Whatever VS Code made of them (docker-bake.hcl has no language in a bare VS Code).
    bake = await vscode.languages.setTextDocumentLanguage(bake, 'plaintext');
    assert.deepStrictEqual(await definition(bake, positionOf(bake, 12, 'test', 1)), [[dockerfile.uri.toString(), '5:14-5:18']]);

    // A change of language is a close and an open for the client: the warning comes again.
    if (original !== 'plaintext') compose = await setLanguage(compose, 'plaintext');
    assert.strictEqual(compose.languageId, 'plaintext');
    assert.deepStrictEqual(summary(vscode.languages.getDiagnostics(compose.uri)), COMPOSE_PROBLEMS);
    assert.deepStrictEqual(await definition(compose, positionOf(compose, 6, 'test', 1)), [[dockerfile.uri.toString(), '5:14-5:18']]);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', compose.uri, positionOf(compose, 6, 'test', 2));
    assert.ok(list.items.some((i) => label(i) === 'release' && /^stage 2 of Dockerfile/.test(i.detail ?? '')), 'stage names offered in plain text');
    if (original !== 'plaintext') compose = await setLanguage(compose, original);
  });

  /** Gives compose.yaml another language, and waits for the warning that the client's close and open bring again. */
  async function setLanguage(doc: vscode.TextDocument, languageId: string): Promise<vscode.TextDocument> {
    const again = nextDiagnostics(doc.uri, (d) => JSON.stringify(summary(d)) === JSON.stringify(COMPOSE_PROBLEMS), `the warning for compose.yaml as ${languageId}`);
    const changed = await vscode.languages.setTextDocumentLanguage(doc, languageId);
    await again;
    return changed;
  }
});

async function definition(doc: vscode.TextDocument, position: vscode.Position): Promise<string[][]> {
  const answers = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, position);
  return answers.map((a) => [targetOf(a).uri.toString(), rangeText(targetOf(a).range)]);
}

async function lensTitles(doc: vscode.TextDocument): Promise<(string | number | undefined)[][]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
  return lenses.map((l) => [l.range.start.line, l.command?.title]);
}

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function places(found: [vscode.Uri, vscode.Range][]): string[] {
  return found.map(([uri, range]) => `${uri}@${rangeText(range)}`).sort();
}

/** Reverts a document to the file on disk (File: Revert File on its editor). */
async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  assert.ok(!doc.isDirty, `${doc.uri.path} reverted`);
}
