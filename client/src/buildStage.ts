/**
 * ▶ Build this stage: runs the build command template with --target as a VS Code task, a
 * process started without a shell (buildInvocation.ts makes its argument list). Refused in
 * untrusted workspaces (a build runs code from the workspace) and for a target BuildKit would
 * not accept, whoever asks: the lens's arguments can come from anywhere.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { BuildTemplateError, DEFAULT_BUILD_TEMPLATE, buildInvocation, pathProblem, targetProblem } from './buildInvocation';
import { FetchStages, StageSummary, currentStage, pickStage, stageItem } from './stagePick';

export const BUILD_TASK_TYPE = 'dockerfile-stages';

/**
 * The stage to build, from a quick pick of the file's stages: the one under the cursor first and
 * preselected, then the others in file order. An unnamed stage has no --target: choosing it
 * offers to name it. Undefined when cancelled (or when a stage was named instead).
 */
async function chooseTarget(fileUri: vscode.Uri, fetchStages: FetchStages): Promise<string | undefined> {
  const document = await vscode.workspace.openTextDocument(fileUri);
  const stages = await fetchStages(document);
  if (stages.length === 0) {
    void vscode.window.showInformationMessage('This Dockerfile has no stages to build.');
    return undefined;
  }
  const editor = vscode.window.activeTextEditor?.document.uri.toString() === fileUri.toString() ? vscode.window.activeTextEditor : undefined;
  const current = editor && currentStage(stages, editor.selection.active.line);
  const ordered = current ? [current, ...stages.filter((s) => s.index !== current.index)] : stages;
  const describe = (s: StageSummary) => {
    if (s.name === null) return 'no name, so no --target: choose to name it';
    const problem = targetProblem(s.name.toLowerCase());
    return problem ? `not a --target BuildKit accepts` : `--target ${s.name.toLowerCase()}${s.base ? ` · from ${s.base}` : ''}`;
  };
  const picked = await pickStage({
    title: 'Build Stage (--target)',
    placeholder: 'The stage to build',
    items: ordered.map((s) => stageItem(s, current, describe(s))),
    active: current ?? ordered[0],
  });
  if (!picked) return undefined;
  if (picked.name === null) {
    await vscode.commands.executeCommand('dockerfileStages.nameStage', fileUri.toString(), picked.index);
    return undefined;
  }
  return picked.name.toLowerCase();
}

export function registerBuildStage(context: vscode.ExtensionContext, fetchStages: FetchStages): void {
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
        target = await chooseTarget(fileUri, fetchStages);
        if (target === undefined) return;
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
