/**
 * Name this stage, from the lens menu or as the refactoring Ctrl+. offers on an unnamed stage's
 * FROM line: the stage gets the name the server derives (its --from=N uses rewritten to it),
 * then the rename input opens on that name, selected, so that the user can keep it or type
 * another (the rename then follows every use).
 */
import * as vscode from 'vscode';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';

const NAME_STAGE_REQUEST = 'dockerfileStages/nameStage';
const RENAME_GIVEN_NAME = 'dockerfileStages.renameGivenName';

/** The WorkspaceEdit the server answers to NAME_STAGE_REQUEST. */
interface NameStageEdit {
  changes?: Record<string, { range: { start: { line: number; character: number } }; newText: string }[]>;
}

/** The text that names a stage: ` AS name` (or ` as name`) inserted after the base image. */
const NAMING = /^ (AS|as) (\S+)$/;

/** Selects `name`, starting at `start` in `uri`, and opens the rename input on it. */
async function renameGivenName(uri: string, start: { line: number; character: number }, name: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const editor = await vscode.window.showTextDocument(document);
  const from = new vscode.Position(start.line, start.character);
  editor.selection = new vscode.Selection(from, from.translate(0, name.length));
  await vscode.commands.executeCommand('editor.action.rename');
}

export function registerNameStage(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dockerfileStages.nameStage', async (uri: string, index: number) => {
      const edit = (await client.sendRequest(NAME_STAGE_REQUEST, { textDocument: { uri }, stage: index })) as NameStageEdit | null;
      if (!edit) return;
      const workspaceEdit = await client.protocol2CodeConverter.asWorkspaceEdit(edit as Parameters<typeof client.protocol2CodeConverter.asWorkspaceEdit>[0]);
      if (!workspaceEdit || !(await vscode.workspace.applyEdit(workspaceEdit))) return;
      const named = Object.values(edit.changes ?? {}).flat().find((e) => NAMING.test(e.newText));
      if (!named) return;
      // The other edits are on later lines (the COPYs that used the index): the name is where it was inserted.
      const { line, character } = named.range.start;
      await renameGivenName(uri, { line, character: character + 4 }, NAMING.exec(named.newText)![2]);
    }),
    vscode.commands.registerCommand(RENAME_GIVEN_NAME, renameGivenName),
  );
}

/**
 * The refactoring "Name this stage 'x'" that the server offers on an unnamed stage's FROM line,
 * and the quick fix "Name stage N 'x' and use the name" on a `--from=N`, are edits only; VS Code runs an action's command after its edit, and this one opens the
 * rename input on the new name, as the lens menu's entry does.
 */
export const nameStageMiddleware: Pick<Middleware, 'provideCodeActions'> = {
  provideCodeActions: async (document, range, context, token, next) => {
    const actions = await next(document, range, context, token);
    if (!actions) return actions;
    for (const action of actions) {
      if (!(action instanceof vscode.CodeAction) || action.command || !action.edit) continue;
      // The refactoring on the FROM line, and the quick fix on a `--from=N` that names the stage.
      if (!action.kind || !(vscode.CodeActionKind.RefactorRewrite.contains(action.kind) || vscode.CodeActionKind.QuickFix.contains(action.kind))) continue;
      const namings = action.edit.get(document.uri).filter((e) => e.range.isEmpty && NAMING.test(e.newText));
      if (namings.length !== 1) continue;
      const at = namings[0].range.start;
      action.command = {
        title: 'Rename the stage',
        command: RENAME_GIVEN_NAME,
        arguments: [document.uri.toString(), { line: at.line, character: at.character + 4 }, NAMING.exec(namings[0].newText)![2]],
      };
    }
    return actions;
  },
};
