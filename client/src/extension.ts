/**
 * The VS Code side: starts the bundled language server over IPC when the first Dockerfile
 * opens, and stops it with the extension. No analysis code lives here.
 */
import * as path from 'path';
import { ExtensionContext } from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
      { scheme: 'file', pattern: '**/{Dockerfile,Containerfile}{,.*}' },
      { scheme: 'file', pattern: '**/*.{Dockerfile,dockerfile,Containerfile,containerfile}' },
    ],
    synchronize: { configurationSection: 'dockerfileStages' },
  };
  client = new LanguageClient('dockerfileStages', 'Dockerfile Stages', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
