/**
 * Moving between stages: Go to Stage… (a quick pick), Next Stage, Previous Stage, and the
 * CodeLens commands that reveal a stage or peek its references.
 */
import * as vscode from 'vscode';
import { FetchStages, currentStage, pickStage, revealLine, stageItem } from './stagePick';

export type { FetchStages, StageSummary } from './stagePick';

function isDockerfile(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return editor !== undefined && editor.document.languageId === 'dockerfile';
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
      // The stage under the cursor preselected; arrowing previews each stage in the editor.
      const current = currentStage(stages, editor.selection.active.line);
      const picked = await pickStage({
        title: 'Go to Stage',
        placeholder: 'Type a stage name, a base image or a line',
        items: stages.map((s) => stageItem(s, current)),
        active: current,
        previewIn: editor,
      });
      if (picked) revealLine(editor, picked.line);
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

/** Moves to the next or previous stage; at either end, says so in the status bar and returns what it said. */
async function jump(fetchStages: FetchStages, direction: 1 | -1): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!isDockerfile(editor)) return undefined;
  const stages = await fetchStages(editor.document);
  const line = editor.selection.active.line;
  const next = direction === 1 ? stages.find((s) => s.line > line) : [...stages].reverse().find((s) => s.line < line);
  if (next) {
    revealLine(editor, next.line);
    return undefined;
  }
  // At either end, say so rather than do nothing.
  const message = direction === 1 ? 'No next stage: this is the last one.' : 'No previous stage: this is the first one.';
  vscode.window.setStatusBarMessage(`$(info) ${message}`, 4000);
  return message;
}
