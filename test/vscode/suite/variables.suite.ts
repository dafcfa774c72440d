/// <reference types="mocha" />
/**
 * Variables in VS Code, through its own API: definition, references, hover, completion and
 * rename on `$NAME` in a Dockerfile written into the workspace for this suite, and UndefinedVar
 * in a stage built on scratch.
 *
 * variables.Dockerfile (0-based lines):
 *   0  ARG GO_VERSION=1.22
 *   1  FROM golang:${GO_VERSION} AS build
 *   2  ARG GO_VERSION
 *   3  ENV OUT=/out/$GO_VERSION
 *   4  RUN go build -o $OUT/app .
 *   5  FROM scratch
 *   6  COPY --from=build /out/app /app/$MISSING
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, positionOf, rangeText, targetOf, waitForDiagnostics, workspaceFile } from './helpers';

const TEXT = [
  'ARG GO_VERSION=1.22',
  'FROM golang:${GO_VERSION} AS build',
  'ARG GO_VERSION',
  'ENV OUT=/out/$GO_VERSION',
  'RUN go build -o $OUT/app .',
  'FROM scratch',
  'COPY --from=build /out/app /app/$MISSING',
  '',
].join('\n');

suite('variables with BuildKit\'s scope', () => {
  let doc: vscode.TextDocument;
  const file = workspaceFile('variables.Dockerfile');

  suiteSetup(async () => {
    await vscode.workspace.fs.writeFile(file, Buffer.from(TEXT));
    doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(file);
  });

  test('UndefinedVar where nothing can set the name: a stage built FROM scratch', async () => {
    const ds = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'UndefinedVar'), 'UndefinedVar on $MISSING');
    const found = ds.filter((d) => codeOf(d) === 'UndefinedVar');
    assert.deepStrictEqual(found.map((d) => [rangeText(d.range), d.severity]), [['6:33-6:40', vscode.DiagnosticSeverity.Warning]]);
  });

  test('go to definition from $OUT in a RUN lands on the ENV that sets it', async () => {
    const answers = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 4, '$OUT', 2));
    assert.deepStrictEqual(answers.map((a) => rangeText(targetOf(a).range)), ['3:4-3:7']);
  });

  test('references of the global ARG: its FROM line, the bare ARG and the ENV value it feeds', async () => {
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, positionOf(doc, 0, 'GO_VERSION', 1));
    assert.deepStrictEqual(refs.map((r) => rangeText(r.range)).sort(), ['0:4-0:14', '1:14-1:24', '2:4-2:14', '3:14-3:24']);
  });

  test('hover on $OUT: where it is set, its value, and the word expanded', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 4, '$OUT', 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /`OUT`: ENV in stage `build`, line 4\./);
    assert.match(text, /Here `\$OUT\/app` is `\/out\/1\.22\/app`\./);
  });

  test('completion after ${ offers the variables visible there', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(4, 17), '{');
    const variables = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Variable).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepStrictEqual(variables.sort(), ['GO_VERSION', 'OUT']);
  });

  test('rename GO_VERSION → GO changes its declarations and uses, nothing else', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, 3, 'GO_VERSION', 1), 'GO');
    const edits = edit.get(doc.uri);
    assert.deepStrictEqual(edits.map((e) => `${rangeText(e.range)}=${e.newText}`).sort(), ['0:4-0:14=GO', '1:14-1:24=GO', '2:4-2:14=GO', '3:14-3:24=GO']);
  });
});
