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

/**
 * Resolves with what `read` gives once `accept` takes it: read now, then again on each `event`
 * (which may pass over events of other documents: `read` looks at this one).
 */
function valueWhen<T>(event: vscode.Event<unknown>, read: () => T, accept: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const value = read();
      if (!accept(value)) return false;
      cleanup();
      resolve(value);
      return true;
    };
    const listener = event(() => check());
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; it is ${JSON.stringify(read())}`));
    }, timeoutMs);
    const cleanup = () => {
      listener.dispose();
      clearTimeout(timer);
    };
    check();
  });
}

const selectionWhen = (editor: vscode.TextEditor, accept: (s: vscode.Selection) => boolean, what: string) =>
  valueWhen(vscode.window.onDidChangeTextEditorSelection, () => editor.selection, accept, what);
const textWhen = (document: vscode.TextDocument, accept: (text: string) => boolean, what: string) =>
  valueWhen(vscode.workspace.onDidChangeTextDocument, () => document.getText(), accept, what);

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

  /**
   * Opens `text`, waits until its diagnostics are the one hint `hint` ([code, lines and
   * characters, severity]), applies the quick fix `title` on its line as the light bulb does,
   * and checks the text the fix leaves.
   */
  async function fixHint(name: string, text: string, hint: ReturnType<typeof summary>[number], title: string, fixed: string): Promise<vscode.TextEditor> {
    const editor = await openText(name, text);
    files.push(editor.document.uri);
    const ds = await waitForDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === hint[0]), `the hint ${hint[0]}`);
    assert.deepStrictEqual(summary(ds), [hint]);
    await applyCodeAction(editor, hint[1], title);
    assert.strictEqual(await textWhen(editor.document, (t) => t !== text, `the fix "${title}"`), fixed);
    return editor;
  }

  test('ToolchainInFinalStage: a hint on FROM rust:1; the split applied from the code action, <binary> selected, the next version clean', async () => {
    const editor = await fixHint(
      'advisor-rust.Dockerfile',
      RUST,
      ['ToolchainInFinalStage', 0, 0, 0, 11, vscode.DiagnosticSeverity.Hint],
      'Split into a build stage and a runtime stage',
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
    const editor = await fixHint(
      'advisor-node.Dockerfile',
      NODE,
      ['CopyAllBeforeInstall', 2, 0, 2, 8, vscode.DiagnosticSeverity.Hint],
      'Copy package*.json and install before copying everything',
      'FROM node:20 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n',
    );
    const after = await waitForDiagnostics(editor.document.uri, (d) => d.length === 0, 'no diagnostic left');
    assert.deepStrictEqual(summary(after), []);
  });
});
