/**
 * The menu a stage's CodeLens opens: the server sends the entries (title, command, arguments)
 * with the lens; the one the user picks runs.
 */
import * as vscode from 'vscode';

export interface StageAction {
  title: string;
  command: string;
  arguments: unknown[];
}

/** Only the extension's own commands may run from a lens menu. */
const PREFIX = 'dockerfileStages.';

export function registerStageActions(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dockerfileStages.stageActions', async (_uri: string, actions: StageAction[], heading?: string) => {
      const items = (Array.isArray(actions) ? actions : []).filter((a) => typeof a?.command === 'string' && a.command.startsWith(PREFIX));
      if (items.length === 0) return;
      const picked = await vscode.window.showQuickPick(
        items.map((a) => ({ label: a.title, action: a })),
        { placeHolder: typeof heading === 'string' ? heading : 'Stage actions' },
      );
      if (picked) await vscode.commands.executeCommand(picked.action.command, ...picked.action.arguments);
    }),
  );
}
