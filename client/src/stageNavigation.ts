/**
 * Moving between stages: Go to Stage… (a quick pick), Next Stage, Previous Stage, and the
 * CodeLens commands that reveal a stage or peek its references.
 */
import * as vscode from 'vscode';

export interface StageSummary {
  index: number;
  label: string;
  base: string;
  line: number;
}

export type FetchStages = (document: vscode.TextDocument) => Promise<StageSummary[]>;

function isDockerfile(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return editor !== undefined && editor.document.languageId === 'dockerfile';
}

function revealLine(editor: vscode.TextEditor, line: number, character = 0): void {
  const position = new vscode.Position(line, character);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

export function registerStageNavigation(context: vscode.ExtensionContext, fetchStages: FetchStages): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dockerfileStages.goToStage', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!isDockerfile(editor)) return;
      const stages = await fetchStages(editor.document);
      if (stages.length === 0) {
        void vscode.window.showInformationMessage('This Dockerfile has no stages.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        stages.map((s) => ({ label: s.label, description: s.base, detail: `stage ${s.index} · line ${s.line + 1}`, stage: s })),
        { placeHolder: 'Go to stage', matchOnDescription: true },
      );
      if (picked) revealLine(editor, picked.stage.line);
    }),
    vscode.commands.registerCommand('dockerfileStages.nextStage', () => jump(fetchStages, 1)),
    vscode.commands.registerCommand('dockerfileStages.previousStage', () => jump(fetchStages, -1)),
    vscode.commands.registerCommand('dockerfileStages.revealStage', async (uri: string, position: { line: number; character: number }) => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      const editor = await vscode.window.showTextDocument(document);
      revealLine(editor, position.line, position.character);
    }),
    vscode.commands.registerCommand(
      'dockerfileStages.showReferences',
      (uri: string, position: { line: number; character: number }, ranges: { start: { line: number; character: number }; end: { line: number; character: number } }[]) => {
        const target = vscode.Uri.parse(uri);
        const locations = ranges.map(
          (r) => new vscode.Location(target, new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character)),
        );
        return vscode.commands.executeCommand('editor.action.showReferences', target, new vscode.Position(position.line, position.character), locations);
      },
    ),
  );
}

async function jump(fetchStages: FetchStages, direction: 1 | -1): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!isDockerfile(editor)) return;
  const stages = await fetchStages(editor.document);
  const line = editor.selection.active.line;
  const next = direction === 1 ? stages.find((s) => s.line > line) : [...stages].reverse().find((s) => s.line < line);
  if (next) revealLine(editor, next.line);
}
