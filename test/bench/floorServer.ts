/**
 * The start-up floor: a language server that loads vscode-languageserver and nothing else. It
 * answers `initialize` with document sync only and publishes empty diagnostics for every opened
 * document, so that a cold start (spawn → initialize → didOpen → diagnostics) takes the same path
 * as a real server's with no work on it. scripts/bench.mjs bundles it with the options of our
 * server's bundle and starts it through our launcher (dist/server.js) with its own code cache, so
 * that its start differs from ours only by what our server itself loads and does.
 */
import { TextDocumentSyncKind, createConnection } from 'vscode-languageserver/node';

const connection = createConnection();
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));
connection.onDidOpenTextDocument(({ textDocument }) => {
  void connection.sendDiagnostics({ uri: textDocument.uri, version: textDocument.version, diagnostics: [] });
});
connection.listen();
