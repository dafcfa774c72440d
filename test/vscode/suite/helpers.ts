/**
 * Helpers for the extension-host suites: opening a workspace file, waiting for diagnostics
 * (on vscode.languages.onDidChangeDiagnostics, never a sleep), reading codes and ranges.
 */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dockerfile-stages.dockerfile-stages';

export function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder (a copy of test/fixtures/e2e)');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

export async function open(...parts: string[]): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(...parts));
  return vscode.window.showTextDocument(document);
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** [code, startLine, startChar, endLine, endChar, severity] per diagnostic, sorted by line. */
export function summary(diagnostics: readonly vscode.Diagnostic[]): [string, number, number, number, number, vscode.DiagnosticSeverity][] {
  return [...diagnostics]
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((d) => [codeOf(d), d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.severity]);
}

/** Our diagnostics for `uri` (those whose source is the extension's server). */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dockerfile-stages');
}

/**
 * Resolves with our diagnostics for `uri` as soon as `accept` takes them: checked now, then on
 * every onDidChangeDiagnostics event for that document.
 */
export function waitForDiagnostics(uri: vscode.Uri, accept: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return diagnosticsWhen(uri, accept, what, timeoutMs, true);
}

/**
 * Like waitForDiagnostics, but what the document has now does not count: resolves on the first
 * later onDidChangeDiagnostics event for `uri` whose diagnostics `accept` takes.
 */
export function nextDiagnostics(uri: vscode.Uri, accept: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return diagnosticsWhen(uri, accept, what, timeoutMs, false);
}

function diagnosticsWhen(uri: vscode.Uri, accept: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs: number, checkNow: boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const current = ours(uri);
      if (!accept(current)) return false;
      cleanup();
      resolve(current);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; diagnostics now: ${JSON.stringify(summary(ours(uri)))}`));
    }, timeoutMs);
    const cleanup = () => {
      listener.dispose();
      clearTimeout(timer);
    };
    if (checkNow) check();
  });
}

/** The target range of a definition answer, whichever shape it has. */
export function targetOf(answer: vscode.Location | vscode.LocationLink): { uri: vscode.Uri; range: vscode.Range } {
  return 'targetUri' in answer
    ? { uri: answer.targetUri, range: answer.targetSelectionRange ?? answer.targetRange }
    : { uri: answer.uri, range: answer.range };
}

/** Position of the `nth` occurrence of `text` on `line`, `offset` characters into it. */
export function positionOf(document: vscode.TextDocument, line: number, text: string, offset = 0, nth = 0): vscode.Position {
  const lineText = document.lineAt(line).text;
  let at = -1;
  for (let i = 0; i <= nth; i++) at = lineText.indexOf(text, at + 1);
  if (at < 0) throw new Error(`"${text}" is not on line ${line}: ${lineText}`);
  return new vscode.Position(line, at + offset);
}

export function rangeText(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/**
 * Resolves with what `probe` returns once it returns without throwing: asked now, then again
 * after every onDidChangeDiagnostics event for `uri`. For what the server derives from its
 * index of build files, which it reads in the background: each change of that index
 * re-publishes the diagnostics of every open document, so a probe of a feature that follows the
 * index is asked again exactly when its answer may have changed. A probe says "not yet" by
 * throwing (an assertion, whose message the timeout repeats). Probes run one at a time; an
 * event during a probe makes it run once more afterwards.
 */
export function whenAfterDiagnostics<T>(uri: vscode.Uri, probe: () => Thenable<T> | T, what: string, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let running = false;
    let again = false;
    let done = false;
    let lastError: unknown;
    const run = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          let value: T;
          try {
            value = await probe();
          } catch (e) {
            lastError = e;
            continue;
          }
          if (!done) {
            finish();
            resolve(value);
          }
          return;
        } while (again && !done);
      } finally {
        running = false;
      }
    };
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) void run();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `; last seen: ${lastError instanceof Error ? lastError.message : String(lastError)}` : ''}`));
    }, timeoutMs);
    const finish = () => {
      done = true;
      listener.dispose();
      clearTimeout(timer);
    };
    void run();
  });
}
