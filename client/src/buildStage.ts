/**
 * ▶ Build this stage: runs the build command template with --target in a VS Code terminal
 * (as a task). Refused in untrusted workspaces: a build runs code from the workspace.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { BuildTemplateError, DEFAULT_BUILD_TEMPLATE, buildInvocation, BuildWord } from './buildInvocation';

export const BUILD_TASK_TYPE = 'dockerfile-stages';

function shellWord(w: BuildWord): string | vscode.ShellQuotedString {
  return w.quote ? { value: w.value, quoting: vscode.ShellQuoting.Strong } : w.value;
}

export function registerBuildStage(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dockerfileStages.buildStage', async (uri?: string, target?: string) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('Building a stage runs commands from this workspace: trust the workspace first.');
        return;
      }
      const fileUri = uri ? vscode.Uri.parse(uri) : vscode.window.activeTextEditor?.document.uri;
      if (!fileUri || fileUri.scheme !== 'file') {
        void vscode.window.showWarningMessage('Save the Dockerfile to a file to build it.');
        return;
      }
      if (!target) {
        target = await vscode.window.showInputBox({ prompt: 'Stage to build (--target)', validateInput: (v) => (/^[a-zA-Z][a-zA-Z0-9._-]*$/.test(v) ? undefined : 'Not a stage name') });
        if (!target) return;
      }
      const folder = vscode.workspace.getWorkspaceFolder(fileUri);
      const contextDir = folder?.uri.fsPath ?? path.dirname(fileUri.fsPath);
      const template = vscode.workspace.getConfiguration('dockerfileStages', fileUri).get<string>('build.command') || DEFAULT_BUILD_TEMPLATE;
      let invocation;
      try {
        invocation = buildInvocation(template, { target, file: fileUri.fsPath, context: contextDir });
      } catch (e) {
        if (e instanceof BuildTemplateError) {
          void vscode.window.showErrorMessage(`dockerfileStages.build.command: ${e.message}`);
          return;
        }
        throw e;
      }
      const execution = new vscode.ShellExecution(shellWord(invocation.command), invocation.args.map(shellWord), { cwd: contextDir });
      const task = new vscode.Task(
        { type: BUILD_TASK_TYPE, target },
        folder ?? vscode.TaskScope.Workspace,
        `build --target ${target}`,
        'Dockerfile Stages',
        execution,
      );
      task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
      await vscode.tasks.executeTask(task);
    }),
  );
}
