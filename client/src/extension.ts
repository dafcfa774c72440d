/**
 * The VS Code side: starts the bundled language server over IPC when the first Dockerfile
 * opens (the language client restarts it if it dies), and carries out the commands the
 * server's CodeLens and the command palette name. No analysis code lives here.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { registerBuildStage } from './buildStage';
import { nameStageMiddleware, registerNameStage } from './nameStage';
import { registerStageActions } from './stageActions';
import { StageSummary, registerStageNavigation } from './stageNavigation';
import { StageGraph, registerStageGraph } from './stageGraphPanel';

let client: LanguageClient | undefined;

const STAGE_GRAPH_REQUEST = 'dockerfileStages/stageGraph';
/** Compose, Bake, dev container and workflow files, by the names their tools look for. */
const BUILD_FILE_PATTERNS = [
  '**/{compose,docker-compose}*.{yml,yaml}',
  '**/docker-bake*.{hcl,json}',
  '**/.devcontainer/**/devcontainer.json',
  '**/.devcontainer.json',
  '**/.github/workflows/*.{yml,yaml}',
];
/**
 * Docker's own extension (Docker DX), which reports BuildKit's checks itself (it runs
 * `docker buildx build --call=check`): with `dockerfileStages.buildkitChecks` on `auto` the server
 * leaves those to it. getExtension finds installed and enabled extensions only.
 */
const DOCKER_EXTENSION = 'docker.docker';
const DOCKER_EXTENSION_NOTIFICATION = 'dockerfileStages/dockerExtension';
const dockerExtensionPresent = (): boolean => vscode.extensions.getExtension(DOCKER_EXTENSION) !== undefined;

/** Selects a range of a document (a code action's placeholder); the server names it in its code actions. */
const SELECT_RANGE_COMMAND = 'dockerfileStages.selectRange';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Dockerfiles, and the files that build their stages by name (whatever other extension
    // handles their language): the server reads their targets.
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
      ...BUILD_FILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
    ],
    synchronize: { configurationSection: 'dockerfileStages' },
    // Untrusted workspaces get no build commands: the server leaves build out of the lens menus.
    // A function, so that a restarted server hears how things are now.
    initializationOptions: () => ({ workspaceTrusted: vscode.workspace.isTrusted, dockerExtension: dockerExtensionPresent(), selectRangeCommand: true }),
    middleware: nameStageMiddleware,
  };
  const languageClient = new LanguageClient('dockerfileStages', 'Dockerfile Stages', serverOptions, clientOptions);
  client = languageClient;

  const fetchGraph = async (uri: string): Promise<StageGraph> =>
    languageClient.sendRequest<StageGraph>(STAGE_GRAPH_REQUEST, { textDocument: { uri } });
  const fetchStages = async (document: vscode.TextDocument): Promise<StageSummary[]> =>
    (await fetchGraph(document.uri.toString())).stages;

  registerStageNavigation(context, fetchStages);
  registerBuildStage(context, fetchStages);
  registerStageActions(context);
  registerStageGraph(context, fetchGraph);
  registerNameStage(context, languageClient);
  context.subscriptions.push(
    // A code action's edit is applied before its command runs: the command selects what the fix
    // left to fill in (the advisor's `<binary>`), so that typing replaces it.
    vscode.commands.registerCommand(SELECT_RANGE_COMMAND, async (uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }) => {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri) ?? (await vscode.window.showTextDocument(vscode.Uri.parse(uri)));
      const selection = new vscode.Selection(range.start.line, range.start.character, range.end.line, range.end.character);
      editor.selection = selection;
      editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
  );
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void languageClient.sendNotification('dockerfileStages/workspaceTrusted')),
  );
  // Extensions installed, enabled or disabled while this one runs: the server hears of it.
  let dockerExtension = dockerExtensionPresent();
  context.subscriptions.push(
    vscode.extensions.onDidChange(() => {
      const present = dockerExtensionPresent();
      if (present === dockerExtension) return;
      dockerExtension = present;
      if (languageClient.isRunning()) void languageClient.sendNotification(DOCKER_EXTENSION_NOTIFICATION, { present });
    }),
  );
  await languageClient.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
