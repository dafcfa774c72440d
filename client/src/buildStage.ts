/**
 * ▶ Build this stage: runs the build command template with --target as a VS Code task, a
 * process started without a shell (buildInvocation.ts makes its argument list). Refused in
 * untrusted workspaces (a build runs code from the workspace) and for a target BuildKit would
 * not accept, whoever asks: the lens's arguments can come from anywhere.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { BuildTemplateError, DEFAULT_BUILD_TEMPLATE, buildInvocation, pathProblem, targetProblem } from './buildInvocation';

export const BUILD_TASK_TYPE = 'dockerfile-stages';

export function registerBuildStage(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dockerfileStages.buildStage', async (uri?: unknown, target?: unknown) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('Building a stage runs commands from this workspace: trust the workspace first.');
        return;
      }
      const fileUri = typeof uri === 'string' ? vscode.Uri.parse(uri) : vscode.window.activeTextEditor?.document.uri;
      if (!fileUri || fileUri.scheme !== 'file') {
        void vscode.window.showWarningMessage('Save the Dockerfile to a file to build it.');
        return;
      }
      if (target === undefined) {
        target = await vscode.window.showInputBox({ prompt: 'Stage to build (--target)', validateInput: (v) => targetProblem(v) });
        if (!target) return;
      }
      const refused = targetProblem(target);
      if (refused) {
        void vscode.window.showWarningMessage(`Not built: ${refused}`);
        return;
      }
      const stage = target as string;
      const folder = vscode.workspace.getWorkspaceFolder(fileUri);
      const contextDir = folder?.uri.fsPath ?? path.dirname(fileUri.fsPath);
      const badPath = pathProblem("Dockerfile's path", fileUri.fsPath) ?? pathProblem('build context folder', contextDir);
      if (badPath) {
        void vscode.window.showWarningMessage(`Not built: ${badPath}`);
        return;
      }
      const template = vscode.workspace.getConfiguration('dockerfileStages', fileUri).get<string>('build.command') || DEFAULT_BUILD_TEMPLATE;
      let invocation;
      try {
        invocation = buildInvocation(template, { target: stage, file: fileUri.fsPath, context: contextDir });
      } catch (e) {
        if (e instanceof BuildTemplateError) {
          void vscode.window.showErrorMessage(`dockerfileStages.build.command: ${e.message}`);
          return;
        }
        throw e;
      }
      // A process, not a shell command line: each argument reaches the program as it is.
      const execution = new vscode.ProcessExecution(invocation.program, invocation.args, { cwd: contextDir });
      const task = new vscode.Task(
        { type: BUILD_TASK_TYPE, target: stage },
        folder ?? vscode.TaskScope.Workspace,
        `build --target ${stage}`,
        'Dockerfile Stages',
        execution,
      );
      task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
      await vscode.tasks.executeTask(task);
    }),
  );
}
