/// <reference types="mocha" />
/**
 * The advisor in VS Code, as a user meets it: the hint on a final stage built FROM a toolchain
 * image, the split applied through VS Code's own code action command (its edit, then the
 * extension's command that selects the placeholder, so that typing replaces it), the next
 * version with no error and no hint; and the reorder fix of CopyAllBeforeInstall the same way.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, summary, waitForDiagnostics, workspaceFile } from './helpers';

const RUST = 'FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nEXPOSE 8080\nENTRYPOINT ["hello"]\n';
const NODE = 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n';

/** Resolves once `accept` takes the editor's selection: checked now, then on each change of it. */
function selectionWhen(editor: vscode.TextEditor, accept: (s: vscode.Selection) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.Selection> {
  return new Promise((resolve, reject) => {
    if (accept(editor.selection)) return resolve(editor.selection);
    const listener = vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor.document !== editor.document || !accept(e.selections[0])) return;
      cleanup();
      resolve(e.selections[0]);
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the selection is ${JSON.stringify(editor.selection)}`));
    }, timeoutMs);
    const cleanup = () => {
      listener.dispose();
      clearTimeout(timer);
    };
  });
}

/** Resolves once `accept` takes the document's text: checked now, then on each change of it. */
function textWhen(document: vscode.TextDocument, accept: (text: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (accept(document.getText())) return resolve(document.getText());
    const listener = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== document || !accept(document.getText())) return;
      cleanup();
      resolve(document.getText());
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the text is ${JSON.stringify(document.getText())}`));
    }, timeoutMs);
    const cleanup = () => {
      listener.dispose();
      clearTimeout(timer);
    };
  });
}

async function openText(name: string, text: string): Promise<vscode.TextEditor> {
  const file = workspaceFile(name);
  await vscode.workspace.fs.writeFile(file, Buffer.from(text));
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

/** Runs VS Code's code action command on the cursor's line, as the light bulb does, for the action titled `title`. */
async function applyCodeAction(editor: vscode.TextEditor, line: number, title: string): Promise<void> {
  editor.selection = new vscode.Selection(line, 0, line, 0);
  const offered = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, editor.selection);
  assert.deepStrictEqual(offered.filter((a) => a.kind?.value === 'quickfix').map((a) => a.title), [title], 'the only quick fix on the line');
  await vscode.commands.executeCommand('editor.action.codeAction', { kind: 'quickfix', apply: 'first' });
}

suite('the advisor', () => {
  const files: vscode.Uri[] = [];
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
  suiteTeardown(async () => {
    for (const f of files) await vscode.workspace.fs.delete(f);
  });

  test('ToolchainInFinalStage: a hint on FROM rust:1; the split applied from the code action, <binary> selected, the next version clean', async () => {
    const editor = await openText('advisor-rust.Dockerfile', RUST);
    files.push(editor.document.uri);
    const ds = await waitForDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'ToolchainInFinalStage'), 'the toolchain hint');
    assert.deepStrictEqual(summary(ds), [['ToolchainInFinalStage', 0, 0, 0, 11, vscode.DiagnosticSeverity.Hint]]);

    await applyCodeAction(editor, 0, 'Split into a build stage and a runtime stage');
    const text = await textWhen(editor.document, (t) => t.includes('AS runtime'), 'the split');
    assert.strictEqual(
      text,
      'FROM rust:1 AS build\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n\n' +
        'FROM gcr.io/distroless/cc-debian12 AS runtime\nWORKDIR /app\nCOPY --from=build /app/target/release/<binary> /app/target/release/\nEXPOSE 8080\nENTRYPOINT ["hello"]\n',
    );
    const selection = await selectionWhen(editor, (s) => !s.isEmpty, 'the placeholder selected');
    assert.strictEqual(editor.document.getText(selection), '<binary>');
    assert.strictEqual(selection.start.line, 7);

    // Typing replaces the placeholder; the file then has no error and no hint.
    await editor.edit((b) => b.replace(selection, 'hello'));
    const after = await waitForDiagnostics(editor.document.uri, (d) => !d.some((x) => codeOf(x) === 'ToolchainInFinalStage'), 'the hint gone');
    assert.deepStrictEqual(after.filter((d) => d.severity === vscode.DiagnosticSeverity.Error), []);
  });

  test('CopyAllBeforeInstall: a hint on COPY . .; the fix copies package*.json and installs first', async () => {
    const editor = await openText('advisor-node.Dockerfile', NODE);
    files.push(editor.document.uri);
    const ds = await waitForDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'CopyAllBeforeInstall'), 'the cache-order hint');
    assert.deepStrictEqual(summary(ds), [['CopyAllBeforeInstall', 2, 0, 2, 8, vscode.DiagnosticSeverity.Hint]]);

    await applyCodeAction(editor, 2, 'Copy package*.json and install before copying everything');
    const text = await textWhen(editor.document, (t) => t.includes('package*.json'), 'the reorder');
    assert.strictEqual(text, 'FROM node:20 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n');
    const after = await waitForDiagnostics(editor.document.uri, (d) => d.length === 0, 'no diagnostic left');
    assert.deepStrictEqual(summary(after), []);
  });
});
